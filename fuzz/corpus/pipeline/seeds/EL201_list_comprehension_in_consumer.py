"""EL201 list-comprehension-in-consumer: marked lines must fire, all others must stay silent."""
import asyncio
import collections
import heapq
import itertools
import random
from collections import Counter, deque
from itertools import chain as chained

import numpy as np


# --- Must fire -------------------------------------------------------------------------------


def totals(chunks, lines, rows, readings):
    total = sum([len(chunk) for chunk in chunks])  # error: EL201
    has_comment = any([line.startswith("#") for line in lines])  # error: EL201
    all_ok = all([r.ok for r in rows])  # error: EL201
    lowest = min([r.value for r in readings], default=0)  # error: EL201
    highest = max({r.value for r in readings})  # error: EL201
    ordered = sorted([r.key for r in rows], reverse=True)  # error: EL201
    unique = set([line.strip() for line in lines])  # error: EL201
    frozen = frozenset([r.key for r in rows])  # error: EL201
    pairs = dict([(r.key, r.value) for r in rows])  # error: EL201
    packed = bytes([b & 0x7F for b in chunks[0]])  # error: EL201
    return total, has_comment, all_ok, lowest, highest, ordered, unique, frozen, pairs, packed


class Report:
    def summarize(self, words, events):
        counts = collections.Counter([w.lower() for w in words])  # error: EL201
        recent = deque([e.id for e in events], maxlen=100)  # error: EL201
        biggest = heapq.nlargest(3, [e.size for e in events])  # error: EL201
        tally = Counter([  # error: EL201
            w
            for w in words
            if w
        ])
        return counts, recent, biggest, tally


def streams(parts, more):
    for index, value in enumerate([p * 2 for p in parts]):  # error: EL201
        print(index, value)
    for a, b in zip([p + 1 for p in parts], [m - 1 for m in more]):  # error: EL201, EL201
        print(a, b)
    flat = list(itertools.chain.from_iterable([p.items for p in parts]))  # error: EL201
    both = list(chained([p for p in parts], more))  # error: EL201
    window = list(itertools.islice([p for p in parts], 10))  # error: EL201
    return flat, both, window


async def fetch_all(sizes):
    # The comprehension is synchronous: the generator works the same way here.
    return sum([s for s in sizes if s > 0])  # error: EL201


def with_trailing_comma(values):
    # A sole generator argument cannot carry a trailing comma: the fix keeps parentheses.
    return tuple([v for v in values],)  # error: EL201
