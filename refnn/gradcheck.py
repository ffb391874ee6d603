"""Gradients by two oracles: sympy's exact derivative and central differences.

A hand-written gradient is easy to get wrong and hard to see wrong.  This
module computes the same gradient two independent ways, so that the
hand-written one can be held against both:

* :func:`symbolic_gradient` runs refnn's own code on sympy symbols in place
  of the numbers, which builds the formula of the function, and lets sympy
  differentiate it exactly;
* :func:`numeric_gradient` nudges every number by ±eps and measures the
  slope, (f(x + eps) − f(x − eps)) / (2 eps).

The derivative of E(w) = w² + 3v at (w, v) = (1, 2) is (2w, 3) = (2, 3):

>>> E = lambda p: p[0] ** 2 + 3 * p[1]
>>> symbolic_gradient(E, [1, 2])
[2, 3]
>>> [round(g, 6) for g in numeric_gradient(E, [1, 2])]
[2.0, 3.0]

The argument may be any nested list (a number, a vector, a matrix, a list
of matrices of different shapes); the gradient has the same structure.
:func:`max_relative_error` measures how far two gradients are apart, and
:func:`check` does all three at once:

>>> check(E, [1, 2], [2, 3]).symbolic
0.0

sympy is imported inside the functions that need it, so ``import refnn``
never loads it.  A function that returns no number is refused:

>>> numeric_gradient(lambda p: p, [1.0])
Traceback (most recent call last):
    ...
TypeError: numeric_gradient: f must return a number, got list
"""
import functools
import math
from typing import NamedTuple

from refnn import mlp
from refnn._checks import _amount, _check_finite, _DEEPEST, _is_number, _is_sequence, _isfinite, ShapeError

__all__ = [
    "numeric_gradient", "symbolic_gradient", "max_relative_error", "check", "Gaps",
    "symbolic_mlp_gradient", "numeric_mlp_gradient", "check_mlp", "MLPCheck",
]


# --- nested lists as flat lists of numbers -------------------------------

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


def _rebuild(x, values):
    """A new nested list shaped like x, its numbers taken in order from the iterator values."""
    if _is_sequence(x):
        return [_rebuild(item, values) for item in x]
    return next(values)


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


def _function(op, f):
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


# --- the two oracles -----------------------------------------------------

def numeric_gradient(f, x, eps=1e-6):
    """∂f/∂x_i ≈ (f(x + eps·e_i) − f(x − eps·e_i)) / (2 eps), for every number x_i of x.

    Central differences: the slope of the chord through two points eps on
    either side.  Its error shrinks like eps² (a one-sided difference only
    like eps), until rounding takes over near eps ≈ 1e-5; 1e-6 gives about
    8 correct digits for the losses of a small network.

    >>> from refnn.activations import sigmoid
    >>> round(numeric_gradient(sigmoid, 0.0), 6)      # σ'(0) = 1/4
    0.25

    ``x`` may be any nested list; each number is nudged in a fresh copy, so
    ``x`` is never changed, and the gradient has the structure of ``x``:

    >>> weights = [[[2.0], [3.0]], [[-1.0]]]
    >>> g = numeric_gradient(lambda w: w[0][1][0] * w[1][0][0], weights)
    >>> [[[round(v, 6) for v in row] for row in m] for m in g]
    [[[0.0], [-1.0]], [[3.0]]]
    >>> weights
    [[[2.0], [3.0]], [[-1.0]]]
    >>> numeric_gradient(sigmoid, 0.0, eps=0)
    Traceback (most recent call last):
        ...
    ValueError: numeric_gradient: eps must be a positive finite number, got 0
    >>> numeric_gradient("sigmoid", 0.0)
    Traceback (most recent call last):
        ...
    TypeError: numeric_gradient: f must be a function of x, got str
    """
    return _numeric("numeric_gradient", f, x, eps)


def _numeric(op, f, x, eps):
    """numeric_gradient, its errors naming op (the function the caller called)."""
    _function(op, f)
    flat = _leaves(op, x)
    _positive(op, "eps", eps)

    def f_at(i, step):              # f with the i-th number moved by step, in a fresh copy
        moved = flat[:i] + [flat[i] + step] + flat[i + 1:]
        return _number(op, f(_rebuild(x, iter(moved))))

    slopes = [(f_at(i, eps) - f_at(i, -eps)) / (2 * eps) for i in range(len(flat))]
    return _rebuild(x, iter(slopes))


def symbolic_gradient(f, x):
    """∂f/∂x_i exactly, by sympy, for every number x_i of x, evaluated at x.

    Each number of ``x`` is replaced by a symbol (x0, x1, ... in reading
    order) and ``f`` runs on them, refnn's own code, with no second,
    symbolic copy of it: the result is the formula of f.  sympy
    differentiates it and ``lambdify(..., cse=True)`` compiles the
    derivatives into one Python function, which is evaluated at x.
    The formula is never simplified: ``sympy.simplify`` on a network's
    loss takes minutes, while the compiled common subexpressions are fast.

    >>> symbolic_gradient(lambda p: p[0] ** 2 + 3 * p[1], [1, 2])
    [2, 3]

    The seed's neuron ``x · weight`` has the input as its gradient:

    >>> from refnn.matrix import matmul
    >>> symbolic_gradient(lambda w: matmul([[1, 1, -1]], w)[0][0], [[2], [3], [0]])
    [[1], [1], [-1]]
    >>> from refnn.activations import sigmoid
    >>> symbolic_gradient(sigmoid, 0)                  # σ'(0) = 1/4
    0.25

    The compiled derivatives are cached by the formula itself, so the same
    function on the same structure is compiled once and a changed function
    is never served a stale gradient.

    >>> symbolic_gradient(lambda p: "E", [1])
    Traceback (most recent call last):
        ...
    TypeError: symbolic_gradient: f must return a number, got str
    """
    return _symbolic("symbolic_gradient", f, x)


def _symbolic(op, f, x):
    """symbolic_gradient, its errors naming op (the function the caller called)."""
    import sympy

    _function(op, f)
    flat = _leaves(op, x)
    symbols = tuple(sympy.Symbol(f"x{i}") for i in range(len(flat)))
    formula = sympy.sympify(_number(op, f(_rebuild(x, iter(symbols)))))
    try:
        slopes = _compiled_gradient(formula, symbols)(*flat)
    except OverflowError:
        raise ValueError(f"{op}: the derivatives overflow a float at x") from None
    return _rebuild(x, iter(slopes))


@functools.lru_cache(maxsize=64)
def _compiled_gradient(formula, symbols):
    """One Python function of the symbols returning [∂formula/∂s for s in symbols].

    Keyed by the formula and its symbols: equal formulas (sympy compares
    them term by term) have equal derivatives, whatever function built them.
    """
    import sympy

    slopes = [sympy.diff(formula, s) for s in symbols]
    return sympy.lambdify(symbols, slopes, modules="math", cse=True)


# --- comparing gradients -------------------------------------------------

def max_relative_error(a, b, floor=1.0):
    """max over entries of |a − b| / max(floor, |a|, |b|), for two nested lists of one structure.

    Relative where the numbers are large, absolute where they are smaller
    than ``floor`` (1 by default), so that a gradient entry that should be
    0 does not turn a rounding error into a relative error of 100 %.  A
    smaller ``floor`` makes the test stricter for small entries.

    >>> round(max_relative_error([100.0, 0.5], [101.0, 0.5]), 6)      # 1/101
    0.009901
    >>> max_relative_error([1e-10], [2e-10]) < 1e-9, max_relative_error([1e-10], [2e-10], floor=1e-12)
    (True, 0.5)

    Any NaN or infinity gives NaN, which fails every ``error < tol``:

    >>> max_relative_error([float("nan")], [1.0])
    nan
    >>> max_relative_error([[1, 2]], [1, 2])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: max_relative_error: a and b have different structures: (1, 2) and (2,)
    """
    op = "max_relative_error"
    left, right = _leaves(op, a), _leaves(op, b)
    if _layout(a) != _layout(b):
        raise ShapeError(f"{op}: a and b have different structures: {_layout(a)} and {_layout(b)}")
    _positive(op, "floor", floor)
    gaps = [float(abs(u - v) / max(floor, abs(u), abs(v))) for u, v in zip(left, right)]
    if not all(map(math.isfinite, gaps)):
        return math.nan
    return max(gaps, default=0.0)


class Gaps(NamedTuple):
    """The largest relative errors of a gradient against the two oracles.

    >>> Gaps(symbolic=0.0, numeric=1e-10)
    Gaps(symbolic=0.0, numeric=1e-10)
    """

    symbolic: float
    numeric: float


def check(f, x, grad, eps=1e-6, floor=1.0):
    """How far ``grad`` lies from sympy's and from central differences' gradient of f at x.

    Returns :class:`Gaps` ``(symbolic, numeric)``, each a
    :func:`max_relative_error`.  A correct hand-written gradient of a
    smooth function has a symbolic gap near 1e-16 and a numeric one near
    1e-9.

    >>> from refnn.activations import sigmoid, sigmoid_prime
    >>> gaps = check(sigmoid, 1.5, sigmoid_prime(1.5))
    >>> gaps.symbolic < 1e-15, gaps.numeric < 1e-8
    (True, True)

    A wrong gradient shows in both:

    >>> gaps = check(sigmoid, 1.5, 0.25)        # off by 0.25 − σ'(1.5) = 0.25 − 0.149146
    >>> round(gaps.symbolic, 6), round(gaps.numeric, 6)
    (0.100854, 0.100854)
    >>> check(lambda p: p[0] * p[1], [1.0, 2.0], [2.0])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: check: grad has the structure (1,), x has (2,)
    >>> check(sigmoid, 1.5, 0.25, eps=-1e-6)
    Traceback (most recent call last):
        ...
    ValueError: check: eps must be a positive finite number, got -1e-06
    """
    op = "check"
    _function(op, f)
    _leaves(op, x), _leaves(op, grad)
    _positive(op, "eps", eps), _positive(op, "floor", floor)
    if _layout(grad) != _layout(x):
        raise ShapeError(f"{op}: grad has the structure {_layout(grad)}, x has {_layout(x)}")
    return Gaps(max_relative_error(_symbolic(op, f, x), grad, floor),
                max_relative_error(_numeric(op, f, x, eps), grad, floor))


# --- the network's gradient ----------------------------------------------

def _network_error(op, weights, x, y, biases, loss):
    """E as a function of the parameters [weights] or [weights, biases], and those parameters.

    E runs refnn.mlp.forward and the loss of that name in refnn.mlp, so on
    symbols it builds the network's own formula.
    """
    shapes = mlp._check_network(op, weights, biases, x)
    mlp._check_targets(op, y, len(x), shapes, loss)
    for name, value in (("weights", weights), ("x", x), ("y", y), ("biases", biases or [])):
        _check_finite(op, name, value)
    x, y = _without_bools(x), _without_bools(y)
    error = getattr(mlp, loss)              # "squared_error" -> mlp.squared_error

    def E(params):
        return error(y, mlp.forward(params[0], x, params[1] if len(params) > 1 else None)[-1])
    return E, [weights] if biases is None else [weights, biases]


def _without_bools(matrix):
    """True and False as 1 and 0: sympy multiplies ints, not bools."""
    return [[int(v) if isinstance(v, bool) else v for v in row] for row in matrix]


def _gradients(slopes):
    return mlp.Gradients(slopes[0], slopes[1] if len(slopes) > 1 else None)


def symbolic_mlp_gradient(weights, x, y, biases=None, loss="squared_error"):
    """∂E/∂w for every weight (and bias) of a network, derived by sympy from refnn.mlp.forward.

    Returns :class:`refnn.mlp.Gradients`, like :func:`refnn.mlp.backward`;
    ``biases`` is None for a network without biases.  One weight w, one
    sample x = 2, y = 1: E = ½(1 − σ(2w))², so ∂E/∂w = −(1 − σ)·σ(1 − σ)·2,
    which is −2/8 at w = 0:

    >>> symbolic_mlp_gradient([[[0.0]]], [[2]], [[1]])
    Gradients(weights=[[[-0.25]]], biases=None)
    >>> symbolic_mlp_gradient([[[0.0]]], [[2]], [[1]], biases=[[0.0]], loss="binary_cross_entropy")
    Gradients(weights=[[[-1.0]]], biases=[[-0.5]])
    >>> symbolic_mlp_gradient([[[0.0]]], [[2]], [[1]], loss="mse")
    Traceback (most recent call last):
        ...
    ValueError: symbolic_mlp_gradient: loss must be one of 'squared_error', 'binary_cross_entropy', got 'mse'
    """
    E, params = _network_error("symbolic_mlp_gradient", weights, x, y, biases, loss)
    return _gradients(_symbolic("symbolic_mlp_gradient", E, params))


def numeric_mlp_gradient(weights, x, y, biases=None, loss="squared_error", eps=1e-6):
    """∂E/∂w for every weight (and bias) of a network, by central differences of E.

    Each weight in turn is moved by ±eps and the network run forward twice.
    Returns :class:`refnn.mlp.Gradients`, like :func:`symbolic_mlp_gradient`.

    >>> g = numeric_mlp_gradient([[[0.0]]], [[2]], [[1]])      # exactly −0.25
    >>> round(g.weights[0][0][0], 6), g.biases
    (-0.25, None)
    >>> numeric_mlp_gradient([[[0.0]]], [[2, 1]], [[1]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: numeric_mlp_gradient: x (1, 2) @ weights[0] (1, 1): inner sizes 2 and 1 differ
    """
    op = "numeric_mlp_gradient"
    E, params = _network_error(op, weights, x, y, biases, loss)
    _positive(op, "eps", eps)
    return _gradients(_numeric(op, E, params, eps))


class MLPCheck(NamedTuple):
    """What :func:`check_mlp` found: the network, and the largest gaps of ``backward`` to the two oracles.

    >>> print(MLPCheck((3, 4, 1), "squared_error", False, 16, 2.5e-16, 3.1e-10))
    3-4-1 net, squared_error, no biases, 16 parameters: gap to sympy 2.5e-16, to central differences 3.1e-10
    """

    sizes: tuple
    loss: str
    bias: bool
    parameters: int
    symbolic: float
    numeric: float

    def __str__(self):
        net = "-".join(map(str, self.sizes))
        biases = "with biases" if self.bias else "no biases"
        return (f"{net} net, {self.loss}, {biases}, {self.parameters} parameters: gap to sympy "
                f"{self.symbolic:.1e}, to central differences {self.numeric:.1e}")


def check_mlp(sizes=(3, 4, 1), seed=0, loss="squared_error", bias=False, samples=4, floor=1e-3):
    """Hold :func:`refnn.mlp.backward` against sympy and central differences on a random network.

    Draws the weights (and biases), ``samples`` inputs uniform in [0, 1)
    and targets 0 or 1 from ``random.Random(seed)``, then compares the
    hand-written gradient with both oracles.  The gaps are
    :func:`max_relative_error` with ``floor`` = 1e-3: relative for every
    entry larger than 1e-3, absolute below, where central differences
    (whose error is about 1e-16·E/eps) cannot be relative.  A correct
    backward stays near 1e-16 against sympy and about 1e-7 against
    central differences.

    >>> report = check_mlp((2, 3, 1), seed=0)
    >>> report.parameters, report.symbolic < 1e-12, report.numeric < 1e-6
    (9, True, True)
    >>> check_mlp((2, 3, 1), seed=0, bias=True, loss="binary_cross_entropy").parameters
    13
    >>> check_mlp((2, 3, 1), samples=0)
    Traceback (most recent call last):
        ...
    ValueError: check_mlp: samples must be at least 1, got 0
    >>> check_mlp((2, 3, 1), bias="no")
    Traceback (most recent call last):
        ...
    TypeError: check_mlp: bias must be True or False, got str

    sympy's work grows with the samples and the parameters, so their
    product is kept to a size that takes seconds, not hours:

    >>> check_mlp((2, 3, 1), samples=1000)
    Traceback (most recent call last):
        ...
    ValueError: check_mlp: 1000 samples of 9 parameters are too many for sympy;
    keep samples × parameters at most 2000
    """
    op = "check_mlp"
    mlp._sizes(op, sizes)
    mlp._size(op, "samples", samples)
    if not isinstance(bias, bool):
        raise TypeError(f"{op}: bias must be True or False, got {type(bias).__name__}")
    _positive(op, "floor", floor)
    parameters = sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:])) + bias * sum(sizes[1:])
    if samples * parameters > 2000:           # sympy's work grows with both: 2000 terms take about a minute
        raise ValueError(f"{op}: {samples} samples of {_amount(parameters)} parameters are too many for "
                         f"sympy; keep samples × parameters at most 2000")
    g = mlp._generator(op, seed, None)
    weights = mlp.init_weights(list(sizes), generator=g)
    biases = mlp.init_biases(list(sizes), generator=g) if bias else None
    x = [[g.random() for _ in range(sizes[0])] for _ in range(samples)]
    y = [[float(g.random() < 0.5) for _ in range(sizes[-1])] for _ in range(samples)]
    E, params = _network_error(op, weights, x, y, biases, loss)
    hand = mlp.backward(weights, mlp.forward(weights, x, biases), y, loss)
    hand = [hand.weights] if biases is None else [hand.weights, hand.biases]
    return MLPCheck(tuple(sizes), loss, bool(bias), len(_leaves(op, params)),
                    max_relative_error(_symbolic(op, E, params), hand, floor),
                    max_relative_error(_numeric(op, E, params, 1e-6), hand, floor))


# --- autograd's Functions (refnn.functions, refnn.shapes, refnn.linalg, ...) ----------

def check_function(f, *inputs, eps=1e-6, floor=1.0, seed=0):
    """How far autograd's gradient of f(*tensors) lies from sympy's and from central differences'.

    f takes tensors and returns a tensor (``lambda a, b: a * b``, or
    ``Mul.apply``); inputs are its arguments as numbers or nested lists.
    Every number of the output counts, with a random weight r_k drawn from
    ``random.Random(seed)``: the loss is Σ r_k·out_k, so ``backward`` runs
    with the gradient r, and the gradients of all inputs are held against
    :func:`check`'s two oracles, which run the same f on tensors of sympy
    symbols and of nudged floats.  Returns :class:`Gaps`.

    >>> gaps = check_function(lambda a, b: (a * b).sigmoid(), [1.0, 2.0], [3.0, -1.0])
    >>> gaps.symbolic < 1e-12, gaps.numeric < 1e-8
    (True, True)

    A wrong backward shows in both:

    >>> from refnn.autograd import Function
    >>> class Cube(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         x, = ctx.saved_tensors
    ...         return 2 * x * x * grad              # should be 3x²
    >>> gaps = check_function(Cube.apply, 2.0)
    >>> round(gaps.symbolic, 6), round(gaps.numeric, 6)
    (0.333333, 0.333333)
    """
    import random

    from refnn.tensors import Tensor, tensor

    from refnn._checks import _shape

    op = "check_function"
    _function(op, f)
    for x in inputs:
        _shape(op, x)
    _positive(op, "eps", eps), _positive(op, "floor", floor)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{op}: seed must be an int, got {type(seed).__name__}")
    leaves = [Tensor(x, requires_grad=True) for x in inputs]
    try:
        out = f(*leaves)
    except (ValueError, TypeError) as e:        # ShapeError too: say which check met it
        raise type(e)(f"{op}: f(*inputs) raised: {e}") from e
    if not isinstance(out, Tensor):
        raise TypeError(f"{op}: f must return a Tensor, got {type(out).__name__}")
    g = random.Random(seed)
    weights = [g.uniform(0.5, 1.5) for _ in range(out.numel())]
    out.backward(tensor(weights).reshape(out.shape))
    zero = [0.0] * len(_leaves("check_function", list(inputs)))
    grads = [_rebuild(x, iter(zero)) if t.grad is None else t.grad.tolist() for x, t in zip(inputs, leaves)]

    def loss(params):
        values = f(*(Tensor(p) for p in params)).tolist()
        return sum(w * v for w, v in zip(weights, _leaves("check_function", values)))
    return check(loss, list(inputs), grads, eps, floor)


__all__.append("check_function")
