//! Findings about the input itself rather than the code in it. The engine reports them (see
//! `edgelint_linter`); they are listed here so that they have codes, names and documentation
//! like every rule. They cannot be deselected or suppressed.

use edgelint_diagnostics::Severity;

use crate::{rule, Family, FixAvailability};

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
        default_enabled: true,
        fix: FixAvailability::None,
        hooks: &[],
    }
}

rule! {
    /// ## What it does
    /// Reports a path that cannot be linted: it does not exist, cannot be read, is a binary
    /// file, or is not valid UTF-8.
    ///
    /// ## Why is this bad?
    /// A file that is not checked can hide every other problem; a gate that silently skipped it
    /// would pass code nobody looked at.
    ///
    /// ## Example
    /// A file saved in Latin-1 with a byte that is not valid UTF-8, or a path misspelled on the
    /// command line.
    ///
    /// ## Use instead
    /// Save sources as UTF-8 and pass paths that exist.
    pub static IO_ERROR = {
        code: "EL002",
        name: "io-error",
        family: Family::Engine,
        severity: Severity::Error,
        default_enabled: true,
        fix: FixAvailability::None,
        hooks: &[],
    }
}
