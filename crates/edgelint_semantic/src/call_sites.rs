//! What a parameter holds when every caller is in sight: a function nested in another one, or
//! private to its module or class (`_decode(frame)`, `self._parse(data)`), that the module
//! calls and never passes around as a value. When every such call gives the parameter large
//! data, the parameter is large, with the first call's evidence (the rule catalog's "a
//! parameter that every call site in the project passes a large value").

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use ruff_python_ast::{self as ast, Expr, NodeKind, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::provenance::Provenance;
use crate::{Binding, NodeId, NodeRef, ScopeKind, SemanticModel};

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
    /// a function or private (`_name`), called at least once, and every read of its name (or of
    /// `self._name`) calls it.
    pub fn all_calls_of(&self, function: &StmtFunctionDef) -> Option<&[NodeId]> {
        let name = function.name.as_str();
        let private = name.starts_with('_') && !name.ends_with("__");
        let scope = self.scope_of(function)?;
        let nested = self
            .scope(scope)
            .parent
            .is_some_and(|parent| matches!(self.scope(parent).kind, ScopeKind::Function(_)));
        if !private && !nested {
            return None;
        }
        let id = self.node_id(function)?;
        let calls = self.call_sites.get_or_init(|| self.find_call_sites());
        let sites = calls.calls.get(&id)?;
        (!calls.escaping.contains(&name_key(name))).then_some(sites.as_slice())
    }

    /// The calls of the module's nested and private functions (those `all_calls_of` answers
    /// for), by function; and the names of those read without being called
    /// (`map(_decode, frames)`, `cb=self._on_data`).
    fn find_call_sites(&self) -> CallSites {
        let mut sites = CallSites::default();
        // Only the names of the functions `all_calls_of` answers for can escape.
        let askable: HashSet<u64> = self
            .scopes
            .iter()
            .filter_map(|scope| match scope.kind {
                ScopeKind::Function(function) => {
                    let name = function.name.as_str();
                    let private = name.starts_with('_') && !name.ends_with("__");
                    let nested = scope.parent.is_some_and(|parent| {
                        matches!(self.scope(parent).kind, ScopeKind::Function(_))
                    });
                    (private || nested).then(|| name_key(name))
                }
                _ => None,
            })
            .collect();
        for id in self.node_ids_of(&[NodeKind::ExprName, NodeKind::ExprAttribute]) {
            let name = match self.node(id) {
                NodeRef::Expr(Expr::Name(name)) => name.id.as_str(),
                NodeRef::Expr(Expr::Attribute(attribute)) => attribute.attr.as_str(),
                _ => continue,
            };
            // A callee has the name it is read by (`_decode`, `self._parse`): the calls and
            // reads of other names are of no function `all_calls_of` answers for.
            let key = name_key(name);
            if !askable.contains(&key) {
                continue;
            }
            let expr = self.node(id);
            let called = self.parent(id).and_then(|parent| match self.node(parent) {
                NodeRef::Expr(Expr::Call(call)) if call.func.range() == expr.range() => {
                    Some((parent, call))
                }
                _ => None,
            });
            match called {
                Some((call_id, call)) => {
                    if let Some(callee) = self.callee(&call.func).and_then(|f| self.node_id(f)) {
                        sites.calls.entry(callee).or_default().push(call_id);
                    }
                }
                None => {
                    sites.escaping.insert(key);
                }
            }
        }
        sites
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
    /// Names read other than as a call's callee, by [`name_key`]: most reads of a module are
    /// such names, and keeping a hash of each costs no allocation. Two names that share a key
    /// only make a function look passed around, which keeps its parameters unknown.
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
