//! `--fix` under file-system faults, driving the real binary: a full disk, a read-only file,
//! mixed line endings, no final newline. The original draft is never truncated or lost and
//! every error names the file. (Unit tests in `src/cli/io.rs` cover a file replaced while
//! being checked, symlinks, hard links, permissions and an injected write error.)

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("copydesk runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn line_endings_and_a_missing_final_newline_survive_fixing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    fs::write(
        &path,
        "The the end.\r\nA second , line.\nA third line\rwith the the cr.",
    )
    .unwrap();
    let output = copydesk(
        dir.path(),
        &[
            "check",
            "--fix",
            "--select",
            "repeated-word,stray-punctuation",
            "draft.md",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "The end.\r\nA second, line.\nA third line\rwith the cr."
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_draft_is_reported_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.md");
    fs::write(&path, "The the end.\n").unwrap();
    fs::write(dir.path().join("open.md"), "The the end.\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let output = copydesk(dir.path(), &["check", "--fix", "locked.md", "open.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("locked.md: file is read-only; not written"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "The the end.\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("open.md")).unwrap(),
        "The end.\n",
        "the other file is fixed"
    );
}

/// A real full disk: a 64 KiB tmpfs holding a 40 KB draft has no room for the fixed copy.
/// Mounting needs privileges; where the sandbox refuses, the injected-error unit test in
/// `src/cli/io.rs` covers the same path and this test says so on its output.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_original_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small");
    fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mount)
        .output()
        .is_ok_and(|output| output.status.success());
    if !mounted {
        println!("tmpfs mount not permitted here; the injected write error test covers a full disk");
        return;
    }
    let draft = format!(
        "The the end.\n\n{}",
        "Filler text for the council story.\n\n".repeat(1100)
    );
    let path = mount.join("big.md");
    let result = fs::write(&path, &draft);
    let output = result.map(|()| copydesk(&mount, &["check", "--fix", "--select", "repeated-word", "big.md"]));
    let after = fs::read_to_string(&path);
    let leftovers: Vec<_> = fs::read_dir(&mount).unwrap().map(|e| e.unwrap().file_name()).collect();
    let _ = Command::new("umount").arg(&mount).status();
    let output = output.expect("the draft fits on the small disk");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("big.md: cannot write the fixed draft (original left unchanged)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(after.unwrap(), draft, "the original is intact");
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind: {leftovers:?}");
}
