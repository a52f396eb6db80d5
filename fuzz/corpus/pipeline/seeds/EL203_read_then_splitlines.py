"""EL203 read-then-splitlines: marked lines must fire, all others must stay silent."""
import collections
import heapq
import itertools
import os
import random
from collections import Counter, deque
from pathlib import Path


# --- Must fire -------------------------------------------------------------------------------


def count_errors(log_path):
    # The iterable of a `for`: the whole text plus a list of every line are held at once.
    errors = 0
    with open(log_path) as handle:
        for line in handle.read().splitlines():  # error: EL203
            if "ERROR" in line:
                errors += 1
    return errors


def load_hosts(path):
    # `open(p).read().split("\n")` as the source of a list comprehension.
    return [h.strip() for h in open(path).read().split("\n") if h.strip()]  # error: EL203


def load_requirements(path: Path):
    # `Path.read_text().splitlines()` as a comprehension source.
    return [r for r in path.read_text().splitlines() if r and not r.startswith("#")]  # error: EL203


def numbered_listing(path: Path):
    # `read_text().split("\n")` read by `enumerate`.
    for number, line in enumerate(path.read_text().split("\n"), start=1):  # error: EL203
        print(f"{number:5d}  {line}")


def single_quoted(handle):
    # The separator written with single quotes is the same literal.
    for record in handle.read().split('\n'):  # error: EL203
        print(record)


def diff_files(left, right):
    # `zip` iterates every positional argument: two findings on one line.
    with open(left) as a, open(right) as b:
        return [(x, y) for x, y in zip(a.read().splitlines(), b.read().splitlines()) if x != y]  # error: EL203, EL203


def parse_numbers(handle):
    # `map` iterates every argument after the function.
    return list(map(float, handle.read().splitlines()))  # error: EL203


def non_blank(handle):
    # `filter` iterates its second argument.
    return list(filter(None, handle.read().split("\n")))  # error: EL203


def distinct_entries(handle):
    # `set` reads a sole argument once.
    return set(handle.read().splitlines())  # error: EL203


def frozen_entries(path: Path):
    # `frozenset` of the lines of a text file.
    return frozenset(path.read_text().splitlines())  # error: EL203


def sorted_lines(handle):
    # `sorted` iterates its first argument.
    return sorted(handle.read().splitlines(), key=str.lower)  # error: EL203


def longest_line(handle):
    # `max` with a single positional argument and a key.
    return max(handle.read().splitlines(), key=len, default="")  # error: EL203


def duplicate_lines(handle):
    # `Counter` imported by name counts duplicate lines.
    return [line for line, seen in Counter(handle.read().splitlines()).items() if seen > 1]  # error: EL203


def status_codes(access_log: Path):
    # `collections.Counter` over the lines of an access log.
    return collections.Counter(access_log.read_text().splitlines())  # error: EL203


def tail(path, count=10):
    # `deque(..., maxlen=n)`: the tail idiom still builds every line first.
    with open(path) as handle:
        return deque(handle.read().splitlines(), maxlen=count)  # error: EL203


def widest_rows(handle):
    # `heapq.nlargest` iterates its second argument.
    return heapq.nlargest(5, handle.read().splitlines(), key=len)  # error: EL203


def head(handle):
    # `itertools.islice` iterates its first argument.
    return list(itertools.islice(handle.read().splitlines(), 10))  # error: EL203
