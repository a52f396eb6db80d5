//! Where a statement sits: the block (statement list) that holds it, and what kind it is.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

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

/// A loop's extent, and the part of it that runs once per iteration.
pub(crate) struct LoopRegion {
    pub(crate) whole: TextRange,
    /// The part evaluated only once: a `for` loop's iterable, a comprehension's first iterable.
    once: Option<TextRange>,
}

impl LoopRegion {
    pub(crate) fn repeats(&self, range: TextRange) -> bool {
        self.whole.contains_range(range)
            && !self.once.is_some_and(|once| once.contains_range(range))
    }
}

/// The loops (and comprehensions) of a body, not those of nested functions or classes.
pub(crate) fn loop_regions(body: &[Stmt]) -> Vec<LoopRegion> {
    let mut finder = LoopRegions::default();
    finder.visit_body(body);
    finder.regions
}

#[derive(Default)]
struct LoopRegions {
    regions: Vec<LoopRegion>,
}

impl<'a> Visitor<'a> for LoopRegions {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::For(for_stmt) => self.regions.push(LoopRegion {
                whole: stmt.range(),
                once: Some(for_stmt.iter.range()),
            }),
            Stmt::While(_) => self.regions.push(LoopRegion {
                whole: stmt.range(),
                once: None,
            }),
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        let first_iterable = match expr {
            Expr::Lambda(_) => return,
            Expr::ListComp(comp) => comp.generators.first(),
            Expr::SetComp(comp) => comp.generators.first(),
            Expr::DictComp(comp) => comp.generators.first(),
            Expr::Generator(comp) => comp.generators.first(),
            _ => None,
        };
        if let Some(first) = first_iterable {
            self.regions.push(LoopRegion {
                whole: expr.range(),
                once: Some(first.iter.range()),
            });
        }
        visitor::walk_expr(self, expr);
    }
}
