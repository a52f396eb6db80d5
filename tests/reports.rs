//! Golden reports: the whole report of one small project in every format, byte for byte,
//! whatever the thread count. The project (`tests/data/report/`) has a finding whose evidence is
//! in another module, one whose evidence is in the same line, one drawn across lines with the
//! lines between left out, an unproven one, a syntax error, a file that is not UTF-8, a file
//! with a byte order mark and wide characters, and a notebook whose evidence is in another
//! cell. `EDGELINT_BLESS=1 cargo test --test reports` rewrites the golden files.

mod support;

use std::path::PathBuf;

use support::cli::edgelint;
use support::harness::repository_root;

/// Each golden file, and the arguments of the report it holds.
const REPORTS: &[(&str, &[&str])] = &[
    ("full.txt", &["--output-format", "full"]),
    (
        "full-color.txt",
        &["--output-format", "full", "--color", "always"],
    ),
    ("concise.txt", &["--output-format", "concise"]),
    ("json.json", &["--output-format", "json"]),
    ("json-lines.jsonl", &["--output-format", "json-lines"]),
    ("github.txt", &["--output-format", "github"]),
    ("gitlab.json", &["--output-format", "gitlab"]),
    ("junit.xml", &["--output-format", "junit"]),
    ("sarif.json", &["--output-format", "sarif"]),
    ("statistics.txt", &["--statistics"]),
];

fn project() -> PathBuf {
    repository_root().join("tests/data/report")
}

/// The report with `arguments` on `threads` threads: standard output, then standard error.
fn report(arguments: &[&str], threads: &str) -> String {
    let output = edgelint(&project())
        .args(["--isolated", "--no-cache", "--select", "ALL", "--pedantic"])
        .args(["--threads", threads])
        .args(arguments)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{arguments:?}");
    let mut report = String::from_utf8(output.stdout).unwrap();
    report.push_str("--- standard error ---\n");
    report.push_str(&String::from_utf8(output.stderr).unwrap());
    report
}

#[test]
fn every_format_is_unchanged_whatever_the_thread_count() {
    let bless = std::env::var_os("EDGELINT_BLESS").is_some();
    let mut problems = Vec::new();
    for (golden, arguments) in REPORTS {
        let path = project().join("expected").join(golden);
        if bless {
            std::fs::write(&path, report(arguments, "1")).unwrap();
        }
        let Ok(expected) = std::fs::read_to_string(&path) else {
            problems.push(format!("{golden}: missing; run with EDGELINT_BLESS=1"));
            continue;
        };
        for threads in ["1", "2", "4"] {
            let actual = report(arguments, threads);
            if actual != expected {
                let diff = similar::TextDiff::from_lines(&expected, &actual)
                    .unified_diff()
                    .header(golden, "this run")
                    .to_string();
                problems.push(format!("{golden} with {threads} threads:\n{diff}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The golden project holds each case it says it holds: a report that lost one of them would
/// still match a golden file blessed after the loss.
#[test]
fn the_golden_project_shows_every_kind_of_picture() {
    let full = report(&["--output-format", "full"], "1");
    for expected in [
        "--> pkg/loader.py:2:10",        // evidence in another module
        "--> analysis.ipynb:cell 1:1:8", // evidence in another cell
        "error[EL001]: syntax error",    // a syntax error
        "error[EL002]: cannot lint this file: file is not valid UTF-8", // no source
        " --> latin1.py\n",              // drawn with its path only
        "   .  \n",                      // lines left out between labels
        "| \\---------^",                // a label across lines
        "note: unproven:",               // an unproven finding
        "日本語😀",                      // wide characters
    ] {
        assert!(full.contains(expected), "{expected:?} missing from\n{full}");
    }
    let colored = report(&["--output-format", "full", "--color", "always"], "1");
    assert!(colored.contains("\u{1b}["), "no colour in\n{colored}");
}
