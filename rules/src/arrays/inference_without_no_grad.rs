use edgelint_diagnostics::{Label, Severity};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::mutation::dotted_path;
use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a torch model put in evaluation mode (`model.eval()`) and then called
    /// (`model(x)`, `model.forward(x)`) in the same function outside any `torch.no_grad()` or
    /// `torch.inference_mode()` block, in a function not decorated with either. A project's own
    /// wrapper named after them (`@smart_inference_mode()`, `with no_grad_ctx():`) counts too.
    ///
    /// Each call is reported: each builds a graph of its own. Functions that freeze the
    /// parameters (`p.requires_grad = False`, `model.requires_grad_(False)`) are not flagged,
    /// nor are the hooks that training frameworks already run without autograd
    /// (`validation_step`, `test_step`, `predict_step`, `evaluation_step`). Functions that call `.backward()`
    /// (training code) are not flagged, nor are modules that do not import torch.
    ///
    /// ## Why is this bad?
    /// `eval()` only changes how dropout and batch norm behave; it does not turn autograd off.
    /// With autograd on, every intermediate activation of the forward pass is kept alive for a
    /// backward pass that inference never makes: memory grows with the depth of the model and
    /// the batch size instead of staying at one layer's worth.
    ///
    /// ## Example
    /// ```python
    /// import torch
    ///
    /// def predict(model, batch):
    ///     model.eval()
    ///     return model(batch).argmax(dim=1)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import torch
    ///
    /// def predict(model, batch):
    ///     model.eval()
    ///     with torch.inference_mode():
    ///         return model(batch).argmax(dim=1)
    /// ```
    pub static INFERENCE_WITHOUT_NO_GRAD = {
        code: "EL504",
        name: "inference-without-no-grad",
        family: Family::Arrays,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::None,
        hooks: &[Hook::Function(check)],
    }
}

/// Context managers and decorators that turn autograd off.
const NO_GRAD: &[&str] = &[
    "torch.no_grad",
    "torch.inference_mode",
    "torch.set_grad_enabled",
    "torch.autograd.no_grad",
    "torch.autograd.inference_mode",
    "torch.autograd.set_grad_enabled",
    "torch.autograd.grad_mode.no_grad",
    "torch.autograd.grad_mode.inference_mode",
];

/// Methods that training frameworks (PyTorch Lightning, skorch, Ignite) call with autograd
/// already off.
const FRAMEWORK_NO_GRAD_HOOKS: &[&str] = &[
    "validation_step",
    "test_step",
    "predict_step",
    "evaluation_step",
];

/// A project's own wrapper, named after what it does (`smart_inference_mode`,
/// `utils.no_grad_if_eval`): trusted to turn autograd off.
fn is_project_no_grad(callee: &Expr) -> bool {
    let name = match callee {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return false,
    };
    name.contains("no_grad") || name.contains("inference_mode")
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    let semantic = checker.semantic();
    if !semantic.imports_any(&["torch"]) {
        return;
    }
    let turns_off_autograd = |expr: &Expr| {
        let callee = match expr {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        semantic.resolves_to(callee, NO_GRAD) || is_project_no_grad(callee)
    };
    if FRAMEWORK_NO_GRAD_HOOKS.contains(&function.name.as_str()) {
        return;
    }
    if function
        .decorator_list
        .iter()
        .any(|decorator| turns_off_autograd(&decorator.expression))
    {
        return;
    }
    let mut finder = InferenceFinder {
        turns_off_autograd: &turns_off_autograd,
        no_grad_depth: 0,
        in_eval_mode: Vec::new(),
        reported: Vec::new(),
        trains: false,
        freezes_parameters: false,
    };
    finder.visit_body(&function.body);
    if finder.trains || finder.freezes_parameters {
        return;
    }
    for (call, model, eval) in finder.reported {
        let diagnostic = checker.report(
            call,
            format!("`{model}` runs inference with autograd on: every activation is kept for a backward pass that never comes"),
        );
        diagnostic.label =
            "called outside `torch.no_grad()` / `torch.inference_mode()`".to_string();
        diagnostic.secondary.push(Label {
            range: eval,
            message: "eval mode does not turn autograd off".to_string(),
        });
        diagnostic.help = Some(
            "wrap the inference in `with torch.inference_mode():`, or decorate the function with `@torch.inference_mode()`".to_string(),
        );
    }
}

fn is_false(expr: Option<&Expr>) -> bool {
    matches!(expr, Some(Expr::BooleanLiteral(literal)) if !literal.value)
}

struct InferenceFinder<'f> {
    turns_off_autograd: &'f dyn Fn(&Expr) -> bool,
    /// How many autograd-off `with` blocks enclose the current node.
    no_grad_depth: usize,
    /// Models in eval mode at this point, with where they were put in it.
    in_eval_mode: Vec<(String, TextRange)>,
    /// Inference calls: the call, the model, its `eval()`.
    reported: Vec<(TextRange, String, TextRange)>,
    /// The function calls `.backward()`: it trains.
    trains: bool,
    /// `p.requires_grad = False` or `.requires_grad_(False)`: no graph is recorded for the
    /// parameters, which is what the contexts are for.
    freezes_parameters: bool,
}

impl InferenceFinder<'_> {
    fn model_in_eval_mode(&self, model: &Expr) -> Option<(String, TextRange)> {
        let path = dotted_path(model)?;
        self.in_eval_mode
            .iter()
            .find(|(known, _)| *known == path)
            .cloned()
    }

    fn visit_call(&mut self, call: &ExprCall) {
        if let Expr::Attribute(attribute) = &*call.func {
            let no_arguments = call.arguments.is_empty();
            match attribute.attr.as_str() {
                "backward" => self.trains = true,
                "requires_grad_" if is_false(call.arguments.args.first()) => {
                    self.freezes_parameters = true;
                }
                "eval" if no_arguments => {
                    if let Some(path) = dotted_path(&attribute.value) {
                        self.in_eval_mode.push((path, call.range()));
                    }
                    return;
                }
                "train" => {
                    if let Some(path) = dotted_path(&attribute.value) {
                        self.in_eval_mode.retain(|(known, _)| *known != path);
                    }
                    return;
                }
                "forward" => return self.inference(call, &attribute.value),
                _ => {}
            }
        }
        self.inference(call, &call.func);
    }

    fn inference(&mut self, call: &ExprCall, model: &Expr) {
        if self.no_grad_depth > 0 {
            return;
        }
        let Some((path, eval)) = self.model_in_eval_mode(model) else {
            return;
        };
        self.reported.push((call.range(), path, eval));
    }
}

impl<'a> Visitor<'a> for InferenceFinder<'_> {
    fn visit_stmt(&mut self, statement: &'a Stmt) {
        match statement {
            // Nested functions and classes run at another time, under their own contexts.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::With(with) => {
                let turns_off = with
                    .items
                    .iter()
                    .any(|item| (self.turns_off_autograd)(&item.context_expr));
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                }
                self.no_grad_depth += usize::from(turns_off);
                self.visit_body(&with.body);
                self.no_grad_depth -= usize::from(turns_off);
            }
            // `model = Net().eval()`: the name holds a model in eval mode.
            Stmt::Assign(assign) => {
                visitor::walk_stmt(self, statement);
                let freezes = assign.targets.iter().any(|target| {
                    matches!(target, Expr::Attribute(attribute) if attribute.attr.as_str() == "requires_grad")
                }) && is_false(Some(&assign.value));
                self.freezes_parameters |= freezes;
                if let Expr::Call(call) = &*assign.value {
                    let is_eval = call.arguments.is_empty()
                        && matches!(&*call.func, Expr::Attribute(attribute) if attribute.attr.as_str() == "eval");
                    if is_eval {
                        for target in &assign.targets {
                            if let Some(path) = dotted_path(target) {
                                self.in_eval_mode.push((path, call.range()));
                            }
                        }
                    }
                }
            }
            _ => visitor::walk_stmt(self, statement),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => {}
            Expr::Call(call) => {
                self.visit_call(call);
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}
