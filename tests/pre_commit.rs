//! The real pre-commit, installed from the package index into a scratch virtual environment,
//! runs this repository's hook (`.pre-commit-hooks.yaml`, installed with `pip install .`) on a
//! scratch git repository: the hook fails on wasteful code and passes on clean code.
//!
//! `pre-commit try-repo` copies the repository's tracked files (with their uncommitted changes),
//! not untracked ones: `git add` a new source file before running this test.

use std::path::Path;
use std::process::{Command, Output};

const WASTEFUL: &str =
    "def total(data_path):\n    return sum([len(x) for x in open(data_path).read().split()])\n";
const CLEAN: &str =
    "def total(data_path):\n    return sum(len(x) for x in open(data_path).read().split())\n";

fn run(program: impl AsRef<std::ffi::OsStr>, args: &[&str], directory: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(directory)
        .output()
        .expect("the program starts")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// pip's words for "the package index cannot be reached".
fn is_offline(pip_output: &str) -> bool {
    [
        "NewConnectionError",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "No matching distribution found for pre-commit",
        "ConnectTimeoutError",
    ]
    .iter()
    .any(|sign| pip_output.contains(sign))
}

#[test]
fn the_pre_commit_hook_fails_on_waste_and_passes_on_clean_code() {
    let this_repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let venv = scratch.path().join("venv");
    let created = run(
        "python3",
        &["-m", "venv", venv.to_str().unwrap()],
        scratch.path(),
    );
    assert!(created.status.success(), "{}", text(&created));
    let pip = run(
        venv.join("bin/pip"),
        &["install", "-q", "pre-commit"],
        scratch.path(),
    );
    if !pip.status.success() {
        let output = text(&pip);
        assert!(is_offline(&output), "pip failed: {output}");
        eprintln!("skipped: the package index cannot be reached, so pre-commit cannot be installed:\n{output}");
        return;
    }

    let repository = scratch.path().join("project");
    std::fs::create_dir(&repository).unwrap();
    for args in [
        &["init", "-q"][..],
        &["config", "user.email", "test@example.com"],
        &["config", "user.name", "test"],
    ] {
        assert!(run("git", args, &repository).status.success());
    }
    let try_hook = || {
        let mut command = Command::new(venv.join("bin/pre-commit"));
        command
            .args([
                "try-repo",
                this_repository.to_str().unwrap(),
                "edgelint",
                "--all-files",
            ])
            .current_dir(&repository)
            .env("PRE_COMMIT_HOME", scratch.path().join("cache"))
            // Rebuilds of the hook reuse compiled dependencies.
            .env(
                "CARGO_TARGET_DIR",
                this_repository.join("target/pre-commit"),
            )
            .env("NO_COLOR", "1");
        command.output().unwrap()
    };

    std::fs::write(repository.join("wasteful.py"), WASTEFUL).unwrap();
    assert!(run("git", &["add", "."], &repository).status.success());
    let failed = try_hook();
    let output = text(&failed);
    assert!(
        !failed.status.success(),
        "the hook passed on wasteful code:\n{output}"
    );
    assert!(output.contains("EL201"), "{output}");
    assert!(output.contains("wasteful.py"), "{output}");

    std::fs::write(repository.join("wasteful.py"), CLEAN).unwrap();
    assert!(run("git", &["add", "."], &repository).status.success());
    let passed = try_hook();
    assert!(
        passed.status.success(),
        "the hook failed on clean code:\n{}",
        text(&passed)
    );
}
