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
edgelint's default excludes). Release binaries are built first with cargo. Linux only
(peak RSS comes from `wait4`, in KiB).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "target" / "release"

# Targets from the project's goals, shown for reference only: the exit status ignores them.
CPU_RATIO_TARGET = 1.5
PEAK_MIB_TARGET = 40.0


def measure(argv, stdout=subprocess.DEVNULL):
    """Runs `argv` once; returns (exit status, wall s, CPU s, peak MiB, captured stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout)
    # Popen's own wait() discards the rusage; wait4 gives this child's CPU time and peak RSS
    # alone. Reading the pipe first keeps a chatty child from blocking on a full pipe.
    output = proc.stdout.read() if stdout == subprocess.PIPE else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    if proc.stdout:
        proc.stdout.close()
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, wall, cpu, usage.ru_maxrss / 1024, output.decode()


def check(name, code, ok_codes):
    if code not in ok_codes:
        sys.exit(f"run.py: {name} failed with exit status {code}; aborting")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--threads", type=int, help="passed to both commands")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    corpus = str(Path(args.corpus).resolve())

    # Build once, up front, so no run pays for compilation. The binaries live in two packages
    # of the workspace, hence --workspace.
    subprocess.run(
        ["cargo", "build", "--release", "--workspace", "--bin", "edgelint", "--bin", "parse-floor"],
        cwd=REPO,
        check=True,
    )

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
    code, *_, floor_line = measure(commands["floor"][0], stdout=subprocess.PIPE)
    check("parse-floor", code, commands["floor"][1])
    counts = {key: int(value) for key, value in (f.split("=") for f in floor_line.split())}
    code, *_, report = measure(commands["edgelint"][0], stdout=subprocess.PIPE)
    check("edgelint", code, commands["edgelint"][1])
    findings = len(report.splitlines())

    # Alternate the two so that drift in the machine (other load, CPU frequency, thermal
    # state) falls on both alike instead of on whichever ran second.
    samples = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (argv, ok_codes) in commands.items():
            code, wall, cpu, peak, _ = measure(argv)
            check(name, code, ok_codes)
            samples[name].append((wall, cpu, peak))

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

    mark = lambda ok: "PASS" if ok else "MISS"
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
          f"{mark(results['cpu_ratio_pass'])};  peak < {PEAK_MIB_TARGET:.0f} MiB: "
          f"{lint['peak_mib']:.1f} MiB {mark(results['peak_pass'])}")


if __name__ == "__main__":
    main()
