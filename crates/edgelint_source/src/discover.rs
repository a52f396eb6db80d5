use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::FileKind;

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
    ".edgelint_cache",
];

/// How to turn the paths on the command line into files to lint.
#[derive(Clone)]
pub struct DiscoveryOptions {
    /// Names (globs matched against each file or directory name) to skip while walking.
    pub exclude: GlobSet,
    /// Globs with a `/`, matched against paths relative to `exclude_root`.
    pub exclude_paths: GlobSet,
    /// What `exclude_paths` are relative to (the configuration's directory).
    pub exclude_root: PathBuf,
    /// Skip what git ignores (`.gitignore` files, `.git/info/exclude`, the global excludes
    /// file) and what `.ignore` files list.
    pub respect_gitignore: bool,
    /// Apply the excludes to paths given explicitly too (pre-commit passes every file).
    pub force_exclude: bool,
}

impl DiscoveryOptions {
    /// `exclude` replaces the default excludes; `extend_exclude` adds to them. A pattern with a
    /// `/` is matched against the path relative to `root`, any other against each name in it.
    pub fn new(
        exclude: Option<&[String]>,
        extend_exclude: &[String],
        root: &Path,
    ) -> Result<Self, globset::Error> {
        let defaults: Vec<String> = DEFAULT_EXCLUDES
            .iter()
            .map(|name| name.to_string())
            .collect();
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for pattern in exclude.unwrap_or(&defaults).iter().chain(extend_exclude) {
            let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
            let pattern = pattern.trim_end_matches('/');
            if pattern.contains('/') {
                paths.add(Glob::new(pattern)?);
            } else {
                names.add(Glob::new(pattern)?);
            }
        }
        Ok(DiscoveryOptions {
            exclude: names.build()?,
            exclude_paths: paths.build()?,
            exclude_root: root.to_path_buf(),
            respect_gitignore: true,
            force_exclude: false,
        })
    }

    /// Whether `path` (a file or directory met in the walk) is excluded by a pattern.
    fn is_excluded(&self, path: &Path) -> bool {
        if path
            .file_name()
            .is_some_and(|name| self.exclude.is_match(name))
        {
            return true;
        }
        if self.exclude_paths.is_empty() {
            return false;
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        absolute
            .strip_prefix(&self.exclude_root)
            .is_ok_and(|relative| self.exclude_paths.is_match(relative))
    }

    /// Whether a path named on the command line (or standard input's name) is left out: only
    /// with `force_exclude`, when it or a directory above it is excluded.
    pub fn skips_given_path(&self, path: &Path) -> bool {
        self.force_exclude && self.is_excluded_with_ancestors(path)
    }

    /// Whether `path`, or a folder above it up to `root` (not beyond), is excluded: for a file
    /// an editor opened, whose project may sit in a folder an exclude names.
    pub fn excludes_within(&self, root: &Path, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(root) else {
            return false;
        };
        relative
            .ancestors()
            .take_while(|ancestor| !ancestor.as_os_str().is_empty())
            .any(|ancestor| self.is_excluded(&root.join(ancestor)))
    }

    /// For `force_exclude`: whether an explicitly given path, or a directory above it, is
    /// excluded.
    fn is_excluded_with_ancestors(&self, path: &Path) -> bool {
        path.ancestors()
            .take_while(|ancestor| !ancestor.as_os_str().is_empty() && *ancestor != Path::new("."))
            .any(|ancestor| self.is_excluded(ancestor))
    }
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        DiscoveryOptions::new(None, &[], Path::new("."))
            .expect("default exclude patterns are valid globs")
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

/// The files under `paths`, sorted by path, found by a parallel walk.
///
/// A path given explicitly is linted whatever its name, even when an exclude pattern or a
/// `.gitignore` would skip it: the user asked for it. In the directories walked, what git
/// ignores (`.gitignore` files here and above, `.git/info/exclude`, the global excludes file)
/// and what `.ignore` files list are skipped when `respect_gitignore` is set, in a
/// repository or not.
pub fn discover(paths: &[PathBuf], options: &DiscoveryOptions) -> Vec<Discovered> {
    let found = Mutex::new(Vec::new());
    for root in paths {
        if options.skips_given_path(root) {
            continue;
        }
        match std::fs::metadata(root) {
            Ok(metadata) if metadata.is_dir() => walk(root, options, &found),
            Ok(_) => push(&found, Discovered::File(root.clone())),
            Err(error) => push(
                &found,
                Discovered::Error {
                    path: root.clone(),
                    message: crate::read::describe_io_error(&error),
                },
            ),
        }
    }
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    found.sort_by(|a, b| a.path().cmp(b.path()));
    found
}

/// Walks the directory `root` on several threads, adding the Python files and the errors met.
fn walk(root: &Path, options: &DiscoveryOptions, found: &Mutex<Vec<Discovered>>) {
    let respect = options.respect_gitignore;
    // The walker's threads ask the filter while it runs, so it owns what it asks.
    let excludes = Arc::new(options.clone());
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .hidden(false)
        .parents(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .require_git(false)
        .filter_entry(move |entry| entry.depth() == 0 || !excludes.is_excluded(entry.path()))
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|kind| !kind.is_dir());
                    if is_file && FileKind::of(entry.path()).is_some() {
                        push(found, Discovered::File(entry.into_path()));
                    }
                }
                Err(error) => {
                    let (path, message) = describe_walk_error(&error);
                    push(found, Discovered::Error { path, message });
                }
            }
            WalkState::Continue
        })
    });
}

fn push(found: &Mutex<Vec<Discovered>>, discovered: Discovered) {
    found
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(discovered);
}

impl Discovered {
    fn path(&self) -> &Path {
        match self {
            Discovered::File(path) | Discovered::Error { path, .. } => path,
        }
    }
}

/// The path an error of the walk is about, and what went wrong there.
fn describe_walk_error(error: &ignore::Error) -> (PathBuf, String) {
    match error {
        ignore::Error::WithPath { path, err } => (path.clone(), describe_walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe_walk_error(err)
        }
        ignore::Error::Loop { ancestor, child } => (
            child.clone(),
            format!(
                "symbolic link loop: it points back to {}",
                ancestor.display()
            ),
        ),
        ignore::Error::Io(io) => (PathBuf::new(), crate::read::describe_io_error(io)),
        ignore::Error::Partial(errors) => match errors.first() {
            Some(first) => describe_walk_error(first),
            None => (PathBuf::new(), error.to_string()),
        },
        other => (PathBuf::new(), other.to_string()),
    }
}
