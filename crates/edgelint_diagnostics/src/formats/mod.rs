//! The machine-readable report formats other tools consume (CI annotations, code-quality
//! reports, test reports). `emit` dispatches to them; each writes the whole report for a sorted
//! slice of messages.

pub(crate) mod github;
pub(crate) mod gitlab;
pub(crate) mod json_lines;
pub(crate) mod junit;
pub(crate) mod sarif;
