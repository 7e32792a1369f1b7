//! The wire: LSP base-protocol framing on any pair of byte streams, in front of tower-lsp's
//! service.
//!
//! tower-lsp's own `Server` reads through tokio-util's `FramedRead`, which ends the stream
//! after the first message it cannot decode, so one malformed frame would silently stop the
//! server. This transport owns the framing instead and hands tower-lsp's `LspService` only
//! well-formed JSON-RPC:
//! - a body that is not JSON gets a `-32700` parse error, one that is not a JSON-RPC 2.0
//!   request, notification or response gets `-32600` (invalid request), and reading goes on;
//! - a broken header or a wrong `Content-Length` is logged, and reading resynchronises on the
//!   next `Content-Length:` header (a body that turns out to contain one is re-read from there);
//! - a panic inside a request handler becomes a `-32603` internal error for that request;
//! - `exit` ends the session with code 0 after `shutdown` and 1 otherwise; so does the end of
//!   the input.
//!
//! Requests are handled concurrently (one task, polled in arrival order, so notifications such
//! as `didChange` take effect in the order they came); responses, server-to-client messages
//! and the server's own notifications go out through one ordered queue.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::{FutureExt, SinkExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, mpsc};
use tower_lsp::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp::{ClientSocket, ExitedError, LspService};
use tower_service::Service;

/// What goes to the output, in order.
pub(crate) enum Outgoing {
    /// A serialized message.
    Message(String),
    /// Everything before this has been written and flushed when the sender hears back.
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// The queue of messages on their way to the client. Anyone may push, from any thread:
/// responses, the server's notifications, its requests to the client.
#[derive(Clone)]
pub(crate) struct Outbox(mpsc::UnboundedSender<Outgoing>);

impl Outbox {
    pub(crate) fn send_text(&self, text: String) {
        let _ = self.0.send(Outgoing::Message(text));
    }

    pub(crate) fn send(&self, message: &impl serde::Serialize) {
        match serde_json::to_string(message) {
            Ok(text) => self.send_text(text),
            Err(error) => tracing::error!("cannot serialize a message: {error}"),
        }
    }
}

/// Where the output goes.
pub(crate) enum Output<O> {
    /// An async stream, written by a task of the transport (in-process tests).
    Stream(O),
    /// The process's standard output, written by a thread of its own with blocking writes,
    /// so a message leaves as soon as it is queued.
    Stdout,
}

/// The longest header line accepted; anything longer is garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// The largest message body accepted (a 10 MB draft is about 11 MB of JSON).
const MAX_BODY: usize = 256 * 1024 * 1024;
/// How long pending requests may take to finish once the input has ended.
const DRAIN_GRACE: Duration = Duration::from_secs(1);

/// Serves an LSP service on a pair of byte streams until `exit` or the end of the input.
/// Returns the process exit code: 0 after a successful `shutdown`, 1 otherwise.
pub(crate) async fn run<S, I, O>(
    mut service: S,
    socket: ClientSocket,
    input: I,
    output: Output<O>,
    outbox: Outbox,
    out_rx: mpsc::UnboundedReceiver<Outgoing>,
) -> i32
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, client_abort) = futures::stream::abortable(client_requests);
    let (task_tx, mut task_rx) = mpsc::unbounded_channel::<BoxFuture<'static, Option<String>>>();
    let stop_writer = Notify::new();
    let shut_down = Arc::new(AtomicBool::new(false));
    let initialized = Arc::new(AtomicBool::new(false));

    let read_input = {
        let outbox = outbox.clone();
        let shut_down = shut_down.clone();
        let initialized = initialized.clone();
        async move {
            let mut reader = FrameReader::new(input);
            let code = loop {
                let body = match reader.next_body().await {
                    Ok(Some(body)) => body,
                    Ok(None) => {
                        tracing::info!("input closed");
                        break if shut_down.load(Ordering::SeqCst) { 0 } else { 1 };
                    }
                    Err(error) => {
                        tracing::error!("reading input failed: {error}");
                        break 1;
                    }
                };
                let parsed = serde_json::from_slice(&body).or_else(|error| {
                    // A client that cut a change between the halves of a surrogate pair sends a
                    // lone surrogate escape, which is not valid Unicode: read it as U+FFFD (one
                    // UTF-16 unit too, so positions stay in step) rather than lose the change.
                    match replace_lone_surrogates(&body) {
                        Some(repaired) => {
                            tracing::warn!("message with a lone surrogate escape; read as U+FFFD");
                            serde_json::from_slice(&repaired)
                        }
                        None => Err(error),
                    }
                });
                let value: Value = match parsed {
                    Ok(value) => value,
                    Err(error) => {
                        tracing::error!("message is not JSON ({error}); answering with a parse error");
                        // A body holding a `Content-Length:` header was cut short or ran over:
                        // read the stream again from that header.
                        reader.unread_from_header(&body);
                        outbox.send(&Response::from_error(Id::Null, Error::parse_error()));
                        continue;
                    }
                };
                match classify(value) {
                    Incoming::Invalid(id, error) => {
                        tracing::error!("invalid JSON-RPC message: {}", error.message);
                        outbox.send(&Response::from_error(id, error));
                    }
                    Incoming::Response(response) => {
                        if client_responses.send(response).await.is_err() {
                            tracing::warn!("response to a request the server did not send");
                        }
                    }
                    Incoming::Request(request) => {
                        let is_exit = request.method() == "exit";
                        let is_shutdown = request.method() == "shutdown";
                        let is_initialize = request.method() == "initialize";
                        if futures::future::poll_fn(|cx| service.poll_ready(cx)).await.is_err() {
                            break if shut_down.load(Ordering::SeqCst) { 0 } else { 1 };
                        }
                        let id = request.id().cloned();
                        let method = request.method().to_string();
                        let before_initialize = !initialized.load(Ordering::SeqCst);
                        let future = service.call(request);
                        let shutdown_flag = shut_down.clone();
                        let initialized_flag = initialized.clone();
                        let task = async move {
                            match AssertUnwindSafe(future).catch_unwind().await {
                                Ok(Ok(Some(response))) => {
                                    if is_shutdown && response.is_ok() {
                                        shutdown_flag.store(true, Ordering::SeqCst);
                                    }
                                    if is_initialize && response.is_ok() {
                                        initialized_flag.store(true, Ordering::SeqCst);
                                    }
                                    let response = answer_unknown_method(response, before_initialize);
                                    serde_json::to_string(&response).ok()
                                }
                                // tower-lsp answers nothing to an unknown request whose method
                                // starts with `$/`; LSP says it must get "method not found".
                                Ok(Ok(None)) => id.map(|id| {
                                    let response = Response::from_error(id, Error::method_not_found());
                                    let response = answer_unknown_method(response, before_initialize);
                                    serde_json::to_string(&response).unwrap_or_default()
                                }),
                                Ok(Err(_)) => None,
                                Err(panic) => {
                                    let message = panic_message(panic.as_ref());
                                    tracing::error!("handler for `{method}` panicked: {message}");
                                    id.map(|id| {
                                        let error = Error {
                                            code: ErrorCode::InternalError,
                                            message: format!("request handler panicked: {message}").into(),
                                            data: None,
                                        };
                                        serde_json::to_string(&Response::from_error(id, error)).unwrap_or_default()
                                    })
                                }
                            }
                        };
                        let _ = task_tx.send(task.boxed());
                        if is_exit {
                            break if shut_down.load(Ordering::SeqCst) { 0 } else { 1 };
                        }
                    }
                }
            };
            drop(task_tx);
            drop(service);
            client_abort.abort();
            code
        }
    };

    let process = {
        let outbox = outbox.clone();
        let stop_writer = &stop_writer;
        async move {
            let mut running = FuturesUnordered::new();
            loop {
                tokio::select! {
                    biased;
                    next = task_rx.recv() => match next {
                        Some(task) => running.push(task),
                        None => break,
                    },
                    Some(out) = running.next(), if !running.is_empty() => {
                        if let Some(message) = out {
                            outbox.send_text(message);
                        }
                    }
                }
            }
            // The input has ended: give pending requests a moment to answer.
            let drain = async {
                while let Some(out) = running.next().await {
                    if let Some(message) = out {
                        outbox.send_text(message);
                    }
                }
            };
            if tokio::time::timeout(DRAIN_GRACE, drain).await.is_err() {
                tracing::warn!("pending requests did not finish after the input ended");
            }
            stop_writer.notify_one();
        }
    };

    let forward_client = {
        let outbox = outbox.clone();
        async move {
            let mut client_requests = client_requests;
            while let Some(request) = client_requests.next().await {
                outbox.send(&request);
            }
        }
    };
    let write_output = {
        let stop_writer = &stop_writer;
        async move {
            match output {
                Output::Stream(mut output) => write_stream(&mut output, out_rx, stop_writer).await,
                Output::Stdout => {
                    std::thread::Builder::new()
                        .name("copydesk-stdout".to_string())
                        .spawn(move || write_stdout(out_rx))
                        .expect("a thread for standard output");
                    stop_writer.notified().await;
                    let (ack, written) = tokio::sync::oneshot::channel();
                    let _ = outbox.0.send(Outgoing::Flush(ack));
                    let _ = tokio::time::timeout(DRAIN_GRACE, written).await;
                }
            }
        }
    };

    let (code, (), (), ()) = tokio::join!(read_input, process, forward_client, write_output);
    code
}

/// Builds the service and serves it.
pub(crate) async fn serve<I, O>(input: I, output: Output<O>) -> i32
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let (tx, out_rx) = mpsc::unbounded_channel();
    let outbox = Outbox(tx);
    let server_outbox = outbox.clone();
    let (service, socket) = LspService::new(move |client| super::server::Server::new(client, server_outbox));
    run(service, socket, input, output, outbox, out_rx).await
}

fn frame(message: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", message.len()).as_bytes());
    out.extend_from_slice(message.as_bytes());
}

/// Writes queued messages to an async stream until told to stop, then what is left.
async fn write_stream<O: AsyncWrite + Unpin>(
    output: &mut O,
    mut out_rx: mpsc::UnboundedReceiver<Outgoing>,
    stop: &Notify,
) {
    let mut failed = false;
    let mut stopping = false;
    loop {
        let next = if stopping {
            out_rx.try_recv().ok()
        } else {
            tokio::select! {
                biased;
                next = out_rx.recv() => next,
                _ = stop.notified() => {
                    stopping = true;
                    continue;
                }
            }
        };
        let Some(first) = next else { break };
        let mut frames = Vec::new();
        let mut acks = Vec::new();
        let mut item = Some(first);
        while let Some(outgoing) = item {
            match outgoing {
                Outgoing::Message(message) => frame(&message, &mut frames),
                Outgoing::Flush(ack) => acks.push(ack),
            }
            item = out_rx.try_recv().ok();
        }
        if !failed && (output.write_all(&frames).await.is_err() || output.flush().await.is_err()) {
            tracing::error!("writing output failed");
            failed = true;
        }
        for ack in acks {
            let _ = ack.send(());
        }
    }
    let _ = output.flush().await;
}

/// Writes queued messages to standard output with blocking writes, for the life of the process.
fn write_stdout(mut out_rx: mpsc::UnboundedReceiver<Outgoing>) {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut frames = Vec::new();
    while let Some(first) = out_rx.blocking_recv() {
        let mut acks = Vec::new();
        let mut item = Some(first);
        while let Some(outgoing) = item {
            match outgoing {
                Outgoing::Message(message) => frame(&message, &mut frames),
                Outgoing::Flush(ack) => acks.push(ack),
            }
            item = out_rx.try_recv().ok();
        }
        if stdout.write_all(&frames).and_then(|()| stdout.flush()).is_err() {
            tracing::error!("writing to standard output failed");
            return;
        }
        frames.clear();
        for ack in acks {
            let _ = ack.send(());
        }
    }
}

/// Standard input, read by a thread of its own with blocking reads and handed over in chunks.
pub(crate) struct StdinReader {
    chunks: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl StdinReader {
    pub(crate) fn spawn() -> StdinReader {
        let (tx, chunks) = mpsc::channel::<Vec<u8>>(16);
        std::thread::Builder::new()
            .name("copydesk-stdin".to_string())
            .spawn(move || {
                use std::io::Read;
                let stdin = std::io::stdin();
                let mut stdin = stdin.lock();
                let mut buffer = vec![0u8; 64 * 1024];
                loop {
                    match stdin.read(&mut buffer) {
                        Ok(0) => return,
                        Ok(n) => {
                            if tx.blocking_send(buffer[..n].to_vec()).is_err() {
                                return;
                            }
                        }
                        Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(error) => {
                            tracing::error!("reading standard input failed: {error}");
                            return;
                        }
                    }
                }
            })
            .expect("a thread for standard input");
        StdinReader {
            chunks,
            chunk: Vec::new(),
            pos: 0,
        }
    }
}

impl AsyncRead for StdinReader {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.pos == self.chunk.len() {
            match self.chunks.poll_recv(cx) {
                std::task::Poll::Ready(Some(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                // The end of the input.
                std::task::Poll::Ready(None) => return std::task::Poll::Ready(Ok(())),
                std::task::Poll::Pending => return std::task::Poll::Pending,
            }
        }
        let n = buf.remaining().min(self.chunk.len() - self.pos);
        let start = self.pos;
        buf.put_slice(&self.chunk[start..start + n]);
        self.pos += n;
        std::task::Poll::Ready(Ok(()))
    }
}

/// The body with every lone surrogate escape (`\uD83D` without its partner) replaced by
/// `\uFFFD`; `None` when there is none.
fn replace_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    fn escape_at(body: &[u8], at: usize) -> Option<u16> {
        let hex = body.get(at..at + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    }
    let mut out = Vec::with_capacity(body.len());
    let mut changed = false;
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(body, i) else {
            // Another escape: copy it whole, so an escaped backslash is not read as a start.
            out.extend_from_slice(&body[i..(i + 2).min(body.len())]);
            i += 2;
            continue;
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let low = (0xDC00..0xE000).contains(&unit);
        if high && escape_at(body, i + 6).is_some_and(|next| (0xDC00..0xE000).contains(&next)) {
            out.extend_from_slice(&body[i..i + 12]);
            i += 12;
        } else if high || low {
            out.extend_from_slice(b"\\uFFFD");
            changed = true;
            i += 6;
        } else {
            out.extend_from_slice(&body[i..i + 6]);
            i += 6;
        }
    }
    changed.then_some(out)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// LSP: any request before `initialize` gets "server not initialized" (-32002). tower-lsp
/// routes an unknown method before it looks at the state, so it answers "method not found".
fn answer_unknown_method(response: Response, before_initialize: bool) -> Response {
    match response.error() {
        Some(error) if before_initialize && error.code == ErrorCode::MethodNotFound => {
            let (id, _) = response.into_parts();
            Response::from_error(
                id,
                Error {
                    code: ErrorCode::ServerError(-32002),
                    message: "Server not initialized".into(),
                    data: None,
                },
            )
        }
        _ => response,
    }
}

enum Incoming {
    Request(Request),
    Response(Response),
    Invalid(Id, Error),
}

/// Sorts a JSON value into a request or notification, a response, or an invalid message
/// (with the id to answer to, when there is a usable one).
fn classify(value: Value) -> Incoming {
    let Value::Object(mut object) = value else {
        return Incoming::Invalid(Id::Null, invalid_request("a message must be a JSON object"));
    };
    let id = match object.get("id") {
        Some(Value::Number(number)) => number.as_i64().map_or(Id::Null, Id::Number),
        Some(Value::String(text)) => Id::String(text.clone()),
        _ => Id::Null,
    };
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Incoming::Invalid(id, invalid_request("`jsonrpc` must be \"2.0\""));
    }
    // `"params": null` is how some clients spell "no params" (for `shutdown`, say), which
    // tower-lsp would reject.
    if object.get("params") == Some(&Value::Null) {
        object.remove("params");
    }
    if object.get("method").and_then(Value::as_str) == Some("initialize") {
        spell_workspace_diagnostics_as_lsp_types_does(&mut object);
    }
    match object.get("method") {
        Some(Value::String(_)) => match serde_json::from_value::<Request>(Value::Object(object)) {
            Ok(request) => Incoming::Request(request),
            Err(error) => Incoming::Invalid(id, invalid_request(&format!("malformed request: {error}"))),
        },
        Some(_) => Incoming::Invalid(id, invalid_request("`method` must be a string")),
        None if object.contains_key("id") && (object.contains_key("result") || object.contains_key("error")) => {
            match serde_json::from_value::<Response>(Value::Object(object)) {
                Ok(response) => Incoming::Response(response),
                Err(error) => Incoming::Invalid(Id::Null, invalid_request(&format!("malformed response: {error}"))),
            }
        }
        None => Incoming::Invalid(
            id,
            invalid_request("a message needs a `method`, or an `id` and a result"),
        ),
    }
}

/// LSP 3.17 names the client's workspace diagnostic capabilities `workspace.diagnostics`;
/// lsp-types 0.94 reads `workspace.diagnostic`, so without this the server would never see
/// `refreshSupport` (VS Code, Neovim) and could not ask for diagnostics again after new
/// settings.
fn spell_workspace_diagnostics_as_lsp_types_does(initialize: &mut serde_json::Map<String, Value>) {
    let workspace = initialize
        .get_mut("params")
        .and_then(|params| params.get_mut("capabilities"))
        .and_then(|capabilities| capabilities.get_mut("workspace"))
        .and_then(Value::as_object_mut);
    if let Some(workspace) = workspace
        && !workspace.contains_key("diagnostic")
        && let Some(diagnostics) = workspace.get("diagnostics").cloned()
    {
        workspace.insert("diagnostic".to_string(), diagnostics);
    }
}

fn invalid_request(message: &str) -> Error {
    Error {
        code: ErrorCode::InvalidRequest,
        message: message.to_string().into(),
        data: None,
    }
}

/// Reads LSP frames (`Content-Length` headers, a blank line, the body), resynchronising after
/// garbage.
pub(crate) struct FrameReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub(crate) fn new(inner: R) -> FrameReader<R> {
        FrameReader {
            inner,
            buf: Vec::with_capacity(64 * 1024),
            pos: 0,
            eof: false,
        }
    }

    /// The next message body; `None` at the end of the input.
    pub(crate) async fn next_body(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut content_length: Option<usize> = None;
        let mut in_headers = false;
        let mut skipped = 0usize;
        loop {
            let Some(line) = self.read_line().await? else {
                if skipped > 0 || in_headers {
                    tracing::warn!("input ended inside a message header");
                }
                return Ok(None);
            };
            let trimmed = trim_line_end(&line);
            if trimmed.is_empty() {
                if !in_headers {
                    continue;
                }
                match content_length {
                    Some(length) => {
                        if skipped > 0 {
                            tracing::warn!("skipped {skipped} bytes that were not a message header");
                        }
                        return match self.read_exact(length).await? {
                            Some(body) => Ok(Some(body)),
                            None => {
                                tracing::warn!("input ended inside a message body");
                                Ok(None)
                            }
                        };
                    }
                    None => {
                        tracing::error!("message header without a valid Content-Length; skipping it");
                        in_headers = false;
                        continue;
                    }
                }
            }
            if let Some(at) = find_content_length(trimmed) {
                skipped += at;
                let value = &trimmed[at + CONTENT_LENGTH.len()..];
                content_length = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .filter(|length| *length <= MAX_BODY);
                if content_length.is_none() {
                    tracing::error!("invalid Content-Length: {}", String::from_utf8_lossy(value).trim());
                }
                in_headers = true;
            } else if is_header(trimmed) {
                // Content-Type and any other header: nothing to do.
                in_headers = true;
            } else {
                skipped += line.len();
                in_headers = false;
                content_length = None;
            }
        }
    }

    /// After a body that was not JSON: if it holds a `Content-Length:` header, the frame was
    /// mis-sized; put the bytes from that header back so the next message is read whole.
    pub(crate) fn unread_from_header(&mut self, body: &[u8]) {
        // The header may be whole inside the body, or cut off at its end.
        let partial = || {
            (1..CONTENT_LENGTH.len().min(body.len() + 1))
                .rev()
                .find(|&n| body[body.len() - n..].eq_ignore_ascii_case(&CONTENT_LENGTH[..n]))
                .map(|n| body.len() - n)
        };
        if let Some(at) = find_content_length(body).or_else(partial) {
            let rest = &body[at..];
            let mut restored = Vec::with_capacity(rest.len() + self.buf.len() - self.pos);
            restored.extend_from_slice(rest);
            restored.extend_from_slice(&self.buf[self.pos..]);
            self.buf = restored;
            self.pos = 0;
        }
    }

    async fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 && self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        } else if self.pos > 64 * 1024 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = self.inner.read(&mut chunk).await?;
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(true)
    }

    /// A line with its terminator, at most [`MAX_HEADER_LINE`] bytes (a longer run is returned
    /// in pieces, which are never valid headers).
    async fn read_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        loop {
            let available = &self.buf[self.pos..];
            if let Some(newline) = available.iter().take(MAX_HEADER_LINE).position(|&b| b == b'\n') {
                let line = available[..=newline].to_vec();
                self.pos += newline + 1;
                return Ok(Some(line));
            }
            if available.len() >= MAX_HEADER_LINE {
                let line = available[..MAX_HEADER_LINE].to_vec();
                self.pos += MAX_HEADER_LINE;
                return Ok(Some(line));
            }
            if !self.fill().await? {
                let rest = self.buf[self.pos..].to_vec();
                self.pos = self.buf.len();
                return Ok((!rest.is_empty()).then_some(rest));
            }
        }
    }

    async fn read_exact(&mut self, length: usize) -> std::io::Result<Option<Vec<u8>>> {
        let mut body = Vec::with_capacity(length.min(16 * 1024 * 1024));
        let buffered = (self.buf.len() - self.pos).min(length);
        body.extend_from_slice(&self.buf[self.pos..self.pos + buffered]);
        self.pos += buffered;
        if body.len() < length {
            self.buf.clear();
            self.pos = 0;
            let start = body.len();
            body.resize(length, 0);
            let mut filled = start;
            while filled < length {
                let n = self.inner.read(&mut body[filled..]).await?;
                if n == 0 {
                    self.eof = true;
                    return Ok(None);
                }
                filled += n;
            }
        }
        Ok(Some(body))
    }
}

const CONTENT_LENGTH: &[u8] = b"content-length:";

fn find_content_length(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(CONTENT_LENGTH.len())
        .position(|window| window.eq_ignore_ascii_case(CONTENT_LENGTH))
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// `Name: value` with a token for a name.
fn is_header(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn bodies(input: &[u8]) -> Vec<String> {
        let mut reader = FrameReader::new(input);
        let mut out = Vec::new();
        while let Some(body) = reader.next_body().await.unwrap() {
            if serde_json::from_slice::<Value>(&body).is_err() {
                reader.unread_from_header(&body);
                out.push(format!("BAD {}", String::from_utf8_lossy(&body)));
            } else {
                out.push(String::from_utf8_lossy(&body).into_owned());
            }
        }
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn frames_and_garbage() {
        let input = format!(
            "{}garbage line\r\n{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{{}}",
            frame("{\"a\":1}"),
            frame("[1]")
        );
        assert_eq!(bodies(input.as_bytes()).await, vec!["{\"a\":1}", "[1]", "{}"]);
    }

    #[tokio::test]
    async fn wrong_lengths_lose_only_the_broken_frame() {
        // Too short: the rest of the body runs into the next header.
        let too_short = format!("Content-Length: 5\r\n\r\n{{\"a\":12345}}{}", frame("{\"b\":2}"));
        assert_eq!(bodies(too_short.as_bytes()).await, vec!["BAD {\"a\":", "{\"b\":2}"]);
        // Too long: the body swallows the next header, which is read again.
        let too_long = format!("Content-Length: 12\r\n\r\n{{\"a\":1}}{}", frame("{\"b\":2}"));
        let got = bodies(too_long.as_bytes()).await;
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("BAD"));
        assert_eq!(got[1], "{\"b\":2}");
        // No length, a silly length, and a missing body.
        let silly = format!(
            "Content-Type: x\r\n\r\nContent-Length: lots\r\n\r\n{}Content-Length: 99\r\n\r\n{{",
            frame("{}")
        );
        assert_eq!(bodies(silly.as_bytes()).await, vec!["{}"]);
    }

    /// A service whose `panic` method panics, to see the transport turn that into an error.
    struct Panicky;

    impl Service<Request> for Panicky {
        type Response = Option<Response>;
        type Error = ExitedError;
        type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

        fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), ExitedError>> {
            std::task::Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            async move {
                if request.method() == "panic" {
                    panic!("boom");
                }
                Ok(request.id().cloned().map(|id| Response::from_ok(id, Value::from(1))))
            }
            .boxed()
        }
    }

    #[tokio::test]
    async fn a_panicking_handler_gets_an_internal_error_and_the_rest_are_served() {
        let (tx, out_rx) = mpsc::unbounded_channel();
        let outbox = Outbox(tx);
        let server_outbox = outbox.clone();
        let (_unused, socket) = LspService::new(move |client| super::super::server::Server::new(client, server_outbox));
        let input = format!(
            "{}{}",
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"panic"}"#),
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"fine"}"#)
        );
        let mut output: Vec<u8> = Vec::new();
        let code = run(
            Panicky,
            socket,
            input.as_bytes(),
            Output::Stream(&mut output),
            outbox,
            out_rx,
        )
        .await;
        assert_eq!(code, 1);
        let output = String::from_utf8(output).unwrap();
        assert!(
            output.contains(r#""error":{"code":-32603,"message":"request handler panicked: boom"},"id":1"#),
            "{output}"
        );
        assert!(output.contains(r#""result":1,"id":2"#), "{output}");
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let body = br#"{"a":"x\ud83d","b":"\ud83d\ude42","c":"\\ud83d","d":"\ude42y"}"#;
        let repaired = replace_lone_surrogates(body).unwrap();
        let value: Value = serde_json::from_slice(&repaired).unwrap();
        assert_eq!(value["a"], "x\u{fffd}");
        assert_eq!(value["b"], "🙂");
        assert_eq!(value["c"], "\\ud83d");
        assert_eq!(value["d"], "\u{fffd}y");
        assert!(replace_lone_surrogates(br#"{"b":"\ud83d\ude42"}"#).is_none());
    }

    #[test]
    fn classification() {
        let cases = [
            (serde_json::json!([1]), "invalid"),
            (serde_json::json!({"jsonrpc": "1.0", "id": 1, "method": "x"}), "invalid"),
            (serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": 7}), "invalid"),
            (serde_json::json!({"jsonrpc": "2.0", "id": 1}), "invalid"),
            (serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "x"}), "request"),
            (
                serde_json::json!({"jsonrpc": "2.0", "method": "x", "params": [1]}),
                "request",
            ),
            (
                serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": null}),
                "response",
            ),
        ];
        for (value, expected) in cases {
            let got = match classify(value.clone()) {
                Incoming::Request(_) => "request",
                Incoming::Response(_) => "response",
                Incoming::Invalid(..) => "invalid",
            };
            assert_eq!(got, expected, "{value}");
        }
    }

    #[test]
    fn workspace_diagnostics_capabilities_reach_lsp_types() {
        let initialize = serde_json::json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "capabilities": {"workspace": {"diagnostics": {"refreshSupport": true}}}}});
        let Incoming::Request(request) = classify(initialize) else {
            panic!("not a request");
        };
        let params: tower_lsp::lsp_types::InitializeParams =
            serde_json::from_value(request.params().cloned().unwrap()).unwrap();
        let refresh = params
            .capabilities
            .workspace
            .and_then(|w| w.diagnostic)
            .and_then(|d| d.refresh_support);
        assert_eq!(refresh, Some(true));
    }
}
