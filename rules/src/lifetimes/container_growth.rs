//! How a container attribute grows, for the rules about containers that live as long as the
//! process: on a long-lived object (EL309) or on a class (EL302).

use edgelint_diagnostics::Label;
use edgelint_semantic::provenance::{BigReason, Origin};
use edgelint_semantic::{
    applied_at_import, last_name, NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel, Size,
};
use ruff_python_ast::{CmpOp, Expr, ExprContext, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::self_or_cls;
use crate::key_domains::{is_bounded_key, key_domain, KeyDomain};
use crate::statements::is_parameter;
use crate::uses::{use_of, Growth, UseKind, SHRINKING_METHODS, STORING_METHODS};

#[derive(Copy, Clone, PartialEq, Eq)]
pub(super) enum ContainerKind {
    Plain,
    /// A `defaultdict`, which `d[k].append(x)` grows.
    DefaultDict,
}

/// The kind of an unbounded container display or constructor.
pub(super) fn unbounded_container(semantic: &SemanticModel, value: &Expr) -> Option<ContainerKind> {
    match value {
        Expr::List(_) | Expr::Dict(_) | Expr::Set(_) => Some(ContainerKind::Plain),
        Expr::Call(call) => {
            let name = semantic.resolve(&call.func)?;
            match name.as_str() {
                "builtins.list"
                | "builtins.dict"
                | "builtins.set"
                | "collections.OrderedDict"
                | "collections.Counter" => Some(ContainerKind::Plain),
                "collections.defaultdict" => Some(ContainerKind::DefaultDict),
                // `deque(iterable, maxlen)` / `deque(maxlen=N)` is bounded.
                "collections.deque" => {
                    let bounded = call.arguments.args.len() > 1
                        || call.arguments.find_keyword("maxlen").is_some();
                    (!bounded).then_some(ContainerKind::Plain)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// How big the container can grow, and the widest domain of what it is grown with (`growths`,
/// one per site, `None` where the site does not show a key);
/// `None` when it fills up once (literal keys, types, devices, names).
///
/// Keys new on every call (request paths, message ids, times) grow it without limit. One
/// entry per thing (a timer's id, a source file, a URL) grows it as far as there are things,
/// which is often few: that counts only when each entry holds data shown to be large.
pub(super) fn growth_size(
    semantic: &SemanticModel,
    growths: &[Option<Growth>],
) -> Option<(Size, KeyDomain)> {
    if growths
        .iter()
        .all(|growth| growth.is_some_and(|growth| is_bounded_key(growth.key)))
    {
        return None;
    }
    let (domain, widest) = growths
        .iter()
        .map(|growth| {
            let domain = growth.map_or(KeyDomain::Unknown, |growth| {
                let domain = key_domain(semantic, growth.key);
                // `pool[str(conn)] = duckdb.connect(conn)`: the key says where to connect, not
                // a connection accepted per call; there is one entry per database or server.
                if domain == KeyDomain::PerCall
                    && growth
                        .value
                        .is_some_and(|value| opens_connection(semantic, value))
                {
                    KeyDomain::Entities
                } else {
                    domain
                }
            });
            (domain, *growth)
        })
        .max_by_key(|(domain, _)| *domain)?;
    let size = match (domain, widest) {
        (KeyDomain::PerCall, Some(growth)) => Size::Large {
            reason: BigReason::UnboundedKeys,
            origin: Some(Origin::Here(growth.key.range())),
        },
        (KeyDomain::Entities, _) => entry_size(semantic, growths),
        _ => Size::Unknown,
    };
    Some((size, domain))
}

/// Large when some entry holds data shown to be large (a whole file), else unknown.
pub(super) fn entry_size(semantic: &SemanticModel, growths: &[Option<Growth>]) -> Size {
    growths
        .iter()
        .flatten()
        .filter_map(|growth| growth.value)
        .map(|value| semantic.size_of(value))
        .find(|size| matches!(size, Size::Large { .. }))
        .unwrap_or(Size::Unknown)
}

/// Whether `key` is, or is read from, what the function growing the container was handed
/// (`request.request_id`, `str(conn)`, `msg["id"]`, `session_token`), other than `self` or
/// `cls`.
pub(super) fn handed_in(semantic: &SemanticModel, key: &Expr) -> bool {
    match key {
        Expr::Name(_) => self_or_cls(semantic, key).is_none() && is_parameter(semantic, key),
        Expr::Attribute(attribute) => handed_in(semantic, &attribute.value),
        Expr::Subscript(subscript) => handed_in(semantic, &subscript.value),
        // `id(conn)`, `str(request.path)`.
        Expr::Call(call) => call
            .arguments
            .args
            .first()
            .is_some_and(|argument| handed_in(semantic, argument)),
        Expr::Tuple(tuple) => tuple.elts.iter().any(|part| handed_in(semantic, part)),
        _ => false,
    }
}

/// Whether `value` is a connection, engine or client the code opens (`duckdb.connect(dsn)`,
/// `create_engine(url)`, `redis.Redis(host)`), or a name bound only to such calls (and `None`)
/// before it.
fn opens_connection(semantic: &SemanticModel, value: &Expr) -> bool {
    match value {
        Expr::Call(call) => {
            let Some(callee) = last_name(&call.func) else {
                return false;
            };
            // `connect`, `create_engine`, `_create_blob_service_client`, `redis.Redis`.
            let callee = callee.to_ascii_lowercase();
            matches!(callee.as_str(), "connect" | "from_url")
                || ["client", "connection", "engine", "pool", "redis"]
                    .iter()
                    .any(|suffix| callee.ends_with(suffix))
        }
        Expr::Name(name) => {
            let Some(binding) = semantic.binding_of(name) else {
                return false;
            };
            let scope = semantic.binding(binding).scope;
            // What the bindings written before it assign, in the order of the source.
            let values: Vec<Option<&Expr>> = semantic
                .bindings_named(scope, name.id.as_str())
                .filter(|(_, other)| other.range.start() < name.range.start())
                .map(|(_, other)| match other.statement {
                    Some(Stmt::Assign(assign)) if assign.targets.len() == 1 => Some(&*assign.value),
                    _ => None,
                })
                .collect();
            let connects = |value: &Option<&Expr>| {
                value.is_some_and(|value| opens_connection(semantic, value))
            };
            // `client = None` before the branch that connects.
            values.iter().any(connects)
                && values
                    .iter()
                    .all(|value| connects(value) || value.is_some_and(Expr::is_none_literal_expr))
        }
        _ => false,
    }
}

/// Labels for the first few places a container grows.
pub(super) fn grown_here(sites: impl Iterator<Item = TextRange>) -> impl Iterator<Item = Label> {
    sites.take(3).map(|range| Label {
        range,
        message: "grown here".to_string(),
    })
}

/// Why a container grown from `domain` is reported only with `--pedantic`, for `shown`.
pub(super) fn unknown_domain(domain: KeyDomain, shown: &str) -> String {
    match domain {
        KeyDomain::Entities => format!(
            "`{shown}` holds one entry per id, path, file, instance or server it is grown with: whether there are few or many is not known"
        ),
        _ => format!(
            "whether what `{shown}` is grown with is new on every call (requests, messages, times) is not known"
        ),
    }
}

/// Where `<receiver>.<attribute>` is grown, among `nodes` (reads of it, as nodes), for the
/// receivers `is_receiver` accepts; `None` when something may shrink it: a shrinking method,
/// `del`, a slice store, a store other than where it is made (`is_creation`), a size check
/// (`len(self.x) < limit`), or a use that hands it to other code.
pub(super) fn attribute_growth_sites(
    semantic: &SemanticModel,
    nodes: impl Iterator<Item = NodeId>,
    attribute: &str,
    kind: ContainerKind,
    is_receiver: impl Fn(&Expr) -> bool,
    is_creation: impl Fn(NodeId) -> bool,
) -> Option<Vec<NodeId>> {
    let mut sites = Vec::new();
    for id in nodes {
        let NodeRef::Expr(Expr::Attribute(read)) = semantic.node(id) else {
            continue;
        };
        if read.attr.as_str() != attribute || !is_receiver(&read.value) {
            continue;
        }
        let creating = is_creation(id);
        if read.ctx != ExprContext::Load {
            // `self.buffer += chunk` grows it; any other store or `del` resets it.
            let augmented = semantic.parent(id).is_some_and(|parent| {
                matches!(semantic.node(parent), NodeRef::Stmt(Stmt::AugAssign(grow))
                    if grow.target.range() == read.range)
            });
            match (augmented, creating) {
                (true, false) => sites.push(id),
                (false, false) => return None,
                _ => {}
            }
            continue;
        }
        let use_kind = use_of(semantic, id);
        let shrinks = match use_kind {
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
        let grows = match use_kind {
            UseKind::MethodCall(method) => STORING_METHODS.contains(&method),
            UseKind::ItemStore => true,
            UseKind::ItemMethodCall(method) => {
                kind == ContainerKind::DefaultDict && STORING_METHODS.contains(&method)
            }
            _ => false,
        };
        if grows && !creating {
            sites.push(id);
        }
    }
    Some(sites)
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

/// The names under which a finding about the container `attribute`, grown at `sites`, holds
/// only if no module hands one on: the attribute itself (`raise self.protocol.errors`), and
/// the decorator that alone grows it, which other modules may apply while they load
/// (`@registry.register("x")`): then it is a registry filled at import.
pub(super) fn unless_handed_out(
    semantic: &SemanticModel,
    attribute: &str,
    sites: &[NodeId],
) -> Vec<String> {
    let scopes = sites.iter().map(|site| Some(semantic.node_scope(*site)));
    std::iter::once(attribute.to_string())
        .chain(
            only_grower(semantic, scopes)
                .map(|(function, returned)| applied_at_import(function, returned)),
        )
        .collect()
}

/// The function that makes every growth (each in one of `scopes`) when applied as a
/// decorator: in its own body (`def handler(function): HANDLERS.append(function)`), or, with
/// `true`, in a function defined directly in it, which a decorator factory returns
/// (`def codec(extension): def decorate(cls): CODECS[extension] = cls`). Either may be a
/// method of a module-level class (`@classmethod def register(cls, name)`, applied as
/// `@Registry.register("x")`). The function that grows it must take just the decorated
/// definition: a wrapper (`def wrapper(*args)`) runs when the decorated function is called,
/// not at import.
pub(super) fn only_grower<'a>(
    semantic: &SemanticModel<'a>,
    scopes: impl IntoIterator<Item = Option<ScopeId>>,
) -> Option<(&'a str, bool)> {
    let mut growers = scopes
        .into_iter()
        .map(|scope| decorator_growing_in(semantic, scope?));
    let first = growers.next()??;
    growers.all(|other| other == Some(first)).then_some(first)
}

/// The decorator (or, with `true`, decorator factory) whose body `scope` is, if it is one.
fn decorator_growing_in<'a>(
    semantic: &SemanticModel<'a>,
    mut scope: ScopeId,
) -> Option<(&'a str, bool)> {
    let mut functions = Vec::new();
    let mut method = false;
    while let Some(parent) = semantic.scope(scope).parent {
        // Up to the module, through at most one class right under it; a lambda or
        // comprehension on the way is no decorator.
        match semantic.scope(scope).kind {
            ScopeKind::Function(function) if !method => functions.push(function),
            ScopeKind::Class(_) if parent == SemanticModel::MODULE_SCOPE => method = true,
            _ => return None,
        }
        scope = parent;
    }
    match functions[..] {
        [decorator] if takes_a_definition(decorator, method) => {
            Some((decorator.name.as_str(), false))
        }
        [decorate, factory] if takes_a_definition(decorate, false) => {
            Some((factory.name.as_str(), true))
        }
        _ => None,
    }
}

/// Whether `function` has the shape of what a decorator applies: one parameter, the
/// decorated function or class (`def decorate(cls):`), after the receiver of a `method`
/// (`def register(cls, handler)` under `@classmethod`). It has no decorator of its own but
/// `classmethod` or `staticmethod` on a method.
fn takes_a_definition(function: &StmtFunctionDef, method: bool) -> bool {
    let mut receivers = usize::from(method);
    for decorator in &function.decorator_list {
        match &decorator.expression {
            Expr::Name(name) if method && name.id.as_str() == "classmethod" => {}
            Expr::Name(name) if method && name.id.as_str() == "staticmethod" => receivers = 0,
            _ => return false,
        }
    }
    let parameters = &function.parameters;
    parameters.posonlyargs.len() + parameters.args.len() == 1 + receivers
        && parameters.vararg.is_none()
        && parameters.kwarg.is_none()
        && parameters.kwonlyargs.is_empty()
}
