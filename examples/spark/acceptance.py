"""Proof that the Spark recipe is the same product as the command (run by scripts/acceptance.sh).

    python3 examples/spark/acceptance.py --bin target/release/callcheck [--calls 20000] [--work DIR]

Generates a corpus of at least --calls calls (scripts/bench/gen_corpus.py), writes it as a
Parquet table (path, text), runs examples/spark/callcheck_job.py with spark-submit on local[2],
and asserts:

- the findings table equals `callcheck check --format jsonl` on the files, as a multiset of
  (path, rule, line, column);
- the roll-ups equal `callcheck report --format json` by agent, by team and by date (summary,
  groups, and calls broken and findings per rule).

It prints calls per second per core for the command, the Python module and Spark.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATS = ("calls", "scored", "mean", "median", "passed", "pass_rate", "auto_failed", "findings",
         "calls_with_findings")


def run(cmd: list[str], cwd: pathlib.Path, ok=(0,)) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in ok:
        sys.exit(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr[-4000:]}")
    return done


def generate(work: pathlib.Path, calls: int) -> list[pathlib.Path]:
    corpus = work / "corpus"
    # About 2.9 kB per generated call.
    size = f"{calls * 3}K"
    run([sys.executable, str(ROOT / "scripts/bench/gen_corpus.py"), str(corpus), "--size", size], work)
    files = sorted(p for p in corpus.rglob("*.txt"))
    assert len(files) >= calls, f"only {len(files)} calls generated"
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="the callcheck binary")
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--work", help="working folder (default: a temporary one, removed after)")
    args = parser.parse_args()
    binary = str(pathlib.Path(args.bin).resolve())
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="callcheck-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        check(binary, work, args.calls)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def check(binary: str, work: pathlib.Path, calls: int) -> None:
    import pandas as pd

    files = generate(work, calls)
    rows = [{"path": str(p.relative_to(work)), "text": p.read_text(encoding="utf-8")} for p in files]
    pd.DataFrame(rows).to_parquet(work / "calls.parquet", index=False)
    print(f"  {len(rows)} calls, {sum(len(r['text'].encode()) for r in rows) / 1e6:.1f} MB")

    # The command, on the files.
    started = time.perf_counter()
    lines = run([binary, "check", "corpus", "--format", "jsonl", "--jobs", "1"], work, ok=(0, 1)).stdout
    cli_seconds = time.perf_counter() - started
    expected = collections.Counter()
    for line in lines.splitlines():
        f = json.loads(line)
        if "rule" in f:
            expected[(f["path"], f["rule"], f["line"], f["column"])] += 1
        else:
            sys.exit(f"the command could not check {f['path']}: {f}")

    # The Python module, in this process, one thread.
    import callcheck

    started = time.perf_counter()
    checker = callcheck.Checker(no_config=True)
    module_findings = sum(len(r.get("findings", [])) for r in checker.check(rows))
    module_seconds = time.perf_counter() - started
    assert module_findings == sum(expected.values()), (module_findings, sum(expected.values()))

    # Spark, local mode, two cores.
    spark_submit = shutil.which("spark-submit")
    assert spark_submit, "spark-submit not found: pip install pyspark"
    started = time.perf_counter()
    run([spark_submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false",
         str(ROOT / "examples/spark/callcheck_job.py"), "--calls", "calls.parquet", "--out", "out",
         "--partitions", "8"], work)
    spark_seconds = time.perf_counter() - started
    findings = pd.read_parquet(work / "out/findings")
    got = collections.Counter(zip(findings["path"], findings["rule"], findings["line"], findings["column"]))
    assert got == expected, f"Spark and the command differ: {len(got - expected)} extra, {len(expected - got)} missing"
    print(f"  ok    Spark findings = the command's: {sum(got.values())} findings in {len(rows)} calls")
    called = pd.read_parquet(work / "out/calls")
    assert len(called) == len(rows) and set(called["status"]) == {"ok"}, called["status"].value_counts()

    spark_rollups = json.loads((work / "out/rollups.json").read_text(encoding="utf-8"))
    for key in ("agent", "team", "date"):
        report = json.loads(run([binary, "report", "corpus", "--by", key, "--format", "json"], work).stdout)
        want_summary = {k: report["summary"][k] for k in STATS}
        got_summary = {k: spark_rollups["summary"][k] for k in STATS}
        assert got_summary == want_summary, (key, got_summary, want_summary)
        want = {g["key"][key]: {k: g[k] for k in STATS} for g in report["groups"]}
        got_groups = {g[key]: {k: g[k] for k in STATS} for g in spark_rollups["groups"][key]}
        assert got_groups == want, f"by {key}: " + json.dumps(
            {k: (got_groups.get(k), want.get(k)) for k in want if got_groups.get(k) != want.get(k)},
            ensure_ascii=False)[:2000]
        want_rules = {r["rule"]: (r["broken"], r["findings"]) for r in report["rules"] if r["findings"]}
        got_rules = {r["rule"]: (r["broken"], r["findings"]) for r in spark_rollups["rules"]}
        assert got_rules == want_rules, (got_rules, want_rules)
        print(f"  ok    Spark roll-ups by {key} = callcheck report --by {key}: {len(want)} groups")

    cores_spark = 2
    n = len(rows)
    print(f"  calls per second per core: command {n / cli_seconds:.0f} (--jobs 1), "
          f"Python module {n / module_seconds:.0f} (one thread), "
          f"Spark local[2] {n / spark_seconds / cores_spark:.0f} (whole job incl. start-up and writing)")


if __name__ == "__main__":
    main()
