use std::fs;
use std::path::{Path, PathBuf};

use edgelint_semantic::{Project, Returned};

use super::{lexical, ModuleIdentity, ProjectIndex};

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
    let index = index(root);
    let identity = index.identity(&root.join("src/pkg/sub/io.py"));
    assert_eq!(
        identity,
        ModuleIdentity {
            root: root.join("src"),
            package: Some("pkg.sub".to_string()),
        }
    );
    let init = index.identity(&root.join("src/pkg/__init__.py"));
    assert_eq!(init.package.as_deref(), Some("pkg"));
    assert_eq!(index.identity(&root.join("tool.py")).package, None);
}

#[test]
fn a_package_made_by_a_saved_init_file_is_seen_once_the_file_is_forgotten() {
    // The editor saves `src/pkg/__init__.py`: `src/pkg` becomes a package, and the package
    // root of its modules moves up to `src`, though it was found before the file existed.
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    write(root, &[("src/pkg/io.py", "")]);
    let index = index(root);
    let io = root.join("src/pkg/io.py");
    assert_eq!(index.identity(&io).root, root.join("src/pkg"));
    write(root, &[("src/pkg/__init__.py", "")]);
    assert_eq!(index.identity(&io).root, root.join("src/pkg"), "found once");
    index.forget(&root.join("src/pkg/__init__.py"));
    let identity = index.identity(&io);
    assert_eq!(identity.root, root.join("src"));
    assert_eq!(identity.package.as_deref(), Some("pkg"));
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
    let view = index.view(&root.join("tests/test_io.py"), None);
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
    assert_eq!(package.imports.get("load"), Some("pkg.io.load"));
    assert!(view.module("pkg.missing").is_none());
    assert!(view.module("json").is_none(), "not a module of the project");
}

#[test]
fn module_names_are_looked_for_under_the_folder_of_their_first_part() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    write(
        root,
        &[
            ("app.py", "import tool\n"),
            ("tool.py", "def run():\n    return 1\n"),
            ("namespace/reader.py", "def read():\n    return 2\n"),
        ],
    );
    let index = index(root);
    let view = index.view(&root.join("app.py"), None);
    assert!(view.module("tool").is_some(), "a module file of the root");
    assert!(
        view.module("tool.run").is_none(),
        "a module file is no package"
    );
    assert!(
        view.module("namespace.reader").is_some(),
        "a module of a folder without `__init__.py`"
    );
    assert!(view.module("namespace").is_none(), "a folder is no module");
    assert!(view.module("json.decoder").is_none());
}

#[test]
fn a_module_in_a_folder_made_after_a_lookup_is_found_once_its_file_is_forgotten() {
    // The editor saves `late/reader.py` in a new folder after a module asked for it.
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    write(root, &[("app.py", "from late.reader import read\n")]);
    let index = index(root);
    let app = root.join("app.py");
    assert!(index.view(&app, None).module("late.reader").is_none());
    write(root, &[("late/reader.py", "def read():\n    return 1\n")]);
    index.forget(&root.join("late/reader.py"));
    assert!(index.view(&app, None).module("late.reader").is_some());
}

/// A summary says a function runs long only when calling it blocks whatever the data: a
/// `while True:` that never leaves, a sleep, a wait; not a `for` loop, not a loop that breaks
/// or returns, and not a generator function (calling one runs none of its body).
#[test]
fn summaries_say_a_function_runs_long_only_when_it_blocks() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let source = "\
import time


def serve(server):
    while True:
        server.handle()


def pause():
    time.sleep(1)


def serve_via_helper(server):
    serve(server)


def parse(text):
    position = 0
    while True:
        if position >= len(text):
            break
        position += 1


def scan(items):
    for item in items:
        time.sleep(0)


def ticks():
    while True:
        yield time.time()
";
    write(root, &[("worker.py", source), ("main.py", "")]);
    let index = index(root);
    let worker = index
        .view(&root.join("main.py"), None)
        .module("worker")
        .expect("a module beside it");
    let runs_long = |name: &str| {
        worker
            .functions
            .get(name)
            .is_some_and(|function| function.long_running)
    };
    assert!(runs_long("serve"));
    assert!(runs_long("pause"));
    assert!(runs_long("serve_via_helper"));
    assert!(!runs_long("parse"));
    assert!(runs_long("scan"), "a sleep inside a loop still blocks");
    assert!(!runs_long("ticks"));
}

#[test]
fn summaries_say_where_a_function_called_backward_on_the_loss_it_returns() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let source = "\
def train_step(model, batch):
    loss = model(batch)
    loss.backward()
    return loss


def detached_step(model, batch):
    loss = model(batch)
    loss.backward()
    return loss.detach()


def other_value(model, batch):
    loss = model(batch)
    loss.backward()
    return batch


class Trainer:
    def step(self, batch):
        loss = self.model(batch)
        loss.backward()
        return loss
";
    write(root, &[("steps.py", source), ("main.py", "")]);
    let index = index(root);
    let steps = index
        .view(&root.join("main.py"), None)
        .module("steps")
        .expect("a module beside it");
    let backward_row = |name: &str| {
        steps
            .functions
            .get(name)
            .and_then(|function| function.backpropagated.as_ref())
            .map(|evidence| evidence.start.0)
    };
    assert_eq!(backward_row("train_step"), Some(3));
    assert_eq!(backward_row("Trainer.step"), Some(22));
    assert_eq!(backward_row("detached_step"), None);
    assert_eq!(backward_row("other_value"), None);
}

/// Each way one module empties or shrinks an object another module defines is recorded, by
/// the defining file and the object's name there; reads, and objects outside the project, are
/// not.
#[test]
fn a_module_records_what_it_shrinks_in_the_other_modules() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let user = "\
import json

import pkg.state
from pkg import LOG
from . import state
from .state import SEEN, load

# Shrinks, each of one object.
SEEN.pop(1)
state.PENDING.clear()
pkg.state.ROUTES = {}
del state.QUEUE[0]
state.BUFFER[:] = []
del LOG[:10]
load.cache_clear()
state.Registry.items.popitem()
state.TABLE: dict = {}
del state.CACHE
state.KEPT[state.LIMIT.pop()] = 1

# No shrinks.
state.KEPT.get(1)
load.cache_info()
state.KEPT[0] = 1
json.loads.cache_clear()
take = state.WAITING.pop
";
    write(
        root,
        &[
            ("pkg/__init__.py", "from .state import LOG\n"),
            ("pkg/state.py", "SEEN = {}\n"),
            ("pkg/user.py", user),
        ],
    );
    let index = index(root);
    let path = root.join("pkg/user.py");
    let view = index.view(&path, None);
    let trace = std::cell::RefCell::default();
    let parsed = edgelint_source::parse(user, &path);
    let model = edgelint_semantic::SemanticModel::of_source(
        parsed.syntax(),
        user,
        Some(view.context(&trace)),
    );
    let shrunk: Vec<(String, String)> = model
        .shrunk_in_other_modules()
        .into_iter()
        .map(|object| {
            let file = object
                .path
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string();
            (file, object.name)
        })
        .collect();
    let state = |name: &str| ("pkg/state.py".to_string(), name.to_string());
    assert_eq!(
        shrunk,
        [
            state("BUFFER"),
            state("CACHE"),
            state("LIMIT"),
            state("LOG"),
            state("PENDING"),
            state("QUEUE"),
            state("ROUTES"),
            state("Registry.items"),
            state("SEEN"),
            state("TABLE"),
            state("load"),
        ]
    );
}

#[test]
fn summaries_say_where_a_function_put_the_model_it_returns_in_eval_mode() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let source = "\
def load(path):
    model = Net()
    model.eval()
    return model


def load_chained(path):
    return Net().eval()


def load_for_training(path):
    model = Net()
    model.eval()
    model.train()
    return model


def load_other(path):
    model = Net()
    model.eval()
    return path
";
    write(root, &[("models.py", source), ("main.py", "")]);
    let index = index(root);
    let models = index
        .view(&root.join("main.py"), None)
        .module("models")
        .expect("a module beside it");
    let eval_row = |name: &str| {
        models
            .functions
            .get(name)
            .and_then(|function| function.evaluated.as_ref())
            .map(|evidence| evidence.start.0)
    };
    assert_eq!(eval_row("load"), Some(3));
    assert_eq!(eval_row("load_chained"), Some(8));
    assert_eq!(eval_row("load_for_training"), None);
    assert_eq!(eval_row("load_other"), None);
}

#[test]
fn lexical_keys_name_one_file_however_the_path_is_spelled() {
    let mut files = std::collections::HashMap::new();
    files.insert(lexical(Path::new("./pkg/io.py")).to_path_buf(), 1);
    assert_eq!(files.get(lexical(Path::new("pkg/io.py"))), Some(&1));
    assert_eq!(files.get(lexical(Path::new("pkg/./io.py"))), Some(&1));
    assert_eq!(files.get(lexical(Path::new("././pkg/io.py"))), Some(&1));
    assert_eq!(files.get(lexical(Path::new("pkg/io2.py"))), None);
}
