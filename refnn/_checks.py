"""The checks every floor shares: one error vocabulary, shapes, numbers, sizes and limits.

Nothing teaches here.  A teaching function opens with a line or two that
calls these, and then says its formula; the messages name the operation
and the shapes, so a student reads what went wrong in the words of the
function called.  ``ShapeError`` is defined here (so that this module
imports nothing of refnn) and re-exported by :mod:`refnn.matrix`, where a
reader meets it.
"""
import math
import numbers
from itertools import repeat


class ShapeError(ValueError):
    """The shapes of the arguments do not fit the operation.

    A ``ValueError``, so ``except ValueError`` catches it too.

    >>> from refnn.matrix import add
    >>> try:
    ...     add([1, 2], [1, 2, 3])
    ... except ValueError as err:
    ...     print(type(err).__name__, err)
    ShapeError add: (2,) and (3,) differ
    """


ShapeError.__module__ = "refnn.matrix"     # where a reader imports it from, and how tracebacks name it


def _is_number(value):
    """True for a real number (bool, int, float, Fraction, ...) or a sympy expression."""
    if type(value) is float or type(value) is int:   # the common case, fast
        return True
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        return False                                   # complex: no order, no sigmoid
    return isinstance(value, numbers.Real) or hasattr(value, "free_symbols")


_SEQUENCES = (list, tuple)


def _is_sequence(value):
    return isinstance(value, _SEQUENCES)


def _rows(x):
    """The innermost lists of a nested list, in reading order: what an in-place update overwrites."""
    if x and _is_sequence(x[0]):
        for item in x:
            yield from _rows(item)
    else:
        yield x


# Limits that keep a wrong argument from taking the machine: a list of Python
# numbers costs some 30 bytes a number, so 10**8 of them fill gigabytes (and take
# minutes to compute with), and no lesson nests lists more than 64 deep.
_LARGEST = 10 ** 8
_DEEPEST = 64


def _shape(op, x):
    """The shape of a nested list, level by level; ragged lists, non-numbers and too deep lists are errors."""
    dims = []
    level = [x]
    while _is_sequence(level[0]):
        if len(dims) == _DEEPEST:
            raise ShapeError(f"{op}: a list nested more than {_DEEPEST} deep; refnn's lists have at most "
                             f"{_DEEPEST} dimensions")
        size = len(level[0])
        for i, item in enumerate(level):
            if not _is_sequence(item) or len(item) != size:
                found = f"{len(item)} entries" if _is_sequence(item) else f"a {type(item).__name__}"
                raise ShapeError(f"{op}: ragged list: at depth {len(dims)}, item {i} "
                                 f"has {found} where item 0 has {size} entries")
        dims.append(size)
        level = [y for item in level for y in item]
        if not level:
            return tuple(dims)
    for value in level:
        if _is_sequence(value):
            raise ShapeError(f"{op}: ragged list: a list stands where a number "
                             f"stands elsewhere at depth {len(dims)}")
        if not _is_number(value):
            raise TypeError(f"{op}: expected numbers, got {type(value).__name__} {_brief(value)}")
    return tuple(dims)


def _brief(value):
    """The start of repr(value) for an error message, even for a dict nested too deep to print."""
    try:
        return f"{value!r:.40}"
    except RecursionError:      # e.g. a JSON object nested 1000 deep, which Python 3.12 parses
        return "(nested too deep to print)"


def _vector_or_matrix(op, x):
    """The shape of a non-empty vector or matrix."""
    dims = _shape(op, x)
    if len(dims) not in (1, 2):
        kind = "a number" if not dims else f"a {len(dims)}-d list"
        raise ShapeError(f"{op}: expected a vector or a matrix, got {kind} of shape {dims}")
    if 0 in dims:
        raise ShapeError(f"{op}: empty {'vector' if len(dims) == 1 else 'matrix'} of shape {dims}")
    return dims


def _matrix(op, x):
    dims = _vector_or_matrix(op, x)
    if len(dims) != 2:
        raise ShapeError(f"{op}: expected a matrix (a list of rows), got a vector of shape {dims}")
    return dims


def _vector(op, x):
    dims = _vector_or_matrix(op, x)
    if len(dims) != 1:
        raise ShapeError(f"{op}: expected a vector (a list of numbers), got a matrix of shape {dims}")
    return dims


def _rows_shape(op, x):
    """The shape of a vector or matrix from its lengths alone, without visiting every entry.

    The products below find a non-number themselves (it raises ``TypeError`` in
    ``sum``), so they pay only for the lengths of the rows, looked at in C
    (``map``), not in a Python loop: the check of a layer's input costs little.
    """
    if not _is_sequence(x) or not x:
        return _vector_or_matrix(op, x)
    if not _is_sequence(x[0]):
        if any(map(isinstance, x, repeat(_SEQUENCES))):
            return _vector_or_matrix(op, x)        # ragged: let the full check say where
        return (len(x),)
    size = len(x[0])
    if size == 0 or not all(map(isinstance, x, repeat(_SEQUENCES))) or set(map(len, x)) != {size}:
        return _vector_or_matrix(op, x)
    return (len(x), size)


def _size(op, name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{op}: {name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{op}: {name} must be at least 1, got {value}")
    if value > _LARGEST:
        raise ValueError(f"{op}: {name} must be at most {_LARGEST}, got {_amount(value)}")
    return value


def _count(op, what, n):
    """n, the number of entries ``what`` would hold, checked before anything is built."""
    if n > _LARGEST:
        raise ValueError(f"{op}: {what} would hold {_amount(n)} numbers; "
                         f"refnn's lists hold at most {_LARGEST}")
    return n


def _amount(n):
    """A large count in a few digits: 1e+12, or 10**400 for an int beyond a float's range."""
    return f"{n:.3g}" if n < 1e300 else f"10**{len(str(n)) - 1}"


def _isfinite(value):
    """False for NaN, ±inf and ints too large for a float; True for other numbers and sympy expressions."""
    try:
        return math.isfinite(value)
    except TypeError:
        return True     # a symbol stands for a finite number
    except OverflowError:
        return False    # an int beyond a float's range: computed in floats, it is infinite


def _check_finite(op, name, x):
    """Raise ValueError if a nested list holds NaN or ±inf: learning from them fills the weights with NaN."""
    level = [x]
    while level and _is_sequence(level[0]):
        level = [y for item in level for y in item]
    for value in level:
        if not _isfinite(value):
            shown = repr(value) if isinstance(value, float) else f"{value!r:.12}... (too large for a float)"
            raise ValueError(f"{op}: {name} holds {shown}; learning needs finite numbers")


def _not_a_number(op, x):
    return TypeError(f"{op}: expected a number, got {type(x).__name__} {x!r:.40}")


def _sympy_or_error(op, x):
    """The sympy module if x is a sympy expression, else a TypeError naming ``op``."""
    if hasattr(x, "free_symbols"):
        import sympy        # x came from sympy, so this import is already paid for
        return sympy
    raise _not_a_number(op, x) from None


# --- the tensor floor (refnn.tensors, refnn.functions, refnn.shapes, refnn.linalg, refnn.sampling) ---

def _int(op, name, value):
    """An int (not a bool), or a TypeError naming the argument."""
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


def _lists(op, dims):
    """Refuse a shape whose nested lists would be too many: (10**12, 0) holds no number but 10**12 lists."""
    total, width = 0, 1
    for n in dims:
        width *= n
        total += width
    if total > _LARGEST:
        raise ValueError(f"{op}: shape {dims} takes {_amount(total)} lists and numbers; "
                         f"refnn's lists hold at most {_LARGEST}")


def _varargs(args):
    """``x.view(2, 3)`` and ``x.view((2, 3))`` both mean the shape (2, 3), as in PyTorch."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


def _picks(dims, keys):
    """For each index key (of refnn.shapes.index and Tensor[key]): the int it selects, or a slice's range."""
    if len(keys) > len(dims):
        raise IndexError(f"too many indices for tensor of dimension {len(dims)}")
    picks = []
    for d, (key, n) in enumerate(zip(keys, dims)):
        if isinstance(key, slice):
            picks.append(range(n)[key])
            continue
        if not isinstance(key, (int, bool)) and hasattr(key, "__index__") and not _is_sequence(key):
            key = key.__index__()                   # a 0-d int tensor (a float one raises TypeError)
        if isinstance(key, int) and not isinstance(key, bool):
            if not -n <= key < n:
                raise IndexError(f"index {key} is out of bounds for dimension {d} with size {n}")
            picks.append(key % n)
        else:
            raise TypeError(f"index: tensor indices must be ints or slices, got {type(key).__name__}")
    return tuple(picks)
