//! End-to-end tests of configuration files: discovery and precedence, every key, and the
//! errors for what edgelint does not understand.

mod support;

use std::fs;

use assert_cmd::Command;
use support::cli::{edgelint, project};

/// Fires EL201.
const LIST_IN_SUM: &str =
    "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n";
/// Fires EL501.
const ARRAY_GROWTH: &str =
    "def g(sock):\n    import numpy as np; out = np.zeros(0)\n    while chunk := sock.recv(4096):\n        out = np.append(out, chunk)\n    return out\n";

/// The `path: CODE` pairs of a concise report, sorted.
fn findings(command: &mut Command) -> Vec<String> {
    let output = command.arg("--output-format=concise").output().unwrap();
    let mut found: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut parts = line.split(": ");
            let location = parts.next().unwrap();
            let path = location.split(':').next().unwrap();
            let code = parts.next().unwrap().split(' ').next().unwrap();
            format!("{path}: {code}")
        })
        .collect();
    found.sort();
    found
}

fn stderr_of(command: &mut Command) -> (i32, String) {
    let output = command.output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// An `edgelint.toml` holding `contents` fails the run with exit 2 and a message holding
/// `expected`, pointing at `location` (`line:column`).
fn assert_rejected(contents: &str, expected: &str, location: &str) {
    let project = project(&[("edgelint.toml", contents), ("a.py", LIST_IN_SUM)]);
    let (code, stderr) = stderr_of(&mut edgelint(project.path()));
    assert_eq!(code, 2, "{contents}: {stderr}");
    assert!(stderr.contains(expected), "{contents}: {stderr}");
    assert!(
        stderr.contains(&format!("edgelint.toml:{location}")),
        "{contents}: {stderr}"
    );
}

#[test]
fn the_closest_configuration_to_each_file_wins() {
    let project = project(&[
        ("edgelint.toml", "select = [\"EL5\"]\n"),
        ("a.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
        ("sub/.edgelint.toml", "select = [\"EL2\"]\n"),
        ("sub/b.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
        ("other/pyproject.toml", "[tool.black]\nline-length = 80\n"),
        ("other/c.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
    ]);
    assert_eq!(
        findings(&mut edgelint(project.path())),
        // `EL2` selects the opt-in EL209 too: the function reads a whole file only to iterate it.
        [
            "a.py: EL501",
            "other/c.py: EL501",
            "sub/b.py: EL201",
            "sub/b.py: EL209"
        ]
    );
}

#[test]
fn pyproject_tool_table_is_read_and_dot_edgelint_toml_comes_first() {
    let project = project(&[
        ("pyproject.toml", "[tool.edgelint]\nignore = [\"EL201\"]\n"),
        ("a.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
    ]);
    assert_eq!(findings(&mut edgelint(project.path())), ["a.py: EL501"]);
    fs::write(
        project.path().join(".edgelint.toml"),
        "ignore = [\"EL501\"]\n",
    )
    .unwrap();
    assert_eq!(findings(&mut edgelint(project.path())), ["a.py: EL201"]);
}

#[test]
fn config_forces_one_file_and_isolated_ignores_them_all() {
    let project = project(&[
        ("edgelint.toml", "select = [\"EL5\"]\n"),
        ("strict.toml", "select = [\"EL2\"]\n"),
        ("a.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
    ]);
    let forced = findings(edgelint(project.path()).args(["--config", "strict.toml"]));
    assert_eq!(forced, ["a.py: EL201", "a.py: EL209"]);
    let isolated = findings(edgelint(project.path()).arg("--isolated"));
    assert_eq!(isolated, ["a.py: EL201", "a.py: EL501"]);
}

#[test]
fn command_line_selection_goes_on_top_of_the_file() {
    let project = project(&[
        ("edgelint.toml", "select = [\"EL5\"]\n"),
        ("a.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
    ]);
    let replaced = findings(edgelint(project.path()).args(["--select", "EL201"]));
    assert_eq!(replaced, ["a.py: EL201"]);
    let extended = findings(edgelint(project.path()).args(["--extend-select", "EL201"]));
    assert_eq!(extended, ["a.py: EL201", "a.py: EL501"]);
    let ignored = findings(edgelint(project.path()).args(["--ignore", "EL501"]));
    assert!(ignored.is_empty(), "{ignored:?}");
}

#[test]
fn per_file_ignores_by_path_and_by_name() {
    let project = project(&[
        (
            "edgelint.toml",
            "[per-file-ignores]\n\"tests/**\" = [\"EL501\"]\n\"conftest.py\" = [\"EL2\"]\n",
        ),
        ("tests/test_a.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
        ("src/conftest.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
        ("src/b.py", LIST_IN_SUM),
    ]);
    // Findings in test code are shown with `--pedantic` only.
    assert_eq!(
        findings(edgelint(project.path()).arg("--pedantic")),
        [
            "src/b.py: EL201",
            "src/conftest.py: EL501",
            "tests/test_a.py: EL201"
        ]
    );
}

#[test]
fn exclude_extend_exclude_and_force_exclude() {
    let project = project(&[
        (
            "edgelint.toml",
            "extend-exclude = [\"generated\", \"src/legacy/*.py\"]\n",
        ),
        ("generated/a.py", LIST_IN_SUM),
        ("src/legacy/old.py", LIST_IN_SUM),
        ("src/new.py", LIST_IN_SUM),
        ("build/b.py", LIST_IN_SUM),
    ]);
    assert_eq!(
        findings(&mut edgelint(project.path())),
        ["src/new.py: EL201"]
    );
    // Named explicitly, an excluded file is linted, unless --force-exclude.
    let explicit = findings(edgelint(project.path()).arg("generated/a.py"));
    assert_eq!(explicit, ["generated/a.py: EL201"]);
    let forced = findings(edgelint(project.path()).args([
        "--force-exclude",
        "generated/a.py",
        "src/new.py",
    ]));
    assert_eq!(forced, ["src/new.py: EL201"]);
    fs::write(
        project.path().join("edgelint.toml"),
        "exclude = [\"src\"]\nforce-exclude = true\n",
    )
    .unwrap();
    // `exclude` replaces the defaults: `build` is linted now, `src` is not.
    assert_eq!(
        findings(&mut edgelint(project.path())),
        ["build/b.py: EL201", "generated/a.py: EL201"]
    );
    assert!(findings(edgelint(project.path()).arg("src/new.py")).is_empty());
}

#[test]
fn respect_gitignore_can_be_turned_off() {
    let project = project(&[
        (".gitignore", "ignored.py\n"),
        ("ignored.py", LIST_IN_SUM),
        ("kept.py", LIST_IN_SUM),
    ]);
    fs::create_dir(project.path().join(".git")).unwrap();
    assert_eq!(findings(&mut edgelint(project.path())), ["kept.py: EL201"]);
    fs::write(
        project.path().join("edgelint.toml"),
        "respect-gitignore = false\n",
    )
    .unwrap();
    assert_eq!(
        findings(&mut edgelint(project.path())),
        ["ignored.py: EL201", "kept.py: EL201"]
    );
    let flag = findings(edgelint(project.path()).arg("--respect-gitignore"));
    assert_eq!(flag, ["kept.py: EL201"]);
}

#[test]
fn output_format_from_the_file_and_the_command_line_wins() {
    let project = project(&[
        ("edgelint.toml", "output-format = \"json\"\n"),
        ("a.py", LIST_IN_SUM),
    ]);
    let output = edgelint(project.path()).output().unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(parsed[0]["code"], "EL201");
    let concise = edgelint(project.path())
        .arg("--output-format=concise")
        .output()
        .unwrap();
    assert!(String::from_utf8(concise.stdout)
        .unwrap()
        .starts_with("a.py:2:16: EL201"));
}

#[test]
fn show_settings_names_the_file_the_target_version_and_the_rules() {
    let project = project(&[
        (
            "pyproject.toml",
            "[project]\nrequires-python = \">=3.9\"\n[tool.edgelint]\nselect = [\"EL201\", \"EL501\"]\n",
        ),
        ("a.py", LIST_IN_SUM),
    ]);
    let output = edgelint(project.path())
        .args(["--show-settings", "a.py"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("pyproject.toml"), "{text}");
    assert!(text.contains("target-version: py39"), "{text}");
    assert!(
        text.contains("rules (4): EL001, EL002, EL201, EL501"),
        "{text}"
    );
}

#[test]
fn an_unknown_key_fails_with_exit_2_and_a_caret_at_the_key() {
    let project = project(&[
        (
            "edgelint.toml",
            "select = [\"EL2\"]\nignroe = [\"EL201\"]\n",
        ),
        ("a.py", LIST_IN_SUM),
    ]);
    let (code, stderr) = stderr_of(&mut edgelint(project.path()));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("unknown field `ignroe`, expected one of"),
        "{stderr}"
    );
    assert!(stderr.contains("edgelint.toml:2:1"), "{stderr}");
    assert!(stderr.contains("2 | ignroe = [\"EL201\"]"), "{stderr}");
    assert!(stderr.contains("^^^^^^"), "{stderr}");
}

#[test]
fn an_unknown_rule_code_fails_with_exit_2_even_with_exit_zero() {
    let project = project(&[
        ("edgelint.toml", "extend-select = [\"EL2O1\"]\n"),
        ("a.py", LIST_IN_SUM),
    ]);
    let (code, stderr) = stderr_of(edgelint(project.path()).arg("--exit-zero"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown rule selector `EL2O1`"), "{stderr}");
    assert!(stderr.contains("edgelint.toml:1:18"), "{stderr}");
}

#[test]
fn bad_values_fail_with_what_was_expected() {
    let cases = [
        (
            "respect-gitignore = \"yes\"\n",
            "invalid type: string \"yes\", expected a boolean",
            "1:21",
        ),
        (
            "target-version = \"py2\"\n",
            "unknown target version `py2`; expected one of",
            "1:18",
        ),
        (
            "output-format = \"xml\"\n",
            "unknown output format `xml`; expected one of `full`",
            "1:17",
        ),
        (
            "select = [\"EL2\"\n",
            "unclosed array, expected `]`",
            "1:16",
        ),
    ];
    for (contents, expected, location) in cases {
        assert_rejected(contents, expected, location);
    }
}

#[test]
fn an_invalid_configuration_deeper_in_the_tree_fails_the_run() {
    let project = project(&[
        ("a.py", LIST_IN_SUM),
        ("pkg/edgelint.toml", "selekt = []\n"),
        ("pkg/b.py", LIST_IN_SUM),
    ]);
    let (code, stderr) = stderr_of(&mut edgelint(project.path()));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pkg/edgelint.toml:1:1"), "{stderr}");
}

#[test]
fn a_missing_config_file_is_an_error() {
    let project = project(&[("a.py", LIST_IN_SUM)]);
    let (code, stderr) = stderr_of(edgelint(project.path()).args(["--config", "nope.toml"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read the configuration file nope.toml"),
        "{stderr}"
    );
}

#[test]
fn errors_name_the_file_relative_to_the_current_directory() {
    let project = project(&[("edgelint.toml", "selekt = []\n"), ("a.py", LIST_IN_SUM)]);
    let (_, stderr) = stderr_of(&mut edgelint(project.path()));
    assert!(
        stderr.starts_with("error: invalid configuration: unknown field `selekt`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> edgelint.toml:1:1"), "{stderr}");
}

#[test]
fn a_rule_table_overrides_the_severity() {
    let project = project(&[
        ("edgelint.toml", "[rules.EL201]\nseverity = \"error\"\n"),
        ("a.py", LIST_IN_SUM),
    ]);
    let output = edgelint(project.path()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("error[EL201]"), "{text}");
    let json = edgelint(project.path())
        .arg("--output-format=json")
        .output()
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed[0]["severity"], "error");
    let isolated = edgelint(project.path())
        .args(["--isolated", "--output-format=json"])
        .output()
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&isolated.stdout).unwrap();
    assert_eq!(parsed[0]["severity"], "warning");
}

#[test]
fn rule_tables_reject_unknown_rules_keys_and_severities() {
    let cases = [
        (
            "[rules.EL999]\nseverity = \"error\"\n",
            "unknown rule `EL999` in `rules`",
            "1:1",
        ),
        (
            "[rules.EL201]\nlevel = \"error\"\n",
            "unknown field `level`, expected `severity`",
            "2:1",
        ),
        (
            "[rules.EL201]\nseverity = \"fatal\"\n",
            "unknown severity `fatal`; expected one of `error`, `warning`, `info`",
            "2:12",
        ),
    ];
    for (contents, expected, location) in cases {
        assert_rejected(contents, expected, location);
    }
}

/// Fires EL404 (opt-in) where the target version allows `slots=True`.
const RECORDS: &str = "\
from dataclasses import dataclass


@dataclass
class Reading:
    sensor: str
    value: float


def parse(lines):
    return [Reading(*line.split(\",\")) for line in lines]
";

#[test]
fn target_version_gates_suggestions_that_need_a_newer_python() {
    let project = project(&[
        ("pyproject.toml", "[project]\nrequires-python = \">=3.8\"\n[tool.edgelint]\nextend-select = [\"EL404\"]\n"),
        ("records.py", RECORDS),
    ]);
    // `requires-python` allows 3.8, which has no `slots=True`.
    assert!(findings(&mut edgelint(project.path())).is_empty());
    let newer = findings(edgelint(project.path()).args(["--target-version", "py311"]));
    assert_eq!(newer, ["records.py: EL404"]);
    fs::write(
        project.path().join("pyproject.toml"),
        "[project]\nrequires-python = \">=3.8\"\n[tool.edgelint]\nextend-select = [\"EL404\"]\ntarget-version = \"py310\"\n",
    )
    .unwrap();
    assert_eq!(
        findings(&mut edgelint(project.path())),
        ["records.py: EL404"]
    );
    let (code, stderr) = stderr_of(edgelint(project.path()).args(["--target-version", "py2"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("expected a version from `py37` to `py314`"),
        "{stderr}"
    );
}

#[test]
fn per_file_ignores_on_the_command_line_add_to_the_file() {
    let project = project(&[
        (
            "edgelint.toml",
            "[per-file-ignores]\n\"tests/**\" = [\"EL501\"]\n",
        ),
        ("tests/test_a.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
        ("src/b.py", &format!("{LIST_IN_SUM}{ARRAY_GROWTH}")),
    ]);
    let found = findings(edgelint(project.path()).args([
        "--per-file-ignores",
        "tests/**:EL201",
        "--per-file-ignores",
        "b.py:EL501",
    ]));
    assert_eq!(found, ["src/b.py: EL201"]);
    let (code, stderr) =
        stderr_of(edgelint(project.path()).args(["--per-file-ignores", "tests/**"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("expected `GLOB:RULES`"), "{stderr}");
    let (code, stderr) =
        stderr_of(edgelint(project.path()).args(["--per-file-ignores", "tests/**:EL9999"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown rule selector `EL9999`"),
        "{stderr}"
    );
}

#[test]
fn an_invalid_configuration_fails_the_run_before_any_file_is_linted() {
    // Regression: the files outside `sub/` were linted, and fixed, before the run failed.
    let project = project(&[
        ("a.py", LIST_IN_SUM),
        ("sub/b.py", LIST_IN_SUM),
        ("sub/edgelint.toml", "selekt = 1\n"),
    ]);
    let (code, stderr) = stderr_of(edgelint(project.path()).args(["--fix", "--select", "EL201"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("sub/edgelint.toml:1:1"), "{stderr}");
    assert_eq!(
        fs::read_to_string(project.path().join("a.py")).unwrap(),
        LIST_IN_SUM
    );
}
