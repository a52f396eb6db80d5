"""EL204 materialize-for-one-item: marked lines must fire, all others must stay silent."""
from __future__ import annotations

import heapq
import os
from pathlib import Path


# --- Must fire -------------------------------------------------------------------------------


def default_backend(registry):
    # A dict view copied into a list to read its first value.
    return list(registry.values())[0]  # error: EL204


def first_key(mapping):
    # `list(d)[0]` on a parameter of unknown kind.
    return list(mapping)[0]  # error: EL204


def newest_entry(entries):
    # `tuple(x)[-1]` on a parameter: every element is copied to read the last.
    return tuple(entries)[-1]  # error: EL204


def first_match(rows, wanted):
    # `list(filter(...))[0]`: the whole filtered list for its first element.
    return list(filter(lambda row: row.key == wanted, rows))[0]  # error: EL204


def first_port(fields):
    # `list(map(...))[0]` converts every field to read one.
    return list(map(int, fields))[0]  # error: EL204


def first_subdirectory(path):
    # `os.scandir` is an iterator: listed whole for one entry.
    return list(os.scandir(path))[0].name  # error: EL204


def last_record(reader):
    # A generator drained into a tuple for its last element.
    return tuple(row for row in reader if row)[-1]  # error: EL204


def first_log_file(log_dir: Path):
    # `Path.glob` is a generator.
    return list(log_dir.glob("*.log"))[0]  # error: EL204


def first_active(users):
    # A list comprehension indexed with 0.
    return [u.name for u in users if u.active][0]  # error: EL204


def last_error(lines):
    # A list comprehension indexed with -1.
    return [line for line in lines if "ERROR" in line][-1]  # error: EL204


def cheapest(offers):
    # `sorted(x)[0]` sorts everything to read the minimum.
    return sorted(offers)[0]  # error: EL204


def latest_version(versions):
    # `sorted(x)[-1]` sorts everything to read the maximum.
    return sorted(versions)[-1]  # error: EL204


def fastest_run(runs):
    # `sorted(x, key=k)[0]`.
    return sorted(runs, key=lambda run: run.seconds)[0]  # error: EL204


def highest_score(scores):
    # `sorted(x, reverse=True)[0]`.
    return sorted(scores, reverse=True)[0]  # error: EL204


def top_three(counts):
    # `sorted(x)[:3]`: a full sort for three elements.
    return sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:3]  # error: EL204


def slowest_five(timings):
    # `sorted(x)[-5:]`: the largest five.
    return sorted(timings)[-5:]  # error: EL204


def top_ten(words):
    # The largest small bound, 10.
    return sorted(words, key=len)[:10]  # error: EL204


def lowest_one(readings):
    # `[:1]` is the smallest bound.
    return sorted(readings)[:1]  # error: EL204


def range_of(samples, other):
    # Two findings on one line.
    return list(samples)[0], tuple(other)[-1]  # error: EL204, EL204


def best_candidate(candidates):
    # The call spans lines: the marker sits where the indexed expression starts.
    return sorted(  # error: EL204
        candidates,
        key=lambda c: c.score,
        reverse=True,
    )[0]


def largest_files(paths):
    # A CSV/ETL step: in a loop, each group is sorted for its largest item.
    largest = {}
    for folder, files in paths.items():
        largest[folder] = sorted(files, key=os.path.getsize)[-1]  # error: EL204
    return largest
