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
