use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange};

use super::is_whole_slice;
use crate::checker::help_code;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook, Place};

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
    /// By default it reports only a copy of data shown to be large (a loaded document, the
    /// lines of a file); one of unknown size is reported with `--pedantic`, and one of data
    /// small by construction (`list([80, 443])`, a constant) never.
    ///
    /// ## Example
    /// ```python
    /// import json
    ///
    /// def ranked(data_path):
    ///     return list(sorted(json.load(open(data_path)), reverse=True))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def ranked(data_path):
    ///     return sorted(json.load(open(data_path)), reverse=True)
    /// ```
    ///
    /// ## Fix safety
    /// The fix drops the redundant copy. It is safe where the inner copy is a builtin one:
    /// `list()` or `tuple()` of anything, or `x[:]` and `x.copy()` of a value edgelint knows to
    /// be a list, dict, set or bytearray; the result is then equal and of the same type. Only
    /// its allocation can differ, which is the point: `sys.getsizeof([1])` is smaller than
    /// `sys.getsizeof(list([1]))`, because the copy over-allocates. Where `x`'s type is
    /// unknown, its `copy()` may copy deeper (a matrix that copies its rows) and its `[:]` may
    /// select other elements, so the fix is unsafe; a tuple's or a str's `[:]` is not a copy
    /// at all and is not reported.
    pub static REDUNDANT_COPY = {
        code: "EL105",
        name: "redundant-copy",
        family: Family::Copies,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Always,
        sized: true,
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
        // `x[:].copy()`: the slice becomes `x`. Only a list's (or bytearray's) `[:]` is the
        // builtin copy; a tuple's or a str's is the object itself, another object's anything.
        let applicability = match checker.semantic().provenance(sequence).kind {
            ValueKind::Unknown => Applicability::Unsafe,
            kind if copies_on_whole_slice(kind) => Applicability::Safe,
            _ => return,
        };
        let sequence_text = checker.moved_text(sequence, Place::Receiver);
        report(
            checker,
            sequence,
            call.range(),
            slice.range(),
            &sequence_text,
            "`[:]` and `.copy()` each copy the whole sequence",
            applicability,
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
            let inner_text = checker.moved_text(inner, Place::Instead(call.range()));
            report(
                checker,
                inner,
                call.range(),
                call.range(),
                &inner_text,
                "`list()` copies a new list that nothing else holds",
                Applicability::Safe,
            );
            return;
        }
    }
    // `sorted(list(x))`, `set(x[:])`, `tuple(x.copy())`: the inner copy is only read once.
    if let Some((source, applicability)) = inner_copy_source(checker, inner) {
        let source_text = checker.moved_text(source, Place::Instead(inner.range()));
        let message = format!(
            "`{outer_name}()` copies the copy made by `{}`",
            checker.snippet(inner)
        );
        report(
            checker,
            source,
            call.range(),
            inner.range(),
            &source_text,
            &message,
            applicability,
        );
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

/// Whether `x[:]` makes a new object for a value of this kind: for a list or a bytearray. A
/// tuple, str or bytes returns itself.
fn copies_on_whole_slice(kind: ValueKind) -> bool {
    matches!(kind, ValueKind::List | ValueKind::Bytearray)
}

/// What a whole copy copies (`x` in `list(x)`, `tuple(x)`, `x[:]`, `x.copy()`), and whether
/// reading `x` instead is safe: always for `list()` and `tuple()`, which iterate `x` just as
/// the outer copy would; for `x[:]` and `x.copy()` only when `x` is a builtin container
/// (another object's `copy()` may copy deeper, its `[:]` may select other elements).
fn inner_copy_source<'a>(checker: &Checker, inner: &'a Expr) -> Option<(&'a Expr, Applicability)> {
    fn known_copy<'a>(
        checker: &Checker,
        container: &'a Expr,
        copies: fn(ValueKind) -> bool,
    ) -> Option<(&'a Expr, Applicability)> {
        let kind = checker.semantic().provenance(container).kind;
        match kind {
            ValueKind::Unknown => Some((container, Applicability::Unsafe)),
            _ if copies(kind) => Some((container, Applicability::Safe)),
            // Not a copy at all (`t[:]` on a tuple), or not the builtin method.
            _ => None,
        }
    }
    match inner {
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::Slice(slice) if is_whole_slice(slice) => {
                known_copy(checker, &subscript.value, copies_on_whole_slice)
            }
            _ => None,
        },
        Expr::Call(call) if call.arguments.keywords.is_empty() => {
            if let Expr::Attribute(method) = &*call.func {
                if method.attr.as_str() == "copy" && call.arguments.args.is_empty() {
                    return known_copy(checker, &method.value, |kind| {
                        matches!(
                            kind,
                            ValueKind::List
                                | ValueKind::Dict
                                | ValueKind::Set
                                | ValueKind::Bytearray
                        )
                    });
                }
            }
            let [source] = &*call.arguments.args else {
                return None;
            };
            let is_copy = checker
                .semantic()
                .resolves_to(&call.func, &["builtins.list", "builtins.tuple"]);
            // A comprehension argument is EL201's.
            (is_copy && !source.is_list_comp_expr()).then_some((source, Applicability::Safe))
        }
        _ => None,
    }
}

/// Reports the whole expression, replacing `redundant` with `replacement` (the text it stands
/// for without the extra copy).
fn report(
    checker: &mut Checker,
    data: &Expr,
    whole: TextRange,
    redundant: TextRange,
    replacement: &str,
    message: &str,
    applicability: Applicability,
) {
    let expression = checker.snippet(whole);
    let preview = preview(checker.source(), whole, redundant, replacement);
    let Some(diagnostic) = checker.report_about_data(
        data,
        whole,
        format!("`{expression}` copies the data twice: {message}"),
    ) else {
        return;
    };
    diagnostic.label = "the extra copy is built, read once and thrown away".to_string();
    diagnostic.help = Some(match help_code(&preview) {
        Some(code) => format!("drop the redundant copy: `{code}`"),
        None => "drop the redundant copy".to_string(),
    });
    diagnostic.fix = Some(Fix {
        applicability,
        edits: vec![Edit::replacement(redundant, replacement)],
    });
}

/// The whole expression with `redundant` replaced, for the help line.
fn preview(source: &str, whole: TextRange, redundant: TextRange, replacement: &str) -> String {
    let before = &source[TextRange::new(whole.start(), redundant.start())];
    let after = &source[TextRange::new(redundant.end(), whole.end())];
    format!("{before}{replacement}{after}")
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    /// Bug: `x.copy()` and `x[:]` of a value of unknown type were taken for the builtin copy:
    /// a matrix whose `copy()` copies every row was made to share its rows.
    #[test]
    fn el105_a_copy_of_unknown_type_is_not_assumed_to_be_the_builtin() {
        let source = "def f(matrix, queue):\n    return list(matrix.copy()), sorted(queue[:])\n";
        let found = fixes(source);
        assert_eq!(found.len(), 2);
        assert!(found
            .iter()
            .all(|(applicability, _)| *applicability == Applicability::Unsafe));
        let known = "def f(n):\n    rows = [n]\n    return list(rows.copy())\n";
        assert_eq!(fixes(known)[0].0, Applicability::Safe);
    }

    /// Bug: `t[:]` on a tuple returns the tuple itself: nothing was copied to report.
    #[test]
    fn el105_a_tuple_slice_is_not_a_copy() {
        assert!(fixes("def f(n):\n    t = (n, 2)\n    return set(t[:])\n").is_empty());
    }

    /// Bug: `(a or b)[:].copy()` became `a or b.copy()`, which returns the caller's own list.
    #[test]
    fn el105_a_parenthesized_receiver_keeps_its_parentheses() {
        let source = "def f(a, b):\n    return (a or b)[:].copy()\n";
        assert!(fixes(source)[0].1.contains("return (a or b).copy()"));
    }
}
