//! How a binding's value is used at each place its name is read, judged from the nodes around
//! the name. Several rules ask the same questions: is the value grown, shrunk, returned,
//! stored somewhere that outlives the function, or handed to a new object?

use edgelint_semantic::{BindingId, SemanticModel};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{CmpOp, Expr, Keyword, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// Methods that put their argument into the receiver.
pub(crate) const STORING_METHODS: &[&str] = &[
    "append",
    "appendleft",
    "extend",
    "extendleft",
    "insert",
    "add",
    "update",
    "setdefault",
    "put",
    "put_nowait",
    "push",
];

#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) enum UseKind<'a> {
    /// `x(...)`.
    Called,
    /// `x.method(...)`.
    MethodCall(&'a str),
    /// `x.method(...)` whose result is iterated once (`for line in text.splitlines()`).
    IteratedMethodResult(&'a str),
    /// `x[k] = v`, `x[k] += v`.
    ItemStore,
    /// `x[i:j] = v`: replaces a part, or all (`x[:] = []` empties it).
    SliceStore,
    /// `x[k].method(...)`, such as `groups[key].append(item)` on a defaultdict.
    ItemMethodCall(&'a str),
    /// `del x[k]`.
    ItemDelete,
    /// `del x`.
    Deleted,
    /// `x += v`.
    AugmentedAssign,
    /// `return x`, `yield x`, also inside a tuple or list being returned.
    Returned,
    /// `obj.attr = x`, `obj[k] = x`.
    StoredInObject,
    /// `y = x`: another name holds the same object.
    Aliased,
    /// An element of a list, tuple, set or dict display.
    InContainer,
    /// An argument of a constructor (a CapWords callee) or of a method that stores it.
    HandedOver,
    /// Iterated once, directly: the iterable of a `for` or of a comprehension clause, or an
    /// argument that a consumer such as `sum` or `"".join` iterates.
    Iterated,
    /// The argument of `"sep".join(...)`: iterated once, but into a list `join` builds anyway.
    Joined,
    /// The right side of `in` / `not in`.
    Membership,
    /// An argument of an ordinary function call (`callee` is the function expression).
    Argument { callee: &'a Expr },
    /// Anything else: a plain read.
    Read,
}

impl UseKind<'_> {
    /// The value leaves the name's hands: returned, stored, aliased, put in a container or
    /// handed to something that keeps it. A `del` of the name would not free it.
    pub(crate) fn escapes(&self) -> bool {
        matches!(
            self,
            UseKind::Returned
                | UseKind::StoredInObject
                | UseKind::Aliased
                | UseKind::InContainer
                | UseKind::HandedOver
        )
    }
}

/// Every read of `binding` in `body` (nested functions included), with how it is used.
pub(crate) fn uses_of<'a>(
    body: &'a [Stmt],
    semantic: &SemanticModel,
    binding: BindingId,
) -> Vec<(TextRange, UseKind<'a>)> {
    let mut references: Vec<TextSize> = semantic
        .binding(binding)
        .references
        .iter()
        .map(|reference| semantic.reference(*reference).range.start())
        .collect();
    references.sort_unstable();
    let mut finder = UseFinder {
        semantic,
        binding,
        references,
        parents: Vec::new(),
        uses: Vec::new(),
    };
    finder.visit_body(body);
    finder.uses
}

#[derive(Copy, Clone)]
enum Parent<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    Keyword,
}

struct UseFinder<'m, 'a> {
    semantic: &'m SemanticModel<'m>,
    binding: BindingId,
    /// Where the binding is read, sorted: subtrees holding none of these are skipped.
    references: Vec<TextSize>,
    parents: Vec<Parent<'a>>,
    uses: Vec<(TextRange, UseKind<'a>)>,
}

impl<'a> UseFinder<'_, 'a> {
    /// Whether a node may hold one of the binding's reads.
    fn may_hold_a_read(&self, range: TextRange) -> bool {
        let first_at_or_after = self
            .references
            .partition_point(|start| *start < range.start());
        self.references
            .get(first_at_or_after)
            .is_some_and(|start| *start < range.end())
    }
    /// Whether the expression at `range`, whose parent is `depth` levels up the stack, is
    /// iterated once by that parent.
    fn iterated_at(&self, depth: usize, range: TextRange) -> bool {
        match self.parents.iter().rev().nth(depth) {
            Some(Parent::Stmt(Stmt::For(for_stmt))) => for_stmt.iter.range() == range,
            Some(Parent::Expr(Expr::Call(call))) => {
                crate::consumers::iterates(self.semantic, call, range)
            }
            Some(Parent::Expr(parent)) => crate::consumers::is_comprehension_source(parent, range),
            _ => false,
        }
    }

    fn classify(&self, name: &'a Expr) -> UseKind<'a> {
        let mut child = name;
        let mut in_display = false;
        for (depth, parent) in self.parents.iter().rev().enumerate() {
            match *parent {
                Parent::Expr(parent) => match parent {
                    Expr::Attribute(attribute) if depth == 0 => {
                        return match self.parents.iter().rev().nth(1) {
                            Some(Parent::Expr(Expr::Call(call)))
                                if call.func.range() == attribute.range =>
                            {
                                let method = attribute.attr.as_str();
                                if self.iterated_at(2, call.range()) {
                                    UseKind::IteratedMethodResult(method)
                                } else {
                                    UseKind::MethodCall(method)
                                }
                            }
                            _ => UseKind::Read,
                        };
                    }
                    Expr::Subscript(subscript)
                        if depth == 0 && subscript.value.range() == name.range() =>
                    {
                        return match self.parents.iter().rev().nth(1) {
                            Some(Parent::Stmt(Stmt::Assign(assign)))
                                if assign
                                    .targets
                                    .iter()
                                    .any(|target| target.range() == subscript.range) =>
                            {
                                if subscript.slice.is_slice_expr() {
                                    UseKind::SliceStore
                                } else {
                                    UseKind::ItemStore
                                }
                            }
                            Some(Parent::Stmt(Stmt::AugAssign(assign)))
                                if assign.target.range() == subscript.range =>
                            {
                                UseKind::ItemStore
                            }
                            Some(Parent::Stmt(Stmt::Delete(_))) => UseKind::ItemDelete,
                            Some(Parent::Expr(Expr::Attribute(method))) => {
                                match self.parents.iter().rev().nth(2) {
                                    Some(Parent::Expr(Expr::Call(call)))
                                        if call.func.range() == method.range =>
                                    {
                                        UseKind::ItemMethodCall(method.attr.as_str())
                                    }
                                    _ => UseKind::Read,
                                }
                            }
                            _ => UseKind::Read,
                        };
                    }
                    Expr::Tuple(_)
                    | Expr::List(_)
                    | Expr::Set(_)
                    | Expr::Dict(_)
                    | Expr::Starred(_) => {
                        in_display = true;
                        child = parent;
                    }
                    Expr::Yield(_) | Expr::YieldFrom(_) => return UseKind::Returned,
                    Expr::Call(call) if depth == 0 && call.func.range() == name.range() => {
                        return UseKind::Called;
                    }
                    Expr::Call(call) if call.func.range() != child.range() => {
                        // A consumer iterates before anything else: `Counter(words)` reads
                        // `words` once and keeps none of it.
                        return if depth == 0
                            && crate::consumers::is_join_argument(call, name.range())
                        {
                            UseKind::Joined
                        } else if depth == 0
                            && crate::consumers::iterates(self.semantic, call, name.range())
                        {
                            UseKind::Iterated
                        } else if is_handing_over(&call.func) {
                            UseKind::HandedOver
                        } else if in_display {
                            UseKind::InContainer
                        } else {
                            UseKind::Argument { callee: &call.func }
                        };
                    }
                    Expr::ListComp(_)
                    | Expr::SetComp(_)
                    | Expr::DictComp(_)
                    | Expr::Generator(_)
                        if depth == 0
                            && crate::consumers::is_comprehension_source(parent, name.range()) =>
                    {
                        return UseKind::Iterated;
                    }
                    Expr::Compare(compare)
                        if depth == 0
                            && compare.comparators.iter().zip(&*compare.ops).any(
                                |(right, op)| {
                                    right.range() == name.range()
                                        && matches!(op, CmpOp::In | CmpOp::NotIn)
                                },
                            ) =>
                    {
                        return UseKind::Membership;
                    }
                    _ => {
                        return if in_display {
                            UseKind::InContainer
                        } else {
                            UseKind::Read
                        }
                    }
                },
                Parent::Keyword => {}
                Parent::Stmt(statement) => {
                    return match statement {
                        Stmt::Return(_) => UseKind::Returned,
                        Stmt::For(for_stmt)
                            if !in_display && for_stmt.iter.range() == name.range() =>
                        {
                            UseKind::Iterated
                        }
                        Stmt::Delete(_) if !in_display => UseKind::Deleted,
                        Stmt::AugAssign(assign) if assign.target.range() == name.range() => {
                            UseKind::AugmentedAssign
                        }
                        Stmt::Assign(assign) if assign.value.range() == child.range() => {
                            if assign.targets.iter().any(|target| {
                                target.is_attribute_expr() || target.is_subscript_expr()
                            }) {
                                UseKind::StoredInObject
                            } else if in_display {
                                UseKind::InContainer
                            } else {
                                UseKind::Aliased
                            }
                        }
                        Stmt::AnnAssign(assign)
                            if assign
                                .value
                                .as_deref()
                                .is_some_and(|value| value.range() == child.range()) =>
                        {
                            if assign.target.is_name_expr() {
                                UseKind::Aliased
                            } else {
                                UseKind::StoredInObject
                            }
                        }
                        _ if in_display => UseKind::InContainer,
                        _ => UseKind::Read,
                    };
                }
            }
        }
        UseKind::Read
    }
}

/// Calls that make a view of their argument's buffer: the view keeps the whole buffer alive.
const VIEW_MAKERS: &[&str] = &[
    "memoryview",
    "frombuffer",
    "from_numpy",
    "as_tensor",
    "asarray",
];

/// A callee that keeps its arguments: a constructor (CapWords, such as `Parser` or
/// `threading.Thread`), a method that stores its argument in its receiver, or a call that makes
/// a view of its argument's buffer.
fn is_handing_over(func: &Expr) -> bool {
    let name = match func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => {
            if STORING_METHODS.contains(&attribute.attr.as_str()) {
                return true;
            }
            attribute.attr.as_str()
        }
        _ => return false,
    };
    if VIEW_MAKERS.contains(&name) {
        return true;
    }
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
}

impl<'a> Visitor<'a> for UseFinder<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.may_hold_a_read(stmt.range()) {
            return;
        }
        self.parents.push(Parent::Stmt(stmt));
        visitor::walk_stmt(self, stmt);
        self.parents.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            if self.semantic.binding_of(name) == Some(self.binding) {
                let kind = self.classify(expr);
                self.uses.push((name.range, kind));
            }
            return;
        }
        if !self.may_hold_a_read(expr.range()) {
            return;
        }
        self.parents.push(Parent::Expr(expr));
        visitor::walk_expr(self, expr);
        self.parents.pop();
    }

    fn visit_keyword(&mut self, keyword: &'a Keyword) {
        self.parents.push(Parent::Keyword);
        visitor::walk_keyword(self, keyword);
        self.parents.pop();
    }
}
