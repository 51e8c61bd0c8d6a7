//! `[[pii]]`: the speaker must not read out a full payment card number, resident ID number or
//! other protected value (G33).
//!
//! Values are found the way read-back rules find them (see [`super::readback`]): in text folded
//! for values (full-width digits, case, script), as digit strings written, in Chinese numerals
//! or spoken ("four one one one…", "double one"), with grouping separators. A payment card is
//! 13 to 19 digits that pass the Luhn check and start like a card network's numbers (2 to 6);
//! a mainland China resident ID is 17 digits and a check character (a digit or `X`) that pass
//! ISO 7064 MOD 11-2, with a valid birth date. Other values come from `patterns`.
//!
//! A finding never carries the value itself, with or without `--redact`: its `matched` text and
//! note show the masked value (`************1111`), and [`mask_excerpts`] masks the value in
//! the source line every finding on that line quotes.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use toml::Spanned;
use unicode_width::UnicodeWidthChar as _;

use super::readback::digit_strings::{digit_runs, may_hold_run};
use super::readback::reads;
use super::readback::values::VALUE_PROFILE;
use super::{CompileCtx, EvalCtx, Kind, KindDoc, Outcome, Speakers, Window, quote_list};
use crate::finding::Finding;
use crate::matcher::Hit;
use crate::normalize::{NormText, normalize_into};
use crate::rules::schema::{SpeakerToml, rule_toml};
use crate::transcript::{Position, Role};

/// The kind's name, as findings carry it.
pub const KIND: &str = "pii";

rule_toml! {
    /// `[[pii]]` table.
    pub struct PiiToml {
        /// Whose turns are searched (default agent).
        #[serde(default)]
        pub speaker: SpeakerToml,
        /// Built-in detectors (default both): `card`, `cn-id`.
        #[serde(default)]
        pub detect: Option<Spanned<Vec<Spanned<DetectToml>>>>,
        /// Other protected values: regexes on the folded text; the value is group 1, else the
        /// whole match.
        #[serde(default)]
        pub patterns: Vec<Spanned<String>>,
        /// Characters left visible at the end of the masked value (default 4).
        #[serde(default)]
        pub keep_last: Option<Spanned<i64>>,
        /// Suggested wording.
        #[serde(default)]
        pub suggest: Option<String>,
    }
}

/// `detect = ["card", "cn-id"]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectToml {
    /// Payment card numbers.
    Card,
    /// Mainland China resident ID numbers.
    CnId,
}

/// A compiled `[[pii]]` rule.
#[derive(Debug)]
pub struct Pii {
    speakers: Speakers,
    card: bool,
    cn_id: bool,
    patterns: Vec<Regex>,
    pattern_texts: Vec<String>,
    keep_last: usize,
    suggest: Option<String>,
    /// [`Pii::reader_key`], made once: the rule's detections are kept under it.
    reader_key: &'static str,
}

/// Default and largest `keep_last`: payment standards (PCI DSS) allow showing the last four.
const MAX_KEEP: i64 = 4;

/// The character that hides a masked value's characters.
const MASK: char = '*';

/// The mask for a wide (CJK) character in a quoted line: a full-width asterisk.
const WIDE_MASK: char = '＊';

impl Kind for Pii {
    type Toml = PiiToml;

    const DOC: KindDoc = KindDoc {
        name: KIND,
        summary: "The speaker must not read out a full card number, ID number or other protected value.",
        what: "Reports every place in the speaker's turns (default agent) where a whole protected \
               value is said or written: payment card numbers (`card`: 13 to 19 digits that pass \
               the Luhn check), mainland China resident ID numbers (`cn-id`: 18 characters with \
               the ISO 7064 check character and a valid birth date) and whatever `patterns` \
               capture (group 1, or the whole match). Digits count written, full-width, in \
               Chinese numerals or spoken (\"four one one one\", \"幺\", \"double one\"), with \
               spaces or dashes between groups. A finding shows the value masked to its last \
               `keep_last` characters (default 4) and never the value itself, even without \
               `--redact`; the source line it quotes is masked too. Saying only the last digits \
               (\"ending in 1111\", \"尾号1111\") is fine. Not applicable when the speaker has no turns.",
        why: "Customer data is not to be handed out (G33): an agent who reads a full card or ID \
              number back to the caller may be overheard, recorded in call notes, or talking to \
              an impostor, and card schemes forbid it outright.",
        example: "[[pii]]\nid = \"full-card-number\"\ndetect = [\"card\", \"cn-id\"]\nkeep_last = 4\nsuggest = \"只核对尾号：“尾号1111，对吗？”\"\nseverity = \"error\"\nexamples.pass = [\"您尾号1111的卡已经挂失了。\"]\nexamples.fail = [\"您的卡号是4111 1111 1111 1111，对吗？\"]",
    };

    fn compile(toml: &PiiToml, ctx: &mut CompileCtx<'_>) -> Option<Self> {
        let mut ok = true;
        let (card, cn_id) = match &toml.detect {
            None => (true, true),
            Some(list) => {
                let has = |d: DetectToml| list.get_ref().iter().any(|x| *x.get_ref() == d);
                (has(DetectToml::Card), has(DetectToml::CnId))
            }
        };
        let mut patterns = Vec::new();
        for pattern in &toml.patterns {
            match compile_pattern(pattern.get_ref()) {
                Ok(regex) => patterns.push(regex),
                Err((message, hint)) => {
                    let d = ctx
                        .error(pattern.span(), message)
                        .expected("a Rust regex (https://docs.rs/regex/#syntax); the value is group 1, or the whole match")
                        .hint(hint);
                    ctx.report(d);
                    ok = false;
                }
            }
        }
        if !card && !cn_id && toml.patterns.is_empty() {
            let span = toml.detect.as_ref().map_or(toml.id.span(), Spanned::span);
            let d = ctx
                .error(span, "a [[pii]] rule with nothing to detect")
                .expected("detect = [\"card\", \"cn-id\"] (the default), or `patterns`")
                .hint("leave `detect` out to look for card and ID numbers");
            ctx.report(d);
            ok = false;
        }
        let keep_last = match &toml.keep_last {
            None => MAX_KEEP as usize,
            Some(k) if (0..=MAX_KEEP).contains(k.get_ref()) => *k.get_ref() as usize,
            Some(k) => {
                let d = ctx
                    .error(k.span(), format!("`keep_last` = {} is out of range", k.get_ref()))
                    .expected(format!("a whole number from 0 to {MAX_KEEP}"))
                    .hint("card schemes allow showing at most the last four digits");
                ctx.report(d);
                ok = false;
                0
            }
        };
        let pattern_texts: Vec<String> = toml.patterns.iter().map(|p| p.get_ref().clone()).collect();
        ok.then(|| Pii {
            speakers: toml.speaker.into(),
            card,
            cn_id,
            patterns,
            reader_key: crate::finding::intern(&format!("{card} {cn_id} {pattern_texts:?}")),
            pattern_texts,
            keep_last,
            suggest: toml.suggest.clone(),
        })
    }

    fn evaluate(&self, ctx: &EvalCtx<'_>, findings: &mut Vec<Finding>) -> Outcome {
        let selection = match ctx.select(Window::Whole, self.speakers) {
            Ok(s) => s,
            Err(reason) => return ctx.not_applicable(|| reason.into_message()),
        };
        let mut norm = NormText::new();
        // `--redact` masks what pii rules find in any turn: it takes what this rule found in
        // these turns (`reads::detections`) instead of looking again.
        let keep = reads::wanted();
        for &index in selection.turns.iter() {
            let text = &ctx.transcript.turns[index].text;
            let found = self.find(text, ctx.turns.hint(ctx.transcript, index).digits, &mut norm);
            if keep {
                reads::keep_detections(self.reader_key, index, found.iter().map(|f| f.range.clone()));
            }
            for found in found {
                let hit = Hit {
                    rule: 0,
                    turn: index as u32,
                    start: found.range.start as u32,
                    end: found.range.end as u32,
                    slot: 0,
                };
                let speaker = ctx.transcript.turns[index].speaker.role;
                let mut finding =
                    ctx.finding_at_hit(&hit, || format!("the {speaker} read out a full {}", found.what));
                finding.matched = Some(found.masked.clone());
                finding.note = Some(format!("{}: {}", found.what, found.masked));
                finding.suggestion = self.suggest.clone();
                findings.push(finding);
            }
        }
        Outcome::Applicable
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let mut detect = Vec::new();
        if self.card {
            detect.push("card (payment card numbers)".to_string());
        }
        if self.cn_id {
            detect.push("cn-id (mainland China resident ID numbers)".to_string());
        }
        let mut out = vec![("speaker", self.speakers.as_str().to_string())];
        if !detect.is_empty() {
            out.push(("detect", detect.join(", ")));
        }
        if !self.pattern_texts.is_empty() {
            out.push(("patterns", quote_list(&self.pattern_texts, usize::MAX)));
        }
        out.push((
            "keep_last",
            format!("{} (characters shown of a masked value)", self.keep_last),
        ));
        if let Some(s) = &self.suggest {
            out.push(("suggest", s.clone()));
        }
        out
    }

    fn example_role(&self) -> Role {
        self.speakers.example_role()
    }
}

/// A protected value in a turn.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    /// Byte range in the turn's text.
    range: std::ops::Range<usize>,
    /// What it is: "payment card number".
    what: &'static str,
    /// The value with all but its last `keep_last` characters masked.
    masked: String,
}

impl Pii {
    /// What decides [`Pii::ranges`]: two rules with the same key find the same values (their
    /// speakers, messages and suggestions may differ).
    pub fn reader_key(&self) -> &'static str {
        self.reader_key
    }

    /// Where the rule's protected values are, in byte ranges of `source`: `--redact` masks
    /// whatever a pii rule finds, in every text of a report. `digits` is the text's digit bound
    /// ([`TextHint::digits`]).
    ///
    /// [`TextHint::digits`]: super::readback::hint::TextHint::digits
    pub fn ranges(&self, source: &str, digits: u32, norm: &mut NormText) -> Vec<std::ops::Range<usize>> {
        self.find(source, digits, norm)
            .into_iter()
            .map(|f| f.range)
            .collect()
    }

    /// Every protected value in one turn's text, in text order, none overlapping.
    /// `digits` is the text's digit bound ([`TextHint::digits`]).
    ///
    /// [`TextHint::digits`]: super::readback::hint::TextHint::digits
    fn find(&self, source: &str, digits: u32, norm: &mut NormText) -> Vec<Found> {
        // A card needs 13 digits, an ID number 18.
        if self.patterns.is_empty() && digits < 13 {
            return Vec::new();
        }
        normalize_into(&VALUE_PROFILE, source, norm);
        let text = norm.as_str();
        let mut found: Vec<(std::ops::Range<usize>, &'static str, String)> = Vec::new();
        // Neither fits in a text whose every digit string is shorter (most turns, even with
        // 13 digits in all: times, prices, numerals in words).
        if (self.card || self.cn_id) && may_hold_run(text, 13, false) {
            for run in digit_runs(text) {
                let Some(mut digits) = run.digits.iter().copied().collect::<Option<Vec<u8>>>() else {
                    continue;
                };
                let mut range = run.range.clone();
                // Glued to letters ("SF1234…", "ab123…"): an order or tracking number.
                let glued = text[..range.start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphabetic());
                if glued {
                    continue;
                }
                if self.card && is_card(&digits) {
                    found.push((
                        range,
                        "payment card number",
                        mask_digits(&digits, None, self.keep_last),
                    ));
                    continue;
                }
                if !self.cn_id {
                    continue;
                }
                // The check character X follows the 17 digits (to the run it is a letter).
                let after = &text[range.end..];
                let x_at = usize::from(after.starts_with(' '));
                let check_x = digits.len() == 17
                    && after[x_at..].starts_with('x')
                    && !after[x_at + 1..].starts_with(|c: char| c.is_ascii_alphanumeric());
                if check_x {
                    range.end += x_at + 1;
                    digits.push(10);
                }
                if is_cn_id(&digits) {
                    let check = check_x.then_some('X');
                    let shown = if check_x { &digits[..17] } else { &digits[..] };
                    found.push((
                        range,
                        "resident ID number",
                        mask_digits(shown, check, self.keep_last),
                    ));
                }
            }
        }
        for pattern in &self.patterns {
            for captures in pattern.captures_iter(text) {
                let Some(value) = captures.get(1).or_else(|| captures.get(0)) else {
                    continue;
                };
                if value.as_str().trim().is_empty() {
                    continue;
                }
                found.push((
                    value.range(),
                    "protected value",
                    mask_text(value.as_str(), self.keep_last),
                ));
            }
        }
        found.sort_by_key(|(range, _, _)| (range.start, std::cmp::Reverse(range.end)));
        let mut out: Vec<Found> = Vec::new();
        let mut covered_to = 0;
        for (range, what, masked) in found {
            if range.start < covered_to && !out.is_empty() {
                continue;
            }
            covered_to = range.end;
            out.push(Found {
                range: norm.source_range(range, source),
                what,
                masked,
            });
        }
        out
    }
}

/// Compiles a `patterns` entry; `Err` holds the message and a hint.
fn compile_pattern(pattern: &str) -> Result<Regex, (String, String)> {
    let regex = RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(crate::matcher::REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| crate::matcher::regex_error(&e))?;
    if regex.is_match("") {
        return Err((
            "invalid regular expression".into(),
            "the pattern matches empty text: make the value required, e.g. \\d+ rather than \\d*".into(),
        ));
    }
    Ok(regex)
}

/// A payment card number: 13 to 19 digits, a card network's first digit (2 to 6: Mastercard,
/// Amex, JCB, Diners, Visa, Discover, UnionPay), and the Luhn check.
pub fn is_card(digits: &[u8]) -> bool {
    (13..=19).contains(&digits.len()) && (2..=6).contains(&digits[0]) && luhn(digits)
}

/// The Luhn (mod 10) check over digits, the last being the check digit.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// A mainland China resident ID number (GB 11643): a region code, a birth date `yyyymmdd`, a
/// sequence number and the ISO 7064 MOD 11-2 check character (10 stands for `X`).
pub fn is_cn_id(digits: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    if digits.len() != 18 || !(1..=9).contains(&digits[0]) || digits[..17].iter().any(|&d| d > 9) {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| digits[range].iter().fold(0u32, |n, &d| n * 10 + u32::from(d));
    let (year, month, day) = (number(6..10), number(10..12), number(12..14));
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = digits[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    u32::from(digits[17]) == (12 - sum % 11) % 11
}

/// `************1111` (and `X` as the check character of an ID number).
fn mask_digits(digits: &[u8], check: Option<char>, keep: usize) -> String {
    let mut chars: Vec<char> = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    chars.extend(check);
    let shown_from = chars.len().saturating_sub(keep);
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < shown_from { MASK } else { c })
        .collect()
}

/// A pattern's value with its letters and digits masked but the last `keep`.
fn mask_text(value: &str, keep: usize) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen + keep > total { c } else { MASK }
        })
        .collect()
}

/// Masks, in the source line every finding quotes (its excerpt), the characters of each value a
/// `pii` finding of the same file covers; an excerpt whose value cannot be located exactly
/// (escaped text in JSON) is dropped. Called by the pipeline once excerpts are attached.
pub fn mask_excerpts(findings: &mut [Finding]) {
    let spans: Vec<(Position, Position)> = findings
        .iter()
        .filter(|f| f.kind == KIND)
        .map(|f| (f.start, f.end))
        .collect();
    if spans.is_empty() {
        return;
    }
    for finding in findings.iter_mut() {
        let line = finding.start.line;
        let Some(excerpt) = &finding.excerpt else {
            continue;
        };
        let mut masked: Vec<char> = excerpt.chars().collect();
        let mut located = true;
        for (start, end) in spans.iter().filter(|(s, e)| s.line <= line && line <= e.line) {
            if start == end {
                located = false;
                break;
            }
            let from = if line == start.line { start.column } else { 1 };
            let to = if line == end.line { end.column } else { u32::MAX };
            for (i, c) in masked.iter_mut().enumerate() {
                let column = i as u32 + 1;
                if (from..to).contains(&column) && c.is_alphanumeric() {
                    // As wide as what it hides, so carets under the line stay aligned.
                    *c = if c.width() == Some(2) { WIDE_MASK } else { MASK };
                }
            }
        }
        finding.excerpt = located.then(|| masked.into_iter().collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::matcher::Scratch;
    use crate::rulebook::RuleSet;
    use crate::transcript::{ParseOptions, plain};

    const VISA: &str = "4111 1111 1111 1111";
    /// Valid resident ID numbers: the standard's own example (check character X) and one whose
    /// check character is a digit.
    const ID: &str = "11010519491231002X";
    const ID_DIGITS: &str = "440308199001011239";

    fn rule(extra: &str) -> Engine {
        let text = format!("[rulebook]\nid = \"t\"\n[[pii]]\nid = \"p\"\n{extra}\n");
        let (rules, _) = RuleSet::from_text("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        Engine::new(rules)
    }

    fn findings(engine: &Engine, transcript: &str) -> Vec<Finding> {
        let t = plain::parse(transcript, &ParseOptions::default()).unwrap();
        engine.check(&t, &mut Scratch::default()).findings
    }

    #[test]
    fn luhn_and_card_prefixes() {
        let digits =
            |s: &str| -> Vec<u8> { s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect() };
        assert!(is_card(&digits(VISA)));
        assert!(is_card(&digits("5500 0000 0000 0004")));
        assert!(is_card(&digits("3782 822463 10005")), "Amex, 15 digits");
        assert!(!is_card(&digits("4111 1111 1111 1112")), "Luhn fails");
        assert!(
            !is_card(&digits("1111 1111 1111 1117")),
            "no card network starts with 1"
        );
        assert!(!is_card(&digits("4111 1111 1111")), "too short");
    }

    #[test]
    fn resident_id_check_character_and_birth_date() {
        let digits = |s: &str| -> Vec<u8> {
            s.chars()
                .map(|c| {
                    if c == 'X' {
                        10
                    } else {
                        c.to_digit(10).unwrap() as u8
                    }
                })
                .collect()
        };
        assert!(is_cn_id(&digits(ID)));
        assert!(is_cn_id(&digits(ID_DIGITS)));
        assert!(!is_cn_id(&digits("440308199001011238")), "wrong check digit");
        assert!(!is_cn_id(&digits("440308199013011239")), "month 13");
        assert!(!is_cn_id(&digits("44030819900101123")), "17 digits");
    }

    #[test]
    fn written_spoken_and_chinese_card_numbers_are_found_and_masked() {
        let engine = rule("");
        for said in [
            format!("Agent: your card {VISA}, right?"),
            "Agent: that's four one one one one one one one one one one one one one one one.".to_string(),
            "客服：您的卡号是四幺幺幺 幺幺幺幺 幺幺幺幺 幺幺幺幺，对吗？".to_string(),
            "客服：卡号４１１１－１１１１－１１１１－１１１１。".to_string(),
        ] {
            let f = findings(&engine, &said);
            assert_eq!(f.len(), 1, "{said}: {f:?}");
            assert_eq!(f[0].matched.as_deref(), Some("************1111"), "{said}");
            assert_eq!(
                f[0].note.as_deref(),
                Some("payment card number: ************1111")
            );
            assert!(
                !format!("{:?}", f[0]).contains("1111 1111 1111"),
                "{said}: {:?}",
                f[0]
            );
        }
    }

    #[test]
    fn resident_ids_with_x_and_custom_patterns() {
        let engine = rule("patterns = ['passport\\s*(?:no\\.?|number)?\\s*([a-z]\\d{8})']\nkeep_last = 2");
        let f = findings(&engine, &format!("客服：您的身份证号是{ID}，对吗？"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].matched.as_deref(), Some("****************2X"));
        assert_eq!(
            (f[0].start.column, f[0].end.column),
            (11, 29),
            "the X is part of the value"
        );
        assert_eq!(
            f[0].note.as_deref(),
            Some("resident ID number: ****************2X")
        );
        let f = findings(&engine, &format!("Agent: ID {ID_DIGITS}."));
        assert_eq!(f[0].matched.as_deref(), Some("****************39"));
        let f = findings(&engine, "Agent: passport number E12345678 is on file.");
        assert_eq!(f[0].matched.as_deref(), Some("*******78"));
        assert_eq!(f[0].note.as_deref(), Some("protected value: *******78"));
    }

    #[test]
    fn last_digits_order_numbers_and_the_customer_are_fine() {
        let engine = rule("");
        for fine in [
            "客服：您尾号1111的卡已经挂失了。",
            "Agent: the card ending in 1111 is blocked.",
            "Agent: tracking number SF4111111111111111.",
            "Customer: my card is 4111 1111 1111 1111.",
            "Agent: order 1234 5678 9012 3456.",
        ] {
            assert!(findings(&engine, fine).is_empty(), "{fine}");
        }
    }

    #[test]
    fn bad_settings_are_located_errors() {
        let e = RuleSet::from_text(
            "t.toml",
            "[rulebook]\nid = \"t\"\n[[pii]]\nid = \"p\"\ndetect = []\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.toml:5:10: [[pii]] \"p\" › detect: a [[pii]] rule with nothing to detect"),
            "{e}"
        );
        let e = RuleSet::from_text(
            "t.toml",
            "[rulebook]\nid = \"t\"\n[[pii]]\nid = \"p\"\nkeep_last = 9\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("`keep_last` = 9 is out of range"), "{e}");
        let e = RuleSet::from_text(
            "t.toml",
            "[rulebook]\nid = \"t\"\n[[pii]]\nid = \"p\"\ndetect = [\"ssn\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.toml:5:11: [[pii]] \"p\" › detect: invalid value `ssn`"),
            "{e}"
        );
        assert!(e.contains("expected: one of `card`, `cn-id`"), "{e}");
        let e = RuleSet::from_text(
            "t.toml",
            "[rulebook]\nid = \"t\"\n[[pii]]\nid = \"p\"\npatterns = ['\\d*']\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("matches empty text"), "{e}");
    }

    #[test]
    fn excerpts_are_masked_for_every_finding_on_the_line() {
        let engine = rule("");
        let t = plain::parse(&format!("Agent: card {VISA} ok\n"), &ParseOptions::default()).unwrap();
        let mut f = engine.check(&t, &mut Scratch::default()).findings;
        let line = format!("Agent: card {VISA} ok");
        let mut other = f[0].clone();
        other.kind = "forbidden";
        other.start.column = 1;
        f.push(other);
        for finding in &mut f {
            finding.excerpt = Some(line.clone());
        }
        mask_excerpts(&mut f);
        for finding in &f {
            assert_eq!(
                finding.excerpt.as_deref(),
                Some("Agent: card **** **** **** **** ok")
            );
        }
        // A value whose position is only its string's start (JSON) cannot be masked: no excerpt.
        f[0].end = f[0].start;
        f[1].excerpt = Some(line.clone());
        mask_excerpts(&mut f);
        assert_eq!(f[1].excerpt, None);
    }
}
