"""Tests of the Python package (run by scripts/acceptance.sh after `pip install .`):

    python3 -m pytest python/tests -q

The module must give the command's findings: the main test checks every bundled example both
ways and compares the results entry by entry.
"""

import json
import os
import pathlib
import shutil
import subprocess
import threading

import pytest

import callcheck

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The package's own `callcheck` command (the Rust command line run in-process by the module).
COMMAND = shutil.which("callcheck")


def cli_report(*args: str) -> dict:
    done = subprocess.run([COMMAND, *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_module_findings_equal_the_commands_on_all_examples(monkeypatch):
    monkeypatch.chdir(ROOT)
    report = cli_report("check", "examples/", "--format", "json")
    entries = report["files"]
    assert len(entries) >= 40
    checker = callcheck.Checker()
    # A folder's metadata table applies by call id: in memory it is the `metadata` option.
    tabled = callcheck.Checker(metadata="examples/formats/metadata.csv")
    by_file: dict[str, list[dict]] = {}
    for entry in entries:
        by_file.setdefault(entry["path"].split("#")[0], []).append(entry)
    compared = 0
    for path, expected in by_file.items():
        raw = (ROOT / path).read_bytes()
        encoding = expected[0].get("encoding", "UTF-8")
        text = raw.decode(encoding.replace("UTF-8", "utf-8-sig"))
        item = {"text": text, "path": path}
        if len(expected) == 1 and expected[0]["status"] != "error":
            # Sidecar files and folder tables are files: in memory, metadata comes with the text.
            item["metadata"] = expected[0]["metadata"]
        got = (tabled if path.startswith("examples/formats/") else checker).check([item])
        assert [g["path"] for g in got] == [e["path"] for e in expected], path
        for g, e in zip(got, expected):
            for key in ("status", "format", "findings", "not_applicable", "roles", "score", "metadata"):
                assert g.get(key) == e.get(key), f"{e['path']}: {key} differs"
            compared += 1
    assert compared == len(entries)


def test_callcheck_json_objects_strings_and_metadata():
    checker = callcheck.Checker(rulebooks=["builtin:zh-telephone"], no_config=True)
    call = {
        "call_id": "c-1",
        "metadata": {"agent": "王芳"},
        "turns": [
            {"speaker": "客服", "role": "agent", "text": "喂。"},
            {"speaker": "客户", "role": "customer", "text": "我的快递丢了。"},
            {"speaker": "客服", "role": "agent", "text": "你必须先登记。"},
        ],
    }
    text = "客服：您好，这里是顺达快递。\n客户：我的快递丢了。\n客服：好的，我帮您查。\n"
    first, second = checker.check([call, {"text": text, "path": "b.txt", "metadata": {"team": "一组"}}])
    assert first["path"] == "c-1" and first["status"] == "ok"
    assert first["metadata"]["agent"] == "王芳"
    rules = {f["rule"] for f in first["findings"]}
    assert {"zh-telephone/greeting", "zh-telephone/you-must"} <= rules
    assert first["score"]["score"] < second["score"]["score"]
    assert second["path"] == "b.txt" and second["metadata"]["team"] == "一组"
    [named] = checker.check(["客服：您好，这里是顺达快递。\n客户：谢谢。"])
    assert named["path"] == "#1"


def test_nothing_unreadable_passes_as_clean():
    checker = callcheck.Checker(no_config=True)
    broken, unknown, no_agent = checker.check(
        [
            {"text": "{not json", "path": "x.json"},
            {"text": "hello", "format": "nope"},
            {"text": "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", "path": "y.vtt"},
        ]
    )
    assert broken["status"] == "error" and "findings" not in broken
    assert unknown["status"] == "error" and "nope" in unknown["error"]
    assert no_agent["status"] in ("error", "not_checked")


def test_invalid_options_raise_with_the_commands_message(tmp_path):
    with pytest.raises(callcheck.CheckError, match="nope"):
        callcheck.Checker(rulebooks=["builtin:nope"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[rulebook]\nid = \"x\"\n\n[[forbiden]]\nid = \"y\"\n")
    with pytest.raises(callcheck.CheckError, match="forbidden"):
        callcheck.Checker(rulebooks=[bad])
    with pytest.raises(TypeError):
        callcheck.Checker(no_config=True).check([42])


def test_threads_check_at_the_same_time():
    # The GIL is released while checking: threads share one checker and get the same results.
    checker = callcheck.Checker(rulebooks=["builtin:en-telephone"], no_config=True)
    calls = [{"text": f"Agent: Hello.\nCustomer: Hi, order {i}.\nAgent: You must wait.\n", "path": f"{i}.txt"}
             for i in range(200)]
    expected = checker.check(calls)
    results: list[list[dict]] = [[] for _ in range(4)]

    def run(slot: int) -> None:
        results[slot] = checker.check(calls)

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_the_packaged_command_is_the_command_line():
    done = subprocess.run([COMMAND, "check", "examples/zh-cn", "--format", "compact"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "zh-telephone/buck-passing" in done.stdout
    usage = subprocess.run([COMMAND, "check", "--no-such-flag"], capture_output=True, text=True)
    assert usage.returncode == 2 and "--no-such-flag" in usage.stderr
    version = subprocess.run([COMMAND, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"callcheck {callcheck.__version__}"
