"""Tests of the perceptron and of linear separability.

Oracles: epochs traced by hand; a second perceptron written here with index
loops; Novikoff's bound on the number of mistakes; brute-force search for
separators of the boolean functions; the known count of threshold functions
of three inputs (104, OEIS A000609); and every certificate checked here
again, exactly, by code independent of the module's own check.
"""
import copy
import itertools
import math
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

import refnn.perceptron as perceptron_module
from refnn.matrix import ShapeError
from refnn.perceptron import ConvergenceWarning, Perceptron, Separability, linearly_separable

CORNERS = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND = [-1, -1, -1, 1]
OR = [-1, 1, 1, 1]
NAND = [1, 1, 1, -1]
XOR = [-1, 1, 1, -1]


def reference_perceptron(X, y, lr, max_epochs):
    """The textbook rule, written separately with indices: (mistakes per epoch, [(w, b) per epoch])."""
    w = [0 for _ in range(len(X[0]))]
    b = 0
    mistakes, history = [], []
    for _ in range(max_epochs):
        count = 0
        for i in range(len(X)):
            activation = b
            for k in range(len(w)):
                activation += w[k] * X[i][k]
            if y[i] * activation <= 0:
                for k in range(len(w)):
                    w[k] += lr * y[i] * X[i][k]
                b += lr * y[i]
                count += 1
        mistakes.append(count)
        history.append((list(w), b))
        if count == 0:
            break
    return mistakes, history


def fit_quietly(p, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return p.fit(X, y)


# --- the perceptron on the gates ---------------------------------------------

def test_and_first_three_epochs_traced_by_hand():
    # epoch 1: (0,0) has 0 <= 0 -> b = -1; (0,1), (1,0) fine; (1,1) has 1*(0-1) < 0 -> w = (1,1), b = 0
    # epoch 2: (0,0) 0 -> b = -1; (0,1) -1*(1-1) = 0 -> w = (1,0), b = -2; (1,0) fine;
    #          (1,1) 1*(1-2) < 0 -> w = (2,1), b = -1
    # epoch 3: (0,0) fine; (0,1) -1*(1-1) = 0 -> w = (2,0), b = -2; (1,0) -1*(2-2) = 0 -> w = (1,0), b = -3;
    #          (1,1) 1*(1-3) < 0 -> w = (2,1), b = -2
    p = Perceptron().fit(CORNERS, AND)
    assert p.mistakes[:3] == [2, 3, 3]
    assert p.history[:3] == [([1, 1], 0), ([2, 1], -1), ([2, 1], -2)]


def test_and_learns_the_documented_line_in_9_epochs_in_ints():
    p = Perceptron().fit(CORNERS, AND)
    assert (p.weights, p.bias, p.converged, len(p.mistakes)) == ([3, 2], -4, True, 9)
    assert p.mistakes[-1] == 0 and all(m > 0 for m in p.mistakes[:-1])
    assert all(type(v) is int for v in p.weights + [p.bias])
    # the line separates AND: 3*x1 + 2*x2 - 4 is -4, -2, -1, 1 on the corners
    assert [3 * a + 2 * b - 4 for a, b in CORNERS] == [-4, -2, -1, 1]
    assert p.predict(CORNERS) == AND


@pytest.mark.parametrize("labels", [AND, OR, NAND])
def test_gates_match_the_reference_perceptron(labels):
    p = Perceptron().fit(CORNERS, labels)
    mistakes, history = reference_perceptron(CORNERS, labels, 1, 1000)
    assert (p.mistakes, p.history) == (mistakes, history)
    assert p.converged and p.predict(CORNERS) == labels


def test_nand_is_and_mirrored():
    # flipping every label flips every update, so the line is AND's with the opposite sign
    p, q = Perceptron().fit(CORNERS, AND), Perceptron().fit(CORNERS, NAND)
    assert q.weights == [-w for w in p.weights] and q.bias == -p.bias and q.mistakes == p.mistakes


def test_xor_cycles_and_stops_at_max_epochs_with_a_warning():
    # epoch 1 by hand: b = -1; w = (0,1), b = 0; w = (1,1), b = 1; w = (0,0), b = 0: back at the start
    expected = r"not converged in 7 epochs \(4 mistakes in the last\).*linearly_separable"
    with pytest.warns(ConvergenceWarning, match=expected):
        p = Perceptron(max_epochs=7).fit(CORNERS, XOR)
    assert p.converged is False
    assert p.mistakes == [4] * 7 and p.history == [([0, 0], 0)] * 7
    assert repr(p) == ("Perceptron(lr=1, max_epochs=7): NOT converged: 4 mistakes in the last of 7 epochs, "
                       "weights=[0, 0], bias=0")


def test_default_max_epochs_ends_on_xor():
    p = fit_quietly(Perceptron(), CORNERS, XOR)
    assert len(p.mistakes) == 1000 and not p.converged


def test_convergence_in_the_very_last_allowed_epoch_counts():
    assert Perceptron(max_epochs=9).fit(CORNERS, AND).converged
    with pytest.warns(ConvergenceWarning, match=r"not converged in 8 epochs \(1 mistakes in the last\)"):
        assert not Perceptron(max_epochs=8).fit(CORNERS, AND).converged


def test_learning_rate_scales_the_weights_and_not_the_mistakes():
    base = Perceptron().fit(CORNERS, AND)
    for lr in (Fraction(1, 3), 0.5, 7):
        p = Perceptron(lr=lr).fit(CORNERS, AND)
        assert p.mistakes == base.mistakes
        assert p.weights == [lr * w for w in base.weights] and p.bias == lr * base.bias
    assert Perceptron(lr=Fraction(1, 3)).fit(CORNERS, AND).weights == [1, Fraction(2, 3)]


def test_float_labels_are_classes_not_quantities():
    p = Perceptron().fit(CORNERS, [-1.0, -1.0, -1.0, 1.0])
    assert p.weights == [3, 2] and type(p.bias) is int


def test_refit_starts_again():
    p = fit_quietly(Perceptron(max_epochs=20), CORNERS, XOR)
    p.fit(CORNERS, AND)
    assert p.converged and len(p.history) == 9 and len(p.mistakes) == 9


def test_history_entries_are_copies():
    p = Perceptron().fit(CORNERS, AND)
    p.weights[0] = 100
    assert p.history[-1] == ([3, 2], -4)


def test_one_feature_and_three_features():
    # 1-D: the threshold between 1 and 2
    p = Perceptron().fit([[0], [1], [2], [3]], [-1, -1, 1, 1])
    assert p.converged and p.predict([[0], [1], [2], [3]]) == [-1, -1, 1, 1]
    # 3-D: majority of three bits
    X = [list(x) for x in itertools.product((0, 1), repeat=3)]
    y = [1 if sum(x) >= 2 else -1 for x in X]
    p = Perceptron().fit(X, y)
    assert p.converged and p.predict(X) == y


# --- convergence: Novikoff's bound -------------------------------------------

@st.composite
def separable_data(draw):
    """Integer points in 1-3 dimensions with labels from a known integer separator (u, c), margin >= 1."""
    d = draw(st.integers(1, 3))
    u = draw(st.lists(st.integers(-4, 4), min_size=d, max_size=d).filter(any))
    c = draw(st.integers(-6, 6))
    points = draw(st.lists(st.lists(st.integers(-5, 5), min_size=d, max_size=d), min_size=1, max_size=25))
    points = [x for x in points if sum(a * b for a, b in zip(u, x)) + c != 0]
    labels = [1 if sum(a * b for a, b in zip(u, x)) + c > 0 else -1 for x in points]
    return points, labels, u, c


def novikoff_bound(points, labels, u, c):
    """(R/γ)², the bias folded in as a constant input 1: R² = max ‖(x, 1)‖², γ = min y(u·x + c) / ‖(u, c)‖."""
    r2 = max(sum(v * v for v in x) + 1 for x in points)
    margin = min(t * (sum(a * b for a, b in zip(u, x)) + c) for x, t in zip(points, labels))
    return Fraction(r2 * (sum(a * a for a in u) + c * c), margin * margin)


@given(separable_data())
def test_converges_within_novikoffs_bound(data):
    """Property: on separable data the total number of updates is at most (R/γ)²."""
    points, labels, u, c = data
    if not points:
        return
    bound = novikoff_bound(points, labels, u, c)
    p = Perceptron(max_epochs=int(bound) + 2).fit(points, labels)
    assert p.converged
    assert sum(p.mistakes) <= bound
    assert p.predict(points) == labels
    assert (p.mistakes, p.history) == reference_perceptron(points, labels, 1, int(bound) + 2)


def test_and_within_novikoffs_bound():
    # with the separator 2·x1 + 2·x2 − 3: R² = 3, ‖(2, 2, −3)‖² = 17, margin 1: bound 51
    assert novikoff_bound(CORNERS, AND, [2, 2], -3) == 51
    assert sum(Perceptron().fit(CORNERS, AND).mistakes) == 18


# --- predict ------------------------------------------------------------------

def test_predict_on_the_line_says_plus_one():
    p = Perceptron().fit(CORNERS, AND)                  # 3·x1 + 2·x2 − 4
    assert p.predict([[0, 2], [2, -1], [Fraction(4, 3), 0]]) == [1, 1, 1]
    assert p.predict([[0, 1.999], [1, 0.49]]) == [-1, -1]


def test_predict_a_vector_gives_one_label():
    p = Perceptron().fit(CORNERS, AND)
    assert p.predict([1, 1]) == 1 and p.predict((0, 0)) == -1


@given(st.lists(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=2), min_size=1, max_size=10))
def test_predict_answers_only_plus_and_minus_one(points):
    p = Perceptron().fit(CORNERS, AND)
    assert set(p.predict(points)) <= {-1, 1}


# --- bad input -----------------------------------------------------------------

@pytest.mark.parametrize("X, y, error, message", [
    (CORNERS, [0, 0, 0, 1], ValueError,
     r"Perceptron.fit: labels must be -1 and \+1, found \{0, 1\}; "
     r"for 0/1 labels pass \[2\*t - 1 for t in y\]"),
    (CORNERS, [-1, 0, 1, 2], ValueError, r"labels must be -1 and \+1, found \{-1, 0, 1, 2\}$"),
    (CORNERS, [-1, 1, 1], ShapeError, r"Perceptron.fit: X has 4 samples \(rows\) but y has 3 labels"),
    (CORNERS, [[-1], [1], [1], [1]], ShapeError, "Perceptron.fit: y: expected a vector"),
    (CORNERS, ["a", 1, 1, 1], TypeError, "Perceptron.fit: y: expected numbers, got str"),
    ([], [], ShapeError, "Perceptron.fit: X is empty; give at least one sample"),
    ([[]], [1], ShapeError, r"Perceptron.fit: X: empty matrix of shape \(1, 0\)"),
    ([0, 1, 2], [1, -1, 1], ShapeError,
     r"Perceptron.fit: X must be a matrix with one sample per row, got a vector of shape \(3,\)"),
    ([[0, 1], [1]], [1, -1], ShapeError, "Perceptron.fit: X: ragged list"),
    ([[0, "1"]], [1], TypeError, "Perceptron.fit: X: expected numbers, got str '1'"),
    ([[0, float("nan")]], [1], ValueError, "Perceptron.fit: X holds nan; learning needs finite numbers"),
    ([[0, float("-inf")]], [1], ValueError, "Perceptron.fit: X holds -inf"),
    # moved here from the docstring (issue #10), the message as it was shown there
    ([[0, 1], [float("nan"), 0]], [1, -1], ValueError,
     r"^Perceptron.fit: X holds nan; learning needs finite numbers$"),
])
def test_fit_refuses_bad_data(X, y, error, message):
    with pytest.raises(error, match=message):
        Perceptron().fit(X, y)


def test_fit_refuses_symbols():
    sympy = pytest.importorskip("sympy")
    with pytest.raises(TypeError, match="Perceptron.fit: X must hold real numbers, got Symbol x"):
        Perceptron().fit([[sympy.Symbol("x"), 1]], [1])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0}, ValueError, "Perceptron: lr must be positive, got 0"),
    ({"lr": -0.1}, ValueError, "Perceptron: lr must be positive, got -0.1"),
    ({"lr": float("inf")}, ValueError, "Perceptron: lr must be positive, got inf"),
    ({"lr": float("nan")}, ValueError, "Perceptron: lr must be positive, got nan"),
    ({"lr": "1"}, TypeError, "Perceptron: lr must be a real number, got str '1'"),
    ({"lr": True}, TypeError, "Perceptron: lr must be a real number, got bool"),
    ({"max_epochs": 0}, ValueError, "Perceptron: max_epochs must be at least 1, got 0"),
    ({"max_epochs": 2.0}, TypeError, "Perceptron: max_epochs must be an int, got float"),
    ({"max_epochs": True}, TypeError, "Perceptron: max_epochs must be an int, got bool"),
    # moved here from the docstring (issue #10), the messages as they were shown there
    ({"lr": 0}, ValueError, r"^Perceptron: lr must be positive, got 0$"),
    ({"max_epochs": 10.5}, TypeError, r"^Perceptron: max_epochs must be an int, got float$"),
])
def test_constructor_refuses_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        Perceptron(**kwargs)


def test_predict_errors():
    with pytest.raises(ValueError, match=r"Perceptron.predict: the perceptron has not learned yet; call fit"):
        Perceptron().predict(CORNERS)
    p = Perceptron().fit(CORNERS, AND)
    with pytest.raises(ShapeError, match="Perceptron.predict: X has 1 features but the perceptron learned 2"):
        p.predict([[1], [0]])
    with pytest.raises(ValueError, match="Perceptron.predict: X holds nan"):
        p.predict([float("nan"), 0])
    with pytest.raises(ShapeError, match="Perceptron.predict: X is empty"):
        p.predict([])
    # moved here from the docstring (issue #10), the message as it was shown there
    with pytest.raises(ShapeError,
                       match=r"^Perceptron.predict: X has 3 features but the perceptron learned 2$"):
        p.predict([[1, 1, 1]])


def test_nothing_is_changed():
    X, y = [[0, 0], [0, 1], (1, 0), [1, 1]], [-1, 1, 1, -1]
    kept = copy.deepcopy((X, y))
    p = fit_quietly(Perceptron(max_epochs=3), X, y)
    p.predict(X)
    linearly_separable(X, y)
    assert (X, y) == kept and type(X[2]) is tuple


def test_repr_before_and_after_fit():
    p = Perceptron(lr=0.5, max_epochs=20)
    assert repr(p) == "Perceptron(lr=0.5, max_epochs=20)"
    p.fit(CORNERS, OR)
    assert repr(p) == ("Perceptron(lr=0.5, max_epochs=20): converged after 6 epochs, "
                       "weights=[1.0, 1.0], bias=-0.5")


# --- linear separability ------------------------------------------------------

def in_both_hulls(result, points, labels):
    """Check a witness independently: λ ≥ 0, each class's λ sum to 1 and give the witness."""
    lam = result.coefficients
    if len(lam) != len(points) or any(l < 0 for l in lam):
        return False
    for cls in (1, -1):
        members = [i for i in range(len(points)) if labels[i] == cls]
        if sum(Fraction(lam[i]) for i in members) != 1:
            return False
        for k in range(len(points[0])):
            if sum(Fraction(lam[i]) * Fraction(points[i][k]) for i in members) != result.witness[k]:
                return False
    return True


def separates(weights, bias, points, labels):
    return all(t * (sum(Fraction(w) * Fraction(v) for w, v in zip(weights, x)) + bias) > 0
               for x, t in zip(points, labels))


def check(result, points, labels):
    """The result is a valid certificate of its answer, whichever it is."""
    assert isinstance(result, Separability)
    if result.separable:
        assert result.witness is None and result.coefficients is None
        assert separates(result.weights, result.bias, points, labels)
    else:
        assert result.weights is None and result.bias is None
        assert in_both_hulls(result, points, labels)


def brute_force_separator(labels, points):
    """Search w in {-2..2}², b in {-3..3}: enough for every threshold function of two inputs."""
    for w1, w2, b in itertools.product(range(-2, 3), range(-2, 3), range(-3, 4)):
        if separates([w1, w2], b, points, labels):
            return [w1, w2], b
    return None


def test_all_sixteen_boolean_functions_of_two_inputs():
    not_separable = []
    for outputs in itertools.product((-1, 1), repeat=4):
        labels = list(outputs)
        result = linearly_separable(CORNERS, labels)
        check(result, CORNERS, labels)
        assert result.separable == (brute_force_separator(labels, CORNERS) is not None)
        if not result.separable:
            not_separable.append(labels)
    assert not_separable == [[-1, 1, 1, -1], [1, -1, -1, 1]]        # XOR and XNOR


def test_xor_witness_is_the_crossing_of_the_diagonals():
    # the segment (0,1)-(1,0) and the segment (0,0)-(1,1) meet only at their midpoints
    result = linearly_separable(CORNERS, XOR)
    assert result.witness == [Fraction(1, 2), Fraction(1, 2)]
    assert result.coefficients == [Fraction(1, 2)] * 4


def test_and_separator_is_in_smallest_integers():
    result = linearly_separable(CORNERS, AND)
    assert result.separable and all(type(v) is int for v in result.weights + [result.bias])
    assert math.gcd(*result.weights, result.bias) == 1
    assert separates(result.weights, result.bias, CORNERS, AND)


def test_104_threshold_functions_of_three_inputs():
    # the number of linearly separable boolean functions of n inputs is 2, 4, 14, 104, ... (OEIS A000609)
    cube = [list(x) for x in itertools.product((0, 1), repeat=3)]
    count = 0
    for outputs in itertools.product((-1, 1), repeat=8):
        result = linearly_separable(cube, list(outputs))
        check(result, cube, outputs)
        count += result.separable
    assert count == 104


def test_parity_and_majority_of_three_bits():
    cube = [list(x) for x in itertools.product((0, 1), repeat=3)]
    parity = [1 if sum(x) % 2 else -1 for x in cube]
    result = linearly_separable(cube, parity)
    assert not result.separable and in_both_hulls(result, cube, parity)
    majority = [1 if sum(x) >= 2 else -1 for x in cube]
    assert linearly_separable(cube, majority).separable


def test_one_dimension():
    # +1 at 1 lies between the -1 at 0 and 2: 1 = (0 + 2) / 2
    result = linearly_separable([[0], [1], [2]], [-1, 1, -1])
    assert result.witness == [1] and result.coefficients == [Fraction(1, 2), 1, Fraction(1, 2)]
    result = linearly_separable([[0], [1], [2]], [-1, 1, 1])
    assert result.separable and separates(result.weights, result.bias, [[0], [1], [2]], [-1, 1, 1])


def test_duplicate_point_with_both_labels_is_its_own_witness():
    result = linearly_separable([[3, 1], [0, 0], [3, 1]], [1, 1, -1])
    assert not result.separable and result.witness == [3, 1]
    assert in_both_hulls(result, [[3, 1], [0, 0], [3, 1]], [1, 1, -1])


def test_one_class_is_separable_by_a_constant():
    assert linearly_separable([[1, 2], [3, 4]], [1, 1]) == Separability(True, [0, 0], 1)
    assert linearly_separable([[5]], [-1]) == Separability(True, [0], -1)


def test_floats_are_taken_exactly():
    # 0.1 + 0.2 is not 0.3 in binary; the answer is about the numbers stored
    points, labels = [[0.1], [0.2], [0.30000000000000004]], [1, -1, 1]
    result = linearly_separable(points, labels)
    check(result, points, labels)
    assert result.witness == [Fraction(0.2)]


@given(st.integers(1, 3).flatmap(lambda d: st.lists(
    st.tuples(st.lists(st.integers(-3, 3), min_size=d, max_size=d), st.sampled_from((-1, 1))),
    min_size=1, max_size=9)))
def test_random_data_certificates_and_the_perceptron_agree(samples):
    """Property: the certificate holds, and the perceptron converges exactly when the data are separable.

    A separator with integer coefficients has margin ≥ 1 on integer data, so
    Novikoff's bound says how many epochs suffice; a perceptron that
    converges has found a separator, so on inseparable data it never does.
    """
    points, labels = [x for x, _ in samples], [t for _, t in samples]
    result = linearly_separable(points, labels)
    check(result, points, labels)
    if result.separable:
        bound = novikoff_bound(points, labels, result.weights, result.bias)
        assert Perceptron(max_epochs=int(bound) + 2).fit(points, labels).converged
    else:
        assert not fit_quietly(Perceptron(max_epochs=50), points, labels).converged


@given(st.lists(st.tuples(st.lists(st.floats(-10, 10, allow_subnormal=False), min_size=2, max_size=2),
                          st.sampled_from((-1, 1))), min_size=1, max_size=8))
def test_random_float_data_certificates(samples):
    points, labels = [x for x, _ in samples], [t for _, t in samples]
    check(linearly_separable(points, labels), points, labels)


@pytest.mark.parametrize("X, y, error, message", [
    ([], [], ShapeError, "linearly_separable: X is empty; give at least one sample"),
    (CORNERS, [0, 1, 1, 0], ValueError, r"linearly_separable: labels must be -1 and \+1, found \{0, 1\}"),
    (CORNERS, [1, -1], ShapeError, r"linearly_separable: X has 4 samples \(rows\) but y has 2 labels"),
    ([1, 2], [1, -1], ShapeError, "linearly_separable: X must be a matrix"),
    ([[1, None]], [1], TypeError, "linearly_separable: X: expected numbers, got NoneType"),
    ([[1, float("inf")]], [1], ValueError, "linearly_separable: X holds inf"),
    # moved here from the docstring (issue #10), the messages as they were shown there
    ([], [], ShapeError, r"^linearly_separable: X is empty; give at least one sample$"),
    (CORNERS, [0, 1, 1, 0], ValueError,
     r"^linearly_separable: labels must be -1 and \+1, found \{0, 1\}; "
     r"for 0/1 labels pass \[2\*t - 1 for t in y\]$"),
])
def test_linearly_separable_refuses_bad_data(X, y, error, message):
    with pytest.raises(error, match=message):
        linearly_separable(X, y)


def test_a_wrong_certificate_is_never_returned(monkeypatch):
    # a solver that lies, both ways: the function's own check must catch it
    liar = lambda A, rhs: ([Fraction(1)] * len(A[0]), None)         # noqa: E731
    monkeypatch.setattr(perceptron_module, "_feasible_point", liar)
    with pytest.raises(RuntimeError, match="linearly_separable: internal error: the certificate"):
        linearly_separable(CORNERS, AND)
    monkeypatch.setattr(perceptron_module, "_feasible_point", lambda A, rhs: (None, [Fraction(1)] * len(A)))
    with pytest.raises(RuntimeError, match="fails its own check"):
        linearly_separable(CORNERS, XOR)
