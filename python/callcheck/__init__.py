"""callcheck checks call-centre transcripts against script-compliance rulebooks.

The module runs the Rust library in-process: a `Checker` compiles the rulebooks once, and
`Checker.check` returns, for each transcript, the object the JSON report of `callcheck check
--format json` has for it (findings, rules not applicable, roles, score, status)::

    import callcheck

    checker = callcheck.Checker(rulebooks=["builtin:zh-telephone"])
    [result] = checker.check([{"call_id": "c-1", "turns": [
        {"role": "agent", "text": "喂。"},
        {"role": "customer", "text": "我的快递丢了。"},
    ]}])
    result["findings"][0]["rule"]   # 'zh-telephone/greeting'
    result["score"]["score"]

A transcript is a callcheck JSON object (a dict with `turns`, as `callcheck convert` prints it),
a dict with `text` (a transcript in any format callcheck reads) and optionally `format`, `path`,
`call_id` and `metadata` (a dict applied as a sidecar file's would be), or a plain string. The GIL is released while checking. See docs/scale.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Union

from callcheck._callcheck import __version__, _Checker

__all__ = ["Checker", "CheckError", "__version__"]

#: What `Checker.check` takes: a callcheck JSON transcript, `{"text": …, "format": …, "path": …}`,
#: or raw text.
Transcript = Union[Mapping[str, Any], str]


class CheckError(ValueError):
    """The options, configuration or rulebooks are invalid (the message says where and why)."""


class Checker:
    """Compiled rulebooks and settings, resolved as `callcheck check` resolves its options.

    Arguments mirror `callcheck check`'s options: ``rulebooks`` are ``-r`` values (paths or
    ``builtin:NAME``; without them the project's callcheck.toml or the built-ins decide),
    ``config`` is ``--config`` (else callcheck.toml is searched from the current folder unless
    ``no_config``), ``speaker_map`` maps speaker labels to roles (``{"spk_0": "agent"}``),
    ``metadata`` is a ``--metadata`` table, ``redact`` is ``"personal"`` or ``"all"``.
    ``options`` passes any other option of `callcheck check` as command-line strings.
    """

    def __init__(
        self,
        rulebooks: Sequence[str | os.PathLike[str]] | None = None,
        *,
        config: str | os.PathLike[str] | None = None,
        no_config: bool = False,
        speaker_map: Mapping[str, str] | None = None,
        metadata: str | os.PathLike[str] | None = None,
        channel: str | None = None,
        roles: str | None = None,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        redact: str | None = None,
        options: Sequence[str] = (),
    ) -> None:
        args: list[str] = []
        for rulebook in rulebooks or ():
            args += ["-r", os.fspath(rulebook)]
        if config is not None:
            args += ["--config", os.fspath(config)]
        if no_config:
            args.append("--no-config")
        for label, role in (speaker_map or {}).items():
            args += ["--speaker-map", f"{label}={role}"]
        if metadata is not None:
            args += ["--metadata", os.fspath(metadata)]
        if channel is not None:
            args += ["--channel", channel]
        if roles is not None:
            args += ["--roles", roles]
        for rule in select:
            args += ["--select", rule]
        for rule in ignore:
            args += ["--ignore", rule]
        if redact is not None:
            args.append(f"--redact={redact}")
        args += list(options)
        try:
            self._checker = _Checker(args)
        except ValueError as e:
            raise CheckError(str(e)) from None

    def check(self, transcripts: Iterable[Transcript]) -> list[dict[str, Any]]:
        """Checks transcripts; one result per transcript read (a text may hold several calls).

        Each result is the JSON report's entry: ``path`` (the call id, the given ``path``, or
        ``#N`` by position), ``status`` (``ok``, ``not_checked`` or ``error``), ``findings``,
        ``not_applicable``, ``roles``, ``metadata``, ``score``. A transcript that cannot be read
        is a result with status ``error``, never a clean one.
        """
        items = [_item(position, t) for position, t in enumerate(transcripts, start=1)]
        return [json.loads(result) for result in self._checker.check(items)]


def _item(position: int, transcript: Transcript) -> tuple[str, str, str | None, list[tuple[str, str]]]:
    if isinstance(transcript, str):
        return (f"#{position}", transcript, None, [])
    if not isinstance(transcript, Mapping):
        raise TypeError(f"transcript #{position}: expected a dict or a str, not {type(transcript).__name__}")
    name = str(transcript.get("path") or transcript.get("call_id") or f"#{position}")
    if "turns" in transcript:
        text = json.dumps({k: v for k, v in transcript.items() if k != "path"}, ensure_ascii=False)
        return (name, text, "json", [])
    if "text" in transcript:
        metadata = [(str(k), str(v)) for k, v in (transcript.get("metadata") or {}).items() if v is not None]
        if transcript.get("call_id") is not None:
            metadata.insert(0, ("call_id", str(transcript["call_id"])))
        return (name, str(transcript["text"]), transcript.get("format"), metadata)
    raise ValueError(f"transcript {name}: expected `turns` (callcheck JSON) or `text`")
