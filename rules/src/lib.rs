//! edgelint's rules.
//!
//! Each rule is one file, grouped by family: its documentation (doc comments, also shown by
//! `edgelint --explain`), its metadata, and the functions that check the nodes it cares about.
//! [`RULES`] is the one table that lists them; [`check_module`] walks a module once and hands
//! each node to every enabled rule interested in its kind.
//!
//! Invariants: rules do no I/O and keep no state between files; a rule sees only the node it is
//! handed and the [`Checker`]'s read-only context, and reports through the checker.

mod builtin_kinds;
mod checker;
mod consumers;
mod file_role;
mod key_domains;
mod laziness;
mod mutation;
mod placement;
mod registry;
mod selector;
mod statements;
mod uses;

pub mod arrays;
pub mod copies;
pub mod docs;
pub mod engine;
pub mod fix_check;
pub mod gc;
pub mod lifetimes;
pub mod materialize;
mod python_version;

#[cfg(test)]
mod test_support;

pub use checker::{check_module, Ancestor, Checker, Place};
pub use file_role::FileRole;
pub use python_version::PythonVersion;
pub use registry::{find_rule, Enabled, Family, FixAvailability, Hook, Rule, RULES};
pub use selector::{RuleSelector, RuleSet, SelectorError};
