//! Text normalisation with an offset map back to the original text.
//!
//! Turn text and rule phrases go through the same [`Profile`], so a phrase matches whatever
//! the folds make equal: full-width and half-width forms (NFKC), upper and lower case,
//! Traditional and Simplified Chinese, punctuation and runs of whitespace.
//!
//! Every byte of the normalised text remembers the byte offset of the source unit (a character
//! plus any combining marks) that produced it, so a match on normalised text maps back to the
//! exact characters of the original. The map is monotonic: later normalised bytes never point
//! before earlier ones.
//!
//! Punctuation handling, when `ignore_punctuation` is on:
//! - punctuation (Unicode category P, plus a few decorative symbols such as `~`) is dropped;
//!   `%`, `@`, `&` and `#` are kept because they change meaning ("100%" is not "100");
//! - dropped punctuation between two Latin letters or digits separates words ("yes,no" becomes
//!   "yes no") unless it is a joiner: apostrophes and hyphens inside words ("don't", "e-mail"),
//!   a full stop anywhere ("e.g.", "acme.com"), and `,` or `:` between digits ("1,000", "10:30");
//! - a whitespace run counts as one space, and is dropped next to a CJK character, because
//!   speech recognisers split Chinese arbitrarily ("您好 这里是" == "您好这里是").

use std::ops::Range;
use std::sync::OnceLock;

mod runs;
mod units;

use runs::{Next, decode_three, next_three, plain_run_end, same_three_run_end, starts_three};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
#[cfg(test)]
use units::is_wide_punctuation;
pub use units::text_units;
pub(crate) use units::{WideClass, wide_class};

/// Which folds apply; one per rulebook (`[normalize]`), all on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Profile {
    /// Fold compatibility forms with NFKC (full-width `ＡＢＣ１２３` == `ABC123`).
    pub fold_width: bool,
    /// Fold upper case to lower case.
    pub fold_case: bool,
    /// Fold Traditional Chinese characters to Simplified.
    pub fold_script: bool,
    /// Drop punctuation and whitespace next to CJK characters.
    pub ignore_punctuation: bool,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            fold_width: true,
            fold_case: true,
            fold_script: true,
            ignore_punctuation: true,
        }
    }
}

impl Profile {
    /// True when normalisation changes nothing but whitespace runs.
    pub fn is_identity(&self) -> bool {
        !(self.fold_width || self.fold_case || self.fold_script || self.ignore_punctuation)
    }
}

/// Normalised text plus, for each of its bytes, the source byte offset that produced it.
#[derive(Debug, Default, Clone)]
pub struct NormText {
    text: String,
    map: Vec<u32>,
}

impl NormText {
    /// An empty buffer, to be reused across calls to [`normalize_into`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Source byte offset of the unit that produced normalised byte `at`.
    pub fn source_offset(&self, at: usize) -> usize {
        self.map[at] as usize
    }

    /// Maps a range of the normalised text back to the source range it came from.
    ///
    /// The end is the end of the source unit that produced the last normalised byte, so the
    /// source range covers whole characters (and their combining marks).
    pub fn source_range(&self, range: Range<usize>, source: &str) -> Range<usize> {
        if range.is_empty() {
            let at = self.map.get(range.start).map_or(source.len(), |&m| m as usize);
            return at..at;
        }
        let start = self.map[range.start] as usize;
        let last = self.map[range.end - 1] as usize;
        start..unit_end(source, last)
    }

    fn clear(&mut self) {
        self.text.clear();
        self.map.clear();
    }

    // Called for every output character: inlined, so each write is a capacity check and a store.
    #[inline(always)]
    fn push(&mut self, c: char, source_at: usize) {
        let source_at = u32::try_from(source_at).unwrap_or(u32::MAX);
        self.text.push(c);
        match c.len_utf8() {
            1 => self.map.push(source_at),
            3 => self.map.extend_from_slice(&[source_at; 3]),
            len => self.map.resize(self.map.len() + len, source_at),
        }
    }
}

/// End of the source unit starting at `at`: the character plus following combining marks.
fn unit_end(source: &str, at: usize) -> usize {
    // Most units start with neither bracket: no placeholder to look for.
    if matches!(source.as_bytes().get(at), Some(b'[' | b'<'))
        && let Some(len) = placeholder_len(&source[at..])
    {
        return at + len;
    }
    let mut chars = source[at..].char_indices();
    let Some((_, first)) = chars.next() else {
        return at;
    };
    let mut end = at + first.len_utf8();
    for (i, c) in chars {
        if canonical_combining_class(c) == 0 {
            break;
        }
        end = at + i + c.len_utf8();
    }
    end
}

/// Normalises `source` into `out` (cleared first), recording the offset map.
///
/// Each character is looked up in a per-profile table that holds its folded form and class;
/// only characters whose fold is more than one character, characters outside the Basic
/// Multilingual Plane and combining sequences take the slower general path. ASCII characters
/// not followed by a combining mark (most of English text, digits and punctuation in any
/// language) are read byte by byte without decoding, and three-byte characters (Chinese) are
/// decoded in place. Runs the fold only copies — ASCII words with single spaces between them,
/// or Chinese characters already in their folded form — are written out at once.
pub fn normalize_into(profile: &Profile, source: &str, out: &mut NormText) {
    out.clear();
    out.text.reserve(source.len());
    out.map.reserve(source.len());
    let table = CharTable::for_profile(profile);
    let ascii = table.page(0);
    let plain = table.plain_ascii();
    let mut state = Emitter {
        out,
        ignore_punctuation: profile.ignore_punctuation,
        pending_space: None,
        pending_break: None,
        last: None,
    };
    let bytes = source.as_bytes();
    let mut folded: Vec<char> = Vec::new();
    // The character after the last unit, already looked up while gathering combining marks.
    let mut peeked: Option<(usize, char, Entry)> = None;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            // A dataset placeholder ([数字x], <PHONE>) stands for one unknown value: for
            // matching it becomes one placeholder character, which no phrase contains and no
            // match may cross. Profiles that keep punctuation (value extraction) see the
            // brackets and read the name.
            if profile.ignore_punctuation
                && (b == b'[' || b == b'<')
                && let Some(len) = placeholder_len(&source[at..])
            {
                state.feed(Entry::new(PLACEHOLDER, Kind::Emit), at);
                at += len;
                continue;
            }
            // Runs of letters and digits the fold writes as ASCII letters and digits, single
            // spaces between them (most of English text): copied at once, in lower case when
            // the case is folded.
            if state.pending_space.is_none() && state.pending_break.is_none() && plain[usize::from(b)] {
                let end = plain_run_end(bytes, at, plain);
                if end > at {
                    let written = state.out.text.len();
                    state.out.text.push_str(&source[at..end]);
                    if profile.fold_case {
                        state.out.text[written..].make_ascii_lowercase();
                    }
                    match (u32::try_from(at), u32::try_from(end)) {
                        (Ok(from), Ok(to)) => state.out.map.extend(from..to),
                        // Past 4 GiB offsets saturate, as `NormText::push` writes them.
                        _ => state
                            .out
                            .map
                            .extend((at..end).map(|offset| u32::try_from(offset).unwrap_or(u32::MAX))),
                    }
                    state.last = Some(Entry(ascii[usize::from(bytes[end - 1])]));
                    at = end;
                    continue;
                }
            }
            // No combining mark follows: the table entry is the whole story (an ASCII
            // character is never Slow or Combining).
            if bytes.get(at + 1).is_none_or(u8::is_ascii) {
                let entry = Entry(ascii[usize::from(b)]);
                if entry.kind() == Kind::Emit
                    && state.pending_space.is_none()
                    && state.pending_break.is_none()
                {
                    // What `feed` does for a written character with nothing pending.
                    state.out.push(entry.char(), at);
                    state.last = Some(entry);
                } else {
                    state.feed(entry, at);
                }
                at += 1;
                continue;
            }
        }
        // Runs of three-byte characters the fold writes as they are, with no combining mark
        // after the last (most of Chinese text): copied at once, but for a first character
        // that settles a pending space or break.
        if starts_three(b) {
            let code = decode_three(&bytes[at..]);
            let entry = table.entry_bmp(code);
            let (end, last) = same_three_run_end(&table, bytes, at, (code, entry));
            if let Some(last) = last {
                let mut from = at;
                if state.pending_space.is_some() || state.pending_break.is_some() {
                    state.feed(entry, at);
                    from += 3;
                }
                state.out.text.push_str(&source[from..end]);
                for offset in (from..end).step_by(3) {
                    let offset = u32::try_from(offset).unwrap_or(u32::MAX);
                    state.out.map.extend_from_slice(&[offset; 3]);
                }
                state.last = Some(last);
                at = end;
                continue;
            }
            // One character the table settles on its own, such as punctuation or a Traditional
            // character.
            if entry.kind() != Kind::Slow
                && entry.kind() != Kind::Combining
                && !matches!(next_three(&table, bytes, at + 3), Next::MayBeMark)
            {
                state.feed(entry, at);
                at += 3;
                continue;
            }
        }
        let (c, entry) = match peeked.take() {
            Some((peeked_at, c, entry)) if peeked_at == at => (c, entry),
            _ => {
                let c = source[at..].chars().next().unwrap_or_default();
                (c, table.entry(c))
            }
        };
        // Gather combining marks so NFKC can compose them with their base character.
        let mut unit_end = at + c.len_utf8();
        let mut mark_follows = false;
        while let Some(next) = source[unit_end..].chars().next() {
            let next_entry = table.entry(next);
            if next_entry.kind() != Kind::Combining {
                peeked = Some((unit_end, next, next_entry));
                break;
            }
            mark_follows = true;
            unit_end += next.len_utf8();
        }
        if !mark_follows && entry.kind() != Kind::Slow && entry.kind() != Kind::Combining {
            state.feed(entry, at);
        } else {
            folded.clear();
            fold_unit(profile, &source[at..unit_end], &mut folded);
            for &f in &folded {
                state.feed(classify(f, profile.ignore_punctuation), at);
            }
        }
        at = unit_end;
    }
}

/// The character a placeholder normalises to: the object replacement character, which reply
/// templates also use for their slots.
pub const PLACEHOLDER: char = '\u{fffc}';

/// The byte length of a dataset placeholder at the start of `text`, if there is one: a
/// bracketed Chinese category ending in `x` as in the JDDC and similar corpora (`[数字x]`,
/// `[姓名x]`, `[订单x]`), an upper-case tag in square brackets (`[ORDERID_10021]`, `[PHONE]`),
/// or one in angle brackets (`<PHONE>`, `<NAME>`, `<ORDER_ID>`).
pub fn placeholder_len(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    let (_, open) = chars.next()?;
    let close = match open {
        '[' => ']',
        '<' => '>',
        _ => return None,
    };
    let (end, _) = chars.clone().take(24).find(|&(_, c)| c == close)?;
    let inner = &text[1..end];
    let tag = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    let category = inner
        .strip_suffix('x')
        .is_some_and(|name| !name.is_empty() && name.chars().all(is_cjk));
    let ok = match open {
        '[' => category || tag(inner),
        _ => tag(inner),
    };
    (ok && inner.len() >= 2).then_some(end + close.len_utf8())
}

/// Normalises a whole string (phrases, labels); see [`normalize_into`].
pub fn normalize(profile: &Profile, source: &str) -> String {
    let mut out = NormText::new();
    normalize_into(profile, source, &mut out);
    out.text
}

/// Folds one source unit (a character and its combining marks) into `out`.
fn fold_unit(profile: &Profile, unit: &str, out: &mut Vec<char>) {
    let push_cased = |c: char, out: &mut Vec<char>| {
        if profile.fold_case {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    };
    let mut widths: Vec<char> = Vec::new();
    if profile.fold_width && is_nfkc_quick(unit.chars()) != IsNormalized::Yes {
        widths.extend(unit.nfkc());
    } else {
        widths.extend(unit.chars());
    }
    for c in widths {
        push_cased(c, out);
    }
    if profile.fold_script {
        for c in out.iter_mut() {
            *c = fold_script_char(*c);
        }
    }
}

/// Folds a Traditional Chinese character to its Simplified form (identity for others).
///
/// The fold is character-to-character and context-free, so text and phrases fold the same way
/// wherever they occur; the table comes from the `fast2s` crate.
pub fn fold_script_char(c: char) -> char {
    const FIRST: u32 = 0x3400;
    const LAST: u32 = 0xFAFF;
    let code = c as u32;
    if !(FIRST..=LAST).contains(&code) {
        return c;
    }
    let table = T2S.get_or_init(|| {
        // Separate the characters with spaces so that fast2s's two-character special cases
        // never fire: we want the plain per-character mapping.
        let mut all = String::with_capacity(((LAST - FIRST + 1) * 4) as usize);
        for code in FIRST..=LAST {
            all.push(char::from_u32(code).unwrap_or(' '));
            all.push(' ');
        }
        let converted = fast2s::convert(&all);
        let mut table: Vec<u16> = (FIRST..=LAST).map(|c| c as u16).collect();
        for (slot, c) in table.iter_mut().zip(converted.chars().step_by(2)) {
            if (c as u32) <= 0xFFFF {
                *slot = c as u16;
            }
        }
        table.into_boxed_slice()
    });
    let mapped = table[(code - FIRST) as usize] as u32;
    char::from_u32(mapped).unwrap_or(c)
}

static T2S: OnceLock<Box<[u16]>> = OnceLock::new();

/// What normalisation does with a (folded) character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Written out.
    Emit,
    /// Part of a whitespace run.
    Space,
    /// Dropped without trace (format and control characters).
    Invisible,
    /// Dropped punctuation that keeps words together (apostrophes, hyphens, full stops).
    Join,
    /// Dropped punctuation that joins digits (`,` and `:`) and otherwise separates words.
    DigitJoin,
    /// Dropped punctuation that separates words.
    Break,
    /// Folds to several characters, or lies outside the table: take the general path.
    Slow,
    /// A combining mark (or conjoining jamo): composes with the character before it.
    Combining,
}

/// A table entry: the folded character in the low 21 bits, its [`Kind`] and flags above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry(u32);

const KIND_SHIFT: u32 = 21;
const FLAG_CJK: u32 = 1 << 25;
const FLAG_WORD: u32 = 1 << 26;
const FLAG_DIGIT: u32 = 1 << 27;
const KINDS: [Kind; 8] = [
    Kind::Emit,
    Kind::Space,
    Kind::Invisible,
    Kind::Join,
    Kind::DigitJoin,
    Kind::Break,
    Kind::Slow,
    Kind::Combining,
];

impl Entry {
    fn new(c: char, kind: Kind) -> Entry {
        let kind_bits = KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u32;
        let mut bits = c as u32 | (kind_bits << KIND_SHIFT);
        if is_cjk(c) {
            bits |= FLAG_CJK;
        }
        if is_word_char(c) {
            bits |= FLAG_WORD;
        }
        if c.is_ascii_digit() {
            bits |= FLAG_DIGIT;
        }
        Entry(bits)
    }

    fn kind(self) -> Kind {
        KINDS[((self.0 >> KIND_SHIFT) & 7) as usize]
    }

    fn char(self) -> char {
        char::from_u32(self.0 & 0x1F_FFFF).unwrap_or('\u{FFFD}')
    }

    fn has(self, flag: u32) -> bool {
        self.0 & flag != 0
    }
}

/// Classifies a folded character.
fn classify(c: char, ignore_punctuation: bool) -> Entry {
    let kind = if c.is_whitespace() {
        Kind::Space
    } else if is_invisible(c) {
        Kind::Invisible
    } else if ignore_punctuation && is_punctuation(c) {
        match c {
            '\'' | '’' | '‘' | 'ʼ' | '-' | '‐' | '‑' | '.' => Kind::Join,
            ',' | ':' => Kind::DigitJoin,
            _ => Kind::Break,
        }
    } else {
        Kind::Emit
    };
    Entry::new(c, kind)
}

/// Characters that compose with the character before them under NFKC.
fn joins_previous(c: char) -> bool {
    canonical_combining_class(c) != 0 || matches!(c as u32, 0x1160..=0x11FF | 0xFF9E | 0xFF9F)
}

/// The entry of a source character under a profile.
fn compute_entry(profile: &Profile, c: char) -> Entry {
    if joins_previous(c) {
        return Entry::new(c, Kind::Combining);
    }
    // Unified ideographs have no case and no compatibility form: only the script fold applies,
    // and it folds an ideograph to an ideograph, which is written out (no Unicode tables
    // needed: a page of them is built whenever Chinese text first reaches it).
    if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
        let folded = if profile.fold_script {
            fold_script_char(c)
        } else {
            c
        };
        return Entry::new(folded, Kind::Emit);
    }
    let mut folded = Vec::with_capacity(2);
    fold_unit(profile, c.encode_utf8(&mut [0; 4]), &mut folded);
    match folded[..] {
        [one] => classify(one, profile.ignore_punctuation),
        _ => Entry::new(c, Kind::Slow),
    }
}

/// Entries for one 256-character page of the Basic Multilingual Plane.
type Page = Box<[u32; 256]>;

/// Pages are built on first use, per profile: a run touches only the scripts its text uses.
static PAGES: [[OnceLock<Page>; 256]; 16] = [const { [const { OnceLock::new() }; 256] }; 16];

/// Per profile, the ASCII characters [`CharTable::plain_ascii`] marks, built on first use.
static PLAIN_ASCII: [OnceLock<[bool; 256]>; 16] = [const { OnceLock::new() }; 16];

/// Per-profile lookup of [`Entry`]s for characters of the Basic Multilingual Plane.
struct CharTable {
    profile: Profile,
    pages: &'static [OnceLock<Page>; 256],
    plain: &'static OnceLock<[bool; 256]>,
}

impl CharTable {
    fn for_profile(profile: &Profile) -> CharTable {
        let index = usize::from(profile.fold_width)
            | usize::from(profile.fold_case) << 1
            | usize::from(profile.fold_script) << 2
            | usize::from(profile.ignore_punctuation) << 3;
        CharTable {
            profile: *profile,
            pages: &PAGES[index],
            plain: &PLAIN_ASCII[index],
        }
    }

    /// The ASCII letters and digits written as themselves, or in lower case when the profile
    /// folds case (a flag per byte): under the default profile, every letter and digit.
    fn plain_ascii(&self) -> &'static [bool; 256] {
        self.plain.get_or_init(|| {
            let page = self.page(0);
            std::array::from_fn(|b| {
                let Ok(b) = u8::try_from(b) else {
                    return false;
                };
                let entry = Entry(page[usize::from(b)]);
                let written = if self.profile.fold_case {
                    b.to_ascii_lowercase()
                } else {
                    b
                };
                b.is_ascii_alphanumeric() && entry.kind() == Kind::Emit && entry.char() == char::from(written)
            })
        })
    }

    /// The entry of the character `code` of the Basic Multilingual Plane.
    #[inline(always)]
    fn entry_bmp(&self, code: u32) -> Entry {
        Entry(self.page(code >> 8)[(code & 0xFF) as usize])
    }

    #[inline]
    fn entry(&self, c: char) -> Entry {
        let code = c as u32;
        if code > 0xFFFF {
            let kind = if joins_previous(c) {
                Kind::Combining
            } else {
                Kind::Slow
            };
            return Entry::new(c, kind);
        }
        Entry(self.page(code >> 8)[(code & 0xFF) as usize])
    }

    /// The entries of the 256 characters from `index * 256`, built on first use.
    #[inline]
    fn page(&self, index: u32) -> &'static [u32; 256] {
        self.pages[index as usize].get_or_init(|| {
            let mut page = Box::new([0u32; 256]);
            for (low, slot) in page.iter_mut().enumerate() {
                let c = char::from_u32((index << 8) | low as u32).unwrap_or('\u{FFFD}');
                *slot = compute_entry(&self.profile, c).0;
            }
            page
        })
    }
}

/// Writes folded characters, applying the whitespace and punctuation rules.
struct Emitter<'a> {
    out: &'a mut NormText,
    /// Drop whitespace next to CJK characters.
    ignore_punctuation: bool,
    /// Source offset of a whitespace run not yet written.
    pending_space: Option<usize>,
    /// Source offset of dropped punctuation that separates words, not yet written.
    pending_break: Option<usize>,
    /// The last character written.
    last: Option<Entry>,
}

impl Emitter<'_> {
    // Called for every source character outside the ASCII fast path (all of Chinese text).
    #[inline(always)]
    fn feed(&mut self, entry: Entry, at: usize) {
        match entry.kind() {
            Kind::Space => {
                self.pending_space.get_or_insert(at);
                return;
            }
            Kind::Invisible | Kind::Join => return,
            Kind::DigitJoin if self.last.is_some_and(|l| l.has(FLAG_DIGIT)) => return,
            Kind::DigitJoin | Kind::Break => {
                self.pending_break.get_or_insert(at);
                return;
            }
            Kind::Emit | Kind::Slow | Kind::Combining => {}
        }
        if let Some(space_at) = self.pending_space.take() {
            if let Some(last) = self.last
                && !(self.ignore_punctuation && (last.has(FLAG_CJK) || entry.has(FLAG_CJK)))
            {
                self.out.push(' ', space_at);
            }
        } else if let Some(break_at) = self.pending_break
            && self.last.is_some_and(|l| l.has(FLAG_WORD))
            && entry.has(FLAG_WORD)
        {
            self.out.push(' ', break_at);
        }
        self.pending_break = None;
        self.out.push(entry.char(), at);
        self.last = Some(entry);
    }
}

/// Format and control characters (zero-width space, BOM, joiners) carry no text.
fn is_invisible(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Other if !c.is_whitespace()
    )
}

/// Punctuation that `ignore_punctuation` drops.
pub fn is_punctuation(c: char) -> bool {
    match c {
        '%' | '‰' | '@' | '&' | '#' => false,
        '~' | '～' | '〜' | '`' | '^' | '´' | '¨' => true,
        _ if c.is_ascii_alphanumeric() || c == ' ' => false,
        _ => c.general_category_group() == GeneralCategoryGroup::Punctuation,
    }
}

/// Chinese, Japanese and Korean characters: no word boundaries are needed around them.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x2FDF    // CJK radicals, Kangxi radicals
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3021..=0x3029    // Hangzhou numerals
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3100..=0x312F    // Bopomofo
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x31A0..=0x31BF    // Bopomofo extended
        | 0x31F0..=0x31FF    // Katakana extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3134F  // CJK extensions B–G
    )
}

/// Letters and digits of alphabetic scripts: these need word boundaries at phrase edges.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

#[cfg(test)]
mod tests {

    /// Every character `wide_class` decides is decided as decoding it decides: Han is CJK, and
    /// punctuation is neither CJK nor alphanumeric.
    #[test]
    fn wide_class_agrees_with_the_decoded_character() {
        let mut decided = 0;
        for code in 0x800u32..=0xFFFF {
            let Some(c) = char::from_u32(code) else { continue };
            let mut buffer = [0u8; 4];
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            match super::wide_class(bytes, 0) {
                Some(super::WideClass::Han) => assert!(super::is_cjk(c), "{c:?}"),
                Some(super::WideClass::Punctuation) => {
                    assert!(!super::is_cjk(c) && !c.is_alphanumeric(), "{c:?}")
                }
                None => continue,
            }
            decided += 1;
        }
        // U+4000..=U+9FFF less 64 hexagrams, and 5 + 25 + 15 + 7 punctuation marks.
        assert_eq!(decided, 0x6000 - 64 + 52);
    }

    #[test]
    fn dataset_placeholders_are_one_token() {
        for placeholder in [
            "[数字x]",
            "[姓名x]",
            "[组织机构x]",
            "<PHONE>",
            "<ORDER_ID>",
            "[ORDERID_10021]",
        ] {
            assert_eq!(
                placeholder_len(placeholder),
                Some(placeholder.len()),
                "{placeholder}"
            );
        }
        for text in ["[注意]", "[x]", "<br>", "[呵呵]", "<3", "[数字", "[abc]"] {
            assert_eq!(placeholder_len(text), None, "{text}");
        }
        let profile = Profile::default();
        assert_eq!(
            normalize(&profile, "您的订单[订单x]已发货"),
            "您的订单\u{fffc}已发货"
        );
        assert_eq!(normalize(&profile, "call <PHONE> now"), "call \u{fffc} now");
        let mut out = NormText::new();
        let source = "单号[数字x]好";
        normalize_into(&profile, source, &mut out);
        let at = out.as_str().find('\u{fffc}').unwrap();
        assert_eq!(out.source_range(at..at + 3, source), 6..15);
        assert_eq!(text_units("请提供[姓名x]和<PHONE>"), (4, 2));
    }

    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        normalize(&Profile::default(), s)
    }

    #[test]
    fn folds_full_width_letters_and_digits() {
        assert_eq!(norm("ＡＢＣ１２３"), "abc123");
        assert_eq!(norm("ＸＸ公司"), "xx公司");
    }

    #[test]
    fn folds_case() {
        assert_eq!(norm("Hello THERE"), "hello there");
        assert_eq!(norm("ÀÉÎ"), "àéî");
    }

    #[test]
    fn folds_traditional_to_simplified() {
        assert_eq!(norm("這裡是"), "这里是");
        assert_eq!(norm("請問您還有什麼需要"), "请问您还有什么需要");
        assert_eq!(norm("謝謝您的來電"), "谢谢您的来电");
        assert_eq!(fold_script_char('A'), 'A');
        assert_eq!(fold_script_char('這'), '这');
    }

    #[test]
    fn drops_punctuation_and_cjk_adjacent_spaces() {
        assert_eq!(norm("您好，这里是XX公司！"), "您好这里是xx公司");
        assert_eq!(norm("您好 这里是"), "您好这里是");
        assert_eq!(norm("  hello ,   world  "), "hello world");
        assert_eq!(norm("「好的」～"), "好的");
    }

    #[test]
    fn punctuation_between_words_separates_them() {
        assert_eq!(norm("yes,no"), "yes no");
        assert_eq!(norm("thank you,goodbye"), "thank you goodbye");
        assert_eq!(norm("hello!world"), "hello world");
    }

    #[test]
    fn joiners_keep_words_together() {
        assert_eq!(norm("I don't know"), "i dont know");
        assert_eq!(norm("I don’t know"), "i dont know");
        assert_eq!(norm("e-mail"), "email");
        assert_eq!(norm("138-0013-8000"), "13800138000");
        assert_eq!(norm("$1,000.50"), "$100050");
        assert_eq!(norm("10:30"), "1030");
        assert_eq!(norm("acme.com"), "acmecom");
    }

    #[test]
    fn keeps_meaningful_symbols() {
        assert_eq!(norm("100%"), "100%");
        assert_eq!(norm("a@b"), "a@b");
    }

    #[test]
    fn drops_invisible_characters() {
        assert_eq!(norm("您\u{200b}好"), "您好");
        assert_eq!(norm("\u{feff}hi"), "hi");
    }

    #[test]
    fn composes_combining_marks() {
        assert_eq!(norm("cafe\u{301}"), norm("café"));
    }

    #[test]
    fn each_fold_can_be_switched_off() {
        let off = Profile {
            fold_width: false,
            fold_case: false,
            fold_script: false,
            ignore_punctuation: false,
        };
        assert!(off.is_identity());
        assert_eq!(normalize(&off, "這裡，ＡＢ Hi"), "這裡，ＡＢ Hi");
        let no_case = Profile {
            fold_case: false,
            ..Profile::default()
        };
        assert_eq!(normalize(&no_case, "Hi ＡＢ"), "Hi AB");
        let no_script = Profile {
            fold_script: false,
            ..Profile::default()
        };
        assert_eq!(normalize(&no_script, "這裡"), "這裡");
        let no_width = Profile {
            fold_width: false,
            ..Profile::default()
        };
        assert_eq!(normalize(&no_width, "ＡＢ"), "ａｂ");
        let keep_punct = Profile {
            ignore_punctuation: false,
            ..Profile::default()
        };
        assert_eq!(normalize(&keep_punct, "您好， 这里"), "您好, 这里");
    }

    #[test]
    fn offset_map_points_at_original_characters() {
        let source = "[00:01] 客服：您好，這裡是ＸＸ公司";
        let mut out = NormText::new();
        normalize_into(&Profile::default(), source, &mut out);
        let text = out.as_str();
        let at = text.find("这里是xx").unwrap();
        let range = out.source_range(at..at + "这里是xx".len(), source);
        assert_eq!(&source[range], "這裡是ＸＸ");
    }

    #[test]
    fn offset_map_covers_expansions() {
        // "ﬁ" expands to two characters; both map to the ligature.
        let source = "ﬁne";
        let mut out = NormText::new();
        normalize_into(&Profile::default(), source, &mut out);
        assert_eq!(out.as_str(), "fine");
        assert_eq!(&source[out.source_range(0..2, source)], "ﬁ");
        assert_eq!(&source[out.source_range(0..4, source)], "ﬁne");
    }

    /// The general path only: every character folded on its own (with its marks), no table.
    fn reference(profile: &Profile, source: &str) -> (String, Vec<u32>) {
        let mut out = NormText::new();
        let mut state = Emitter {
            out: &mut out,
            ignore_punctuation: profile.ignore_punctuation,
            pending_space: None,
            pending_break: None,
            last: None,
        };
        let mut iter = source.char_indices().peekable();
        let mut folded = Vec::new();
        while let Some((at, c)) = iter.next() {
            let mut end = at + c.len_utf8();
            while let Some(&(next_at, next)) = iter.peek() {
                if !joins_previous(next) {
                    break;
                }
                end = next_at + next.len_utf8();
                iter.next();
            }
            folded.clear();
            fold_unit(profile, &source[at..end], &mut folded);
            for &f in &folded {
                state.feed(classify(f, profile.ignore_punctuation), at);
            }
        }
        (out.text, out.map)
    }

    /// [`text_units`] character by character, as it was before the byte-wise fast path.
    fn reference_units(text: &str) -> (usize, usize) {
        let (mut cjk, mut words, mut in_word) = (0, 0, false);
        let mut chars = text.char_indices();
        while let Some((at, c)) = chars.next() {
            // A dataset placeholder ([数字x], <PHONE>) is one word, whatever it spells.
            if (c == '[' || c == '<')
                && let Some(len) = placeholder_len(&text[at..])
            {
                words += 1;
                in_word = false;
                let end = at + len;
                while chars.clone().next().is_some_and(|(n, _)| n < end) {
                    chars.next();
                }
                continue;
            }
            // Most speech is ASCII or CJK: decide those without Unicode table lookups.
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    words += usize::from(!in_word);
                    in_word = true;
                } else {
                    in_word = c == '\'' && in_word;
                }
            } else if is_cjk(c) {
                cjk += 1;
                in_word = false;
            } else if is_word_char(c) {
                words += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = false;
            }
        }
        (cjk, words)
    }

    fn profile_from_bits(bits: u8) -> Profile {
        Profile {
            fold_width: bits & 1 != 0,
            fold_case: bits & 2 != 0,
            fold_script: bits & 4 != 0,
            ignore_punctuation: bits & 8 != 0,
        }
    }

    #[test]
    fn ideograph_fast_path_matches_the_general_path() {
        for bits in [0u8, 4, 8, 15] {
            let profile = profile_from_bits(bits);
            for code in (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF) {
                let c = char::from_u32(code).unwrap();
                let mut folded = Vec::new();
                fold_unit(&profile, c.encode_utf8(&mut [0; 4]), &mut folded);
                assert_eq!(folded.len(), 1, "{c}");
                assert_eq!(
                    compute_entry(&profile, c),
                    classify(folded[0], profile.ignore_punctuation),
                    "{c}"
                );
            }
        }
    }

    #[test]
    fn ideographs_fold_to_ideographs_that_are_written_out() {
        for code in (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF) {
            let c = char::from_u32(code).unwrap();
            for folded in [c, fold_script_char(c)] {
                for ignore_punctuation in [false, true] {
                    assert_eq!(
                        classify(folded, ignore_punctuation),
                        Entry::new(folded, Kind::Emit),
                        "{c}"
                    );
                }
            }
        }
    }

    #[test]
    fn wide_punctuation_is_never_a_word_character() {
        for code in 0..=0xFFFF {
            if let Some(c) = char::from_u32(code)
                && is_wide_punctuation(c)
            {
                assert!(!is_word_char(c) && !is_cjk(c), "{c:?}");
            }
        }
    }

    /// The table path's text and map are the general path's, under the profile `bits` picks.
    fn matches_reference(source: &str, bits: u8) -> Result<(), TestCaseError> {
        let profile = profile_from_bits(bits);
        let mut out = NormText::new();
        normalize_into(&profile, source, &mut out);
        let (text, map) = reference(&profile, source);
        prop_assert_eq!(out.as_str(), text.as_str());
        prop_assert_eq!(&out.map, &map);
        Ok(())
    }

    proptest! {
        #[test]
        fn table_path_matches_the_general_path(source in "\\PC{0,60}", bits in 0u8..16) {
            matches_reference(&source, bits)?;
        }

        #[test]
        // Runs of CJK and ASCII characters, broken by what ends a run: Traditional characters,
        // marks of two and three bytes (U+0301, U+3099, the half-width voiced mark), characters
        // of four bytes, wide forms and spaces.
        fn table_path_matches_on_mixed_scripts(source in "[a-zA-Z0-9 ,.'!?這裡是您好，。！ＡＢ１２ﬁé\u{301}\u{3099}ｶﾞか𠀀\u{3000}\u{200b}\t-]{0,60}", bits in 0u8..16) {
            matches_reference(&source, bits)?;
        }

        // English-like words in runs of letters, digits and single spaces, broken by what ends
        // a run: punctuation, double spaces, tabs, combining marks, CJK.
        #[test]
        fn plain_ascii_runs_match_the_general_path(
            source in "([a-zA-Z0-9]{1,12}( |  |[,.'\t這\u{301}\u{3099}])?){0,10}",
            bits in 0u8..16,
        ) {
            matches_reference(&source, bits)?;
        }

        #[test]
        fn text_units_bytewise_matches_the_char_path(
            source in "([a-zA-Z0-9 ,.'!?這裡是您好，。！ＡＢ１２é\u{301}\u{3000}_-]|\\[数字x\\]|<PHONE>|\\[|<){0,40}"
        ) {
            prop_assert_eq!(text_units(&source), reference_units(&source));
        }

        #[test]
        fn text_units_reads_long_ascii_runs_as_the_char_path(
            source in "([a-zA-Z0-9]{1,12}([ ,.!?@`{_-]|'|'s |\\[|<|<PHONE>|\\[数字x\\]|您好|\u{7f})?){0,12}"
        ) {
            prop_assert_eq!(text_units(&source), reference_units(&source));
        }

        #[test]
        fn text_units_matches_the_char_path_on_any_text(source in "\\PC{0,60}") {
            prop_assert_eq!(text_units(&source), reference_units(&source));
        }

        #[test]
        fn offset_map_is_monotonic_and_on_char_boundaries(source in "\\PC{0,40}") {
            let mut out = NormText::new();
            normalize_into(&Profile::default(), &source, &mut out);
            let mut previous = 0;
            for (i, _) in out.as_str().char_indices() {
                let at = out.source_offset(i);
                prop_assert!(source.is_char_boundary(at));
                prop_assert!(at >= previous);
                previous = at;
            }
        }

        #[test]
        fn source_range_round_trips(source in "[a-zA-Z這裡是您好，。 ＡＢ1-9'-]{0,30}") {
            let profile = Profile::default();
            let mut out = NormText::new();
            normalize_into(&profile, &source, &mut out);
            let text = out.as_str().to_string();
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            for i in 0..chars.len() {
                for j in i..chars.len() {
                    let (start, first) = chars[i];
                    let (last_at, last) = chars[j];
                    if first == ' ' || last == ' ' {
                        continue;
                    }
                    let end = last_at + last.len_utf8();
                    let range = out.source_range(start..end, &source);
                    // Normalising the source slice gives back the matched text.
                    prop_assert_eq!(normalize(&profile, &source[range]), &text[start..end]);
                }
            }
        }

        // Stray combining marks separated by punctuation can be reordered, and Hangul jamo
        // left apart by a dropped character (㈀ folds to "(ᄀ)") can compose, on a second NFKC
        // pass; the property is stated for text without either.
        #[test]
        fn normalisation_is_idempotent(source in "[^\\p{M}\\p{C}\\p{Hangul}]{0,40}") {
            let profile = Profile::default();
            let once = normalize(&profile, &source);
            prop_assert_eq!(normalize(&profile, &once), once.clone());
        }
    }
}
