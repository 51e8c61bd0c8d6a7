//! Utterances: what one speaker says between two turns of somebody else.
//!
//! Speech recognisers split a sentence into several turns at every pause ("hello" / "this is
//! harper valley national bank" / "my name is john"), and chat agents send one reply as two or
//! three messages. Rules that count turns ("the agent's first turn", "the last 3", "within 2
//! turns") count utterances instead, and an utterance that is only a back-channel or a filler
//! ("okay", "mm", "bye", 嗯, 好的) does not use up a window: it is looked at, but not counted.

use std::ops::Range;

use crate::normalize::{Profile, normalize};
use crate::transcript::{Channel, Millis, Transcript};

/// Longest pause inside one utterance of a call, when both turns are timed: a longer silence
/// (a hold, looking something up) starts a new utterance. Chat messages are not split by time.
pub const MAX_PAUSE: Millis = Millis(3_000);

/// Groups the turns into utterances: maximal runs of consecutive turns by the same speaker
/// (role and label) with no other turn between and, in a call, pauses of at most
/// [`MAX_PAUSE`]. Each range holds turn indices; together they cover every turn, in order.
pub fn utterances(transcript: &Transcript) -> Vec<Range<usize>> {
    let split_by_time = transcript.channel() != Some(Channel::Chat);
    let turns = &transcript.turns;
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        let joins = i > 0 && {
            let previous = &turns[i - 1];
            let same_speaker = previous.speaker == turn.speaker;
            let pause = match (previous.end.or(previous.start), turn.start) {
                (Some(end), Some(start)) if split_by_time => start.0.saturating_sub(end.0) > MAX_PAUSE.0,
                _ => false,
            };
            same_speaker && !pause
        };
        match out.last_mut() {
            Some(last) if joins => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
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
    only_words(text, &[FILLERS]) && !is_content_phrase(text)
}

/// True when the text is only an acknowledgement: a filler, or short thanks or apology
/// ("thank you", "oh sorry", 谢谢). Such a turn overlapping the other speaker is not an
/// interruption.
pub fn is_acknowledgement(text: &str) -> bool {
    only_words(text, &[FILLERS, THANKS])
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
    "ok",
    "okay",
    "thanks",
    "thank",
    "alright",
    "fine",
    "great",
    "cool",
    "no",
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
    // The word must stand alone: "好，…" accepts, "好多软件打不开" raises something new.
    ACCEPTING.iter().any(|w| {
        lower
            .strip_prefix(w)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// Filler words that only count as fillers in set phrases: "i", "see", "got", "it", "all",
/// "now", "so", "well" alone or with other fillers are fillers ("i see", "got it", "all right",
/// "bye now"), but a turn made only of them ("so", "it") is content.
fn is_content_phrase(text: &str) -> bool {
    let folded = normalize(&Profile::default(), text);
    folded
        .split(' ')
        .all(|w| matches!(w, "i" | "see" | "got" | "it" | "all" | "now" | "so" | "well"))
        && !matches!(folded.as_str(), "i see" | "got it")
}

/// True when the normalised text splits entirely into words of the lists (Latin words by
/// spaces, Chinese by longest match), at most [`MAX_FILLER_WORDS`] of them.
fn only_words(text: &str, lists: &[&[&str]]) -> bool {
    if text.len() > MAX_FILLER_BYTES {
        return false;
    }
    let folded = normalize(&Profile::default(), text);
    if folded.is_empty() {
        return false;
    }
    let known = |w: &str| lists.iter().any(|list| list.contains(&w));
    let mut count = 0;
    for word in folded.split(' ') {
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
            let longest = lists
                .iter()
                .flat_map(|list| list.iter())
                .filter(|w| rest.starts_with(**w))
                .map(|w| w.len())
                .max();
            let Some(len) = longest else {
                return false;
            };
            rest = &rest[len..];
            count += 1;
        }
    }
    count <= MAX_FILLER_WORDS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, plain};

    fn transcript(text: &str) -> Transcript {
        plain::parse(text, &ParseOptions::default()).unwrap()
    }

    #[test]
    fn consecutive_turns_of_one_speaker_are_one_utterance() {
        let t = transcript(
            "[00:00:01-00:00:02] Agent: hello\n\
             [00:00:02-00:00:04] Agent: this is harper valley national bank\n\
             [00:00:05-00:00:06] Agent: my name is john\n\
             [00:00:07-00:00:09] Customer: hi\n\
             [00:00:10-00:00:11] Agent: how can i help\n\
             [00:00:20-00:00:21] Agent: are you there\n",
        );
        // The 9 s pause before "are you there" starts a new utterance.
        assert_eq!(utterances(&t), [0..3, 3..4, 4..5, 5..6]);
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
            "Thanks, bye!",
            "OK.",
        ] {
            assert!(accepts_closing(ok), "{ok}");
        }
        for reopens in [
            "好多软件打不开",
            "好的，那我的积分呢？",
            "还是不行",
            "ok so what about my refund?",
        ] {
            assert!(!accepts_closing(reopens), "{reopens}");
        }
    }
}
