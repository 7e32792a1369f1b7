//! Turning the command line's paths into the list of drafts to check.
//!
//! - `-` is standard input.
//! - A folder is searched for `*.md` and `*.markdown`, honouring `.gitignore` and skipping
//!   hidden files; a folder without drafts is an error.
//! - A path that does not exist but contains `*`, `?`, `[` or `{` is a glob, expanded by
//!   copydesk itself (so a quoted pattern works the same on every shell and platform): `*`
//!   stays within a folder, `**` crosses folders, and the walk honours `.gitignore` as for
//!   folders. Every matching file is checked, whatever its extension. A glob that matches
//!   nothing is an error naming the pattern.
//!
//! The result is deterministic: files found in a folder or by a glob are sorted, and a file
//! named twice is checked once.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

pub enum Input {
    Stdin,
    File(PathBuf),
}

/// Expands the command line's paths into inputs, in a deterministic order. Problems (a
/// missing path, a folder without drafts, a glob matching nothing) go to `errors`, naming
/// the path; the other paths are still expanded.
pub fn collect_inputs(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stdin_seen = false;
    let mut push = |inputs: &mut Vec<Input>, path: PathBuf| {
        if seen.insert(path.clone()) {
            inputs.push(Input::File(path));
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            if !stdin_seen {
                inputs.push(Input::Stdin);
                stdin_seen = true;
            }
            continue;
        }
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                let found = walk_drafts(path, errors);
                if found.is_empty() {
                    errors.push(format!(
                        "{}: no Markdown drafts (*.md, *.markdown) found in this folder",
                        path.display()
                    ));
                }
                for file in found {
                    push(&mut inputs, file);
                }
            }
            Ok(_) => push(&mut inputs, path.clone()),
            Err(error) if error.kind() == io::ErrorKind::NotFound && is_glob(path) => match expand_glob(path, errors) {
                Some(found) if !found.is_empty() => {
                    for file in found {
                        push(&mut inputs, file);
                    }
                }
                Some(_) => errors.push(format!("{}: no files match this pattern", path.display())),
                None => {}
            },
            Err(error) => errors.push(format!("{}: {}", path.display(), describe_io(path, &error))),
        }
    }
    inputs
}

/// Says what went wrong with a path in words, telling a broken symbolic link from a missing file.
pub fn describe_io(path: &Path, error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound if std::fs::symlink_metadata(path).is_ok() => {
            "broken symbolic link (its target does not exist)".to_string()
        }
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotADirectory => "not a directory (a part of the path is a file)".to_string(),
        _ => error.to_string(),
    }
}

fn is_glob(path: &Path) -> bool {
    path.to_str().is_some_and(|text| text.contains(['*', '?', '[', '{']))
}

fn is_draft(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md" || ext == "markdown")
}

fn walk_drafts(dir: &Path, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(dir, errors, |path| {
        if is_draft(path) {
            found.push(path.to_path_buf());
        }
    });
    found.sort();
    found
}

fn walk(dir: &Path, errors: &mut Vec<String>, mut visit: impl FnMut(&Path)) {
    let walker = ignore::WalkBuilder::new(dir).require_git(false).build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                if is_file {
                    visit(entry.path());
                }
            }
            Err(error) => errors.push(walk_error(dir, &error)),
        }
    }
}

fn walk_error(dir: &Path, error: &ignore::Error) -> String {
    let message = error.to_string();
    if message.contains(&*dir.to_string_lossy()) {
        message
    } else {
        format!("{}: {message}", dir.display())
    }
}

/// The files matching a glob, sorted; `None` when the pattern itself is invalid (reported).
fn expand_glob(pattern_path: &Path, errors: &mut Vec<String>) -> Option<Vec<PathBuf>> {
    let pattern = pattern_path.to_string_lossy().replace('\\', "/");
    let pattern = pattern.trim_start_matches("./").to_string();
    let matcher = match globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
    {
        Ok(glob) => glob.compile_matcher(),
        Err(error) => {
            errors.push(format!("{}: invalid pattern: {}", pattern_path.display(), error.kind()));
            return None;
        }
    };
    // Walk from the longest leading run of folders without a wildcard.
    let literal: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !part.contains(['*', '?', '[', '{']))
        .collect();
    let base = literal.join("/");
    let (walk_root, strip_dot) = if base.is_empty() {
        (PathBuf::from("."), true)
    } else if base.starts_with('/') || Path::new(&base).is_dir() {
        (PathBuf::from(&base), false)
    } else {
        return Some(Vec::new());
    };
    let mut found = Vec::new();
    walk(&walk_root, errors, |path| {
        let shown = if strip_dot {
            path.strip_prefix(".").unwrap_or(path)
        } else {
            path
        };
        if matcher.is_match(shown) {
            found.push(shown.to_path_buf());
        }
    });
    found.sort();
    Some(found)
}
