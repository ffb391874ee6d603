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
from refnn.activations import relu, sigmoid, tanh
from refnn.tensor import _map
from refnn.matrix import _shape
from refnn.nn._nested import _dims
from refnn.nn.module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU"]


class _Activation(Module):
    """An activation f on every number; backward multiplies each gradient by f' at that number."""

    function = None             # f, a staticmethod in each subclass

    def forward(self, x):
        op = repr(self)
        dims = _dims(op, x)
        try:
            out = _map(self.function, len(dims), x)
        except TypeError:
            _shape(op, x)           # the full check names what the function tripped on
            raise
        self._save(dims, out, len(dims))
        return out

    def backward(self, grad):
        out, depth = self._saved(grad)
        return _map(self._chain, depth, grad, out)


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

    function = staticmethod(sigmoid)

    @staticmethod
    def _chain(g, s):
        return g * s * (1 - s)          # d/dx σ = σ(1 − σ), from the output s


class Tanh(_Activation):
    """tanh(x) on every number; backward multiplies by 1 − tanh(x)².

    >>> from refnn import nn
    >>> act = nn.Tanh()
    >>> [round(v, 6) for v in act([-1.0, 0.0, 1.0])]
    [-0.761594, 0.0, 0.761594]
    >>> [round(v, 6) for v in act.backward([1.0, 1.0, 1.0])]
    [0.419974, 1.0, 0.419974]
    """

    function = staticmethod(tanh)

    @staticmethod
    def _chain(g, t):
        return g * (1 - t * t)          # d/dx tanh = 1 − tanh², from the output t


class ReLU(_Activation):
    """relu(x) = max(0, x) on every number; backward lets the gradient through where x > 0.

    At x = 0 the slope is taken as 0, as in PyTorch.  A negative number
    becomes the int 0 (from :func:`refnn.activations.relu`), which equals
    PyTorch's 0.0.

    >>> from refnn import nn
    >>> act = nn.ReLU()
    >>> act([[-2.0, 0.0, 3.0]])
    [[0, 0, 3.0]]
    >>> act.backward([[5.0, 5.0, 5.0]])
    [[0.0, 0.0, 5.0]]
    """

    function = staticmethod(relu)

    @staticmethod
    def _chain(g, y):
        return g if y > 0 else 0.0      # relu' = 1 where the output is positive, else 0
