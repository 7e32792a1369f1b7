"""The server under broken input, at its limits, and at the end of a session, driven over raw
stdio (no LSP library between the test and the bytes)."""

import json
import subprocess
import time

import pytest

from conftest import BIN, OPTIONS


class Raw:
    """A server process and the bytes to and from it."""

    def __init__(self):
        self.process = subprocess.Popen(
            [BIN, "server", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def write(self, data: bytes):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict):
        body = json.dumps(message).encode()
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def receive(self) -> dict:
        headers = {}
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, value = line.decode().split(":", 1)
            headers[name.lower()] = value.strip()
        return json.loads(self.process.stdout.read(int(headers["content-length"])))

    def response(self, id_):
        while True:
            message = self.receive()
            if "method" not in message and message.get("id") == id_:
                return message

    def notification(self, method):
        while True:
            message = self.receive()
            if message.get("method") == method and "id" not in message:
                return message["params"]

    def initialize(self):
        self.send(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"capabilities": {}, "initializationOptions": OPTIONS},
            }
        )
        assert "result" in self.response(1)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def open(self, uri, text, version=1):
        self.send(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}},
            }
        )

    def shutdown(self) -> int:
        self.send({"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
        assert self.response(999)["result"] is None
        self.send({"jsonrpc": "2.0", "method": "exit"})
        return self.process.wait(timeout=10)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def raw():
    server = Raw()
    yield server
    server.kill()


def test_malformed_frames_get_errors_and_the_session_goes_on(raw: Raw):
    raw.initialize()
    raw.write(b"Content-Length: 9\r\n\r\n{garbage}")
    assert raw.response(None)["error"]["code"] == -32700
    raw.write(b"this is not a header\r\n\r\n")
    raw.send({"jsonrpc": "2.0", "id": 2, "method": 3})
    assert raw.response(2)["error"]["code"] == -32600
    raw.write(b'Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","id":3,"method":"shutdown"}')
    assert raw.response(None)["error"]["code"] == -32700
    raw.send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/unknown", "params": {}})
    assert raw.response(4)["error"]["code"] == -32601
    raw.send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///nope.md"}, "position": {"line": 0, "character": 0}}})
    assert raw.response(5)["error"]["code"] == -32602
    raw.open("file:///drafts/a.md", "It was was fine.\n")
    published = raw.notification("textDocument/publishDiagnostics")
    assert [d["code"] for d in published["diagnostics"]] == ["repeated-word"]
    assert raw.shutdown() == 0


def test_exit_without_shutdown_is_code_1(raw: Raw):
    raw.initialize()
    raw.send({"jsonrpc": "2.0", "method": "exit"})
    assert raw.process.wait(timeout=10) == 1


def test_the_server_exits_when_its_input_closes(raw: Raw):
    raw.initialize()
    raw.open("file:///drafts/a.md", "Fine.\n")
    raw.notification("textDocument/publishDiagnostics")
    raw.process.stdin.close()
    assert raw.process.wait(timeout=10) == 1


def test_a_ten_megabyte_draft_is_linted(raw: Raw):
    paragraph = (
        '"We will not close a single branch," Mayor Ana Reyes said on Tuesday. The council delayed its '
        "vote on the $3.5 billion budget after a session that ran past midnight. Reyes told reporters: "
        '"It is not over."\n\n'
    )
    repeats = 10_000_000 // len(paragraph) + 1
    text = "# Budget\n\n" + paragraph * (repeats // 2) + "The the end.\n\n" + paragraph * (repeats - repeats // 2)
    assert len(text.encode()) >= 10_000_000
    raw.initialize()
    started = time.monotonic()
    raw.open("file:///drafts/huge.md", text)
    published = raw.notification("textDocument/publishDiagnostics")
    elapsed = time.monotonic() - started
    assert [d["code"] for d in published["diagnostics"]] == ["repeated-word"]
    assert published["diagnostics"][0]["range"]["start"]["line"] == 2 + 2 * (repeats // 2)
    print(f"10 MB draft linted and published in {elapsed:.1f} s")
    assert raw.shutdown() == 0
