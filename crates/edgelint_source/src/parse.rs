use std::path::Path;

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::{parse_unchecked_source, Parsed};

/// Parses `source` as a module (a stub when `path` ends in `.pyi`). Never fails: syntax errors
/// are in [`Parsed::errors`] and the tree covers what could be recovered.
pub fn parse(source: &str, path: &Path) -> Parsed<ModModule> {
    let source_type = if path.extension().is_some_and(|extension| extension == "pyi") {
        PySourceType::Stub
    } else {
        PySourceType::Python
    };
    parse_unchecked_source(source, source_type)
}
