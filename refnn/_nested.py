"""Nested lists as n-d arrays: the unchecked helpers the tensor floor shares (shapes already checked).

A value of shape () is a number; of shape (n,) a list of n numbers; of
shape (n, ...) a list of n values of shape (...).
"""
from refnn._checks import ShapeError, _is_sequence


def _shape_of(value):
    """The shape of a value built by refnn (not ragged), read down its first entries."""
    dims = []
    while _is_sequence(value):
        dims.append(len(value))
        if not value:
            break
        value = value[0]
    return tuple(dims)


def _clone(x):
    """A deep copy of a nested list (the numbers are shared: they cannot change)."""
    if not _is_sequence(x):
        return x
    if x and _is_sequence(x[0]):
        return [_clone(item) for item in x]
    return list(x)                  # a row of numbers: one copy in C


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


def _broadcast(op, f, a, b, ctx=None, shapes=None):
    """(f(a, b) place by place, shape of a, shape of b, shape of the result), broadcast as PyTorch does.

    The common cases run as list comprehensions over rows (one shape, a
    number on either side, a row added to every row of a matrix); the rest
    expands both values to the broadcast shape first.  In a forward, the
    shapes come from ctx (an empty value cannot show its shape), and the
    result's shape goes there.
    """
    if shapes is not None:
        sa, sb = shapes
    elif ctx is None:
        sa, sb = _shape_of(a), _shape_of(b)
    else:
        sa, sb = ctx.input_shapes
        ctx.output_shape = _broadcast_shape(op, sa, sb) if 0 in sa + sb else None
    if sa == sb:
        return _map(f, len(sa), a, b), sa, sb, sa
    if not sb and len(sa) <= 2:
        out = [f(x, b) for x in a] if len(sa) == 1 else [[f(x, b) for x in row] for row in a]
        return out, sa, sb, sa
    if not sa and len(sb) <= 2:
        out = [f(a, y) for y in b] if len(sb) == 1 else [[f(a, y) for y in row] for row in b]
        return out, sa, sb, sb
    if len(sa) == 2 and sb == sa[1:]:
        return [list(map(f, row, b)) for row in a], sa, sb, sa
    dims = _broadcast_shape(op, sa, sb)
    return _map(f, len(dims), _expand(a, sa, dims), _expand(b, sb, dims)), sa, sb, dims


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


def _sum_to(x, dims, target):
    """The gradient of a broadcast: x of shape dims summed back to the shape target it was expanded from."""
    while len(dims) > len(target):          # leading dimensions the broadcast added: add them up
        x, dims = _add_all(x, len(dims) - 1), dims[1:]
    return _sum_ones(x, dims, target)


def _sum_ones(x, dims, target):
    if dims == target:
        return x
    if target[0] == 1 and dims[0] != 1:
        x = [_add_all(x, len(dims) - 1)]
    return [_sum_ones(item, dims[1:], target[1:]) for item in x]


def _add_all(items, depth):
    """The sum of a list of values of one shape (depth levels deep), place by place."""
    if depth == 1:
        return [sum(column) for column in zip(*items)]      # a bias's gradient: the rows added up, in C
    total = items[0]
    for item in items[1:]:
        total = _map(_plus, depth, total, item)
    return total


def _plus(a, b):
    return a + b


def _first(x):
    """The first number of a value (None for an empty one): it tells a tensor of bools or of floats."""
    while isinstance(x, list):
        if not x:
            return None
        x = x[0]
    return x


def _each(f, x, depth):
    """f on every number of a value depth levels deep: the fast paths of 1-d and 2-d lists first."""
    if depth == 1:
        return list(map(f, x))
    if depth == 2:
        return [list(map(f, row)) for row in x]
    if depth == 0:
        return f(x)
    return [_each(f, item, depth - 1) for item in x]


def _zeros(dims, zero=0):
    """A new nested list of shape dims holding zero everywhere."""
    if not dims:
        return zero
    if len(dims) == 1:
        return [zero] * dims[0]
    return [_zeros(dims[1:], zero) for _ in range(dims[0])]
