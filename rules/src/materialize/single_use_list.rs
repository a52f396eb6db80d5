use edgelint_diagnostics::{Applicability, Edit, Fix, Label, Severity};
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::{BindingId, BindingKind, NodeRef, SemanticModel, Size};
use ruff_python_ast::{Expr, ExprContext, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::laziness::calls_an_action;
use crate::mutation::{may_modify, target_names, Body, Container};
use crate::statements::{enclosing_block, index_containing, repeating_loops};
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook, Place};
use edgelint_source::literal_text;

rule! {
    /// ## What it does
    /// Flags a local bound to a list comprehension, to `list()` of an iterator (a generator
    /// expression, `map`, `filter`, `zip`, `enumerate`, `reversed`, `iter`), or to a file's
    /// `readlines()`, that is then read exactly once, and that one read only iterates it: a `for` loop, a comprehension, or an
    /// argument a function iterates once (`sum`, `max`, `"".join`, `itertools.*`, …). The
    /// local may also be rebound to a comprehension over itself (`rows = [f(r) for r in rows]`)
    /// outside a loop, when no other binding of it can reach that one read. Not the lines of a
    /// file when a file is opened for writing before they are iterated (`open(path, "w")`):
    /// it may be the file they came from, which the open empties.
    ///
    /// ## Why is this bad?
    /// The whole list is built and kept before the one pass over it: N references (8 bytes
    /// each) plus every element alive at once, where a generator expression would produce the
    /// elements one at a time as the pass asks for them. No other Python linter reports this.
    ///
    /// Not flagged: lists whose elements are made for what making them does, by calls named
    /// like actions (`[m.register_forward_hook(f) for m in layers]`, `[pool.submit(j) for j in
    /// jobs]`, `write`, `send`, `start`, ...): made lazily, those would happen late or never.
    /// Nor names read twice, returned, yielded, indexed, `len()`-ed, mutated or
    /// captured by a closure; a read inside a loop that does not contain the binding (the list
    /// is iterated again and again); set comprehensions and `sorted()` (they need every
    /// element anyway); a list passed to any other function (`json.dumps(rows)`,
    /// `writer.writerows(rows)`), which may need a real list.
    ///
    /// By default it reports only a list of data shown to be large (the lines of a file, a
    /// loaded document); one of unknown size is reported with `--pedantic`, and one of data
    /// small by construction (a constant tuple, a model's children) never.
    ///
    /// Modules written for TorchScript (they call `torch.jit.is_scripting()` or use
    /// `@torch.jit.unused`, `torch.jit.annotate`, ...) are left alone: TorchScript compiles
    /// lists, not generators or `itertools`.
    ///
    /// ## Example
    /// ```python
    /// import json
    ///
    /// def total_size(data_path):
    ///     with open(data_path) as stream:
    ///         records = json.load(stream)
    ///     sizes = [record["size"] for record in records]
    ///     return sum(sizes)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def total_size(data_path):
    ///     with open(data_path) as stream:
    ///         records = json.load(stream)
    ///     sizes = (record["size"] for record in records)
    ///     return sum(sizes)
    /// ```
    ///
    /// For the lines of a file, iterate the file while it is open, or move the loop's source
    /// into a generator function that opens the file and yields each line: the caller then
    /// holds one line at a time.
    ///
    /// ## Fix safety
    /// The brackets become parentheses (or `list(it)` becomes `it`). Unsafe: the elements are
    /// then computed lazily, during the pass rather than before it, which changes behaviour if
    /// computing them has effects or if what they read changes in between. No fix for
    /// `readlines()`: the file may be closed before the loop runs.
    pub static SINGLE_USE_LIST = {
        code: "EL206",
        name: "single-use-list",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Function(check)],
    }
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
    let semantic = checker.semantic();
    let Some(scope) = semantic.scope_of(function) else {
        return;
    };
    let findings: Vec<(BindingId, TextRange)> = semantic
        .bindings_in(scope)
        .filter_map(|(binding, _)| {
            Some((binding, single_use_iteration(semantic, function, binding)?))
        })
        .collect();
    for (binding, single_use) in findings {
        report(checker, binding, single_use);
    }
}

fn report(checker: &mut Checker, binding: BindingId, single_use: TextRange) {
    let semantic = checker.semantic();
    let bound = semantic.binding(binding);
    let (Some(statement), BindingKind::Assignment { value: Some(value) }) =
        (bound.statement, &bound.kind)
    else {
        return;
    };
    let name = bound.name;
    // Elements made for what computing them does (`m.register_forward_hook(f)`,
    // `pool.submit(job)`) must be made now: laziness is not the advice for them.
    if !reads_lines(value) && made_lazy(value).any(|part| calls_an_action(semantic, part)) {
        return;
    }
    let replacement = match value {
        Expr::ListComp(_) => {
            let text = checker.text(*value);
            Some(format!("({})", &text[1..text.len() - 1]))
        }
        Expr::Call(call) => call.arguments.args.first().map(|source| {
            checker
                .moved_text(source, Place::Instead(value.range()))
                .into_owned()
        }),
        _ => return,
    };
    let message = format!("`{name}` holds a whole list that is iterated only once");
    let diagnostic = if builds_one_per_element(semantic, binding, single_use) {
        let size = match semantic.size_of(value) {
            Size::Small => Size::Small,
            _ => Size::Unknown,
        };
        let unknown = format!(
            "its one pass builds a list as long as `{name}` anyway: laziness saves its elements, not a whole list"
        );
        checker.report_sized(size, Some(unknown), statement.range(), message)
    } else {
        checker.report_about_data(value, statement.range(), message)
    };
    let Some(diagnostic) = diagnostic else {
        return;
    };
    diagnostic.label = format!("`{name}` keeps every element alive at once");
    diagnostic.secondary.push(Label {
        range: single_use,
        message: "its only use iterates it once".to_string(),
    });
    diagnostic.help = Some(match replacement {
        Some(_) => "produce the elements lazily: use a generator expression (or the iterator itself)",
        None => "iterate the file while it is open, or read it in a generator function that yields each line",
    }.to_string());
    diagnostic.fix = replacement.map(|replacement| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(value.range(), replacement)],
    });
}

/// Whether the one pass at `single_use` is the source of a list, set or dict comprehension
/// that keeps an element for every element (no `if`): the result is as long as the list.
fn builds_one_per_element(
    semantic: &SemanticModel,
    binding: BindingId,
    single_use: TextRange,
) -> bool {
    let Some(parent) = semantic
        .reference_of(binding, single_use)
        .and_then(|reference| semantic.parent(reference.node))
    else {
        return false;
    };
    let generators = match semantic.node(parent) {
        NodeRef::Expr(Expr::ListComp(comprehension)) => &comprehension.generators,
        NodeRef::Expr(Expr::SetComp(comprehension)) => &comprehension.generators,
        NodeRef::Expr(Expr::DictComp(comprehension)) => &comprehension.generators,
        _ => return false,
    };
    matches!(&**generators, [only] if only.iter.range() == single_use && only.ifs.is_empty())
}

/// Where a binding's only read iterates it once, when the binding is a list built just for
/// that: the question EL206 asks, and EL301 defers to.
pub(crate) fn single_use_iteration(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    binding: BindingId,
) -> Option<TextRange> {
    let bound = semantic.binding(binding);
    let BindingKind::Assignment { value: Some(value) } = bound.kind else {
        return None;
    };
    let statement = bound.statement?;
    let single_target = matches!(statement, Stmt::Assign(assign)
        if matches!(&*assign.targets, [Expr::Name(_)]));
    if !single_target || !builds_list_for_iteration(semantic, value) {
        return None;
    }
    // One binding of the name in the function (or the last of a chain that rebinds it to a
    // comprehension over itself), read once, by nothing that runs later.
    if !(semantic.is_only_binding(binding) || rebinds_over_itself(semantic, binding, statement))
        || semantic.references_of(binding).len() != 1
        || semantic.is_captured(binding)
    {
        return None;
    }
    let [(use_range, UseKind::Iterated)] = &*uses_of(&function.body, semantic, binding) else {
        return None;
    };
    let used_at = semantic.reference_of(binding, *use_range)?.node;
    let repeated = repeating_loops(semantic, used_at, semantic.node_id(function))
        .iter()
        .any(|repeating| !repeating.range().contains_range(statement.range()));
    // The lines of a file are read where they are read, whatever runs before the loop; the
    // others are suggested lazy, which needs nothing to change their elements meanwhile.
    if repeated
        || (!reads_lines(value)
            && !unchanged_until_use(semantic, function, statement, value, *use_range))
    {
        return None;
    }
    // `lines = f.readlines()`, then `with open(path, "w")` around the loop: the file may be the
    // one read, which the open empties: its lines must be read first.
    let between = TextRange::new(statement.end(), use_range.start());
    if reads_lines(value)
        && semantic.any_expr_in_body(&function.body, |expr| {
            between.contains_range(expr.range()) && opens_for_writing(semantic, expr)
        })
    {
        return None;
    }
    Some(*use_range)
}

/// `open(path, "w")`, `path.open("a")`, `path.write_text(...)`: a call that writes a file,
/// emptying or changing it.
fn opens_for_writing(semantic: &SemanticModel, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    // `open(path, mode)` and its kin in `io`, `gzip`, `bz2`, `lzma`; `path.open(mode)`.
    let opens_path = semantic.resolves_to(
        &call.func,
        &[
            "builtins.open",
            "io.open",
            "gzip.open",
            "bz2.open",
            "lzma.open",
            "codecs.open",
        ],
    );
    let (mode, writes) = match &*call.func {
        _ if opens_path => (call.arguments.args.get(1), false),
        Expr::Attribute(method) if method.attr.as_str() == "open" => {
            (call.arguments.args.first(), false)
        }
        Expr::Attribute(method) => (
            None,
            matches!(method.attr.as_str(), "write_text" | "write_bytes"),
        ),
        _ => return false,
    };
    let mode = mode.or_else(|| {
        call.arguments
            .find_keyword("mode")
            .map(|keyword| &keyword.value)
    });
    // A mode that is not written out may write.
    writes
        || match mode {
            Some(Expr::StringLiteral(mode)) => {
                literal_text(&mode.value).contains(['w', 'a', 'x', '+'])
            }
            Some(_) => true,
            None => false,
        }
}

/// `rows = [clean(row) for row in rows]`, outside any loop, where every other binding of
/// `rows` in the function comes before it or after its one read (the next link of a chain,
/// `rows = [row for row in rows if row]`): no other binding can reach that read.
fn rebinds_over_itself(semantic: &SemanticModel, binding: BindingId, statement: &Stmt) -> bool {
    let bound = semantic.binding(binding);
    let BindingKind::Assignment {
        value: Some(Expr::ListComp(comprehension)),
    } = bound.kind
    else {
        return false;
    };
    let over_itself = comprehension.generators.first().is_some_and(|generator| {
        matches!(&generator.iter, Expr::Name(source) if source.id.as_str() == bound.name)
    });
    let in_loop = semantic
        .node_id(statement)
        .is_none_or(|id| semantic.in_loop(id));
    let [read] = semantic.references_of(binding) else {
        return false;
    };
    if !over_itself || in_loop {
        return false;
    }
    let read = semantic.reference(*read).range;
    let others = || {
        semantic
            .bindings_named(bound.scope, bound.name)
            .filter(|(other, _)| *other != binding)
    };
    // A read after branches join resolves to one of the bindings that reach it (`return rows`
    // after an `if` that rebinds `rows` and an `else` that binds it anew): with a binding after
    // the use, a later read of the name may still see this one.
    let read_later = others().any(|(other, _)| {
        semantic
            .references_of(other)
            .iter()
            .any(|reference| semantic.reference(*reference).range.start() >= read.end())
    });
    others().all(|(_, other)| {
        // An assignment or `for` whose value reads it binds its targets afterwards.
        let binds_after_reading = matches!(other.statement,
                Some(later @ (Stmt::Assign(_) | Stmt::For(_))) if later.range().contains_range(read));
        other.range.end() <= statement.start()
            || (other.range.start() >= read.end() && !read_later)
            || binds_after_reading
    })
}

/// Whether computing the elements later, at the use, would compute the same elements: the use
/// is in a later statement of the same block, nothing in between calls anything, awaits,
/// deletes or rebinds a name the elements read, and a loop over the list does not change the
/// comprehension's source while it runs.
fn unchanged_until_use(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    statement: &Stmt,
    value: &Expr,
    use_range: TextRange,
) -> bool {
    let Some(block) = enclosing_block(semantic, &function.body, statement) else {
        return false;
    };
    let Some(bound_at) = index_containing(block, statement.range())
        .filter(|bound_at| block[*bound_at].range() == statement.range())
    else {
        return false;
    };
    let Some(used_at) = index_containing(block, use_range).filter(|used_at| *used_at > bound_at)
    else {
        return false;
    };
    let mut read = Vec::new();
    semantic.any_expr_in(value, |expr| {
        if let Expr::Name(name) = expr {
            if name.ctx == ExprContext::Load {
                read.push(name.id.as_str());
            }
        }
        false
    });
    // The comprehension's own loop variables are its own business.
    if let Expr::ListComp(comp) = value {
        let own: Vec<&str> = comp
            .generators
            .iter()
            .flat_map(|generator| target_names(&generator.target))
            .collect();
        read.retain(|name| !own.contains(name));
    }
    // Nothing in between calls, awaits or yields anything, or rebinds a name the elements read.
    let quiet = block[bound_at + 1..used_at].iter().all(|between| {
        !between.is_delete_stmt()
            && !semantic.any_expr_in(between, |expr| match expr {
                Expr::Call(_) | Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => true,
                Expr::Name(name) => {
                    name.ctx != ExprContext::Load && read.contains(&name.id.as_str())
                }
                _ => false,
            })
    });
    if !quiet {
        return false;
    }
    // `keys = [k for k in os.environ if ...]; for k in keys: del os.environ[k]`: the list is a
    // snapshot the loop needs.
    let source = match value {
        Expr::ListComp(comp) => comp.generators.first().map(|generator| &generator.iter),
        _ => None,
    };
    match (&block[used_at], source) {
        (Stmt::For(for_stmt), Some(source)) if for_stmt.iter.range() == use_range => {
            cannot_change(semantic, source)
                || !may_modify(
                    semantic,
                    source,
                    &[],
                    Body::Statements(&for_stmt.body),
                    Container::Any,
                )
        }
        _ => true,
    }
}

/// A source no loop body can change: an immutable value (`str`, `bytes`, a tuple, a range), or
/// a list that a split or `readlines()` just made and nothing else holds.
fn cannot_change(semantic: &SemanticModel, source: &Expr) -> bool {
    let fresh = matches!(source, Expr::Call(call) if matches!(&*call.func,
        Expr::Attribute(method)
            if matches!(method.attr.as_str(), "split" | "rsplit" | "splitlines" | "readlines")));
    fresh
        || matches!(
            semantic.provenance(source).kind,
            ValueKind::Str | ValueKind::Bytes | ValueKind::Tuple | ValueKind::Range
        )
}

/// What a generator expression would compute later than the list does: all but the first
/// iterable of a comprehension (a generator evaluates that at once, as the list does), or the
/// whole of `list(iterator)`.
fn made_lazy(value: &Expr) -> impl Iterator<Item = &Expr> {
    let parts: Vec<&Expr> = match value {
        Expr::ListComp(comp) => std::iter::once(&*comp.elt)
            .chain(
                comp.generators
                    .iter()
                    .enumerate()
                    .flat_map(|(index, generator)| {
                        (index > 0)
                            .then_some(&generator.iter)
                            .into_iter()
                            .chain(&generator.ifs)
                    }),
            )
            .collect(),
        _ => vec![value],
    };
    parts.into_iter()
}

/// `f.readlines()`: every line of a file-like object.
fn reads_lines(value: &Expr) -> bool {
    matches!(value, Expr::Call(call)
        if call.arguments.is_empty()
            && matches!(&*call.func, Expr::Attribute(method) if method.attr.as_str() == "readlines"))
}

/// A list comprehension, `list()` of an iterator, or the lines of a file.
fn builds_list_for_iteration(semantic: &SemanticModel, value: &Expr) -> bool {
    match value {
        Expr::ListComp(comp) => !comp.generators.iter().any(|generator| generator.is_async),
        Expr::Call(call) if call.arguments.keywords.is_empty() => {
            match (&*call.func, &*call.arguments.args) {
                (Expr::Attribute(_), []) => reads_lines(value),
                (_, [source]) => {
                    semantic.resolves_to(&call.func, &["builtins.list"])
                        && semantic.provenance(source).kind == ValueKind::Iterator
                }
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod side_effect_tests {
    use crate::test_support::fixes;

    /// Bug: laziness was suggested for a list built for what building it does: the hooks would
    /// never be registered.
    #[test]
    fn el206_no_laziness_for_elements_made_by_actions() {
        let source = "def f(layers, hook):\n    hooks = [m.register_forward_hook(hook) for m in layers]\n    for h in hooks:\n        h.remove()\n";
        assert!(fixes(source).is_empty());
        let pure = "def f(paths):\n    sizes = [len(p) for p in paths]\n    return sum(sizes)\n";
        assert_eq!(fixes(pure).len(), 1);
    }
}
