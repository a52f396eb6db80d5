//! The files of a run, each checked once: by a worker that takes it from the walk, or earlier,
//! on the thread of a module that needs its summary (the project index asks through
//! [`CheckNow`]). Either way the one parse serves both its findings and its summary.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use edgelint_linter::{lint_source, FixMode, LintOptions};
use edgelint_project::{lexical, CheckNow, ProjectIndex};
use edgelint_semantic::{ModuleSummary, ProjectTrace};
use edgelint_source::{read_bytes, Discovered, SourceReadError};
use rustc_hash::FxHashMap as HashMap;

use crate::cache::{self, Cache};
use crate::fixing::fix_file;
use crate::fixing::FixTarget;
use crate::outcome::{FileFailure, FileOutcome, FileResult};
use crate::run::THREAD_STACK_SIZE;
use crate::settings::Settings;

type Display<'s> = dyn Fn(&Path) -> String + Sync + 's;

pub(crate) struct RunFiles<'s> {
    settings: &'s Settings,
    cache: Option<&'s Cache>,
    display: &'s Display<'s>,
    /// Every file of the run, and whether a thread has started to check it.
    claimed: HashMap<PathBuf, AtomicBool>,
    results: Mutex<Vec<(String, FileResult)>>,
}

impl<'s> RunFiles<'s> {
    pub(crate) fn new(
        found: &[Discovered],
        settings: &'s Settings,
        cache: Option<&'s Cache>,
        display: &'s Display<'s>,
    ) -> Self {
        // Sized at once: grown a step at a time, the table of a big tree was rehashed again and
        // again.
        let mut claimed = HashMap::with_capacity_and_hasher(found.len(), Default::default());
        claimed.extend(found.iter().filter_map(|found| match found {
            Discovered::File(path) => Some((lexical(path).to_path_buf(), AtomicBool::new(false))),
            Discovered::Error { .. } => None,
        }));
        RunFiles {
            settings,
            cache,
            display,
            claimed,
            results: Mutex::default(),
        }
    }

    /// Checks the file at `path` unless a thread already has (or is doing it).
    pub(crate) fn check(&self, project: &ProjectIndex, path: &Path) {
        let Some(claim) = self.claimed.get(lexical(path)) else {
            return;
        };
        if claim.swap(true, Ordering::AcqRel) {
            return;
        }
        let result = self.check_unclaimed(project, path);
        self.push(result);
    }

    /// A path the walk could not read.
    pub(crate) fn walk_error(&self, path: &Path, message: &str) {
        let name = (self.display)(path);
        let message = edgelint_linter::io_error_message(&name, message);
        let checked = FileOutcome {
            messages: vec![message],
            ..FileOutcome::default()
        };
        self.push((name, FileResult::Checked(checked)));
    }

    pub(crate) fn into_results(self) -> Vec<(String, FileResult)> {
        self.results.into_inner().unwrap_or_default()
    }

    fn push(&self, result: (String, FileResult)) {
        if let Ok(mut results) = self.results.lock() {
            results.push(result);
        }
    }

    fn check_unclaimed(&self, project: &ProjectIndex, path: &Path) -> (String, FileResult) {
        let name = (self.display)(path);
        let file_settings = match self.settings.for_file(path) {
            Ok(file_settings) => file_settings,
            Err(error) => return (name, FileResult::Config(error)),
        };
        let bytes = read_bytes(path);
        // Only the files checked inside another count against the budget of nested checks.
        let nested = CHECKS_IN_PROGRESS.get() > 0;
        let _held = Held::new(if nested {
            bytes.as_ref().map_or(0, Vec::len)
        } else {
            0
        });
        let hash = bytes.as_ref().ok().map(|bytes| project.content_hash(bytes));
        let view = project.view(path, hash);
        let trace = RefCell::<ProjectTrace>::default();
        let options = LintOptions {
            rules: &file_settings.rules,
            severities: file_settings.severities(),
            target_version: file_settings.target_version(),
            project: Some(view.context(&trace)),
        };
        let fix = self.settings.fixes.for_file(false);
        let Some(cache) = self.cache.filter(|_| fix.is_none()) else {
            let mut checked = check_file(path, &name, bytes, options, fix);
            let trace = trace.take();
            checked.shrunk = trace.shrunk;
            checked.handed_out = trace.handed_out;
            return (name, FileResult::Checked(checked));
        };
        let key = hash.map(|hash| cache::key(hash, &options));
        let unchanged = |path: &Path, hash: u64| project.current_hash(path) == Some(hash);
        if let Some(cached) = key.and_then(|key| cache.get(&name, key, unchanged)) {
            let checked = FileOutcome {
                messages: cached.messages,
                shrunk: cached.shrunk,
                handed_out: cached.handed_out,
                ..FileOutcome::default()
            };
            return (name, FileResult::Checked(checked));
        }
        let mut checked = check_file(path, &name, bytes, options, None);
        let trace = trace.take();
        checked.shrunk = trace.shrunk;
        checked.handed_out = trace.handed_out;
        if let (Some(key), true) = (key, checked.errors.is_empty()) {
            let dependencies = dependencies(trace.used);
            cache.put(
                &name,
                key,
                &dependencies,
                &checked.messages,
                &checked.shrunk,
                &checked.handed_out,
            );
        }
        (name, FileResult::Checked(checked))
    }
}

/// How many files a thread may be checking inside the one it took from the walk, one inside
/// another, and how many bytes of source those nested files may hold together. Each holds its
/// text, tree and model until it is done, about in proportion to its source, so the bytes
/// bound the memory nesting adds (the file taken from the walk is held by any linter); a
/// module past either bound is summarized alone instead (a second parse). On the benchmark's
/// real tree, with two threads, 512 KiB of nested files left 5.0 MB of modules summarized
/// alone at a peak of 43 MiB; 768 KiB saves 0.55 % of the instructions at 48 MiB; 1 MiB
/// left 3.0 MB at 57 MiB, too close to half of ruff's peak (60 MiB). Counting the outer file
/// too left more alone at the same peak.
const MAX_NESTED_CHECKS: usize = 16;
const MAX_NESTED_BYTES: usize = 768 * 1024;

/// The stack one check may need: a file nested just under `MAX_NESTING` takes about 12 MiB in
/// a debug build (far less in a release build). A nested check that would have less runs on a
/// stack of its own.
const CHECK_STACK: usize = 16 * 1024 * 1024;

thread_local! {
    static CHECKS_IN_PROGRESS: Cell<usize> = const { Cell::new(0) };
    static BYTES_IN_PROGRESS: Cell<usize> = const { Cell::new(0) };
}

/// The source bytes of a file this thread is checking, counted while it is held.
struct Held(usize);

impl Held {
    fn new(bytes: usize) -> Held {
        BYTES_IN_PROGRESS.set(BYTES_IN_PROGRESS.get() + bytes);
        Held(bytes)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        BYTES_IN_PROGRESS.set(BYTES_IN_PROGRESS.get() - self.0);
    }
}

impl CheckNow for RunFiles<'_> {
    fn check_now(&self, index: &ProjectIndex, path: &Path) {
        let depth = CHECKS_IN_PROGRESS.get();
        if depth >= MAX_NESTED_CHECKS {
            return;
        }
        let size = std::fs::metadata(path).map_or(0, |metadata| {
            usize::try_from(metadata.len()).unwrap_or(usize::MAX)
        });
        if BYTES_IN_PROGRESS.get().saturating_add(size) > MAX_NESTED_BYTES {
            return;
        }
        CHECKS_IN_PROGRESS.set(depth + 1);
        stacker::maybe_grow(CHECK_STACK, THREAD_STACK_SIZE, || self.check(index, path));
        CHECKS_IN_PROGRESS.set(depth);
    }
}

/// The files whose summaries a file's findings used, each with the hash of the contents
/// they were made from, once each.
fn dependencies(used: Vec<Arc<ModuleSummary>>) -> Vec<(PathBuf, u64)> {
    let mut dependencies: Vec<(PathBuf, u64)> = used
        .iter()
        .map(|summary| (summary.path.clone(), summary.content_hash))
        .collect();
    dependencies.sort();
    dependencies.dedup();
    dependencies
}

/// Lints (and, with `fix`, fixes) one file whose bytes were read from `path`.
pub(crate) fn check_file(
    path: &Path,
    name: &str,
    bytes: Result<Vec<u8>, SourceReadError>,
    options: LintOptions,
    fix: Option<(FixMode, FixTarget)>,
) -> FileOutcome {
    let Some((mode, target)) = fix else {
        return match lint_source(bytes.and_then(edgelint_source::decode), path, name, options) {
            Ok(messages) => FileOutcome {
                messages,
                ..FileOutcome::default()
            },
            Err(error) => FileOutcome {
                errors: vec![FileFailure::Internal {
                    file: name.to_string(),
                    message: error.message,
                }],
                ..FileOutcome::default()
            },
        };
    };
    // The bytes are kept to check, before writing, that the file still holds them.
    let source = bytes.and_then(|bytes| {
        let (text, encoding) = edgelint_source::decode_with_encoding(bytes.clone())?;
        Ok((text, encoding, bytes))
    });
    match source {
        Ok((text, encoding, original)) => {
            let original = (original.as_slice(), encoding);
            fix_file(path, name, original, &text, options, mode, target)
        }
        Err(error) => FileOutcome {
            messages: vec![edgelint_linter::io_error_message(name, &error.to_string())],
            ..FileOutcome::default()
        },
    }
}
