"""The seed's notebook of tensor operations, on nested lists, with PyTorch's names and meanings.

The seed ends with a notebook ("Pytorch常用代码Note") of the operations a
PyTorch program uses every day.  Each is here as a short function on nested
lists of any depth (a number is a 0-d tensor), in the seed's order:

==============================  ===============================================
``sum(input, dim, keepdim)``    add along a dimension; that dimension vanishes
``where(condition, x, y)``      x where the condition holds, y elsewhere
``narrow(input, dim, s, n)``    n consecutive slices from s on (张量剪裁)
``permute(input, dims)``        reorder the dimensions
``view`` / ``reshape``          the same numbers, row by row, in a new shape
``cat(tensors, dim)``           join tensors along a dimension
``solve(A, B)``, ``gesv(B, A)`` X with A·X = B, by Gaussian elimination
``unsqueeze`` / ``squeeze``     add or remove a dimension of size 1
``detach(input)``               a copy (refnn keeps no autograd graph)
``grid_sample(input, grid)``    read an image at points given in [-1, 1]
==============================  ===============================================

The seed's ``print(x.sum(0))``, ``x.sum(1)``, ``x.sum(2)`` on a 3-d ``x``:

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

Every function takes plain nested lists (or :class:`Tensor` objects) and
returns new ones; no argument is ever changed.

>>> sum([[1, 2], [3, 4]], dim=1)
[3, 7]

**Empty results.**  A nested list cannot show every empty shape: a tensor of
shape (0, 3) prints as ``[]``, exactly as PyTorch's ``tolist()`` gives it, and
``[]`` read back has shape (0,).  A :class:`Tensor` carries its shape, so
chains of operations on it keep (0, 3):

>>> narrow([[1, 2, 3], [4, 5, 6]], 0, 1, 0)
[]
>>> tensor([[1, 2, 3], [4, 5, 6]]).narrow(0, 1, 0)
tensor([], size=(0, 3))

**Errors.**  A dimension out of range is an ``IndexError`` worded as
PyTorch words it; shapes that do not fit raise
:class:`~refnn.matrix.ShapeError` (a ``ValueError``); a bad mode raises
``ValueError``; ragged lists are refused.

>>> sum(x, 3)
Traceback (most recent call last):
    ...
IndexError: sum: Dimension out of range (expected to be in range of [-3, 2], but got 3)
>>> sum([[1, 2], [3]])
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: sum: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
"""
import builtins
import math
import numbers
import operator
import sys
from fractions import Fraction
from functools import partial
from itertools import product

from refnn._checks import _is_number, _is_sequence, _isfinite, _LARGEST, _shape, ShapeError

__all__ = [
    "Tensor", "tensor", "shape", "size", "sum", "where", "narrow", "permute", "reshape", "view",
    "cat", "solve", "gesv", "unsqueeze", "squeeze", "detach", "grid_sample",
    "add", "sub", "mul", "div", "equal",
]


# --- checking ---------------------------------------------------------------
# Each public function checks its arguments once (``_unwrap``), works on the
# nested lists with the unchecked helpers below, and hands back a Tensor when
# it was given one (``_wrap``), so the Tensor methods are the same functions.

def _unwrap(op, x):
    """(data, shape) of a Tensor or of a nested list (checked: ragged lists and non-numbers are errors)."""
    if isinstance(x, Tensor):
        return x._data, x._shape
    return x, _shape(op, x)


def _wrap(data, dims, *inputs):
    """The result as a Tensor of shape dims if any input was a Tensor, else the plain nested list."""
    if any(isinstance(x, Tensor) for x in inputs):
        return Tensor._of(data, dims)
    return data


def _int(op, name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{op}: {name} must be an int, got {type(value).__name__}")
    return value


def _bool(op, name, value):
    if not isinstance(value, bool):
        raise TypeError(f"{op}: {name} must be True or False, got {type(value).__name__}")
    return value


def _ints(op, name, values):
    """A tuple or list of ints, as a tuple."""
    if not isinstance(values, (tuple, list)):
        raise TypeError(f"{op}: {name} must be a tuple of ints, got {type(values).__name__}")
    return tuple(_int(op, name, v) for v in values)


def _dim(op, dim, ndim):
    """dim as an index 0..ndim-1, counting from the end when negative (PyTorch's rule).

    A number (ndim 0) accepts dim 0 and -1, as PyTorch's scalars do.
    """
    _int(op, "dim", dim)
    low, high = -max(ndim, 1), max(ndim, 1) - 1
    if not low <= dim <= high:
        raise IndexError(f"{op}: Dimension out of range (expected to be in range of [{low}, {high}], "
                         f"but got {dim})")
    return dim % max(ndim, 1)


def _dim_set(op, dim, ndim):
    """One dim or a tuple of them, wrapped and sorted (a number's dim 0 or -1 names nothing)."""
    if isinstance(dim, int) and not isinstance(dim, bool):
        dim = (dim,)
    elif not isinstance(dim, (tuple, list)):
        raise TypeError(f"{op}: dim must be an int or a tuple of ints, got {type(dim).__name__}")
    dims = tuple(_int(op, "dim", d) for d in dim)
    wrapped = [_dim(op, d, ndim) for d in dims]
    for d in set(wrapped):
        if wrapped.count(d) > 1:
            raise ValueError(f"{op}: dim {d} appears multiple times in the list of dims {dim}")
    return tuple(sorted(wrapped)) if ndim else ()


# --- nested lists ---------------------------------------------------------------

def _flatten(x, dims):
    """The numbers of a nested list of shape dims in reading (row-major) order, as a new list."""
    if not dims:
        return [x]
    for _ in dims[1:]:
        x = [y for item in x for y in item]
    return list(x)


def _nest(values, dims):
    """The flat list ``values`` cut into the shape dims, row by row (a new nested list)."""
    if not dims:
        return values[0]
    if len(dims) == 1:
        return list(values)
    step = len(values) // dims[0] if dims[0] else 0
    return [_nest(values[k * step:(k + 1) * step], dims[1:]) for k in range(dims[0])]


def _lists(op, dims):
    """Refuse a shape whose nested lists would be too many: (10**12, 0) holds no number but 10**12 lists."""
    total, width = 0, 1
    for n in dims:
        width *= n
        total += width
    if total > _LARGEST:
        raise ValueError(f"{op}: shape {dims} takes {total:.3g} lists and numbers; "
                         f"refnn's lists hold at most {_LARGEST}")


def _clone(x):
    """A deep copy of a nested list (the numbers are shared: they cannot change)."""
    return [_clone(item) for item in x] if _is_sequence(x) else x


def _map(f, depth, *xs):
    """f on the numbers of nested lists of one shape (depth levels deep), place by place."""
    if depth == 0:
        return f(*xs)
    if depth == 1:
        return list(map(f, *xs))
    return [_map(f, depth - 1, *items) for items in zip(*xs)]


def _broadcast_shape(op, *shapes):
    """PyTorch's broadcasting: line the shapes up at the right; each size must agree or be 1."""
    n = max(map(len, shapes))
    padded = [(1,) * (n - len(s)) + s for s in shapes]
    out = []
    for i, sizes in enumerate(zip(*padded)):
        big = set(sizes) - {1}
        if len(big) > 1:
            raise ShapeError(f"{op}: shapes {', '.join(map(str, shapes))} do not broadcast: "
                             f"sizes {' and '.join(map(str, sorted(big)))} meet in dimension {i}")
        out.append(big.pop() if big else 1)
    return tuple(out)


def _expand(x, dims, target):
    """x repeated along its size-1 dimensions (and new leading ones) to the shape target."""
    for _ in range(len(target) - len(dims)):
        x, dims = [x], (1,) + dims            # a missing leading dimension counts as size 1
    return _repeat(x, dims, target)


def _repeat(x, dims, target):
    if dims == target:
        return x
    items = x * target[0] if dims[0] == 1 else x
    return [_repeat(item, dims[1:], target[1:]) for item in items]


def _elementwise(op, f, *operands):
    """f(a, b, ...) place by place, the operands broadcast to one shape; the work of every + - * /."""
    parts = [_unwrap(op, x) for x in operands]
    dims = _broadcast_shape(op, *(s for _, s in parts))
    args = [_expand(data, s, dims) for data, s in parts]
    try:
        out = _map(f, len(dims), *args)
    except ZeroDivisionError:
        raise ValueError(f"{op}: division by zero (PyTorch gives inf or nan here)") from None
    return _wrap(out, dims, *operands)


# --- shapes -----------------------------------------------------------------------

def shape(input):
    """The shape of a nested list or a Tensor: its size along each dimension (() for a number).

    >>> shape([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])
    (2, 2, 3)
    >>> shape(5), shape([])
    ((), (0,))

    A Tensor knows shapes a list cannot show:

    >>> shape(tensor([[1, 2, 3]]).narrow(0, 0, 0))
    (0, 3)
    >>> shape([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: shape: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    return _unwrap("shape", input)[1]


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
    dims = _unwrap("size", input)[1]
    if dim is None:
        return dims
    if not dims:
        raise IndexError(f"size: Dimension specified as {_int('size', 'dim', dim)} "
                         f"but the tensor has no dimensions")
    return dims[_dim("size", dim, len(dims))]


# --- the seed's notebook --------------------------------------------------------------

def sum(input, dim=None, keepdim=False):
    """The sum along ``dim`` ("the reduced dimension"): that dimension vanishes from the shape.

    The seed's reading of ``dim`` (缩减的维度): summing a Q×W×E×R array over
    dim=1 leaves Q×E×R.  The numbers that differ only in their index along W
    are added; Q, E and R keep their sizes.

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

    >>> sum([]), sum(tensor([[1, 2]]).narrow(0, 0, 0), 0)
    (0, tensor([0, 0]))
    >>> sum(m, (0, 0))
    Traceback (most recent call last):
        ...
    ValueError: sum: dim 0 appears multiple times in the list of dims (0, 0)
    """
    data, dims = _unwrap("sum", input)
    every = dim is None or (isinstance(dim, (tuple, list)) and not dim)     # PyTorch: () is every dim too
    axes = tuple(range(len(dims))) if every else _dim_set("sum", dim, len(dims))
    _bool("sum", "keepdim", keepdim)
    _lists("sum", tuple(n for d, n in enumerate(dims) if d not in axes))
    out, out_dims = data, dims
    for d in reversed(axes):                      # the last first, so the others keep their index
        out, out_dims = _sum_dim(out, out_dims, d), out_dims[:d] + out_dims[d + 1:]
    if keepdim:
        kept = tuple(1 if d in axes else n for d, n in enumerate(dims))
        out, out_dims = _nest(_flatten(out, out_dims), kept), kept
    return _wrap(out, out_dims, input)


def _sum_dim(x, dims, d):
    """x summed over dimension d: the entries whose indices differ only in place d are added."""
    if d > 0:
        return [_sum_dim(item, dims[1:], d - 1) for item in x]
    total = _nest([0] * math.prod(dims[1:]), dims[1:])        # zeros of the remaining shape
    for item in x:
        total = _map(operator.add, len(dims) - 1, total, item)
    return total


def where(condition, x, y):
    """x where the condition is True, y where it is False, place by place.

    The seed: where an element satisfies the condition, take x's value; where
    not, take y's entry at that place (or y itself, if y is a number).

    >>> where([[True, False], [False, True]], [[1, 2], [3, 4]], [[10, 20], [30, 40]])
    [[1, 20], [30, 4]]

    The three broadcast as in PyTorch: a number, or a row, serves every place.

    >>> x = tensor([[-1, 2], [3, -4]])
    >>> where(x > 0, x, 0)                   # relu
    tensor([[0, 2], [3, 0]])
    >>> where([True, False], [[1, 2], [3, 4]], -1)
    [[1, -1], [3, -1]]

    The condition holds bools, as PyTorch requires:

    >>> where([1, 0], 5, 6)
    Traceback (most recent call last):
        ...
    TypeError: where: the condition must hold True or False, got int 1
    >>> where([True, False, True], [1, 2], 0)
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: where: shapes (3,), (2,), () do not broadcast: sizes 2 and 3 meet in dimension 0
    """
    return _elementwise("where", _pick, condition, x, y)


def _pick(c, a, b):
    if c is True:
        return a
    if c is False:
        return b
    raise TypeError(f"where: the condition must hold True or False, got {type(c).__name__} {c!r:.20}")


def narrow(input, dim, start, length):
    """The slices start, start+1, ..., start+length-1 along dim (张量剪裁, cutting a tensor).

    >>> x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    >>> narrow(x, 0, 0, 2)
    [[1, 2, 3], [4, 5, 6]]
    >>> narrow(x, 1, 1, 2)
    [[2, 3], [5, 6], [8, 9]]

    A negative start counts from the end; a length of 0 gives an empty
    result (a Tensor keeps its shape, see the module notes):

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
    data, dims = _unwrap("narrow", input)
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
    return _wrap(_narrow(data, d, start, length), dims[:d] + (length,) + dims[d + 1:], input)


def _narrow(x, d, start, length):
    if d == 0:
        return [_clone(item) for item in x[start:start + length]]
    return [_narrow(item, d - 1, start, length) for item in x]


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
    data, in_dims = _unwrap("permute", input)
    order = _ints("permute", "dims", dims)
    if len(order) != len(in_dims):
        raise ShapeError(f"permute: dims {order} name {len(order)} dimensions, "
                         f"but the input has shape {in_dims}")
    order = tuple(_dim("permute", d, len(in_dims)) for d in order)
    if len(set(order)) != len(order):
        raise ValueError(f"permute: dims {tuple(dims)} repeat a dimension; "
                         f"they must order 0..{len(in_dims) - 1}")
    out_dims = tuple(in_dims[d] for d in order)
    _lists("permute", out_dims)
    # PyTorch's way: a step of 1 along input dimension d skips strides[d]
    # numbers of the flat list, so permuting the dimensions permutes the strides.
    strides = [math.prod(in_dims[d + 1:]) for d in range(len(in_dims))]
    steps = [strides[d] for d in order]
    flat = _flatten(data, in_dims)
    values = [flat[builtins.sum(map(operator.mul, index, steps))]
              for index in product(*map(range, out_dims))]
    return _wrap(_nest(values, out_dims), out_dims, input)


def reshape(input, shape):
    """The same numbers, read row by row, laid out in a new shape; one size may be -1 (inferred).

    The seed: view is like reshape, "placing the elements in row order into a
    new tensor of a different size".

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


def view(input, shape):
    """The same numbers in a new shape, row by row: :func:`reshape` under PyTorch's other name.

    PyTorch's ``view`` shares the memory of its input and fails on a
    non-contiguous tensor (after ``permute``, say); nested lists are always
    read row by row, so here ``view`` never fails where ``reshape`` works,
    and, like every refnn function, it returns a new list.

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


def _reshape(op, input, shape):
    data, dims = _unwrap(op, input)
    new = _infer(op, dims, _ints(op, "shape", shape))
    _lists(op, new)
    return _wrap(_nest(_flatten(data, dims), new), new, input)


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
    the shapes of the others; so a (0, k) result printed as ``[]`` joins in:

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
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"cat: tensors must be a list or tuple of tensors, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError("cat: expected a non-empty list of tensors")
    parts = [_unwrap("cat", t) for t in tensors]
    for i, (_, dims) in enumerate(parts):
        if not dims:
            raise ShapeError(f"cat: a number (a 0-d tensor, at position {i}) cannot be concatenated")
    kept = [p for p in parts if p[1] != (0,)] or parts[:1]    # PyTorch skips empty vectors
    first = kept[0][1]
    d = _dim("cat", dim, len(first))
    for _, dims in kept:
        if len(dims) != len(first) or dims[:d] + dims[d + 1:] != first[:d] + first[d + 1:]:
            raise ShapeError(f"cat: shapes {first} and {dims} differ outside dimension {d}")
    out_dims = first[:d] + (builtins.sum(dims[d] for _, dims in kept),) + first[d + 1:]
    return _wrap(_cat([data for data, _ in kept], d), out_dims, *tensors)


def _cat(xs, d):
    if d == 0:
        return [_clone(item) for x in xs for item in x]
    return [_cat(items, d - 1) for items in zip(*xs)]


def solve(A, B):
    """X with A·X = B, for a square matrix A and a vector or matrix B (``torch.linalg.solve(A, B)``).

    Gaussian elimination with partial pivoting (the largest entry of each
    column becomes the pivot), then substitution.  Ints and Fractions give
    exact Fractions; any float makes the arithmetic float, as in PyTorch
    (which always returns floats).

    >>> A = [[2, 1], [1, 3]]
    >>> solve(A, [3, 5])                  # 2x + y = 3, x + 3y = 5
    [Fraction(4, 5), Fraction(7, 5)]
    >>> [round(v, 6) for v in solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0])]
    [0.8, 1.4]

    A matrix B is solved column by column: here A·X = I gives the inverse.

    >>> solve(A, [[1, 0], [0, 1]])
    [[Fraction(3, 5), Fraction(-1, 5)], [Fraction(-1, 5), Fraction(2, 5)]]

    A singular matrix has no unique solution: an error, not garbage.
    (PyTorch raises ``torch.linalg.LinAlgError``, a ``RuntimeError``;
    refnn raises ``ValueError``.)

    >>> solve([[1, 2], [2, 4]], [1, 1])
    Traceback (most recent call last):
        ...
    ValueError: solve: A is singular: column 1 has no nonzero pivot, so A·X = B has no unique solution

    In floats, rounding can leave a tiny pivot where exact arithmetic has 0;
    PyTorch then answers with numbers near 1e15.  refnn counts a float pivot
    no larger than n·ε·max|A| (ε = 2.2e-16) as zero: the matrix is singular
    to working precision.  (A matrix that is merely badly scaled, with rows
    of very different sizes, can trip this too: rescale its rows.)

    >>> solve([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [1.0, 1.0, 1.0])
    Traceback (most recent call last):
        ...
    ValueError: solve: A is singular to working precision: column 2 has no pivot above n·ε·max|A| = 6e-15
    >>> solve(A, [1, 2, 3])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: solve: B of shape (3,) does not fit A of shape (2, 2): it needs 2 rows
    """
    return _gesv("solve", A, B)[0]


def gesv(B, A):
    """(X, LU): the seed's ``torch.gesv(B, A)``, solving A·X = B; note B comes first.

    ``torch.gesv`` was renamed ``torch.solve`` (same arguments, same result),
    which was deprecated in PyTorch 1.9 and has since been removed; today it
    is ``torch.linalg.solve(A, B)``, here :func:`solve`.  Like the old
    function, this returns the LU factorisation of A beside X, packed into one
    matrix as LAPACK's ``getrf`` packs it (and ``torch.linalg.lu_factor(A).LU``
    today): U on and above the diagonal, the multipliers of L (whose diagonal
    is 1) below it, for A with its rows in pivot order.  The row order itself
    is not returned, as ``torch.gesv`` did not return it.

    >>> X, LU = gesv([[3], [5]], [[2, 1], [1, 3]])
    >>> X
    [[Fraction(4, 5)], [Fraction(7, 5)]]
    >>> LU          # rows not swapped: U = [[2, 1], [0, 5/2]], L = [[1, 0], [1/2, 1]]
    [[Fraction(2, 1), Fraction(1, 1)], [Fraction(1, 2), Fraction(5, 2)]]

    With pivoting, U starts from the row of the largest first entry:

    >>> gesv([1, 2], [[1, 2], [3, 4]])[1]
    [[Fraction(3, 1), Fraction(4, 1)], [Fraction(1, 3), Fraction(2, 3)]]
    >>> gesv([1, 2], [[1, 2, 3], [4, 5, 6]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: gesv: A must be a square matrix, got shape (2, 3)
    """
    return _gesv("gesv", A, B)


def _gesv(op, A, B):
    """(X, LU) for A·X = B: the work of solve and gesv."""
    (a, sa), (b, sb) = _unwrap(op, A), _unwrap(op, B)
    if len(sa) != 2 or sa[0] != sa[1]:
        raise ShapeError(f"{op}: A must be a square matrix, got shape {sa}")
    if len(sb) not in (1, 2) or sb[0] != sa[0]:
        raise ShapeError(f"{op}: B of shape {sb} does not fit A of shape {sa}: it needs {sa[0]} rows")
    number = _arithmetic(op, _flatten(a, sa) + _flatten(b, sb))
    A = [[number(v) for v in row] for row in a]
    # floats: a pivot within rounding error of zero counts as zero
    largest = max(map(abs, _flatten(A, sa)), default=0)
    tiny = 0 if number is Fraction else sa[0] * sys.float_info.epsilon * largest
    LU, perm = _lu(op, A, tiny)
    columns = [[number(v) for v in row] for row in b] if len(sb) == 2 else [[number(v)] for v in b]
    X = _lu_solve(LU, perm, columns)
    X = X if len(sb) == 2 else [row[0] for row in X]
    return _wrap(X, sb, A, B), _wrap(LU, sa, A, B)


def _arithmetic(op, values):
    """Fraction for ints and Fractions (exact, of any size), float as soon as one float is present."""
    exact = all(isinstance(v, numbers.Rational) for v in values)
    for v in values:
        if not isinstance(v, numbers.Real):
            raise TypeError(f"{op}: expected ints, Fractions or floats, got {type(v).__name__} {v!r:.40}")
        if not exact and not _isfinite(v):
            raise ValueError(f"{op}: the system holds {v!r:.40}; elimination needs finite numbers")
    return Fraction if exact else float


def _lu(op, A, tiny=0):
    """P·A = L·U by Gaussian elimination with partial pivoting, packed as LAPACK's getrf packs it.

    Returns (LU, perm): LU holds U on and above the diagonal and L's
    multipliers below it; row i of P·A is row perm[i] of A.  A pivot no
    larger than tiny in size counts as zero.
    """
    n = len(A)
    LU, perm = [list(row) for row in A], list(range(n))
    for k in range(n):
        # partial pivoting: the largest |entry| of the column (the first of equals, as LAPACK)
        p = max(range(k, n), key=lambda i: abs(LU[i][k]))
        if LU[p][k] == 0:
            raise ValueError(f"{op}: A is singular: column {k} has no nonzero pivot, "
                             f"so A·X = B has no unique solution")
        if abs(LU[p][k]) <= tiny:
            raise ValueError(f"{op}: A is singular to working precision: column {k} has no pivot "
                             f"above n·ε·max|A| = {tiny:.2g}")
        LU[k], LU[p] = LU[p], LU[k]
        perm[k], perm[p] = perm[p], perm[k]
        for i in range(k + 1, n):
            m = LU[i][k] = LU[i][k] / LU[k][k]                # the multiplier, stored where the zero appears
            LU[i][k + 1:] = _minus_times(LU[i][k + 1:], m, LU[k][k + 1:])
    return LU, perm


def _lu_solve(LU, perm, B):
    """X with A·X = B from P·A = L·U: first L·Y = P·B, then U·X = Y (B a list of rows)."""
    n = len(LU)
    X = [list(B[p]) for p in perm]
    for i in range(n):                                        # forward: L has 1s on its diagonal
        for k in range(i):
            X[i] = _minus_times(X[i], LU[i][k], X[k])
    for i in reversed(range(n)):                              # backward through U
        for k in range(i + 1, n):
            X[i] = _minus_times(X[i], LU[i][k], X[k])
        X[i] = [v / LU[i][i] for v in X[i]]
    return X


def _minus_times(u, m, v):
    """u − m·v for two rows: one step of elimination."""
    return [a - m * b for a, b in zip(u, v)]


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
    data, dims = _unwrap("unsqueeze", input)
    d = _dim("unsqueeze", dim, len(dims) + 1)
    new = dims[:d] + (1,) + dims[d:]
    return _wrap(_nest(_flatten(data, dims), new), new, input)


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
    data, dims = _unwrap("squeeze", input)
    chosen = range(len(dims)) if dim is None else _dim_set("squeeze", dim, len(dims))
    new = tuple(n for d, n in enumerate(dims) if not (d in chosen and n == 1))
    return _wrap(_nest(_flatten(data, dims), new), new, input)


def detach(input):
    """A copy that takes no part in gradient descent (不会再参与梯度下降): here, simply a deep copy.

    In PyTorch, ``x.detach()`` shares x's numbers but leaves the autograd
    graph, so no gradient flows back through it.  refnn keeps no autograd
    graph (its layers write their backward passes by hand), so detaching is
    a copy: changing the copy leaves the original alone.

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
    data, dims = _unwrap("detach", input)
    return _wrap(_clone(data), dims, input)


_MODES = ("bilinear", "nearest")
_PADDING_MODES = ("zeros", "border", "reflection")


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    """output[n][c][h][w] = input[n][c] read at the point grid[n][h][w] = (x, y), given in [-1, 1].

    The seed: the image is normalised to the square (-1, 1)×(-1, 1), and
    output pixel (x, y) takes the value of input pixel (x0, y0), where
    grid[x, y] = (x0, y0) says where to look.  ``input`` is (N, C, H, W),
    ``grid`` is (N, H_out, W_out, 2) with ``grid[..., 0]`` the x (width)
    coordinate and ``grid[..., 1]`` the y (height) one; the output is
    (N, C, H_out, W_out).

    Where do -1 and 1 land on a row of W = 4 pixels?  With
    ``align_corners=True`` on the centres of the corner pixels; with
    ``align_corners=False`` (the default) on the outer edges of the image,
    pixel -0.5 and pixel 3.5, so that the whole image spans [-1, 1].  The x
    at each pixel centre::

        pixel                       0      1      2      3
        value                      10     20     30     40
        x, align_corners=True      -1   -1/3    1/3      1
        x, align_corners=False   -3/4   -1/4    1/4    3/4

    >>> row = [[[[10, 20, 30, 40]]]]                   # N = C = H = 1, W = 4
    >>> points = [[[[-1, 0], [-0.5, 0], [0, 0], [1, 0]]]]
    >>> grid_sample(row, points, align_corners=True)   # pixels 0, 0.75, 1.5, 3
    [[[[10.0, 17.5, 25.0, 40.0]]]]
    >>> grid_sample(row, [[[[-1, 0], [-0.75, 0], [0.75, 0], [1, 0]]]])
    [[[[5.0, 10.0, 40.0, 20.0]]]]

    With ``align_corners=False``, -1 is half inside pixel 0 and half outside
    the image, so bilinear reading mixes 10 with a zero from outside.
    ``padding_mode`` says what lies outside: ``"zeros"``; ``"border"``, the
    nearest edge pixel; ``"reflection"``, the image mirrored at its edges
    (again and again, far out).

    >>> far = [[[[-1, 0], [1.5, 0], [-3.5, 0]]]]
    >>> [grid_sample(row, far, padding_mode=p)[0][0][0] for p in ("zeros", "border", "reflection")]
    [[5.0, 0.0, 0.0], [10.0, 40.0, 10.0], [10.0, 35.0, 35.0]]

    ``mode="nearest"`` takes the pixel nearest the point; a point exactly
    half-way rounds to the even pixel, as PyTorch's ``nearbyint`` does
    (x = 0 is pixel 1.5, read from pixel 2; x = -0.5 is pixel 0.5, read from 0):

    >>> grid_sample(row, [[[[0, 0], [-0.5, 0]]]], mode="nearest")
    [[[[30, 10]]]]

    Differences from PyTorch: int pixels stay ints under ``"nearest"``
    (PyTorch wants floats), ``mode="bicubic"`` is not implemented, the grid
    must hold finite numbers, and ``align_corners`` defaults to False without
    PyTorch's warning.

    >>> grid_sample(row, points, mode="bicubic")
    Traceback (most recent call last):
        ...
    ValueError: grid_sample: mode must be 'bilinear' or 'nearest', got 'bicubic'
    >>> grid_sample(row, [[[0, 0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: grid_sample: grid must have shape (N, H_out, W_out, 2), got (1, 1, 2)
    >>> grid_sample(row, [[[[1e308, 0]]]])
    Traceback (most recent call last):
        ...
    ValueError: grid_sample: the grid point 1e+308 lies too far out: its pixel position overflows a float
    """
    data, (n, c, h, w) = _grid_input(input)
    points, dims = _grid_points(grid, n)
    if mode not in _MODES:
        raise ValueError(f"grid_sample: mode must be 'bilinear' or 'nearest', got {mode!r}")
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"grid_sample: padding_mode must be 'zeros', 'border' or 'reflection', "
                         f"got {padding_mode!r}")
    _bool("grid_sample", "align_corners", align_corners)
    read = _bilinear if mode == "bilinear" else _nearest
    out = []
    for image, rows in zip(data, points):
        at = [[(_source(x, w, padding_mode, align_corners), _source(y, h, padding_mode, align_corners))
               for x, y in row] for row in rows]
        out.append([[[read(plane, x, y) for x, y in row] for row in at] for plane in image])
    return _wrap(out, (n, c) + dims[1:3], input, grid)


def _grid_input(input):
    data, dims = _unwrap("grid_sample", input)
    if len(dims) != 4:
        raise ShapeError(f"grid_sample: input must have shape (N, C, H, W), got {dims}")
    if 0 in dims[2:]:
        raise ShapeError(f"grid_sample: input of shape {dims} has no pixels to read (H or W is 0)")
    return data, dims


def _grid_points(grid, n):
    points, dims = _unwrap("grid_sample", grid)
    if len(dims) != 4 or dims[3] != 2:
        raise ShapeError(f"grid_sample: grid must have shape (N, H_out, W_out, 2), got {dims}")
    if dims[0] != n:
        raise ShapeError(f"grid_sample: grid of shape {dims} and input with N = {n} differ in N")
    for v in _flatten(points, dims):
        if not _isfinite(v):
            raise ValueError(f"grid_sample: grid holds {v!r}; sample points must be finite")
    return points, dims


def _source(coord, size, padding_mode, align_corners):
    """The pixel position a grid coordinate points at: [-1, 1] stretched over the row, then padded."""
    if align_corners:
        x = (coord + 1) * (size - 1) / 2       # -1 → 0, 1 → size-1: the centres of the corner pixels
        low, high = 0, size - 1
    else:
        x = ((coord + 1) * size - 1) / 2       # -1 → -0.5, 1 → size-0.5: the outer edges of the image
        low, high = -0.5, size - 0.5
    if not math.isfinite(x):
        raise ValueError(f"grid_sample: the grid point {coord!r} lies too far out: its pixel position "
                         f"overflows a float")
    if padding_mode == "reflection":
        x = _reflect(x, low, high)
    if padding_mode != "zeros":
        x = min(max(x, 0.0), size - 1.0)       # what is still outside reads the border pixel
    return x


def _reflect(x, low, high):
    """x mirrored at low and at high, again and again, until it lies between them."""
    span = high - low
    if span == 0:
        return low
    d = abs(x - low) % (2 * span)              # where x falls in one there-and-back period
    return low + min(d, 2 * span - d)          # the way back mirrors the way there


def _pixel(plane, i, j):
    """plane[i][j], or 0 outside the image."""
    return plane[i][j] if 0 <= i < len(plane) and 0 <= j < len(plane[0]) else 0


def _bilinear(plane, x, y):
    """The four pixels around (x, y), each weighted by the area of the rectangle opposite it."""
    x0, y0 = math.floor(x), math.floor(y)
    dx, dy = x - x0, y - y0
    return (_pixel(plane, y0, x0) * ((1 - dy) * (1 - dx)) + _pixel(plane, y0, x0 + 1) * ((1 - dy) * dx)
            + _pixel(plane, y0 + 1, x0) * (dy * (1 - dx)) + _pixel(plane, y0 + 1, x0 + 1) * (dy * dx))


def _nearest(plane, x, y):
    return _pixel(plane, round(y), round(x))   # round() rounds half to even, as nearbyint does


# --- arithmetic, place by place -----------------------------------------------------

def add(input, other):
    """input + other place by place, broadcast as in PyTorch (a number or a row serves every place).

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
    return _elementwise("add", operator.add, input, other)


def sub(input, other):
    """input − other place by place, broadcast as in PyTorch; the seed's error ``y - layer2`` is one.

    >>> sub([[0], [1], [1], [0]], [[0.25], [0.75], [0.5], [0.5]])
    [[-0.25], [0.25], [0.5], [-0.5]]
    >>> sub(1, [[1, 2]])
    [[0, -1]]
    >>> sub([1, 2], "a")
    Traceback (most recent call last):
        ...
    TypeError: sub: expected numbers, got str 'a'
    """
    return _elementwise("sub", operator.sub, input, other)


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
    return _elementwise("mul", operator.mul, input, other)


def div(input, other):
    """input / other place by place (true division), broadcast as in PyTorch.

    >>> div([[1, 2], [3, 4]], 2)
    [[0.5, 1.0], [1.5, 2.0]]
    >>> from fractions import Fraction
    >>> div([1, 2], Fraction(3))
    [Fraction(1, 3), Fraction(2, 3)]

    PyTorch gives inf or nan for a division by zero; Python's numbers raise,
    and so does refnn, with a ``ValueError``:

    >>> div([1, 2], [1, 0])
    Traceback (most recent call last):
        ...
    ValueError: div: division by zero (PyTorch gives inf or nan here)
    """
    return _elementwise("div", operator.truediv, input, other)


def equal(input, other):
    """True if the two have the same shape and the same numbers (``torch.equal``).

    Comparing Tensors with ``==`` compares place by place (as in PyTorch);
    ``equal`` answers for the whole.

    >>> equal(tensor([[1, 2]]), [[1, 2]]), equal([1, 2], [[1, 2]])
    (True, False)
    >>> (tensor([1, 2]) == tensor([1, 3])).tolist()
    [True, False]
    >>> equal([1, 2], [[1], [2, 3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: equal: ragged list: at depth 1, item 1 has 2 entries where item 0 has 1 entries
    """
    (a, sa), (b, sb) = _unwrap("equal", input), _unwrap("equal", other)
    return sa == sb and _flatten(a, sa) == _flatten(b, sb)


# --- the Tensor -------------------------------------------------------------------------

def _binary(fn, reflected=False):
    """A Tensor operator from a module function: ``x + y`` is ``add(x, y)``, ``2 - x`` is ``sub(2, x)``."""
    def method(self, other):
        if not (isinstance(other, (Tensor, list, tuple)) or _is_number(other)):
            return NotImplemented
        return fn(other, self) if reflected else fn(self, other)
    return method


def _compare(op, f):
    return _binary(partial(_elementwise, op, f))


def _varargs(args):
    """``x.view(2, 3)`` and ``x.view((2, 3))`` both mean the shape (2, 3), as in PyTorch."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


class Tensor:
    """A nested list that knows its shape, with PyTorch's methods, so the seed's lines run as written.

    Every method calls the module function of the same name; arithmetic
    (``+ - * /``) and comparisons (``== != < <= > >=``) work place by place
    with PyTorch's broadcasting, so ``x > 0`` is a tensor of bools.

    >>> x = tensor([[1, 2], [3, 4]])
    >>> x
    tensor([[1, 2], [3, 4]])
    >>> x.sum(0), x.sum(1), x.sum()
    (tensor([4, 6]), tensor([3, 7]), tensor(10))
    >>> x.permute(1, 0), x.view(-1)
    (tensor([[1, 3], [2, 4]]), tensor([1, 2, 3, 4]))
    >>> x * 10 + 1, 1 - x, x / 2
    (tensor([[11, 21], [31, 41]]), tensor([[0, -1], [-2, -3]]), tensor([[0.5, 1.0], [1.5, 2.0]]))
    >>> x > 2
    tensor([[False, False], [True, True]])

    Indexing takes ints and slices, one per dimension, and gives a Tensor:

    >>> x[0], x[1, 0], x[:, 1], x[-1].tolist()
    (tensor([1, 2]), tensor(3), tensor([2, 4]), [3, 4])

    Departures from PyTorch: the numbers are Python's (ints stay ints,
    Fractions exact; no dtype, no device, no autograd), a Tensor is not
    changed in place (no ``x[0] = 1``), and it prints as a nested list.

    >>> x[2]
    Traceback (most recent call last):
        ...
    IndexError: index 2 is out of bounds for dimension 0 with size 2
    >>> tensor([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: tensor: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    __slots__ = ("_data", "_shape")

    def __init__(self, data):
        data, dims = _unwrap("tensor", data)
        self._data, self._shape = _clone(data), dims

    @classmethod
    def _of(cls, data, dims):
        """A Tensor around data built afresh by a function: no copy, no check."""
        t = cls.__new__(cls)
        t._data, t._shape = data, dims
        return t

    @property
    def shape(self):
        """The shape, as a tuple (PyTorch's ``x.shape``).

        >>> tensor([[1, 2, 3], [4, 5, 6]]).shape
        (2, 3)
        """
        return self._shape

    def size(self, dim=None):
        """The shape, or the size along dim: see :func:`size`.

        >>> x = tensor([[1, 2, 3], [4, 5, 6]])
        >>> x.size(), x.size(-1)
        ((2, 3), 3)
        """
        return size(self, dim)

    def dim(self):
        """The number of dimensions (0 for a number).

        >>> tensor([[1, 2]]).dim(), tensor(5).dim()
        (2, 0)
        """
        return len(self._shape)

    def tolist(self):
        """The numbers as a new nested list (a number for a 0-d tensor).

        >>> tensor([[1, 2], [3, 4]]).tolist(), tensor(5).tolist()
        ([[1, 2], [3, 4]], 5)
        """
        return _clone(self._data)

    def item(self):
        """The one number of a tensor that holds exactly one.

        >>> tensor([[1, 2], [3, 4]]).sum().item(), tensor([[7]]).item()
        (10, 7)
        >>> tensor([1, 2]).item()
        Traceback (most recent call last):
            ...
        ValueError: item: a tensor of shape (2,) holds 2 numbers, not one
        """
        values = _flatten(self._data, self._shape)
        if len(values) != 1:
            raise ValueError(f"item: a tensor of shape {self._shape} holds {len(values)} numbers, not one")
        return values[0]

    def sum(self, dim=None, keepdim=False):
        """The sum over dim: see :func:`sum`.

        >>> tensor([[1, 2], [3, 4]]).sum(1, keepdim=True)
        tensor([[3], [7]])
        """
        return sum(self, dim, keepdim)

    def permute(self, *dims):
        """The dimensions reordered: see :func:`permute`.

        >>> tensor([[1, 2, 3]]).permute(1, 0)
        tensor([[1], [2], [3]])
        """
        return permute(self, _varargs(dims))

    def view(self, *shape):
        """The numbers in a new shape, row by row: see :func:`view`.

        >>> tensor([1, 2, 3, 4, 5, 6]).view(2, 3)
        tensor([[1, 2, 3], [4, 5, 6]])
        """
        return view(self, _varargs(shape))

    def reshape(self, *shape):
        """The numbers in a new shape, row by row: see :func:`reshape`.

        >>> tensor([[1, 2], [3, 4]]).reshape((4, 1)).shape
        (4, 1)
        """
        return reshape(self, _varargs(shape))

    def narrow(self, dim, start, length):
        """length slices from start along dim: see :func:`narrow`.

        >>> tensor([[1, 2, 3], [4, 5, 6]]).narrow(1, 1, 2)
        tensor([[2, 3], [5, 6]])
        """
        return narrow(self, dim, start, length)

    def unsqueeze(self, dim):
        """A new dimension of size 1 at dim: see :func:`unsqueeze`.

        >>> tensor([1, 2]).unsqueeze(0).shape
        (1, 2)
        """
        return unsqueeze(self, dim)

    def squeeze(self, dim=None):
        """The dimensions of size 1 removed: see :func:`squeeze`.

        >>> tensor([[[1], [2]]]).squeeze()
        tensor([1, 2])
        """
        return squeeze(self, dim)

    def detach(self):
        """A copy (refnn keeps no autograd graph): see :func:`detach`.

        >>> x = tensor([1, 2])
        >>> x.detach(), x.detach() is x
        (tensor([1, 2]), False)
        """
        return detach(self)

    def __getitem__(self, key):
        keys = key if isinstance(key, tuple) else (key,)
        picks = _picks(self._shape, keys)
        dims = tuple(len(p) for p in picks if isinstance(p, range)) + self._shape[len(keys):]
        return Tensor._of(_take(self._data, picks), dims)

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __bool__(self):
        if math.prod(self._shape) != 1:
            raise ValueError(f"the truth value of a tensor of shape {self._shape} is ambiguous; "
                             f"use equal(x, y) to compare whole tensors")
        return bool(self.item())

    def __neg__(self):
        return mul(self, -1)

    __add__, __radd__ = _binary(add), _binary(add, reflected=True)
    __sub__, __rsub__ = _binary(sub), _binary(sub, reflected=True)
    __mul__, __rmul__ = _binary(mul), _binary(mul, reflected=True)
    __truediv__, __rtruediv__ = _binary(div), _binary(div, reflected=True)
    __eq__, __ne__ = _compare("eq", operator.eq), _compare("ne", operator.ne)
    __lt__, __le__ = _compare("lt", operator.lt), _compare("le", operator.le)
    __gt__, __ge__ = _compare("gt", operator.gt), _compare("ge", operator.ge)
    __hash__ = None                                  # == is place by place, as in PyTorch

    def __repr__(self):
        hidden = 0 in self._shape[:-1]               # [] cannot show the shape (0, 3)
        return f"tensor({self._data!r}{f', size={self._shape}' if hidden else ''})"


def _picks(dims, keys):
    """For each index key: the int it selects (checked), or the range of a slice."""
    if len(keys) > len(dims):
        raise IndexError(f"too many indices for a tensor of dimension {len(dims)}")
    picks = []
    for d, (key, n) in enumerate(zip(keys, dims)):
        if isinstance(key, slice):
            picks.append(range(n)[key])
        elif isinstance(key, int) and not isinstance(key, bool):
            if not -n <= key < n:
                raise IndexError(f"index {key} is out of bounds for dimension {d} with size {n}")
            picks.append(key % n)
        else:
            raise TypeError(f"tensor indices must be ints or slices, got {type(key).__name__}")
    return picks


def _take(x, picks):
    if not picks:
        return _clone(x)
    pick, rest = picks[0], picks[1:]
    if isinstance(pick, range):
        return [_take(x[i], rest) for i in pick]
    return _take(x[pick], rest)


def tensor(data):
    """A :class:`Tensor` holding a copy of data (``torch.tensor``): a nested list of numbers, or a number.

    >>> x = tensor([[1, 2, 3], [4, 5, 6]])
    >>> x.shape, x.dim()
    ((2, 3), 2)
    >>> tensor(3.5), tensor([])
    (tensor(3.5), tensor([]))
    >>> tensor("abc")
    Traceback (most recent call last):
        ...
    TypeError: tensor: expected numbers, got str 'abc'
    """
    return Tensor(data)
