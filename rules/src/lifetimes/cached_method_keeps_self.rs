use edgelint_diagnostics::Severity;
use edgelint_semantic::ScopeKind;
use ruff_python_ast::StmtFunctionDef;
use ruff_text_size::Ranged;

use super::cache_decorators::cache_decorator;
use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a caching decorator (`functools.cache`, `functools.lru_cache`,
    /// `cachetools.cached`) on an instance method.
    ///
    /// ## Why is this bad?
    /// The cache belongs to the function, not to the instance, and it keys its entries by the
    /// arguments, `self` included. Every instance the method was ever called on, and everything
    /// it references, stays alive as long as its entries do: forever for an unbounded cache,
    /// until evicted for a bounded one. Instances that should be freed pile up.
    ///
    /// Not flagged: `@staticmethod` and `@classmethod` methods, and
    /// `functools.cached_property`, which stores the value on the instance itself.
    ///
    /// ## Example
    /// ```python
    /// import functools
    ///
    /// class Sensor:
    ///     def __init__(self, calibration):
    ///         self.calibration = calibration
    ///
    ///     @functools.lru_cache(maxsize=None)
    ///     def correction(self, reading):
    ///         return self.calibration.apply(reading)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// @functools.lru_cache(maxsize=1024)
    /// def correction(calibration, reading):
    ///     return calibration.apply(reading)
    ///
    /// class Sensor:
    ///     def __init__(self, calibration):
    ///         self.calibration = calibration
    /// ```
    pub static CACHED_METHOD_KEEPS_SELF = {
        code: "EL304",
        name: "cached-method-keeps-self",
        family: Family::Lifetimes,
        severity: Severity::Error,
        default_enabled: true,
        fix: FixAvailability::None,
        hooks: &[Hook::Function(check)],
    }
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    let semantic = checker.semantic();
    let ScopeKind::Class(class) = semantic.scope(checker.scope()).kind else {
        return;
    };
    let static_or_class = function.decorator_list.iter().any(|decorator| {
        semantic.resolves_to(
            &decorator.expression,
            &["builtins.staticmethod", "builtins.classmethod"],
        )
    });
    // `__new__` is implicitly static and `__init_subclass__`/`__class_getitem__` implicitly
    // class methods: their first argument is a class, not an instance.
    let implicit = matches!(
        function.name.as_str(),
        "__new__" | "__init_subclass__" | "__class_getitem__"
    );
    if static_or_class || implicit || function.parameters.iter().next().is_none() {
        return;
    }
    let Some(decorator) = function
        .decorator_list
        .iter()
        .find(|decorator| cache_decorator(semantic, decorator).is_some())
    else {
        return;
    };
    let method = function.name.as_str();
    let class_name = class.name.as_str();
    let diagnostic = checker.report(
        decorator.range(),
        format!("the cache on `{class_name}.{method}()` keeps every `{class_name}` it was called on alive"),
    );
    diagnostic.label = "keys its entries by `self`".to_string();
    diagnostic.help = Some(
        "cache a module function keyed by the fields it needs, use `functools.cached_property`, or keep a cache on the instance".to_string(),
    );
}
