use edgelint_diagnostics::Severity;
use edgelint_semantic::BindingKind;
use ruff_python_ast::{BoolOp, CmpOp, Expr, NodeKind, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Ancestor;
use crate::copies::{mentions, other_bindings_in_loop, rebound_afresh_each_iteration};
use crate::mutation::dotted_path;
use crate::statements::leaves_loop_after;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags, inside a loop, an array, tensor or data frame rebound to a concatenation of
    /// itself: `a = np.concatenate([a, part])`, `a = np.append(a, x)`, `a = np.vstack(...)`,
    /// `hstack`, `stack`, `np.r_[a, x]`, `t = torch.cat([t, x])`, `torch.stack`,
    /// `df = pd.concat([df, chunk])`.
    ///
    /// ## Why is this bad?
    /// Arrays cannot grow in place: every concatenation allocates a new buffer and copies all
    /// of the accumulator into it, while the old buffer is still alive. Over n iterations that
    /// is O(n²) copying, and the peak memory is twice the final array. `pd.concat` also
    /// rebuilds the index every time.
    ///
    /// Concatenations outside loops, ones whose result goes to a different name, accumulators
    /// reset at the start of every iteration, and concatenations under an `if` that tests an
    /// equality (`if i == k:`, a step taken on one iteration) are not flagged, nor are
    /// accumulators that the loop also rebinds to something else computed from them
    /// (`x = np.delete(x, i)`, `x = conv(x)`): a value transformed step by step.
    ///
    /// By default it reports a loop that runs once per piece of data shown to be large (the
    /// records of a loaded file, the chunks a stream gives); a loop whose length is not known
    /// is reported with `--pedantic`, and one over a literal, a constant or a short `range`
    /// never.
    ///
    /// ## Example
    /// ```python
    /// import json
    /// import numpy as np
    ///
    /// def load(data_path):
    ///     with open(data_path) as stream:
    ///         readings = json.load(stream)
    ///     temps = np.array([], dtype=np.float32)
    ///     for reading in readings:
    ///         temps = np.append(temps, reading["celsius"])
    ///     return temps
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    /// import numpy as np
    ///
    /// def load(data_path):
    ///     with open(data_path) as stream:
    ///         readings = json.load(stream)
    ///     temps = [reading["celsius"] for reading in readings]
    ///     return np.array(temps, dtype=np.float32)
    /// ```
    /// When the final size is known, preallocate (`np.empty(n)`) and fill it instead.
    pub static ARRAY_GROW_IN_LOOP = {
        code: "EL501",
        name: "array-grow-in-loop",
        family: Family::Arrays,
        severity: Severity::Error,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAssign], check)],
    }
}

/// Functions that return a new array made of copies of all their inputs. For `numpy.append`
/// the accumulator is the first argument; for the others it is an element of the first
/// argument, a list or tuple of parts.
const CONCATENATIONS: &[&str] = &[
    "numpy.append",
    "numpy.concatenate",
    "numpy.vstack",
    "numpy.hstack",
    "numpy.dstack",
    "numpy.row_stack",
    "numpy.column_stack",
    "numpy.stack",
    "torch.cat",
    "torch.concat",
    "torch.concatenate",
    "torch.stack",
    "torch.vstack",
    "torch.hstack",
    "pandas.concat",
    "tensorflow.concat",
];

fn check(checker: &mut Checker, statement: &Stmt) {
    let Stmt::Assign(assign) = statement else {
        return;
    };
    let [target] = &*assign.targets else {
        return;
    };
    if !checker.in_loop() {
        return;
    }
    let Some(accumulator) = dotted_path(target) else {
        return;
    };
    let Some((function, parts)) = concatenation(checker, &assign.value) else {
        return;
    };
    if !parts
        .iter()
        .any(|part| dotted_path(part).as_deref() == Some(accumulator.as_str()))
    {
        return;
    }
    if target.is_name_expr() && rebound_afresh_each_iteration(checker, &accumulator, statement) {
        return;
    }
    if guarded_by_equality(checker, statement)
        || transformed_elsewhere_in_loop(checker, &accumulator, statement)
        || leaves_loop_after(checker.semantic(), statement)
    {
        return;
    }
    let Some(diagnostic) = checker.report_about_loop(
        statement.range(),
        format!(
            "`{accumulator}` is copied in full by `{function}` on every iteration of this loop"
        ),
        Some(&accumulator),
    ) else {
        return;
    };
    diagnostic.label = format!("a new buffer holding all of `{accumulator}` on every iteration");
    diagnostic.notes.push(
        "O(n) copied per iteration, O(n²) over the loop, with the old and new buffers alive at once"
            .to_string(),
    );
    diagnostic.help = Some(format!(
        "collect the parts in a list and call `{function}` once after the loop, or preallocate the result and fill it"
    ));
}

/// Whether, within the innermost loop, `statement` is in the body of an `if` that tests an
/// equality (`if i == k:`): a step taken on one iteration, not growth on every one.
fn guarded_by_equality(checker: &Checker, statement: &Stmt) -> bool {
    let is_equality = |test: &Expr| matches!(test, Expr::Compare(compare) if compare.ops.iter().all(|op| *op == CmpOp::Eq));
    for ancestor in checker.ancestors() {
        match ancestor {
            Ancestor::Stmt(Stmt::For(_) | Stmt::While(_)) => return false,
            Ancestor::Stmt(Stmt::If(branch)) => {
                let in_body = branch
                    .body
                    .iter()
                    .any(|inner| inner.range().contains_range(statement.range()));
                let tests_equality = match &*branch.test {
                    Expr::BoolOp(all) if all.op == BoolOp::And => {
                        all.values.iter().any(is_equality)
                    }
                    test => is_equality(test),
                };
                if in_body && tests_equality {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether the loop also rebinds a name accumulator to something else computed from it
/// (`x = np.delete(x, i)` before `x = np.append(x, 0)`, `x = conv(x)` after the stack): the
/// value is transformed step by step, not grown.
fn transformed_elsewhere_in_loop(checker: &Checker, accumulator: &str, statement: &Stmt) -> bool {
    other_bindings_in_loop(checker, accumulator, statement).any(|binding| {
        matches!(binding.kind, BindingKind::Assignment { value: Some(value) }
            if concatenation(checker, value).is_none() && mentions(checker.semantic(), value, accumulator))
    })
}

/// For a concatenating call (or `np.r_[...]`): how the function is written, and the parts it
/// copies.
fn concatenation<'a>(checker: &Checker, value: &'a Expr) -> Option<(String, Vec<&'a Expr>)> {
    let semantic = checker.semantic();
    match value {
        Expr::Call(call) => {
            let qualified = semantic.resolve(&call.func)?;
            if !CONCATENATIONS.contains(&qualified.as_str()) {
                return None;
            }
            let first = call.arguments.args.first()?;
            let parts = if qualified.as_str() == "numpy.append" {
                vec![first]
            } else {
                match first {
                    Expr::List(list) => list.elts.iter().collect(),
                    Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                    _ => return None,
                }
            };
            Some((checker.text(&*call.func).to_string(), parts))
        }
        Expr::Subscript(subscript) if semantic.resolves_to(&subscript.value, &["numpy.r_"]) => {
            let parts = match &*subscript.slice {
                Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                single => vec![single],
            };
            Some((checker.text(&*subscript.value).to_string(), parts))
        }
        _ => None,
    }
}
