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
tensor([[[-4, -4], [-4, -4]]], grad_fn=<Conv2dBackward>)

refnn computes it as one matrix product: every window is unrolled into a
row of "patches" (im2col), every kernel into a row of weights, and then
output = kernels · patchesᵀ.  Backward (:func:`refnn.nn.functional.conv2d`'s
Function) is two more products and a "fold" that adds each patch's
gradient back onto the pixels it came from.
"""
from refnn._checks import _count, _size
from refnn.nn import functional as F
from refnn.nn._init import _default_init, _weight_and_bias
from refnn.nn._nested import _dims_of, _int_pair
from refnn.nn.module import Module

__all__ = ["Conv2d"]


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
    >>> conv([image]).shape                                          # (N, C, H, W)
    (1, 2, 2, 2)

    The seed initialises convolutions by ``kernel_size[0] · kernel_size[1]
    · out_channels``, which is why ``kernel_size`` is a pair:

    >>> conv.kernel_size[0] * conv.kernel_size[1] * conv.out_channels
    18

    Backward, for ∂loss/∂out = G (unrolled like the output, one row per
    output channel) and the patches P: ∂loss/∂W = G·P, ∂loss/∂b = the sum of
    each row of G, and ∂loss/∂x folds Gᵀ·kernels back onto the image:

    >>> from refnn.tensors import tensor
    >>> conv = nn.Conv2d(1, 1, 2, bias=False)
    >>> conv.weight.data = [[[[1.0, 2.0], [3.0, 4.0]]]]
    >>> x = tensor([[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]], requires_grad=True)      # one image (1, 2, 3)
    >>> conv(x).backward(tensor([[[1.0, 1.0]]]))
    >>> x.grad                                                      # each pixel gets the weights it met
    tensor([[[1.0, 3.0, 2.0], [3.0, 7.0, 4.0]]])
    >>> conv.weight.grad
    tensor([[[[2.0, 2.0], [2.0, 2.0]]]])

    PyTorch's options: ``padding="same"`` keeps the size (stride 1), ``"valid"``
    is no padding; ``dilation`` spreads the kernel's cells apart;
    ``groups`` splits the channels into groups that do not see each other
    (the weight is then (out_channels, in_channels/groups, kH, kW)); and
    ``padding_mode`` fills the border with zeros, or by ``"reflect"``,
    ``"replicate"`` or ``"circular"`` copies of the image's own edge:

    >>> edge = nn.Conv2d(1, 1, (1, 3), padding="same", padding_mode="replicate", bias=False)
    >>> edge
    Conv2d(1, 1, kernel_size=(1, 3), stride=(1, 1), padding=same, bias=False, padding_mode=replicate)
    >>> edge.weight.data = [[[[1.0, 1.0, 1.0]]]]
    >>> edge([[[1.0, 2.0, 4.0]]])                     # padded [1, 1, 2, 4, 4]: sums of three
    tensor([[[4.0, 7.0, 10.0]]], grad_fn=<Conv2dBackward>)
    >>> nn.Conv2d(4, 4, 3, groups=2).weight.shape
    (4, 2, 3, 3)

    >>> conv([[[1.0, 2.0, 3.0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: conv2d: an image of size (1, 3) is smaller than the kernel (2, 2)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros"):
        super().__init__()
        self.in_channels = _size("Conv2d", "in_channels", in_channels)
        self.out_channels = _size("Conv2d", "out_channels", out_channels)
        self.kernel_size = _int_pair("Conv2d", "kernel_size", kernel_size, 1)
        self.stride = _int_pair("Conv2d", "stride", stride, 1)
        self.dilation = _int_pair("Conv2d", "dilation", dilation, 1)
        self.groups = _conv_groups(groups, in_channels, out_channels)
        self.padding = _conv_padding(padding, self.stride)
        if not isinstance(padding_mode, str) or padding_mode not in _PADDING_MODES:
            raise ValueError(f"Conv2d: padding_mode must be one of {_PADDING_MODES}, but got "
                             f"padding_mode={padding_mode!r:.40}")
        self.padding_mode = padding_mode
        kh, kw = self.kernel_size
        per_group = in_channels // groups
        _count("Conv2d", f"a weight of shape {(out_channels, per_group, kh, kw)}",
               out_channels * per_group * kh * kw)
        _weight_and_bias(self, "Conv2d", [[[[0.0] * kw for _ in range(kh)] for _ in range(per_group)]
                                          for _ in range(out_channels)], bias)

    def reset_parameters(self):
        """Draw new starting values: PyTorch's U(±1/√fan_in), fan_in = in_channels·kH·kW.

        >>> import math
        >>> from refnn import nn, init
        >>> conv = nn.Conv2d(2, 3, kernel_size=(1, 2))
        >>> _ = init.manual_seed(0)
        >>> conv.reset_parameters()
        >>> bound = 1 / math.sqrt(2 * 1 * 2)
        >>> all(-bound <= w < bound for k in conv.weight.tolist() for c in k for r in c for w in r)
        True
        """
        _default_init(self.weight, self.bias)

    def forward(self, input):
        """The convolution of a batch (N, C, H, W), or of one image (C, H, W).

        >>> from refnn import nn
        >>> conv = nn.Conv2d(1, 1, kernel_size=(1, 2), stride=(1, 2), padding=(0, 1))
        >>> conv.weight.data, conv.bias.data = [[[[1.0, 1.0]]]], [0.5]
        >>> conv([[[1.0, 2.0]]]).tolist()        # padded [0, 1, 2, 0]: windows [0, 1] and [2, 0]
        [[[1.5, 2.5]]]
        >>> conv([[1.0, 2.0]])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: conv2d: input of shape (1, 2): expected (N, C, H, W) or (C, H, W)
        """
        if self.padding_mode == "zeros":
            return F.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                            self.groups)
        return F.conv2d(self._pad(input), self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def _pad(self, input):
        """The input with its border filled by padding_mode (PyTorch pads first, then convolves unpadded)."""
        dims = _dims_of("conv2d", input)
        if self.padding == "valid" or len(dims) not in (3, 4) or 0 in dims:
            return input                    # nothing to pad, or conv2d names what is wrong with the input
        if self.padding == "same":          # the odd one of an uneven total on the right, as in PyTorch
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)]
            (top, bottom), (left, right) = [(t // 2, t - t // 2) for t in totals]
        else:
            (top, bottom), (left, right) = [(p, p) for p in self.padding]
        return F.pad(input, (left, right, top, bottom), mode=self.padding_mode)

    def extra_repr(self):
        """PyTorch's: channels, kernel_size, stride, then padding and bias only when not the default.

        >>> from refnn import nn
        >>> nn.Conv2d(3, 6, 5, bias=False).extra_repr()
        '3, 6, kernel_size=(5, 5), stride=(1, 1), bias=False'
        """
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        s += ", bias=False" if self.bias is None else ""
        return s + (f", padding_mode={self.padding_mode}" if self.padding_mode != "zeros" else "")


_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


def _conv_groups(groups, in_channels, out_channels):
    """groups, a positive int dividing both channel counts (PyTorch's messages)."""
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise TypeError(f"Conv2d: groups must be an int, got {type(groups).__name__}")
    if groups <= 0:
        raise ValueError("Conv2d: groups must be a positive integer")
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ValueError(f"Conv2d: {name} must be divisible by groups")
    return groups


def _conv_padding(padding, stride):
    """"same", "valid" (kept as the string, as PyTorch does) or an int or pair of ints."""
    if not isinstance(padding, str):
        return _int_pair("Conv2d", "padding", padding, 0)
    if padding not in ("same", "valid"):
        raise ValueError(f"Conv2d: Invalid padding string {padding!r:.40}, should be one of "
                         f"{{'valid', 'same'}}")
    if padding == "same" and stride != (1, 1):
        raise ValueError("Conv2d: padding='same' is not supported for strided convolutions")
    return padding
