//! `edgelint server` end to end, driven by a real LSP client: the pytest-lsp tests in
//! `tests/lsp/`, run with the client installed into a virtual environment of the build's own
//! (from `tests/lsp/requirements.txt`, once). A machine that cannot install it fails the test:
//! it does not skip.

mod support;

use std::path::Path;

use support::tools::{pytest, python_environment};

#[test]
fn the_language_server_works_with_a_real_client() {
    let lsp_tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp");
    let venv = python_environment("lsp-venv", &lsp_tests.join("requirements.txt"));
    let binary = env!("CARGO_BIN_EXE_edgelint");
    pytest(
        &venv,
        &lsp_tests.join("test_server.py"),
        &[("EDGELINT_BIN", binary.as_ref())],
    );
}
