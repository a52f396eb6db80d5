//! The driver: runs the subcommand; for a lint, turns arguments into settings, finds the
//! files, lints them in parallel, then adds `noqa` comments, records a baseline or writes the
//! report.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::CommandFactory;
use edgelint_diagnostics::OutputFormat;
use edgelint_linter::{LintOptions, ReleasedInRun};
use edgelint_project::{lexical, ProjectIndex};
use edgelint_source::{discover, Discovered};
use rayon::prelude::*;

use crate::add_noqa::add_noqa;
use crate::args::{Args, Cli, Command, RuleFormat};
use crate::baseline;
use crate::cache::Cache;
use crate::outcome::{FileResult, Outcome};
use crate::report;
use crate::rule_docs;
use crate::run_files::{check_file, RunFiles};
use crate::settings::{Fixes, Settings, Stdin, Then};

/// Threads get a large stack: deeply nested source means deep recursion in the parser and
/// in the walk, and a stack overflow would abort the whole run.
pub(crate) const THREAD_STACK_SIZE: usize = 64 * 1024 * 1024;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Clean,
    Findings,
    Failure,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Clean => ExitCode::from(0),
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Failure => ExitCode::from(2),
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.into_command() {
        Command::Check(args) => check(&args),
        Command::Rule(rule) => {
            rule_docs::print(rule.rule.as_deref(), rule.output_format)?;
            Ok(ExitStatus::Clean)
        }
        Command::Server => {
            edgelint_server::run()?;
            Ok(ExitStatus::Clean)
        }
        Command::GenerateShellCompletion { shell } => {
            // Made whole first: the generator panics on a write error, such as a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "edgelint", &mut script);
            io::stdout().write_all(&script)?;
            Ok(ExitStatus::Clean)
        }
        Command::Profile(args) => crate::profile::profile(&args),
        Command::GenerateManPage => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(ExitStatus::Clean)
        }
    }
}

/// `edgelint check`, or `edgelint` with the same arguments.
fn check(args: &Args) -> Result<ExitStatus> {
    // `edgelint --select ALL check`: after an option, clap takes the word for a path.
    if let Some(word) = misplaced_subcommand(&args.paths) {
        bail!(
            "`{}` is a subcommand: give it first (`edgelint {} ...`), or name the path `./{}`",
            word.display(),
            word.display(),
            word.display()
        );
    }
    // `--explain` and `--list-rules` are `edgelint rule` under their older names.
    let rule_format = match args.output_format {
        Some(OutputFormat::Json) => RuleFormat::Json,
        _ => RuleFormat::Text,
    };
    if let Some(rule) = &args.explain {
        rule_docs::print(Some(rule), rule_format)?;
        return Ok(ExitStatus::Clean);
    }
    if args.list_rules {
        rule_docs::print(None, rule_format)?;
        return Ok(ExitStatus::Clean);
    }

    let settings = Settings::from_args(args)?;
    if args.show_settings {
        let path = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
        io::stdout().write_all(settings.describe(path)?.as_bytes())?;
        return Ok(ExitStatus::Clean);
    }

    if args.show_files {
        return show_files(&settings);
    }

    // Read first: a profile that cannot be used fails the run before anything is linted.
    let profile = match &settings.profile {
        Some((path, threshold)) => Some((edgelint_profile::read(path)?, *threshold)),
        None => None,
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .stack_size(THREAD_STACK_SIZE)
        .build()
        .context("cannot start the worker threads")?;
    let mut outcome = pool.install(|| lint_all(&settings))?;
    if let Some(error) = outcome.config_errors.drain(..).next() {
        // A configuration file met during the walk is invalid: the run itself failed.
        return Err(error.into());
    }

    let mut messages = std::mem::take(&mut outcome.messages);
    messages.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    if let Some((profile, threshold)) = &profile {
        let cwd = std::env::current_dir().context("cannot find the current directory")?;
        profile.join(&mut messages, *threshold, settings.pedantic, &cwd);
    }
    let quiet = settings.report.quiet;
    let baseline = match &settings.then {
        Then::AddNoqa => {
            let (lines, files) = pool.install(|| add_noqa(&messages))?;
            if !quiet {
                eprintln!("edgelint: added `# noqa` to {lines} lines in {files} files");
            }
            return Ok(ExitStatus::Clean);
        }
        Then::WriteBaseline(path) => {
            baseline::write(path, &messages)?;
            if !quiet {
                eprintln!(
                    "edgelint: recorded {} findings in the baseline {}",
                    messages.len(),
                    path.display()
                );
            }
            return Ok(ExitStatus::Clean);
        }
        Then::Report { baseline } => baseline,
    };
    let mut stale = Vec::new();
    if let Some(path) = baseline {
        (messages, stale) = baseline::apply(path, messages, &outcome.linted)?;
    }
    report::write(&settings, &outcome, &messages, &stale)
}

/// The first path that is the name of a subcommand and no file: the subcommand, given after an
/// option. The command line's description is built once, not once per path: `pre-commit run
/// --all-files` passes every file, and building it for each of 9,000 paths took 4 % of a run.
fn misplaced_subcommand(paths: &[PathBuf]) -> Option<&PathBuf> {
    let cli = Cli::command();
    let names: Vec<&str> = cli
        .get_subcommands()
        .map(|command| command.get_name())
        .collect();
    paths
        .iter()
        .find(|path| names.iter().any(|name| path.as_os_str() == *name) && !path.exists())
}

/// `--show-files`: the files the walk finds (as reports name them), and why any path could not
/// be walked.
fn show_files(settings: &Settings) -> Result<ExitStatus> {
    let cwd = std::env::current_dir().ok();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let mut status = ExitStatus::Clean;
    for found in discover(&settings.paths, &settings.discovery) {
        match found {
            Discovered::File(path) => writeln!(stdout, "{}", display_path(&path, cwd.as_deref()))?,
            Discovered::Error { path, message } => {
                eprintln!("edgelint: error: {}: {message}", path.display());
                status = ExitStatus::Failure;
            }
        }
    }
    stdout.flush()?;
    Ok(status)
}

fn lint_all(settings: &Settings) -> Result<Outcome> {
    let paths = &settings.paths;
    let cwd = std::env::current_dir().ok();
    let display = move |path: &Path| display_path(path, cwd.as_deref());
    // The cache holds findings, not fixes.
    let cache = settings
        .cache_dir
        .as_deref()
        .filter(|_| settings.fixes == Fixes::Reported)
        .map(Cache::load);
    // The whole walk comes first: a file of the run is checked as soon as another one needs
    // its summary, so the run must know its files.
    let found: Vec<Discovered> = discover(paths, &settings.discovery);
    settings.resolve_configurations(&found)?;
    let files = RunFiles::new(&found, settings, cache.as_ref(), &display);
    let project = ProjectIndex::new(paths, display.clone(), Some(&files));
    let project = if cache.is_some() {
        project
    } else {
        project.undated()
    };
    let mut outcome = Outcome::default();
    match &settings.stdin {
        Some(Stdin::Lint(path)) => lint_stdin(path, settings, &project, &mut outcome)?,
        Some(Stdin::Excluded) if matches!(settings.fixes, Fixes::Applied(_)) => {
            outcome.fixed_stdin = Some(read_stdin()?);
        }
        Some(Stdin::Excluded) | None => {}
    }
    // Each file's text, tree and model are dropped when it has been checked; only messages are
    // kept, and the summaries of the modules others asked about.
    found.par_iter().for_each(|found| match found {
        Discovered::File(path) => files.check(&project, path),
        Discovered::Error { path, message } => files.walk_error(path, message),
    });
    let mut results = files.into_results();
    if let Some(cache) = cache {
        cache.save();
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let released = released_in_run(&results, &display);
    outcome.linted.reserve(results.len());
    for (name, result) in results {
        match result {
            FileResult::Checked(mut file) => {
                released.drop_findings(&mut file.messages);
                outcome.add(name, file);
            }
            FileResult::Config(error) => {
                if !outcome.config_errors.contains(&error) {
                    outcome.config_errors.push(error);
                }
            }
        }
    }
    Ok(outcome)
}

/// What the files of the run shrink in other modules, and the attributes they hand on.
fn released_in_run(
    results: &[(String, FileResult)],
    display: &dyn Fn(&Path) -> String,
) -> ReleasedInRun {
    let mut released = ReleasedInRun::default();
    for (_, result) in results {
        if let FileResult::Checked(file) = result {
            for object in &file.shrunk {
                released.add_shrunk(display(lexical(&object.path)), object.name.clone());
            }
            released.add_handed_out(&file.handed_out);
        }
    }
    released
}

/// Lints standard input as the file `path`.
fn lint_stdin(
    path: &Path,
    settings: &Settings,
    project: &ProjectIndex,
    outcome: &mut Outcome,
) -> Result<()> {
    let bytes = read_stdin()?;
    let name = display_path(path, std::env::current_dir().ok().as_deref());
    let file_settings = settings.for_file(path)?;
    let view = project.view(path, None);
    let trace = RefCell::default();
    let options = LintOptions {
        rules: &file_settings.rules,
        severities: file_settings.severities(),
        target_version: file_settings.target_version(),
        project: Some(view.context(&trace)),
    };
    let fix = settings.fixes.for_file(true);
    outcome.add(
        name.clone(),
        check_file(path, &name, Ok(bytes), options, fix),
    );
    Ok(())
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    Ok(bytes)
}

/// Paths are shown relative to the current directory when they are inside it.
pub(crate) fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    relative.display().to_string()
}
