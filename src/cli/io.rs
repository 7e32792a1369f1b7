//! Reading drafts and writing fixed drafts without losing anything.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context as _, bail};

const BOM: &str = "\u{feff}";

/// A draft as read from disk.
pub struct Draft {
    /// The text without a byte-order mark.
    pub text: String,
    /// Whether the file started with a UTF-8 byte-order mark.
    pub bom: bool,
    stamp: Option<(u64, Option<SystemTime>)>,
}

impl Draft {
    pub fn from_bytes(bytes: Vec<u8>, path: &Path) -> anyhow::Result<Draft> {
        if bytes.iter().take(8192).any(|&b| b == 0) {
            bail!(
                "{}: binary file (contains NUL bytes), not a Markdown draft",
                path.display()
            );
        }
        let mut text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&error.as_bytes()[..offset]).into_owned();
                let line = valid.matches('\n').count() + 1;
                bail!(
                    "{}: not valid UTF-8 (invalid byte at offset {offset}, line {line})",
                    path.display()
                );
            }
        };
        let bom = text.starts_with(BOM);
        if bom {
            text.drain(..BOM.len());
        }
        Ok(Draft { text, bom, stamp: None })
    }

    /// The byte length of the byte-order mark, to turn text offsets into file offsets.
    pub fn offset_base(&self) -> usize {
        if self.bom { BOM.len() } else { 0 }
    }

    /// The file's bytes for `text`, with the byte-order mark restored.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() + 3);
        if self.bom {
            bytes.extend_from_slice(BOM.as_bytes());
        }
        bytes.extend_from_slice(text.as_bytes());
        bytes
    }
}

/// Reads a draft, refusing files larger than `max_bytes`.
pub fn read_draft(path: &Path, max_bytes: u64) -> anyhow::Result<Draft> {
    let metadata = fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if metadata.is_dir() {
        bail!("{}: is a directory", path.display());
    }
    if metadata.len() > max_bytes {
        bail!(
            "{}: file is {} MB, larger than the {} MB limit (raise it with --max-file-size)",
            path.display(),
            metadata.len() / 1_000_000,
            max_bytes / 1_000_000
        );
    }
    let bytes = fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut draft = Draft::from_bytes(bytes, path)?;
    draft.stamp = Some((metadata.len(), metadata.modified().ok()));
    Ok(draft)
}

/// Replaces a draft's content atomically: a temporary file in the same folder, flushed to
/// disk, given the original's permissions, then renamed over the original. A symlink is
/// followed and its target replaced, so the link stays a link. If the file changed since it
/// was read, nothing is written.
pub fn write_atomic(path: &Path, draft: &Draft, text: &str) -> anyhow::Result<()> {
    let target: PathBuf = fs::canonicalize(path).with_context(|| format!("{}: cannot resolve path", path.display()))?;
    let metadata = fs::metadata(&target).with_context(|| format!("{}: cannot read metadata", path.display()))?;
    if let Some((len, modified)) = draft.stamp
        && (metadata.len() != len || metadata.modified().ok() != modified)
    {
        bail!("{}: changed on disk while being checked; not written", path.display());
    }
    if metadata.permissions().readonly() {
        bail!("{}: file is read-only; not written", path.display());
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".copydesk-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| {
            format!(
                "{}: cannot create a temporary file in {}",
                path.display(),
                dir.display()
            )
        })?;
    let bytes = draft.encode(text);
    temp.write_all(&bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| {
            format!(
                "{}: cannot write the fixed draft (original left unchanged)",
                path.display()
            )
        })?;
    fs::set_permissions(temp.path(), metadata.permissions())
        .with_context(|| format!("{}: cannot copy permissions (original left unchanged)", path.display()))?;
    temp.persist(&target)
        .map_err(|error| error.error)
        .with_context(|| format!("{}: cannot replace the file (original left unchanged)", path.display()))?;
    Ok(())
}
