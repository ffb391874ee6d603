"""Tests of refnn.explain: the arithmetic it writes out is read back and held against the library.

Each test parses the printed text (numbers written as the seed writes them:
``(-1)``, ``1/2``, rounded floats), redoes the written arithmetic with exact
Fractions, and compares the results with what refnn.matrix, refnn.neuron,
refnn.perceptron and refnn.mlp compute on their own.
"""
import math
import re
import warnings
from fractions import Fraction

import pytest

from refnn import explain, matrix, mlp
from refnn.datasets import classic_xor, load_iris, worked_example
from refnn.neuron import AND, NAND, NOT, OR, MPNeuron
from refnn.perceptron import Perceptron

NUMBER = r"\(?-?[\d./e+]+\)?|\(?-?inf\)?|\(?nan\)?"


def value(text):
    """A number as explain writes it, '(-1)', '1/2', '0.25', as an exact Fraction (floats as written)."""
    return Fraction(text.strip("()"))


def products(text):
    """'1*2 + 1*3 + (-1)*0' -> [(1, 2), (1, 3), (-1, 0)] as Fractions."""
    return [(value(a), value(b)) for a, b in (term.split("*") for term in text.split(" + "))]


# --- matmul ----------------------------------------------------------------

ENTRY = re.compile(r"^(\S+) = (.*) = (\S+)$", re.MULTILINE)


def test_matmul_the_seed_worked_example():
    x, weight = worked_example()
    text = explain.matmul(x, weight)
    assert "[0][0] = 1*2 + 1*3 + (-1)*0 = 5" in text.splitlines()        # the seed's own line
    C = matrix.matmul(x, weight)
    entries = ENTRY.findall(text)
    assert len(entries) == 6
    for label, terms, result in entries:
        i, j = map(int, re.findall(r"\d+", label))
        pairs = products(terms)
        assert pairs == [(x[i][k], weight[k][j]) for k in range(3)]       # row i of x, column j of weight
        assert sum(a * b for a, b in pairs) == value(result) == C[i][j]


def test_matmul_floats_are_rounded_and_fractions_exact():
    A = [[0.1, Fraction(1, 3)], [-2.5, 1e-9]]
    B = [[Fraction(-1, 2), 0.3], [3, -0.7]]
    C = matrix.matmul(A, B)
    for digits in (2, 6):
        entries = ENTRY.findall(explain.matmul(A, B, digits=digits))
        written = [float(value(r)) for _, _, r in entries]
        assert written == [round(float(v), digits) + 0.0 for row in C for v in row]
    text = explain.matmul(A, B)
    assert "[0][0] = 0.1*(-1/2) + (1/3)*3 = 0.95" in text                 # floats rounded, fractions exact
    assert "-0.0" not in explain.matmul([[-1e-9]], [[1.0]])                # rounds to 0.0, not -0.0


def test_matmul_vectors_as_pytorch_reads_them():
    x, weight = worked_example()
    text = explain.matmul(x[0], weight)
    assert text.splitlines() == ["entry [j] = the vector A times column j of B:",
                                 "[0] = 1*2 + 1*3 + (-1)*0 = 5", "[1] = 1*(-1) + 1*(-2) + (-1)*1 = -4"]
    assert explain.matmul([1, 2], [3, 4]).splitlines()[-1] == "A.B = 1*3 + 2*4 = 11"
    assert explain.matmul(weight, [1, 1]).splitlines()[1] == "[0] = 2*1 + (-1)*1 = 1"


def test_matmul_rows_shown():
    x, weight = worked_example()
    lines = explain.matmul(x, weight, rows_shown=2).splitlines()
    assert len(ENTRY.findall("\n".join(lines))) == 4 and lines[-1] == "... (1 more row not shown)"
    assert explain.matmul(x, weight, rows_shown=3) == explain.matmul(x, weight)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"digits": -1}, ValueError, "matmul: digits must be from 0 to 17"),
    ({"digits": 2.0}, TypeError, "matmul: digits must be an int, got float"),
    ({"rows_shown": 0}, ValueError, "matmul: rows_shown must be at least 1, got 0"),
])
def test_matmul_options_checked(kwargs, error, message):
    x, weight = worked_example()
    with pytest.raises(error, match=re.escape(message)):
        explain.matmul(x, weight, **kwargs)


# --- the M-P neuron ----------------------------------------------------------

NEURON_LINE = re.compile(r"^x = \[(.*)\]: (.*) - (\S+) = (\S+) (>= 0, fires|< 0, stays) ([01])$",
                         re.MULTILINE)


@pytest.mark.parametrize("gate", [AND, OR, NAND, NOT, MPNeuron([Fraction(1, 2), 0.25, -1], theta=0.5)])
def test_neuron_against_the_gate(gate):
    text = explain.neuron(gate)
    rows = NEURON_LINE.findall(text)
    assert len(rows) == 2 ** gate.n_inputs                               # every input in turn
    for inputs, terms, theta, total, verdict, fired in rows:
        x = [int(v) for v in inputs.split(", ")]
        assert products(terms) == [(Fraction(w).limit_denominator(), xi) for w, xi in zip(gate.weights, x)]
        assert value(theta) == Fraction(gate.theta)
        exact = sum(Fraction(w) * xi for w, xi in zip(gate.weights, x)) - Fraction(gate.theta)
        assert abs(value(total) - exact) < 1e-6
        assert int(fired) == gate(x) == (exact >= 0)
        assert verdict.startswith(">=") == (exact >= 0)


def test_neuron_one_input_and_its_errors():
    assert explain.neuron(AND, [1, 1]).splitlines()[1] == "x = [1, 1]: 1*1 + 1*1 - 2 = 0 >= 0, fires 1"
    assert explain.neuron(AND, (True, 0)) == explain.neuron(AND, [1, 0])
    with pytest.raises(ValueError, match=re.escape("neuron: AND: inputs must be 0 or 1, got 2 at position")):
        explain.neuron(AND, [1, 2])
    with pytest.raises(TypeError, match="neuron: gate must be an MPNeuron, got str"):
        explain.neuron("AND")
    with pytest.raises(ValueError, match="neuron: 11 inputs have 2048 combinations; give the inputs"):
        explain.neuron(MPNeuron([1] * 11, theta=1))


# --- the perceptron ------------------------------------------------------------

UPDATE_W = re.compile(r"^    w = \[(.*)\] \+ (\S+)\*(\S+)\*\[(.*)\] = \[(.*)\]$")
UPDATE_B = re.compile(r"^    b = (\S+) \+ (\S+)\*(\S+) = (\S+)$")
AFTER = re.compile(r"after epoch (\d+): (\d+) mistakes, w = \[(.*)\], b = (\S+)$")


def vector(text):
    return [value(v) for v in text.split(", ")]


def replay(text):
    """Check every written update's arithmetic; return [(epoch, mistakes, w, b)] of the 'after' lines."""
    after = []
    for line in text.splitlines():
        if m := UPDATE_W.match(line):
            w, lr, t, x, new = vector(m[1]), value(m[2]), value(m[3]), vector(m[4]), vector(m[5])
            assert [wi + lr * t * xi for wi, xi in zip(w, x)] == pytest.approx(new, abs=1e-6)
        elif m := UPDATE_B.match(line):
            assert value(m[1]) + value(m[2]) * value(m[3]) == pytest.approx(value(m[4]), abs=1e-6)
        elif m := AFTER.search(line):
            after.append((int(m[1]), int(m[2]), vector(m[3]), value(m[4])))
    return after


def iris_petals():
    iris = load_iris()
    rows = [(r, t) for r, t in zip(iris.data, iris.target) if t < 2]
    return [[r[2], r[3]] for r, _ in rows], [2 * t - 1 for _, t in rows]


@pytest.mark.parametrize("X, y, lr", [
    ([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, -1, -1, 1], 1),                 # AND: w = [3, 2], b = -4
    ([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, 1], 0.5),                 # OR, halved
    ([[0, 0], [0, 1], [1, 0], [1, 1]], [1, 1, 1, -1], Fraction(1, 3)),      # NAND in thirds
    (*iris_petals(), 1),                                                    # floats: 1.4, 0.2, ...
])
def test_perceptron_replays_fit_epoch_by_epoch(X, y, lr):
    p = Perceptron(lr=lr).fit(X, y)
    text = explain.perceptron(X, y, lr=lr)
    after = replay(text)
    assert [e for e, _, _, _ in after] == list(range(1, len(p.history) + 1))
    assert [m for _, m, _, _ in after] == p.mistakes
    for (_, _, w, b), (fit_w, fit_b) in zip(after, p.history):
        assert w == pytest.approx([Fraction(v) for v in fit_w], abs=1e-6)
        assert b == pytest.approx(Fraction(fit_b), abs=1e-6)
    assert after[-1][2] == pytest.approx([Fraction(v) for v in p.weights], abs=1e-6)     # the final weights
    assert text.count("a mistake:") == sum(p.mistakes)
    assert f"Converged after {len(p.history)} epochs" in text


def test_perceptron_and_as_the_issue_writes_it():
    text = explain.perceptron([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, -1, -1, 1])
    assert "    w = [0, 0] + 1*(-1)*[0, 0] = [0, 0]" in text.splitlines()     # the first update
    assert text.splitlines()[-1] == "Converged after 9 epochs: sign(3*x1 + 2*x2 + (-4))."


def test_perceptron_on_xor_never_settles_and_epochs_shown():
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")                   # said in the text, not warned
        text = explain.perceptron(X, y, max_epochs=50, epochs_shown=2)
    after = replay(text)
    assert [e for e, _, _, _ in after] == [1, 2, 50] and all(m == 4 for _, m, _, _ in after)
    assert after[-1][2:] == ([0, 0], 0)                  # back at the start, as fit's docstring says
    assert "... (48 more epochs not shown)" in text
    assert text.splitlines()[-1].startswith("NOT converged in 50 epochs: 4 mistakes in the last")


def test_perceptron_errors_name_it():
    with pytest.raises(ValueError, match=r"^perceptron: Perceptron.fit: labels must be -1 and \+1"):
        explain.perceptron([[0, 0], [1, 1]], [0, 1])
    with pytest.raises(ValueError, match="^perceptron: Perceptron: lr must be positive, got 0"):
        explain.perceptron([[0, 0], [1, 1]], [-1, 1], lr=0)


# --- back-propagation ------------------------------------------------------------

def numbers_of(text, name):
    """{(s, j): value} of the lines 'name[s][j] = ... = value'."""
    found = re.findall(rf"^\s*{name}\[(\d+)\]\[(\d+)\] = .* = (\S+)$", text, re.MULTILINE)
    return {(int(s), int(j)): float(value(v)) for s, j, v in found}


def deltas_of(text, layer, n, size):
    found = numbers_of(text, f"layer{layer}_delta")
    return [[found[s, j] for j in range(size)] for s in range(n)]


@pytest.mark.parametrize("sizes, seed, lr", [((3, 4, 1), 1, 1), ((3, 4, 1), 7, 0.5), ((3, 2, 3, 1), 0, 2)])
def test_backprop_numbers_are_the_library_numbers(sizes, seed, lr):
    x, y = classic_xor()
    weights = mlp.init_weights(list(sizes), seed=seed)
    text = explain.backprop(x, y, weights, lr=lr, digits=17)
    layers = mlp.forward(weights, x)
    for k in range(1, len(sizes)):                                   # forward: every neuron of every sample
        found = numbers_of(text, f"layer{k}")
        assert len(found) == 4 * sizes[k]
        for (s, j), v in found.items():
            assert math.isclose(v, layers[k][s][j], rel_tol=1e-15, abs_tol=1e-16)
    trained = mlp.train(x, y, weights, epochs=1, lr=lr)
    E = float(value(re.search(r"^E = 1/2 \* sum \(y - layer\d\)\^2 = (\S+)$", text, re.MULTILINE)[1]))
    assert math.isclose(E, trained.history[0], rel_tol=1e-15)
    # the written deltas give backward's gradient, dE/dW = -layer.T @ delta
    gradients = mlp.backward(weights, layers, y).weights
    for k in range(len(sizes) - 1):
        delta = deltas_of(text, k + 1, 4, sizes[k + 1])
        product = matrix.matmul(matrix.transpose(layers[k]), delta)
        for row, gradient_row in zip(product, gradients[k]):
            assert row == pytest.approx([-g for g in gradient_row], abs=1e-15)
        found = numbers_of(text, f"weight{k}")                       # the weights after the step
        assert len(found) == sizes[k] * sizes[k + 1]
        for (i, j), v in found.items():
            assert math.isclose(v, trained.weights[k][i][j], rel_tol=1e-15, abs_tol=1e-16)


def test_backprop_writes_the_classic_names_and_arithmetic():
    x, y = classic_xor()
    weights = mlp.init_weights([3, 4, 1], seed=1)
    text = explain.backprop(x, y, weights, digits=6)
    layers = mlp.forward(weights, x)
    out = layers[2][1][0]                                             # sample 1: XOR(0, 1) = 1
    r = round(out, 6)
    error = 1 - out
    assert f"  layer2_error[1][0] = 1 - {r} = {round(error, 6)}" in text.splitlines()
    delta = round(error * out * (1 - out), 6)
    assert f"  layer2_delta[1][0] = {round(error, 6)}*{r}*(1 - {r}) = {delta}" in text.splitlines()
    line = re.compile(r"^  layer1\[0\]\[\d\] = sigmoid\((.*)\) = sigmoid\((\S+)\) = (\S+)$", re.MULTILINE)
    sums = line.findall(text)
    assert len(sums) == 4
    for terms, z, s in sums:                                       # the sums and sigma written out agree
        assert float(sum(a * b for a, b in products(terms))) == pytest.approx(float(z), abs=1e-5)
        assert 1 / (1 + math.exp(-float(z))) == pytest.approx(float(s), abs=1e-5)


def test_backprop_samples_shown():
    x, y = classic_xor()
    weights = mlp.init_weights([3, 4, 1], seed=1)
    text = explain.backprop(x, y, weights, samples_shown=2)
    assert text.count("... (2 more samples not shown)") == 1
    assert len(numbers_of(text, "layer1")) == 2 * 4 and len(numbers_of(text, "layer2_delta")) == 2
    assert text.count("+ ... (2 more terms)") == 16                  # every update sums over 4 samples
    assert len(numbers_of(text, "weight0")) == 12                    # but every weight is shown


def test_backprop_refuses_what_train_refuses():
    x, y = classic_xor()
    weights = mlp.init_weights([3, 4, 1], seed=1)
    with pytest.raises(ValueError, match=r"^backprop: train: y holds nan"):
        explain.backprop(x, [[0], [1], [1], [float("nan")]], weights)
    with pytest.raises(ValueError, match="^backprop: samples_shown must be at least 1, got 0"):
        explain.backprop(x, y, weights, samples_shown=0)


# --- graph: the autograd graph, node by node ------------------------------------------

def _seed_neuron(target=1.0):
    """The seed's first neuron: x = [1, 1, -1], w = [2, 3, 0], y = sigmoid(x @ w), loss = (target - y)^2."""
    from refnn.tensors import tensor
    x = tensor([[1.0, 1.0, -1.0]])
    w = tensor([[2.0], [3.0], [0.0]], requires_grad=True)
    y = (x @ w).sigmoid()
    return w, y, ((target - y) ** 2).sum()


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


@pytest.mark.parametrize("target", [1.0, 0.0, 0.25])
def test_graph_steps_and_gradients_are_what_autograd_computed(target):
    """Each step's gradient equals loss.backward() run from a fresh leaf holding that step's value."""
    from refnn.tensors import tensor
    w, y, loss = _seed_neuron(target)
    loss.backward(retain_graph=True)
    nodes = explain.graph(loss, names={"w": w}).nodes
    assert [n.label for n in nodes] == ["[1] SumBackward", "[2] PowBackward", "[3] SubBackward",
                                        "[4] SigmoidBackward", "[5] MatMulBackward", "[6] leaf"]
    assert [n.inputs for n in nodes] == [(1,), (2,), (3,), (4,), (5,), ()]
    # what follows each step on the way to the loss, to be replayed from its value
    tails = [lambda v: v, lambda v: v.sum(), lambda v: (v ** 2).sum(), lambda v: ((target - v) ** 2).sum(),
             lambda v: ((target - v.sigmoid()) ** 2).sum()]
    for node, tail in zip(nodes, tails):
        leaf = tensor(node.value, requires_grad=True)
        tail(leaf).backward()
        assert _flat(leaf.grad.tolist()) == pytest.approx(_flat(node.grad), abs=1e-15), node.label
    assert nodes[1].value == [[loss.item()]] and nodes[3].value == y.tolist()
    assert nodes[-1].name == "w" and nodes[-1].value == w.tolist() and nodes[-1].grad == w.grad.tolist()
    # the step the weights see: d loss/d w = x^T * d loss/dz, the chain rule by hand
    dz = nodes[4].grad[0][0]
    assert _flat(w.grad.tolist()) == pytest.approx([dz, dz, -dz])
    y_value = y.item()
    assert dz == pytest.approx(-2 * (target - y_value) * y_value * (1 - y_value))


def test_graph_text_of_three_nodes():
    """c = a * b: one step and two leaves, pinned."""
    from refnn.tensors import tensor
    a, b = tensor(2.0, requires_grad=True), tensor(-3.0, requires_grad=True)
    c = a * b
    c.backward(retain_graph=True)
    assert str(explain.graph(c, names={"a": a, "b": b, "c": c})) == (
        "c = [1] MulBackward: value -6.0, grad 1.0; from a, b\n"
        "a = [2] leaf: value 2.0, .grad -3.0\n"
        "b = [3] leaf: value -3.0, .grad 2.0\n"
        "(grad: d(c)/d(that value); inputs that need no gradient are no nodes)")


def test_graph_before_and_after_a_plain_backward():
    """Before backward the steps' grads are known, the leaves' .grad None; after it the values are freed."""
    w, y, loss = _seed_neuron()
    before = explain.graph(loss)
    assert before.nodes[0].grad == 1.0 and before.nodes[-1].grad is None and w.grad is None
    assert "[6] leaf: value [[2.0], [3.0], [0.0]], .grad None" in str(before)
    loss.backward()
    after = explain.graph(loss)
    assert all(n.value is None and n.grad is None for n in after.nodes[:-1])
    assert after.nodes[-1].grad == w.grad.tolist()
    assert "[4] SigmoidBackward: value freed, grad ?; from [5]" in str(after)
    assert str(after).endswith("(grad ?: the graph's values are freed, or the output is not one number)")


def test_graph_shared_leaf_large_tensor_and_errors():
    """A leaf used twice is one node with two edges; a large value shows its shape and a few numbers."""
    from refnn.tensors import tensor
    w = tensor([[float(i) for i in range(5)] for _ in range(4)], requires_grad=True)
    g = explain.graph((w * w).sum())
    assert g.nodes[1].inputs == (2, 2) and len(g.nodes) == 3
    assert "[2] MulBackward: value shape (4, 5): [0.0, 1.0, 4.0, ..., 16.0], grad shape (4, 5): " \
           "[1.0, 1.0, 1.0, ..., 1.0]; from [3], [3]" in str(g)
    with pytest.raises(TypeError, match="graph: tensor must be a Tensor, got list"):
        explain.graph([1.0])
    with pytest.raises(TypeError, match="graph: names must be a dict of str to Tensor"):
        explain.graph((w * 2).sum(), names={"w": [1.0]})


def test_graph_of_the_classic_net_matches_backprop_by_hand():
    """The 3-4-1 net's E = 1/2 sum (y - layer2)^2: the leaves' grads are mlp.backward's; layer1 by shape."""
    from refnn.tensors import tensor
    x, y = classic_xor()
    start = mlp.init_weights([3, 4, 1], seed=1)
    w0, w1 = (tensor(w, requires_grad=True) for w in start)
    layer1 = (tensor([[float(v) for v in row] for row in x]) @ w0).sigmoid()
    layer2 = (layer1 @ w1).sigmoid()
    E = 0.5 * ((tensor([[float(t) for t in row] for row in y]) - layer2) ** 2).sum()
    E.backward(retain_graph=True)
    g = explain.graph(E, names={"weight0": w0, "weight1": w1, "layer1": layer1}, digits=4)
    by_hand = mlp.backward(start, mlp.forward(start, x), y).weights        # dE/dweight, the classic's way
    leaves = {node.name: node.grad for node in g.nodes if node.kind == "leaf"}
    for name, expected in zip(["weight0", "weight1"], by_hand):
        assert _flat(leaves[name]) == pytest.approx(_flat(expected), abs=1e-12)
    assert "layer1 = [7] SigmoidBackward: value shape (4, 4): [0.3074, 0.2802, 0.6618, ..., " in str(g)
