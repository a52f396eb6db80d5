//! Runs every fixture through the harness, and checks the harness and the registry themselves.

mod support;

use std::path::Path;

use edgelint_rules::{docs, Family, FixAvailability, RULES};
use support::harness::{
    check_fixes, check_fixture, check_project_fixture, fix_fixture, fixed_path, fixture_paths,
    fixture_rule, fixtures_dir, golden_path, project_fixture_paths, repository_root, run_fixture,
    run_project_fixture,
};

fn blessing() -> bool {
    std::env::var_os("EDGELINT_BLESS").is_some_and(|value| value == "1")
}

/// Compares `actual` with the file at `path`, or rewrites the file when blessing.
fn check_golden_file(path: &Path, actual: &str) -> Result<(), String> {
    if blessing() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| error.to_string())?;
        }
        std::fs::write(path, actual).map_err(|error| error.to_string())?;
        return Ok(());
    }
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => Ok(()),
        Ok(_) => Err(format!(
            "{} is stale: run `EDGELINT_BLESS=1 cargo test` to regenerate it",
            path.display()
        )),
        Err(_) => Err(format!(
            "{} is missing: run `EDGELINT_BLESS=1 cargo test` to generate it",
            path.display()
        )),
    }
}

#[test]
fn every_fixture_matches_its_markers_and_golden_output() {
    let mut failures = Vec::new();
    for fixture in fixture_paths() {
        let golden_path = golden_path(&fixture);
        if blessing() {
            match run_fixture(&fixture) {
                Ok((_, rendered)) => std::fs::write(&golden_path, rendered).unwrap(),
                Err(error) => failures.push(error),
            }
        }
        let golden = std::fs::read_to_string(&golden_path).ok();
        if let Err(problem) = check_fixture(&fixture, golden.as_deref()) {
            failures.push(problem);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Findings that need more than one file: each folder of `fixtures/` is a small project,
/// checked file by file against its markers and as a whole against its golden output.
#[test]
fn every_project_fixture_matches_its_markers_and_golden_output() {
    let projects = project_fixture_paths();
    assert!(!projects.is_empty(), "no project fixtures found");
    let mut failures = Vec::new();
    for project in projects {
        let golden_path = golden_path(&project);
        if blessing() {
            match run_project_fixture(&project) {
                Ok((_, rendered)) => std::fs::write(&golden_path, rendered).unwrap(),
                Err(error) => failures.push(error),
            }
        }
        let golden = std::fs::read_to_string(&golden_path).ok();
        if let Err(problem) = check_project_fixture(&project, golden.as_deref()) {
            failures.push(problem);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_fixes_to_its_fixed_file_and_the_fixes_settle() {
    let mut failures = Vec::new();
    for fixture in fixture_paths() {
        let fixed_path = fixed_path(&fixture);
        if blessing() {
            match fix_fixture(&fixture) {
                Ok(Some(fixed)) => std::fs::write(&fixed_path, fixed).unwrap(),
                Ok(None) => {
                    let _ = std::fs::remove_file(&fixed_path);
                }
                Err(error) => failures.push(error),
            }
        }
        let golden = std::fs::read_to_string(&fixed_path).ok();
        if let Err(problem) = check_fixes(&fixture, golden.as_deref()) {
            failures.push(problem);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A rule that declares no fix emits none, one that always fixes fixes every finding, and one
/// that sometimes fixes has at least one fixed finding in its fixtures.
#[test]
fn fixes_agree_with_the_declared_fix_availability() {
    for rule in RULES {
        let mut fixed = 0;
        let mut unfixed = 0;
        for fixture in fixture_paths() {
            if fixture_rule(&fixture).map_or(true, |owner| owner.code != rule.code) {
                continue;
            }
            let (messages, _) = run_fixture(&fixture).unwrap();
            for message in messages.iter().filter(|message| message.code == rule.code) {
                if message.fix.is_some() {
                    fixed += 1;
                } else {
                    unfixed += 1;
                }
            }
        }
        let agrees = match rule.fix {
            FixAvailability::None => fixed == 0,
            FixAvailability::Sometimes => fixed > 0,
            FixAvailability::Always => fixed > 0 && unfixed == 0,
        };
        assert!(
            agrees,
            "{} declares fix availability {:?}, but its fixtures have {fixed} findings with a fix and {unfixed} without",
            rule.code, rule.fix
        );
    }
}

#[test]
fn every_rule_has_documentation_and_fixtures() {
    let fixtures = fixture_paths();
    for rule in RULES {
        let doc = rule.documentation();
        let mut sections = vec![
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ];
        if rule.fix != FixAvailability::None {
            sections.push("## Fix safety");
        }
        for section in sections {
            assert!(
                doc.contains(section),
                "{} lacks the section {section:?}",
                rule.code
            );
        }
        let has_fixture = fixtures
            .iter()
            .any(|fixture| fixture_rule(fixture).is_ok_and(|owner| owner.code == rule.code));
        assert!(
            has_fixture,
            "{} has no fixtures/{}_*.py",
            rule.code, rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: names are kebab-case",
            rule.name
        );
        let family_digit = rule.code.as_bytes()[2];
        let expected_digit = match rule.family {
            Family::Engine => b'0',
            Family::Copies => b'1',
            Family::Materialize => b'2',
            Family::Lifetimes => b'3',
            Family::GarbageCollection => b'4',
            Family::Arrays => b'5',
        };
        assert_eq!(
            family_digit, expected_digit,
            "{}: the code's first digit is the family",
            rule.code
        );
    }
}

#[test]
fn every_golden_file_has_its_fixture() {
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|extension| extension == "out" || extension == "fixed")
        {
            assert!(
                path.with_extension("py").exists()
                    || path.with_extension("ipynb").exists()
                    || path.with_extension("").is_dir(),
                "{} is orphaned: its fixture is gone",
                path.display()
            );
        }
    }
}

#[test]
fn generated_rule_docs_are_up_to_date() {
    let path = repository_root().join("docs").join("rules.md");
    if let Err(problem) = check_golden_file(&path, &docs::rules_markdown()) {
        panic!("{problem}");
    }
}

// --- The harness fails when it should ----------------------------------------------------------

fn el201_fixture() -> std::path::PathBuf {
    fixtures_dir().join("EL201_list_comprehension_in_consumer.py")
}

#[test]
fn harness_rejects_a_wrong_golden_file() {
    let fixture = el201_fixture();
    let golden = std::fs::read_to_string(golden_path(&fixture)).unwrap();
    let wrong = golden.replacen("builds a list", "builds a tuple", 1);
    assert_ne!(golden, wrong);
    let error = check_fixture(&fixture, Some(&wrong)).unwrap_err();
    assert!(error.contains("differs from the golden file"), "{error}");
    assert!(
        error.contains("+  |") || error.contains("builds a list"),
        "{error}"
    );
}

#[test]
fn harness_rejects_a_missing_golden_file() {
    let error = check_fixture(&el201_fixture(), None).unwrap_err();
    assert!(error.contains("missing golden file"), "{error}");
}

#[test]
fn harness_rejects_a_wrong_fixed_file() {
    let fixture = el201_fixture();
    let fixed = std::fs::read_to_string(fixed_path(&fixture)).unwrap();
    let wrong = fixed.replacen("sum(", "sum([", 1);
    assert_ne!(fixed, wrong);
    let error = check_fixes(&fixture, Some(&wrong)).unwrap_err();
    assert!(error.contains("fixed source differs"), "{error}");
}

#[test]
fn harness_rejects_a_missing_fixed_file() {
    let error = check_fixes(&el201_fixture(), None).unwrap_err();
    assert!(error.contains("missing"), "{error}");
}

#[test]
fn harness_rejects_a_fixed_file_where_nothing_is_fixed() {
    let (_directory, fixture) = scratch_fixture("x = sum(v for v in y)\n");
    let error = check_fixes(&fixture, Some("x = 1\n")).unwrap_err();
    assert!(error.contains("orphaned"), "{error}");
    assert!(check_fixes(&fixture, None).is_ok());
}

fn scratch_fixture(source: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("EL201_scratch.py");
    std::fs::write(&path, source).unwrap();
    (directory, path)
}

#[test]
fn harness_rejects_an_unmet_marker() {
    let (_directory, fixture) = scratch_fixture("x = sum(v for v in y)  # error: EL201\n");
    let error = check_fixture(&fixture, Some("")).unwrap_err();
    assert!(error.contains("line 1: expected [\"EL201\"]"), "{error}");
}

#[test]
fn harness_rejects_an_unexpected_finding() {
    let (_directory, fixture) =
        scratch_fixture("y = open(log_path).readlines()\nx = sum([v for v in y])\n");
    let (_, rendered) = run_fixture(&fixture).unwrap();
    let error = check_fixture(&fixture, Some(&rendered)).unwrap_err();
    assert!(
        error.contains("line 2: expected [] from the markers, found [\"EL201\"]"),
        "{error}"
    );
}

#[test]
fn harness_rejects_a_finding_in_the_wrong_tier() {
    // Every line of a file: shown by default, so a `# pedantic:` marker is wrong.
    let (_directory, fixture) = scratch_fixture(
        "y = open(log_path).readlines()\nx = sum([v for v in y])  # pedantic: EL201\n",
    );
    let error = check_fixture(&fixture, None).unwrap_err();
    assert!(
        error.contains("expected [\"pedantic EL201\"] from the markers, found [\"EL201\"]"),
        "{error}"
    );
}

#[test]
fn harness_counts_repeated_markers() {
    let (_directory, fixture) =
        scratch_fixture("z = zip([a for a in x], [b for b in y])  # pedantic: EL201\n");
    let error = check_fixture(&fixture, None).unwrap_err();
    assert!(
        error.contains(
            "expected [\"pedantic EL201\"] from the markers, found [\"pedantic EL201\", \"pedantic EL201\"]"
        ),
        "{error}"
    );
}

/// The ```python blocks of one `## Section` of a rule's documentation.
fn python_blocks(doc: &str, section: &str) -> Vec<String> {
    let Some(start) = doc.find(&format!("## {section}\n")) else {
        return Vec::new();
    };
    let body = &doc[start + section.len() + 4..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    body.split("```python\n")
        .skip(1)
        .filter_map(|block| block.split_once("```").map(|(code, _)| code.to_string()))
        .collect()
}

#[test]
fn documentation_examples_fire_and_their_replacements_do_not() {
    for rule in RULES
        .iter()
        .filter(|rule| !rule.hooks.is_empty() || rule.family == Family::Engine)
    {
        let doc = rule.documentation();
        let rules = support::harness::rules_to_test(rule);
        let codes = |source: &str| -> Vec<&str> {
            edgelint_linter::check_text(
                source,
                Path::new("example.py"),
                &rules,
                edgelint_rules::PythonVersion::DEFAULT,
                None,
            )
            .iter()
            .map(|diagnostic| diagnostic.code)
            .collect()
        };
        for example in python_blocks(&doc, "Example") {
            assert!(
                codes(&example).contains(&rule.code),
                "{}: the example must fire:\n{example}",
                rule.code
            );
        }
        for replacement in python_blocks(&doc, "Use instead") {
            assert!(
                codes(&replacement).is_empty(),
                "{}: the replacement must be clean:\n{replacement}",
                rule.code
            );
        }
        if !rule.hooks.is_empty() {
            assert!(
                !python_blocks(&doc, "Example").is_empty(),
                "{} has no python example",
                rule.code
            );
        }
    }
}

#[test]
fn harness_checks_notebook_markers_by_cell() {
    let directory = tempfile::tempdir().unwrap();
    let fixture = directory.path().join("EL201_scratch.ipynb");
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# x = sum([v for v in y])  # error: EL201"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
             "source": ["y = [1]\n", "x = sum(v for v in y)  # error: EL201\n", "z = sum([v for v in y])"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    });
    std::fs::write(&fixture, notebook.to_string()).unwrap();
    let error = check_fixture(&fixture, Some("")).unwrap_err();
    assert!(
        error.contains("cell 2 line 2: expected [\"EL201\"] from the markers, found []"),
        "{error}"
    );
    assert!(
        error.contains("cell 2 line 3: expected [] from the markers, found [\"pedantic EL201\"]"),
        "{error}"
    );
    assert!(
        !error.contains("cell 1"),
        "markdown cells have no markers: {error}"
    );
}
