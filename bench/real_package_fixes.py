#!/usr/bin/env python3
"""Apply edgelint's safe fixes to real Python packages and check that their test suites agree.

What it does: in a scratch folder it makes a virtual environment, downloads the source
distributions of a few pure-Python packages at pinned versions from the package index, and for
each one unpacks it, installs it in editable mode (so the tests import the unpacked copy), runs
its test suite with pytest, applies `edgelint --select ALL --fix` to the package's library code
(never its tests), and runs the test suite again. A safe fix must not change behaviour, so every
test must end the same way both times: the script compares the two JUnit XML reports test by
test, prints a table (files fixed, fixes applied per rule, the tallies before and after, the
tests whose outcome changed) and exits 1 if any outcome changed.

How to run it, from the repository root (it needs the network to reach the package index):

    cargo build --release
    python3 bench/real_package_fixes.py [EDGELINT] [--scratch DIR] [--package NAME ...]

EDGELINT defaults to target/release/edgelint and DIR to target/real-package-fixes. The venv and
the downloads are kept between runs; every run unpacks fresh sources. Left in DIR/NAME-VERSION/
for each package: the fixed source, `fixes.diff` (everything edgelint changed), `edgelint.log`,
and `tests-before|after.xml` / `.log`. For each test whose outcome changed the report names the
fixed line deepest in its traceback, the likely culprit. A full run takes about eight minutes on
two cores, most of it networkx's tests. Needs Python 3.11.4 or newer (for the safe `tarfile`
extraction filter).

Exit status: 0 when every test kept its outcome, 1 when some changed, 2 when the run itself
failed (a download or install, edgelint exiting 2, pytest writing no report).
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTCOMES = ("passed", "failed", "skipped", "error")
# Test code is not the subject: fixing it would test edgelint against itself.
NOT_LIBRARY_CODE = "tests,test,conftest.py"
TEST_RUN_TIMEOUT_SECONDS = 30 * 60
PYTEST = "pytest==9.2.0"


@dataclass(frozen=True)
class Package:
    name: str  # on the package index
    version: str
    import_name: str  # imported once to prove the tests will load the unpacked copy
    library: tuple[str, ...]  # paths in the unpacked source that edgelint fixes
    tests: tuple[str, ...]  # paths in the unpacked source given to pytest
    test_requirements: tuple[str, ...] = ()
    pytest_options: tuple[str, ...] = ()


# Chosen among candidates for the number of safe fixes edgelint applied to their library code
# before fix safety was tightened (networkx 14, mutagen 6, pygments 5, bottle 4, boltons 4; petl, pyparsing, tabulate, click,
# sqlparse, python-can, dnspython 1 or 2; toolz, h11, humanize, python-dateutil, construct,
# paho-mqtt, pymodbus, jinja2, markdown none) and for test suites that run in a few minutes.
PACKAGES = (
    # Graph algorithms; its tests live inside the package, next to the code.
    Package("networkx", "3.6.1", "networkx", ("networkx",), ("networkx",)),
    # Audio metadata: binary parsing of the kind an edge media box does.
    Package(
        "mutagen",
        "1.48.1",
        "mutagen",
        ("mutagen",),
        ("tests",),
        test_requirements=("hypothesis==6.170.17",),
        # A fixed seed, so hypothesis draws the same examples in both runs.
        pytest_options=("--hypothesis-seed=0",),
    ),
    # Syntax highlighting: lexers that run many regular expressions over text.
    Package(
        "pygments",
        "2.21.0",
        "pygments",
        ("pygments",),
        ("tests",),
        test_requirements=("wcag-contrast-ratio==0.9",),
    ),
    # A WSGI web framework in one file: server-side code of the kind edgelint targets.
    Package("bottle", "0.13.4", "bottle", ("bottle.py",), ("test",)),
)


@dataclass
class TestRun:
    outcomes: dict[str, str]  # test id -> one of OUTCOMES
    tracebacks: dict[str, str]  # test id -> pytest's report, for the tests that failed or errored

    def tally(self) -> str:
        counts = Counter(self.outcomes.values())
        return "/".join(str(counts[outcome]) for outcome in OUTCOMES)


@dataclass(frozen=True)
class FixedLine:
    path: str  # relative to the unpacked source, as pytest names it in tracebacks
    line: int  # in the fixed file
    original: str
    fixed: str


@dataclass
class FixRun:
    fixes_by_rule: Counter
    files_changed: int
    fixed_lines: dict[tuple[str, int], FixedLine]  # keyed by (path, line)

    def culprit(self, traceback: str) -> FixedLine | None:
        """The fixed line deepest in a traceback: the fix that most likely broke the test."""
        frames = re.findall(r"^([\w./-]+\.py):(\d+):", traceback, re.MULTILINE)
        for path, line in reversed(frames):
            if (path, int(line)) in self.fixed_lines:
                return self.fixed_lines[(path, int(line))]
        return None


@dataclass
class PackageResult:
    package: Package
    fix_run: FixRun
    before: TestRun
    after: TestRun

    def changed_tests(self) -> list[tuple[str, str, str]]:
        """(test id, outcome before, outcome after) for every test that did not end the same."""
        test_ids = sorted(self.before.outcomes.keys() | self.after.outcomes.keys())
        changes = []
        for test_id in test_ids:
            before = self.before.outcomes.get(test_id, "absent")
            after = self.after.outcomes.get(test_id, "absent")
            if before != after:
                changes.append((test_id, before, after))
        return changes


class RunFailed(Exception):
    """The harness could not do its job; says nothing about edgelint's fixes."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list) -> subprocess.CompletedProcess:
    """Run a command that must succeed, keeping its output for the error message if it fails."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    if result.returncode != 0:
        raise RunFailed(f"{' '.join(map(str, command))} exited {result.returncode}:\n"
                        f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result


def make_venv(scratch: Path) -> Path:
    """The venv's python, with pytest and every package's test requirements installed."""
    environment = scratch / "venv"
    python = environment / "bin" / "python"
    if not python.exists():
        log(f"creating a virtual environment in {environment}")
        venv.create(environment, with_pip=True)
    requirements = {PYTEST}
    for package in PACKAGES:
        requirements.update(package.test_requirements)
    run([python, "-m", "pip", "install", "-q", *sorted(requirements)])
    return python


def download_sdist(python: Path, package: Package, downloads: Path) -> Path:
    """The source distribution, which (unlike most wheels) carries the test suite."""
    folder = downloads / f"{package.name}-{package.version}"
    folder.mkdir(parents=True, exist_ok=True)
    spec = f"{package.name}=={package.version}"
    run([python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", spec,
         "-d", folder])
    archives = sorted(folder.glob("*.tar.gz"))
    if len(archives) != 1:
        raise RunFailed(f"expected one .tar.gz for {spec} in {folder}, found {archives}")
    return archives[0]


def unpack_fresh(archive: Path, destination: Path) -> Path:
    """Unpack into an empty folder, so no earlier run's fix survives; returns the source root."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")
    (source_root,) = [entry for entry in destination.iterdir() if entry.is_dir()]
    return source_root


def install_editable(python: Path, package: Package, source_root: Path) -> None:
    run([python, "-m", "pip", "install", "-q", "--no-deps", "-e", source_root])
    # Isolated mode (-I) leaves the current directory off sys.path: only the install can resolve it.
    located = run([python, "-I", "-c", f"import {package.import_name}; "
                   f"print({package.import_name}.__file__)"])
    module_file = Path(located.stdout.strip()).resolve()
    if not module_file.is_relative_to(source_root.resolve()):
        raise RunFailed(f"{package.import_name} is imported from {module_file}, "
                        f"not from the unpacked copy in {source_root}")


def run_tests(python: Path, package: Package, source_root: Path, report_name: str) -> TestRun:
    junit_xml = source_root.parent / f"{report_name}.xml"
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit_xml}",
               "-o", "junit_family=xunit2", *package.pytest_options, *package.tests]
    # No bytecode caches: a stale .pyc of a file fixed within the same second could hide a fix.
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    result = subprocess.run([str(part) for part in command], cwd=source_root, env=environment,
                            capture_output=True, text=True, timeout=TEST_RUN_TIMEOUT_SECONDS)
    (source_root.parent / f"{report_name}.log").write_text(result.stdout + result.stderr)
    if not junit_xml.exists():
        raise RunFailed(f"pytest wrote no report for {package.name}:\n{result.stderr[-3000:]}")
    test_run = read_junit_report(junit_xml)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(no summary)"
    log(f"  {report_name}: {summary} ({time.monotonic() - started:.0f} s)")
    return test_run


def read_junit_report(junit_xml: Path) -> TestRun:
    test_run = TestRun(outcomes={}, tracebacks={})
    for case in ElementTree.parse(junit_xml).iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        # Two cases can share a name (a parameter shown the same way twice); number the repeats.
        repeat = 2
        unique_id = test_id
        while unique_id in test_run.outcomes:
            unique_id = f"{test_id} #{repeat}"
            repeat += 1
        test_run.outcomes[unique_id] = outcome_of(case)
        reports = [child.text or "" for child in case if child.tag in ("failure", "error")]
        if reports:
            test_run.tracebacks[unique_id] = "\n".join(reports)
    return test_run


def outcome_of(case: ElementTree.Element) -> str:
    child_tags = {child.tag for child in case}
    # A test that passed but broke in teardown has an <error>: that is the outcome to keep.
    for tag, outcome in (("error", "error"), ("failure", "failed"), ("skipped", "skipped")):
        if tag in child_tags:
            return outcome
    return "passed"


def python_sources(source_root: Path) -> dict[Path, str]:
    """Every .py file of the unpacked source, tests included, so a fix that strays shows up."""
    return {path: path.read_text(encoding="utf-8", errors="surrogateescape")
            for path in sorted(source_root.rglob("*.py"))}


def apply_fixes(edgelint: Path, package: Package, source_root: Path) -> FixRun:
    before = python_sources(source_root)
    command = [edgelint, "--select", "ALL", "--fix", "--show-fixes", "--no-cache",
               # The package's own configuration files are not written for edgelint.
               "--isolated", "--extend-exclude", NOT_LIBRARY_CODE, "--output-format", "concise",
               *package.library]
    result = subprocess.run([str(part) for part in command], cwd=source_root,
                            capture_output=True, text=True)
    (source_root.parent / "edgelint.log").write_text(result.stdout + result.stderr)
    # 1 only means findings are left; 2 means edgelint itself failed.
    if result.returncode not in (0, 1):
        raise RunFailed(f"edgelint exited {result.returncode} on {package.name}:\n"
                        f"{result.stderr[-3000:]}")
    after = python_sources(source_root)
    write_diff(before, after, source_root)
    changed = [path for path, text in after.items() if before.get(path) != text]
    fixed_lines = {}
    for path in changed:
        name = path.relative_to(source_root).as_posix()
        for fixed_line in lines_fixed(name, before[path], after[path]):
            fixed_lines[(fixed_line.path, fixed_line.line)] = fixed_line
    return FixRun(count_shown_fixes(result.stderr), len(changed), fixed_lines)


def lines_fixed(name: str, original: str, fixed: str) -> list[FixedLine]:
    """Each line of the fixed file that a fix wrote, with the original lines it replaced."""
    original_lines = original.splitlines()
    fixed_lines = fixed.splitlines()
    matcher = difflib.SequenceMatcher(None, original_lines, fixed_lines, autojunk=False)
    result = []
    for tag, start, end, fixed_start, fixed_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        replaced = "\n".join(line.strip() for line in original_lines[start:end])
        for index in range(fixed_start, fixed_end):
            result.append(FixedLine(name, index + 1, replaced, fixed_lines[index].strip()))
    return result


def count_shown_fixes(show_fixes_output: str) -> Counter:
    """Totals per rule from `--show-fixes`, which lists lines like `    3 × EL205 (name)`."""
    fixes = Counter()
    for count, code in re.findall(r"^\s+(\d+) × (EL\d+) \(", show_fixes_output, re.MULTILINE):
        fixes[code] += int(count)
    return fixes


def write_diff(before: dict[Path, str], after: dict[Path, str], source_root: Path) -> None:
    lines = []
    for path, text in after.items():
        if before.get(path) != text:
            name = str(path.relative_to(source_root))
            lines.extend(difflib.unified_diff(
                before[path].splitlines(keepends=True), text.splitlines(keepends=True),
                fromfile=f"a/{name}", tofile=f"b/{name}"))
    (source_root.parent / "fixes.diff").write_text("".join(lines))


def check_package(python: Path, edgelint: Path, package: Package, scratch: Path) -> PackageResult:
    log(f"{package.name} {package.version}")
    archive = download_sdist(python, package, scratch / "downloads")
    source_root = unpack_fresh(archive, scratch / f"{package.name}-{package.version}")
    install_editable(python, package, source_root)
    before = run_tests(python, package, source_root, "tests-before")
    fix_run = apply_fixes(edgelint, package, source_root)
    log(f"  fixed: {sum(fix_run.fixes_by_rule.values())} in {fix_run.files_changed} files")
    after = run_tests(python, package, source_root, "tests-after")
    return PackageResult(package, fix_run, before, after)


def format_fixes(fixes_by_rule: Counter) -> str:
    if not fixes_by_rule:
        return "none"
    per_rule = " ".join(f"{code}×{count}" for code, count in sorted(fixes_by_rule.items()))
    return f"{sum(fixes_by_rule.values())} ({per_rule})"


def describe_cause(result: PackageResult, test_id: str) -> str:
    culprit = result.fix_run.culprit(result.after.tracebacks.get(test_id, ""))
    if culprit is None:
        return "no fixed line in its traceback: see fixes.diff"
    return f"fix at {culprit.path}:{culprit.line}: `{culprit.original}` -> `{culprit.fixed}`"


def print_report(results: list[PackageResult]) -> None:
    header = ("package", "version", "files fixed", "fixes applied (per rule)",
              "tests before", "tests after", "changed")
    rows = [header]
    for result in results:
        rows.append((result.package.name, result.package.version,
                     str(result.fix_run.files_changed), format_fixes(result.fix_run.fixes_by_rule),
                     result.before.tally(), result.after.tally(),
                     str(len(result.changed_tests()))))
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print("\ntests are counted as passed/failed/skipped/error")
    print("\ntests whose outcome changed (must be none):")
    changes = [(result, change) for result in results for change in result.changed_tests()]
    for result, (test_id, before, after) in changes:
        print(f"  {result.package.name}: {test_id}: {before} -> {after}")
        print(f"    {describe_cause(result, test_id)}")
    if not changes:
        print("  none")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edgelint", nargs="?", type=Path,
                        default=REPO / "target" / "release" / "edgelint",
                        help="the edgelint binary (default: target/release/edgelint)")
    parser.add_argument("--scratch", type=Path, default=REPO / "target" / "real-package-fixes",
                        help="folder for the venv, downloads and sources "
                             "(default: target/real-package-fixes)")
    parser.add_argument("--package", action="append", choices=[p.name for p in PACKAGES],
                        help="check only this package (repeatable; default: all)")
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    started = time.monotonic()
    edgelint = arguments.edgelint.resolve()
    if not edgelint.is_file():
        log(f"error: no edgelint binary at {edgelint} (build it with `cargo build --release`)")
        return 2
    scratch = arguments.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    selected = [p for p in PACKAGES if not arguments.package or p.name in arguments.package]
    try:
        python = make_venv(scratch)
        results = [check_package(python, edgelint, package, scratch) for package in selected]
    except (RunFailed, subprocess.TimeoutExpired) as failure:
        log(f"error: {failure}")
        return 2
    print_report(results)
    print(f"\ntotal time: {time.monotonic() - started:.0f} s")
    return 1 if any(result.changed_tests() for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
