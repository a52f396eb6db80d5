use std::collections::HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, ModModule, Stmt};

/// A dotted name as Python would find it at run time: `builtins.sum`, `collections.Counter`,
/// `numpy.zeros`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QualifiedName(String);

impl QualifiedName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The builtin's own name when this is `builtins.<name>`.
    pub fn builtin(&self) -> Option<&str> {
        self.0.strip_prefix("builtins.")
    }
}

/// How a local name came to be bound.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Binding {
    /// Only ever bound by imports of this one dotted path.
    Import(String),
    /// Bound by anything else, or imported in more than one way.
    Other,
}

/// Name resolution for one module.
#[derive(Debug, Default)]
pub struct SemanticModel<'a> {
    bindings: HashMap<&'a str, Binding>,
    /// A `from m import *` may bind any name, so no unbound name can be taken for a builtin.
    has_star_import: bool,
}

impl<'a> SemanticModel<'a> {
    pub fn new(module: &'a ModModule) -> Self {
        let mut collector = BindingCollector::default();
        collector.visit_body(&module.body);
        SemanticModel {
            bindings: collector.bindings,
            has_star_import: collector.has_star_import,
        }
    }

    /// What `expr` (a name or a chain of attributes on one) refers to, when that is certain.
    pub fn resolve(&self, expr: &Expr) -> Option<QualifiedName> {
        match expr {
            Expr::Name(name) => self.resolve_name(name.id.as_str()),
            Expr::Attribute(attribute) => {
                let base = self.resolve(&attribute.value)?;
                if base.builtin().is_some() {
                    // `sum.x` is not a path into a module.
                    return None;
                }
                Some(QualifiedName(format!(
                    "{}.{}",
                    base.0,
                    attribute.attr.as_str()
                )))
            }
            _ => None,
        }
    }

    fn resolve_name(&self, name: &str) -> Option<QualifiedName> {
        match self.bindings.get(name) {
            Some(Binding::Import(path)) => Some(QualifiedName(path.clone())),
            Some(Binding::Other) => None,
            None if self.has_star_import => None,
            None => Some(QualifiedName(format!("builtins.{name}"))),
        }
    }

    /// Whether `name` refers to the builtin of that name everywhere in the module.
    pub fn is_builtin(&self, name: &str) -> bool {
        !self.has_star_import && !self.bindings.contains_key(name)
    }
}

/// Collects every binding in the module, at any depth.
#[derive(Default)]
struct BindingCollector<'a> {
    bindings: HashMap<&'a str, Binding>,
    has_star_import: bool,
}

impl<'a> BindingCollector<'a> {
    fn bind(&mut self, name: &'a str, binding: Binding) {
        self.bindings
            .entry(name)
            .and_modify(|existing| {
                if *existing != binding {
                    *existing = Binding::Other;
                }
            })
            .or_insert(binding);
    }

    fn bind_other(&mut self, name: &'a str) {
        self.bind(name, Binding::Other);
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            self.bind_other(parameter.name().as_str());
        }
    }
}

impl<'a> Visitor<'a> for BindingCollector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let path = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            self.bind(asname.as_str(), Binding::Import(path.to_string()))
                        }
                        None => {
                            // `import os.path` binds `os`.
                            let head = path.split('.').next().unwrap_or(path);
                            self.bind(head, Binding::Import(head.to_string()));
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map(|module| module.as_str());
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        self.has_star_import = true;
                        continue;
                    }
                    let local = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    match module {
                        // Relative imports name modules of this package, which we cannot see.
                        Some(module) if import.level == 0 => self.bind(
                            local,
                            Binding::Import(format!("{module}.{}", alias.name.as_str())),
                        ),
                        _ => self.bind_other(local),
                    }
                }
            }
            Stmt::FunctionDef(function) => {
                self.bind_other(function.name.as_str());
                self.bind_parameters(&function.parameters);
            }
            Stmt::ClassDef(class) => self.bind_other(class.name.as_str()),
            Stmt::Global(global) => {
                for name in &global.names {
                    self.bind_other(name.as_str());
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                for name in &nonlocal.names {
                    self.bind_other(name.as_str());
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if matches!(name.ctx, ExprContext::Store | ExprContext::Del) => {
                self.bind_other(name.id.as_str());
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters);
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(handler_node) = handler;
        if let Some(name) = &handler_node.name {
            self.bind_other(name.as_str());
        }
        visitor::walk_except_handler(self, handler);
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        let captured = match pattern {
            ast::Pattern::MatchAs(pattern) => pattern.name.as_ref(),
            ast::Pattern::MatchStar(pattern) => pattern.name.as_ref(),
            ast::Pattern::MatchMapping(pattern) => pattern.rest.as_ref(),
            _ => None,
        };
        if let Some(name) = captured {
            self.bind_other(name.as_str());
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_type_param(&mut self, type_param: &'a ast::TypeParam) {
        self.bind_other(type_param.name().as_str());
        visitor::walk_type_param(self, type_param);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn resolve_call(source: &str) -> Option<String> {
        let parsed = parse_module(source).expect("test sources parse");
        let model = SemanticModel::new(parsed.syntax());
        let Some(Stmt::Expr(statement)) = parsed.syntax().body.last() else {
            panic!("the last statement of a test source is a call");
        };
        let Expr::Call(call) = &*statement.value else {
            panic!("the last statement of a test source is a call");
        };
        model
            .resolve(&call.func)
            .map(|name| name.as_str().to_string())
    }

    #[test]
    fn unbound_names_are_builtins() {
        assert_eq!(resolve_call("sum(x)").as_deref(), Some("builtins.sum"));
    }

    #[test]
    fn imports_resolve_through_aliases() {
        assert_eq!(
            resolve_call("import numpy as np\nnp.zeros(3)").as_deref(),
            Some("numpy.zeros")
        );
        assert_eq!(
            resolve_call("from collections import Counter as C\nC(x)").as_deref(),
            Some("collections.Counter")
        );
        assert_eq!(
            resolve_call("import os.path\nos.path.join(a)").as_deref(),
            Some("os.path.join")
        );
    }

    #[test]
    fn shadowed_builtins_do_not_resolve() {
        assert_eq!(resolve_call("def f(sum):\n    pass\nsum(x)"), None);
        assert_eq!(resolve_call("sum = 0\nsum(x)"), None);
        assert_eq!(resolve_call("[sum for sum in y]\nsum(x)"), None);
        assert_eq!(resolve_call("def sum(): pass\nsum(x)"), None);
        assert_eq!(
            resolve_call("try:\n    pass\nexcept E as sum:\n    pass\nsum(x)"),
            None
        );
    }

    #[test]
    fn star_imports_hide_builtins() {
        assert_eq!(resolve_call("from helpers import *\nsum(x)"), None);
    }

    #[test]
    fn a_name_bound_two_ways_resolves_to_nothing() {
        assert_eq!(
            resolve_call("import heapq\nheapq = None\nheapq.nlargest(3, x)"),
            None
        );
        assert_eq!(resolve_call("from a import f\nfrom b import f\nf(x)"), None);
    }

    #[test]
    fn relative_imports_resolve_to_nothing() {
        assert_eq!(resolve_call("from . import sum\nsum(x)"), None);
    }
}
