use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::{is_config_file, ValueKind};
use edgelint_semantic::{BindingKind, ScopeKind, SemanticModel};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Ancestor;
use crate::consumers::is_iterated_once;
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};
use edgelint_source::literal_text;

rule! {
    /// ## What it does
    /// Flags a whole-file read (`f.read()` with no size, `path.read_text()`,
    /// `path.read_bytes()`) whose content is then only iterated or scanned: used directly as
    /// an iterable, or kept in a local that is only iterated, tested with `in`, searched
    /// (`.count`, `.find`, `.startswith`, `re.search`…), hashed whole (`hashlib.sha256(data)`,
    /// `h.update(data)`, `zlib.crc32(data)`) or split into lines for a loop.
    ///
    /// ## Why is this bad?
    /// The whole file sits in memory while the code looks at it piece by piece. Iterating the
    /// file object, or reading it in chunks with `read(size)`, keeps memory flat whatever the
    /// file's size. On a device whose logs or data files grow, that is the difference between
    /// a constant footprint and one that grows with the disk.
    ///
    /// Opt-in, and files named like configuration or source (a literal path ending in `.toml`,
    /// `.ini`, `.cfg`, `.json`, `.yaml`, `.yml`, `.env` or `.py`, a file under `/etc`, `/proc`
    /// or `/sys`, a module's `__file__`) are never flagged: small files are fine to read whole.
    ///
    /// ## Example
    /// ```python
    /// def has_errors(data_path):
    ///     with open(data_path) as log:
    ///         text = log.read()
    ///     return "ERROR" in text
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def has_errors(data_path):
    ///     with open(data_path) as log:
    ///         return any("ERROR" in line for line in log)
    /// ```
    pub static WHOLE_FILE_READ = {
        code: "EL209",
        name: "whole-file-read",
        family: Family::Materialize,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Call(check)],
    }
}

/// Methods that only scan a text.
const SCANS: &[&str] = &[
    "count",
    "find",
    "rfind",
    "index",
    "rindex",
    "startswith",
    "endswith",
];

/// Methods whose result, when iterated once, is a pass over the text.
const SPLITS: &[&str] = &["splitlines", "split", "rsplit"];

/// `re` functions that scan their second argument.
const REGEX_SCANS: &[&str] = &[
    "re.search",
    "re.match",
    "re.fullmatch",
    "re.findall",
    "re.finditer",
];

/// Checksums that take the data at once (`hashlib.sha256(data)`, `zlib.crc32(data)`).
const CHECKSUMS: &[&str] = &["zlib.crc32", "zlib.adler32", "binascii.crc32", "hmac.new"];

/// Whether calling `callee` only hashes its data argument: a `hashlib` constructor or a
/// checksum, or `update` on a hash object the function made (`h = hashlib.md5()`), all of
/// which can take the data in chunks instead.
fn is_hashing(semantic: &SemanticModel, callee: &Expr) -> bool {
    let makes_hash = |expr: &Expr| {
        semantic
            .resolve(expr)
            .is_some_and(|name| name.as_str().starts_with("hashlib."))
            || semantic.resolves_to(expr, CHECKSUMS)
    };
    if makes_hash(callee) {
        return true;
    }
    let Expr::Attribute(method) = callee else {
        return false;
    };
    let Expr::Name(hash) = &*method.value else {
        return false;
    };
    method.attr.as_str() == "update"
        && semantic.binding_of(hash).is_some_and(|binding| {
            matches!(semantic.binding(binding).kind,
                BindingKind::Assignment { value: Some(Expr::Call(made)) } if makes_hash(&made.func))
        })
}

fn check(checker: &mut Checker, call: &ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    // `read_text(encoding="utf-8")` still reads everything; a positional size does not.
    if !call.arguments.args.is_empty() {
        return;
    }
    let semantic = checker.semantic();
    let whole_read = match method.attr.as_str() {
        "read" => matches!(
            semantic.provenance(&method.value).kind,
            ValueKind::TextFile | ValueKind::BinaryFile
        ),
        "read_text" | "read_bytes" => true,
        _ => false,
    };
    if !whole_read || is_config_file(semantic, &method.value) {
        return;
    }
    let hashed_here = matches!(checker.ancestors().next(), Some(Ancestor::Expr(Expr::Call(outer)))
        if is_hashing(semantic, &outer.func));
    let only_scanned = is_iterated_once(checker, call.range())
        || hashed_here
        || split_and_iterated(checker, call)
        || kept_only_to_scan(checker, call);
    if !only_scanned {
        return;
    }
    let shown = checker.snippet(call);
    let diagnostic = checker.report(
        call.range(),
        format!("`{shown}` reads the whole file, which is then only iterated, scanned or hashed"),
    );
    diagnostic.label = "the whole file is in memory at once".to_string();
    diagnostic.help = Some(
        "iterate the file object line by line, or read it in chunks with `read(size)` (a hash takes each chunk with `update`)".to_string(),
    );
}

/// `f.read().split()` iterated once (except the line splits that EL203 reports).
fn split_and_iterated(checker: &Checker, call: &ExprCall) -> bool {
    // The attribute, the call of the split, and what holds that call.
    let ancestors: Vec<Ancestor> = checker.ancestors().take(3).collect();
    let Some(Ancestor::Expr(Expr::Attribute(split))) = ancestors.first() else {
        return false;
    };
    let Some(Ancestor::Expr(Expr::Call(split_call))) = ancestors.get(1) else {
        return false;
    };
    let splits_this_read =
        split.value.range() == call.range() && split_call.func.range() == split.range;
    if !SPLITS.contains(&split.attr.as_str()) || !splits_this_read {
        return false;
    }
    let line_split = match (split.attr.as_str(), &*split_call.arguments.args) {
        ("splitlines", []) => true,
        ("split", [Expr::StringLiteral(separator)]) => literal_text(&separator.value) == "\n",
        _ => false,
    };
    if line_split {
        return false;
    }
    match ancestors.get(2) {
        Some(Ancestor::Stmt(Stmt::For(for_stmt))) => for_stmt.iter.range() == split_call.range(),
        Some(Ancestor::Expr(Expr::Call(consumer))) => {
            crate::consumers::iterates(checker.semantic(), consumer, split_call.range())
        }
        Some(Ancestor::Expr(parent)) => {
            crate::consumers::is_comprehension_source(parent, split_call.range())
        }
        _ => false,
    }
}

/// `text = f.read()` in a function, where every read of `text` iterates or scans it.
fn kept_only_to_scan(checker: &Checker, call: &ExprCall) -> bool {
    let Some(Ancestor::Stmt(Stmt::Assign(assign))) = checker.ancestors().next() else {
        return false;
    };
    let ([Expr::Name(name)], true) = (&*assign.targets, assign.value.range() == call.range())
    else {
        return false;
    };
    let semantic = checker.semantic();
    let Some(binding) = semantic.binding_at(name) else {
        return false;
    };
    let ScopeKind::Function(function) = semantic.scope(semantic.binding(binding).scope).kind else {
        return false;
    };
    let uses = uses_of(&function.body, semantic, binding);
    !uses.is_empty()
        && uses.iter().all(|(_, kind)| match kind {
            UseKind::Iterated | UseKind::Joined | UseKind::Membership => true,
            UseKind::MethodCall(method) => SCANS.contains(method),
            UseKind::IteratedMethodResult(method) => {
                SCANS.contains(method) || SPLITS.contains(method)
            }
            UseKind::Argument { callee } => {
                semantic.resolves_to(callee, REGEX_SCANS) || is_hashing(semantic, callee)
            }
            _ => false,
        })
}
