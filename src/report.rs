//! The report of a run: the findings in the chosen format (or their statistics), then on
//! standard error what else the run did (failures, fixes, stale baseline entries), the summary
//! line, and the exit status.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};
use edgelint_diagnostics::{
    emit, human_bytes, Applicability, Measured, Message, OutputFormat, RuleInfo, Style,
};
use edgelint_rules::{find_rule, RULES};

use crate::args::Color;
use crate::baseline::Entry;
use crate::outcome::Outcome;
use crate::run::ExitStatus;
use crate::settings::{Fixes, Settings};

/// Writes the report of `outcome`, whose `messages` are sorted and filtered through the
/// baseline (whose `stale` entries are listed), and says how the run ends.
pub fn write(
    settings: &Settings,
    outcome: &Outcome,
    messages: &[Message],
    stale: &[Entry],
) -> Result<ExitStatus> {
    let format = settings.format;
    // The diff or the fixed source takes standard output; the report then goes to standard error.
    let stdin = settings.stdin.is_some();
    let options = &settings.report;
    let shown = matches!(settings.fixes, Fixes::Shown(_));
    let report_to_stderr = match settings.fixes {
        Fixes::Reported => false,
        Fixes::Applied(_) => stdin,
        Fixes::Shown(_) => true,
    };
    // A reader that stops early (`edgelint src | head`) ends the report, not the run: the
    // exit status still says what was found.
    match write_output(settings, outcome, messages, report_to_stderr) {
        Err(error) if !is_closed_pipe(&error) => return Err(error),
        _ => {}
    }

    let mut stderr = io::stderr().lock();
    for error in &outcome.errors {
        writeln!(stderr, "edgelint: error: {error}")?;
    }
    if settings.show_fixes && !outcome.fixed.is_empty() {
        write!(stderr, "{}", describe_fixes(&outcome.fixed, shown))?;
    }
    write_stale(&mut stderr, stale)?;
    let fixed: usize = outcome
        .fixed
        .iter()
        .flat_map(|(_, applied)| applied.values())
        .sum();
    if format.is_human() && !options.quiet {
        write!(stderr, "{}", measured_table(messages))?;
        writeln!(stderr, "{}", summary(messages, fixed, settings))?;
    }

    Ok(if !outcome.errors.is_empty() {
        ExitStatus::Failure
    } else if options.exit_zero {
        ExitStatus::Clean
    } else if !messages.is_empty() || (fixed > 0 && (shown || options.exit_non_zero_on_fix)) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// The diff or the fixed source on standard output, then the findings.
fn write_output(
    settings: &Settings,
    outcome: &Outcome,
    messages: &[Message],
    report_to_stderr: bool,
) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(outcome.diff.as_bytes())?;
    if let Some(source) = &outcome.fixed_stdin {
        stdout.write_all(source)?;
    }
    stdout.flush()?;
    drop(stdout);
    write_findings(settings, messages, report_to_stderr)
}

/// Whether `error` is a write to a pipe whose reader has gone.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|error| error.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The findings (or their statistics) in `format`, written as they are made to the output
/// file, standard error or standard output: a big report is never held whole.
fn write_findings(settings: &Settings, messages: &[Message], to_stderr: bool) -> Result<()> {
    let options = &settings.report;
    let format = settings.format;
    let style = Style {
        color: options.output_file.is_none() && use_color(options.color, to_stderr),
        unsafe_fixes: settings.unsafe_fixes,
    };
    let (report, destination): (Box<dyn Write>, _) = match &options.output_file {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            (Box::new(file), path.display().to_string())
        }
        None if to_stderr => (Box::new(io::stderr().lock()), "standard error".into()),
        None => (Box::new(io::stdout().lock()), "standard output".into()),
    };
    let mut report = io::BufWriter::new(report);
    let written = if options.statistics {
        write_statistics(format, messages, settings.unsafe_fixes, &mut report)
    } else {
        emit(format, messages, &rule_infos(), style, &mut report).map_err(Into::into)
    };
    written
        .and_then(|()| Ok(report.flush()?))
        .with_context(|| format!("cannot write the report to {destination}"))
}

/// The baseline entries that matched no finding, so that the baseline can shrink.
fn write_stale(stderr: &mut impl Write, stale: &[Entry]) -> Result<()> {
    if stale.is_empty() {
        return Ok(());
    }
    let count: usize = stale.iter().map(|entry| entry.count).sum();
    writeln!(
        stderr,
        "edgelint: {count} baseline entries no longer match a finding (fixed, or the line changed); rewrite the baseline with --write-baseline to drop them:"
    )?;
    for entry in stale {
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
    Ok(())
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

/// `--statistics`: how many findings each rule has, most first, and whether `--fix` fixes some
/// of them (`[*]`); a JSON array with `json`.
fn write_statistics(
    format: OutputFormat,
    messages: &[Message],
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> Result<()> {
    struct Row {
        code: &'static str,
        name: &'static str,
        count: usize,
        fixable: bool,
    }
    let mut rows: Vec<Row> = Vec::new();
    for message in messages {
        let fixable = message.is_fixable(unsafe_fixes);
        match rows.iter_mut().find(|row| row.code == message.code) {
            Some(row) => {
                row.count += 1;
                row.fixable |= fixable;
            }
            None => rows.push(Row {
                code: message.code,
                name: message.name,
                count: 1,
                fixable,
            }),
        }
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    if format == OutputFormat::Json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|row| {
                serde_json::json!({
                    "code": row.code,
                    "name": row.name,
                    "count": row.count,
                    "fixable": row.fixable,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else {
        let width = rows.first().map_or(1, |row| row.count.to_string().len());
        for row in rows {
            let mark = if row.fixable { "[*]" } else { "   " };
            writeln!(
                out,
                "{:>width$}  {}  {mark} {}",
                row.count, row.code, row.name
            )?;
        }
    }
    Ok(())
}

/// The findings a profile measured, the most memory first (`--profile`): where to start.
fn measured_table(messages: &[Message]) -> String {
    const SHOWN: usize = 5;
    let mut measured: Vec<(&Message, &Measured)> = messages
        .iter()
        .filter_map(|message| Some((message, message.measured.as_ref()?)))
        .collect();
    if measured.is_empty() {
        return String::new();
    }
    measured.sort_by_key(|(message, measured)| {
        (std::cmp::Reverse(measured.bytes()), message.sort_key())
    });
    let mut table = format!(
        "Measured in the profiled run, the findings whose data held the most ({} of {}):\n",
        measured.len().min(SHOWN),
        measured.len()
    );
    for (message, measured) in measured.iter().take(SHOWN) {
        let _ = writeln!(
            table,
            "{:>10}  {} {} {}",
            human_bytes(measured.bytes()),
            message.place(),
            message.code,
            message.name
        );
    }
    table
}

/// The last line on standard error: how many findings, and what `--fix` did or can do.
fn summary(messages: &[Message], fixed: usize, settings: &Settings) -> String {
    let found = messages.len();
    if matches!(settings.fixes, Fixes::Shown(_)) {
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
    if matches!(settings.fixes, Fixes::Applied(_)) {
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

/// `--show-fixes`: the fixes applied, per file and rule.
fn describe_fixes(files: &[(String, BTreeMap<&'static str, usize>)], would: bool) -> String {
    let total: usize = files.iter().flat_map(|(_, applied)| applied.values()).sum();
    let mut text = String::new();
    let verb = if would { "Would fix" } else { "Fixed" };
    let _ = writeln!(text, "{verb} {}:", problems(total));
    for (name, applied) in files {
        let _ = writeln!(text, "- {name}:");
        for (code, count) in applied {
            let rule_name = find_rule(code).map_or("", |rule| rule.name);
            let _ = writeln!(text, "    {count} × {code} ({rule_name})");
        }
    }
    text
}

/// "1 problem", "2 problems".
pub fn problems(count: usize) -> String {
    if count == 1 {
        "1 problem".to_string()
    } else {
        format!("{count} problems")
    }
}
