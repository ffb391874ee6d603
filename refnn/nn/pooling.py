"""MaxPool2d and AvgPool2d: shrink an image by keeping one number per window.

Pooling slides a window over every channel of an image (N, C, H, W), as a
convolution does, but has no weights: max pooling keeps the largest number
of each window, average pooling their mean.  The stride defaults to the
window's size, so the windows tile the image without overlapping:

>>> from refnn import nn
>>> image = [[[1, 2, 5, 6], [3, 4, 7, 8], [9, 9, 0, 1], [9, 9, 1, 0]]]     # (1, 4, 4)
>>> nn.MaxPool2d(2)(image)
tensor([[[4, 8], [9, 1]]])
>>> nn.AvgPool2d(2)(image)
tensor([[[2.5, 6.5], [9.0, 0.5]]])

Backward sends each window's gradient to where its output came from: all
of it to the largest number (max), equal shares to every number (average).
"""
from refnn.nn import functional as F
from refnn.nn._nested import _int_pair
from refnn.nn.module import Module

__all__ = ["MaxPool2d", "AvgPool2d"]


class _Pool2d(Module):
    """A window slid over every channel, each window reduced to one number by ``_pool`` (a function of F)."""

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        name = type(self).__name__
        _int_pair(name, "kernel_size", kernel_size, 1)
        if stride is not None:
            _int_pair(name, "stride", stride, 1)
        self.kernel_size = kernel_size          # kept as given, an int or a pair, as in PyTorch
        self.stride = kernel_size if stride is None else stride

    def forward(self, input):
        return type(self)._pool(input, self.kernel_size, self.stride)

    def extra_repr(self):
        """PyTorch's: ``kernel_size`` and ``stride`` as given, then the options refnn has at their defaults.

        >>> MaxPool2d(2).extra_repr()
        'kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False'
        >>> AvgPool2d((1, 2)).extra_repr()
        'kernel_size=(1, 2), stride=(1, 2), padding=0'
        """
        return f"kernel_size={self.kernel_size}, stride={self.stride}, {self._defaults}"


class MaxPool2d(_Pool2d):
    """The largest number of every kernel_size window, moved by ``stride`` (default: kernel_size).

    Backward gives each window's gradient to its largest number; on a tie,
    to the first in reading order, as PyTorch does.  Overlapping windows
    (stride < kernel_size) add their shares.

    >>> from refnn import nn
    >>> pool = nn.MaxPool2d(2, stride=1)
    >>> pool
    MaxPool2d(kernel_size=2, stride=1, padding=0, dilation=1, ceil_mode=False)
    >>> from refnn.tensors import tensor
    >>> x = tensor([[[1.0, 2.0, 3.0], [4.0, 9.0, 6.0], [7.0, 8.0, 5.0]]], requires_grad=True)
    >>> y = pool(x)
    >>> y
    tensor([[[9.0, 9.0], [9.0, 9.0]]], grad_fn=<MaxPool2dBackward>)
    >>> y.sum().backward()
    >>> x.grad                                            # the 9 wins all four windows
    tensor([[[0.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0]]])

    A tie goes to the first maximum:

    >>> x = tensor([[[1.0, 1.0], [1.0, 1.0]]], requires_grad=True)
    >>> nn.MaxPool2d(2)(x).backward([[[3.0]]])
    >>> x.grad
    tensor([[[3.0, 0.0], [0.0, 0.0]]])

    PyTorch's ``padding``, ``dilation``, ``ceil_mode`` and
    ``return_indices`` are not offered; a NaN wins its window in PyTorch
    but only when it comes first here.  Comparing needs numbers, so sympy
    symbols cannot pass through (the other layers take them).

    >>> nn.MaxPool2d(3)([[[1.0, 2.0], [3.0, 4.0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: max_pool2d: an image of size (2, 2) is smaller than the kernel (3, 3)
    """

    _pool = staticmethod(F.max_pool2d)
    _defaults = "padding=0, dilation=1, ceil_mode=False"


class AvgPool2d(_Pool2d):
    """The mean of every kernel_size window, moved by ``stride`` (default: kernel_size).

    Backward gives each of the k numbers of a window 1/k of its gradient.

    >>> from refnn import nn
    >>> pool = nn.AvgPool2d((1, 2))
    >>> pool
    AvgPool2d(kernel_size=(1, 2), stride=(1, 2), padding=0)
    >>> from refnn.tensors import tensor
    >>> x = tensor([[[1.0, 3.0, 10.0, 20.0]]], requires_grad=True)
    >>> y = pool(x)
    >>> y
    tensor([[[2.0, 15.0]]], grad_fn=<AvgPool2dBackward>)
    >>> y.backward([[[1.0, 4.0]]])
    >>> x.grad
    tensor([[[0.5, 0.5, 2.0, 2.0]]])

    PyTorch's ``padding``, ``ceil_mode``, ``count_include_pad`` and
    ``divisor_override`` are not offered.

    >>> nn.AvgPool2d(0)
    Traceback (most recent call last):
        ...
    ValueError: AvgPool2d: kernel_size must be at least 1, got 0
    """

    _pool = staticmethod(F.avg_pool2d)
    _defaults = "padding=0"
