//! A small LSP client driving the server in-process over an in-memory duplex pipe.
//!
//! It answers the server's requests the way a simple editor would (settings from
//! `workspace/configuration`, `applied: true` for edits) and records them, so tests can look
//! at what the server asked for.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream, ReadHalf, WriteHalf};
use tokio::task::JoinHandle;

const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    writer: WriteHalf<DuplexStream>,
    reader: ReadHalf<DuplexStream>,
    buffer: Vec<u8>,
    server: Option<JoinHandle<i32>>,
    next_id: i64,
    /// Notifications not yet taken by a test, oldest first.
    pub notifications: VecDeque<Value>,
    /// Requests the server sent to the client.
    pub server_requests: Vec<Value>,
    /// What `workspace/configuration` answers with (the `copydesk` section).
    pub settings: Value,
}

/// Client capabilities of a capable editor (VS Code-like, without pull diagnostics).
pub fn rich_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "synchronization": {"didSave": true},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "codeAction": {
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
                "isPreferredSupport": true,
                "dataSupport": true,
                "resolveSupport": {"properties": ["edit"]}
            },
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "rename": {"prepareSupport": true},
            "inlayHint": {},
            "codeLens": {},
            "publishDiagnostics": {"versionSupport": true}
        },
        "workspace": {
            "applyEdit": true,
            "workspaceEdit": {"documentChanges": true, "changeAnnotationSupport": {"groupsOnLabel": true}},
            "configuration": true,
            "didChangeConfiguration": {"dynamicRegistration": false},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "inlayHint": {"refreshSupport": true},
            "codeLens": {"refreshSupport": true}
        }
    })
}

impl Client {
    /// Starts a server and initializes it with these capabilities and options.
    pub async fn start(capabilities: Value, options: Option<Value>) -> (Client, Value) {
        Client::start_with(capabilities, options, None).await
    }

    pub async fn start_with(capabilities: Value, options: Option<Value>, root: Option<&str>) -> (Client, Value) {
        let mut client = Client::spawn();
        let mut params = json!({"processId": null, "capabilities": capabilities, "rootUri": root});
        if let Some(options) = options {
            params["initializationOptions"] = options;
        }
        let result = client.request("initialize", params).await.expect("initialize succeeds");
        client.notify("initialized", json!({})).await;
        (client, result)
    }

    /// A server with nothing sent to it yet.
    pub fn spawn() -> Client {
        let (client_io, server_io) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(copydesk::lsp::serve(server_read, server_write));
        let (reader, writer) = tokio::io::split(client_io);
        Client {
            writer,
            reader,
            buffer: Vec::new(),
            server: Some(server),
            next_id: 0,
            notifications: VecDeque::new(),
            server_requests: Vec::new(),
            settings: json!({}),
        }
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("server reads");
        self.writer.flush().await.expect("server reads");
    }

    pub async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame).await;
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error object)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response(json!(id)).await
    }

    /// Waits for the response with this id.
    pub async fn response(&mut self, id: Value) -> Result<Value, Value> {
        loop {
            let message = self.next_message().await.expect("server answers");
            if message.get("method").is_none() && message["id"] == id {
                return match message.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(message["result"].clone()),
                };
            }
            self.handle(message).await;
        }
    }

    /// Waits for a notification with this method that satisfies `matches`, and takes it.
    pub async fn notification(&mut self, method: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(idx) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && matches(&n["params"]))
        {
            return self.notifications.remove(idx).unwrap()["params"].clone();
        }
        loop {
            let message = self
                .next_message()
                .await
                .unwrap_or_else(|| panic!("server closed while waiting for {method}"));
            if message["method"] == method && message.get("id").is_none() && matches(&message["params"]) {
                return message["params"].clone();
            }
            self.handle(message).await;
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Value {
        self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        })
        .await
    }

    /// Reads messages for `duration`, handling server requests and keeping notifications.
    pub async fn pump(&mut self, duration: Duration) {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.next_message_inner()).await {
            self.handle(message).await;
        }
    }

    async fn handle(&mut self, message: Value) {
        match (message.get("id"), message.get("method")) {
            (Some(id), Some(method)) => {
                let result = match method.as_str().unwrap_or("") {
                    "workspace/configuration" => json!([self.settings.clone()]),
                    "workspace/applyEdit" => json!({"applied": true}),
                    _ => Value::Null,
                };
                let id = id.clone();
                self.server_requests.push(message);
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result})).await;
            }
            (None, Some(_)) => self.notifications.push_back(message),
            _ => {}
        }
    }

    pub async fn next_message(&mut self) -> Option<Value> {
        tokio::time::timeout(TIMEOUT, self.next_message_inner())
            .await
            .expect("the server answered in time")
    }

    async fn next_message_inner(&mut self) -> Option<Value> {
        loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                let header = String::from_utf8_lossy(&self.buffer[..end]).to_string();
                let length: usize = header
                    .lines()
                    .find_map(|line| line.strip_prefix("Content-Length: "))
                    .and_then(|n| n.trim().parse().ok())
                    .expect("server sends Content-Length");
                if self.buffer.len() >= end + 4 + length {
                    let body: Vec<u8> = self.buffer.drain(..end + 4 + length).skip(end + 4).collect();
                    return Some(serde_json::from_slice(&body).expect("server sends JSON"));
                }
            }
            let mut chunk = vec![0u8; 64 * 1024];
            let n = self.reader.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }

    /// `shutdown`, then `exit`; returns the server's exit code.
    pub async fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null).await.expect("shutdown succeeds");
        self.notify("exit", Value::Null).await;
        self.exit_code().await
    }

    /// Waits for the server to stop and returns its exit code.
    pub async fn exit_code(&mut self) -> i32 {
        let server = self.server.take().expect("server running");
        tokio::time::timeout(TIMEOUT, server)
            .await
            .expect("the server stops")
            .expect("the server task does not panic")
    }

    /// Closes the client's end of the pipe (the server sees the end of its input).
    pub async fn close_input(&mut self) {
        self.writer.shutdown().await.expect("close");
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Replaces every occurrence of a temporary folder in a JSON value, for stable snapshots.
pub fn redact(value: &Value, path: &str, with: &str) -> Value {
    let text = serde_json::to_string(value).unwrap().replace(path, with);
    serde_json::from_str(&text).unwrap()
}
