use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange};

use crate::builtin_kinds::{is_builtin_container, is_file, is_nonempty_literal, is_text};
use crate::checker::help_code;
use crate::laziness::is_inert;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook, Place};

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
    /// def failed(data_path):
    ///     with open(data_path) as stream:
    ///         results = json.load(stream)
    ///     return len([r for r in results if not r["ok"]])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def failed(data_path):
    ///     with open(data_path) as stream:
    ///         results = json.load(stream)
    ///     return sum(1 for r in results if not r["ok"])
    /// ```
    ///
    /// ## Fix safety
    /// `len([e for ...])` becomes `sum(1 for ...)`, `len(list(it))` becomes
    /// `sum(1 for _ in it)` (or `len(it)` when `it` is already a container),
    /// `len(f.readlines())` becomes `sum(1 for _ in f)` when `f` is a file edgelint saw
    /// opened, and `len(s.split("x"))` becomes `s.count("x") + 1` when `s` is known to be a
    /// `str` or `bytes` (another object's `split` may count differently). The result is put in
    /// parentheses where the expression around it needs them (`(s.count("x") + 1) * 8`). Safe,
    /// except that `sum(1 for ...)` no longer evaluates the comprehension's element: unless the
    /// element is a literal or a name the comprehension binds, evaluating it could have done
    /// something or raised, so the fix is then unsafe. No fix where `sum` is not the builtin.
    pub static MATERIALIZE_FOR_LEN = {
        code: "EL205",
        name: "materialize-for-len",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
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
    let place = Place::Instead(call.range());
    let replacement = replacement.map(|code| checker.fitted(code, place));
    let Some(diagnostic) = checker.report_about_data(
        argument,
        call.range(),
        format!("`{shown}` builds a whole {built} only to count it"),
    ) else {
        return;
    };
    diagnostic.label = "every element is stored, counted and thrown away".to_string();
    diagnostic.help = Some(match replacement.as_deref().and_then(help_code) {
        Some(code) => format!("count without building it: `{code}`"),
        None => "count without building the list: add 1 per element as you iterate".to_string(),
    });
    diagnostic.fix = replacement.map(|replacement| Fix {
        applicability,
        edits: vec![Edit::replacement(call.range(), replacement)],
    });
}

/// What `len()` counts, if it is a collection built for it: its description, the counting
/// expression to use instead (when one is known to count the same), and whether that
/// replacement is safe.
fn counted_collection(
    checker: &Checker,
    argument: &Expr,
) -> Option<(&'static str, Option<String>, Applicability)> {
    let semantic = checker.semantic();
    let can_sum = checker.builtin_is_visible("sum");
    match argument {
        Expr::ListComp(comp) => {
            let first = comp.generators.first()?;
            let clauses = &checker.source()[TextRange::new(
                first.start(),
                comp.end() - ruff_text_size::TextSize::from(1),
            )];
            let asynchronous = comp.generators.iter().any(|generator| generator.is_async);
            let replacement =
                (!asynchronous && can_sum).then(|| format!("sum(1 {})", clauses.trim_end()));
            // `sum(1 for ...)` never evaluates the element: safe only when evaluating it could
            // neither do anything nor fail.
            let applicability = if is_inert(semantic, &comp.elt, &comp.generators) {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
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
                let replacement = if is_builtin_container(semantic.provenance(source).kind) {
                    Some(format!(
                        "len({})",
                        checker.moved_text(source, Place::SoleArgument)
                    ))
                } else {
                    let iterable = checker.moved_text(source, Place::ComprehensionIterable);
                    // Python refuses an assignment expression in a comprehension's iterable,
                    // even in parentheses.
                    let walrus = semantic.any_expr_in(source, Expr::is_named_expr);
                    (can_sum && !walrus).then(|| format!("sum(1 for _ in {iterable})"))
                };
                let built = if semantic.resolves_to(&inner.func, &["builtins.list"]) {
                    "list"
                } else {
                    "tuple"
                };
                return Some((built, replacement, Applicability::Safe));
            }
            let Expr::Attribute(method) = &*inner.func else {
                return None;
            };
            if !inner.arguments.keywords.is_empty() {
                return None;
            }
            // The replacements count the way `str`, `bytes` and files do; another object's
            // `readlines` or `split` may mean something else.
            let receiver_kind = semantic.provenance(&method.value).kind;
            match (method.attr.as_str(), &*inner.arguments.args) {
                ("readlines", []) => {
                    let file = checker.moved_text(&method.value, Place::ComprehensionIterable);
                    let replacement = (is_file(receiver_kind) && can_sum)
                        .then(|| format!("sum(1 for _ in {file})"));
                    Some(("list of lines", replacement, Applicability::Safe))
                }
                ("split", [separator]) if is_nonempty_literal(separator) => {
                    let receiver = checker.moved_text(&method.value, Place::Receiver);
                    let separator = checker.text(separator);
                    let replacement = is_text(receiver_kind)
                        .then(|| format!("{receiver}.count({separator}) + 1"));
                    Some(("list of parts", replacement, Applicability::Safe))
                }
                ("split", []) => Some(("list of parts", None, Applicability::Safe)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    /// Bug: `s.count(",") + 1` went into arithmetic without parentheses.
    #[test]
    fn el205_the_count_keeps_its_parentheses_in_arithmetic() {
        let source = "def f(s: str, w):\n    return len(s.split(\",\")) * 8, w - len(s.split(\",\")), -len(s.split(\",\")), len(s.split(\",\")) ** 2\n";
        let fixed: Vec<String> = fixes(source).into_iter().map(|(_, fixed)| fixed).collect();
        assert!(
            fixed[0].contains("(s.count(\",\") + 1) * 8"),
            "{}",
            fixed[0]
        );
        assert!(
            fixed[1].contains("w - (s.count(\",\") + 1)"),
            "{}",
            fixed[1]
        );
        assert!(fixed[2].contains("-(s.count(\",\") + 1)"), "{}", fixed[2]);
        assert!(
            fixed[3].contains("(s.count(\",\") + 1) ** 2"),
            "{}",
            fixed[3]
        );
        let receiver = "def f(a: str, b: str):\n    return len((a or b).split(\",\"))\n";
        assert!(fixes(receiver)[0]
            .1
            .contains("return (a or b).count(\",\") + 1"));
    }

    /// Bug: `len([...])` → `sum(1 for ...)` was safe whenever the element called nothing; it
    /// never evaluates the element, whose attribute reads and arithmetic may do or raise
    /// something. And another object's `split` or `readlines` may count differently.
    #[test]
    fn el205_the_fix_relies_only_on_what_is_known() {
        let element = "def f(xs):\n    return len([x.size for x in xs])\n";
        assert_eq!(fixes(element)[0].0, Applicability::Unsafe);
        let target = "def f(xs):\n    return len([x for x in xs if x.ok])\n";
        assert_eq!(fixes(target)[0].0, Applicability::Safe);
        let unknown =
            "def f(table, log):\n    return len(table.split(\",\")), len(log.readlines())\n";
        assert!(fixes(unknown).is_empty());
        let shadowed = "sum = 0\ndef f(xs):\n    return len([x for x in xs])\n";
        assert!(fixes(shadowed).is_empty());
        // Bug: `sum(1 for _ in (y := f()))` does not compile.
        let walrus = "def f(g):\n    return len(list(y := g())), y\n";
        assert!(fixes(walrus).is_empty());
    }
}
