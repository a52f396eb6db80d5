//! `--explain` and `--list-rules`: the rule documentation, straight from the registry.

use std::fmt::Write;

use edgelint_rules::{find_rule, Rule, RULES};

pub fn explain(code_or_name: &str) -> Option<String> {
    let rule = find_rule(code_or_name)?;
    let mut text = String::new();
    let _ = writeln!(text, "# {} ({})\n", rule.name, rule.code);
    let _ = writeln!(
        text,
        "Family: {}. Severity: {}. {}. Fix: {}.\n",
        rule.family.as_str(),
        rule.severity.as_str(),
        if rule.default_enabled { "On by default" } else { "Opt-in" },
        rule.fix.as_str()
    );
    text.push_str(rule.documentation().trim_end());
    text.push('\n');
    Some(text)
}

pub fn list_rules() -> String {
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
        if rule.default_enabled { "on" } else { "opt-in" },
        rule.fix.as_str(),
    ]
}
