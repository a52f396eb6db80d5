"""Programs for the copies family: EL101, EL105, EL106, EL107."""

from hypothesis import strategies as st

from .grammar import STR_CONTEXTS, expressions, placed, receiver, spread
from .program import module

# Values the receivers are bound to: short texts over the separators, small numbers.
texts = st.text(alphabet=",; ab", max_size=6)
numbers = st.lists(st.integers(-2, 3), max_size=4)
rows = st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=3), max_size=3)

# Sequences a copy can be taken of: plain ones, and the support classes whose `copy`,
# slicing or iteration mean something else (a matrix copying its rows, a draining queue).
SEQUENCE_ATOMS = ["items", "box.items", "matrix", "queue", "text", "(items)", "seq"]

CONTAINERS_SETUP = """\
items = {items!r}
matrix = Matrix({rows!r})
queue = DrainQueue({queue!r})
box = Box(items=items, text={text!r})
registry = Registry({names!r})
"""
CONTAINER_ARGUMENTS = "items, matrix, queue, box, registry, {text!r}, {seq}"
CONTAINER_PARAMETERS = "items, matrix, queue, box, registry, text, seq"


@st.composite
def _containers(draw):
    """The setup of the shared containers and the argument list passed to the function."""
    values = dict(
        items=draw(numbers), rows=draw(rows), queue=draw(numbers), text=draw(texts),
        names=draw(st.lists(st.sampled_from("abcd"), max_size=3, unique=True)),
        seq=draw(st.sampled_from(["items", "tuple(items)", "queue", "matrix", "'a;b'", "{1: 2}"])),
    )
    return CONTAINERS_SETUP.format(**values), CONTAINER_ARGUMENTS.format(**values)


SLICE_USES = [
    "    for v in {sliced}:\n        seen.append(v)\n",
    "    seen.extend([v for v in {sliced}])\n",
    "    seen.append(list(zip({sequence}, {sliced})))\n",
    "    seen.append(sum({sliced}))\n",
    "    seen.append(', '.join(map(str, {sliced})))\n",
    "    seen.append(min({sliced}, default=None))\n",
    "    seen.append(any(v == 2 for v in {sliced}))\n",
]


@st.composite
def large_slice_copy(draw, form):
    """EL101: `x[k:]` read once (in a loop, a comprehension, a consumer), and `x[:]` in a consumer."""
    sequence = receiver(draw(expressions("list", SEQUENCE_ATOMS, allow_walrus=False)))
    start = draw(st.sampled_from(["1", "2", "0", ""]))
    use = SLICE_USES[form].format(sequence=sequence, sliced=f"{sequence}[{start}:]")
    setup, arguments = draw(_containers())
    definitions = (f"def compute({CONTAINER_PARAMETERS}):\n    seen = []\n{use}"
                   "    return seen, items, matrix, queue\n")
    return module("EL101", definitions, f"compute({arguments})", imports=["import itertools"], setup=setup)


DOUBLE_COPIES = [
    "list(list({source}))", "sorted(list({source}))", "tuple(list({source}))", "set(list({source}))",
    "frozenset(tuple({source}))", "list({inner}[:])", "tuple({inner}[:])", "sorted({inner}.copy())",
    "{inner}[:].copy()", "list(sorted({source}, key=str, reverse=flag))", "list([{source}, 1])",
]


@st.composite
def redundant_copy(draw, form):
    """EL105: a whole copy fed to something that copies again; the input printed afterwards."""
    source = draw(expressions("list", SEQUENCE_ATOMS))
    copied = DOUBLE_COPIES[form].format(source=source.text, inner=receiver(source))
    setup, arguments = draw(_containers())
    result = draw(st.sampled_from(["{e}", "len({e})", "{e} or None", "[{e}][0]", "(\n        {e}  # copy\n    )"]))
    definitions = (f"def compute({CONTAINER_PARAMETERS}):\n"
                   f"    result = {result.format(e=copied)}\n"
                   "    return poke(result), items, matrix, queue, seq\n")
    return module("EL105", definitions, f"compute({arguments})", setup=setup)


# What a loop over a copy may do with its elements: only read, or change the container
# through another name (an alias, an attribute, a method of the dict a view shows).
LOOP_BODIES = [
    "seen.append(v)",
    "seen.append(log(v))",
    "seen.append(v)\n        if len(seen) < 3:\n            items.append(v)",
    "seen.append(v)\n        if len(seen) < 3:\n            box.items.append(v)",
    "registry.register(str(v) + '!')\n        seen.append(v)",
    "seen.append((v, len(queue)))",
]
COPIED_CONTAINERS = ["items", "alias", "queue", "matrix", "names", "box.items", "registry.names",
                     "fresh", "fresh"]


@st.composite
def iteration_over_copy(draw, form):
    """EL106: a loop or comprehension over a copy of a container the loop does not change by name."""
    container = draw(st.sampled_from(COPIED_CONTAINERS))
    copy = draw(st.sampled_from([f"list({container})", f"{container}.copy()", f"{container}[:]",
                                 f"tuple({container})", f"list({container}.keys())"]))
    body = LOOP_BODIES[form]
    loop = draw(st.sampled_from([
        f"    for v in {copy}:\n        {body}\n",
        f"    seen.extend([v * 2 for v in {copy}])\n",
        f"    for v in (\n        {copy}  # a snapshot\n    ):\n        {body}\n",
    ]))
    setup, arguments = draw(_containers())
    definitions = (f"def compute({CONTAINER_PARAMETERS}):\n"
                   "    seen = []\n    alias = items\n    names = registry.names\n"
                   "    fresh = list(items)\n"
                   f"{loop}    return seen, items, matrix, queue, registry\n")
    return module("EL106", definitions, f"compute({arguments})", setup=setup)


STR_ATOMS = ["text", "box.text", "texts[0]", "text.strip()", "Splitter(text)", "sep.join(texts)"]
SEPARATORS = ['","', '";"', '", "', "sep", "None", 'sep=","', '" "', "box.sep", '""']


@st.composite
def split_for_one_part(draw, form):
    """EL107: `s.split(sep)[i]` for one part, with every shape of receiver and separator."""
    text = receiver(draw(expressions("str", STR_ATOMS)))
    method = draw(st.sampled_from(["split", "rsplit"]))
    call = draw(spread(f"{text}.{method}", [SEPARATORS[form]]))
    # `[0]` is the index the fix rewrites; the others are there to check that it does not.
    part = f"{call}{draw(st.sampled_from(['[0]', '[0]', '[0]', '[-1]', '[1]']))}"
    expression = draw(placed(STR_CONTEXTS, part))
    body = draw(st.sampled_from([
        f"    return {expression}\n",
        f"    return [{expression} for text in texts]\n",
        f"    parts = []\n    for text in texts:\n        parts.append({expression})\n    return parts\n",
    ]))
    values = (draw(texts), draw(st.sampled_from([",", ";", None, " "])), draw(st.lists(texts, min_size=1, max_size=3)))
    # `text: str` lets the fix rely on `str.partition`; `box.text` and `Splitter(text)` stay
    # of unknown type, where it must not.
    definitions = f"def compute(text: str, sep, texts, box):\n{body}"
    call_text = "compute({0!r}, {1!r}, {2!r}, Box(text={0!r}, sep={1!r}))".format(*values)
    return module("EL107", definitions, call_text, flag=draw(st.booleans()))
