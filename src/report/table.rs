//! Aligned text tables and word wrapping for terminal output; widths are display widths, so
//! Chinese text lines up.

use unicode_width::UnicodeWidthStr;

/// "1 file", "2 files".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Renders rows as columns separated by two spaces; the last column is not padded.
pub fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                line.push_str(&" ".repeat(widths[c] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Wraps text to `width` display columns, breaking at spaces (or anywhere in CJK text), with
/// every line indented by `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        for piece in split_wide(word, width) {
            let needed = if line.is_empty() {
                piece.width()
            } else {
                line.width() + 1 + piece.width()
            };
            if needed > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.iter().map(|l| format!("{indent}{l}\n")).collect()
}

/// Splits a word wider than `width` (unspaced CJK text) into pieces that fit.
fn split_wide(word: &str, width: usize) -> Vec<String> {
    if word.width() <= width {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        if (piece.clone() + &c.to_string()).width() > width {
            pieces.push(std::mem::take(&mut piece));
        }
        piece.push(c);
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let rows = vec![
            vec!["ID".to_string(), "TITLE".to_string()],
            vec!["客服".to_string(), "x".to_string()],
            vec!["a".to_string(), "y".to_string()],
        ];
        assert_eq!(render(&rows), "ID    TITLE\n客服  x\na     y\n");
    }

    #[test]
    fn wraps_words_and_cjk() {
        assert_eq!(
            wrap("one two three four", 9, "  "),
            "  one two\n  three\n  four\n"
        );
        assert_eq!(wrap("一二三四五六", 6, ""), "一二三\n四五六\n");
    }
}
