"""The Functions of refnn.nn: every layer's forward with its hand-written backward beside it.

Each class is a :class:`refnn.autograd.Function`: ``forward(ctx, ...)``
computes the layer's output from plain values (nested lists of numbers)
and saves what the derivative needs; ``backward(ctx, grad)`` turns
∂loss/∂output into one gradient per input, skipping those that
``ctx.needs_input_grad`` says nobody wants (the first layer's ∂loss/∂x).
These are the backward passes the layers of chapter 6 once wrote by hand;
autograd now calls them.  The arguments were checked by
:mod:`refnn.nn.functional`, which is the way in.

>>> from refnn.tensors import tensor
>>> w = tensor([[2.0, 3.0, 0.0]], requires_grad=True)
>>> y = Linear.apply([[1.0, 1.0, -1.0]], w, None)      # the seed's 1*2 + 1*3 + (-1)*0 = 5
>>> y
tensor([[5.0]], grad_fn=<LinearBackward>)
>>> y.backward(tensor([[1.0]]))
>>> w.grad                                               # ∂y/∂W = x
tensor([[1.0, 1.0, -1.0]])
"""
import math
from itertools import product
from operator import mul, sub

from refnn.activations import clamped_log
from refnn._kernels import _linear, _matmul, _transpose
from refnn._checks import _sympy_or_error
from refnn._nested import _flatten, _map, _nest, _shape_of
from refnn.activations import sigmoid
from refnn.autograd import Function
from refnn.nn._nested import _exp, _log, _on_rows, _sqrt

__all__ = []

# PyTorch divides BCE's gradient by max(p(1 − p), EPSILON) with EPSILON = 1e-12 held
# as a C float: float32(1e-12), which is this double.
_EPSILON = 9.999999960041972e-13


def _reduce(values, reduction):
    """The per-entry losses as they are ("none"), their mean or their sum."""
    if reduction == "none":
        return values
    total = sum(values)
    return total / len(values) if reduction == "mean" else total


def _scale(grad, n, reduction):
    """∂loss/∂(each entry's loss), a list of n: grad/n (mean), grad (sum), grad's own entries (none)."""
    if reduction == "none":
        return grad
    return [grad / n if reduction == "mean" else grad] * n


# --- Linear ------------------------------------------------------------------

class Linear(Function):
    """y = x·Wᵀ + b; backward: ∂L/∂x = g·W, ∂L/∂W = gᵀ·x, ∂L/∂b = g summed over the batch.

    x is a batch (N, in_features) or one sample (in_features,); W is
    (out_features, in_features), one row per output neuron.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0]], requires_grad=True)
    >>> w = tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], requires_grad=True)
    >>> b = tensor([0.0, 0.0, 0.0], requires_grad=True)
    >>> y = Linear.apply(x, w, b)
    >>> y
    tensor([[1.0, 2.0, 3.0]], grad_fn=<LinearBackward>)
    >>> y.backward(tensor([[1.0, 0.0, 1.0]]))
    >>> x.grad, b.grad
    (tensor([[2.0, 1.0]]), tensor([1.0, 0.0, 1.0]))
    >>> w.grad
    tensor([[1.0, 2.0], [0.0, 0.0], [1.0, 2.0]])
    """

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.batched = batched = bool(x) and isinstance(x[0], list)
        rows = x if batched else [x]
        ctx.save_for_backward(rows, weight)
        out = _linear(rows, weight, bias)                    # x·Wᵀ + b
        return out if batched else out[0]

    @staticmethod
    def backward(ctx, grad):
        rows, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        g = grad if ctx.batched else [grad]
        g_columns = list(zip(*g))
        grad_w = _linear(g_columns, list(zip(*rows))) if need_w else None     # ∂L/∂W = gᵀ·x
        grad_b = list(map(sum, g_columns)) if need_b else None              # ∂L/∂b = Σ over the batch
        grad_x = None
        if need_x:                                                          # ∂L/∂x = g·W
            grad_x = _matmul(g, weight) if ctx.batched else _matmul(g, weight)[0]
        return grad_x, grad_w, grad_b


# --- Conv2d ------------------------------------------------------------------

def _windows(size, kernel_size, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
    """The (row, col) cells of every window, output position by position, and the output's (H, W).

    Window (i, j) starts at (i·stride − padding) and takes every dilation-th
    cell of a kernel_size block; cells in the padding are left out (a
    convolution pads with zeros first, a pooling pools over what is left).
    """
    (h, w), (kh, kw), (sh, sw), (ph, pw), (dh, dw) = size, kernel_size, stride, padding, dilation
    out = tuple(map(_out_size, size, kernel_size, stride, padding, dilation, (ceil_mode,) * 2))
    cells = [[(a, b) for a in range(i * sh - ph, i * sh - ph + kh * dh, dh) if 0 <= a < h
              for b in range(j * sw - pw, j * sw - pw + kw * dw, dw) if 0 <= b < w]
             for i in range(out[0]) for j in range(out[1])]
    return cells, out


def _out_size(n, k, s, p, d, ceil_mode):
    """PyTorch's output size ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 (⌈⌉ with ceil_mode, the last window inside)."""
    out = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    return out - 1 if ceil_mode and (out - 1) * s >= n + p else out


def _pad(image, padding):
    """The image with ``padding`` rows and columns of zeros around every channel."""
    ph, pw = padding
    if ph == pw == 0:
        return image
    edge = [[0] * (len(image[0][0]) + 2 * pw)] * ph            # read only: one row object is enough
    side = [0] * pw
    return [edge + [[*side, *row, *side] for row in plane] + edge for plane in image]


def _kernels(weight):
    """Every output channel's kernel (C, kH, kW) unrolled into one row, in the patches' order."""
    return [[v for plane in kernel for row in plane for v in row] for kernel in weight]


def _fold(grad_patches, windows, dims, padding):
    """Add each patch's gradient back onto the pixels of its window (col2im), then cut the padding."""
    (C, H, W), (ph, pw) = dims, padding
    image = [[[0.0] * (W + 2 * pw) for _ in range(H + 2 * ph)] for _ in range(C)]
    for cells, row in zip(windows, grad_patches):
        for (plane, (a, b)), v in zip(product(image, cells), row):
            plane[a][b] += v
    return [[row[pw:pw + W] for row in plane[ph:ph + H]] for plane in image]


class Conv2d(Function):
    """out[n][o] = bias[o] + Σ_c weight[o][c] ⋆ x[n][c], computed as kernels · patchesᵀ (im2col).

    Every window is unrolled into a row of "patches" P, every kernel into a
    row of weights K, and output = K·Pᵀ.  Backward, for ∂loss/∂out = G
    (unrolled like the output, one row per output channel): ∂loss/∂W = G·P,
    ∂loss/∂b = the sum of each row of G, and ∂loss/∂x folds Gᵀ·K back onto
    the pixels each patch came from (col2im).

    >>> from refnn.tensors import tensor
    >>> w = tensor([[[[1.0, 2.0], [3.0, 4.0]]]], requires_grad=True)
    >>> x = tensor([[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]], requires_grad=True)      # one image (1, 2, 3)
    >>> out = Conv2d.apply(x, w, None, (1, 1), (0, 0))
    >>> out
    tensor([[[10.0, 10.0]]], grad_fn=<Conv2dBackward>)
    >>> out.backward(tensor([[[1.0, 1.0]]]))
    >>> x.grad                                  # each pixel gets the weights it met
    tensor([[[1.0, 3.0, 2.0], [3.0, 7.0, 4.0]]])
    >>> w.grad
    tensor([[[[2.0, 2.0], [2.0, 2.0]]]])
    """

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation=(1, 1), groups=1):
        batched = len(_shape_of(x)) == 4
        batch = x if batched else [x]
        C, H, W = len(batch[0]), len(batch[0][0]), len(batch[0][0][0])
        (ph, pw), O = padding, len(weight)
        kernel_size = (len(weight[0][0]), len(weight[0][0][0]))
        windows, (Ho, Wo) = _windows((H + 2 * ph, W + 2 * pw), kernel_size, stride, dilation=dilation)
        kernels = _kernels(weight)                                                  # (O, C/groups·kH·kW)
        patches = [[plane[a][b] for plane in image for a, b in cells]               # (N·Ho·Wo, C·kH·kW)
                   for image in (_pad(image, padding) for image in batch) for cells in windows]
        patches = _by_group(patches, groups)            # group g sees only its C/groups input channels
        per = O // groups
        out = [[sum(map(mul, k, p)) + b for p in patches[o // per]]
               for o, (k, b) in enumerate(zip(kernels, bias or [0] * O))]
        L = Ho * Wo
        ctx.save_for_backward(patches, kernels)
        ctx.windows, ctx.batched, ctx.dims, ctx.padding, ctx.kernel = windows, batched, (C, H, W), padding, \
            kernel_size
        out = [[_nest(row[n * L:(n + 1) * L], (Ho, Wo)) for row in out] for n in range(len(batch))]
        return out if batched else out[0]

    @staticmethod
    def backward(ctx, grad):
        patches, kernels = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        g = grad if ctx.batched else [grad]
        G = [[v for sample in g for row in sample[o] for v in row] for o in range(len(kernels))]
        groups, kh, kw = len(patches), *ctx.kernel
        per, C = len(kernels) // groups, ctx.dims[0] // groups
        Gs, Ks = [G[k * per:(k + 1) * per] for k in range(groups)], [kernels[k * per:(k + 1) * per]
                                                                         for k in range(groups)]
        grad_w = [_nest(row, (C, kh, kw)) for G_k, P_k in zip(Gs, patches)                    # G·P
                  for row in _matmul(G_k, P_k)] if need_w else None
        grad_b = [sum(row) for row in G] if need_b else None
        grad_x = None
        if need_x:
            parts = [_matmul(_transpose(G_k), K_k) for G_k, K_k in zip(Gs, Ks)]                  # Gᵀ·K
            grad_patches = parts[0] if groups == 1 else [[v for part in rows for v in part]
                                                         for rows in zip(*parts)]
            L = len(ctx.windows)
            grad_x = [_fold(grad_patches[n * L:(n + 1) * L], ctx.windows, ctx.dims, ctx.padding)
                      for n in range(len(g))]
            grad_x = grad_x if ctx.batched else grad_x[0]
        return grad_x, grad_w, grad_b, None, None, None, None


def _by_group(patches, groups):
    """The patches cut into groups: group g's rows hold the cells of its input channels only (a slice)."""
    if groups == 1:
        return [patches]
    span = len(patches[0]) // groups
    return [[p[k * span:(k + 1) * span] for p in patches] for k in range(groups)]


# --- pooling -----------------------------------------------------------------

def _pool_forward(ctx, x, kernel_size, stride, pool, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
    """A window slid over every channel, window number k reduced to one number by pool(values, cells, k)."""
    ctx.batched = batched = len(_shape_of(x)) == 4
    batch = x if batched else [x]
    C, H, W = len(batch[0]), len(batch[0][0]), len(batch[0][0][0])
    windows, (Ho, Wo) = _windows((H, W), kernel_size, stride, padding, dilation, ceil_mode)
    out, routes = [], []            # routes: for every output, the (cell, share) its gradient goes to
    for image in batch:
        for plane in image:
            pooled = [pool([plane[a][b] for a, b in cells], cells, k) for k, cells in enumerate(windows)]
            out.append([[v for v, _ in pooled[i * Wo:(i + 1) * Wo]] for i in range(Ho)])
            routes.append([route for _, route in pooled])
    ctx.save_for_backward(routes)
    ctx.size = (H, W)
    out = [out[n * C:(n + 1) * C] for n in range(len(batch))]
    return out if batched else out[0]


def _pool_backward(ctx, grad):
    """Each window's gradient sent along its routes: (cell, share) pairs; overlapping windows add up."""
    routes, = ctx.saved_tensors
    (H, W), g = ctx.size, grad if ctx.batched else [grad]
    planes = []
    for plane_routes, g_plane in zip(routes, (plane for image in g for plane in image)):
        plane = [[0.0] * W for _ in range(H)]
        for route, gv in zip(plane_routes, (v for row in g_plane for v in row)):
            for (a, b), share in route:
                plane[a][b] += gv * share
        planes.append(plane)
    C = len(routes) // len(g)
    images = [planes[n * C:(n + 1) * C] for n in range(len(g))]
    return (images if ctx.batched else images[0]), None, None


def _max_window(values, cells, index=None):
    k = max(range(len(values)), key=values.__getitem__)       # the first maximum
    return values[k], ((cells[k], 1),)


def _divisors(size, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """What each window's sum is divided by: PyTorch's rule, window by window.

    divisor_override if given; else the window's cells counted with the
    zero padding (count_include_pad) or without it.  A window that runs
    past the padding (ceil_mode) counts only up to the padding's edge.
    """
    (h, w), (kh, kw), (sh, sw), (ph, pw) = size, kernel_size, stride, padding
    out = [_out_size(n, k, s, p, 1, ceil_mode) for n, k, s, p in zip(size, kernel_size, stride, padding)]
    divisors = []
    for i, j in product(range(out[0]), range(out[1])):
        top, left = i * sh - ph, j * sw - pw
        bottom, right = min(top + kh, h + ph), min(left + kw, w + pw)         # up to the padding's edge
        inside = (min(bottom, h) - max(top, 0)) * (min(right, w) - max(left, 0))     # without the padding
        padded = (bottom - top) * (right - left)
        divisors.append(divisor_override or (padded if count_include_pad else inside))
    return divisors


class MaxPool2d(Function):
    """The largest number of every window; backward gives the window's gradient to that number.

    On a tie the first maximum in reading order wins, as in PyTorch;
    overlapping windows (stride < kernel_size) add their shares.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[[1.0, 2.0, 3.0], [4.0, 9.0, 6.0], [7.0, 8.0, 5.0]]], requires_grad=True)
    >>> y = MaxPool2d.apply(x, (2, 2), (1, 1))
    >>> y
    tensor([[[9.0, 9.0], [9.0, 9.0]]], grad_fn=<MaxPool2dBackward>)
    >>> y.sum().backward()
    >>> x.grad                                   # the 9 wins all four windows
    tensor([[[0.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0]]])
    """

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
        return _pool_forward(ctx, x, kernel_size, stride, _max_window, padding, dilation, ceil_mode)

    @staticmethod
    def backward(ctx, grad):
        return _pool_backward(ctx, grad)


class AvgPool2d(Function):
    """The mean of every window; backward gives each of its k numbers 1/k of the window's gradient.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[[1.0, 3.0, 10.0, 20.0]]], requires_grad=True)
    >>> y = AvgPool2d.apply(x, (1, 2), (1, 2))
    >>> y
    tensor([[[2.0, 15.0]]], grad_fn=<AvgPool2dBackward>)
    >>> y.backward(tensor([[[1.0, 4.0]]]))
    >>> x.grad
    tensor([[[0.5, 0.5, 2.0, 2.0]]])
    """

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding=(0, 0), ceil_mode=False, count_include_pad=True,
                divisor_override=None):
        size = _shape_of(x)[-2:]
        divisors = _divisors(size, kernel_size, stride, padding, ceil_mode, count_include_pad,
                             divisor_override)

        def mean(values, cells, index):     # the window's sum over its divisor; each cell gets 1/divisor
            d = divisors[index]
            return sum(values) / d, [(cell, 1 / d) for cell in cells]
        return _pool_forward(ctx, x, kernel_size, stride, mean, padding, (1, 1), ceil_mode)

    @staticmethod
    def backward(ctx, grad):
        return _pool_backward(ctx, grad)


# --- BatchNorm ---------------------------------------------------------------

class BatchNorm(Function):
    """y = γ·x̂ + β with x̂ = (x − mean)/√(var + eps) per column of x (N, C); the running statistics move.

    Training: the batch's mean and biased variance (÷N) normalise, and the
    running statistics (changed in place, as PyTorch's) move by momentum,
    ``running = (1 − momentum)·running + momentum·batch``, with the
    unbiased variance (÷(N − 1)) for ``running_var``.  Evaluation: the
    running statistics normalise.  Backward in training goes through the
    batch statistics too: ``∂L/∂x = γ/(N·√(var + eps)) · (N·g − Σg − x̂·Σ(g·x̂))``;
    in evaluation it is ``g·γ/√(running_var + eps)``.  ``∂L/∂γ = Σ g·x̂``,
    ``∂L/∂β = Σ g``.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[0.0], [4.0]], requires_grad=True)
    >>> mean, var = [0.0], [1.0]
    >>> y = BatchNorm.apply(x, mean, var, [1.0], [0.0], True, 0.1, 1e-5)
    >>> [round(v, 4) for row in y.tolist() for v in row], mean, [round(v, 6) for v in var]
    ([-1.0, 1.0], [0.2], [1.7])
    >>> y.backward(tensor([[1.0], [1.0]]))      # a shift of every sample is normalised away
    >>> x.grad
    tensor([[0.0], [0.0]])
    """

    @staticmethod
    def forward(ctx, x, running_mean, running_var, weight, bias, training, momentum, eps):
        ctx.dims = _shape_of(x)
        x = _channel_rows(x, ctx.dims)          # (N, C, *): a channel's numbers over N and * form its column
        n, C = len(x), len(x[0])
        if training:
            columns = list(zip(*x))
            mean = [sum(col) / n for col in columns]
            var = [sum((v - m) * (v - m) for v in col) / n for col, m in zip(columns, mean)]      # biased
        else:
            mean, var = running_mean, running_var
        inv_std = [1 / _sqrt(v + eps) for v in var]
        x_hat = [[(v - m) * s for v, m, s in zip(row, mean, inv_std)] for row in x]
        if training and running_mean is not None:       # moved last: a failed forward changes nothing
            running_mean[:] = [(1 - momentum) * r + momentum * v for r, v in zip(running_mean, mean)]
        if training and running_var is not None:
            running_var[:] = [(1 - momentum) * r + momentum * v * n / (n - 1)                     # unbiased
                              for r, v in zip(running_var, var)]
        gamma, beta = weight or [1] * C, bias or [0] * C
        ctx.save_for_backward(x_hat, inv_std, gamma)
        ctx.training = training
        return _channel_planes([[h * w + b for h, w, b in zip(row, gamma, beta)] for row in x_hat], ctx.dims)

    @staticmethod
    def backward(ctx, grad):
        x_hat, inv_std, gamma = ctx.saved_tensors
        need_x, need_w, need_b = (ctx.needs_input_grad[i] for i in (0, 3, 4))
        grad = _channel_rows(grad, ctx.dims)
        g_columns, h_columns = list(zip(*grad)), list(zip(*x_hat))
        d_gamma = [sum(map(mul, g, h)) for g, h in zip(g_columns, h_columns)]      # Σ g·x̂
        d_beta = [sum(g) for g in g_columns]                                        # Σ g
        grad_x = None
        if need_x and ctx.training:
            n = len(grad)
            scale = [w * s / n for w, s in zip(gamma, inv_std)]
            grad_x = [[c * (n * gv - sb - h * sg)
                       for gv, h, c, sb, sg in zip(g_row, h_row, scale, d_beta, d_gamma)]
                      for g_row, h_row in zip(grad, x_hat)]
        elif need_x:
            grad_x = [[gv * w * s for gv, w, s in zip(g_row, gamma, inv_std)] for g_row in grad]
        grad_x = None if grad_x is None else _channel_planes(grad_x, ctx.dims)
        return grad_x, None, None, d_gamma if need_w else None, d_beta if need_b else None, None, None, None


def _channel_rows(x, dims):
    """x of shape (N, C, *) as rows of C numbers, one per sample and place (N·Π*, C); (N, C) as it is."""
    if len(dims) == 2:
        return x
    if 0 not in dims:       # each sample's C planes read flat, side by side: zip gives each place's C numbers
        return [list(place) for sample in x
                for place in zip(*(_flatten(plane, dims[2:]) for plane in sample))]
    moved = _movedim(x, dims, 1, len(dims) - 1)
    return _nest(_flatten(moved, dims[:1] + dims[2:] + dims[1:2]), (math.prod(dims) // dims[1], dims[1]))


def _channel_planes(rows, dims):
    """The inverse of _channel_rows: rows (N·Π*, C) back to the shape (N, C, *)."""
    if len(dims) == 2:
        return rows
    places = math.prod(dims[2:])
    if 0 not in dims:       # each sample's places side by side, unzipped into its C planes
        return [[_nest(list(channel), dims[2:]) for channel in zip(*rows[n * places:(n + 1) * places])]
                for n in range(dims[0])]
    moved = dims[:1] + dims[2:] + dims[1:2]
    return _movedim(_nest(_flatten(rows, (len(rows), dims[1])), moved), moved, len(dims) - 1, 1)


# --- softmax and its log -----------------------------------------------------

def _along(f, ctx, *xs):
    """f on the rows along dim ctx.dim of nested lists of shape ctx.dims: that dim is moved last and back."""
    n = len(ctx.dims)
    last = max(n - 1, 0)
    dim = ctx.dim % n if n else 0
    if dim == last:
        return _on_rows(f, n, *xs)
    moved = [_movedim(x, ctx.dims, dim, last) for x in xs]
    order = _moved_order(n, dim, last)
    return _movedim(_on_rows(f, n, *moved), tuple(ctx.dims[i] for i in order), last, dim)


def _moved_order(n, source, destination):
    order = list(range(n))
    order.insert(destination, order.pop(source))
    return order


def _movedim(x, dims, source, destination):
    """x with its dim source moved to place destination (PyTorch's movedim), as a new nested list."""
    order = _moved_order(len(dims), source, destination)
    strides = [math.prod(dims[k + 1:]) for k in range(len(dims))]
    flat = _flatten(x, dims)
    new = tuple(dims[i] for i in order)
    return _nest([flat[sum(i * strides[o] for i, o in zip(index, order))]
                  for index in product(*map(range, new))], new)

def _log_softmax_row(row):
    """log(e^v / Σ_u e^u) for every v of a row, as (v − m) − log Σ_u e^(u − m) with m = max(row).

    The shift by the largest logit keeps every e^(u − m) at most 1, so none
    overflows, and subtracting m before the log keeps the small differences exact.
    """
    try:
        m = max(row)
    except TypeError:
        m = 0                   # sympy symbols have no order; the formula needs no shift to be exact
    shifted = [v - m for v in row]
    log_total = _log(sum(_exp(s) for s in shifted))
    return [s - log_total for s in shifted]


class LogSoftmax(Function):
    """log softmax(x) along the last dim; backward: g − softmax(x)·Σg, row by row.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[0.0, 0.0]], requires_grad=True)
    >>> y = LogSoftmax.apply(x)
    >>> [round(v, 6) for v in y.tolist()[0]]              # log ½
    [-0.693147, -0.693147]
    >>> y.backward(tensor([[1.0, 0.0]]))
    >>> x.grad                                            # [1, 0] − ½·1
    tensor([[0.5, -0.5]])
    """

    @staticmethod
    def forward(ctx, x, dim=-1):
        ctx.dims, ctx.dim = _shape_of(x), dim
        out = _along(_log_softmax_row, ctx, x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors

        def row(gs, lps):
            total = sum(gs)
            return [g - _exp(lp) * total for g, lp in zip(gs, lps)]
        return _along(row, ctx, grad, out), None


class Softmax(Function):
    """softmax(x) = e^x / Σ e^x along the last dim; backward: s·(g − Σ g·s), row by row.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[0.0, 0.0]], requires_grad=True)
    >>> y = Softmax.apply(x)
    >>> y
    tensor([[0.5, 0.5]], grad_fn=<SoftmaxBackward>)
    >>> y.backward(tensor([[1.0, 0.0]]))
    >>> x.grad                                            # ½·(1 − ½), ½·(0 − ½)
    tensor([[0.25, -0.25]])
    """

    @staticmethod
    def forward(ctx, x, dim=-1):
        ctx.dims, ctx.dim = _shape_of(x), dim
        out = _along(lambda row: [_exp(v) for v in _log_softmax_row(row)], ctx, x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors

        def row(gs, ss):
            total = sum(map(mul, gs, ss))
            return [s * (g - total) for g, s in zip(gs, ss)]
        return _along(row, ctx, grad, out), None


# --- losses ------------------------------------------------------------------

class MseLoss(Function):
    """Σ (x − t)²/n (mean), or the sum, or each; backward: 2·(x − t)/n for x, its negative for t.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[0.5], [1.0]], requires_grad=True)
    >>> loss = MseLoss.apply(x, [[0.0], [1.0]], "mean")        # ((0.5 − 0)² + 0²) / 2
    >>> loss
    tensor(0.125, grad_fn=<MseLossBackward>)
    >>> loss.backward()
    >>> x.grad                                                 # 2·(output − target) / 2
    tensor([[0.5], [0.0]])
    """

    @staticmethod
    def forward(ctx, x, target, reduction):
        ctx.dims, ctx.reduction = _shape_of(x), reduction
        diff = list(map(sub, _flatten(x, ctx.dims), _flatten(target, ctx.dims)))
        ctx.save_for_backward(diff)
        out = _reduce([d * d for d in diff], reduction)
        return _nest(out, ctx.dims) if reduction == "none" else out

    @staticmethod
    def backward(ctx, grad):
        diff, = ctx.saved_tensors
        g = _flatten(grad, ctx.dims) if ctx.reduction == "none" else grad
        scale = _scale(g, len(diff), ctx.reduction)
        grad_x = [2 * s * d for s, d in zip(scale, diff)]                      # d/dx (x − t)² = 2(x − t)
        need_x, need_t = ctx.needs_input_grad[:2]
        return (_nest(grad_x, ctx.dims) if need_x else None,
                _nest([-v for v in grad_x], ctx.dims) if need_t else None, None)


class BinaryCrossEntropy(Function):
    """−[t·log p + (1 − t)·log(1 − p)] per entry, each log clamped at −100; mean, sum or each.

    The gradient is PyTorch's, (p − t) / max(p(1 − p), ε) with ε = 10⁻¹² (as
    a 32-bit float): the derivative wherever no log is clamped, and huge
    but finite where it is.

    >>> from refnn.tensors import tensor
    >>> p = tensor([0.5, 0.5], requires_grad=True)
    >>> loss = BinaryCrossEntropy.apply(p, [1, 0], "mean")
    >>> round(loss.item(), 6)                           # log 2
    0.693147
    >>> loss.backward()
    >>> p.grad                                          # (0.5 − 1)/0.25/2, (0.5 − 0)/0.25/2
    tensor([-1.0, 1.0])
    """

    @staticmethod
    def forward(ctx, p, target, reduction, weight=None):
        ctx.dims, ctx.reduction = _shape_of(p), reduction
        ps, ts = _flatten(p, ctx.dims), _flatten(target, ctx.dims)
        ws = [1] * len(ps) if weight is None else _flatten(weight, ctx.dims)    # weight: the input's shape
        ctx.save_for_backward(ps, ts, ws)
        out = _reduce([-w * (t * clamped_log(v) + (1 - t) * clamped_log(1 - v))
                       for v, t, w in zip(ps, ts, ws)], reduction)
        return _nest(out, ctx.dims) if reduction == "none" else out

    @staticmethod
    def backward(ctx, grad):
        ps, ts, ws = ctx.saved_tensors
        g = _flatten(grad, ctx.dims) if ctx.reduction == "none" else grad
        scale = _scale(g, len(ps), ctx.reduction)
        grad_p = [s * w * (p - t) / _max_eps(p * (1 - p)) for s, p, t, w in zip(scale, ps, ts, ws)]
        return _nest(grad_p, ctx.dims), None, None, None


def _max_eps(v):
    try:
        return max(v, _EPSILON)
    except TypeError:
        return v                # a sympy expression: the exact derivative


class NllLoss(Function):
    """−x[n][target[n]] per sample, for log-probabilities x (N, C); backward: −1 at each target.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[-0.5, -1.0], [-2.0, -0.1]], requires_grad=True)
    >>> loss = NllLoss.apply(x, [0, 1], "mean")
    >>> loss
    tensor(0.3, grad_fn=<NllLossBackward>)
    >>> loss.backward()
    >>> x.grad
    tensor([[-0.5, 0.0], [0.0, -0.5]])
    """

    @staticmethod
    def forward(ctx, x, target, reduction, weight=None, ignore_index=-100):
        a, ctx.divisor = _coefficients(target, len(x[0]), weight, ignore_index, 0.0)
        ctx.reduction = reduction
        ctx.save_for_backward(a)
        return _weighted(reduction, [_minus_weighted_sum(a_n, row) for a_n, row in zip(a, x)], ctx.divisor)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        scale = _scale_by(grad, len(a), ctx.reduction, ctx.divisor)
        grad_x = [[-s * a_c if a_c else 0.0 for a_c in a_n] for a_n, s in zip(a, scale)]   # ∂(−Σ a·x)/∂x
        return grad_x, None, None, None, None


class CrossEntropy(Function):
    """log Σ_c e^(x_c) − x_target per sample (log_softmax, then nll); backward: softmax(x) − onehot(target).

    One step where PyTorch records two (``NllLossBackward`` after
    ``LogSoftmaxBackward``): the same numbers, with the whole derivative
    written out.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[2.0, 0.0, 0.0]], requires_grad=True)
    >>> loss = CrossEntropy.apply(x, [0], "mean")
    >>> round(loss.item(), 6)                             # log(e² + 2) − 2
    0.239545
    >>> loss.backward()
    >>> [round(g, 6) for g in x.grad.tolist()[0]]         # softmax − [1, 0, 0]
    [-0.213014, 0.106507, 0.106507]
    """

    @staticmethod
    def forward(ctx, x, target, reduction, weight=None, ignore_index=-100, label_smoothing=0.0):
        log_p = [_log_softmax_row(row) for row in x]
        a, ctx.divisor = _coefficients(target, len(x[0]), weight, ignore_index, label_smoothing)
        ctx.reduction = reduction
        ctx.kept = [(1 - label_smoothing) * w_c for w_c in weight or [1] * len(a[0])]     # ∂a/∂q
        ctx.save_for_backward(log_p, a)
        losses = [_minus_weighted_sum(a_n, row) for a_n, row in zip(a, log_p)]
        return _weighted(reduction, losses, ctx.divisor)

    @staticmethod
    def backward(ctx, grad):
        log_p, a = ctx.saved_tensors
        scale = _scale_by(grad, len(a), ctx.reduction, ctx.divisor)
        grad_x = [[s * (_exp(lp) * total - a_c) for lp, a_c in zip(row, a_n)]      # softmax·Σa − a
                  for row, a_n, s, total in zip(log_p, a, scale, map(sum, a))]
        grad_q = None
        if ctx.needs_input_grad[1]:             # class probabilities as the target: ∂/∂q = −w·(1 − ε)·log p
            grad_q = [[-s * k * lp for k, lp in zip(ctx.kept, row)] for row, s in zip(log_p, scale)]
        return grad_x, grad_q, None, None, None, None


def _coefficients(target, C, weight, ignore_index, label_smoothing):
    """The a[n][c] of loss_n = −Σ_c a[n][c]·log p[n][c], and what the mean divides by (PyTorch's rules).

    A class index t: a = w_c·((1 − ε)·[c = t] + ε/C), the mean divided by
    Σ w_t over the targets kept (ignore_index gives a = 0 and counts
    nothing).  Class probabilities q: a = w_c·((1 − ε)·q_c + ε/C), the mean
    divided by the number of samples.
    """
    w, eps = weight or [1] * C, label_smoothing

    def smoothed(q):                    # (1 − ε)·q + ε/C, and q itself when ε = 0 (ints stay ints)
        return (1 - eps) * q + eps / C if eps else q
    if target and isinstance(target[0], list):
        return [[w_c * smoothed(q) for w_c, q in zip(w, row)] for row in target], len(target)
    a, divisor = [], 0
    for t in target:
        a.append([0] * C if t == ignore_index else [w_c * smoothed(int(c == t)) for c, w_c in enumerate(w)])
        divisor += 0 if t == ignore_index else w[t]
    return a, divisor


def _minus_weighted_sum(a, values):
    """−Σ a_c·v_c over the c with a_c ≠ 0 (so log p = −∞ of a class a = 0 adds nothing); 0.0, not −0.0."""
    return 0.0 - sum(a_c * v for a_c, v in zip(a, values) if a_c)


def _weighted(reduction, losses, divisor):
    """The losses as they are, their sum, or their sum over divisor (NaN for 0/0, as PyTorch); −0.0 as 0.0."""
    if reduction == "none":
        return losses
    total = sum(losses)
    if reduction == "mean":
        total = total / divisor if divisor else math.nan
    return total + 0.0 if isinstance(total, float) else total


def _scale_by(grad, n, reduction, divisor):
    """∂loss/∂(each sample's loss): grad/divisor (mean), grad (sum), grad's own entries (none)."""
    if reduction == "none":
        return grad
    return [grad / divisor if reduction == "mean" and divisor else grad] * n


# --- regrouping --------------------------------------------------------------

class Reshape(Function):
    """The same numbers in reading order, regrouped into the shape dims; backward regroups the gradient.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = Reshape.apply(x, (4,))
    >>> y
    tensor([1.0, 2.0, 3.0, 4.0], grad_fn=<ReshapeBackward>)
    >>> y.backward(tensor([0.1, 0.2, 0.3, 0.4]))
    >>> x.grad
    tensor([[0.1, 0.2], [0.3, 0.4]])
    """

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims, ctx.new = _shape_of(x), tuple(dims)
        return _nest(_flatten(x, ctx.dims), ctx.new)

    @staticmethod
    def backward(ctx, grad):
        return _nest(_flatten(grad, ctx.new), ctx.dims), None


# --- #12: more losses, dropout, leaky ReLU, padding ----------------------------

def _log_sigmoid(v):
    """log σ(v) = min(v, 0) − log(1 + e^(−|v|)): never an e^v that overflows, never the log of 0."""
    try:
        return min(v, 0.0) - math.log1p(math.exp(-abs(v)))
    except TypeError:
        return -_log(1 + _exp(-v))          # sympy: the formula itself


class BinaryCrossEntropyWithLogits(Function):
    """w·[(1 − t)·x − (1 + (pw − 1)·t)·log σ(x)] per entry: BCE of σ(x), without computing σ(x) first.

    For pos_weight pw = 1 this is −w·[t·log σ(x) + (1 − t)·log(1 − σ(x))],
    since log(1 − σ(x)) = log σ(x) − x.  Backward:
    ∂/∂x = w·((1 − t) − (1 + (pw − 1)·t)·(1 − σ(x))), which for pw = 1 is
    w·(σ(x) − t); ∂/∂t = −w·(x + (pw − 1)·log σ(x)).

    >>> from refnn.tensors import tensor
    >>> x = tensor([0.0, 800.0], requires_grad=True)        # σ(800) = 1 exactly, and still no log 0
    >>> loss = BinaryCrossEntropyWithLogits.apply(x, [1.0, 0.0], "sum", None, None)
    >>> round(loss.item(), 6)                               # log 2 + 800
    800.693147
    >>> loss.backward()
    >>> x.grad                                              # σ(x) − t
    tensor([-0.5, 1.0])
    """

    @staticmethod
    def forward(ctx, x, target, reduction, weight, pos_weight):
        ctx.dims, ctx.reduction = _shape_of(x), reduction
        xs, ts = _flatten(x, ctx.dims), _flatten(target, ctx.dims)
        ws = [1] * len(xs) if weight is None else _flatten(weight, ctx.dims)      # both: the input's shape
        pws = [1] * len(xs) if pos_weight is None else _flatten(pos_weight, ctx.dims)
        ctx.save_for_backward(xs, ts, ws, pws)
        out = _reduce([w * ((1 - t) * v - (1 + (pw - 1) * t) * _log_sigmoid(v))
                       for v, t, w, pw in zip(xs, ts, ws, pws)], reduction)
        return _nest(out, ctx.dims) if reduction == "none" else out

    @staticmethod
    def backward(ctx, grad):
        xs, ts, ws, pws = ctx.saved_tensors
        g = _flatten(grad, ctx.dims) if ctx.reduction == "none" else grad
        scale = _scale(g, len(xs), ctx.reduction)
        need_x, need_t = ctx.needs_input_grad[:2]
        grad_x = grad_t = None
        if need_x:
            grad_x = _nest([s * w * ((1 - t) - (1 + (pw - 1) * t) * (1 - sigmoid(v)))
                            for s, v, t, w, pw in zip(scale, xs, ts, ws, pws)], ctx.dims)
        if need_t:
            grad_t = _nest([-s * w * (v + (pw - 1) * _log_sigmoid(v))
                            for s, v, t, w, pw in zip(scale, xs, ts, ws, pws)], ctx.dims)
        return grad_x, grad_t, None, None, None


class Dropout(Function):
    """x ⊙ mask, the mask holding 0 (dropped) or 1/(1 − p) (kept); backward multiplies by the same mask.

    :func:`refnn.nn.functional.dropout` draws the mask; here it is given.

    >>> from refnn.tensors import tensor
    >>> x = tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    >>> y = Dropout.apply(x, [2.0, 0.0, 2.0, 0.0])            # p = 0.5: two kept, doubled
    >>> y
    tensor([2.0, 0.0, 6.0, 0.0], grad_fn=<DropoutBackward>)
    >>> y.sum().backward()
    >>> x.grad
    tensor([2.0, 0.0, 2.0, 0.0])
    """

    @staticmethod
    def forward(ctx, x, mask):
        ctx.depth = len(_shape_of(x))
        ctx.save_for_backward(mask)
        return _map(mul, ctx.depth, x, mask)

    @staticmethod
    def backward(ctx, grad):
        mask, = ctx.saved_tensors
        return _map(mul, ctx.depth, grad, mask), None              # d(x·m)/dx = m


def _leaky(v, slope):
    try:
        return v if v > 0 else v * slope
    except TypeError:
        return _sympy_or_error("leaky_relu", v).Piecewise((v, v > 0), (v * slope, True))


class LeakyReLU(Function):
    """x where x > 0, negative_slope·x elsewhere; backward multiplies by 1 or by negative_slope.

    >>> from refnn.tensors import tensor
    >>> x = tensor([-2.0, 3.0], requires_grad=True)
    >>> y = LeakyReLU.apply(x, 0.01)
    >>> y
    tensor([-0.02, 3.0], grad_fn=<LeakyReLUBackward>)
    >>> y.sum().backward()
    >>> x.grad
    tensor([0.01, 1.0])
    """

    @staticmethod
    def forward(ctx, x, negative_slope):
        ctx.depth, ctx.slope = len(_shape_of(x)), negative_slope
        ctx.save_for_backward(x)
        return _map(lambda v: _leaky(v, negative_slope), ctx.depth, x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return _map(lambda g, v: _leaky_slope(v, ctx.slope) * g, ctx.depth, grad, x), None


def _leaky_slope(v, slope):
    try:
        return 1 if v > 0 else slope            # PyTorch: x > 0 ? g : g·slope (so NaN takes the slope)
    except TypeError:
        return _sympy_or_error("leaky_relu", v).Piecewise((1, v > 0), (slope, True))


def _source(n, before, after, mode):
    """For each place of a padded line of n + before + after: the index it copies, or None (a zero)."""
    places = []
    for i in range(-before, n + after):
        if 0 <= i < n or mode == "circular":
            places.append(i % n)
        elif mode == "reflect":
            places.append(-i if i < 0 else 2 * (n - 1) - i)     # mirrored about the edge, edge not repeated
        elif mode == "replicate":
            places.append(min(max(i, 0), n - 1))
        else:
            places.append(None)                                      # "constant": zeros
    return places


class Pad(Function):
    """Every image (C, H, W) padded by (left, right, top, bottom) with zeros or by reflect/replicate/circular.

    Each padded place copies one place of the image (or is 0); backward adds
    each place's gradient back to the place it copied.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)
    >>> y = Pad.apply(x, (2, 1, 0, 0), "reflect")
    >>> y
    tensor([[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]], grad_fn=<PadBackward>)
    >>> y.sum().backward()
    >>> x.grad                                      # the 2 was copied three times
    tensor([[[1.0, 3.0, 2.0]]])
    """

    @staticmethod
    def forward(ctx, x, pad, mode, value=None):
        ctx.batched = batched = len(_shape_of(x)) == 4
        batch = x if batched else [x]
        H, W = len(batch[0][0]), len(batch[0][0][0])
        ctx.rows, ctx.cols = _source(H, pad[2], pad[3], mode), _source(W, pad[0], pad[1], mode)
        ctx.size = (H, W)
        nought = value if value is not None else 0.0 if isinstance(batch[0][0][0][0], float) else 0
        zero = [nought] * len(ctx.cols)
        out = [[[zero if r is None else [nought if c is None else plane[r][c] for c in ctx.cols]
                 for r in ctx.rows] for plane in image] for image in batch]
        return out if batched else out[0]

    @staticmethod
    def backward(ctx, grad):
        (H, W), g = ctx.size, grad if ctx.batched else [grad]
        images = []
        for image in g:
            planes = []
            for g_plane in image:
                plane = [[0.0] * W for _ in range(H)]
                for r, g_row in zip(ctx.rows, g_plane):
                    if r is not None:
                        for c, v in zip(ctx.cols, g_row):
                            if c is not None:
                                plane[r][c] += v
                planes.append(plane)
            images.append(planes)
        return (images if ctx.batched else images[0]), None, None, None


def _max_indices(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Where each window's maximum is (row·W + column of its plane): max_pool2d's return_indices."""
    dims = _shape_of(x)
    (H, W) = dims[-2:]
    windows, (Ho, Wo) = _windows((H, W), kernel_size, stride, padding, dilation, ceil_mode)

    def where(plane):
        picks = [_max_window([plane[a][b] for a, b in cells], cells)[1][0][0] for cells in windows]
        return [[a * W + b for a, b in picks[i * Wo:(i + 1) * Wo]] for i in range(Ho)]
    return [[where(plane) for plane in image] for image in x] if len(dims) == 4 else [where(p) for p in x]
