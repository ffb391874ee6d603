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
import reprlib
from itertools import repeat
from operator import mul as _times


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
    if getattr(value, "free_symbols", None):
        return True     # a formula of symbols stands for a finite number (math.isfinite would evalf it first)
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


# --- activations ---------------------------------------------------------

def _threshold_input(op, x):
    """Refuse what a threshold cannot place on a side of 0: NaN and non-numbers."""
    try:
        nan = x != x or not (x > 0 or x <= 0)
    except TypeError:
        raise _not_a_number(op, x) from None
    if nan:
        raise ValueError(f"{op}: x is NaN, which lies on neither side of 0")


def _check_sigmoid_output(op, s):
    """A number that a sigmoid can output: in [0, 1] (NaN passes, as through any arithmetic)."""
    if _is_sequence(s) or not _is_number(s):
        raise _not_a_number(op, s)
    if isinstance(s, numbers.Real) and (s < 0 or s > 1):
        raise ValueError(f"{op}: s = {s!r} is no sigmoid output (those lie in [0, 1]);"
                         " for the slope at a sum z use sigmoid_prime(z)")


def _check_log_argument(op, p):
    """A number whose logarithm exists or is clamped: p ≥ 0, or a sympy expression."""
    if _is_sequence(p) or not _is_number(p):
        raise _not_a_number(op, p)
    if isinstance(p, numbers.Real) and not p >= 0:
        raise ValueError(f"{op}: ln needs p ≥ 0, got {p!r}")


# --- mlp -----------------------------------------------------------------

_MLP_LOSSES = ("squared_error", "binary_cross_entropy")


def _generator(op, seed, generator):
    """The random.Random to draw from: the one given, or a new one seeded with ``seed``."""
    import random

    if generator is not None:
        if seed is not None:
            raise TypeError(f"{op}: give a seed or a generator, not both")
        if not isinstance(generator, random.Random):
            raise TypeError(f"{op}: generator must be a random.Random, got {type(generator).__name__}")
        return generator
    if seed is None:
        raise TypeError(f"{op}: give a seed (an int) or a generator (a random.Random)")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{op}: seed must be an int, got {type(seed).__name__}")
    return random.Random(seed)


def _sizes(op, sizes):
    """Layer sizes (inputs, ..., outputs): at least two, each an int of at least 1."""
    if not _is_sequence(sizes) or len(sizes) < 2:
        raise ValueError(f"{op}: sizes must list at least two layer sizes (inputs, ..., outputs), "
                         f"got {reprlib.repr(sizes):.40}")
    for k, n in enumerate(sizes):
        _size(op, f"sizes[{k}]", n)
    return sizes


def _network_generator(op, sizes, seed, generator, biases=False):
    """Check the sizes and the count of the numbers to draw, then return the generator to draw them from."""
    _sizes(op, sizes)
    net = "-".join(map(str, sizes))
    if biases:
        _count(op, f"the biases of a {net} network", sum(sizes[1:]))
    else:
        _count(op, f"a {net} network", sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:])))
    return _generator(op, seed, generator)


def _check_weights(op, weights):
    """The shapes of a chain of weight matrices whose sizes fit together."""
    if not _is_sequence(weights) or not weights or not _is_sequence(weights[0]):
        raise TypeError(f"{op}: weights must be a non-empty list of matrices, got {weights!r:.40}")
    shapes = [_matrix(f"{op}: weights[{k}]", w) for k, w in enumerate(weights)]
    for k in range(1, len(shapes)):
        if shapes[k][0] != shapes[k - 1][1]:
            raise ShapeError(f"{op}: weights[{k - 1}] {shapes[k - 1]} gives {shapes[k - 1][1]} outputs "
                             f"but weights[{k}] {shapes[k]} takes {shapes[k][0]} inputs")
    return shapes


def _check_biases(op, biases, shapes):
    """None, or one vector per weight matrix, as long as its outputs."""
    if biases is None:
        return
    if not _is_sequence(biases) or len(biases) != len(shapes):
        found = f"{len(biases)} vectors" if _is_sequence(biases) else f"a {type(biases).__name__}"
        raise ShapeError(f"{op}: biases must be a list of {len(shapes)} vectors, one per weight matrix, "
                         f"got {found}")
    for k, (b, (_, n_out)) in enumerate(zip(biases, shapes)):
        if _vector(f"{op}: biases[{k}]", b) != (n_out,):
            raise ShapeError(f"{op}: biases[{k}] has shape {(len(b),)} but weights[{k}] {shapes[k]} "
                             f"needs ({n_out},)")


def _check_network(op, weights, biases, x):
    """Check weights, biases (None or one vector per weight matrix) and input x; return the shapes."""
    shapes = _check_weights(op, weights)
    _check_biases(op, biases, shapes)
    sx = _matrix(f"{op}: x", x)
    if sx[1] != shapes[0][0]:
        raise ShapeError(f"{op}: x {sx} @ weights[0] {shapes[0]}: inner sizes {sx[1]} and "
                         f"{shapes[0][0]} differ")
    return shapes


def _check_loss_name(op, loss):
    if not isinstance(loss, str) or loss not in _MLP_LOSSES:
        raise ValueError(f"{op}: loss must be one of {', '.join(map(repr, _MLP_LOSSES))}, got {loss!r:.40}")


def _check_targets(op, y, n_samples, shapes, loss):
    """Check the targets y against the network's output shape and the loss."""
    _check_loss_name(op, loss)
    sy, expected = _matrix(f"{op}: y", y), (n_samples, shapes[-1][1])
    if sy != expected:
        raise ShapeError(f"{op}: y has shape {sy}, the network's output has shape {expected}")
    if loss == "binary_cross_entropy":
        _check_probabilities(op, "y", y)


def _check_probabilities(op, name, p):
    for row in p:
        for v in row:
            if isinstance(v, numbers.Real) and not 0 <= v <= 1:
                raise ValueError(f"{op}: binary cross-entropy needs {name} in [0, 1], got {v!r}")


def _check_layers(op, layers, shapes):
    """The layers forward returned for weights of these shapes."""
    if not _is_sequence(layers) or len(layers) != len(shapes) + 1:
        raise ShapeError(f"{op}: layers must be the {len(shapes) + 1} layers forward returned for "
                         f"{len(shapes)} weight matrices")
    n = _matrix(f"{op}: layers[0]", layers[0])[0]
    sizes = [shapes[0][0]] + [n_out for _, n_out in shapes]
    for k, (layer, size) in enumerate(zip(layers, sizes)):
        if _matrix(f"{op}: layers[{k}]", layer) != (n, size):
            raise ShapeError(f"{op}: layers[{k}] has shape {(len(layer), len(layer[0]))}, "
                             f"the weights need {(n, size)}")


def _check_backward(op, weights, layers, y, loss):
    """backward's arguments: a chain of weights, the layers forward returned for them, targets that fit."""
    shapes = _check_weights(op, weights)
    _check_layers(op, layers, shapes)
    _check_targets(op, y, len(layers[0]), shapes, loss)


def _check_training(op, x, y, weights, epochs, lr, biases, loss):
    """train's arguments: a network that takes x, targets that fit, finite numbers, epochs and lr."""
    shapes = _check_network(op, weights, biases, x)
    _check_targets(op, y, len(x), shapes, loss)
    for name, value in (("x", x), ("y", y), ("weights", weights), ("biases", biases or [])):
        _check_finite(op, name, value)
    if isinstance(epochs, bool) or not isinstance(epochs, int):
        raise TypeError(f"{op}: epochs must be an int, got {type(epochs).__name__}")
    if epochs < 0:
        raise ValueError(f"{op}: epochs must be at least 0, got {epochs}")
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"{op}: lr must be a number, got {type(lr).__name__}")
    if not (lr >= 0 and _isfinite(lr)):
        raise ValueError(f"{op}: lr must be a finite number at least 0, got {lr!r:.40}")


def _loss_arguments(op, y, output, finite=False, probabilities=False):
    """y and output as matrices of one shape (a vector is one sample), finite or in [0, 1] if asked."""
    sy, so = _vector_or_matrix(f"{op}: y", y), _vector_or_matrix(f"{op}: output", output)
    if sy != so:
        raise ShapeError(f"{op}: y {sy} and output {so} differ")
    y, output = ([y], [output]) if len(sy) == 1 else (y, output)
    if finite:
        _check_finite(op, "y", y), _check_finite(op, "output", output)
    if probabilities:
        _check_probabilities(op, "y", y), _check_probabilities(op, "output", output)
    return y, output


def _finite_loss(op, loss, advice):
    """The loss, unless it overflowed: an inf would look like a number and silently stop learning."""
    if not _isfinite(loss):
        raise ValueError(f"{op}: the loss overflows a float ({loss!r}); {advice}")
    return loss


def _check_trained(op, weights, biases):
    """The trained weights and biases, unless one overflowed in the last epoch."""
    trained = [v for w in weights for row in w for v in row] + [v for b in biases or [] for v in b]
    if not all(map(_isfinite, trained)):
        raise ValueError(f"{op}: the weights overflow a float in the last epoch; lower lr, or scale x and y")


def _check_network_gradient(op, weights, x, y, biases, loss):
    """A network that takes x, targets that fit its output and the loss, finite numbers throughout."""
    shapes = _check_network(op, weights, biases, x)
    _check_targets(op, y, len(x), shapes, loss)
    for name, value in (("weights", weights), ("x", x), ("y", y), ("biases", biases or [])):
        _check_finite(op, name, value)


# --- gradcheck -----------------------------------------------------------

def _function_of_x(op, f):
    if not callable(f):
        raise TypeError(f"{op}: f must be a function of x, got {type(f).__name__}")


def _positive(op, name, value):
    """eps and floor: a positive number a float can hold."""
    if _is_sequence(value) or not _is_number(value) or not (0 < value and _isfinite(value)):
        raise ValueError(f"{op}: {name} must be a positive finite number, got {value!r:.40}")


def _number(op, value):
    """The value f returned, which must be a single number."""
    if _is_sequence(value) or not _is_number(value):
        raise TypeError(f"{op}: f must return a number, got {type(value).__name__}")
    return value


def _leaves(op, x, depth=0):
    """Every number of a nested list, in reading order; non-numbers are a TypeError."""
    if _is_sequence(x):
        if depth == _DEEPEST:
            raise ShapeError(f"{op}: a list nested more than {_DEEPEST} deep; refnn's lists have at most "
                             f"{_DEEPEST} dimensions")
        return [value for item in x for value in _leaves(op, item, depth + 1)]
    if not _is_number(x):
        raise TypeError(f"{op}: expected numbers, got {type(x).__name__} {x!r:.40}")
    return [x]


def _layout(x):
    """The shape of a nested list, or the list of its items' layouts where they differ.

    A list of a (3, 4) and a (4, 1) matrix has the layout [(3, 4), (4, 1)].
    """
    if not _is_sequence(x):
        return ()
    inner = [_layout(item) for item in x]
    if all(isinstance(lay, tuple) and lay == inner[0] for lay in inner):
        return (len(x),) + (inner[0] if inner else ())
    return inner


def _check_comparison(op, a, b, floor):
    """Two nested lists of one structure and a positive floor; return the numbers of a and of b."""
    left, right = _leaves(op, a), _leaves(op, b)
    if _layout(a) != _layout(b):
        raise ShapeError(f"{op}: a and b have different structures: {_layout(a)} and {_layout(b)}")
    _positive(op, "floor", floor)
    return left, right


def _check_gradient_request(op, f, x, grad, eps, floor):
    """check's arguments: a function, nested lists x and grad of one structure, eps and floor."""
    _function_of_x(op, f)
    _leaves(op, x), _leaves(op, grad)
    _positive(op, "eps", eps), _positive(op, "floor", floor)
    if _layout(grad) != _layout(x):
        raise ShapeError(f"{op}: grad has the structure {_layout(grad)}, x has {_layout(x)}")


def _check_mlp_request(op, sizes, samples, bias, floor):
    """check_mlp's arguments, and a problem small enough for sympy: samples × parameters at most 2000."""
    _sizes(op, sizes)
    _size(op, "samples", samples)
    if not isinstance(bias, bool):
        raise TypeError(f"{op}: bias must be True or False, got {type(bias).__name__}")
    _positive(op, "floor", floor)
    parameters = sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:])) + bias * sum(sizes[1:])
    if samples * parameters > 2000:           # sympy's work grows with both: 2000 terms take about a minute
        raise ValueError(f"{op}: {samples} samples of {_amount(parameters)} parameters are too many for "
                         f"sympy; keep samples × parameters at most 2000")


# --- matrix ------------------------------------------------------------------
# The checks of refnn.matrix's teaching functions, one call each.

def _zeros_size(rows, cols):
    """Check the sizes of zeros(rows, cols): ints from 1, and no more entries than refnn's lists hold."""
    _size("zeros", "rows", rows)
    if cols is not None:
        _size("zeros", "cols", cols)
        _count("zeros", f"a {rows} x {cols} matrix", rows * cols)


def _square_size(op, n):
    """Check the size n of an n x n matrix."""
    _size(op, "n", n)
    _count(op, f"a {n} x {n} matrix", n * n)


def _same_length(op, u, v):
    """Check that u and v are vectors of one length."""
    su, sv = _vector(op, u), _vector(op, v)
    if su != sv:
        raise ShapeError(f"{op}: {su} and {sv} differ")


def _matmul_shapes(A, B):
    """The shapes of A and B (from their lengths), checked to fit A @ B: columns of A, rows of B."""
    sa, sb = _rows_shape("matmul", A), _rows_shape("matmul", B)
    if sa[-1] != sb[0]:
        raise ShapeError(f"matmul: {sa} @ {sb}: inner sizes {sa[-1]} and {sb[0]} differ")
    return sa, sb


class _numbers_named:
    """``with _numbers_named(op, A, B):`` lets the arithmetic inside find a non-number (a TypeError),
    then names it as the full check does: a product pays for the lengths of its rows only."""

    def __init__(self, op, *args):
        self.op, self.args = op, args

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None and issubclass(kind, TypeError):
            for x in self.args:
                _vector_or_matrix(self.op, x)   # raises the TypeError (or ShapeError) that says what it is
        return False                            # any other error goes on as it is


def _entrywise_shapes(op, A, B):
    """The shapes of A and B, checked to match entry by entry, or B a row as long as A's rows."""
    sa, sb = _vector_or_matrix(op, A), _vector_or_matrix(op, B)
    if sa != sb and not (len(sa) == 2 and sb == sa[1:]):
        raise ShapeError(f"{op}: {sa} and {sb} differ")
    return sa, sb


def _scalar(op, name, c):
    """Check that c is one number, not a list."""
    if _is_sequence(c) or not _is_number(c):
        raise TypeError(f"{op}: {name} must be a number, got {type(c).__name__}")


def _function(op, name, fn):
    """Check that fn can be called."""
    if not callable(fn):
        raise TypeError(f"{op}: {name} must be callable, got {type(fn).__name__}")


# --- neuron ------------------------------------------------------------------
# The checks of refnn.neuron: weights and θ are finite reals, inputs are all-or-none.

def _finite_real(op, name, value):
    """Refuse what is not a finite real number (sympy symbols included): a threshold needs an order."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__} {value!r:.40}")
    if not _isfinite(value):
        raise ValueError(f"{op}: {name} is {value!r:.40}; it must be a finite number")


def _neuron(weights, theta, name):
    """Check the arguments of MPNeuron(weights, theta, name)."""
    _vector("MPNeuron: weights", weights)
    for i, w in enumerate(weights):
        _finite_real("MPNeuron", f"weights[{i}]", w)
    _finite_real("MPNeuron", "theta", theta)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"MPNeuron: name must be a str, got {type(name).__name__}")


def _binary(op, inputs):
    """The inputs as the ints 0 and 1 (True, 1.0, Fraction(1) count as 1); anything else is an error."""
    for i, x in enumerate(inputs):
        if not isinstance(x, numbers.Real):
            raise TypeError(f"{op}: inputs must be 0 or 1, got {type(x).__name__} {x!r:.40} at position {i}")
        if x != 0 and x != 1:
            raise ValueError(f"{op}: inputs must be 0 or 1, got {x!r} at position {i}")
    return [int(x) for x in inputs]


def _one_binary_per_weight(op, inputs, weights):
    """The inputs of a neuron call (separate, or one list) as 0s and 1s, one per weight."""
    if len(inputs) == 1 and _is_sequence(inputs[0]):
        inputs = inputs[0]                      # NAND([0, 1]) is NAND(0, 1)
    if len(inputs) != len(weights):
        plural = "s" if len(weights) != 1 else ""
        raise ShapeError(f"{op}: expected {len(weights)} input{plural} (one per weight), got {len(inputs)}")
    return _binary(op, inputs)


def _table_inputs(op, gate, n_inputs, neuron):
    """The number of inputs of a truth table of ``gate``: n_inputs, or its own if it is a ``neuron``."""
    if not callable(gate):
        raise TypeError(f"{op}: gate must be callable (an MPNeuron or a function), "
                        f"got {type(gate).__name__}")
    if n_inputs is None:
        if not isinstance(gate, neuron):
            raise TypeError(f"{op}: give n_inputs for {getattr(gate, '__name__', 'this gate')}; "
                            "only an MPNeuron knows its number of inputs")
        n_inputs = gate.n_inputs
    else:
        _size(op, "n_inputs", n_inputs)
    # 2**n rows of n + 1 entries, counted before the first is built
    _count(op, f"a truth table of {n_inputs} inputs", 2 ** min(n_inputs, 64) * (n_inputs + 1))
    return n_inputs


# --- perceptron --------------------------------------------------------------
# The checks of refnn.perceptron: samples of finite real numbers (a symbol has no
# side of a line), labels −1 and +1, one per sample.

def _samples(op, X):
    """The shape of X, a vector or matrix of finite real numbers."""
    if _is_sequence(X) and not X:
        raise ShapeError(f"{op}: X is empty; give at least one sample")
    dims = _vector_or_matrix(f"{op}: X", X)
    _check_finite(op, "X", X)
    for row in (X if len(dims) == 2 else [X]):
        for v in row:
            if not isinstance(v, numbers.Real):
                raise TypeError(f"{op}: X must hold real numbers, got {type(v).__name__} {v!r:.40}")
    return dims


def _labelled_samples(op, X, y):
    """(n_features, labels): X a matrix of samples, one per row, and y their labels as the ints −1 and +1."""
    dims = _samples(op, X)
    if len(dims) != 2:
        raise ShapeError(f"{op}: X must be a matrix with one sample per row, got a vector of shape {dims}; "
                         "for one feature write [[x] for x in X]")
    if _vector(f"{op}: y", y)[0] != dims[0]:
        raise ShapeError(f"{op}: X has {dims[0]} samples (rows) but y has {len(y)} labels")
    found = set(y)
    if not found <= {-1, 1}:
        names = "{" + ", ".join(map(repr, sorted(found))) + "}"
        hint = "; for 0/1 labels pass [2*t - 1 for t in y]" if found <= {0, 1} else ""
        raise ValueError(f"{op}: labels must be -1 and +1, found {names}{hint}")
    return dims[1], [1 if t > 0 else -1 for t in y]


def _learning_rate(op, lr):
    """lr, checked to be a positive finite real number."""
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"{op}: lr must be a real number, got {type(lr).__name__} {lr!r:.40}")
    if not (_isfinite(lr) and lr > 0):
        raise ValueError(f"{op}: lr must be positive, got {lr!r:.40}")
    return lr


def _weights_fit_a_float(op, w, b, epoch):
    """Raise when a step of learning has made w or b overflow a float."""
    if not (_isfinite(b) and all(map(_isfinite, w))):
        raise ValueError(f"{op}: the weights overflow a float in epoch {epoch}; lower lr, or scale X")


def _samples_to_predict(op, X, weights):
    """The shape of X, samples with as many features as the learned ``weights`` (None before fit)."""
    if weights is None:
        raise ValueError(f"{op}: the perceptron has not learned yet; call fit(X, y) first")
    dims = _samples(op, X)
    if dims[-1] != len(weights):
        raise ShapeError(f"{op}: X has {dims[-1]} features but the perceptron learned {len(weights)}")
    return dims


def _certified(op, answer, points, labels):
    """answer, unless its separator fails to separate, or its witness is not in both hulls, exactly."""
    if answer.separable:
        w, b = answer.weights, answer.bias
        ok = all(t * (sum(map(_times, w, x)) + b) > 0 for x, t in zip(points, labels))
    else:
        lam, d = answer.coefficients, len(points[0])
        ok = all(l >= 0 for l in lam)
        for cls in (1, -1):
            members = [(l, x) for l, x, t in zip(lam, points, labels) if t == cls]
            ok = ok and sum(l for l, _ in members) == 1
            ok = ok and [sum(l * x[k] for l, x in members) for k in range(d)] == answer.witness
    if not ok:
        raise RuntimeError(f"{op}: internal error: the certificate {answer} fails its own check; "
                           "please report it")
    return answer


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
