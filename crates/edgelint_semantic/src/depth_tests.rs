//! How deep the model's walk goes: it must reach every part of the tree, so that a walk that
//! stays shallow proves the whole tree shallow (see `builder::DEPTH_LIMIT`).

use std::path::Path;

use edgelint_source::{parse, MAX_NESTING};

use crate::SemanticModel;

/// Code with `$E` where an expression goes, `$T` where a target does and `$P` where a pattern
/// does: one source for every place in the tree the walk must reach, below statements,
/// expressions, parameters, arguments, clauses, patterns and f-strings.
const PLACES: &[&str] = &[
    "x = $E",
    "$T = 1",
    "x += $E",
    "x: $E = 1",
    "x: int = $E",
    "del $T",
    "def f():\n    return $E",
    "def f():\n    yield $E",
    "def f():\n    yield from $E",
    "async def f():\n    await $E",
    "raise $E",
    "raise TypeError from $E",
    "assert $E",
    "assert a, $E",
    "$E",
    "if $E:\n    pass",
    "if a:\n    pass\nelif $E:\n    pass",
    "if a:\n    pass\nelse:\n    x = $E",
    "while $E:\n    pass",
    "while a:\n    pass\nelse:\n    x = $E",
    "for a in $E:\n    pass",
    "for $T in a:\n    pass",
    "for a in b:\n    pass\nelse:\n    x = $E",
    "with $E:\n    pass",
    "with a as $T:\n    pass",
    "try:\n    pass\nexcept $E:\n    pass",
    "try:\n    pass\nexcept ValueError as e:\n    x = $E",
    "try:\n    pass\nfinally:\n    x = $E",
    "@$E\ndef f():\n    pass",
    "def f(a=$E):\n    pass",
    "def f(a: $E):\n    pass",
    "def f(*a: $E):\n    pass",
    "def f(**a: $E):\n    pass",
    "def f(*, a=$E):\n    pass",
    "def f() -> $E:\n    pass",
    "def f[T: $E]():\n    pass",
    "@$E\nclass A:\n    pass",
    "class A($E):\n    pass",
    "class A(metaclass=$E):\n    pass",
    "class A:\n    x = $E",
    "class A[T: $E]:\n    pass",
    "type A = $E",
    "match $E:\n    case 1:\n        pass",
    "match a:\n    case 1 if $E:\n        pass",
    "match a:\n    case 1:\n        x = $E",
    "match a:\n    case $P:\n        pass",
    "match a:\n    case A($P):\n        pass",
    "match a:\n    case A(b=$P):\n        pass",
    "match a:\n    case {1: $P}:\n        pass",
    "match a:\n    case $P | 1:\n        pass",
    "match a:\n    case [*b, $P]:\n        pass",
    "x = lambda: $E",
    "x = lambda a=$E: 0",
    "x = [$E for a in b]",
    "x = [a for a in $E]",
    "x = [a for a in b if $E]",
    "x = [a for a in b for c in $E]",
    "x = [a for $T in b]",
    "x = {$E for a in b}",
    "x = {$E: 1 for a in b}",
    "x = {1: $E for a in b}",
    "x = ($E for a in b)",
    "x = f(a for a in $E)",
    "x = {$E: 1}",
    "x = {1: $E}",
    "x = {**$E}",
    "x = {$E}",
    "x = ($E, 1)",
    "x = $E, 1",
    "x = [*$E]",
    "x = f($E)",
    "x = f(a=$E)",
    "x = f(*$E)",
    "x = f(**$E)",
    "x = $E.a",
    "x = $E(1)",
    "x = $E[1]",
    "x = a[$E]",
    "x = a[$E:]",
    "x = a[:$E]",
    "x = a[::$E]",
    "x = $E if a else b",
    "x = a if $E else b",
    "x = a if b else $E",
    "x = not $E",
    "x = -$E",
    "x = $E + 1",
    "x = 1 + $E",
    "x = $E < 1",
    "x = 1 < a < $E",
    "x = $E and 1",
    "x = 1 or $E",
    "x = (a := $E)",
    "x = f\"{$E}\"",
    "x = f\"{a:{$E}}\"",
    "x = f\"{a!r:>{$E}}\"",
    "x = t\"{$E}\"",
];

/// `levels` nested lists: an expression, a target and a pattern alike.
fn nested(levels: usize) -> String {
    format!("{}a{}", "[".repeat(levels), "]".repeat(levels))
}

fn sources(levels: usize) -> impl Iterator<Item = String> {
    let nested = nested(levels);
    PLACES.iter().map(move |place| {
        let source = place
            .replace("$E", &nested)
            .replace("$T", &nested)
            .replace("$P", &nested);
        format!("{source}\n")
    })
}

/// The start of a source, to tell which failed.
fn head(source: &str) -> &str {
    &source[..source.len().min(40)]
}

/// Runs `check` on a stack as big as a worker's: the walk of a debug build takes about 3 KiB
/// per level.
fn on_a_workers_stack(check: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(check)
        .expect("a thread starts")
        .join()
        .expect("the check passes");
}

#[test]
fn every_part_of_the_tree_is_walked_deep_enough_to_find_it_too_deep() {
    on_a_workers_stack(|| {
        for source in sources(MAX_NESTING + 500) {
            let parsed = parse(&source, Path::new("deep.py"));
            // Had the walk left this part out, it would have found the tree shallow.
            let found = SemanticModel::of_parsed(&parsed, &source, None).err();
            let measured = parsed.nesting().too_deep;
            assert!(measured.is_some(), "{}", head(&source));
            assert_eq!(found, measured, "{}", head(&source));
        }
    });
}

#[test]
fn shallow_trees_get_their_model() {
    on_a_workers_stack(|| {
        // Within the walk's own limit, and past it but within `MAX_NESTING`: there the tree
        // is measured, and walked again without a limit.
        for levels in [40, MAX_NESTING / 2] {
            for source in sources(levels) {
                let parsed = parse(&source, Path::new("shallow.py"));
                let model = SemanticModel::of_parsed(&parsed, &source, None);
                assert!(model.is_ok(), "{levels}: {}", head(&source));
            }
        }
    });
}

#[test]
fn a_tree_nests_at_most_four_levels_per_token() {
    // What lets `edgelint_source` free a tree without measuring it: a bound from its tokens
    // (with a margin of two). The shapes that take the most levels per token come last: a
    // module whose only node is an f-string, a lambda's bare parameters, an attribute chain.
    let worst = [
        "f\"{a}\"".to_string(),
        "x = lambda a: 0".to_string(),
        "f(a for a in b)".to_string(),
        format!(
            "x = {}",
            "lambda a=".repeat(1_000) + "0" + &": 0".repeat(1_000)
        ),
        format!("x = a{}", ".b".repeat(1_000)),
        format!("x = {}1", "-".repeat(1_000)),
        format!("x = {}", vec!["f(a"; 500].join(",") + &")".repeat(500)),
    ];
    on_a_workers_stack(move || {
        let shapes = sources(1_000).chain(sources(1)).chain(worst);
        for source in shapes {
            let parsed = parse(&source, Path::new("shape.py"));
            let depth = parsed.nesting().depth;
            let tokens = parsed.tokens().len();
            assert!(
                depth <= 4 * (tokens + 1),
                "{depth} levels, {tokens} tokens: {}",
                head(&source)
            );
        }
    });
}
