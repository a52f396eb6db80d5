//! `gitlab`: a GitLab Code Quality report
//! (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>), a JSON array
//! with one issue per finding. GitLab tells new findings from old ones by their fingerprint,
//! which does not depend on the line number (see [`crate::fingerprints`]).

use std::io::{self, Write};

use serde::Serialize;

use crate::{fingerprints, Message, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub(crate) fn write(messages: &[Message], out: &mut dyn Write) -> io::Result<()> {
    let issues: Vec<Issue> = messages
        .iter()
        .zip(fingerprints(messages))
        .map(|(message, fingerprint)| Issue {
            description: format!(
                "{} {}{}",
                message.code,
                message.cell_prefix(),
                message.text()
            ),
            check_name: message.code,
            fingerprint,
            severity: severity(message.severity),
            location: IssueLocation {
                path: &message.filename,
                // A notebook's lines are JSON: the description names the cell instead.
                lines: Lines {
                    begin: if message.cell.is_some() {
                        1
                    } else {
                        message.location.row
                    },
                },
            },
        })
        .collect();
    let mut serializer = serde_json::Serializer::pretty(&mut *out);
    issues
        .serialize(&mut serializer)
        .map_err(io::Error::other)?;
    writeln!(out)
}

/// GitLab's scale is info, minor, major, critical, blocker.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
