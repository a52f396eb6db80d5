use edgelint_diagnostics::Severity;
use edgelint_semantic::{blocks_of, NodeRef};
use ruff_python_ast::{Expr, ExprCall, NodeKind, Stmt};
use ruff_text_size::Ranged;

use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `gc.collect()` called inside a loop (a `for` or `while` body, or a
    /// comprehension) of the same function, on every pass. Test and benchmark modules are
    /// exempt, and so is a collection under a condition or in an `except` handler
    /// (`if step % 100 == 0: gc.collect()`), which runs on some passes only, and one right
    /// after a `del` of what the pass loaded (`del shard; gc.collect()`), which frees each
    /// item's cycles before the next is loaded.
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
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: true,
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
    if conditional || waits_on_weak_references(checker) || follows_del(checker, call) {
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

/// `del shard` then `gc.collect()`: the loop drops what this pass loaded and collects its
/// cycles before the next pass loads another, which caps the peak at one item. Collecting once
/// after the loop would let every item's cycles pile up first.
fn follows_del(checker: &Checker, call: &ExprCall) -> bool {
    let semantic = checker.semantic();
    let Some(statement) = semantic
        .node_id(call)
        .and_then(|id| semantic.statement_of(id))
    else {
        return false;
    };
    let Some(parent) = semantic
        .node_id(statement)
        .and_then(|id| semantic.parent(id))
        .and_then(|id| semantic.node(id).as_stmt())
    else {
        return false;
    };
    blocks_of(parent).into_iter().any(|block| {
        block
            .windows(2)
            .any(|pair| matches!(pair[0], Stmt::Delete(_)) && std::ptr::eq(&pair[1], statement))
    })
}

/// `while self._pending: ... gc.collect()` where `_pending` is a `WeakSet` (or another weak
/// container or reference): the loop waits for objects to die, and the collection is what
/// frees those held only by cycles. Moving it out of the loop would leave the loop waiting.
fn waits_on_weak_references(checker: &Checker) -> bool {
    let Some(Stmt::While(waiting)) = checker.innermost_loop() else {
        return false;
    };
    let semantic = checker.semantic();
    let mut watched = Vec::new();
    semantic.any_expr_in(&*waiting.test, |expr| {
        match expr {
            Expr::Name(name) => watched.push(name.id.as_str()),
            Expr::Attribute(attribute) => watched.push(attribute.attr.as_str()),
            _ => {}
        }
        false
    });
    let weak = [
        "weakref.WeakSet",
        "weakref.WeakValueDictionary",
        "weakref.WeakKeyDictionary",
        "weakref.ref",
    ];
    // Anywhere in the module (the container is usually made in `__init__`): a weak container
    // assigned to one of the names the loop's condition reads.
    semantic.node_ids_of(&[NodeKind::ExprCall]).any(|id| {
        let NodeRef::Expr(Expr::Call(call)) = semantic.node(id) else {
            return false;
        };
        if !semantic.resolves_to(&call.func, &weak) {
            return false;
        }
        let Some(NodeRef::Stmt(statement)) =
            semantic.parent(id).map(|parent| semantic.node(parent))
        else {
            return false;
        };
        let targets: &[Expr] = match statement {
            Stmt::Assign(assign) => &assign.targets,
            Stmt::AnnAssign(assign) => std::slice::from_ref(&*assign.target),
            _ => return false,
        };
        targets.iter().any(|target| match target {
            Expr::Name(name) => watched.contains(&name.id.as_str()),
            Expr::Attribute(attribute) => watched.contains(&attribute.attr.as_str()),
            _ => false,
        })
    })
}
