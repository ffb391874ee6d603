"""Tests of refnn.datasets against facts known from outside the code.

The truth tables against Python's own bit operators; iris against Fisher's
table as R prints it and the UCI notes; the digits against the UCI class
counts; both shipped files against checksums of scikit-learn 1.9.1's copies;
the generators against the geometry that defines them; the helpers against
the statistics module and PyTorch.
"""
import copy
import gzip
import hashlib
import math
import random
import statistics
import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from refnn.datasets import (
    Dataset, classic_xor, load_digits, load_iris, make_blobs, make_circles, make_moons, make_spiral,
    one_hot, standardize, train_test_split, logic_gate, worked_example,
)
from refnn.matrix import ShapeError, matmul

# --- tables --------------------------------------------------------------

GATES = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: 1 - (a & b),
    "xor": lambda a, b: a ^ b,
}


@pytest.mark.parametrize("gate", sorted(GATES))
def test_truth_tables_follow_the_bit_operators(gate):
    X, y = logic_gate(gate)
    assert X == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y == [GATES[gate](a, b) for a, b in X]
    X, y_pm = logic_gate(gate.upper(), labels="pm1")
    assert y_pm == [2 * v - 1 for v in y]


def test_truth_table_errors():
    with pytest.raises(ValueError, match=r"logic_gate: unknown gate 'xnor'; choose from 'and', 'or'"):
        logic_gate("xnor")
    with pytest.raises(ValueError, match=r"logic_gate: unknown gate \['and'\]"):
        logic_gate(["and"])
    with pytest.raises(ValueError, match=r"logic_gate: labels must be '01' or 'pm1', got \['01'\]"):
        logic_gate("and", labels=["01"])


def test_the_seeds_arrays():
    x, weight = worked_example()
    # the seed: layer0 = 1*2 + 1*3 + (-1)*0, and the rest by hand
    assert matmul(x, weight) == [[1*2 + 1*3 + (-1)*0, 1*-1 + 1*-2 + (-1)*1],
                                 [4*2 + 0*3 + 2*0, 4*-1 + 0*-2 + 2*1],
                                 [1*2, 1*-1]]
    X, y = classic_xor()
    assert [row[2] for row in X] == [1, 1, 1, 1]
    assert y == [[a ^ b] for a, b, _ in X]


def test_tables_are_fresh_lists():
    for make in (worked_example, classic_xor, lambda: logic_gate("and")):
        first = make()
        first[0][0][0] = 99
        first[1][0] = 99
        assert make() != first


# --- iris ----------------------------------------------------------------

def test_iris_shape_and_classes():
    iris = load_iris()
    assert isinstance(iris, Dataset)
    assert len(iris.data) == 150 and {len(row) for row in iris.data} == {4}
    assert Counter(iris.target) == {0: 50, 1: 50, 2: 50}
    assert iris.target == [0] * 50 + [1] * 50 + [2] * 50
    assert iris.target_names == ["setosa", "versicolor", "virginica"]
    assert iris.feature_names == ["sepal length (cm)", "sepal width (cm)",
                                  "petal length (cm)", "petal width (cm)"]
    assert iris.images is None
    assert all(type(v) is float for row in iris.data for v in row)


def test_iris_matches_fishers_table():
    X, y = load_iris(return_X_y=True)
    cols = list(zip(*X))
    # R: colMeans(iris) = 5.843333 3.057333 3.758000 1.199333, i.e. these column sums
    assert [round(math.fsum(c), 6) for c in cols] == [876.5, 458.6, 563.7, 179.9]
    # the minima and maxima of scikit-learn's description of the set
    assert [min(c) for c in cols] == [4.3, 2.0, 1.0, 0.1]
    assert [max(c) for c in cols] == [7.9, 4.4, 6.9, 2.5]
    # R: aggregate(. ~ Species, iris, mean)
    species_means = [[5.006, 3.428, 1.462, 0.246], [5.936, 2.770, 4.260, 1.326], [6.588, 2.974, 5.552, 2.026]]
    for k, expected in enumerate(species_means):
        rows = [row for row, label in zip(X, y) if label == k]
        assert [round(math.fsum(c) / 50, 3) for c in zip(*rows)] == expected


def test_iris_is_fishers_not_ucis():
    # UCI's iris.names: "The 35th sample should be: 4.9,3.1,1.5,0.2 ... The 38th sample: 4.9,3.6,1.4,0.1"
    X, _ = load_iris(return_X_y=True)
    assert X[34] == [4.9, 3.1, 1.5, 0.2]
    assert X[37] == [4.9, 3.6, 1.4, 0.1]


def _body_sha256(filename, skip):
    raw = resources.files("refnn.datasets").joinpath(filename).read_bytes()
    if filename.endswith(".gz"):
        raw = gzip.decompress(raw)
    lines = raw.decode("ascii").splitlines()[skip:]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_shipped_files_are_scikit_learns():
    # sha256 of scikit-learn 1.9.1's sklearn/datasets/data files, their data lines joined by "\n"
    # (iris.csv without its first line, which holds sizes and names; digits.csv.gz decompressed)
    iris = "39f03d68cb1774ba478c11b2b26b881e069926d92a320f3e87be64f1567aa139"
    digits = "63e266dec490e75ef6c22e592ba8e509f5cd6d9536f6a3c84547c959afa1f82a"
    assert _body_sha256("iris.csv", 1) == iris
    assert _body_sha256("digits.csv.gz", 1) == digits


# --- digits --------------------------------------------------------------

UCI_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]   # optdigits.names, testing set


def test_digits_shape_values_and_classes():
    digits = load_digits()
    assert len(digits.data) == 1797 and {len(row) for row in digits.data} == {64}
    assert {type(v) for row in digits.data for v in row} == {int}
    assert min(min(row) for row in digits.data) == 0
    assert max(max(row) for row in digits.data) == 16
    counts = Counter(digits.target)
    assert [counts[k] for k in range(10)] == UCI_TEST_COUNTS
    assert digits.target_names == list(range(10))
    assert digits.feature_names == [f"pixel_{r}_{c}" for r in range(8) for c in range(8)]
    for row, image in zip(digits.data[:50], digits.images[:50]):
        assert [image[r][c] for r in range(8) for c in range(8)] == row


@pytest.mark.parametrize("n_class", [1, 2, 5, 10])
def test_digits_n_class(n_class):
    X, y = load_digits(n_class=n_class, return_X_y=True)
    assert len(X) == len(y) == sum(UCI_TEST_COUNTS[:n_class])
    assert set(y) == set(range(n_class))


def test_loaders_return_fresh_lists():
    X, y = load_digits(return_X_y=True)
    X[0][0], y[0] = 99, 99
    again = load_digits()
    assert again.data[0][0] == 0 and again.target[0] == 0
    again.images[0][0][0] = 99
    assert load_digits().images[0][0][0] == 0
    iris = load_iris()
    iris.feature_names[0] = "changed"
    iris.target_names[0] = "changed"
    assert load_iris().feature_names[0] == "sepal length (cm)"
    assert load_iris().target_names[0] == "setosa"


def test_loader_errors():
    with pytest.raises(ValueError, match="load_digits: n_class must be at least 1, got 0"):
        load_digits(n_class=0)
    with pytest.raises(ValueError, match="load_digits: n_class must be between 1 and 10, got 11"):
        load_digits(n_class=11)
    with pytest.raises(TypeError, match="load_digits: n_class must be an int, got float"):
        load_digits(n_class=2.0)
    with pytest.raises(TypeError, match="load_digits: return_X_y must be True or False, got int"):
        load_digits(return_X_y=1)
    with pytest.raises(TypeError, match="load_iris: return_X_y must be True or False, got NoneType"):
        load_iris(return_X_y=None)


def test_import_pulls_in_no_third_party_module():
    code = ("import sys, refnn.datasets as d; d.load_digits(); d.make_moons(); "
            "print(sorted(m for m in ('numpy', 'matplotlib', 'sympy', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- generators ----------------------------------------------------------

GENERATORS = [make_moons, make_circles, make_blobs, make_spiral]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_are_seeded(make):
    assert make(n_samples=50, seed=3) == make(n_samples=50, seed=3)
    assert make(n_samples=50, seed=3) != make(n_samples=50, seed=4)
    # a random.Random is drawn from, and so advanced
    rng = random.Random(3)
    assert make(n_samples=50, seed=rng) == make(n_samples=50, seed=3)
    assert make(n_samples=50, seed=rng) != make(n_samples=50, seed=3)


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_shuffle_is_a_permutation(make):
    kwargs = {"cluster_std": 0} if make is make_blobs else {}
    X, y = make(n_samples=31, shuffle=False, **kwargs)
    Xs, ys = make(n_samples=31, shuffle=True, **kwargs)
    assert sorted(zip(map(tuple, X), y)) == sorted(zip(map(tuple, Xs), ys))
    assert (X, y) != (Xs, ys)
    assert all(type(v) is float for p in Xs for v in p) and all(type(label) is int for label in ys)


@pytest.mark.parametrize("n", [2, 3, 10, 101])
def test_moons_lie_on_their_half_circles(n):
    X, y = make_moons(n_samples=n, shuffle=False)
    assert y == [0] * (n // 2) + [1] * (n - n // 2)
    for (a, b), label in zip(X, y):
        cx, cy, side = (0, 0, 1) if label == 0 else (1, 0.5, -1)
        assert math.hypot(a - cx, b - cy) == pytest.approx(1, abs=1e-12)
        assert side * (b - cy) >= -1e-12          # upper half for label 0, lower for label 1
    # the ends of each half circle are included, as in NumPy's linspace
    if n >= 4:
        assert X[0] == pytest.approx([1, 0]) and X[-1] == pytest.approx([2, 0.5])


@pytest.mark.parametrize("factor", [0, 0.3, 0.8])
def test_circles_have_their_radii(factor):
    X, y = make_circles(n_samples=21, factor=factor, shuffle=False)
    assert y == [0] * 10 + [1] * 11
    assert [math.hypot(*p) for p in X] == pytest.approx([1] * 10 + [factor] * 11, abs=1e-12)
    # equally spaced angles, the end excluded: 10 points 36 degrees apart
    angles = [math.degrees(math.atan2(b, a)) % 360 for a, b in X[:10]]
    assert angles == pytest.approx([36 * i for i in range(10)], abs=1e-9)


def test_spiral_arms_follow_their_formula():
    K, turns = 3, 1.5
    X, y = make_spiral(n_samples=31, n_classes=K, turns=turns, shuffle=False)
    sizes = [11, 10, 10]
    assert y == [0] * 11 + [1] * 10 + [2] * 10
    i = 0
    for k, m in enumerate(sizes):
        for j in range(m):
            r = (j + 1) / m
            theta = 2 * math.pi * (turns * r + k / K)
            assert X[i] == pytest.approx([r * math.cos(theta), r * math.sin(theta)], abs=1e-12)
            i += 1


def test_noise_has_the_asked_spread():
    # noise is N(0, sigma^2) added to each coordinate: the residuals against the noise-free set
    sigma = 0.1
    clean, _ = make_circles(n_samples=2000, shuffle=False)
    noisy, _ = make_circles(n_samples=2000, noise=sigma, seed=5, shuffle=False)
    residuals = [b - a for p, q in zip(clean, noisy) for a, b in zip(p, q)]
    assert abs(statistics.fmean(residuals)) < 4 * sigma / math.sqrt(len(residuals))
    assert statistics.pstdev(residuals) == pytest.approx(sigma, rel=0.05)


def test_blobs_gather_around_their_centres():
    centers = [[-5.0, 0.0], [5.0, 2.0], [0.0, 8.0]]
    X, y = make_blobs(n_samples=3000, centers=centers, cluster_std=0.5, seed=2)
    assert Counter(y) == {0: 1000, 1: 1000, 2: 1000}
    for k, centre in enumerate(centers):
        pts = [p for p, label in zip(X, y) if label == k]
        for axis in range(2):
            values = [p[axis] for p in pts]
            assert abs(statistics.fmean(values) - centre[axis]) < 4 * 0.5 / math.sqrt(1000)
            assert statistics.pstdev(values) == pytest.approx(0.5, rel=0.1)
    # drawn centres lie in center_box; uneven sizes go to the first blobs
    X, y = make_blobs(n_samples=8, centers=3, cluster_std=0, center_box=(2, 3), shuffle=False)
    assert y == [0, 0, 0, 1, 1, 1, 2, 2]
    assert all(2 <= v <= 3 for p in X for v in p)
    assert make_blobs(n_samples=4, centers=[[1, 2, 3]], cluster_std=0)[0] == [[1.0, 2.0, 3.0]] * 4


def test_generators_run_the_same_on_every_python():
    """The seeded points agree exactly on each CPython 3.10-3.13 that the machine has."""
    code = ("from refnn.datasets import make_moons, make_spiral, make_blobs, train_test_split\n"
            "X, y = make_moons(n_samples=40, noise=0.2, seed=9)\n"
            "S, t = make_spiral(n_samples=30, n_classes=3, noise=0.1, seed=1)\n"
            "B, u = make_blobs(n_samples=20, seed=4)\n"
            "print(repr((X, y, S, t, B, u, train_test_split(X, y, seed=2, stratify=True))))\n")
    pythons = [sys.executable] + sorted(
        str(p) for minor in (10, 11, 12, 13) if sys.version_info[:2] != (3, minor)
        for p in Path.home().glob(f".pyenv/versions/3.{minor}.*/bin/python3.{minor}"))
    if len(pythons) < 2:
        pytest.skip("only one CPython on this machine")
    root = str(Path(__file__).resolve().parents[1])
    outputs = {python: subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                                      cwd=root).stdout for python in pythons}
    assert len(set(outputs.values())) == 1, outputs.keys()


def test_generator_errors():
    with pytest.raises(ValueError, match="make_moons: n_samples must be at least 2, got 1"):
        make_moons(n_samples=1)
    with pytest.raises(TypeError, match="make_moons: n_samples must be an int, got float"):
        make_moons(n_samples=10.0)
    with pytest.raises(ValueError, match="make_moons: noise must be at least 0, got -0.1"):
        make_moons(noise=-0.1)
    with pytest.raises(ValueError, match="make_circles: noise must be finite, got nan"):
        make_circles(noise=float("nan"))
    with pytest.raises(TypeError, match="make_circles: factor must be a number, got str"):
        make_circles(factor="0.5")
    with pytest.raises(ValueError, match="make_circles: factor must be at least 0 and less than 1, got -0.5"):
        make_circles(factor=-0.5)
    with pytest.raises(TypeError, match="make_spiral: seed must be an int or a random.Random, got float"):
        make_spiral(seed=1.5)
    with pytest.raises(ValueError, match="make_spiral: n_samples must be at least 4, got 3"):
        make_spiral(n_samples=3, n_classes=4)
    with pytest.raises(TypeError, match="make_spiral: shuffle must be True or False, got str"):
        make_spiral(shuffle="no")
    with pytest.raises(ValueError, match="make_blobs: cluster_std must be at least 0, got -1"):
        make_blobs(cluster_std=-1)
    with pytest.raises(ValueError, match="make_blobs: centers holds inf"):
        make_blobs(centers=[[0, float("inf")]])
    with pytest.raises(ShapeError, match="make_blobs: empty matrix"):
        make_blobs(centers=[[]])
    with pytest.raises(TypeError, match=r"make_blobs: center_box must be a pair \(low, high\), got 10"):
        make_blobs(center_box=10)
    with pytest.raises(ValueError, match=r"make_blobs: center_box must have low <= high, got \(3, 2\)"):
        make_blobs(center_box=(3, 2))


def test_a_failed_call_draws_nothing():
    rng = random.Random(1)
    state = rng.getstate()
    with pytest.raises(ValueError):
        make_blobs(n_samples=100, cluster_std=-1, seed=rng)
    with pytest.raises(ValueError):
        train_test_split([[1], [2]], [0, 1], test_size=5, seed=rng)
    assert rng.getstate() == state


# --- train_test_split ----------------------------------------------------

@given(n=st.integers(2, 60), share=st.floats(0.01, 0.99), seed=st.integers(0, 2**32))
def test_split_is_a_partition_of_the_asked_size(n, share, seed):
    X = [[i, -i] for i in range(n)]
    y = list(range(n))
    n_test = math.ceil(share * n)
    if not 1 <= n_test < n:
        with pytest.raises(ValueError, match="train_test_split: test_size="):
            train_test_split(X, y, test_size=share, seed=seed)
        return
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=share, seed=seed)
    assert len(X_test) == len(y_test) == n_test
    assert sorted(y_train + y_test) == y                # every sample once
    assert [[i, -i] for i in y_train] == X_train        # rows stay with their labels
    assert [[i, -i] for i in y_test] == X_test


def test_split_is_seeded_and_shuffles():
    X, y = [[i] for i in range(100)], list(range(100))
    assert train_test_split(X, y, seed=5) == train_test_split(X, y, seed=5)
    assert train_test_split(X, y, seed=5) != train_test_split(X, y, seed=6)
    _, X_test, _, _ = train_test_split(X, y, test_size=20, seed=5)
    assert X_test != sorted(X_test)                   # not the first or last 20 in order
    assert train_test_split(X, y, seed=random.Random(5)) == train_test_split(X, y, seed=5)


@given(counts=st.lists(st.integers(2, 30), min_size=2, max_size=5), share=st.floats(0.1, 0.9),
       seed=st.integers(0, 1000))
def test_stratified_split_keeps_every_share(counts, share, seed):
    y = [k for k, c in enumerate(counts) for _ in range(c)]
    X = [[i] for i in range(len(y))]
    n_test = math.ceil(share * len(y))
    if n_test >= len(y):
        return
    _, X_test, _, y_test = train_test_split(X, y, test_size=share, seed=seed, stratify=True)
    assert len(y_test) == n_test
    found = Counter(y_test)
    for k, c in enumerate(counts):
        assert abs(found[k] - c * n_test / len(y)) < 1     # each class within one sample of its share


def test_stratified_split_of_iris_and_digits():
    X, y = load_iris(return_X_y=True)
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0, stratify=True)
    assert Counter(y_test) == {0: 10, 1: 10, 2: 10} and Counter(y_train) == {0: 40, 1: 40, 2: 40}
    X, y = load_digits(return_X_y=True)
    _, _, _, y_test = train_test_split(X, y, test_size=0.2, seed=0, stratify=True)
    assert len(y_test) == 360
    assert all(abs(Counter(y_test)[k] - UCI_TEST_COUNTS[k] * 360 / 1797) < 1 for k in range(10))


def test_split_takes_columns_and_images_and_copies():
    X = [[[i, i], [i, i]] for i in range(6)]          # six 2 x 2 images
    y = [[i % 2] for i in range(6)]                   # a column, like the seed's y
    before = copy.deepcopy((X, y))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=2, stratify=True, seed=0)
    assert sorted(map(tuple, y_test)) == [(0,), (1,)]
    X_test[0][0][0] = 99
    y_test[0][0] = 99
    assert (X, y) == before


def test_split_errors():
    X, y = [[1], [2], [3]], [0, 1, 0]
    with pytest.raises(ShapeError, match="train_test_split: X has 3 samples but y has 2"):
        train_test_split(X, y[:2])
    with pytest.raises(ValueError, match="train_test_split: need at least 2 samples to split, got 1"):
        train_test_split([[1]], [0])
    with pytest.raises(ValueError, match=r"train_test_split: need at least 2 samples to split, got 0"):
        train_test_split([], [])
    with pytest.raises(TypeError, match="train_test_split: X and y must be lists of samples, got a number"):
        train_test_split(5, 5)
    with pytest.raises(TypeError, match="train_test_split: expected numbers, got str 'a'"):
        train_test_split([[1], ["a"]], [0, 1])
    with pytest.raises(ShapeError, match="train_test_split: ragged list"):
        train_test_split([[1], [2, 3]], [0, 1])
    with pytest.raises(ValueError, match=r"test_size must be between 0 and 1 \(a share\) or an int, got 1.5"):
        train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="train_test_split: test_size=0 puts no sample in the test part"):
        train_test_split(X, y, test_size=0)
    with pytest.raises(ValueError, match="train_test_split: test_size=0.99 leaves no sample to train on"):
        train_test_split(X, y, test_size=0.99)
    with pytest.raises(TypeError, match="train_test_split: test_size must be a number, got str"):
        train_test_split(X, y, test_size="20%")
    message = "train_test_split: stratify needs at least 2 samples of every class; label 1 has 1"
    with pytest.raises(ValueError, match=message):
        train_test_split(X, y, test_size=1, stratify=True)
    with pytest.raises(TypeError, match="train_test_split: stratify must be True or False, got list"):
        train_test_split(X, y, stratify=y)


# --- one_hot -------------------------------------------------------------

def test_one_hot_matches_torch(torch):
    labels = [3, 0, 2, 2, 1, 4]
    for n in (None, 5, 7):
        expected = torch.nn.functional.one_hot(torch.tensor(labels), num_classes=-1 if n is None else n)
        assert one_hot(labels, n) == expected.tolist()


@given(st.lists(st.integers(0, 9), min_size=1, max_size=30))
def test_one_hot_rows_point_at_their_label(labels):
    rows = one_hot(labels)
    assert all(len(row) == max(labels) + 1 and sum(row) == 1 and row[k] == 1 for row, k in zip(rows, labels))


def test_one_hot_errors():
    with pytest.raises(ValueError, match=r"one_hot: label -1 at index 0 is outside 0..1 \(num_classes=2\)"):
        one_hot([-1, 1])
    with pytest.raises(ValueError, match=r"one_hot: label 2 at index 1 is outside 0..1 \(num_classes=2\)"):
        one_hot([0, 2], num_classes=2)
    with pytest.raises(TypeError, match="one_hot: labels must be ints, got bool True at index 0"):
        one_hot([True, 0])
    with pytest.raises(TypeError, match="one_hot: num_classes must be an int, got float"):
        one_hot([0, 1], num_classes=2.0)
    with pytest.raises(ShapeError, match=r"one_hot: empty vector of shape \(0,\)"):
        one_hot([])
    with pytest.raises(ShapeError, match=r"one_hot: expected a vector \(a list of numbers\), got a matrix"):
        one_hot([[0], [1]])


# --- standardize ---------------------------------------------------------

def test_standardize_matches_the_statistics_module():
    X, _ = load_iris(return_X_y=True)
    before = copy.deepcopy(X)
    Z, (mean, std) = standardize(X)
    cols = list(zip(*X))
    assert mean == pytest.approx([statistics.fmean(c) for c in cols], rel=1e-15)
    assert std == pytest.approx([statistics.pstdev(c) for c in cols], rel=1e-14)
    for z_col in zip(*Z):
        assert statistics.fmean(z_col) == pytest.approx(0, abs=1e-14)
        assert statistics.pstdev(z_col) == pytest.approx(1, rel=1e-14)
    assert X == before


def test_standardize_applies_given_statistics():
    train = [[1.0, 5.0], [3.0, 9.0]]
    test = [[2.0, 1.0], [4.0, 7.0]]
    _, stats = standardize(train)
    assert stats == ([2.0, 7.0], [1.0, 2.0])
    assert standardize(test, *stats)[0] == [[0.0, -3.0], [2.0, 0.0]]    # (x - mean) / std by hand
    mean, std = [0, 0], [1, 1]
    Z, (m, s) = standardize(test, mean, std)
    m.append(9), s.append(9)
    assert mean == [0, 0] and std == [1, 1]


def test_standardize_errors():
    with pytest.raises(ShapeError, match=r"standardize: empty matrix of shape \(1, 0\)"):
        standardize([[]])
    with pytest.raises(ShapeError, match=r"standardize: expected a matrix \(a list of rows\), got a vector"):
        standardize([1, 2, 3])
    with pytest.raises(TypeError, match="standardize: expected numbers, got str 'x'"):
        standardize([[1, "x"]])
    with pytest.raises(ValueError, match="standardize: X holds nan; learning needs finite numbers"):
        standardize([[1, float("nan")]])
    with pytest.raises(ValueError, match="standardize: give both mean and std, or neither"):
        standardize([[1, 2]], std=[1, 1])
    with pytest.raises(ShapeError, match="standardize: X has 2 columns but mean has 3 entries"):
        standardize([[1, 2]], [0, 0, 0], [1, 1, 1])
    with pytest.raises(ValueError, match="standardize: std must be greater than 0, got -1 in column 0"):
        standardize([[1, 2]], [0, 0], [-1, 1])
    with pytest.raises(ValueError, match="standardize: std holds inf"):
        standardize([[1, 2]], [0, 0], [float("inf"), 1])
