"""Every capability, through an independent client (pytest-lsp), against the built binary,
with the capabilities real editors declare."""

import asyncio
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import (
    DRAFT,
    OPTIONS,
    SERVER,
    apply_edits,
    change_draft,
    diagnostics,
    encoding_of,
    open_draft,
    position,
    pulls,
    range_of,
    prepare,
)

URI = "file:///drafts/story.md"


@pytest_lsp.fixture(
    params=["visual-studio-code", "neovim", "neovim@v0.7.0", "emacs"],
    config=ClientServerConfig(server_command=SERVER),
)
async def client(request, lsp_client: LanguageClient):
    prepare(lsp_client)
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param), initialization_options=OPTIONS
    )
    lsp_client.init_result = await lsp_client.initialize_session(params)
    lsp_client.encoding = encoding_of(lsp_client.init_result)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def vscode(lsp_client: LanguageClient):
    prepare(lsp_client)
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), initialization_options=OPTIONS
    )
    lsp_client.init_result = await lsp_client.initialize_session(params)
    lsp_client.encoding = encoding_of(lsp_client.init_result)
    yield
    await lsp_client.shutdown_session()


def codes(items):
    return sorted((d.code, d.range.start.line, d.range.start.character) for d in items)


async def test_diagnostics_in_the_negotiated_encoding(client: LanguageClient):
    encoding = client.encoding
    offered = (client.capabilities.general and client.capabilities.general.position_encodings) or []
    assert encoding == ("utf-8" if types.PositionEncodingKind.Utf8 in offered else "utf-16")
    open_draft(client, URI, DRAFT)
    items = await diagnostics(client, URI, 1)
    repeated = range_of(DRAFT, "the the", encoding).start
    stray = range_of(DRAFT, " ,", encoding).start
    assert codes(items) == [
        ("repeated-word", repeated.line, repeated.character),
        ("stray-punctuation", stray.line, stray.character),
    ]
    assert all(d.source == "copydesk" for d in items)
    assert all(str(d.code_description.href).endswith(f"docs/rules/{d.code}.md") for d in items)
    # After a change, the findings follow the new text.
    change_draft(client, URI, DRAFT.replace("the the", "the"), 2)
    items = await diagnostics(client, URI, 2)
    assert [d.code for d in items] == ["stray-punctuation"]


async def test_quick_fix_applies(client: LanguageClient):
    encoding = client.encoding
    open_draft(client, URI, DRAFT)
    await diagnostics(client, URI, 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=range_of(DRAFT, "the the", encoding),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [action.title for action in actions]
    assert titles[:2] == ['Remove the repeated "the"', "Ignore repeated-word on this line"]
    fix = actions[0]
    assert fix.is_preferred
    if fix.edit.document_changes:
        change = fix.edit.document_changes[0]
        assert change.text_document.version == 1
        edits = change.edits
    else:
        edits = fix.edit.changes[URI]
    fixed = apply_edits(DRAFT, edits, encoding)
    assert "said the plan" in fixed
    change_draft(client, URI, fixed, 2)
    items = await diagnostics(client, URI, 2)
    assert [d.code for d in items] == ["stray-punctuation"]


async def test_fix_all_in_one_versioned_edit(vscode: LanguageClient):
    open_draft(vscode, URI, DRAFT)
    await diagnostics(vscode, URI, 1)
    actions = await vscode.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=range_of(DRAFT, "Council", "utf-16"),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.kind for a in actions] == ["source.fixAll.copydesk"]
    resolved = await vscode.code_action_resolve_async(actions[0])
    (change,) = resolved.edit.document_changes
    assert change.text_document.version == 1
    fixed = apply_edits(DRAFT, change.edits, "utf-16")
    assert "said the plan was sound, officials said." in fixed
    change_draft(vscode, URI, fixed, 2)
    assert list(await diagnostics(vscode, URI, 2)) == []


async def test_hover_names_the_person(client: LanguageClient):
    open_draft(client, URI, DRAFT)
    await diagnostics(client, URI, 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position(DRAFT, DRAFT.index("said Reyes") + 6, client.encoding),
        )
    )
    value = hover.contents.value
    assert "Ana Reyes" in value and "Mayor" in value
    assert "First reference: line 3" in value
    assert "“It is not over,” (line 4)" in value


async def test_symbols_references_rename(vscode: LanguageClient):
    open_draft(vscode, URI, DRAFT)
    await diagnostics(vscode, URI, 1)
    symbols = await vscode.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert [s.name for s in symbols] == ["People", "Quotations"]
    quotations = symbols[1]
    assert [g.name for g in quotations.children] == ["Ana Reyes", "a resident", "Unattributed"]
    on_reyes = position(DRAFT, DRAFT.index("Ana Reyes") + 5, "utf-16")
    references = await vscode.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=on_reyes,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert len(references) == 2
    prepared = await vscode.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=types.TextDocumentIdentifier(uri=URI), position=on_reyes)
    )
    assert prepared.placeholder == "Ana Reyes"
    edit = await vscode.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=URI), position=on_reyes, new_name="Ana Ortiz"
        )
    )
    renamed = apply_edits(DRAFT, edit.document_changes[0].edits, "utf-16")
    assert "Mayor Ana Ortiz said" in renamed and "said Ortiz." in renamed


async def test_inlay_hints_and_code_lens(vscode: LanguageClient):
    open_draft(vscode, URI, DRAFT)
    await diagnostics(vscode, URI, 1)
    hints = await vscode.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)),
        )
    )
    assert [h.label for h in hints] == ["Ana Reyes", "a resident", "unattributed"]
    lenses = await vscode.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert lenses[0].command.title == "3 quotes from 2 sources · 1 unattributed"
    quotes = await vscode.workspace_execute_command_async(
        types.ExecuteCommandParams(command=lenses[0].command.command, arguments=lenses[0].command.arguments)
    )
    assert [q["speaker"] for q in quotes] == ["Ana Reyes", "a resident", None]
    assert vscode.messages[-1].message.startswith("3 quotes from 2 sources · 1 unattributed")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def configured(lsp_client: LanguageClient, tmp_path: pathlib.Path):
    prepare(lsp_client)
    (tmp_path / "copydesk.toml").write_text('[rules]\nrepeated-word = "error"\n')
    lsp_client.root = tmp_path
    lsp_client.set_configuration({"rules": {"stray-punctuation": "off"}}, section="copydesk")
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri(),
        initialization_options={"copydesk": {**OPTIONS["copydesk"], "inlayHints": {"enable": False}}},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_configuration_file_and_client_settings(configured: LanguageClient):
    uri = (configured.root / "story.md").as_uri()
    open_draft(configured, uri, DRAFT)
    # The file makes repeated-word an error; the client turns stray-punctuation off. The
    # settings pulled after `initialized` may land after a first analysis, which is then
    # published again: wait for the one with both.
    items = await diagnostics(configured, uri, 1)
    for _ in range(1000):
        items = configured.published[(uri, 1)]
        if [d.code for d in items] == ["repeated-word"]:
            break
        await asyncio.sleep(0.01)
    assert [(d.code, d.severity) for d in items] == [("repeated-word", types.DiagnosticSeverity.Error)]
    hints = await configured.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)),
        )
    )
    assert list(hints) == []
    # A broken file: a diagnostic on it and a message, and the last good settings stay.
    config = configured.root / "copydesk.toml"
    config.write_text('[rules]\nrepeated-word = "loud"\n')
    configured.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    for _ in range(500):
        if configured.diagnostics.get(config.as_uri()):
            break
        await asyncio.sleep(0.01)
    (problem,) = configured.diagnostics[config.as_uri()]
    assert problem.range.start == types.Position(line=1, character=16)
    assert "invalid level `loud`" in problem.message
    assert any("Drafts keep the last good settings" in m.message for m in configured.messages)
    change_draft(configured, uri, DRAFT, 100)
    items = await diagnostics(configured, uri, 100)
    assert [(d.code, d.severity) for d in items] == [("repeated-word", types.DiagnosticSeverity.Error)]
