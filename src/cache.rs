//! The cache of findings for repeat runs: for each file, the hash of its contents and of the
//! settings it was checked with, and the messages that gave. A file whose hashes match is not
//! parsed again. The cache lives in `.edgelint_cache/` (marked with a `CACHEDIR.TAG` so that
//! backup tools skip it), one file per edgelint version, and is replaced whole through a rename,
//! so that a run that is interrupted, or two runs at once, cannot leave it half-written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use edgelint_diagnostics::{
    Applicability, Drawing, Location, Message, MessageEdit, MessageEvidence, MessageFix, Severity,
};
use edgelint_linter::LintOptions;
use edgelint_rules::find_rule;
use edgelint_semantic::Shrunk;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by edgelint.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// A file with more findings than this is not cached: at about a kilobyte a finding, its entry
/// would take megabytes on disk and in the memory of every later run (a generated 20 MB module
/// with 178,000 findings wrote 172 MB), to save seconds of checking it again.
const MAX_CACHED_FINDINGS: usize = 5_000;

/// The findings of earlier runs, and those of this run to save.
pub struct Cache {
    path: PathBuf,
    entries: HashMap<String, Entry>,
    updated: Mutex<Vec<(String, Entry)>>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: u64,
    /// The other files whose summaries the findings used, with the hash of their contents.
    dependencies: Vec<(PathBuf, u64)>,
    messages: Vec<CachedMessage>,
    /// The objects of other modules the file shrinks: their files and names.
    shrunk: Vec<(PathBuf, String)>,
    /// The attributes the file hands on.
    handed_out: Vec<String>,
}

/// What the run keeps of one file's check.
pub struct Checked {
    pub messages: Vec<Message>,
    pub shrunk: Vec<Shrunk>,
    pub handed_out: Vec<String>,
}

impl Cache {
    /// The cache in `directory`; empty when there is none yet, or it cannot be read.
    pub fn load(directory: &Path) -> Cache {
        let path = directory.join(format!("edgelint-{}.json", env!("CARGO_PKG_VERSION")));
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Cache {
            path,
            entries,
            updated: Mutex::new(Vec::new()),
        }
    }

    /// The check of the file `name` when it was last checked with the same contents and
    /// settings, and every file whose summary it used is `unchanged`.
    pub fn get(
        &self,
        name: &str,
        key: u64,
        unchanged: impl Fn(&Path, u64) -> bool,
    ) -> Option<Checked> {
        let entry = self.entries.get(name).filter(|entry| {
            entry.key == key
                && entry
                    .dependencies
                    .iter()
                    .all(|(path, hash)| unchanged(path, *hash))
        })?;
        let messages = entry
            .messages
            .iter()
            .map(CachedMessage::to_message)
            .collect::<Option<_>>()?;
        let shrunk = entry
            .shrunk
            .iter()
            .map(|(path, name)| Shrunk {
                path: path.clone(),
                name: name.clone(),
            })
            .collect();
        Some(Checked {
            messages,
            shrunk,
            handed_out: entry.handed_out.clone(),
        })
    }

    /// Records the check of a file in this run, and the files it depends on; not when it has
    /// more than [`MAX_CACHED_FINDINGS`] findings.
    pub fn put(
        &self,
        name: &str,
        key: u64,
        dependencies: &[(PathBuf, u64)],
        messages: &[Message],
        shrunk: &[Shrunk],
        handed_out: &[String],
    ) {
        if messages.len() > MAX_CACHED_FINDINGS {
            return;
        }
        let entry = Entry {
            key,
            dependencies: dependencies.to_vec(),
            messages: messages.iter().map(CachedMessage::from).collect(),
            shrunk: shrunk
                .iter()
                .map(|shrunk| (shrunk.path.clone(), shrunk.name.clone()))
                .collect(),
            handed_out: handed_out.to_vec(),
        };
        if let Ok(mut updated) = self.updated.lock() {
            updated.push((name.to_string(), entry));
        }
    }

    /// Writes the cache back when this run changed it. Failing to is not an error of the run:
    /// the next run will just check everything again.
    pub fn save(self) {
        let updated = self.updated.into_inner().unwrap_or_default();
        if updated.is_empty() {
            return;
        }
        let mut entries = self.entries;
        entries.extend(updated);
        let Some(directory) = self.path.parent() else {
            return;
        };
        let _ = std::fs::create_dir_all(directory)
            .and_then(|()| {
                let tag = directory.join("CACHEDIR.TAG");
                if tag.exists() {
                    Ok(())
                } else {
                    std::fs::write(&tag, CACHEDIR_TAG)
                        .and_then(|()| std::fs::write(directory.join(".gitignore"), "*\n"))
                }
            })
            .and_then(|()| {
                let bytes = serde_json::to_vec(&entries).map_err(std::io::Error::other)?;
                let temporary = tempfile::NamedTempFile::new_in(directory)?;
                std::fs::write(temporary.path(), bytes)?;
                temporary.persist(&self.path).map_err(|error| error.error)?;
                Ok(())
            });
    }
}

/// The code this binary was built from (see `build.rs`): findings cached by another build,
/// even of the same version, may come from other rules.
const BUILD_ID: &str = env!("EDGELINT_BUILD_ID");

/// What a file's findings depend on: its bytes (by `content_hash`, their hash as the project
/// index records it: the file is read through once), the rules and settings it is checked
/// with, and the build that checks it. Not the format or the terminal: an entry serves them all.
pub fn key(content_hash: u64, options: &LintOptions) -> u64 {
    key_for_build(BUILD_ID, content_hash, options)
}

fn key_for_build(build: &str, content_hash: u64, options: &LintOptions) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(build.as_bytes());
    hasher.update(&content_hash.to_le_bytes());
    for rule in options.rules.iter() {
        hasher.update(rule.code.as_bytes());
    }
    hasher.update(&[
        u8::from(options.rules.pedantic()),
        u8::from(options.rules.keeps_unproven()),
    ]);
    for (code, severity) in options.severities {
        hasher.update(code.as_bytes());
        hasher.update(severity.as_str().as_bytes());
    }
    hasher.update(options.target_version.to_string().as_bytes());
    hasher.digest()
}

/// A fix as the cache stores it: whether it is safe, and its edits (text, start, end).
type CachedFix = (bool, Vec<(String, (usize, usize), (usize, usize))>);

/// A [`Message`] as the cache stores it: rule codes and names are looked up again on load.
#[derive(Serialize, Deserialize)]
struct CachedMessage {
    code: String,
    severity: String,
    message: String,
    help: Option<String>,
    filename: String,
    cell: Option<usize>,
    location: (usize, usize),
    end_location: (usize, usize),
    fix: Option<CachedFix>,
    evidence: Option<MessageEvidence>,
    drawing: Option<Box<Drawing>>,
    line_text: String,
    scope: String,
    unless_shrunk_elsewhere: Option<String>,
    unless_handed_out_elsewhere: Vec<String>,
    unproven: Option<String>,
}

impl From<&Message> for CachedMessage {
    fn from(message: &Message) -> Self {
        let point = |location: Location| (location.row, location.column);
        CachedMessage {
            code: message.code.to_string(),
            severity: message.severity.as_str().to_string(),
            message: message.message.clone(),
            help: message.help.clone(),
            filename: message.filename.clone(),
            cell: message.cell,
            location: point(message.location),
            end_location: point(message.end_location),
            fix: message.fix.as_ref().map(|fix| {
                let edits = fix
                    .edits
                    .iter()
                    .map(|edit| {
                        let (start, end) = (point(edit.location), point(edit.end_location));
                        (edit.content.clone(), start, end)
                    })
                    .collect();
                (fix.applicability == Applicability::Safe, edits)
            }),
            evidence: message.evidence.clone(),
            drawing: message.drawing.clone(),
            line_text: message.line_text.clone(),
            scope: message.scope.clone(),
            unless_shrunk_elsewhere: message.unless_shrunk_elsewhere.clone(),
            unless_handed_out_elsewhere: message.unless_handed_out_elsewhere.clone(),
            unproven: message.unproven.clone(),
        }
    }
}

impl CachedMessage {
    /// The message, or `None` when its rule or severity is unknown to this build.
    fn to_message(&self) -> Option<Message> {
        let rule = find_rule(&self.code)?;
        let severity = match self.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => return None,
        };
        let location = |(row, column)| Location { row, column };
        Some(Message {
            code: rule.code,
            name: rule.name,
            severity,
            message: self.message.clone(),
            help: self.help.clone(),
            filename: self.filename.clone(),
            cell: self.cell,
            location: location(self.location),
            end_location: location(self.end_location),
            fix: self.fix.as_ref().map(|(safe, edits)| MessageFix {
                applicability: if *safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                edits: edits
                    .iter()
                    .map(|(content, start, end)| MessageEdit {
                        content: content.clone(),
                        location: location(*start),
                        end_location: location(*end),
                    })
                    .collect(),
            }),
            evidence: self.evidence.clone(),
            drawing: self.drawing.clone(),
            line_text: self.line_text.clone(),
            scope: self.scope.clone(),
            unless_shrunk_elsewhere: self.unless_shrunk_elsewhere.clone(),
            unless_handed_out_elsewhere: self.unless_handed_out_elsewhere.clone(),
            unproven: self.unproven.clone(),
            // Joined after the cache, from the profile of this run.
            measured: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use edgelint_linter::LintOptions;
    use edgelint_rules::{PythonVersion, RuleSet};

    use edgelint_diagnostics::{Diagnostic, Message, Severity};
    use ruff_text_size::TextRange;

    use super::{key, key_for_build, Cache, BUILD_ID, MAX_CACHED_FINDINGS};
    use edgelint_project::ProjectIndex;

    /// Bug: a generated 20 MB module with 178,000 findings wrote a 172 MB cache entry.
    #[test]
    fn a_file_with_too_many_findings_is_not_cached() {
        let scratch = tempfile::tempdir().unwrap();
        let directory = scratch.path().join("cache");
        let finding = Diagnostic::new("EL201", "x", Severity::Warning, "m", TextRange::default());
        let message = Message::without_source(&finding, "big.py");
        for (count, cached) in [
            (MAX_CACHED_FINDINGS, true),
            (MAX_CACHED_FINDINGS + 1, false),
        ] {
            let cache = Cache::load(&directory);
            cache.put("big.py", 7, &[], &vec![message.clone(); count], &[], &[]);
            cache.save();
            let found = Cache::load(&directory)
                .get("big.py", 7, |_, _| true)
                .map(|checked| checked.messages.len());
            assert_eq!(found, cached.then_some(count), "{count} findings");
            let _ = std::fs::remove_dir_all(&directory);
        }
    }

    /// Two builds of the same version with different rules must not share findings: the build
    /// is part of every entry's key.
    #[test]
    fn two_builds_do_not_share_a_cache() {
        let rules = RuleSet::defaults();
        let options = LintOptions {
            rules: &rules,
            severities: &[],
            target_version: PythonVersion::DEFAULT,
            project: None,
        };
        let content_hash = ProjectIndex::hash(b"x = sum([v for v in range(3)])\n");
        assert_eq!(
            key(content_hash, &options),
            key_for_build(BUILD_ID, content_hash, &options)
        );
        assert_ne!(
            key_for_build("one build", content_hash, &options),
            key_for_build("another build", content_hash, &options)
        );
        assert_eq!(BUILD_ID.len(), 16, "a hash of the sources: {BUILD_ID}");
    }
}
