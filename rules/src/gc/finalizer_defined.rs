use edgelint_diagnostics::Severity;
use edgelint_semantic::ScopeKind;
use ruff_python_ast::StmtFunctionDef;

use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a class that defines `__del__`.
    ///
    /// ## Why is this bad?
    /// A finalizer runs at an unpredictable time, may resurrect the object, and runs in any
    /// thread. An instance with `__del__` that ends up in a reference cycle can only be freed
    /// by the cyclic collector, which must run the finalizers first; before Python 3.4 such
    /// cycles were never freed at all. Releasing resources explicitly (a context manager, a
    /// `close()`) or with `weakref.finalize` frees them when the code says so.
    ///
    /// Opt-in: `__del__` is sometimes the right tool, and this is advice.
    ///
    /// ## Example
    /// ```python
    /// class Camera:
    ///     def __init__(self, device):
    ///         self.handle = device.open()
    ///
    ///     def __del__(self):
    ///         self.handle.close()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// class Camera:
    ///     def __init__(self, device):
    ///         self.handle = device.open()
    ///         weakref.finalize(self, self.handle.close)
    /// ```
    pub static FINALIZER_DEFINED = {
        code: "EL403",
        name: "finalizer-defined",
        family: Family::GarbageCollection,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Function(check)],
    }
}

fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    if function.name.as_str() != "__del__" {
        return;
    }
    let ScopeKind::Class(class) = checker.semantic().scope(checker.scope()).kind else {
        return;
    };
    let class_name = class.name.as_str();
    let diagnostic = checker.report(
        function.name.range,
        // Since Python 3.4 (PEP 442) an instance with `__del__` is freed like any other: when
        // its last reference goes, or in a reference cycle when the cyclic collector runs. What
        // the finalizer releases is held until then.
        format!("`{class_name}` defines `__del__`: what it releases is held until the instance is collected, which for an instance in a reference cycle waits for the cyclic collector"),
    );
    diagnostic.label = "a finalizer".to_string();
    diagnostic.help = Some(
        "release resources explicitly (a context manager or `close()`), or register `weakref.finalize(self, ...)`".to_string(),
    );
}

#[cfg(test)]
mod tests {
    use crate::test_support::diagnostics_with;

    /// Since Python 3.4 an instance with `__del__` is freed when it is collected, like any
    /// other: the finding said the finalizer decided when, which was untrue.
    #[test]
    fn el403_message_says_what_is_held_until_collection_not_that_the_finalizer_frees() {
        let source = "class Camera:\n    def __del__(self):\n        self.handle.close()\n";
        let findings = diagnostics_with(source, "EL403");
        let [finding] = findings.as_slice() else {
            panic!("expected one EL403 finding, got {findings:?}");
        };
        assert!(
            finding
                .message
                .contains("held until the instance is collected"),
            "{}",
            finding.message
        );
        assert!(
            !finding.message.contains("finalizer decides"),
            "{}",
            finding.message
        );
    }
}
