//! The rustc-style picture of a finding (the `full` format), kept as data until the report is
//! written: the labelled lines, the labels and the notes. Workers take it from the source while
//! they hold it; the report draws it once, on the main thread, in colour or not, so one finding
//! (and one cache entry) serves every format and terminal.

use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config};
use serde::{Deserialize, Serialize};

use crate::excerpt::{printable, printable_owned, Excerpt};
use crate::snippet::{Sources, OTHER_FILE, THIS_FILE};
use crate::{Diagnostic, EvidencePlace, Message, Severity, SourceView};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawing {
    /// The lines of the finding's own file that the labels touch.
    excerpt: Excerpt,
    /// In the order codespan gets them: the primary label first, then the secondary ones, then
    /// the evidence.
    labels: Vec<DrawnLabel>,
    /// The name and the lines of another file that the evidence points into.
    other: Option<(String, Excerpt)>,
    /// The rule's notes, drawn before the unproven note and the help.
    notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct DrawnLabel {
    primary: bool,
    /// In the other file rather than the excerpt.
    elsewhere: bool,
    range: Range<usize>,
    message: String,
}

impl Drawing {
    /// What `diagnostic` draws of `view`.
    pub(crate) fn of(diagnostic: &Diagnostic, view: &SourceView) -> Self {
        let mut labels = vec![DrawnLabel {
            primary: true,
            elsewhere: false,
            range: diagnostic.range.to_std_range(),
            message: diagnostic.label.clone(),
        }];
        labels.extend(diagnostic.secondary.iter().map(|label| DrawnLabel {
            primary: false,
            elsewhere: false,
            range: label.range.to_std_range(),
            message: label.message.clone(),
        }));
        let mut other = None;
        if let Some(evidence) = &diagnostic.evidence {
            let (elsewhere, range) = match &evidence.place {
                EvidencePlace::Here(range) => (false, range.to_std_range()),
                EvidencePlace::Elsewhere(place) => {
                    let name = crate::message::drawn_name(&place.filename, place.cell);
                    let (excerpt, range) = Excerpt::of_lines(
                        &place.snippet,
                        place.snippet_first_row,
                        place.snippet_range.clone(),
                    );
                    other = Some((name, excerpt));
                    (true, range)
                }
            };
            labels.push(DrawnLabel {
                primary: false,
                elsewhere,
                range,
                message: evidence.message.clone(),
            });
        }
        let here: Vec<Range<usize>> = labels
            .iter()
            .filter(|label| !label.elsewhere)
            .map(|label| label.range.clone())
            .collect();
        let (excerpt, moved) = Excerpt::of(view, &here);
        for (label, range) in labels
            .iter_mut()
            .filter(|label| !label.elsewhere)
            .zip(moved)
        {
            label.range = range;
        }
        Drawing {
            excerpt,
            labels,
            other,
            notes: diagnostic.notes.clone(),
        }
    }
}

/// The `full` format of one finding: rustc-style, with ANSI colours when `color` is set.
pub fn draw(message: &Message, color: bool, fixable: bool) -> String {
    // `[*]`: `--fix` fixes it, as ruff marks it.
    let text = printable(&message.message);
    let text = if fixable {
        format!("[*] {text}")
    } else {
        text.into_owned()
    };
    let Some(drawing) = &message.drawing else {
        // A finding about a file whose text could not be had: the path instead of an excerpt.
        return format!(
            "{}[{}]: {text}\n --> {}\n\n",
            message.severity.as_str(),
            message.code,
            printable(&message.filename)
        );
    };
    let severity = match message.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let labels = drawing
        .labels
        .iter()
        .map(|label| {
            let file = if label.elsewhere {
                OTHER_FILE
            } else {
                THIS_FILE
            };
            let drawn = if label.primary {
                CsLabel::primary(file, label.range.clone())
            } else {
                CsLabel::secondary(file, label.range.clone())
            };
            drawn.with_message(printable(&label.message))
        })
        .collect();
    let unproven = message
        .unproven
        .iter()
        .map(|reason| format!("note: unproven: {reason}; shown because of `--pedantic`"));
    let measured = message.measured.iter().map(|measured| {
        format!(
            "note: measured: {} ({})",
            measured.describe(),
            measured.place()
        )
    });
    let help = message.help.iter().map(|help| format!("help: {help}"));
    let notes = drawing
        .notes
        .iter()
        .map(|note| format!("note: {note}"))
        .chain(unproven)
        .chain(measured)
        .chain(help)
        .map(printable_owned)
        .collect();
    let diagnostic = CsDiagnostic::new(severity)
        .with_code(message.code)
        .with_message(text.clone())
        .with_labels(labels)
        .with_notes(notes);

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
    // In a notebook the picture names the cell, whose lines the rows count.
    let name = printable_owned(message.drawn_name());
    let other = (drawing.other.as_ref()).map(|(name, excerpt)| (printable(name), excerpt));
    let sources = Sources {
        this: (&name, &drawing.excerpt),
        other: other
            .as_ref()
            .map(|(name, excerpt)| (name.as_ref(), *excerpt)),
    };
    // The excerpt holds every line codespan asks about, and the label ranges were moved into it
    // from the same text, so drawing cannot fail on our own input; if it ever did, the finding
    // is still reported in concise form rather than lost.
    if term::emit_to_write_style(&mut writer, &config, &sources, &diagnostic).is_err() {
        let crate::Location { row, column } = message.location;
        return format!("{name}:{row}:{column}: {} {text}\n", message.code);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}
