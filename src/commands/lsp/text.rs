//! Editor coordinates: `file:` URIs ↔ paths, and callcheck's positions (1-based lines, columns
//! in characters) ↔ LSP positions (0-based lines, columns in UTF-16 code units, the encoding
//! every client supports).

#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;

use lsp_types::{Position, Range};

/// The local path a `file:` URI names (`None` for other schemes: unsaved buffers have no
/// project, sidecars or extension to go by).
pub fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` (empty authority) or `file://localhost/path`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    // Windows clients send `/C:/folder`: the drive comes first there.
    let windows_drive = decoded.len() > 2 && decoded.as_bytes()[2] == b':' && cfg!(windows);
    Some(PathBuf::from(if windows_drive {
        &decoded[1..]
    } else {
        &decoded
    }))
}

/// The `file:` URI of an absolute path, percent-encoding what a URI path may not hold.
#[cfg(test)]
pub fn uri_of(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte);
        if keep {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A document's lines, for converting positions.
pub struct Lines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    /// Splits `text` at `\n` (a `\r` before it is not part of the line).
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            lines: text
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect(),
        }
    }

    /// The 1-based line `line`, empty past the end.
    pub fn line(&self, line: u32) -> &'a str {
        line.checked_sub(1)
            .and_then(|i| self.lines.get(i as usize))
            .copied()
            .unwrap_or("")
    }

    /// The LSP position of callcheck's 1-based `line` and 1-based character `column`
    /// (clamped to the line; line 0 is the document's start).
    pub fn position(&self, line: u32, column: u32) -> Position {
        if line == 0 {
            return Position::new(0, 0);
        }
        let text = self.line(line);
        let chars = column.saturating_sub(1) as usize;
        let units: usize = text.chars().take(chars).map(char::len_utf16).sum();
        Position::new(line - 1, units as u32)
    }

    /// The range of the whole 1-based line `line` (the first line for 0).
    pub fn whole_line(&self, line: u32) -> Range {
        let line = line.max(1);
        let units: usize = self.line(line).chars().map(char::len_utf16).sum();
        Range::new(Position::new(line - 1, 0), Position::new(line - 1, units as u32))
    }

    /// The range from 1-based `(line, column)` covering text `width` columns wide on screen (a
    /// rulebook problem's underline), at least one character.
    pub fn underline(&self, line: u32, column: u32, width: usize) -> Range {
        let start = self.position(line, column);
        let text = self.line(line);
        let mut seen = 0;
        let mut units = 0;
        for c in text.chars().skip(column.saturating_sub(1) as usize) {
            if seen >= width.max(1) {
                break;
            }
            seen += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0).max(1);
            units += c.len_utf16();
        }
        Range::new(start, Position::new(start.line, start.character + units as u32))
    }
}

/// True when two ranges share a position (touching counts: a cursor at the end of a word is on
/// it).
pub fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_spaces_and_chinese() {
        let path = Path::new("/tmp/回复 模板/a#1.txt");
        let uri = uri_of(path);
        assert_eq!(
            uri,
            "file:///tmp/%E5%9B%9E%E5%A4%8D%20%E6%A8%A1%E6%9D%BF/a%231.txt"
        );
        assert_eq!(path_of(&uri).as_deref(), Some(path));
        assert_eq!(
            path_of("file://localhost/x/y.txt"),
            Some(PathBuf::from("/x/y.txt"))
        );
        assert_eq!(path_of("untitled:Untitled-1"), None);
        assert_eq!(path_of("file:///bad%zz"), None);
    }

    #[test]
    fn positions_count_utf16_units_after_wide_and_astral_characters() {
        let lines = Lines::new("客服：您好😀 you must\r\nsecond");
        // `you` is the 8th character: after five Chinese characters (one unit each), an emoji
        // (two units) and a space.
        assert_eq!(lines.position(1, 8), Position::new(0, 8));
        assert_eq!(lines.position(2, 1), Position::new(1, 0));
        assert_eq!(lines.position(2, 99), Position::new(1, 6));
        assert_eq!(lines.position(0, 0), Position::new(0, 0));
        assert_eq!(lines.whole_line(1).end, Position::new(0, 16));
        assert_eq!(lines.line(1), "客服：您好😀 you must");
    }

    #[test]
    fn underlines_cover_display_width_in_characters() {
        let lines = Lines::new("id = \"早上好\" x");
        // Two wide characters are four columns on screen.
        let range = lines.underline(1, 7, 4);
        assert_eq!((range.start.character, range.end.character), (6, 8));
        assert_eq!(lines.underline(1, 1, 0).end.character, 1);
    }

    #[test]
    fn touching_ranges() {
        let r = |a, b| Range::new(Position::new(0, a), Position::new(0, b));
        assert!(touches(r(0, 3), r(3, 3)));
        assert!(touches(r(2, 2), r(0, 5)));
        assert!(!touches(r(0, 2), r(3, 4)));
    }
}
