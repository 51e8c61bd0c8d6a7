//! Terminal colour as a property of one output stream.
//!
//! `colored` decides at display time from a process-wide switch, so two reporters writing to
//! different streams (or two tests running in parallel) would fight over it. Here each writer
//! holds a [`Paint`] and renders the styled strings it builds with `colored`'s fluent API
//! (`"x".red().bold()`) through it: escape codes only when that stream is coloured, whatever
//! the global switch says.

use std::fmt;

use colored::{ColoredString, Styles};

/// Whether one output stream gets colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paint {
    color: bool,
}

/// The styles `colored` writes, in the order it writes them (so output is byte-for-byte what
/// `colored` itself prints).
const STYLES: [(Styles, &str); 8] = [
    (Styles::Bold, "1"),
    (Styles::Dimmed, "2"),
    (Styles::Underline, "4"),
    (Styles::Reversed, "7"),
    (Styles::Italic, "3"),
    (Styles::Blink, "5"),
    (Styles::Hidden, "8"),
    (Styles::Strikethrough, "9"),
];

const RESET: &str = "\x1B[0m";

impl Paint {
    /// Plain text, no escape codes.
    pub const PLAIN: Paint = Paint { color: false };

    /// Colour on or off for one stream.
    pub const fn new(color: bool) -> Paint {
        Paint { color }
    }

    /// Whether this stream is coloured.
    pub const fn color(self) -> bool {
        self.color
    }

    /// `styled` as this stream shows it.
    pub fn show(self, styled: ColoredString) -> Painted {
        Painted {
            styled,
            color: self.color,
        }
    }

    /// `styled` rendered to a string.
    pub fn string(self, styled: ColoredString) -> String {
        self.show(styled).to_string()
    }
}

/// A styled string bound to one stream's colour choice; `Display` renders it.
pub struct Painted {
    styled: ColoredString,
    color: bool,
}

impl Painted {
    /// The escape sequence that starts this style (empty when nothing is styled).
    fn start(&self) -> String {
        let s = &self.styled;
        let mut codes: Vec<std::borrow::Cow<'static, str>> = STYLES
            .iter()
            .filter(|(style, _)| s.style.contains(*style))
            .map(|(_, code)| (*code).into())
            .collect();
        codes.extend(s.bgcolor.map(|c| c.to_bg_str()));
        codes.extend(s.fgcolor.map(|c| c.to_fg_str()));
        if codes.is_empty() {
            return String::new();
        }
        format!("\x1B[{}m", codes.join(";"))
    }
}

impl fmt::Display for Painted {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let input = self.styled.input.as_str();
        if !self.color || self.styled.is_plain() {
            // Padding and precision apply to the text, as with a plain `str`.
            return fmt::Display::fmt(input, f);
        }
        let start = self.start();
        f.write_str(&start)?;
        // A reset inside the text (a nested styled string) would end this style early:
        // restart it after each one, as `colored` does.
        if input.contains(RESET) {
            fmt::Display::fmt(&input.replace(RESET, &format!("{RESET}{start}")), f)?;
        } else {
            fmt::Display::fmt(input, f)?;
        }
        f.write_str(RESET)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use colored::Colorize;

    #[test]
    fn plain_stream_writes_no_escape_codes() {
        assert_eq!(Paint::PLAIN.string("x".red().bold()), "x");
        assert_eq!(format!("{:>3}", Paint::PLAIN.show("x".red())), "  x");
    }

    #[test]
    fn coloured_stream_matches_colored_itself() {
        colored::control::set_override(true);
        for styled in [
            "x".red().bold(),
            "x".green(),
            "x".dimmed(),
            "x".bold(),
            "x".yellow().bold().underline(),
            "x".blue().on_white(),
            format!("a{}b", "y".red()).bold(),
            "x".normal(),
        ] {
            assert_eq!(Paint::new(true).string(styled.clone()), styled.to_string());
        }
        colored::control::unset_override();
    }

    #[test]
    fn colour_ignores_the_global_switch() {
        colored::control::set_override(false);
        assert_eq!(Paint::new(true).string("x".red()), "\x1B[31mx\x1B[0m");
        colored::control::unset_override();
    }
}
