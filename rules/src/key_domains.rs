//! Which keys come from a small domain and which from an unbounded one, as their names tell:
//! what EL302 and EL303 ask of what a container or a cache is keyed by. A cache keyed by the
//! compute device fills up once; one keyed by message ids grows for as long as messages come.

use ruff_python_ast::Expr;

/// Words that name a value from an unbounded domain: ids, paths, addresses, times, requests,
/// and the data a program receives (events, records, frames, samples, results). A plural counts
/// as its singular.
const UNBOUNDED_WORDS: &[&str] = &[
    "id",
    "uuid",
    "path",
    "url",
    "uri",
    "addr",
    "address",
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
    "filename",
    "file",
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
    "chunk",
    "data",
    "line",
    "latency",
    "duration",
    "reader",
    "ws",
    "socket",
];

/// Words that name a value from a small domain: types, devices, languages, modes, modules,
/// configured names.
const BOUNDED_WORDS: &[&str] = &[
    "cls", "klass", "type", "kind", "device", "lang", "language", "locale", "mode", "module",
    "name", "backend", "dtype",
];

/// Whether `key` is a literal (`c["mode"]`, `slots[0]`) or names a value from a small domain
/// (`registry[cls]`, `models[device]`, `plots[name]`).
pub(crate) fn is_bounded_key(key: &Expr) -> bool {
    if let Some(object) = identity_of(key) {
        return is_bounded_key(object);
    }
    match key {
        Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => true,
        Expr::Tuple(tuple) => tuple.elts.iter().all(is_bounded_key),
        Expr::Name(name) => names_bounded_domain(&name.id),
        Expr::Attribute(attribute) => {
            matches!(
                attribute.attr.as_str(),
                "__name__" | "__class__" | "__qualname__"
            ) || names_bounded_domain(&attribute.attr)
        }
        _ => false,
    }
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

/// Whether `key` names a value from an unbounded domain: `msg_id`, `request.path`,
/// `time.time()`, `uuid.uuid4()`, or a tuple holding one.
pub(crate) fn is_unbounded_key(key: &Expr) -> bool {
    if let Some(object) = identity_of(key) {
        return is_unbounded_key(object);
    }
    let word = match key {
        Expr::Tuple(tuple) => return tuple.elts.iter().any(is_unbounded_key),
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        Expr::Call(call) => match &*call.func {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attribute) => attribute.attr.as_str(),
            _ => return false,
        },
        _ => return false,
    };
    names_unbounded_domain(word)
}

/// Whether a name says its values come from an unbounded domain: one of its words does
/// (`msg_id`, `request_path`, `paths`), or it is a clock or a fresh id (`time_ns`, `uuid4`).
pub(crate) fn names_unbounded_domain(name: &str) -> bool {
    let name = name.trim_matches('_').to_ascii_lowercase();
    name.split('_').any(|part| {
        UNBOUNDED_WORDS.contains(&part)
            || part
                .strip_suffix('s')
                .is_some_and(|singular| UNBOUNDED_WORDS.contains(&singular))
    }) || matches!(name.as_str(), "time_ns" | "uuid4" | "uuid1" | "monotonic")
}

/// Whether a name says its values come from a small domain: `cls`, `device`, `lang`, `dtype`.
pub(crate) fn names_bounded_domain(name: &str) -> bool {
    BOUNDED_WORDS.contains(&name.trim_matches('_'))
}
