use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use edgelint_diagnostics::OutputFormat;
use edgelint_rules::RuleSelector;

/// A static analyzer for Python code that wastes memory.
///
/// Finds code that copies data it only reads, builds whole lists where a generator would do,
/// keeps big objects alive after their last use and grows caches without bound.
#[derive(Debug, Parser)]
#[command(name = "edgelint", version, max_term_width = 100)]
pub struct Args {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Rules to run instead of the default set: codes (`EL201`), names, prefixes (`EL2`) or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<RuleSelector>>,

    /// Rules to run in addition to the selected ones.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<RuleSelector>,

    /// Rules not to run.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<RuleSelector>,

    /// How to print findings.
    #[arg(long, value_enum, env = "EDGELINT_OUTPUT_FORMAT", default_value_t = Format::Full)]
    pub output_format: Format,

    /// When to colour the `full` output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Exit with 0 even when there are findings (a failed run still exits with 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Number of threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print findings only, without the summary.
    #[arg(short, long)]
    pub quiet: bool,

    /// The file name to report for source read from standard input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Print the documentation of a rule, given by code or name, and exit.
    #[arg(long, value_name = "RULE", conflicts_with = "list_rules")]
    pub explain: Option<String>,

    /// List every rule with its family, severity, default and fix availability, and exit.
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Full,
    Concise,
    Json,
}

impl From<Format> for OutputFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Full => OutputFormat::Full,
            Format::Concise => OutputFormat::Concise,
            Format::Json => OutputFormat::Json,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
