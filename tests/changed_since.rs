//! `copydesk check --changed-since REV` on a temporary git repository with two commits:
//! edited lines, new files, renames, CRLF files, uncommitted and untracked drafts, standard
//! input, fixing only changed lines, and the errors.

mod common;

use std::fs;
use std::path::Path;

use common::{copydesk, copydesk_stdin, git, stderr, stdout};
use serde_json::Value;

const OLD: &str = "The old story said said the plan.\n\nIt stalled , officials said.\n\nThe end.\n";
/// OLD with line 5 edited to carry a new finding; the old findings on lines 1 and 3 stay.
const EDITED: &str = "The old story said said the plan.\n\nIt stalled , officials said.\n\nThe the end.\n";

/// A story unlike the others (so that git does not take it for a copy or a rename).
const NEW: &str = "A fresh report noted noted a gap.\n\nCouncil members met , briefly.\n";

/// A repository whose first commit has `old.md`, `moved.md`, `crlf.md` and `untouched.md`,
/// and whose second commit edits `old.md` and `crlf.md`, renames `moved.md` to `renamed.md`
/// (editing one line) and adds `new.md`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    fs::write(root.join("old.md"), OLD).unwrap();
    fs::write(root.join("moved.md"), OLD).unwrap();
    fs::write(root.join("crlf.md"), OLD.replace('\n', "\r\n")).unwrap();
    fs::write(root.join("untouched.md"), OLD).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);
    fs::write(root.join("old.md"), EDITED).unwrap();
    fs::write(root.join("crlf.md"), EDITED.replace('\n', "\r\n")).unwrap();
    git(root, &["mv", "moved.md", "renamed.md"]);
    fs::write(root.join("renamed.md"), EDITED).unwrap();
    fs::write(root.join("new.md"), NEW).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "second"]);
    dir
}

/// `(path, line)` of every finding in a JSON report.
fn findings(output: &std::process::Output) -> Vec<(String, u64)> {
    let value: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}{}", stdout(output), stderr(output)));
    let mut found = Vec::new();
    for file in value["files"].as_array().unwrap() {
        for diagnostic in file["diagnostics"].as_array().unwrap() {
            found.push((
                file["path"].as_str().unwrap().trim_start_matches("./").to_string(),
                diagnostic["start"]["line"].as_u64().unwrap(),
            ));
        }
    }
    found
}

fn check(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--select",
        "repeated-word,stray-punctuation",
    ];
    args.extend_from_slice(extra);
    copydesk(dir, &args)
}

#[test]
fn only_findings_on_changed_lines_are_reported() {
    let repo = repository();
    let all = check(repo.path(), &["."]);
    assert_eq!(findings(&all).len(), 13, "{:?}", findings(&all));

    let output = check(repo.path(), &["--changed-since", "HEAD~1", "."]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        findings(&output),
        vec![
            // CRLF line endings count lines as LF does.
            ("crlf.md".to_string(), 5),
            // A new file: every line is new.
            ("new.md".to_string(), 1),
            ("new.md".to_string(), 3),
            ("old.md".to_string(), 5),
            // A renamed file: only its edited line.
            ("renamed.md".to_string(), 5),
        ]
    );
    // Files with no changed line are not even read: they are not in the report.
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    assert!(!paths.iter().any(|path| path.ends_with("untouched.md")), "{paths:?}");

    // Nothing changed since HEAD: clean.
    let output = check(repo.path(), &["--changed-since", "HEAD", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(findings(&output).is_empty());
}

#[test]
fn uncommitted_and_untracked_drafts_count_as_changed() {
    let repo = repository();
    fs::write(
        repo.path().join("untouched.md"),
        format!("{OLD}\nA fresh line with with a slip.\n"),
    )
    .unwrap();
    fs::write(repo.path().join("draft.md"), "Not yet added added.\n").unwrap();
    let output = check(repo.path(), &["--changed-since", "HEAD", "."]);
    assert_eq!(
        findings(&output),
        vec![("draft.md".to_string(), 1), ("untouched.md".to_string(), 7)]
    );
}

#[test]
fn works_from_a_subfolder_and_on_standard_input() {
    let repo = repository();
    fs::create_dir(repo.path().join("desk")).unwrap();
    fs::write(repo.path().join("desk/story.md"), OLD).unwrap();
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "third"]);
    let desk = repo.path().join("desk");
    fs::write(desk.join("story.md"), EDITED).unwrap();
    let output = check(&desk, &["--changed-since", "HEAD", "story.md"]);
    assert_eq!(findings(&output), vec![("story.md".to_string(), 5)]);

    // Standard input is compared with the file at REV, not with the file on disk.
    let buffer = format!("{OLD}Typed in the the editor.\n");
    let output = copydesk_stdin(
        &desk,
        &[
            "check",
            "--format",
            "json",
            "--changed-since",
            "HEAD",
            "--stdin-filename",
            "story.md",
            "-",
        ],
        buffer.as_bytes(),
    );
    assert_eq!(findings(&output), vec![("story.md".to_string(), 6)]);
}

#[test]
fn fix_changes_only_changed_lines() {
    let repo = repository();
    let output = copydesk(
        repo.path(),
        &["check", "--fix", "--changed-since", "HEAD~1", "old.md", "untouched.md"],
    );
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(
        fs::read_to_string(repo.path().join("old.md")).unwrap(),
        "The old story said said the plan.\n\nIt stalled , officials said.\n\nThe end.\n"
    );
    assert_eq!(fs::read_to_string(repo.path().join("untouched.md")).unwrap(), OLD);
    assert!(stdout(&output).contains("Applied 1 fix."), "{}", stdout(&output));
}

#[test]
fn errors_outside_a_repository_and_for_an_unknown_revision() {
    let repo = repository();
    let output = check(repo.path(), &["--changed-since", "no-such-branch", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--changed-since: unknown revision `no-such-branch`"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());

    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("story.md"), OLD).unwrap();
    let output = copydesk(outside.path(), &["check", "--changed-since", "HEAD", "story.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--changed-since needs a git repository"),
        "{}",
        stderr(&output)
    );
}
