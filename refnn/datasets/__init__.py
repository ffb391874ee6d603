"""Data to learn from, with nothing to download and nothing to install.

Four kinds, one module each (every name is also here, in ``refnn.datasets``):

=================================  ==========================================
module                             what it holds
=================================  ==========================================
``refnn.datasets.tables``          the truth tables of AND, OR, NAND, XOR;
                                   the seed's worked example and the data of
                                   its classic 60000-iteration network
``refnn.datasets.real``            Fisher's iris (150 × 4) and the 8 × 8
                                   handwritten digits (1797 × 64), shipped
                                   inside the package
``refnn.datasets.generators``      seeded 2-D sets: moons, circles, blobs,
                                   a spiral
``refnn.datasets.preprocessing``   a seeded train/test split, one-hot labels,
                                   standardisation
=================================  ==========================================

Every data set is a pair ``(X, y)`` of plain lists: ``X`` one row per
sample, ``y`` one label per sample.

>>> from refnn.datasets import logic_gate, make_moons, load_digits, train_test_split
>>> logic_gate("and", labels="pm1")
([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, -1, -1, 1])
>>> X, y = make_moons(n_samples=200, noise=0.2, seed=0)
>>> len(X), y.count(0), y.count(1)
(200, 100, 100)
>>> X, y = load_digits(return_X_y=True)
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
>>> len(X_train), len(X_test)
(1437, 360)

Every function that draws takes ``seed``: an int (0 by default) or a
:class:`random.Random`, and gives the same numbers on every machine.
"""
from refnn.datasets.generators import make_blobs, make_circles, make_moons, make_spiral
from refnn.datasets.preprocessing import one_hot, standardize, train_test_split
from refnn.datasets.real import Dataset, load_digits, load_iris
from refnn.datasets.tables import classic_xor, logic_gate, worked_example

__all__ = [
    "logic_gate", "worked_example", "classic_xor",
    "Dataset", "load_iris", "load_digits",
    "make_moons", "make_circles", "make_blobs", "make_spiral",
    "train_test_split", "one_hot", "standardize",
]
