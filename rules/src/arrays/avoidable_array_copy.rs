use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::{BindingKind, Packages, SemanticModel};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::current_body;
use crate::checker::Ancestor;
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};
use edgelint_source::literal_text;

rule! {
    /// ## What it does
    /// Flags three copies of an ndarray that the code does not need:
    /// - `np.array(a)` where `a` is already an ndarray (by provenance: a numpy constructor, a
    ///   load, an `np.ndarray` annotation); `np.asarray(a)` returns `a` itself;
    /// - `a.flatten()` on an ndarray; `a.ravel()` returns a view whenever the layout allows
    ///   (not of a transposed or stepped view, `u.T[i, :]`, `a[::2]`, which is left alone);
    /// - `a.astype(t)` where `a` was created with dtype `t`; `astype` copies even then, unless
    ///   given `copy=False`.
    ///
    /// A copy that is stored in a local name and then changed (item or slice assignment, `+=`,
    /// an in-place method such as `sort`, `fill` or `put`, an `out=` argument) is not flagged:
    /// there the copy protects the original.
    ///
    /// ## Why is this bad?
    /// Each of these allocates and fills a second buffer as large as the array, only for the
    /// code to read it. For the images, point clouds and activations of edge inference that is
    /// megabytes per call, and twice the peak memory while both are alive.
    ///
    /// By default it reports only a copy of an array shown to be large (loaded with `np.load`,
    /// read from a file); one of unknown size is reported with `--pedantic`, and one whose
    /// shape is written out small (`np.eye(4)`, `np.ones((3, 3))`) never.
    ///
    /// ## Example
    /// ```python
    /// import numpy as np
    ///
    /// def coverage(path):
    ///     mask = np.load(path)
    ///     return np.sum(mask.flatten()) / mask.size
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import numpy as np
    ///
    /// def coverage(path):
    ///     mask = np.load(path)
    ///     return np.sum(mask.ravel()) / mask.size
    /// ```
    ///
    /// ## Fix safety
    /// The fix (`np.asarray`, `ravel`, `copy=False`) is unsafe: the result may then share
    /// memory with the original, so code elsewhere that writes to either (after the value is
    /// returned or passed on) would change both.
    pub static AVOIDABLE_ARRAY_COPY = {
        code: "EL502",
        name: "avoidable-array-copy",
        family: Family::Arrays,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Call(check)],
    }
}

/// ndarray methods that change the array they are called on.
const IN_PLACE_METHODS: &[&str] = &[
    "fill",
    "sort",
    "put",
    "partition",
    "resize",
    "itemset",
    "setfield",
    "setflags",
    "byteswap",
    "__setitem__",
];

/// What a copy is, and how to avoid it.
struct AvoidableCopy<'a> {
    /// The array copied: the finding's cost is its size.
    copied: &'a Expr,
    message: String,
    label: &'static str,
    help: &'static str,
    edit: Option<Edit>,
}

fn check(checker: &mut Checker, call: &ExprCall) {
    let Some(copy) = avoidable_copy(checker, call) else {
        return;
    };
    if stored_and_changed(checker, call) || asked_for(checker) {
        return;
    }
    let Some(diagnostic) = checker.report_about_data(copy.copied, call.range(), copy.message)
    else {
        return;
    };
    diagnostic.label = copy.label.to_string();
    diagnostic.help = Some(copy.help.to_string());
    diagnostic.fix = copy.edit.map(|edit| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![edit],
    });
}

/// Whether the copy is made because the caller asked for one: under a test that reads a
/// `copy` flag (`data if not copy else np.array(data)`, `if copy: data = data.copy()`).
fn asked_for(checker: &Checker) -> bool {
    let reads_copy_flag = |test: &Expr| {
        checker.semantic().any_expr_in(test, |expr| {
            matches!(expr, Expr::Name(name) if name.id.contains("copy"))
                || matches!(expr, Expr::Attribute(attribute) if attribute.attr.contains("copy"))
        })
    };
    checker.ancestors().any(|ancestor| match ancestor {
        Ancestor::Expr(Expr::If(choice)) => reads_copy_flag(&choice.test),
        Ancestor::Stmt(Stmt::If(branch)) => reads_copy_flag(&branch.test),
        _ => false,
    })
}

fn avoidable_copy<'a>(checker: &Checker, call: &'a ExprCall) -> Option<AvoidableCopy<'a>> {
    let semantic = checker.semantic();
    let arguments = &call.arguments;
    // Asked of every call: a module that imports nothing from numpy calls no `numpy.array`,
    // whatever its name there, and the question is answered without looking the name up.
    if semantic.imports_any(Packages::NUMPY) && semantic.resolves_to(&call.func, &["numpy.array"]) {
        let ([source], []) = (&*arguments.args, &*arguments.keywords) else {
            return None;
        };
        if semantic.provenance(source).kind != ValueKind::NdArray
            || under_isinstance_test(checker, source)
        {
            return None;
        }
        let copied = source;
        let source = checker.snippet(source);
        return Some(AvoidableCopy {
            copied,
            message: format!("`np.array({source})` copies `{source}`, which is already an ndarray"),
            label: "a full copy of an array that is only read",
            help: "use `np.asarray`, which returns an ndarray argument itself",
            edit: match &*call.func {
                Expr::Attribute(attribute) => {
                    Some(Edit::replacement(attribute.attr.range(), "asarray"))
                }
                _ => None,
            },
        });
    }
    let Expr::Attribute(attribute) = &*call.func else {
        return None;
    };
    let receiver = &*attribute.value;
    match attribute.attr.as_str() {
        "flatten" if arguments.is_empty() => {
            // A transposed or stepped view is not contiguous: `.ravel()` copies it just the same.
            if semantic.provenance(receiver).kind != ValueKind::NdArray
                || may_be_strided(semantic, receiver, 6)
            {
                return None;
            }
            // `np.array(a).flatten()`: one finding, for the inner copy.
            if let Expr::Call(inner) = receiver {
                if avoidable_copy(checker, inner).is_some() {
                    return None;
                }
            }
            Some(AvoidableCopy {
                copied: receiver,
                message: format!(
                    "`{}.flatten()` copies the array only for it to be read",
                    checker.snippet(receiver)
                ),
                label: "always a full copy",
                help: "use `.ravel()`, which returns a view whenever the memory layout allows",
                edit: Some(Edit::replacement(attribute.attr.range(), "ravel")),
            })
        }
        "astype" => {
            let ([dtype], []) = (&*arguments.args, &*arguments.keywords) else {
                return None;
            };
            let wanted = dtype_name(checker, dtype)?;
            if known_dtype(checker, receiver, 2)? != wanted {
                return None;
            }
            Some(AvoidableCopy {
                copied: receiver,
                message: format!(
                    "`{}` copies an array that already has dtype `{}`",
                    checker.snippet(call),
                    checker.snippet(dtype)
                ),
                label: "a full copy with the same dtype",
                help: "pass `copy=False`, which returns the array itself when the dtype matches",
                edit: Some(checker.add_argument(arguments, "copy=False")),
            })
        }
        _ => None,
    }
}

/// The dtype an array expression is known to have: the `dtype=` of the numpy call that made
/// it, or the target of an `astype`, followed through local assignments.
fn known_dtype(checker: &Checker, array: &Expr, depth: u8) -> Option<String> {
    let semantic = checker.semantic();
    match array {
        Expr::Name(name) => {
            let id = semantic.binding_of(name)?;
            // With several bindings, the one that reaches here may be another.
            if !semantic.is_only_binding(id) {
                return None;
            }
            let binding = semantic.binding(id);
            match &binding.kind {
                BindingKind::Assignment { value: Some(value) } => {
                    known_dtype(checker, value, depth.checked_sub(1)?)
                }
                _ => None,
            }
        }
        Expr::Call(call) => {
            if let Expr::Attribute(attribute) = &*call.func {
                if attribute.attr.as_str() == "astype" {
                    return dtype_name(checker, call.arguments.args.first()?);
                }
            }
            if !semantic
                .resolve(&call.func)
                .is_some_and(|name| name.as_str().starts_with("numpy."))
            {
                return None;
            }
            dtype_name(checker, &call.arguments.find_keyword("dtype")?.value)
        }
        _ => None,
    }
}

/// Whether an enclosing `if` tests the type of `source` (`elif not isinstance(x, np.ndarray):
/// x = np.array(x)`, `if np.isscalar(x):`, `np.array(x) if not isinstance(x, np.ndarray) else
/// x`): the annotation or assignment that made it an ndarray is not trusted.
fn under_isinstance_test(checker: &Checker, source: &Expr) -> bool {
    let Expr::Name(source) = source else {
        return false;
    };
    let semantic = checker.semantic();
    let tests_type = |test: &Expr| {
        semantic.any_expr_in(test, |expr| {
            expr.as_call_expr().is_some_and(|call| {
                let tests = matches!(&*call.func, Expr::Name(callee) if callee.id.as_str() == "isinstance")
                    || semantic.resolves_to(&call.func, &["numpy.isscalar", "numpy.ndim"]);
                tests
                    && matches!(call.arguments.args.first(), Some(Expr::Name(checked)) if checked.id == source.id)
            })
        })
    };
    checker.ancestors().any(|ancestor| match ancestor {
        Ancestor::Expr(Expr::If(choice)) => tests_type(&choice.test),
        Ancestor::Stmt(Stmt::If(branch)) => {
            tests_type(&branch.test)
                || branch
                    .elif_else_clauses
                    .iter()
                    .filter_map(|clause| clause.test.as_ref())
                    .any(tests_type)
        }
        _ => false,
    })
}

/// A dtype expression as a comparable name: `np.float32`, `numpy.float32` and `"float32"` are
/// all `numpy.float32`; `float` is `builtins.float`.
fn dtype_name(checker: &Checker, dtype: &Expr) -> Option<String> {
    match dtype {
        Expr::StringLiteral(literal) => Some(format!("numpy.{}", literal_text(&literal.value))),
        _ => checker
            .semantic()
            .resolve(dtype)
            .map(|name| name.as_str().to_string()),
    }
}

/// Whether the copy is bound to a local name that is then changed, or handed somewhere that
/// may change it while the original must stay as it was: a function of the user's, the caller
/// (returned), an attribute or a container.
fn stored_and_changed(checker: &Checker, call: &ExprCall) -> bool {
    let Some(Stmt::Assign(assign)) = checker.enclosing_statement() else {
        return false;
    };
    if assign.value.range() != call.range() {
        return false;
    }
    let [Expr::Name(target)] = &*assign.targets else {
        return true; // Stored in an attribute or a container: changed who knows where.
    };
    let semantic = checker.semantic();
    let (Some(body), Some(binding)) = (current_body(checker), semantic.binding_at(target)) else {
        return true;
    };
    let passed_as_out = |range: TextRange| {
        semantic.any_expr_in_body(body, |expr| {
            expr.as_call_expr().is_some_and(|call| {
                call.arguments
                    .find_keyword("out")
                    .is_some_and(|keyword| keyword.value.range().contains_range(range))
            })
        })
    };
    uses_of(body, semantic, binding)
        .into_iter()
        .any(|(range, use_kind)| match use_kind {
            UseKind::ItemStore
            | UseKind::SliceStore
            | UseKind::ItemMethodCall(_)
            | UseKind::ItemDelete
            | UseKind::AugmentedAssign
            | UseKind::Aliased
            | UseKind::StoredInObject
            | UseKind::InContainer
            | UseKind::HandedOver => true,
            UseKind::MethodCall(method) => {
                IN_PLACE_METHODS.contains(&method) || method.ends_with('_')
            }
            // A function of the user's may change its argument in place; numpy's and the
            // builtins change only an `out=` array.
            UseKind::Argument { callee } => {
                passed_as_out(range)
                    || !semantic.resolve(callee).is_some_and(|name| {
                        name.builtin().is_some() || name.as_str().starts_with("numpy.")
                    })
            }
            // The caller may change what it gets.
            UseKind::Returned => true,
            _ => false,
        })
}

/// Whether `array` may be a view that is not contiguous in memory: taken from a transpose
/// (`u.T[i, :]`, `a.transpose()`, `a.swapaxes(0, 1)`) or with a step (`a[::2]`), directly or
/// through names and `np.asarray`.
fn may_be_strided(semantic: &SemanticModel, array: &Expr, depth: u8) -> bool {
    let Some(depth) = depth.checked_sub(1) else {
        return false;
    };
    match array {
        Expr::Attribute(attribute) => {
            matches!(attribute.attr.as_str(), "T" | "mT")
                || may_be_strided(semantic, &attribute.value, depth)
        }
        Expr::Subscript(subscript) => {
            let stepped =
                |slice: &Expr| matches!(slice, Expr::Slice(slice) if slice.step.is_some());
            let slices = match &*subscript.slice {
                Expr::Tuple(tuple) => tuple.elts.iter().any(stepped),
                other => stepped(other),
            };
            slices || may_be_strided(semantic, &subscript.value, depth)
        }
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(method)
                if matches!(method.attr.as_str(), "transpose" | "swapaxes" | "moveaxis") =>
            {
                true
            }
            _ => call
                .arguments
                .args
                .first()
                .is_some_and(|first| may_be_strided(semantic, first, depth)),
        },
        Expr::Name(name) => semantic.binding_of(name).is_some_and(|id| {
            matches!(&semantic.binding(id).kind, BindingKind::Assignment { value: Some(value) }
                if may_be_strided(semantic, value, depth))
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{diagnostics_with, fixes};

    /// `numpy.array` is told from its import, whatever the module calls it, and a function of
    /// the module's own named `array` is not it.
    #[test]
    fn el502_numpy_array_is_told_from_the_import() {
        let copies = |source: &str| diagnostics_with(source, "EL502").len();
        let renamed = "from numpy import array as make, frombuffer\n\ndef total(data):\n    base = frombuffer(data, dtype='u1')\n    copied = make(base)\n    return copied.sum()\n";
        assert_eq!(copies(renamed), 1);
        let own = renamed.replace(
            "from numpy import array as make, frombuffer",
            "from numpy import frombuffer\n\ndef make(values):\n    return values",
        );
        assert_eq!(copies(&own), 0);
    }

    /// Bug: the copy was handed to a function that changes its argument in place; without it,
    /// the original (here read-only) was changed instead.
    #[test]
    fn el502_a_copy_handed_to_a_function_of_the_users_is_needed() {
        let source = "import numpy as np\n\ndef scale(array):\n    array *= 2\n    return array\n\ndef compute(values):\n    base = np.frombuffer(bytes(values), dtype=np.uint8)\n    copied = np.array(base)\n    result = scale(copied)\n    return result, base\n";
        assert!(fixes(source).is_empty());
        let read_only = source.replace(
            "    result = scale(copied)\n",
            "    result = np.sum(copied)\n",
        );
        assert_eq!(fixes(&read_only).len(), 1);
    }
}
