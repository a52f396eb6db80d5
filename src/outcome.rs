//! What linting (or fixing) gave: for one file, and for the whole run.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use edgelint_config::ConfigError;
use edgelint_diagnostics::Message;
use edgelint_linter::MAX_FIX_PASSES;
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
    pub errors: Vec<FileFailure>,
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
        self.errors.extend(file.errors);
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
    pub errors: Vec<FileFailure>,
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

/// A failure of the run about one file (the run goes on, and exits with 2); worded when the
/// report is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFailure {
    /// A panic inside edgelint while checking the file: a bug.
    Internal { file: String, message: String },
    /// A rule's fix made the file invalid Python, and was not applied: a bug.
    FixRefused { file: String, code: &'static str },
    /// The rules' fixes kept changing the file: a bug; the file was left as it was.
    FixesNeverSettle {
        file: String,
        codes: Vec<&'static str>,
    },
    /// The fixed text could not be written: not encodable, or the file changed or could not be
    /// replaced. `left_alone`: the file on disk was not touched.
    NotWritten {
        file: String,
        reason: String,
        left_alone: bool,
    },
}

impl fmt::Display for FileFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bug = "This is a bug in edgelint; the other files were checked. Please report it \
                   with the file.";
        match self {
            FileFailure::Internal { file, message } => {
                write!(f, "internal error while checking {file}: {message}\n{bug}")
            }
            FileFailure::FixRefused { file, code } => write!(
                f,
                "a fix of {code} in {file} produced invalid Python and was not applied; this \
                 is a bug in edgelint, please report it with the file"
            ),
            FileFailure::FixesNeverSettle { file, codes } => write!(
                f,
                "internal error while checking {file}: the fixes of {} never settle (they undo \
                 one another, or keep changing the file for {MAX_FIX_PASSES} passes); the file \
                 was left as it was\n{bug}",
                codes.join(", ")
            ),
            FileFailure::NotWritten {
                file,
                reason,
                left_alone,
            } => {
                write!(f, "cannot write the fixes to {file}: {reason}")?;
                if *left_alone {
                    f.write_str("; the file was left as it was")?;
                }
                Ok(())
            }
        }
    }
}
