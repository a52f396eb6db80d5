use edgelint_diagnostics::Diagnostic;
use edgelint_semantic::SemanticModel;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule};
use ruff_text_size::{Ranged, TextRange};

use crate::registry::{Hook, Rule};
use crate::RuleSet;

/// What a rule sees besides its node: the source text and the semantic model, and the place
/// to report findings.
pub struct Checker<'a> {
    source: &'a str,
    semantic: &'a SemanticModel<'a>,
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

    /// The source text of a node.
    pub fn text(&self, node: impl Ranged) -> &'a str {
        &self.source[node.range()]
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

/// Runs the enabled rules over `module` in one walk and returns their findings, in the order
/// they were found.
pub fn check_module(
    module: &ModModule,
    source: &str,
    semantic: &SemanticModel,
    rules: &RuleSet,
) -> Vec<Diagnostic> {
    let mut calls = Vec::new();
    for rule in rules.iter() {
        for hook in rule.hooks {
            match *hook {
                Hook::Call(check) => calls.push((rule, check)),
            }
        }
    }
    let mut walker = Walker {
        checker: Checker {
            source,
            semantic,
            // Replaced before every hook call.
            rule: &crate::engine::SYNTAX_ERROR,
            diagnostics: Vec::new(),
        },
        calls,
    };
    walker.visit_body(&module.body);
    walker.checker.diagnostics
}

type CallCheck = fn(&mut Checker, &ExprCall);

/// The single walk: each node goes to the rules registered for its kind.
struct Walker<'a> {
    checker: Checker<'a>,
    calls: Vec<(&'static Rule, CallCheck)>,
}

impl<'a> Visitor<'a> for Walker<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            for &(rule, check) in &self.calls {
                self.checker.rule = rule;
                check(&mut self.checker, call);
            }
        }
        visitor::walk_expr(self, expr);
    }
}
