//! The whole pipeline on arbitrary bytes: decoding, parsing, the semantic model, every rule, and
//! the fix loop with unsafe fixes, once as a module (`fuzz.py`) and once as a stub (`fuzz.pyi`).
//!
//! The binary reports a panic as an internal error for the file and goes on; here it is a crash,
//! and so is every fix the fix loop had to refuse or could not settle, and fixed text that no
//! longer parses although the input did.

#![no_main]

use std::panic;
use std::path::Path;
use std::thread;

use edgelint_linter::{fix_text, FixMode, LintOptions};
use edgelint_rules::{PythonVersion, RuleSelector, RuleSet};
use libfuzzer_sys::fuzz_target;

/// The stack the binary checks each file on (`THREAD_STACK_SIZE` in `src/run.rs`), so that
/// nesting the binary copes with is not reported as a crash here.
const STACK_SIZE: usize = 64 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 (or hold a NUL) stop at decoding, as they do in the binary.
    let Ok(text) = edgelint_source::decode(data.to_vec()) else {
        return;
    };
    let checker = thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || {
            fix_and_check(&text, Path::new("fuzz.py"));
            fix_and_check(&text, Path::new("fuzz.pyi"));
        })
        .expect("the checking thread starts");
    // libfuzzer-sys aborts on the panic itself; this only matters without its panic hook.
    if let Err(payload) = checker.join() {
        panic::resume_unwind(payload);
    }
});

/// Fixes `text` as the contents of `path` with every rule and every fix, and panics on anything
/// that is a bug in edgelint.
fn fix_and_check(text: &str, path: &Path) {
    let rules = RuleSet::resolve(Some(&[RuleSelector::All]), &[], &[]);
    let options = LintOptions {
        rules: &rules,
        severities: &[],
        target_version: PythonVersion::DEFAULT,
        project: None,
    };
    let fixed = match fix_text(text, path, "fuzz", options, FixMode::Unsafe) {
        Ok(fixed) => fixed,
        Err(error) => panic!("internal error on {}: {}", path.display(), error.message),
    };
    assert!(
        fixed.unsettled.is_empty(),
        "the fixes of {:?} never settled on {}",
        fixed.unsettled,
        path.display()
    );
    assert!(
        fixed.refused.is_empty(),
        "the fixes of {:?} were refused on {}: they produced invalid Python",
        fixed.refused,
        path.display()
    );
    let parses = |source: &str| edgelint_source::parse(source, path).errors().is_empty();
    if parses(text) {
        assert!(
            parses(&fixed.text),
            "the fixes {:?} turned {}, which parsed, into text that does not:\n{}",
            fixed.applied,
            path.display(),
            fixed.text
        );
    }
}
