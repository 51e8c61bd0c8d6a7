//! Table-driven tests for value extraction and comparison (Chinese and English), and property
//! tests that a value always matches its own spoken, written and grouped renderings.

use proptest::prelude::*;

use super::compare::{Comparison, compare};
use super::hint::text_hint;
use super::numbers::{NUMERAL_WORDS, hide_numeral_words, parse_chinese_integer, parse_english_number};
use super::values::{Entity, Extractor, Value};
use crate::normalize::NormText;

fn default_min(entity: Entity) -> usize {
    if entity == Entity::Phone { 7 } else { 6 }
}

fn extract(entity: Entity, text: &str) -> Vec<(Value, String)> {
    let pattern = (entity == Entity::Regex).then(|| {
        regex::RegexBuilder::new(r"(sd\d{8,})")
            .case_insensitive(true)
            .build()
            .unwrap()
    });
    let mut norm = NormText::new();
    Extractor::new(entity, pattern)
        .extract(text, default_min(entity), &mut norm)
        .values
        .into_iter()
        .map(|f| (f.value, text[f.range].to_string()))
        .collect()
}

fn shown(entity: Entity, text: &str) -> Vec<String> {
    extract(entity, text)
        .into_iter()
        .map(|(v, _)| v.to_string())
        .collect()
}

fn one(entity: Entity, text: &str) -> Value {
    let mut values = extract(entity, text);
    assert_eq!(values.len(), 1, "{text:?} gave {values:?}");
    values.remove(0).0
}

#[test]
fn digit_strings() {
    let cases: &[(&str, &[&str])] = &[
        // Chinese
        ("我的订单号是20261122", &["20261122"]),
        ("单号SD20261119886。", &["20261119886"]),
        ("１３８００１３８０００", &["13800138000"]),
        ("幺三八零零幺三八零零零", &["13800138000"]),
        ("一三八〇〇一三八〇〇〇", &["13800138000"]),
        ("我的电话是一三八 零零一三 八零零零，谢谢", &["13800138000"]),
        ("電話是幺三八兩兩三四五六七八", &["13822345678"]),
        ("尾号1234", &[]),
        ("我买了两个，一共三百五十块", &[]),
        ("一百三十五", &[]),
        ("二十二号到", &[]),
        // Grouping and separators
        ("138-0013 8000", &["13800138000"]),
        ("1 3 8 0 0 1 3 8 0 0 0", &["13800138000"]),
        ("(977) 625-2661", &["9776252661"]),
        ("+86 138 0013 8000", &["8613800138000"]),
        ("123456, 13800138000", &["123456", "13800138000"]),
        ("YP-20261121-0387", &["202611210387"]),
        // Spoken English
        (
            "one three eight double oh one three eight triple oh",
            &["13800138000"],
        ),
        ("it's four four one seven five five", &["441755"]),
        ("oh two oh seven nine four six", &["0207946"]),
        ("Oh, 138 0013 8000 is my number", &["13800138000"]),
        ("forty-four seventeen twenty-two", &["441722"]),
        ("eight hundred five five five one two one two", &["8005551212"]),
        ("one, three, eight, zero, zero, one", &["138001"]),
        ("I have one dog and two cats", &[]),
        // Masks
        ("card ****1234 please", &["****1234"]),
        ("138xxxx8000", &["138****8000"]),
        ("XXXX-XXXX-1234", &["********1234"]),
        // Not identifiers
        ("on 2026-11-22", &[]),
        ("3,000,000 users", &[]),
        ("$1,234,567", &[]),
        ("10:30 tomorrow", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(shown(Entity::Digits, text), *expected, "{text:?}");
    }
}

#[test]
fn values_point_at_the_original_text() {
    let found = extract(Entity::Digits, "客户说：幺三八 零零一三 八零零零。");
    assert_eq!(found[0].1, "幺三八 零零一三 八零零零");
    let found = extract(
        Entity::Digits,
        "Oh, one three eight double oh one three eight triple oh.",
    );
    assert_eq!(found[0].1, "one three eight double oh one three eight triple oh");
    let found = extract(Entity::Amount, "那就转一百三十五块五吧");
    assert_eq!(found[0].1, "一百三十五块五");
    let found = extract(Entity::Date, "我想改到2026年11月22日。");
    assert_eq!(found[0].1, "2026年11月22日");
}

#[test]
fn phone_numbers() {
    assert_eq!(shown(Entity::Phone, "call 555 1234"), ["5551234"]);
    assert_eq!(shown(Entity::Phone, "尾号123456"), Vec::<String>::new());
    assert_eq!(
        shown(Entity::Phone, "1234567890123456"),
        Vec::<String>::new(),
        "too long for a phone number"
    );
}

#[test]
fn amounts() {
    let cases: &[(&str, &[&str])] = &[
        // English
        ("$135", &["135"]),
        ("It's 135 dollars.", &["135"]),
        ("the amount is one hundred and thirty five dollars", &["135"]),
        ("a hundred and thirty-five dollars", &["135"]),
        ("one thirty five dollars", &["135"]),
        ("$135.50", &["135.50"]),
        ("twenty dollars and fifty cents", &["20.50"]),
        ("two thousand five hundred dollars", &["2500"]),
        ("RMB 500", &["500"]),
        ("$5k", &["5000"]),
        ("five hundred bucks", &["500"]),
        ("I have 135 apples", &[]),
        ("one three five dollars", &[]),
        // Chinese
        ("135元", &["135"]),
        ("一百三十五元", &["135"]),
        // 块, 毛 and 角 are money when the talk is about money (here 付, 转, 费, 钱).
        ("付了一百三十五块", &["135"]),
        ("转一百三十五块五", &["135.50"]),
        ("花了一百三十五块五毛", &["135.50"]),
        ("运费三块二毛五分", &["3.25"]),
        ("两百块钱", &["200"]),
        ("一千二百元", &["1200"]),
        ("交了一千二块", &["1200"]),
        ("3万元", &["30000"]),
        ("三万五千元", &["35000"]),
        ("三万一千元", &["31000"]),
        ("一百零五元", &["105"]),
        ("十块钱", &["10"]),
        ("一点五元", &["1.50"]),
        ("一共三百五十块钱", &["350"]),
        ("135元5个", &["135"]),
        ("五毛钱", &["0.50"]),
        ("一块钱", &["1"]),
        ("一块五毛钱", &["1.50"]),
        ("1万5千元", &["15000"]),
        ("1.5 million dollars", &["1500000"]),
        ("¥1,280.50", &["1280.50"]),
        ("￥99", &["99"]),
    ];
    for (text, expected) in cases {
        assert_eq!(shown(Entity::Amount, text), *expected, "{text:?}");
    }
}

#[test]
fn kuai_mao_and_jiao_count_things_unless_the_talk_is_about_money() {
    // Issue 13: "together", "a fault" and pieces were read as amounts ("the customer gave 0").
    let things: &[&str] = &[
        "这两个商品能一块送么？",
        "这个耳机有点毛病",
        "是六块的，就收到五块",
        "一百三十五块",
        "切成三角的",
        "我一块儿去",
    ];
    for text in things {
        assert_eq!(shown(Entity::Amount, text), Vec::<String>::new(), "{text:?}");
    }
    // With money talk around the turn (a price question before it, an amount the other party
    // gave), the caller says so and 块 is money.
    let mut norm = NormText::new();
    let around = |text: &str, norm: &mut NormText| -> Vec<String> {
        Extractor::new(Entity::Amount, None)
            .extract_hinted(text, 1, norm, text_hint(text), true)
            .values
            .iter()
            .map(|f| f.value.to_string())
            .collect()
    };
    assert_eq!(around("一百三十五块", &mut norm), ["135"]);
    assert_eq!(around("就收到五块", &mut norm), ["5"]);
    assert_eq!(around("这两个商品能一块送么？", &mut norm), Vec::<String>::new());
    assert_eq!(around("这个耳机有点毛病", &mut norm), Vec::<String>::new());
    // Sure money whatever the talk: 元, 钱, a currency sign.
    assert_eq!(shown(Entity::Amount, "就收到五块钱"), ["5"]);
    assert_eq!(shown(Entity::Amount, "¥5"), ["5"]);
}

#[test]
fn financial_numerals_are_amounts_and_digits() {
    let cases: &[(&str, &[&str])] = &[
        ("壹佰元", &["100"]),
        ("人民币壹万贰仟叁佰肆拾伍元陆角柒分", &["12345.67"]),
        ("叁仟元整", &["3000"]),
        ("拾伍圆", &["15"]),
        ("金额：伍佰零捌元", &["508"]),
    ];
    for (text, expected) in cases {
        assert_eq!(shown(Entity::Amount, text), *expected, "{text:?}");
    }
    assert_eq!(extract(Entity::Amount, "叁仟元整。")[0].1, "叁仟元整");
    assert_eq!(
        shown(Entity::Digits, "账号壹叁捌零零壹叁捌零零零"),
        ["13800138000"]
    );
    // Read as a date's numbers too, and traditional forms fold to them (貳 = 贰, 陸 = 陆).
    assert_eq!(shown(Entity::Amount, "貳佰陸拾元"), ["260"]);
    // Words that hold financial numerals are words.
    assert_eq!(shown(Entity::Digits, "陆续寄出13800138000"), ["13800138000"]);
    assert_eq!(shown(Entity::Digits, "13800138000收拾一下"), ["13800138000"]);
}

#[test]
fn numerals_inside_words_are_not_digits() {
    // Issue 13: "read back 13812345678, customer said 138123456781".
    let cases: &[(&str, &[&str])] = &[
        ("我的手机号是13812345678，一直收不到验证码。", &["13812345678"]),
        ("手机号13812345678一直收不到", &["13812345678"]),
        ("13812345678一下", &["13812345678"]),
        ("13812345678一样", &["13812345678"]),
        ("13812345678一起", &["13812345678"]),
        ("13812345678一点", &["13812345678"]),
        ("13812345678两个", &["13812345678"]),
        ("幺三八一二三四五六七八一直收不到", &["13812345678"]),
        ("幺三八一二三四五六七八两个都没到", &["13812345678"]),
        ("号码是138一二三四5678一会儿再打", &["13812345678"]),
        ("一三八一二三四五六七八十分感谢", &["13812345678"]),
        ("一三八一二三四五六七八万一打不通", &["13812345678"]),
        ("一三八一二三四五六七八乱七八糟的", &["13812345678"]),
        ("我统一一下订单号2026112203", &["2026112203"]),
        // Words alone never make a value, however many numerals they hold.
        ("一直一下一样一起一点一块两个一些万一统一一般一定", &[]),
        ("七上八下，三心二意，乱七八糟，五花八门", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(shown(Entity::Digits, text), *expected, "{text:?}");
    }
    // The words count as words in amounts too: 一共 leads, 一下 does not add tenths.
    assert_eq!(shown(Entity::Amount, "一共三百五十块钱一下"), ["350"]);
    assert_eq!(shown(Entity::Amount, "付了一百三十五块一下就到了"), ["135"]);
    // Where a word's numerals are a number after all.
    assert_eq!(shown(Entity::Amount, "一点五元"), ["1.50"]);
    assert_eq!(shown(Entity::Amount, "五十分钟"), Vec::<String>::new());
    assert_eq!(hide_numeral_words("三万一千"), "三万一千");
    assert_eq!(hide_numeral_words("五十分"), "五十分");
    assert_eq!(hide_numeral_words("十分钟"), "十分钟");
    assert_eq!(hide_numeral_words("一直"), "々々");
    assert_eq!(hide_numeral_words("我一会儿到"), "我々々々到");
    // Longest match at the numeral: 一共, not 统一.
    assert_eq!(hide_numeral_words("系统一共"), "系统々々");
    assert_eq!(hide_numeral_words("二百零一块"), "二百零一块");
    assert_eq!(hide_numeral_words("13800138000一块"), "13800138000々々");
    // A word never eats the last digit of a number said just before it: 一同 yields to 同一.
    assert_eq!(hide_numeral_words("零一同一"), "零一々々");
    assert!(matches!(
        hide_numeral_words("13800138000"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn the_numeral_word_list_is_sorted_and_sound() {
    assert!(NUMERAL_WORDS.len() >= 50, "{}", NUMERAL_WORDS.len());
    for pair in NUMERAL_WORDS.windows(2) {
        assert!(pair[0].0 < pair[1].0, "not sorted or repeated: {pair:?}");
    }
    for (word, _) in NUMERAL_WORDS {
        let numeral =
            |c: char| super::numbers::cjk_digit(c).is_some() || super::numbers::cjk_unit(c).is_some();
        assert!(word.chars().any(numeral), "{word} holds no numeral");
        // A word made of numerals only must start with a unit, so that it is a number only
        // after another numeral (万一 "in case", 三万一 31,000).
        let unit_led = word
            .chars()
            .next()
            .is_some_and(|c| super::numbers::cjk_unit(c).is_some());
        assert!(!word.chars().all(numeral) || unit_led, "{word} is a number");
        // Hidden words keep their byte length with a three-byte filler.
        assert!(word.chars().all(|c| c.len_utf8() == 3), "{word}");
        assert_eq!(
            hide_numeral_words(word).chars().filter(|&c| c == '々').count(),
            word.chars().count(),
            "{word}"
        );
    }
}

#[test]
fn every_word_after_every_last_digit_leaves_the_number() {
    // Exhaustive beside the property test: the number's last character and the word's first
    // may form another word (一同 in "…一同一"); the number must stay whole.
    for (word, _) in NUMERAL_WORDS {
        for last in [
            "零", "〇", "一", "幺", "二", "两", "三", "五", "九", "壹", "陆", "0", "1",
        ] {
            let text = format!("一三八零零一三八零零{last}{word}");
            let found = shown(Entity::Digits, &text);
            assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
            assert_eq!(found[0].len(), 11, "{text:?} gave {found:?}");
            assert!(found[0].starts_with("1380013800"), "{text:?} gave {found:?}");
        }
    }
}

#[test]
fn a_full_width_comma_ends_a_clause() {
    // "，" ends a clause in Chinese: it never extends a whole number or adds a lone digit...
    assert_eq!(shown(Entity::Digits, "13812345678，1234"), ["13812345678"]);
    assert_eq!(shown(Entity::Digits, "是13812345678，三"), ["13812345678"]);
    assert_eq!(
        shown(Entity::Digits, "号码是幺三八一二三四五六七八，一"),
        ["13812345678"]
    );
    assert_eq!(shown(Entity::Digits, "138，0013，8000，5"), ["13800138000"]);
    // ... an ASCII comma groups digits as it always did ...
    assert_eq!(shown(Entity::Digits, "13812345678,1234"), ["138123456781234"]);
    // ... and short groups read aloud with pauses still make one number.
    assert_eq!(
        shown(Entity::Digits, "新号码是一三八，零零一三，八零零零。"),
        ["13800138000"]
    );
    assert_eq!(
        shown(Entity::Amount, "是六块的，就收到五块"),
        Vec::<String>::new()
    );
}

#[test]
fn spoken_digit_groups_join_across_commas_and_and() {
    let cases: &[(&str, &[&str])] = &[
        (
            "so that's four one five, five five five, oh one three two?",
            &["4155550132"],
        ),
        (
            "four one five and five five five and oh one three two",
            &["4155550132"],
        ),
        (
            "four one five, and five five five, and oh one three two",
            &["4155550132"],
        ),
        // "oh" after a comma is a word when no spoken digit follows it.
        ("one three eight five five five, oh, wait", &["138555"]),
        ("Oh, one three eight five five five", &["138555"]),
        // "and" joins spoken groups only.
        ("order 415555 and 0132 for the card", &["415555"]),
    ];
    for (text, expected) in cases {
        assert_eq!(shown(Entity::Digits, text), *expected, "{text:?}");
    }
}

#[test]
fn bare_numbers_are_read_for_amount_read_backs() {
    let mut norm = NormText::new();
    let extractor = Extractor::new(Entity::Amount, None);
    let mut bare = |text: &str| -> Vec<String> {
        extractor
            .bare_amounts(text, &mut norm, text_hint(text), false)
            .iter()
            .map(|f| f.value.to_string())
            .collect()
    };
    assert_eq!(bare("seventy nine"), ["79"]);
    assert_eq!(bare("so that's one hundred and thirty five, right?"), ["135"]);
    assert_eq!(bare("好的，七十九"), ["79"]);
    assert_eq!(bare("79.50 then"), ["79.50"]);
    assert_eq!(bare("thank you"), Vec::<String>::new());
    // Only amount rules read them.
    let digits = Extractor::new(Entity::Digits, None);
    assert!(
        digits
            .bare_amounts("seventy nine", &mut norm, text_hint("seventy nine"), false)
            .is_empty()
    );
    // Without a currency word, a number is not an amount by itself.
    assert_eq!(shown(Entity::Amount, "seventy nine"), Vec::<String>::new());
}

#[test]
fn dates() {
    let cases: &[(&str, &[&str])] = &[
        ("11月22日", &["11-22"]),
        ("11月22号", &["11-22"]),
        ("十一月二十二日", &["11-22"]),
        ("2026年11月22日", &["2026-11-22"]),
        ("二〇二六年十一月二十二号", &["2026-11-22"]),
        ("2026-11-22", &["2026-11-22"]),
        ("2026/11/22", &["2026-11-22"]),
        ("November 22", &["11-22"]),
        ("Nov 22nd, 2026", &["2026-11-22"]),
        ("November twenty-second", &["11-22"]),
        ("november the twenty second", &["11-22"]),
        ("the 22nd of November", &["11-22"]),
        ("22 November 2026", &["2026-11-22"]),
        ("on the twenty-second of November", &["11-22"]),
        ("you may one day", &[]),
        ("13月5日", &[]),
        ("February 30", &[]),
        ("3个月后", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(shown(Entity::Date, text), *expected, "{text:?}");
    }
}

#[test]
fn emails_and_patterns() {
    assert_eq!(shown(Entity::Email, "cminh730@email.com"), ["cminh730@email.com"]);
    assert_eq!(shown(Entity::Email, "CMinh730@Email.COM"), ["cminh730@email.com"]);
    assert_eq!(
        shown(Entity::Email, "it's cminh730 at email dot com"),
        ["cminh730@email.com"]
    );
    assert_eq!(
        shown(Entity::Email, "邮箱是cminh730艾特email点com"),
        ["cminh730@email.com"]
    );
    assert_eq!(shown(Entity::Email, "I'm at home dot"), Vec::<String>::new());
    let spelled = [
        "my email is c m i n h seven three zero at email dot com",
        "it's cminh seven three zero at email dot com",
        "邮箱是cminh730艾特email点com",
    ];
    for text in spelled {
        assert_eq!(shown(Entity::Email, text), ["cminh730@email.com"], "{text:?}");
    }
    assert_eq!(
        shown(Entity::Email, "john dot smith at acme dot co dot uk"),
        ["john.smith@acme.co.uk"]
    );
    let found = extract(
        Entity::Email,
        "so that's c m i n h seven three zero at email dot com, right?",
    );
    assert_eq!(found[0].1, "c m i n h seven three zero at email dot com");
    assert_eq!(shown(Entity::Regex, "单号SD20261119886。"), ["sd20261119886"]);
}

#[test]
fn placeholders_are_found_per_entity() {
    let mut norm = NormText::new();
    let mut placeholders = |entity: Entity, text: &str| {
        Extractor::new(entity, None)
            .extract(text, 6, &mut norm)
            .placeholders
            .len()
    };
    assert_eq!(placeholders(Entity::Digits, "订单号是[订单x]"), 1);
    assert_eq!(placeholders(Entity::Phone, "my number is <PHONE>"), 1);
    assert_eq!(placeholders(Entity::Digits, "it's <PHONE_NUMBER>"), 1);
    assert_eq!(placeholders(Entity::Digits, "card ****"), 1);
    assert_eq!(placeholders(Entity::Digits, "[noise] hello"), 0);
    assert_eq!(placeholders(Entity::Amount, "<PHONE>"), 0);
    assert_eq!(placeholders(Entity::Amount, "[AMOUNT]"), 1);
    assert_eq!(
        placeholders(Entity::Digits, "card ****1234"),
        0,
        "a partly masked value"
    );
}

#[test]
fn comparisons() {
    use Comparison::{Different, Near, Same};
    let cases: &[(Entity, &str, &str, Option<usize>, Comparison)] = &[
        (Entity::Digits, "13800138000", "138 0013 8000", None, Same),
        (
            Entity::Digits,
            "13800138000",
            "幺三八零零幺三八零零零",
            None,
            Same,
        ),
        (Entity::Digits, "13800138000", "13800138001", None, Near),
        (Entity::Digits, "13800138000", "13800183000", None, Near),
        (Entity::Digits, "13800138000", "1380013800", None, Near),
        (Entity::Digits, "13800138000", "ending 8000", Some(4), Same),
        (Entity::Digits, "13800138000", "ending 8000", None, Different),
        (Entity::Digits, "13800138000", "ending 8001", Some(4), Near),
        (Entity::Digits, "13800138000", "20261122", None, Different),
        (Entity::Digits, "138xxxx8000", "13800138000", None, Same),
        (Entity::Digits, "card ****1234", "13800001234", None, Same),
        (Entity::Digits, "card ****1234", "ending 5678", Some(4), Different),
        (Entity::Digits, "138xxxx8000", "ending 8000", Some(4), Same),
        (Entity::Phone, "+86 138 0013 8000", "13800138000", None, Same),
        (Entity::Phone, "020 7946 0000", "20 7946 0000", None, Same),
        (Entity::Amount, "$135", "一百三十五元", None, Same),
        (
            Entity::Amount,
            "135元",
            "one hundred and thirty five dollars",
            None,
            Same,
        ),
        (Entity::Amount, "$135", "$136", None, Near),
        (Entity::Amount, "$135", "$1,350", None, Near),
        (Entity::Amount, "$135", "$20", None, Different),
        (Entity::Date, "11月22日", "November 22", None, Same),
        (Entity::Date, "2026-11-22", "11月22日", None, Same),
        (Entity::Date, "11月22日", "November 23rd", None, Near),
        (Entity::Date, "2026-11-22", "2025-11-22", None, Near),
        (Entity::Date, "11月22日", "December 5", None, Different),
        (
            Entity::Email,
            "cminh730@email.com",
            "cminh730 at email dot com",
            None,
            Same,
        ),
        (
            Entity::Email,
            "cminh730@email.com",
            "cminh731@email.com",
            None,
            Near,
        ),
        (
            Entity::Email,
            "cminh730@email.com",
            "bob@example.org",
            None,
            Different,
        ),
    ];
    for &(entity, given, said, partial, expected) in cases {
        let mut norm = NormText::new();
        let extractor = Extractor::new(entity, None);
        let g = one(entity, given);
        let s = extractor.extract(said, 1, &mut norm).values;
        assert_eq!(s.len(), 1, "{said:?}: {s:?}");
        assert_eq!(
            compare(entity, &g, &s[0].value, partial),
            expected,
            "{given:?} vs {said:?}"
        );
    }
}

#[test]
fn english_numbers() {
    let cases: &[(&str, Option<u64>)] = &[
        ("one hundred and thirty five", Some(135)),
        ("a hundred", Some(100)),
        ("twenty two", Some(22)),
        ("two thousand five hundred and one", Some(2501)),
        ("one thirty five", Some(135)),
        ("nineteen ninety nine", Some(1999)),
        ("three million", Some(3_000_000)),
        ("one five", None),
        ("and five", None),
        ("hundred hundred", None),
        ("twenty thirty", None),
    ];
    for (text, expected) in cases {
        let words: Vec<&str> = text.split(' ').collect();
        assert_eq!(parse_english_number(&words), *expected, "{text:?}");
    }
}

#[test]
fn chinese_numbers() {
    let cases: &[(&str, Option<u64>)] = &[
        ("一百三十五", Some(135)),
        ("十五", Some(15)),
        ("二十", Some(20)),
        ("一百零五", Some(105)),
        ("一千二", Some(1200)),
        ("三万五", Some(35_000)),
        ("两百五", Some(250)),
        ("一千零二", Some(1002)),
        ("十二万三千四百五十六", Some(123_456)),
        ("三亿", Some(300_000_000)),
        ("一三五", Some(135)),
        ("二〇二六", Some(2026)),
        ("1万5千", Some(15_000)),
        ("15万", Some(150_000)),
        ("一二百", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_chinese_integer(text), *expected, "{text:?}");
    }
}

// ── Renderings for the property tests ───────────────────────────────────────────────────────

const EN_DIGITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const ZH_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Digits read aloud in English, with "oh" for some zeros and "double"/"triple" for repeats.
fn spoken_english(digits: &[u8], oh: bool, compress: bool) -> String {
    let word = |d: u8| if d == 0 && oh { "oh" } else { EN_DIGITS[d as usize] };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < digits.len() {
        let d = digits[i];
        let run = digits[i..].iter().take_while(|&&x| x == d).count();
        if compress && run >= 3 {
            out.push(format!("triple {}", word(d)));
            i += 3;
        } else if compress && run == 2 {
            out.push(format!("double {}", word(d)));
            i += 2;
        } else {
            out.push(word(d).to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// Digits read aloud in Chinese, with 幺 for 1 and 〇 for 0 when asked.
fn spoken_chinese(digits: &[u8], yao: bool) -> String {
    digits
        .iter()
        .map(|&d| match d {
            1 if yao => '幺',
            0 if yao => '〇',
            d => ZH_DIGITS[d as usize],
        })
        .collect()
}

/// Digits in groups of `size`, separated by `sep`.
fn grouped(digits: &[u8], size: usize, sep: &str) -> String {
    digits
        .chunks(size)
        .map(|c| c.iter().map(|d| char::from(b'0' + d)).collect::<String>())
        .collect::<Vec<_>>()
        .join(sep)
}

fn full_width(digits: &[u8]) -> String {
    digits
        .iter()
        .map(|&d| char::from_u32(0xFF10 + u32::from(d)).unwrap())
        .collect()
}

/// A number in English words: "one hundred and thirty five".
fn english_words(n: u64) -> String {
    // The digit words the hint tells, in order: ten to nineteen, then twenty to ninety.
    fn words(from: &str, to: &str) -> &'static [&'static str] {
        let at = |word| super::hint::DIGIT_WORDS.iter().position(|w| *w == word).unwrap();
        &super::hint::DIGIT_WORDS[at(from)..=at(to)]
    }
    fn below_thousand(n: u64) -> Vec<String> {
        let (teens, tens) = (words("ten", "nineteen"), words("twenty", "ninety"));
        let mut out = Vec::new();
        if n >= 100 {
            out.push(format!("{} hundred", EN_DIGITS[(n / 100) as usize]));
            if n % 100 != 0 {
                out.push("and".into());
            }
        }
        let rest = n % 100;
        match rest {
            0 => {}
            1..=9 => out.push(EN_DIGITS[rest as usize].into()),
            10..=19 => out.push(teens[(rest - 10) as usize].into()),
            _ if rest % 10 == 0 => out.push(tens[(rest / 10 - 2) as usize].into()),
            _ => out.push(format!(
                "{}-{}",
                tens[(rest / 10 - 2) as usize],
                EN_DIGITS[(rest % 10) as usize]
            )),
        }
        out
    }
    if n == 0 {
        return "zero".into();
    }
    let mut out = Vec::new();
    if n >= 1000 {
        out.extend(below_thousand(n / 1000));
        out.push("thousand".into());
    }
    out.extend(below_thousand(n % 1000));
    out.join(" ")
}

/// A number in Chinese numerals: "一百三十五", "十五", "一万零五".
fn chinese_numeral(n: u64) -> String {
    fn below_wan(n: u64, leading: bool) -> String {
        let units = [(1000, '千'), (100, '百'), (10, '十')];
        let mut out = String::new();
        let mut zero = false;
        let mut started = false;
        for (value, unit) in units {
            let d = (n / value) % 10;
            if d == 0 {
                zero |= started;
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            // "十五", not "一十五", at the start of a number.
            if !(value == 10 && d == 1 && !started && leading) {
                out.push(ZH_DIGITS[d as usize]);
            }
            out.push(unit);
            started = true;
        }
        let d = n % 10;
        if d != 0 {
            if zero || (started && (n / 10) % 10 == 0) {
                out.push('零');
            }
            out.push(ZH_DIGITS[d as usize]);
        }
        out
    }
    if n == 0 {
        return "零".into();
    }
    let (wan, rest) = (n / 10_000, n % 10_000);
    let mut out = String::new();
    if wan > 0 {
        out.push_str(&below_wan(wan, true));
        out.push('万');
        if rest > 0 && rest < 1000 {
            out.push('零');
        }
        if rest > 0 {
            out.push_str(&below_wan(rest, false));
        }
    } else {
        out.push_str(&below_wan(rest, true));
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn ordinal_word(d: u64) -> String {
    const ORD: [&str; 20] = [
        "",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    match d {
        1..=19 => ORD[d as usize].into(),
        20 => "twentieth".into(),
        30 => "thirtieth".into(),
        _ => format!(
            "{}-{}",
            if d < 30 { "twenty" } else { "thirty" },
            ORD[(d % 10) as usize]
        ),
    }
}

fn ordinal_suffix(d: u64) -> &'static str {
    match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn same(entity: Entity, a: &Value, b: &Value) -> bool {
    compare(entity, a, b, None) == Comparison::Same
}

proptest! {
    #[test]
    fn digit_strings_match_their_renderings(
        digits in prop::collection::vec(0u8..10, 6..16),
        size in 3usize..5,
        sep in prop::sample::select(vec![" ", "-", " - ", ", "]),
        oh in any::<bool>(),
        compress in any::<bool>(),
        yao in any::<bool>(),
    ) {
        let plain = Value::Digits(digits.iter().map(|&d| Some(d)).collect());
        let renderings = [
            grouped(&digits, 100, ""),
            grouped(&digits, size, sep),
            full_width(&digits),
            spoken_chinese(&digits, yao),
            format!("号码是{}。", spoken_chinese(&digits, yao)),
            spoken_english(&digits, oh, compress),
            format!("it's {}, thanks", spoken_english(&digits, oh, compress)),
        ];
        for text in &renderings {
            let value = one(Entity::Digits, text);
            prop_assert!(same(Entity::Digits, &plain, &value), "{text:?} gave {value}");
        }
    }

    #[test]
    fn amounts_match_their_renderings(n in 1u64..100_000) {
        let want = Value::Amount(n * 100);
        let with_commas = {
            let s = n.to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        let renderings = [
            format!("${n}"),
            format!("${with_commas}"),
            format!("{n} dollars"),
            format!("{} dollars", english_words(n)),
            format!("the amount is {} dollars", english_words(n)),
            format!("{n}元"),
            format!("{}元", chinese_numeral(n)),
            format!("一共{}块钱", chinese_numeral(n)),
        ];
        for text in &renderings {
            let value = one(Entity::Amount, text);
            prop_assert!(same(Entity::Amount, &want, &value), "{text:?} gave {value}");
        }
    }

    #[test]
    fn dates_match_their_renderings(month in 1u64..=12, day in 1u64..=28) {
        let want = one(Entity::Date, &format!("2026-{month:02}-{day:02}"));
        let name = MONTHS[(month - 1) as usize];
        let renderings = [
            format!("{month}月{day}日"),
            format!("{}月{}号", chinese_numeral(month), chinese_numeral(day)),
            format!("{name} {day}"),
            format!("{name} {day}{}", ordinal_suffix(day)),
            format!("{name} {}", ordinal_word(day)),
            format!("the {} of {name}", ordinal_word(day)),
            format!("{day} {name} 2026"),
            format!("2026/{month}/{day}"),
        ];
        for text in &renderings {
            let value = one(Entity::Date, text);
            prop_assert!(same(Entity::Date, &want, &value), "{text:?} gave {value}");
        }
    }

    #[test]
    fn emails_match_their_spoken_renderings(
        name in "[a-z]{3,8}",
        digits in prop::collection::vec(0u8..10, 0..4),
        domain in "[a-z]{3,8}",
        tld in prop::sample::select(vec!["com", "net", "org", "cn"]),
    ) {
        // A local part that is itself a spoken word of the address ("her", "dot", "one") cannot
        // be told from the words around it when spoken: only written forms are unambiguous.
        let spoken_word = super::values::LOCAL_PART_STOP.contains(&name.as_str())
            || super::numbers::english_digit(&name).is_some()
            || matches!(name.as_str(), "dot" | "zero" | "oh" | "dash" | "underscore" | "hyphen" | "point" | "double" | "triple");
        prop_assume!(!spoken_word && !matches!(domain.as_str(), "dot" | "at"));
        let number: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        let want = Value::Text(format!("{name}{number}@{domain}.{tld}"));
        let spelled_digits = spoken_english(&digits, false, false);
        let letters: Vec<String> = name.chars().map(String::from).collect();
        let renderings = [
            format!("{name}{number}@{domain}.{tld}"),
            format!("my email is {name}{number} at {domain} dot {tld}"),
            format!("it's {} {spelled_digits} at {domain} dot {tld}", letters.join(" ")),
            format!("邮箱是{name}{number}艾特{domain}点{tld}"),
        ];
        for text in &renderings {
            let value = one(Entity::Email, text);
            prop_assert!(same(Entity::Email, &want, &value), "{text:?} gave {value}");
        }
    }

    #[test]
    fn chinese_numerals_round_trip(n in 1u64..100_000_000) {
        prop_assert_eq!(parse_chinese_integer(&chinese_numeral(n)), Some(n), "{}", chinese_numeral(n));
    }

    #[test]
    fn english_numbers_round_trip(n in 1u64..1_000_000) {
        let text = english_words(n).replace('-', " ");
        let words: Vec<&str> = text.split(' ').collect();
        prop_assert_eq!(parse_english_number(&words), Some(n), "{}", text);
    }

    #[test]
    fn numeral_words_after_a_value_never_change_it(
        digits in prop::collection::vec(0u8..10, 7..15),
        form in 0usize..3,
        yao in any::<bool>(),
        word in prop::sample::select(NUMERAL_WORDS.iter().map(|(w, _)| *w).collect::<Vec<_>>()),
        lead in prop::sample::select(vec!["", "我的手机号是", "订单号 "]),
        tail in prop::sample::select(vec!["", "。", "收不到验证码", "，谢谢", "?"]),
        n in 1u64..100_000,
    ) {
        // Digits as Arabic numerals, Chinese numerals, or the two mixed.
        let chinese = spoken_chinese(&digits, yao);
        let value: String = match form {
            0 => grouped(&digits, 100, ""),
            1 => chinese,
            _ => chinese
                .chars()
                .zip(&digits)
                .enumerate()
                .map(|(i, (c, d))| if i % 3 == 0 { char::from(b'0' + d) } else { c })
                .collect(),
        };
        let plain = Value::Digits(digits.iter().map(|&d| Some(d)).collect());
        let text = format!("{lead}{value}{word}{tail}");
        let found = extract(Entity::Digits, &text);
        prop_assert_eq!(found.len(), 1, "{:?} gave {:?}", text, found);
        prop_assert!(same(Entity::Digits, &plain, &found[0].0), "{:?} gave {}", text, found[0].0);
        prop_assert_eq!(&found[0].1, &value);
        // The same for an amount in Chinese numerals or figures.
        for amount in [format!("付了{}块", chinese_numeral(n)), format!("{n}元")] {
            let text = format!("{lead}{amount}{word}{tail}");
            let value = one(Entity::Amount, &text);
            prop_assert!(same(Entity::Amount, &Value::Amount(n * 100), &value), "{:?} gave {}", text, value);
        }
    }

    #[test]
    fn extraction_never_panics(text in "\\PC{0,60}") {
        let mut norm = NormText::new();
        for entity in [Entity::Digits, Entity::Phone, Entity::Amount, Entity::Date, Entity::Email] {
            let found = Extractor::new(entity, None).extract(&text, 1, &mut norm);
            for f in found.values {
                prop_assert!(text.get(f.range.clone()).is_some());
            }
        }
    }
}

#[test]
fn the_digit_bound_never_undercounts_what_digit_runs_read() {
    use super::digit_strings::digit_runs;
    use super::hint::may_hold_digits;
    let cases = [
        "4111 1111 1111 1111",
        "four one one one one one one one one one one one one one one one",
        "double four triple one, fifteen twenty, eight hundred oh five",
        "一三八零零一三八零零零 幺两三",
        "①②③④⑤⑥⑦⑧⑨①②③④",
        "１２３４５６７８９０１２３",
        // Read as "forty": the bound once left it out, and the rule skipped the number.
        "fourty 5501",
    ];
    for case in cases {
        let mut norm = crate::normalize::NormText::new();
        crate::normalize::normalize_into(&super::values::VALUE_PROFILE, case, &mut norm);
        let read = digit_runs(norm.as_str())
            .iter()
            .map(|r| r.digits.len())
            .max()
            .unwrap_or(0);
        assert!(read > 0, "{case}");
        assert!(
            may_hold_digits(case, read),
            "{case}: {read} digits read, bound says fewer"
        );
    }
    assert!(!may_hold_digits(
        "Thank you for calling, how can I help you today?",
        13
    ));
    assert!(!may_hold_digits(
        "您好，这里是顺达快递客服中心，请问有什么可以帮您？",
        6
    ));
}

#[test]
fn every_amount_marker_makes_the_hint_say_money() {
    for marker in super::values::AMOUNT_MARKER_WORDS {
        for text in [
            marker.to_string(),
            marker.to_ascii_uppercase(),
            format!("您好{marker}。"),
        ] {
            assert!(text_hint(&text).maybe_money, "{text}");
        }
    }
    for text in [
        "您好，这里是顺达快递客服中心，请问有什么可以帮您？",
        "一三八零零一三八零零零。",
        "12:30",
    ] {
        assert!(!text_hint(text).maybe_money, "{text}");
    }
}

/// The text hint as first written, one character at a time: the byte-wise [`text_hint`] must
/// give exactly the same hint.
fn text_hint_by_chars(source: &str) -> super::hint::TextHint {
    use super::digit_strings::is_mask_char;
    use super::numbers::cjk_digit;
    let is_digit_word = |word: &str| super::hint::DIGIT_WORDS.contains(&word.to_ascii_lowercase().as_str());
    let mut hint = super::hint::TextHint::default();
    let mut word_start: Option<usize> = None;
    let mut previous_mask = false;
    for (at, c) in source.char_indices().chain(std::iter::once((source.len(), ' '))) {
        let mask = is_mask_char(c.to_ascii_lowercase()) || c == '＊';
        hint.maybe_masked |= (mask && previous_mask) || matches!(c, '[' | '<' | '{' | '【' | '（');
        previous_mask = mask;
        hint.maybe_money |= c == '$'
            || c.is_ascii_alphabetic()
            || super::hint::MONEY_SIGNS.contains(&c)
            || super::hint::MONEY_CHARS.contains(&c);
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                word_start.get_or_insert(at);
                continue;
            }
            if c.is_ascii_digit() {
                hint.digits += 1;
            }
        } else if cjk_digit(c).is_some() || super::hint::other_digit(c) {
            hint.digits += 1;
        }
        if let Some(start) = word_start.take()
            && is_digit_word(&source[start..at])
        {
            hint.digits += 2;
        }
    }
    hint
}

proptest! {
    /// The byte-wise hint equals the character-wise one on text mixing digit words, digits in
    /// every script, masks, brackets and ordinary words.
    #[test]
    fn text_hint_reads_bytes_as_it_read_characters(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "one", "Oh", "o", "DOUBLE", "triple", "Seventeen", "hundred", "forty", "fourty",
                "seventeens", "x", "X", "xx", "*", "#", "•", "●", "×", "＊", "[", "<", "{", "【", "（",
                "7", "１", "①", "²", "一", "幺", "两", "零", "〇", "万", "您好", "é", "ñandú", "👍",
                " ", ",", "-", "'", "the", "zero", "nine", "abcdefghijklmnopq", "$", "¥", "€", "＄",
                "￡", "元", "塊", "美金", "角", "，", "。", "？", "、", "：", "！", "〈", "／", "＠",
            ]),
            0..24,
        )
    ) {
        let text = pieces.concat();
        prop_assert_eq!(text_hint(&text), text_hint_by_chars(&text), "{:?}", text);
    }

    /// Extractors reading one shared text in turn find what each finds on its own.
    #[test]
    fn a_shared_text_reads_as_a_fresh_one(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "13812345678", "一三八一二三四五六七八", "¥1,280.50", "五十块", "seventy nine dollars",
                "2026年11月22日", "3 May 1980", "john at example dot com", "a@b.co", "double five",
                "您好", "the number is ", " ", "，", "[数字x]", "****1234",
            ]),
            0..8,
        )
    ) {
        let text = pieces.concat();
        let mut shared = super::values::SharedText::new(text.clone());
        // The digit-string reader first: it may leave the amounts in money talk for the amount
        // readers after it, which must read 块 as money only when told so.
        for (entity, min_digits, money) in [
            (Entity::Digits, 6, false),
            (Entity::Amount, 1, false),
            (Entity::Amount, 1, true),
            (Entity::Date, 1, false),
            (Entity::Email, 0, false),
        ] {
            let extractor = Extractor::new(entity, None);
            let fresh = extractor.extract_hinted(&text, min_digits, &mut NormText::new(), text_hint(&text), money);
            let values = extractor.values_shared(&mut shared, min_digits, money, super::values::Reading::Values);
            prop_assert_eq!(values, fresh.values, "{:?}", entity);
        }
    }

    /// No text holds an amount marker that its hint does not allow for.
    #[test]
    fn the_hint_never_rules_out_an_amount_marker(
        text in "([元块塊圆圓毛角美金钱$¥£€＄￥￡您好是的]|[a-zA-Z]|\\PC){0,30}"
    ) {
        if super::values::AMOUNT_MARKERS.is_match(&text) {
            prop_assert!(text_hint(&text).maybe_money, "{:?}", text);
        }
    }

    /// The same on any text, Chinese numerals and ideographs included.
    #[test]
    fn text_hint_reads_any_text_as_it_read_characters(
        text in "([一二两三四五六七八九十零〇幺壹贰叁肆伍陆柒捌玖拾佰仟万亿元块号码您好是的]|\\PC){0,40}"
    ) {
        prop_assert_eq!(text_hint(&text), text_hint_by_chars(&text), "{:?}", text);
    }
}

proptest! {
    /// No digit string that [`digit_runs`] reads in folded text is longer than the text's
    /// bound ([`may_hold_run`], masked digits counted when asked for), nor has more visible digits than
    /// its bound without masks.
    #[test]
    fn the_run_bound_never_undercounts_what_digit_runs_read(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "one", "oh", "o", "double", "triple", "fifteen", "forty", "fourty", "Four", "hundred",
                "and", "x", "xx", "X", "***", "#", "•", "7", "12", "１２", "①", "⑩", "一", "幺", "两",
                "零", "十", "陸", "貳", "您好", "的", "号", " ", "\u{3000}", ",", "，", "-", ".", "…",
                "(", ")", "/", ":", "：", "[", "]", "'", "a", "the", "xl", "ｏｎｅ", "＃＃", "\u{301}",
                "\u{200b}", "\t",
            ]),
            0..24,
        )
    ) {
        run_bound_holds(&pieces.concat())?;
    }
}

/// Pieces of texts that hold values of every entity, and texts that hold none.
fn value_text_pieces() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(
        prop::sample::select(vec![
            "13812345678",
            "一三八一二三四五六七八",
            "¥1,280.50",
            "五十块",
            "六块",
            "五毛",
            "三角",
            "seventy nine dollars",
            "2026年11月22日",
            "3 May 1980",
            "john at example dot com",
            "double five",
            "12345",
            "您好",
            "the number is ",
            " ",
            "，",
            "[数字x]",
            "****1234",
        ]),
        0..8,
    )
}

proptest! {
    /// What `--redact` takes from a read-back rule's read is what it would read itself: with as
    /// many digits or more, and with `money` either way.
    #[test]
    fn values_read_again_are_the_values_read(
        pieces in value_text_pieces(),
        min in 1usize..8,
        extra in 0usize..4,
        money_before: bool,
        money: bool,
    ) {
        super::reads::want();
        let text = pieces.concat();
        let hint = text_hint(&text);
        for entity in [Entity::Digits, Entity::Phone, Entity::Amount, Entity::Date, Entity::Email] {
            let extractor = Extractor::new(entity, None);
            extractor.extract_remembered(&text, min, &mut NormText::new(), hint, money_before);
            let fresh = extractor.extract_hinted(&text, min + extra, &mut NormText::new(), hint, money);
            let mut shared = super::values::SharedText::new(text.clone());
            let again = extractor.values_shared(&mut shared, min + extra, money, super::values::Reading::Values);
            prop_assert_eq!(again, fresh.values, "{:?} {:?}", entity, text);
        }
    }
}

proptest! {
    /// A read-back rule that reads a text read before takes the read kept: its values and
    /// placeholders are those it would read again, whatever digits and `money` it read with
    /// before.
    #[test]
    fn texts_read_again_by_rules_are_read_as_before(
        pieces in value_text_pieces(),
        placeholder in prop::sample::select(vec!["", "<PHONE>", "[订单x]", "xxxx", "【手机号】"]),
        min_before in 1usize..8,
        min in 1usize..8,
        money_before: bool,
        money: bool,
    ) {
        let text = format!("{}{placeholder}", pieces.concat());
        let hint = text_hint(&text);
        for entity in [Entity::Digits, Entity::Phone, Entity::Amount, Entity::Date, Entity::Email] {
            let extractor = Extractor::new(entity, None);
            for (min, money) in [(min_before, money_before), (min, money)] {
                let read = extractor.extract_remembered(&text, min, &mut NormText::new(), hint, money);
                let fresh = extractor.extract_hinted(&text, min, &mut NormText::new(), hint, money);
                prop_assert_eq!(read.map(|read| read.extracted).unwrap_or_default(), fresh, "{:?} {:?}", entity, text);
            }
        }
    }
}

proptest! {
    /// What `--redact` read before in the same text, it takes as read: the values are those it
    /// would read again, with as many digits or more, and with `money` either way; and a text
    /// it found nothing in is still read, not taken for a kept read.
    #[test]
    fn values_read_again_by_redact_are_the_values_read(
        pieces in value_text_pieces(),
        min in 1usize..8,
        extra in 0usize..4,
        money_before: bool,
        money: bool,
    ) {
        use super::values::{Reading, SharedText};
        super::reads::want();
        let text = pieces.concat();
        for entity in [Entity::Digits, Entity::Phone, Entity::Amount, Entity::Date, Entity::Email] {
            let extractor = Extractor::new(entity, None);
            let first = extractor.values_shared(&mut SharedText::new(text.clone()), min, money_before, Reading::Values);
            let fresh = extractor.extract_hinted(&text, min, &mut NormText::new(), text_hint(&text), money_before);
            prop_assert_eq!(first, fresh.values, "{:?} {:?}", entity, text);
            let fresh = extractor.extract_hinted(&text, min + extra, &mut NormText::new(), text_hint(&text), money);
            let again = extractor.values_shared(&mut SharedText::new(text.clone()), min + extra, money, Reading::Values);
            prop_assert_eq!(again, fresh.values, "{:?} {:?}", entity, text);
        }
    }
}

proptest! {
    /// A digit string read without a masked digit has no more digits than the text's hint
    /// counts, masks or not: `--redact` does not read a masked text with fewer.
    #[test]
    fn unmasked_digit_strings_need_the_digits_the_hint_counts(
        pieces in value_text_pieces(),
        masks in prop::collection::vec(prop::sample::select(vec!["****", "SD", "*", "-", "x"]), 0..4),
        min in 1usize..8,
    ) {
        use super::values::{Reading, SharedText};
        let text = masks.iter().chain(pieces.iter()).copied().collect::<String>();
        let digits = text_hint(&text).digits as usize;
        for entity in [Entity::Digits, Entity::Phone] {
            let extractor = Extractor::new(entity, None);
            let mut norm = NormText::new();
            let read = extractor.extract_hinted(&text, min, &mut norm, text_hint(&text), false);
            for found in &read.values {
                if let super::values::Value::Digits(d) = &found.value
                    && d.iter().all(Option::is_some)
                {
                    prop_assert!(d.len() <= digits, "{:?}: {:?}, hint {}", text, found, digits);
                }
            }
            let unmasked = extractor.values_shared(&mut SharedText::new(text.clone()), min, false, Reading::Unmasked);
            let expected: Vec<_> = read
                .values
                .into_iter()
                .filter(|f| !f.value.is_masked())
                .collect();
            prop_assert_eq!(unmasked, expected, "{:?}", text);
        }
    }
}

proptest! {
    /// The same on any text.
    #[test]
    fn the_run_bound_holds_on_any_text(text in "([一二两三四五六七八九十零〇幺壹陸xX*#•● ,.-]|\\PC){0,40}") {
        run_bound_holds(&text)?;
    }
}

proptest! {
    /// The hint of two texts joined by a space (an utterance of two turns) is the two hints
    /// added up, which is how read-back rules and `--redact` get an utterance's hint.
    #[test]
    fn hints_of_joined_turns_add_up(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "one", "oh", "double", "x", "*", "#", "•", "[", "【", "7", "一", "您好", "the", " ",
            ]),
            0..16,
        ),
        split in 0usize..16,
    ) {
        let split = split.min(pieces.len());
        let (first, second) = (pieces[..split].concat(), pieces[split..].concat());
        prop_assert_eq!(
            text_hint(&format!("{first} {second}")),
            text_hint(&first).and(text_hint(&second))
        );
    }
}

/// Every digit run of `text`'s fold passes the bound that lets readers skip texts: with its
/// hidden digits counted and without.
fn run_bound_holds(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
    use super::digit_strings::{digit_runs, may_hold_run};
    let mut norm = NormText::new();
    crate::normalize::normalize_into(&super::values::VALUE_PROFILE, text, &mut norm);
    let folded = norm.as_str();
    for run in digit_runs(folded) {
        let visible = run.digits.iter().filter(|d| d.is_some()).count();
        prop_assert!(
            may_hold_run(folded, run.digits.len(), true),
            "{:?}: {:?}",
            folded,
            run
        );
        prop_assert!(may_hold_run(folded, visible, false), "{:?}: {:?}", folded, run);
    }
    Ok(())
}
