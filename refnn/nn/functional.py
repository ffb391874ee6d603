"""refnn.nn.functional: the layers as functions, PyTorch's ``torch.nn.functional`` (``import ... as F``).

Each function checks its arguments and runs one Function of
:mod:`refnn.nn._functions`, whose ``backward`` is written by hand beside
its ``forward``; the ``nn`` layers call these.  The arguments are Tensors
or nested lists; the result is a Tensor that remembers how it was made, so
``loss.backward()`` reaches every weight:

>>> from refnn.tensors import tensor
>>> x = [[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]     # the seed's four samples
>>> w = tensor([[0.5, -0.5, 0.25]], requires_grad=True)
>>> out = sigmoid(linear(x, w))
>>> loss = mse_loss(out, [[0.0], [1.0], [1.0], [0.0]])
>>> loss.grad_fn, loss.grad_fn.next_functions[0][0]
(<MseLossBackward>, <SigmoidBackward>)
>>> loss.backward()
>>> [round(g, 6) for g in w.grad.tolist()[0]]
[0.034233, 0.0, 0.034233]

Where PyTorch offers more options than refnn (``inplace``, ``dtype``, the
deprecated ``size_average`` and ``reduce``) the default value is accepted
and any other is refused.
"""
import math

from refnn._checks import _bool, _check_finite, _count, _is_sequence, _isfinite, _shape, ShapeError
from refnn import init
from refnn._nested import _broadcast_shape, _expand, _nest
import refnn.nn._functions as _fn
from refnn import functions, sampling
from refnn.nn._nested import _dims_of, _int_pair, _real_number
from refnn.tensors import Tensor

__all__ = [
    "linear", "conv2d", "max_pool2d", "avg_pool2d", "batch_norm", "relu", "sigmoid", "tanh",
    "softmax", "log_softmax", "mse_loss", "binary_cross_entropy", "cross_entropy", "nll_loss", "grid_sample",
    "binary_cross_entropy_with_logits", "dropout", "leaky_relu", "pad",
]


# --- what every function checks -------------------------------------------------

def _apply(op, function, x, *args):
    """function.apply(x, *args); a TypeError inside (a str among the numbers) is named by a full check."""
    try:
        return function.apply(x, *args)
    except TypeError:
        for value in (x, *args):
            if isinstance(value, Tensor) or _is_sequence(value):
                _shape(op, value.tolist() if isinstance(value, Tensor) else value)   # where the non-number is
        raise


def _only(op, **options):
    """Refuse every option of PyTorch's that refnn offers only at its default (name=(given, default))."""
    for name, (given, default) in options.items():
        if isinstance(default, bool) or default is None:
            same = given is default                 # 1 is not False, nor 0 None
        else:
            same = type(given) is type(default) and given == default
        if not same:
            raise ValueError(f"{op}: {name}={given!r:.40} is not offered by refnn (only {default!r})")


def _reduction(op, reduction, size_average=None, reduce=None):
    _only(op, size_average=(size_average, None), reduce=(reduce, None))
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{op}: {reduction!r:.40} is not a valid value for reduction")
    return reduction


# --- layers --------------------------------------------------------------------

def linear(input, weight, bias=None):
    """y = x·Wᵀ + b, for x (N, in_features) or (in_features,) and W (out_features, in_features).

    >>> linear([[1, 1, -1], [4, 0, 2]], [[2, 3, 0], [-1, -2, 1]])      # the seed's 1*2 + 1*3 + (-1)*0 = 5
    tensor([[5, -4], [8, -2]])
    >>> linear([[[1, 1, -1]], [[4, 0, 2]]], [[2, 3, 0]])                # (2, 1, 3): each row alike
    tensor([[[5]], [[8]]])
    >>> linear([[1.0, 2.0]], [[1.0, 2.0, 3.0]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: linear: input of shape (1, 2) and weight of shape (1, 3): expected the input's \
last size 3
    """
    op = "linear"
    dims, w = _dims_of(op, input), _dims_of(op, weight)
    if len(w) != 2:
        raise ShapeError(f"{op}: weight of shape {w}: expected (out_features, in_features)")
    if not dims or dims[-1] != w[1]:
        raise ShapeError(f"{op}: input of shape {dims} and weight of shape {w}: expected the input's "
                         f"last size {w[1]}")
    if bias is not None and _dims_of(op, bias) != w[:1]:
        raise ShapeError(f"{op}: bias of shape {_dims_of(op, bias)}: expected ({w[0]},)")
    if len(dims) > 2:           # (*, in_features): every row of the leading dims alike, as PyTorch
        rows = _fn.Reshape.apply(input, (math.prod(dims[:-1]), dims[-1]))
        return _fn.Reshape.apply(_apply(op, _fn.Linear, rows, weight, bias), dims[:-1] + w[:1])
    return _apply(op, _fn.Linear, input, weight, bias)


def _images(op, x, channels=None):
    """The shape (N, C, H, W) or (C, H, W) of a batch of images or of one, checked."""
    dims = _dims_of(op, x)
    if len(dims) not in (3, 4) or 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected (N, C, H, W) or (C, H, W)")
    if channels is not None and dims[-3] != channels:
        raise ShapeError(f"{op}: input of shape {dims}: expected {channels} channels, got {dims[-3]}")
    return dims


def _fits(op, size, kernel, stride=(1, 1)):
    """The kernel fits the image, and its windows (of every channel) fit refnn's lists."""
    if size[0] < kernel[0] or size[1] < kernel[1]:
        raise ShapeError(f"{op}: an image of size {size} is smaller than the kernel {kernel}")
    windows = ((size[0] - kernel[0]) // stride[0] + 1) * ((size[1] - kernel[1]) // stride[1] + 1)
    _count(op, f"{windows} windows of {kernel[0]} x {kernel[1]}", windows * kernel[0] * kernel[1])


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-d convolution ``out[n][o] = bias[o] + Σ_c weight[o][c] ⋆ input[n][c]``; weight (O, C/groups, kH, kW).

    Output size ``(H + 2·padding − dilation·(kH − 1) − 1) // stride + 1`` (and the columns alike).

    >>> conv2d([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[[1, 0], [0, -1]]]])      # top-left minus bottom-right
    tensor([[[-4, -4], [-4, -4]]])
    >>> conv2d([[[1.0, 2.0]]], [[[[1.0, 1.0]]]], stride=(1, 2), padding=(0, 1))   # windows [0, 1], [2, 0]
    tensor([[[1.0, 2.0]]])

    ``padding="same"`` keeps the image's size (the odd one out of an even
    kernel's padding goes right and below, as in PyTorch); ``dilation``
    spreads the kernel's cells apart; ``groups`` cuts the channels into
    groups that do not see each other (``groups=C``: one kernel per channel):

    >>> conv2d([[[1, 2, 3, 4]]], [[[[1, 1]]]], padding="same")        # 1+2, 2+3, 3+4, 4+0
    tensor([[[3, 5, 7, 4]]])
    >>> conv2d([[[1, 2, 3, 4]]], [[[[1, 1]]]], dilation=(1, 3))       # 1+4: cells 3 apart
    tensor([[[5]]])
    >>> conv2d([[[1]], [[10]]], [[[[2]]], [[[3]]]], groups=2)         # channel 0·2, channel 1·3
    tensor([[[2]], [[30]]])
    """
    op = "conv2d"
    w = _dims_of(op, weight)
    if len(w) != 4 or 0 in w:
        raise ShapeError(f"{op}: weight of shape {w}: expected (out_channels, in_channels/groups, kH, kW)")
    groups = _groups(op, groups, w[0])
    dims = _images(op, input, w[1] * groups)
    stride, dilation = _int_pair(op, "stride", stride, 1), _int_pair(op, "dilation", dilation, 1)
    kernel = tuple(d * (k - 1) + 1 for d, k in zip(dilation, w[2:]))           # the span of a dilated kernel
    if isinstance(padding, str):
        input, padding = _padding_string(op, input, padding, stride, kernel)
        dims = _dims_of(op, input)
    padding = _int_pair(op, "padding", padding, 0)
    size = (dims[-2] + 2 * padding[0], dims[-1] + 2 * padding[1])
    _count(op, "the padded images", math.prod(dims[:-2]) * size[0] * size[1])
    _fits(op, size, kernel, stride)
    if bias is not None and _dims_of(op, bias) != w[:1]:
        raise ShapeError(f"{op}: bias of shape {_dims_of(op, bias)}: expected ({w[0]},)")
    return _apply(op, _fn.Conv2d, input, weight, bias, stride, padding, dilation, groups)


def _groups(op, groups, out_channels):
    """groups, an int that divides the number of kernels (PyTorch's messages)."""
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise TypeError(f"{op}: groups must be an int, got {type(groups).__name__}")
    if groups < 1:
        raise ValueError(f"{op}: non-positive groups is not supported, got groups={groups}")
    if out_channels % groups:
        raise ValueError(f"{op}: Given groups={groups}, expected weight to be divisible by {groups} at "
                         f"dimension 0, but got {out_channels} kernels")
    return groups


def _padding_string(op, input, padding, stride, kernel):
    """padding "valid" (none) or "same" (the output keeps the input's size, stride 1 only).

    "same" pads span − 1 in all, half on each side; an odd total puts the
    extra row or column on the right (PyTorch pads the input by it first).
    """
    if padding == "valid":
        return input, 0
    if padding != "same":
        raise ValueError(f"{op}: Invalid padding string: {padding!r:.40}")
    if stride != (1, 1):
        raise ValueError(f"{op}: padding='same' is not supported for strided convolutions")
    total = [k - 1 for k in kernel]
    left = [t // 2 for t in total]
    extra = [t - 2 * half for t, half in zip(total, left)]          # 1 where the total is odd
    if any(extra):
        input = _fn.Pad.apply(input, (0, extra[1], 0, extra[0]), "constant")
    return input, tuple(left)


def _pool(op, input, kernel_size, stride, padding, dilation, ceil_mode):
    """The pooling's arguments checked, as pairs: kernel, stride (default: the kernel), padding, dilation."""
    if not isinstance(input, Tensor):
        _shape(op, input)           # every number: a maximum would pass a str through without complaint
    dims = _images(op, input)
    kernel = _int_pair(op, "kernel_size", kernel_size, 1)
    stride = kernel if stride is None or stride == [] else _int_pair(op, "stride", stride, 1)
    padding, dilation = _int_pair(op, "padding", padding, 0), _int_pair(op, "dilation", dilation, 1)
    _bool(op, "ceil_mode", ceil_mode)
    for p, k, d in zip(padding, kernel, dilation):
        if p > k // 2:
            raise ValueError(f"{op}: pad should be at most half of effective kernel size, but got pad={p}, "
                             f"kernel_size={k} and dilation={d}")
    out = [_fn._out_size(*args, ceil_mode) for args in zip(dims[-2:], kernel, stride, padding, dilation)]
    if min(out) < 1:
        size = tuple(n + 2 * p for n, p in zip(dims[-2:], padding))
        span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
        raise ShapeError(f"{op}: an image of size {size} is smaller than the kernel {span}")
    _count(op, "the windows", math.prod(dims[:-2]) * out[0] * out[1] * kernel[0] * kernel[1])
    return kernel, stride, padding, dilation


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The largest number of every kernel_size window, moved by stride (default: kernel_size).

    >>> max_pool2d([[[1, 2, 5, 6], [3, 4, 7, 8], [9, 9, 0, 1], [9, 9, 1, 0]]], 2)
    tensor([[[4, 8], [9, 1]]])

    ``padding`` adds a border that never wins (−∞), ``dilation`` spreads the
    window's cells apart, ``ceil_mode`` keeps a last window that runs over
    the edge, and ``return_indices`` says where each maximum came from
    (row·W + column of its plane, what ``MaxUnpool2d`` needs):

    >>> max_pool2d([[[1, 5, 2]]], (1, 2), ceil_mode=True, return_indices=True)   # windows [1, 5], [2]
    (tensor([[[5, 2]]]), tensor([[[1, 2]]]))
    """
    op = "max_pool2d"
    _bool(op, "return_indices", return_indices)
    kernel, stride, padding, dilation = _pool(op, input, kernel_size, stride, padding, dilation, ceil_mode)
    out = _apply(op, _fn.MaxPool2d, input, kernel, stride, padding, dilation, ceil_mode)
    if not return_indices:
        return out
    values = input.tolist() if isinstance(input, Tensor) else input
    return out, Tensor(_fn._max_indices(values, kernel, stride, padding, dilation, ceil_mode))


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of every kernel_size window, moved by stride (default: kernel_size).

    >>> avg_pool2d([[[1, 2, 5, 6], [3, 4, 7, 8], [9, 9, 0, 1], [9, 9, 1, 0]]], 2)
    tensor([[[2.5, 6.5], [9.0, 0.5]]])

    With ``padding`` the zeros of the border count in the mean
    (``count_include_pad=True``) or not; ``divisor_override`` divides every
    window's sum by the number given instead:

    >>> x = [[[4.0, 8.0]]]
    >>> avg_pool2d(x, (1, 2), padding=(0, 1)), avg_pool2d(x, (1, 2), padding=(0, 1), count_include_pad=False)
    (tensor([[[2.0, 4.0]]]), tensor([[[4.0, 8.0]]]))
    >>> avg_pool2d(x, (1, 2), divisor_override=1)          # the window's sum
    tensor([[[12.0]]])
    """
    op = "avg_pool2d"
    _bool(op, "count_include_pad", count_include_pad)
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(divisor_override, int):
            raise TypeError(f"{op}: divisor_override must be an int, got {type(divisor_override).__name__}")
        if divisor_override == 0:
            raise ValueError(f"{op}: divisor must be not zero")
    kernel, stride, padding, _ = _pool(op, input, kernel_size, stride, padding, 1, ceil_mode)
    return _apply(op, _fn.AvgPool2d, input, kernel, stride, padding, ceil_mode, count_include_pad,
                  divisor_override)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-05):
    """Each channel of input (N, C) or (N, C, ...) normalised over all but C, then times weight plus bias.

    Training: by the batch's mean and variance, and the running statistics
    (Tensors, changed in place) move by momentum; otherwise by the running
    statistics.

    >>> from refnn.tensors import tensor
    >>> mean, var = tensor([0.0]), tensor([1.0])
    >>> out = batch_norm([[1.0], [3.0]], mean, var, training=True)        # mean 2, variance 1
    >>> [round(v, 6) for row in out.tolist() for v in row], mean, var     # 0.9·0 + 0.1·2; 0.9·1 + 0.1·2
    ([-0.999995, 0.999995], tensor([0.2]), tensor([1.1]))
    >>> batch_norm([[1.0]], mean, var, training=True)
    Traceback (most recent call last):
        ...
    ValueError: batch_norm: expected more than 1 value per channel when training, got input of shape (1, 1)
    """
    op = "batch_norm"
    _bool(op, "training", training)
    for name, value, low, high in (("momentum", momentum, 0, 1), ("eps", eps, 0, math.inf)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _isfinite(value) \
                or not low <= value <= high or (name == "eps" and value == 0):
            raise ValueError(f"{op}: {name} must be a number in [{low}, {high}], got {value!r:.40}")
    if not training and (running_mean is None or running_var is None):
        raise ValueError(f"{op}: running_mean and running_var must be defined in evaluation mode")
    dims = _dims_of(op, input)
    if len(dims) < 2 or 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected (N, C) or (N, C, ...)")
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and _dims_of(op, t) != dims[1:2]:
            raise ShapeError(f"{op}: {name} of shape {_dims_of(op, t)}: expected ({dims[1]},)")
    if training and math.prod(dims) // dims[1] < 2:
        raise ValueError(f"{op}: expected more than 1 value per channel when training, "
                         f"got input of shape {dims}")
    if training:
        values = input.tolist() if isinstance(input, Tensor) else input
        _check_finite(op, "input", values)      # NaN or ±inf: the running statistics would never recover
    else:
        variances = running_var.tolist() if isinstance(running_var, Tensor) else _checked(op, running_var)
        _check_finite(op, "running_var", variances)
        if any(_negative(v) for v in variances):
            raise ValueError(f"{op}: running_var holds a negative variance: {variances!r:.60}")
    return _apply(op, _fn.BatchNorm, input, running_mean, running_var, weight, bias, bool(training),
                  momentum, eps)


# --- activations -----------------------------------------------------------------

def _negative(v):
    try:
        return v < 0
    except TypeError:
        return False            # a sympy symbol or a complex number: its arithmetic decides


def _activation(op, function, input):
    """One of refnn.functions' elementwise Functions on a tensor (a nested list becomes one, checked)."""
    if not isinstance(input, Tensor):
        _shape(op, input)
        input = Tensor(input)
    return _apply(op, function, input)


def relu(input, inplace=False):
    """max(0, x) on every number (any shape).

    >>> relu([[-2.0, 0.0, 3.0]])
    tensor([[0.0, 0.0, 3.0]])
    """
    _only("relu", inplace=(inplace, False))
    return _activation("relu", functions.ReLU, input)


def sigmoid(input):
    """σ(x) = 1/(1 + e^(−x)) on every number (any shape).

    >>> sigmoid([0.0])
    tensor([0.5])
    """
    return _activation("sigmoid", functions.Sigmoid, input)


def tanh(input):
    """tanh(x) on every number (any shape).

    >>> tanh([0.0, 100.0])
    tensor([0.0, 1.0])
    """
    return _activation("tanh", functions.Tanh, input)


def _last_dim(op, input, dim):
    """PyTorch's implicit dim for dim=None (0 for 0-, 1- and 3-d inputs, else 1), checked; as 0 to n − 1."""
    dims = _dims_of(op, input)
    if dim is None:
        dim = 0 if len(dims) in (0, 1, 3) else 1
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    n = max(len(dims), 1)
    if not -n <= dim < n:
        _out_of_range(dim, n)
    if 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected at least one number per row")
    return dim % n


def _out_of_range(d, n):
    raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")


def softmax(input, dim=None, dtype=None):
    """e^x / Σ e^x along dim: every row (or column, or line along dim) becomes probabilities adding up to 1.

    >>> [round(p, 6) for p in softmax([[1.0, 2.0, 3.0]], dim=1).tolist()[0]]
    [0.090031, 0.244728, 0.665241]
    >>> softmax([[0.0, 5.0], [0.0, 5.0]], dim=0)          # down the columns: each column shares 1
    tensor([[0.5, 0.5], [0.5, 0.5]])
    """
    _only("softmax", dtype=(dtype, None))
    return _apply("softmax", _fn.Softmax, input, _last_dim("softmax", input, dim))


def log_softmax(input, dim=None, dtype=None):
    """log softmax along dim, computed stably: (x − max) − log Σ e^(x − max).

    >>> log_softmax([[1000.0, 0.0]], dim=1)
    tensor([[0.0, -1000.0]])
    """
    _only("log_softmax", dtype=(dtype, None))
    return _apply("log_softmax", _fn.LogSoftmax, input, _last_dim("log_softmax", input, dim))


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """The image input (N, C, H, W) read at the points of grid (N, H_out, W_out, 2), given in [-1, 1].

    :func:`refnn.sampling.grid_sample` (the seed's ``grid_sample``), always
    giving a tensor; ``align_corners=None`` is False, as PyTorch's default.

    >>> grid_sample([[[[10.0, 20.0, 30.0, 40.0]]]], [[[[-1, 0], [1, 0]]]], align_corners=True)
    tensor([[[[10.0, 40.0]]]])
    """
    if not isinstance(input, Tensor):
        _shape("grid_sample", input)
        input = Tensor(input)
    align_corners = False if align_corners is None else align_corners
    return sampling.grid_sample(input, grid, mode, padding_mode, align_corners)


# --- losses ----------------------------------------------------------------------

def _same_shape(op, input, target):
    dims, target_dims = _dims_of(op, input), _dims_of(op, target)
    if dims != target_dims:
        raise ShapeError(f"{op}: input of shape {dims} and target of shape {target_dims} differ")
    if 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims} is empty")
    for name, x in (("input", input), ("target", target)):
        _check_finite(op, name, x.tolist() if isinstance(x, Tensor) else _checked(op, x))


def _checked(op, x):
    _shape(op, x)
    return x


def _finite(op, loss):
    """The loss, unless it overflowed a float: an inf that looks like a number would mislead the training."""
    value = loss.tolist()
    if not _is_sequence(value) and not _isfinite(value):
        raise ValueError(f"{op}: the loss overflows a float ({value!r}); scale the input and target down")
    return loss


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean squared error: Σ (input − target)² / n over all n entries (or the sum, or each).

    >>> mse_loss([[0.5], [1.0]], [[0.0], [1.0]])                # ((0.5 − 0)² + 0²) / 2
    tensor(0.125)
    >>> mse_loss([1.0, 2.0, 4.0], [1.0, 0.0, 1.0], reduction="sum")
    tensor(13.0)
    >>> mse_loss([[1.0], [2.0]], [1.0, 2.0])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: mse_loss: input of shape (2, 1) and target of shape (2,) differ
    """
    op = "mse_loss"
    reduction = _reduction(op, reduction, size_average, reduce)
    _same_shape(op, input, target)
    return _finite(op, _apply(op, _fn.MseLoss, input, target, reduction))


def _outside_unit_interval(v):
    try:
        return not 0 <= v <= 1
    except TypeError:
        return False            # a sympy symbol stands for a probability


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """−[t·log p + (1 − t)·log(1 − p)] averaged (or summed) over the entries; each log clamped at −100.

    >>> round(binary_cross_entropy([0.9, 0.2], [1.0, 0.0]).item(), 6)     # −(log 0.9 + log 0.8) / 2
    0.164252
    >>> binary_cross_entropy([1.0, 0.0], [0.0, 1.0])                     # both logs clamped at −100
    tensor(100.0)
    >>> binary_cross_entropy([1.5], [1.0])
    Traceback (most recent call last):
        ...
    ValueError: binary_cross_entropy: input[0] = 1.5 is not a probability in [0, 1]
    """
    op = "binary_cross_entropy"
    reduction = _reduction(op, reduction, size_average, reduce)
    _same_shape(op, input, target)
    weight = _broadcast_to(op, "weight", weight, _dims_of(op, input))
    for name, x in (("input", input), ("target", target)):
        values = x.tolist() if isinstance(x, Tensor) else x
        while values and _is_sequence(values[0]):
            values = [v for row in values for v in row]
        for k, v in enumerate(values if _is_sequence(values) else [values]):
            if _outside_unit_interval(v):
                raise ValueError(f"{op}: {name}[{k}] = {v!r} is not a probability in [0, 1]")
    return _finite(op, _apply(op, _fn.BinaryCrossEntropy, input, target, reduction, weight))


def _broadcast_to(op, name, weight, dims):
    """A weight (None, a number, a list or a Tensor) broadcast to the input's shape dims, as nested lists."""
    if weight is None:
        return None
    if not isinstance(weight, Tensor) and not _is_sequence(weight):
        raise TypeError(f"{op}: {name} must be a Tensor or a list of numbers, got {type(weight).__name__}")
    values = weight.tolist() if isinstance(weight, Tensor) else _checked(op, weight)
    shape = _shape(op, values)
    if len(shape) > len(dims) or _broadcast_shape(op, shape, dims) != dims:
        raise ShapeError(f"{op}: {name} of shape {shape} does not broadcast to the input's shape {dims}")
    _check_finite(op, name, values)
    return _expand(values, shape, dims)


def _class_weights(op, weight, classes):
    """None, or one weight per class as a list (PyTorch's message otherwise)."""
    if weight is None:
        return None
    values = weight.tolist() if isinstance(weight, Tensor) else _checked(op, weight)
    if _shape(op, values) != (classes,):
        raise ShapeError(f"{op}: weight tensor should be defined either for all {classes} classes or no "
                         f"classes but got weight tensor of shape: {_shape(op, values)}")
    _check_finite(op, "weight", values)
    return values


def _index(op, name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{op}: {name} must be an int, got {type(value).__name__}")
    return value


def _mean_of_none(op, loss):
    """NaN, PyTorch's mean over no sample (every target ignored), is let through; else _finite."""
    value = loss.tolist()
    return loss if value != value else _finite(op, loss)


def _labels(op, input, target, ignore_index=None):
    """Logits (N, C) and N class indices (or ignore_index), checked; the labels as a list of ints."""
    dims = _dims_of(op, input)
    if len(dims) != 2 or 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected (N, C)")
    labels = target.tolist() if isinstance(target, Tensor) else target
    if not _is_sequence(labels):
        raise TypeError(f"{op}: target must be a list of class indices, got {type(target).__name__}")
    n, classes = dims
    if len(labels) != n:
        raise ShapeError(f"{op}: input of shape {dims} and {len(labels)} targets: expected one class index "
                         f"per row")
    for k, t in enumerate(labels):
        if isinstance(t, bool) or not isinstance(t, int):
            raise TypeError(f"{op}: target[{k}] = {t!r:.40} is a {type(t).__name__}; a class index is an int")
        if not 0 <= t < classes and t != ignore_index:
            raise ValueError(f"{op}: target[{k}] = {t} is not a class index of {classes} classes "
                             f"(0 to {classes - 1})")
    _check_finite(op, "input", input.tolist() if isinstance(input, Tensor) else _checked(op, input))
    return labels


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """−input[n][target[n]] averaged over the samples: the loss of log-probabilities (after log_softmax).

    >>> nll_loss([[-0.5, -1.0], [-2.0, -0.1]], [0, 1])       # (0.5 + 0.1) / 2
    tensor(0.3)

    A class ``weight`` makes a class count more (the mean divides by the
    weights of the targets), and a target equal to ``ignore_index`` counts
    nothing (padding in a batch of sentences):

    >>> x = [[-1.0, -2.0], [-3.0, -4.0]]
    >>> nll_loss(x, [0, 1], weight=[1.0, 3.0]), nll_loss(x, [0, -100])        # (1·1 + 3·4)/(1 + 3); 1/1
    (tensor(3.25), tensor(1.0))
    """
    op = "nll_loss"
    reduction = _reduction(op, reduction, size_average, reduce)
    labels = _labels(op, input, target, _index(op, "ignore_index", ignore_index))
    weight = _class_weights(op, weight, _dims_of(op, input)[1])
    return _mean_of_none(op, _apply(op, _fn.NllLoss, input, labels, reduction, weight, ignore_index))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """log Σ_c e^(x_c) − x_target averaged over the samples: log_softmax, then nll_loss, of logits (N, C).

    >>> round(cross_entropy([[2.0, 0.0, 0.0]], [0]).item(), 6)      # log(e² + 2) − 2
    0.239545
    >>> cross_entropy([[1000.0, 0.0]], [1])                         # huge logits do not overflow
    tensor(1000.0)
    >>> cross_entropy([[1.0, 2.0]], [2])
    Traceback (most recent call last):
        ...
    ValueError: cross_entropy: target[0] = 2 is not a class index of 2 classes (0 to 1)

    The target may be class probabilities, a row per sample of the input's
    shape.  ``label_smoothing`` ε makes the target less certain: class t
    becomes (1 − ε)·onehot(t) + ε/C, so a net is not pushed to ever larger
    logits.  With ε = 0.1 and 2 classes, class 0 is the target [0.95, 0.05]:

    >>> x = [[2.0, 0.0]]
    >>> a = cross_entropy(x, [0], label_smoothing=0.1)
    >>> b = cross_entropy(x, [[0.95, 0.05]])
    >>> round(a.item(), 6), round(b.item(), 6)
    (0.226928, 0.226928)

    ``weight`` and ``ignore_index`` work as in :func:`nll_loss`.
    """
    op = "cross_entropy"
    reduction = _reduction(op, reduction, size_average, reduce)
    _index(op, "ignore_index", ignore_index)
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float)):
        raise TypeError(f"{op}: label_smoothing must be a float, got {type(label_smoothing).__name__}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{op}: label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    dims = _dims_of(op, input)
    if len(dims) == 2 and _dims_of(op, target) == dims:         # class probabilities, one row per sample
        if ignore_index >= 0:
            raise ValueError(f"{op}: ignore_index is not supported for floating point target")
        _same_shape(op, input, target)
        labels = target
    else:
        labels = _labels(op, input, target, ignore_index)
    weight = _class_weights(op, weight, dims[1])
    return _mean_of_none(op, _apply(op, _fn.CrossEntropy, input, labels, reduction, weight, ignore_index,
                                    label_smoothing))


# --- #12: the logits' BCE, dropout, leaky ReLU ---------------------------------

def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(x), t) in one stable step: (1 − t)·x − log σ(x), averaged over entries.

    Give the net's raw scores (logits): σ is taken inside, as
    log σ(x) = min(x, 0) − log(1 + e^(−|x|)), so a score far out of σ's
    range costs what it should instead of a log clamped at −100:

    >>> round(binary_cross_entropy_with_logits([0.0], [1.0]).item(), 6)          # −log σ(0) = log 2
    0.693147
    >>> binary_cross_entropy_with_logits([-200.0], [1.0])                # σ(−200) ≈ e^−200: the loss 200
    tensor(200.0)

    ``pos_weight`` (one per class, broadcast over the input) multiplies the
    loss of the positive targets: ``pos_weight = negatives/positives``
    balances a rare class.  ``weight`` multiplies each entry's loss.
    """
    op = "binary_cross_entropy_with_logits"
    reduction = _reduction(op, reduction, size_average, reduce)
    _same_shape(op, input, target)
    dims = _dims_of(op, input)
    weight = _broadcast_to(op, "weight", weight, dims)
    pos_weight = _broadcast_to(op, "pos_weight", pos_weight, dims)
    return _finite(op, _apply(op, _fn.BinaryCrossEntropyWithLogits, input, target, reduction, weight,
                              pos_weight))


def dropout(input, p=0.5, training=True, inplace=False):
    """In training, each number zeroed with probability p, the rest multiplied by 1/(1 − p); else x as it is.

    Dropping numbers at random keeps a net from leaning on any single one;
    the scaling keeps every number's expected value, so nothing needs to
    change at evaluation, when dropout lets everything through.  The mask
    is drawn from refnn's default generator (``refnn.init.manual_seed``):

    >>> from refnn import init
    >>> _ = init.manual_seed(0)
    >>> dropout([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], p=0.5)     # half dropped (on average), the rest doubled
    tensor([0.0, 0.0, 2.0, 2.0, 0.0, 2.0])
    >>> dropout([1.0, 2.0], p=0.5, training=False)
    tensor([1.0, 2.0])
    >>> dropout([1.0], p=1.5)
    Traceback (most recent call last):
        ...
    ValueError: dropout probability has to be between 0 and 1, but got 1.5
    """
    op = "dropout"
    _only(op, inplace=(inplace, False))
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise TypeError(f"{op}: p must be a float, got {type(p).__name__}")
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    _bool(op, "training", training)
    dims = _dims_of(op, input)
    x = input if isinstance(input, Tensor) else Tensor(_checked(op, input))
    if not training or p == 0 or 0 in dims:
        return x                                    # PyTorch hands the input back
    keep = 1 - p
    scale = 1 / keep if keep else 0.0               # p = 1: every number dropped
    draws = init.uniform_([0.0] * math.prod(dims), 0.0, 1.0)       # bernoulli(1 − p): kept where u < 1 − p
    mask = _nest([scale if u < keep else 0.0 for u in draws], dims)
    return _apply(op, _fn.Dropout, x, mask)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, else negative_slope·x: a ReLU whose negative side still passes a little gradient.

    >>> leaky_relu([[-100.0, 0.0, 3.0]])                  # −100 · 0.01 = −1
    tensor([[-1.0, 0.0, 3.0]])
    >>> leaky_relu([-2.0, 2.0], negative_slope=0.5)
    tensor([-1.0, 2.0])
    """
    op = "leaky_relu"
    _only(op, inplace=(inplace, False))
    _real_number(op, "negative_slope", negative_slope)
    _dims_of(op, input)
    return _apply(op, _fn.LeakyReLU, input, negative_slope)


_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def pad(input, pad, mode="constant", value=None):
    """Images (C, H, W) or (N, C, H, W) widened by pad = (left, right), or (left, right, top, bottom).

    ``constant`` fills with value (0); ``reflect`` mirrors the image about
    its edge, ``replicate`` repeats the edge, ``circular`` wraps around:

    >>> row = [[[1, 2, 3]]]
    >>> [pad(row, (2, 1), mode=m).tolist()[0][0] for m in ("constant", "reflect", "replicate", "circular")]
    [[0, 0, 1, 2, 3, 0], [3, 2, 1, 2, 3, 2], [1, 1, 1, 2, 3, 3], [2, 3, 1, 2, 3, 1]]
    >>> pad(row, (3, 0), mode="reflect")
    Traceback (most recent call last):
        ...
    ValueError: pad: Padding size should be less than the corresponding input dimension, but got: \
padding (3, 0) at dimension 2 of input (1, 1, 3)
    """
    op = "pad"
    if not isinstance(input, Tensor):
        _shape(op, input)           # every number: padding copies them without arithmetic that would complain
    dims = _images(op, input)
    if not isinstance(pad, (tuple, list)) or len(pad) not in (2, 4):
        size = f" of {len(pad)}" if isinstance(pad, (tuple, list)) else ""
        raise ValueError(f"{op}: pad must be (left, right) or (left, right, top, bottom), got a "
                         f"{type(pad).__name__}{size}")
    for p in pad:
        _index(op, "pad", p)
        if p < 0:
            raise ValueError(f"{op}: refnn pads only, got a negative pad {p} (PyTorch would crop)")
    if mode not in _PAD_MODES:
        raise ValueError(f"{op}: Unrecognised padding mode {mode!r:.40}")
    if value is not None and mode != "constant":
        raise ValueError(f"{op}: padding mode {mode!r} does not take a value")
    pad = (*pad, 0, 0)[:4]
    for dim, (a, b) in ((len(dims) - 1, pad[:2]), (len(dims) - 2, pad[2:])):
        if mode == "reflect" and max(a, b) >= dims[dim]:
            raise ValueError(f"{op}: Padding size should be less than the corresponding input dimension, but "
                             f"got: padding ({a}, {b}) at dimension {dim} of input {dims}")
        if mode == "circular" and max(a, b) > dims[dim]:
            raise ValueError(f"{op}: Padding value causes wrapping around more than once.")
    size = (dims[-2] + pad[2] + pad[3], dims[-1] + pad[0] + pad[1])
    _count(op, "the padded images", math.prod(dims[:-2]) * size[0] * size[1])
    return _apply(op, _fn.Pad, input, pad, mode, None if value is None else _real_number(op, "value", value))
