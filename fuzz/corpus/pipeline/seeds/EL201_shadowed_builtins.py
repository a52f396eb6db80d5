"""EL201 near misses: where `sum`, `any` or `Counter` are not what they seem, nothing fires."""
from collections import Counter
from mylib import *  # noqa: F403  may bind any name, including `any`


def sum(values, start=0):
    """A module function named like the builtin."""
    return start


Counter = dict  # rebound after the import: no longer certainly collections.Counter


def uses(values):
    a = sum([v for v in values])
    b = any([v for v in values])
    c = Counter([v for v in values])
    return a, b, c
