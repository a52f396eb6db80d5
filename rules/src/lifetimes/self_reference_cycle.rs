use edgelint_diagnostics::Severity;
use edgelint_semantic::{
    last_name, BindingId, BindingKind, ScopeId, ScopeKind, SemanticModel, Size,
};
use ruff_python_ast::{Expr, NodeKind, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a method that stores on its own instance something that refers back to the
    /// instance: a bound method (`self.callback = self.on_data`), a lambda that reads `self`,
    /// a nested function that reads `self`, or an object made with one of those
    /// (`self.timer = PeriodicCallback(self.poll, 1000)`). Also a bound method registered on an
    /// object the instance holds (`self.client.on_message(self.handle)`,
    /// `self.bus.add_listener(self._on_event)`), and `weakref.finalize(self, self.close)`,
    /// whose bound method keeps the instance alive so the finalizer never runs before exit.
    /// The objects made with a bound method and the registered callbacks are how objects are
    /// wired together everywhere, so they are reported only with `--pedantic`.
    ///
    /// ## Why is this bad?
    /// A bound method holds its instance, so `self.callback = self.on_data` makes the instance
    /// refer to itself: a reference cycle. Reference counting can never free it; the instance,
    /// and everything it holds, waits for the cyclic collector, which may not run for a long
    /// time (or ever, with `gc.disable()`). Store a `weakref.WeakMethod`, or pass the function
    /// where it is needed instead of keeping it on the instance.
    ///
    /// Opt-in: the cycle is freed eventually, and many programs accept that.
    ///
    /// ## Example
    /// ```python
    /// class Stream:
    ///     def __init__(self, source):
    ///         self.source = source
    ///         self.on_chunk = self.handle_chunk
    ///
    ///     def handle_chunk(self, chunk):
    ///         return len(chunk)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// class Stream:
    ///     def __init__(self, source):
    ///         self.source = source
    ///         self.on_chunk = weakref.WeakMethod(self.handle_chunk)
    ///
    ///     def handle_chunk(self, chunk):
    ///         return len(chunk)
    /// ```
    pub static SELF_REFERENCE_CYCLE = {
        code: "EL307",
        name: "self-reference-cycle",
        family: Family::Lifetimes,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAssign, NodeKind::StmtExpr], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    // Told from the statement alone, before the method is looked at: most assignments store
    // into a local name.
    let may_store_on_instance = match statement {
        Stmt::Assign(assign) => assign.targets.iter().any(Expr::is_attribute_expr),
        // A call that passes something back.
        Stmt::Expr(expression) => {
            matches!(&*expression.value, Expr::Call(call) if !call.arguments.is_empty())
        }
        _ => false,
    };
    if !may_store_on_instance {
        return;
    }
    let semantic = checker.semantic();
    let ScopeKind::Function(method) = semantic.scope(checker.scope()).kind else {
        return;
    };
    let Some(class_scope) = semantic.scope(checker.scope()).parent else {
        return;
    };
    if !matches!(semantic.scope(class_scope).kind, ScopeKind::Class(_))
        || !is_instance_method(semantic, method)
    {
        return;
    }
    let Some(receiver) = method
        .parameters
        .iter()
        .next()
        .map(|parameter| parameter.name())
    else {
        return;
    };
    let Some(receiver_binding) = semantic.binding_at(receiver.range) else {
        return;
    };
    let receiver = receiver.as_str();
    let is_receiver = |expr: &Expr| matches!(expr, Expr::Name(name) if semantic.binding_of(name) == Some(receiver_binding));
    // `self.x`, or `self.x.y`: an object the instance holds.
    let held_by_self = |expr: &Expr| {
        let mut current = expr;
        while let Expr::Attribute(attribute) = current {
            if is_receiver(&attribute.value) {
                return true;
            }
            current = &attribute.value;
        }
        false
    };
    // What the message says, and whether it is the wiring of objects with callbacks, which
    // real code does everywhere (`self.button.clicked.connect(self.on_click)`): only with
    // `--pedantic`.
    let (message, wiring) = match statement {
        Stmt::Assign(assign) => {
            if !assign.targets.iter().any(&held_by_self) {
                return;
            }
            let direct = refers_back(semantic, class_scope, &assign.value, receiver_binding);
            let Some(what) = direct.or_else(|| {
                constructed_with(semantic, class_scope, &assign.value, receiver_binding)
            }) else {
                return;
            };
            (
                format!("storing {what} on `{receiver}` makes the instance refer to itself"),
                direct.is_none(),
            )
        }
        // `self.client.on_message(self.handle)`, `weakref.finalize(self, self.close)`.
        Stmt::Expr(expression) => {
            let Expr::Call(call) = &*expression.value else {
                return;
            };
            let registers_on_held = matches!(&*call.func, Expr::Attribute(method)
                if held_by_self(&method.value) && keeps_callback(method.attr.as_str()));
            let finalizer = semantic.resolves_to(&call.func, &["weakref.finalize"])
                && call.arguments.args.first().is_some_and(is_receiver);
            if !registers_on_held && !finalizer {
                return;
            }
            let bound = call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .any(|argument| {
                    refers_back(semantic, class_scope, argument, receiver_binding).is_some()
                });
            if !bound {
                return;
            }
            if finalizer {
                (format!("a finalizer given a bound method of `{receiver}` keeps the instance alive, so it never runs until exit"), false)
            } else {
                (format!("registering a bound method of `{receiver}` on an object it holds makes the instance refer to itself"), true)
            }
        }
        _ => return,
    };
    let diagnostic = if wiring {
        let Some(diagnostic) = checker.report_sized(
            Size::Unknown,
            Some("callbacks wired between objects an instance holds are common, and freed with the instance's cycle; whether this one must be freed sooner is not known".to_string()),
            statement.range(),
            message,
        ) else {
            return;
        };
        diagnostic
    } else {
        checker.report(statement.range(), message)
    };
    diagnostic.label = "a reference cycle only the cyclic garbage collector can free".to_string();
    diagnostic.help =
        Some("store a `weakref.WeakMethod`, or pass the function where it is needed".to_string());
}

/// `PeriodicCallback(self.poll, 1000)`, `threading.Timer(5, self.flush)`: an object made with
/// a bound method or closure of the instance (a constructor, by its capitalised name) holds it.
fn constructed_with(
    semantic: &SemanticModel,
    class_scope: ScopeId,
    value: &Expr,
    receiver: BindingId,
) -> Option<&'static str> {
    let Expr::Call(call) = value else {
        return None;
    };
    let callee = last_name(&call.func)?;
    // `weakref.WeakMethod(self.flush)` holds it weakly.
    let weak = semantic
        .resolve(&call.func)
        .is_some_and(|name| name.as_str().starts_with("weakref."));
    let constructor = callee.starts_with(|first: char| first.is_ascii_uppercase()) && !weak;
    let holds = call
        .arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
        .any(|argument| refers_back(semantic, class_scope, argument, receiver).is_some());
    (constructor && holds).then_some("an object made with a bound method of its own")
}

/// Methods that keep the callback they are given: `on_message`, `add_listener`,
/// `add_done_callback`, `subscribe`, `connect`, `register`, `bind`.
fn keeps_callback(method: &str) -> bool {
    let method = method.trim_start_matches('_');
    method.starts_with("on_")
        || method.starts_with("add_")
        || method.starts_with("register")
        || method.starts_with("subscribe")
        || matches!(method, "connect" | "bind" | "set_callback" | "callback")
}

/// A method whose first argument is an instance: not static, not a class method, not one of
/// the implicitly static or class methods (`__new__`, `__init_subclass__`).
fn is_instance_method(semantic: &SemanticModel, method: &StmtFunctionDef) -> bool {
    let decorated = method.decorator_list.iter().any(|decorator| {
        semantic.resolves_to(
            &decorator.expression,
            &["builtins.staticmethod", "builtins.classmethod"],
        )
    });
    let implicit = matches!(
        method.name.as_str(),
        "__new__" | "__init_subclass__" | "__class_getitem__"
    );
    !decorated && !implicit
}

/// What in `value` holds the instance: a bound method of its class, or a function that reads
/// the method's own `self` (not a local of the same name).
fn refers_back(
    semantic: &SemanticModel,
    class_scope: ScopeId,
    value: &Expr,
    receiver: BindingId,
) -> Option<&'static str> {
    // Whether the receiver is read somewhere in `range` (a closure capturing it).
    let read_in = |range: TextRange| {
        semantic
            .references_of(receiver)
            .iter()
            .any(|reference| range.contains_range(semantic.reference(*reference).range))
    };
    match value {
        Expr::Attribute(attribute) => {
            let Expr::Name(name) = &*attribute.value else {
                return None;
            };
            let method = semantic
                .scope(class_scope)
                .binding(attribute.attr.as_str())?;
            // A static or class method reached through `self` is not bound to the instance.
            let BindingKind::FunctionDef(method) = semantic.binding(method).kind else {
                return None;
            };
            // A decorated method may be a property or another descriptor: reading it need not
            // give a bound method.
            (semantic.binding_of(name) == Some(receiver) && method.decorator_list.is_empty())
                .then_some("a bound method of its own")
        }
        Expr::Lambda(lambda) => read_in(lambda.body.range()).then_some("a lambda that reads it"),
        Expr::Name(name) => {
            let BindingKind::FunctionDef(inner) = semantic.binding(semantic.binding_of(name)?).kind
            else {
                return None;
            };
            let (Some(first), Some(last)) = (inner.body.first(), inner.body.last()) else {
                return None;
            };
            read_in(TextRange::new(first.start(), last.end()))
                .then_some("a nested function that reads it")
        }
        _ => None,
    }
}
