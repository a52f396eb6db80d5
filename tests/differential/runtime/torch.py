"""A stand-in for torch, just enough for the programs of EL505 and EL506 to run.

A Tensor holds a list of floats and a flag telling whether it carries an autograd graph;
`stack` refuses plain numbers as the real one does, so a fix that turns a loss into a float
and then stacks it fails here as it would with torch.
"""


class Tensor:
    def __init__(self, values, requires_grad=False):
        self.values = [float(v) for v in values]
        self.requires_grad = requires_grad

    def backward(self):
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad")

    def item(self):
        if len(self.values) != 1:
            raise RuntimeError("a Tensor with more than one element cannot be converted")
        return self.values[0]

    def detach(self):
        return Tensor(self.values)

    def clone(self):
        return Tensor(self.values, self.requires_grad)

    def mean(self):
        return Tensor([sum(self.values) / len(self.values)], self.requires_grad)

    def __getitem__(self, index):
        picked = self.values[index]
        return Tensor(picked if isinstance(picked, list) else [picked], self.requires_grad)

    def __len__(self):
        return len(self.values)

    def _combine(self, other, operation):
        if isinstance(other, Tensor):
            pairs = zip(self.values, other.values) if len(other) > 1 else (
                (v, other.values[0]) for v in self.values)
            grad = self.requires_grad or other.requires_grad
        else:
            pairs = ((v, float(other)) for v in self.values)
            grad = self.requires_grad
        return Tensor([operation(a, b) for a, b in pairs], grad)

    def __add__(self, other):
        return self._combine(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._combine(other, lambda a, b: b + a)

    def __sub__(self, other):
        return self._combine(other, lambda a, b: a - b)

    def __mul__(self, other):
        return self._combine(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._combine(other, lambda a, b: a / b)

    def __neg__(self):
        return Tensor([-v for v in self.values], self.requires_grad)

    def __float__(self):
        return self.item()

    def __repr__(self):
        grad = ", grad" if self.requires_grad else ""
        return f"tensor({[round(v, 6) for v in self.values]}{grad})"


def tensor(values, requires_grad=False):
    return Tensor(values if isinstance(values, list) else [values], requires_grad)


def zeros(size):
    return Tensor([0.0] * size)


def load(path):
    with open(path) as handle:
        return Tensor([float(field) for field in handle.read().split()])


def stack(tensors):
    if not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError("expected Tensor as element 0 in argument 0")
    return Tensor([t.item() for t in tensors], any(t.requires_grad for t in tensors))
