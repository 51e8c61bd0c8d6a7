//! Context exceptions (`unless = { … }`): a phrase that matched does not count when its context
//! changes its meaning — negated ("不能保证", "I can't guarantee"), asked about ("是不是一定没问题？"),
//! quoted (「您说“不知道”」, or the customer's own words repeated), or next to given words
//! ("保证" followed by "附件完整" means "make sure").
//!
//! The words around a hit are registered with the matcher under the rule's own slots, so
//! checking a context costs nothing until a phrase has matched.

use serde::Deserialize;
use toml::Spanned;

use super::{CompileCtx, EvalCtx, quote_list};
use crate::matcher::{Hit, Slot};
use crate::normalize::{Profile, normalize, text_units};
use crate::transcript::Turn;

/// `unless = { negated, question, quoted, preceded_by, followed_by, within }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlessToml {
    /// Not when a negation comes right before the phrase (不, 没, not, never, can't …).
    #[serde(default)]
    pub negated: bool,
    /// Not when the phrase is in a question (the sentence ends with ？ or ?, or with 吗/么).
    #[serde(default)]
    pub question: bool,
    /// Not when the phrase is quoted: inside quotation marks, or repeating what the other side
    /// just said.
    #[serde(default)]
    pub quoted: bool,
    /// Not when one of these comes shortly before the phrase.
    #[serde(default)]
    pub preceded_by: Vec<Spanned<String>>,
    /// Not when one of these comes shortly after the phrase.
    #[serde(default)]
    pub followed_by: Vec<Spanned<String>>,
    /// Not when the same turn says one of these anywhere (a reply that asks for details is
    /// not a goodbye, whatever thanks it ends with).
    #[serde(default)]
    pub turn_says: Vec<Spanned<String>>,
    /// How close `preceded_by` / `followed_by` must be, in characters or words (default 3).
    #[serde(default)]
    pub within: Option<Spanned<u32>>,
}

/// Words that negate what follows them; normalised forms ("can't" is "cant").
const NEGATIONS: &[&str] = &[
    "不", "没", "别", "未", "无法", "并非", "not", "no", "never", "dont", "doesnt", "didnt", "cant",
    "cannot", "wont", "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "wouldnt", "shouldnt",
    "couldnt", "without",
];

/// How close a negation must come before the phrase, in characters or words: "不能保证", "没办法
/// 保证", "can't really guarantee".
const NEGATION_REACH: usize = 2;

/// Characters that end a sentence: context words do not reach across them.
const SENTENCE_ENDS: &[char] = &['。', '！', '!', '？', '?', '；', ';', '\n'];

/// Default reach of `preceded_by` and `followed_by`.
const DEFAULT_WITHIN: u32 = 3;

/// Largest accepted `within`.
const MAX_WITHIN: u32 = 50;

/// How many earlier turns of the other side a phrase may repeat and count as quoted.
const QUOTE_REACH: usize = 2;

/// The slots a context uses, from its base: words before, words after, negations, words
/// anywhere in the turn.
const PRECEDED: Slot = 0;
const FOLLOWED: Slot = 1;
const NEGATION: Slot = 2;
const IN_TURN: Slot = 3;

/// Slots one context takes; kinds reserve this many from each base they pass to [`Unless::compile`].
pub const SLOTS: Slot = 4;

/// A compiled context exception.
#[derive(Debug, Default, Clone)]
pub struct Unless {
    negated: bool,
    question: bool,
    quoted: bool,
    preceded_by: Vec<String>,
    followed_by: Vec<String>,
    turn_says: Vec<String>,
    within: usize,
    base: Slot,
}

impl Unless {
    /// Registers the context's words under slots `base..base + SLOTS`; `None` after reporting
    /// an error. No table: a context that excuses nothing.
    pub fn compile(
        toml: Option<&Spanned<UnlessToml>>,
        base: Slot,
        ctx: &mut CompileCtx<'_>,
    ) -> Option<Unless> {
        let Some(toml) = toml else {
            return Some(Unless::default());
        };
        let t = toml.get_ref();
        let within = match &t.within {
            Some(w) if *w.get_ref() == 0 || *w.get_ref() > MAX_WITHIN => {
                let d = ctx
                    .error(w.span(), format!("`within` = {} is out of range", w.get_ref()))
                    .expected(format!("1 to {MAX_WITHIN} characters or words"))
                    .hint("how far before or after the phrase the words may stand");
                ctx.report(d);
                return None;
            }
            Some(w) => *w.get_ref(),
            None => DEFAULT_WITHIN,
        };
        let excuses_something = t.negated
            || t.question
            || t.quoted
            || !t.preceded_by.is_empty()
            || !t.followed_by.is_empty()
            || !t.turn_says.is_empty();
        if !excuses_something {
            let d = ctx
                .error(toml.span(), "`unless` sets no exception")
                .expected(
                    "negated = true, question = true, quoted = true, preceded_by = [\"…\"], followed_by = [\"…\"] or turn_says = [\"…\"]",
                )
                .hint("remove `unless`, or say when a match does not count");
            ctx.report(d);
            return None;
        }
        let preceded_by = ctx.phrases(&t.preceded_by, base + PRECEDED);
        let followed_by = ctx.phrases(&t.followed_by, base + FOLLOWED);
        let turn_says = ctx.phrases(&t.turn_says, base + IN_TURN);
        if t.negated {
            let negations: Vec<Spanned<String>> = NEGATIONS
                .iter()
                .map(|n| Spanned::new(toml.span(), (*n).to_string()))
                .collect();
            ctx.phrases(&negations, base + NEGATION);
        }
        Some(Unless {
            negated: t.negated,
            question: t.question,
            quoted: t.quoted,
            preceded_by,
            followed_by,
            turn_says,
            within: within as usize,
            base,
        })
    }

    /// True when the context excuses nothing.
    pub fn is_empty(&self) -> bool {
        !(self.negated || self.question || self.quoted)
            && self.preceded_by.is_empty()
            && self.followed_by.is_empty()
            && self.turn_says.is_empty()
    }

    /// Why the context excuses `hit`, or `None` when the hit counts.
    pub fn excuse(&self, hit: &Hit, ctx: &EvalCtx<'_>) -> Option<&'static str> {
        if self.is_empty() {
            return None;
        }
        let turn = &ctx.transcript.turns[hit.turn as usize];
        let (start, end) = (hit.start as usize, hit.end as usize);
        let same_turn = ctx.hits.iter().filter(|h| h.turn == hit.turn);
        // Words before or after a phrase are its context only within one sentence.
        let gap = |from: usize, to: usize| -> Option<usize> {
            let between = turn.text.get(from..to).unwrap_or("");
            if ends_sentence(between) {
                return None;
            }
            let (cjk, words) = text_units(between);
            Some(cjk + words)
        };
        let near = |from: usize, to: usize, reach: usize| gap(from, to).is_some_and(|g| g <= reach);
        for other in same_turn {
            let slot = other.slot.wrapping_sub(self.base);
            let (o_start, o_end) = (other.start as usize, other.end as usize);
            match slot {
                PRECEDED if o_end <= start && near(o_end, start, self.within) => return Some("preceded_by"),
                FOLLOWED if o_start >= end && near(end, o_start, self.within) => return Some("followed_by"),
                NEGATION
                    if o_end <= start
                        && near(o_end, start, NEGATION_REACH)
                        && !breaks_clause(turn.text.get(o_end..start).unwrap_or("")) =>
                {
                    return Some("negated");
                }
                IN_TURN => return Some("turn_says"),
                _ => {}
            }
        }
        if self.question && in_question(&turn.text, end) {
            return Some("question");
        }
        if self.quoted && (in_quotes(&turn.text, start) || repeats_other_side(ctx, hit)) {
            return Some("quoted");
        }
        None
    }

    /// The context for `rules explain`: `negated, question, followed by "附件"`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (on, name) in [
            (self.negated, "negated"),
            (self.question, "in a question"),
            (self.quoted, "quoted"),
        ] {
            if on {
                parts.push(name.to_string());
            }
        }
        if !self.preceded_by.is_empty() {
            parts.push(format!("preceded by {}", quote_list(&self.preceded_by, 6)));
        }
        if !self.followed_by.is_empty() {
            parts.push(format!("followed by {}", quote_list(&self.followed_by, 6)));
        }
        if !self.turn_says.is_empty() {
            parts.push(format!("the turn says {}", quote_list(&self.turn_says, 6)));
        }
        if !self.preceded_by.is_empty() || !self.followed_by.is_empty() {
            parts.push(format!("within {} characters or words", self.within));
        }
        parts.join(", ")
    }
}

/// True when `text` holds the end of a sentence: 。！？；, a line break, or a full stop that is
/// not part of a number or a web address ("3.5", "t.tt").
fn ends_sentence(text: &str) -> bool {
    if text.contains(SENTENCE_ENDS) {
        return true;
    }
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        c == '.'
            && !(i > 0
                && chars[i - 1].is_ascii_alphanumeric()
                && chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric))
    })
}

/// True when `between` (the text from a negation to a phrase) holds a comma or colon: a negation
/// does not reach into the next clause ("重启没用，给个说法" does not negate 给个说法; "no, it's
/// guaranteed" does not negate "guaranteed").
fn breaks_clause(between: &str) -> bool {
    between.contains(['，', ',', '、', '：', ':'])
}

/// True when the sentence holding byte `end` of `text` is a question: it ends with ？/?, or its
/// last word before the end is 吗/么/嘛 (speech recognisers often drop the question mark).
fn in_question(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let stop = rest
        .char_indices()
        .find(|&(_, c)| matches!(c, '。' | '！' | '!' | '？' | '?' | '；' | ';' | '\n' | '.'));
    let (sentence, terminator) = match stop {
        Some((i, c)) => (&rest[..i], Some(c)),
        None => (rest, None),
    };
    if matches!(terminator, Some('？' | '?')) {
        return true;
    }
    let tail = sentence.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '，' | ',' | '~' | '～'));
    tail.ends_with(['吗', '么', '嘛'])
}

/// True when an opening quotation mark before byte `start` of `text` is still open.
fn in_quotes(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let mut depth: i32 = 0;
    let mut straight = 0;
    for c in before.chars() {
        match c {
            '「' | '『' | '“' | '‘' | '《' => depth += 1,
            '」' | '』' | '”' | '’' | '》' => depth = (depth - 1).max(0),
            '"' => straight += 1,
            _ => {}
        }
    }
    depth > 0 || straight % 2 == 1
}

/// True when the hit's words appear in one of the other side's last turns before it: the agent
/// repeating the customer ("您说不知道？") is not the agent's own wording.
fn repeats_other_side(ctx: &EvalCtx<'_>, hit: &Hit) -> bool {
    let turns = &ctx.transcript.turns;
    let index = hit.turn as usize;
    let Some(turn) = turns.get(index) else {
        return false;
    };
    let words = normalize(
        &Profile::default(),
        turn.text.get(hit.start as usize..hit.end as usize).unwrap_or(""),
    );
    if words.is_empty() {
        return false;
    }
    let mut others = turns[..index]
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, t): &(usize, &Turn)| t.speaker.role != turn.speaker.role)
        .take(QUOTE_REACH);
    others.any(|(i, _)| ctx.turns.folded(ctx.transcript, i).contains(&words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_end_with_a_question_mark_or_particle() {
        let text = "是不是一定没问题？我保证。";
        assert!(in_question(text, "是不是一定没问题".len()));
        assert!(!in_question(text, text.len() - "。".len()));
        assert!(in_question("您不清楚怎么操作吗", "您不清楚".len()));
        assert!(in_question("do you know how?", 2));
        assert!(!in_question("i don't know", 12));
    }

    #[test]
    fn negations_stop_at_a_clause_break() {
        assert!(breaks_clause("用，"));
        assert!(breaks_clause(", "));
        assert!(!breaks_clause("是要"));
        assert!(!breaks_clause(" really "));
    }

    #[test]
    fn quotes_are_open_or_closed() {
        let text = "您说“不知道”，我不知道";
        let first = text.find("不知道").unwrap();
        assert!(in_quotes(text, first));
        assert!(!in_quotes(text, text.rfind("不知道").unwrap()));
        assert!(in_quotes("he said \"no idea\"", 9));
    }
}
