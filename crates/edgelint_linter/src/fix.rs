//! Applying fixes to a source text. One pass applies together every fix whose edits do not
//! overlap an earlier fix's; the source is then linted again and the next pass takes the fixes
//! that waited, until nothing changes. A pass whose result does not parse is undone, and the
//! fixes that broke it are never tried again.

use std::collections::{BTreeMap, HashSet};

use edgelint_diagnostics::{Applicability, Diagnostic, Fix};
use edgelint_rules::engine;
use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// How many lint-and-fix passes a file gets. Nested findings can take a pass each (fixing the
/// inner one reveals the outer one), so this is generous; fixes that come back to a source seen
/// before undo each other and stop at once. Fixes still changing the source after this many
/// passes grow it without end: a bug in a rule, reported rather than looped on.
pub const MAX_FIX_PASSES: usize = 1000;

/// Which fixes may be applied.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Safe fixes only (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    /// Whether this mode applies `fix`.
    pub fn allows(self, fix: &Fix) -> bool {
        self == FixMode::Unsafe || fix.applicability == Applicability::Safe
    }
}

/// One pass: `text` with every allowed fix applied whose edits do not overlap (or touch the
/// insertion point of) a fix already taken, in source order; and the codes of the fixes
/// applied. Fixes with no edits are skipped.
pub fn apply_fixes(
    text: &str,
    diagnostics: &[&Diagnostic],
    mode: FixMode,
) -> (String, Vec<&'static str>) {
    let mut fixes: Vec<(&'static str, &Fix)> = diagnostics
        .iter()
        .filter_map(|diagnostic| Some((diagnostic.code, diagnostic.fix.as_ref()?)))
        .filter(|(_, fix)| mode.allows(fix) && !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|(_, fix)| first_start(fix));

    let mut taken: Vec<TextRange> = Vec::new();
    let mut edits = Vec::new();
    let mut applied = Vec::new();
    for (code, fix) in fixes {
        let conflicts = fix.edits.iter().any(|edit| {
            edit.range.end() > TextSize::of(text)
                || taken.iter().any(|range| overlaps(*range, edit.range))
        });
        if conflicts {
            continue;
        }
        taken.extend(fix.edits.iter().map(|edit| edit.range));
        edits.extend(fix.edits.iter());
        applied.push(code);
    }
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));

    let mut fixed = String::with_capacity(text.len());
    let mut copied = TextSize::default();
    for edit in edits {
        fixed.push_str(&text[TextRange::new(copied, edit.range.start())]);
        fixed.push_str(&edit.content);
        copied = edit.range.end();
    }
    fixed.push_str(&text[usize::from(copied)..]);
    (fixed, applied)
}

/// The source after fixing, and what happened on the way.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// The fixed source (the original when nothing applied).
    pub text: String,
    /// How many fixes each rule applied.
    pub applied: BTreeMap<&'static str, usize>,
    /// The findings left in `text`. A finding whose fix was refused (it produced a syntax error)
    /// is here without its fix and with a note saying why.
    pub remaining: Vec<Diagnostic>,
    /// The rules whose fixes were refused because the result did not parse, once per fix.
    pub refused: Vec<&'static str>,
    /// The rules whose fixes were still changing the source after [`MAX_FIX_PASSES`] passes;
    /// when this is not empty, `text` is the original source.
    pub unsettled: Vec<&'static str>,
    /// The findings of the original source that no allowed fix removes (those without a fix,
    /// with a fix the mode does not allow, or with a fix that was refused): what `--diff`
    /// reports beside the diff.
    pub unfixable: Vec<Diagnostic>,
    /// The other findings of the original source: those the fixes removed. With `unfixable`,
    /// every finding of the original source.
    pub fixed_away: Vec<Diagnostic>,
}

/// Lints and fixes `text` until no allowed fix is left. `check` lints a source; a source it
/// reports a syntax error for does not parse. A source that does not parse to begin with is
/// not fixed: the parser's recovery is no ground for rewriting it.
pub fn fix_until_settled(
    text: &str,
    mode: FixMode,
    mut check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> FixOutcome {
    let mut current = text.to_string();
    let original = check(&current);
    let mut diagnostics = original.clone();
    let mut outcome = FixOutcome::default();
    if has_syntax_error(&diagnostics) {
        outcome.text = current;
        outcome.remaining = diagnostics;
        outcome.unfixable = original;
        return outcome;
    }
    let mut refused = HashSet::new();
    let mut last_pass = Vec::new();
    let mut settled = false;
    // The sources seen, by hash: coming back to one means the fixes go round in a cycle.
    let mut seen = HashSet::from([hash_of(&current)]);
    for _ in 0..MAX_FIX_PASSES {
        let candidates: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|diagnostic| !is_refused(diagnostic, &current, &refused))
            .collect();
        let (fixed, applied) = apply_fixes(&current, &candidates, mode);
        if applied.is_empty() {
            settled = true;
            break;
        }
        let fixed_diagnostics = check(&fixed);
        if has_syntax_error(&fixed_diagnostics) {
            let codes =
                refuse_breaking_fixes(&current, &candidates, mode, &mut check, &mut refused);
            outcome.refused.extend(codes);
            continue;
        }
        for code in &applied {
            *outcome.applied.entry(code).or_default() += 1;
        }
        last_pass = applied;
        let cycle = !seen.insert(hash_of(&fixed));
        current = fixed;
        diagnostics = fixed_diagnostics;
        if cycle {
            break;
        }
    }
    if !settled {
        // The fixes did not settle: leave the source as it was.
        last_pass.sort_unstable();
        last_pass.dedup();
        return FixOutcome {
            text: text.to_string(),
            remaining: original.clone(),
            unsettled: last_pass,
            unfixable: original,
            ..FixOutcome::default()
        };
    }
    for diagnostic in &mut diagnostics {
        if is_refused(diagnostic, &current, &refused) {
            diagnostic.fix = None;
            diagnostic.notes.push(
                "edgelint's fix for this finding produced invalid Python and was not applied; this is a bug in edgelint"
                    .to_string(),
            );
        }
    }
    (outcome.unfixable, outcome.fixed_away) = original.into_iter().partition(|diagnostic| {
        !diagnostic.fix.as_ref().is_some_and(|fix| mode.allows(fix))
            || is_refused(diagnostic, text, &refused)
    });
    outcome.text = current;
    outcome.remaining = diagnostics;
    outcome
}

/// A fix, recognised by what it replaces and with what, so that it stays recognisable after
/// other fixes have moved it.
type FixKey = (&'static str, Vec<(String, String)>);

fn fix_key(diagnostic: &Diagnostic, text: &str) -> Option<FixKey> {
    let fix = diagnostic.fix.as_ref()?;
    let edits = fix
        .edits
        .iter()
        .map(|edit| {
            let replaced = text.get(std::ops::Range::<usize>::from(edit.range));
            (
                replaced.unwrap_or_default().to_string(),
                edit.content.clone(),
            )
        })
        .collect();
    Some((diagnostic.code, edits))
}

fn is_refused(diagnostic: &Diagnostic, text: &str, refused: &HashSet<FixKey>) -> bool {
    !refused.is_empty() && fix_key(diagnostic, text).is_some_and(|key| refused.contains(&key))
}

/// A pass broke the syntax: tries each of its fixes alone and refuses those that break it alone.
/// When none does, the combination is at fault, and every fix of the pass is refused. Returns
/// the codes of the fixes refused.
fn refuse_breaking_fixes(
    text: &str,
    candidates: &[&Diagnostic],
    mode: FixMode,
    check: &mut impl FnMut(&str) -> Vec<Diagnostic>,
    refused: &mut HashSet<FixKey>,
) -> Vec<&'static str> {
    let fixable: Vec<&Diagnostic> = candidates
        .iter()
        .copied()
        .filter(|diagnostic| diagnostic.fix.as_ref().is_some_and(|fix| mode.allows(fix)))
        .collect();
    let breaking: Vec<&Diagnostic> = fixable
        .iter()
        .copied()
        .filter(|diagnostic| {
            let (alone, applied) = apply_fixes(text, &[*diagnostic], mode);
            !applied.is_empty() && has_syntax_error(&check(&alone))
        })
        .collect();
    let to_refuse = if breaking.is_empty() {
        fixable
    } else {
        breaking
    };
    refused.extend(
        to_refuse
            .iter()
            .filter_map(|diagnostic| fix_key(diagnostic, text)),
    );
    to_refuse.iter().map(|diagnostic| diagnostic.code).collect()
}

fn hash_of(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

fn has_syntax_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|diagnostic| diagnostic.code == engine::SYNTAX_ERROR.code)
}

/// A safe fix must not lose a comment: one whose edits replace a comment that the new text does
/// not carry over becomes unsafe.
pub(crate) fn demote_fixes_that_drop_comments(
    diagnostics: &mut [Diagnostic],
    tokens: &Tokens,
    text: &str,
) {
    for diagnostic in diagnostics {
        let Some(fix) = diagnostic.fix.as_mut() else {
            continue;
        };
        if fix.applicability != Applicability::Safe {
            continue;
        }
        let drops_comment = fix.edits.iter().any(|edit| {
            let first = tokens.partition_point(|token| token.start() < edit.range.start());
            tokens[first..]
                .iter()
                .take_while(|token| token.end() <= edit.range.end())
                .filter(|token| token.kind() == TokenKind::Comment)
                .any(|comment| !edit.content.contains(&text[comment.range()]))
        });
        if drops_comment {
            fix.applicability = Applicability::Unsafe;
        }
    }
}

fn first_start(fix: &Fix) -> TextSize {
    fix.edits
        .iter()
        .map(|edit| edit.range.start())
        .min()
        .unwrap_or_default()
}

/// Two edits conflict when their ranges overlap, or when both touch the same point (two
/// insertions at one offset would apply in an order neither fix expected).
fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start() < b.end() && b.start() < a.end() || a.start() == b.start() || a.end() == b.end()
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::{Edit, Severity};

    use super::*;

    fn diagnostic(
        code: &'static str,
        applicability: Applicability,
        edits: &[(u32, u32, &str)],
    ) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::new(code, "rule", Severity::Warning, "m", TextRange::default());
        diagnostic.fix = Some(Fix {
            applicability,
            edits: edits
                .iter()
                .map(|(start, end, content)| {
                    Edit::replacement(TextRange::new((*start).into(), (*end).into()), *content)
                })
                .collect(),
        });
        diagnostic
    }

    #[test]
    fn applies_non_overlapping_fixes_in_one_pass() {
        let text = "a = list(x)\nb = list(y)\n";
        let fixes = [
            diagnostic("EL105", Applicability::Safe, &[(4, 11, "x")]),
            diagnostic("EL105", Applicability::Safe, &[(16, 23, "y")]),
        ];
        let (fixed, applied) = apply_fixes(text, &fixes.iter().collect::<Vec<_>>(), FixMode::Safe);
        assert_eq!(fixed, "a = x\nb = y\n");
        assert_eq!(applied, ["EL105", "EL105"]);
    }

    #[test]
    fn an_overlapping_fix_waits_for_the_next_pass() {
        let text = "sorted(list(x))";
        let fixes = [
            diagnostic("EL105", Applicability::Safe, &[(7, 14, "x")]),
            diagnostic("EL201", Applicability::Safe, &[(0, 15, "sorted(x)")]),
        ];
        let (fixed, applied) = apply_fixes(text, &fixes.iter().collect::<Vec<_>>(), FixMode::Safe);
        assert_eq!(applied, ["EL201"]);
        assert_eq!(fixed, "sorted(x)");
    }

    #[test]
    fn unsafe_fixes_need_the_unsafe_mode() {
        let text = "total += loss";
        let fixes = [diagnostic(
            "EL505",
            Applicability::Unsafe,
            &[(9, 13, "loss.item()")],
        )];
        assert_eq!(
            apply_fixes(text, &fixes.iter().collect::<Vec<_>>(), FixMode::Safe).0,
            text
        );
        assert_eq!(
            apply_fixes(text, &fixes.iter().collect::<Vec<_>>(), FixMode::Unsafe).0,
            "total += loss.item()"
        );
    }

    #[test]
    fn a_multi_edit_fix_is_applied_whole_or_not_at_all() {
        let text = "abcdef";
        let fixes = [
            diagnostic("EL101", Applicability::Safe, &[(0, 1, "A"), (4, 5, "E")]),
            diagnostic("EL102", Applicability::Safe, &[(3, 5, "xx")]),
        ];
        let (fixed, applied) = apply_fixes(text, &fixes.iter().collect::<Vec<_>>(), FixMode::Safe);
        assert_eq!(applied, ["EL101"]);
        assert_eq!(fixed, "AbcdEf");
    }

    #[test]
    fn two_insertions_at_one_point_do_not_both_apply() {
        let text = "x";
        let fixes = [
            diagnostic("EL101", Applicability::Safe, &[(1, 1, ".copy()")]),
            diagnostic("EL102", Applicability::Safe, &[(1, 1, ".clone()")]),
        ];
        let (fixed, applied) = apply_fixes(text, &fixes.iter().collect::<Vec<_>>(), FixMode::Safe);
        assert_eq!(applied.len(), 1);
        assert_eq!(fixed, "x.copy()");
    }

    /// A stand-in linter: every `find` in the text is a finding of `code` whose fix replaces it
    /// with `replace`; a text containing `!` does not parse.
    fn finder(
        rules: &'static [(&'static str, &'static str, &'static str)],
    ) -> impl FnMut(&str) -> Vec<Diagnostic> {
        move |text: &str| {
            let mut diagnostics = Vec::new();
            if text.contains('!') {
                diagnostics.push(Diagnostic::new(
                    engine::SYNTAX_ERROR.code,
                    "syntax-error",
                    Severity::Error,
                    "syntax error",
                    TextRange::default(),
                ));
            }
            for (code, find, replace) in rules {
                for (start, _) in text.match_indices(find) {
                    let end = start + find.len();
                    diagnostics.push(diagnostic(
                        code,
                        Applicability::Safe,
                        &[(start as u32, end as u32, replace)],
                    ));
                }
            }
            diagnostics
        }
    }

    #[test]
    fn fixes_that_wait_for_a_later_pass_are_applied_until_nothing_changes() {
        let outcome = fix_until_settled("aaaa", FixMode::Safe, finder(&[("EL105", "aa", "a")]));
        assert_eq!(outcome.text, "a");
        assert_eq!(outcome.applied, BTreeMap::from([("EL105", 3)]));
        assert!(outcome.remaining.is_empty());
        assert!(outcome.unsettled.is_empty());
    }

    #[test]
    fn fixes_that_never_settle_leave_the_source_unchanged() {
        // Two rules that undo each other's fixes.
        let check = finder(&[("EL201", "a", "b"), ("EL202", "b", "a")]);
        let outcome = fix_until_settled("a", FixMode::Safe, check);
        assert_eq!(outcome.text, "a");
        assert_eq!(outcome.unsettled, ["EL202"]);
        assert!(outcome.applied.is_empty());
    }

    #[test]
    fn nested_fixes_that_take_a_pass_each_settle() {
        // Bug found by fuzzing: each fix reveals the next one out, so 300 levels take 300
        // passes, which once counted as fixes that never settle.
        let depth = 300;
        let source = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
        let outcome = fix_until_settled(&source, FixMode::Safe, finder(&[("EL105", "(x)", "x")]));
        assert_eq!(outcome.text, "x");
        assert!(outcome.unsettled.is_empty());
        assert_eq!(outcome.applied, BTreeMap::from([("EL105", depth)]));
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_refused_and_the_others_apply() {
        let mut check = finder(&[("EL105", "b", "c"), ("EL106", "a", "!")]);
        let outcome = fix_until_settled("ab", FixMode::Safe, &mut check);
        assert_eq!(outcome.text, "ac");
        assert_eq!(outcome.applied, BTreeMap::from([("EL105", 1)]));
        assert_eq!(outcome.refused, ["EL106"]);
        let [remaining] = outcome.remaining.as_slice() else {
            panic!("one finding is left: {:?}", outcome.remaining);
        };
        assert_eq!(remaining.code, "EL106");
        assert!(remaining.fix.is_none());
        assert!(remaining.notes[0].contains("was not applied"));
        let unfixable: Vec<&str> = outcome.unfixable.iter().map(|d| d.code).collect();
        assert_eq!(
            unfixable,
            ["EL106"],
            "the refused fix leaves its finding unfixed"
        );
    }

    #[test]
    fn fixes_that_break_the_syntax_only_together_are_all_refused() {
        // Alone, each fix leaves half of `!!`; together they complete it.
        let check = |text: &str| {
            let mut diagnostics = finder(&[("EL101", "a", "!"), ("EL102", "b", "!")])(text);
            if text.contains("!!") {
                diagnostics.retain(|diagnostic| diagnostic.code.starts_with("EL0"));
            } else {
                diagnostics.retain(|diagnostic| !diagnostic.code.starts_with("EL0"));
            }
            diagnostics
        };
        let outcome = fix_until_settled("ab", FixMode::Safe, check);
        assert_eq!(outcome.text, "ab");
        assert!(outcome.applied.is_empty());
        assert_eq!(outcome.refused, ["EL101", "EL102"]);
        assert_eq!(outcome.remaining.len(), 2);
    }

    #[test]
    fn a_source_with_a_syntax_error_is_not_fixed() {
        let outcome = fix_until_settled("aa!", FixMode::Safe, finder(&[("EL105", "aa", "a")]));
        assert_eq!(outcome.text, "aa!");
        assert!(outcome.applied.is_empty());
        assert_eq!(outcome.remaining.len(), 2);
    }

    fn fix_applicability(code: &str, text: &str) -> Applicability {
        let rule = edgelint_rules::find_rule(code).unwrap();
        // The samples' data is of unknown size: their findings are shown with `--pedantic`.
        let rules = edgelint_rules::RuleSet::only(&[rule]).with_pedantic(true);
        let diagnostics = crate::check_text(
            text,
            std::path::Path::new("module.py"),
            &rules,
            edgelint_rules::PythonVersion::DEFAULT,
            None,
        );
        diagnostics[0].fix.as_ref().unwrap().applicability
    }

    #[test]
    fn a_safe_fix_that_would_drop_a_comment_becomes_unsafe() {
        let counted = "n = len([v for v in values])\n";
        assert_eq!(fix_applicability("EL205", counted), Applicability::Safe);
        let commented = "n = len(  # the values\n    [v for v in values]\n)\n";
        assert_eq!(fix_applicability("EL205", commented), Applicability::Unsafe);
        // Dropping the brackets keeps the comment.
        let kept = "y = [1, 2]\nx = sum([  # the values\n    v for v in y\n])\n";
        assert_eq!(fix_applicability("EL201", kept), Applicability::Safe);
    }
}
