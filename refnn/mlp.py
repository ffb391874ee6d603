"""The multi-layer perceptron, trained by back-propagation, in the seed's notation.

A network is a list of weight matrices, one per pair of neighbouring layers,
each of shape ``(n_in, n_out)`` as in the seed: row i holds the weights out
of input i, column j the weights into neuron j.  Samples are the rows of
``x``.  Three short functions do all the work:

* :func:`forward` computes every layer, ``layer0 = x`` and
  ``layer_{k+1} = σ(layer_k · weights[k])``, and returns them all;
* :func:`backward` turns the error at the output into ∂E/∂w for every weight;
* :func:`train` repeats the seed's loop: forward, ``error = y - layer2``,
  ``delta = error * σ'``, ``weight += lr * layerᵀ · delta``.

The seed's classic program learns the XOR of the first two inputs (the third
input is always 1).  Its loss falls as it learns:

>>> x = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
>>> y = [[0], [1], [1], [0]]
>>> trained = train(x, y, init_weights([3, 4, 1], seed=1), epochs=1000, lr=1)
>>> [round(trained.history[epoch], 6) for epoch in (0, 999)]
[0.504273, 0.004154]
>>> [round(row[0], 2) for row in forward(trained.weights, x)[-1]]
[0.04, 0.96, 0.95, 0.05]

After the seed's 60000 epochs the outputs lie within 0.01 of the targets
(see ``docs/04-backprop.md``).  Biases are optional and kept in a list of
their own (never hidden as a last weight): :func:`init_biases`.  Every
function checks its arguments before it computes and changes none of them:

>>> forward(init_weights([2, 1], seed=0), x)
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: forward: x (4, 3) @ weights[0] (2, 1): inner sizes 3 and 2 differ
"""
import math
import numbers
import random
import reprlib
from math import exp
from operator import mul
from typing import NamedTuple

from refnn.activations import sigmoid
from refnn._checks import (
    ShapeError, _check_finite, _count, _is_number, _is_sequence, _isfinite, _matrix, _size, _sympy_or_error,
    _vector, _vector_or_matrix,
)
from refnn._kernels import _linear, _matmul, _transpose

__all__ = [
    "init_weights", "init_biases", "forward", "backward", "train", "Gradients", "Training",
    "sigmoid_prime_from_output", "squared_error", "binary_cross_entropy",
]


# --- starting weights ----------------------------------------------------

def _generator(op, seed, generator):
    """The random.Random to draw from: the one given, or a new one seeded with ``seed``."""
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
    if not _is_sequence(sizes) or len(sizes) < 2:
        raise ValueError(f"{op}: sizes must list at least two layer sizes (inputs, ..., outputs), "
                         f"got {reprlib.repr(sizes):.40}")
    for k, n in enumerate(sizes):
        _size(op, f"sizes[{k}]", n)
    return sizes


def init_weights(sizes, seed=None, generator=None):
    """One (n_in, n_out) matrix for each pair of neighbouring layer sizes, uniform in [−1, 1).

    Each weight is ``2 * r - 1`` for ``r = generator.random()``, drawn layer
    by layer and row by row: the seed's ``2*np.random.random((3, 4)) - 1``.
    Pass a ``seed`` (an int) or a ``generator`` (a ``random.Random``); the
    same seed gives the same weights on every machine.  Python's generator
    is not NumPy's, so ``seed=1`` does not give ``np.random.seed(1)``'s
    numbers: to reproduce a NumPy run, pass its starting weights to
    :func:`train`.

    >>> weights = init_weights([3, 4, 1], seed=1)
    >>> [len(w) for w in weights], [len(w[0]) for w in weights]
    ([3, 4], [4, 1])
    >>> [round(v, 6) for v in weights[1][0] + weights[1][1]]
    [0.52456, -0.995788]
    >>> weights[0][0][0] == 2 * random.Random(1).random() - 1     # the first number drawn
    True
    >>> init_weights([3, 4, 1], seed=1) == weights
    True

    A generator lets one stream feed several draws (weights, then biases):

    >>> g = random.Random(1)
    >>> init_weights([3, 4, 1], generator=g) == weights
    True
    >>> init_weights([3], seed=1)
    Traceback (most recent call last):
        ...
    ValueError: init_weights: sizes must list at least two layer sizes (inputs, ..., outputs), got [3]

    The weights are counted before any is drawn:

    >>> init_weights([10**6, 10**6], seed=1)
    Traceback (most recent call last):
        ...
    ValueError: init_weights: a 1000000-1000000 network would hold 1e+12 numbers;
    refnn's lists hold at most 100000000
    """
    _sizes("init_weights", sizes)
    _count("init_weights", f"a {'-'.join(map(str, sizes))} network",
           sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:])))
    g = _generator("init_weights", seed, generator)
    return [[[2 * g.random() - 1 for _ in range(n_out)] for _ in range(n_in)]
            for n_in, n_out in zip(sizes, sizes[1:])]


def init_biases(sizes, seed=None, generator=None):
    """One bias vector for every layer after the input, uniform in [−1, 1).

    ``biases[k]`` is added to ``layer_k · weights[k]`` before the sigmoid.
    It is a list of its own, not a last row hidden in the weights.

    >>> biases = init_biases([3, 4, 1], seed=2)
    >>> [len(b) for b in biases]
    [4, 1]
    >>> round(biases[1][0], 6)
    0.670998

    The input layer has no bias, so a net of two sizes has one vector:

    >>> [[round(v, 6) for v in b] for b in init_biases([2, 1], seed=0)]
    [[0.688844]]
    >>> init_biases([3, 0], seed=0)
    Traceback (most recent call last):
        ...
    ValueError: init_biases: sizes[1] must be at least 1, got 0

    refnn draws no numbers without a seed:

    >>> init_biases([3, 4, 1])
    Traceback (most recent call last):
        ...
    TypeError: init_biases: give a seed (an int) or a generator (a random.Random)
    """
    _sizes("init_biases", sizes)
    _count("init_biases", f"the biases of a {'-'.join(map(str, sizes))} network", sum(sizes[1:]))
    g = _generator("init_biases", seed, generator)
    return [[2 * g.random() - 1 for _ in range(n)] for n in sizes[1:]]


# --- checking a network --------------------------------------------------

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


def _check_targets(op, y, n_samples, shapes, loss):
    """Check the targets y against the network's output shape and the loss."""
    if not isinstance(loss, str) or loss not in _LOSSES:
        raise ValueError(f"{op}: loss must be one of {', '.join(map(repr, _LOSSES))}, got {loss!r:.40}")
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


# --- forward -------------------------------------------------------------

def forward(weights, x, biases=None):
    """[layer0, layer1, ...]: layer0 = x, layer_{k+1} = σ(layer_k · weights[k] + biases[k]).

    The seed's loop body, for any number of layers; every layer is
    returned, because back-propagation needs them all.  Each row is one
    sample.  The seed's worked example, through a sigmoid:

    >>> x = [[1, 1, -1], [4, 0, 2], [1, 0, 0]]
    >>> weight = [[2, -1], [3, -2], [0, 1]]
    >>> layer0, layer1 = forward([weight], x)
    >>> layer0 == x, [round(v, 6) for v in layer1[0]]        # σ(5), σ(-4)
    (True, [0.993307, 0.017986])

    Biases shift each neuron's sum before the sigmoid; here they cancel it:

    >>> forward([weight], x, biases=[[-5, 4]])[1][0]
    [0.5, 0.5]

    The numbers are duck-typed: sympy symbols give the formula of the
    network (that is how :mod:`refnn.gradcheck` differentiates it).

    >>> import sympy
    >>> forward([[[sympy.Symbol("w")]]], [[2]])[1]
    [[1/(1 + exp(-2*w))]]
    >>> forward([weight, [[1], [2], [3]]], x)
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: forward: weights[0] (3, 2) gives 2 outputs but weights[1] (3, 1) takes 3 inputs
    """
    _check_network("forward", weights, biases, x)
    return _forward([_transpose(w) for w in weights], biases, [list(row) for row in x])


def _forward(weights_t, biases, x):
    """Every layer, from the weights transposed: ``weights_t[k][j]``, column j of weights[k], feeds neuron j.

    With the columns at hand as rows, each entry is a row of the layer times
    a row of ``weights_t``: the seed's ``nonlin(np.dot(layer, weight))``.
    """
    layers = [x]
    for k, weight_t in enumerate(weights_t):
        layers.append(_sigmoid(_linear(layers[-1], weight_t, None if biases is None else biases[k])))
    return layers


def _sigmoid(z):
    """σ on every entry of a matrix."""
    try:        # the formula written out, one call per row: the training loop's hot spot
        return [[1 / (1 + exp(-v)) for v in row] for row in z]
    except (OverflowError, TypeError):
        return [list(map(sigmoid, row)) for row in z]       # a sum below −709, or sympy: the careful σ


# --- the error and its slope ---------------------------------------------

def sigmoid_prime_from_output(s):
    """σ'(z) = s·(1 − s), written from the sigmoid's OUTPUT s = σ(z), not from z.

    Back-propagation has the outputs at hand (the layers of the forward
    pass), so the seed writes the slope as ``layer2*(1-layer2)``.  It is
    the same number as :func:`refnn.activations.sigmoid_prime` at z:

    >>> from refnn.activations import sigmoid, sigmoid_prime
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
    if _is_sequence(s) or not _is_number(s):
        raise TypeError(f"sigmoid_prime_from_output: expected a number, got {type(s).__name__} {s!r:.40}")
    if isinstance(s, numbers.Real) and not 0 <= s <= 1:
        raise ValueError(f"sigmoid_prime_from_output: s = {s!r} is no sigmoid output (those lie in [0, 1]);"
                         " for the slope at a sum z use sigmoid_prime(z)")
    return s * (1 - s)


def _log(v):
    """ln v, clamped below at −100 as PyTorch's BCELoss clamps it, so a saturated output costs 100."""
    if isinstance(v, numbers.Real):
        return max(math.log(v), -100.0) if v > 0 else -100.0
    return _sympy_or_error("binary_cross_entropy", v).log(v)


def _squared_error(y, output):
    return sum((t - o) * (t - o) for ty, oy in zip(y, output) for t, o in zip(ty, oy)) / 2


def _binary_cross_entropy(y, output):
    return -sum(t * _log(o) + (1 - t) * _log(1 - o) for ty, oy in zip(y, output) for t, o in zip(ty, oy))


def _squared_error_delta(y, output):
    # −∂E/∂z at the output: (y − ŷ)·σ'(z), with σ'(z) = ŷ(1 − ŷ) from the output
    return [[(t - o) * (o * (1 - o)) for t, o in zip(ty, oy)] for ty, oy in zip(y, output)]


def _binary_cross_entropy_delta(y, output):
    # −∂E/∂z at the output: y − ŷ, the sigmoid's slope cancels against ∂E/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ))
    return [[t - o for t, o in zip(ty, oy)] for ty, oy in zip(y, output)]


_LOSSES = {
    "squared_error": (_squared_error, _squared_error_delta),
    "binary_cross_entropy": (_binary_cross_entropy, _binary_cross_entropy_delta),
}


def _finite_loss(op, loss, advice):
    """The loss, unless it overflowed: an inf would look like a number and silently stop learning."""
    if not _isfinite(loss):
        raise ValueError(f"{op}: the loss overflows a float ({loss!r}); {advice}")
    return loss


def _loss_arguments(op, y, output):
    """y and output as matrices of one shape (a vector is one sample)."""
    sy, so = _vector_or_matrix(f"{op}: y", y), _vector_or_matrix(f"{op}: output", output)
    if sy != so:
        raise ShapeError(f"{op}: y {sy} and output {so} differ")
    return ([y], [output]) if len(sy) == 1 else (y, output)


def squared_error(y, output):
    """E = ½ Σ (y − ŷ)², the classic loss: half the sum of the squared errors ``y - layer2``.

    The ½ makes its slope plain: ∂E/∂ŷ = −(y − ŷ), so gradient descent with
    lr = 1 is the seed's update ``weight += layerᵀ · delta`` exactly.  It is
    a sum over all samples (PyTorch's ``MSELoss`` takes the mean, without ½).

    >>> squared_error([[0], [1]], [[0.5], [0.5]])      # ½ (0.25 + 0.25)
    0.25
    >>> squared_error([1, 0], [1, 0])
    0.0
    >>> squared_error([[0, 1]], [[0.5]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: squared_error: y (1, 2) and output (1, 1) differ

    NaN is refused, and so is a loss too large for a float:

    >>> squared_error([1e200], [-1e200])
    Traceback (most recent call last):
        ...
    ValueError: squared_error: the loss overflows a float (inf); scale y and output down
    """
    op = "squared_error"
    y, output = _loss_arguments(op, y, output)
    _check_finite(op, "y", y), _check_finite(op, "output", output)
    return _finite_loss(op, _squared_error(y, output), "scale y and output down")


def binary_cross_entropy(y, output):
    """E = −Σ [y ln ŷ + (1 − y) ln(1 − ŷ)], the loss of outputs read as probabilities.

    After a sigmoid its slope is the simplest of all: ∂E/∂z = ŷ − y, so the
    output's delta is just the error ``y - layer2``, without σ'.  As in
    PyTorch's ``BCELoss`` each logarithm is clamped at −100, so an output of
    exactly 0 or 1 costs 100 rather than infinity; unlike ``BCELoss``
    (a mean) it is a sum over the samples, like :func:`squared_error`.

    >>> round(binary_cross_entropy([[1], [0]], [[0.5], [0.5]]), 6)    # 2 ln 2
    1.386294
    >>> binary_cross_entropy([1], [0.0])
    100.0
    >>> binary_cross_entropy([[1]], [[1.5]])
    Traceback (most recent call last):
        ...
    ValueError: binary_cross_entropy: binary cross-entropy needs output in [0, 1], got 1.5
    """
    y, output = _loss_arguments("binary_cross_entropy", y, output)
    _check_probabilities("binary_cross_entropy", "y", y)
    _check_probabilities("binary_cross_entropy", "output", output)
    return _binary_cross_entropy(y, output)


# --- backward ------------------------------------------------------------

class Gradients(NamedTuple):
    """∂E/∂w for every weight matrix and ∂E/∂b for every bias vector, as :func:`backward` returns them.

    >>> Gradients(weights=[[[0.5]]], biases=[[0.25]]).weights
    [[[0.5]]]
    """

    weights: list
    biases: list


def _deltas(weights, layers, delta):
    """The delta of every layer after the input, the output's given, the others back-propagated.

    ``deltas[k]`` belongs to ``layers[k + 1]`` (the output of ``weights[k]``).
    """
    deltas = [delta]
    for k in range(len(weights) - 1, 0, -1):
        deltas.append(_hidden_delta(deltas[-1], _transpose(weights[k]), layers[k]))
    return deltas[::-1]


def _hidden_delta(delta, weight_t, layer):
    """The delta of a hidden layer, (delta · weightᵀ) ⊙ σ'(layer), from weight_t = weightᵀ.

    ``delta · weightᵀ`` is the error of the layer, ``delta · weight_t`` here;
    σ' comes from the layer's output h: ``sigmoid_prime_from_output(h)``.
    """
    return [[e * (h * (1 - h)) for e, h in zip(e_row, h_row)]
            for e_row, h_row in zip(_matmul(delta, weight_t), layer)]


def backward(weights, layers, y, loss="squared_error"):
    """∂E/∂W = −layerᵀ · delta for every weight matrix, and ∂E/∂b = −Σ delta for every bias.

    ``layers`` is what :func:`forward` returned.  The output's delta is
    ``error * σ'`` with ``error = y - layer2`` (for cross-entropy just the
    error); each earlier delta is ``(delta · weightᵀ) * σ'(layer)``.  The
    seed's update ``weight += lr * layerᵀ · delta`` is gradient descent,
    ``weight -= lr * ∂E/∂W``.  One sample, one weight, by hand: ŷ = σ(0) = ½,
    delta = (1 − ½)·½·½ = ⅛, ∂E/∂w = −x·delta = −2/8:

    >>> weights = [[[0.0]]]
    >>> layers = forward(weights, [[2]])
    >>> backward(weights, layers, [[1]])
    Gradients(weights=[[[-0.25]]], biases=[[-0.125]])

    The bias gradients do not depend on the biases' values: they are what
    a bias in each layer would get (a net without biases ignores them).
    With cross-entropy the delta is the error itself, ½:

    >>> backward(weights, layers, [[1]], loss="binary_cross_entropy")
    Gradients(weights=[[[-1.0]]], biases=[[-0.5]])
    >>> backward(weights, layers, [[1, 0]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: backward: y has shape (1, 2), the network's output has shape (1, 1)
    """
    op = "backward"
    shapes = _check_weights(op, weights)
    _check_layers(op, layers, shapes)
    _check_targets(op, y, len(layers[0]), shapes, loss)
    deltas = _deltas(weights, layers, _LOSSES[loss][1](y, layers[-1]))
    return Gradients(
        weights=[[[-g for g in row] for row in _matmul(_transpose(layer), delta)]
                 for layer, delta in zip(layers, deltas)],
        biases=[[-sum(column) for column in zip(*delta)] for delta in deltas])


def _check_layers(op, layers, shapes):
    if not _is_sequence(layers) or len(layers) != len(shapes) + 1:
        raise ShapeError(f"{op}: layers must be the {len(shapes) + 1} layers forward returned for "
                         f"{len(shapes)} weight matrices")
    n = _matrix(f"{op}: layers[0]", layers[0])[0]
    sizes = [shapes[0][0]] + [n_out for _, n_out in shapes]
    for k, (layer, size) in enumerate(zip(layers, sizes)):
        if _matrix(f"{op}: layers[{k}]", layer) != (n, size):
            raise ShapeError(f"{op}: layers[{k}] has shape {(len(layer), len(layer[0]))}, "
                             f"the weights need {(n, size)}")


# --- training ------------------------------------------------------------

class Training(NamedTuple):
    """What :func:`train` returns: the trained weights and biases (new lists) and the loss of every epoch.

    ``biases`` is None for a network without biases.  ``history[i]`` is the
    loss E of epoch i, from that epoch's forward pass, before its update.

    >>> Training(weights=[[[1.0]]], biases=None, history=[0.5, 0.25]).history[-1]
    0.25

    Its repr is a summary: the shapes of the weights and biases, the number
    of epochs and the first and last loss:

    >>> Training(weights=[[[1.0, 2.0]]], biases=[[0.0, 0.0]], history=[0.5, 0.25])
    Training(weights=[(1, 2)], biases=[(2,)], epochs=2, loss 0.5 -> 0.25)
    """

    weights: list
    biases: list
    history: list

    def __repr__(self):
        """A summary, as PyTorch prints a model: shapes of the weights, epochs, the first and last loss."""
        shapes = ", ".join(f"({len(w)}, {len(w[0]) if w else 0})" for w in self.weights)
        biases = None if self.biases is None else "[" + ", ".join(f"({len(b)},)" for b in self.biases) + "]"
        loss = f", loss {self.history[0]:.6g} -> {self.history[-1]:.6g}" if self.history else ""
        return f"Training(weights=[{shapes}], biases={biases}, epochs={len(self.history)}{loss})"

    def _repr_png_(self):
        """A notebook's picture: the loss curve (None without matplotlib: the notebook shows the repr)."""
        from refnn import plot                      # floor 5, loaded only when a notebook asks for it
        return plot.png(plot.loss_figure, self.history, figsize=(5, 3.5), dpi=80) if self.history else None


def _step(weight_t, delta_columns, layer_columns, lr):
    """(weight + lr · layerᵀ · delta)ᵀ, from weightᵀ and the columns of delta and of the layer."""
    return [[w + lr * sum(map(mul, d_column, column)) for w, column in zip(w_row, layer_columns)]
            for w_row, d_column in zip(weight_t, delta_columns)]


def _check_training(op, x, y, weights, epochs, lr, biases, loss):
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


def _floats(matrix):
    """The matrix with every real number as a float: the same values to the training loop.

    An int times a float makes the same float as two floats do, but takes a
    fifth longer; sympy expressions stay as they are.
    """
    try:
        return [[float(v) for v in row] for row in matrix]
    except TypeError:
        return matrix


def train(x, y, weights, epochs=60000, lr=1, biases=None, loss="squared_error"):
    """The seed's loop: forward; error = y − layer2; delta = error·σ'; weight += lr · layerᵀ·delta.

    Returns :class:`Training`: new weight (and bias) lists, the starting ones
    unchanged, and the loss of every epoch.  The defaults are the classic
    program's: 60000 epochs, lr = 1, squared error, no biases.  Every delta
    is computed from the weights before any of them changes, as in the
    classic program, so from the classic's starting weights refnn repeats
    its every step (to the last digit or two, float64 throughout).

    >>> x = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    >>> y = [[0], [1], [1], [0]]
    >>> start = init_weights([3, 4, 1], seed=1)
    >>> weights, biases, history = train(x, y, start, epochs=500)
    >>> history[-1] < history[0], biases, len(history)
    (True, None, 500)

    After 500 epochs squared error is still on its way; cross-entropy,
    whose delta keeps the full error where σ' is small, is nearly there:

    >>> [round(row[0], 2) for row in forward(weights, x)[-1]]
    [0.16, 0.86, 0.81, 0.16]
    >>> trained = train(x, y, start, epochs=500, loss="binary_cross_entropy")
    >>> [round(row[0], 2) for row in forward(trained.weights, x)[-1]]
    [0.0, 1.0, 1.0, 0.0]

    Biases train alongside the weights when given:

    >>> b = init_biases([3, 4, 1], seed=2)
    >>> trained = train(x, y, start, epochs=500, biases=b, loss="binary_cross_entropy")
    >>> [round(v, 6) for v in b[1]], [round(v, 6) for v in trained.biases[1]]
    ([0.670998], [4.939622])

    Zero epochs return copies; bad data is refused before the first step:

    >>> train(x, y, start, epochs=0).weights == start
    True
    >>> train(x, [[0], [1], [1], [float("nan")]], start)
    Traceback (most recent call last):
        ...
    ValueError: train: y holds nan; learning needs finite numbers

    A loss or a weight that overflows stops the training with an error
    rather than handing back weights of inf and NaN (here the targets were
    not scaled to the sigmoid's range):

    >>> train(x, [[0], [1e200], [1], [0]], start)
    Traceback (most recent call last):
        ...
    ValueError: train: the loss overflows a float (inf); lower lr, or scale x and y (epoch 0)
    """
    op = "train"
    _check_training(op, x, y, weights, epochs, lr, biases, loss)
    x, y, lr = _floats(x), _floats(y), float(lr)     # the same numbers, faster to multiply
    # The loop keeps every weight matrix transposed (new lists: the caller's stay), so that the
    # forward products and the updates run row by row with no transposing of weights in between.
    weights_t = [_transpose(weight) for weight in weights]
    biases = None if biases is None else [list(bias) for bias in biases]
    error_of, delta_of = _LOSSES[loss]
    x_columns = _transpose(x)                   # layer0ᵀ is the same in every epoch
    history = []
    for epoch in range(epochs):
        layers = _forward(weights_t, biases, x)
        loss_value = error_of(y, layers[-1])
        history.append(_finite_loss(op, loss_value, f"lower lr, or scale x and y (epoch {epoch})"))
        delta = delta_of(y, layers[-1])
        for k in range(len(weights_t) - 1, -1, -1):         # from the output back to the input
            weight_t, delta_columns = weights_t[k], list(zip(*delta))
            columns = x_columns if k == 0 else list(zip(*layers[k]))
            weights_t[k] = _step(weight_t, delta_columns, columns, lr)     # weight += lr * layerᵀ · delta
            if biases is not None:              # bias += lr * Σ delta over the samples
                biases[k] = [b + lr * sum(column) for b, column in zip(biases[k], delta_columns)]
            if k:                               # the next delta, from the weights before this step
                delta = _hidden_delta(delta, weight_t, layers[k])
    trained = [v for w in weights_t for row in w for v in row] + [v for b in biases or [] for v in b]
    if not all(map(_isfinite, trained)):
        raise ValueError(f"{op}: the weights overflow a float in the last epoch; lower lr, or scale x and y")
    return Training([_transpose(weight_t) for weight_t in weights_t], biases, history)
