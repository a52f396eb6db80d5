use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// Answers "does git ignore this path?" with the `.gitignore` files of every directory from the
/// path up to the top of its repository, plus the repository's `.git/info/exclude`.
///
/// Matchers are built once per directory and cached, so a walk reads each `.gitignore` once.
#[derive(Default)]
pub(crate) struct GitignoreStack {
    matchers: HashMap<PathBuf, Option<Gitignore>>,
}

impl GitignoreStack {
    pub(crate) fn is_ignored(&mut self, path: &Path, is_dir: bool) -> bool {
        let Ok(path) = std::path::absolute(path) else {
            return false;
        };
        // The nearest directory's rules win, as in git: walk outwards and stop at the first
        // file that has an opinion about this path.
        for directory in path.ancestors().skip(1) {
            if let Some(matcher) = self.matcher(directory) {
                match matcher.matched(&path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if directory.join(".git").exists() {
                break;
            }
        }
        false
    }

    fn matcher(&mut self, directory: &Path) -> Option<&Gitignore> {
        self.matchers
            .entry(directory.to_path_buf())
            .or_insert_with(|| build_matcher(directory))
            .as_ref()
    }
}

fn build_matcher(directory: &Path) -> Option<Gitignore> {
    let files = [
        directory.join(".gitignore"),
        directory.join(".git").join("info").join("exclude"),
    ];
    let existing: Vec<_> = files.iter().filter(|file| file.is_file()).collect();
    if existing.is_empty() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(directory);
    for file in existing {
        // A malformed line only loses that line; the rest of the file still applies.
        let _ = builder.add(file);
    }
    builder.build().ok().filter(|matcher| !matcher.is_empty())
}
