"""The unchecked kernels of the matrix products, shared by the floors that multiply.

Their callers have checked the shapes; these only compute, at the speed of
plain Python (``sum(map(mul, ...))`` makes each dot product in C).
"""
from math import exp as _exp
from operator import mul as _times


def _transpose(A):
    return [list(col) for col in zip(*A)]


def _matmul(A, B):
    """A·B for matrices (lists of rows) whose sizes fit, unchecked: the kernel of :func:`matmul`."""
    if len(B) == 1:                     # inner size 1: an outer product, no sums of one term
        b = B[0]
        return [[0 + a * v for v in b] for a, in A]     # 0 + as in sum(): a list in A fails here too
    return _linear(A, list(zip(*B)))    # zip(*B) hands over B's columns once


def _linear(A, W, bias=None):
    """A·Wᵀ (+ bias on every row), unchecked: entry (i, j) is row i of A times row j of W.

    PyTorch's ``F.linear``, the product of ``nn.Linear`` (whose weight holds
    one row per output).  Both factors are read row by row, and
    ``sum(map(mul, ...))`` makes each dot product at C speed: the fastest
    plain-Python form of the product.
    """
    if bias is None:
        return [[sum(map(_times, row, w)) for w in W] for row in A]
    return [[sum(map(_times, row, w)) + b for w, b in zip(W, bias)] for row in A]


# --- mlp: the classic loop's matrices, entry by entry ---------------------
# Each kernel computes one line of the classic program on plain lists whose shapes fit (the
# caller has checked them), in the fastest plain-Python form: dot products by sum(map(mul, ...))
# in C, and no transposed copies kept between calls.

def _matmul_plus_bias(A, B, bias=None):
    """A·B, plus ``bias`` on every row when one is given: a layer's sums ``layer · weight + bias``."""
    columns = list(zip(*B))                     # B's columns, once
    if bias is None:
        return [[sum(map(_times, row, column)) for column in columns] for row in A]
    return [[sum(map(_times, row, column)) + b for column, b in zip(columns, bias)] for row in A]


def _matmul_by_transpose(A, B):
    """A·Bᵀ: entry (i, j) is row i of A times row j of B (``delta · weightᵀ``, with no transposing)."""
    if len(B[0]) == 1:      # inner size 1 (one output neuron): an outer product, no sums of one term
        return [[0 + a * b for b, in B] for a, in A]        # 0 + as in sum(): -0.0 becomes 0.0 alike
    return _linear(A, B)


def _transpose_matmul(A, B):
    """Aᵀ·B: entry (i, j) is column i of A times column j of B (``layerᵀ · delta``)."""
    columns = list(zip(*B))
    return [[sum(map(_times, a, b)) for b in columns] for a in zip(*A)]


def _gradient_step(weight, lr, layer, delta):
    """weight + lr · layerᵀ · delta, a new matrix: the classic update ``weight += layer.T.dot(delta)``.

    Entry (i, j) adds lr times the same sum :func:`_transpose_matmul` makes,
    in the same order, so it equals ``weight − lr · ∂E/∂weight`` with the
    gradient :func:`refnn.mlp.backward` returns, to the last bit.
    """
    columns = list(zip(*delta))
    return [[w + lr * sum(map(_times, a, b)) for w, b in zip(w_row, columns)]
            for w_row, a in zip(weight, zip(*layer))]


def _difference(A, B):
    """A − B, entry by entry (``error = y - layer2``)."""
    return [[a - b for a, b in zip(a_row, b_row)] for a_row, b_row in zip(A, B)]


def _sigmoid_rows(z):
    """σ on every entry of a matrix: :func:`refnn.activations.sigmoid`, entry by entry.

    The training loop's hot spot: float sums take the formula inline, with
    no call per entry.  That equals ``sigmoid`` to the last bit for sums
    above −700; between −709.78 and −700, where ``sigmoid`` takes e^z, the
    two agree within one rounding (relative 1e-15, to the subnormal grid);
    a matrix holding a sum further out (e^(−z) overflows) or a sympy
    expression goes through ``sigmoid`` entry by entry.
    """
    try:
        return [[1 / (1 + _exp(-v)) for v in row] for row in z]
    except (OverflowError, TypeError):
        from refnn.activations import sigmoid       # the careful σ: the rare path, imported when taken
        return [list(map(sigmoid, row)) for row in z]


def _times_sigmoid_slope(error, layer):
    """error ⊙ σ'(layer), σ' from the layer's outputs: entry e · s(1 − s).

    :func:`refnn.activations.sigmoid_prime_from_output` on every entry of
    ``layer`` (the classic ``layer2*(1-layer2)``), times the error, without
    a call per entry.
    """
    return [[e * (s * (1 - s)) for e, s in zip(e_row, s_row)] for e_row, s_row in zip(error, layer)]


def _floats(matrix):
    """The matrix with every real number as a float: the same values to the training loop, faster.

    An int times a float makes the same float as two floats do, but takes a
    fifth longer; sympy expressions stay as they are.
    """
    try:
        return [[float(v) for v in row] for row in matrix]
    except TypeError:
        return matrix
