use std::path::Path;

use edgelint_rules::find_rule;

use super::*;

fn parse(name: &str, source: &str) -> Result<Config, ConfigError> {
    Config::parse(Path::new(name), source.to_string())
}

fn enabled(config: &Config, file: &str, code: &str) -> bool {
    let rules = config.rules_for(&config.root.join(file), &RuleSelection::default());
    let found = rules.iter().any(|rule| rule.code == code);
    found
}

#[test]
fn select_ignore_and_extend_select_resolve_like_the_command_line() {
    let config = parse(
        "edgelint.toml",
        "select = [\"EL2\"]\nignore = [\"EL206\"]\nextend-select = [\"EL503\"]\n",
    )
    .unwrap();
    assert!(enabled(&config, "a.py", "EL201"));
    assert!(!enabled(&config, "a.py", "EL206"));
    assert!(enabled(&config, "a.py", "EL503"));
    assert!(!enabled(&config, "a.py", "EL101"));
}

#[test]
fn the_command_line_select_replaces_the_files() {
    let config = parse("edgelint.toml", "select = [\"EL2\"]\n").unwrap();
    let cli = RuleSelection {
        select: Some(vec![RuleSelector::from_str("EL101").unwrap()]),
        ..RuleSelection::default()
    };
    let rules = config.rules_for(Path::new("a.py"), &cli);
    let codes: Vec<_> = rules.iter().map(|rule| rule.code).collect();
    assert!(codes.contains(&"EL101"));
    assert!(!codes.contains(&"EL201"));
}

#[test]
fn per_file_ignores_match_relative_paths_and_file_names() {
    let config = parse(
        "edgelint.toml",
        "[per-file-ignores]\n\"tests/**\" = [\"EL501\"]\n\"conftest.py\" = [\"EL2\"]\n",
    )
    .unwrap();
    assert!(!enabled(&config, "tests/unit/test_a.py", "EL501"));
    assert!(enabled(&config, "src/a.py", "EL501"));
    assert!(!enabled(&config, "src/conftest.py", "EL201"));
    assert!(enabled(&config, "src/other.py", "EL201"));
}

#[test]
fn an_unknown_key_points_at_it_and_lists_the_known_ones() {
    let error = parse("edgelint.toml", "select = [\"EL2\"]\nselct = [\"EL1\"]\n").unwrap_err();
    let text = error.to_string();
    assert!(text.contains("unknown field `selct`"), "{text}");
    assert!(text.contains("expected one of"), "{text}");
    assert!(text.contains("edgelint.toml:2:1"), "{text}");
    assert!(text.contains("^^^^^"), "{text}");
}

#[test]
fn an_unknown_rule_code_points_at_the_value_with_a_suggestion() {
    let error = parse("edgelint.toml", "ignore = [\"EL209\", \"EL9999\"]\n").unwrap_err();
    let text = error.to_string();
    assert!(text.contains("unknown rule selector `EL9999`"), "{text}");
    assert!(text.contains("edgelint.toml:1:20"), "{text}");
}

#[test]
fn a_value_of_the_wrong_type_is_an_error() {
    let error = parse("edgelint.toml", "select = \"EL2\"\n").unwrap_err();
    let text = error.to_string();
    assert!(text.contains("invalid type"), "{text}");
    assert!(text.contains("edgelint.toml:1:10"), "{text}");
}

#[test]
fn a_bad_target_version_lists_the_supported_ones() {
    let error = parse("edgelint.toml", "target-version = \"py27\"\n").unwrap_err();
    let text = error.to_string();
    assert!(text.contains("unknown target version `py27`"), "{text}");
    assert!(text.contains("`py310`"), "{text}");
}

#[test]
fn target_version_falls_back_to_requires_python() {
    let config = parse(
        "pyproject.toml",
        "[project]\nrequires-python = \">=3.9,<4\"\n\n[tool.edgelint]\nselect = [\"ALL\"]\n",
    )
    .unwrap();
    assert_eq!(config.target_version, Some(PythonVersion::new(3, 9)));
    let explicit = parse(
        "pyproject.toml",
        "[project]\nrequires-python = \">=3.9\"\n[tool.edgelint]\ntarget-version = \"py312\"\n",
    )
    .unwrap();
    assert_eq!(explicit.target_version.unwrap().to_string(), "py312");
}

#[test]
fn other_tools_keys_in_pyproject_are_not_ours_to_reject() {
    let config = parse(
        "pyproject.toml",
        "[tool.ruff]\nline-length = 100\n[tool.edgelint]\nignore = [\"EL101\"]\n",
    )
    .unwrap();
    assert_eq!(config.ignore.len(), 1);
    assert!(find_rule("EL101").is_some());
}

#[test]
fn an_unknown_output_format_points_at_the_value() {
    let config = parse("edgelint.toml", "output-format = \"fancy\"\n").unwrap();
    let error = config.output_format().unwrap_err();
    assert!(error.to_string().contains("unknown output format `fancy`"));
    assert!(error
        .to_string()
        .contains("expected one of `full`, `concise`, `json`"));
    let config = parse("edgelint.toml", "output-format = \"json-lines\"\n").unwrap();
    assert_eq!(
        config.output_format().unwrap(),
        Some(OutputFormat::JsonLines)
    );
    assert!(error.to_string().contains("edgelint.toml:1:17"));
}

#[test]
fn the_closest_file_wins_and_pyproject_without_a_table_is_skipped() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("project");
    let package = project.join("package");
    let nested = package.join("nested");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(project.join("edgelint.toml"), "select = [\"EL1\"]\n").unwrap();
    std::fs::write(
        package.join("pyproject.toml"),
        "[tool.black]\nline-length = 80\n",
    )
    .unwrap();
    std::fs::write(nested.join(".edgelint.toml"), "select = [\"EL2\"]\n").unwrap();
    std::fs::write(nested.join("edgelint.toml"), "select = [\"EL3\"]\n").unwrap();
    let resolver = ConfigResolver::new(None, false);
    let for_package = resolver.for_file(&package.join("a.py")).unwrap().unwrap();
    assert_eq!(for_package.path, project.join("edgelint.toml"));
    let for_nested = resolver.for_file(&nested.join("b.py")).unwrap().unwrap();
    assert_eq!(for_nested.path, nested.join(".edgelint.toml"));
    let isolated = ConfigResolver::new(None, true);
    assert!(isolated.for_file(&nested.join("b.py")).unwrap().is_none());
}

#[test]
fn an_invalid_file_is_read_once_for_every_directory_below_it() {
    let root = tempfile::tempdir().unwrap();
    let nested = root.path().join("package").join("nested");
    std::fs::create_dir_all(&nested).unwrap();
    let file = root.path().join("edgelint.toml");
    std::fs::write(&file, "selekt = 1\n").unwrap();
    let resolver = ConfigResolver::new(None, false);
    let first = resolver.for_file(&nested.join("a.py")).unwrap_err();
    // Read again, the file would now be valid: the failure is what the run keeps.
    std::fs::write(&file, "select = [\"EL1\"]\n").unwrap();
    assert_eq!(resolver.for_file(&nested.join("b.py")).unwrap_err(), first);
    assert_eq!(
        resolver
            .for_file(&root.path().join("package").join("c.py"))
            .unwrap_err(),
        first
    );
}
