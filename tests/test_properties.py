"""Properties that hold for every input hypothesis can find, each stated in its test's docstring.

Strategies for exact matrices (ints, Fractions, both mixed), tensors, data
sets a known line separates, and small networks.  What tests/test_matrix.py,
test_tensor.py, test_perceptron.py and test_mlp.py already state is not
repeated; these add the laws they leave out:

* matrix algebra on ints, Fractions and both mixed: transpose of sums and
  scalings, scalars commute with products, the vector conventions of
  ``matmul`` agree with ``dot`` and ``outer``, sums and differences undo each
  other, a broadcast row is the row repeated;
* the perceptron within Novikoff's bound (R/γ)² on data that are not
  integers, and with any learning rate;
* hand-written gradients against sympy's exact ones, for random refnn.mlp
  networks and random refnn.nn networks (Linear, Sigmoid, Tanh; MSE, BCE);
* the same seed gives the same weights and the same training, bit for bit,
  through refnn.mlp and through refnn.nn with SGD;
* ``state_dict`` → JSON file → ``load_state_dict`` gives every float back
  bit for bit and every int as an int.

Each test counts its examples; ``pytest -s`` prints the total.
"""
import math
import os
import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from refnn import gradcheck, init, nn, optim
from refnn.matrix import add, dot, hadamard, matmul, outer, scale, sub, transpose
from refnn.mlp import backward, forward, init_biases, init_weights, train
from refnn.perceptron import Perceptron

from helpers import ExampleCounter

counted = ExampleCounter()


@pytest.fixture(scope="module", autouse=True)
def report_examples():
    """Print how many examples hypothesis ran in this module (pytest -s shows it)."""
    yield
    print(counted.report(__name__))



# --- strategies ---------------------------------------------------------------------

ints = st.integers(-9, 9)
fractions = st.fractions(min_value=-5, max_value=5, max_denominator=7)
exact = st.one_of(ints, fractions)                      # ints and Fractions mixed in one matrix
sizes = st.integers(1, 4)


def matrices(rows, cols, elements=exact):
    return st.lists(st.lists(elements, min_size=cols, max_size=cols), min_size=rows, max_size=rows)


@st.composite
def same_shape(draw, count=2, elements=exact):
    """count matrices of one shape."""
    n, m = draw(sizes), draw(sizes)
    return [draw(matrices(n, m, elements)) for _ in range(count)]


# --- matrix algebra, exactly ----------------------------------------------------------

@given(same_shape())
@counted
def test_transpose_of_a_sum_is_the_sum_of_the_transposes(ab):
    """(A + B)ᵀ = Aᵀ + Bᵀ and (A − B)ᵀ = Aᵀ − Bᵀ, exactly."""
    A, B = ab
    assert transpose(add(A, B)) == add(transpose(A), transpose(B))
    assert transpose(sub(A, B)) == sub(transpose(A), transpose(B))


@given(st.data())
@counted
def test_a_scalar_moves_freely_through_a_product(data):
    """(cA)B = c(AB) = A(cB) and (cA)ᵀ = c·Aᵀ, for ints and Fractions mixed."""
    n, m, p = (data.draw(sizes) for _ in range(3))
    A, B = data.draw(matrices(n, m)), data.draw(matrices(m, p))
    c = data.draw(exact)
    assert matmul(scale(A, c), B) == scale(matmul(A, B), c) == matmul(A, scale(B, c))
    assert transpose(scale(A, c)) == scale(transpose(A), c)


@given(st.data())
@counted
def test_the_vector_conventions_of_matmul(data):
    """A vector on the left is a row, on the right a column: u·B = [u]·B, A·v = A·[v]ᵀ, u·v = dot."""
    n, m = data.draw(sizes), data.draw(sizes)
    A = data.draw(matrices(n, m))
    u = data.draw(st.lists(exact, min_size=n, max_size=n))
    v = data.draw(st.lists(exact, min_size=m, max_size=m))
    assert matmul(u, A) == matmul([u], A)[0]
    assert matmul(A, v) == [row[0] for row in matmul(A, [[x] for x in v])]
    assert matmul(u, matmul(A, v)) == dot(u, matmul(A, v)) == dot(matmul(u, A), v)     # uᵀAv both ways


@given(st.data())
@counted
def test_outer_products_transpose_and_sum_to_the_product(data):
    """outer(u, v)ᵀ = outer(v, u), and A·B is the sum of the outer products of A's columns and B's rows."""
    n, m, p = (data.draw(sizes) for _ in range(3))
    A, B = data.draw(matrices(n, m)), data.draw(matrices(m, p))
    u, v = transpose(A)[0], B[0]
    assert transpose(outer(u, v)) == outer(v, u)
    total = [[0] * p for _ in range(n)]
    for column, row in zip(transpose(A), B):
        total = add(total, outer(column, row))
    assert total == matmul(A, B)


@given(same_shape(3))
@counted
def test_sums_and_differences_undo_each_other_and_commute(abc):
    """(A + B) − B = A, A + B = B + A, (A + B) + C = A + (B + C), A⊙B = B⊙A, A⊙(B + C) = A⊙B + A⊙C."""
    A, B, C = abc
    assert sub(add(A, B), B) == A
    assert add(A, B) == add(B, A) and hadamard(A, B) == hadamard(B, A)
    assert add(add(A, B), C) == add(A, add(B, C))
    assert hadamard(A, add(B, C)) == add(hadamard(A, B), hadamard(A, C))


@given(st.data())
@counted
def test_a_broadcast_row_is_the_row_repeated(data):
    """add(A, r) = add(A, [r, r, ...]) and likewise sub and hadamard: the bias reaches every sample."""
    n, m = data.draw(sizes), data.draw(sizes)
    A, r = data.draw(matrices(n, m)), data.draw(st.lists(exact, min_size=m, max_size=m))
    for op in (add, sub, hadamard):
        assert op(A, r) == op(A, [list(r) for _ in range(n)])


@given(same_shape(1, elements=ints))
@counted
def test_ints_stay_ints_through_every_operation(a):
    """No operation on ints makes a float: the perceptron's integer weights rely on it."""
    A = a[0]
    results = [transpose(A), add(A, A), sub(A, A), hadamard(A, A), scale(A, 3), matmul(A, transpose(A)),
               outer(A[0], A[0])]
    assert all(type(v) is int for m in results for row in m for v in row)


# --- the perceptron: Novikoff's bound on data that are not integers ---------------------

@st.composite
def separated(draw):
    """Fraction points and labels from a known line (u, c) with margin at least 1/4, and an lr."""
    small = st.fractions(min_value=-3, max_value=3, max_denominator=4)
    d = draw(st.integers(1, 3))
    u = draw(st.lists(small, min_size=d, max_size=d).filter(any))
    c = draw(small)
    points = draw(st.lists(st.lists(small, min_size=d, max_size=d), min_size=1, max_size=20))
    score = [sum(a * b for a, b in zip(u, x)) + c for x in points]
    kept = [(x, s) for x, s in zip(points, score) if abs(s) >= Fraction(1, 4)]
    assume(kept)
    lr = draw(st.fractions(min_value=Fraction(1, 100), max_value=10, max_denominator=100).filter(bool))
    return [x for x, _ in kept], [1 if s > 0 else -1 for _, s in kept], u, c, lr


@given(separated())
@counted
def test_perceptron_converges_within_novikoffs_bound_for_fractions_and_any_lr(data):
    """Mistakes ≤ (R/γ)², with R = max ‖(x, 1)‖ and γ the margin of (u, c) over ‖(u, c)‖; lr only scales w."""
    points, labels, u, c, lr = data
    r2 = max(sum(v * v for v in x) + 1 for x in points)
    margin = min(t * (sum(a * b for a, b in zip(u, x)) + c) for x, t in zip(points, labels))
    bound = r2 * (sum(a * a for a in u) + c * c) / (margin * margin)
    p = Perceptron(lr=lr, max_epochs=int(bound) + 2).fit(points, labels)
    assert p.converged and sum(p.mistakes) <= bound
    assert p.predict(points) == labels
    unit = Perceptron(max_epochs=int(bound) + 2).fit(points, labels)       # lr = 1: the same mistakes
    assert p.mistakes == unit.mistakes
    assert p.weights == [lr * w for w in unit.weights] and p.bias == lr * unit.bias


# --- hand-written gradients against sympy ------------------------------------------------

@st.composite
def mlp_networks(draw):
    """A refnn.mlp network of 1-2 layers of 1-3 neurons, its data, biases or not, and a loss."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3))
    g = random.Random(draw(st.integers(0, 10 ** 6)))
    weights = init_weights(sizes, generator=g)
    biases = init_biases(sizes, generator=g) if draw(st.booleans()) else None
    samples = draw(st.integers(1, 2))
    x = [[g.uniform(-2, 2) for _ in range(sizes[0])] for _ in range(samples)]
    y = [[float(g.random() < 0.5) for _ in range(sizes[-1])] for _ in range(samples)]
    return weights, biases, x, y, draw(st.sampled_from(["squared_error", "binary_cross_entropy"]))


@settings(max_examples=10)          # sympy takes ~0.4 s an example
@given(mlp_networks())
@counted
def test_mlp_backward_is_sympys_derivative(network):
    """refnn.mlp.backward agrees with sympy's exact ∂E/∂w and ∂E/∂b to rounding (1e-12), any net, any loss."""
    weights, biases, x, y, loss = network
    hand = backward(weights, forward(weights, x, biases), y, loss)
    exact_grad = gradcheck.symbolic_mlp_gradient(weights, x, y, biases, loss)
    assert gradcheck.max_relative_error(hand.weights, exact_grad.weights, floor=1e-6) < 1e-12
    if biases is not None:
        assert gradcheck.max_relative_error(hand.biases, exact_grad.biases, floor=1e-6) < 1e-12


@st.composite
def nn_networks(draw):
    """A refnn.nn Sequential of Linear layers (at most 6 neurons) with Sigmoid or Tanh, a batch, a loss."""
    widths = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3).filter(lambda w: sum(w) <= 6))
    seed = draw(st.integers(0, 10 ** 6))
    layers = []
    for n_in, n_out in zip(widths, widths[1:]):
        layers += [nn.Linear(n_in, n_out), draw(st.sampled_from([nn.Sigmoid, nn.Tanh]))()]
    loss = draw(st.sampled_from(["mse", "bce"]))
    if loss == "bce":
        layers[-1] = nn.Sigmoid()                       # BCE takes probabilities
    g = random.Random(seed)
    init.manual_seed(seed)
    model = nn.Sequential(*layers)
    for p in model.parameters():                         # re-drawn: Linear's own draw already happened
        init.uniform_(p, -1, 1, generator=g)
    batch = draw(st.integers(1, 2))
    x = [[g.uniform(-2, 2) for _ in range(widths[0])] for _ in range(batch)]
    y = [[g.random() for _ in range(widths[-1])] for _ in range(batch)]
    return model, x, y, nn.MSELoss() if loss == "mse" else nn.BCELoss()


@settings(max_examples=10)          # sympy takes ~0.4 s an example
@given(nn_networks())
@counted
def test_nn_backward_is_sympys_derivative(network):
    """Every layer's hand-written backward, chained by autograd, gives sympy's exact ∂loss/∂p."""
    model, x, y, criterion = network
    params = list(model.parameters())
    values = [p.tolist() for p in params]

    def loss_of(new_values):                             # the model's own code, run on sympy symbols
        for p, v in zip(params, new_values):
            p.data = v
        return criterion(model(x), y).item()

    exact_grad = gradcheck.symbolic_gradient(loss_of, values)
    for p, v in zip(params, values):
        p.data = v
    model.zero_grad()
    criterion(model(x), y).backward()
    grads = [p.grad.tolist() for p in params]
    # floor 1e-3: a gradient summed over the batch can cancel to ~1e-4 from terms ~0.1, each rounded at
    # ~1e-17; relative to the gradient that is ~1e-12 (found: 1.3e-12 for BCE after a Sigmoid, 1.9e-16 apart)
    assert gradcheck.max_relative_error(grads, exact_grad, floor=1e-3) < 1e-12


# --- the same seed, the same numbers -------------------------------------------------------

@settings(max_examples=30)
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4), seed=st.integers(0, 2 ** 64),
       loss=st.sampled_from(["squared_error", "binary_cross_entropy"]), epochs=st.integers(1, 20))
@counted
def test_mlp_same_seed_same_weights_same_training(sizes, seed, loss, epochs):
    """Weights, biases and data from one seed, then train: twice the same, bit for bit; seed + 1 differs."""
    def run():
        g = random.Random(seed)
        weights, biases = init_weights(sizes, generator=g), init_biases(sizes, generator=g)
        x = [[g.uniform(-1, 1) for _ in range(sizes[0])] for _ in range(4)]
        y = [[float(g.random() < 0.5) for _ in range(sizes[-1])] for _ in range(4)]
        return weights, train(x, y, weights, epochs=epochs, lr=0.5, biases=biases, loss=loss)
    (w1, t1), (w2, t2) = run(), run()
    assert _bits(w1) == _bits(w2) and _bits(t1) == _bits(t2)
    assert _bits(init_weights(sizes, seed=seed)) != _bits(init_weights(sizes, seed=seed + 1))


@settings(max_examples=30)
@given(widths=st.lists(st.integers(1, 4), min_size=2, max_size=3), seed=st.integers(0, 2 ** 32),
       momentum=st.sampled_from([0, 0.9]), steps=st.integers(1, 10))
@counted
def test_nn_same_seed_same_weights_same_training(widths, seed, momentum, steps):
    """manual_seed, a Sequential, SGD steps: twice the same state_dict and losses, bit for bit."""
    def run():
        init.manual_seed(seed)
        layers = [m for n_in, n_out in zip(widths, widths[1:]) for m in (nn.Linear(n_in, n_out), nn.Tanh())]
        model = nn.Sequential(*layers)
        start = {k: v.tolist() for k, v in model.state_dict().items()}
        optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=momentum)
        x = init.normal_([[0.0] * widths[0] for _ in range(5)])            # drawn from the same generator
        y = [[0.5] * widths[-1] for _ in range(5)]
        criterion, losses = nn.MSELoss(), []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return start, model.state_dict(), losses
    assert _bits(run()) == _bits(run())


def _bits(x):
    """Every float as its exact hex and every int as itself, in structure: equal means bit for bit."""
    if hasattr(x, "tolist"):                # a tensor: its numbers
        x = x.tolist()
    if isinstance(x, float):
        return x.hex()
    if isinstance(x, dict):
        return [(k, _bits(v)) for k, v in x.items()]
    if isinstance(x, (list, tuple)):
        return [_bits(v) for v in x]
    return (type(x).__name__, x)


# --- state_dict → JSON → load_state_dict ------------------------------------------------------

finite_floats = st.floats(allow_nan=False, allow_infinity=False)      # subnormals, -0.0 and 1.8e308 too


@settings(max_examples=40)
@given(widths=st.lists(st.integers(1, 3), min_size=2, max_size=3), data=st.data())
@counted
def test_state_dict_through_a_file_is_exact(tmp_path_factory, widths, data):
    """save → load → load_state_dict gives every float back bit for bit, and num_batches_tracked an int."""
    layers = [m for n_in, n_out in zip(widths, widths[1:])
              for m in (nn.Linear(n_in, n_out), nn.BatchNorm1d(n_out))]
    model, twin = nn.Sequential(*layers), nn.Sequential(*[type(m)(*_args(m)) for m in layers])
    state = model.state_dict()
    for key, value in state.items():                     # every number drawn anew, any finite float
        value = value.tolist()
        state[key] = (data.draw(st.integers(0, 2 ** 63)) if isinstance(value, int)
                      else [data.draw(finite_floats) if not isinstance(v, list)
                            else [data.draw(finite_floats) for _ in v] for v in value])
    model.load_state_dict(state)
    path = os.path.join(tmp_path_factory.mktemp("model"), "model.json")
    nn.save(model.state_dict(), path)
    twin.load_state_dict(nn.load(path))
    assert _bits(twin.state_dict()) == _bits(model.state_dict()) == _bits(state)
    assert all(type(twin.state_dict()[k].item()) is int for k in state if k.endswith("num_batches_tracked"))


def _args(module):
    if isinstance(module, nn.Linear):
        return module.in_features, module.out_features
    return (module.num_features,)


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(
    finite_floats, st.integers(-2 ** 70, 2 ** 70),
    st.lists(st.one_of(finite_floats, st.integers(-2 ** 70, 2 ** 70)), min_size=0, max_size=5),
    st.lists(st.lists(finite_floats, min_size=2, max_size=2), min_size=1, max_size=3)), max_size=5))
@counted
def test_any_state_dict_of_numbers_round_trips(tmp_path_factory, state):
    """Any names (any unicode) and numbers: load(save(d)) == d with the same types, keys and float bits."""
    path = os.path.join(tmp_path_factory.mktemp("sd"), "sd.json")
    nn.save(state, path)
    loaded = nn.load(path)
    assert list(loaded) == list(state) and _bits(dict(loaded)) == _bits(state)
    assert all(math.isfinite(v) for v in _numbers(loaded))


def _numbers(x):
    if hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, dict):
        return [n for v in x.values() for n in _numbers(v)]
    if isinstance(x, list):
        return [n for v in x for n in _numbers(v)]
    return [x]
