//! [`Node`]: typed access to parsed values, with errors that name the line and the JSON path.

use super::{Kind, Str, Value, kind_name};
use crate::transcript::{Millis, ParseError};

/// A value with its JSON path, for typed access with located errors.
#[derive(Clone, Debug)]
pub struct Node<'v, 's> {
    /// The value.
    pub value: &'v Value<'s>,
    /// Its path from the top (`Transcript[3].Content`); empty for the top level.
    pub path: String,
}

impl<'v, 's> Node<'v, 's> {
    /// The top-level value.
    pub fn root(value: &'v Value<'s>) -> Self {
        Node {
            value,
            path: String::new(),
        }
    }

    /// The line the value starts on.
    pub fn line(&self) -> u32 {
        self.value.pos.line
    }

    /// An error about this value: "`path`: message" on its line.
    pub fn error(&self, message: impl std::fmt::Display) -> ParseError {
        let path = if self.path.is_empty() {
            "the top level".to_string()
        } else {
            format!("`{}`", self.path)
        };
        ParseError::at_line(self.line(), format!("{path}: {message}"))
    }

    fn expected(&self, what: &str) -> ParseError {
        self.error(format!("expected {what}, found {}", kind_name(&self.value.kind)))
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The members of an object, or an error.
    pub fn members(&self) -> Result<&'v [(Str<'s>, Value<'s>)], ParseError> {
        match &self.value.kind {
            Kind::Object(members) => Ok(members),
            _ => Err(self.expected("an object")),
        }
    }

    /// True when the value is an object with this key (whatever its value).
    pub fn has(&self, key: &str) -> bool {
        matches!(&self.value.kind, Kind::Object(m) if m.iter().any(|(k, _)| k.as_str() == key))
    }

    /// An optional member: `None` when absent or `null`; an error when this is not an object.
    pub fn get(&self, key: &str) -> Result<Option<Node<'v, 's>>, ParseError> {
        let members = self.members()?;
        Ok(members
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .filter(|(_, v)| v.kind != Kind::Null)
            .map(|(_, value)| Node {
                value,
                path: self.child_path(key),
            }))
    }

    /// A required member: an error naming the key when it is absent or `null`.
    pub fn field(&self, key: &str) -> Result<Node<'v, 's>, ParseError> {
        self.get(key)?
            .ok_or_else(|| self.error(format!("missing field `{key}`")))
    }

    /// The elements of an array, each with its path.
    pub fn items(&self) -> Result<Vec<Node<'v, 's>>, ParseError> {
        match &self.value.kind {
            Kind::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    path: format!("{}[{i}]", self.path),
                })
                .collect()),
            _ => Err(self.expected("an array")),
        }
    }

    /// The value as a string (with its source positions).
    pub fn str(&self) -> Result<&'v Str<'s>, ParseError> {
        match &self.value.kind {
            Kind::String(s) => Ok(s),
            _ => Err(self.expected("a string")),
        }
    }

    /// The value as text: a string, or a number or boolean written as text (metadata values).
    pub fn scalar_text(&self) -> Result<String, ParseError> {
        match &self.value.kind {
            Kind::String(s) => Ok(s.as_str().to_string()),
            Kind::Number(n) => Ok((*n).to_string()),
            Kind::Bool(b) => Ok(b.to_string()),
            _ => Err(self.expected("a string, number or boolean")),
        }
    }

    /// The value as a number.
    pub fn number(&self) -> Result<f64, ParseError> {
        match &self.value.kind {
            Kind::Number(n) => n.parse::<f64>().map_err(|_| self.expected("a number")),
            _ => Err(self.expected("a number")),
        }
    }

    /// A non-negative number of milliseconds (`BeginOffsetMillis`).
    pub fn millis(&self) -> Result<Millis, ParseError> {
        let n = self.number()?;
        if !(0.0..1e15).contains(&n) {
            return Err(self.error(format!(
                "expected a time in milliseconds from the start of the call, found {n}"
            )));
        }
        Ok(Millis(n.round() as u64))
    }

    /// A non-negative number of seconds, given as a number or a numeric string (`"4.87"`).
    pub fn seconds(&self) -> Result<Millis, ParseError> {
        let n = match &self.value.kind {
            Kind::Number(_) => self.number()?,
            Kind::String(s) => s.as_str().trim().parse::<f64>().map_err(|_| {
                self.error(format!(
                    "expected a number of seconds such as \"4.87\", found \"{}\"",
                    s.as_str()
                ))
            })?,
            _ => return Err(self.expected("a number of seconds")),
        };
        Millis::from_secs_f64(n).ok_or_else(|| {
            self.error(if n < 0.0 {
                format!("expected a non-negative number of seconds, found {n}")
            } else {
                format!("{n:e} seconds is out of range: expected a time within the call")
            })
        })
    }
}
