"""EL106 iteration-over-copy: marked lines must fire, all others must stay silent."""
import asyncio
import json
import logging

log = logging.getLogger(__name__)

REGISTRY = {}
PLUGINS = []
HOOKS = {}


# --- Must fire -------------------------------------------------------------------------------


# list() copy of a local list whose loop body only reads.
def total_size(files):
    total = 0
    for f in list(files):  # error: EL106
        total += f.size
    return total


# .copy() of a list that the body never touches.
def print_queue(queue):
    for job in queue.copy():  # error: EL106
        print(job.name)


# Whole slice of a list in a data pipeline.
def normalized(records):
    out = []
    for record in records[:]:  # error: EL106
        out.append(record.strip().lower())
    return out


# tuple() copy of a parameter.
def has_admin(users):
    for user in tuple(users):  # error: EL106
        if user.is_admin:
            return True
    return False


# list(d.keys()) in a config loader that only reads the dict.
def missing_keys(config, required):
    missing = []
    for key in list(config.keys()):  # error: EL106
        if key not in required:
            missing.append(key)
    return missing


# list(d.values()) whose values are only summed.
def total_weight(weights):
    total = 0.0
    for w in list(weights.values()):  # error: EL106
        total += w
    return total


# Not reported: the elements are passed to `log.info`, which could reach back into the container.
def dump_settings(settings, overrides):
    for name, value in list(settings.items()):
        log.info("%s=%s (default %s)", name, overrides.get(name, value), settings.get(name))


# Inside a method: an attribute container, and no call on `self` in the body.
class Scheduler:
    def __init__(self):
        self.jobs = []
        self.cache = None

    def due(self, now):
        ready = []
        for job in list(self.jobs):  # error: EL106
            if job.when <= now:
                ready.append(job)
        return ready

    # A longer attribute chain: self.cache.entries.
    def cached_bytes(self):
        size = 0
        for entry in list(self.cache.entries):  # error: EL106
            size += len(entry.payload)
        return size

    # A comprehension over a copied attribute in a method.
    def ready_ids(self):
        return [j.id for j in self.jobs.copy() if j.ready]  # error: EL106


# Nested loops: the inner loop copies each row's cells for nothing.
def widths(table):
    result = []
    for row in table.rows:
        width = 0
        for cell in list(row.cells):  # error: EL106
            width += len(cell.text)
        result.append(width)
    return result


# A list comprehension whose first source is a copy.
def doubled(values):
    return [v * 2 for v in list(values)]  # error: EL106


# A dict comprehension with a condition over list(d.items()).
def non_empty(headers):
    return {k.lower(): v for k, v in list(headers.items()) if v}  # error: EL106


# A set comprehension over a whole slice.
def extensions(paths):
    return {p.rsplit(".", 1)[-1] for p in paths[:]}  # error: EL106


# Nested comprehension: the inner comprehension's first source is a copy of the outer variable.
def flattened_copy(matrix):
    return [[cell for cell in list(row)] for row in matrix]  # error: EL106
