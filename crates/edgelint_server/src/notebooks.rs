//! Notebooks as the protocol sends them (LSP 3.17 notebook documents): the cells, in order, each
//! a text document of its own. `lsp-types` 0.95 does not describe them, so the few messages
//! used are described here. A notebook is linted as the `.ipynb` file its cells make, and each
//! cell's findings are published to that cell.

use lsp_types::{TextDocumentContentChangeEvent, TextDocumentIdentifier, TextDocumentItem, Url};
use serde::Deserialize;

/// What `notebookDocumentSync` offers: Jupyter notebooks, with their Python cells.
pub fn sync_capability() -> serde_json::Value {
    serde_json::json!({
        "notebookSelector": [{
            "notebook": { "notebookType": "jupyter-notebook" },
            "cells": [{ "language": "python" }],
        }],
        "save": true,
    })
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidOpen {
    pub notebook_document: NotebookDocument,
    pub cell_text_documents: Vec<TextDocumentItem>,
}

#[derive(Debug, Deserialize)]
pub struct NotebookDocument {
    pub uri: Url,
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Cell {
    /// 1 for Markdown, 2 for code.
    pub kind: u8,
    pub document: Url,
}

impl Cell {
    pub fn is_code(&self) -> bool {
        self.kind == 2
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidChange {
    pub notebook_document: NotebookIdentifier,
    pub change: Change,
}

#[derive(Debug, Deserialize)]
pub struct NotebookIdentifier {
    pub uri: Url,
}

#[derive(Debug, Deserialize)]
pub struct Change {
    pub cells: Option<CellChanges>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellChanges {
    pub structure: Option<Structure>,
    pub text_content: Option<Vec<TextContent>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Structure {
    pub array: CellArrayChange,
    pub did_open: Option<Vec<TextDocumentItem>>,
    pub did_close: Option<Vec<TextDocumentIdentifier>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellArrayChange {
    pub start: usize,
    pub delete_count: usize,
    pub cells: Option<Vec<Cell>>,
}

#[derive(Debug, Deserialize)]
pub struct TextContent {
    pub document: TextDocumentIdentifier,
    pub changes: Vec<TextDocumentContentChangeEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidSaveOrClose {
    pub notebook_document: NotebookIdentifier,
}

/// The `.ipynb` file the cells make, as the linter reads notebooks.
pub fn as_ipynb<'c>(cells: impl Iterator<Item = (&'c Cell, &'c str)>) -> String {
    let cells: Vec<serde_json::Value> = cells
        .map(|(cell, text)| match cell.is_code() {
            true => serde_json::json!({
                "cell_type": "code",
                "metadata": {},
                "source": text,
                "outputs": [],
                "execution_count": null,
            }),
            false => serde_json::json!({"cell_type": "markdown", "metadata": {}, "source": text}),
        })
        .collect();
    serde_json::json!({
        "cells": cells,
        "metadata": { "language_info": { "name": "python" } },
        "nbformat": 4,
        "nbformat_minor": 5,
    })
    .to_string()
}
