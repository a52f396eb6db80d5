use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::{ScopeKind, SemanticModel};
use ruff_python_ast::{Decorator, Expr, NodeKind, Stmt, StmtClassDef};
use ruff_text_size::{Ranged, TextRange};

use crate::statements::repeating_loops;
use crate::uses::{uses_of, UseKind};
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook, PythonVersion};

rule! {
    /// ## What it does
    /// Flags a `@dataclass` without `slots=True`, and a plain class whose `__init__` only
    /// assigns attributes, when the same module creates its instances inside a loop or a
    /// comprehension (so there will be many of them). Only when the target version
    /// (`target-version`, or `requires-python`) is 3.10 or newer, which `slots=True` needs.
    ///
    /// ## Why is this bad?
    /// Every instance of a class without `__slots__` carries its own attribute dictionary: on
    /// CPython about 100 to 300 bytes more per instance than the same object with slots. For a
    /// million records that is hundreds of megabytes spent on dictionaries. `slots=True` (or
    /// `__slots__`) stores the attributes in fixed fields instead.
    ///
    /// Not flagged: classes that already have slots, classes with base classes (their bases
    /// would need slots too), classes that set attributes dynamically (`setattr`, `__dict__`,
    /// `__getattr__`, `__setattr__`), and classes not created in a loop.
    ///
    /// Opt-in: slots forbid adding attributes later and weak references unless declared.
    ///
    /// ## Example
    /// ```python
    /// from dataclasses import dataclass
    ///
    /// @dataclass
    /// class Reading:
    ///     sensor: str
    ///     value: float
    ///
    /// def parse(rows):
    ///     return [Reading(row[0], float(row[1])) for row in rows]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from dataclasses import dataclass
    ///
    /// @dataclass(slots=True)
    /// class Reading:
    ///     sensor: str
    ///     value: float
    ///
    /// def parse(rows):
    ///     return [Reading(row[0], float(row[1])) for row in rows]
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `slots=True` to the `@dataclass` decorator. Unsafe: code that sets
    /// attributes not declared as fields breaks. It is not offered where slots would break
    /// what the module visibly does: a zero-argument `super()` in the class (the decorator
    /// makes a new class), a `functools.cached_property`, or reading an instance's `__dict__`
    /// (`vars(x)`) or taking weak references anywhere in the module.
    pub static DATACLASS_WITHOUT_SLOTS = {
        code: "EL404",
        name: "dataclass-without-slots",
        family: Family::GarbageCollection,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::Sometimes,
        sized: false,
        hooks: &[Hook::Stmt(&[NodeKind::StmtClassDef], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let Stmt::ClassDef(class) = statement else {
        return;
    };
    // `@dataclass(slots=True)` needs 3.10; the catalog applies the same bound to plain classes.
    if checker.target_version() < PythonVersion::PY310 {
        return;
    }
    let semantic = checker.semantic();
    let has_bases = class
        .bases()
        .iter()
        .any(|base| !semantic.resolves_to(base, &["builtins.object"]));
    if has_bases {
        return;
    }
    let dataclass = class
        .decorator_list
        .iter()
        .find(|decorator| is_dataclass(semantic, decorator));
    let record = match dataclass {
        Some(decorator) => !sets_slots(decorator),
        None => class.decorator_list.is_empty() && init_only_assigns(semantic, class),
    };
    // Reading every method for dynamic attributes comes last: most classes are no record, or
    // not made in a loop.
    if !record
        || !instantiated_in_loop(checker, class)
        || defines_slots_or_dynamic_attributes(semantic, class)
    {
        return;
    }
    let (range, fix) = match dataclass {
        Some(decorator) => {
            let fix = (!slots_would_break(checker, class))
                .then(|| add_slots(checker, decorator))
                .flatten();
            (decorator.range(), fix)
        }
        None => (class.name.range, None),
    };
    let name = class.name.as_str();
    let diagnostic = checker.report(
        range,
        format!("`{name}` instances are created in a loop, each with its own attribute dictionary"),
    );
    diagnostic.label = "no `__slots__`".to_string();
    diagnostic.notes.push(
        "a per-instance `__dict__` costs about 100 to 300 bytes more per object than slots"
            .to_string(),
    );
    diagnostic.help = Some(if fix.is_some() {
        "declare slots: `@dataclass(slots=True)`".to_string()
    } else {
        format!("declare `__slots__` with the attributes `{name}.__init__` assigns")
    });
    diagnostic.fix = fix;
}

/// Whether `slots=True` would break code that works today: a zero-argument `super()` in a
/// method (the decorator builds a new class, and `super()` still names the old one before
/// Python 3.14), a `functools.cached_property` (it stores into the instance's `__dict__`),
/// `__dict__` in the class, or anything in the module that reads an instance's attributes
/// with `vars(x)` or makes weak references.
fn slots_would_break(checker: &Checker, class: &StmtClassDef) -> bool {
    let semantic = checker.semantic();
    let in_class = semantic.any_expr_in_body(&class.body, |expr| match expr {
        Expr::Call(call) => {
            call.arguments.is_empty() && semantic.resolves_to(&call.func, &["builtins.super"])
        }
        Expr::Attribute(attribute) => {
            matches!(attribute.attr.as_str(), "__dict__" | "__weakref__")
        }
        _ => false,
    }) || class.body.iter().any(|statement| {
        matches!(statement, Stmt::FunctionDef(function) if function.decorator_list.iter().any(|decorator| {
            semantic.resolves_to(&decorator.expression, &["functools.cached_property"])
        }))
    });
    in_class
        || semantic.any_expr_in_body(&checker.module().body, |expr| {
            expr.as_call_expr().is_some_and(|call| {
                semantic.resolves_to(
                    &call.func,
                    &[
                        "builtins.vars",
                        "weakref.ref",
                        "weakref.proxy",
                        "weakref.finalize",
                        "weakref.WeakSet",
                        "weakref.WeakValueDictionary",
                        "weakref.WeakKeyDictionary",
                    ],
                )
            })
        })
}

fn is_dataclass(semantic: &SemanticModel, decorator: &Decorator) -> bool {
    let target = match &decorator.expression {
        Expr::Call(call) => &*call.func,
        expression => expression,
    };
    semantic.resolves_to(target, &["dataclasses.dataclass"])
}

fn sets_slots(decorator: &Decorator) -> bool {
    let Expr::Call(call) = &decorator.expression else {
        return false;
    };
    call.arguments.find_keyword("slots").is_some_and(
        |keyword| !matches!(keyword.value, Expr::BooleanLiteral(ref literal) if !literal.value),
    )
}

/// `@dataclass` → `@dataclass(slots=True)`; `@dataclass(frozen=True)` →
/// `@dataclass(frozen=True, slots=True)`; `@dataclass(slots=False)` → `@dataclass(slots=True)`.
fn add_slots(checker: &Checker, decorator: &Decorator) -> Option<Fix> {
    let edit = match &decorator.expression {
        Expr::Call(call) if call.arguments.find_keyword("slots").is_some() => {
            let keyword = call.arguments.find_keyword("slots")?;
            Edit::replacement(keyword.value.range(), "True")
        }
        Expr::Call(call) => checker.add_argument(&call.arguments, "slots=True"),
        expression => Edit::replacement(TextRange::empty(expression.end()), "(slots=True)"),
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        edits: vec![edit],
    })
}

/// `__slots__`, or code that sets attributes by name (`setattr`, `__dict__`, `__getattr__`,
/// `__setattr__`): slots would not fit.
fn defines_slots_or_dynamic_attributes(semantic: &SemanticModel, class: &StmtClassDef) -> bool {
    class.body.iter().any(|statement| match statement {
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|target| matches!(target, Expr::Name(name) if name.id.as_str() == "__slots__")),
        Stmt::AnnAssign(assign) => {
            matches!(&*assign.target, Expr::Name(name) if name.id.as_str() == "__slots__")
        }
        Stmt::FunctionDef(function) => {
            matches!(
                function.name.as_str(),
                "__getattr__" | "__setattr__" | "__getattribute__"
            ) || function
                .body
                .iter()
                .any(|statement| mentions_dynamic_attributes(semantic, statement))
        }
        _ => false,
    })
}

fn mentions_dynamic_attributes(semantic: &SemanticModel, statement: &Stmt) -> bool {
    let text_mentions = |expr: &Expr| {
        semantic.any_expr_in(expr, |inner| match inner {
            Expr::Name(name) => matches!(name.id.as_str(), "setattr" | "vars"),
            Expr::Attribute(attribute) => attribute.attr.as_str() == "__dict__",
            _ => false,
        })
    };
    match statement {
        Stmt::Expr(expression) => text_mentions(&expression.value),
        Stmt::Assign(assign) => {
            text_mentions(&assign.value) || assign.targets.iter().any(text_mentions)
        }
        _ => false,
    }
}

/// A plain class whose `__init__` only stores values on `self` (a docstring allowed): a record.
fn init_only_assigns(semantic: &SemanticModel, class: &StmtClassDef) -> bool {
    let Some(init) = class.body.iter().find_map(|statement| match statement {
        Stmt::FunctionDef(function) if function.name.as_str() == "__init__" => Some(function),
        _ => None,
    }) else {
        return false;
    };
    let Some(receiver) = init
        .parameters
        .iter()
        .next()
        .map(|parameter| parameter.name().as_str())
    else {
        return false;
    };
    init.body.iter().enumerate().all(|(index, statement)| match statement {
        Stmt::Expr(expression) => index == 0 && expression.value.is_string_literal_expr(),
        Stmt::Assign(assign) => {
            assign.targets.iter().all(|target| {
                matches!(target, Expr::Attribute(attribute)
                    if matches!(&*attribute.value, Expr::Name(name) if name.id.as_str() == receiver))
            }) && !semantic.any_expr_in(&*assign.value, |expr| expr.is_call_expr() || expr.is_await_expr())
        }
        Stmt::AnnAssign(assign) => matches!(&*assign.target, Expr::Attribute(_)),
        _ => false,
    })
}

/// Whether the module calls the class inside a loop or a comprehension.
fn instantiated_in_loop(checker: &Checker, class: &StmtClassDef) -> bool {
    let semantic = checker.semantic();
    let Some(binding) = semantic.binding_at(class.name.range) else {
        return false;
    };
    let module = checker.module();
    uses_of(&module.body, semantic, binding)
        .iter()
        .filter(|(_, kind)| *kind == UseKind::Called)
        .any(|(range, _)| {
            let Some(reference) = semantic.reference_of(binding, *range) else {
                return false;
            };
            match semantic.scope(reference.scope).kind {
                ScopeKind::Comprehension => true,
                ScopeKind::Function(function) => {
                    !repeating_loops(semantic, reference.node, semantic.node_id(function))
                        .is_empty()
                }
                ScopeKind::Module => !repeating_loops(semantic, reference.node, None).is_empty(),
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use crate::fix_check::check_fix_structure;
    use crate::test_support::diagnostics_with;

    const LOOP: &str = "\n\ndef readings(rows):\n    return [Reading(r) for r in rows]\n";

    fn fixes(class: &str) -> Vec<String> {
        let source =
            format!("from dataclasses import dataclass\nimport functools\n\n{class}{LOOP}");
        diagnostics_with(&source, "EL404")
            .into_iter()
            .filter_map(|diagnostic| diagnostic.fix)
            .map(|fix| {
                assert!(check_fix_structure(&source, &fix).is_ok());
                fix.edits[0].content.clone()
            })
            .collect()
    }

    /// Bug: `slots=True` went after a trailing comma and its comment, making `,,`.
    #[test]
    fn el404_slots_go_after_the_last_argument() {
        assert_eq!(
            fixes("@dataclass(\n    repr=True,  # shown, always\n)\nclass Reading:\n    value: float\n"),
            [" slots=True,"]
        );
        assert_eq!(
            fixes("@dataclass(repr=True)\nclass Reading:\n    value: float\n"),
            [", slots=True"]
        );
    }

    /// Bug: `slots=True` broke a zero-argument `super()`, a `cached_property` and `vars()`.
    #[test]
    fn el404_no_slots_where_they_would_break_the_class() {
        for body in [
            "    def __repr__(self):\n        return super().__repr__()\n",
            "    @functools.cached_property\n    def doubled(self):\n        return self.value * 2\n",
            "    def fields(self):\n        return vars(self)\n",
        ] {
            let class = format!("@dataclass\nclass Reading:\n    value: float\n\n{body}");
            assert!(fixes(&class).is_empty(), "{body}");
        }
    }
}
