"""Generators of small runnable programs, one per rule that has a fix.

`GENERATORS` maps a rule code to its generator and the number of its forms: the main shape
of the flagged construct (which consumer, which separator, which loop body). Every form is
drawn, so each tricky shape is in every run; hypothesis draws the rest (receivers, contexts,
values) within the form.
"""

import zlib

from hypothesis import HealthCheck, Phase, given, seed, settings

from . import arrays, copies, lifetimes, materialize
from .program import Program

GENERATORS = {
    "EL003": (lifetimes.unused_noqa, len(lifetimes.LOOKALIKES)),
    "EL101": (copies.large_slice_copy, len(copies.SLICE_USES)),
    "EL105": (copies.redundant_copy, len(copies.DOUBLE_COPIES)),
    "EL106": (copies.iteration_over_copy, len(copies.LOOP_BODIES)),
    "EL107": (copies.split_for_one_part, len(copies.SEPARATORS)),
    "EL201": (materialize.list_comprehension_in_consumer, len(materialize.CONSUMERS)),
    "EL202": (materialize.readlines_iteration, len(materialize.FILE_USES)),
    "EL203": (materialize.read_then_splitlines, len(materialize.FILE_USES)),
    "EL204": (materialize.materialize_for_one_item, len(materialize.ONE_ITEM)),
    "EL205": (materialize.materialize_for_len, len(materialize.COUNTED)),
    "EL206": (materialize.single_use_list, len(materialize.SINGLE_USE_LISTS)),
    "EL207": (materialize.materialized_range, len(materialize.RANGE_USES)),
    "EL301": (lifetimes.big_object_outlives_use, len(lifetimes.LAST_USES)),
    "EL305": (lifetimes.growing_default_argument, len(lifetimes.BODY_STARTS)),
    "EL404": (lifetimes.dataclass_without_slots, len(lifetimes.CLASS_EXTRAS)),
    "EL502": (arrays.avoidable_array_copy, len(arrays.ARRAY_COPIES)),
    "EL505": (arrays.loss_accumulates_graph, len(arrays.RESULTS)),
    "EL506": (arrays.small_view_pins_array, len(arrays.VIEWS)),
}


def _draw(strategy, count, name):
    drawn = {}

    # A fixed seed per rule and form, so CI draws the same programs on every run, but each
    # form its own ones (one seed for all would make every form pick the same contexts). No
    # database, and only the generate phase: this collects examples, it tests nothing.
    @seed(zlib.crc32(name.encode()))
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(program):
        drawn.setdefault(program.source, program)

    collect()
    return list(drawn.values())


def draw_programs(rule, count):
    """About `count` distinct programs for `rule` (at least two per form), the same on every run."""
    generator, forms = GENERATORS[rule]
    per_form = max(2, -(-count // forms))
    return [program for form in range(forms) for program in _draw(generator(form), per_form, f"{rule}/{form}")]


__all__ = ["GENERATORS", "Program", "draw_programs"]
