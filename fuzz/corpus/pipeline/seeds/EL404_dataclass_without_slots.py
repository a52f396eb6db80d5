"""EL404 dataclass-without-slots: marked lines must fire, all others must stay silent."""
import dataclasses
import heapq
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


# --- Must fire -------------------------------------------------------------------------------


# A bare @dataclass built once per coordinate pair in a comprehension.
@dataclass  # error: EL404
class Point:
    x: float
    y: float


def to_points(pairs):
    return [Point(x, y) for x, y in pairs]


# The qualified decorator, instantiated in a for loop.
@dataclasses.dataclass  # error: EL404
class Reading:
    sensor_id: str
    timestamp: float
    value: float


def parse_readings(rows):
    readings = []
    for row in rows:
        readings.append(Reading(row[0], float(row[1]), float(row[2])))
    return readings


# frozen=True does not add slots: one instance per queued event.
@dataclass(frozen=True)  # error: EL404
class Event:
    kind: str
    payload: bytes


# A trailing comma in the decorator's arguments (the fix adds `slots=True` after it).
@dataclass(order=True,)  # error: EL404
class Beat:
    at: float


def clock(n, queue):
    for i in range(n):
        queue.put(Beat(float(i)))


def pump_events(source, queue):
    while source.has_data():
        queue.put(Event(source.kind(), source.read()))


# order=True without slots, pushed onto a heap in a loop.
@dataclass(order=True)  # error: EL404
class Job:
    priority: int
    name: str = field(compare=False)


def schedule(specs):
    heap = []
    for priority, name in specs:
        heapq.heappush(heap, Job(priority, name))
    return heap


# slots=False spelled out.
@dataclass(slots=False)  # error: EL404
class Span:
    trace_id: str
    start: float
    end: float


def spans_from(records):
    return [Span(r["trace"], r["start"], r["end"]) for r in records]


# A dataclass with a default_factory field, built in a dict comprehension.
@dataclass  # error: EL404
class Track:
    track_id: int
    boxes: list = field(default_factory=list)


def new_tracks(ids):
    return {track_id: Track(track_id) for track_id in ids}


# eq=False without slots, built per message in an async for.
@dataclass(eq=False)  # error: EL404
class Packet:
    seq: int
    data: bytes


async def receive(stream, sink):
    async for seq, data in stream:
        await sink.put(Packet(seq, data))


# A plain class whose __init__ only stores its parameters.
class Detection:  # error: EL404
    def __init__(self, label, score, box):
        self.label = label
        self.score = score
        self.box = box

    def is_confident(self, threshold):
        return self.score >= threshold


def decode_detections(raw):
    return [Detection(label, score, box) for label, score, box in raw]


# An explicit object base and literal defaults are still plain.
class Sample(object):  # error: EL404
    def __init__(self, ts, value, unit="C"):
        self.ts = ts
        self.value = value
        self.unit = unit
        self.flagged = False
        self.note = None


def collect_samples(probe, count):
    samples = []
    for _ in range(count):
        samples.append(Sample(time.time(), probe.read()))
    return samples


# A docstring in __init__ is allowed; instantiated in a loop inside a method.
class LogLine:  # error: EL404
    def __init__(self, level, message):
        """One parsed line of a device log."""
        self.level = level
        self.message = message
