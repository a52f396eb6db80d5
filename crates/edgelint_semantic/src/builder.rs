//! Builds the [`SemanticModel`] in one traversal that follows Python's evaluation order.
//!
//! Class bodies and comprehensions run where they stand, so they are visited in place. Function
//! and lambda bodies run later, when called, so they are deferred until the enclosing scope has
//! been visited whole: a name they read then resolves to the binding it has at the end of the
//! enclosing scope, as it would when the function is called after the module has loaded.
//!
//! Which names a function binds is known only once its body has been walked: a read of a name
//! the function has not bound so far waits until then (it is the function's local, unbound
//! where it is read, or the enclosing scope's name). No first pass over the body is made to
//! find them, but for the rare question the walk must answer sooner.
//!
//! The same traversal numbers every statement and expression as it enters it (see `nodes.rs`),
//! with its parent, its scope and the flags of the frame it is evaluated in: decorators,
//! defaults, annotations and base classes belong to the enclosing code, a comprehension's first
//! iterable too.

use std::collections::VecDeque;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    self as ast, Comprehension, ExceptHandler, Expr, ExprContext, ExprLambda, HasNodeIndex,
    InterpolatedStringElement, ModModule, NodeIndex, NodeKind, Parameters, Pattern, Stmt,
    StmtFunctionDef,
};
use ruff_text_size::{Ranged, TextRange};

use crate::model::{
    Binding, BindingId, BindingKind, NodeId, Reference, ReferenceId, Scope, ScopeId, ScopeKind,
    SemanticModel, Target,
};
use crate::nodes::{NodeFlags, NodeRecord, NodeRef, NO_PARENT};
use crate::packages::Packages;
use edgelint_source::MAX_NESTING;

/// The deepest the walk goes, in the nodes it counts: statements, expressions, patterns and
/// the replacement fields of f-strings and t-strings. At least one node in four on any path
/// down the tree is one of them (between two, at most three others: a function's parameters,
/// one parameter with its default and the parameter itself, before an annotation; at the
/// end, at most four more), so a walk that stays this shallow has proved the tree no deeper
/// than [`MAX_NESTING`], the depth rules and the freeing of the tree can afford.
const DEPTH_LIMIT: u32 = ((MAX_NESTING - 2) / 4) as u32;

/// How deep a walk is, in the nodes it counts (see [`DEPTH_LIMIT`]), and whether it has found
/// the tree deeper than it may go: it then stops, and what it built is dropped.
#[derive(Copy, Clone)]
struct Depth {
    current: u32,
    limit: u32,
    exceeded: bool,
}

impl Depth {
    fn new(limit: u32) -> Depth {
        Depth {
            current: 0,
            limit,
            exceeded: false,
        }
    }

    /// Whether the walk must not go one counted node deeper: it is as deep as it may go, or
    /// has found the tree too deep already.
    fn at_limit(&mut self) -> bool {
        self.exceeded |= self.current >= self.limit;
        self.exceeded
    }

    /// What is left of it for a walk that starts at the node being visited.
    fn rest(self) -> Depth {
        Depth::new(self.limit.saturating_sub(self.current))
    }
}

/// A walk that counts how deep it is: the builder, and the locals collector that runs ahead of
/// it on code whose depth is not known yet.
trait CountedWalk: Sized {
    fn depth(&mut self) -> &mut Depth;

    /// Visits `walk` one counted node deeper, unless that is too deep.
    fn deeper(&mut self, walk: impl FnOnce(&mut Self)) {
        if self.depth().at_limit() {
            return;
        }
        self.depth().current += 1;
        walk(self);
        self.depth().current -= 1;
    }
}

/// The body of a function or a lambda: it runs later, when called.
#[derive(Copy, Clone)]
enum Body<'a> {
    Function(&'a StmtFunctionDef),
    Lambda(&'a ExprLambda),
}

impl<'a> Body<'a> {
    fn parameters(self) -> Option<&'a Parameters> {
        match self {
            Body::Function(function) => Some(&function.parameters),
            Body::Lambda(lambda) => lambda.parameters.as_deref(),
        }
    }

    /// Has `visitor` walk the body.
    fn walk(self, visitor: &mut impl Visitor<'a>) {
        match self {
            Body::Function(function) => visitor.visit_body(&function.body),
            Body::Lambda(lambda) => visitor.visit_expr(&lambda.body),
        }
    }
}

/// A body left to visit once the enclosing scope has been visited whole.
#[derive(Copy, Clone)]
struct Deferred<'a> {
    body: Body<'a>,
    /// The scope it is defined in.
    scope: ScopeId,
    /// The node that defines it, and how deep that node is (see [`Depth`]).
    node: u32,
    depth: u32,
}

/// A read, in the function or lambda being walked (or in a class or comprehension inside it),
/// of a name that function has not bound so far: whether the name is its local, bound further
/// on (the read is then unbound), is known once its body has been walked.
struct PendingRead<'a> {
    reference: ReferenceId,
    name: &'a str,
    /// The binding of an augmented assignment (`x += 1` in a class body inside the function)
    /// whose `previous` is the binding the read resolves to.
    augments: Option<BindingId>,
}

/// The function or lambda whose body is being walked.
struct OpenBody<'a> {
    body: Body<'a>,
    scope: ScopeId,
    /// Whether its locals have been collected before the walk ended (see
    /// [`Builder::settle_pending_reads`]): reads are then resolved as they are met.
    locals_known: bool,
}

/// What holds for the code being visited, within one function, lambda or class body (each
/// starts afresh): the flags every node gets, kept ready to copy into each node's record.
#[derive(Copy, Clone, Default)]
struct Frame {
    loop_depth: u32,
    flags: NodeFlags,
}

impl Frame {
    fn is(&self, flag: NodeFlags) -> bool {
        self.flags.contains(flag)
    }

    fn set(&mut self, flag: NodeFlags, on: bool) {
        self.flags = self.flags.with(flag, on);
    }

    /// A class body's frame: it runs where it stands, so at import time if its `class`
    /// statement does.
    fn class_body(&self) -> Frame {
        let mut frame = Frame::default();
        frame.set(
            NodeFlags::AT_IMPORT_TIME,
            self.is(NodeFlags::AT_IMPORT_TIME),
        );
        frame
    }
}

pub(crate) struct Builder<'a> {
    model: SemanticModel<'a>,
    scope: ScopeId,
    /// The innermost statement being visited, recorded on the bindings it makes.
    statement: Option<&'a Stmt>,
    /// The node being visited: the parent of the nodes numbered next.
    parent: u32,
    frame: Frame,
    deferred: VecDeque<Deferred<'a>>,
    /// The function or lambda body being walked, `None` while the module's code is.
    open_body: Option<OpenBody<'a>>,
    /// Its reads of names it has not bound yet, resolved when its body has been walked.
    pending_reads: Vec<PendingRead<'a>>,
    /// Whether the module may hold a walrus (`:=`), the only expression that binds a name
    /// outside a target: without one, collecting a function's locals skips its values.
    may_have_walrus: bool,
    /// The bindings made while a clause of an `if` with an `else` or `elif` is walked, each
    /// with the binding it replaced, so that the next clause can start from the bindings made
    /// before the `if` (see [`Builder::undo_bindings`]).
    journal: Vec<Rebound<'a>>,
    /// How many `if`s with clauses are being walked: outside them nothing is journaled.
    clauses_open: usize,
    /// How many counted nodes enclose the node being visited.
    depth: Depth,
}

/// A name bound in a scope, and the binding it had before.
struct Rebound<'a> {
    scope: ScopeId,
    name: &'a str,
    previous: Option<BindingId>,
}

impl CountedWalk for Builder<'_> {
    fn depth(&mut self) -> &mut Depth {
        &mut self.depth
    }
}

impl<'a> Builder<'a> {
    /// `source` is the module's text, when known: where it has no `:=`, no expression but a
    /// target binds a name.
    ///
    /// With `limited`, the walk stops where the tree nests deeper than [`DEPTH_LIMIT`], and
    /// there is no model; without, the caller knows that the tree nests no deeper than
    /// [`MAX_NESTING`].
    pub(crate) fn build(
        module: &'a ModModule,
        source: Option<&str>,
        project: Option<crate::ProjectContext<'a>>,
        limited: bool,
    ) -> Option<SemanticModel<'a>> {
        let mut builder = Builder {
            model: SemanticModel {
                scopes: vec![Scope::new(ScopeKind::Module, None)],
                bindings: Vec::new(),
                references: Vec::new(),
                nodes: Vec::new(),
                references_by_binding: Vec::new(),
                bindings_by_scope: Vec::new(),
                returns: Vec::new(),
                binding_at: Default::default(),
                scope_at: Default::default(),
                has_star_import: false,
                import_bindings: Vec::new(),
                imported_packages: Default::default(),
                long_running: Default::default(),
                call_sites: Default::default(),
                bindings_by_name: Default::default(),
                references_by_position: Default::default(),
                measured: Default::default(),
                handed_out: Default::default(),
                handing_on: crate::handed_out::HandingOn::with_room_for(
                    module.range.len().to_usize(),
                ),
                torchscript: Default::default(),
                torchscript_marks: Vec::new(),
                attributes: Default::default(),
                project,
                evidence: Default::default(),
                summarizing: Default::default(),
                returned: Default::default(),
                project_functions: Default::default(),
                project_modules: Default::default(),
            },
            scope: SemanticModel::MODULE_SCOPE,
            statement: None,
            parent: NO_PARENT,
            frame: Frame {
                loop_depth: 0,
                flags: NodeFlags::AT_IMPORT_TIME,
            },
            deferred: VecDeque::new(),
            open_body: None,
            pending_reads: Vec::new(),
            journal: Vec::new(),
            clauses_open: 0,
            depth: Depth::new(if limited { DEPTH_LIMIT } else { u32::MAX }),
            may_have_walrus: source
                .is_none_or(|source| memchr::memmem::find(source.as_bytes(), b":=").is_some()),
        };
        // Sized from the source length (about one name per 16 bytes of Python, a low estimate)
        // so that the tables do not grow again and again as a big file is walked.
        let expected_names = module.range.len().to_usize() / 16;
        builder.model.references.reserve(expected_names);
        builder.model.binding_at.reserve(expected_names / 3);
        builder.model.bindings.reserve(expected_names / 3);
        // About one node per 6 bytes of Python.
        let expected_nodes = module.range.len().to_usize() / 6;
        builder.model.nodes.reserve(expected_nodes);
        // About one scope (function, class, lambda, comprehension) per 400 bytes of Python.
        let expected_scopes = module.range.len().to_usize() / 400;
        builder.model.scopes.reserve(expected_scopes);
        builder.model.scope_at.reserve(expected_scopes);
        // About one attribute per 140 bytes, and one function or lambda per 1,000: sized a little
        // under, as the tables above, so that a sparse file does not hold room it never fills.
        builder
            .model
            .attributes
            .reserve(module.range.len().to_usize() / 160);
        builder
            .deferred
            .reserve(module.range.len().to_usize() / 1200);
        // Most statements of a module body bind one name.
        builder.model.scopes[0].current.reserve(module.body.len());
        builder.visit_body(&module.body);
        builder.close_scope(SemanticModel::MODULE_SCOPE);
        while let Some(deferred) = builder.deferred.pop_front() {
            builder.visit_deferred_body(deferred);
        }
        if builder.depth.exceeded {
            return None;
        }
        builder.group_references_by_binding();
        builder.group_bindings_by_scope();
        Some(builder.model)
    }

    /// Lays out each scope's bindings in one table, in binding order.
    fn group_bindings_by_scope(&mut self) {
        let model = &mut self.model;
        let scopes = model
            .bindings
            .iter()
            .map(|binding| Some(binding.scope.index()));
        let (spans, table) = group_by(scopes, model.scopes.len(), BindingId::new);
        for (scope, span) in model.scopes.iter_mut().zip(spans) {
            scope.bindings = span;
        }
        model.bindings_by_scope = table;
    }

    /// Lays out each binding's reads in one table, in reference order.
    fn group_references_by_binding(&mut self) {
        let model = &mut self.model;
        let bindings = model
            .references
            .iter()
            .map(|reference| match reference.target {
                Target::Binding(binding) => Some(binding.index()),
                _ => None,
            });
        let (spans, table) = group_by(bindings, model.bindings.len(), ReferenceId::new);
        for (binding, span) in model.bindings.iter_mut().zip(spans) {
            binding.references = span;
        }
        model.references_by_binding = table;
    }

    fn push_scope(&mut self, kind: ScopeKind<'a>, node: TextRange) -> ScopeId {
        let id = ScopeId::new(self.model.scopes.len());
        let mut scope = Scope::new(kind, Some(self.scope));
        let first_node = self.next_node_id();
        scope.nodes = first_node..first_node;
        let first_read = self.model.references.len() as u32;
        scope.reads = first_read..first_read;
        let first_return = self.model.returns.len() as u32;
        scope.returns = first_return..first_return;
        self.model.scopes.push(scope);
        self.model.scope_at.insert(node.start(), id);
        self.scope = id;
        id
    }

    /// The module a `from ... import` names, absolute: `from .io import x` in package `pkg`
    /// imports from `pkg.io`. `None` for a relative import outside a known package.
    fn absolute_module(&self, module: Option<&str>, level: u32) -> Option<String> {
        if level == 0 {
            return module.map(str::to_string);
        }
        let package = self.model.project?.package?;
        // Each dot past the first goes up one package.
        let mut base = package;
        for _ in 1..level {
            base = &base[..base.rfind('.')?];
        }
        Some(match module {
            Some(module) => format!("{base}.{module}"),
            None => base.to_string(),
        })
    }

    /// Whether the code being walked is the open function's own (not a class body in it).
    fn in_function_body(&self) -> bool {
        self.open_body
            .as_ref()
            .is_some_and(|open| open.scope == self.scope)
    }

    /// `name: T` without a value, which makes `name` local to the function it is in.
    fn declare_annotated(&mut self, name: &'a str) {
        let scope = self.model.scope(self.scope);
        if self.in_function_body() && !scope.declares_global(name) && !scope.declares_nonlocal(name)
        {
            self.scope_mut(self.scope).locals.insert(name);
        }
    }

    /// Records where the nodes of a scope's own code end.
    fn close_scope(&mut self, id: ScopeId) {
        let end = self.next_node_id();
        let reads_end = self.model.references.len() as u32;
        let scope = self.scope_mut(id);
        scope.nodes.end = end;
        scope.reads.end = reads_end;
    }

    fn next_node_id(&self) -> u32 {
        // Not checked for every node: 2^32 records of 32 bytes would not fit in memory, and
        // `NodeIndex::from` refuses the last id.
        self.model.nodes.len() as u32
    }

    /// Numbers a node, records it under the current parent with the current scope and flags,
    /// and makes it the parent of what is visited until [`Builder::close`]; returns the outer
    /// parent, for `close`.
    fn open(&mut self, node: NodeRef<'a>) -> u32 {
        let id = self.next_node_id();
        let index = match node {
            NodeRef::Stmt(statement) => statement.node_index(),
            NodeRef::Expr(expr) => expr.node_index(),
        };
        index.set(NodeIndex::from(id));
        let kind = node.kind();
        self.note(node, kind, NodeId::new(id as usize));
        self.record(node, kind, id);
        self.depth.current += 1;
        std::mem::replace(&mut self.parent, id)
    }

    /// Numbers and records a name that binds, which holds no other node: it is not made the
    /// open node, and nothing in it needs noting. (A name that reads is no node of the table:
    /// see [`Builder::read`].)
    fn open_name(&mut self, name: &'a ast::ExprName, expr: &'a Expr) -> u32 {
        let id = self.next_node_id();
        name.node_index.set(NodeIndex::from(id));
        self.record(NodeRef::Expr(expr), NodeKind::ExprName, id);
        id
    }

    fn record(&mut self, node: NodeRef<'a>, kind: NodeKind, id: u32) {
        let reads = self.model.references.len() as u32;
        self.model.nodes.push(NodeRecord {
            node,
            kind,
            parent: self.parent,
            end: id + 1,
            scope: self.scope,
            flags: self.frame.flags,
            reads: reads..reads,
        });
    }

    /// Notes what the model's questions about the whole module need of `node`, while it is at
    /// hand: another pass over the module would read it from the tree again.
    fn note(&mut self, node: NodeRef<'a>, kind: NodeKind, id: NodeId) {
        if let NodeRef::Expr(Expr::Attribute(attribute)) = node {
            let name = attribute.attr.as_str();
            self.model
                .attributes
                .note(crate::nodes::name_hash(name), id);
            if crate::model::may_mark_torchscript(attribute) {
                self.model.torchscript_marks.push(id);
            }
        }
        if matches!(kind, NodeKind::StmtWhile | NodeKind::ExprCall) {
            self.model.note_blocking(node, id);
        }
        if crate::handed_out::may_hand_on(kind) {
            // Asked only of a call: a method called in a decorated function.
            let decorated_function = (kind == NodeKind::ExprCall
                && matches!(self.model.scope(self.scope).kind,
                    ScopeKind::Function(function) if !function.decorator_list.is_empty()))
            .then_some(self.scope);
            let place = crate::handed_out::Place {
                at_import_time: self.frame.is(NodeFlags::AT_IMPORT_TIME),
                autograd_off: self.frame.is(NodeFlags::AUTOGRAD_OFF),
                decorated_function,
            };
            self.model.handing_on.note(node, place);
        }
    }

    fn close(&mut self, outer: u32) {
        self.depth.current -= 1;
        let end = self.next_node_id();
        let reads_end = self.model.references.len() as u32;
        let record = &mut self.model.nodes[self.parent as usize];
        record.end = end;
        record.reads.end = reads_end;
        self.parent = outer;
    }

    /// Visits `walk` one loop deeper.
    fn in_loop(&mut self, walk: impl FnOnce(&mut Self)) {
        self.frame.loop_depth += 1;
        self.frame.set(NodeFlags::IN_LOOP, true);
        walk(self);
        self.frame.loop_depth -= 1;
        self.frame
            .set(NodeFlags::IN_LOOP, self.frame.loop_depth > 0);
    }

    /// Visits `walk` with `flag` on, then gives the flag back its outer value.
    fn with_flag(&mut self, flag: NodeFlags, walk: impl FnOnce(&mut Self)) {
        let outer = self.frame.is(flag);
        self.frame.set(flag, true);
        walk(self);
        self.frame.set(flag, outer);
    }

    fn scope_mut(&mut self, id: ScopeId) -> &mut Scope<'a> {
        &mut self.model.scopes[id.index()]
    }

    fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) -> BindingId {
        self.bind_in(self.scope, name, range, kind)
    }

    fn bind_in(
        &mut self,
        scope: ScopeId,
        name: &'a str,
        range: TextRange,
        kind: BindingKind<'a>,
    ) -> BindingId {
        // `global x` / `nonlocal x` make an assignment bind the module's or the enclosing
        // function's name.
        let scope = if self.model.scope(scope).declares_global(name) {
            SemanticModel::MODULE_SCOPE
        } else if self.model.scope(scope).declares_nonlocal(name) {
            self.enclosing_scope_with_local(name, self.model.scope(scope).parent)
                .unwrap_or(scope)
        } else {
            scope
        };
        let id = BindingId::new(self.model.bindings.len());
        self.model.bindings.push(Binding {
            name,
            kind,
            range,
            scope,
            statement: self.statement,
            references: 0..0,
        });
        self.model.binding_at.insert(range.start(), id);
        self.set_current(scope, name, id);
        id
    }

    /// Makes `id` the binding `name` has in `scope` from here on.
    fn set_current(&mut self, scope: ScopeId, name: &'a str, id: BindingId) {
        let previous = self.scope_mut(scope).current.insert(name, id);
        if self.clauses_open > 0 {
            self.journal.push(Rebound {
                scope,
                name,
                previous,
            });
        }
    }

    /// Takes back the bindings `scope` got since the journal was `start` long, and returns
    /// them in the order they were made (the last binding of a name comes last).
    fn undo_bindings(&mut self, start: usize, scope: ScopeId) -> Vec<(&'a str, BindingId)> {
        let mut bound = Vec::new();
        // Bindings in other scopes (`global x` in a function, a class body's) stay for the
        // statements around them to take back.
        let mut elsewhere = Vec::new();
        for rebound in self.journal.drain(start..).rev() {
            if rebound.scope != scope {
                elsewhere.push(rebound);
                continue;
            }
            let current = &mut self.model.scopes[scope.index()].current;
            let made = match rebound.previous {
                Some(previous) => current.insert(rebound.name, previous),
                None => current.remove(rebound.name),
            };
            bound.extend(made.map(|id| (rebound.name, id)));
        }
        self.journal.extend(elsewhere.into_iter().rev());
        bound.reverse();
        bound
    }

    /// Binds every name in an assignment target; `kind` applies to a bare name target, and the
    /// parts of an unpacking get `unpacked`.
    fn bind_target(&mut self, target: &'a Expr, kind: BindingKind<'a>, unpacked: &BindingKind<'a>) {
        if self.depth.at_limit() {
            return;
        }
        if !matches!(
            target,
            Expr::Name(_) | Expr::Tuple(_) | Expr::List(_) | Expr::Starred(_)
        ) {
            // `obj.attr = ...` and `obj[key] = ...` read `obj` and `key`.
            self.visit_expr(target);
            return;
        }
        if let Expr::Name(name) = target {
            self.open_name(name, target);
            self.bind(name.id.as_str(), name.range, kind);
            return;
        }
        let outer = self.open(NodeRef::Expr(target));
        match target {
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for element in elts {
                    self.bind_target(element, unpacked.clone(), unpacked);
                }
            }
            Expr::Starred(starred) => self.bind_target(&starred.value, unpacked.clone(), unpacked),
            _ => {}
        }
        self.close(outer);
    }

    /// Numbers a name that the builder binds itself (a walrus target, a name only annotated)
    /// and calls `handle` with it.
    fn name_node(&mut self, expr: &'a Expr, handle: impl FnOnce(&mut Self, &'a ast::ExprName)) {
        if let Expr::Name(name) = expr {
            self.open_name(name, expr);
            handle(self, name);
        }
    }

    /// Records a name that reads (see [`NodeId::read`]): its reference stands for it as a node
    /// would. Its target, `None` until the open body has been walked.
    fn read(&mut self, name: &'a ast::ExprName, expr: &'a Expr) -> Option<Target> {
        let id = ReferenceId::new(self.model.references.len());
        let node = NodeId::of_read(id);
        name.node_index.set(NodeIndex::from(node.index() as u32));
        let text = name.id.as_str();
        let target = self.resolve_load(text, self.scope);
        if target.is_none() {
            self.pending_reads.push(PendingRead {
                reference: id,
                name: text,
                augments: None,
            });
        }
        self.model.references.push(Reference {
            range: name.range,
            node,
            scope: self.scope,
            target: target.unwrap_or(Target::Unresolved),
            name: expr,
            parent: self.parent,
            flags: self.frame.flags,
            next_node: self.next_node_id(),
        });
        target
    }

    /// Python's rules for a name read in `scope`; `None` when the answer waits for the open
    /// body to be walked (see [`PendingRead`]).
    fn resolve_load(&self, name: &str, scope: ScopeId) -> Option<Target> {
        let current = self.model.scope(scope);
        if current.declares_global(name) {
            return Some(self.module_lookup(name));
        }
        if current.declares_nonlocal(name) {
            return self.enclosing_lookup(name, current.parent);
        }
        match current.kind {
            ScopeKind::Module => return Some(self.module_lookup(name)),
            // A class body sees its own names as they are bound, then the enclosing ones.
            ScopeKind::Class(_) => {
                if let Some(binding) = current.binding(name) {
                    return Some(self.live(binding));
                }
            }
            // A name already bound here is one of the scope's locals: most reads are answered
            // by one lookup. A local not bound yet is unresolved, not the enclosing name.
            ScopeKind::Function(_) | ScopeKind::Lambda(_) | ScopeKind::Comprehension => {
                if let Some(binding) = current.binding(name) {
                    return Some(self.live(binding));
                }
                if self.is_unbound_local(scope, name)? {
                    return Some(Target::Unresolved);
                }
            }
        }
        self.enclosing_lookup(name, current.parent)
    }

    /// Looks `name` up in the scopes enclosing a function, skipping class bodies (methods do
    /// not see their class's names).
    fn enclosing_lookup(&self, name: &str, mut scope: Option<ScopeId>) -> Option<Target> {
        while let Some(id) = scope {
            let current = self.model.scope(id);
            match current.kind {
                ScopeKind::Module => return Some(self.module_lookup(name)),
                ScopeKind::Class(_) => {}
                _ => {
                    if let Some(binding) = current.binding(name) {
                        return Some(self.live(binding));
                    }
                    if self.is_unbound_local(id, name)? {
                        return Some(Target::Unresolved);
                    }
                }
            }
            scope = current.parent;
        }
        Some(Target::Unresolved)
    }

    /// Whether `name`, which the function-like scope `id` has not bound (so far), is one of its
    /// locals all the same: a comprehension's target, a name only annotated (`x: int`), or a
    /// name the open body binds further on. `None` while the open body is walked and its
    /// locals are not known.
    fn is_unbound_local(&self, id: ScopeId, name: &str) -> Option<bool> {
        // Every other name a function binds is in its table of bindings once it is walked.
        if self.model.scope(id).locals.contains(name) {
            return Some(true);
        }
        match &self.open_body {
            Some(open) if open.scope == id && !open.locals_known => None,
            _ => Some(false),
        }
    }

    /// Whether `name` is local to the function-like scope `id`, once its locals are known: bound
    /// in it, or only annotated (a comprehension's targets are known from the start).
    fn has_local(&self, id: ScopeId, name: &str) -> bool {
        let scope = self.model.scope(id);
        scope.binding(name).is_some() || scope.locals.contains(name)
    }

    /// The function `nonlocal name` in a function inside `scope` names: the nearest enclosing
    /// one with `name` local (they have all been walked).
    fn enclosing_scope_with_local(
        &self,
        name: &str,
        mut scope: Option<ScopeId>,
    ) -> Option<ScopeId> {
        while let Some(id) = scope {
            let current = self.model.scope(id);
            if current.kind.is_function_like() && self.has_local(id, name) {
                return Some(id);
            }
            scope = current.parent;
        }
        None
    }

    fn module_lookup(&self, name: &str) -> Target {
        match self.model.module_scope().binding(name) {
            Some(binding) => self.live(binding),
            None if self.model.has_star_import => Target::Unresolved,
            None => Target::Builtin,
        }
    }

    /// A deleted name refers to nothing.
    fn live(&self, binding: BindingId) -> Target {
        match self.model.binding(binding).kind {
            BindingKind::Deletion { .. } => Target::Unresolved,
            _ => Target::Binding(binding),
        }
    }

    /// Leaves `body`, defined by the node open now, to visit once the enclosing scope has been.
    fn defer(&mut self, body: Body<'a>) {
        self.deferred.push_back(Deferred {
            body,
            scope: self.scope,
            node: self.parent,
            depth: self.depth.current,
        });
    }

    fn visit_deferred_body(&mut self, deferred: Deferred<'a>) {
        let body = deferred.body;
        let (kind, range) = match body {
            Body::Function(function) => (ScopeKind::Function(function), function.range),
            Body::Lambda(lambda) => (ScopeKind::Lambda(lambda), lambda.range),
        };
        self.scope = deferred.scope;
        self.depth.current = deferred.depth;
        self.statement = None;
        self.parent = deferred.node;
        self.frame = Frame::default();
        let scope = self.push_scope(kind, range);
        // Sized for its parameters and about one local per 128 bytes of body (functions of
        // real code have one per 150 bytes), so that the tables do not grow a step at a time.
        let parameters = body.parameters();
        let expected = parameters.map_or(0, Parameters::len) + range.len().to_usize() / 128;
        self.scope_mut(scope).current.reserve(expected);
        self.open_body = Some(OpenBody {
            body,
            scope,
            locals_known: false,
        });
        if let Some(parameters) = parameters {
            self.bind_parameters(parameters);
        }
        body.walk(self);
        self.close_scope(scope);
        // Every name the body binds is bound now: the reads left waiting are of its locals
        // (unbound where they are read) or of the enclosing scopes' names.
        self.open_body = None;
        self.resolve_pending_reads(scope);
    }

    /// Resolves the reads waiting for the open body `body`, whose locals are now known: as the
    /// read would have been, had they been known then.
    fn resolve_pending_reads(&mut self, body: ScopeId) {
        // The buffer is handed back for the next body: most functions have reads to wait on.
        let mut reads = std::mem::take(&mut self.pending_reads);
        for read in reads.drain(..) {
            // Bound further on, or only annotated: a local, unbound where it is read.
            let target = if self.has_local(body, read.name) {
                Target::Unresolved
            } else {
                let parent = self.model.scope(body).parent;
                self.enclosing_lookup(read.name, parent)
                    .expect("the enclosing scopes have been walked")
            };
            self.model.references[read.reference.index()].target = target;
            if let (Some(binding), Target::Binding(previous)) = (read.augments, target) {
                self.model.bindings[binding.index()].kind = BindingKind::AugmentedAssignment {
                    previous: Some(previous),
                };
            }
        }
        self.pending_reads = reads;
    }

    /// Collects the open body's locals now, as a first pass over it would have, and resolves
    /// the reads waiting for them: for the rare question the walk itself must answer before the
    /// body ends (whether a `with` item turns autograd off, which needs its names' imports).
    fn settle_pending_reads(&mut self) {
        let Some(open) = &mut self.open_body else {
            return;
        };
        if open.locals_known {
            return;
        }
        open.locals_known = true;
        let (scope, body) = (open.scope, open.body);
        let mut collector = self.locals_collector(self.may_have_walrus);
        body.walk(&mut collector);
        self.depth.exceeded |= collector.depth.exceeded;
        collector.locals.extend(
            body.parameters()
                .into_iter()
                .flat_map(|parameters| parameters.iter())
                .map(|parameter| parameter.name().as_str()),
        );
        let declared =
            |name: &&str| collector.globals.contains(name) || collector.nonlocals.contains(name);
        let locals = collector
            .locals
            .iter()
            .copied()
            .filter(|name| !declared(name));
        self.scope_mut(scope).locals.extend(locals);
        self.resolve_pending_reads(scope);
    }

    fn bind_parameters(&mut self, parameters: &'a Parameters) {
        for parameter in parameters.iter() {
            let name = parameter.name();
            self.bind(
                name.as_str(),
                name.range,
                BindingKind::Parameter {
                    default: parameter.default(),
                    annotation: parameter.annotation(),
                },
            );
        }
    }

    /// A comprehension: the first iterable is evaluated in the enclosing scope, everything else
    /// in the comprehension's own.
    fn visit_comprehension_scope(
        &mut self,
        node: &'a Expr,
        generators: &'a [Comprehension],
        elements: &[&'a Expr],
    ) {
        let Some(first) = generators.first() else {
            // Only in a tree recovered from a syntax error: its elements are walked all the
            // same, as the walk must reach every node (see [`DEPTH_LIMIT`]).
            for element in elements {
                self.visit_expr(element);
            }
            return;
        };
        self.visit_expr(&first.iter);
        let outer = self.scope;
        let scope = self.push_scope(ScopeKind::Comprehension, node.range());
        let mut collector = self.locals_collector(false);
        for generator in generators {
            collector.collect_target(&generator.target);
        }
        self.depth.exceeded |= collector.depth.exceeded;
        self.scope_mut(scope).locals.extend(collector.locals);
        // Everything but the first iterable runs once per element.
        self.in_loop(|builder| {
            for (index, generator) in generators.iter().enumerate() {
                if index > 0 {
                    builder.visit_expr(&generator.iter);
                }
                builder.bind_target(
                    &generator.target,
                    BindingKind::LoopTarget,
                    &BindingKind::LoopTarget,
                );
                for condition in &generator.ifs {
                    builder.visit_expr(condition);
                }
            }
            for element in elements {
                builder.visit_expr(element);
            }
        });
        self.close_scope(scope);
        self.scope = outer;
    }

    /// A collector of the locals of code below the node being visited, which goes no deeper
    /// than the walk may.
    fn locals_collector(&self, values_may_bind: bool) -> LocalsCollector<'a> {
        LocalsCollector {
            locals: Vec::new(),
            globals: Vec::new(),
            nonlocals: Vec::new(),
            values_may_bind,
            depth: self.depth.rest(),
        }
    }

    /// The scope a walrus binds in: the nearest one that is not a comprehension.
    fn walrus_scope(&self) -> ScopeId {
        let mut scope = self.scope;
        while let ScopeKind::Comprehension = self.model.scope(scope).kind {
            match self.model.scope(scope).parent {
                Some(parent) => scope = parent,
                None => break,
            }
        }
        scope
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth.at_limit() {
            return;
        }
        let enclosing = self.statement.replace(stmt);
        let outer = self.open(NodeRef::Stmt(stmt));
        match stmt {
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = &function.type_params {
                    self.visit_type_params(type_params);
                }
                for parameter in function.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                    if let Some(annotation) = parameter.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                self.bind(
                    function.name.as_str(),
                    function.name.range,
                    BindingKind::FunctionDef(function),
                );
                self.defer(Body::Function(function));
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = &class.type_params {
                    self.visit_type_params(type_params);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let outer = self.scope;
                let class_frame = self.frame.class_body();
                let frame = std::mem::replace(&mut self.frame, class_frame);
                let scope = self.push_scope(ScopeKind::Class(class), class.range);
                // Most statements of a class body bind one name.
                self.scope_mut(scope).current.reserve(class.body.len());
                self.visit_body(&class.body);
                self.close_scope(scope);
                self.frame = frame;
                self.scope = outer;
                self.bind(
                    class.name.as_str(),
                    class.name.range,
                    BindingKind::ClassDef(class),
                );
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let value = (assign.targets.len() == 1).then_some(&*assign.value);
                let unpacked = BindingKind::Assignment { value: None };
                for target in &assign.targets {
                    self.bind_target(target, BindingKind::Assignment { value }, &unpacked);
                }
            }
            Stmt::AnnAssign(assign) => {
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    let unpacked = BindingKind::Assignment { value: None };
                    let kind = BindingKind::Assignment { value: Some(value) };
                    self.bind_target(&assign.target, kind, &unpacked);
                } else if assign.target.is_name_expr() {
                    // `x: int` binds nothing, but makes `x` local to a function; the name is
                    // still a node.
                    self.name_node(&assign.target, |builder, name| {
                        builder.declare_annotated(name.id.as_str());
                    });
                } else {
                    self.visit_expr(&assign.target);
                }
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                if let Expr::Name(name) = &*assign.target {
                    let read = self.read(name, &assign.target);
                    let previous = match read {
                        Some(Target::Binding(previous)) => Some(previous),
                        _ => None,
                    };
                    let kind = BindingKind::AugmentedAssignment { previous };
                    let binding = self.bind(name.id.as_str(), name.range, kind);
                    // The read waits for the open body: so does what it augments.
                    if read.is_none() {
                        if let Some(pending) = self.pending_reads.last_mut() {
                            pending.augments = Some(binding);
                        }
                    }
                } else {
                    self.visit_expr(&assign.target);
                }
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.bind_target(
                    &for_stmt.target,
                    BindingKind::LoopTarget,
                    &BindingKind::LoopTarget,
                );
                self.in_loop(|builder| builder.visit_body(&for_stmt.body));
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                self.visit_expr(&while_stmt.test);
                self.in_loop(|builder| builder.visit_body(&while_stmt.body));
                self.visit_body(&while_stmt.orelse);
            }
            Stmt::With(with) => {
                let waiting = self.pending_reads.len();
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(target) = &item.optional_vars {
                        let kind = BindingKind::WithTarget {
                            context: &item.context_expr,
                        };
                        self.bind_target(target, kind, &BindingKind::Other);
                    }
                }
                // Whether an item turns autograd off depends on where its names come from: only
                // an import of torch can make it so.
                if self.pending_reads.len() > waiting
                    && self.model.imported_packages.intersects(Packages::TORCH)
                {
                    self.settle_pending_reads();
                }
                let turns_off = with
                    .items
                    .iter()
                    .any(|item| self.model.turns_autograd_off(&item.context_expr));
                if turns_off {
                    self.with_flag(NodeFlags::AUTOGRAD_OFF, |builder| {
                        builder.visit_body(&with.body);
                    });
                } else {
                    self.visit_body(&with.body);
                }
            }
            Stmt::If(if_stmt) if !if_stmt.elif_else_clauses.is_empty() => {
                // Each clause starts from the bindings made before the `if`: a read in `else`
                // cannot see a binding made in the `if` body. After the statement, a name has
                // its last binding in any clause.
                self.visit_expr(&if_stmt.test);
                let scope = self.scope;
                let start = self.journal.len();
                self.clauses_open += 1;
                self.visit_body(&if_stmt.body);
                let mut bound = self.undo_bindings(start, scope);
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.visit_expr(test);
                    }
                    self.visit_body(&clause.body);
                    bound.extend(self.undo_bindings(start, scope));
                }
                self.clauses_open -= 1;
                if self.clauses_open == 0 {
                    self.journal.clear();
                }
                for (name, id) in bound {
                    self.set_current(scope, name, id);
                }
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    let ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.visit_expr(type_);
                    }
                    if let Some(name) = &handler.name {
                        self.bind(name.as_str(), name.range, BindingKind::ExceptHandler);
                    }
                    self.visit_body(&handler.body);
                    if let Some(name) = &handler.name {
                        // Python deletes the name when the handler ends, to break the
                        // frame ↔ traceback cycle.
                        self.bind(
                            name.as_str(),
                            name.range,
                            BindingKind::Deletion { explicit: false },
                        );
                    }
                }
                self.visit_body(&try_stmt.orelse);
                self.with_flag(NodeFlags::IN_FINALLY, |builder| {
                    builder.visit_body(&try_stmt.finalbody);
                });
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    if let Expr::Name(name) = target {
                        self.read(name, target);
                        self.bind(
                            name.id.as_str(),
                            name.range,
                            BindingKind::Deletion { explicit: true },
                        );
                    } else {
                        self.visit_expr(target);
                    }
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let path = alias.name.as_str();
                    let (local, qualified_name, range) = match &alias.asname {
                        Some(asname) => (asname.as_str(), path, asname.range),
                        // `import os.path` binds `os`, to the package.
                        None => {
                            let head = path.split('.').next().unwrap_or(path);
                            (head, head, alias.name.range)
                        }
                    };
                    let kind = BindingKind::Import {
                        qualified_name: Some(qualified_name.to_string()),
                    };
                    let id = self.bind(local, range, kind);
                    self.model.import_bindings.push(id);
                    self.model.imported_packages |= Packages::named(package_of(path));
                }
            }
            Stmt::ImportFrom(import) => {
                let from = self.absolute_module(import.module.as_deref(), import.level);
                // A relative import stays in the module's own top-level package: inside a
                // package named `pandas`, `from .. import read_csv` imports from pandas.
                let package = match (&import.module, import.level) {
                    (Some(module), 0) => Some(module.as_str()),
                    _ => from
                        .as_ref()
                        .and(self.model.project.and_then(|p| p.package)),
                };
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        self.model.has_star_import = true;
                        continue;
                    }
                    if let Some(package) = package {
                        self.model.imported_packages |= Packages::named(package_of(package));
                    }
                    let local = alias.asname.as_ref().unwrap_or(&alias.name);
                    let qualified_name = from
                        .as_deref()
                        .map(|module| [module, alias.name.as_str()].join("."));
                    let resolved = qualified_name.is_some();
                    let id = self.bind(
                        local.as_str(),
                        local.range,
                        BindingKind::Import { qualified_name },
                    );
                    if resolved {
                        self.model.import_bindings.push(id);
                    }
                }
            }
            // Python requires a declaration before the names it declares are used, so the walk
            // meets it in time. Only a function's count: elsewhere they change nothing here.
            Stmt::Global(global) if self.in_function_body() => {
                let names = global.names.iter().map(|name| name.as_str());
                self.scope_mut(self.scope).globals.extend(names);
            }
            Stmt::Nonlocal(nonlocal) if self.in_function_body() => {
                let names = nonlocal.names.iter().map(|name| name.as_str());
                self.scope_mut(self.scope).nonlocals.extend(names);
            }
            Stmt::Return(ret) => {
                // Only a function's: a `return` elsewhere is a syntax error, and one in a class
                // body inside a function would come between the function's own.
                if matches!(self.model.scope(self.scope).kind, ScopeKind::Function(_)) {
                    self.model.returns.push(ret);
                    self.scope_mut(self.scope).returns.end = self.model.returns.len() as u32;
                }
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.close(outer);
        self.statement = enclosing;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth.at_limit() {
            return;
        }
        if let Expr::Name(name) = expr {
            if name.ctx == ExprContext::Store {
                self.open_name(name, expr);
                self.bind(name.id.as_str(), name.range, BindingKind::Other);
            } else {
                self.read(name, expr);
            }
            return;
        }
        let outer = self.open(NodeRef::Expr(expr));
        match expr {
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                if named.target.is_name_expr() {
                    self.name_node(&named.target, |builder, name| {
                        let scope = builder.walrus_scope();
                        let kind = BindingKind::NamedExpr {
                            value: &named.value,
                        };
                        builder.bind_in(scope, name.id.as_str(), name.range, kind);
                    });
                } else {
                    // Only in a tree recovered from a syntax error.
                    self.visit_expr(&named.target);
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                self.defer(Body::Lambda(lambda));
            }
            Expr::ListComp(comp) => {
                self.visit_comprehension_scope(expr, &comp.generators, &[&comp.elt])
            }
            Expr::SetComp(comp) => {
                self.visit_comprehension_scope(expr, &comp.generators, &[&comp.elt])
            }
            Expr::Generator(comp) => {
                self.visit_comprehension_scope(expr, &comp.generators, &[&comp.elt])
            }
            Expr::DictComp(comp) => {
                let mut elements: Vec<&Expr> = comp.key.as_deref().into_iter().collect();
                elements.push(&comp.value);
                self.visit_comprehension_scope(expr, &comp.generators, &elements);
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.scope_mut(self.scope).is_generator = true;
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.close(outer);
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        self.deeper(|builder| visitor::walk_pattern(builder, pattern));
        if let Some(name) = pattern_capture(pattern) {
            self.bind(name.as_str(), name.range, BindingKind::Other);
        }
    }

    fn visit_interpolated_string_element(&mut self, element: &'a InterpolatedStringElement) {
        self.deeper(|builder| visitor::walk_interpolated_string_element(builder, element));
    }
}

/// The top-level package of a dotted module path.
fn package_of(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

fn pattern_capture(pattern: &Pattern) -> Option<&ast::Identifier> {
    match pattern {
        Pattern::MatchAs(pattern) => pattern.name.as_ref(),
        Pattern::MatchStar(pattern) => pattern.name.as_ref(),
        Pattern::MatchMapping(pattern) => pattern.rest.as_ref(),
        _ => None,
    }
}

/// Finds the names a function (or lambda, or comprehension) binds in its own scope, and its
/// `global`/`nonlocal` declarations, before its body is walked: a comprehension's targets, and
/// a function's locals when the walk needs them early (see [`Builder::settle_pending_reads`]).
struct LocalsCollector<'a> {
    locals: Vec<&'a str>,
    globals: Vec<&'a str>,
    nonlocals: Vec<&'a str>,
    /// Whether a value may hold a walrus: otherwise only targets (names, tuples, lists,
    /// starred names) are looked into, which is most of the pass saved.
    values_may_bind: bool,
    /// As the builder's walk (see [`CountedWalk`]): the collector runs ahead of it, on
    /// code whose depth is not known yet.
    depth: Depth,
}

impl<'a> LocalsCollector<'a> {
    fn collect_target(&mut self, target: &'a Expr) {
        self.visit_expr(target);
    }
}

impl CountedWalk for LocalsCollector<'_> {
    fn depth(&mut self) -> &mut Depth {
        &mut self.depth
    }
}

impl<'a> Visitor<'a> for LocalsCollector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.deeper(|collector| collector.collect_stmt(stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.deeper(|collector| collector.collect_expr(expr));
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        // The target is the comprehension's own; a walrus in the conditions binds here.
        self.visit_expr(&comprehension.iter);
        for condition in &comprehension.ifs {
            self.visit_expr(condition);
        }
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(handler_node) = handler;
        if let Some(name) = &handler_node.name {
            self.locals.push(name.as_str());
        }
        visitor::walk_except_handler(self, handler);
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        if let Some(name) = pattern_capture(pattern) {
            self.locals.push(name.as_str());
        }
        self.deeper(|collector| visitor::walk_pattern(collector, pattern));
    }

    fn visit_interpolated_string_element(&mut self, element: &'a InterpolatedStringElement) {
        self.deeper(|collector| visitor::walk_interpolated_string_element(collector, element));
    }
}

impl<'a> LocalsCollector<'a> {
    fn collect_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Nested functions and classes bind their name here; their bodies are their own.
            Stmt::FunctionDef(function) => self.locals.push(function.name.as_str()),
            Stmt::ClassDef(class) => self.locals.push(class.name.as_str()),
            Stmt::Global(global) => self
                .globals
                .extend(global.names.iter().map(|name| name.as_str())),
            Stmt::Nonlocal(nonlocal) => {
                self.nonlocals
                    .extend(nonlocal.names.iter().map(|name| name.as_str()));
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let name = match &alias.asname {
                        Some(asname) => asname.as_str(),
                        None => alias.name.as_str().split('.').next().unwrap_or_default(),
                    };
                    self.locals.push(name);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    if alias.name.as_str() != "*" {
                        self.locals
                            .push(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                // `x: int` without a value still makes `x` local.
                if let Expr::Name(name) = &*assign.target {
                    self.locals.push(name.id.as_str());
                }
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn collect_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if matches!(name.ctx, ExprContext::Store | ExprContext::Del) => {
                self.locals.push(name.id.as_str());
            }
            Expr::Lambda(_) => {}
            Expr::Tuple(_) | Expr::List(_) | Expr::Starred(_) => visitor::walk_expr(self, expr),
            _ if self.values_may_bind => visitor::walk_expr(self, expr),
            _ => {}
        }
    }
}

/// A counting sort: the ids of `items` grouped by the group each belongs to (`None`: to none),
/// in item order within a group, and where each of the `groups` groups lies in that table. One
/// table made after the walk costs less than a growing list per group.
fn group_by<Id: Copy>(
    items: impl Iterator<Item = Option<usize>> + Clone,
    groups: usize,
    id: impl Fn(usize) -> Id,
) -> (impl Iterator<Item = std::ops::Range<u32>>, Vec<Id>) {
    // starts[g] is where group g begins; starts[g + 1] where it ends.
    let mut starts = vec![0u32; groups + 1];
    for group in items.clone().flatten() {
        starts[group + 1] += 1;
    }
    for index in 1..starts.len() {
        starts[index] += starts[index - 1];
    }
    let mut next = starts.clone();
    let mut table = vec![id(0); starts[groups] as usize];
    for (index, group) in items.enumerate() {
        if let Some(group) = group {
            table[next[group] as usize] = id(index);
            next[group] += 1;
        }
    }
    let spans = (0..groups).map(move |group| starts[group]..starts[group + 1]);
    (spans, table)
}
