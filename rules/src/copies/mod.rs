//! EL1: copies. Do not duplicate data you only read: slicing a list, string or bytes makes a
//! new one, and so does every `list()` of something that is already a list.

mod bytes_slice_copy;
mod concat_in_loop;
mod iteration_over_copy;
mod large_slice_copy;
mod redundant_copy;
mod reslice_in_loop;
mod split_for_one_part;

pub use bytes_slice_copy::BYTES_SLICE_COPY;
pub use concat_in_loop::CONCAT_IN_LOOP;
pub use iteration_over_copy::ITERATION_OVER_COPY;
pub use large_slice_copy::LARGE_SLICE_COPY;
pub use redundant_copy::REDUNDANT_COPY;
pub use reslice_in_loop::RESLICE_IN_LOOP;
pub use split_for_one_part::SPLIT_FOR_ONE_PART;

use edgelint_semantic::provenance::{is_unbounded_slice, ValueKind};
use edgelint_semantic::{Binding, BindingKind, Packages, SemanticModel};
use ruff_python_ast::{Expr, ExprSubscript, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Checker;

/// Whether a slice of a value of this kind copies its elements: a list's, a tuple's, a
/// string's do. Of a value of unknown kind, only outside a module that imports a library of
/// arrays, whose slices are views: there the copy rules stay silent on it.
fn slice_copies(semantic: &SemanticModel, kind: ValueKind) -> bool {
    match kind {
        ValueKind::List
        | ValueKind::Tuple
        | ValueKind::Str
        | ValueKind::Bytes
        | ValueKind::Bytearray => true,
        ValueKind::Unknown => !semantic.imports_any(Packages::ARRAYS),
        _ => false,
    }
}

/// The unbounded slice (`x[k:]`, `x[:-k]`, `x[:]`, not reversed) a subscript is, if it is one.
fn unbounded_slice(subscript: &ExprSubscript) -> Option<&ruff_python_ast::ExprSlice> {
    let Expr::Slice(slice) = &*subscript.slice else {
        return None;
    };
    let reversed = slice
        .step
        .as_deref()
        .is_some_and(|step| step.is_unary_op_expr());
    (is_unbounded_slice(slice) && !reversed).then_some(slice)
}

/// `x[:]`.
fn is_whole_slice(slice: &ruff_python_ast::ExprSlice) -> bool {
    slice.lower.is_none() && slice.upper.is_none() && slice.step.is_none()
}

/// Whether the innermost loop around `statement` gives `name` a fresh value of its own on every
/// iteration (it is the loop's target, or assigned from something that does not involve it):
/// then `statement` works on one iteration's value, and nothing is carried across iterations.
pub(crate) fn rebound_afresh_each_iteration(
    checker: &Checker,
    name: &str,
    statement: &Stmt,
) -> bool {
    other_bindings_in_loop(checker, name, statement).any(|binding| match binding.kind {
        BindingKind::AugmentedAssignment { .. } | BindingKind::Deletion { .. } => false,
        BindingKind::Assignment { value: Some(value) } | BindingKind::NamedExpr { value } => {
            !mentions(checker.semantic(), value, name)
        }
        _ => true,
    })
}

/// The bindings of `name` in the innermost loop around `statement`, other than its own.
pub(crate) fn other_bindings_in_loop<'c, 'a>(
    checker: &'c Checker<'a>,
    name: &'c str,
    statement: &'c Stmt,
) -> impl Iterator<Item = &'c Binding<'a>> + 'c {
    let semantic = checker.semantic();
    let scope = checker.scope();
    checker
        .innermost_loop()
        .into_iter()
        .flat_map(move |around| semantic.bindings_named_within(scope, name, around.range()))
        .map(|(_, binding)| binding)
        .filter(move |binding| !statement.range().contains_range(binding.range))
}

/// Whether `expr` reads `name`.
pub(crate) fn mentions(semantic: &SemanticModel, expr: &Expr, name: &str) -> bool {
    semantic.any_expr_in(
        expr,
        |inner| matches!(inner, Expr::Name(read) if read.id.as_str() == name),
    )
}
