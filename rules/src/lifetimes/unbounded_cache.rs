use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::{BigReason, Origin, ValueKind};
use edgelint_semantic::{BindingKind, NodeRef, ScopeKind, SemanticModel, Size};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::cache_decorators::{cache_decorator, CacheDecorator};
use super::dies_with_its_caller;
use crate::key_domains::{names_bounded_domain, names_unbounded_domain};
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `@functools.cache`, `@lru_cache(maxsize=None)` and `@lru_cache(None)` on a
    /// function (not a method: EL304 reports those) that takes at least one argument whose
    /// values are not known to be few.
    ///
    /// ## Why is this bad?
    /// An unbounded cache keeps every result it ever computed, and every argument it was called
    /// with, for the life of the process. Called with request data, file names or readings, it
    /// grows without limit. A bound keeps the most recent N entries: pick N from how many
    /// distinct arguments are hot and how big a result is (`maxsize=1024` of 10 kB results is
    /// 10 MB at most).
    ///
    /// Not flagged: functions without parameters, parameters annotated `bool`, `type[...]`,
    /// `Literal[...]` or an `Enum` of the module, or named for a small domain (`cls`,
    /// `dtype`, `device`, `lang`, `mode`, `name`), whose values are few, and
    /// caches that something empties
    /// with `cache_clear()`, in this module or another module of the run.
    ///
    /// By default it reports a cache whose results are shown to be large (arrays, tensors, a
    /// file's content, a loaded document) and whose arguments keep changing, as their names
    /// show (ids, paths, times: see EL302). Other caches of unbounded arguments are reported
    /// with `--pedantic`; caches of arguments from a small domain (types, devices, languages,
    /// modes, names) and a cached function that returns nothing (a "run once" guard), never.
    ///
    /// In a command-line program (one that reads its arguments and serves nothing, or a file in
    /// a `cli`, `scripts` or `tools` folder) the process lives as long as one input: reported
    /// only with `--pedantic` there.
    ///
    /// ## Example
    /// ```python
    /// import functools
    /// import numpy as np
    ///
    /// @functools.cache
    /// def load_recording(data_path):
    ///     return np.load(data_path)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    /// import numpy as np
    ///
    /// @functools.lru_cache(maxsize=4)
    /// def load_recording(data_path):
    ///     return np.load(data_path)
    /// ```
    pub static UNBOUNDED_CACHE = {
        code: "EL303",
        name: "unbounded-cache",
        family: Family::Lifetimes,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: true,
        hooks: &[Hook::Function(check)],
    }
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    let semantic = checker.semantic();
    // Methods are EL304's.
    if matches!(semantic.scope(checker.scope()).kind, ScopeKind::Class(_)) {
        return;
    }
    let Some(decorator) = function
        .decorator_list
        .iter()
        .find(|decorator| cache_decorator(semantic, decorator) == Some(CacheDecorator::Unbounded))
    else {
        return;
    };
    // A cached function made inside another one and only called there is a new function,
    // with a new cache, on every call of the outer one (often there to run something once).
    if dies_with_its_caller(semantic, checker.scope(), function) {
        return;
    }
    // Classes, types, devices and languages are as many as the program defines or configures
    // (`def fields_of(cls):`, `def kernel(device):`).
    let unbounded: Vec<&str> = function
        .parameters
        .iter()
        .filter(|parameter| {
            !names_bounded_domain(parameter.name())
                && !parameter
                    .annotation()
                    .is_some_and(|annotation| has_few_values(semantic, annotation))
        })
        .map(|parameter| parameter.name().as_str())
        .collect();
    if unbounded.is_empty() {
        return;
    }
    if cleared_in_module(checker, function) || !returns_a_value(semantic, function) {
        return;
    }
    let name = function.name.as_str();
    // The results are what the cache holds: an array, a tensor, a file's content.
    let returned = semantic.returned_by(function);
    let reason = returned
        .big
        .filter(|reason| {
            !matches!(
                reason,
                BigReason::StreamRead | BigReason::ParsedText | BigReason::FileRead
            )
        })
        .or_else(|| {
            matches!(
                returned.kind,
                ValueKind::NdArray | ValueKind::Tensor | ValueKind::DataFrame
            )
            .then_some(BigReason::LargeArray)
        });
    // Large results pile up only under keys that keep changing: ids, paths, times.
    let keyed_by_data = unbounded.iter().any(|name| names_unbounded_domain(name));
    let size = match reason.filter(|_| keyed_by_data) {
        Some(reason) => Size::Large {
            reason,
            origin: Some(
                returned
                    .origin
                    .unwrap_or(Origin::Here(function.name.range())),
            ),
        },
        None => Size::Unknown,
    };
    let unknown = (size == Size::Unknown).then(|| match reason {
        Some(_) => format!(
            "whether `{name}()` is called with ever new values (ids, paths, times) is not known"
        ),
        None => format!("how big what `{name}()` returns is, is not known"),
    });
    let (size, unknown) = checker.over_process_life(size, unknown);
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        decorator.range(),
        format!("unbounded cache on `{name}()` keeps every argument and result it ever sees"),
    ) else {
        return;
    };
    diagnostic.label = "no `maxsize`".to_string();
    diagnostic.unless_shrunk_elsewhere = Some(name.to_string());
    diagnostic.help = Some(
        "bound it with a `maxsize` for `functools.lru_cache`: that many results are the most it will hold".to_string(),
    );
}

/// Whether the module empties the cache somewhere: `load.cache_clear()`.
fn cleared_in_module(checker: &Checker, function: &StmtFunctionDef) -> bool {
    let semantic = checker.semantic();
    let Some(binding) = semantic.binding_at(&function.name) else {
        return false;
    };
    uses_of(&checker.module().body, semantic, binding)
        .iter()
        .any(|(_, kind)| *kind == UseKind::MethodCall("cache_clear"))
}

/// `bool`, `type[...]`, `Literal[...]`, or an `Enum` class of this module.
fn has_few_values(semantic: &SemanticModel, annotation: &Expr) -> bool {
    let target = match annotation {
        Expr::Subscript(generic) => &*generic.value,
        other => other,
    };
    if semantic.resolves_to(
        target,
        &[
            "builtins.bool",
            "builtins.type",
            "typing.Type",
            "typing.Literal",
            "typing_extensions.Literal",
        ],
    ) {
        return true;
    }
    let Expr::Name(name) = target else {
        return false;
    };
    let Some(binding) = semantic.binding_of(name) else {
        return false;
    };
    let BindingKind::ClassDef(class) = semantic.binding(binding).kind else {
        return false;
    };
    class.bases().iter().any(|base| {
        semantic.resolves_to(
            base,
            &[
                "enum.Enum",
                "enum.IntEnum",
                "enum.StrEnum",
                "enum.Flag",
                "enum.IntFlag",
            ],
        )
    })
}

/// Whether a `return` of the function (not of a function it defines) gives a value other than
/// `None`: a cached function that returns nothing is a "run once" guard, whose cache holds
/// only its arguments.
fn returns_a_value(semantic: &SemanticModel, function: &StmtFunctionDef) -> bool {
    semantic.scope_of(function).is_some_and(|scope| {
        semantic.scope_nodes(scope).any(|id| {
            matches!(semantic.node(id), NodeRef::Stmt(Stmt::Return(ret))
                if ret.value.as_deref().is_some_and(|value| !value.is_none_literal_expr()))
        })
    })
}
