//! How big a value can be. A finding about data volume is reported by default only when the
//! data is shown to be large (and then with its evidence), with `--pedantic` when its size is
//! not known, and never when it is small by construction (the rule catalog's "Evidence").

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet as HashSet;

use crate::provenance::{
    is_config_file, is_data_file, memory_buffer, reads_config_file, BigReason, Origin, ValueKind,
};
use crate::{
    blocks_of, BindingId, BindingKind, NodeRef, Reference, ScopeKind, SemanticModel, Target,
    STORING_METHODS,
};

/// The size of a value, as far as the project tells.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Size {
    /// It grows with the data the program handles: why, and where that data comes from.
    Large {
        reason: BigReason,
        origin: Option<Origin>,
    },
    /// Small by construction: a literal, a display of fixed length, `sys.argv`, a name of a
    /// module or class, a model's layers.
    Small,
    /// Anything else: a parameter, an attribute, the result of a call edgelint cannot see into.
    Unknown,
}

/// How many names and operations a question follows back (`a = b; b = c[1:]; ...`).
const MAX_DEPTH: u8 = 6;

/// Methods that give a small value of a small receiver (a part, a copy, a view of it).
const DERIVING_METHODS: &[&str] = &[
    "split",
    "rsplit",
    "splitlines",
    "partition",
    "rpartition",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "casefold",
    "replace",
    "format",
    "encode",
    "decode",
    "copy",
    "keys",
    "values",
    "items",
    "get",
];

/// Builtins whose result is as small as their arguments.
const DERIVING_BUILTINS: &[&str] = &[
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.sorted",
    "builtins.reversed",
    "builtins.dict",
    "builtins.enumerate",
    "builtins.zip",
    "builtins.str",
    "builtins.repr",
    "builtins.len",
];

/// A model's structure: as many items as its definition has layers.
const MODEL_STRUCTURE_METHODS: &[&str] = &[
    "children",
    "named_children",
    "modules",
    "named_modules",
    "parameters",
    "named_parameters",
    "buffers",
    "named_buffers",
];

/// Array constructors whose size is their shape.
const ARRAY_CONSTRUCTORS: &[&str] = &[
    "numpy.zeros",
    "numpy.ones",
    "numpy.empty",
    "numpy.full",
    "numpy.eye",
    "numpy.identity",
    "numpy.arange",
    "torch.zeros",
    "torch.ones",
    "torch.empty",
    "torch.full",
    "torch.eye",
    "torch.arange",
];

/// Names whose value is a name: of a module, a class or a function.
const NAME_ATTRIBUTES: &[&str] = &["__name__", "__qualname__", "__module__", "__file__"];

/// Literal `range()` bounds below this are small.
const SMALL_RANGE: i64 = 10_000;

impl SemanticModel<'_> {
    /// The size of the value `expr` produces.
    pub fn size_of(&self, expr: &Expr) -> Size {
        // `if len(rows) == 1:` makes `rows` small there, whatever it holds elsewhere.
        if root_name(expr).is_some_and(|name| self.is_length_guarded(name)) {
            return Size::Small;
        }
        let provenance = self.provenance(expr);
        // Data read, loaded or received is evidence; a collection, buffer or array "of
        // computed size" is not, unless it was built from such data (then it has its reason).
        if let Some(
            reason @ (BigReason::WholeRead
            | BigReason::Deserialized
            | BigReason::HttpBody
            | BigReason::ReadEachPass),
        ) = provenance.big
        {
            return Size::Large {
                reason,
                origin: provenance.origin,
            };
        }
        // `range(len(rows))` counts the elements of `rows`.
        if let Some(counted) = self.counted_by_range(expr) {
            if let large @ Size::Large { .. } = self.size_of(counted) {
                return large;
            }
        }
        if self.is_small(expr, MAX_DEPTH) {
            Size::Small
        } else {
            Size::Unknown
        }
    }

    fn is_small(&self, expr: &Expr, depth: u8) -> bool {
        let Some(depth) = depth.checked_sub(1) else {
            return false;
        };
        let small = |expr: &Expr| self.is_small(expr, depth);
        match expr {
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => true,
            // As big as what it interpolates.
            Expr::FString(fstring) => fstring.value.f_strings().all(|part| {
                part.elements
                    .interpolations()
                    .all(|interpolation| small(&interpolation.expression))
            }),
            // A display of fixed length; `[*rows]` is as big as `rows`.
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().all(|element| match element {
                Expr::Starred(starred) => small(&starred.value),
                _ => true,
            }),
            Expr::Dict(dict) => dict
                .items
                .iter()
                .all(|item| item.key.is_some() || small(&item.value)),
            // As many elements as its sources give together.
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                generators.iter().all(|generator| small(&generator.iter))
            }
            Expr::Name(name) => self.is_small_name(name, depth),
            Expr::Attribute(attribute) => {
                NAME_ATTRIBUTES.contains(&attribute.attr.as_str())
                    || self.resolves_to(expr, &["sys.argv", "sys.path", "os.environ"])
                    || self.is_class_constant(attribute, depth)
            }
            // A part of a small value is small.
            Expr::Subscript(subscript) => small(&subscript.value),
            Expr::Call(call) => self.is_small_call(call, depth),
            _ => false,
        }
    }

    fn is_small_name(&self, name: &ast::ExprName, depth: u8) -> bool {
        if NAME_ATTRIBUTES.contains(&name.id.as_str())
            || name.id.as_str() == "__version__"
            || self.is_length_guarded(name)
        {
            return true;
        }
        let Some(id) = self.binding_of(name) else {
            return false;
        };
        let binding = self.binding(id);
        match &binding.kind {
            // `*args` and `**kwargs`: as many as the call site wrote.
            BindingKind::Parameter { .. } => match self.scope(binding.scope).kind {
                ScopeKind::Function(function) => {
                    let parameters = &function.parameters;
                    [&parameters.vararg, &parameters.kwarg]
                        .into_iter()
                        .flatten()
                        .any(|parameter| parameter.name.range == binding.range)
                }
                _ => false,
            },
            // A name bound once, to a small value that cannot grow, or to a display the module
            // names as a constant (`_PREFIXES = ["www.", ...]`) and never grows.
            BindingKind::Assignment { value: Some(value) } => {
                self.is_only_binding(id)
                    && (self.is_small_constant(value, depth)
                        || (self.is_constant_display(id, value) && self.is_small(value, depth)))
            }
            _ => false,
        }
    }

    /// `self.LAYERS`, `cls.LAYERS` or `Config.LAYERS` where the class body binds `LAYERS` once,
    /// to a small value.
    fn is_class_constant(&self, attribute: &ast::ExprAttribute, depth: u8) -> bool {
        let Expr::Name(receiver) = &*attribute.value else {
            return false;
        };
        let Some(id) = self.binding_of(receiver) else {
            return false;
        };
        let binding = self.binding(id);
        let class_scope = match binding.kind {
            BindingKind::ClassDef(class) => self.scope_of(class),
            BindingKind::Parameter { .. } if matches!(binding.name, "self" | "cls") => self
                .scope(binding.scope)
                .parent
                .filter(|parent| matches!(self.scope(*parent).kind, ScopeKind::Class(_))),
            _ => None,
        };
        let Some(class_scope) = class_scope else {
            return false;
        };
        let Some(id) = self.scope(class_scope).binding(attribute.attr.as_str()) else {
            return false;
        };
        let constant = self.binding(id);
        match (&constant.kind, constant.statement) {
            (
                BindingKind::Assignment { value: Some(value) },
                Some(Stmt::Assign(_) | Stmt::AnnAssign(_)),
            ) => self.is_only_binding(id) && self.is_small_constant(value, depth),
            _ => false,
        }
    }

    /// Whether the binding is a module-level display, written out with its elements, under an
    /// upper-case name (a constant by convention) that no read in the module grows: no storing
    /// method, item store or `+=`. An empty display (`CACHE = {}`) is there to be filled.
    fn is_constant_display(&self, id: crate::BindingId, value: &Expr) -> bool {
        let written_out = match value {
            Expr::List(list) => !list.elts.is_empty(),
            Expr::Set(set) => !set.elts.is_empty(),
            Expr::Dict(dict) => !dict.items.is_empty(),
            _ => false,
        };
        if !written_out {
            return false;
        }
        let binding = self.binding(id);
        let upper = binding.name.trim_start_matches('_');
        if binding.scope != Self::MODULE_SCOPE
            || upper.is_empty()
            || upper.chars().any(|c| c.is_ascii_lowercase())
        {
            return false;
        }
        self.references_of(id).iter().all(|reference| {
            let node = self.reference(*reference).node;
            match self.parent(node).map(|parent| self.node(parent)) {
                Some(NodeRef::Expr(Expr::Attribute(attribute))) => {
                    !STORING_METHODS.contains(&attribute.attr.as_str())
                }
                Some(NodeRef::Expr(Expr::Subscript(subscript))) => {
                    subscript.ctx == ast::ExprContext::Load
                }
                Some(NodeRef::Stmt(Stmt::AugAssign(_))) => false,
                _ => true,
            }
        })
    }

    /// A small value a name can be bound to once and stay small: not a list, set or dict
    /// display, which the code may grow (`jobs = []; jobs.append(...)`).
    fn is_small_constant(&self, value: &Expr, depth: u8) -> bool {
        !matches!(value, Expr::List(_) | Expr::Set(_) | Expr::Dict(_))
            && self.is_small(value, depth)
    }

    fn is_small_call(&self, call: &ast::ExprCall, depth: u8) -> bool {
        let arguments = &call.arguments;
        if let Expr::Attribute(method) = &*call.func {
            let name = method.attr.as_str();
            if MODEL_STRUCTURE_METHODS.contains(&name) {
                return true;
            }
            if DERIVING_METHODS.contains(&name) {
                return self.is_small(&method.value, depth);
            }
        }
        if self.resolves_to(&call.func, &["builtins.range"]) {
            return !arguments.args.is_empty()
                && arguments.args.iter().all(|bound| match bound {
                    Expr::NumberLiteral(number) => match &number.value {
                        ast::Number::Int(value) => {
                            value.as_i64().is_some_and(|value| value < SMALL_RANGE)
                        }
                        _ => false,
                    },
                    // A negative literal step or bound.
                    Expr::UnaryOp(negative) => negative.operand.is_number_literal_expr(),
                    _ => false,
                });
        }
        // `np.zeros((3, 3))`: an array whose shape is written out, under the size that counts
        // as big.
        if self.resolves_to(&call.func, ARRAY_CONSTRUCTORS) {
            let literal = |expr: &Expr| match expr {
                Expr::Tuple(shape) => shape.elts.iter().all(Expr::is_number_literal_expr),
                _ => expr.is_number_literal_expr(),
            };
            return arguments.args.iter().all(literal) && self.call_provenance(call).big.is_none();
        }
        if self.resolves_to(&call.func, &["os.getenv", "os.environ.get"])
            || reads_config_file(self, call)
        {
            return true;
        }
        // `sorted(STAGES, key=len)`: options do not add elements; `**extra` may.
        self.resolves_to(&call.func, DERIVING_BUILTINS)
            && arguments
                .keywords
                .iter()
                .all(|keyword| keyword.arg.is_some())
            && arguments
                .args
                .iter()
                .all(|argument| self.is_small(argument, depth))
    }
}

/// The name a value is read from: `rows` of `rows`, `rows[1:]`, `rows[0][2]`.
fn root_name(expr: &Expr) -> Option<&ast::ExprName> {
    match expr {
        Expr::Name(name) => Some(name),
        Expr::Subscript(subscript) => root_name(&subscript.value),
        _ => None,
    }
}

/// A literal integer under [`SMALL_RANGE`].
fn is_small_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Int(value), .. })
        if value.as_i64().is_some_and(|value| value < SMALL_RANGE))
}

/// How many reads of a name [`SemanticModel::is_length_guarded`] looks at, before it asks the
/// table of measured names instead.
const MANY_READS: usize = 256;

impl SemanticModel<'_> {
    /// Whether a test on the way to `name` bounds its length by a small literal: it is read in
    /// the body of `if len(name) == 1:` (`< k`, `<= k`, or one of these in an `and`), or after
    /// `if len(name) > k: return` (`raise`, `continue`, `break`) or `assert len(name) <= k` in
    /// a block around it, in the same function.
    fn is_length_guarded(&self, name: &ast::ExprName) -> bool {
        let Some(id) = self.node_id(name) else {
            return false;
        };
        // Most names are never measured: look for the guard only when some read of the same
        // binding is `len()`'s argument.
        let Some(binding) = self.binding_of(name) else {
            return false;
        };
        // A name read in many places has its reads looked at once for every name.
        let reads = self.references_of(binding);
        let measured = if reads.len() <= MANY_READS {
            reads
                .iter()
                .any(|reference| self.is_len_argument(self.reference(*reference)))
        } else {
            self.measured_bindings().contains(&binding)
        };
        if !measured {
            return false;
        }
        let mut child_range = name.range();
        for ancestor in self.ancestors(id) {
            let NodeRef::Stmt(statement) = self.node(ancestor) else {
                if matches!(self.node(ancestor), NodeRef::Expr(Expr::Lambda(_))) {
                    return false;
                }
                child_range = self.node(ancestor).range();
                continue;
            };
            if let Stmt::If(if_stmt) = statement {
                let tests = std::iter::once((Some(&*if_stmt.test), &if_stmt.body[..])).chain(
                    if_stmt
                        .elif_else_clauses
                        .iter()
                        .map(|clause| (clause.test.as_ref(), &clause.body[..])),
                );
                for (test, body) in tests {
                    let in_body = body
                        .iter()
                        .any(|statement| statement.range().contains_range(child_range));
                    if in_body && test.is_some_and(|test| self.bounds_length(test, name, false)) {
                        return true;
                    }
                }
            }
            let body = match statement {
                Stmt::FunctionDef(function) => vec![&function.body[..]],
                _ => blocks_of(statement),
            };
            let earlier_guard = body
                .into_iter()
                .find(|block| block.iter().any(|s| s.range().contains_range(child_range)))
                .is_some_and(|block| {
                    block
                        .iter()
                        .take_while(|s| !s.range().contains_range(child_range))
                        .any(|earlier| self.guards_length_after(earlier, name))
                });
            if earlier_guard {
                return true;
            }
            if matches!(statement, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                return false;
            }
            child_range = statement.range();
        }
        false
    }

    /// The bindings read in many places (see [`MANY_READS`]) some read of which is `len()`'s
    /// argument (or its callee), found in one pass over the reads.
    fn measured_bindings(&self) -> &HashSet<BindingId> {
        self.measured.get_or_init(|| {
            self.references
                .iter()
                .filter_map(|reference| match reference.target {
                    Target::Binding(binding)
                        if self.references_of(binding).len() > MANY_READS
                            && self.is_len_argument(reference) =>
                    {
                        Some(binding)
                    }
                    _ => None,
                })
                .collect()
        })
    }

    /// Whether the read is `len()`'s argument (or its callee).
    fn is_len_argument(&self, reference: &Reference) -> bool {
        self.parent(reference.node).is_some_and(|parent| {
            matches!(self.node(parent), NodeRef::Expr(Expr::Call(call))
                if matches!(&*call.func, Expr::Name(func) if func.id.as_str() == "len"))
        })
    }

    /// `if len(name) > k: return` (its body leaves) or `assert len(name) <= k`.
    fn guards_length_after(&self, statement: &Stmt, name: &ast::ExprName) -> bool {
        match statement {
            Stmt::Assert(assert) => self.bounds_length(&assert.test, name, false),
            Stmt::If(if_stmt) => {
                if_stmt.elif_else_clauses.is_empty()
                    && matches!(
                        if_stmt.body.last(),
                        Some(Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_))
                    )
                    && self.bounds_length(&if_stmt.test, name, true)
            }
            _ => false,
        }
    }

    /// Whether `test` (or, `negated`, its negation) holds only when `len(name)` is at most a
    /// small literal.
    fn bounds_length(&self, test: &Expr, name: &ast::ExprName, negated: bool) -> bool {
        let is_name = |measured: &Expr| {
            matches!(measured, Expr::Name(measured)
                if measured.id == name.id && self.binding_of(measured) == self.binding_of(name))
        };
        match test {
            Expr::BoolOp(bool_op) if !negated && bool_op.op == ast::BoolOp::And => bool_op
                .values
                .iter()
                .any(|value| self.bounds_length(value, name, false)),
            Expr::BoolOp(bool_op) if negated && bool_op.op == ast::BoolOp::Or => bool_op
                .values
                .iter()
                .any(|value| self.bounds_length(value, name, true)),
            Expr::Compare(compare) => {
                let Some((op, bound)) = self.length_comparison(compare, is_name) else {
                    return false;
                };
                // `len(x) OP k` holds (or, negated, fails) only for a small `len(x)`.
                let bounded = if negated {
                    matches!(op, ast::CmpOp::Gt | ast::CmpOp::GtE | ast::CmpOp::NotEq)
                } else {
                    matches!(op, ast::CmpOp::Lt | ast::CmpOp::LtE | ast::CmpOp::Eq)
                };
                bounded && is_small_literal(bound)
            }
            _ => false,
        }
    }
}

/// The operator with its sides swapped: `k < len(x)` is `len(x) > k`.
fn flipped(op: ast::CmpOp) -> ast::CmpOp {
    match op {
        ast::CmpOp::Lt => ast::CmpOp::Gt,
        ast::CmpOp::LtE => ast::CmpOp::GtE,
        ast::CmpOp::Gt => ast::CmpOp::Lt,
        ast::CmpOp::GtE => ast::CmpOp::LtE,
        other => other,
    }
}

/// Methods that read the next piece of a stream: a `while` loop that calls one on every pass
/// runs as many times as the stream has pieces.
const READING_METHODS: &[&str] = &[
    "recv",
    "recv_into",
    "recvfrom",
    "read",
    "read1",
    "readinto",
    "readline",
    "readexactly",
    "readuntil",
];

impl<'a> SemanticModel<'a> {
    /// How many times a loop (a `for` or `while` statement, or a comprehension) runs, as a
    /// size: large when it iterates data shown to be large (a file's lines included) or is a
    /// `while` loop that reads a stream on every pass; small when it iterates a small value.
    pub fn loop_count(&self, loop_node: NodeRef<'a>) -> Size {
        let iterable = match loop_node {
            NodeRef::Stmt(Stmt::For(for_stmt)) => &*for_stmt.iter,
            NodeRef::Stmt(Stmt::While(while_stmt)) => {
                // `while len(chunk) < size:` stops once `chunk` reaches `size`, however much
                // each pass reads: it runs as often as `size` is big.
                if let Some(bound) = self.length_bound(&while_stmt.test) {
                    return self.size_of(bound);
                }
                // `while remaining > 0: ... remaining -= len(chunk)` counts down the same way.
                if let Some(count) = self.counted_down(while_stmt) {
                    return self.size_of(count);
                }
                // The first call in the condition or the body that reads a stream.
                let mut reading = None;
                let mut reads = |expr: &'a Expr| {
                    if let Expr::Call(call) = expr {
                        // `response.read()` of a `response` bound in the loop reads a new
                        // object on each pass: once per object, not once per chunk of a stream.
                        let read_afresh = |receiver: &Expr| {
                            matches!(receiver, Expr::Name(name) if self
                                .binding_of(name)
                                .is_some_and(|binding| while_stmt
                                    .range()
                                    .contains_range(self.binding(binding).range)))
                        };
                        // A read that drives a nested loop (`while sock.recv(1024): pass`, a
                        // drain before `break`) runs as often as that loop, not once per pass.
                        let own_read = self
                            .node_id(call)
                            .and_then(|id| self.enclosing_loop(id))
                            .is_some_and(|around| around.range() == while_stmt.range());
                        if own_read
                            && matches!(&*call.func, Expr::Attribute(method)
                            if READING_METHODS.contains(&method.attr.as_str())
                                && !read_afresh(&method.value))
                        {
                            reading = Some(call);
                            return true;
                        }
                    }
                    false
                };
                if !self.any_expr_in(&*while_stmt.test, &mut reads) {
                    self.any_expr_in_body(&while_stmt.body, &mut reads);
                }
                if let Some(call) = reading {
                    // `BytesIO(segment).read(n)` reads no stream: the loop runs as often as the
                    // buffer's contents are big.
                    if let Expr::Attribute(method) = &*call.func {
                        if let Some(buffer) = memory_buffer(self, &method.value) {
                            return buffer
                                .arguments
                                .args
                                .first()
                                .map_or(Size::Small, |contents| self.size_of(contents));
                        }
                    }
                    // `sock.recv(1)` reads a short token up to a delimiter (a protocol reply,
                    // a header line): no program reads a data stream one byte at a time.
                    if matches!(&*call.arguments.args, [Expr::NumberLiteral(one)]
                        if one.value.as_int().and_then(ast::Int::as_u8) == Some(1))
                    {
                        return Size::Unknown;
                    }
                    // `sock.send(query)` then `sock.recv(4096)` until done: the reply to a
                    // query, as long as the protocol makes it, not a stream of data.
                    if let Expr::Attribute(method) = &*call.func {
                        if self.sends_before(&method.value, while_stmt) {
                            return Size::Unknown;
                        }
                    }
                    // `sock.recv(size - len(buf))` tops `buf` up to `size`: it runs as often
                    // as `size` is big.
                    if let Some(Expr::BinOp(topped_up)) = call.arguments.args.first() {
                        if topped_up.op == ast::Operator::Sub
                            && matches!(&*topped_up.right, Expr::Call(len)
                                if self.resolves_to(&len.func, &["builtins.len"]))
                        {
                            return self.size_of(&topped_up.left);
                        }
                    }
                    return Size::Large {
                        reason: BigReason::ReadEachPass,
                        origin: Some(Origin::Here(call.range())),
                    };
                }
                // `while data:` or `while len(buf) > k:` over large data: it runs until that
                // data is consumed.
                let mut large = None;
                self.any_expr_in(&*while_stmt.test, |expr| {
                    if let Expr::Name(_) = expr {
                        if let size @ Size::Large { .. } = self.size_of(expr) {
                            large = Some(size);
                            return true;
                        }
                    }
                    false
                });
                return large.unwrap_or(Size::Unknown);
            }
            NodeRef::Expr(
                Expr::ListComp(ast::ExprListComp { generators, .. })
                | Expr::SetComp(ast::ExprSetComp { generators, .. })
                | Expr::DictComp(ast::ExprDictComp { generators, .. })
                | Expr::Generator(ast::ExprGenerator { generators, .. }),
            ) => match generators.first() {
                Some(generator) => &generator.iter,
                None => return Size::Small,
            },
            _ => return Size::Unknown,
        };
        let size = self.size_of(iterable);
        if size != Size::Unknown {
            return size;
        }
        // `for line in f`: as many passes as the file opened by path has lines, when its name
        // says it holds data.
        let provenance = self.provenance(iterable);
        match (provenance.kind, provenance.origin) {
            (ValueKind::TextFile | ValueKind::BinaryFile, _) if is_config_file(self, iterable) => {
                Size::Small
            }
            (ValueKind::TextFile | ValueKind::BinaryFile, Some(origin))
                if is_data_file(self, iterable) =>
            {
                Size::Large {
                    reason: BigReason::WholeRead,
                    origin: Some(origin),
                }
            }
            _ => Size::Unknown,
        }
    }

    /// Whether code of the function around `loop_stmt`, before it, sends on `channel`
    /// (`sock.send(query)`, `serial.write(command)`).
    fn sends_before(&self, channel: &Expr, loop_stmt: &ast::StmtWhile) -> bool {
        let Some(id) = self.node_id(loop_stmt) else {
            return false;
        };
        let channel = ComparableExpr::from(channel);
        self.scope_nodes(self.node_scope(id)).any(|node| {
            matches!(self.node(node), NodeRef::Expr(Expr::Call(call))
                if call.start() < loop_stmt.start()
                    && matches!(&*call.func, Expr::Attribute(method)
                        if matches!(method.attr.as_str(), "send" | "sendall" | "sendto" | "write")
                            && ComparableExpr::from(&*method.value) == channel))
        })
    }

    /// `size` when `test` stops a loop once some length reaches it: `len(x) < size`,
    /// `len(x) <= size`, `size > len(x)`, `size >= len(x)`, or one of these in an `and`.
    fn length_bound<'e>(&self, test: &'e Expr) -> Option<&'e Expr> {
        match test {
            Expr::BoolOp(bool_op) if bool_op.op == ast::BoolOp::And => bool_op
                .values
                .iter()
                .find_map(|value| self.length_bound(value)),
            Expr::Compare(compare) => match self.length_comparison(compare, |_| true)? {
                (ast::CmpOp::Lt | ast::CmpOp::LtE, bound) => Some(bound),
                _ => None,
            },
            _ => None,
        }
    }

    /// `n` when a `while` loop runs until `n` reaches zero and its body takes from it:
    /// `while n > 0:` (or `while n:`, `while n != 0:`) with `n -= ...` inside.
    fn counted_down<'e>(&self, while_stmt: &'e ast::StmtWhile) -> Option<&'e Expr> {
        let count = match &*while_stmt.test {
            Expr::Compare(compare)
                if matches!(
                    (&*compare.ops, &*compare.comparators),
                    (
                        [ast::CmpOp::Gt | ast::CmpOp::NotEq],
                        [Expr::NumberLiteral(_)]
                    )
                ) =>
            {
                &*compare.left
            }
            test => test,
        };
        let Expr::Name(name) = count else {
            return None;
        };
        let id = self.node_id(while_stmt)?;
        self.descendants(id)
            .any(|node| {
                matches!(self.node(node), NodeRef::Stmt(Stmt::AugAssign(taken))
                    if taken.op == ast::Operator::Sub
                        && matches!(&*taken.target, Expr::Name(target) if target.id == name.id))
            })
            .then_some(count)
    }

    /// `(op, k)` when `compare` is `len(x) op k`, or `k op' len(x)` read the other way round
    /// (`k > len(x)` is `len(x) < k`), for an `x` that `measured` accepts.
    pub fn length_comparison<'e>(
        &self,
        compare: &'e ast::ExprCompare,
        measured: impl Fn(&Expr) -> bool,
    ) -> Option<(ast::CmpOp, &'e Expr)> {
        let is_len = |expr: &Expr| {
            matches!(expr, Expr::Call(call)
                if self.resolves_to(&call.func, &["builtins.len"])
                    && call.arguments.args.first().is_some_and(&measured))
        };
        let ([op], [right]) = (&*compare.ops, &*compare.comparators) else {
            return None;
        };
        if is_len(&compare.left) {
            Some((*op, right))
        } else if is_len(right) {
            Some((flipped(*op), &compare.left))
        } else {
            None
        }
    }

    /// `x` of `range(len(x))` (or `range(0, len(x))`, `range(1, len(x))`): a loop as long as
    /// `x`.
    pub fn counted_by_range<'e>(&self, expr: &'e Expr) -> Option<&'e Expr> {
        let Expr::Call(call) = expr else {
            return None;
        };
        let ([stop] | [Expr::NumberLiteral(_), stop], true) = (
            &*call.arguments.args,
            self.resolves_to(&call.func, &["builtins.range"]),
        ) else {
            return None;
        };
        match stop {
            Expr::Call(len) if self.resolves_to(&len.func, &["builtins.len"]) => {
                len.arguments.args.first()
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::Stmt;
    use ruff_python_parser::parse_module;

    use super::*;

    /// The size of the last expression statement, looking into the last `def` or `class`.
    fn size(source: &str) -> Size {
        let parsed = parse_module(source).expect("test sources parse");
        let model = SemanticModel::new(parsed.syntax());
        let mut body = &parsed.syntax().body;
        loop {
            match body.last() {
                Some(Stmt::FunctionDef(function)) => body = &function.body,
                Some(Stmt::ClassDef(class)) => body = &class.body,
                Some(Stmt::Expr(statement)) => return model.size_of(&statement.value),
                _ => panic!("the last statement is an expression"),
            }
        }
    }

    fn is_large(source: &str) -> bool {
        matches!(size(source), Size::Large { .. })
    }

    #[test]
    fn data_read_loaded_or_built_from_it_is_large() {
        assert!(is_large("open(log_path).readlines()"));
        // A file whose name does not say it holds data may be a pid file: not shown large.
        assert_eq!(size("open(path).readlines()"), Size::Unknown);
        assert!(is_large("import numpy as np\nnp.load(path)"));
        assert!(is_large("lines = open(log_path).read().split()\nlines[1:]"));
        assert!(is_large(
            "lines = open(log_path).readlines()\nrange(len(lines))"
        ));
        assert!(is_large(
            "lines = open(log_path).readlines()\n[l for l in lines if l]"
        ));
        // A private function every caller gives large data.
        assert!(is_large(
            "def main(path):\n    _scan(open(log_path).readlines())\ndef _scan(lines):\n    lines[1:]"
        ));
        assert!(is_large(
            "class Reader:\n    def run(self, path):\n        self._parse(0, data=open(log_path).read())\n    def _parse(self, start, data):\n        data[start:]"
        ));
        // A data file next to the source is data.
        assert!(is_large(
            "import os\nopen(os.path.join(os.path.dirname(__file__), 'frames.bin')).read().split()"
        ));
    }

    #[test]
    fn literals_names_and_model_structure_are_small() {
        for source in [
            "'a.b.c'.split('.')",
            "f'{__name__}.log'.split('.')",
            "(1, 2, 3)",
            "[*(1, 2)]",
            "{'mode': 1}",
            "import sys\nsys.argv[1:]",
            "import os\nos.environ.get('HOME', '').split(':')",
            "__name__.split('.')[0]",
            "def f(cls):\n    cls.__name__.split('.')",
            "def f(*args):\n    args[1:]",
            "def f(**options):\n    list(options.items())",
            "LAYERS = ('conv', 'relu')\nlist(LAYERS)[1:]",
            "range(10)",
            "import numpy as np\nnp.zeros((3, 3))",
            "open('settings.toml').read().splitlines()",
            "import json\nwith open('config.json') as f:\n    pass\njson.load(f)",
            // The program's own source.
            "open(__file__).read().splitlines()",
            "import inspect, pathlib\ndef f(module):\n    pathlib.Path(inspect.getfile(module)).read_text().splitlines()",
            "import os\nopen(os.path.join(os.path.dirname(__file__), 'setup.cfg')).read().split()",
            "[x * 2 for x in (1, 2, 3)]",
            "def f(model):\n    [p.numel() for p in model.parameters()]",
            "range(0, 100, -1)",
            "def f(model):\n    list(model.children())[:-1]",
            "class Net:\n    STAGES = (1, 2)\n    def f(self):\n        self.STAGES[1:]",
            "class Net:\n    STAGES = (1, 2)\nNet.STAGES[1:]",
        ] {
            assert_eq!(size(source), Size::Small, "{source}");
        }
    }

    #[test]
    fn what_the_module_cannot_size_is_unknown() {
        for source in [
            "def f(rows):\n    rows[1:]",
            // A stream of unknown origin read whole.
            "def f(stream):\n    stream.read().split()",
            "def f(spec):\n    f'{spec} * *'.split()",
            "def f(self):\n    self.rows[1:]",
            "def f(name):\n    name.split('.')",
            "range(100000)",
            "import numpy as np\nnp.zeros((1000, 1000))",
            "import numpy as np\ndef f(n):\n    np.zeros((n, 3))",
            "def f(n):\n    range(n)",
            "def f(rows):\n    [*rows]",
            "def f(rows):\n    list(rows)",
            "def f(rows):\n    range(len(rows))",
            "def f(rows):\n    [r for r in rows]",
            "def f(rows):\n    [c for c in (1, 2) for r in rows]",
            // Bound twice: which value reaches the read depends on the path.
            "LAYERS = ('conv',)\nif x:\n    LAYERS = load()\nLAYERS[1:]",
            "class Net:\n    STAGES = (1, 2)\n    def f(self):\n        self.other[1:]",
            // A display the code may grow.
            "def f(n):\n    jobs = [1, 2]\n    jobs.append(n)\n    list(jobs)",
            "CACHE = {}\nlist(CACHE)",
            // Callers out of sight: public, passed around, or not all giving large data.
            "def main(path):\n    scan(open(path).readlines())\ndef scan(lines):\n    lines[1:]",
            "def main(path, pool):\n    _scan(open(path).readlines())\n    pool.map(_scan, [])\ndef _scan(lines):\n    lines[1:]",
            "def main(path):\n    _scan(open(path).readlines())\n    _scan(['a'])\ndef _scan(lines):\n    lines[1:]",
            "def main(path):\n    _scan()\ndef _scan(lines=None):\n    lines[1:]",
        ] {
            assert_eq!(size(source), Size::Unknown, "{source}");
        }
    }

    /// The size of the last expression statement, looking into `def` and `if` bodies.
    fn size_deep(source: &str) -> Size {
        fn last_expression(body: &[Stmt]) -> Option<&Expr> {
            body.iter().rev().find_map(|statement| match statement {
                Stmt::Expr(statement) => Some(&*statement.value),
                Stmt::FunctionDef(function) => last_expression(&function.body),
                Stmt::If(if_stmt) => if_stmt
                    .elif_else_clauses
                    .iter()
                    .rev()
                    .find_map(|clause| last_expression(&clause.body))
                    .or_else(|| last_expression(&if_stmt.body)),
                _ => None,
            })
        }
        let parsed = parse_module(source).expect("test sources parse");
        let model = SemanticModel::new(parsed.syntax());
        model.size_of(last_expression(&parsed.syntax().body).expect("an expression"))
    }

    #[test]
    fn a_small_length_guard_makes_a_container_small() {
        let lines = "def f(log_path):\n    lines = open(log_path).readlines()\n";
        for guarded in [
            "    if len(lines) == 1:\n        lines[0:]",
            "    if lines and len(lines) < 4:\n        lines[1:]",
            "    if 3 >= len(lines):\n        lines[1:]",
            "    if len(lines) > 3:\n        return\n    lines[1:]",
            "    assert len(lines) <= 2\n    lines[1:]",
            "    if len(lines) > 9:\n        pass\n    elif len(lines) == 2:\n        lines[1:]",
        ] {
            assert_eq!(
                size_deep(&format!("{lines}{guarded}")),
                Size::Small,
                "{guarded}"
            );
        }
        for unguarded in [
            "    if len(lines) > 3:\n        lines[1:]",
            "    if len(lines) < limit:\n        lines[1:]",
            "    if len(lines) > 3:\n        print(lines)\n    lines[1:]",
            "    if len(lines) == 1:\n        pass\n    else:\n        lines[1:]",
            "    other = lines\n    if len(other) == 1:\n        lines[1:]",
        ] {
            assert!(
                matches!(
                    size_deep(&format!("{lines}{unguarded}")),
                    Size::Large { .. }
                ),
                "{unguarded}"
            );
        }
    }

    /// The size of how many times the last loop statement (looking into the last `def`) runs.
    fn loop_size(source: &str) -> Size {
        let parsed = parse_module(source).expect("test sources parse");
        let model = SemanticModel::new(parsed.syntax());
        let mut body = &parsed.syntax().body;
        while let Some(Stmt::FunctionDef(function)) = body.last() {
            body = &function.body;
        }
        let loop_stmt = body
            .iter()
            .rev()
            .find(|statement| matches!(statement, Stmt::For(_) | Stmt::While(_)))
            .expect("a loop");
        model.loop_count(NodeRef::Stmt(loop_stmt))
    }

    #[test]
    fn loops_over_data_or_reading_a_stream_run_a_data_sized_number_of_times() {
        for source in [
            "def f(log_path):\n    for line in open(log_path):\n        pass",
            "def f(log_path):\n    lines = open(log_path).readlines()\n    for i in range(len(lines)):\n        pass",
            "def f(sock):\n    while chunk := sock.recv(4096):\n        pass",
            "def f(sock):\n    while True:\n        data = sock.recv(4096)",
            "def f(capture_path):\n    data = open(capture_path, 'rb').read()\n    while data:\n        data = data[1:]",
        ] {
            assert!(
                matches!(loop_size(source), Size::Large { .. }),
                "{source}"
            );
        }
        for source in [
            "for stage in ('a', 'b'):\n    pass",
            "for i in range(3):\n    pass",
            "def f(model):\n    for layer in model.children():\n        pass",
            "for line in open('settings.ini'):\n    pass",
            "def f(sock):\n    header = b''\n    while len(header) < 4:\n        header += sock.recv(4)",
            "def f(sock):\n    header = b''\n    while sock and 8 > len(header):\n        header += sock.recv(8)",
            "PREFACE = b'PRI * HTTP/2.0'\ndef f(sock):\n    buf = b''\n    while True:\n        buf += sock.recv(len(PREFACE) - len(buf))",
        ] {
            assert_eq!(loop_size(source), Size::Small, "{source}");
        }
        for source in [
            "def f(rows):\n    for row in rows:\n        pass",
            "def f(n):\n    while n:\n        n -= 1",
            "def f(path):\n    for line in open(path):\n        pass",
            // Reads on every pass, but stops once `chunk` holds `self.size` bytes.
            "def f(self, sock):\n    chunk = b''\n    while len(chunk) < self.size:\n        chunk += sock.recv(4096)",
        ] {
            assert_eq!(loop_size(source), Size::Unknown, "{source}");
        }
    }
}
