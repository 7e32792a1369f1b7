//! The language server in-process: the service over an in-memory pipe, one test per
//! capability, with JSON snapshots of what the server says.

#[path = "lsp/client.rs"]
mod client;

use std::time::Duration;

use client::{Client, redact, rich_capabilities};
use insta::assert_json_snapshot;
use serde_json::{Value, json};

const URI: &str = "file:///drafts/story.md";
const DOCS: &str = "https://copydesk.example/rules/";

/// A draft with a repeated word, stray punctuation, a repeated word inside a quotation
/// (its fix is only a suggestion there), people, and attributed and unattributed quotes.
const DRAFT: &str = "# Council delays vote

Foreign Minister Lee Jae-sun arrived late. \"We will not not close a single branch,\" Lee told reporters.

Mayor Ana Reyes said the the plan was sound. \"It is not over,\" said Reyes. Lee, the foreign minister, disagreed .

\"Nobody told us anything,\" a resident said.

Reyes added: \"We asked Reyes for a delay, and we got one.\"

The council meets again on Monday.

\"The budget is a disgrace and everyone knows it.\"
";

/// The rules these tests watch; the others are turned off so the snapshots stay about the
/// server, not about how the rules evolve (the rules have tests of their own).
const WATCHED: [&str; 2] = ["repeated-word", "stray-punctuation"];

fn only_watched_rules() -> Value {
    let mut rules = serde_json::Map::new();
    for rule in copydesk::rules::all() {
        let id = rule.meta().id;
        if !WATCHED.contains(&id) {
            rules.insert(id.to_string(), json!("off"));
        }
    }
    Value::Object(rules)
}

fn options() -> Value {
    json!({"documentationUrl": DOCS, "rules": only_watched_rules()})
}

async fn start() -> Client {
    let (client, _) = Client::start(rich_capabilities(), Some(options())).await;
    client
}

async fn open(client: &mut Client, uri: &str, text: &str) -> Value {
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    client.diagnostics(uri, 1).await
}

/// The LSP position of a byte offset in UTF-16 code units.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn at(text: &str, needle: &str) -> Value {
    position(
        text,
        text.find(needle).unwrap_or_else(|| panic!("{needle} in the text")),
    )
}

fn range_of(text: &str, needle: &str) -> Value {
    let start = text.find(needle).unwrap();
    json!({"start": position(text, start), "end": position(text, start + needle.len())})
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
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

/// Applies LSP text edits (UTF-16 positions) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let line_start = text.split_inclusive('\n').take(line).map(str::len).sum::<usize>();
        let mut units = 0;
        let mut offset = line_start;
        for c in text[line_start..].chars() {
            if units >= character || c == '\n' {
                break;
            }
            units += c.len_utf16();
            offset += c.len_utf8();
        }
        offset
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_negotiates_and_advertises() {
    let (client, result) = Client::start(rich_capabilities(), None).await;
    let mut result = result;
    result["serverInfo"]["version"] = json!("[version]");
    assert_json_snapshot!("initialize", result);
    assert_eq!(client.shutdown().await, 0);
    let mut capabilities = rich_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-8", "utf-16"]);
    let (client, result) = Client::start(capabilities, None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(client.shutdown().await, 0);
    let (client, result) = Client::start(json!({}), None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_are_pushed_with_versions() {
    let mut client = start().await;
    let published = open(&mut client, URI, DRAFT).await;
    assert_json_snapshot!("publish_diagnostics", published);
    // Delete the second "the": version 2 no longer has the repeated word.
    let the = DRAFT.find("the the").unwrap() + 4;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
                {"range": {"start": position(DRAFT, the), "end": position(DRAFT, the + 4)}, "text": ""}
            ]}),
        )
        .await;
    let published = client.diagnostics(URI, 2).await;
    assert!(!codes(&published).iter().any(|code| code.starts_with("repeated-word@4")));
    // Closing clears them.
    client
        .notify("textDocument/didClose", json!({"textDocument": {"uri": URI}}))
        .await;
    let cleared = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI && p["version"].is_null()
        })
        .await;
    assert_eq!(cleared["diagnostics"], json!([]));
    assert_eq!(client.shutdown().await, 0);
}

/// Edits in both encodings through emoji, CJK, combining marks, curly quotes and CRLF give
/// the same findings as opening the final text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_changes_match_the_final_text() {
    for encoding in ["utf-16", "utf-8"] {
        let mut capabilities = rich_capabilities();
        capabilities["general"]["positionEncodings"] = json!([encoding]);
        let (mut client, _) = Client::start(capabilities, Some(options())).await;
        let start = "🙂 “Café” said so ,\r\n中文 e\u{301} the plan\r\nlast line";
        open(&mut client, URI, start).await;
        let unit = |s: &str| -> usize {
            if encoding == "utf-8" {
                s.len()
            } else {
                s.chars().map(char::len_utf16).sum()
            }
        };
        // Insert "the " before "plan" on line 1, then a repeated word after the emoji on
        // line 0, then replace "last line" across the line end of line 1.
        let line1_plan = unit("中文 e\u{301} the ");
        let after_emoji = unit("🙂 ");
        let line1_end = unit("中文 e\u{301} the the plan");
        let changes = json!([
            {"range": {"start": {"line": 1, "character": line1_plan}, "end": {"line": 1, "character": line1_plan}}, "text": "the "},
            {"range": {"start": {"line": 0, "character": after_emoji}, "end": {"line": 0, "character": after_emoji}}, "text": "an an "},
            {"range": {"start": {"line": 1, "character": line1_end}, "end": {"line": 2, "character": 4}}, "text": " ,\r\nfinal"},
        ]);
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": changes}),
            )
            .await;
        let incremental = client.diagnostics(URI, 2).await;
        let expected = "🙂 an an “Café” said so ,\r\n中文 e\u{301} the the plan ,\r\nfinal line";
        let fresh = open(&mut client, "file:///drafts/fresh.md", expected).await;
        assert_eq!(incremental["diagnostics"], fresh["diagnostics"], "{encoding}");
        assert_eq!(
            codes(&fresh),
            if encoding == "utf-8" {
                vec![
                    "repeated-word@0:5",
                    "stray-punctuation@0:30",
                    "repeated-word@1:11",
                    "stray-punctuation@1:23",
                ]
            } else {
                vec![
                    "repeated-word@0:3",
                    "stray-punctuation@0:23",
                    "repeated-word@1:6",
                    "stray-punctuation@1:18",
                ]
            },
            "{encoding}"
        );
        // A full-text change replaces everything.
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "Clean copy.\n"}]}),
            )
            .await;
        assert_eq!(client.diagnostics(URI, 3).await["diagnostics"], json!([]));
        assert_eq!(client.shutdown().await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_changes_publishes_only_current_versions() {
    let mut client = start().await;
    open(&mut client, URI, "Start.\n").await;
    let mut text = String::from("Start.\n");
    for version in 2..=60 {
        let offset = text.len() - 1;
        let insert = if version % 2 == 0 { " the" } else { " word" };
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [
                    {"range": {"start": position(&text, offset), "end": position(&text, offset)}, "text": insert}
                ]}),
            )
            .await;
        text.insert_str(offset, insert);
    }
    let last = client.diagnostics(URI, 60).await;
    assert_eq!(codes(&last), Vec::<String>::new());
    // Every publish came in order, and none was for a version older than one already published.
    let versions: Vec<i64> = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|pair| pair[0] < pair[1]), "{versions:?}");
    assert!(versions.iter().all(|v| *v < 60));
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_pulls() {
    let mut capabilities = rich_capabilities();
    capabilities["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let (mut client, _) = Client::start(capabilities, Some(options())).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": DRAFT}}),
        )
        .await;
    let full = client
        .request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}))
        .await
        .unwrap();
    assert_eq!(full["kind"], "full");
    assert_eq!(full["items"].as_array().unwrap().len(), 3);
    let result_id = full["resultId"].clone();
    let unchanged = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
        )
        .await
        .unwrap();
    assert_eq!(unchanged, json!({"kind": "unchanged", "resultId": result_id}));
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "Fine copy.\n"}]}),
        )
        .await;
    let workspace = client
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": [{"uri": URI, "value": result_id}]}),
        )
        .await
        .unwrap();
    let mut workspace = workspace;
    for item in workspace["items"].as_array_mut().unwrap() {
        item["resultId"] = json!("[id]");
    }
    assert_json_snapshot!("workspace_diagnostic", workspace);
    // Nothing was pushed to a client that pulls.
    client.pump(Duration::from_millis(200)).await;
    assert!(
        !client
            .notifications
            .iter()
            .any(|n| n["method"] == "textDocument/publishDiagnostics")
    );
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_settings_ask_a_pulling_client_to_pull_again() {
    // As VS Code and Neovim spell it: `workspace.diagnostics` (plural), which lsp-types 0.94
    // does not read by itself.
    let mut capabilities = rich_capabilities();
    capabilities["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    capabilities["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let (mut client, _) = Client::start(capabilities, Some(options())).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": DRAFT}}),
        )
        .await;
    let codes = |report: &Value| -> Vec<String> {
        let mut codes: Vec<String> = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        codes.dedup();
        codes
    };
    let before = client
        .request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}))
        .await
        .unwrap();
    assert_eq!(codes(&before), ["repeated-word", "stray-punctuation"]);

    client.settings = json!({"rules": {"stray-punctuation": "off"}});
    client
        .notify("workspace/didChangeConfiguration", json!({"settings": null}))
        .await;
    for _ in 0..100 {
        if client
            .server_requests
            .iter()
            .any(|r| r["method"] == "workspace/diagnostic/refresh")
        {
            break;
        }
        client.pump(Duration::from_millis(50)).await;
    }
    assert!(
        client
            .server_requests
            .iter()
            .any(|r| r["method"] == "workspace/diagnostic/refresh"),
        "no workspace/diagnostic/refresh"
    );
    // A pull right after the refresh gets the findings under the new settings.
    let after = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": before["resultId"]}),
        )
        .await
        .unwrap();
    assert_eq!(after["kind"], "full");
    assert_eq!(codes(&after), ["repeated-word"]);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_fix_ignore_and_fix_all() {
    let mut client = start().await;
    open(&mut client, URI, DRAFT).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range_of(DRAFT, "the the"), "context": {"diagnostics": []}}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("code_actions", actions);
    // The quick fix, applied, leaves one "the".
    let edits = actions[0]["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
    assert!(apply(DRAFT, edits).contains("said the plan"));
    // A repeated word inside a quotation: a suggestion only, never preferred.
    let quoted = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range_of(DRAFT, "not not"), "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await
        .unwrap();
    assert_eq!(quoted[0]["title"], "Remove the repeated \"not\" (suggestion)");
    assert!(quoted[0].get("isPreferred").is_none());
    // Fix all, resolved lazily, in one versioned edit.
    let fix_all = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range_of(DRAFT, "Council"), "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await
        .unwrap();
    assert_eq!(fix_all.as_array().unwrap().len(), 1);
    let resolved = client.request("codeAction/resolve", fix_all[0].clone()).await.unwrap();
    assert_json_snapshot!("fix_all_resolved", resolved);
    let change = &resolved["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 1);
    let fixed = apply(DRAFT, change["edits"].as_array().unwrap());
    let expected = copydesk::fix_text(DRAFT, &copydesk::Config::default(), copydesk::Applicability::Safe);
    assert_eq!(fixed, expected.text);
    // The ignore comment, applied, silences the finding.
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore repeated-word on this line")
        .unwrap();
    let ignored = apply(DRAFT, ignore["edit"]["documentChanges"][0]["edits"].as_array().unwrap());
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": ignored}]}),
        )
        .await;
    let published = client.diagnostics(URI, 2).await;
    assert_eq!(codes(&published), vec!["repeated-word@2:52", "stray-punctuation@5:111"]);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_as_commands_for_simple_clients() {
    let capabilities = json!({"workspace": {"applyEdit": true}});
    let (mut client, _) = Client::start(capabilities, Some(options())).await;
    open(&mut client, URI, DRAFT).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range_of(DRAFT, "the the"), "context": {"diagnostics": []}}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("code_actions_as_commands", actions);
    let fix = &actions[0];
    let result = client
        .request(
            "workspace/executeCommand",
            json!({"command": fix["command"], "arguments": fix["arguments"]}),
        )
        .await
        .unwrap();
    assert_eq!(result, json!({"applied": true}));
    let fix_all = actions.as_array().unwrap().last().unwrap();
    assert_eq!(fix_all["command"], "copydesk.fixAll");
    client
        .request(
            "workspace/executeCommand",
            json!({"command": fix_all["command"], "arguments": fix_all["arguments"]}),
        )
        .await
        .unwrap();
    let applied: Vec<&Value> = client
        .server_requests
        .iter()
        .filter(|r| r["method"] == "workspace/applyEdit")
        .collect();
    assert_eq!(applied.len(), 2);
    let all_edits = applied[1]["params"]["edit"]["changes"][URI].as_array().unwrap();
    let expected = copydesk::fix_text(DRAFT, &copydesk::Config::default(), copydesk::Applicability::Safe);
    assert_eq!(apply(DRAFT, all_edits), expected.text);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_a_person() {
    let mut client = start().await;
    open(&mut client, URI, DRAFT).await;
    let offset = DRAFT.find("said Reyes").unwrap() + "said R".len();
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position(DRAFT, offset)}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("hover_person", hover);
    let nothing = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": at(DRAFT, "arrived")}),
        )
        .await
        .unwrap();
    assert_eq!(nothing, Value::Null);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_symbols_people_and_quotes_by_speaker() {
    let mut client = start().await;
    open(&mut client, URI, DRAFT).await;
    let symbols = client
        .request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}))
        .await
        .unwrap();
    assert_json_snapshot!("document_symbols", symbols);
    assert_eq!(client.shutdown().await, 0);
    let (mut client, _) = Client::start(json!({}), Some(options())).await;
    open(&mut client, URI, DRAFT).await;
    let flat = client
        .request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}))
        .await
        .unwrap();
    let names: Vec<String> = flat
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} < {}",
                s["name"].as_str().unwrap(),
                s["containerName"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_json_snapshot!("document_symbols_flat", names);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_and_rename() {
    let mut client = start().await;
    open(&mut client, URI, DRAFT).await;
    let on_reyes = position(DRAFT, DRAFT.find("Ana Reyes").unwrap() + 5);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": URI}, "position": on_reyes, "context": {"includeDeclaration": true}}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("references", references);
    let prepared = client
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": URI}, "position": on_reyes}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("prepare_rename", prepared);
    let nowhere = client
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": URI}, "position": at(DRAFT, "arrived")}),
        )
        .await
        .unwrap();
    assert_eq!(nowhere, Value::Null);
    let rename = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": on_reyes, "newName": "Ana Reyes-Ortiz"}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("rename_annotated", rename);
    let edits = rename["documentChanges"][0]["edits"].as_array().unwrap();
    let renamed = apply(DRAFT, edits);
    assert!(renamed.contains("Mayor Ana Reyes-Ortiz said"));
    assert!(renamed.contains("said Reyes-Ortiz."));
    assert!(renamed.contains("asked Reyes-Ortiz for a delay"));
    assert_eq!(client.shutdown().await, 0);

    // A client without change annotations: quoted text stays as it is, and the user is told.
    let mut capabilities = rich_capabilities();
    capabilities["workspace"]["workspaceEdit"] = json!({"documentChanges": true});
    let (mut client, _) = Client::start(capabilities, Some(options())).await;
    open(&mut client, URI, DRAFT).await;
    let rename = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": on_reyes, "newName": "Ana Ortiz"}),
        )
        .await
        .unwrap();
    let renamed = apply(DRAFT, rename["documentChanges"][0]["edits"].as_array().unwrap());
    assert!(renamed.contains("Mayor Ana Ortiz said"));
    assert!(renamed.contains("asked Reyes for a delay"));
    let message = client.notification("window/showMessage", |_| true).await;
    assert_eq!(
        message["message"],
        "copydesk left 1 mention inside quotations unchanged: quotations are verbatim."
    );
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_name_the_speaker_and_can_be_turned_off() {
    let mut client = start().await;
    open(&mut client, URI, DRAFT).await;
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}});
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": whole}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("inlay_hints", hints);
    assert_eq!(client.shutdown().await, 0);
    let (mut client, _) = Client::start(
        rich_capabilities(),
        Some(json!({"copydesk": {"inlayHints": {"enable": false}}})),
    )
    .await;
    open(&mut client, URI, DRAFT).await;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": whole}),
        )
        .await
        .unwrap();
    assert_eq!(hints, json!([]));
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_lens_counts_quotes_and_lists_them() {
    let mut client = start().await;
    open(&mut client, URI, DRAFT).await;
    let lenses = client
        .request("textDocument/codeLens", json!({"textDocument": {"uri": URI}}))
        .await
        .unwrap();
    assert_json_snapshot!("code_lens", lenses);
    let command = &lenses[0]["command"];
    let quotes = client
        .request(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        )
        .await
        .unwrap();
    assert_json_snapshot!("list_quotes", quotes);
    let message = client.notification("window/showMessage", |_| true).await;
    assert_json_snapshot!("list_quotes_message", message);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_from_file_and_client_with_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config_path = root.join("copydesk.toml");
    std::fs::write(&config_path, "[rules]\nrepeated-word = \"error\"\n").unwrap();
    let draft_path = root.join("desk").join("story.md");
    std::fs::create_dir_all(draft_path.parent().unwrap()).unwrap();
    let uri = format!("file://{}", draft_path.display());
    let config_uri = format!("file://{}", config_path.display());
    let root_uri = format!("file://{}", root.display());
    let (mut client, _) = Client::start_with(rich_capabilities(), Some(options()), Some(&root_uri)).await;
    let severity = |published: &Value, code: &str| -> Vec<i64> {
        published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["severity"].as_i64().unwrap())
            .collect()
    };
    let text = "The the plan , they said.\n";
    let published = open(&mut client, &uri, text).await;
    assert_eq!(severity(&published, "repeated-word"), vec![1]);
    assert_eq!(severity(&published, "stray-punctuation"), vec![2]);

    // Client settings override the file, and a change of settings re-lints.
    client.settings = json!({"rules": {"stray-punctuation": "off", "repeated-word": "info"}});
    client
        .notify("workspace/didChangeConfiguration", json!({"settings": null}))
        .await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.len() == 1)
        })
        .await;
    assert_eq!(severity(&published, "repeated-word"), vec![3]);
    client.settings = json!({});
    client
        .notify("workspace/didChangeConfiguration", json!({"settings": null}))
        .await;
    client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.len() == 2)
        })
        .await;

    // A broken file: a diagnostic on the file, a message, and the last good settings stay.
    std::fs::write(
        &config_path,
        "[rules]\nrepeated-word = \"error\"\nstray-punctuation = \"loud\"\n",
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 2}]}),
        )
        .await;
    let broken = client
        .notification("textDocument/publishDiagnostics", |p| p["uri"] == config_uri.as_str())
        .await;
    let root_text = root.display().to_string();
    assert_json_snapshot!("broken_config_diagnostic", redact(&broken, &root_text, "<root>"));
    let message = client.notification("window/showMessage", |_| true).await;
    assert_json_snapshot!("broken_config_message", redact(&message, &root_text, "<root>"));
    let published = client
        .notification("textDocument/publishDiagnostics", |p| p["uri"] == uri.as_str())
        .await;
    assert_eq!(severity(&published, "repeated-word"), vec![1]);

    // Fixed: the file's diagnostic is cleared and the new settings apply.
    std::fs::write(&config_path, "[rules]\nrepeated-word = \"hint\"\n").unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 2}]}),
        )
        .await;
    let cleared = client
        .notification("textDocument/publishDiagnostics", |p| p["uri"] == config_uri.as_str())
        .await;
    assert_eq!(cleared["diagnostics"], json!([]));
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["diagnostics"][0]["severity"] == 4
        })
        .await;
    assert_eq!(severity(&published, "repeated-word"), vec![4]);
    // The server asked to watch configuration files and for its settings.
    let methods: Vec<&str> = client
        .server_requests
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert!(methods.contains(&"client/registerCapability"));
    assert!(methods.contains(&"workspace/configuration"));
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_errors_get_json_rpc_errors_and_the_server_carries_on() {
    let mut client = Client::spawn();
    // Before initialize.
    let early = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await
        .unwrap_err();
    assert_eq!(early["code"], -32002);
    client.request("initialize", json!({"capabilities": {}})).await.unwrap();
    client.notify("initialized", json!({})).await;
    let unknown_document = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await
        .unwrap_err();
    assert_json_snapshot!("error_unknown_document", unknown_document);
    let unknown_method = client.request("textDocument/frobnicate", json!({})).await.unwrap_err();
    assert_eq!(unknown_method["code"], -32601);
    let malformed_params = client
        .request("textDocument/hover", json!({"textDocument": 7}))
        .await
        .unwrap_err();
    assert_eq!(malformed_params["code"], -32602);
    // Broken frames: not JSON, not JSON-RPC, a wrong length.
    client.send_raw(b"Content-Length: 9\r\n\r\n{garbage}").await;
    let parse_error = client.response(Value::Null).await.unwrap_err();
    assert_eq!(parse_error["code"], -32700);
    client
        .send(&json!({"jsonrpc": "1.0", "id": 99, "method": "shutdown"}))
        .await;
    let invalid = client.response(json!(99)).await.unwrap_err();
    assert_eq!(invalid["code"], -32600);
    client.send_raw(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\"}").await;
    assert_eq!(client.response(Value::Null).await.unwrap_err()["code"], -32700);
    // Edits to a document that is not open are ignored; the server still works.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "x"}]}),
        )
        .await;
    let published = open(&mut client, URI, "Still here here.\n").await;
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 1);
    // Out-of-range positions are clamped, not errors.
    let far = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 999, "character": 999}}),
        )
        .await
        .unwrap();
    assert_eq!(far, Value::Null);
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes() {
    let (mut client, _) = Client::start(json!({}), None).await;
    client.notify("exit", Value::Null).await;
    assert_eq!(client.exit_code().await, 1, "exit without shutdown");
    let (mut client, _) = Client::start(json!({}), None).await;
    client.close_input().await;
    assert_eq!(client.exit_code().await, 1, "input closed without shutdown");
    let (mut client, _) = Client::start(json!({}), None).await;
    client.request("shutdown", Value::Null).await.unwrap();
    client.close_input().await;
    assert_eq!(client.exit_code().await, 0, "input closed after shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_findings_is_capped_with_a_notice() {
    let mut client = start().await;
    let text = "the the. ".repeat(10_050);
    let published = open(&mut client, URI, &text).await;
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 10_001);
    assert_eq!(
        diagnostics.last().unwrap()["message"],
        "copydesk shows the first 10000 of 10050 findings in this draft; run `copydesk check` for all of them"
    );
    assert_eq!(client.shutdown().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_pages_are_linked() {
    let (mut client, _) = Client::start(rich_capabilities(), Some(json!({"rules": only_watched_rules()}))).await;
    let published = open(&mut client, URI, "The the end.\n").await;
    let href = published["diagnostics"][0]["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    // The package names its repository, so links point at the rule's page there; the page
    // itself is in this checkout.
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    assert_eq!(href, format!("{repository}/blob/main/docs/rules/repeated-word.md"));
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules/repeated-word.md");
    assert!(page.is_file(), "{} exists", page.display());
    assert_eq!(client.shutdown().await, 0);
}
