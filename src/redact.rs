//! `--redact`: mask personal data in everything callcheck writes.
//!
//! Numbers long enough to identify someone — phone, card, ID, account and order numbers, written
//! with digits (`138-0013-8000`, `4111 1111 1111 1111`, `SD20261119886`, `11010519491231002X`),
//! in Chinese numerals (`一三八零零一三八零零零`) or spoken in English ("one three eight …") — keep
//! only their last four digits; e-mail addresses keep the first character and the domain.
//!
//! Redaction happens once, on each result before any reporter or the baseline sees it (see
//! [`redact_result`]), so every output format, excerpt and error message is covered by the same
//! code. Call metadata (call id, agent, team, date) is left as it is: reports group by it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{FileResult, Finding};

/// Fewest digits in a number that is masked: shorter ones (times, prices, counts) are not
/// personal data.
const MIN_DIGITS: usize = 6;

/// Digits kept at the end of a masked number, so people can still tell numbers apart.
const KEEP: usize = 4;

/// The mask character.
const MASK: char = '*';

/// A written number: digits, optionally led by letters (`SD2026…`) and ending in `X` (Chinese
/// ID numbers), with single separators (space, `-`, `.`, `/`) between digit groups.
static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[0-9０-９](?:[ \-./]?[0-9０-９])+[Xx]?)").unwrap_or_else(|e| unreachable!("{e}"))
});

/// Chinese numerals read digit by digit.
static CHINESE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[零〇一二三四五六七八九幺两]{6,}").unwrap_or_else(|e| unreachable!("{e}")));

/// English digit words, optionally "double"/"triple", separated by spaces, commas or hyphens.
static SPOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:double|triple)[ -]+)?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)(?:[ ,\-]+(?:(?:double|triple)[ -]+)?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine))+\b",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// E-mail addresses.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Masks personal data in a text; borrows when there is nothing to mask.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for (pattern, mask) in [
        (&*EMAIL, mask_email as fn(&str) -> Option<String>),
        (&*WRITTEN, mask_written),
        (&*CHINESE, mask_units),
        (&*SPOKEN, mask_spoken),
    ] {
        if !pattern.is_match(&out) {
            continue;
        }
        let replaced = pattern.replace_all(&out, |caps: &regex::Captures<'_>| {
            let found = &caps[0];
            mask(found).unwrap_or_else(|| found.to_string())
        });
        if let Cow::Owned(s) = replaced {
            out = Cow::Owned(s);
        }
    }
    out
}

/// `jane.doe@example.com` → `j*******@example.com`.
fn mask_email(email: &str) -> Option<String> {
    let (local, domain) = email.split_once('@')?;
    let mut chars = local.chars();
    let first = chars.next()?;
    Some(format!(
        "{first}{}@{domain}",
        MASK.to_string().repeat(chars.count())
    ))
}

/// Dates (`2026-11-22`, `2026/11/22`, `2026.11.22`) are not personal numbers.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$").unwrap_or_else(|e| unreachable!("{e}")));

/// Masks all but the last [`KEEP`] digits of a written number, keeping separators.
fn mask_written(number: &str) -> Option<String> {
    let digits = number.chars().filter(|c| c.is_numeric()).count();
    if digits < MIN_DIGITS || DATE.is_match(number) {
        return None;
    }
    let mut to_mask = digits - KEEP;
    Some(
        number
            .chars()
            .map(|c| {
                if c.is_numeric() && to_mask > 0 {
                    to_mask -= 1;
                    MASK
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Masks all but the last [`KEEP`] characters of a run where each character is a digit.
fn mask_units(run: &str) -> Option<String> {
    let count = run.chars().count();
    Some(
        run.chars()
            .enumerate()
            .map(|(i, c)| if i + KEEP < count { MASK } else { c })
            .collect(),
    )
}

/// Masks all but the last [`KEEP`] digit words of a spoken number ("double" and "triple" count
/// for two and three digits).
fn mask_spoken(spoken: &str) -> Option<String> {
    let words: Vec<&str> = spoken.split([' ', ',', '-']).filter(|w| !w.is_empty()).collect();
    let digits: usize = words
        .iter()
        .map(|w| match w.to_ascii_lowercase().as_str() {
            "double" => 1,
            "triple" => 2,
            _ => 1,
        })
        .sum();
    if digits < MIN_DIGITS {
        return None;
    }
    // Keep the last KEEP words as they are; mask the rest word by word.
    let keep_from = words.len().saturating_sub(KEEP);
    let mut masked: Vec<String> = words[..keep_from]
        .iter()
        .map(|w| MASK.to_string().repeat(w.chars().count()))
        .collect();
    masked.extend(words[keep_from..].iter().map(|w| (*w).to_string()));
    Some(masked.join(" "))
}

/// Masks every text of one result: messages, notes, matched text, suggestions, excerpts and
/// error messages.
pub fn redact_result(result: &mut FileResult) {
    match result {
        FileResult::Checked(report) => report.findings.iter_mut().for_each(redact_finding),
        FileResult::Failed(failure) => {
            if let Cow::Owned(s) = redact(&failure.error) {
                failure.error = s;
            }
        }
    }
}

fn redact_finding(finding: &mut Finding) {
    let apply = |text: &mut String| {
        if let Cow::Owned(s) = redact(text) {
            *text = s;
        }
    };
    apply(&mut finding.message);
    for text in [
        &mut finding.note,
        &mut finding.matched,
        &mut finding.suggestion,
        &mut finding.excerpt,
    ]
    .into_iter()
    .flatten()
    {
        apply(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_numbers_keep_their_last_four_digits() {
        assert_eq!(redact("我的手机号是13800138000。"), "我的手机号是*******8000。");
        assert_eq!(redact("call 138-0013-8000 now"), "call ***-****-8000 now");
        assert_eq!(redact("card 4111 1111 1111 1111"), "card **** **** **** 1111");
        assert_eq!(redact("order SD20261119886"), "order SD*******9886");
        assert_eq!(redact("ID 11010519491231002X"), "ID *************1002X");
        assert_eq!(redact("全角１３８００１３８０００"), "全角*******８０００");
    }

    #[test]
    fn short_numbers_are_not_personal_data() {
        for text in ["at 10:30", "$135.50", "2026-11-22", "room 12345", "3 days"] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn chinese_and_spoken_digits() {
        assert_eq!(redact("一三八零零一三八零零零"), "*******八零零零");
        assert_eq!(
            redact("it's one three eight double oh one three eight"),
            "it's *** ***** ***** ****** oh one three eight"
        );
        assert_eq!(redact("one two three"), "one two three");
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            redact("write to jane.doe@example.com today"),
            "write to j*******@example.com today"
        );
    }

    #[test]
    fn nothing_to_mask_borrows() {
        assert!(matches!(redact("您好，这里是顺达快递"), Cow::Borrowed(_)));
    }

    #[test]
    fn results_are_masked_everywhere() {
        use crate::finding::{FileError, FileReport, Severity};
        use crate::transcript::Position;
        let finding = Finding {
            rule: "r/x".into(),
            kind: "readback",
            severity: Severity::Warning,
            message: "read back 13800138001".into(),
            note: Some("customer said 13800138000".into()),
            start: Position::default(),
            end: Position::default(),
            turn: None,
            speaker: None,
            time: None,
            matched: Some("13800138001".into()),
            suggestion: None,
            excerpt: Some("客服：13800138001，对吗？".into()),
        };
        let mut result = FileResult::Checked(FileReport {
            findings: vec![finding],
            ..FileReport::default()
        });
        redact_result(&mut result);
        let FileResult::Checked(report) = &result else {
            unreachable!()
        };
        let f = &report.findings[0];
        let all = format!("{} {:?} {:?} {:?}", f.message, f.note, f.matched, f.excerpt);
        assert!(!all.contains("138001380"), "{all}");
        let mut failed = FileResult::Failed(FileError {
            path: "a.txt".into(),
            error: "line 2: expected a label, found `13800138000`".into(),
        });
        redact_result(&mut failed);
        assert_eq!(failed.path(), "a.txt");
        let FileResult::Failed(e) = failed else {
            unreachable!()
        };
        assert!(e.error.ends_with("`*******8000`"), "{}", e.error);
    }
}
