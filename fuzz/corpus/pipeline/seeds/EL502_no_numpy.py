"""EL502 near misses: the firing shapes in a module that imports no numpy; nothing fires."""
import array


class Matrix:
    """A small pure-Python matrix with numpy-like method names."""

    def __init__(self, rows, dtype=float):
        self.rows = [list(row) for row in rows]
        self.dtype = dtype

    def flatten(self):
        return [value for row in self.rows for value in row]

    def astype(self, dtype):
        return Matrix([[dtype(value) for value in row] for row in self.rows], dtype)


class _Numeric:
    """A stand-in module object named like numpy."""

    @staticmethod
    def array(values):
        return list(values)

    @staticmethod
    def zeros(n, dtype=float):
        return [dtype(0)] * n


np = _Numeric()


# --- Must not fire ---------------------------------------------------------------------------


# The stand-in `np.array` of a stand-in `np.zeros`.
def blank_row(width):
    row = np.zeros(width)
    return np.array(row)


# `flatten` on the pure-Python matrix.
def cells(rows):
    grid = Matrix(rows)
    return sum(grid.flatten())


# `astype` with the dtype the matrix was built with.
def as_floats(rows):
    grid = Matrix(rows, dtype=float)
    return grid.astype(float)


# A stdlib `array.array` copied into another.
def doubled(samples):
    buffer = array.array("d", samples)
    return array.array("d", buffer) * 2
