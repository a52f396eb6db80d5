//! Places in a document as the protocol counts them: lines from 0 and columns in UTF-16 code
//! units (the encoding every client supports), from edgelint's rows and columns (from 1, in
//! characters) or byte offsets.

use edgelint_diagnostics::Location;
use lsp_types::{Position, Range};

/// A document's line starts, to move between offsets, edgelint's locations and positions.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        Lines { text, starts }
    }

    /// The text of line `line` (from 0), without its line break.
    fn line(&self, line: usize) -> &'t str {
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// The byte offset of an edgelint location (row and character column from 1), clamped to
    /// its line.
    pub fn offset(&self, location: Location) -> usize {
        let line = location.row.saturating_sub(1);
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let text = self.line(line);
        let within = text
            .char_indices()
            .nth(location.column.saturating_sub(1))
            .map_or(text.len(), |(index, _)| index);
        start + within
    }

    /// The position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|start| *start <= offset) - 1;
        let start = self.starts[line];
        let prefix = &self.text[start..offset];
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of a position (its column clamped to the line).
    pub fn offset_of(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let mut units = 0;
        for (index, character) in self.line(line).char_indices() {
            if units >= position.character as usize {
                return start + index;
            }
            units += character.len_utf16();
        }
        start + self.line(line).len()
    }

    /// The range between two edgelint locations.
    pub fn range(&self, start: Location, end: Location) -> Range {
        Range::new(
            self.position(self.offset(start)),
            self.position(self.offset(end)),
        )
    }
}

/// The one replacement that turns `old` into `new`: the span between their common prefix and
/// suffix, so that an editor keeps the cursor and the folds around it.
pub fn replacement(old: &str, new: &str) -> (std::ops::Range<usize>, String) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((index, _), _)| index);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    (
        prefix..old.len() - suffix,
        new[prefix..new.len() - suffix].to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let text = "a = 1\nb = \"é😀\" + c\r\nlast";
        let lines = Lines::new(text);
        // `c` is the 12th character of line 2 (from 1), after `😀`, two UTF-16 units.
        let c = lines.offset(Location { row: 2, column: 12 });
        assert_eq!(&text[c..c + 1], "c");
        assert_eq!(lines.position(c), Position::new(1, 12));
        assert_eq!(lines.offset_of(Position::new(1, 12)), c);
        assert_eq!(lines.position(text.len()), Position::new(2, 4));
        // Past the end of a line: its end, before the line break.
        assert_eq!(
            lines.offset_of(Position::new(1, 99)),
            text.find('\r').unwrap()
        );
    }

    #[test]
    fn the_replacement_is_the_changed_span_only() {
        let (range, with) = replacement("x = [a for a in b]\n", "x = (a for a in b)\n");
        assert_eq!((range, with.as_str()), (4..18, "(a for a in b)"));
        let (range, with) = replacement("same", "same");
        assert_eq!((range, with.as_str()), (4..4, ""));
        let (range, with) = replacement("f(é)", "f(é, x)");
        assert_eq!((range, with.as_str()), (4..4, ", x"));
    }
}
