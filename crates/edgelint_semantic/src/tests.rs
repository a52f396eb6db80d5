//! Scoping tests: what each read of a name refers to, written as Python sources.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, ExprName, ModModule, Stmt};
use ruff_python_parser::parse_module;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange};

use crate::{BindingKind, SemanticModel, Target};

#[derive(Default)]
struct Names<'a> {
    names: Vec<&'a ExprName>,
}

impl<'a> Visitor<'a> for Names<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            self.names.push(name);
        }
        visitor::walk_expr(self, expr);
    }
}

/// What every read of `name` refers to, in source order: `builtin`, `unresolved`, or the line
/// and kind of the binding.
fn reads(source: &str, name: &str) -> Vec<String> {
    let parsed = parse_module(source).expect("test sources parse");
    let module: &ModModule = parsed.syntax();
    // With its text, as the linter builds it: a source without `:=` takes the builder's
    // shorter way of collecting a function's locals when it needs them before the body ends.
    let model = SemanticModel::of_source(module, source, None);
    let index = LineIndex::from_source_text(source);
    let mut names = Names::default();
    names.visit_body(&module.body);
    names
        .names
        .iter()
        .filter(|expr| expr.id.as_str() == name && expr.ctx == ExprContext::Load)
        .map(|expr| match model.target_of(*expr) {
            Target::Builtin => "builtin".to_string(),
            Target::Unresolved => "unresolved".to_string(),
            Target::Binding(id) => {
                let binding = model.binding(id);
                let line = index.line_index(binding.range.start()).get();
                let scope = match model.scope(binding.scope).kind {
                    crate::ScopeKind::Module => "module",
                    crate::ScopeKind::Class(_) => "class",
                    crate::ScopeKind::Function(_) => "function",
                    crate::ScopeKind::Lambda(_) => "lambda",
                    crate::ScopeKind::Comprehension => "comprehension",
                };
                let kind = match binding.kind {
                    BindingKind::Assignment { .. } => "assignment",
                    BindingKind::AugmentedAssignment { .. } => "augmented",
                    BindingKind::NamedExpr { .. } => "walrus",
                    BindingKind::Parameter { .. } => "parameter",
                    BindingKind::Import { .. } => "import",
                    BindingKind::FunctionDef(_) => "def",
                    BindingKind::ClassDef(_) => "class",
                    BindingKind::LoopTarget => "loop",
                    BindingKind::WithTarget { .. } => "with",
                    BindingKind::ExceptHandler => "except",
                    BindingKind::Other => "other",
                    BindingKind::Deletion { .. } => "deletion",
                };
                format!("{scope} {kind} line {line}")
            }
        })
        .collect()
}

fn model_test(source: &str, check: impl FnOnce(&SemanticModel, &ModModule)) {
    let parsed = parse_module(source).expect("test sources parse");
    let model = SemanticModel::new(parsed.syntax());
    check(&model, parsed.syntax());
}

#[test]
fn class_scope_is_not_visible_in_methods() {
    let source = "\
x = 1
class C:
    x = 2
    y = x
    def method(self):
        return x
";
    assert_eq!(
        reads(source, "x"),
        ["class assignment line 3", "module assignment line 1"]
    );
}

#[test]
fn a_class_body_reads_the_enclosing_name_until_it_binds_its_own() {
    let source = "\
x = 1
class C:
    y = x
    x = 2
";
    assert_eq!(reads(source, "x"), ["module assignment line 1"]);
}

#[test]
fn comprehension_targets_are_their_own_scope() {
    let source = "\
x = 1
ys = [x for x in range(3)]
z = x
";
    assert_eq!(
        reads(source, "x"),
        ["comprehension loop line 2", "module assignment line 1"]
    );
}

#[test]
fn comprehensions_in_a_class_body_see_the_class_only_in_their_first_iterable() {
    let source = "\
class C:
    n = 3
    a = [i for i in range(n)]
    b = [n for _ in range(2)]
";
    assert_eq!(reads(source, "n"), ["class assignment line 2", "builtin"]);
}

#[test]
fn names_bound_by_targets_are_local_in_a_module_without_a_walrus() {
    let source = "\
a = b = c = d = e = f = 0
def g(pairs, path):
    print(a, b, c, d, e, f)
    (a, [b, *c]) = pairs[0]
    for d in pairs:
        pass
    with open(path) as e:
        pass
    try:
        pass
    except OSError as f:
        pass
    return a, b, c, d, e
";
    assert_eq!(
        reads(source, "a"),
        ["unresolved", "function assignment line 4"]
    );
    assert_eq!(
        reads(source, "b"),
        ["unresolved", "function assignment line 4"]
    );
    assert_eq!(
        reads(source, "c"),
        ["unresolved", "function assignment line 4"]
    );
    assert_eq!(reads(source, "d"), ["unresolved", "function loop line 5"]);
    assert_eq!(reads(source, "e"), ["unresolved", "function with line 7"]);
    assert_eq!(reads(source, "f"), ["unresolved"]);
}

#[test]
fn walrus_binds_in_the_enclosing_function() {
    let source = "\
def f(xs):
    if any((hit := x) > 3 for x in xs):
        return hit
";
    assert_eq!(reads(source, "hit"), ["function walrus line 2"]);
}

#[test]
fn a_walrus_deep_in_a_value_makes_its_name_local_from_the_start() {
    let source = "\
hit = 0
def f(xs):
    print(hit)
    if any((hit := x) > 3 for x in xs):
        return hit
";
    assert_eq!(
        reads(source, "hit"),
        ["unresolved", "function walrus line 4"]
    );
}

#[test]
fn global_declarations_bind_the_module_name() {
    let source = "\
counter = 0
def bump():
    global counter
    counter += 1
    return counter
";
    assert_eq!(reads(source, "counter"), ["module augmented line 4"]);
    model_test(source, |model, _| {
        let first = model.module_scope();
        assert!(first.binding("counter").is_some());
        assert_eq!(
            model.references_of(crate::BindingId::new(0)).len(),
            1,
            "`counter += 1` reads the module's counter"
        );
    });
}

#[test]
fn nonlocal_declarations_bind_the_enclosing_function_name() {
    let source = "\
def outer():
    total = 0
    def add(n):
        nonlocal total
        total += n
    add(1)
    return total
";
    // `outer` runs its body first; `add`'s body is visited after it, and its `total += n` binds
    // `outer`'s name.
    assert_eq!(reads(source, "total"), ["function assignment line 2"]);
    model_test(source, |model, _| {
        let augmented = model
            .bindings
            .iter()
            .find(|binding| matches!(binding.kind, BindingKind::AugmentedAssignment { .. }))
            .unwrap();
        let ScopeKindName(kind) = scope_kind_name(model, augmented.scope);
        assert_eq!(kind, "outer");
    });
}

struct ScopeKindName(String);

fn scope_kind_name(model: &SemanticModel, scope: crate::ScopeId) -> ScopeKindName {
    ScopeKindName(match model.scope(scope).kind {
        crate::ScopeKind::Function(function) => function.name.to_string(),
        _ => "other".to_string(),
    })
}

#[test]
fn del_unbinds_a_name() {
    let source = "\
def f():
    x = 1
    del x
    return x
";
    // The `del` reads the binding of line 2; after it, `x` refers to nothing.
    assert_eq!(reads(source, "x"), ["unresolved"]);
    model_test(source, |model, _| {
        let assignment = model
            .bindings
            .iter()
            .position(|binding| matches!(binding.kind, BindingKind::Assignment { .. }))
            .unwrap();
        assert_eq!(
            model.references_of(crate::BindingId::new(assignment)).len(),
            1,
            "the del is a reference"
        );
    });
}

#[test]
fn except_as_names_are_unbound_after_the_handler() {
    let source = "\
e = 'module'
def f():
    try:
        pass
    except ValueError as e:
        print(e)
    return e
";
    assert_eq!(reads(source, "e"), ["function except line 5", "unresolved"]);
}

#[test]
fn a_local_read_before_its_assignment_is_not_the_global() {
    let source = "\
x = 1
def f():
    print(x)
    x = 2
";
    assert_eq!(reads(source, "x"), ["unresolved"]);
}

#[test]
fn reads_in_a_function_of_names_it_binds_further_on_are_unbound() {
    // A function's locals are known only once its body has been walked: reads from a
    // comprehension or a class body in it wait for them too.
    let source = "\
x = 1
y = 1
z = 1
def f():
    a = [x for _ in range(3)]
    class C:
        b = y
    print(z)
    if a:
        x = 2
    y: int
    return x
";
    assert_eq!(
        reads(source, "x"),
        ["unresolved", "function assignment line 10"]
    );
    assert_eq!(reads(source, "y"), ["unresolved"]);
    assert_eq!(reads(source, "z"), ["module assignment line 3"]);
}

#[test]
fn an_augmented_assignment_in_a_class_in_a_function_augments_the_name_it_reads() {
    let source = "\
x = 1
def f():
    class C:
        x += 1
    def g():
        x += 1
";
    model_test(source, |model, _| {
        let previous: Vec<Option<&str>> = model
            .bindings
            .iter()
            .filter_map(|binding| match binding.kind {
                BindingKind::AugmentedAssignment { previous } => {
                    Some(
                        previous.map(|id| match model.scope(model.binding(id).scope).kind {
                            crate::ScopeKind::Module => "module",
                            _ => "other",
                        }),
                    )
                }
                _ => None,
            })
            .collect();
        // The class body's `x` is read before it is bound there, from the module; `g`'s is
        // its own local, unbound when read.
        assert_eq!(previous, [Some("module"), None]);
    });
}

#[test]
fn function_bodies_see_the_end_of_the_module() {
    let source = "\
def f():
    return helper()
def helper():
    return 1
";
    assert_eq!(reads(source, "helper"), ["module def line 3"]);
}

#[test]
fn closures_capture_but_comprehensions_do_not() {
    let source = "\
def f(xs):
    data = load()
    kept = [d for d in data if d in xs]
    callback = lambda: data
    def inner():
        return kept
    return callback, inner
";
    model_test(source, |model, _| {
        let captured: Vec<(&str, bool)> = model
            .bindings
            .iter()
            .enumerate()
            .filter(|(_, binding)| matches!(binding.kind, BindingKind::Assignment { .. }))
            .map(|(index, binding)| {
                (
                    binding.name,
                    model.is_captured(crate::BindingId::new(index)),
                )
            })
            .collect();
        assert_eq!(
            captured,
            [("data", true), ("kept", true), ("callback", false)]
        );
    });
    let source = "\
def f(xs):
    data = load()
    return [d for d in data if d in xs]
";
    model_test(source, |model, _| {
        let data = model
            .bindings
            .iter()
            .position(|binding| binding.name == "data")
            .unwrap();
        assert!(!model.is_captured(crate::BindingId::new(data)));
    });
}

#[test]
fn imports_resolve_through_aliases() {
    let resolve = |source: &str| -> Option<String> {
        let parsed = parse_module(source).unwrap();
        let model = SemanticModel::new(parsed.syntax());
        let Some(ruff_python_ast::Stmt::Expr(statement)) = parsed.syntax().body.last() else {
            panic!("the last statement is a call");
        };
        let Expr::Call(call) = &*statement.value else {
            panic!("the last statement is a call");
        };
        model
            .resolve(&call.func)
            .map(|name| name.as_str().to_string())
    };
    assert_eq!(resolve("sum(x)").as_deref(), Some("builtins.sum"));
    assert_eq!(
        resolve("import numpy as np\nnp.zeros(3)").as_deref(),
        Some("numpy.zeros")
    );
    assert_eq!(
        resolve("from collections import Counter as C\nC(x)").as_deref(),
        Some("collections.Counter")
    );
    assert_eq!(
        resolve("import os.path\nos.path.join(a)").as_deref(),
        Some("os.path.join")
    );
    assert_eq!(
        resolve("from . import sum\nsum(x)"),
        None,
        "relative imports are unknown"
    );
    assert_eq!(
        resolve("from helpers import *\nsum(x)"),
        None,
        "a star import may bind anything"
    );
    assert_eq!(resolve("sum = 0\nsum(x)"), None);
    assert_eq!(resolve("def sum(): pass\nsum(x)"), None);
    // Shadowing is scoped: a parameter named `sum` elsewhere does not hide the builtin here.
    assert_eq!(
        resolve("def f(sum):\n    pass\nsum(x)").as_deref(),
        Some("builtins.sum")
    );
    assert_eq!(
        resolve("[sum for sum in y]\nsum(x)").as_deref(),
        Some("builtins.sum")
    );
}

#[test]
fn every_builtin_name_is_found_by_the_binary_search() {
    for name in crate::model::BUILTIN_NAMES {
        assert!(crate::model::is_builtin_name(name), "{name}");
    }
    assert!(!crate::model::is_builtin_name("numpy"));
}

#[test]
fn names_in_a_function_shadow_only_inside_it() {
    let source = "\
def f(values):
    sum = lambda items: 0
    return sum(values)
def g(values):
    return sum(values)
";
    assert_eq!(
        reads(source, "sum"),
        ["function assignment line 2", "builtin"]
    );
}

#[test]
fn parameters_defaults_are_evaluated_in_the_enclosing_scope() {
    let source = "\
size = 10
def f(size=size):
    return size
";
    assert_eq!(
        reads(source, "size"),
        ["module assignment line 1", "function parameter line 2"]
    );
}

#[test]
fn imported_packages_and_import_access() {
    model_test(
        "import numpy.linalg\nfrom itertools import islice as take\n",
        |model, _| {
            assert!(model.imports_any(crate::Packages::NUMPY));
            assert!(!model.imports_any(crate::Packages::TORCH | crate::Packages::PANDAS));
            assert_eq!(
                model.import_access("itertools.islice").as_deref(),
                Some("take")
            );
        },
    );
    model_test(
        "import itertools as it\ndef f():\n    from torch import nn\n",
        |model, _| {
            assert!(
                model.imports_any(crate::Packages::TORCH),
                "imports inside functions count"
            );
            assert_eq!(
                model.import_access("itertools.islice").as_deref(),
                Some("it.islice")
            );
            assert_eq!(model.import_access("collections.deque"), None);
        },
    );
}

#[test]
fn else_branch_does_not_see_bindings_of_the_if_body() {
    // Found on scikit-learn: `if mean is None: mean = np.zeros(n) else: mean = np.array(mean)`
    // read the `np.zeros` array in the `else` branch, and EL502 called `mean` an ndarray.
    let source = "\
def f(mean=None, flag=False):
    if mean is None:
        mean = 0
    elif flag:
        mean = mean + 1
    else:
        mean = list(mean)
    return mean
";
    assert_eq!(
        reads(source, "mean"),
        [
            "function parameter line 1",
            "function parameter line 1",
            "function parameter line 1",
            "function assignment line 7",
        ]
    );
}

#[test]
fn after_an_if_a_name_has_its_binding_from_the_last_clause_that_binds_it() {
    // Each clause starts from the bindings made before the statement, nested `if`s included;
    // after it, the last clause that binds a name gives its binding, and a clause that does
    // not bind it leaves the binding it had.
    let source = "\
def f(flag, other):
    x = 0
    y = 0
    if flag:
        x = 1
        if other:
            y = 2
        else:
            x = 3
    elif other:
        y = x
    else:
        y = 5
    return x, y
";
    assert_eq!(
        reads(source, "x"),
        ["function assignment line 2", "function assignment line 9"]
    );
    assert_eq!(reads(source, "y"), ["function assignment line 13"]);
}

#[test]
fn an_if_in_a_class_body_inside_an_if_takes_back_only_its_own_scope() {
    // The clauses of the inner `if` bind in the class's scope, those of the outer one in the
    // module's: each `if` takes back only the bindings of its own scope between its clauses.
    let source = "\
if flag:
    class A:
        if other:
            a = 1
        else:
            a = 2
        b = a
    x = 1
else:
    x = 2
    y = A
print(x, a)
";
    assert_eq!(reads(source, "a"), ["class assignment line 6", "builtin"]);
    assert_eq!(reads(source, "x"), ["module assignment line 10"]);
    assert_eq!(reads(source, "A"), ["builtin"]);
}

/// `resolves_to` answers as `resolve` does, for every expression statement of the source.
#[test]
fn resolves_to_agrees_with_resolve() {
    let source = "\
import numpy as np
import os.path
import builtins
from collections import deque as dq
def f(sum):
    sum
np.zeros
np.linalg.norm
os.path.join
os.getcwd
builtins.sum
sum
sum.x
len
dq
unknown.x
x = 1
x.y
f(1)
";
    let parsed = parse_module(source).expect("test sources parse");
    let model = SemanticModel::new(parsed.syntax());
    let candidates = [
        "numpy.zeros",
        "numpy.linalg.norm",
        "numpy",
        "os.path.join",
        "os.path",
        "os.getcwd",
        "builtins.sum",
        "builtins.sum.x",
        "builtins.len",
        "collections.deque",
        "unknown.x",
        "x.y",
        "zeros",
        "numpy.zerosx",
        "numpyx.zeros",
        "numpy.linalg",
    ];
    let mut checked = 0;
    for statement in &parsed.syntax().body {
        let ruff_python_ast::Stmt::Expr(expression) = statement else {
            continue;
        };
        let resolved = model.resolve(&expression.value);
        for candidate in candidates {
            let expected = resolved
                .as_ref()
                .is_some_and(|name| name.as_str() == candidate);
            assert_eq!(
                model.resolves_to(&expression.value, &[candidate]),
                expected,
                "{candidate} for the expression at {:?}",
                expression.range
            );
            checked += usize::from(expected);
        }
        // Asked of all the names at once, as rules do.
        assert_eq!(
            model.resolves_to(&expression.value, &candidates),
            resolved
                .as_ref()
                .is_some_and(|name| candidates.contains(&name.as_str())),
            "all candidates for the expression at {:?}",
            expression.range
        );
    }
    // np.zeros, np.linalg.norm, os.path.join, os.getcwd, builtins.sum, sum, len and dq.
    assert_eq!(checked, 8);
}

#[test]
fn a_modules_imports_are_found_by_name_and_the_last_import_of_a_name_wins() {
    let names: Vec<String> = (0..50).map(|index| format!("name{index}")).collect();
    let targets: Vec<String> = (0..50).map(|index| format!("pkg.mod{index}.f")).collect();
    let mut pairs: Vec<(&str, &str)> = names
        .iter()
        .zip(&targets)
        .map(|(name, target)| (name.as_str(), target.as_str()))
        .rev()
        .collect();
    pairs.push(("name7", "other.g"));
    let imports = crate::Imports::new(pairs);
    assert_eq!(imports.get("name0"), Some("pkg.mod0.f"));
    assert_eq!(imports.get("name49"), Some("pkg.mod49.f"));
    assert_eq!(imports.get("name7"), Some("other.g"));
    assert_eq!(imports.get("name"), None);
    assert_eq!(imports.get("name50"), None);
    assert_eq!(crate::Imports::default().get("x"), None);
}

#[test]
fn a_module_is_written_for_torchscript_when_a_marker_resolves_to_torch_jit() {
    let written_for_torchscript = |source: &str| {
        let mut answer = None;
        model_test(source, |model, _| {
            answer = Some(model.written_for_torchscript());
        });
        answer.unwrap()
    };
    assert!(written_for_torchscript(
        "import torch\nif torch.jit.is_scripting():\n    pass\n"
    ));
    assert!(written_for_torchscript(
        "import torch\nfrom torch import jit\n@jit.unused\ndef f(): pass\n"
    ));
    assert!(written_for_torchscript(
        "import torch\nimport torch.jit as tj\nx = tj.annotate(list, [])\n"
    ));
    // The names alone are not markers: another object's `unused`, or no torch at all.
    assert!(!written_for_torchscript(
        "import torch\nimport warnings\n@warnings.unused\ndef f(): pass\n"
    ));
    assert!(!written_for_torchscript(
        "import torch\nclass jit:\n    unused = 1\nx = jit.unused\n"
    ));
    assert!(!written_for_torchscript("from torch import jit as tj\n"));
    assert!(!written_for_torchscript("import numpy\nnumpy.jit.unused\n"));
}

/// Bug (bindings_named_was_quadratic): rules read through every binding of a scope for each
/// name they asked about, the square of a long function's length; a big scope's bindings are
/// now grouped by name once. The answers must be those of reading them all, in their order.
#[test]
fn bindings_named_answers_as_reading_every_binding_of_the_scope() {
    let mut source = String::from("def big(a):\n");
    for i in 0..400 {
        source.push_str(&format!("    v{} = a + {i}\n", i % 97));
    }
    source.push_str("    if (w := a):\n        v1 = w\n    for v2 in a:\n        del v3\n");
    source.push_str("    return [v4 for v4 in a]\n\n\ndef small(b):\n    x = b\n    x = x + 1\n");
    model_test(&source, |model, _| {
        for index in 0..model.scopes.len() {
            let id = crate::ScopeId::new(index);
            let mut names: Vec<&str> = (model.scope_bindings(id).iter())
                .map(|binding| model.binding(*binding).name)
                .collect();
            names.push("absent");
            for name in names {
                let read_through: Vec<_> = (model.bindings_in(id))
                    .filter(|(_, binding)| binding.name == name)
                    .map(|(binding, _)| binding)
                    .collect();
                let named: Vec<_> = (model.bindings_named(id, name))
                    .map(|(binding, _)| binding)
                    .collect();
                assert_eq!(named, read_through, "`{name}` in scope {index}");
            }
        }
        // Past the size read through: the grouped table answers for `big`.
        assert!(model
            .scopes
            .iter()
            .any(|scope| scope.bindings.len() > crate::model::SMALL_SCOPE));
    });
}

/// Bug (bindings_in_a_loop_were_read_for_every_finding): the loop rules read every binding of
/// a name for each finding in a loop, the square of a function's length when the name is
/// rebound in each of thousands of loops; a big scope's bindings of a name are now searched
/// by position. The answers must be those of filtering them all by range, also when a name is
/// bound before a binding written ahead of it (`v5 = (v5 := a)`).
#[test]
fn bindings_named_within_answers_as_filtering_every_binding_by_range() {
    let mut source = String::from("def big(a):\n");
    for i in 0..400 {
        source.push_str(&format!("    v{} = a + {i}\n", i % 97));
        if i % 50 == 0 {
            source.push_str("    v5 = (v5 := a)\n    for v6 in a:\n        v6 = v6 + 1\n");
        }
    }
    source.push_str("\n\ndef small(b):\n    x = b\n    for x in b:\n        x = x + 1\n");
    model_test(&source, |model, module| {
        let mut ranges: Vec<TextRange> = module
            .body
            .iter()
            .flat_map(|statement| match statement {
                Stmt::FunctionDef(function) => function.body.iter().map(Ranged::range).collect(),
                _ => Vec::new(),
            })
            .collect();
        ranges.extend(module.body.iter().map(Ranged::range));
        // Windows that cut statements in two.
        ranges.extend((0..source.len() as u32).step_by(37).map(|start| {
            TextRange::new(start.into(), (start + 300).min(source.len() as u32).into())
        }));
        let mut grouped = false;
        for (index, scope) in model.scopes.iter().enumerate() {
            let id = crate::ScopeId::new(index);
            grouped |= scope.bindings.len() > crate::model::SMALL_SCOPE;
            let names: std::collections::BTreeSet<&str> = (model.scope_bindings(id).iter())
                .map(|binding| model.binding(*binding).name)
                .chain(["absent"])
                .collect();
            for name in names {
                for range in &ranges {
                    let mut filtered: Vec<_> = (model.bindings_named(id, name))
                        .filter(|(_, binding)| range.contains_range(binding.range))
                        .map(|(binding, _)| binding)
                        .collect();
                    let mut within: Vec<_> = (model.bindings_named_within(id, name, *range))
                        .map(|(binding, _)| binding)
                        .collect();
                    filtered.sort_unstable();
                    within.sort_unstable();
                    assert_eq!(within, filtered, "`{name}` in scope {index}, {range:?}");
                }
            }
        }
        assert!(grouped, "the test needs a scope past the size read through");
    });
}

/// Bug (reference_of_was_quadratic): the read of a binding at a range was found by reading
/// every read of the binding, for each of them; past a few, it is searched by position. Every
/// read must still be found, and no read of another binding at the same place.
#[test]
fn reference_of_finds_every_read_of_a_binding_by_its_range() {
    let mut source = String::from("CACHE = {}\n");
    for i in 0..100 {
        source.push_str(&format!("def put{i}(k):\n    CACHE[k] = CACHE.get(k)\n"));
    }
    source.push_str("CACHE = []\nCACHE.append(CACHE)\nother = 1\nprint(other)\n");
    model_test(&source, |model, _| {
        let mut many = false;
        for (index, binding) in model.bindings.iter().enumerate() {
            let id = crate::BindingId::new(index);
            many |= model.references_of(id).len() > 32;
            for read in model.references_of(id) {
                let reference = model.reference(*read);
                let found = model.reference_of(id, reference.range);
                assert!(
                    found.is_some_and(|found| std::ptr::eq(found, reference)),
                    "the read of `{}` at {:?}",
                    binding.name,
                    reference.range
                );
            }
            // The reads of the other bindings of the module are not this one's.
            for (other, reference) in model.references.iter().enumerate() {
                if reference.target != Target::Binding(id) {
                    assert!(
                        model.reference_of(id, reference.range).is_none(),
                        "read {other} is not of `{}`",
                        binding.name
                    );
                }
            }
        }
        assert!(many, "the test needs a binding read more than a few times");
    });
}

#[test]
fn each_scope_has_its_own_bindings_in_the_order_they_were_made() {
    // Class bodies and comprehensions are walked inside their enclosing scope, and a global
    // declaration binds in the module: a scope's bindings are not one run of the table.
    let source = "\
a = 1
class C:
    b = 2
    c = [d for d in range(b)]
    e = 3
def f(g):
    global a
    h = [i for i in g]
    a = h
    class D:
        j = 4
    k = 5
    return lambda l: l + k
a = 6
";
    model_test(source, |model, _| {
        for index in 0..model.scopes.len() {
            let scope = crate::ScopeId::new(index);
            let made_there: Vec<crate::BindingId> = (0..model.bindings.len())
                .map(crate::BindingId::new)
                .filter(|id| model.binding(*id).scope == scope)
                .collect();
            assert_eq!(
                model.scope_bindings(scope),
                &made_there[..],
                "scope {index}"
            );
        }
        let names = |scope| -> Vec<&str> {
            model
                .bindings_in(scope)
                .map(|(_, binding)| binding.name)
                .collect()
        };
        assert_eq!(
            names(SemanticModel::MODULE_SCOPE),
            ["a", "C", "f", "a", "a"]
        );
        let function = model
            .scopes
            .iter()
            .position(|scope| matches!(scope.kind, crate::ScopeKind::Function(_)));
        let function = crate::ScopeId::new(function.expect("f has a scope"));
        assert_eq!(names(function), ["g", "h", "D", "k"]);
    });
}

#[test]
fn a_functions_returns_are_its_own() {
    // A nested function's returns are walked after the function's own, and a `return` in a
    // class body (a syntax error Python reports when it compiles) belongs to no function.
    let source = "\
def outer(x):
    if x:
        return 1
    def inner():
        return 2
    class C:
        return 3
    return 4
def other():
    pass
";
    model_test(source, |model, module| {
        let returned = |function: &ruff_python_ast::StmtFunctionDef| -> Vec<String> {
            let scope = model.scope_of(function).expect("a function has a scope");
            (model.returns_of(scope).iter())
                .map(|ret| source[ret.value.as_ref().expect("a value").range()].to_string())
                .collect()
        };
        let Stmt::FunctionDef(outer) = &module.body[0] else {
            panic!("the first statement is a function");
        };
        let Stmt::FunctionDef(inner) = &outer.body[1] else {
            panic!("inner is a function");
        };
        let Stmt::FunctionDef(other) = &module.body[1] else {
            panic!("the second statement is a function");
        };
        assert_eq!(returned(outer), ["1", "4"]);
        assert_eq!(returned(inner), ["2"]);
        assert!(returned(other).is_empty());
    });
}
