//! The proof, run by the tests for every fix of every rule, that a fix changes only what it
//! replaces. Parsing is not enough: `x * len(s.split(","))` fixed to `x * s.count(",") + 1`
//! parses, and computes something else. So for every edit that replaces a whole expression:
//! - its new text must become one expression of the fixed tree, exactly where the old one was,
//!   held by the same kind of node (the operator around it still takes all of it);
//! - every compound part of the old expression that the new text carries over (the receiver
//!   `a or b` of `(a or b).split(".")[0]`) must still be one expression there, not be split
//!   apart by the operators around its new place.

use edgelint_diagnostics::Fix;
use ruff_python_ast::find_node::covering_node;
use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, ModModule};
use ruff_python_parser::parse_module;
use ruff_text_size::{Ranged, TextRange, TextSize};

/// `Ok` when every edit of `fix` that replaces an expression of `source` keeps the shape of the
/// code around it; otherwise what went wrong. A source or a result that does not parse is an
/// error too.
pub fn check_fix_structure(source: &str, fix: &Fix) -> Result<(), String> {
    let original =
        parse_module(source).map_err(|error| format!("the source does not parse: {error}"))?;
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|edit| edit.range.start());
    let mut fixed_text = String::with_capacity(source.len());
    let mut copied = 0;
    // Where each edit's new text lands in the fixed source.
    let mut landed = Vec::with_capacity(edits.len());
    for edit in &edits {
        fixed_text.push_str(&source[copied..edit.range.start().to_usize()]);
        let start = TextSize::of(fixed_text.as_str());
        fixed_text.push_str(&edit.content);
        landed.push(TextRange::at(start, TextSize::of(edit.content.as_str())));
        copied = edit.range.end().to_usize();
    }
    fixed_text.push_str(&source[copied..]);
    let fixed = parse_module(&fixed_text)
        .map_err(|error| format!("the fixed source does not parse: {error}\n{fixed_text}"))?;

    for (edit, new_range) in edits.iter().zip(landed) {
        let Some((old, old_parent)) = expression_at(original.syntax(), edit.range) else {
            continue;
        };
        let replaced = &source[edit.range];
        let new_text = &edit.content;
        let problem = |what: &str| format!("`{replaced}` → `{new_text}`: {what}\n{fixed_text}");
        let candidates = [new_range, without_outer_parentheses(&fixed_text, new_range)];
        let Some((_, new_parent)) = candidates
            .iter()
            .find_map(|range| expression_at(fixed.syntax(), *range))
        else {
            return Err(problem(
                "the new code does not stay one expression in its place",
            ));
        };
        if old_parent.map(AnyNodeRef::kind) != new_parent.map(AnyNodeRef::kind) {
            return Err(problem(
                "the new code is held by another kind of node than the old",
            ));
        }
        for part in compound_parts(old) {
            let part_text = &source[part];
            let mut found = new_text.match_indices(part_text);
            let (Some((offset, _)), None) = (found.next(), found.next()) else {
                continue;
            };
            let offset = TextSize::try_from(offset).expect("edits are smaller than 4 GiB");
            let moved = TextRange::at(new_range.start() + offset, part.len());
            // A bare generator that borrowed its call's parentheses gets its own, and then
            // its range holds them.
            let widened = TextRange::new(
                moved
                    .start()
                    .checked_sub(TextSize::from(1))
                    .unwrap_or_default(),
                moved.end() + TextSize::from(1),
            );
            let found = [moved, widened].into_iter().any(|range| {
                fixed_text
                    .get(std::ops::Range::<usize>::from(range))
                    .is_some()
                    && expression_at(fixed.syntax(), range).is_some()
            });
            if !found {
                return Err(problem(&format!(
                    "`{part_text}`, carried over, is no longer one expression"
                )));
            }
        }
    }
    Ok(())
}

/// The expression whose range is exactly `range`, and the node holding it.
fn expression_at(
    module: &ModModule,
    range: TextRange,
) -> Option<(AnyNodeRef<'_>, Option<AnyNodeRef<'_>>)> {
    if !module.range().contains_range(range) {
        return None;
    }
    let covering = covering_node(AnyNodeRef::from(module), range);
    let mut ancestors = covering.ancestors();
    let expr = ancestors.find(|node| node.is_expression() && node.range() == range)?;
    Some((expr, ancestors.next()))
}

/// `range` without one pair of parentheses around the whole of it, if it has them.
fn without_outer_parentheses(text: &str, range: TextRange) -> TextRange {
    let inner = &text[range];
    if inner.starts_with('(') && inner.ends_with(')') && inner.len() >= 2 {
        TextRange::new(
            range.start() + TextSize::from(1),
            range.end() - TextSize::from(1),
        )
    } else {
        range
    }
}

/// The ranges of the parts of `expr` made of more than a name or a literal: the pieces whose
/// grouping an operator around their new place could change.
fn compound_parts(expr: AnyNodeRef) -> Vec<TextRange> {
    struct Parts(Vec<TextRange>);
    impl<'a> SourceOrderVisitor<'a> for Parts {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            let simple = matches!(
                node,
                AnyNodeRef::ExprName(_)
                    | AnyNodeRef::ExprStringLiteral(_)
                    | AnyNodeRef::ExprBytesLiteral(_)
                    | AnyNodeRef::ExprNumberLiteral(_)
                    | AnyNodeRef::ExprBooleanLiteral(_)
                    | AnyNodeRef::ExprNoneLiteral(_)
                    | AnyNodeRef::ExprEllipsisLiteral(_)
                    | AnyNodeRef::ExprFString(_)
            );
            if node.is_expression() && !simple {
                self.0.push(node.range());
            }
            TraversalSignal::Traverse
        }
    }
    let mut parts = Parts(Vec::new());
    // Visits what is inside `expr`, not `expr` itself.
    expr.visit_source_order(&mut parts);
    parts.0
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::{Applicability, Edit, Fix};
    use ruff_text_size::{TextRange, TextSize};

    use super::check_fix_structure;

    /// A fix replacing the first `old` in `source` with `new`.
    fn replacing(source: &str, old: &str, new: &str) -> Result<(), String> {
        let start = source.find(old).unwrap();
        let range = TextRange::at(TextSize::try_from(start).unwrap(), TextSize::of(old));
        let fix = Fix {
            applicability: Applicability::Safe,
            edits: vec![Edit::replacement(range, new)],
        };
        check_fix_structure(source, &fix)
    }

    #[test]
    fn a_replacement_that_an_operator_splits_is_caught() {
        let source = "n = x * len(s.split(\",\"))\n";
        assert!(replacing(source, "len(s.split(\",\"))", "s.count(\",\") + 1").is_err());
        assert!(replacing(source, "len(s.split(\",\"))", "(s.count(\",\") + 1)").is_ok());
    }

    #[test]
    fn a_moved_receiver_that_loses_its_parentheses_is_caught() {
        let source = "p = (a or \"12\").split(\".\")[0]\n";
        let old = "(a or \"12\").split(\".\")[0]";
        assert!(replacing(source, old, "a or \"12\".partition(\".\")[0]").is_err());
        assert!(replacing(source, old, "(a or \"12\").partition(\".\")[0]").is_ok());
    }

    #[test]
    fn edits_that_are_not_whole_expressions_are_only_parsed() {
        let source = "t = sum([x for x in y], 0)\n";
        let bracket = |bracket: char| {
            let start = TextSize::try_from(source.find(bracket).unwrap()).unwrap();
            TextRange::at(start, TextSize::from(1))
        };
        let fix = |edits| Fix {
            applicability: Applicability::Safe,
            edits,
        };
        let swapped = fix(vec![
            Edit::replacement(bracket('['), "("),
            Edit::replacement(bracket(']'), ")"),
        ]);
        assert!(check_fix_structure(source, &swapped).is_ok());
        let half = fix(vec![Edit::replacement(bracket('['), "(")]);
        assert!(check_fix_structure(source, &half).is_err());
    }
}
