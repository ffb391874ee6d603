"""refnn.matrix: algebra that holds exactly, errors that name the operation, no mutation."""
import copy
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refnn.matrix import (
    ShapeError, add, apply, dot, hadamard, identity, matmul, outer, scale, shape, sub,
    transpose, zeros,
)

ints = st.integers(-9, 9)
fractions = st.fractions(min_value=-5, max_value=5, max_denominator=7)


def matrices(rows, cols, elements=ints):
    return st.lists(st.lists(elements, min_size=cols, max_size=cols), min_size=rows, max_size=rows)


sizes = st.integers(1, 4)


@st.composite
def chain(draw, elements=ints):
    """Three matrices A (n×m), B (m×p), C (p×q) whose products are defined."""
    n, m, p, q = (draw(sizes) for _ in range(4))
    return draw(matrices(n, m, elements)), draw(matrices(m, p, elements)), draw(matrices(p, q, elements))


def by_index(A, B):
    """The definition C[i][j] = Σ_k A[i][k]·B[k][j], written independently of refnn."""
    return [[sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))]
            for i in range(len(A))]


# --- the seed's worked example ------------------------------------------------

def test_seed_worked_example():
    x = [[1, 1, -1], [4, 0, 2], [1, 0, 0]]
    weight = [[2, -1], [3, -2], [0, 1]]
    layer = matmul(x, weight)
    assert layer[0][0] == 1 * 2 + 1 * 3 + (-1) * 0
    assert layer == by_index(x, weight)
    weight0, weight1 = transpose(weight)      # the seed's columns of weight
    assert [dot(row, weight0) for row in x] == [row[0] for row in layer]
    assert [dot(row, weight1) for row in x] == [row[1] for row in layer]


# --- algebra, exactly ------------------------------------------------------------

@given(chain())
def test_matmul_is_the_definition(abc):
    A, B, _ = abc
    assert matmul(A, B) == by_index(A, B)


@given(chain(fractions))
def test_transpose_of_a_product(abc):
    A, B, _ = abc
    assert transpose(matmul(A, B)) == matmul(transpose(B), transpose(A))


@given(chain(fractions))
def test_associativity(abc):
    A, B, C = abc
    assert matmul(matmul(A, B), C) == matmul(A, matmul(B, C))


@given(st.data())
def test_distributivity(data):
    n, m, p = (data.draw(sizes) for _ in range(3))
    A = data.draw(matrices(n, m, fractions))
    B, C = data.draw(matrices(m, p, fractions)), data.draw(matrices(m, p, fractions))
    assert matmul(A, add(B, C)) == add(matmul(A, B), matmul(A, C))
    assert matmul(A, sub(B, C)) == sub(matmul(A, B), matmul(A, C))


@given(st.data())
def test_identity_is_neutral(data):
    n, m = data.draw(sizes), data.draw(sizes)
    A = data.draw(matrices(n, m))
    assert matmul(identity(n), A) == A == matmul(A, identity(m))


@given(st.data())
def test_outer_is_column_times_row(data):
    u = data.draw(st.lists(ints, min_size=1, max_size=5))
    v = data.draw(st.lists(ints, min_size=1, max_size=5))
    assert outer(u, v) == matmul([[a] for a in u], [v])


@given(st.data())
def test_elementwise_entries(data):
    n, m = data.draw(sizes), data.draw(sizes)
    A, B = data.draw(matrices(n, m)), data.draw(matrices(n, m))
    c = data.draw(ints)
    for i in range(n):
        for j in range(m):
            assert add(A, B)[i][j] == A[i][j] + B[i][j]
            assert sub(A, B)[i][j] == A[i][j] - B[i][j]
            assert hadamard(A, B)[i][j] == A[i][j] * B[i][j]
            assert scale(A, c)[i][j] == A[i][j] * c
            assert apply(abs, A)[i][j] == abs(A[i][j])


def test_ints_stay_ints_and_fractions_exact():
    assert all(type(v) is int for row in matmul([[1, 2]], [[3], [4]]) for v in row)
    half = Fraction(1, 2)
    assert matmul([[half, half]], [[half], [half]]) == [[Fraction(1, 2)]]


def test_vectors_follow_torch_matmul():
    W = [[1, 2, 3], [4, 5, 6]]
    assert matmul([1, 1], W) == [5, 7, 9]          # (2,) @ (2, 3) -> (3,)
    assert matmul(W, [1, 0, 1]) == [4, 10]         # (2, 3) @ (3,) -> (2,)
    assert matmul([1, 2], [3, 4]) == 11            # (2,) @ (2,) -> ()


def test_float_products_agree_with_fsum():
    A = [[0.1 * i - 0.3 * j for j in range(5)] for i in range(4)]
    B = [[math.sin(i + j) for j in range(3)] for i in range(5)]
    C = matmul(A, B)
    for i in range(4):
        for j in range(3):
            assert C[i][j] == pytest.approx(math.fsum(A[i][k] * B[k][j] for k in range(5)), abs=1e-15)


def test_sympy_entries_build_expressions():
    sympy = pytest.importorskip("sympy")
    a, b = sympy.symbols("a b")
    assert matmul([[a, b]], [[2], [3]]) == [[2 * a + 3 * b]]


def test_broadcast_row_to_every_row():
    assert add([[1, 2], [3, 4]], [10, 20]) == [[11, 22], [13, 24]]
    assert sub([[1, 2], [3, 4]], [1, 2]) == [[0, 0], [2, 2]]


def test_zeros_rows_are_independent():
    m = zeros(3, 2)
    m[0][0] = 7
    assert m == [[7, 0], [0, 0], [0, 0]]


def test_nan_follows_ieee():
    nan = float("nan")
    assert math.isnan(matmul([[nan, 1]], [[1], [1]])[0][0])


# --- errors name the operation and the shapes; arguments are unchanged -----------

RAGGED = [[1, 2, 3], [4, 5]]


@pytest.mark.parametrize("call, error, message", [
    (lambda: matmul([[1, 2, 3]] * 3, [[1, 2], [3, 4]]), ShapeError,
     r"^matmul: \(3, 3\) @ \(2, 2\): inner sizes 3 and 2 differ$"),
    (lambda: matmul(RAGGED, [[1], [2], [3]]), ShapeError, r"^matmul: ragged list: at depth 1, item 1"),
    (lambda: matmul([[1], [2]], RAGGED), ShapeError, r"^matmul: ragged list"),
    (lambda: matmul([], [[1]]), ShapeError, r"^matmul: empty vector"),
    (lambda: matmul([[]], [[1]]), ShapeError, r"^matmul: empty matrix of shape \(1, 0\)"),
    (lambda: matmul([[[1]]], [[1]]), ShapeError, r"^matmul: expected a vector or a matrix, got a 3-d list"),
    (lambda: matmul(5, [[1]]), ShapeError, r"^matmul: expected a vector or a matrix, got a number"),
    (lambda: matmul([[1, "a"]], [[1], [2]]), TypeError, r"^matmul: expected numbers, got str 'a'"),
    (lambda: matmul([[1, None]], [[1], [2]]), TypeError, r"^matmul: expected numbers, got NoneType"),
    (lambda: matmul([[1, 2]], [[1], [[2]]]), ShapeError, r"^matmul: ragged list"),
    (lambda: dot([1, 2], [1, 2, 3]), ShapeError, r"^dot: \(2,\) and \(3,\) differ$"),
    (lambda: dot([[1]], [1]), ShapeError, r"^dot: expected a vector"),
    (lambda: add([[1, 2]], [[1], [2]]), ShapeError, r"^add: \(1, 2\) and \(2, 1\) differ$"),
    (lambda: add(["a"], ["b"]), TypeError, r"^add: expected numbers, got str"),
    (lambda: sub([1], [complex(1, 1)]), TypeError, r"^sub: expected numbers, got complex"),
    (lambda: hadamard(RAGGED, RAGGED), ShapeError, r"^hadamard: ragged list"),
    (lambda: scale([[1]], "2"), TypeError, r"^scale: c must be a number, got str$"),
    (lambda: apply(None, [1]), TypeError, r"^apply: fn must be callable"),
    (lambda: transpose([1, 2]), ShapeError, r"^transpose: expected a matrix \(a list of rows\)"),
    (lambda: outer([1], [[1]]), ShapeError, r"^outer: expected a vector"),
    (lambda: shape(RAGGED), ShapeError, r"^shape: ragged list: at depth 1, item 1 has 2 entries"),
    (lambda: shape([[1], 2]), ShapeError, r"^shape: ragged list: at depth 1, item 1 has a int"),
    (lambda: shape({"a": 1}), TypeError, r"^shape: expected numbers, got dict"),
    (lambda: zeros(2, 0), ValueError, r"^zeros: cols must be at least 1, got 0$"),
    (lambda: zeros(True), TypeError, r"^zeros: rows must be an int, got bool$"),
    (lambda: identity(-1), ValueError, r"^identity: n must be at least 1"),
    # moved here from the docstrings (issue #10), each message as it was shown there
    (lambda: zeros(0), ValueError, r"^zeros: rows must be at least 1, got 0$"),
    (lambda: identity(1.5), TypeError, r"^identity: n must be an int, got float$"),
    (lambda: shape([1, "2"]), TypeError, r"^shape: expected numbers, got str '2'$"),
    (lambda: outer([[1, 2]], [3]), ShapeError,
     r"^outer: expected a vector \(a list of numbers\), got a matrix of shape \(1, 2\)$"),
    (lambda: sub([1, 2], [[1, 2]]), ShapeError, r"^sub: \(2,\) and \(1, 2\) differ$"),
    (lambda: hadamard([1, 2], ["a", "b"]), TypeError, r"^hadamard: expected numbers, got str 'a'$"),
    (lambda: scale([1, 2], [3]), TypeError, r"^scale: c must be a number, got list$"),
    (lambda: apply(42, [1, 2]), TypeError, r"^apply: fn must be callable, got int$"),
])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- limits: refused at once, with a message that says the limit (moved from the docstrings) -----

def nested(depth):
    x = 1
    for _ in range(depth):
        x = [x]
    return x


def test_nested_lists_have_a_shape_up_to_64_deep():
    assert shape(nested(64)) == (1,) * 64
    with pytest.raises(ShapeError, match=r"^shape: a list nested more than 64 deep; "
                                         r"refnn's lists have at most 64 dimensions$"):
        shape(nested(65))


def test_sizes_are_counted_before_anything_is_built():
    with pytest.raises(ValueError, match=r"^zeros: a 1000000 x 1000000 matrix would hold 1e\+12 numbers; "
                                         r"refnn's lists hold at most 100000000$"):
        zeros(10**6, 10**6)
    with pytest.raises(ValueError, match=r"^identity: a 10001 x 10001 matrix would hold 1e\+08 numbers"):
        identity(10_001)


def test_shape_error_is_a_value_error():
    assert issubclass(ShapeError, ValueError)


@pytest.mark.parametrize("fn", [matmul, add, sub, hadamard, dot])
def test_arguments_are_not_changed(fn):
    A, B = [[1, 2], [3, 4]], [[5, 6], [7, 8]]
    if fn is dot:
        A, B = A[0], B[0]
    before = copy.deepcopy((A, B))
    fn(A, B)
    assert (A, B) == before


def test_results_are_new_lists():
    A = [[1, 2], [3, 4]]
    for result in (transpose(A), apply(abs, A), scale(A, 1), add(A, zeros(2, 2))):
        assert result == A or result == [[1, 3], [2, 4]]
        result[0][0] = 99
        assert A == [[1, 2], [3, 4]]
