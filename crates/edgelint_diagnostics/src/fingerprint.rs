//! Fingerprints: an identity for a finding that survives unrelated edits.
//!
//! A fingerprint is a digest of the rule code, the path, the enclosing classes and functions
//! ([`Message::scope`]), the normalized text of the flagged line ([`Message::line_text`]) and how
//! many earlier findings share those four. It never includes
//! the line number, so inserting or deleting lines above a finding keeps its fingerprint, while
//! two identical lines flagged by the same rule in one file still get different ones.
//!
//! The digest is 64-bit FNV-1a, written out here so that it is the same on every platform and
//! with every Rust version (std's `DefaultHasher` promises neither).

use std::collections::HashMap;

use crate::Message;

/// The fingerprint of each message, in order, as 16 lower-case hex digits.
pub fn fingerprints(messages: &[Message]) -> Vec<String> {
    let mut seen: HashMap<(&str, &str, &str, &str), u64> = HashMap::new();
    messages
        .iter()
        .map(|message| {
            let key = (
                message.code,
                message.filename.as_str(),
                message.scope.as_str(),
                message.line_text.as_str(),
            );
            let occurrence = seen.entry(key).or_insert(0);
            let n = *occurrence;
            *occurrence += 1;
            fingerprint([key.0, key.1, key.2, key.3], n)
        })
        .collect()
}

/// The fingerprint of the `n`th (from zero) finding with these fields: code, file name, scope
/// and line text.
fn fingerprint(fields: [&str; 4], n: u64) -> String {
    let mut hasher = Fnv1a64::new();
    // Each field is preceded by its length, so no two different tuples hash the same bytes.
    for field in fields {
        hasher.write(&(field.len() as u64).to_le_bytes());
        hasher.write(field.as_bytes());
    }
    hasher.write(&n.to_le_bytes());
    format!("{:016x}", hasher.finish())
}

/// 64-bit FNV-1a (<http://www.isthe.com/chongo/tech/comp/fnv/>).
struct Fnv1a64(u64);

impl Fnv1a64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Fnv1a64(Self::OFFSET_BASIS)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use ruff_source_file::LineIndex;
    use ruff_text_size::{TextRange, TextSize};

    use super::*;
    use crate::{Diagnostic, Severity, SourceView};

    fn fnv(bytes: &[u8]) -> u64 {
        let mut hasher = Fnv1a64::new();
        hasher.write(bytes);
        hasher.finish()
    }

    /// Messages for `code` at each byte offset of `text` (in `filename`).
    fn messages(filename: &str, text: &str, findings: &[(&'static str, usize)]) -> Vec<Message> {
        let index = LineIndex::from_source_text(text);
        let view = SourceView {
            name: filename,
            text,
            index: &index,
        };
        findings
            .iter()
            .map(|&(code, offset)| {
                let offset = TextSize::try_from(offset).unwrap();
                let diagnostic = Diagnostic::new(
                    code,
                    "some-rule",
                    Severity::Warning,
                    "something is wasteful",
                    TextRange::new(offset, offset),
                );
                Message::resolve(&diagnostic, &view)
            })
            .collect()
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_fingerprint_is_pinned() {
        // Changing the digest or its input breaks every stored baseline: do it on purpose only.
        let messages = messages("app.py", "x = sum([1])\n", &[("EL201", 8)]);
        assert_eq!(fingerprints(&messages), ["2e278e75fc6ad122"]);
    }

    #[test]
    fn line_text_is_trimmed_with_whitespace_collapsed() {
        let text = "def f(xs):\n    return   sum([x\tfor x in xs])  \r\n";
        let messages = messages("app.py", text, &[("EL201", 26)]);
        assert_eq!(messages[0].line_text, "return sum([x for x in xs])");
        assert_eq!(messages[0].location.row, 2);
    }

    #[test]
    fn inserting_a_line_above_keeps_the_fingerprint() {
        let before = "def f(xs):\n    return sum([x for x in xs])\n";
        let after = format!("# a comment\n\n{before}");
        let offset = before.find('[').unwrap();
        let old = messages("app.py", before, &[("EL201", offset)]);
        let new = messages("app.py", &after, &[("EL201", offset + 13)]);
        assert_eq!(old[0].location.row + 2, new[0].location.row);
        assert_eq!(fingerprints(&old), fingerprints(&new));
    }

    #[test]
    fn identical_lines_in_one_file_differ_by_occurrence() {
        let text = "y = sum([x for x in xs])\ny = sum([x for x in xs])\n";
        let messages = messages("app.py", text, &[("EL201", 8), ("EL201", 33)]);
        assert_eq!(messages[0].line_text, messages[1].line_text);
        let prints = fingerprints(&messages);
        assert_ne!(prints[0], prints[1]);
        // The first occurrence keeps its fingerprint when it is alone.
        assert_eq!(prints[0], fingerprints(&messages[..1])[0]);
    }

    #[test]
    fn fingerprints_differ_across_rules_and_files() {
        let text = "y = list(sorted(xs))\n";
        let both = messages("app.py", text, &[("EL101", 4), ("EL102", 4)]);
        let prints = fingerprints(&both);
        assert_ne!(prints[0], prints[1]);
        let elsewhere = messages("lib.py", text, &[("EL101", 4)]);
        assert_ne!(prints[0], fingerprints(&elsewhere)[0]);
    }

    #[test]
    fn the_enclosing_scope_is_part_of_the_identity() {
        let text = "y = list(sorted(xs))\n";
        let mut inside = messages("app.py", text, &[("EL101", 4)]);
        let outside = fingerprints(&inside);
        inside[0].scope = "Parser.feed".to_string();
        assert_ne!(outside, fingerprints(&inside));
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        assert_ne!(
            fingerprint(["EL1", "01a.py", "", ""], 0),
            fingerprint(["EL10", "1a.py", "", ""], 0)
        );
    }
}
