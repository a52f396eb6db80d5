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
