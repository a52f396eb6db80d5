"""EL202 readlines-iteration: marked lines must fire, all others must stay silent."""
import collections
import heapq
import itertools
import random
import sys
from collections import Counter, deque
from itertools import chain


# --- Must fire -------------------------------------------------------------------------------


def count_errors(log_path):
    # The iterable of a `for`: every line of the log is held at once.
    errors = 0
    with open(log_path) as handle:
        for line in handle.readlines():  # error: EL202
            if "ERROR" in line:
                errors += 1
    return errors


def load_hosts(path):
    # `open(p).readlines()` as the source of a list comprehension.
    return [line.strip() for line in open(path).readlines() if line.strip()]  # error: EL202


def numbered_listing(handle):
    # `enumerate` iterates its first argument once.
    for number, line in enumerate(handle.readlines(), start=1):  # error: EL202
        sys.stdout.write(f"{number:5d}  {line}")


def diff_files(left, right):
    # `zip` iterates every positional argument: two findings on one line.
    with open(left) as a, open(right) as b:
        return [i for i, (x, y) in enumerate(zip(a.readlines(), b.readlines())) if x != y]  # error: EL202, EL202


def parse_numbers(handle):
    # `map` iterates every argument after the function.
    return list(map(float, handle.readlines()))  # error: EL202


def non_blank(handle):
    # `filter` iterates its second argument.
    return list(filter(str.strip, handle.readlines()))  # error: EL202


def longest_line(path):
    # `max` with a single positional argument and a key.
    with open(path) as handle:
        return max(handle.readlines(), key=len, default="")  # error: EL202


def distinct_entries(handle):
    # `set` reads a sole argument once.
    unique = set(handle.readlines())  # error: EL202
    return unique


def frozen_record(handle):
    # `tuple` reads a sole argument once.
    return tuple(handle.readlines())  # error: EL202


def shortest_line(handle):
    # `min` with a single positional argument.
    return min(handle.readlines(), key=len)  # error: EL202


def all_commented(handle):
    # The source of a generator expression inside `all`.
    return all(line.startswith("#") for line in handle.readlines())  # error: EL202


def frozen_entries(handle):
    # `frozenset` of the lines.
    return frozenset(handle.readlines())  # error: EL202


def sorted_lines(handle):
    # `sorted` iterates its first argument.
    return sorted(handle.readlines(), key=str.lower)  # error: EL202


def word_frequencies(handle):
    # `collections.Counter` counts duplicate lines in one pass.
    return collections.Counter(handle.readlines())  # error: EL202


def duplicate_lines(handle):
    # `Counter` imported by name is the same consumer.
    return [line for line, seen in Counter(handle.readlines()).items() if seen > 1]  # error: EL202


def tail(path, count=10):
    # `deque(..., maxlen=n)`: the tail idiom still lists the whole file first.
    with open(path) as handle:
        return deque(handle.readlines(), maxlen=count)  # error: EL202


def widest_rows(handle):
    # `heapq.nlargest` iterates its second argument.
    return heapq.nlargest(5, handle.readlines(), key=len)  # error: EL202


def head(handle):
    # `itertools.islice` iterates its first argument.
    return list(itertools.islice(handle.readlines(), 10))  # error: EL202
