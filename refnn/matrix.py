"""Vectors are lists of numbers; matrices are lists of rows.

This is the ground floor of refnn: everything a network computes is built
from these few operations.  Forward propagation is row-by-column dot
products: each entry of the next layer is one row of the input times one
column of the weight matrix.  The seed's worked example, entry (0, 0),
which the seed writes as ``layer0 = 1*2 + 1*3 + (-1)*0`` (in the book's
notation, see :mod:`refnn.mlp`, it is entry (0, 0) of ``layer0 · weight0``)::

    1*2 + 1*3 + (-1)*0 = 5

>>> x = [[1, 1, -1], [4, 0, 2], [1, 0, 0]]
>>> weight = [[2, -1], [3, -2], [0, 1]]
>>> shape(x), shape(weight)
((3, 3), (3, 2))
>>> matmul(x, weight)
[[5, -4], [8, -2], [2, -1]]

The numbers are duck-typed: ints stay ints, Fractions stay exact, and sympy
symbols build expressions, so the same code trains on floats and derives
gradients symbolically.

>>> from fractions import Fraction
>>> matmul([[Fraction(1, 2), 1]], [[2], [Fraction(1, 3)]])
[[Fraction(4, 3)]]

Wrong shapes raise :class:`ShapeError`, a ``ValueError`` whose message names
the operation and both shapes (:func:`matmul` shows one); non-numbers raise
``TypeError``.  No function here changes its arguments: every result is a new
list.  The functions come in the order of docs/01: shapes, row times column,
the activation on every entry, the error; then the rest of the toolbox.

NaN and infinities are numbers here: they follow IEEE arithmetic
(``nan`` in, ``nan`` out).  The places that learn from data (the perceptron,
the MLP, the losses) refuse them before the first step.
"""
from operator import add as _plus, mul as _times, sub as _minus

from refnn._checks import (
    ShapeError, _entrywise_shapes, _function, _matmul_shapes, _matrix, _numbers_named, _same_length,
    _scalar, _shape, _square_size, _vector, _vector_or_matrix, _zeros_size,
)
from refnn._kernels import _transpose

__all__ = [
    "ShapeError", "shape", "zeros", "identity", "transpose", "dot", "matmul",
    "add", "sub", "hadamard", "scale", "apply", "outer",
]


# --- shapes --------------------------------------------------------------

def shape(x):
    """The shape of a nested list: (rows, cols) for a matrix, (n,) for a vector, () for a number.

    >>> shape([[2, -1], [3, -2], [0, 1]])
    (3, 2)
    >>> shape([1, 1, -1])
    (3,)
    >>> shape(5)
    ()

    Nested lists of any depth (up to 64) have a shape; an empty list has length 0.

    >>> shape([[[1, 2]], [[3, 4]]]), shape([])
    ((2, 1, 2), (0,))

    A ragged list has none:

    >>> shape([[1, 2, 3], [4, 5]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: shape: ragged list: at depth 1, item 1 has 2 entries where item 0 has 3 entries
    """
    return _shape("shape", x)


def transpose(A):
    """Aᵀ, with Aᵀ[j][i] = A[i][j]: rows become columns.

    >>> weight = [[2, -1], [3, -2], [0, 1]]
    >>> transpose(weight)
    [[2, 3, 0], [-1, -2, 1]]

    The rows of ``transpose(weight)`` are the columns of ``weight``, which
    the seed's worked example calls ``weight0`` and ``weight1`` (the book
    calls them ``column0`` and ``column1``).  Transposing twice gives A back:

    >>> transpose(transpose(weight)) == weight
    True

    A vector has no rows to turn into columns; wrap it as ``[v]`` for a row
    or use :func:`outer`.

    >>> transpose([[1, 2, 3]])
    [[1], [2], [3]]
    >>> transpose([1, 2, 3])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: transpose: expected a matrix (a list of rows), got a vector of shape (3,)
    """
    _matrix("transpose", A)
    return _transpose(A)        # zip(*A): the j-th entries of all rows, column j, as row j


# --- products ------------------------------------------------------------

def dot(u, v):
    """u · v = Σ_i u_i v_i, the dot product of two vectors of one length.

    The first neuron of the seed's hidden layer, one row of ``x`` times
    the first column of ``weight``:

    >>> dot([1, 1, -1], [2, 3, 0])          # 1*2 + 1*3 + (-1)*0
    5

    A vector with itself gives its squared length; orthogonal vectors give zero:

    >>> dot([3, 4], [3, 4])
    25
    >>> dot([1, 0], [0, 1])
    0
    >>> dot([1, 2, 3], [1, 2])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: dot: (3,) and (2,) differ
    """
    _same_length("dot", u, v)
    return sum(map(_times, u, v))           # Σ_i u_i·v_i


def matmul(A, B):
    """C = A @ B, with C[i][j] = Σ_k A[i][k]·B[k][j]: row i of A times column j of B.

    The seed's worked example: entry (0, 0) is row 0 of ``x`` times column 0
    of ``weight``, ``1*2 + 1*3 + (-1)*0 = 5``.

    >>> x = [[1, 1, -1], [4, 0, 2], [1, 0, 0]]
    >>> weight = [[2, -1], [3, -2], [0, 1]]
    >>> layer1 = matmul(x, weight)
    >>> layer1[0][0]
    5
    >>> layer1
    [[5, -4], [8, -2], [2, -1]]

    As in PyTorch, a vector on the left is a row and a vector on the right a
    column, and the result is a vector:

    >>> matmul([1, 1, -1], weight)
    [5, -4]
    >>> matmul(weight, [1, 1])
    [1, 1, 1]

    The inner sizes must agree: columns of A, rows of B.

    >>> matmul(x, [[1, 2], [3, 4]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: matmul: (3, 3) @ (2, 2): inner sizes 3 and 2 differ

    To stay at the speed of plain Python, the product checks only lengths
    and lets Python's arithmetic find a non-number (then it says which, as
    :func:`shape` does).  A complex number is still a number to Python, so
    it passes here (and gives a complex product), while :func:`add` and
    :func:`shape` refuse it.
    """
    sa, sb = _matmul_shapes(A, B)                       # inner sizes agree, or ShapeError
    rows = A if len(sa) == 2 else [A]                   # a vector on the left is one row,
    columns = list(zip(*B)) if len(sb) == 2 else [B]    # on the right one column
    with _numbers_named("matmul", A, B):
        C = [[sum(map(_times, row, column)) for column in columns] for row in rows]   # Σ_k A[i][k]·B[k][j]
    if len(sb) == 1:
        C = [row[0] for row in C]
    return C[0] if len(sa) == 1 else C


# --- entry by entry ------------------------------------------------------

def apply(fn, A):
    """fn applied to every entry of a vector or matrix (``map`` for nested lists).

    This is how an activation reaches every neuron of a layer:

    >>> from refnn.activations import relu
    >>> apply(relu, [[5, -4], [8, -2]])
    [[5, 0], [8, 0]]
    >>> apply(abs, [-1, 2, -3])
    [1, 2, 3]
    """
    _function("apply", "fn", fn)
    dims = _vector_or_matrix("apply", A)
    return [list(map(fn, row)) for row in A] if len(dims) == 2 else list(map(fn, A))


def sub(A, B):
    """A − B entry by entry; the seed's error ``y - layer2`` is one.

    >>> y = [[0], [1], [1], [0]]
    >>> layer2 = [[0.25], [0.75], [0.5], [0.5]]
    >>> sub(y, layer2)
    [[-0.25], [0.25], [0.5], [-0.5]]

    As with :func:`add`, a vector is taken from every row:

    >>> sub([[1, 2], [3, 4]], [1, 1])
    [[0, 1], [2, 3]]
    """
    return _entry_by_entry("sub", _minus, A, B)


def add(A, B):
    """A + B entry by entry, for two vectors or two matrices of one shape.

    >>> add([[1, 2], [3, 4]], [[10, 20], [30, 40]])
    [[11, 22], [33, 44]]

    A vector as long as A's rows is added to every row, as PyTorch
    broadcasts it: this is how a bias reaches every sample of a batch.

    >>> add([[1, 2], [3, 4]], [10, 20])
    [[11, 22], [13, 24]]
    >>> add([[1, 2], [3, 4]], [[1, 2, 3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: add: (2, 2) and (1, 3) differ
    """
    return _entry_by_entry("add", _plus, A, B)


def hadamard(A, B):
    """A ⊙ B, the entry-by-entry product (NumPy's ``*`` on arrays).

    Back-propagation multiplies the error by the slope of the activation
    this way: ``delta = error ⊙ sigmoid'``.

    >>> hadamard([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    [[5, 12], [21, 32]]
    >>> hadamard([1, 2, 3], [0, 1, 0])
    [0, 2, 0]
    """
    return _entry_by_entry("hadamard", _times, A, B)


def scale(A, c):
    """c · A, every entry times the number c (the learning rate, say).

    >>> scale([[1, -2], [3, 4]], 10)
    [[10, -20], [30, 40]]
    >>> scale([1, 2], 0.5)
    [0.5, 1.0]
    """
    dims = _vector_or_matrix("scale", A)
    _scalar("scale", "c", c)
    return [[a * c for a in row] for row in A] if len(dims) == 2 else [a * c for a in A]


def outer(u, v):
    """u ⊗ v, the matrix with entry (i, j) = u_i · v_j.

    The gradient of a weight matrix is an outer product: input times error.

    >>> outer([1, 2], [3, 4, 5])
    [[3, 4, 5], [6, 8, 10]]

    It is the matrix product of a column and a row:

    >>> outer([1, 2], [3, 4, 5]) == matmul([[1], [2]], [[3, 4, 5]])
    True
    """
    _vector("outer", u), _vector("outer", v)
    return [[a * b for b in v] for a in u]


# --- building ------------------------------------------------------------

def zeros(rows, cols=None):
    """A vector of ``rows`` zeros, or a ``rows`` x ``cols`` matrix of zeros.

    The zeros are ints, so they take on the type of whatever is added to them.

    >>> zeros(3)
    [0, 0, 0]
    >>> zeros(2, 3)
    [[0, 0, 0], [0, 0, 0]]

    Every row is a list of its own: changing one changes no other.

    >>> m = zeros(2, 2); m[0][0] = 1; m
    [[1, 0], [0, 0]]

    A size is counted before anything is built: a list of Python numbers
    longer than 10**8 would fill gigabytes, so it is refused at once.
    """
    _zeros_size(rows, cols)
    return [0] * rows if cols is None else [[0] * cols for _ in range(rows)]


def identity(n):
    """The n x n identity matrix I, with I[i][j] = 1 if i == j else 0.

    >>> identity(3)
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    >>> A = [[2, -1], [3, -2]]
    >>> matmul(A, identity(2)) == A
    True
    """
    _square_size("identity", n)
    return [[int(i == j) for j in range(n)] for i in range(n)]


# --- helpers ---------------------------------------------------------------

def _entry_by_entry(op, f, A, B):
    """f(a, b) for each pair of entries; a vector B goes with every row of A (PyTorch's broadcast)."""
    sa, sb = _entrywise_shapes(op, A, B)
    if len(sa) == 1:
        return list(map(f, A, B))
    if len(sb) == 1:
        return [list(map(f, row, B)) for row in A]
    return [list(map(f, a, b)) for a, b in zip(A, B)]
