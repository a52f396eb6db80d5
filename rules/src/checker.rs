use edgelint_diagnostics::Diagnostic;
use edgelint_semantic::{ScopeId, SemanticModel};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::registry::{Hook, Rule};
use crate::RuleSet;

/// What a rule sees besides its node: the source text, the semantic model and the scope the
/// node is in, and the place to report findings.
pub struct Checker<'a> {
    source: &'a str,
    semantic: &'a SemanticModel<'a>,
    scope: ScopeId,
    /// The rule being run, so that reports carry its code, name and severity.
    rule: &'static Rule,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub fn source(&self) -> &'a str {
        self.source
    }

    pub fn semantic(&self) -> &'a SemanticModel<'a> {
        self.semantic
    }

    /// The scope of the node being checked (for a `def` or `class`, the enclosing one).
    pub fn scope(&self) -> ScopeId {
        self.scope
    }

    /// The source text of a node.
    pub fn text(&self, node: impl Ranged) -> &'a str {
        &self.source[node.range()]
    }

    /// The whitespace before a node when it starts its line, or `None` when other code comes
    /// first on that line.
    pub fn indentation(&self, node: impl Ranged) -> Option<&'a str> {
        let start = node.start().to_usize();
        let line_start = self.source[..start]
            .rfind(['\n', '\r'])
            .map_or(0, |index| index + 1);
        let indentation = &self.source[line_start..start];
        indentation
            .chars()
            .all(|c| c == ' ' || c == '\t')
            .then_some(indentation)
    }

    /// Where the line holding `offset` ends (before its newline), when nothing but a comment
    /// follows `offset` on it.
    pub fn end_of_line_after(&self, offset: TextSize) -> Option<TextSize> {
        let rest = &self.source[offset.to_usize()..];
        let length = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let tail = rest[..length].trim_start();
        (tail.is_empty() || tail.starts_with('#'))
            .then(|| offset + TextSize::try_from(length).expect("a line fits in a file"))
    }

    /// The file's newline: `\r\n` when its first line ends so, otherwise `\n`.
    pub fn newline(&self) -> &'static str {
        match self.source.find('\n') {
            Some(index) if self.source[..index].ends_with('\r') => "\r\n",
            _ => "\n",
        }
    }

    /// Reports a finding of the running rule at `range`; the caller fills in label, help,
    /// notes and fix on the returned diagnostic.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        let rule = self.rule;
        self.diagnostics.push(Diagnostic::new(
            rule.code,
            rule.name,
            rule.severity,
            message,
            range,
        ));
        self.diagnostics
            .last_mut()
            .expect("a diagnostic was just pushed")
    }
}

type CallCheck = fn(&mut Checker, &ExprCall);
type StmtCheck = fn(&mut Checker, &Stmt);
type FunctionCheck = fn(&mut Checker, &StmtFunctionDef);

/// The enabled rules' hooks, by the node kind they want.
#[derive(Default)]
struct Dispatch {
    calls: Vec<(&'static Rule, CallCheck)>,
    statements: Vec<(&'static Rule, StmtCheck)>,
    functions: Vec<(&'static Rule, FunctionCheck)>,
}

/// Runs the enabled rules over `module` in one walk and returns their findings, in the order
/// they were found.
pub fn check_module(
    module: &ModModule,
    source: &str,
    semantic: &SemanticModel,
    rules: &RuleSet,
) -> Vec<Diagnostic> {
    let mut dispatch = Dispatch::default();
    for rule in rules.iter() {
        for hook in rule.hooks {
            match *hook {
                Hook::Call(check) => dispatch.calls.push((rule, check)),
                Hook::Stmt(check) => dispatch.statements.push((rule, check)),
                Hook::Function(check) => dispatch.functions.push((rule, check)),
            }
        }
    }
    let mut walker = Walker {
        checker: Checker {
            source,
            semantic,
            scope: SemanticModel::MODULE_SCOPE,
            // Replaced before every hook call.
            rule: &crate::engine::SYNTAX_ERROR,
            diagnostics: Vec::new(),
        },
        dispatch,
    };
    walker.visit_body(&module.body);
    walker.checker.diagnostics
}

/// The single walk: each node goes to the rules registered for its kind, with the checker's
/// scope following the walk into functions, classes, lambdas and comprehensions.
struct Walker<'a> {
    checker: Checker<'a>,
    dispatch: Dispatch,
}

impl Walker<'_> {
    fn in_scope_of(&mut self, node: impl Ranged, walk: impl FnOnce(&mut Self)) {
        let outer = self.checker.scope;
        if let Some(scope) = self.checker.semantic.scope_of(node) {
            self.checker.scope = scope;
        }
        walk(self);
        self.checker.scope = outer;
    }
}

impl<'a> Visitor<'a> for Walker<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        for &(rule, check) in &self.dispatch.statements {
            self.checker.rule = rule;
            check(&mut self.checker, stmt);
        }
        match stmt {
            Stmt::FunctionDef(function) => {
                for &(rule, check) in &self.dispatch.functions {
                    self.checker.rule = rule;
                    check(&mut self.checker, function);
                }
                self.in_scope_of(function, |walker| visitor::walk_stmt(walker, stmt));
            }
            Stmt::ClassDef(class) => {
                self.in_scope_of(class, |walker| visitor::walk_stmt(walker, stmt));
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            for &(rule, check) in &self.dispatch.calls {
                self.checker.rule = rule;
                check(&mut self.checker, call);
            }
        }
        match expr {
            Expr::Lambda(_)
            | Expr::ListComp(_)
            | Expr::SetComp(_)
            | Expr::DictComp(_)
            | Expr::Generator(_) => {
                self.in_scope_of(expr, |walker| visitor::walk_expr(walker, expr))
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}
