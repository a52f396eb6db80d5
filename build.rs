//! Gives the binary an identity for the code it was built from, `EDGELINT_BUILD_ID`: a hash of
//! every source file of the crates that decide what a file's findings are. The cache keys its
//! entries with it, so that two builds with different rules, even of the same version, never
//! share findings. And `EDGELINT_VERSION`, what `--version` prints: the version and, in a git
//! checkout, the commit it was built from and that commit's date.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What decides the findings: the engine's crates, the rules, the binary, and the versions of
/// the dependencies.
const SOURCES: &[&str] = &["crates", "rules", "src", "Cargo.lock"];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(&root.join(source), &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        file.strip_prefix(&root).unwrap_or(file).hash(&mut hasher);
        fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo:rustc-env=EDGELINT_BUILD_ID={:016x}", hasher.finish());

    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets it");
    match commit(&root) {
        Some(commit) => println!("cargo:rustc-env=EDGELINT_VERSION={version} ({commit})"),
        None => println!("cargo:rustc-env=EDGELINT_VERSION={version}"),
    }
}

/// The short hash and date of the commit checked out at `root`, when `root` is the top of a git
/// checkout (not a source archive unpacked inside some other repository), and the files whose
/// changes mean another commit.
fn commit(root: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    for watched in ["HEAD", "packed-refs", "refs/heads", "refs/tags"] {
        let path = root.join(git(&["rev-parse", "--git-path", watched])?);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["log", "-1", "--abbrev=9", "--format=%h %cs"]).filter(|commit| !commit.is_empty())
}

/// The Rust sources and manifests under `path` (or `path` itself when it is a file), skipping
/// build output.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "target") {
                collect(&path, files);
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "rs" || extension == "toml")
        {
            files.push(path);
        }
    }
}
