//! `edgelint server` end to end, driven by a real LSP client: the pytest-lsp tests in
//! `tests/lsp/`, run with the client installed into a virtual environment of the build's own
//! (from `tests/lsp/requirements.txt`, once). A machine that cannot install it fails the test:
//! it does not skip.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A virtual environment with the pinned client, made (again) when the pins change.
fn client_environment() -> PathBuf {
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/requirements.txt");
    let pins = std::fs::read_to_string(&requirements).unwrap();
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp-venv");
    let stamp = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(pins.as_str()) {
        return venv;
    }
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 runs");
    assert!(
        made.success(),
        "cannot make a virtual environment in {}",
        venv.display()
    );
    let installed = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements)
        .status()
        .expect("pip runs");
    assert!(
        installed.success(),
        "cannot install the LSP client from {}",
        requirements.display()
    );
    std::fs::write(&stamp, pins).unwrap();
    venv
}

#[test]
fn the_language_server_works_with_a_real_client() {
    let venv = client_environment();
    let lsp_tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp");
    let output = Command::new(venv.join("bin/python"))
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .current_dir(&lsp_tests)
        .env("EDGELINT_BIN", env!("CARGO_BIN_EXE_edgelint"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("pytest runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every test ran: none was skipped or deselected.
    let tests = std::fs::read_to_string(lsp_tests.join("test_server.py"))
        .unwrap()
        .matches("\nasync def test_")
        .count();
    assert!(report.contains(&format!("{tests} passed in")), "{report}");
}
