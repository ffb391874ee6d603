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

from refnn._kernels import _linear, _matmul, _transpose
from refnn._nested import _flatten, _nest, _shape_of
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

def _windows(size, kernel_size, stride):
    """The (row, col) cells of every window, output position by position, and the output's (H, W)."""
    (h, w), (kh, kw), (sh, sw) = size, kernel_size, stride
    out = ((h - kh) // sh + 1, (w - kw) // sw + 1)
    cells = [[(i * sh + a, j * sw + b) for a in range(kh) for b in range(kw)]
             for i in range(out[0]) for j in range(out[1])]
    return cells, out


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
    def forward(ctx, x, weight, bias, stride, padding):
        batched = len(_shape_of(x)) == 4
        batch = x if batched else [x]
        C, H, W = len(batch[0]), len(batch[0][0]), len(batch[0][0][0])
        (ph, pw), O = padding, len(weight)
        kernel_size = (len(weight[0][0]), len(weight[0][0][0]))
        windows, (Ho, Wo) = _windows((H + 2 * ph, W + 2 * pw), kernel_size, stride)
        kernels = _kernels(weight)                                                  # (O, C·kH·kW)
        patches = [[plane[a][b] for plane in image for a, b in cells]               # (N·Ho·Wo, C·kH·kW)
                   for image in (_pad(image, padding) for image in batch) for cells in windows]
        out = [[sum(map(mul, k, p)) + b for p in patches] for k, b in zip(kernels, bias or [0] * O)]
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
        C, kh, kw = ctx.dims[0], *ctx.kernel
        grad_w = [_nest(row, (C, kh, kw)) for row in _matmul(G, patches)] if need_w else None   # G·P
        grad_b = [sum(row) for row in G] if need_b else None
        grad_x = None
        if need_x:
            grad_patches = _matmul(_transpose(G), kernels)                                       # Gᵀ·K
            L = len(ctx.windows)
            grad_x = [_fold(grad_patches[n * L:(n + 1) * L], ctx.windows, ctx.dims, ctx.padding)
                      for n in range(len(g))]
            grad_x = grad_x if ctx.batched else grad_x[0]
        return grad_x, grad_w, grad_b, None, None


# --- pooling -----------------------------------------------------------------

def _pool_forward(ctx, x, kernel_size, stride, pool):
    """A window slid over every channel, each window reduced to one number by pool(values, cells)."""
    ctx.batched = batched = len(_shape_of(x)) == 4
    batch = x if batched else [x]
    C, H, W = len(batch[0]), len(batch[0][0]), len(batch[0][0][0])
    windows, (Ho, Wo) = _windows((H, W), kernel_size, stride)
    out, routes = [], []            # routes: for every output, the (cell, share) its gradient goes to
    for image in batch:
        for plane in image:
            pooled = [pool([plane[a][b] for a, b in cells], cells) for cells in windows]
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


def _max_window(values, cells):
    k = max(range(len(values)), key=values.__getitem__)       # the first maximum
    return values[k], ((cells[k], 1),)


def _mean_window(values, cells):
    share = 1 / len(values)
    return sum(values) / len(values), [(cell, share) for cell in cells]


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
    def forward(ctx, x, kernel_size, stride):
        return _pool_forward(ctx, x, kernel_size, stride, _max_window)

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
    def forward(ctx, x, kernel_size, stride):
        return _pool_forward(ctx, x, kernel_size, stride, _mean_window)

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
        return [[h * w + b for h, w, b in zip(row, gamma, beta)] for row in x_hat]

    @staticmethod
    def backward(ctx, grad):
        x_hat, inv_std, gamma = ctx.saved_tensors
        need_x, need_w, need_b = (ctx.needs_input_grad[i] for i in (0, 3, 4))
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
        return (grad_x, None, None, d_gamma if need_w else None, d_beta if need_b else None,
                None, None, None)


# --- softmax and its log -----------------------------------------------------

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
    def forward(ctx, x):
        ctx.depth = len(_shape_of(x))
        out = _on_rows(_log_softmax_row, ctx.depth, x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors

        def row(gs, lps):
            total = sum(gs)
            return [g - _exp(lp) * total for g, lp in zip(gs, lps)]
        return _on_rows(row, ctx.depth, grad, out)


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
    def forward(ctx, x):
        ctx.depth = len(_shape_of(x))
        out = _on_rows(lambda row: [_exp(v) for v in _log_softmax_row(row)], ctx.depth, x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors

        def row(gs, ss):
            total = sum(map(mul, gs, ss))
            return [s * (g - total) for g, s in zip(gs, ss)]
        return _on_rows(row, ctx.depth, grad, out)


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


def _log_clamped(p):
    """log p, never below −100 (PyTorch's clamp, so that log 0 gives −100, not −∞)."""
    try:
        return max(math.log(p), -100.0) if p > 0 else -100.0
    except TypeError:
        return _log(p)          # a sympy expression: the formula itself


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
    def forward(ctx, p, target, reduction):
        ctx.dims, ctx.reduction = _shape_of(p), reduction
        ps, ts = _flatten(p, ctx.dims), _flatten(target, ctx.dims)
        ctx.save_for_backward(ps, ts)
        out = _reduce([-(t * _log_clamped(v) + (1 - t) * _log_clamped(1 - v)) for v, t in zip(ps, ts)],
                      reduction)
        return _nest(out, ctx.dims) if reduction == "none" else out

    @staticmethod
    def backward(ctx, grad):
        ps, ts = ctx.saved_tensors
        g = _flatten(grad, ctx.dims) if ctx.reduction == "none" else grad
        scale = _scale(g, len(ps), ctx.reduction)
        grad_p = [s * (p - t) / _max_eps(p * (1 - p)) for s, p, t in zip(scale, ps, ts)]
        return _nest(grad_p, ctx.dims), None, None


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
    def forward(ctx, x, target, reduction):
        ctx.shape, ctx.reduction = _shape_of(x), reduction
        ctx.save_for_backward(list(target))
        out = _reduce([-row[t] for row, t in zip(x, target)], reduction)
        return out + 0.0 if reduction != "none" and isinstance(out, float) else out     # −0.0 shown as 0.0

    @staticmethod
    def backward(ctx, grad):
        target, = ctx.saved_tensors
        n, C = ctx.shape
        grad_x = [[0.0] * C for _ in range(n)]
        for row, t, s in zip(grad_x, target, _scale(grad, n, ctx.reduction)):
            row[t] = -s
        return grad_x, None, None


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
    def forward(ctx, x, target, reduction):
        log_p = [_log_softmax_row(row) for row in x]
        ctx.reduction = reduction
        ctx.save_for_backward(log_p, list(target))
        out = _reduce([-row[t] for row, t in zip(log_p, target)], reduction)
        return out + 0.0 if reduction != "none" and isinstance(out, float) else out     # −0.0 shown as 0.0

    @staticmethod
    def backward(ctx, grad):
        log_p, target = ctx.saved_tensors
        return [[s * (_exp(lp) - int(c == t)) for c, lp in enumerate(row)]            # softmax − onehot
                for row, t, s in zip(log_p, target, _scale(grad, len(log_p), ctx.reduction))], None, None


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
