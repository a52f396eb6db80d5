"""edgelint's memory profiler: runs a Python program under tracemalloc and writes, for each line
of the project, the bytes it held live at the program's peak and the bytes it allocated, in
edgelint's profile format (version 1). `edgelint profile` writes this file to a temporary folder
and runs it with the program's own Python; it uses the standard library only.

    python profiler.py run --output PROFILE --root ROOT [--frames N] -- (SCRIPT | -m MODULE) ARGS...
    python profiler.py convert --output PROFILE --root ROOT SNAPSHOT

How it measures. tracemalloc records the Python traceback of every live allocation, limited to
`--frames` frames for speed. When a call returns with the traced total a quarter (and at least
1 MiB) above its lowest since the last snapshot, that is at the top of each rise in memory, and
once at the end, the profiler takes a snapshot and gives each live allocation to the innermost
frame in a project file (under ROOT, outside virtual environments): `rows = json.loads(text)` is
charged with what `json` allocated for it.
- `peak_bytes` of a line: the most it held in any snapshot. A rise of less than a quarter is not
  seen, and once snapshots have taken half the run's time, the next ones wait.
- `allocated_bytes`: the sum of its growth between consecutive snapshots, a lower bound (memory
  allocated and freed between two snapshots is not seen; memray and Scalene count every byte).
"""

import argparse
import json
import os
import runpy
import sys
import threading
import time
import tracemalloc
from itertools import groupby
from operator import itemgetter

SCHEMA = "edgelint-profile"
VERSION = 1
MIB = 1 << 20
# Outside the project even when under its folder: virtual environments and installed packages.
NOT_PROJECT = ("site-packages", "dist-packages", ".venv", "venv", ".tox", "__pypackages__")


class Lines:
    """Per project line: the most it held in a snapshot, and its growth between snapshots."""

    def __init__(self, root, helper):
        self.root = os.path.realpath(root)
        self.helper = os.path.realpath(helper)
        self.project_file = {}
        self.peak = {}
        self.allocated = {}
        self.previous = {}
        self.lock = threading.Lock()

    def is_project(self, filename):
        known = self.project_file.get(filename)
        if known is None:
            # `<frozen os>`, `<string>`: code without a file.
            path = "" if filename.startswith("<") else os.path.realpath(filename)
            inside = path.startswith(self.root + os.sep) and path != self.helper
            parts = path[len(self.root) :].split(os.sep) if inside else ()
            known = self.project_file[filename] = inside and not any(part in NOT_PROJECT for part in parts)
        return known

    def add(self, traces):
        """Charges the live allocations `traces` (tracemalloc's raw traces: domain, size,
        traceback innermost frame first, ...) to project lines.

        Written so that nothing is allocated per trace, only per place: every allocation made
        here is traced too, and would cost as much again."""
        places = {}
        place_of = {}
        for traceback in dict.fromkeys(map(itemgetter(2), traces)):
            place_of[traceback] = None
            for filename, line in traceback:
                # Line 0: a frame that has not started its first line yet.
                if line and self.is_project(filename):
                    place_of[traceback] = places.setdefault((filename, line), len(places))
                    break
        places = list(places)
        index_of_trace = lambda trace: place_of[trace[2]]  # noqa: E731
        traces = [trace for trace in traces if place_of[trace[2]] is not None]
        traces.sort(key=index_of_trace)
        held = {
            places[index]: sum(map(itemgetter(1), group))
            for index, group in groupby(traces, key=index_of_trace)
        }
        with self.lock:
            for place, size in held.items():
                self.peak[place] = max(self.peak.get(place, 0), size)
                grown = size - self.previous.get(place, 0)
                if grown > 0:
                    self.allocated[place] = self.allocated.get(place, 0) + grown
            self.previous = held

    def entries(self):
        entries = []
        for (filename, line), peak in self.peak.items():
            relative = os.path.relpath(os.path.realpath(filename), self.root)
            entries.append(
                {
                    "file": relative.replace(os.sep, "/"),
                    "line": line,
                    "peak_bytes": peak,
                    "allocated_bytes": self.allocated.get((filename, line), 0),
                }
            )
        entries.sort(key=lambda entry: (-entry["peak_bytes"], entry["file"], entry["line"]))
        return entries


def traces():
    """The live allocations, as `take_snapshot` has them before it wraps each one in objects."""
    return tracemalloc._get_traces()


class Sampler:
    """Takes a snapshot when a call returns with the traced total a quarter (and at least 1 MiB)
    above its lowest since the last snapshot: at the top of each rise in memory, when the call
    that made the data has just handed it over, so that each line's peak is seen, not only the
    program's. A snapshot costs a pass over every live allocation: when snapshots have taken
    half the run's time, the next ones wait.

    The hook runs at every return: it does as little as it can, since each object it makes is
    traced too."""

    def __init__(self, lines):
        self.lines = lines
        self.started = time.perf_counter()
        self.spent = 0.0
        self.low = 0
        self.rise = MIB

    def hook(self):
        traced = tracemalloc.get_traced_memory
        state = self

        def on_event(frame, event, argument):
            if event == "c_return" or event == "return":
                current = traced()[0]
                if current < state.low:
                    state.low = current
                    state.rise = current + max(current >> 2, MIB)
                elif current > state.rise:
                    state.rise_seen()

        return on_event

    def rise_seen(self):
        now = time.perf_counter()
        if self.spent <= (now - self.started) / 2:
            self.snapshot()
            self.spent += time.perf_counter() - now
        else:
            self.low = tracemalloc.get_traced_memory()[0]
            self.rise = self.low + max(self.low >> 2, MIB)

    def snapshot(self):
        self.lines.add(traces())
        self.low = tracemalloc.get_traced_memory()[0]
        self.rise = self.low + max(self.low >> 2, MIB)


def write(path, document):
    folder = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=1)
        file.write("\n")
    os.replace(temporary, path)


def document(source, root, command, peak, lines, elapsed):
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "source": source,
        "root": os.path.realpath(root),
        "command": command,
        "elapsed_seconds": elapsed,
        "peak_bytes": peak,
        "lines": lines.entries(),
    }


def run(arguments):
    program = arguments.program
    if program and program[0] == "--":
        program = program[1:]
    if not program:
        sys.exit("profiler: no program to run")
    lines = Lines(arguments.root, __file__)
    tracemalloc.start(arguments.frames)
    sampler = Sampler(lines)
    hook = sampler.hook()
    threading.setprofile(hook)
    sys.setprofile(hook)
    status = 0
    try:
        if program[0] == "-m":
            sys.argv = [program[1], *program[2:]]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(program[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(program)
            sys.path.insert(0, os.path.dirname(os.path.abspath(program[0])))
            runpy.run_path(program[0], run_name="__main__")
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
        elapsed = time.perf_counter() - sampler.started
        sampler.snapshot()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        command = [os.path.basename(sys.executable), *program]
        write(arguments.output, document("tracemalloc", arguments.root, command, peak, lines, elapsed))
    return status


def convert(arguments):
    """A snapshot saved with `tracemalloc.take_snapshot().dump(path)`, as a profile."""
    snapshot = tracemalloc.Snapshot.load(arguments.snapshot)
    lines = Lines(arguments.root, __file__)
    lines.add(snapshot.traces._traces)
    peak = sum(statistic.size for statistic in snapshot.statistics("filename"))
    write(arguments.output, document("tracemalloc-snapshot", arguments.root, None, peak, lines, None))
    return 0


def main():
    parser = argparse.ArgumentParser(prog="profiler.py")
    commands = parser.add_subparsers(dest="command", required=True)
    running = commands.add_parser("run")
    running.add_argument("--output", required=True)
    running.add_argument("--root", required=True)
    running.add_argument("--frames", type=int, default=8)
    running.add_argument("program", nargs=argparse.REMAINDER)
    converting = commands.add_parser("convert")
    converting.add_argument("--output", required=True)
    converting.add_argument("--root", required=True)
    converting.add_argument("snapshot")
    arguments = parser.parse_args()
    # The program's own `__main__` must not see this file's globals, nor this file on its path.
    sys.path[:] = [entry for entry in sys.path if os.path.realpath(entry or ".") != os.path.dirname(os.path.realpath(__file__))]
    sys.exit(run(arguments) if arguments.command == "run" else convert(arguments))


if __name__ == "__main__":
    main()
