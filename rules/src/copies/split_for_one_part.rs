use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, NodeKind, Number, UnaryOp};
use ruff_text_size::Ranged;

use crate::builtin_kinds::{is_nonempty_literal, is_text};
use crate::checker::{help_code, one_line, Place};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `s.split(sep)[0]`, `s.split(sep)[1]`, `s.split(sep)[-1]`, `s.split()[0]` and the
    /// same with `rsplit`, when no `maxsplit` is given: a whole list of parts is built to use
    /// one of them.
    ///
    /// ## Why is this bad?
    /// `split` scans the whole string and allocates a new string for every part plus a list
    /// holding them all: O(len(s)) extra memory, in many small objects, to keep one. With a
    /// `maxsplit` (or `partition`), the string is cut once: the part used and the rest, in one
    /// copy that is freed at once, instead of every part and a list kept until the index is
    /// taken.
    ///
    /// Not flagged: calls with a `maxsplit`, lists stored and used again, other indexes,
    /// `split` functions of modules (`os.path.split`, `re.split`, `shlex.split`), and splits
    /// that are not `str.split`: pandas' `series.str.split(...)`, or a call with keywords
    /// `str.split` does not take (`expand=True`).
    ///
    /// By default it reports only a split of data shown to be large (a file read whole, a
    /// loaded document); one of unknown size is reported with `--pedantic`, and one of data
    /// small by construction (a module's or class's name, `sys.argv`, a literal or a constant)
    /// never.
    ///
    /// ## Example
    /// ```python
    /// def first_line(data_path):
    ///     return open(data_path).read().split("\n")[0]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def first_line(data_path):
    ///     return open(data_path).read().partition("\n")[0]
    /// ```
    ///
    /// ## Fix safety
    /// Offered only when `s` is known to be a `str` or `bytes` (a literal, an annotated
    /// parameter, the result of a `str` method): another object's `split` (a compiled regular
    /// expression's, a class's own) may mean something else, and have no `partition`. Then
    /// `s.split(sep)[0]` with a literal, non-empty separator becomes `s.partition(sep)[0]` and
    /// `s.split(sep)[-1]` becomes `s.rpartition(sep)[-1]`, always equal (the whole string when
    /// the separator is absent); with a variable separator, which may be `None`, or none at all,
    /// the fix adds a `maxsplit` (`s.split(sep, 1)[0]`), which splits the same way. Safe.
    pub static SPLIT_FOR_ONE_PART = {
        code: "EL107",
        name: "split-for-one-part",
        family: Family::Copies,
        severity: Severity::Info,
        enabled: Enabled::Default,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Expr(&[NodeKind::ExprSubscript], check)],
    }
}

fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Subscript(subscript) = expr else {
        return;
    };
    let Some(index) = literal_index(&subscript.slice) else {
        return;
    };
    let Expr::Call(call) = &*subscript.value else {
        return;
    };
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    let method_name = method.attr.as_str();
    if !matches!(method_name, "split" | "rsplit") {
        return;
    }
    // `os.path.split(p)`, `re.split(...)`: a module's function, not `str.split`.
    if checker.semantic().resolve(&method.value).is_some() {
        return;
    }
    // `series.str.split("-", expand=True)[1]` is pandas' vectorized split: `[1]` picks a
    // column of a frame, not a part of one string.
    if matches!(&*method.value, Expr::Attribute(accessor) if accessor.attr.as_str() == "str") {
        return;
    }
    let arguments = &call.arguments;
    // Only `str.split`'s own keywords: another `split` (`expand=`, `n=`, `pat=`) is not it.
    if arguments.args.len() > 1
        || arguments
            .keywords
            .iter()
            .any(|keyword| keyword.arg.as_ref().is_none_or(|arg| arg.as_str() != "sep"))
    {
        return;
    }
    if arguments.args.iter().any(Expr::is_starred_expr) {
        return;
    }
    let separator = arguments
        .args
        .first()
        .or_else(|| arguments.find_keyword("sep").map(|keyword| &keyword.value));
    let receiver_text = checker.text(&*method.value);
    let receiver = checker.moved_text(&method.value, Place::Receiver);
    let literal_separator = separator.filter(|separator| is_nonempty_literal(separator));
    let sep = separator.map_or("", |separator| checker.text(separator));
    // `partition` needs a separator (never `None`); `split(sep, n)` takes whatever `split(sep)`
    // did, so it is the form for a variable separator or none.
    let maxsplit_sep = if sep.is_empty() { "None" } else { sep };
    let suggestion = match (method_name, index, literal_separator.is_some()) {
        ("split", 0, true) => format!("{receiver}.partition({sep})[0]"),
        ("split" | "rsplit", -1, true) => format!("{receiver}.rpartition({sep})[-1]"),
        ("split", 0, false) | ("rsplit", 0, _) => format!("{receiver}.split({maxsplit_sep}, 1)[0]"),
        ("split" | "rsplit", -1, false) => format!("{receiver}.rsplit({maxsplit_sep}, 1)[-1]"),
        ("split" | "rsplit", 1, _) => format!("{receiver}.split({maxsplit_sep}, 2)[1]"),
        _ => return,
    };
    // Every suggestion equals the original for a `str` or `bytes` receiver, whatever the
    // separator; another object's `split` may mean anything, and may have no `partition`.
    let receiver_kind = checker.semantic().provenance(&method.value).kind;
    let fix = is_text(receiver_kind).then(|| Fix {
        applicability: Applicability::Safe,
        edits: vec![Edit::replacement(
            subscript.range(),
            checker.fitted(suggestion.clone(), Place::Instead(subscript.range())),
        )],
    });
    let whole = checker.snippet(subscript);
    let help = match help_code(&suggestion) {
        Some(code) => format!("split only as far as needed: `{code}`"),
        None if literal_separator.is_some() && index != 1 => {
            "split only as far as needed, with `partition` or `rpartition`".to_string()
        }
        None => "split only as far as needed, with a `maxsplit`".to_string(),
    };
    let Some(diagnostic) = checker.report_about_data(
        &method.value,
        subscript.range(),
        format!("`{whole}` builds a list of every part to use one"),
    ) else {
        return;
    };
    diagnostic.label = format!(
        "splits all of `{}` into new strings",
        one_line(receiver_text)
    );
    diagnostic.help = Some(help);
    diagnostic.fix = fix;
}

/// `0`, `1` or `-1`.
fn literal_index(index: &Expr) -> Option<i8> {
    match index {
        Expr::NumberLiteral(number) => match &number.value {
            Number::Int(int) => match int.as_u64()? {
                0 => Some(0),
                1 => Some(1),
                _ => None,
            },
            _ => None,
        },
        Expr::UnaryOp(unary) if unary.op == UnaryOp::USub => {
            (literal_index(&unary.operand) == Some(1)).then_some(-1)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::{fixes, helps};

    /// Bug: a receiver in parentheses lost them when the fix moved it, in the fix and in the
    /// help line alike: `(a or "12").split(".")[0]` became `a or "12".partition(".")[0]`.
    #[test]
    fn el107_a_parenthesized_receiver_keeps_its_parentheses() {
        let source = "def major(a: str, b: str):\n    return (a or \"12\").split(\".\")[0], (a + b).split(\":\")[0]\n";
        let fixed: Vec<String> = fixes(source).into_iter().map(|(_, fixed)| fixed).collect();
        assert!(
            fixed[0].contains("(a or \"12\").partition(\".\")[0]"),
            "{}",
            fixed[0]
        );
        assert!(
            fixed[1].contains("(a + b).partition(\":\")[0]"),
            "{}",
            fixed[1]
        );
        let walrus = "def f(read):\n    return (s := read()).split(\",\")[0], s\n";
        assert_eq!(
            helps(walrus),
            ["split only as far as needed: `(s := read()).partition(\",\")[0]`"]
        );
    }

    /// Bug: `s.split(sep)[0]` became `s.partition(sep)[0]` with a variable `sep`, which raises
    /// where `sep` is `None` (the original splits on whitespace).
    #[test]
    fn el107_a_variable_or_none_separator_gets_a_maxsplit_not_partition() {
        let source = "def head(s: str, sep):\n    return s.split(sep)[0], s.split(None)[-1]\n";
        let fixed: Vec<(Applicability, String)> = fixes(source);
        assert!(fixed[0].1.contains("s.split(sep, 1)[0]"), "{}", fixed[0].1);
        assert!(
            fixed[1].1.contains("s.rsplit(None, 1)[-1]"),
            "{}",
            fixed[1].1
        );
        assert!(fixed
            .iter()
            .all(|(applicability, _)| *applicability == Applicability::Safe));
    }

    /// Bug: the fix assumed `str.split` on any receiver: a compiled pattern's `split` (which
    /// has no `partition`), or a class's own.
    #[test]
    fn el107_no_fix_for_a_receiver_of_unknown_type() {
        let source = "import re\nSEP = re.compile(\",\")\ndef f(line, table):\n    return SEP.split(line)[0], table.split(\",\")[0]\n";
        assert!(fixes(source).is_empty());
        assert_eq!(helps(source).len(), 2);
    }
}
