"""Smoke-test a wheel or a source archive of edgelint on this machine.

    python release/smoke_test.py --install dist/edgelint-0.1.0-*.whl [--commit HASH]

installs it into a new virtual environment (a source archive is built, with Rust) and checks
the edgelint it installed. Without `--install` it checks the edgelint installed beside the
Python that runs it.

It checks that `edgelint --version` names the installed version (and the commit, when given:
a release must say what it was built from), that a wasteful file gets its finding in the text
and JSON formats with exit status 1, that `--fix` fixes it, that the fixed file is clean (exit 0),
and that `edgelint rule` documents a rule. Standard library only: it runs on every platform a
wheel is built for, also inside a bare container.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import venv
from pathlib import Path

WASTEFUL = 'def checksum(data_path):\n    return sum([x for x in open(data_path, "rb").read()])\n'
FIXED = 'def checksum(data_path):\n    return sum(x for x in open(data_path, "rb").read())\n'


def edgelint() -> str:
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("edgelint", path=scripts)
    if not found:
        sys.exit(f"error: no edgelint in {scripts}: is the wheel installed into this Python?")
    return found


def run(*args: str, cwd: Path, expect: int) -> str:
    done = subprocess.run([edgelint(), *args], cwd=cwd, capture_output=True, text=True)
    output = done.stdout + done.stderr
    if done.returncode != expect:
        sys.exit(f"error: `edgelint {' '.join(args)}` exited {done.returncode}, not {expect}:\n{output}")
    return done.stdout


def check(condition: bool, what: str, output: str) -> None:
    if not condition:
        sys.exit(f"error: {what}:\n{output}")
    print(f"ok: {what}")


def install_and_check(package: str, commit: str | None) -> None:
    """Install `package` into a new virtual environment and run this check with its Python."""
    with tempfile.TemporaryDirectory() as scratch:
        venv.create(scratch, with_pip=True)
        python = shutil.which("python", path=Path(scratch, "Scripts" if os.name == "nt" else "bin"))
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, package], check=True)
        checked = subprocess.run([python, __file__, *(["--commit", commit] if commit else [])])
        if checked.returncode:
            sys.exit(checked.returncode)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--install", metavar="FILE", help="a wheel or source archive to install first")
    parser.add_argument("--commit", help="the commit the binary must say it was built from")
    arguments = parser.parse_args()
    if arguments.install:
        install_and_check(str(Path(arguments.install).resolve()), arguments.commit)
        return
    commit = arguments.commit

    version = importlib.metadata.version("edgelint")
    printed = run("--version", cwd=Path.cwd(), expect=0)
    check(printed.startswith(f"edgelint {version}"), f"--version names {version}", printed)
    if commit:
        check(f"({commit[:9]} " in printed, f"--version names the commit {commit[:9]}", printed)

    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        wasteful = project / "wasteful.py"
        wasteful.write_bytes(WASTEFUL.encode())
        text = run("check", "--no-cache", "wasteful.py", cwd=project, expect=1)
        check("EL201" in text and "wasteful.py:2:16" in text, "a wasteful file gets EL201", text)
        report = run("check", "--no-cache", "--output-format", "json", "wasteful.py", cwd=project, expect=1)
        findings = json.loads(report)
        check(
            [(f["code"], f["fix"]["applicability"]) for f in findings] == [("EL201", "safe")],
            "JSON reports one finding with a safe fix",
            report,
        )
        run("check", "--no-cache", "--fix", "wasteful.py", cwd=project, expect=0)
        check(wasteful.read_bytes() == FIXED.encode(), "--fix fixes it", wasteful.read_text())
        run("check", "--no-cache", "wasteful.py", cwd=project, expect=0)
        print("ok: the fixed file is clean")

    documented = run("rule", "EL201", cwd=Path.cwd(), expect=0)
    check("list-comprehension-in-consumer" in documented, "`edgelint rule` documents EL201", documented)


if __name__ == "__main__":
    main()
