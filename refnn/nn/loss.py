"""Losses: one number that says how far a network's output is from the target.

A loss is a module too: ``loss = criterion(output, target)`` returns a
number, and ``criterion.backward()`` returns ∂loss/∂output, the gradient
that ``model.backward`` takes.  ``reduction="mean"`` (the default) divides
the sum of the per-sample losses by their count, ``"sum"`` does not.

>>> from refnn import nn
>>> criterion = nn.MSELoss()
>>> criterion([[0.5], [1.0]], [[0.0], [1.0]])      # ((0.5 − 0)² + 0²) / 2
0.125
>>> criterion.backward()                            # 2·(output − target) / 2
[[0.5], [0.0]]
"""
import math
from operator import sub

from refnn._checks import _check_finite, _is_sequence, _isfinite, _shape, ShapeError, _vector_or_matrix
from refnn.nn._nested import _exp, _log
from refnn.nn.module import Module
from refnn._nested import _flatten, _nest

__all__ = ["MSELoss", "BCELoss", "CrossEntropyLoss"]


class _Loss(Module):
    """A criterion with PyTorch's ``reduction``: the mean or the sum of the per-entry losses."""

    def __init__(self, reduction="mean"):
        super().__init__()
        if reduction not in ("mean", "sum"):
            raise ValueError(f"{type(self).__name__}: reduction must be 'mean' or 'sum', "
                             f"got {reduction!r:.40}")
        self.reduction = reduction

    def _pair(self, input, target):
        """The numbers of input and target, in reading order, checked to have one shape and be finite."""
        op = repr(self)
        dims, target_dims = _shape(op, input), _shape(op, target)
        if dims != target_dims:
            raise ShapeError(f"{op}: input of shape {dims} and target of shape {target_dims} differ")
        if 0 in dims:
            raise ShapeError(f"{op}: input of shape {dims} is empty")
        x, t = _flatten(input, dims), _flatten(target, dims)
        _check_finite(op, "input", x)
        _check_finite(op, "target", t)
        return x, t, dims

    def _reduce(self, total, count):
        """The mean or the sum; a loss that overflows is an error, not an inf that looks like a number."""
        loss = total / count if self.reduction == "mean" else total
        if not _isfinite(loss):
            raise ValueError(f"{self!r}: the loss overflows a float ({loss!r}); scale the input and target "
                             f"down")
        return loss


class MSELoss(_Loss):
    """Mean squared error: Σ (output − target)² / n over all n entries (or the sum).

    ∂loss/∂output = 2·(output − target) / n (without the /n for "sum").

    >>> from refnn import nn
    >>> criterion = nn.MSELoss(reduction="sum")
    >>> criterion([1.0, 2.0, 4.0], [1.0, 0.0, 1.0])       # 0 + 4 + 9
    13.0
    >>> criterion.backward()
    [0.0, 4.0, 6.0]

    The shapes must agree (PyTorch would broadcast, with a warning):

    >>> criterion([[1.0], [2.0]], [1.0, 2.0])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: MSELoss(): input of shape (2, 1) and target of shape (2,) differ
    """

    def forward(self, input, target):
        """The loss, a number; the gradient waits for ``backward``.

        >>> from refnn import nn
        >>> nn.MSELoss()([[0.0, 1.0]], [[1.0, 1.0]])
        0.5
        >>> nn.MSELoss()([float("nan")], [1.0])
        Traceback (most recent call last):
            ...
        ValueError: MSELoss(): input holds nan; learning needs finite numbers
        >>> nn.MSELoss()([1e200], [-1e200])
        Traceback (most recent call last):
            ...
        ValueError: MSELoss(): the loss overflows a float (inf); scale the input and target down
        """
        x, t, dims = self._pair(input, target)
        diff = list(map(sub, x, t))
        loss = self._reduce(sum(d * d for d in diff), len(diff))
        self._save((), diff, dims)
        return loss

    def backward(self, grad=1.0):
        """∂loss/∂output = 2·(output − target)/n, shaped like the output (times ``grad``, ∂L/∂loss).

        >>> from refnn import nn
        >>> criterion = nn.MSELoss()
        >>> _ = criterion([3.0, 1.0], [1.0, 1.0])
        >>> criterion.backward()
        [2.0, 0.0]
        """
        diff, dims = self._saved(grad)
        scale = grad * (2 / len(diff) if self.reduction == "mean" else 2)      # d/dx (x − t)² = 2(x − t)
        return _nest([scale * d for d in diff], dims)


# PyTorch divides BCE's gradient by max(p(1 − p), EPSILON) with EPSILON = 1e-12 held
# as a C float: float32(1e-12), which is this double.
_EPSILON = 9.999999960041972e-13


def _log_clamped(p):
    """log p, never below −100 (PyTorch's clamp, so that log 0 gives −100, not −∞)."""
    try:
        return max(math.log(p), -100.0) if p > 0 else -100.0
    except TypeError:
        return _log(p)          # a sympy expression: the formula itself


class BCELoss(_Loss):
    """Binary cross-entropy: −Σ [t·log p + (1 − t)·log(1 − p)] / n, for probabilities p.

    The output p must lie in [0, 1] (after a Sigmoid), the target t too
    (usually 0 or 1).  As in PyTorch, each log is clamped at −100, so a
    saturated output gives a finite loss:

    >>> from refnn import nn
    >>> criterion = nn.BCELoss()
    >>> round(criterion([0.9, 0.2], [1, 0]), 6)            # −(log 0.9 + log 0.8) / 2
    0.164252
    >>> criterion([1.0, 0.0], [0, 1])                       # both logs clamped at −100
    100.0

    The gradient is PyTorch's, (p − t) / max(p(1 − p), ε) / n with
    ε = 10⁻¹² (as a 32-bit float, as PyTorch keeps it): the derivative of
    the loss wherever no log is clamped, and huge but finite where it is.

    >>> [f"{g:.6e}" for g in criterion.backward()]         # ±1/ε/2
    ['5.000000e+11', '-5.000000e+11']
    >>> criterion([1.5], [1])
    Traceback (most recent call last):
        ...
    ValueError: BCELoss(): input[0] = 1.5 is not a probability in [0, 1]

    PyTorch checks only the input; refnn refuses a target outside [0, 1]
    as well, and offers no ``weight``.
    """

    def forward(self, input, target):
        """The loss, a number.

        >>> from refnn import nn
        >>> round(nn.BCELoss(reduction="sum")([[0.5], [0.5]], [[1], [0]]), 6)     # 2·log 2
        1.386294
        """
        op = repr(self)
        p, t, dims = self._pair(input, target)
        for name, values in (("input", p), ("target", t)):
            for k, v in enumerate(values):
                if _outside_unit_interval(v):
                    raise ValueError(f"{op}: {name}[{k}] = {v!r} is not a probability in [0, 1]")
        total = -sum(tv * _log_clamped(pv) + (1 - tv) * _log_clamped(1 - pv) for pv, tv in zip(p, t))
        loss = self._reduce(total, len(p))
        self._save((), p, t, dims)
        return loss

    def backward(self, grad=1.0):
        """∂loss/∂p = (p − t) / max(p(1 − p), ε) / n, shaped like the output (ε ≈ 10⁻¹², as PyTorch).

        >>> from refnn import nn
        >>> criterion = nn.BCELoss()
        >>> _ = criterion([0.5, 0.5], [1, 0])
        >>> criterion.backward()                      # (0.5 − 1)/0.25/2, (0.5 − 0)/0.25/2
        [-1.0, 1.0]
        """
        p, t, dims = self._saved(grad)
        scale = grad / len(p) if self.reduction == "mean" else grad
        return _nest([scale * (pv - tv) / max(pv * (1 - pv), _EPSILON) for pv, tv in zip(p, t)], dims)


def _outside_unit_interval(v):
    try:
        return not 0 <= v <= 1
    except TypeError:
        return False            # a sympy symbol stands for a probability


def _log_softmax(row):
    """log(e^v / Σ_u e^u) for every v of a row, as (v − m) − log Σ_u e^(u − m) with m = max(row).

    The shift by the largest logit keeps every e^(u − m) at most 1, so none
    overflows, and subtracting m before the log keeps the small differences exact.
    """
    try:
        m = max(row)
    except TypeError:
        m = 0                   # sympy symbols have no order; the formula needs no shift to be exact
    shifted = [v - m for v in row]
    log_total = _log(sum(_exp(s) for s in shifted))
    return [s - log_total for s in shifted]


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits and class indices: mean over samples of log Σ_c e^(x_c) − x_target.

    ``input`` holds one row of C scores (logits, any real numbers) per
    sample, ``target`` one class index per sample (an int from 0 to C − 1).
    It is softmax followed by the negative log of the target's
    probability, −log(e^(x_t) / Σ_c e^(x_c)), computed stably (log-sum-exp
    shifted by the largest logit).  ∂loss/∂x =
    (softmax(x) − onehot(target)) / N.

    >>> from refnn import nn
    >>> criterion = nn.CrossEntropyLoss()
    >>> round(criterion([[2.0, 0.0, 0.0]], [0]), 6)         # log(e² + 2) − 2
    0.239545
    >>> [round(g, 6) for g in criterion.backward()[0]]      # softmax − [1, 0, 0]
    [-0.213014, 0.106507, 0.106507]

    Huge logits do not overflow:

    >>> criterion([[1000.0, 0.0]], [1])
    1000.0

    A label must name a class; class probabilities as targets, ``weight``,
    ``ignore_index`` and ``label_smoothing`` are not offered:

    >>> criterion([[1.0, 2.0]], [2])
    Traceback (most recent call last):
        ...
    ValueError: CrossEntropyLoss(): target[0] = 2 is not a class index of 2 classes (0 to 1)
    >>> criterion([[1.0, 2.0]], [1.0])
    Traceback (most recent call last):
        ...
    TypeError: CrossEntropyLoss(): target[0] = 1.0 is a float; a class index is an int
    """

    def forward(self, input, target):
        """The loss, a number, for logits (N, C) and N class indices.

        >>> from refnn import nn
        >>> round(nn.CrossEntropyLoss(reduction="sum")([[0.0, 0.0], [0.0, 0.0]], [0, 1]), 6)   # 2·log 2
        1.386294
        >>> nn.CrossEntropyLoss()([[0.0, 0.0]], [0, 1])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: CrossEntropyLoss(): input of shape (1, 2) and 2 targets: expected one \
class index per row
        """
        op = repr(self)
        dims = _vector_or_matrix(op, input)
        if len(dims) != 2:
            raise ShapeError(f"{op}: input of shape {dims}: expected logits of shape (N, C)")
        self._check_labels(op, target, *dims)
        _check_finite(op, "input", input)
        log_p = [_log_softmax(row) for row in input]
        total = sum(-row[t] for row, t in zip(log_p, target))     # −Σ log p, as 0 (not −0.0) when certain
        loss = self._reduce(total, dims[0])
        self._save((), log_p, list(target))
        return loss

    @staticmethod
    def _check_labels(op, target, n, classes):
        if not _is_sequence(target):
            raise TypeError(f"{op}: target must be a list of class indices, got {type(target).__name__}")
        if len(target) != n:
            raise ShapeError(f"{op}: input of shape {(n, classes)} and {len(target)} targets: "
                             f"expected one class index per row")
        for k, t in enumerate(target):
            if isinstance(t, bool) or not isinstance(t, int):
                raise TypeError(f"{op}: target[{k}] = {t!r:.40} is a {type(t).__name__}; "
                                f"a class index is an int")
            if not 0 <= t < classes:
                raise ValueError(f"{op}: target[{k}] = {t} is not a class index of {classes} classes "
                                 f"(0 to {classes - 1})")

    def backward(self, grad=1.0):
        """∂loss/∂x = (softmax(x) − onehot(target)) / N, one row per sample.

        >>> from refnn import nn
        >>> criterion = nn.CrossEntropyLoss()
        >>> _ = criterion([[0.0, 0.0], [0.0, 0.0]], [0, 1])
        >>> criterion.backward()                      # (½ − 1)/2, ½/2; ½/2, (½ − 1)/2
        [[-0.25, 0.25], [0.25, -0.25]]
        """
        log_p, target = self._saved(grad)
        scale = grad / len(log_p) if self.reduction == "mean" else grad
        return [[scale * (_exp(lp) - (c == t)) for c, lp in enumerate(row)]           # softmax − onehot
                for row, t in zip(log_p, target)]
