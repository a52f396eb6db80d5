use edgelint_diagnostics::Severity;
use edgelint_semantic::{BindingKind, ScopeKind, SemanticModel};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `gc.disable()` in a function that has no `gc.enable()` in a `finally:` block
    /// (or in the `__exit__` or `tearDown` paired with the `__enter__` or `setUp` that disables
    /// it, or registered with `addCleanup(gc.enable)`), and at
    /// module level when the module never enables the collector again. Modules that use
    /// `gc.freeze()` (the pre-fork pattern) manage the collector on purpose and are not
    /// flagged.
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
        default_enabled: true,
        fix: FixAvailability::None,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    let semantic = checker.semantic();
    if !semantic.resolves_to(&call.func, &["gc.disable"]) || uses_freeze(checker) {
        return;
    }
    let restored = match semantic.scope(checker.scope()).kind {
        // Run once at import: a module-level `gc.enable()` anywhere restores it.
        ScopeKind::Module => {
            let mut finder = EnableFinder::new(semantic, false);
            for statement in &checker.module().body {
                if !matches!(statement, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                    finder.visit_stmt(statement);
                }
            }
            finder.found
        }
        ScopeKind::Function(function) => {
            enables_in_finally(semantic, &function.body)
                || registers_enable(semantic, &function.body)
                || exit_enables(checker, function)
        }
        _ => return,
    };
    if restored {
        return;
    }
    let diagnostic = checker.report(
        call.range(),
        "`gc.disable()` without a `gc.enable()` in a `finally`: an exception leaves the collector off for good",
    );
    diagnostic.label = "from here on, every reference cycle stays in memory".to_string();
    diagnostic.help =
        Some("re-enable it on every path: call `gc.enable()` in the `finally:` block of a `try:` around the work".to_string());
}

/// The pre-fork pattern (`gc.disable()`, load, `gc.freeze()`, fork) manages the collector on
/// purpose.
fn uses_freeze(checker: &Checker) -> bool {
    let semantic = checker.semantic();
    checker.module().body.iter().any(|statement| {
        let mut finder = FreezeFinder {
            semantic,
            found: false,
        };
        finder.visit_stmt(statement);
        finder.found
    })
}

struct FreezeFinder<'m> {
    semantic: &'m SemanticModel<'m>,
    found: bool,
}

impl<'a> Visitor<'a> for FreezeFinder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            if self.semantic.resolves_to(&call.func, &["gc.freeze"]) {
                self.found = true;
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// `self.addCleanup(gc.enable)`, `atexit.register(gc.enable)`: `gc.enable` handed to code that
/// calls it on the way out.
fn registers_enable(semantic: &SemanticModel, body: &[Stmt]) -> bool {
    let mut finder = EnableFinder::new(semantic, false);
    finder.registered_only = true;
    finder.visit_body(body);
    finder.found
}

fn enables_in_finally(semantic: &SemanticModel, body: &[Stmt]) -> bool {
    let mut finder = EnableFinder::new(semantic, true);
    finder.visit_body(body);
    finder.found
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
fn exit_enables(checker: &Checker, function: &StmtFunctionDef) -> bool {
    let Some((_, exit_name)) = PAIRS
        .iter()
        .find(|(enter, _)| *enter == function.name.as_str())
    else {
        return false;
    };
    let semantic = checker.semantic();
    let Some(class_scope) = semantic.scope(checker.scope()).parent else {
        return false;
    };
    let Some(exit) = semantic.scope(class_scope).binding(exit_name) else {
        return false;
    };
    let BindingKind::FunctionDef(exit) = semantic.binding(exit).kind else {
        return false;
    };
    let mut finder = EnableFinder::new(semantic, false);
    finder.visit_body(&exit.body);
    finder.found
}

/// Looks for `gc.enable()`, optionally only inside `finally` blocks, not in nested functions.
struct EnableFinder<'m> {
    semantic: &'m SemanticModel<'m>,
    only_in_finally: bool,
    /// Look for `gc.enable` passed as an argument instead of called.
    registered_only: bool,
    in_finally: bool,
    found: bool,
}

impl<'m> EnableFinder<'m> {
    fn new(semantic: &'m SemanticModel<'m>, only_in_finally: bool) -> Self {
        EnableFinder {
            semantic,
            only_in_finally,
            registered_only: false,
            in_finally: false,
            found: false,
        }
    }
}

impl<'a> Visitor<'a> for EnableFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    self.visit_except_handler(handler);
                }
                self.visit_body(&try_stmt.orelse);
                let outer = self.in_finally;
                self.in_finally = true;
                self.visit_body(&try_stmt.finalbody);
                self.in_finally = outer;
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let found = if self.registered_only {
                call.arguments
                    .args
                    .iter()
                    .any(|argument| self.semantic.resolves_to(argument, &["gc.enable"]))
            } else {
                (self.in_finally || !self.only_in_finally)
                    && self.semantic.resolves_to(&call.func, &["gc.enable"])
            };
            self.found |= found;
        }
        visitor::walk_expr(self, expr);
    }
}
