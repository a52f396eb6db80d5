use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::{BigReason, Origin};
use edgelint_semantic::{NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel, Size};
use ruff_python_ast::{Expr, ExprCall, ExprContext, NodeKind, Stmt, StmtClassDef};
use ruff_text_size::{Ranged, TextRange};

use super::container_growth::{
    attribute_growth_sites, grown_here, growth_size, unbounded_container, unknown_domain,
    unless_handed_out,
};
use super::{self_or_cls, waits_for_next_item};
use crate::key_domains::KeyDomain;
use crate::uses::{grown_at_node, use_of, Growth, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a container that `__init__` puts on an object that lives as long as the process
    /// (`self.pending = {}`), when the class's methods grow it from an unbounded domain
    /// (`self.pending[message.id] = future`, `self.seen.add(request.path)`) and nothing ever
    /// removes from it: no `pop`, `del`, `clear`, `popleft` or `discard`, no reassignment
    /// outside `__init__`, anywhere in the class (callbacks included) or in any other module of
    /// the run (matched by attribute name), and the container is never handed to other code.
    ///
    /// An object lives as long as the process when the module makes it at import
    /// (`client = Client()` at module level), or when its class runs a serving or receiving
    /// loop (`while True:` or `while self.running:` around a `recv`, `accept`, queue `get`,
    /// `poll`, `sleep` or `await`; `serve_forever()`): a server, a client, a connection, a
    /// worker. A parser's loop that reads a file until it ends does not count. Objects of other classes may be made per request and
    /// dropped with it: not flagged.
    ///
    /// By default it reports a list (or deque) that a method the serving loop runs on every
    /// pass appends to: it gains an element per request or message. A dict or set keyed by
    /// what a request carries may still hold one entry per device, peer or type, which names
    /// alone cannot tell from one per message, so it is reported with `--pedantic`, as is a
    /// container grown elsewhere; one keyed by literals, enum members or types never.
    ///
    /// ## Why is this bad?
    /// A long-lived object keeps its containers for the life of the process. One that gains an
    /// entry for every request or message and never loses one grows until the device runs out
    /// of memory: the classic leak of a server that tracks pending requests and forgets to drop
    /// the answered ones.
    ///
    /// ## Example
    /// ```python
    /// class Gateway:
    ///     def __init__(self, sock):
    ///         self.sock = sock
    ///         self.received = []
    ///
    ///     def run(self):
    ///         while True:
    ///             reply = self.sock.recv(4096)
    ///             self.received.append(reply)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import collections
    ///
    /// class Gateway:
    ///     def __init__(self, sock):
    ///         self.sock = sock
    ///         self.received = collections.deque(maxlen=1000)
    ///
    ///     def run(self):
    ///         while True:
    ///             reply = self.sock.recv(4096)
    ///             self.received.append(reply)
    /// ```
    pub static UNBOUNDED_INSTANCE_CONTAINER = {
        code: "EL309",
        name: "unbounded-instance-container",
        family: Family::Lifetimes,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAssign], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let Stmt::Assign(assign) = statement else {
        return;
    };
    let [Expr::Attribute(target)] = &*assign.targets else {
        return;
    };
    let semantic = checker.semantic();
    let Some((class, class_scope)) = init_of(semantic, checker.scope(), &target.value) else {
        return;
    };
    let Some(kind) = unbounded_container(semantic, &assign.value) else {
        return;
    };
    let attribute = target.attr.as_str();
    let init = checker.scope();
    let Some(sites) = attribute_growth_sites(
        semantic,
        semantic
            .attribute_nodes(attribute)
            .filter(|id| class.range().contains_range(semantic.node(*id).range())),
        attribute,
        kind,
        |receiver| is_self(semantic, receiver),
        |read| semantic.node_scope(read) == init,
    ) else {
        return;
    };
    let growths: Vec<Option<Growth>> = sites
        .iter()
        .map(|site| grown_at_node(semantic, *site))
        .collect();
    let Some((size, domain)) = growth_size(semantic, &growths) else {
        return;
    };
    // Asked only of a container that grows (most never do after `__init__`), and worked out
    // once per class: it reads the whole class, its methods' bodies included.
    let lifetime = checker.memo(class_scope.index() as u32, |checker| {
        long_lived(checker.semantic(), class)
    });
    let Some(lifetime) = &*lifetime else {
        return;
    };
    // The evidence that it grows without end: a list appended to on every pass of the
    // serving loop. A dict or set keyed by the request or message it handles may still hold
    // one entry per device, broker or task family, which names alone cannot tell apart from
    // one per message: an independent review judged most such findings not worth acting on.
    let per_pass = reached_from_loops(semantic, class, class_scope, lifetime);
    let appended_every_pass = sites.iter().find_map(|site| {
        let node = semantic.node(*site);
        let appended = matches!(use_of(semantic, *site),
            UseKind::MethodCall("append" | "appendleft" | "insert" | "extend"))
            || matches!(node, NodeRef::Expr(Expr::Attribute(grown)) if grown.ctx != ExprContext::Load);
        (appended && per_pass.iter().any(|range| range.contains_range(node.range())))
            .then(|| node.range())
    });
    let size = match appended_every_pass {
        Some(site) => Size::Large {
            reason: BigReason::GrownEveryPass,
            origin: Some(Origin::Here(site)),
        },
        None if size == Size::Small => return,
        None => Size::Unknown,
    };
    let shown = format!("self.{attribute}");
    let unknown = (size == Size::Unknown).then(|| match domain {
        KeyDomain::Entities => unknown_domain(domain, &shown),
        _ => format!(
            "whether `{shown}` keeps gaining entries as the object serves is not known (its keys may repeat: one per device, peer or type)"
        ),
    });
    let (size, unknown) = checker.over_process_life(size, unknown);
    let class_name = class.name.to_string();
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        statement.range(),
        format!("`{shown}` grows with every call and nothing ever removes from it"),
    ) else {
        return;
    };
    diagnostic.label = format!(
        "lives as long as the `{class_name}` object: {}",
        lifetime.describe()
    );
    diagnostic.unless_handed_out_elsewhere = unless_handed_out(semantic, attribute, &sites);
    diagnostic.secondary.extend(grown_here(
        sites.iter().map(|site| semantic.node(*site).range()),
    ));
    diagnostic.help = Some(
        "remove each entry when it is done (`pop`, `del`), bound it (`collections.deque(maxlen=...)`, an LRU cache), or hold the entries weakly (`weakref.WeakValueDictionary`)".to_string(),
    );
}

/// The class whose `__init__` is `scope`, when `receiver` is that method's first parameter
/// (`self`), with the class's scope.
fn init_of<'a>(
    semantic: &SemanticModel<'a>,
    scope: ScopeId,
    receiver: &Expr,
) -> Option<(&'a StmtClassDef, ScopeId)> {
    let ScopeKind::Function(init) = semantic.scope(scope).kind else {
        return None;
    };
    let class_scope = semantic.scope(scope).parent?;
    let ScopeKind::Class(class) = semantic.scope(class_scope).kind else {
        return None;
    };
    let first = init.parameters.args.first()?.parameter.name.as_str();
    let is_receiver = matches!(receiver, Expr::Name(name) if name.id.as_str() == first);
    (init.name.as_str() == "__init__" && is_receiver).then_some((class, class_scope))
}

/// Why objects of a class live as long as the process.
enum Lifetime {
    /// The module makes one at import.
    MadeAtImport,
    /// The class runs these serving loops (`while self.running: msg = sock.recv(...)`).
    Serves(Vec<NodeId>),
}

impl Lifetime {
    fn describe(&self) -> &'static str {
        match self {
            Lifetime::MadeAtImport => "the module makes one at import",
            Lifetime::Serves(_) => "its class runs a serving loop",
        }
    }
}

/// Why objects of `class` live as long as the process, when they do: the module makes one at
/// import, or the class runs a serving or receiving loop.
fn long_lived(semantic: &SemanticModel, class: &StmtClassDef) -> Option<Lifetime> {
    let made_at_import = semantic.binding_at(&class.name).is_some_and(|binding| {
        semantic.references_of(binding).iter().any(|reference| {
            let reference = semantic.reference(*reference);
            semantic.at_import_time(reference.node)
                && semantic.parent(reference.node).is_some_and(|parent| {
                    matches!(semantic.node(parent), NodeRef::Expr(Expr::Call(call))
                        if call.func.range() == reference.range)
                })
        })
    });
    if made_at_import {
        return Some(Lifetime::MadeAtImport);
    }
    let scope = semantic.scope_of(class)?;
    let loops: Vec<NodeId> = semantic
        .scope_nodes(scope)
        .into_bodies()
        // The kind is in the model's table: only loops and calls are read from the tree.
        .filter(|id| {
            matches!(
                semantic.node_kind(*id),
                NodeKind::StmtWhile | NodeKind::ExprCall
            )
        })
        .filter(|id| match semantic.node(*id) {
            NodeRef::Stmt(Stmt::While(serving)) => {
                is_run_condition(&serving.test)
                    && semantic
                        .subtree(*id)
                        .any(|inner| match semantic.node(inner) {
                            NodeRef::Expr(Expr::Await(_)) => true,
                            NodeRef::Expr(Expr::Call(call)) => receives(call),
                            _ => false,
                        })
            }
            NodeRef::Expr(Expr::Call(call)) => {
                calls_one_of(call, &["serve_forever", "run_forever"])
            }
            _ => false,
        })
        .collect();
    (!loops.is_empty()).then_some(Lifetime::Serves(loops))
}

/// Where code runs once per pass of the class's serving loops: the loops themselves, and the
/// methods they call through `self` (and those call, three deep).
fn reached_from_loops<'a>(
    semantic: &SemanticModel<'a>,
    class: &StmtClassDef,
    class_scope: ScopeId,
    lifetime: &Lifetime,
) -> Vec<TextRange> {
    let Lifetime::Serves(loops) = lifetime else {
        return Vec::new();
    };
    let mut reached: Vec<TextRange> = loops.iter().map(|id| semantic.node(*id).range()).collect();
    let mut frontier = reached.clone();
    // The methods called through `self` anywhere in the class: the loops and the methods
    // reached are all in it.
    let self_calls: Vec<(&'a str, TextRange)> = semantic
        .node_id(class)
        .into_iter()
        .flat_map(|id| semantic.subtree(id).into_bodies())
        .filter(|id| semantic.node_kind(*id) == NodeKind::ExprCall)
        .filter_map(|id| match semantic.node(id) {
            NodeRef::Expr(Expr::Call(call)) => match &*call.func {
                Expr::Attribute(callee) if is_self(semantic, &callee.value) => {
                    Some((callee.attr.as_str(), call.range()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    for _ in 0..3 {
        // The methods called in the code reached last.
        let called: Vec<&str> = self_calls
            .iter()
            .filter(|(_, call)| frontier.iter().any(|range| range.contains_range(*call)))
            .map(|(method, _)| *method)
            .collect();
        let next: Vec<TextRange> = semantic
            .methods(class_scope)
            .filter(|(method, _)| {
                called.contains(&method.name.as_str()) && !reached.contains(&method.range)
            })
            .map(|(method, _)| method.range)
            .collect();
        if next.is_empty() {
            break;
        }
        reached.extend(&next);
        frontier = next;
    }
    reached
}

/// A call that waits for the next request, message or job: a loop around one serves until
/// the object stops. (A file's `read` is not one: a parser reads until the file ends.)
fn receives(call: &ExprCall) -> bool {
    waits_for_next_item(call) || calls_one_of(call, &["poll", "select", "wait", "sleep"])
}

fn calls_one_of(call: &ExprCall, methods: &[&str]) -> bool {
    matches!(&*call.func, Expr::Attribute(method) if methods.contains(&method.attr.as_str()))
}

/// `True`, `1`, `self.running`, `not self._closed`: a loop that runs until the object stops.
fn is_run_condition(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(literal) => literal.value,
        Expr::NumberLiteral(number) => {
            number.value.as_int().and_then(|int| int.as_u64()) == Some(1)
        }
        Expr::Attribute(flag) => {
            matches!(&*flag.value, Expr::Name(name) if name.id.as_str() == "self")
        }
        Expr::UnaryOp(negated) => is_run_condition(&negated.operand),
        _ => false,
    }
}

/// `self.x` read by name from a method, or from a function nested in one (a callback).
fn is_self(semantic: &SemanticModel, receiver: &Expr) -> bool {
    self_or_cls(semantic, receiver) == Some("self")
}
