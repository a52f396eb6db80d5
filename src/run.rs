//! The driver: turns arguments into a rule set, finds the files, lints them in parallel and
//! writes one deterministic report.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use edgelint_config::ConfigError;
use edgelint_diagnostics::Applicability;
use edgelint_diagnostics::{emit, Message, OutputFormat, RuleInfo};
use edgelint_linter::{lint_source, FixMode, LintOptions, ReleasedInRun};
use edgelint_project::{lexical, ProjectIndex};
use edgelint_rules::{docs, find_rule, RULES};
use edgelint_semantic::Shrunk;
use edgelint_source::{discover, Discovered, SourceReadError};
use rayon::prelude::*;

use crate::args::{Args, Color};
use crate::baseline;
use crate::cache::Cache;
use crate::fixing::{describe_fixes, fix_file, internal_error, problems, FixTarget};
use crate::run_files::RunFiles;
use crate::settings::Settings;

/// Threads get a large stack: deeply nested source means deep recursion in the parser and
/// in the walk, and a stack overflow would abort the whole run.
const THREAD_STACK_SIZE: usize = 64 * 1024 * 1024;

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

pub fn run(args: &Args) -> Result<ExitStatus> {
    if let Some(rule) = &args.explain {
        let Some(rule) = find_rule(rule) else {
            bail!("unknown rule `{rule}`; `edgelint --list-rules` lists them all");
        };
        io::stdout().write_all(docs::explain(rule).as_bytes())?;
        return Ok(ExitStatus::Clean);
    }
    if args.list_rules {
        io::stdout().write_all(docs::rules_table().as_bytes())?;
        return Ok(ExitStatus::Clean);
    }

    let settings = Settings::from_args(args)?;
    if args.show_settings {
        let path = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
        io::stdout().write_all(settings.describe(path)?.as_bytes())?;
        return Ok(ExitStatus::Clean);
    }
    let format = settings.format;
    // The diff or the fixed source takes standard output; the report then goes to standard error.
    let stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
    let report_to_stderr = args.diff || (settings.fix.is_some() && stdin);
    let color = args.output_file.is_none() && use_color(args.color, report_to_stderr);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .stack_size(THREAD_STACK_SIZE)
        .build()
        .context("cannot start the worker threads")?;
    let outcome = pool.install(|| lint_all(args, &settings))?;
    if let Some(error) = outcome.config_errors.into_iter().next() {
        // A configuration file met during the walk is invalid: the run itself failed.
        return Err(error.into());
    }

    let mut messages = outcome.messages;
    messages.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    if args.add_noqa {
        let (lines, files) = pool.install(|| add_noqa(&messages))?;
        if !args.quiet {
            eprintln!("edgelint: added `# noqa` to {lines} lines in {files} files");
        }
        return Ok(ExitStatus::Clean);
    }
    if let Some(path) = &args.write_baseline {
        baseline::write(path, &messages)?;
        if !args.quiet {
            eprintln!(
                "edgelint: recorded {} findings in the baseline {}",
                messages.len(),
                path.display()
            );
        }
        return Ok(ExitStatus::Clean);
    }
    let mut stale = Vec::new();
    if let Some(path) = &args.baseline {
        (messages, stale) = baseline::apply(path, messages, &outcome.linted)?;
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(outcome.diff.as_bytes())?;
    if let Some(source) = &outcome.fixed_stdin {
        stdout.write_all(source)?;
    }
    stdout.flush()?;
    // The report is written as it is made: a big one is never held whole.
    let (report, destination): (Box<dyn Write>, _) = match &args.output_file {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            (Box::new(file), path.display().to_string())
        }
        None if report_to_stderr => (Box::new(io::stderr().lock()), "standard error".into()),
        None => (Box::new(stdout), "standard output".into()),
    };
    let mut report = io::BufWriter::new(report);
    let written = if args.statistics {
        write_statistics(format, &messages, &mut report)
    } else {
        emit(format, &messages, &rule_infos(), color, &mut report).map_err(Into::into)
    };
    written
        .and_then(|()| Ok(report.flush()?))
        .with_context(|| format!("cannot write the report to {destination}"))?;
    drop(report);
    let mut stderr = io::stderr().lock();

    for (_, error) in &outcome.errors {
        writeln!(stderr, "edgelint: error: {error}")?;
    }
    if settings.show_fixes && !outcome.fixed.is_empty() {
        write!(stderr, "{}", describe_fixes(&outcome.fixed, args.diff))?;
    }
    if !stale.is_empty() {
        let count: usize = stale.iter().map(|entry| entry.count).sum();
        writeln!(
            stderr,
            "edgelint: {count} baseline entries no longer match a finding (fixed, or the line changed); rewrite the baseline with --write-baseline to drop them:"
        )?;
        for entry in &stale {
            let scope = if entry.scope.is_empty() {
                String::new()
            } else {
                format!(" in {}", entry.scope)
            };
            writeln!(
                stderr,
                "  {}: {}{scope}: `{}`",
                entry.path, entry.code, entry.line
            )?;
        }
    }
    let fixed: usize = outcome
        .fixed
        .iter()
        .flat_map(|(_, applied)| applied.values())
        .sum();
    if format.is_human() && !args.quiet {
        writeln!(
            stderr,
            "{}",
            summary(&messages, fixed, &settings, args.diff)
        )?;
    }

    Ok(if !outcome.errors.is_empty() {
        ExitStatus::Failure
    } else if args.exit_zero {
        ExitStatus::Clean
    } else if !messages.is_empty() || (fixed > 0 && (args.diff || args.exit_non_zero_on_fix)) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

#[derive(Default)]
struct Outcome {
    messages: Vec<Message>,
    /// The fixes applied (or, with `--diff`, that would be), per file in path order.
    fixed: Vec<(String, BTreeMap<&'static str, usize>)>,
    /// `--diff`: the diffs of every file, in path order.
    diff: String,
    /// `--fix` on standard input: the fixed source.
    fixed_stdin: Option<Vec<u8>>,
    /// Failures of the run about single files (internal errors, files that could not be
    /// written), with the file's name, in path order.
    errors: Vec<(String, String)>,
    /// Invalid configuration files found next to the files being linted.
    config_errors: Vec<ConfigError>,
    /// The files linted, as shown in messages.
    linted: HashSet<String>,
}

impl Outcome {
    fn add(&mut self, name: String, file: FileOutcome) {
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

fn lint_all(args: &Args, settings: &Settings) -> Result<Outcome> {
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|path| path.as_os_str() == "-");
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    let cwd = std::env::current_dir().ok();
    let display = move |path: &Path| display_path(path, cwd.as_deref());
    let target = if args.diff {
        FixTarget::Diff
    } else {
        FixTarget::File
    };
    // Fixing changes files: their findings are not cached.
    let cache = settings
        .cache_dir
        .as_deref()
        .filter(|_| settings.fix.is_none())
        .map(Cache::load);
    // The whole walk comes first: a file of the run is checked as soon as another one needs
    // its summary, so the run must know its files.
    let found: Vec<Discovered> = discover(&paths, &settings.discovery);
    settings.resolve_configurations(&found)?;
    let files = RunFiles::new(&found, settings, target, cache.as_ref(), &display);
    let project = ProjectIndex::new(&paths, display.clone(), Some(&files));
    let mut outcome = Outcome::default();
    if !stdin.is_empty() {
        lint_stdin(args, settings, &project, &mut outcome)?;
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

pub(crate) enum FileResult {
    Checked(FileOutcome),
    Config(ConfigError),
}

/// Lints (and, with `fix`, fixes) one file whose bytes were read from `path`.
pub(crate) fn check_file(
    path: &Path,
    name: &str,
    bytes: Result<Vec<u8>, SourceReadError>,
    options: LintOptions,
    fix: Option<(FixMode, FixTarget)>,
) -> FileOutcome {
    let Some((mode, target)) = fix else {
        return match lint_source(bytes.and_then(edgelint_source::decode), path, name, options) {
            Ok(messages) => FileOutcome {
                messages,
                ..FileOutcome::default()
            },
            Err(error) => FileOutcome {
                errors: vec![internal_error(name, &error.message)],
                ..FileOutcome::default()
            },
        };
    };
    // The bytes are kept to check, before writing, that the file still holds them.
    let source = bytes.and_then(|bytes| {
        let (text, encoding) = edgelint_source::decode_with_encoding(bytes.clone())?;
        Ok((text, encoding, bytes))
    });
    match source {
        Ok((text, encoding, original)) => {
            let original = (original.as_slice(), encoding);
            fix_file(path, name, original, &text, options, mode, target)
        }
        Err(error) => FileOutcome {
            messages: vec![edgelint_linter::io_error_message(name, &error.message)],
            ..FileOutcome::default()
        },
    }
}

fn lint_stdin(
    args: &Args,
    settings: &Settings,
    project: &ProjectIndex,
    outcome: &mut Outcome,
) -> Result<()> {
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let name = display_path(&path, std::env::current_dir().ok().as_deref());
    let file_settings = settings.for_file(&path)?;
    let view = project.view(&path, None);
    let trace = RefCell::default();
    let options = LintOptions {
        rules: &file_settings.rules,
        severities: file_settings.severities(),
        target_version: file_settings.target_version(),
        project: Some(view.context(&trace)),
    };
    let target = if args.diff {
        FixTarget::Diff
    } else {
        FixTarget::Stdout
    };
    let fix = settings.fix.map(|mode| (mode, target));
    outcome.add(
        name.clone(),
        check_file(&path, &name, Ok(bytes), options, fix),
    );
    Ok(())
}

/// Paths are shown relative to the current directory when they are inside it.
pub(crate) fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    relative.display().to_string()
}

/// `auto` colours only a report written to a terminal (standard output, or standard error).
fn use_color(color: Color, to_stderr: bool) -> bool {
    let terminal = if to_stderr {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// `--add-noqa`: writes the directives into each file with findings (engine findings, such as
/// syntax errors, cannot be suppressed). Returns the lines and files changed.
fn add_noqa(messages: &[Message]) -> Result<(usize, usize)> {
    let mut by_file: BTreeMap<&str, BTreeMap<usize, BTreeSet<&str>>> = BTreeMap::new();
    for message in messages
        .iter()
        .filter(|message| !message.code.starts_with("EL0"))
    {
        by_file
            .entry(message.filename.as_str())
            .or_default()
            .entry(message.location.row)
            .or_default()
            .insert(message.code);
    }
    // Files in parallel; the first failure in path order is the one reported.
    let edited: Vec<Result<Option<usize>>> = by_file
        .into_par_iter()
        .filter(|(name, _)| *name != "-")
        .map(|(name, rows)| add_noqa_to(name, &rows))
        .collect();
    let (mut lines, mut files) = (0, 0);
    for changed in edited {
        if let Some(changed) = changed? {
            lines += changed;
            files += 1;
        }
    }
    Ok((lines, files))
}

/// Adds `# noqa` comments for `rows` (line numbers, each with its codes) to the file `name`;
/// how many lines changed, or `None` when none did.
fn add_noqa_to(name: &str, rows: &BTreeMap<usize, BTreeSet<&str>>) -> Result<Option<usize>> {
    let path = Path::new(name);
    let bytes = edgelint_source::read_bytes(path)
        .with_context(|| format!("cannot read {name} to add `# noqa`"))?;
    let (text, encoding) = edgelint_source::decode_with_encoding(bytes.clone())
        .with_context(|| format!("cannot read {name} to add `# noqa`"))?;
    let Some((new_text, changed)) = edgelint_linter::add_noqa(&text, path, rows) else {
        return Ok(None);
    };
    edgelint_source::encode(&new_text, encoding)
        .and_then(|new_bytes| edgelint_source::replace_if_unchanged(path, &bytes, &new_bytes))
        .with_context(|| format!("cannot add `# noqa` to {name}"))?;
    Ok(Some(changed))
}

/// Every rule's documentation, for the formats that carry it (SARIF).
fn rule_infos() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|rule| RuleInfo {
            code: rule.code,
            name: rule.name,
            summary: rule.summary(),
            documentation: rule.documentation(),
            severity: rule.severity,
        })
        .collect()
}

/// `--statistics`: how many findings each rule has, most first; a JSON array with `json`.
fn write_statistics(format: OutputFormat, messages: &[Message], out: &mut dyn Write) -> Result<()> {
    let mut counts: Vec<(&str, &str, usize)> = Vec::new();
    for message in messages {
        match counts.iter_mut().find(|(code, _, _)| *code == message.code) {
            Some((_, _, count)) => *count += 1,
            None => counts.push((message.code, message.name, 1)),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    if format == OutputFormat::Json {
        let rows: Vec<serde_json::Value> = counts
            .iter()
            .map(|(code, name, count)| serde_json::json!({"code": code, "name": name, "count": count}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else {
        let width = counts
            .first()
            .map_or(1, |(_, _, count)| count.to_string().len());
        for (code, name, count) in counts {
            writeln!(out, "{count:>width$}  {code}  {name}")?;
        }
    }
    Ok(())
}

/// The last line on standard error: how many findings, and what `--fix` did or can do.
fn summary(messages: &[Message], fixed: usize, settings: &Settings, diff: bool) -> String {
    let found = messages.len();
    if diff {
        let mut text = if fixed == 0 {
            "No fixes available".to_string()
        } else {
            format!("Would fix {}", problems(fixed))
        };
        if found > 0 {
            text.push_str(&format!("; {} that no fix removes", problems(found)));
        }
        return text;
    }
    if found == 0 && fixed == 0 {
        return "All checks passed: no problems found".to_string();
    }
    if settings.fix.is_some() {
        return format!(
            "Found {} ({fixed} fixed, {found} remaining)",
            problems(found + fixed)
        );
    }
    let fixable = |applicability| {
        messages
            .iter()
            .filter(|message| {
                message
                    .fix
                    .as_ref()
                    .is_some_and(|fix| fix.applicability == applicability)
            })
            .count()
    };
    let (safe, unsafe_) = (fixable(Applicability::Safe), fixable(Applicability::Unsafe));
    let (with_fix, hidden) = if settings.unsafe_fixes {
        (safe + unsafe_, 0)
    } else {
        (safe, unsafe_)
    };
    let flags = if settings.unsafe_fixes {
        "`--fix --unsafe-fixes`"
    } else {
        "`--fix`"
    };
    match (with_fix, hidden) {
        (0, 0) => format!("Found {}", problems(found)),
        (_, 0) => format!(
            "Found {} ({with_fix} fixable with {flags})",
            problems(found)
        ),
        (0, _) => format!(
            "Found {} ({hidden} fixable with `--fix --unsafe-fixes`)",
            problems(found)
        ),
        _ => format!(
            "Found {} ({with_fix} fixable with `--fix`, {hidden} more with `--fix --unsafe-fixes`)",
            problems(found)
        ),
    }
}
