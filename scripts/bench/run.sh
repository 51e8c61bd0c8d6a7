#!/usr/bin/env bash
# Benchmark callcheck beside ripgrep and grep on the same generated corpus and phrase lists,
# and write BENCHMARKS.md. Needs hyperfine, ripgrep and GNU time (Debian: hyperfine ripgrep time);
# with valgrind it also counts instructions, which do not depend on the machine's load.
#
#   scripts/bench/run.sh                  # 1 GiB corpus in target/bench (generated once, seeded)
#   scripts/bench/run.sh --size 100M      # smaller corpus, for a quick look
#   RUNS=3 scripts/bench/run.sh           # fewer timed rounds (each times every command once)
#
# Besides timing, it measures peak memory on the corpus and on one a tenth of its size (flat
# memory: the larger has 10x the files), and on one large JSON Lines file of many calls.
#
# Every tool writes its output to a file (GNU grep stops at the first match when writing to
# /dev/null). The page cache is warmed right before each timed run. Ratios are taken within
# one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

size=1G
single=500M
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --single) single=$2; shift 2 ;;
    *) echo "usage: $0 [--size 1G] [--single 500M]" >&2; exit 2 ;;
  esac
done
runs=${RUNS:-5}

for tool in hyperfine rg /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine ripgrep time)" >&2; exit 2; }
done

echo "== build"
cargo build --release --locked --quiet
bin="$root/target/release/callcheck"

# corpus SIZE -> prints the folder holding corpus/, phrases.txt, regexes.txt, bench.toml
corpus() {
  local work="$root/target/bench/$1"
  if [ ! -f "$work/done" ]; then
    echo "== generate a $1 corpus (seed 42)" >&2
    rm -rf "$work/corpus"
    mkdir -p "$work"
    python3 scripts/bench/gen_corpus.py "$work/corpus" --size "$1" --seed 42 > "$work/done"
  fi
  echo "$work"
}

small_size=$(python3 -c "
import re; m=re.match(r'([0-9.]+)([KMG]?)', '$size'.upper()); n=float(m.group(1)); u=m.group(2)
print('%d%s' % (max(1, round(n*1024/10)) if u=='G' else max(1, round(n/10)), 'M' if u=='G' else u))")
work=$(corpus "$size")
small=$(corpus "$small_size")
out="$work/out"
mkdir -p "$out"
corpus_dir="$work/corpus"
files=$(find "$corpus_dir" -type f -name '*.txt' | wc -l)
bytes=$(find "$corpus_dir" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
small_files=$(find "$small/corpus" -type f -name '*.txt' | wc -l)

rules="-r $work/bench.toml -r builtin:zh-telephone -r builtin:en-telephone"
cc="$bin check $corpus_dir $rules --format json --quiet"

# Before every timed run: some virtual machines reclaim the page cache proactively (DAMON), so
# the corpus read one run ago may be on disk again by the next.
warm="find $corpus_dir -type f -print0 | xargs -0 cat > /dev/null"
echo "== warm the page cache"
eval "$warm"

echo "== time"
# Besides the reference run (the benchmark rulebook plus two built-in rulebooks): the same
# phrases and regexes as ripgrep and nothing else, the default run (every built-in rulebook,
# no -r), and the reference run with --redact and as a report (issue 17's ratios).
names=("callcheck (2 threads)" "callcheck (1 thread)" "rg phrases + rg regexes (2 threads)"
       "rg phrases + rg regexes (1 thread)" "grep -F phrases"
       "callcheck, benchmark phrases and regexes only (2 threads)"
       "callcheck, default run: every built-in rulebook (2 threads)"
       "callcheck --redact (2 threads)" "callcheck report (2 threads)")
commands=(
  "$cc --jobs 2 > $out/cc.json"
  "$cc --jobs 1 > $out/cc1.json"
  "rg -j2 -c -F -f $work/phrases.txt $corpus_dir > $out/rg-phrases.txt; rg -j2 -c -f $work/regexes.txt $corpus_dir > $out/rg-regexes.txt"
  "rg -j1 -c -F -f $work/phrases.txt $corpus_dir > $out/rg1-phrases.txt; rg -j1 -c -f $work/regexes.txt $corpus_dir > $out/rg1-regexes.txt"
  "grep -r -c -F -f $work/phrases.txt $corpus_dir > $out/grep.txt"
  "$bin check $corpus_dir -r $work/bench.toml --format json --quiet --jobs 2 > $out/cc-phrases.json"
  "$bin check $corpus_dir --format json --quiet --jobs 2 > $out/cc-default.json"
  "$cc --jobs 2 --redact > $out/cc-redact.json"
  "$bin report $corpus_dir $rules --format json --jobs 2 > $out/report.json"
)
args=()
: > "$work/commands.txt"
for i in "${!names[@]}"; do
  args+=(-n "${names[$i]}" "${commands[$i]}")
  printf '%s\n' "${commands[$i]}" >> "$work/commands.txt"
done
# In rounds: each round times every command once, so a burst of load from the machine's other
# tenants (on a shared virtual machine it lasts tens of seconds) falls on all commands alike
# instead of on one command's runs back to back, which skews the ratios. Round 0 warms up and
# is not counted; a command's time is its median over the other rounds.
for round in $(seq 0 "$runs"); do
  echo "-- round $round of $runs"
  hyperfine --runs 1 --style basic --prepare "$warm" --ignore-failure \
    --export-json "$work/times-$round.json" "${args[@]}" > "$work/round-$round.txt"
done
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
rounds = [json.load(open(f"{work}/times-{r}.json"))["results"] for r in range(1, runs + 1)]
results = []
for i, first in enumerate(rounds[0]):
    times = [round_[i]["mean"] for round_ in rounds]
    results.append({"command": first["command"], "median": statistics.median(times), "times": times})
    print(f"{first['command']}: median {statistics.median(times):.3f} s of {', '.join(f'{t:.2f}' for t in times)}")
json.dump({"results": results}, open(f"{work}/times.json", "w"), indent=1)
PY

echo "== stages (--stats)"
eval "$warm"
$cc --jobs 2 --stats 2>"$work/stats.txt" >/dev/null || true

echo "== peak memory"
# callcheck exits 1 when it finds violations: that is expected here.
rss() { { /usr/bin/time -f '%M %e' "$@" 2>&1 >/dev/null || true; } | tail -n 1; }
rss_cc=$(rss $cc --jobs 2)
rss_default=$(rss "$bin" check "$corpus_dir" --format json --quiet --jobs 2)
rss_rg=$(rss rg -j2 -c -F -f "$work/phrases.txt" "$corpus_dir")
rss_small=$(rss "$bin" check "$small/corpus" $rules --format json --quiet --jobs 2)

big="$root/target/bench/calls-$single.jsonl"
if [ ! -f "$big" ]; then
  echo "== generate one $single JSON Lines file" >&2
  python3 scripts/bench/gen_corpus.py --jsonl "$big" --size "$single" --seed 7 >/dev/null
fi
big_bytes=$(stat -c %s "$big")
big_calls=$(wc -l < "$big")
rss_big=$(rss "$bin" check "$big" $rules --format json --quiet --jobs 2)

echo "== instructions (callgrind)"
# Instruction counts do not move with the machine's load, which moves wall times by 10% and more
# on a shared machine: they show a round's progress where timings cannot. One thread, the small
# corpus, every output to a file (ripgrep stops at the first match when writing to /dev/null).
: > "$work/instructions.txt"
if command -v valgrind >/dev/null; then
  instructions() {
    local name=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$@" > "$work/callgrind.stdout" 2>/dev/null || true
    printf '%s\t%s\n' "$name" "$(awk '/^(summary|totals):/ { print $2; exit }' "$work/callgrind.out")" >> "$work/instructions.txt"
  }
  small_cc="$bin check $small/corpus $rules --format json --quiet --jobs 1"
  instructions "rg phrases" rg -j1 -c -F -f "$small/phrases.txt" "$small/corpus"
  instructions "rg regexes" rg -j1 -c -f "$small/regexes.txt" "$small/corpus"
  instructions "phrases" "$bin" check "$small/corpus" -r "$small/bench.toml" --format json --quiet --jobs 1
  instructions "check" $small_cc
  instructions "default" "$bin" check "$small/corpus" --format json --quiet --jobs 1
  instructions "redact" $small_cc --redact
  instructions "report" "$bin" report "$small/corpus" $rules --format json --jobs 1
  rm -f "$work/callgrind.out" "$work/callgrind.stdout"
else
  echo "valgrind not found: no instruction counts (apt-get install valgrind)" >&2
fi

echo "== write BENCHMARKS.md"
python3 - "$work" "$root/BENCHMARKS.md" <<PY
import json, os, platform, subprocess, sys
work, target = sys.argv[1], sys.argv[2]
times = {r["command"]: r for r in json.load(open(f"{work}/times.json"))["results"]}
med = lambda name: times[name]["median"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
files, size, small_files = $files, $bytes, $small_files
builtin_rules = len(json.loads(subprocess.run(["$bin", "rules", "list", "--no-config", "-r", "builtin:zh-telephone",
    "-r", "builtin:en-telephone", "--format", "json"], capture_output=True, text=True).stdout))
cc2, cc1 = med("callcheck (2 threads)"), med("callcheck (1 thread)")
rg2, rg1 = med("rg phrases + rg regexes (2 threads)"), med("rg phrases + rg regexes (1 thread)")
rss_cc, cc_wall = "$rss_cc".split(); rss_rg = "$rss_rg".split()[0]; rss_default = "$rss_default".split()[0]
phrases = med("callcheck, benchmark phrases and regexes only (2 threads)")
default = med("callcheck, default run: every built-in rulebook (2 threads)")
redact, report = med("callcheck --redact (2 threads)"), med("callcheck report (2 threads)")
rss_small = "$rss_small".split()[0]; rss_big, big_wall = "$rss_big".split()
mb = lambda kb: int(kb) / 1024
version = subprocess.run(["$bin", "--version"], capture_output=True, text=True).stdout.strip()
rgv = subprocess.run(["rg", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
stats = open(f"{work}/stats.txt").read().strip().splitlines()
yes = lambda ok: "yes" if ok else "**no**"
lines = [
 "# Benchmarks", "",
 "Generated by \`scripts/bench/run.sh --size $size --single $single\` — do not edit by hand; rerun the",
 "script. Issue 7's and issue 17's targets and what was measured against them are in the last table.", "",
 "## Machine and corpus", "",
 f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem} MiB; {platform.system()} {platform.release()}",
 f"- {version}; {rgv}; hyperfine, page cache warmed before each run; $runs rounds, each timing every command once (so load from other tenants falls on all alike), median per command",
 f"- Corpus: {files:,} transcripts, {size/1e6:,.0f} MB, 60% Chinese / 40% English, generated by",
 "  \`scripts/bench/gen_corpus.py --size $size --seed 42\` (timestamps, hang-up events, order and phone",
 "  numbers read back, 2% of agent turns carry a planted forbidden phrase)",
 "- Rules: \`bench.toml\` (300 literal phrases in 30 forbidden rules, 20 regex rules) plus the built-in",
 f"  rulebooks zh-telephone and en-telephone ({builtin_rules} rules: phrases, sequences, read-back, conditions,",
 "  metrics, pii); ripgrep and grep search the same 300 phrases and 20 regexes, nothing else", "",
 "## Wall time (median)", "",
 "The range is the fastest and slowest of the rounds: how much the machine's load moved them.", "",
 "| command | time | range | throughput | files/s |", "|---|---|---|---|---|",
]
for name, r in times.items():
    m = r["median"]
    spread = f"{min(r['times']):.2f}–{max(r['times']):.2f} s"
    lines.append(f"| {name} | {m:.2f} s | {spread} | {size/1e6/m:,.0f} MB/s | {files/m:,.0f} |")
lines += ["", "Where callcheck's time goes (\`--stats\`, 2 worker threads):", "", "\`\`\`text", *stats, "\`\`\`",
 "", "## Targets", "",
 "| target | measured | met |", "|---|---|---|",
 f"| wall time ≤ 1.5× (rg phrases + rg regexes), 2 threads | {cc2/rg2:.2f}× ({cc2:.2f} s vs {rg2:.2f} s) | {yes(cc2/rg2 <= 1.5)} |",
 f"| 2 threads ≥ 1.8× faster than 1 | {cc1/cc2:.2f}× (rg: {rg1/rg2:.2f}×) | {yes(cc1/cc2 >= 1.8)} |",
 f"| peak RSS ≤ 64 MB on the corpus | {mb(rss_cc):.1f} MB (rg: {mb(rss_rg):.1f} MB) | {yes(mb(rss_cc) <= 64)} |",
 f"| the same at 10× the files | {small_files:,} files: {mb(rss_small):.1f} MB; {files:,} files: {mb(rss_cc):.1f} MB | {yes(mb(rss_cc) <= 64 and mb(rss_cc) <= mb(rss_small) * 1.5 + 8)} |",
 f"| one $single transcript file in bounded memory | {$big_bytes/1e6:,.0f} MB, {$big_calls:,} calls (JSON Lines): {mb(rss_big):.1f} MB in {float(big_wall):.1f} s | {yes(mb(rss_big) <= 64)} |",
 f"| issue 17: the same phrases and regexes as ripgrep only ≤ 1.5× ripgrep | {phrases/rg2:.2f}× ({phrases:.2f} s vs {rg2:.2f} s) | {yes(phrases/rg2 <= 1.5)} |",
 f"| issue 17: default run, every built-in rulebook, ≤ 3× ripgrep | {default/rg2:.2f}× ({default:.2f} s; peak RSS {mb(rss_default):.1f} MB) | {yes(default/rg2 <= 3)} |",
 f"| issue 17: \`check --redact\` ≤ 1.2× \`check\` | {redact/cc2:.2f}× ({redact:.2f} s vs {cc2:.2f} s) | {yes(redact/cc2 <= 1.2)} |",
 f"| issue 17: \`report\` ≤ 1.2× \`check\` | {report/cc2:.2f}× ({report:.2f} s vs {cc2:.2f} s) | {yes(report/cc2 <= 1.2)} |",
""]
counts = dict(line.rstrip("\n").split("\t") for line in open(f"{work}/instructions.txt") if line.strip())
counts = {name: int(n) for name, n in counts.items() if n.isdigit()}
if len(counts) == 7:
    rg_both = counts["rg phrases"] + counts["rg regexes"]
    rows = [
        ("rg phrases + rg regexes", "rg phrases", None),
        ("callcheck, benchmark phrases and regexes only", "phrases", "rg"),
        ("callcheck (benchmark rulebook and the two telephone rulebooks)", "check", "rg"),
        ("callcheck, default run: every built-in rulebook", "default", "rg"),
        ("callcheck --redact", "redact", "check"),
        ("callcheck report", "report", "check"),
    ]
    lines += ["## Instructions (callgrind)", "",
     f"One thread, the {small_files:,}-file corpus, counted by \`valgrind --tool=callgrind\`. Unlike wall",
     "time they do not move with the machine's load, so they show what a change did where timings",
     "cannot; they miss what memory latency costs, so the targets stay the wall times above.", "",
     "| command | instructions | ratio |", "|---|---|---|"]
    for label, key, against in rows:
        n = rg_both if key == "rg phrases" else counts[key]
        if against is None:
            ratio = "1"
        elif against == "rg":
            ratio = f"{n / rg_both:.2f}× rg"
        else:
            ratio = f"{n / counts['check']:.2f}× callcheck"
        lines.append(f"| {label} | {n / 1e6:,.0f} M | {ratio} |")
    lines += [""]
lines += ["## Commands", "", "\`\`\`sh"]
for command in open(f"{work}/commands.txt").read().splitlines():
    lines.append(command.replace("$root/", ""))
lines += ["\`\`\`", ""]
# The hand-written profile and explanation follow the generated tables.
lines += [open("scripts/bench/analysis.md", encoding="utf-8").read()]
open(target, "w").write("\n".join(lines))
PY
echo "wrote BENCHMARKS.md"
