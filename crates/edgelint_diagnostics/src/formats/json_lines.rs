//! `json-lines`: one compact JSON object per finding per line, with the fields of `json`.

use std::io::{self, Write};

use crate::Message;

pub(crate) fn write(messages: &[Message], out: &mut dyn Write) -> io::Result<()> {
    for message in messages {
        serde_json::to_writer(&mut *out, message).map_err(io::Error::other)?;
        writeln!(out)?;
    }
    Ok(())
}
