"""EL003 unused-noqa: marked lines must fire, all others must stay silent.

Runs with the default rules on, since it reports on their suppressions.
"""

# --- Must fire -------------------------------------------------------------------------------


# The finding was fixed (a generator now), the suppression stayed behind.
def total(xs):
    return sum(x * x for x in xs)  # noqa: EL201  # error: EL003


# A misspelled code suppresses nothing.
def largest(xs):
    return max(x for x in xs)  # noqa: EL2010  # error: EL003


# A code that is no edgelint rule.
def names(users):
    return ", ".join(user.name for user in users)  # noqa: EL999  # error: EL003


# One of two codes is still needed: only the stale one is reported.
def load(path):
    with open(path) as f:
        return sum([len(line) for line in f])  # noqa: EL201, EL202  # error: EL003


# The suppression is on the last line of a statement; the finding is on its first.
def spread(xs):
    return sum([x * x for x in xs]  # error: EL201
               )  # noqa: EL201  # error: EL003


# --- Must not fire ---------------------------------------------------------------------------


# The suppression is used.
def squares(xs):
    return sum([x * x for x in xs])  # noqa: EL201


# A blanket noqa may be for another tool.
def cubes(xs):
    return sum([x**3 for x in xs])  # noqa


# Codes of other tools are theirs to check.
import os  # noqa: F401, E402


# An opt-in rule that did not run in this check: its suppression is not judged.
def whole(path):
    with open(path) as f:
        return f.read()  # noqa: EL209


# A reason after the codes does not count as a code.
def evens(xs):
    return any([x % 2 == 0 for x in xs])  # noqa: EL201 -- short lists only
