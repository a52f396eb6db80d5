use std::ops::Range;

use ruff_text_size::TextRange;
use serde::Serialize;

use crate::Location;

/// How bad a finding is. Ordered from least to most severe.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether applying a fix keeps behaviour identical (`Safe`) or can differ in corner cases
/// (`Unsafe`, applied only on request).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Unsafe,
    Safe,
}

/// Replace the text in `range` with `content` (an insertion when the range is empty, a deletion
/// when the content is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replacement(range: TextRange, content: impl Into<String>) -> Self {
        Edit {
            range,
            content: content.into(),
        }
    }

    pub fn deletion(range: TextRange) -> Self {
        Edit {
            range,
            content: String::new(),
        }
    }
}

/// A set of edits that must be applied together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A secondary span with a short explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: String,
}

/// Where the data a finding is about comes from: "the whole content of a file, read here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub message: String,
    pub place: EvidencePlace,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidencePlace {
    /// In the finding's own source.
    Here(TextRange),
    /// In another file, located when that file was read.
    Elsewhere(ExternalPlace),
}

/// A place in another file, with the lines that hold it (so that it can be shown without
/// reading that file again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalPlace {
    pub filename: String,
    /// In a notebook, the cell (one-based) that `location` and the snippet's rows count in.
    pub cell: Option<usize>,
    pub location: Location,
    pub end_location: Location,
    /// The whole lines holding the place, the row of the first one, and the place within them.
    pub snippet: String,
    pub snippet_first_row: usize,
    pub snippet_range: Range<usize>,
}

/// One finding in one source, located by byte ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, such as `EL201`.
    pub code: &'static str,
    /// Kebab-case rule name, such as `list-comprehension-in-consumer`.
    pub name: &'static str,
    pub severity: Severity,
    /// What is wrong, lower-case, without a trailing period.
    pub message: String,
    /// The primary span: where the finding points.
    pub range: TextRange,
    /// The text under the primary caret (may be empty).
    pub label: String,
    pub secondary: Vec<Label>,
    /// What to do instead.
    pub help: Option<String>,
    /// Further context, such as the trade-off a suggestion makes.
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
    /// Where the data the finding is about comes from, when it is known.
    pub evidence: Option<Evidence>,
    /// The enclosing classes and functions, dotted (`Parser.feed`); empty at module level.
    pub scope: String,
    /// The finding holds only if no other module of the run shrinks the object of this
    /// module with this dotted name (`SEEN`, `load_model`): the run drops it once it knows.
    pub unless_shrunk_elsewhere: Option<String>,
    /// The finding holds only if no module of the run hands on an attribute of one of these
    /// names (`raise self.protocol.handshake_exc`), or applies one of these decorators while
    /// it loads: the run drops it once it knows.
    pub unless_handed_out_elsewhere: Vec<String>,
    /// Why the finding is not shown by default: the size of the data it is about is not
    /// known ("the size of `rows` is not known"). Reported only with `--pedantic`, marked so.
    pub unproven: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        message: impl Into<String>,
        range: TextRange,
    ) -> Self {
        Diagnostic {
            code,
            name,
            severity,
            message: message.into(),
            range,
            label: String::new(),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
            evidence: None,
            scope: String::new(),
            unless_shrunk_elsewhere: None,
            unless_handed_out_elsewhere: Vec::new(),
            unproven: None,
        }
    }
}
