//! What a parameter holds when every caller is in sight: a function nested in another one, or
//! private to its module or class (`_decode(frame)`, `self._parse(data)`), that the module
//! calls and never passes around as a value. When every such call gives the parameter large
//! data, the parameter is large, with the first call's evidence (the rule catalog's "a
//! parameter that every call site in the project passes a large value").

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use ruff_python_ast::{self as ast, Expr, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::provenance::Provenance;
use crate::{Binding, NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel};

impl<'a> SemanticModel<'a> {
    /// The data every call of the parameter's function gives it, when that is large.
    pub(crate) fn parameter_from_callers(
        &self,
        parameter: &Binding<'a>,
        infer: impl Fn(&Expr) -> Provenance,
    ) -> Option<Provenance> {
        let ScopeKind::Function(function) = self.scope(parameter.scope).kind else {
            return None;
        };
        let calls = self.all_calls_of(function)?;
        let position = positional_index(function, parameter.name);
        let bound_method = self.is_method(function);
        let mut first = None;
        for call in calls {
            let NodeRef::Expr(Expr::Call(call)) = self.node(*call) else {
                return None;
            };
            let argument = argument_for(call, parameter.name, position, bound_method)?;
            let given = infer(argument);
            given.big?;
            first.get_or_insert(given);
        }
        first
    }

    /// The calls of `function` in this module, when they are all of its calls: it is nested in
    /// a function or private (`_name`), called at least once, and every read of it (by its
    /// name, or as `self._name`) calls it.
    pub fn all_calls_of(&self, function: &StmtFunctionDef) -> Option<&[NodeId]> {
        let scope = self.scope_of(function)?;
        if !self.is_askable(function, scope) {
            return None;
        }
        let id = self.node_id(function)?;
        let calls = self.call_sites.get_or_init(|| self.find_call_sites());
        let sites = calls.calls.get(&id)?;
        let passed_around = calls.passed_around.contains(&id)
            || calls.escaping.contains(&name_key(function.name.as_str()));
        (!passed_around).then_some(sites.as_slice())
    }

    /// Whether `all_calls_of` answers for the function whose body is `scope`: a nested or a
    /// private one, whose every caller is in sight.
    fn is_askable(&self, function: &StmtFunctionDef, scope: ScopeId) -> bool {
        let name = function.name.as_str();
        let private = name.starts_with('_') && !name.ends_with("__");
        private
            || self
                .scope(scope)
                .parent
                .is_some_and(|parent| matches!(self.scope(parent).kind, ScopeKind::Function(_)))
    }

    /// The calls of the module's nested and private functions (those `all_calls_of` answers
    /// for), by function; those whose name is read without being called
    /// (`map(_decode, frames)`); and the names of those read as an attribute without being
    /// called (`cb=self._on_data`). Found from each function's own reads and the attributes of
    /// its name, not by reading every name of the module.
    fn find_call_sites(&self) -> CallSites {
        let mut sites = CallSites::default();
        let mut names: Vec<&str> = Vec::new();
        for (index, scope) in self.scopes.iter().enumerate() {
            let ScopeKind::Function(function) = scope.kind else {
                continue;
            };
            if !self.is_askable(function, ScopeId::new(index)) {
                continue;
            }
            let (Some(id), Some(binding)) =
                (self.node_id(function), self.binding_at(&function.name))
            else {
                continue;
            };
            names.push(function.name.as_str());
            for reference in self.references_of(binding) {
                match self.call_of(self.reference(*reference).node) {
                    Some((call, _)) => sites.calls.entry(id).or_default().push(call),
                    None => {
                        sites.passed_around.insert(id);
                    }
                }
            }
        }
        // A method is called as `self._parse(...)`; any other attribute of its name may pass
        // it around.
        names.sort_unstable();
        names.dedup();
        for name in names {
            for attribute in self.attribute_nodes(name) {
                let Some((call, call_expr)) = self.call_of(attribute) else {
                    sites.escaping.insert(name_key(name));
                    continue;
                };
                if let Some(callee) = self.callee(&call_expr.func).and_then(|f| self.node_id(f)) {
                    sites.calls.entry(callee).or_default().push(call);
                }
            }
        }
        // In the order of the module's nodes: the first call is the first in sight.
        for calls in sites.calls.values_mut() {
            calls.sort_unstable();
        }
        sites
    }

    /// The call whose callee is `node` (`_decode` in `_decode(frame)`), if it is one.
    fn call_of(&self, node: NodeId) -> Option<(NodeId, &'a ast::ExprCall)> {
        let parent = self.parent(node)?;
        let NodeRef::Expr(Expr::Call(call)) = self.node(parent) else {
            return None;
        };
        (call.func.range() == self.node(node).range()).then_some((parent, call))
    }

    /// Whether `function` is a method called on an instance, whose first parameter the call
    /// does not pass.
    fn is_method(&self, function: &StmtFunctionDef) -> bool {
        let in_class = self
            .scope_of(function)
            .and_then(|scope| self.scope(scope).parent)
            .is_some_and(|parent| matches!(self.scope(parent).kind, ScopeKind::Class(_)));
        in_class
            && !function.decorator_list.iter().any(|decorator| {
                matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "staticmethod")
            })
    }
}

/// The calls of the module's nested and private functions, worked out once per module.
#[derive(Debug, Default)]
pub(crate) struct CallSites {
    calls: HashMap<NodeId, Vec<NodeId>>,
    /// Functions whose name is read other than as a call's callee.
    passed_around: HashSet<NodeId>,
    /// The names, by [`name_key`], of the functions read as an attribute other than as a
    /// call's callee: a method may be passed around through any receiver. Two names that
    /// share a key only make a function look passed around, which keeps its parameters
    /// unknown.
    escaping: HashSet<u64>,
}

fn name_key(name: &str) -> u64 {
    let mut hasher = FxHasher::default();
    name.hash(&mut hasher);
    hasher.finish()
}

/// The position of a parameter that can be passed by position, counting `self`.
fn positional_index(function: &StmtFunctionDef, name: &str) -> Option<usize> {
    let parameters = &function.parameters;
    parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .position(|parameter| parameter.parameter.name.as_str() == name)
}

/// The argument a call gives the parameter `name`, when it gives one (not a default, nor
/// something inside `*args` or `**kwargs`).
fn argument_for<'c>(
    call: &'c ast::ExprCall,
    name: &str,
    position: Option<usize>,
    bound_method: bool,
) -> Option<&'c Expr> {
    let arguments = &call.arguments;
    if let Some(keyword) = arguments
        .keywords
        .iter()
        .find(|keyword| keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == name))
    {
        return Some(&keyword.value);
    }
    let index = position?.checked_sub(usize::from(bound_method))?;
    let before = arguments.args.get(..=index)?;
    if before.iter().any(Expr::is_starred_expr) {
        return None;
    }
    before.last()
}
