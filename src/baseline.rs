//! Baselines, for adopting edgelint in a codebase with existing findings: `--write-baseline`
//! records today's findings, `--baseline` reports only the others and names the recorded ones
//! that no longer match, so the file shrinks as the code is fixed.
//!
//! A finding is recorded by what survives unrelated edits: rule, path, enclosing classes and
//! functions, and the normalized text of the flagged line, with a count for repeats. Never the
//! line number.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use edgelint_diagnostics::Message;
use serde::{Deserialize, Serialize};

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub scope: String,
    pub line: String,
    /// How many findings share the four fields above.
    pub count: usize,
}

type Key = (String, String, String, String);

fn key(message: &Message) -> Key {
    (
        message.filename.clone(),
        message.code.to_string(),
        message.scope.clone(),
        message.line_text.clone(),
    )
}

/// Writes the findings as a baseline.
pub fn write(path: &Path, messages: &[Message]) -> Result<()> {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for message in messages {
        *counts.entry(key(message)).or_default() += 1;
    }
    let findings = counts
        .into_iter()
        .map(|((path, code, scope, line), count)| Entry {
            path,
            code,
            scope,
            line,
            count,
        })
        .collect();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the baseline {}", path.display()))
}

/// The findings not in the baseline at `path`, and the baseline entries (of files linted in
/// this run) that matched nothing, with how many of their count went unmatched.
pub fn apply(
    path: &Path,
    messages: Vec<Message>,
    linted: &HashSet<String>,
) -> Result<(Vec<Message>, Vec<Entry>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?;
    let file: BaselineFile = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not an edgelint baseline (write one with --write-baseline)",
            path.display()
        )
    })?;
    if file.version != VERSION {
        bail!(
            "{} is a version {} baseline; this edgelint reads version {VERSION}",
            path.display(),
            file.version
        );
    }
    let mut remaining: BTreeMap<Key, (usize, &Entry)> = file
        .findings
        .iter()
        .map(|entry| {
            let key = (
                entry.path.clone(),
                entry.code.clone(),
                entry.scope.clone(),
                entry.line.clone(),
            );
            (key, (entry.count, entry))
        })
        .collect();
    let new: Vec<Message> = messages
        .into_iter()
        .filter(|message| match remaining.get_mut(&key(message)) {
            Some((count, _)) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect();
    let stale = remaining
        .into_values()
        .filter(|(count, entry)| *count > 0 && linted.contains(&entry.path))
        .map(|(count, entry)| Entry {
            count,
            ..entry.clone()
        })
        .collect();
    Ok((new, stale))
}
