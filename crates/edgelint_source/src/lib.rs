//! The front end: which files to lint, their text, and their syntax trees.
//!
//! Invariants:
//! - Discovery never fails as a whole: an unreadable directory or a missing path is one
//!   [`Discovered::Error`] and the walk goes on.
//! - Parsing never fails: it returns a tree (recovered where the source is broken) and the list
//!   of syntax errors, which become ordinary diagnostics.

mod discover;
mod gitignore;
mod parse;
mod read;

pub use discover::{discover, is_python_path, Discovered, DiscoveryOptions, DEFAULT_EXCLUDES};
pub use parse::parse;
pub use read::{decode, read_source, SourceReadError};
