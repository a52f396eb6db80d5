//! End-to-end tests of the built `edgelint` binary: exit codes, formats, selection,
//! suppression, discovery and determinism.

mod support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use support::cli::{edgelint, project};

const FINDING: &str = "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n";
const CLEAN: &str = "def f(data_path):\n    return sum(x for x in open(data_path).read())\n";

fn stdout_of(command: &mut Command) -> String {
    String::from_utf8(command.output().unwrap().stdout).unwrap()
}

#[test]
fn a_clean_file_exits_0() {
    let project = project(&[("clean.py", CLEAN)]);
    edgelint(project.path())
        .assert()
        .code(0)
        .stdout("")
        .stderr("All checks passed: no problems found\n");
}

#[test]
fn findings_exit_1_with_rustc_style_output() {
    let project = project(&[("app.py", FINDING)]);
    let output = edgelint(project.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("warning[EL201]: [*] list comprehension"),
        "{stdout}"
    );
    assert!(stdout.contains("  --> app.py:2:16\n"), "{stdout}");
    assert!(
        stdout.contains("= help: pass a generator expression"),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "Found 1 problem (1 fixable with `--fix`)\n"
    );
}

#[test]
fn exit_zero_keeps_findings_but_exits_0() {
    let project = project(&[("app.py", FINDING)]);
    edgelint(project.path()).arg("--exit-zero").assert().code(0);
}

#[test]
fn an_unknown_rule_exits_2_even_with_exit_zero() {
    let project = project(&[("app.py", FINDING)]);
    let output = edgelint(project.path())
        .args(["--select", "EL999", "--exit-zero"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown rule selector `EL999`"), "{stderr}");
}

#[test]
fn a_misspelled_rule_name_gets_a_suggestion() {
    let project = project(&[]);
    let output = edgelint(project.path())
        .args(["--ignore", "list-comprehension-in-consumers"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("did you mean `list-comprehension-in-consumer`?"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_flag_exits_2() {
    let project = project(&[]);
    edgelint(project.path())
        .arg("--frobnicate")
        .assert()
        .code(2);
}

#[test]
fn selection_by_code_name_prefix_and_all() {
    let project = project(&[("app.py", FINDING)]);
    for ignore in ["EL201", "list-comprehension-in-consumer", "EL2", "ALL"] {
        edgelint(project.path())
            .args(["--ignore", ignore])
            .assert()
            .code(0);
    }
    edgelint(project.path())
        .args(["--ignore", "EL2", "--select", "EL201"])
        .assert()
        .code(1);
    edgelint(project.path())
        .args(["--ignore", "EL2", "--extend-select", "EL201"])
        .assert()
        .code(1);
    // A tie between a select and an ignore goes to the ignore.
    edgelint(project.path())
        .args([
            "--select",
            "list-comprehension-in-consumer",
            "--ignore",
            "EL201",
        ])
        .assert()
        .code(0);
}

#[test]
fn concise_and_json_formats() {
    let project = project(&[("pkg/app.py", FINDING)]);
    let concise = stdout_of(edgelint(project.path()).args(["--output-format", "concise"]));
    assert_eq!(
        concise,
        "pkg/app.py:2:16: EL201 [*] list comprehension is built in full only to be read once by `sum()` (the whole content of a file, read from here: pkg/app.py:2:28)\n"
    );

    let json = stdout_of(edgelint(project.path()).args(["--output-format", "json"]));
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let finding = &findings[0];
    assert_eq!(finding["code"], "EL201");
    assert_eq!(finding["name"], "list-comprehension-in-consumer");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["filename"], "pkg/app.py");
    assert_eq!(
        finding["location"],
        serde_json::json!({"row": 2, "column": 16})
    );
    assert_eq!(
        finding["end_location"],
        serde_json::json!({"row": 2, "column": 51})
    );
    assert!(finding["help"].as_str().unwrap().contains("generator"));
    assert_eq!(finding["fix"]["applicability"], "safe");
    assert_eq!(
        finding["fix"]["edits"][0],
        serde_json::json!({"content": "", "location": {"row": 2, "column": 16}, "end_location": {"row": 2, "column": 17}})
    );
}

#[test]
fn json_format_has_no_summary_and_an_empty_array_when_clean() {
    let project = project(&[("clean.py", CLEAN)]);
    edgelint(project.path())
        .args(["--output-format", "json"])
        .assert()
        .code(0)
        .stdout("[]\n")
        .stderr("");
}

#[test]
fn the_output_format_can_come_from_the_environment() {
    let project = project(&[("app.py", FINDING)]);
    let output = stdout_of(edgelint(project.path()).env("EDGELINT_OUTPUT_FORMAT", "concise"));
    assert!(output.starts_with("app.py:2:16: EL201"), "{output}");
}

#[test]
fn colour_follows_the_flag() {
    let project = project(&[("app.py", FINDING)]);
    let always = stdout_of(edgelint(project.path()).args(["--color", "always"]));
    assert!(always.contains("\u{1b}["), "{always:?}");
    let never = stdout_of(edgelint(project.path()).args(["--color", "never"]));
    assert!(!never.contains("\u{1b}["), "{never:?}");
}

#[test]
fn quiet_drops_the_summary() {
    let project = project(&[("app.py", FINDING)]);
    edgelint(project.path())
        .arg("-q")
        .assert()
        .code(1)
        .stderr("");
}

#[test]
fn standard_input_is_named_by_stdin_filename() {
    let project = project(&[]);
    let output = edgelint(project.path())
        .args([
            "-",
            "--stdin-filename",
            "src/app.py",
            "--output-format",
            "concise",
        ])
        .write_stdin(FINDING)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .starts_with("src/app.py:2:16: EL201"));
}

#[test]
fn noqa_comments_suppress_findings() {
    let source = "\
a = sum([x for x in open(data_path).read()])  # noqa
b = sum([x for x in open(data_path).read()])  # noqa: EL201 tiny list
c = sum([x for x in open(data_path).read()])  # noqa: E501
d = sum([x for x in open(data_path).read()])
";
    let project = project(&[("app.py", source)]);
    let output = stdout_of(edgelint(project.path()).args(["--output-format", "concise"]));
    let rows: Vec<&str> = output
        .lines()
        .map(|line| line.split(':').nth(1).unwrap())
        .collect();
    assert_eq!(rows, ["3", "4"], "{output}");

    let project = self::project(&[("app.py", &format!("# edgelint: noqa: EL201\n{source}"))]);
    edgelint(project.path()).assert().code(0);
    let project = self::project(&[("app.py", &format!("# edgelint: noqa: EL105\n{source}"))]);
    edgelint(project.path()).assert().code(1);
}

#[test]
fn a_syntax_error_is_a_finding_and_the_run_goes_on() {
    let project = project(&[("a_broken.py", "print 'hello'\n"), ("b_app.py", FINDING)]);
    let output = stdout_of(edgelint(project.path()).args(["--output-format", "concise"]));
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2, "{output}");
    assert!(
        lines[0].starts_with("a_broken.py:1:7: EL001 syntax error"),
        "{output}"
    );
    assert!(lines[1].starts_with("b_app.py:2:16: EL201"), "{output}");
}

#[test]
fn unreadable_and_missing_paths_are_findings() {
    let project = project(&[("binary.py", "\u{0}\u{1}ELF"), ("app.py", FINDING)]);
    let output = edgelint(project.path())
        .args(["--output-format", "concise", ".", "missing.py"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("binary.py:1:1: EL002 cannot lint this file: binary file"),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing.py:1:1: EL002 cannot lint this file: no such file or directory"),
        "{stdout}"
    );
    assert!(stdout.contains("app.py:2:16: EL201"), "{stdout}");
}

#[test]
fn default_excludes_and_gitignore_skip_files_unless_named() {
    let project = project(&[
        ("src/app.py", FINDING),
        ("venv/lib/dep.py", FINDING),
        ("src/__pycache__/cached.py", FINDING),
        ("build/generated.py", FINDING),
        ("src/generated/out.py", FINDING),
        // A stub is walked, and checked for syntax errors only.
        ("src/keep.pyi", "def broken(:\n"),
        ("notes.txt", FINDING),
        (".gitignore", "generated/\n"),
    ]);
    fs::create_dir(project.path().join(".git")).unwrap();
    let output = stdout_of(edgelint(project.path()).args(["--output-format", "concise"]));
    let mut files: Vec<&str> = output
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    files.dedup();
    assert_eq!(files, ["src/app.py", "src/keep.pyi"], "{output}");

    let named = stdout_of(edgelint(project.path()).args([
        "--output-format",
        "concise",
        "venv/lib/dep.py",
        "src/generated/out.py",
    ]));
    let files: Vec<&str> = named
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        ["src/generated/out.py", "venv/lib/dep.py"],
        "{named}"
    );
}

#[test]
fn gitignore_of_a_parent_directory_applies_to_a_subdirectory_walk() {
    let project = project(&[
        ("src/app.py", FINDING),
        ("src/generated/out.py", FINDING),
        (".gitignore", "src/generated/\n"),
    ]);
    fs::create_dir(project.path().join(".git")).unwrap();
    let output = stdout_of(edgelint(project.path()).args(["--output-format", "concise", "src"]));
    let files: Vec<&str> = output
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(files, ["src/app.py"], "{output}");
}

#[test]
fn ignore_files_git_exclude_and_the_global_excludes_file_are_respected() {
    let project = project(&[
        ("repo/src/app.py", FINDING),
        ("repo/src/scratch.py", FINDING),
        ("repo/src/local_only.py", FINDING),
        ("repo/src/secret_keys.py", FINDING),
        ("repo/.ignore", "scratch.py\n"),
        ("repo/.git/info/exclude", "local_only.py\n"),
        ("config/git/ignore", "secret_*.py\n"),
    ]);
    let files = |extra: &[&str]| -> Vec<String> {
        let output = stdout_of(
            edgelint(&project.path().join("repo"))
                .env("XDG_CONFIG_HOME", project.path().join("config"))
                .env("HOME", project.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .args(["--output-format", "concise"])
                .args(extra),
        );
        output
            .lines()
            .map(|line| line.split(':').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(files(&[]), ["src/app.py"]);
    assert_eq!(
        files(&["--no-respect-gitignore"]),
        [
            "src/app.py",
            "src/local_only.py",
            "src/scratch.py",
            "src/secret_keys.py"
        ]
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let files: Vec<(String, String)> = (0..60)
        .map(|index| {
            (
                format!("pkg{}/module_{index}.py", index % 7),
                format!(
                    "{FINDING}\ndef g{index}(data_ys):\n    return max([y for y in open(data_ys).read()])\n"
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let project = project(&files);
    // Without the cache, each run checks the files again instead of reading the first run's
    // findings back.
    let one = stdout_of(edgelint(project.path()).args(["--no-cache", "--threads", "1"]));
    for threads in ["2", "4"] {
        let many = stdout_of(edgelint(project.path()).args(["--no-cache", "--threads", threads]));
        assert_eq!(one, many, "output differs with {threads} threads");
    }
    assert_eq!(one.matches("warning[EL201]").count(), 120);

    // Every rule on every fixture: the same JSON run after run, whatever the thread count.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = |threads: &str| {
        stdout_of(edgelint(root).args([
            "--no-cache",
            "--select",
            "ALL",
            "--pedantic",
            "--output-format",
            "json",
            "--threads",
            threads,
            "fixtures",
        ]))
    };
    let first = fixtures("1");
    for threads in ["1", "1", "2", "4"] {
        assert!(
            first == fixtures(threads),
            "the fixtures' findings differ in a run with {threads} threads"
        );
    }
    assert!(first.matches("\"code\"").count() > 500, "{first}");
}

#[test]
fn explain_prints_a_rule_by_code_or_name() {
    let project = project(&[]);
    let by_code = stdout_of(edgelint(project.path()).args(["--explain", "EL201"]));
    assert!(
        by_code.starts_with("# list-comprehension-in-consumer (EL201)\n"),
        "{by_code}"
    );
    assert!(by_code.contains("## Why is this bad?"), "{by_code}");
    let by_name =
        stdout_of(edgelint(project.path()).args(["--explain", "list-comprehension-in-consumer"]));
    assert_eq!(by_code, by_name);
    edgelint(project.path())
        .args(["--explain", "EL999"])
        .assert()
        .code(2);
}

#[test]
fn list_rules_shows_every_rule() {
    let project = project(&[]);
    let table = stdout_of(edgelint(project.path()).arg("--list-rules"));
    assert!(table.starts_with("CODE "), "{table}");
    for rule in edgelint_rules::RULES {
        let row = table
            .lines()
            .find(|line| line.starts_with(rule.code))
            .unwrap();
        assert!(row.contains(rule.name), "{row}");
    }
}

#[test]
fn explain_works_for_every_rule_by_code_and_by_name() {
    let project = project(&[]);
    for rule in edgelint_rules::RULES {
        let by_code = stdout_of(edgelint(project.path()).args(["--explain", rule.code]));
        let by_name = stdout_of(edgelint(project.path()).args(["--explain", rule.name]));
        assert!(
            by_code.starts_with(&format!("# {} ({})\n", rule.name, rule.code)),
            "{by_code}"
        );
        assert_eq!(by_code, by_name, "{}", rule.code);
        assert!(by_code.contains("## What it does"), "{}", rule.code);
    }
}

#[test]
fn add_noqa_silences_every_finding_and_keeps_the_file_valid() {
    let source = "def f(data_path):\n    return sum([x for x in open(data_path).read()])  # hot path\n\n\ndef g(sock):\n    import numpy as np; out = np.zeros(0)\n    while chunk := sock.recv(4096):\n        out = np.append(out, chunk)\n    return out\n";
    let project = project(&[("app.py", source), ("broken.py", "def (:\n")]);
    let output = edgelint(project.path()).arg("--add-noqa").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("added `# noqa` to 2 lines in 1 files"),
        "{stderr}"
    );
    let fixed = fs::read_to_string(project.path().join("app.py")).unwrap();
    assert!(
        fixed.contains(
            "return sum([x for x in open(data_path).read()])  # hot path  # noqa: EL201\n"
        ),
        "{fixed}"
    );
    assert!(
        fixed.contains("        out = np.append(out, chunk)  # noqa: EL501\n"),
        "{fixed}"
    );
    // The syntax error cannot be suppressed and its file is left as it was.
    assert_eq!(
        fs::read_to_string(project.path().join("broken.py")).unwrap(),
        "def (:\n"
    );
    let rerun = edgelint(project.path()).arg("app.py").output().unwrap();
    assert_eq!(
        rerun.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rerun.stdout)
    );
    // Running it again changes nothing.
    let again = edgelint(project.path()).arg("--add-noqa").output().unwrap();
    assert!(String::from_utf8(again.stderr)
        .unwrap()
        .contains("added `# noqa` to 0 lines in 0 files"));
    assert_eq!(
        fs::read_to_string(project.path().join("app.py")).unwrap(),
        fixed
    );
}

#[test]
fn add_noqa_edits_every_file_of_a_run_once() {
    let source = "import numpy as np\n\n\ndef g(sock):\n    out = np.zeros(0)\n    while chunk := sock.recv(4096):\n        out = np.append(out, chunk)\n    return out\n";
    let names: Vec<String> = (0..24)
        .map(|index| format!("pkg{}/m{index}.py", index % 5))
        .collect();
    let files: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), source)).collect();
    let project = project(&files);
    let output = edgelint(project.path()).arg("--add-noqa").output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("added `# noqa` to 24 lines in 24 files"),
        "{stderr}"
    );
    for name in &names {
        let edited = fs::read_to_string(project.path().join(name)).unwrap();
        assert_eq!(
            edited.matches("# noqa: EL501").count(),
            1,
            "{name}: {edited}"
        );
    }
}

/// Rewrites every cached EL201 message of the cache in `cache` to say `PLANTED`, so that a
/// test can tell a finding read from the cache from one checked again.
fn plant_in_cache(cache: &Path) {
    let cache_file = fs::read_dir(cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .unwrap();
    let planted = fs::read_to_string(&cache_file)
        .unwrap()
        .replace("list comprehension is built", "PLANTED");
    fs::write(&cache_file, planted).unwrap();
}

/// The cache holds findings as data, not as a report: an entry written by a run in one format
/// serves a run in any other format, with or without colour, and draws the same picture as a
/// run without the cache.
#[test]
fn one_cache_entry_serves_every_format_and_terminal() {
    let project = project(&[("app.py", FINDING)]);
    let run = |args: &[&str]| stdout_of(edgelint(project.path()).args(args));
    run(&["--output-format", "concise"]);
    assert_eq!(
        run(&["--output-format", "full"]),
        run(&["--output-format", "full", "--no-cache"]),
        "the picture drawn from the cache"
    );
    assert_eq!(
        run(&["--output-format", "full", "--color", "always"]),
        run(&["--output-format", "full", "--color", "always", "--no-cache"]),
    );
    // Prove those runs read the concise run's entry: plant a message in it.
    plant_in_cache(&project.path().join(".edgelint_cache"));
    for format in ["full", "json", "sarif", "github", "junit"] {
        assert!(
            run(&["--output-format", format]).contains("PLANTED"),
            "{format}"
        );
    }
    assert!(run(&["--color", "always"]).contains("PLANTED"));
}

/// Without `--pedantic`, unproven findings are not even built; EL003 still needs them, to know
/// that a `noqa` comment covering one is used.
#[test]
fn a_noqa_covering_an_unproven_finding_is_used_without_pedantic() {
    let source = "def f(items):\n    return sum([x for x in items])  # noqa: EL201\n";
    let project = project(&[("app.py", source)]);
    let output = edgelint(project.path())
        .args(["--no-cache", "--extend-select", "EL003"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stale = source.replace("# noqa: EL201", "# noqa: EL105");
    fs::write(project.path().join("app.py"), stale).unwrap();
    let output = edgelint(project.path())
        .args([
            "--no-cache",
            "--extend-select",
            "EL003",
            "--output-format",
            "concise",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(output.stdout).unwrap().contains("EL003"),
        "a noqa that covers nothing is still reported"
    );
}

#[test]
fn unchanged_files_take_their_findings_from_the_cache() {
    let project = project(&[("app.py", FINDING), ("clean.py", CLEAN)]);
    let concise = |project: &tempfile::TempDir, args: &[&str]| {
        stdout_of(
            edgelint(project.path())
                .args(["--output-format", "concise"])
                .args(args),
        )
    };
    let first = concise(&project, &[]);
    let cache = project.path().join(".edgelint_cache");
    assert!(fs::read_to_string(cache.join("CACHEDIR.TAG"))
        .unwrap()
        .starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    assert_eq!(fs::read_to_string(cache.join(".gitignore")).unwrap(), "*\n");
    assert_eq!(
        concise(&project, &[]),
        first,
        "the same report from the cache"
    );

    // A cached entry that no longer matches the file is not used: prove the cache is read by
    // planting a finding in it, then change the file.
    plant_in_cache(&cache);
    assert!(concise(&project, &[]).contains("PLANTED"));
    assert!(!concise(&project, &["--no-cache"]).contains("PLANTED"));
    fs::write(project.path().join("app.py"), format!("{FINDING}\n")).unwrap();
    assert!(!concise(&project, &[]).contains("PLANTED"));

    // Other settings, other entries: the clean file gets its finding once the rule runs.
    fs::write(
        project.path().join("clean.py"),
        "x = list(list(open(data_path).readlines()))\n",
    )
    .unwrap();
    assert!(concise(&project, &[]).contains("clean.py:1:5: EL105"));
    assert!(!concise(&project, &["--ignore", "EL105"]).contains("EL105"));
}

/// Modules that need each other's summaries (in chains and in a cycle) are checked in whatever
/// order the threads reach them, some on the thread of a module that asked first: the report
/// is the same for any thread count, run after run.
#[test]
fn findings_across_modules_do_not_depend_on_the_order_modules_are_checked_in() {
    let mut files = vec![("pkg/__init__.py".to_string(), String::new())];
    for index in 0..40 {
        // Module i reads a file in `load`, and serves with what module i+1 loads (the last
        // one with what module 0 loads: a cycle of imports).
        let next = (index + 1) % 40;
        let text = format!(
            "import time\nfrom . import m{next}\n\n\ndef load(data_path):\n    with open(data_path) as f:\n        return f.read()\n\n\ndef again(data_path):\n    return m{next}.load(data_path)\n\n\ndef serve(data_path, out):\n    data = m{next}.again(data_path)\n    out.write(data)\n    while True:\n        time.sleep(1)\n"
        );
        files.push((format!("pkg/m{index}.py"), text));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let project = project(&files);
    let run = |threads: &str| {
        stdout_of(edgelint(project.path()).args([
            "--no-cache",
            "--select",
            "EL301",
            "--output-format",
            "concise",
            "--threads",
            threads,
        ]))
    };
    let one = run("1");
    assert_eq!(one.matches("EL301").count(), 40, "{one}");
    for threads in ["2", "8", "2", "8"] {
        assert_eq!(run(threads), one, "output differs with {threads} threads");
    }
}

/// A file's cached findings depend on the summaries of the modules it calls into: editing a
/// callee in another file changes them on the next cached run, both ways.
#[test]
fn editing_a_callee_changes_a_dependent_files_cached_findings() {
    const LOADER_BIG: &str =
        "def load(data_path):\n    with open(data_path) as f:\n        return f.read()\n";
    const LOADER_SMALL: &str = "def load(data_path):\n    return {'data_path': data_path}\n";
    const SERVER: &str = "import time\nfrom .loader import load\n\n\ndef serve(data_path, out):\n    data = load(data_path)\n    out.write(data)\n    while True:\n        time.sleep(1)\n";
    let project = project(&[
        ("pkg/__init__.py", ""),
        ("pkg/loader.py", LOADER_BIG),
        ("pkg/server.py", SERVER),
    ]);
    let report = |project: &tempfile::TempDir| {
        stdout_of(edgelint(project.path()).args([
            "--output-format",
            "concise",
            "--select",
            "EL301",
        ]))
    };
    let finding = "pkg/server.py:6:5: EL301";
    assert!(report(&project).contains(finding), "the first run finds it");
    assert!(
        report(&project).contains(finding),
        "the cached run still does"
    );

    fs::write(project.path().join("pkg/loader.py"), LOADER_SMALL).unwrap();
    assert!(
        !report(&project).contains(finding),
        "the callee now returns something small: the cached finding is stale"
    );
    fs::write(project.path().join("pkg/loader.py"), LOADER_BIG).unwrap();
    assert!(report(&project).contains(finding), "and back");
}

/// A container another module empties is no finding; the cached run knows which modules
/// empty what, so editing only the module that empties it brings the finding back, and back.
#[test]
fn editing_the_module_that_empties_a_container_changes_the_cached_finding() {
    const STATE: &str = "SEEN = {}\n\n\ndef remember(message):\n    SEEN[message.id] = message\n";
    const CLEANER: &str =
        "from .state import SEEN\n\n\ndef done(message):\n    SEEN.pop(message.id)\n";
    const READER: &str =
        "from .state import SEEN\n\n\ndef done(message):\n    SEEN.get(message.id)\n";
    let project = project(&[
        ("pkg/__init__.py", ""),
        ("pkg/state.py", STATE),
        ("pkg/cleaner.py", CLEANER),
    ]);
    let report = |project: &tempfile::TempDir| {
        stdout_of(edgelint(project.path()).args([
            "--output-format",
            "concise",
            "--select",
            "EL302",
        ]))
    };
    let finding = "pkg/state.py:1:1: EL302";
    assert!(
        !report(&project).contains(finding),
        "the first run sees the `pop`"
    );
    assert!(
        !report(&project).contains(finding),
        "so does the cached run"
    );
    fs::write(project.path().join("pkg/cleaner.py"), READER).unwrap();
    assert!(
        report(&project).contains(finding),
        "nothing empties it now, although `state.py` is unchanged and cached"
    );
    fs::write(project.path().join("pkg/cleaner.py"), CLEANER).unwrap();
    assert!(!report(&project).contains(finding), "and back");
}

#[test]
fn no_cache_writes_no_cache() {
    let project = project(&[("app.py", FINDING)]);
    edgelint(project.path()).arg("--no-cache").assert().code(1);
    assert!(!project.path().join(".edgelint_cache").exists());
}

#[test]
fn a_panic_in_one_file_is_reported_and_the_others_are_checked() {
    let project = project(&[("a_boom.py", "# boom\nx = 1\n"), ("b_app.py", FINDING)]);
    let output = edgelint(project.path())
        .args(["--output-format", "concise"])
        .env("EDGELINT_DEBUG_PANIC_ON", "# boom")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("b_app.py:2:16: EL201"), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("edgelint: error: internal error while checking a_boom.py: EDGELINT_DEBUG_PANIC_ON: this file asked for a panic (at crates/edgelint_linter/src/lib.rs:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked at"),
        "the panic message is not printed raw: {stderr}"
    );
}

/// A slice of a parameter (size unknown) and of a file read whole (large), each read once.
const TIERED: &str = "\
def rows_after_header(rows):
    return sum(rows[1:])


def lines_after_header(path):
    lines = open(data_path).readlines()
    return len(set(lines[1:]))
";

/// EL101's findings in `project`, concise, with `extra` arguments.
fn el101_concise(project: &tempfile::TempDir, extra: &[&str]) -> String {
    stdout_of(
        edgelint(project.path())
            .args(["--select", "EL101", "--output-format", "concise"])
            .args(extra),
    )
}

#[test]
fn findings_of_unknown_size_are_shown_only_with_pedantic_and_marked() {
    let project = project(&[("app.py", TIERED)]);
    let concise = |extra: &[&str]| el101_concise(&project, extra);
    let default = concise(&[]);
    assert_eq!(default.lines().count(), 1, "{default}");
    assert!(default.contains("app.py:7:"), "{default}");
    assert!(!default.contains("unproven"), "{default}");

    let pedantic = concise(&["--pedantic"]);
    assert_eq!(pedantic.lines().count(), 2, "{pedantic}");
    assert!(
        pedantic.contains("app.py:2:16: EL101 `rows[1:]` copies almost all of `rows` only to read it once [unproven: the size of `rows` is not known]"),
        "{pedantic}"
    );
    assert!(
        !pedantic.lines().nth(1).unwrap().contains("unproven"),
        "{pedantic}"
    );

    let json = stdout_of(edgelint(project.path()).args([
        "--select",
        "EL101",
        "--pedantic",
        "--output-format",
        "json",
    ]));
    let messages: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        messages[0]["unproven"], "the size of `rows` is not known",
        "{json}"
    );
    assert!(messages[1].get("unproven").is_none(), "{json}");
    assert_eq!(messages[1]["evidence"]["location"]["row"], 6, "{json}");
}

#[test]
fn large_data_in_test_code_is_shown_only_with_pedantic() {
    let project = project(&[("app.py", TIERED), ("tests/test_app.py", TIERED)]);
    let concise = |extra: &[&str]| el101_concise(&project, extra);
    let default = concise(&[]);
    assert_eq!(default.lines().count(), 1, "{default}");
    assert!(default.starts_with("app.py:7:"), "{default}");
    let pedantic = concise(&["--pedantic"]);
    assert!(
        pedantic.contains("tests/test_app.py:7:20: EL101 `lines[1:]` copies almost all of `lines` only to read it once [unproven: in test code, the data is what the test supplies]"),
        "{pedantic}"
    );
}

/// `gc.disable()` with no `gc.enable()` after it: EL402, whose findings are not about the size
/// of any data.
const GC_LEFT_DISABLED: &str = "\
import gc


def bulk_load(rows, table):
    gc.disable()
    for row in rows:
        table.insert(row)
";

#[test]
fn every_finding_in_test_code_is_shown_only_with_pedantic() {
    let project = project(&[
        ("app.py", GC_LEFT_DISABLED),
        ("tests/test_app.py", GC_LEFT_DISABLED),
        ("tests/helpers.py", GC_LEFT_DISABLED),
        ("tests/test_broken.py", "def broken(:\n"),
    ]);
    let concise = |extra: &[&str]| {
        stdout_of(
            edgelint(project.path())
                .args(["--select", "EL402,EL001", "--output-format", "concise"])
                .args(extra),
        )
    };
    // A syntax error is no finding about memory: test code or not, it is reported.
    let default = concise(&[]);
    let mut lines: Vec<&str> = default.lines().collect();
    lines.sort_unstable();
    assert!(lines[0].starts_with("app.py:5:5: EL402 "), "{default}");
    assert!(
        lines[1].starts_with("tests/test_broken.py:1:12: EL001 "),
        "{default}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|line| line.starts_with("tests/test_broken.py:")),
        "{default}"
    );

    let pedantic = concise(&["--pedantic"]);
    for module in ["tests/test_app.py", "tests/helpers.py"] {
        assert!(
            pedantic
                .lines()
                .any(|line| line.starts_with(&format!("{module}:5:5: EL402 "))
                    && line
                        .ends_with("[unproven: in test code, the data is what the test supplies]")),
            "{pedantic}"
        );
    }
    assert!(
        pedantic
            .lines()
            .any(|line| line.starts_with("app.py:5:5: EL402 ") && !line.contains("unproven")),
        "{pedantic}"
    );
}

#[test]
fn a_repository_kept_in_a_folder_named_test_is_not_test_code() {
    // Folders above the repository's top say where someone keeps it, not what its files are.
    // The path is given whole, as editors give it.
    let folder = project(&[
        ("test/app/.git/HEAD", "ref: refs/heads/main\n"),
        ("test/app/app.py", GC_LEFT_DISABLED),
        ("test/app/tests/test_app.py", GC_LEFT_DISABLED),
        ("test/loose/app.py", GC_LEFT_DISABLED),
    ]);
    let top = folder.path().canonicalize().unwrap();
    let report = stdout_of(
        edgelint(folder.path())
            .args(["--select", "EL402", "--output-format", "concise"])
            .arg(top.join("test")),
    );
    let flagged: Vec<&str> = report
        .lines()
        .filter_map(|line| line.split(':').next())
        .collect();
    // Outside any repository every folder counts: `test/loose/` is a folder of tests.
    assert_eq!(flagged, ["test/app/app.py"], "{report}");
}

#[test]
fn a_stub_is_checked_for_syntax_errors_only() {
    // A `.pyi` file only describes types: none of its code runs.
    let finalizer = "class Handle:\n    def __del__(self) -> None: ...\n";
    let project = project(&[
        ("handle.py", finalizer),
        ("handle.pyi", finalizer),
        ("broken.pyi", "def f(:\n"),
    ]);
    for extra in [&[][..], &["--pedantic"]] {
        let report = stdout_of(
            edgelint(project.path())
                .args(["--select", "EL403,EL001", "--output-format", "concise"])
                .args(extra),
        );
        let mut flagged: Vec<&str> = report
            .lines()
            .filter_map(|line| line.split(": ").next())
            .map(|place| place.split(':').next().unwrap_or(place))
            .collect();
        flagged.sort_unstable();
        flagged.dedup();
        assert_eq!(flagged, ["broken.pyi", "handle.py"], "{report}");
    }
}

/// A large file's content held through a sleep loop: EL301, a pedantic rule, with evidence.
const HELD: &str = "\
import time


def main():
    with open(\"frames.bin\", \"rb\") as f:
        data = f.read()
    print(sum(data))
    while True:
        time.sleep(1)
";

#[test]
fn a_pedantic_rule_runs_only_with_pedantic_or_when_selected() {
    let project = project(&[("app.py", HELD)]);
    let run = |extra: &[&str]| {
        edgelint(project.path())
            .args(["--output-format", "concise"])
            .args(extra)
            .output()
            .unwrap()
    };
    let default = run(&[]);
    assert_eq!(default.status.code(), Some(0));
    assert_eq!(String::from_utf8(default.stdout).unwrap(), "");

    let pedantic = run(&["--pedantic"]);
    let pedantic = String::from_utf8(pedantic.stdout).unwrap();
    assert!(
        pedantic.contains("app.py:6:9: EL301 `data` holds the whole content of a file past its last use, while the function keeps running (the whole content of a file, read from here: app.py:5:10) [unproven: EL301 is a pedantic rule: on real code most of its findings were true but not worth a change]"),
        "{pedantic}"
    );

    let selected = run(&["--extend-select", "EL301"]);
    assert_eq!(selected.status.code(), Some(1));
    let selected = String::from_utf8(selected.stdout).unwrap();
    assert!(
        selected.contains("app.py:6:9: EL301") && !selected.contains("unproven"),
        "{selected}"
    );
}

#[test]
fn pedantic_can_be_set_in_the_configuration_and_turned_off_on_the_command_line() {
    let project = project(&[("app.py", TIERED), ("edgelint.toml", "pedantic = true\n")]);
    let count = |extra: &[&str]| {
        stdout_of(
            edgelint(project.path())
                .args(["--select", "EL101", "--output-format", "concise"])
                .args(extra),
        )
        .lines()
        .count()
    };
    assert_eq!(count(&[]), 2);
    assert_eq!(count(&["--no-pedantic"]), 1);
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn the_binary_runs_on_jemalloc_with_its_options() {
    // jemalloc prints its statistics, options included, at exit when asked to through the
    // environment; a `malloc_conf` the linker left out would leave the default of 10 s.
    let project = project(&[("clean.py", CLEAN)]);
    let output = edgelint(project.path())
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("opt.dirty_decay_ms: 500 "),
        "{}",
        stderr.lines().take(40).collect::<Vec<_>>().join("\n")
    );
}
