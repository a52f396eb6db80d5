use edgelint_diagnostics::Severity;
use ruff_python_ast::{ExprCall, Stmt};
use ruff_text_size::Ranged;

use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `gc.collect()` called inside a loop (a `for` or `while` body, or a
    /// comprehension) of the same function, on every pass. Test and benchmark modules are
    /// exempt, and so is a collection under a condition or in an `except` handler
    /// (`if step % 100 == 0: gc.collect()`), which runs on some passes only.
    ///
    /// ## Why is this bad?
    /// A full collection walks every object the collector tracks: O(heap) time on every
    /// iteration, with the program paused. It frees only unreachable reference cycles, so if
    /// memory still grows the cause is something that keeps objects reachable, which no number
    /// of collections will free. Calling it in a loop usually hides a retention bug while
    /// making the loop slower the bigger the heap gets.
    ///
    /// By default it reports a loop that runs once per piece of data shown to be large (the
    /// lines of a file, the chunks a stream gives); a loop of unknown length is reported with
    /// `--pedantic`, and one over a literal, a constant or a short `range` never.
    ///
    /// ## Example
    /// ```python
    /// import gc
    ///
    /// def process(data_path, model):
    ///     with open(data_path) as batches:
    ///         for batch in batches:
    ///             model.run(batch)
    ///             gc.collect()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import gc
    ///
    /// def process(data_path, model):
    ///     with open(data_path) as batches:
    ///         for batch in batches:
    ///             model.run(batch)
    ///     gc.collect()
    /// ```
    pub static GC_COLLECT_IN_LOOP = {
        code: "EL401",
        name: "gc-collect-in-loop",
        family: Family::GarbageCollection,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::None,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    if !checker.in_loop() || checker.is_test_file() {
        return;
    }
    if !checker.semantic().resolves_to(&call.func, &["gc.collect"]) {
        return;
    }
    // `if step % 100 == 0: gc.collect()`, or a collection in an `except` handler, runs on some
    // passes only: that is the usual remedy, not the waste.
    let innermost = checker.innermost_loop().map(Ranged::range);
    let conditional = checker
        .ancestors()
        .filter_map(|ancestor| ancestor.as_stmt())
        .take_while(|statement| Some(statement.range()) != innermost)
        .any(|statement| match statement {
            Stmt::If(_) | Stmt::Match(_) => true,
            Stmt::Try(try_stmt) => try_stmt
                .handlers
                .iter()
                .any(|handler| handler.range().contains_range(call.range())),
            _ => false,
        });
    if conditional {
        return;
    }
    // The cost is one full collection per pass: it matters for a loop over data.
    let Some(diagnostic) = checker.report_about_loop(
        call.range(),
        "`gc.collect()` runs a full collection on every iteration of this loop",
        None,
    ) else {
        return;
    };
    diagnostic.label = "walks every tracked object, each time".to_string();
    diagnostic.notes.push(
        "a collection frees only unreachable cycles: memory that keeps growing is still referenced somewhere".to_string(),
    );
    diagnostic.help = Some(
        "fix what keeps the objects alive (break the reference cycles); if a collection is still needed, run it once after the loop".to_string(),
    );
}
