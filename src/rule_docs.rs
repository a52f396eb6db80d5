//! `edgelint rule`: a rule's documentation, or the list of every rule, as text or JSON
//! (`--explain` and `--list-rules` are the same, under their older names).

use std::io::{self, Write};

use anyhow::{bail, Result};
use edgelint_rules::{docs, find_rule, Rule, RULES};

use crate::args::RuleFormat;

/// Prints the documentation of `rule`, or of every rule when it is `None`.
pub fn print(rule: Option<&str>, format: RuleFormat) -> Result<()> {
    let mut stdout = io::stdout().lock();
    match (rule, format) {
        (Some(asked), format) => {
            let Some(rule) = find_rule(asked) else {
                let hint = match closest_rule(asked) {
                    Some(rule) => format!("did you mean `{}` ({})?", rule.code, rule.name),
                    None => "`edgelint rule --all` lists them all".to_string(),
                };
                bail!("unknown rule `{asked}`; {hint}");
            };
            match format {
                RuleFormat::Text => stdout.write_all(docs::explain(rule).as_bytes())?,
                RuleFormat::Json => {
                    serde_json::to_writer_pretty(&mut stdout, &as_json(rule))?;
                    writeln!(stdout)?;
                }
            }
        }
        (None, RuleFormat::Text) => stdout.write_all(docs::rules_table().as_bytes())?,
        (None, RuleFormat::Json) => {
            let rules: Vec<serde_json::Value> = RULES.iter().map(|rule| as_json(rule)).collect();
            serde_json::to_writer_pretty(&mut stdout, &rules)?;
            writeln!(stdout)?;
        }
    }
    Ok(())
}

fn as_json(rule: &Rule) -> serde_json::Value {
    serde_json::json!({
        "code": rule.code,
        "name": rule.name,
        "family": rule.family.as_str(),
        "severity": rule.severity.as_str(),
        "default": rule.enabled.as_str(),
        "fix": rule.fix.as_str(),
        "summary": rule.summary(),
        "explanation": rule.documentation(),
    })
}

/// The rule whose code or name is closest to a mistyped one, when one is close enough to be
/// what was meant (`EL2O1`, `list-comprehension-in-consumers`).
fn closest_rule(asked: &str) -> Option<&'static Rule> {
    let asked = asked.to_ascii_lowercase();
    RULES
        .iter()
        .copied()
        .flat_map(|rule| {
            [rule.code, rule.name].map(|spelling| {
                let spelling = spelling.to_ascii_lowercase();
                (
                    strsim::normalized_damerau_levenshtein(&asked, &spelling),
                    rule,
                )
            })
        })
        // About one edit in four characters, or fewer: a slip, not another word.
        .filter(|(similarity, _)| *similarity >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, rule)| rule)
}

#[cfg(test)]
mod tests {
    use super::closest_rule;

    #[test]
    fn a_mistyped_code_or_name_finds_the_rule_meant() {
        assert_eq!(closest_rule("EL2O1").map(|rule| rule.code), Some("EL201"));
        assert_eq!(
            closest_rule("list-comprehension-in-consumers").map(|rule| rule.code),
            Some("EL201")
        );
        assert_eq!(closest_rule("unused-import").map(|rule| rule.code), None);
    }
}
