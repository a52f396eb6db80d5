//! Configuration files: `[tool.edgelint]` in `pyproject.toml`, `edgelint.toml` and
//! `.edgelint.toml`. Finding the one that applies to a file, reading it, and rejecting anything
//! it does not understand with an error that points at the offending key or value.

mod error;
mod options;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use edgelint_diagnostics::{OutputFormat, Severity};
use edgelint_rules::{find_rule, PythonVersion, RuleSelector, RuleSet};
use globset::{Glob, GlobMatcher};
use toml::Spanned;

pub use error::ConfigError;
use options::{Options, Pyproject};

/// The files edgelint reads its settings from, in the order they are looked for in a directory.
pub const CONFIG_FILE_NAMES: [&str; 3] = [".edgelint.toml", "edgelint.toml", "pyproject.toml"];

/// The lowest version a `requires-python` specifier allows (`>=3.9`, `~=3.10`, `>=3.8,<4`).
fn lowest_allowed(specifier: &str) -> Option<PythonVersion> {
    specifier.split(',').find_map(|clause| {
        let clause = clause.trim();
        let version = ["~=", ">=", "=="]
            .iter()
            .find_map(|operator| clause.strip_prefix(operator))?
            .trim();
        let mut parts = version.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.trim_end_matches('*').parse().ok()?;
        Some(PythonVersion::new(major, minor))
    })
}

/// One configuration file, validated.
#[derive(Debug)]
pub struct Config {
    /// The file the settings came from.
    pub path: PathBuf,
    /// Its directory: relative patterns are relative to it.
    pub root: PathBuf,
    pub select: Option<Vec<RuleSelector>>,
    pub extend_select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
    pub per_file_ignores: PerFileIgnores,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
    /// `fix`, `unsafe-fixes` and `show-fixes`: the defaults of the flags of the same names.
    pub fix: Option<bool>,
    pub unsafe_fixes: Option<bool>,
    pub show_fixes: Option<bool>,
    /// `pedantic`: the default of `--pedantic`.
    pub pedantic: Option<bool>,
    /// `profile`: the memory profile findings are joined with, relative to `root`.
    pub profile: Option<PathBuf>,
    /// `profile-threshold`: the bytes a line must have held for its findings to show them.
    pub profile_threshold: Option<u64>,
    /// `target-version`, or the lowest version `[project] requires-python` allows.
    pub target_version: Option<PythonVersion>,
    /// `[rules.CODE] severity = ...`: severities that replace the rules' own.
    pub severities: Vec<(&'static str, Severity)>,
    /// `output-format`, checked by the caller (which knows the formats) through
    /// [`Config::check_output_format`].
    output_format: Option<Spanned<String>>,
    source: String,
}

impl Config {
    /// An empty configuration for `path` (a `pyproject.toml` without `[tool.edgelint]`).
    fn empty(path: &Path, source: String) -> Self {
        Config {
            path: path.to_path_buf(),
            root: root_of(path),
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            per_file_ignores: PerFileIgnores::new(root_of(path)),
            exclude: None,
            extend_exclude: Vec::new(),
            respect_gitignore: None,
            force_exclude: None,
            fix: None,
            unsafe_fixes: None,
            show_fixes: None,
            pedantic: None,
            profile: None,
            profile_threshold: None,
            target_version: None,
            severities: Vec::new(),
            output_format: None,
            source,
        }
    }

    /// Reads and validates the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let source =
            std::fs::read_to_string(path).map_err(|error| ConfigError::unreadable(path, &error))?;
        Self::parse(path, source)
    }

    /// Validates `source` as the contents of `path`.
    pub fn parse(path: &Path, source: String) -> Result<Config, ConfigError> {
        let is_pyproject = path
            .file_name()
            .is_some_and(|name| name == "pyproject.toml");
        let (options, requires_python) = if is_pyproject {
            let pyproject: Pyproject = toml::from_str(&source)
                .map_err(|error| ConfigError::from_toml(path, &source, &error))?;
            let requires_python = pyproject
                .project
                .and_then(|project| project.requires_python);
            match pyproject.tool.and_then(|tool| tool.edgelint) {
                Some(options) => (options, requires_python),
                None => return Ok(Config::empty(path, source)),
            }
        } else {
            let options: Options = toml::from_str(&source)
                .map_err(|error| ConfigError::from_toml(path, &source, &error))?;
            (options, None)
        };
        let error_at = |value: &Spanned<String>, message: String, label: &str| {
            ConfigError::at(path, &source, value.span(), message, label)
        };
        let selectors = |values: Option<Vec<Spanned<String>>>| {
            values
                .unwrap_or_default()
                .iter()
                .map(|value| {
                    RuleSelector::from_str(value.get_ref())
                        .map_err(|error| error_at(value, error.to_string(), "unknown rule"))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let mut per_file_ignores = PerFileIgnores::new(root_of(path));
        for (pattern, codes) in options
            .per_file_ignores
            .map(Spanned::into_inner)
            .unwrap_or_default()
        {
            let span = codes.span();
            let selectors = selectors(Some(codes.into_inner()))?;
            per_file_ignores.add(&pattern, selectors).map_err(|error| {
                ConfigError::at(
                    path,
                    &source,
                    span,
                    format!("invalid glob `{pattern}` in `per-file-ignores`: {error}"),
                    "for this pattern",
                )
            })?;
        }
        let profile_threshold = match options.profile_threshold {
            Some(size) => Some(
                edgelint_profile::parse_size(size.get_ref())
                    .map_err(|reason| error_at(&size, reason, "not a size"))?,
            ),
            None => None,
        };
        let target_version = match (options.target_version, requires_python) {
            (Some(version), _) => {
                Some(PythonVersion::from_str(version.get_ref()).map_err(|()| {
                    error_at(
                        &version,
                        format!(
                            "unknown target version `{}`; expected one of {}",
                            version.get_ref(),
                            PythonVersion::SUPPORTED_MINORS
                                .map(|minor| format!("`py3{minor}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "not a supported version",
                    )
                })?)
            }
            (None, Some(requires)) => lowest_allowed(requires.get_ref()),
            (None, None) => None,
        };
        let mut severities = Vec::new();
        for (code, rule_options) in options.rules.unwrap_or_default() {
            let span = rule_options.span();
            let Some(rule) = find_rule(&code) else {
                return Err(ConfigError::at(
                    path,
                    &source,
                    span,
                    format!("unknown rule `{code}` in `rules`; expected a rule code such as `EL201` or a rule name (see `edgelint --list-rules`)"),
                    "settings for an unknown rule",
                ));
            };
            if let Some(severity) = rule_options.into_inner().severity {
                let parsed = match severity.get_ref().as_str() {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    "info" => Severity::Info,
                    other => {
                        return Err(error_at(
                            &severity,
                            format!("unknown severity `{other}`; expected one of `error`, `warning`, `info`"),
                            "not a severity",
                        ))
                    }
                };
                severities.push((rule.code, parsed));
            }
        }
        let strings = |values: Option<Vec<Spanned<String>>>| {
            values.map(|values| values.into_iter().map(Spanned::into_inner).collect())
        };
        Ok(Config {
            select: match options.select {
                Some(select) => Some(selectors(Some(select))?),
                None => None,
            },
            extend_select: selectors(options.extend_select)?,
            ignore: selectors(options.ignore)?,
            per_file_ignores,
            exclude: strings(options.exclude),
            extend_exclude: strings(options.extend_exclude).unwrap_or_default(),
            respect_gitignore: options.respect_gitignore,
            force_exclude: options.force_exclude,
            fix: options.fix,
            unsafe_fixes: options.unsafe_fixes,
            show_fixes: options.show_fixes,
            pedantic: options.pedantic,
            profile: options.profile.map(|profile| root_of(path).join(profile)),
            profile_threshold,
            target_version,
            severities,
            output_format: options.output_format,
            ..Config::empty(path, source)
        })
    }

    /// The `output-format`, or an error pointing at the value when it names no format.
    pub fn output_format(&self) -> Result<Option<OutputFormat>, ConfigError> {
        let Some(format) = &self.output_format else {
            return Ok(None);
        };
        match OutputFormat::from_name(format.get_ref()) {
            Some(parsed) => Ok(Some(parsed)),
            None => Err(ConfigError::at(
                &self.path,
                &self.source,
                format.span(),
                format!(
                    "unknown output format `{}`; expected one of {}",
                    format.get_ref(),
                    OutputFormat::ALL
                        .map(|format| format!("`{}`", format.name()))
                        .join(", ")
                ),
                "not an output format",
            )),
        }
    }

    /// The rules for `file`: the file's settings, then the command line's on top (its
    /// `--select` replaces the file's; its `--extend-select` and `--ignore` add to them), less
    /// what `per-file-ignores` turns off for this file.
    pub fn rules_for(&self, file: &Path, cli: &RuleSelection) -> RuleSet {
        let select = cli.select.as_deref().or(self.select.as_deref());
        let extend_select: Vec<RuleSelector> = self
            .extend_select
            .iter()
            .chain(&cli.extend_select)
            .cloned()
            .collect();
        let mut ignore: Vec<RuleSelector> =
            self.ignore.iter().chain(&cli.ignore).cloned().collect();
        ignore.extend(self.per_file_ignores.for_file(file));
        RuleSet::resolve(select, &extend_select, &ignore)
    }
}

/// The rule selection given on the command line.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Option<Vec<RuleSelector>>,
    pub extend_select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
}

fn root_of(path: &Path) -> PathBuf {
    let directory = path.parent().unwrap_or(Path::new("."));
    let directory = if directory.as_os_str().is_empty() {
        Path::new(".")
    } else {
        directory
    };
    std::path::absolute(directory).unwrap_or_else(|_| directory.to_path_buf())
}

/// `per-file-ignores`: rules not to report in the files a glob matches. A glob matches the path
/// relative to `root`, or the bare file name.
#[derive(Debug, Clone)]
pub struct PerFileIgnores {
    root: PathBuf,
    entries: Vec<(GlobMatcher, Vec<RuleSelector>)>,
}

impl PerFileIgnores {
    pub fn new(root: PathBuf) -> Self {
        PerFileIgnores {
            root,
            entries: Vec::new(),
        }
    }

    pub fn add(
        &mut self,
        pattern: &str,
        selectors: Vec<RuleSelector>,
    ) -> Result<(), globset::Error> {
        let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
        self.entries
            .push((Glob::new(pattern)?.compile_matcher(), selectors));
        Ok(())
    }

    /// Whether no glob is given: then no file has rules not to report.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The rules not to report in `file`.
    pub fn for_file<'a>(&'a self, file: &'a Path) -> impl Iterator<Item = RuleSelector> + 'a {
        // Worked out only when there is a glob to match it against: most runs have none.
        let relative = (!self.is_empty()).then(|| {
            let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
            absolute
                .strip_prefix(&self.root)
                .unwrap_or(file)
                .to_path_buf()
        });
        let name = file.file_name().map(Path::new);
        self.entries
            .iter()
            .filter(move |(matcher, _)| {
                relative
                    .as_ref()
                    .is_some_and(|relative| matcher.is_match(relative))
                    || name.is_some_and(|name| matcher.is_match(name))
            })
            .flat_map(|(_, selectors)| selectors.iter().cloned())
    }
}

/// Where each directory's settings come from, found once per directory and shared by every
/// file in it.
pub struct ConfigResolver {
    /// `--config`: one file for every path.
    forced: Option<Arc<Config>>,
    /// `--isolated`: no file at all.
    isolated: bool,
    /// What each directory resolved to, failures included: an invalid file is read once.
    by_directory: Mutex<HashMap<PathBuf, Resolved>>,
    /// The working directory, asked of the system once rather than for every file: relative
    /// directories are made absolute from it.
    cwd: Option<PathBuf>,
}

/// The configuration that applies in a directory (none: the defaults), or why it cannot be had.
type Resolved = Result<Option<Arc<Config>>, ConfigError>;

impl ConfigResolver {
    pub fn new(forced: Option<Config>, isolated: bool) -> Self {
        ConfigResolver {
            forced: forced.map(Arc::new),
            isolated,
            by_directory: Mutex::new(HashMap::new()),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// The configuration that applies to files in `directory`: the closest file in it or above
    /// it that holds edgelint settings.
    pub fn for_directory(&self, directory: &Path) -> Resolved {
        if let Some(forced) = &self.forced {
            return Ok(Some(Arc::clone(forced)));
        }
        if self.isolated {
            return Ok(None);
        }
        // Every file of a directory asks with the same path: it is known as given, without
        // making it absolute again.
        if let Some(known) = self.by_directory.lock().unwrap().get(directory) {
            return known.clone();
        }
        let absolute = match &self.cwd {
            Some(cwd) if directory.is_relative() => std::path::absolute(cwd.join(directory)),
            _ => std::path::absolute(directory),
        }
        .unwrap_or(directory.to_path_buf());
        let known = self.by_directory.lock().unwrap().get(&absolute).cloned();
        let found = known.unwrap_or_else(|| match config_in(&absolute) {
            Ok(Some(config)) => Ok(Some(Arc::new(config))),
            Ok(None) => match absolute.parent() {
                Some(parent) => self.for_directory(parent),
                None => Ok(None),
            },
            Err(error) => Err(error),
        });
        let mut known = self.by_directory.lock().unwrap();
        known.insert(directory.to_path_buf(), found.clone());
        known.insert(absolute, found.clone());
        found
    }

    /// The configuration that applies to `file`.
    pub fn for_file(&self, file: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        let directory = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        self.for_directory(directory)
    }
}

/// The settings file directly in `directory`, if there is one: `.edgelint.toml`, then
/// `edgelint.toml`, then a `pyproject.toml` with a `[tool.edgelint]` table.
fn config_in(directory: &Path) -> Result<Option<Config>, ConfigError> {
    for name in CONFIG_FILE_NAMES {
        let path = directory.join(name);
        if !path.is_file() {
            continue;
        }
        let source = std::fs::read_to_string(&path)
            .map_err(|error| ConfigError::unreadable(&path, &error))?;
        if name == "pyproject.toml" && !options::has_edgelint_table(&source) {
            continue;
        }
        return Config::parse(&path, source).map(Some);
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
