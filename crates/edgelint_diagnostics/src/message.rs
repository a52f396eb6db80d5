use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config};
use ruff_text_size::TextSize;
use serde::{Deserialize, Serialize};

use crate::snippet::{Sources, OTHER_FILE, THIS_FILE};
use crate::{Applicability, Diagnostic, EvidencePlace, Severity, SourceView};

/// A one-based row and column (columns counted in characters).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub row: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageEdit {
    pub content: String,
    pub location: Location,
    pub end_location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageFix {
    pub applicability: Applicability,
    pub edits: Vec<MessageEdit>,
}

/// Where the data a finding is about comes from, resolved: possibly in another file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEvidence {
    pub message: String,
    pub filename: String,
    pub location: Location,
    pub end_location: Location,
}

/// A diagnostic resolved against its file: everything a report needs, without the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub filename: String,
    /// In a notebook, the cell (one-based, counting every cell) that `location` and
    /// `end_location` are in; their rows are then rows of the cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
    pub location: Location,
    pub end_location: Location,
    pub fix: Option<MessageFix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<MessageEvidence>,
    /// See [`Diagnostic::unproven`]: set only on findings `--pedantic` adds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unproven: Option<String>,
    /// The rustc-style rendering, filled only when the `full` format is asked for.
    #[serde(skip)]
    pub rendered: String,
    /// The text of the line holding `location`, trimmed, with runs of whitespace collapsed to
    /// one space (empty when there is no source). Fingerprints use it instead of the row, so
    /// that a finding keeps its fingerprint when lines are inserted above it.
    #[serde(skip)]
    pub line_text: String,
    /// The enclosing classes and functions, dotted; empty at module level.
    #[serde(skip)]
    pub scope: String,
    /// See [`Diagnostic::unless_shrunk_elsewhere`].
    #[serde(skip)]
    pub unless_shrunk_elsewhere: Option<String>,
    /// See [`Diagnostic::unless_handed_out_elsewhere`].
    #[serde(skip)]
    pub unless_handed_out_elsewhere: Vec<String>,
}

/// What resolving needs to know about the report it is for.
#[derive(Copy, Clone, Debug, Default)]
pub struct RenderOptions {
    /// Render the rustc-style text (only the `full` format shows it).
    pub full: bool,
    /// Use ANSI colours in that text.
    pub color: bool,
}

impl Message {
    /// Where the finding is, as people read it: `path:row:column`, or in a notebook
    /// `path:cell N:row:column`.
    pub fn place(&self) -> String {
        let Location { row, column } = self.location;
        match self.cell {
            Some(cell) => format!("{}:cell {cell}:{row}:{column}", self.filename),
            None => format!("{}:{row}:{column}", self.filename),
        }
    }

    /// In a notebook, where the finding is in its cell, to put before the message in formats
    /// whose locations are lines of the file (a notebook's lines are JSON): `cell 3, line 2,
    /// column 5: `. Empty for other files.
    pub fn cell_prefix(&self) -> String {
        let Location { row, column } = self.location;
        match self.cell {
            Some(cell) => format!("cell {cell}, line {row}, column {column}: "),
            None => String::new(),
        }
    }

    pub fn resolve(diagnostic: &Diagnostic, view: &SourceView, options: RenderOptions) -> Self {
        let location = |offset| {
            let (row, column) = view.location(offset);
            Location { row, column }
        };
        let fix = diagnostic.fix.as_ref().map(|fix| MessageFix {
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| MessageEdit {
                    content: edit.content.clone(),
                    location: location(edit.range.start()),
                    end_location: location(edit.range.end()),
                })
                .collect(),
        });
        let evidence = diagnostic.evidence.as_ref().map(|evidence| {
            let (filename, start, end) = match &evidence.place {
                EvidencePlace::Here(range) => (
                    view.name.to_string(),
                    location(range.start()),
                    location(range.end()),
                ),
                EvidencePlace::Elsewhere(place) => {
                    (place.filename.clone(), place.location, place.end_location)
                }
            };
            MessageEvidence {
                message: evidence.message.clone(),
                filename,
                location: start,
                end_location: end,
            }
        });
        Message {
            code: diagnostic.code,
            name: diagnostic.name,
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            filename: view.name.to_string(),
            cell: None,
            location: location(diagnostic.range.start()),
            end_location: location(diagnostic.range.end()),
            fix,
            evidence,
            rendered: if options.full {
                render_full(diagnostic, view, options.color)
            } else {
                String::new()
            },
            line_text: normalized_line(view, diagnostic.range.start()),
            scope: diagnostic.scope.clone(),
            unless_shrunk_elsewhere: diagnostic.unless_shrunk_elsewhere.clone(),
            unless_handed_out_elsewhere: diagnostic.unless_handed_out_elsewhere.clone(),
            unproven: diagnostic.unproven.clone(),
        }
    }

    /// A diagnostic about a file whose text could not be had: it points at the file as a whole
    /// (row 1, column 1) and the `full` format shows the path instead of an excerpt.
    pub fn without_source(diagnostic: &Diagnostic, name: &str, options: RenderOptions) -> Self {
        let index = ruff_source_file::LineIndex::from_source_text("");
        let view = SourceView {
            name,
            text: "",
            index: &index,
        };
        let mut message = Message::resolve(diagnostic, &view, RenderOptions::default());
        if options.full {
            message.rendered = format!(
                "{}[{}]: {}\n --> {name}\n\n",
                diagnostic.severity.as_str(),
                diagnostic.code,
                diagnostic.message
            );
        }
        message
    }

    /// The message for the formats that have nothing but text: where the data comes from
    /// follows it.
    pub fn text(&self) -> String {
        let mut text = self.message.clone();
        if let Some(evidence) = &self.evidence {
            let Location { row, column } = evidence.location;
            text.push_str(&format!(
                " ({}: {}:{row}:{column})",
                evidence.message, evidence.filename
            ));
        }
        if let Some(reason) = &self.unproven {
            text.push_str(&format!(" [unproven: {reason}]"));
        }
        text
    }

    /// The order of a report: by path, then position, then code.
    pub fn sort_key(&self) -> (&str, Option<usize>, Location, &str) {
        (&self.filename, self.cell, self.location, self.code)
    }
}

/// The line holding `offset`, trimmed, with every run of whitespace collapsed to one space.
fn normalized_line(view: &SourceView, offset: TextSize) -> String {
    let line = view.index.line_index(offset);
    let range = view.index.line_range(line, view.text);
    let text = view.text.get(range.to_std_range()).unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn render_full(diagnostic: &Diagnostic, view: &SourceView, color: bool) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let primary = CsLabel::primary(THIS_FILE, diagnostic.range.to_std_range())
        .with_message(diagnostic.label.clone());
    let secondary = diagnostic.secondary.iter().map(|label| {
        CsLabel::secondary(THIS_FILE, label.range.to_std_range())
            .with_message(label.message.clone())
    });
    let evidence = diagnostic.evidence.iter().map(|evidence| {
        let (file, range) = match &evidence.place {
            EvidencePlace::Here(range) => (THIS_FILE, range.to_std_range()),
            EvidencePlace::Elsewhere(place) => (OTHER_FILE, place.snippet_range.clone()),
        };
        CsLabel::secondary(file, range).with_message(evidence.message.clone())
    });
    let help = diagnostic.help.iter().map(|help| format!("help: {help}"));
    let unproven = diagnostic
        .unproven
        .iter()
        .map(|reason| format!("note: unproven: {reason}; shown because of `--pedantic`"));
    let notes = diagnostic
        .notes
        .iter()
        .map(|note| format!("note: {note}"))
        .chain(unproven);
    let rendered = CsDiagnostic::new(severity)
        .with_code(diagnostic.code)
        .with_message(diagnostic.message.clone())
        .with_labels(
            std::iter::once(primary)
                .chain(secondary)
                .chain(evidence)
                .collect(),
        )
        .with_notes(notes.chain(help).collect());

    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    // rustc's own drawing characters: `-->`, `|` and `=`.
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let styles = term::Styles::default();
    let mut writer = term::StylesWriter::new(&mut buffer, &styles);
    // The view answers every question codespan asks for offsets inside the file, and the
    // diagnostic ranges come from the same text, so rendering cannot fail on our own input;
    // if it ever did, the finding is still reported in concise form rather than lost.
    let other = diagnostic
        .evidence
        .as_ref()
        .and_then(|evidence| match &evidence.place {
            EvidencePlace::Elsewhere(place) => Some(place),
            EvidencePlace::Here(_) => None,
        });
    let sources = Sources { this: view, other };
    if term::emit_to_write_style(&mut writer, &config, &sources, &rendered).is_err() {
        let (row, column) = view.location(diagnostic.range.start());
        return format!(
            "{}:{row}:{column}: {} {}\n",
            view.name, diagnostic.code, diagnostic.message
        );
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}
