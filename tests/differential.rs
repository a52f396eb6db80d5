//! The differential test of every fix (`tests/differential/`): generated programs are run
//! before and after `edgelint --fix` and must print the same; after `--fix --unsafe-fixes`
//! they must still compile and run to completion.
//!
//! `setup.sh` installs the generator's packages (hypothesis, numpy) from the package index
//! into `target/differential-venv`, once. This test never skips itself: without the index (and
//! without that environment already in place) it fails and says so.
//! `EDGELINT_DIFFERENTIAL_EXAMPLES` sets how many programs are drawn per rule.

use std::path::Path;
use std::process::{Command, Output};

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `setup.sh` and returns the python of the environment it prepared (its last line).
fn prepare_python(directory: &Path) -> String {
    let setup = Command::new("bash")
        .arg(directory.join("setup.sh"))
        .output()
        .expect("bash starts");
    assert!(
        setup.status.success(),
        "tests/differential/setup.sh could not prepare the Python environment; the differential \
         test needs hypothesis and numpy from the package index (is it reachable?):\n{}",
        text(&setup)
    );
    let stdout = String::from_utf8_lossy(&setup.stdout);
    stdout
        .lines()
        .last()
        .expect("setup.sh prints the python it prepared")
        .trim()
        .to_owned()
}

#[test]
fn fixes_keep_what_generated_programs_compute() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential");
    let python = prepare_python(&directory);
    // The programs' scratch files go to a folder of this run's own, to check that none stay.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential-tmp");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("the scratch folder is made");
    let run = Command::new(python)
        .arg(directory.join("run.py"))
        .arg(env!("CARGO_BIN_EXE_edgelint"))
        .env("TMPDIR", &scratch)
        .output()
        .expect("the differential driver starts");
    assert!(
        run.status.success(),
        "the differential test of the fixes failed:\n{}",
        text(&run)
    );
    let left: Vec<_> = std::fs::read_dir(&scratch)
        .expect("the scratch folder is read")
        .flatten()
        .map(|entry| entry.file_name())
        .collect();
    assert!(
        left.is_empty(),
        "the differential test left files behind: {left:?}"
    );
}
