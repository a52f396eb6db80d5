use std::ops::Range;

use codespan_reporting::files::{Error, Files};
use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::TextSize;

/// One source file as the report formats see it: its display name, its text and a line index.
///
/// Lines and columns come from ruff's [`LineIndex`] in every format, so the rustc-style output
/// and the machine formats always agree (it understands `\n`, `\r\n` and a lone `\r`, and counts
/// columns in characters, as editors do).
pub struct SourceView<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl SourceView<'_> {
    /// One-based row and column (in characters) of a byte offset.
    pub fn location(&self, offset: TextSize) -> (usize, usize) {
        let position = self.index.line_column(offset, self.text);
        (position.line.get(), position.column.get())
    }
}

impl<'a> Files<'a> for SourceView<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        let offset = TextSize::try_from(byte_index).map_err(|_| Error::IndexTooLarge {
            given: byte_index,
            max: self.text.len(),
        })?;
        Ok(self.index.line_index(offset).to_zero_indexed())
    }

    /// The column of the `--> file:row:column` line, as every other format has it: codespan's
    /// own count would include a byte order mark on the first line.
    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let offset = TextSize::try_from(byte_index).map_err(|_| Error::IndexTooLarge {
            given: byte_index,
            max: self.text.len(),
        })?;
        Ok(self.location(offset).1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let count = self.index.line_count();
        if line_index > count {
            return Err(Error::LineTooLarge {
                given: line_index,
                max: count,
            });
        }
        if line_index == count {
            // codespan asks for the line after the last one when a span ends at end of file.
            let end = self.text.len();
            return Ok(end..end);
        }
        let range = self
            .index
            .line_range(OneIndexed::from_zero_indexed(line_index), self.text);
        Ok(range.start().to_usize()..range.end().to_usize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let view = SourceView {
                name: "test.py",
                text,
                index: &index,
            };
            let offset = text.find('[').unwrap();
            let rendered = Files::location(&view, (), offset).unwrap();
            let reported = view.location(TextSize::try_from(offset).unwrap());
            assert_eq!(
                (rendered.line_number, rendered.column_number),
                reported,
                "{text:?}"
            );
        }
    }
}
