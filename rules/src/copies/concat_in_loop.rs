use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::ValueKind;
use ruff_python_ast::{Expr, NodeKind, Operator, Stmt};
use ruff_text_size::Ranged;

use super::rebound_afresh_each_iteration;
use crate::statements::leaves_loop_after;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags, inside a loop, `acc = acc + x` or `acc += x` where `acc` is bytes or a tuple by
    /// provenance, and `acc = acc + x` where `acc` is a list.
    ///
    /// ## Why is this bad?
    /// These types are immutable (or, for `acc = acc + x`, rebuilt): each concatenation
    /// allocates a new object and copies everything accumulated so far. Building n bytes in k
    /// pieces copies O(n) per iteration and O(n²) over the loop, and holds two copies at once
    /// at every step.
    ///
    /// `+=` on a list extends it in place and is fine, as are numbers, accumulators of unknown
    /// kind, and accumulators reset at the start of every iteration of the loop.
    ///
    /// By default it reports a loop that runs once per piece of data shown to be large: over
    /// the lines of a file, while a stream gives chunks (`sock.recv()` on every pass), or while
    /// a large value is consumed. A loop whose length is not known is reported with
    /// `--pedantic`; a loop over a literal, a constant or a short `range` never, and a `str`
    /// never (CPython grows a `str` that only one name refers to in place, in linear time).
    /// Two loops that read on every pass are not as long as the stream: one that stops when
    /// the accumulator reaches a length (`while len(data) < size:` runs as often as `size` is
    /// big) or counts down what is left (`while n > 0:` ... `n -= len(chunk)`), and a parser's
    /// buffer that the same loop also consumes from the front
    /// (`buf += data` ... `buf = buf[used:]` holds about one message).
    ///
    /// ## Example
    /// ```python
    /// def read_all(sock):
    ///     data = b""
    ///     while chunk := sock.recv(4096):
    ///         data += chunk
    ///     return data
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def read_all(sock):
    ///     data = bytearray()
    ///     while chunk := sock.recv(4096):
    ///         data += chunk
    ///     return bytes(data)
    /// ```
    pub static CONCAT_IN_LOOP = {
        code: "EL104",
        name: "concat-in-loop",
        family: Family::Copies,
        severity: Severity::Error,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAugAssign, NodeKind::StmtAssign], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    // The accumulator as read (its previous value), and whether the statement is `+=`.
    let (accumulator, augmented) = match statement {
        Stmt::AugAssign(assign) if assign.op == Operator::Add => match &*assign.target {
            Expr::Name(name) => (name, true),
            _ => return,
        },
        Stmt::Assign(assign) => {
            let ([Expr::Name(target)], Expr::BinOp(binop)) = (&*assign.targets, &*assign.value)
            else {
                return;
            };
            let Expr::Name(left) = &*binop.left else {
                return;
            };
            if binop.op != Operator::Add || left.id != target.id {
                return;
            }
            (left, false)
        }
        _ => return,
    };
    if !checker.in_loop() {
        return;
    }
    let kind = checker
        .semantic()
        .provenance(&Expr::Name(accumulator.clone()))
        .kind;
    let (kind_name, help) = match kind {
        ValueKind::Bytes => (
            "bytes",
            "accumulate into a `bytearray` (its `+=` extends in place) or an `io.BytesIO`",
        ),
        ValueKind::Tuple => (
            "tuple",
            "collect the items in a list and build the tuple once after the loop",
        ),
        ValueKind::List if !augmented => (
            "list",
            "use `+=` or `.extend()`, which grow the list in place",
        ),
        // CPython grows a `str` that only this name refers to in place (for `s += t` and
        // `s = s + t` alike): such a loop runs in linear time.
        _ => return,
    };
    if rebound_afresh_each_iteration(checker, accumulator.id.as_str(), statement)
        || leaves_loop_after(checker.semantic(), statement)
    {
        return;
    }
    let name = accumulator.id.as_str();
    let Some(diagnostic) = checker.report_about_loop(
        statement.range(),
        format!("`{name}` ({kind_name}) is copied in full by every concatenation in this loop"),
        Some(name),
    ) else {
        return;
    };
    diagnostic.label = format!("builds a new {kind_name} from all of `{name}` on every iteration");
    diagnostic
        .notes
        .push("O(n) extra per iteration, O(n²) over the loop".to_string());
    diagnostic.help = Some(help.to_string());
}
