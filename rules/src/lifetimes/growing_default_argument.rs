use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::Origin;
use edgelint_semantic::{BindingId, BindingKind, NodeRef, ScopeId, SemanticModel, Size, Target};
use ruff_python_ast::helpers::is_docstring_stmt;
use ruff_python_ast::{Expr, ExprCall, NodeKind, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::dies_with_its_caller;
use crate::checker::help_code;
use crate::key_domains::{is_bounded_key, key_domain, KeyDomain};
use crate::mutation::dotted_path;
use crate::statements::{grows_only_while_small, leaves_unless_empty};
use crate::uses::{grown_at, grown_with, uses_of, UseKind, SHRINKING_METHODS, STORING_METHODS};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a mutable default argument (`[]`, `{}`, `set()`, `list()`, `dict()`,
    /// `collections.defaultdict(...)`, `OrderedDict()`, `deque()`, `Counter()`) that the
    /// function grows (`append`, `extend`, `insert`, `add`, `update`, `setdefault`, item
    /// assignment, `+=`) and never empties or rebinds. Also a default a method stores on `self`
    /// as it is (`self.readings = readings`) that another method of the class grows, when no
    /// method of the class empties or replaces it: every instance made without the argument
    /// shares it.
    ///
    /// ## Why is this bad?
    /// A default value is created once, when the `def` runs, and shared by every call that
    /// does not pass the argument. Growing it makes every such call add to the same container,
    /// which is never freed: memory grows for the life of the process, O(calls) in total. On a
    /// service that runs for months this is a leak, and usually a correctness bug as well.
    ///
    /// Defaults that are only read, and the `None` sentinel idiom, are fine and not flagged,
    /// and so is a default filled only while it is empty (`if not items: items.append(x)`,
    /// or a memo that returns first whenever it holds something: `if cache: return cache[0]`)
    /// or capped (`if len(cache) < 64:`), a dict updated only with keys written in the call
    /// (`params.update(sample_rate=sr)`, `params.update({"seed": s})`) or only set under
    /// literal keys, constants or keys from a small domain (`headers["User-Agent"] = agent`,
    /// `data[Remote.CONTROL] = mode`, `counts[kind] = n`), and the defaults of protocol methods
    /// other than `__init__`, `__new__` and `__call__` (`__deepcopy__(self, memo={})`), which
    /// Python always calls with every argument. When every call of the function in its module
    /// passes the argument, the default is not used there: reported with `--pedantic` only.
    /// So is a mapping or set keyed by the ids, paths or instances of the things a program
    /// knows about (`routes[path] = handler`, `memo[id(self)] = copy`), unless each entry is
    /// shown to hold large data: a second call for the same thing replaces its entry, so it
    /// grows with the number of things, not of calls.
    ///
    /// In a command-line program (one that reads its arguments and serves nothing, or a file in
    /// a `cli`, `scripts` or `tools` folder) the process lives as long as one input: reported
    /// only with `--pedantic` there.
    ///
    /// ## Example
    /// ```python
    /// def record(event, history=[]):
    ///     history.append(event)
    ///     return history
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def record(event, history=None):
    ///     if history is None:
    ///         history = []
    ///     history.append(event)
    ///     return history
    /// ```
    ///
    /// ## Fix safety
    /// The fix makes the default `None` and creates a fresh container at the start of the
    /// body. It is unsafe: a caller that relied on the shared container accumulating across
    /// calls (a deliberate cache) changes behaviour. It is offered only for parameters without
    /// an annotation, in functions whose body starts on its own line.
    pub static GROWING_DEFAULT_ARGUMENT = {
        code: "EL305",
        name: "growing-default-argument",
        family: Family::Lifetimes,
        severity: Severity::Error,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: false,
        hooks: &[Hook::Function(check)],
    }
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    let semantic = checker.semantic();
    // Python passes every argument of a protocol method (`__deepcopy__(self, memo={})` always
    // gets `copy.deepcopy`'s memo): its defaults are never used. Constructors and `__call__`
    // are called by users, who may leave arguments out.
    let name = function.name.as_str();
    if name.len() > 4
        && name.starts_with("__")
        && name.ends_with("__")
        && !matches!(name, "__init__" | "__new__" | "__call__")
    {
        return;
    }
    // A function defined inside another gets fresh defaults every time the outer one runs:
    // unless it escapes (returned, stored, registered as a callback), they die with the call.
    if dies_with_its_caller(semantic, checker.scope(), function) {
        return;
    }
    for parameter in function.parameters.iter() {
        let Some(default) = parameter.default() else {
            continue;
        };
        let Some((container, is_mapping)) = mutable_container(checker, default) else {
            continue;
        };
        let name = parameter.name();
        let Some(binding) = semantic.binding_at(name) else {
            continue;
        };
        // Rebinding the parameter (other than `+=`, which grows a list in place) means the
        // body may be working on a fresh object.
        let scope = semantic.binding(binding).scope;
        let rebound = semantic
            .bindings_named(scope, name.as_str())
            .any(|(id, other)| {
                id != binding && !matches!(other.kind, BindingKind::AugmentedAssignment { .. })
            });
        if rebound {
            continue;
        }
        let uses = uses_of(&function.body, semantic, binding);
        let shrinks = uses.iter().any(|(_, kind)| match kind {
            UseKind::MethodCall(method) => SHRINKING_METHODS.contains(method),
            UseKind::ItemDelete => true,
            _ => false,
        });
        // `items[0] = x` replaces an element of a list; only a mapping grows by a new key.
        // `options.update(seed=s)` sets one key, which later calls replace.
        let growth = uses.iter().find(|(range, kind)| match kind {
            UseKind::MethodCall("update") => !updates_fixed_keys(semantic, scope, *range),
            // `kwargs.setdefault("HOST", host)` and `seen.add("x")` put in the same key on
            // every call; `append` adds one more element each time, whatever it is.
            UseKind::MethodCall("setdefault" | "add") => {
                !grown_with(semantic, binding, *range).is_some_and(is_bounded_key)
            }
            UseKind::MethodCall(method) => STORING_METHODS.contains(method),
            // `headers["User-Agent"] = agent` sets the same key on every call, and
            // `models[device] = m` one per device.
            UseKind::ItemStore => {
                is_mapping && !grown_with(semantic, binding, *range).is_some_and(is_bounded_key)
            }
            UseKind::AugmentedAssign => true,
            _ => false,
        });
        if shrinks || shrunk_through_self(semantic, function, binding) {
            continue;
        }
        // `if not items: items.append(first)` fills it once; `if len(items) < 64:` caps it;
        // `if items: return items[0]` before the growth makes a memo of one call's result.
        if growth.is_some_and(|(growth, _)| {
            grows_only_while_small(semantic, &function.body, *growth, name.as_str())
                || leaves_unless_empty(&function.body, *growth, name.as_str())
        }) {
            continue;
        }
        // Or stored on `self` as it is (`self.items = items`) and grown by another method.
        // A key stored again replaces its entry; an element appended again is one more.
        let per_thing = growth.is_some_and(|(growth, kind)| {
            matches!(
                kind,
                UseKind::ItemStore | UseKind::MethodCall("setdefault" | "add")
            ) && grown_per_thing(semantic, binding, *growth)
        });
        let (growth, grower) = match growth {
            Some((growth, _)) => (*growth, None),
            None => match grown_through_self(semantic, function, binding, is_mapping) {
                Some((growth, attribute)) => (growth, Some(attribute)),
                None => continue,
            },
        };
        let fix = fix(
            checker,
            function,
            parameter.annotation().is_some(),
            name.as_str(),
            default,
        );
        // The growth is the evidence: one more element on every call that leaves it out.
        let grown = match &grower {
            None => "grown here, and never emptied".to_string(),
            Some(attribute) => format!("grown here through `{attribute}`, and never emptied"),
        };
        let evidence = checker.evidence(Origin::Here(growth), || grown);
        let runs_once = checker.runs_once();
        let diagnostic = checker.report(
            default.range(),
            format!(
                "default `{container}` of `{}` is created once and grows with every call",
                name.as_str()
            ),
        );
        diagnostic.label = "shared by every call that does not pass the argument".to_string();
        diagnostic.evidence = evidence;
        // Every call in sight passes the argument: the default is not used there.
        if runs_once {
            diagnostic.unproven = Some(crate::checker::RUNS_ONCE.to_string());
        } else if per_thing {
            diagnostic.unproven = Some(format!(
                "`{}` holds one entry per id, path or instance it is keyed by, replaced when that comes again: whether there are few or many is not known",
                name.as_str()
            ));
        } else if always_passed(semantic, function, name.as_str()) {
            diagnostic.unproven = Some(format!(
                "every call of `{}()` in this module passes `{}`: whether others leave it out is not known",
                function.name,
                name.as_str()
            ));
        }
        let guard = format!("if {0} is None: {0} = {container}", name.as_str());
        diagnostic.help = Some(match help_code(&guard) {
            Some(code) => {
                format!("default to `None` and create the container in the body: `{code}`")
            }
            None => "default to `None` and create the container in the body".to_string(),
        });
        diagnostic.fix = fix;
    }
}

/// Whether the default grows at `site` by a key naming one of the things the program knows
/// about (`routes[path]`, `memo[id(self)]`), with a value not shown to be large: a second call
/// for the same thing replaces its entry, so it grows with the number of things, not of calls.
fn grown_per_thing(semantic: &SemanticModel, binding: BindingId, site: TextRange) -> bool {
    grown_at(semantic, binding, site).is_some_and(|growth| {
        key_domain(semantic, growth.key) == KeyDomain::Entities
            && !growth
                .value
                .is_some_and(|value| matches!(semantic.size_of(value), Size::Large { .. }))
    })
}

/// Whether the `update` call on the name read at `receiver` sets only keys written in it.
fn updates_fixed_keys(semantic: &SemanticModel, scope: ScopeId, receiver: TextRange) -> bool {
    semantic.scope_nodes(scope).any(|id| {
        matches!(semantic.node(id), NodeRef::Expr(Expr::Call(call))
            if matches!(&*call.func, Expr::Attribute(method) if method.value.range() == receiver)
                && sets_fixed_keys(call))
    })
}

/// Whether the module calls `function` and every call passes `parameter`, by keyword or in its
/// place (a method called through an object passes `self` itself).
fn always_passed(semantic: &SemanticModel, function: &StmtFunctionDef, parameter: &str) -> bool {
    let parameters = &function.parameters;
    let place = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .position(|positional| positional.parameter.name.as_str() == parameter);
    let bound_receiver = usize::from(semantic.class_of(function).is_some());
    let calls = semantic.calls_to(function);
    !calls.is_empty()
        && calls.iter().all(|id| match semantic.node(*id) {
            NodeRef::Expr(Expr::Call(call)) => {
                place.is_some_and(|place| call.arguments.args.len() + bound_receiver > place)
                    || call.arguments.find_keyword(parameter).is_some()
            }
            _ => false,
        })
}

/// Whether an `update` call sets only keys written in it: by keyword (`update(seed=s)`, no
/// `**`), in a dict display with literal keys (`update({"seed": s})`) or in a `dict(...)` call
/// made of keywords (`update(dict(seed=s))`). The default then holds those keys at most, and
/// later calls replace their values.
fn sets_fixed_keys(call: &ExprCall) -> bool {
    let by_keyword = |call: &ExprCall| {
        call.arguments.args.is_empty()
            && !call.arguments.keywords.is_empty()
            && call
                .arguments
                .keywords
                .iter()
                .all(|keyword| keyword.arg.is_some())
    };
    match &*call.arguments.args {
        [] => by_keyword(call),
        [_] if !call.arguments.keywords.is_empty() => false,
        [Expr::Dict(dict)] => dict.items.iter().all(|item| {
            matches!(
                item.key,
                Some(Expr::StringLiteral(_) | Expr::NumberLiteral(_))
            )
        }),
        [Expr::Call(made)] => {
            matches!(&*made.func, Expr::Name(function) if function.id.as_str() == "dict")
                && by_keyword(made)
        }
        _ => false,
    }
}

/// `self.items` for `self.items = items` in the method itself, where `items` is `parameter`.
fn stored_on_self(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    parameter: BindingId,
) -> Option<String> {
    let scope = semantic.scope_of(function)?;
    semantic
        .own_node_kinds(scope)
        .filter(|(_, kind)| *kind == NodeKind::StmtAssign)
        .find_map(|(id, _)| match semantic.node(id) {
            NodeRef::Stmt(Stmt::Assign(assign)) => match (&*assign.targets, &*assign.value) {
                ([target @ Expr::Attribute(_)], Expr::Name(value))
                    if semantic.binding_of(value) == Some(parameter) =>
                {
                    dotted_path(target).filter(|path| path.starts_with("self."))
                }
                _ => None,
            },
            _ => None,
        })
}

/// Whether a method of the class shrinks the attribute the method stores the parameter under
/// (`self.modality = modality` ... `self.modality.remove("mask")`): that shrinks the default.
fn shrunk_through_self(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    parameter: BindingId,
) -> bool {
    let (Some(class), Some(stored)) = (
        semantic.class_of(function),
        stored_on_self(semantic, function, parameter),
    ) else {
        return false;
    };
    let on_attribute = |expr: &Expr| dotted_path(expr).is_some_and(|path| path == stored);
    semantic.methods(class).any(|(_, body)| {
        semantic
            .own_node_kinds(body)
            .filter(|(_, kind)| matches!(kind, NodeKind::ExprCall | NodeKind::StmtDelete))
            .any(|(id, _)| match semantic.node(id) {
                NodeRef::Expr(Expr::Call(call)) => matches!(&*call.func, Expr::Attribute(method)
                    if SHRINKING_METHODS.contains(&method.attr.as_str())
                        && on_attribute(&method.value)),
                NodeRef::Stmt(Stmt::Delete(delete)) => delete.targets.iter().any(
                    |target| matches!(target, Expr::Subscript(item) if on_attribute(&item.value)),
                ),
                _ => false,
            })
    })
}

/// For a method that stores the parameter on `self` as it is (`self.items = items`): where
/// another method of the class grows `self.items`, when no method replaces or deletes it
/// (the caller has made sure none shrinks it: [`shrunk_through_self`]). Every instance made without the argument then shares one container that
/// grows for the life of the process.
fn grown_through_self(
    semantic: &SemanticModel,
    function: &StmtFunctionDef,
    parameter: BindingId,
    is_mapping: bool,
) -> Option<(TextRange, String)> {
    let class = semantic.class_of(function)?;
    let stored = stored_on_self(semantic, function, parameter)?;
    let mut growth = None;
    for (method, body) in semantic.methods(class) {
        let other_method = !std::ptr::eq(method, function);
        // The kinds of node the match below looks at: the others are not read from the tree.
        const GROWS_OR_REPLACES: [NodeKind; 4] = [
            NodeKind::ExprCall,
            NodeKind::StmtAssign,
            NodeKind::StmtAugAssign,
            NodeKind::StmtDelete,
        ];
        let nodes = semantic.own_node_kinds(body);
        for (id, _) in nodes.filter(|(_, kind)| GROWS_OR_REPLACES.contains(kind)) {
            let on_attribute = |expr: &Expr| dotted_path(expr).is_some_and(|path| path == stored);
            match semantic.node(id) {
                NodeRef::Expr(Expr::Call(call)) => {
                    let Expr::Attribute(method_called) = &*call.func else {
                        continue;
                    };
                    if !on_attribute(&method_called.value) {
                        continue;
                    }
                    let name = method_called.attr.as_str();
                    // `self.options.setdefault("iou", 0.5)` puts in the same key every time.
                    let replaces = match name {
                        "update" => sets_fixed_keys(call),
                        "setdefault" | "add" => {
                            call.arguments.args.first().is_some_and(is_bounded_key)
                        }
                        _ => false,
                    };
                    if STORING_METHODS.contains(&name) && other_method && !replaces {
                        growth.get_or_insert(call.range());
                    }
                }
                NodeRef::Stmt(Stmt::Assign(assign)) => {
                    for target in &assign.targets {
                        match target {
                            // Replaced: the default may be dropped.
                            target if on_attribute(target) && other_method => return None,
                            Expr::Subscript(item)
                                if on_attribute(&item.value)
                                    && is_mapping
                                    && other_method
                                    && !is_bounded_key(&item.slice) =>
                            {
                                growth.get_or_insert(assign.range());
                            }
                            _ => {}
                        }
                    }
                }
                NodeRef::Stmt(Stmt::AugAssign(assign))
                    if on_attribute(&assign.target) && other_method =>
                {
                    growth.get_or_insert(assign.range());
                }
                // Deleted: the default may be dropped. (Shrinking it is `shrunk_through_self`.)
                NodeRef::Stmt(Stmt::Delete(delete)) if delete.targets.iter().any(on_attribute) => {
                    return None;
                }
                _ => {}
            }
        }
    }
    Some((growth?, stored))
}

/// The display text of a mutable container default, such as `[]` or `defaultdict(list)`, and
/// whether it is a mapping.
fn mutable_container(checker: &Checker, default: &Expr) -> Option<(String, bool)> {
    let semantic = checker.semantic();
    let is_mapping = match default {
        Expr::Dict(_) => true,
        Expr::List(_) | Expr::Set(_) => false,
        Expr::Call(call) if semantic.resolves_to(&call.func, MAPPINGS) => true,
        Expr::Call(call) if semantic.resolves_to(&call.func, SEQUENCES_AND_SETS) => false,
        _ => return None,
    };
    Some((checker.text(default).to_string(), is_mapping))
}

const MAPPINGS: &[&str] = &[
    "builtins.dict",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.Counter",
];
const SEQUENCES_AND_SETS: &[&str] = &[
    "builtins.list",
    "builtins.set",
    "builtins.bytearray",
    "collections.deque",
];

/// `param=None`, and `if param is None: param = <default>` as the body's first statement.
fn fix(
    checker: &Checker,
    function: &StmtFunctionDef,
    annotated: bool,
    name: &str,
    default: &Expr,
) -> Option<Fix> {
    if annotated {
        return None;
    }
    let first = function
        .body
        .iter()
        .find(|statement| !is_docstring_stmt(statement))?;
    let indentation = checker.indentation(first)?;
    let unit = if indentation.contains('\t') {
        "\t"
    } else {
        "    "
    };
    let newline = checker.newline();
    let default_text = checker.text(default);
    if default_text.contains(['\n', '\r'])
        || !means_the_same_in_the_body(checker, function, default)
    {
        return None;
    }
    let guard = format!(
        "if {name} is None:{newline}{indentation}{unit}{name} = {default_text}{newline}{indentation}"
    );
    Some(Fix {
        applicability: Applicability::Unsafe,
        edits: vec![
            Edit::replacement(default.range(), "None"),
            Edit::replacement(TextRange::empty(first.start()), guard),
        ],
    })
}

/// Whether `default`, evaluated in the function's body at each call, means what it meant
/// evaluated once where the function is defined: every name in it is a builtin or an import of
/// the module that the function does not shadow. A name of the class body (`factory` in
/// `def add(self, x, seen=defaultdict(factory))`) is not visible from the method's body, and
/// a module global may have been rebound since.
fn means_the_same_in_the_body(
    checker: &Checker,
    function: &StmtFunctionDef,
    default: &Expr,
) -> bool {
    let semantic = checker.semantic();
    let Some(body_scope) = semantic.scope_of(function) else {
        return false;
    };
    !semantic.any_expr_in(default, |expr| {
        let Expr::Name(name) = expr else {
            return false;
        };
        let visible = match semantic.target_of(name) {
            Target::Builtin => true,
            Target::Binding(binding) => {
                let bound = semantic.binding(binding);
                bound.scope == SemanticModel::MODULE_SCOPE
                    && matches!(bound.kind, BindingKind::Import { .. })
            }
            Target::Unresolved => false,
        };
        !visible
            || semantic
                .scope(body_scope)
                .binding(name.id.as_str())
                .is_some()
    })
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    #[test]
    fn the_default_becomes_none_and_the_body_creates_the_container() {
        let source = "\
def record(event, history=[]):
    \"\"\"Remember an event.\"\"\"
    history.append(event)
    return history
";
        let expected = "\
def record(event, history=None):
    \"\"\"Remember an event.\"\"\"
    if history is None:
        history = []
    history.append(event)
    return history
";
        assert_eq!(
            fixes(source),
            [(Applicability::Unsafe, expected.to_string())]
        );
    }

    /// Bug: a default that reads a name of the class body raised `NameError` once moved into
    /// the method's body.
    #[test]
    fn el305_no_fix_when_the_default_reads_a_class_attribute() {
        let source = "\
from collections import defaultdict

class Index:
    factory = list

    def add(self, key, value, groups=defaultdict(factory)):
        groups[key] = value
        return groups
";
        assert!(fixes(source).is_empty());
        let module_level = source.replace("defaultdict(factory)", "defaultdict(list)");
        assert_eq!(fixes(&module_level).len(), 1);
    }

    #[test]
    fn no_fix_for_annotated_parameters_or_one_line_bodies() {
        assert!(fixes("def f(x: list = []):\n    x.append(1)\n").is_empty());
        assert!(fixes("def f(x=[]): x.append(1)\n").is_empty());
    }
}
