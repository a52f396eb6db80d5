use std::io::{self, Write};

use serde::Serialize;

use crate::Message;

/// The report formats.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// rustc-style, with the source excerpt, labels, help and notes.
    #[default]
    Full,
    /// One line per finding: `path:row:column: CODE message`.
    Concise,
    /// A JSON array of findings.
    Json,
}

impl OutputFormat {
    /// Formats meant for people get a summary line on standard error.
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// Writes the report for `messages`, which must already be sorted.
pub fn emit(format: OutputFormat, messages: &[Message], out: &mut dyn Write) -> io::Result<()> {
    match format {
        OutputFormat::Full => {
            for message in messages {
                out.write_all(message.rendered.as_bytes())?;
            }
        }
        OutputFormat::Concise => {
            for message in messages {
                writeln!(
                    out,
                    "{}:{}:{}: {} {}",
                    message.filename,
                    message.location.row,
                    message.location.column,
                    message.code,
                    message.message
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
    }
    Ok(())
}
