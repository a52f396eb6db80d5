//! What linting (or fixing) gave: for one file, and for the whole run.

use std::collections::{BTreeMap, HashSet};

use edgelint_config::ConfigError;
use edgelint_diagnostics::Message;
use edgelint_semantic::Shrunk;

#[derive(Default)]
pub struct Outcome {
    pub messages: Vec<Message>,
    /// The fixes applied (or, with `--diff`, that would be), per file in path order.
    pub fixed: Vec<(String, BTreeMap<&'static str, usize>)>,
    /// `--diff`: the diffs of every file, in path order.
    pub diff: String,
    /// `--fix` on standard input: the fixed source.
    pub fixed_stdin: Option<Vec<u8>>,
    /// Failures of the run about single files (internal errors, files that could not be
    /// written), with the file's name, in path order.
    pub errors: Vec<(String, String)>,
    /// Invalid configuration files found next to the files being linted.
    pub config_errors: Vec<ConfigError>,
    /// The files linted, as shown in messages.
    pub linted: HashSet<String>,
}

impl Outcome {
    pub fn add(&mut self, name: String, file: FileOutcome) {
        self.messages.extend(file.messages);
        if !file.applied.is_empty() {
            self.fixed.push((name.clone(), file.applied));
        }
        self.diff.push_str(&file.diff);
        if file.text.is_some() {
            self.fixed_stdin = file.text;
        }
        self.errors
            .extend(file.errors.into_iter().map(|error| (name.clone(), error)));
        self.linted.insert(name);
    }
}

/// What checking one file gave.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// The findings to report: with `--fix` those left after the fixes, with `--diff` those
    /// of the file as it is that no fix removes.
    pub messages: Vec<Message>,
    /// How many fixes each rule applied (or, with `--diff`, would apply).
    pub applied: BTreeMap<&'static str, usize>,
    /// `--diff`: the change as a unified diff, empty when nothing changes.
    pub diff: String,
    /// `--fix` on standard input: the fixed source, encoded as it came.
    pub text: Option<Vec<u8>>,
    /// Failures of the run about this file: an internal error, fixes that were refused or
    /// never settled, fixes that could not be written.
    pub errors: Vec<String>,
    /// The objects of other modules the file shrinks, which decide the findings that hold
    /// only unless some module does.
    pub shrunk: Vec<Shrunk>,
    /// The attributes the file hands on, which decide the findings that hold only unless some
    /// module does.
    pub handed_out: Vec<String>,
}

pub(crate) enum FileResult {
    Checked(FileOutcome),
    Config(ConfigError),
}

pub fn internal_error(name: &str, message: &str) -> String {
    format!(
        "internal error while checking {name}: {message}\n\
         This is a bug in edgelint; the other files were checked. Please report it with the file."
    )
}
