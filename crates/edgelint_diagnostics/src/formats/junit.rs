//! `junit`: a JUnit XML report, which CI systems show as test results. Each file with findings is
//! a failing test suite with one failed test case per finding; a run without findings is one
//! passing suite named `edgelint`.

use std::io::{self, Write};

use crate::Message;

pub(crate) fn write(messages: &[Message], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    if messages.is_empty() {
        writeln!(
            out,
            r#"<testsuites name="edgelint" tests="1" failures="0">"#
        )?;
        writeln!(
            out,
            r#"  <testsuite name="edgelint" tests="1" failures="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="edgelint" classname="edgelint"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")?;
        return Ok(());
    }

    let count = messages.len();
    writeln!(
        out,
        r#"<testsuites name="edgelint" tests="{count}" failures="{count}">"#
    )?;
    for suite in by_file(messages) {
        let path = escape(&suite[0].filename);
        let count = suite.len();
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{count}" failures="{count}">"#
        )?;
        for message in suite {
            let text = escape(&message.text());
            let cell = message
                .cell
                .map(|cell| format!("cell {cell}:"))
                .unwrap_or_default();
            writeln!(
                out,
                r#"    <testcase name="{code} {cell}{row}:{column}" classname="{path}">"#,
                code = escape(message.code),
                row = message.location.row,
                column = message.location.column,
            )?;
            writeln!(
                out,
                r#"      <failure message="{text}" type="{code}">{text}</failure>"#,
                code = escape(message.code),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// Consecutive runs of messages with the same file (the messages are sorted by path, so each
/// file is one run).
fn by_file(messages: &[Message]) -> impl Iterator<Item = &[Message]> {
    messages.chunk_by(|a, b| a.filename == b.filename)
}

/// Escapes text for XML character data and for attribute values in either kind of quotes.
///
/// Line breaks and tabs become character references so that attribute-value normalization
/// keeps them; characters XML 1.0 cannot hold at all (other C0 controls) become U+FFFD.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' => escaped.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
            _ => escaped.push(character),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_markup_characters() {
        assert_eq!(
            escape(r#"a < b && c > "d" 'e'"#),
            "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;"
        );
        // `&` first, so an escape is never escaped twice.
        assert_eq!(escape("&lt;"), "&amp;lt;");
        assert_eq!(escape("plain `text` ünïcode"), "plain `text` ünïcode");
    }

    #[test]
    fn keeps_whitespace_and_replaces_what_xml_cannot_hold() {
        assert_eq!(escape("a\nb\r\tc"), "a&#10;b&#13;&#9;c");
        assert_eq!(escape("a\u{1}b\u{0}"), "a\u{fffd}b\u{fffd}");
    }
}
