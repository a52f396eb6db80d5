//! `--fix` and `--diff` for one file: fix its text, then write it back, show the change as a
//! diff, or hand the fixed text back (standard input).

use std::path::Path;

use edgelint_diagnostics::Message;
use edgelint_linter::{fix_text, FixMode, FixedSource, LintOptions};
use edgelint_source::{encode, replace_if_unchanged, SourceEncoding};

use crate::outcome::{FileFailure, FileOutcome};

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
                errors: vec![FileFailure::Internal {
                    file: name.to_string(),
                    message: error.message,
                }],
                ..FileOutcome::default()
            }
        }
    };
    let mut outcome = FileOutcome::default();
    for &code in &fixed.refused {
        outcome.errors.push(FileFailure::FixRefused {
            file: name.to_string(),
            code,
        });
    }
    if !fixed.unsettled.is_empty() {
        outcome.errors.push(FileFailure::FixesNeverSettle {
            file: name.to_string(),
            codes: fixed.unsettled.clone(),
        });
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
                outcome.errors.push(FileFailure::NotWritten {
                    file: name.to_string(),
                    reason: error.to_string(),
                    left_alone: false,
                });
                outcome.messages = original_findings(fixed);
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
                    outcome.errors.push(FileFailure::NotWritten {
                        file: name.to_string(),
                        reason: error.to_string(),
                        left_alone: true,
                    });
                    outcome.messages = original_findings(fixed);
                }
            }
        }
    }
    outcome
}

/// What a lint of the original text reports, for a file left as it was: the findings the
/// fixes removed and those they did not, both found by the fixing, so not linted again.
fn original_findings(fixed: FixedSource) -> Vec<Message> {
    let mut messages = fixed.unfixable;
    messages.extend(fixed.fixed_away);
    messages
}

/// The change from `old` to `new` as a unified diff with `name` in both headers, as `patch -p0`
/// applies it.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(name, name)
        .to_string()
}
