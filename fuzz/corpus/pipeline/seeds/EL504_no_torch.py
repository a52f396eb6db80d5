"""EL504 near misses: `eval()` then a call, in a module that imports no torch; nothing fires."""


class Expression:
    """A tiny calculator: `eval()` simplifies, calling evaluates at a point."""

    def __init__(self, terms):
        self.terms = terms

    def eval(self):
        self.terms = [term for term in self.terms if term]
        return self

    def __call__(self, x):
        return sum(coefficient * x**power for power, coefficient in enumerate(self.terms))

    def forward(self, x):
        return self(x)


# --- Must not fire ---------------------------------------------------------------------------


# Simplify, then evaluate at every point.
def sample(expression, points):
    expression.eval()
    return [expression(x) for x in points]


# `forward` on the calculator.
def evaluate_forward(expression, x):
    expression.eval()
    return expression.forward(x)


# An object put in "eval mode" and then called, in a method.
class Plotter:
    def __init__(self, expression):
        self.expression = expression

    def values(self, xs):
        self.expression.eval()
        return [self.expression(x) for x in xs]
