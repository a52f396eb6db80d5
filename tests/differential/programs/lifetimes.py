"""Programs for EL301, EL305, EL404 (lifetimes and objects) and EL003 (stale `noqa`)."""

from hypothesis import strategies as st

from .program import module

BIG_VALUES = {
    "json.load(open(path))": "len(big)",
    "open(path).read()": "len(big)",
    "pathlib.Path(path).read_text()": "big.count('a')",
    "json.loads(pathlib.Path(path).read_text())": "sorted(big)",
}
# Where the last use of the big value sits: plain, in a branch, in a `try`, or also in a
# function defined beside it (a closure the `del` would break).
LAST_USES = [
    "size = {use}",
    "if flag:\n        size = {use}\n    else:\n        size = 0",
    "try:\n        size = {use}\n    except TypeError:\n        size = -1",
    "def measure():\n        return {use}\n    size = measure()",
    "size = {use}\n    report = lambda: {use}",
]
LONG_RUNNING = [
    "for job in jobs:\n        out.append(job * size)",
    "while jobs:\n        out.append(jobs.pop() * size)",
    "for job in jobs:\n        if job < 0:\n            continue\n        out.append(job * size)\n    time.sleep(0)",
]


@st.composite
def big_object_outlives_use(draw, form):
    """EL301: a big value whose last use comes before a loop; `del` may be inserted after it."""
    value, use = draw(st.sampled_from(sorted(BIG_VALUES.items())))
    last_use = LAST_USES[form].format(use=use)
    loop = draw(st.sampled_from(LONG_RUNNING))
    # The last form reads the big value again through the lambda, when a branch defined one.
    after = draw(st.sampled_from(["return out", "return out, size", "return out, report() if 'report' in dir() else None"]))
    definitions = (f"def compute(path, jobs):\n    big = {value}\n    {last_use}\n    out = []\n"
                   f"    {loop}\n    {after}\n")
    document = draw(st.sampled_from(['{"a": [1, 2]}', '["a", "b", "a"]', '"aaa"']))
    call = f"compute(sample_path({document!r}, 'doc.json'), {draw(st.lists(st.integers(-1, 3), max_size=3))!r})"
    return module("EL301", definitions, call, imports=["import json", "import pathlib", "import time"],
                  flag=draw(st.booleans()))


DEFAULTS = ["[]", "{}", "set()", "list()", "dict()", "collections.defaultdict(list)",
            "collections.deque()", "collections.Counter()", "collections.OrderedDict()"]
GROW = {
    "[]": "{name}.append(item)", "list()": "{name}.append(item)", "collections.deque()": "{name}.appendleft(item)",
    "{}": "{name}[item] = True", "dict()": "{name}.setdefault(item, 0)", "set()": "{name}.add(item)",
    "collections.defaultdict(list)": "{name}[item].append(item)", "collections.Counter()": "{name}[item] += 1",
    "collections.OrderedDict()": "{name}.update({{item: 1}})",
}
# The first lines of the body: a docstring, a comment, or nothing, in spaces or in tabs.
BODY_STARTS = ["", '"""Records an item."""\n{i}', "# grows on purpose\n{i}", 'global calls\n{i}calls += 1\n{i}']


@st.composite
def growing_default_argument(draw, form):
    """EL305: a mutable default that the function grows; the fix moves it into the body."""
    default = draw(st.sampled_from(DEFAULTS))
    indent = draw(st.sampled_from(["    ", "\t", "  "]))
    start = BODY_STARTS[form].format(i=indent)
    signature = draw(st.sampled_from([
        "item, seen={d}", "item, /, seen={d}", "item, *, seen={d}", "item, seen={d}, *rest",
        "item,\n    seen={d},  # shared\n", "item, seen={d}, other={d}",
    ])).format(d=default)
    header = draw(st.sampled_from(["def record({s}):", "@functools.lru_cache(maxsize=None)\ndef never({s}):\n    pass\n\n\ndef record({s}):"]))
    grow = GROW[default].format(name="seen")
    definitions = (f"calls = 0\n\n\n{header.format(s=signature)}\n{indent}{start}{grow}\n"
                   f"{indent}return seen\n\n\ndef compute():\n    record(1)\n    record(2)\n"
                   "    return record(3), record.__doc__, calls\n")
    return module("EL305", definitions, "compute()", imports=["import collections", "import functools"])


# What the class holds besides its fields, and how the program uses it: the shapes
# `slots=True` breaks beyond the documented ones (undeclared attributes, weak references).
CLASS_EXTRAS = [
    ("", "vars(reading)"),
    ("def label(self):\n        return super().__repr__()[:8]", "reading.label()"),
    ("@functools.cached_property\n    def doubled(self):\n        return self.value * 2", "reading.doubled"),
    ("kind: typing.ClassVar[str] = 'reading'", "reading.kind"),
    ("def __post_init__(self):\n        self.value = float(self.value)", "reading.value"),
]
INSTANCE_USES = ["reading.name", "copy.copy(reading)", "pickle.loads(pickle.dumps(reading))",
                 "reading == Reading(reading.name, reading.value)", "dataclasses.asdict(reading)"]


@st.composite
def dataclass_without_slots(draw, form):
    """EL404: a dataclass created in a loop; the fix adds `slots=True`."""
    decorator = draw(st.sampled_from(["@dataclass", "@dataclasses.dataclass", "@dataclass(frozen=True)",
                                      "@dataclass(order=True,)", "@dataclass(eq=False)", "@dataclass(\n    repr=True,  # shown\n)"]))
    extra, extra_use = CLASS_EXTRAS[form]
    base = draw(st.sampled_from(["", "(Base)"]))
    uses = draw(st.lists(st.sampled_from(INSTANCE_USES), max_size=2, unique=True))
    shown = ", ".join([extra_use, *uses])
    definitions = (
        "class Base:\n    pass\n\n\n"
        f"{decorator}\nclass Reading{base}:\n    name: str\n    value: float = 0.0\n    {extra}\n\n\n"
        f"def compute(rows):\n    readings = [Reading(str(r), r) for r in rows]\n"
        f"    return len(readings), [({shown}) for reading in readings]\n"
    )
    call = f"compute({draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))!r})"
    return module("EL404", definitions, call,
                  imports=["import copy", "import dataclasses", "import functools", "import pickle", "import typing",
                           "from dataclasses import dataclass"])


NOQA_CODES = ["EL201", "EL2010", "EL999", "el201", "EL201, EL204", "EL201 -- kept for later", "EL204,EL201"]


# Lines with a `noqa` in a string (or in a comment inside parentheses) beside a real one.
LOOKALIKES = [
    'note = """first line  # noqa: {code}\n    last line"""',
    "note = 'hash # noqa: {code}'  # noqa: {code}",
    'note = f"{{total}}  # noqa: {code}"',
    "note = (\n        'a'  # noqa: {code}\n        'b'\n    )",
    "note = '''\n# noqa: {code}\n'''  # noqa: {code}",
]


@st.composite
def unused_noqa(draw, form):
    """EL003: stale `noqa` codes, next to text that only looks like a `noqa` comment."""
    code = draw(st.sampled_from(NOQA_CODES))
    lookalike = LOOKALIKES[form].format(code=code)
    definitions = (f"def compute(xs):\n    total = sum(v * v for v in xs)  # noqa: {code}\n"
                   f"    {lookalike}\n    return total, note\n")
    return module("EL003", definitions, f"compute({draw(st.lists(st.integers(0, 3), max_size=3))!r})")
