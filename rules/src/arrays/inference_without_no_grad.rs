use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use std::rc::Rc;

use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::Origin;
use edgelint_semantic::{
    called_without_autograd, BindingKind, NodeId, NodeRef, Packages, ScopeId, ScopeKind,
    SemanticModel,
};
use ruff_python_ast::{Expr, ExprCall, NodeKind, Stmt, StmtAssign, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap, FxHashSet as HashSet};

use crate::mutation::dotted_path;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

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
    /// A model put in eval mode by the function that made it (`model.eval(); return model`,
    /// `return Net().eval()`), in this module or another module of the project, is in eval
    /// mode where that function's result is assigned (`detector = load_detector(path)`).
    ///
    /// A class that puts `self.model` in eval mode in one method (`__init__`, `load()`) and
    /// calls it in another (`predict()`) is flagged in the method that calls it, unless a
    /// method of the class trains (`.backward()`, `self.model.train()`, frozen parameters) or
    /// the class is a network itself (a `...Module` subclass, whose `forward` may be trained
    /// through it). A function is not flagged when every call of it in the module already runs
    /// with autograd off (`with torch.no_grad(): self._forward(batch)`), and is reported only
    /// with `--pedantic` when some calls do and others do not: its callers decide, and one of
    /// them may train through it. A method that only other modules call is reported with
    /// `--pedantic`, and not at all when one of them calls a method of that name with autograd
    /// off. In test code, examples and tools (`examples/`, `tools/`,
    /// an export script run once on a workstation) it is reported only with `--pedantic`. A
    /// model whose name says it belongs to another framework (`paddle_model`, `tf_model`, in
    /// code that converts between them) is not flagged: `torch.no_grad()` is not its switch.
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
        enabled: Enabled::Pedantic,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Function(check)],
    }
}

/// Methods that training frameworks (PyTorch Lightning, skorch, Ignite) call with autograd
/// already off.
const FRAMEWORK_NO_GRAD_HOOKS: &[&str] = &[
    "validation_step",
    "test_step",
    "predict_step",
    "evaluation_step",
];

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    let semantic = checker.semantic();
    if !semantic.imports_any(Packages::TORCH) {
        return;
    }
    if FRAMEWORK_NO_GRAD_HOOKS.contains(&function.name.as_str()) {
        return;
    }
    if function
        .decorator_list
        .iter()
        .any(|decorator| semantic.turns_autograd_off(&decorator.expression))
    {
        return;
    }
    let Some(body) = semantic.scope_of(function) else {
        return;
    };
    let mut finder = scanned(checker, body);
    // Only a function that calls a model on `self` can depend on the other methods, and
    // reading them all for every method of a class would be quadratic.
    if !finder.trains && !finder.freezes_parameters && finder.calls_self_models {
        let in_eval_mode = evaluated_by_other_methods(checker, function);
        if !in_eval_mode.is_empty() {
            let mut again = InferenceFinder {
                in_eval_mode,
                ..InferenceFinder::default()
            };
            again.scan(semantic, body);
            finder = Rc::new(again);
        }
    }
    if finder.trains || finder.freezes_parameters || finder.reported.is_empty() {
        return;
    }
    // Every call of the function in the module runs it with autograd off already (a step
    // helper called inside `with torch.no_grad():`).
    let is_method = semantic.class_of(function).is_some();
    let mut calls = semantic.calls_to(function);
    // A method is also called through its instances (`classifier.classify(frame)`), which are
    // matched by the method's name.
    if is_method {
        calls.extend(method_calls(semantic, function.name.as_str()));
        calls.sort_unstable();
        calls.dedup();
    }
    let without_autograd = calls
        .iter()
        .filter(|call| semantic.runs_without_autograd(**call))
        .count();
    if !calls.is_empty() && without_autograd == calls.len() {
        return;
    }
    let called_both_ways = without_autograd > 0;
    // A method no code of its module calls is called through instances elsewhere, where the
    // callers may well turn autograd off (`with torch.no_grad(): scorer(batch)`).
    let called_elsewhere = calls.is_empty() && is_method;
    let is_test = checker.is_test_file();
    let is_example = checker.is_example_file();
    for (call, model, eval) in finder.reported.iter().cloned() {
        // Where the model is put in eval mode: the model whose activations are kept.
        let evidence =
            checker.evidence(eval, || "eval mode does not turn autograd off".to_string());
        let diagnostic = checker.report(
            call,
            format!("`{model}` runs inference with autograd on: every activation is kept for a backward pass that never comes"),
        );
        diagnostic.label =
            "called outside `torch.no_grad()` / `torch.inference_mode()`".to_string();
        diagnostic.evidence = evidence;
        diagnostic.help = Some(
            "wrap the inference in `with torch.inference_mode():`, or decorate the function with `@torch.inference_mode()`".to_string(),
        );
        // Called with autograd off somewhere and on elsewhere: a helper whose callers decide
        // (some of them may train through it).
        if is_test {
            diagnostic.unproven =
                Some("in test code, the model runs on what the test supplies".to_string());
        } else if is_example {
            diagnostic.unproven = Some(
                "in an example or a tool, the model runs on what whoever runs it supplies"
                    .to_string(),
            );
        } else if called_both_ways {
            diagnostic.unproven = Some(format!(
                "`{}()` is also called with autograd off: its callers may decide",
                function.name
            ));
        } else if called_elsewhere {
            diagnostic.unproven = Some(format!(
                "`{}()` is called from other modules, which may already turn autograd off",
                function.name
            ));
            // Not reported at all when one of them does: its callers decide.
            diagnostic
                .unless_handed_out_elsewhere
                .push(called_without_autograd(function.name.as_str()));
        }
    }
}

/// Whether a model's name says it belongs to another framework (`paddle_model`, `tf_model`,
/// `self.flax_model`), as in code that converts between frameworks: `torch.no_grad()` is not
/// its switch.
fn names_another_framework(path: &str) -> bool {
    path.split(['.', '_']).any(|word| {
        matches!(
            word.to_ascii_lowercase().as_str(),
            "paddle"
                | "tf"
                | "tensorflow"
                | "keras"
                | "flax"
                | "jax"
                | "mx"
                | "mxnet"
                | "onnx"
                | "ort"
        )
    })
}

/// The calls `<receiver>.<name>(...)` in the module.
fn method_calls(semantic: &SemanticModel, name: &str) -> Vec<NodeId> {
    semantic
        .attribute_nodes(name)
        .filter_map(|id| {
            let call = semantic.parent(id)?;
            matches!(semantic.node(call), NodeRef::Expr(Expr::Call(call))
                if matches!(&*call.func, Expr::Attribute(method) if method.range() == semantic.node(id).range()))
            .then_some(call)
        })
        .collect()
}

/// The models on `self` that another method of the same class puts in eval mode
/// (`self.model.eval()` in `__init__` or `load()`), when no method of the class trains,
/// fine-tunes or puts them back in training mode: every method then runs them in eval mode.
/// Not in a network itself (a `...Module` subclass), whose `forward` is part of a larger
/// graph that may well be trained through the submodule it put in eval mode.
fn evaluated_by_other_methods(
    checker: &mut Checker,
    function: &StmtFunctionDef,
) -> Vec<(String, Origin)> {
    let semantic = checker.semantic();
    let Some(class) = semantic.class_of(function) else {
        return Vec::new();
    };
    let ScopeKind::Class(class_def) = semantic.scope(class).kind else {
        return Vec::new();
    };
    let is_network = class_def
        .bases()
        .iter()
        .any(|base| dotted_path(base).is_some_and(|path| path.ends_with("Module")));
    if is_network || function.name.as_str() == "forward" {
        return Vec::new();
    }
    // Each method of the class that calls a model on `self` asks: the class is read once,
    // from the scans of its methods, which their own checks share.
    let key = class.index() as u32;
    let methods = match checker.memoized(key) {
        Some(methods) => methods,
        None => {
            let scans: Vec<(ScopeId, Rc<InferenceFinder>)> = semantic
                .methods(class)
                .map(|(_, body)| (body, scanned(checker, body)))
                .collect();
            checker.memo(key, |checker| ClassModels::of(checker.semantic(), scans))
        }
    };
    let Some(methods) = &*methods else {
        return Vec::new();
    };
    let own = semantic.scope_of(function);
    // Of each model, the last `eval()` by another method: the scan asks only for a model's
    // latest (see `InferenceFinder::model_in_eval_mode`), in the methods' order.
    let mut evaluated: Vec<&Eval> = methods
        .evaluated
        .iter()
        .filter_map(|evals| {
            if Some(evals.last.method) != own {
                Some(&evals.last)
            } else {
                evals.by_another.as_ref()
            }
        })
        .collect();
    evaluated.sort_by_key(|eval| eval.order);
    evaluated
        .into_iter()
        .map(|eval| (eval.path.clone(), eval.origin))
        .collect()
}

/// What the methods of a class do with the models on `self` none of them puts back in
/// training mode: each one's last `eval()` (see [`ModelEvals`]).
struct ClassModels {
    evaluated: Vec<ModelEvals>,
}

/// The `eval()` calls of one model by a class's methods that matter to a method: the last one,
/// and the last by another method than that one's (what the method that made the last sees).
/// A class of many methods would otherwise give each of them every other's.
struct ModelEvals {
    last: Eval,
    by_another: Option<Eval>,
}

struct Eval {
    path: String,
    origin: Origin,
    method: ScopeId,
    /// Where the call stands among the methods' `eval()` calls, in their order.
    order: usize,
}

impl ClassModels {
    /// `None` when a method trains, fine-tunes or freezes parameters: the class trains.
    fn of(
        semantic: &SemanticModel,
        scans: Vec<(ScopeId, Rc<InferenceFinder>)>,
    ) -> Option<ClassModels> {
        let mut trained: HashSet<String> = HashSet::default();
        let mut by_path: HashMap<String, ModelEvals> = HashMap::default();
        let mut order = 0;
        for (body, scan) in scans {
            let mut finder = InferenceFinder::clone(&scan);
            // `self.model = load_model(path)` in `__init__`.
            finder.ask_loader(semantic, is_on_self);
            if finder.trains || finder.freezes_parameters {
                return None;
            }
            trained.extend(finder.trained);
            for (path, origin) in finder.evaluated {
                if !path.starts_with("self.") {
                    continue;
                }
                order += 1;
                let eval = Eval {
                    path: path.clone(),
                    origin,
                    method: body,
                    order,
                };
                match by_path.entry(path) {
                    Entry::Vacant(entry) => {
                        entry.insert(ModelEvals {
                            last: eval,
                            by_another: None,
                        });
                    }
                    Entry::Occupied(mut entry) => {
                        let evals = entry.get_mut();
                        let last = std::mem::replace(&mut evals.last, eval);
                        if last.method != body {
                            evals.by_another = Some(last);
                        }
                    }
                }
            }
        }
        let evaluated = by_path
            .into_iter()
            .filter(|(path, _)| !trained.contains(path))
            .map(|(_, evals)| evals)
            .collect();
        Some(ClassModels { evaluated })
    }
}

/// What a scan of `body` from no model in eval mode finds, worked out once per body: the
/// function's own check and its class's models (see [`ClassModels::of`]) both ask. Kept by
/// the body's scope, as the class's models are by the class's: no two scopes share an id.
fn scanned(checker: &mut Checker, body: ScopeId) -> Rc<InferenceFinder> {
    checker.memo(body.index() as u32, |checker| {
        let mut finder = InferenceFinder::default();
        finder.scan(checker.semantic(), body);
        finder
    })
}

/// Whether `expr` is the dotted path `path` (`self.model`), without building it: asked of
/// every call.
fn spells(expr: &Expr, path: &str) -> bool {
    match expr {
        Expr::Name(name) => path == name.id.as_str(),
        Expr::Attribute(attribute) => path
            .strip_suffix(attribute.attr.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|rest| spells(&attribute.value, rest)),
        _ => false,
    }
}

/// Whether a call can be one to a function that returns a model: a function by name
/// (`load_detector(path)`), one of an imported module (`models.load(path)`), or a method
/// through `self`; not a method of a local value (`x = x.view(-1)`), the most common call.
fn may_be_a_loader(semantic: &SemanticModel, func: &Expr) -> bool {
    match func {
        Expr::Name(_) => true,
        Expr::Attribute(attribute) => match &*attribute.value {
            Expr::Name(base) => semantic.binding_of(base).is_some_and(|binding| {
                let binding = semantic.binding(binding);
                matches!(binding.kind, BindingKind::Import { .. })
                    || matches!(binding.name, "self" | "cls")
            }),
            _ => false,
        },
        _ => false,
    }
}

/// Whether two expressions are the same dotted path (`self.model`), without building it.
fn same_path(left: &Expr, right: &Expr) -> bool {
    match (left, right) {
        (Expr::Name(left), Expr::Name(right)) => left.id == right.id,
        (Expr::Attribute(left), Expr::Attribute(right)) => {
            left.attr.as_str() == right.attr.as_str() && same_path(&left.value, &right.value)
        }
        _ => false,
    }
}

/// `self.model`, `self.encoder.backbone`: an attribute path that starts at `self`.
fn is_on_self(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(attribute) => match &*attribute.value {
            Expr::Name(name) => name.id.as_str() == "self",
            inner => is_on_self(inner),
        },
        _ => false,
    }
}

/// The expression `id` is, as the finder keeps the targets it follows.
fn expression<'a>(semantic: &SemanticModel<'a>, id: NodeId) -> &'a Expr {
    semantic
        .node(id)
        .as_expr()
        .expect("the finder keeps the ids of expressions")
}

fn is_false(expr: Option<&Expr>) -> bool {
    matches!(expr, Some(Expr::BooleanLiteral(literal)) if !literal.value)
}

#[derive(Clone, Default)]
struct InferenceFinder {
    /// Models in eval mode at this point, with where they were put in it.
    in_eval_mode: Vec<(String, Origin)>,
    /// Names bound to what a call returned (`detector = load_detector(path)`): in eval mode if
    /// the callee put the model it returns in eval mode, which is asked only when the name is
    /// called as a model, since most assigned calls never are. Kept as the target's and the
    /// call's ids, so that a scan can be kept for the rest of the module's check.
    assigned: Vec<(NodeId, NodeId)>,
    /// Once `assigned` is long, how many of its targets have each path hash (see
    /// [`path_hash`]): most assignments and calls match none, and are told so without reading
    /// the whole list, which in a long function would cost the square of its length.
    assigned_paths: Option<HashMap<u64, u32>>,
    /// Inference calls: the call, the model, its `eval()`.
    reported: Vec<(TextRange, String, Origin)>,
    /// The function calls `.backward()`: it trains.
    trains: bool,
    /// `p.requires_grad = False` or `.requires_grad_(False)`: no graph is recorded for the
    /// parameters, which is what the contexts are for.
    freezes_parameters: bool,
    /// Every model put in eval mode, with where, and every one put back in training mode.
    evaluated: Vec<(String, Origin)>,
    trained: Vec<String>,
    /// A model on `self` is called with autograd on (`self.model(x)`, in eval mode or not).
    calls_self_models: bool,
}

impl InferenceFinder {
    /// Follows a function body in order; nested functions and classes run at another time,
    /// under their own contexts.
    fn scan(&mut self, semantic: &SemanticModel, body: ScopeId) {
        // `model = Net().eval()` puts the name in eval mode once the statement is done.
        let mut after_statement: Vec<(NodeId, Vec<(String, Origin)>)> = Vec::new();
        // Only assignments and calls matter: the others are skipped by the kind kept in the
        // node table, without reading them from the tree.
        let assignments_and_calls = semantic
            .own_node_kinds(body)
            .filter(|(_, kind)| matches!(kind, NodeKind::StmtAssign | NodeKind::ExprCall));
        for (id, _) in assignments_and_calls {
            if !after_statement.is_empty() {
                let (done, pending) = after_statement.into_iter().partition(|(end, _)| id >= *end);
                after_statement = pending;
                for (_, models) in done {
                    self.evaluated.extend(models.iter().cloned());
                    self.in_eval_mode.extend(models);
                }
            }
            match semantic.node(id) {
                NodeRef::Stmt(Stmt::Assign(assign)) => {
                    if let Some(models) = self.assign(semantic, assign) {
                        after_statement.push((semantic.descendants_end(id), models));
                    }
                }
                NodeRef::Expr(Expr::Call(call)) => {
                    self.visit_call(semantic, call, semantic.autograd_off(id));
                }
                _ => {}
            }
        }
        for (_, models) in after_statement {
            self.evaluated.extend(models);
        }
    }

    /// The latest `eval()` of `model`: the function's own comes after those of other methods.
    fn model_in_eval_mode(&self, model: &Expr) -> Option<(String, Origin)> {
        self.in_eval_mode
            .iter()
            .rfind(|(known, _)| spells(model, known))
            .cloned()
    }

    /// A call, made with autograd off or on.
    fn visit_call(&mut self, semantic: &SemanticModel, call: &ExprCall, autograd_off: bool) {
        // `torch.autograd.grad(loss, params)` backpropagates as `.backward()` does. A method
        // call names it only as `.grad(...)`: most calls need not be resolved.
        let may_be_grad = match &*call.func {
            Expr::Attribute(attribute) => attribute.attr.as_str() == "grad",
            _ => true,
        };
        if may_be_grad && semantic.resolves_to(&call.func, &["torch.autograd.grad"]) {
            self.trains = true;
        }
        if let Expr::Attribute(attribute) = &*call.func {
            let no_arguments = call.arguments.is_empty();
            match attribute.attr.as_str() {
                "backward" => self.trains = true,
                "requires_grad_" if is_false(call.arguments.args.first()) => {
                    self.freezes_parameters = true;
                }
                "eval" if no_arguments => {
                    if let Some(path) = dotted_path(&attribute.value) {
                        let eval = Origin::Here(call.range());
                        self.evaluated.push((path.clone(), eval));
                        self.in_eval_mode.push((path, eval));
                    }
                    return;
                }
                "train" => {
                    if let Some(path) = dotted_path(&attribute.value) {
                        self.in_eval_mode.retain(|(known, _)| *known != path);
                        self.trained.push(path);
                    }
                    return;
                }
                "forward" => return self.inference(semantic, call, &attribute.value, autograd_off),
                _ => {}
            }
        }
        self.inference(semantic, call, &call.func, autograd_off);
    }

    fn inference(
        &mut self,
        semantic: &SemanticModel,
        call: &ExprCall,
        model: &Expr,
        autograd_off: bool,
    ) {
        if autograd_off {
            return;
        }
        self.calls_self_models |= is_on_self(model);
        if self.in_eval_mode.is_empty() && self.assigned.is_empty() {
            return;
        }
        if self.may_have_assigned(model)
            && self
                .assigned
                .iter()
                .any(|(name, _)| same_path(model, expression(semantic, *name)))
        {
            self.ask_loader(semantic, |name| same_path(model, name));
        }
        let Some((path, eval)) = self.model_in_eval_mode(model) else {
            return;
        };
        if names_another_framework(&path) {
            return;
        }
        self.reported.push((call.range(), path, eval));
    }

    /// Asks, for the names assigned from a call that `wanted` picks, whether the callee put
    /// the model it returns in eval mode; those it did are in eval mode from then on.
    fn ask_loader(&mut self, semantic: &SemanticModel, wanted: impl Fn(&Expr) -> bool) {
        let (asked, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.assigned)
            .into_iter()
            .partition(|(name, _)| wanted(expression(semantic, *name)));
        self.assigned = rest;
        if !asked.is_empty() {
            self.count_assigned_paths(semantic);
        }
        for (name, call) in asked {
            let NodeRef::Expr(Expr::Call(call)) = semantic.node(call) else {
                continue;
            };
            let (Some(path), Some(eval)) = (
                dotted_path(expression(semantic, name)),
                semantic.returns_model_in_eval_mode(call),
            ) else {
                continue;
            };
            self.evaluated.push((path.clone(), eval));
            self.in_eval_mode.push((path, eval));
        }
    }

    /// Whether some name of `assigned` may be the path `expr`: there is one, and when the list
    /// is long, one with the same path hash.
    fn may_have_assigned(&self, expr: &Expr) -> bool {
        match &self.assigned_paths {
            None => !self.assigned.is_empty(),
            Some(paths) => path_hash(expr).is_some_and(|hash| paths.contains_key(&hash)),
        }
    }

    /// Adds a loader's result to `assigned`, counted by path once the list is long.
    fn push_assigned(&mut self, semantic: &SemanticModel, target: NodeId, call: NodeId) {
        self.assigned.push((target, call));
        match &mut self.assigned_paths {
            Some(paths) => {
                if let Some(hash) = path_hash(expression(semantic, target)) {
                    *paths.entry(hash).or_default() += 1;
                }
            }
            None if self.assigned.len() > LONG_ASSIGNED => self.count_assigned_paths(semantic),
            None => {}
        }
    }

    /// Counts `assigned` by path again after some of it went, if it is still long.
    fn count_assigned_paths(&mut self, semantic: &SemanticModel) {
        self.assigned_paths = (self.assigned.len() > LONG_ASSIGNED).then(|| {
            let mut paths: HashMap<u64, u32> = HashMap::default();
            for (name, _) in &self.assigned {
                if let Some(hash) = path_hash(expression(semantic, *name)) {
                    *paths.entry(hash).or_default() += 1;
                }
            }
            paths
        });
    }
}

/// How long `InferenceFinder::assigned` gets before its paths are counted.
const LONG_ASSIGNED: usize = 32;

/// A hash of the dotted path `expr` is (`self.model`), equal for paths [`same_path`] finds the
/// same; `None` for any other expression, which is no path.
fn path_hash(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Name(name) => Some(FxBuildHasher.hash_one(name.id.as_str())),
        Expr::Attribute(attribute) => {
            let value = path_hash(&attribute.value)?;
            Some(FxBuildHasher.hash_one((value, attribute.attr.as_str())))
        }
        _ => None,
    }
}

impl InferenceFinder {
    /// `p.requires_grad = False` freezes parameters; `model = Net().eval()` gives the models
    /// the statement puts in eval mode; `model = load_model(path)` is kept to ask about
    /// `load_model` (in this module or another) if `model` is called.
    fn assign(
        &mut self,
        semantic: &SemanticModel,
        assign: &StmtAssign,
    ) -> Option<Vec<(String, Origin)>> {
        let freezes = assign.targets.iter().any(|target| {
            matches!(target, Expr::Attribute(attribute) if attribute.attr.as_str() == "requires_grad")
        }) && is_false(Some(&assign.value));
        self.freezes_parameters |= freezes;
        let Expr::Call(call) = &*assign.value else {
            return None;
        };
        // The name now holds the new value: what an earlier call returned is gone.
        if assign
            .targets
            .iter()
            .any(|target| self.may_have_assigned(target))
        {
            self.assigned.retain(|(name, _)| {
                !assign
                    .targets
                    .iter()
                    .any(|target| same_path(target, expression(semantic, *name)))
            });
            self.count_assigned_paths(semantic);
        }
        let is_eval = call.arguments.is_empty()
            && matches!(&*call.func, Expr::Attribute(attribute) if attribute.attr.as_str() == "eval");
        if !is_eval {
            if let (true, Some(call)) = (
                may_be_a_loader(semantic, &call.func),
                semantic.node_id(&*assign.value),
            ) {
                for target in &assign.targets {
                    if let Some(name) = semantic.node_id(target) {
                        self.push_assigned(semantic, name, call);
                    }
                }
            }
            return None;
        }
        let eval = Origin::Here(call.range());
        Some(
            assign
                .targets
                .iter()
                .filter_map(dotted_path)
                .map(|path| (path, eval))
                .collect(),
        )
    }
}
