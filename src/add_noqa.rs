//! `--add-noqa`: a `# noqa` comment for every finding left, written into the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use edgelint_diagnostics::Message;
use rayon::prelude::*;

/// `--add-noqa`: writes the directives into each file with findings (engine findings, such as
/// syntax errors, cannot be suppressed). Returns the lines and files changed.
pub fn add_noqa(messages: &[Message]) -> Result<(usize, usize)> {
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
