#!/usr/bin/env bash
# Acceptance checks that go beyond `cargo test`: the README's main command on a release build,
# and checks against real published data in ../shared (present in CI, absent in a user's clone).
set -euo pipefail
cd "$(dirname "$0")/.."

shared="${CALLCHECK_SHARED:-../shared}"
failures=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }

expect_status() {  # expect_status WANT DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  local got=0
  "$@" >/tmp/callcheck-acceptance.out 2>&1 || got=$?
  if [ "$got" -eq "$want" ]; then pass "$what (exit $got)"; else
    fail "$what: exit $got, expected $want"; sed 's/^/        /' /tmp/callcheck-acceptance.out | head -40
  fi
}

echo "== README commands (release build)"
cargo build --locked --release --quiet
bin=target/release/callcheck
expect_status 1 "cargo run --release -- check examples/ finds the planted violations" -- \
  cargo run --locked --release --quiet -- check examples/
expect_status 0 "built-in rule examples pass" -- "$bin" rules test --quiet
expect_status 0 "example rulebook's examples pass" -- "$bin" rules test examples/rules/acme-bank.toml
readme_rule=$(mktemp --suffix=.toml)
python3 - "$readme_rule" <<'PY'
import re, sys
text = open("README.md", encoding="utf-8").read()
block = re.search(r'```toml\n(\[rulebook\]\nid = "acme-bank".*?)```', text, re.S)
open(sys.argv[1], "w", encoding="utf-8").write(block.group(1) if block else "")
PY
expect_status 0 "the README's rulebook snippet loads and its examples pass" -- "$bin" rules test "$readme_rule"
expect_status 1 "examples with the company rulebook" -- \
  "$bin" check examples/ -r examples/rules/acme-bank.toml -r builtin:zh-telephone -r builtin:en-telephone

json=$("$bin" check examples/ --format json || true)
if printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]==1 and d["summary"]["errors"]==0 and d["summary"]["findings"]>0'; then
  pass "JSON report is valid JSON with findings and no errors"
else
  fail "JSON report"
fi

expect_status 0 "example venue rulebook's examples pass" -- "$bin" rules test examples/rules/restaurant.toml

echo "== Quality on real conversations (QUALITY.md)"
# The Harper Valley Bank calls are committed (Apache-2.0), so their block of QUALITY.md is
# regenerated here and must match (tests/quality.rs holds the precision and recall floors).
expect_status 0 "QUALITY.md's HVB figures are current (scripts/quality/report.py --only hvb)" -- \
  python3 scripts/quality/report.py --only hvb --check

expect_status 1 "docs/eval.md worked example: qa/you-must is below --min-precision 60" -- \
  "$bin" eval tests/fixtures/eval/labels.csv -r tests/fixtures/eval/rules.toml --min-precision 60 --min-support 2

# The README's completion and man-page commands, as on a fresh machine: an empty home.
readme_install=$(awk '/Shell completions and a man page/{f=1} f&&/^```sh/{g=1;next} g&&/^```/{exit} g' README.md)
expect_status 0 "README completion and man-page commands work in an empty home" -- \
  env HOME="$(mktemp -d)" PATH="$PWD/target/release:$PATH" bash -euc "$readme_install
    test -s ~/.local/share/bash-completion/completions/callcheck && test -s ~/.local/share/man/man1/callcheck.1"

echo "== CI gate: sample template repository and report formats"
expect_status 0 "examples/templates passes its own gate (baseline, suppression, config)" -- \
  bash -c "cd examples/templates && ../../$bin check"
expect_status 0 "examples/templates rulebook examples pass" -- \
  bash -c "cd examples/templates && ../../$bin rules test"
out=$(mktemp -d)
# The commands of docs/ci.md, as a CI job runs them.
expect_status 0 "docs/ci.md GitHub step: annotations" -- \
  bash -c "cd examples/templates && ../../$bin check --format github"
expect_status 0 "docs/ci.md GitLab steps: code quality and JUnit reports" -- bash -c "
  cd examples/templates &&
  ../../$bin check --format gitlab --output $out/gl-code-quality-report.json --fail-on never &&
  { ../../$bin check --format junit --output $out/callcheck-junit.xml || [ \$? -eq 1 ]; } &&
  ../../$bin check --format compact"
"$bin" check examples/ --format sarif --output "$out/examples.sarif" --quiet 2>/dev/null || true
"$bin" check tests/fixtures/mixed-good-bad --format sarif --output "$out/mixed.sarif" --quiet || true
"$bin" check examples/ --format junit --output "$out/examples-junit.xml" --quiet 2>/dev/null || true
"$bin" check examples/ --format gitlab --output "$out/examples-gitlab.json" --quiet 2>/dev/null || true

schema="$shared/data/schemas/sarif-schema-2.1.0.json"
if [ -f "$schema" ]; then
  python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet jsonschema
  expect_status 0 "SARIF output validates against the official SARIF 2.1.0 schema" -- \
    python3 scripts/validate-sarif.py "$schema" "$out/examples.sarif" "$out/mixed.sarif"
else
  echo "  skip  $schema not found"
fi
# The language server, driven by a real LSP client library (pytest-lsp, on pygls) that checks
# every message against VS Code's client capabilities.
python3 -c 'import pytest_lsp' 2>/dev/null ||
  python3 -m pip install --quiet 'pytest-lsp==1.0.1' 'pygls==2.1.1' 'pytest-asyncio==1.5.0'
expect_status 0 "callcheck lsp with a real client: diagnostics, hover, quick fixes, rulebook reload" -- \
  env CALLCHECK_BIN="$bin" python3 -m pytest tests/lsp -q -p no:cacheprovider
if python3 - "$out" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
for name in ("examples-junit.xml", "callcheck-junit.xml"):
    root = ET.parse(f"{out}/{name}").getroot()
    assert root.tag == "testsuites" and int(root.get("tests")) > 0, name
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == int(root.get("tests")), name
    # Jenkins and GitLab split class names at the last dot into package and class.
    assert all("." not in c.get("classname") for c in cases), name
assert int(ET.parse(f"{out}/examples-junit.xml").getroot().get("failures")) > 0
for name in ("examples-gitlab.json", "gl-code-quality-report.json"):
    issues = json.load(open(f"{out}/{name}"))
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys(), issue
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(fingerprints) == len(set(fingerprints)), "fingerprints must be unique"
assert json.load(open(f"{out}/examples-gitlab.json")), "examples have findings"
PY
then pass "JUnit XML parses with consistent counts; GitLab Code Quality issues are well-formed"
else
  fail "JUnit / GitLab reports"
fi
rm -rf "$out"

echo "== Trainer report: every format, and the HTML page in Chromium"
# The command of the README's trainer step, as a trainer runs it (report.html is git-ignored).
expect_status 0 "callcheck report examples/ --by agent --format html -o report.html" -- \
  "$bin" report examples/ --by agent --format html -o report.html
"$bin" report examples/ --by agent --format json -o target/report.json >/dev/null 2>&1
for format in table csv markdown; do
  expect_status 0 "report --format $format" -- "$bin" report examples/ --by team,agent --format "$format"
done
# Debian's Chromium and a CJK font render the page; playwright-core drives it (no browser
# download). On a machine where this script cannot install them, the check is skipped — except
# in CI, which must run it.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "  installing chromium and a CJK font (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium fonts-wqy-microhei >/dev/null
  fi
fi
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if command -v chromium >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  mkdir -p target/browser-check
  cp scripts/browser/package.json scripts/browser/package-lock.json scripts/browser/check-report.mjs \
    target/browser-check/
  if (cd target/browser-check && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    expect_status 0 "HTML report in Chromium: numbers match the JSON report, filter, drill-down, print (target/report-screenshot.png)" -- \
      node target/browser-check/check-report.mjs report.html target/report.json \
        target/report-screenshot.png target/report-print.pdf
  else
    fail "npm ci of playwright-core in target/browser-check"
  fi
elif [ -n "${CI:-}" ]; then
  fail "Chromium or npm is missing: the HTML report was not checked in a browser"
else
  echo "  skip  Chromium or npm not installed: the HTML report was not checked in a browser"
fi

echo "== shared data (${shared})"
real="$shared/data/real"
if [ -d "$real" ]; then
  # Each real published sample is read as its format, with the turns, roles and ended_by checked
  # by hand (callcheck convert prints what was read). Expected: "turns roles ended_by".
  map='User Name=agent,spk_0=customer,spk_1=agent,ch_0=customer,ch_1=agent'
  expect_read() {  # expect_read FILE "TURNS ROLES ENDED_BY" [FLAGS...]
    local file=$1 want=$2; shift 2
    local got
    got=$("$bin" convert "$real/$file" --speaker-map "$map" "$@" 2>&1 | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    roles = ",".join(sorted({t["role"] for t in d["turns"]}))
    print(len(d["turns"]), roles, d.get("ended_by", "-"))' 2>&1) || true
    if [ "$got" = "$want" ]; then pass "$file read as: $want"; else fail "$file: read as '$got', expected '$want'"; fi
  }
  expect_read ms_teams_vtt/graph_calltranscript_content_DOCS.vtt "1 agent -"
  expect_read ms_teams_vtt/graph_calltranscript_metadataContent_DOCS.vtt "1 agent -"
  expect_read google_ccai/insights_conversation_upload_example_DOCS.json "2 agent,customer -"
  expect_read amazon_connect/contact_lens_postcall_voice_real_SCV.json "11 agent,customer -"
  expect_read amazon_connect/contact_lens_chat_analysis_DOCS_original.json "24 agent,customer,system customer"
  expect_read amazon_connect/contact_lens_chat_analysis_DOCS_redacted.json "24 agent,customer,system customer"
  expect_read aws_transcribe/transcribe_standard_speaker_labels_DOCS.json "2 agent,customer -"
  expect_read aws_transcribe/transcribe_standard_channel_identification_DOCS.json "2 agent,customer -"

  # Amazon Transcribe turns change with the speaker: two consecutive turns of different
  # speakers overlap only where words of those speakers overlap in the file (docs/formats.md).
  expect_turns_follow_words() {  # expect_turns_follow_words FILE
    local file=$1 got
    got=$("$bin" convert "$real/$file" 2>&1 | python3 -c '
import json, sys
source = json.load(open(sys.argv[1]))["results"]
labels = {i["start_time"]: i["speaker_label"]
          for s in source.get("speaker_labels", {}).get("segments", []) for i in s["items"]}
if "channel_labels" in source:
    items = [i for c in source["channel_labels"]["channels"] for i in c["items"]]
else:
    items = source["items"]
words = [(i.get("speaker_label") or i.get("channel_label") or labels[i["start_time"]],
          float(i["start_time"]), float(i["end_time"])) for i in items if "start_time" in i]
turns = json.loads(sys.stdin.readline())["turns"]
bad = [(a["speaker"], b["speaker"]) for a, b in zip(turns, turns[1:])
       if a["speaker"] != b["speaker"] and a["end"] > b["start"]
       and not any(x[0] == a["speaker"] and y[0] == b["speaker"] and x[1] < y[2] and y[1] < x[2]
                   for x in words for y in words)]
print(len(turns), "turns;", "unexplained overlaps:", bad or "none")' "$real/$file" 2>&1) || true
    case "$got" in
      *"unexplained overlaps: none") pass "$file: $got" ;;
      *) fail "$file: $got" ;;
    esac
  }
  expect_turns_follow_words aws_transcribe/transcribe_standard_speaker_labels_DOCS.json
  expect_turns_follow_words aws_transcribe/transcribe_standard_channel_identification_DOCS.json

  # Platforms read since issue 13. PCA's test file labels spk_0 "Agent" and spk_1 "Customer"
  # (SpeakerLabels), though spk_1 says "Thank you for calling Networks abc technical Support":
  # the platform's roles are read as given, and a --speaker-map of spk_N overrides them.
  expect_read aws_pca/pca_parsed_output_testfile.json "12 agent,customer -"
  expect_format() {  # expect_format FILE FORMAT "SPEAKER:ROLE …" [FLAGS...]
    local file=$1 format=$2 want=$3; shift 3
    local got
    got=$("$bin" check "$real/$file" --format json "$@" 2>&1 | python3 -c '
import json, sys
f = json.load(sys.stdin)["files"][0]
print(f.get("format"), f["status"])' 2>&1) || true
    got="$got $("$bin" convert "$real/$file" "$@" 2>&1 | python3 -c '
import json, sys
turns = json.loads(sys.stdin.readline())["turns"]
print(" ".join(t["speaker"] + ":" + t["role"] for t in turns[:3]))' 2>&1)" || true
    if [ "$got" = "$format ok $want" ]; then pass "$file read as $format: $want"; else
      fail "$file: read as '$got', expected '$format ok $want'"; fi
  }
  expect_format aws_pca/pca_parsed_output_testfile.json pca "Agent:agent Customer:customer Agent:agent"
  expect_format aws_pca/pca_parsed_output_testfile.json pca \
    "Agent:customer Customer:agent Agent:customer" --speaker-map spk_0=customer,spk_1=agent
  # The Genesys mock: an internal phrase while the IVR participant is in the call is the IVR's.
  expect_format genesys/genesys_transcript_FIXTURE_from_MakingChatbots_test.json genesys \
    "ivr:system customer:customer"

  # Findings, verified by hand: which rules fire on each real sample.
  expect_rules() {  # expect_rules FILE "RULE RULE…" [FLAGS...]
    local file=$1 want=$2; shift 2
    local got
    got=$("$bin" check "$real/$file" --speaker-map "$map" --format json "$@" 2>&1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(f["rule"].split("/")[1] for x in d["files"] for f in x.get("findings", []))) or "clean")' 2>&1) || true
    if [ "$got" = "$want" ]; then pass "$file: $want"; else fail "$file: findings '$got', expected '$want'"; fi
  }
  # Three documentation fragments end before anyone closes: the closing rules are not applicable
  # (a call cut short is not judged on a closing it never reached). The agent's only turn is
  # "This is a transcript test." / "Yes, I can answer your question ..." / "Sorry about that.".
  expect_rules ms_teams_vtt/graph_calltranscript_content_DOCS.vtt "greeting"
  expect_rules google_ccai/insights_conversation_upload_example_DOCS.json "greeting"
  expect_rules aws_transcribe/transcribe_standard_speaker_labels_DOCS.json "greeting"
  # A real test call: the agent opens with "Mhm." and ends with "Call back. Bye bye."
  expect_rules amazon_connect/contact_lens_postcall_voice_real_SCV.json "closing-question closing-thanks greeting"
  # A chat, checked with the en-chat rules: Jane greets and asks "anything else", but answers the
  # customer's "you guys actually really let me down" with a request for a name (the apology comes
  # ten messages later) and ends with "Have a great day." without thanks. Her "We will look into
  # this and get this sorted out for you right away", answered in the same chat, is not a
  # cannot-answer-now.
  expect_rules amazon_connect/contact_lens_chat_analysis_DOCS_original.json "closing-thanks complaint-apology"
  expect_rules amazon_connect/contact_lens_chat_analysis_DOCS_redacted.json "closing-thanks complaint-apology"
  # PCA's test call with its roles the right way round (the map above: spk_1 is the agent): the
  # agent's "Thank you for calling …" names no "this is", and its segment at 3.71 s starts while
  # the customer's 0.74–5.84 s segment goes on (the file's own overlap). The recording stops
  # mid-call, so the closing rules are not applicable.
  expect_rules aws_pca/pca_parsed_output_testfile.json "greeting no-interrupting"
  expect_status 0 "the Contact Lens chat has only a warning (exit 0)" -- \
    "$bin" check "$real/amazon_connect/contact_lens_chat_analysis_DOCS_original.json"
  expect_status 1 "... and fails with --fail-on warning" -- \
    "$bin" check "$real/amazon_connect/contact_lens_chat_analysis_DOCS_original.json" --fail-on warning

  # Documentation examples that are not complete JSON are reported with a located error.
  expect_error() {  # expect_error FILE "ERROR TEXT" [FLAGS...]
    local file=$1 want=$2; shift 2
    local out got=0
    out=$("$bin" check "$real/$file" "$@" 2>&1) || got=$?
    if [ "$got" -eq 2 ] && printf '%s' "$out" | grep -qF -- "$want"; then pass "$file: $want"; else
      fail "$file: exit $got, expected 2 and '$want'"; printf '%s\n' "$out" | sed 's/^/        /' | head -5
    fi
  }
  expect_error amazon_connect/contact_lens_voice_analysis_DOCS_redacted.jsonish.txt \
    "line 10: comments are not allowed in JSON (found \`//\` at column 44)" --input-format contact-lens
  expect_error amazon_connect/contact_lens_voice_analysis_DOCS_raw.jsonish.txt \
    "line 297: unexpected \`}\` at column 1 after the end of the JSON value" --input-format contact-lens
  expect_error amazon_connect/contact_lens_voice_analysis_DOCS_raw.jsonish.txt \
    "the file looks like JSON: give it a .json extension or pass --input-format"
  expect_error aws_transcribe/transcribe_call_analytics_compiled_output_DOCS_ELIDED.txt \
    "line 14: expected a key, found \`.\` at column 13: the file has elisions" --input-format transcribe
  expect_error amazon_connect/contact_lens_realtime_SEGMENTS_DOCS.json \
    "cannot tell which .json format this is: its top-level keys are"

  # Real dialogue data converted to callcheck JSON Lines and checked from standard input.
  hvb="$real/dialogues/harper_valley_bank"
  hvb_jsonl=$(python3 - "$hvb" <<'PY'
import json, os, sys
root = sys.argv[1]
for name in sorted(os.listdir(os.path.join(root, "transcript"))):
    sid = name[:-5]
    segments = json.load(open(os.path.join(root, "transcript", name)))
    meta = json.load(open(os.path.join(root, "metadata", name)))
    first = "agent" if meta["agent"]["hangup_time_ms"] < meta["caller"]["hangup_time_ms"] else "customer"
    turns = [{"speaker": s["speaker_role"], "text": s["human_transcript"],
              "start": s["start_ms"] / 1000, "end": (s["start_ms"] + s["duration_ms"]) / 1000}
             for s in sorted(segments, key=lambda s: s["start_ms"])]
    print(json.dumps({"call_id": sid, "ended_by": first, "turns": turns}))
PY
)
  got=$(printf '%s\n' "$hvb_jsonl" | "$bin" check - --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in d["files"]:
    hung = any(x["rule"].endswith("customer-hangs-up-first") for x in f["findings"])
    print(f["path"], f["status"], "agent-hung-up" if hung else "customer-hung-up")' 2>&1) || true
  want=$'<stdin>#0002f70f7386445b ok agent-hung-up\n<stdin>#00d676d7058c49bb ok customer-hung-up'
  if [ "$got" = "$want" ]; then pass "Harper Valley Bank calls as JSON Lines on stdin: who hung up first"; else
    fail "Harper Valley Bank: got '$got'"; fi
  abcd=$(python3 -c '
import json, sys
for c in json.load(open(sys.argv[1])):
    turns = [{"speaker": who, "role": "system" if who == "action" else who, "text": text} for who, text in c["original"]]
    print(json.dumps({"call_id": c["convo_id"], "turns": turns}))' "$real/dialogues/abcd/abcd_sample.json")
  got=$(printf '%s\n' "$abcd" | "$bin" check - --input-format jsonl --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["summary"]["files"], d["summary"]["errors"])' 2>&1) || true
  if [ "$got" = "3 0" ]; then pass "ABCD chats as JSON Lines: 3 transcripts, no errors"; else fail "ABCD: got '$got'"; fi
else
  echo "  skip  $real not found"
fi

echo "== Python package (pip install .) and the Spark recipe"
# The package builds the module from this checkout with maturin; PySpark runs in local mode on the
# machine's Java 17. Versions are pinned so a run never picks up a new release unasked.
logs=$(mktemp -d)
if python3 -m pip install --quiet . 'pytest==9.2.0' 'pandas==3.1.1' 'pyarrow==26.0.1' 'pyspark==4.3.0' \
  >"$logs/pip.log" 2>&1; then
  pass "pip install . (the callcheck module and command, with pytest and PySpark)"
  expect_status 0 "Python module: the command's findings on every example, the API, the packaged command" -- \
    python3 -m pytest python/tests -q -p no:cacheprovider
  # The figures (calls per second per core) are printed for BENCHMARKS.md.
  if python3 examples/spark/acceptance.py --bin "$bin" --calls 20000 >"$logs/spark.log" 2>&1; then
    sed 's/^/    /' "$logs/spark.log"
    pass "Spark recipe on local[2], 20,000 calls: findings and roll-ups equal check and report"
  else
    fail "Spark recipe"; tail -40 "$logs/spark.log" | sed 's/^/        /'
  fi
else
  fail "pip install ."; tail -40 "$logs/pip.log" | sed 's/^/        /'
fi
rm -rf "$logs"

if [ "$failures" -gt 0 ]; then
  echo "acceptance: $failures check(s) failed"
  exit 1
fi
echo "acceptance: all checks passed"
