//! Latency and memory of the language server, measured on the built binary over stdio.
//!
//! Run with `cargo bench --bench lsp_latency`. For each draft size it opens a generated news
//! draft, then types a sentence into the middle of it one character at a time, each character
//! an incremental `didChange`, and records the time from writing each change to reading the
//! `publishDiagnostics` for that version (closed loop: the next character is typed once the
//! previous one's diagnostics are in, so every version is linted and none is skipped).
//! It then opens fifty 5,000-word drafts and reads the server's resident memory.
//!
//! Next to each figure it prints the server's CPU time per keystroke (user and system, from
//! `/proc`, which load from other processes does not inflate) and the time the core alone
//! takes on the same text (`Document::new` + `lint`, median of nine runs in this process):
//! the floor for a server that re-analyses the whole draft on every change.
//!
//! Knobs: `COPYDESK_LATENCY_KEYS` (characters typed per size, default 400),
//! `COPYDESK_LATENCY_SIZES` (comma-separated word counts, default `5000,100000`),
//! `COPYDESK_LATENCY_DRAFTS` (drafts open for the memory figure, default 50),
//! `COPYDESK_BENCH_WRAP` (a command the server runs under, e.g.
//! `valgrind --tool=callgrind` to count its instructions),
//! `COPYDESK_BENCH_LOG` (the server's log level, e.g. `debug` for each analysis's stage times,
//! on standard error; off by default).

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A draft of about `words` words: whole paragraphs of the generated news copy.
fn draft_of_words(words: usize, seed: u64) -> String {
    let text = support::news_draft(words * 8, seed);
    let mut count = 0;
    let mut end = text.len();
    for (idx, paragraph) in text.split_inclusive("\n\n").scan(0, |at, p| {
        let start = *at;
        *at += p.len();
        Some((start, p))
    }) {
        count += paragraph.split_whitespace().count();
        if count >= words {
            end = idx + paragraph.len();
            break;
        }
    }
    text[..end].to_string()
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<(Instant, Value)>,
    next_id: i64,
    /// Publishes that arrived while waiting for something else: (uri, version) -> time.
    published: HashMap<(String, i64), Instant>,
    /// How many diagnostics the last publish had.
    last_count: usize,
}

impl Server {
    fn start() -> Server {
        // `COPYDESK_BENCH_WRAP` runs the server under another program (a profiler).
        let wrap = std::env::var("COPYDESK_BENCH_WRAP").unwrap_or_default();
        let mut words = wrap.split_whitespace();
        let mut command = match words.next() {
            Some(program) => {
                let mut command = Command::new(program);
                command.args(words).arg(env!("CARGO_BIN_EXE_copydesk"));
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_copydesk")),
        };
        let mut child = command
            .args(["server", "--stdio"])
            .env(
                "COPYDESK_LOG",
                std::env::var("COPYDESK_BENCH_LOG").unwrap_or_else(|_| "warn".to_string()),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("COPYDESK_BENCH_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("copydesk server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let received = Instant::now();
                let value: Value = serde_json::from_slice(&body).unwrap();
                if tx.send((received, value)).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
            published: HashMap::new(),
            last_count: 0,
        };
        server.request("initialize", json!({"processId": null, "capabilities": {}}));
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    /// Writes a message; returns the time just after it was written.
    fn send(&mut self, message: &Value) -> Instant {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.stdin.write_all(&frame).unwrap();
        self.stdin.flush().unwrap();
        Instant::now()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let (at, message) = self.next();
            if message["id"] == id && message.get("method").is_none() {
                return message["result"].clone();
            }
            self.keep(at, message);
        }
    }

    fn next(&mut self) -> (Instant, Value) {
        self.messages
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers")
    }

    fn keep(&mut self, at: Instant, message: Value) {
        if message["method"] == "textDocument/publishDiagnostics" {
            let params = &message["params"];
            let key = (
                params["uri"].as_str().unwrap_or("").to_string(),
                params["version"].as_i64().unwrap_or(-1),
            );
            self.published.insert(key, at);
            self.last_count = params["diagnostics"].as_array().map_or(0, Vec::len);
        }
    }

    /// Waits for the diagnostics of `uri` at `version`; returns when they arrived.
    fn published(&mut self, uri: &str, version: i64) -> Instant {
        let key = (uri.to_string(), version);
        loop {
            if let Some(at) = self.published.remove(&key) {
                return at;
            }
            let (at, message) = self.next();
            self.keep(at, message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
        }}));
    }

    fn resident_kb(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|line| line.starts_with(name))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// CPU time (user + system) the server has used so far.
    fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which is in parentheses): utime and stime are the
        // 12th and 13th, in clock ticks of 1/100 s.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let field = |idx: usize| fields.get(idx).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        let ticks = field(11) + field(12);
        Duration::from_millis(ticks * 10)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// The UTF-16 position of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn typing(words: usize, keys: usize) {
    let mut text = draft_of_words(words, 42);
    let n_words = text.split_whitespace().count();
    let core = support::median_time(9, || {
        std::hint::black_box(copydesk::lint_text(&text, &copydesk::Config::default()));
    });
    let mut server = Server::start();
    let uri = format!("file:///bench/draft-{words}.md");
    let opened = server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
    }}));
    let first = server.published(&uri, 1).duration_since(opened);
    let n_findings = server.last_count;
    // Type at the end of a paragraph in the middle of the draft.
    let middle = text.len() / 2;
    let mut cursor = middle + text[middle..].find(".\n\n").unwrap_or(0) + 1;
    let sentence = " The council will meet again next week, and the mayor said she would attend.";
    let mut latencies = Vec::with_capacity(keys);
    let mut version = 1;
    let cpu_before = server.cpu_time();
    for ch in sentence.chars().cycle().take(keys) {
        version += 1;
        let at = position(&text, cursor);
        let sent = server.send(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": ch.to_string()}]
            }}),
        );
        text.insert(cursor, ch);
        cursor += ch.len_utf8();
        let received = server.published(&uri, version);
        latencies.push(received.duration_since(sent));
    }
    let cpu_per_key = (server.cpu_time() - cpu_before) / keys as u32;
    server.stop();
    latencies.sort();
    println!(
        "{:>7} words {:>5} KB {:>5} findings | first {:>8.2} ms | typing p50 {:>7.3} ms  p90 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms ({} keys) | server CPU {:>7.3} ms a key | core alone {:>7.3} ms",
        n_words,
        text.len() / 1000,
        n_findings,
        ms(first),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.9)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap()),
        latencies.len(),
        ms(cpu_per_key),
        ms(core),
    );
}

fn memory(n_drafts: usize) {
    let mut server = Server::start();
    let idle = server.resident_kb().0;
    let mut bytes = 0;
    for seed in 0..n_drafts {
        let text = draft_of_words(5_000, 1_000 + seed as u64);
        bytes += text.len();
        server.open(&format!("file:///bench/memory-{seed}.md"), &text);
    }
    for seed in 0..n_drafts {
        server.published(&format!("file:///bench/memory-{seed}.md"), 1);
    }
    let (resident, peak) = server.resident_kb();
    server.stop();
    println!(
        "{n_drafts} drafts of 5,000 words open ({} KB of text): resident {:.1} MB (idle server {:.1} MB, peak {:.1} MB)",
        bytes / 1000,
        resident as f64 / 1024.0,
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}

fn main() {
    let keys = env("COPYDESK_LATENCY_KEYS", 400);
    let sizes: Vec<usize> = std::env::var("COPYDESK_LATENCY_SIZES")
        .ok()
        .map(|sizes| sizes.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![5_000, 100_000]);
    println!(
        "didChange -> publishDiagnostics, closed loop, on {}",
        env!("CARGO_BIN_EXE_copydesk")
    );
    for words in sizes {
        typing(words, keys);
    }
    memory(env("COPYDESK_LATENCY_DRAFTS", 50));
}
