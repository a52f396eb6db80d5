//! The one diagnostic model every stage produces, and the report formats that present it.
//!
//! A [`Diagnostic`] is what a rule (or the engine) reports against one source, with byte ranges.
//! A [`Message`] is the same finding resolved against its file: rows and columns, the display
//! path and, for the `full` format, a [`Drawing`] that holds the lines it points at. Workers
//! turn diagnostics into messages while they still hold the source, so the source can be dropped
//! before the report is written; the report, colours included, is then a pure function of
//! sorted messages, written on the main thread.

mod diagnostic;
mod drawing;
mod emit;
mod excerpt;
mod fingerprint;
mod formats;
mod measured;
mod message;
mod snippet;
mod source_view;

pub use diagnostic::{
    Applicability, Diagnostic, Edit, Evidence, EvidencePlace, ExternalPlace, Fix, Label, Severity,
};
pub use drawing::{draw, Drawing};
pub use emit::{emit, OutputFormat, Style};
pub use fingerprint::{fingerprints, Identity};
pub use formats::sarif::RuleInfo;
pub use measured::{human_bytes, Measured};
pub use message::{Location, Message, MessageEdit, MessageEvidence, MessageFix};
pub use source_view::SourceView;
