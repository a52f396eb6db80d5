//! Writing a file back (fixes, `--add-noqa`) without ever losing it: the new text goes to a
//! temporary file beside the original, which then replaces it in one rename. A file that
//! changed on disk since it was read, or that is read-only, is left alone.

use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::read::describe_io_error;

/// Why a file was not written; the file is as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceWriteError {
    pub message: String,
}

impl fmt::Display for SourceWriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SourceWriteError {}

fn failed(message: impl Into<String>) -> SourceWriteError {
    SourceWriteError {
        message: message.into(),
    }
}

/// Replaces the contents of the file at `path` with `new`, provided it still holds `original`
/// (the bytes that were read and changed). The file keeps its permissions and, where the
/// system allows, its owner; a symbolic link keeps pointing at the file, which is replaced.
pub fn replace_if_unchanged(
    path: &Path,
    original: &[u8],
    new: &[u8],
) -> Result<(), SourceWriteError> {
    let target = std::fs::canonicalize(path).map_err(|error| failed(describe_io_error(&error)))?;
    let metadata = std::fs::metadata(&target).map_err(|error| failed(describe_io_error(&error)))?;
    if metadata.permissions().readonly() {
        return Err(failed("the file is read-only"));
    }
    let current = std::fs::read(&target).map_err(|error| failed(describe_io_error(&error)))?;
    if current != original {
        return Err(failed("the file changed on disk after edgelint read it"));
    }

    let directory = target.parent().unwrap_or(Path::new("."));
    let cannot = |error: std::io::Error| {
        failed(format!(
            "cannot write beside it in {}: {}",
            directory.display(),
            describe_io_error(&error)
        ))
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".edgelint-")
        .suffix(".tmp")
        .tempfile_in(directory)
        .map_err(cannot)?;
    temporary.write_all(new).map_err(cannot)?;
    temporary.flush().map_err(cannot)?;
    std::fs::set_permissions(temporary.path(), metadata.permissions()).map_err(cannot)?;
    keep_owner(temporary.path(), &metadata);
    // Dropping the temporary file on an error above removes it.
    temporary
        .persist(&target)
        .map_err(|error| cannot(error.error))?;
    Ok(())
}

/// Gives the new file the old one's owner and group; only a privileged process can, and
/// otherwise the new file is the writer's, as with any editor that saves by renaming.
#[cfg(unix)]
fn keep_owner(path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::chown(path, Some(metadata.uid()), Some(metadata.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_path: &Path, _metadata: &std::fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("module.py");
        std::fs::write(&path, text).unwrap();
        (directory, path)
    }

    fn directory_entries(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(directory)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_contents_and_leaves_no_temporary_file() {
        let (directory, path) = file_with("old\n");
        replace_if_unchanged(&path, b"old\n", b"new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(directory_entries(directory.path()), ["module.py"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let (_directory, path) = file_with("old\n");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o754)).unwrap();
        replace_if_unchanged(&path, b"old\n", b"new\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o754);
    }

    #[test]
    fn a_read_only_file_is_left_alone() {
        let (directory, path) = file_with("old\n");
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();
        let error = replace_if_unchanged(&path, b"old\n", b"new\n").unwrap_err();
        assert_eq!(error.message, "the file is read-only");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(directory_entries(directory.path()), ["module.py"]);
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let (directory, path) = file_with("old\n");
        // Someone saves the file between edgelint's read and its write.
        std::fs::write(&path, "edited meanwhile\n").unwrap();
        let error = replace_if_unchanged(&path, b"old\n", b"new\n").unwrap_err();
        assert!(error.message.contains("changed on disk"), "{error}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "edited meanwhile\n"
        );
        assert_eq!(directory_entries(directory.path()), ["module.py"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link_to_the_replaced_file() {
        let (directory, path) = file_with("old\n");
        let link = directory.path().join("link.py");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        replace_if_unchanged(&link, b"old\n", b"new\n").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let directory = tempfile::tempdir().unwrap();
        let error =
            replace_if_unchanged(&directory.path().join("gone.py"), b"", b"new").unwrap_err();
        assert_eq!(error.message, "no such file or directory");
    }
}
