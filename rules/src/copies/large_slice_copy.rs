use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::{SemanticModel, Size};
use ruff_python_ast::{
    Expr, ExprCall, ExprSlice, ExprSubscript, NodeKind, Operator, Stmt, UnaryOp,
};
use ruff_text_size::Ranged;

use super::{is_whole_slice, slice_copies, unbounded_slice};
use crate::checker::{help_code, Place};
use crate::consumers::{comprehension_parts, COMPREHENSIONS};
use crate::consumers::{consumer_of, iterated_arguments};
use crate::mutation::{may_modify, Body, Container};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags an unbounded slice (`x[k:]`, `x[:-k]`, `x[k:-m]`) of a list, tuple, str or bytes
    /// that is only read once: the iterable of a `for` loop or a comprehension, or the argument
    /// of a function that iterates it (`sum`, `any`, `all`, `min`, `max`, `enumerate`, `zip`,
    /// `map`, `filter`, `set`, `tuple`, `itertools.*`). In those calls the whole copy `x[:]` is
    /// flagged too. Not `"".join(x[k:])`: `join` makes a list of whatever it is given.
    ///
    /// ## Why is this bad?
    /// Slicing a sequence copies it: `items[1:]` allocates a new list of len(items) - 1
    /// references (8 bytes each), or for str and bytes a copy of the data itself, all to be
    /// read once and thrown away. That is O(n) extra memory at the peak of the loop for nothing;
    /// `itertools.islice` or an index range reads the same elements without the copy.
    ///
    /// By default it reports only a slice of data shown to be large, such as the lines of a
    /// file read whole or a loaded document, and points at where that data comes from. A slice
    /// of data whose size is not known (a parameter, an attribute) is reported with
    /// `--pedantic`. A slice of data that is small by construction is never reported:
    /// `sys.argv`, a name's parts, `*args`, a literal or a class constant, a model's layers.
    ///
    /// Not flagged: slices of arrays, tensors, data frames and memoryviews (they are views, not
    /// copies); bounded slices such as `x[:10]`, `x[i:i + 4]` or `x[-3:]`, whose size the
    /// author chose; reversed copies (`x[::-1]`); slices that are stored, returned, passed to
    /// other functions or indexed again; loops whose body may modify the container (the copy is
    /// what makes that safe); and, in a module that imports an array library, slices of values
    /// whose kind is unknown.
    ///
    /// Modules written for TorchScript (they call `torch.jit.is_scripting()` or use
    /// `@torch.jit.unused`, `torch.jit.annotate`, ...) are left alone: TorchScript compiles
    /// lists, not generators or `itertools`.
    ///
    /// ## Example
    /// ```python
    /// def count_readings(data_path):
    ///     lines = open(data_path).readlines()
    ///     total = 0
    ///     for line in lines[1:]:
    ///         total += 1
    ///     return total
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import itertools
    ///
    /// def count_readings(data_path):
    ///     lines = open(data_path).readlines()
    ///     total = 0
    ///     for line in itertools.islice(lines, 1, None):
    ///         total += 1
    ///     return total
    /// ```
    ///
    /// ## Fix safety
    /// `x[k:]` becomes `itertools.islice(x, k, None)` when `k` is a non-negative literal and
    /// `itertools` (or `islice`) is already imported. It is unsafe: `islice` walks the skipped
    /// elements one by one, and it works on any iterable, so code that relied on the slice
    /// raising for a non-sequence now runs.
    pub static LARGE_SLICE_COPY = {
        code: "EL101",
        name: "large-slice-copy",
        family: Family::Copies,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtFor], check_for), Hook::Expr(COMPREHENSIONS, check_comprehension), Hook::Call(check_consumer)],
    }
}

/// `for v in x[k:]:`
fn check_for(checker: &mut Checker, statement: &Stmt) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
    let Stmt::For(for_stmt) = statement else {
        return;
    };
    let Expr::Subscript(subscript) = &*for_stmt.iter else {
        return;
    };
    if for_stmt.is_async
        || may_modify(
            checker.semantic(),
            &subscript.value,
            &[],
            Body::Statements(&for_stmt.body),
            Container::Sequence,
        )
    {
        return;
    }
    check_slice(checker, subscript, false);
}

/// `[f(v) for v in x[k:]]`
fn check_comprehension(checker: &mut Checker, expr: &Expr) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
    let Some((generators, elements)) = comprehension_parts(expr) else {
        return;
    };
    // Every clause's iterable is read once per pass; what runs per element is the element,
    // the conditions and the iterables of the clauses after it.
    for (index, generator) in generators.iter().enumerate() {
        let Expr::Subscript(subscript) = &generator.iter else {
            continue;
        };
        let body: Vec<&Expr> = elements
            .iter()
            .copied()
            .chain(generators.iter().flat_map(|generator| generator.ifs.iter()))
            .chain(
                generators[index + 1..]
                    .iter()
                    .map(|generator| &generator.iter),
            )
            .collect();
        if generator.is_async
            || may_modify(
                checker.semantic(),
                &subscript.value,
                &[],
                Body::Expressions(body),
                Container::Sequence,
            )
        {
            continue;
        }
        check_slice(checker, subscript, false);
    }
}

/// `sum(x[k:])`
fn check_consumer(checker: &mut Checker, call: &ExprCall) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
    if !call.arguments.args.iter().any(Expr::is_subscript_expr) {
        return;
    }
    // `"".join(x[k:])` is not here: `join` makes a list of any iterable it is given, so
    // `islice` would hold the same list.
    let arguments: Vec<&Expr> = match consumer_of(checker.semantic(), call) {
        Some(consumer) if consumer.reads_slices => {
            iterated_arguments(&call.arguments, consumer.iterated)
        }
        _ => return,
    };
    for argument in arguments {
        if let Expr::Subscript(subscript) = argument {
            check_slice(checker, subscript, true);
        }
    }
}

fn check_slice(checker: &mut Checker, subscript: &ExprSubscript, whole_copy_too: bool) {
    let Some(slice) = unbounded_slice(subscript) else {
        check_data_sized_slice(checker, subscript);
        return;
    };
    // In a loop header, `x[:]` is EL106's (iteration over a copy).
    if is_whole_slice(slice) && !whole_copy_too {
        return;
    }
    let sequence = &*subscript.value;
    if sequence.is_string_literal_expr() || sequence.is_bytes_literal_expr() {
        return;
    }
    let semantic = checker.semantic();
    let kind = semantic.provenance(sequence).kind;
    let copies = slice_copies(semantic, kind);
    // A bytes slice in a loop is EL103's.
    let bytes_in_loop =
        matches!(kind, ValueKind::Bytes | ValueKind::Bytearray) && checker.in_loop();
    // An immutable sequence's `[:]` is the sequence itself: nothing is copied.
    let same_object = is_whole_slice(slice)
        && matches!(kind, ValueKind::Tuple | ValueKind::Str | ValueKind::Bytes);
    if !copies || bytes_in_loop || same_object {
        return;
    }

    let start = slice.lower.as_deref();
    let islice_start = match start {
        None => Some("0"),
        Some(Expr::NumberLiteral(number)) if number.value.is_int() => Some(checker.text(number)),
        _ => None,
    };
    let forward_open_end = slice.upper.is_none() && slice.step.is_none();
    let islice = islice_start.filter(|_| forward_open_end);
    let argument = checker.moved_text(sequence, Place::Argument);
    // A whole copy read once is the sequence itself; other slices become `islice`.
    let replacement = if is_whole_slice(slice) {
        Some(
            checker
                .moved_text(sequence, Place::Instead(subscript.range()))
                .into_owned(),
        )
    } else {
        islice.and_then(|start| {
            let islice_name = semantic.import_access("itertools.islice")?;
            Some(format!("{islice_name}({argument}, {start}, None)"))
        })
    };
    let fix = replacement.map(|replacement| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(subscript.range(), replacement)],
    });
    let kind_name = match kind {
        ValueKind::List => "list",
        ValueKind::Tuple => "tuple",
        ValueKind::Str => "str",
        ValueKind::Bytes => "bytes",
        ValueKind::Bytearray => "bytearray",
        _ => "sequence",
    };
    let slice_text = checker.snippet(subscript);
    let sequence_shown = checker.snippet(sequence);
    let (islice_name, needs_import) = islice_access(semantic);
    let help = match islice {
        Some(_) if is_whole_slice(slice) => match help_code(&argument) {
            Some(code) => format!("read `{code}` itself"),
            None => "read the sequence itself".to_string(),
        },
        Some(start) => {
            let islice_call = format!("{islice_name}({argument}, {start}, None)");
            match help_code(&islice_call) {
                Some(code) => format!("read it without copying: `{code}`{needs_import}"),
                None => format!("read it without copying, with `{islice_name}`{needs_import}"),
            }
        }
        None => {
            let index = unused_index_name(checker, subscript);
            let header = format!("for {index} in {}:", index_range(checker, slice, &argument));
            let item = format!("{}[{index}]", checker.moved_text(sequence, Place::Receiver));
            match (help_code(&header), help_code(&item)) {
                (Some(header), Some(item)) => format!(
                    "iterate over the indices, `{header}`, and read `{item}`; or use `{islice_name}`{needs_import} where the bounds are not negative"
                ),
                _ => format!("iterate over the indices instead, or use `{islice_name}`{needs_import} where the bounds are not negative"),
            }
        }
    };
    let Some(diagnostic) = checker.report_about_data(
        sequence,
        subscript.range(),
        format!("`{slice_text}` copies almost all of `{sequence_shown}` only to read it once"),
    ) else {
        return;
    };
    diagnostic.label = format!("a new {kind_name} of every element but a few");
    diagnostic.notes.push(format!(
        "the copy costs O(len({sequence_shown})) extra memory for a single pass over the elements"
    ));
    diagnostic.help = Some(help);
    diagnostic.fix = fix;
}

/// `data[start:end]` with both bounds computed, of data shown to be large (the seed's
/// `for item in data[start_index:end_index]`): the part can be as big as the data. Reported
/// only with evidence; a bounded slice of data of unknown size is the caller's choice.
fn check_data_sized_slice(checker: &mut Checker, subscript: &ExprSubscript) {
    let Expr::Slice(slice) = &*subscript.slice else {
        return;
    };
    let computed = |bound: Option<&Expr>| {
        bound.is_some_and(|bound| !bound.is_number_literal_expr() && !bound.is_unary_op_expr())
    };
    if slice.step.is_some()
        || !computed(slice.lower.as_deref())
        || !computed(slice.upper.as_deref())
    {
        return;
    }
    // `x[p:p + n]` takes the `n` elements the caller asked for.
    if let (Some(lower), Some(Expr::BinOp(upper))) =
        (slice.lower.as_deref(), slice.upper.as_deref())
    {
        if upper.op == Operator::Add && checker.text(&*upper.left) == checker.text(lower) {
            return;
        }
    }
    let semantic = checker.semantic();
    let sequence = &*subscript.value;
    let kind = semantic.provenance(sequence).kind;
    let copies = slice_copies(semantic, kind);
    if !copies || !matches!(semantic.size_of(sequence), Size::Large { .. }) {
        return;
    }
    let (islice_name, needs_import) = islice_access(semantic);
    let islice_call = format!(
        "{islice_name}({}, {}, {})",
        checker.moved_text(sequence, Place::Argument),
        checker.text(slice.lower.as_deref().expect("a computed lower bound")),
        checker.text(slice.upper.as_deref().expect("a computed upper bound")),
    );
    let slice_text = checker.snippet(subscript);
    let sequence_shown = checker.snippet(sequence);
    let Some(diagnostic) = checker.report_about_data(
        sequence,
        subscript.range(),
        format!("`{slice_text}` copies a part of `{sequence_shown}` as big as the bounds make it, only to read it once"),
    ) else {
        return;
    };
    diagnostic.label = "a new sequence of every element between the bounds".to_string();
    diagnostic.help = Some(match help_code(&islice_call) {
        Some(code) => format!("read it without copying: `{code}`{needs_import}, where the bounds are not negative"),
        None => format!("read it without copying, with `{islice_name}`{needs_import}, where the bounds are not negative"),
    });
}

/// `islice` as the module can call it (`it.islice` after `import itertools as it`), or with
/// the import it needs.
fn islice_access(semantic: &SemanticModel) -> (String, &'static str) {
    match semantic.import_access("itertools.islice") {
        Some(name) => (name, ""),
        None => (
            "itertools.islice".to_string(),
            " (after `import itertools`)",
        ),
    }
}

/// A name for the index that the statement holding the slice does not already use: not in
/// the slice (`x[i + 1:]` reads `x[j]`), nor as the loop's own variable or in its body
/// (`for i, j in b.edges[1::2]` reads `b.edges[k]`).
fn unused_index_name(checker: &Checker, subscript: &ExprSubscript) -> &'static str {
    let semantic = checker.semantic();
    let used = |candidate: &str| {
        let named = |expr: &Expr| matches!(expr, Expr::Name(name) if name.id.as_str() == candidate);
        match checker.enclosing_statement() {
            Some(statement) => semantic.any_expr_in(statement, named),
            None => {
                semantic.any_expr_in(&*subscript.value, named)
                    || semantic.any_expr_in(&*subscript.slice, named)
            }
        }
    };
    ["i", "j", "k", "index"]
        .into_iter()
        .find(|candidate| !used(candidate))
        .unwrap_or("index")
}

/// The indices a slice reads, as a `range(...)` with the slice's own bounds: `x[2:-1]` reads
/// `range(2, len(x) - 1)`.
fn index_range(checker: &Checker, slice: &ExprSlice, sequence: &str) -> String {
    let start = slice
        .lower
        .as_deref()
        .map_or("0", |lower| checker.text(lower));
    let length = format!("len({sequence})");
    let stop = match slice.upper.as_deref() {
        None => length,
        Some(Expr::UnaryOp(negative)) if negative.op == UnaryOp::USub => {
            format!(
                "{length} - {}",
                checker.moved_text(&negative.operand, Place::SubtractedOperand)
            )
        }
        Some(upper) => checker.text(upper).to_string(),
    };
    match slice.step.as_deref() {
        Some(step) => format!("range({start}, {stop}, {})", checker.text(step)),
        None => format!("range({start}, {stop})"),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::helps;

    /// Bug (found by an independent review): the help's index was the loop's own variable.
    #[test]
    fn el101_the_help_index_is_not_a_name_of_the_loop() {
        let source = "def f(n, mate):\n    edges = [(n, n)] * 3\n    for i, j in edges[1::2]:\n        print(mate[i] == j)\n";
        assert!(
            helps(source)[0].contains("`for k in range(1, len(edges), 2):`, and read `edges[k]`")
        );
    }

    /// Bug (found by an independent review): the help named `itertools.islice` in a module
    /// that imports `itertools as it`.
    #[test]
    fn el101_the_help_calls_islice_by_the_module_own_name() {
        let source =
            "import itertools as it\n\ndef f(n):\n    rows = [n] * 3\n    return sum(rows[1:-2])\n";
        assert!(helps(source)[0].ends_with("or use `it.islice` where the bounds are not negative"));
    }

    /// Bug: the help kept unfilled placeholders (`range(start, len(x) - k)`).
    #[test]
    fn el101_the_help_uses_the_slice_own_bounds() {
        let source =
            "def f(n, i):\n    rows = [n] * 3\n    return sum(rows[1:-2]), max(rows[i + n:])\n";
        let found = helps(source);
        assert_eq!(
            found,
            [
                "iterate over the indices, `for j in range(1, len(rows) - 2):`, and read `rows[j]`; or use `itertools.islice` (after `import itertools`) where the bounds are not negative",
                "iterate over the indices, `for j in range(i + n, len(rows)):`, and read `rows[j]`; or use `itertools.islice` (after `import itertools`) where the bounds are not negative",
            ]
        );
    }
}
