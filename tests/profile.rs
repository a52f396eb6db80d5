//! Measured memory end to end: the pytest tests in `tests/profile/` profile a real program with
//! `edgelint profile`, memray and Scalene (installed from PyPI into the build's own folder, once)
//! and join each profile with its findings. A machine that cannot install them fails the test:
//! it does not skip.

mod support;

use std::path::Path;

use support::tools::{pytest, python_environment};

#[test]
fn profiles_of_a_real_run_rank_and_promote_findings() {
    let profile_tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/profile");
    let venv = python_environment("profile-venv", &profile_tests.join("requirements.txt"));
    pytest(
        &venv,
        &profile_tests.join("test_profile.py"),
        &[("EDGELINT_BIN", env!("CARGO_BIN_EXE_edgelint").as_ref())],
    );
}

#[test]
fn the_profiler_writes_what_its_schema_says() {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(
        scratch.path().join("app.py"),
        "data = bytearray(2 << 20)\nrows = [bytes(64) for _ in range(10000)]\n",
    )
    .unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_edgelint"))
        .args(["profile", "-o", "profile.json", "--", "python3", "app.py"])
        .current_dir(scratch.path())
        .status()
        .unwrap();
    assert!(status.success());
    let read = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let schema = read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/edgelint_profile/profile.schema.json"),
    );
    let validator = jsonschema::validator_for(&schema).unwrap();
    let written = read(&scratch.path().join("profile.json"));
    let errors: Vec<String> = validator
        .iter_errors(&written)
        .map(|error| error.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{written:#}");
    let first = &written["lines"][0];
    assert_eq!(
        (&first["file"], &first["line"]),
        (&"app.py".into(), &1.into())
    );
    // And the schema can fail: a line without its number.
    let broken = serde_json::json!({
        "schema": "edgelint-profile", "version": 1, "source": "tracemalloc",
        "lines": [{ "file": "app.py" }]
    });
    assert!(!validator.is_valid(&broken));
}
