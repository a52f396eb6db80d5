//! Applying fixes to a source text: the fixes whose edits do not overlap an earlier fix's are
//! applied together in one pass; the caller re-lints and repeats for the rest.

use edgelint_diagnostics::{Applicability, Diagnostic, Fix};
use ruff_text_size::{TextRange, TextSize};

/// Which fixes may be applied.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Safe fixes only (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    fn allows(self, fix: &Fix) -> bool {
        self == FixMode::Unsafe || fix.applicability == Applicability::Safe
    }
}

/// One pass: `text` with every allowed fix applied whose edits do not overlap (or touch the
/// insertion point of) a fix already taken, in source order; and the codes of the fixes
/// applied. Fixes with no edits are skipped.
pub fn apply_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
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
        let (fixed, applied) = apply_fixes(text, &fixes, FixMode::Safe);
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
        let (fixed, applied) = apply_fixes(text, &fixes, FixMode::Safe);
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
        assert_eq!(apply_fixes(text, &fixes, FixMode::Safe).0, text);
        assert_eq!(
            apply_fixes(text, &fixes, FixMode::Unsafe).0,
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
        let (fixed, applied) = apply_fixes(text, &fixes, FixMode::Safe);
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
        let (fixed, applied) = apply_fixes(text, &fixes, FixMode::Safe);
        assert_eq!(applied.len(), 1);
        assert_eq!(fixed, "x.copy()");
    }
}
