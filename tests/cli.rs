//! End-to-end tests of `copydesk check` and friends, driving the real binary.

mod common;

use std::fs;

use common::{copydesk, copydesk_stdin, stderr, stdout};

const DIRTY: &str = "The mayor said said the plan , which failed, was costly.\n";
const CLEAN: &str = "The mayor said the plan, which failed, was costly.\n";

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("clean.md"), CLEAN).unwrap();
    fs::write(dir.path().join("dirty.md"), DIRTY).unwrap();
    assert_eq!(copydesk(dir.path(), &["check", "clean.md"]).status.code(), Some(0));
    assert_eq!(copydesk(dir.path(), &["check", "dirty.md"]).status.code(), Some(1));
    assert_eq!(
        copydesk(dir.path(), &["check", "--fail-on", "error", "dirty.md"])
            .status
            .code(),
        Some(0)
    );
    let unknown_rule = copydesk(dir.path(), &["check", "--select", "no-such-rule", "dirty.md"]);
    assert_eq!(unknown_rule.status.code(), Some(2));
    assert!(stderr(&unknown_rule).contains("unknown rule `no-such-rule`"));
    let missing = copydesk(dir.path(), &["check", "missing.md", "dirty.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("missing.md: no such file or directory"));
    assert!(
        stdout(&missing).contains("dirty.md:1:11"),
        "the other file is still checked"
    );
    assert_eq!(
        copydesk(dir.path(), &["check", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(
        copydesk(dir.path(), &["check", "--select", "stray-punctuation", "dirty.md"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        copydesk(
            dir.path(),
            &["check", "--ignore", "stray-punctuation,repeated-word", "dirty.md"]
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn human_output_points_at_the_span() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("dirty.md"), DIRTY).unwrap();
    let output = copydesk(dir.path(), &["check", "dirty.md"]);
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_output_has_positions_offsets_and_fixes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("b.md"), DIRTY).unwrap();
    fs::write(dir.path().join("a.md"), "“Café” — 🙂 the the end.\n").unwrap();
    let output = copydesk(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "repeated-word,stray-punctuation",
            ".",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(value["version"], 1);
    let files = value["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files[0]["path"].as_str().unwrap().ends_with("a.md"), "files are sorted");
    let first = &files[0]["diagnostics"][0];
    assert_eq!(first["rule"], "repeated-word");
    // Columns count characters; offsets count bytes.
    assert_eq!(first["start"]["column"], 12);
    assert_eq!(first["start"]["offset"], "“Café” — 🙂 ".len());
    assert_eq!(first["fixes"][0]["applicability"], "safe");
    insta::assert_json_snapshot!(files[1]);
}

#[test]
fn fix_converges_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    fs::write(
        &path,
        "It stalled across the border. , and the the talks resumed ,, slowly .\n",
    )
    .unwrap();
    let output = copydesk(dir.path(), &["check", "--fix", "draft.md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let fixed = fs::read_to_string(&path).unwrap();
    assert_eq!(fixed, "It stalled across the border, and the talks resumed, slowly.\n");
    assert!(stdout(&output).contains("Applied 5 fixes."), "{}", stdout(&output));
    let again = copydesk(dir.path(), &["check", "--fix", "draft.md"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&path).unwrap(), fixed);
}

#[test]
fn fix_keeps_crlf_line_endings_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("crlf.md");
    fs::write(
        &crlf,
        "First line has the the word.\r\nSecond line , too.\r\n\r\nThird.\r\n",
    )
    .unwrap();
    let bom = dir.path().join("bom.md");
    fs::write(&bom, "\u{feff}The the end , now.\n").unwrap();
    let output = copydesk(dir.path(), &["check", "--fix", "crlf.md", "bom.md"]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(
        fs::read_to_string(&crlf).unwrap(),
        "First line has the word.\r\nSecond line, too.\r\n\r\nThird.\r\n"
    );
    assert_eq!(fs::read(&bom).unwrap(), "\u{feff}The end, now.\n".as_bytes());
}

#[test]
fn json_offsets_count_the_bom() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bom.md"), "\u{feff}The the end.\n").unwrap();
    let output = copydesk(dir.path(), &["check", "--format", "json", "bom.md"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &value["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["start"]["offset"], 3);
    assert_eq!(diagnostic["start"]["column"], 1);
    assert_eq!(diagnostic["fixes"][0]["edits"][0]["start"], 6);
}

#[test]
fn invalid_utf8_is_reported_and_the_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.md"), b"Caf\xe9 au lait.\n").unwrap();
    fs::write(dir.path().join("good.md"), DIRTY).unwrap();
    fs::write(dir.path().join("binary.md"), b"\x00\x01\x02").unwrap();
    let output = copydesk(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(
        errors.contains("bad.md: not valid UTF-8 (invalid byte at offset 3, line 1)"),
        "{errors}"
    );
    assert!(errors.contains("binary.md: binary file"), "{errors}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let good = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("good.md"))
        .unwrap();
    assert_eq!(good["diagnostics"].as_array().unwrap().len(), 2);
}

#[test]
fn config_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("draft.md"), DIRTY).unwrap();
    let cases = [
        (
            "style = \"ap\"\nunknown-key = 1\n",
            "copydesk.toml:2:1: unknown field `unknown-key`",
        ),
        (
            "[rules]\nrepeated-wrod = \"off\"\n",
            "copydesk.toml:2:1: unknown rule `repeated-wrod` (did you mean `repeated-word`?)",
        ),
        (
            "[rules]\nrepeated-word = \"loud\"\n",
            "copydesk.toml:2:17: invalid level `loud` for rule `repeated-word`",
        ),
        ("style = \"chicago\"\n", "copydesk.toml:1:9: unknown variant `chicago`"),
        ("[rules\n", "copydesk.toml:1:"),
    ];
    for (config, expected) in cases {
        fs::write(dir.path().join("copydesk.toml"), config).unwrap();
        let output = copydesk(dir.path(), &["check", "draft.md"]);
        assert_eq!(output.status.code(), Some(2), "config {config:?}");
        assert!(
            stderr(&output).contains(expected),
            "config {config:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn config_sets_levels_and_is_found_from_parent_folders() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("desk")).unwrap();
    fs::write(dir.path().join("desk/draft.md"), DIRTY).unwrap();
    fs::write(
        dir.path().join(".copydesk.toml"),
        "[rules]\nrepeated-word = \"off\"\nstray-punctuation = \"error\"\n",
    )
    .unwrap();
    let output = copydesk(dir.path(), &["check", "--format", "json", "desk"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = value["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["rule"], "stray-punctuation");
    assert_eq!(diagnostics[0]["severity"], "error");
}

/// The lines of the first file's findings in `--format json` output.
fn finding_lines(output: &std::process::Output) -> Vec<u64> {
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    value["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["start"]["line"].as_u64().unwrap())
        .collect()
}

#[test]
fn inline_comments_suppress_findings() {
    let dir = tempfile::tempdir().unwrap();
    let draft = "<!-- copydesk-disable-next-line repeated-word -->\nThe the first.\n\nThe the second.\n\n<!-- copydesk-disable -->\nThe the third , too.\n\n<!-- copydesk-enable -->\nThe the fourth.\n";
    fs::write(dir.path().join("draft.md"), draft).unwrap();
    let output = copydesk(dir.path(), &["check", "--format", "json", "draft.md"]);
    let lines = finding_lines(&output);
    assert_eq!(lines, vec![4, 10]);
}

/// Found by the fuzz target `edits`: a comment whose `-->` overlaps its `<!--` (`<!-->`,
/// `<!--->`, both empty comments in CommonMark) made building the model panic. They are
/// comments like any other, and the directives after them still work.
#[test]
fn comments_closed_inside_their_opening_are_empty_comments() {
    let dir = tempfile::tempdir().unwrap();
    let draft = "<!-->\n\nText <!---> here, <!----> and <!-->there.\n\n<!--->\n<!-- copydesk-disable-next-line repeated-word -->\nThe the suppressed.\n\nThe the flagged.\n";
    fs::write(dir.path().join("draft.md"), draft).unwrap();
    let output = copydesk(dir.path(), &["check", "--format", "json", "draft.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = finding_lines(&output);
    assert_eq!(lines, vec![9]);
}

#[test]
fn stdin_is_checked_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let output = copydesk_stdin(dir.path(), &["check", "-"], DIRTY.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("-:1:11"));
    let output = copydesk_stdin(
        dir.path(),
        &["check", "--fix", "--stdin-filename", "desk/story.md", "-"],
        DIRTY.as_bytes(),
    );
    assert_eq!(stdout(&output), CLEAN, "fixed text goes to standard output");
    assert!(stderr(&output).contains("Applied 2 fixes."), "{}", stderr(&output));
    // --stdin-filename alone reads standard input and names it in the output.
    let output = copydesk_stdin(
        dir.path(),
        &["check", "--format", "concise", "--stdin-filename", "desk/story.md"],
        DIRTY.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("desk/story.md:1:11: warning [repeated-word]"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn diff_prints_changes_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("draft.md"), DIRTY).unwrap();
    let output = copydesk(dir.path(), &["check", "--diff", "draft.md"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.contains("-The mayor said said the plan , which failed, was costly."),
        "{out}"
    );
    assert!(
        out.contains("+The mayor said the plan, which failed, was costly."),
        "{out}"
    );
    assert_eq!(fs::read_to_string(dir.path().join("draft.md")).unwrap(), DIRTY);
}

#[test]
fn directories_honour_gitignore_and_extensions() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".gitignore"), "archive/\n").unwrap();
    fs::create_dir(dir.path().join("archive")).unwrap();
    fs::write(dir.path().join("archive/old.md"), DIRTY).unwrap();
    fs::write(dir.path().join("story.markdown"), DIRTY).unwrap();
    fs::write(dir.path().join("notes.txt"), DIRTY).unwrap();
    let output = copydesk(dir.path(), &["check", "--format", "json", "."]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["./story.markdown"]);
    let empty = tempfile::tempdir().unwrap();
    let output = copydesk(empty.path(), &["check", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no Markdown drafts"));
}

#[test]
fn rules_and_rule_documentation() {
    let dir = tempfile::tempdir().unwrap();
    let output = copydesk(dir.path(), &["rules"]);
    assert!(stdout(&output).lines().any(|line| line.starts_with("repeated-word")));
    let output = copydesk(dir.path(), &["rule", "repeated-word"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("## What it does"));
    assert_eq!(copydesk(dir.path(), &["rule", "nope"]).status.code(), Some(2));
}
