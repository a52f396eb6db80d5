"""What the generated programs import: values whose behaviour a fix must keep.

The classes here are the tricky receivers: objects whose methods shadow builtin names
(`split`, `copy`, `readlines`, `flatten`) with other meanings, a queue whose iteration drains
it, a matrix whose `copy()` copies its rows. Nothing here keeps state between programs: every
program makes its own instances, so the executor can run many programs in one process.
"""

import atexit
import os
import shutil
import tempfile
import types

_SCRATCH = tempfile.mkdtemp(prefix="edgelint-differential-data-")
# Each process that runs programs has its own scratch folder, removed when it exits.
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)


class Log:
    """Records side effects, so a fix that runs a call more, less or later shows up."""

    def __init__(self):
        self.entries = []

    def __call__(self, value):
        self.entries.append(show(value))
        return value

    def say(self, value):
        print("said", show(value))
        return value


class Box:
    """An object with attributes, for receivers like `box.text` and `box.items`."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)

    def __repr__(self):
        return f"Box({show(self.__dict__)})"


class Watched:
    """An element whose attribute read is a side effect: a property that logs."""

    def __init__(self, value, log):
        self._value = value
        self._log = log

    @property
    def value(self):
        self._log(("read", self._value))
        return self._value

    def __repr__(self):
        return f"Watched({self._value!r})"


class Splitter:
    """Not a str: `split` returns the parts reversed, and there is no `partition` or `count`."""

    def __init__(self, text):
        self.text = text

    def split(self, sep=None):
        return list(reversed(self.text.split(sep)))

    def rsplit(self, sep=None):
        return self.split(sep)

    def __repr__(self):
        return f"Splitter({self.text!r})"


class Matrix:
    """Rows of numbers; `copy()` copies every row, `m[:]` hands out the rows themselves."""

    def __init__(self, rows):
        self.rows = [list(row) for row in rows]

    def copy(self):
        return Matrix(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return (tuple(row) for row in self.rows)

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return f"Matrix({self.rows!r})"


class DrainQueue:
    """A queue whose iteration takes the items out of it, as a work queue's does."""

    def __init__(self, items):
        self.items = list(items)

    def copy(self):
        return DrainQueue(self.items)

    def __iter__(self):
        while self.items:
            yield self.items.pop(0)

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self):
        return len(self.items)

    def readlines(self):
        return [f"{item}\n" for item in self]

    def __repr__(self):
        return f"DrainQueue({self.items!r})"


class Registry:
    """A property that returns a live view of a dict: iterating it while registering fails."""

    def __init__(self, names):
        self._entries = dict.fromkeys(names, 0)

    @property
    def names(self):
        return self._entries.keys()

    def register(self, name):
        self._entries[name] = len(self._entries)

    def __repr__(self):
        return f"Registry({self._entries!r})"


class Anything:
    """Equal to everything, so membership tests by equality and by arithmetic differ."""

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__

    def __repr__(self):
        return "Anything()"


def sample_path(text, name="data.txt"):
    """A file holding `text`, for programs that read files (EL202, EL203, EL301)."""
    path = os.path.join(_SCRATCH, name)
    with open(path, "w", newline="") as handle:
        handle.write(text)
    return path


def poke(value):
    """Mutates the first element of a list result, so aliasing with the input shows."""
    if isinstance(value, list) and value and isinstance(value[0], list) and value[0]:
        value[0][0] = "poked"
    return value


def show(value):
    """A deterministic text for any value: no addresses, generators named by their type."""
    if isinstance(value, (list, tuple)):
        inner = ", ".join(show(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, (set, frozenset)):
        return f"{type(value).__name__}({sorted(show(item) for item in value)})"
    if isinstance(value, dict):
        inner = ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items())
        return f"{type(value).__name__}{{{inner}}}"
    if isinstance(value, types.GeneratorType) or type(value).__repr__ is object.__repr__:
        return f"<{type(value).__name__}>"
    if hasattr(value, "tolist") and hasattr(value, "dtype"):
        return f"{type(value).__name__}({show(value.tolist())}, {value.dtype})"
    # File objects name their path, which differs between the processes that run a program.
    return repr(value).replace(_SCRATCH, "<scratch>")


def drain(items):
    """Empties a list and returns what it held: a consumer's other argument that changes the first."""
    taken = list(items)
    items.clear()
    return taken


def sample_array(values, name="array.npy"):
    """A `.npy` file holding `values` as float64, for programs that load arrays."""
    import numpy  # only the array programs need it

    path = os.path.join(_SCRATCH, name)
    numpy.save(path, numpy.asarray(values, dtype=numpy.float64))
    return path
