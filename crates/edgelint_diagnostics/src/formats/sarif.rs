//! `sarif`: SARIF 2.1.0 (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/>), the format code
//! scanning services read. One run; the driver describes every rule that has a result, with its
//! documentation; each result carries a `partialFingerprints` entry that does not depend on the
//! line number (see [`crate::fingerprints`]).

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::{fingerprints, Message, Severity};

/// What SARIF's rule descriptors say about a rule.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    /// One sentence: what the rule flags.
    pub summary: String,
    /// The whole documentation, in Markdown.
    pub documentation: String,
    pub severity: Severity,
}

/// Writes the report; `rules` describe the rules (a rule without an entry is described by its
/// code and name only).
pub(crate) fn write(
    messages: &[Message],
    rules: &[RuleInfo],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut described: Vec<&'static str> = Vec::new();
    for message in messages {
        if !described.contains(&message.code) {
            described.push(message.code);
        }
    }
    described.sort_unstable();
    let descriptors: Vec<Value> = described
        .iter()
        .map(|code| {
            let name = messages
                .iter()
                .find(|message| message.code == *code)
                .map_or("", |message| message.name);
            match rules.iter().find(|rule| rule.code == *code) {
                Some(rule) => json!({
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": { "text": rule.summary },
                    "fullDescription": { "text": rule.summary },
                    "help": { "text": rule.documentation, "markdown": rule.documentation },
                    "defaultConfiguration": { "level": level(rule.severity) },
                }),
                None => json!({ "id": code, "name": name }),
            }
        })
        .collect();
    let results: Vec<Value> = messages
        .iter()
        .zip(fingerprints(messages))
        .map(|(message, fingerprint)| {
            let rule_index = described
                .iter()
                .position(|code| *code == message.code)
                .unwrap_or_default();
            let artifact = json!({ "uri": uri(&message.filename), "uriBaseId": "%SRCROOT%" });
            let mut result = json!({
                "ruleId": message.code,
                "ruleIndex": rule_index,
                "level": level(message.severity),
                "message": { "text": format!("{}{}", message.cell_prefix(), message.message) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": {
                            "startLine": message.location.row,
                            "startColumn": message.location.column,
                            "endLine": message.end_location.row,
                            "endColumn": message.end_location.column,
                        },
                    },
                }],
                "partialFingerprints": { "edgelint/v1": fingerprint },
            });
            if let Some(evidence) = &message.evidence {
                let mut related = json!({
                    "id": 0,
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": uri(&evidence.filename),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": evidence.location.row,
                            "startColumn": evidence.location.column,
                            "endLine": evidence.end_location.row,
                            "endColumn": evidence.end_location.column,
                        },
                    },
                    "message": { "text": evidence.message },
                });
                // In a notebook, as for the result: the file, and the cell in the message.
                if evidence.cell.is_some() {
                    related["physicalLocation"] = json!({ "artifactLocation": {
                        "uri": uri(&evidence.filename),
                        "uriBaseId": "%SRCROOT%",
                    } });
                    related["message"]["text"] =
                        json!(format!("{}{}", evidence.cell_prefix(), evidence.message));
                }
                result["relatedLocations"] = json!([related]);
            }
            // A notebook's lines are JSON: the result points at the file, and its properties
            // (and message) at the cell.
            if let Some(cell) = message.cell {
                result["locations"] =
                    json!([{ "physicalLocation": { "artifactLocation": artifact } }]);
                result["properties"] = json!({
                    "cell": cell,
                    "cellLine": message.location.row,
                    "cellColumn": message.location.column,
                });
            }
            // A finding `--pedantic` adds says why it is not shown by default.
            if let Some(reason) = &message.unproven {
                result["properties"]["unproven"] = json!(reason);
            }
            if let Some(measured) = &message.measured {
                result["properties"]["measured"] = json!(measured);
            }
            result
        })
        .collect();
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "edgelint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/` separators, and the characters URIs reserve
/// percent-encoded.
fn uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for character in path.chars() {
        match character {
            '\\' => encoded.push('/'),
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => {
                encoded.push(character)
            }
            other => {
                let mut buffer = [0; 4];
                for byte in other.encode_utf8(&mut buffer).bytes() {
                    encoded.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("src/app.py"), "src/app.py");
        assert_eq!(uri("my dir/100%,ok.py"), "my%20dir/100%25%2Cok.py");
        assert_eq!(uri("src\\win.py"), "src/win.py");
        assert_eq!(uri("é.py"), "%C3%A9.py");
    }
}
