"""EL105 redundant-copy: marked lines must fire, all others must stay silent."""
import asyncio
import logging

log = logging.getLogger(__name__)


# --- Must fire -------------------------------------------------------------------------------


# list() of a list() copy: the inner copy is thrown away at once.
def load_rows(reader):
    rows = list(list(reader))  # error: EL105
    return rows


# sorted() already builds a new list: copying its argument first is wasted.
def ordered_keys(config):
    return sorted(list(config))  # error: EL105


# tuple() over a fresh list copy: build the tuple straight from the source.
def freeze_columns(header):
    columns = tuple(list(header))  # error: EL105
    return columns


# set() over a fresh list copy, inside a request handler.
def allowed_methods(request, routes):
    methods = set(list(routes[request.path]))  # error: EL105
    return request.method in methods


# frozenset() over a fresh tuple copy.
def feature_flags(enabled):
    return frozenset(tuple(enabled))  # error: EL105


# list() over a whole slice: two full copies where one is enough.
def snapshot(queue):
    pending = list(queue[:])  # error: EL105
    pending.append(None)
    return pending


# sorted() over x.copy(): sorted copies anyway.
def by_priority(tasks):
    return sorted(tasks.copy())  # error: EL105


# list() over a tuple() copy.
def as_list(values):
    return list(tuple(values))  # error: EL105


# list() around sorted(): sorted already returns a new list, even with key= and reverse=.
def top_scores(scores):
    ranked = list(sorted(scores, key=lambda s: s.points, reverse=True))  # error: EL105
    return ranked[:10]


# list() of a list display: the display is already a new list.
def default_ports():
    return list([80, 443, 8080])  # error: EL105


# list() of a list display built from names.
def pair(first, second):
    return list([first, second])  # error: EL105


# A whole slice copied again with .copy().
def duplicate(buffer):
    return buffer[:].copy()  # error: EL105


# Inside a method: tuple() of a whole slice of an attribute.
class JobQueue:
    def __init__(self):
        self.items = []

    def frozen(self):
        return tuple(self.items[:])  # error: EL105


# Inside a loop of a data pipeline: set() of a tuple() copy for every batch.
def distinct_per_batch(batches):
    out = []
    for batch in batches:
        out.append(set(tuple(batch)))  # error: EL105
    return out


# Inside a comprehension: every group is copied twice before sorting.
def sorted_groups(groups):
    return [sorted(list(g)) for g in groups]  # error: EL105


# Spread over several lines: the finding is where the outer call starts.
def merged_settings(defaults):
    keys = sorted(  # error: EL105
        list(defaults)
    )
    return keys


# Two redundant copies on one line.
def both(left, right):
    return list(list(left)), frozenset(right.copy())  # error: EL105, EL105


# In an async function, after an await.
async def fetch_ids(client):
    ids = await client.ids()
    await asyncio.sleep(0)
    return tuple(tuple(ids))  # error: EL105


# In a while loop of a scheduler.
def drain(scheduler):
    seen = []
    while scheduler.running:
        seen.append(sorted(scheduler.ready[:]))  # error: EL105
    return seen


# The outer sorted() may take key=/reverse= of its own: the inner copy is still useless.
def newest_first(events):
    return sorted(list(events), key=lambda e: e.ts, reverse=True)  # error: EL105
