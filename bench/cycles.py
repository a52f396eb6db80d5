#!/usr/bin/env python3
"""Count the work of edgelint and of the parse-only floor with callgrind, on one thread.

Wall and CPU times on a shared machine move by 5 to 10 % from run to run, more than most
single changes to the engine save. Instruction counts and callgrind's cache model do not move:
this script runs both commands under `valgrind --tool=callgrind --cache-sim=yes` and prints, for
each, the instructions, the L1 and last-level cache misses, and an estimate of the cycles
(instructions + 10 per L1 miss + 100 per last-level miss), then edgelint's ratio to the floor.
The estimate is a model, not the machine: use it to compare two builds on the same corpus.

How to run it, from anywhere (valgrind must be installed):

    python3 bench/cycles.py [CORPUS_DIR] [-- EDGELINT_ARGS...]

Without CORPUS_DIR it measures Django's folder of the real tree (`bench/run.py` installs the
tree on first use; about 160,000 lines, 20 s per command). EDGELINT_ARGS replace the default
`--select ALL`, for instance `-- --select EL001` to measure the engine without its rules.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import run

L1_MISS_CYCLES = 10
LAST_LEVEL_MISS_CYCLES = 100


def count(argv):
    """Callgrind's totals for `argv`: a dict of its event names to counts."""
    with tempfile.TemporaryDirectory(prefix="edgelint-cycles-") as scratch:
        out = Path(scratch) / "callgrind.out"
        valgrind = ["valgrind", "--tool=callgrind", "--cache-sim=yes",
                    f"--callgrind-out-file={out}", *argv]
        done = subprocess.run(valgrind, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        if done.returncode not in (0, 1) or not out.exists():
            sys.exit(f"{done.stderr}\ncycles.py: `{' '.join(argv)}` failed; aborting")
        events = None
        for line in out.read_text().splitlines():
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith(("summary:", "totals:")) and events:
                return dict(zip(events, map(int, line.split()[1:])))
    sys.exit("cycles.py: callgrind wrote no totals; aborting")


def figures(totals):
    """Instructions, L1 misses, last-level misses and the estimated cycles."""
    l1 = sum(totals.get(event, 0) for event in ("I1mr", "D1mr", "D1mw"))
    last_level = sum(totals.get(event, 0) for event in ("ILmr", "DLmr", "DLmw"))
    cycles = totals["Ir"] + L1_MISS_CYCLES * l1 + LAST_LEVEL_MISS_CYCLES * last_level
    return totals["Ir"], l1, last_level, cycles


def main():
    # What follows `--` is edgelint's, whether a corpus is given or not.
    ours, edgelint_args = sys.argv[1:], []
    if "--" in ours:
        split = ours.index("--")
        ours, edgelint_args = ours[:split], ours[split + 1:]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     usage="%(prog)s [CORPUS_DIR] [-- EDGELINT_ARGS...]")
    parser.add_argument("corpus", nargs="?", help="the folder to check (default: Django's)")
    args = parser.parse_args(ours)
    if shutil.which("valgrind") is None:
        sys.exit("cycles.py: valgrind is not installed")
    corpus = Path(args.corpus) if args.corpus else run.install_real_tree() / "django"
    if not corpus.is_dir():
        parser.error(f"{corpus} is not a folder")
    build = ["cargo", "build", "--release", "--workspace", "--bin", "edgelint",
             "--bin", "parse-floor"]
    if subprocess.run(build, cwd=run.REPO).returncode != 0:
        sys.exit(f"cycles.py: `{' '.join(build)}` failed; aborting")
    options = edgelint_args or ["--select", "ALL"]
    commands = {
        "parse-only floor": [str(run.RELEASE / "parse-floor"), "--threads", "1", str(corpus)],
        "edgelint": [str(run.RELEASE / "edgelint"), "check", "--no-cache", "--threads", "1",
                     "--exit-zero", "-q", *options, str(corpus)],
    }
    print(f"corpus   {corpus}\nedgelint {' '.join(options)}\n")
    print(f"{'':18}{'instructions':>14}{'L1 misses':>12}{'LL misses':>12}{'est. cycles':>14}")
    measured = {}
    for name, argv in commands.items():
        measured[name] = figures(count(argv))
        instructions, l1, last_level, cycles = measured[name]
        print(f"{name:18}{instructions / 1e9:>13.3f}G{l1 / 1e6:>11.1f}M"
              f"{last_level / 1e6:>11.2f}M{cycles / 1e9:>13.3f}G")
    floor, edgelint = measured["parse-only floor"], measured["edgelint"]
    print(f"\nedgelint / floor: {edgelint[0] / floor[0]:.2f}x instructions, "
          f"{edgelint[3] / floor[3]:.2f}x estimated cycles")


if __name__ == "__main__":
    main()
