//! edgelint's messages as the protocol's diagnostics and code actions.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use edgelint_diagnostics::{Applicability, Message, Severity};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, Range, TextEdit, Url, WorkspaceEdit,
};

use crate::positions::{replacement, Lines};

/// The diagnostic of a message in the document `text` at `uri`. Evidence in another file is
/// related information pointing at that file (its name is absolute: see `Server::lint`).
pub fn diagnostic(message: &Message, uri: &Url, lines: &Lines) -> Diagnostic {
    let mut text = message.message.clone();
    if let Some(reason) = &message.unproven {
        text.push_str(&format!("\nunproven: {reason}"));
    }
    if let Some(measured) = &message.measured {
        text.push_str(&format!("\nmeasured: {}", measured.describe()));
    }
    if let Some(help) = &message.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let related = message.evidence.as_ref().and_then(|evidence| {
        let (target, range) = if evidence.filename == message.filename {
            (
                uri.clone(),
                lines.range(evidence.location, evidence.end_location),
            )
        } else {
            // Rows and columns of another file: counted in characters, which is UTF-16 units
            // for the text most lines hold.
            let position = |location: edgelint_diagnostics::Location| {
                lsp_types::Position::new(
                    location.row.saturating_sub(1) as u32,
                    location.column.saturating_sub(1) as u32,
                )
            };
            (
                Url::from_file_path(Path::new(&evidence.filename)).ok()?,
                Range::new(position(evidence.location), position(evidence.end_location)),
            )
        };
        Some(vec![DiagnosticRelatedInformation {
            location: Location::new(target, range),
            message: evidence.message.clone(),
        }])
    });
    Diagnostic {
        range: lines.range(message.location, message.end_location),
        severity: Some(match message.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(message.code.to_string())),
        source: Some("edgelint".to_string()),
        message: text,
        related_information: related,
        ..Diagnostic::default()
    }
}

/// The code actions for the findings whose ranges meet `range`: each one's fix (an unsafe fix
/// says so in its title) and a `# noqa` comment for its line.
pub fn quick_fixes(
    messages: &[Message],
    uri: &Url,
    text: &str,
    path: &Path,
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(text);
    let mut actions = Vec::new();
    for message in messages {
        let diagnostic = diagnostic(message, uri, &lines);
        if diagnostic.range.end < range.start || range.end < diagnostic.range.start {
            continue;
        }
        if let Some(fix) = &message.fix {
            let edits = fix
                .edits
                .iter()
                .map(|edit| TextEdit {
                    range: lines.range(edit.location, edit.end_location),
                    new_text: edit.content.clone(),
                })
                .collect();
            let safe = fix.applicability == Applicability::Safe;
            let what = message.help.as_deref().unwrap_or("apply the fix");
            actions.push(action(
                format!(
                    "{}: {what}{}",
                    message.code,
                    if safe { "" } else { " (unsafe fix)" }
                ),
                CodeActionKind::QUICKFIX,
                uri,
                edits,
                Some(diagnostic.clone()),
                safe,
            ));
        }
        // Engine findings (syntax errors, unreadable files) cannot be silenced.
        if !message.code.starts_with("EL0") {
            let rows = BTreeMap::from([(message.location.row, BTreeSet::from([message.code]))]);
            if let Some((silenced, _)) = edgelint_linter::add_noqa(text, path, &rows) {
                actions.push(action(
                    format!("{}: silence it on this line (`# noqa`)", message.code),
                    CodeActionKind::QUICKFIX,
                    uri,
                    vec![whole_change(&lines, text, &silenced)],
                    Some(diagnostic),
                    false,
                ));
            }
        }
    }
    actions
}

/// "Fix all": the document with every safe fix applied, as one edit.
pub fn fix_all(uri: &Url, text: &str, fixed: &str) -> Option<CodeActionOrCommand> {
    (text != fixed).then(|| {
        let lines = Lines::new(text);
        action(
            "edgelint: apply every safe fix".to_string(),
            CodeActionKind::new(FIX_ALL),
            uri,
            vec![whole_change(&lines, text, fixed)],
            None,
            false,
        )
    })
}

/// The code action kind of "fix all", under `source.fixAll` as editors expect.
pub const FIX_ALL: &str = "source.fixAll.edgelint";

/// The change from `old` to `new` as one edit of the span that differs.
fn whole_change(lines: &Lines, old: &str, new: &str) -> TextEdit {
    let (span, new_text) = replacement(old, new);
    TextEdit {
        range: Range::new(lines.position(span.start), lines.position(span.end)),
        new_text,
    }
}

fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Url,
    edits: Vec<TextEdit>,
    diagnostic: Option<Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|diagnostic| vec![diagnostic]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}
