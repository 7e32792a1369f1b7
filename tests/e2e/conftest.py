"""Shared pieces of the end-to-end suite: the server command, drafts, and position helpers."""

import asyncio
import os
import pathlib
import subprocess

from lsprotocol import types

BIN = os.environ.get(
    "COPYDESK_BIN",
    str(pathlib.Path(__file__).resolve().parents[2] / "target" / "debug" / "copydesk"),
)
SERVER = [BIN, "server", "--stdio"]

# The rules these tests watch; the others are turned off through the client's settings so
# the tests stay about the server, not about how the rules evolve.
WATCHED = ("repeated-word", "stray-punctuation")
ALL_RULES = [
    line.split()[0] for line in subprocess.run([BIN, "rules"], capture_output=True, text=True, check=True).stdout.splitlines()
]
OPTIONS = {"copydesk": {"rules": {rule: "off" for rule in ALL_RULES if rule not in WATCHED}}}

# A repeated word and stray punctuation after an emoji and curly quotes (so positions differ
# between encodings), people, and attributed and unattributed quotations.
DRAFT = (
    "# Council delays vote\n"
    "\n"
    "🙂 Mayor Ana Reyes said the the plan was sound , officials said.\n"
    "\"It is not over,\" said Reyes. Council Member Tom Becker, who leads the finance committee, said he wanted more time.\n"
    "\n"
    "\"Nobody told us anything,\" a resident said.\n"
    "\n"
    "The council meets again on Monday.\n"
    "\n"
    "\"The budget is a disgrace and everyone knows it.\"\n"
)


def units(text: str, encoding: str) -> int:
    """The length of `text` in the negotiated position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def position(text: str, offset: int, encoding: str) -> types.Position:
    """The LSP position of a character offset (a Python string index)."""
    before = text[:offset]
    line = before.count("\n")
    line_start = before.rfind("\n") + 1
    return types.Position(line=line, character=units(text[line_start:offset], encoding))


def range_of(text: str, needle: str, encoding: str) -> types.Range:
    start = text.index(needle)
    return types.Range(
        start=position(text, start, encoding), end=position(text, start + len(needle), encoding)
    )


def offset(text: str, pos: types.Position, encoding: str) -> int:
    """The character offset of an LSP position."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    count = 0
    for idx, char in enumerate(line):
        if count >= pos.character:
            return start + idx
        count += units(char, encoding)
    return start + len(line)


def apply_edits(text: str, edits, encoding: str) -> str:
    """Applies LSP text edits (all against the same text) to `text`."""
    spans = sorted(
        ((offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def encoding_of(result: types.InitializeResult) -> str:
    encoding = result.capabilities.position_encoding
    return str(encoding.value if hasattr(encoding, "value") else encoding or "utf-16")


def pulls(client) -> bool:
    """Whether the client pulls diagnostics (then the server does not push them)."""
    text_document = client.capabilities.text_document
    return text_document is not None and text_document.diagnostic is not None


async def diagnostics(client, uri: str, version: int):
    """The diagnostics of `uri` at `version`, pulled or pushed as the client works."""
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return report.items
    for _ in range(6000):
        published = client.published.get((uri, version))
        if published is not None:
            return published
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics for {uri} version {version}")


def prepare(client):
    """Answers the server's requests a real editor would answer, and keeps every publish by
    (uri, version) (pytest-lsp keeps only the latest per uri)."""
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(params):
        return None

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        return None

    client.published = {}
    handle = client.protocol._handle_notification

    def recording(method_name, params):
        if method_name == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.published[(params.uri, params.version)] = params.diagnostics
        handle(method_name, params)

    client.protocol._handle_notification = recording


def open_draft(client, uri: str, text: str, version: int = 1):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
        )
    )


def change_draft(client, uri: str, text: str, version: int):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
