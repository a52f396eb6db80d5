//! The front end: which files to lint, their text, and their syntax trees.
//!
//! Invariants:
//! - Discovery never fails as a whole: an unreadable directory or a missing path is one
//!   [`Discovered::Error`] and the walk goes on.
//! - Parsing never fails: it returns a tree (recovered where the source is broken) and the list
//!   of syntax errors, which become ordinary diagnostics.
//! - A file is written only whole, through a rename, and only if it still holds what was read.
//! - Text is decoded as Python decodes it: the PEP 263 declaration on line 1 or 2, else UTF-8.
//!   [`encode`] turns fixed text back into bytes of the same encoding, and refuses rather than
//!   change the bytes of text that the fix did not touch.

mod discover;
mod encoding;
mod kind;
mod parse;
mod read;
mod write;

pub use discover::{discover, Discovered, DiscoveryOptions, DEFAULT_EXCLUDES};
pub use encoding::{encode, SourceEncoding};
pub use kind::FileKind;
pub use parse::{literal_text, parse, with_parsed, Nesting, ParsedSource, MAX_NESTING};
pub use read::{decode, decode_with_encoding, read_bytes, read_source, SourceReadError};
pub use write::{replace_if_unchanged, SourceWriteError};

// The tests of `with_parsed` run with the allocator that gives it an arena.
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: edgelint_alloc::Allocator = edgelint_alloc::Allocator;
