"""EL505 near misses: training-loop shapes in a module that never imports torch, nothing fires."""
import random

import mygrad as mg
import numpy as np
from micrograd.engine import Value
from micrograd.nn import MLP
from tinygrad.nn.optim import SGD
from tinygrad.tensor import Tensor


class Scalar:
    """A tiny reverse-mode autodiff scalar, written for a teaching notebook."""

    def __init__(self, data, parents=(), grad_fn=None):
        self.data = data
        self.grad = 0.0
        self._parents = parents
        self._grad_fn = grad_fn

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data + other.data, (self, other))
        out._grad_fn = lambda g: (g, g)
        return out

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data * other.data, (self, other))
        out._grad_fn = lambda g: (g * other.data, g * self.data)
        return out

    def backward(self):
        self.grad = 1.0
        stack = [self]
        while stack:
            node = stack.pop()
            if node._grad_fn is None:
                continue
            for parent, g in zip(node._parents, node._grad_fn(node.grad)):
                parent.grad += g
                stack.append(parent)


# micrograd: the running loss is a Value with backward(), accumulated with +=.
def train_micrograd(model, xs, ys, epochs, lr=0.05):
    for epoch in range(epochs):
        total_loss = 0.0
        for x, y in zip(xs, ys):
            pred = model(x)
            loss = (pred - y) ** 2
            for p in model.parameters():
                p.grad = 0.0
            loss.backward()
            for p in model.parameters():
                p.data -= lr * p.grad
            total_loss += loss
        print(f"epoch {epoch}: {total_loss.data:.4f}")


# micrograd: a loss history list appended after backward().
def fit_micrograd(xs, ys, steps):
    model = MLP(3, [4, 4, 1])
    history = []
    for _ in range(steps):
        preds = [model(x) for x in xs]
        loss = sum((p - y) ** 2 for p, y in zip(preds, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.01 * p.grad
        history.append(loss)
    return [h.data for h in history]


# micrograd: acc = acc + loss in a while loop with an early stop.
def fit_until_converged(model, xs, ys, tolerance):
    running = Value(0.0)
    step = 0
    while step < 1000:
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.01 * p.grad
        running = running + loss
        if loss.data < tolerance:
            break
        step += 1
    return running


# The homegrown Scalar: += on a loss that backward() was called on.
def fit_line(points, epochs, lr=0.01):
    w, b = Scalar(random.random()), Scalar(0.0)
    for _ in range(epochs):
        epoch_loss = 0.0
        for x, y in points:
            err = w * x + b + (-y)
            loss = err * err
            w.grad = b.grad = 0.0
            loss.backward()
            w.data -= lr * w.grad
            b.data -= lr * b.grad
            epoch_loss += loss
    return w, b
