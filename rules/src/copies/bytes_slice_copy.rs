use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::ScopeKind;
use ruff_python_ast::{Expr, NodeKind, Stmt};
use ruff_text_size::Ranged;

use super::unbounded_slice;
use crate::checker::{help_code, Place};
use crate::mutation::dotted_path;
use crate::statements::leaves_loop_after;
use crate::uses::uses_of;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags an unbounded slice (`buf[sent:]`, `frame[HEADER:]`, `data[:-4]`) of a bytes or
    /// bytearray value inside a loop, handed straight to something that takes any buffer and
    /// keeps none of it: the classic `sock.send(buf[sent:])`, `f.write(...)`, a hash's
    /// `update(...)`, `zlib.crc32(...)`, a `hashlib` constructor, `bytes(...)`.
    ///
    /// ## Why is this bad?
    /// Slicing bytes copies the bytes themselves. In a loop that sends or parses a buffer piece
    /// by piece, every iteration copies the rest of it: O(n) extra per iteration, up to O(n²)
    /// over the loop, for data that is only read. A `memoryview` slices without copying.
    ///
    /// Not flagged: memoryview slices, slices outside loops, str values, bounded slices
    /// (`buf[:4]`, `buf[pos:pos + n]`), a slice of a temporary (`x.encode()[n:]`, sliced once),
    /// a slice stored and then kept (appended, returned: it must stay bytes), a slice used in
    /// any other way (a `memoryview` has no `find` or `startswith`, cannot be added to bytes,
    /// and a function of yours may need real bytes), a slice followed by `return` or `break`
    /// (it runs once), and `buf = buf[n:]`, which EL102 reports.
    ///
    /// By default it reports only a buffer shown to be large (a file read whole, data
    /// received); one of unknown size is reported with `--pedantic`, and a literal never.
    ///
    /// ## Example
    /// ```python
    /// def upload(sock, data_path):
    ///     data = open(data_path, "rb").read()
    ///     sent = 0
    ///     while sent < len(data):
    ///         sent += sock.send(data[sent:])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def upload(sock, data_path):
    ///     view = memoryview(open(data_path, "rb").read())
    ///     sent = 0
    ///     while sent < len(view):
    ///         sent += sock.send(view[sent:])
    /// ```
    pub static BYTES_SLICE_COPY = {
        code: "EL103",
        name: "bytes-slice-copy",
        family: Family::Copies,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Expr(&[NodeKind::ExprSubscript], check)],
    }
}

/// Methods that accept any buffer, a `memoryview` included, and keep none of it.
const BUFFER_CONSUMERS: &[&str] = &["send", "sendall", "sendto", "write", "update", "extend"];

/// Functions that accept any buffer and keep none of it (and every `hashlib` constructor).
const BUFFER_FUNCTIONS: &[&str] = &[
    "zlib.crc32",
    "zlib.adler32",
    "zlib.compress",
    "binascii.crc32",
    "binascii.hexlify",
    "struct.unpack",
    "builtins.bytes",
    "builtins.bytearray",
];

fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Subscript(subscript) = expr else {
        return;
    };
    if !checker.in_loop() || unbounded_slice(subscript).is_none() {
        return;
    }
    // The buffer sliced again and again: a name or attribute (`x.encode()[n:]` slices a fresh
    // temporary once).
    let buffer = &*subscript.value;
    if dotted_path(buffer).is_none() {
        return;
    }
    if !matches!(
        checker.semantic().provenance(buffer).kind,
        ValueKind::Bytes | ValueKind::Bytearray
    ) {
        return;
    }
    // A slice stored and then kept (appended, returned, stored) must stay bytes (and
    // `buf = buf[n:]` is EL102's).
    if let Some(Stmt::Assign(assign)) = checker.enclosing_statement() {
        if assign.value.range() == subscript.range && slice_is_kept(checker, assign) {
            return;
        }
    }
    // A memoryview is the advice only where one can stand in for the bytes: handed straight to
    // `send`, `write` or `update` (`view.find()`, `view + b"x"` and `int(view, 16)` fail).
    // And a slice followed by `return` or `break` runs once.
    let semantic = checker.semantic();
    let handed_to_a_buffer_consumer = matches!(checker.parent_expression(),
        Some(Expr::Call(call)) if call.arguments.args.iter().any(|argument| argument.range() == subscript.range())
            && (matches!(&*call.func, Expr::Attribute(method)
                    if BUFFER_CONSUMERS.contains(&method.attr.as_str()))
                || semantic.resolves_to(&call.func, BUFFER_FUNCTIONS)
                || semantic.resolve(&call.func).is_some_and(|name| name.as_str().starts_with("hashlib."))));
    let runs_once = checker
        .enclosing_statement()
        .is_some_and(|statement| leaves_loop_after(checker.semantic(), statement));
    if !handed_to_a_buffer_consumer || runs_once {
        return;
    }
    let view_slice = format!(
        "memoryview({})[{}]",
        checker.moved_text(buffer, Place::SoleArgument),
        checker.text(&*subscript.slice)
    );
    let buffer_text = checker.snippet(buffer);
    let slice_text = checker.snippet(subscript);
    let Some(diagnostic) = checker.report_about_data(
        buffer,
        subscript.range(),
        format!(
            "`{slice_text}` copies the rest of the bytes of `{buffer_text}` on every iteration"
        ),
    ) else {
        return;
    };
    diagnostic.label = "a new bytes object of almost all of the buffer".to_string();
    diagnostic
        .notes
        .push("O(n) extra per iteration, up to O(n²) over the loop".to_string());
    diagnostic.help = Some(match help_code(&view_slice) {
        Some(code) => format!("slice a memoryview instead: `{code}` copies nothing (create the memoryview once, before the loop)"),
        None => "slice a memoryview of the buffer instead, which copies nothing (create it once, before the loop)".to_string(),
    });
}

/// Whether the name a slice is assigned to is the buffer itself (EL102's), or is kept beyond
/// the iteration: appended, stored, returned or handed over.
fn slice_is_kept(checker: &Checker, assign: &ruff_python_ast::StmtAssign) -> bool {
    let [target] = &*assign.targets else {
        return true;
    };
    let Expr::Name(name) = target else {
        return true;
    };
    if let Expr::Subscript(subscript) = &*assign.value {
        if dotted_path(&subscript.value).as_deref() == Some(name.id.as_str()) {
            return true;
        }
    }
    let semantic = checker.semantic();
    let Some(binding) = semantic.binding_at(name) else {
        return true;
    };
    let ScopeKind::Function(function) = semantic.scope(semantic.binding(binding).scope).kind else {
        return true;
    };
    uses_of(&function.body, semantic, binding)
        .iter()
        .any(|(_, kind)| kind.escapes())
}

#[cfg(test)]
mod tests {
    use crate::test_support::{diagnostics_with, helps};

    #[test]
    fn the_help_slices_a_memoryview_of_the_buffer() {
        let source = "def f(data: bytes, sock):\n    sent = 0\n    while sent < len(data):\n        sent += sock.send(data[sent:])\n";
        assert_eq!(
            helps(source),
            ["slice a memoryview instead: `memoryview(data)[sent:]` copies nothing (create the memoryview once, before the loop)"]
        );
    }

    /// Bug: a `memoryview` was suggested for slices used as bytes (`view.find(...)`,
    /// `tail + head`), where it fails, and for a slice followed by `return`, which runs once.
    #[test]
    fn el103_suggests_a_memoryview_only_where_one_can_stand_in() {
        let misuse = "def f(sock, buf: bytes, marker):\n    while True:\n        rest = buf[4:]\n        if rest.find(marker) >= 0:\n            return rest + b'x'\n";
        assert!(diagnostics_with(misuse, "EL103").is_empty());
        let once = "def f(sock, buf: bytes):\n    while True:\n        sock.send(buf[4:])\n        return\n";
        assert!(diagnostics_with(once, "EL103").is_empty());
        let sent = "def f(sock, buf: bytes):\n    sent = 0\n    while sent < len(buf):\n        sent += sock.send(buf[sent:])\n";
        assert_eq!(diagnostics_with(sent, "EL103").len(), 1);
    }
}
