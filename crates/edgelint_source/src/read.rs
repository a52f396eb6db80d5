use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use crate::encoding::{self, SourceEncoding};

/// Why a file's text could not be had. Its `Display` is the reason as the report words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceReadError {
    /// Opening or reading failed; the system's reason, in words.
    Io(String),
    /// A directory, a named pipe, a device or a socket: `what` it is.
    NotARegularFile { what: &'static str },
    /// More bytes than the parser's 32-bit offsets reach.
    TooLarge { bytes: u64 },
    /// UTF-16 or UTF-32, told by the byte order mark, which Python does not read source in.
    WideUnicode { utf: &'static str },
    /// NUL bytes: not source code.
    Binary,
    /// A UTF-8 byte order mark, and a coding declaration of something else.
    MarkDisagreesWithDeclaration { declared: String, line: usize },
    /// An encoding Python does not know (`supported_by_python`: one edgelint cannot decode).
    UnusableEncoding {
        declared: String,
        line: usize,
        supported_by_python: bool,
    },
    /// Bytes that are not valid in the file's encoding (`declared_on_line` for a declared one
    /// other than UTF-8), at a line and a byte offset.
    InvalidByte {
        encoding: &'static str,
        declared_on_line: Option<usize>,
        line: usize,
        offset: usize,
    },
}

impl fmt::Display for SourceReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceReadError::Io(reason) => f.write_str(reason),
            SourceReadError::NotARegularFile {
                what: "a directory",
            } => f.write_str("is a directory"),
            SourceReadError::NotARegularFile { what } => {
                write!(f, "not a regular file: it is {what}")
            }
            SourceReadError::TooLarge { bytes } => write!(
                f,
                "file too large: {bytes} bytes, and edgelint reads at most {MAX_SOURCE_LEN} (4 GiB)"
            ),
            SourceReadError::WideUnicode { utf } => write!(
                f,
                "file is {utf} (it starts with a {utf} byte order mark); Python reads source \
                 code only in an encoding that keeps ASCII as it is, such as UTF-8"
            ),
            SourceReadError::Binary => {
                f.write_str("binary file: source code cannot contain NUL bytes")
            }
            SourceReadError::MarkDisagreesWithDeclaration { declared, line } => write!(
                f,
                "the file starts with a UTF-8 byte order mark but declares encoding `{declared}` \
                 on line {line}; with the mark, Python accepts only `utf-8`"
            ),
            SourceReadError::UnusableEncoding {
                declared,
                line,
                supported_by_python,
            } => {
                let problem = if *supported_by_python {
                    "unsupported"
                } else {
                    "unknown"
                };
                write!(f, "{problem} encoding `{declared}` declared on line {line}")
            }
            SourceReadError::InvalidByte {
                encoding,
                declared_on_line,
                line,
                offset,
            } => {
                match declared_on_line {
                    Some(declared) => write!(
                        f,
                        "file is not valid {encoding} (declared on line {declared})"
                    )?,
                    None => f.write_str("file is not valid UTF-8")?,
                }
                write!(f, ": invalid byte at line {line} (byte offset {offset})")
            }
        }
    }
}

impl std::error::Error for SourceReadError {}

/// Reads a Python source file as text, decoded as its PEP 263 declaration says (UTF-8 without
/// one; a UTF-8 byte order mark is kept, and the lexer skips it).
pub fn read_source(path: &Path) -> Result<String, SourceReadError> {
    decode(read_bytes(path)?)
}

/// The largest source edgelint reads: ruff's parser counts offsets in 32 bits.
const MAX_SOURCE_LEN: u64 = u32::MAX as u64;

/// Reads a file's bytes, with the reason in words when it cannot be read. Only a regular file
/// is read: a named pipe or a device would block or never end.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, SourceReadError> {
    let io_error = |error: io::Error| SourceReadError::Io(describe_io_error(&error));
    let mut file = open_without_blocking(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(SourceReadError::NotARegularFile {
            what: special_file_kind(&metadata),
        });
    }
    check_size(metadata.len())?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // Read through `take`: `File`'s own `read_to_end` asks the file's size and position again
    // (two more system calls per file) to size a buffer that is sized already. The limit is
    // none: a file that grew since is read whole.
    (&mut file)
        .take(u64::MAX)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(bytes)
}

/// Opens a file for reading. Opening a named pipe waits for a writer, unless it is opened
/// without blocking (which changes nothing for a regular file), so that it can be refused.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

fn special_file_kind(metadata: &Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            "a named pipe"
        } else if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "something else"
        }
    }
    #[cfg(not(unix))]
    {
        "something else"
    }
}

fn check_size(len: u64) -> Result<(), SourceReadError> {
    if len > MAX_SOURCE_LEN {
        return Err(SourceReadError::TooLarge { bytes: len });
    }
    Ok(())
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
    if let Some(utf) = utf16_or_32(&bytes) {
        return Err(SourceReadError::WideUnicode { utf });
    }
    // With the SIMD search: the slice's own `contains` looks at a word at a time, and every
    // byte of every file passes through here.
    if memchr::memchr(0, &bytes).is_some() {
        return Err(SourceReadError::Binary);
    }
    let encoding = encoding::detect(&bytes)?;
    let (text, encoding) = encoding::decode_in(bytes, encoding)?;
    // Decoding can make the text longer than the bytes were.
    check_size(text.len() as u64)?;
    Ok((text, encoding))
}

/// The encoding whose byte order mark `bytes` start with, for UTF-16 and UTF-32 (whose NUL
/// bytes would otherwise make the file look binary).
fn utf16_or_32(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xff\xfe\0\0") || bytes.starts_with(b"\0\0\xfe\xff") {
        Some("UTF-32")
    } else if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        Some("UTF-16")
    } else {
        None
    }
}

/// An I/O error in words, without Rust's `(os error N)` suffix.
pub(crate) fn describe_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        #[cfg(unix)]
        _ if error.raw_os_error() == Some(libc::ELOOP) => {
            "symbolic link loop: too many levels of symbolic links".to_string()
        }
        _ => {
            let text = error.to_string();
            let text = match text.find(" (os error") {
                Some(end) => &text[..end],
                None => &text,
            };
            // Messages start in lower case; the system's start with a capital.
            let mut characters = text.chars();
            characters
                .next()
                .map(|first| first.to_lowercase().chain(characters).collect())
                .unwrap_or_default()
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
            error,
            SourceReadError::InvalidByte {
                encoding: "utf-8",
                declared_on_line: None,
                line: 2,
                offset: 11
            }
        );
        assert_eq!(
            error.to_string(),
            "file is not valid UTF-8: invalid byte at line 2 (byte offset 11)"
        );
    }

    #[test]
    fn utf16_and_utf32_are_named_by_their_byte_order_marks() {
        let utf16: Vec<u8> = "\u{feff}x = 1\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let error = decode(utf16).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("file is UTF-16 (it starts with a UTF-16 byte order mark)"),
            "{}",
            error.to_string()
        );
        let error = decode(b"\xff\xfe\0\0x\0\0\0".to_vec()).unwrap_err();
        assert!(
            error.to_string().starts_with("file is UTF-32"),
            "{}",
            error.to_string()
        );
    }

    #[test]
    fn sizes_past_4_gib_are_refused() {
        assert!(check_size(u64::from(u32::MAX)).is_ok());
        let error = check_size(u64::from(u32::MAX) + 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "file too large: 4294967296 bytes, and edgelint reads at most 4294967295 (4 GiB)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("pipe.py");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let error = read_bytes(&path).unwrap_err();
        assert_eq!(error.to_string(), "not a regular file: it is a named pipe");
    }

    #[test]
    fn a_file_is_read_whole_whatever_its_size() {
        let scratch = tempfile::tempdir().unwrap();
        for size in [0, 1, 8191, 8192, 8193, 300_001] {
            let path = scratch.path().join(format!("m{size}.py"));
            let bytes: Vec<u8> = (0..size).map(|at| b"ab\n"[at % 3]).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_bytes(&path).unwrap(), bytes, "{size} bytes");
        }
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let error = decode(b"\x7fELF\x00\x01".to_vec()).unwrap_err();
        assert!(
            error.to_string().starts_with("binary file"),
            "{}",
            error.to_string()
        );
    }
}
