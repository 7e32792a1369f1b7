//! `--changed-since REV`: which lines of which files were added or changed since a git
//! revision, so that only findings on those lines are reported.
//!
//! One `git diff --unified=0 REV` against the working tree gives the changed lines of every
//! tracked file, with renames followed (a renamed file counts only its edited lines); files
//! git does not track yet are new, so every line of them counts. Standard input is compared
//! with the file's content at REV directly, since it may differ from the file on disk.
//! Line numbers are git's: lines end at `\n`, so CRLF files count as they do everywhere else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

/// The lines of one file that count as changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangedLines {
    /// A file new since REV (or not known to git): every line.
    All,
    /// Sorted, disjoint, inclusive 1-based line ranges. Empty: nothing changed.
    Lines(Vec<(usize, usize)>),
}

impl ChangedLines {
    pub fn none() -> ChangedLines {
        ChangedLines::Lines(Vec::new())
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, ChangedLines::Lines(lines) if lines.is_empty())
    }

    /// Whether any line of `first..=last` changed.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        match self {
            ChangedLines::All => true,
            ChangedLines::Lines(lines) => {
                let idx = lines.partition_point(|&(_, end)| end < first);
                lines.get(idx).is_some_and(|&(start, _)| start <= last)
            }
        }
    }

    pub fn from_ranges(ranges: Vec<(usize, usize)>) -> ChangedLines {
        ChangedLines::Lines(copydesk::text::merge_line_spans(ranges))
    }
}

/// What changed in a repository since a revision.
pub struct Changes {
    rev: String,
    /// The repository's top folder, canonical.
    root: PathBuf,
    /// Changed lines by path relative to the root, for files changed or added since REV.
    files: HashMap<PathBuf, ChangedLines>,
    /// New path -> old path, for files renamed since REV.
    renamed_from: HashMap<PathBuf, PathBuf>,
}

impl Changes {
    /// Asks git from the working folder. Errors: git missing, not in a repository, REV unknown.
    pub fn load(rev: &str) -> anyhow::Result<Changes> {
        let cwd = std::env::current_dir().context("--changed-since: cannot read the working folder")?;
        let toplevel = git(&cwd, &["rev-parse", "--show-toplevel"]).map_err(|error| {
            anyhow::anyhow!(
                "--changed-since needs a git repository, and {} is not inside one ({error})",
                cwd.display()
            )
        })?;
        let root = PathBuf::from(String::from_utf8_lossy(&toplevel).trim_end_matches(['\n', '\r']));
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let verify = format!("{rev}^{{commit}}");
        if git(
            &root,
            &["rev-parse", "--verify", "--quiet", "--end-of-options", &verify],
        )
        .is_err()
        {
            bail!(
                "--changed-since: unknown revision `{rev}` in the repository at {}",
                root.display()
            );
        }
        let diff = git(
            &root,
            &[
                "-c",
                "core.quotePath=false",
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--find-renames",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                rev,
                "--",
            ],
        )?;
        let (mut files, renamed_from) = parse_diff(&String::from_utf8_lossy(&diff));
        let untracked = git(&root, &["ls-files", "-z", "--others", "--exclude-standard"])?;
        for path in untracked.split(|&b| b == 0).filter(|p| !p.is_empty()) {
            files.insert(
                PathBuf::from(String::from_utf8_lossy(path).into_owned()),
                ChangedLines::All,
            );
        }
        Ok(Changes {
            rev: rev.to_string(),
            root,
            files,
            renamed_from,
        })
    }

    /// The path of a file relative to the repository's root, or `None` when it lies outside.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = std::fs::canonicalize(path).ok().or_else(|| {
            // Standard input may be named after a file that does not exist (yet).
            let joined = std::env::current_dir().ok()?.join(path);
            let parent = std::fs::canonicalize(joined.parent()?).ok()?;
            Some(parent.join(joined.file_name()?))
        })?;
        absolute.strip_prefix(&self.root).ok().map(Path::to_path_buf)
    }

    /// The changed lines of a file on disk. A file outside the repository counts as all new.
    pub fn for_file(&self, path: &Path) -> ChangedLines {
        match self.relative(path) {
            Some(relative) => self.files.get(&relative).cloned().unwrap_or_else(ChangedLines::none),
            None => ChangedLines::All,
        }
    }

    /// The changed lines of `text`, read from standard input and named `path`: compared with
    /// the file's content at REV (following a rename since REV).
    pub fn for_text(&self, path: &Path, text: &str) -> anyhow::Result<ChangedLines> {
        let Some(relative) = self.relative(path) else {
            return Ok(ChangedLines::All);
        };
        let old_path = self.renamed_from.get(&relative).unwrap_or(&relative);
        let spec = format!("{}:{}", self.rev, old_path.to_string_lossy().replace('\\', "/"));
        let Ok(old) = git(&self.root, &["cat-file", "blob", &spec]) else {
            return Ok(ChangedLines::All);
        };
        let old = String::from_utf8_lossy(&old);
        Ok(changed_lines_between(&old, text))
    }
}

/// The lines of `new` that are not in `old`, by a line diff (line endings ignored, as git's
/// default diff does not ignore them but a draft piped from an editor may differ only there).
pub fn changed_lines_between(old: &str, new: &str) -> ChangedLines {
    let old = old.replace("\r\n", "\n");
    let new = new.replace("\r\n", "\n");
    let diff = similar::TextDiff::from_lines(&old, &new);
    let mut ranges = Vec::new();
    for op in diff.ops() {
        if let similar::DiffOp::Insert { new_index, new_len, .. } | similar::DiffOp::Replace { new_index, new_len, .. } =
            *op
            && new_len > 0
        {
            ranges.push((new_index + 1, new_index + new_len));
        }
    }
    ChangedLines::from_ranges(ranges)
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_EXTERNAL_DIFF")
        .output()
        .map_err(|error| anyhow::anyhow!("--changed-since: cannot run git: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("{}", stderr.trim());
    }
    Ok(output.stdout)
}

/// Reads `git diff --unified=0` output: the new side's added lines per file, and renames.
fn parse_diff(diff: &str) -> (HashMap<PathBuf, ChangedLines>, HashMap<PathBuf, PathBuf>) {
    let mut files: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
    let mut renamed_from = HashMap::new();
    let mut current: Option<PathBuf> = None;
    let mut rename_from: Option<PathBuf> = None;
    for line in diff.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with("diff --git ") {
            current = None;
            rename_from = None;
        } else if let Some(from) = line.strip_prefix("rename from ") {
            rename_from = Some(PathBuf::from(unquote(from)));
        } else if let Some(to) = line.strip_prefix("rename to ") {
            if let Some(from) = rename_from.take() {
                renamed_from.insert(PathBuf::from(unquote(to)), from);
            }
        } else if let Some(target) = line.strip_prefix("+++ ") {
            let target = unquote(target);
            current = target.strip_prefix("b/").map(PathBuf::from);
            if let Some(path) = &current {
                files.entry(path.clone()).or_default();
            }
        } else if let Some(hunk) = line.strip_prefix("@@ ")
            && let Some(path) = &current
            && let Some((start, count)) = parse_hunk_new_side(hunk)
            && count > 0
        {
            files.entry(path.clone()).or_default().push((start, start + count - 1));
        }
    }
    let files = files
        .into_iter()
        .map(|(path, ranges)| (path, ChangedLines::from_ranges(ranges)))
        .collect();
    (files, renamed_from)
}

/// `-a,b +c,d @@ ...` -> `(c, d)`; a missing count is 1.
fn parse_hunk_new_side(hunk: &str) -> Option<(usize, usize)> {
    let new_side = hunk.split(' ').find_map(|part| part.strip_prefix('+'))?;
    let (start, count) = match new_side.split_once(',') {
        Some((start, count)) => (start.parse().ok()?, count.parse().ok()?),
        None => (new_side.parse().ok()?, 1),
    };
    Some((start, count))
}

/// Undoes git's C-style quoting of unusual paths (`"a/caf\303\251 \"x\".md"`).
fn unquote(text: &str) -> String {
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return text.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(7),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'v') => bytes.push(11),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    if let Some(&next @ b'0'..=b'7') = chars.peek() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_output_gives_added_lines_and_renames() {
        let diff = "diff --git a/old.md b/new.md\nsimilarity index 90%\nrename from old.md\nrename to new.md\n--- a/old.md\n+++ b/new.md\n@@ -3 +3 @@ x\n-a\n+b\n@@ -9,0 +10,2 @@\n+c\n+d\ndiff --git a/gone.md b/gone.md\n--- a/gone.md\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\ndiff --git \"a/caf\\303\\251.md\" \"b/caf\\303\\251.md\"\n--- \"a/caf\\303\\251.md\"\n+++ \"b/caf\\303\\251.md\"\n@@ -1,2 +1 @@\n-a\n-b\n+c\n";
        let (files, renamed) = parse_diff(diff);
        assert_eq!(files[Path::new("new.md")], ChangedLines::Lines(vec![(3, 3), (10, 11)]));
        assert_eq!(files[Path::new("café.md")], ChangedLines::Lines(vec![(1, 1)]));
        assert!(!files.contains_key(Path::new("gone.md")));
        assert_eq!(renamed[Path::new("new.md")], PathBuf::from("old.md"));
    }

    #[test]
    fn touches_finds_overlapping_ranges() {
        let lines = ChangedLines::from_ranges(vec![(10, 11), (3, 3), (4, 5)]);
        assert_eq!(lines, ChangedLines::Lines(vec![(3, 5), (10, 11)]));
        assert!(lines.touches(5, 7));
        assert!(!lines.touches(6, 9));
        assert!(lines.touches(1, 20));
        assert!(!lines.touches(12, 12));
        assert!(ChangedLines::All.touches(1, 1));
    }

    #[test]
    fn text_diff_ignores_line_endings() {
        let changed = changed_lines_between("a\r\nb\r\nc\r\n", "a\nB\nc\nd\n");
        assert_eq!(changed, ChangedLines::Lines(vec![(2, 2), (4, 4)]));
    }
}
