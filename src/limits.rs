//! Limits on what one input may hold, and the shape of per-file error messages.
//!
//! Transcript folders hold broken exports, binary files with a `.txt` name and multi-gigabyte
//! dumps. Each limit here turns such a file into one error that says what is wrong with it,
//! instead of exhausting memory or time: the run goes on with the other files and exits 2.
//! The limits are far above any real call (a ten-hour call has about ten thousand turns and no
//! turn near a megabyte), so only files that are not one call's transcript reach them.
//! Memory stays bounded by [`MAX_FILE_BYTES`] times a small factor (the text, its turns and
//! their normalised copies) per worker thread.

use crate::problem::Problem;
use crate::transcript::Transcript;

/// Largest file read, in bytes. Bigger files are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Longest turn, in bytes of text: a 100 MB line is a data dump, not speech.
pub const MAX_TURN_BYTES: usize = 1 << 20;

/// Most turns in one call: more means many calls run together without call boundaries.
pub const MAX_TURNS: usize = 100_000;

/// Longest per-file error message, in characters; messages quote input, and input is unbounded.
const MAX_MESSAGE_CHARS: usize = 1_000;

/// Largest rulebook or configuration file read, in bytes. A rulebook of 5,000 rules and
/// 100,000 phrases is about 2 MB.
pub const MAX_SETTINGS_BYTES: u64 = 64 << 20;

/// Reads a rulebook, configuration or baseline file as UTF-8 text. Anything but a regular file
/// (a FIFO, whose reading waits for a writer that may never come; a device such as
/// `/dev/zero`, which never ends; a folder) and any file over `limit` bytes is refused without
/// being read.
pub fn read_settings_file(path: &std::path::Path, limit: u64) -> std::io::Result<String> {
    use std::io::{Error, Read};
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(Error::other(if meta.is_dir() {
            "it is a folder, not a file"
        } else {
            "it is not a regular file (a FIFO, socket or device)"
        }));
    }
    if meta.len() > limit {
        return Err(Error::other(format!(
            "the file is {}, more than the {} callcheck reads from such a file",
            size(meta.len()),
            size(limit)
        )));
    }
    let mut text = String::new();
    std::fs::File::open(path)?.take(limit).read_to_string(&mut text)?;
    Ok(text)
}

/// Refuses a file larger than [`MAX_FILE_BYTES`].
pub fn check_size(bytes: u64) -> Result<(), Problem> {
    if bytes <= MAX_FILE_BYTES {
        return Ok(());
    }
    Err(too_large(Some(bytes)).into())
}

/// Why an input over [`MAX_FILE_BYTES`] is refused; `bytes` is its size when known (a pipe's is
/// not).
pub fn too_large(bytes: Option<u64>) -> String {
    let what = match bytes {
        Some(bytes) => format!("the file is {}, more than", size(bytes)),
        None => "the input is larger than".to_string(),
    };
    format!(
        "{what} the {} callcheck reads at once: it is not one transcript; split it (JSON Lines \
         and CSV exports can be cut between lines), or --exclude it",
        size(MAX_FILE_BYTES)
    )
}

/// Checks what a file parsed into: at least one turn or event, and no call or turn past the
/// limits. Errors name the line where the problem starts.
pub fn check_transcripts(transcripts: &[Transcript]) -> Result<(), Problem> {
    let has_content = |t: &Transcript| !t.turns.is_empty() || !t.events.is_empty() || t.ended_by.is_some();
    if !transcripts.iter().any(has_content) {
        return Err(if transcripts.is_empty() {
            Problem::new("no calls: the file has no transcript in it (only a header, or an empty list)")
        } else {
            Problem::new(
                "no turns: the file has nothing anybody said in it (it is empty, or has only a header)",
            )
        });
    }
    for transcript in transcripts {
        if let Some(turn) = transcript.turns.get(MAX_TURNS) {
            return Err(format!(
                "line {}: turn {} of one call: no call has more than {MAX_TURNS} turns; is this many \
                 calls run together? (JSON Lines and CSV with a call_id column hold many calls)",
                turn.position().line,
                MAX_TURNS + 1
            )
            .into());
        }
        if let Some(turn) = transcript.turns.iter().find(|t| t.text.len() > MAX_TURN_BYTES) {
            return Err(format!(
                "line {}: a turn of {} by {}: longer than any real turn (callcheck takes up to {} \
                 per turn); is this a transcript?",
                turn.position().line,
                size(turn.text.len() as u64),
                turn.speaker.label,
                size(MAX_TURN_BYTES as u64)
            )
            .into());
        }
    }
    Ok(())
}

/// A per-file error message made safe to print on one line: control characters (line breaks,
/// terminal escapes) quoted input may hold are shown escaped, and the length is capped.
pub fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE_CHARS + 8));
    for (count, c) in message.chars().enumerate() {
        if count == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `2.0 GB`, `100.0 MB`, `12 KB`, `10 bytes`.
pub fn size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    for (unit, scale) in UNITS {
        if bytes >= scale {
            return format!("{:.1} {unit}", bytes as f64 / scale as f64);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, plain};

    fn parse(text: &str) -> Vec<Transcript> {
        vec![plain::parse(text, &ParseOptions::default()).unwrap()]
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(10), "10 bytes");
        assert_eq!(size(12 << 10), "12.0 KB");
        assert_eq!(size(100 << 20), "100.0 MB");
        assert_eq!(size(2 << 30), "2.0 GB");
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        assert!(check_size(MAX_FILE_BYTES).is_ok());
        let e = check_size(2 << 30).unwrap_err();
        assert!(
            e.message()
                .starts_with("the file is 2.0 GB, more than the 256.0 MB"),
            "{e}"
        );
    }

    #[test]
    fn a_file_without_turns_is_an_error() {
        let e = check_transcripts(&parse("# call_id: 1\n")).unwrap_err();
        assert!(e.message().starts_with("no turns:"), "{e}");
        assert!(
            check_transcripts(&[])
                .unwrap_err()
                .message()
                .starts_with("no calls:")
        );
        assert!(check_transcripts(&parse("# call_id: 1\n<hangup by=customer>\n")).is_ok());
        assert!(check_transcripts(&parse("Agent: hi\n")).is_ok());
    }

    #[test]
    fn giant_turns_and_calls_name_their_line() {
        let long = format!("Agent: hi\nCustomer: {}\n", "a".repeat(MAX_TURN_BYTES + 1));
        let e = check_transcripts(&parse(&long)).unwrap_err();
        assert!(
            e.message().starts_with("line 2: a turn of 1.0 MB by Customer"),
            "{e}"
        );
        let many = "Agent: hi\n".repeat(MAX_TURNS + 1);
        let e = check_transcripts(&parse(&many)).unwrap_err();
        assert!(
            e.message()
                .starts_with(&format!("line {}: turn 100001 of one call", MAX_TURNS + 1)),
            "{e}"
        );
        assert!(check_transcripts(&parse(&"Agent: hi\n".repeat(MAX_TURNS))).is_ok());
    }

    #[test]
    fn messages_are_one_short_line() {
        assert_eq!(one_line("found `a\nb\u{1b}[31m`"), "found `a\\nb\\u{1b}[31m`");
        let long = one_line(&"x".repeat(5_000));
        assert_eq!(long.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
