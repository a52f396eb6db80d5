"""EL207 materialized-range: marked lines must fire, all others must stay silent."""
import asyncio
import heapq
import itertools
import random

import numpy as np


# --- Must fire -------------------------------------------------------------------------------


# ETL step: the loop only needs the indices, not a list of them.
def copy_partitions(source, sink, partitions):
    for index in list(range(partitions)):  # error: EL207
        sink.write(index, source.read_partition(index))


# The source of a list comprehension.
def squares(n):
    return [i * i for i in list(range(n))]  # error: EL207


# sum() reads its argument once.
def triangular(n):
    return sum(list(range(1, n + 1)))  # error: EL207


# Request handler: membership in a list is an O(n) scan, in a range it is O(1).
def validate_port(request):
    port = int(request.args["port"])
    if port in list(range(1024, 65536)):  # error: EL207
        return port
    raise ValueError("port out of range")


# `not in` is a membership test too.
def check_status(response):
    if response.status not in list(range(200, 300)):  # error: EL207
        raise RuntimeError(response.status)


# tuple(range(...)) iterated by a for loop.
def blank_rows(height, canvas):
    for row in tuple(range(height)):  # error: EL207
        canvas.clear_row(row)


# [*range(...)] iterated by a for loop.
def blank_columns(width, canvas):
    for col in [*range(width)]:  # error: EL207
        canvas.clear_column(col)


# Nested loops: the inner range is materialized on every outer iteration.
def lower_triangle(matrix, size):
    for i in range(size):
        for j in list(range(i)):  # error: EL207
            matrix[i][j] = 0


# zip() iterates every argument.
def number_names(names):
    return dict(zip(names, list(range(len(names)))))  # error: EL207


# async: a retry loop over a materialized range.
async def fetch_with_retry(client, url, retries):
    for attempt in list(range(retries)):  # error: EL207
        try:
            return await client.get(url)
        except ConnectionError:
            await asyncio.sleep(2 ** attempt)
    return None


# while loop: an `in` test in the loop condition.
def wait_for_window(clock, start_hour, end_hour):
    while clock.hour() not in list(range(start_hour, end_hour)):  # error: EL207
        clock.sleep(60)


class SlotTable:
    # A method: the source of a dict comprehension (the dict is stored, not the list).
    def __init__(self, size):
        self.slots = {i: None for i in list(range(size))}  # error: EL207


# The source of a generator expression passed to a join.
def digits():
    return "".join(str(d) for d in list(range(10)))  # error: EL207


# An `in` test inside a comprehension's condition.
def small_values(values):
    return [v for v in values if v in list(range(10))]  # error: EL207


# enumerate() iterates its first argument.
def label_channels(labels):
    for position, channel in enumerate(tuple(range(3))):  # error: EL207
        labels[position] = "ch%d" % channel


# frozenset() iterates its sole argument.
def aligned_offsets():
    return frozenset([*range(0, 256, 8)])  # error: EL207


# heapq.nsmallest iterates its second argument.
def lowest_free(k, limit):
    return heapq.nsmallest(k, list(range(limit)))  # error: EL207


# itertools.product iterates every argument.
def grid_cells(rows, cols):
    return [(r, c) for r, c in itertools.product(list(range(rows)), range(cols))]  # error: EL207
