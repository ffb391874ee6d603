"""The unchecked kernels of the matrix products, shared by the floors that multiply.

Their callers have checked the shapes; these only compute, at the speed of
plain Python (``sum(map(mul, ...))`` makes each dot product in C).
"""
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
