//! Node identity tests: every statement and expression is numbered, with the parent a
//! visitor sees, and the flags say where it stands.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, NodeKind, Stmt};
use ruff_python_parser::parse_module;
use ruff_text_size::Ranged;

use crate::{NodeId, NodeRef, SemanticModel};

/// Checks, for every node a visitor reaches, that the model knows it and gives it the
/// visitor's parent; a name being read is known by its reference, and is the same expression.
struct ParentCheck<'m, 'a> {
    model: &'m SemanticModel<'a>,
    parents: Vec<NodeId>,
    seen: usize,
    reads: usize,
}

impl<'m, 'a> ParentCheck<'m, 'a> {
    /// Visits `body`, checking every node met.
    fn run(model: &'m SemanticModel<'a>, body: &'a [Stmt]) -> Self {
        let mut check = ParentCheck {
            model,
            parents: Vec::new(),
            seen: 0,
            reads: 0,
        };
        check.visit_body(body);
        check
    }

    fn check(&mut self, id: Option<NodeId>, what: &str) -> NodeId {
        let id = id.unwrap_or_else(|| panic!("{what} has no node id"));
        assert_eq!(
            self.model.parent(id),
            self.parents.last().copied(),
            "{what}"
        );
        self.seen += 1;
        id
    }
}

impl<'a> Visitor<'a> for ParentCheck<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let id = self.check(self.model.node_id(stmt), &format!("{stmt:?}"));
        self.parents.push(id);
        visitor::walk_stmt(self, stmt);
        self.parents.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        let id = self.check(self.model.node_id(expr), &format!("{expr:?}"));
        if id.read().is_some() {
            assert!(matches!(self.model.node(id), NodeRef::Expr(read) if std::ptr::eq(read, expr)));
            assert!(expr.is_name_expr(), "{expr:?}");
            self.reads += 1;
        }
        self.parents.push(id);
        visitor::walk_expr(self, expr);
        self.parents.pop();
    }
}

const EVERY_KIND: &str = "\
import os
from a import b as c
x: int
y: list[int] = [1, *z]
x += 1
(w := 2)
del x, y[0]
for i, (j, *k) in pairs:
    while i:
        break
    else:
        pass
else:
    pass
with open(p) as (f, g):
    pass
try:
    pass
except E as e:
    pass
finally:
    pass
match m:
    case [1, *rest] if rest: pass
    case {'k': v, **kw}: pass
@deco(1)
def f[T: int](a: int = 1, *b, c=lambda q=3: q, **d) -> T:
    return [n for n in a if n for o in n]
class C[U](Base, metaclass=M):
    v = {k: w for k, w in d.items()}
type Alias[V] = list[V]
s = f'{x!r:>{width}}'
";

#[test]
fn every_node_has_an_id_and_the_parent_a_visitor_sees() {
    let parsed = parse_module(EVERY_KIND).expect("the source parses");
    let module: &ModModule = parsed.syntax();
    let model = SemanticModel::new(module);
    let check = ParentCheck::run(&model, &module.body);
    assert!(check.reads > 20, "{} names read", check.reads);
    assert_eq!(check.seen, model.node_count() + check.reads);
}

/// The flags of the first node whose source is `text`.
fn flags_of(source: &str, text: &str) -> Vec<&'static str> {
    let parsed = parse_module(source).expect("the source parses");
    let model = SemanticModel::new(parsed.syntax());
    let id = (0..model.node_count())
        .map(NodeId::new)
        .find(|id| &source[model.node(*id).range()] == text)
        .unwrap_or_else(|| panic!("no node `{text}`"));
    [
        ("loop", model.in_loop(id)),
        ("import", model.at_import_time(id)),
        ("finally", model.in_finally(id)),
        ("autograd-off", model.autograd_off(id)),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect()
}

#[test]
fn a_loop_is_its_body_and_a_comprehension_past_its_first_iterable() {
    let source = "for a in b(1):\n    c(2)\nelse:\n    d(3)\nwhile e(4):\n    f(5)\n";
    assert_eq!(flags_of(source, "b(1)"), ["import"]);
    assert_eq!(flags_of(source, "c(2)"), ["loop", "import"]);
    assert_eq!(flags_of(source, "d(3)"), ["import"]);
    assert_eq!(flags_of(source, "e(4)"), ["import"]);
    assert_eq!(flags_of(source, "f(5)"), ["loop", "import"]);
    let comprehension = "def f():\n    return [g(1) for x in h(2) if i(3)]\n";
    assert_eq!(flags_of(comprehension, "h(2)"), Vec::<&str>::new());
    assert_eq!(flags_of(comprehension, "g(1)"), ["loop"]);
    assert_eq!(flags_of(comprehension, "i(3)"), ["loop"]);
}

#[test]
fn decorators_and_defaults_belong_to_the_enclosing_code() {
    let source = "\
for x in y:
    @deco(1)
    def f(a=g(2)):
        h(3)
    class C(base(4)):
        k(5)
    lambda b=m(6): n(7)
";
    assert_eq!(flags_of(source, "deco(1)"), ["loop", "import"]);
    assert_eq!(flags_of(source, "g(2)"), ["loop", "import"]);
    assert_eq!(flags_of(source, "h(3)"), Vec::<&str>::new());
    assert_eq!(flags_of(source, "base(4)"), ["loop", "import"]);
    assert_eq!(flags_of(source, "k(5)"), ["import"]);
    assert_eq!(flags_of(source, "m(6)"), ["loop", "import"]);
    assert_eq!(flags_of(source, "n(7)"), Vec::<&str>::new());
}

#[test]
fn finally_and_autograd_off_hold_within_their_block() {
    let source = "\
import torch
def f(model):
    try:
        a(1)
    finally:
        b(2)
        def g():
            c(3)
    with torch.no_grad():
        model(4)
    with my_no_grad_context():
        model(5)
    with open(p):
        model(6)
";
    assert_eq!(flags_of(source, "a(1)"), Vec::<&str>::new());
    assert_eq!(flags_of(source, "b(2)"), ["finally"]);
    assert_eq!(flags_of(source, "c(3)"), Vec::<&str>::new());
    assert_eq!(flags_of(source, "model(4)"), ["autograd-off"]);
    assert_eq!(flags_of(source, "model(5)"), ["autograd-off"]);
    assert_eq!(flags_of(source, "model(6)"), Vec::<&str>::new());
}

#[test]
fn a_guarded_import_of_no_grad_in_another_case_turns_autograd_off() {
    let source = "\
def predict(network, batch):
    torchNo_grad = safe_import('torch.no_grad')
    with torchNo_grad():
        network(1)
    with NoGrad():
        network(2)
    with torch.enable_grad():
        network(3)
";
    assert_eq!(flags_of(source, "network(1)"), ["autograd-off"]);
    assert_eq!(flags_of(source, "network(2)"), ["autograd-off"]);
    assert_eq!(flags_of(source, "network(3)"), Vec::<&str>::new());
}

#[test]
fn descendants_leave_function_bodies_for_later_unless_asked() {
    let source = "x = [f(1), lambda: g(2)]\ndef h(a=k(3)):\n    m(4)\n";
    let parsed = parse_module(source).expect("the source parses");
    let model = SemanticModel::new(parsed.syntax());
    let texts = |nodes: crate::Nodes| -> Vec<String> {
        nodes
            .filter_map(|id| match model.node(id) {
                NodeRef::Expr(expr @ Expr::Call(_)) => Some(source[expr.range()].to_string()),
                _ => None,
            })
            .collect()
    };
    let first = model
        .node_id(&parsed.syntax().body[0])
        .expect("the statement has an id");
    assert_eq!(texts(model.descendants(first)), ["f(1)"]);
    assert_eq!(
        texts(model.descendants(first).into_bodies()),
        ["f(1)", "g(2)"]
    );
    let module = texts(model.scope_nodes(SemanticModel::MODULE_SCOPE));
    assert_eq!(module, ["f(1)", "k(3)"]);
    assert_eq!(
        texts(model.scope_nodes(SemanticModel::MODULE_SCOPE).into_bodies()),
        ["f(1)", "k(3)", "m(4)", "g(2)"]
    );
}

#[test]
fn own_node_kinds_are_the_scope_nodes_without_definitions() {
    // A nested function (with its decorator and default), a class and a lambda are left out
    // whole, at the module and in a function body alike; what is left comes with its kind.
    let source = "\
a = f(1)
@d(2)
def g(x=k(3)):
    b = m(4)
    class C:
        y = n(5)
    h = lambda: p(6)
    return q(7)
r(8)
";
    let parsed = parse_module(source).expect("the source parses");
    let model = SemanticModel::new(parsed.syntax());
    let function = model
        .scope_of(&parsed.syntax().body[1])
        .expect("the function has a scope");
    for scope in [SemanticModel::MODULE_SCOPE, function] {
        let expected: Vec<(NodeId, NodeKind)> = model
            .scope_nodes(scope)
            .without_definitions()
            .filter(|id| id.read().is_none())
            .map(|id| (id, model.node_kind(id)))
            .collect();
        let own: Vec<_> = model.own_node_kinds(scope).collect();
        assert_eq!(own, expected);
    }
    let calls = |scope| -> Vec<&str> {
        model
            .own_node_kinds(scope)
            .filter(|(_, kind)| *kind == NodeKind::ExprCall)
            .map(|(id, _)| &source[model.node(id).range()])
            .collect()
    };
    assert_eq!(calls(SemanticModel::MODULE_SCOPE), ["f(1)", "r(8)"]);
    assert_eq!(calls(function), ["m(4)", "q(7)"]);
}

#[test]
fn attribute_nodes_are_found_by_name_in_source_order() {
    // Function bodies are numbered after the module's code, but the nodes of one name still
    // come in their numbering order, and a name that only ends another is not matched.
    let source = "a.x = 1\ndef f():\n    return b.x.y\nc.xx\nd.x()\n";
    let parsed = parse_module(source).expect("the source parses");
    let model = SemanticModel::new(parsed.syntax());
    let texts = |name: &str| -> Vec<&str> {
        model
            .attribute_nodes(name)
            .map(|id| &source[model.node(id).range()])
            .collect()
    };
    assert_eq!(texts("x"), ["a.x", "d.x", "b.x"]);
    assert_eq!(texts("y"), ["b.x.y"]);
    assert_eq!(texts("xx"), ["c.xx"]);
    assert!(texts("z").is_empty());
}

#[test]
fn a_with_item_in_a_function_resolves_its_import_before_the_body_ends() {
    // Only the import says that `set_grad_enabled` turns autograd off: its name does not.
    let source = "\
import torch
def f(model):
    with torch.set_grad_enabled(False):
        model(1)
def g(model):
    for _ in range(2):
        with torch.set_grad_enabled(False):
            model(2)
        import torch
";
    assert_eq!(flags_of(source, "model(1)"), ["autograd-off"]);
    // `torch` is local to `g`, bound after the `with` reads it: not the module's import.
    assert_eq!(flags_of(source, "model(2)"), ["loop"]);
}

#[test]
fn scans_meet_the_names_read_where_the_builder_read_them() {
    let source = "\
x = f(a, b.c)[d]
if g(h):
    del i
    j += k
    n = lambda: p + q
";
    let parsed = parse_module(source).expect("the source parses");
    let module: &ModModule = parsed.syntax();
    let model = SemanticModel::new(module);
    let text = |id: NodeId| &source[model.node(id).range()];
    // In the builder's order, nodes and names read alike; the lambda's body comes last.
    let scanned: Vec<NodeId> = model
        .scope_nodes(SemanticModel::MODULE_SCOPE)
        .into_bodies()
        .collect();
    let places: Vec<u32> = scanned.iter().map(|id| model.order_of(*id)).collect();
    assert!(places.is_sorted(), "{places:?}");
    let reads: Vec<&str> = scanned
        .iter()
        .filter(|id| id.read().is_some())
        .map(|id| text(*id))
        .collect();
    // A name deleted or augmented reads too.
    assert_eq!(
        reads,
        ["f", "a", "b", "d", "g", "h", "i", "k", "j", "p", "q"]
    );
    // Every node a visitor reaches, once.
    let check = ParentCheck::run(&model, &module.body);
    assert_eq!(scanned.len(), check.seen);
    // Skipping a node skips the names read in it.
    let call = scanned
        .iter()
        .copied()
        .find(|id| text(*id) == "f(a, b.c)")
        .expect("the call is scanned");
    let mut nodes = model.subtree(model.node_id(&module.body[0]).expect("numbered"));
    let mut after_skip = Vec::new();
    while let Some(id) = nodes.next() {
        if id == call {
            nodes.skip_descendants(id);
        }
        after_skip.push(text(id));
    }
    assert_eq!(
        after_skip,
        ["x = f(a, b.c)[d]", "f(a, b.c)[d]", "f(a, b.c)", "d", "x"]
    );
}

/// Bug (attribute_questions_were_quadratic): a class of thousands of methods asked for the
/// attributes of each method's name, every question a scan of the module's attributes; past
/// a number of questions they are sorted by name once. The answers must not change then.
#[test]
fn attribute_nodes_answer_the_same_once_sorted() {
    let mut source = String::new();
    for i in 0..300 {
        source.push_str(&format!("o{i}.n{} = p.n{}\n", i % 5, (i + 1) % 5));
        if i % 7 == 0 {
            source.push_str(&format!("def f{i}():\n    return q.n{}\n", i % 3));
        }
    }
    let parsed = parse_module(&source).expect("the source parses");
    let model = SemanticModel::new(parsed.syntax());
    let names: Vec<String> = (0..6).map(|i| format!("n{i}")).collect();
    let answers = |model: &SemanticModel| -> Vec<Vec<NodeId>> {
        names
            .iter()
            .map(|name| model.attribute_nodes(name).collect())
            .collect()
    };
    let scanned = answers(&model);
    assert!(scanned[0].len() > 100 && scanned[5].is_empty());
    for _ in 0..100 {
        assert_eq!(answers(&model), scanned);
    }
}
