"""The multi-layer perceptron, trained by back-propagation, in the classic program's words.

A network is a list of weight matrices, one per pair of neighbouring layers,
each of shape ``(n_in, n_out)``: row i holds the weights out of input i,
column j the weights into neuron j.  Samples are the rows of ``x``.

**The notation, used on every page of the book.**  It is the classic
11-line NumPy program's (Andrew Trask, 2015, whose loop the seed quotes):
``layer0`` is the input x, ``layer1`` the hidden layer, ``layer2`` the
output; ``weight0`` is the first weight matrix (3×4 in the XOR net, from
layer0 to layer1), ``weight1`` the second (4×1).  A deeper net has
``layers[k]`` and ``weights[k]``, with ``layers[k + 1] = σ(layers[k] ·
weights[k])``.  The seed's worked example numbers differently: it calls the
first hidden neuron's sum ``layer0`` (``layer0 = 1*2 + 1*3 + (-1)*0``) and
the two columns of its one weight matrix ``weight0`` and ``weight1``.  Here
that sum is entry (0, 0) of ``layer0 · weight0``, that is ``layer1[0][0]``
before the sigmoid, and the seed's ``weight0``, ``weight1`` are the
columns of ``weight0``.

Three short functions do all the work:

* :func:`forward` computes every layer, ``layer0 = x`` and
  ``layer1 = σ(layer0 · weight0)``, ``layer2 = σ(layer1 · weight1)``, ...;
* :func:`backward` turns the error at the output into ∂E/∂w for every weight;
* :func:`train` repeats the classic loop: forward, ``error = y - layer2``,
  ``delta = error * σ'``, ``weight += lr * layerᵀ · delta``.

The classic program learns the XOR of the first two inputs (the third
input is always 1).  Its loss falls as it learns:

>>> x = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
>>> y = [[0], [1], [1], [0]]
>>> trained = train(x, y, init_weights([3, 4, 1], seed=1), epochs=1000, lr=1)
>>> [round(trained.history[epoch], 6) for epoch in (0, 999)]
[0.504273, 0.004154]
>>> [round(row[0], 2) for row in forward(trained.weights, x)[-1]]
[0.04, 0.96, 0.95, 0.05]

After the classic 60000 epochs the outputs lie within 0.01 of the targets
(see ``docs/04-backprop.md``).  Biases are optional and kept in a list of
their own (never hidden as a last weight): :func:`init_biases`.  Every
function checks its arguments before it computes and changes none of them;
three inputs need a weight matrix of three rows:

>>> forward(init_weights([2, 1], seed=0), x)
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: forward: x (4, 3) @ weights[0] (2, 1): inner sizes 3 and 2 differ
"""
from typing import NamedTuple

from refnn.activations import clamped_log, sigmoid_prime_from_output
from refnn._checks import (
    _check_backward, _check_network, _check_trained, _check_training, _finite_loss,
    _loss_arguments, _network_generator,
)
from refnn._kernels import (
    _difference, _floats, _gradient_step, _matmul_by_transpose, _matmul_plus_bias, _sigmoid_rows,
    _times_sigmoid_slope, _transpose_matmul,
)

__all__ = [
    "init_weights", "init_biases", "forward", "squared_error", "binary_cross_entropy", "backward",
    "Gradients", "train", "Training", "sigmoid_prime_from_output",
]


# --- the starting weights ------------------------------------------------

def init_weights(sizes, seed=None, generator=None):
    """One (n_in, n_out) matrix for each pair of neighbouring layer sizes, uniform in [−1, 1).

    Each weight is ``2 * r - 1`` for ``r = generator.random()``, drawn layer
    by layer and row by row: the classic program's
    ``2*np.random.random((3, 4)) - 1``.
    Pass a ``seed`` (an int) or a ``generator`` (a ``random.Random``); the
    same seed gives the same weights on every machine.  Python's generator
    is not NumPy's, so ``seed=1`` does not give ``np.random.seed(1)``'s
    numbers: to reproduce a NumPy run, pass its starting weights to
    :func:`train`.

    >>> import random
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

    The sizes are checked, and the weights counted, before any is drawn.
    """
    g = _network_generator("init_weights", sizes, seed, generator)
    return [[[2 * g.random() - 1 for _ in range(n_out)] for _ in range(n_in)]   # 2*random((n_in, n_out)) - 1
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

    refnn draws no numbers without a seed:

    >>> init_biases([3, 4, 1])
    Traceback (most recent call last):
        ...
    TypeError: init_biases: give a seed (an int) or a generator (a random.Random)
    """
    g = _network_generator("init_biases", sizes, seed, generator, biases=True)
    return [[2 * g.random() - 1 for _ in range(n)] for n in sizes[1:]]


# --- forward -------------------------------------------------------------

def forward(weights, x, biases=None):
    """[layer0, layer1, ...]: layer0 = x, layer_{k+1} = σ(layer_k · weights[k] + biases[k]).

    The loop body the seed quotes, for any number of layers; every layer is
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
    """
    _check_network("forward", weights, biases, x)
    return _forward(weights, [list(row) for row in x], biases)


def _forward(weights, layer0, biases=None):
    """[layer0, layer1, ...], unchecked: layers[k + 1] = σ(layers[k] · weights[k] + biases[k])."""
    layers = [layer0]
    for k, weight in enumerate(weights):
        bias = None if biases is None else biases[k]
        layers.append(_sigmoid_rows(_matmul_plus_bias(layers[k], weight, bias)))
    return layers


# --- the error and the loss ----------------------------------------------

def squared_error(y, output):
    """E = ½ Σ (y − ŷ)², the classic loss: half the sum of the squared errors ``y - layer2``.

    The ½ makes its slope plain: ∂E/∂ŷ = −(y − ŷ), so gradient descent with
    lr = 1 is the classic update ``weight += layerᵀ · delta`` exactly.  It is
    a sum over all samples (PyTorch's ``MSELoss`` takes the mean, without ½).

    >>> squared_error([[0], [1]], [[0.5], [0.5]])      # ½ (0.25 + 0.25)
    0.25
    >>> squared_error([1, 0], [1, 0])
    0.0

    y and output must have one shape; NaN is refused, and so is a loss too
    large for a float.
    """
    y, output = _loss_arguments("squared_error", y, output, finite=True)
    E = _half_sum_of_squares(_difference(y, output))
    return _finite_loss("squared_error", E, "scale y and output down")


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
    y, output = _loss_arguments("binary_cross_entropy", y, output, probabilities=True)
    return _cross_entropy(y, output)


def _half_sum_of_squares(error):
    """½ Σ error², over every entry: the squared error, from the error ``y - layer2``."""
    return sum(e * e for row in error for e in row) / 2


def _cross_entropy(y, output):
    """−Σ [y ln ŷ + (1 − y) ln(1 − ŷ)] over every entry, each ln clamped at −100."""
    return -sum(t * clamped_log(o) + (1 - t) * clamped_log(1 - o)
                for t_row, o_row in zip(y, output) for t, o in zip(t_row, o_row))


# --- backward ------------------------------------------------------------

class Gradients(NamedTuple):
    """∂E/∂w for every weight matrix and ∂E/∂b for every bias vector, as :func:`backward` returns them.

    >>> Gradients(weights=[[[0.5]]], biases=[[0.25]]).weights
    [[[0.5]]]
    """

    weights: list
    biases: list


def backward(weights, layers, y, loss="squared_error"):
    """∂E/∂W = −layerᵀ · delta for every weight matrix, and ∂E/∂b = −Σ delta for every bias.

    ``layers`` is what :func:`forward` returned.  The output's delta is
    ``error * σ'`` with ``error = y - layer2`` (for cross-entropy just the
    error); each earlier delta is ``(delta · weightᵀ) * σ'(layer)``.  The
    classic update ``weight += lr * layerᵀ · delta`` is gradient descent,
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
    """
    _check_backward("backward", weights, layers, y, loss)
    error = _difference(y, layers[-1])                  # error = y - layer2
    deltas = _deltas(weights, layers, _output_delta(loss, error, layers[-1]))
    return Gradients(
        weights=[[[-g for g in row] for row in _transpose_matmul(layer, delta)]     # −layerᵀ · delta
                 for layer, delta in zip(layers, deltas)],
        biases=[[-sum(column) for column in zip(*delta)] for delta in deltas])       # −Σ delta


def _deltas(weights, layers, delta):
    """[delta1, delta2, ...]: the output's delta given, each earlier one (delta · weightᵀ) ⊙ σ'(layer).

    ``deltas[k]`` belongs to ``layers[k + 1]``, the output of ``weights[k]``;
    every one is computed from the weights as they are (the classic program
    computes both deltas before it changes either weight).
    """
    deltas = [delta]
    for k in range(len(weights) - 1, 0, -1):        # back from the output; layer0, the input, has none
        error = _matmul_by_transpose(deltas[0], weights[k])     # the error of layers[k]: delta · weight_kᵀ
        deltas.insert(0, _times_sigmoid_slope(error, layers[k]))  # delta = error * layer*(1-layer)
    return deltas


def _output_delta(loss, error, layer2):
    """The output's delta, −∂E/∂z: error ⊙ σ'(layer2) for squared error, the error itself for cross-entropy.

    For cross-entropy the sigmoid's slope cancels against ∂E/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)).
    """
    return error if loss == "binary_cross_entropy" else _times_sigmoid_slope(error, layer2)


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


def train(x, y, weights, epochs=60000, lr=1, biases=None, loss="squared_error"):
    """The classic loop: forward; error = y − layer2; delta = error·σ'; weight += lr · layerᵀ·delta.

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

    A loss or a weight that overflows stops the training with an error,
    rather than handing back weights of inf and NaN.
    """
    _check_training("train", x, y, weights, epochs, lr, biases, loss)
    layer0, y, lr = _floats(x), _floats(y), float(lr)       # the same numbers, faster to multiply
    weights = [[list(row) for row in weight] for weight in weights]         # new lists: the caller's stay
    biases = None if biases is None else [list(bias) for bias in biases]
    history = []
    # For the 3-4-1 net (two weight matrices) each epoch is the classic program, line by line:
    #   layer1 = σ(layer0 · weight0);  layer2 = σ(layer1 · weight1);  error = y - layer2
    #   delta2 = error * layer2*(1-layer2);  delta1 = (delta2 · weight1ᵀ) * layer1*(1-layer1)
    #   weight1 += lr * layer1ᵀ · delta2;  weight0 += lr * layer0ᵀ · delta1
    for epoch in range(epochs):
        layers = _forward(weights, layer0, biases)          # layer0, layer1, layer2, ...
        error = _difference(y, layers[-1])                  # error = y - layer2
        history.append(_epoch_loss(loss, y, layers[-1], error, epoch))
        deltas = _deltas(weights, layers, _output_delta(loss, error, layers[-1]))
        for k, (layer, delta) in enumerate(zip(layers, deltas)):
            weights[k] = _gradient_step(weights[k], lr, layer, delta)     # weight += lr * layerᵀ · delta
            if biases is not None:                                          # bias += lr * Σ delta
                biases[k] = [b + lr * sum(column) for b, column in zip(biases[k], zip(*delta))]
    _check_trained("train", weights, biases)
    return Training(weights, biases, history)


def _epoch_loss(loss, y, layer2, error, epoch):
    """The epoch's loss E, from its forward pass, unless it overflowed."""
    E = _half_sum_of_squares(error) if loss == "squared_error" else _cross_entropy(y, layer2)
    return _finite_loss("train", E, f"lower lr, or scale x and y (epoch {epoch})")
