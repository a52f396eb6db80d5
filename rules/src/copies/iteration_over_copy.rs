use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::{BindingKind, Packages, SemanticModel};
use ruff_python_ast::{Expr, NodeKind, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::is_whole_slice;
use crate::builtin_kinds::is_builtin_container;
use crate::checker::{help_code, Ancestor, Place};
use crate::consumers::{comprehension_parts, COMPREHENSIONS};
use crate::mutation::{dotted_path, may_modify, target_names, Body, Container};
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a loop (or comprehension) over a copy of a container that the loop never
    /// modifies: `for v in list(c)`, `for v in c.copy()`, `for v in c[:]`, `for v in tuple(c)`,
    /// `for k, v in list(d.items())` (also `.keys()` and `.values()`), where `c` is a name or an
    /// attribute such as `self.items`.
    ///
    /// ## Why is this bad?
    /// The copy holds a reference to every element (8 bytes each, plus the list itself) for
    /// the whole loop, only to be iterated once. Iterating a copy is the right thing when the
    /// loop changes the container; when it cannot, the copy is pure overhead: O(n) extra
    /// memory for the duration of the loop.
    ///
    /// Not flagged when the loop yields or awaits and anything but the function itself can
    /// reach the container (the generator's caller or another task may change it meanwhile),
    /// nor when the body may modify the container: a method call on it other than a
    /// reader's (`append`, `remove`, but also a graph's `add_edge`), `del c[k]`, an item or
    /// augmented assignment,
    /// rebinding it, or passing it to any call; for `obj.attr`, also any method call on `obj`;
    /// for a local read from another object (`names = registry.names`), any method call on
    /// that object; for a module-level container, any call to a function of the module. An element can
    /// reach back into its container (a connection that removes itself from its map on
    /// `close()`), so a method call on an element other than a pure accessor, or passing an
    /// element to anything but a builtin, also counts. Attributes of modules (`sys.modules`,
    /// `os.environ`) are never flagged: any import or call may change them.
    ///
    /// By default it reports only a copy of data shown to be large (a loaded document, the
    /// lines of a file); one of unknown size is reported with `--pedantic`, and one of data
    /// small by construction (a literal, a constant, `**kwargs`) never.
    ///
    /// ## Example
    /// ```python
    /// import json
    ///
    /// def total_weight(data_path):
    ///     parcels = json.load(open(data_path))
    ///     total = 0
    ///     for parcel in list(parcels):
    ///         total += parcel["weight"]
    ///     return total
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def total_weight(data_path):
    ///     parcels = json.load(open(data_path))
    ///     total = 0
    ///     for parcel in parcels:
    ///         total += parcel["weight"]
    ///     return total
    /// ```
    ///
    /// ## Fix safety
    /// The fix iterates the container directly. It is safe only where nothing but the loop can
    /// reach the container while it runs: an immutable builtin (tuple, str, bytes, range), or
    /// a list, dict or set that the function made itself and never hands on (no call, store,
    /// alias or closure gets it). Everywhere else it is unsafe: for an attribute (`self.jobs`)
    /// or a global, another thread, another task across an `await`, or an element's callback
    /// may change the container while the loop runs, and the copy was the protection against
    /// that; a property may return a view of a dict that the body changes; a parameter is held
    /// by the caller; and a value of unknown type may be an iterator that the copy drained.
    pub static ITERATION_OVER_COPY = {
        code: "EL106",
        name: "iteration-over-copy",
        family: Family::Copies,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Always,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtFor], check_for), Hook::Expr(COMPREHENSIONS, check_comprehension)],
    }
}

fn check_for(checker: &mut Checker, statement: &Stmt) {
    let Stmt::For(for_stmt) = statement else {
        return;
    };
    if for_stmt.is_async {
        return;
    }
    check_copy(
        checker,
        &for_stmt.iter,
        &for_stmt.target,
        Body::Statements(&for_stmt.body),
    );
}

fn check_comprehension(checker: &mut Checker, expr: &Expr) {
    // A generator expression may be read after the container has changed: its copy can be
    // a deliberate snapshot.
    if expr.is_generator_expr() {
        return;
    }
    let Some((generators, elements)) = comprehension_parts(expr) else {
        return;
    };
    let Some(first) = generators.first() else {
        return;
    };
    if first.is_async {
        return;
    }
    let body = elements
        .into_iter()
        .chain(generators.iter().flat_map(|generator| generator.ifs.iter()))
        .chain(generators.iter().skip(1).map(|generator| &generator.iter))
        .collect();
    check_copy(checker, &first.iter, &first.target, Body::Expressions(body));
}

fn check_copy(checker: &mut Checker, iterable: &Expr, target: &Expr, body: Body) {
    let Some((container, replacement)) = copied_container(checker, iterable) else {
        return;
    };
    // A loop that yields or awaits hands control to other code (the generator's caller,
    // another task) between elements, which may change the container: unless nothing else can
    // reach it, the copy is what keeps the loop working.
    let pauses = match &body {
        Body::Statements(statements) => checker.semantic().any_expr_in_body(statements, |expr| {
            matches!(expr, Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_))
        }),
        Body::Expressions(_) => false,
    };
    if may_modify(
        checker.semantic(),
        container,
        &target_names(target),
        body,
        Container::Any,
    ) {
        return;
    }
    let private = nothing_else_reaches(checker, container);
    // Other threads may change a container others can reach while the loop runs, and a
    // comment above the loop may say the copy is for that.
    let threads = checker
        .semantic()
        .imports_any(Packages::THREADING | Packages::LOW_LEVEL_THREAD | Packages::CONCURRENT);
    if !private && (pauses || threads || explained_above(checker, iterable.start())) {
        return;
    }
    let applicability = if private {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let container_text = checker.snippet(container);
    let replacement_text = checker
        .moved_text(replacement, Place::Instead(iterable.range()))
        .into_owned();
    let copy_text = checker.snippet(iterable);
    let Some(diagnostic) = checker.report_about_data(
        container,
        iterable.range(),
        format!("`{copy_text}` copies `{container_text}` only to iterate it, and the loop never changes `{container_text}`"),
    ) else {
        return;
    };
    diagnostic.label = format!(
        "a new collection of every element of `{container_text}`, alive for the whole loop"
    );
    diagnostic.help = Some(match help_code(&replacement_text) {
        Some(code) => format!("iterate `{code}` directly"),
        None => "iterate the container directly".to_string(),
    });
    diagnostic.fix = Some(Fix {
        applicability,
        edits: vec![Edit::replacement(iterable.range(), replacement_text)],
    });
}

/// Whether no code but the loop's own can reach the container while the loop runs, so that
/// iterating it directly sees the same elements as iterating the copy. It must be an immutable
/// builtin (a tuple, str, bytes or range: nothing can change it), or a local this function made
/// itself from a display, a comprehension or a builtin constructor, that no closure captures
/// and that the function never hands on (passes to a call, stores, aliases, puts in a
/// container). A parameter is held by the caller (who may change it between a generator's
/// `yield`s); an attribute or a global may be shared with another thread, another task across
/// an `await`, or an element's callback; a `property` may return a view of a dict the body
/// changes. A value of unknown type may be an iterator, which the copy drained and the loop
/// would leave half read after a `break`.
fn nothing_else_reaches(checker: &Checker, container: &Expr) -> bool {
    let semantic = checker.semantic();
    let Expr::Name(name) = container else {
        return false;
    };
    let kind = semantic.provenance(container).kind;
    if matches!(
        kind,
        ValueKind::Tuple | ValueKind::Str | ValueKind::Bytes | ValueKind::Range
    ) {
        return true;
    }
    let Some(binding) = semantic.binding_of(name) else {
        return false;
    };
    let bound = semantic.binding(binding);
    let BindingKind::Assignment { value: Some(value) } = bound.kind else {
        return false;
    };
    let Some(function) = checker.ancestors().find_map(|ancestor| match ancestor {
        Ancestor::Stmt(Stmt::FunctionDef(function)) => Some(function),
        _ => None,
    }) else {
        return false;
    };
    is_fresh_container(semantic, value)
        && is_builtin_container(kind)
        && semantic.scope_of(function) == Some(bound.scope)
        && !semantic.is_captured(binding)
        && uses_of(&function.body, semantic, binding)
            .iter()
            .all(|(_, use_kind)| stays_private(semantic, use_kind))
}

/// A new container that nothing else holds yet: a display, a comprehension, or a builtin that
/// builds one.
fn is_fresh_container(semantic: &SemanticModel, value: &Expr) -> bool {
    match value {
        Expr::List(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::DictComp(_)
        | Expr::SetComp(_) => true,
        Expr::Call(call) => semantic.resolves_to(
            &call.func,
            &[
                "builtins.list",
                "builtins.dict",
                "builtins.set",
                "builtins.sorted",
            ],
        ),
        _ => false,
    }
}

/// Whether a use keeps the container in the function's hands: read, iterated, changed through
/// its own methods, or passed to a builtin that only reads it (an iterator over it cannot
/// change it either).
fn stays_private(semantic: &SemanticModel, use_kind: &UseKind) -> bool {
    match use_kind {
        UseKind::Argument { callee } => semantic.resolves_to(
            callee,
            &[
                "builtins.len",
                "builtins.list",
                "builtins.tuple",
                "builtins.set",
                "builtins.frozenset",
                "builtins.enumerate",
                "builtins.zip",
                "builtins.reversed",
                "builtins.sum",
                "builtins.min",
                "builtins.max",
                "builtins.sorted",
                "builtins.any",
                "builtins.all",
                "builtins.print",
                "builtins.repr",
                "builtins.str",
                "builtins.bool",
                "builtins.isinstance",
            ],
        ),
        UseKind::Called | UseKind::Returned => false,
        other => !other.escapes(),
    }
}

/// For a copy of a container (`list(c)`, `tuple(c)`, `c.copy()`, `c[:]`, `list(d.items())`):
/// the container, and the expression to iterate instead.
fn copied_container<'a>(checker: &Checker, iterable: &'a Expr) -> Option<(&'a Expr, &'a Expr)> {
    let (container, replacement) = match iterable {
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::Slice(slice) if is_whole_slice(slice) => (&*subscript.value, &*subscript.value),
            _ => return None,
        },
        Expr::Call(call) => {
            if let Expr::Attribute(method) = &*call.func {
                if method.attr.as_str() == "copy" && call.arguments.is_empty() {
                    let container: &Expr = &method.value;
                    return dotted_path(container)
                        .is_some()
                        .then_some((container, container));
                }
            }
            let [argument] = &*call.arguments.args else {
                return None;
            };
            if !call.arguments.keywords.is_empty() {
                return None;
            }
            let semantic = checker.semantic();
            if !semantic.resolves_to(&call.func, &["builtins.list", "builtins.tuple"]) {
                return None;
            }
            match argument {
                // `list(d.items())`: iterate the view itself.
                Expr::Call(view) if view.arguments.is_empty() => match &*view.func {
                    Expr::Attribute(method)
                        if matches!(method.attr.as_str(), "keys" | "values" | "items") =>
                    {
                        (&*method.value, argument)
                    }
                    _ => return None,
                },
                _ => (argument, argument),
            }
        }
        _ => return None,
    };
    // `sys.modules`, `os.environ`: registries of the whole process that any import or call may
    // change behind the loop's back; copying them first is the idiom.
    if let Expr::Attribute(attribute) = container {
        if checker.semantic().resolve(&attribute.value).is_some() {
            return None;
        }
    }
    dotted_path(container)
        .is_some()
        .then_some((container, replacement))
}

/// Whether a comment on the line of `offset` or the two lines above it says why the copy is
/// made: another thread, a mutation, a race ("use copy to avoid runtimeerror on mutation from
/// different thread").
fn explained_above(checker: &Checker, offset: TextSize) -> bool {
    const REASONS: &[&str] = &[
        "thread",
        "mutat",
        "modif",
        "concurren",
        "race",
        "changed size",
        "runtimeerror",
        "stomp",
    ];
    let before = &checker.source()[..offset.to_usize()];
    let line_end = checker.source()[offset.to_usize()..]
        .find('\n')
        .map_or(checker.source().len(), |end| offset.to_usize() + end);
    let start = before
        .rmatch_indices('\n')
        .nth(2)
        .map_or(0, |(at, _)| at + 1);
    checker.source()[start..line_end].lines().any(|line| {
        line.split_once('#').is_some_and(|(_, comment)| {
            let comment = comment.to_ascii_lowercase();
            REASONS.iter().any(|reason| comment.contains(reason))
        })
    })
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    #[test]
    fn the_fix_is_safe_for_a_container_the_function_keeps_to_itself() {
        let local = "def f(n):\n    jobs = [1, 2]\n    jobs.append(n)\n    for j in list(jobs):\n        print(j)\n    return len(jobs)\n";
        assert_eq!(fixes(local)[0].0, Applicability::Safe);
        let immutable =
            "def f(n):\n    word = str(n)\n    for c in list(word):\n        print(c)\n";
        assert_eq!(fixes(immutable)[0].0, Applicability::Safe);
        // Another thread may change an attribute while the loop runs (bug: the stdlib's
        // concurrent.futures copies `self.processes` for exactly that reason).
        let attribute = "class P:\n    def f(self):\n        for p in list(self.processes.values()):\n            print(p)\n";
        assert_eq!(fixes(attribute)[0].0, Applicability::Unsafe);
        let global = "JOBS = []\ndef f():\n    for j in list(JOBS):\n        print(j)\n";
        assert_eq!(fixes(global)[0].0, Applicability::Unsafe);
    }

    /// Bug: the copy of a property returning a view of a dict was reported, and dropped, while
    /// the body deleted from that dict (a `RuntimeError` at run time).
    #[test]
    fn el106_a_change_to_a_sibling_attribute_counts_as_a_change() {
        let source = "class C:\n    def f(self):\n        for k in list(self.live_keys):\n            del self._data[k]\n";
        assert!(fixes(source).is_empty());
    }

    /// Bug (networkx's `threshold.py`, found by applying the safe fixes to real packages): the
    /// body grew the iterated graph through its own method (`G.add_edge(v, u)` adds the node
    /// `v`), and a local read from another object changed when that object did.
    #[test]
    fn el106_any_method_of_the_container_or_its_source_may_change_it() {
        let graph = "def f(G, v):\n    for u in list(G):\n        G.add_edge(v, u)\n";
        assert!(fixes(graph).is_empty());
        let alias = "def f(registry):\n    names = registry.names\n    for v in tuple(names):\n        registry.register(v + '_')\n";
        assert!(fixes(alias).is_empty());
        // A new list built by a method shares nothing with its receiver.
        let fresh = "def f(value):\n    parts = value.split(';')\n    for p in list(parts):\n        print(value.strip(), p)\n";
        assert_eq!(fixes(fresh).len(), 1);
    }

    /// Bug (networkx's `EdgeView.__iter__`, found by an independent review): a loop that
    /// yields lets its caller change the container between elements
    /// (`G.remove_edges_from(G.edges)`), and one that awaits lets another task; the copy is
    /// needed there, unless nothing else can reach the container.
    #[test]
    fn el106_a_loop_that_yields_or_awaits_needs_its_copy() {
        for source in [
            "def f(jobs):\n    for j in list(jobs):\n        yield j\n",
            "class C:\n    async def f(self):\n        for k in list(self.table.keys()):\n            await self.expire(k)\n",
        ] {
            assert!(fixes(source).is_empty(), "{source}");
        }
        let private = "def f(n):\n    jobs = list(n)\n    for j in list(jobs):\n        yield j\n";
        assert_eq!(fixes(private).len(), 1);
    }

    /// Bug: the copy was dropped where something else could reach the container during the
    /// loop: the caller (a parameter, between a generator's `yield`s), an alias, a closure, a
    /// function it was handed to, or an element's callback; or where it was an iterator that
    /// the copy drained and a `break` would leave half read.
    #[test]
    fn el106_the_fix_is_unsafe_where_anything_else_may_reach_the_container() {
        for source in [
            "def f():\n    jobs = [1]\n    alias = jobs\n    for j in list(jobs):\n        alias.clear()\n",
            "def f():\n    jobs = [1]\n    def drop():\n        jobs.clear()\n    for j in list(jobs):\n        drop()\n",
            "def f():\n    jobs = [1]\n    register(jobs)\n    for j in list(jobs):\n        j.run()\n",
            "def f(it):\n    for j in list(it):\n        break\n    return next(it)\n",
        ] {
            let found = fixes(source);
            assert!(
                found.iter().all(|(applicability, _)| *applicability == Applicability::Unsafe),
                "{source}"
            );
        }
    }
}
