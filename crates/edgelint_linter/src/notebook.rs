//! Jupyter notebooks: their code cells are linted together, as the kernel runs them, and every
//! finding is placed in its cell. Fixes are written back into the cells' `source` in the
//! notebook's own JSON text, so that outputs, metadata and every other cell stay byte for byte.
//!
//! The cells are joined into one Python text with a marker comment after each cell. The
//! markers say where each cell's code is, and after fixes, where each cell's new code is: no
//! fix may touch them, and a comment does not change what the code does.

use std::ops::Range;
use std::path::Path;

use edgelint_diagnostics::{
    Diagnostic, EvidencePlace, ExternalPlace, Label, Location, Message, SourceView,
};
use ruff_notebook::{Notebook, SourceValue};
use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};

use crate::fix::fix_until_settled;
use crate::{apply_severities, check_text, FixMode, FixedSource, LintOptions};

/// Ends each cell in the joined text.
const CELL_END: &str = "# <end of notebook cell>\n";

/// The code cells of a notebook, joined into one Python text.
struct Cells {
    text: String,
    cells: Vec<Cell>,
}

struct Cell {
    /// One-based, counting every cell of the notebook (as notebook editors do).
    number: usize,
    /// The cell's code in the joined text.
    range: TextRange,
    /// The cell did not end with a newline, and the joined text added one.
    newline_added: bool,
}

impl Cells {
    fn of(notebook: &Notebook) -> Cells {
        let mut text = String::new();
        let mut cells = Vec::new();
        for start in notebook.index().iter() {
            let number = start.cell_index().get();
            let Some(cell) = notebook.cells().get(number - 1) else {
                continue;
            };
            let begin = TextSize::of(&text);
            match cell.source() {
                SourceValue::String(source) => text.push_str(source),
                SourceValue::StringArray(lines) => {
                    lines.iter().for_each(|line| text.push_str(line))
                }
            }
            let newline_added = !text.is_empty() && !text.ends_with('\n');
            if newline_added {
                text.push('\n');
            }
            cells.push(Cell {
                number,
                range: TextRange::new(begin, TextSize::of(&text)),
                newline_added,
            });
            text.push_str(CELL_END);
        }
        Cells { text, cells }
    }

    /// The cell holding `offset` (its end included, for findings at the end of a cell).
    fn containing(&self, offset: TextSize) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|cell| cell.range.start() <= offset && offset <= cell.range.end())
    }

    /// The place `range` of the joined text, in the cell that holds it whole, with its lines
    /// and rows of that cell, for a finding in another cell to point at.
    fn place_in_cell(&self, range: TextRange, display_name: &str) -> Option<ExternalPlace> {
        let cell = self
            .containing(range.start())
            .filter(|cell| cell.range.contains_range(range))?;
        let text = &self.text[cell.range];
        let range = range - cell.range.start();
        let index = LineIndex::from_source_text(text);
        let location = |offset| {
            let position = index.line_column(offset, text);
            Location {
                row: position.line.get(),
                column: position.column.get(),
            }
        };
        let first_line = index.line_index(range.start());
        let snippet_start = index.line_start(first_line, text);
        let snippet_end = index.line_end(index.line_index(range.end()), text);
        let start = (range.start() - snippet_start).to_usize();
        Some(ExternalPlace {
            filename: display_name.to_string(),
            cell: Some(cell.number),
            location: location(range.start()),
            end_location: location(range.end()),
            snippet: text[TextRange::new(snippet_start, snippet_end)].to_string(),
            snippet_first_row: first_line.get(),
            snippet_range: start..start + range.len().to_usize(),
        })
    }
}

fn read(json: &str) -> Result<Notebook, String> {
    Notebook::from_source_code(json).map_err(|error| format!("not a valid notebook: {error}"))
}

/// Lints the notebook whose JSON text is `json`.
pub(crate) fn lint_notebook(
    json: &str,
    path: &Path,
    display_name: &str,
    options: LintOptions,
) -> Vec<Message> {
    let notebook = match read(json) {
        Ok(notebook) => notebook,
        Err(reason) => return vec![crate::io_error_message(display_name, &reason)],
    };
    if !notebook.is_python_notebook() {
        return Vec::new();
    }
    let cells = Cells::of(&notebook);
    let diagnostics = check_text(
        &cells.text,
        path,
        options.rules,
        options.target_version,
        options.project,
    );
    resolve_in_cells(diagnostics, &cells, display_name, options)
}

/// Places each finding in its cell: rows and columns of the cell, labels and fix edits
/// outside the cell dropped.
fn resolve_in_cells(
    mut diagnostics: Vec<Diagnostic>,
    cells: &Cells,
    display_name: &str,
    options: LintOptions,
) -> Vec<Message> {
    apply_severities(&mut diagnostics, options.severities);
    let mut messages = Vec::new();
    for mut diagnostic in diagnostics {
        let Some(cell) = cells.containing(diagnostic.range.start()) else {
            continue;
        };
        let inside = |range: TextRange| cell.range.contains_range(range);
        let shift = |range: TextRange| range - cell.range.start();
        if !inside(diagnostic.range) {
            diagnostic.range = TextRange::empty(diagnostic.range.start());
        }
        diagnostic.range = shift(diagnostic.range);
        diagnostic.secondary = diagnostic
            .secondary
            .into_iter()
            .filter(|label| inside(label.range))
            .map(|label| Label {
                range: shift(label.range),
                ..label
            })
            .collect();
        // Evidence in the same cell is placed in it like the labels; evidence in another cell
        // is shown as a place of that cell.
        let mut evidence_here = false;
        if let Some(evidence) = diagnostic.evidence.as_mut() {
            if let EvidencePlace::Here(range) = evidence.place {
                if inside(range) {
                    evidence.place = EvidencePlace::Here(shift(range));
                    evidence_here = true;
                } else {
                    match cells.place_in_cell(range, display_name) {
                        Some(place) => evidence.place = EvidencePlace::Elsewhere(place),
                        None => diagnostic.evidence = None,
                    }
                }
            }
        }
        if let Some(fix) = diagnostic.fix.as_mut() {
            if fix.edits.iter().all(|edit| inside(edit.range)) {
                fix.edits
                    .iter_mut()
                    .for_each(|edit| edit.range = shift(edit.range));
            } else {
                diagnostic.fix = None;
            }
        }
        let text = &cells.text[cell.range];
        let index = LineIndex::from_source_text(text);
        let name = format!("{display_name}:cell {}", cell.number);
        let view = SourceView {
            name: &name,
            text,
            index: &index,
        };
        let mut message = Message::resolve(&diagnostic, &view);
        message.filename = display_name.to_string();
        message.cell = Some(cell.number);
        if let Some(evidence) = message.evidence.as_mut().filter(|_| evidence_here) {
            evidence.filename = display_name.to_string();
            evidence.cell = Some(cell.number);
        }
        messages.push(message);
    }
    messages
}

/// Applies the fixes `mode` allows to the notebook whose JSON text is `json`, and writes them
/// into the cells' sources in that text.
pub(crate) fn fix_notebook(
    json: &str,
    path: &Path,
    display_name: &str,
    options: LintOptions,
    mode: FixMode,
) -> FixedSource {
    let unchanged = |remaining| FixedSource {
        text: json.to_string(),
        unfixable: Vec::new(),
        fixed_away: Vec::new(),
        remaining,
        applied: Default::default(),
        refused: Vec::new(),
        unsettled: Vec::new(),
    };
    let notebook = match read(json) {
        Ok(notebook) if notebook.is_python_notebook() => notebook,
        _ => return unchanged(lint_notebook(json, path, display_name, options)),
    };
    let cells = Cells::of(&notebook);
    let outcome = fix_until_settled(&cells.text, mode, |source| {
        let mut diagnostics = check_text(
            source,
            path,
            options.rules,
            options.target_version,
            options.project,
        );
        keep_cell_ends(&mut diagnostics, source);
        diagnostics
    });
    let unfixable = resolve_in_cells(outcome.unfixable, &cells, display_name, options);
    let fixed_away = resolve_in_cells(outcome.fixed_away, &cells, display_name, options);

    let fixed_json = if outcome.text == cells.text {
        None
    } else {
        write_cells(json, &cells, &outcome.text)
    };
    let Some(fixed_json) = fixed_json else {
        let mut fixed = unchanged(lint_notebook(json, path, display_name, options));
        fixed.unfixable = unfixable;
        fixed.unsettled = outcome.unsettled;
        fixed.refused = outcome.refused;
        return fixed;
    };
    FixedSource {
        remaining: lint_notebook(&fixed_json, path, display_name, options),
        text: fixed_json,
        unfixable,
        fixed_away,
        applied: outcome.applied,
        refused: outcome.refused,
        unsettled: outcome.unsettled,
    }
}

/// Drops the fixes that would touch a cell's end marker: a fix may change one cell only.
fn keep_cell_ends(diagnostics: &mut [Diagnostic], source: &str) {
    let ends: Vec<TextRange> = source
        .match_indices(CELL_END)
        .map(|(start, marker)| {
            TextRange::at(
                TextSize::try_from(start).unwrap_or_default(),
                TextSize::of(marker),
            )
        })
        .collect();
    for diagnostic in diagnostics {
        let touches_an_end = diagnostic.fix.as_ref().is_some_and(|fix| {
            fix.edits.iter().any(|edit| {
                ends.iter().any(|end| {
                    edit.range.start() < end.end() && end.start() < edit.range.end()
                        || edit.range.start() == end.start()
                })
            })
        });
        if touches_an_end {
            diagnostic.fix = None;
        }
    }
}

/// The notebook's JSON text with the cells' new code from `fixed` (the joined text after
/// fixes) written into the `source` of each cell that changed. `None` when the markers are not
/// all there, or the JSON cannot be read: then nothing is written.
fn write_cells(json: &str, cells: &Cells, fixed: &str) -> Option<String> {
    let pieces: Vec<&str> = fixed.split(CELL_END).collect();
    // Each cell is followed by its marker, so the last piece is what follows the last marker.
    if pieces.len() != cells.cells.len() + 1 || !pieces.last()?.is_empty() {
        return None;
    }
    let sources = cell_sources(json)?;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (cell, piece) in cells.cells.iter().zip(&pieces) {
        if *piece == &cells.text[cell.range] {
            continue;
        }
        let code = match cell.newline_added {
            true => piece.strip_suffix('\n').unwrap_or(piece),
            false => piece,
        };
        let span = sources.get(cell.number - 1)?.clone();
        let value = source_value(&json[span.clone()], code);
        edits.push((span, value));
    }
    let mut written = json.to_string();
    for (span, value) in edits.into_iter().rev() {
        written.replace_range(span, &value);
    }
    Some(written)
}

/// A cell's new `source` value, in the shape of the old one (`old`, its JSON text): a list of
/// lines laid out as the old list was, or a single string.
fn source_value(old: &str, code: &str) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    if old.trim_start().starts_with('"') {
        return quote(code);
    }
    let lines: Vec<String> = code.split_inclusive('\n').map(quote).collect();
    if lines.is_empty() {
        return "[]".to_string();
    }
    // The layout of the old list: the text before its first item and after its last.
    let inner = old.trim()[1..old.trim().len() - 1].to_string();
    let lead = &inner[..inner.len() - inner.trim_start().len()];
    let trail = &inner[inner.trim_end().len()..];
    if lead.is_empty() || inner.trim().is_empty() {
        return format!("[{}]", lines.join(", "));
    }
    format!("[{lead}{}{trail}]", lines.join(&format!(",{lead}")))
}

/// The byte ranges of the `source` value of every cell, in cell order, in a notebook's JSON
/// text (which `ruff_notebook` has already read, so it is valid JSON).
fn cell_sources(json: &str) -> Option<Vec<Range<usize>>> {
    let mut scanner = Scanner { json, at: 0 };
    let mut sources = Vec::new();
    scanner.expect(b'{')?;
    loop {
        scanner.skip_space();
        if scanner.eat(b'}') {
            return None;
        }
        let key = scanner.string()?;
        scanner.expect(b':')?;
        if key == "\"cells\"" {
            scanner.expect(b'[')?;
            loop {
                scanner.skip_space();
                if scanner.eat(b']') {
                    return Some(sources);
                }
                sources.push(scanner.cell_source()?);
                scanner.skip_space();
                scanner.eat(b',');
            }
        }
        scanner.value()?;
        scanner.skip_space();
        scanner.eat(b',');
    }
}

/// Just enough of a JSON reader to find where values are.
struct Scanner<'a> {
    json: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.json.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        self.eat(byte).then_some(())
    }

    /// A string, quotes included.
    fn string(&mut self) -> Option<&'a str> {
        self.skip_space();
        let start = self.at;
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    let json: &'a str = self.json;
                    return json.get(start..self.at);
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips one value and returns its range.
    fn value(&mut self) -> Option<Range<usize>> {
        self.skip_space();
        let start = self.at;
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.at += 1;
                loop {
                    self.skip_space();
                    if self.eat(close) {
                        break;
                    }
                    if open == b'{' {
                        self.string()?;
                        self.expect(b':')?;
                    }
                    self.value()?;
                    self.skip_space();
                    self.eat(b',');
                }
            }
            _ => {
                while self.peek().is_some_and(|byte| {
                    !matches!(byte, b',' | b'}' | b']') && !byte.is_ascii_whitespace()
                }) {
                    self.at += 1;
                }
            }
        }
        Some(start..self.at)
    }

    /// One cell object; the range of its `source` value.
    fn cell_source(&mut self) -> Option<Range<usize>> {
        self.expect(b'{')?;
        let mut source = None;
        loop {
            self.skip_space();
            if self.eat(b'}') {
                return source;
            }
            let key = self.string()?;
            let is_source = key == "\"source\"";
            self.expect(b':')?;
            let range = self.value()?;
            if is_source {
                source = Some(range);
            }
            self.skip_space();
            self.eat(b',');
        }
    }
}
