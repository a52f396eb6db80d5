//! Where a module empties or shrinks an object that another module of the project defines:
//! `from .state import SEEN; SEEN.pop(key)`, `state.PENDING.clear()`, `state.CACHE = {}`,
//! `loader.load_model.cache_clear()`.
//!
//! A rule that reports an object nothing in its own module shrinks (an unbounded module-level
//! container, an unbounded cache) cannot know, from that module, what the others do. Each
//! module therefore tells the run what it shrinks elsewhere, and such findings hold only if no
//! module of the run shrinks their object (see `Diagnostic::unless_shrunk_elsewhere`).

use std::path::PathBuf;

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::{BindingKind, NodeId, NodeRef, SemanticModel};

/// Methods that put their argument into the receiver.
pub const STORING_METHODS: &[&str] = &[
    "append",
    "appendleft",
    "extend",
    "extendleft",
    "insert",
    "add",
    "update",
    "setdefault",
    "put",
    "put_nowait",
    "push",
];

/// Methods that take elements out of a container, or empty it.
pub const SHRINKING_METHODS: &[&str] = &["clear", "pop", "popitem", "popleft", "remove", "discard"];

/// An object defined at the top of a module of the project (a container, a cached function, a
/// class attribute) that another module shrinks.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shrunk {
    /// The file of the module that defines it.
    pub path: PathBuf,
    /// Its dotted name in that module: `SEEN`, `load_model`, `Registry.items`.
    pub name: String,
}

impl SemanticModel<'_> {
    /// The objects of other modules of the project that this module shrinks, each once.
    pub fn shrunk_in_other_modules(&self) -> Vec<Shrunk> {
        if self.project.is_none() {
            return Vec::new();
        }
        let mut shrunk = Vec::new();
        for &import in &self.import_bindings {
            let BindingKind::Import {
                qualified_name: Some(target),
            } = &self.binding(import).kind
            else {
                continue;
            };
            for reference in self.references_of(import) {
                let Some(object) = self.shrunk_below(self.reference(*reference).node) else {
                    continue;
                };
                let mut qualified = target.clone();
                if let Some(object) = self.node(object).as_expr() {
                    crate::model::push_attributes(&mut qualified, object);
                }
                shrunk.extend(self.project_definition(&qualified));
            }
        }
        shrunk.sort();
        shrunk.dedup();
        shrunk
    }

    /// When the imported name read at `name` is the start of an expression that the code
    /// around it shrinks, that expression (`SEEN` in `SEEN.clear()`, `state.PENDING` in
    /// `state.PENDING.pop(key)`). Most reads of an imported name shrink nothing: nothing is
    /// kept on the way up.
    fn shrunk_below(&self, name: NodeId) -> Option<NodeId> {
        let mut object = name;
        loop {
            let parent = self.parent(object)?;
            let object_range = self.node(object).range();
            match self.node(parent) {
                NodeRef::Expr(Expr::Attribute(attribute)) => {
                    let method = attribute.attr.as_str();
                    let called = self.parent(parent).is_some_and(|call| {
                        matches!(self.node(call), NodeRef::Expr(Expr::Call(call))
                            if call.func.range() == attribute.range)
                    });
                    if called && (SHRINKING_METHODS.contains(&method) || method == "cache_clear") {
                        return Some(object);
                    }
                    object = parent;
                }
                // `del object[key]`, `object[start:end] = items`.
                NodeRef::Expr(Expr::Subscript(subscript))
                    if subscript.value.range() == object_range =>
                {
                    let statement = self.node(self.parent(parent)?).as_stmt()?;
                    let shrinks = match statement {
                        Stmt::Delete(_) => true,
                        Stmt::Assign(assign) => {
                            subscript.slice.is_slice_expr()
                                && assign
                                    .targets
                                    .iter()
                                    .any(|target| target.range() == subscript.range)
                        }
                        _ => false,
                    };
                    return shrinks.then_some(object);
                }
                // `state.CACHE = {}`, `del state.CACHE`: the module's object is replaced.
                NodeRef::Stmt(Stmt::Assign(assign))
                    if object != name
                        && assign
                            .targets
                            .iter()
                            .any(|target| target.range() == object_range) =>
                {
                    return Some(object);
                }
                NodeRef::Stmt(Stmt::AnnAssign(assign))
                    if object != name && assign.target.range() == object_range =>
                {
                    return Some(object);
                }
                NodeRef::Stmt(Stmt::Delete(_)) if object != name => return Some(object),
                _ => return None,
            }
        }
    }
}
