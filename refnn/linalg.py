"""Linear equations: X with A·X = B (``torch.linalg.solve``), and the seed's ``torch.gesv``.

Gaussian elimination with partial pivoting, then substitution, on nested
lists; :class:`Solve` is a Function, so gradients flow to A and B: from
A·X = B, ∂B = A·∂X and ∂A·X + A·∂X = 0 give

    grad_B = A⁻ᵀ·grad_X (one more solve, with Aᵀ),   grad_A = −grad_B·Xᵀ.

>>> from refnn.tensors import tensor
>>> A = tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
>>> b = tensor([3.0, 5.0], requires_grad=True)
>>> x = solve(A, b)                       # 2x + y = 3, x + 3y = 5
>>> [round(v, 6) for v in x.tolist()]
[0.8, 1.4]
>>> x.sum().backward()
>>> [round(v, 6) for v in b.grad.tolist()]
[0.4, 0.2]
"""
import numbers
import sys
from fractions import Fraction

from refnn import tensors
from refnn._checks import _isfinite, _shape, _is_number, _is_sequence, ShapeError
from refnn._nested import _broadcast_shape, _flatten, _shape_of
from refnn.autograd import Function

__all__ = ["Solve", "solve", "gesv"]


def _arithmetic(op, values):
    """Fraction for ints and Fractions (exact, of any size), float as soon as one float is present."""
    exact = all(isinstance(v, numbers.Rational) for v in values)
    for v in values:
        if not isinstance(v, numbers.Real):
            raise TypeError(f"{op}: expected ints, Fractions or floats, got {type(v).__name__} {v!r:.40}")
        if not exact and not _isfinite(v):
            raise ValueError(f"{op}: the system holds {v!r:.40}; elimination needs finite numbers")
    return Fraction if exact else float


def _lu(op, A, tiny=0):
    """P·A = L·U by Gaussian elimination with partial pivoting, packed as LAPACK's getrf packs it.

    Returns (LU, perm): LU holds U on and above the diagonal and L's
    multipliers below it; row i of P·A is row perm[i] of A.  A pivot no
    larger than tiny in size counts as zero.
    """
    n = len(A)
    LU, perm = [list(row) for row in A], list(range(n))
    for k in range(n):
        # partial pivoting: the largest |entry| of the column (the first of equals, as LAPACK)
        p = max(range(k, n), key=lambda i: abs(LU[i][k]))
        if LU[p][k] == 0:
            raise ValueError(f"{op}: A is singular: column {k} has no nonzero pivot, "
                             f"so A·X = B has no unique solution")
        if abs(LU[p][k]) <= tiny:
            raise ValueError(f"{op}: A is singular to working precision: column {k} has no pivot "
                             f"above n·ε·max|A| = {tiny:.2g}")
        LU[k], LU[p] = LU[p], LU[k]
        perm[k], perm[p] = perm[p], perm[k]
        for i in range(k + 1, n):
            m = LU[i][k] = LU[i][k] / LU[k][k]                # the multiplier, stored where the zero appears
            LU[i][k + 1:] = _minus_times(LU[i][k + 1:], m, LU[k][k + 1:])
    return LU, perm


def _lu_solve(LU, perm, B):
    """X with A·X = B from P·A = L·U: first L·Y = P·B, then U·X = Y (B a list of rows)."""
    n = len(LU)
    X = [list(B[p]) for p in perm]
    for i in range(n):                                        # forward: L has 1s on its diagonal
        for k in range(i):
            X[i] = _minus_times(X[i], LU[i][k], X[k])
    for i in reversed(range(n)):                              # backward through U
        for k in range(i + 1, n):
            X[i] = _minus_times(X[i], LU[i][k], X[k])
        X[i] = [v / LU[i][i] for v in X[i]]
    return X


def _minus_times(u, m, v):
    """u − m·v for two rows: one step of elimination."""
    return [a - m * b for a, b in zip(u, v)]


def _gesv(op, a, b):
    """(X, LU) for A·X = B, on checked values a (n×n) and b (n or n×k)."""
    sa, sb = _shape_of(a), _shape_of(b)
    number = _arithmetic(op, _flatten(a, sa) + _flatten(b, sb))
    A = [[number(v) for v in row] for row in a]
    # floats: a pivot within rounding error of zero counts as zero
    largest = max(map(abs, _flatten(A, sa)), default=0)
    tiny = 0 if number is Fraction else sa[0] * sys.float_info.epsilon * largest
    LU, perm = _lu(op, A, tiny)
    columns = [[number(v) for v in row] for row in b] if len(sb) == 2 else [[number(v)] for v in b]
    X = _lu_solve(LU, perm, columns)
    return (X if len(sb) == 2 else [row[0] for row in X]), LU


class Solve(Function):
    """X with A·X = B; grad_B = solve(Aᵀ, grad_X), grad_A = −grad_B·Xᵀ.

    >>> from refnn.tensors import tensor
    >>> A = tensor([[2.0, 0.0], [0.0, 4.0]], requires_grad=True)
    >>> x = solve(A, tensor([2.0, 2.0]))
    >>> x
    tensor([1.0, 0.5], grad_fn=<SolveBackward>)
    >>> x.sum().backward()
    >>> A.grad                                 # −(A⁻ᵀ·1)·xᵀ
    tensor([[-0.5, -0.25], [-0.25, -0.125]])
    """

    @staticmethod
    def forward(ctx, A, B):
        X, _ = _gesv("solve", A, B)
        ctx.save_for_backward(A, X)
        return X

    @staticmethod
    def backward(ctx, grad):
        A, X = ctx.saved_tensors
        At = [list(col) for col in zip(*A)]
        grad_b, _ = _gesv("solve", At, grad)
        if not ctx.needs_input_grad[0]:
            return None, grad_b
        rows = grad_b if _is_sequence(grad_b[0]) else [[g] for g in grad_b]
        xs = X if _is_sequence(X[0]) else [[x] for x in X]
        grad_a = [[-sum(g * x for g, x in zip(gi, xj)) for xj in xs] for gi in rows]
        return grad_a, grad_b


def _system(op, A, B, batch=False):
    """A and B as Tensors, checked: A square, B a vector or matrix with as many rows."""
    a, b = (x if isinstance(x, tensors.Tensor) else _as_tensor(op, x) for x in (A, B))
    if a.dim() < 2 or a.shape[-1] != a.shape[-2] or (a.dim() > 2 and not batch):
        raise ShapeError(f"{op}: A must be a square matrix{' (or a batch of them)' if batch else ''}, "
                         f"got shape {a.shape}")
    vector = b.dim() == 1 or (a.dim() > 2 and b.shape == a.shape[:-1])
    rows = b.shape[-1] if vector else b.shape[-2] if b.dim() >= 2 else None
    if b.dim() == 0 or rows != a.shape[-1] or (a.dim() == 2 and b.dim() > 2):
        raise ShapeError(f"{op}: B of shape {b.shape} does not fit A of shape {a.shape}: "
                         f"it needs {a.shape[-1]} rows")
    return a, b


def _as_tensor(op, x):
    if not (_is_number(x) or _is_sequence(x)):
        raise TypeError(f"{op}: expected a Tensor, a number or a nested list, got {type(x).__name__}")
    _shape(op, x)
    return tensors.Tensor(x)


def solve(A, B):
    """X with A·X = B, for a square matrix A (or a batch) and a vector or matrix B (``torch.linalg.solve``).

    Gaussian elimination with partial pivoting (the largest entry of each
    column becomes the pivot), then substitution.  Ints and Fractions give
    exact Fractions; any float makes the arithmetic float, as in PyTorch
    (which always returns floats).  Plain lists in, plain lists out.

    >>> A = [[2, 1], [1, 3]]
    >>> solve(A, [3, 5])                  # 2x + y = 3, x + 3y = 5
    [Fraction(4, 5), Fraction(7, 5)]
    >>> [round(v, 6) for v in solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0])]
    [0.8, 1.4]

    A matrix B is solved column by column: here A·X = I gives the inverse.

    >>> solve(A, [[1, 0], [0, 1]])
    [[Fraction(3, 5), Fraction(-1, 5)], [Fraction(-1, 5), Fraction(2, 5)]]

    A batch of systems, A of shape (*, n, n), is solved system by system, as
    in PyTorch; B's batch dims broadcast against A's (here one B for both):

    >>> solve([[[2, 0], [0, 4]], [[1, 0], [0, 2]]], [2, 2])
    [[Fraction(1, 1), Fraction(1, 2)], [Fraction(2, 1), Fraction(1, 1)]]

    A singular matrix has no unique solution: an error, not garbage.
    (PyTorch raises ``torch.linalg.LinAlgError``, a ``RuntimeError``;
    refnn raises ``ValueError``.)

    >>> solve([[1, 2], [2, 4]], [1, 1])
    Traceback (most recent call last):
        ...
    ValueError: solve: A is singular: column 1 has no nonzero pivot, so A·X = B has no unique solution

    In floats, rounding can leave a tiny pivot where exact arithmetic has 0;
    PyTorch then answers with numbers near 1e15.  refnn counts a float pivot
    no larger than n·ε·max|A| (ε = 2.2e-16) as zero: the matrix is singular
    to working precision.

    >>> solve([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [1.0, 1.0, 1.0])
    Traceback (most recent call last):
        ...
    ValueError: solve: A is singular to working precision: column 2 has no pivot above n·ε·max|A| = 6e-15
    """
    a, b = _system("solve", A, B, batch=True)
    X = Solve.apply(a, b) if a.dim() == 2 else _solve_batch(a, b)
    return X if isinstance(A, tensors.Tensor) or isinstance(B, tensors.Tensor) else X._value


def _solve_batch(a, b):
    """Solve every system of a batch (A of shape (*, n, n)), each a Solve step, stacked.

    PyTorch's rule: B is a batch of vectors when it is 1-d or has A's shape
    without the last dim, else a batch of matrices (*, n, k); the batch
    dims (*) broadcast.
    """
    from refnn.shapes import stack
    n, vectors = a.shape[-1], b.dim() == 1 or b.shape == a.shape[:-1]
    rhs = b.shape[-1:] if vectors else b.shape[-2:]
    batch = _broadcast_shape("solve", a.shape[:-2], b.shape[:len(b.shape) - len(rhs)])
    a_all = a.expand(*batch, n, n).reshape(-1, n, n)
    b_all = b.expand(*batch, *rhs).reshape(-1, *rhs)
    return stack([Solve.apply(a_all[i], b_all[i]) for i in range(len(a_all))]).reshape(*batch, *rhs)


def gesv(B, A):
    """(X, LU): the seed's ``torch.gesv(B, A)``, solving A·X = B; note B comes first.

    ``torch.gesv`` was renamed ``torch.solve`` (same arguments, same result),
    which was deprecated in PyTorch 1.9 and has since been removed; today it
    is ``torch.linalg.solve(A, B)``, here :func:`solve`.  Like the old
    function, this returns the LU factorisation of A beside X, packed into one
    matrix as LAPACK's ``getrf`` packs it (and ``torch.linalg.lu_factor(A).LU``
    today): U on and above the diagonal, the multipliers of L (whose diagonal
    is 1) below it, for A with its rows in pivot order.  The row order itself
    is not returned, as ``torch.gesv`` did not return it.

    >>> X, LU = gesv([[3], [5]], [[2, 1], [1, 3]])
    >>> X
    [[Fraction(4, 5)], [Fraction(7, 5)]]
    >>> LU          # rows not swapped: U = [[2, 1], [0, 5/2]], L = [[1, 0], [1/2, 1]]
    [[Fraction(2, 1), Fraction(1, 1)], [Fraction(1, 2), Fraction(5, 2)]]

    With pivoting, U starts from the row of the largest first entry:

    >>> gesv([1, 2], [[1, 2], [3, 4]])[1]
    [[Fraction(3, 1), Fraction(4, 1)], [Fraction(1, 3), Fraction(2, 3)]]
    >>> gesv([1, 2], [[1, 2, 3], [4, 5, 6]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: gesv: A must be a square matrix, got shape (2, 3)
    """
    a, b = _system("gesv", A, B)
    LU = _gesv("gesv", a._value, b._value)[1]         # first: its errors name gesv
    X = Solve.apply(a, b)
    if isinstance(A, tensors.Tensor) or isinstance(B, tensors.Tensor):
        return X, tensors.Tensor._result(LU, None)
    return X._value, LU
