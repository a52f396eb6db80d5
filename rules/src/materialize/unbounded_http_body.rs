use edgelint_diagnostics::Severity;
use edgelint_semantic::provenance::{BigReason, ValueKind};
use edgelint_semantic::{NodeId, NodeRef};
use ruff_python_ast::{Expr, NodeKind};
use ruff_text_size::Ranged;

use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags reading a whole HTTP response body into memory: `.content`, `.text` and `.json()`
    /// of a `requests` or `httpx` response, and `.read()` with no size of a
    /// `urllib.request.urlopen()` response.
    ///
    /// ## Why is this bad?
    /// The body is as big as the server decides: a download, a log dump or a misbehaving
    /// endpoint can be hundreds of megabytes, all held at once (and `.text` or `.json()` hold a
    /// decoded copy as well). On a device with little memory, stream it in chunks with
    /// `stream=True` and `iter_content()`/`iter_lines()`, or `read(size)`.
    ///
    /// Opt-in: many APIs return small JSON documents, where reading the whole body is fine.
    ///
    /// ## Example
    /// ```python
    /// import requests
    ///
    /// def download(url, data_path):
    ///     with open(data_path, "wb") as out:
    ///         out.write(requests.get(url).content)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    ///
    /// def download(url, data_path):
    ///     with requests.get(url, stream=True) as response, open(data_path, "wb") as out:
    ///         for chunk in response.iter_content(chunk_size=65536):
    ///             out.write(chunk)
    /// ```
    pub static UNBOUNDED_HTTP_BODY = {
        code: "EL208",
        name: "unbounded-http-body",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::OptIn,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[
            Hook::Expr(&[NodeKind::ExprCall], check),
            Hook::Module(check_body_attributes),
        ],
    }
}

/// The attributes that hold a response's whole body.
const BODY_ATTRIBUTES: &[&str] = &["content", "text"];

/// `.content` and `.text`, found in the model's notes of attribute names: one node in eight is
/// an attribute, and hooking them all to look at two names cost more than this rule's checks.
fn check_body_attributes(checker: &mut Checker) {
    let semantic = checker.semantic();
    let mut attributes: Vec<NodeId> = BODY_ATTRIBUTES
        .iter()
        .flat_map(|name| semantic.attribute_nodes(name))
        .collect();
    // In the order the rules' walk meets them, as a hook on every attribute would.
    attributes.sort_unstable();
    for id in attributes {
        if let NodeRef::Expr(attribute) = semantic.node(id) {
            checker.at_node(id, |checker| check(checker, attribute));
        }
    }
}

fn check(checker: &mut Checker, expr: &Expr) {
    let reads_body = match expr {
        Expr::Attribute(attribute) => BODY_ATTRIBUTES.contains(&attribute.attr.as_str()),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(method) => {
                matches!(method.attr.as_str(), "json" | "read") && call.arguments.args.is_empty()
            }
            _ => false,
        },
        _ => false,
    };
    if !reads_body {
        return;
    }
    let semantic = checker.semantic();
    let provenance = semantic.provenance(expr);
    let whole_body = matches!(
        provenance.big,
        Some(BigReason::HttpBody | BigReason::ApiReply)
    ) || match expr {
        // `urlopen(url).read()`
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(method) => {
                method.attr.as_str() == "read"
                    && semantic.provenance(&method.value).kind == ValueKind::HttpResponse
            }
            _ => false,
        },
        _ => false,
    };
    if !whole_body {
        return;
    }
    let shown = checker.snippet(expr);
    let diagnostic = checker.report(
        expr.range(),
        format!("`{shown}` reads the whole HTTP response body into memory"),
    );
    diagnostic.label = "as big as the server sends".to_string();
    diagnostic.help = Some(
        "stream the body: `stream=True` with `iter_content(chunk_size=65536)` or `iter_lines()`, or `read(65536)` in a loop"
            .to_string(),
    );
}

#[cfg(test)]
mod tests {
    use crate::test_support::diagnostics_with;

    /// The attributes found in the model's notes are judged as a hook on each would judge
    /// them: in the function that reads them, in the order the walk meets them.
    #[test]
    fn body_attributes_found_in_the_notes_are_reported_as_by_a_hook() {
        let source = "\
import requests

class Client:
    def fetch(self, url):
        resp = requests.get(url, timeout=5)
        return resp.text, resp.content

def download(url):
    return requests.get(url, timeout=5).content

def not_a_response(page):
    return page.text
";
        let found: Vec<(String, String)> = diagnostics_with(source, "EL208")
            .into_iter()
            .map(|diagnostic| {
                let at = usize::from(diagnostic.range.start());
                let text = source[at..usize::from(diagnostic.range.end())].to_string();
                (diagnostic.scope, text)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("Client.fetch".to_string(), "resp.text".to_string()),
                ("Client.fetch".to_string(), "resp.content".to_string()),
                (
                    "download".to_string(),
                    "requests.get(url, timeout=5).content".to_string()
                ),
            ]
        );
    }
}
