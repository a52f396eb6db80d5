use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{CmpOp, Expr, NodeKind};
use ruff_text_size::Ranged;

use crate::checker::{help_code, Ancestor, Place};
use crate::consumers::is_iterated_once;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `list(range(...))`, `tuple(range(...))` and `[*range(...)]` used only to iterate
    /// (a `for` loop, a comprehension, an argument a function iterates once) or for an `in`
    /// test (`x in list(range(n))`).
    ///
    /// ## Why is this bad?
    /// A `range` is a tiny object (48 bytes) that computes its numbers on demand, and `x in
    /// range(n)` is an O(1) arithmetic test. Its list is n references plus n int objects,
    /// about 36 bytes per number, and `in` on it is an O(n) scan.
    ///
    /// Not flagged: lists that are stored, returned, mutated or passed on.
    ///
    /// By default it reports only a range as long as data shown to be large (`range(len(lines))`
    /// of a file's lines); a range of unknown length is reported with `--pedantic`, and one with
    /// literal bounds under 10,000 never.
    ///
    /// ## Example
    /// ```python
    /// def numbered(data_path):
    ///     with open(data_path) as log:
    ///         lines = log.readlines()
    ///     for index in list(range(len(lines))):
    ///         print(index, lines[index])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def numbered(data_path):
    ///     with open(data_path) as log:
    ///         lines = log.readlines()
    ///     for index in range(len(lines)):
    ///         print(index, lines[index])
    /// ```
    ///
    /// ## Fix safety
    /// The fix uses the `range` directly. It is safe: iterating a range and testing membership
    /// give the same results as on its list.
    pub static MATERIALIZED_RANGE = {
        code: "EL207",
        name: "materialized-range",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Always,
        sized: true,
        hooks: &[Hook::Expr(&[NodeKind::ExprCall, NodeKind::ExprList], check)],
    }
}

fn check(checker: &mut Checker, expr: &Expr) {
    let Some(range) = materialized_range(checker, expr) else {
        return;
    };
    let membership = matches!(checker.ancestors().next(), Some(Ancestor::Expr(Expr::Compare(compare)))
    if compare.comparators.iter().zip(&*compare.ops).any(|(right, op)| {
        right.range() == expr.range() && matches!(op, CmpOp::In | CmpOp::NotIn)
    }));
    if !membership && !is_iterated_once(checker, expr.range()) {
        return;
    }
    let shown = checker.snippet(expr);
    let range_text = checker
        .moved_text(range, Place::Instead(expr.range()))
        .into_owned();
    let Some(diagnostic) = checker.report_about_data(
        range,
        expr.range(),
        if membership {
            format!("`{shown}` builds a list of every number for an `in` test that `range` answers in O(1)")
        } else {
            format!("`{shown}` builds a list of every number only to iterate them once")
        },
    ) else {
        return;
    };
    diagnostic.label = "n references and n int objects, about 36 bytes per number".to_string();
    diagnostic.help = Some(match help_code(&range_text) {
        Some(code) => format!("use the range itself: `{code}`"),
        None => "use the range itself".to_string(),
    });
    diagnostic.fix = Some(Fix {
        applicability: Applicability::Safe,
        edits: vec![Edit::replacement(expr.range(), range_text)],
    });
}

/// The `range(...)` call inside `list(range(...))`, `tuple(range(...))` or `[*range(...)]`.
fn materialized_range<'a>(checker: &Checker, expr: &'a Expr) -> Option<&'a Expr> {
    let semantic = checker.semantic();
    let inner = match expr {
        // The shape first: most calls are not `list(...)` of one call.
        Expr::Call(call) => match &*call.arguments.args {
            [inner @ Expr::Call(_)]
                if call.arguments.keywords.is_empty()
                    && semantic.resolves_to(&call.func, &["builtins.list", "builtins.tuple"]) =>
            {
                inner
            }
            _ => return None,
        },
        Expr::List(list) => match &*list.elts {
            [Expr::Starred(starred)] => &*starred.value,
            _ => return None,
        },
        _ => return None,
    };
    match inner {
        Expr::Call(range) if semantic.resolves_to(&range.func, &["builtins.range"]) => Some(inner),
        _ => None,
    }
}
