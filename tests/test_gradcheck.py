"""The gradient oracles, against derivatives known by hand, and against each other."""
import copy
import math
import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refnn import mlp
from refnn.activations import sigmoid, tanh
from refnn.gradcheck import (
    Gaps, MLPCheck, check, check_mlp, max_relative_error, numeric_gradient, numeric_mlp_gradient,
    symbolic_gradient, symbolic_mlp_gradient,
)
from refnn.matrix import ShapeError, matmul

ORACLES = [numeric_gradient, symbolic_gradient]


# --- derivatives known by hand -------------------------------------------

@pytest.mark.parametrize("oracle", ORACLES)
def test_polynomial_gradient_is_known_by_hand(oracle):
    # f = a²b + 3b  →  ∂f/∂a = 2ab, ∂f/∂b = a² + 3
    f = lambda p: p[0] ** 2 * p[1] + 3 * p[1]
    grad = oracle(f, [2.0, -1.5])
    assert max_relative_error(grad, [2 * 2.0 * -1.5, 2.0 ** 2 + 3], floor=1e-12) < 1e-9


def test_symbolic_gradient_is_exact_for_integers_and_fractions():
    f = lambda p: p[0] ** 3 - 2 * p[0] * p[1]          # ∂/∂a = 3a² − 2b, ∂/∂b = −2a
    assert symbolic_gradient(f, [3, 5]) == [3 * 9 - 10, -6]
    assert symbolic_gradient(f, [Fraction(1, 2), 1]) == [Fraction(3, 4) - 2, -1]


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("z", [-3.0, -0.5, 0.0, 0.7, 4.0])
def test_sigmoid_and_tanh_slopes(oracle, z):
    s = 1 / (1 + math.exp(-z))
    assert abs(oracle(sigmoid, z) - s * (1 - s)) < 1e-9
    assert abs(oracle(tanh, z) - (1 - math.tanh(z) ** 2)) < 1e-9


@pytest.mark.parametrize("oracle", ORACLES)
def test_matmul_gradient_is_the_input(oracle):
    # d/dW Σ_ij (X W)_ij = Xᵀ · ones: row k of the gradient is Σ_i X[i][k] in every column
    X = [[1.0, 1.0, -1.0], [4.0, 0.0, 2.0], [1.0, 0.0, 0.0]]
    W = [[2.0, -1.0], [3.0, -2.0], [0.0, 1.0]]
    f = lambda w: sum(v for row in matmul(X, w) for v in row)
    expected = [[6.0, 6.0], [1.0, 1.0], [1.0, 1.0]]
    assert max_relative_error(oracle(f, W), expected, floor=1e-12) < 1e-8


# --- any structure -------------------------------------------------------

STRUCTURES = [
    2.5,                                                    # a number
    [1.0, -2.0, 0.5],                                       # a vector
    [[1.0, 2.0], [3.0, 4.0]],                               # a matrix
    [[[[0.5, 1.0]], [[1.5, 2.0]]]],                         # a 4-d list
    [[[1.0, 2.0], [3.0, 4.0]], [[5.0], [6.0]], [[0.25]]],   # matrices of different shapes
]


def _sum_of_squares(x):
    return sum(_sum_of_squares(v) for v in x) if isinstance(x, list) else x * x


def _double(x):
    return [_double(v) for v in x] if isinstance(x, list) else 2 * x


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("x", STRUCTURES)
def test_gradient_has_the_structure_of_x_and_x_is_unchanged(oracle, x):
    before = copy.deepcopy(x)
    grad = oracle(_sum_of_squares, x)                      # ∇ Σ v² = 2v
    assert x == before
    tolerance = 1e-7 if oracle is numeric_gradient else 1e-15
    assert max_relative_error(grad, _double(x), floor=1e-12) < tolerance
    assert type(grad) is type(x)


def test_numeric_gradient_hands_f_fresh_copies():
    seen = []
    x = [[1.0, 2.0]]
    numeric_gradient(lambda m: seen.append(m) or m[0][0], x)
    assert all(m is not x and m[0] is not x[0] for m in seen)
    assert len({id(m) for m in seen}) == len(seen) == 4     # two calls per number


def test_empty_structure_has_an_empty_gradient():
    assert numeric_gradient(lambda x: 1.0, []) == []
    assert symbolic_gradient(lambda x: 1, [[], []]) == [[], []]


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=4))
def test_the_two_oracles_agree(values):
    f = lambda p: sum(sigmoid(v) * (i + 1) for i, v in enumerate(p)) ** 2
    assert max_relative_error(numeric_gradient(f, values), symbolic_gradient(f, values)) < 1e-7


# --- the cache is keyed honestly -----------------------------------------

def test_a_changed_closure_is_not_served_a_stale_gradient():
    data = [1.0]
    f = lambda p: data[0] * p[0] ** 2                      # ∂/∂p = 2·data·p
    assert symbolic_gradient(f, [3.0]) == [6.0]
    data[0] = 5.0
    assert symbolic_gradient(f, [3.0]) == [30.0]


def test_the_same_formula_is_compiled_once():
    from refnn.gradcheck import _compiled_gradient
    f = lambda p: p[0] * p[1]
    symbolic_gradient(f, [1.0, 2.0])
    hits = _compiled_gradient.cache_info().hits
    assert symbolic_gradient(f, [3.0, 4.0]) == [4.0, 3.0]
    assert _compiled_gradient.cache_info().hits == hits + 1


# --- comparing -----------------------------------------------------------

def test_max_relative_error_by_hand():
    assert max_relative_error([2.0, 300.0], [2.5, 303.0]) == 0.2       # 0.5 / max(1, 2.5) > 3 / 303
    assert max_relative_error([[0.0]], [[0.0]]) == 0.0
    assert max_relative_error([1e-3], [2e-3]) == 1e-3                  # absolute below the floor
    assert max_relative_error([1e-3], [2e-3], floor=1e-6) == 0.5
    assert max_relative_error([], []) == 0.0
    assert math.isnan(max_relative_error([1.0, math.inf], [1.0, 2.0]))


def test_check_returns_both_gaps():
    f = lambda p: p[0] * p[1]
    gaps = check(f, [2.0, 3.0], [3.0, 2.0])
    assert isinstance(gaps, Gaps) and gaps.symbolic == 0.0 and gaps.numeric < 1e-9
    wrong = check(f, [2.0, 3.0], [3.0, 2.5])
    assert wrong.symbolic == 0.2 and wrong.numeric == pytest.approx(0.2)     # 0.5 / max(1, 2, 2.5)


# --- errors --------------------------------------------------------------

@pytest.mark.parametrize("oracle", ORACLES)
def test_non_numbers_are_refused(oracle):
    with pytest.raises(TypeError, match=rf"{oracle.__name__}: expected numbers, got str 'a'"):
        oracle(lambda p: 1.0, [1.0, "a"])
    with pytest.raises(TypeError, match=rf"{oracle.__name__}: f must return a number, got list"):
        oracle(lambda p: [p[0]], [1.0])


@pytest.mark.parametrize("eps", [0, -1e-6, math.nan, math.inf, "1e-6", [1e-6]])
def test_numeric_gradient_refuses_a_bad_eps(eps):
    with pytest.raises(ValueError, match="numeric_gradient: eps must be a positive finite number"):
        numeric_gradient(lambda p: p[0], [1.0], eps=eps)


def test_max_relative_error_refuses_different_structures_and_bad_floors():
    message = r"different structures: \[\(2, 2\), \(2, 1\)\] and \[\(2, 2\), \(1, 2\)\]"
    with pytest.raises(ShapeError, match=message):
        max_relative_error([[[1, 2], [3, 4]], [[1], [2]]], [[[1, 2], [3, 4]], [[1, 2]]])
    with pytest.raises(ValueError, match="max_relative_error: floor must be a positive finite number, got 0"):
        max_relative_error([1.0], [1.0], floor=0)
    with pytest.raises(TypeError, match="max_relative_error: expected numbers, got NoneType"):
        max_relative_error([None], [1.0])


def test_check_refuses_a_gradient_of_another_structure():
    with pytest.raises(ShapeError, match=r"check: grad has the structure \(3,\), x has \(2,\)"):
        check(lambda p: p[0], [1.0, 2.0], [1.0, 2.0, 3.0])


def test_oracles_run_through_refnn_matrix_and_activations():
    # E(W) = Σ_i σ((X W)_i)²  →  ∂E/∂W_k = Σ_i 2 σ_i · σ_i (1 − σ_i) · X_ik
    from refnn.matrix import apply, hadamard
    X = [[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    W = [[0.5], [-1.0], [0.25]]
    E = lambda w: sum(row[0] for row in hadamard(*[apply(sigmoid, matmul(X, w))] * 2))
    s = [1 / (1 + math.exp(-sum(a * b[0] for a, b in zip(x, W)))) for x in X]
    expected = [[sum(2 * si * si * (1 - si) * x[k] for si, x in zip(s, X))] for k in range(3)]
    assert max_relative_error(symbolic_gradient(E, W), expected, floor=1e-12) < 1e-14
    assert max_relative_error(numeric_gradient(E, W), expected, floor=1e-12) < 1e-8


# --- the network's hand-written backward against both oracles --------------

NETS = [(2, 3, 1), (3, 4, 1), (2, 3, 2, 1)]
LOSSES = ["squared_error", "binary_cross_entropy"]


def _network(sizes, bias, seed=0, samples=4):
    g = random.Random(seed)
    weights = mlp.init_weights(list(sizes), generator=g)
    biases = mlp.init_biases(list(sizes), generator=g) if bias else None
    x = [[g.uniform(-1, 1) for _ in range(sizes[0])] for _ in range(samples)]
    y = [[float(g.random() < 0.5) for _ in range(sizes[-1])] for _ in range(samples)]
    return weights, biases, x, y


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("sizes", NETS, ids=lambda sizes: "-".join(map(str, sizes)))
def test_backward_against_sympy_and_central_differences(sizes, bias, loss):
    weights, biases, x, y = _network(sizes, bias)
    hand = mlp.backward(weights, mlp.forward(weights, x, biases), y, loss)
    exact = symbolic_mlp_gradient(weights, x, y, biases, loss)
    numeric = numeric_mlp_gradient(weights, x, y, biases, loss)
    if not bias:
        assert exact.biases is None and numeric.biases is None
    parts = ["weights", "biases"] if bias else ["weights"]
    for part in parts:
        # sympy: relative for every entry however small; observed ≤ 6e-14
        assert max_relative_error(getattr(exact, part), getattr(hand, part), floor=1e-300) < 1e-12
        # central differences: relative above 1e-3; observed ≤ 4e-7
        assert max_relative_error(getattr(numeric, part), getattr(hand, part), floor=1e-3) < 1e-6


def test_a_net_without_biases_gets_the_gradient_its_zero_biases_would_have():
    weights, _, x, y = _network((2, 3, 1), bias=False, seed=1)
    zeros = [[0.0] * 3, [0.0]]
    hand = mlp.backward(weights, mlp.forward(weights, x), y)
    exact = symbolic_mlp_gradient(weights, x, y, zeros)
    assert max_relative_error(exact.biases, hand.biases, floor=1e-300) < 1e-12


def test_a_wrong_backward_is_caught():
    # drop σ' from the hidden layer's delta: the gradient of the first weights changes
    weights, _, x, y = _network((2, 3, 1), bias=False, seed=2)
    layers = mlp.forward(weights, x)
    out = layers[-1]
    delta = [[(t - o) * o * (1 - o) for t, o in zip(ty, oy)] for ty, oy in zip(y, out)]
    wrong_hidden = [[d[0] * w[0] for w in weights[1]] for d in delta]                  # no σ'
    wrong = [[-sum(x[n][i] * wrong_hidden[n][j] for n in range(4)) for j in range(3)] for i in range(2)]
    exact = symbolic_mlp_gradient(weights, x, y)
    assert max_relative_error(exact.weights[0], wrong, floor=1e-300) > 0.1


def test_check_mlp_reports_small_gaps():
    sizes = (2, 3, 1)
    report = check_mlp(sizes, seed=3, bias=True, loss="binary_cross_entropy")
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    assert isinstance(report, MLPCheck)
    assert report[:4] == (sizes, "binary_cross_entropy", True, n_weights + sum(sizes[1:]))
    assert report.symbolic < 1e-12 and report.numeric < 1e-6
    assert str(report).startswith("-".join(map(str, sizes)) + " net, binary_cross_entropy, with biases")


def test_check_mlp_is_reproducible():
    assert check_mlp((2, 2, 1), seed=5) == check_mlp((2, 2, 1), seed=5)


@pytest.mark.parametrize("call, error, message", [
    (lambda: check_mlp((3,)), ValueError, r"check_mlp: sizes must list at least two layer sizes"),
    (lambda: check_mlp((2, 0, 1)), ValueError, r"check_mlp: sizes\[1\] must be at least 1, got 0"),
    (lambda: check_mlp((2, 1), seed="a"), TypeError, r"check_mlp: seed must be an int, got str"),
    (lambda: check_mlp((2, 1), samples=2.0), TypeError, r"check_mlp: samples must be an int, got float"),
    (lambda: check_mlp((2, 1), loss="l1"), ValueError, r"check_mlp: loss must be one of"),
    (lambda: symbolic_mlp_gradient([[[1.0]]], [[1.0]], [[1.0, 0.0]]), ShapeError,
     r"symbolic_mlp_gradient: y has shape \(1, 2\), the network's output has shape \(1, 1\)"),
    (lambda: numeric_mlp_gradient([[[1.0]]], [[1.0]], [[1.0]], biases=[[1.0, 2.0]]), ShapeError,
     r"numeric_mlp_gradient: biases\[0\] has shape \(2,\) but weights\[0\] \(1, 1\) needs \(1,\)"),
    (lambda: numeric_mlp_gradient([[["w"]]], [[1.0]], [[1.0]]), TypeError,
     r"numeric_mlp_gradient: weights\[0\]: expected numbers, got str 'w'"),
])
def test_the_network_checks_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- the errors moved out of the docstrings (issue #10), each message pinned whole ----------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: numeric_gradient(sigmoid, 0.0, eps=0), ValueError,
     "numeric_gradient: eps must be a positive finite number, got 0"),
    (lambda: numeric_gradient("sigmoid", 0.0), TypeError,
     "numeric_gradient: f must be a function of x, got str"),
    (lambda: symbolic_gradient(lambda p: "E", [1]), TypeError,
     "symbolic_gradient: f must return a number, got str"),
    (lambda: check(lambda p: p[0] * p[1], [1.0, 2.0], [2.0]), ShapeError,
     "check: grad has the structure (1,), x has (2,)"),
    (lambda: check(sigmoid, 1.5, 0.25, eps=-1e-6), ValueError,
     "check: eps must be a positive finite number, got -1e-06"),
    (lambda: symbolic_mlp_gradient([[[0.0]]], [[2]], [[1]], loss="mse"), ValueError,
     "symbolic_mlp_gradient: loss must be one of 'squared_error', 'binary_cross_entropy', got 'mse'"),
    (lambda: numeric_mlp_gradient([[[0.0]]], [[2, 1]], [[1]]), ShapeError,
     "numeric_mlp_gradient: x (1, 2) @ weights[0] (1, 1): inner sizes 2 and 1 differ"),
    (lambda: check_mlp((2, 3, 1), samples=0), ValueError, "check_mlp: samples must be at least 1, got 0"),
    (lambda: check_mlp((2, 3, 1), bias="no"), TypeError, "check_mlp: bias must be True or False, got str"),
])
def test_the_errors_once_shown_in_the_docstrings(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message
