use edgelint_diagnostics::Severity;
use edgelint_semantic::{
    BindingKind, NodeId, NodeRef, Packages, ScopeId, ScopeKind, SemanticModel,
};
use ruff_python_ast::{ExceptHandler, Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `gc.disable()` in a function that has no `gc.enable()` in a `finally:` block
    /// (or in the `__exit__` or `tearDown` paired with the `__enter__` or `setUp` that disables
    /// it, or registered with `addCleanup(gc.enable)`), and at
    /// module level when the module never enables the collector again. Modules that use
    /// `gc.freeze()` (the pre-fork pattern) manage the collector on purpose and are not
    /// flagged, nor is a catch-all handler that enables it and re-raises
    /// (`except BaseException: gc.enable(); raise`), nor a function whose last statement is
    /// the `gc.disable()` (a `--disable-gc` switch: turning it off is what it is for), nor a
    /// `gc.disable()` that puts back the state the code found: in a `finally:`, or under an
    /// `if` that asks what `gc.isenabled()` said (`if not enabled: gc.disable()`).
    ///
    /// ## Why is this bad?
    /// With the cyclic collector off, every reference cycle created from then on stays in
    /// memory: exceptions and their tracebacks, objects pointing at each other, closures. If
    /// an exception skips the `gc.enable()`, the collector stays off for the rest of the
    /// process and memory grows without bound. Only a `finally` (or a `with` statement) runs
    /// on every path out.
    ///
    /// ## Example
    /// ```python
    /// import gc
    ///
    /// def load_fast(path, parse):
    ///     gc.disable()
    ///     records = parse(path)
    ///     gc.enable()
    ///     return records
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import gc
    ///
    /// def load_fast(path, parse):
    ///     gc.disable()
    ///     try:
    ///         return parse(path)
    ///     finally:
    ///         gc.enable()
    /// ```
    pub static GC_DISABLED_WITHOUT_ENABLE = {
        code: "EL402",
        name: "gc-disabled-without-enable",
        family: Family::GarbageCollection,
        severity: Severity::Error,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Module(check)],
    }
}

/// Judges the module as a whole: whether it uses `gc.freeze()` anywhere, and for each
/// `gc.disable()`, the code that may enable the collector again.
fn check(checker: &mut Checker) {
    let semantic = checker.semantic();
    if !semantic.imports_any(Packages::GC) {
        return;
    }
    let everything = || {
        semantic
            .scope_nodes(SemanticModel::MODULE_SCOPE)
            .into_bodies()
    };
    let calls_to = |name: &str, id: NodeId| {
        matches!(semantic.node(id), NodeRef::Expr(Expr::Call(call))
            if semantic.resolves_to(&call.func, &[name]))
    };
    let disables: Vec<NodeId> = everything()
        .filter(|id| calls_to("gc.disable", *id))
        .collect();
    // The pre-fork pattern (`gc.disable()`, load, `gc.freeze()`, fork) manages the collector
    // on purpose.
    if disables.is_empty() || everything().any(|id| calls_to("gc.freeze", id)) {
        return;
    }
    for disable in disables {
        if restores_saved_state(semantic, disable) {
            continue;
        }
        let scope = semantic.node_scope(disable);
        let restored = match semantic.scope(scope).kind {
            // Run once at import: a module-level `gc.enable()` anywhere restores it.
            ScopeKind::Module => {
                calls_in_own_code(semantic, SemanticModel::MODULE_SCOPE, |_, call| {
                    semantic.resolves_to(&call.func, &["gc.enable"])
                })
            }
            ScopeKind::Function(function) => {
                enables_in_finally(semantic, scope)
                    || enables_in_catch_all(semantic, scope)
                    || registers_enable(semantic, scope)
                    || exit_enables(semantic, scope, function)
                    || is_last_statement(function, semantic.node(disable).range())
            }
            _ => continue,
        };
        if restored {
            continue;
        }
        let range = semantic.node(disable).range();
        let diagnostic = checker.report_in(
            scope,
            range,
            "`gc.disable()` without a `gc.enable()` in a `finally`: an exception leaves the collector off for good",
        );
        diagnostic.label = "from here on, every reference cycle stays in memory".to_string();
        diagnostic.help =
            Some("re-enable it on every path: call `gc.enable()` in the `finally:` block of a `try:` around the work".to_string());
    }
}

/// Whether the disable puts back the state the code found, which was off: it runs in a
/// `finally` (on the way out, whatever happened), or under an `if` that asks what
/// `gc.isenabled()` said (`enabled = gc.isenabled()` ... `if not enabled: gc.disable()`).
fn restores_saved_state(semantic: &SemanticModel, disable: NodeId) -> bool {
    semantic.in_finally(disable)
        || semantic
            .ancestors(disable)
            .map(|ancestor| semantic.node(ancestor))
            .take_while(|node| !matches!(node, NodeRef::Stmt(Stmt::FunctionDef(_))))
            .any(|node| match node {
                NodeRef::Stmt(Stmt::If(if_stmt)) => {
                    asks_isenabled(semantic, &if_stmt.test)
                        || if_stmt
                            .elif_else_clauses
                            .iter()
                            .filter_map(|clause| clause.test.as_ref())
                            .any(|test| asks_isenabled(semantic, test))
                }
                _ => false,
            })
}

/// Whether `test` asks what `gc.isenabled()` said: the call itself, or a name bound to it.
fn asks_isenabled(semantic: &SemanticModel, test: &Expr) -> bool {
    semantic.any_expr_in(test, |expr| {
        let value = match expr {
            Expr::Name(name) => {
                let Some(binding) = semantic.binding_of(name) else {
                    return false;
                };
                match semantic.binding(binding).kind {
                    BindingKind::Assignment { value: Some(value) } => value,
                    _ => return false,
                }
            }
            other => other,
        };
        matches!(value, Expr::Call(call) if semantic.resolves_to(&call.func, &["gc.isenabled"]))
    })
}

/// Whether a call of the scope's own code (nested functions and classes left out, lambdas
/// included) satisfies `found`.
fn calls_in_own_code(
    semantic: &SemanticModel,
    scope: ScopeId,
    mut found: impl FnMut(NodeId, &ExprCall) -> bool,
) -> bool {
    let mut nodes = semantic.scope_nodes(scope).into_bodies();
    while let Some(id) = nodes.next() {
        match semantic.node(id) {
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) => nodes.skip_descendants(id),
            NodeRef::Expr(Expr::Call(call)) if found(id, call) => return true,
            _ => {}
        }
    }
    false
}

/// `self.addCleanup(gc.enable)`, `atexit.register(gc.enable)`: `gc.enable` handed to code that
/// calls it on the way out.
fn registers_enable(semantic: &SemanticModel, function: ScopeId) -> bool {
    calls_in_own_code(semantic, function, |_, call| {
        call.arguments
            .args
            .iter()
            .any(|argument| semantic.resolves_to(argument, &["gc.enable"]))
    })
}

fn enables_in_finally(semantic: &SemanticModel, function: ScopeId) -> bool {
    calls_in_own_code(semantic, function, |id, call| {
        semantic.in_finally(id) && semantic.resolves_to(&call.func, &["gc.enable"])
    })
}

/// `except BaseException: gc.enable(); raise` (or a bare `except:`): every exception passes
/// through a handler that turns the collector back on, as a `finally` would.
fn enables_in_catch_all(semantic: &SemanticModel, function: ScopeId) -> bool {
    semantic.scope_nodes(function).any(|id| {
        let NodeRef::Stmt(Stmt::Try(try_stmt)) = semantic.node(id) else {
            return false;
        };
        try_stmt.handlers.iter().any(|handler| {
            let ExceptHandler::ExceptHandler(handler) = handler;
            let catches_all = handler.type_.as_deref().is_none_or(
                |caught| matches!(caught, Expr::Name(name) if name.id.as_str() == "BaseException"),
            );
            catches_all
                && matches!(handler.body.last(), Some(Stmt::Raise(_)))
                && handler.body.iter().any(|statement| {
                    semantic.any_expr_in(statement, |expr| {
                        matches!(expr, Expr::Call(call)
                            if semantic.resolves_to(&call.func, &["gc.enable"]))
                    })
                })
        })
    })
}

/// `def opt_disablegc(self): gc.disable()`: turning the collector off is what the function is
/// for, and nothing after it in the function can fail before a `gc.enable()`.
fn is_last_statement(function: &StmtFunctionDef, disable: TextRange) -> bool {
    matches!(function.body.last(), Some(Stmt::Expr(statement)) if statement.value.range() == disable)
}

/// Set-up and tear-down pairs whose second half runs on every path out of the first: a `with`
/// runs `__exit__`, and unittest runs `tearDown` after every test whose `setUp` succeeded.
const PAIRS: &[(&str, &str)] = &[
    ("__enter__", "__exit__"),
    ("__aenter__", "__aexit__"),
    ("setUp", "tearDown"),
    ("setUpClass", "tearDownClass"),
    ("asyncSetUp", "asyncTearDown"),
    ("setup_method", "teardown_method"),
];

/// The disable is in the first method of a pair and the class's second method enables.
fn exit_enables(semantic: &SemanticModel, scope: ScopeId, function: &StmtFunctionDef) -> bool {
    let Some((_, exit_name)) = PAIRS
        .iter()
        .find(|(enter, _)| *enter == function.name.as_str())
    else {
        return false;
    };
    let Some(class_scope) = semantic.scope(scope).parent else {
        return false;
    };
    let Some(exit) = semantic.scope(class_scope).binding(exit_name) else {
        return false;
    };
    let BindingKind::FunctionDef(exit) = semantic.binding(exit).kind else {
        return false;
    };
    let Some(exit) = semantic.scope_of(exit) else {
        return false;
    };
    calls_in_own_code(semantic, exit, |_, call| {
        semantic.resolves_to(&call.func, &["gc.enable"])
    })
}
