//! Baselines, for adopting edgelint in a codebase with existing findings: `--write-baseline`
//! records today's findings, `--baseline` reports only the others and names the recorded ones
//! that no longer match, so the file shrinks as the code is fixed.
//!
//! A finding is recorded by its [`Identity`], what survives unrelated edits (rule, path,
//! enclosing classes and functions, the normalized text of the flagged line; never the line
//! number), with a count for repeats: the identity its fingerprints are made from.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use edgelint_diagnostics::{Identity, Message};
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

impl Entry {
    fn identity(&self) -> Identity<'_> {
        Identity {
            path: &self.path,
            code: &self.code,
            scope: &self.scope,
            line: &self.line,
        }
    }
}

/// Writes the findings as a baseline.
pub fn write(path: &Path, messages: &[Message]) -> Result<()> {
    let mut counts: BTreeMap<Identity, usize> = BTreeMap::new();
    for message in messages {
        *counts.entry(message.identity()).or_default() += 1;
    }
    let findings = counts
        .into_iter()
        .map(|(identity, count)| Entry {
            path: identity.path.to_string(),
            code: identity.code.to_string(),
            scope: identity.scope.to_string(),
            line: identity.line.to_string(),
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
    let mut remaining: BTreeMap<Identity, (usize, &Entry)> = file
        .findings
        .iter()
        .map(|entry| (entry.identity(), (entry.count, entry)))
        .collect();
    let recorded: Vec<bool> = messages
        .iter()
        .map(|message| match remaining.get_mut(&message.identity()) {
            Some((count, _)) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
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
    let new = messages
        .into_iter()
        .zip(recorded)
        .filter_map(|(message, recorded)| (!recorded).then_some(message))
        .collect();
    Ok((new, stale))
}
