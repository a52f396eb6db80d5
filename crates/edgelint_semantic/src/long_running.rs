//! Long-running regions: code that can keep a function's frame (and every local in it) alive
//! for a long time. A loop, an `await`, a sleep, a `.join()` or `.wait()`, a server's
//! `serve_forever()`, or a call to a function of the same module (or a method of the same
//! class called through `self`) that itself contains one.

use rustc_hash::FxHashMap as HashMap;
use std::cell::{OnceCell, RefCell};

use ruff_python_ast::{self as ast, Expr, NodeKind, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use crate::nodes::Shape;
use crate::{BindingKind, NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel};

/// What makes a region long-running.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Region<'a> {
    Loop,
    Await,
    Sleep,
    /// `.join()` with no positional argument (threads, processes, queues; never `str.join`).
    Join,
    Wait,
    /// `serve_forever()`, `run_forever()`.
    ServeForever,
    /// A call to a function of this module that contains a long-running region.
    Call(&'a str),
    /// A call to a function of another module of the project that runs one.
    ProjectCall,
    /// A wait for the next job, message or connection (`queue.get()`, `sock.recv(n)`,
    /// `accept()`) at the start of a worker loop's next pass.
    NextItem,
}

impl Region<'_> {
    pub fn describe(&self) -> String {
        match self {
            Region::Loop => "this loop".to_string(),
            Region::Await => "this `await`".to_string(),
            Region::Sleep => "this sleep".to_string(),
            Region::Join => "this `.join()`".to_string(),
            Region::Wait => "this `.wait()`".to_string(),
            Region::ServeForever => "this serving loop".to_string(),
            Region::Call(name) => {
                format!("this call to `{name}()`, which runs a long-running loop or wait")
            }
            Region::ProjectCall => {
                "this call, which runs a long-running loop or wait in another module".to_string()
            }
            Region::NextItem => {
                "this wait for the next item, where the loop's next pass blocks".to_string()
            }
        }
    }
}

/// Which of the module's functions contain a long-running region, and which function each
/// call names: both asked again and again, so both are kept once computed.
#[derive(Debug, Default)]
pub(crate) struct LongRunningFunctions {
    /// By the id of the `def`.
    functions: OnceCell<HashMap<NodeId, bool>>,
    /// The same for [`Runs::Blocking`], by the id of the `def`.
    blocking: OnceCell<HashMap<NodeId, bool>>,
    /// The `def` each call asked about names, by the id of the call.
    callees: RefCell<HashMap<NodeId, Option<NodeId>>>,
    /// The start of the last statement of each scope that holds a long-running region (see
    /// [`SemanticModel::last_region_start`]), by the scope and whether it was worked out while
    /// summarizing.
    last_regions: RefCell<HashMap<(ScopeId, bool), Option<TextSize>>>,
    /// The calls of each function of the module (see [`SemanticModel::calls_to`]), by the id
    /// of the `def`.
    calls: OnceCell<HashMap<NodeId, Vec<NodeId>>>,
    /// What the builder noted for [`SemanticModel::anything_blocks`].
    noted: BlockingNotes,
}

/// What the builder notes, as it numbers each `while` loop and call, of what blocks by itself
/// whatever its names are bound to; a sleep needs the model (`time.sleep`, or `sleep` imported
/// from `time`), and a module can call one only if it imports `time` or `asyncio`.
#[derive(Debug, Default)]
pub(crate) struct BlockingNotes {
    /// A `.join()`, `.wait()` or serving loop.
    blocks: bool,
    /// The `while True:` loops, which block unless they can be left.
    endless: Vec<NodeId>,
}

impl BlockingNotes {
    pub(crate) fn note(&mut self, node: NodeRef, id: NodeId) {
        match node {
            NodeRef::Stmt(Stmt::While(loop_)) if is_truthy_constant(&loop_.test) => {
                self.endless.push(id);
            }
            NodeRef::Expr(Expr::Call(call)) => {
                self.blocks |= matches!(
                    blocking_method(call),
                    Some(Region::Join | Region::Wait | Region::ServeForever)
                );
            }
            _ => {}
        }
    }
}

/// The region a call of a method is by the method's name alone (`Sleep` for any `.sleep()`,
/// which only `time.sleep` or `asyncio.sleep` is); `None` for any other call.
fn blocking_method(call: &ast::ExprCall) -> Option<Region<'static>> {
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    match method.attr.as_str() {
        "join" if call.arguments.args.is_empty() && !method.value.is_string_literal_expr() => {
            Some(Region::Join)
        }
        "wait" => Some(Region::Wait),
        "serve_forever" | "run_forever" => Some(Region::ServeForever),
        "sleep" => Some(Region::Sleep),
        _ => None,
    }
}

impl<'a> SemanticModel<'a> {
    /// The long-running region a call is, if it is one.
    pub fn call_region(&self, call: &ast::ExprCall) -> Option<Region<'a>> {
        if let Some(region) = self.blocking_call(call) {
            return Some(region);
        }
        if let Some(callee) = self.callee_of(call) {
            return self
                .is_long_running(callee)
                .then(|| match self.node(callee) {
                    NodeRef::Stmt(Stmt::FunctionDef(function)) => {
                        Some(Region::Call(function.name.as_str()))
                    }
                    _ => None,
                })
                .flatten();
        }
        let qualified = self.resolve(&call.func)?;
        self.project_function_runs_long(qualified.as_str())
            .then_some(Region::ProjectCall)
    }

    /// A call that blocks by what it is, whatever function makes it: a sleep, a `.join()`, a
    /// `.wait()`, a serving loop.
    fn blocking_call(&self, call: &ast::ExprCall) -> Option<Region<'a>> {
        // A `.sleep()` or a call of a name is a sleep when it calls `time.sleep` or
        // `asyncio.sleep`.
        match blocking_method(call) {
            Some(Region::Sleep) => {}
            Some(region) => return Some(region),
            None if call.func.is_attribute_expr() => return None,
            None => {}
        }
        self.resolves_to(&call.func, &["time.sleep", "asyncio.sleep"])
            .then_some(Region::Sleep)
    }

    /// The first long-running region directly in `expr` (not in nested functions or lambdas).
    pub fn expression_region(&self, expr: &Expr) -> Option<Region<'a>> {
        self.first_region(self.node_id(expr)?, false)
    }

    /// The first long-running region directly in `statement` (loops included, nested function
    /// bodies excluded).
    pub fn statement_region(&self, statement: &Stmt) -> Option<Region<'a>> {
        self.first_region(self.node_id(statement)?, true)
    }

    fn first_region(&self, root: NodeId, loops_count: bool) -> Option<Region<'a>> {
        let mut nodes = self.subtree(root);
        while let Some(id) = nodes.next() {
            match self.shape(id) {
                shape if shape.is_definition() => nodes.skip_descendants(id),
                Shape::For | Shape::While if loops_count => return Some(Region::Loop),
                Shape::Await => return Some(Region::Await),
                Shape::Call => {
                    if let NodeRef::Expr(Expr::Call(call)) = self.node(id) {
                        if let Some(region) = self.call_region(call) {
                            return Some(region);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The `def` a call names (see [`SemanticModel::callee`]), worked out once per call.
    fn callee_of(&self, call: &ast::ExprCall) -> Option<NodeId> {
        let Some(id) = self.node_id(call) else {
            return self
                .callee(&call.func)
                .and_then(|function| self.node_id(function));
        };
        if let Some(known) = self.long_running.callees.borrow().get(&id) {
            return *known;
        }
        let callee = self
            .callee(&call.func)
            .and_then(|function| self.node_id(function));
        self.long_running.callees.borrow_mut().insert(id, callee);
        callee
    }

    /// The calls in the module whose callee is `function` (see [`SemanticModel::callee`]), in
    /// the order of the node table. Every call's callee is worked out once, the first time a
    /// function's calls are asked for: asking each function in turn would read every call of
    /// the module each time.
    pub fn calls_to(&self, function: &StmtFunctionDef) -> Vec<NodeId> {
        let calls = self.long_running.calls.get_or_init(|| {
            let mut calls: HashMap<NodeId, Vec<NodeId>> = HashMap::default();
            for id in self.node_ids().filter(|id| self.shape(*id) == Shape::Call) {
                if let NodeRef::Expr(Expr::Call(call)) = self.node(id) {
                    if let Some(callee) = self.callee(&call.func).and_then(|def| self.node_id(def))
                    {
                        calls.entry(callee).or_default().push(id);
                    }
                }
            }
            calls
        });
        self.node_id(function)
            .and_then(|function| calls.get(&function))
            .cloned()
            .unwrap_or_default()
    }

    /// The start of the last statement of the scope's own code (a nested class's statements
    /// included, a nested function's body not) that holds a long-running region (see
    /// [`SemanticModel::statement_region`]): a region follows a place of the scope when this
    /// is after it. Worked out once per scope, as a function asks again for each place.
    pub fn last_region_start(&self, scope: ScopeId) -> Option<TextSize> {
        let key = (scope, self.summarizing.get());
        if let Some(known) = self.long_running.last_regions.borrow().get(&key) {
            return *known;
        }
        let last = self
            .scope_nodes(scope)
            .filter_map(|id| match self.node(id) {
                NodeRef::Stmt(statement) => self
                    .statement_region(statement)
                    .is_some()
                    .then(|| statement.start()),
                NodeRef::Expr(_) => None,
            })
            .max();
        self.long_running
            .last_regions
            .borrow_mut()
            .insert(key, last);
        last
    }

    /// The function a call's callee names: a function bound in the module (or an enclosing
    /// function), or a method of the enclosing class called through `self` or `cls`.
    pub(crate) fn callee(&self, func: &Expr) -> Option<&'a StmtFunctionDef> {
        match func {
            Expr::Name(name) => match self.binding(self.binding_of(name)?).kind {
                BindingKind::FunctionDef(function) => Some(function),
                _ => None,
            },
            Expr::Attribute(attribute) => {
                let Expr::Name(receiver) = &*attribute.value else {
                    return None;
                };
                let binding = self.binding(self.binding_of(receiver)?);
                if !matches!(binding.kind, BindingKind::Parameter { .. })
                    || !matches!(binding.name, "self" | "cls")
                {
                    return None;
                }
                let class_scope = self.scope(binding.scope).parent?;
                if !matches!(self.scope(class_scope).kind, ScopeKind::Class(_)) {
                    return None;
                }
                match self
                    .binding(self.scope(class_scope).binding(attribute.attr.as_str())?)
                    .kind
                {
                    BindingKind::FunctionDef(function) => Some(function),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether a call to `function` blocks for long (see [`Runs::Blocking`]): what the
    /// module's summary tells other modules.
    pub(crate) fn blocks_long(&self, function: &StmtFunctionDef) -> bool {
        let Some(id) = self.node_id(function) else {
            return false;
        };
        let functions = self.long_running.blocking.get_or_init(|| {
            if self.anything_blocks() {
                self.decide_alone(Runs::Blocking)
            } else {
                HashMap::default() // most modules: no function blocks
            }
        });
        functions.get(&id).copied().unwrap_or(false)
    }

    fn is_long_running(&self, function: NodeId) -> bool {
        let functions = self
            .long_running
            .functions
            .get_or_init(|| self.decide_alone(Runs::AnyRegion));
        functions.get(&function).copied().unwrap_or(false)
    }

    /// Whether anything in the module blocks by itself (a `while True:` that never leaves, a
    /// sleep, a wait, a serving loop), wherever it stands: when nothing does, no function blocks
    /// and the call graph need not be worked out. From what the builder noted (see
    /// [`BlockingNotes`]); only in a module that imports `time` or `asyncio` are the calls read
    /// again, for a sleep.
    fn anything_blocks(&self) -> bool {
        let noted = &self.long_running.noted;
        noted.blocks
            || noted.endless.iter().any(|id| !self.leaves_loop(*id))
            || (self.imports_any(crate::Packages::TIME | crate::Packages::ASYNCIO)
                && self.node_ids_of(&[NodeKind::ExprCall]).any(|id| {
                    matches!(self.node(id), NodeRef::Expr(Expr::Call(call))
                        if self.blocking_call(call).is_some())
                }))
    }

    /// Has the builder note what blocks at `node` (see [`BlockingNotes`]).
    pub(crate) fn note_blocking(&mut self, node: NodeRef, id: NodeId) {
        self.long_running.noted.note(node, id);
    }

    /// Decided from this module alone, as its summary is, whichever is asked first: the answer
    /// must not depend on whether the summary was made from this model.
    fn decide_alone(&self, runs: Runs) -> HashMap<NodeId, bool> {
        let summarizing = self.summarizing.replace(true);
        let functions = self.summarize_functions(runs);
        self.summarizing.set(summarizing);
        functions
    }

    /// Decides for every function of the module whether it runs long: directly, or by calling
    /// one that does (a fixed point over the module's call graph).
    fn summarize_functions(&self, runs: Runs) -> HashMap<NodeId, bool> {
        let functions: Vec<(NodeId, ScopeId)> = self
            .bindings
            .iter()
            .filter_map(|binding| match binding.kind {
                BindingKind::FunctionDef(function) => {
                    Some((self.node_id(function)?, self.scope_of(function)?))
                }
                _ => None,
            })
            .collect();
        let mut summaries: HashMap<NodeId, bool> = HashMap::default();
        // Who calls each function, to pass "runs long" on from callees to their callers.
        let mut callers: HashMap<NodeId, Vec<NodeId>> = HashMap::default();
        for (function, scope) in &functions {
            // Calling a generator function runs none of its body.
            if runs == Runs::Blocking && self.scope(*scope).is_generator {
                summaries.insert(*function, false);
                continue;
            }
            let (direct, called) = self.scan_function(*scope, runs);
            summaries.insert(*function, direct);
            for callee in called {
                callers.entry(callee).or_default().push(*function);
            }
        }
        let mut newly_long: Vec<NodeId> = functions
            .iter()
            .map(|(function, _)| *function)
            .filter(|function| summaries[function])
            .collect();
        while let Some(function) = newly_long.pop() {
            for caller in callers.get(&function).into_iter().flatten() {
                if !std::mem::replace(
                    summaries.get_mut(caller).expect("a caller is scanned"),
                    true,
                ) {
                    newly_long.push(*caller);
                }
            }
        }
        summaries
    }

    /// What one function body does directly (see [`Runs`]), and which of the module's
    /// functions it calls; nested functions, classes and lambdas are their own.
    fn scan_function(&self, scope: ScopeId, runs: Runs) -> (bool, Vec<NodeId>) {
        let mut direct = false;
        let mut called = Vec::new();
        let mut nodes = self.scope_nodes(scope);
        while let Some(id) = nodes.next() {
            match (self.shape(id), runs) {
                (shape, _) if shape.is_definition() => nodes.skip_descendants(id),
                (Shape::For | Shape::While, Runs::AnyRegion) => {
                    direct = true;
                    nodes.skip_descendants(id);
                }
                (Shape::While, Runs::Blocking) => {
                    if let NodeRef::Stmt(Stmt::While(loop_)) = self.node(id) {
                        direct |= is_truthy_constant(&loop_.test) && !self.leaves_loop(id);
                    }
                }
                (Shape::Await, Runs::AnyRegion) => direct = true,
                // Decided from this module alone: a call to another module counts for
                // nothing here, and one to this module's functions through the call graph.
                (Shape::Call, _) => {
                    let NodeRef::Expr(Expr::Call(call)) = self.node(id) else {
                        continue;
                    };
                    // Not memoized as `callee_of` is: most calls are asked about only here.
                    if let Some(callee) = self.callee(&call.func) {
                        called.extend(self.node_id(callee));
                    } else if self.blocking_call(call).is_some() {
                        direct = true;
                    }
                }
                _ => {}
            }
        }
        (direct, called)
    }
}

impl SemanticModel<'_> {
    /// Whether the body of the loop `id` may leave it: a `break` of this loop or a `return`
    /// (a `while True:` that parses until its input ends, not one that serves forever).
    fn leaves_loop(&self, id: NodeId) -> bool {
        let NodeRef::Stmt(this_loop) = self.node(id) else {
            return false;
        };
        let mut nodes = self.descendants(id);
        while let Some(inner) = nodes.next() {
            match self.shape(inner) {
                shape if shape.is_definition() => nodes.skip_descendants(inner),
                Shape::Return => return true,
                // A `break` of an inner loop leaves only that loop.
                Shape::Break
                    if self
                        .enclosing_loop(inner)
                        .is_some_and(|loop_| std::ptr::eq(loop_, this_loop)) =>
                {
                    return true;
                }
                _ => {}
            }
        }
        false
    }
}

/// What counts as running long.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Runs {
    /// Any long-running region, as rules see one in the function they check: a loop, an
    /// `await`, a sleep, a wait.
    AnyRegion,
    /// What blocks for long whatever the data: `while True`, a sleep, a `.join()` or
    /// `.wait()`, a server loop. A `for` loop in another module is usually over something
    /// short, so summaries say only this.
    Blocking,
}

/// `True`, or a non-zero number: `while True:` and `while 1:`.
fn is_truthy_constant(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(literal) => literal.value,
        Expr::NumberLiteral(number) => !matches!(
            number.value,
            ast::Number::Int(ref value) if value.as_u8() == Some(0)
        ),
        _ => false,
    }
}
