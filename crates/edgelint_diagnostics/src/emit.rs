use std::io::{self, Write};

use serde::Serialize;

use crate::formats::sarif::{self, RuleInfo};
use crate::formats::{github, gitlab, json_lines, junit};
use crate::{draw, Message};

/// The report formats.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// rustc-style, with the source excerpt, labels, help and notes.
    #[default]
    Full,
    /// One line per finding: `path:row:column: CODE message` (`path:cell N:row:column` in a
    /// notebook).
    Concise,
    /// A JSON array of findings.
    Json,
    /// One compact JSON object per finding per line, with the fields of `Json`.
    JsonLines,
    /// GitHub Actions workflow commands (`::warning file=…::message`), one per finding.
    Github,
    /// A GitLab Code Quality report (a JSON array of issues with fingerprints).
    Gitlab,
    /// A JUnit XML report: a test suite per file, a failed test case per finding.
    Junit,
    /// SARIF 2.1.0, for code scanning, with the rules' documentation.
    Sarif,
}

impl OutputFormat {
    /// Formats meant for people get a summary line on standard error.
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// Writes the report for `messages`, which must already be sorted, with ANSI colours in the
/// `full` format when `color` is set. `rules` describe the rules for the formats that carry rule
/// documentation (SARIF).
pub fn emit(
    format: OutputFormat,
    messages: &[Message],
    rules: &[RuleInfo],
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Full => {
            for message in messages {
                out.write_all(draw(message, color).as_bytes())?;
            }
        }
        OutputFormat::Concise => {
            for message in messages {
                writeln!(
                    out,
                    "{}: {} {}",
                    message.place(),
                    message.code,
                    message.text()
                )?;
            }
        }
        OutputFormat::Json => {
            let mut serializer = serde_json::Serializer::pretty(&mut *out);
            messages
                .serialize(&mut serializer)
                .map_err(io::Error::other)?;
            writeln!(out)?;
        }
        OutputFormat::JsonLines => json_lines::write(messages, out)?,
        OutputFormat::Github => github::write(messages, out)?,
        OutputFormat::Gitlab => gitlab::write(messages, out)?,
        OutputFormat::Junit => junit::write(messages, out)?,
        OutputFormat::Sarif => sarif::write(messages, rules, out)?,
    }
    Ok(())
}
