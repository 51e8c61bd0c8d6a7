//! Utterances: one speaker's consecutive turns read as one stretch of speech.
//!
//! Speech recognisers cut a speaker's speech into turns at every pause, so "seventy nine" /
//! "dollars", "hello" / "this is harper valley national bank" / "my name is john", arrive as
//! several turns of one sentence; chat agents send one reply as two or three messages. Rules
//! look at utterances instead: runs of turns by the same speaker with no other speaker's turn
//! between them and, when a call's turns have times, no pause of [`MAX_PAUSE`] or more.
//! Read-back reads an utterance's joined text ([`UtteranceText`], which maps offsets back to each
//! turn, so findings still point at the line and column where a value starts); windows and
//! `within_turns` count utterances, and an utterance that is only a back-channel or a filler
//! ("okay", "mm", "bye", 嗯, 好的, [`is_filler`]) is looked at but not counted.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use crate::normalize::{Profile, normalize};
use crate::transcript::{Channel, Millis, Transcript, Turn};

/// The longest pause inside one utterance: 3 s. A recogniser splits turns at pauses of a few
/// hundred milliseconds; a speaker who stays silent for 3 s or more has usually finished.
pub const MAX_PAUSE: Millis = Millis(3_000);

/// The transcript's utterances, in order, as ranges of turn indices that cover every turn once.
///
/// Consecutive turns belong to one utterance when they have the same speaker (role and label)
/// and the pause between them — from the end of the earlier turn (its start when it has no
/// end) to the start of the later — is under [`MAX_PAUSE`]. Turns without times are joined
/// whenever the speaker is the same: nothing says they were apart.
/// Chat messages are not split by time: an agent's two replies with no customer message between
/// them are one reply, however long apart they were sent.
pub fn utterances(transcript: &Transcript) -> Vec<Range<usize>> {
    let turns = &transcript.turns;
    let timed = transcript.channel() != Some(Channel::Chat);
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        match out.last_mut() {
            Some(last) if continues(&turns[last.end - 1], turn, timed) => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// True when `next` continues `previous`'s utterance (see [`utterances`]); `timed`: a long
/// pause ends an utterance.
fn continues(previous: &Turn, next: &Turn, timed: bool) -> bool {
    if previous.speaker != next.speaker {
        return false;
    }
    match (previous.end.or(previous.start), next.start) {
        (Some(before), Some(after)) if timed => after.0.saturating_sub(before.0) < MAX_PAUSE.0,
        _ => true,
    }
}

/// An utterance's text: its turns' texts joined by a space (so digit groups and a number and its
/// currency word said across a pause read as one), with offsets mapped back to each turn.
#[derive(Clone, Debug)]
pub struct UtteranceText<'a> {
    text: Cow<'a, str>,
    /// Index of the utterance's first turn.
    first: usize,
    /// Byte offset in `text` where each turn's text starts; empty for one turn (most
    /// utterances), which needs no map and no allocation.
    starts: Vec<usize>,
}

impl<'a> UtteranceText<'a> {
    /// The text of the turns `range` of `transcript`; a one-turn utterance borrows its text.
    pub fn new(transcript: &'a Transcript, range: Range<usize>) -> Self {
        let turns = &transcript.turns[range.clone()];
        if let [only] = turns {
            return UtteranceText {
                text: Cow::Borrowed(&only.text),
                first: range.start,
                starts: Vec::new(),
            };
        }
        let mut text = String::with_capacity(turns.iter().map(|t| t.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(turns.len());
        for turn in turns {
            if !text.is_empty() {
                text.push(' ');
            }
            starts.push(text.len());
            text.push_str(&turn.text);
        }
        UtteranceText {
            text: Cow::Owned(text),
            first: range.start,
            starts,
        }
    }

    /// The indices of the utterance's turns.
    pub fn turns(&self) -> Range<usize> {
        self.first..self.first + self.starts.len().max(1)
    }

    /// The joined text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The turn (index in the transcript) and the byte offset in that turn's text of byte `at`
    /// of the joined text. An offset on a joining space maps to the end of the turn before it.
    pub fn locate(&self, at: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (self.first, at.min(self.text.len()));
        }
        let k = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts.get(k).copied().unwrap_or(0);
        let end = self.starts.get(k + 1).map_or(self.text.len(), |&next| next - 1);
        (self.first + k, at.min(end) - start)
    }
}

/// Words that, alone or repeated, make a turn a back-channel or filler rather than content.
const FILLERS: &[&str] = &[
    // Chinese acknowledgements and fillers.
    "嗯",
    "恩",
    "哦",
    "噢",
    "喔",
    "啊",
    "呃",
    "额",
    "唔",
    "哎",
    "诶",
    "哈",
    "呵呵",
    "嗯呢",
    "好",
    "好的",
    "好滴",
    "对",
    "是",
    "是的",
    "行",
    "可以",
    "明白",
    "了解",
    "收到",
    "知道了",
    "喂",
    "拜拜",
    "再见",
    // English.
    "ok",
    "okay",
    "k",
    "mm",
    "mhm",
    "mmhmm",
    "mmm",
    "hmm",
    "hm",
    "uh",
    "um",
    "er",
    "ah",
    "oh",
    "huh",
    "uhhuh",
    "yeah",
    "yes",
    "yep",
    "yup",
    "yea",
    "right",
    "sure",
    "alright",
    "all",
    "got",
    "it",
    "i",
    "see",
    "cool",
    "bye",
    "goodbye",
    "now",
    "so",
    "well",
    // Transcribers' marks for what is not speech or not understood.
    "unk",
    "unintelligible",
    "inaudible",
    "noise",
    "laughter",
    "crosstalk",
    "silence",
    // Sentence-final particles that end a Chinese acknowledgement (好的呢, 明白了, 收到啦).
    "了",
    "啦",
    "呢",
    "呀",
    "吧",
    "哟",
    "哒",
    "嘛",
];

/// Words an acknowledgement may add to fillers: short thanks and apologies ("oh thank you",
/// "okay sorry") overlap the other speaker without interrupting them.
const THANKS: &[&str] = &[
    "thank",
    "thanks",
    "you",
    "very",
    "much",
    "a",
    "lot",
    "sorry",
    "谢谢",
    "感谢",
    "多谢",
    "谢啦",
    "谢了",
    "辛苦",
    "辛苦了",
    "麻烦了",
    "亲",
    "抱歉",
    "不好意思",
    "对不起",
];

/// Most words (or Chinese filler units) in a filler turn.
const MAX_FILLER_WORDS: usize = 6;

/// Turns longer than this (bytes) are never fillers; spares normalising long turns.
const MAX_FILLER_BYTES: usize = 64;

/// True when the text is only a back-channel or filler: "okay", "mm-hmm", "bye now", 嗯嗯, 好的好的.
/// "all right", "got it" and "i see" are fillers; "I see the problem" is not.
pub fn is_filler(text: &str) -> bool {
    if text.len() > MAX_FILLER_BYTES {
        return is_stray_letter(text);
    }
    is_filler_folded(text, &normalize(&Profile::default(), text))
}

/// [`is_filler`] of a text whose fold by the default [`Profile`] is already known.
pub fn is_filler_folded(text: &str, folded: &str) -> bool {
    (only_words(text, folded, false) && !is_content_phrase(folded)) || is_stray_letter(text)
}

/// A message of one Latin letter ("H", "k"): a stray keystroke or a chat "k", nothing said.
fn is_stray_letter(text: &str) -> bool {
    let mut letters = text.trim().chars().filter(|c| !c.is_ascii_punctuation());
    letters.next().is_some_and(|c| c.is_ascii_alphabetic()) && letters.next().is_none()
}

/// True when the text is only an acknowledgement: a filler, or short thanks or apology
/// ("thank you", "oh sorry", 谢谢). Such a turn overlapping the other speaker is not an
/// interruption.
pub fn is_acknowledgement(text: &str) -> bool {
    text.len() <= MAX_FILLER_BYTES && only_words(text, &normalize(&Profile::default(), text), true)
}

/// Words that open a reply accepting what was said ("好的，谢谢，我再试试", "没事，我已经换了").
const ACCEPTING: &[&str] = &[
    "好",
    "好的",
    "嗯",
    "恩",
    "哦",
    "噢",
    "行",
    "可以",
    "谢谢",
    "多谢",
    "感谢",
    "没事",
    "没关系",
    "算了",
    "知道了",
    "收到",
    "明白",
    "了解",
    "应该的",
    "ok",
    "okay",
    "thanks",
    "thank",
    "alright",
    "fine",
    "great",
    "cool",
    "no",
    // "It's OK, I've already given up on it", "I'm glad I could help": English acceptances.
    "it's ok",
    "it’s ok",
    "its ok",
    "it is ok",
    "it's okay",
    "it’s okay",
    "its okay",
    "that's okay",
    "that’s okay",
    "it's fine",
    "it’s fine",
    "that's ok",
    "that’s ok",
    "thats ok",
    "that's fine",
    "that’s fine",
    "never mind",
    "sure",
    "got it",
    "understood",
    "glad",
    "i'm glad",
    "i’m glad",
    "im glad",
];

/// True when a reply after the other side's last word leaves the conversation closed: an
/// acknowledgement, or a remark that starts by accepting what was said and asks nothing
/// ("好,对此表示赞赏,并持续关注"). A question reopens the conversation.
pub fn accepts_closing(text: &str) -> bool {
    if is_acknowledgement(text) {
        return true;
    }
    if text.contains(['？', '?']) || text.trim_end().ends_with(['吗', '么']) {
        return false;
    }
    let lower = text.trim_start().to_lowercase();
    // Good wishes take leave ("祝你们新年大卖").
    if lower.starts_with('祝') {
        return true;
    }
    // The word must stand alone: "好，…" accepts, "好多软件打不开" raises something new. It may
    // be said twice or more ("没事没事，…", "好的好的").
    let mut rest = lower.as_str();
    loop {
        let Some(after) = ACCEPTING
            .iter()
            .filter_map(|w| rest.strip_prefix(w))
            .min_by_key(|r| r.len())
        else {
            return false;
        };
        if after.chars().next().is_none_or(|c| !c.is_alphanumeric()) {
            return true;
        }
        if !ACCEPTING.iter().any(|w| after.starts_with(w)) {
            return false;
        }
        rest = after;
    }
}

/// Filler words that only count as fillers in set phrases: "i", "see", "got", "it", "all",
/// "now", "so", "well" alone or with other fillers are fillers ("i see", "got it", "all right",
/// "bye now"), but a turn made only of them ("so", "it") is content.
/// `folded`: the text folded by the default profile.
fn is_content_phrase(folded: &str) -> bool {
    folded
        .split(' ')
        .all(|w| matches!(w, "i" | "see" | "got" | "it" | "all" | "now" | "so" | "well"))
        && !matches!(folded, "i see" | "got it")
}

/// True when the text, given with its fold by the default profile, splits entirely into words
/// of [`FILLERS`] (and of [`THANKS`] with `thanks`) — Latin words by spaces, Chinese by longest
/// match — at most [`MAX_FILLER_WORDS`] of them.
fn only_words(text: &str, folded: &str, thanks: bool) -> bool {
    if text.len() > MAX_FILLER_BYTES {
        return false;
    }
    if folded.is_empty() {
        // Nothing but punctuation ("…", "?"): no words, so nothing said.
        return !text.trim().is_empty();
    }
    let known = |w: &str| {
        words_starting(w)
            .iter()
            .any(|&(word, of_thanks)| word == w && (thanks || !of_thanks))
    };
    let mut count = 0;
    for word in folded.split(' ') {
        // Transcribers' marks come in brackets: "<unk>", "[noise]".
        let word = word.trim_matches(|c| matches!(c, '<' | '>' | '[' | ']'));
        if word.is_empty() {
            continue;
        }
        if word.is_ascii() {
            if !known(word) {
                return false;
            }
            count += 1;
            continue;
        }
        // Chinese: consume the longest known word at each position.
        let mut rest = word;
        while !rest.is_empty() {
            let Some(len) = longest_prefix(rest, thanks) else {
                return false;
            };
            rest = &rest[len..];
            count += 1;
        }
    }
    count <= MAX_FILLER_WORDS
}

/// The words of [`FILLERS`] and [`THANKS`] by their first character, sorted by it: each word
/// with whether it is one of [`THANKS`].
type WordsByFirst = Vec<(char, Vec<(&'static str, bool)>)>;

/// [`WordsByFirst`] of the two lists.
static WORDS_BY_FIRST: LazyLock<WordsByFirst> = LazyLock::new(|| {
    let mut by_first: WordsByFirst = Vec::new();
    let words = FILLERS
        .iter()
        .map(|w| (*w, false))
        .chain(THANKS.iter().map(|w| (*w, true)));
    for (word, of_thanks) in words {
        let Some(first) = word.chars().next() else {
            continue;
        };
        match by_first.binary_search_by_key(&first, |(c, _)| *c) {
            Ok(i) => by_first[i].1.push((word, of_thanks)),
            Err(i) => by_first.insert(i, (first, vec![(word, of_thanks)])),
        }
    }
    by_first
});

/// The words of [`FILLERS`] and [`THANKS`] that start with `text`'s first character (most text
/// short enough to be a filler has none, and a Chinese character has a few, where comparing
/// first bytes would leave every Chinese word).
fn words_starting(text: &str) -> &'static [(&'static str, bool)] {
    let Some(first) = text.chars().next() else {
        return &[];
    };
    let by_first = &*WORDS_BY_FIRST;
    match by_first.binary_search_by_key(&first, |(c, _)| *c) {
        Ok(i) => &by_first[i].1,
        Err(_) => &[],
    }
}

/// The length of the longest word of [`FILLERS`] (and of [`THANKS`] with `thanks`) that `text`
/// starts with.
fn longest_prefix(text: &str, thanks: bool) -> Option<usize> {
    words_starting(text)
        .iter()
        .filter(|&&(word, of_thanks)| (thanks || !of_thanks) && text.starts_with(word))
        .map(|(word, _)| word.len())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, plain};

    fn transcript(text: &str) -> Transcript {
        plain::parse(text, &ParseOptions::default()).unwrap()
    }

    #[test]
    fn a_speakers_turns_split_at_short_pauses_are_one_utterance() {
        let t = transcript(
            "[00:00:01] Customer: seventy nine\n[00:00:02] Customer: dollars\n\
             [00:00:04] Agent: seventy nine\n[00:00:05] Agent: dollars\n\
             [00:00:09] Agent: anything else?\n[00:00:10] Customer: no\n",
        );
        // 1 s apart: one utterance; 4 s after the agent's previous turn started: a new one.
        assert_eq!(utterances(&t), [0..2, 2..4, 4..5, 5..6]);
    }

    #[test]
    fn the_pause_runs_from_the_end_of_the_earlier_turn() {
        let t = transcript(
            "[00:00:01-00:00:09] Agent: a long turn\n[00:00:11] Agent: after 2 s\n\
             [00:00:14.500] Agent: after 3.5 s\n",
        );
        assert_eq!(utterances(&t), [0..2, 2..3]);
        // Exactly the limit is a new utterance.
        let t = transcript("[00:00:01] Agent: a\n[00:00:04] Agent: b\n");
        assert_eq!(utterances(&t), [0..1, 1..2]);
    }

    #[test]
    fn untimed_turns_join_by_speaker_and_other_speakers_separate() {
        let t = transcript("Agent: a\nAgent: b\nCustomer: c\nAgent: d\nSupervisor: e\nBoss: f\n");
        assert_eq!(utterances(&t), [0..2, 2..3, 3..4, 4..5, 5..6]);
        assert!(utterances(&transcript("")).is_empty());
    }

    #[test]
    fn joined_text_maps_back_to_each_turn() {
        let t = transcript("Customer: my number is 415 555\nCustomer: 0132 thanks\nAgent: ok\n");
        let u = UtteranceText::new(&t, 0..2);
        assert_eq!(u.as_str(), "my number is 415 555 0132 thanks");
        let at = u.as_str().find("0132").unwrap();
        assert_eq!(u.locate(at), (1, 0));
        assert_eq!(u.locate(u.as_str().find("415").unwrap()), (0, 13));
        // The joining space belongs to the end of the first turn.
        assert_eq!(u.locate(at - 1), (0, t.turns[0].text.len()));
        assert_eq!(u.locate(u.as_str().len()), (1, t.turns[1].text.len()));
        let one = UtteranceText::new(&t, 2..3);
        assert!(matches!(one.text, Cow::Borrowed("ok")));
        assert_eq!(one.locate(1), (2, 1));
    }

    #[test]
    fn chats_are_not_split_by_pauses_and_untimed_turns_join() {
        let chat = transcript(
            "# channel: chat\n[00:00:01] 客服：您好\n[00:01:30] 客服：很高兴为您服务\n[00:02:00] 客户：在吗\n",
        );
        assert_eq!(utterances(&chat), [0..2, 2..3]);
        let untimed = transcript("客户：喂\n客服：您好\n客服：这里是顺达快递\n");
        assert_eq!(utterances(&untimed), [0..1, 1..3]);
    }

    #[test]
    fn every_listed_word_is_found_by_its_first_character() {
        for word in FILLERS {
            assert_eq!(longest_prefix(word, false), Some(word.len()), "{word}");
        }
        for word in THANKS {
            assert_eq!(longest_prefix(word, true), Some(word.len()), "{word}");
        }
        assert!(words_starting("你好").is_empty());
        assert!(words_starting("").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn longest_prefix_is_the_longest_word_the_text_starts_with(
            text in "(好的|好|嗯|谢谢|谢啦|ok|okay|o|您|[a-z]|\\PC){0,6}",
            thanks: bool,
        ) {
            let lists: &[&[&str]] = if thanks { &[FILLERS, THANKS] } else { &[FILLERS] };
            let naive = lists
                .iter()
                .flat_map(|list| list.iter())
                .filter(|w| text.starts_with(**w))
                .map(|w| w.len())
                .max();
            proptest::prop_assert_eq!(longest_prefix(&text, thanks), naive);
        }
    }

    #[test]
    fn fillers_and_acknowledgements() {
        for filler in [
            "okay",
            "Mm-hmm.",
            "bye now",
            "Bye.",
            "嗯嗯",
            "好的好的",
            "all right",
            "i see",
            "got it",
            "OK, bye",
            "…",
            "？",
            "H",
            "k.",
        ] {
            assert!(is_filler(filler), "{filler}");
        }
        for content in [
            "okay so your balance is fifty dollars",
            "I see the problem",
            "so",
            "anything else",
            "好的，谢谢",
            "您好",
            "这里是顺达快递",
        ] {
            assert!(!is_filler(content), "{content}");
        }
        for ack in [
            "oh",
            "thank you",
            "Oh, thank you.",
            "okay sorry",
            "谢谢",
            "嗯，好的，谢谢",
        ] {
            assert!(is_acknowledgement(ack), "{ack}");
        }
        assert!(!is_acknowledgement("thank you for calling harper valley"));
    }

    #[test]
    fn accepting_a_closing() {
        for ok in [
            "好的，谢谢",
            "好,对此表示赞赏,并持续关注.",
            "没事 我已经放弃了",
            "没事没事,我还是很喜欢你们的手机",
            "应该的,不客气",
            "祝你们生意兴隆",
            "Thanks, bye!",
            "OK.",
            "It's OK. I've already given up on it.",
            "I'm glad I can help.",
            "Never mind, I'll go to the shop.",
            "That's okay, thanks anyway",
        ] {
            assert!(accepts_closing(ok), "{ok}");
        }
        for reopens in [
            "好多软件打不开",
            "好好学习",
            "好的，那我的积分呢？",
            "还是不行",
            "ok so what about my refund?",
            "it's okay now but the screen still flickers?",
            "gladly",
        ] {
            assert!(!accepts_closing(reopens), "{reopens}");
        }
    }
}
