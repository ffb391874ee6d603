"""MaxPool2d and AvgPool2d: shrink an image by keeping one number per window.

Pooling slides a window over every channel of an image (N, C, H, W), as a
convolution does, but has no weights: max pooling keeps the largest number
of each window, average pooling their mean.  The stride defaults to the
window's size, so the windows tile the image without overlapping:

>>> from refnn import nn
>>> image = [[[1, 2, 5, 6], [3, 4, 7, 8], [9, 9, 0, 1], [9, 9, 1, 0]]]     # (1, 4, 4)
>>> nn.MaxPool2d(2)(image)
[[[4, 8], [9, 1]]]
>>> nn.AvgPool2d(2)(image)
[[[2.5, 6.5], [9.0, 0.5]]]

Backward sends each window's gradient to where its output came from: all
of it to the largest number (max), equal shares to every number (average).
"""
from refnn.nn._nested import _int_pair
from refnn.nn.conv import _images, _windows
from refnn.nn.module import Module

__all__ = ["MaxPool2d", "AvgPool2d"]


class _Pool2d(Module):
    """A window slid over every channel, each window reduced to one number by ``_pool``."""

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        name = type(self).__name__
        _int_pair(name, "kernel_size", kernel_size, 1)
        if stride is not None:
            _int_pair(name, "stride", stride, 1)
        self.kernel_size = kernel_size          # kept as given, an int or a pair, as in PyTorch
        self.stride = kernel_size if stride is None else stride

    def forward(self, x):
        op = repr(self)
        batch, batched, (C, H, W) = _images(op, x)
        kernel = _int_pair(op, "kernel_size", self.kernel_size, 1)
        windows, (Ho, Wo) = _windows(op, (H, W), kernel, _int_pair(op, "stride", self.stride, 1))
        out, routes = [], []            # routes: for every output, the (cell, share) its gradient goes to
        for image in batch:
            for plane in image:
                pooled = [self._pool([plane[a][b] for a, b in cells], cells) for cells in windows]
                out.append([[v for v, _ in pooled[i * Wo:(i + 1) * Wo]] for i in range(Ho)])
                routes.append([route for _, route in pooled])
        out = [out[n * C:(n + 1) * C] for n in range(len(batch))]
        self._save((len(batch), C, Ho, Wo) if batched else (C, Ho, Wo), routes, batched, (H, W))
        return out if batched else out[0]

    def backward(self, grad):
        routes, batched, (H, W) = self._saved(grad)
        g = grad if batched else [grad]
        planes = []
        for plane_routes, g_plane in zip(routes, (plane for image in g for plane in image)):
            plane = [[0.0] * W for _ in range(H)]
            for route, gv in zip(plane_routes, (v for row in g_plane for v in row)):
                for (a, b), share in route:
                    plane[a][b] += gv * share          # overlapping windows add up
            planes.append(plane)
        C = len(routes) // len(g)
        images = [planes[n * C:(n + 1) * C] for n in range(len(g))]
        return images if batched else images[0]

    def extra_repr(self):
        """``kernel_size=…, stride=…`` as given (PyTorch also prints the options refnn lacks)."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}"


class MaxPool2d(_Pool2d):
    """The largest number of every kernel_size window, moved by ``stride`` (default: kernel_size).

    Backward gives each window's gradient to its largest number; on a tie,
    to the first in reading order, as PyTorch does.  Overlapping windows
    (stride < kernel_size) add their shares.

    >>> from refnn import nn
    >>> pool = nn.MaxPool2d(2, stride=1)
    >>> pool
    MaxPool2d(kernel_size=2, stride=1)
    >>> pool([[[1.0, 2.0, 3.0], [4.0, 9.0, 6.0], [7.0, 8.0, 5.0]]])
    [[[9.0, 9.0], [9.0, 9.0]]]
    >>> pool.backward([[[1.0, 1.0], [1.0, 1.0]]])          # the 9 wins all four windows
    [[[0.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0]]]

    A tie goes to the first maximum:

    >>> pool = nn.MaxPool2d(2)
    >>> _ = pool([[[1.0, 1.0], [1.0, 1.0]]])
    >>> pool.backward([[[3.0]]])
    [[[3.0, 0.0], [0.0, 0.0]]]

    PyTorch's ``padding``, ``dilation``, ``ceil_mode`` and
    ``return_indices`` are not offered; a NaN wins its window in PyTorch
    but only when it comes first here.  Comparing needs numbers, so sympy
    symbols cannot pass through (the other layers take them).

    >>> nn.MaxPool2d(3)([[[1.0, 2.0], [3.0, 4.0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: MaxPool2d(kernel_size=3, stride=3): an image of size (2, 2) is smaller than \
the kernel (3, 3)
    """

    @staticmethod
    def _pool(values, cells):
        k = max(range(len(values)), key=values.__getitem__)       # the first maximum
        return values[k], ((cells[k], 1),)


class AvgPool2d(_Pool2d):
    """The mean of every kernel_size window, moved by ``stride`` (default: kernel_size).

    Backward gives each of the k numbers of a window 1/k of its gradient.

    >>> from refnn import nn
    >>> pool = nn.AvgPool2d((1, 2))
    >>> pool
    AvgPool2d(kernel_size=(1, 2), stride=(1, 2))
    >>> pool([[[1.0, 3.0, 10.0, 20.0]]])
    [[[2.0, 15.0]]]
    >>> pool.backward([[[1.0, 4.0]]])
    [[[0.5, 0.5, 2.0, 2.0]]]

    PyTorch's ``padding``, ``ceil_mode``, ``count_include_pad`` and
    ``divisor_override`` are not offered.

    >>> nn.AvgPool2d(0)
    Traceback (most recent call last):
        ...
    ValueError: AvgPool2d: kernel_size must be at least 1, got 0
    """

    @staticmethod
    def _pool(values, cells):
        share = 1 / len(values)
        return sum(values) / len(values), [(cell, share) for cell in cells]
