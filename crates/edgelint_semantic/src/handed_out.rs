//! Attributes a module hands on: raises (`raise self._error`, `raise X from conn.error`),
//! returns (`return self._exception`), chains (`exc.__cause__ = self.parser_exc`), passes to a
//! call (`future.set_exception(self._exc)`) or resets to `None`; and the container attributes
//! it empties (`conn.pending.pop(key)`, `del self.waiters[key]`).
//!
//! An object that keeps a caught exception in an attribute keeps it on purpose when some code
//! reads it back to hand it on, and that code is often in another module
//! (`raise self.protocol.handshake_exc`). The type of the object is seldom known there, so the
//! attribute is matched by name: each module tells the run the names it hands on, and a finding
//! about a kept exception, or a container on a long-lived object that grows, holds only if no
//! module of the run hands its attribute on or empties it (see
//! `Diagnostic::unless_handed_out_elsewhere`).
//!
//! A module that imports torch also hands on, in the same way, the methods it calls with
//! autograd off ([`called_without_autograd`]): a model's inference helper called only from other
//! modules is their business when one of them turns autograd off around it. And every module
//! hands on the decorators it applies while it loads ([`applied_at_import`]): a registry that
//! only a decorator grows is filled at import, wherever the decorator is applied.

use ruff_python_ast::{self as ast, Expr, NodeKind, Stmt};
use rustc_hash::FxHashSet as HashSet;

use crate::{NodeRef, ScopeId, SemanticModel};

/// How a module tells the run that it calls the method `name` with autograd off
/// (`with torch.no_grad(): model.predict(batch)`): `predict()`, which no attribute is named.
pub fn called_without_autograd(name: &str) -> String {
    format!("{name}()")
}

/// How a module tells the run that it applies the decorator `name` while it loads: `@handler`
/// for `@handler` or `@registry.handler`, whose body then runs at import; `@codec()` for
/// `@codec(".json")`, whose body and the function it returns both run at import. What these
/// add to a registry is added once per decorated definition.
pub fn applied_at_import(name: &str, called: bool) -> String {
    if called {
        format!("@{name}()")
    } else {
        format!("@{name}")
    }
}

impl<'a> SemanticModel<'a> {
    /// The names of the attributes this module hands on, and of the methods it calls with
    /// autograd off (see [`called_without_autograd`]), sorted, each once: from what the builder
    /// noted as it walked the module, worked out once, since the run and EL306 both ask.
    pub fn attributes_handed_out(&self) -> &[String] {
        self.handed_out
            .get_or_init(|| self.find_attributes_handed_out())
    }

    /// `"_error"` for a name bound to an attribute read, `error = self._error` or
    /// `error = getattr(obj, "_error", None)`.
    fn attribute_read_into(&self, name: &ruff_python_ast::ExprName) -> Option<&'a str> {
        let binding = self.binding(self.binding_of(name)?);
        let Some(Stmt::Assign(assign)) = binding.statement else {
            return None;
        };
        let call = match &*assign.value {
            Expr::Attribute(attribute) => return Some(attribute.attr.as_str()),
            Expr::Call(call) => call,
            _ => return None,
        };
        let is_getattr =
            matches!(&*call.func, Expr::Name(function) if function.id.as_str() == "getattr");
        match &*call.arguments.args {
            // An attribute's name is one literal (not `to_str`, which would keep a joined text in
            // the tree: see `edgelint_source::literal_text`).
            [_, Expr::StringLiteral(attribute), ..] if is_getattr => {
                match attribute.value.as_slice() {
                    [name] => Some(name.as_str()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn find_attributes_handed_out(&self) -> Vec<String> {
        let noted = &self.handing_on;
        // Most names are handed on many times: each is copied once, after the duplicates go
        // (by hash: sorting them all compared their text, spread over the source, again and
        // again).
        let mut names: HashSet<&str> = noted.attributes.iter().copied().collect();
        names.extend(
            noted
                .names
                .iter()
                .filter_map(|name| self.attribute_read_into(name)),
        );
        let mut called_without_autograd = Vec::new();
        if self.imports_any(crate::Packages::TORCH) {
            called_without_autograd.extend(noted.without_autograd.iter().copied());
            // Each decorated function's decorators are read once.
            let mut decorated = vec![None; self.scopes.len()];
            called_without_autograd.extend(noted.in_decorated.iter().filter_map(
                |(method, scope)| {
                    let turns_off = *decorated[scope.index()]
                        .get_or_insert_with(|| self.decorated_without_autograd(*scope));
                    turns_off.then_some(*method)
                },
            ));
        }
        called_without_autograd.sort_unstable();
        called_without_autograd.dedup();
        let mut names: Vec<String> = names
            .into_iter()
            .map(str::to_string)
            .chain(
                called_without_autograd
                    .into_iter()
                    .map(self::called_without_autograd),
            )
            .chain(noted.decorators.iter().flat_map(|(name, called)| {
                // A factory's own body runs at import too.
                std::iter::once(self::applied_at_import(name, false))
                    .chain(called.then(|| self::applied_at_import(name, true)))
            }))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// What the builder notes of each node that may hand an attribute on, while the node is at
/// hand, for [`SemanticModel::attributes_handed_out`]: the syntax tells most of it; a name
/// handed on (which may hold an attribute read) and a method called in a decorated function
/// are settled when the question is asked, with the whole model.
#[derive(Debug, Default)]
pub(crate) struct HandingOn<'a> {
    /// `self._error` raised, `conn.pending.pop(key)`, `self._errors[key]` passed on: the
    /// attribute's name.
    attributes: Vec<&'a str>,
    /// Names raised, returned, passed or emptied: `error` in `error = self._error; raise error`.
    names: Vec<&'a ast::ExprName>,
    /// Methods called inside a block that turns autograd off.
    without_autograd: Vec<&'a str>,
    /// Methods called in the body of a decorated function, which may turn autograd off.
    in_decorated: Vec<(&'a str, ScopeId)>,
    /// Decorators applied while the module loads, and whether each is called.
    decorators: Vec<(&'a str, bool)>,
}

/// Where the builder stands when it numbers a node: what [`HandingOn::note`] needs of it.
pub(crate) struct Place {
    pub(crate) at_import_time: bool,
    pub(crate) autograd_off: bool,
    /// For a call, its scope when that is the body of a decorated function.
    pub(crate) decorated_function: Option<ScopeId>,
}

impl<'a> HandingOn<'a> {
    /// Room for the names a module of `bytes` bytes hands on: about one per 200 bytes of the
    /// real code the benchmark checks (call arguments, mostly), sized a little under.
    pub(crate) fn with_room_for(bytes: usize) -> Self {
        HandingOn {
            names: Vec::with_capacity(bytes / 256),
            ..HandingOn::default()
        }
    }

    /// Notes what `node` hands on, empties or applies.
    pub(crate) fn note(&mut self, node: NodeRef<'a>, place: Place) {
        match node {
            NodeRef::Stmt(Stmt::FunctionDef(ast::StmtFunctionDef { decorator_list, .. }))
            | NodeRef::Stmt(Stmt::ClassDef(ast::StmtClassDef { decorator_list, .. }))
                if place.at_import_time =>
            {
                self.decorators
                    .extend(decorator_list.iter().filter_map(|decorator| {
                        let name = decorator_name(&decorator.expression)?;
                        Some((name, decorator.expression.is_call_expr()))
                    }));
            }
            NodeRef::Stmt(Stmt::Return(ret)) => self.add(ret.value.as_deref()),
            NodeRef::Stmt(Stmt::Raise(raise)) => {
                self.add(raise.exc.as_deref());
                self.add(raise.cause.as_deref());
            }
            NodeRef::Stmt(Stmt::Assign(assign)) => {
                if assign.value.is_none_literal_expr() {
                    assign
                        .targets
                        .iter()
                        .for_each(|target| self.add(Some(target)));
                } else if assign.targets.iter().any(|target| {
                    matches!(target, Expr::Attribute(chained)
                        if matches!(chained.attr.as_str(), "__cause__" | "__context__"))
                }) {
                    self.add(Some(&assign.value));
                }
            }
            // `del conn.pending[key]`: it empties the container, as a shrinking method does.
            NodeRef::Stmt(Stmt::Delete(delete)) => {
                delete.targets.iter().for_each(|target| {
                    if target.is_subscript_expr() {
                        self.add(Some(target));
                    }
                });
            }
            NodeRef::Expr(Expr::Call(call)) => {
                if let Expr::Attribute(method) = &*call.func {
                    let name = method.attr.as_str();
                    // `conn.pending.pop(key)`, `self.waiters.clear()`.
                    if crate::SHRINKING_METHODS.contains(&name) {
                        self.add(Some(&method.value));
                    }
                    if place.autograd_off {
                        self.without_autograd.push(name);
                    } else if let Some(scope) = place.decorated_function {
                        self.in_decorated.push((name, scope));
                    }
                }
                // `len(self.pending)` only looks at it.
                if matches!(&*call.func, Expr::Name(function)
                    if matches!(function.id.as_str(), "len" | "bool" | "id" | "isinstance"))
                {
                    return;
                }
                call.arguments
                    .args
                    .iter()
                    .for_each(|argument| self.add(Some(argument)));
                call.arguments
                    .keywords
                    .iter()
                    .for_each(|keyword| self.add(Some(&keyword.value)));
            }
            _ => {}
        }
    }

    /// `self._error`, and `self._errors[key]` for a container of them; a name, which may be
    /// bound to `self._error` or `getattr(self, "_error", None)`.
    fn add(&mut self, expr: Option<&'a Expr>) {
        match expr {
            Some(Expr::Attribute(attribute)) => self.attributes.push(attribute.attr.as_str()),
            Some(Expr::Name(name)) => self.names.push(name),
            Some(Expr::Subscript(subscript)) => {
                if let Expr::Attribute(attribute) = &*subscript.value {
                    self.attributes.push(attribute.attr.as_str());
                }
            }
            _ => {}
        }
    }
}

/// Whether a node of this kind can hand an attribute on, empty it or apply a decorator: the
/// builder notes only these (see [`HandingOn::note`]).
pub(crate) fn may_hand_on(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::StmtFunctionDef
            | NodeKind::StmtClassDef
            | NodeKind::StmtReturn
            | NodeKind::StmtRaise
            | NodeKind::StmtAssign
            | NodeKind::StmtDelete
            | NodeKind::ExprCall
    )
}

/// The name a decorator is known by: `register` in `@register`, `@register("x")` and
/// `@registry.register("x")`.
fn decorator_name(decorator: &Expr) -> Option<&str> {
    let applied = match decorator {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    match applied {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}
