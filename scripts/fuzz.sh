#!/usr/bin/env bash
# Fuzz every cargo-fuzz target in fuzz/ for a bounded time and report executions and findings.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, every target)
#
# Seeds come from examples/, tests/fixtures/ and rules/ (copied into fuzz/corpus/TARGET, which is
# not committed; a corpus left by an earlier run is kept and grows). Targets run two at a time,
# one per core. A crash, a panic, a timeout (a single input taking over 10 s) or running out of
# memory (2 GB) fails the script; the input is left in fuzz/artifacts/TARGET/ — turn it into a
# regression test in the normal test suite (tests/bad_inputs.rs or the parser's unit tests).
# The table at the end is what issue 8's closing note records.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); libFuzzer's flags need a nightly compiler, so
# RUSTC_BOOTSTRAP=1 lets the stable one accept them. No sanitizer: callcheck is safe Rust, and
# the fuzzers look for panics (overflow checks are on), hangs and memory blow-ups.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
all_targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^callcheck-fuzz$')
targets=${*:-$all_targets}

# seed TARGET PREFIX FILE...: copy files into the target's corpus, led by a selector byte
# (PREFIX, octal escape, or empty) for targets whose first byte picks a format.
seed() {
  local target=$1 prefix=$2; shift 2
  local dir="fuzz/corpus/$target"
  mkdir -p "$dir"
  local file
  for file in "$@"; do
    [ -f "$file" ] || continue
    { printf "$prefix"; cat "$file"; } > "$dir/seed-$(printf '%s' "$prefix$file" | cksum | cut -d' ' -f1)"
  done
}
files() { find examples tests/fixtures rules -type f -name "$1" 2>/dev/null | sort; }

seed parse_plain '' $(files '*.txt')
seed parse_webvtt '' $(files '*.vtt')
seed parse_srt '' $(files '*.srt')
seed parse_csv '\000' $(files '*.csv')
seed parse_csv '\001' $(files '*.tsv')
seed parse_json '\000' $(files '*.json')
seed parse_json '\001' $(files '*.jsonl')
for target in parse_contact_lens parse_transcribe parse_ccai parse_pca parse_genesys parse_twilio; do seed "$target" '' $(files '*.json'); done
seed parse_templates '\000' $(files '*.txt')
seed parse_templates '\001' $(files '*.md')
seed parse_templates '\002' $(files '*.yaml') $(files '*.json')
seed parse_templates '\003\000' $(files 'metadata.csv')
seed parse_templates '\003\002' $(files '*.meta.json')
# 255 is past the last format: the file's format is detected from its content.
seed check_bytes '\377' $(files '*.txt') $(files '*.vtt') $(files '*.srt') $(files '*.json') \
  $(files '*.jsonl') $(files '*.csv')
seed rulebook '' $(files '*.toml')
seed normalize '\017' $(files '*.txt')
seed normalize '\000' $(files '*.txt')

echo "== building the fuzz targets"
start=$(date +%s)
cargo fuzz build -s none >/dev/null 2>&1 || cargo fuzz build -s none
echo "   built in $(( $(date +%s) - start )) s"
# The binaries are run directly, not with `cargo fuzz run`, so no cargo build runs meanwhile.
bin_dir="fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"

logs=$(mktemp -d)
run_target() {
  local target=$1
  mkdir -p "fuzz/artifacts/$target"
  # -timeout: one input over 10 s is a hang; -rss_limit_mb: over 2 GB is a memory blow-up.
  "$bin_dir/$target" "fuzz/corpus/$target" -artifact_prefix="fuzz/artifacts/$target/" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 >"$logs/$target.log" 2>&1
}

echo "== fuzzing each target for ${seconds} s, two at a time"
status=0
set -- $targets
while [ $# -gt 0 ]; do
  pids=()
  for target in "$1" "${2:-}"; do
    [ -n "$target" ] || continue
    run_target "$target" & pids+=("$!:$target")
  done
  for entry in "${pids[@]}"; do
    wait "${entry%%:*}" || { status=1; echo "   ${entry#*:} FAILED"; }
  done
  shift; [ $# -gt 0 ] && shift
done

printf '\n%-20s %12s %8s %8s  %s\n' target executions exec/s corpus findings
for target in $targets; do
  log="$logs/$target.log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  crashes=$(find "fuzz/artifacts/$target" -type f | wc -l)
  printf '%-20s %12s %8s %8s  %s\n' "$target" "${runs:-?}" "${speed:-?}" "$corpus" "$crashes"
  if [ "$crashes" -gt 0 ] || [ -z "$runs" ]; then
    status=1
    grep -E "panicked|ERROR: libFuzzer|SUMMARY|Test unit written" "$log" | head -5 | sed 's/^/      /'
  fi
done
rm -rf "$logs"
if [ "$status" -ne 0 ]; then
  echo "fuzz: findings (inputs in fuzz/artifacts/); reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET FILE"
  echo "      (and minimise with: RUSTC_BOOTSTRAP=1 cargo fuzz tmin -s none TARGET FILE)"
  exit 1
fi
echo "fuzz: no findings"
