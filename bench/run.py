#!/usr/bin/env python3
"""Benchmark edgelint against a parse-only floor and ruff on the local Python standard library.

What it measures, in one run on one corpus: the wall time, CPU time (user + system) and peak
resident memory of a whole run of
- `parse-floor`: the same parallel file discovery, read and parse that edgelint does, and
  nothing else: what any linter built on this parser must pay;
- `edgelint --select ALL --no-cache`: every rule;
- `ruff check --no-cache --isolated --select PERF,C4,FURB,RUF015,B006,B019`: the nearest peer's
  rules for the same waste (ruff is installed from the package index into a scratch virtual
  environment under target/bench-venv by this script);
- `edgelint --select ALL` a second time with a warm cache (an unchanged tree);
and the ratios edgelint / floor, edgelint / ruff, and first run / cached run.

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
# issue 10: edgelint's wall time at most ruff's, and a cached run at least 5x faster.
RUFF_WALL_RATIO_TARGET = 1.0
CACHE_SPEEDUP_TARGET = 5.0
RUFF_VERSION = "0.14.5"
RUFF_RULES = "PERF,C4,FURB,RUF015,B006,B019"
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


def install_ruff():
    """The path of a ruff binary in a scratch virtual environment, installed there if needed."""
    venv = REPO / "target" / "bench-venv"
    ruff = venv / "bin" / "ruff"
    if ruff.exists():
        version = subprocess.run([str(ruff), "--version"], capture_output=True, text=True)
        if version.stdout.split()[-1:] == [RUFF_VERSION]:
            return ruff
    steps = [[sys.executable, "-m", "venv", str(venv)],
             [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
              f"ruff=={RUFF_VERSION}"]]
    for step in steps:
        if subprocess.run(step).returncode != 0:
            sys.exit(f"run.py: `{' '.join(step)}` failed; aborting")
    return ruff


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

    ruff = install_ruff()
    # Removed when the script exits.
    cache_holder = tempfile.TemporaryDirectory(prefix="edgelint-bench-cache-")
    cache_dir = cache_holder.name

    threads = ["--threads", str(args.threads)] if args.threads else []
    edgelint = [str(RELEASE / "edgelint"), "--select", "ALL", "--output-format", "concise",
                "-q", *threads, corpus]
    commands = {
        # (argv, accepted exit statuses): the linters exit 1 when they have findings.
        "floor": ([str(RELEASE / "parse-floor"), *threads, corpus], {0}),
        "edgelint": ([*edgelint, "--no-cache"], {0, 1}),
        "ruff": ([str(ruff), "check", "--no-cache", "--isolated", "--select", RUFF_RULES,
                  "--output-format", "concise", "--quiet", corpus], {0, 1}),
        # The cache was filled by the warm-up run below: every run after it is a repeat run.
        "cached": ([*edgelint, "--cache-dir", cache_dir], {0, 1}),
    }

    # One extra captured run of each: the floor's counts describe the corpus, and edgelint's
    # concise report has one line per finding. They double as warm-ups (page cache, binaries).
    *_, floor_line = measure(*commands["floor"], stdout=subprocess.PIPE)
    counts = {key: int(value) for key, value in (f.split("=") for f in floor_line.split())}
    *_, report = measure(*commands["edgelint"], stdout=subprocess.PIPE)
    findings = len(report.splitlines())
    *_, cached_report = measure(*commands["cached"], stdout=subprocess.PIPE)
    *_, ruff_report = measure(*commands["ruff"], stdout=subprocess.PIPE)
    ruff_findings = len(ruff_report.splitlines())
    *_, cached_report = measure(*commands["cached"], stdout=subprocess.PIPE)
    if cached_report != report:
        sys.exit("run.py: the cached run reported something else than the uncached one")

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

    floor, lint, peer, cached = (medians(name) for name in ("floor", "edgelint", "ruff",
                                                             "cached"))
    ratios = {key: lint[key] / floor[key] for key in floor}
    ruff_ratios = {key: lint[key] / peer[key] for key in peer}
    cache_speedup = lint["wall_s"] / cached["wall_s"]
    results = {
        "corpus": corpus, **counts, "mb": counts["bytes"] / 1e6, "runs": args.runs,
        "threads": args.threads, "floor": floor, "edgelint": lint, "ruff": peer,
        "cached": cached, "ratios": ratios, "ruff_ratios": ruff_ratios,
        "cache_speedup": cache_speedup, "findings": findings, "ruff_findings": ruff_findings,
        "ruff_version": RUFF_VERSION,
        "cpu_ratio_pass": ratios["cpu_s"] <= CPU_RATIO_TARGET,
        "peak_pass": lint["peak_mib"] < PEAK_MIB_TARGET,
        "ruff_wall_pass": ruff_ratios["wall_s"] <= RUFF_WALL_RATIO_TARGET,
        "cache_pass": cache_speedup >= CACHE_SPEEDUP_TARGET,
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return

    print(f"corpus   {corpus}")
    print(f"files    {counts['files']}   lines {counts['lines']}   "
          f"{results['mb']:.1f} MB   syntax errors {counts['syntax_errors']}")
    print(f"runs     {args.runs} each, median; threads {args.threads or 'all cores'}")
    print()
    print(f"{'':28}{'wall s':>10}{'CPU s':>10}{'peak MiB':>10}")
    rows = (("parse-only floor", floor), ("edgelint (all rules)", lint),
            (f"ruff {RUFF_VERSION} ({RUFF_RULES})", peer), ("edgelint, cached", cached))
    for label, row in rows:
        print(f"{label[:27]:28}{row['wall_s']:10.3f}{row['cpu_s']:10.3f}"
              f"{row['peak_mib']:10.1f}")
    for label, row in (("edgelint / floor", ratios), ("edgelint / ruff", ruff_ratios)):
        print(f"{label:28}{row['wall_s']:9.2f}x{row['cpu_s']:9.2f}x{row['peak_mib']:9.2f}x")
    print()
    print(f"findings edgelint {findings}, ruff {ruff_findings}")
    print(f"targets  wall <= ruff: {ruff_ratios['wall_s']:.2f}x "
          f"{PASS_MISS[results['ruff_wall_pass']]};  CPU <= {CPU_RATIO_TARGET}x floor: "
          f"{ratios['cpu_s']:.2f}x {PASS_MISS[results['cpu_ratio_pass']]};  peak < "
          f"{PEAK_MIB_TARGET:.0f} MiB: {lint['peak_mib']:.1f} MiB "
          f"{PASS_MISS[results['peak_pass']]};  cached run {cache_speedup:.1f}x faster "
          f"(>= {CACHE_SPEEDUP_TARGET:.0f}x) {PASS_MISS[results['cache_pass']]}")


if __name__ == "__main__":
    main()
