//! The settings of a run: the command line on top of the configuration files.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use edgelint_config::{Config, ConfigError, ConfigResolver, PerFileIgnores, RuleSelection};
use edgelint_diagnostics::{OutputFormat, Severity};
use edgelint_linter::FixMode;
use edgelint_rules::{PythonVersion, RuleSelector, RuleSet};
use edgelint_source::{Discovered, DiscoveryOptions};

use crate::args::{Args, Color};
use crate::fixing::FixTarget;

pub struct Settings {
    /// The files and directories to lint (`-` taken out).
    pub paths: Vec<PathBuf>,
    /// The name standard input is linted under, when `-` is among the paths.
    pub stdin: Option<Stdin>,
    /// Worker threads; 0 for one per core.
    pub threads: usize,
    /// What the run does once every file is linted.
    pub then: Then,
    /// How the report is written, and the exit status chosen.
    pub report: ReportSettings,
    resolver: ConfigResolver,
    cli: RuleSelection,
    /// The configuration of the directory edgelint runs in: it decides what the walk skips
    /// and the output format.
    project: Option<Arc<Config>>,
    pub discovery: DiscoveryOptions,
    pub format: OutputFormat,
    /// What the run does with the rules' fixes.
    pub fixes: Fixes,
    /// Whether unsafe fixes count as fixable (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Whether findings of unknown size are reported too (`--pedantic`).
    pub pedantic: bool,
    /// The memory profile the findings are joined with, and the bytes that count.
    pub profile: Option<(PathBuf, u64)>,
    pub show_fixes: bool,
    /// Where the cache of findings lives, unless `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    target_version: Option<PythonVersion>,
    /// `--per-file-ignores`, relative to the current directory.
    per_file_ignores: PerFileIgnores,
    /// The rules of each configuration when no per-file ignore can apply: every file it
    /// governs gets the same, so they are resolved once. Keyed by the configuration's address
    /// (0 for none), which the resolver keeps alive as long as these settings.
    rule_sets: Mutex<HashMap<usize, RuleSet>>,
}

/// What a run does once every file is linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Then {
    /// Report the findings not in the baseline, if one is given.
    Report { baseline: Option<PathBuf> },
    /// `--add-noqa`: write a `noqa` comment for every finding.
    AddNoqa,
    /// `--write-baseline`: record the findings.
    WriteBaseline(PathBuf),
}

/// How the report is written, and the exit status chosen.
#[derive(Clone, Debug)]
pub struct ReportSettings {
    /// `-o`: a file instead of standard output.
    pub output_file: Option<PathBuf>,
    pub color: Color,
    /// `--statistics`: counts per rule instead of the findings.
    pub statistics: bool,
    /// `-q`: no summary line.
    pub quiet: bool,
    /// `--exit-zero`: findings do not fail the run.
    pub exit_zero: bool,
    /// `--exit-non-zero-on-fix`: fixes applied fail the run.
    pub exit_non_zero_on_fix: bool,
}

/// What a run does with the rules' fixes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Fixes {
    /// Nothing: fixable findings are reported as such.
    Reported,
    /// `--fix`: applied and written back (to standard output, for standard input).
    Applied(FixMode),
    /// `--diff`: shown as a diff; nothing is written.
    Shown(FixMode),
}

impl Fixes {
    /// How the fixes of one file (`stdin`: of standard input) are applied and where they go;
    /// `None` when they are only reported.
    pub fn for_file(self, stdin: bool) -> Option<(FixMode, FixTarget)> {
        match self {
            Fixes::Reported => None,
            Fixes::Applied(mode) if stdin => Some((mode, FixTarget::Stdout)),
            Fixes::Applied(mode) => Some((mode, FixTarget::File)),
            Fixes::Shown(mode) => Some((mode, FixTarget::Diff)),
        }
    }
}

/// What happens to standard input, when `-` is among the paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stdin {
    /// It is linted as the file of this name (`-` without `--stdin-filename`).
    Lint(PathBuf),
    /// Its name is excluded and `--force-exclude` is on: it is not linted (and `--fix` gives
    /// it back unchanged, so that an editor piping a buffer through keeps it).
    Excluded,
}

impl Settings {
    pub fn from_args(args: &Args) -> Result<Self> {
        let forced = args.config.as_deref().map(Config::load).transpose()?;
        let resolver = ConfigResolver::new(forced, args.isolated);
        let cwd = std::env::current_dir().context("cannot find the current directory")?;
        let project = resolver.for_directory(&cwd)?;

        let format = match (args.output_format, &project) {
            (Some(format), _) => format,
            (None, Some(config)) => config.output_format()?.unwrap_or_default(),
            (None, None) => OutputFormat::Full,
        };

        let root = project
            .as_ref()
            .map_or(cwd.clone(), |config| config.root.clone());
        let exclude = args.exclude.as_deref().or(project
            .as_ref()
            .and_then(|config| config.exclude.as_deref()));
        let mut extend_exclude = project
            .as_ref()
            .map(|config| config.extend_exclude.clone())
            .unwrap_or_default();
        extend_exclude.extend(args.extend_exclude.iter().cloned());
        let mut discovery = DiscoveryOptions::new(exclude, &extend_exclude, &root)
            .context("invalid exclude pattern")?;
        let from_file = |setting: fn(&Config) -> Option<bool>| project.as_deref().and_then(setting);
        discovery.respect_gitignore = flag(
            args.respect_gitignore,
            args.no_respect_gitignore,
            from_file(|config| config.respect_gitignore),
            true,
        );
        discovery.force_exclude = flag(
            args.force_exclude,
            args.no_force_exclude,
            from_file(|config| config.force_exclude),
            false,
        );

        let unsafe_fixes = flag(
            args.unsafe_fixes,
            args.no_unsafe_fixes,
            from_file(|config| config.unsafe_fixes),
            false,
        );
        let pedantic = flag(
            args.pedantic,
            args.no_pedantic,
            from_file(|config| config.pedantic),
            false,
        );
        let profile = args
            .profile
            .clone()
            .or_else(|| project.as_ref().and_then(|config| config.profile.clone()))
            .map(|path| {
                let threshold = args
                    .profile_threshold
                    .or(project.as_ref().and_then(|config| config.profile_threshold))
                    .unwrap_or(edgelint_profile::DEFAULT_THRESHOLD);
                (path, threshold)
            });
        let fix = flag(args.fix, args.no_fix, from_file(|config| config.fix), false);
        let mode = if unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        let fixes = if args.diff {
            Fixes::Shown(mode)
        } else if fix {
            Fixes::Applied(mode)
        } else {
            Fixes::Reported
        };
        let show_fixes = args.show_fixes || from_file(|config| config.show_fixes) == Some(true);

        let cache_dir = (!args.no_cache).then(|| {
            args.cache_dir
                .clone()
                .unwrap_or_else(|| root.join(".edgelint_cache"))
        });

        // As ruff does: `--stdin-filename` alone means standard input, no path the current
        // directory.
        let default_path = match &args.stdin_filename {
            Some(_) => PathBuf::from("-"),
            None => PathBuf::from("."),
        };
        let given = if args.paths.is_empty() {
            std::slice::from_ref(&default_path)
        } else {
            &args.paths
        };
        let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
            given.iter().partition(|path| path.as_os_str() == "-");
        let stdin = (!stdin.is_empty()).then(|| {
            let name = args.stdin_filename.clone();
            let excluded = name
                .as_deref()
                .is_some_and(|name| discovery.skips_given_path(name));
            match excluded {
                true => Stdin::Excluded,
                false => Stdin::Lint(name.unwrap_or_else(|| PathBuf::from("-"))),
            }
        });
        let then = match (&args.write_baseline, args.add_noqa) {
            (_, true) => Then::AddNoqa,
            (Some(path), false) => Then::WriteBaseline(path.clone()),
            (None, false) => Then::Report {
                baseline: args.baseline.clone(),
            },
        };
        Ok(Settings {
            paths: paths.into_iter().cloned().collect(),
            stdin,
            threads: args.threads.unwrap_or(0),
            then,
            report: ReportSettings {
                output_file: args.output_file.clone(),
                color: args.color,
                statistics: args.statistics,
                quiet: args.quiet,
                exit_zero: args.exit_zero,
                exit_non_zero_on_fix: args.exit_non_zero_on_fix,
            },
            resolver,
            cli: RuleSelection {
                select: args.select.clone(),
                extend_select: args.extend_select.clone(),
                ignore: args.ignore.clone(),
            },
            project,
            discovery,
            format,
            fixes,
            unsafe_fixes,
            pedantic,
            profile,
            show_fixes,
            cache_dir,
            target_version: args.target_version,
            per_file_ignores: parse_per_file_ignores(&args.per_file_ignores, cwd)?,
            rule_sets: Mutex::default(),
        })
    }

    /// Reads the configuration of every directory the files found are in: an invalid one
    /// fails the run before any file is linted (or fixed).
    pub fn resolve_configurations(&self, found: &[Discovered]) -> Result<(), ConfigError> {
        let mut seen = HashSet::new();
        for found in found {
            if let Discovered::File(file) = found {
                if seen.insert(file.parent()) {
                    self.resolver.for_file(file)?;
                }
            }
        }
        Ok(())
    }

    /// What applies to `file`: its closest configuration with the command line on top.
    pub fn for_file(&self, file: &Path) -> Result<FileSettings, ConfigError> {
        let config = self.resolver.for_file(file)?;
        let rules = self.rules_for(file, config.as_ref());
        Ok(FileSettings {
            rules,
            config,
            target_version: self.target_version,
        })
    }

    /// The rules for `file`, governed by `config`: resolved once per configuration unless a
    /// per-file ignore may apply.
    fn rules_for(&self, file: &Path, config: Option<&Arc<Config>>) -> RuleSet {
        let per_file = !self.per_file_ignores.is_empty()
            || config.is_some_and(|config| !config.per_file_ignores.is_empty());
        if per_file {
            return self.resolve_rules(file, config);
        }
        let key = config.map_or(0, |config| Arc::as_ptr(config) as usize);
        if let Some(rules) = self
            .rule_sets
            .lock()
            .ok()
            .and_then(|known| known.get(&key).copied())
        {
            return rules;
        }
        let rules = self.resolve_rules(file, config);
        if let Ok(mut known) = self.rule_sets.lock() {
            known.insert(key, rules);
        }
        rules
    }

    fn resolve_rules(&self, file: &Path, config: Option<&Arc<Config>>) -> RuleSet {
        let extra_ignores: Vec<RuleSelector> = self.per_file_ignores.for_file(file).collect();
        let with_extra_ignores;
        let cli = if extra_ignores.is_empty() {
            &self.cli
        } else {
            let mut cli = self.cli.clone();
            cli.ignore.extend(extra_ignores);
            with_extra_ignores = cli;
            &with_extra_ignores
        };
        match config {
            Some(config) => config.rules_for(file, cli),
            None => RuleSet::resolve(cli.select.as_deref(), &cli.extend_select, &cli.ignore),
        }
        .with_pedantic(self.pedantic)
        // Fixes are applied as the findings are made: only those shown without the profile.
        .with_unproven_kept(self.profile.is_some() && self.fixes == Fixes::Reported)
    }

    /// `--show-settings`: where the settings for `path` come from, and what they are.
    pub fn describe(&self, path: &Path) -> Result<String> {
        let file_settings = self.for_file(path)?;
        let FileSettings { rules, config, .. } = &file_settings;
        let mut text = String::new();
        writeln!(text, "Settings for {}", path.display())?;
        let source = config
            .as_ref()
            .map_or("none (built-in defaults)".to_string(), |config| {
                config.path.display().to_string()
            });
        writeln!(text, "configuration file: {source}")?;
        writeln!(text, "target-version: {}", file_settings.target_version())?;
        writeln!(text, "output-format: {}", self.format.name())?;
        writeln!(
            text,
            "respect-gitignore: {}",
            self.discovery.respect_gitignore
        )?;
        writeln!(text, "force-exclude: {}", self.discovery.force_exclude)?;
        writeln!(text, "pedantic: {}", rules.pedantic())?;
        let project = self
            .project
            .as_ref()
            .map_or(PathBuf::from("none"), |config| config.path.clone());
        writeln!(text, "exclusions from: {}", project.display())?;
        let codes: Vec<&str> = rules.iter().map(|rule| rule.code).collect();
        writeln!(text, "rules ({}): {}", codes.len(), codes.join(", "))?;
        Ok(text)
    }
}

/// The settings for one file.
pub struct FileSettings {
    pub rules: RuleSet,
    config: Option<Arc<Config>>,
    /// `--target-version`, which wins over the configuration's.
    target_version: Option<PythonVersion>,
}

impl FileSettings {
    /// `target-version` (or `requires-python`) from the configuration, else edgelint's default.
    pub fn target_version(&self) -> PythonVersion {
        self.target_version
            .or(self
                .config
                .as_ref()
                .and_then(|config| config.target_version))
            .unwrap_or_default()
    }

    pub fn severities(&self) -> &[(&'static str, Severity)] {
        self.config
            .as_ref()
            .map_or(&[], |config| config.severities.as_slice())
    }
}

/// `--per-file-ignores tests/**:EL104,EL2`, each given once.
fn parse_per_file_ignores(entries: &[String], cwd: PathBuf) -> Result<PerFileIgnores> {
    let mut ignores = PerFileIgnores::new(cwd);
    for entry in entries {
        let (pattern, codes) = entry.rsplit_once(':').with_context(|| {
            format!("invalid --per-file-ignores `{entry}`: expected `GLOB:RULES`, such as `tests/**:EL104,EL2`")
        })?;
        let selectors = codes
            .split(',')
            .map(str::parse::<RuleSelector>)
            .collect::<Result<Vec<_>, _>>()?;
        ignores
            .add(pattern, selectors)
            .with_context(|| format!("invalid glob `{pattern}` in --per-file-ignores"))?;
    }
    Ok(ignores)
}

/// A boolean setting: `--flag` or `--no-flag` if given, else the file's value, else `default`.
fn flag(on: bool, off: bool, from_file: Option<bool>, default: bool) -> bool {
    if on {
        true
    } else if off {
        false
    } else {
        from_file.unwrap_or(default)
    }
}
