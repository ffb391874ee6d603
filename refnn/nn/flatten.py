"""Flatten: merge some dimensions into one, as between the convolutions and the Linear layers.

A convolutional network's features come as (N, C, H, W); a Linear layer
takes (N, features).  Flatten turns each sample into one row, keeping the
numbers in reading order:

>>> from refnn import nn
>>> x = [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]          # (1, 2, 2, 2)
>>> nn.Flatten()(x)
tensor([[1, 2, 3, 4, 5, 6, 7, 8]])
"""
import math

from refnn._checks import _shape, ShapeError
from refnn.nn._functions import Reshape
from refnn.nn.module import Module
from refnn.tensors import Tensor

__all__ = ["Flatten"]


class Flatten(Module):
    """Merge the dimensions start_dim to end_dim (both included) into one; PyTorch's defaults 1 and −1.

    The numbers are not changed, only regrouped; backward regroups the
    gradient into the input's shape.  Negative dims count from the end.
    A single number (0-d) becomes a list of one, as in PyTorch.

    >>> from refnn import nn
    >>> flat = nn.Flatten()
    >>> flat
    Flatten(start_dim=1, end_dim=-1)
    >>> flat([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])                  # (2, 2, 2) → (2, 4)
    tensor([[1, 2, 3, 4], [5, 6, 7, 8]])
    >>> nn.Flatten(0, 1)([[[1, 2]], [[3, 4]]])                      # (2, 1, 2) → (2, 2)
    tensor([[1, 2], [3, 4]])
    >>> flat(5.0)
    tensor([5.0])

    A dimension the input does not have is an error (PyTorch's IndexError):

    >>> flat([1, 2, 3])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: Flatten(start_dim=1, end_dim=-1): input of shape (3,) has no dimension 1
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        for name, value in (("start_dim", start_dim), ("end_dim", end_dim)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Flatten: {name} must be an int, got {type(value).__name__}")
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input):
        """The input with dims start_dim … end_dim merged into one (a Function: ``ReshapeBackward``).

        >>> Flatten()([[[1.0], [2.0]]]).tolist()
        [[1.0, 2.0]]
        """
        op = repr(self)
        dims = input.shape if isinstance(input, Tensor) else _shape(op, input)
        if not dims:                # PyTorch: a 0-d tensor flattens to one element, whatever the dims
            return Reshape.apply(input, (1,))
        first, last = (self._dim(op, dims, d) for d in (self.start_dim, self.end_dim))
        if first > last:
            raise ValueError(f"{op}: start_dim comes after end_dim for an input of shape {dims}")
        return Reshape.apply(input, dims[:first] + (math.prod(dims[first:last + 1]),) + dims[last + 1:])

    @staticmethod
    def _dim(op, dims, d):
        if not -len(dims) <= d < len(dims):
            raise ShapeError(f"{op}: input of shape {dims} has no dimension {d}")
        return d % len(dims)

    def extra_repr(self):
        """``start_dim=…, end_dim=…``, as PyTorch prints a Flatten.

        >>> Flatten(0).extra_repr()
        'start_dim=0, end_dim=-1'
        """
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
