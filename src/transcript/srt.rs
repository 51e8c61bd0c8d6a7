//! SubRip (SRT) subtitles with speaker prefixes, as speech-to-text tools write them.
//!
//! ```text
//! 1
//! 00:00:01,000 --> 00:00:04,000
//! [SPEAKER_00]: Hello, this is ACME.
//!
//! 2
//! 00:00:04,500 --> 00:00:06,000
//! Customer: My parcel is late.
//! ```
//!
//! The number line is optional; a cue without a prefix continues the previous speaker. Cues are
//! sorted by start time and one speaker's consecutive cues merged (see
//! [`assemble`](super::assemble)); `<i>`/`<font>` tags are not text.

use super::assemble::assemble;
use super::cue::{self, Cue};
use super::{Format, ParseError, ParseOptions, Transcript};

/// The SRT format.
pub static FORMAT: Format = Format {
    name: "srt",
    description: "SubRip subtitles with `Name:` or `[SPEAKER_00]` prefixes",
    extensions: &["srt"],
    sniff: Some(|s| {
        let mut lines = s.text().lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("");
        let timing =
            |l: &str| l.contains("-->") && l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(',');
        timing(first)
            || (!first.is_empty()
                && first.bytes().all(|b| b.is_ascii_digit())
                && lines.next().is_some_and(timing))
    }),
    parse,
    parse_line: None,
};

fn parse(text: &str, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut cues = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[block_start..i];
        let line_no = |k: usize| u32::try_from(block_start + k + 1).unwrap_or(u32::MAX);
        let numbered = block[0].trim().bytes().all(|b| b.is_ascii_digit());
        let timing_at = usize::from(numbered);
        let Some(timing_line) = block.get(timing_at) else {
            return Err(ParseError::at_line(
                line_no(0),
                format!(
                    "expected a timing line such as `00:00:01,000 --> 00:00:04,000` after subtitle \
                     number {}",
                    block[0].trim()
                ),
            ));
        };
        if !timing_line.contains("-->") {
            let what = if numbered {
                "after the subtitle number"
            } else {
                "or a subtitle number"
            };
            return Err(ParseError::at_line(
                line_no(timing_at),
                format!(
                    "expected a timing line such as `00:00:01,000 --> 00:00:04,000` {what}, found \
                     `{}`",
                    timing_line.chars().take(40).collect::<String>()
                ),
            ));
        }
        let (start, end) = cue::timing(timing_line, line_no(timing_at))?;
        cues.push(Cue {
            line: line_no(timing_at),
            start,
            end,
            payload: block
                .iter()
                .enumerate()
                .skip(timing_at + 1)
                .map(|(k, l)| (line_no(k), *l))
                .collect(),
        });
    }
    let transcript = Transcript {
        turns: assemble(cue::utterances(&cues, options, false)?),
        ..Transcript::default()
    };
    Ok(vec![transcript])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Millis, Position, Role};

    fn one(text: &str) -> Transcript {
        let mut options = ParseOptions::default();
        options.labels.add("SPEAKER_00", Role::Agent);
        parse(text, &options).unwrap().remove(0)
    }

    /// Issue 13: a later cue with a punctuated name is its speaker's, never the previous one's.
    #[test]
    fn display_names_with_punctuation_are_speakers() {
        let t = one("1\n00:00:01,000 --> 00:00:03,000\nAnn (Host): Welcome.\n\n\
             2\n00:00:03,500 --> 00:00:05,000\nDr. Smith: Thanks.\n\n\
             3\n00:00:05,500 --> 00:00:07,000\nMary O'Brien: Hello.\nAnn (Host): Hi Mary.\n");
        let turns: Vec<(&str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                ("Ann (Host)", "Welcome."),
                ("Dr. Smith", "Thanks."),
                ("Mary O'Brien", "Hello."),
                ("Ann (Host)", "Hi Mary."),
            ]
        );
        let hi = t.turns[3].text.find("Hi").unwrap();
        assert_eq!(t.turns[3].position_at(hi), Position { line: 12, column: 13 });
    }

    #[test]
    fn prefixes_tags_and_merging() {
        let t = one(
            "1\r\n00:00:01,000 --> 00:00:04,000\r\n[SPEAKER_00]: Hello, <i>this</i> is ACME.\r\n\r\n\
             2\r\n00:00:04,500 --> 00:00:06,000\r\nCustomer: My parcel\r\nis late.\r\n\r\n\
             3\r\n00:00:06,500 --> 00:00:07,000\r\n[SPEAKER_01] hm\r\n",
        );
        let turns: Vec<(Role, &str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::Agent, "SPEAKER_00", "Hello, this is ACME."),
                (Role::Customer, "Customer", "My parcel\nis late."),
                (Role::Other, "SPEAKER_01", "hm"),
            ]
        );
        assert_eq!(t.turns[1].start, Some(Millis(4_500)));
        let acme = t.turns[0].text.find("ACME").unwrap();
        assert_eq!(t.turns[0].position_at(acme), Position { line: 3, column: 37 });
        let late = t.turns[1].text.find("late").unwrap();
        assert_eq!(t.turns[1].position_at(late), Position { line: 8, column: 4 });
    }

    #[test]
    fn numbers_are_optional() {
        let t = one("00:00:01,000 --> 00:00:02,000\nAgent: hi\n");
        assert_eq!(t.turns[0].text, "hi");
    }

    #[test]
    fn errors_are_located() {
        let err = |text: &str| parse(text, &ParseOptions::default()).unwrap_err().to_string();
        assert_eq!(
            err("1\n00:00:01,000 -> 00:00:02,000\nAgent: hi\n"),
            "line 2: expected a timing line such as `00:00:01,000 --> 00:00:04,000` after the \
             subtitle number, found `00:00:01,000 -> 00:00:02,000`"
        );
        assert_eq!(
            err("1\n00:00:01,000 --> 00:00:02,000\nAgent: hi\n\n2\n00:00:61,000 --> 00:01:02,000\nx\n"),
            "line 6: invalid cue timing: `00:00:61,000` is not a valid time: minutes and seconds must \
             be below 60"
        );
        assert_eq!(
            err("7\n"),
            "line 1: expected a timing line such as `00:00:01,000 --> 00:00:04,000` after subtitle \
             number 7"
        );
    }
}
