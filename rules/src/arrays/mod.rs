//! EL5: arrays, data frames and tensors. On an edge device the model, its inputs and its
//! activations are most of the memory: growing an array by copying it, copying one that is
//! only read, or keeping an autograd graph alive multiplies the largest objects there are.

mod array_grow_in_loop;
mod avoidable_array_copy;
mod dataframe_full_read;
mod inference_without_no_grad;
mod loss_accumulates_graph;
mod small_view_pins_array;

pub use array_grow_in_loop::ARRAY_GROW_IN_LOOP;
pub use avoidable_array_copy::AVOIDABLE_ARRAY_COPY;
pub use dataframe_full_read::DATAFRAME_FULL_READ;
pub use inference_without_no_grad::INFERENCE_WITHOUT_NO_GRAD;
pub use loss_accumulates_graph::LOSS_ACCUMULATES_GRAPH;
pub use small_view_pins_array::SMALL_VIEW_PINS_ARRAY;

use edgelint_semantic::ScopeKind;
use ruff_python_ast::Stmt;

use crate::Checker;

/// The statements of the function (or module) the checker is in; `None` in a class body or
/// a comprehension, where a binding's uses are not all in one block.
fn current_body<'a>(checker: &Checker<'a>) -> Option<&'a [Stmt]> {
    match checker.semantic().scope(checker.scope()).kind {
        ScopeKind::Function(function) => Some(&function.body),
        ScopeKind::Module => Some(&checker.module().body),
        _ => None,
    }
}
