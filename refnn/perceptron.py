"""The sign perceptron, its learning rule, and an exact test of linear separability.

The perceptron is a linear model that splits data into two classes (the
seed: "把数据一分为二").  Its activation is the sign function, the seed's
formula (1), and the perceptron itself is formula (2)::

    f(x) = sign(x)          = +1 if x > 0,          −1 if x < 0       (1)
    f(x) = sign(w · x + b)  = +1 if w · x + b > 0,  −1 if w · x + b < 0  (2)

It learns by the textbook rule: start from ``w = 0, b = 0``; visit the
samples in order; whenever a sample lies on the wrong side of the line or on
it, ``y·(w·x + b) ≤ 0``, move the line towards it, ``w += lr·y·x`` and
``b += lr·y``; stop after the first epoch without a mistake.  On AND (false
is −1) it finds a line in 9 epochs, in integers:

>>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
>>> p = Perceptron().fit(X, [-1, -1, -1, 1])
>>> p
Perceptron(lr=1, max_epochs=1000): converged after 9 epochs, weights=[3, 2], bias=-4
>>> p.predict(X)
[-1, -1, -1, 1]

On XOR no line exists, so there is always a mistake; the perceptron stops
after ``max_epochs`` and says so with a :class:`ConvergenceWarning`.
:func:`linearly_separable` tells the two cases apart exactly, and shows why:

>>> linearly_separable(X, [-1, -1, -1, 1]).weights      # 2·x1 + 2·x2 − 3 > 0 only at (1, 1)
[2, 2]
>>> linearly_separable(X, [-1, 1, 1, -1]).witness       # in both classes' hulls
[Fraction(1, 2), Fraction(1, 2)]

The labels are −1 and +1, as in the seed:

>>> Perceptron().fit(X, [0, 0, 0, 1])
Traceback (most recent call last):
    ...
ValueError: Perceptron.fit: labels must be -1 and +1, found {0, 1}; for 0/1 labels pass [2*t - 1 for t in y]
"""
import math
import numbers
import warnings
from fractions import Fraction
from operator import mul
from typing import NamedTuple, Optional

from refnn._checks import (
    _certified, _labelled_samples, _learning_rate, _samples_to_predict, _size, _weights_fit_a_float,
)

__all__ = ["Perceptron", "ConvergenceWarning", "linearly_separable", "Separability"]


# --- the perceptron ----------------------------------------------------------

class Perceptron:
    """f(x) = sign(w · x + b), learned by the perceptron rule ``w += lr·y·x``, ``b += lr·y``.

    ``lr`` is the learning rate (a positive number) and ``max_epochs`` the
    most passes over the data.  :meth:`fit` learns; after it the perceptron
    has ``weights``, ``bias``, ``converged`` (True when the last epoch had no
    mistake), ``mistakes`` (the number of updates in each epoch) and
    ``history`` (``(weights, bias)`` after each epoch).

    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> p = Perceptron().fit(X, [-1, 1, 1, 1])          # OR
    >>> p.weights, p.bias, p.converged
    ([2, 2], -1, True)
    >>> p.mistakes
    [3, 1, 2, 2, 1, 0]

    Starting from zero, every update adds ``lr·y·x``, so ``w`` is always
    lr times a sum of the ``y·x``: any ``lr > 0`` makes the same mistakes
    and scales the weights.  The default ``lr=1`` keeps integer data in
    integers; ``lr=0.5`` halves them:

    >>> Perceptron(lr=0.5).fit(X, [-1, 1, 1, 1]).weights
    [1.0, 1.0]
    """

    def __init__(self, lr=1, max_epochs=1000):
        self.lr = _learning_rate("Perceptron", lr)                          # a positive number
        self.max_epochs = _size("Perceptron", "max_epochs", max_epochs)     # an int from 1
        self.weights = self.bias = self.converged = None
        self.mistakes, self.history = [], []

    def fit(self, X, y):
        """Learn w and b from the samples X (one per row) and their labels y (each −1 or +1).

        Returns the perceptron itself, so ``Perceptron().fit(X, y).predict(X)``
        reads in one line.  The seed's AND, epoch by epoch (9 epochs, the
        last without a mistake):

        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> p = Perceptron().fit(X, [-1, -1, -1, 1])
        >>> p.mistakes
        [2, 3, 3, 2, 2, 3, 2, 1, 0]
        >>> p.history[:2]                  # (weights, bias) after epochs 1 and 2
        [([1, 1], 0), ([2, 1], -1)]
        >>> p.weights, p.bias
        ([3, 2], -4)

        On XOR the updates cancel out: after every epoch the line is back
        at ``w = 0, b = 0``, so it would cycle forever.  The perceptron stops
        after ``max_epochs`` with ``converged`` False and a warning:

        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     p = Perceptron(max_epochs=100).fit(X, [-1, 1, 1, -1])
        >>> print(caught[0].message)
        Perceptron.fit: not converged in 100 epochs (4 mistakes in the last);
        the data may not be linearly separable: see linearly_separable(X, y)
        >>> p.converged, p.history[-1], p.mistakes[-3:]
        (False, ([0, 0], 0), [4, 4, 4])

        X and y are checked before the first step and never changed:

        >>> Perceptron().fit(X, [-1, 1, 1])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: Perceptron.fit: X has 4 samples (rows) but y has 3 labels

        Data holding NaN or ±inf are refused, and weights that overflow a float
        stop the learning; either way the perceptron is left as it was.
        """
        n_features, labels = _labelled_samples("Perceptron.fit", X, y)     # one label ±1 per sample
        w, b = [0] * n_features, 0
        mistakes_per_epoch, history = [], []        # kept apart until the end: a failed fit changes nothing
        for epoch in range(1, self.max_epochs + 1):
            mistakes = 0
            for x, t in zip(X, labels):
                if t * (sum(map(mul, w, x)) + b) <= 0:            # wrong side, or on the line
                    step = self.lr * t
                    w = [wi + step * xi for wi, xi in zip(w, x)]   # w += lr·y·x (a new list)
                    b += step                                      # b += lr·y
                    mistakes += 1
            _weights_fit_a_float("Perceptron.fit", w, b, epoch)
            mistakes_per_epoch.append(mistakes)
            history.append((list(w), b))
            if mistakes == 0:
                break
        self.mistakes, self.history = mistakes_per_epoch, history
        self._data = ([list(x) for x in X], labels)           # for the picture of _repr_png_
        self.weights, self.bias, self.converged = w, b, mistakes == 0
        if not self.converged:
            message = (f"Perceptron.fit: not converged in {self.max_epochs} epochs ({mistakes} mistakes in "
                       "the last); the data may not be linearly separable: see linearly_separable(X, y)")
            warnings.warn(message, ConvergenceWarning, stacklevel=2)
        return self

    def predict(self, X):
        """sign(w · x + b) for each sample x of X, with +1 on the line w · x + b = 0.

        A matrix gives a list of labels, one vector a single label:

        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> p = Perceptron().fit(X, [-1, -1, -1, 1])      # w = [3, 2], b = -4
        >>> p.predict(X), p.predict([2, 0])
        ([-1, -1, -1, 1], 1)

        The seed leaves ``w · x + b = 0`` open and :func:`refnn.activations.sign`
        gives 0 there; ``predict`` always answers a class and says +1, as an
        M-P neuron fires when its sum reaches the threshold (``step(0) = 1``).
        Training counts a point on the line as a mistake, so after
        convergence no training point lies on it.

        >>> p.predict([0, 2])              # 3*0 + 2*2 - 4 = 0
        1
        >>> Perceptron().predict(X)
        Traceback (most recent call last):
            ...
        ValueError: Perceptron.predict: the perceptron has not learned yet; call fit(X, y) first
        """
        dims = _samples_to_predict("Perceptron.predict", X, self.weights)     # after fit, as many features
        w, b = self.weights, self.bias
        labels = [1 if sum(map(mul, w, x)) + b >= 0 else -1 for x in (X if len(dims) == 2 else [X])]
        return labels if len(dims) == 2 else labels[0]

    def _repr_png_(self):
        """A notebook's picture: the data and the line after every epoch (None before a fit, beyond 2-D, or
        without matplotlib, and the notebook shows the repr)."""
        if self.weights is None or len(self.weights) != 2:
            return None
        from refnn import plot                      # floor 5, loaded only when a notebook asks for it
        return plot.png(plot.perceptron_figure, *self._data, lr=self.lr, max_epochs=self.max_epochs,
                        figsize=(5, 4), dpi=80)

    def __repr__(self):
        head = f"Perceptron(lr={self.lr!r}, max_epochs={self.max_epochs!r})"
        if self.weights is None:
            return head
        if self.converged:
            state = f"converged after {len(self.mistakes)} epochs"
        else:
            state = f"NOT converged: {self.mistakes[-1]} mistakes in the last of {len(self.mistakes)} epochs"
        return f"{head}: {state}, weights={self.weights!r}, bias={self.bias!r}"


class ConvergenceWarning(UserWarning):
    """Warned by :meth:`Perceptron.fit` when the last epoch still made mistakes.

    The perceptron converges on every linearly separable data set; a
    warning means the data are not separable, or ``max_epochs`` was too
    small.  A teacher can silence it with the ``warnings`` module:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", ConvergenceWarning)
    ...     p = Perceptron(max_epochs=5).fit([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1])
    >>> p.converged
    False
    """



# --- linear separability, decided exactly ------------------------------------

def linearly_separable(X, y):
    """Can a line (plane, hyperplane) ``w · x + b = 0`` split the classes without error?

    The answer is exact (rational arithmetic, floats taken exactly as
    stored) and comes with its proof, a :class:`Separability`.  AND is
    separable, by ``2·x1 + 2·x2 − 3``, positive only at (1, 1):

    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> linearly_separable(X, [-1, -1, -1, 1])
    Separability(separable=True, weights=[2, 2], bias=-3, witness=None, coefficients=None)

    XOR is not: the midpoint of the diagonal (0, 1)–(1, 0), which is +1,
    is also the midpoint of the diagonal (0, 0)–(1, 1), which is −1.  Every
    line puts that point on one side, and then one of the two segments
    has an end on that side too:

    >>> r = linearly_separable(X, [-1, 1, 1, -1])
    >>> r.separable, r.witness
    (False, [Fraction(1, 2), Fraction(1, 2)])
    >>> r.coefficients
    [Fraction(1, 2), Fraction(1, 2), Fraction(1, 2), Fraction(1, 2)]

    "Separable" means strictly, as the seed says "没有误差地分开" (without
    error): a point on the line counts as an error, so the same point with
    both labels is never separable.  One class alone is separable, by the
    constant ``w = 0, b = ±1`` that puts every point on its side:

    >>> linearly_separable([[1, 2], [1, 2]], [1, -1]).witness
    [1, 2]
    >>> linearly_separable([[1, 2], [3, 4]], [-1, -1])
    Separability(separable=True, weights=[0, 0], bias=-1, witness=None, coefficients=None)

    The work is a small exact linear program: find λ ≥ 0 whose two classes
    each sum to 1 and whose weighted points agree, by the simplex method
    with Bland's rule (it cannot cycle).  When no λ exists, the program's
    dual gives the separating line (Farkas' lemma).  Either certificate is
    checked against every sample before it is returned.  The work grows
    with the data: meant for classroom sizes (hundreds of samples).

    """
    d, labels = _labelled_samples("linearly_separable", X, y)       # one label ±1 per sample
    points = [[_exact(v) for v in row] for row in X]
    if len(set(labels)) == 1:
        answer = Separability(True, [0] * d, labels[0])
    else:
        # λ ≥ 0 with Σ_i λ_i·y_i·x_i = 0 (d rows), Σ_{+} λ_i = 1 and Σ_{−} λ_i = 1
        A = [[t * x[k] for x, t in zip(points, labels)] for k in range(d)]
        A += [[Fraction(t == 1) for t in labels], [Fraction(t == -1) for t in labels]]
        rhs = [Fraction(0)] * d + [Fraction(1)] * 2
        lam, duals = _feasible_point(A, rhs)
        if lam is not None:
            witness = [sum(l * x[k] for l, x, t in zip(lam, points, labels) if t == 1) for k in range(d)]
            answer = Separability(False, witness=_tidy(witness), coefficients=_tidy(lam))
        else:
            answer = _separator_from(duals, points, labels)
    return _certified("linearly_separable", answer, points, labels)    # checked against every sample


class Separability(NamedTuple):
    """The answer of :func:`linearly_separable`, with its certificate.

    If ``separable``, ``weights`` and ``bias`` are a line (plane) that
    leaves every sample strictly on its own side, ``y·(w·x + b) > 0``.
    Otherwise ``witness`` is a point in the convex hulls of both classes,
    ``coefficients`` one number λ_i ≥ 0 per sample with
    ``witness = Σ_{y=+1} λ_i x_i = Σ_{y=−1} λ_i x_i`` and each class's λ
    summing to 1.  Unused fields are None.

    >>> linearly_separable([[0], [1]], [-1, 1])
    Separability(separable=True, weights=[2], bias=-1, witness=None, coefficients=None)
    >>> linearly_separable([[0], [1], [2]], [-1, 1, -1])
    Separability(separable=False, weights=None, bias=None, witness=[1],
                 coefficients=[Fraction(1, 2), 1, Fraction(1, 2)])
    """
    separable: bool
    weights: Optional[list] = None
    bias: Optional[numbers.Rational] = None
    witness: Optional[list] = None
    coefficients: Optional[list] = None


def _exact(v):
    """v as a Fraction, exactly: a float is the binary fraction it stores."""
    return Fraction(v) if isinstance(v, numbers.Rational) else Fraction(float(v))


def _tidy(values):
    """Fractions with denominator 1 as ints, so that a reader sees 2 rather than Fraction(2, 1)."""
    return [int(v) if v.denominator == 1 else v for v in values]


def _feasible_point(A, rhs):
    """Phase I of the simplex method, exactly: a λ ≥ 0 with A·λ = rhs (rhs ≥ 0), or the dual proof of none.

    Minimises the sum of artificial variables ``a`` in ``A·λ + a = rhs``;
    Bland's rule (the lowest index enters, ties leave by the lowest index)
    rules out cycling.  Returns ``(λ, None)`` when the minimum is 0, else
    ``(None, π)`` with ``π·A_j ≤ 0`` for every column and ``π·rhs > 0``.
    """
    m, n = len(A), len(A[0])
    one, zero = Fraction(1), Fraction(0)
    T = [A[i] + [one if k == i else zero for k in range(m)] + [rhs[i]] for i in range(m)]
    basis = list(range(n, n + m))
    # reduced costs r_j = cost_j − π·column_j, π = 1 for the starting basis; last entry −(Σ a)
    r = [-sum(row[j] for row in T) for j in range(n)] + [zero] * m + [-sum(rhs)]
    while True:
        q = next((j for j in range(n + m) if r[j] < 0), None)
        if q is None:
            break
        # phase I is bounded below by 0, so a negative reduced cost has a positive entry below it
        p = min((i for i in range(m) if T[i][q] > 0), key=lambda i: (T[i][-1] / T[i][q], basis[i]))
        pivot = T[p][q]
        T[p] = [v / pivot for v in T[p]]
        for i in range(m):
            if i != p and T[i][q] != 0:
                f = T[i][q]
                T[i] = [a - f * c for a, c in zip(T[i], T[p])]
        f = r[q]
        r = [a - f * c for a, c in zip(r, T[p])]
        basis[p] = q
    if r[-1] == 0:
        lam = [zero] * n
        for i, j in enumerate(basis):
            if j < n:
                lam[j] = T[i][-1]
        return lam, None
    return None, [1 - r[n + i] for i in range(m)]      # r = cost − π·e_i on the artificial columns


def _separator_from(duals, points, labels):
    """The line of a Farkas proof, moved to the middle of the gap, in smallest integers.

    The dual π = (u, α, β) gives ``−u·x ≥ α`` on the +1 class and
    ``−u·x ≤ −β`` on the −1 class with α + β > 0: ``w = −u`` separates.
    """
    w = [-u for u in duals[:-2]]
    scores = [sum(map(mul, w, x)) for x in points]
    low = min(s for s, t in zip(scores, labels) if t == 1)
    high = max(s for s, t in zip(scores, labels) if t == -1)
    coefficients = w + [-(low + high) / 2]
    scale = math.lcm(*(c.denominator for c in coefficients))
    ints = [int(c * scale) for c in coefficients]
    g = math.gcd(*ints)
    ints = [c // g for c in ints]
    return Separability(True, ints[:-1], ints[-1])
