//! A text that several value readers read in turn, and what they share: its hint, its fold and
//! what the number readers make of that fold.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::amounts::{AmountMatch, amounts};
use super::hint::{TextHint, text_hint};
use super::values::for_numbers;
use crate::normalize::NormText;

/// A text that several extractors read in turn (`--redact` looks for amounts, dates, digit
/// strings and spoken e-mail addresses in every text it masks, and for the values of every
/// read-back rule in every utterance), with what they share: its [`TextHint`], and its fold
/// once one of them has made it.
pub struct SharedText<'a> {
    pub(super) source: Cow<'a, str>,
    pub(super) hint: TextHint,
    pub(super) norm: NormText,
    pub(super) folded: bool,
    pub(super) numbers: NumberReads,
}

/// What the number readers of one fold share: the fold as they see it, and its amounts in
/// money talk, which the amount reader reads and the digit-string reader looks for so as to
/// leave out the numbers inside them. Each is worked out by the first reader that needs it.
#[derive(Default)]
pub(super) struct NumberReads {
    /// [`for_numbers`] of the fold, `None` when it is the fold itself.
    text: OnceCell<Option<String>>,
    /// The amounts of that text, 块 read as money.
    money_amounts: OnceCell<Vec<AmountMatch>>,
}

impl NumberReads {
    /// The fold `norm` as the number readers see it.
    pub(super) fn text<'s>(&'s self, norm: &'s NormText) -> &'s str {
        self.text
            .get_or_init(|| match for_numbers(norm) {
                Cow::Owned(hidden) => Some(hidden),
                Cow::Borrowed(_) => None,
            })
            .as_deref()
            .unwrap_or(norm.as_str())
    }

    /// The amounts in `text` (what [`NumberReads::text`] gave), 块 read as money.
    pub(super) fn money_amounts(&self, text: &str) -> &[AmountMatch] {
        self.money_amounts.get_or_init(|| amounts(text, true))
    }
}

impl<'a> SharedText<'a> {
    /// A text no extractor has read yet.
    pub fn new(source: impl Into<Cow<'a, str>>) -> Self {
        let source = source.into();
        SharedText::with_hint(text_hint(&source), source)
    }

    /// [`SharedText::new`] for a text whose hint is known.
    pub fn with_hint(hint: TextHint, source: impl Into<Cow<'a, str>>) -> Self {
        SharedText {
            source: source.into(),
            hint,
            norm: NormText::new(),
            folded: false,
            numbers: NumberReads::default(),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}
