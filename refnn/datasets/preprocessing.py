"""What a lesson does to data before learning: split it, one-hot its labels, standardise it.

A network is judged on samples it never trained on, so the data are split
first; the labels of a multi-class problem become one-hot rows, one output
neuron per class; and each feature is shifted and scaled to mean 0 and
standard deviation 1, with the numbers learned from the training part only.

>>> from refnn.datasets import load_iris
>>> X, y = load_iris(return_X_y=True)
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
>>> len(X_train), len(X_test)
(120, 30)
>>> Z_train, (mean, std) = standardize(X_train)
>>> Z_test, _ = standardize(X_test, mean, std)
>>> one_hot(y_test, num_classes=3)[:2]
[[1, 0, 0], [1, 0, 0]]

None of the functions changes its arguments; each returns new lists.
"""
import math
from collections import Counter
from fractions import Fraction

from refnn.datasets._common import _flag, _permutation, _real, _rng
from refnn._checks import _check_finite, _count, _matrix, _shape, ShapeError, _vector
from refnn._kernels import _transpose

__all__ = ["train_test_split", "one_hot", "standardize"]


# --- train_test_split ----------------------------------------------------

def train_test_split(X, y, test_size=0.2, seed=0, stratify=False):
    """Split the samples ``X`` and their labels ``y`` at random into ``X_train, X_test, y_train, y_test``.

    ``test_size`` is the share of the samples that go to the test part (a
    float between 0 and 1; the count is rounded up, ⌈test_size · n⌉, as in
    scikit-learn) or their number (an int).  The samples are drawn in an
    order that the ``seed`` fixes, and both parts keep that order.

    >>> X = [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=1)
    >>> X_test, y_test
    ([[9], [8], [0]], [1, 1, 0])
    >>> sorted(X_train + X_test) == X
    True

    ``stratify=True`` keeps the share of every class in both parts (to
    within one sample): here each class gives two of its five to the test.

    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=4, seed=1, stratify=True)
    >>> sorted(y_test)
    [0, 0, 1, 1]

    A samples can be a vector, a matrix (an image), anything of numbers; a
    label a number or a row (the seed's column ``y`` splits too).  Unlike
    scikit-learn, which draws anew on each call by default, ``seed``
    defaults to 0: the same call always gives the same split.  Name it
    ``seed``, not ``random_state``.

    >>> train_test_split(X, y, test_size=10)
    Traceback (most recent call last):
        ...
    ValueError: train_test_split: test_size=10 leaves no sample to train on (10 samples)
    """
    op = "train_test_split"
    n = _samples(op, X, y)
    n_test = _test_count(op, test_size, n)
    _flag(op, "stratify", stratify)
    keys = [tuple(label) if isinstance(label, list) else label for label in y] if stratify else [None] * n
    quota = _quotas(op, keys, n_test)
    rng = _rng(op, seed)
    train, test = [], []
    for i in _permutation(rng, n):
        if quota[keys[i]]:
            quota[keys[i]] -= 1
            test.append(i)
        else:
            train.append(i)
    return _take(X, train), _take(X, test), _take(y, train), _take(y, test)


def _samples(op, X, y):
    """The number of samples, when ``X`` and ``y`` are non-empty lists of numbers of one length."""
    n, m = _shape(op, X), _shape(op, y)
    if not n or not m:
        raise TypeError(f"{op}: X and y must be lists of samples, got a number")
    if n[0] != m[0]:
        raise ShapeError(f"{op}: X has {n[0]} samples but y has {m[0]}")
    if n[0] < 2:
        raise ValueError(f"{op}: need at least 2 samples to split, got {n[0]}")
    return n[0]


def _test_count(op, test_size, n):
    """How many samples the test part takes: ⌈test_size · n⌉ for a share, test_size for an int."""
    if isinstance(test_size, int) and not isinstance(test_size, bool):
        count = test_size
    else:
        share = _real(op, "test_size", test_size)
        if not 0 < share < 1:
            raise ValueError(f"{op}: test_size must be between 0 and 1 (a share) or an int, got {share}")
        count = math.ceil(share * n)
    if count < 1:
        raise ValueError(f"{op}: test_size={test_size} puts no sample in the test part ({n} samples)")
    if count >= n:
        raise ValueError(f"{op}: test_size={test_size} leaves no sample to train on ({n} samples)")
    return count


def _quotas(op, keys, n_test):
    """How many test samples each class gives: its share of n_test, the remainder to the largest fractions."""
    counts = Counter(keys)
    if len(counts) > 1:
        label, least = min(counts.items(), key=lambda item: item[1])
        if least < 2:
            raise ValueError(f"{op}: stratify needs at least 2 samples of every class; "
                             f"label {label!r} has {least}")
    n = len(keys)
    shares = {key: Fraction(count * n_test, n) for key, count in counts.items()}
    quota = {key: math.floor(share) for key, share in shares.items()}
    left = n_test - sum(quota.values())
    for key in sorted(shares, key=lambda key: quota[key] - shares[key])[:left]:
        quota[key] += 1                               # largest remainder first; ties in order of appearance
    return quota


def _take(rows, indices):
    """The rows at ``indices``, as new lists all the way down."""
    return [_copy(rows[i]) for i in indices]


def _copy(x):
    return [_copy(v) for v in x] if isinstance(x, (list, tuple)) else x


# --- one_hot -------------------------------------------------------------

def one_hot(labels, num_classes=None):
    """Each label k as a row of ``num_classes`` zeros with a 1 at position k (PyTorch's ``F.one_hot``).

    A network with one output neuron per class learns these rows.  By
    default there are ``max(labels) + 1`` classes:

    >>> one_hot([0, 2, 1])
    [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    >>> one_hot([1, 1], num_classes=3)
    [[0, 1, 0], [0, 1, 0]]

    Labels are ints from 0 to ``num_classes - 1``:

    >>> one_hot([0, 3], num_classes=3)
    Traceback (most recent call last):
        ...
    ValueError: one_hot: label 3 at index 1 is outside 0..2 (num_classes=3)
    """
    op = "one_hot"
    _vector(op, labels)
    for i, label in enumerate(labels):
        if isinstance(label, bool) or not isinstance(label, int):
            kind = type(label).__name__
            raise TypeError(f"{op}: labels must be ints, got {kind} {label!r:.20} at index {i}")
    if num_classes is None:
        num_classes = max(labels) + 1
    elif isinstance(num_classes, bool) or not isinstance(num_classes, int):
        raise TypeError(f"{op}: num_classes must be an int, got {type(num_classes).__name__}")
    for i, label in enumerate(labels):
        if not 0 <= label < num_classes:
            raise ValueError(f"{op}: label {label} at index {i} is outside 0..{num_classes - 1} "
                             f"(num_classes={num_classes})")
    _count(op, f"{len(labels)} one-hot rows of {num_classes} classes", len(labels) * num_classes)
    return [[int(k == label) for k in range(num_classes)] for label in labels]


# --- standardize ---------------------------------------------------------

def standardize(X, mean=None, std=None):
    """z = (x − mean) / std for every column of ``X``; returns ``(Z, (mean, std))``.

    Without ``mean`` and ``std`` they are computed from ``X``: each
    column's mean and its population standard deviation (divided by n, as
    scikit-learn's ``StandardScaler``; PyTorch's ``std`` divides by n − 1).

    >>> Z, (mean, std) = standardize([[0, 10], [4, 30]])
    >>> Z
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> mean, std
    ([2.0, 20.0], [2.0, 10.0])
    >>> Z, (mean, std) = standardize([[1, 10], [3, 10], [5, 40]])
    >>> [round(s, 6) for s in std]                 # sqrt(8/3), sqrt(200)
    [1.632993, 14.142136]

    Given ``mean`` and ``std``, the same shift and scale apply to new data:
    test data are standardised with the numbers of the training data.

    >>> standardize([[6, 0]], [2.0, 20.0], [2.0, 10.0])[0]
    [[2.0, -2.0]]

    A column that never changes has standard deviation 0; it is divided by
    1 instead (as scikit-learn does), and the returned ``std`` says so.

    >>> standardize([[2, 1], [2, 3]])
    ([[0.0, -1.0], [0.0, 1.0]], ([2.0, 2.0], [1.0, 1.0]))
    >>> standardize([[1, 2]], [0, 0], [1, 0])
    Traceback (most recent call last):
        ...
    ValueError: standardize: std must be greater than 0, got 0 in column 1
    """
    op = "standardize"
    n, d = _matrix(op, X)
    _check_finite(op, "X", X)
    if (mean is None) != (std is None):
        raise ValueError(f"{op}: give both mean and std, or neither")
    if mean is None:
        cols = _transpose(X)
        try:
            mean = [math.fsum(col) / n for col in cols]
            std = [math.sqrt(math.fsum((v - m) * (v - m) for v in col) / n) or 1.0
                   for col, m in zip(cols, mean)]
        except (OverflowError, ValueError):     # fsum's sum of huge numbers, or of inf and -inf
            mean = std = [math.inf]
        if not all(map(math.isfinite, mean + std)):
            raise ValueError(f"{op}: a column's mean or spread overflows a float; scale X down first")
    else:
        mean, std = _statistics(op, mean, std, d)
    return [[(v - m) / s for v, m, s in zip(row, mean, std)] for row in X], (mean, std)


def _statistics(op, mean, std, d):
    """Check a given (mean, std): vectors of d finite numbers, std positive."""
    for name, value in (("mean", mean), ("std", std)):
        size = _vector(op, value)
        _check_finite(op, name, value)
        if size != (d,):
            raise ShapeError(f"{op}: X has {d} columns but {name} has {size[0]} entries")
    for j, s in enumerate(std):
        if s <= 0:
            raise ValueError(f"{op}: std must be greater than 0, got {s} in column {j}")
    return list(mean), list(std)
