"""Check a table of calls with callcheck on Apache Spark; write findings, calls and roll-ups.

    spark-submit --master local[4] examples/spark/callcheck_job.py \\
        --calls calls.parquet --out results/ [--rulebook builtin:zh-telephone] [--config callcheck.toml]

The calls table (Parquet, or JSON Lines with --calls-format json) has one row per call:

- ``text``: the transcript in any format callcheck reads (plain text, WebVTT, a Transcribe or
  Contact Lens export…), with ``format`` naming it when the ``path`` extension cannot; or
  ``turns``: a callcheck JSON transcript's turns (as ``callcheck convert`` writes them);
- ``call_id`` and/or ``path``: what the results call it (``path`` first: a file's path gives the
  same names, lines and columns as ``callcheck check`` on that file);
- any other column is metadata (``agent``, ``team``, ``date``, ``ended_by``, ``rings``…), applied
  as a sidecar file's would be.

It writes, under --out:

- ``findings/`` (Parquet): one row per finding — ``path``, ``rule``, ``kind``, ``severity``,
  ``message``, ``line``, ``column``, ``end_line``, ``end_column``, ``turn``, ``speaker``,
  ``matched``, ``note``, and the call's ``agent``, ``team``, ``date``;
- ``calls/`` (Parquet): one row per call — ``path``, ``status`` (``ok``, ``not_checked``,
  ``error``), ``error``, ``score``, ``passed``, ``auto_fail``, ``findings``, ``agent``,
  ``team``, ``date``, ``metadata`` (a map);
- ``rollups.json``: the summary and the groups by agent, team and date, and the rules broken,
  with the numbers ``callcheck report --format json`` gives for the same calls.

Each partition compiles the rulebooks once (one ``callcheck.Checker``) and checks its calls in
the Rust library, in-process, with the GIL released. Ship the callcheck wheel to the executors
(docs/scale.md).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

#: Columns that are not metadata.
CALL_COLUMNS = {"text", "format", "turns", "path", "call_id"}

FINDING = T.StructType(
    [
        T.StructField("rule", T.StringType()),
        T.StructField("kind", T.StringType()),
        T.StructField("severity", T.StringType()),
        T.StructField("message", T.StringType()),
        T.StructField("line", T.IntegerType()),
        T.StructField("column", T.IntegerType()),
        T.StructField("end_line", T.IntegerType()),
        T.StructField("end_column", T.IntegerType()),
        T.StructField("turn", T.IntegerType()),
        T.StructField("speaker", T.StringType()),
        T.StructField("matched", T.StringType()),
        T.StructField("note", T.StringType()),
    ]
)

RESULT = T.StructType(
    [
        T.StructField("path", T.StringType()),
        T.StructField("status", T.StringType()),
        T.StructField("error", T.StringType()),
        T.StructField("score_tenths", T.IntegerType()),
        T.StructField("passed", T.BooleanType()),
        T.StructField("auto_fail", T.BooleanType()),
        T.StructField("metadata", T.MapType(T.StringType(), T.StringType())),
        T.StructField("findings", T.ArrayType(FINDING)),
    ]
)


def checker_options(args: argparse.Namespace) -> dict:
    """The `callcheck.Checker` arguments, sent to every executor."""
    options: dict = {"rulebooks": args.rulebook or None}
    if args.config:
        options["config"] = args.config
    else:
        options["no_config"] = True
    return options


def check_partitions(options: dict):
    """The `mapInPandas` function: one Checker per partition, results as rows of RESULT."""

    def check(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import callcheck  # on the executor

        checker = callcheck.Checker(**options)
        for batch in batches:
            transcripts = [transcript(row) for row in batch.to_dict("records")]
            rows = [result_row(r) for r in checker.check(transcripts)]
            yield pd.DataFrame(rows, columns=RESULT.fieldNames())

    return check


def transcript(row: dict) -> dict:
    """A table row as a transcript for `Checker.check`."""
    metadata = {
        k: str(v)
        for k, v in row.items()
        if k not in CALL_COLUMNS and v is not None and not (isinstance(v, float) and pd.isna(v))
    }
    name = row.get("path") or row.get("call_id")
    if row.get("turns") is not None:
        turns = [dict(t) for t in row["turns"]]
        call = {"turns": turns, "metadata": metadata}
        if row.get("call_id"):
            call["call_id"] = row["call_id"]
        if name:
            call["path"] = name
        return call
    item = {"text": row["text"], "metadata": metadata}
    for key in ("path", "call_id", "format"):
        if row.get(key):
            item[key] = row[key]
    return item


def result_row(result: dict) -> dict:
    """One `Checker.check` result as a row of RESULT."""
    score = result.get("score") or {}
    return {
        "path": result["path"],
        "status": result["status"],
        "error": result.get("error") or result.get("reason"),
        # Tenths of a point, as `callcheck report` adds them up: exact sums and medians.
        "score_tenths": None if score.get("score") is None else int(round(score["score"] * 10)),
        "passed": score.get("passed"),
        "auto_fail": score.get("auto_fail"),
        "metadata": result.get("metadata") or {},
        "findings": [
            {key: f.get(key) for key in FINDING.fieldNames()} for f in result.get("findings", [])
        ],
    }


def check_calls(calls: DataFrame, options: dict) -> DataFrame:
    """Every call checked: one row per transcript read."""
    results = calls.mapInPandas(check_partitions(options), schema=RESULT)
    return results.select(
        "*",
        F.col("metadata")["agent"].alias("agent"),
        F.col("metadata")["team"].alias("team"),
        F.col("metadata")["date"].alias("date"),
        F.size("findings").alias("finding_count"),
    )


def round1(column: str) -> str:
    """SQL for callcheck's rounding to one decimal (half away from zero, in doubles)."""
    return f"floor(({column}) * 10D + 0.5D) / 10D"


def stats_sql(view: str, keys: list[str]) -> str:
    """`callcheck report`'s numbers per group (or for all calls without keys), in Spark SQL."""
    key_list = ", ".join(keys)
    select_keys = f"{key_list}, " if keys else ""
    group_by = f"GROUP BY {key_list}" if keys else ""
    return f"""
        SELECT {select_keys}
            count(*) AS calls,
            count(score_tenths) AS scored,
            {round1("sum(score_tenths) / 10D / count(score_tenths)")} AS mean,
            {round1("percentile(score_tenths, 0.5) / 10D")} AS median,
            count_if(passed) AS passed,
            {round1("100D * count_if(passed) / count(score_tenths)")} AS pass_rate,
            count_if(auto_fail) AS auto_failed,
            sum(finding_count) AS findings,
            count_if(finding_count > 0) AS calls_with_findings
        FROM {view} WHERE status != 'error' {group_by}
    """


def rollups(spark: SparkSession, checked: DataFrame) -> dict:
    """The summary, groups by agent, team and date, and rules broken."""
    checked.createOrReplaceTempView("checked_calls")
    rows = lambda sql: [r.asDict() for r in spark.sql(sql).collect()]  # noqa: E731
    summary = rows(stats_sql("checked_calls", []))[0]
    summary["errors"] = spark.sql("SELECT count(*) AS n FROM checked_calls WHERE status = 'error'").first()["n"]
    groups = {key: rows(stats_sql("checked_calls", [key])) for key in ("agent", "team", "date")}
    rules = rows(
        """
        SELECT f.rule, count(DISTINCT c.path) AS broken, count(*) AS findings
        FROM checked_calls c LATERAL VIEW explode(c.findings) AS f
        GROUP BY f.rule
        """
    )
    return {"summary": summary, "groups": groups, "rules": rules}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", required=True, help="the calls table (Parquet or JSON Lines)")
    parser.add_argument("--calls-format", default="parquet", choices=["parquet", "json"])
    parser.add_argument("--out", required=True, help="folder for findings/, calls/ and rollups.json")
    parser.add_argument("--rulebook", action="append", help="a rulebook (path or builtin:NAME); repeatable")
    parser.add_argument("--config", help="a callcheck.toml (its rulebooks, speakers and levels apply)")
    parser.add_argument("--partitions", type=int, default=0, help="repartition the calls first")
    args = parser.parse_args()

    spark = SparkSession.builder.appName("callcheck").getOrCreate()
    calls = spark.read.format(args.calls_format).load(args.calls)
    if args.partitions:
        calls = calls.repartition(args.partitions)
    checked = check_calls(calls, checker_options(args)).cache()

    findings = checked.select(
        "path", F.explode("findings").alias("f"), "agent", "team", "date"
    ).select("path", "f.*", "agent", "team", "date")
    findings.write.mode("overwrite").parquet(f"{args.out}/findings")
    checked.select(
        "path", "status", "error", (F.col("score_tenths") / 10).alias("score"), "passed", "auto_fail",
        F.col("finding_count").alias("findings"), "agent", "team", "date", "metadata",
    ).write.mode("overwrite").parquet(f"{args.out}/calls")
    with open(f"{args.out}/rollups.json", "w", encoding="utf-8") as out:
        json.dump(rollups(spark, checked), out, ensure_ascii=False, indent=1, default=str)
    spark.stop()


if __name__ == "__main__":
    main()
