use ruff_text_size::TextSize;
use serde::{Deserialize, Serialize};

use crate::{Applicability, Diagnostic, Drawing, EvidencePlace, Severity, SourceView};

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
    /// In a notebook, the cell (one-based) whose rows `location` and `end_location` count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
    pub location: Location,
    pub end_location: Location,
}

impl MessageEvidence {
    /// Where the evidence is, as people read it: `path:row:column`, or in a notebook
    /// `path:cell N:row:column`.
    pub fn place(&self) -> String {
        place(&self.filename, self.cell, self.location)
    }

    /// In a notebook, where the evidence is in its cell, for formats whose locations are lines
    /// of the file: `cell 1, line 2, column 5: `. Empty for other files.
    pub fn cell_prefix(&self) -> String {
        cell_prefix(self.cell, self.location)
    }
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
    /// What a memory profile measured at the finding's line or at its evidence (`--profile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<crate::Measured>,
    /// What the `full` format draws; `None` for a finding about a file whose text could not be
    /// had, which is drawn with its path instead of an excerpt.
    #[serde(skip)]
    pub drawing: Option<Box<Drawing>>,
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

impl Message {
    /// Whether `--fix` fixes the finding: it has a safe fix, or an unsafe one and unsafe fixes
    /// are on.
    pub fn is_fixable(&self, unsafe_fixes: bool) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|fix| fix.applicability == crate::Applicability::Safe || unsafe_fixes)
    }

    /// Where the finding is, as people read it: `path:row:column`, or in a notebook
    /// `path:cell N:row:column`.
    pub fn place(&self) -> String {
        place(&self.filename, self.cell, self.location)
    }

    /// The name of the finding's file as a rustc-style drawing heads it: in a notebook, with the
    /// cell whose rows it counts.
    pub fn drawn_name(&self) -> String {
        drawn_name(&self.filename, self.cell)
    }

    /// In a notebook, where the finding is in its cell, to put before the message in formats
    /// whose locations are lines of the file (a notebook's lines are JSON): `cell 3, line 2,
    /// column 5: `. Empty for other files.
    pub fn cell_prefix(&self) -> String {
        cell_prefix(self.cell, self.location)
    }

    pub fn resolve(diagnostic: &Diagnostic, view: &SourceView) -> Self {
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
            let (filename, cell, start, end) = match &evidence.place {
                EvidencePlace::Here(range) => (
                    view.name.to_string(),
                    None,
                    location(range.start()),
                    location(range.end()),
                ),
                EvidencePlace::Elsewhere(place) => (
                    place.filename.clone(),
                    place.cell,
                    place.location,
                    place.end_location,
                ),
            };
            MessageEvidence {
                message: evidence.message.clone(),
                filename,
                cell,
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
            drawing: Some(Box::new(Drawing::of(diagnostic, view))),
            line_text: normalized_line(view, diagnostic.range.start()),
            scope: diagnostic.scope.clone(),
            unless_shrunk_elsewhere: diagnostic.unless_shrunk_elsewhere.clone(),
            unless_handed_out_elsewhere: diagnostic.unless_handed_out_elsewhere.clone(),
            unproven: diagnostic.unproven.clone(),
            measured: None,
        }
    }

    /// A diagnostic about a file whose text could not be had: it points at the file as a whole
    /// (row 1, column 1) and the `full` format shows the path instead of an excerpt.
    pub fn without_source(diagnostic: &Diagnostic, name: &str) -> Self {
        let index = ruff_source_file::LineIndex::from_source_text("");
        let view = SourceView {
            name,
            text: "",
            index: &index,
        };
        Message {
            drawing: None,
            ..Message::resolve(diagnostic, &view)
        }
    }

    /// The message for the formats that have nothing but text: where the data comes from
    /// follows it.
    pub fn text(&self) -> String {
        let mut text = self.message.clone();
        if let Some(evidence) = &self.evidence {
            text.push_str(&format!(" ({}: {})", evidence.message, evidence.place()));
        }
        if let Some(reason) = &self.unproven {
            text.push_str(&format!(" [unproven: {reason}]"));
        }
        if let Some(measured) = &self.measured {
            text.push_str(&format!(
                " [measured: {}, {}]",
                measured.describe(),
                measured.place()
            ));
        }
        text
    }

    /// The order of a report: by path, then position, then code.
    pub fn sort_key(&self) -> (&str, Option<usize>, Location, &str) {
        (&self.filename, self.cell, self.location, self.code)
    }
}

/// `path`, or in a notebook `path:cell N`: a file as a rustc-style drawing heads it.
pub(crate) fn drawn_name(filename: &str, cell: Option<usize>) -> String {
    match cell {
        Some(cell) => format!("{filename}:cell {cell}"),
        None => filename.to_string(),
    }
}

/// `path:row:column`, or in a notebook `path:cell N:row:column`.
fn place(filename: &str, cell: Option<usize>, Location { row, column }: Location) -> String {
    format!("{}:{row}:{column}", drawn_name(filename, cell))
}

/// In a notebook, `cell N, line R, column C: `; empty for other files.
fn cell_prefix(cell: Option<usize>, Location { row, column }: Location) -> String {
    match cell {
        Some(cell) => format!("cell {cell}, line {row}, column {column}: "),
        None => String::new(),
    }
}

/// How much of a line a message keeps for its fingerprint as text; the rest is kept as a digest.
const LINE_TEXT_BYTES: usize = 1000;

/// The line holding `offset`, trimmed, with every run of whitespace collapsed to one space. Of
/// a line longer than [`LINE_TEXT_BYTES`], only that many bytes, then the digest of the rest:
/// every message on a generated line of 100,000 characters kept a copy of it (20,000 syntax
/// errors on one such line, 2.4 GB).
fn normalized_line(view: &SourceView, offset: TextSize) -> String {
    let line = view.index.line_index(offset);
    let range = view.index.line_range(line, view.text);
    let text = view.text.get(range.to_std_range()).unwrap_or_default();
    let mut cut = text.len().min(LINE_TEXT_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let (head, rest) = text.split_at(cut);
    let mut normalized = head.split_whitespace().collect::<Vec<_>>().join(" ");
    if !rest.trim().is_empty() {
        let digest = xxhash_rust::xxh3::xxh3_64(rest.trim_end().as_bytes());
        normalized.push_str(&format!(" ...{digest:016x}"));
    }
    normalized
}
