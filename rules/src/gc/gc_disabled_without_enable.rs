use edgelint_diagnostics::Severity;
use edgelint_semantic::{BindingKind, ScopeKind, SemanticModel};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `gc.disable()` in a function that has no `gc.enable()` in a `finally:` block
    /// (or in the `__exit__` of the context manager whose `__enter__` disables it), and at
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
            enables_in_finally(semantic, &function.body) || exit_enables(checker, function)
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
        Some("re-enable it on every path: `try: ... finally: gc.enable()`".to_string());
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

fn enables_in_finally(semantic: &SemanticModel, body: &[Stmt]) -> bool {
    let mut finder = EnableFinder::new(semantic, true);
    finder.visit_body(body);
    finder.found
}

/// `__enter__` disables and the class's `__exit__` enables: a `with` runs `__exit__` on every
/// path out.
fn exit_enables(checker: &Checker, function: &StmtFunctionDef) -> bool {
    if function.name.as_str() != "__enter__" {
        return false;
    }
    let semantic = checker.semantic();
    let Some(class_scope) = semantic.scope(checker.scope()).parent else {
        return false;
    };
    let Some(exit) = semantic.scope(class_scope).binding("__exit__") else {
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
    in_finally: bool,
    found: bool,
}

impl<'m> EnableFinder<'m> {
    fn new(semantic: &'m SemanticModel<'m>, only_in_finally: bool) -> Self {
        EnableFinder {
            semantic,
            only_in_finally,
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
            if (self.in_finally || !self.only_in_finally)
                && self.semantic.resolves_to(&call.func, &["gc.enable"])
            {
                self.found = true;
            }
        }
        visitor::walk_expr(self, expr);
    }
}
