"""EL501 near misses: the firing shapes in a module that imports no array library, nothing fires."""
import array
import collections
from dataclasses import dataclass, field


class _ListOps:
    """A tiny pure-Python stand-in for the few array helpers this service needs."""

    @staticmethod
    def append(seq, value):
        return list(seq) + [value]

    @staticmethod
    def concatenate(parts, axis=0):
        out = []
        for part in parts:
            out.extend(part)
        return out

    @staticmethod
    def vstack(blocks):
        rows = []
        for block in blocks:
            rows.extend(block if block and isinstance(block[0], list) else [block])
        return [row for row in rows if row]


# A module object named `np`: not numpy.
np = _ListOps()


def concatenate(parts):
    """A module function named like numpy's."""
    return "".join(parts)


class Torch:
    """A flashlight driver: `cat` chains beam segments for the light show."""

    def cat(self, segments, dim=0):
        return tuple(segment for segments_ in segments for segment in segments_)

    def stack(self, segments):
        return tuple(segments)


torch = Torch()


@dataclass
class PowerDistribution:
    """A power distribution unit: `concat` joins outlet schedules."""

    outlets: list = field(default_factory=list)

    def concat(self, schedules, ignore_index=False):
        return [slot for schedule in schedules for slot in schedule]


pd = PowerDistribution()


@dataclass(frozen=True)
class EventLog:
    """An immutable log whose `append` returns a new log."""

    entries: tuple = ()

    def append(self, entry):
        return EventLog(self.entries + (entry,))

    def concatenate(self, other):
        return EventLog(self.entries + other.entries)


# --- Must not fire ---------------------------------------------------------------------------


# The local `np` helper grows a list of readings; no numpy is involved.
def load_temperatures(readings):
    temps = []
    for reading in readings:
        if reading.valid:
            temps = np.append(temps, reading.celsius)
    return temps


# The local `np.concatenate` over feature rows in a loop.
def extract_features(windows):
    features = []
    for chunk in windows:
        row = [[min(chunk), max(chunk)]]
        features = np.concatenate([features, row])
    return features


# The local `np.vstack` in a while loop polling a sensor.
def record_samples(sensor, count):
    samples = []
    while len(samples) < count:
        samples = np.vstack([samples, sensor.read()])
    return samples


# The module's own `concatenate` joins text chunks.
def assemble_message(chunks):
    message = ""
    for chunk in chunks:
        message = concatenate([message, chunk])
    return message


# `torch.cat` on the flashlight driver, chaining beam segments.
def build_light_show(programs):
    beam = ()
    for program in programs:
        beam = torch.cat([beam, program.segments], dim=0)
    return beam


# `torch.stack` on the same driver, in a nested loop.
def layer_patterns(scenes):
    pattern = ()
    for scene in scenes:
        for step in scene.steps:
            pattern = torch.stack([pattern, step])
    return pattern


# `pd.concat` on the power distribution unit, merging outlet schedules.
def merge_schedules(schedule_batches):
    schedule = []
    for batch in schedule_batches:
        schedule = pd.concat([schedule, batch], ignore_index=True)
    return schedule
