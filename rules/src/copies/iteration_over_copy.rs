use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::{ScopeKind, SemanticModel};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::is_whole_slice;
use crate::checker::one_line;
use crate::consumers::comprehension_parts;
use crate::mutation::{dotted_path, may_modify, target_names, Body};
use crate::{rule, Checker, Family, FixAvailability, Hook};

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
    /// Not flagged when the body may modify the container: a mutating method call on it
    /// (`append`, `remove`, `pop`, `update`, …), `del c[k]`, an item or augmented assignment,
    /// rebinding it, or passing it to any call; for `obj.attr`, also any method call on `obj`;
    /// for a module-level container, any call to a function of the module. An element can
    /// reach back into its container (a connection that removes itself from its map on
    /// `close()`), so a method call on an element other than a pure accessor, or passing an
    /// element to anything but a builtin, also counts. Attributes of modules (`sys.modules`,
    /// `os.environ`) are never flagged: any import or call may change them.
    ///
    /// ## Example
    /// ```python
    /// def total_weight(parcels):
    ///     total = 0
    ///     for parcel in list(parcels):
    ///         total += parcel.weight
    ///     return total
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def total_weight(parcels):
    ///     total = 0
    ///     for parcel in parcels:
    ///         total += parcel.weight
    ///     return total
    /// ```
    ///
    /// ## Fix safety
    /// The fix iterates the container directly. It is safe for a local of the function: the
    /// loop cannot change the container, so it sees the same elements in the same order. For an
    /// attribute (`self.jobs`) or a global it is unsafe: another thread may change the
    /// container while the loop runs, and the copy was the protection against that.
    pub static ITERATION_OVER_COPY = {
        code: "EL106",
        name: "iteration-over-copy",
        family: Family::Copies,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::Always,
        hooks: &[Hook::Stmt(check_for), Hook::Expr(check_comprehension)],
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
    if may_modify(checker.semantic(), container, &target_names(target), body) {
        return;
    }
    let applicability = if is_function_local(checker.semantic(), container) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let container_text = checker.snippet(container);
    let replacement_text = checker.text(replacement).to_string();
    let copy_text = checker.snippet(iterable);
    let diagnostic = checker.report(
        iterable.range(),
        format!("`{copy_text}` copies `{container_text}` only to iterate it, and the loop never changes `{container_text}`"),
    );
    diagnostic.label = format!(
        "a new collection of every element of `{container_text}`, alive for the whole loop"
    );
    diagnostic.help = Some(format!(
        "iterate `{}` directly",
        one_line(&replacement_text)
    ));
    diagnostic.fix = Some(Fix {
        applicability,
        edits: vec![Edit::replacement(iterable.range(), replacement_text)],
    });
}

/// Whether the container is a local of the running function, which no other thread can
/// change while the loop runs; an attribute or a global may be shared with one.
fn is_function_local(semantic: &SemanticModel, container: &Expr) -> bool {
    let Expr::Name(name) = container else {
        return false;
    };
    semantic.binding_of(name).is_some_and(|binding| {
        let kind = &semantic.scope(semantic.binding(binding).scope).kind;
        kind.is_function_like() || matches!(kind, ScopeKind::Comprehension)
    })
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

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    #[test]
    fn the_fix_is_safe_for_locals_only() {
        let local = "def f(jobs):\n    for j in list(jobs):\n        print(j)\n";
        assert_eq!(fixes(local)[0].0, Applicability::Safe);
        // Another thread may change an attribute while the loop runs (bug: the stdlib's
        // concurrent.futures copies `self.processes` for exactly that reason).
        let attribute = "class P:\n    def f(self):\n        for p in list(self.processes.values()):\n            print(p)\n";
        assert_eq!(fixes(attribute)[0].0, Applicability::Unsafe);
        let global = "JOBS = []\ndef f():\n    for j in list(JOBS):\n        print(j)\n";
        assert_eq!(fixes(global)[0].0, Applicability::Unsafe);
    }
}
