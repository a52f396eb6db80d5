use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::gitignore::GitignoreStack;

/// Directory and file names never descended into unless given explicitly.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git",
    ".hg",
    ".venv",
    "venv",
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    ".tox",
    ".mypy_cache",
];

/// How to turn the paths on the command line into files to lint.
pub struct DiscoveryOptions {
    /// Names (globs matched against each file or directory name) to skip while walking.
    pub exclude: GlobSet,
    /// Skip what `.gitignore` files (and `.git/info/exclude`) ignore.
    pub respect_gitignore: bool,
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        let mut builder = GlobSetBuilder::new();
        for name in DEFAULT_EXCLUDES {
            builder.add(Glob::new(name).expect("default exclude patterns are valid globs"));
        }
        DiscoveryOptions {
            exclude: builder
                .build()
                .expect("default exclude patterns are valid globs"),
            respect_gitignore: true,
        }
    }
}

/// One result of discovery.
#[derive(Debug, PartialEq, Eq)]
pub enum Discovered {
    /// A file to lint.
    File(PathBuf),
    /// A path that could not be walked, with the reason.
    Error { path: PathBuf, message: String },
}

/// Python source files are `.py` and `.pyi`.
pub fn is_python_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("py" | "pyi")
    )
}

/// Lazily yields the files under `paths`, each directory in file-name order.
///
/// A path given explicitly is linted whatever its name, even when an exclude pattern or a
/// `.gitignore` would skip it: the user asked for it.
pub fn discover<'a>(
    paths: &'a [PathBuf],
    options: &'a DiscoveryOptions,
) -> impl Iterator<Item = Discovered> + 'a {
    paths.iter().flat_map(move |root| {
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        let mut gitignore = GitignoreStack::default();
        let entries = walker.filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            if options.exclude.is_match(entry.file_name()) {
                return false;
            }
            let is_dir = entry.file_type().is_dir();
            !(options.respect_gitignore && gitignore.is_ignored(entry.path(), is_dir))
        });
        entries.filter_map(|entry| match entry {
            Ok(entry) if entry.file_type().is_dir() => None,
            Ok(entry) if entry.depth() == 0 || is_python_path(entry.path()) => {
                Some(Discovered::File(entry.into_path()))
            }
            Ok(_) => None,
            Err(error) => {
                let path = error.path().unwrap_or(Path::new("")).to_path_buf();
                let message = describe_walk_error(&error);
                Some(Discovered::Error { path, message })
            }
        })
    })
}

fn describe_walk_error(error: &walkdir::Error) -> String {
    if let Some(ancestor) = error.loop_ancestor() {
        return format!(
            "symbolic link loop: it points back to {}",
            ancestor.display()
        );
    }
    match error.io_error() {
        Some(io) => crate::read::describe_io_error(io),
        None => error.to_string(),
    }
}
