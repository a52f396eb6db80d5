//! The rest of the project, as one module sees it: a summary of each module it imports, and
//! the questions rules ask of a call into one ("what does `load_frames()` return?") answered as
//! if the callee were local.
//!
//! A summary is computed from its module's text alone (see [`crate::summary`]), so it never
//! depends on the order files are linted in. Where a function returns what another module's
//! function returns, the summary says so by name ([`Returned::Call`]), and the question follows
//! such calls when it is asked, at most [`MAX_CALL_DEPTH`] deep.

use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use ruff_source_file::LineIndex;
use rustc_hash::FxHashMap as HashMap;

use crate::provenance::{BigReason, Origin, Provenance, ValueKind};
use crate::shrinks::Shrunk;
use crate::SemanticModel;

/// How many calls across modules a question follows (`a.f` returns `b.g()`, which returns
/// `c.h()`, ...): a fixed depth, not a fixed point, so that an import cycle costs nothing.
pub const MAX_CALL_DEPTH: u8 = 4;

/// The modules of the project, by the dotted name Python imports them by.
pub trait Project: Sync {
    /// The summary of the module `name` names (`pkg.io`), when it is a module of the project.
    fn module(&self, name: &str) -> Option<Arc<ModuleSummary>>;

    /// Offers the summary of the module being checked, made from the model built to check it,
    /// so that the project need not read that file again; `index` is the text's line index,
    /// built at most once for the check and the summary together.
    fn offer(&self, _model: &SemanticModel, _text: &str, _index: &OnceCell<LineIndex>) {}
}

/// Where the module being checked sits in the project.
#[derive(Copy, Clone)]
pub struct ProjectContext<'a> {
    pub project: &'a dyn Project,
    /// The package the module's relative imports start from: `pkg` for `pkg/io.py` and for
    /// `pkg/__init__.py`, `None` for a top-level module.
    pub package: Option<&'a str>,
    /// The module's file, from the top of the repository it is in (the nearest folder up with a
    /// `.git`) when it is in one: the file's role (test code, an example) is told from the
    /// folders below it, since those above say where someone keeps the project, not what the
    /// file is (`~/test/app/main.py` is no test).
    pub path: &'a std::path::Path,
    /// What checking the module learns that the run needs once the module is done.
    pub trace: &'a RefCell<ProjectTrace>,
}

impl std::fmt::Debug for ProjectContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectContext")
            .field("package", &self.package)
            .finish_non_exhaustive()
    }
}

/// What the run keeps of a module's check, beside its findings.
#[derive(Debug, Default)]
pub struct ProjectTrace {
    /// Every summary a question about the module used, so that its cached findings can be
    /// dropped when one of them changes.
    pub used: Vec<Arc<ModuleSummary>>,
    /// The objects of other modules that the module shrinks (see [`crate::shrinks`]).
    pub shrunk: Vec<Shrunk>,
    /// The attributes the module hands on (see [`crate::handed_out`]).
    pub handed_out: Vec<String>,
}

/// What a module tells the modules that import it; small, and kept without the module's tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleSummary {
    /// The file it was read from.
    pub path: PathBuf,
    /// A hash of the file's bytes, which identifies this summary in cache entries.
    pub content_hash: u64,
    /// Module functions by name, and methods as `Class.method`: those that return something
    /// known or run long (any other is [`FunctionSummary::UNKNOWN`]).
    pub functions: HashMap<String, FunctionSummary>,
    /// Names bound by imports at module level, with what they name (`load` →
    /// `pkg.io.load`): how a package's `__init__` re-exports its modules' functions.
    pub imports: Imports,
}

/// A module's imports, as one string and sorted offsets into it: a run keeps every module's,
/// and most are never asked about, so they are kept small (about a third of a map of strings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imports {
    /// `name\0target\0`, for every import, sorted by name.
    text: Box<str>,
    /// Where each entry starts in `text`.
    starts: Box<[u32]>,
}

impl Imports {
    /// The table of `(name, target)` pairs; a later pair for the same name wins, as a later
    /// import does in Python.
    pub fn new<'s>(pairs: impl IntoIterator<Item = (&'s str, &'s str)>) -> Imports {
        let mut pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        pairs.reverse();
        pairs.sort_by_key(|(name, _)| *name); // stable: the last import of a name comes first
        pairs.dedup_by_key(|(name, _)| *name);
        let mut text = String::new();
        let mut starts = Vec::with_capacity(pairs.len());
        for (name, target) in pairs {
            starts.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            text.extend([name, "\0", target, "\0"]);
        }
        Imports {
            text: text.into_boxed_str(),
            starts: starts.into_boxed_slice(),
        }
    }

    /// What `name` was imported as, if it was.
    pub fn get(&self, name: &str) -> Option<&str> {
        // The field that starts at `from`, up to its `\0`.
        let field = |from: usize| {
            let rest = &self.text[from..];
            &rest[..memchr::memchr(0, rest.as_bytes()).unwrap_or(rest.len())]
        };
        let index = self
            .starts
            .binary_search_by(|start| field(*start as usize).cmp(name))
            .ok()?;
        let entry = self.starts[index] as usize;
        Some(field(entry + name.len() + 1))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionSummary {
    pub returns: Returned,
    /// Whether calling it runs a loop, a wait, a sleep or a server.
    pub long_running: bool,
    /// Where it calls `.backward()` on the loss it returns, graph attached (see
    /// [`SemanticModel::returns_backpropagated_loss`]).
    pub backpropagated: Option<Arc<Evidence>>,
    /// Where it puts the model it returns in eval mode (see
    /// [`SemanticModel::returns_model_in_eval_mode`]).
    pub evaluated: Option<Arc<Evidence>>,
}

impl FunctionSummary {
    /// What a summary that knows nothing says. Summaries keep only the functions they know
    /// something about: most functions are like this.
    pub const UNKNOWN: FunctionSummary = FunctionSummary {
        returns: Returned::Unknown,
        long_running: false,
        backpropagated: None,
        evaluated: None,
    };
}

/// What a function returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Returned {
    Unknown,
    Value {
        kind: ValueKind,
        /// Why the value is big, when it is, and where its data comes from.
        big: Option<(BigReason, Option<Arc<Evidence>>)>,
    },
    /// Whatever the function with this qualified name returns.
    Call(String),
}

/// A place in another file that shows where data comes from, resolved when its module was
/// summarized, so that reports can show it without that file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The file, as reports name it.
    pub path: String,
    /// One-based row and column (in characters) of the start and the end.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// The whole lines that hold the place, and the place within them.
    pub snippet: String,
    pub snippet_first_row: usize,
    pub snippet_range: Range<usize>,
    /// What is there: "`load_frames()` returns the whole content of a file, read here".
    pub message: String,
}

impl SemanticModel<'_> {
    /// The summary of the project function a qualified name names, through re-exports:
    /// `None` when the name is not in a module of the project, and a summary that knows nothing
    /// when it is but the summary does not have it (a class, a constant, a function that
    /// returns something unknown and runs briefly). Looked up once per name and module.
    fn project_function(&self, qualified: &str) -> Option<FunctionSummary> {
        // A summary depends on its own module only.
        if self.summarizing.get() {
            return None;
        }
        if let Some(known) = self.project_functions.borrow().get(qualified) {
            return known.clone();
        }
        let function = self.find_project_function(qualified, MAX_CALL_DEPTH);
        self.project_functions
            .borrow_mut()
            .insert(qualified.to_string(), function.clone());
        function
    }

    fn find_project_function(&self, qualified: &str, depth: u8) -> Option<FunctionSummary> {
        let (module, rest) = self.project_module_of(qualified)?;
        if let Some(function) = module.functions.get(rest) {
            return Some(function.clone());
        }
        let reexported = reexported(&module, rest).and_then(|target| {
            depth
                .checked_sub(1)
                .and_then(|depth| self.find_project_function(&target, depth))
        });
        Some(reexported.unwrap_or(FunctionSummary::UNKNOWN))
    }

    /// The module of the project that defines what `qualified` names, and the name there,
    /// through at most [`MAX_CALL_DEPTH`] re-exports: `pkg.SEEN`, which `pkg/__init__.py`
    /// imports from `pkg.state`, is `SEEN` of `pkg/state.py`. `None` when the name is not the
    /// project's.
    pub(crate) fn project_definition(&self, qualified: &str) -> Option<Shrunk> {
        self.find_project_definition(qualified, MAX_CALL_DEPTH)
    }

    fn find_project_definition(&self, qualified: &str, depth: u8) -> Option<Shrunk> {
        let (module, rest) = self.project_module_of(qualified)?;
        match reexported(&module, rest) {
            Some(target) => self.find_project_definition(&target, depth.checked_sub(1)?),
            None => Some(Shrunk {
                path: module.path.clone(),
                name: rest.to_string(),
            }),
        }
    }

    /// The longest prefix of `qualified` that is a module of the project, which holds the rest
    /// or re-exports it: `pkg.io.load` is `load` in `pkg.io`, or `io.load` in `pkg`.
    fn project_module_of<'q>(&self, qualified: &'q str) -> Option<(Arc<ModuleSummary>, &'q str)> {
        qualified.rmatch_indices('.').find_map(|(dot, _)| {
            let (module_name, rest) = (&qualified[..dot], &qualified[dot + 1..]);
            Some((self.project_module(module_name)?, rest))
        })
    }

    /// The summary of the project's module `name`, asked of the project once per name; the
    /// first time, the run records that this module's findings used it.
    fn project_module(&self, name: &str) -> Option<Arc<ModuleSummary>> {
        let context = self.project?;
        if let Some(known) = self.project_modules.borrow().get(name) {
            return known.clone();
        }
        let module = context.project.module(name);
        if let Some(module) = &module {
            context.trace.borrow_mut().used.push(Arc::clone(module));
        }
        self.project_modules
            .borrow_mut()
            .insert(name.to_string(), module.clone());
        module
    }

    /// What a call to the project function `qualified` returns, when the project has it.
    pub(crate) fn project_call(&self, qualified: &str) -> Option<Provenance> {
        self.follow_project_call(qualified, MAX_CALL_DEPTH)
    }

    /// What `qualified` returns, following at most `depth` more functions that return what
    /// another one returns.
    fn follow_project_call(&self, qualified: &str, depth: u8) -> Option<Provenance> {
        let function = self.project_function(qualified)?;
        Some(match function.returns {
            Returned::Unknown => Provenance::UNKNOWN,
            Returned::Value { kind, big: None } => Provenance::small(kind),
            Returned::Value {
                kind,
                big: Some((reason, evidence)),
            } => Provenance {
                kind,
                big: Some(reason),
                origin: evidence.map(|evidence| self.intern_evidence(evidence)),
            },
            Returned::Call(callee) => match depth.checked_sub(1) {
                Some(depth) => self
                    .follow_project_call(&callee, depth)
                    .unwrap_or(Provenance::UNKNOWN),
                None => Provenance::UNKNOWN,
            },
        })
    }

    /// Where the project function `qualified` called `.backward()` on the loss it returns.
    pub(crate) fn project_backpropagated(&self, qualified: &str) -> Option<Origin> {
        let evidence = self.project_function(qualified)?.backpropagated?;
        Some(self.intern_evidence(evidence))
    }

    /// Where the project function `qualified` put the model it returns in eval mode.
    pub(crate) fn project_evaluated(&self, qualified: &str) -> Option<Origin> {
        let evidence = self.project_function(qualified)?.evaluated?;
        Some(self.intern_evidence(evidence))
    }

    /// Whether a call to the project function `qualified` runs a long-running region.
    pub(crate) fn project_function_runs_long(&self, qualified: &str) -> bool {
        self.project_function(qualified)
            .is_some_and(|function| function.long_running)
    }

    fn intern_evidence(&self, evidence: Arc<Evidence>) -> Origin {
        let mut interned = self.evidence.borrow_mut();
        let index = interned
            .iter()
            .position(|known| Arc::ptr_eq(known, &evidence))
            .unwrap_or_else(|| {
                interned.push(evidence);
                interned.len() - 1
            });
        Origin::Project(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// The place in another file an [`Origin::Project`] stands for.
    pub fn project_evidence(&self, origin: Origin) -> Option<Arc<Evidence>> {
        match origin {
            Origin::Project(index) => self.evidence.borrow().get(index as usize).cloned(),
            Origin::Here(_) => None,
        }
    }
}

/// What a module's import re-exports as `rest` (`load`, or `io.load` through the imported
/// module `io`), by qualified name.
fn reexported(module: &ModuleSummary, rest: &str) -> Option<String> {
    let (head, tail) = rest.split_once('.').unwrap_or((rest, ""));
    let target = module.imports.get(head)?;
    Some(if tail.is_empty() {
        target.to_string()
    } else {
        format!("{target}.{tail}")
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::{Arc, Mutex};

    use ruff_python_ast::{Expr, Stmt};

    use super::*;

    /// A project of one module, `pkg.io`, whose `load()` returns a whole file; it records
    /// every module name it is asked for.
    #[derive(Default)]
    struct Recording {
        asked: Mutex<Vec<String>>,
    }

    impl Project for Recording {
        fn module(&self, name: &str) -> Option<Arc<ModuleSummary>> {
            self.asked.lock().unwrap().push(name.to_string());
            let load = FunctionSummary {
                returns: Returned::Value {
                    kind: ValueKind::Bytes,
                    big: Some((BigReason::WholeRead, None)),
                },
                ..FunctionSummary::UNKNOWN
            };
            (name == "pkg.io").then(|| {
                Arc::new(ModuleSummary {
                    path: PathBuf::from("pkg/io.py"),
                    functions: [("load".to_string(), load)].into_iter().collect(),
                    ..ModuleSummary::default()
                })
            })
        }
    }

    #[test]
    fn each_module_name_is_asked_of_the_project_once() {
        let source = "\
from pkg import io
import os.path
a = io.load()
b = io.load()
c = io.other()
d = os.path.join('x')
e = os.path.exists('y')
";
        let parsed = ruff_python_parser::parse_module(source).unwrap();
        let project = Recording::default();
        let trace = RefCell::default();
        let context = ProjectContext {
            project: &project,
            package: None,
            path: std::path::Path::new("app.py"),
            trace: &trace,
        };
        let model = SemanticModel::of_source(parsed.syntax(), source, Some(context));
        let values: Vec<&Expr> = parsed
            .syntax()
            .body
            .iter()
            .filter_map(|statement| match statement {
                Stmt::Assign(assign) => Some(&*assign.value),
                _ => None,
            })
            .collect();
        let big: Vec<bool> = values
            .iter()
            .map(|value| model.provenance(value).big.is_some())
            .collect();
        assert_eq!(big, [true, true, false, false, false]);
        let mut asked = project.asked.lock().unwrap().clone();
        asked.sort();
        assert_eq!(asked, ["os", "os.path", "pkg.io"]);
        // The module that answered is what the findings used, once.
        let used: Vec<PathBuf> = trace
            .borrow()
            .used
            .iter()
            .map(|module| module.path.clone())
            .collect();
        assert_eq!(used, [PathBuf::from("pkg/io.py")]);
    }

    #[test]
    fn a_relative_import_imports_from_the_modules_own_top_level_package() {
        let source = "from .. import read_csv\n";
        let parsed = ruff_python_parser::parse_module(source).unwrap();
        let project = Recording::default();
        let trace = RefCell::default();
        let imports_pandas = |package| {
            let context = ProjectContext {
                project: &project,
                package,
                path: std::path::Path::new("pandas/io/parsers.py"),
                trace: &trace,
            };
            SemanticModel::of_source(parsed.syntax(), source, Some(context))
                .imports_any(crate::Packages::PANDAS)
        };
        assert!(imports_pandas(Some("pandas.io")));
        // Outside a known package the import names no module.
        assert!(!imports_pandas(None));
        assert!(!imports_pandas(Some("app.io")));
    }
}
