//! Where the lines of a text start, for turning byte offsets into 1-based line and column
//! positions and line numbers back into lines, each in logarithmic or constant time instead of a
//! scan from the top.
//!
//! A leaf module (it imports nothing of the crate): rulebook diagnostics, template parsers,
//! excerpts of findings and `fix` all index their text the same way here.

/// The byte offsets at which the lines of a text start (after each `\n`, and 0).
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The byte offset where each line starts, the first line's (0) first.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// The 1-based line and column (in characters) of a byte offset; an offset past the end is
    /// taken as the end, one inside a character gives column 1.
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    /// The text of 1-based line `line`, without its line ending or a leading byte-order mark.
    pub fn line(&self, line: u32) -> Option<&'t str> {
        let index = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let raw = &self.text[start..end.max(start)];
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        Some(raw.strip_prefix('\u{feff}').unwrap_or(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line and column of an offset counted from the top, as the index must give them.
    fn scanned(text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        (
            text[..offset].matches('\n').count() as u32 + 1,
            text[line_start..offset].chars().count() as u32 + 1,
        )
    }

    #[test]
    fn positions_agree_with_a_scan_from_the_top() {
        for text in ["", "a", "a\nbé\r\n\nxyz", "\n\n", "一二\n三\n"] {
            let index = LineIndex::new(text);
            for offset in (0..=text.len() + 2).filter(|&o| o > text.len() || text.is_char_boundary(o)) {
                assert_eq!(
                    index.line_column(offset),
                    scanned(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn an_offset_inside_a_character_is_at_column_one() {
        let index = LineIndex::new("x\né");
        assert_eq!(index.line_column(3), (2, 1));
    }

    #[test]
    fn starts_are_zero_and_after_each_newline() {
        assert_eq!(LineIndex::new("ab\n\ncd\n").starts(), [0, 3, 4, 7]);
        assert_eq!(LineIndex::new("").starts(), [0]);
    }

    #[test]
    fn lines_come_without_endings_or_a_byte_order_mark() {
        let index = LineIndex::new("\u{feff}one\r\ntwo\nthree");
        assert_eq!(index.line(1), Some("one"));
        assert_eq!(index.line(2), Some("two"));
        assert_eq!(index.line(3), Some("three"));
        assert_eq!(index.line(4), None);
        assert_eq!(index.line(0), None);
        let index = LineIndex::new("last\n");
        assert_eq!(index.line(1), Some("last"));
        assert_eq!(index.line(2), Some(""));
        assert_eq!(index.line(3), None);
    }
}
