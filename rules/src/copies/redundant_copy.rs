use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange};

use super::is_whole_slice;
use crate::checker::one_line;
use crate::{rule, Checker, Family, FixAvailability, Hook, Place};

rule! {
    /// ## What it does
    /// Flags a whole copy fed straight into something that copies again: `list(list(x))`,
    /// `sorted(list(x))`, `tuple(list(x))`, `set(list(x))`, `list(x[:])`, `sorted(x.copy())`,
    /// `list(sorted(x))`, `list([...])` and `x[:].copy()`.
    ///
    /// ## Why is this bad?
    /// The inner copy is built, read once by the outer one and thrown away: O(n) extra memory
    /// and time for nothing. `sorted()` already returns a new list, and `list()`, `tuple()`,
    /// `set()` and `sorted()` accept any iterable.
    ///
    /// Not flagged: a single copy that is stored and mutated, conversions that change the
    /// result (`list(set(x))`, `tuple(sorted(x))`, `sorted(sorted(x, key=a), key=b)`), and
    /// comprehensions passed to these functions (EL201 reports those).
    ///
    /// ## Example
    /// ```python
    /// def ranked(scores):
    ///     return list(sorted(scores, reverse=True))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def ranked(scores):
    ///     return sorted(scores, reverse=True)
    /// ```
    ///
    /// ## Fix safety
    /// The fix drops the redundant copy. It is safe: the result is equal and of the same type.
    /// Only its allocation can differ, which is the point: `sys.getsizeof([1])` is smaller
    /// than `sys.getsizeof(list([1]))`, because the copy over-allocates.
    pub static REDUNDANT_COPY = {
        code: "EL105",
        name: "redundant-copy",
        family: Family::Copies,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::Always,
        hooks: &[Hook::Call(check)],
    }
}

/// Builtins that make a new collection from any iterable.
const COPIERS: &[&str] = &[
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.sorted",
];

fn check(checker: &mut Checker, call: &ExprCall) {
    // Cheap syntactic test first: one argument that is itself a copy or a list display.
    let candidate = match &*call.arguments.args {
        [Expr::Call(_) | Expr::Subscript(_) | Expr::List(_)] => true,
        [] => matches!(&*call.func, Expr::Attribute(method) if method.attr.as_str() == "copy"),
        _ => false,
    };
    if !candidate {
        return;
    }
    if let Some((slice, sequence)) = slice_then_copy(call) {
        // `x[:].copy()`: the slice becomes `x`.
        let sequence = checker.text(sequence);
        report(
            checker,
            call.range(),
            slice.range(),
            sequence,
            "`[:]` and `.copy()` each copy the whole sequence",
        );
        return;
    }
    let semantic = checker.semantic();
    let Some(outer) = semantic.resolve(&call.func).and_then(|name| {
        COPIERS
            .iter()
            .find(|copier| **copier == name.as_str())
            .copied()
    }) else {
        return;
    };
    let [inner] = &*call.arguments.args else {
        return;
    };
    // Only `sorted()` takes keywords (`key=`, `reverse=`), and they do not change the copy.
    if outer != "builtins.sorted" && !call.arguments.keywords.is_empty() {
        return;
    }
    let outer_name = checker.snippet(&*call.func);
    // `list(sorted(x))`, `list([1, 2])`: the outer `list()` copies a list nobody else holds.
    if outer == "builtins.list" {
        let inner_is_fresh_list = match inner {
            Expr::List(_) => true,
            Expr::Call(inner_call) => semantic.resolves_to(&inner_call.func, &["builtins.sorted"]),
            _ => false,
        };
        if inner_is_fresh_list {
            let inner_text = checker.text(inner);
            report(
                checker,
                call.range(),
                call.range(),
                inner_text,
                "`list()` copies a new list that nothing else holds",
            );
            return;
        }
    }
    // `sorted(list(x))`, `set(x[:])`, `tuple(x.copy())`: the inner copy is only read once.
    if let Some(source) = inner_copy_source(checker, inner) {
        // Alone in the call, a generator expression may keep borrowing its parentheses.
        let alone = call.arguments.len() == 1;
        let source_text = if alone {
            checker.text(source).into()
        } else {
            checker.moved_text(source, Place::Expression)
        };
        let message = format!(
            "`{outer_name}()` copies the copy made by `{}`",
            checker.snippet(inner)
        );
        report(checker, call.range(), inner.range(), &source_text, &message);
    }
}

/// `x[:]` and `x` in `x[:].copy()`.
fn slice_then_copy(call: &ExprCall) -> Option<(&Expr, &Expr)> {
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    if method.attr.as_str() != "copy" || !call.arguments.is_empty() {
        return None;
    }
    let Expr::Subscript(subscript) = &*method.value else {
        return None;
    };
    match &*subscript.slice {
        Expr::Slice(slice) if is_whole_slice(slice) => Some((&method.value, &subscript.value)),
        _ => None,
    }
}

/// What a whole copy copies: `x` in `list(x)`, `tuple(x)`, `x[:]`, `x.copy()`.
fn inner_copy_source<'a>(checker: &Checker, inner: &'a Expr) -> Option<&'a Expr> {
    match inner {
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::Slice(slice) if is_whole_slice(slice) => Some(&subscript.value),
            _ => None,
        },
        Expr::Call(call) if call.arguments.keywords.is_empty() => {
            if let Expr::Attribute(method) = &*call.func {
                if method.attr.as_str() == "copy" && call.arguments.args.is_empty() {
                    return Some(&method.value);
                }
            }
            let [source] = &*call.arguments.args else {
                return None;
            };
            let is_copy = checker
                .semantic()
                .resolves_to(&call.func, &["builtins.list", "builtins.tuple"]);
            // A comprehension argument is EL201's.
            (is_copy && !source.is_list_comp_expr()).then_some(source)
        }
        _ => None,
    }
}

/// Reports the whole expression, replacing `redundant` with `replacement` (the text it stands
/// for without the extra copy).
fn report(
    checker: &mut Checker,
    whole: TextRange,
    redundant: TextRange,
    replacement: &str,
    message: &str,
) {
    let expression = checker.snippet(whole);
    let preview = one_line(&preview(checker.source(), whole, redundant, replacement));
    let diagnostic = checker.report(
        whole,
        format!("`{expression}` copies the data twice: {message}"),
    );
    diagnostic.label = "the extra copy is built, read once and thrown away".to_string();
    diagnostic.help = Some(format!("drop the redundant copy: `{preview}`"));
    diagnostic.fix = Some(Fix {
        applicability: Applicability::Safe,
        edits: vec![Edit::replacement(redundant, replacement)],
    });
}

/// The whole expression with `redundant` replaced, for the help line.
fn preview(source: &str, whole: TextRange, redundant: TextRange, replacement: &str) -> String {
    let before = &source[TextRange::new(whole.start(), redundant.start())];
    let after = &source[TextRange::new(redundant.end(), whole.end())];
    format!("{before}{replacement}{after}")
}
