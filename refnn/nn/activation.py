"""Sigmoid, Tanh, ReLU: activation functions as layers, applied to every number of the input.

The functions themselves live in :mod:`refnn.activations`; these layers
apply them to a whole batch (any shape: (N, features), (N, C, H, W), ...)
through :mod:`refnn.nn.functional`, whose Functions multiply the gradient
by the slope on the way back.  The slope is read from the saved output, as
the seed's ``layer2*(1-layer2)`` does:

>>> from refnn import nn
>>> from refnn.tensors import tensor
>>> x = tensor([[0.0, 2.0]], requires_grad=True)
>>> y = nn.Sigmoid()(x)
>>> y.tolist()[0][0]
0.5
>>> y.sum().backward()
>>> x.grad.tolist()[0][0]                    # σ'(0) = σ(0)(1 − σ(0)) = 1/4
0.25
"""
from refnn.nn import functional as F
from refnn.nn._nested import _real_number
from refnn.nn.module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "LogSoftmax"]


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e^(−x)) on every number; backward multiplies by σ(x)(1 − σ(x)).

    >>> from refnn import nn
    >>> act = nn.Sigmoid()
    >>> out = act([[-1.0, 0.0], [1.0, 2.0]])
    >>> [[round(v, 6) for v in row] for row in out.tolist()]
    [[0.268941, 0.5], [0.731059, 0.880797]]

    Any shape, even one number, goes through; a non-number does not:

    >>> act(0.0)
    tensor(0.5)
    >>> act([[1.0, "2"]])
    Traceback (most recent call last):
        ...
    TypeError: sigmoid: expected numbers, got str '2'
    """

    def forward(self, input):
        """σ of every number of input.

        >>> Sigmoid()([0.0, 0.0]).tolist()
        [0.5, 0.5]
        """
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(x) on every number; backward multiplies by 1 − tanh(x)².

    >>> from refnn import nn
    >>> [round(v, 6) for v in nn.Tanh()([-1.0, 0.0, 1.0]).tolist()]
    [-0.761594, 0.0, 0.761594]
    """

    def forward(self, input):
        """tanh of every number of input.

        >>> Tanh()([0.0]).tolist()
        [0.0]
        """
        return F.tanh(input)


class ReLU(Module):
    """relu(x) = max(0, x) on every number; backward lets the gradient through where x > 0.

    At x = 0 the slope is taken as 0, as in PyTorch.  A negative float
    becomes 0.0, as in PyTorch; ints keep an exact 0.

    >>> from refnn import nn
    >>> nn.ReLU()([[-2.0, 0.0, 3.0]])
    tensor([[0.0, 0.0, 3.0]])
    >>> nn.ReLU()([-2, 3])
    tensor([0, 3])
    """

    def __init__(self, inplace=False):
        super().__init__()
        if inplace is not False:
            raise ValueError("ReLU: inplace=True is not offered by refnn (only False)")
        self.inplace = inplace

    def forward(self, input):
        """max(0, x) for every number x of input.

        >>> ReLU()([-1.0, 1.0]).tolist()
        [0.0, 1.0]
        """
        return F.relu(input)


# --- #12: LeakyReLU, Softmax, LogSoftmax ------------------------------------------

class LeakyReLU(Module):
    """x where x > 0, else negative_slope·x: a ReLU whose negative side keeps a small slope.

    A ReLU that only ever sees negative inputs passes no gradient and stops
    learning ("dies"); the leak of 0.01 keeps a little gradient flowing:

    >>> from refnn import nn
    >>> from refnn.tensors import tensor
    >>> act = nn.LeakyReLU()
    >>> act
    LeakyReLU(negative_slope=0.01)
    >>> x = tensor([[-100.0, 2.0]], requires_grad=True)
    >>> y = act(x)
    >>> y
    tensor([[-1.0, 2.0]], grad_fn=<LeakyReLUBackward>)
    >>> y.sum().backward()
    >>> x.grad                                    # 0.01 of the gradient still reaches the negative input
    tensor([[0.01, 1.0]])
    """

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        if inplace is not False:
            raise ValueError("LeakyReLU: inplace=True is not offered by refnn (only False)")
        self.negative_slope = _real_number("LeakyReLU", "negative_slope", negative_slope)
        self.inplace = inplace

    def forward(self, input):
        """leaky_relu of every number of input.

        >>> LeakyReLU(0.5)([-2.0, 2.0]).tolist()
        [-1.0, 2.0]
        """
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        """``negative_slope=…`` as PyTorch prints it."""
        return f"negative_slope={self.negative_slope}"


class _AlongDim(Module):
    """A module of one option, the dim its function works along (None: PyTorch's implicit choice)."""

    def __init__(self, dim=None):
        super().__init__()
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int)):
            raise TypeError(f"{type(self).__name__}: dim must be an int or None, got {type(dim).__name__}")
        self.dim = dim

    def extra_repr(self):
        """``dim=…`` as PyTorch prints it."""
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """e^x / Σ e^x along dim: scores become probabilities that add up to 1 (along dim).

    >>> from refnn import nn
    >>> sm = nn.Softmax(dim=1)
    >>> sm
    Softmax(dim=1)
    >>> probabilities = sm([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    >>> [[round(p, 6) for p in row] for row in probabilities.tolist()]      # each row adds up to 1
    [[0.090031, 0.244728, 0.665241], [0.333333, 0.333333, 0.333333]]
    >>> nn.Softmax(dim=0)([[0.0, 1.0], [0.0, 1.0]])                          # each column adds up to 1
    tensor([[0.5, 0.5], [0.5, 0.5]])
    """

    def forward(self, input):
        """softmax(input) along self.dim.

        >>> Softmax(dim=-1)([0.0, 0.0]).tolist()
        [0.5, 0.5]
        """
        return F.softmax(input, self.dim)


class LogSoftmax(_AlongDim):
    """log softmax(x) along dim, computed stably: what NLLLoss expects (together: CrossEntropyLoss).

    >>> from refnn import nn
    >>> log_p = nn.LogSoftmax(dim=1)([[2.0, 0.0, 0.0]])
    >>> nn.NLLLoss()(log_p, [0]).item() == nn.CrossEntropyLoss()([[2.0, 0.0, 0.0]], [0]).item()
    True
    >>> nn.LogSoftmax(dim=1)([[1000.0, 0.0]])                 # no overflow
    tensor([[0.0, -1000.0]])
    """

    def forward(self, input):
        """log_softmax(input) along self.dim.

        >>> [round(v, 6) for v in LogSoftmax(dim=0)([0.0, 0.0]).tolist()]
        [-0.693147, -0.693147]
        """
        return F.log_softmax(input, self.dim)
