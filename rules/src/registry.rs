use edgelint_diagnostics::Severity;
use ruff_python_ast::{Expr, ExprCall, NodeKind, Stmt, StmtFunctionDef};

use crate::{arrays, copies, engine, gc, lifetimes, materialize, Checker};

/// Every rule edgelint knows, in code order. Adding a rule adds one line here.
pub static RULES: &[&Rule] = &[
    &engine::SYNTAX_ERROR,
    &engine::IO_ERROR,
    &engine::UNUSED_NOQA,
    &copies::LARGE_SLICE_COPY,
    &copies::RESLICE_IN_LOOP,
    &copies::BYTES_SLICE_COPY,
    &copies::CONCAT_IN_LOOP,
    &copies::REDUNDANT_COPY,
    &copies::ITERATION_OVER_COPY,
    &copies::SPLIT_FOR_ONE_PART,
    &materialize::LIST_COMPREHENSION_IN_CONSUMER,
    &materialize::READLINES_ITERATION,
    &materialize::READ_THEN_SPLITLINES,
    &materialize::MATERIALIZE_FOR_ONE_ITEM,
    &materialize::MATERIALIZE_FOR_LEN,
    &materialize::SINGLE_USE_LIST,
    &materialize::MATERIALIZED_RANGE,
    &materialize::UNBOUNDED_HTTP_BODY,
    &materialize::WHOLE_FILE_READ,
    &lifetimes::BIG_OBJECT_OUTLIVES_USE,
    &lifetimes::UNBOUNDED_MODULE_CONTAINER,
    &lifetimes::UNBOUNDED_CACHE,
    &lifetimes::CACHED_METHOD_KEEPS_SELF,
    &lifetimes::GROWING_DEFAULT_ARGUMENT,
    &lifetimes::RETAINED_TRACEBACK,
    &lifetimes::SELF_REFERENCE_CYCLE,
    &lifetimes::IMPORT_TIME_BIG_LOAD,
    &lifetimes::UNBOUNDED_INSTANCE_CONTAINER,
    &gc::GC_COLLECT_IN_LOOP,
    &gc::GC_DISABLED_WITHOUT_ENABLE,
    &gc::FINALIZER_DEFINED,
    &gc::DATACLASS_WITHOUT_SLOTS,
    &arrays::ARRAY_GROW_IN_LOOP,
    &arrays::AVOIDABLE_ARRAY_COPY,
    &arrays::DATAFRAME_FULL_READ,
    &arrays::INFERENCE_WITHOUT_NO_GRAD,
    &arrays::LOSS_ACCUMULATES_GRAPH,
    &arrays::SMALL_VIEW_PINS_ARRAY,
];

/// The memory principle a rule enforces; its code's second digit.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Family {
    /// Problems with the input itself (syntax errors, unreadable files); always reported.
    Engine,
    Copies,
    Materialize,
    Lifetimes,
    GarbageCollection,
    Arrays,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Engine => "engine",
            Family::Copies => "copies",
            Family::Materialize => "materialize",
            Family::Lifetimes => "lifetimes",
            Family::GarbageCollection => "gc",
            Family::Arrays => "arrays",
        }
    }
}

/// Whether a rule's findings carry a fix.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "no",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "yes",
        }
    }
}

/// When a rule runs without being selected by name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Enabled {
    /// In the default set.
    Default,
    /// In the default set only with `--pedantic` (or `pedantic = true`), its findings marked
    /// unproven: reviews of real code found most of its findings, evidence and all, not worth a
    /// change. Selecting it (`--select`, `extend-select`) makes it an ordinary rule.
    Pedantic,
    /// Only when selected.
    OptIn,
}

impl Enabled {
    pub fn as_str(self) -> &'static str {
        match self {
            Enabled::Default => "on",
            Enabled::Pedantic => "pedantic",
            Enabled::OptIn => "opt-in",
        }
    }
}

/// A node kind a rule wants to see, with the function that checks it.
#[derive(Copy, Clone)]
pub enum Hook {
    Call(fn(&mut Checker, &ExprCall)),
    /// Every expression of the kinds listed (`ExprCall` included): the walk calls the check
    /// only for those, as most expressions are of no interest to a given rule.
    Expr(&'static [NodeKind], fn(&mut Checker, &Expr)),
    /// Every statement of the kinds listed, nested ones included.
    Stmt(&'static [NodeKind], fn(&mut Checker, &Stmt)),
    /// Every function definition (methods and nested functions included), before its body.
    Function(fn(&mut Checker, &StmtFunctionDef)),
    /// Once, after the walk: for a rule that judges the module as a whole.
    Module(fn(&mut Checker)),
}

/// A rule's metadata, documentation and hooks.
pub struct Rule {
    /// Stable code: `EL` and three digits, the first of which is the family.
    pub code: &'static str,
    /// Kebab-case name, accepted wherever a code is.
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// Whether it runs without configuration; see [`Enabled`].
    pub enabled: Enabled,
    pub fix: FixAvailability,
    /// Whether every finding is about how big some data is, in the tiers of its size
    /// ([`Checker::report_sized`](crate::Checker::report_sized)). In test code and examples
    /// the data is whatever the test or the user supplies, so such findings are unproven
    /// there, and the rule does not run there unless unproven findings are kept.
    pub sized: bool,
    pub hooks: &'static [Hook],
    /// Markdown with the sections "What it does", "Why is this bad?", "Example", "Use instead",
    /// and "Fix safety" where it fixes; taken from the rule's doc comment.
    pub doc: &'static str,
}

impl Rule {
    /// The first sentence of "What it does", on one line: what the rule flags.
    pub fn summary(&self) -> String {
        let documentation = self.documentation();
        let what = documentation
            .split("## What it does")
            .nth(1)
            .unwrap_or(&documentation);
        let paragraph = what.trim_start().split("\n\n").next().unwrap_or_default();
        let one_line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        match one_line.find(". ") {
            Some(end) => one_line[..=end].to_string(),
            None => one_line,
        }
    }

    /// The documentation as written, without the one space rustdoc keeps after `///`.
    pub fn documentation(&self) -> String {
        self.doc
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Finds a rule by code (`EL201`, any case) or name (`list-comprehension-in-consumer`).
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// Declares a rule whose documentation is its doc comment, so the docs exist once and are both
/// rustdoc and what `edgelint --explain` prints.
#[macro_export]
macro_rules! rule {
    ($(#[doc = $doc:literal])* pub static $id:ident = { $($field:ident : $value:expr),* $(,)? }) => {
        $(#[doc = $doc])*
        pub static $id: $crate::Rule = $crate::Rule {
            doc: concat!($($doc, "\n"),*),
            $($field: $value),*
        };
    };
}
