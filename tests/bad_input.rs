//! Bad input: every problem is a clear message naming the path, the exit code is 2, and the
//! other files are still checked and reported. A configuration mistake stops the run.

mod common;

use std::fs;

use common::{copydesk, stderr, stdout};
use serde_json::Value;

const DIRTY: &str = "The mayor said said the plan , which failed, was costly.\n";

#[test]
fn each_bad_path_is_named_and_the_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("good.md"), DIRTY).unwrap();
    fs::write(root.join("binary.md"), b"PK\x03\x04\x00\x00binary").unwrap();
    fs::write(root.join("latin1.md"), b"Caf\xe9 au lait.\n").unwrap();
    // 50 MB, sparse: refused by its size before it is read.
    fs::File::create(root.join("huge.md"))
        .unwrap()
        .set_len(50_000_000)
        .unwrap();
    std::os::unix::fs::symlink("nowhere.md", root.join("dangling.md")).unwrap();
    fs::create_dir(root.join("empty")).unwrap();
    fs::write(root.join("empty/notes.txt"), "not a draft").unwrap();
    let output = copydesk(
        root,
        &[
            "check",
            "--format",
            "json",
            "missing.md",
            "good.md/inside.md",
            "dangling.md",
            "empty",
            "binary.md",
            "latin1.md",
            "huge.md",
            "drafts/*.md",
            "good.md",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    for expected in [
        "error: missing.md: no such file or directory",
        "error: good.md/inside.md: not a directory (a part of the path is a file)",
        "error: dangling.md: broken symbolic link (its target does not exist)",
        "error: empty: no Markdown drafts (*.md, *.markdown) found in this folder",
        "error: drafts/*.md: no files match this pattern",
        "error: binary.md: binary file (contains NUL bytes), not a Markdown draft",
        "error: latin1.md: not valid UTF-8 (invalid byte at offset 3, line 1)",
        "error: huge.md: file is 50 MB, larger than the 16 MB limit (raise it with --max-file-size)",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in:\n{errors}");
    }
    let value: Value = serde_json::from_slice(&output.stdout).expect("the report is still written");
    let files = value["files"].as_array().unwrap();
    let good = files.iter().find(|file| file["path"] == "good.md").unwrap();
    assert_eq!(good["diagnostics"].as_array().unwrap().len(), 2);
    let huge = files.iter().find(|file| file["path"] == "huge.md").unwrap();
    assert!(huge["error"].as_str().unwrap().contains("16 MB limit"));
    assert_eq!(value["summary"]["files_checked"], 1);
    assert_eq!(value["summary"]["files_failed"], 3);
    assert_eq!(value["summary"]["errors"].as_array().unwrap().len(), 8);
    // The summary says so too.
    let output = copydesk(root, &["check", "binary.md", "good.md"]);
    assert!(
        stdout(&output).contains("in 1 of 1 file checked; 1 file could not be checked or written."),
        "{}",
        stdout(&output)
    );
    // In GitHub's format every error is an annotation too, on its file when it has one.
    let output = copydesk(
        root,
        &["check", "--format", "github", "missing.md", "binary.md", "good.md"],
    );
    assert_eq!(output.status.code(), Some(2));
    let annotations = stdout(&output);
    assert!(
        annotations.contains("::error title=copydesk::missing.md: no such file or directory\n"),
        "{annotations}"
    );
    assert!(
        annotations.contains("::error file=binary.md,title=copydesk::binary.md: binary file"),
        "{annotations}"
    );
    assert!(annotations.contains("::warning file=good.md,line=1"), "{annotations}");
    // The limit can be raised.
    let output = copydesk(root, &["check", "--max-file-size", "60", "huge.md"]);
    assert!(stderr(&output).contains("huge.md: binary file"), "{}", stderr(&output));
}

#[test]
fn globs_are_expanded_by_copydesk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("desk/2024")).unwrap();
    fs::write(root.join("desk/a.md"), DIRTY).unwrap();
    fs::write(root.join("desk/2024/b.md"), DIRTY).unwrap();
    fs::write(root.join("desk/2024/c.txt"), DIRTY).unwrap();
    fs::write(root.join("top.md"), DIRTY).unwrap();
    let paths = |pattern: &str| -> Vec<String> {
        let output = copydesk(root, &["check", "--format", "json", pattern]);
        let value: Value = serde_json::from_slice(&output.stdout).unwrap();
        value["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|file| file["path"].as_str().unwrap().to_string())
            .collect()
    };
    // `*` stays in one folder, `**` crosses folders; any extension the pattern names.
    assert_eq!(paths("desk/*.md"), vec!["desk/a.md"]);
    assert_eq!(paths("desk/**/*.md"), vec!["desk/2024/b.md", "desk/a.md"]);
    assert_eq!(paths("**/*.txt"), vec!["desk/2024/c.txt"]);
    assert_eq!(paths("*.md"), vec!["top.md"]);
    assert_eq!(paths("desk/202?/{b,c}.*"), vec!["desk/2024/b.md", "desk/2024/c.txt"]);
    let output = copydesk(root, &["check", "desk/[.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("desk/[.md: invalid pattern"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_configuration_mistake_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("desk")).unwrap();
    fs::write(dir.path().join("good.md"), DIRTY).unwrap();
    fs::write(dir.path().join("desk/story.md"), DIRTY).unwrap();
    fs::write(
        dir.path().join("desk/copydesk.toml"),
        "[rules]\nrepeated-word = \"loud\"\n",
    )
    .unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let output = copydesk(dir.path(), &["check", "--format", format, "good.md", "desk"]);
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(
            stderr(&output).contains("copydesk.toml:2:17: invalid level `loud` for rule `repeated-word`"),
            "{}",
            stderr(&output)
        );
        assert!(
            output.stdout.is_empty(),
            "{format}: nothing is reported: {}",
            stdout(&output)
        );
    }
}
