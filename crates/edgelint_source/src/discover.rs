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
    ".edgelint_cache",
];

/// How to turn the paths on the command line into files to lint.
pub struct DiscoveryOptions {
    /// Names (globs matched against each file or directory name) to skip while walking.
    pub exclude: GlobSet,
    /// Globs with a `/`, matched against paths relative to `exclude_root`.
    pub exclude_paths: GlobSet,
    /// What `exclude_paths` are relative to (the configuration's directory).
    pub exclude_root: PathBuf,
    /// Skip what `.gitignore` files (and `.git/info/exclude`) ignore.
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

/// Python source files are `.py` and `.pyi`.
pub fn is_python_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("py" | "pyi" | "ipynb")
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
        let forced_out = options.force_exclude && options.is_excluded_with_ancestors(root);
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        let mut gitignore = GitignoreStack::default();
        let entries = walker.filter_entry(move |entry| {
            if entry.depth() == 0 {
                return !forced_out;
            }
            if options.is_excluded(entry.path()) {
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
