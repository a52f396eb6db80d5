use edgelint_diagnostics::Severity;
use edgelint_semantic::{
    applied_at_import, BindingId, BindingKind, NodeRef, ScopeId, ScopeKind, SemanticModel, Size,
};
use ruff_python_ast::{Expr, ExprName, NodeKind, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::container_growth::{
    attribute_growth_sites, entry_size, grown_here, growth_size, handed_in, only_grower,
    unbounded_container, unknown_domain, unless_handed_out, ContainerKind,
};
use super::self_or_cls;
use crate::key_domains::{names_unbounded_domain, KeyDomain};
use crate::statements::{behind_switch_off, grows_only_while_small};
use crate::uses::{
    grown_at, grown_at_node, uses_of, Growth, UseKind, SHRINKING_METHODS, STORING_METHODS,
};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a module-level container (`[]`, `{}`, `set()`, `dict()`, `defaultdict(...)`,
    /// `OrderedDict()`, `Counter()`, `deque()` without `maxlen`) that functions grow
    /// (`append`, `add`, `update`, `setdefault`, `c[k] = v`, `+=`, `c[k].append(...)` on a
    /// defaultdict) and that nothing in the module ever shrinks (`pop`, `clear`, `remove`,
    /// `discard`, `del c[k]`, rebinding). Also a container in the body of a module-level class
    /// (`class Cache: replies = {}`), shared by the class and all its instances, grown at run
    /// time through the class (`Cache.replies[k] = v`, `cls.replies[k] = v`) or an instance
    /// (`self.replies[k] = v`) when no instance gets its own (`self.replies = {}`) and nothing
    /// in the run empties an attribute of that name.
    ///
    /// ## Why is this bad?
    /// A module-level container lives as long as the process. If every request, message or
    /// reading adds to it and nothing removes from it, memory grows for as long as the service
    /// runs: the slow leak that takes a device down after days. A bound (`lru_cache(maxsize=N)`,
    /// `deque(maxlen=N)`), weak references (`weakref.WeakValueDictionary`) or eviction keep
    /// it in check.
    ///
    /// Not flagged: containers filled only at import time (module-level code, registries
    /// filled by decorators applied at import, in this module or, for a module-level container
    /// grown by one function, in any module of the run: `@registry.codec(".json")`),
    /// containers with any shrink path (in another
    /// module of the run too: `state.SEEN.clear()`, `del SEEN[key]` after
    /// `from .state import SEEN`), `__all__`, containers passed to other functions (which
    /// might shrink them) or aliased, growth only while the container is small
    /// (`if not LOOPS: LOOPS.append(loop)`, `if len(CACHE) < 64:`), growth only in a
    /// registration function (`register_codec`, `add_model_config`), growth when a class is
    /// defined (a metaclass, `__init_subclass__`), growth behind a module switch that is off
    /// (`EXTRACT = False` ... `if EXTRACT:`), which only a tool turns on from outside, a set
    /// whose shrinking method is handed on to be called later
    /// (`task.add_done_callback(RUNNING.discard)`), and a dict display of settings that a setter
    /// overwrites (`_options[key] = value`).
    ///
    /// By default it reports a container grown with values that are new on every call, as
    /// their names or the objects they are read from show: requests, messages, connections,
    /// times, and the data a program receives (events, records, frames, samples; `request.path`,
    /// `msg["device_id"]`). A container keyed by the ids, paths, files or addresses of the
    /// things a program knows about (a timer's label, a source file, a URL, a device on a bus,
    /// `self`), or a pool of
    /// connections keyed by what they connect to (`pool[dsn] = duckdb.connect(dsn)`), holds one
    /// entry per thing, which is often few: it is reported by default only when each entry holds data shown to be
    /// large (a whole file), otherwise with `--pedantic`, as is a container grown with anything
    /// else. Grown only with literal keys or values from a small domain (types, devices,
    /// languages, modes, names), never. In a command-line program (one that reads its
    /// arguments and serves nothing, or a file in a `cli`, `scripts` or `tools` folder) the
    /// process lives as long as one input, and in code marked deprecated nobody will tune it:
    /// both only with `--pedantic`.
    ///
    /// A class body often keeps the bookkeeping of one run (`Task.clones[pathspec] = origin`
    /// while a workflow runs): a class-level container counts as grown per call only when a
    /// key is what the growing method was handed (`self.replies[request.id]`,
    /// `cls.opened.append(session_token)`); grown with keys its methods make, it is reported
    /// by default only when each entry holds data shown to be large.
    ///
    /// ## Example
    /// ```python
    /// SEEN = {}
    ///
    /// def handle(message):
    ///     SEEN[message.id] = message
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import collections
    ///
    /// SEEN = collections.OrderedDict()
    /// LIMIT = 10_000
    ///
    /// def handle(message):
    ///     SEEN[message.id] = message
    ///     if len(SEEN) > LIMIT:
    ///         SEEN.popitem(last=False)
    /// ```
    pub static UNBOUNDED_MODULE_CONTAINER = {
        code: "EL302",
        name: "unbounded-module-container",
        family: Family::Lifetimes,
        severity: Severity::Error,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAssign], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let Stmt::Assign(assign) = statement else {
        return;
    };
    let [Expr::Name(name)] = &*assign.targets else {
        return;
    };
    let semantic = checker.semantic();
    if let ScopeKind::Class(class) = semantic.scope(checker.scope()).kind {
        check_class_container(checker, statement, class, name, &assign.value);
        return;
    }
    if checker.scope() != SemanticModel::MODULE_SCOPE || name.id.as_str() == "__all__" {
        return;
    }
    let Some(kind) = unbounded_container(semantic, &assign.value) else {
        return;
    };
    let Some(binding) = semantic.binding_at(name) else {
        return;
    };
    // Bound once: a rebinding (also `global NAME; NAME = {}`) resets it.
    let bound_once = semantic
        .bindings_named(SemanticModel::MODULE_SCOPE, name.id.as_str())
        .filter(|(_, other)| !matches!(other.kind, BindingKind::AugmentedAssignment { .. }))
        .count()
        == 1;
    if !bound_once {
        return;
    }
    let Some(growth) = growth_sites(checker, binding, kind) else {
        return;
    };
    if growth.is_empty() {
        return;
    }
    let container = name.id.as_str();
    // What a registration function adds is what its callers register: configuration.
    let sites: Vec<TextRange> = growth
        .iter()
        .copied()
        .filter(|site| !in_registration_function(semantic, binding, *site))
        .collect();
    let growths: Vec<Option<Growth>> = sites
        .iter()
        .map(|site| grown_at(semantic, binding, *site))
        .collect();
    let Some((mut size, domain)) = growth_size(semantic, &growths) else {
        return;
    };
    // `_options = {"locale": ..., "width": ...}` set by `_options[key] = value`: settings,
    // whose setter overwrites the keys the module wrote, unless the keys are per call.
    if domain < KeyDomain::PerCall && is_settings_display(&assign.value) {
        return;
    }
    // Nobody tunes code they are removing.
    let deprecated = sites.iter().all(|site| {
        semantic
            .reference_of(binding, *site)
            .is_some_and(|reference| semantic.is_deprecated(reference.scope))
    });
    if deprecated {
        size = Size::Unknown;
    }
    let unknown = (size == Size::Unknown).then(|| match domain {
        _ if deprecated => "it grows only in code marked deprecated, on its way out".to_string(),
        _ => unknown_domain(domain, container),
    });
    let (size, unknown) = checker.over_process_life(size, unknown);
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        statement.range(),
        format!("module-level `{container}` grows at run time and nothing ever removes from it"),
    ) else {
        return;
    };
    diagnostic.label = format!("`{container}` lives as long as the process");
    diagnostic.unless_shrunk_elsewhere = Some(container.to_string());
    // Grown only by one decorator, which other modules may apply while they load: then it is
    // a registry filled at import.
    let scopes = growth.iter().map(|site| {
        semantic
            .reference_of(binding, *site)
            .map(|reference| reference.scope)
    });
    diagnostic.unless_handed_out_elsewhere = only_grower(semantic, scopes)
        .map(|(function, returned)| applied_at_import(function, returned))
        .into_iter()
        .collect();
    diagnostic
        .secondary
        .extend(grown_here(growth.iter().copied()));
    diagnostic.help = Some(
        "bound it: `functools.lru_cache` with a `maxsize` instead of a dict cache, a `collections.deque` with a `maxlen`, a `weakref.WeakValueDictionary`, or evict old entries".to_string(),
    );
}

/// A container a module-level class holds in its body (`class Registry: handlers = {}`),
/// shared by the class and all its instances, grown at run time through the class
/// (`Registry.handlers[key] = ...`, `cls.handlers[key] = ...`) or an instance
/// (`self.handlers[key] = ...`) and never emptied. An instance attribute of the same name
/// (`self.handlers = {}` in `__init__`) makes it per object: then it is EL309's question.
fn check_class_container(
    checker: &mut Checker,
    statement: &Stmt,
    class: &StmtClassDef,
    name: &ExprName,
    value: &Expr,
) {
    let semantic = checker.semantic();
    let class_scope = checker.scope();
    if semantic.scope(class_scope).parent != Some(SemanticModel::MODULE_SCOPE) {
        return;
    }
    let Some(kind) = unbounded_container(semantic, value) else {
        return;
    };
    let attribute = name.id.as_str();
    let class_name = class.name.as_str();
    let in_own_method = |owner: &Expr| class.range().contains_range(owner.range());
    let is_receiver = |receiver: &Expr| match receiver {
        Expr::Name(owner) if owner.id.as_str() == class_name => true,
        // `self.handlers`, `cls.handlers` in the class's own methods.
        Expr::Name(_) => in_own_method(receiver) && self_or_cls(semantic, receiver).is_some(),
        // `type(self).handlers`, `self.__class__.handlers`: the class, through an instance.
        _ => class_of_self(semantic, receiver).is_some_and(in_own_method),
    };
    let Some(mut sites) = attribute_growth_sites(
        semantic,
        semantic.attribute_nodes(attribute),
        attribute,
        kind,
        is_receiver,
        |_| false,
    ) else {
        return;
    };
    // Growth while the module loads, when a class is defined or in a registration function
    // is configuration.
    sites.retain(|site| {
        !semantic.at_import_time(*site) && !configures(semantic, semantic.node_scope(*site))
    });
    if sites.is_empty() {
        return;
    }
    let growths: Vec<Option<Growth>> = sites
        .iter()
        .map(|site| grown_at_node(semantic, *site))
        .collect();
    let Some((mut size, domain)) = growth_size(semantic, &growths) else {
        return;
    };
    let shown = format!("{class_name}.{attribute}");
    // A class body often keeps the bookkeeping of one run (`Task.clones[pathspec] = origin`
    // while a workflow runs): growth is per call only when the key is what the growing method
    // was handed (a request, a message, a connection); otherwise only large entries count.
    let per_call = domain == KeyDomain::PerCall
        && growths
            .iter()
            .flatten()
            .any(|growth| handed_in(semantic, growth.key));
    let unknown = if domain == KeyDomain::PerCall && !per_call {
        size = entry_size(semantic, &growths);
        (size == Size::Unknown).then(|| format!("`{shown}` is grown with keys its methods make, not ones they are handed: whether it grows on every call of a long-running program is not known"))
    } else {
        (size == Size::Unknown).then(|| unknown_domain(domain, &shown))
    };
    let (size, unknown) = checker.over_process_life(size, unknown);
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        statement.range(),
        format!("class-level `{shown}` grows at run time and nothing ever removes from it"),
    ) else {
        return;
    };
    diagnostic.label = format!("`{shown}` lives as long as the process, shared by every instance");
    diagnostic.unless_handed_out_elsewhere = unless_handed_out(semantic, attribute, &sites);
    diagnostic.secondary.extend(grown_here(
        sites.iter().map(|site| semantic.node(*site).range()),
    ));
    diagnostic.help = Some(
        "bound it (a `collections.deque` with a `maxlen`, an LRU cache), hold the entries weakly (`weakref.WeakValueDictionary`), or evict old entries".to_string(),
    );
}

/// The `self` of `type(self)` or `self.__class__`, in a method: the class the method's
/// instance belongs to, where a class-level container can be grown or reset as through `cls`.
fn class_of_self<'e>(semantic: &SemanticModel, receiver: &'e Expr) -> Option<&'e Expr> {
    let instance = match receiver {
        Expr::Call(call)
            if call.arguments.args.len() == 1
                && call.arguments.keywords.is_empty()
                && semantic.resolves_to(&call.func, &["builtins.type"]) =>
        {
            &call.arguments.args[0]
        }
        Expr::Attribute(attribute) if attribute.attr.as_str() == "__class__" => &attribute.value,
        _ => return None,
    };
    (self_or_cls(semantic, instance) == Some("self")).then_some(instance)
}

/// Whether code in `scope` configures rather than handles data: a function that runs when a
/// class is defined (a metaclass's, `__init_subclass__`), or one that registers what its
/// caller hands it (`register_codec`).
fn configures(semantic: &SemanticModel, scope: ScopeId) -> bool {
    let current = semantic.scope(scope);
    let ScopeKind::Function(function) = current.kind else {
        return false;
    };
    defines_classes(semantic, function, current.parent) || is_registration(function)
}

/// Whether `value` is a dict display of settings: entries under string keys, and at least one.
fn is_settings_display(value: &Expr) -> bool {
    matches!(value, Expr::Dict(dict) if !dict.items.is_empty()
    && dict.items.iter().all(|item| {
        item.key.as_ref().is_some_and(Expr::is_string_literal_expr)
    }))
}

/// Where functions grow the container, or `None` when something may shrink it, or it escapes
/// where this module cannot see.
fn growth_sites(
    checker: &Checker,
    binding: BindingId,
    kind: ContainerKind,
) -> Option<Vec<TextRange>> {
    let semantic = checker.semantic();
    let module = checker.module();
    let mut growth = Vec::new();
    for (range, use_kind) in uses_of(&module.body, semantic, binding) {
        let shrinks = match use_kind {
            UseKind::MethodCall(method) => SHRINKING_METHODS.contains(&method),
            UseKind::ItemDelete | UseKind::Deleted | UseKind::SliceStore => true,
            UseKind::Argument { callee } => semantic
                .resolve(callee)
                .is_none_or(|name| name.builtin().is_none()),
            kind => kind.escapes(),
        };
        if shrinks {
            return None;
        }
        let grows = match use_kind {
            UseKind::MethodCall(method) => STORING_METHODS.contains(&method),
            UseKind::ItemStore | UseKind::AugmentedAssign => true,
            UseKind::ItemMethodCall(method) => {
                kind == ContainerKind::DefaultDict && STORING_METHODS.contains(&method)
            }
            _ => false,
        };
        // `if not LOOPS: LOOPS.append(loop)` fills it once; `if len(CACHE) < 64:` caps it.
        // `if ENABLE_EXTRACTION:` grows it only when a tool turns the switch on.
        if grows
            && !grows_only_while_small(
                semantic,
                &module.body,
                range,
                semantic.binding(binding).name,
            )
            && !behind_switch_off(semantic, &module.body, range)
        {
            growth.push(range);
        }
    }
    // Only now, for the few containers that grow, find what runs at import.
    if !growth.is_empty() {
        let import_time = ImportTimeFunctions::of(semantic);
        growth.retain(|range| runs_after_import(semantic, &import_time, binding, *range));
    }
    Some(growth)
}

/// Whether the read of `binding` at `range` runs after the module has loaded: inside a
/// function that is not a decorator applied (or called) by module-level code.
fn runs_after_import(
    semantic: &SemanticModel,
    import_time: &ImportTimeFunctions,
    binding: BindingId,
    range: TextRange,
) -> bool {
    let Some(reference) = semantic.reference_of(binding, range) else {
        return false;
    };
    // Inside a function or lambda, unless one of the enclosing functions runs at import (a
    // decorator, or the function a decorator factory returns).
    let mut in_function = false;
    let mut scope = Some(reference.scope);
    while let Some(id) = scope {
        let current = semantic.scope(id);
        match current.kind {
            ScopeKind::Function(function)
                if import_time.names.contains(&function.name.as_str())
                    || defines_classes(semantic, function, current.parent) =>
            {
                return false;
            }
            ScopeKind::Function(_) | ScopeKind::Lambda(_) => in_function = true,
            _ => {}
        }
        scope = current.parent;
    }
    in_function
}

/// Whether `function` runs when a class is defined, which is at import: `__init_subclass__`,
/// `__set_name__`, or a method of a metaclass (a class derived from `type`, such as
/// `class _CipherMetaclass(type)` registering each cipher class as it is made).
fn defines_classes(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    parent: Option<ScopeId>,
) -> bool {
    if matches!(function.name.as_str(), "__init_subclass__" | "__set_name__") {
        return true;
    }
    let Some(ScopeKind::Class(class)) = parent.map(|scope| semantic.scope(scope).kind) else {
        return false;
    };
    class.bases().iter().any(|base| {
        semantic.resolves_to(base, &["builtins.type", "abc.ABCMeta", "enum.EnumMeta"])
            || matches!(base, Expr::Name(name) if name.id.ends_with("Meta") || name.id.ends_with("Metaclass"))
    })
}

/// Functions that module-level code applies as decorators, calls, or deletes while the module
/// loads: their bodies run at import, if at all.
#[derive(Default)]
struct ImportTimeFunctions<'a> {
    names: Vec<&'a str>,
}

impl<'a> ImportTimeFunctions<'a> {
    /// Read from the module's own code (class bodies included, function bodies and lambdas
    /// not), in the model's nodes.
    fn of(semantic: &SemanticModel<'a>) -> Self {
        let mut found = ImportTimeFunctions::default();
        let mut nodes = semantic.scope_nodes(SemanticModel::MODULE_SCOPE);
        while let Some(id) = nodes.next() {
            match semantic.node(id) {
                // A function deleted while the module loads can only have run during the load.
                NodeRef::Stmt(Stmt::Delete(delete)) => {
                    for target in &delete.targets {
                        found.note_callee(target);
                    }
                    nodes.skip_descendants(id);
                }
                // Decorators run at import; a function body runs later.
                NodeRef::Stmt(Stmt::FunctionDef(function)) => {
                    for decorator in &function.decorator_list {
                        found.note_callee(&decorator.expression);
                    }
                    nodes.skip_descendants(id);
                }
                // A class body runs at import too; its decorators count as applied.
                NodeRef::Stmt(Stmt::ClassDef(class)) => {
                    for decorator in &class.decorator_list {
                        found.note_callee(&decorator.expression);
                    }
                }
                // The decorators and bases of a class (the expressions it holds directly)
                // are not looked into.
                NodeRef::Expr(_)
                    if semantic.parent(id).is_some_and(|parent| {
                        matches!(semantic.node(parent), NodeRef::Stmt(Stmt::ClassDef(_)))
                    }) =>
                {
                    nodes.skip_descendants(id);
                }
                NodeRef::Expr(Expr::Lambda(_)) => nodes.skip_descendants(id),
                NodeRef::Expr(Expr::Call(call)) => found.note_callee(&call.func),
                _ => {}
            }
        }
        found
    }

    fn note_callee(&mut self, expr: &'a Expr) {
        let target = match expr {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        if let Expr::Name(name) = target {
            self.names.push(name.id.as_str());
        }
    }
}

/// Whether the growth at `site` is in a function that registers what its caller hands it
/// (`register_codec`, `install_handler`, `add_model_config`): callers call it to configure the
/// program, not once per item of data. `add_` followed by a word of data (`add_event`,
/// `add_sample`) is not registration.
fn in_registration_function(semantic: &SemanticModel, binding: BindingId, site: TextRange) -> bool {
    let Some(reference) = semantic.reference_of(binding, site) else {
        return false;
    };
    let ScopeKind::Function(function) = semantic.scope(reference.scope).kind else {
        return false;
    };
    is_registration(function)
}

/// Whether `function` is named for registering what its caller hands it (`register_codec`,
/// `install_handler`, `add_model_config`; not `add_event`, whose word is data).
fn is_registration(function: &StmtFunctionDef) -> bool {
    let name = function.name.trim_start_matches('_').to_ascii_lowercase();
    if ["register", "install", "attach"]
        .iter()
        .any(|verb| name.starts_with(verb))
    {
        return true;
    }
    name.strip_prefix("add_")
        .is_some_and(|what| !names_unbounded_domain(what))
}
