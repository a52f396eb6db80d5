//! Helpers for the rules' unit tests.

use std::cell::RefCell;
use std::path::Path;
use std::sync::{Arc, Mutex};

use edgelint_diagnostics::Applicability;
use edgelint_semantic::{ModuleSummary, Project, ProjectContext, SemanticModel};
use ruff_python_parser::parse_module;

use crate::{check_module, Enabled, FileRole, PythonVersion, RuleSelector, RuleSet, RULES};

/// Every finding's help line in `source`, with the default and the pedantic rules on.
pub(crate) fn helps(source: &str) -> Vec<String> {
    diagnostics(source)
        .into_iter()
        .filter_map(|diagnostic| diagnostic.help)
        .collect()
}

/// The default and the pedantic rules, the pedantic ones as if selected by name, so that
/// their findings read as a user who selects them sees them.
fn diagnostics(source: &str) -> Vec<edgelint_diagnostics::Diagnostic> {
    let pedantic: Vec<RuleSelector> = RULES
        .iter()
        .filter(|rule| rule.enabled == Enabled::Pedantic)
        .map(|rule| RuleSelector::Rule(rule.code))
        .collect();
    check(source, &RuleSet::resolve(None, &pedantic, &[]))
}

/// The findings of the rule `code` alone (opt-in rules included) in `source`.
pub(crate) fn diagnostics_with(source: &str, code: &str) -> Vec<edgelint_diagnostics::Diagnostic> {
    let rule = crate::find_rule(code).expect("a rule code");
    check(source, &RuleSet::only(&[rule]))
}

fn check(source: &str, rules: &RuleSet) -> Vec<edgelint_diagnostics::Diagnostic> {
    check_in(source, rules, Path::new("example.py"), None)
}

/// The findings of `rules` in `source`, checked as the file `path`, alone or in `project`.
fn check_in(
    source: &str,
    rules: &RuleSet,
    path: &Path,
    project: Option<ProjectContext>,
) -> Vec<edgelint_diagnostics::Diagnostic> {
    let parsed = parse_module(source).expect("test sources parse");
    let semantic = SemanticModel::of_source(parsed.syntax(), source, project);
    check_module(
        parsed.syntax(),
        FileRole::of(path),
        source,
        &semantic,
        rules,
        PythonVersion::DEFAULT,
        // Every tier: the rules' tests see the unproven findings too.
        true,
    )
}

/// Every finding's fix in `source`, with the default and the pedantic rules on: its applicability, and the
/// source with that fix alone applied (so the result can be compared and re-parsed).
pub(crate) fn fixes(source: &str) -> Vec<(Applicability, String)> {
    diagnostics(source)
        .into_iter()
        .filter_map(|diagnostic| diagnostic.fix)
        .map(|fix| {
            if let Err(problem) = crate::fix_check::check_fix_structure(source, &fix) {
                panic!("the fix changes the code around it: {problem}");
            }
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|edit| std::cmp::Reverse(edit.range.start()));
            let mut fixed = source.to_string();
            for edit in edits {
                fixed.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.content);
            }
            assert!(parse_module(&fixed).is_ok(), "the fix must parse:\n{fixed}");
            (fix.applicability, fixed)
        })
        .collect()
}

/// The names of the modules the rule `code` asks the project about while it checks `source`,
/// sorted, once each: the source is `app.py` in a project that has none of them.
pub(crate) fn modules_asked(source: &str, code: &str) -> Vec<String> {
    struct Recording(Mutex<Vec<String>>);
    impl Project for Recording {
        fn module(&self, name: &str) -> Option<Arc<ModuleSummary>> {
            self.0.lock().unwrap().push(name.to_string());
            None
        }
    }
    let project = Recording(Mutex::default());
    let trace = RefCell::default();
    let path = Path::new("app.py");
    let context = ProjectContext {
        project: &project,
        package: None,
        path,
        trace: &trace,
    };
    let rule = crate::find_rule(code).expect("a rule code");
    check_in(source, &RuleSet::only(&[rule]), path, Some(context));
    let mut asked = project.0.into_inner().unwrap();
    asked.sort();
    asked.dedup();
    asked
}
