use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::NodeRef;
use edgelint_semantic::Size;
use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{CmpOp, Expr, ExprSubscript, NodeKind, Stmt};
use ruff_text_size::Ranged;

use super::{is_whole_slice, rebound_afresh_each_iteration, unbounded_slice};
use crate::checker::parse_buffer_reason;
use crate::mutation::dotted_path;
use crate::statements::leaves_loop_after;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags, inside a loop, a name (or attribute) rebound to an unbounded slice of itself:
    /// `buf = buf[n:]`, `items = items[:-1]`, `self.pending = self.pending[1:]`.
    ///
    /// ## Why is this bad?
    /// Each iteration copies everything that is left. Consuming a buffer of n bytes in chunks
    /// of k copies n + (n - k) + (n - 2k) + … bytes: O(n) extra per iteration, O(n²) over the
    /// loop, with two copies alive at once at every step. A protocol parser that does this on a
    /// 1 MB message moves half a gigabyte.
    ///
    /// Slices of memoryviews, arrays and tensors are views, so `view = view[n:]` is fine: it is
    /// the fix. A name the loop gives a fresh value every iteration (its target, or
    /// `line = f.readline()`) is trimmed once per iteration, which is not quadratic, and is not
    /// flagged.
    ///
    /// The copies add up only when the value starts out as big as the data. By default it
    /// reports a value shown to be large (every line of a file, a whole read) trimmed in a
    /// loop, and a buffer that an outer loop fills from a stream (`buf += sock.recv(n)`) and an
    /// inner loop drains message by message. A value of unknown size, and a parser's buffer
    /// that the same loop fills and trims (`buf += data` ... `buf = buf[used:]`, which holds
    /// about one message), are reported with `--pedantic`. A loop over a literal, a constant
    /// or a short `range` is never reported, nor is a slice followed by `break` or `return`:
    /// it runs once.
    ///
    /// ## Example
    /// ```python
    /// def send_file(sock, data_path):
    ///     with open(data_path, "rb") as f:
    ///         data = f.read()
    ///     while data:
    ///         sent = sock.send(data)
    ///         data = data[sent:]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def send_file(sock, data_path):
    ///     with open(data_path, "rb") as f:
    ///         data = f.read()
    ///     view = memoryview(data)
    ///     while view:
    ///         sent = sock.send(view)
    ///         view = view[sent:]
    /// ```
    pub static RESLICE_IN_LOOP = {
        code: "EL102",
        name: "reslice-in-loop",
        family: Family::Copies,
        severity: Severity::Error,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAssign], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let Stmt::Assign(assign) = statement else {
        return;
    };
    let [target] = &*assign.targets else {
        return;
    };
    let Expr::Subscript(subscript) = &*assign.value else {
        return;
    };
    // `x = x[:]` takes nothing off: a copy per pass, but not of a shrinking rest.
    if !checker.in_loop()
        || unbounded_slice(subscript).is_none_or(is_whole_slice)
        || leaves_loop_after(checker.semantic(), statement)
    {
        return;
    }
    let Some(path) = dotted_path(target) else {
        return;
    };
    if dotted_path(&subscript.value).as_deref() != Some(path.as_str()) {
        return;
    }
    let kind = checker.semantic().provenance(&subscript.value).kind;
    if kind.is_view_on_slice() {
        return;
    }
    // `for name in names: name = name[4:]` trims each iteration's own value once, and so does
    // `for cell in row: cell.value = cell.value[1:]` on each iteration's own object.
    let root = path.split('.').next().unwrap_or(&path);
    if rebound_afresh_each_iteration(checker, root, statement) {
        return;
    }
    let help = match kind {
        ValueKind::Bytes | ValueKind::Bytearray => format!(
            "slice a `memoryview({path})` instead (zero-copy), or keep an offset into `{path}`"
        ),
        ValueKind::List => format!(
            "keep an index into `{path}`, or use a `collections.deque` and `popleft()`"
        ),
        _ => format!("keep an offset into `{path}` instead of re-slicing it, or slice a `memoryview` of bytes"),
    };
    // The copies add up to O(n²) when `path` is as big as the data and each pass takes a
    // little off. A loop that fills it on each pass too is a parser's buffer, about one message.
    let Some(loops) = checker.carrying_loops(Some(&path)) else {
        return;
    };
    let (count, count_unknown) = checker.count_of(&loops);
    let (Some(outermost), Some(innermost)) = (loops.first(), loops.last()) else {
        return;
    };
    if count == Size::Small {
        return;
    }
    let (size, unknown) = if checker.buffer_use(&path, *innermost).is_parser_buffer() {
        (Size::Unknown, Some(parse_buffer_reason(&path)))
    } else if let large @ Size::Large { .. } = checker.semantic().size_of(&subscript.value) {
        (large, None)
    } else if checker.buffer_use(&path, *outermost).fills
        && chunks_by_fixed_size(checker, *innermost, &path, subscript)
    {
        (
            Size::Unknown,
            Some(format!(
                "each pass takes a fixed size off `{path}`, and the outer loop adds one read at a time: how many passes a read makes is not known"
            )),
        )
    } else if checker.buffer_use(&path, *outermost).fills {
        // Filled by an outer loop (`buf += sock.recv(n)`) and drained by an inner one: as big
        // as what the outer loop reads.
        (count, count_unknown)
    } else {
        (
            Size::Unknown,
            Some(format!(
                "how big `{path}` is when the loop starts is not known"
            )),
        )
    };
    let slice_text = checker.snippet(subscript);
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        statement.range(),
        format!("`{path} = {slice_text}` copies the rest of `{path}` on every iteration"),
    ) else {
        return;
    };
    diagnostic.label = "rebinds the name to a fresh copy of almost all of it".to_string();
    diagnostic
        .notes
        .push("O(n) extra per iteration, O(n²) over the loop".to_string());
    diagnostic.help = Some(help);
}

/// Whether `innermost` cuts `path` into pieces of one fixed size: `while len(path) >= n:` with
/// `path = path[n:]` on each pass, or `while path:` (`while len(path):`) with a literal size
/// (`path = path[70:]`). Fed one read at a time by an outer loop, it runs about once per piece
/// of each read, which is as often as a few times or as often as the read is long.
fn chunks_by_fixed_size(
    checker: &Checker,
    innermost: NodeRef,
    path: &str,
    subscript: &ExprSubscript,
) -> bool {
    let (NodeRef::Stmt(Stmt::While(while_stmt)), Some(slice)) =
        (innermost, unbounded_slice(subscript))
    else {
        return false;
    };
    let Some(lower) = slice.lower.as_deref() else {
        return false;
    };
    let semantic = checker.semantic();
    let is_path = |measured: &Expr| dotted_path(measured).as_deref() == Some(path);
    match &*while_stmt.test {
        Expr::Compare(compare) => {
            semantic
                .length_comparison(compare, is_path)
                .is_some_and(|(op, step)| {
                    matches!(op, CmpOp::Gt | CmpOp::GtE)
                        && ComparableExpr::from(step) == ComparableExpr::from(lower)
                })
        }
        // `while buf:` or `while len(buf):` until the last piece.
        test => {
            let measured = match test {
                Expr::Call(call) if semantic.resolves_to(&call.func, &["builtins.len"]) => {
                    call.arguments.args.first()
                }
                other => Some(other),
            };
            measured.is_some_and(is_path) && lower.is_number_literal_expr()
        }
    }
}
