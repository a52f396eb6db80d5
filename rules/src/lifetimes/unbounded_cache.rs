use edgelint_diagnostics::Severity;
use edgelint_semantic::{BindingKind, ScopeKind, SemanticModel};
use ruff_python_ast::{Expr, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::cache_decorators::{cache_decorator, CacheDecorator};
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Family, FixAvailability, Hook};

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
    /// Not flagged: functions without parameters, parameters annotated `bool`, `Literal[...]`
    /// or an `Enum` of the module, whose values are few, and caches that something empties
    /// with `cache_clear()`, in this module or another module of the run.
    ///
    /// ## Example
    /// ```python
    /// import functools
    ///
    /// @functools.cache
    /// def thumbnail(path):
    ///     return render(path)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// @functools.lru_cache(maxsize=256)
    /// def thumbnail(path):
    ///     return render(path)
    /// ```
    pub static UNBOUNDED_CACHE = {
        code: "EL303",
        name: "unbounded-cache",
        family: Family::Lifetimes,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::None,
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
    let unbounded_domain = function.parameters.iter().any(|parameter| {
        !parameter
            .annotation()
            .is_some_and(|annotation| has_few_values(semantic, annotation))
    });
    if !unbounded_domain {
        return;
    }
    if cleared_in_module(checker, function) {
        return;
    }
    let name = function.name.as_str();
    let diagnostic = checker.report(
        decorator.range(),
        format!("unbounded cache on `{name}()` keeps every argument and result it ever sees"),
    );
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

/// `bool`, `Literal[...]`, or an `Enum` class of this module.
fn has_few_values(semantic: &SemanticModel, annotation: &Expr) -> bool {
    let target = match annotation {
        Expr::Subscript(generic) => &*generic.value,
        other => other,
    };
    if semantic.resolves_to(
        target,
        &[
            "builtins.bool",
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
