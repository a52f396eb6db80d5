//! The command line as ruff users type it: subcommands, rule documentation in JSON, fixable
//! markers, standard input, `--show-files`, a closed pipe, completions and the manual page.

mod support;

use std::io::Read;
use std::process::Stdio;

use support::cli::{edgelint, project};

/// A finding with a safe fix (the comprehension's only consumer is `sum`).
const SAFE_FIX: &str = "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n";
/// A finding whose fix is unsafe (`max` over a comprehension of attribute reads).
const UNSAFE_FIX: &str = "def f(data_path):\n    with open(data_path) as log:\n        lines = log.readlines()\n    return max([line.strip() for line in lines])\n";

fn output_of(command: &mut assert_cmd::Command) -> (Option<i32>, String, String) {
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn check_is_what_edgelint_does_without_the_word() {
    let project = project(&[("app.py", SAFE_FIX), ("lib/b.py", UNSAFE_FIX)]);
    let plain = output_of(edgelint(project.path()).args(["--output-format", "concise", "."]));
    let check =
        output_of(edgelint(project.path()).args(["check", "--output-format", "concise", "."]));
    assert_eq!(plain, check);
    assert_eq!(plain.0, Some(1));
    assert_eq!(plain.1.lines().count(), 2, "{}", plain.1);
    // No path: the current directory, with or without the word.
    let bare = output_of(edgelint(project.path()).args(["check", "--output-format", "concise"]));
    assert_eq!(bare, plain);
}

#[test]
fn rule_explains_one_rule_or_lists_them_all_as_text_or_json() {
    let project = project(&[]);
    let (code, text, _) = output_of(edgelint(project.path()).args(["rule", "EL201"]));
    assert_eq!(code, Some(0));
    assert!(
        text.starts_with("# list-comprehension-in-consumer (EL201)\n"),
        "{text}"
    );
    let (_, explained, _) = output_of(edgelint(project.path()).args(["--explain", "EL201"]));
    assert_eq!(
        text, explained,
        "`--explain` is `rule` under its older name"
    );

    let (_, json, _) = output_of(edgelint(project.path()).args([
        "rule",
        "list-comprehension-in-consumer",
        "--output-format",
        "json",
    ]));
    let rule: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rule["code"], "EL201");
    assert_eq!(rule["fix"], "sometimes");
    assert!(rule["explanation"]
        .as_str()
        .unwrap()
        .contains("## Why is this bad?"));
    let (_, old_json, _) =
        output_of(edgelint(project.path()).args(["--explain", "EL201", "--output-format", "json"]));
    assert_eq!(json, old_json);

    let (_, all, _) =
        output_of(edgelint(project.path()).args(["rule", "--all", "--output-format", "json"]));
    let all: Vec<serde_json::Value> = serde_json::from_str(&all).unwrap();
    assert_eq!(all.len(), edgelint_rules::RULES.len());
    let (_, listed, _) =
        output_of(edgelint(project.path()).args(["--list-rules", "--output-format", "json"]));
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&listed).unwrap(),
        all
    );
    let (_, table, _) = output_of(edgelint(project.path()).args(["rule", "--all"]));
    assert!(table.starts_with("CODE "), "{table}");
}

#[test]
fn a_mistyped_rule_gets_a_did_you_mean() {
    let project = project(&[]);
    for command in [
        ["rule", "EL2O1"],
        ["--explain", "list-comprehension-in-consumers"],
    ] {
        let (code, stdout, stderr) = output_of(edgelint(project.path()).args(command));
        assert_eq!(code, Some(2));
        assert_eq!(stdout, "");
        assert!(
            stderr.contains("did you mean `EL201` (list-comprehension-in-consumer)?"),
            "{stderr}"
        );
    }
    let (_, _, stderr) = output_of(edgelint(project.path()).args(["rule", "unused-import"]));
    assert!(
        stderr.contains("`edgelint rule --all` lists them all"),
        "{stderr}"
    );
}

#[test]
fn fixable_findings_are_marked_as_ruff_marks_them() {
    let project = project(&[("safe.py", SAFE_FIX), ("unsafe.py", UNSAFE_FIX)]);
    let (_, concise, _) = output_of(edgelint(project.path()).args(["--output-format", "concise"]));
    let line = |file: &str, text: &str| {
        text.lines()
            .find(|line| line.starts_with(file))
            .unwrap_or_else(|| panic!("no finding in {file}: {text}"))
            .to_string()
    };
    assert!(
        line("safe.py", &concise).contains(": EL201 [*] list comprehension"),
        "{concise}"
    );
    // An unsafe fix is not applied by `--fix`: no mark, unless unsafe fixes are on.
    assert!(
        line("unsafe.py", &concise).contains(": EL201 list comprehension"),
        "{concise}"
    );
    let (_, with_unsafe, _) =
        output_of(edgelint(project.path()).args(["--output-format", "concise", "--unsafe-fixes"]));
    assert!(line("unsafe.py", &with_unsafe).contains(": EL201 [*] list comprehension"));

    let (_, full, _) = output_of(edgelint(project.path()).arg("safe.py"));
    assert!(
        full.starts_with("warning[EL201]: [*] list comprehension"),
        "{full}"
    );
    let (_, full, _) = output_of(edgelint(project.path()).arg("unsafe.py"));
    assert!(
        full.starts_with("warning[EL201]: list comprehension"),
        "{full}"
    );
}

#[test]
fn statistics_say_which_rules_are_fixable() {
    for (source, row, fixable) in [
        (
            SAFE_FIX,
            "1  EL201  [*] list-comprehension-in-consumer\n",
            true,
        ),
        (
            UNSAFE_FIX,
            "1  EL201      list-comprehension-in-consumer\n",
            false,
        ),
    ] {
        let project = project(&[("app.py", source)]);
        let (_, text, _) = output_of(edgelint(project.path()).arg("--statistics"));
        assert_eq!(text, row);
        let (_, json, _) =
            output_of(edgelint(project.path()).args(["--statistics", "--output-format", "json"]));
        let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(rows[0]["fixable"], fixable);
    }
}

#[test]
fn stdin_filename_without_a_dash_reads_standard_input() {
    // The directory holds a clean file: linting it instead of standard input finds nothing.
    let project = project(&[("clean.py", "x = 1\n")]);
    let (code, stdout, _) = output_of(
        edgelint(project.path())
            .args([
                "--stdin-filename",
                "src/app.py",
                "--output-format",
                "concise",
            ])
            .write_stdin(SAFE_FIX),
    );
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with("src/app.py:2:16: EL201"), "{stdout}");
}

#[test]
fn force_exclude_applies_to_the_stdin_filename() {
    let project = project(&[]);
    let excluded = ["--stdin-filename", "build/app.py", "--force-exclude"];
    let (code, stdout, _) = output_of(
        edgelint(project.path())
            .args(excluded)
            .args(["--output-format", "concise"])
            .write_stdin(SAFE_FIX),
    );
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
    // `--fix` gives an excluded buffer back as it came, for an editor that pipes it through.
    let (code, stdout, _) = output_of(
        edgelint(project.path())
            .args(excluded)
            .arg("--fix")
            .write_stdin(SAFE_FIX),
    );
    assert_eq!((code, stdout.as_str()), (Some(0), SAFE_FIX));
    // Without `--force-exclude` the name is linted as given.
    let (code, _, _) = output_of(
        edgelint(project.path())
            .args(["--stdin-filename", "build/app.py"])
            .write_stdin(SAFE_FIX),
    );
    assert_eq!(code, Some(1));
}

#[test]
fn show_files_lists_what_would_be_linted() {
    let project = project(&[
        ("b.py", "x = 1\n"),
        ("a.py", "x = 1\n"),
        ("notes.txt", "not python\n"),
        ("build/generated.py", "x = 1\n"),
        ("pkg/c.pyi", "x: int\n"),
    ]);
    let (code, stdout, _) = output_of(edgelint(project.path()).arg("--show-files"));
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "a.py\nb.py\npkg/c.pyi\n");
    let (_, stdout, _) =
        output_of(edgelint(project.path()).args(["--show-files", "--extend-exclude", "pkg"]));
    assert_eq!(stdout, "a.py\nb.py\n");
}

#[test]
fn a_closed_pipe_ends_the_report_quietly_with_the_runs_status() {
    // Far more report than a pipe holds, so that writing meets the closed reader.
    let many: String = (0..3000)
        .map(|index| {
            format!(
                "def f{index}(data_path):\n    return sum([x for x in open(data_path).read()])\n"
            )
        })
        .collect();
    let project = project(&[("many.py", &many)]);
    let binary = assert_cmd::cargo::cargo_bin("edgelint");
    let mut child = std::process::Command::new(binary)
        .current_dir(project.path())
        .args(["--no-cache", "--output-format", "concise"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line's worth, then hang up, as `edgelint | head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_definition() {
    let project = project(&[]);
    let (code, bash, _) =
        output_of(edgelint(project.path()).args(["generate-shell-completion", "bash"]));
    assert_eq!(code, Some(0));
    assert!(bash.contains("_edgelint()"), "{bash}");
    for word in ["check", "rule", "--select", "--statistics", "--show-files"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let (_, zsh, _) =
        output_of(edgelint(project.path()).args(["generate-shell-completion", "zsh"]));
    assert!(zsh.starts_with("#compdef edgelint"), "{zsh}");
    let (code, man, _) = output_of(edgelint(project.path()).arg("generate-man-page"));
    assert_eq!(code, Some(0));
    assert!(man.contains(".TH edgelint 1"), "{man}");
    assert!(man.contains("static analyzer for Python code"), "{man}");
}

#[test]
fn show_settings_spells_the_output_format_as_the_flag_takes_it() {
    let project = project(&[(
        "pyproject.toml",
        "[tool.edgelint]\noutput-format = \"concise\"\n",
    )]);
    let (code, stdout, _) = output_of(edgelint(project.path()).arg("--show-settings"));
    assert_eq!(code, Some(0));
    assert!(stdout.contains("\noutput-format: concise\n"), "{stdout}");
    let (_, stdout, _) = output_of(edgelint(project.path()).args([
        "--show-settings",
        "--output-format",
        "json-lines",
    ]));
    assert!(stdout.contains("\noutput-format: json-lines\n"), "{stdout}");
}

#[test]
fn a_subcommand_after_an_option_is_a_clear_error() {
    let files = project(&[("app.py", SAFE_FIX)]);
    let (code, stdout, stderr) =
        output_of(edgelint(files.path()).args(["--select", "ALL", "check"]));
    assert_eq!((code, stdout.as_str()), (Some(2), ""));
    assert!(
        stderr.contains("`check` is a subcommand: give it first"),
        "{stderr}"
    );
    // Found after any number of files (`pre-commit run --all-files` passes them all).
    let (code, _, stderr) = output_of(edgelint(files.path()).args([
        "app.py", "app.py", "app.py", "--select", "ALL", "rule", "app.py",
    ]));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`rule` is a subcommand"), "{stderr}");
    // A folder of that name is a path like any other.
    let folder = project(&[("check/app.py", SAFE_FIX)]);
    let (code, stdout, _) =
        output_of(edgelint(folder.path()).args(["--output-format", "concise", "check"]));
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with("check/app.py:2:16: EL201"), "{stdout}");
}

#[test]
fn version_names_the_commit_the_binary_was_built_from() {
    let checkout = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(checkout)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8(output.stdout).unwrap().trim().to_string())
    };
    // Built from a git checkout, the commit and its date; from a source archive, the version.
    let top = git(&["rev-parse", "--show-toplevel"]);
    let in_checkout = top.is_some_and(|top| {
        std::path::Path::new(&top).canonicalize().ok()
            == std::path::Path::new(checkout).canonicalize().ok()
    });
    let version = env!("CARGO_PKG_VERSION");
    let expected = match git(&["log", "-1", "--abbrev=9", "--format=%h %cs"]) {
        Some(commit) if in_checkout => format!("edgelint {version} ({commit})\n"),
        _ => format!("edgelint {version}\n"),
    };
    for flag in ["--version", "-V"] {
        let (status, stdout, _) = output_of(edgelint(std::path::Path::new(checkout)).arg(flag));
        assert_eq!(status, Some(0));
        assert_eq!(stdout, expected);
    }
}
