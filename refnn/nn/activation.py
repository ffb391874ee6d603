"""Sigmoid, Tanh, ReLU: activation functions as layers, applied to every number of the input.

The functions themselves live in :mod:`refnn.activations`; these layers
apply them to a whole batch (any shape: (N, features), (N, C, H, W), ...)
and multiply the gradient by the slope on the way back.  The slope is read
from the saved output, as the seed's ``layer2*(1-layer2)`` does:

>>> from refnn import nn
>>> act = nn.Sigmoid()
>>> act([[0.0, 2.0]])[0][0]
0.5
>>> act.backward([[1.0, 1.0]])[0][0]             # σ'(0) = σ(0)(1 − σ(0)) = 1/4
0.25
"""
import math

from refnn.activations import relu, sigmoid, tanh
from refnn._checks import _shape
from refnn.nn._nested import _dims, _on_rows
from refnn.nn.module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU"]


class _Activation(Module):
    """An activation f on every number; backward multiplies each gradient by f' at that number.

    Each subclass gives ``_row(values)``, f on a list of numbers, and
    ``_chain_row(grads, outputs)``, ∂loss/∂x for a list of gradients and the
    outputs they belong to.  The layer hands them whole rows (the innermost
    lists), so that a batch costs one call per row, not one per number.
    """

    def forward(self, x):
        op = repr(self)
        dims = _dims(op, x)
        try:
            out = _on_rows(self._row, len(dims), x)
        except TypeError:
            _shape(op, x)           # the full check names what the function tripped on
            raise
        self._save(dims, out, len(dims))
        return out

    def backward(self, grad):
        out, depth = self._saved(grad)
        return _on_rows(self._chain_row, depth, grad, out)


class Sigmoid(_Activation):
    """σ(x) = 1 / (1 + e^(−x)) on every number; backward multiplies by σ(x)(1 − σ(x)).

    >>> from refnn import nn
    >>> act = nn.Sigmoid()
    >>> out = act([[-1.0, 0.0], [1.0, 2.0]])
    >>> [[round(v, 6) for v in row] for row in out]
    [[0.268941, 0.5], [0.731059, 0.880797]]
    >>> grad = act.backward([[1.0, 1.0], [1.0, 1.0]])
    >>> [[round(v, 6) for v in row] for row in grad]
    [[0.196612, 0.25], [0.196612, 0.104994]]

    Any shape, even one number, goes through; a non-number does not:

    >>> act(0.0)
    0.5
    >>> act([[1.0, "2"]])
    Traceback (most recent call last):
        ...
    TypeError: Sigmoid(): expected numbers, got str '2'
    """

    @staticmethod
    def _row(values):
        return list(map(sigmoid, values))

    @staticmethod
    def _chain_row(grads, outputs):
        return [g * s * (1 - s) for g, s in zip(grads, outputs)]      # d/dx σ = σ(1 − σ), from the output s


class Tanh(_Activation):
    """tanh(x) on every number; backward multiplies by 1 − tanh(x)².

    >>> from refnn import nn
    >>> act = nn.Tanh()
    >>> [round(v, 6) for v in act([-1.0, 0.0, 1.0])]
    [-0.761594, 0.0, 0.761594]
    >>> [round(v, 6) for v in act.backward([1.0, 1.0, 1.0])]
    [0.419974, 1.0, 0.419974]
    """

    @staticmethod
    def _row(values):
        try:
            return list(map(math.tanh, values))
        except TypeError:
            return list(map(tanh, values))      # sympy expressions (refnn's tanh names any other type)

    @staticmethod
    def _chain_row(grads, outputs):
        return [g * (1 - t * t) for g, t in zip(grads, outputs)]      # d/dx tanh = 1 − tanh², from output t


class ReLU(_Activation):
    """relu(x) = max(0, x) on every number; backward lets the gradient through where x > 0.

    At x = 0 the slope is taken as 0, as in PyTorch.  A negative float
    becomes 0.0, as in PyTorch (a float times the int 0 costs the next
    layer a fifth more time); ints and Fractions go through
    :func:`refnn.activations.relu` and keep an exact 0.

    >>> from refnn import nn
    >>> act = nn.ReLU()
    >>> act([[-2.0, 0.0, 3.0]])
    [[0.0, 0.0, 3.0]]
    >>> act.backward([[5.0, 5.0, 5.0]])
    [[0.0, 0.0, 5.0]]
    >>> act([-2, 3])
    [0, 3]
    """

    @staticmethod
    def _row(values):
        if values and type(values[0]) is float:
            try:
                return [0.0 if v <= 0 else v for v in values]     # relu with PyTorch's 0.0, written out
            except TypeError:
                pass                            # not all floats after all: relu says what it tripped on
        return list(map(relu, values))          # ints, Fractions: an exact 0; sympy: Max(0, z)

    @staticmethod
    def _chain_row(grads, outputs):
        return [g if y > 0 else 0.0 for g, y in zip(grads, outputs)]  # relu' = 1 where the output is positive
