//! End-to-end tests of `--fix`, `--unsafe-fixes`, `--diff`, `--show-fixes` and
//! `--exit-non-zero-on-fix`: what is written, what is not, and what is reported.

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;

use support::cli::{edgelint, project};
use support::harness::repository_root;

/// One safe fix (EL201: brackets dropped) and one finding no fix removes (EL501).
const SOURCE: &str = "\
def total(xs):
    return sum([x for x in open(data_path).read()])


def receive(sock):
    import numpy as np; out = np.zeros(0)
    while part := sock.recv(4096):
        out = np.append(out, part)
    return out
";
const FIXED: &str = "\
def total(xs):
    return sum(x for x in open(data_path).read())


def receive(sock):
    import numpy as np; out = np.zeros(0)
    while part := sock.recv(4096):
        out = np.append(out, part)
    return out
";
/// An unsafe fix only (EL204: `min` raises another error on empty input).
const UNSAFE_ONLY: &str = "\
def first(data_path):
    return sorted(open(data_path).read().split(\",\"))[0]
";

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

fn run(directory: &Path, args: &[&str]) -> Output {
    edgelint(directory)
        .args(["--output-format", "concise"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn fix_writes_the_safe_fixes_and_reports_what_is_left() {
    let project = project(&[("app.py", SOURCE)]);
    let output = run(project.path(), &["--fix"]);
    assert_eq!(output.status.code(), Some(1), "EL501 remains");
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        FIXED
    );
    let stdout = text(output.stdout);
    assert!(stdout.contains("app.py:8:9: EL501"), "{stdout}");
    assert!(!stdout.contains("EL201"), "{stdout}");
    assert_eq!(
        text(output.stderr),
        "Found 2 problems (1 fixed, 1 remaining)\n"
    );
}

#[test]
fn fix_exits_0_when_everything_is_fixed() {
    let project = project(&[(
        "app.py",
        "print(sum([x for x in open(data_path).read()]))\n",
    )]);
    let output = run(project.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        "print(sum(x for x in open(data_path).read()))\n"
    );
}

#[test]
fn unsafe_fixes_need_the_flag_and_are_counted_as_hidden() {
    let project = project(&[("app.py", UNSAFE_ONLY)]);
    let output = run(project.path(), &["--fix"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        UNSAFE_ONLY
    );

    let output = run(project.path(), &[]);
    assert_eq!(
        text(output.stderr),
        "Found 1 problem (1 fixable with `--fix --unsafe-fixes`)\n"
    );

    let output = run(project.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(0));
    let fixed = fs::read_to_string(project.path().join("app.py")).unwrap();
    assert!(
        fixed.contains("return min(open(data_path).read().split(\",\"))"),
        "{fixed}"
    );
}

#[test]
fn the_configuration_can_allow_unsafe_fixes() {
    let project = project(&[
        ("app.py", UNSAFE_ONLY),
        ("pyproject.toml", "[tool.edgelint]\nunsafe-fixes = true\n"),
    ]);
    let output = run(project.path(), &["--fix"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(output.stderr));
    // `--no-unsafe-fixes` wins over the file.
    let project = self::project(&[
        ("app.py", UNSAFE_ONLY),
        ("pyproject.toml", "[tool.edgelint]\nunsafe-fixes = true\n"),
    ]);
    let output = run(project.path(), &["--fix", "--no-unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn diff_prints_the_change_writes_nothing_and_reports_the_unfixable_findings() {
    let project = project(&[("app.py", SOURCE)]);
    let output = run(project.path(), &["--diff"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        SOURCE
    );
    assert_eq!(
        text(output.stdout),
        "\
--- app.py
+++ app.py
@@ -1,5 +1,5 @@
 def total(xs):
-    return sum([x for x in open(data_path).read()])
+    return sum(x for x in open(data_path).read())
 
 
 def receive(sock):
"
    );
    let stderr = text(output.stderr);
    assert!(
        stderr.starts_with("app.py:8:9: EL501 "),
        "the finding no fix removes, located in the file as it is: {stderr}"
    );
    assert!(!stderr.contains("EL201"), "{stderr}");
    assert!(
        stderr.ends_with("Would fix 1 problem; 1 problem that no fix removes\n"),
        "{stderr}"
    );
}

#[test]
fn diff_exits_1_for_a_fix_alone_and_0_when_there_is_nothing() {
    let project = project(&[(
        "app.py",
        "print(sum([x for x in open(data_path).read()]))\n",
    )]);
    let output = run(project.path(), &["--diff"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(output.stdout).starts_with("--- app.py\n+++ app.py\n"));

    let project = self::project(&[("app.py", FIXED.split("\n\n\n").next().unwrap())]);
    let output = run(project.path(), &["--diff"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(output.stdout), "");
    assert_eq!(text(output.stderr), "No fixes available\n");
}

#[test]
fn diff_applies_with_patch() {
    let project = project(&[("app.py", SOURCE)]);
    let output = run(project.path(), &["--diff"]);
    let patch = std::process::Command::new("patch")
        .args(["-p0", "--quiet"])
        .current_dir(project.path())
        .stdin(std::process::Stdio::piped())
        .spawn();
    // `patch` is part of every Unix; where it is missing this check has nothing to run.
    let Ok(mut patch) = patch else { return };
    use std::io::Write;
    patch
        .stdin
        .take()
        .unwrap()
        .write_all(&output.stdout)
        .unwrap();
    assert!(patch.wait().unwrap().success());
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        FIXED
    );
}

#[test]
fn show_fixes_lists_the_fixes_per_file() {
    let project = project(&[("a.py", SOURCE), ("b.py", "x = list(list(y))\n")]);
    // `y` is of unknown size: its EL105 is shown (and fixed) with `--pedantic`.
    let output = run(project.path(), &["--fix", "--show-fixes", "--pedantic"]);
    assert_eq!(
        text(output.stderr),
        "\
Fixed 2 problems:
- a.py:
    1 × EL201 (list-comprehension-in-consumer)
- b.py:
    1 × EL105 (redundant-copy)
Found 3 problems (2 fixed, 1 remaining)
"
    );
}

#[test]
fn exit_non_zero_on_fix_exits_1_when_something_was_fixed() {
    let project = project(&[(
        "app.py",
        "print(sum([x for x in open(data_path).read()]))\n",
    )]);
    let output = run(project.path(), &["--fix", "--exit-non-zero-on-fix"]);
    assert_eq!(output.status.code(), Some(1));
    // Nothing left to fix: 0.
    let output = run(project.path(), &["--fix", "--exit-non-zero-on-fix"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn fixed_standard_input_goes_to_stdout_and_the_findings_to_stderr() {
    let project = project(&[]);
    let output = edgelint(project.path())
        .args(["--fix", "--output-format", "concise", "-"])
        .write_stdin(SOURCE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(output.stdout), FIXED);
    let stderr = text(output.stderr);
    assert!(stderr.starts_with("-:8:9: EL501 "), "{stderr}");
}

#[test]
fn crlf_line_endings_are_kept() {
    let crlf = "import time\r\n\r\ndef serve(data_path, handle):\r\n    data = open(data_path).read()\r\n    handle(data)\r\n    while True:\r\n        time.sleep(1)\r\n\r\nprint(sum([x for x in open(data_path).read()]))\r\n";
    let project = project(&[("app.py", crlf)]);
    // EL301 is a pedantic rule: selected here, it is an ordinary one.
    let output = run(
        project.path(),
        &["--fix", "--unsafe-fixes", "--extend-select", "EL301"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(output.stdout));
    let fixed = fs::read_to_string(project.path().join("app.py")).unwrap();
    assert_eq!(
        fixed,
        "import time\r\n\r\ndef serve(data_path, handle):\r\n    data = open(data_path).read()\r\n    handle(data)\r\n    del data\r\n    while True:\r\n        time.sleep(1)\r\n\r\nprint(sum(x for x in open(data_path).read()))\r\n"
    );
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let project = project(&[("tool.py", "#!/usr/bin/env python3\nx = list(list(y))\n")]);
    let path = project.path().join("tool.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o750)).unwrap();
    let output = run(project.path(), &["--fix", "--pedantic"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "#!/usr/bin/env python3\nx = list(y)\n"
    );
    let mode = fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o750);
}

#[test]
fn a_read_only_file_is_left_alone_with_a_clear_error() {
    let project = project(&[("app.py", SOURCE)]);
    let path = project.path().join("app.py");
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    let output = run(project.path(), &["--fix"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&path).unwrap(), SOURCE);
    let stdout = text(output.stdout);
    assert!(
        stdout.contains("EL201") && stdout.contains("EL501"),
        "the unfixed file's findings are all reported: {stdout}"
    );
    let stderr = text(output.stderr);
    assert!(
        stderr.contains(
            "edgelint: error: cannot write the fixes to app.py: the file is read-only; the file was left as it was"
        ),
        "{stderr}"
    );
}

#[test]
fn a_file_whose_fixes_cannot_be_written_reports_what_a_lint_of_it_reports() {
    // The findings come from the fixing itself (those fixed away and the others), not from a
    // second lint: they must be exactly a lint's, fixes and all.
    let project = project(&[("app.py", SOURCE)]);
    let path = project.path().join("app.py");
    let json = |args: &[&str]| {
        let output = edgelint(project.path())
            .args(["--output-format", "json", "--no-cache"])
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let linted = json(&[]);
    assert!(linted.as_array().unwrap().len() >= 2, "{linted}");
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    assert_eq!(json(&["--fix", "--unsafe-fixes"]), linted);
    assert_eq!(json(&["--fix"]), linted);
}

#[test]
fn a_file_with_a_syntax_error_is_not_fixed() {
    let broken = "print(sum([x for x in open(data_path).read()]))\ndef broken(:\n";
    let project = project(&[("app.py", broken)]);
    let output = run(project.path(), &["--fix"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        broken
    );
}

/// The repository's own check of the stdlib experiment: every fixture, fixed with every rule
/// and every unsafe fix, still parses (by Python's own parser when it is there), and a second
/// run finds nothing more to fix.
#[test]
fn fixing_every_fixture_keeps_them_parsing_and_settles() {
    let scratch = tempfile::tempdir().unwrap();
    let fixtures = scratch.path().join("fixtures");
    fs::create_dir(&fixtures).unwrap();
    for entry in fs::read_dir(repository_root().join("fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "py") {
            fs::copy(&path, fixtures.join(path.file_name().unwrap())).unwrap();
        }
    }
    let parses_before = python_parses(&fixtures);

    let first = edgelint(scratch.path())
        .args(["--select", "ALL", "--fix", "--unsafe-fixes", "--show-fixes"])
        .args(["--output-format", "concise", "fixtures"])
        .output()
        .unwrap();
    let stderr = text(first.stderr);
    assert!(!stderr.contains("edgelint: error"), "{stderr}");
    assert!(stderr.contains("Fixed "), "{stderr}");

    let parses_after = python_parses(&fixtures);
    if let (Some(before), Some(after)) = (&parses_before, &parses_after) {
        let broken: Vec<&String> = before.iter().filter(|name| !after.contains(name)).collect();
        assert!(broken.is_empty(), "no longer parse: {broken:?}");
        assert!(before.len() > 40, "{before:?}");
    }

    let second = edgelint(scratch.path())
        .args(["--select", "ALL", "--diff", "--unsafe-fixes", "fixtures"])
        .output()
        .unwrap();
    assert_eq!(
        text(second.stdout),
        "",
        "a second run still finds something to fix"
    );
}

/// The files in `directory` that Python's own parser accepts, or `None` without Python.
fn python_parses(directory: &Path) -> Option<Vec<String>> {
    let script = "import ast, pathlib, sys\n\
        for path in sorted(pathlib.Path(sys.argv[1]).glob('*.py')):\n\
        \x20   try:\n\
        \x20       ast.parse(path.read_bytes())\n\
        \x20       print(path.name)\n\
        \x20   except (SyntaxError, ValueError):\n\
        \x20       pass\n";
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(directory)
        .output()
        .ok()?;
    output.status.success().then(|| {
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    })
}

#[test]
fn a_latin_1_file_is_written_back_in_latin_1() {
    let project = project(&[]);
    let path = project.path().join("legacy.py");
    let source = b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nx = list(list(y))\n";
    fs::write(&path, source).unwrap();
    let output = run(project.path(), &["--fix", "--pedantic"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(output.stdout));
    assert_eq!(
        fs::read(&path).unwrap(),
        b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nx = list(y)\n"
    );
}

/// Inputs the fuzzer found (tests/data/fuzz-regressions): deeply nested findings whose fixes
/// take a pass each once counted as fixes that never settle. Every one must be fixed in full,
/// still parse, and leave nothing more to fix.
#[test]
fn fuzz_regressions_settle() {
    let regressions = repository_root().join("tests/data/fuzz-regressions");
    let scratch = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for entry in fs::read_dir(&regressions).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "py") {
            fs::copy(&path, scratch.path().join(path.file_name().unwrap())).unwrap();
            copied += 1;
        }
    }
    assert!(copied >= 4);
    let parsing_before = python_parses(scratch.path());
    let output = edgelint(scratch.path())
        .args([
            "--select",
            "ALL",
            "--fix",
            "--unsafe-fixes",
            "--no-cache",
            ".",
        ])
        .output()
        .unwrap();
    let stderr = text(output.stderr);
    assert!(!stderr.contains("edgelint: error"), "{stderr}");
    let again = edgelint(scratch.path())
        .args([
            "--select",
            "ALL",
            "--diff",
            "--unsafe-fixes",
            "--no-cache",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(text(again.stdout), "", "nothing is left to fix");
    // Python refuses more than 20 nested blocks or 200 nested parentheses, so not every input
    // parses to begin with; what did still does.
    if let (Some(before), Some(after)) = (parsing_before, python_parses(scratch.path())) {
        let broken: Vec<&String> = before.iter().filter(|name| !after.contains(name)).collect();
        assert!(broken.is_empty(), "no longer parse: {broken:?}");
    }
}
