//! Where a statement sits: the block (statement list) that holds it, and what kind it is.

use ruff_python_ast::Stmt;
use ruff_text_size::Ranged;

/// Compound statements hold blocks of their own.
pub(crate) fn is_compound(statement: &Stmt) -> bool {
    matches!(
        statement,
        Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::Match(_)
            | Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
    )
}

/// The statement list that holds `target`, searched through compound statements (not into
/// nested functions or classes).
pub(crate) fn enclosing_block<'a>(body: &'a [Stmt], target: &Stmt) -> Option<&'a [Stmt]> {
    if body
        .iter()
        .any(|statement| statement.range() == target.range())
    {
        return Some(body);
    }
    let statement = body
        .iter()
        .find(|statement| statement.range().contains_range(target.range()))?;
    let blocks: Vec<&'a [Stmt]> = match statement {
        Stmt::If(if_stmt) => std::iter::once(&if_stmt.body[..])
            .chain(
                if_stmt
                    .elif_else_clauses
                    .iter()
                    .map(|clause| &clause.body[..]),
            )
            .collect(),
        Stmt::For(for_stmt) => vec![&for_stmt.body, &for_stmt.orelse],
        Stmt::While(while_stmt) => vec![&while_stmt.body, &while_stmt.orelse],
        Stmt::With(with) => vec![&with.body],
        Stmt::Try(try_stmt) => std::iter::once(&try_stmt.body[..])
            .chain(try_stmt.handlers.iter().map(|handler| {
                let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                &handler.body[..]
            }))
            .chain([&try_stmt.orelse[..], &try_stmt.finalbody[..]])
            .collect(),
        Stmt::Match(match_stmt) => match_stmt.cases.iter().map(|case| &case.body[..]).collect(),
        _ => Vec::new(),
    };
    blocks
        .into_iter()
        .find_map(|block| enclosing_block(block, target))
}
