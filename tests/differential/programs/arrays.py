"""Programs for the arrays family: EL502 (numpy), EL505 (the torch stub), EL506."""

from hypothesis import strategies as st

from .program import module

# Arrays of a known provenance (so the rule knows they are ndarrays), one of them read-only.
ARRAYS = {
    "np.load(sample_array(values))": "float64",
    "np.zeros(len(values), dtype=np.float64) + values": "float64",
    "np.arange(len(values), dtype=np.int64)": "int64",
    "np.frombuffer(bytes(values), dtype=np.uint8)": "uint8",
    "np.asarray(values, dtype=np.float64).reshape(-1, 1)": "float64",
}


ARRAY_COPIES = [
    "np.array(base)", "base.flatten()", "base.astype(np.{dtype})", "base.astype(dtype=np.{dtype})",
    "base.astype(np.{dtype}, order='C')", "np.array(base).flatten()", "(base * 1).flatten()",
    "base.astype(np.{dtype}, copy=True)",
]


@st.composite
def avoidable_array_copy(draw, form):
    """EL502: `np.array(a)`, `a.flatten()` and `a.astype(own dtype)`, then written through a helper."""
    created, dtype = draw(st.sampled_from(sorted(ARRAYS.items())))
    copy = ARRAY_COPIES[form].format(dtype=dtype)
    use = draw(st.sampled_from(["scale(copied)", "copied.tolist()", "float(copied.sum())", "copied"]))
    definitions = ("def scale(array):\n    array *= 2\n    return array\n\n\n"
                   f"def compute(values):\n    base = {created}\n    copied = {copy}\n"
                   f"    result = {use}\n    return result, base\n")
    call = f"compute({draw(st.lists(st.integers(0, 9), min_size=1, max_size=4))!r})"
    return module("EL502", definitions, call, imports=["import numpy as np"])


ACCUMULATIONS = ["total += loss", "total = total + loss", "total += loss * len(batch)",
                 "losses.append(loss)", "total = loss + total"]
RESULTS = ["float(total)", "total / len(batches)", "total.item() / len(batches)",
           "torch.stack(losses).mean().item() if losses else None", "[float(x) for x in losses]", "total"]


@st.composite
def loss_accumulates_graph(draw, form):
    """EL505: a loss accumulated as a tensor in a training loop; the fix takes `.item()`."""
    accumulate = draw(st.sampled_from(ACCUMULATIONS))
    start = draw(st.sampled_from(["0.0", "torch.zeros(1)"]))
    result = RESULTS[form]
    definitions = ("def model(batch):\n    return torch.tensor(float(sum(batch)), requires_grad=True)\n\n\n"
                   f"def train(batches):\n    total = {start}\n    losses = []\n    for batch in batches:\n"
                   f"        loss = model(batch)\n        loss.backward()\n        {accumulate}\n"
                   f"    return {result}\n")
    batches = draw(st.lists(st.lists(st.integers(0, 3), max_size=3), min_size=1, max_size=3))
    return module("EL505", definitions, f"train({batches!r})", imports=["import torch"])


VIEWS = ["data[:2]", "data[0]", "data[1:3]", "data[-2:]", "data[:, 0]"]


@st.composite
def small_view_pins_array(draw, form):
    """EL506: a small view of a big loaded array returned or stored; the fix copies it."""
    loaded = draw(st.sampled_from(["np.load(sample_array(values))", "np.load(sample_array(values)).reshape(-1, 1)"]))
    view = VIEWS[form]
    # Returned, or stored on `self`; the caller then writes through what it got.
    kept = draw(st.sampled_from([
        f"def load(values):\n    data = {loaded}\n    return {view}\n",
        f"class Holder:\n    def load(self, values):\n        data = {loaded}\n        self.head = {view}\n"
        "        return self.head\n\n\nload = Holder().load\n",
    ]))
    definitions = (f"{kept}\n\ndef compute(values):\n    head = load(values)\n    head *= 2\n"
                   "    return head, load(values)\n")
    values = draw(st.lists(st.integers(0, 9), min_size=3, max_size=5))
    return module("EL506", definitions, f"compute({values!r})", imports=["import numpy as np"])
