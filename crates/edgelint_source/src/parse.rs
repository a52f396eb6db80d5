use std::ops::Deref;
use std::path::Path;

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, ModModule, PySourceType};
use ruff_python_parser::{parse_unchecked_source, Parsed};
use ruff_text_size::{Ranged, TextRange};

use crate::FileKind;

/// The deepest nesting of syntax nodes (statements, expressions, patterns, and the arguments,
/// comprehensions and other parts between them) that edgelint checks. The semantic model and
/// the rules walk the tree recursively, so a deeper tree could exhaust a thread's stack.
/// CPython 3.11 refuses to compile code nested about 3,000 expressions deep (`RecursionError`
/// during compilation), so code deeper than this does not run either.
pub const MAX_NESTING: usize = 4000;

/// An upper bound on the stack that freeing one level of a syntax tree takes, in bytes: nodes
/// are freed recursively, a few frames per level (at most about 350 bytes in a debug build,
/// for dictionaries nested in keys and for nested f-strings).
const DROP_STACK_PER_LEVEL: usize = 512;

/// A parsed source file: ruff's tree, tokens and syntax errors, with how deeply the tree nests.
///
/// ruff's parser grows its stack as it recurses (on all but a few paths), but freeing a tree
/// recurses once per level too: a tree nested deeper than the thread's stack allows is freed
/// on a stack of its own.
pub struct ParsedSource {
    /// Always `Some`, until the drop takes it.
    parsed: Option<Parsed<ModModule>>,
    nesting: Nesting,
}

/// How deeply a syntax tree nests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    /// The number of nodes on the longest path from the module down; 1 for a module whose
    /// statements have no children.
    pub depth: usize,
    /// The first node, in source order, deeper than [`MAX_NESTING`].
    pub too_deep: Option<TextRange>,
}

impl ParsedSource {
    /// How deeply the tree nests.
    pub fn nesting(&self) -> Nesting {
        self.nesting
    }
}

impl Deref for ParsedSource {
    type Target = Parsed<ModModule>;

    fn deref(&self) -> &Parsed<ModModule> {
        self.parsed
            .as_ref()
            .expect("the tree is there until the source is dropped")
    }
}

impl Drop for ParsedSource {
    fn drop(&mut self) {
        let Some(parsed) = self.parsed.take() else {
            return;
        };
        let needed = self.nesting.depth.saturating_mul(DROP_STACK_PER_LEVEL);
        stacker::maybe_grow(needed, needed, move || drop(parsed));
    }
}

/// Parses `source` as a module (a stub when `path` ends in `.pyi`). Never fails: syntax errors
/// are in [`Parsed::errors`] and the tree covers what could be recovered.
pub fn parse(source: &str, path: &Path) -> ParsedSource {
    // A notebook's cells may hold IPython's `%magic` and `!shell` lines.
    let source_type = match FileKind::of(path) {
        Some(FileKind::Stub) => PySourceType::Stub,
        Some(FileKind::Notebook) => PySourceType::Ipynb,
        Some(FileKind::Python) | None => PySourceType::Python,
    };
    let parsed = parse_unchecked_source(source, source_type);
    let nesting = measure_nesting(parsed.syntax());
    ParsedSource {
        parsed: Some(parsed),
        nesting,
    }
}

/// Measures the tree without recursion (an explicit stack of nodes to visit, in source order),
/// so that a tree of any depth can be measured.
fn measure_nesting(module: &ModModule) -> Nesting {
    let mut nesting = Nesting {
        depth: 1,
        too_deep: None,
    };
    let mut to_visit = vec![(AnyNodeRef::from(module), 1)];
    let mut children = Children::default();
    while let Some((node, depth)) = to_visit.pop() {
        nesting.depth = nesting.depth.max(depth);
        if depth > MAX_NESTING && nesting.too_deep.is_none() {
            nesting.too_deep = Some(node.range());
        }
        node.visit_source_order(&mut children);
        // Reversed, so that the first child is visited first.
        to_visit.extend(
            children
                .nodes
                .drain(..)
                .rev()
                .map(|child| (child, depth + 1)),
        );
    }
    nesting
}

/// Collects the children of one node, without descending into them.
#[derive(Default)]
struct Children<'a> {
    nodes: Vec<AnyNodeRef<'a>>,
}

impl<'a> SourceOrderVisitor<'a> for Children<'a> {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        self.nodes.push(node);
        TraversalSignal::Skip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nesting(source: &str) -> Nesting {
        parse(source, Path::new("test.py")).nesting()
    }

    #[test]
    fn depth_counts_every_node_on_the_longest_path() {
        // Module, expression statement, number.
        assert_eq!(nesting("1\n").depth, 3);
        // Module, assignment, binary operation, binary operation, number.
        assert_eq!(nesting("x = 1 + 2 + 3\n").depth, 5);
        // Module, function, return, call, arguments, name; its identifier and parameters are
        // shallower.
        assert_eq!(nesting("def f(a):\n    return g(a)\n").depth, 6);
        assert_eq!(nesting("").depth, 1);
    }

    #[test]
    fn the_first_node_past_the_limit_is_reported() {
        let source = format!("x = 1\ny = {}1\n", "-".repeat(MAX_NESTING));
        let found = nesting(&source);
        // Module, assignment, then the unary operations; the operand is the deepest node.
        assert_eq!(found.depth, MAX_NESTING + 3);
        // The first too deep node is the operation that starts `MAX_NESTING - 1` characters
        // into the expression, at offset 10.
        let start = 10 + MAX_NESTING - 2;
        assert_eq!(
            found.too_deep.map(|range| usize::from(range.start())),
            Some(start)
        );
    }

    #[test]
    fn trees_deeper_than_the_stack_allows_are_measured_and_freed() {
        let levels = 100_000;
        let cases = [
            (format!("x = {}1\n", "-".repeat(levels)), levels + 3),
            // Dictionaries nested in keys take the most stack per level to free.
            (
                format!("x = {}1{}\n", "{".repeat(levels), ":1}".repeat(levels)),
                levels + 3,
            ),
            (format!("x = a{}\n", ".b".repeat(levels)), levels + 3),
        ];
        for (source, depth) in cases {
            // On a small stack: neither measuring the tree nor freeing it may recurse per level
            // on the thread's own stack.
            let found = std::thread::Builder::new()
                .stack_size(1024 * 1024)
                .spawn(move || nesting(&source))
                .unwrap()
                .join()
                .unwrap();
            assert_eq!(found.depth, depth);
        }
    }
}
