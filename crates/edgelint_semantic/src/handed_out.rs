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

use crate::{NodeId, NodeRef, SemanticModel};

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
    /// autograd off (see [`called_without_autograd`]), sorted, each once: found in one scan of
    /// the module, which the run and EL306 both ask.
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
            [_, Expr::StringLiteral(attribute), ..] if is_getattr => Some(attribute.value.to_str()),
            _ => None,
        }
    }

    fn find_attributes_handed_out(&self) -> Vec<String> {
        let mut names: Vec<&str> = Vec::new();
        let mut called_without_autograd = Vec::new();
        let mut applied_at_import = Vec::new();
        let uses_torch = self.imports_any(&["torch"]);
        // Asked of every method call: each function's decorators are read once.
        let mut decorated = vec![None; if uses_torch { self.scopes.len() } else { 0 }];
        let mut runs_without_autograd = |id: NodeId| {
            let scope = self.node_scope(id);
            self.autograd_off(id)
                || *decorated[scope.index()]
                    .get_or_insert_with(|| self.decorated_without_autograd(scope))
        };
        // `self._error`, and `self._errors[key]` for a container of them; a name bound to
        // `self._error` or `getattr(self, "_error", None)`.
        let mut add = |expr: Option<&'a Expr>| match expr {
            Some(Expr::Attribute(attribute)) => names.push(attribute.attr.as_str()),
            Some(Expr::Name(name)) => {
                if let Some(attribute) = self.attribute_read_into(name) {
                    names.push(attribute);
                }
            }
            Some(Expr::Subscript(subscript)) => {
                if let Expr::Attribute(attribute) = &*subscript.value {
                    names.push(attribute.attr.as_str());
                }
            }
            _ => {}
        };
        for &id in &self.handing_nodes {
            match self.node(id) {
                NodeRef::Stmt(Stmt::FunctionDef(ast::StmtFunctionDef {
                    decorator_list, ..
                }))
                | NodeRef::Stmt(Stmt::ClassDef(ast::StmtClassDef { decorator_list, .. }))
                    if self.at_import_time(id) =>
                {
                    for decorator in decorator_list {
                        let called = decorator.expression.is_call_expr();
                        if let Some(name) = decorator_name(&decorator.expression) {
                            // A factory's own body runs at import too.
                            applied_at_import.push(self::applied_at_import(name, false));
                            if called {
                                applied_at_import.push(self::applied_at_import(name, true));
                            }
                        }
                    }
                }
                NodeRef::Stmt(Stmt::Return(ret)) => add(ret.value.as_deref()),
                NodeRef::Stmt(Stmt::Raise(raise)) => {
                    add(raise.exc.as_deref());
                    add(raise.cause.as_deref());
                }
                NodeRef::Stmt(Stmt::Assign(assign)) => {
                    if assign.value.is_none_literal_expr() {
                        assign.targets.iter().for_each(|target| add(Some(target)));
                    } else if assign.targets.iter().any(|target| {
                        matches!(target, Expr::Attribute(chained)
                            if matches!(chained.attr.as_str(), "__cause__" | "__context__"))
                    }) {
                        add(Some(&assign.value));
                    }
                }
                // `del conn.pending[key]`: it empties the container, as a shrinking method
                // does.
                NodeRef::Stmt(Stmt::Delete(delete)) => {
                    delete.targets.iter().for_each(|target| {
                        if target.is_subscript_expr() {
                            add(Some(target));
                        }
                    });
                }
                NodeRef::Expr(Expr::Call(call)) => {
                    if let Expr::Attribute(method) = &*call.func {
                        // `conn.pending.pop(key)`, `self.waiters.clear()`.
                        if crate::SHRINKING_METHODS.contains(&method.attr.as_str()) {
                            add(Some(&method.value));
                        }
                        if uses_torch && runs_without_autograd(id) {
                            called_without_autograd.push(method.attr.as_str());
                        }
                    }
                    // `len(self.pending)` only looks at it.
                    if matches!(&*call.func, Expr::Name(function)
                        if matches!(function.id.as_str(), "len" | "bool" | "id" | "isinstance"))
                    {
                        continue;
                    }
                    call.arguments
                        .args
                        .iter()
                        .for_each(|argument| add(Some(argument)));
                    call.arguments
                        .keywords
                        .iter()
                        .for_each(|keyword| add(Some(&keyword.value)));
                }
                _ => {}
            }
        }
        // Most names are handed on many times: each is copied once, after the duplicates go.
        names.sort_unstable();
        names.dedup();
        let mut names: Vec<String> = names
            .into_iter()
            .map(str::to_string)
            .chain(
                called_without_autograd
                    .into_iter()
                    .map(self::called_without_autograd),
            )
            .chain(applied_at_import)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Whether a node of this kind can hand an attribute on, empty it or apply a decorator: the
/// builder lists these nodes as it numbers them, so that the scan reads only them.
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
