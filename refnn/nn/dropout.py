"""Dropout: in training, each number zeroed with probability p and the rest scaled by 1/(1 − p).

Dropping a random part of a layer's outputs at every step keeps a network
from leaning on any one of them (Hinton et al., 2012; Srivastava et al.,
2014).  The survivors are scaled by 1/(1 − p), so each number keeps its
expected value, and at evaluation (``model.eval()``) Dropout lets
everything through unchanged:

>>> from refnn import nn, init
>>> drop = nn.Dropout(p=0.5)
>>> _ = init.manual_seed(0)
>>> drop([[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]])           # training: about half dropped, the rest doubled
tensor([[0.0, 0.0, 2.0, 2.0, 0.0, 2.0]])
>>> drop.eval()([[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]])
tensor([[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]])

The mask is drawn from refnn's default generator, so ``init.manual_seed``
makes a run repeatable on every machine (but not equal to PyTorch's draws).
"""
from refnn.nn import functional as F
from refnn.nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each number with probability p in training (the rest times 1/(1 − p)); the identity in eval.

    A batch of ones in training, with p = 0.25: about a quarter become 0,
    the rest 1/(1 − 0.25) = 1.333333, so the mean stays near 1:

    >>> from refnn import nn, init
    >>> from refnn.tensors import tensor
    >>> _ = init.manual_seed(4)
    >>> drop = nn.Dropout(p=0.25)
    >>> x = tensor([[1.0] * 8], requires_grad=True)
    >>> y = drop(x)
    >>> [round(v, 6) for v in y.tolist()[0]]
    [1.333333, 1.333333, 1.333333, 1.333333, 1.333333, 1.333333, 0.0, 0.0]

    Backward lets the gradient through the same mask: a dropped number
    gets no gradient, a kept one 1/(1 − p) of it:

    >>> y.sum().backward()
    >>> [round(v, 6) for v in x.grad.tolist()[0]]
    [1.333333, 1.333333, 1.333333, 1.333333, 1.333333, 1.333333, 0.0, 0.0]
    >>> drop
    Dropout(p=0.25, inplace=False)
    >>> nn.Dropout(p=0.0)([1.0, 2.0])                  # p = 0: nothing dropped
    tensor([1.0, 2.0])
    >>> nn.Dropout(p=1.5)
    Traceback (most recent call last):
        ...
    ValueError: dropout probability has to be between 0 and 1, but got 1.5
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        F.dropout([], p)                    # p checked now, with PyTorch's error, not at the first forward
        if inplace is not False:
            raise ValueError("Dropout: inplace=True is not offered by refnn (only False)")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        """dropout(input, p) in training, input itself in eval.

        >>> from refnn import nn
        >>> nn.Dropout(p=1.0)([3.0, -2.0]).tolist()      # p = 1: every number dropped
        [0.0, -0.0]
        """
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        """``p=…, inplace=…`` as PyTorch prints it."""
        return f"p={self.p}, inplace={self.inplace}"
