//! Where a module empties or shrinks an object that another module of the project defines:
//! `from .state import SEEN; SEEN.pop(key)`, `state.PENDING.clear()`, `state.CACHE = {}`,
//! `loader.load_model.cache_clear()`.
//!
//! A rule that reports an object nothing in its own module shrinks (an unbounded module-level
//! container, an unbounded cache) cannot know, from that module, what the others do. Each
//! module therefore tells the run what it shrinks elsewhere, and such findings hold only if no
//! module of the run shrinks their object (see `Diagnostic::unless_shrunk_elsewhere`).

use std::path::PathBuf;

use ruff_python_ast::{Expr, NodeKind, Stmt};
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
    ///
    /// Asked of every read of every imported name (`np` in `np.array(x)`), so the node table's
    /// kinds answer first, and the tree is read only for a node that may shrink its object:
    /// the tree is cold by now, and reading it cost a cache miss per node.
    fn shrunk_below(&self, name: NodeId) -> Option<NodeId> {
        let mut object = name;
        loop {
            let parent = self.parent(object)?;
            match self.node_kind(parent) {
                NodeKind::ExprAttribute => {
                    let NodeRef::Expr(Expr::Attribute(attribute)) = self.node(parent) else {
                        return None;
                    };
                    let method = attribute.attr.as_str();
                    if SHRINKING_METHODS.contains(&method) || method == "cache_clear" {
                        let called = self.parent(parent).is_some_and(|call| {
                            matches!(self.node(call), NodeRef::Expr(Expr::Call(call))
                                if call.func.range() == attribute.range)
                        });
                        if called {
                            return Some(object);
                        }
                    }
                    object = parent;
                }
                // `del object[key]`, `object[start:end] = items`.
                NodeKind::ExprSubscript => {
                    let NodeRef::Expr(Expr::Subscript(subscript)) = self.node(parent) else {
                        return None;
                    };
                    if subscript.value.range() != self.node(object).range() {
                        return None;
                    }
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
                NodeKind::StmtAssign | NodeKind::StmtAnnAssign | NodeKind::StmtDelete
                    if object != name =>
                {
                    let object_range = self.node(object).range();
                    let replaced = match self.node(parent) {
                        NodeRef::Stmt(Stmt::Assign(assign)) => assign
                            .targets
                            .iter()
                            .any(|target| target.range() == object_range),
                        NodeRef::Stmt(Stmt::AnnAssign(assign)) => {
                            assign.target.range() == object_range
                        }
                        NodeRef::Stmt(Stmt::Delete(_)) => true,
                        _ => false,
                    };
                    return replaced.then_some(object);
                }
                _ => return None,
            }
        }
    }
}
