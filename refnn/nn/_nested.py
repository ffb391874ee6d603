"""Private helpers of refnn.nn: nested lists of any depth, and math that also takes sympy.

The layers check their input once (lengths only: the kernels find a
non-number themselves, and then :func:`_explain` says where it is) and then
call these unchecked helpers.
"""
import math
from operator import add

from refnn.activations import _sympy_or_error
from refnn.init import _rows
from refnn.matrix import _apply, _is_sequence, _map2, _shape

__all__ = []


# --- shapes ----------------------------------------------------------------

def _dims(op, x):
    """The shape of a nested list from the lengths of its lists alone; ragged lists are a ShapeError.

    The numbers themselves are not visited, so this costs one step per row.
    """
    if not _is_sequence(x):
        return _shape(op, x)               # () for a number, TypeError for anything else
    dims = []
    level = [x]
    while _is_sequence(level[0]):
        size = len(level[0])
        if not all(_is_sequence(item) and len(item) == size for item in level):
            _shape(op, x)                  # raises, saying where the list is ragged
        dims.append(size)
        if size == 0 or not _is_sequence(level[0][0]):
            break                          # the innermost lists: their entries are the numbers
        level = [y for item in level for y in item]
    return tuple(dims)


def _explain(op, x):
    """After a kernel raised TypeError on x: raise the clear error of a full check, if it finds one."""
    _shape(op, x)


# --- entry by entry, at any depth ----------------------------------------

def _map(f, x, depth):
    """f on every number of a nested list of the given depth (0 for a number)."""
    if depth == 2:
        return _apply(f, x)
    if depth == 1:
        return list(map(f, x))
    if depth == 0:
        return f(x)
    return [_map(f, item, depth - 1) for item in x]


def _zip_map(f, a, b, depth):
    """f(a_i, b_i) for the numbers of two nested lists of one shape."""
    if depth == 2:
        return _map2(f, a, b)
    if depth == 1:
        return list(map(f, a, b))
    if depth == 0:
        return f(a, b)
    return [_zip_map(f, u, v, depth - 1) for u, v in zip(a, b)]


def _flat(x, depth):
    """The numbers of a nested list of the given depth, in reading order, in a new list."""
    if depth == 0:
        return [x]
    for _ in range(depth - 1):
        x = [y for item in x for y in item]
    return list(x)


def _reshape(values, dims):
    """The flat list of numbers ``values`` arranged in the shape dims (a new nested list)."""
    if not dims:
        return values[0]
    if len(dims) == 1:
        return list(values)
    step = len(values) // dims[0]
    return [_reshape(values[k * step:(k + 1) * step], dims[1:]) for k in range(dims[0])]


def _clone(x):
    """A deep copy of a nested list (numbers are shared: they cannot change)."""
    return [_clone(item) for item in x] if _is_sequence(x) else x


def _update_(target, source, f):
    """target ← f(target, source), entry by entry, in place (two nested lists of one shape)."""
    for t, s in zip(_rows(target), _rows(source)):
        t[:] = map(f, t, s)


def _accumulate(param, grad):
    """Add grad to param.grad, as PyTorch's backward does (a new gradient is taken as it is)."""
    if param.grad is None:
        param.grad = grad               # the layer built grad afresh: no one else holds it
    else:
        _update_(param.grad, grad, add)


def _zero_grad(params, set_to_none):
    """Set every parameter's grad to None, or fill the existing ones with 0.0 in place."""
    for param in params:
        if set_to_none:
            param.grad = None
        elif param.grad is not None:
            for row in _rows(param.grad):
                row[:] = [0.0] * len(row)


# --- math that also takes sympy -------------------------------------------

def _sqrt(x):
    try:
        return math.sqrt(x)
    except TypeError:
        return _sympy_or_error("sqrt", x).sqrt(x)


def _exp(x):
    try:
        return math.exp(x)
    except TypeError:
        return _sympy_or_error("exp", x).exp(x)


def _log(x):
    try:
        return math.log(x)
    except TypeError:
        return _sympy_or_error("log", x).log(x)


# --- what a layer checks ----------------------------------------------------

def _int_pair(op, name, value, least):
    """An int or a pair of ints, each at least ``least``, as a pair (PyTorch's _pair)."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in pair):
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r:.40}")
    if min(pair) < least:
        raise ValueError(f"{op}: {name} must be at least {least}, got {value!r}")
    return pair
