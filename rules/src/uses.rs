//! How a binding's value is used at each place its name is read, judged from the nodes around
//! the name. Several rules ask the same questions: is the value grown, shrunk, returned,
//! stored somewhere that outlives the function, or handed to a new object?

use edgelint_semantic::{BindingId, NodeId, NodeRef, SemanticModel};
use ruff_python_ast::{CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

pub(crate) use edgelint_semantic::{SHRINKING_METHODS, STORING_METHODS};

#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) enum UseKind<'a> {
    /// `x(...)`.
    Called,
    /// `x.method(...)`, or a shrinking method handed on to be called later (`x.discard`).
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

/// Every read of `binding` in `body` (nested functions included), with how it is used, in the
/// order a visitor of `body` would meet them.
pub(crate) fn uses_of<'a>(
    body: &[Stmt],
    semantic: &SemanticModel<'a>,
    binding: BindingId,
) -> Vec<(TextRange, UseKind<'a>)> {
    let (Some(first), Some(last)) = (body.first(), body.last()) else {
        return Vec::new();
    };
    let body = TextRange::new(first.start(), last.end());
    let mut uses: Vec<(Vec<VisitKey>, TextRange, UseKind<'a>)> = semantic
        .references_of(binding)
        .iter()
        .map(|reference| semantic.reference(*reference))
        .filter(|reference| body.contains_range(reference.range))
        .filter_map(|reference| {
            let name = semantic.node(reference.node).as_expr()?;
            let classifier = Classifier {
                semantic,
                parents: parents_of(semantic, reference.node),
            };
            let key = visit_key(semantic, reference.node);
            Some((key, reference.range, classifier.classify(name)))
        })
        .collect();
    uses.sort_by(|(left, ..), (right, ..)| left.cmp(right));
    uses.into_iter()
        .map(|(_, range, kind)| (range, kind))
        .collect()
}

/// How the expression `node` (such as `self.pending`) is used, judged from the nodes around
/// it as a read of a name is.
pub(crate) fn use_of<'a>(semantic: &SemanticModel<'a>, node: NodeId) -> UseKind<'a> {
    let Some(expr) = semantic.node(node).as_expr() else {
        return UseKind::Read;
    };
    Classifier {
        semantic,
        parents: parents_of(semantic, node),
    }
    .classify(expr)
}

/// One level of a node's place in a visitor's order: the builder numbers the bodies of
/// functions and lambdas last, where a visitor enters them right after the function's own
/// header. A node in such a body sorts, at the defining frame's level, just before the first
/// node numbered after the header (the more deeply nested definition first), then by its own
/// place in the body.
type VisitKey = (u32, u8, u32);

fn visit_key(semantic: &SemanticModel, node: NodeId) -> Vec<VisitKey> {
    let mut key = vec![(semantic.order_of(node), 1, 0)];
    let mut child = node;
    for parent in semantic.ancestors(node) {
        let header_end = semantic.order_after(parent);
        if semantic.order_of(child) >= header_end {
            key.push((header_end, 0, u32::MAX - parent.index() as u32));
        }
        child = parent;
    }
    key.reverse();
    key
}

#[derive(Copy, Clone)]
enum Parent<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    /// A keyword argument (`key=value`) between a value and its call.
    Keyword,
}

/// The nodes around a read, innermost first, up to the statement that holds it.
fn parents_of<'a>(semantic: &SemanticModel<'a>, node: NodeId) -> Vec<Parent<'a>> {
    let mut parents = Vec::new();
    let mut child = semantic.node(node);
    for parent in semantic.ancestors(node) {
        let parent = semantic.node(parent);
        let keywords = match parent {
            NodeRef::Expr(Expr::Call(call)) => &call.arguments.keywords[..],
            NodeRef::Stmt(Stmt::ClassDef(class)) => class
                .arguments
                .as_deref()
                .map_or(&[][..], |arguments| &arguments.keywords[..]),
            _ => &[],
        };
        if let NodeRef::Expr(child) = child {
            if keywords
                .iter()
                .any(|keyword| std::ptr::eq(&keyword.value, child))
            {
                parents.push(Parent::Keyword);
            }
        }
        match parent {
            NodeRef::Stmt(statement) => {
                parents.push(Parent::Stmt(statement));
                break;
            }
            NodeRef::Expr(expr) => parents.push(Parent::Expr(expr)),
        }
        child = parent;
    }
    parents
}

/// Judges one read from the nodes around it.
struct Classifier<'m, 'a> {
    semantic: &'m SemanticModel<'a>,
    /// Innermost first.
    parents: Vec<Parent<'a>>,
}

impl<'a> Classifier<'_, 'a> {
    /// Whether the expression at `range`, whose parent is `depth` levels up, is iterated once
    /// by that parent.
    fn iterated_at(&self, depth: usize, range: TextRange) -> bool {
        match self.parents.get(depth) {
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
        for (depth, parent) in self.parents.iter().enumerate() {
            match *parent {
                Parent::Expr(parent) => match parent {
                    Expr::Attribute(attribute) if depth == 0 => {
                        return match self.parents.get(1) {
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
                            // A bound method handed on is called later:
                            // `task.add_done_callback(running.discard)` shrinks `running`.
                            _ if SHRINKING_METHODS.contains(&attribute.attr.as_str()) => {
                                UseKind::MethodCall(attribute.attr.as_str())
                            }
                            _ => UseKind::Read,
                        };
                    }
                    Expr::Subscript(subscript)
                        if depth == 0 && subscript.value.range() == name.range() =>
                    {
                        return match self.parents.get(1) {
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
                                match self.parents.get(2) {
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
                    // `y = x if c else None`, `y = x or default`: what holds the result may
                    // hold `x` itself.
                    Expr::If(choice) if choice.test.range() != child.range() => child = parent,
                    Expr::BoolOp(_) => child = parent,
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

/// Beginnings of method names that say the receiver keeps what it is given
/// (`form.add_field("file", data)`, `message.set_payload(body)`, `bus.register(handler)`).
const STORING_PREFIXES: &[&str] = &[
    "add_", "set_", "attach", "append_", "insert_", "put_", "push_", "register",
];

/// A callee that keeps its arguments: a constructor (CapWords, such as `Parser` or
/// `threading.Thread`), a method that stores its argument in its receiver, or a call that makes
/// a view of its argument's buffer.
fn is_handing_over(func: &Expr) -> bool {
    let name = match func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => {
            let method = attribute.attr.as_str();
            if STORING_METHODS.contains(&method)
                || STORING_PREFIXES
                    .iter()
                    .any(|prefix| method.starts_with(prefix))
            {
                return true;
            }
            method
        }
        _ => return false,
    };
    if VIEW_MAKERS.contains(&name) {
        return true;
    }
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
}

/// How a container grows at a place: the key it is grown under (the element itself for
/// `append`, `add`, `insert`) and, when the code shows it, the value it then holds.
#[derive(Copy, Clone)]
pub(crate) struct Growth<'a> {
    pub(crate) key: &'a Expr,
    pub(crate) value: Option<&'a Expr>,
}

/// How the container grows at `site` (a read of it): `c[key] = v`, `c[key] += v`,
/// `c.setdefault(key, v)`, `c.append(x)`, `c.appendleft(x)`, `c.add(x)`, `c.insert(i, x)`.
/// `None` for `extend` and `update`, which grow by a whole collection no one key stands for.
pub(crate) fn grown_at<'a>(
    semantic: &SemanticModel<'a>,
    binding: BindingId,
    site: TextRange,
) -> Option<Growth<'a>> {
    grown_at_node(semantic, semantic.reference_of(binding, site)?.node)
}

/// How the container the expression `node` reads grows there (see [`grown_at`]).
pub(crate) fn grown_at_node<'a>(semantic: &SemanticModel<'a>, node: NodeId) -> Option<Growth<'a>> {
    let parent = semantic.parent(node)?;
    let grandparent = semantic.node(semantic.parent(parent)?);
    match (semantic.node(parent), grandparent) {
        (NodeRef::Expr(Expr::Subscript(subscript)), statement) => Some(Growth {
            key: &subscript.slice,
            value: match statement {
                NodeRef::Stmt(Stmt::Assign(assign)) => Some(&*assign.value),
                NodeRef::Stmt(Stmt::AugAssign(assign)) => Some(&*assign.value),
                _ => None,
            },
        }),
        (NodeRef::Expr(Expr::Attribute(method)), NodeRef::Expr(Expr::Call(call))) => {
            let arguments = &call.arguments.args;
            let element = match method.attr.as_str() {
                "setdefault" => {
                    return Some(Growth {
                        key: arguments.first()?,
                        value: arguments.get(1),
                    })
                }
                "insert" => arguments.get(1)?,
                "append" | "appendleft" | "add" => arguments.first()?,
                _ => return None,
            };
            Some(Growth {
                key: element,
                value: Some(element),
            })
        }
        _ => None,
    }
}

/// What the container is grown with at `site`: the key of its [`Growth`].
pub(crate) fn grown_with<'a>(
    semantic: &SemanticModel<'a>,
    binding: BindingId,
    site: TextRange,
) -> Option<&'a Expr> {
    grown_at(semantic, binding, site).map(|growth| growth.key)
}
