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

Where PyTorch offers more options than refnn (``dilation``, ``groups``,
``ceil_mode``, a class ``weight``, ``ignore_index``, ``label_smoothing``)
the default value is accepted and any other is refused.
"""
import math

from refnn._checks import _bool, _check_finite, _count, _is_sequence, _isfinite, _shape, ShapeError
import refnn.nn._functions as _fn
from refnn import functions, sampling
from refnn.nn._nested import _dims_of, _int_pair
from refnn.tensors import Tensor

__all__ = [
    "linear", "conv2d", "max_pool2d", "avg_pool2d", "batch_norm", "relu", "sigmoid", "tanh",
    "softmax", "log_softmax", "mse_loss", "binary_cross_entropy", "cross_entropy", "nll_loss", "grid_sample",
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
    if len(dims) not in (1, 2) or dims[-1] != w[1]:
        raise ShapeError(f"{op}: input of shape {dims} and weight of shape {w}: expected the input's "
                         f"last size {w[1]}")
    if bias is not None and _dims_of(op, bias) != w[:1]:
        raise ShapeError(f"{op}: bias of shape {_dims_of(op, bias)}: expected ({w[0]},)")
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
    """2-d convolution: ``out[n][o] = bias[o] + Σ_c weight[o][c] ⋆ input[n][c]``, weight (O, C, kH, kW).

    Output size ``(H + 2·padding − kH) // stride + 1`` (and the columns alike).

    >>> conv2d([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[[1, 0], [0, -1]]]])      # top-left minus bottom-right
    tensor([[[-4, -4], [-4, -4]]])
    >>> conv2d([[[1.0, 2.0]]], [[[[1.0, 1.0]]]], stride=(1, 2), padding=(0, 1))   # windows [0, 1], [2, 0]
    tensor([[[1.0, 2.0]]])
    """
    op = "conv2d"
    _only(op, dilation=(dilation, 1), groups=(groups, 1))
    w = _dims_of(op, weight)
    if len(w) != 4 or 0 in w:
        raise ShapeError(f"{op}: weight of shape {w}: expected (out_channels, in_channels, kH, kW)")
    dims = _images(op, input, w[1])
    stride, padding = _int_pair(op, "stride", stride, 1), _int_pair(op, "padding", padding, 0)
    size = (dims[-2] + 2 * padding[0], dims[-1] + 2 * padding[1])
    _count(op, "the padded images", math.prod(dims[:-2]) * size[0] * size[1])
    _fits(op, size, w[2:], stride)
    if bias is not None and _dims_of(op, bias) != w[:1]:
        raise ShapeError(f"{op}: bias of shape {_dims_of(op, bias)}: expected ({w[0]},)")
    return _apply(op, _fn.Conv2d, input, weight, bias, stride, padding)


def _pool(op, function, input, kernel_size, stride):
    if not isinstance(input, Tensor):
        _shape(op, input)           # every number: a maximum would pass a str through without complaint
    dims = _images(op, input)
    kernel = _int_pair(op, "kernel_size", kernel_size, 1)
    stride = kernel if stride is None or stride == [] else _int_pair(op, "stride", stride, 1)
    _fits(op, dims[-2:], kernel, stride)
    return _apply(op, function, input, kernel, stride)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The largest number of every kernel_size window, moved by stride (default: kernel_size).

    >>> max_pool2d([[[1, 2, 5, 6], [3, 4, 7, 8], [9, 9, 0, 1], [9, 9, 1, 0]]], 2)
    tensor([[[4, 8], [9, 1]]])
    """
    op = "max_pool2d"
    _only(op, padding=(padding, 0), dilation=(dilation, 1), ceil_mode=(ceil_mode, False),
          return_indices=(return_indices, False))
    return _pool(op, _fn.MaxPool2d, input, kernel_size, stride)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of every kernel_size window, moved by stride (default: kernel_size).

    >>> avg_pool2d([[[1, 2, 5, 6], [3, 4, 7, 8], [9, 9, 0, 1], [9, 9, 1, 0]]], 2)
    tensor([[[2.5, 6.5], [9.0, 0.5]]])
    """
    op = "avg_pool2d"
    _only(op, padding=(padding, 0), ceil_mode=(ceil_mode, False), count_include_pad=(count_include_pad, True),
          divisor_override=(divisor_override, None))
    return _pool(op, _fn.AvgPool2d, input, kernel_size, stride)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-05):
    """Every column of input (N, C) normalised, then scaled by weight and shifted by bias.

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
    if len(dims) != 2 or 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected (N, C)")
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and _dims_of(op, t) != dims[1:]:
            raise ShapeError(f"{op}: {name} of shape {_dims_of(op, t)}: expected ({dims[1]},)")
    if training and dims[0] < 2:
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
    """PyTorch's implicit dim for dim=None (0 for 0-, 1- and 3-d inputs, else 1), checked to be the last."""
    dims = _dims_of(op, input)
    if dim is None:
        dim = 0 if len(dims) in (0, 1, 3) else 1
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    n = max(len(dims), 1)
    if not -n <= dim < n:
        _out_of_range(dim, n)
    if dim % n != n - 1:
        raise ValueError(f"{op}: refnn takes the softmax along the last dim ({n - 1}) only, got dim={dim}")
    if not dims or 0 in dims:
        raise ShapeError(f"{op}: input of shape {dims}: expected at least one number per row")


def _out_of_range(d, n):
    raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")


def softmax(input, dim=None, dtype=None):
    """e^x / Σ e^x along dim (the last): every row becomes probabilities that add up to 1.

    >>> [round(p, 6) for p in softmax([[1.0, 2.0, 3.0]], dim=1).tolist()[0]]
    [0.090031, 0.244728, 0.665241]
    """
    _only("softmax", dtype=(dtype, None))
    _last_dim("softmax", input, dim)
    return _apply("softmax", _fn.Softmax, input)


def log_softmax(input, dim=None, dtype=None):
    """log softmax along dim (the last), computed stably: (x − max) − log Σ e^(x − max).

    >>> log_softmax([[1000.0, 0.0]], dim=1)
    tensor([[0.0, -1000.0]])
    """
    _only("log_softmax", dtype=(dtype, None))
    _last_dim("log_softmax", input, dim)
    return _apply("log_softmax", _fn.LogSoftmax, input)


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
    _only(op, weight=(weight, None))
    reduction = _reduction(op, reduction, size_average, reduce)
    _same_shape(op, input, target)
    for name, x in (("input", input), ("target", target)):
        values = x.tolist() if isinstance(x, Tensor) else x
        while values and _is_sequence(values[0]):
            values = [v for row in values for v in row]
        for k, v in enumerate(values if _is_sequence(values) else [values]):
            if _outside_unit_interval(v):
                raise ValueError(f"{op}: {name}[{k}] = {v!r} is not a probability in [0, 1]")
    return _finite(op, _apply(op, _fn.BinaryCrossEntropy, input, target, reduction))


def _labels(op, input, target):
    """Logits (N, C) and N class indices, checked; the labels as a list of ints."""
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
        if not 0 <= t < classes:
            raise ValueError(f"{op}: target[{k}] = {t} is not a class index of {classes} classes "
                             f"(0 to {classes - 1})")
    _check_finite(op, "input", input.tolist() if isinstance(input, Tensor) else _checked(op, input))
    return labels


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """−input[n][target[n]] averaged over the samples: the loss of log-probabilities (after log_softmax).

    >>> nll_loss([[-0.5, -1.0], [-2.0, -0.1]], [0, 1])       # (0.5 + 0.1) / 2
    tensor(0.3)
    """
    op = "nll_loss"
    _only(op, weight=(weight, None), ignore_index=(ignore_index, -100))
    reduction = _reduction(op, reduction, size_average, reduce)
    labels = _labels(op, input, target)
    return _finite(op, _apply(op, _fn.NllLoss, input, labels, reduction))


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
    """
    op = "cross_entropy"
    _only(op, weight=(weight, None), ignore_index=(ignore_index, -100),
          label_smoothing=(label_smoothing, 0.0))
    reduction = _reduction(op, reduction, size_average, reduce)
    labels = _labels(op, input, target)
    return _finite(op, _apply(op, _fn.CrossEntropy, input, labels, reduction))
