//! Running the built binary on scratch projects.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `edgelint` binary, run in `directory`, with no colour and no format from the
/// environment.
pub fn edgelint(directory: &Path) -> Command {
    let mut command = Command::cargo_bin("edgelint").unwrap();
    command
        .current_dir(directory)
        .env_remove("EDGELINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1");
    command
}

/// A scratch project with the given files.
pub fn project(files: &[(&str, &str)]) -> TempDir {
    let directory = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = directory.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    directory
}
