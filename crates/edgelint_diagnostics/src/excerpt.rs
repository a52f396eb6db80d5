//! The lines of a file that a finding's labels touch, copied out of the source so that the
//! finding can be drawn after the source is gone, and answering codespan's questions about them
//! exactly as the whole file would.

use std::collections::BTreeSet;
use std::ops::Range;

use codespan_reporting::files::Error;
use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::TextSize;
use serde::{Deserialize, Serialize};

use crate::SourceView;

/// A line longer than this many bytes is kept only around the places drawn on it: a generated
/// or minified line of 100,000 characters is no picture, and 20,000 syntax errors on one such
/// line kept a copy of it each (5 GB).
const LONG_LINE: usize = 1000;
/// How many bytes of a long line are kept before and after the places drawn on it.
const CONTEXT: usize = 120;
/// What stands for the part of a long line left out.
const ELLIPSIS: &str = "...";

/// Some lines of a file, numbered as in the file; offsets into them are offsets into `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    /// The kept lines one after another, each with its line ending; a long line only around
    /// the places drawn on it, with `...` for what is left out.
    text: String,
    /// For each kept line, in file order: its zero-based index in the file and where it starts
    /// in `text`.
    lines: Vec<(usize, usize)>,
    /// How many lines the file has, counting the empty one after a final line ending.
    line_count: usize,
    /// Where each part of a long line kept after a `...` starts in `text`, and how many more
    /// characters the file's line has before it than the excerpt's line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    shifted: Vec<(usize, usize)>,
}

/// A part of a line an excerpt keeps: where it is in the file, where in the excerpt, and where
/// a character shown otherwise made it longer (see [`push_shown`]).
struct KeptPart {
    in_file: Range<usize>,
    in_excerpt: usize,
    grown: Vec<(usize, usize)>,
}

/// The parts of one line an excerpt keeps, as ranges of the file in order: the whole line
/// when it is short; else `CONTEXT` bytes around each place drawn on it (places closer than
/// that share a part), `...` standing for each stretch between or around them.
fn kept_parts(text: &str, line: Range<usize>, points: &[usize]) -> Vec<Range<usize>> {
    let content_end = line.end - line_ending(&text[line.clone()]);
    if content_end - line.start <= LONG_LINE {
        return vec![line];
    }
    let mut here: Vec<usize> = points
        .iter()
        .map(|&point| point.min(content_end))
        .filter(|point| (line.start..=content_end).contains(point))
        .collect();
    if here.is_empty() {
        here.push(line.start); // a line drawn between others, or after the last
    }
    here.sort_unstable();
    let mut parts: Vec<Range<usize>> = Vec::new();
    for point in here {
        let mut lo = point.saturating_sub(CONTEXT).max(line.start);
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (point + CONTEXT).min(content_end);
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        match parts.last_mut() {
            // A stretch no longer than the context is kept: `...` would save nothing.
            Some(last) if lo <= last.end + CONTEXT => last.end = hi,
            _ => parts.push(lo..hi),
        }
    }
    // The same near the ends of the line.
    if parts[0].start <= line.start + CONTEXT {
        parts[0].start = line.start;
    }
    let last = parts.len() - 1;
    if parts[last].end + CONTEXT >= content_end {
        parts[last].end = line.end;
    }
    parts
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
            shifted: Vec::new(),
        };
        let points: Vec<usize> = ranges
            .iter()
            .flat_map(|range| [range.start, range.end])
            .collect();
        let has_bom = view.text.starts_with('\u{feff}');
        let mut kept_parts_at: Vec<KeptPart> = Vec::with_capacity(kept.len());
        for line in kept {
            let range = view
                .index
                .line_range(OneIndexed::from_zero_indexed(line), view.text)
                .to_std_range();
            let line_start_in_excerpt = excerpt.text.len();
            excerpt.lines.push((line, line_start_in_excerpt));
            let parts = kept_parts(view.text, range.clone(), &points);
            for part in &parts {
                if part.start > range.start {
                    excerpt.text.push_str(ELLIPSIS);
                    // Columns count the characters of the file's line before the part.
                    let in_file = view.text[range.start..part.start].chars().count();
                    let in_excerpt = excerpt.text[line_start_in_excerpt..].chars().count();
                    // A byte order mark is no column: left out with the line's start, it is
                    // not among the characters the excerpt does not count.
                    let bom = usize::from(
                        line == 0
                            && has_bom
                            && !excerpt.text[line_start_in_excerpt..].starts_with('\u{feff}'),
                    );
                    excerpt
                        .shifted
                        .push((excerpt.text.len(), in_file - in_excerpt - bom));
                }
                let in_excerpt = excerpt.text.len();
                let grown = push_shown(&mut excerpt.text, &view.text[part.clone()], part.start);
                kept_parts_at.push(KeptPart {
                    in_file: part.clone(),
                    in_excerpt,
                    grown,
                });
            }
            if parts.last().is_some_and(|part| part.end < range.end) {
                excerpt.text.push_str(ELLIPSIS);
                let ending = line_ending(&view.text[range.clone()]);
                excerpt
                    .text
                    .push_str(&view.text[range.end - ending..range.end]);
            }
        }
        let moved = ranges
            .iter()
            .map(|range| {
                let shift = |offset: usize| {
                    let at = kept_parts_at.partition_point(|kept| kept.in_file.start <= offset);
                    let KeptPart {
                        in_file,
                        in_excerpt,
                        grown,
                    } = &kept_parts_at[at - 1];
                    let offset = offset.clamp(in_file.start, in_file.end);
                    let longer = grown.partition_point(|&(end, _)| end <= offset);
                    let longer = longer.checked_sub(1).map_or(0, |last| grown[last].1);
                    offset - in_file.start + in_excerpt + longer
                };
                shift(range.start)..shift(range.end)
            })
            .collect();
        (excerpt, moved)
    }

    /// The whole lines `text`, the first of them the file's row `first_row` (one-based), that
    /// hold `range`: the lines another file's evidence is in, kept as [`Excerpt::of`] keeps a
    /// file's (a long line only around the range). Returns the excerpt and the range moved
    /// into it.
    pub(crate) fn of_lines(
        text: &str,
        first_row: usize,
        range: Range<usize>,
    ) -> (Excerpt, Range<usize>) {
        let index = LineIndex::from_source_text(text);
        let view = SourceView {
            name: "",
            text,
            index: &index,
        };
        let (mut excerpt, moved) = Excerpt::of(&view, &[range]);
        let first = first_row.saturating_sub(1);
        for (line, _) in &mut excerpt.lines {
            *line += first;
        }
        excerpt.line_count += first;
        (excerpt, moved.into_iter().next().unwrap_or_default())
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
        // Past a `...` of a long line, the characters it stands for.
        let shifted = self.shifted.partition_point(|&(at, _)| at <= byte_index);
        if let Some(&(at, more)) = shifted.checked_sub(1).map(|last| &self.shifted[last]) {
            if at > start {
                column += more;
            }
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

/// Appends `part` (which starts at `start` in the file) to `text` as a drawing shows it: a
/// character a terminal would act on or draw as nothing is shown as rustc shows it, a control
/// character as its picture (`␛` for escape) and a bidirectional control or separator as `�`, so
/// that a file can neither send the terminal escape codes nor shift the carets. Returns, for
/// each such character, where it ends in the file and how many bytes longer the excerpt's part is
/// from there on.
fn push_shown(text: &mut String, part: &str, start: usize) -> Vec<(usize, usize)> {
    let mut grown = Vec::new();
    let mut longer = 0;
    let mut copied = 0;
    for (at, character) in part.char_indices() {
        let Some(shown) = shown_as(character) else {
            continue;
        };
        text.push_str(&part[copied..at]);
        text.push(shown);
        copied = at + character.len_utf8();
        longer += shown.len_utf8() - character.len_utf8();
        grown.push((start + copied, longer));
    }
    text.push_str(&part[copied..]);
    grown
}

/// What a drawing shows for `character`, when not itself (see [`push_shown`]). Tabs and line
/// endings are drawn as they are; a byte order mark is counted apart.
fn shown_as(character: char) -> Option<char> {
    match character {
        '\t' | '\n' | '\r' => None,
        '\0'..='\x1f' => char::from_u32(0x2400 + u32::from(character)),
        '\x7f' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// `text`, a message or a file's name, as the formats for people print it: the characters a
/// terminal would act on drawn as a source line's are (see [`push_shown`]), and line breaks
/// too, as their pictures: a message is one line, and quotes code (`list(sorted(b))`) or
/// names files that may hold anything.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let shown = |character| match character {
        '\n' | '\r' => char::from_u32(0x2400 + u32::from(character)),
        other => shown_as(other),
    };
    if !text.chars().any(|character| shown(character).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|character| shown(character).unwrap_or(character))
            .collect(),
    )
}

/// [`printable`] for text the caller owns: unchanged text is handed back, not copied.
pub(crate) fn printable_owned(text: String) -> String {
    match printable(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

/// The length of the line ending `line` ends with: `\r\n`, `\n`, `\r` or none.
fn line_ending(line: &str) -> usize {
    line.len() - line.trim_end_matches(['\n', '\r']).len()
}

#[cfg(test)]
mod tests {
    use codespan_reporting::files::Files;

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
        // A long line is kept around the place only: its column is still the file's.
        let long = |before: &str, after: &str| {
            format!(
                "{}x = sum([1]){}\r\n",
                before.repeat(400),
                after.repeat(400)
            )
        };
        let texts = [
            "\u{feff}x = sum([1])\n".to_string(),
            "s = '日本語😀'; x = sum([1])\n".to_string(),
            "a = 1\r\rx = sum([1])\r".to_string(),
            "a = 1\r\n\tx = sum([1])\r\n".to_string(),
            long("a + ", " + b"),
            long("'日本語😀' ", " '日本語'"),
            format!("\u{feff}{}", long("a + ", "")),
            long("", " + b"),
        ];
        for text in &texts {
            let excerpt = excerpt_at(text, text.find('[').unwrap());
            assert!(excerpt.text().len() < 600, "{}", excerpt.text());
        }
    }

    /// The excerpt that draws the character at `offset` of `text`, checked to draw that
    /// character where every other format places it.
    fn excerpt_at(text: &str, offset: usize) -> Excerpt {
        let index = LineIndex::from_source_text(text);
        let view = view(text, &index);
        let place = offset..offset + 1;
        let (excerpt, moved) = Excerpt::of(&view, std::slice::from_ref(&place));
        assert_eq!(excerpt.text()[moved[0].clone()], text[place], "{text:?}");
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
        excerpt
    }

    #[test]
    fn messages_and_names_print_controls_and_line_breaks_as_pictures() {
        assert!(matches!(
            printable("plain `code`\tü"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            printable("evil\x1b[31m.py: a\nb\rc \u{202e}d\x7f"),
            "evil\u{241b}[31m.py: a\u{240a}b\u{240d}c \u{fffd}d\u{2421}"
        );
    }

    #[test]
    fn characters_a_terminal_acts_on_are_drawn_as_pictures() {
        // An escape sequence that clears the screen, a backspace, a form feed, a right-to-left
        // override and a C1 control before the place, and after it, on a short and a long line.
        let controls = "\x1b[2J\x08\x0c\u{202e}\u{85}";
        let texts = [
            format!("q = \"{controls}\"; y = sum([a])\n"),
            format!(
                "q = \"{controls}\"; y = sum([a]){}{controls}\n",
                " ".repeat(1200)
            ),
            format!("{} q = \"{controls}\"; y = sum([a])\n", "x".repeat(1200)),
        ];
        for text in &texts {
            // The `[` of `sum([a])`, after the controls.
            let excerpt = excerpt_at(text, text.find("([").unwrap() + 1);
            assert!(excerpt
                .text()
                .contains("\u{241b}[2J\u{2408}\u{240c}\u{fffd}\u{fffd}"));
            let shown_as_nothing = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
            assert!(
                !excerpt.text().chars().any(shown_as_nothing),
                "{:?}",
                excerpt.text()
            );
            assert!(!excerpt.text().contains('\u{202e}'));
        }
    }

    #[test]
    fn a_long_line_is_kept_around_the_places_drawn_on_it() {
        let text = format!(
            "{}[]{}\n{}\n",
            "a".repeat(2000),
            "b".repeat(2000),
            "c".repeat(3000)
        );
        let index = LineIndex::from_source_text(&text);
        let bracket = 2000..2002;
        let (excerpt, moved) = Excerpt::of(&view(&text, &index), std::slice::from_ref(&bracket));
        let kept = format!("...{}[]{}...\n", "a".repeat(CONTEXT), "b".repeat(CONTEXT));
        // The next line, drawn after it, is kept from its start.
        let next = format!("{}...\n", "c".repeat(CONTEXT));
        assert_eq!(excerpt.text(), format!("{kept}{next}"));
        assert_eq!(&excerpt.text()[moved[0].clone()], "[]");
        assert_eq!(excerpt.column_number(moved[0].start).unwrap(), 2001);
        // Places far apart on one line are each kept, with `...` between; a line's ends are kept
        // when a place is near them.
        let (excerpt, moved) = Excerpt::of(&view(&text, &index), &[1..2, 4001..4002]);
        let first = format!(
            "{}...{}\n",
            "a".repeat(CONTEXT + 2),
            "b".repeat(CONTEXT + 1)
        );
        assert!(excerpt.text().starts_with(&first), "{}", excerpt.text());
        assert_eq!(excerpt.column_number(moved[1].start).unwrap(), 4002);
        assert_eq!(&excerpt.text()[moved[1].clone()], "b");
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
