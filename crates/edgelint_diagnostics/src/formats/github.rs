//! `github`: GitHub Actions workflow commands, which the runner turns into annotations on the
//! pull request (<https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions>).

use std::io::{self, Write};

use crate::{Message, Severity};

pub(crate) fn write(messages: &[Message], out: &mut dyn Write) -> io::Result<()> {
    for message in messages {
        let command = match message.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (start, end) = (message.location, message.end_location);
        // A notebook's lines are JSON: its findings annotate the file, and name the cell.
        // Columns mean something to GitHub only when the annotation starts and ends on one
        // line; the end column is the one after the finding, as in SARIF.
        let lines = match message.cell {
            Some(_) => String::new(),
            None if start.row == end.row => format!(
                "line={row},col={column},endLine={row},endColumn={end_column},",
                row = start.row,
                column = start.column,
                end_column = end.column
            ),
            None => format!("line={},endLine={},", start.row, end.row),
        };
        writeln!(
            out,
            "::{command} file={file},{lines}title={title}::{data}",
            file = escape_property(&message.filename),
            title = escape_property(&format!("{} {}", message.code, message.name)),
            data = escape_data(&format!("{}{}", message.cell_prefix(), message.text())),
        )?;
    }
    Ok(())
}

/// Escapes the message of a workflow command (what follows the second `::`).
pub(crate) fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            _ => escaped.push(character),
        }
    }
    escaped
}

/// Escapes a property value of a workflow command (`file=…`, `title=…`): what the message needs,
/// and also the `:` and `,` that would end the value.
pub(crate) fn escape_property(text: &str) -> String {
    // The data escapes bring in no `:` or `,`, so these two can follow them.
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% of a,b: c\r\nd"),
            "100%25 of a,b: c%0D%0Ad"
        );
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("plain `text` ünïcode"), "plain `text` ünïcode");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("C:\\dir,x/50%.py\n"),
            "C%3A\\dir%2Cx/50%25.py%0A"
        );
        assert_eq!(escape_property("a::b"), "a%3A%3Ab");
        assert_eq!(
            escape_property("EL201 list-comprehension"),
            "EL201 list-comprehension"
        );
    }
}
