use std::cell::RefCell;
use std::collections::VecDeque;

use edgelint_diagnostics::{Applicability, Edit, Fix, Label, Severity};
use edgelint_semantic::cfg::{Cfg, Liveness, NodeId, NodeKind};
use edgelint_semantic::provenance::{BigReason, Origin, ValueKind};
use edgelint_semantic::{
    last_name, BindingId, BindingKind, NodeRef, Region, ScopeId, SemanticModel, Size,
};
use ruff_python_ast::{Expr, ExprList, ExprName, ExprTuple, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::FxHashSet as HashSet;

use super::waits_for_next_item;
use crate::materialize::single_use_iteration;
use crate::mutation::dotted_path;
use crate::statements::{
    enclosing_block, innermost_statement, reads_file_by_file, statements_containing,
};
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a local variable bound to a big value (a whole file read, a deserialized document,
    /// an array loaded from a file, an HTTP body, or a collection built from one of those) whose
    /// last use is followed, on some path, by a long-running region of the same function that
    /// does not use it: a loop, an `await`, a sleep, a `.join()` or `.wait()`,
    /// `serve_forever()`, or a call to a function of the module that itself runs one. In a
    /// worker loop (`while True:`) that also covers the next pass: when it first waits for the
    /// next job, message or connection (`jobs.get()`, `sock.recv(n)`, `accept()`, a sleep)
    /// before the variable is bound again, the last pass's value is held through the wait.
    ///
    /// ## Why is this bad?
    /// A local keeps its value alive until the function returns or the name is rebound. After
    /// its last use the value is garbage that cannot be collected: a 200 MB file read before a
    /// server loop stays in memory for as long as the server runs. On a device where that is
    /// the difference between running and being killed, release the reference as soon as it is
    /// no longer needed.
    ///
    /// Big means of unbounded size by provenance: whole-file reads, deserialized documents,
    /// arrays loaded from files (`np.load`), HTTP bodies, collections or arrays built from one
    /// of those, and what a function returns when it returns one of those: a function of the
    /// same module, a method called through `self`, or a function of another module of the
    /// project (`from .io import load_recording`). The finding then points at where the data
    /// comes from, in the other file if need be. A list built from an iterable of unknown size, a buffer such as `bytes(n)`
    /// or `[0] * n`, or an array of computed shape (`np.zeros(n)`) is not reported: their size
    /// is known only at run time, most are small in practice, and a rule that gates pull
    /// requests must not cry wolf.
    ///
    /// Not flagged: values returned, yielded, captured by a nested function, stored in an
    /// attribute or container, aliased, or handed to a constructor or thread (a `del` would not
    /// free them); values used again later on some path; values already deleted or set to
    /// `None`; values iterated by a loop (the loop holds them anyway); and per-iteration
    /// temporaries, unless a sleep, `await` or inner loop follows their last use within the
    /// same iteration.
    ///
    /// By default it reports a value shown to be large (a file's content, a loaded document,
    /// an HTTP body) held past a region that really runs long; what a stream of unknown origin
    /// holds, or the reply of an HTTP API (`.json()`, or a body only handed to a parser:
    /// `json.loads(text)`, `reply.ParseFromString(data)`; an answer the program asked for,
    /// seldom data), is reported with `--pedantic`; a configuration file or address named in
    /// the code (`settings.toml`, `config_path`, `urlopen(config_url)`), or a loop over a
    /// literal, a constant or a short `range` (which ends soon), never. One file of a folder
    /// read on each pass of a loop (over `os.listdir(folder)`, or opening a file named by the
    /// target of a loop over names the code enumerates) is one item of many, often small:
    /// reported with `--pedantic`. A document whose top-level entry the long-running loop
    /// iterates (`for x in data["data"]:`, or `rows = data["rows"]` then `for row in rows:`)
    /// stays mostly alive through it, and `del` would free little: not reported.
    ///
    /// It also needs `del` to free something. A value handed to a method whose name says the
    /// receiver keeps it (`form.add_field("file", data)`, `self.set_state(state)`) is not
    /// reported. When a part of a loaded document is bound to another name
    /// (`jobs = document["jobs"]`), or the value is handed to another method of the object
    /// (`self.apply(state)`) or to a class that makes an object of it
    /// (`worker_cls(template=document)`), which may keep it, the finding is unproven.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// import time
    ///
    /// def watch(data_path):
    ///     firmware = open(data_path, "rb").read()
    ///     digest = hashlib.sha256(firmware).hexdigest()
    ///     while True:
    ///         report(digest)
    ///         time.sleep(60)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// import time
    ///
    /// def watch(data_path):
    ///     firmware = open(data_path, "rb").read()
    ///     digest = hashlib.sha256(firmware).hexdigest()
    ///     del firmware
    ///     while True:
    ///         report(digest)
    ///         time.sleep(60)
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `del name` after the statement of the last use, when that statement is
    /// a simple statement in the same block as the binding. It is unsafe: a path that skips
    /// that statement (an early `continue`, an exception) still holds the value, and code
    /// reached only through such a path and reading the name would now fail.
    pub static BIG_OBJECT_OUTLIVES_USE = {
        code: "EL301",
        name: "big-object-outlives-use",
        family: Family::Lifetimes,
        severity: Severity::Warning,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Function(check)],
    }
}

struct Candidate<'a> {
    binding: BindingId,
    statement: &'a Stmt,
    reason: BigReason,
    /// What the value is, when that is known (parts of a `str` are copies, of a dict not).
    kind: ValueKind,
    /// Where the data comes from, when that is known.
    origin: Option<Origin>,
    /// The bound value, where the data comes from when nothing else says.
    value_range: TextRange,
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    let semantic = checker.semantic();
    let Some(scope) = semantic.scope_of(function) else {
        return;
    };
    let escaping = escaping_names(semantic, scope);
    let candidates: Vec<Candidate> = semantic
        .bindings_in(scope)
        .filter_map(|(binding, bound)| {
            let BindingKind::Assignment { value: Some(value) } = bound.kind else {
                return None;
            };
            let statement = bound.statement?;
            let single_name_target = match statement {
                Stmt::Assign(assign) => {
                    assign.targets.len() == 1 && assign.targets[0].is_name_expr()
                }
                Stmt::AnnAssign(assign) => assign.target.is_name_expr(),
                _ => false,
            };
            // The cheap questions first: where the value comes from may be asked of other
            // modules.
            if !single_name_target || semantic.is_captured(binding) {
                return None;
            }
            // `txt = decoded` gives the value a second name: the first still holds it, so
            // `del txt` would free nothing.
            if value.is_name_expr() {
                return None;
            }
            // A name returned or aliased keeps its value past the function whatever it holds:
            // known without asking where the value comes from, a question that may check
            // another module first.
            if escaping.contains(&bound.name) {
                return None;
            }
            // A collection or buffer whose size is only known at run time is usually small in
            // practice; reporting every list built from a parameter would bury the findings
            // that matter.
            let provenance = semantic.provenance(value);
            let reason = provenance.big.filter(|reason| {
                !matches!(
                    reason,
                    BigReason::Materialized | BigReason::Repeated | BigReason::LargeArray
                )
            })?;
            // A list iterated once is EL206's (a generator is its fix, not a `del`).
            let single_use_list = single_use_iteration(semantic, function, binding).is_some();
            (!single_use_list).then_some(Candidate {
                binding,
                statement,
                reason,
                kind: provenance.kind,
                origin: provenance.origin,
                value_range: value.range(),
            })
        })
        .collect();
    // Most functions hold nothing big: build the graph only for those that do. Each candidate
    // searches the graph for a long-running region; with many, first ask whether the function
    // has one at all (asking it of every function would cost more than it saves).
    if candidates.is_empty()
        || candidates.len() > FEW_CANDIDATES && semantic.last_region_start(scope).is_none()
    {
        return;
    }
    let cfg = Cfg::build(function, semantic);
    let liveness = cfg.liveness();
    let regions = NodeRegions::new(&cfg);
    for candidate in candidates {
        check_candidate(checker, function, &cfg, &liveness, &regions, &candidate);
    }
}

/// How many candidates of a function search its graph without asking first whether it has a
/// long-running region.
const FEW_CANDIDATES: usize = 8;

/// The long-running region each node of the graph is, worked out the first time a candidate's
/// search reaches it: every candidate of a function searches the same graph.
struct NodeRegions<'a> {
    known: RefCell<Vec<Option<Option<Region<'a>>>>>,
}

impl<'a> NodeRegions<'a> {
    fn new(cfg: &Cfg) -> Self {
        NodeRegions {
            known: RefCell::new(vec![None; cfg.node_ids().count()]),
        }
    }

    fn get(&self, semantic: &SemanticModel<'a>, cfg: &Cfg, id: NodeId) -> Option<Region<'a>> {
        if let Some(known) = self.known.borrow()[id.index()] {
            return known;
        }
        let region = node_region(semantic, cfg, id);
        self.known.borrow_mut()[id.index()] = Some(region);
        region
    }
}

/// Names the function hands on whole, each read as one of its own bindings: returned
/// (`return data`, `return data, meta`) or given another name (`kept = data`). Each such read
/// escapes (see `check_candidate`), and is found without classifying every read.
fn escaping_names<'a>(semantic: &SemanticModel<'a>, scope: ScopeId) -> Vec<&'a str> {
    let elements = |value: &'a Expr| match value {
        Expr::Tuple(ExprTuple { elts, .. }) | Expr::List(ExprList { elts, .. }) => &elts[..],
        _ => std::slice::from_ref(value),
    };
    let returned = semantic
        .returns_of(scope)
        .iter()
        .filter_map(|ret| ret.value.as_deref())
        .flat_map(elements);
    let aliased = semantic
        .bindings_in(scope)
        .filter_map(|(_, bound)| match bound.kind {
            BindingKind::Assignment { value } => value,
            _ => None,
        });
    returned
        .chain(aliased)
        .filter_map(|read| {
            let binding = semantic.binding(semantic.binding_of(read.as_name_expr()?)?);
            (binding.scope == scope).then_some(binding.name)
        })
        .collect()
}

fn check_candidate<'a>(
    checker: &mut Checker<'a>,
    function: &StmtFunctionDef,
    cfg: &Cfg,
    liveness: &Liveness,
    regions: &NodeRegions<'a>,
    candidate: &Candidate,
) {
    let semantic = checker.semantic();
    let bound = semantic.binding(candidate.binding);
    let name = bound.name;
    // A read after branches join resolves to one binding of the name, but may see this one:
    // judge every read of the name in the function.
    let uses: Vec<(TextRange, UseKind)> = semantic
        .bindings_named(bound.scope, name)
        .flat_map(|(binding, _)| uses_of(&function.body, semantic, binding))
        .collect();
    let escapes = uses.iter().any(|(_, kind)| kind.escapes());
    if escapes {
        return;
    }
    let Some(start) = cfg.statement_node(candidate.statement) else {
        return;
    };
    let Some((region_node, region)) =
        region_after_last_use(semantic, cfg, liveness, regions, start, candidate)
    else {
        return;
    };
    // The last use is the last read this binding's value can reach.
    let reached = Holders::new(
        reached_before_rebinding(cfg, start, name)
            .into_iter()
            .map(|node| cfg.node(node).range),
    );
    let last_use = uses
        .iter()
        .filter(|(range, kind)| *kind != UseKind::Deleted && reached.hold(*range))
        .map(|(range, _)| *range)
        .max_by_key(|range| range.start());
    // The whole statement of the binding's block that holds the last use: a `del` goes after
    // it, never inside a loop or an expression that still reads the name. When that statement
    // is itself the long-running region (a loop whose header reads the name), a `del` after it
    // comes too late.
    let region_range = cfg.node(region_node).range;
    if part_read_in_region(semantic, function, candidate, &uses, last_use, region_range) {
        return;
    }
    let last_use_statement = last_use.and_then(|last_use| {
        statements_containing(
            enclosing_block(semantic, &function.body, candidate.statement)?,
            last_use,
        )
        .next()
        .filter(|statement| statement.range() != candidate.statement.range())
    });
    let del_point =
        last_use_statement.filter(|statement| !statement.range().contains_range(region_range));
    let fix = del_point
        .filter(|_| !reads_locals_by_name(semantic, function))
        .and_then(|statement| del_after(checker, statement, name));
    let what = candidate.reason.describe();
    let helper = "move the work that needs it into a helper function";
    let help = match (last_use, last_use_statement, del_point) {
        (Some(_), _, Some(statement)) => format!(
            "add `del {name}` after line {} (the end of the statement with its last use), or {helper}",
            checker_line(checker, statement.end())
        ),
        (Some(_), Some(_), None) => format!(
            "`{name}` is read by the long-running statement itself: bind only the part it reads to a new name and `del {name}` before it, or {helper}"
        ),
        (Some(_), None, _) => format!("add `del {name}` after its last use, or {helper}"),
        (None, _, _) => format!("`{name}` is never read: drop the assignment, or `del {name}` right after it"),
    };

    // Where the data comes from: a call to a function of this module or another one, a file
    // opened earlier, or the binding's own value (`data = f.read()`).
    let elsewhere = candidate
        .origin
        .or(Some(Origin::Here(candidate.value_range)));
    // Data read from a file, loaded or received is shown to be large; what a stream of
    // unknown origin holds is not. And `del` must free it: a part or the whole handed to
    // code that may keep it stays reachable.
    let kept = kept_elsewhere(checker, function, candidate, &uses).or_else(|| {
        let made = last_use
            .and_then(|last_use| made_into_kept_value(semantic, function, last_use, region_range))?;
        Some(format!(
            "`{made}`, made from `{name}`, is kept too: `del {name}` frees only the raw form of the data"
        ))
    });
    // `text = response.content.decode()` then `json.loads(text)`: a body only handed to a
    // parser is the reply of an API, as `.json()` would be.
    let reason = match candidate.reason {
        BigReason::HttpBody if semantic.only_parsed(candidate.binding) => BigReason::ApiReply,
        reason => reason,
    };
    // One file of a folder the loop reads one by one is one item of many: each is often small.
    let kept = kept.or_else(|| {
        let statement = semantic.node_id(candidate.statement)?;
        reads_file_by_file(semantic, statement).then(|| {
            format!("`{name}` holds one file of a folder read file by file: nothing shows each file is large")
        })
    });
    let (size, unknown) = match (reason, kept) {
        (BigReason::StreamRead, _) => (
            Size::Unknown,
            Some(format!(
                "how much the stream `{name}` was read from holds is not known"
            )),
        ),
        (BigReason::ParsedText, _) => (
            Size::Unknown,
            Some(format!(
                "how big the text parsed into `{name}` was is not known"
            )),
        ),
        (BigReason::FileRead, _) => (
            Size::Unknown,
            Some("the name of the file does not say it holds data".to_string()),
        ),
        (BigReason::ApiReply, _) => (
            Size::Unknown,
            Some(
                "a JSON reply is as big as the API makes it: nothing shows it holds data"
                    .to_string(),
            ),
        ),
        (_, Some(reason)) => (Size::Unknown, Some(reason)),
        (reason, None) => (
            Size::Large {
                reason,
                origin: elsewhere,
            },
            None,
        ),
    };
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        candidate.statement.range(),
        format!("`{name}` holds {what} past its last use, while the function keeps running"),
    ) else {
        return;
    };
    diagnostic.label = format!("`{name}` is bound to {what} here");
    if let Some(last_use) = last_use {
        diagnostic.secondary.push(Label {
            range: last_use,
            message: format!("last use of `{name}`"),
        });
    }
    diagnostic.secondary.push(Label {
        range: region_range,
        message: format!("`{name}` is still alive during {}", region.describe()),
    });
    diagnostic.help = Some(help);
    diagnostic.notes.push(format!(
        "the value cannot be freed until the function returns or `{name}` is rebound"
    ));
    diagnostic.fix = fix;
}

/// Searches forward from the binding for a long-running node where the name is dead (no use
/// follows on any path) but still holds the value (no rebinding or `del` on the way).
fn region_after_last_use<'a>(
    semantic: &SemanticModel<'a>,
    cfg: &Cfg,
    liveness: &Liveness,
    regions: &NodeRegions<'a>,
    start: NodeId,
    candidate: &Candidate,
) -> Option<(NodeId, Region<'a>)> {
    let bound = semantic.binding(candidate.binding);
    let name = bound.name;
    let is_live_in = liveness.live_in_of(name);
    let mut seen: HashSet<NodeId> = HashSet::from_iter([start]);
    let mut queue: VecDeque<NodeId> = cfg.successors(start).iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) || id == Cfg::EXIT {
            continue;
        }
        let node = cfg.node(id);
        if let NodeKind::LoopHead(loop_statement) = node.kind {
            let inside_loop = |range: TextRange| loop_statement.range().contains_range(range);
            // The next iteration of a loop around the binding: a temporary of the loop body is
            // judged within one iteration only, unless the next pass first waits for work
            // while it still holds the last pass's value.
            if inside_loop(candidate.statement.range()) {
                if !is_live_in(id) {
                    if let Some(wait) = waits_before_rebinding(semantic, cfg, loop_statement, name)
                    {
                        return Some((wait, Region::NextItem));
                    }
                }
                continue;
            }
            // A loop that rebinds the name releases the value in its first iteration.
            let rebinds = semantic
                .bindings_named_within(bound.scope, name, loop_statement.range())
                .next()
                .is_some();
            if rebinds {
                continue;
            }
        }
        if !is_live_in(id) {
            if let Some(region) = regions.get(semantic, cfg, id) {
                return Some((id, region));
            }
        }
        if node.defs.contains(&name) {
            continue;
        }
        // Normal control flow only: a region reached only when something raises is not where
        // the value is usually held.
        queue.extend(cfg.successors(id).iter().copied());
    }
    None
}

/// In a worker loop (`while True:`), the first statement of the body that waits for the next
/// job, message or connection (`job = jobs.get()`, `sock.recv(4096)`, `accept()`, a sleep),
/// when it comes before `name` is bound again (or is where it is bound: the value is held
/// while the right side waits).
fn waits_before_rebinding(
    semantic: &SemanticModel,
    cfg: &Cfg,
    loop_statement: &Stmt,
    name: &str,
) -> Option<NodeId> {
    let Stmt::While(worker) = loop_statement else {
        return None;
    };
    for statement in &worker.body {
        let node = cfg.statement_node(statement)?;
        let waits = matches!(
            semantic.statement_region(statement),
            Some(Region::Sleep | Region::Wait)
        ) || simple_statement(statement)
            && semantic.any_expr_in(
                statement,
                |expr| matches!(expr, Expr::Call(call) if waits_for_next_item(call)),
            );
        if waits {
            return Some(node);
        }
        if cfg.node(node).defs.contains(&name) || !simple_statement(statement) {
            return None;
        }
    }
    None
}

/// An assignment or an expression statement: what it runs, it runs whole.
fn simple_statement(statement: &Stmt) -> bool {
    matches!(
        statement,
        Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::Expr(_)
    )
}

/// The nodes the binding's value reaches along normal flow, before the name is bound again.
fn reached_before_rebinding(cfg: &Cfg, start: NodeId, name: &str) -> HashSet<NodeId> {
    let mut reached: HashSet<NodeId> = HashSet::default();
    let mut queue: VecDeque<NodeId> = cfg.successors(start).iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        if !reached.insert(id) || cfg.node(id).defs.contains(&name) {
            continue;
        }
        queue.extend(cfg.successors(id).iter().copied());
    }
    reached
}

/// Ranges asked whether one of them holds a given range, each question answered by bisection:
/// a function of thousands of statements has as many graph nodes and reads.
struct Holders {
    /// The ranges' starts, in order.
    starts: Vec<TextSize>,
    /// For each start, the furthest end of the ranges starting there or before.
    furthest_ends: Vec<TextSize>,
}

impl Holders {
    fn new(ranges: impl Iterator<Item = TextRange>) -> Holders {
        let mut ranges: Vec<TextRange> = ranges.collect();
        ranges.sort_unstable_by_key(|range| range.start());
        let mut furthest = TextSize::default();
        let furthest_ends = ranges
            .iter()
            .map(|range| {
                furthest = furthest.max(range.end());
                furthest
            })
            .collect();
        let starts = ranges.iter().map(|range| range.start()).collect();
        Holders {
            starts,
            furthest_ends,
        }
    }

    /// Whether one of the ranges contains `range`: of those starting at or before it, the one
    /// that ends furthest does if any does.
    fn hold(&self, range: TextRange) -> bool {
        let before = self.starts.partition_point(|start| *start <= range.start());
        before > 0 && self.furthest_ends[before - 1] >= range.end()
    }
}

/// The long-running region a node is, if it is one.
fn node_region<'a>(semantic: &SemanticModel<'a>, cfg: &Cfg, id: NodeId) -> Option<Region<'a>> {
    let node = cfg.node(id);
    if node.awaits {
        return Some(Region::Await);
    }
    match node.kind {
        // A loop over a literal, a constant or a short `range` ends soon.
        NodeKind::LoopHead(loop_statement) => (semantic.loop_count(NodeRef::Stmt(loop_statement))
            != Size::Small)
            .then_some(Region::Loop),
        NodeKind::Statement(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) => None,
        NodeKind::Statement(statement) => semantic.statement_region(statement),
        NodeKind::Condition(expr) => semantic.expression_region(expr),
        NodeKind::LoopIterable(for_stmt) => semantic.expression_region(&for_stmt.iter),
        NodeKind::WithEnter(with) => with
            .items
            .iter()
            .find_map(|item| semantic.expression_region(&item.context_expr)),
        NodeKind::Entry
        | NodeKind::Exit
        | NodeKind::LoopTarget(_)
        | NodeKind::Handler(_)
        | NodeKind::Case(_) => None,
    }
}

fn checker_line(checker: &Checker, offset: TextSize) -> usize {
    let source = checker.source();
    1 + source[..offset.to_usize()].matches('\n').count()
}

/// Whether the function reads its locals by name at run time (`locals()`, `vars()`, `eval`,
/// `exec`, `dir()`, a frame): a `del` could break what it reads.
fn reads_locals_by_name(semantic: &SemanticModel, function: &StmtFunctionDef) -> bool {
    semantic.any_expr_in_body(&function.body, |expr| {
        let Expr::Call(call) = expr else {
            return false;
        };
        matches!(&*call.func, Expr::Name(callee) if matches!(
            callee.id.as_str(),
            "locals" | "vars" | "eval" | "exec" | "dir"
        )) || matches!(&*call.func, Expr::Attribute(attribute) if matches!(
            attribute.attr.as_str(),
            "_getframe" | "currentframe"
        ))
    })
}

/// `del name` on a new line after `statement` (which holds the last use, in the binding's own
/// block, where the name is surely bound), when the statement starts and ends its lines.
fn del_after(checker: &Checker, statement: &Stmt, name: &str) -> Option<Fix> {
    let indentation = checker.indentation(statement)?;
    let end = checker.end_of_line_after(statement.end())?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(
            TextRange::empty(end),
            format!("{}{indentation}del {name}", checker.newline()),
        )],
    })
}

/// Methods that return a part of a mapping or a view of it.
const PART_ACCESSORS: &[&str] = &["get", "values", "items", "pop", "setdefault"];

/// Why `del` might free nothing, when a use may leave the value, or a part of it, reachable
/// from elsewhere: handed to a method of the object itself, which may keep it on `self`
/// (`self.set_state(state)`), or a part of it bound to another name (`rows = doc["rows"]`).
/// Parts of a `str` or `bytes` are copies, so only handing the value itself over counts for
/// those.
fn kept_elsewhere(
    checker: &Checker,
    function: &StmtFunctionDef,
    candidate: &Candidate,
    uses: &[(TextRange, UseKind)],
) -> Option<String> {
    let semantic = checker.semantic();
    let name = semantic.binding(candidate.binding).name;
    let immutable = matches!(candidate.kind, ValueKind::Str | ValueKind::Bytes);
    uses.iter().find_map(|(range, kind)| {
        // `for row in iterdicts(dicts):` iterates what the call returns, which may be a
        // generator holding `dicts` until the loop ends.
        if let (UseKind::Argument { callee }, Some(Stmt::For(for_stmt))) =
            (kind, innermost_statement(&function.body, *range))
        {
            if for_stmt.iter.range().contains_range(*range) {
                return Some(format!(
                    "`del {name}` may free nothing: the loop's iterator from `{}()` may hold it",
                    checker.snippet(*callee)
                ));
            }
        }
        if let UseKind::Argument { callee } = kind {
            let on_self = matches!(callee, Expr::Attribute(method)
            if !RELEASING_METHODS.contains(&method.attr.as_str())
                && dotted_path(&method.value).is_some_and(|owner| {
                    owner == "self" || owner.starts_with("self.")
                }));
            if on_self {
                return Some(format!(
                    "`del {name}` may free nothing: `{}()` may keep it on the object",
                    checker.snippet(*callee)
                ));
            }
            return constructs(callee).then(|| {
                format!(
                    "`del {name}` may free nothing: the object `{}()` makes may keep it",
                    checker.snippet(*callee)
                )
            });
        }
        // What can hand out a part: reading an item or attribute, iterating, and the
        // accessors of a mapping. Other methods (`frames.mean()`) compute something new.
        let hands_out_parts = match kind {
            UseKind::Read | UseKind::Iterated => true,
            UseKind::MethodCall(method) => PART_ACCESSORS.contains(method),
            _ => false,
        };
        if immutable || !hands_out_parts {
            return None;
        }
        let statement = binding_statement(function, *range)?;
        Some(format!(
            "`del {name}` may free nothing: `{}` may keep a part of it",
            checker.snippet(statement)
        ))
    })
}

/// The assignment whose value holds `range`: a part read there goes to its targets.
fn binding_statement(function: &StmtFunctionDef, range: TextRange) -> Option<&Stmt> {
    let statement = innermost_statement(&function.body, range)?;
    let binds = match statement {
        Stmt::Assign(assign) => assign.value.range().contains_range(range),
        Stmt::AnnAssign(assign) => assign
            .value
            .as_deref()
            .is_some_and(|value| value.range().contains_range(range)),
        Stmt::AugAssign(assign) => assign.value.range().contains_range(range),
        _ => false,
    };
    binds.then_some(statement)
}

/// Whether the long-running region still reads a part of the value: a collection bound to a
/// name the region iterates (`rows = doc["rows"]`, then `for row in rows:`), or one top-level entry a
/// loop iterates at the last use (`for article in data["data"]:`). `del` would then free only the
/// rest of the value, often little, so there is nothing to report.
fn part_read_in_region(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    candidate: &Candidate,
    uses: &[(TextRange, UseKind)],
    last_use: Option<TextRange>,
    region: TextRange,
) -> bool {
    let bound_part_read = uses.iter().any(|(range, kind)| {
        let hands_out_part = match kind {
            UseKind::Read => true,
            UseKind::MethodCall(method) => PART_ACCESSORS.contains(method),
            _ => false,
        };
        let Some(Stmt::Assign(assign)) = binding_statement(function, *range) else {
            return false;
        };
        // `alias = document` is the whole value, not a part of it.
        hands_out_part
            && !matches!(&*assign.value, Expr::Name(_))
            && assign.targets.iter().any(|target| {
                matches!(target, Expr::Name(part)
                    if iterated_from(semantic, function, part, region.start()))
            })
    });
    bound_part_read
        || last_use.is_some_and(|last_use| loop_iterates_entry(semantic, candidate, last_use))
}

/// Whether the last use of the value is a loop iterating one of its top-level entries
/// (`for article in data["data"]:`), which the loop keeps alive.
fn loop_iterates_entry(
    semantic: &SemanticModel,
    candidate: &Candidate,
    last_use: TextRange,
) -> bool {
    let Some(part) = semantic
        .reference_of(candidate.binding, last_use)
        .and_then(|reference| semantic.parent(reference.node))
    else {
        return false;
    };
    let NodeRef::Expr(Expr::Subscript(entry)) = semantic.node(part) else {
        return false;
    };
    let Some(NodeRef::Stmt(Stmt::For(loop_over))) =
        semantic.parent(part).map(|parent| semantic.node(parent))
    else {
        return false;
    };
    entry.slice.is_string_literal_expr() && loop_over.iter.range() == entry.range
}

/// The bindings of the name `made` in its scope: a read after branches join resolves to one of
/// them.
fn bindings_of_name<'m>(
    semantic: &'m SemanticModel,
    made: &'m ExprName,
) -> impl Iterator<Item = BindingId> + 'm {
    let scope = semantic
        .binding_at(made)
        .map(|binding| semantic.binding(binding).scope);
    scope
        .into_iter()
        .flat_map(move |scope| semantic.bindings_named(scope, made.id.as_str()))
        .map(|(binding, _)| binding)
}

/// Whether the name `made` is read at or after `from`.
fn read_from(semantic: &SemanticModel, made: &ExprName, from: TextSize) -> bool {
    bindings_of_name(semantic, made)
        .flat_map(|binding| semantic.references_of(binding))
        .any(|reference| semantic.reference(*reference).range.start() >= from)
}

/// Whether the name `part` is iterated at or after `from` (`for sentence in sentences:`): it
/// holds a collection, likely the bulk of what it was taken from.
fn iterated_from(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    part: &ExprName,
    from: TextSize,
) -> bool {
    bindings_of_name(semantic, part).any(|binding| {
        uses_of(&function.body, semantic, binding)
            .iter()
            .any(|(range, kind)| *kind == UseKind::Iterated && range.start() >= from)
    })
}

/// The name bound to what a call parsed or converted from the value at its last use, when that
/// name is still read once the long-running region starts: `db = load_string(text)` with `db`
/// used by the loop. The data then lives on in its new form, and `del` frees only the raw form
/// it was made from, often the smaller of the two.
fn made_into_kept_value<'a>(
    semantic: &SemanticModel<'a>,
    function: &'a StmtFunctionDef,
    last_use: TextRange,
    region: TextRange,
) -> Option<&'a str> {
    let Stmt::Assign(assign) = innermost_statement(&function.body, last_use)? else {
        return None;
    };
    let [Expr::Name(made)] = &*assign.targets else {
        return None;
    };
    if !converts(&assign.value, last_use) {
        return None;
    }
    read_from(semantic, made, region.start()).then_some(made.id.as_str())
}

/// Whether `expr` parses or converts the value read at `value` into another form of the same
/// data (`fromstring(xml)`, `load_string(text)`, `unjelly(decode(data))`), rather than
/// computing something from it (`summarize(table)`).
fn converts(expr: &Expr, value: TextRange) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    if !call.arguments.range().contains_range(value) {
        return false;
    }
    let name = last_name(&call.func).unwrap_or_default();
    ["from", "load", "parse", "decode", "deserializ"]
        .iter()
        .any(|verb| name.starts_with(verb))
        || call
            .arguments
            .args
            .iter()
            .any(|argument| converts(argument, value))
}

/// Whether `callee` makes an object, which commonly keeps what it is given: a class
/// (`Worker(...)`, `models.Detector(...)`) or a class held in a variable (`worker_cls(...)`).
fn constructs(callee: &Expr) -> bool {
    let Some(name) = last_name(callee) else {
        return false;
    };
    name.starts_with(|first: char| first.is_ascii_uppercase())
        || name == "cls"
        || name.ends_with("_cls")
        || name.ends_with("_class")
}

/// Methods that consume their argument without keeping it: writing, sending, hashing, logging.
const RELEASING_METHODS: &[&str] = &[
    "write",
    "writelines",
    "send",
    "sendall",
    "update",
    "debug",
    "info",
    "warning",
    "error",
    "log",
];

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;
    use ruff_text_size::TextRange;

    use super::Holders;
    use crate::test_support::{fixes, modules_asked};

    /// Bug (last_use_was_quadratic): the last use of a name was found by asking every graph
    /// node reached whether it holds each use, the square of a long function's length. Asked
    /// by bisection, nested and overlapping ranges must answer as asking each of them does.
    #[test]
    fn holders_answer_as_asking_every_range() {
        let range = |start: u32, end: u32| TextRange::new(start.into(), end.into());
        let held = [
            range(0, 4),
            range(10, 40),
            range(12, 20),
            range(25, 30),
            range(50, 52),
        ];
        let holders = Holders::new(held.iter().copied());
        for start in 0..60 {
            for end in start..60 {
                let asked = range(start, end);
                let reading = held.iter().any(|holder| holder.contains_range(asked));
                assert_eq!(holders.hold(asked), reading, "{asked:?}");
            }
        }
        assert!(!Holders::new(std::iter::empty()).hold(range(0, 0)));
    }

    /// Whether `data` is big is not asked of the module `load` comes from when the function
    /// returns `data` or gives it another name: it escapes whatever it holds, and the question
    /// may check that module first. Any other use asks.
    #[test]
    fn a_value_returned_or_aliased_is_not_asked_about_in_other_modules() {
        let asked = |tail: &str| {
            let source = format!(
                "from pkg.io import load\n\ndef read(path, queue):\n    data = load(path)\n    \
                 while queue.get():\n        pass\n{tail}"
            );
            modules_asked(&source, "EL301")
        };
        assert_eq!(asked("    return data\n"), Vec::<String>::new());
        assert_eq!(asked("    return data, path\n"), Vec::<String>::new());
        assert_eq!(asked("    kept = data\n"), Vec::<String>::new());
        assert_eq!(asked("    print(data)\n"), ["pkg", "pkg.io"]);
    }

    const SERVE: &str = "\
import json

def serve(path, queue):
    config = json.load(open(path))
    port = config['port']  # the last use
    while True:
        handle(queue.get(), port)
";

    #[test]
    fn del_is_inserted_after_the_last_use() {
        let expected = SERVE.replace(
            "    port = config['port']  # the last use\n",
            "    port = config['port']  # the last use\n    del config\n",
        );
        assert_eq!(fixes(SERVE), [(Applicability::Unsafe, expected)]);
    }

    #[test]
    fn del_keeps_crlf_line_endings() {
        let source = SERVE.replace('\n', "\r\n");
        let expected = source.replace("# the last use\r\n", "# the last use\r\n    del config\r\n");
        assert_eq!(fixes(&source), [(Applicability::Unsafe, expected)]);
    }

    /// Bug: the help named the line of the last use, which may be a `for` header or the middle
    /// of a multi-line expression; the `del` goes after the whole statement that holds it.
    #[test]
    fn el301_del_goes_after_the_whole_statement_with_the_last_use() {
        let source = "\
import json

def serve(path, queue, verbose):
    config = json.load(open(path))
    for key in config:
        print(key)
    while True:
        handle(queue.get())
";
        let expected = source.replace(
            "        print(key)\n",
            "        print(key)\n    del config\n",
        );
        assert_eq!(fixes(source), [(Applicability::Unsafe, expected)]);
    }

    /// Bug: `del x` broke code that still read `x` through `locals()` or `eval`.
    #[test]
    fn el301_no_del_where_locals_are_read_by_name() {
        let source = SERVE.replace(
            "        handle(queue.get(), port)\n",
            "        handle(queue.get(), port, **locals())\n",
        );
        assert!(fixes(&source).is_empty());
    }
}
