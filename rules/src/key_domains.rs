//! Which keys come from a small domain and which from an unbounded one, as their names tell:
//! what EL302 and EL303 ask of what a container or a cache is keyed by. A cache keyed by the
//! compute device fills up once; one keyed by message ids grows for as long as messages come.

use edgelint_semantic::{BindingKind, SemanticModel};

use crate::lifetimes::self_or_cls;
use ruff_python_ast::{Expr, Stmt};

/// Words that name a value that is new on every call: times, requests, messages, connections,
/// and the data a program receives (events, records, frames, samples, results). A plural
/// counts as its singular.
const PER_CALL_WORDS: &[&str] = &[
    "ts",
    "time",
    "timestamp",
    "request",
    "req",
    "session",
    "token",
    "msg",
    "message",
    "peer",
    "client",
    "conn",
    "connection",
    "user",
    "query",
    "event",
    "record",
    "frame",
    "packet",
    "sample",
    "reading",
    "row",
    "job",
    "task",
    "result",
    "payload",
    "upload",
    "chunk",
    "data",
    "line",
    "latency",
    "duration",
    "reader",
    "ws",
    "socket",
];

/// Words that name one of the things a program knows about: ids, paths, files, the addresses of
/// devices on a bus. There are as many as there are things (timers, source files, configured
/// schedules, paired devices), which is often few;
/// named on a request or a message (`request.path`, `msg["device_id"]`) they are per call.
const ENTITY_WORDS: &[&str] = &[
    "id", "uuid", "path", "url", "uri", "file", "filename", "addr", "address",
];

/// Words that name a value from a small domain: types, devices, languages, modes, modules,
/// configured names.
const BOUNDED_WORDS: &[&str] = &[
    "cls", "klass", "type", "kind", "device", "lang", "language", "locale", "mode", "module",
    "name", "backend", "dtype",
];

/// Whether `key` is a literal (`c["mode"]`, `slots[0]`), a constant (`data[KEY]`,
/// `data[Device.CONTROL]`) or names a value from a small domain (`registry[cls]`,
/// `models[device]`, `plots[name]`, `counts[type(message)]`).
pub(crate) fn is_bounded_key(key: &Expr) -> bool {
    if let Some(object) = identity_of(key) {
        return is_bounded_key(object);
    }
    match key {
        Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => true,
        Expr::Tuple(tuple) => tuple.elts.iter().all(is_bounded_key),
        // `type(message)`: one per class.
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(function) if function.id.as_str() == "type")
        }
        Expr::Name(name) => names_bounded_domain(&name.id) || names_constant(&name.id),
        Expr::Attribute(attribute) => {
            matches!(
                attribute.attr.as_str(),
                "__name__" | "__class__" | "__qualname__"
            ) || names_bounded_domain(&attribute.attr)
                || names_constant(&attribute.attr)
        }
        _ => false,
    }
}

/// An upper-case name (`KEY`, `NSDP_CONTROL`) is a constant by Python convention: one value.
/// A single letter (`N`, `X`) is more often a variable of a formula.
fn names_constant(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && !name.chars().any(|c| c.is_ascii_lowercase())
}

/// `x` of `id(x)` or `hash(x)`: a key as many-valued as the object it identifies
/// (`id(module)` takes one value per module).
fn identity_of(key: &Expr) -> Option<&Expr> {
    let Expr::Call(call) = key else {
        return None;
    };
    match (&*call.func, &*call.arguments.args) {
        (Expr::Name(function), [object]) if matches!(function.id.as_str(), "id" | "hash") => {
            Some(object)
        }
        _ => None,
    }
}

/// The domain a container's keys (or elements) come from, from the narrowest to the widest.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyDomain {
    /// Literals, types, devices, languages, modes, configured names: it fills up once.
    Small,
    /// Nothing says.
    Unknown,
    /// Ids, paths and files of things the program knows about, the instances of a class, the
    /// servers it connects to: one entry per thing.
    Entities,
    /// New on every call: times, requests, messages, connections, received data.
    PerCall,
}

/// How many names back a key is followed to the value it was bound to
/// (`device_id = msg["device"]`).
const MAX_DEPTH: u8 = 3;

/// The domain `key` comes from, as its name, the object it is read from (`request.path`,
/// `msg["id"]`) or the value it was bound to tell.
pub(crate) fn key_domain(semantic: &SemanticModel, key: &Expr) -> KeyDomain {
    domain_of(semantic, key, MAX_DEPTH)
}

fn domain_of(semantic: &SemanticModel, key: &Expr, depth: u8) -> KeyDomain {
    if is_bounded_key(key) {
        return KeyDomain::Small;
    }
    let Some(depth) = depth.checked_sub(1) else {
        return KeyDomain::Unknown;
    };
    let from = |expr: &Expr| domain_of(semantic, expr, depth);
    // What a key is read from decides when that is per call: `request.path`, `msg["id"]`.
    let per_call_source = |source: &Expr| from(source) == KeyDomain::PerCall;
    match key {
        Expr::Tuple(tuple) => tuple
            .elts
            .iter()
            .map(from)
            .max()
            .unwrap_or(KeyDomain::Unknown),
        Expr::Name(name) => {
            let binding = semantic.binding_of(name).map(|id| semantic.binding(id));
            // A function, class or module is code, whatever its name says (`add_data`).
            if binding.is_some_and(|binding| {
                matches!(
                    binding.kind,
                    BindingKind::FunctionDef(_)
                        | BindingKind::ClassDef(_)
                        | BindingKind::Import { .. }
                )
            }) {
                return KeyDomain::Unknown;
            }
            // `memo[id(self)]`: one entry per instance, overwritten on each call.
            if self_or_cls(semantic, key) == Some("self") {
                return KeyDomain::Entities;
            }
            // A name the code bound to another value: `device_id = msg["device"]`.
            let bound_to = binding
                .and_then(|binding| binding.statement)
                .and_then(|statement| match statement {
                    Stmt::Assign(assign) if assign.targets.len() == 1 => Some(&*assign.value),
                    Stmt::AnnAssign(assign) => assign.value.as_deref(),
                    _ => None,
                });
            // `message = f"{code} is not a valid code"`: text made here says what it is made
            // of, whatever its name.
            if let Some(Expr::FString(text)) = bound_to {
                return text
                    .value
                    .elements()
                    .filter_map(|element| element.as_interpolation())
                    .map(|interpolation| from(&interpolation.expression))
                    .max()
                    .unwrap_or(KeyDomain::Small);
            }
            let named = domain_named(&name.id);
            if named == KeyDomain::PerCall {
                return named;
            }
            named.max(bound_to.map_or(KeyDomain::Unknown, from))
        }
        Expr::Attribute(attribute) => {
            let named = domain_named(&attribute.attr);
            if per_call_source(&attribute.value) {
                KeyDomain::PerCall
            } else {
                named
            }
        }
        Expr::Subscript(subscript) if per_call_source(&subscript.value) => KeyDomain::PerCall,
        Expr::Call(call) => match &*call.func {
            // `id(x)`, `str(x)`: as many values as `x` takes.
            Expr::Name(function)
                if matches!(
                    function.id.as_str(),
                    "id" | "hash"
                        | "str"
                        | "repr"
                        | "int"
                        | "float"
                        | "bytes"
                        | "tuple"
                        | "frozenset"
                ) =>
            {
                call.arguments.args.first().map_or(KeyDomain::Unknown, from)
            }
            Expr::Name(function) => domain_named(&function.id),
            Expr::Attribute(method) => domain_named(&method.attr),
            _ => KeyDomain::Unknown,
        },
        _ => KeyDomain::Unknown,
    }
}

/// What a name says of its values' domain: per call (`msg_id`, `timestamps`, a clock, a fresh
/// uuid), one per thing (`timer_id`, `filename`, `url`), or nothing.
fn domain_named(name: &str) -> KeyDomain {
    let name = name.trim_matches('_').to_ascii_lowercase();
    let has_word = |words: &[&str]| {
        name.split('_').any(|part| {
            words.contains(&part)
                || part
                    .strip_suffix('s')
                    .is_some_and(|singular| words.contains(&singular))
        })
    };
    // `line_no`, `lineno`: a place in a source file, not a line of data received.
    if matches!(
        name.as_str(),
        "lineno" | "line_no" | "line_num" | "linenum" | "line_number" | "end_lineno"
    ) {
        return KeyDomain::Unknown;
    }
    // `connection_string`, `conn_dsn`: the address of a configured thing, not a value new on
    // every call.
    if has_word(&["string", "str", "dsn"]) {
        return KeyDomain::Entities;
    }
    if has_word(PER_CALL_WORDS)
        || matches!(name.as_str(), "time_ns" | "uuid4" | "uuid1" | "monotonic")
    {
        KeyDomain::PerCall
    } else if has_word(ENTITY_WORDS) {
        KeyDomain::Entities
    } else {
        KeyDomain::Unknown
    }
}

/// Whether a name says its values come from an unbounded domain: new on every call
/// (`msg_id`, `request_path`, `time_ns`) or one per thing (`paths`, `file_id`).
pub(crate) fn names_unbounded_domain(name: &str) -> bool {
    domain_named(name) >= KeyDomain::Entities
}

/// Whether a name says its values come from a small domain: `cls`, `device`, `lang`, `dtype`.
pub(crate) fn names_bounded_domain(name: &str) -> bool {
    BOUNDED_WORDS.contains(&name.trim_matches('_'))
}
