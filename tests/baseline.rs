//! End-to-end tests of `--write-baseline` and `--baseline`.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

const ORIGINAL: &str = "\
def f(data_path):
    return sum([x for x in open(data_path).read()])


def g(sock):
    import numpy as np; out = np.zeros(0)
    while chunk := sock.recv(4096):
        out = np.append(out, chunk)
    return out
";

fn edgelint(directory: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("edgelint")
        .unwrap()
        .current_dir(directory)
        .env_remove("EDGELINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1")
        .args(args)
        .arg("--output-format=concise")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn scratch(source: &str) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    fs::write(directory.path().join("app.py"), source).unwrap();
    directory
}

#[test]
fn a_written_baseline_silences_todays_findings() {
    let directory = scratch(ORIGINAL);
    let (code, stdout, stderr) = edgelint(directory.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("recorded 2 findings"), "{stderr}");
    let recorded: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(directory.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(recorded["findings"].as_array().unwrap().len(), 2);
    // Sorted by path and code: EL201 (in `f`) before EL501 (in `g`).
    assert_eq!(recorded["findings"][0]["scope"], "f");
    assert_eq!(recorded["findings"][1]["scope"], "g");
    assert!(recorded["findings"][0].get("row").is_none());

    let (code, stdout, _) = edgelint(directory.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn edits_above_keep_old_findings_silent_and_only_the_new_one_is_reported() {
    let directory = scratch(ORIGINAL);
    edgelint(directory.path(), &["--write-baseline", "baseline.json"]);
    let edited = format!(
        "\"\"\"A module docstring added later.\"\"\"\nimport os\n\n\n{ORIGINAL}\n\ndef h(xs):\n    return max([len(x) for x in open(data_path).read().split()])\n"
    );
    fs::write(directory.path().join("app.py"), edited).unwrap();
    let (code, stdout, stderr) = edgelint(directory.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(lines[0].starts_with("app.py:17:16: EL201"), "{stdout}");
    assert!(!stderr.contains("no longer match"), "{stderr}");
}

#[test]
fn a_fixed_finding_is_listed_as_stale() {
    let directory = scratch(ORIGINAL);
    edgelint(directory.path(), &["--write-baseline", "baseline.json"]);
    let fixed = ORIGINAL.replace(
        "sum([x for x in open(data_path).read()])",
        "sum(x for x in open(data_path).read())",
    );
    fs::write(directory.path().join("app.py"), fixed).unwrap();
    let (code, stdout, stderr) = edgelint(directory.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("1 baseline entries no longer match"),
        "{stderr}"
    );
    assert!(
        stderr.contains("app.py: EL201 in f: `return sum([x for x in open(data_path).read()])`"),
        "{stderr}"
    );
}

#[test]
fn repeated_identical_findings_are_counted() {
    let line = "total = sum([len(x) for x in open(data_path).read().split()])\n";
    let directory = scratch(&line.repeat(2));
    edgelint(directory.path(), &["--write-baseline", "baseline.json"]);
    fs::write(directory.path().join("app.py"), line.repeat(3)).unwrap();
    let (code, stdout, _) = edgelint(directory.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn the_same_line_in_another_function_is_a_new_finding() {
    let directory = scratch(ORIGINAL);
    edgelint(directory.path(), &["--write-baseline", "baseline.json"]);
    let moved = ORIGINAL.replace("def f(data_path):", "def renamed(n):");
    fs::write(directory.path().join("app.py"), moved).unwrap();
    let (code, stdout, stderr) = edgelint(directory.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("EL201"), "{stdout}");
    assert!(stderr.contains("EL201 in f"), "{stderr}");
}

#[test]
fn a_file_that_is_not_a_baseline_fails_the_run() {
    let directory = scratch(ORIGINAL);
    fs::write(directory.path().join("baseline.json"), "{\"findings\": 3}").unwrap();
    let (code, _, stderr) = edgelint(directory.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("baseline.json is not an edgelint baseline"),
        "{stderr}"
    );
    let (code, _, stderr) = edgelint(directory.path(), &["--baseline", "missing.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read the baseline missing.json"),
        "{stderr}"
    );
}
