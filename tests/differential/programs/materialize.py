"""Programs for the materialize family: EL201 to EL207."""

from hypothesis import strategies as st

from .copies import SEPARATORS, STR_ATOMS, numbers, texts
from .grammar import INT_CONTEXTS, comprehension_iterable, expressions, placed, receiver, spread
from .program import module

# Per-element expressions of a comprehension. Some call something, some have effects without
# a call (a property that logs, a division that raises on 0, a walrus): the ones where
# evaluating lazily, or not at all, changes what happens.
ELEMENTS = ["v", "v * 2", "-v", "v > 0", "v or 0", "log(v)", "log.say(v)", "10 // v", "w.value", "(last := v)",
            "v if v else 1 // v", "abs(v)", "(lambda: v)()"]
CONDITIONS = ["", " if v", " if log(v) is not None", " if 1 // (v + 3)", " if w.value > 0"]
INERT_ELEMENTS = ["v", "(v, w)", "w", "None", "v is w"]
# Where the comprehension's elements come from: `w` is the element wrapped to log reads.
# `pairs` is a plain name: some fixes count a call in the first iterable as a side effect.
SOURCES = ["zip(xs, watched)", "pairs", "zip(xs, watched[::-1])"]
LIST_ATOMS = ["xs", "ys", "box.items", "list(xs)"]

MODULE_SETUP = """\
xs = {xs!r}
ys = {ys!r}
watched = [Watched(v, log) for v in xs]
pairs = list(zip(xs, watched))
box = Box(items=ys)
"""
ARGUMENTS = "xs, ys, watched, box"


@st.composite
def _lists(draw):
    return MODULE_SETUP.format(xs=draw(numbers), ys=draw(numbers))


@st.composite
def _comprehension(draw, brackets="[]"):
    """A list (or set) comprehension over the logged elements."""
    if draw(st.booleans()):
        element = draw(st.sampled_from(ELEMENTS))
        source = draw(st.sampled_from(SOURCES))
        condition = draw(st.sampled_from(CONDITIONS))
    else:
        # Inert: loop variables and identity tests over a list, where the fix may be safe.
        element = draw(st.sampled_from(INERT_ELEMENTS))
        source = "list(pairs)"
        condition = draw(st.sampled_from(["", " if v is not None", " if w is not None and v is not None"]))
    opening, closing = brackets
    return f"{opening}{element} for v, w in {source}{condition}{closing}"


def _compute(body):
    return f"def compute({ARGUMENTS}):\n{body}"


CONSUMERS = [
    "sum({c})", "any({c})", "all({c})", "min({c}, default=None)", "max({c}, default=0)",
    "sorted({c}, reverse=flag)", "set({c})", "frozenset({c})", "tuple({c})",
    "list(enumerate({c}, start=1))", "dict(enumerate({c}))", "list(zip({c}, drain(xs)))",
    "list(itertools.islice({c}, 2))",
]


@st.composite
def list_comprehension_in_consumer(draw, form):
    """EL201: a comprehension passed to a consumer that reads it once."""
    comprehension = draw(_comprehension())
    consumed = CONSUMERS[form]
    if draw(st.booleans()) and consumed.split("(")[0] in ("any", "all", "min", "max"):
        comprehension = draw(_comprehension("{}"))
    call = consumed.format(c=comprehension)
    body = draw(st.sampled_from([
        f"    return {call}\n",
        f"    result = (\n        {call}  # consumed once\n    )\n    return result, xs\n",
        f"    for _ in range(1):\n        result = {call}\n    return result, xs\n",
    ]))
    return module("EL201", _compute(body), f"compute({ARGUMENTS})", imports=["import itertools"],
                  setup=draw(_lists()))


# A file handle in the shapes a receiver can take; the walrus cannot be a comprehension's iterable.
FILE_ATOMS = ["fh", "(fh)", "log(fh)"]
FILE_TEXTS = st.text(alphabet="ab\n\r", max_size=12)


# How the lines of a file are used: some bodies read, tell or seek the same file.
FILE_USES = [
    "result = [line.rstrip() for line in {read}]",
    "for line in {read}:\n            result.append(line)\n            if len(result) >= limit:\n                break\n        result.append(fh.read())",
    "for line in {read}:\n            result.append((line, fh.readline()))",
    "for line in {read}:\n            result.append((line, fh.tell()))",
    "for line in {read}:\n            result.append(line)\n            if len(result) < limit:\n                fh.seek(0)",
    "result = list(zip({read}, {read}))",
    "result = list(enumerate({read}, start=1))",
    "result = sum(1 for line in {read} if 'b' in line)",
    "result = max({read}, key=len, default=None)",
    "result = len({read})",
]


@st.composite
def _file_program(draw, rule, form, iterated):
    """A function that opens a file and reads its lines through `iterated(handle)`."""
    handle = draw(expressions("file", FILE_ATOMS, allow_walrus=False, max_leaves=2))
    usage = FILE_USES[form].format(read=iterated(receiver(handle)))
    opening = draw(st.sampled_from(["with open(path) as fh:", "with open(path, 'rb') as fh:",
                                    "with open(path, newline='') as fh:"]))
    definitions = (f"def compute(path, limit):\n    result = []\n    {opening}\n"
                   f"        {usage}\n    return result\n")
    call = f"compute(sample_path({draw(FILE_TEXTS)!r}), {draw(st.integers(1, 3))})"
    return module(rule, definitions, call)


def readlines_iteration(form):
    """EL202: `fh.readlines()` iterated, with bodies that read, seek or tell the same file."""
    return _file_program("EL202", form, lambda handle: f"{handle}.readlines()")


@st.composite
def read_then_splitlines(draw, form):
    """EL203: `fh.read().splitlines()` (or `.split("\\n")`) iterated."""
    split = draw(st.sampled_from([".splitlines()", '.split("\\n")', ".splitlines(keepends=True)"]))
    return draw(_file_program("EL203", form, lambda handle: f"{handle}.read(){split}"))


ONE_ITEM = [
    "list({it})[0]", "list({it})[-1]", "tuple({it})[0]", "sorted({it})[0]", "sorted({it})[-1]",
    "sorted({it}, key=abs)[0]", "sorted({it}, key=abs, reverse=True)[0]", "sorted({it}, reverse=flag)[-1]",
    "sorted({it})[:2]", "[v * 2 for v in {source}][0]",
]


@st.composite
def materialize_for_one_item(draw, form):
    """EL204: a whole list, tuple or sort built to take one item."""
    atoms = LIST_ATOMS + ["filter(None, xs)", "iter(ys)"]
    iterable = draw(expressions("list", atoms))
    source = draw(expressions("list", atoms, allow_walrus=False))
    taken = ONE_ITEM[form].format(it=iterable.text, source=comprehension_iterable(source))
    body = f"    return {draw(placed(INT_CONTEXTS, taken))}\n"
    return module("EL204", _compute(body), f"compute({ARGUMENTS})", setup=draw(_lists()))


COUNTED = [
    "{comprehension}", "list({it})", "tuple({it})", "list(v for v in {source})", "{text}.split({sep})",
    "{text}.split(',')",
    "{text}.split()", "[v for v in {source} if v]", "{text}.split(sep=',')",
]


@st.composite
def _counted(draw, form):
    """What `len()` is taken of in EL205: a comprehension, a list of an iterable, split parts."""
    atoms = LIST_ATOMS + ["filter(None, xs)", "map(log, xs)", "queue"]
    iterable = draw(expressions("list", atoms))
    source = draw(expressions("list", atoms, allow_walrus=False))
    return COUNTED[form].format(
        comprehension=draw(_comprehension()), it=iterable.text, source=comprehension_iterable(source),
        text=receiver(draw(expressions("str", STR_ATOMS))), sep=draw(st.sampled_from(SEPARATORS)),
    )


@st.composite
def materialize_for_len(draw, form):
    """EL205: `len()` of a collection built only to be counted, in every arithmetic context."""
    counted = draw(spread("len", [draw(_counted(form))]))
    expression = draw(placed(INT_CONTEXTS, counted))
    body = draw(st.sampled_from([
        f"    return {expression}, queue\n",
        f"    total = 0\n    for _ in range(2):\n        total += {expression}\n    return total, queue\n",
    ]))
    definitions = f"def compute({ARGUMENTS}, text, sep, texts, queue):\n{body}"
    values = (draw(texts), draw(st.sampled_from([",", ";", None])), draw(st.lists(texts, min_size=1, max_size=2)))
    setup = draw(_lists()) + f"queue = DrainQueue({draw(numbers)!r})\n"
    call = "compute({0}, {1!r}, {2!r}, {3!r}, queue)".format(ARGUMENTS, *values)
    setup += "box.text = 'a,b'\nbox.sep = ','\n"
    return module("EL205", definitions, call, setup=setup, flag=draw(st.booleans()))


SINGLE_USE_LISTS = [
    "{comprehension}", "list(map(log, xs))", "list(zip(xs, ys))", "list(filter(None, xs))",
    "list(reversed(xs))", "list(v * 2 for v in xs)", "list(enumerate(xs, start=1))",
]


@st.composite
def single_use_list(draw, form):
    """EL206: a local list read once, with the source changed between building and reading it."""
    built = SINGLE_USE_LISTS[form].format(comprehension=draw(_comprehension()))
    between = draw(st.sampled_from(["", "xs.append(7)", "log('between')", "xs.clear()", "box.items = xs"]))
    use = draw(st.sampled_from([
        "return sum(1 for _ in values), xs",
        "total = []\n    for value in values:\n        total.append(value)\n    return total, xs",
        "return sorted(values, key=str), xs",
        "return ', '.join(map(str, values)), xs",
    ]))
    body = f"    values = {built}\n    {between}\n    {use}\n"
    return module("EL206", _compute(body), f"compute({ARGUMENTS})", setup=draw(_lists()))


RANGE_USES = [
    "    for i in {materialized}:\n        seen.append(i)\n",
    "    seen.append({member} in {materialized})\n",
    "    seen.append({member} not in {materialized})\n",
    "    seen.append(sum({materialized}))\n",
    "    seen.extend([i * i for i in {materialized}])\n",
    "    seen.append(list(zip(xs, {materialized})))\n",
    "    seen.append(sorted({materialized}, reverse=True))\n",
]


@st.composite
def materialized_range(draw, form):
    """EL207: `list(range(...))` iterated or tested for membership, with odd members."""
    # No walrus: some uses put the range in a comprehension's iterable, where Python refuses one.
    bounds = draw(expressions("int", ["n", "width", "len(xs)", "1"], allow_walrus=False, max_leaves=2))
    arguments = draw(st.sampled_from([bounds.text, f"1, {bounds.text}", f"0, {bounds.text}, 2", f"{bounds.text}, -1, -1"]))
    materialized = draw(st.sampled_from([f"list(range({arguments}))", f"tuple(range({arguments}))",
                                         f"[*range({arguments})]"]))
    member = draw(st.sampled_from(["2", "2.0", "True", "'a'", "None", "Anything()", "[1]", "-1", "n"]))
    use = RANGE_USES[form].format(member=member, materialized=materialized)
    definitions = f"def compute({ARGUMENTS}, n):\n    seen = []\n{use}    return seen\n"
    call = f"compute({ARGUMENTS}, {draw(st.integers(-1, 4))})"
    return module("EL207", definitions, call, setup=draw(_lists()))
