use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::{BigReason, Origin};
use edgelint_semantic::{last_name, ScopeKind, SemanticModel, Size};
use ruff_python_ast::{Expr, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::cache_decorators::{cache_decorator, CacheDecorator};
use crate::mutation::dotted_path;
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

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
    /// By default it reports a cache on a model's method (a `torch.nn.Module` whose `__init__`
    /// builds layers or parameters, or a class named like a model): every model it saw stays
    /// alive with all its weights. On other classes (a helper module that only computes tables
    /// from its arguments included) it
    /// is reported with `--pedantic` (how many instances the program makes is not known). Never
    /// for `maxsize` 1 or 0, a class whose first argument is a class (`@classproperty` above
    /// the cache, a metaclass), a class this module instantiates once at import, or a cache the
    /// module clears (`self.method.cache_clear()`).
    ///
    /// In a command-line program (one that reads its arguments and serves nothing, or a file in
    /// a `cli`, `scripts` or `tools` folder) the process lives as long as one input: reported
    /// only with `--pedantic` there.
    ///
    /// ## Example
    /// ```python
    /// import functools
    /// import torch
    ///
    /// class Detector(torch.nn.Module):
    ///     def __init__(self):
    ///         super().__init__()
    ///         self.head = torch.nn.Linear(256, 4)
    ///
    ///     @functools.lru_cache(maxsize=None)
    ///     def anchors(self, height, width):
    ///         return torch.zeros(height, width)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    /// import torch
    ///
    /// @functools.lru_cache(maxsize=8)
    /// def anchors(height, width):
    ///     return torch.zeros(height, width)
    ///
    /// class Detector(torch.nn.Module):
    ///     def __init__(self):
    ///         super().__init__()
    ///         self.head = torch.nn.Linear(256, 4)
    ///
    ///     def anchors(self, height, width):
    ///         return anchors(height, width)
    /// ```
    pub static CACHED_METHOD_KEEPS_SELF = {
        code: "EL304",
        name: "cached-method-keeps-self",
        family: Family::Lifetimes,
        severity: Severity::Error,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: true,
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
    let Some((position, decorator, kind)) =
        function
            .decorator_list
            .iter()
            .enumerate()
            .find_map(|(position, decorator)| {
                Some((position, decorator, cache_decorator(semantic, decorator)?))
            })
    else {
        return;
    };
    let maxsize = match kind {
        CacheDecorator::Bounded { maxsize } => maxsize,
        CacheDecorator::Unbounded => None,
    };
    // `@classproperty` above the cache hands it a class, not an instance.
    let takes_a_class = function.decorator_list[..position].iter().any(|above| {
        let decorator = match &above.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        dotted_path(decorator).is_some_and(|name| name.to_ascii_lowercase().contains("class"))
    });
    if takes_a_class
        // `lru_cache(maxsize=1)` holds the last instance at most.
        || maxsize.is_some_and(|size| size <= 1)
        || is_metaclass(semantic, class)
        || instantiated_once_at_import(checker, class)
        || cleared_in_module(checker, function.name.as_str())
    {
        return;
    }
    let method = function.name.as_str();
    let class_name = class.name.as_str();
    // A model kept alive keeps all its weights; how many instances of another class the
    // program makes is not known.
    let size = match model_base(semantic, class).filter(|_| holds_weights(semantic, class)) {
        Some(base) => Size::Large {
            reason: BigReason::Model,
            origin: Some(Origin::Here(base.range())),
        },
        None => Size::Unknown,
    };
    let unknown = (size == Size::Unknown)
        .then(|| format!("how many `{class_name}` objects the program makes is not known"));
    let (size, unknown) = checker.over_process_life(size, unknown);
    let Some(diagnostic) = checker.report_sized(
        size,
        unknown,
        decorator.range(),
        match maxsize {
            Some(size) => format!("the cache on `{class_name}.{method}()` keeps up to {size} `{class_name}` objects alive after their last use"),
            None => format!("the cache on `{class_name}.{method}()` keeps every `{class_name}` it was called on alive"),
        },
    ) else {
        return;
    };
    diagnostic.label = "keys its entries by `self`".to_string();
    diagnostic.help = Some(
        "cache a module function keyed by the fields it needs, use `functools.cached_property`, or keep a cache on the instance".to_string(),
    );
}

/// A class deriving from `type`: its instances are classes, made once each.
fn is_metaclass(semantic: &SemanticModel, class: &StmtClassDef) -> bool {
    class
        .bases()
        .iter()
        .any(|base| semantic.resolves_to(base, &["builtins.type", "abc.ABCMeta"]))
}

/// A class this module instantiates once, at import (`registry = Registry()`), and nowhere else.
fn instantiated_once_at_import(checker: &Checker, class: &StmtClassDef) -> bool {
    let semantic = checker.semantic();
    let Some(binding) = semantic.binding_at(&class.name) else {
        return false;
    };
    let calls: Vec<(TextRange, UseKind)> = uses_of(&checker.module().body, semantic, binding)
        .into_iter()
        .filter(|(_, kind)| *kind == UseKind::Called)
        .collect();
    let [(call, _)] = &*calls else {
        return false;
    };
    semantic
        .reference_of(binding, *call)
        .is_some_and(|reference| semantic.at_import_time(reference.node))
}

/// Whether the module empties the method's cache somewhere: `self.load.cache_clear()`.
fn cleared_in_module(checker: &Checker, method: &str) -> bool {
    checker.semantic().any_expr_in_body(&checker.module().body, |expr| {
        matches!(expr, Expr::Call(call) if matches!(&*call.func, Expr::Attribute(clear)
            if clear.attr.as_str() == "cache_clear"
                && matches!(&*clear.value, Expr::Attribute(cached) if cached.attr.as_str() == method)))
    })
}

/// Whether the model's `__init__` gives it weights: it builds a layer, submodule or parameter
/// (`self.proj = nn.Linear(...)`, `self.blocks = nn.ModuleList(...)`, `self.scale =
/// nn.Parameter(...)`: an object made by calling a class, by the capitalised name) or gets
/// them from its own base (`super().__init__(config)` of a model class). A helper module that
/// only computes tables from its arguments (`self.freqs = torch.cat(...)`) keeps little alive.
fn holds_weights(semantic: &SemanticModel, class: &StmtClassDef) -> bool {
    let direct_module = class.bases().iter().all(|base| {
        semantic.resolves_to(base, &["torch.nn.Module", "torch.nn.modules.module.Module"])
    });
    if !direct_module {
        return true;
    }
    let Some(scope) = semantic.scope_of(class) else {
        return true;
    };
    let Some((init, _)) = semantic
        .methods(scope)
        .find(|(method, _)| method.name.as_str() == "__init__")
    else {
        return false;
    };
    semantic.any_expr_in_body(&init.body, |expr| {
        let Expr::Call(call) = expr else {
            return false;
        };
        let Some(callee) = last_name(&call.func) else {
            return false;
        };
        callee.starts_with(|first: char| first.is_ascii_uppercase())
            || matches!(
                callee,
                "register_parameter" | "add_module" | "register_module"
            )
    })
}

/// The base that makes the class a machine-learning model (`torch.nn.Module`, or a class named
/// like one, `PreTrainedModel`), if there is one.
fn model_base<'a>(semantic: &SemanticModel, class: &'a StmtClassDef) -> Option<&'a Expr> {
    class.bases().iter().find(|base| {
        semantic.resolves_to(base, &["torch.nn.Module", "torch.nn.modules.module.Module"])
            || dotted_path(base).is_some_and(|name| {
                let last = name.rsplit('.').next().unwrap_or(&name);
                last.ends_with("Model") || last == "Module"
            })
    })
}
