#!/usr/bin/env python3
"""Compare the CPU time of two or more commands on a noisy machine, round by round.

On the shared machine the project is built on, one command's CPU time moves by a fifth from one
run to the next, and by more than a change to the engine saves; a median of each command's runs
still moves by several percent between two sets of runs. What moves less is the ratio of two
commands run seconds apart: both meet the same state of the machine. Each round runs every
command once (in reverse order every other round, so that none always runs first), and the
script prints, against the first command, the median of the rounds' ratios, their range, and
how many rounds the other command took less CPU time. Use it with one thread (`--threads 1`)
to compare two builds, or a build against itself with a switch, when callgrind's count
(`bench/cycles.py`) cannot say what the clock will: memory, caches, page faults.

How to run it, from anywhere:

    python3 bench/ab.py [--rounds N] NAME=COMMAND NAME=COMMAND...

A command is split as a shell would split it; `env VAR=1 program ...` sets a variable for it.
Exit status 0 and 1 are taken as success (a linter with findings exits 1).
"""

import argparse
import resource
import shlex
import statistics
import subprocess
import sys


def cpu_seconds(argv):
    """Runs `argv` and returns the CPU time (user and system) it took; exits if it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"ab.py: `{shlex.join(argv)}` exited with {done.returncode}:\n"
                 f"{done.stderr.decode(errors='replace')}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11, help="rounds to run (default 11)")
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    commands = []
    for spec in args.commands:
        name, sep, command = spec.partition("=")
        if not sep or not command.strip():
            parser.error(f"expected NAME=COMMAND, got `{spec}`")
        commands.append((name, shlex.split(command)))
    if len(commands) < 2:
        parser.error("give at least two commands to compare")
    if len({name for name, _ in commands}) < len(commands):
        parser.error("give each command a name of its own")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    times = {name: [] for name, _ in commands}
    for round_index in range(args.rounds):
        order = commands if round_index % 2 == 0 else commands[::-1]
        for name, argv in order:
            times[name].append(cpu_seconds(argv))

    first = commands[0][0]
    print(f"{args.rounds} rounds; ratios are each round's CPU time against {first}'s")
    for name, _ in commands:
        runs = times[name]
        line = f"{name:>12}  CPU median {statistics.median(runs):7.3f} s"
        # A round whose first command took no measurable time has no ratio.
        ratios = [run / base for run, base in zip(runs, times[first]) if base > 0]
        if name != first and ratios:
            faster = sum(ratio < 1 for ratio in ratios)
            line += (f"  ratio median {statistics.median(ratios):.3f}"
                     f" (rounds {min(ratios):.3f} to {max(ratios):.3f}),"
                     f" less CPU in {faster} of {len(ratios)}")
        print(line)


if __name__ == "__main__":
    main()
