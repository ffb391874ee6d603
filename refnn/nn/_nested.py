"""Private helpers of refnn.nn: shapes by lengths, updates in place, and math that also takes sympy.

The layers check their input once (lengths only: the kernels find a
non-number themselves, and then a full ``_shape`` check says where it is)
and then call unchecked helpers: these, and refnn._nested's ``_map``, ``_flatten``,
``_nest`` and ``_clone`` for nested lists of any depth.
"""
import math
from itertools import repeat

from refnn._checks import _sympy_or_error
from refnn._checks import _DEEPEST, _is_sequence, _rows, _SEQUENCES, _shape
from refnn._nested import _map
from refnn.tensors import Tensor

__all__ = []


# --- shapes ----------------------------------------------------------------

def _dims(op, x):
    """The shape of a nested list from the lengths of its lists alone; ragged lists are a ShapeError.

    The numbers themselves are not visited, so this costs one step per row,
    taken in C (``map``): a layer's check of its input or gradient costs little.
    """
    if not _is_sequence(x):
        return _shape(op, x)               # () for a number, TypeError for anything else
    dims = []
    level = [x]
    while _is_sequence(level[0]):
        size = len(level[0])
        if len(dims) == _DEEPEST or not all(map(isinstance, level, repeat(_SEQUENCES))) \
                or set(map(len, level)) != {size}:
            _shape(op, x)                  # raises, saying where the list is ragged or too deep
        dims.append(size)
        if size == 0 or not _is_sequence(level[0][0]):
            break                          # the innermost lists: their entries are the numbers
        level = [y for item in level for y in item]
    return tuple(dims)


def _dims_of(op, x):
    """The shape of a Tensor, or of a nested list read from its lengths (its numbers are met later)."""
    return x.shape if isinstance(x, Tensor) else _dims(op, x)


# --- row by row ----------------------------------------------------------------

def _on_rows(f, depth, *xs):
    """f on the innermost lists of nested lists of one shape (depth levels deep); a number is a row of one.

    f takes whole rows and returns a new row, so a batch costs one call per
    row, and the loop over a row's numbers runs in a comprehension.
    """
    if depth == 0:
        return f(*([x] for x in xs))[0]
    return _map(f, depth - 1, *xs)


# --- gradients --------------------------------------------------------------

def _zero_grad(params, set_to_none):
    """Set every parameter's grad to None, or fill the existing ones with 0.0 in place."""
    for param in params:
        if set_to_none:
            param.grad = None
        elif param.grad is not None:
            for row in _rows(param.grad._value):
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


# --- #12: the options of the new parts ----------------------------------------------

def _real_number(op, name, value):
    """A real number (an int or a float, not a bool) within a float's range, or an error naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__}")
    try:
        float(value)
    except OverflowError:
        raise ValueError(f"{op}: {name} is beyond a float's range") from None
    return value
