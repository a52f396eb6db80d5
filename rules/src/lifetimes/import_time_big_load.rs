use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::BigReason;
use edgelint_semantic::SemanticModel;
use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Ancestor;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};
use edgelint_source::literal_text;

rule! {
    /// ## What it does
    /// Flags module-level code that loads a big value while the module is imported: a whole
    /// file read, `json.load`, `pickle.load`, `np.load`, `torch.load`, `pd.read_*`.
    ///
    /// ## Why is this bad?
    /// Whatever a module loads at import stays in memory for the life of the process, in
    /// every process that imports it, whether or not the code that needs it ever runs. Worker
    /// processes, CLI tools that import the package for one command, and tests all pay for it.
    /// Loading it lazily, in the function that needs it (cached if it is needed again), pays
    /// only when it is used.
    ///
    /// Opt-in, and loads inside `if __name__ == "__main__":` or in a notebook (which nothing
    /// imports) are not flagged.
    ///
    /// ## Example
    /// ```python
    /// import pickle
    ///
    /// VOCABULARY = pickle.load(open("vocabulary.pkl", "rb"))
    ///
    /// def token_id(word):
    ///     return VOCABULARY.get(word)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    /// import pickle
    ///
    /// @functools.cache
    /// def vocabulary():
    ///     with open("vocabulary.pkl", "rb") as f:
    ///         return pickle.load(f)
    ///
    /// def token_id(word):
    ///     return vocabulary().get(word)
    /// ```
    pub static IMPORT_TIME_BIG_LOAD = {
        code: "EL308",
        name: "import-time-big-load",
        family: Family::Lifetimes,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    // Nothing imports a notebook: what its cells load is what the session works on.
    if checker.scope() != SemanticModel::MODULE_SCOPE || checker.is_notebook() {
        return;
    }
    let semantic = checker.semantic();
    if !is_load(semantic, call) || in_main_block(checker) {
        return;
    }
    // `json.loads(path.read_bytes().decode())`: the outermost load reports.
    let inside_another_load = checker.ancestors().any(|ancestor| {
        matches!(ancestor, Ancestor::Expr(Expr::Call(outer)) if is_load(semantic, outer))
    });
    if inside_another_load {
        return;
    }
    let shown = checker.snippet(call);
    let diagnostic = checker.report(
        call.range(),
        format!("`{shown}` loads a big value when the module is imported"),
    );
    diagnostic.label = "kept for the life of every process that imports this module".to_string();
    diagnostic.help = Some(
        "load it lazily in the function that needs it (cached with `functools.cache` if it is needed again)".to_string(),
    );
}

/// A call that reads or deserializes something big itself: not a method of a value that is
/// already big (`text.split()` only reshapes what was loaded).
fn is_load(semantic: &SemanticModel, call: &ExprCall) -> bool {
    let loads = matches!(
        semantic.call_provenance(call).big,
        Some(
            BigReason::WholeRead
                | BigReason::StreamRead
                | BigReason::ParsedText
                | BigReason::Deserialized,
        )
    );
    // Asked only of a load: most calls at import time load nothing.
    loads
        && match &*call.func {
            Expr::Attribute(method) => !semantic.provenance(&method.value).is_big(),
            _ => true,
        }
}

/// Inside `if __name__ == "__main__":`.
fn in_main_block(checker: &Checker) -> bool {
    checker.ancestors().any(|ancestor| {
        let Ancestor::Stmt(Stmt::If(if_stmt)) = ancestor else {
            return false;
        };
        let Expr::Compare(compare) = &*if_stmt.test else {
            return false;
        };
        matches!(&*compare.left, Expr::Name(name) if name.id.as_str() == "__name__")
            && matches!(&*compare.ops, [CmpOp::Eq])
            && matches!(&*compare.comparators, [Expr::StringLiteral(literal)] if literal_text(&literal.value) == "__main__")
    })
}
