//! A value a reader reads: a digit string, an amount, a date or a text, and how a rule
//! restates it.

use std::borrow::Cow;
use std::fmt;

use super::dates::Date;
use super::digit_strings::Digit;

/// A normalised value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Digits in order; masked digits are `None`.
    Digits(Vec<Digit>),
    /// Money in hundredths, whatever the currency.
    Amount(u64),
    /// A date.
    Date(Date),
    /// An email address or a pattern's capture, lower case, without spaces and punctuation
    /// (email addresses keep `@`, `.`, `_`, `-` and `+`).
    Text(String),
}

impl Value {
    /// True when part of the value is masked.
    pub fn is_masked(&self) -> bool {
        matches!(self, Value::Digits(d) if d.iter().any(Option::is_none))
    }

    /// The value as a rule restates it (its [`Display`](fmt::Display) form); digit strings and
    /// texts, the most common values, without the formatter.
    pub fn restated(&self) -> Cow<'_, str> {
        match self {
            Value::Digits(digits) => Cow::Owned(
                digits
                    .iter()
                    .map(|d| d.map_or('*', |d| char::from(b'0' + d)))
                    .collect(),
            ),
            Value::Text(text) => Cow::Borrowed(text),
            _ => Cow::Owned(self.to_string()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Digits(_) => f.write_str(&self.restated()),
            Value::Amount(cents) if cents % 100 == 0 => write!(f, "{}", cents / 100),
            Value::Amount(cents) => write!(f, "{}.{:02}", cents / 100, cents % 100),
            Value::Date(date) => write!(f, "{date}"),
            Value::Text(text) => f.write_str(text),
        }
    }
}
