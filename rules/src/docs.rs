//! The rule documentation in its three shapes, all from the registry: one rule
//! (`edgelint --explain`), the table (`edgelint --list-rules`) and the reference page
//! `docs/rules.md`.

use std::fmt::Write;

use crate::{Enabled, Rule, RULES};

/// One rule's documentation, headed by its metadata.
pub fn explain(rule: &Rule) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# {} ({})\n", rule.name, rule.code);
    let _ = writeln!(
        text,
        "Family: {}. Severity: {}. {}. Fix: {}.\n",
        rule.family.as_str(),
        rule.severity.as_str(),
        match rule.enabled {
            Enabled::Default => "On by default",
            Enabled::Pedantic =>
                "On with `--pedantic` (its findings marked unproven) or when selected",
            Enabled::OptIn => "Opt-in",
        },
        rule.fix.as_str()
    );
    text.push_str(rule.documentation().trim_end());
    text.push('\n');
    text
}

/// The table of every rule, aligned in columns.
pub fn rules_table() -> String {
    let header = ["CODE", "NAME", "FAMILY", "SEVERITY", "DEFAULT", "FIX"];
    let rows: Vec<[&str; 6]> = RULES.iter().map(|rule| row(rule)).collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        let _ = writeln!(text, "{}", line.join("  ").trim_end());
    }
    text
}

fn row(rule: &Rule) -> [&'static str; 6] {
    [
        rule.code,
        rule.name,
        rule.family.as_str(),
        rule.severity.as_str(),
        rule.enabled.as_str(),
        rule.fix.as_str(),
    ]
}

/// `docs/rules.md`: the table, then every rule's documentation.
pub fn rules_markdown() -> String {
    let mut text = String::from(
        "# edgelint rules\n\n\
         Generated from the rule files by `EDGELINT_BLESS=1 cargo test`; do not edit by hand.\n\n\
         In the \"default\" column, *on* rules run without configuration; *pedantic* rules join \
         them with `--pedantic` (or `pedantic = true`), their findings marked unproven, because \
         on real code most of their findings were true but not worth a change; *opt-in* rules \
         run only when selected. A pedantic or opt-in rule selected by code, name or prefix \
         (`--select`, `--extend-select`) runs as an ordinary rule.\n\n\
         | code | name | family | severity | default | fix |\n\
         |---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let _ = writeln!(text, "| {} |", row(rule).join(" | "));
    }
    for rule in RULES {
        // Headings inside a rule's documentation move one level down under its own heading.
        let _ = write!(text, "\n#{}", explain(rule).replace("\n## ", "\n### "));
    }
    text
}
