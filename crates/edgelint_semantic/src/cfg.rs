//! A control-flow graph per function, at statement granularity, and the liveness of its local
//! names on it.
//!
//! Nodes are simple statements and the headers of compound ones (conditions, loop heads, `with`
//! entries, `except` clauses, `match` cases). Each node records which of the function's own
//! names it reads and which it binds or deletes, so liveness is a plain backward data-flow
//! problem. The graph over-approximates the paths a function can take (an exception may leave
//! a `try` body after any statement; a `finally` body reached abruptly may continue to any of
//! the abrupt targets), which can only make names live longer: rules built on it err towards
//! silence.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::{
    self as ast, ExceptHandler, Expr, ExprContext, MatchCase, Stmt, StmtFor, StmtFunctionDef,
    StmtWith,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::{NodeRef, ScopeId, SemanticModel};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Copy, Clone, Debug)]
pub enum NodeKind<'a> {
    Entry,
    Exit,
    /// A simple statement, or a nested `def`/`class` (which binds its name).
    Statement(&'a Stmt),
    /// The test of an `if`/`elif`, or a `match` subject.
    Condition(&'a Expr),
    /// A `for` loop's iterable, evaluated once before the loop.
    LoopIterable(&'a StmtFor),
    /// Reached before every iteration of a `for` or `while` loop and when it ends: the `while`
    /// test, or the `for` iterator holding what it iterates.
    LoopHead(&'a Stmt),
    /// The binding of a `for` loop's target at the start of each iteration.
    LoopTarget(&'a StmtFor),
    WithEnter(&'a StmtWith),
    Handler(&'a ast::ExceptHandlerExceptHandler),
    Case(&'a MatchCase),
}

#[derive(Debug)]
pub struct Node<'a> {
    pub kind: NodeKind<'a>,
    /// The source this node stands for (the whole statement, or the header part).
    pub range: TextRange,
    /// The function's own names this node reads.
    pub uses: Vec<&'a str>,
    /// The function's own names this node binds or deletes: their earlier values die here.
    pub defs: Vec<&'a str>,
    /// Whether the node suspends the function: an `await`, `async for` or `async with`.
    pub awaits: bool,
}

/// The graph of one function.
#[derive(Debug)]
pub struct Cfg<'a> {
    pub nodes: Vec<Node<'a>>,
    successors: Vec<Vec<NodeId>>,
    /// Where an exception raised at a node may go: the `except` clauses of enclosing `try`s.
    exceptional: Vec<Vec<NodeId>>,
    /// Simple statements and compound-statement headers by the start of their statement.
    statement_nodes: HashMap<TextSize, NodeId>,
}

impl<'a> Cfg<'a> {
    pub const ENTRY: NodeId = NodeId(0);
    pub const EXIT: NodeId = NodeId(1);

    /// Builds the graph of `function`'s body; `model` tells which names are its own.
    pub fn build(function: &'a StmtFunctionDef, model: &SemanticModel<'a>) -> Self {
        let scope = model
            .scope_of(function)
            .unwrap_or(SemanticModel::MODULE_SCOPE);
        let mut builder = CfgBuilder {
            model,
            scope,
            cfg: Cfg {
                nodes: Vec::new(),
                successors: Vec::new(),
                exceptional: Vec::new(),
                statement_nodes: HashMap::default(),
            },
            loops: Vec::new(),
            handlers: Vec::new(),
            finally_blocks: Vec::new(),
        };
        builder.push_node(
            NodeKind::Entry,
            function.range,
            Vec::new(),
            Vec::new(),
            false,
        );
        builder.push_node(
            NodeKind::Exit,
            function.range,
            Vec::new(),
            Vec::new(),
            false,
        );
        let exits = builder.block(&function.body, vec![Self::ENTRY]);
        builder.connect_all(&exits, Self::EXIT);
        builder.cfg
    }

    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id.index()]
    }

    /// Where control goes from `id` when nothing is raised.
    pub fn successors(&self, id: NodeId) -> &[NodeId] {
        &self.successors[id.index()]
    }

    /// The `except` clauses an exception raised at `id` may reach.
    pub fn exceptional_successors(&self, id: NodeId) -> &[NodeId] {
        &self.exceptional[id.index()]
    }

    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// The node of a simple statement, or of a compound statement's header.
    pub fn statement_node(&self, statement: &Stmt) -> Option<NodeId> {
        self.statement_nodes.get(&statement.start()).copied()
    }

    /// For each node, the names live on entry to it: read on some path from it before being
    /// bound again.
    pub fn liveness(&self) -> Liveness<'_, 'a> {
        Liveness::new(self)
    }
}

/// Where an abrupt statement goes once the `finally` blocks between it and its target have run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Abrupt {
    Return,
    Raise,
    Break,
    Continue,
}

struct LoopContext {
    head: NodeId,
    breaks: Vec<NodeId>,
    /// How many `finally` blocks were open when the loop started.
    finally_depth: usize,
}

struct CfgBuilder<'m, 'a> {
    model: &'m SemanticModel<'a>,
    scope: ScopeId,
    cfg: Cfg<'a>,
    loops: Vec<LoopContext>,
    /// The `except` clauses of the enclosing `try` bodies, innermost last.
    handlers: Vec<Vec<NodeId>>,
    /// The abrupt exits waiting for each enclosing `finally` block, innermost last.
    finally_blocks: Vec<Vec<(NodeId, Abrupt)>>,
}

impl<'a> CfgBuilder<'_, 'a> {
    fn push_node(
        &mut self,
        kind: NodeKind<'a>,
        range: TextRange,
        uses: Vec<&'a str>,
        defs: Vec<&'a str>,
        awaits: bool,
    ) -> NodeId {
        let id = NodeId(u32::try_from(self.cfg.nodes.len()).expect("fewer than 2^32 nodes"));
        self.cfg.nodes.push(Node {
            kind,
            range,
            uses,
            defs,
            awaits,
        });
        self.cfg.successors.push(Vec::new());
        self.cfg.exceptional.push(Vec::new());
        id
    }

    /// Adds a node reached from `predecessors` whose names are those in `parts`. Inside a `try`
    /// body, an exception raised here may go to any of its `except` clauses.
    fn node(
        &mut self,
        kind: NodeKind<'a>,
        range: TextRange,
        parts: Parts<'a>,
        predecessors: &[NodeId],
    ) -> NodeId {
        let mut names = NameCollector {
            model: self.model,
            scope: self.scope,
            uses: Vec::new(),
            defs: Vec::new(),
            awaits: false,
        };
        parts.collect(&mut names);
        let id = self.push_node(kind, range, names.uses, names.defs, names.awaits);
        self.connect_all(predecessors, id);
        if let Some(handlers) = self.handlers.last() {
            self.cfg.exceptional[id.index()].extend(handlers);
        }
        if let NodeKind::Statement(statement) = kind {
            self.cfg.statement_nodes.insert(statement.start(), id);
        }
        id
    }

    fn connect(&mut self, from: NodeId, to: NodeId) {
        let successors = &mut self.cfg.successors[from.index()];
        if !successors.contains(&to) {
            successors.push(to);
        }
    }

    fn connect_all(&mut self, from: &[NodeId], to: NodeId) {
        for &node in from {
            self.connect(node, to);
        }
    }

    /// The nodes of `body`, run after `predecessors`; returns the nodes that fall through.
    fn block(&mut self, body: &'a [Stmt], mut predecessors: Vec<NodeId>) -> Vec<NodeId> {
        for statement in body {
            predecessors = self.statement(statement, predecessors);
        }
        predecessors
    }

    fn statement(&mut self, statement: &'a Stmt, predecessors: Vec<NodeId>) -> Vec<NodeId> {
        let range = statement.range();
        match statement {
            Stmt::If(if_stmt) => {
                let mut condition = self.node(
                    NodeKind::Condition(&if_stmt.test),
                    if_stmt.test.range(),
                    Parts::Expr(&if_stmt.test),
                    &predecessors,
                );
                self.cfg
                    .statement_nodes
                    .insert(statement.start(), condition);
                let mut exits = self.block(&if_stmt.body, vec![condition]);
                let mut has_else = false;
                for clause in &if_stmt.elif_else_clauses {
                    match &clause.test {
                        Some(test) => {
                            condition = self.node(
                                NodeKind::Condition(test),
                                test.range(),
                                Parts::Expr(test),
                                &[condition],
                            );
                            exits.extend(self.block(&clause.body, vec![condition]));
                        }
                        None => {
                            has_else = true;
                            exits.extend(self.block(&clause.body, vec![condition]));
                        }
                    }
                }
                if !has_else {
                    exits.push(condition);
                }
                exits
            }
            Stmt::While(while_stmt) => {
                let head = self.node(
                    NodeKind::LoopHead(statement),
                    TextRange::new(range.start(), while_stmt.test.end()),
                    Parts::Expr(&while_stmt.test),
                    &predecessors,
                );
                self.cfg.statement_nodes.insert(statement.start(), head);
                self.loops.push(LoopContext {
                    head,
                    breaks: Vec::new(),
                    finally_depth: self.finally_blocks.len(),
                });
                let body_exits = self.block(&while_stmt.body, vec![head]);
                self.connect_all(&body_exits, head);
                let context = self.loops.pop().expect("the loop context was pushed");
                let mut exits = context.breaks;
                if !is_always_true(&while_stmt.test) {
                    exits.extend(self.block(&while_stmt.orelse, vec![head]));
                }
                exits
            }
            Stmt::For(for_stmt) => {
                let iterable = self.node(
                    NodeKind::LoopIterable(for_stmt),
                    for_stmt.iter.range(),
                    Parts::Expr(&for_stmt.iter),
                    &predecessors,
                );
                self.cfg.statement_nodes.insert(statement.start(), iterable);
                let head = self.node(
                    NodeKind::LoopHead(statement),
                    TextRange::new(range.start(), for_stmt.iter.end()),
                    Parts::Held(&for_stmt.iter),
                    &[iterable],
                );
                let target = self.node(
                    NodeKind::LoopTarget(for_stmt),
                    for_stmt.target.range(),
                    Parts::Expr(&for_stmt.target),
                    &[head],
                );
                if for_stmt.is_async {
                    self.cfg.nodes[head.index()].awaits = true;
                }
                self.loops.push(LoopContext {
                    head,
                    breaks: Vec::new(),
                    finally_depth: self.finally_blocks.len(),
                });
                let body_exits = self.block(&for_stmt.body, vec![target]);
                self.connect_all(&body_exits, head);
                let context = self.loops.pop().expect("the loop context was pushed");
                let mut exits = context.breaks;
                exits.extend(self.block(&for_stmt.orelse, vec![head]));
                exits
            }
            Stmt::With(with) => {
                let header_end = with.items.last().map_or(range.start(), Ranged::end);
                let enter = self.node(
                    NodeKind::WithEnter(with),
                    TextRange::new(range.start(), header_end),
                    Parts::WithItems(&with.items),
                    &predecessors,
                );
                self.cfg.statement_nodes.insert(statement.start(), enter);
                if with.is_async {
                    self.cfg.nodes[enter.index()].awaits = true;
                }
                self.block(&with.body, vec![enter])
            }
            Stmt::Try(try_stmt) => self.try_statement(try_stmt, predecessors),
            Stmt::Match(match_stmt) => {
                let subject = self.node(
                    NodeKind::Condition(&match_stmt.subject),
                    match_stmt.subject.range(),
                    Parts::Expr(&match_stmt.subject),
                    &predecessors,
                );
                self.cfg.statement_nodes.insert(statement.start(), subject);
                let mut exits = Vec::new();
                let mut previous = subject;
                for case in &match_stmt.cases {
                    let node = self.node(
                        NodeKind::Case(case),
                        case.pattern.range(),
                        Parts::Case(case),
                        &[previous],
                    );
                    exits.extend(self.block(&case.body, vec![node]));
                    previous = node;
                }
                exits.push(previous);
                exits
            }
            Stmt::Return(_) => {
                let node = self.node(
                    NodeKind::Statement(statement),
                    range,
                    Parts::Stmt(statement),
                    &predecessors,
                );
                self.leave(node, Abrupt::Return);
                Vec::new()
            }
            Stmt::Raise(_) => {
                let node = self.node(
                    NodeKind::Statement(statement),
                    range,
                    Parts::Stmt(statement),
                    &predecessors,
                );
                // Inside a `try`, the `except` clauses were connected by `node`.
                self.leave(node, Abrupt::Raise);
                Vec::new()
            }
            Stmt::Break(_) | Stmt::Continue(_) => {
                let node = self.node(
                    NodeKind::Statement(statement),
                    range,
                    Parts::Stmt(statement),
                    &predecessors,
                );
                let abrupt = if statement.is_break_stmt() {
                    Abrupt::Break
                } else {
                    Abrupt::Continue
                };
                self.leave(node, abrupt);
                Vec::new()
            }
            _ => {
                let node = self.node(
                    NodeKind::Statement(statement),
                    range,
                    Parts::Stmt(statement),
                    &predecessors,
                );
                vec![node]
            }
        }
    }

    /// Sends an abrupt exit to the innermost `finally` block on its way, or straight to its
    /// target.
    fn leave(&mut self, node: NodeId, abrupt: Abrupt) {
        let loop_finally_depth = self.loops.last().map(|context| context.finally_depth);
        let crosses_finally = match abrupt {
            Abrupt::Return | Abrupt::Raise => !self.finally_blocks.is_empty(),
            Abrupt::Break | Abrupt::Continue => {
                loop_finally_depth.is_some_and(|depth| self.finally_blocks.len() > depth)
            }
        };
        if crosses_finally {
            self.finally_blocks
                .last_mut()
                .expect("a finally block is open")
                .push((node, abrupt));
        } else {
            self.jump(node, abrupt);
        }
    }

    fn jump(&mut self, node: NodeId, abrupt: Abrupt) {
        match abrupt {
            Abrupt::Return => self.connect(node, Cfg::EXIT),
            // An exception caught by an enclosing `try` was connected to its handlers already.
            Abrupt::Raise => {
                if self.handlers.is_empty() {
                    self.connect(node, Cfg::EXIT);
                }
            }
            Abrupt::Break => match self.loops.last_mut() {
                Some(context) => context.breaks.push(node),
                None => self.connect(node, Cfg::EXIT),
            },
            Abrupt::Continue => match self.loops.last() {
                Some(context) => {
                    let head = context.head;
                    self.connect(node, head);
                }
                None => self.connect(node, Cfg::EXIT),
            },
        }
    }

    fn try_statement(
        &mut self,
        try_stmt: &'a ast::StmtTry,
        predecessors: Vec<NodeId>,
    ) -> Vec<NodeId> {
        let has_finally = !try_stmt.finalbody.is_empty();
        if has_finally {
            self.finally_blocks.push(Vec::new());
        }
        // The handlers exist before the body, so every node of the body can reach them.
        let handler_nodes: Vec<(NodeId, &'a ast::ExceptHandlerExceptHandler)> = try_stmt
            .handlers
            .iter()
            .map(|handler| {
                let ExceptHandler::ExceptHandler(handler) = handler;
                let node = self.node(
                    NodeKind::Handler(handler),
                    handler.range,
                    Parts::Handler(handler),
                    &[],
                );
                (node, handler)
            })
            .collect();
        self.handlers
            .push(handler_nodes.iter().map(|(node, _)| *node).collect());
        let body_exits = self.block(&try_stmt.body, predecessors);
        self.handlers.pop();
        let mut exits = self.block(&try_stmt.orelse, body_exits);
        for (node, handler) in handler_nodes {
            exits.extend(self.block(&handler.body, vec![node]));
        }
        if !has_finally {
            return exits;
        }
        let pending = self
            .finally_blocks
            .pop()
            .expect("the finally block was pushed");
        let normal_exits = self.block(&try_stmt.finalbody, exits);
        if !pending.is_empty() {
            // The same `finally` body, reached abruptly: it continues to every target the
            // abrupt exits were heading for.
            let sources: Vec<NodeId> = pending.iter().map(|(node, _)| *node).collect();
            let abrupt_exits = self.block(&try_stmt.finalbody, sources);
            let mut targets: Vec<Abrupt> = pending.iter().map(|(_, abrupt)| *abrupt).collect();
            targets.dedup();
            for exit in abrupt_exits {
                for &abrupt in &targets {
                    self.leave(exit, abrupt);
                }
            }
        }
        normal_exits
    }
}

fn is_always_true(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(literal) => literal.value,
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(int),
            ..
        }) => int.as_u64() != Some(0),
        _ => false,
    }
}

/// The parts of the source a node reads its names from.
enum Parts<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    /// A `for` iterable, seen from the loop head: the names the running iterator keeps alive.
    Held(&'a Expr),
    WithItems(&'a [ast::WithItem]),
    Handler(&'a ast::ExceptHandlerExceptHandler),
    Case(&'a MatchCase),
}

impl<'a> Parts<'a> {
    fn collect(self, names: &mut NameCollector<'_, 'a>) {
        match self {
            Parts::Stmt(statement) => names.statement(statement),
            Parts::Expr(expr) => names.expression(expr),
            Parts::Held(iterable) => {
                for held in held_by_iterator(iterable) {
                    names.expression(held);
                }
            }
            Parts::WithItems(items) => {
                for item in items {
                    names.expression(&item.context_expr);
                    if let Some(target) = &item.optional_vars {
                        names.expression(target);
                    }
                }
            }
            Parts::Handler(handler) => {
                if let Some(type_) = &handler.type_ {
                    names.expression(type_);
                }
                if let Some(name) = &handler.name {
                    names.define(name.as_str(), name.range);
                }
            }
            Parts::Case(case) => {
                names.pattern(case);
                if let Some(guard) = &case.guard {
                    names.expression(guard);
                }
            }
        }
    }
}

/// What a `for` loop's iterator holds on to while it runs: the iterable itself when it is a
/// name, what `enumerate`, `zip` or `reversed` wrap, and the dictionary behind `.items()`,
/// `.keys()` and `.values()`.
fn held_by_iterator(iterable: &Expr) -> Vec<&Expr> {
    match iterable {
        Expr::Name(_) | Expr::Attribute(_) => vec![iterable],
        Expr::Call(call) => match &*call.func {
            Expr::Name(function)
                if matches!(
                    function.id.as_str(),
                    "enumerate" | "zip" | "reversed" | "iter"
                ) =>
            {
                call.arguments
                    .args
                    .iter()
                    .flat_map(held_by_iterator)
                    .collect()
            }
            Expr::Attribute(method)
                if matches!(method.attr.as_str(), "items" | "keys" | "values") =>
            {
                held_by_iterator(&method.value)
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Collects the names of the function's own scope that a piece of source reads and binds, from
/// the semantic model's nodes.
struct NameCollector<'m, 'a> {
    model: &'m SemanticModel<'a>,
    scope: ScopeId,
    uses: Vec<&'a str>,
    defs: Vec<&'a str>,
    awaits: bool,
}

impl<'a> NameCollector<'_, 'a> {
    fn statement(&mut self, statement: &'a Stmt) {
        match statement {
            Stmt::FunctionDef(function) => {
                self.define(function.name.as_str(), function.name.range);
            }
            Stmt::ClassDef(class) => {
                self.define(class.name.as_str(), class.name.range);
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let range = alias
                        .asname
                        .as_ref()
                        .map_or(alias.name.range, |name| name.range);
                    if let Some(binding) = self.model.binding_at(range) {
                        self.define(self.model.binding(binding).name, range);
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let name = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.define(name.as_str(), name.range);
                }
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Name(name) = &*assign.target {
                    self.read(name);
                }
            }
            _ => {}
        }
        if let Some(id) = self.model.node_id(statement) {
            self.names_in(id);
        }
    }

    fn expression(&mut self, expr: &'a Expr) {
        if let Some(id) = self.model.node_id(expr) {
            self.names_in(id);
        }
    }

    /// The names read and bound in a node and everything in it, the bodies of nested
    /// functions and lambdas included: their reads are captures, counted as uses so that the
    /// name stays live. An `await` counts only outside nested functions: it does not suspend
    /// this one.
    fn names_in(&mut self, root: crate::NodeId) {
        let own_code_end = self.model.descendants_end(root);
        let mut nested_function_end = root;
        for id in self.model.subtree(root).into_bodies() {
            match self.model.node(id) {
                NodeRef::Expr(Expr::Name(name)) => match name.ctx {
                    ExprContext::Load => self.read(name),
                    ExprContext::Store | ExprContext::Del => {
                        self.define(name.id.as_str(), name.range)
                    }
                    ExprContext::Invalid => {}
                },
                NodeRef::Expr(Expr::Await(_)) => {
                    self.awaits |= id < own_code_end && id >= nested_function_end;
                }
                NodeRef::Stmt(Stmt::FunctionDef(_)) if id < own_code_end => {
                    nested_function_end = nested_function_end.max(self.model.descendants_end(id));
                }
                _ => {}
            }
        }
    }

    /// A `case` pattern's captures and the values it compares with.
    fn pattern(&mut self, case: &'a MatchCase) {
        let pattern = case.pattern.range();
        let captures: Vec<(&'a str, TextRange)> = self
            .model
            .bindings_in(self.scope)
            .filter(|(_, binding)| pattern.contains_range(binding.range))
            .map(|(_, binding)| (binding.name, binding.range))
            .collect();
        for (name, range) in captures {
            self.define(name, range);
        }
        // The values are nodes of the `match` statement, which patterns are not.
        let Some(match_statement) = case
            .guard
            .as_deref()
            .and_then(|guard| self.model.node_id(guard))
            .or_else(|| {
                case.body
                    .first()
                    .and_then(|statement| self.model.node_id(statement))
            })
            .and_then(|inside| self.model.parent(inside))
        else {
            return;
        };
        let mut nodes = self.model.descendants(match_statement);
        while let Some(id) = nodes.next() {
            let node = self.model.node(id);
            if pattern.contains_range(node.range()) {
                nodes.skip_descendants(id);
                self.names_in(id);
            }
        }
    }

    fn read(&mut self, name: &'a ast::ExprName) {
        if let Some(binding) = self.model.binding_of(name) {
            if self.model.binding(binding).scope == self.scope {
                self.uses.push(self.model.binding(binding).name);
            }
        }
    }

    fn define(&mut self, name: &'a str, range: TextRange) {
        if let Some(binding) = self.model.binding_at(range) {
            if self.model.binding(binding).scope == self.scope {
                self.defs.push(name);
            }
        }
    }
}

/// Which names are live on entry to each node of a [`Cfg`], worked out one name at a time:
/// the rules ask about a few names of a function, and a table of every name at every node
/// would grow with the square of a long function's length.
#[derive(Debug)]
pub struct Liveness<'c, 'a> {
    cfg: &'c Cfg<'a>,
    /// Each node's predecessors, normal and exceptional: those of node `n` are
    /// `predecessors[starts[n]..starts[n + 1]]`.
    predecessors: Vec<NodeId>,
    starts: Vec<u32>,
}

impl<'c, 'a> Liveness<'c, 'a> {
    fn new(cfg: &'c Cfg<'a>) -> Self {
        let edges = || {
            cfg.node_ids().flat_map(|from| {
                cfg.successors(from)
                    .iter()
                    .chain(cfg.exceptional_successors(from))
                    .map(move |to| (from, *to))
            })
        };
        // A counting sort of the edges by their target.
        let mut starts = vec![0u32; cfg.nodes.len() + 1];
        for (_, to) in edges() {
            starts[to.index() + 1] += 1;
        }
        for index in 1..starts.len() {
            starts[index] += starts[index - 1];
        }
        let mut next = starts.clone();
        let mut predecessors = vec![Cfg::ENTRY; starts[cfg.nodes.len()] as usize];
        for (from, to) in edges() {
            predecessors[next[to.index()] as usize] = from;
            next[to.index()] += 1;
        }
        Liveness {
            cfg,
            predecessors,
            starts,
        }
    }

    /// For each node, whether `name` may still be read, on some path from it, before it is
    /// bound again. Worked out once for the name, to be asked at many nodes: the nodes that
    /// read it, and back from them every node that reaches one without binding it.
    pub fn live_in_of(&self, name: &str) -> impl Fn(NodeId) -> bool + '_ {
        let mut live = vec![false; self.cfg.nodes.len()];
        let mut reached: Vec<NodeId> = Vec::new();
        for id in self.cfg.node_ids() {
            if self.cfg.node(id).uses.contains(&name) {
                live[id.index()] = true;
                reached.push(id);
            }
        }
        while let Some(id) = reached.pop() {
            let range = self.starts[id.index()] as usize..self.starts[id.index() + 1] as usize;
            for &before in &self.predecessors[range] {
                if !live[before.index()] && !self.cfg.node(before).defs.contains(&name) {
                    live[before.index()] = true;
                    reached.push(before);
                }
            }
        }
        move |node| live[node.index()]
    }
}
