#!/usr/bin/env python3
"""Regenerate the figures in QUALITY.md from the labelled real conversations.

QUALITY.md is prose written by hand plus generated blocks between markers:

    <!-- generated: NAME -->
    ...replaced by this script...
    <!-- end: NAME -->

Each block is the output of one command, which the block names. The blocks:

  hvb          callcheck eval on the Harper Valley Bank calls committed in quality/hvb
               (Apache-2.0), rulebook builtin:en-telephone; disagreements included.
  stc3-zh-dev, stc3-zh-test, stc3-en-dev, stc3-en-test
               callcheck eval on the STC-3 helpdesk dialogues (ids and labels in quality/stc3),
               rulebooks builtin:zh-chat / builtin:en-chat. The dialogue texts carry no licence,
               so they are read from your own copy (--stc3 data.zip), converted into a temporary
               folder, and the disagreement tables (which quote them) are left out.
  roles        scripts/quality/roles.py on the STC-3 test files and the HVB calls.
  summary      one line per corpus above: calls, labels, violations labelled and flagged,
               micro-averaged precision and recall.

Usage (from the repository root, after `cargo build --release`):

    scripts/quality/report.py --stc3 ~/stc3/data.zip          # rewrite QUALITY.md
    scripts/quality/report.py --stc3 ~/stc3/data.zip --check  # exit 1 if QUALITY.md is stale
    scripts/quality/report.py --only hvb                      # no STC-3 copy: HVB block only

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)", re.S)


def run(args: list[str], ok=(0, 1)) -> str:
    """Runs a command from the repository root; its stdout."""
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in ok:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def percent(hits: int, of: int, interval: list[float] | None = None) -> str:
    """`80.0% (72/90)`, with `, likely 70.6–87.0%` when callcheck gave the 95% interval."""
    if not of:
        return "–"
    shown = f"{100 * hits / of:.1f}% ({hits}/{of})"
    if interval:
        shown += f", likely {100 * interval[0]:.1f}–{100 * interval[1]:.1f}%"
    return shown


def eval_block(callcheck: str, labels: str, corpus: str, rulebook: str, shown_corpus: str,
               disagreements: bool) -> tuple[str, str]:
    """`callcheck eval --format markdown`, headings demoted, the command on top; and the
    summary table's row for it."""
    out = run([callcheck, "eval", labels, corpus, "-r", rulebook, "--format", "markdown"])
    lines = out.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    text = "\n".join(lines).strip()
    if not disagreements:
        text = text.split("\n## Disagreements")[0].rstrip()
        text += ("\n\nThe disagreements quote the dialogues, which may not be redistributed: run the "
                 "command on your own copy to see them.")
    text = re.sub(r"^## ", "#### ", text, flags=re.M)
    command = f"callcheck eval {labels} {shown_corpus} -r {rulebook}"
    summary = json.loads(run([callcheck, "eval", labels, corpus, "-r", rulebook, "--format", "json"]))["summary"]
    tp, fp, fn = summary["tp"], summary["fp"], summary["fn"]
    row = (f"| {summary['calls']} | {summary['labels']} | {tp + fn} | {tp + fp} | "
           f"{percent(tp, tp + fp, summary['precision_interval'])} | "
           f"{percent(tp, tp + fn, summary['recall_interval'])} |")
    return f"```sh\n{command}\n```\n\n{text}\n", row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stc3", help="your copy of the STC-3 data.zip (or its extracted data/ folder)")
    parser.add_argument("--callcheck", default="target/release/callcheck")
    parser.add_argument("--file", default="QUALITY.md")
    parser.add_argument("--only", nargs="*", help="regenerate only these blocks")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file would change")
    args = parser.parse_args()

    callcheck = str((ROOT / args.callcheck) if not Path(args.callcheck).is_absolute() else args.callcheck)
    if not Path(callcheck).exists():
        sys.exit(f"{args.callcheck} not found: run `cargo build --release` first")
    blocks: dict[str, str] = {}
    rows: dict[str, str] = {}
    wanted = set(args.only or ["hvb", "stc3-zh-dev", "stc3-zh-test", "stc3-en-dev", "stc3-en-test", "roles", "summary"])
    if any(b.startswith("stc3") or b == "roles" for b in wanted) and not args.stc3:
        sys.exit("the STC-3 blocks need --stc3 PATH (your copy of data.zip); or pass --only hvb")

    if "hvb" in wanted:
        blocks["hvb"], rows["hvb"] = eval_block(callcheck, "quality/hvb/labels.csv", "quality/hvb/calls",
                                                "builtin:en-telephone", "quality/hvb/calls", True)
    with tempfile.TemporaryDirectory(prefix="callcheck-quality-") as tmp:
        stc3 = Path(args.stc3).expanduser().resolve() if args.stc3 else None
        for lang, code, rulebook in [("zh", "cn", "builtin:zh-chat"), ("en", "en", "builtin:en-chat")]:
            for split in ["dev", "test"]:
                name = f"stc3-{lang}-{split}"
                if name not in wanted:
                    continue
                out = Path(tmp) / f"{code}-{split}"
                run([sys.executable, "scripts/quality/stc3.py", "--source", str(stc3), "--lang", code,
                     "--out", str(out), "--ids", f"quality/stc3/ids-{split}.txt", "--skip-missing"], ok=(0,))
                blocks[name], rows[name] = eval_block(callcheck, f"quality/stc3/{lang}-{split}.csv", str(out), rulebook,
                                          f"STC3/{code}-{split}", False)
        if "roles" in wanted:
            parts = []
            data = stc3 if stc3.is_dir() else None
            if data is None:
                import zipfile
                with zipfile.ZipFile(stc3) as z:
                    z.extractall(tmp, [n for n in z.namelist() if n.startswith("data/test_data_")])
                data = Path(tmp) / "data"
            for code in ["cn", "en"]:
                command = ["scripts/quality/roles.py", "--corpus", "stc3", "--file", str(data / f"test_data_{code}.json"),
                           "--n", "390", "--seed", "1", "--callcheck", callcheck]
                shown = f"scripts/quality/roles.py --corpus stc3 --file test_data_{code}.json --n 390 --seed 1"
                table = run([sys.executable, *command], ok=(0,)).strip().split("\n\n", 1)[-1]
                parts.append(f"```sh\n{shown}\n```\n\n{table}\n")
            shown = "scripts/quality/roles.py --corpus hvb --file quality/hvb/calls --n 16 --seed 1"
            table = run([sys.executable, *shown.split(), "--callcheck", callcheck], ok=(0,))
            parts.append(f"```sh\n{shown}\n```\n\n{table.strip().split(chr(10) * 2, 1)[-1]}\n")
            blocks["roles"] = "\n".join(parts)

    if "summary" in wanted:
        names = {
            "hvb": "Harper Valley Bank phone calls (English) | `en-telephone`",
            "stc3-zh-dev": "STC-3 helpdesk chats, Chinese, dev (tuned on) | `zh-chat`",
            "stc3-zh-test": "STC-3 helpdesk chats, Chinese, test (held out) | `zh-chat`",
            "stc3-en-dev": "STC-3 helpdesk chats, English, dev (tuned on) | `en-chat`",
            "stc3-en-test": "STC-3 helpdesk chats, English, test (held out) | `en-chat`",
        }
        head = ("| corpus | rulebook | calls | labels | violations labelled | flagged | precision | recall |\n"
                "|---|---|---:|---:|---:|---:|---:|---:|")
        blocks["summary"] = head + "\n" + "\n".join(f"| {names[k]} {rows[k]}" for k in names if k in rows) + "\n"

    path = ROOT / args.file
    text = path.read_text(encoding="utf-8")
    found = {m.group("name") for m in BLOCK.finditer(text)}
    missing = set(blocks) - found
    if missing:
        sys.exit(f"{args.file} has no block for {', '.join(sorted(missing))}: add <!-- generated: NAME --> markers")
    new = BLOCK.sub(lambda m: m.group(1) + blocks.get(m.group("name"), m.group("body")) + m.group(4)
                    if m.group("name") in blocks else m.group(0), text)
    if args.check:
        if new != text:
            print(f"{args.file} is stale: run scripts/quality/report.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    print(f"wrote {len(blocks)} blocks to {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
