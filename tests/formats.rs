//! The output formats of `copydesk check` (human, concise, json, sarif, github, rdjson),
//! statistics and the fix summaries, on the real binary. SARIF is validated against the
//! official SARIF 2.1.0 JSON schema in `tests/data/` (see its licence note there).

mod common;

use std::fs;
use std::path::Path;

use common::{copydesk, redact, stderr, stdout};
use serde_json::Value;

const SELECT: &str = "repeated-word,stray-punctuation";

/// A folder of drafts with the awkward cases: curly quotes, an emoji, a byte-order mark,
/// CRLF line endings, and a path with a comma and a colon.
fn desk() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("desk")).unwrap();
    fs::write(dir.path().join("desk/a.md"), "“Café” — 🙂 the the end , now.\n").unwrap();
    fs::write(
        dir.path().join("desk/story, final: 2.md"),
        "The mayor said said the plan.\r\n\r\nIt rose 5% , officials said.\r\n",
    )
    .unwrap();
    fs::write(dir.path().join("desk/bom.md"), "\u{feff}The the end.\n").unwrap();
    fs::write(
        dir.path().join("desk/clean.md"),
        "The mayor said the plan would pass.\n",
    )
    .unwrap();
    dir
}

fn check(dir: &Path, format: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--format", format, "--select", SELECT];
    args.extend_from_slice(extra);
    args.push("desk");
    copydesk(dir, &args)
}

#[test]
fn human_groups_by_file_and_summarizes() {
    let dir = desk();
    let output = check(dir.path(), "human", &[]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn human_shows_multi_line_spans_and_severities() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("draft.md"),
        "The council met on Monday and the\nthe vote was delayed.\n\nA TK placeholder stays.\n",
    )
    .unwrap();
    let output = copydesk(
        dir.path(),
        &["check", "--select", "repeated-word,placeholder-text", "draft.md"],
    );
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn concise_is_one_line_per_finding() {
    let dir = desk();
    let output = check(dir.path(), "concise", &[]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
    assert!(
        stderr(&output).starts_with("Found 5 problems (5 warnings) in 3 of 4 files checked."),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_has_files_and_a_summary() {
    let dir = desk();
    let output = check(dir.path(), "json", &[]);
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    insta::assert_json_snapshot!(value);
}

#[test]
fn github_workflow_commands_are_escaped() {
    let dir = desk();
    let output = check(dir.path(), "github", &[]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    insta::assert_snapshot!(out);
    for line in out.lines() {
        assert!(line.starts_with("::warning file="), "{line}");
        // One command per line: newlines inside messages are escaped.
        let (properties, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!message.contains('\n'));
        let file = properties.split(',').next().unwrap();
        assert!(!file["warning file=".len()..].contains([':', ',']), "{file}");
    }
    assert!(out.contains("file=desk/story%2C final%3A 2.md,line=1"), "{out}");
}

#[test]
fn rdjson_columns_count_bytes_and_fixes_become_suggestions() {
    let dir = desk();
    let output = check(dir.path(), "rdjson", &[]);
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let first = &value["diagnostics"][0];
    assert_eq!(first["location"]["path"], "desk/a.md");
    assert_eq!(first["code"]["value"], "repeated-word");
    let column = "“Café” — 🙂 ".len() + 1;
    assert_eq!(first["location"]["range"]["start"]["column"], column);
    assert_eq!(first["suggestions"][0]["text"], "");
    // The byte-order mark counts on the first line.
    let bom = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["location"]["path"] == "desk/bom.md")
        .unwrap();
    assert_eq!(bom["location"]["range"]["start"]["column"], 4);
    insta::assert_json_snapshot!(value);
}

/// The SARIF log without the rule catalogue (long, and it changes with every rule's
/// documentation) and with the temporary folder redacted.
fn sarif_for_snapshot(output: &std::process::Output, dir: &Path) -> Value {
    let text = redact(&stdout(output), dir);
    let mut value: Value = serde_json::from_str(&text).expect("valid JSON");
    let rules = value["runs"][0]["tool"]["driver"]["rules"].take();
    value["runs"][0]["tool"]["driver"]["rules"] =
        Value::String(format!("[{} rules]", rules.as_array().map_or(0, Vec::len)));
    value["runs"][0]["tool"]["driver"]["version"] = Value::String("[VERSION]".into());
    value["runs"][0]["tool"]["driver"]["semanticVersion"] = Value::String("[VERSION]".into());
    // Rule indexes move when rules are added; `sarif_results_regions_and_fixes` checks them.
    for result in value["runs"][0]["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = Value::String("[INDEX]".into());
    }
    value
}

#[test]
fn sarif_results_regions_and_fixes() {
    let dir = desk();
    let output = check(dir.path(), "sarif", &[]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    insta::assert_json_snapshot!(sarif_for_snapshot(&output, dir.path()));
}

#[test]
fn sarif_rules_are_documented() {
    let dir = desk();
    let output = check(dir.path(), "sarif", &[]);
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= copydesk::rules::all().len());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        for field in ["shortDescription", "fullDescription"] {
            assert!(!rule[field]["text"].as_str().unwrap().is_empty(), "{id}: {field}");
        }
        assert!(rule["defaultConfiguration"]["enabled"].is_boolean(), "{id}");
        let help = rule["helpUri"].as_str().unwrap();
        let page = help.rsplit_once("/docs/rules/").expect("a docs/rules page").1;
        assert!(root.join("docs/rules").join(page).is_file(), "{id}: {help}");
    }
    let repeated = rules.iter().find(|rule| rule["id"] == "repeated-word").unwrap();
    assert_eq!(repeated["defaultConfiguration"]["level"], "warning");
    let mojibake = rules.iter().find(|rule| rule["id"] == "mojibake").unwrap();
    assert_eq!(mojibake["defaultConfiguration"]["level"], "error");
}

#[test]
fn sarif_is_valid_in_every_situation() {
    let dir = desk();
    fs::write(dir.path().join("desk/bad.md"), b"Caf\xe9.\n").unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft.md");
    fs::copy(&example, dir.path().join("desk/example.md")).unwrap();
    let absolute = dir.path().join("desk/a.md");
    let cases: Vec<Vec<String>> = vec![
        // Every rule on a draft with one of each problem, and a file that is not UTF-8.
        vec!["check".into(), "--format".into(), "sarif".into(), "desk".into()],
        // An absolute path.
        vec![
            "check".into(),
            "--format".into(),
            "sarif".into(),
            absolute.display().to_string(),
        ],
        // No findings at all.
        vec![
            "check".into(),
            "--format".into(),
            "sarif".into(),
            "desk/clean.md".into(),
        ],
        // After fixing.
        vec![
            "check".into(),
            "--format".into(),
            "sarif".into(),
            "--fix".into(),
            "--unsafe-fixes".into(),
            "desk/example.md".into(),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = copydesk(dir.path(), &args);
        let log: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{args:?}: {error}: {}", stdout(&output)));
        assert_valid_sarif(&log);
        if args.contains(&"desk") {
            let notifications = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
            assert!(notifications[0]["message"]["text"].as_str().unwrap().contains("bad.md"));
            assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], false);
        }
    }
}

fn assert_valid_sarif(log: &Value) {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn the_schema_check_rejects_broken_sarif() {
    // The validator really validates: a region with line 0 and a result without a message fail.
    let broken = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "copydesk"}}, "results": [
            {"ruleId": "x", "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}
        ]}]
    });
    let result = std::panic::catch_unwind(|| assert_valid_sarif(&broken));
    assert!(result.is_err());
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = desk();
    let output = copydesk(dir.path(), &["check", "--statistics", "--select", SELECT, "desk"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
    let output = copydesk(
        dir.path(),
        &["check", "--statistics", "--format", "json", "--select", SELECT, "desk"],
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value[0]["rule"], "repeated-word");
    assert_eq!(value[0]["count"], 3);
    assert_eq!(value[0]["fixable"], 3);
    let output = copydesk(dir.path(), &["check", "--statistics", "--format", "sarif", "desk"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--statistics"));
}

#[test]
fn fix_summary_says_what_was_applied_and_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft.md");
    fs::copy(&example, dir.path().join("draft.md")).unwrap();
    let output = copydesk(dir.path(), &["check", "--fix", "draft.md"]);
    let summary = stdout(&output);
    let tail: Vec<&str> = summary.lines().rev().take(2).collect();
    assert!(
        tail[1].starts_with("Found ") && tail[1].contains("remaining"),
        "{summary}"
    );
    assert!(
        tail[0].starts_with("Applied ") && tail[0].contains("more fixable with --unsafe-fixes"),
        "{summary}"
    );

    // Every format works with --fix and --diff; the JSON document stays valid and the
    // summary goes to standard error.
    for format in ["concise", "json", "sarif", "github", "rdjson"] {
        fs::copy(&example, dir.path().join("draft.md")).unwrap();
        let output = copydesk(dir.path(), &["check", "--diff", "--format", format, "draft.md"]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert_eq!(
            fs::read(dir.path().join("draft.md")).unwrap(),
            fs::read(&example).unwrap()
        );
        let (diff_stream, report) = if matches!(format, "json" | "sarif" | "rdjson") {
            let _: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
            (stderr(&output), stdout(&output))
        } else {
            (stdout(&output), stdout(&output))
        };
        assert!(diff_stream.contains("--- a/draft.md"), "{format}: {diff_stream}");
        assert!(!report.is_empty());
        assert!(stderr(&output).contains("fixes would be applied"), "{format}");

        let output = copydesk(dir.path(), &["check", "--fix", "--format", format, "draft.md"]);
        assert_ne!(
            fs::read(dir.path().join("draft.md")).unwrap(),
            fs::read(&example).unwrap()
        );
        assert!(stderr(&output).contains("Applied "), "{format}: {}", stderr(&output));
        if format == "json" {
            let value: Value = serde_json::from_slice(&output.stdout).unwrap();
            assert!(value["summary"]["fixes_applied"].as_u64().unwrap() > 5);
            assert!(value["files"][0]["fixes_applied"].as_u64().unwrap() > 5);
        }
    }
}

#[test]
fn output_is_the_same_with_one_thread_or_many() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        fs::write(
            dir.path().join(format!("story-{i:02}.md")),
            format!("Story {i} said said the plan , which failed.\n\nThe the end {i}.\n"),
        )
        .unwrap();
    }
    let one = copydesk(dir.path(), &["check", "--threads", "1", "--format", "json", "."]);
    let many = copydesk(dir.path(), &["check", "--threads", "4", "--format", "json", "."]);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(stdout(&one), stdout(&many));
    let paths: Vec<String> = serde_json::from_slice::<Value>(&one.stdout).unwrap()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 40);
}

#[test]
fn progress_bar_only_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        fs::write(dir.path().join(format!("story-{i:02}.md")), "The plan passed.\n").unwrap();
    }
    // Not a terminal: nothing but the report.
    let output = copydesk(dir.path(), &["check", "."]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
    assert!(!stdout(&output).contains("checking"));
    assert!(!stdout(&output).contains('\x1b'));
    // A terminal (a pseudo-terminal from `script`): the bar is drawn on standard error.
    let command = format!("{} check --color never .", env!("CARGO_BIN_EXE_copydesk"));
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .output()
        .expect("script runs");
    assert!(stdout(&output).contains("checking"), "{:?}", stdout(&output));
    assert!(stdout(&output).contains("No problems in 60 files checked."));
    // Few files: no bar even on a terminal.
    let command = format!("{} check --color never story-01.md", env!("CARGO_BIN_EXE_copydesk"));
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .output()
        .expect("script runs");
    assert!(!stdout(&output).contains("checking"), "{:?}", stdout(&output));
}
