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

Back-propagation has the layers' *outputs* at hand, so the sigmoid's slope
is also written from its output s = σ(z): :func:`sigmoid_prime_from_output`
(the classic program's ``layer2*(1-layer2)``).  The losses take logarithms
of outputs that may be exactly 0: :func:`clamped_log` is ln clamped at −100,
as PyTorch's ``BCELoss`` clamps it.  Every other module calls these
formulas; none types them out again.  A non-number raises ``TypeError``
naming the function.
"""
import math
import numbers

from refnn._checks import _check_log_argument, _check_sigmoid_output, _not_a_number, _sympy_or_error, \
    _threshold_input

__all__ = [
    "sigmoid", "sigmoid_prime", "sigmoid_prime_from_output", "tanh", "tanh_prime", "relu", "relu_prime",
    "sign", "sign_prime", "step", "step_prime", "clamped_log",
]


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
    σ(x) is computed as e^x there (the two agree to the last bit), and an
    int too large for a float gives 0 or 1.  A sympy symbol gives the
    formula itself:

    >>> import sympy
    >>> sigmoid(sympy.Symbol("z"))
    1/(1 + exp(-z))
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

    The classic program writes this as ``layer2*(1-layer2)``: the same
    number, computed from the *output* ``layer2 = σ(x)`` instead of from x
    (:func:`sigmoid_prime_from_output`).

    >>> sigmoid_prime(1.5) == sigmoid_prime_from_output(sigmoid(1.5))
    True
    """
    try:
        s = sigmoid(x)
    except TypeError:
        raise _not_a_number("sigmoid_prime", x) from None
    return sigmoid_prime_from_output(s)      # d/dx σ = σ(1 − σ)


def sigmoid_prime_from_output(s):
    """σ'(z) = s·(1 − s), written from the sigmoid's OUTPUT s = σ(z), not from z.

    Back-propagation has the outputs at hand (the layers of the forward
    pass), so the classic program writes the slope as ``layer2*(1-layer2)``.
    It is the same number as :func:`sigmoid_prime` at z:

    >>> sigmoid_prime_from_output(0.5)                  # s = σ(0)
    0.25
    >>> sigmoid_prime_from_output(sigmoid(1.5)) == sigmoid_prime(1.5)
    True

    A sigmoid's output lies in [0, 1], so a number outside is refused: it
    is most likely a sum z handed over by mistake (the trap of the classic
    ``nonlin(x, deriv=True)``, which silently computes x(1 − x) for any x).

    >>> sigmoid_prime_from_output(2)
    Traceback (most recent call last):
        ...
    ValueError: sigmoid_prime_from_output: s = 2 is no sigmoid output (those lie in [0, 1]);
        for the slope at a sum z use sigmoid_prime(z)
    """
    _check_sigmoid_output("sigmoid_prime_from_output", s)
    return s * (1 - s)


# --- tanh ----------------------------------------------------------------

def tanh(x):
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)), a value between −1 and 1.

    It is a sigmoid stretched to (−1, 1): tanh(x) = 2σ(2x) − 1.

    >>> tanh(0)
    0.0
    >>> round(tanh(1), 6), round(2 * sigmoid(2) - 1, 6)
    (0.761594, 0.761594)

    Far out it is ±1 (an int too large for a float too); a sympy symbol
    gives the formula:

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

    NaN is refused, as by :func:`sign`.
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


# --- the clamped log of the losses ----------------------------------------

def clamped_log(p):
    """max(ln p, −100): the logarithm PyTorch's ``BCELoss`` takes, clamped below at −100.

    A loss on probabilities takes ln of an output that may be exactly 0;
    clamped, a certain but wrong prediction costs 100 rather than infinity.

    >>> round(clamped_log(0.5), 6), clamped_log(1)
    (-0.693147, 0.0)
    >>> clamped_log(0), clamped_log(1e-50)
    (-100.0, -100.0)

    A sympy expression gives sympy's ``log`` (unclamped: symbols are finite).
    """
    _check_log_argument("clamped_log", p)
    if isinstance(p, numbers.Real):
        return max(math.log(p), -100.0) if p > 0 else -100.0    # PyTorch clamps at −100
    return _sympy_or_error("clamped_log", p).log(p)
