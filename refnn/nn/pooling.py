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
from refnn._checks import _bool
from refnn.nn import functional as F
from refnn.nn._nested import _int_pair
from refnn.nn.module import Module

__all__ = ["MaxPool2d", "AvgPool2d"]


class _Pool2d(Module):
    """A window slid over every channel, each window reduced to one number by ``_pool`` (a function of F)."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        name = type(self).__name__
        _int_pair(name, "kernel_size", kernel_size, 1)
        if stride is not None:
            _int_pair(name, "stride", stride, 1)
        _int_pair(name, "padding", padding, 0)
        self.kernel_size = kernel_size          # kept as given, an int or a pair, as in PyTorch
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self):
        """PyTorch's: ``kernel_size``, ``stride`` and ``padding`` as given, then the layer's own options.

        >>> MaxPool2d(2).extra_repr()
        'kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False'
        >>> AvgPool2d((1, 2)).extra_repr()
        'kernel_size=(1, 2), stride=(1, 2), padding=0'
        """
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


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
    >>> nn.MaxPool2d(2)(x).backward(tensor([[[3.0]]]))
    >>> x.grad
    tensor([[[3.0, 0.0], [0.0, 0.0]]])

    ``padding`` (a border that never wins), ``dilation``, ``ceil_mode`` and
    ``return_indices`` are PyTorch's (see ``F.max_pool2d``):

    >>> out, where = nn.MaxPool2d((1, 2), ceil_mode=True, return_indices=True)([[[1.0, 5.0, 2.0]]])
    >>> out, where
    (tensor([[[5.0, 2.0]]]), tensor([[[1, 2]]]))

    A NaN wins its window in PyTorch but only when it comes first here.
    Comparing needs numbers, so sympy symbols cannot pass through (the
    other layers take them).

    >>> nn.MaxPool2d(3)([[[1.0, 2.0], [3.0, 4.0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: max_pool2d: an image of size (2, 2) is smaller than the kernel (3, 3)
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__(kernel_size, stride, padding)
        _int_pair("MaxPool2d", "dilation", dilation, 1)
        _bool("MaxPool2d", "return_indices", return_indices)
        _bool("MaxPool2d", "ceil_mode", ceil_mode)
        self.dilation, self.return_indices, self.ceil_mode = dilation, return_indices, ceil_mode

    def forward(self, input):
        """max_pool2d of input with the layer's options (a pair (output, indices) with return_indices)."""
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                            self.return_indices)

    def extra_repr(self):
        """PyTorch's: ``kernel_size=…, stride=…, padding=…, dilation=…, ceil_mode=…``."""
        return f"{super().extra_repr()}, dilation={self.dilation}, ceil_mode={self.ceil_mode}"


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
    >>> y.backward(tensor([[[1.0, 4.0]]]))
    >>> x.grad
    tensor([[[0.5, 0.5, 2.0, 2.0]]])

    With ``padding`` the border's zeros count in the mean unless
    ``count_include_pad=False``; ``ceil_mode`` keeps a last window that runs
    over the edge; ``divisor_override`` divides every sum by a number given:

    >>> nn.AvgPool2d((1, 2), padding=(0, 1))([[[4.0, 8.0]]])                       # [0, 4], [8, 0]
    tensor([[[2.0, 4.0]]])
    >>> nn.AvgPool2d((1, 2), padding=(0, 1), count_include_pad=False)([[[4.0, 8.0]]])
    tensor([[[4.0, 8.0]]])

    >>> nn.AvgPool2d(0)
    Traceback (most recent call last):
        ...
    ValueError: AvgPool2d: kernel_size must be at least 1, got 0
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__(kernel_size, stride, padding)
        _bool("AvgPool2d", "ceil_mode", ceil_mode)
        _bool("AvgPool2d", "count_include_pad", count_include_pad)
        if divisor_override is not None and (isinstance(divisor_override, bool)
                                             or not isinstance(divisor_override, int)):
            raise TypeError(f"AvgPool2d: divisor_override must be an int or None, got "
                            f"{type(divisor_override).__name__}")
        if divisor_override == 0:
            raise ValueError("AvgPool2d: divisor must be not zero")
        self.ceil_mode, self.count_include_pad, self.divisor_override = ceil_mode, count_include_pad, \
            divisor_override

    def forward(self, input):
        """avg_pool2d of input with the layer's options."""
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)
