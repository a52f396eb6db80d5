use std::borrow::Cow;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use ruff_python_ast::token::Token;
use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, ModModule, PySourceType, Stmt, StringLiteralValue};
use ruff_python_parser::{parse_unchecked_source, Parsed};
use ruff_text_size::{Ranged, TextRange, TextSize};

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

/// An upper bound on the stack that parsing one lambda nested in another's default value takes
/// (about 1.4 KiB in a release build, 4 to 8 KiB in a debug one), in bytes.
const PARSE_STACK_PER_LAMBDA: usize = 16 * 1024;

/// An upper bound on the levels of a syntax tree below a node per token of the node, with a
/// margin of two. A node starts at a token and ends at one, so a child smaller than its
/// parent leaves out at least one of the parent's tokens, and a path down the tree leaves out
/// a different one at each such step; at most four nodes in a row share one range (a module
/// whose only statement is an f-string: the module, the statement, the expression and its
/// one part).
const LEVELS_PER_TOKEN: usize = 8;

/// A parsed source file: ruff's tree, tokens and syntax errors.
///
/// ruff's parser grows its stack as it recurses (on all but a few paths), but freeing a tree
/// recurses once per level too: a tree nested deeper than the thread's stack allows is freed
/// on a stack of its own. How deep the tree nests is known without a walk of its own when the
/// semantic model's walk vouched for it ([`ParsedSource::nests_at_most`]) or when the tree has
/// too few tokens to nest deeper than the stack allows; otherwise it is measured.
pub struct ParsedSource {
    /// Always `Some`, until the drop takes it.
    parsed: Option<Parsed<ModModule>>,
    /// An upper bound on the tree's depth, measured or vouched for; 0 while none is known.
    depth_bound: AtomicUsize,
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
    /// Measures how deeply the tree nests, in a walk of the whole tree.
    pub fn nesting(&self) -> Nesting {
        let nesting = measure_nesting(self.syntax());
        self.nests_at_most(nesting.depth);
        nesting
    }

    /// Records that the tree nests at most `depth` nodes deep, as a walk of all of it found:
    /// freeing the tree then needs no walk to measure it.
    pub fn nests_at_most(&self, depth: usize) {
        let depth = depth.max(1);
        let _ = self
            .depth_bound
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |known| {
                (known == 0 || depth < known).then_some(depth)
            });
    }

    /// An upper bound on the tree's depth: the one known, else as deep as the thread's stack
    /// can free when the tree's tokens show it no deeper, else the depth measured.
    fn depth_to_free(&self, parsed: &Parsed<ModModule>) -> usize {
        match self.depth_bound.load(Ordering::Relaxed) {
            0 => {
                let stack = stacker::remaining_stack().unwrap_or(0);
                let affordable = stack / DROP_STACK_PER_LEVEL;
                if nests_within_tokens(parsed, affordable) {
                    affordable
                } else {
                    measure_nesting(parsed.syntax()).depth
                }
            }
            known => known,
        }
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
        let needed = self
            .depth_to_free(&parsed)
            .saturating_mul(DROP_STACK_PER_LEVEL);
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
    // Lambdas nested in each other's default values are the one recursion of ruff's parser
    // that does not grow its stack: a text that could nest more of them than the thread's stack
    // allows is parsed on a stack big enough for all its lambdas to nest.
    let stack_for = |lambdas: usize| lambdas.saturating_mul(PARSE_STACK_PER_LAMBDA);
    let mut needed = stack_for(source.len() / "lambda".len());
    if needed > stacker::remaining_stack().unwrap_or(0) {
        needed = stack_for(memchr::memmem::find_iter(source.as_bytes(), "lambda").count());
    }
    let parsed = stacker::maybe_grow(needed, needed, || {
        parse_unchecked_source(source, source_type)
    });
    ParsedSource {
        parsed: Some(parsed),
        depth_bound: AtomicUsize::new(0),
    }
}

/// Parses `source` as [`parse`] does, and hands the tree to `check`: the tree lives in an arena of
/// this thread (see [`edgelint_alloc::arena`]), and is not freed node by node when `check`
/// returns but all at once.
pub fn with_parsed<R>(source: &str, path: &Path, check: impl FnOnce(&ParsedSource) -> R) -> R {
    let Some(arena) = edgelint_alloc::arena::Arena::enter() else {
        return check(&parse(source, path));
    };
    let tree = InArena {
        parsed: ManuallyDrop::new(arena.fill(|| parse(source, path))),
        arena,
    };
    check(&tree.parsed)
}

/// A tree and the arena it lives in: the fields drop after `drop`, so the arena goes last.
struct InArena {
    parsed: ManuallyDrop<ParsedSource>,
    arena: edgelint_alloc::arena::Arena,
}

impl Drop for InArena {
    fn drop(&mut self) {
        // A tree wholly in the arena goes with it; one that is not must free what is outside.
        if self.arena.spilled() {
            // SAFETY: the tree is dropped once, here, and not used again.
            unsafe { ManuallyDrop::drop(&mut self.parsed) };
        }
    }
}

/// The text of a string literal, its parts joined when it has several (`"a" "b"`).
///
/// Not ruff's `to_str`, which keeps the joined text in the tree: the tree of a checked file lives
/// in an arena ([`with_parsed`]) and is never dropped, so what it kept would never be freed.
pub fn literal_text(value: &StringLiteralValue) -> Cow<'_, str> {
    match value.as_slice() {
        [single] => Cow::Borrowed(single.as_str()),
        parts => Cow::Owned(parts.iter().map(|part| part.as_str()).collect()),
    }
}

/// Whether the tree nests at most `max_depth` deep, as told from the tokens of its statements
/// (see [`LEVELS_PER_TOKEN`]) with no walk of their expressions: the whole module's tokens
/// may tell, else each statement's; a class or a function, whose body comes last, is as deep
/// as its body or as the tokens before its body allow, whichever is deeper (a big class of
/// small methods is shallow).
fn nests_within_tokens(parsed: &Parsed<ModModule>, max_depth: usize) -> bool {
    let tokens: &[Token] = parsed.tokens();
    // The tokens that start in `start..end`: all of those a node there holds.
    let count = |start: TextSize, end: TextSize| {
        let first = tokens.partition_point(|token| token.start() < start);
        let past = tokens.partition_point(|token| token.start() < end);
        past.saturating_sub(first)
    };
    // `depth` for a node, and the levels its tokens allow below it.
    let within = |depth: usize, tokens: usize| {
        depth.saturating_add(LEVELS_PER_TOKEN.saturating_mul(tokens + 1)) <= max_depth
    };
    // The module is one level.
    if max_depth == 0 {
        return false;
    }
    if within(1, tokens.len()) {
        return true;
    }
    // Statements with their depth: the module is level 1.
    let mut to_visit: Vec<(&Stmt, usize)> = parsed.syntax().body.iter().map(|s| (s, 2)).collect();
    while let Some((statement, depth)) = to_visit.pop() {
        if within(depth, count(statement.start(), statement.end())) {
            continue;
        }
        let body: &[Stmt] = match statement {
            Stmt::FunctionDef(function) => &function.body,
            Stmt::ClassDef(class) => &class.body,
            _ => return false,
        };
        let Some(first) = body.first() else {
            return false;
        };
        if !within(depth, count(statement.start(), first.start())) {
            return false;
        }
        to_visit.extend(body.iter().map(|child| (child, depth + 1)));
    }
    true
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

    /// The tree as text, to compare two parses of one source.
    fn shown(parsed: &ParsedSource) -> String {
        format!("{:?} {:?}", parsed.syntax(), parsed.errors())
    }

    #[test]
    fn a_tree_in_an_arena_is_the_tree_parse_gives() {
        let path = Path::new("test.py");
        let sources = [
            "import os\nx = [f(a, b=2) for a in range(10)]\nclass C:\n    def m(self): return 'a' 'b'\n",
            "def broken(:\n    pass\n",
            "y = {1: (2, 3), **z}\n",
        ];
        #[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
        assert!(
            edgelint_alloc::arena::Arena::enter().is_some(),
            "no arena to test"
        );
        // One after another, so that each tree reuses the memory of the one before.
        for source in sources {
            let expected = shown(&parse(source, path));
            assert_eq!(with_parsed(source, path, shown), expected);
        }
    }

    #[test]
    fn a_tree_parsed_inside_another_check_leaves_the_outer_tree_intact() {
        let path = Path::new("test.py");
        let (outer, inner) = ("a = [1, 2, 3]\nb = a[0]\n", "def f(x):\n    return x * 2\n");
        with_parsed(outer, path, |parsed| {
            let before = shown(parsed);
            let nested = with_parsed(inner, path, shown);
            assert_eq!(nested, shown(&parse(inner, path)));
            // The outer tree is read after the inner one was parsed and its arena dropped.
            assert_eq!(shown(parsed), before);
            assert_eq!(with_parsed(inner, path, shown), nested);
            assert_eq!(shown(parsed), before);
        });
    }

    #[test]
    fn literal_text_joins_the_parts_of_a_literal() {
        let text = |source: &str| {
            let parsed = parse(source, Path::new("test.py"));
            let Some(Stmt::Expr(statement)) = parsed.syntax().body.first() else {
                panic!("an expression statement");
            };
            let ruff_python_ast::Expr::StringLiteral(literal) = &*statement.value else {
                panic!("a string literal");
            };
            literal_text(&literal.value).into_owned()
        };
        assert_eq!(text("'one'\n"), "one");
        assert_eq!(text("('one' \"two\"\n 'three')\n"), "onetwothree");
        assert_eq!(text("''\n"), "");
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
    fn the_tokens_never_show_a_tree_shallower_than_it_is() {
        let deep = format!("{}a{}", "[".repeat(2_000), "]".repeat(2_000));
        let shapes = [
            format!("x = {deep}\n"),
            format!("@{deep}\ndef f():\n    pass\n"),
            format!("def f(a={deep}) -> {deep}:\n    pass\n"),
            format!("class A({deep}):\n    def f(self):\n        return {deep}\n"),
            format!("def f():\n    class A:\n        x = {deep}\n"),
            format!("if a:\n    def f():\n        return {deep}\n"),
            "f\"{a}\"".to_string(),
            "x = lambda a: 0".to_string(),
            "def f(:".to_string(),
            String::new(),
        ];
        for source in shapes {
            let parsed = parse(&source, Path::new("test.py"));
            let depth = measure_nesting(parsed.syntax()).depth;
            // Each statement's tokens are counted, but none tells more than the truth.
            for max_depth in [depth - 1, depth / 2] {
                assert!(
                    !nests_within_tokens(&parsed, max_depth),
                    "within {max_depth}, {depth} deep: {}",
                    &source[..source.len().min(30)]
                );
            }
            let all_tokens = LEVELS_PER_TOKEN * (parsed.tokens().len() + 1) + 1;
            assert!(nests_within_tokens(&parsed, all_tokens));
        }
        // A class of many small methods is as deep as one method allows, not all of them.
        let class = format!(
            "class A:\n{}",
            "    def f(self):\n        return 1\n".repeat(10_000)
        );
        assert!(nests_within_tokens(
            &parse(&class, Path::new("test.py")),
            200
        ));
    }

    #[test]
    fn lambda_defaults_nested_deeper_than_the_stack_allows_are_parsed() {
        // Regression: ruff's parser grows its stack on most recursive paths, but not into a
        // lambda's default values; 50,000 of them overflowed a worker's 64 MiB stack.
        let levels = 60_000;
        let source = format!(
            "x = {}1{}\n",
            "lambda a=".repeat(levels),
            ": 0".repeat(levels)
        );
        let parsed = std::thread::Builder::new()
            .stack_size(64 * 1024 * 1024)
            .spawn(move || {
                let parsed = parse(&source, Path::new("test.py"));
                (parsed.errors().len(), parsed.nesting().depth)
            })
            .unwrap()
            .join()
            .unwrap();
        // Module, assignment, then a lambda, its parameters and one parameter per level.
        assert_eq!(parsed.0, 0);
        assert!(parsed.1 > 3 * levels, "{}", parsed.1);
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
            // on the thread's own stack, whether it was measured before or not.
            let found = std::thread::Builder::new()
                .stack_size(1024 * 1024)
                .spawn(move || {
                    drop(parse(&source, Path::new("test.py")));
                    nesting(&source)
                })
                .unwrap()
                .join()
                .unwrap();
            assert_eq!(found.depth, depth);
        }
    }
}
