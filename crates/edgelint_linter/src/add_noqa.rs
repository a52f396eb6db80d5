//! `--add-noqa`: writes `# noqa: CODE` at the end of each line with a finding, so that a
//! codebase can adopt edgelint (or a new rule) and fix the findings later.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ruff_python_ast::token::TokenKind;
use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::{Ranged, TextSize};

use crate::noqa;

/// The text with a `# noqa` for `codes_by_row` (one-based rows) added, and how many lines were
/// changed. A line whose end is inside a multi-line string cannot take a comment and is left
/// alone; a line whose `# noqa: ...` lacks a code gets the code appended; a blanket `# noqa`
/// already covers everything. `None` when nothing changes, or when the result would not parse
/// as well as the original.
pub fn add_noqa(
    text: &str,
    path: &Path,
    codes_by_row: &BTreeMap<usize, BTreeSet<&str>>,
) -> Option<(String, usize)> {
    let parsed = edgelint_source::parse(text, path);
    let index = LineIndex::from_source_text(text);
    let tokens = parsed.tokens();
    // Where each new or extended comment goes, with what to insert, in file order.
    let mut insertions: Vec<(TextSize, String)> = Vec::new();
    for (row, codes) in codes_by_row {
        let Some(row) = OneIndexed::new(*row) else {
            continue;
        };
        if row.get() > index.line_count() {
            continue;
        }
        let line_start = index.line_start(row, text);
        let line = &text[usize::from(line_start)..usize::from(index.line_end(row, text))];
        let content = line.trim_end_matches(['\n', '\r']);
        let line_end = line_start + TextSize::of(content);
        let inside_string = tokens.iter().any(|token| {
            matches!(
                token.kind(),
                TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle
            ) && token.start() < line_end
                && token.end() > line_end
        });
        if inside_string {
            continue;
        }
        let comment = tokens.iter().find(|token| {
            token.kind() == TokenKind::Comment
                && token.start() >= line_start
                && token.end() <= line_end
        });
        match comment.map(|token| (token.range(), noqa::line_codes(&text[token.range()]))) {
            // A blanket `# noqa` already covers every code.
            Some((_, Some(None))) => {}
            Some((range, Some(Some(existing)))) => {
                let missing: Vec<&str> = codes
                    .iter()
                    .filter(|code| !existing.iter().any(|known| known == *code))
                    .copied()
                    .collect();
                if !missing.is_empty() {
                    let end = noqa::codes_end(&text[range]).map_or(range.end(), |offset| {
                        range.start() + TextSize::try_from(offset).unwrap_or_default()
                    });
                    insertions.push((end, format!(", {}", missing.join(", "))));
                }
            }
            Some((range, None)) => {
                insertions.push((range.end(), format!("  # noqa: {}", join(codes))));
            }
            None => {
                let at = line_start + TextSize::of(content.trim_end());
                insertions.push((at, format!("  # noqa: {}", join(codes))));
            }
        }
    }
    if insertions.is_empty() {
        return None;
    }
    let mut result = String::with_capacity(text.len() + insertions.len() * 16);
    let mut copied = 0;
    for (at, insertion) in &insertions {
        let at = usize::from(*at);
        result.push_str(&text[copied..at]);
        result.push_str(insertion);
        copied = at;
    }
    result.push_str(&text[copied..]);
    // Never write a file that parses worse than it did.
    let reparsed = edgelint_source::parse(&result, path);
    (reparsed.errors().len() <= parsed.errors().len()).then_some((result, insertions.len()))
}

fn join(codes: &BTreeSet<&str>) -> String {
    codes.iter().copied().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(text: &str, rows: &[(usize, &[&'static str])]) -> Option<String> {
        let codes_by_row = rows
            .iter()
            .map(|(row, codes)| (*row, codes.iter().copied().collect()))
            .collect();
        add_noqa(text, Path::new("app.py"), &codes_by_row).map(|(text, _)| text)
    }

    #[test]
    fn appends_a_comment_after_the_code() {
        let text = "x = 1\ny = sum([x for x in xs])   \nz = 2\n";
        assert_eq!(
            add(text, &[(2, &["EL201"])]).unwrap(),
            "x = 1\ny = sum([x for x in xs])  # noqa: EL201   \nz = 2\n"
        );
    }

    #[test]
    fn extends_an_existing_noqa_and_keeps_its_reason() {
        let text = "y = list(sorted(xs))  # noqa: EL105 -- measured\n";
        assert_eq!(
            add(text, &[(1, &["EL105", "EL101"])]).unwrap(),
            "y = list(sorted(xs))  # noqa: EL105, EL101 -- measured\n"
        );
    }

    #[test]
    fn a_blanket_noqa_needs_nothing() {
        assert_eq!(add("y = f()  # noqa\n", &[(1, &["EL201"])]), None);
    }

    #[test]
    fn another_comment_gets_the_noqa_after_it() {
        assert_eq!(
            add("y = f()  # keep\n", &[(1, &["EL201"])]).unwrap(),
            "y = f()  # keep  # noqa: EL201\n"
        );
    }

    #[test]
    fn a_line_ending_inside_a_multi_line_string_is_left_alone() {
        let text = "x = f(\"\"\"\nsome text\n\"\"\")\n";
        assert_eq!(add(text, &[(1, &["EL201"])]), None);
        assert_eq!(
            add(text, &[(1, &["EL201"]), (3, &["EL101"])]).unwrap(),
            "x = f(\"\"\"\nsome text\n\"\"\")  # noqa: EL101\n"
        );
    }

    #[test]
    fn crlf_line_endings_are_kept() {
        assert_eq!(
            add("a = 1\r\nb = g()\r\n", &[(2, &["EL201"])]).unwrap(),
            "a = 1\r\nb = g()  # noqa: EL201\r\n"
        );
    }
}
