//! Control-flow and liveness tests: each builds the graph of the source's first function.

use ruff_python_ast::Stmt;
use ruff_python_parser::parse_module;
use ruff_source_file::LineIndex;

use crate::cfg::{Cfg, NodeId, NodeKind};
use crate::SemanticModel;

struct Graph {
    /// `line:kind` of every node, and its successors.
    edges: Vec<(String, Vec<String>)>,
    /// `line:kind` and the sorted names live on entry.
    live: Vec<(String, Vec<String>)>,
    awaits: Vec<String>,
}

fn graph(source: &str) -> Graph {
    let parsed = parse_module(source).expect("test sources parse");
    let model = SemanticModel::new(parsed.syntax());
    let Some(Stmt::FunctionDef(function)) = parsed.syntax().body.first() else {
        panic!("the source starts with a function");
    };
    let cfg = Cfg::build(function, &model);
    let liveness = cfg.liveness();
    // The function's own names that the graph reads or binds, in order.
    let mut names: Vec<&str> = cfg
        .nodes
        .iter()
        .flat_map(|node| node.uses.iter().chain(&node.defs).copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    let live_in: Vec<_> = names.iter().map(|name| liveness.live_in_of(name)).collect();
    let index = LineIndex::from_source_text(source);
    let label = |id: NodeId| {
        let node = cfg.node(id);
        let kind = match node.kind {
            NodeKind::Entry => return "entry".to_string(),
            NodeKind::Exit => return "exit".to_string(),
            NodeKind::Statement(_) => "stmt",
            NodeKind::Condition(_) => "cond",
            NodeKind::LoopIterable(_) => "iter",
            NodeKind::LoopHead(_) => "head",
            NodeKind::LoopTarget(_) => "target",
            NodeKind::WithEnter(_) => "with",
            NodeKind::Handler(_) => "handler",
            NodeKind::Case(_) => "case",
        };
        format!("{}:{kind}", index.line_index(node.range.start()).get())
    };
    Graph {
        edges: cfg
            .node_ids()
            .map(|id| {
                // Exceptional edges are marked with `!`.
                let normal = cfg.successors(id).iter().map(|s| label(*s));
                let exceptional = cfg
                    .exceptional_successors(id)
                    .iter()
                    .map(|s| format!("!{}", label(*s)));
                (label(id), normal.chain(exceptional).collect())
            })
            .collect(),
        live: cfg
            .node_ids()
            .map(|id| {
                let live = names
                    .iter()
                    .zip(&live_in)
                    .filter(|(_, is_live_in)| is_live_in(id))
                    .map(|(name, _)| name.to_string())
                    .collect();
                (label(id), live)
            })
            .collect(),
        awaits: cfg
            .node_ids()
            .filter(|id| cfg.node(*id).awaits)
            .map(label)
            .collect(),
    }
}

impl Graph {
    fn successors(&self, node: &str) -> Vec<&str> {
        let (_, successors) = self
            .edges
            .iter()
            .find(|(label, _)| label == node)
            .unwrap_or_else(|| panic!("no node {node} in {:?}", self.edges));
        let mut successors: Vec<&str> = successors.iter().map(String::as_str).collect();
        successors.sort_unstable();
        successors
    }

    fn live(&self, node: &str) -> Vec<&str> {
        let (_, live) = self.live.iter().find(|(label, _)| label == node).unwrap();
        live.iter().map(String::as_str).collect()
    }
}

#[test]
fn if_elif_else() {
    let g = graph(
        "\
def f(a, b):
    if a:
        x = 1
    elif b:
        x = 2
    else:
        x = 3
    return x
",
    );
    assert_eq!(g.successors("2:cond"), ["3:stmt", "4:cond"]);
    assert_eq!(g.successors("4:cond"), ["5:stmt", "7:stmt"]);
    assert_eq!(g.successors("3:stmt"), ["8:stmt"]);
    assert_eq!(g.successors("8:stmt"), ["exit"]);
}

#[test]
fn if_without_else_falls_through() {
    let g = graph(
        "\
def f(a):
    if a:
        a = 1
    return a
",
    );
    assert_eq!(g.successors("2:cond"), ["3:stmt", "4:stmt"]);
}

#[test]
fn for_with_else_break_and_continue() {
    let g = graph(
        "\
def f(items):
    for item in items:
        if item:
            break
        if not item:
            continue
        print(item)
    else:
        print('done')
    return 1
",
    );
    assert_eq!(g.successors("2:iter"), ["2:head"]);
    assert_eq!(
        g.successors("2:head"),
        ["2:target", "9:stmt"],
        "each iteration, or the else"
    );
    assert_eq!(g.successors("4:stmt"), ["10:stmt"], "break skips the else");
    assert_eq!(
        g.successors("6:stmt"),
        ["2:head"],
        "continue goes to the head"
    );
    assert_eq!(g.successors("7:stmt"), ["2:head"]);
    assert_eq!(g.successors("9:stmt"), ["10:stmt"]);
}

#[test]
fn while_true_only_ends_by_break_or_return() {
    let g = graph(
        "\
def f(queue):
    while True:
        item = queue.get()
        if item is None:
            break
    return 0
",
    );
    assert_eq!(g.successors("2:head"), ["3:stmt"]);
    assert_eq!(g.successors("5:stmt"), ["6:stmt"]);
    let g = graph(
        "\
def f(n):
    while n:
        n -= 1
    else:
        n = 5
    return n
",
    );
    assert_eq!(g.successors("2:head"), ["3:stmt", "5:stmt"]);
}

#[test]
fn try_except_else_finally() {
    let g = graph(
        "\
def f(path):
    try:
        data = load(path)
        check(data)
    except ValueError as error:
        log(error)
        return None
    else:
        use(data)
    finally:
        close()
    return 1
",
    );
    assert_eq!(
        g.successors("3:stmt"),
        ["!5:handler", "4:stmt"],
        "a statement may raise"
    );
    assert_eq!(g.successors("4:stmt"), ["!5:handler", "9:stmt"]);
    assert_eq!(g.successors("5:handler"), ["6:stmt"]);
    // `return None` runs the `finally` block (its abrupt copy), then leaves.
    assert_eq!(g.successors("7:stmt"), ["11:stmt"]);
    let finally_nodes: Vec<&Vec<String>> = g
        .edges
        .iter()
        .filter(|(label, _)| label == "11:stmt")
        .map(|(_, s)| s)
        .collect();
    assert_eq!(finally_nodes.len(), 2, "a normal and an abrupt copy");
    assert!(finally_nodes
        .iter()
        .any(|successors| successors.contains(&"12:stmt".to_string())));
    assert!(finally_nodes
        .iter()
        .any(|successors| successors.contains(&"exit".to_string())));
}

#[test]
fn raise_in_try_goes_to_the_handlers_and_outside_to_the_exit() {
    let g = graph(
        "\
def f(x):
    try:
        raise ValueError(x)
    except ValueError:
        pass
    raise KeyError(x)
",
    );
    assert_eq!(g.successors("3:stmt"), ["!4:handler"]);
    assert_eq!(g.successors("6:stmt"), ["exit"]);
}

#[test]
fn with_match_and_nested_definitions() {
    let g = graph(
        "\
def f(path, command):
    with open(path) as handle:
        text = handle.read()
    match command:
        case 'a':
            text = 'a'
        case other:
            text = other
    def inner():
        return text
    return inner
",
    );
    assert_eq!(g.successors("2:with"), ["3:stmt"]);
    assert_eq!(g.successors("3:stmt"), ["4:cond"]);
    assert_eq!(g.successors("4:cond"), ["5:case"]);
    assert_eq!(g.successors("5:case"), ["6:stmt", "7:case"]);
    assert_eq!(g.successors("7:case"), ["8:stmt", "9:stmt"]);
    // The nested function's read of `text` counts as a use where it is defined.
    assert_eq!(g.live("9:stmt"), ["text"]);
}

#[test]
fn awaits_async_for_and_async_with_suspend() {
    let g = graph(
        "\
async def f(session, stream):
    async with session:
        data = await session.get()
    async for chunk in stream:
        print(chunk)
    print(data)
",
    );
    assert_eq!(g.awaits, ["2:with", "3:stmt", "4:head"]);
}

#[test]
fn liveness_across_a_loop() {
    let g = graph(
        "\
def f(path, items):
    data = read(path)
    total = 0
    for item in items:
        total += len(data)
    print('done')
    return total
",
    );
    assert_eq!(g.live("3:stmt"), ["data", "items"]);
    assert_eq!(
        g.live("4:head"),
        ["data", "items", "total"],
        "the loop body reads data again"
    );
    assert_eq!(g.live("6:stmt"), ["total"], "data is dead after the loop");
}

#[test]
fn liveness_of_an_iterated_value_lasts_the_whole_loop() {
    let g = graph(
        "\
def f(path):
    lines = read(path)
    for line in lines:
        print(line)
    return 0
",
    );
    assert_eq!(
        g.live("4:stmt"),
        ["line", "lines"],
        "the running iterator holds `lines`"
    );
    let g = graph(
        "\
def f(path):
    lines = read(path)
    for line in sorted(lines):
        print(line)
    return 0
",
    );
    assert_eq!(
        g.live("4:stmt"),
        ["line"],
        "sorted() made a copy: `lines` is free"
    );
}

#[test]
fn liveness_with_try_finally() {
    let g = graph(
        "\
def f(path):
    data = read(path)
    try:
        work()
    finally:
        release(data)
    return 0
",
    );
    assert_eq!(g.live("4:stmt"), ["data"], "the finally block reads data");
    assert_eq!(g.live("7:stmt"), Vec::<&str>::new());
}

/// A name read only where an exception goes is live in the `try` body that may raise it.
#[test]
fn liveness_follows_exceptional_edges() {
    let g = graph(
        "\
def f(path):
    data = read(path)
    try:
        work()
    except OSError:
        log(data)
    return 0
",
    );
    assert_eq!(
        g.live("4:stmt"),
        ["data"],
        "`work()` may raise into the handler"
    );
    assert_eq!(g.live("7:stmt"), Vec::<&str>::new());
}

#[test]
fn liveness_with_early_return_break_and_continue() {
    let g = graph(
        "\
def f(path, items):
    data = read(path)
    for item in items:
        if item == 1:
            return data
        if item == 2:
            continue
        if item == 3:
            break
    sleep(1)
    return 0
",
    );
    assert_eq!(g.live("3:head"), ["data", "items"]);
    assert_eq!(
        g.live("10:stmt"),
        Vec::<&str>::new(),
        "after the loop data is never read"
    );
    assert_eq!(
        g.live("7:stmt"),
        ["data", "items"],
        "continue leads back to a return of data"
    );
}

#[test]
fn a_deleted_name_is_dead() {
    let g = graph(
        "\
def f(path):
    data = read(path)
    use(data)
    del data
    sleep(1)
",
    );
    assert_eq!(g.live("4:stmt"), Vec::<&str>::new());
    assert_eq!(g.live("3:stmt"), ["data"]);
}
