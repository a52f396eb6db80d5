use ruff_source_file::LineIndex;
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
