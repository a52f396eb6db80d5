//! The files' shapes, as serde reads them: every value keeps its span for error messages, and
//! an unknown key is an error that lists the known ones.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A list of rule selectors, each with its span.
pub(crate) type Selectors = Vec<Spanned<String>>;

/// The edgelint settings: the whole of `edgelint.toml`, or `[tool.edgelint]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Options {
    pub select: Option<Vec<Spanned<String>>>,
    pub extend_select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    pub per_file_ignores: Option<Spanned<BTreeMap<String, Spanned<Selectors>>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub extend_exclude: Option<Vec<Spanned<String>>>,
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
    pub fix: Option<bool>,
    pub unsafe_fixes: Option<bool>,
    pub show_fixes: Option<bool>,
    pub pedantic: Option<bool>,
    pub profile: Option<String>,
    pub profile_threshold: Option<Spanned<String>>,
    pub target_version: Option<Spanned<String>>,
    pub output_format: Option<Spanned<String>>,
    /// `[rules.EL101]` tables: per-rule settings.
    pub rules: Option<BTreeMap<String, Spanned<RuleOptions>>>,
}

/// The settings of one rule.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RuleOptions {
    /// `"error"`, `"warning"` or `"info"`, instead of the rule's own.
    pub severity: Option<Spanned<String>>,
}

/// The parts of `pyproject.toml` edgelint reads; everything else in it belongs to other tools.
#[derive(Debug, Deserialize)]
pub(crate) struct Pyproject {
    pub tool: Option<Tool>,
    pub project: Option<Project>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Tool {
    pub edgelint: Option<Options>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Project {
    pub requires_python: Option<Spanned<String>>,
}

/// Whether a `pyproject.toml` has edgelint settings. One that is not valid TOML has them if it
/// mentions them: then its syntax error is ours to report.
pub(crate) fn has_edgelint_table(source: &str) -> bool {
    match toml::from_str::<toml::Table>(source) {
        Ok(document) => document
            .get("tool")
            .and_then(|tool| tool.get("edgelint"))
            .is_some(),
        Err(_) => source.contains("tool.edgelint"),
    }
}
