#!/usr/bin/env python3
"""Benchmark edgelint against a parse-only floor on the local Python standard library.

What it measures: for `edgelint --select ALL` and for `parse-floor` (the same parallel file
discovery, read and parse that edgelint does, and nothing else), the wall time, CPU time
(user + system) and peak resident memory of a whole run, and the ratios edgelint / floor.
The floor is what any linter built on this parser must pay; the ratios show what the rules,
the semantic model and the report cost on top of it.

How to run it, from anywhere:

    python3 bench/run.py [CORPUS_DIR] [--runs N] [--threads N] [--json]

CORPUS_DIR defaults to this interpreter's standard library (`site-packages` is skipped by
edgelint's default excludes). Release binaries are built first with cargo. Linux only:
`ru_maxrss` is read as KiB. It prints a table, or with --json the same figures as JSON; the
exit status is 0 unless a command failed (the targets shown are informational).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "target" / "release"

# Targets from the project's goals, shown for reference only: the exit status ignores them.
# The design target for edgelint with every rule on (design.md): CPU at most 2x the floor.
CPU_RATIO_TARGET = 2.0
PEAK_MIB_TARGET = 40.0
PASS_MISS = {True: "PASS", False: "MISS"}


def measure(argv, ok_codes, stdout=subprocess.DEVNULL):
    """Runs `argv` once and returns (wall s, CPU s, peak MiB, stdout); exits on failure.

    The command runs under `peak-rss`, which reports the command's own peak RSS on the last
    line of stderr: a direct child of this script would report at least Python's own RSS
    (Linux carries it over through fork/exec). Wall and CPU time are measured here, on the
    `peak-rss` process; its own share is about a millisecond.
    """
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: nothing can block on it
        start = time.perf_counter()
        proc = subprocess.Popen([str(RELEASE / "peak-rss"), *argv], stdout=stdout, stderr=stderr)
        # Read the pipe before waiting, so that a full pipe cannot stall the child.
        output = proc.stdout.read().decode() if proc.stdout else ""
        # Popen.wait() discards the rusage; wait4 returns this child's and its children's.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits again
        if proc.stdout:
            proc.stdout.close()
        stderr.seek(0)
        *messages, report = stderr.read().decode().splitlines() or [""]
    if proc.returncode not in ok_codes or not report.startswith("peak_rss_kib="):
        sys.exit("\n".join([*messages, report, f"run.py: `{' '.join(argv)}` failed "
                            f"with exit status {proc.returncode}; aborting"]))
    peak = int(report.split("=")[1]) / 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, peak, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--threads", type=int, help="passed to both commands")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    corpus = str(Path(args.corpus).resolve())

    # Build once, up front, so no run pays for compilation. The root package is the default
    # member, and the bench binaries are in another package: hence --workspace.
    build = ["cargo", "build", "--release", "--workspace",
             "--bin", "edgelint", "--bin", "parse-floor", "--bin", "peak-rss"]
    if subprocess.run(build, cwd=REPO).returncode != 0:
        sys.exit(f"run.py: `{' '.join(build)}` failed; aborting")

    threads = ["--threads", str(args.threads)] if args.threads else []
    commands = {
        # (argv, accepted exit statuses): edgelint exits 1 when it has findings, 2 on failure.
        "floor": ([str(RELEASE / "parse-floor"), *threads, corpus], {0}),
        "edgelint": (
            [str(RELEASE / "edgelint"), "--select", "ALL", "--output-format", "concise", "-q",
             *threads, corpus],
            {0, 1},
        ),
    }

    # One extra captured run of each: the floor's counts describe the corpus, and edgelint's
    # concise report has one line per finding. They double as warm-ups (page cache, binaries).
    *_, floor_line = measure(*commands["floor"], stdout=subprocess.PIPE)
    counts = {key: int(value) for key, value in (f.split("=") for f in floor_line.split())}
    *_, report = measure(*commands["edgelint"], stdout=subprocess.PIPE)
    findings = len(report.splitlines())

    # Alternate the two so that drift in the machine (other load, CPU frequency, thermal
    # state) falls on both alike instead of on whichever ran second.
    samples = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            samples[name].append(measure(*command)[:3])

    # Medians, not means: one run disturbed by something else on the machine moves a mean
    # but not a median.
    def medians(name):
        wall, cpu, peak = zip(*samples[name])
        return {"wall_s": statistics.median(wall), "cpu_s": statistics.median(cpu),
                "peak_mib": statistics.median(peak)}

    floor, lint = medians("floor"), medians("edgelint")
    ratios = {key: lint[key] / floor[key] for key in floor}
    results = {
        "corpus": corpus, **counts, "mb": counts["bytes"] / 1e6, "runs": args.runs,
        "threads": args.threads, "floor": floor, "edgelint": lint, "ratios": ratios,
        "findings": findings,
        "cpu_ratio_pass": ratios["cpu_s"] <= CPU_RATIO_TARGET,
        "peak_pass": lint["peak_mib"] < PEAK_MIB_TARGET,
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return

    print(f"corpus   {corpus}")
    print(f"files    {counts['files']}   lines {counts['lines']}   "
          f"{results['mb']:.1f} MB   syntax errors {counts['syntax_errors']}")
    print(f"runs     {args.runs} each, median; threads {args.threads or 'all cores'}")
    print()
    print(f"{'':24}{'wall s':>10}{'CPU s':>10}{'peak MiB':>10}")
    for label, row in (("parse-only floor", floor), ("edgelint (all rules)", lint)):
        print(f"{label:24}{row['wall_s']:10.3f}{row['cpu_s']:10.3f}{row['peak_mib']:10.1f}")
    print(f"{'edgelint / floor':24}{ratios['wall_s']:9.2f}x{ratios['cpu_s']:9.2f}x"
          f"{ratios['peak_mib']:9.2f}x")
    print()
    print(f"findings {findings}")
    print(f"targets  CPU <= {CPU_RATIO_TARGET}x floor: {ratios['cpu_s']:.2f}x "
          f"{PASS_MISS[results['cpu_ratio_pass']]};  peak < {PEAK_MIB_TARGET:.0f} MiB: "
          f"{lint['peak_mib']:.1f} MiB {PASS_MISS[results['peak_pass']]}")


if __name__ == "__main__":
    main()
