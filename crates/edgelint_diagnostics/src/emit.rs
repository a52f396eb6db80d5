use std::io::{self, Write};

use serde::Serialize;

use crate::excerpt::printable;
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
    /// Every format, in the order `--help` lists them.
    pub const ALL: [OutputFormat; 8] = [
        OutputFormat::Full,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::JsonLines,
        OutputFormat::Github,
        OutputFormat::Gitlab,
        OutputFormat::Junit,
        OutputFormat::Sarif,
    ];

    /// The name users write, on the command line and in configuration files.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Full => "full",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "json-lines",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Junit => "junit",
            OutputFormat::Sarif => "sarif",
        }
    }

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    /// Formats meant for people get a summary line on standard error.
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// How the formats meant for people are drawn.
#[derive(Copy, Clone, Debug, Default)]
pub struct Style {
    /// ANSI colours in the `full` format.
    pub color: bool,
    /// Whether unsafe fixes are applied (`--unsafe-fixes`): a finding is marked fixable (`[*]`)
    /// when `--fix` would fix it.
    pub unsafe_fixes: bool,
}

/// Writes the report for `messages`, which must already be sorted. `rules` describe the rules
/// for the formats that carry rule documentation (SARIF).
pub fn emit(
    format: OutputFormat,
    messages: &[Message],
    rules: &[RuleInfo],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Full => {
            for message in messages {
                let fixable = message.is_fixable(style.unsafe_fixes);
                out.write_all(draw(message, style.color, fixable).as_bytes())?;
            }
        }
        OutputFormat::Concise => {
            for message in messages {
                let mark = if message.is_fixable(style.unsafe_fixes) {
                    " [*]"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{}: {}{mark} {}",
                    printable(&message.place()),
                    message.code,
                    printable(&message.text())
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
