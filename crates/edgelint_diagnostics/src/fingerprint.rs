//! Fingerprints: an identity for a finding that survives unrelated edits.
//!
//! A finding's [`Identity`] is its rule code, its path, the enclosing classes and functions
//! ([`Message::scope`]) and the normalized text of the flagged line ([`Message::line_text`]);
//! never the line number, so inserting or deleting lines above a finding keeps it. Baselines
//! record findings by it, with a count for repeats; a fingerprint is a digest of it and of how
//! many earlier findings share it, so that two identical lines flagged by the same rule in one
//! file still get different ones.
//!
//! The digest is XXH3 (64 bits), the one hash of edgelint: a published algorithm, the same on
//! every platform and with every Rust version (std's `DefaultHasher` promises neither).

use std::collections::HashMap;

use xxhash_rust::xxh3::Xxh3;

use crate::Message;

/// What identifies a finding across edits that do not touch it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identity<'a> {
    pub path: &'a str,
    pub code: &'a str,
    pub scope: &'a str,
    pub line: &'a str,
}

impl Message {
    pub fn identity(&self) -> Identity<'_> {
        Identity {
            path: &self.filename,
            code: self.code,
            scope: &self.scope,
            line: &self.line_text,
        }
    }
}

/// The fingerprint of each message, in order, as 16 lower-case hex digits.
pub fn fingerprints(messages: &[Message]) -> Vec<String> {
    let mut seen: HashMap<Identity, u64> = HashMap::new();
    messages
        .iter()
        .map(|message| {
            let identity = message.identity();
            let occurrence = seen.entry(identity).or_insert(0);
            let n = *occurrence;
            *occurrence += 1;
            fingerprint(identity, n)
        })
        .collect()
}

/// The fingerprint of the `n`th (from zero) finding with this identity.
fn fingerprint(identity: Identity, n: u64) -> String {
    let mut hasher = Xxh3::new();
    // Each field is preceded by its length, so no two different identities hash the same bytes.
    for field in [identity.code, identity.path, identity.scope, identity.line] {
        hasher.update(&(field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.update(&n.to_le_bytes());
    format!("{:016x}", hasher.digest())
}

#[cfg(test)]
mod tests {
    use ruff_source_file::LineIndex;
    use ruff_text_size::{TextRange, TextSize};

    use super::*;
    use crate::{Diagnostic, Severity, SourceView};

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
    fn a_fingerprint_is_pinned() {
        // Changing the digest or its input resets every finding a code-scanning service
        // tracks: do it on purpose only (it changed once, before the first release, to XXH3).
        let messages = messages("app.py", "x = sum([1])\n", &[("EL201", 8)]);
        assert_eq!(fingerprints(&messages), ["aaa860b1611dd06d"]);
    }

    #[test]
    fn line_text_is_trimmed_with_whitespace_collapsed() {
        let text = "def f(xs):\n    return   sum([x\tfor x in xs])  \r\n";
        let messages = messages("app.py", text, &[("EL201", 26)]);
        assert_eq!(messages[0].line_text, "return sum([x for x in xs])");
        assert_eq!(messages[0].location.row, 2);
    }

    #[test]
    fn many_messages_on_one_long_line_each_keep_a_bounded_part_of_it() {
        // 20,000 syntax errors on one 120 KB line kept 5 GB: each message copied the line
        // twice, for its picture and for its fingerprint.
        let text = format!(
            "x = {}1 + {}2\n",
            "await ".repeat(20_000),
            "y ".repeat(20_000)
        );
        let offsets: Vec<(&str, usize)> = (0..200).map(|n| ("EL001", 4 + 6 * 100 * n)).collect();
        let found = messages("app.py", &text, &offsets);
        for (n, message) in found.iter().enumerate() {
            assert!(
                message.line_text.len() < 1100,
                "{}",
                message.line_text.len()
            );
            let picture = crate::draw(message, false, false);
            assert!(picture.len() < 1500, "{picture}");
            assert!(picture.contains("await ..."), "{picture}");
            assert_eq!(picture.contains("| ...await"), n > 0, "{picture}");
            let column = 5 + 600 * n;
            assert!(picture.contains(&format!("app.py:1:{column}")), "{picture}");
        }
        // The rest of the line still tells findings apart: a change past the kept part is
        // another identity, the same line the same.
        let changed = text.replace("y 2", "z 2");
        let other = messages("app.py", &changed, &offsets[..1]);
        assert_ne!(found[0].line_text, other[0].line_text);
        assert_eq!(found[0].line_text, found[1].line_text);
        assert!(found[0].line_text.starts_with("x = await await"));
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
        let identity = |code, path| Identity {
            path,
            code,
            scope: "",
            line: "",
        };
        assert_ne!(
            fingerprint(identity("EL1", "01a.py"), 0),
            fingerprint(identity("EL10", "1a.py"), 0)
        );
    }
}
