//! Validating a `[[conditional]]` table: the trigger and each clause, with located errors.

use toml::Spanned;

use super::{
    Clause, ClauseKind, MAX_WITHIN_TURNS, Op, Operand, ResponseToml, Trigger, UNLESS_BASE, WHEN, WHEN_EXCEPT,
    WhenToml, Within, words,
};
use crate::rules::context::Unless;
use crate::rules::schema::SpeakerToml;
use crate::rules::{CompileCtx, Speakers};
use crate::transcript::Millis;

/// Validates `when`; `None` after reporting errors.
pub(super) fn compile_trigger(when: &Spanned<WhenToml>, ctx: &mut CompileCtx<'_>) -> Option<Trigger> {
    let w = when.get_ref();
    let comparisons: Vec<(Op, &Spanned<toml::Value>)> = [
        (Op::Gt, &w.gt),
        (Op::Ge, &w.ge),
        (Op::Lt, &w.lt),
        (Op::Le, &w.le),
        (Op::Eq, &w.eq),
        (Op::Ne, &w.ne),
    ]
    .into_iter()
    .filter_map(|(op, v)| v.as_ref().map(|v| (op, v)))
    .collect();
    let has_words = !w.phrases.is_empty() || !w.patterns.is_empty();
    if !has_words {
        let extra = w
            .window
            .as_ref()
            .map(|s| ("window", s.span()))
            .or(w.unless.as_ref().map(|s| ("unless", s.span())))
            .or(w.except.first().map(|s| ("except", s.span())));
        if let Some((key, span)) = extra {
            let d = ctx
                .error(span, format!("`{key}` applies to a trigger of wording"))
                .expected("when = { speaker = \"agent\", phrases = [\"…\"], window = { last_turns = 1 } }")
                .hint(format!(
                    "remove `{key}`, or trigger the rule with `phrases` or `patterns`"
                ));
            ctx.report(d);
            return None;
        }
    }
    if let Some(min) = &w.min_length {
        let conflict = if has_words {
            Some("`phrases`/`patterns`")
        } else if w.metadata.is_some() {
            Some("`metadata`")
        } else {
            None
        };
        if let Some(other) = conflict {
            let d = ctx
                .error(
                    min.span(),
                    format!("`when` takes either `min_length` or {other}, not both"),
                )
                .expected("when = { speaker = \"customer\", min_length = 30 }")
                .hint("write two rules to check both conditions");
            ctx.report(d);
            return None;
        }
        if *min.get_ref() == 0 {
            let d = ctx
                .error(min.span(), "`min_length` must be at least 1")
                .expected("a number of Chinese characters plus English words, e.g. min_length = 30")
                .hint("every turn is at least 0 long: the rule would trigger on every turn");
            ctx.report(d);
            return None;
        }
        let speakers: Speakers = w
            .speaker
            .as_ref()
            .map_or(SpeakerToml::Customer, |s| *s.get_ref())
            .into();
        return Some(Trigger::Length {
            speakers,
            min: *min.get_ref() as usize,
        });
    }
    match &w.metadata {
        Some(key) => {
            if has_words {
                let d = ctx
                    .error(
                        key.span(),
                        "`when` takes either `metadata` or `phrases`/`patterns`, not both",
                    )
                    .expected("when = { metadata = \"rings\", gt = 3 } or when = { phrases = [\"…\"] }")
                    .hint("write two rules to check both conditions");
                ctx.report(d);
                return None;
            }
            if let Some(speaker) = &w.speaker {
                let d = ctx
                    .error(speaker.span(), "`speaker` does not apply to a metadata condition")
                    .expected("when = { metadata = \"rings\", gt = 3 }")
                    .hint("remove `speaker`; the responding speaker is set in `then`");
                ctx.report(d);
                return None;
            }
            if comparisons.is_empty() && w.in_list.is_none() {
                let d = ctx
                    .error(
                        key.span(),
                        format!("the metadata condition on `{}` has no comparison", key.get_ref()),
                    )
                    .expected("one or more of gt, ge, lt, le, eq, ne, e.g. { metadata = \"rings\", gt = 3 }")
                    .hint("compare with a number (rings > 3) or a string (call_type = \"follow-up\")");
                ctx.report(d);
                return None;
            }
            let mut tests = Vec::new();
            if let Some(name) = &w.in_list {
                let words = ctx.list(name)?;
                tests.push((Op::Eq, Operand::List(name.get_ref().clone(), words)));
            }
            for (op, value) in comparisons {
                let operand = match value.get_ref() {
                    toml::Value::Integer(i) => Operand::Number(*i as f64),
                    toml::Value::Float(f) if f.is_finite() => Operand::Number(*f),
                    toml::Value::String(s) => Operand::Text(s.clone()),
                    other => {
                        let d = ctx
                            .error(
                                value.span(),
                                format!("cannot compare metadata with {}", other.type_str()),
                            )
                            .expected("a number (3, 2.5) or a string (\"follow-up\")")
                            .hint("metadata values are header texts; numbers compare numerically");
                        ctx.report(d);
                        return None;
                    }
                };
                tests.push((op, operand));
            }
            if !satisfiable(&tests) {
                let written: Vec<String> = tests
                    .iter()
                    .map(|(op, operand)| format!("{} {operand}", op.symbol()))
                    .collect();
                let d = ctx
                    .error(
                        when.span(),
                        format!(
                            "the metadata condition on `{}` can never hold: no value is {}",
                            key.get_ref(),
                            written.join(" and ")
                        ),
                    )
                    .expected(
                        "comparisons that some value meets, e.g. { metadata = \"rings\", gt = 3, le = 10 }",
                    )
                    .hint(
                        "the comparisons of one condition must all hold; write two rules for \"either … or\"",
                    );
                ctx.report(d);
                return None;
            }
            Some(Trigger::Metadata {
                key: key.get_ref().clone(),
                tests,
            })
        }
        None => {
            if let Some(name) = &w.in_list {
                let d = ctx
                    .error(
                        name.span(),
                        "`in_list` needs `metadata`: the key whose value is looked up",
                    )
                    .expected("when = { metadata = \"call_type\", in_list = \"…\" }")
                    .hint("add metadata = \"KEY\", where KEY is a transcript header such as call_type");
                ctx.report(d);
                return None;
            }
            if let Some((_, value)) = comparisons.first() {
                let d = ctx
                    .error(value.span(), "a comparison needs `metadata`: the key to compare")
                    .expected("when = { metadata = \"rings\", gt = 3 }")
                    .hint("add metadata = \"KEY\", where KEY is a transcript header such as rings");
                ctx.report(d);
                return None;
            }
            if !has_words {
                let d = ctx
                    .error(
                        when.span(),
                        "`when` needs `phrases`, `patterns`, `min_length` or `metadata`",
                    )
                    .expected(
                        "when = { speaker = \"customer\", phrases = [\"…\"] } or \
                         when = { metadata = \"rings\", gt = 3 }",
                    )
                    .hint("the trigger is what the speaker says, or a condition on a header");
                ctx.report(d);
                return None;
            }
            let speakers: Speakers = w
                .speaker
                .as_ref()
                .map_or(SpeakerToml::Customer, |s| *s.get_ref())
                .into();
            let phrases = ctx.phrases(&w.phrases, WHEN);
            let patterns = ctx.patterns(&w.patterns, WHEN);
            ctx.phrases(&w.except, WHEN_EXCEPT);
            let window = ctx.window(&w.window);
            let unless = Unless::compile(w.unless.as_ref(), UNLESS_BASE, ctx);
            let said = words(&phrases, &patterns, 4);
            Some(Trigger::Words {
                speakers,
                window: window?,
                unless: unless?,
                once: w.once,
                never_said: format!("the trigger never occurs: {speakers} never says {said}"),
                said,
            })
        }
    }
}

/// Validates `then`, `then_not` or `before`; `None` after reporting errors.
pub(super) fn compile_clause(
    kind: ClauseKind,
    response: &Spanned<ResponseToml>,
    trigger: Option<&Trigger>,
    ctx: &mut CompileCtx<'_>,
) -> Option<Clause> {
    let r = response.get_ref();
    let key = kind.key();
    let speakers: Speakers = r.speaker.unwrap_or(SpeakerToml::Agent).into();
    let mut ok = true;
    if r.phrases.is_empty() && r.patterns.is_empty() {
        let d = ctx
            .error(response.span(), format!("`{key}` needs `phrases` or `patterns`"))
            .expected(format!("{key} = {{ speaker = \"agent\", phrases = [\"…\"] }}"))
            .hint("list the wording that answers the trigger");
        ctx.report(d);
        ok = false;
    }
    if matches!(kind, ClauseKind::Before | ClauseKind::Around)
        && matches!(trigger, Some(Trigger::Metadata { .. }))
    {
        let d = ctx
            .error(response.span(), format!("`{key}` needs a trigger in the conversation"))
            .expected(format!("when = {{ speaker = \"agent\", phrases = [\"…\"] }} with `{key}`"))
            .hint("a metadata condition holds for the whole call, so nothing comes before or around it; use `then`");
        ctx.report(d);
        ok = false;
    }
    if kind == ClauseKind::Around
        && let Some(seconds) = &r.within_seconds
    {
        let d = ctx
            .error(seconds.span(), "`around` counts turns, not seconds")
            .expected("around = { speaker = \"agent\", phrases = [\"…\"], within_turns = 1 }")
            .hint("use `then` or `before` with within_seconds");
        ctx.report(d);
        ok = false;
    }
    let within = match (&r.within_turns, &r.within_seconds) {
        (Some(_), Some(s)) => {
            let d = ctx
                .error(
                    s.span(),
                    format!("`{key}` sets both `within_turns` and `within_seconds`"),
                )
                .expected("one of within_turns = N or within_seconds = N")
                .hint("turns count the speaker's turns; seconds need timestamps");
            ctx.report(d);
            ok = false;
            Within::Unbounded
        }
        (Some(n), None) => {
            let value = *n.get_ref();
            let same_speaker = matches!(trigger, Some(Trigger::Words { speakers: s, .. }) if *s == speakers);
            if value == 0 && !same_speaker {
                let d = ctx
                    .error(
                        n.span(),
                        "within_turns = 0 only searches the triggering turn itself",
                    )
                    .expected(format!("a whole number from 1 to {MAX_WITHIN_TURNS}"))
                    .hint("0 works when the trigger and the response have the same speaker");
                ctx.report(d);
                ok = false;
            } else if !(0..=MAX_WITHIN_TURNS).contains(&value) {
                let d = ctx
                    .error(n.span(), format!("`within_turns` = {value} is out of range"))
                    .expected(format!("a whole number from 0 to {MAX_WITHIN_TURNS}"));
                ctx.report(d);
                ok = false;
            }
            Within::Turns(value.clamp(0, MAX_WITHIN_TURNS) as usize)
        }
        (None, Some(s)) => match Millis::from_secs_f64(*s.get_ref()).filter(|m| m.0 > 0) {
            Some(m) => Within::Seconds(m),
            None => {
                let d = ctx
                    .error(
                        s.span(),
                        format!("`within_seconds` = {} is not a positive number", s.get_ref()),
                    )
                    .expected("a positive number of seconds, e.g. within_seconds = 30");
                ctx.report(d);
                ok = false;
                Within::Unbounded
            }
        },
        (None, None) if kind == ClauseKind::Then => Within::Turns(1),
        // Around the trigger: the trigger's own turn when it is the same speaker's, else the
        // speaker's turns just before and after it.
        (None, None) if kind == ClauseKind::Around => {
            let same_speaker = matches!(trigger, Some(Trigger::Words { speakers: s, .. }) if *s == speakers);
            Within::Turns(usize::from(!same_speaker))
        }
        (None, None) => Within::Unbounded,
    };
    let phrases = ctx.phrases(&r.phrases, kind.slot());
    // Every clause is judged around a trigger: where the trigger's words never occur, the
    // clause's patterns need not run.
    let patterns = match trigger {
        Some(Trigger::Words { .. }) => ctx.patterns_after(&r.patterns, kind.slot(), WHEN),
        _ => ctx.patterns(&r.patterns, kind.slot()),
    };
    let said = words(&phrases, &patterns, 5);
    let unless = Unless::compile(r.unless.as_ref(), kind.unless_slot(), ctx);
    ok &= unless.is_some();
    if r.or_before && kind != ClauseKind::Then {
        let d = ctx
            .error(
                response.span(),
                format!("`or_before` applies to `then`, not `{key}`"),
            )
            .expected("then = { speaker = \"agent\", phrases = [\"…\"], within_turns = 1, or_before = true }")
            .hint("remove `or_before`");
        ctx.report(d);
        ok = false;
    }
    ok.then(|| Clause {
        kind,
        speakers,
        phrases,
        patterns,
        within,
        unless: unless.unwrap_or_default(),
        or_before: r.or_before,
        said,
    })
}

/// False when no header value can meet every comparison of a metadata condition (`gt = 5` with
/// `lt = 3`, `eq = 2` with `ne = 2`). Numbers: the comparisons with constants split the line
/// into the constants and the open stretches between and around them, and one sample of each
/// decides. Strings compare ignoring case; only `eq` against `ne` is judged there.
fn satisfiable(tests: &[(Op, Operand)]) -> bool {
    let numbers: Vec<(Op, f64)> = tests
        .iter()
        .filter_map(|(op, operand)| match operand {
            Operand::Number(n) => Some((*op, *n)),
            Operand::Text(_) | Operand::List(..) => None,
        })
        .collect();
    if numbers.len() == tests.len() {
        let mut points: Vec<f64> = numbers.iter().map(|&(_, n)| n).collect();
        points.sort_by(f64::total_cmp);
        points.dedup();
        let mut samples = points.clone();
        samples.extend(points.windows(2).map(|w| w[0] / 2.0 + w[1] / 2.0));
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            samples.push(first - first.abs().max(1.0));
            samples.push(last + last.abs().max(1.0));
        }
        return samples.iter().any(|sample| {
            numbers
                .iter()
                .all(|&(op, n)| sample.partial_cmp(&n).is_some_and(|ordering| op.holds(ordering)))
        });
    }
    let text = |wanted: Op| {
        tests.iter().find_map(|(op, operand)| match operand {
            Operand::Text(t) if *op == wanted => Some(t.to_lowercase()),
            _ => None,
        })
    };
    !matches!((text(Op::Eq), text(Op::Ne)), (Some(eq), Some(ne)) if eq == ne)
}
