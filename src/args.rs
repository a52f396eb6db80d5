use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use edgelint_diagnostics::OutputFormat;
use edgelint_rules::{PythonVersion, RuleSelector};

/// A static analyzer for Python code that wastes memory.
///
/// Finds code that copies data it only reads, builds whole lists where a generator would do,
/// keeps big objects alive after their last use and grows caches without bound.
///
/// `edgelint PATH...` is `edgelint check PATH...`.
#[derive(Debug, Parser)]
#[command(
    name = "edgelint",
    version = env!("EDGELINT_VERSION"),
    max_term_width = 100,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// What `edgelint check` takes, given without the word.
    #[command(flatten)]
    pub check: Args,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (the default: `edgelint PATH...` does the same).
    Check(Box<Args>),
    /// Explain a rule, or list every rule with `--all`.
    Rule(RuleArgs),
    /// Run the language server, over standard input and output (for editors).
    Server,
    /// Print the completion script of a shell (bash, elvish, fish, powershell, zsh).
    GenerateShellCompletion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`edgelint generate-man-page > edgelint.1`).
    GenerateManPage,
    /// Run a Python program under edgelint's memory profiler and write where its memory went,
    /// per line (`edgelint profile -- python app.py ARGS...`), for `check --profile`.
    Profile(ProfileArgs),
}

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// Where to write the profile.
    #[arg(
        short,
        long,
        value_name = "PROFILE",
        default_value = "edgelint-profile.json"
    )]
    pub output: PathBuf,
    /// The project's root: the lines of the files below it are measured (default: the current
    /// directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Frames of Python traceback recorded per allocation: more find the project's line behind
    /// deeper library calls, fewer run faster.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub frames: u32,
    /// Convert a tracemalloc snapshot (saved with `Snapshot.dump`) instead of running a program.
    #[arg(long, value_name = "SNAPSHOT", conflicts_with = "program")]
    pub convert: Option<PathBuf>,
    /// The program, after `--`: `python app.py ARGS...` or `python -m module ARGS...`.
    #[arg(last = true, value_name = "PROGRAM")]
    pub program: Vec<std::ffi::OsString>,
}

impl Cli {
    /// What to lint and how, when the command is a lint (with or without the word `check`).
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Check(Box::new(self.check)))
    }
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// The rule, by code (`EL201`) or name (`list-comprehension-in-consumer`).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub rule: Option<String>,
    /// List every rule instead.
    #[arg(long)]
    pub all: bool,
    /// `text` (the default) or `json`.
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    pub output_format: RuleFormat,
}

/// How rule documentation is printed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuleFormat {
    Text,
    Json,
}

/// The arguments of a lint.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to lint (default: the current directory, or standard input with
    /// `--stdin-filename`); `-` reads standard input.
    #[arg(value_name = "PATH")]
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

    /// Rules not to run on some files: `GLOB:RULES`, such as `tests/**:EL104,EL2` (repeatable).
    #[arg(long, value_name = "GLOB:RULES")]
    pub per_file_ignores: Vec<String>,

    /// Patterns to skip instead of the default excludes (`.git`, `.venv`, `build`, …).
    #[arg(long, value_delimiter = ',', value_name = "PATTERNS")]
    pub exclude: Option<Vec<String>>,

    /// Patterns to skip in addition to the excludes.
    #[arg(long, value_delimiter = ',', value_name = "PATTERNS")]
    pub extend_exclude: Vec<String>,

    /// Apply the excludes to paths given explicitly too (for pre-commit, which passes every file).
    #[arg(long, overrides_with = "no_force_exclude")]
    pub force_exclude: bool,
    #[arg(long, overrides_with = "force_exclude", hide = true)]
    pub no_force_exclude: bool,

    /// Skip what `.gitignore` files ignore (the default).
    #[arg(long, overrides_with = "no_respect_gitignore")]
    pub respect_gitignore: bool,
    /// Lint what `.gitignore` files ignore too.
    #[arg(long, overrides_with = "respect_gitignore")]
    pub no_respect_gitignore: bool,

    /// The Python version the code targets (`py37` … `py314`; default: the configuration's
    /// `target-version` or `requires-python`, else `py310`).
    #[arg(long, value_name = "VERSION", value_parser = parse_python_version)]
    pub target_version: Option<PythonVersion>,

    /// Use this configuration file for every path, instead of the closest one to each file.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,

    /// Print the settings that apply to the first path (its configuration file and rules), and exit.
    #[arg(long)]
    pub show_settings: bool,

    /// Print the files that would be linted, one per line, and exit.
    #[arg(long, conflicts_with = "show_settings")]
    pub show_files: bool,

    /// How to print findings (default: `full`, or the configuration's `output-format`).
    #[arg(
        long,
        env = "EDGELINT_OUTPUT_FORMAT",
        value_parser = PossibleValuesParser::new(OutputFormat::ALL.map(OutputFormat::name))
            .map(|name| OutputFormat::from_name(&name).expect("one of the listed names"))
    )]
    pub output_format: Option<OutputFormat>,

    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// Record the current findings in this file and exit 0: a baseline for `--baseline`.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings not recorded in this baseline, and list its entries that no
    /// longer match (so it can shrink).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Add `# noqa: CODE` to every line with a finding, and exit.
    #[arg(long, conflicts_with_all = ["write_baseline", "statistics", "fix", "diff"])]
    pub add_noqa: bool,

    /// Apply the safe fixes, then report what is left.
    #[arg(long, overrides_with = "no_fix")]
    pub fix: bool,
    #[arg(long, overrides_with = "fix", hide = true)]
    pub no_fix: bool,

    /// Let `--fix` and `--diff` apply unsafe fixes too (their behaviour can differ in corner
    /// cases; `--explain` says which), and count them as fixable in the report.
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    #[arg(long, overrides_with = "unsafe_fixes", hide = true)]
    pub no_unsafe_fixes: bool,

    /// Report also the findings whose data edgelint cannot show to be large (its size is not
    /// known), marked unproven; by default only findings with evidence are reported.
    #[arg(long, overrides_with = "no_pedantic")]
    pub pedantic: bool,
    #[arg(long, overrides_with = "pedantic", hide = true)]
    pub no_pedantic: bool,

    /// A memory profile of a real run (`edgelint profile`, memray's `stats --json`, Scalene's
    /// JSON): findings whose line or data source held more than the threshold show the figure
    /// and lead the summary, and findings of unknown size measured large are reported.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
    /// The bytes a line must have held (else allocated) in the profiled run for its findings to
    /// show them (`1MiB`, the default; `512KiB`, `2GB`).
    #[arg(long, value_name = "SIZE", value_parser = edgelint_profile::parse_size)]
    pub profile_threshold: Option<u64>,

    /// Print what `--fix` would change as a unified diff, write nothing, and report the
    /// findings no fix removes on standard error; exit 1 when there is either.
    #[arg(long, conflicts_with = "write_baseline")]
    pub diff: bool,

    /// After `--fix`, list the fixes applied in each file.
    #[arg(long)]
    pub show_fixes: bool,

    /// With `--fix`, exit with 1 when anything was fixed, even if no finding is left.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,

    /// When to colour the `full` output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Exit with 0 even when there are findings (a failed run still exits with 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Check every file again, without reading or writing the cache of earlier findings.
    #[arg(long)]
    pub no_cache: bool,

    /// Where to keep the cache (default: `.edgelint_cache` in the project's root).
    #[arg(long, value_name = "DIR", env = "EDGELINT_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

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
pub enum Color {
    Auto,
    Always,
    Never,
}

fn parse_python_version(text: &str) -> Result<PythonVersion, String> {
    text.parse().map_err(|()| {
        let first = PythonVersion::SUPPORTED_MINORS.start();
        let last = PythonVersion::SUPPORTED_MINORS.end();
        format!("expected a version from `py3{first}` to `py3{last}`, such as `py310`")
    })
}
