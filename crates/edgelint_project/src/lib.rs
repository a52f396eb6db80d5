//! The project index: which file a module name names, and each module's summary.
//!
//! Each file of the run is parsed once: checking a module offers its summary, made from the
//! model built to check it. When a module asks for the summary of one that has not been
//! checked yet, the run is asked to check that one right away, on the same thread (see
//! [`CheckNow`]); only a module outside the run, or one that another thread is just starting to
//! check, is read and parsed once more for its summary alone. Summaries are kept, without
//! their trees, for the rest of the run: memory grows with the summaries, not with the
//! project. A summary depends only on its own file's contents and place, never on the order
//! modules are checked in, so a run's findings are the same for any number of threads.
//!
//! Where Python would look for an absolute import is decided per importing file: its own
//! package root (the first directory up from it without an `__init__.py`), then the roots the
//! run was given and their `src/` folders (for namespace packages and `src/` layouts).

use std::cell::{OnceCell, RefCell};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use edgelint_semantic::{
    ModuleSummary, Project, ProjectContext, ProjectTrace, SemanticModel, SummarySource,
};
use edgelint_source::FileKind;
use ruff_source_file::LineIndex;
use rustc_hash::FxHashMap as HashMap;

type Display = dyn Fn(&Path) -> String + Send + Sync;

/// A module's file and its summary, made by the first thread that needs it while others wait
/// for it; `None` when the file cannot be read or parsed deep enough.
struct Module {
    path: PathBuf,
    summary: OnceLock<Option<Arc<ModuleSummary>>>,
}

/// The module each module name names, for the files of one package root, looked for once per
/// name: a file's view holds its root's, so that a lookup hashes only the name.
type Found = Mutex<HashMap<String, Option<Arc<Module>>>>;

/// How the run checks a file of its own as soon as another module needs that file's summary.
pub trait CheckNow: Sync {
    /// Checks the file at `path` now, unless it is not a file of the run or some thread has
    /// checked it or started to. Checking it offers its summary to `index`.
    fn check_now(&self, index: &ProjectIndex, path: &Path);
}

/// The content hash summaries record in an undated index (see [`ProjectIndex::undated`]).
pub const UNDATED: u64 = 0;

/// The project of one run.
pub struct ProjectIndex<'r> {
    /// Where every file's absolute imports are also looked for: the roots the run was given.
    roots: Vec<PathBuf>,
    display: Box<Display>,
    /// Whether a path is a file, asked once per path.
    exists: Mutex<HashMap<PathBuf, bool>>,
    /// Whether a path is a directory, asked once per path.
    directories: Mutex<HashMap<PathBuf, bool>>,
    /// The package root of each directory with a file of the run, found once per directory.
    package_roots: Mutex<HashMap<PathBuf, PathBuf>>,
    /// The top of the repository each directory is in, if any, found once per directory.
    repositories: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// What each module name names, by the package root of the importing file.
    found: Mutex<HashMap<PathBuf, Arc<Found>>>,
    /// Where the modules of each directory stand, by the directory's path as spelled: worked
    /// out once per directory, as every file of it asks.
    places: Mutex<HashMap<OsString, Arc<Place>>>,
    modules: Mutex<HashMap<PathBuf, Arc<Module>>>,
    /// The hash of each file's contents now, asked once per file.
    hashes: Mutex<HashMap<PathBuf, Option<u64>>>,
    /// Whether summaries record the hash of the contents they were made from (see
    /// [`ProjectIndex::undated`]).
    dated: bool,
    check_now: Option<&'r dyn CheckNow>,
}

/// A module's place in its package.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleIdentity {
    /// The directory its absolute imports are looked for first.
    pub root: PathBuf,
    /// The package its relative imports start from, `None` for a top-level module.
    pub package: Option<String>,
}

impl<'r> ProjectIndex<'r> {
    /// The project made of the files under `roots` (files or directories, as given to the run);
    /// `display` names files as reports show them; `check_now`, when given, checks a file of the
    /// run as soon as its summary is needed.
    pub fn new(
        roots: &[PathBuf],
        display: impl Fn(&Path) -> String + Send + Sync + 'static,
        check_now: Option<&'r dyn CheckNow>,
    ) -> Self {
        let mut index = ProjectIndex {
            roots: Vec::new(),
            display: Box::new(display),
            exists: Mutex::default(),
            directories: Mutex::default(),
            package_roots: Mutex::default(),
            repositories: Mutex::default(),
            found: Mutex::default(),
            places: Mutex::default(),
            modules: Mutex::default(),
            hashes: Mutex::default(),
            dated: true,
            check_now,
        };
        // `pre-commit run --all-files` gives every file: their folders are looked at once each,
        // and the `__init__.py` files above them once each.
        let mut seen = std::collections::HashSet::new();
        for root in roots {
            let directory = if root.is_dir() {
                root.clone()
            } else {
                root.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            if !seen.insert(directory.clone()) {
                continue;
            }
            for candidate in [index.package_root(&directory), directory.join("src")] {
                if index.is_dir(&candidate) && !index.roots.contains(&candidate) {
                    index.roots.push(candidate);
                }
            }
        }
        index
    }

    /// The index of a run that keeps no cache: a summary's content hash only dates the
    /// findings a cache keeps, so no file's contents are hashed and summaries record
    /// [`UNDATED`].
    pub fn undated(self) -> Self {
        ProjectIndex {
            dated: false,
            ..self
        }
    }

    /// The hash of a module's bytes that its summary records: [`ProjectIndex::hash`], or
    /// [`UNDATED`] in an undated index.
    pub fn content_hash(&self, bytes: &[u8]) -> u64 {
        if self.dated {
            Self::hash(bytes)
        } else {
            UNDATED
        }
    }

    /// Where the module in `path` sits: its package root and its package.
    pub fn identity(&self, path: &Path) -> ModuleIdentity {
        self.identity_in(path.parent().unwrap_or(Path::new("")))
    }

    /// Where the modules of `directory` sit: its package root and its package.
    fn identity_in(&self, directory: &Path) -> ModuleIdentity {
        let root = self.package_root(directory);
        // `pkg/io.py` and `pkg/__init__.py` both import relatively from `pkg`.
        let parts: Vec<&str> = directory
            .strip_prefix(&root)
            .unwrap_or(Path::new(""))
            .components()
            .filter_map(|part| part.as_os_str().to_str())
            .collect();
        let package = (!parts.is_empty()).then(|| parts.join("."));
        ModuleIdentity { root, package }
    }

    /// The index as the module in `path` sees it; `content_hash` is the hash of the bytes it
    /// is checked from (see [`ProjectIndex::current_hash`]), `None` when the module is not a
    /// file (standard input).
    pub fn view(&self, path: &Path, content_hash: Option<u64>) -> FileView<'_, 'r> {
        let place = self.place(path.parent().unwrap_or(Path::new("")));
        let in_repository = place
            .repository
            .as_deref()
            .and_then(|top| path.strip_prefix(top).ok())
            .unwrap_or(path)
            .to_path_buf();
        FileView {
            index: self,
            place,
            in_repository,
            own: content_hash.map(|hash| (path.to_path_buf(), hash)),
        }
    }

    /// Where the modules of `directory` stand.
    fn place(&self, directory: &Path) -> Arc<Place> {
        let known = self
            .places
            .lock()
            .ok()
            .and_then(|places| places.get(directory.as_os_str()).cloned());
        if let Some(place) = known {
            return place;
        }
        let identity = self.identity_in(directory);
        let found = self
            .found
            .lock()
            .map(|mut found| Arc::clone(found.entry(identity.root.clone()).or_default()))
            .unwrap_or_default();
        let place = Arc::new(Place {
            repository: self.repository(directory),
            root: identity.root,
            package: identity.package,
            found,
        });
        if let Ok(mut places) = self.places.lock() {
            places.insert(directory.as_os_str().to_owned(), Arc::clone(&place));
        }
        place
    }

    /// Forgets what the index knows of the file at `path`, which has just been written (an
    /// editor saved it): its summary and hash are made again when next asked for, and so is
    /// where every module is, since the file may be new. The other summaries are kept.
    pub fn forget(&self, path: &Path) {
        let path = lexical(path);
        if let Ok(mut modules) = self.modules.lock() {
            modules.remove(path);
        }
        if let Ok(mut hashes) = self.hashes.lock() {
            hashes.remove(path);
        }
        if let Ok(mut exists) = self.exists.lock() {
            exists.clear();
        }
        if let Ok(mut directories) = self.directories.lock() {
            directories.clear();
        }
        if let Ok(mut package_roots) = self.package_roots.lock() {
            package_roots.clear();
        }
        if let Ok(mut found) = self.found.lock() {
            found.clear();
        }
        if let Ok(mut places) = self.places.lock() {
            places.clear();
        }
    }

    /// The hash of bytes, as summaries and [`ProjectIndex::current_hash`] record it.
    pub fn hash(bytes: &[u8]) -> u64 {
        xxhash_rust::xxh3::xxh3_64(bytes)
    }

    /// The hash of the file's bytes as they are now, as summaries record it (`None` when it
    /// cannot be read): a cached finding that used a summary made from other bytes is stale.
    pub fn current_hash(&self, path: &Path) -> Option<u64> {
        remembered(&self.hashes, path, || {
            edgelint_source::read_bytes(path)
                .ok()
                .map(|bytes| Self::hash(&bytes))
        })
    }

    /// The top of the repository `directory` is in: the nearest directory up from it that
    /// holds a `.git` (a folder, or a file in a worktree).
    fn repository(&self, directory: &Path) -> Option<PathBuf> {
        remembered(&self.repositories, directory, || {
            if directory.join(".git").exists() {
                return Some(directory.to_path_buf());
            }
            self.repository(directory.parent()?)
        })
    }

    fn is_file(&self, path: &Path) -> bool {
        remembered(&self.exists, path, || path.is_file())
    }

    fn is_dir(&self, path: &Path) -> bool {
        remembered(&self.directories, path, || path.is_dir())
    }

    /// [`package_root`], found once per directory (and each `__init__.py` looked for once per
    /// run): every file of a package asks about the same directories.
    fn package_root(&self, directory: &Path) -> PathBuf {
        remembered(&self.package_roots, directory, || {
            package_root(directory, |init| self.is_file(init))
        })
    }

    /// The module `name` names, for a file whose package root is `root` (`found` is that
    /// root's): looked for under that root, then under each root of the run.
    fn find(&self, root: &Path, found: &Found, name: &str) -> Option<Arc<Module>> {
        if let Some(module) = found.lock().ok()?.get(name) {
            return module.clone();
        }
        let relative: PathBuf = name.split('.').collect();
        let first = name.split('.').next().unwrap_or(name);
        let dotted = first.len() < name.len();
        let module = std::iter::once(root)
            .chain(self.roots.iter().map(PathBuf::as_path))
            .find_map(|root| {
                // Most names are not the project's (`os.path`, `numpy.linalg`): under a root
                // with no folder of the first part's name, only a module file of an undotted
                // name can be meant. One look per first part and root, not two per name.
                let package = root.join(first);
                if !self.is_dir(&package) {
                    let file = package.with_extension("py");
                    return (!dotted && self.is_file(&file)).then_some(file);
                }
                let base = root.join(&relative);
                [base.with_extension("py"), base.join("__init__.py")]
                    .into_iter()
                    .find(|candidate| self.is_file(candidate))
            })
            .and_then(|path| self.module(&path));
        found.lock().ok()?.insert(name.to_string(), module.clone());
        module
    }

    /// The module in `path`, one per file however its path is spelled; it keeps the spelling
    /// it was first named by, which reports of its own findings show.
    fn module(&self, path: &Path) -> Option<Arc<Module>> {
        let key = lexical(path);
        let mut modules = self.modules.lock().ok()?;
        if let Some(module) = modules.get(key) {
            return Some(Arc::clone(module));
        }
        let module = Arc::new(Module {
            path: path.to_path_buf(),
            summary: OnceLock::new(),
        });
        modules.insert(key.to_path_buf(), Arc::clone(&module));
        Some(module)
    }

    /// The module's summary: offered by checking it (now, if it has not been checked yet), or
    /// else made from the file alone.
    fn summary(&self, module: &Module) -> Option<Arc<ModuleSummary>> {
        if let Some(summary) = module.summary.get() {
            return summary.clone();
        }
        if let Some(check_now) = self.check_now {
            check_now.check_now(self, &module.path);
        }
        module
            .summary
            .get_or_init(|| self.summarize(&module.path))
            .clone()
    }

    /// Keeps the summary of a module checked from `text`, unless one is already kept.
    fn offer(
        &self,
        path: &Path,
        content_hash: u64,
        model: &SemanticModel,
        text: &str,
        line_index: &OnceCell<LineIndex>,
    ) {
        let Some(module) = self.module(path) else {
            return;
        };
        module.summary.get_or_init(|| {
            let display_path = (self.display)(path);
            Some(Arc::new(model.summarize(&SummarySource {
                path: path.to_path_buf(),
                display_path: &display_path,
                text,
                line_index,
                content_hash,
            })))
        });
    }

    fn summarize(&self, path: &Path) -> Option<Arc<ModuleSummary>> {
        let bytes = edgelint_source::read_bytes(path).ok()?;
        let content_hash = self.content_hash(&bytes);
        let text = edgelint_source::decode(bytes).ok()?;
        edgelint_source::with_parsed(&text, path, |parsed| {
            let identity = self.identity(path);
            let trace = RefCell::default();
            // A summary is made from its own module alone: the model sees no other module.
            let context = ProjectContext {
                project: &NoProject,
                package: identity.package.as_deref(),
                path,
                trace: &trace,
            };
            // The model walks the tree recursively; a file too deep for that has no summary.
            let model = SemanticModel::of_parsed(parsed, &text, Some(context)).ok()?;
            let display_path = (self.display)(path);
            Some(Arc::new(model.summarize(&SummarySource {
                path: path.to_path_buf(),
                display_path: &display_path,
                text: &text,
                line_index: &OnceCell::new(),
                content_hash,
            })))
        })
    }
}

/// Where the modules of one directory stand (see [`ProjectIndex::view`]).
struct Place {
    /// Their package root.
    root: PathBuf,
    package: Option<String>,
    /// The top of their repository.
    repository: Option<PathBuf>,
    /// What module names name from their package root.
    found: Arc<Found>,
}

/// The index as one module sees it: its own package root comes first.
pub struct FileView<'a, 'r> {
    index: &'a ProjectIndex<'r>,
    place: Arc<Place>,
    /// The module's file from the top of its repository (see [`ProjectContext::path`]).
    in_repository: PathBuf,
    /// The module's own file and the hash of the bytes it is checked from.
    own: Option<(PathBuf, u64)>,
}

impl FileView<'_, '_> {
    /// What the module's semantic model needs of the project; `trace` collects what the run
    /// keeps of the module's check.
    pub fn context<'v>(&'v self, trace: &'v RefCell<ProjectTrace>) -> ProjectContext<'v> {
        ProjectContext {
            project: self,
            package: self.place.package.as_deref(),
            path: &self.in_repository,
            trace,
        }
    }
}

impl Project for FileView<'_, '_> {
    fn module(&self, name: &str) -> Option<Arc<ModuleSummary>> {
        let module = self.index.find(&self.place.root, &self.place.found, name)?;
        self.index.summary(&module)
    }

    fn offer(&self, model: &SemanticModel, text: &str, line_index: &OnceCell<LineIndex>) {
        // Only a `.py` file can be imported (a notebook's text is its cells joined).
        let Some((path, content_hash)) = &self.own else {
            return;
        };
        if FileKind::of(path) == Some(FileKind::Python) {
            self.index
                .offer(path, *content_hash, model, text, line_index);
        }
    }
}

/// No other module: what a summary is made with.
struct NoProject;

impl Project for NoProject {
    fn module(&self, _name: &str) -> Option<Arc<ModuleSummary>> {
        None
    }
}

/// The answer for `path` in `answers`, worked out by `answer` the first time (outside the lock:
/// it reads the file system, and other threads should not wait for that).
fn remembered<T: Clone>(
    answers: &Mutex<HashMap<PathBuf, T>>,
    path: &Path,
    answer: impl FnOnce() -> T,
) -> T {
    if let Some(known) = answers
        .lock()
        .ok()
        .and_then(|known| known.get(path).cloned())
    {
        return known;
    }
    let value = answer();
    if let Ok(mut known) = answers.lock() {
        known.insert(path.to_path_buf(), value.clone());
    }
    value
}

/// The path as a key for its file, so that `./pkg/io.py` from the walk and `pkg/io.py` found
/// for an import are one file: paths compare and hash by their parts, which leave out a `.`
/// inside (`pkg/./io.py` is `pkg/io.py`) but not a leading one, dropped here without copying.
pub fn lexical(path: &Path) -> &Path {
    path.strip_prefix(".").unwrap_or(path)
}

/// The first directory from `directory` up that is not a package (has no `__init__.py`).
fn package_root(directory: &Path, is_file: impl Fn(&Path) -> bool) -> PathBuf {
    let mut root = directory;
    while is_file(&root.join("__init__.py")) {
        match root.parent() {
            Some(parent) => root = parent,
            None => break,
        }
    }
    root.to_path_buf()
}

#[cfg(test)]
mod tests;
