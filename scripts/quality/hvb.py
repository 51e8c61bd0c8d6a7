#!/usr/bin/env python3
"""Convert Harper Valley Bank calls into callcheck plain-text transcripts.

The Harper Valley Bank (HVB) dataset is spoken English telephone banking: role-played calls
between an agent and a caller, each with a human-corrected transcript, the speech recogniser's
transcript and per-segment timings. It is (c) Gridspace and licensed under the Apache License 2.0
(https://github.com/cricketclub/gridspace-stanford-harper-valley), so converted calls may be
committed with the attribution kept next to them (quality/hvb/NOTICE).

The input is a folder laid out like the dataset's `data/` folder (or a partial copy of it):

    DATA/transcript/<sid>.json   a JSON list of segments: speaker_role (agent | caller),
                                 human_transcript, transcript (recogniser text), offset_ms
                                 (start on the call clock), duration_ms, index, word timings
    DATA/metadata/<sid>.json     agent.metadata.agent_name, agent.hangup_time_ms,
                                 caller.hangup_time_ms, tasks (what the caller was asked to do)

Usage:

    python3 scripts/quality/hvb.py --data ~/hvb/data --out quality/hvb/calls \
        --ids quality/hvb/ids.txt --tasks /tmp/hvb-tasks.jsonl
    python3 scripts/quality/hvb.py --data ~/hvb/data --out /tmp/hvb-asr --text asr

Each call becomes `<sid>.txt`:

    # call_id: <sid>
    # channel: voice
    # language: en
    # agent: <agent_name>                  (omitted when the metadata has none)
    # ended_by: agent|customer             (whoever's hangup_time_ms is earlier; omitted when
                                            either time is missing or they are equal)
    # source: Harper Valley Bank (Gridspace, Apache-2.0), data/transcript/<sid>.json
    [HH:MM:SS.mmm-HH:MM:SS.mmm] Agent: <text>
    [HH:MM:SS.mmm-HH:MM:SS.mmm] Customer: <text>

One line per recogniser segment, in offset_ms order (ties by segment index), start = offset_ms
and end = offset_ms + duration_ms. The recogniser's segmentation is kept as it is: a sentence
split at a pause stays split over two lines, which is exactly what callcheck has to cope with.
Text is `human_transcript` by default or `transcript` with `--text asr`, as transcribed
(lower case, no punctuation, markers such as [noise], [laughter], [unintelligible], <unk> and
y~ for a cut-off word left in place); only runs of whitespace are collapsed. A segment whose text
is empty, or nothing but [noise] markers, is skipped (it is not speech; `--keep-noise` keeps the
[noise]-only ones).

`--tasks FILE` also writes a JSON Lines file, one line per converted call:
{"sid": ..., "tasks": [...]} with the metadata `tasks` (the details the caller was asked to give,
e.g. an amount or a phone number): ground truth for read-back (G9) checks.

Calls whose sid begins with "0" are reserved in this project (held out): they are skipped and
never opened, even when listed in --ids.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROLES = {"agent": "Agent", "caller": "Customer"}
SOURCE = "Harper Valley Bank (Gridspace, Apache-2.0), data/transcript/{sid}.json"
NOISE_ONLY = re.compile(r"^(?:\[noise\]\s*)+$")


def reserved(sid: str) -> bool:
    return sid.startswith("0")


def read_ids(path: Path) -> list:
    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            ids.append(line.split()[0])
    return ids


def clock(ms: int) -> str:
    ms = max(0, int(round(ms)))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def ended_by(metadata: dict):
    agent = (metadata.get("agent") or {}).get("hangup_time_ms")
    caller = (metadata.get("caller") or {}).get("hangup_time_ms")
    if not isinstance(agent, (int, float)) or not isinstance(caller, (int, float)) or agent == caller:
        return None
    return "agent" if agent < caller else "customer"


def transcript(sid: str, segments: list, metadata: dict, text_key: str, keep_noise: bool) -> str:
    lines = [f"# call_id: {sid}", "# channel: voice", "# language: en"]
    agent_name = ((metadata.get("agent") or {}).get("metadata") or {}).get("agent_name")
    if agent_name:
        lines.append(f"# agent: {' '.join(str(agent_name).split())}")
    who_ended = ended_by(metadata)
    if who_ended:
        lines.append(f"# ended_by: {who_ended}")
    lines.append(f"# source: {SOURCE.format(sid=sid)}")
    ordered = sorted(segments, key=lambda s: (s.get("offset_ms", 0), s.get("index", 0)))
    for segment in ordered:
        text = " ".join(str(segment.get(text_key) or "").split())
        if not text or (not keep_noise and NOISE_ONLY.match(text)):
            continue
        role = ROLES.get(segment.get("speaker_role"))
        if role is None:
            raise ValueError(f"{sid}: segment {segment.get('index')} has speaker_role {segment.get('speaker_role')!r}")
        start = segment["offset_ms"]
        end = start + segment.get("duration_ms", 0)
        lines.append(f"[{clock(start)}-{clock(end)}] {role}: {text}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding transcript/ and metadata/ (the dataset's data/ folder)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write <sid>.txt files into")
    parser.add_argument("--ids", type=Path, help="file of sids to convert, one per line, # comments (default: every call in --data)")
    parser.add_argument("--text", choices=["human", "asr"], default="human", help="human_transcript (default) or the recogniser's transcript")
    parser.add_argument("--tasks", type=Path, help="also write the metadata tasks as JSON Lines to this file")
    parser.add_argument("--keep-noise", action="store_true", help="keep segments that are nothing but [noise]")
    args = parser.parse_args()

    if args.ids:
        wanted = read_ids(args.ids)
    else:
        wanted = sorted(p.stem for p in (args.data / "metadata").glob("*.json"))
    skipped = [sid for sid in wanted if reserved(sid)]
    wanted = [sid for sid in wanted if not reserved(sid)]
    if skipped:
        print(f"hvb.py: skipped {len(skipped)} reserved sid(s) beginning with 0", file=sys.stderr)
    missing = [sid for sid in wanted
               if not (args.data / "transcript" / f"{sid}.json").is_file()
               or not (args.data / "metadata" / f"{sid}.json").is_file()]
    if missing:
        print(f"hvb.py: {len(missing)} sid(s) lack a transcript or metadata file in {args.data}, e.g. {missing[0]}", file=sys.stderr)
        return 2

    text_key = "human_transcript" if args.text == "human" else "transcript"
    args.out.mkdir(parents=True, exist_ok=True)
    tasks = []
    for sid in wanted:
        segments = json.loads((args.data / "transcript" / f"{sid}.json").read_text(encoding="utf-8"))
        metadata = json.loads((args.data / "metadata" / f"{sid}.json").read_text(encoding="utf-8"))
        (args.out / f"{sid}.txt").write_text(transcript(sid, segments, metadata, text_key, args.keep_noise), encoding="utf-8")
        tasks.append({"sid": sid, "tasks": metadata.get("tasks", [])})
    if args.tasks:
        args.tasks.parent.mkdir(parents=True, exist_ok=True)
        with args.tasks.open("w", encoding="utf-8") as out:
            for row in tasks:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(wanted)} transcripts to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
