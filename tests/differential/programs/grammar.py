"""The expression grammar the program generators share.

An expression is drawn as text together with its precedence, so that composing it into a
bigger one parenthesizes exactly where Python needs it. The draws deliberately reach every
precedence level, the walrus, conditional expressions, lambdas, calls with side effects,
comments and line breaks inside parentheses: the shapes where a fix that moves or
rewrites text can lose parentheses or change what is evaluated.
"""

from dataclasses import dataclass
import functools

from hypothesis import strategies as st

# Python's precedence levels, lowest first (the language reference's table).
WALRUS, LAMBDA, TERNARY, OR, AND, NOT, COMPARE = 1, 2, 3, 4, 5, 6, 7
BIT_OR, BIT_XOR, BIT_AND, SHIFT, SUM, PRODUCT, UNARY, POWER, ATOM = range(8, 17)


@dataclass(frozen=True)
class Expr:
    text: str
    precedence: int


def atom(text):
    return Expr(text, ATOM)


def operand(expr, above):
    """`expr` as an operand of an operator of precedence `above`: parenthesized if it binds looser."""
    return expr.text if expr.precedence > above else f"({expr.text})"


def receiver(expr):
    """`expr` before `.method()`, `[index]` or `(args)`."""
    return operand(expr, POWER)


def comprehension_iterable(expr):
    """`expr` after `for x in` in a comprehension, which takes at most an `or`."""
    return operand(expr, TERNARY)


# Operators that keep the kind of their operands: (template, precedence); `{b}` is optional.
_OPERATORS = {
    "str": [("{a} + {b}", SUM), ("{a} * 1", PRODUCT)],
    "list": [("{a} + {b}", SUM), ("{a} * 1", PRODUCT)],
    "int": [
        ("{a} + {b}", SUM),
        ("{a} - {b}", SUM),
        ("{a} * {b}", PRODUCT),
        ("{a} // 1", PRODUCT),
        ("{a} | {b}", BIT_OR),
        ("{a} ^ 0", BIT_XOR),
        ("{a} & -1", BIT_AND),
        ("{a} << 0", SHIFT),
        ("{a} ** 1", POWER),
    ],
}
_PREFIXES = {"int": ["-", "~~", "+"]}
_COMMENTS = ["# the receiver", "# noqa: E501", "# see above (really)", "#"]


def _binary(template, precedence, left, right):
    if template.startswith("{a} **"):  # right-associative: the left operand needs parentheses
        left_text = operand(left, precedence)
    else:
        left_text = left.text if left.precedence >= precedence else f"({left.text})"
    return Expr(template.format(a=left_text, b=operand(right, precedence)), precedence)


def _prefixed(prefix, expr):
    return Expr(prefix + (expr.text if expr.precedence >= UNARY else f"({expr.text})"), UNARY)


def _compositions(kind, inner, allow_walrus):
    """Ways to wrap or combine expressions of `kind` that keep their value's kind."""
    pair = st.tuples(inner, inner)
    ways = [
        pair.map(lambda ab: _binary("{a} or {b}", OR, *ab)),
        pair.map(lambda ab: _binary("{a} and {b}", AND, *ab)),
        pair.map(lambda ab: Expr(f"{operand(ab[0], TERNARY)} if flag else {operand(ab[1], WALRUS)}", TERNARY)),
        inner.map(lambda a: atom(f"(lambda: {operand(a, WALRUS)})()")),
        inner.map(lambda a: atom(f"log({a.text})")),
        pair.map(lambda ab: atom(f"({ab[0].text}, {ab[1].text})[0]")),
        inner.map(lambda a: atom(f"({a.text})")),
        st.tuples(inner, st.sampled_from(_COMMENTS)).map(
            lambda ac: atom(f"(\n        {ac[0].text}  {ac[1]}\n    )")
        ),
    ]
    if allow_walrus:
        ways.append(inner.map(lambda a: Expr(f"alias := {operand(a, WALRUS)}", WALRUS)))
    for template, precedence in _OPERATORS.get(kind, []):
        ways.append(pair.map(lambda ab, t=template, p=precedence: _binary(t, p, *ab)))
    for prefix in _PREFIXES.get(kind, []):
        ways.append(inner.map(lambda a, p=prefix: _prefixed(p, a)))
    return st.one_of(ways)


def expressions(kind, atoms, allow_walrus=True, max_leaves=3):
    """Expressions of `kind` built from `atoms` (texts of that kind) through every precedence level."""
    return _expressions(kind, tuple(atoms), allow_walrus, max_leaves)


@functools.lru_cache(maxsize=None)
def _expressions(kind, atoms, allow_walrus, max_leaves):
    # Cached: building a recursive strategy costs more than drawing from it.
    base = st.sampled_from(atoms).map(atom)
    return st.recursive(
        base,
        lambda inner: _compositions(kind, inner, allow_walrus),
        max_leaves=max_leaves,
    )


# Places for an int-valued expression, one or more per precedence level, `{e}` the hole.
INT_CONTEXTS = [
    "{e}", "{e} * 8", "width - {e}", "{e} ** 2", "-{e}", "~{e}", "+{e}", "2 ** {e}",
    "{e} // 2", "{e} % 3", "{e} / 4", "{e} << 1", "{e} >> 1", "{e} & 1", "{e} ^ 5",
    "{e} | 8", "{e} == 2", "{e} < width", "1 < {e} <= width", "not {e}", "{e} and width",
    "width or {e}", "{e} if flag else -1", "0 if flag else {e}", "{e}.bit_length()",
    "[0] * {e}", "str({e})", "(lambda: {e})()", "(n := {e}) + n", "{e} in (2, 3)",
    "{e} - 1", "width - {e} * 2", "({e})", "(\n        {e}  # counted\n        + 1\n    )",
]

# Places for a str-valued expression.
STR_CONTEXTS = [
    "{e}", "{e} + '!'", "'<' + {e}", "{e} * 2", "{e} or 'none'", "{e} and 'some'",
    "not {e}", "{e} == 'a'", "{e} in 'abc'", "{e}.upper()", "{e}[:1]", "len({e})",
    "{e} if flag else ''", "'%s|' % {e}", "(lambda: {e})()", "(t := {e}) + t",
    "(\n        {e}  # first part\n    )",
]


def placed(contexts, expr_text):
    """`expr_text` put in one of `contexts`, drawn."""
    return st.sampled_from(contexts).map(lambda context: context.format(e=expr_text))


def spread(call_name, arguments):
    """A call written on one line, or over several with a comment after its first argument."""
    flat = f"{call_name}({', '.join(arguments)})"
    if not arguments:
        return st.just(flat)
    first, *rest = arguments
    lines = [f"{first},  # argument"] + [f"{argument}," for argument in rest]
    body = "".join(f"\n        {line}" for line in lines)
    return st.sampled_from([flat, f"{call_name}({body}\n    )"])
