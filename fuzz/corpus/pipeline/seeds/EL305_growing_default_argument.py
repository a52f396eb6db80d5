"""EL305 growing-default-argument: marked lines must fire, all others must stay silent."""
import collections
import time
from collections import defaultdict


# --- Must fire -------------------------------------------------------------------------------


# The classic: every call appends to the one list created when the function was defined.
def collect_reading(value, readings=[]):  # error: EL305
    readings.append(value)
    return readings


# A handler registry default that grows with each call.
def register_handler(topic, handler, registry={}):  # error: EL305
    registry[topic] = handler
    return registry


# A set of seen message ids that only grows; the membership test does not matter.
def is_new_message(msg_id, seen=set()):  # error: EL305
    if msg_id in seen:
        return False
    seen.add(msg_id)
    return True


# A list() default extended with each batch.
def buffer_batch(batch, pending=list()):  # error: EL305
    pending.extend(batch)
    return len(pending)


# A dict() default updated with the overrides on every call.
def effective_config(overrides, base=dict()):  # error: EL305
    base.update(overrides)
    return base


# Memoization through a default dict: it grows with every distinct argument.
def fib(n, memo={}):  # error: EL305
    if n in memo:
        return memo[n]
    result = n if n < 2 else fib(n - 1) + fib(n - 2)
    memo[n] = result
    return result


# A qualified defaultdict filled by item assignment.
def count_event(kind, counts=collections.defaultdict(int)):  # error: EL305
    counts[kind] = counts[kind] + 1
    return counts[kind]


# A bare defaultdict grown with setdefault.
def group_by_sensor(reading, groups=defaultdict(list)):  # error: EL305
    groups.setdefault(reading.sensor_id, []).append(reading)
    return groups


# An OrderedDict used as a log of recent requests, never evicted.
def remember_request(request_id, payload, recent=collections.OrderedDict()):  # error: EL305
    recent[request_id] = payload
    recent.move_to_end(request_id)


# A deque default grown at the left.
def push_front(job, queue=collections.deque()):  # error: EL305
    queue.appendleft(job)
    return len(queue)


# extendleft on a deque default.
def prepend_history(entries, history=collections.deque()):  # error: EL305
    history.extendleft(entries)
    return history


# insert on a list default.
def add_header_row(row, rows=[]):  # error: EL305
    rows.insert(0, row)
    return rows


# Augmented assignment extends the default list in place.
def add_tags(new_tags, tags=[]):  # error: EL305
    tags += new_tags
    return tags


# |= grows the default set in place.
def merge_ids(ids, known=set()):  # error: EL305
    known |= set(ids)
    return known


# A keyword-only parameter.
def log_event(event, *, history=[]):  # error: EL305
    history.append((time.time(), event))
    return history


# A positional-only parameter.
def push_sample(sample, window=[], /):  # error: EL305
    window.append(sample)
    return sum(window) / len(window)


class Router:
    # A method's default is shared by every instance and every call.
    def add_route(self, path, handler, routes={}):  # error: EL305
        routes[path] = handler
        self.routes = routes
