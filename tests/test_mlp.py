"""The back-propagation MLP: against the classic NumPy program, by hand, and on bad input."""
import copy
import math
import random
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from refnn.gradcheck import max_relative_error, numeric_mlp_gradient
from refnn.matrix import ShapeError
from refnn.mlp import (
    Gradients, Training, backward, binary_cross_entropy, forward, init_biases, init_weights,
    sigmoid_prime_from_output, squared_error, train,
)

X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
Y = [[0], [1], [1], [0]]


def sigma(z):
    return 1 / (1 + math.exp(-z))


# --- the classic NumPy program, run itself ---------------------------------

def _classic_numpy_program(np, syn0, syn1, epochs):
    """The classic 2-layer program (np.random.seed(1), 60000 iterations), recording ½Σ error² each time."""
    l0, y = np.array(X), np.array(Y)
    history = []
    for _ in range(epochs):
        l1 = 1 / (1 + np.exp(-(np.dot(l0, syn0))))
        l2 = 1 / (1 + np.exp(-(np.dot(l1, syn1))))
        l2_error = y - l2
        history.append(float(np.sum(l2_error ** 2)) / 2)
        l2_delta = l2_error * (l2 * (1 - l2))
        l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += l0.T.dot(l1_delta)
    return syn0, syn1, l2, history


@pytest.fixture(scope="module")
def classic():
    """The classic program's starting weights, its 60000-iteration result, and refnn's from the same start."""
    np = pytest.importorskip("numpy")
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    start = [syn0.tolist(), syn1.tolist()]
    end0, end1, l2, history = _classic_numpy_program(np, syn0.copy(), syn1.copy(), 60000)
    return {"np": np, "start": start, "numpy": ([end0.tolist(), end1.tolist()], l2.tolist(), history),
            "refnn": train(X, Y, start, epochs=60000, lr=1)}


def test_60000_iterations_match_the_classic_numpy_program(classic):
    weights_np, _, history_np = classic["numpy"]
    trained = classic["refnn"]
    # observed: 5.3e-15 on the weights (float64 rounding in a different summation order)
    assert max_relative_error(trained.weights, weights_np, floor=1e-300) < 1e-12
    assert max_relative_error(trained.history, history_np, floor=1e-300) < 1e-10


def test_60000_iterations_reach_the_targets(classic):
    output = forward(classic["refnn"].weights, X)[-1]
    assert all(abs(o[0] - t[0]) < 0.01 for o, t in zip(output, Y))


def test_the_classic_prints_layer2_from_before_its_last_update(classic):
    # DESIGN.md's trap: the printed layer2 is one update behind forward(trained weights)
    np = classic["np"]
    weights_np, l2_in_loop, _ = classic["numpy"]
    l1 = 1 / (1 + np.exp(-np.dot(np.array(X), np.array(weights_np[0]))))
    l2_after = (1 / (1 + np.exp(-np.dot(l1, np.array(weights_np[1]))))).tolist()
    output = forward(classic["refnn"].weights, X)[-1]
    assert max_relative_error(output, l2_after, floor=1e-300) < 1e-12
    gap = max(abs(a[0] - b[0]) for a, b in zip(output, l2_in_loop))
    assert 1e-9 < gap < 1e-6                          # observed 3.5e-08: the 8th digit


def test_init_weights_draws_like_the_classic_from_the_same_generator_state():
    # NumPy's legacy generator and Python's are both MT19937 with 53-bit doubles,
    # so a random.Random set to NumPy's state draws NumPy's numbers.
    np = pytest.importorskip("numpy")
    np.random.seed(1)
    _, key, pos, _, _ = np.random.get_state()
    g = random.Random()
    g.setstate((3, tuple(int(k) for k in key) + (int(pos),), None))
    np.random.seed(1)
    classic_start = [(2 * np.random.random((3, 4)) - 1).tolist(), (2 * np.random.random((4, 1)) - 1).tolist()]
    assert init_weights([3, 4, 1], generator=g) == classic_start


# --- forward by hand -------------------------------------------------------

def test_forward_returns_every_layer_with_its_shape():
    weights = init_weights([3, 5, 2, 1], seed=0)
    layers = forward(weights, X)
    assert [(len(layer), len(layer[0])) for layer in layers] == [(4, 3), (4, 5), (4, 2), (4, 1)]
    assert layers[0] == X and layers[0] is not X


def test_forward_by_hand_with_biases():
    weights = [[[1.0, -2.0], [0.5, 0.0]], [[2.0], [-1.0]]]
    biases = [[0.25, -0.5], [0.125]]
    x = [[1.0, 2.0]]
    h = [sigma(1.0 * 1.0 + 2.0 * 0.5 + 0.25), sigma(1.0 * -2.0 + 2.0 * 0.0 - 0.5)]
    out = sigma(h[0] * 2.0 + h[1] * -1.0 + 0.125)
    layers = forward(weights, x, biases)
    assert layers[1] == [h] and layers[2] == [[out]]
    assert forward(weights, x)[1] == [[sigma(2.0), sigma(-2.0)]]


# --- backward by hand and against the numeric oracle ---------------------

def test_backward_by_hand_for_a_1_1_1_net():
    # x → h = σ(a x) → ŷ = σ(b h); E = ½(y − ŷ)²
    a, b, x, y = 0.5, -1.5, 2.0, 1.0
    h = sigma(a * x)
    out = sigma(b * h)
    d_out = (y - out) * out * (1 - out)               # −∂E/∂(b h)
    d_h = d_out * b * h * (1 - h)                     # −∂E/∂(a x)
    grads = backward([[[a]], [[b]]], forward([[[a]], [[b]]], [[x]]), [[y]])
    assert isinstance(grads, Gradients)
    assert max_relative_error(grads.weights, [[[-d_h * x]], [[-d_out * h]]], floor=1e-300) < 1e-15
    assert max_relative_error(grads.biases, [[-d_h], [-d_out]], floor=1e-300) < 1e-15


def test_backward_for_cross_entropy_by_hand():
    # E = −[y ln ŷ + (1 − y) ln(1 − ŷ)], ŷ = σ(w x)  →  ∂E/∂w = (ŷ − y) x
    w, x, y = 0.75, [[2.0], [-1.0]], [[1.0], [0.0]]
    grads = backward([[[w]]], forward([[[w]]], x), y, loss="binary_cross_entropy")
    expected = sum((sigma(w * xi[0]) - yi[0]) * xi[0] for xi, yi in zip(x, y))
    assert grads.weights[0][0][0] == pytest.approx(expected, rel=1e-15)


@given(sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4), seed=st.integers(0, 10 ** 6),
       bias=st.booleans(), loss=st.sampled_from(["squared_error", "binary_cross_entropy"]))
@example(sizes=[3, 3, 1, 3], seed=0, bias=True, loss="binary_cross_entropy")   # E ≈ 7.7: floor 1e-3 too low
def test_backward_matches_central_differences_on_random_nets(sizes, seed, bias, loss):
    g = random.Random(seed)
    weights = init_weights(sizes, generator=g)
    biases = init_biases(sizes, generator=g) if bias else None
    x = [[g.uniform(-1, 1) for _ in range(sizes[0])] for _ in range(3)]
    y = [[float(g.random() < 0.5) for _ in range(sizes[-1])] for _ in range(3)]
    hand = backward(weights, forward(weights, x, biases), y, loss)
    numeric = numeric_mlp_gradient(weights, x, y, biases, loss)
    # Central differences carry a rounding error of a few ε·E/eps ≈ 1e-9·E (eps = 1e-6), so the
    # comparison is relative above a floor that grows with the loss E: 1e-3 for E ≤ 1, 1e-3·E above.
    loss_fn = squared_error if loss == "squared_error" else binary_cross_entropy
    E = loss_fn(y, forward(weights, x, biases)[-1])
    floor = 1e-3 * max(1.0, E)
    assert max_relative_error(numeric.weights, hand.weights, floor=floor) < 1e-6
    if bias:
        assert max_relative_error(numeric.biases, hand.biases, floor=floor) < 1e-6


# --- train -----------------------------------------------------------------

@pytest.mark.parametrize("loss", ["squared_error", "binary_cross_entropy"])
@pytest.mark.parametrize("bias", [False, True])
def test_one_epoch_is_one_step_of_gradient_descent(loss, bias):
    weights = init_weights([3, 4, 2, 1], seed=3)
    biases = init_biases([3, 4, 2, 1], seed=4) if bias else None
    lr = 0.5
    grads = backward(weights, forward(weights, X, biases), Y, loss)
    trained = train(X, Y, weights, epochs=1, lr=lr, biases=biases, loss=loss)
    step = lambda p, g: [step(a, b) for a, b in zip(p, g)] if isinstance(p, list) else p - lr * g
    assert trained.weights == step(weights, grads.weights)
    assert trained.biases == (step(biases, grads.biases) if bias else None)


def test_history_is_the_loss_before_each_update():
    weights = init_weights([3, 4, 1], seed=5)
    trained = train(X, Y, weights, epochs=3, lr=2)
    after_two = train(X, Y, weights, epochs=2, lr=2).weights
    assert trained.history[0] == squared_error(Y, forward(weights, X)[-1])
    assert trained.history[2] == squared_error(Y, forward(after_two, X)[-1])
    assert squared_error(Y, forward(trained.weights, X)[-1]) < trained.history[-1]


def test_training_lowers_the_loss_for_both_losses():
    weights = init_weights([3, 4, 1], seed=6)
    for loss in ("squared_error", "binary_cross_entropy"):
        history = train(X, Y, weights, epochs=300, loss=loss).history
        assert history[-1] < history[0] / 2


def test_training_is_reproducible_and_returns_new_lists():
    weights, biases = init_weights([3, 4, 1], seed=7), init_biases([3, 4, 1], seed=8)
    before = copy.deepcopy((weights, biases))
    first = train(X, Y, weights, epochs=50, biases=biases)
    second = train(X, Y, init_weights([3, 4, 1], seed=7), epochs=50, biases=init_biases([3, 4, 1], seed=8))
    assert isinstance(first, Training) and first == second
    assert (weights, biases) == before
    zero = train(X, Y, weights, epochs=0, biases=biases)
    assert zero == (weights, biases, []) and zero.weights[0] is not weights[0]
    zero.weights[0][0][0] = 99.0
    zero.biases[0][0] = 99.0
    assert (weights, biases) == before


def test_train_accepts_fractions_and_tuples():
    weights = [[[Fraction(1, 2)], [Fraction(-1, 4)]]]
    trained = train(((1, 0), (0, 1)), ((1,), (0,)), weights, epochs=2, lr=Fraction(1, 2))
    assert len(trained.history) == 2 and trained.history[1] < trained.history[0]


# --- initial weights -------------------------------------------------------

def test_init_weights_shapes_range_and_seed():
    weights = init_weights([3, 4, 1], seed=11)
    assert [(len(w), len(w[0])) for w in weights] == [(3, 4), (4, 1)]
    values = [v for w in weights for row in w for v in row]
    assert all(-1 <= v < 1 for v in values)
    g = random.Random(11)
    assert values == [2 * g.random() - 1 for _ in range(16)]          # row by row, layer by layer
    assert init_weights([3, 4, 1], seed=11) == weights != init_weights([3, 4, 1], seed=12)


def test_init_biases_one_vector_per_layer_after_the_input():
    g = random.Random(13)
    assert init_biases([2, 3, 1], seed=13) == [[2 * g.random() - 1 for _ in range(3)], [2 * g.random() - 1]]


# --- the slope and the losses ----------------------------------------------

def test_sigmoid_prime_from_output_agrees_with_the_slope_at_z():
    for z in (-4.0, -0.5, 0.0, 2.0):
        s = sigma(z)
        assert sigmoid_prime_from_output(s) == s * (1 - s)
        slope = math.exp(-z) / (1 + math.exp(-z)) ** 2       # d/dz of 1 / (1 + e^(−z))
        assert sigmoid_prime_from_output(s) == pytest.approx(slope, rel=1e-12)
    assert sigmoid_prime_from_output(Fraction(1, 3)) == Fraction(2, 9)


def test_losses_by_hand():
    assert squared_error([[1.0], [0.0]], [[0.75], [0.5]]) == (0.0625 + 0.25) / 2
    expected = -math.log(0.75) - math.log(0.5)
    assert binary_cross_entropy([[1.0], [0.0]], [[0.75], [0.5]]) == pytest.approx(expected)
    assert binary_cross_entropy([[0.0, 1.0]], [[1.0, 0.0]]) == 200.0            # both logs clamped at −100
    assert binary_cross_entropy([1.0], [1.0]) == 0.0


# --- bad input ---------------------------------------------------------------

W341 = init_weights([3, 4, 1], seed=1)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"x": [[0, 0, 1], [0, 1]]}, ShapeError, r"train: x: ragged list: at depth 1, item 1 has 2 entries"),
    ({"x": [[0, 0], [1, 1], [0, 1], [1, 0]]}, ShapeError,
     r"train: x \(4, 2\) @ weights\[0\] \(3, 4\): inner sizes 2 and 3 differ"),
    ({"x": [[0, 0, "1"]] * 4}, TypeError, r"train: x: expected numbers, got str '1'"),
    ({"x": [[0, 0, math.nan]] * 4}, ValueError, r"train: x holds nan; learning needs finite numbers"),
    ({"x": []}, ShapeError, r"train: x: empty vector of shape \(0,\)"),
    ({"y": [[0], [1], [1]]}, ShapeError,
     r"train: y has shape \(3, 1\), the network's output has shape \(4, 1\)"),
    ({"y": [[0], [1], [1], [math.inf]]}, ValueError, r"train: y holds inf"),
    ({"y": [[0], [1], [1], [2]], "loss": "binary_cross_entropy"}, ValueError,
     r"train: binary cross-entropy needs y in \[0, 1\], got 2"),
    ({"weights": [W341[0], [[1.0], [2.0]]]}, ShapeError,
     r"train: weights\[0\] \(3, 4\) gives 4 outputs but weights\[1\] \(2, 1\) takes 2 inputs"),
    ({"weights": W341[0]}, ShapeError,
     r"train: weights\[0\]: expected a matrix \(a list of rows\), got a vector"),
    ({"weights": []}, TypeError, r"train: weights must be a non-empty list of matrices"),
    ({"weights": [W341[0], [[math.nan]] * 4]}, ValueError, r"train: weights holds nan"),
    ({"biases": [[0.0] * 4]}, ShapeError,
     r"train: biases must be a list of 2 vectors, one per weight matrix, got 1"),
    ({"biases": [[0.0] * 3, [0.0]]}, ShapeError,
     r"train: biases\[0\] has shape \(3,\) but weights\[0\] \(3, 4\) needs \(4,\)"),
    ({"biases": [[0.0] * 4, [math.nan]]}, ValueError, r"train: biases holds nan"),
    ({"epochs": -1}, ValueError, r"train: epochs must be at least 0, got -1"),
    ({"epochs": 10.0}, TypeError, r"train: epochs must be an int, got float"),
    ({"epochs": True}, TypeError, r"train: epochs must be an int, got bool"),
    ({"lr": "1"}, TypeError, r"train: lr must be a number, got str"),
    ({"lr": math.nan}, ValueError, r"train: lr must be a finite number at least 0, got nan"),
    ({"lr": -0.5}, ValueError, r"train: lr must be a finite number at least 0, got -0.5"),
    ({"loss": "mse"}, ValueError,
     r"train: loss must be one of 'squared_error', 'binary_cross_entropy', got 'mse'"),
    ({"loss": ["squared_error"]}, ValueError, r"train: loss must be one of"),
])
def test_train_refuses_bad_input_and_changes_nothing(kwargs, error, message):
    arguments = {"x": X, "y": Y, "weights": W341, "epochs": 5, "lr": 1}
    arguments.update(kwargs)
    before = copy.deepcopy(arguments)
    with pytest.raises(error, match=message):
        train(**arguments)
    assert repr(arguments) == repr(before)          # repr, because NaN ≠ NaN


def test_forward_and_backward_refuse_bad_input():
    layers = forward(W341, X)
    message = r"forward: biases\[1\] has shape \(2,\) but weights\[1\] \(4, 1\) needs \(1,\)"
    with pytest.raises(ShapeError, match=message):
        forward(W341, X, biases=[[0.0] * 4, [0.0, 0.0]])
    with pytest.raises(TypeError, match=r"forward: weights must be a non-empty list of matrices, got 3"):
        forward(3, X)
    with pytest.raises(ShapeError, match=r"backward: layers must be the 3 layers forward returned for 2"):
        backward(W341, layers[:2], Y)
    with pytest.raises(ShapeError, match=r"backward: layers\[1\] has shape \(4, 3\), the weights need"):
        backward(W341, [layers[0], [row[:3] for row in layers[1]], layers[2]], Y)
    with pytest.raises(ValueError, match=r"backward: loss must be one of"):
        backward(W341, layers, Y, loss="hinge")


@pytest.mark.parametrize("call, error, message", [
    (lambda: init_weights([3, 4, 1]), TypeError, r"init_weights: give a seed \(an int\) or a generator"),
    (lambda: init_weights([3, 4, 1], seed=1, generator=random.Random(1)), TypeError,
     r"init_weights: give a seed or a generator, not both"),
    (lambda: init_weights([3, 4, 1], seed=1.5), TypeError, r"init_weights: seed must be an int, got float"),
    (lambda: init_weights([3, 4, 1], generator=1), TypeError, r"init_weights: generator must be a random.R"),
    (lambda: init_weights([3, 4.0], seed=1), TypeError, r"init_weights: sizes\[1\] must be an int, got fl"),
    (lambda: init_weights(3, seed=1), ValueError, r"init_weights: sizes must list at least two layer sizes"),
    (lambda: init_biases([3, -1], seed=1), ValueError, r"init_biases: sizes\[1\] must be at least 1, got -1"),
    (lambda: sigmoid_prime_from_output("0.5"), TypeError,
     r"sigmoid_prime_from_output: expected a number, got str"),
    (lambda: sigmoid_prime_from_output(-0.1), ValueError, r"s = -0.1 is no sigmoid output"),
    (lambda: squared_error([[1]], [[1], [0]]), ShapeError,
     r"squared_error: y \(1, 1\) and output \(2, 1\) differ"),
    (lambda: squared_error([[1]], [["a"]]), TypeError, r"squared_error: output: expected numbers, got str"),
    (lambda: binary_cross_entropy([[1.5]], [[0.5]]), ValueError,
     r"binary_cross_entropy: binary cross-entropy needs y in \[0, 1\], got 1.5"),
])
def test_the_small_functions_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- the errors moved out of the docstrings (issue #10), each message pinned whole ----------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: init_weights([3], seed=1), ValueError,
     "init_weights: sizes must list at least two layer sizes (inputs, ..., outputs), got [3]"),
    (lambda: init_biases([3, 0], seed=0), ValueError, "init_biases: sizes[1] must be at least 1, got 0"),
    (lambda: forward([[[2, -1], [3, -2], [0, 1]], [[1], [2], [3]]], [[1, 1, -1]]), ShapeError,
     "forward: weights[0] (3, 2) gives 2 outputs but weights[1] (3, 1) takes 3 inputs"),
    (lambda: squared_error([[0, 1]], [[0.5]]), ShapeError,
     "squared_error: y (1, 2) and output (1, 1) differ"),
    (lambda: backward([[[0.0]]], forward([[[0.0]]], [[2]]), [[1, 0]]), ShapeError,
     "backward: y has shape (1, 2), the network's output has shape (1, 1)"),
    (lambda: binary_cross_entropy([[1]], [[1.5]]), ValueError,
     "binary_cross_entropy: binary cross-entropy needs output in [0, 1], got 1.5"),
])
def test_the_errors_once_shown_in_the_docstrings(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message


def test_sigmoid_prime_from_output_is_activations_own():
    from refnn import activations
    assert sigmoid_prime_from_output is activations.sigmoid_prime_from_output


# --- the kernels of the loop, against the formulas they stand for -------------------------------

def test_the_loops_kernels_are_the_formulas_entry_by_entry():
    from refnn import _kernels as k
    from refnn.matrix import matmul, sub, transpose
    g = random.Random(0)
    A = [[g.uniform(-3, 3) for _ in range(3)] for _ in range(4)]
    B = [[g.uniform(-3, 3) for _ in range(2)] for _ in range(3)]
    D = [[g.uniform(-1, 1) for _ in range(2)] for _ in range(4)]
    S = [[g.random() for _ in range(2)] for _ in range(4)]
    assert k._matmul_plus_bias(A, B) == matmul(A, B)
    assert k._matmul_plus_bias(A, B, [0.5, -1.0]) == [[v + b for v, b in zip(row, [0.5, -1.0])]
                                                      for row in matmul(A, B)]
    assert k._matmul_by_transpose(D, B) == matmul(D, transpose(B))
    column, one = [[g.uniform(-1, 1)] for _ in range(4)], [[g.uniform(-3, 3)] for _ in range(3)] + [[-0.0]]
    assert k._matmul_by_transpose(column, one) == matmul(column, transpose(one))    # the outer product's path
    assert str(k._matmul_by_transpose([[1.0]], [[-0.0]])) == "[[0.0]]"        # as sum() gives, not -0.0
    assert k._transpose_matmul(A, D) == matmul(transpose(A), D)
    assert k._difference(D, S) == sub(D, S)
    assert k._times_sigmoid_slope(D, S) == [[e * sigmoid_prime_from_output(s) for e, s in zip(er, sr)]
                                            for er, sr in zip(D, S)]
    assert k._gradient_step(B, 0.5, A, D) == [[w + 0.5 * g for w, g in zip(wr, gr)]
                                              for wr, gr in zip(B, matmul(transpose(A), D))]


@given(st.lists(st.floats(-700, 700), min_size=1, max_size=8))
def test_sigmoid_rows_is_sigmoid_on_every_entry(row):
    from refnn import _kernels as k
    from refnn.activations import sigmoid
    assert k._sigmoid_rows([row]) == [[sigmoid(v) for v in row]]


@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=8))
def test_sigmoid_rows_is_sigmoid_within_rounding_everywhere(row):
    """Below −700, where sigmoid takes e^z, the inline formula agrees within one rounding (relative 1e-15)."""
    from refnn import _kernels as k
    from refnn.activations import sigmoid
    for fast, v in zip(k._sigmoid_rows([row])[0], row):
        assert fast == pytest.approx(sigmoid(v), rel=1e-15, abs=5e-324)
