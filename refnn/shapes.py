"""The seed's notebook of shape operations, each a Function: the numbers move, their gradients move back.

The seed ends with a notebook ("Pytorch常用代码Note") of the operations a
PyTorch program uses every day.  Those that only move numbers live here, in
the seed's order; each ``backward`` moves the gradient back to where each
number came from:

==============================  ===============================================
``narrow(input, dim, s, n)``    n consecutive slices from s on (张量剪裁)
``permute(input, dims)``        reorder the dimensions
``view`` / ``reshape``          the same numbers, row by row, in a new shape
``cat(tensors, dim)``           join tensors along a dimension
``unsqueeze`` / ``squeeze``     add or remove a dimension of size 1
``detach(input)``               the same numbers, cut from the graph
==============================  ===============================================

(``sum`` and ``where`` are in :mod:`refnn.functions`, ``solve`` and
``gesv`` in :mod:`refnn.linalg`, ``grid_sample`` in :mod:`refnn.sampling`.)
The seed's ``print(x.sum(0))``, ``x.sum(1)``, ``x.sum(2)`` on a 3-d ``x``:

>>> from refnn.tensors import tensor
>>> x = tensor([[[1, 2, 3], [4, 5, 6]],
...             [[7, 8, 9], [10, 11, 12]]])
>>> x.size()
(2, 2, 3)
>>> print(x.sum(0))              # over the first dimension: "by columns" (按列求和)
tensor([[8, 10, 12], [14, 16, 18]])
>>> print(x.sum(1))              # over the second: "by rows" (按行求和)
tensor([[5, 7, 9], [17, 19, 21]])
>>> print(x.sum(2))              # over the last: add up each innermost list
tensor([[6, 15], [24, 33]])

Every function takes Tensors (or plain nested lists, and then gives back
plain nested lists, as the seed's notebook did) and returns new ones; no
argument is ever changed.

>>> narrow([[1, 2, 3], [4, 5, 6]], 1, 0, 2)
[[1, 2], [4, 5]]

**Empty results.**  A nested list cannot show every empty shape: a tensor of
shape (0, 3) prints as ``[]``, exactly as PyTorch's ``tolist()`` gives it, and
``[]`` read back has shape (0,).  A Tensor carries its shape, so chains of
operations on it keep (0, 3):

>>> narrow([[1, 2, 3], [4, 5, 6]], 0, 1, 0)
[]
>>> tensor([[1, 2, 3], [4, 5, 6]]).narrow(0, 1, 0)
tensor([], size=(0, 3))

**Errors.**  A dimension out of range is an ``IndexError`` worded as
PyTorch words it; shapes that do not fit raise
:class:`~refnn.matrix.ShapeError` (a ``ValueError``); ragged lists are refused.

>>> permute(x, (0, 1))
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: permute: dims (0, 1) name 2 dimensions, but the input has shape (2, 2, 3)
"""
import math
import operator
from itertools import product

from refnn import tensors
from refnn._checks import (
    _dim, _dim_set, _int, _ints, _is_number, _is_sequence, _lists, _picks, _shape, ShapeError,
)
from refnn._nested import _clone, _expand, _first, _flatten, _nest, _shape_of, _sum_to, _zeros
from refnn.autograd import Function

__all__ = [
    "View", "Squeeze", "Unsqueeze", "Permute", "Narrow", "Cat", "Stack", "Expand", "Index", "IndexPut",
    "Clone",
    "shape", "size", "view", "reshape", "flatten", "permute", "transpose", "t", "narrow", "cat", "stack",
    "unsqueeze", "squeeze", "expand", "clone", "detach", "index",
]


def _zero(x):
    return 0.0 if isinstance(_first(x), float) else 0


# --- the Functions ------------------------------------------------------------------

class View(Function):
    """The same numbers, read row by row, in the shape dims; the gradient is read back into the old shape.

    >>> from refnn.tensors import tensor
    >>> x = tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    >>> y = x.view(2, 2)
    >>> y
    tensor([[1.0, 2.0], [3.0, 4.0]], grad_fn=<ViewBackward>)
    >>> (y * tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    >>> x.grad
    tensor([1.0, 2.0, 3.0, 4.0])
    """

    @staticmethod
    def forward(ctx, x, dims):
        ctx.old = ctx.input_shapes[0]
        ctx.output_shape = dims
        return _nest(_flatten(x, ctx.old), dims)

    @staticmethod
    def backward(ctx, grad):
        return _nest(_flatten(grad, ctx.output_shape), ctx.old), None


class Squeeze(View):
    """A :class:`View` without dimensions of size 1.

    >>> from refnn.tensors import tensor
    >>> tensor([[1.0]], requires_grad=True).squeeze()
    tensor(1.0, grad_fn=<SqueezeBackward>)
    """


class Unsqueeze(View):
    """A :class:`View` with a new dimension of size 1.

    >>> from refnn.tensors import tensor
    >>> tensor([1.0], requires_grad=True).unsqueeze(0)
    tensor([[1.0]], grad_fn=<UnsqueezeBackward>)
    """


def _permuted(x, dims, order):
    """x with its dimensions in the given order (result dim k is dim order[k])."""
    if len(dims) == 2 and order == (1, 0) and 0 not in dims:
        return [list(col) for col in zip(*x)] if x else []
    out_dims = tuple(dims[d] for d in order)
    # PyTorch's way: a step of 1 along input dimension d skips strides[d]
    # numbers of the flat list, so permuting the dimensions permutes the strides.
    strides = [math.prod(dims[d + 1:]) for d in range(len(dims))]
    steps = [strides[d] for d in order]
    flat = _flatten(x, dims)
    values = [flat[sum(map(operator.mul, index, steps))] for index in product(*map(range, out_dims))]
    return _nest(values, out_dims)


class Permute(Function):
    """The dimensions in a new order; the gradient goes back through the inverse order.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    >>> y = x.permute(1, 0)
    >>> y
    tensor([[1.0], [2.0], [3.0]], grad_fn=<PermuteBackward>)
    >>> y.backward(tensor([[1.0], [2.0], [3.0]]))
    >>> x.grad
    tensor([[1.0, 2.0, 3.0]])
    """

    @staticmethod
    def forward(ctx, x, order):
        dims = ctx.input_shapes[0]
        ctx.order, ctx.output_shape = order, tuple(dims[d] for d in order)
        return _permuted(x, dims, order)

    @staticmethod
    def backward(ctx, grad):
        inverse = tuple(ctx.order.index(d) for d in range(len(ctx.order)))
        return _permuted(grad, ctx.output_shape, inverse), None


def _narrow(x, d, start, length):
    if d == 0:
        return [_clone(item) for item in x[start:start + length]]
    return [_narrow(item, d - 1, start, length) for item in x]


def _widen(grad, dims, d, start, zero):
    """The gradient of a narrow: grad put back at start along d, zeros elsewhere (of shape dims)."""
    if d == 0:
        return ([_zeros(dims[1:], zero) for _ in range(start)] + list(grad)
                + [_zeros(dims[1:], zero) for _ in range(dims[0] - start - len(grad))])
    return [_widen(g, dims[1:], d - 1, start, zero) for g in grad]


class Narrow(Function):
    """length slices from start along dim d; the gradient goes back to those slices, 0 elsewhere.

    >>> from refnn.tensors import tensor
    >>> x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> x.narrow(0, 1, 2).sum().backward()
    >>> x.grad
    tensor([0.0, 1.0, 1.0])
    """

    @staticmethod
    def forward(ctx, x, d, start, length):
        ctx.dims, ctx.d, ctx.start = ctx.input_shapes[0], d, start
        ctx.output_shape = ctx.dims[:d] + (length,) + ctx.dims[d + 1:]
        return _narrow(x, d, start, length)

    @staticmethod
    def backward(ctx, grad):
        return _widen(grad, ctx.dims, ctx.d, ctx.start, _zero(grad)), None, None, None


def _cat(xs, d):
    if d == 0:
        return [_clone(item) for x in xs for item in x]
    return [_cat(items, d - 1) for items in zip(*xs)]


class Cat(Function):
    """The tensors joined along dim d (衔接); each gets back its own part of the gradient.

    >>> from refnn.tensors import tensor
    >>> a, b = tensor([1.0], requires_grad=True), tensor([2.0, 3.0], requires_grad=True)
    >>> cat([a, b]).backward(tensor([10.0, 20.0, 30.0]))
    >>> a.grad, b.grad
    (tensor([10.0]), tensor([20.0, 30.0]))
    """

    @staticmethod
    def forward(ctx, d, *xs):
        shapes = ctx.input_shapes[1:]
        ctx.d, ctx.sizes = d, [dims[d] if dims != (0,) else None for dims in shapes]
        first = next((dims for dims in shapes if dims != (0,)), (0,))
        ctx.output_shape = first[:d] + (sum(n or 0 for n in ctx.sizes),) + first[d + 1:]
        return _cat([x for x, n in zip(xs, ctx.sizes) if n is not None], d)

    @staticmethod
    def backward(ctx, grad):
        grads, start = [None], 0
        for n in ctx.sizes:
            if n is None:               # an empty vector that was skipped: its gradient is empty too
                grads.append([])
                continue
            grads.append(_narrow(grad, ctx.d, start, n))
            start += n
        return tuple(grads)


class Stack(Function):
    """The tensors (of one shape) stacked along a new dim d; each gets back its slice of the gradient.

    >>> from refnn.tensors import tensor
    >>> a, b = tensor([1.0, 2.0], requires_grad=True), tensor([3.0, 4.0])
    >>> s = stack([a, b])
    >>> s
    tensor([[1.0, 2.0], [3.0, 4.0]], grad_fn=<StackBackward>)
    >>> s.backward(tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> a.grad
    tensor([1.0, 2.0])
    """

    @staticmethod
    def forward(ctx, d, *xs):
        dims = _shape_of(xs[0])
        ctx.d, ctx.dims, ctx.n = d, dims, len(xs)
        new = dims[:d] + (1,) + dims[d:]
        return _cat([_nest(_flatten(x, dims), new) for x in xs], d)

    @staticmethod
    def backward(ctx, grad):
        d, dims = ctx.d, ctx.dims
        return (None,) + tuple(_nest(_flatten(_narrow(grad, d, k, 1), dims[:d] + (1,) + dims[d:]), dims)
                               for k in range(ctx.n))


class Expand(Function):
    """The size-1 dimensions repeated to the shape dims (a copy); the gradient adds the repeats back up.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0], [2.0]], requires_grad=True)
    >>> x.expand(2, 3).sum().backward()
    >>> x.grad
    tensor([[3.0], [3.0]])
    """

    @staticmethod
    def forward(ctx, x, dims):
        ctx.old, ctx.dims = ctx.input_shapes[0], dims
        ctx.output_shape = dims
        return _clone(_expand(x, ctx.old, dims))

    @staticmethod
    def backward(ctx, grad):
        return _sum_to(grad, ctx.dims, ctx.old), None


def _take(x, picks):
    if not picks:
        return _clone(x)
    pick, rest = picks[0], picks[1:]
    if isinstance(pick, range):
        return [_take(x[i], rest) for i in pick]
    return _take(x[pick], rest)


def _place(grad, picks, dims, zero):
    """The gradient of an indexing: grad put where the picks took from, zeros elsewhere."""
    if not picks:
        return grad
    pick, rest = picks[0], picks[1:]
    out = [_zeros(dims[1:], zero) for _ in range(dims[0])]
    if isinstance(pick, range):
        for g, i in zip(grad, pick):
            out[i] = _place(g, rest, dims[1:], zero)
    else:
        out[pick] = _place(grad, rest, dims[1:], zero)
    return out


class Index(Function):
    """x[key] for ints and slices of the leading dims; the gradient goes back to the places taken.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x[1].sum().backward()
    >>> x.grad
    tensor([[0.0, 0.0], [1.0, 1.0]])
    """

    @staticmethod
    def forward(ctx, x, picks):
        ctx.dims, ctx.picks = ctx.input_shapes[0], picks
        ctx.output_shape = tuple(len(p) for p in picks if isinstance(p, range)) + ctx.dims[len(picks):]
        return _take(x, picks)

    @staticmethod
    def backward(ctx, grad):
        return _place(grad, ctx.picks, ctx.dims, _zero(grad)), None


def _put(x, picks, value):
    """Write value (shaped like x[picks]) into the nested list x at the picks, in place."""
    pick, rest = picks[0], picks[1:]
    places, values = (pick, value) if isinstance(pick, range) else ([pick], [value])
    for i, v in zip(places, values):
        if rest:
            _put(x[i], rest, v)
        else:
            x[i] = _clone(v)


class IndexPut(Function):
    """x with x[key] = value (value broadcast); the gradient of x is 0 where value went, value's is summed.

    ``x[0] = v`` on a tensor calls it.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> v = tensor(10.0, requires_grad=True)
    >>> y = x * 1
    >>> y[0] = v
    >>> y
    tensor([[10.0, 10.0], [3.0, 4.0]], grad_fn=<IndexPutBackward>)
    >>> y.sum().backward()
    >>> x.grad, v.grad
    (tensor([[0.0, 0.0], [1.0, 1.0]]), tensor(2.0))
    """

    @staticmethod
    def forward(ctx, x, value, picks):
        dims, vdims = ctx.input_shapes[0], ctx.input_shapes[1]
        region = tuple(len(p) for p in picks if isinstance(p, range)) + dims[len(picks):]
        ctx.picks, ctx.region, ctx.vdims, ctx.output_shape = picks, region, vdims, dims
        out = _clone(x)
        _put(out, picks, _expand(value, vdims, region))
        return out

    @staticmethod
    def backward(ctx, grad):
        picks, region = ctx.picks, ctx.region
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = _clone(grad)
            _put(grad_x, picks, _zeros(region, _zero(grad)))
        grad_value = _sum_to(_take(grad, picks), region, ctx.vdims) if ctx.needs_input_grad[1] else None
        return grad_x, grad_value, None


class Clone(Function):
    """A copy of x that stays in the graph; ∂/∂x = 1.

    >>> from refnn.tensors import tensor
    >>> tensor([1.0], requires_grad=True).clone()
    tensor([1.0], grad_fn=<CloneBackward>)
    """

    @staticmethod
    def forward(ctx, x):
        return _clone(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


# --- the functions a program calls ----------------------------------------------------

def _tensor(op, x):
    """x as a Tensor: itself, or a checked new one from a number or nested list."""
    if isinstance(x, tensors.Tensor):
        return x
    if not (_is_number(x) or _is_sequence(x)):
        raise TypeError(f"{op}: expected a Tensor, a number or a nested list, got {type(x).__name__}")
    _shape(op, x)
    return tensors.Tensor(x)


def _out(result, *inputs):
    """A Tensor when an input was one; else the plain value (the seed's notebook worked on lists)."""
    if any(isinstance(x, tensors.Tensor) for x in inputs):
        return result
    return result._value


def shape(input):
    """The shape of a Tensor or a nested list: its size along each dimension (() for a number).

    >>> shape([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])
    (2, 2, 3)
    >>> shape(5), shape([])
    ((), (0,))

    A Tensor knows shapes a list cannot show:

    >>> from refnn.tensors import tensor
    >>> shape(tensor([[1, 2, 3]]).narrow(0, 0, 0))
    (0, 3)
    >>> shape([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: shape: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    return input.shape if isinstance(input, tensors.Tensor) else _shape("shape", input)


def size(input, dim=None):
    """PyTorch's ``x.size()``: the whole shape, or the size along one dimension.

    >>> x = [[1, 2, 3], [4, 5, 6]]
    >>> size(x), size(x, 1), size(x, -2)
    ((2, 3), 3, 2)
    >>> size(7)
    ()
    >>> size(x, 2)
    Traceback (most recent call last):
        ...
    IndexError: size: Dimension out of range (expected to be in range of [-2, 1], but got 2)
    """
    return _tensor("size", input).size(dim)


def view(input, shape):
    """The same numbers in a new shape, row by row (one size may be -1, inferred).

    The seed: view is like reshape, "placing the elements in row order into a
    new tensor of a different size".  PyTorch's ``view`` shares the memory of
    its input and fails on a non-contiguous tensor (after ``permute``, say);
    nested lists are always read row by row, so here ``view`` never fails
    where ``reshape`` works, and it returns new lists.

    >>> x = list(range(6))
    >>> view(x, (2, 3))
    [[0, 1, 2], [3, 4, 5]]
    >>> view(view(x, (2, 3)), (-1,)) == x
    True
    >>> view(x, (5, -1))
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: view: cannot lay out shape (6,) (6 numbers) as (5, -1)
    """
    return _reshape("view", input, shape)


def reshape(input, shape):
    """The same numbers, read row by row, laid out in a new shape; one size may be -1 (inferred).

    >>> reshape([[1, 2, 3], [4, 5, 6]], (3, 2))
    [[1, 2], [3, 4], [5, 6]]
    >>> reshape([[1, 2, 3], [4, 5, 6]], (-1,))
    [1, 2, 3, 4, 5, 6]
    >>> reshape([1, 2, 3, 4], (2, -1, 1))
    [[[1], [2]], [[3], [4]]]

    A number is a 0-d tensor with one entry:

    >>> reshape([[7]], ()), reshape(7, (1, 1))
    (7, [[7]])
    >>> reshape([[1, 2, 3], [4, 5, 6]], (4, -1))
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: reshape: cannot lay out shape (2, 3) (6 numbers) as (4, -1)
    >>> reshape([1, 2], (-1, -1))
    Traceback (most recent call last):
        ...
    ValueError: reshape: only one size can be inferred (-1), got (-1, -1)

    An empty tensor takes any shape with a 0 in it, but not one that would
    need 10**12 empty lists:

    >>> reshape([], (2, 0))
    [[], []]
    >>> reshape([], (10**12, 0))
    Traceback (most recent call last):
        ...
    ValueError: reshape: shape (1000000000000, 0) takes 1e+12 lists and numbers;
    refnn's lists hold at most 100000000
    """
    return _reshape("reshape", input, shape)


def _reshape(op, input, shape, function=View):
    x = _tensor(op, input)
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    new = _infer(op, x.shape, _ints(op, "shape", shape))
    _lists(op, new)
    return _out(function.apply(x, new), input)


def _infer(op, dims, shape):
    """The requested shape with its -1 (if any) replaced by the size that keeps the count of numbers."""
    if any(n < -1 for n in shape):
        raise ValueError(f"{op}: sizes must be at least 0 (or -1 to infer one), got {shape}")
    if shape.count(-1) > 1:
        raise ValueError(f"{op}: only one size can be inferred (-1), got {shape}")
    total, known = math.prod(dims), math.prod(n for n in shape if n != -1)
    if -1 in shape and known == 0:
        raise ShapeError(f"{op}: cannot infer -1 in {shape} for shape {dims}: "
                         f"with another size 0 any value would do")
    if -1 in shape and total % known == 0:
        shape = tuple(total // known if n == -1 else n for n in shape)
    if math.prod(shape) != total or -1 in shape:
        raise ShapeError(f"{op}: cannot lay out shape {dims} ({total} numbers) as {shape}")
    return shape


def flatten(input, start_dim=0, end_dim=-1):
    """Dimensions start_dim..end_dim merged into one (``torch.flatten``); a number becomes a vector.

    >>> flatten([[[1, 2], [3, 4]]]), flatten([[[1, 2], [3, 4]]], 1)
    ([1, 2, 3, 4], [[1, 2, 3, 4]])
    >>> flatten(5)
    [5]
    """
    x = _tensor("flatten", input)
    n = x.dim()
    s, e = _dim("flatten", start_dim, n), _dim("flatten", end_dim, n)
    if s > e:
        raise ShapeError("flatten: start_dim cannot come after end_dim")
    dims = x.shape
    new = dims[:s] + (math.prod(dims[s:e + 1]),) + dims[e + 1:] if dims else (1,)
    return _out(View.apply(x, new), input)


def permute(input, dims):
    """The dimensions in a new order: result dimension k is input dimension ``dims[k]``.

    Entry ``out[i0][i1]...`` is the input entry whose index along ``dims[k]`` is
    ``i_k``.  For a matrix, ``permute(m, (1, 0))`` is the transpose:

    >>> permute([[1, 2, 3], [4, 5, 6]], (1, 0))
    [[1, 4], [2, 5], [3, 6]]

    An image stored (H, W, C) becomes PyTorch's (C, H, W):

    >>> hwc = [[[1, 10], [2, 20]], [[3, 30], [4, 40]]]     # 2×2 pixels, 2 channels
    >>> permute(hwc, (2, 0, 1))
    [[[1, 2], [3, 4]], [[10, 20], [30, 40]]]
    >>> shape(permute(hwc, (-1, 0, 1)))
    (2, 2, 2)
    >>> permute(hwc, (0, 1))
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: permute: dims (0, 1) name 2 dimensions, but the input has shape (2, 2, 2)
    >>> permute(hwc, (0, 1, 1))
    Traceback (most recent call last):
        ...
    ValueError: permute: dims (0, 1, 1) repeat a dimension; they must order 0..2
    """
    x = _tensor("permute", input)
    order = _ints("permute", "dims", dims)
    if len(order) != x.dim():
        raise ShapeError(f"permute: dims {order} name {len(order)} dimensions, "
                         f"but the input has shape {x.shape}")
    order = tuple(_dim("permute", d, x.dim()) for d in order)
    if len(set(order)) != len(order):
        raise ValueError(f"permute: dims {tuple(dims)} repeat a dimension; "
                         f"they must order 0..{x.dim() - 1}")
    _lists("permute", tuple(x.shape[d] for d in order))
    return _out(Permute.apply(x, order), input)


def transpose(input, dim0, dim1):
    """dim0 and dim1 swapped (``torch.transpose``).

    >>> transpose([[1, 2, 3]], 0, 1)
    [[1], [2], [3]]
    """
    x = _tensor("transpose", input)
    n = x.dim()
    a, b = _dim("transpose", dim0, n), _dim("transpose", dim1, n)
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return permute(input, tuple(order)) if n else _out(x.clone(), input)


def t(input):
    """The transpose of a matrix; a vector or a number stays as it is (``torch.t``).

    >>> t([[1, 2], [3, 4]]), t([1, 2])
    ([[1, 3], [2, 4]], [1, 2])
    """
    x = _tensor("t", input)
    if x.dim() > 2:
        raise ShapeError(f"t: t() expects a tensor with <= 2 dimensions, but self is {x.dim()}D")
    return transpose(input, 0, 1) if x.dim() == 2 else _out(x.clone(), input)


def narrow(input, dim, start, length):
    """The slices start, start+1, ..., start+length-1 along dim (张量剪裁, cutting a tensor).

    >>> x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    >>> narrow(x, 0, 0, 2)
    [[1, 2, 3], [4, 5, 6]]
    >>> narrow(x, 1, 1, 2)
    [[2, 3], [5, 6], [8, 9]]

    A negative start counts from the end; a length of 0 gives an empty result:

    >>> narrow(x, -1, -1, 1)
    [[3], [6], [9]]
    >>> narrow(x, 1, 3, 0)
    [[], [], []]
    >>> narrow(x, 1, 2, 2)
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: narrow: start 2 + length 2 exceeds size 3 of dimension 1 in shape (3, 3)

    PyTorch raises ``IndexError`` for a start out of range and
    ``RuntimeError`` for a too long length; refnn raises ``ShapeError`` for both.
    """
    x = _tensor("narrow", input)
    dims = x.shape
    if not dims:
        raise ShapeError("narrow: cannot narrow a number (a 0-d tensor)")
    d = _dim("narrow", dim, len(dims))
    n = dims[d]
    start, length = _int("narrow", "start", start), _int("narrow", "length", length)
    if not -n <= start <= n:
        raise ShapeError(f"narrow: start {start} out of range [{-n}, {n}] for dimension {d} in shape {dims}")
    if length < 0:
        raise ValueError(f"narrow: length must be non-negative, got {length}")
    start = start + n if start < 0 else start
    if start + length > n:
        raise ShapeError(f"narrow: start {start} + length {length} exceeds size {n} "
                         f"of dimension {d} in shape {dims}")
    return _out(Narrow.apply(x, d, start, length), input)


def _parts(op, tensors_):
    if not isinstance(tensors_, (list, tuple)):
        raise TypeError(f"{op}: tensors must be a list or tuple of tensors, got {type(tensors_).__name__}")
    if not tensors_:
        raise ValueError(f"{op}: expected a non-empty list of tensors")
    return [_tensor(op, x) for x in tensors_]


def cat(tensors, dim=0):
    """The tensors joined end to end along dim (衔接); their other sizes must agree.

    >>> a, b = [[1, 2], [3, 4]], [[5, 6]]
    >>> cat([a, b])
    [[1, 2], [3, 4], [5, 6]]
    >>> cat([a, [[7], [8]]], dim=1)
    [[1, 2, 7], [3, 4, 8]]
    >>> cat([[1, 2], [3]], dim=-1)
    [1, 2, 3]

    As in PyTorch, an empty vector ``[]`` (shape (0,)) is skipped whatever
    the shapes of the others:

    >>> cat([[], a])
    [[1, 2], [3, 4]]
    >>> cat([a, b], dim=1)
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: cat: shapes (2, 2) and (1, 2) differ outside dimension 1
    >>> cat([1, 2])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: cat: a number (a 0-d tensor, at position 0) cannot be concatenated
    """
    parts = _parts("cat", tensors)
    for i, x in enumerate(parts):
        if not x.shape:
            raise ShapeError(f"cat: a number (a 0-d tensor, at position {i}) cannot be concatenated")
    kept = [x for x in parts if x.shape != (0,)] or parts[:1]    # PyTorch skips empty vectors
    first = kept[0].shape
    d = _dim("cat", dim, len(first))
    for x in kept:
        dims = x.shape
        if len(dims) != len(first) or dims[:d] + dims[d + 1:] != first[:d] + first[d + 1:]:
            raise ShapeError(f"cat: shapes {first} and {dims} differ outside dimension {d}")
    return _out(Cat.apply(d, *parts), *tensors)


def stack(tensors, dim=0):
    """The tensors, all of one shape, stacked along a new dimension dim (``torch.stack``).

    >>> stack([[1, 2], [3, 4]]), stack([[1, 2], [3, 4]], dim=1)
    ([[1, 2], [3, 4]], [[1, 3], [2, 4]])
    >>> stack([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: stack: stack expects each tensor to be equal size, but got [2] at entry 0 and \
[1] at entry 1
    """
    parts = _parts("stack", tensors)
    for i, x in enumerate(parts):
        if x.shape != parts[0].shape:
            raise ShapeError(f"stack: stack expects each tensor to be equal size, but got "
                             f"{list(parts[0].shape)} at entry 0 and {list(x.shape)} at entry {i}")
    d = _dim("stack", dim, parts[0].dim() + 1)
    return _out(Stack.apply(d, *parts), *tensors)


def unsqueeze(input, dim):
    """A new dimension of size 1 at position dim (在指定位置增加一个一维的维度).

    Only the shape changes; the numbers keep their order.  A vector becomes a
    row (dim=0) or a column (dim=1):

    >>> unsqueeze([1, 2, 3], 0)
    [[1, 2, 3]]
    >>> unsqueeze([1, 2, 3], 1)
    [[1], [2], [3]]

    dim counts positions in the result, so for a vector -1 is the same as 1,
    and a number becomes a vector:

    >>> unsqueeze([1, 2, 3], -1), unsqueeze(5, 0)
    ([[1], [2], [3]], [5])
    >>> unsqueeze([1, 2, 3], 2)
    Traceback (most recent call last):
        ...
    IndexError: unsqueeze: Dimension out of range (expected to be in range of [-2, 1], but got 2)
    """
    x = _tensor("unsqueeze", input)
    d = _dim("unsqueeze", dim, x.dim() + 1)
    return _out(Unsqueeze.apply(x, x.shape[:d] + (1,) + x.shape[d:]), input)


def squeeze(input, dim=None):
    """The dimensions of size 1 removed: all of them, or only those named by dim.

    The seed: by default every dimension of size 1 goes (默认就是把所有shape中为1的维度去掉).

    >>> x = [[[1], [2], [3]]]                # shape (1, 3, 1)
    >>> squeeze(x)
    [1, 2, 3]
    >>> squeeze(x, 0), squeeze(x, -1)
    ([[1], [2], [3]], [[1, 2, 3]])

    A named dimension whose size is not 1 is left alone, as in PyTorch:

    >>> squeeze(x, 1) == x
    True
    >>> squeeze([[5]]), squeeze(x, (0, 2))
    (5, [1, 2, 3])
    >>> squeeze(x, 3)
    Traceback (most recent call last):
        ...
    IndexError: squeeze: Dimension out of range (expected to be in range of [-3, 2], but got 3)
    """
    x = _tensor("squeeze", input)
    dims = x.shape
    chosen = range(len(dims)) if dim is None else _dim_set("squeeze", dim, len(dims))
    new = tuple(n for d, n in enumerate(dims) if not (d in chosen and n == 1))
    return _out(Squeeze.apply(x, new), input)


def expand(input, sizes):
    """The size-1 dimensions repeated to sizes; -1 keeps a size (``x.expand``), new leading dims allowed.

    >>> expand([[1], [2]], (2, 3))
    [[1, 1, 1], [2, 2, 2]]
    >>> expand([1, 2], (3, -1))
    [[1, 2], [1, 2], [1, 2]]
    """
    x = _tensor("expand", input)
    sizes = _ints("expand", "sizes", sizes)
    dims = x.shape
    if len(sizes) < len(dims):
        raise ShapeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal "
                         f"to the number of dimensions in the tensor ({len(dims)})")
    padded = (1,) * (len(sizes) - len(dims)) + dims
    target = tuple(p if s == -1 else s for s, p in zip(sizes, padded))
    for s, p in zip(target, padded):
        if s < 0 or (p != 1 and s != p):
            raise ShapeError(f"expand: the expanded size of the tensor ({s}) must match the existing "
                             f"size ({p}) at non-singleton dimension; target sizes: {list(sizes)}, "
                             f"tensor sizes: {list(dims)}")
    _lists("expand", target)
    return _out(Expand.apply(x, target), input)


def clone(input):
    """A copy that stays in the graph (``torch.clone``).

    >>> clone([[1, 2]])
    [[1, 2]]
    """
    return _out(Clone.apply(_tensor("clone", input)), input)


def detach(input):
    """The same numbers cut from the graph: they take no part in gradient descent (不会再参与梯度下降).

    A Tensor's ``detach()`` shares its numbers, as in PyTorch; a plain
    nested list comes back as a copy (changing it leaves the original alone).

    >>> x = [[1, 2], [3, 4]]
    >>> y = detach(x)
    >>> y[0][0] = 100
    >>> x, y
    ([[1, 2], [3, 4]], [[100, 2], [3, 4]])
    >>> detach(2.5)
    2.5
    >>> detach([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: detach: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    if isinstance(input, tensors.Tensor):
        return input.detach()
    return _tensor("detach", input).tolist()


def index(input, key):
    """input[key] for ints and slices of the leading dimensions, one per dimension.

    >>> x = [[1, 2, 3], [4, 5, 6]]
    >>> index(x, 0), index(x, (1, 2)), index(x, (slice(None), 1))
    ([1, 2, 3], 6, [2, 5])
    >>> index(x, 2)
    Traceback (most recent call last):
        ...
    IndexError: index 2 is out of bounds for dimension 0 with size 2
    """
    x = _tensor("index", input)
    keys = key if isinstance(key, tuple) else (key,)
    return _out(Index.apply(x, _picks(x.shape, keys)), input)
