//! WebVTT transcripts: Microsoft Teams (`<v Name>text</v>`) and Zoom (`Name: text`) exports.
//!
//! ```text
//! WEBVTT
//!
//! 0f2c1a9e-1
//! 0:0:0.0 --> 0:0:5.320
//! <v Jane Doe>Hello, this is ACME.</v>
//! ```
//!
//! Cue ids, `NOTE`/`STYLE`/`REGION` blocks and cue settings are skipped; times may be unpadded
//! (Teams writes `0:0:5.320`); cues are sorted by start time and one speaker's consecutive cues
//! are merged (see [`assemble`](super::assemble)). Teams' metadata transcript, whose cues hold
//! a JSON object with `speakerName` and `spokenText`, is read too.

use super::assemble::assemble;
use super::cue::{self, Cue};
use super::{Format, ParseError, ParseOptions, Transcript};

/// The WebVTT format.
pub static FORMAT: Format = Format {
    name: "webvtt",
    description: "WebVTT captions with `<v Name>` voices or `Name:` prefixes (Teams, Zoom)",
    extensions: &["vtt"],
    sniff: Some(|s| {
        let first = s.text().lines().next().unwrap_or("");
        first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t")
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
    let first = lines.first().copied().unwrap_or("");
    if !(first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t")) {
        return Err(ParseError::at_line(
            1,
            format!(
                "expected `WEBVTT` on the first line of a WebVTT file, found `{}`",
                first.chars().take(40).collect::<String>()
            ),
        ));
    }
    let mut transcript = Transcript::default();
    let mut i = 1;
    // The header runs to the first blank line.
    while i < lines.len() && !lines[i].trim().is_empty() {
        if let Some((key, value)) = lines[i].split_once(':')
            && key.trim().eq_ignore_ascii_case("language")
        {
            transcript
                .metadata
                .insert("language".into(), value.trim().to_string());
        }
        i += 1;
    }
    let mut cues = Vec::new();
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
        let keyword = block[0].split_whitespace().next().unwrap_or("");
        if matches!(keyword, "NOTE" | "STYLE" | "REGION") && !block[0].contains("-->") {
            continue;
        }
        let line_no = |k: usize| u32::try_from(block_start + k + 1).unwrap_or(u32::MAX);
        // An optional cue id comes before the timing line.
        let timing_at = usize::from(!block[0].contains("-->"));
        let Some(timing_line) = block.get(timing_at) else {
            return Err(ParseError::at_line(
                line_no(0),
                format!(
                    "expected a cue timing such as `00:00:01.000 --> 00:00:04.000` after the cue id \
                     `{}`",
                    block[0]
                ),
            ));
        };
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
    transcript.turns = assemble(cue::utterances(&cues, options, true)?);
    Ok(vec![transcript])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Millis, Position, Role};

    fn one(text: &str) -> Transcript {
        let mut options = ParseOptions::default();
        options.labels.add("Jane Doe", Role::Agent);
        parse(text, &options).unwrap().remove(0)
    }

    fn err(text: &str) -> String {
        parse(text, &ParseOptions::default()).unwrap_err().to_string()
    }

    #[test]
    fn teams_voices_unpadded_times_ids_and_sorting() {
        let t = one(
            "WEBVTT\n\nid-2\n0:0:7.0 --> 0:0:9.5\n<v John Roe>My parcel is late.</v>\n\n\
             NOTE this is a comment\n\nid-1\n0:0:0.0 --> 0:0:5.320\n<v Jane Doe>Hello, this is ACME.</v>\n\n\
             0:0:5.400 --> 0:0:6.0 align:start\n<v Jane Doe>How can I help?\n",
        );
        let turns: Vec<(&str, Role, &str, Option<Millis>)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.label.as_str(), t.speaker.role, t.text.as_str(), t.start))
            .collect();
        assert_eq!(
            turns,
            [
                (
                    "Jane Doe",
                    Role::Agent,
                    "Hello, this is ACME.\nHow can I help?",
                    Some(Millis(0))
                ),
                ("John Roe", Role::Other, "My parcel is late.", Some(Millis(7_000))),
            ]
        );
        assert_eq!(t.turns[0].end, Some(Millis(6_000)));
        let help = t.turns[0].text.find("help").unwrap();
        assert_eq!(t.turns[0].position_at(help), Position { line: 14, column: 23 });
    }

    #[test]
    fn zoom_prefixes_and_continuation_cues() {
        let t = one(
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nJane Doe: Hello there\n\n\
             2\n00:00:03.000 --> 00:00:04.000\nand welcome\n\n3\n00:00:05.000 --> 00:00:06.000\nBob: hi\n",
        );
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "Hello there\nand welcome");
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[1].speaker.label, "Bob");
    }

    /// Issue 13: Zoom and caption exports name speakers with punctuation in the name.
    #[test]
    fn display_names_with_punctuation_are_speakers() {
        let t = one(
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nAnn (Host): Welcome to the show.\n\n\
             2\n00:00:03.500 --> 00:00:05.000\nDr. Smith: Thanks for having me.\n\n\
             3\n00:00:05.000 --> 00:00:06.000\nIt is a pleasure.\n\n\
             4\n00:00:06.500 --> 00:00:08.000\nMary O'Brien: I produce it.\n\n\
             5\n00:00:08.000 --> 00:00:09.000\nNote: the office closes at five.\n\n\
             6\n00:00:09.500 --> 00:00:11.000\nAshlee Kupor (SL): And I sign.\n",
        );
        let turns: Vec<(&str, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                ("Ann (Host)", "Welcome to the show."),
                ("Dr. Smith", "Thanks for having me.\nIt is a pleasure."),
                ("Mary O'Brien", "I produce it.\nNote: the office closes at five."),
                ("Ashlee Kupor (SL)", "And I sign."),
            ]
        );
        let thanks = t.turns[1].text.find("Thanks").unwrap();
        assert_eq!(t.turns[1].position_at(thanks), Position { line: 9, column: 12 });
    }

    /// Issue 13: captions from a recogniser without speaker labels are read with the wildcard.
    #[test]
    fn captions_without_names_need_the_wildcard() {
        let captions = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nThank you for calling.\n\n\
                        00:00:02.000 --> 00:00:04.000\nHow can I help?\n";
        assert_eq!(
            err(captions),
            "line 4: no cue names a speaker (no `<v Name>`, `Name:` or `[SPEAKER_00]`): captions \
             from a recogniser without speaker labels; to read them as one speaker, pass \
             --speaker-map '*=ROLE' (such as '*=agent')"
        );
        let mut options = ParseOptions::default();
        options.labels.add("*", Role::Agent);
        let t = parse(captions, &options).unwrap().remove(0);
        assert_eq!(t.turns.len(), 1);
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[0].speaker.label, "(unnamed)");
        assert_eq!(t.turns[0].text, "Thank you for calling.\nHow can I help?");
        assert_eq!(
            t.turns[0].position_at(t.turns[0].text.find("How").unwrap()).line,
            7
        );
    }

    #[test]
    fn teams_metadata_content_cues() {
        let t = one(
            "WEBVTT\n\n00:00:16.246 --> 00:00:17.726\n{\"startDateTime\":\"2023-03-08T08:22:30Z\",\
             \"speakerName\":\"Jane Doe\",\"spokenText\":\"This is a test.\"}\n",
        );
        assert_eq!(t.turns[0].text, "This is a test.");
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[0].start, Some(Millis(16_246)));
        assert_eq!(t.turns[0].position().line, 4);
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            err("1\n00:00:01,000 --> 00:00:02,000\nhi\n"),
            "line 1: expected `WEBVTT` on the first line of a WebVTT file, found `1`"
        );
        assert_eq!(
            err("WEBVTT\n\n00:00:01.000 --> 00:00:xx\n<v A>hi\n"),
            "line 3: invalid cue timing: `00:00:xx` is not a time: expected hh:mm:ss or mm:ss"
        );
        assert_eq!(
            err("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v A>hi\n"),
            "line 3: invalid cue timing `00:00:05.000 --> 00:00:01.000`: the end is before the start"
        );
        assert_eq!(
            err("WEBVTT\n\ncue-1\n<v A>hi\n"),
            "line 4: expected a cue timing such as `00:00:01.000 --> 00:00:04.000`, found `<v A>hi`"
        );
        assert_eq!(
            err("WEBVTT\n\ncue-1\n"),
            "line 3: expected a cue timing such as `00:00:01.000 --> 00:00:04.000` after the cue id \
             `cue-1`"
        );
        assert_eq!(
            err(
                "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\njust words\n\n00:00:03.000 --> 00:00:04.000\nBob: hi\n"
            ),
            "line 4: the first cue names no speaker: expected `<v Name>`, `Name:` or `[SPEAKER_00]` \
             before its text; to give speech without a name a role, pass --speaker-map '*=ROLE' \
             (such as '*=agent')"
        );
        assert_eq!(
            err("WEBVTT\n\n00:01.000 --> 00:02.000\n{\"speakerName\": \"A\"}\n"),
            "line 4: the top level: missing field `spokenText`"
        );
    }
}
