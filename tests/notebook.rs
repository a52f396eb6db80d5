//! Jupyter notebooks end to end: every format places a finding by cell and line in the cell,
//! `--fix` changes only the fixed cell's source, and a notebook that is not JSON is a finding.

mod support;

use std::fs;

use serde_json::Value;
use support::cli::{edgelint, project};

/// A markdown cell, a code cell with magics and a finding on its fourth line (cell 2), a cell
/// magic cell, and a code cell with a finding on its first line (cell 4).
const NOTEBOOK: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "intro",
   "metadata": {},
   "source": [
    "# Readings\n",
    "`sum([x for x in y])` here is prose."
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "load",
   "metadata": {"tags": ["setup"]},
   "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\n"]}],
   "source": [
    "%matplotlib inline\n",
    "!ls\n",
    "readings = [1.0, 2.0]\n",
    "total = sum([r for r in readings])"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "id": "bash",
   "metadata": {},
   "outputs": [],
   "source": "%%bash\necho $((1 + 2))\n"
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "last",
   "metadata": {},
   "outputs": [],
   "source": "rows = list(list(readings))\n"
  }
 ],
 "metadata": {"language_info": {"name": "python"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

/// The report of the notebook in `format`, every tier shown (`readings` is of unknown size).
fn report(format: &str) -> String {
    let project = project(&[("nb.ipynb", NOTEBOOK)]);
    let output = edgelint(project.path())
        .args([
            "--no-cache",
            "-q",
            "--pedantic",
            "--output-format",
            format,
            "nb.ipynb",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{format}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn full_and_concise_name_the_cell() {
    let full = report("full");
    assert!(full.contains("  --> nb.ipynb:cell 2:4:13\n"), "{full}");
    assert!(
        full.contains("4 | total = sum([r for r in readings])"),
        "the excerpt shows the cell's own line numbers: {full}"
    );
    assert_eq!(
        report("concise"),
        "nb.ipynb:cell 2:4:13: EL201 [*] list comprehension is built in full only to be read once by `sum()` [unproven: the size of `readings` is not known]\n\
         nb.ipynb:cell 4:1:8: EL105 [*] `list(list(readings))` copies the data twice: `list()` copies the copy made by `list(readings)` [unproven: the size of `readings` is not known]\n"
    );
}

#[test]
fn json_and_json_lines_have_a_cell_field() {
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json[0]["filename"], "nb.ipynb");
    assert_eq!(json[0]["cell"], 2);
    assert_eq!(json[0]["location"]["row"], 4);
    assert_eq!(json[0]["location"]["column"], 13);
    assert_eq!(json[1]["cell"], 4);
    let first_line = report("json-lines").lines().next().unwrap().to_string();
    let line: Value = serde_json::from_str(&first_line).unwrap();
    assert_eq!(
        (line["cell"].clone(), line["location"]["row"].clone()),
        (2.into(), 4.into())
    );
}

#[test]
fn github_gitlab_and_junit_name_the_cell() {
    let github = report("github");
    assert!(
        github.starts_with(
            "::warning file=nb.ipynb,title=EL201 list-comprehension-in-consumer::cell 2, line 4, column 13: list comprehension"
        ),
        "notebook lines are JSON, so the annotation is on the file and names the cell: {github}"
    );
    let gitlab: Value = serde_json::from_str(&report("gitlab")).unwrap();
    let description = gitlab[0]["description"].as_str().unwrap();
    assert!(
        description.starts_with("EL201 cell 2, line 4, column 13: "),
        "{description}"
    );
    let junit = report("junit");
    assert!(
        junit.contains(r#"<testcase name="EL201 cell 2:4:13" classname="nb.ipynb">"#),
        "{junit}"
    );
}

#[test]
fn sarif_names_the_cell_and_stays_valid() {
    let sarif: Value = serde_json::from_str(&report("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["properties"]["cell"], 2);
    assert_eq!(result["properties"]["cellLine"], 4);
    assert_eq!(result["properties"]["cellColumn"], 13);
    assert!(result["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("cell 2, line 4, column 13: "));
    assert!(
        result["locations"][0]["physicalLocation"]
            .get("region")
            .is_none(),
        "no region: the file's lines are JSON"
    );
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            support::harness::repository_root().join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&sarif));
}

#[test]
fn a_baseline_records_notebook_findings() {
    let project = project(&[("nb.ipynb", NOTEBOOK)]);
    edgelint(project.path())
        .args(["--write-baseline", "baseline.json"])
        .assert()
        .code(0);
    edgelint(project.path())
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(0);
}

#[test]
fn fix_changes_only_the_fixed_cells_source() {
    let project = project(&[("nb.ipynb", NOTEBOOK)]);
    let output = edgelint(project.path())
        .args(["--no-cache", "--fix", "--pedantic", "nb.ipynb"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fixed = fs::read_to_string(project.path().join("nb.ipynb")).unwrap();
    let expected = NOTEBOOK
        .replace(
            r#""total = sum([r for r in readings])""#,
            r#""total = sum(r for r in readings)""#,
        )
        .replace(
            r#""rows = list(list(readings))\n""#,
            r#""rows = list(readings)\n""#,
        );
    assert_ne!(expected, NOTEBOOK);
    assert_eq!(
        fixed, expected,
        "every byte outside the fixed sources is kept"
    );

    // Python's own json module, and nbformat where it is installed, still load it.
    let check = "import json, sys\n\
        nb = json.load(open(sys.argv[1]))\n\
        assert nb['cells'][1]['outputs'][0]['text'] == ['ok\\n']\n\
        try:\n\
        \x20   import nbformat\n\
        except ImportError:\n\
        \x20   sys.exit(0)\n\
        nbformat.validate(nbformat.read(sys.argv[1], as_version=4))\n";
    if let Ok(status) = std::process::Command::new("python3")
        .args(["-c", check])
        .arg(project.path().join("nb.ipynb"))
        .status()
    {
        assert!(status.success());
    }
}

#[test]
fn a_notebook_that_is_not_json_is_a_finding() {
    let project = project(&[("broken.ipynb", "{\"cells\": [\n")]);
    let output = edgelint(project.path())
        .args(["--no-cache", "--output-format", "concise", "broken.ipynb"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("broken.ipynb:1:1: EL002 cannot lint this file: not a valid notebook: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 2"),
        "the JSON error says where: {stdout}"
    );
}

/// A finding whose data was read in another cell used to point its evidence at offsets of the
/// joined text taken as offsets of its own cell: a wrong line in the picture, or no picture.
#[test]
fn evidence_in_another_cell_points_at_that_cell() {
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["import csv\n", "data = open(\"readings.csv\").read()\n"]},
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["total = sum([len(row) for row in data.splitlines()])\n"]}
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let project = project(&[("readings.ipynb", &format!("{notebook:#}\n"))]);
    let run = |format: &str| {
        let output = edgelint(project.path())
            .args(["--select", "EL201", "--output-format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        String::from_utf8(output.stdout).unwrap()
    };
    let place = "(the whole content of a file, read from here: readings.ipynb:cell 1:2:8)";
    assert!(run("concise").contains(place), "{}", run("concise"));

    let full = run("full");
    assert!(full.contains("--> readings.ipynb:cell 2:1:13"), "{full}");
    assert!(full.contains("--> readings.ipynb:cell 1:2:8"), "{full}");
    assert!(
        full.contains("2 | data = open(\"readings.csv\").read()"),
        "{full}"
    );

    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let evidence = &json[0]["evidence"];
    assert_eq!(evidence["filename"], "readings.ipynb");
    assert_eq!(evidence["cell"], 1);
    assert_eq!(evidence["location"]["row"], 2);

    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let related = &sarif["runs"][0]["results"][0]["relatedLocations"][0];
    let text = related["message"]["text"].as_str().unwrap();
    assert!(text.starts_with("cell 1, line 2, column 8: "), "{text}");
    assert!(
        related["physicalLocation"].get("region").is_none(),
        "{related:#}"
    );
}

/// Bug: EL308 said a notebook's top-level load is "kept for the life of every process that
/// imports this module"; nothing imports a notebook. The same line in a module still fires.
#[test]
fn a_notebook_loading_its_data_is_not_an_import_time_load() {
    let load = "import pickle\nvocabulary = pickle.load(open(\"vocabulary.pkl\", \"rb\"))\n";
    let notebook = serde_json::json!({
        "cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                   "source": load}],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let project = project(&[
        ("session.ipynb", &format!("{notebook:#}\n")),
        ("vocabulary.py", load),
    ]);
    let output = edgelint(project.path())
        .args(["--select", "EL308", "--output-format", "concise"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("vocabulary.py:2:14: EL308"), "{stdout}");
    assert!(!stdout.contains("session.ipynb"), "{stdout}");
}
