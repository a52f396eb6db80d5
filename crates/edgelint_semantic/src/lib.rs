//! What rules need beyond the syntax tree, built once per file before the rules run.
//!
//! - [`SemanticModel`]: every statement and expression by [`NodeId`], with its parent, scope
//!   and where it stands (in a loop, at import time, in a `finally`, with autograd off);
//!   scopes, bindings and references with Python's rules (class bodies not
//!   visible in methods, comprehension scopes, `global`/`nonlocal`, `del`, walrus, `except ...
//!   as` unbinding, closures), and name resolution through imports (`np.zeros` is
//!   `numpy.zeros`, `sum` is `builtins.sum` unless something shadows it).
//! - [`provenance`]: what kind of value an expression produces, and whether it is big.
//! - [`cfg`]: a control-flow graph per function, with liveness of its local names.
//! - [`Project`], [`ModuleSummary`]: the other modules of the project, summarized, so that a
//!   call into one is answered as if the callee were local.

mod backward;
mod builder;
mod call_sites;
pub mod cfg;
#[cfg(test)]
mod cfg_tests;
#[cfg(test)]
mod depth_tests;
mod handed_out;
mod known_apis;
mod long_running;
mod model;
mod nodes;
#[cfg(test)]
mod nodes_tests;
mod packages;
mod programs;
mod project;
pub mod provenance;
mod shrinks;
mod size;
mod summary;
#[cfg(test)]
mod tests;

pub use backward::is_backward_of;
pub use handed_out::{applied_at_import, called_without_autograd};
pub use long_running::Region;
pub use model::{
    Binding, BindingId, BindingKind, NodeId, QualifiedName, Reference, ReferenceId, Scope, ScopeId,
    ScopeKind, SemanticModel, Target,
};
pub use nodes::{blocks_of, last_name, NodeRef, Nodes};
pub use packages::Packages;
pub use project::{
    Evidence, FunctionSummary, Imports, ModuleSummary, Project, ProjectContext, ProjectTrace,
    Returned, MAX_CALL_DEPTH,
};
pub use shrinks::{Shrunk, SHRINKING_METHODS, STORING_METHODS};
pub use size::Size;
pub use summary::SummarySource;

impl<'a> SemanticModel<'a> {
    /// The model of a module checked alone, whose tree nests no deeper than
    /// [`edgelint_source::MAX_NESTING`] (the model and the rules walk it recursively).
    pub fn new(module: &'a ruff_python_ast::ModModule) -> Self {
        builder::Builder::build(module, None, None, false).expect("the walk has no limit")
    }

    /// The model of a module parsed from `source`, checked alone or as part of a project
    /// whose other modules' summaries it can read; its tree must nest no deeper than
    /// [`edgelint_source::MAX_NESTING`] (see [`SemanticModel::of_parsed`]). The text lets the
    /// builder skip work a module without a walrus does not need.
    pub fn of_source(
        module: &'a ruff_python_ast::ModModule,
        source: &str,
        project: Option<ProjectContext<'a>>,
    ) -> Self {
        builder::Builder::build(module, Some(source), project, false)
            .expect("the walk has no limit")
    }

    /// [`SemanticModel::of_source`] for a tree of any depth: the model, or the first node
    /// nested deeper than [`edgelint_source::MAX_NESTING`], which the model and the rules
    /// cannot afford to walk.
    ///
    /// The model's own walk vouches for the depth of a tree of ordinary depth (and so
    /// `parsed` is freed without being measured); only a tree that the walk finds deep is
    /// measured, to tell where it is too deep, if it is.
    pub fn of_parsed(
        parsed: &'a edgelint_source::ParsedSource,
        source: &str,
        project: Option<ProjectContext<'a>>,
    ) -> Result<Self, ruff_text_size::TextRange> {
        let module = parsed.syntax();
        if let Some(model) = builder::Builder::build(module, Some(source), project, true) {
            parsed.nests_at_most(edgelint_source::MAX_NESTING);
            return Ok(model);
        }
        match parsed.nesting().too_deep {
            Some(range) => Err(range),
            None => Ok(Self::of_source(module, source, project)),
        }
    }
}
