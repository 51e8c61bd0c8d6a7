#!/usr/bin/env python3
"""Convert a local copy of the STC3 customer-helpdesk dialogues into callcheck transcripts.

The STC3 dialogue texts (NTCIR-14 STC-3, https://github.com/sakai-lab/stc3-dataset) carry no
licence, so they are never committed: this script reads your own copy of `data.zip` (or the
extracted `train_data_cn.json` / `train_data_en.json`) and writes one plain-text transcript per
dialogue into a folder outside the repository. Only the ids and our labels are committed
(quality/stc3/).

    python3 scripts/quality/stc3.py --source ~/stc3/data.zip --lang cn --out /tmp/stc3/cn \
        --ids quality/stc3/ids-dev.txt quality/stc3/ids-test.txt

Each dialogue becomes `<id>.txt`: three header lines (call id, channel, language), then one line
per message (`客户：` / `客服：`, or `Customer:` / `Agent:`), so message k is on line 3 + k.
"""

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

LABELS = {"cn": ("客户", "客服", "：", "zh"), "en": ("Customer", "Agent", ": ", "en")}
# The English translation prefixes some messages with the sender's initial ("C： ", "H： ").
SENDER_PREFIX = re.compile(r"^\s*[CH]\s*[:：]\s*")


def load(source: Path, lang: str) -> list:
    name = f"train_data_{lang}.json"
    if source.suffix == ".zip":
        with zipfile.ZipFile(source) as archive:
            member = next(n for n in archive.namelist() if n.endswith("data/" + name))
            return json.loads(archive.read(member))
    path = source / name if source.is_dir() else source
    return json.loads(path.read_text(encoding="utf-8"))


def transcript(dialogue: dict, lang: str) -> str:
    customer, agent, colon, language = LABELS[lang]
    lines = [f"# call_id: {dialogue['id']}", "# channel: chat", f"# language: {language}"]
    for turn in dialogue["turns"]:
        who = customer if turn["sender"] == "customer" else agent
        for utterance in turn["utterances"]:
            text = " ".join(utterance.split())
            if lang == "en":
                text = SENDER_PREFIX.sub("", text)
            # An empty message keeps its line so line numbers stay 3 + message index.
            lines.append(f"{who}{colon}{text}" if text else f"{who}{colon}…")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="data.zip, its data/ folder, or a train_data_*.json")
    parser.add_argument("--lang", choices=sorted(LABELS), default="cn")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ids", type=Path, nargs="*", help="files of dialogue ids to convert (default: all)")
    parser.add_argument("--skip-missing", action="store_true",
                        help="skip ids the file lacks (the English file translates only some dialogues)")
    args = parser.parse_args()

    dialogues = {d["id"]: d for d in load(args.source, args.lang)}
    if args.ids:
        wanted = [line.strip() for f in args.ids for line in f.read_text().splitlines() if line.strip() and not line.startswith("#")]
    else:
        wanted = list(dialogues)
    missing = [i for i in wanted if i not in dialogues]
    if missing:
        print(f"stc3.py: {len(missing)} ids are not in the {args.lang} file, e.g. {missing[0]}", file=sys.stderr)
        if not args.skip_missing:
            return 2
        wanted = [i for i in wanted if i in dialogues]
    args.out.mkdir(parents=True, exist_ok=True)
    for dialogue_id in wanted:
        (args.out / f"{dialogue_id}.txt").write_text(transcript(dialogues[dialogue_id], args.lang), encoding="utf-8")
    print(f"wrote {len(wanted)} transcripts to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
