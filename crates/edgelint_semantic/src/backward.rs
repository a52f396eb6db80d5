//! What a function did to the model or tensor it returns, for its callers:
//! - a loss handed back after `.backward()`: a training step that calls `loss.backward()` and
//!   returns `loss` returns a tensor whose autograd graph is still attached. A caller that adds
//!   what it returns to a running total keeps every step's graph alive, though the step itself
//!   looks harmless (`total += train_step(batch)`);
//! - a model handed back in eval mode (`model.eval(); return model`): a caller that runs it
//!   without `torch.no_grad()` runs inference with autograd on, though the `.eval()` is in
//!   another function, or another module.

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{Expr, ExprCall, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::provenance::Origin;
use crate::{last_name, NodeRef, ScopeId, SemanticModel};

impl<'a> SemanticModel<'a> {
    /// The `.backward()` call of the loss `function` returns, when every `return` of it returns
    /// the one local it called `.backward()` on (`loss.backward(); return loss`). A detached
    /// copy (`return loss.item()`, `return loss.detach()`) is something else, and so is a
    /// generator's.
    pub(crate) fn backward_of_returned(&self, function: &StmtFunctionDef) -> Option<TextRange> {
        let body = self.scope_of(function)?;
        let loss = self.returned_local(body)?;
        self.bindings_in(body)
            .filter(|(_, binding)| binding.name == loss)
            .flat_map(|(binding, _)| self.references_of(binding))
            .filter_map(|reference| {
                let reference = self.reference(*reference);
                // Not in a nested function, which runs at another time.
                if reference.scope != body {
                    return None;
                }
                let NodeRef::Expr(read) = self.node(reference.node) else {
                    return None;
                };
                // The backward call is at most two calls up: `loss.backward()`,
                // `accelerator.backward(loss)`, `scaler.scale(loss).backward()`.
                self.ancestors(reference.node).take(4).find_map(|ancestor| {
                    match self.node(ancestor) {
                        NodeRef::Expr(Expr::Call(call)) if is_backward_of(call, read) => {
                            Some(call.range())
                        }
                        _ => None,
                    }
                })
            })
            .min_by_key(|range| range.start())
    }

    /// The `.eval()` call that put the model `function` returns in eval mode: every `return`
    /// returns one local that had `.eval()` called on it and never `.train(...)`, or returns
    /// `<model>.eval()` itself (`return Net().eval()`).
    pub(crate) fn eval_of_returned(&self, function: &StmtFunctionDef) -> Option<TextRange> {
        let body = self.scope_of(function)?;
        let scope = self.scope(body);
        if let Some(Some(first @ Expr::Call(call))) = self
            .returns_of(body)
            .first()
            .map(|ret| ret.value.as_deref())
        {
            // The cheap questions first: most functions return no `.eval()` call, and comparing
            // every return with the first builds a comparable copy of each.
            let all_the_same = || {
                let first = ComparableExpr::from(first);
                self.returns_of(body).iter().all(|ret| {
                    ret.value
                        .as_deref()
                        .is_some_and(|other| ComparableExpr::from(other) == first)
                })
            };
            return (!scope.is_generator && is_eval(call) && all_the_same()).then(|| call.range());
        }
        let model = self.returned_local(body)?;
        let mut eval = None;
        for (method, call) in self.method_calls_on(body, model) {
            match method {
                "eval"
                    if call.arguments.is_empty()
                        && eval.is_none_or(|first: TextRange| call.start() < first.start()) =>
                {
                    eval = Some(call.range());
                }
                "train" => return None,
                _ => {}
            }
        }
        eval
    }

    /// The one local every `return` of the function whose scope is `body` returns
    /// (`return loss`); none for a generator.
    fn returned_local(&self, body: ScopeId) -> Option<&'a str> {
        let scope = self.scope(body);
        if scope.is_generator {
            return None;
        }
        let mut returned = self
            .returns_of(body)
            .iter()
            .map(|ret| match ret.value.as_deref() {
                Some(Expr::Name(name)) => Some(name.id.as_str()),
                _ => None,
            });
        let local = returned.next()??;
        returned.all(|name| name == Some(local)).then_some(local)
    }

    /// The methods called on the local `name` in the function's own code (`name.method(...)`),
    /// found from the reads of its bindings, not by a scan of the body: every function is
    /// summarized.
    fn method_calls_on<'s>(
        &'s self,
        body: ScopeId,
        name: &'s str,
    ) -> impl Iterator<Item = (&'a str, &'a ExprCall)> + 's {
        self.bindings_named(body, name)
            .flat_map(move |(binding, _)| self.references_of(binding))
            .filter_map(move |reference| {
                let reference = self.reference(*reference);
                // Not in a nested function, which runs at another time.
                if reference.scope != body {
                    return None;
                }
                let method = self.parent(reference.node)?;
                let NodeRef::Expr(Expr::Attribute(attribute)) = self.node(method) else {
                    return None;
                };
                let NodeRef::Expr(Expr::Call(call)) = self.node(self.parent(method)?) else {
                    return None;
                };
                (call.func.range() == attribute.range).then_some((attribute.attr.as_str(), call))
            })
    }

    /// Where the model a call returns was put in eval mode, when the callee is a function of
    /// this module (or a method through `self`) or of the project that returns a model it put
    /// in eval mode (see [`SemanticModel::eval_of_returned`]).
    pub fn returns_model_in_eval_mode(&self, call: &ExprCall) -> Option<Origin> {
        if let Some(function) = self.callee(&call.func) {
            return self.eval_of_returned(function).map(Origin::Here);
        }
        let qualified = self.resolve(&call.func)?;
        self.project_evaluated(qualified.as_str())
    }

    /// Where the tensor a call returns had `.backward()` called on it, when the callee is a
    /// function of this module (or a method through `self`) or of the project that returns its
    /// loss after `.backward()` (see [`SemanticModel::backward_of_returned`]).
    pub fn returns_backpropagated_loss(&self, call: &ExprCall) -> Option<Origin> {
        if let Some(function) = self.callee(&call.func) {
            return self.backward_of_returned(function).map(Origin::Here);
        }
        let qualified = self.resolve(&call.func)?;
        self.project_backpropagated(qualified.as_str())
    }
}

/// `<model>.eval()`, with no arguments.
fn is_eval(call: &ExprCall) -> bool {
    call.arguments.is_empty()
        && matches!(&*call.func, Expr::Attribute(method) if method.attr.as_str() == "eval")
}

/// Whether `call` backpropagates through `loss` (a name, `out.loss` or `out["loss"]`):
/// `loss.backward()`; AMP's `scaler.scale(loss).backward()`; or a training helper given the
/// loss first, as Accelerate, Fabric, Lightning, DeepSpeed and torch itself spell it
/// (`accelerator.backward(loss)`, `self.manual_backward(loss)`, `torch.autograd.backward(loss)`),
/// or apex's `amp.scale_loss(loss, optimizer)`, whose result is backpropagated.
pub fn is_backward_of(call: &ExprCall, loss: &Expr) -> bool {
    let same = |expr: &Expr| ComparableExpr::from(expr) == ComparableExpr::from(loss);
    let first_argument_is_loss = |call: &ExprCall| call.arguments.args.first().is_some_and(same);
    let Some(callee) = last_name(&call.func) else {
        return false;
    };
    match callee {
        "backward" => match &*call.func {
            Expr::Attribute(method) => {
                same(&method.value)
                    || first_argument_is_loss(call)
                    || matches!(&*method.value, Expr::Call(scaled)
                        if matches!(&*scaled.func, Expr::Attribute(scale) if scale.attr.as_str() == "scale")
                            && first_argument_is_loss(scaled))
            }
            _ => first_argument_is_loss(call),
        },
        "manual_backward" | "scale_loss" => first_argument_is_loss(call),
        _ => false,
    }
}
