//! Every rule's findings on arbitrary text, as a module and as a stub: each finding's spans and
//! fix edits must lie inside the text on character boundaries, a fix's edits must not overlap,
//! messages must follow the style the harness checks (lower-case start, no final period, one
//! line), each fix of parsing text must keep the code around it (`fix_check`), and `--add-noqa`
//! must cope with the rows the findings are on.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::panic;
use std::path::Path;
use std::thread;

use edgelint_diagnostics::Diagnostic;
use edgelint_linter::{add_noqa, check_text, lint_text, LintOptions};
use edgelint_rules::{PythonVersion, RuleSelector, RuleSet};
use libfuzzer_sys::fuzz_target;
use ruff_text_size::TextRange;

/// The stack the binary checks each file on (`THREAD_STACK_SIZE` in `src/run.rs`).
const STACK_SIZE: usize = 64 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = edgelint_source::decode(data.to_vec()) else {
        return;
    };
    let checker = thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || {
            check(&text, Path::new("fuzz.py"));
            check(&text, Path::new("fuzz.pyi"));
        })
        .expect("the checking thread starts");
    if let Err(payload) = checker.join() {
        panic::resume_unwind(payload);
    }
});

fn check(text: &str, path: &Path) {
    let rules = RuleSet::resolve(Some(&[RuleSelector::All]), &[], &[]);
    let diagnostics = check_text(text, path, &rules, PythonVersion::DEFAULT, None);
    // Fixes are applied only to text that parses; there, each must keep the code around it.
    let parses = !diagnostics
        .iter()
        .any(|diagnostic| diagnostic.code == edgelint_rules::engine::SYNTAX_ERROR.code);
    for diagnostic in diagnostics {
        check_diagnostic(&diagnostic, text);
        if let (true, Some(fix)) = (parses, &diagnostic.fix) {
            if let Err(problem) = edgelint_rules::fix_check::check_fix_structure(text, fix) {
                panic!("{}: {problem}", diagnostic.code);
            }
        }
    }

    // `--add-noqa` as the binary runs it: every rule finding's row, engine findings left out.
    let options = LintOptions {
        rules: &rules,
        severities: &[],
        target_version: PythonVersion::DEFAULT,
        project: None,
    };
    let mut rows: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for message in lint_text(text, path, "fuzz", options) {
        if !message.code.starts_with("EL0") {
            rows.entry(message.location.row)
                .or_default()
                .insert(message.code);
        }
    }
    if let Some((noqa_text, _)) = add_noqa(text, path, &rows) {
        let errors = |source: &str| edgelint_source::parse(source, path).errors().len();
        assert!(
            errors(&noqa_text) <= errors(text),
            "`--add-noqa` made {} parse worse:\n{noqa_text}",
            path.display()
        );
    }
}

fn check_diagnostic(diagnostic: &Diagnostic, text: &str) {
    let code = diagnostic.code;
    let in_text = |range: TextRange| {
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
    };
    assert!(
        in_text(diagnostic.range),
        "{code}: range {:?} is not a span of the text",
        diagnostic.range
    );
    for label in &diagnostic.secondary {
        assert!(
            in_text(label.range),
            "{code}: label range {:?} is not a span of the text",
            label.range
        );
    }
    let message = &diagnostic.message;
    assert!(
        !message.is_empty()
            && !message.starts_with(char::is_uppercase)
            && !message.ends_with('.')
            && !message.contains(['\n', '\r']),
        "{code}: message {message:?} does not start in lower case, ends with a period or is not one line"
    );
    let Some(fix) = &diagnostic.fix else {
        return;
    };
    let mut edits: Vec<_> = fix.edits.iter().map(|edit| edit.range).collect();
    edits.sort_by_key(|range| (range.start(), range.end()));
    for range in &edits {
        assert!(
            in_text(*range),
            "{code}: edit range {range:?} is not a span of the text"
        );
    }
    for pair in edits.windows(2) {
        assert!(
            pair[0].end() <= pair[1].start(),
            "{code}: the fix's edits {:?} and {:?} overlap",
            pair[0],
            pair[1]
        );
    }
}
