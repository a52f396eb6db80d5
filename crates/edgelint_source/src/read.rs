use std::fmt;
use std::io;
use std::path::Path;

use crate::encoding::{self, SourceEncoding};

/// Why a file's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReadError {
    pub message: String,
}

impl fmt::Display for SourceReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SourceReadError {}

/// Reads a Python source file as text, decoded as its PEP 263 declaration says (UTF-8 without
/// one; a UTF-8 byte order mark is kept, and the lexer skips it).
pub fn read_source(path: &Path) -> Result<String, SourceReadError> {
    decode(read_bytes(path)?)
}

/// Reads a file's bytes, with the reason in words when it cannot be read.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, SourceReadError> {
    std::fs::read(path).map_err(|error| SourceReadError {
        message: describe_io_error(&error),
    })
}

/// Decodes source bytes as text (see [`decode_with_encoding`]).
pub fn decode(bytes: Vec<u8>) -> Result<String, SourceReadError> {
    decode_with_encoding(bytes).map(|(text, _)| text)
}

/// Decodes source bytes as text in the encoding a coding declaration on line 1 or 2 names
/// (PEP 263), or else UTF-8, and says which, so that fixed text can be [`encode`]d back.
/// Binary content, an unknown or unsupported encoding, a byte order mark with a declaration
/// of anything but UTF-8, and bytes invalid in the encoding are errors that say where.
///
/// [`encode`]: crate::encode
pub fn decode_with_encoding(bytes: Vec<u8>) -> Result<(String, SourceEncoding), SourceReadError> {
    if bytes.contains(&0) {
        return Err(SourceReadError {
            message: "binary file: source code cannot contain NUL bytes".to_string(),
        });
    }
    let encoding = encoding::detect(&bytes)?;
    encoding::decode_in(bytes, encoding)
}

/// An I/O error in words, without Rust's `(os error N)` suffix.
pub(crate) fn describe_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_read() {
        let text = decode(b"\xef\xbb\xbfx = 1\n".to_vec()).unwrap();
        assert_eq!(text, "\u{feff}x = 1\n");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let error = decode(b"x = 1\ny = '\xff'\n".to_vec()).unwrap_err();
        assert_eq!(
            error.message,
            "file is not valid UTF-8: invalid byte at line 2 (byte offset 11)"
        );
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let error = decode(b"\x7fELF\x00\x01".to_vec()).unwrap_err();
        assert!(
            error.message.starts_with("binary file"),
            "{}",
            error.message
        );
    }
}
