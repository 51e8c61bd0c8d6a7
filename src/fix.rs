//! `check --fix`: the literal replacements of forbidden rules (`replace = "…"`) applied to reply
//! templates.
//!
//! Only a finding whose rule gives a literal replacement is fixed, only in a file read as reply
//! templates (never a call transcript: it is a record of what was said), and only where the text
//! between the finding's start and end is still exactly the matched text, so a file edited since
//! it was checked is left alone. Edits are applied from the end of the file backwards, so earlier
//! positions stay valid; an edit overlapping one already applied is skipped.

use crate::finding::FileReport;
use crate::line_index::LineIndex;
use crate::transcript::Position;

/// One replacement in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Where the matched text starts (1-based line, column in characters).
    pub start: Position,
    /// Where it ends (exclusive column).
    pub end: Position,
    /// The text expected there.
    pub matched: String,
    /// What replaces it.
    pub replacement: String,
}

/// The edits a checked file's findings carry, when it was read as reply templates.
pub fn edits_of(report: &FileReport) -> Vec<Edit> {
    if report.format != "templates" {
        return Vec::new();
    }
    report
        .findings
        .iter()
        .filter_map(|f| {
            Some(Edit {
                start: f.start,
                end: f.end,
                matched: f.matched.clone()?,
                replacement: f.replacement.clone()?,
            })
        })
        .collect()
}

/// The text with the edits applied, and how many were.
pub fn apply(text: &str, edits: &[Edit]) -> (String, usize) {
    let lines = LineIndex::new(text);
    let offset = |p: Position| -> Option<usize> {
        let line_start = *lines.starts().get((p.line as usize).checked_sub(1)?)?;
        let line = &text[line_start..];
        let column = (p.column as usize).checked_sub(1)?;
        match line.char_indices().nth(column) {
            Some((i, _)) => Some(line_start + i),
            // Just past the last character of the text.
            None => (line.chars().count() == column).then_some(text.len()),
        }
    };
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .filter_map(|e| {
            let (start, end) = (offset(e.start)?, offset(e.end)?);
            (text.get(start..end) == Some(e.matched.as_str())).then_some((start, end, e.replacement.as_str()))
        })
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = text.to_string();
    let mut applied = 0;
    let mut limit = usize::MAX;
    for (start, end, replacement) in ranges {
        if end > limit {
            continue;
        }
        out.replace_range(start..end, replacement);
        limit = start;
        applied += 1;
    }
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(line: u32, column: u32, matched: &str, replacement: &str) -> Edit {
        Edit {
            start: Position { line, column },
            end: Position {
                line,
                column: column + matched.chars().count() as u32,
            },
            matched: matched.into(),
            replacement: replacement.into(),
        }
    }

    #[test]
    fn replaces_from_the_end_and_keeps_positions() {
        let text = "# role: body\n你先登录，你再查询。\nYou must wait.\n";
        let edits = [
            edit(2, 1, "你", "您"),
            edit(2, 6, "你", "您"),
            edit(3, 5, "must", "need to"),
        ];
        let (fixed, n) = apply(text, &edits);
        assert_eq!(fixed, "# role: body\n您先登录，您再查询。\nYou need to wait.\n");
        assert_eq!(n, 3);
    }

    #[test]
    fn text_changed_since_the_check_is_left_alone() {
        let (fixed, n) = apply("你好\n", &[edit(1, 1, "您", "您")]);
        assert_eq!((fixed.as_str(), n), ("你好\n", 0));
        // Out of range, or overlapping an edit already applied: skipped.
        let (fixed, n) = apply(
            "abc",
            &[edit(4, 1, "x", "y"), edit(1, 1, "ab", "X"), edit(1, 2, "bc", "Y")],
        );
        assert_eq!((fixed.as_str(), n), ("aY", 1));
    }

    #[test]
    fn a_match_at_the_end_of_a_file_without_a_newline() {
        let (fixed, n) = apply("请稍等你", &[edit(1, 4, "你", "您")]);
        assert_eq!((fixed.as_str(), n), ("请稍等您", 1));
    }
}
