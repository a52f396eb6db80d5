//! Whether a piece of code may modify a container: the question that decides if iterating a
//! copy of it is needed (`for x in items[:]: items.remove(x)`) or waste.

use edgelint_semantic::{BindingKind, NodeRef, ScopeKind, SemanticModel};
use ruff_python_ast::{Expr, ExprContext, Stmt};

/// Methods that change the container they are called on.
pub(crate) const MUTATING_METHODS: &[&str] = &[
    "append",
    "appendleft",
    "extend",
    "extendleft",
    "insert",
    "remove",
    "pop",
    "popleft",
    "popitem",
    "clear",
    "sort",
    "reverse",
    "rotate",
    "add",
    "discard",
    "update",
    "setdefault",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
    "__setitem__",
    "__delitem__",
];

/// The code run while a container is iterated: a loop body, or a comprehension's element and
/// conditions.
pub(crate) enum Body<'a> {
    Statements(&'a [Stmt]),
    Expressions(Vec<&'a Expr>),
}

/// Methods of elements that cannot reach back into the container holding them (str and mapping
/// accessors).
const PURE_ELEMENT_METHODS: &[&str] = &[
    "startswith",
    "endswith",
    "lower",
    "upper",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "partition",
    "rpartition",
    "replace",
    "find",
    "rfind",
    "index",
    "count",
    "format",
    "encode",
    "decode",
    "join",
    "isdigit",
    "isalpha",
    "isalnum",
    "isspace",
    "isidentifier",
    "get",
    "keys",
    "values",
    "items",
    "copy",
    "hex",
    "bit_length",
];

/// What the code shows of a container's type.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) enum Container {
    /// Sliced, so a sequence: reading an item never adds one.
    Sequence,
    /// Possibly a `defaultdict`, which reading a missing key grows.
    Any,
}

/// Whether `body` may modify `container` (a name or an attribute chain): a method call on it
/// other than a reader's (`get`, `count`, `keys`, ...), an item assignment or deletion, rebinding it, or passing it to any call. For
/// `owner.attr`, also any method call on `owner` or passing `owner` on, and any change to
/// another attribute of `owner` (a property may be a view of it); for a module-level
/// name, any call to a function of the module. Anything else that is not a name or an attribute
/// chain is assumed to be modified.
///
/// `elements` are the names the loop binds to the container's elements. An element can reach
/// back into its container (a dispatcher that removes itself from its map on `close()`, a DOM
/// node re-parented by `appendChild`), so calling a method on one (other than a pure accessor)
/// or passing one to any call but a builtin or another container's `append`/`add`/… counts as
/// a possible modification too.
pub(crate) fn may_modify(
    semantic: &SemanticModel,
    container: &Expr,
    elements: &[&str],
    body: Body,
    kind: Container,
) -> bool {
    let Some(path) = dotted_path(container) else {
        return true;
    };
    let owner = match container {
        Expr::Attribute(attribute) => dotted_path(&attribute.value),
        Expr::Name(name) => source_owner(semantic, name),
        _ => None,
    };
    let is_global = match container {
        Expr::Name(name) => semantic.binding_of(name).is_some_and(|binding| {
            matches!(
                semantic.scope(semantic.binding(binding).scope).kind,
                ScopeKind::Module
            )
        }),
        _ => false,
    };
    let finder = MutationFinder {
        semantic,
        path,
        owner,
        is_global,
        elements,
        kind,
    };
    let roots = match body {
        Body::Statements(statements) => statements
            .iter()
            .filter_map(|statement| semantic.node_id(statement))
            .collect(),
        Body::Expressions(expressions) => expressions
            .iter()
            .filter_map(|expr| semantic.node_id(*expr))
            .collect::<Vec<_>>(),
    };
    // Everything the body runs, nested functions and lambdas included: they could change the
    // container when called.
    roots.into_iter().any(|root| {
        semantic
            .subtree(root)
            .into_bodies()
            .any(|id| finder.changes(semantic.node(id)))
    })
}

/// For a local bound to what another object holds (`names = registry.names`,
/// `keys = self.table.keys()`), that object: changing it (`registry.register(x)`) may change
/// the local's value, an alias of its insides or a view of them. A method that builds a new
/// object (`line.split(",")`) hands out nothing of its receiver's.
fn source_owner(semantic: &SemanticModel, name: &ruff_python_ast::ExprName) -> Option<String> {
    let binding = semantic.binding(semantic.binding_of(name)?);
    let BindingKind::Assignment { value: Some(value) } = &binding.kind else {
        return None;
    };
    match value {
        Expr::Attribute(attribute) => dotted_path(&attribute.value),
        Expr::Call(call) if call.arguments.is_empty() => match &*call.func {
            Expr::Attribute(view) if matches!(view.attr.as_str(), "keys" | "values" | "items") => {
                dotted_path(&view.value)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The names a loop target binds: `v`, or `k` and `v` in `k, (v, w)`.
pub(crate) fn target_names(target: &Expr) -> Vec<&str> {
    match target {
        Expr::Name(name) => vec![name.id.as_str()],
        Expr::Tuple(tuple) => tuple.elts.iter().flat_map(target_names).collect(),
        Expr::List(list) => list.elts.iter().flat_map(target_names).collect(),
        Expr::Starred(starred) => target_names(&starred.value),
        _ => Vec::new(),
    }
}

/// `a`, `a.b`, `a.b.c` as text, for names and attribute chains only.
pub(crate) fn dotted_path(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attribute) => Some(format!(
            "{}.{}",
            dotted_path(&attribute.value)?,
            attribute.attr
        )),
        _ => None,
    }
}

struct MutationFinder<'m> {
    semantic: &'m SemanticModel<'m>,
    path: String,
    owner: Option<String>,
    is_global: bool,
    elements: &'m [&'m str],
    kind: Container,
}

impl MutationFinder<'_> {
    fn is_container(&self, expr: &Expr) -> bool {
        dotted_path(expr).is_some_and(|path| path == self.path)
    }

    fn is_owner(&self, expr: &Expr) -> bool {
        self.owner
            .as_deref()
            .is_some_and(|owner| dotted_path(expr).is_some_and(|path| path == owner))
    }

    /// For a container `owner.attr`, another attribute of the same owner (`owner.other`): a
    /// property may return a view of it (`self.keys_view` of `self._data`), so changing one
    /// may change the other.
    fn is_sibling(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Attribute(attribute) if self.is_owner(&attribute.value))
    }

    /// A store into the container: `c[k] = v`, `c = v`, `c += v`, `del c[k]`, `for c in ...`.
    fn is_store_target(&self, target: &Expr) -> bool {
        match target {
            Expr::Subscript(subscript) => {
                self.is_container(&subscript.value) || self.is_sibling(&subscript.value)
            }
            Expr::Tuple(tuple) => tuple
                .elts
                .iter()
                .any(|element| self.is_store_target(element)),
            Expr::List(list) => list
                .elts
                .iter()
                .any(|element| self.is_store_target(element)),
            Expr::Starred(starred) => self.is_store_target(&starred.value),
            _ => self.is_container(target),
        }
    }

    fn is_element(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(name) if self.elements.contains(&name.id.as_str()))
    }

    /// A call that may hand an element to code able to reach the container.
    fn uses_element_unsafely(&self, call: &ruff_python_ast::ExprCall) -> bool {
        if let Expr::Attribute(method) = &*call.func {
            if self.is_element(&method.value)
                && !PURE_ELEMENT_METHODS.contains(&method.attr.as_str())
            {
                return true;
            }
        }
        let passes_element = call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .any(|argument| self.is_element(argument));
        if !passes_element {
            return false;
        }
        let builtin = self
            .semantic
            .resolve(&call.func)
            .is_some_and(|name| name.builtin().is_some());
        let harmless_method = match &*call.func {
            // `other.append(x)` stores the element elsewhere; `container.count(x)` only reads.
            Expr::Attribute(method) => {
                let name = method.attr.as_str();
                (crate::uses::STORING_METHODS.contains(&name) && !self.is_container(&method.value))
                    || (self.is_container(&method.value) && !MUTATING_METHODS.contains(&name))
            }
            _ => false,
        };
        !(builtin || harmless_method)
    }

    fn is_module_function(&self, func: &Expr) -> bool {
        let Expr::Name(name) = func else {
            return false;
        };
        self.semantic.binding_of(name).is_some_and(|binding| {
            matches!(
                self.semantic.binding(binding).kind,
                BindingKind::FunctionDef(_)
            )
        })
    }
}

impl MutationFinder<'_> {
    /// Whether this one node may change the container.
    fn changes(&self, node: NodeRef) -> bool {
        match node {
            NodeRef::Stmt(statement) => self.stores(statement),
            NodeRef::Expr(expr) => self.changes_in_expression(expr),
        }
    }

    fn stores(&self, statement: &Stmt) -> bool {
        match statement {
            Stmt::Assign(assign) => assign
                .targets
                .iter()
                .any(|target| self.is_store_target(target)),
            Stmt::AugAssign(assign) => self.is_store_target(&assign.target),
            Stmt::AnnAssign(assign) => self.is_store_target(&assign.target),
            Stmt::Delete(delete) => delete
                .targets
                .iter()
                .any(|target| self.is_store_target(target)),
            Stmt::For(for_stmt) => self.is_store_target(&for_stmt.target),
            Stmt::With(with) => with
                .items
                .iter()
                .filter_map(|item| item.optional_vars.as_deref())
                .any(|target| self.is_store_target(target)),
            _ => false,
        }
    }

    fn changes_in_expression(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(call) => {
                let mutating_method = match &*call.func {
                    // Any method of the container but its readers: the methods of a graph, a
                    // registry or a cache (`g.add_edge`) change it under other names.
                    Expr::Attribute(method) => {
                        let name = method.attr.as_str();
                        (self.is_container(&method.value) && !PURE_ELEMENT_METHODS.contains(&name))
                            || (self.is_sibling(&method.value) && MUTATING_METHODS.contains(&name))
                    }
                    _ => false,
                };
                let owner_method = match &*call.func {
                    Expr::Attribute(method) => self.is_owner(&method.value),
                    _ => false,
                };
                let passed_on = call
                    .arguments
                    .args
                    .iter()
                    .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                    .any(|argument| self.is_container(argument) || self.is_owner(argument));
                mutating_method
                    || owner_method
                    || passed_on
                    || self.uses_element_unsafely(call)
                    || (self.is_global && self.is_module_function(&call.func))
            }
            // `graph[node]` adds `node` when `graph` is a `defaultdict` and `node` is missing;
            // the key the loop is at (`graph[key]` in `for key in list(graph)`) is there.
            Expr::Subscript(subscript) => {
                self.kind == Container::Any
                    && subscript.ctx == ExprContext::Load
                    && self.is_container(&subscript.value)
                    && !self.is_element(&subscript.slice)
            }
            // A walrus rebinding the container.
            Expr::Named(named) => self.is_container(&named.target),
            // A nested function or lambda that mentions the container could change it when
            // called.
            Expr::Lambda(lambda) => self.semantic.any_expr_in(&*lambda.body, |inner| {
                dotted_path(inner).is_some_and(|inner| inner == self.path)
            }),
            Expr::Name(name) => name.ctx == ExprContext::Store && name.id.as_str() == self.path,
            _ => false,
        }
    }
}
