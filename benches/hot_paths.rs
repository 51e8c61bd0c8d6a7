//! Micro-benchmarks for the hot paths: normalising turn text and scanning a transcript with
//! every phrase and pattern of the built-in rulebooks plus a 300-phrase rulebook.
//!
//! `cargo bench --bench hot_paths`; compare runs to catch regressions. Whole-run figures
//! beside ripgrep are in BENCHMARKS.md (`scripts/bench/run.sh`).

use std::hint::black_box;

use callcheck::engine::Engine;
use callcheck::matcher::Scratch;
use callcheck::normalize::{NormText, Profile, normalize_into};
use callcheck::rulebook::{RuleSet, RulebookSource};
use callcheck::transcript::{ParseOptions, plain};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const ZH_TURN: &str = "您好，這裡是順達快遞客服中心，我是王芳。您的包裹目前在杭州转运中心，因为大雾航班延误，预计明天下午六点前送达；如果明天六点前还没有收到，我会主动给您回电跟进。";
const EN_TURN: &str = "Good morning, thank you for calling ACME Bank, my name is Sam. I can see two charges of $135 on November 20th; one of them is a duplicate, and I've raised a refund for you.";

/// A call of `turns` alternating Chinese and English turns with timestamps.
fn call(turns: usize) -> String {
    let mut text = String::from("# call_id: bench\n");
    for i in 0..turns {
        let (label, body) = if i % 2 == 0 {
            ("客服", ZH_TURN)
        } else {
            ("Agent", EN_TURN)
        };
        text.push_str(&format!(
            "[00:{:02}:{:02}] {label}: {body}\n",
            (i / 60) % 60,
            i % 60
        ));
    }
    text.push_str("<hangup by=customer>\n");
    text
}

/// 300 generated phrases (as in scripts/bench/gen_corpus.py) in one rulebook.
fn phrase_rulebook() -> String {
    let subjects = [
        "你", "这个", "我们", "那边", "系统", "规定", "公司", "经理", "师傅", "窗口",
    ];
    let predicates = [
        "必须马上",
        "只能自己",
        "不应该再",
        "别想着",
        "肯定不会",
        "绝不可能",
        "早就说过",
        "不负责",
        "懒得管",
        "随便你",
        "爱办不办",
        "没空处理",
        "不归这里",
        "自己去查",
        "下班了才",
    ];
    let adverbs = [
        "absolutely",
        "totally",
        "obviously",
        "definitely",
        "clearly",
        "simply",
        "just",
        "really",
        "honestly",
        "literally",
    ];
    let endings = [
        "not my fault",
        "your own problem",
        "cannot be bothered",
        "no way at all",
        "read it yourself",
        "figure it out",
        "stop complaining",
        "not happening",
        "waste of time",
        "deal with it",
        "my hands are tied",
        "nothing i can do",
        "too bad for you",
        "you should know",
        "go somewhere else",
    ];
    let mut phrases: Vec<String> = subjects
        .iter()
        .flat_map(|s| predicates.iter().map(move |p| format!("{s}{p}")))
        .collect();
    phrases.extend(
        adverbs
            .iter()
            .flat_map(|a| endings.iter().map(move |e| format!("{a} {e}"))),
    );
    let quoted: Vec<String> = phrases.iter().map(|p| format!("{p:?}")).collect();
    format!(
        "[rulebook]\nid = \"bench\"\n[[forbidden]]\nid = \"phrases\"\nphrases = [{}]\n",
        quoted.join(", ")
    )
}

fn normalisation(c: &mut Criterion) {
    let text = call(200);
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let mut out = NormText::new();
    for (name, profile) in [
        ("all folds", Profile::default()),
        (
            "case only",
            Profile {
                fold_width: false,
                fold_script: false,
                ignore_punctuation: false,
                ..Profile::default()
            },
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                normalize_into(&profile, black_box(&text), &mut out);
                black_box(out.as_str().len())
            })
        });
    }
    group.finish();
}

fn matching(c: &mut Criterion) {
    // The built-ins and the 300-phrase rulebook together, as a run with `-r` would load them.
    let path = std::env::temp_dir().join("callcheck-bench-rulebook.toml");
    std::fs::write(&path, phrase_rulebook()).expect("write the bench rulebook");
    let (rules, _) = RuleSet::load(&[
        RulebookSource::Path(path),
        RulebookSource::Builtin("zh-telephone".into()),
        RulebookSource::Builtin("en-telephone".into()),
    ])
    .expect("rulebooks load");
    let options = ParseOptions {
        labels: rules.labels.clone(),
        ..ParseOptions::default()
    };
    let engine = Engine::new(rules);
    let source = call(200);
    let transcript = plain::parse(&source, &options).expect("parses");
    let mut scratch = Scratch::default();
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(source.len() as u64));
    group.bench_function("scan: one automaton + regex set", |b| {
        b.iter(|| {
            engine
                .rules()
                .matcher()
                .scan(black_box(&transcript), &mut scratch);
            black_box(scratch.hits.all().len())
        })
    });
    group.bench_function("parse + scan + evaluate", |b| {
        b.iter(|| {
            let transcript = plain::parse(black_box(&source), &options).expect("parses");
            black_box(engine.check(&transcript, &mut scratch).findings.len())
        })
    });
    group.finish();
}

criterion_group!(benches, normalisation, matching);
criterion_main!(benches);
