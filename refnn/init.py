"""Weight initialisation with PyTorch's names, formulas and gains, in place on nested lists.

Before a network learns, every weight needs a starting value.  The seed
walks the modules of a network and gives every convolution weights drawn
from a normal distribution whose spread shrinks as the layer grows::

    n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
    m.weight.data.normal_(0, math.sqrt(2. / n))

This module holds those fillers.  Each takes a tensor (a
:class:`refnn.nn.Parameter`, its ``.data``, any Tensor of at least one
dimension) or a nested list, overwrites its numbers **in place** and
returns it: the name ends in ``_``, PyTorch's sign for "changes its
argument".  ``refnn.nn.init`` is this module under PyTorch's other name.

>>> w = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
>>> _ = constant_(w, 0.5)
>>> w
[[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]

The random fillers draw from a ``random.Random``: the ``generator`` given,
or the module's default one, which :func:`manual_seed` reseeds (PyTorch's
``torch.manual_seed``).  The same seed gives the same weights on every
machine, but not PyTorch's weights: the two generators differ.

>>> _ = manual_seed(0)
>>> first = [round(v, 6) for v in uniform_([0.0] * 3, -1, 1)]
>>> _ = manual_seed(0)
>>> [round(v, 6) for v in uniform_([0.0] * 3, -1, 1)] == first
True

The scaled fillers follow the papers through PyTorch's formulas, with the
fans of :func:`_calculate_fan_in_and_fan_out`:

=================  ====================================  ===========================
filler             distribution                          spread
=================  ====================================  ===========================
xavier_uniform_    U(−a, a)                              a = gain·√(6/(fan_in+fan_out))
xavier_normal_     N(0, std²)                            std = gain·√(2/(fan_in+fan_out))
kaiming_uniform_   U(−bound, bound)                      bound = gain·√(3/fan)
kaiming_normal_    N(0, std²)                            std = gain/√fan
=================  ====================================  ===========================

Xavier (Glorot) keeps the variance of signals equal going forward and
backward through a layer; Kaiming (He, "MSRA") keeps it equal through
ReLU layers, which halve it.  Bad arguments raise before anything is
drawn, so nothing is changed by a failed call:

>>> kaiming_normal_([[0.0, 0.0]], mode="fan_sideways")
Traceback (most recent call last):
    ...
ValueError: kaiming_normal_: mode must be 'fan_in' or 'fan_out', got 'fan_sideways'
"""
import math
import random
import statistics

from refnn._checks import _is_number, _is_sequence, _isfinite, _rows, _shape, ShapeError
from refnn.tensors import Tensor

__all__ = [
    "manual_seed", "calculate_gain", "uniform_", "normal_", "constant_", "zeros_", "ones_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
]

# PyTorch's default generator starts from a fixed seed, so an unseeded run
# repeats itself; refnn's default starts from the same number.
_TORCH_DEFAULT_SEED = 67280421310721
_default_generator = random.Random(_TORCH_DEFAULT_SEED)


def manual_seed(seed):
    """Reseed the default generator, from which every filler draws when given no ``generator``.

    PyTorch's ``torch.manual_seed(seed)``; it returns the generator, a
    ``random.Random``.  Layers (``refnn.nn.Linear``, ``Conv2d``) draw their
    starting weights from it too, so seeding first makes a model repeatable:

    >>> _ = manual_seed(42)
    >>> a = normal_([0.0, 0.0])
    >>> _ = manual_seed(42)
    >>> normal_([0.0, 0.0]) == a
    True
    >>> manual_seed(1.5)
    Traceback (most recent call last):
        ...
    TypeError: manual_seed: seed must be an int, got float
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__}")
    _default_generator.seed(seed)
    return _default_generator


# --- gains ----------------------------------------------------------------

_LINEAR_GAINS = ("linear", "conv1d", "conv2d", "conv3d",
                 "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity, param=None):
    """The gain recommended for a nonlinearity: the factor that restores the variance it removes.

    PyTorch's table: 1 for linear layers, convolutions and the sigmoid;
    5/3 for tanh; √2 for ReLU, which zeroes half of its inputs;
    √(2/(1 + negative_slope²)) for leaky ReLU (``param``, default 0.01);
    3/4 for SELU.

    >>> calculate_gain("sigmoid"), calculate_gain("conv2d")
    (1, 1)
    >>> round(calculate_gain("tanh"), 6), round(calculate_gain("relu"), 6)
    (1.666667, 1.414214)
    >>> round(calculate_gain("leaky_relu"), 6), round(calculate_gain("leaky_relu", 0.2), 6)
    (1.414143, 1.38675)

    A leaky ReLU with slope 1 is the identity, whose gain is 1:

    >>> calculate_gain("leaky_relu", 1)
    1.0
    >>> calculate_gain("softmax")
    Traceback (most recent call last):
        ...
    ValueError: calculate_gain: unsupported nonlinearity 'softmax'
    """
    if nonlinearity in _LINEAR_GAINS:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)) or not _isfinite(slope):
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope * slope))   # ReLU's √2 when the slope is 0
    if nonlinearity == "selu":
        return 3.0 / 4                                  # found by experiment (PyTorch PR 50664)
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r:.40}")


# --- filling in place -----------------------------------------------------

def _read(op, tensor):
    """The nested list of numbers of a Tensor (filled in place) or of a nested list, and its shape."""
    values = tensor._value if isinstance(tensor, Tensor) else tensor
    if not isinstance(values, list):
        raise TypeError(f"{op}: expected a nested list or a Tensor of at least one dimension, "
                        f"got {type(tensor).__name__}")
    return values, _shape(op, values)


def _values(op, tensor):
    """The nested list to fill and its shape, checked before any change."""
    values, dims = _read(op, tensor)
    rows = list(_rows(values))
    if any(not isinstance(row, list) for row in rows):
        raise TypeError(f"{op}: cannot fill a tuple in place")
    if len(set(map(id, rows))) != len(rows):     # [[0.0] * 3] * 2 repeats one row object
        raise ValueError(f"{op}: some rows are one and the same list, so filling one would fill the "
                         f"other too; build them apart: [[0.0] * n for _ in range(m)]")
    return values, dims


def _fill(tensor, draw):
    """Overwrite every number of a checked nested list by draw(), in reading order."""
    for row in _rows(tensor):
        row[:] = [draw() for _ in row]


def _generator(op, generator):
    if generator is None:
        return _default_generator
    if not isinstance(generator, random.Random):
        raise TypeError(f"{op}: generator must be a random.Random, got {type(generator).__name__}")
    return generator


def _real(op, name, value):
    """A finite real number (not a bool), or a TypeError/ValueError naming it."""
    if isinstance(value, bool) or _is_sequence(value) or not _is_number(value) \
            or hasattr(value, "free_symbols"):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__}")
    if not _isfinite(value):
        raise ValueError(f"{op}: {name} must be finite, got {value!r:.40}")
    return value


def _finite_range(op, low, high):
    """Refuse a range so wide that its width overflows a float: numbers drawn from it would be ±inf."""
    if not math.isfinite(high - low):
        raise ValueError(f"{op}: the numbers would be drawn from [{low:.3g}, {high:.3g}], "
                         f"too wide for a float")


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with numbers drawn from U(a, b), the uniform distribution on [a, b).

    Each number is ``generator.uniform(a, b)``, drawn in reading order.
    Mean (a + b)/2, variance (b − a)²/12.

    >>> g = random.Random(0)
    >>> w = uniform_([[0.0, 0.0], [0.0, 0.0]], -1, 1, generator=g)
    >>> [[round(v, 6) for v in row] for row in w]
    [[0.688844, 0.515909], [-0.158857, -0.482166]]
    >>> w[0][0] == random.Random(0).uniform(-1, 1)
    True

    ``a == b`` fills with that number; ``a > b`` is refused:

    >>> uniform_([0.0], 2, 2)
    [2.0]
    >>> uniform_([0.0], 1, 0)
    Traceback (most recent call last):
        ...
    ValueError: uniform_: a = 1 must not exceed b = 0
    >>> uniform_([0.0], -1e308, 1e308)
    Traceback (most recent call last):
        ...
    ValueError: uniform_: the numbers would be drawn from [-1e+308, 1e+308], too wide for a float
    """
    values, _ = _values("uniform_", tensor)
    a, b = _real("uniform_", "a", a), _real("uniform_", "b", b)
    if a > b:
        raise ValueError(f"uniform_: a = {a} must not exceed b = {b}")
    _finite_range("uniform_", a, b)
    g = _generator("uniform_", generator)
    _fill(values, lambda: g.uniform(a, b))
    return tensor


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with numbers drawn from N(mean, std²), the normal (Gaussian) distribution.

    Each number is ``generator.gauss(mean, std)``, drawn in reading order.
    The seed's ``m.weight.data.normal_(0, math.sqrt(2. / n))`` calls this.

    >>> w = normal_([[0.0, 0.0, 0.0]], 0, 0.1, generator=random.Random(0))
    >>> [round(v, 6) for v in w[0]]
    [0.094172, -0.139658, -0.067971]

    ``std = 0`` fills with the mean; a negative ``std`` is refused:

    >>> normal_([0.0, 0.0], 3, 0)
    [3.0, 3.0]
    >>> normal_([0.0], 0, -1)
    Traceback (most recent call last):
        ...
    ValueError: normal_: std must be at least 0, got -1
    """
    values, _ = _values("normal_", tensor)
    mean, std = _real("normal_", "mean", mean), _real("normal_", "std", std)
    if std < 0:
        raise ValueError(f"normal_: std must be at least 0, got {std}")
    _finite_range("normal_", mean - 9 * std, mean + 9 * std)    # Python's gauss stays within 8.6 std
    g = _generator("normal_", generator)
    _fill(values, lambda: g.gauss(mean, std))
    return tensor


def constant_(tensor, val):
    """Fill with the number ``val``.

    >>> constant_([[1, 2], [3, 4]], 0.25)
    [[0.25, 0.25], [0.25, 0.25]]

    Any number, even an exact Fraction, is written as it is:

    >>> from fractions import Fraction
    >>> constant_([0, 0], Fraction(1, 3))
    [Fraction(1, 3), Fraction(1, 3)]
    >>> constant_([0.0], "1")
    Traceback (most recent call last):
        ...
    TypeError: constant_: val must be a number, got str
    """
    values, _ = _values("constant_", tensor)
    if _is_sequence(val) or not _is_number(val):
        raise TypeError(f"constant_: val must be a number, got {type(val).__name__}")
    _fill(values, lambda: val)
    return tensor


def zeros_(tensor):
    """Fill with 0.0: how PyTorch users reset a bias, ``init.zeros_(m.bias)``.

    >>> zeros_([[1.5, -2.0], [3.0, 4.0]])
    [[0.0, 0.0], [0.0, 0.0]]
    >>> zeros_(None)
    Traceback (most recent call last):
        ...
    TypeError: zeros_: expected a nested list or a Tensor of at least one dimension, got NoneType
    """
    values, _ = _values("zeros_", tensor)
    _fill(values, float)            # float() is 0.0
    return tensor


def ones_(tensor):
    """Fill with 1.0.

    >>> ones_([[0.0, 0.0, 0.0]])
    [[1.0, 1.0, 1.0]]
    >>> ones_([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: ones_: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    values, _ = _values("ones_", tensor)
    _fill(values, lambda: 1.0)
    return tensor


# --- fans and the scaled fillers -----------------------------------------

def _fans(op, dims):
    """(fan_in, fan_out) of a weight of shape dims = (out, in, *kernel)."""
    if len(dims) < 2:
        raise ShapeError(f"{op}: fan in and fan out can not be computed for a tensor of shape {dims}, "
                         f"which has fewer than 2 dimensions")
    if 0 in dims:
        raise ShapeError(f"{op}: a tensor of shape {dims} has no entries to initialise")
    receptive_field = math.prod(dims[2:])       # 1 for a Linear weight (out, in)
    return dims[1] * receptive_field, dims[0] * receptive_field


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out): the inputs and outputs each weight of a layer is shared among.

    PyTorch's function of the same name.  A weight has shape
    ``(out, in, *kernel)``: a Linear weight ``(out_features, in_features)``,
    a Conv2d weight ``(out_channels, in_channels, kH, kW)``.  Each output
    sums ``fan_in = in · kH · kW`` inputs, and each input reaches
    ``fan_out = out · kH · kW`` outputs (the receptive field counts).

    >>> _calculate_fan_in_and_fan_out([[0.0] * 3] * 2)          # Linear(3, 2)
    (3, 2)
    >>> conv = [[[[0.0] * 5] * 5] * 3] * 16                      # Conv2d(3, 16, 5)
    >>> _calculate_fan_in_and_fan_out(conv)
    (75, 400)
    >>> _calculate_fan_in_and_fan_out([0.0, 0.0])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: _calculate_fan_in_and_fan_out: fan in and fan out can not be computed for a \
tensor of shape (2,), which has fewer than 2 dimensions
    """
    op = "_calculate_fan_in_and_fan_out"
    return _fans(op, _read(op, tensor)[1])


def _xavier_std(op, tensor, gain):
    values, dims = _values(op, tensor)
    fan_in, fan_out = _fans(op, dims)
    return values, _real(op, "gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Fill with U(−a, a), a = gain·√(6/(fan_in + fan_out)): Glorot and Bengio's (Xavier) uniform.

    The bound gives the variance a²/3 = gain²·2/(fan_in + fan_out), the
    harmonic middle of what the forward pass (1/fan_in) and the backward
    pass (1/fan_out) each want.  A Linear(3, 2) weight has a = √(6/5):

    >>> w = xavier_uniform_([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], generator=random.Random(0))
    >>> bound = math.sqrt(6 / 5)
    >>> [[round(v / bound, 6) for v in row] for row in w]
    [[0.688844, 0.515909, -0.158857], [-0.482166, 0.022549, -0.190132]]

    Each number is ``uniform(-bound, bound)``: the same draws as
    :func:`uniform_`'s example, scaled.  The gain of the nonlinearity that
    follows widens the bound:

    >>> w = xavier_uniform_([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], gain=5 / 3, generator=random.Random(0))
    >>> round(w[0][0] / bound, 6)                         # 5/3 · 0.688844
    1.148073

    Rows that are one list object (``[[0.0] * 3] * 2``) would all get the
    same numbers, so they are refused; a vector has no fans:

    >>> xavier_uniform_([[0.0] * 3] * 2)
    Traceback (most recent call last):
        ...
    ValueError: xavier_uniform_: some rows are one and the same list, so filling one would fill the other \
too; build them apart: [[0.0] * n for _ in range(m)]
    >>> xavier_uniform_([0.0, 0.0])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: xavier_uniform_: fan in and fan out can not be computed for a tensor of shape \
(2,), which has fewer than 2 dimensions
    """
    values, std = _xavier_std("xavier_uniform_", tensor, gain)
    a = math.sqrt(3.0) * std                    # U(−a, a) has variance a²/3
    _finite_range("xavier_uniform_", -a, a)
    g = _generator("xavier_uniform_", generator)
    _fill(values, lambda: g.uniform(-a, a))
    return tensor


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Fill with N(0, std²), std = gain·√(2/(fan_in + fan_out)): Xavier's normal variant.

    >>> w = xavier_normal_([[0.0] * 4 for _ in range(4)], generator=random.Random(0))  # std = √(2/8)
    >>> [round(v, 6) for v in w[0]]
    [0.470858, -0.698289, -0.339857, 0.185252]
    >>> xavier_normal_([[0.0]], gain="2")
    Traceback (most recent call last):
        ...
    TypeError: xavier_normal_: gain must be a real number, got str
    """
    values, std = _xavier_std("xavier_normal_", tensor, gain)
    _finite_range("xavier_normal_", -9 * std, 9 * std)
    g = _generator("xavier_normal_", generator)
    _fill(values, lambda: g.gauss(0.0, std))
    return tensor


def _kaiming_std(op, tensor, a, mode, nonlinearity):
    """gain/√fan for Kaiming's fillers, every argument checked first."""
    values, dims = _values(op, tensor)
    if not isinstance(mode, str) or mode.lower() not in ("fan_in", "fan_out"):
        raise ValueError(f"{op}: mode must be 'fan_in' or 'fan_out', got {mode!r:.40}")
    fan_in, fan_out = _fans(op, dims)
    try:
        gain = calculate_gain(nonlinearity, a)
    except ValueError as err:
        raise ValueError(f"{op}: {str(err).removeprefix('calculate_gain: ')}") from None
    return values, gain / math.sqrt(fan_in if mode.lower() == "fan_in" else fan_out)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with U(−bound, bound), bound = gain·√(3/fan): He et al.'s (MSRA) uniform.

    ``fan`` is fan_in (keeps the forward pass's variance, the default) or
    fan_out (the backward pass's); ``gain = calculate_gain(nonlinearity, a)``
    where ``a`` is the negative slope of a leaky ReLU.  With ``a = √5``, the
    gain is √(1/3) and the bound 1/√fan_in: PyTorch's default for Linear
    and Conv2d weights.

    >>> w = kaiming_uniform_([[0.0] * 4 for _ in range(3)], a=math.sqrt(5), generator=random.Random(0))
    >>> [round(v, 6) for v in w[0]]                        # U(-1/√4, 1/√4)
    [0.344422, 0.257954, -0.079428, -0.241083]

    ``nonlinearity="relu"`` gives bound √(6/fan), the ReLU network's choice,
    here √(6/6) = 1; ``mode`` may be spelled in capitals, as PyTorch allows:

    >>> w = kaiming_uniform_([[0.0] * 6 for _ in range(2)], mode="FAN_IN", nonlinearity="relu",
    ...                      generator=random.Random(0))
    >>> [round(v, 6) for v in w[0]]
    [0.688844, 0.515909, -0.158857, -0.482166, 0.022549, -0.190132]
    >>> kaiming_uniform_([[0.0]], nonlinearity="swish")
    Traceback (most recent call last):
        ...
    ValueError: kaiming_uniform_: unsupported nonlinearity 'swish'
    """
    values, std = _kaiming_std("kaiming_uniform_", tensor, a, mode, nonlinearity)
    bound = math.sqrt(3.0) * std               # U(−b, b) has variance b²/3
    g = _generator("kaiming_uniform_", generator)
    _fill(values, lambda: g.uniform(-bound, bound))
    return tensor


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with N(0, std²), std = gain/√fan: He et al.'s (MSRA) normal.

    The seed's convolution rule ``normal_(0, math.sqrt(2. / n))`` with
    ``n = kH·kW·out_channels`` is this filler with ``mode="fan_out"`` and
    ``nonlinearity="relu"``: gain² = 2 and fan_out = out_channels·kH·kW.

    >>> conv_weight = lambda: [[[[0.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 0.0]]]]  # Conv2d(1, 2, 2)
    >>> w1 = kaiming_normal_(conv_weight(), mode="fan_out", nonlinearity="relu", generator=random.Random(5))
    >>> w2 = normal_(conv_weight(), 0, math.sqrt(2. / (2 * 2 * 2)), generator=random.Random(5))
    >>> w1 == w2
    True
    >>> [round(v, 6) for v in w1[0][0][0]]
    [-0.589421, -0.57408]
    >>> kaiming_normal_([[0.0]], mode="fan")
    Traceback (most recent call last):
        ...
    ValueError: kaiming_normal_: mode must be 'fan_in' or 'fan_out', got 'fan'
    """
    values, std = _kaiming_std("kaiming_normal_", tensor, a, mode, nonlinearity)
    g = _generator("kaiming_normal_", generator)
    _fill(values, lambda: g.gauss(0.0, std))
    return tensor


# --- the default generator, by PyTorch's name (refnn.utils.data shuffles with it) --------------

default_generator = _default_generator


# --- structured fillers: a truncated normal, an orthogonal matrix, the identity ------------------

__all__ += ["trunc_normal_", "orthogonal_", "eye_", "dirac_"]


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with N(mean, std²) cut to [a, b]: a normal draw, never far out in the tails.

    PyTorch's method: draw p uniformly between Φ((a − mean)/std) and
    Φ((b − mean)/std), where Φ is the normal distribution's CDF, and take
    ``mean + std·Φ⁻¹(p)``, the number below which a fraction p of the normal
    lies.  Every number lands in [a, b] and keeps the bell's shape inside.
    With the defaults no number is beyond two standard deviations:

    >>> w = trunc_normal_([[0.0] * 4 for _ in range(2)], generator=random.Random(0))
    >>> [[round(v, 6) for v in row] for row in w]
    [[0.949239, 0.662634, -0.191197, -0.613157], [0.026979, -0.22945, 0.741767, -0.489449]]
    >>> w = trunc_normal_([0.0] * 1000, std=0.02, a=-0.04, b=0.04, generator=random.Random(1))
    >>> -0.04 <= min(w) and max(w) <= 0.04
    True
    >>> trunc_normal_([0.0], a=1, b=-1)
    Traceback (most recent call last):
        ...
    ValueError: trunc_normal_: a = 1 must be less than b = -1
    """
    op = "trunc_normal_"
    values, _ = _values(op, tensor)
    mean, std, a, b = (_real(op, name, v) for name, v in (("mean", mean), ("std", std), ("a", a), ("b", b)))
    if std <= 0:
        raise ValueError(f"{op}: std must be positive, got {std}")
    if a >= b:
        raise ValueError(f"{op}: a = {a} must be less than b = {b}")
    normal = statistics.NormalDist(mean, std)
    low, high = normal.cdf(a), normal.cdf(b)            # the bell's mass below a and below b
    g = _generator(op, generator)
    _fill(values, lambda: _inside(normal, g.uniform(low, high), a, b))
    return tensor


def _inside(normal, p, a, b):
    """normal's inverse CDF at p, kept in [a, b] (PyTorch clamps; p = 0 or 1 has no inverse)."""
    if not 0 < p < 1:
        return a if p <= 0 else b
    return min(max(normal.inv_cdf(p), a), b)


def orthogonal_(tensor, gain=1.0, generator=None):
    """Fill with a (semi-)orthogonal matrix times gain: Q of the QR decomposition of a normal draw.

    Saxe et al. (2013): the rows (or columns, whichever are fewer) of an
    orthogonal W are unit vectors at right angles, so ``W·x`` keeps the
    length of x, and a deep stack of such layers neither blows up nor dies
    out.  PyTorch's recipe: draw a normal matrix (rows × the rest), take Q of
    its QR decomposition (here by Gram–Schmidt, done twice for accuracy),
    with R's diagonal made positive so that Q is uniformly distributed.

    >>> w = orthogonal_([[0.0] * 3 for _ in range(3)], generator=random.Random(0))
    >>> [round(v, 6) for v in w[0]]
    [0.916314, 0.358109, -0.179241]
    >>> dots = [sum(w[i][k] * w[j][k] for k in range(3)) for i, j in ((0, 0), (0, 1), (2, 2))]
    >>> [round(d, 6) for d in dots] == [1.0, 0.0, 1.0]       # WWᵀ = I (0.0 or -0.0: sum() differs from 3.12)
    True

    A wide matrix gets orthonormal rows, a tall one orthonormal columns;
    a convolution's weight (out, in, kH, kW) is flattened to out × (in·kH·kW):

    >>> w = orthogonal_([[0.0] * 4, [0.0] * 4], generator=random.Random(0))
    >>> round(sum(v * v for v in w[1]), 6), round(abs(sum(x * y for x, y in zip(*w))), 6)   # |row|, row·row
    (1.0, 0.0)
    >>> orthogonal_([0.0, 0.0])
    Traceback (most recent call last):
        ...
    ValueError: orthogonal_: Only tensors with 2 or more dimensions are supported
    """
    op = "orthogonal_"
    values, dims = _values(op, tensor)
    if len(dims) < 2:
        raise ValueError(f"{op}: Only tensors with 2 or more dimensions are supported")
    gain, g = _real(op, "gain", gain), _generator(op, generator)
    rows, cols = dims[0], math.prod(dims[1:])
    if rows * cols == 0:
        return tensor
    drawn = [[g.gauss(0.0, 1.0) for _ in range(cols)] for _ in range(rows)]
    q = _orthonormal_columns(drawn if rows >= cols else _transpose(drawn))    # Q of drawn (or of its ᵀ)
    q = q if rows >= cols else _transpose(q)
    numbers = iter([gain * v for row in q for v in row])
    _fill(values, lambda: next(numbers))
    return tensor


def _transpose(m):
    return [list(column) for column in zip(*m)]


def _orthonormal_columns(m):
    """Q of m = QR (m tall: rows ≥ columns), R's diagonal positive: Gram–Schmidt, each column twice."""
    basis = []
    for column in _transpose(m):
        for _ in range(2):                  # "twice is enough" (Kahan): the second pass mends rounding
            for q in basis:
                dot = sum(x * y for x, y in zip(q, column))
                column = [x - dot * y for x, y in zip(column, q)]
        norm = math.sqrt(sum(x * x for x in column))
        basis.append([x / norm for x in column])
    return _transpose(basis)


def eye_(tensor):
    """Fill a matrix with the identity: 1 where row = column, else 0 (a Linear layer that copies its input).

    >>> eye_([[5.0, 5.0, 5.0], [5.0, 5.0, 5.0]])
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    >>> eye_([[[0.0]]])
    Traceback (most recent call last):
        ...
    ValueError: eye_: Only tensors with 2 dimensions are supported
    """
    values, dims = _values("eye_", tensor)
    if len(dims) != 2:
        raise ValueError("eye_: Only tensors with 2 dimensions are supported")
    for i, row in enumerate(values):
        row[:] = [1.0 if i == j else 0.0 for j in range(len(row))]
    return tensor


def dirac_(tensor, groups=1):
    """Fill a convolution's weight with Dirac's delta (a 1 at each kernel's centre): it copies its input.

    Output channel d of each group takes input channel d, untouched: the
    kernel is 0 everywhere but at its centre.  A Conv2d(1, 1, 3) weight:

    >>> dirac_([[[[0.5] * 3 for _ in range(3)]]])
    [[[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]]

    More output channels than input channels leave the extra kernels 0;
    ``groups`` repeats the pattern for each group of outputs:

    >>> w = dirac_([[[0.0] * 3] for _ in range(2)], groups=2)      # Conv1d(1, 2, 3, groups=2)
    >>> w
    [[[0.0, 1.0, 0.0]], [[0.0, 1.0, 0.0]]]
    >>> dirac_([[0.0]])
    Traceback (most recent call last):
        ...
    ValueError: dirac_: Only tensors with 3, 4, or 5 dimensions are supported
    """
    op = "dirac_"
    values, dims = _values(op, tensor)
    if len(dims) not in (3, 4, 5):
        raise ValueError(f"{op}: Only tensors with 3, 4, or 5 dimensions are supported")
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r:.40}")
    if dims[0] % groups != 0:
        raise ValueError(f"{op}: dim 0 must be divisible by groups")
    _fill(values, float)                                    # 0.0 everywhere first
    per_group = dims[0] // groups
    centre = [n // 2 for n in dims[2:]]
    for g in range(groups):
        for d in range(min(per_group, dims[1])):
            kernel = values[g * per_group + d][d]
            for k in centre[:-1]:
                kernel = kernel[k]
            kernel[centre[-1]] = 1.0
    return tensor
