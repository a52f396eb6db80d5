//! The driver: turns arguments into a rule set, finds the files, lints them in parallel and
//! writes one deterministic report.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use edgelint_config::ConfigError;
use edgelint_diagnostics::{emit, Message, OutputFormat, RenderOptions, RuleInfo};
use edgelint_linter::{lint_path, lint_source, LintOptions};
use edgelint_rules::{docs, find_rule, RULES};
use edgelint_source::{discover, Discovered};
use rayon::prelude::*;

use crate::args::{Args, Color};
use crate::baseline;
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
    let render = RenderOptions {
        full: format == OutputFormat::Full,
        color: use_color(args.color, args.output_file.is_none()),
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .stack_size(THREAD_STACK_SIZE)
        .build()
        .context("cannot start the worker threads")?;
    let outcome = pool.install(|| lint_all(args, &settings, render))?;
    if let Some(error) = outcome.config_errors.into_iter().next() {
        // A configuration file met during the walk is invalid: the run itself failed.
        return Err(error.into());
    }

    let mut messages = outcome.messages;
    messages.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    if args.add_noqa {
        let (lines, files) = add_noqa(&messages)?;
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
    let mut report = Vec::new();
    if args.statistics {
        write_statistics(format, &messages, &mut report)?;
    } else {
        emit(format, &messages, &rule_infos(), &mut report)?;
    }
    match &args.output_file {
        Some(path) => std::fs::write(path, &report)
            .with_context(|| format!("cannot write the report to {}", path.display()))?,
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(&report)?;
            stdout.flush()?;
        }
    }

    let mut stderr = io::stderr().lock();
    for (path, error) in &outcome.internal_errors {
        writeln!(
            stderr,
            "edgelint: error: internal error while checking {path}: {error}\n\
             This is a bug in edgelint; the other files were checked. Please report it with the file."
        )?;
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
    if format.is_human() && !args.quiet {
        writeln!(stderr, "{}", summary(&messages))?;
    }

    Ok(if !outcome.internal_errors.is_empty() {
        ExitStatus::Failure
    } else if messages.is_empty() || args.exit_zero {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

#[derive(Default)]
struct Outcome {
    messages: Vec<Message>,
    /// Files whose check panicked, with the panic message.
    internal_errors: Vec<(String, String)>,
    /// Invalid configuration files found next to the files being linted.
    config_errors: Vec<ConfigError>,
    /// The files linted, as shown in messages.
    linted: HashSet<String>,
}

fn lint_all(args: &Args, settings: &Settings, render: RenderOptions) -> Result<Outcome> {
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|path| path.as_os_str() == "-");
    let mut outcome = if stdin.is_empty() {
        Outcome::default()
    } else {
        lint_stdin(args, settings, render)?
    };

    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    let cwd = std::env::current_dir().ok();
    let display_path = |path: &Path| display_path(path, cwd.as_deref());
    // Files are pulled from the walk one at a time as threads free up; each file's text, tree
    // and model are dropped before its thread takes the next, and only messages are kept.
    let results: Vec<(String, FileResult)> = discover(&paths, &settings.discovery)
        .par_bridge()
        .map(|found| match found {
            Discovered::File(path) => {
                let name = display_path(&path);
                let file_settings = match settings.for_file(&path) {
                    Ok(file_settings) => file_settings,
                    Err(error) => return (name, FileResult::Config(error)),
                };
                let options = LintOptions {
                    rules: &file_settings.rules,
                    severities: file_settings.severities(),
                    target_version: file_settings.target_version(),
                    render,
                };
                let result = match lint_path(&path, &name, options) {
                    Ok(messages) => FileResult::Messages(messages),
                    Err(error) => FileResult::Internal(error.message),
                };
                (name, result)
            }
            Discovered::Error { path, message } => {
                let name = display_path(&path);
                let message = edgelint_linter::io_error_message(&name, &message, render);
                (name, FileResult::Messages(vec![message]))
            }
        })
        .collect();
    for (name, result) in results {
        outcome.linted.insert(name.clone());
        match result {
            FileResult::Messages(messages) => outcome.messages.extend(messages),
            FileResult::Internal(error) => outcome.internal_errors.push((name, error)),
            FileResult::Config(error) => {
                if !outcome.config_errors.contains(&error) {
                    outcome.config_errors.push(error);
                }
            }
        }
    }
    outcome.internal_errors.sort();
    Ok(outcome)
}

enum FileResult {
    Messages(Vec<Message>),
    Internal(String),
    Config(ConfigError),
}

fn lint_stdin(args: &Args, settings: &Settings, render: RenderOptions) -> Result<Outcome> {
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let name = display_path(&path, std::env::current_dir().ok().as_deref());
    let mut outcome = Outcome::default();
    outcome.linted.insert(name.clone());
    let file_settings = settings.for_file(&path)?;
    let options = LintOptions {
        rules: &file_settings.rules,
        severities: file_settings.severities(),
        target_version: file_settings.target_version(),
        render,
    };
    match lint_source(edgelint_source::decode(bytes), &path, &name, options) {
        Ok(messages) => outcome.messages = messages,
        Err(error) => outcome.internal_errors.push((name, error.message)),
    }
    Ok(outcome)
}

/// Paths are shown relative to the current directory when they are inside it.
fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    relative.display().to_string()
}

/// `auto` colours only a report written to a terminal.
fn use_color(color: Color, to_stdout: bool) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            to_stdout && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
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
    let (mut lines, mut files) = (0, 0);
    for (name, rows) in by_file {
        if name == "-" {
            continue;
        }
        let path = Path::new(name);
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {name} to add `# noqa`"))?;
        let Some((new_text, changed)) = edgelint_linter::add_noqa(&text, path, &rows) else {
            continue;
        };
        write_atomically(path, &new_text)?;
        lines += changed;
        files += 1;
    }
    Ok((lines, files))
}

/// Writes through a temporary file in the same directory and a rename, so that the file is
/// never half-written; its permissions are kept.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".edgelint-tmp");
    let temporary = PathBuf::from(temporary);
    let permissions = std::fs::metadata(path)?.permissions();
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::set_permissions(&temporary, permissions))
        .and_then(|()| std::fs::rename(&temporary, path))
        .with_context(|| format!("cannot write {}", path.display()))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
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
fn write_statistics(format: OutputFormat, messages: &[Message], out: &mut Vec<u8>) -> Result<()> {
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

fn summary(messages: &[Message]) -> String {
    if messages.is_empty() {
        return "All checks passed: no problems found".to_string();
    }
    let fixable = messages
        .iter()
        .filter(|message| message.fix.is_some())
        .count();
    let noun = if messages.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    if fixable == 0 {
        format!("Found {} {noun}", messages.len())
    } else {
        format!("Found {} {noun} ({fixable} fixable)", messages.len())
    }
}
