//! EL3: references and lifetimes. Release a reference when it is no longer needed, and do not
//! keep objects alive by accident.

use edgelint_semantic::{BindingKind, ScopeId, ScopeKind, SemanticModel};
use ruff_python_ast::{Expr, ExprCall, StmtFunctionDef};

use crate::uses::{uses_of, UseKind};

mod big_object_outlives_use;
mod cache_decorators;
mod cached_method_keeps_self;
mod container_growth;
mod growing_default_argument;
mod import_time_big_load;
mod retained_traceback;
mod self_reference_cycle;
mod unbounded_cache;
mod unbounded_instance_container;
mod unbounded_module_container;

pub use big_object_outlives_use::BIG_OBJECT_OUTLIVES_USE;
pub use cached_method_keeps_self::CACHED_METHOD_KEEPS_SELF;
pub use growing_default_argument::GROWING_DEFAULT_ARGUMENT;
pub use import_time_big_load::IMPORT_TIME_BIG_LOAD;
pub use retained_traceback::RETAINED_TRACEBACK;
pub use self_reference_cycle::SELF_REFERENCE_CYCLE;
pub use unbounded_cache::UNBOUNDED_CACHE;
pub use unbounded_instance_container::UNBOUNDED_INSTANCE_CONTAINER;
pub use unbounded_module_container::UNBOUNDED_MODULE_CONTAINER;

/// Whether `function`, defined in the function whose scope is `scope`, is only ever called
/// there: made afresh by every call of the outer function and never handed out (returned,
/// stored, registered as a callback), it dies with that call, and its defaults and its cache
/// with it.
pub(super) fn dies_with_its_caller(
    semantic: &SemanticModel,
    scope: ScopeId,
    function: &StmtFunctionDef,
) -> bool {
    let ScopeKind::Function(outer) = semantic.scope(scope).kind else {
        return false;
    };
    let Some(inner) = semantic.binding_at(function.name.range) else {
        return true;
    };
    uses_of(&outer.body, semantic, inner)
        .iter()
        .all(|(_, kind)| *kind == UseKind::Called)
}

/// The name of `self` or `cls` when `expr` is a method's first parameter of that name.
pub(crate) fn self_or_cls<'a>(semantic: &SemanticModel<'a>, expr: &Expr) -> Option<&'a str> {
    let Expr::Name(name) = expr else {
        return None;
    };
    let binding = semantic.binding(semantic.binding_of(name)?);
    let is_method_receiver = matches!(binding.kind, BindingKind::Parameter { .. })
        && matches!(binding.name, "self" | "cls")
        && semantic
            .scope(binding.scope)
            .parent
            .is_some_and(|parent| matches!(semantic.scope(parent).kind, ScopeKind::Class(_)));
    is_method_receiver.then_some(binding.name)
}

/// `queue.get()` (not `table.get(key)`), `sock.recv(n)`, `listener.accept()`: a call that waits
/// for the next job, message or connection.
pub(super) fn waits_for_next_item(call: &ExprCall) -> bool {
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    match method.attr.as_str() {
        "get" => call.arguments.args.is_empty(),
        "recv" | "recvfrom" | "recv_into" | "recv_multipart" | "accept" | "receive" => true,
        _ => false,
    }
}
