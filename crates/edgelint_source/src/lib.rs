//! The front end: which files to lint, their text, and their syntax trees.
//!
//! Invariants:
//! - Discovery never fails as a whole: an unreadable directory or a missing path is one
//!   [`Discovered::Error`] and the walk goes on.
//! - Parsing never fails: it returns a tree (recovered where the source is broken) and the list
//!   of syntax errors, which become ordinary diagnostics.
//! - A file is written only whole, through a rename, and only if it still holds what was read.

mod discover;
mod gitignore;
mod parse;
mod read;
mod write;

pub use discover::{discover, is_python_path, Discovered, DiscoveryOptions, DEFAULT_EXCLUDES};
pub use parse::parse;
pub use read::{decode, read_bytes, read_source, SourceReadError};
pub use write::{replace_if_unchanged, SourceWriteError};
