"""The McCulloch–Pitts neuron and the logic gates built from it.

The seed's M-P model: inputs ``x_1 … x_n`` arrive, each multiplied by its
weight ``w_ij``; the neuron sums them and fires only if the sum reaches its
threshold ``θ_j``::

    y_j = f(Σ_{i=1}^{n} w_ij x_i − θ_j)

with ``f`` the threshold function :func:`refnn.activations.step`
(``step(z) = 1`` for ``z ≥ 0``, else 0).  One neuron with the right
weights and threshold is a logic gate:

>>> AND(1, 1), AND(1, 0)
(1, 0)
>>> print_truth_table(OR)
x1 x2 | OR
 0  0 |  0
 0  1 |  1
 1  0 |  1
 1  1 |  1

Make your own with :class:`MPNeuron` (weights, then θ):

>>> at_least_two = MPNeuron([1, 1, 1], theta=2)
>>> at_least_two(1, 0, 1), at_least_two(0, 0, 1)
(1, 0)

No single neuron computes XOR; two layers do (see :func:`XOR`).  The inputs
of an M-P neuron are all-or-none, 0 or 1, and anything else is refused:

>>> AND(1, 2)
Traceback (most recent call last):
    ...
ValueError: AND: inputs must be 0 or 1, got 2 at position 1
"""
import itertools
from operator import mul

from refnn.activations import step
from refnn._checks import _binary, _neuron, _one_binary_per_weight, _table_inputs

__all__ = ["MPNeuron", "AND", "OR", "NOT", "NAND", "XOR", "truth_table", "print_truth_table"]


class MPNeuron:
    """y = step(Σ w_i x_i − θ): fires (1) when the weighted sum of its inputs reaches θ.

    ``weights`` has one real number per input, ``theta`` is the threshold
    and ``name`` is shown in tables and error messages.  Call the neuron on
    its inputs, as separate arguments or as one list:

    >>> AND = MPNeuron([1, 1], theta=2, name="AND")
    >>> AND
    MPNeuron(weights=[1, 1], theta=2, name='AND')
    >>> AND(1, 1), AND([1, 0]), AND.n_inputs
    (1, 0, 2)

    Reaching the threshold is enough (``step(0) = 1``): with θ = 1 one input
    of two suffices, which is OR.  A negative weight inhibits:

    >>> OR = MPNeuron([1, 1], theta=1)
    >>> [OR(0, 0), OR(0, 1)]
    [0, 1]
    >>> MPNeuron([1, -1], theta=1)(1, 1)       # x1 AND NOT x2
    0

    The inputs are all-or-none, as in McCulloch and Pitts' model (the seed
    leaves them open; the perceptron of :mod:`refnn.perceptron` takes any
    real inputs).  Weights and θ may be ints, floats or Fractions:

    >>> from fractions import Fraction
    >>> MPNeuron([0.5, 0.5], theta=Fraction(1, 2))(0, 1)
    1
    >>> AND(1, 1, 0)
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: AND: expected 2 inputs (one per weight), got 3
    """

    def __init__(self, weights, theta, name=None):
        _neuron(weights, theta, name)       # weights and θ finite real numbers, name a str
        self.weights = list(weights)
        self.theta = theta
        self.name = name

    @property
    def n_inputs(self):
        """The number of inputs, one per weight.

        >>> MPNeuron([1, 1, 1], theta=2).n_inputs
        3
        """
        return len(self.weights)

    def __call__(self, *inputs):
        """step(Σ w_i x_i − θ) for the inputs given, each 0 or 1.

        >>> NAND(1, 1), NAND(*[0, 1]), NAND([0, 1])
        (0, 1, 1)
        """
        x = _one_binary_per_weight(self.name or "MPNeuron", inputs, self.weights)    # NAND([0, 1]) too
        return step(sum(map(mul, self.weights, x)) - self.theta)

    def __repr__(self):
        name = "" if self.name is None else f", name={self.name!r}"
        return f"MPNeuron(weights={self.weights!r}, theta={self.theta!r}{name})"


# --- truth tables ------------------------------------------------------------

def truth_table(gate, n_inputs=None):
    """Every input of ``gate`` with its output: rows ``(x1, …, xn, y)`` in counting order.

    For an :class:`MPNeuron` the number of inputs is known; for a plain
    function such as :func:`XOR` give it.

    >>> truth_table(AND)
    [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    >>> truth_table(NOT)
    [(0, 1), (1, 0)]
    >>> truth_table(lambda a, b, c: int(a + b + c == 1), 3)[:3]
    [(0, 0, 0, 0), (0, 0, 1, 1), (0, 1, 0, 1)]

    Two gates are the same function when their tables agree:

    >>> truth_table(NAND) == truth_table(lambda a, b: NOT(AND(a, b)), 2)
    True

    A table has 2**n rows, so one too large for memory is refused before
    its first row.
    """
    n = _table_inputs("truth_table", gate, n_inputs, MPNeuron)     # an MPNeuron knows n
    return [(*x, gate(*x)) for x in itertools.product((0, 1), repeat=n)]


def print_truth_table(gate, n_inputs=None):
    """Print the truth table of ``gate``: a column per input, then the output.

    The output column is headed by the gate's name.

    >>> print_truth_table(NAND)
    x1 x2 | NAND
     0  0 |    1
     0  1 |    1
     1  0 |    1
     1  1 |    0
    >>> print_truth_table(NOT)
    x1 | NOT
     0 |   1
     1 |   0
    >>> print_truth_table(MPNeuron([1], theta=1))
    x1 | y
     0 | 0
     1 | 1
    """
    n = _table_inputs("print_truth_table", gate, n_inputs, MPNeuron)
    name = getattr(gate, "name", None) or getattr(gate, "__name__", None) or "y"
    if name == "<lambda>":
        name = "y"
    heads = [f"x{i}" for i in range(1, n + 1)]
    print(" ".join(heads), "|", name)
    for *x, y in truth_table(gate, n):
        cells = [str(v).rjust(len(h)) for v, h in zip(x, heads)]
        print(" ".join(cells), "|", str(y).rjust(len(name)))


# --- the gates -------------------------------------------------------------
# Each gate is one neuron; θ is the number of active inputs it needs.

AND = MPNeuron([1, 1], theta=2, name="AND")        # both inputs: 1 + 1 ≥ 2
OR = MPNeuron([1, 1], theta=1, name="OR")          # one input is enough: 1 ≥ 1
NOT = MPNeuron([-1], theta=0, name="NOT")          # fires at rest, an input inhibits: −1 < 0
NAND = MPNeuron([-1, -1], theta=-1, name="NAND")   # NOT AND: only −1 − 1 falls below −1


def XOR(x1, x2):
    """x1 XOR x2 = AND(OR(x1, x2), NAND(x1, x2)): two layers of M-P neurons.

    The hidden layer computes OR and NAND of the inputs, the output neuron
    the AND of those two: "at least one, but not both".

    >>> print_truth_table(XOR, 2)
    x1 x2 | XOR
     0  0 |   0
     0  1 |   1
     1  0 |   1
     1  1 |   0

    The hidden layer moves the four corners so that one neuron can finish
    the job: (0, 0) goes to (0, 1), both (0, 1) and (1, 0) go to (1, 1), and
    (1, 1) goes to (1, 0); AND separates (1, 1) from the other two.

    >>> [(OR(x), NAND(x)) for x in ([0, 0], [0, 1], [1, 0], [1, 1])]
    [(0, 1), (1, 1), (1, 1), (1, 0)]

    One neuron is not enough.  To fire on (0, 1) and on (1, 0) it needs
    ``w2 ≥ θ`` and ``w1 ≥ θ``; to stay silent on (0, 0) it needs ``0 < θ``;
    adding up, ``w1 + w2 ≥ 2θ > θ``, so it fires on (1, 1) as well.  No
    weights escape this, as a search over small ones illustrates:

    >>> target = truth_table(XOR, 2)
    >>> any(truth_table(MPNeuron([w1, w2], theta)) == target
    ...     for w1 in range(-3, 4) for w2 in range(-3, 4) for theta in range(-3, 4))
    False

    In the language of :mod:`refnn.perceptron`: XOR is not linearly
    separable.
    """
    x1, x2 = _binary("XOR", (x1, x2))
    hidden = [OR(x1, x2), NAND(x1, x2)]     # layer 1
    return AND(hidden)                      # layer 2
