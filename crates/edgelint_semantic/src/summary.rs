//! A module's summary for the modules that import it (see [`crate::project`]): what each of
//! its functions and methods returns, and whether it runs long, from its own text alone.

use std::cell::{Cell, OnceCell};
use std::path::PathBuf;
use std::sync::Arc;

use ruff_python_ast::{Expr, StmtFunctionDef};
use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};

use crate::project::{Evidence, FunctionSummary, Imports, ModuleSummary, Returned};
use crate::provenance::{Origin, Provenance, ValueKind};
use crate::{BindingKind, SemanticModel};

/// The file a summary is made from.
pub struct SummarySource<'s> {
    pub path: PathBuf,
    /// The file as reports name it.
    pub display_path: &'s str,
    pub text: &'s str,
    /// The text's line index, built the first time evidence needs rows and columns.
    pub line_index: &'s OnceCell<LineIndex>,
    pub content_hash: u64,
}

impl SemanticModel<'_> {
    /// Summarizes the module for its importers, from this module alone: what the other
    /// modules of the project say is not asked while it is made, so that a summary is the same
    /// whichever model it is made from and whenever.
    pub fn summarize(&self, source: &SummarySource) -> ModuleSummary {
        self.summarizing.set(true);
        let summary = self.summarize_alone(source);
        self.summarizing.set(false);
        summary
    }

    fn summarize_alone(&self, source: &SummarySource) -> ModuleSummary {
        let mut summary = ModuleSummary {
            path: source.path.clone(),
            content_hash: source.content_hash,
            ..ModuleSummary::default()
        };
        let places = Places {
            source,
            last: Cell::new((0, 1)),
            countable: OnceCell::new(),
        };
        let mut imports = Vec::with_capacity(self.import_bindings.len());
        for (name, binding) in &self.module_scope().current {
            match &self.binding(*binding).kind {
                BindingKind::FunctionDef(function) => {
                    let name = QualifiedFunction(None, name);
                    let summary_of = self.summarize_function(function, name, &places);
                    if summary_of != FunctionSummary::UNKNOWN {
                        summary.functions.insert(name.key(), summary_of);
                    }
                }
                BindingKind::ClassDef(class) => {
                    let Some(scope) = self.scope_of(*class) else {
                        continue;
                    };
                    for (method, binding) in &self.scope(scope).current {
                        if let BindingKind::FunctionDef(function) = &self.binding(*binding).kind {
                            let name = QualifiedFunction(Some(name), method);
                            let summary_of = self.summarize_function(function, name, &places);
                            if summary_of != FunctionSummary::UNKNOWN {
                                summary.functions.insert(name.key(), summary_of);
                            }
                        }
                    }
                }
                BindingKind::Import {
                    qualified_name: Some(target),
                } => imports.push((*name, target.as_str())),
                _ => {}
            }
        }
        summary.imports = Imports::new(imports);
        summary
    }

    fn summarize_function(
        &self,
        function: &StmtFunctionDef,
        name: QualifiedFunction,
        places: &Places,
    ) -> FunctionSummary {
        let returned = self.returned_by(function);
        let returns = match returned {
            Provenance {
                kind,
                big: Some(reason),
                origin,
            } => {
                let evidence = match origin {
                    Some(Origin::Here(range)) => {
                        let message = format!(
                            "`{name}()` returns {}, {}",
                            reason.describe(),
                            reason.origin_phrase()
                        );
                        Some(Arc::new(places.evidence(range, message)))
                    }
                    _ => None,
                };
                Returned::Value {
                    kind,
                    big: Some((reason, evidence)),
                }
            }
            Provenance {
                kind: ValueKind::Unknown,
                ..
            } => match self.returned_call(function) {
                Some(callee) => Returned::Call(callee),
                None => Returned::Unknown,
            },
            Provenance { kind, .. } => Returned::Value { kind, big: None },
        };
        let backpropagated = self.backward_of_returned(function).map(|backward| {
            let message = format!("`{name}()` returns the loss it called `.backward()` on here");
            Arc::new(places.evidence(backward, message))
        });
        let evaluated = self.eval_of_returned(function).map(|eval| {
            let message = format!("`{name}()` returns a model it put in eval mode here");
            Arc::new(places.evidence(eval, message))
        });
        FunctionSummary {
            returns,
            long_running: self.blocks_long(function),
            backpropagated,
            evaluated,
        }
    }

    /// The function whose result every `return` with a value returns, by qualified name: a
    /// call to an imported function (`return load(path)`), directly or through a local name
    /// bound once (`frames = load(path); return frames`).
    fn returned_call(&self, function: &StmtFunctionDef) -> Option<String> {
        let scope = self.scope_of(function)?;
        let mut callees = self.returns_of(scope).iter().filter_map(|ret| {
            let value = ret.value.as_deref()?;
            Some(self.called_by(value))
        });
        let first = callees.next()??;
        callees
            .all(|callee| callee.as_ref() == Some(&first))
            .then_some(first)
    }

    fn called_by(&self, value: &Expr) -> Option<String> {
        let value = match value {
            Expr::Name(name) => match self.binding(self.binding_of(name)?).kind {
                BindingKind::Assignment { value: Some(value) } => value,
                _ => return None,
            },
            _ => value,
        };
        let Expr::Call(call) = value else {
            return None;
        };
        let callee = self.resolve(&call.func)?;
        (callee.builtin().is_none()).then(|| callee.as_str().to_string())
    }
}

/// A function's name in its module (`load`, or `Reader.load` for a method), spelled out only
/// when a summary keeps it: most functions' summaries say nothing and are dropped.
#[derive(Copy, Clone)]
struct QualifiedFunction<'n>(Option<&'n str>, &'n str);

impl QualifiedFunction<'_> {
    /// The name as the summary keeps it, made in one allocation: formatted, it grew a piece at
    /// a time (a summary keeps thousands of methods' names on the benchmark's real tree).
    fn key(self) -> String {
        match self.0 {
            Some(class) => [class, ".", self.1].concat(),
            None => self.1.to_string(),
        }
    }
}

impl std::fmt::Display for QualifiedFunction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(class) => write!(f, "{class}.{}", self.1),
            None => f.write_str(self.1),
        }
    }
}

/// The places a summary names in its file, each counted from the one before (they come in
/// about the order of the text), so that a module's places take one pass over its text. The
/// line index, which costs several passes, is built only for a text with carriage returns,
/// which may end lines on their own; most modules' is never built (a file with findings builds
/// it for their messages).
struct Places<'p, 's> {
    source: &'p SummarySource<'s>,
    /// The start of the last place counted, and its row.
    last: Cell<(usize, usize)>,
    /// Whether the text's lines all end with `\n`, asked the first time.
    countable: OnceCell<bool>,
}

impl Places<'_, '_> {
    /// The place `range` of the summarized file, with its lines, for reports about other files.
    fn evidence(&self, range: TextRange, message: String) -> Evidence {
        let source = self.source;
        let countable = *self
            .countable
            .get_or_init(|| memchr::memchr(b'\r', source.text.as_bytes()).is_none());
        let place = match source.line_index.get() {
            None if countable => {
                let place = Place::counted(source.text, range, self.last.get());
                self.last.set((range.start().to_usize(), place.first_row));
                place
            }
            _ => {
                let index = source
                    .line_index
                    .get_or_init(|| LineIndex::from_source_text(source.text));
                Place::indexed(index, source.text, range)
            }
        };
        let start = (range.start() - place.lines.start()).to_usize();
        Evidence {
            path: source.display_path.to_string(),
            start: place.start,
            end: place.end,
            snippet: source.text[place.lines].to_string(),
            snippet_first_row: place.first_row,
            snippet_range: start..start + range.len().to_usize(),
            message,
        }
    }
}

/// Where a range of a text is: the one-based row and column (in characters) of its start and
/// end, and the whole lines that hold it, their line breaks included.
#[derive(Debug, PartialEq, Eq)]
struct Place {
    start: (usize, usize),
    end: (usize, usize),
    first_row: usize,
    lines: TextRange,
}

impl Place {
    fn indexed(index: &LineIndex, text: &str, range: TextRange) -> Place {
        let position = |offset| {
            let location = index.line_column(offset, text);
            (location.line.get(), location.column.get())
        };
        let first_line = index.line_index(range.start());
        let last_line = index.line_index(range.end());
        Place {
            start: position(range.start()),
            end: position(range.end()),
            first_row: first_line.get(),
            lines: TextRange::new(
                index.line_start(first_line, text),
                index.line_end(last_line, text),
            ),
        }
    }

    /// The same as [`Place::indexed`], for a text whose lines all end with `\n`, its rows
    /// counted from `from` (an offset and its row) rather than looked up in a line index: most
    /// summaries name one place in their module, and indexing every line of the module for it
    /// took about a quarter of the time summaries take.
    fn counted(text: &str, range: TextRange, from: (usize, usize)) -> Place {
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        let (from, from_row) = from;
        let newlines = |part: &[u8]| memchr::memchr_iter(b'\n', part).count();
        let bytes = text.as_bytes();
        let first_row = if from <= start {
            from_row + newlines(&bytes[from..start])
        } else {
            from_row - newlines(&bytes[start..from])
        };
        let last_row = first_row + newlines(&bytes[start..end]);
        let line_start = |offset: usize| {
            memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |newline| newline + 1)
        };
        let column = |row: usize, offset: usize| {
            let characters = text[line_start(offset)..offset].chars().count();
            // A byte order mark is no column of the first line.
            let mark = usize::from(row == 1 && text.starts_with('\u{feff}'));
            1 + characters.saturating_sub(mark)
        };
        let lines_end =
            memchr::memchr(b'\n', &bytes[end..]).map_or(text.len(), |newline| end + newline + 1);
        Place {
            start: (first_row, column(first_row, start)),
            end: (last_row, column(last_row, end)),
            first_row,
            // Offsets within a text whose length is a `TextSize`.
            lines: TextRange::new(
                TextSize::new(line_start(start) as u32),
                TextSize::new(lines_end as u32),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, OnceCell};
    use std::path::PathBuf;

    use ruff_source_file::LineIndex;
    use ruff_text_size::{TextRange, TextSize};

    use super::{Place, Places, SummarySource};

    /// Every range of each text is placed as the line index places it.
    #[test]
    fn evidence_places_counted_as_the_line_index_places_them() {
        let texts = [
            "",
            "x",
            "a = 1\nb = load(path)\n",
            "\n\nfirst\n\nlast without a newline",
            "\u{feff}data = read()\nrest\n",
            "name = 'é'\nvalue = \"naïve → ok\"\n  end\n",
        ];
        for text in texts {
            let index = LineIndex::from_source_text(text);
            let offsets: Vec<TextSize> = text
                .char_indices()
                .map(|(offset, _)| TextSize::try_from(offset).unwrap())
                .chain([TextSize::try_from(text.len()).unwrap()])
                .collect();
            // Counted from the start of the text, and from every offset before and after.
            for (i, &start) in offsets.iter().enumerate() {
                for &end in &offsets[i..] {
                    let range = TextRange::new(start, end);
                    let indexed = Place::indexed(&index, text, range);
                    for &from in &offsets {
                        let row = index.line_index(from).get();
                        assert_eq!(
                            Place::counted(text, range, (from.to_usize(), row)),
                            indexed,
                            "{text:?} {range:?} from {from:?}"
                        );
                    }
                }
            }
        }
    }

    /// A summary's places, in any order, are placed as the line index places them, and a text
    /// with carriage returns (which may end a line on their own) by the line index itself.
    #[test]
    fn evidence_places_in_any_order_are_counted_from_the_last() {
        for text in [
            "a = 1\nb = 2\n\nc = load()\n",
            "a = 1\r\nb = 2\rc = load()\r\n",
        ] {
            let line_index = OnceCell::new();
            let source = SummarySource {
                path: PathBuf::from("m.py"),
                display_path: "m.py",
                text,
                line_index: &line_index,
                content_hash: 0,
            };
            let places = Places {
                source: &source,
                last: Cell::new((0, 1)),
                countable: OnceCell::new(),
            };
            let index = LineIndex::from_source_text(text);
            let length = text.len() as u32;
            for (start, end) in [(14, 18), (0, 1), (length - 3, length), (6, 7), (6, 18)] {
                let range = TextRange::new(TextSize::new(start), TextSize::new(end));
                let place = Place::indexed(&index, text, range);
                let evidence = places.evidence(range, String::new());
                assert_eq!(
                    (evidence.start, evidence.end, evidence.snippet_first_row),
                    (place.start, place.end, place.first_row),
                    "{text:?} {range:?}"
                );
                assert_eq!(evidence.snippet, text[place.lines]);
            }
            assert_eq!(line_index.get().is_some(), text.contains('\r'));
        }
    }
}
