"""Real data shipped inside refnn: Fisher's iris and the 8 × 8 handwritten digits.

Both sets travel inside the package as small text files (``iris.csv``,
2.8 kB, and ``digits.csv.gz``, 54 kB), so a lesson needs no download and no
library: they are read with :mod:`importlib.resources`, :mod:`gzip` and
:mod:`csv`, once per session, and every call returns new lists.

>>> iris = load_iris()
>>> len(iris.data), len(iris.data[0]), iris.target_names
(150, 4, ['setosa', 'versicolor', 'virginica'])
>>> X, y = load_digits(return_X_y=True)
>>> len(X), len(X[0]), sorted(set(y)) == list(range(10))
(1797, 64, True)

The names are scikit-learn's (``load_iris``, ``load_digits``,
``return_X_y``, ``data``, ``target``, ``feature_names``, ``target_names``,
``images``); the values are plain lists of numbers, not arrays.

Sources and licences
--------------------
Iris: R. A. Fisher, "The use of multiple measurements in taxonomic
problems", Annals of Eugenics 7 (1936) 179-188; as distributed by the UCI
Machine Learning Repository (R. A. Fisher, *Iris*, 1988,
https://doi.org/10.24432/C56C76) under the Creative Commons Attribution 4.0
licence (CC BY 4.0).  The copy here was taken from scikit-learn 1.9.1
(``sklearn/datasets/data/iris.csv``), which follows Fisher's paper and R's
``iris``: it differs from the UCI file in two values, samples 35 and 38
(numbered from 1), where UCI has two known transcription errors.

Digits: E. Alpaydin and C. Kaynak, *Optical Recognition of Handwritten
Digits*, UCI Machine Learning Repository, 1998,
https://doi.org/10.24432/C50P49, under CC BY 4.0.  The 1797 images are the
UCI test set (``optdigits.tes``, 13 writers): 32 × 32 bitmaps cut into 4 × 4
blocks, each pixel the count of ink in its block, 0..16.  The copy here was
taken from scikit-learn 1.9.1 (``sklearn/datasets/data/digits.csv.gz``) and
given a header row; its numbers are unchanged.
"""
import csv
import functools
import gzip
import io
from dataclasses import dataclass
from importlib import resources

from refnn.datasets._common import _flag
from refnn._checks import _size

__all__ = ["Dataset", "load_iris", "load_digits"]

_IRIS_SPECIES = ["setosa", "versicolor", "virginica"]


@dataclass(frozen=True)
class Dataset:
    """A data set: the samples ``data`` (a matrix, one row per sample), their labels ``target``, and names.

    ``feature_names`` names the columns of ``data``, ``target_names`` the
    labels (label ``k`` is ``target_names[k]``); ``images`` holds the samples
    as pictures where that is what they are (the digits), else ``None``.
    Its repr gives the sizes, not the numbers:

    >>> iris = load_iris()
    >>> iris
    Dataset(data=150 × 4, target=150 labels, target_names=['setosa', 'versicolor', 'virginica'])
    >>> iris.feature_names[0], iris.target_names[iris.target[0]]
    ('sepal length (cm)', 'setosa')

    A ``Dataset`` is frozen: its fields cannot be rebound (its lists are your
    own copy, though, and change nothing if changed).

    >>> iris.data = []
    Traceback (most recent call last):
        ...
    dataclasses.FrozenInstanceError: cannot assign to field 'data'
    """

    data: list
    target: list
    feature_names: list
    target_names: list
    images: list = None

    def __repr__(self):
        size = f"{len(self.data)} × {len(self.data[0])}" if self.data else "0 × 0"
        return (f"Dataset(data={size}, target={len(self.target)} labels, "
                f"target_names={self.target_names!r})")


@functools.lru_cache(maxsize=None)
def _table(filename, convert):
    """The header and the rows (tuples) of a CSV file shipped in this package, read once."""
    raw = resources.files("refnn.datasets").joinpath(filename).read_bytes()
    if filename.endswith(".gz"):
        raw = gzip.decompress(raw)
    header, *rows = csv.reader(io.StringIO(raw.decode("ascii")))
    # every column but the last holds a feature; the last holds the label
    return header, tuple((*map(convert, row[:-1]), int(row[-1])) for row in rows)


def load_iris(return_X_y=False):
    """Fisher's iris: 150 flowers × 4 measurements (cm), 50 of each of three species.

    Label 0 is *Iris setosa*, 1 *versicolor*, 2 *virginica*.  The first
    flower, and the species in order:

    >>> iris = load_iris()
    >>> iris.feature_names
    ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']
    >>> iris.data[0], iris.target[0]
    ([5.1, 3.5, 1.4, 0.2], 0)
    >>> iris.target[::50]
    [0, 1, 2]

    Setosa is linearly separable from the other two species (its petals are
    short); versicolor and virginica are not separable from each other.

    >>> max(row[2] for row, label in zip(iris.data, iris.target) if label == 0)
    1.9
    >>> min(row[2] for row, label in zip(iris.data, iris.target) if label != 0)
    3.0

    ``return_X_y=True`` gives only the data and the labels, as in scikit-learn:

    >>> X, y = load_iris(return_X_y=True)
    >>> len(X), len(y)
    (150, 150)
    >>> load_iris(return_X_y="yes")
    Traceback (most recent call last):
        ...
    TypeError: load_iris: return_X_y must be True or False, got str
    """
    _flag("load_iris", "return_X_y", return_X_y)
    header, rows = _table("iris.csv", float)
    data, target = [list(row[:-1]) for row in rows], [row[-1] for row in rows]
    if return_X_y:
        return data, target
    return Dataset(data, target, header[:-1], list(_IRIS_SPECIES))


def load_digits(n_class=10, return_X_y=False):
    """The 8 × 8 handwritten digits: 1797 images of 64 pixels, each an int in 0..16, labels 0..9.

    Each row of ``data`` is an image read row by row: pixel ``(r, c)`` is
    ``data[i][8*r + c]``; ``images`` holds the same pixels as 8 × 8 matrices.

    >>> digits = load_digits()
    >>> digits
    Dataset(data=1797 × 64, target=1797 labels, target_names=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> digits.target[:10]
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> digits.images[0][2]                 # the third row of the first image, a 0
    [0, 3, 15, 2, 0, 11, 8, 0]
    >>> digits.feature_names[8 * 2 + 3]
    'pixel_2_3'

    ``n_class`` keeps only the digits ``0 .. n_class - 1``, as in
    scikit-learn: the 0s and 1s make a two-class problem for a perceptron.

    >>> X, y = load_digits(n_class=2, return_X_y=True)
    >>> len(X), sorted(set(y))
    (360, [0, 1])
    >>> load_digits(n_class=11)
    Traceback (most recent call last):
        ...
    ValueError: load_digits: n_class must be between 1 and 10, got 11
    """
    _size("load_digits", "n_class", n_class)
    if n_class > 10:
        raise ValueError(f"load_digits: n_class must be between 1 and 10, got {n_class}")
    _flag("load_digits", "return_X_y", return_X_y)
    header, rows = _table("digits.csv.gz", int)
    kept = [row for row in rows if row[-1] < n_class]
    data, target = [list(row[:-1]) for row in kept], [row[-1] for row in kept]
    if return_X_y:
        return data, target
    images = [[list(row[r:r + 8]) for r in range(0, 64, 8)] for row in kept]
    return Dataset(data, target, header[:-1], list(range(n_class)), images)
