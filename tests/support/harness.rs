//! The fixture harness: each `fixtures/<CODE>_<anything>.py` runs with its rule alone. A line
//! that must fire carries `# error: CODE` (a code once per expected finding); every other line
//! must stay silent. Beside it, `<fixture>.out` holds the exact `full` output (no colour); a
//! missing or different golden file fails, and `EDGELINT_BLESS=1` rewrites it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use std::cell::RefCell;

use edgelint_diagnostics::{draw, Message};
use edgelint_linter::{
    check_text, fix_text, lint_path, FixMode, FixedSource, LintOptions, ReleasedInRun,
};
use edgelint_project::{lexical, ProjectIndex};
use edgelint_rules::{find_rule, PythonVersion, Rule, RuleSelector, RuleSet};
use edgelint_semantic::ProjectTrace;

pub fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures_dir() -> PathBuf {
    repository_root().join("fixtures")
}

/// Every fixture, sorted.
pub fn fixture_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures folder exists")
        .map(|entry| entry.expect("fixtures are readable").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "py" || extension == "ipynb")
        })
        .collect();
    paths.sort();
    paths
}

/// The rule a fixture is for, from its file name.
pub fn fixture_rule(path: &Path) -> Result<&'static Rule, String> {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    let code = name.split('_').next().unwrap_or("");
    find_rule(code).ok_or_else(|| {
        format!(
            "{name}: the name must start with the code of a registered rule, and `{code}` is none"
        )
    })
}

pub fn golden_path(fixture: &Path) -> PathBuf {
    fixture.with_extension("out")
}

/// The fixture's name as reports show it.
fn display_name(fixture: &Path) -> String {
    let name = fixture
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    format!("fixtures/{name}")
}

/// The rules a rule's fixtures and examples run with: the rule alone, except `unused-noqa`,
/// which reports on the suppressions of the other rules and so runs with the default ones.
pub fn rules_to_test(rule: &'static Rule) -> RuleSet {
    if rule.code == edgelint_rules::engine::UNUSED_NOQA.code {
        RuleSet::resolve(None, &[RuleSelector::Rule(rule.code)], &[])
    } else {
        RuleSet::only(&[rule])
    }
}

/// The rules a fixture runs with: [`rules_to_test`], reporting the unproven findings too, so
/// that the markers check both tiers (`# error:` for a finding shown by default, `# pedantic:`
/// for one shown only with `--pedantic`).
pub fn fixture_rules(rule: &'static Rule) -> RuleSet {
    rules_to_test(rule).with_pedantic(true)
}

/// Where a fixture's source after every fix is kept.
pub fn fixed_path(fixture: &Path) -> PathBuf {
    fixture.with_extension("fixed")
}

fn options(rules: &RuleSet) -> LintOptions<'_> {
    LintOptions {
        rules,
        severities: &[],
        target_version: PythonVersion::DEFAULT,
        project: None,
    }
}

/// Lints a fixture with its rule alone and returns the messages and the rendered output.
pub fn run_fixture(fixture: &Path) -> Result<(Vec<Message>, String), String> {
    let rule = fixture_rule(fixture)?;
    let rules = fixture_rules(rule);
    let messages = lint_path(fixture, &display_name(fixture), options(&rules))
        .map_err(|error| format!("internal error: {}", error.message))?;
    let rendered = messages
        .iter()
        .map(|message| draw(message, false, false))
        .collect();
    Ok((messages, rendered))
}

/// Every project fixture: a folder `fixtures/<CODE>_<anything>/` holding a small project (a
/// package, or modules beside each other) whose findings need more than one file, sorted.
pub fn project_fixture_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures folder exists")
        .map(|entry| entry.expect("fixtures are readable").path())
        .filter(|path| path.is_dir())
        .collect();
    paths.sort();
    paths
}

/// The Python files of a project fixture, sorted.
fn project_files(project: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![project.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("fixture folders are readable") {
            let path = entry.expect("fixtures are readable").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The messages of each file of a project fixture.
pub type ProjectMessages = Vec<(PathBuf, Vec<Message>)>;

/// Lints every file of a project fixture with its rule alone, as one project, and returns the
/// messages (by file) and the rendered output of them all.
pub fn run_project_fixture(project: &Path) -> Result<(ProjectMessages, String), String> {
    let rule = fixture_rule(project)?;
    let rules = fixture_rules(rule);
    let base = fixtures_dir()
        .parent()
        .expect("the fixtures folder is in the repository")
        .to_path_buf();
    let name = move |path: &Path| {
        let relative = path.strip_prefix(&base).unwrap_or(path);
        relative.to_string_lossy().replace('\\', "/")
    };
    // Each file is read for its summary when another needs it: what the harness checks is that
    // the findings do not depend on the order files are checked in.
    let index = ProjectIndex::new(&[project.to_path_buf()], name.clone(), None);
    let mut found = Vec::new();
    let mut released = ReleasedInRun::default();
    for file in project_files(project) {
        let view = index.view(&file, None);
        let trace = RefCell::<ProjectTrace>::default();
        let options = LintOptions {
            project: Some(view.context(&trace)),
            ..options(&rules)
        };
        let messages = lint_path(&file, &name(&file), options)
            .map_err(|error| format!("internal error: {}", error.message))?;
        let trace = trace.take();
        for object in trace.shrunk {
            released.add_shrunk(name(lexical(&object.path)), object.name);
        }
        released.add_handed_out(&trace.handed_out);
        found.push((file, messages));
    }
    // As the run does once every file is checked.
    let mut rendered = String::new();
    for (_, messages) in &mut found {
        released.drop_findings(messages);
        rendered.extend(messages.iter().map(|message| draw(message, false, false)));
    }
    Ok((found, rendered))
}

/// Checks a project fixture against the markers of each of its files and against `golden`.
pub fn check_project_fixture(project: &Path, golden: Option<&str>) -> Result<String, String> {
    let (files, rendered) = run_project_fixture(project)?;
    let mut problems = String::new();
    for (file, messages) in &files {
        let source = std::fs::read_to_string(file).map_err(|error| error.to_string())?;
        let expected = markers(&source);
        let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for message in messages {
            found
                .entry(message.location.row)
                .or_default()
                .push(found_code(message));
            check_message_style(message, &mut problems);
            check_help_code(message, &mut problems);
        }
        let rows: std::collections::BTreeSet<&usize> =
            expected.keys().chain(found.keys()).collect();
        for row in rows {
            let mut want = expected.get(row).cloned().unwrap_or_default();
            let mut got = found.get(row).cloned().unwrap_or_default();
            want.sort();
            got.sort();
            if want != got {
                let _ = writeln!(
                    problems,
                    "{}:{row}: expected {want:?} from the markers, found {got:?}",
                    file.display()
                );
            }
        }
    }
    check_golden(&golden_path(project), golden, &rendered, &mut problems);
    if problems.is_empty() {
        Ok(rendered)
    } else {
        Err(format!("{}:\n{problems}", project.display()))
    }
}

/// Compares the rendered output with its golden file's contents (`None`: missing).
fn check_golden(path: &Path, golden: Option<&str>, rendered: &str, problems: &mut String) {
    match golden {
        None => {
            let _ = writeln!(
                problems,
                "missing golden file {}: run `EDGELINT_BLESS=1 cargo test` to create it",
                path.display()
            );
        }
        Some(golden) if golden != rendered => {
            let diff = similar::TextDiff::from_lines(golden, rendered);
            let _ = writeln!(
                problems,
                "the output differs from the golden file (- golden, + actual):\n{}",
                diff.unified_diff().context_radius(2)
            );
        }
        Some(_) => {}
    }
}

/// Checks a fixture against its markers and against `golden` (the expected rendered output, or
/// `None` when the golden file is missing). Returns every problem found.
pub fn check_fixture(fixture: &Path, golden: Option<&str>) -> Result<String, String> {
    let (messages, rendered) = run_fixture(fixture)?;
    let bytes = std::fs::read(fixture).map_err(|error| error.to_string())?;
    // Markers are read even from files that are not valid UTF-8 (the io-error fixture).
    let source = String::from_utf8_lossy(&bytes);

    let mut problems = String::new();
    let expected = if is_notebook(fixture) {
        notebook_markers(&source)?
    } else {
        markers(&source)
            .into_iter()
            .map(|(row, codes)| (Place { cell: None, row }, codes))
            .collect()
    };
    let mut found: BTreeMap<Place, Vec<String>> = BTreeMap::new();
    for message in &messages {
        let place = Place {
            cell: message.cell,
            row: message.location.row,
        };
        found.entry(place).or_default().push(found_code(message));
        check_message_style(message, &mut problems);
        check_help_code(message, &mut problems);
    }
    for row in expected
        .keys()
        .chain(found.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let mut want = expected.get(row).cloned().unwrap_or_default();
        let mut got: Vec<String> = found.get(row).cloned().unwrap_or_default();
        want.sort();
        got.sort();
        if want != got {
            let _ = writeln!(
                problems,
                "{row}: expected {want:?} from the markers, found {got:?}"
            );
        }
    }

    check_golden(&golden_path(fixture), golden, &rendered, &mut problems);
    if problems.is_empty() {
        Ok(rendered)
    } else {
        Err(format!("{}:\n{problems}", fixture.display()))
    }
}

/// Applies every fix of the fixture's rule, unsafe ones included, to `text`.
pub fn fix_fixture_text(fixture: &Path, text: &str) -> Result<FixedSource, String> {
    let rules = fixture_rules(fixture_rule(fixture)?);
    let name = display_name(fixture);
    fix_text(text, fixture, &name, options(&rules), FixMode::Unsafe)
        .map_err(|error| format!("{name}: internal error while fixing: {}", error.message))
}

/// The fixture's source after every fix, or `None` when nothing changes (or the fixture is not
/// readable source).
pub fn fix_fixture(fixture: &Path) -> Result<Option<String>, String> {
    let Ok(text) = edgelint_source::read_source(fixture) else {
        return Ok(None);
    };
    let fixed = fix_fixture_text(fixture, &text)?;
    Ok((fixed.text != text).then_some(fixed.text))
}

/// Checks a fixture's fixes: applying them gives `golden` (the `.fixed` file, which exists
/// exactly when the fixes change something), no fix breaks the syntax or fails to settle, and
/// a second round finds nothing more to fix.
pub fn check_fixes(fixture: &Path, golden: Option<&str>) -> Result<(), String> {
    let mut problems = String::new();
    let text = edgelint_source::read_source(fixture).unwrap_or_default();
    check_each_fix_in_place(fixture, &text, &mut problems)?;
    let fixed = fix_fixture_text(fixture, &text)?;
    for code in &fixed.refused {
        let _ = writeln!(problems, "a fix of {code} produced invalid Python");
    }
    if !fixed.unsettled.is_empty() {
        let _ = writeln!(problems, "the fixes of {:?} never settle", fixed.unsettled);
    }
    let fixed_path = fixed_path(fixture);
    match (golden, fixed.text != text) {
        (None, false) => {}
        (Some(_), false) => {
            let _ = writeln!(
                problems,
                "{} is orphaned: no fix changes the fixture; run `EDGELINT_BLESS=1 cargo test` to remove it",
                fixed_path.display()
            );
        }
        (None, true) => {
            let _ = writeln!(
                problems,
                "missing {}: run `EDGELINT_BLESS=1 cargo test` to create it",
                fixed_path.display()
            );
        }
        (Some(golden), true) if golden != fixed.text => {
            let diff = similar::TextDiff::from_lines(golden, fixed.text.as_str());
            let _ = writeln!(
                problems,
                "the fixed source differs from {} (- golden, + actual):\n{}",
                fixed_path.display(),
                diff.unified_diff().context_radius(2)
            );
        }
        (Some(_), true) => {}
    }
    let again = fix_fixture_text(fixture, &fixed.text)?;
    if !again.applied.is_empty() {
        let _ = writeln!(
            problems,
            "fixing the fixed source again changes it ({:?}): a fix leaves what it fixes",
            again.applied
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n{problems}", fixture.display()))
    }
}

/// Checks each fix of the fixture alone: it keeps the shape of the code around what it
/// replaces (see `edgelint_rules::fix_check`). Notebooks are checked through their cells' text
/// by the fix round above.
fn check_each_fix_in_place(
    fixture: &Path,
    text: &str,
    problems: &mut String,
) -> Result<(), String> {
    if is_notebook(fixture) {
        return Ok(());
    }
    let rules = fixture_rules(fixture_rule(fixture)?);
    let diagnostics = check_text(text, fixture, &rules, PythonVersion::DEFAULT, None);
    for diagnostic in &diagnostics {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        if let Err(problem) = edgelint_rules::fix_check::check_fix_structure(text, fix) {
            let _ = writeln!(
                problems,
                "a fix of {} changes the code around it: {problem}",
                diagnostic.code
            );
        }
    }
    Ok(())
}

/// Where a marker or a finding is: a line, or in a notebook a line of a cell.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    cell: Option<usize>,
    row: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.cell {
            Some(cell) => write!(f, "cell {cell} line {}", self.row),
            None => write!(f, "line {}", self.row),
        }
    }
}

fn is_notebook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "ipynb")
}

/// The markers of a notebook's code cells, by cell (one-based, every cell counted) and line.
fn notebook_markers(json: &str) -> Result<BTreeMap<Place, Vec<String>>, String> {
    let notebook: serde_json::Value =
        serde_json::from_str(json).map_err(|error| format!("not a notebook: {error}"))?;
    let cells = notebook["cells"].as_array().cloned().unwrap_or_default();
    let mut found = BTreeMap::new();
    for (index, cell) in cells.iter().enumerate() {
        if cell["cell_type"] != "code" {
            continue;
        }
        let source = match &cell["source"] {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Array(lines) => {
                lines.iter().filter_map(|line| line.as_str()).collect()
            }
            _ => String::new(),
        };
        for (row, codes) in markers(&source) {
            let place = Place {
                cell: Some(index + 1),
                row,
            };
            found.insert(place, codes);
        }
    }
    Ok(found)
}

/// A finding as markers name it: its code, after `pedantic ` when only `--pedantic` shows it.
fn found_code(message: &Message) -> String {
    match message.unproven {
        Some(_) => format!("pedantic {}", message.code),
        None => message.code.to_string(),
    }
}

/// Expected findings by one-based line, from `# error: CODE, CODE` markers (shown by default)
/// and `# pedantic: CODE` markers (shown only with `--pedantic`), named as [`found_code`] does.
fn markers(source: &str) -> BTreeMap<usize, Vec<String>> {
    let mut markers: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (index, line) in source.lines().enumerate() {
        for (marker, prefix) in [("# error:", ""), ("# pedantic:", "pedantic ")] {
            let Some(position) = line.find(marker) else {
                continue;
            };
            let codes = line[position + marker.len()..]
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|word| !word.is_empty())
                .take_while(|word| word.starts_with("EL"))
                .map(|code| format!("{prefix}{code}"));
            markers.entry(index + 1).or_default().extend(codes);
        }
    }
    markers
}

/// Messages read like rustc's: lower-case start, no trailing period, and one line (every
/// format prints them on one line).
fn check_message_style(message: &Message, problems: &mut String) {
    let text = &message.message;
    let starts_lower = text.chars().next().is_some_and(|c| !c.is_uppercase());
    if !starts_lower || text.ends_with('.') || text.contains(['\n', '\r']) {
        let _ = writeln!(
            problems,
            "{}: a message starts in lower case, is one line and has no final period: {text:?}",
            message.code
        );
    }
}

/// Code in a help line is whole, valid Python: every `backticked` fragment parses, as an
/// expression or statements; as a decorator or a block header (`@dataclass(slots=True)`,
/// `with torch.inference_mode():`) when it is one; as a method (`.ravel()`) after a name. A
/// keyword or an operator alone (`del`, `+=`, `finally:`) names a construct and is not checked.
fn check_help_code(message: &Message, problems: &mut String) {
    let Some(help) = &message.help else {
        return;
    };
    for fragment in help.split('`').skip(1).step_by(2) {
        let construct = fragment
            .trim_end_matches(':')
            .chars()
            .all(|c| c.is_ascii_lowercase() || "+-*/=%&|^<>!".contains(c));
        let source = if fragment.starts_with('@') {
            format!("{fragment}\ndef f(): pass\n")
        } else if fragment.ends_with(':') {
            format!("{fragment}\n    pass\n")
        } else if fragment.starts_with('.') {
            format!("x{fragment}\n")
        } else {
            format!("{fragment}\n")
        };
        if !construct && ruff_python_parser::parse_module(&source).is_err() {
            let _ = writeln!(
                problems,
                "{}: the help line's code `{fragment}` is not valid Python: {help:?}",
                message.code
            );
        }
    }
}
