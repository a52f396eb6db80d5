use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::{is_backward_of, BindingKind, NodeRef, Packages, SemanticModel};
use ruff_python_ast::{Expr, NodeKind, Operator, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet as HashSet;

use super::current_body;
use crate::mutation::dotted_path;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags, inside a training loop, a loss added to an accumulator or list as a tensor:
    /// `total += loss`, `total = total + loss`, `total += loss * n`, `losses.append(loss)`,
    /// where the same loop backpropagates through `loss`, in a module that imports torch. The
    /// loss may be read from a model's output (`out["loss"]`, `outputs.loss`), and
    /// backpropagated directly (`loss.backward()`), through AMP's gradient scaler
    /// (`scaler.scale(loss).backward()`) or through a training helper
    /// (`accelerator.backward(loss)`, `fabric.backward(loss)`, `self.manual_backward(loss)`).
    /// Also where the loop gets `loss` from a training step that backpropagates through the
    /// loss it returns (`loss = train_step(batch)`): a function of the module, a method called
    /// through `self`, or a function of another module of the project; the finding then shows
    /// where.
    ///
    /// `loss.item()`, `loss.detach()` and `float(loss)` are plain numbers or graph-free tensors
    /// and are not flagged, and neither is a loss the loop rebinds to one of them after its
    /// backward pass (`loss.backward(); loss = loss.detach()`), nor an accumulator the loop
    /// resets (`running_loss = 0` after each optimizer step, `window.clear()`), which keeps the
    /// graphs of one window of iterations only.
    ///
    /// ## Why is this bad?
    /// A loss tensor that `backward()` was called on still references the autograd graph of
    /// its iteration, and through it the saved activations. Adding it to an accumulator builds
    /// one ever-growing graph; appending it to a list keeps every iteration's graph alive.
    /// Memory grows with every step until the epoch ends, or the device runs out.
    ///
    /// ## Example
    /// ```python
    /// import torch
    ///
    /// def train_epoch(model, loader, optimizer, loss_fn):
    ///     total = 0.0
    ///     for inputs, targets in loader:
    ///         optimizer.zero_grad()
    ///         loss = loss_fn(model(inputs), targets)
    ///         loss.backward()
    ///         optimizer.step()
    ///         total += loss
    ///     return total / len(loader)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import torch
    ///
    /// def train_epoch(model, loader, optimizer, loss_fn):
    ///     total = 0.0
    ///     for inputs, targets in loader:
    ///         optimizer.zero_grad()
    ///         loss = loss_fn(model(inputs), targets)
    ///         loss.backward()
    ///         optimizer.step()
    ///         total += loss.item()
    ///     return total / len(loader)
    /// ```
    ///
    /// ## Fix safety
    /// The fix (`loss` → `loss.item()`) is unsafe: the accumulator becomes a Python float
    /// rather than a tensor, which changes what later code gets (and `item()` needs a
    /// one-element loss; a caller given the total gets a float). It is not offered where the
    /// function visibly needs a tensor: a method called on the accumulator (`total.item()`) or
    /// a `torch` function given it (`torch.stack(losses)`).
    pub static LOSS_ACCUMULATES_GRAPH = {
        code: "EL505",
        name: "loss-accumulates-graph",
        family: Family::Arrays,
        severity: Severity::Error,
        enabled: Enabled::Pedantic,
        fix: FixAvailability::Sometimes,
        sized: false,
        hooks: &[Hook::Stmt(&[NodeKind::StmtAugAssign, NodeKind::StmtAssign, NodeKind::StmtExpr], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let Some((accumulator, candidates)) = accumulated_loss(statement) else {
        return;
    };
    if !checker.in_loop() || !checker.semantic().imports_any(Packages::TORCH) {
        return;
    }
    let Some(loop_body) = innermost_loop_body(checker) else {
        return;
    };
    let semantic = checker.semantic();
    // The nodes of the loop body, outside nested functions and classes (whose `loss` is
    // another variable).
    let loop_nodes = || {
        loop_body
            .iter()
            .filter_map(|statement| semantic.node_id(statement))
            .flat_map(|statement| semantic.subtree(statement).without_definitions())
            .map(|id| semantic.node(id))
    };
    // `loss.backward(...)` in the loop body.
    let backward_on = |loss: &Expr| {
        loop_nodes().any(
            |node| matches!(node, NodeRef::Expr(Expr::Call(call)) if is_backward_of(call, loss)),
        )
    };
    // `loss = train_step(batch)` in the loop, where `train_step` (of this module or another
    // of the project) returns its loss after calling `.backward()` on it.
    let loop_range = loop_body
        .first()
        .zip(loop_body.last())
        .map(|(first, last)| TextRange::new(first.start(), last.end()));
    let returned_by_step = |loss: &Expr| {
        let binding = semantic.binding(semantic.binding_of(loss.as_name_expr()?)?);
        let BindingKind::Assignment {
            value: Some(Expr::Call(step)),
        } = binding.kind
        else {
            return None;
        };
        loop_range?.contains_range(binding.range).then_some(())?;
        Some((step, semantic.returns_backpropagated_loss(step)?))
    };
    // `loss.backward(); loss = loss.detach()` under `if with_backward:`: where the loop
    // backpropagates, what it collects is detached; where it does not, the collected losses
    // are the graph the caller trains through.
    let detached_in_loop = |loss: &Expr| {
        let Some(name) = loss.as_name_expr() else {
            return false;
        };
        loop_nodes().any(|node| {
            matches!(node, NodeRef::Stmt(Stmt::Assign(assign))
                if matches!(&*assign.targets, [Expr::Name(target)] if target.id == name.id)
                    && detaches(&assign.value, &name.id))
        })
    };
    // `running_loss = 0` after each optimizer step (or `losses.clear()`): the graphs are kept
    // for one window of iterations, not for the whole loop.
    let reset_in_loop = loop_nodes().any(|node| match node {
        NodeRef::Stmt(Stmt::Assign(assign)) => {
            assign.range() != statement.range()
                && assign
                    .targets
                    .iter()
                    .any(|target| dotted_path(target).as_deref() == Some(&accumulator))
        }
        NodeRef::Expr(Expr::Call(call)) => matches!(&*call.func, Expr::Attribute(method)
                if method.attr.as_str() == "clear"
                    && dotted_path(&method.value).as_deref() == Some(&accumulator)),
        _ => false,
    });
    if reset_in_loop {
        return;
    }
    let Some((loss, step)) = candidates.into_iter().find_map(|loss| {
        if detached_in_loop(loss) {
            None
        } else if backward_on(loss) {
            Some((loss, None))
        } else {
            returned_by_step(loss).map(|step| (loss, Some(step)))
        }
    }) else {
        return;
    };
    let name = checker.snippet(loss);
    let fix = (!needs_tensors(checker, &accumulator)).then(|| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(loss.range(), format!("{name}.item()"))],
    });
    // Where `.backward()` was called, when the loss came from a call.
    let evidence = step.and_then(|(call, origin)| {
        checker.evidence(origin, || {
            let callee = checker.snippet(&*call.func);
            format!("`{callee}()` returns the loss it called `.backward()` on here")
        })
    });
    let diagnostic = checker.report(
        statement.range(),
        format!("`{accumulator}` keeps the autograd graph of `{name}` from every iteration alive"),
    );
    diagnostic.label = format!("`{name}` is a tensor with its graph attached");
    diagnostic
        .notes
        .push("memory grows with every step until the accumulator is dropped".to_string());
    diagnostic.help = Some(format!(
        "accumulate `{name}.item()` (a float) or `{name}.detach()`"
    ));
    diagnostic.fix = fix;
    diagnostic.evidence = evidence;
}

/// Whether code reading the accumulator needs it to stay a tensor (or a list of tensors): a
/// method called on it (`total.item()`) or a `torch` function given it (`torch.stack(losses)`).
/// With floats in it, that code would fail. (What a caller does with a returned total is the
/// corner case the fix's unsafety names.)
fn needs_tensors(checker: &mut Checker, accumulator: &str) -> bool {
    // Every accumulation of the body asks: the body is read once, not once per finding.
    let (key, body) = match current_body(checker) {
        Some(body) => (checker.scope().index() as u32, body),
        None => (0, &checker.module().body[..]),
    };
    checker
        .memo(key, |checker| kept_as_tensors(checker.semantic(), body))
        .contains(accumulator)
}

/// The dotted paths that code of `body` needs to stay tensors: the receivers of its method
/// calls (but `append`, `extend` and `clear`), and every path in the arguments of a `torch`
/// function.
fn kept_as_tensors(semantic: &SemanticModel, body: &[Stmt]) -> HashSet<String> {
    let mut kept = HashSet::default();
    semantic.any_expr_in_body(body, |expr| {
        let Expr::Call(call) = expr else {
            return false;
        };
        if let Expr::Attribute(method) = &*call.func {
            if !matches!(method.attr.as_str(), "append" | "extend" | "clear") {
                kept.extend(dotted_path(&method.value));
            }
        }
        let torch_function = semantic
            .resolve(&call.func)
            .is_some_and(|name| name.as_str().starts_with("torch."));
        if torch_function {
            let arguments = (call.arguments.args.iter())
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value));
            for argument in arguments {
                semantic.any_expr_in(argument, |inner| {
                    kept.extend(dotted_path(inner));
                    false
                });
            }
        }
        false
    });
    kept
}

/// For `acc += loss`, `acc += loss * n`, `acc = acc + loss`, `acc.append(loss)`: the
/// accumulator as written, and the terms that may be the loss.
fn accumulated_loss(statement: &Stmt) -> Option<(String, Vec<&Expr>)> {
    match statement {
        Stmt::AugAssign(assign) if assign.op == Operator::Add => {
            Some((dotted_path(&assign.target)?, loss_terms(&assign.value)))
        }
        Stmt::Assign(assign) => {
            let [target] = &*assign.targets else {
                return None;
            };
            let Expr::BinOp(sum) = &*assign.value else {
                return None;
            };
            let accumulator = dotted_path(target)?;
            if sum.op != Operator::Add {
                return None;
            }
            let added = if dotted_path(&sum.left).as_ref() == Some(&accumulator) {
                &sum.right
            } else if dotted_path(&sum.right).as_ref() == Some(&accumulator) {
                &sum.left
            } else {
                return None;
            };
            Some((accumulator, loss_terms(added)))
        }
        Stmt::Expr(expr) => {
            let call = expr.value.as_call_expr()?;
            let Expr::Attribute(attribute) = &*call.func else {
                return None;
            };
            let [argument] = &*call.arguments.args else {
                return None;
            };
            if attribute.attr.as_str() != "append" {
                return None;
            }
            Some((
                dotted_path(&attribute.value)?,
                loss_like(argument).then_some(vec![argument])?,
            ))
        }
        _ => None,
    }
}

/// The terms that may be the loss in an added term: `loss`, or those multiplied in
/// `loss * n` / `n * loss`, or divided in `loss / n`.
fn loss_terms(term: &Expr) -> Vec<&Expr> {
    match term {
        Expr::BinOp(product) if product.op == Operator::Mult => [&*product.left, &*product.right]
            .into_iter()
            .filter(|factor| loss_like(factor))
            .collect(),
        Expr::BinOp(quotient) if quotient.op == Operator::Div => Some(&*quotient.left)
            .filter(|dividend| loss_like(dividend))
            .into_iter()
            .collect(),
        _ => Some(term)
            .filter(|term| loss_like(term))
            .into_iter()
            .collect(),
    }
}

/// A name, or what a model's output holds the loss under: `out.loss`, `out["loss"]`,
/// `outputs[0]`, `losses["total"].value` (attributes and literal keys over a name).
fn loss_like(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) => true,
        Expr::Attribute(attribute) => loss_like(&attribute.value),
        Expr::Subscript(item) => {
            matches!(
                &*item.slice,
                Expr::StringLiteral(_) | Expr::NumberLiteral(_)
            ) && loss_like(&item.value)
        }
        _ => false,
    }
}

/// `loss.detach()`, `loss.item()`, `float(loss)`, and chains with them
/// (`loss.cpu().detach()`): the loss named `name` without its graph.
fn detaches(value: &Expr, name: &str) -> bool {
    let is_loss = |expr: &Expr| matches!(expr, Expr::Name(loss) if loss.id.as_str() == name);
    let mut detached = false;
    let mut current = value;
    loop {
        let Expr::Call(call) = current else {
            return detached && is_loss(current);
        };
        match &*call.func {
            Expr::Attribute(method) => {
                detached |= matches!(method.attr.as_str(), "detach" | "item" | "tolist");
                current = &method.value;
            }
            Expr::Name(function) if function.id.as_str() == "float" => {
                return matches!(&*call.arguments.args, [argument] if is_loss(argument));
            }
            _ => return false,
        }
    }
}

fn innermost_loop_body<'a>(checker: &Checker<'a>) -> Option<&'a [Stmt]> {
    match checker.innermost_loop()? {
        Stmt::For(for_loop) => Some(&for_loop.body),
        Stmt::While(while_loop) => Some(&while_loop.body),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::fixes;

    const TRAIN: &str = "import torch\n\ndef train(model, loader, step):\n    total = 0.0\n    for x in loader:\n        loss = model(x)\n        loss.backward()\n        total += loss\n    print(total / len(loader))\n";

    #[test]
    fn the_loss_becomes_a_float_where_only_numbers_are_needed() {
        let fixed = fixes(TRAIN);
        assert_eq!(fixed.len(), 1);
        assert!(fixed[0].1.contains("total += loss.item()"));
    }

    /// Bug: with floats in it, code that still used the accumulator as a tensor failed
    /// (`total.item()`, `torch.stack(losses)`).
    #[test]
    fn el505_no_fix_where_the_accumulator_is_used_as_a_tensor() {
        for later in ["    print(total.item())\n", "    print(torch.log(total))\n"] {
            let source = TRAIN.replace("    print(total / len(loader))\n", later);
            assert!(fixes(&source).is_empty(), "{later}");
        }
    }
}
