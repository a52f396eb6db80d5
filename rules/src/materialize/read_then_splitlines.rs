use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::readlines_iteration::file_iteration_applicability;
use crate::checker::help_code;
use crate::consumers::is_iterated_once;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook, Place};
use edgelint_source::literal_text;

rule! {
    /// ## What it does
    /// Flags `f.read().splitlines()`, `f.read().split("\n")` and
    /// `path.read_text().splitlines()` used directly as an iterable (a `for` loop, a
    /// comprehension, or an argument a function iterates once).
    ///
    /// ## Why is this bad?
    /// The whole file is read into one string, then split into a list of new strings: for a
    /// moment both are in memory, about twice the file's size plus the list, only to be read
    /// line by line. Iterating the file object reads one buffer at a time.
    ///
    /// Not flagged: the list stored and indexed, reads with a size, other separators.
    ///
    /// By default it reports the text of a file opened by its path; that of another stream (a
    /// parameter) is reported with `--pedantic`, and that of a configuration file named in the
    /// code (`settings.toml`, a file under `/etc`) never.
    ///
    /// ## Example
    /// ```python
    /// def names(data_path):
    ///     with open(data_path) as f:
    ///         return [line.strip() for line in f.read().splitlines()]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def names(data_path):
    ///     with open(data_path) as f:
    ///         return [line.strip() for line in f]
    /// ```
    ///
    /// ## Fix safety
    /// `f.read().splitlines()` becomes `f` when `f` is a file edgelint saw opened (another
    /// object's `read` may exist where iteration does not). It is unsafe:
    /// each line keeps its line ending (strip it with `line.rstrip("\n")`), and `splitlines`
    /// also splits on characters a file's lines do not end with (`\v`, `\f`, `\x1c`…).
    pub static READ_THEN_SPLITLINES = {
        code: "EL203",
        name: "read-then-splitlines",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    let Expr::Attribute(split) = &*call.func else {
        return;
    };
    let splits_lines = match (split.attr.as_str(), &*call.arguments.args) {
        ("splitlines", []) => call.arguments.keywords.is_empty(),
        ("split", [Expr::StringLiteral(separator)]) => {
            literal_text(&separator.value) == "\n" && call.arguments.keywords.is_empty()
        }
        _ => false,
    };
    if !splits_lines {
        return;
    }
    let Expr::Call(read) = &*split.value else {
        return;
    };
    let Expr::Attribute(read_method) = &*read.func else {
        return;
    };
    let reads_file = matches!(read_method.attr.as_str(), "read" | "read_text");
    if !reads_file || !read.arguments.is_empty() || !is_iterated_once(checker, call.range()) {
        return;
    }
    // Not offered where iterating the file cannot be right (see EL202); never safe, as the
    // lines keep their endings.
    let iterable = file_iteration_applicability(checker, call.range(), &read_method.value);
    let file = checker
        .moved_text(&read_method.value, Place::Instead(call.range()))
        .into_owned();
    let fix = (read_method.attr.as_str() == "read" && iterable.is_some()).then(|| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(call.range(), file.clone())],
    });
    let shown = checker.snippet(call);
    let opened = format!(
        "{}.open()",
        checker.moved_text(&read_method.value, Place::Receiver)
    );
    let Some(diagnostic) = checker.report_about_data(
        &split.value,
        call.range(),
        format!(
            "`{shown}` reads the whole file and splits it into a list only to iterate the lines"
        ),
    ) else {
        return;
    };
    diagnostic.label = "the whole text and a list of every line, both at once".to_string();
    diagnostic.help = Some(match read_method.attr.as_str() {
        "read" => match help_code(&file) {
            Some(file) => format!("iterate `{file}` line by line, and strip each line's ending with `line.rstrip(\"\\n\")`"),
            None => "iterate the file object line by line, and strip each line's ending with `line.rstrip(\"\\n\")`".to_string(),
        },
        _ => match help_code(&opened) {
            Some(opened) => format!("open it with `{opened}` and iterate the file object line by line"),
            None => "open the file and iterate the file object line by line".to_string(),
        },
    });
    diagnostic.fix = fix;
}
