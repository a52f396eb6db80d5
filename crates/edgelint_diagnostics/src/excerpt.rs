//! The lines of a file that a finding's labels touch, copied out of the source so that the
//! finding can be drawn after the source is gone, and answering codespan's questions about them
//! exactly as the whole file would.

use std::collections::BTreeSet;
use std::ops::Range;

use codespan_reporting::files::Error;
use ruff_source_file::OneIndexed;
use ruff_text_size::TextSize;
use serde::{Deserialize, Serialize};

use crate::SourceView;

/// Some lines of a file, numbered as in the file; offsets into them are offsets into `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    /// The kept lines one after another, each with its line ending.
    text: String,
    /// For each kept line, in file order: its zero-based index in the file and where it starts
    /// in `text`.
    lines: Vec<(usize, usize)>,
    /// How many lines the file has, counting the empty one after a final line ending.
    line_count: usize,
}

impl Excerpt {
    /// The lines of `view` that the byte `ranges` touch, and the line after each range: codespan
    /// draws a lone line between two drawn ones instead of a break. Returns the excerpt and the
    /// ranges moved into it.
    pub(crate) fn of(view: &SourceView, ranges: &[Range<usize>]) -> (Excerpt, Vec<Range<usize>>) {
        let line_count = view.index.line_count();
        let line_of = |offset: usize| {
            let offset = TextSize::try_from(offset).unwrap_or(TextSize::from(u32::MAX));
            view.index.line_index(offset).to_zero_indexed()
        };
        let mut kept = BTreeSet::new();
        for range in ranges {
            let last = line_of(range.end);
            kept.extend(line_of(range.start)..=last);
            if last + 1 < line_count {
                kept.insert(last + 1);
            }
        }
        let mut excerpt = Excerpt {
            text: String::new(),
            lines: Vec::with_capacity(kept.len()),
            line_count,
        };
        // Where each kept line starts in the file, beside where it starts in the excerpt.
        let mut starts_in_file = Vec::with_capacity(kept.len());
        for line in kept {
            let range = view
                .index
                .line_range(OneIndexed::from_zero_indexed(line), view.text);
            starts_in_file.push(range.start().to_usize());
            excerpt.lines.push((line, excerpt.text.len()));
            excerpt.text.push_str(&view.text[range]);
        }
        let moved = ranges
            .iter()
            .map(|range| {
                let shift = |offset: usize| {
                    let kept = starts_in_file.partition_point(|&start| start <= offset) - 1;
                    offset - starts_in_file[kept] + excerpt.lines[kept].1
                };
                shift(range.start)..shift(range.end)
            })
            .collect();
        (excerpt, moved)
    }

    /// The whole lines `text`, the first of them the file's row `first_row` (one-based): the
    /// lines another file's evidence is in.
    pub(crate) fn of_lines(text: &str, first_row: usize) -> Excerpt {
        let first = first_row.saturating_sub(1);
        let mut lines = Vec::new();
        let mut start = 0;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            lines.push((first + index, start));
            start += line.len();
        }
        if lines.is_empty() {
            lines.push((first, 0));
        }
        Excerpt {
            line_count: first + lines.len(),
            text: text.to_string(),
            lines,
        }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The position in `lines` of the kept line that holds `byte_index`.
    fn kept_line_at(&self, byte_index: usize) -> Result<usize, Error> {
        if byte_index > self.text.len() {
            return Err(Error::IndexTooLarge {
                given: byte_index,
                max: self.text.len(),
            });
        }
        Ok(self
            .lines
            .partition_point(|&(_, start)| start <= byte_index)
            .saturating_sub(1))
    }

    /// The zero-based line of the file that holds `byte_index` of the excerpt.
    pub(crate) fn line_index(&self, byte_index: usize) -> Result<usize, Error> {
        let kept = self.kept_line_at(byte_index)?;
        Ok(self.lines.get(kept).map_or(0, |&(line, _)| line))
    }

    /// The one-based column, in characters, of `byte_index`; as in every other format, a byte
    /// order mark at the start of the file is not counted.
    pub(crate) fn column_number(&self, byte_index: usize) -> Result<usize, Error> {
        let kept = self.kept_line_at(byte_index)?;
        let Some(&(line, start)) = self.lines.get(kept) else {
            return Ok(1);
        };
        let before = self.text.get(start..byte_index).unwrap_or_default();
        let mut column = before.chars().count();
        if line == 0 && before.starts_with('\u{feff}') {
            column -= 1;
        }
        Ok(column + 1)
    }

    /// Where the file's line `line_index` is in the excerpt; only kept lines, and the line after
    /// the last one (codespan asks for it when a range ends at the end of the file), have one.
    pub(crate) fn line_range(&self, line_index: usize) -> Result<Range<usize>, Error> {
        if line_index == self.line_count {
            return Ok(self.text.len()..self.text.len());
        }
        let kept = self
            .lines
            .binary_search_by_key(&line_index, |&(line, _)| line)
            .map_err(|_| Error::LineTooLarge {
                given: line_index,
                max: self.line_count,
            })?;
        let start = self.lines[kept].1;
        let end = self
            .lines
            .get(kept + 1)
            .map_or(self.text.len(), |&(_, next)| next);
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use codespan_reporting::files::Files;
    use ruff_source_file::LineIndex;

    use super::*;
    use crate::snippet::{Sources, THIS_FILE};

    fn view<'a>(text: &'a str, index: &'a LineIndex) -> SourceView<'a> {
        SourceView {
            name: "test.py",
            text,
            index,
        }
    }

    #[test]
    fn the_rustc_style_location_is_the_report_location() {
        let texts = [
            "\u{feff}x = sum([1])\n",
            "s = '日本語😀'; x = sum([1])\n",
            "a = 1\r\rx = sum([1])\r",
            "a = 1\r\n\tx = sum([1])\r\n",
        ];
        for text in texts {
            let index = LineIndex::from_source_text(text);
            let view = view(text, &index);
            let offset = text.find('[').unwrap();
            let bracket = offset..offset + 1;
            let (excerpt, moved) = Excerpt::of(&view, std::slice::from_ref(&bracket));
            let sources = Sources {
                this: ("test.py", &excerpt),
                other: None,
            };
            let drawn = Files::location(&sources, THIS_FILE, moved[0].start).unwrap();
            let reported = view.location(TextSize::try_from(offset).unwrap());
            assert_eq!(
                (drawn.line_number, drawn.column_number),
                reported,
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_excerpt_keeps_the_touched_lines_and_the_one_after_each() {
        let text = "zero\none\ntwo\nthree\nfour\nfive\nsix\n";
        let index = LineIndex::from_source_text(text);
        let two = text.find("two").unwrap();
        let five = text.find("five").unwrap();
        let (excerpt, moved) = Excerpt::of(&view(text, &index), &[two..two + 3, five..five + 4]);
        assert_eq!(excerpt.text(), "two\nthree\nfive\nsix\n");
        assert_eq!(&excerpt.text()[moved[0].clone()], "two");
        assert_eq!(&excerpt.text()[moved[1].clone()], "five");
        assert_eq!(excerpt.line_index(moved[1].start).unwrap(), 5);
        assert_eq!(excerpt.line_range(3).unwrap(), 4..10);
        assert!(excerpt.line_range(4).is_err(), "line four was not kept");
        assert_eq!(
            excerpt.line_range(8).unwrap(),
            19..19,
            "the line after the last"
        );
    }
}
