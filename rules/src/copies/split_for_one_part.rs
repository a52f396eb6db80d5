use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, Number, UnaryOp};
use ruff_text_size::Ranged;

use crate::checker::one_line;
use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `s.split(sep)[0]`, `s.split(sep)[1]`, `s.split(sep)[-1]`, `s.split()[0]` and the
    /// same with `rsplit`, when no `maxsplit` is given: a whole list of parts is built to use
    /// one of them.
    ///
    /// ## Why is this bad?
    /// `split` scans the whole string and allocates a new string for every part plus a list
    /// holding them all: O(len(s)) extra memory, in many small objects, to keep one. With a
    /// `maxsplit` (or `partition`), only the parts needed are made.
    ///
    /// Not flagged: calls with a `maxsplit`, lists stored and used again, other indexes, and
    /// `split` functions of modules (`os.path.split`, `re.split`, `shlex.split`).
    ///
    /// ## Example
    /// ```python
    /// def scheme(url: str) -> str:
    ///     return url.split("://")[0]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def scheme(url: str) -> str:
    ///     return url.partition("://")[0]
    /// ```
    ///
    /// ## Fix safety
    /// `s.split(sep)[0]` with an explicit separator becomes `s.partition(sep)[0]`, which is
    /// always equal (the whole string when the separator is absent). Safe. Other forms get a
    /// suggestion only.
    pub static SPLIT_FOR_ONE_PART = {
        code: "EL107",
        name: "split-for-one-part",
        family: Family::Copies,
        severity: Severity::Info,
        default_enabled: true,
        fix: FixAvailability::Sometimes,
        hooks: &[Hook::Expr(check)],
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
    let arguments = &call.arguments;
    if arguments.args.len() > 1 || arguments.find_keyword("maxsplit").is_some() {
        return;
    }
    if arguments.args.iter().any(Expr::is_starred_expr) {
        return;
    }
    let separator = arguments
        .args
        .first()
        .or_else(|| arguments.find_keyword("sep").map(|keyword| &keyword.value));
    let receiver = checker.text(&*method.value);
    let sep = separator.map_or("None", |separator| checker.text(separator));
    let suggestion = match (method_name, index, separator.is_some()) {
        ("split", 0, true) => format!("{receiver}.partition({sep})[0]"),
        ("split", -1, true) | ("rsplit", -1, true) => format!("{receiver}.rpartition({sep})[-1]"),
        ("split", 0, false) | ("rsplit", 0, _) => format!("{receiver}.split({sep}, 1)[0]"),
        ("split", -1, false) | ("rsplit", -1, false) => format!("{receiver}.rsplit({sep}, 1)[-1]"),
        ("split", 1, _) => format!("{receiver}.split({sep}, 2)[1]"),
        ("rsplit", 1, _) => format!("{receiver}.split({sep}, 2)[1]"),
        _ => return,
    };
    // `split(sep)[0]` and `partition(sep)[0]` are always equal.
    let fix = (method_name == "split" && index == 0 && separator.is_some()).then(|| Fix {
        applicability: Applicability::Safe,
        edits: vec![Edit::replacement(subscript.range(), suggestion.clone())],
    });
    let whole = checker.snippet(subscript);
    let diagnostic = checker.report(
        subscript.range(),
        format!("`{whole}` builds a list of every part to use one"),
    );
    diagnostic.label = format!("splits all of `{}` into new strings", one_line(receiver));
    diagnostic.help = Some(format!(
        "split only as far as needed: `{}`",
        one_line(&suggestion)
    ));
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
