"""`edgelint server` driven by a real LSP client (pytest-lsp, on pygls), as an editor drives it.

Run by tests/server.rs, which installs the client into a virtual environment and names the
binary in EDGELINT_BIN.
"""

import asyncio
import json
import os
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

EDGELINT = os.environ["EDGELINT_BIN"]

# A comprehension only `sum` reads, over a file's whole content: EL201, with a safe fix.
FINDING = "def f(data_path):\n    return sum([x for x in open(data_path).read()])\n"
STORAGE = "def load(data_path):\n    with open(data_path) as f:\n        return f.readlines()\n"
# The data comes from another module: the evidence is in storage.py.
USES_STORAGE = (
    "from storage import load\n\n\n"
    "def total(data_path):\n    lines = load(data_path)\n"
    "    return sum([len(line) for line in lines])\n"
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[EDGELINT, "server"]))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    # Not pytest's per-test folder: its name starts with `test_`, and edgelint takes code under
    # such a folder for test code, whose findings about data volume are unproven.
    tmp_path = tmp_path_factory.mktemp("project")
    (tmp_path / "storage.py").write_text(STORAGE)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="project")],
        )
    )
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient, name: str, text: str) -> str:
    path = client.root / name
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def change_document(client: LanguageClient, uri: str, version: int, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def until(condition, seconds: float = 10):
    """Waits for `condition` to hold, for notifications that arrive together."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the server did not publish in time"
        await asyncio.sleep(0.01)


def offset(text: str, position: types.Position) -> int:
    lines = text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: position.line]) + position.character


def apply(text: str, edits: list[types.TextEdit]) -> str:
    for edit in sorted(edits, key=lambda edit: offset(text, edit.range.start), reverse=True):
        start, end = offset(text, edit.range.start), offset(text, edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


async def code_actions(client: LanguageClient, uri: str, diagnostic: types.Diagnostic, only=None):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=only),
        )
    )


async def test_a_finding_is_published_fixed_by_its_code_action_and_then_gone(client: LanguageClient):
    uri = await open_document(client, "app.py", FINDING)
    [diagnostic] = client.diagnostics[uri]
    assert diagnostic.code == "EL201"
    assert diagnostic.source == "edgelint"
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.range == types.Range(
        start=types.Position(line=1, character=15), end=types.Position(line=1, character=50)
    )
    assert diagnostic.message.startswith("list comprehension is built in full")
    assert "help: pass a generator expression" in diagnostic.message

    actions = await code_actions(client, uri, diagnostic)
    titles = [action.title for action in actions]
    fix = next(action for action in actions if action.is_preferred)
    assert fix.title.startswith("EL201: ") and "unsafe" not in fix.title, titles
    assert fix.kind == types.CodeActionKind.QuickFix
    assert any("noqa" in title for title in titles), titles
    fixed = apply(FINDING, fix.edit.changes[uri])
    assert fixed == "def f(data_path):\n    return sum(x for x in open(data_path).read())\n"

    await change_document(client, uri, 2, fixed)
    assert len(client.diagnostics[uri]) == 0


async def test_noqa_and_fix_all_actions_edit_the_document(client: LanguageClient):
    uri = await open_document(client, "app.py", FINDING)
    [diagnostic] = client.diagnostics[uri]
    actions = await code_actions(client, uri, diagnostic)
    noqa = next(action for action in actions if "noqa" in action.title)
    silenced = apply(FINDING, noqa.edit.changes[uri])
    assert silenced.splitlines()[1].endswith("  # noqa: EL201")
    await change_document(client, uri, 2, silenced)
    assert len(client.diagnostics[uri]) == 0

    await change_document(client, uri, 3, FINDING)
    [diagnostic] = client.diagnostics[uri]
    [fix_all] = await code_actions(
        client, uri, diagnostic, only=[types.CodeActionKind.SourceFixAll]
    )
    assert apply(FINDING, fix_all.edit.changes[uri]) == FINDING.replace("sum([", "sum(").replace("])", ")")


async def test_hover_on_a_finding_shows_its_rule(client: LanguageClient):
    uri = await open_document(client, "app.py", FINDING)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=20),
        )
    )
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("# list-comprehension-in-consumer (EL201)")
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=2),
        )
    )
    assert nothing is None


async def test_evidence_in_another_module_is_related_information(client: LanguageClient):
    uri = await open_document(client, "app.py", USES_STORAGE)
    [diagnostic] = client.diagnostics[uri]
    [related] = diagnostic.related_information
    assert related.location.uri == (client.root / "storage.py").as_uri()
    assert related.location.range.start == types.Position(line=1, character=9)
    assert "returns the whole content of a file" in related.message
    # Its fix is unsafe: offered, and said so, but not preferred.
    actions = await code_actions(client, uri, diagnostic)
    fix = next(action for action in actions if not "noqa" in action.title)
    assert fix.title.endswith("(unsafe fix)") and not fix.is_preferred


async def test_the_configuration_is_read_again_when_it_changes(client: LanguageClient):
    uri = await open_document(client, "app.py", FINDING)
    assert len(client.diagnostics[uri]) == 1
    (client.root / "pyproject.toml").write_text('[tool.edgelint]\nignore = ["EL201"]\n')
    await change_document(client, uri, 2, FINDING + "\n")
    assert len(client.diagnostics[uri]) == 0


async def test_a_configured_memory_profile_shows_measured_bytes_and_promotes_findings(
    client: LanguageClient,
):
    unknown_size = "def first_frame(payload):\n    return payload.split(b'\\n')[0]\n"
    uri = await open_document(client, "frames.py", unknown_size)
    assert len(client.diagnostics[uri]) == 0
    profile = {
        "schema": "edgelint-profile",
        "version": 1,
        "source": "tracemalloc",
        "lines": [{"file": "frames.py", "line": 2, "peak_bytes": 13 << 20, "allocated_bytes": 13 << 20}],
    }
    (client.root / "profile.json").write_text(json.dumps(profile))
    (client.root / "edgelint.toml").write_text('profile = "profile.json"\n')
    await change_document(client, uri, 2, unknown_size + "\n")
    [diagnostic] = client.diagnostics[uri]
    assert diagnostic.code == "EL107"
    assert "measured: 13.0 MiB live at peak in the profiled run" in diagnostic.message
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=15),
        )
    )
    assert hover.contents.value.startswith("**Measured:** 13.0 MiB live at peak in the profiled run (line 2).")


async def test_saving_a_module_updates_the_findings_of_the_documents_that_import_it(
    client: LanguageClient,
):
    uri = await open_document(client, "app.py", USES_STORAGE)
    assert len(client.diagnostics[uri]) == 1
    # `load()` now returns a few lines, not a file's content: no evidence of big data left.
    storage = client.root / "storage.py"
    storage.write_text("def load(data_path):\n    return ['a', 'b']\n")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=storage.as_uri()))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert len(client.diagnostics[uri]) == 0


async def test_a_notebooks_findings_go_to_their_cells(client: LanguageClient):
    notebook = client.root / "analysis.ipynb"
    notebook_uri = notebook.as_uri()
    cells = [
        (types.NotebookCellKind.Code, "import json\n"),
        (types.NotebookCellKind.Markup, "# The readings\n"),
        (types.NotebookCellKind.Code, FINDING),
    ]
    cell_uris = [f"vscode-notebook-cell:{notebook}#cell{index}" for index in range(len(cells))]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook_uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=kind, document=uri)
                    for (kind, _), uri in zip(cells, cell_uris)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
                for (_, text), uri in zip(cells, cell_uris)
            ],
        )
    )
    # One publication per cell, sent together.
    await until(lambda: all(uri in client.diagnostics for uri in cell_uris))
    [diagnostic] = client.diagnostics[cell_uris[2]]
    assert diagnostic.code == "EL201"
    # Rows of the cell, not of the notebook.
    assert diagnostic.range.start == types.Position(line=1, character=15)
    assert len(client.diagnostics[cell_uris[0]]) == 0
    actions = await code_actions(client, cell_uris[2], diagnostic)
    fix = next(action for action in actions if action.is_preferred)
    fixed = apply(FINDING, fix.edit.changes[cell_uris[2]])
    assert "sum(x for x in" in fixed

    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=notebook_uri),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell_uris[2], version=2),
                            changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
                        )
                    ]
                )
            ),
        )
    )
    await until(lambda: len(client.diagnostics[cell_uris[2]]) == 0)


async def test_a_message_the_server_cannot_read_does_not_end_the_session(client: LanguageClient):
    # Sent as raw JSON-RPC: the client's own types would refuse to send them.
    from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

    protocol = client.protocol
    protocol._send_data(
        JsonRPCNotification(
            method=types.TEXT_DOCUMENT_DID_OPEN, params={"textDocument": {"uri": 3}}, jsonrpc="2.0"
        )
    )
    answer = asyncio.get_running_loop().create_future()
    protocol._request_futures["bad-hover"] = answer
    protocol._send_data(
        JsonRPCRequestMessage(
            id="bad-hover", method=types.TEXT_DOCUMENT_HOVER, params={"position": "nowhere"}, jsonrpc="2.0"
        )
    )
    try:
        await asyncio.wait_for(answer, 10)
    except asyncio.TimeoutError:
        raise AssertionError("the malformed hover got no answer")
    except Exception as error:  # the server's error response
        assert "invalid" in str(error), error
    else:
        raise AssertionError("a hover without a document was answered")
    uri = await open_document(client, "app.py", FINDING)
    assert len(client.diagnostics[uri]) == 1
    assert any("edgelint" in message.message for message in client.log_messages)


async def test_a_file_the_configuration_excludes_is_not_linted(client: LanguageClient):
    # `build/` is excluded by default, as on the command line with `--force-exclude`.
    (client.root / "build").mkdir()
    uri = await open_document(client, "build/generated.py", FINDING)
    assert len(client.diagnostics[uri]) == 0
    (client.root / "pyproject.toml").write_text('[tool.edgelint]\nextend-exclude = ["legacy"]\n')
    (client.root / "legacy").mkdir()
    uri = await open_document(client, "legacy/old.py", FINDING)
    assert len(client.diagnostics[uri]) == 0
    uri = await open_document(client, "app.py", FINDING)
    assert len(client.diagnostics[uri]) == 1
