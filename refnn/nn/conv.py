"""Conv2d: a small weight window slid over an image, one weighted sum at every position.

Images come as (N, C, H, W): N samples of C channels of H rows of W
numbers (or one image (C, H, W)).  Every output channel has a kernel of
shape (C, kH, kW), the same weights at every position (the seed's "shared
weights" of convolutional networks).  Output entry (o, i, j) is the kernel
times the window whose corner is at (i·stride, j·stride), plus the bias:

>>> from refnn import nn
>>> conv = nn.Conv2d(1, 1, kernel_size=2, bias=False)
>>> conv.weight.data = [[[[1, 0], [0, -1]]]]            # top-left minus bottom-right
>>> conv([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]])
[[[-4, -4], [-4, -4]]]

refnn computes it as one matrix product: every window is unrolled into a
row of "patches" (im2col), every kernel into a row of weights, and then
output = kernels · patchesᵀ.  Backward is two more products and a "fold"
that adds each patch's gradient back onto the pixels it came from.
"""
from itertools import product
from operator import mul

from refnn._checks import _count, _shape, ShapeError, _size
from refnn._kernels import _matmul, _transpose
from refnn.nn._nested import _accumulate, _int_pair
from refnn.nn.linear import _default_init, _weight_and_bias
from refnn.nn.module import Module
from refnn._nested import _nest

__all__ = ["Conv2d"]


def _images(op, x, channels=None):
    """A batch of images (N, C, H, W) from x of that shape or (C, H, W); whether it was batched; (C, H, W).

    Every number is checked: max pooling would compare strings without complaint.
    """
    dims = _shape(op, x)
    if len(dims) not in (3, 4) or 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected (N, C, H, W) or (C, H, W)")
    if channels is not None and dims[-3] != channels:
        raise ShapeError(f"{op}: input of shape {dims}: expected {channels} channels, got {dims[-3]}")
    return (x if len(dims) == 4 else [x]), len(dims) == 4, dims[-3:]


def _windows(op, size, kernel_size, stride):
    """The (row, col) cells of every window, output position by position, and the output's (H, W)."""
    (h, w), (kh, kw), (sh, sw) = size, kernel_size, stride
    if h < kh or w < kw:
        raise ShapeError(f"{op}: an image of size {size} is smaller than the kernel {kernel_size}")
    out = ((h - kh) // sh + 1, (w - kw) // sw + 1)
    _count(op, f"{out[0] * out[1]} windows of {kh} x {kw}", out[0] * out[1] * kh * kw)
    cells = [[(i * sh + a, j * sw + b) for a in range(kh) for b in range(kw)]
             for i in range(out[0]) for j in range(out[1])]
    return cells, out


class Conv2d(Module):
    """2-d convolution: ``out[n][o] = bias[o] + Σ_c weight[o][c] ⋆ x[n][c]``, PyTorch's Conv2d.

    ``kernel_size``, ``stride`` and ``padding`` are an int or a pair
    (rows, columns), kept as pairs as in PyTorch.  Padding adds that many
    rows and columns of zeros around the image.  The output has
    ``H_out = (H + 2·padding − kernel) // stride + 1`` rows, and columns
    alike.  The weight has shape (out_channels, in_channels, kH, kW); its
    starting values, and the bias's, are PyTorch's: U(±1/√fan_in) with
    fan_in = in_channels·kH·kW.

    >>> from refnn import nn, init
    >>> _ = init.manual_seed(0)
    >>> conv = nn.Conv2d(1, 2, 3, stride=2, padding=1)
    >>> conv
    Conv2d(1, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))
    >>> conv.weight.shape, conv.bias.shape
    ((2, 1, 3, 3), (2,))
    >>> image = [[[float(r * 4 + c) for c in range(4)] for r in range(4)]]     # (1, 4, 4)
    >>> out = conv([image])
    >>> len(out), len(out[0]), len(out[0][0]), len(out[0][0][0])     # (N, C, H, W) = (1, 2, 2, 2)
    (1, 2, 2, 2)

    The seed initialises convolutions by ``kernel_size[0] · kernel_size[1]
    · out_channels``, which is why ``kernel_size`` is a pair:

    >>> conv.kernel_size[0] * conv.kernel_size[1] * conv.out_channels
    18

    Backward, for ∂loss/∂out = G (unrolled like the output, one row per
    output channel) and the patches P: ∂loss/∂W = G·P, ∂loss/∂b = the sum of
    each row of G, and ∂loss/∂x folds Gᵀ·kernels back onto the image:

    >>> conv = nn.Conv2d(1, 1, 2, bias=False)
    >>> conv.weight.data = [[[[1.0, 2.0], [3.0, 4.0]]]]
    >>> _ = conv([[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]])              # one image (1, 2, 3)
    >>> conv.backward([[[1.0, 1.0]]])                               # each pixel gets the weights it met
    [[[1.0, 3.0, 2.0], [3.0, 7.0, 4.0]]]
    >>> conv.weight.grad
    [[[[2.0, 2.0], [2.0, 2.0]]]]

    Not offered: ``dilation``, ``groups``, ``padding_mode`` and the string
    paddings "same" and "valid".

    >>> conv([[[1.0, 2.0, 3.0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: Conv2d(1, 1, kernel_size=(2, 2), stride=(1, 1), bias=False): an image of size \
(1, 3) is smaller than the kernel (2, 2)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.in_channels = _size("Conv2d", "in_channels", in_channels)
        self.out_channels = _size("Conv2d", "out_channels", out_channels)
        self.kernel_size = _int_pair("Conv2d", "kernel_size", kernel_size, 1)
        self.stride = _int_pair("Conv2d", "stride", stride, 1)
        self.padding = _int_pair("Conv2d", "padding", padding, 0)
        kh, kw = self.kernel_size
        _count("Conv2d", f"a weight of shape {(out_channels, in_channels, kh, kw)}",
               out_channels * in_channels * kh * kw)
        _weight_and_bias(self, "Conv2d", [[[[0.0] * kw for _ in range(kh)] for _ in range(in_channels)]
                                          for _ in range(out_channels)], bias)

    def reset_parameters(self):
        """Draw new starting values: PyTorch's U(±1/√fan_in), fan_in = in_channels·kH·kW.

        >>> import math
        >>> from refnn import nn, init
        >>> conv = nn.Conv2d(2, 3, kernel_size=(1, 2))
        >>> _ = init.manual_seed(0)
        >>> conv.reset_parameters()
        >>> bound = 1 / math.sqrt(2 * 1 * 2)
        >>> all(-bound <= w < bound for k in conv.weight.data for c in k for r in c for w in r)
        True
        """
        _default_init(self.weight, self.bias)

    def _pad(self, image):
        """The image with ``padding`` rows and columns of zeros around every channel."""
        ph, pw = self.padding
        if ph == pw == 0:
            return image
        edge = [[0] * (len(image[0][0]) + 2 * pw)] * ph            # read only: one row object is enough
        side = [0] * pw
        return [edge + [[*side, *row, *side] for row in plane] + edge for plane in image]

    def forward(self, x):
        """The convolution of a batch (N, C, H, W), or of one image (C, H, W).

        >>> from refnn import nn
        >>> conv = nn.Conv2d(1, 1, kernel_size=(1, 2), stride=(1, 2), padding=(0, 1))
        >>> conv.weight.data, conv.bias.data = [[[[1.0, 1.0]]]], [0.5]
        >>> conv([[[1.0, 2.0]]])                  # padded [0, 1, 2, 0]: windows [0, 1] and [2, 0]
        [[[1.5, 2.5]]]
        >>> conv([[1.0, 2.0]])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: Conv2d(1, 1, kernel_size=(1, 2), stride=(1, 2), padding=(0, 1)): input of \
shape (1, 2): expected (N, C, H, W) or (C, H, W)
        """
        op = repr(self)
        batch, batched, (C, H, W) = _images(op, x, self.in_channels)
        (ph, pw) = self.padding
        _count(op, "the padded images", len(batch) * C * (H + 2 * ph) * (W + 2 * pw))
        windows, (Ho, Wo) = _windows(op, (H + 2 * ph, W + 2 * pw), self.kernel_size, self.stride)
        kernels = self._kernels()                                                   # (O, C·kH·kW)
        bias = self.bias.data if self.bias is not None else [0] * self.out_channels
        patches = [[plane[a][b] for plane in image for a, b in cells]               # (N·Ho·Wo, C·kH·kW)
                   for image in map(self._pad, batch) for cells in windows]
        out = [[sum(map(mul, k, p)) + b for p in patches] for k, b in zip(kernels, bias)]
        L = Ho * Wo
        out = [[_nest(row[n * L:(n + 1) * L], (Ho, Wo)) for row in out] for n in range(len(batch))]
        out_dims = (len(batch), self.out_channels, Ho, Wo) if batched else (self.out_channels, Ho, Wo)
        self._save(out_dims, patches, windows, batched, (C, H, W))
        return out if batched else out[0]

    def backward(self, grad):
        """∂loss/∂x from ∂loss/∂out; adds ∂loss/∂weight and ∂loss/∂bias to their ``.grad``.

        >>> from refnn import nn
        >>> conv = nn.Conv2d(1, 1, 1)
        >>> conv.weight.data, conv.bias.data = [[[[2.0]]]], [0.0]
        >>> _ = conv([[[[1.0, 3.0]]]])
        >>> conv.backward([[[[1.0, 1.0]]]]), conv.weight.grad, conv.bias.grad
        ([[[[2.0, 2.0]]]], [[[[4.0]]]], [2.0])
        """
        patches, windows, batched, (C, H, W) = self._saved(grad)
        g = grad if batched else [grad]
        G = [[v for sample in g for row in sample[o] for v in row] for o in range(self.out_channels)]
        kh, kw = self.kernel_size
        _accumulate(self.weight, [_nest(row, (C, kh, kw)) for row in _matmul(G, patches)])   # G·P
        if self.bias is not None:
            _accumulate(self.bias, [sum(row) for row in G])
        grad_patches = _matmul(_transpose(G), self._kernels())                                # Gᵀ·kernels
        L = len(windows)
        images = [self._fold(grad_patches[n * L:(n + 1) * L], windows, (C, H, W)) for n in range(len(g))]
        return images if batched else images[0]

    def _kernels(self):
        """Every output channel's kernel (C, kH, kW) unrolled into one row, in the patches' order."""
        return [[v for plane in kernel for row in plane for v in row] for kernel in self.weight.data]

    def _fold(self, grad_patches, windows, dims):
        """Add each patch's gradient back onto the pixels of its window (col2im), then cut the padding."""
        (C, H, W), (ph, pw) = dims, self.padding
        image = [[[0.0] * (W + 2 * pw) for _ in range(H + 2 * ph)] for _ in range(C)]
        for cells, row in zip(windows, grad_patches):
            for (plane, (a, b)), v in zip(product(image, cells), row):
                plane[a][b] += v
        return [[row[pw:pw + W] for row in plane[ph:ph + H]] for plane in image]

    def extra_repr(self):
        """PyTorch's: channels, kernel_size, stride, then padding and bias only when not the default.

        >>> from refnn import nn
        >>> nn.Conv2d(3, 6, 5, bias=False).extra_repr()
        '3, 6, kernel_size=(5, 5), stride=(1, 1), bias=False'
        """
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        return s + (", bias=False" if self.bias is None else "")
