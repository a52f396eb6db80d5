use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use ruff_python_ast::helpers::any_over_expr;
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange};

use crate::{rule, Checker, Family, FixAvailability, Hook, Place};

rule! {
    /// ## What it does
    /// Flags `len()` of a collection built only to be counted: `len(list(it))`,
    /// `len(tuple(it))`, `len([... for ...])`, `len(f.readlines())`, `len(s.split(sep))`.
    ///
    /// ## Why is this bad?
    /// The whole collection is built, counted and thrown away: O(n) memory for one integer.
    /// `sum(1 for ...)` counts in constant memory, `s.count(sep) + 1` counts the parts of a
    /// split without making them, and the `len()` of an existing container is free.
    ///
    /// Not flagged: `len()` of an existing container, of a set (removing duplicates is the
    /// point), or of a list that is stored and used again.
    ///
    /// ## Example
    /// ```python
    /// def failed(results):
    ///     return len([r for r in results if not r.ok])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def failed(results):
    ///     return sum(1 for r in results if not r.ok)
    /// ```
    ///
    /// ## Fix safety
    /// `len([e for ...])` becomes `sum(1 for ...)`, `len(list(it))` becomes
    /// `sum(1 for _ in it)` (or `len(it)` when `it` is already a container),
    /// `len(f.readlines())` becomes `sum(1 for _ in f)`, and `len(s.split("x"))` becomes
    /// `s.count("x") + 1`. Safe, unless the element of the comprehension calls something: that
    /// call would no longer run, so the fix is then unsafe.
    pub static MATERIALIZE_FOR_LEN = {
        code: "EL205",
        name: "materialize-for-len",
        family: Family::Materialize,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::Sometimes,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    let [argument] = &*call.arguments.args else {
        return;
    };
    if !matches!(argument, Expr::Call(_) | Expr::ListComp(_)) || !call.arguments.keywords.is_empty()
    {
        return;
    }
    let semantic = checker.semantic();
    if !semantic.resolves_to(&call.func, &["builtins.len"]) {
        return;
    }
    let Some((built, replacement, applicability)) = counted_collection(checker, argument) else {
        return;
    };
    let shown = checker.snippet(call);
    let diagnostic = checker.report(
        call.range(),
        format!("`{shown}` builds a whole {built} only to count it"),
    );
    diagnostic.label = "every element is stored, counted and thrown away".to_string();
    diagnostic.help = Some(match &replacement {
        Some(replacement) => format!(
            "count without building it: `{}`",
            crate::checker::one_line(replacement)
        ),
        None => "count without building the list, e.g. with `sum(1 for ...)`".to_string(),
    });
    diagnostic.fix = replacement.map(|replacement| Fix {
        applicability,
        edits: vec![Edit::replacement(call.range(), replacement)],
    });
}

/// What `len()` counts, if it is a collection built for it: its description, the counting
/// expression to use instead, and whether that replacement is safe.
fn counted_collection(
    checker: &Checker,
    argument: &Expr,
) -> Option<(&'static str, Option<String>, Applicability)> {
    let semantic = checker.semantic();
    match argument {
        Expr::ListComp(comp) => {
            let first = comp.generators.first()?;
            let clauses = &checker.source()[TextRange::new(
                first.start(),
                comp.end() - ruff_text_size::TextSize::from(1),
            )];
            let calls = any_over_expr(&comp.elt, |expr| {
                expr.is_call_expr() || expr.is_await_expr()
            });
            let applicability = if calls {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            let asynchronous = comp.generators.iter().any(|generator| generator.is_async);
            let replacement = (!asynchronous).then(|| format!("sum(1 {})", clauses.trim_end()));
            Some(("list", replacement, applicability))
        }
        Expr::Call(inner) => {
            if semantic.resolves_to(&inner.func, &["builtins.list", "builtins.tuple"]) {
                let [source] = &*inner.arguments.args else {
                    return None;
                };
                if !inner.arguments.keywords.is_empty() || source.is_list_comp_expr() {
                    return None;
                }
                let source_text = checker.text(source);
                let iterable = checker.moved_text(source, Place::ComprehensionIterable);
                let container = matches!(
                    semantic.provenance(source).kind,
                    ValueKind::Str
                        | ValueKind::Bytes
                        | ValueKind::Bytearray
                        | ValueKind::List
                        | ValueKind::Tuple
                        | ValueKind::Set
                        | ValueKind::Dict
                        | ValueKind::Range
                );
                let replacement = if container {
                    format!("len({source_text})")
                } else {
                    format!("sum(1 for _ in {iterable})")
                };
                let built = if semantic.resolves_to(&inner.func, &["builtins.list"]) {
                    "list"
                } else {
                    "tuple"
                };
                return Some((built, Some(replacement), Applicability::Safe));
            }
            let Expr::Attribute(method) = &*inner.func else {
                return None;
            };
            let receiver = checker.text(&*method.value);
            match (method.attr.as_str(), &*inner.arguments.args) {
                ("readlines", []) if inner.arguments.keywords.is_empty() => Some((
                    "list of lines",
                    Some(format!("sum(1 for _ in {receiver})")),
                    Applicability::Safe,
                )),
                ("split", [Expr::StringLiteral(separator)])
                    if inner.arguments.keywords.is_empty()
                        && !separator.value.to_str().is_empty() =>
                {
                    let separator_text = checker.text(separator);
                    Some((
                        "list of parts",
                        Some(format!("{receiver}.count({separator_text}) + 1")),
                        Applicability::Safe,
                    ))
                }
                ("split", []) if inner.arguments.keywords.is_empty() => {
                    Some(("list of parts", None, Applicability::Safe))
                }
                _ => None,
            }
        }
        _ => None,
    }
}
