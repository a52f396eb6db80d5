use std::fmt;

use crate::registry::{Family, Rule, RULES};

/// Something `--select`/`--ignore` accept: `ALL`, a code prefix such as `EL2` or `EL20`, or one
/// rule by code or name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Prefix(String),
    Rule(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorError {
    pub selector: String,
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule selector `{}`", self.selector)?;
        if let Some(suggestion) = self.suggestion {
            write!(f, " (did you mean `{suggestion}`?)")?;
        }
        write!(
            f,
            "; expected `ALL`, a rule code such as `EL201`, a code prefix such as `EL2`, or a rule name (see `edgelint --list-rules`)"
        )
    }
}

impl std::error::Error for SelectorError {}

impl std::str::FromStr for RuleSelector {
    type Err = SelectorError;

    fn from_str(text: &str) -> Result<Self, SelectorError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("ALL") {
            return Ok(RuleSelector::All);
        }
        if let Some(rule) = crate::find_rule(text) {
            return Ok(RuleSelector::Rule(rule.code));
        }
        let upper = text.to_ascii_uppercase();
        let selectable = RULES.iter().filter(|rule| rule.family != Family::Engine);
        if upper.starts_with("EL")
            && upper[2..].chars().all(|c| c.is_ascii_digit())
            && selectable.clone().any(|rule| rule.code.starts_with(&upper))
        {
            return Ok(RuleSelector::Prefix(upper));
        }
        Err(SelectorError {
            selector: text.to_string(),
            suggestion: closest_rule(text),
        })
    }
}

impl RuleSelector {
    fn matches(&self, rule: &Rule) -> bool {
        match self {
            RuleSelector::All => true,
            RuleSelector::Prefix(prefix) => rule.code.starts_with(prefix.as_str()),
            RuleSelector::Rule(code) => rule.code == *code,
        }
    }

    /// More specific selectors win over less specific ones, whichever list they are in.
    fn specificity(&self) -> usize {
        match self {
            RuleSelector::All => 0,
            RuleSelector::Prefix(prefix) => prefix.len(),
            RuleSelector::Rule(_) => usize::MAX,
        }
    }
}

/// The rules to run, as a set of indices into [`RULES`], and whether their unproven findings
/// are reported too (`--pedantic`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    rules: u128,
    pedantic: bool,
}

const _: () = assert!(
    RULES.len() <= u128::BITS as usize,
    "RuleSet holds at most 128 rules; widen it before adding more"
);

impl RuleSet {
    /// The rules on by default.
    pub fn defaults() -> Self {
        Self::resolve(None, &[], &[])
    }

    /// Resolves the selectors as ruff users expect: `select` (or, without it, the default set)
    /// plus `extend_select`, minus `ignore`; where a rule is both selected and ignored, the
    /// more specific selector wins, and an ignore wins a tie. The input errors (syntax and I/O
    /// errors) are always on.
    pub fn resolve(
        select: Option<&[RuleSelector]>,
        extend_select: &[RuleSelector],
        ignore: &[RuleSelector],
    ) -> Self {
        let best = |selectors: &[RuleSelector], rule: &Rule| {
            selectors
                .iter()
                .filter(|selector| selector.matches(rule))
                .map(RuleSelector::specificity)
                .max()
        };
        let mut bits = 0u128;
        for (index, rule) in RULES.iter().enumerate() {
            let enabled = if rule.family == Family::Engine && rule.default_enabled {
                true
            } else {
                let selected = match select {
                    Some(select) => best(select, rule),
                    None => rule.default_enabled.then_some(0),
                };
                let selected = selected.max(best(extend_select, rule));
                match (selected, best(ignore, rule)) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(selected), Some(ignored)) => selected > ignored,
                }
            };
            if enabled {
                bits |= 1 << index;
            }
        }
        RuleSet {
            rules: bits,
            pedantic: false,
        }
    }

    /// The same rules, reporting also the findings whose data is of unknown size, marked
    /// unproven (`--pedantic`).
    pub fn with_pedantic(self, pedantic: bool) -> Self {
        RuleSet { pedantic, ..self }
    }

    /// Whether findings whose data is of unknown size are reported (see
    /// [`Diagnostic::unproven`](edgelint_diagnostics::Diagnostic::unproven)).
    pub fn pedantic(&self) -> bool {
        self.pedantic
    }

    /// Exactly the given rules (and the engine diagnostics).
    pub fn only(rules: &[&'static Rule]) -> Self {
        let selectors: Vec<_> = rules
            .iter()
            .map(|rule| RuleSelector::Rule(rule.code))
            .collect();
        Self::resolve(Some(&selectors), &[], &[])
    }

    /// Whether the rule with this code is in the set.
    pub fn contains(&self, code: &str) -> bool {
        self.iter().any(|rule| rule.code == code)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        RULES
            .iter()
            .enumerate()
            .filter(|(index, _)| self.rules & (1 << index) != 0)
            .map(|(_, rule)| *rule)
    }
}

/// The rule whose code or name is nearest to a mistyped selector, if one is close.
fn closest_rule(text: &str) -> Option<&'static str> {
    let text = text.to_ascii_lowercase();
    RULES
        .iter()
        .filter(|rule| rule.family != Family::Engine)
        .flat_map(|rule| [rule.code, rule.name])
        .map(|candidate| {
            (
                edit_distance(&text, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(1))
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selectors(texts: &[&str]) -> Vec<RuleSelector> {
        texts.iter().map(|text| text.parse().unwrap()).collect()
    }

    fn codes(set: RuleSet) -> Vec<&'static str> {
        set.iter().map(|rule| rule.code).collect()
    }

    #[test]
    fn defaults_hold_the_default_rules_and_the_engine() {
        let expected: Vec<&str> = RULES
            .iter()
            .filter(|rule| rule.default_enabled)
            .map(|rule| rule.code)
            .collect();
        assert_eq!(codes(RuleSet::defaults()), expected);
        assert!(expected.starts_with(&["EL001", "EL002"]));
    }

    #[test]
    fn selectors_parse_codes_names_prefixes_and_all() {
        assert_eq!("el201".parse(), Ok(RuleSelector::Rule("EL201")));
        assert_eq!(
            "list-comprehension-in-consumer".parse(),
            Ok(RuleSelector::Rule("EL201"))
        );
        assert_eq!("EL2".parse(), Ok(RuleSelector::Prefix("EL2".into())));
        assert_eq!("all".parse(), Ok(RuleSelector::All));
    }

    #[test]
    fn unknown_selectors_fail_with_a_suggestion() {
        let error = "list-comprehension-in-consumers"
            .parse::<RuleSelector>()
            .unwrap_err();
        assert_eq!(error.suggestion, Some("list-comprehension-in-consumer"));
        assert!("EL999".parse::<RuleSelector>().is_err());
        assert!(
            "EL001".parse::<RuleSelector>().is_ok(),
            "engine codes are known"
        );
        assert!(
            "EL0".parse::<RuleSelector>().is_err(),
            "engine rules are not a selectable family"
        );
        assert!("E501".parse::<RuleSelector>().is_err());
    }

    #[test]
    fn the_more_specific_selector_wins() {
        let set = RuleSet::resolve(Some(&selectors(&["EL201"])), &[], &selectors(&["EL2"]));
        assert_eq!(codes(set), ["EL001", "EL002", "EL201"]);
        let set = RuleSet::resolve(Some(&selectors(&["EL2"])), &[], &selectors(&["EL201"]));
        let selected = codes(set);
        assert!(
            !selected.contains(&"EL201"),
            "the specific ignore wins: {selected:?}"
        );
        assert!(
            selected.contains(&"EL202"),
            "the rest of the family stays: {selected:?}"
        );
        let set = RuleSet::resolve(None, &[], &selectors(&["ALL"]));
        assert_eq!(
            codes(set),
            ["EL001", "EL002"],
            "engine diagnostics cannot be ignored"
        );
    }
}
