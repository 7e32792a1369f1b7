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
        if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
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
/// disk, given the original's permissions and owner, then renamed over the original. A symlink
/// is followed and its target replaced, so the link stays a link. Nothing is written if the
/// file changed since it was read, is read-only, or has other hard links (a rename would cut
/// them off). On any failure the original is left as it was and the temporary file removed.
pub fn write_atomic(path: &Path, draft: &Draft, text: &str) -> anyhow::Result<()> {
    write_atomic_with(path, draft, text, &mut |file, bytes| file.write_all(bytes))
}

/// [`write_atomic`] with the write itself supplied, so tests can make it fail like a full disk.
pub fn write_atomic_with(
    path: &Path,
    draft: &Draft,
    text: &str,
    write: &mut dyn FnMut(&mut fs::File, &[u8]) -> std::io::Result<()>,
) -> anyhow::Result<()> {
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
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.nlink() > 1 {
            bail!(
                "{}: file has {} hard links; not written (replacing it would cut them off)",
                path.display(),
                metadata.nlink()
            );
        }
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
    write(temp.as_file_mut(), &bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| {
            format!(
                "{}: cannot write the fixed draft (original left unchanged)",
                path.display()
            )
        })?;
    fs::set_permissions(temp.path(), metadata.permissions())
        .with_context(|| format!("{}: cannot copy permissions (original left unchanged)", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let temp_metadata = temp.as_file().metadata()?;
        if (temp_metadata.uid(), temp_metadata.gid()) != (metadata.uid(), metadata.gid()) {
            std::os::unix::fs::fchown(temp.as_file(), Some(metadata.uid()), Some(metadata.gid())).with_context(
                || {
                    format!(
                        "{}: cannot keep the file's owner (original left unchanged)",
                        path.display()
                    )
                },
            )?;
        }
    }
    temp.persist(&target)
        .map_err(|error| error.error)
        .with_context(|| format!("{}: cannot replace the file (original left unchanged)", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft_file(dir: &Path, name: &str, content: &[u8]) -> (PathBuf, Draft) {
        let path = dir.join(name);
        fs::write(&path, content).unwrap();
        let draft = read_draft(&path, u64::MAX).unwrap();
        (path, draft)
    }

    fn temp_files(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".copydesk-"))
            .collect()
    }

    #[test]
    fn a_failed_write_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let (path, draft) = draft_file(dir.path(), "draft.md", b"The the end.\n");
        let error = write_atomic_with(&path, &draft, "The end.\n", &mut |_, _| {
            Err(std::io::Error::from_raw_os_error(28)) // ENOSPC: no space left on device
        })
        .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("draft.md: cannot write the fixed draft (original left unchanged)"),
            "{message}"
        );
        assert!(message.contains("No space left on device"), "{message}");
        assert_eq!(fs::read(&path).unwrap(), b"The the end.\n");
        assert!(temp_files(dir.path()).is_empty());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let (path, draft) = draft_file(dir.path(), "draft.md", b"The the end.\n");
        fs::write(&path, b"Someone else's edit, longer than before.\n").unwrap();
        let error = write_atomic(&path, &draft, "The end.\n").unwrap_err();
        assert!(format!("{error:#}").contains("changed on disk while being checked"));
        assert_eq!(fs::read(&path).unwrap(), b"Someone else's edit, longer than before.\n");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_symlinks_and_hard_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (path, draft) = draft_file(dir.path(), "draft.md", b"The the end.\n");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, &draft, "The end.\n").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);

        let (target, _) = draft_file(dir.path(), "target.md", b"The the end.\n");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let draft = read_draft(&link, u64::MAX).unwrap();
        write_atomic(&link, &draft, "The end.\n").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"The end.\n");

        let (original, draft) = draft_file(dir.path(), "linked.md", b"The the end.\n");
        fs::hard_link(&original, dir.path().join("other-name.md")).unwrap();
        let error = write_atomic(&original, &draft, "The end.\n").unwrap_err();
        assert!(format!("{error:#}").contains("hard links"));
        assert_eq!(fs::read(&original).unwrap(), b"The the end.\n");

        let (readonly, draft) = draft_file(dir.path(), "readonly.md", b"The the end.\n");
        fs::set_permissions(&readonly, fs::Permissions::from_mode(0o444)).unwrap();
        let error = write_atomic(&readonly, &draft, "The end.\n").unwrap_err();
        assert!(format!("{error:#}").contains("readonly.md: file is read-only"));
        assert_eq!(fs::read(&readonly).unwrap(), b"The the end.\n");
    }
}
