"""Activation functions, each with its derivative beside it.

A neuron sums its weighted inputs and passes the sum through an activation
function.  The seed's hidden layer uses the sigmoid, which turns any number
into a value between 0 and 1, a "probability":

>>> round(sigmoid(0.5), 6)
0.622459

Each function ``f`` has its derivative ``f_prime`` beside it, taking the
same argument as ``f`` (the weighted sum, not the output):

>>> sigmoid_prime(0)
0.25

The functions take one number: int, float, Fraction, or a sympy expression,
for which they return a sympy expression (that is how refnn derives
gradients symbolically).  To reach every entry of a layer use
:func:`refnn.matrix.apply`.

>>> from refnn.matrix import apply
>>> apply(step, [[-1, 0, 2]])
[[0, 1, 1]]

Non-numbers raise ``TypeError`` naming the function:

>>> tanh("1")
Traceback (most recent call last):
    ...
TypeError: tanh: expected a number, got str '1'
"""
import math

from refnn._checks import _not_a_number, _sympy_or_error

__all__ = [
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "sign", "sign_prime", "step", "step_prime",
]


def _threshold_input(op, x):
    """Refuse what a threshold cannot place on a side of 0: NaN and non-numbers."""
    try:
        nan = x != x or not (x > 0 or x <= 0)
    except TypeError:
        raise _not_a_number(op, x) from None
    if nan:
        raise ValueError(f"{op}: x is NaN, which lies on neither side of 0")


# --- sigmoid -------------------------------------------------------------

def sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x)), a value between 0 and 1.

    The seed's ``nonlin``: large inputs give nearly 1, very negative ones
    nearly 0, and 0 gives exactly one half.

    >>> sigmoid(0)
    0.5
    >>> [round(sigmoid(v), 6) for v in (-2, -1, 1, 2)]
    [0.119203, 0.268941, 0.731059, 0.880797]

    It never overflows: for very negative x, e^(−x) would exceed a float, so
    σ(x) is computed as e^x there (the two agree to the last bit).

    >>> sigmoid(-1e308), sigmoid(1e308)
    (0.0, 1.0)

    An int too large for a float is as far out as it gets:

    >>> sigmoid(-10**400), sigmoid(10**400)
    (0.0, 1.0)

    A sympy symbol gives the formula itself:

    >>> import sympy
    >>> sigmoid(sympy.Symbol("z"))
    1/(1 + exp(-z))
    >>> sigmoid(None)
    Traceback (most recent call last):
        ...
    TypeError: sigmoid: expected a number, got NoneType None
    """
    try:
        if x < -700:            # e^(-x) overflows beyond -709; σ(x) = e^x / (1 + e^x) ≈ e^x
            return math.exp(x)
        return 1 / (1 + math.exp(-x))
    except TypeError:
        sympy = _sympy_or_error("sigmoid", x)
        return 1 / (1 + sympy.exp(-x))
    except OverflowError:       # an int beyond a float's range: σ is 0 or 1 to the last bit
        return 1.0 if x > 0 else 0.0


def sigmoid_prime(x):
    """σ'(x) = σ(x)·(1 − σ(x)), the slope of the sigmoid at x.

    The slope is steepest at 0 and vanishes far from it (the sigmoid
    "saturates"):

    >>> sigmoid_prime(0)
    0.25
    >>> round(sigmoid_prime(5), 6)
    0.006648

    The seed's program writes this as ``layer2*(1-layer2)``: the same
    number, computed from the *output* ``layer2 = σ(x)`` instead of from x.

    >>> s = sigmoid(1.5)
    >>> sigmoid_prime(1.5) == s * (1 - s)
    True
    >>> sigmoid_prime([1])
    Traceback (most recent call last):
        ...
    TypeError: sigmoid_prime: expected a number, got list [1]
    """
    try:
        s = sigmoid(x)
    except TypeError:
        raise _not_a_number("sigmoid_prime", x) from None
    return s * (1 - s)      # d/dx σ = σ(1 − σ)


# --- tanh ----------------------------------------------------------------

def tanh(x):
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)), a value between −1 and 1.

    It is a sigmoid stretched to (−1, 1): tanh(x) = 2σ(2x) − 1.

    >>> tanh(0)
    0.0
    >>> round(tanh(1), 6), round(2 * sigmoid(2) - 1, 6)
    (0.761594, 0.761594)
    >>> tanh(1e308), tanh(-1e308), tanh(-10**400)
    (1.0, -1.0, -1.0)
    >>> import sympy
    >>> tanh(sympy.Symbol("z"))
    tanh(z)
    """
    try:
        return math.tanh(x)
    except TypeError:
        return _sympy_or_error("tanh", x).tanh(x)
    except OverflowError:       # an int beyond a float's range: tanh is ±1 to the last bit
        return 1.0 if x > 0 else -1.0


def tanh_prime(x):
    """tanh'(x) = 1 − tanh(x)², the slope of tanh at x.

    >>> tanh_prime(0)
    1.0
    >>> round(tanh_prime(1), 6)
    0.419974
    >>> tanh_prime(1e308)
    0.0
    """
    try:
        t = tanh(x)
    except TypeError:
        raise _not_a_number("tanh_prime", x) from None
    return 1 - t * t        # d/dx tanh = 1 − tanh²


# --- relu ----------------------------------------------------------------

def relu(x):
    """relu(x) = max(0, x): negative sums are cut to 0, positive ones pass.

    >>> [relu(v) for v in (-2, 0, 3)]
    [0, 0, 3]
    >>> relu(-0.5), relu(float("nan"))
    (0, nan)

    NaN stays NaN, as in PyTorch (the test ``x <= 0`` is false for it).  A
    sympy symbol gives sympy's ``Max``:

    >>> import sympy
    >>> relu(sympy.Symbol("z"))
    Max(0, z)
    """
    try:
        return 0 if x <= 0 else x
    except TypeError:
        return _sympy_or_error("relu", x).Max(0, x)


def relu_prime(x):
    """relu'(x) = 1 for x > 0, else 0.

    At x = 0 the slope is undefined; like PyTorch, refnn takes 0 there.

    >>> [relu_prime(v) for v in (-2, 0, 3)]
    [0, 0, 1]
    >>> import sympy
    >>> relu_prime(sympy.Symbol("z"))
    Piecewise((1, z > 0), (0, True))
    """
    try:
        return 1 if x > 0 else 0
    except TypeError:
        sympy = _sympy_or_error("relu_prime", x)
        return sympy.Piecewise((1, x > 0), (0, True))


# --- sign and step: the threshold functions ------------------------------

def sign(x):
    """sign(x) = +1 for x > 0, −1 for x < 0, and 0 at x = 0.

    The perceptron's activation (the seed's formula (1)).  The seed leaves
    x = 0 open; here, as in ``math`` and PyTorch, sign(0) is 0, so a point
    exactly on the boundary belongs to neither class.

    >>> [sign(v) for v in (-3.5, 0, 2)]
    [-1, 0, 1]

    NaN lies on neither side of 0, so it is refused rather than called 0:

    >>> sign(float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: sign: x is NaN, which lies on neither side of 0
    """
    _threshold_input("sign", x)
    return 1 if x > 0 else -1 if x < 0 else 0


def sign_prime(x):
    """sign'(x) = 0 for x ≠ 0 (undefined at 0, taken as 0).

    Its slope is flat everywhere, so gradient descent cannot train a sign
    neuron: that is why the perceptron has its own learning rule, and why
    the MLP uses the sigmoid.

    >>> [sign_prime(v) for v in (-1, 0, 1)]
    [0, 0, 0]
    """
    _threshold_input("sign_prime", x)
    return 0


def step(x):
    """step(x) = 1 for x ≥ 0, else 0: the threshold of the McCulloch–Pitts neuron.

    A neuron fires (1) when its weighted sum reaches the threshold θ, that
    is when Σ w·x − θ ≥ 0.

    >>> [step(v) for v in (-1, 0, 1)]
    [0, 1, 1]
    >>> step(float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: step: x is NaN, which lies on neither side of 0
    """
    _threshold_input("step", x)
    return 1 if x >= 0 else 0


def step_prime(x):
    """step'(x) = 0 for x ≠ 0 (undefined at 0, taken as 0).

    >>> [step_prime(v) for v in (-1, 0, 1)]
    [0, 0, 0]
    """
    _threshold_input("step_prime", x)
    return 0
