//! The language server under faults, driven as editors drive it: the built binary
//! (`copydesk server --stdio`) over pipes, with the frames written byte by byte by the test, so
//! broken ones can be sent too. Each fault gets the answer the JSON-RPC 2.0 and LSP 3.17
//! specifications ask for (or none, where they ask for none), and the server keeps serving the
//! other documents: malformed JSON and broken frames, headers with a wrong length, requests
//! before `initialize` and after `shutdown`, unknown methods, edits for closed or unknown
//! documents, out-of-order versions, a burst of 1,000 changes, and input ending mid-message.
//!
//! The in-process tests (`tests/lsp.rs`) cover the features; the pytest-lsp suite
//! (`tests/e2e/`) covers real editors' capabilities.

#[path = "lsp/edit_model.rs"]
mod edit_model;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use copydesk::lsp::convert::Encoding;
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);
const A: &str = "file:///drafts/a.md";
const B: &str = "file:///drafts/b.md";
const C: &str = "file:///drafts/c.md";

/// A server process and the raw bytes to and from it.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read but not yet taken by a test.
    backlog: VecDeque<Value>,
    /// Every message the server sent, in order.
    seen: Vec<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
}

impl Server {
    fn spawn() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(["server", "--stdio"])
            .env("COPYDESK_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(':').expect("a header the server wrote");
                    if name.eq_ignore_ascii_case("content-length") {
                        length = Some(value.trim().parse::<usize>().expect("a length"));
                    }
                }
                let mut body = vec![0; length.expect("the server sends Content-Length")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Server {
            stdin: child.stdin.take(),
            child,
            incoming,
            backlog: VecDeque::new(),
            seen: Vec::new(),
            stderr,
            next_id: 100,
        }
    }

    /// A server initialized with every rule but `repeated-word` and `stray-punctuation` off,
    /// so the tests are about the server, not about how the rules evolve.
    fn started() -> Server {
        let mut server = Server::spawn();
        let result = server.request("initialize", initialize_params());
        assert!(result["capabilities"].is_object(), "{result}");
        server.notify("initialized", json!({}));
        server
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether the server logs `needle` within a few seconds: its log is read on a thread of
    /// its own, so a line written before an answer may be read after it.
    fn logs(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.log().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("input open");
        stdin.write_all(bytes).expect("the server reads its input");
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        self.write(&frame(&message.to_string()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and returns its result; panics on an error.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(json!(id));
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// Sends a request that must fail; returns the error's code.
    fn error_code(&mut self, method: &str, params: Value) -> i64 {
        let id = self.send_request(method, params);
        error_code(&self.response(json!(id)))
    }

    fn next(&mut self) -> Value {
        if let Some(message) = self.backlog.pop_front() {
            return message;
        }
        match self.incoming.recv_timeout(TIMEOUT) {
            Ok(message) => {
                self.seen.push(message.clone());
                message
            }
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time; its log:\n{}", self.log()),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output; its log:\n{}", self.log()),
        }
    }

    /// Takes the first message that satisfies `wanted`, keeping the others for later.
    fn take(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at).unwrap();
        }
        let mut skipped = Vec::new();
        loop {
            let message = self.next();
            if wanted(&message) {
                self.backlog.extend(skipped);
                return message;
            }
            skipped.push(message);
        }
    }

    /// The response with this id (`null` for errors about messages without a usable id).
    fn response(&mut self, id: Value) -> Value {
        self.take(|m| is_response(m) && m["id"] == id)
    }

    /// The diagnostics published for `uri` at `version` (`null` for none).
    fn published(&mut self, uri: &str, version: Value) -> Vec<String> {
        let message = self.take(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        codes(&message["params"]["diagnostics"])
    }

    /// Every response received so far, in order (ids).
    fn response_ids(&self) -> Vec<Value> {
        self.seen
            .iter()
            .filter(|m| is_response(m))
            .map(|m| m["id"].clone())
            .collect()
    }

    fn publishes(&self, uri: &str) -> Vec<&Value> {
        self.seen
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            .map(|m| &m["params"])
            .collect()
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// A request that needs the draft's analysis: proof that the server serves `uri`.
    fn symbols(&mut self, uri: &str) -> Value {
        self.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}))
    }

    fn close_input(&mut self) {
        self.stdin.take();
    }

    fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Keep what the server wrote before it exited.
                while let Ok(message) = self.incoming.recv_timeout(Duration::from_secs(5)) {
                    self.seen.push(message.clone());
                    self.backlog.push_back(message);
                }
                return status.code().expect("an exit code, not a signal");
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit; its log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn shutdown_and_exit(&mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn initialize_params() -> Value {
    let mut rules = serde_json::Map::new();
    for rule in copydesk::rules::all() {
        let id = rule.meta().id;
        if !["repeated-word", "stray-punctuation"].contains(&id) {
            rules.insert(id.to_string(), json!("off"));
        }
    }
    json!({"processId": null, "capabilities": {}, "initializationOptions": {"rules": rules}})
}

fn frame(body: &str) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

fn is_response(message: &Value) -> bool {
    message.get("method").is_none() && message.get("id").is_some()
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("an error response: {response}"))
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}@{}:{}",
                d["code"].as_str().unwrap_or("-"),
                d["range"]["start"]["line"],
                d["range"]["start"]["character"]
            )
        })
        .collect()
}

fn hover_params(uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
}

/// JSON-RPC 2.0 error codes, and LSP's.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;

/// LSP: before `initialize`, requests get -32002 and notifications are dropped (except
/// `exit`); a second `initialize` is an invalid request.
#[test]
fn before_initialize_requests_are_refused_and_notifications_dropped() {
    let mut server = Server::spawn();
    assert_eq!(
        server.error_code("textDocument/hover", hover_params(A)),
        SERVER_NOT_INITIALIZED
    );
    assert_eq!(server.error_code("shutdown", Value::Null), SERVER_NOT_INITIALIZED);
    assert_eq!(
        server.error_code("textDocument/frobnicate", json!({})),
        SERVER_NOT_INITIALIZED
    );
    server.open(A, 1, "It was was fine.\n");
    server.change(A, 2, json!([{"text": "It is is fine.\n"}]));
    let result = server.request("initialize", initialize_params());
    assert_eq!(result["serverInfo"]["name"], "copydesk");
    assert_eq!(server.error_code("initialize", initialize_params()), INVALID_REQUEST);
    server.notify("initialized", json!({}));
    // The draft opened too early was never opened.
    assert_eq!(server.error_code("textDocument/hover", hover_params(A)), INVALID_PARAMS);
    server.open(B, 1, "The the end.\n");
    assert_eq!(server.published(B, json!(1)), ["repeated-word@0:0"]);
    assert!(server.publishes(A).is_empty());
    assert_eq!(server.shutdown_and_exit(), 0);
}

#[test]
fn exit_before_initialize_ends_with_code_1() {
    let mut server = Server::spawn();
    server.notify("exit", Value::Null);
    assert_eq!(server.wait(), 1);
}

/// After `shutdown`, requests are invalid and notifications dropped; `exit` ends with 0.
#[test]
fn after_shutdown_requests_are_invalid() {
    let mut server = Server::started();
    server.open(A, 1, "Fine.\n");
    assert_eq!(server.published(A, json!(1)), Vec::<String>::new());
    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    assert_eq!(
        server.error_code("textDocument/hover", hover_params(A)),
        INVALID_REQUEST
    );
    assert_eq!(server.error_code("shutdown", Value::Null), INVALID_REQUEST);
    server.change(A, 2, json!([{"text": "It was was fine.\n"}]));
    server.notify("exit", Value::Null);
    assert_eq!(server.wait(), 0);
    assert_eq!(server.publishes(A).len(), 1, "nothing published after shutdown");
}

/// Broken frames and messages that are not JSON-RPC: each gets the error JSON-RPC names
/// (-32700 for a body that is not JSON, -32600 for JSON that is not a request, with the
/// request's id when it has a usable one), or is skipped when there is no message to answer
/// (a header without a usable length); the frames after it are read and answered, and the open
/// drafts keep being served.
#[test]
fn broken_frames_and_messages_get_errors_and_the_drafts_keep_being_served() {
    let mut server = Server::started();
    server.open(A, 1, "It was was fine.\n");
    assert_eq!(server.published(A, json!(1)), ["repeated-word@0:3"]);

    // Not JSON; not UTF-8.
    server.write(&frame("{garbage}"));
    assert_eq!(error_code(&server.response(Value::Null)), PARSE_ERROR);
    let body = b"{\"a\":\"\xff\xfe\"}";
    let mut not_utf8 = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    not_utf8.extend_from_slice(body);
    server.write(&not_utf8);
    assert_eq!(error_code(&server.response(Value::Null)), PARSE_ERROR);
    // JSON that is not a JSON-RPC request. LSP has no batches: an array is one invalid
    // message, and the `shutdown` inside it is not run.
    for (body, id) in [
        (r#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#, Value::Null),
        ("[]", Value::Null),
        (r#""a string""#, Value::Null),
        (r#"{"jsonrpc":"2.0","id":6}"#, json!(6)),
        (r#"{"jsonrpc":"1.0","id":7,"method":"shutdown"}"#, json!(7)),
        (r#"{"id":8,"method":"shutdown"}"#, json!(8)),
        (r#"{"jsonrpc":"2.0","id":9,"method":42}"#, json!(9)),
        (r#"{"jsonrpc":"2.0","id":"ten","method":["shutdown"]}"#, json!("ten")),
    ] {
        server.write(&frame(body));
        assert_eq!(error_code(&server.response(id)), INVALID_REQUEST, "{body}");
    }
    // Params of the wrong shape: invalid params.
    assert_eq!(server.error_code("textDocument/hover", json!([1, 2])), INVALID_PARAMS);
    assert_eq!(
        server.error_code("textDocument/hover", json!({"textDocument": 7})),
        INVALID_PARAMS
    );

    // A length too short: the cut body is a parse error (its `shutdown` is not run), and the
    // frame after it is read whole.
    let shutdown = r#"{"jsonrpc":"2.0","id":11,"method":"shutdown","params":null}"#;
    let mut bytes = format!("Content-Length: 20\r\n\r\n{shutdown}").into_bytes();
    bytes.extend(frame(&json!({"jsonrpc": "2.0", "id": 12, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": A}}}).to_string()));
    server.write(&bytes);
    assert_eq!(error_code(&server.response(Value::Null)), PARSE_ERROR);
    assert!(server.response(json!(12))["result"].is_array());
    // A length too long: the body swallows the next frames; the server reads them again from
    // the first header inside it, so only the mis-sized message is lost.
    let mut bytes = format!("Content-Length: 400\r\n\r\n{shutdown}").into_bytes();
    for id in 13..=20 {
        bytes.extend(frame(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": A}}}).to_string()));
    }
    assert!(bytes.len() > 400 + 30);
    server.write(&bytes);
    assert_eq!(error_code(&server.response(Value::Null)), PARSE_ERROR);
    for id in 13..=20 {
        assert!(server.response(json!(id))["result"].is_array(), "{id}");
    }
    // Headers without a usable length, garbage lines, a 100 KB line without a break, an
    // unknown header, a lower-case header name: skipped or read, and nothing is answered
    // for what cannot be framed.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        b"Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"shutdown\"}\r\n",
    );
    bytes.extend_from_slice(b"Content-Length: lots\r\n\r\n");
    bytes.extend_from_slice(b"Content-Length: -5\r\n\r\n");
    bytes.extend_from_slice(b"Content-Length: 99999999999999999999999\r\n\r\n");
    bytes.extend_from_slice(b"this is not a header\r\n\r\n");
    bytes.extend(std::iter::repeat_n(b'x', 100_000));
    bytes.extend_from_slice(b"\r\n");
    let probe = json!({"jsonrpc": "2.0", "id": 22, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": A}}}).to_string();
    bytes.extend_from_slice(format!("X-Anything: 1\r\ncontent-length: {}\r\n\r\n{probe}", probe.len()).as_bytes());
    server.write(&bytes);
    assert!(server.response(json!(22))["result"].is_array());

    // A lone surrogate escape in a draft (an editor cutting a change inside an emoji) is read
    // as U+FFFD rather than losing the message.
    server.write(&frame(&format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{B}","languageId":"markdown","version":1,"text":"\ud83d the the end.\n"}}}}}}"#
    )));
    assert_eq!(server.published(B, json!(1)), ["repeated-word@0:2"]);

    // The drafts are still served: a change is linted, and nothing was shut down.
    server.change(
        A,
        2,
        json!([{"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 7}}, "text": ""}]),
    );
    assert_eq!(server.published(A, json!(2)), Vec::<String>::new());
    assert_eq!(server.shutdown_and_exit(), 0);
    // One answer for each message that had to be answered, and for nothing else (the ids
    // the test's own requests use start at 101; requests are answered concurrently, so the
    // order is not compared).
    let mut answered: Vec<String> = server
        .response_ids()
        .into_iter()
        .filter(|id| !id.is_number() || id.as_i64() < Some(100))
        .map(|id| id.to_string())
        .collect();
    let mut expected = vec![Value::Null; 5];
    expected.extend([
        json!(6),
        json!(7),
        json!(8),
        json!(9),
        json!("ten"),
        Value::Null,
        json!(12),
        Value::Null,
    ]);
    expected.extend((13..=20).map(|id| json!(id)));
    expected.push(json!(22));
    let mut expected: Vec<String> = expected.iter().map(Value::to_string).collect();
    answered.sort();
    expected.sort();
    assert_eq!(answered, expected);
}

/// Unknown requests get -32601 (those starting with `$/` too: the specification says a request
/// must be answered); unknown notifications, `$/` notifications, a cancellation of a request
/// that does not exist and a response to a request never sent are ignored.
#[test]
fn unknown_methods_are_answered_or_ignored() {
    let mut server = Server::started();
    server.open(A, 1, "Fine.\n");
    assert_eq!(
        server.error_code("textDocument/frobnicate", json!({})),
        METHOD_NOT_FOUND
    );
    assert_eq!(server.error_code("copydesk/unknown", Value::Null), METHOD_NOT_FOUND);
    assert_eq!(server.error_code("$/unknownRequest", json!({})), METHOD_NOT_FOUND);
    let before = server.response_ids().len();
    server.notify("textDocument/frobnicate", json!({}));
    server.notify("$/unknownNotification", json!({"x": 1}));
    server.notify("$/cancelRequest", json!({"id": 12345}));
    server.notify("$/setTrace", json!({"value": "verbose"}));
    server.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": []}}),
    );
    server.send(&json!({"jsonrpc": "2.0", "id": 4242, "result": {"applied": true}}));
    server.send(&json!({"jsonrpc": "2.0", "id": "never-sent", "error": {"code": -32601, "message": "no"}}));
    assert!(server.symbols(A).is_array());
    assert_eq!(server.response_ids().len(), before + 1, "only the probe was answered");
    assert_eq!(server.shutdown_and_exit(), 0);
}

/// Changes to a closed or never-opened draft are ignored (there is no text to apply them to),
/// as are closing and saving one; a closed draft has its diagnostics cleared and is not
/// resurrected by a late change; reopening starts from the text sent.
#[test]
fn edits_for_closed_and_unknown_documents_are_ignored() {
    let mut server = Server::started();
    server.open(A, 1, "It was was fine.\n");
    assert_eq!(server.published(A, json!(1)), ["repeated-word@0:3"]);
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": A}}));
    assert_eq!(server.published(A, Value::Null), Vec::<String>::new());
    server.change(A, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "The the "}]));
    server.change(A, 3, json!([{"text": "And and more.\n"}]));
    server.change(C, 1, json!([{"text": "Never opened opened.\n"}]));
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": C}}));
    server.notify("textDocument/didSave", json!({"textDocument": {"uri": C}}));
    assert_eq!(server.error_code("textDocument/hover", hover_params(A)), INVALID_PARAMS);
    assert_eq!(
        server.error_code("textDocument/documentSymbol", json!({"textDocument": {"uri": C}})),
        INVALID_PARAMS
    );
    // The other drafts are served.
    server.open(B, 1, "The the end.\n");
    assert_eq!(server.published(B, json!(1)), ["repeated-word@0:0"]);
    // Reopened, A is the text sent now, and changes apply to it.
    server.open(A, 1, "Clean copy.\n");
    assert_eq!(server.published(A, json!(1)), Vec::<String>::new());
    server.change(
        A,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "A a "}]),
    );
    assert_eq!(server.published(A, json!(2)), ["repeated-word@0:0"]);
    // A second didOpen of an open draft replaces its text.
    server.open(A, 7, "Fresh start start.\n");
    assert_eq!(server.published(A, json!(7)), ["repeated-word@0:6"]);
    assert_eq!(server.shutdown_and_exit(), 0);
    // Nothing was ever published for C, and nothing for A between its close and reopening.
    assert!(server.publishes(C).is_empty());
    let a: Vec<&Value> = server.publishes(A).into_iter().map(|p| &p["version"]).collect();
    assert_eq!(a, [&json!(1), &Value::Null, &json!(1), &json!(2), &json!(7)]);
}

/// Versions that go backwards or repeat break the client's side of the contract, but the
/// changes in them are still the edits the user made, in the order made: the server applies
/// them in arrival order (the text stays the editor's), logs the anomaly, and publishes under
/// the version the client sent. Out-of-range positions in the changes are clamped.
#[test]
fn out_of_order_versions_are_applied_in_arrival_order() {
    let mut server = Server::started();
    server.open(A, 10, "Fine.\n");
    assert_eq!(server.published(A, json!(10)), Vec::<String>::new());
    let mut model = "Fine.\n".to_string();
    let mut send = |server: &mut Server, version: i64, changes: Value| {
        for change in changes.as_array().unwrap() {
            let change = serde_json::from_value(change.clone()).unwrap();
            edit_model::apply(&mut model, &change, Encoding::Utf16);
        }
        server.change(A, version, changes);
    };
    send(
        &mut server,
        5,
        json!([{"range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 4}}, "text": " the the"}]),
    );
    send(
        &mut server,
        5,
        json!([{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "Second line ,\n"}]),
    );
    send(
        &mut server,
        3,
        json!([{"range": {"start": {"line": 999, "character": 999}, "end": {"line": 999, "character": 999}}, "text": "End end."}]),
    );
    send(
        &mut server,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 999}}, "text": "Replaced line"}]),
    );
    assert_eq!(model, "Replaced line\nSecond line ,\nEnd end.");
    let last = server.published(A, json!(2));
    server.open(B, 1, &model);
    let fresh = server.published(B, json!(1));
    assert_eq!(last, fresh);
    assert_eq!(last, ["stray-punctuation@1:11", "repeated-word@2:0"]);
    assert!(server.logs("arrived after version"), "the anomaly is logged");
    assert_eq!(server.shutdown_and_exit(), 0);
}

/// A thousand changes written in one burst, with a second draft opened and queried in the
/// middle: the second draft is answered, the first ends with the diagnostics of its final
/// text (those of a draft opened with that text), publishes come in version order, and
/// none is for a text older than one already published.
#[test]
fn a_burst_of_a_thousand_changes() {
    let mut server = Server::started();
    let start = "# Draft\r\n\r\n🙂 “Café” opens.\r\n";
    server.open(A, 1, start);
    assert_eq!(server.published(A, json!(1)), Vec::<String>::new());
    let mut model = start.to_string();
    let typed: Vec<char> = "The the council met ,\r\nand e\u{301} 中文 🙂 said said so. "
        .chars()
        .collect();
    let mut burst = Vec::new();
    let mut probes = Vec::new();
    for version in 2..=1001i64 {
        let i = (version - 2) as usize;
        let change = if i % 97 == 96 {
            // Now and then, delete the line before the last (UTF-16 positions, across CRLF).
            let lines = edit_model::lines(&model);
            let line = lines.len().saturating_sub(3) as u32;
            edit_model::ranged((line, 0), (line + 1, 0), "")
        } else {
            // Type the next character at the end of the second line from the top, or at the end.
            let at = if i.is_multiple_of(3) {
                model.len()
            } else {
                edit_model::lines(&model)[1].1
            };
            let position = edit_model::position(&model, at, Encoding::Utf16);
            let c = typed[i % typed.len()].to_string();
            edit_model::ranged(
                (position.line, position.character),
                (position.line, position.character),
                &c,
            )
        };
        edit_model::apply(&mut model, &change, Encoding::Utf16);
        let message = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": A, "version": version}, "contentChanges": [change]}});
        burst.extend(frame(&message.to_string()));
        if version == 500 {
            let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": B, "languageId": "markdown", "version": 1, "text": "Other other draft.\n"}}});
            burst.extend(frame(&open.to_string()));
        }
        if version % 250 == 0 {
            let id = 10_000 + version;
            probes.push(id);
            let probe = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": if version > 500 { B } else { A }}}});
            burst.extend(frame(&probe.to_string()));
        }
    }
    let started = Instant::now();
    server.write(&burst);
    let last = server.published(A, json!(1001));
    let elapsed = started.elapsed();
    for id in probes {
        assert!(server.response(json!(id))["result"].is_array(), "probe {id}");
    }
    assert_eq!(server.published(B, json!(1)), ["repeated-word@0:0"]);
    server.open(C, 1, &model);
    let fresh = server.published(C, json!(1));
    assert_eq!(last, fresh);
    assert!(!last.is_empty());
    let versions: Vec<i64> = server
        .publishes(A)
        .iter()
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|pair| pair[0] < pair[1]), "{versions:?}");
    eprintln!(
        "1,000 changes ({} bytes of input): final diagnostics after {elapsed:?}, {} publishes for the draft",
        burst.len(),
        versions.len()
    );
    assert_eq!(server.shutdown_and_exit(), 0);
}

/// The input ending inside a message (an editor killed mid-write): the server exits, with 1
/// since there was no `shutdown`, instead of waiting for the rest.
#[test]
fn input_ending_mid_message_ends_the_server() {
    let mut server = Server::started();
    server.open(A, 1, "Fine.\n");
    assert_eq!(server.published(A, json!(1)), Vec::<String>::new());
    server.write(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":");
    server.close_input();
    assert_eq!(server.wait(), 1);
}
