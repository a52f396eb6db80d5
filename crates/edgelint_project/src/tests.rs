use std::fs;
use std::path::{Path, PathBuf};

use edgelint_semantic::{Project, Returned};

use super::{ModuleIdentity, ProjectIndex};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

fn index(root: &Path) -> ProjectIndex<'static> {
    let base = root.to_path_buf();
    let display = move |path: &Path| {
        path.strip_prefix(&base)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    ProjectIndex::new(&[root.to_path_buf()], display, None)
}

#[test]
fn a_module_in_a_package_imports_relatively_from_its_package() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    write(
        root,
        &[
            ("src/pkg/__init__.py", ""),
            ("src/pkg/sub/__init__.py", ""),
            ("src/pkg/sub/io.py", ""),
            ("tool.py", ""),
        ],
    );
    let identity = ProjectIndex::identity(&root.join("src/pkg/sub/io.py"));
    assert_eq!(
        identity,
        ModuleIdentity {
            root: root.join("src"),
            package: Some("pkg.sub".to_string()),
        }
    );
    let init = ProjectIndex::identity(&root.join("src/pkg/__init__.py"));
    assert_eq!(init.package.as_deref(), Some("pkg"));
    assert_eq!(ProjectIndex::identity(&root.join("tool.py")).package, None);
}

#[test]
fn absolute_imports_are_found_from_the_package_root_and_the_src_folder() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    write(
        root,
        &[
            ("src/pkg/__init__.py", "from .io import load\n"),
            (
                "src/pkg/io.py",
                "def load(path):\n    with open(path) as f:\n        return f.read()\n",
            ),
            ("tests/test_io.py", "import pkg\n"),
        ],
    );
    let index = index(root);
    let test_path = root.join("tests/test_io.py");
    let test = ProjectIndex::identity(&test_path);
    let view = index.view(&test_path, &test, None);
    let io = view.module("pkg.io").expect("found under src/");
    let Returned::Value {
        big: Some((_, Some(evidence))),
        ..
    } = &io.functions["load"].returns
    else {
        panic!("load returns a whole file: {:?}", io.functions["load"]);
    };
    assert_eq!(
        evidence.path,
        PathBuf::from("src/pkg/io.py").display().to_string()
    );
    // The file is opened on line 2: that is where its content comes from.
    assert_eq!(evidence.start, (2, 10));
    assert_eq!(evidence.snippet, "    with open(path) as f:\n");
    assert_eq!(
        evidence.message,
        "`load()` returns the whole content of a file, read from here"
    );
    let package = view.module("pkg").expect("the package's __init__");
    assert_eq!(package.imports["load"], "pkg.io.load");
    assert!(view.module("pkg.missing").is_none());
    assert!(view.module("json").is_none(), "not a module of the project");
}
