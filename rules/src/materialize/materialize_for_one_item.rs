use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use ruff_python_ast::{Expr, ExprCall, ExprSubscript, NodeKind, Number, UnaryOp};
use ruff_text_size::Ranged;

use crate::checker::help_code;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook, Place};

rule! {
    /// ## What it does
    /// Flags a whole collection built to take one item, or a few: `list(x)[0]`, `tuple(x)[0]`,
    /// `list(x)[-1]`, `[f(v) for v in vs][0]`, `sorted(x)[0]`, `sorted(x)[-1]`, and
    /// `sorted(x)[:k]` / `sorted(x)[-k:]` with a small literal `k`.
    ///
    /// ## Why is this bad?
    /// `list(x)[0]` copies every element to keep the first: O(n) memory for O(1) of use.
    /// `sorted(x)[0]` also sorts everything (O(n log n)) to find the smallest, which `min(x)`
    /// finds in one pass with no copy, and `heapq.nsmallest(k, x)` keeps only k items. When `x`
    /// is already a list or tuple, `list(x)[0]` is never flagged: index it directly.
    ///
    /// By default it reports only a collection of data shown to be large (the lines of a file,
    /// a loaded document); one of unknown size is reported with `--pedantic`, and one of data
    /// small by construction (a constant tuple, a model's children, `sys.argv`) never.
    ///
    /// Modules written for TorchScript (they call `torch.jit.is_scripting()` or use
    /// `@torch.jit.unused`, `torch.jit.annotate`, ...) are left alone: TorchScript compiles
    /// lists, not generators or `itertools`.
    ///
    /// ## Example
    /// ```python
    /// import json
    ///
    /// def newest(data_path):
    ///     with open(data_path) as stream:
    ///         entries = json.load(stream)
    ///     return sorted(entries, key=lambda entry: entry["mtime"])[-1]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def newest(data_path):
    ///     with open(data_path) as stream:
    ///         entries = json.load(stream)
    ///     return max(entries, key=lambda entry: entry["mtime"])
    /// ```
    ///
    /// ## Fix safety
    /// `list(x)[0]` becomes `next(iter(x))`, `[e for v in vs][0]` becomes `next(e for v in vs)`,
    /// `sorted(x)[0]` becomes `min(x)` and `sorted(x)[-1]` becomes `max(x)` (keeping `key=`;
    /// `reverse=True` swaps them). Unsafe: on empty input the exception differs
    /// (`StopIteration` or `ValueError` instead of `IndexError`), and for equal keys `min`
    /// and `max` may pick a different one of the ties than the sort.
    pub static MATERIALIZE_FOR_ONE_ITEM = {
        code: "EL204",
        name: "materialize-for-one-item",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Expr(&[NodeKind::ExprSubscript], check)],
    }
}

/// The largest `k` for which `sorted(x)[:k]` counts as taking "a few".
const FEW: u64 = 10;

fn check(checker: &mut Checker, expr: &Expr) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
    let Expr::Subscript(subscript) = expr else {
        return;
    };
    match &*subscript.value {
        Expr::ListComp(comp) => {
            let Some(index @ (0 | -1)) = literal_index(&subscript.slice) else {
                return;
            };
            let asynchronous = comp.generators.iter().any(|generator| generator.is_async);
            let comp_text = checker.text(&*subscript.value);
            let generator = &comp_text[1..comp_text.len() - 1];
            let fix = (index == 0 && !asynchronous && checker.builtin_is_visible("next"))
                .then(|| format!("next({generator})"));
            let first = format!("next({generator})");
            let suggestion = match index {
                0 => with_code(
                    &first,
                    "takes the first match without building the list",
                    "take the first match with the builtin `next` over a generator expression",
                ),
                _ => "keep the last match in a loop, or in a `collections.deque` with `maxlen=1`"
                    .to_string(),
            };
            report(checker, subscript, "list comprehension", suggestion, fix);
        }
        Expr::Call(call) => check_call(checker, subscript, call),
        _ => {}
    }
}

fn check_call(checker: &mut Checker, subscript: &ExprSubscript, call: &ExprCall) {
    let semantic = checker.semantic();
    let Some(name) = semantic.resolve(&call.func) else {
        return;
    };
    let [source] = &*call.arguments.args else {
        return;
    };
    match name.as_str() {
        "builtins.list" | "builtins.tuple" if call.arguments.keywords.is_empty() => {
            let Some(index @ (0 | -1)) = literal_index(&subscript.slice) else {
                return;
            };
            // `list(known_list)[0]` is an index away from `known_list[0]`; that is not a
            // materialization to report.
            if matches!(
                semantic.provenance(source).kind,
                ValueKind::List | ValueKind::Tuple
            ) {
                return;
            }
            let (suggestion, fix) = if index == 0 {
                let sole = checker.moved_text(source, Place::SoleArgument);
                let exact = format!("next(iter({sole}))");
                let fix = (checker.builtin_is_visible("next")
                    && checker.builtin_is_visible("iter"))
                .then(|| exact.clone());
                (
                    with_code(
                        &exact,
                        "takes the first item without a copy",
                        "take the first item with `next(iter(...))`, without a copy",
                    ),
                    fix,
                )
            } else {
                let deque = checker
                    .semantic()
                    .import_access("collections.deque")
                    .unwrap_or_else(|| "collections.deque".to_string());
                let source = checker.moved_text(source, Place::Argument);
                let exact = format!("{deque}({source}, maxlen=1)[0]");
                (
                    with_code(
                        &exact,
                        "keeps only the last item",
                        "keep the last item in a loop, or in a `collections.deque` with `maxlen=1`",
                    ),
                    None,
                )
            };
            let kind = name.builtin().unwrap_or("list").to_string();
            report(checker, subscript, &format!("{kind}()"), suggestion, fix);
        }
        "builtins.sorted" => {
            let reverse = call
                .arguments
                .find_keyword("reverse")
                .map(|keyword| &keyword.value);
            let reversed = match reverse {
                None => false,
                Some(Expr::BooleanLiteral(literal)) => literal.value,
                Some(_) => return,
            };
            let other_keywords = call
                .arguments
                .keywords
                .iter()
                .any(|keyword| !matches!(keyword.arg.as_deref(), Some("key" | "reverse")));
            if other_keywords {
                return;
            }
            let key = call
                .arguments
                .find_keyword("key")
                .map(|keyword| format!(", key={}", checker.text(&keyword.value)))
                .unwrap_or_default();
            let place = if key.is_empty() {
                Place::SoleArgument
            } else {
                Place::Argument
            };
            let moved_source = checker.moved_text(source, place);
            if let Some(index @ (0 | -1)) = literal_index(&subscript.slice) {
                let smallest = (index == 0) != reversed;
                let function = if smallest { "min" } else { "max" };
                let exact = format!("{function}({moved_source}{key})");
                let suggestion = with_code(
                    &exact,
                    "finds it in one pass, without sorting or copying",
                    &format!("`{function}()` finds it in one pass, without sorting or copying"),
                );
                let fix = checker.builtin_is_visible(function).then_some(exact);
                report(checker, subscript, "sorted()", suggestion, fix);
            } else if let Expr::Slice(slice) = &*subscript.slice {
                let few = match (&slice.lower, &slice.upper, &slice.step) {
                    (None, Some(upper), None) => literal_count(upper).map(|k| (k, true)),
                    (Some(lower), None, None) => negative_literal(lower).map(|k| (k, false)),
                    _ => None,
                };
                let Some((k, first)) = few.filter(|(k, _)| (1..=FEW).contains(k)) else {
                    return;
                };
                let function = if first != reversed {
                    "nsmallest"
                } else {
                    "nlargest"
                };
                let order = if first {
                    ""
                } else {
                    " (in the opposite order)"
                };
                let heapq = checker
                    .semantic()
                    .import_access(&format!("heapq.{function}"))
                    .unwrap_or_else(|| format!("heapq.{function}"));
                let source = checker.moved_text(source, Place::Argument);
                let exact = format!("{heapq}({k}, {source}{key})");
                let suggestion = with_code(
                    &exact,
                    &format!("keeps only {k} items{order}"),
                    &format!("`heapq.{function}()` keeps only {k} items{order}"),
                );
                report(checker, subscript, "sorted()", suggestion, None);
            }
        }
        _ => {}
    }
}

/// A help line that shows `code` whole when it fits on one line, else says it in words.
fn with_code(code: &str, what_it_does: &str, in_words: &str) -> String {
    match help_code(code) {
        Some(code) => format!("`{code}` {what_it_does}"),
        None => in_words.to_string(),
    }
}

fn report(
    checker: &mut Checker,
    subscript: &ExprSubscript,
    built: &str,
    suggestion: String,
    fix: Option<String>,
) {
    let shown = checker.snippet(subscript);
    let place = Place::Instead(subscript.range());
    let fix = fix.map(|replacement| checker.fitted(replacement, place));
    let Some(diagnostic) = checker.report_about_data(
        &subscript.value,
        subscript.range(),
        format!("`{shown}` builds a whole {built} to use one item or a few"),
    ) else {
        return;
    };
    diagnostic.label = "every element is copied before one is picked".to_string();
    diagnostic.help = Some(suggestion);
    diagnostic.fix = fix.map(|replacement| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(subscript.range(), replacement)],
    });
}

/// `0` or `-1` (or another small literal index).
fn literal_index(index: &Expr) -> Option<i64> {
    match index {
        Expr::NumberLiteral(_) => literal_count(index).and_then(|count| i64::try_from(count).ok()),
        Expr::UnaryOp(unary) if unary.op == UnaryOp::USub => literal_count(&unary.operand)
            .and_then(|count| i64::try_from(count).ok())
            .map(|count| -count),
        _ => None,
    }
}

fn literal_count(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::NumberLiteral(number) => match &number.value {
            Number::Int(int) => int.as_u64(),
            _ => None,
        },
        _ => None,
    }
}

/// `k` in `-k`.
fn negative_literal(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::UnaryOp(unary) if unary.op == UnaryOp::USub => literal_count(&unary.operand),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::helps;

    /// Bug: help lines showed shortened code (`...named_c…, maxlen=1)`): code in a help line is
    /// whole, or the help says it in words.
    #[test]
    fn el204_help_lines_never_show_shortened_code() {
        let source = "def f(records_with_a_rather_long_name, key_function_named_carefully):\n    a = list(records_with_a_rather_long_name.values_in_insertion_order())[-1]\n    b = sorted(records_with_a_rather_long_name, key=key_function_named_carefully)[0]\n    return a, b\n";
        let found = helps(source);
        assert_eq!(found.len(), 2);
        for help in found {
            assert!(!help.contains('…'), "{help}");
        }
        let short = "def f(xs):\n    return list(iter(xs))[-1]\n";
        assert_eq!(
            helps(short),
            ["`collections.deque(iter(xs), maxlen=1)[0]` keeps only the last item"]
        );
    }
}
