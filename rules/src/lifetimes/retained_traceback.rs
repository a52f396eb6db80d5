use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::{BigReason, ValueKind};
use edgelint_semantic::{
    last_name, Binding, BindingKind, NodeRef, ScopeId, ScopeKind, SemanticModel, Size,
};
use ruff_python_ast::{ExceptHandler, Expr, NodeKind, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::self_or_cls;
use crate::statements::{is_parameter, leaves_loop_after, statements_containing};
use crate::uses::STORING_METHODS;
use crate::{rule, Ancestor, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a statement that stores a caught exception, a traceback (`e.__traceback__`,
    /// `sys.exc_info()`) or a frame (`inspect.currentframe()`, `sys._getframe()`,
    /// `inspect.stack()`) where it outlives the handler: on `self` or `cls`, in a module-level
    /// container or a container on `self`, in a global assigned from a function, or in a local
    /// variable that is never deleted or reset afterwards. For a local, only the function's own
    /// frame counts (its own caught exception, `sys.exc_info()` in its own `except` clause, the
    /// current frame): that is what makes a reference cycle, while a local walking other frames
    /// (`frame.f_back`, `tb.tb_next`) is freed with the function.
    ///
    /// The stored value may be a part of `sys.exc_info()` (`kind, error, tb = sys.exc_info()`,
    /// `sys.exc_info()[1]`), a tuple holding one, an exception the method was given (a parameter
    /// annotated as an exception, the exception `__exit__` or `connection_lost` receives), a
    /// local list collecting the function's caught exceptions across the passes of a loop that
    /// keeps running (retries), or a future failed with `set_exception` that `self` keeps (in a
    /// container on `self`, or stored on it by the same method).
    ///
    /// ## Why is this bad?
    /// An exception holds its traceback, the traceback holds every frame it passed through, and
    /// each frame holds all of its local variables. Keeping one exception keeps all of that
    /// alive: buffers, arrays and data frames of every function on the stack when it was
    /// raised. Stored in a local, it makes a reference cycle (frame → local → exception →
    /// traceback → frame) that only the cyclic garbage collector can free, so the whole frame
    /// outlives the function. This is why Python deletes the `except ... as e` name at the end
    /// of the handler.
    ///
    /// Re-raising, logging, and keeping `str(e)`, `repr(e)` or formatted traceback text are
    /// fine and not flagged. Neither is an exception the class keeps on purpose: one it hands
    /// out (`def exception(self): return self._exc`), re-raises, chains
    /// (`raise Closed() from self._error`, `exc.__cause__ = self._error`), passes on (also
    /// through a local: `error = self._error; self.after(error)`) or resets
    /// to `None`, in its own module or any other module of the run
    /// (`raise self.protocol.handshake_exc`; test code does not count), or one the handler also
    /// gives to another object (`request.error = exc`, `future.set_exception(exc)`) or puts
    /// on a queue for a consumer to raise or report, which
    /// holds it anyway, or an exception class's record of what it was raised while handling
    /// (`self.cause = sys.exc_info()` in `MyError.__init__`), which lives as long as the new
    /// exception, as `__context__` does; nor one an `__init__` is given to carry
    /// (`FailureArgs(error=exc)`): the code that builds the object decides. A local counts
    /// only when the function keeps running after it (a loop around it or after it, a wait, a
    /// sleep): a function that returns soon leaves the cycle to the collector, and a retry loop
    /// of a few passes (`for attempt in range(3)`) keeps it through a few backoffs at most. A
    /// local the function later raises, chains (`raise Failed() from error`), returns, stores
    /// in a container or an object (`results.append(Outcome(source, error))`, in the loop or
    /// after it), or lets a nested function read, is handed on, not kept;
    /// so is a global that the module raises or returns again.
    ///
    /// By default it reports a store only when the frame it keeps holds data shown to be large
    /// (a file read, a loaded document or array in a local of the handler's function): small
    /// frames cost little, and the collector frees their cycles in time. The others are
    /// reported with `--pedantic`.
    ///
    /// ## Example
    /// ```python
    /// import numpy as np
    ///
    /// class Worker:
    ///     def run(self, job, data_path):
    ///         frames = np.load(data_path)
    ///         try:
    ///             job(frames)
    ///         except Exception as error:
    ///             self.last_error = error
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import traceback
    ///
    /// import numpy as np
    ///
    /// class Worker:
    ///     def run(self, job, data_path):
    ///         frames = np.load(data_path)
    ///         try:
    ///             job(frames)
    ///         except Exception:
    ///             self.last_error = traceback.format_exc()
    /// ```
    /// Or, for a local that must hold the exception for a while, `del` it (or set it to
    /// `None`) in a `finally` block once it has been handled.
    pub static RETAINED_TRACEBACK = {
        code: "EL306",
        name: "retained-traceback",
        family: Family::Lifetimes,
        severity: Severity::Warning,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAssign, NodeKind::StmtAnnAssign, NodeKind::StmtExpr], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let (targets, value): (&[Expr], &Expr) = match statement {
        Stmt::Assign(assign) => (&assign.targets, &assign.value),
        Stmt::AnnAssign(assign) => match &assign.value {
            Some(value) => (std::slice::from_ref(&*assign.target), value),
            None => return,
        },
        Stmt::Expr(expression) => {
            check_stored_by_method(checker, statement, &expression.value);
            return;
        }
        _ => return,
    };
    let Some(retained) = retained(checker.semantic(), value) else {
        return;
    };
    for target in targets {
        if let Some(place) = place(checker, statement, target, value) {
            report(checker, statement, retained, &place, attribute_of(target));
        }
    }
}

/// `ERRORS.append(e)`, `self.errors.add(e)`: a storing method on a long-lived container.
fn check_stored_by_method(checker: &mut Checker, statement: &Stmt, expr: &Expr) {
    let Expr::Call(call) = expr else {
        return;
    };
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    if method.attr.as_str() == "set_exception" {
        check_future_kept(checker, statement, &method.value, call);
        return;
    }
    // A queue hands the exception to whoever takes it off (`stream()` raises it there).
    if !STORING_METHODS.contains(&method.attr.as_str())
        || matches!(method.attr.as_str(), "put" | "put_nowait")
    {
        return;
    }
    let semantic = checker.semantic();
    let Some(retained) = call
        .arguments
        .args
        .iter()
        .find_map(|argument| retained(semantic, argument))
    else {
        return;
    };
    if let Some(place) = long_lived_container(checker, &method.value)
        .or_else(|| collected_across_passes(checker, statement, &method.value, call))
    {
        report(
            checker,
            statement,
            retained,
            &place,
            attribute_of(&method.value),
        );
    }
}

/// `self._waiters[key].set_exception(error)`, or `future.set_exception(error)` on a future the
/// method also stores on `self`: the future keeps the exception as long as `self` keeps the
/// future, unless the module hands that attribute on (returns it, passes it on, resets it).
fn check_future_kept(
    checker: &mut Checker,
    statement: &Stmt,
    future: &Expr,
    call: &ruff_python_ast::ExprCall,
) {
    let semantic = checker.semantic();
    let Some(retained) = call
        .arguments
        .args
        .first()
        .and_then(|argument| retained(semantic, argument))
    else {
        return;
    };
    // Not `self.stream.set_exception(error)`: a channel hands it to whoever reads it next.
    let kept_as = match future {
        Expr::Subscript(_) => Some(future),
        // `self.pending = future` in the same function.
        Expr::Name(name) => semantic.scope_nodes(checker.scope()).find_map(|id| match semantic.node(id) {
            NodeRef::Stmt(Stmt::Assign(assign))
                if matches!(&*assign.value, Expr::Name(value) if value.id == name.id) =>
            {
                assign.targets.first()
            }
            _ => None,
        }),
        _ => None,
    };
    let Some(kept_as) = kept_as else {
        return;
    };
    let holder = match kept_as {
        Expr::Subscript(item) => &*item.value,
        other => other,
    };
    let Expr::Attribute(attribute) = holder else {
        return;
    };
    if self_or_cls(semantic, &attribute.value).is_none()
        || hands_out(semantic, attribute.attr.as_str())
    {
        return;
    }
    let place = format!("in a future that `{}` holds", checker.snippet(holder));
    report(
        checker,
        statement,
        retained,
        &place,
        Some(attribute.attr.as_str()),
    );
}

/// `errors.append(error)` into a local list in a loop (the failures of every retry), of the
/// function's own caught exceptions, while the function keeps running, with nothing that
/// resets the list or hands it on afterwards: each exception keeps the frames it passed
/// through, and the function's own frame in a cycle.
fn collected_across_passes(
    checker: &Checker,
    statement: &Stmt,
    container: &Expr,
    call: &ruff_python_ast::ExprCall,
) -> Option<String> {
    let Expr::Name(name) = container else {
        return None;
    };
    let semantic = checker.semantic();
    let binding_id = semantic.binding_of(name)?;
    let binding = semantic.binding(binding_id);
    let ScopeKind::Function(function) = semantic.scope(binding.scope).kind else {
        return None;
    };
    let collected = checker.in_loop()
        && !raised_by_future(checker, statement)
        && !semantic.is_captured(binding_id)
        && call
            .arguments
            .args
            .iter()
            .any(|argument| holds_own_frame(checker, function, statement, argument, 2))
        && runs_long_after(checker, function, statement);
    let released_later = released_after(checker, statement, binding, statement.end());
    (collected && !released_later).then(|| format!("in the local `{}`", name.id))
}

/// A cheap syntactic test before asking provenance: names, attributes, subscripts, and calls
/// of the functions that return exceptions, tracebacks or frames.
fn may_hold_frames(value: &Expr) -> bool {
    match value {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => true,
        Expr::Call(call) => {
            let Some(name) = last_name(&call.func) else {
                return false;
            };
            matches!(
                name,
                "exc_info"
                    | "exception"
                    | "_getframe"
                    | "currentframe"
                    | "stack"
                    | "trace"
                    | "getouterframes"
                    | "getinnerframes"
            )
        }
        _ => false,
    }
}

/// What is stored and what it keeps alive, when it is an exception, traceback or frame.
#[derive(Copy, Clone)]
struct Retained {
    what: &'static str,
    keeps: &'static str,
}

fn retained(semantic: &SemanticModel, value: &Expr) -> Option<Retained> {
    // `(cls, exc, tb)`, `(time.time(), sys.exc_info()[1])`: a tuple keeps its parts.
    if let Expr::Tuple(tuple) = value {
        return tuple.elts.iter().find_map(|part| retained(semantic, part));
    }
    if !may_hold_frames(value) {
        return None;
    }
    let passed_in = is_parameter(semantic, value);
    let (what, keeps) = match semantic.provenance(value).kind {
        ValueKind::Exception if passed_in => ("exception", "its traceback and every frame on it"),
        ValueKind::Exception => ("caught exception", "its traceback and every frame on it"),
        ValueKind::Traceback => ("traceback", "every frame on it"),
        ValueKind::ExcInfo => ("`sys.exc_info()`", "its traceback and every frame on it"),
        ValueKind::Frame => ("frame object", "all of its local variables"),
        _ => return None,
    };
    Some(Retained { what, keeps })
}

/// Where an assignment target keeps the value beyond the handler, described for the message;
/// `None` when it does not.
fn place(checker: &Checker, statement: &Stmt, target: &Expr, value: &Expr) -> Option<String> {
    let semantic = checker.semantic();
    match target {
        Expr::Attribute(attribute) => {
            let receiver = self_or_cls(semantic, &attribute.value)?;
            // An exception the class hands out (`def exception(self): return self._exc`),
            // re-raises or lets go later is kept on purpose; one also handed to another object
            // here is held there too, so dropping this reference would free nothing.
            if hands_out(semantic, attribute.attr.as_str())
                || passed_on_in_handler(checker, statement, value)
                || in_exception_class(checker)
                || given_to_constructor(checker, value)
            {
                return None;
            }
            Some(format!("on `{receiver}`"))
        }
        // `self._wanted[name] = exc`, raised again later as `raise self._wanted[name]`.
        Expr::Subscript(subscript) => {
            if attribute_of(target).is_some_and(|attribute| hands_out(semantic, attribute)) {
                return None;
            }
            long_lived_container(checker, &subscript.value)
        }
        Expr::Name(name) => {
            let binding_id = semantic.binding_at(name)?;
            let binding = semantic.binding(binding_id);
            match semantic.scope(binding.scope).kind {
                // Stores in module-level code keep only the frames of the import, once; a
                // function storing into a global keeps a new set on every failure.
                // One the module raises or returns again (`raise _startup_error[1]`) is kept
                // for that.
                ScopeKind::Module
                    if checker.scope() != SemanticModel::MODULE_SCOPE
                        && !module_hands_on(semantic, name.id.as_str()) =>
                {
                    Some(format!("in the global `{}`", name.id))
                }
                // A frame ↔ traceback cycle matters only while the function keeps running.
                // A nested function that reads it (to raise it later) keeps it on purpose.
                ScopeKind::Function(function)
                    if !semantic.is_captured(binding_id)
                        && holds_own_frame(checker, function, statement, value, 2)
                        && runs_long_after(checker, function, statement) =>
                {
                    let released_later = released_after(checker, statement, binding, target.end());
                    (!released_later).then(|| format!("in the local `{}`", name.id))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The loops that run on after `statement`: those around it, less the innermost one when the
/// statement's block leaves it (`error = exc; break`), and where that left loop ends.
fn loops_running_on<'a>(
    checker: &Checker<'a>,
    statement: &Stmt,
) -> (Vec<NodeRef<'a>>, Option<TextSize>) {
    let mut loops = checker.carrying_loops(None).unwrap_or_default();
    let left = if leaves_loop_after(checker.semantic(), statement) {
        loops.pop().map(|left| left.end())
    } else {
        None
    };
    (loops, left)
}

/// Whether the function keeps running after `statement` for long: a loop around it that is
/// not short, or a later statement with a long-running region (a loop, a wait, a sleep). In
/// a retry loop of a few passes (`for attempt in range(3)`) the exception lives through a few
/// backoffs at most: only what follows the loop counts.
fn runs_long_after(checker: &Checker, function: &StmtFunctionDef, statement: &Stmt) -> bool {
    let semantic = checker.semantic();
    let (loops, left) = loops_running_on(checker, statement);
    if loops
        .iter()
        .any(|around| semantic.loop_count(*around) != Size::Small)
    {
        return true;
    }
    let after = loops
        .first()
        .map(|outermost| outermost.end())
        .or(left)
        .unwrap_or(statement.end());
    semantic
        .scope_of(function)
        .and_then(|scope| semantic.last_region_start(scope))
        .is_some_and(|last| last > after)
}

/// Methods that read an exception without keeping it: logging and formatting.
const LOOKING_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "log",
    "format",
    "write",
];

/// Whether the function raises `name` later (`raise error`, `raise Failed() from error`,
/// `raise info[1].with_traceback(info[2])`), returns it, or passes it to code that handles it
/// (`results.put(error)`, `self._on_disconnect(error)`), itself or through a later alias
/// (`final = remote or error; raise final`): it hands the exception on, on purpose. A builtin
/// or a logger only looks at it. A call inside a loop that runs again does not end the
/// local's hold: it keeps the exception into the next passes; a call after the loop does.
/// Whether the local `binding` lets go of what it holds after `after`: any later rebinding
/// (`del`, `= None`, or a new value) drops the reference, and so does handing it on.
fn released_after(checker: &Checker, statement: &Stmt, binding: &Binding, after: TextSize) -> bool {
    checker
        .semantic()
        .bindings_named(binding.scope, binding.name)
        .any(|(_, other)| other.range.start() > after)
        || handed_on_later(checker, statement, binding.scope, binding.name, after)
}

fn handed_on_later(
    checker: &Checker,
    statement: &Stmt,
    scope: ScopeId,
    name: &str,
    after: TextSize,
) -> bool {
    let semantic = checker.semantic();
    let (loops, _) = loops_running_on(checker, statement);
    let runs_once_after = loops
        .iter()
        .find(|around| semantic.loop_count(**around) != Size::Small)
        .map_or(after, |outermost| outermost.end());
    let mut names = vec![name];
    for id in semantic.scope_nodes(scope) {
        if let NodeRef::Stmt(Stmt::Assign(assign)) = semantic.node(id) {
            if let ([Expr::Name(alias)], true) = (
                &*assign.targets,
                assign.start() > after && passes_through(&assign.value, &names),
            ) {
                names.push(alias.id.as_str());
            }
        }
    }
    let is_name =
        |expr: &Expr| matches!(expr, Expr::Name(read) if names.contains(&read.id.as_str()));
    let mentions =
        |expr: Option<&Expr>| expr.is_some_and(|expr| semantic.any_expr_in(expr, is_name));
    semantic
        .scope_nodes(scope)
        .any(|id| match semantic.node(id) {
            // `raise Failed(f"gave up: {errors}")` only formats them.
            NodeRef::Stmt(Stmt::Raise(raise)) if raise.start() > after => {
                let handed = |expr: &Expr| is_name(expr) && !formatted(semantic, expr);
                raise
                    .exc
                    .as_deref()
                    .is_some_and(|exc| semantic.any_expr_in(exc, handed))
                    || mentions(raise.cause.as_deref())
            }
            NodeRef::Stmt(Stmt::Return(ret)) if ret.start() > after => {
                ret.value.as_deref().is_some_and(is_name)
            }
            // `results[name] = error`: what it is stored in keeps it.
            NodeRef::Stmt(Stmt::Assign(assign)) if assign.start() > after => {
                passes_through(&assign.value, &names)
                    && assign
                        .targets
                        .iter()
                        .any(|target| matches!(target, Expr::Subscript(_) | Expr::Attribute(_)))
            }
            // `results.append(Outcome(source, error))` in the loop: the object or container
            // keeps it on purpose, so the local's hold costs nothing of its own.
            NodeRef::Expr(Expr::Call(call))
                if call.start() > after
                    && keeps_its_arguments(&call.func)
                    && call.arguments.args.iter().any(is_name) =>
            {
                true
            }
            NodeRef::Expr(Expr::Call(call)) if call.start() > runs_once_after => {
                let only_looks = semantic
                    .resolve(&call.func)
                    .is_some_and(|qualified| qualified.as_str().starts_with("builtins."))
                    || matches!(&*call.func, Expr::Attribute(method)
                        if LOOKING_METHODS.contains(&method.attr.as_str()));
                !only_looks
                    && call
                        .arguments
                        .args
                        .iter()
                        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                        .any(is_name)
            }
            _ => false,
        })
}

/// Whether a call keeps what it is given: a class making an object of it (`Outcome(...)`), or
/// a method that stores into its container (`results.append(...)`).
fn keeps_its_arguments(callee: &Expr) -> bool {
    match callee {
        Expr::Attribute(method) => STORING_METHODS.contains(&method.attr.as_str()),
        _ => {
            last_name(callee).is_some_and(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
        }
    }
}

/// Whether the `try` whose handler holds `statement` waits on a future (`future.result()`):
/// the future keeps the exception it raises, so the handler's copy frees nothing.
fn raised_by_future(checker: &Checker, statement: &Stmt) -> bool {
    let Some(try_stmt) = checker.ancestors().find_map(|ancestor| match ancestor {
        Ancestor::Stmt(Stmt::Try(try_stmt))
            if try_stmt
                .handlers
                .iter()
                .any(|handler| handler.range().contains_range(statement.range())) =>
        {
            Some(try_stmt)
        }
        _ => None,
    }) else {
        return false;
    };
    checker.semantic().any_expr_in_body(&try_stmt.body, |expr| {
        matches!(expr, Expr::Call(call) if matches!(&*call.func,
            Expr::Attribute(method) if method.attr.as_str() == "result"))
    })
}

/// Whether `expr` is read inside an f-string, or as what `str()`/`repr()` turn into text.
fn formatted(semantic: &SemanticModel, expr: &Expr) -> bool {
    semantic.node_id(expr).is_some_and(|id| {
        semantic
            .ancestors(id)
            .take_while(|ancestor| !matches!(semantic.node(*ancestor), NodeRef::Stmt(_)))
            .any(|ancestor| match semantic.node(ancestor) {
                NodeRef::Expr(Expr::FString(_)) => true,
                NodeRef::Expr(Expr::Call(call)) => {
                    semantic.resolves_to(&call.func, &["builtins.str", "builtins.repr"])
                }
                _ => false,
            })
    })
}

/// Whether any code of the module raises or returns the global `name`, or a part of it
/// (`raise _startup_error[1]`, `return _last_failure`).
fn module_hands_on(semantic: &SemanticModel, name: &str) -> bool {
    let is_name = |expr: &Expr| matches!(expr, Expr::Name(read) if read.id.as_str() == name);
    semantic
        .node_ids_of(&[NodeKind::StmtRaise, NodeKind::StmtReturn])
        .any(|id| match semantic.node(id) {
            NodeRef::Stmt(Stmt::Raise(raise)) => [raise.exc.as_deref(), raise.cause.as_deref()]
                .into_iter()
                .flatten()
                .any(|raised| semantic.any_expr_in(raised, is_name)),
            NodeRef::Stmt(Stmt::Return(ret)) => ret
                .value
                .as_deref()
                .is_some_and(|returned| semantic.any_expr_in(returned, is_name)),
            _ => false,
        })
}

/// Whether `value` evaluates to one of `names` itself: the name, or an operand of `or`/`and`
/// or of a conditional expression.
fn passes_through(value: &Expr, names: &[&str]) -> bool {
    match value {
        Expr::Name(name) => names.contains(&name.id.as_str()),
        Expr::BoolOp(bool_op) => bool_op
            .values
            .iter()
            .any(|operand| passes_through(operand, names)),
        Expr::If(if_exp) => {
            passes_through(&if_exp.body, names) || passes_through(&if_exp.orelse, names)
        }
        _ => false,
    }
}

/// Whether `value` holds the running function's own frame: its own caught exception (and that
/// exception's traceback), `sys.exc_info()` inside its own `except` clause, or the current
/// frame. Only then does a local holding it make a frame ↔ traceback cycle; a local walking
/// other frames (`frame.f_back`, `tb.tb_next`) does not.
fn holds_own_frame(
    checker: &Checker,
    function: &StmtFunctionDef,
    statement: &Stmt,
    value: &Expr,
    depth: u8,
) -> bool {
    let semantic = checker.semantic();
    match value {
        Expr::Name(name) => {
            let Some(binding) = semantic.binding_of(name).map(|id| semantic.binding(id)) else {
                return false;
            };
            if binding.scope != checker.scope() {
                return false;
            }
            match binding.kind {
                BindingKind::ExceptHandler => true,
                BindingKind::Assignment { value: Some(value) }
                | BindingKind::NamedExpr { value }
                    if depth > 0 =>
                {
                    holds_own_frame(checker, function, statement, value, depth - 1)
                }
                _ => false,
            }
        }
        Expr::Attribute(attribute) if attribute.attr.as_str() == "__traceback__" => {
            holds_own_frame(checker, function, statement, &attribute.value, depth)
        }
        Expr::Subscript(subscript) => {
            holds_own_frame(checker, function, statement, &subscript.value, depth)
        }
        Expr::Call(call) => {
            if semantic.resolves_to(&call.func, &["inspect.currentframe", "inspect.stack"]) {
                return true;
            }
            if semantic.resolves_to(&call.func, &["sys._getframe"]) {
                return match call.arguments.args.first() {
                    None => true,
                    Some(Expr::NumberLiteral(number)) => {
                        number.value.as_int().and_then(|int| int.as_u64()) == Some(0)
                    }
                    Some(_) => false,
                };
            }
            semantic.resolves_to(
                &call.func,
                &["sys.exc_info", "sys.exception", "inspect.trace"],
            ) && inside_except_clause(&function.body, statement.range())
        }
        _ => false,
    }
}

/// Whether `range` lies in the body of an `except` clause of `body` (not of a nested function).
fn inside_except_clause(body: &[Stmt], range: TextRange) -> bool {
    let Some(statement) = statements_containing(body, range).next() else {
        return false;
    };
    match statement {
        Stmt::Try(try_stmt) => {
            try_stmt.handlers.iter().any(|handler| {
                let ExceptHandler::ExceptHandler(handler) = handler;
                handler.range.contains_range(range)
            }) || [&try_stmt.body, &try_stmt.orelse, &try_stmt.finalbody]
                .iter()
                .any(|block| inside_except_clause(block, range))
        }
        Stmt::If(if_stmt) => {
            inside_except_clause(&if_stmt.body, range)
                || if_stmt
                    .elif_else_clauses
                    .iter()
                    .any(|clause| inside_except_clause(&clause.body, range))
        }
        Stmt::For(for_stmt) => {
            inside_except_clause(&for_stmt.body, range)
                || inside_except_clause(&for_stmt.orelse, range)
        }
        Stmt::While(while_stmt) => {
            inside_except_clause(&while_stmt.body, range)
                || inside_except_clause(&while_stmt.orelse, range)
        }
        Stmt::With(with) => inside_except_clause(&with.body, range),
        Stmt::Match(match_stmt) => match_stmt
            .cases
            .iter()
            .any(|case| inside_except_clause(&case.body, range)),
        _ => false,
    }
}

/// Whether `value` is a parameter of the `__init__` that stores it (`FailureArgs(error=exc)`):
/// the object is made to carry the exception, and whoever made it chose to keep it, where
/// EL306 judges the call (an exception handed to a constructor is handed on).
fn given_to_constructor(checker: &Checker, value: &Expr) -> bool {
    let semantic = checker.semantic();
    let ScopeKind::Function(function) = semantic.scope(checker.scope()).kind else {
        return false;
    };
    function.name.as_str() == "__init__" && is_parameter(semantic, value)
}

/// Whether the method storing it belongs to an exception class (`self.cause = sys.exc_info()`
/// in `MyError.__init__`): the cause lives as long as the new exception, as `__context__` does.
fn in_exception_class(checker: &Checker) -> bool {
    let semantic = checker.semantic();
    let Some(class_scope) = semantic.scope(checker.scope()).parent else {
        return false;
    };
    let ScopeKind::Class(class) = semantic.scope(class_scope).kind else {
        return false;
    };
    class.bases().iter().any(|base| {
        let Some(name) = last_name(base) else {
            return false;
        };
        ["Error", "Exception", "Warning"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
    })
}

/// A container that outlives the function: a module-level name or an attribute of `self`/`cls`.
fn long_lived_container(checker: &Checker, container: &Expr) -> Option<String> {
    let semantic = checker.semantic();
    match container {
        Expr::Name(name) => {
            let binding = semantic.binding(semantic.binding_of(name)?);
            matches!(semantic.scope(binding.scope).kind, ScopeKind::Module)
                .then(|| format!("in the module-level `{}`", name.id))
        }
        Expr::Attribute(attribute) => {
            self_or_cls(semantic, &attribute.value)?;
            Some(format!("in `{}`", checker.snippet(container)))
        }
        _ => None,
    }
}

/// The attribute `self._error` or `self.errors[key]` stores into.
fn attribute_of(target: &Expr) -> Option<&str> {
    match target {
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        Expr::Subscript(subscript) => attribute_of(&subscript.value),
        _ => None,
    }
}

/// Reports the store; one into `attribute` holds only if no module of the run hands that
/// attribute on (`raise self.protocol.handshake_exc` in another module).
fn report(
    checker: &mut Checker,
    statement: &Stmt,
    retained: Retained,
    place: &str,
    attribute: Option<&str>,
) {
    let Retained { what, keeps } = retained;
    let local = place.starts_with("in the local");
    let Some(diagnostic) = checker.report_sized(
        frame_data(checker),
        Some("nothing shows that the frames it keeps hold large data".to_string()),
        statement.range(),
        format!("{what} stored {place} keeps {keeps} alive"),
    ) else {
        return;
    };
    diagnostic.unless_handed_out_elsewhere = attribute.map(str::to_string).into_iter().collect();
    diagnostic.label = format!("the {what} outlives its handler here");
    if local {
        diagnostic.notes.push(
            "the local is never deleted or reset: frame → local → exception → traceback → frame is a reference cycle that only the cyclic garbage collector frees"
                .to_string(),
        );
        diagnostic.help = Some(
            "`del` the variable (or set it to `None`) in a `finally:` block once it is handled"
                .to_string(),
        );
    } else {
        diagnostic.help =
            Some("keep `str(error)` or `traceback.format_exc()` instead of the object".to_string());
    }
}

/// What the handler's own frame, which the traceback keeps, holds that is large: the first of
/// its locals shown to be (`frames = np.load(path)`). Frames of small locals cost little, and
/// the cyclic collector frees them in time; the finding is then unproven.
fn frame_data(checker: &Checker) -> Size {
    let semantic = checker.semantic();
    if !semantic.scope(checker.scope()).kind.is_function_like() {
        return Size::Unknown;
    }
    semantic
        .bindings_in(checker.scope())
        .find_map(|(id, binding)| match binding.kind {
            BindingKind::Assignment { value: Some(value) } => match semantic.size_of(value) {
                // A reply received only to be parsed is an API's answer, seldom data.
                Size::Large {
                    reason: BigReason::HttpBody,
                    ..
                } if semantic.only_parsed(id) => None,
                large @ Size::Large { .. } => Some(large),
                _ => None,
            },
            _ => None,
        })
        .unwrap_or(Size::Unknown)
}

/// Whether the module returns, raises, chains, passes on or resets to `None` an attribute named
/// `attr` (`return self._exception`, `raise self._error`, `future.set_exception(self._error)`,
/// `self._error = None`).
fn hands_out(semantic: &SemanticModel, attr: &str) -> bool {
    semantic
        .attributes_handed_out()
        .binary_search_by(|name| name.as_str().cmp(attr))
        .is_ok()
}

/// Whether the handler around `statement` also passes `value`'s name to a call
/// (`set_exception(self.queue, exc)`) or stores it on another object (`request.error = exc`):
/// another object holds the exception too.
fn passed_on_in_handler(checker: &Checker, statement: &Stmt, value: &Expr) -> bool {
    let Expr::Name(stored) = value else {
        return false;
    };
    let Some(handler) = checker.ancestors().find_map(|ancestor| match ancestor {
        Ancestor::Stmt(Stmt::Try(try_stmt)) => try_stmt.handlers.iter().find_map(|handler| {
            let ExceptHandler::ExceptHandler(handler) = handler;
            handler
                .range
                .contains_range(statement.range())
                .then_some(handler)
        }),
        _ => None,
    }) else {
        return false;
    };
    let semantic = checker.semantic();
    handler
        .body
        .iter()
        .filter(|other| other.range() != statement.range())
        .any(|other| {
            let is_stored = |expr: &Expr| matches!(expr, Expr::Name(name) if name.id == stored.id);
            let stored_elsewhere = matches!(other, Stmt::Assign(assign)
            if is_stored(&assign.value) && assign.targets.iter().any(|target| {
                matches!(target, Expr::Attribute(_) | Expr::Subscript(_))
            }));
            stored_elsewhere
                || semantic.any_expr_in(other, |expr| {
                    matches!(expr, Expr::Call(call) if call.arguments.args.iter().any(is_stored))
                })
        })
}
