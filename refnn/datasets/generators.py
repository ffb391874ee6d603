"""Seeded 2-D classroom data sets: two moons, circles, blobs and a spiral.

Each generator returns ``(X, y)``: ``X`` a list of points ``[x1, x2]``
(floats), ``y`` a list of int labels, one per point.  None of them is
linearly separable but the blobs, so a perceptron fails where a multi-layer
network succeeds, and the pictures of :mod:`refnn.plot` show why.

>>> X, y = make_moons(n_samples=6, seed=0, shuffle=False)
>>> [[round(v, 6) for v in p] for p in X[:3]], y
([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], [0, 0, 0, 1, 1, 1])

The names and arguments follow scikit-learn's ``make_moons``,
``make_circles`` and ``make_blobs``, with one difference: the randomness is
``seed`` (an int, or a :class:`random.Random` to draw from), not
``random_state``, and it defaults to 0, so the same call gives the same
points every time and on every machine (the draws are ``random()`` and
``gauss()``, whose sequences CPython keeps across versions; the points agree
to the last bit wherever the platform's ``sin``/``cos`` do, and always to
far more digits than a lesson prints).  The numbers are not scikit-learn's:
its generator is NumPy's.

>>> make_circles(n_samples=10, noise=0.1, seed=7) == make_circles(n_samples=10, noise=0.1, seed=7)
True
"""
import math
import reprlib

from refnn.datasets._common import _at_least, _flag, _permutation, _real, _rng
from refnn._checks import _check_finite, _matrix

__all__ = ["make_moons", "make_circles", "make_blobs", "make_spiral"]


def _split(n_samples, k):
    """Sizes of k groups as equal as can be, the first ones larger by one: 7 into 3 is 3, 2, 2."""
    return [n_samples // k + (i < n_samples % k) for i in range(k)]


def _options(op, noise, seed, shuffle, name="noise"):
    """Check the arguments all generators share, before any draw; return the noise and the generator."""
    noise = _real(op, name, noise)
    if noise < 0:
        raise ValueError(f"{op}: {name} must be at least 0, got {noise}")
    _flag(op, "shuffle", shuffle)
    return noise, _rng(op, seed)


def _finish(op, points, labels, noise, rng, shuffle):
    """Add Gaussian noise to every coordinate, then put the samples in a random order."""
    X = [[v + rng.gauss(0.0, noise) for v in p] if noise else [float(v) for v in p] for p in points]
    if not all(map(math.isfinite, (v for p in X for v in p))):
        raise ValueError(f"{op}: the points overflow a float; make the noise (or the centres) smaller")
    if not shuffle:
        return X, list(labels)
    order = _permutation(rng, len(X))
    return [X[i] for i in order], [labels[i] for i in order]


def make_moons(n_samples=100, noise=0.0, seed=0, shuffle=True):
    """Two interleaving half circles of radius 1: upper label 0 around (0, 0), lower label 1 around (1, 0.5).

    Label 0 takes ``n_samples // 2`` points evenly spread over its half
    circle, label 1 the rest; then every coordinate gets Gaussian noise of
    standard deviation ``noise``, and ``shuffle`` puts the points in a
    random order.  Without noise and in order:

    >>> X, y = make_moons(n_samples=6, shuffle=False)
    >>> [[round(v, 6) for v in p] for p in X]
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, 0.5], [1.0, -0.5], [2.0, 0.5]]
    >>> y
    [0, 0, 0, 1, 1, 1]

    A seed gives a noisy, shuffled set that is the same on every run:

    >>> X, y = make_moons(n_samples=100, noise=0.1, seed=42)
    >>> [round(v, 6) for v in X[0]], y[:10]
    ([1.818478, -0.193837], [1, 1, 1, 0, 0, 1, 1, 1, 0, 1])
    >>> make_moons(n_samples=1)
    Traceback (most recent call last):
        ...
    ValueError: make_moons: n_samples must be at least 2, got 1
    """
    _at_least("make_moons", "n_samples", n_samples, 2)
    noise, rng = _options("make_moons", noise, seed, shuffle)
    n_out, n_in = _split(n_samples, 2)[::-1]        # as scikit-learn: the lower moon takes the odd one
    upper = [[math.cos(t), math.sin(t)] for t in _angles(math.pi, n_out, endpoint=True)]
    lower = [[1 - math.cos(t), 0.5 - math.sin(t)] for t in _angles(math.pi, n_in, endpoint=True)]
    return _finish("make_moons", upper + lower, [0] * n_out + [1] * n_in, noise, rng, shuffle)


def _angles(stop, n, endpoint):
    """n angles evenly spaced from 0 to ``stop``, the end included or not (NumPy's linspace)."""
    steps = n - 1 if endpoint else n
    return [stop * i / steps if steps else 0.0 for i in range(n)]


def make_circles(n_samples=100, noise=0.0, factor=0.8, seed=0, shuffle=True):
    """A circle of radius 1 (label 0) around one of radius ``factor`` (label 1), both centred at 0.

    ``0 <= factor < 1``.  The outer circle takes ``n_samples // 2`` points at
    equal angles, the inner one the rest:

    >>> X, y = make_circles(n_samples=8, factor=0.5, shuffle=False)
    >>> [[round(v, 6) for v in p] for p in X]
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [-0.0, -1.0], [0.5, 0.0], [0.0, 0.5], [-0.5, 0.0], [-0.0, -0.5]]
    >>> y
    [0, 0, 0, 0, 1, 1, 1, 1]

    No straight line separates them, but the radius does:

    >>> X, y = make_circles(n_samples=200, noise=0.05, factor=0.5, seed=1)
    >>> all((math.hypot(*p) < 0.75) == (label == 1) for p, label in zip(X, y))
    True
    >>> make_circles(factor=1)
    Traceback (most recent call last):
        ...
    ValueError: make_circles: factor must be at least 0 and less than 1, got 1
    """
    _at_least("make_circles", "n_samples", n_samples, 2)
    factor = _real("make_circles", "factor", factor)
    if not 0 <= factor < 1:
        raise ValueError(f"make_circles: factor must be at least 0 and less than 1, got {factor}")
    noise, rng = _options("make_circles", noise, seed, shuffle)
    n_out, n_in = _split(n_samples, 2)[::-1]
    outer = [[math.cos(t), math.sin(t)] for t in _angles(2 * math.pi, n_out, endpoint=False)]
    inner = [[factor * math.cos(t), factor * math.sin(t)] for t in _angles(2 * math.pi, n_in, endpoint=False)]
    return _finish("make_circles", outer + inner, [0] * n_out + [1] * n_in, noise, rng, shuffle)


def make_blobs(n_samples=100, centers=3, cluster_std=1.0, center_box=(-10.0, 10.0), seed=0, shuffle=True):
    """Gaussian blobs: points ``center_k + N(0, cluster_std²)`` in each coordinate, labelled k.

    ``centers`` is a number of blobs, whose centres are drawn uniformly in
    the square ``center_box`` (2-D), or a list of centre points (of any one
    dimension).  The blobs share the samples as equally as they can, the
    first ones taking one more.

    >>> X, y = make_blobs(n_samples=4, centers=[[0, 0], [5, 5]], cluster_std=0, shuffle=False)
    >>> X, y
    ([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0], [5.0, 5.0]], [0, 0, 1, 1])
    >>> X, y = make_blobs(n_samples=7, centers=3, seed=0, shuffle=False)
    >>> y
    [0, 0, 0, 1, 1, 2, 2]
    >>> [round(v, 6) for v in X[0]]
    [7.067634, 4.327989]

    The blobs are the one set here that a straight line can separate, when
    they lie far apart for their spread.

    >>> make_blobs(n_samples=2, centers=3)
    Traceback (most recent call last):
        ...
    ValueError: make_blobs: n_samples must be at least 3, got 2
    """
    op = "make_blobs"
    if isinstance(centers, int) and not isinstance(centers, bool):
        _at_least(op, "centers", centers, 1)
        low, high = _box(op, center_box)
    else:
        _matrix(op, centers)
        _check_finite(op, "centers", centers)
    k = centers if isinstance(centers, int) else len(centers)
    _at_least(op, "n_samples", n_samples, k)
    cluster_std, rng = _options(op, cluster_std, seed, shuffle, name="cluster_std")
    if isinstance(centers, int):
        centers = [[rng.uniform(low, high), rng.uniform(low, high)] for _ in range(k)]
    points, labels = [], []
    for label, size in enumerate(_split(n_samples, k)):
        points += [centers[label]] * size
        labels += [label] * size
    return _finish(op, points, labels, cluster_std, rng, shuffle)


def _box(op, center_box):
    """The bounds (low, high) of the square the blob centres are drawn in."""
    if not isinstance(center_box, (list, tuple)) or len(center_box) != 2:
        raise TypeError(f"{op}: center_box must be a pair (low, high), got {reprlib.repr(center_box):.40}")
    low, high = (_real(op, "center_box", v) for v in center_box)
    if low > high:
        raise ValueError(f"{op}: center_box must have low <= high, got {center_box!r}")
    return low, high


def make_spiral(n_samples=100, n_classes=2, noise=0.0, turns=1.0, seed=0, shuffle=True):
    """Interleaved spiral arms, one per class: arm k turns ``turns`` times out from the centre.

    Point i of the m points of arm k lies at radius ``r = (i + 1) / m`` and
    angle ``2π (turns · r + k / n_classes)``, so the arms start evenly
    spaced around the centre and wind outwards to radius 1.  It is the
    classic data set that no linear model and no small network without a
    hidden layer can learn.

    >>> X, y = make_spiral(n_samples=4, n_classes=2, turns=0.5, shuffle=False)
    >>> [[round(v, 6) for v in p] for p in X]
    [[0.0, 0.5], [-1.0, 0.0], [-0.0, -0.5], [1.0, -0.0]]
    >>> y
    [0, 0, 1, 1]

    Three arms with noise, a seeded classroom set:

    >>> X, y = make_spiral(n_samples=300, n_classes=3, noise=0.05, seed=0)
    >>> len(X), [y.count(k) for k in range(3)]
    (300, [100, 100, 100])
    >>> make_spiral(turns=0)
    Traceback (most recent call last):
        ...
    ValueError: make_spiral: turns must be greater than 0, got 0
    """
    op = "make_spiral"
    _at_least(op, "n_classes", n_classes, 1)
    _at_least(op, "n_samples", n_samples, n_classes)
    turns = _real(op, "turns", turns)
    if turns <= 0:
        raise ValueError(f"{op}: turns must be greater than 0, got {turns}")
    if not math.isfinite(2 * math.pi * (turns + 1)):
        raise ValueError(f"{op}: turns={turns!r} is too large: the angles overflow a float")
    noise, rng = _options(op, noise, seed, shuffle)
    points, labels = [], []
    for k, m in enumerate(_split(n_samples, n_classes)):
        for i in range(m):
            r = (i + 1) / m
            angle = 2 * math.pi * (turns * r + k / n_classes)
            points.append([r * math.cos(angle), r * math.sin(angle)])
        labels += [k] * m
    return _finish(op, points, labels, noise, rng, shuffle)
