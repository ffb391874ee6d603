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
from refnn.nn.module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU"]


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
