//! `--fix` and `--diff` for one file: fix its text, then write it back, show the change as a
//! diff, or hand the fixed text back (standard input).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use edgelint_linter::{fix_text, lint_text, FixMode, LintOptions, MAX_FIX_PASSES};
use edgelint_rules::find_rule;
use edgelint_source::{encode, replace_if_unchanged, SourceEncoding};

use crate::run::FileOutcome;

/// Where the fixed text goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixTarget {
    /// Back into the file (`--fix`).
    File,
    /// Nowhere: the change is shown as a diff (`--diff`).
    Diff,
    /// To standard output (`--fix` on standard input).
    Stdout,
}

/// Fixes `text`, decoded from `encoding` out of the bytes `original` read from `path`, and
/// sends the result to `target`, encoded as the original was.
pub fn fix_file(
    path: &Path,
    name: &str,
    (original, encoding): (&[u8], SourceEncoding),
    text: &str,
    options: LintOptions,
    mode: FixMode,
    target: FixTarget,
) -> FileOutcome {
    let fixed = match fix_text(text, path, name, options, mode) {
        Ok(fixed) => fixed,
        Err(error) => {
            return FileOutcome {
                errors: vec![internal_error(name, &error.message)],
                ..FileOutcome::default()
            }
        }
    };
    let mut outcome = FileOutcome::default();
    for code in &fixed.refused {
        outcome.errors.push(format!(
            "a fix of {code} in {name} produced invalid Python and was not applied; this is a bug in edgelint, please report it with the file"
        ));
    }
    if !fixed.unsettled.is_empty() {
        outcome.errors.push(internal_error(
            name,
            &format!(
                "the fixes of {} never settle (they undo one another, or keep changing the file for {MAX_FIX_PASSES} passes); the file was left as it was",
                fixed.unsettled.join(", ")
            ),
        ));
    }
    let changed = fixed.text != text;
    match target {
        FixTarget::Diff => {
            outcome.messages = fixed.unfixable;
            if changed {
                outcome.diff = unified_diff(name, text, &fixed.text);
                outcome.applied = fixed.applied;
            }
        }
        FixTarget::Stdout => match encode(&fixed.text, encoding) {
            Ok(bytes) => {
                outcome.messages = fixed.remaining;
                outcome.applied = fixed.applied;
                outcome.text = Some(bytes);
            }
            Err(error) => {
                outcome
                    .errors
                    .push(format!("cannot write the fixes to {name}: {error}"));
                outcome.messages = lint_text(text, path, name, options);
                outcome.text = Some(original.to_vec());
            }
        },
        FixTarget::File if !changed => outcome.messages = fixed.remaining,
        FixTarget::File => {
            let written = encode(&fixed.text, encoding)
                .and_then(|bytes| replace_if_unchanged(path, original, &bytes));
            match written {
                Ok(()) => {
                    outcome.messages = fixed.remaining;
                    outcome.applied = fixed.applied;
                }
                Err(error) => {
                    outcome.errors.push(format!(
                        "cannot write the fixes to {name}: {error}; the file was left as it was"
                    ));
                    outcome.messages = lint_text(text, path, name, options);
                }
            }
        }
    }
    outcome
}

pub fn internal_error(name: &str, message: &str) -> String {
    format!(
        "internal error while checking {name}: {message}\n\
         This is a bug in edgelint; the other files were checked. Please report it with the file."
    )
}

/// The change from `old` to `new` as a unified diff with `name` in both headers, as `patch -p0`
/// applies it.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(name, name)
        .to_string()
}

/// `--show-fixes`: the fixes applied, per file and rule.
pub fn describe_fixes(files: &[(String, BTreeMap<&'static str, usize>)], would: bool) -> String {
    let total: usize = files.iter().flat_map(|(_, applied)| applied.values()).sum();
    let mut text = String::new();
    let verb = if would { "Would fix" } else { "Fixed" };
    let _ = writeln!(text, "{verb} {}:", problems(total));
    for (name, applied) in files {
        let _ = writeln!(text, "- {name}:");
        for (code, count) in applied {
            let rule_name = find_rule(code).map_or("", |rule| rule.name);
            let _ = writeln!(text, "    {count} × {code} ({rule_name})");
        }
    }
    text
}

/// "1 problem", "2 problems".
pub fn problems(count: usize) -> String {
    if count == 1 {
        "1 problem".to_string()
    } else {
        format!("{count} problems")
    }
}
