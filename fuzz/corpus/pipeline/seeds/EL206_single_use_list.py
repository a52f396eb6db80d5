"""EL206 single-use-list: marked lines must fire, all others must stay silent."""
import csv
import heapq
import itertools
import json
from collections import Counter, deque

import numpy as np


# --- Must fire -------------------------------------------------------------------------------


# ETL step: the cleaned rows are built in full, then looped over once.
def load_rows(raw_rows, sink):
    cleaned = [row.strip() for row in raw_rows if row]  # error: EL206
    for row in cleaned:
        sink.write(row)


# list() of a generator expression, read once by sum().
def total_bytes(files):
    sizes = list(f.size for f in files)  # error: EL206
    return sum(sizes)


# list(map(...)) read once by a string join.
def render_header(columns):
    names = list(map(str.upper, columns))
    return ",".join(names)


# list(filter(...)) read once as the source of a dict comprehension.
def active_by_key(users):
    active = list(filter(lambda u: u.active, users))  # error: EL206
    return {u.key: u for u in active}


# list(zip(...)) read once by dict().
def build_lookup(keys, values):
    pairs = list(zip(keys, values))  # error: EL206
    lookup = dict(pairs)
    return lookup


class InvoiceReport:
    # A method: list(enumerate(...)) unpacked once by a for loop.
    def render(self, lines):
        numbered = list(enumerate(lines, start=1))  # error: EL206
        for position, line in numbered:
            self.emit(position, line)

    def emit(self, position, line):
        print(position, line)


# list(reversed(...)) walked once, newest first.
def replay_newest_first(history, bus):
    newest_first = list(reversed(history))  # error: EL206
    for event in newest_first:
        bus.publish(event)


# list(iter(callable, sentinel)) drains a queue into a list only to loop over it.
def drain_queue(jobs, worker):
    pending = list(iter(jobs.get, None))  # error: EL206
    for job in pending:
        worker.run(job)


# Async handler: the read is the source of a generator expression inside any().
async def has_failures(client, job_ids):
    await client.refresh()
    statuses = [client.cached_status(j) for j in job_ids]  # error: EL206
    return any(s == "failed" for s in statuses)


# Not reported: the elements call `queue.get()` and the loop body writes to a sink; a generator
# would interleave the two.
def forward_batches(queue, sink):
    while not queue.empty():
        batch = [queue.get() for _ in range(10)]
        for item in batch:
            sink.write(item)


# Nested loops: bound inside the outer loop, read by the inner loop of the same iteration.
def cross_report(groups, out):
    for group in groups:
        members = [m.name for m in group.members if m.enabled]  # error: EL206
        for name in members:
            out.write(group.name, name)


# A nested comprehension feeding Counter().
def word_histogram(lines):
    words = [w.lower() for line in lines for w in line.split()]  # error: EL206
    return Counter(words)


# heapq.nlargest iterates its second argument.
def top_three(players):
    scores = list(p.score for p in players)  # error: EL206
    return heapq.nlargest(3, scores)


# itertools.islice iterates its first argument.
def first_page(records):
    visible = [r for r in records if not r.hidden]  # error: EL206
    return list(itertools.islice(visible, 20))
