//! Finding a linted file's lines in a profile taken elsewhere: in another checkout, in a
//! container, or with the project installed as a package.

use std::path::{Component, Path};

use rustc_hash::FxHashMap;

use crate::{Cost, LineCost};

/// A memory profile, read from any format, with its lines indexed for lookup.
#[derive(Debug, Default)]
pub struct Profile {
    /// What measured it: `tracemalloc` (edgelint's profiler), `memray` or `scalene`.
    pub source: String,
    /// The run's peak, when the profiler says.
    pub peak_bytes: Option<u64>,
    /// Every line, the most held (else allocated) first.
    lines: Vec<LineCost>,
    /// The files by their last component (`load.py`), each with its rows.
    files: FxHashMap<String, Vec<ProfiledFile>>,
}

#[derive(Debug)]
struct ProfiledFile {
    /// The path's components from the project's root (or the installed package's top) down,
    /// so that a linted path that ends with them is this file.
    components: Vec<String>,
    /// By cell (in a notebook) and row.
    rows: FxHashMap<(Option<usize>, usize), Cost>,
}

impl Profile {
    pub fn new(source: &str, peak_bytes: Option<u64>, mut lines: Vec<LineCost>) -> Self {
        lines.sort_by(|a, b| {
            (b.cost.bytes(), &a.file, a.line).cmp(&(a.cost.bytes(), &b.file, b.line))
        });
        let mut files: FxHashMap<String, Vec<ProfiledFile>> = FxHashMap::default();
        for line in &lines {
            let components = portable_components(&line.file);
            let Some(name) = components.last().cloned() else {
                continue;
            };
            let candidates = files.entry(name).or_default();
            let file = match candidates
                .iter()
                .position(|file| file.components == components)
            {
                Some(index) => &mut candidates[index],
                None => {
                    candidates.push(ProfiledFile {
                        components,
                        rows: FxHashMap::default(),
                    });
                    candidates.last_mut().unwrap()
                }
            };
            let cost = file.rows.entry((line.cell, line.line)).or_default();
            cost.peak_bytes = cost.peak_bytes.max(line.cost.peak_bytes);
            cost.allocated_bytes = cost.allocated_bytes.max(line.cost.allocated_bytes);
        }
        Profile {
            source: source.to_string(),
            peak_bytes,
            lines,
            files,
        }
    }

    /// The `count` lines that held (else allocated) the most.
    pub fn top(&self, count: usize) -> &[LineCost] {
        &self.lines[..count.min(self.lines.len())]
    }

    /// What was measured at `row` of the linted file `path` (absolute), of its `cell` in a
    /// notebook: the profiled file whose path is the longest tail of `path`.
    pub fn at(&self, path: &Path, cell: Option<usize>, row: usize) -> Option<Cost> {
        let linted = normal_components(path);
        let candidates = self.files.get(linted.last()?)?;
        candidates
            .iter()
            .filter(|file| linted.ends_with(&file.components))
            .max_by_key(|file| file.components.len())
            .and_then(|file| file.rows.get(&(cell, row)).copied())
    }
}

/// The components of a profiled path that another machine shares: below `site-packages` for an
/// installed package (so `…/site-packages/app/load.py` is `app/load.py`), else all of them
/// (a relative path is relative to the profiled project's root already).
fn portable_components(file: &str) -> Vec<String> {
    let components = normal_components(Path::new(&file.replace('\\', "/")));
    match components
        .iter()
        .rposition(|component| component == "site-packages" || component == "dist-packages")
    {
        Some(index) => components[index + 1..].to_vec(),
        None => components,
    }
}

/// The named components of a path, `.` dropped and `..` applied.
fn normal_components(path: &Path) -> Vec<String> {
    let mut components = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => components.push(name.to_string_lossy().into_owned()),
            Component::ParentDir => {
                components.pop();
            }
            _ => {}
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Profile;
    use crate::{Cost, LineCost};

    fn line(file: &str, line: usize, peak: u64) -> LineCost {
        LineCost {
            file: file.to_string(),
            cell: None,
            line,
            cost: Cost {
                peak_bytes: Some(peak),
                allocated_bytes: None,
            },
        }
    }

    #[test]
    fn a_profile_from_another_checkout_or_container_matches_by_the_path_below_its_root() {
        let profile = Profile::new(
            "tracemalloc",
            None,
            vec![
                line("app/load.py", 5, 100),
                line("/usr/lib/python3/site-packages/tools/load.py", 7, 200),
                line("load.py", 9, 300),
            ],
        );
        let here = Path::new("/home/me/project/app/load.py");
        assert_eq!(profile.at(here, None, 5).map(Cost::bytes), Some(100));
        // `load.py` at the root is another file than `app/load.py`: the longest tail wins.
        assert_eq!(profile.at(here, None, 9), None);
        assert_eq!(
            profile
                .at(Path::new("/srv/load.py"), None, 9)
                .map(Cost::bytes),
            Some(300)
        );
        // An installed package is found by its module path.
        let tools = Path::new("/home/me/project/src/tools/load.py");
        assert_eq!(profile.at(tools, None, 7).map(Cost::bytes), Some(200));
        assert_eq!(profile.at(Path::new("/home/me/other/x.py"), None, 5), None);
        assert_eq!(profile.top(1)[0].line, 9);
    }
}
