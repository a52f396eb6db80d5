//! Hostile inputs: whatever a `.py` file holds and whatever a path is, edgelint gives a finding
//! or clean output, never a crash, a hang or a finding in the wrong place. Every case checks the
//! exit code, the exact findings (code, message, row and column) and that nothing panicked.
//!
//! Small inputs whose bytes are the point live in `tests/data/hostile/`; big ones are generated
//! here, into a scratch directory.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use support::cli::project;

/// Long enough for the slowest case in a debug build on a busy machine: a hang ends here.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The message of EL201, the finding most cases place: `sum([a for a in b])` fires at the `[`.
/// The size of `b` is not known, so the finding is shown with `--pedantic`, which every run here
/// passes: these cases are about where findings land, not about which tier they are in.
const EL201: &str = "EL201 list comprehension is built in full only to be read once by `sum()` [unproven: the size of `b` is not known]";

/// `edgelint --pedantic`, run in `directory`.
fn edgelint(directory: &Path) -> Command {
    let mut command = support::cli::edgelint(directory);
    command.arg("--pedantic");
    command
}

/// The message of a file nested more deeply than edgelint checks.
const TOO_DEEP: &str = "EL002 cannot lint this file: code nested more than 4000 levels deep";

/// What a run of edgelint gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `command` with a time limit and checks what every case must: edgelint ended by itself
/// with 0, 1 or 2 (a stack overflow ends it with a signal, and so does the time limit), and
/// nothing panicked.
fn run(command: &mut Command) -> Run {
    let output = command.timeout(TIMEOUT).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let Some(code) = output.status.code() else {
        panic!(
            "edgelint was killed ({}): it crashed, or ran past {TIMEOUT:?}\n{stderr}",
            output.status
        );
    };
    assert!(matches!(code, 0..=2), "exit code {code}\n{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{stderr}"
    );
    Run {
        code,
        stdout,
        stderr,
    }
}

/// `edgelint --output-format concise ARGS`, run in `directory`.
fn concise(directory: &Path, args: &[&str]) -> Run {
    run(edgelint(directory)
        .args(["--output-format", "concise"])
        .args(args))
}

/// Checks a concise report: the exit code and exactly these lines.
fn assert_report(run: &Run, code: i32, lines: &[String]) {
    let found: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(found, lines, "{}", run.stderr);
    assert_eq!(run.code, code, "{}", run.stderr);
}

fn line(path: &str, row: usize, column: usize, finding: &str) -> String {
    format!("{path}:{row}:{column}: {finding}")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hostile")
        .join(name)
}

/// A scratch project with these files, given as bytes.
fn project_of_bytes(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let project = project(&[]);
    for (path, bytes) in files {
        fs::write(project.path().join(path), bytes).unwrap();
    }
    project
}

// --- 1. Line endings and characters ------------------------------------------------------------

/// Files whose EL201 findings sit after line endings and characters that a byte or UTF-16
/// count would get wrong, with where every format must place them (row, column in characters).
fn positioned_files() -> (tempfile::TempDir, Vec<(&'static str, usize, usize)>) {
    let project = project_of_bytes(&[
        ("crlf.py", b"x = 1\r\ny = \"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\"; z = sum([a for a in b])\r\n"),
        // Old Mac line endings: a lone `\r` ends a line, for Python as for editors.
        ("cr_only.py", b"a = 1\rb = g\rc = sum([a for a in b])\r"),
        // A `\r` inside a string ends a line too.
        (
            "mixed_endings.py",
            b"a = 1\r\nb = g\rs = '''x\ry\r\nz'''\nd = sum([a for a in b])\n",
        ),
        ("tabs.py", b"def f(b):\n\treturn\tsum([a for a in b])\n"),
        ("form_feed.py", b"\x0cx = sum([a for a in b])\n"),
        // A UTF-8 byte order mark is no character of the line.
        ("byte_order_mark.py", b"\xef\xbb\xbfy = sum([a for a in b])\n"),
        // Latin-1, declared on line 2 after a shebang, with old Mac line endings.
        (
            "latin1_cr_only.py",
            b"#!/usr/bin/env python\r# -*- coding: latin-1 -*-\rx = \"\xe9\"; y = sum([a for a in b])\r",
        ),
    ]);
    for name in ["wide_characters.py", "latin1_declared.py"] {
        fs::copy(data(name), project.path().join(name)).unwrap();
    }
    let expected = vec![
        ("byte_order_mark.py", 1, 9),
        ("cr_only.py", 3, 9),
        ("crlf.py", 2, 20),
        ("form_feed.py", 1, 10),
        ("latin1_cr_only.py", 3, 18),
        ("latin1_declared.py", 3, 28),
        ("mixed_endings.py", 6, 9),
        ("tabs.py", 2, 13),
        ("wide_characters.py", 3, 27),
        ("wide_characters.py", 4, 27),
        ("wide_characters.py", 5, 27),
    ];
    (project, expected)
}

/// The EL201 findings of a report in `format`, as (file, row, column); `None` for a format that
/// has no columns.
fn located(format: &str, report: &str) -> Vec<(String, usize, Option<usize>)> {
    let number = |text: &str| text.parse::<usize>().unwrap();
    let json_number = |value: &Value| usize::try_from(value.as_u64().unwrap()).unwrap();
    let mut found = Vec::new();
    match format {
        "full" => {
            for place in report
                .lines()
                .filter_map(|line| line.strip_prefix("  --> "))
            {
                let mut parts = place.rsplitn(3, ':');
                let column = number(parts.next().unwrap());
                let row = number(parts.next().unwrap());
                found.push((parts.next().unwrap().to_string(), row, Some(column)));
            }
        }
        "concise" => {
            for line in report.lines() {
                let parts: Vec<&str> = line.splitn(4, ':').collect();
                assert!(parts[3].starts_with(" EL201"), "{line}");
                found.push((
                    parts[0].to_string(),
                    number(parts[1]),
                    Some(number(parts[2])),
                ));
            }
        }
        "json" | "json-lines" => {
            let messages: Vec<Value> = if format == "json" {
                serde_json::from_str(report).unwrap()
            } else {
                report
                    .lines()
                    .map(|line| serde_json::from_str(line).unwrap())
                    .collect()
            };
            for message in messages {
                assert_eq!(message["code"], "EL201");
                let location = &message["location"];
                found.push((
                    message["filename"].as_str().unwrap().to_string(),
                    json_number(&location["row"]),
                    Some(json_number(&location["column"])),
                ));
            }
        }
        "github" => {
            for line in report.lines() {
                let properties = line
                    .strip_prefix("::warning ")
                    .and_then(|rest| rest.split("::").next())
                    .unwrap();
                let property = |key: &str| {
                    properties
                        .split(',')
                        .find_map(|pair| pair.strip_prefix(key))
                        .unwrap()
                        .to_string()
                };
                found.push((
                    property("file="),
                    number(&property("line=")),
                    Some(number(&property("col="))),
                ));
            }
        }
        "gitlab" => {
            let issues: Vec<Value> = serde_json::from_str(report).unwrap();
            for issue in issues {
                let location = &issue["location"];
                found.push((
                    location["path"].as_str().unwrap().to_string(),
                    json_number(&location["lines"]["begin"]),
                    None,
                ));
            }
        }
        "junit" => {
            let mut suite = String::new();
            for line in report.lines().map(str::trim) {
                if let Some(rest) = line.strip_prefix("<testsuite name=\"") {
                    suite = rest.split('"').next().unwrap().to_string();
                } else if let Some(rest) = line.strip_prefix("<testcase name=\"EL201 ") {
                    let place = rest.split('"').next().unwrap();
                    let (row, column) = place.split_once(':').unwrap();
                    found.push((suite.clone(), number(row), Some(number(column))));
                }
            }
        }
        "sarif" => {
            let sarif: Value = serde_json::from_str(report).unwrap();
            for result in sarif["runs"][0]["results"].as_array().unwrap() {
                let location = &result["locations"][0]["physicalLocation"];
                let region = &location["region"];
                found.push((
                    location["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    json_number(&region["startLine"]),
                    Some(json_number(&region["startColumn"])),
                ));
            }
        }
        _ => unreachable!("no format {format}"),
    }
    found.sort();
    found
}

#[test]
fn rows_and_columns_agree_in_every_format_whatever_the_line_endings_and_characters() {
    let (project, expected) = positioned_files();
    let formats = [
        "full",
        "concise",
        "json",
        "json-lines",
        "github",
        "gitlab",
        "junit",
        "sarif",
    ];
    for format in formats {
        let report = run(edgelint(project.path()).args(["--output-format", format]));
        assert_eq!(report.code, 1, "{format}: {}", report.stderr);
        let found = located(format, &report.stdout);
        let wanted: Vec<(String, usize, Option<usize>)> = expected
            .iter()
            .map(|&(file, row, column)| {
                (
                    file.to_string(),
                    row,
                    (format != "gitlab").then_some(column),
                )
            })
            .collect();
        assert_eq!(found, wanted, "{format}:\n{}", report.stdout);
    }
}

/// The characters at the reported start and end columns are the brackets of the list
/// comprehension: columns count characters, not bytes or UTF-16 units, at both ends.
#[test]
fn start_and_end_columns_point_at_the_flagged_characters() {
    let (project, expected) = positioned_files();
    let report = run(edgelint(project.path()).args(["--output-format", "sarif"]));
    let sarif: Value = serde_json::from_str(&report.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), expected.len());
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        let file = location["artifactLocation"]["uri"].as_str().unwrap();
        let region = &location["region"];
        let field = |key: &str| usize::try_from(region[key].as_u64().unwrap()).unwrap();
        assert_eq!(field("startLine"), field("endLine"));
        let bytes = fs::read(project.path().join(file)).unwrap();
        let text: String = if file.starts_with("latin1") {
            bytes.iter().map(|&byte| char::from(byte)).collect()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // Python's line ends: `\r\n`, `\r` and `\n`.
        let lines: Vec<&str> = text
            .split("\r\n")
            .flat_map(|part| part.split(['\r', '\n']))
            .collect();
        let characters: Vec<char> = lines[field("startLine") - 1].chars().collect();
        assert_eq!(characters[field("startColumn") - 1], '[', "{file}");
        // SARIF's end column is the column after the region.
        assert_eq!(characters[field("endColumn") - 2], ']', "{file}");
    }
}

#[test]
fn a_byte_order_mark_is_not_a_column_in_the_full_format() {
    // Regression: codespan counted the mark as the first character of line 1, so the
    // rustc-style `-->` line said column 10 where every other format said 9.
    let project = project_of_bytes(&[("bom.py", b"\xef\xbb\xbfy = sum([a for a in b])\n")]);
    let report = run(&mut edgelint(project.path()));
    assert!(
        report.stdout.contains("  --> bom.py:1:9\n"),
        "{}",
        report.stdout
    );
    assert_eq!(report.code, 1);
}

#[test]
fn control_characters_in_a_line_are_drawn_as_pictures() {
    // Regression: the full format printed a line's control characters raw, so a file could
    // clear the screen of whoever read the report (`ESC[2J`), and the carets sat two columns
    // left of the flagged `[` (a terminal draws an escape and a backspace as nothing).
    let source = "q = '\x1b[2J\x08'; y = sum([a for a in b])\n";
    let project = project(&[("controls.py", source)]);
    let report = run(&mut edgelint(project.path()));
    assert_eq!(report.code, 1);
    assert!(!report.stdout.contains('\x1b'), "{:?}", report.stdout);
    assert!(
        report.stdout.contains("  --> controls.py:1:22\n"),
        "{}",
        report.stdout
    );
    let lines: Vec<&str> = report.stdout.lines().collect();
    let drawn = lines
        .iter()
        .position(|line| line.starts_with("1 | "))
        .unwrap();
    assert_eq!(
        lines[drawn],
        "1 | q = '\u{241b}[2J\u{2408}'; y = sum([a for a in b])"
    );
    // The carets start under the `[` of `sum([`: as many characters in, each drawn one wide.
    let flagged = lines[drawn].find("sum([").unwrap() + "sum(".len();
    let caret = lines[drawn + 1].find('^').unwrap();
    assert_eq!(
        lines[drawn + 1][..caret].chars().count(),
        lines[drawn][..flagged].chars().count(),
        "{}",
        report.stdout
    );
}

#[test]
fn control_characters_in_file_names_and_quoted_code_are_printed_as_pictures() {
    // Regression: messages and file names were printed raw in the formats for people, so a
    // file named `evil<ESC>[31m.py`, or code with an escape that a message quotes
    // (`list(sorted(b + "<ESC>[2J"))`), could change the reader's terminal.
    let source = "def f(b):\n    return list(sorted(b + '\x1b[2J'))\n";
    let project = project(&[("evil\x1b[31m.py", source)]);
    for format in ["full", "concise"] {
        let report = run(edgelint(project.path()).args(["--output-format", format]));
        assert_eq!(report.code, 1, "{}", report.stderr);
        assert!(report.stdout.contains("EL105"), "{}", report.stdout);
        assert!(
            !report.stdout.contains('\x1b'),
            "{format}: {:?}",
            report.stdout
        );
        assert!(
            report.stdout.contains("evil\u{241b}[31m.py:2:12")
                && report.stdout.contains("(b + '\u{241b}[2J')"),
            "{format}: {}",
            report.stdout
        );
    }
    // The data formats keep the name and the code as they are, escaped as JSON escapes them.
    let report = run(edgelint(project.path()).args(["--output-format", "json"]));
    assert!(
        report.stdout.contains("evil\\u001b[31m.py"),
        "{}",
        report.stdout
    );
}

// --- 2. Deep nesting ---------------------------------------------------------------------------

#[test]
fn ten_thousand_nested_parentheses_are_checked() {
    // Parentheses make no node: the finding inside is reported.
    let source = format!(
        "y = {}sum([a for a in b]){}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let project = project(&[("parens.py", &source)]);
    // `y = ` and the parentheses take 10,004 columns, then `sum(`.
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("parens.py", 1, 10_009, EL201)],
    );
}

#[test]
fn ten_thousand_nested_lists_are_reported_at_the_first_list_too_deep() {
    let source = format!("x = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let project = project(&[("lists.py", &source)]);
    // The module, the assignment, then one level per list: the 3,999th list is level 4,001.
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("lists.py", 1, 4 + 3_999, TOO_DEEP)],
    );
}

#[test]
fn deep_test_code_is_reported_only_when_it_is_checked() {
    // Test code is checked only when its findings, all unproven, are kept: otherwise nothing
    // walks its tree, and nothing is refused.
    let source = format!("x = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let project = project(&[("tests/test_lists.py", &source)]);
    let mut default_rules = support::cli::edgelint(project.path());
    assert_report(
        &run(default_rules.args(["--output-format", "concise"])),
        0,
        &[],
    );
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("tests/test_lists.py", 1, 4 + 3_999, TOO_DEEP)],
    );
}

/// Indentation `depth` levels deep, one space each, with `innermost` at the bottom.
fn nested_blocks(header: &str, depth: usize, innermost: &str) -> String {
    let mut source: String = (0..depth)
        .map(|level| format!("{}{header}\n", " ".repeat(level)))
        .collect();
    source.push_str(&" ".repeat(depth));
    source.push_str(innermost);
    source.push('\n');
    source
}

#[test]
fn a_thousand_nested_if_blocks_are_checked() {
    let source = nested_blocks("if True:", 1_000, "y = sum([a for a in b])");
    let project = project(&[("ifs.py", &source)]);
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("ifs.py", 1_001, 1_000 + 9, EL201)],
    );
}

#[test]
fn a_thousand_nested_function_definitions_are_checked() {
    let source = nested_blocks("def f(b):", 1_000, "return sum([a for a in b])");
    let project = project(&[("defs.py", &source)]);
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("defs.py", 1_001, 1_000 + 12, EL201)],
    );
}

fn hundred_thousand_terms() -> String {
    format!("x = {}\n", vec!["1"; 100_000].join("+"))
}

#[test]
fn a_100000_term_expression_does_not_overflow_the_stack() {
    // Regression: the semantic model's walk recursed once per `+` and overflowed the workers'
    // 64 MiB stacks (SIGABRT). `1+1+…` nests to the left: the outermost `+` holds all the others.
    let project = project(&[("terms.py", &hundred_thousand_terms())]);
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("terms.py", 1, 5, TOO_DEEP)],
    );
}

#[test]
fn deep_input_on_standard_input_does_not_overflow_the_stack() {
    let project = project(&[]);
    let report = run(edgelint(project.path())
        .args([
            "--output-format",
            "concise",
            "-",
            "--stdin-filename",
            "terms.py",
        ])
        .write_stdin(hundred_thousand_terms()));
    assert_report(&report, 1, &[line("terms.py", 1, 5, TOO_DEEP)]);
    // Just under the limit, standard input is checked as deeply as a file.
    let source = format!("x = {}1\n", "-".repeat(3_990));
    let report = run(edgelint(project.path())
        .args(["--output-format", "concise", "--select", "ALL", "-"])
        .write_stdin(source));
    assert_report(&report, 0, &[]);
}

#[test]
fn a_50000_element_list_is_checked_to_its_end() {
    let elements = vec!["1"; 50_000].join(", ");
    let prefix = format!("x = [{elements}]; y = ");
    let source = format!("{prefix}sum([a for a in b])\n");
    let project = project(&[("elements.py", &source)]);
    let column = prefix.chars().count() + "sum(".len() + 1;
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("elements.py", 1, column, EL201)],
    );
}

#[test]
fn many_syntax_errors_on_one_long_line_are_drawn_in_bounded_space() {
    // 20,000 errors on one 120 KB line took 5 GB and printed 2.4 GB: every finding kept and
    // drew the whole line. Each now draws a window of it, in every run (cached or not).
    let errors = 5_000;
    let source = format!("x = {}1\n", "await ".repeat(errors));
    let project = project(&[("awaits.py", &source)]);
    for args in [&["--no-cache"][..], &[]] {
        let run = run(edgelint(project.path()).args(args));
        assert_eq!(run.code, 1);
        // The parser reports every `await` after the first.
        let drawn = run.stdout.matches("error[EL001]").count();
        assert_eq!(drawn, errors - 1, "{}", &run.stdout[..2000]);
        assert!(
            run.stdout.len() < errors * 1500,
            "{} bytes",
            run.stdout.len()
        );
        // The last await, at column 5 + 6 * (errors - 1), is drawn where it is.
        let last = format!("--> awaits.py:1:{}\n", 5 + 6 * (errors - 1));
        assert!(run.stdout.contains(&last), "{last}");
    }
}

#[test]
fn nesting_just_under_the_limit_is_checked_by_every_rule() {
    let levels = 3_990;
    let shapes = [
        format!("def f(a):\n    return {}\n", vec!["a"; levels].join("+")),
        format!("x = {}1\n", "-".repeat(levels)),
        format!("x = f{}\n", "()".repeat(levels)),
        format!(
            "x = {}1{}\n",
            "f(".repeat(levels / 2),
            ")".repeat(levels / 2)
        ),
        format!("x = a{}\n", "[0]".repeat(levels)),
        format!("x = {}1\n", "lambda: ".repeat(levels)),
        format!("x = {}1{}\n", "{".repeat(levels), ":1}".repeat(levels)),
        format!("x = {}\n", vec!["1"; levels].join(" if c else ")),
        // Statements nest one level per block; the file grows with the square of the depth.
        nested_blocks("for x in xs:", 1_500, "y = sum([a for a in b])"),
    ];
    for (index, source) in shapes.iter().enumerate() {
        let name = format!("shape_{index}.py");
        let project = project(&[(&name, source)]);
        let report = concise(project.path(), &["--select", "ALL"]);
        assert!(
            !report.stdout.contains("EL002"),
            "{name}: {}",
            report.stdout
        );
        assert!(
            !report.stdout.contains("EL001"),
            "{name}: {}",
            report.stdout
        );
    }
}

#[test]
fn a_long_call_chain_is_checked_in_linear_time() {
    // Regression: EL308 copied each call to ask what it returns, and the call `f()()…()` holds
    // the whole chain before it: quadratic, seconds per chain in a debug build.
    let chain = format!("x = f{}\n", "()".repeat(3_990));
    let project = project(&[("chains.py", &chain.repeat(20))]);
    let started = Instant::now();
    assert_report(&concise(project.path(), &["--select", "ALL"]), 0, &[]);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}

#[test]
fn a_long_chain_of_deeply_nested_modules_importing_each_other_is_checked() {
    // Each module's check asks for the next one's summary, so the checks nest as deep as the
    // run allows, each holding a tree nested just under the limit (about 12 MiB of stack while
    // a debug build walks it), and a module past that depth is summarized alone.
    let modules = 24;
    let deep = format!("x = {}1\n", "-".repeat(3_990));
    let mut files = vec![("pkg/__init__.py".to_string(), String::new())];
    for index in 0..modules - 1 {
        let next = index + 1;
        files.push((
            format!("pkg/m{index}.py"),
            format!(
                "import time\nfrom pkg.m{next} import load\n\ndef run():\n    data = load()\n    print(len(data))\n    while True:\n        time.sleep(1)\n\n{deep}"
            ),
        ));
    }
    files.push((
        format!("pkg/m{}.py", modules - 1),
        format!("def load():\n    return open(\"recording.bin\", \"rb\").read()\n\n{deep}"),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let project = project(&files);
    let report = concise(project.path(), &["--select", "EL301"]);
    // What `load` returns is followed through at most four more calls: the five modules
    // nearest the one that reads the file know that `data` holds a file's content.
    let flagged: Vec<&str> = report
        .stdout
        .lines()
        .filter_map(|line| line.split(':').next())
        .collect();
    let expected: Vec<String> = (modules - 6..modules - 1)
        .map(|index| format!("pkg/m{index}.py"))
        .collect();
    assert_eq!(flagged, expected, "{}", report.stdout);
}

// --- 3. Sizes and kinds of files ---------------------------------------------------------------

#[test]
fn a_big_file_is_checked_whole() {
    // 8 MB here keeps a debug run to seconds; 50 MB was measured by hand (see the report).
    const TARGET_BYTES: usize = 8_000_000;
    let mut source = String::with_capacity(TARGET_BYTES + 200);
    let mut functions = 0;
    while source.len() < TARGET_BYTES {
        source.push_str(&format!(
            "def f{functions}(xs):\n    total = 0\n    for x in xs:\n        total += x\n    \
             return sum([x * 2 for x in xs]) + total\n\n\n"
        ));
        functions += 1;
    }
    let project = project(&[("big.py", &source)]);
    let started = Instant::now();
    let report =
        run(edgelint(project.path()).args(["--output-format", "concise", "--select", "EL201"]));
    eprintln!(
        "{} bytes, {functions} findings: {:?}",
        source.len(),
        started.elapsed()
    );
    assert_eq!(report.code, 1);
    assert_eq!(report.stdout.lines().count(), functions);
    // The last function's finding, at its `return` line.
    let last = line(
        "big.py",
        functions * 7 - 2,
        16,
        &EL201.replace("`b`", "`xs`"),
    );
    assert_eq!(report.stdout.lines().last(), Some(last.as_str()));
}

#[test]
fn files_with_nothing_to_check_are_clean() {
    let project = project_of_bytes(&[
        ("empty.py", b""),
        ("bom_only.py", b"\xef\xbb\xbf"),
        ("comments_only.py", b"# one\n# two\r\n# three"),
        ("blank_lines.py", b"\n\r\n\r\n\n   \n\t\n"),
    ]);
    let report = concise(project.path(), &["--select", "ALL"]);
    assert_report(&report, 0, &[]);
    assert_eq!(report.stderr, "All checks passed: no problems found\n");
}

/// Bytes that look random but are the same in every run, with NUL bytes among them.
fn noise(length: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..length)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect()
}

#[test]
fn binary_files_named_py_are_reported() {
    let random = noise(4096);
    assert!(random.contains(&0));
    let project = project_of_bytes(&[
        ("random.py", &random),
        (
            "image.py",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        ),
        ("nul_inside.py", b"x = 1\n\x00\ny = sum([a for a in b])\n"),
    ]);
    let binary = "EL002 cannot lint this file: binary file: source code cannot contain NUL bytes";
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[
            line("image.py", 1, 1, binary),
            line("nul_inside.py", 1, 1, binary),
            line("random.py", 1, 1, binary),
        ],
    );
}

#[test]
fn utf16_with_a_byte_order_mark_is_named_not_called_binary() {
    // Regression: UTF-16's NUL bytes made it "binary file".
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(
        "x = sum([a for a in b])\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let project = project_of_bytes(&[("utf16.py", &utf16)]);
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line(
            "utf16.py",
            1,
            1,
            "EL002 cannot lint this file: file is UTF-16 (it starts with a UTF-16 byte order \
             mark); Python reads source code only in an encoding that keeps ASCII as it is, \
             such as UTF-8",
        )],
    );
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_dangling_links_are_reported_and_the_walk_ends() {
    use std::os::unix::fs::symlink;
    let project = project(&[("tree/app.py", "y = sum([a for a in b])\n")]);
    let tree = project.path().join("tree");
    symlink(".", tree.join("a")).unwrap();
    symlink("c", tree.join("b")).unwrap();
    symlink("b", tree.join("c")).unwrap();
    symlink("missing.py", tree.join("dangling.py")).unwrap();
    // Regression: the loop between `b` and `c` was "Too many levels of symbolic links", the
    // system's words with a capital.
    let endless =
        "EL002 cannot lint this file: symbolic link loop: too many levels of symbolic links";
    assert_report(
        &concise(project.path(), &["tree"]),
        1,
        &[
            line(
                "tree/a",
                1,
                1,
                "EL002 cannot lint this file: symbolic link loop: it points back to tree",
            ),
            line("tree/app.py", 1, 9, EL201),
            line("tree/b", 1, 1, endless),
            line("tree/c", 1, 1, endless),
            line(
                "tree/dangling.py",
                1,
                1,
                "EL002 cannot lint this file: no such file or directory",
            ),
        ],
    );
}

/// Whether this process reads files whatever their permissions (root, or a capability), which
/// `chmod 000` then does not stop.
#[cfg(unix)]
fn reads_despite_permissions(unreadable: &Path) -> bool {
    if unreadable.is_dir() {
        fs::read_dir(unreadable).is_ok()
    } else {
        fs::read(unreadable).is_ok()
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_unless_permissions_do_not_apply() {
    let project = project(&[("secret.py", "y = sum([a for a in b])\n")]);
    let secret = project.path().join("secret.py");
    set_mode(&secret, 0o000);
    let expected = if reads_despite_permissions(&secret) {
        // Running as root: the file is readable, and linted.
        line("secret.py", 1, 9, EL201)
    } else {
        line(
            "secret.py",
            1,
            1,
            "EL002 cannot lint this file: permission denied",
        )
    };
    let report = concise(project.path(), &[]);
    set_mode(&secret, 0o644);
    assert_report(&report, 1, &[expected]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_reported_unless_permissions_do_not_apply() {
    let project = project(&[("locked/inner.py", "y = sum([a for a in b])\n")]);
    let locked = project.path().join("locked");
    set_mode(&locked, 0o000);
    let expected = if reads_despite_permissions(&locked) {
        line("locked/inner.py", 1, 9, EL201)
    } else {
        line(
            "locked",
            1,
            1,
            "EL002 cannot lint this file: permission denied",
        )
    };
    let report = concise(project.path(), &[]);
    set_mode(&locked, 0o755);
    assert_report(&report, 1, &[expected]);
}

#[test]
fn a_path_that_does_not_exist_is_reported() {
    let project = project(&[]);
    assert_report(
        &concise(project.path(), &["nowhere.py", "nowhere/"]),
        1,
        &[
            line(
                "nowhere.py",
                1,
                1,
                "EL002 cannot lint this file: no such file or directory",
            ),
            line(
                "nowhere/",
                1,
                1,
                "EL002 cannot lint this file: no such file or directory",
            ),
        ],
    );
}

#[test]
fn a_directory_named_like_a_python_file_is_walked() {
    let project = project(&[("x.py/inner.py", "y = sum([a for a in b])\n")]);
    fs::create_dir(project.path().join("empty.py")).unwrap();
    let expected = [line("x.py/inner.py", 1, 9, EL201)];
    assert_report(&concise(project.path(), &[]), 1, &expected);
    assert_report(
        &concise(project.path(), &["x.py", "empty.py"]),
        1,
        &expected,
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_for() {
    // Regression: reading a named pipe waits for a writer, so edgelint hung on `x.py` made
    // with `mkfifo`, named or met in the walk; a device such as `/dev/zero` never ends.
    let project = project(&[("app.py", "y = sum([a for a in b])\n")]);
    let made = std::process::Command::new("mkfifo")
        .arg(project.path().join("pipe.py"))
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", project.path().join("zero.py")).unwrap();
    let expected = [
        line("app.py", 1, 9, EL201),
        line(
            "pipe.py",
            1,
            1,
            "EL002 cannot lint this file: not a regular file: it is a named pipe",
        ),
        line(
            "zero.py",
            1,
            1,
            "EL002 cannot lint this file: not a regular file: it is a character device",
        ),
    ];
    assert_report(&concise(project.path(), &[]), 1, &expected);
    assert_report(
        &concise(project.path(), &["app.py", "pipe.py", "zero.py"]),
        1,
        &expected,
    );
}

#[test]
fn a_file_over_4_gib_is_refused_before_it_is_read() {
    // Regression: ruff's parser counts offsets in 32 bits and panics on more. The file is
    // sparse: it takes no disk space, and edgelint must not read it to refuse it.
    let project = project(&[]);
    let file = fs::File::create(project.path().join("huge.py")).unwrap();
    file.set_len(5 * 1024 * 1024 * 1024).unwrap();
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line(
            "huge.py",
            1,
            1,
            "EL002 cannot lint this file: file too large: 5368709120 bytes, and edgelint reads \
             at most 4294967295 (4 GiB)",
        )],
    );
}

#[test]
fn a_one_megabyte_line_is_checked_to_its_end() {
    let prefix = format!("x = \"{}\"; y = ", "a".repeat(1_000_000));
    let source = format!("{prefix}sum([a for a in b])\n");
    let project = project(&[("long.py", &source)]);
    let column = prefix.len() + "sum(".len() + 1;
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("long.py", 1, column, EL201)],
    );
    // The rustc-style excerpt shows the whole line.
    let full = run(&mut edgelint(project.path()));
    assert!(full.stdout.contains(&format!("  --> long.py:1:{column}\n")));
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let project = project(&[]);
    let name = OsStr::from_bytes(b"bad\xff.py");
    fs::write(project.path().join(name), "y = sum([a for a in b])\n").unwrap();
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[line("bad\u{fffd}.py", 1, 9, EL201)],
    );
    let json = run(edgelint(project.path()).args(["--output-format", "json"]));
    let messages: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(messages[0]["filename"], "bad\u{fffd}.py");
}

// --- 4. Decoding -------------------------------------------------------------------------------

#[test]
fn declared_encodings_that_cannot_be_used_are_reported() {
    let project = project_of_bytes(&[
        ("klingon.py", b"# -*- coding: klingon -*-\nx = 1\n"),
        ("ascii.py", b"# coding: ascii\nx = 1\ny = '\xe9'\n"),
        // 0x81 is undefined in Python's cp1252.
        (
            "cp1252.py",
            b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\x81'\n",
        ),
    ]);
    assert_report(
        &concise(project.path(), &[]),
        1,
        &[
            line(
                "ascii.py",
                1,
                1,
                "EL002 cannot lint this file: file is not valid ascii (declared on line 1): \
                 invalid byte at line 3 (byte offset 27)",
            ),
            line(
                "cp1252.py",
                1,
                1,
                "EL002 cannot lint this file: file is not valid cp1252 (declared on line 2): \
                 invalid byte at line 3 (byte offset 60)",
            ),
            line(
                "klingon.py",
                1,
                1,
                "EL002 cannot lint this file: unknown encoding `klingon` declared on line 1",
            ),
        ],
    );
}
