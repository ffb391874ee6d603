"""Arithmetic that prints itself: a step of the classic floors written out with its real numbers.

The seed works its first example by hand, ``layer0 = 1*2 + 1*3 + (-1)*0``.
Each function here writes such a step out, number by number, and returns
the text (``print`` it; ``python -m refnn explain ...`` prints it in a
terminal):

* :func:`matmul`: every entry of a matrix product, a row times a column;
* :func:`neuron`: an M-P neuron's weighted sum against its threshold θ;
* :func:`perceptron`: each update of the perceptron rule, epoch by epoch;
* :func:`backprop`: one step of back-propagation of the classic 3-4-1
  network (forward, ``error = y - layer2``, σ′, delta, the weight change);
* :func:`graph`: the autograd graph behind a tensor, step by step, each
  with its value and its gradient.

The numbers are the library's own (``refnn.matrix``, ``refnn.neuron``,
``refnn.perceptron``, ``refnn.mlp`` compute them; this module writes them
down), written as the seed writes them: a negative factor in parentheses,
a Fraction as ``1/2``, a float rounded to ``digits`` places.

>>> print(matmul([[1, 1, -1]], [[2], [3], [0]]))
entry [i][j] = row i of A times column j of B:
[0][0] = 1*2 + 1*3 + (-1)*0 = 5

The text is plain ASCII (``sigmoid``, ``theta``, ``*``), so that it prints
on any terminal.  :func:`graph` writes out the autograd graph behind a
tensor (:mod:`refnn.autograd`): every step with the value it made and its
gradient, back to the leaves.

>>> matmul([[1, 1, -1]], [[2, 3, 0]])
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: matmul: (1, 3) @ (1, 3): inner sizes 3 and 1 differ
"""
import collections
import contextlib
import itertools
import re
import warnings
from operator import mul

from refnn import autograd, matrix, mlp, tensors
from refnn._checks import _is_sequence, _size
from refnn._nested import _flatten, _shape_of
from refnn.neuron import MPNeuron
from refnn.perceptron import ConvergenceWarning, Perceptron

__all__ = ["matmul", "neuron", "perceptron", "backprop", "graph", "Graph"]


# --- numbers as the seed writes them ---------------------------------------

def _number(v, digits):
    """5, -4, 1/2, a float rounded to ``digits`` places (0.0, never -0.0), anything else as it prints."""
    if isinstance(v, bool):
        v = int(v)                                  # True is the number 1
    if isinstance(v, float):
        return repr(round(v, digits) + 0.0)         # + 0.0 turns -0.0 into 0.0
    return str(v)


_PLAIN = re.compile(r"[\w.]+(e[+-]\d+)?")


def _factor(v, digits):
    """A number as a factor or term: in parentheses unless it is a plain unsigned literal, (-1), (1/2)."""
    text = _number(v, digits)
    return text if _PLAIN.fullmatch(text) else f"({text})"


def _vector(values, digits):
    return "[" + ", ".join(_number(v, digits) for v in values) + "]"


def _products(pairs, digits):
    """a1*b1 + a2*b2 + ...: the terms of a dot product."""
    return " + ".join(f"{_factor(a, digits)}*{_factor(b, digits)}" for a, b in pairs)


def _options(op, digits, shown, name):
    """digits: 0 to 17 places; shown (how many rows, epochs or samples to write out): None or at least 1."""
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"{op}: digits must be an int, got {type(digits).__name__}")
    if not 0 <= digits <= 17:
        raise ValueError(f"{op}: digits must be from 0 to 17 (a float holds 17), got {digits}")
    if shown is not None:
        _size(op, name, shown)


@contextlib.contextmanager
def _named(op):
    """Errors of the library functions called inside, with ``op:`` in front when they do not start with it."""
    try:
        yield
    except (TypeError, ValueError) as err:
        if str(err).startswith(f"{op}:"):
            raise
        raise type(err)(f"{op}: {err}") from None


def _more(n, what):
    return f"... ({n} more {what}{'s' if n != 1 else ''} not shown)"


# --- forward propagation: a row times a column -----------------------------

def matmul(A, B, digits=6, rows_shown=None):
    """C[i][j] = A[i][0]*B[0][j] + A[i][1]*B[1][j] + ...: every entry of A @ B written out.

    The seed's worked example, ``x @ weight``; its first entry is the seed's
    ``1*2 + 1*3 + (-1)*0 = 5``:

    >>> x = [[1, 1, -1], [4, 0, 2], [1, 0, 0]]
    >>> weight = [[2, -1], [3, -2], [0, 1]]
    >>> print(matmul(x, weight))
    entry [i][j] = row i of A times column j of B:
    [0][0] = 1*2 + 1*3 + (-1)*0 = 5
    [0][1] = 1*(-1) + 1*(-2) + (-1)*1 = -4
    [1][0] = 4*2 + 0*3 + 2*0 = 8
    [1][1] = 4*(-1) + 0*(-2) + 2*1 = -2
    [2][0] = 1*2 + 0*3 + 0*0 = 2
    [2][1] = 1*(-1) + 0*(-2) + 0*1 = -1

    ``rows_shown`` limits the rows written out; floats are rounded to
    ``digits`` places and Fractions stay exact.  A vector on the left is one
    row, as in :func:`refnn.matrix.matmul`:

    >>> print(matmul(x, weight, rows_shown=1))
    entry [i][j] = row i of A times column j of B:
    [0][0] = 1*2 + 1*3 + (-1)*0 = 5
    [0][1] = 1*(-1) + 1*(-2) + (-1)*1 = -4
    ... (2 more rows not shown)
    >>> from fractions import Fraction
    >>> print(matmul([0.1, Fraction(1, 2)], [[0.2], [-4]], digits=3))
    entry [j] = the vector A times column j of B:
    [0] = 0.1*0.2 + (1/2)*(-4) = -1.98
    """
    op = "matmul"
    C = matrix.matmul(A, B)                         # checks the shapes, and computes what is written down
    _options(op, digits, rows_shown, "rows_shown")
    left = A if _is_sequence(A[0]) else [A]                      # a vector on the left is one row
    right = B if _is_sequence(B[0]) else [[b] for b in B]        # on the right, one column
    rows = [row if _is_sequence(B[0]) else [row] for row in (C if _is_sequence(A[0]) else [C])]
    a_rows, b_columns = _is_sequence(A[0]), _is_sequence(B[0])

    def label(i, j):                                # [i][j]; [j] or [i] for a vector; A.B for two
        return (f"[{i}]" if a_rows else "") + (f"[{j}]" if b_columns else "") or "A.B"
    lines = [f"entry {label('i', 'j')} = {'row i of A' if a_rows else 'the vector A'} times "
             f"{'column j of B' if b_columns else 'the vector B'}:"]
    shown = len(left) if rows_shown is None else min(rows_shown, len(left))
    for i in range(shown):
        for j, value in enumerate(rows[i]):
            terms = _products(zip(left[i], (row[j] for row in right)), digits)
            lines.append(f"{label(i, j)} = {terms} = {_number(value, digits)}")
    if shown < len(left):
        lines.append(_more(len(left) - shown, "row"))
    return "\n".join(lines)


# --- the McCulloch-Pitts neuron ----------------------------------------------

def neuron(gate, inputs=None, digits=6):
    """y = step(Σ w·x − θ) written out: the weighted sum of the inputs against θ, and whether it fires.

    >>> from refnn.neuron import AND, NAND
    >>> print(neuron(AND, [1, 1]))
    AND: w = [1, 1], theta = 2; it fires (1) when sum w*x - theta >= 0
    x = [1, 1]: 1*1 + 1*1 - 2 = 0 >= 0, fires 1

    Without inputs, every input in turn (the truth table, worked out):

    >>> print(neuron(NAND))
    NAND: w = [-1, -1], theta = -1; it fires (1) when sum w*x - theta >= 0
    x = [0, 0]: (-1)*0 + (-1)*0 - (-1) = 1 >= 0, fires 1
    x = [0, 1]: (-1)*0 + (-1)*1 - (-1) = 0 >= 0, fires 1
    x = [1, 0]: (-1)*1 + (-1)*0 - (-1) = 0 >= 0, fires 1
    x = [1, 1]: (-1)*1 + (-1)*1 - (-1) = -1 < 0, stays 0

    XOR is no single neuron, but two layers of them:

    >>> from refnn.neuron import XOR
    >>> neuron(XOR)
    Traceback (most recent call last):
        ...
    TypeError: neuron: gate must be an MPNeuron, got function (XOR is two layers of neurons:
    see refnn.neuron.XOR)
    """
    op = "neuron"
    if not isinstance(gate, MPNeuron):
        hint = " (XOR is two layers of neurons: see refnn.neuron.XOR)" if callable(gate) else ""
        raise TypeError(f"{op}: gate must be an MPNeuron, got {type(gate).__name__}{hint}")
    _options(op, digits, None, "")
    if inputs is None:
        if gate.n_inputs > 10:
            raise ValueError(f"{op}: {gate.n_inputs} inputs have {2 ** gate.n_inputs} combinations; "
                             "give the inputs")
        inputs_list = [list(x) for x in itertools.product((0, 1), repeat=gate.n_inputs)]
    else:
        inputs_list = [inputs]
    w, theta = gate.weights, gate.theta
    lines = [f"{gate.name or 'MPNeuron'}: w = {_vector(w, digits)}, theta = {_number(theta, digits)}; "
             "it fires (1) when sum w*x - theta >= 0"]
    for x in inputs_list:
        with _named(op):
            fired = gate(x)                         # checks the inputs: 0 or 1, one per weight
        x = [int(v) for v in x]                     # True and 1.0 are the input 1
        total = sum(map(mul, w, x)) - theta
        verdict = f">= 0, fires {fired}" if fired else f"< 0, stays {fired}"
        lines.append(f"x = {_vector(x, digits)}: {_products(zip(w, x), digits)} - {_factor(theta, digits)} "
                     f"= {_number(total, digits)} {verdict}")
    return "\n".join(lines)


# --- the perceptron rule -------------------------------------------------------

def perceptron(X, y, lr=1, max_epochs=1000, epochs_shown=None, digits=6):
    """On each mistake, y·(w·x + b) ≤ 0: w = w + lr·y·x, b = b + lr·y; the perceptron learning, written out.

    :meth:`refnn.perceptron.Perceptron.fit` learns; this writes out its
    every step from ``w = 0, b = 0``, sample by sample.  The seed's AND
    (false is -1), its first epoch:

    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> print(perceptron(X, [-1, -1, -1, 1], epochs_shown=1))
    The perceptron sign(w.x + b) learns from w = [0, 0], b = 0 with lr = 1;
    a sample is a mistake when y*(w.x + b) <= 0.
    epoch 1:
      x = [0, 0], y = -1: y*(w.x + b) = (-1)*(0*0 + 0*0 + 0) = 0 <= 0, a mistake:
        w = [0, 0] + 1*(-1)*[0, 0] = [0, 0]
        b = 0 + 1*(-1) = -1
      x = [0, 1], y = -1: y*(w.x + b) = (-1)*(0*0 + 0*1 + (-1)) = 1 > 0, right
      x = [1, 0], y = -1: y*(w.x + b) = (-1)*(0*1 + 0*0 + (-1)) = 1 > 0, right
      x = [1, 1], y = 1: y*(w.x + b) = 1*(0*1 + 0*1 + (-1)) = -1 <= 0, a mistake:
        w = [0, 0] + 1*1*[1, 1] = [1, 1]
        b = -1 + 1*1 = 0
      after epoch 1: 2 mistakes, w = [1, 1], b = 0
    ... (8 more epochs not shown)
    after epoch 9: 0 mistakes, w = [3, 2], b = -4
    Converged after 9 epochs: sign(3*x1 + 2*x2 + (-4)).

    On XOR it never settles (``epochs_shown`` None writes out every epoch):

    >>> print(perceptron(X, [-1, 1, 1, -1], max_epochs=3, epochs_shown=1).splitlines()[-1])
    NOT converged in 3 epochs: 4 mistakes in the last (does a line part the classes? see
    refnn.perceptron.linearly_separable)
    """
    op = "perceptron"
    with _named(op), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)       # said in the text instead
        p = Perceptron(lr=lr, max_epochs=max_epochs).fit(X, y)    # checks X, y, lr and max_epochs
    _options(op, digits, epochs_shown, "epochs_shown")
    labels = [1 if t > 0 else -1 for t in y]            # as fit reads them (True is +1)
    shown = len(p.history) if epochs_shown is None else min(epochs_shown, len(p.history))
    w, b = [0] * len(X[0]), 0
    lines = [f"The perceptron sign(w.x + b) learns from w = {_vector(w, digits)}, b = 0 with lr = "
             f"{_number(lr, digits)};", "a sample is a mistake when y*(w.x + b) <= 0."]
    for epoch in range(1, shown + 1):
        lines.append(f"epoch {epoch}:")
        mistakes = 0
        for x, t in zip(X, labels):
            w, b, lines_of_x = _perceptron_step(w, b, x, t, lr, digits)
            mistakes += len(lines_of_x) > 1
            lines += lines_of_x
        lines.append(f"  after epoch {epoch}: {mistakes} mistakes, w = {_vector(w, digits)}, "
                     f"b = {_number(b, digits)}")
    if shown < len(p.history):
        lines.append(_more(len(p.history) - shown, "epoch"))
        lines.append(f"after epoch {len(p.history)}: {p.mistakes[-1]} mistakes, "
                     f"w = {_vector(p.weights, digits)}, b = {_number(p.bias, digits)}")
    if p.converged:
        line = " + ".join(f"{_factor(wi, digits)}*x{i}" for i, wi in enumerate(p.weights, 1))
        lines.append(f"Converged after {len(p.history)} epochs: sign({line} + {_factor(p.bias, digits)}).")
    else:
        lines.append(f"NOT converged in {len(p.history)} epochs: {p.mistakes[-1]} mistakes in the last "
                     "(does a line part the classes? see refnn.perceptron.linearly_separable)")
    return "\n".join(lines)


def _perceptron_step(w, b, x, t, lr, digits):
    """One sample of the rule: (w, b) after it, and its lines (one when right, three after a mistake)."""
    x = [int(v) if isinstance(v, bool) else v for v in x]
    value = t * (sum(map(mul, w, x)) + b)
    head = (f"  x = {_vector(x, digits)}, y = {t}: y*(w.x + b) = {_factor(t, digits)}*("
            f"{_products(zip(w, x), digits)} + {_factor(b, digits)}) = {_number(value, digits)}")
    if value > 0:
        return w, b, [head + " > 0, right"]
    step = lr * t
    new_w = [wi + step * xi for wi, xi in zip(w, x)]            # w += lr*y*x, as fit computes it
    new_b = b + step                                            # b += lr*y
    rule = f"{_factor(lr, digits)}*{_factor(t, digits)}"
    return new_w, new_b, [head + " <= 0, a mistake:",
                          f"    w = {_vector(w, digits)} + {rule}*{_vector(x, digits)} = "
                          f"{_vector(new_w, digits)}",
                          f"    b = {_number(b, digits)} + {rule} = {_number(new_b, digits)}"]


# --- one step of back-propagation ----------------------------------------------

def backprop(x, y, weights, lr=1, samples_shown=None, digits=6):
    """One step of the classic net: forward; error = y − layer2; delta = error·σ′; weight += lr·layerᵀ·delta.

    Every number of one training step of :func:`refnn.mlp.train` (sigmoid
    layers, squared error, no biases), in the names of the classic 11-line
    NumPy program (Andrew Trask, 2015): ``layer2_error``, ``layer2_delta``,
    ``layer1_error``, ``layer1_delta``.  The seed's 3-4-1 net on XOR, the
    first sample only (``samples_shown``; the sums of the update run over
    all four):

    >>> from refnn.mlp import init_weights
    >>> x = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    >>> y = [[0], [1], [1], [0]]
    >>> print(backprop(x, y, init_weights([3, 4, 1], seed=1), samples_shown=1, digits=4))
    ... # doctest: +ELLIPSIS
    One step of back-propagation, number by number (sigmoid layers, squared error, lr = 1).
    forward: layer0 = x, layer1 = sigmoid(layer0 @ weight0), layer2 = sigmoid(layer1 @ weight1)
    sample 0: x = [0, 0, 1], y = [0]
      layer1[0][0] = sigmoid(0*(-0.7313) + 0*(-0.0091) + 1*(-0.8123)) = sigmoid(-0.8123) = 0.3074
    ...
      layer2[0][0] = sigmoid(0.3074*0.5246 + 0.2802*(-0.9958) + 0.6618*(-0.1092) + 0.4664*0.4431)
                   = sigmoid(0.0166) = 0.5041
    ... (3 more samples not shown)
    E = 1/2 * sum (y - layer2)^2 = 0.5043
    backward: layer2_error = y - layer2, layer2_delta = layer2_error * layer2*(1 - layer2)
      layer1_error = layer2_delta @ weight1.T, layer1_delta = layer1_error * layer1*(1 - layer1)
    sample 0:
      layer2_error[0][0] = 0 - 0.5041 = -0.5041
      layer2_delta[0][0] = (-0.5041)*0.5041*(1 - 0.5041) = -0.126
      layer1_error[0][0] = (-0.126)*0.5246 = -0.0661
      layer1_delta[0][0] = (-0.0661)*0.3074*(1 - 0.3074) = -0.0141
    ...
    update: weight += lr * layer.T @ delta, every delta from the weights before the step
      weight1 += lr * layer1.T @ layer2_delta:
        weight1[0][0] = 0.5246 + 1*(0.3074*(-0.126) + ... (3 more terms)) = 0.5272
    ...
        weight0[2][3] = -0.1345 + 1*(1*(-0.0139) + ... (3 more terms)) = -0.1342

    It is :func:`refnn.mlp.train` with ``epochs=1``, its arguments checked there:

    >>> backprop(x, [[0], [1], [1]], init_weights([3, 4, 1], seed=1))
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: backprop: train: y has shape (3, 1), the network's output has shape (4, 1)
    """
    op = "backprop"
    with _named(op):
        trained = mlp.train(x, y, weights, epochs=1, lr=lr)     # checks x, y, weights, lr
        _options(op, digits, samples_shown, "samples_shown")
        layers = mlp.forward(weights, x)
        deltas, errors = _deltas(weights, layers, y)
    n = len(x)
    shown = n if samples_shown is None else min(samples_shown, n)
    top = len(weights)
    lines = [f"One step of back-propagation, number by number (sigmoid layers, squared error, "
             f"lr = {_number(lr, digits)}).",
             "forward: layer0 = x, " + ", ".join(f"layer{k + 1} = sigmoid(layer{k} @ weight{k})"
                                                 for k in range(top))]
    for s in range(shown):
        lines.append(f"sample {s}: x = {_vector(x[s], digits)}, y = {_vector(y[s], digits)}")
        for k in range(top):
            for j, out in enumerate(layers[k + 1][s]):
                column = [row[j] for row in weights[k]]
                z = sum(map(mul, layers[k][s], column))
                terms = _products(zip(layers[k][s], column), digits)
                lines.append(f"  layer{k + 1}[{s}][{j}] = sigmoid({terms}) = sigmoid({_number(z, digits)}) = "
                             f"{_number(out, digits)}")
    if shown < n:
        lines.append(_more(n - shown, "sample"))
    lines.append(f"E = 1/2 * sum (y - layer2)^2 = {_number(trained.history[0], digits)}")
    lines += _backward_lines(weights, layers, y, deltas, errors, shown, digits)
    lines += _update_lines(weights, layers, deltas, trained.weights, lr, shown, digits)
    return "\n".join(lines)


def _deltas(weights, layers, y):
    """The error and the delta of every layer after the input: the classic's layer2_error, layer2_delta, ...

    ``errors[k]`` and ``deltas[k]`` belong to ``layers[k + 1]``.
    """
    slope = [matrix.apply(mlp.sigmoid_prime_from_output, layer) for layer in layers]   # s*(1 - s)
    errors = [matrix.sub(y, layers[-1])]                                          # error = y - layer2
    deltas = [matrix.hadamard(errors[0], slope[-1])]                              # delta = error * sigma'
    for k in range(len(weights) - 1, 0, -1):
        errors.insert(0, matrix.matmul(deltas[0], matrix.transpose(weights[k])))  # delta @ weight.T
        deltas.insert(0, matrix.hadamard(errors[0], slope[k]))
    return deltas, errors


def _backward_lines(weights, layers, y, deltas, errors, shown, digits):
    """The error and delta of every neuron, from the output back, for the samples shown."""
    top = len(weights)
    lines = [f"backward: layer{top}_error = y - layer{top}, "
             f"layer{top}_delta = layer{top}_error * layer{top}*(1 - layer{top})"]
    lines += [f"  layer{k}_error = layer{k + 1}_delta @ weight{k}.T, "
              f"layer{k}_delta = layer{k}_error * layer{k}*(1 - layer{k})" for k in range(top - 1, 0, -1)]
    for s in range(shown):
        lines.append(f"sample {s}:")
        for k in range(top, 0, -1):                     # from the output back
            for j, h in enumerate(layers[k][s]):
                e, d = errors[k - 1][s][j], deltas[k - 1][s][j]
                if k == top:                            # the error at the output: y - layer2
                    terms = f"{_number(y[s][j], digits)} - {_factor(h, digits)}"
                else:                                   # row s of the next delta times row j of the weight
                    terms = _products(zip(deltas[k][s], weights[k][j]), digits)
                lines.append(f"  layer{k}_error[{s}][{j}] = {terms} = {_number(e, digits)}")
                lines.append(f"  layer{k}_delta[{s}][{j}] = {_factor(e, digits)}*{_factor(h, digits)}*"
                             f"(1 - {_factor(h, digits)}) = {_number(d, digits)}")
    return lines


def _update_lines(weights, layers, deltas, trained, lr, shown, digits):
    """weight[i][j] + lr*(sum over the samples of layer[s][i]*delta[s][j]) = the trained weight."""
    lines = ["update: weight += lr * layer.T @ delta, every delta from the weights before the step"]
    for k in range(len(weights) - 1, -1, -1):
        lines.append(f"  weight{k} += lr * layer{k}.T @ layer{k + 1}_delta:")
        for i, row in enumerate(weights[k]):
            for j, w in enumerate(row):
                pairs = [(layer[i], delta[j]) for layer, delta in zip(layers[k], deltas[k])]
                terms = _products(pairs[:shown], digits)
                if shown < len(pairs):
                    terms += f" + ... ({len(pairs) - shown} more terms)"
                lines.append(f"    weight{k}[{i}][{j}] = {_number(w, digits)} + {_factor(lr, digits)}*"
                             f"({terms}) = {_number(trained[k][i][j], digits)}")
    return lines


# --- the autograd graph ----------------------------------------------------------

class Graph(collections.namedtuple("Graph", ["text", "nodes"])):
    """What :func:`graph` returns: its ``text`` (``print`` shows it) and the ``nodes`` it lists, for drawing.

    ``nodes`` holds one record per node, from the output back: ``kind``
    ("step" or "leaf"), ``label`` (``[1] SigmoidBackward``, ``[6] leaf``),
    ``name`` (from ``names``, or None), ``value`` and ``grad`` (nested
    lists or numbers, None where unknown), and ``inputs`` (the positions in
    ``nodes`` of the nodes it was made from).  In a notebook it shows the
    graph as a picture (:func:`refnn.plot.graph_figure`) where matplotlib
    is installed, its text otherwise.

    >>> from refnn.tensors import tensor
    >>> w = tensor(3.0, requires_grad=True)
    >>> g = graph(w * w)
    >>> [(node.label, node.value, node.inputs) for node in g.nodes]
    [('[1] MulBackward', 9.0, (1, 1)), ('[2] leaf', 3.0, ())]
    """

    __slots__ = ()

    def __str__(self):
        return self.text

    __repr__ = __str__

    def _repr_png_(self):
        """The picture of the graph, for a notebook; None without matplotlib (the text shows instead)."""
        from refnn import plot
        return plot.png(plot.graph_figure, self)


_Node = collections.namedtuple("Node", ["kind", "label", "name", "value", "grad", "inputs"])


def graph(tensor, names=None, digits=6):
    """tensor <- step <- ... <- leaves: the autograd graph behind a tensor, each node with value and gradient.

    From the output back, each step (its ``grad_fn``, PyTorch's name, as
    ``SigmoidBackward``) with the value it made, the gradient of the output
    with respect to that value (``grad``, by :func:`refnn.autograd.gradients`)
    and the nodes it was made from; then the leaves that require grad with
    their value and their ``.grad`` (what ``backward`` filled).  ``names``
    maps names to tensors (a leaf, or a tensor a step made) to label them.
    The seed's first neuron, y = sigmoid(x @ w), against the target 1:

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 1.0, -1.0]])
    >>> w = tensor([[2.0], [3.0], [0.0]], requires_grad=True)
    >>> y = (x @ w).sigmoid()
    >>> loss = ((1 - y) ** 2).sum()
    >>> loss.backward(retain_graph=True)
    >>> print(graph(loss, names={"w": w, "y": y, "loss": loss}))
    loss = [1] SumBackward: value 4.5e-05, grad 1.0; from [2]
    [2] PowBackward: value [[4.5e-05]], grad [[1.0]]; from [3]
    [3] SubBackward: value [[0.006693]], grad [[0.013386]]; from y
    y = [4] SigmoidBackward: value [[0.993307]], grad [[-0.013386]]; from [5]
    [5] MatMulBackward: value [[5.0]], grad [[-8.9e-05]]; from w
    w = [6] leaf: value [[2.0], [3.0], [0.0]], .grad [[-8.9e-05], [-8.9e-05], [8.9e-05]]
    (grad: d(loss)/d(that value); inputs that need no gradient are no nodes)

    After a plain ``backward()`` the graph has freed its values (PyTorch's
    rule), and a step shows ``value freed``: call ``backward(retain_graph=True)``
    to see them.  A leaf has no graph:

    >>> graph(w)
    Traceback (most recent call last):
        ...
    ValueError: graph: the tensor has no grad_fn (a leaf, or made without grad): no graph behind it
    """
    op = "graph"
    if not isinstance(tensor, tensors.Tensor):
        raise TypeError(f"{op}: tensor must be a Tensor, got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError(f"{op}: the tensor has no grad_fn (a leaf, or made without grad): "
                         "no graph behind it")
    _options(op, digits, None, "")
    labels = _graph_names(op, names)
    nodes = _graph_nodes(tensor.grad_fn)
    grads = {}
    if tensor.numel() == 1:
        with contextlib.suppress(RuntimeError):         # the values freed by a backward: no grads to show
            grads = {id(node): g.tolist() for node, g in autograd.gradients(tensor)}
    records, lines = [], []
    for key, inputs in nodes:
        step = isinstance(key, autograd.FunctionCtx)
        label = f"[{len(records) + 1}] {key.name() if step else 'leaf'}"
        value = key.output if step else key.tolist()
        grad = grads.get(id(key)) if step else (None if key.grad is None else key.grad.tolist())
        kind = "step" if step else "leaf"
        records.append(_Node(kind, label, labels.get(id(key)), value, grad, tuple(inputs)))
    for record in records:
        head = f"{record.name} = {record.label}" if record.name else record.label
        value = "freed" if record.value is None else _brief(record.value, digits)
        if record.kind == "step":
            grad = "?" if record.grad is None else _brief(record.grad, digits)
            sources = ", ".join(records[i].name or records[i].label.split()[0] for i in record.inputs)
            lines.append(f"{head}: value {value}, grad {grad}; from {sources}")
        else:
            grad = "None" if record.grad is None else _brief(record.grad, digits)
            lines.append(f"{head}: value {value}, .grad {grad}")
    out = labels.get(id(tensor.grad_fn)) or "the output"
    lines.append(f"(grad: d({out})/d(that value); inputs that need no gradient are no nodes)"
                 if grads else "(grad ?: the graph's values are freed, or the output is not one number)")
    return Graph("\n".join(lines), records)


def _graph_names(op, names):
    """{id of a step or a leaf: its name}, from {name: tensor}."""
    if names is None:
        return {}
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(t, tensors.Tensor)
                                              for k, t in names.items()):
        raise TypeError(f"{op}: names must be a dict of str to Tensor, got {type(names).__name__}")
    return {id(t.grad_fn if t.grad_fn is not None else t): k for k, t in names.items()}


def _graph_nodes(root):
    """The steps and leaves behind step root, breadth first: [(step or leaf, [positions of its inputs])]."""
    order, position, queue = [], {}, [root]
    for key in queue:                                   # the queue grows as the walk finds nodes
        inputs = []
        for edge, _ in (key.next_functions if isinstance(key, autograd.FunctionCtx) else ()):
            node = edge.variable if isinstance(edge, autograd.AccumulateGrad) else edge
            if node is None:
                continue
            if id(node) not in position:
                position[id(node)] = len(position) + 1
                queue.append(node)
            inputs.append(position[id(node)])
        order.append((key, inputs))
    return order


def _brief(value, digits):
    """A value rounded; a large one as its shape and its first and last numbers."""
    if not _is_sequence(value):
        return _number(value, digits)
    shape = _shape_of(value)
    if len(_flatten(value, shape)) <= 6:
        return _nested_text(value, digits)
    flat = _flatten(value, shape)
    return f"shape {shape}: {_vector(flat[:3], digits)[:-1]}, ..., {_number(flat[-1], digits)}]"


def _nested_text(value, digits):
    if _is_sequence(value):
        return "[" + ", ".join(_nested_text(v, digits) for v in value) + "]"
    return _number(value, digits)
