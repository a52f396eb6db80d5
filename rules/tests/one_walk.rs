//! The tree is walked once per file, by the semantic model's builder; the rules go through the
//! builder's table of nodes, and no rule or helper walks the tree on its own: rules ask the
//! model (parents, flags, runs of nodes) instead. This test reads the sources of the rules
//! crate and of the semantic crate and fails on any walk outside the builder's (and
//! `fix_check.rs`, and test code).

use std::path::{Path, PathBuf};

/// What a walk of the tree looks like in the source: a visitor, a walk helper, ruff's
/// `any_over_*` searches.
const WALKS: &[&str] = &[
    "Visitor",
    "visitor::",
    "walk_",
    "visit_body",
    "visit_stmt",
    "visit_expr",
    "any_over_",
    "visit_source_order",
];

/// The files that may walk: the builder builds the model, and `fix_check.rs` is the proof the
/// tests run on every fix.
const ALLOWED: &[&str] = &[
    "crates/edgelint_semantic/src/builder.rs",
    "rules/src/fix_check.rs",
];

/// The lines of `source` that walk, with their numbers: comments and test code left out
/// (files of tests, and a `#[cfg(test)]` module, which comes last in a file).
fn walking_lines(source: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut numbered = source.lines().enumerate().peekable();
    while let Some((index, line)) = numbered.next() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            match numbered.peek() {
                // `#[cfg(test)] mod tests;`: a file of its own, checked by name.
                Some((_, next)) if next.trim_end().ends_with(';') => {
                    numbered.next();
                    continue;
                }
                // An inline test module: the rest of the file.
                _ => break,
            }
        }
        if code.starts_with("//") {
            continue;
        }
        if WALKS.iter().any(|walk| code.contains(walk)) {
            lines.push((index + 1, line));
        }
    }
    lines
}

fn is_test_file(path: &Path) -> bool {
    let name = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    name == "tests" || name.ends_with("_tests") || name == "test_support"
}

fn rust_files(directory: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_rule_or_helper_walks_the_tree_on_its_own() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the rules crate is in the workspace");
    let mut files = Vec::new();
    for crate_sources in ["rules/src", "crates/edgelint_semantic/src"] {
        rust_files(&workspace.join(crate_sources), &mut files);
    }
    assert!(files.len() > 40, "the sources were found: {files:?}");
    let mut walks = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(workspace)
            .expect("under the workspace")
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.contains(&relative.as_str()) || is_test_file(&path) {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a readable source file");
        for (line, text) in walking_lines(&source) {
            walks.push(format!("{relative}:{line}: {}", text.trim()));
        }
    }
    assert!(
        walks.is_empty(),
        "walks of the tree outside the builder (ask the semantic model \
         instead: parents, flags, `descendants`, `scope_nodes`, `any_expr_in`):\n{}",
        walks.join("\n")
    );
}

#[test]
fn a_walk_is_recognised_and_test_code_is_not() {
    let source = "\
use ruff_python_ast::visitor::{self, Visitor};
// A comment that names a Visitor is not a walk.
fn uses(body: &[Stmt]) -> bool {
    any_over_body(body, |expr| expr.is_call_expr())
}
#[cfg(test)]
mod tests;
impl<'a> Visitor<'a> for Finder {}
#[cfg(test)]
mod tests {
    impl<'a> Visitor<'a> for InTests {}
}
";
    let lines: Vec<usize> = walking_lines(source)
        .into_iter()
        .map(|(line, _)| line)
        .collect();
    assert_eq!(lines, [1, 4, 8]);
}
