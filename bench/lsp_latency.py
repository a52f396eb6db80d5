#!/usr/bin/env python3
"""How long `edgelint server` takes from a keystroke to updated diagnostics.

It opens a 2,000-line module of the standard library (difflib.py) in the server, then types
into it: each change is one `didChange` with the whole text (what editors send for a server
that asks for full sync), and the time is measured until the diagnostics of that version are
published. The client is pygls, as in tests/lsp, installed by this script into
target/bench-lsp-venv from tests/lsp/requirements.txt.

    python3 bench/lsp_latency.py [--changes N]

Prints the median, the 90th percentile and the slowest of N changes (default 40).
"""

import argparse
import asyncio
import pathlib
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv

REPO = pathlib.Path(__file__).resolve().parent.parent
VENV = REPO / "target" / "bench-lsp-venv"
REQUIREMENTS = REPO / "tests" / "lsp" / "requirements.txt"


def ensure_client() -> pathlib.Path:
    python = VENV / "bin" / "python"
    stamp = VENV / "installed-requirements.txt"
    pins = REQUIREMENTS.read_text()
    if not stamp.exists() or stamp.read_text() != pins:
        venv.create(VENV, with_pip=True, clear=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], check=True)
        stamp.write_text(pins)
    return python


async def measure(binary: str, source: str, changes: int) -> list[float]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("latency", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        published.put_nowait(time.perf_counter())

    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "module.py"
        path.write_text(source)
        uri = path.as_uri()
        await client.start_io(binary, "server")
        await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=pathlib.Path(folder).as_uri())
        )
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=source)
            )
        )
        await published.get()
        timings = []
        text = source
        for version in range(2, changes + 2):
            # A keystroke at the end of the file, in a comment.
            text += "#" if version % 2 else "x"
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )
            received = await published.get()
            timings.append((received - sent) * 1000)
            # Typing speed: a keystroke every 150 ms, so each change is linted on its own.
            await asyncio.sleep(0.15)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--bin", "edgelint"], cwd=REPO, check=True)
    python = ensure_client()
    if pathlib.Path(sys.executable).resolve() != python.resolve():
        return subprocess.run([python, __file__, *sys.argv[1:]]).returncode
    module = pathlib.Path(sysconfig.get_paths()["stdlib"]) / "difflib.py"
    source = module.read_text()
    timings = asyncio.run(measure(str(REPO / "target" / "release" / "edgelint"), source, args.changes))
    timings.sort()
    print(f"file     {module} ({len(source.splitlines())} lines)")
    print(f"changes  {len(timings)}")
    print(
        f"keystroke to diagnostics: median {statistics.median(timings):.1f} ms, "
        f"90th percentile {timings[int(len(timings) * 0.9) - 1]:.1f} ms, slowest {timings[-1]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
