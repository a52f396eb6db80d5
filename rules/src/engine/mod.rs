//! Findings about the input itself rather than the code in it. The engine reports them (see
//! `edgelint_linter`); they are listed here so that they have codes, names and documentation
//! like every rule. The input errors cannot be deselected or suppressed; `unused-noqa` is
//! opt-in, since it reports on the suppressions of the rules that ran.

use edgelint_diagnostics::Severity;

use crate::{rule, Enabled, Family, FixAvailability};

rule! {
    /// ## What it does
    /// Reports source that Python cannot parse, at the place the parser stopped understanding it.
    ///
    /// ## Why is this bad?
    /// Python refuses to import the file. edgelint still checks what the parser could recover,
    /// but findings near the error may be missing.
    ///
    /// ## Example
    /// ```python
    /// print "hello"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// print("hello")
    /// ```
    pub static SYNTAX_ERROR = {
        code: "EL001",
        name: "syntax-error",
        family: Family::Engine,
        severity: Severity::Error,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[],
    }
}

rule! {
    /// ## What it does
    /// Reports a path that cannot be linted: it does not exist, cannot be read, is not a
    /// regular file (a named pipe, a device), is a binary file, or cannot be decoded: bytes
    /// that are not valid in the encoding its PEP 263 `# -*- coding: ... -*-` declaration
    /// names (UTF-8 without one), an unknown encoding, or UTF-16. A file that parses but nests
    /// code more than 4000 levels deep is reported too, at the first node too deep: edgelint
    /// does not check it (Python cannot compile it either). Test code is reported so only when
    /// its findings are shown (`--pedantic`): otherwise nothing past its syntax is checked.
    ///
    /// ## Why is this bad?
    /// A file that is not checked can hide every other problem; a gate that silently skipped it
    /// would pass code nobody looked at.
    ///
    /// ## Example
    /// A file saved in Latin-1 without a `# -*- coding: latin-1 -*-` line, or a path misspelled
    /// on the command line.
    ///
    /// ## Use instead
    /// Save sources as UTF-8 (or declare their encoding) and pass paths that exist.
    pub static IO_ERROR = {
        code: "EL002",
        name: "io-error",
        family: Family::Engine,
        severity: Severity::Error,
        enabled: Enabled::Default,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[],
    }
}

rule! {
    /// ## What it does
    /// Reports a `# noqa: CODE` comment naming an edgelint rule that ran and found nothing on
    /// that line, or naming a code that is no edgelint rule. Codes of other tools (`E501`,
    /// `F401`) and blanket `# noqa` comments are left alone, and so are codes of rules not
    /// selected in this run.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the finding it was written for: after the code is fixed or moved,
    /// it stays behind and will silently hide the next real finding on that line. A misspelled
    /// code suppresses nothing at all.
    ///
    /// This rule is opt-in; `edgelint --extend-select EL003` (or `unused-noqa`) turns it on.
    ///
    /// ## Example
    /// ```python
    /// def total(xs):
    ///     return sum(x * x for x in xs)  # noqa: EL201
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def total(xs):
    ///     return sum(x * x for x in xs)
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the stale codes, or the whole `# noqa` directive (with the reason after
    /// it) when none is left; another comment on the line stays. It is safe: the codes
    /// suppressed nothing. Run it with the rules the codes name selected, or it cannot know.
    pub static UNUSED_NOQA = {
        code: "EL003",
        name: "unused-noqa",
        family: Family::Engine,
        severity: Severity::Warning,
        enabled: Enabled::OptIn,
        fix: FixAvailability::Always,
        sized: false,
        hooks: &[],
    }
}
