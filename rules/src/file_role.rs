//! What a file's path says its code is for: tests, an example or tool, a program run from the
//! command line. Told once per check, in one pass over the path (walking it once per question
//! cost 0.7 % of a run on Django's small modules).

use std::path::{Component, Path};

use edgelint_source::FileKind;

/// What a file's path says its code is for.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FileRole {
    /// A test or benchmark module (`test_*.py`, `*_test.py`, `testing_*.py`, `bench_*.py`,
    /// `tests.py`, `conftest.py`) or a file in a test or benchmark folder (`test/`, `tests/`,
    /// `testing/`, `*_test/`, `*_tests/`, `test_*/` such as `test_utils/`, `bench/`,
    /// `benchmarks/`).
    pub test: bool,
    /// Of test code, a module whose own name says it holds tests (`test_*.py`, `*_test.py`,
    /// `tests.py`, `conftest.py`, `bench_*.py`), not a helper that tests import
    /// (`testing_utils.py`, `tests/helpers.py`).
    pub test_module: bool,
    /// An example or a developer's tool shipped beside the library: a file in a `tools`,
    /// `examples` or `demo` folder (one of the three around it).
    pub example: bool,
    /// A program run from the command line, not a library module: `__main__.py`, an example,
    /// or a file in a `cli`, `scripts` or `bin` folder (one of the three around it).
    pub program: bool,
    /// A Jupyter notebook (`.ipynb`), whose cells are run one by one, at the user's pace.
    pub notebook: bool,
}

/// How many of the folders around a file tell its role: the folders further up say where the
/// project is, not what the file is.
const NEAREST_FOLDERS: usize = 3;

const EXAMPLE_FOLDERS: &[&str] = &["tools", "examples", "example", "demo", "demos"];
const PROGRAM_FOLDERS: &[&str] = &["cli", "scripts", "bin"];

impl FileRole {
    pub fn of(path: &Path) -> FileRole {
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default();
        let test_module = stem.starts_with("test_")
            || stem.starts_with("bench_")
            || stem.ends_with("_test")
            || matches!(stem, "tests" | "conftest");
        let mut test = test_module || stem.starts_with("testing_");
        // The names of the nearest folders, the nearest last; `None` for a part that is no
        // folder's name (`..`, the root), which still counts as one of them.
        let mut nearest: [Option<&str>; NEAREST_FOLDERS] = [None; NEAREST_FOLDERS];
        for part in path.parent().into_iter().flat_map(Path::components) {
            let name = part.as_os_str().to_str();
            test = test || name.is_some_and(is_test_folder);
            nearest.rotate_left(1);
            nearest[NEAREST_FOLDERS - 1] = match part {
                Component::Normal(_) => name,
                _ => None,
            };
        }
        let near = |names: &[&str]| nearest.iter().flatten().any(|name| names.contains(name));
        let example = near(EXAMPLE_FOLDERS);
        FileRole {
            test,
            test_module,
            example,
            program: example || stem == "__main__" || near(PROGRAM_FOLDERS),
            notebook: FileKind::of(path) == Some(FileKind::Notebook),
        }
    }
}

fn is_test_folder(name: &str) -> bool {
    matches!(
        name,
        "test" | "tests" | "testing" | "bench" | "benchmark" | "benchmarks"
    ) || name.ends_with("_test")
        || name.ends_with("_tests")
        || name.starts_with("test_")
        || name.starts_with("testing_")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::FileRole;

    #[test]
    fn test_code_is_told_by_its_file_name_or_folder() {
        for test in [
            "test_state.py",
            "pkg/state_test.py",
            "conftest.py",
            "app/tests.py",
            "tests/helpers.py",
            "pkg/test/support/__init__.py",
            "idlelib/idle_test/mock.py",
            "pkg/unit_tests/fakes.py",
            "numpy/testing/_private/utils.py",
            "transformers/testing_utils.py",
            "nibabel/benchmarks/bench_arrayproxy_slicing.py",
            "pkg/bench_decode.py",
            "apache_beam/yaml/test_utils/datadog_test_utils.py",
            // Any folder up the path.
            "/srv/tests/a/b/c/d/e.py",
        ] {
            assert!(FileRole::of(Path::new(test)).test, "{test}");
        }
        for production in [
            "state.py",
            "pkg/testing.py",
            "contest.py",
            "latest/app.py",
            "pkg/attest/keys.py",
            "tests_data.py",
            "pkg/benchmarking.py",
            "pkg/testimonials/views.py",
        ] {
            assert!(!FileRole::of(Path::new(production)).test, "{production}");
        }
    }

    #[test]
    fn modules_of_tests_are_told_from_the_helpers_beside_them() {
        for module in [
            "test_state.py",
            "pkg/state_test.py",
            "conftest.py",
            "app/tests.py",
            "pkg/bench_decode.py",
        ] {
            assert!(FileRole::of(Path::new(module)).test_module, "{module}");
        }
        for helper in [
            "tests/helpers.py",
            "numpy/testing/_private/utils.py",
            "transformers/testing_utils.py",
            "pkg/test/support/__init__.py",
        ] {
            let role = FileRole::of(Path::new(helper));
            assert!(role.test && !role.test_module, "{helper}");
        }
    }

    #[test]
    fn a_notebook_is_told_by_its_extension() {
        assert!(FileRole::of(Path::new("analysis/explore.ipynb")).notebook);
        for script in [
            "analysis/explore.py",
            "analysis/explore.pyi",
            "ipynb/explore.py",
        ] {
            assert!(!FileRole::of(Path::new(script)).notebook, "{script}");
        }
    }

    #[test]
    fn program_code_is_told_by_a_folder_near_the_file() {
        for program in [
            "pkg/__main__.py",
            "pymavlink/tools/mavkml.py",
            "pymavlink-2.4.50.data/scripts/mavkml.py",
            "kafka/cli/admin/partitions/list_offsets.py",
            "repo/examples/stream.py",
        ] {
            assert!(FileRole::of(Path::new(program)).program, "{program}");
        }
        for library in [
            "pkg/state.py",
            "pkg/toolkit/cache.py",
            "pkg/main.py",
            // Far up, a folder says where the project is, not what the file is.
            "/home/dev/tools/gateway/src/gateway/server/cache.py",
            "/home/dev/cli/gateway/src/gateway/cache.py",
        ] {
            assert!(!FileRole::of(Path::new(library)).program, "{library}");
        }
    }

    #[test]
    fn examples_are_told_by_a_folder_near_the_file() {
        for example in [
            "repo/examples/stream.py",
            "repo/demo/a/b/run.py",
            "tools/lint.py",
            "./tools/lint.py",
            "../../../tools/lint.py",
            "/tools/a/b/c.py",
        ] {
            let role = FileRole::of(Path::new(example));
            assert!(role.example && role.program, "{example}");
        }
        for library in [
            "repo/demo/a/b/c/run.py",
            // `..` counts among the nearest folders but names none.
            "tools/../a/b/x.py",
            "/tools/a/b/c/d.py",
            "pkg/tooling/x.py",
        ] {
            assert!(!FileRole::of(Path::new(library)).example, "{library}");
        }
    }
}
