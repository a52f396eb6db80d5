//! Suppression comments: `# noqa` and `# noqa: EL201, EL204` on the flagged line, and
//! `# edgelint: noqa` / `# edgelint: noqa: EL201` anywhere for the whole file. Codes are
//! case-insensitive; text after the codes is a reason and is ignored.

use std::collections::HashMap;

use edgelint_diagnostics::Diagnostic;
use ruff_python_ast::token::{TokenAt, TokenKind, Tokens};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// What one comment exempts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Exemption {
    All,
    /// Upper-case codes.
    Codes(Vec<String>),
}

impl Exemption {
    fn covers(&self, code: &str) -> bool {
        match self {
            Exemption::All => true,
            Exemption::Codes(codes) => codes.iter().any(|exempt| exempt == code),
        }
    }

    fn merge(&mut self, other: Exemption) {
        match (&mut *self, other) {
            (Exemption::All, _) => {}
            (_, Exemption::All) => *self = Exemption::All,
            (Exemption::Codes(codes), Exemption::Codes(more)) => codes.extend(more),
        }
    }
}

/// A `# noqa: CODES` comment.
#[derive(Debug)]
pub struct Directive {
    /// Where its line starts (see [`line_start`]).
    pub line: TextSize,
    /// The comment.
    pub range: TextRange,
    /// Upper-case codes, of any tool.
    pub codes: Vec<String>,
}

impl Directive {
    /// The codes that name (or claim to name) an edgelint rule: those EL003 answers for.
    pub fn our_codes(&self) -> impl Iterator<Item = &String> {
        self.codes.iter().filter(|code| code.starts_with("EL"))
    }
}

/// Every suppression comment of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    file: Option<Exemption>,
    /// By where the line starts (see [`line_start`]).
    lines: HashMap<TextSize, Exemption>,
    directives: Vec<Directive>,
}

impl Suppressions {
    /// The suppressions in `source`'s comments.
    pub fn from_tokens(tokens: &Tokens, source: &str) -> Self {
        let mut suppressions = Suppressions::default();
        // Every directive says `noqa`: only the comments that do are read, found from where the
        // word is rather than by going through every token (ten a line; most files hold no
        // such word at all).
        let mut last_comment = None;
        for word in noqa_words(source) {
            let TokenAt::Single(token) = tokens.at_offset(word) else {
                continue;
            };
            if token.kind() != TokenKind::Comment || last_comment == Some(token.range()) {
                continue;
            }
            last_comment = Some(token.range());
            let comment = &source[token.range()];
            if let Some(exemption) = parse_file_exemption(comment) {
                merge(&mut suppressions.file, exemption);
            } else if let Some(exemption) = parse_line_exemption(comment) {
                let line = line_start(source, token.start());
                if let Exemption::Codes(codes) = &exemption {
                    suppressions.directives.push(Directive {
                        line,
                        range: token.range(),
                        codes: codes.clone(),
                    });
                }
                suppressions
                    .lines
                    .entry(line)
                    .and_modify(|existing| existing.merge(exemption.clone()))
                    .or_insert(exemption);
            }
        }
        suppressions
    }

    /// Whether a `# noqa: CODES` comment names an edgelint code: only those can be reported
    /// unused (EL003), and so only then do the findings they may cover matter.
    pub fn names_our_codes(&self) -> bool {
        self.directives
            .iter()
            .any(|directive| directive.our_codes().next().is_some())
    }

    /// The `# noqa: CODES` comments, in file order.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// Whether a comment on the diagnostic's first line, or a file-wide one, covers its code.
    pub fn suppresses(&self, diagnostic: &Diagnostic, source: &str) -> bool {
        if self
            .file
            .as_ref()
            .is_some_and(|file| file.covers(diagnostic.code))
        {
            return true;
        }
        if self.lines.is_empty() {
            return false;
        }
        self.lines
            .get(&line_start(source, diagnostic.range.start()))
            .is_some_and(|exemption| exemption.covers(diagnostic.code))
    }
}

/// Where the line holding `offset` starts: a line, told without numbering the file's lines
/// (a `noqa` comment and the findings it covers need only be matched). Lines end as the line
/// index ends them, at `\n`, `\r\n` or a lone `\r`.
pub fn line_start(source: &str, offset: TextSize) -> TextSize {
    let before = &source.as_bytes()[..offset.to_usize()];
    memchr::memrchr2(b'\n', b'\r', before).map_or(TextSize::default(), |end| {
        TextSize::try_from(end + 1).unwrap_or(offset)
    })
}

fn merge(slot: &mut Option<Exemption>, exemption: Exemption) {
    match slot {
        Some(existing) => existing.merge(exemption),
        None => *slot = Some(exemption),
    }
}

/// Where `source` says `noqa`, in any case, in order: each directive does.
fn noqa_words(source: &str) -> impl Iterator<Item = TextSize> + '_ {
    let bytes = source.as_bytes();
    memchr::memchr2_iter(b'q', b'Q', bytes).filter_map(|at| {
        let start = at.checked_sub(2)?;
        let word = bytes.get(start..start + 4)?;
        // Offsets within a source whose length is a `TextSize`.
        word.eq_ignore_ascii_case(b"noqa")
            .then(|| TextSize::new(start as u32))
    })
}

/// `# edgelint: noqa` or `# edgelint: noqa: CODES`, as the whole comment.
fn parse_file_exemption(comment: &str) -> Option<Exemption> {
    let rest = comment.strip_prefix('#')?.trim_start();
    let rest = strip_prefix_ignore_case(rest, "edgelint:")?.trim_start();
    parse_noqa(rest)
}

/// A `noqa` directive anywhere in a comment, after a `#`: `# noqa`, `# type: ignore # noqa: X`.
fn parse_line_exemption(comment: &str) -> Option<Exemption> {
    comment
        .match_indices('#')
        .find_map(|(position, _)| parse_noqa(comment[position + 1..].trim_start()))
}

/// For `--add-noqa`: `None` when the comment holds no `noqa` directive, `Some(None)` for a
/// blanket `# noqa`, and `Some(Some(codes))` (upper-case) for `# noqa: CODES`.
pub(crate) fn line_codes(comment: &str) -> Option<Option<Vec<String>>> {
    match parse_line_exemption(comment)? {
        Exemption::All => Some(None),
        Exemption::Codes(codes) => Some(Some(codes)),
    }
}

/// For `--add-noqa`: the offset in the comment just after the last code of its `noqa: CODES`
/// list, where more codes go (before any reason that follows).
pub(crate) fn codes_end(comment: &str) -> Option<usize> {
    let (position, _) = comment
        .match_indices('#')
        .find(|(position, _)| parse_noqa(comment[position + 1..].trim_start()).is_some())?;
    let colon = position + comment[position..].find(':')?;
    let mut end = None;
    let mut offset = colon + 1;
    for word in comment[colon + 1..].split_inclusive(|c: char| c == ',' || c.is_whitespace()) {
        let trimmed = word.trim_end_matches(|c: char| c == ',' || c.is_whitespace());
        if !trimmed.is_empty() {
            if !is_code(trimmed) {
                break;
            }
            end = Some(offset + trimmed.len());
        }
        offset += word.len();
    }
    end
}

/// For the `unused-noqa` fix: the comment without the codes in `stale` (upper case). When no
/// code is left, the `# noqa: ...` directive goes, with the reason after it; a comment after
/// it (`# type: ignore`) and one before it stay. An empty result means the whole comment goes.
pub(crate) fn without_codes(comment: &str, stale: &[&str]) -> Option<String> {
    let (position, _) = comment
        .match_indices('#')
        .find(|(position, _)| parse_noqa(comment[position + 1..].trim_start()).is_some())?;
    let colon = position + comment[position..].find(':')?;
    let end = codes_end(comment)?;
    let kept: Vec<&str> = comment[colon + 1..end]
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|code| !code.is_empty() && !stale.contains(&code.to_ascii_uppercase().as_str()))
        .collect();
    if !kept.is_empty() {
        return Some(format!(
            "{} {}{}",
            &comment[..=colon],
            kept.join(", "),
            &comment[end..]
        ));
    }
    let before = comment[..position].trim_end();
    let after = comment[end..].trim_start();
    let next_comment = after.find('#').map(|start| &after[start..]);
    Some(match (before.is_empty(), next_comment) {
        (_, None) => before.to_string(),
        (true, Some(next)) => next.to_string(),
        (false, Some(next)) => format!("{before}  {next}"),
    })
}

/// `noqa`, optionally followed by `:` and a list of codes separated by commas or spaces.
fn parse_noqa(text: &str) -> Option<Exemption> {
    let rest = strip_prefix_ignore_case(text, "noqa")?;
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return None; // `noqa123`, `noqa-like`: another word.
    }
    let Some(list) = rest.trim_start().strip_prefix(':') else {
        return Some(Exemption::All);
    };
    let codes: Vec<String> = list
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .map_while(|word| is_code(word).then(|| word.to_ascii_uppercase()))
        .collect();
    Some(if codes.is_empty() {
        Exemption::All
    } else {
        Exemption::Codes(codes)
    })
}

/// A rule code of any tool: letters then digits (`EL201`, `E501`, `PERF401`).
fn is_code(word: &str) -> bool {
    let digits = word.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    digits.len() < word.len() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Exemption {
        Exemption::Codes(list.iter().map(|code| code.to_string()).collect())
    }

    #[test]
    fn blanket_noqa() {
        assert_eq!(parse_line_exemption("# noqa"), Some(Exemption::All));
        assert_eq!(parse_line_exemption("#NOQA"), Some(Exemption::All));
        assert_eq!(
            parse_line_exemption("# noqa  because reasons"),
            Some(Exemption::All)
        );
    }

    #[test]
    fn noqa_with_codes_and_a_reason() {
        assert_eq!(
            parse_line_exemption("# noqa: EL201"),
            Some(codes(&["EL201"]))
        );
        assert_eq!(
            parse_line_exemption("# noqa:el201,EL204  the list is tiny"),
            Some(codes(&["EL201", "EL204"]))
        );
        assert_eq!(
            parse_line_exemption("# type: ignore  # noqa: E501 EL201"),
            Some(codes(&["E501", "EL201"]))
        );
    }

    #[test]
    fn only_a_noqa_comment_naming_an_edgelint_code_names_ours() {
        let names_ours = |source: &str| {
            let parsed = ruff_python_parser::parse_module(source).expect("the source parses");
            Suppressions::from_tokens(parsed.tokens(), source).names_our_codes()
        };
        assert!(names_ours("x = f()  # noqa: E501, el201\n"));
        assert!(!names_ours("x = f()  # noqa: E501\n"));
        assert!(!names_ours("x = f()  # noqa\n"));
        // A file-wide exemption is never reported unused.
        assert!(!names_ours("# edgelint: noqa: EL201\nx = 1\n"));
    }

    #[test]
    fn a_line_starts_after_any_line_ending() {
        let start = |source: &str, offset: u32| line_start(source, TextSize::new(offset)).to_u32();
        assert_eq!(start("x = 1  # noqa\n", 7), 0);
        assert_eq!(start("a\nb  # noqa", 2), 2);
        assert_eq!(start("a\r\nb  # noqa", 3), 3);
        assert_eq!(start("a\rb  # noqa", 2), 2);
        assert_eq!(start("a\n\nbc  # noqa", 5), 3);
    }

    #[test]
    fn a_file_without_the_word_noqa_is_not_read_for_directives() {
        let words = |source| noqa_words(source).map(u32::from).collect::<Vec<_>>();
        assert_eq!(words("x = 1  # NoQa"), [9]);
        assert_eq!(words("noqa"), [0]);
        assert_eq!(words("a  # noqa: EL101 # NOQA"), [5, 19]);
        assert!(words("queue = q  # no qa, sqrt").is_empty());
        assert!(words("qa").is_empty());
    }

    /// Found from where the word is: a comment that says it twice is one directive, and the
    /// word in a string is none.
    #[test]
    fn directives_are_the_comments_that_say_noqa() {
        let source = "s = '# noqa: EL101'\nx = s  # noqa: EL102 # NOQA: EL103\ny = 1  # NoQA\n";
        let parsed = ruff_python_parser::parse_module(source).expect("the source parses");
        let suppressions = Suppressions::from_tokens(parsed.tokens(), source);
        let directives: Vec<(u32, &str)> = suppressions
            .directives()
            .iter()
            .map(|directive| (directive.line.to_u32(), &source[directive.range]))
            .collect();
        let line = |text: &str| source.find(text).expect("in the source") as u32;
        assert_eq!(
            directives,
            [(line("x = s"), "# noqa: EL102 # NOQA: EL103")],
            "a bare `# NoQA` is no directive with codes"
        );
        let lines: Vec<u32> = suppressions
            .lines
            .keys()
            .map(|line| line.to_u32())
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines.contains(&line("x = s")) && lines.contains(&line("y = 1")));
    }

    #[test]
    fn words_that_only_start_with_noqa_are_not_directives() {
        assert_eq!(parse_line_exemption("# noqalike"), None);
        assert_eq!(parse_line_exemption("# this is not a noqa"), None);
    }

    #[test]
    fn file_exemptions_need_the_edgelint_prefix() {
        assert_eq!(
            parse_file_exemption("# edgelint: noqa"),
            Some(Exemption::All)
        );
        assert_eq!(
            parse_file_exemption("# EdgeLint: NoQA: EL201"),
            Some(codes(&["EL201"]))
        );
        assert_eq!(parse_file_exemption("# noqa"), None);
        assert_eq!(parse_file_exemption("# ruff: noqa"), None);
    }

    #[test]
    fn stale_codes_are_removed_and_the_rest_of_the_comment_kept() {
        let remove = |comment, stale| without_codes(comment, stale).unwrap();
        assert_eq!(remove("# noqa: EL201, EL202", &["EL202"]), "# noqa: EL201");
        assert_eq!(
            remove("# noqa:el201 E501  tiny list", &["EL201"]),
            "# noqa: E501  tiny list"
        );
        assert_eq!(remove("# noqa: EL201  tiny list", &["EL201"]), "");
        assert_eq!(
            remove("# type: ignore  # noqa: EL201", &["EL201"]),
            "# type: ignore"
        );
        assert_eq!(
            remove("# noqa: EL201  # type: ignore", &["EL201"]),
            "# type: ignore"
        );
        assert_eq!(without_codes("# noqa", &["EL201"]), None);
    }

    #[test]
    fn codes_of_other_tools_do_not_cover_edgelint_codes() {
        let exemption = parse_line_exemption("# noqa: E501").unwrap();
        assert!(!exemption.covers("EL201"));
        assert!(exemption.covers("E501"));
    }
}
