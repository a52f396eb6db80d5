//! End-to-end tests of the machine-readable output formats of the built `edgelint` binary:
//! `json-lines`, `github`, `gitlab` and `junit`.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;
use support::cli::{edgelint, project};

/// Fires EL201 (a warning) at 2:16.
const FINDING: &str = "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n";
const CLEAN: &str = "def f(data_path):\n    return sum(x for x in open(data_path).read())\n";
/// Fires EL001 (an error) at 1:9 with the message "syntax error: Expected `,`, found `%`",
/// which holds a `%`, a `:` and a `,`.
const PERCENT: &str = "def f(a %): pass\n";
/// The same with `<` and with `&` in the message.
const LESS_THAN: &str = "def f(a <): pass\n";
const AMPERSAND: &str = "def f(a &): pass\n";
/// Fires EL107 (info) at 2:12, with a message that holds `:` and `"`.
const INFO: &str = "def scheme(data_path):\n    return open(data_path).read().split(\"://\")[0]\n";

/// Runs edgelint with `--output-format format` in `directory`, checks that it exits with
/// `code` and prints nothing on standard error (these formats are not for people, so they get
/// no summary line), and returns standard output.
fn report(directory: &Path, format: &str, code: i32) -> String {
    let output = edgelint(directory)
        .args(["--output-format", format])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(code), "{stdout}{stderr}");
    assert_eq!(stderr, "", "{format} should print no summary");
    stdout
}

// json-lines

#[test]
fn json_lines_has_one_object_per_finding_with_the_fields_of_json() {
    let project = project(&[("app.py", FINDING), ("bad.py", PERCENT), ("url.py", INFO)]);
    let stdout = report(project.path(), "json-lines", 1);
    assert!(stdout.ends_with('\n'), "{stdout}");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for line in &lines {
        assert!(line["code"].is_string(), "{line}");
        assert!(line["filename"].is_string(), "{line}");
        assert!(line["location"]["row"].is_u64(), "{line}");
        assert!(line["location"]["column"].is_u64(), "{line}");
    }
    assert_eq!(lines[0]["code"], "EL201");
    assert_eq!(lines[0]["filename"], "app.py");
    assert_eq!(lines[0]["location"]["row"], 2);
    assert_eq!(lines[0]["location"]["column"], 16);
    assert_eq!(lines[1]["code"], "EL001");
    assert_eq!(lines[2]["code"], "EL107");

    // The same objects, in the same order, as the `json` array.
    let json: Value = serde_json::from_str(&report(project.path(), "json", 1)).unwrap();
    assert_eq!(json, Value::Array(lines));
}

#[test]
fn json_lines_without_findings_is_empty() {
    let project = project(&[("clean.py", CLEAN)]);
    assert_eq!(report(project.path(), "json-lines", 0), "");
}

// github

#[test]
fn github_annotations_are_escaped_and_use_the_severity() {
    let project = project(&[
        ("a,b 50%.py", FINDING),
        ("bad.py", PERCENT),
        ("url.py", INFO),
    ]);
    let stdout = report(project.path(), "github", 1);
    assert_eq!(
        stdout,
        "::warning file=a%2Cb 50%25.py,line=2,col=16,endLine=2,endColumn=51,\
         title=EL201 list-comprehension-in-consumer::\
         list comprehension is built in full only to be read once by `sum()` \
         (the whole content of a file, read from here: a,b 50%25.py:2:28)\n\
         ::error file=bad.py,line=1,col=9,endLine=1,endColumn=10,title=EL001 syntax-error::\
         syntax error: Expected `,`, found `%25`\n\
         ::notice file=url.py,line=2,col=12,endLine=2,endColumn=50,\
         title=EL107 split-for-one-part::\
         `open(data_path).read().split(\"://\")[0]` builds a list of every part to use one \
         (the whole content of a file, read from here: url.py:2:12)\n"
    );
}

#[cfg(unix)]
#[test]
fn github_escapes_a_colon_in_the_path() {
    let project = project(&[("dir:x/y,z.py", PERCENT)]);
    let stdout = report(project.path(), "github", 1);
    assert_eq!(
        stdout,
        "::error file=dir%3Ax/y%2Cz.py,line=1,col=9,endLine=1,endColumn=10,\
         title=EL001 syntax-error::syntax error: Expected `,`, found `%25`\n"
    );
}

/// Bug: every annotation ended where it started (`endColumn` was the start column), so GitHub
/// marked one character of the finding. The end column is now the one after it, and a finding
/// over several lines names its last line and no columns, which GitHub keeps to one line.
#[test]
fn github_annotations_span_the_finding() {
    let wrapped =
        "def f(data_path):\n    return sum([\n        x for x in open(data_path).read()\n    ])\n";
    let project = project(&[("one.py", FINDING), ("wrapped.py", wrapped)]);
    let stdout = report(project.path(), "github", 1);
    let annotations: Vec<&str> = stdout.lines().collect();
    assert_eq!(annotations.len(), 2, "{stdout}");
    assert!(
        annotations[0].starts_with("::warning file=one.py,line=2,col=16,endLine=2,endColumn=51,"),
        "{stdout}"
    );
    // Columns 16 to 50 of line 2 are the whole list comprehension.
    let line = FINDING.lines().nth(1).unwrap();
    assert_eq!(&line[15..50], "[x for x in open(data_path).read()]");
    assert!(
        annotations[1].starts_with("::warning file=wrapped.py,line=2,endLine=4,title=EL201 "),
        "{stdout}"
    );
}

#[test]
fn github_without_findings_is_empty() {
    let project = project(&[("clean.py", CLEAN)]);
    assert_eq!(report(project.path(), "github", 0), "");
}

// gitlab

fn gitlab(directory: &Path) -> Vec<Value> {
    let stdout = report(directory, "gitlab", 1);
    match serde_json::from_str(&stdout) {
        Ok(Value::Array(issues)) => issues,
        other => panic!("not a JSON array: {other:?}\n{stdout}"),
    }
}

#[test]
fn gitlab_issues_have_the_code_quality_fields() {
    let project = project(&[("app.py", FINDING), ("bad.py", PERCENT), ("url.py", INFO)]);
    let issues = gitlab(project.path());
    assert_eq!(issues.len(), 3);
    let first = &issues[0];
    assert_eq!(
        first["description"],
        "EL201 list comprehension is built in full only to be read once by `sum()` (the whole content of a file, read from here: app.py:2:28)"
    );
    assert_eq!(first["check_name"], "EL201");
    assert_eq!(first["severity"], "minor");
    assert_eq!(first["location"]["path"], "app.py");
    assert_eq!(first["location"]["lines"]["begin"], 2);
    assert_eq!(issues[1]["severity"], "major");
    assert_eq!(issues[1]["location"]["path"], "bad.py");
    assert_eq!(issues[2]["severity"], "info");
    for issue in &issues {
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert!(
            !fingerprint.is_empty() && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
            "{issue}"
        );
    }
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
}

#[test]
fn gitlab_fingerprints_survive_lines_inserted_above() {
    let project = project(&[("app.py", FINDING)]);
    let before = gitlab(project.path());
    fs::write(
        project.path().join("app.py"),
        format!("\n# a comment\n{FINDING}"),
    )
    .unwrap();
    let after = gitlab(project.path());
    assert_eq!(before.len(), 1);
    assert_eq!(after.len(), 1);
    assert_eq!(before[0]["location"]["lines"]["begin"], 2);
    assert_eq!(after[0]["location"]["lines"]["begin"], 4);
    assert_eq!(before[0]["fingerprint"], after[0]["fingerprint"]);

    // Changing the flagged line does change it.
    fs::write(
        project.path().join("app.py"),
        FINDING.replace("open(data_path)", "open(data_path + 1)"),
    )
    .unwrap();
    let changed = gitlab(project.path());
    assert_ne!(before[0]["fingerprint"], changed[0]["fingerprint"]);
}

#[test]
fn gitlab_fingerprints_tell_identical_lines_apart() {
    let twice = "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n\
                 def g(xs):\n    return sum([x for x in open(data_path).read()])\n";
    let project = project(&[("app.py", twice), ("lib.py", FINDING)]);
    let issues = gitlab(project.path());
    assert_eq!(issues.len(), 3);
    let prints: Vec<&str> = issues
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    assert_ne!(prints[0], prints[1], "same line twice in one file");
    assert_ne!(prints[0], prints[2], "same line in another file");
}

#[test]
fn gitlab_without_findings_is_an_empty_array() {
    let project = project(&[("clean.py", CLEAN)]);
    let stdout = report(project.path(), "gitlab", 0);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap(),
        Value::Array(vec![])
    );
}

// junit

/// Checks that `xml` is well-formed as far as this report needs: one prolog, then elements that
/// nest properly, attribute values in double quotes, and no `<` or bare `&` in text or values.
/// Returns the element names in document order, each with its attributes (unescaped).
fn parse_xml(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    let mut rest = xml
        .strip_prefix(prolog)
        .unwrap_or_else(|| panic!("no prolog: {xml}"));
    let mut open: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let mut roots = 0;
    while !rest.is_empty() {
        let (text, tag) = match rest.find('<') {
            Some(start) => rest.split_at(start),
            None => (rest, ""),
        };
        check_text(text);
        assert!(
            !open.is_empty() || text.trim().is_empty(),
            "text outside the root element: {text:?}"
        );
        if tag.is_empty() {
            break;
        }
        let end = tag.find('>').expect("unterminated tag");
        let inside = &tag[1..end];
        rest = &tag[end + 1..];
        if let Some(name) = inside.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "mismatched </{name}>");
            continue;
        }
        let (inside, empty) = match inside.strip_suffix('/') {
            Some(inside) => (inside, true),
            None => (inside, false),
        };
        let (name, mut attributes) = inside.split_once(' ').unwrap_or((inside, ""));
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "bad element name {name:?}"
        );
        let mut parsed = Vec::new();
        loop {
            attributes = attributes.trim_start();
            if attributes.is_empty() {
                break;
            }
            let (key, value) = attributes
                .split_once("=\"")
                .expect("attribute without value");
            let (value, after) = value.split_once('"').expect("unterminated value");
            check_text(value);
            parsed.push((key.to_string(), unescape(value)));
            attributes = after;
        }
        if open.is_empty() {
            roots += 1;
        }
        elements.push((name.to_string(), parsed));
        if !empty {
            open.push(name.to_string());
        }
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    assert_eq!(roots, 1, "one root element");
    elements
}

/// No raw `<` or `>`, and every `&` starts one of the five entities or a character reference.
fn check_text(text: &str) {
    assert!(!text.contains('<') && !text.contains('>'), "{text:?}");
    for (at, _) in text.match_indices('&') {
        let entity = &text[at..text[at..].find(';').map_or(text.len(), |end| at + end + 1)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity)
                || (entity.starts_with("&#") && entity.ends_with(';')),
            "bare & in {text:?}"
        );
    }
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn attribute<'a>(element: &'a (String, Vec<(String, String)>), key: &str) -> &'a str {
    element
        .1
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
        .unwrap_or_else(|| panic!("no {key} on {element:?}"))
}

#[test]
fn junit_has_a_suite_per_file_and_a_failed_case_per_finding() {
    let twice = "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n\
                 def g(xs):\n    return sum([x for x in open(data_path).read()])\n";
    let project = project(&[("app.py", twice), ("bad.py", PERCENT)]);
    let stdout = report(project.path(), "junit", 1);
    let elements = parse_xml(&stdout);
    let names: Vec<&str> = elements.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "testsuites",
            "testsuite",
            "testcase",
            "failure",
            "testcase",
            "failure",
            "testsuite",
            "testcase",
            "failure"
        ],
        "{stdout}"
    );
    assert_eq!(attribute(&elements[0], "tests"), "3");
    assert_eq!(attribute(&elements[0], "failures"), "3");

    let app = &elements[1];
    assert_eq!(attribute(app, "name"), "app.py");
    assert_eq!(attribute(app, "tests"), "2");
    assert_eq!(attribute(app, "failures"), "2");
    assert_eq!(attribute(&elements[2], "name"), "EL201 2:16");
    assert_eq!(attribute(&elements[2], "classname"), "app.py");
    assert_eq!(attribute(&elements[3], "type"), "EL201");
    assert_eq!(
        attribute(&elements[3], "message"),
        "list comprehension is built in full only to be read once by `sum()` (the whole content of a file, read from here: app.py:2:28)"
    );
    assert_eq!(attribute(&elements[4], "name"), "EL201 4:16");

    let bad = &elements[6];
    assert_eq!(attribute(bad, "name"), "bad.py");
    assert_eq!(attribute(bad, "tests"), "1");
    assert_eq!(attribute(bad, "failures"), "1");
    assert_eq!(attribute(&elements[7], "name"), "EL001 1:9");
    assert_eq!(attribute(&elements[8], "type"), "EL001");
    // The failure holds the message as its text too.
    assert!(
        stdout.contains(
            ">list comprehension is built in full only to be read once by `sum()` (the whole content of a file, read from here: app.py:2:28)</failure>"
        ),
        "{stdout}"
    );
}

#[test]
fn junit_escapes_markup_in_messages() {
    let project = project(&[("lt.py", LESS_THAN), ("amp.py", AMPERSAND)]);
    let stdout = report(project.path(), "junit", 1);
    let elements = parse_xml(&stdout);
    let failures: Vec<&str> = elements
        .iter()
        .filter(|(name, _)| name == "failure")
        .map(|element| attribute(element, "message"))
        .collect();
    assert_eq!(
        failures,
        [
            "syntax error: Expected `,`, found `&`",
            "syntax error: Expected `,`, found `<`"
        ]
    );
    assert!(
        stdout.contains(">syntax error: Expected `,`, found `&lt;`</failure>"),
        "{stdout}"
    );
    assert!(
        stdout.contains(">syntax error: Expected `,`, found `&amp;`</failure>"),
        "{stdout}"
    );
}

#[test]
fn junit_without_findings_is_one_passing_suite() {
    let project = project(&[("clean.py", CLEAN)]);
    let stdout = report(project.path(), "junit", 0);
    let elements = parse_xml(&stdout);
    let names: Vec<&str> = elements.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["testsuites", "testsuite", "testcase"], "{stdout}");
    assert_eq!(attribute(&elements[1], "name"), "edgelint");
    assert_eq!(attribute(&elements[1], "tests"), "1");
    assert_eq!(attribute(&elements[1], "failures"), "0");
    assert!(!stdout.contains("<failure"), "{stdout}");
}

// The human formats are unchanged.

#[test]
fn concise_output_is_unchanged() {
    let project = project(&[("app.py", FINDING), ("bad.py", PERCENT)]);
    let output = edgelint(project.path())
        .args(["--output-format", "concise"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "app.py:2:16: EL201 [*] list comprehension is built in full only to be read once by `sum()` (the whole content of a file, read from here: app.py:2:28)\n\
         bad.py:1:9: EL001 syntax error: Expected `,`, found `%`\n"
    );
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "Found 2 problems (1 fixable with `--fix`)\n"
    );
}

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("a.py"),
        "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n",
    )
    .unwrap();
    let output = assert_cmd::Command::cargo_bin("edgelint")
        .unwrap()
        .current_dir(directory.path())
        .env_remove("EDGELINT_OUTPUT_FORMAT")
        .args(["--output-format=concise", "-o", "report.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let report = std::fs::read_to_string(directory.path().join("report.txt")).unwrap();
    assert!(report.starts_with("a.py:2:16: EL201"), "{report}");
}

#[test]
fn statistics_count_findings_per_rule_in_text_and_json() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("a.py"),
        "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n\n\ndef g(xs):\n    return max([x for x in open(data_path).read()])\n\n\ndef h(sock):\n    import numpy as np; out = np.zeros(0)\n    while chunk := sock.recv(4096):\n        out = np.append(out, chunk)\n    return out\n",
    )
    .unwrap();
    let run = |format: &str| {
        let output = assert_cmd::Command::cargo_bin("edgelint")
            .unwrap()
            .current_dir(directory.path())
            .env_remove("EDGELINT_OUTPUT_FORMAT")
            .args(["--statistics", &format!("--output-format={format}")])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        run("concise"),
        "2  EL201  [*] list-comprehension-in-consumer\n1  EL501      array-grow-in-loop\n"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json[0]["code"], "EL201");
    assert_eq!(json[0]["count"], 2);
    assert_eq!(json[0]["fixable"], true);
    assert_eq!(json[1]["code"], "EL501");
    assert_eq!(json[1]["fixable"], false);
}

/// The official SARIF 2.1.0 schema (OASIS), as the `serde-sarif` crate ships it.
const SARIF_SCHEMA: &str = include_str!("data/sarif-schema-2.1.0.json");

#[test]
fn sarif_is_valid_against_the_official_schema_and_describes_its_rules() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("a b.py"),
        "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n\n\ndef g(sock):\n    import numpy as np; out = np.zeros(0)\n    while chunk := sock.recv(4096):\n        out = np.append(out, chunk)\n    return out\n",
    )
    .unwrap();
    let output = assert_cmd::Command::cargo_bin("edgelint")
        .unwrap()
        .current_dir(directory.path())
        .env_remove("EDGELINT_OUTPUT_FORMAT")
        .args(["--output-format=sarif", "--extend-select", "EL503"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|error| format!("{error} at {}", error.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &report["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1]["id"], "EL501");
    assert!(rules[1]["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## What it does"));
    assert!(rules[1]["shortDescription"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Flags"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "a%20b.py");
    assert_eq!(results[0]["ruleIndex"], 0);
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(
        results[0]["partialFingerprints"]["edgelint/v1"]
            .as_str()
            .unwrap()
            .len(),
        16
    );

    // A report that breaks the schema is caught: the check itself can fail.
    let mut broken = report.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

// Evidence in another file

/// A package whose `server.py` keeps what `loader.load()` returns alive through a loop: EL301,
/// with its evidence in `loader.py`, which is `loader`.
fn server_loading_with(loader: &str) -> tempfile::TempDir {
    project(&[
        ("pkg/__init__.py", ""),
        ("pkg/loader.py", loader),
        (
            "pkg/server.py",
            "import time\nfrom .loader import load\n\n\ndef serve(data_path, out):\n    data = load(data_path)\n    out.write(data)\n    while True:\n        time.sleep(1)\n",
        ),
    ])
}

/// The EL301 report on `project` in `format`, which has findings.
fn el301_report(project: &Path, format: &str) -> String {
    let output = edgelint(project)
        .args(["--select", "EL301", "--no-cache", "--output-format", format])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{format}");
    String::from_utf8(output.stdout).unwrap()
}

/// Evidence on a very long line of another module is drawn around its place only, at the
/// column the other formats give: before, each finding citing it copied the whole line.
#[test]
fn evidence_on_a_long_line_of_another_file_is_drawn_around_its_place() {
    let padding = vec!["0"; 1000].join(", ");
    let loader = format!(
        "def load(data_path):\n    pad = [{padding}]; f = open(data_path); return f.read()\n"
    );
    let project = server_loading_with(&loader);
    let run = |format: &str| el301_report(project.path(), format);
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let evidence = &json[0]["evidence"];
    assert_eq!(evidence["filename"], "pkg/loader.py");
    let (row, column) = (
        &evidence["location"]["row"],
        &evidence["location"]["column"],
    );
    assert!(column.as_u64().unwrap() > 3000, "{evidence}");
    let full = run("full");
    assert!(
        full.contains(&format!("--> pkg/loader.py:{row}:{column}")),
        "{full}"
    );
    assert!(full.contains("2 | ... 0, 0, "), "{full}");
    assert!(full.len() < 3000, "{full}");
}

/// A finding whose data comes from another module of the project shows where, in every format.
#[test]
fn evidence_in_another_file_is_shown_in_every_format() {
    let project = server_loading_with(
        "def load(data_path):\n    with open(data_path) as f:\n        return f.read()\n",
    );
    let run = |format: &str| el301_report(project.path(), format);
    let message = "`load()` returns the whole content of a file, read from here";

    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let evidence = &json[0]["evidence"];
    assert_eq!(evidence["message"], message);
    assert_eq!(evidence["filename"], "pkg/loader.py");
    assert_eq!(evidence["location"]["row"], 2);
    assert_eq!(evidence["location"]["column"], 10);

    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&sarif), "{sarif:#}");
    let related = &sarif["runs"][0]["results"][0]["relatedLocations"][0];
    assert_eq!(related["message"]["text"], message);
    let location = &related["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "pkg/loader.py");
    assert_eq!(location["region"]["startLine"], 2);

    let full = run("full");
    assert!(full.contains("--> pkg/loader.py:2:10"), "{full}");
    assert!(full.contains("    with open(data_path) as f:"), "{full}");
    assert!(full.contains(message), "{full}");

    let place = format!("({message}: pkg/loader.py:2:10)");
    for format in ["concise", "github", "gitlab", "junit", "json-lines"] {
        let report = run(format);
        let shown = report.contains(&place) || report.contains("\"filename\":\"pkg/loader.py\"");
        assert!(shown, "{format}: {report}");
    }
}
