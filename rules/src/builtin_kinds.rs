//! What a fix may assume about a value. A fix that relies on how a builtin type behaves
//! (`str.partition`, `list.copy`, iterating a `list` has no effect) is offered only for a value
//! whose provenance says it is that type: another object's method of the same name may do
//! anything, and may not exist.

use edgelint_semantic::provenance::ValueKind;
use ruff_python_ast::Expr;

/// `str`, `bytes` and `bytearray`: `split`, `partition` and `count` as the builtins define them.
pub(crate) fn is_text(kind: ValueKind) -> bool {
    matches!(
        kind,
        ValueKind::Str | ValueKind::Bytes | ValueKind::Bytearray
    )
}

/// The builtin containers: `len()` is their size, iterating them runs no code of the user's
/// and changes nothing, and iterating them twice gives the same elements.
pub(crate) fn is_builtin_container(kind: ValueKind) -> bool {
    is_text(kind)
        || matches!(
            kind,
            ValueKind::List
                | ValueKind::Tuple
                | ValueKind::Set
                | ValueKind::Dict
                | ValueKind::Range
        )
}

/// A file edgelint saw opened: iterating it yields its lines.
pub(crate) fn is_file(kind: ValueKind) -> bool {
    matches!(kind, ValueKind::TextFile | ValueKind::BinaryFile)
}

/// A `str` or `bytes` literal with at least one character: a separator `partition` and
/// `count` accept (`None` and `""` they do not).
pub(crate) fn is_nonempty_literal(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(string) => !string.value.is_empty(),
        Expr::BytesLiteral(bytes) => bytes.value.bytes().next().is_some(),
        _ => false,
    }
}
