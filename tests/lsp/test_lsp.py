"""End-to-end test of `callcheck lsp` driven by a real LSP client (pytest-lsp, on pygls).

The client announces Visual Studio Code's capabilities and pytest-lsp checks every message the
server sends against them. Run by scripts/acceptance.sh:

    CALLCHECK_BIN=target/release/callcheck python3 -m pytest tests/lsp -q
"""

import os
import pathlib
import textwrap

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

BIN = os.environ.get("CALLCHECK_BIN", "target/release/callcheck")

CONFIG = """\
rulebooks = ["rules/acme.toml"]
paths = ["replies", "calls"]
templates = ["replies/**"]

[template_roles]
opening = ["replies/open-*"]
"""

RULEBOOK = """\
[rulebook]
id = "acme"
language = "en"
extends = ["builtin:en-telephone"]

[[forbidden]]
id = "you-must"
title = "Ask, do not order"
phrases = ["you must", "you have to"]
replace = "please"
message = "Ask the customer instead of ordering"
"""


@pytest.fixture
def project(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "replies").mkdir()
    (tmp_path / "calls").mkdir()
    (tmp_path / "callcheck.toml").write_text(CONFIG)
    (tmp_path / "rules" / "acme.toml").write_text(RULEBOOK)
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[os.path.abspath(BIN), "lsp", "--stdio"]),
)
async def client(lsp_client: LanguageClient, project: pathlib.Path):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="replies")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_and_wait(client: LanguageClient, path: pathlib.Path, text: str, language: str = "plaintext"):
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def change_and_wait(client: LanguageClient, uri: str, version: int, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Applies text edits the way an editor does (positions in UTF-16 code units)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        chars = 0
        for ch in line:
            if units >= position.character:
                break
            units += 2 if ord(ch) > 0xFFFF else 1
            chars += 1
        return before + chars

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def codes(client: LanguageClient, uri: str) -> list[str]:
    return sorted(d.code for d in client.diagnostics.get(uri, []))


def diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    return list(client.diagnostics.get(uri, []))


@pytest.mark.asyncio
async def test_replace_fix_clears_the_diagnostic(client: LanguageClient, project: pathlib.Path):
    text = "Thanks for waiting. 😀 You must restart the router first.\n"
    uri = await open_and_wait(client, project / "replies" / "router.txt", text)

    (found,) = diagnostics(client, uri)
    assert found.code == "acme/you-must"
    # "You must" starts after 20 characters and an emoji of two UTF-16 units.
    assert (found.range.start.line, found.range.start.character) == (0, 23)
    assert (found.range.end.line, found.range.end.character) == (0, 31)
    assert found.severity == types.DiagnosticSeverity.Warning
    assert found.source == "callcheck"

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 25))
    )
    assert hover is not None and "acme/you-must" in hover.contents.value
    assert "What a [[forbidden]] rule checks" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    titles = [a.title for a in actions]
    assert titles == ["Replace “You must” with “please”", "Disable acme/you-must for this line"]
    fixed = apply(text, actions[0].edit.changes[uri])
    assert fixed == "Thanks for waiting. 😀 please restart the router first.\n"

    await change_and_wait(client, uri, 2, fixed)
    assert diagnostics(client, uri) == []


@pytest.mark.asyncio
async def test_suppression_comment_silences_the_rule(client: LanguageClient, project: pathlib.Path):
    text = "## Refunds\n\nYou have to send the receipt.\n"
    uri = await open_and_wait(client, project / "replies" / "refund.md", text, "markdown")
    assert codes(client, uri) == ["acme/you-must"]
    (found,) = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    disable = next(a for a in actions if a.title.startswith("Disable"))
    suppressed = apply(text, disable.edit.changes[uri])
    assert "<!-- callcheck: disable-next-line acme/you-must -->\nYou have to" in suppressed
    await change_and_wait(client, uri, 2, suppressed)
    assert diagnostics(client, uri) == []


@pytest.mark.asyncio
async def test_template_roles_apply(client: LanguageClient, project: pathlib.Path):
    # An opening template is held to the greeting rule; a body template is not.
    opening = await open_and_wait(client, project / "replies" / "open-hours.txt", "We open at nine.\n")
    assert "acme/greeting" in codes(client, opening)
    body = await open_and_wait(client, project / "replies" / "hours.txt", "We open at nine.\n")
    assert codes(client, body) == []


@pytest.mark.asyncio
async def test_rulebook_problems_and_reload(client: LanguageClient, project: pathlib.Path):
    rulebook = project / "rules" / "acme.toml"
    broken = RULEBOOK.replace('phrases = ["you must"', 'phrase = ["you must"')
    uri = await open_and_wait(client, rulebook, broken, "toml")
    (problem,) = client.diagnostics[uri]
    assert problem.severity == types.DiagnosticSeverity.Error
    assert problem.range.start.line == broken.splitlines().index('phrase = ["you must", "you have to"]')
    assert "phrase" in problem.message

    # A rule added and saved applies at once to the templates that are open.
    template = await open_and_wait(client, project / "replies" / "calm.txt", "No worries, we will fix it.\n")
    assert codes(client, template) == []
    rulebook.write_text(RULEBOOK + textwrap.dedent('''
        [[forbidden]]
        id = "no-worries"
        phrases = ["no worries"]
    '''))
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    while codes(client, template) != ["acme/no-worries"]:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


@pytest.mark.asyncio
async def test_a_call_that_cannot_be_judged_is_never_clean(client: LanguageClient, project: pathlib.Path):
    # Captions without speaker names: nobody can be told to be the agent.
    captions = "WEBVTT\n\n00:00.000 --> 00:02.000\nhello thanks for calling\n"
    uri = await open_and_wait(client, project / "calls" / "call.vtt", captions)
    (problem,) = diagnostics(client, uri)
    assert problem.severity == types.DiagnosticSeverity.Error
    assert problem.message.startswith(("not checked", "cannot be checked"))
    assert problem.range.start.line == 0

    # A file outside the project's paths is not checked, as `callcheck check` would not.
    notes = await open_and_wait(client, project / "notes.txt", "Agent: you must wait\n")
    assert diagnostics(client, notes) == []
