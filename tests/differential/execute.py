"""Runs every program of a directory in this one process and prints their outcomes as JSON.

Usage: execute.py PROGRAM_DIRECTORY SUPPORT_DIRECTORY > outcomes.json

Each program runs from its compiled source in a fresh globals dict with its standard output
captured, under a time limit (a fix can turn a finite loop into an endless one): CPU time, so
that a machine busy with other work does not make a slow program look endless, and a longer
wall-clock limit for a program that waits forever. The outcome
is one of: "completed" (the program set `completed = True`), "raised" (it caught an
exception from what it computes and printed its type), "crashed" (an exception escaped it),
"timeout", or "does not compile".
"""

import contextlib
import io
import json
import os
import signal
import sys
import types

CPU_LIMIT_SECONDS = 5
WALL_LIMIT_SECONDS = 60
PROGRAM_MODULE = "program"


class ProgramTimeout(BaseException):
    """Raised by either alarm; a BaseException so that a program's `except Exception` lets it through."""


def _on_alarm(signum, frame):
    raise ProgramTimeout


def run_program(path):
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    try:
        code = compile(source, path, "exec")
    except SyntaxError as error:
        return {"outcome": "does not compile", "output": f"{type(error).__name__}: {error}"}
    # A fresh module, registered while it runs, so that pickle finds the program's classes.
    program = types.ModuleType(PROGRAM_MODULE)
    program.__file__ = path
    sys.modules[PROGRAM_MODULE] = program
    namespace = program.__dict__
    captured = io.StringIO()
    signal.setitimer(signal.ITIMER_PROF, CPU_LIMIT_SECONDS)
    signal.setitimer(signal.ITIMER_REAL, WALL_LIMIT_SECONDS)
    try:
        with contextlib.redirect_stdout(captured):
            exec(code, namespace)
        outcome = "completed" if namespace.get("completed") is True else "raised"
    except ProgramTimeout:
        outcome = "timeout"
    except BaseException as error:  # noqa: BLE001 - whatever escapes the program is its crash
        outcome = "crashed"
        captured.write(f"\n<escaped: {type(error).__name__}: {error}>")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        del sys.modules[PROGRAM_MODULE]
    return {"outcome": outcome, "output": captured.getvalue()}


def main():
    directory, support = sys.argv[1], sys.argv[2]
    sys.path.insert(0, support)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGPROF, _on_alarm)
    names = sorted(name for name in os.listdir(directory) if name.endswith(".py"))
    outcomes = {name: run_program(os.path.join(directory, name)) for name in names}
    json.dump(outcomes, sys.stdout)


if __name__ == "__main__":
    main()
