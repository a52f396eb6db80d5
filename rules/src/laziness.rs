//! When computing elements lazily (a generator expression instead of a list) changes nothing a
//! program can observe, and when it plainly would. Per-element code then runs later,
//! interleaved with whatever reads the elements, and not at all past an early stop: only code
//! that can neither do anything nor fail may move so.

use edgelint_semantic::{last_name, SemanticModel};
use ruff_python_ast::{CmpOp, Comprehension, Expr};

use crate::builtin_kinds::is_builtin_container;

/// Whether evaluating `expr` per element can do nothing and cannot fail: a literal, a name the
/// comprehension binds, a tuple of those, an identity test (`x is not None`) or a boolean
/// combination of them. Attribute reads may run properties, subscripts may insert keys
/// (`defaultdict`), comparisons and arithmetic run the operands' methods: none of them is inert.
pub(crate) fn is_inert(
    semantic: &SemanticModel,
    expr: &Expr,
    generators: &[Comprehension],
) -> bool {
    match expr {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::Name(name) => generators.iter().any(|generator| {
            semantic.any_expr_in(
                &generator.target,
                |target| matches!(target, Expr::Name(bound) if bound.id == name.id),
            )
        }),
        Expr::Tuple(tuple) => tuple
            .elts
            .iter()
            .all(|element| is_inert(semantic, element, generators)),
        Expr::Compare(compare) => {
            compare
                .ops
                .iter()
                .all(|op| matches!(op, CmpOp::Is | CmpOp::IsNot))
                && is_inert(semantic, &compare.left, generators)
                && compare
                    .comparators
                    .iter()
                    .all(|operand| is_inert(semantic, operand, generators))
        }
        // `not` and `and`/`or` of identity tests only ever see `bool`s.
        Expr::UnaryOp(unary) => {
            unary.operand.is_compare_expr() && is_inert(semantic, &unary.operand, generators)
        }
        Expr::BoolOp(boolop) => boolop
            .values
            .iter()
            .all(|value| value.is_compare_expr() && is_inert(semantic, value, generators)),
        _ => false,
    }
}

/// Whether a comprehension read in full, at once, by a consumer (`sum`, `sorted`, `set`) gives
/// the same behaviour as a list or as a generator: one `for` clause over a builtin container
/// (iterating it runs no code of the user's), plain names as targets, and inert conditions and
/// element.
pub(crate) fn laziness_is_unobservable(
    semantic: &SemanticModel,
    generators: &[Comprehension],
    element: &Expr,
) -> bool {
    let [generator] = generators else {
        return false;
    };
    !generator.is_async
        && is_builtin_container(semantic.provenance(&generator.iter).kind)
        && names_only(&generator.target)
        && generator
            .ifs
            .iter()
            .all(|condition| is_inert_condition(semantic, condition, generators))
        && is_inert(semantic, element, generators)
}

/// Whether testing `condition` can do nothing and cannot fail. Testing a value's truth runs
/// its `__bool__` or `__len__`, so only conditions that are `bool`s already qualify: identity
/// tests, and `not`, `and` and `or` of them.
fn is_inert_condition(
    semantic: &SemanticModel,
    condition: &Expr,
    generators: &[Comprehension],
) -> bool {
    match condition {
        Expr::BooleanLiteral(_) => true,
        Expr::Compare(_) => is_inert(semantic, condition, generators),
        Expr::UnaryOp(unary) => is_inert_condition(semantic, &unary.operand, generators),
        Expr::BoolOp(boolop) => boolop
            .values
            .iter()
            .all(|value| is_inert_condition(semantic, value, generators)),
        _ => false,
    }
}

/// A target that only binds names: assigning to it runs no code.
fn names_only(target: &Expr) -> bool {
    match target {
        Expr::Name(_) => true,
        Expr::Tuple(tuple) => tuple.elts.iter().all(names_only),
        Expr::List(list) => list.elts.iter().all(names_only),
        _ => false,
    }
}

/// Verbs of calls made for what they do, not for what they return: a list of their results
/// (`[m.register_forward_hook(f) for m in layers]`, `[pool.submit(job) for job in jobs]`) is
/// built to do each of them now, and made lazy it would do them late, or never.
const ACTING_VERBS: &[&str] = &[
    "register",
    "submit",
    "write",
    "send",
    "put",
    "post",
    "publish",
    "emit",
    "append",
    "add",
    "insert",
    "update",
    "remove",
    "delete",
    "start",
    "run",
    "launch",
    "spawn",
    "connect",
    "open",
    "close",
    "create",
    "save",
    "store",
    "upload",
    "download",
    "subscribe",
    "schedule",
    "apply",
    "set",
    "push",
    "enqueue",
    "execute",
    "call",
    "notify",
    "acquire",
    "release",
    "install",
    "attach",
    "bind",
    "mkdir",
    "makedirs",
    "unlink",
    "rename",
    "kill",
    "terminate",
];

/// Whether `expr` calls something whose name says it acts (`register_forward_hook`,
/// `submit`, `write`, `executor.map`), so that computing it lazily would change what the
/// program does.
pub(crate) fn calls_an_action(semantic: &SemanticModel, expr: &Expr) -> bool {
    semantic.any_expr_in(expr, |expr| {
        let Expr::Call(call) = expr else {
            return false;
        };
        let Some(name) = last_name(&call.func) else {
            return false;
        };
        let name = name.trim_start_matches('_').to_ascii_lowercase();
        ACTING_VERBS.iter().any(|verb| {
            name == *verb
                || name
                    .strip_prefix(verb)
                    .is_some_and(|rest| rest.starts_with('_'))
        })
    })
}
