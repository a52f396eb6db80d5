//! Node identity: every statement and expression of the module has a [`NodeId`], given by the
//! builder in its walk order, with its parent, its scope and what is true of where it stands
//! (in a loop, at import time, in a `finally`, with autograd off). Rules ask these questions
//! of the model instead of walking the tree again.
//!
//! The builder numbers a node before its children and finishes a node's children before it
//! moves on, except for the bodies of functions and lambdas, which it numbers later, when their
//! turn comes (they run later). So the nodes evaluated with a node (its descendants, bar those
//! bodies) are the ids right after it, up to its recorded `end`; and a function's body is one
//! run of ids too, recorded on its scope.
//!
//! A name that reads is no record of the node table but a reference, whose id stands for it
//! (see [`NodeId::read`]): a record notes the references made while it was open, so that a
//! run of nodes yields each read where the builder met it.

use std::hash::BuildHasher;

use ruff_python_ast::{AnyNodeRef, Expr, HasNodeIndex, NodeKind, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxBuildHasher;

use crate::{NodeId, ReferenceId, ScopeId, ScopeKind, SemanticModel};

/// A statement or an expression of the module.
#[derive(Copy, Clone, Debug)]
pub enum NodeRef<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

impl<'a> NodeRef<'a> {
    pub fn as_stmt(self) -> Option<&'a Stmt> {
        match self {
            NodeRef::Stmt(statement) => Some(statement),
            NodeRef::Expr(_) => None,
        }
    }

    pub fn as_expr(self) -> Option<&'a Expr> {
        match self {
            NodeRef::Expr(expr) => Some(expr),
            NodeRef::Stmt(_) => None,
        }
    }

    /// The node's kind, read from the tree (the model keeps it in its table: see
    /// [`SemanticModel::node_kind`]).
    pub fn kind(self) -> NodeKind {
        match self {
            NodeRef::Stmt(statement) => AnyNodeRef::from(statement).kind(),
            NodeRef::Expr(expr) => AnyNodeRef::from(expr).kind(),
        }
    }
}

impl Ranged for NodeRef<'_> {
    fn range(&self) -> TextRange {
        match self {
            NodeRef::Stmt(statement) => statement.range(),
            NodeRef::Expr(expr) => expr.range(),
        }
    }
}

/// What is true of the place a node stands, computed once by the builder.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NodeFlags(u8);

impl NodeFlags {
    /// Lexically inside the body of a `for` or `while` loop, or inside a comprehension past its
    /// first iterable, of the same function; a nested `def`, `lambda` or `class` body starts
    /// afresh (its decorators, defaults and base classes belong to the enclosing code).
    pub(crate) const IN_LOOP: NodeFlags = NodeFlags(1);
    /// Not inside the body of any function or lambda: run while the module loads.
    pub(crate) const AT_IMPORT_TIME: NodeFlags = NodeFlags(1 << 1);
    /// Inside the `finally:` block of a `try`, of the same function or class body.
    pub(crate) const IN_FINALLY: NodeFlags = NodeFlags(1 << 2);
    /// Inside a `with` block whose context turns autograd off (`torch.no_grad()`,
    /// `torch.inference_mode()`, or a project's wrapper named after them), of the same function.
    pub(crate) const AUTOGRAD_OFF: NodeFlags = NodeFlags(1 << 3);

    pub(crate) fn contains(self, flag: NodeFlags) -> bool {
        self.0 & flag.0 != 0
    }

    pub(crate) fn with(self, flag: NodeFlags, on: bool) -> NodeFlags {
        if on {
            NodeFlags(self.0 | flag.0)
        } else {
            NodeFlags(self.0 & !flag.0)
        }
    }
}

/// The kinds of node the model's own scans look for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Function,
    Class,
    Lambda,
    For,
    While,
    Await,
    Call,
    Return,
    Break,
    Other,
}

impl Shape {
    #[inline]
    fn of(kind: NodeKind) -> Shape {
        match kind {
            NodeKind::StmtFunctionDef => Shape::Function,
            NodeKind::StmtClassDef => Shape::Class,
            NodeKind::StmtFor => Shape::For,
            NodeKind::StmtWhile => Shape::While,
            NodeKind::StmtReturn => Shape::Return,
            NodeKind::StmtBreak => Shape::Break,
            NodeKind::ExprLambda => Shape::Lambda,
            NodeKind::ExprAwait => Shape::Await,
            NodeKind::ExprCall => Shape::Call,
            _ => Shape::Other,
        }
    }

    /// A `def`, `class` or `lambda`: code whose body runs at another time.
    pub(crate) fn is_definition(self) -> bool {
        matches!(self, Shape::Function | Shape::Class | Shape::Lambda)
    }
}

/// The hash of an attribute's name that [`SemanticModel::attribute_nodes`] looks for.
pub(crate) fn name_hash(name: &str) -> u32 {
    // The high half: the multiplication of the last word leaves its best mixing there.
    (FxBuildHasher.hash_one(name) >> 32) as u32
}

/// The module's attribute expressions, each with the hash of its name, noted by the builder
/// in its order. The hashes are kept apart from the ids so that a scan for one name compares
/// a block of them at once: some rules ask for a name per method of a class, and a module of
/// ten thousand attributes is scanned each time. A module asked more than [`Self::SCANS`]
/// times (a class of thousands of methods) is then sorted by hash once, so that its questions
/// cost no more than the length of the module.
#[derive(Debug, Default)]
pub(crate) struct AttributeNotes {
    hashes: Vec<u32>,
    ids: Vec<NodeId>,
    asked: std::cell::Cell<u32>,
    /// The notes sorted by hash, each hash's in the order they were noted.
    by_hash: std::cell::OnceCell<(Vec<u32>, Vec<NodeId>)>,
}

impl AttributeNotes {
    /// How many hashes are compared at once: a block without the name is skipped whole.
    const BLOCK: usize = 16;
    /// How many questions are answered by scans before the notes are sorted.
    const SCANS: u32 = 256;

    pub(crate) fn reserve(&mut self, additional: usize) {
        self.hashes.reserve(additional);
        self.ids.reserve(additional);
    }

    pub(crate) fn note(&mut self, hash: u32, id: NodeId) {
        self.hashes.push(hash);
        self.ids.push(id);
    }

    /// The attributes whose name has this hash, in the order they were noted.
    pub(crate) fn named(&self, hash: u32) -> Named<'_, impl Iterator<Item = NodeId> + '_> {
        let asked = self.asked.get();
        self.asked.set(asked.saturating_add(1));
        if asked < Self::SCANS {
            return Named::Scanned(self.scan(hash));
        }
        let (hashes, ids) = self.by_hash.get_or_init(|| self.sorted_by_hash());
        let start = hashes.partition_point(|noted| *noted < hash);
        let end = start + hashes[start..].partition_point(|noted| *noted == hash);
        Named::Sorted(ids[start..end].iter())
    }

    fn scan(&self, hash: u32) -> impl Iterator<Item = NodeId> + '_ {
        self.hashes
            .chunks(Self::BLOCK)
            .enumerate()
            // Without short-circuiting, so that the comparisons are made side by side.
            .filter(move |(_, block)| {
                block
                    .iter()
                    .fold(false, |seen, &noted| seen | (noted == hash))
            })
            .flat_map(move |(index, block)| {
                let start = index * Self::BLOCK;
                block
                    .iter()
                    .zip(&self.ids[start..])
                    .filter(move |(&noted, _)| noted == hash)
                    .map(|(_, &id)| id)
            })
    }

    fn sorted_by_hash(&self) -> (Vec<u32>, Vec<NodeId>) {
        let mut notes: Vec<(u32, NodeId)> = self
            .hashes
            .iter()
            .copied()
            .zip(self.ids.iter().copied())
            .collect();
        // Stable: each hash's notes stay in the order they were noted.
        notes.sort_by_key(|(hash, _)| *hash);
        notes.into_iter().unzip()
    }
}

/// What [`AttributeNotes::named`] finds: by a scan, or in the notes sorted by hash.
pub(crate) enum Named<'s, S> {
    Scanned(S),
    Sorted(std::slice::Iter<'s, NodeId>),
}

impl<S: Iterator<Item = NodeId>> Iterator for Named<'_, S> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        match self {
            Named::Scanned(scan) => scan.next(),
            Named::Sorted(sorted) => sorted.next().copied(),
        }
    }
}

/// One statement or expression: kept small (40 bytes), as a module has one per node.
#[derive(Debug)]
pub(crate) struct NodeRecord<'a> {
    pub(crate) node: NodeRef<'a>,
    /// The node's kind, kept in the record so that scans can skip every other node without
    /// reading it from the tree (the table is dense; the tree is spread over the heap).
    pub(crate) kind: NodeKind,
    /// The parent's id, or [`NO_PARENT`] for a statement of the module's body.
    pub(crate) parent: u32,
    /// One past the last node numbered while this one was open: its descendants, bar the
    /// bodies of the functions and lambdas in it.
    pub(crate) end: u32,
    /// The scope the node is evaluated in (for a `def`, `class`, `lambda` or comprehension,
    /// the enclosing one).
    pub(crate) scope: ScopeId,
    pub(crate) flags: NodeFlags,
    /// The names read while the node was open (see [`NodeId::read`]): its own and its
    /// descendants', bar the bodies of the functions and lambdas in it.
    pub(crate) reads: std::ops::Range<u32>,
}

// The size the comment above states: a module has one record per node.
const _: () = assert!(std::mem::size_of::<NodeRecord>() == 40);

pub(crate) const NO_PARENT: u32 = u32::MAX;

/// Context managers and decorators that turn autograd off.
const AUTOGRAD_OFF_CONTEXTS: &[&str] = &[
    "torch.no_grad",
    "torch.inference_mode",
    "torch.set_grad_enabled",
    "torch.autograd.no_grad",
    "torch.autograd.inference_mode",
    "torch.autograd.set_grad_enabled",
    "torch.autograd.grad_mode.no_grad",
    "torch.autograd.grad_mode.inference_mode",
];

impl<'a> SemanticModel<'a> {
    /// The id of a statement or expression of the module the model was built from: the
    /// builder wrote it into the node. The rule walk asks it of every node, so only debug
    /// builds check that the node is the one numbered so.
    pub fn node_id(&self, node: &(impl HasNodeIndex + Ranged)) -> Option<NodeId> {
        let id = NodeId::new(node.node_index().load().as_u32()? as usize);
        if let Some(read) = id.read() {
            let reference = self.references.get(read.index())?;
            debug_assert_eq!(reference.range, node.range(), "a name of another tree");
            return Some(id);
        }
        let record = self.nodes.get(id.index())?;
        debug_assert_eq!(record.node.range(), node.range(), "a node of another tree");
        Some(id)
    }

    /// The reference a read's id stands for (see [`NodeId::read`]).
    fn read(&self, id: NodeId) -> Option<&crate::Reference<'a>> {
        id.read().map(|read| self.reference(read))
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'a> {
        match self.read(id) {
            Some(read) => NodeRef::Expr(read.name),
            None => self.nodes[id.index()].node,
        }
    }

    /// The node's kind, read from the table, not the tree.
    #[inline]
    pub fn node_kind(&self, id: NodeId) -> NodeKind {
        if id.read().is_some() {
            return NodeKind::ExprName;
        }
        self.nodes[id.index()].kind
    }

    #[inline]
    pub(crate) fn shape(&self, id: NodeId) -> Shape {
        Shape::of(self.node_kind(id))
    }

    /// How many statements and expressions the module has.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Every statement and expression, in the order the builder numbered them: a module's or
    /// function's own code first, the bodies of the functions and lambdas in it after.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes.len()).map(NodeId::new)
    }

    /// Every statement and expression with its kind, in [`SemanticModel::node_ids`]'s order:
    /// read from the node table in one pass, for the rules' walk.
    pub fn node_kinds(&self) -> impl Iterator<Item = (NodeId, NodeKind)> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .map(|(index, record)| (NodeId::new(index), record.kind))
    }

    /// The nodes of the given kinds, in [`SemanticModel::node_ids`]'s order: picked from the
    /// node table, so a scan reads from the tree only the nodes it looks at.
    pub fn node_ids_of<'k>(
        &self,
        kinds: &'k [NodeKind],
    ) -> impl Iterator<Item = NodeId> + use<'_, 'k, 'a> {
        self.node_ids()
            .filter(|id| kinds.contains(&self.node_kind(*id)))
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let parent = match self.read(id) {
            Some(read) => read.parent,
            None => self.nodes[id.index()].parent,
        };
        (parent != NO_PARENT).then(|| NodeId::new(parent as usize))
    }

    /// The node's parent, grandparent, and so on up to a statement of the module's body.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), |id| self.parent(*id))
    }

    /// The attribute expressions (`x.name`, loads, stores and deletions) of the module that
    /// name `name`, in the builder's order (a function's body after the code around it). Found
    /// by the hashes of their names the builder noted: a scan of a short table, a block at a
    /// time (see [`AttributeNotes`]), where an index by name cost more to build than the few
    /// questions a module is asked (nine on average, on the benchmark's real tree).
    pub fn attribute_nodes<'s>(&'s self, name: &'s str) -> impl Iterator<Item = NodeId> + 's {
        self.attributes.named(name_hash(name)).filter(move |id| {
            matches!(self.node(*id), NodeRef::Expr(Expr::Attribute(attribute))
                    if attribute.attr.as_str() == name)
        })
    }

    /// The innermost statement that is or holds the node.
    pub fn statement_of(&self, id: NodeId) -> Option<&'a Stmt> {
        std::iter::once(id)
            .chain(self.ancestors(id))
            .find_map(|id| self.node(id).as_stmt())
    }

    /// The innermost `for` or `while` statement around the node (crossing function bodies).
    pub fn enclosing_loop(&self, id: NodeId) -> Option<&'a Stmt> {
        self.ancestors(id)
            .find(|id| matches!(self.shape(*id), Shape::For | Shape::While))
            .and_then(|id| self.node(id).as_stmt())
    }

    /// The scope the node is evaluated in (for a `def`, `class`, `lambda` or comprehension,
    /// the enclosing one).
    pub fn node_scope(&self, id: NodeId) -> ScopeId {
        match self.read(id) {
            Some(read) => read.scope,
            None => self.nodes[id.index()].scope,
        }
    }

    /// Whether the node is lexically inside the body of a `for` or `while` loop, or inside a
    /// comprehension past its first iterable, of the same function (a nested `def`, `lambda`
    /// or `class` body starts afresh; its decorators, defaults and bases do not).
    pub fn in_loop(&self, id: NodeId) -> bool {
        self.flag(id, NodeFlags::IN_LOOP)
    }

    /// Whether the node runs while the module loads: it is not inside the body of any
    /// function or lambda.
    pub fn at_import_time(&self, id: NodeId) -> bool {
        self.flag(id, NodeFlags::AT_IMPORT_TIME)
    }

    /// Whether the node is inside the `finally:` block of a `try`, of the same function or
    /// class body.
    pub fn in_finally(&self, id: NodeId) -> bool {
        self.flag(id, NodeFlags::IN_FINALLY)
    }

    /// Whether the node is inside a `with` block whose context turns autograd off (see
    /// [`SemanticModel::turns_autograd_off`]), of the same function.
    pub fn autograd_off(&self, id: NodeId) -> bool {
        self.flag(id, NodeFlags::AUTOGRAD_OFF)
    }

    /// Whether the node runs with autograd off: inside a `with torch.no_grad():` block, or in a
    /// function decorated to turn it off.
    pub fn runs_without_autograd(&self, id: NodeId) -> bool {
        self.autograd_off(id) || self.decorated_without_autograd(self.node_scope(id))
    }

    /// Whether `scope` is the body of a function decorated to turn autograd off.
    pub(crate) fn decorated_without_autograd(&self, scope: ScopeId) -> bool {
        matches!(self.scope(scope).kind, ScopeKind::Function(function)
            if function.decorator_list.iter().any(|decorator| self.turns_autograd_off(&decorator.expression)))
    }

    fn flag(&self, id: NodeId, flag: NodeFlags) -> bool {
        match self.read(id) {
            Some(read) => read.flags.contains(flag),
            None => self.nodes[id.index()].flags.contains(flag),
        }
    }

    /// Whether `expr` (a context manager, a decorator, or the callee of one) turns autograd
    /// off: `torch.no_grad`, `torch.inference_mode`, `torch.set_grad_enabled` (or their
    /// `torch.autograd` spellings), or a project's own wrapper named after what it
    /// does (`smart_inference_mode`, `utils.no_grad_if_eval`, `torchNo_grad` bound by a
    /// guarded import, in any case).
    pub fn turns_autograd_off(&self, expr: &Expr) -> bool {
        let callee = match expr {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        if self.resolves_to(callee, AUTOGRAD_OFF_CONTEXTS) {
            return true;
        }
        let Some(name) = last_name(callee) else {
            return false;
        };
        ["no_grad", "nograd", "inference_mode"]
            .iter()
            .any(|wanted| contains_ignoring_case(name, wanted))
    }

    /// `id` and the nodes evaluated as part of it (see [`SemanticModel::descendants`]).
    pub fn subtree(&self, id: NodeId) -> Nodes<'_, 'a> {
        match id.read() {
            // A read holds no other node.
            Some(read) => {
                let at = self.reference(read).next_node;
                let read = read.index() as u32;
                Nodes::new(self, at..at, read..read + 1)
            }
            None => {
                let record = &self.nodes[id.index()];
                Nodes::new(self, id.index() as u32..record.end, record.reads.clone())
            }
        }
    }

    /// The nodes evaluated as part of `id`, after it, in the builder's order: its descendants
    /// but for the bodies of the functions and lambdas defined in it, which run later.
    pub fn descendants(&self, id: NodeId) -> Nodes<'_, 'a> {
        if id.read().is_some() {
            return Nodes::new(self, 0..0, 0..0);
        }
        let record = &self.nodes[id.index()];
        Nodes::new(
            self,
            id.index() as u32 + 1..record.end,
            record.reads.clone(),
        )
    }

    /// The first id after the nodes evaluated with `id`: a node numbered at or past it under
    /// `id` is in the body of the function or lambda `id` defines, numbered when its turn came.
    pub fn descendants_end(&self, id: NodeId) -> NodeId {
        match self.read(id) {
            Some(read) => NodeId::new(read.next_node as usize),
            None => NodeId::new(self.nodes[id.index()].end as usize),
        }
    }

    /// Where the builder met `id`, nodes and names read counted alike: one order for both,
    /// whose ids are apart (see [`NodeId::read`]).
    pub fn order_of(&self, id: NodeId) -> u32 {
        match id.read() {
            Some(read) => self.reference(read).next_node + read.index() as u32,
            None => id.index() as u32 + self.nodes[id.index()].reads.start,
        }
    }

    /// The place, in that order, of what the builder met after `id` and what is evaluated
    /// with it (see [`SemanticModel::descendants_end`]).
    pub fn order_after(&self, id: NodeId) -> u32 {
        match id.read() {
            Some(_) => self.order_of(id) + 1,
            None => {
                let record = &self.nodes[id.index()];
                record.end + record.reads.end
            }
        }
    }

    /// The nodes of a function's or lambda's body (or of a class body, a comprehension, the
    /// module), in the builder's order, without the bodies of functions and lambdas in it.
    pub fn scope_nodes(&self, scope: ScopeId) -> Nodes<'_, 'a> {
        let scope = self.scope(scope);
        Nodes::new(self, scope.nodes.clone(), scope.reads.clone())
    }

    /// The nodes of a scope's own code with their kinds, the functions, classes and lambdas
    /// in it left out whole: what `scope_nodes(scope).without_definitions()` gives but for the
    /// names read (no nodes of the table), read from the node table in one pass, for scans that
    /// look at nodes of a few kinds only. A loop of
    /// its own over the records rather than `Nodes` mapped to kinds: on Transformers that
    /// executed 31 M instructions more (0.5 %).
    pub fn own_node_kinds(
        &self,
        scope: ScopeId,
    ) -> impl Iterator<Item = (NodeId, NodeKind)> + use<'_, 'a> {
        let run = self.scope(scope).nodes.clone();
        let records = &self.nodes[..run.end as usize];
        let mut next = run.start as usize;
        std::iter::from_fn(move || {
            while let Some(record) = records.get(next) {
                let index = next;
                if Shape::of(record.kind).is_definition() {
                    next = record.end as usize;
                    continue;
                }
                next += 1;
                return Some((NodeId::new(index), record.kind));
            }
            None
        })
    }

    /// Whether `root` or an expression in it, the bodies of the functions and lambdas it
    /// defines included, satisfies `predicate`.
    pub fn any_expr_in(
        &self,
        root: &(impl HasNodeIndex + Ranged),
        mut predicate: impl FnMut(&'a Expr) -> bool,
    ) -> bool {
        self.node_id(root).is_some_and(|root| {
            self.subtree(root)
                .into_bodies()
                .any(|id| self.node(id).as_expr().is_some_and(&mut predicate))
        })
    }

    /// [`SemanticModel::any_expr_in`] for each statement of a body.
    pub fn any_expr_in_body(
        &self,
        body: &[Stmt],
        mut predicate: impl FnMut(&'a Expr) -> bool,
    ) -> bool {
        body.iter()
            .any(|statement| self.any_expr_in(statement, &mut predicate))
    }

    /// The body of the function or lambda a node defines, when it is one.
    fn deferred_body(&self, id: NodeId) -> Option<Run> {
        if !matches!(self.shape(id), Shape::Function | Shape::Lambda) {
            return None;
        }
        let scope = match self.node(id) {
            NodeRef::Stmt(statement @ Stmt::FunctionDef(_)) => self.scope_of(statement)?,
            NodeRef::Expr(expr @ Expr::Lambda(_)) => self.scope_of(expr)?,
            _ => return None,
        };
        matches!(
            self.scope(scope).kind,
            ScopeKind::Function(_) | ScopeKind::Lambda(_)
        )
        .then(|| {
            let scope = self.scope(scope);
            Run {
                nodes: scope.nodes.clone(),
                reads: scope.reads.clone(),
            }
        })
    }
}

/// The nodes numbered while a node or a body was walked, and the names read meanwhile.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Run {
    nodes: std::ops::Range<u32>,
    reads: std::ops::Range<u32>,
}

/// A run of nodes in the builder's order: a node's descendants or a scope's body. Rules skip
/// a node's descendants with [`Nodes::skip_descendants`] (a nested class they do not look
/// into), or take the bodies of nested functions and lambdas too with
/// [`Nodes::into_bodies`].
pub struct Nodes<'m, 'a> {
    model: &'m SemanticModel<'a>,
    next: u32,
    end: u32,
    /// The names read in the run, each yielded (as [`NodeId::read`]) where the builder read it:
    /// before the first node it numbered after it.
    next_read: u32,
    reads_end: u32,
    /// With `into_bodies`: the bodies still to visit, found on the way.
    bodies: Option<Vec<Run>>,
    /// With `without_definitions`: nested functions, classes and lambdas are left out whole.
    skip_definitions: bool,
}

impl<'m, 'a> Nodes<'m, 'a> {
    fn new(
        model: &'m SemanticModel<'a>,
        nodes: std::ops::Range<u32>,
        reads: std::ops::Range<u32>,
    ) -> Self {
        Nodes {
            model,
            next: nodes.start,
            end: nodes.end,
            next_read: reads.start,
            reads_end: reads.end,
            bodies: None,
            skip_definitions: false,
        }
    }

    /// Leaves out the functions, classes and lambdas met, whole (decorators, defaults and
    /// bases too): the code that runs as part of the run's own, at its time, under its
    /// contexts.
    pub fn without_definitions(mut self) -> Self {
        self.skip_definitions = true;
        self
    }

    /// Also yields the nodes of the bodies of the functions and lambdas met, as a visitor that
    /// enters every nested body would, but after the run itself (the body found last first):
    /// for questions whose answer does not depend on the order.
    pub fn into_bodies(mut self) -> Self {
        self.bodies = Some(Vec::new());
        self
    }

    /// Leaves out what `id` (the node just yielded) holds.
    pub fn skip_descendants(&mut self, id: NodeId) {
        if id.read().is_none() && id.index() as u32 + 1 == self.next {
            let record = &self.model.nodes[id.index()];
            self.next = record.end;
            self.next_read = record.reads.end;
        }
        // A skipped function's body is skipped too.
        if let Some(bodies) = &mut self.bodies {
            if let Some(body) = self.model.deferred_body(id) {
                bodies.retain(|pending| *pending != body);
            }
        }
    }
}

impl Iterator for Nodes<'_, '_> {
    type Item = NodeId;

    // Scans call this once a node, in their own loops: the common step (a plain run, or one
    // that meets no definition) is kept small enough to be inlined there, and the rest is not.
    #[inline]
    fn next(&mut self) -> Option<NodeId> {
        if self.next < self.end && self.bodies.is_none() {
            let index = self.next as usize;
            let record = &self.model.nodes[index];
            if self.next_read >= record.reads.start
                && (!self.skip_definitions || !Shape::of(record.kind).is_definition())
            {
                self.next += 1;
                return Some(NodeId::new(index));
            }
        }
        self.next_slow()
    }
}

impl Nodes<'_, '_> {
    #[inline(never)]
    fn next_slow(&mut self) -> Option<NodeId> {
        loop {
            if self.next < self.end {
                let record = &self.model.nodes[self.next as usize];
                // A name read before the next node was numbered comes first.
                if let Some(read) = self.take_read(record.reads.start) {
                    return Some(read);
                }
                let id = NodeId::new(self.next as usize);
                self.next += 1;
                if self.skip_definitions && self.model.shape(id).is_definition() {
                    self.next = record.end;
                    self.next_read = record.reads.end;
                    continue;
                }
                if let Some(bodies) = &mut self.bodies {
                    if let Some(body) = self.model.deferred_body(id) {
                        bodies.push(body);
                    }
                }
                return Some(id);
            }
            if let Some(read) = self.take_read(self.reads_end) {
                return Some(read);
            }
            let body = self.bodies.as_mut()?.pop()?;
            self.next = body.nodes.start;
            self.end = body.nodes.end;
            self.next_read = body.reads.start;
            self.reads_end = body.reads.end;
        }
    }

    /// The next name read before reference `limit`.
    fn take_read(&mut self, limit: u32) -> Option<NodeId> {
        (self.next_read < limit).then(|| {
            let read = ReferenceId::new(self.next_read as usize);
            self.next_read += 1;
            NodeId::of_read(read)
        })
    }
}

/// The name a name or an attribute ends with (`connect` in `duckdb.connect`): what a callee
/// or a base class is called where it cannot be resolved.
pub fn last_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// The blocks of a compound statement, in order (not a `def`'s or `class`'s body).
pub fn blocks_of(statement: &Stmt) -> Vec<&[Stmt]> {
    match statement {
        Stmt::If(if_stmt) => std::iter::once(&if_stmt.body[..])
            .chain(
                if_stmt
                    .elif_else_clauses
                    .iter()
                    .map(|clause| &clause.body[..]),
            )
            .collect(),
        Stmt::For(for_stmt) => vec![&for_stmt.body, &for_stmt.orelse],
        Stmt::While(while_stmt) => vec![&while_stmt.body, &while_stmt.orelse],
        Stmt::With(with) => vec![&with.body],
        Stmt::Try(try_stmt) => std::iter::once(&try_stmt.body[..])
            .chain(try_stmt.handlers.iter().map(|handler| {
                let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                &handler.body[..]
            }))
            .chain([&try_stmt.orelse[..], &try_stmt.finalbody[..]])
            .collect(),
        Stmt::Match(match_stmt) => match_stmt.cases.iter().map(|case| &case.body[..]).collect(),
        _ => Vec::new(),
    }
}

/// Whether `text` contains `wanted` (lower case ASCII) in any case.
fn contains_ignoring_case(text: &str, wanted: &str) -> bool {
    text.as_bytes()
        .windows(wanted.len())
        .any(|window| window.eq_ignore_ascii_case(wanted.as_bytes()))
}
