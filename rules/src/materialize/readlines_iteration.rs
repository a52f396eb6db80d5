use edgelint_diagnostics::{Applicability, Edit, Fix, Label, Severity};
use edgelint_semantic::{NodeRef, ScopeKind, SemanticModel};
use ruff_python_ast::{
    Expr, ExprCall, ExprDictComp, ExprListComp, ExprSetComp, NodeKind, Stmt, StmtFunctionDef,
};
use ruff_text_size::{Ranged, TextRange};

use crate::builtin_kinds::is_file;
use crate::checker::help_code;
use crate::consumers::{consumer_of, is_iterated_once, is_join_argument, iterated_once_by, Reads};
use crate::{rule, Ancestor, Checker, Enabled, Family, FixAvailability, Hook, Place};

rule! {
    /// ## What it does
    /// Flags `f.readlines()` (with no size hint) used directly as an iterable: the iterable of
    /// a `for` loop, a comprehension or a `yield from`, or an argument that a function iterates
    /// once (`enumerate`, `zip`, `sum`, `set`, `itertools.*`, …). Also
    /// `return f.readlines()` in a private or nested function whose every caller only iterates
    /// what it returns (the callers are shown); the help is then to make it a generator.
    ///
    /// ## Why is this bad?
    /// `readlines()` reads the whole file and keeps every line as a separate string in one list
    /// before the loop starts: the file's size plus about 50 bytes per line, all at once. A file
    /// object is already an iterator over its lines and reads them one buffer at a time, so the
    /// loop's memory stays flat however big the file is.
    ///
    /// Not flagged: `readlines()` stored and then indexed or counted, given a size hint, or
    /// passed to a function that keeps it; and `"".join(f.readlines())`, as `join` makes a
    /// list of whatever it is given: joining the file object would hold the same list.
    ///
    /// By default it reports the lines of a file opened by its path; those of another stream
    /// (a parameter, a socket's file) are reported with `--pedantic`, and those of a
    /// configuration file named in the code (`settings.toml`, a file under `/etc`) never.
    ///
    /// ## Example
    /// ```python
    /// def count_errors(data_path):
    ///     with open(data_path) as log:
    ///         return sum(1 for line in log.readlines() if "ERROR" in line)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def count_errors(data_path):
    ///     with open(data_path) as log:
    ///         return sum(1 for line in log if "ERROR" in line)
    /// ```
    ///
    /// ## Fix safety
    /// The fix iterates the file object instead: the same lines, in the same order, with the
    /// same line endings. It is offered only for a file edgelint saw opened (another object's
    /// `readlines` may exist where iteration does not). It is safe when nothing else reads
    /// the file while the lines are used or after them (no `readline()`, `next(f)`, `read()`
    /// or `tell()` in the loop or later in the function: iteration reads ahead, and stopping
    /// early leaves the rest unread), and when the lines are read at once (a `for` loop, a
    /// list comprehension, `sum`, `set`); a generator expression, `enumerate` or
    /// `zip` may read them after the file is closed, so the fix is then unsafe.
    pub static READLINES_ITERATION = {
        code: "EL202",
        name: "readlines-iteration",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Expr(&[NodeKind::ExprCall], check)],
    }
}

fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else {
        return;
    };
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    if method.attr.as_str() != "readlines" || !call.arguments.is_empty() {
        return;
    }
    // `"".join(lines)` makes a list of any iterable it is given: nothing to save.
    if let Some(Ancestor::Expr(Expr::Call(consumer))) = checker.ancestors().next() {
        if is_join_argument(consumer, call.range()) {
            return;
        }
    }
    if !is_iterated_once(checker, call.range()) {
        if let Some((function, loops)) = returned_to_loops(checker, call.range()) {
            report_returned(checker, expr, &method.value, function, loops);
        }
        return;
    }
    let file = checker
        .moved_text(&method.value, Place::Instead(call.range()))
        .into_owned();
    let applicability = file_iteration_applicability(checker, call.range(), &method.value);
    let shown = checker.snippet(&*method.value);
    let semantic = checker.semantic();
    let Some(diagnostic) = checker.report_about_data(
        expr,
        call.range(),
        format!(
            "`{shown}.readlines()` reads the whole file into a list of lines only to iterate it"
        ),
    ) else {
        return;
    };
    diagnostic.label = "every line is read and kept before the first is used".to_string();
    if let Some(keeper) = keeps_every_line(semantic, call) {
        diagnostic.unproven = Some(format!(
            "{keeper} keeps something of every line anyway: iterating the file saves only a passing copy of it"
        ));
    }
    diagnostic.help = Some(match help_code(&file) {
        Some(file) => format!("iterate the file object itself: `{file}` yields one line at a time"),
        None => "iterate the file object itself, which yields one line at a time".to_string(),
    });
    diagnostic.fix = applicability.map(|applicability| Fix {
        applicability,
        edits: vec![Edit::replacement(call.range(), file)],
    });
}

/// What keeps one entry for every line the `readlines()` call gives, when its iteration
/// does: a comprehension without conditions (`[l.strip() for l in f.readlines()]`), or a loop
/// whose body, outside any condition, appends or stores into a container
/// (`for line in f.readlines(): lines.append(prefix + line)`). The lines then end up in memory
/// all together however the file is read.
fn keeps_every_line(semantic: &SemanticModel, call: &ExprCall) -> Option<&'static str> {
    let mut iterable = call.range();
    let mut parent = semantic.parent(semantic.node_id(call)?)?;
    // `enumerate(f.readlines())` gives one pair per line.
    if let NodeRef::Expr(Expr::Call(numbered)) = semantic.node(parent) {
        if semantic.resolves_to(&numbered.func, &["builtins.enumerate"]) {
            iterable = numbered.range();
            parent = semantic.parent(parent)?;
        }
    }
    match semantic.node(parent) {
        NodeRef::Expr(
            Expr::ListComp(ExprListComp { generators, .. })
            | Expr::SetComp(ExprSetComp { generators, .. })
            | Expr::DictComp(ExprDictComp { generators, .. }),
        ) => match &**generators {
            [only] if only.ifs.is_empty() && only.iter.range() == iterable => {
                Some("the comprehension")
            }
            _ => None,
        },
        NodeRef::Stmt(Stmt::For(loop_)) if loop_.iter.range() == iterable => {
            loop_.body.iter().any(stores_an_entry).then_some("the loop")
        }
        _ => None,
    }
}

/// `items.append(x)`, `seen.add(x)`, `table[k] = v`: a statement that puts an entry in a
/// container.
fn stores_an_entry(statement: &Stmt) -> bool {
    match statement {
        Stmt::Expr(expr) => matches!(&*expr.value, Expr::Call(call)
            if matches!(&*call.func, Expr::Attribute(method)
                if matches!(method.attr.as_str(), "append" | "add" | "extend" | "insert" | "setdefault"))),
        Stmt::Assign(assign) => matches!(&*assign.targets, [Expr::Subscript(_)]),
        _ => false,
    }
}

/// For `return f.readlines()` in a function whose every call (all in sight: it is private or
/// nested, and never passed around) only iterates what it returns: the function, and the
/// places its callers iterate the lines.
fn returned_to_loops<'a>(
    checker: &Checker<'a>,
    call: TextRange,
) -> Option<(&'a StmtFunctionDef, Vec<TextRange>)> {
    let Some(Ancestor::Stmt(Stmt::Return(returned))) = checker.ancestors().next() else {
        return None;
    };
    if returned.value.as_deref().map(Ranged::range) != Some(call) {
        return None;
    }
    let semantic = checker.semantic();
    let ScopeKind::Function(function) = semantic.scope(checker.scope()).kind else {
        return None;
    };
    let calls = semantic.all_calls_of(function)?;
    let loops = calls
        .iter()
        .map(|&id| {
            let parent = semantic.parent(id).map(|parent| semantic.node(parent));
            let range = semantic.node(id).range();
            iterated_once_by(semantic, parent, range).then_some(range)
        })
        .collect::<Option<Vec<_>>>()?;
    Some((function, loops))
}

/// `return f.readlines()` whose callers only iterate the lines: a generator would hand them
/// one at a time. No fix: the function's other returns and its callers decide whether it can
/// become a generator.
fn report_returned(
    checker: &mut Checker,
    expr: &Expr,
    file: &Expr,
    function: &StmtFunctionDef,
    loops: Vec<TextRange>,
) {
    let shown = checker.snippet(file);
    let name = function.name.to_string();
    let Some(diagnostic) = checker.report_about_data(
        expr,
        expr.range(),
        format!("`{shown}.readlines()` reads the whole file into a list that `{name}`'s callers only iterate"),
    ) else {
        return;
    };
    diagnostic.label = "every line is read and kept before a caller uses the first".to_string();
    diagnostic
        .secondary
        .extend(loops.into_iter().map(|range| Label {
            range,
            message: "the lines are only iterated here".to_string(),
        }));
    diagnostic.help = Some(format!(
        "make `{name}` a generator that yields the file's lines: `yield from {shown}`"
    ));
}

/// Whether iterating the file instead of its list of lines is safe here, unsafe, or not to be
/// offered. Iterating reads the file while the lines are used, where `readlines()` read it all
/// first: the same lines, unless something else reads the file meanwhile (`readline()`,
/// `next(f)`, `read()`, `tell()` in the loop; then no fix is right, and none is offered), or
/// reads the rest after the loop stops early, or the lines are used after the file is closed
/// (a generator expression, `enumerate` or `zip` read later). An object that is not a file
/// edgelint saw opened may have a `readlines` and not be iterable at all: no fix then.
pub(super) fn file_iteration_applicability(
    checker: &Checker,
    call: TextRange,
    file: &Expr,
) -> Option<Applicability> {
    let semantic = checker.semantic();
    let is_file = |expr: &Expr| is_file(semantic.provenance(expr).kind);
    if !is_file(file) {
        return None;
    }
    // Where the lines are used, and whether all at once.
    let (reading, eager) = match checker.ancestors().next() {
        Some(Ancestor::Stmt(statement @ Stmt::For(_))) => (statement.range(), true),
        Some(Ancestor::Expr(Expr::Call(consumer))) => (
            consumer.range(),
            is_join_argument(consumer, call)
                || consumer_of(semantic, consumer)
                    .is_some_and(|consumer| consumer.reads != Reads::Lazily),
        ),
        Some(Ancestor::Expr(Expr::YieldFrom(delegation))) => (delegation.range(), false),
        Some(Ancestor::Expr(comprehension)) => {
            (comprehension.range(), !comprehension.is_generator_expr())
        }
        _ => return None,
    };
    // Every other read of the names that hold the file (`f`, or `f` in `(f if a else g)`);
    // `open(p).readlines()` has none: nothing else holds that file.
    let mut later = false;
    let mut names = Vec::new();
    semantic.any_expr_in(file, |expr| {
        if expr.is_name_expr() && is_file(expr) {
            names.push(expr);
        }
        false
    });
    for name in names {
        let binding = semantic.binding_of(name)?;
        // A closure may read it whenever it is called.
        later |= semantic.is_captured(binding);
        for reference in semantic.references_of(binding) {
            let read = semantic.reference(*reference).range;
            if file.range().contains_range(read) || read.end() <= reading.start() {
                continue;
            }
            if reading.contains_range(read) {
                return None;
            }
            later = true;
        }
    }
    Some(if eager && !later {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    })
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    fn applicability(body: &str) -> Vec<Applicability> {
        let source = format!("def f(path):\n    with open(path) as f:\n{body}");
        fixes(&source)
            .into_iter()
            .map(|(applicability, _)| applicability)
            .collect()
    }

    #[test]
    fn iterating_a_file_nothing_else_reads_is_safe() {
        assert_eq!(
            applicability("        for line in f.readlines():\n            print(line)\n"),
            [Applicability::Safe]
        );
    }

    /// Bug: iterating the file changed what the body read from it (`readline()`, `next(f)`,
    /// `tell()`, which even raises during iteration): no fix is right there.
    #[test]
    fn el202_no_fix_where_the_loop_reads_the_file_itself() {
        for body in [
            "        for line in f.readlines():\n            print(line, f.readline())\n",
            "        for line in (f if line else f).readlines():\n            print(line, f.tell())\n",
        ] {
            assert_eq!(applicability(body), [], "{body}");
        }
    }

    /// Bug: iterating the file changed what was left after a `break`, and when a lazy consumer
    /// read the lines.
    #[test]
    fn el202_the_fix_is_unsafe_where_the_file_is_read_later() {
        for body in [
            "        for line in f.readlines():\n            if line == 'end':\n                break\n        rest = f.read()\n",
            "        pairs = enumerate(f.readlines())\n    return pairs\n",
            "        lines = (line for line in f.readlines())\n    return lines\n",
        ] {
            assert_eq!(applicability(body), [Applicability::Unsafe], "{body}");
        }
    }

    /// Bug: an object with a `readlines()` need not be iterable.
    #[test]
    fn el202_no_fix_for_an_object_not_known_to_be_a_file() {
        let source = "def f(source):\n    for line in source.readlines():\n        print(line)\n";
        assert!(fixes(source).is_empty());
    }
}
