use edgelint_diagnostics::{Label, Severity};
use edgelint_semantic::provenance::{BigReason, Origin};
use edgelint_semantic::{BindingKind, NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel, Size};
use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprContext, NodeKind, Stmt, StmtClassDef};
use ruff_text_size::Ranged;

use super::unbounded_module_container::{unbounded_container, ContainerKind};
use crate::key_domains::{is_bounded_key, key_domain, KeyDomain};
use crate::uses::{grown_at_node, use_of, Growth, UseKind, SHRINKING_METHODS, STORING_METHODS};
use crate::{rule, Checker, Family, FixAvailability, Hook};

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
    /// By default it reports containers keyed or filled by what is new on every call (request,
    /// message, connection and time values); one entry per id, path or file only when each
    /// entry holds data shown to be large. Other keys are reported with `--pedantic`; literal
    /// keys, enum members and types never.
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
    ///         self.pending = {}
    ///
    ///     def send(self, request):
    ///         self.pending[request.id] = request
    ///         self.sock.send(request.encode())
    ///
    ///     def run(self):
    ///         while True:
    ///             reply = self.sock.recv(4096)
    ///             print(self.pending.get(reply[:8]))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// class Gateway:
    ///     def __init__(self, sock):
    ///         self.sock = sock
    ///         self.pending = {}
    ///
    ///     def send(self, request):
    ///         self.pending[request.id] = request
    ///         self.sock.send(request.encode())
    ///
    ///     def run(self):
    ///         while True:
    ///             reply = self.sock.recv(4096)
    ///             print(self.pending.pop(reply[:8], None))
    /// ```
    pub static UNBOUNDED_INSTANCE_CONTAINER = {
        code: "EL309",
        name: "unbounded-instance-container",
        family: Family::Lifetimes,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::None,
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
    let Some(lifetime) = long_lived(semantic, class) else {
        return;
    };
    let Some(sites) = growth_sites(semantic, class_scope, attribute, kind, checker.scope()) else {
        return;
    };
    let growths: Vec<Option<Growth>> = sites
        .iter()
        .map(|site| grown_at_node(semantic, *site))
        .collect();
    if growths.is_empty()
        || growths
            .iter()
            .all(|growth| growth.is_some_and(|growth| is_bounded_key(growth.key)))
    {
        return;
    }
    let (domain, widest) = growths
        .iter()
        .map(|growth| {
            let domain = growth.map_or(KeyDomain::Unknown, |growth| {
                key_domain(semantic, growth.key)
            });
            (domain, *growth)
        })
        .max_by_key(|(domain, _)| *domain)
        .unwrap_or((KeyDomain::Unknown, None));
    let size = match (domain, widest) {
        (KeyDomain::Small, _) => return,
        (KeyDomain::PerCall, Some(growth)) => Size::Large {
            reason: BigReason::UnboundedKeys,
            origin: Some(Origin::Here(growth.key.range())),
        },
        (KeyDomain::Entities, _) => growths
            .iter()
            .flatten()
            .filter_map(|growth| growth.value)
            .map(|value| semantic.size_of(value))
            .find(|size| matches!(size, Size::Large { .. }))
            .unwrap_or(Size::Unknown),
        _ => Size::Unknown,
    };
    let shown = format!("self.{attribute}");
    let unknown = (size == Size::Unknown).then(|| match domain {
        KeyDomain::Entities => format!(
            "whether there are few or many of the ids, paths or files `{shown}` is grown with is not known"
        ),
        _ => format!(
            "whether what `{shown}` is grown with is new on every call (requests, messages, times) is not known"
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
    diagnostic.label = format!("lives as long as the `{class_name}` object: {lifetime}");
    diagnostic.unless_handed_out_elsewhere = Some(attribute.to_string());
    for site in sites.iter().take(3) {
        diagnostic.secondary.push(Label {
            range: semantic.node(*site).range(),
            message: "grown here".to_string(),
        });
    }
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

/// Why objects of `class` live as long as the process, when they do: the module makes one at
/// import, or the class runs a serving or receiving loop.
fn long_lived(semantic: &SemanticModel, class: &StmtClassDef) -> Option<&'static str> {
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
        return Some("the module makes one at import");
    }
    let scope = semantic.scope_of(class)?;
    let serves = semantic
        .scope_nodes(scope)
        .into_bodies()
        .any(|id| match semantic.node(id) {
            NodeRef::Stmt(Stmt::While(serving)) => {
                is_run_condition(&serving.test)
                    && semantic
                        .subtree(id)
                        .any(|inner| match semantic.node(inner) {
                            NodeRef::Expr(Expr::Await(_)) => true,
                            NodeRef::Expr(Expr::Call(call)) => calls_one_of(call, RECEIVES),
                            _ => false,
                        })
            }
            NodeRef::Expr(Expr::Call(call)) => {
                calls_one_of(call, &["serve_forever", "run_forever"])
            }
            _ => false,
        });
    serves.then_some("its class runs a serving loop")
}

/// Methods that wait for the next request, message or job: a loop around one serves until
/// the object stops. (A file's `read` is not one: a parser reads until the file ends.)
const RECEIVES: &[&str] = &[
    "recv",
    "recvfrom",
    "recv_into",
    "recv_multipart",
    "accept",
    "get",
    "poll",
    "select",
    "receive",
    "wait",
    "sleep",
];

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

/// Where the class's methods grow `self.<attribute>` (reads of it, as nodes), outside
/// `__init__`; `None` when something may shrink it: a shrinking method, `del`, a slice
/// store, a reassignment outside `__init__`, a size check (`len(self.x) < limit`), or a use
/// that hands it to other code.
fn growth_sites(
    semantic: &SemanticModel,
    class_scope: ScopeId,
    attribute: &str,
    kind: ContainerKind,
    init: ScopeId,
) -> Option<Vec<NodeId>> {
    let mut sites = Vec::new();
    for id in semantic.scope_nodes(class_scope).into_bodies() {
        let NodeRef::Expr(Expr::Attribute(read)) = semantic.node(id) else {
            continue;
        };
        if read.attr.as_str() != attribute || !is_self(semantic, &read.value) {
            continue;
        }
        let in_init = semantic.node_scope(id) == init;
        if read.ctx != ExprContext::Load {
            // `self.buffer += chunk` grows it; any other store or `del` resets it.
            let augmented = semantic.parent(id).is_some_and(|parent| {
                matches!(semantic.node(parent), NodeRef::Stmt(Stmt::AugAssign(grow))
                    if grow.target.range() == read.range)
            });
            match (augmented, in_init) {
                (true, false) => sites.push(id),
                (false, false) => return None,
                _ => {}
            }
            continue;
        }
        let shrinks = match use_of(semantic, id) {
            UseKind::MethodCall(method) => SHRINKING_METHODS.contains(&method),
            UseKind::ItemDelete | UseKind::Deleted | UseKind::SliceStore => true,
            UseKind::Argument { callee } => {
                let builtin = semantic
                    .resolve(callee)
                    .is_some_and(|name| name.builtin().is_some());
                !builtin || is_size_check(semantic, id)
            }
            use_kind => use_kind.escapes(),
        };
        if shrinks {
            return None;
        }
        let grows = match use_of(semantic, id) {
            UseKind::MethodCall(method) => STORING_METHODS.contains(&method),
            UseKind::ItemStore => true,
            UseKind::ItemMethodCall(method) => {
                kind == ContainerKind::DefaultDict && STORING_METHODS.contains(&method)
            }
            _ => false,
        };
        if grows && !in_init {
            sites.push(id);
        }
    }
    Some(sites)
}

/// `self.x` read by name from a method, or from a function nested in one (a callback).
fn is_self(semantic: &SemanticModel, receiver: &Expr) -> bool {
    let Expr::Name(name) = receiver else {
        return false;
    };
    name.id.as_str() == "self"
        && semantic.binding_of(name).is_some_and(|binding| {
            matches!(
                semantic.binding(binding).kind,
                BindingKind::Parameter { .. }
            )
        })
}

/// `len(self.x)` compared with something (`if len(self.x) >= limit:`): the class watches its
/// size, so it is bounded on purpose.
fn is_size_check(semantic: &SemanticModel, read: NodeId) -> bool {
    let Some(call) = semantic.parent(read) else {
        return false;
    };
    let Some(compare) = semantic.parent(call) else {
        return false;
    };
    matches!(semantic.node(compare), NodeRef::Expr(Expr::Compare(compare))
        if compare.ops.iter().all(|op| !matches!(op, CmpOp::Eq | CmpOp::NotEq)))
}
