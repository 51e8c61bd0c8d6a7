#!/usr/bin/env python3
"""Measure callcheck's speaker-role inference on real conversations.

Each dialogue of a corpus is written as a plain-text transcript whose speakers carry neutral
labels (spk_0/spk_1, SPEAKER_00/SPEAKER_01 or "Speaker 1"/"Speaker 2"), assigned to the roles
at random (seeded) so the label says nothing; the true roles are kept aside. `callcheck convert`
reads the transcripts, and its JSON Lines (each call's `roles` and each turn's `role`) are
compared with the truth:

  right        every turn has its true role;
  not checked  no speaker was identified as the agent (the call would not be checked: `check`
               says so and exits 2);
  partial      the agent was identified, every role given is right, but some speaker was left
               without a role;
  wrong        some turn got a role it does not have (swapped: agent and customer exchanged).

The sample is split in two halves, in sample order, and figures are given for each half, for
both, and by the number of turns. callcheck's cue lists were tuned on the first half of
`--n 600 --seed 1` samples of the STC-3 training files; their second halves and the test files
were held out.

Corpora plug in as converters in CORPORA: a function from a file to dialogues, each an id and a
list of (role, text) turns with role "agent", "customer" or "system". The dialogue texts stay in
a temporary folder (or --keep DIR) and are never printed unless --show asks for failures.

Usage:
  scripts/quality/roles.py --corpus stc3 --file /work/corpora/stc3/data/train_data_cn.json \\
      --n 600 --seed 1 [--labels spk] [--callcheck target/release/callcheck] [--show 5]

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass


@dataclass
class Dialogue:
    """One conversation: an id and its turns as (role, text)."""

    id: str
    turns: list[tuple[str, str]]


def load_stc3(path: str) -> list[Dialogue]:
    """NTCIR-14 STC-3 dialogues: [{id, turns: [{sender: customer|helpdesk, utterances}]}].

    A turn's utterances (separate chat messages) become the lines of one turn. Turns with no
    text (the corpus has a few) are dropped: there is nothing to judge in them.
    """
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    roles = {"customer": "customer", "helpdesk": "agent"}
    out = []
    for d in data:
        turns = []
        for t in d["turns"]:
            lines = [u.strip() for u in t["utterances"] if u.strip()]
            if lines:
                turns.append((roles[t["sender"]], "\n".join(lines)))
        out.append(Dialogue(str(d["id"]), turns))
    return out


def load_hvb(path: str) -> list[Dialogue]:
    """Harper Valley Bank phone calls as committed in quality/hvb/calls (a folder of callcheck
    plain-text transcripts): each `Agent:`/`Customer:` line is one turn; the headers and the
    timestamps are dropped, so only the words say who is who.
    """
    out = []
    for name in sorted(os.listdir(path)):
        if not name.endswith(".txt"):
            continue
        turns = []
        with open(os.path.join(path, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                text = line.split("] ", 1)[-1].strip()
                label, _, words = text.partition(": ")
                role = {"Agent": "agent", "Customer": "customer"}.get(label)
                if role and words.strip():
                    turns.append((role, words.strip()))
        out.append(Dialogue(name.removesuffix(".txt"), turns))
    return out


CORPORA = {"stc3": load_stc3, "hvb": load_hvb}

LABEL_STYLES = {
    "spk": lambda i: f"spk_{i}",
    "pyannote": lambda i: f"SPEAKER_{i:02d}",
    "numbered": lambda i: f"Speaker {i + 1}",
}


def transcript(dialogue: Dialogue, labels: dict[str, str]) -> str:
    """A plain-text transcript: a call id header, then `label: text` with continuation lines."""
    out = [f"# call_id: {dialogue.id}"]
    for role, text in dialogue.turns:
        first, *rest = text.replace("\r", "").split("\n")
        out.append(f"{labels[role]}: {first}")
        out.extend(f"    {line}" for line in rest)
    return "\n".join(out) + "\n"


def judge(dialogue: Dialogue, converted: dict) -> str:
    """right, not checked, partial, swapped or wrong."""
    roles = converted.get("roles") or {}
    got = [t.get("role") for t in converted["turns"]]
    truth = [role for role, _ in dialogue.turns]
    if len(got) != len(truth):
        return "wrong"
    wrong = [(g, t) for g, t in zip(got, truth) if g is not None and g != t]
    if wrong:
        return "swapped" if all({g, t} == {"agent", "customer"} for g, t in wrong) else "wrong"
    if roles.get("not_checked"):
        return "not checked"
    if all(g == t for g, t in zip(got, truth)):
        return "right"
    return "partial"


OUTCOMES = ["right", "not checked", "partial", "swapped", "wrong"]


def table(rows: list[tuple[str, collections.Counter]]) -> str:
    """A Markdown table: one row per group, counts and shares of each outcome."""
    head = "| dialogues | n | " + " | ".join(OUTCOMES) + " |"
    line = "|---|---:|" + "---:|" * len(OUTCOMES)
    body = []
    for name, counts in rows:
        n = sum(counts.values())
        cells = []
        for o in OUTCOMES:
            c = counts.get(o, 0)
            cells.append(f"{c} ({100 * c / n:.1f}%)" if n else "0")
        body.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    return "\n".join([head, line, *body])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="stc3")
    parser.add_argument("--file", required=True, help="the corpus file")
    parser.add_argument("--n", type=int, default=600, help="dialogues to sample (default 600)")
    parser.add_argument("--seed", type=int, default=1, help="sampling and label seed (default 1)")
    parser.add_argument("--labels", choices=sorted(LABEL_STYLES), default="spk")
    parser.add_argument("--callcheck", default="target/release/callcheck", help="the binary")
    parser.add_argument("--roles", default="infer", help="passed to callcheck --roles")
    parser.add_argument("--keep", help="write the transcripts here and keep them (never commit them)")
    parser.add_argument("--show", type=int, default=0, help="print up to N failed dialogues (local use)")
    args = parser.parse_args()

    dialogues = CORPORA[args.corpus](args.file)
    rng = random.Random(args.seed)
    sample = rng.sample(dialogues, min(args.n, len(dialogues)))
    sample = [d for d in sample if d.turns]
    style = LABEL_STYLES[args.labels]

    folder = args.keep or tempfile.mkdtemp(prefix="callcheck-roles-")
    os.makedirs(folder, exist_ok=True)
    try:
        width = len(str(len(sample)))
        for i, d in enumerate(sample):
            roles = sorted({role for role, _ in d.turns})
            numbers = list(range(len(roles)))
            rng.shuffle(numbers)
            labels = {role: style(n) for role, n in zip(roles, numbers)}
            with open(os.path.join(folder, f"{i:0{width}d}.txt"), "w", encoding="utf-8") as f:
                f.write(transcript(d, labels))
        run = subprocess.run(
            [args.callcheck, "--no-config", "convert", folder, "--roles", args.roles],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            return 2
        converted = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if len(converted) != len(sample):
        print(f"expected {len(sample)} transcripts, callcheck converted {len(converted)}", file=sys.stderr)
        return 2

    half = len(sample) // 2
    outcomes = [judge(d, c) for d, c in zip(sample, converted)]
    rows = [
        ("first half", collections.Counter(outcomes[:half])),
        ("second half", collections.Counter(outcomes[half:])),
        ("all", collections.Counter(outcomes)),
    ]
    by_turns: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for d, o in zip(sample, outcomes):
        by_turns[len(d.turns)][o] += 1
    rows += [(f"{k} turns", v) for k, v in sorted(by_turns.items())]
    print(f"{args.corpus} {os.path.basename(args.file)}: {len(sample)} dialogues, seed {args.seed}, "
          f"labels {args.labels}, --roles {args.roles}\n")
    print(table(rows))

    if args.show:
        shown = 0
        for d, c, o in zip(sample, converted, outcomes):
            if o == "right" or shown >= args.show:
                continue
            shown += 1
            print(f"\n--- {d.id}: {o}; roles {json.dumps(c.get('roles'), ensure_ascii=False)}")
            for (role, text), t in zip(d.turns, c["turns"]):
                print(f"  [{role} -> {t.get('role')}] {text[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
