//! A module's summary for the modules that import it (see [`crate::project`]): what each of
//! its functions and methods returns, and whether it runs long, from its own text alone.

use std::cell::OnceCell;
use std::path::PathBuf;
use std::sync::Arc;

use ruff_python_ast::{Expr, StmtFunctionDef};
use ruff_source_file::LineIndex;
use ruff_text_size::TextRange;

use crate::project::{Evidence, FunctionSummary, Imports, ModuleSummary, Returned};
use crate::provenance::{Origin, Provenance, ValueKind};
use crate::{BindingKind, SemanticModel};

/// The file a summary is made from.
pub struct SummarySource<'s> {
    pub path: PathBuf,
    /// The file as reports name it.
    pub display_path: &'s str,
    pub text: &'s str,
    /// The text's line index, built the first time evidence needs rows and columns.
    pub line_index: &'s OnceCell<LineIndex>,
    pub content_hash: u64,
}

impl SemanticModel<'_> {
    /// Summarizes the module for its importers, from this module alone: what the other
    /// modules of the project say is not asked while it is made, so that a summary is the same
    /// whichever model it is made from and whenever.
    pub fn summarize(&self, source: &SummarySource) -> ModuleSummary {
        self.summarizing.set(true);
        let summary = self.summarize_alone(source);
        self.summarizing.set(false);
        summary
    }

    fn summarize_alone(&self, source: &SummarySource) -> ModuleSummary {
        let mut summary = ModuleSummary {
            path: source.path.clone(),
            content_hash: source.content_hash,
            ..ModuleSummary::default()
        };
        let mut imports = Vec::new();
        for (name, binding) in &self.module_scope().current {
            match &self.binding(*binding).kind {
                BindingKind::FunctionDef(function) => {
                    let name = QualifiedFunction(None, name);
                    let summary_of = self.summarize_function(function, name, source);
                    if summary_of != FunctionSummary::UNKNOWN {
                        summary.functions.insert(name.to_string(), summary_of);
                    }
                }
                BindingKind::ClassDef(class) => {
                    let Some(scope) = self.scope_of(*class) else {
                        continue;
                    };
                    for (method, binding) in &self.scope(scope).current {
                        if let BindingKind::FunctionDef(function) = &self.binding(*binding).kind {
                            let name = QualifiedFunction(Some(name), method);
                            let summary_of = self.summarize_function(function, name, source);
                            if summary_of != FunctionSummary::UNKNOWN {
                                summary.functions.insert(name.to_string(), summary_of);
                            }
                        }
                    }
                }
                BindingKind::Import {
                    qualified_name: Some(target),
                } => imports.push((*name, target.as_str())),
                _ => {}
            }
        }
        summary.imports = Imports::new(imports);
        summary
    }

    fn summarize_function(
        &self,
        function: &StmtFunctionDef,
        name: QualifiedFunction,
        source: &SummarySource,
    ) -> FunctionSummary {
        let returned = self.returned_by(function);
        let returns = match returned {
            Provenance {
                kind,
                big: Some(reason),
                origin,
            } => {
                let evidence = match origin {
                    Some(Origin::Here(range)) => {
                        let message = format!(
                            "`{name}()` returns {}, {}",
                            reason.describe(),
                            reason.origin_phrase()
                        );
                        Some(Arc::new(evidence_at(source, range, message)))
                    }
                    _ => None,
                };
                Returned::Value {
                    kind,
                    big: Some((reason, evidence)),
                }
            }
            Provenance {
                kind: ValueKind::Unknown,
                ..
            } => match self.returned_call(function) {
                Some(callee) => Returned::Call(callee),
                None => Returned::Unknown,
            },
            Provenance { kind, .. } => Returned::Value { kind, big: None },
        };
        let backpropagated = self.backward_of_returned(function).map(|backward| {
            let message = format!("`{name}()` returns the loss it called `.backward()` on here");
            Arc::new(evidence_at(source, backward, message))
        });
        let evaluated = self.eval_of_returned(function).map(|eval| {
            let message = format!("`{name}()` returns a model it put in eval mode here");
            Arc::new(evidence_at(source, eval, message))
        });
        FunctionSummary {
            returns,
            long_running: self.blocks_long(function),
            backpropagated,
            evaluated,
        }
    }

    /// The function whose result every `return` with a value returns, by qualified name: a
    /// call to an imported function (`return load(path)`), directly or through a local name
    /// bound once (`frames = load(path); return frames`).
    fn returned_call(&self, function: &StmtFunctionDef) -> Option<String> {
        let scope = self.scope_of(function)?;
        let mut callees = self.scope(scope).returns.iter().filter_map(|ret| {
            let value = ret.value.as_deref()?;
            Some(self.called_by(value))
        });
        let first = callees.next()??;
        callees
            .all(|callee| callee.as_ref() == Some(&first))
            .then_some(first)
    }

    fn called_by(&self, value: &Expr) -> Option<String> {
        let value = match value {
            Expr::Name(name) => match self.binding(self.binding_of(name)?).kind {
                BindingKind::Assignment { value: Some(value) } => value,
                _ => return None,
            },
            _ => value,
        };
        let Expr::Call(call) = value else {
            return None;
        };
        let callee = self.resolve(&call.func)?;
        (callee.builtin().is_none()).then(|| callee.as_str().to_string())
    }
}

/// A function's name in its module (`load`, or `Reader.load` for a method), spelled out only
/// when a summary keeps it: most functions' summaries say nothing and are dropped.
#[derive(Copy, Clone)]
struct QualifiedFunction<'n>(Option<&'n str>, &'n str);

impl std::fmt::Display for QualifiedFunction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(class) => write!(f, "{class}.{}", self.1),
            None => f.write_str(self.1),
        }
    }
}

/// The place `range` of the summarized file, with its lines, for reports about other files.
fn evidence_at(source: &SummarySource, range: TextRange, message: String) -> Evidence {
    let index = source
        .line_index
        .get_or_init(|| LineIndex::from_source_text(source.text));
    let position = |offset| {
        let location = index.line_column(offset, source.text);
        (location.line.get(), location.column.get())
    };
    let first_line = index.line_index(range.start());
    let last_line = index.line_index(range.end());
    let snippet_start = index.line_start(first_line, source.text);
    let snippet_end = index.line_end(last_line, source.text);
    let start = (range.start() - snippet_start).to_usize();
    Evidence {
        path: source.display_path.to_string(),
        start: position(range.start()),
        end: position(range.end()),
        snippet: source.text[TextRange::new(snippet_start, snippet_end)].to_string(),
        snippet_first_row: first_line.get(),
        snippet_range: start..start + range.len().to_usize(),
        message,
    }
}
