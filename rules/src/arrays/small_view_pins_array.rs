use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use edgelint_semantic::provenance::ValueKind;
use edgelint_semantic::{BindingKind, ScopeKind};
use ruff_python_ast::{Expr, ExprSubscript, NodeKind, Number, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use super::current_body;
use crate::checker::help_code;
use crate::uses::uses_of;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a bounded slice of a big local ndarray or tensor (one loaded from a file,
    /// deserialized, or of computed size) that outlives the function: returned, stored on
    /// `self`, or appended to a module-level container, while the array itself is not kept.
    ///
    /// A bounded part is a slice with a stop (`a[:k]`, `a[i:j]`), the last k elements
    /// (`a[-k:]`), or an integer index (`a[0]`, `a[:, 0]`: a row or column view of a
    /// multi-dimensional array). Slices that are copied (`.copy()`, `.clone()`, `np.array`),
    /// slices of arrays that are themselves returned or stored, `a[k:]` and `a[:-1]` (most of
    /// the base anyway) are not flagged.
    ///
    /// This rule is opt-in: whether the base is much bigger than the slice depends on data the
    /// analysis cannot see.
    ///
    /// ## Why is this bad?
    /// A slice of an ndarray or tensor is a view: it holds a reference to the whole buffer of
    /// its base. Keeping ten rows of a 500 MB array keeps the 500 MB alive for as long as the
    /// ten rows live.
    ///
    /// ## Example
    /// ```python
    /// import numpy as np
    ///
    /// def load_header(path):
    ///     data = np.load(path)
    ///     return data[:16]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import numpy as np
    ///
    /// def load_header(path):
    ///     data = np.load(path)
    ///     return data[:16].copy()
    /// ```
    ///
    /// ## Fix safety
    /// The fix (`.copy()`, `.clone()`) is unsafe: writes through the result no longer reach
    /// the base array, and a copy of a large slice costs memory of its own.
    pub static SMALL_VIEW_PINS_ARRAY = {
        code: "EL506",
        name: "small-view-pins-array",
        family: Family::Arrays,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::Always,
        sized: false,
        hooks: &[Hook::Stmt(&[NodeKind::StmtReturn, NodeKind::StmtAssign, NodeKind::StmtExpr], check)],
    }
}

fn check(checker: &mut Checker, statement: &Stmt) {
    let Some((view, kept_by)) = kept_view(checker, statement) else {
        return;
    };
    let Expr::Name(base) = &*view.value else {
        return;
    };
    if !is_bounded_view(&view.slice) {
        return;
    }
    let semantic = checker.semantic();
    let ScopeKind::Function(_) = semantic.scope(checker.scope()).kind else {
        return;
    };
    let Some(binding) = semantic.binding_of(base) else {
        return;
    };
    let binding_data = semantic.binding(binding);
    if binding_data.scope != checker.scope()
        || !matches!(binding_data.kind, BindingKind::Assignment { .. })
    {
        return;
    }
    let provenance = semantic.provenance(&Expr::Name(base.clone()));
    let copy_method = match provenance.kind {
        ValueKind::NdArray => "copy",
        ValueKind::Tensor => "clone",
        _ => return,
    };
    let Some(reason) = provenance.big else {
        return;
    };
    let Some(body) = current_body(checker) else {
        return;
    };
    // The base itself is kept elsewhere: the view pins nothing extra.
    if semantic.is_captured(binding)
        || uses_of(body, semantic, binding)
            .iter()
            .any(|(_, use_kind)| use_kind.escapes())
    {
        return;
    }
    let view_text = checker.snippet(view);
    let base_name = base.id.as_str();
    let copied = format!("{}.{copy_method}()", checker.text(view));
    let diagnostic = checker.report(
        statement.range(),
        format!(
            "the view `{view_text}` keeps all of `{base_name}` alive after the function returns"
        ),
    );
    diagnostic.label = format!("{kept_by} a view into `{base_name}`, {}", reason.describe());
    diagnostic.help = Some(match help_code(&copied) {
        Some(code) => format!("keep a copy of the part you need: `{code}`"),
        None => format!("keep a copy of the part you need, with `.{copy_method}()`"),
    });
    diagnostic.fix = Some(Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replacement(
            TextRange::empty(view.end()),
            format!(".{copy_method}()"),
        )],
    });
}

/// A subscript that outlives the function through `statement`, and how.
fn kept_view<'a>(
    checker: &Checker,
    statement: &'a Stmt,
) -> Option<(&'a ExprSubscript, &'static str)> {
    match statement {
        Stmt::Return(ret) => Some((ret.value.as_deref()?.as_subscript_expr()?, "returns")),
        Stmt::Assign(assign) => {
            let [Expr::Attribute(target)] = &*assign.targets else {
                return None;
            };
            let is_self = matches!(&*target.value, Expr::Name(name) if name.id.as_str() == "self");
            is_self.then_some((assign.value.as_subscript_expr()?, "stores on `self`"))
        }
        Stmt::Expr(expr) => {
            let call = expr.value.as_call_expr()?;
            let Expr::Attribute(method) = &*call.func else {
                return None;
            };
            let [argument] = &*call.arguments.args else {
                return None;
            };
            let Expr::Name(container) = &*method.value else {
                return None;
            };
            let semantic = checker.semantic();
            let module_level = semantic.binding_of(container).is_some_and(|binding| {
                matches!(
                    semantic.scope(semantic.binding(binding).scope).kind,
                    ScopeKind::Module
                )
            });
            (module_level && matches!(method.attr.as_str(), "append" | "add")).then_some((
                argument.as_subscript_expr()?,
                "keeps in a module-level container",
            ))
        }
        _ => None,
    }
}

/// Basic indexing that selects a bounded part of the base, and so makes a small view:
/// `a[:k]`, `a[i:j]`, `a[-k:]`, `a[0]`, `a[:, 0]`, `a[0, :128]`. Not `a[k:]` or `a[:-1]`, which
/// keep most of the base anyway, and not `a[idx]`, which may be fancy indexing (a copy).
fn is_bounded_view(slice: &Expr) -> bool {
    let bounded = |part: &Expr| match part {
        Expr::Slice(slice) => match (&slice.lower, &slice.upper) {
            (_, Some(upper)) => !is_negative_literal(upper),
            (Some(lower), None) => is_negative_literal(lower),
            (None, None) => false,
        },
        index => is_integer_literal(index),
    };
    let basic = |part: &Expr| {
        part.is_slice_expr()
            || is_integer_literal(part)
            || part.is_ellipsis_literal_expr()
            || part.is_none_literal_expr()
    };
    match slice {
        Expr::Tuple(parts) => parts.elts.iter().all(basic) && parts.elts.iter().any(bounded),
        single => bounded(single),
    }
}

/// `3`, `-1`.
fn is_integer_literal(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(number) => matches!(number.value, Number::Int(_)),
        _ => is_negative_literal(expr),
    }
}

/// `-1`, `-16`.
fn is_negative_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::UnaryOp(unary) if unary.op == UnaryOp::USub && is_integer_literal(&unary.operand))
}
