"""Arithmetic, reductions and products on tensors, each a Function with its derivative beside it.

Every operation here is a :class:`refnn.autograd.Function`: ``forward``
computes the value, ``backward`` the gradient of each input from the
gradient of the output (the local derivative times what arrives: the chain
rule).  Where PyTorch broadcasts (a row added to every row of a batch),
``backward`` adds the gradient back up to the input's shape.

>>> from refnn.tensors import tensor
>>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> b = tensor([10.0, 20.0], requires_grad=True)
>>> (x * b).sum().backward()
>>> x.grad, b.grad
(tensor([[10.0, 20.0], [10.0, 20.0]]), tensor([4.0, 6.0]))

Beside the Functions stand the functions a program calls (``add``,
``sum``, ``matmul``, ... as ``torch.add``, ``torch.sum``, ``torch.matmul``):
they check their arguments and apply the Function.  They take Tensors, or
plain nested lists, and give back a Tensor (a plain value when no argument
was a Tensor, as the seed's notebook of operations on lists had it):

>>> sum([[1, 2], [3, 4]], dim=1)
[3, 7]

Departures from PyTorch: the numbers are Python's, so ints stay ints and
Fractions exact; a division by zero gives ±inf or nan for ints and floats,
as PyTorch, and a ``ValueError`` for Fractions, which have no infinity.
"""
import builtins
import math
import operator
from collections import namedtuple
from operator import add as _add, mul as _mul, neg as _neg, sub as _sub, truediv as _truediv

from refnn import activations, tensors
from refnn._checks import _bool, _dim, _dim_set, _is_number, _is_sequence, _lists, _shape, ShapeError
from refnn._kernels import _linear, _matmul, _transpose
from refnn._nested import (
    _broadcast, _broadcast_shape, _each, _expand, _first, _flatten, _map, _nest, _shape_of, _sum_to, _zeros,
)
from refnn.autograd import Function

__all__ = [
    "Add", "Sub", "Mul", "Div", "Neg", "Pow", "Exp", "Log", "Sqrt", "Abs", "Sigmoid", "Tanh", "ReLU",
    "Clamp", "Sum", "Mean", "Max", "MaxDim", "MatMul", "Where", "Cast",
    "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sqrt", "abs", "sigmoid", "tanh", "relu",
    "clamp", "sum", "mean", "max", "argmax", "matmul", "mm", "where", "equal", "allclose",
]


# --- place by place, broadcast ------------------------------------------------------

def _times(grad, x, sx, dims):
    """grad · x place by place, x broadcast to grad's shape dims."""
    return _map(_mul, len(dims), grad, _expand(x, sx, dims))


def _is_bool(x):
    return isinstance(_first(x), bool)


def _divide(a, b):
    """a / b, with PyTorch's ±inf and nan for a division by zero of ints and floats."""
    try:
        return a / b
    except ZeroDivisionError:
        if not isinstance(a, (int, float)):
            raise ValueError("div: division by zero (a Fraction has no infinity)") from None
        if a != a or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _quotients(a, b, ctx):
    try:
        return _broadcast("div", _truediv, a, b, ctx)
    except ZeroDivisionError:
        return _broadcast("div", _divide, a, b, ctx)


def _power(a, b):
    """a ** b, with PyTorch's inf and nan where Python raises or turns complex."""
    if type(a) is int and type(b) is int and abs(b) > 4096 and abs(a) > 1:
        a = float(a)            # Python's exact int would take ages to write out; PyTorch overflows
    try:
        r = a ** b
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf
    return math.nan if isinstance(r, complex) else r


def _math(name, f, fallback):
    """A function of one number: math's on ints, floats and Fractions; sympy's on a symbol."""
    def one(v):
        try:
            return f(v)
        except TypeError:
            import sympy            # v is a sympy expression (refnn never imports sympy itself otherwise)
            return getattr(sympy, name)(v)
        except (OverflowError, ValueError):
            return fallback(v)
    return one


_exp = _math("exp", math.exp, lambda v: math.inf if v > 0 else 0.0)
_log = _math("log", math.log, lambda v: -math.inf if v == 0 else math.nan)
_sqrt = _math("sqrt", math.sqrt, lambda v: math.nan)


class Add(Function):
    """a + b, broadcast; ∂/∂a = ∂/∂b = 1, so each input gets the gradient, summed back to its shape.

    Two tensors of bools give their logical or, as in PyTorch.

    >>> from refnn.tensors import tensor
    >>> a = tensor([[1.0, 2.0]], requires_grad=True)
    >>> (a + 1).sum().backward()
    >>> a.grad
    tensor([[1.0, 1.0]])
    >>> tensor([True, False]) + tensor([True, True])
    tensor([True, True])
    """

    @staticmethod
    def forward(ctx, a, b):
        f = operator.or_ if _is_bool(a) and _is_bool(b) else _add
        out, ctx.sa, ctx.sb, ctx.dims = _broadcast("add", f, a, b, ctx)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _sum_to(grad, ctx.dims, ctx.sa), _sum_to(grad, ctx.dims, ctx.sb)


class Sub(Function):
    """a − b, broadcast; ∂/∂a = 1, ∂/∂b = −1.  The seed's error ``y - layer2`` is one.

    >>> from refnn.tensors import tensor
    >>> y, out = tensor([[0.0], [1.0]]), tensor([[0.25], [0.5]], requires_grad=True)
    >>> error = y - out
    >>> error
    tensor([[-0.25], [0.5]], grad_fn=<SubBackward>)
    >>> error.sum().backward()
    >>> out.grad
    tensor([[-1.0], [-1.0]])
    """

    @staticmethod
    def forward(ctx, a, b):
        if _is_bool(a) or _is_bool(b):
            if _is_bool(a) and _is_bool(b):
                raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                                   "Use the `^` or `logical_xor()` operator instead.")
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or `logical_not()` "
                               "operator instead.")
        out, ctx.sa, ctx.sb, ctx.dims = _broadcast("sub", _sub, a, b, ctx)
        return out

    @staticmethod
    def backward(ctx, grad):
        minus = _each(_neg, grad, len(ctx.dims)) if ctx.needs_input_grad[1] else None
        return _sum_to(grad, ctx.dims, ctx.sa), minus and _sum_to(minus, ctx.dims, ctx.sb)


class Mul(Function):
    """a · b place by place, broadcast; ∂/∂a = b and ∂/∂b = a.

    >>> from refnn.tensors import tensor
    >>> a = tensor([1.0, 2.0], requires_grad=True)
    >>> (a * a).sum().backward()            # d(a²)/da = 2a, from both factors
    >>> a.grad
    tensor([2.0, 4.0])
    """

    @staticmethod
    def forward(ctx, a, b):
        f = operator.and_ if _is_bool(a) and _is_bool(b) else _mul
        out, ctx.sa, ctx.sb, ctx.dims = _broadcast("mul", f, a, b, ctx)
        ctx.save_for_backward(a, b)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        dims, need = ctx.dims, ctx.needs_input_grad
        grad_a = _sum_to(_times(grad, b, ctx.sb, dims), dims, ctx.sa) if need[0] else None
        grad_b = _sum_to(_times(grad, a, ctx.sa, dims), dims, ctx.sb) if need[1] else None
        return grad_a, grad_b


class Div(Function):
    """a / b place by place, broadcast; ∂/∂a = 1/b and ∂/∂b = −a/b².

    >>> from refnn.tensors import tensor
    >>> b = tensor([2.0, 4.0], requires_grad=True)
    >>> (1 / b).sum().backward()
    >>> b.grad                              # −1/b²
    tensor([-0.25, -0.0625])
    """

    @staticmethod
    def forward(ctx, a, b):
        out, ctx.sa, ctx.sb, ctx.dims = _quotients(a, b, ctx)
        ctx.save_for_backward(a, b)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        dims, need = ctx.dims, ctx.needs_input_grad
        over_b = _map(_divide, len(dims), grad, _expand(b, ctx.sb, dims))          # grad / b
        grad_a = _sum_to(over_b, dims, ctx.sa) if need[0] else None
        if not need[1]:
            return grad_a, None
        a_over_b = _map(_divide, len(dims), _expand(a, ctx.sa, dims), _expand(b, ctx.sb, dims))
        grad_b = _map(lambda g, q: -g * q, len(dims), over_b, a_over_b)          # −grad·a/b²
        return grad_a, _sum_to(grad_b, dims, ctx.sb)


class Neg(Function):
    """−x; ∂/∂x = −1.

    >>> from refnn.tensors import tensor
    >>> x = tensor([1.0, -2.0], requires_grad=True)
    >>> (-x).sum().backward()
    >>> x.grad
    tensor([-1.0, -1.0])
    """

    @staticmethod
    def forward(ctx, x):
        if _is_bool(x):
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        return _each(_neg, x, len(_shape_of(x)))

    @staticmethod
    def backward(ctx, grad):
        return _each(_neg, grad, len(_shape_of(grad)))


class Pow(Function):
    """a ** b, broadcast; ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a.

    >>> from refnn.tensors import tensor
    >>> x = tensor([1.0, 3.0], requires_grad=True)
    >>> (x ** 2).sum().backward()
    >>> x.grad
    tensor([2.0, 6.0])
    """

    @staticmethod
    def forward(ctx, a, b):
        out, ctx.sa, ctx.sb, ctx.dims = _broadcast("pow", _power, a, b, ctx)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        dims, need, depth = ctx.dims, ctx.needs_input_grad, len(ctx.dims)
        ea, eb = _expand(a, ctx.sa, dims), _expand(b, ctx.sb, dims)
        grad_a = grad_b = None
        if need[0]:
            local = _map(lambda x, y: 0 * x if y == 0 else y * _power(x, y - 1), depth, ea, eb)
            grad_a = _sum_to(_map(_mul, depth, grad, local), dims, ctx.sa)
        if need[1]:
            local = _map(lambda o, x: o * _log(x), depth, out, ea)
            grad_b = _sum_to(_map(_mul, depth, grad, local), dims, ctx.sb)
        return grad_a, grad_b


class _Unary(Function):
    """A function of one tensor place by place; subclasses give f and its derivative from (x, f(x))."""

    @staticmethod
    def forward(ctx, x):
        cls = ctx.function
        ctx.output_shape = ctx.input_shapes[0]
        out = _each(cls.f, x, len(ctx.output_shape))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        local = ctx.function.local
        return _map(lambda g, v, y: g * local(v, y), len(_shape_of(grad)), grad, x, out)


class Exp(_Unary):
    """e^x; its derivative is itself, e^x.

    >>> from refnn.tensors import tensor
    >>> x = tensor([0.0, 1.0], requires_grad=True)
    >>> x.exp().sum().backward()
    >>> [round(v, 6) for v in x.grad.tolist()]
    [1.0, 2.718282]
    """

    f = staticmethod(_exp)
    local = staticmethod(lambda x, y: y)


class Log(_Unary):
    """ln x; d/dx ln x = 1/x.

    >>> from refnn.tensors import tensor
    >>> x = tensor([0.5, 4.0], requires_grad=True)
    >>> x.log().sum().backward()
    >>> x.grad
    tensor([2.0, 0.25])
    """

    f = staticmethod(_log)
    local = staticmethod(lambda x, y: _divide(1, x))


class Sqrt(_Unary):
    """√x; d/dx √x = 1/(2√x).

    >>> from refnn.tensors import tensor
    >>> x = tensor([4.0, 0.25], requires_grad=True)
    >>> x.sqrt().sum().backward()
    >>> x.grad
    tensor([0.25, 1.0])
    """

    f = staticmethod(_sqrt)
    local = staticmethod(lambda x, y: _divide(1, 2 * y))


def _sign(x):
    return (x > 0) - (x < 0)


class Abs(_Unary):
    """|x|; d/dx |x| = sign(x) (0 at 0, as PyTorch).

    >>> from refnn.tensors import tensor
    >>> x = tensor([-2.0, 0.0, 3.0], requires_grad=True)
    >>> x.abs().sum().backward()
    >>> x.grad
    tensor([-1.0, 0.0, 1.0])
    """

    f = staticmethod(builtins.abs)
    local = staticmethod(lambda x, y: _sign(x) if x == x else x)


class Sigmoid(_Unary):
    """σ(x) = 1/(1 + e^(−x)); σ' = σ(1 − σ), from the output (the seed's ``nonlin(x, deriv=True)``).

    >>> from refnn.tensors import tensor
    >>> x = tensor([0.0], requires_grad=True)
    >>> x.sigmoid().sum().backward()
    >>> x.grad
    tensor([0.25])
    """

    f = staticmethod(activations.sigmoid)
    local = staticmethod(lambda x, y: y * (1 - y))


class Tanh(_Unary):
    """tanh x; tanh' = 1 − tanh², from the output.

    >>> from refnn.tensors import tensor
    >>> x = tensor([0.0], requires_grad=True)
    >>> x.tanh().sum().backward()
    >>> x.grad
    tensor([1.0])
    """

    f = staticmethod(activations.tanh)
    local = staticmethod(lambda x, y: 1 - y * y)


def _relu(v):
    try:
        return (0.0 if isinstance(v, float) else 0) if v <= 0 else v    # NaN is not <= 0: it passes
    except TypeError:
        return activations.relu(v)          # a sympy symbol: Max(0, x)


class ReLU(_Unary):
    """max(0, x); the gradient passes where x > 0 and is 0 where x <= 0 (NaN passes it, as PyTorch).

    >>> from refnn.tensors import tensor
    >>> x = tensor([-1.0, 2.0, float("nan")], requires_grad=True)
    >>> y = x.relu()
    >>> y
    tensor([0.0, 2.0, nan], grad_fn=<ReLUBackward>)
    >>> y.sum().backward()
    >>> x.grad
    tensor([0.0, 1.0, 1.0])
    """

    f = staticmethod(_relu)
    local = staticmethod(lambda x, y: 0 if x <= 0 else 1)

    @staticmethod
    def forward(ctx, x):
        dims = ctx.output_shape = ctx.input_shapes[0]
        if len(dims) == 2 and isinstance(_first(x), float):        # the common case, as a comprehension
            out = [[0.0 if v <= 0 else v for v in row] for row in x]
        else:
            out = _each(_relu, x, len(dims))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, _ = ctx.saved_tensors
        zero = _zero_like(grad)
        if len(ctx.output_shape) == 2:
            return [[zero if v <= 0 else g for g, v in zip(g_row, x_row)] for g_row, x_row in zip(grad, x)]
        return _map(lambda g, v: zero if v <= 0 else g, len(ctx.output_shape), grad, x)


class Clamp(Function):
    """min(max(x, low), high); the gradient passes where low <= x <= high, 0 elsewhere.

    >>> from refnn.tensors import tensor
    >>> x = tensor([-2.0, 0.5, 3.0], requires_grad=True)
    >>> x.clamp(-1, 1).sum().backward()
    >>> x.grad
    tensor([0.0, 1.0, 0.0])
    """

    @staticmethod
    def forward(ctx, x, low, high):
        def cut(v):
            if low is not None and v < low:
                v = low
            if high is not None and v > high:
                v = high
            return v
        ctx.save_for_backward(x)
        ctx.low, ctx.high = low, high
        return _each(cut, x, len(_shape_of(x)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        low, high = ctx.low, ctx.high

        def keep(g, v):
            inside = (low is None or v >= low) and (high is None or v <= high)
            return g if inside else 0 * g
        return _map(keep, len(_shape_of(grad)), grad, x), None, None


# --- reductions --------------------------------------------------------------------

def _sum_dim(x, dims, d):
    """x summed over dimension d: the entries whose indices differ only in place d are added."""
    if d > 0:
        return [_sum_dim(item, dims[1:], d - 1) for item in x]
    if len(dims) == 1:
        return builtins.sum(x)
    if len(dims) == 2:
        return [builtins.sum(col) for col in zip(*x)] if x else [0] * dims[1]
    total = _zeros(dims[1:])
    for item in x:
        total = _map(_add, len(dims) - 1, total, item)
    return total


def _reduce_sum(x, dims, axes):
    """x summed over the dims in axes (sorted), and its shape after."""
    for d in reversed(axes):                      # the last first, so the others keep their index
        x, dims = _sum_dim(x, dims, d), dims[:d] + dims[d + 1:]
    return x, dims


def _kept(dims, axes):
    return tuple(1 if d in axes else n for d, n in enumerate(dims))


def _spread(grad, dims, axes, out_dims):
    """The gradient of a sum over axes: each input number gets the gradient of the sum it joined."""
    return _expand(_nest(_flatten(grad, out_dims), _kept(dims, axes)) if dims else grad,
                   _kept(dims, axes), dims)


class Sum(Function):
    """Σ over the dims in axes (all when None); ∂/∂x = 1 for every number that was added.

    The seed's reading of ``dim`` (缩减的维度, the reduced dimension): the
    dimension summed over vanishes from the shape, unless keepdim.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x.sum(0)
    tensor([4.0, 6.0], grad_fn=<SumBackward>)
    >>> x.sum().backward()
    >>> x.grad
    tensor([[1.0, 1.0], [1.0, 1.0]])
    """

    @staticmethod
    def forward(ctx, x, axes=None, keepdim=False):
        dims = ctx.input_shapes[0]
        axes = tuple(range(len(dims))) if axes is None else axes
        ctx.dims, ctx.axes = dims, axes
        kept = tuple(n for d, n in enumerate(dims) if d not in axes)
        ctx.output_shape = _kept(dims, axes) if keepdim else kept
        if len(axes) == len(dims):
            out = builtins.sum(_flatten(x, dims))
            return _nest([out], _kept(dims, axes)) if keepdim and dims else out
        out, out_dims = _reduce_sum(x, dims, axes)
        return _nest(_flatten(out, out_dims), _kept(dims, axes)) if keepdim else out

    @staticmethod
    def backward(ctx, grad):
        return _spread(grad, ctx.dims, ctx.axes, ctx.output_shape), None, None


class Mean(Function):
    """The sum over axes divided by the count of numbers added; ∂/∂x = 1/count for each.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    >>> x.mean(1)
    tensor([1.5, 4.0], grad_fn=<MeanBackward>)
    >>> x.mean().backward()
    >>> x.grad
    tensor([[0.25, 0.25], [0.25, 0.25]])
    """

    @staticmethod
    def forward(ctx, x, axes=None, keepdim=False):
        total = Sum.forward(ctx, x, axes, keepdim)
        ctx.count = math.prod(ctx.dims[d] for d in ctx.axes)
        return _each(lambda v: _divide(v, ctx.count), total, len(_shape_of(total)))

    @staticmethod
    def backward(ctx, grad):
        share = _each(lambda g: _divide(g, ctx.count), grad, len(_shape_of(grad)))
        return _spread(share, ctx.dims, ctx.axes, ctx.output_shape), None, None


def _is_nan(v):
    return v != v


def _largest(values):
    """The index of the largest value, the first of equals; NaN counts as the largest (PyTorch)."""
    return builtins.max(range(len(values)), key=lambda k: (_is_nan(values[k]), values[k]))


def _lines(dims, d):
    """For each place of the result of a reduction over dim d: the flat indices of the numbers it reduces."""
    n, inner = dims[d], math.prod(dims[d + 1:])
    outer = math.prod(dims[:d])
    return [[o * n * inner + k * inner + i for k in range(n)] for o in range(outer) for i in range(inner)]


class Max(Function):
    """The largest number; its gradient goes to it (shared evenly among equal largest, as PyTorch).

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 5.0], [5.0, 2.0]], requires_grad=True)
    >>> x.max().backward()
    >>> x.grad
    tensor([[0.0, 0.5], [0.5, 0.0]])
    """

    @staticmethod
    def forward(ctx, x):
        ctx.dims = dims = _shape_of(x)
        flat = _flatten(x, dims)
        top = flat[_largest(flat)]
        ctx.save_for_backward(flat, top)
        return top

    @staticmethod
    def backward(ctx, grad):
        flat, top = ctx.saved_tensors
        ties = builtins.sum(1 for v in flat if v == top) or 1
        share = _divide(grad, ties)
        return _nest([share if v == top else 0 * grad for v in flat], ctx.dims) if ctx.dims else grad


class MaxDim(Function):
    """The largest number along dim d, at the given indices; the gradient goes back to those places.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 5.0], [4.0, 2.0]], requires_grad=True)
    >>> values, indices = x.max(1)
    >>> values, indices
    (tensor([5.0, 4.0], grad_fn=<MaxDimBackward>), tensor([1, 0]))
    >>> values.sum().backward()
    >>> x.grad
    tensor([[0.0, 1.0], [1.0, 0.0]])
    """

    @staticmethod
    def forward(ctx, x, d, keepdim, indices):
        dims = _shape_of(x)
        flat = _flatten(x, dims)
        lines = _lines(dims, d)
        picks = [line[k] for line, k in zip(lines, _flatten(indices, _shape_of(indices)))]
        ctx.dims, ctx.picks = dims, picks
        return _nest([flat[p] for p in picks], _reduced(dims, d, keepdim))

    @staticmethod
    def backward(ctx, grad):
        out = [_zero_like(grad)] * math.prod(ctx.dims)
        for p, g in zip(ctx.picks, _flatten(grad, _shape_of(grad))):
            out[p] = g
        return _nest(out, ctx.dims), None, None, None


def _reduced(dims, d, keepdim):
    return dims[:d] + ((1,) if keepdim else ()) + dims[d + 1:]


# --- products ----------------------------------------------------------------------

def _as_matrices(x, dims, left):
    """A vector becomes a one-row (left factor) or one-column (right factor) matrix, as torch.matmul."""
    if len(dims) == 1:
        return ([x], (1,) + dims) if left else ([[v] for v in x], dims + (1,))
    return x, dims


def _batches(x, dims, batch):
    """The matrices of x (of shape dims) broadcast over the batch dims, as a flat list."""
    x = _expand(x, dims, batch + dims[-2:])
    return _flatten(x, batch) if batch else [x]


class MatMul(Function):
    """a @ b as ``torch.matmul``: row times column; ∂/∂a = grad·bᵀ, ∂/∂b = aᵀ·grad.

    Vectors count as a row (on the left) or a column (on the right), and
    the dims before the last two are a batch, broadcast.  The seed's
    forward pass ``1*2 + 1*3 + (-1)*0 = 5``:

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 1.0, -1.0]])
    >>> w = tensor([[2.0], [3.0], [0.0]], requires_grad=True)
    >>> y = x @ w
    >>> y
    tensor([[5.0]], grad_fn=<MatMulBackward>)
    >>> y.backward(tensor([[1.0]]))
    >>> w.grad                              # ∂y/∂w = xᵀ
    tensor([[1.0], [1.0], [-1.0]])
    """

    @staticmethod
    def forward(ctx, a, b):
        sa, sb = _shape_of(a), _shape_of(b)
        ctx.save_for_backward(a, b)
        ctx.sa, ctx.sb = sa, sb
        if len(sa) == 2 and len(sb) == 2:
            return _matmul(a, b)
        if len(sa) == 1 and len(sb) == 1:
            return builtins.sum(map(_mul, a, b))
        (a2, ma), (b2, mb) = _as_matrices(a, sa, True), _as_matrices(b, sb, False)
        batch = _broadcast_shape("matmul", ma[:-2], mb[:-2])
        ctx.batch = batch
        out = [_matmul(p, q) for p, q in zip(_batches(a2, ma, batch), _batches(b2, mb, batch))]
        out_dims = batch + ((ma[-2],) if len(sa) > 1 else ()) + ((mb[-1],) if len(sb) > 1 else ())
        return _nest(_flatten(out, (len(out), ma[-2], mb[-1])), out_dims)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        sa, sb, need = ctx.sa, ctx.sb, ctx.needs_input_grad
        if len(sa) == 2 and len(sb) == 2:
            return (_linear(grad, b) if need[0] else None,                  # grad·bᵀ
                    _matmul(_transpose(a), grad) if need[1] else None)      # aᵀ·grad
        if len(sa) == 1 and len(sb) == 1:
            return ([grad * v for v in b] if need[0] else None, [grad * v for v in a] if need[1] else None)
        (a2, ma), (b2, mb) = _as_matrices(a, sa, True), _as_matrices(b, sb, False)
        batch = ctx.batch
        g = _flatten(_nest(_flatten(grad, _shape_of(grad)), batch + (ma[-2], mb[-1])), batch) if batch \
            else [_nest(_flatten(grad, _shape_of(grad)), (ma[-2], mb[-1]))]
        grads = []
        for mx, other, mo, i in ((ma, b2, mb, 0), (mb, a2, ma, 1)):
            if not need[i]:
                grads.append(None)
                continue
            pairs = zip(g, _batches(other, mo, batch))
            parts = [_linear(gi, o) if i == 0 else _matmul(_transpose(o), gi) for gi, o in pairs]
            full = _nest(_flatten(parts, (len(parts),) + mx[-2:]), batch + mx[-2:])
            summed = _sum_to(full, batch + mx[-2:], mx)
            grads.append(_nest(_flatten(summed, mx), (sa, sb)[i]))
        return tuple(grads)


# --- choosing ----------------------------------------------------------------------

def _pick(c, a, b):
    if c is True:
        return a
    if c is False:
        return b
    raise TypeError(f"where: the condition must hold True or False, got {type(c).__name__} {c!r:.20}")


class Where(Function):
    """x where the condition holds, y elsewhere, broadcast; the gradient goes to the one chosen.

    >>> from refnn.tensors import tensor
    >>> x = tensor([-1.0, 2.0], requires_grad=True)
    >>> y = where(x > 0, x, 0.0)             # relu
    >>> y.sum().backward()
    >>> x.grad
    tensor([0.0, 1.0])
    """

    @staticmethod
    def forward(ctx, condition, x, y):
        shapes = ctx.input_shapes
        ctx.output_shape = dims = _broadcast_shape("where", *shapes)
        c = _expand(condition, shapes[0], dims)
        ctx.c, ctx.shapes, ctx.dims = c, shapes, dims
        return _map(_pick, len(dims), c, _expand(x, shapes[1], dims), _expand(y, shapes[2], dims))

    @staticmethod
    def backward(ctx, grad):
        depth, zero = len(ctx.dims), _zero_like(grad)
        to_x = _sum_to(_map(lambda c, g: g if c else zero, depth, ctx.c, grad), ctx.dims, ctx.shapes[1])
        to_y = _sum_to(_map(lambda c, g: zero if c else g, depth, ctx.c, grad), ctx.dims, ctx.shapes[2])
        return None, to_x, to_y


def _zero_like(x):
    first = _first(x)
    return 0.0 if isinstance(first, float) else 0


class Cast(Function):
    """The numbers converted to a floating dtype (``x.float()``); the gradient passes unchanged.

    >>> from refnn.tensors import tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> x.double()
    tensor([1.0, 2.0], grad_fn=<CastBackward>)
    """

    @staticmethod
    def forward(ctx, x, dtype):
        return _each(dtype.convert, x, len(_shape_of(x)))

    @staticmethod
    def backward(ctx, grad):
        return grad, None


# --- the functions a program calls -----------------------------------------------------

def _tensor(op, x):
    """x as a Tensor: itself, or a checked new one from a number or nested list."""
    if isinstance(x, tensors.Tensor):
        return x
    if type(x) is float or type(x) is int:         # a number beside a tensor (x * 2): nothing to check
        return tensors.Tensor._result(x, None)
    if not (_is_number(x) or _is_sequence(x)):
        raise TypeError(f"{op}: expected a Tensor, a number or a nested list, got {type(x).__name__}")
    _shape(op, x)
    return tensors.Tensor(x)


def _out(result, *inputs):
    """A Tensor when an input was one; else the plain value (the seed's notebook worked on lists)."""
    if any(isinstance(x, tensors.Tensor) for x in inputs):
        return result
    return result._value


def _scalar(op, name, value):
    """A number (not a bool, not a list) given for a parameter such as alpha, or a TypeError naming it."""
    if isinstance(value, bool) or _is_sequence(value) or not _is_number(value):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__}")
    return value


def _binary(op, function, input, other):
    a, b = _tensor(op, input), _tensor(op, other)
    return _out(function.apply(a, b), input, other)


def add(input, other, alpha=1):
    """input + alpha·other place by place, broadcast as in PyTorch (a number or a row serves every place).

    >>> add([[1, 2], [3, 4]], [[10, 20], [30, 40]])
    [[11, 22], [33, 44]]
    >>> add([[1, 2], [3, 4]], [10, 20]), add([1, 2], 0.5)
    ([[11, 22], [13, 24]], [1.5, 2.5])

    A column and a row broadcast to a table:

    >>> add([[0], [10]], [1, 2, 3])
    [[1, 2, 3], [11, 12, 13]]
    >>> add([1, 2], [1, 2, 3])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: add: shapes (2,), (3,) do not broadcast: sizes 2 and 3 meet in dimension 0
    """
    if _scalar("add", "alpha", alpha) != 1:
        other = mul(_tensor("add", other), alpha)
    return _binary("add", Add, input, other)


def sub(input, other, alpha=1):
    """input − alpha·other place by place, broadcast; the seed's error ``y - layer2`` is one.

    >>> sub([[0], [1], [1], [0]], [[0.25], [0.75], [0.5], [0.5]])
    [[-0.25], [0.25], [0.5], [-0.5]]
    >>> sub(1, [[1, 2]])
    [[0, -1]]
    >>> sub([1, 2], "a")
    Traceback (most recent call last):
        ...
    TypeError: sub: expected a Tensor, a number or a nested list, got str
    """
    if _scalar("sub", "alpha", alpha) != 1:
        other = mul(_tensor("sub", other), alpha)
    return _binary("sub", Sub, input, other)


def mul(input, other):
    """input · other place by place (not the matrix product), broadcast as in PyTorch.

    >>> mul([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    [[5, 12], [21, 32]]
    >>> mul([[1, 2], [3, 4]], 10)
    [[10, 20], [30, 40]]
    >>> mul([[1, 2], [3, 4]], [[1, 2, 3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: mul: shapes (2, 2), (1, 3) do not broadcast: sizes 2 and 3 meet in dimension 1
    """
    return _binary("mul", Mul, input, other)


def div(input, other):
    """input / other place by place (true division), broadcast as in PyTorch.

    >>> div([[1, 2], [3, 4]], 2)
    [[0.5, 1.0], [1.5, 2.0]]
    >>> from fractions import Fraction
    >>> div([1, 2], Fraction(3))
    [Fraction(1, 3), Fraction(2, 3)]

    A division by zero gives ±inf or nan, as in PyTorch:

    >>> div([1, -2, 0], 0)
    [inf, -inf, nan]
    """
    return _binary("div", Div, input, other)


def pow(input, exponent):
    """input ** exponent place by place, broadcast (``torch.pow``).

    >>> pow([1, 2, 3], 2), pow(2, [0.5, -1])
    ([1, 4, 9], [1.4142135623730951, 0.5])
    """
    return _binary("pow", Pow, input, exponent)


def _unary(op, function, input):
    return _out(function.apply(_tensor(op, input)), input)


def neg(input):
    """−input place by place.

    >>> neg([1, -2])
    [-1, 2]
    """
    return _unary("neg", Neg, input)


def exp(input):
    """e^x place by place.

    >>> from refnn.tensors import tensor
    >>> exp(tensor([0.0]))
    tensor([1.0])
    """
    return _unary("exp", Exp, input)


def log(input):
    """ln x place by place (−inf at 0, nan below, as PyTorch).

    >>> log([1.0, 0.0, -1.0])
    [0.0, -inf, nan]
    """
    return _unary("log", Log, input)


def sqrt(input):
    """√x place by place (nan below 0).

    >>> sqrt([4, 2.25])
    [2.0, 1.5]
    """
    return _unary("sqrt", Sqrt, input)


def abs(input):
    """|x| place by place.

    >>> abs([-1.5, 2])
    [1.5, 2]
    """
    return _unary("abs", Abs, input)


def sigmoid(input):
    """σ(x) = 1/(1 + e^(−x)) place by place: the seed's ``nonlin``.

    >>> sigmoid([0.0])
    [0.5]
    """
    return _unary("sigmoid", Sigmoid, input)


def tanh(input):
    """tanh x place by place.

    >>> tanh([0.0])
    [0.0]
    """
    return _unary("tanh", Tanh, input)


def relu(input):
    """max(0, x) place by place.

    >>> relu([[-1.0, 2.0]])
    [[0.0, 2.0]]
    """
    return _unary("relu", ReLU, input)


def clamp(input, min=None, max=None):
    """input cut to [min, max] place by place (either may be None).

    >>> clamp([-2, 0.5, 3], -1, 1)
    [-1, 0.5, 1]
    >>> clamp([1], None, None)
    Traceback (most recent call last):
        ...
    RuntimeError: clamp: At least one of 'min' or 'max' must not be None
    """
    if min is None and max is None:
        raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
    for name, v in (("min", min), ("max", max)):
        if v is not None:
            _scalar("clamp", name, v)
    return _out(Clamp.apply(_tensor("clamp", input), min, max), input)


def _axes(op, dim, ndim):
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):      # PyTorch: () is every dim too
        return tuple(range(ndim))
    return _dim_set(op, dim, ndim)


def sum(input, dim=None, keepdim=False):
    """The sum along ``dim`` ("the reduced dimension"): that dimension vanishes from the shape.

    The seed's reading of ``dim`` (缩减的维度): summing a Q×W×E×R array over
    dim=1 leaves Q×E×R.  The numbers that differ only in their index along W
    are added; Q, E and R keep their sizes.

    >>> from refnn.shapes import reshape, shape
    >>> Q, W, E, R = 2, 3, 4, 5
    >>> x = reshape(list(range(Q * W * E * R)), (Q, W, E, R))
    >>> shape(sum(x, 1))
    (2, 4, 5)

    On a matrix, dim=0 adds down the columns and dim=1 along the rows; with
    no dim everything is added, and a tuple of dims sums over each of them:

    >>> m = [[1, 2, 3], [4, 5, 6]]
    >>> sum(m, 0), sum(m, 1), sum(m, -1), sum(m), sum(m, (0, 1))
    ([5, 7, 9], [6, 15], [6, 15], 21, 21)

    ``keepdim=True`` leaves the summed dimension in place with size 1:

    >>> sum(m, 1, keepdim=True)
    [[6], [15]]

    An empty sum is 0.  As in PyTorch, ``dim=()`` means every dimension.

    >>> from refnn.tensors import tensor
    >>> sum([]), sum(tensor([[1, 2]]).narrow(0, 0, 0), 0)
    (0, tensor([0, 0]))
    >>> sum(x, 4)
    Traceback (most recent call last):
        ...
    IndexError: sum: Dimension out of range (expected to be in range of [-4, 3], but got 4)
    >>> sum([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: sum: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    >>> sum(m, (0, 0))
    Traceback (most recent call last):
        ...
    ValueError: sum: dim 0 appears multiple times in the list of dims (0, 0)
    """
    x = _tensor("sum", input)
    axes = _axes("sum", dim, x.dim())
    _bool("sum", "keepdim", keepdim)
    _lists("sum", tuple(n for d, n in enumerate(x.shape) if d not in axes))
    return _out(Sum.apply(x, axes, keepdim), input)


def mean(input, dim=None, keepdim=False):
    """The mean along dim (of everything when dim is None).

    >>> mean([[1, 2], [3, 5]]), mean([[1, 2], [3, 5]], 0)
    (2.75, [2.0, 3.5])
    """
    x = _tensor("mean", input)
    axes = _axes("mean", dim, x.dim())
    _bool("mean", "keepdim", keepdim)
    return _out(Mean.apply(x, axes, keepdim), input)


_MaxResult = namedtuple("max", ["values", "indices"])


def max(input, dim=None, keepdim=False):
    """The largest number; with dim, (values, indices) of the largest along dim (``torch.max``).

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1, 5, 2], [7, 0, 3]])
    >>> max(x)
    tensor(7)
    >>> max(x, 1)
    max(values=tensor([5, 7]), indices=tensor([1, 0]))
    >>> max(tensor([]))
    Traceback (most recent call last):
        ...
    RuntimeError: max(): Expected reduction dim to be specified for input.numel() == 0. Specify the \
reduction dim with the 'dim' argument.
    """
    x = _tensor("max", input)
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError("max(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        return _out(Max.apply(x), input)
    indices = argmax(x, dim, keepdim)
    d = _dim("max", dim, x.dim())
    if not x.shape:
        return _MaxResult(x.clone(), indices)
    values = MaxDim.apply(x, d, _bool("max", "keepdim", keepdim), indices._value)
    return _MaxResult(values, indices) if isinstance(input, tensors.Tensor) else \
        _MaxResult(values._value, indices._value)


def argmax(input, dim=None, keepdim=False):
    """The index of the largest number: in the flattened tensor, or along dim (the first of equals).

    >>> argmax([[1, 5, 2], [7, 0, 3]]), argmax([[1, 5, 2], [7, 0, 3]], dim=1)
    (3, [1, 0])
    """
    x = _tensor("argmax", input)
    _bool("argmax", "keepdim", keepdim)
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError("argmax(): Expected reduction dim to be specified for input.numel() == 0.")
        flat = _flatten(x._value, x.shape)
        return _out(tensors.Tensor._result(_largest(flat), None), input)
    d = _dim("argmax", dim, x.dim())
    if not x.shape:
        return _out(tensors.Tensor._result(0, None), input)
    if x.shape[d] == 0:
        raise ShapeError(f"argmax(): Expected reduction dim {d} to have non-zero size.")
    flat = _flatten(x._value, x.shape)
    picks = [_largest([flat[p] for p in line]) for line in _lines(x.shape, d)]
    return _out(tensors.Tensor._result(_nest(picks, _reduced(x.shape, d, keepdim)), None), input)


def matmul(input, other):
    """The matrix product as ``torch.matmul``: vectors, matrices and batches of matrices.

    The seed's first layer: ``1*2 + 1*3 + (-1)*0 = 5``.

    >>> matmul([[1, 1, -1]], [[2], [3], [0]])
    [[5]]
    >>> matmul([1, 2], [3, 4]), matmul([[1, 2], [3, 4]], [1, 1])
    (11, [3, 7])
    >>> matmul([[1, 2]], [[1, 2]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: matmul: (1, 2) @ (1, 2): inner sizes 2 and 1 differ
    """
    a, b = _tensor("matmul", input), _tensor("matmul", other)
    sa, sb = a.shape, b.shape
    if not sa or not sb:
        raise ShapeError("matmul: both arguments to matmul need to be at least 1D, "
                         f"but they are {len(sa)}D and {len(sb)}D")
    inner_a, inner_b = sa[-1], (sb[0] if len(sb) == 1 else sb[-2])
    if inner_a != inner_b:
        raise ShapeError(f"matmul: {sa} @ {sb}: inner sizes {inner_a} and {inner_b} differ")
    _broadcast_shape("matmul", sa[:-2], sb[:-2])
    return _out(MatMul.apply(a, b), input, other)


def mm(input, mat2):
    """The product of two matrices (``torch.mm``: no vectors, no batches).

    >>> mm([[1, 2]], [[3], [4]])
    [[11]]
    """
    a, b = _tensor("mm", input), _tensor("mm", mat2)
    if a.dim() != 2 or b.dim() != 2:
        raise ShapeError(f"mm: self must be a matrix, got shapes {a.shape} and {b.shape}")
    if a.shape[1] != b.shape[0]:
        raise ShapeError(f"mm: {a.shape} @ {b.shape}: inner sizes {a.shape[1]} and {b.shape[0]} differ")
    return _out(MatMul.apply(a, b), input, mat2)


def where(condition, input, other):
    """input where the condition is True, other where it is False, place by place.

    The seed: where an element satisfies the condition, take x's value; where
    not, take y's entry at that place (or y itself, if y is a number).

    >>> where([[True, False], [False, True]], [[1, 2], [3, 4]], [[10, 20], [30, 40]])
    [[1, 20], [30, 4]]

    The three broadcast as in PyTorch: a number, or a row, serves every place.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[-1, 2], [3, -4]])
    >>> where(x > 0, x, 0)                   # relu
    tensor([[0, 2], [3, 0]])
    >>> where([True, False], [[1, 2], [3, 4]], -1)
    [[1, -1], [3, -1]]
    >>> where([1, 0], 5, 6)
    Traceback (most recent call last):
        ...
    TypeError: where: the condition must hold True or False, got int 1
    >>> where([True, False, True], [1, 2], 0)
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: where: shapes (3,), (2,), () do not broadcast: sizes 2 and 3 meet in dimension 0
    """
    c, a, b = (_tensor("where", v) for v in (condition, input, other))
    return _out(Where.apply(c, a, b), condition, input, other)


def equal(input, other):
    """True if the two have the same shape and the same numbers (``torch.equal``).

    Comparing Tensors with ``==`` compares place by place (as in PyTorch);
    ``equal`` answers for the whole.  NaN equals nothing, not even itself:

    >>> from refnn.tensors import tensor
    >>> equal(tensor([[1, 2]]), [[1, 2]]), equal([1, 2], [[1, 2]])
    (True, False)
    >>> (tensor([1, 2]) == tensor([1, 3])).tolist()
    [True, False]
    >>> nan = float("nan")
    >>> equal(tensor([nan]), tensor([nan]))
    False
    >>> equal([1, 2], [[1], [2, 3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: equal: ragged list: at depth 1, item 1 has 2 entries where item 0 has 1 entries
    """
    a, b = _tensor("equal", input), _tensor("equal", other)
    if a.shape != b.shape:
        return False
    return builtins.all(map(operator.eq, _flatten(a._value, a.shape), _flatten(b._value, b.shape)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if |input − other| <= atol + rtol·|other| everywhere, broadcast (``torch.allclose``).

    >>> allclose([1.0, 2.0], [1.0, 2.0 + 1e-9]), allclose([1.0], [1.1])
    (True, False)
    """
    a, b = _tensor("allclose", input), _tensor("allclose", other)
    _scalar("allclose", "rtol", rtol), _scalar("allclose", "atol", atol)
    _bool("allclose", "equal_nan", equal_nan)

    def close(x, y):
        if x != x or y != y:
            return equal_nan and x != x and y != y
        return x == y or builtins.abs(x - y) <= atol + rtol * builtins.abs(y)
    out = _broadcast("allclose", close, a._value, b._value)
    return builtins.all(_flatten(out[0], out[3]))
