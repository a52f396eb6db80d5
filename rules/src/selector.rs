use std::fmt;

use crate::registry::{Enabled, Family, Rule, RULES};

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
    /// The pedantic rules ([`Enabled::Pedantic`]) the default set would hold, not selected by
    /// name and not ignored: they run only with `--pedantic`, their findings marked unproven.
    pedantic_rules: u128,
    pedantic: bool,
    /// Whether unproven findings are kept for a memory profile to promote (`--profile`).
    unproven_kept: bool,
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
    /// errors) are always on. Pedantic rules join the default set only with `--pedantic`
    /// ([`RuleSet::with_pedantic`]).
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
        let mut set = RuleSet {
            rules: 0,
            pedantic_rules: 0,
            pedantic: false,
            unproven_kept: false,
        };
        for (index, rule) in RULES.iter().enumerate() {
            if rule.family == Family::Engine && rule.enabled == Enabled::Default {
                set.rules |= 1 << index;
                continue;
            }
            let by_default = select.is_none().then_some(0);
            let selected = match select {
                Some(select) => best(select, rule),
                None => by_default.filter(|_| rule.enabled == Enabled::Default),
            };
            let selected = selected.max(best(extend_select, rule));
            let kept = |selected: Option<usize>| match (selected, best(ignore, rule)) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(selected), Some(ignored)) => selected > ignored,
            };
            if kept(selected) {
                set.rules |= 1 << index;
            } else if rule.enabled == Enabled::Pedantic && selected.is_none() && kept(by_default) {
                set.pedantic_rules |= 1 << index;
            }
        }
        set
    }

    /// The same rules, reporting also the findings whose data is of unknown size and the
    /// pedantic rules, all marked unproven (`--pedantic`).
    pub fn with_pedantic(self, pedantic: bool) -> Self {
        RuleSet { pedantic, ..self }
    }

    /// Whether findings whose data is of unknown size are reported (see
    /// [`Diagnostic::unproven`](edgelint_diagnostics::Diagnostic::unproven)).
    pub fn pedantic(&self) -> bool {
        self.pedantic
    }

    /// The same rules, whose findings of unknown size are kept, marked unproven, even without
    /// `--pedantic`: a memory profile may show their data large (`--profile`).
    pub fn with_unproven_kept(self, kept: bool) -> Self {
        RuleSet {
            unproven_kept: kept,
            ..self
        }
    }

    /// Whether unproven findings leave the linter: with `--pedantic`, or for a profile.
    pub fn keeps_unproven(&self) -> bool {
        self.pedantic || self.unproven_kept
    }

    /// Whether the rule with this code runs only because of `--pedantic`: a pedantic rule
    /// whose findings are all unproven.
    pub fn is_pedantic_rule(&self, code: &str) -> bool {
        self.pedantic && Self::members(self.pedantic_rules).any(|rule| rule.code == code)
    }

    /// The set without its [sized](Rule::sized) rules: what runs in examples when unproven
    /// findings are not kept.
    pub fn without_sized(self) -> Self {
        let sized = RULES
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.sized)
            .fold(0u128, |bits, (index, _)| bits | 1 << index);
        RuleSet {
            rules: self.rules & !sized,
            pedantic_rules: self.pedantic_rules & !sized,
            ..self
        }
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

    /// The rules that run: the selected ones, and with `--pedantic` the pedantic ones.
    pub fn iter(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        let running = if self.pedantic {
            self.rules | self.pedantic_rules
        } else {
            self.rules
        };
        Self::members(running)
    }

    fn members(bits: u128) -> impl Iterator<Item = &'static Rule> {
        RULES
            .iter()
            .enumerate()
            .filter(move |(index, _)| bits & (1 << index) != 0)
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
            .filter(|rule| rule.enabled == Enabled::Default)
            .map(|rule| rule.code)
            .collect();
        assert_eq!(codes(RuleSet::defaults()), expected);
        assert!(expected.starts_with(&["EL001", "EL002"]));
    }

    #[test]
    fn without_sized_keeps_the_rules_whose_findings_are_not_about_size() {
        let all = RuleSet::resolve(Some(&selectors(&["ALL"])), &[], &[]).with_pedantic(true);
        let kept = all.without_sized();
        assert!(kept.keeps_unproven());
        for rule in RULES {
            assert_eq!(kept.contains(rule.code), !rule.sized, "{}", rule.code);
        }
        // Pedantic rules that only `--pedantic` brings in are filtered too.
        let pedantic = RuleSet::defaults().with_pedantic(true);
        assert!(pedantic.contains("EL301") && !pedantic.without_sized().contains("EL301"));
        assert_eq!(
            codes(pedantic.without_sized()),
            codes(pedantic)
                .into_iter()
                .filter(|code| !RULES.iter().any(|rule| rule.code == *code && rule.sized))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn pedantic_rules_join_the_default_set_only_with_pedantic() {
        let defaults = RuleSet::defaults();
        assert!(!defaults.contains("EL301"));
        let pedantic = defaults.with_pedantic(true);
        assert!(pedantic.contains("EL301") && pedantic.is_pedantic_rule("EL301"));
        assert!(pedantic.contains("EL101") && !pedantic.is_pedantic_rule("EL101"));
        assert!(
            !pedantic.contains("EL208"),
            "an opt-in rule stays out: {:?}",
            codes(pedantic)
        );

        // Selected in any way, a pedantic rule is an ordinary one.
        for (select, extend) in [(Some(vec!["EL3"]), vec![]), (None, vec!["EL301"])] {
            let select = select.map(|texts| selectors(&texts));
            let set = RuleSet::resolve(select.as_deref(), &selectors(&extend), &[]);
            assert!(set.contains("EL301"));
            assert!(!set.with_pedantic(true).is_pedantic_rule("EL301"));
        }

        // `--select` replaces the default set, pedantic rules included; `--ignore` wins.
        let set = RuleSet::resolve(Some(&selectors(&["EL1"])), &[], &[]).with_pedantic(true);
        assert!(!set.contains("EL301"));
        let set = RuleSet::resolve(None, &[], &selectors(&["EL30"])).with_pedantic(true);
        assert!(!set.contains("EL301") && set.contains("EL202"));
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
