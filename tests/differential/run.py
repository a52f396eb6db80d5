"""Differential test of edgelint's fixes: a safe fix never changes what a program computes.

Usage: run.py EDGELINT_BINARY   (with the python of tests/differential/setup.sh)

Generates small runnable programs for every rule that has a fix (tests/differential/programs),
writes them into a scratch directory, fixes one copy with `--fix` and another with
`--fix --unsafe-fixes`, runs all three versions and compares:
- after the safe fixes, every program prints exactly what it printed before;
- after the unsafe fixes, every program still compiles and runs to completion (it may print
  something else, but it does not crash, hang, or raise where the original did not).
It also fails when a rule that `--list-rules` says has a fix has no generator, or when no
fix of some rule was applied in either run (a test that fixes nothing proves nothing).

EDGELINT_DIFFERENTIAL_EXAMPLES sets the number of programs drawn per rule.
"""

import collections
import concurrent.futures
import dataclasses
import difflib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

from programs import GENERATORS, draw_programs  # noqa: E402 - found through the line above

DEFAULT_EXAMPLES = 60
RUNTIME = HERE / "runtime"
EXECUTOR = HERE / "execute.py"
FIX_LINE = re.compile(r"^\s+(\d+) × (EL\d+) ")
BROKEN = ("crashed", "timeout", "does not compile")
FILE_LINE = re.compile(r"^- (.+):$")
REFUSED_LINE = re.compile(r"a fix of (EL\d+) in (\S+) produced invalid Python")


@dataclasses.dataclass
class Failure:
    rule: str
    name: str
    kind: str
    original: str
    fixed: str
    before: dict
    after: dict
    fixes: dict


def rules_with_a_fix(binary):
    """The codes whose FIX column in `--list-rules` is `yes` or `sometimes`."""
    listing = subprocess.run([binary, "--list-rules"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[1:] if line.strip()]
    return {row[0] for row in rows if row[-1] in ("yes", "sometimes")}


def write_programs(directory, count):
    """Draws the programs of every rule into `directory`; returns {file name: Program}."""
    directory.mkdir()
    written = {}
    for rule in GENERATORS:
        for index, program in enumerate(draw_programs(rule, count)):
            name = f"{rule}_{index:03}.py"
            (directory / name).write_text(program.source, encoding="utf-8")
            written[name] = program
    return written


def edgelint(binary, directory, *flags):
    """Runs edgelint on `directory` with every rule, no cache and no configuration."""
    # Every tier: a fix must keep behaviour whether or not its finding is shown by default.
    command = [binary, *flags, "--select", "ALL", "--pedantic", "--no-cache", "--isolated",
               "--exit-zero", "."]
    return subprocess.run(command, cwd=directory, capture_output=True, text=True)


def applied_fixes(show_fixes_output):
    """{file name: Counter of rule codes} from the `--show-fixes` listing."""
    applied = collections.defaultdict(collections.Counter)
    current = None
    for line in show_fixes_output.splitlines():
        if match := FILE_LINE.match(line):
            current = pathlib.PurePath(match.group(1)).name
        elif (match := FIX_LINE.match(line)) and current:
            applied[current][match.group(2)] += int(match.group(1))
    return applied


def findings_per_file(binary, directory):
    """{file name: set of rule codes found} in the unfixed programs."""
    report = edgelint(binary, directory, "--output-format", "json")
    found = collections.defaultdict(set)
    for finding in json.loads(report.stdout or "[]"):
        found[pathlib.PurePath(finding["filename"]).name].add(finding["code"])
    return found


@dataclasses.dataclass
class FixRun:
    applied: dict  # file name -> Counter of the rule codes fixed
    refused: dict  # file name -> the rule codes whose fix produced invalid Python
    problems: str  # edgelint's other errors (exit 2)


def fix_copy(binary, original, destination, *flags):
    """Copies the programs and fixes the copy with edgelint."""
    shutil.copytree(original, destination)
    result = edgelint(binary, destination, "--fix", "--show-fixes", "--output-format", "concise", *flags)
    output = result.stdout + result.stderr
    refused = collections.defaultdict(list)
    for rule, path in REFUSED_LINE.findall(output):
        refused[pathlib.PurePath(path).name].append(rule)
    other_errors = [line for line in output.splitlines() if "error:" in line and not REFUSED_LINE.search(line)]
    problems = "\n".join(other_errors) or (output if result.returncode == 2 and not refused else "")
    return FixRun(applied_fixes(output), refused, problems)


def execute(directory):
    """Runs every program of `directory` in one Python process: {file name: outcome}."""
    environment = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([sys.executable, str(EXECUTOR), str(directory), str(RUNTIME)],
                            capture_output=True, text=True, env=environment, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"error: the executor failed on {directory}:\n{result.stderr}")
    return json.loads(result.stdout)


def safe_failure_kind(before, after):
    if before["outcome"] in BROKEN:
        return f"the generated program itself {before['outcome']} (a generator bug)"
    if after == before:
        return None
    if after["outcome"] in BROKEN:
        return f"after --fix the program {after['outcome']}"
    return "--fix changed the output"


def unsafe_failure_kind(before, after):
    if before["outcome"] in BROKEN:
        return None  # reported once, by the safe run's judge
    if after["outcome"] in BROKEN:
        return f"after --fix --unsafe-fixes the program {after['outcome']}"
    if before["outcome"] == "completed" and after["outcome"] == "raised":
        return "after --fix --unsafe-fixes the program raises where it completed"
    return None


def compare(programs, fixed_dir, outcomes, run, judge):
    """The failures of one fixed variant against the originals, as `judge` decides them."""
    before_all, after_all = outcomes
    failures = []
    for name, program in programs.items():
        kinds = [judge(before_all[name], after_all[name])]
        kinds += [f"a fix of {rule} produced invalid Python and edgelint refused it (exit 2)"
                  for rule in run.refused.get(name, [])]
        for kind in filter(None, kinds):
            failures.append(Failure(
                program.rule, name, kind, program.source,
                (fixed_dir / name).read_text(encoding="utf-8"),
                before_all[name], after_all[name], dict(run.applied.get(name, {})),
            ))
    return failures


def describe(failure):
    diff = "".join(difflib.unified_diff(
        failure.original.splitlines(keepends=True), failure.fixed.splitlines(keepends=True),
        f"original/{failure.name}", f"fixed/{failure.name}",
    )) or "(the fix changed nothing in this file)\n"
    applied = ", ".join(f"{count} × {code}" for code, count in sorted(failure.fixes.items())) or "none"
    return (
        f"=== {failure.rule} {failure.name}: {failure.kind}\n"
        f"--- fixes applied: {applied}\n"
        f"--- original program:\n{failure.original}"
        f"--- diff:\n{diff}"
        f"--- output before ({failure.before['outcome']}):\n{failure.before['output']}\n"
        f"--- output after ({failure.after['outcome']}):\n{failure.after['output']}\n"
    )


def coverage_table(programs, found, safe_fixes, unsafe_fixes):
    """Per rule: programs, programs where the rule fired, fixes applied in each run."""
    table = collections.defaultdict(lambda: [0, 0, 0, 0])
    for name, program in programs.items():
        row = table[program.rule]
        row[0] += 1
        row[1] += program.rule in found.get(name, ())
    for column, fixes in ((2, safe_fixes), (3, unsafe_fixes)):
        for counts in fixes.values():
            for code, count in counts.items():
                table[code][column] += count
    return table


def print_coverage(table):
    print(f"{'rule':6} {'programs':>8} {'fired in':>8} {'safe fixes':>10} {'unsafe run':>10}")
    for rule in sorted(table):
        programs, fired, safe, unsafe = table[rule]
        print(f"{rule:6} {programs:8} {fired:8} {safe:10} {unsafe:10}")


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: run.py EDGELINT_BINARY")
    binary = os.path.abspath(sys.argv[1])
    count = int(os.environ.get("EDGELINT_DIFFERENTIAL_EXAMPLES", DEFAULT_EXAMPLES))
    errors = []

    fixable = rules_with_a_fix(binary)
    for rule in sorted(fixable - GENERATORS.keys()):
        errors.append(f"{rule} has a fix but no generator in tests/differential/programs")

    with tempfile.TemporaryDirectory(prefix="edgelint-differential-") as scratch:
        scratch = pathlib.Path(scratch)
        original, safe, unsafe = scratch / "original", scratch / "safe", scratch / "unsafe"
        programs = write_programs(original, count)
        with concurrent.futures.ThreadPoolExecutor() as pool:
            found = pool.submit(findings_per_file, binary, original)
            safe_run = pool.submit(fix_copy, binary, original, safe)
            unsafe_run = pool.submit(fix_copy, binary, original, unsafe, "--unsafe-fixes")
            safe_run, unsafe_run = safe_run.result(), unsafe_run.result()
            before, after_safe, after_unsafe = pool.map(execute, (original, safe, unsafe))
        found = found.result()

        for label, run in (("--fix", safe_run), ("--fix --unsafe-fixes", unsafe_run)):
            if run.problems:
                errors.append(f"edgelint {label} failed:\n{run.problems}")
        failures = compare(programs, safe, (before, after_safe), safe_run, safe_failure_kind)
        failures += compare(programs, unsafe, (before, after_unsafe), unsafe_run, unsafe_failure_kind)

    table = coverage_table(programs, found, safe_run.applied, unsafe_run.applied)
    for rule in sorted(fixable & GENERATORS.keys()):
        if table[rule][2] + table[rule][3] == 0:
            errors.append(f"{rule}: no fix was applied to any of its programs, in either run")

    for failure in sorted(failures, key=lambda f: (f.rule, f.kind, f.name)):
        print(describe(failure))
    print_coverage(table)
    per_rule = collections.Counter((f.rule, f.kind) for f in failures)
    for (rule, kind), number in sorted(per_rule.items()):
        print(f"{rule}: {number} × {kind}")
    for error in errors:
        print(f"error: {error}")
    print(f"differential: {len(programs)} programs, {len(failures)} failures, {len(errors)} errors")
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
