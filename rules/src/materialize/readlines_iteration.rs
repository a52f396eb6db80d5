use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use crate::consumers::is_iterated_once;
use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `f.readlines()` (with no size hint) used directly as an iterable: the iterable of
    /// a `for` loop or a comprehension, or an argument that a function iterates once
    /// (`enumerate`, `zip`, `sum`, `set`, `"".join`, `itertools.*`, …).
    ///
    /// ## Why is this bad?
    /// `readlines()` reads the whole file and keeps every line as a separate string in one list
    /// before the loop starts: the file's size plus about 50 bytes per line, all at once. A file
    /// object is already an iterator over its lines and reads them one buffer at a time, so the
    /// loop's memory stays flat however big the file is.
    ///
    /// Not flagged: `readlines()` stored and then indexed or counted, given a size hint, or
    /// passed to a function that keeps it.
    ///
    /// ## Example
    /// ```python
    /// def count_errors(path):
    ///     with open(path) as log:
    ///         return sum(1 for line in log.readlines() if "ERROR" in line)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def count_errors(path):
    ///     with open(path) as log:
    ///         return sum(1 for line in log if "ERROR" in line)
    /// ```
    ///
    /// ## Fix safety
    /// The fix iterates the file object instead. It is safe: the lines, their order and their
    /// line endings are the same.
    pub static READLINES_ITERATION = {
        code: "EL202",
        name: "readlines-iteration",
        family: Family::Materialize,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::Always,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    if method.attr.as_str() != "readlines" || !call.arguments.is_empty() {
        return;
    }
    if !is_iterated_once(checker, call.range()) {
        return;
    }
    let file = checker.text(&*method.value).to_string();
    let shown = checker.snippet(&*method.value);
    let diagnostic = checker.report(
        call.range(),
        format!(
            "`{shown}.readlines()` reads the whole file into a list of lines only to iterate it"
        ),
    );
    diagnostic.label = "every line is read and kept before the first is used".to_string();
    diagnostic.help = Some(format!(
        "iterate the file object itself: `{shown}` yields one line at a time"
    ));
    diagnostic.fix = Some(Fix {
        applicability: Applicability::Safe,
        edits: vec![Edit::replacement(call.range(), file)],
    });
}
