"""Error examples moved out of the docstrings of datasets, shapes, linalg and sampling (issue 10).

A docstring shows at most one error, one that teaches; the others (limits
such as 1e308 and 10**12, and second errors) are pinned here, message and
all, so that none is lost.
"""
import re

import pytest

from refnn.datasets import make_blobs, make_moons, one_hot, standardize, train_test_split
from refnn.linalg import solve
from refnn.matrix import ShapeError
from refnn.sampling import grid_sample
from refnn.shapes import permute, reshape

X = [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]
y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
row = [[[[10, 20, 30, 40]]]]
hwc = [[[1, 10], [2, 20]], [[3, 30], [4, 40]]]

MOVED = [
    (lambda: make_moons(noise=1e308), ValueError,
     "make_moons: the points overflow a float; make the noise (or the centres) smaller"),
    (lambda: make_blobs(centers=[[0, 0], [1, "a"]]), TypeError, "make_blobs: expected numbers, got str 'a'"),
    (lambda: train_test_split(X, y[:9]), ShapeError, "train_test_split: X has 10 samples but y has 9"),
    (lambda: one_hot([0, 1.5]), TypeError, "one_hot: labels must be ints, got float 1.5 at index 1"),
    (lambda: one_hot([0, 1], num_classes=10**12), ValueError,
     "one_hot: 2 one-hot rows of 1000000000000 classes would hold 2e+12 numbers; "
     "refnn's lists hold at most 100000000"),
    (lambda: standardize([[1, 2]], mean=[0, 0]), ValueError,
     "standardize: give both mean and std, or neither"),
    (lambda: standardize([[1e308], [-1e308]]), ValueError,
     "standardize: a column's mean or spread overflows a float; scale X down first"),
    (lambda: reshape([1, 2], (-1, -1)), ValueError,
     "reshape: only one size can be inferred (-1), got (-1, -1)"),
    (lambda: reshape([], (10**12, 0)), ValueError,
     "reshape: shape (1000000000000, 0) takes 1e+12 lists and numbers; refnn's lists hold at most 100000000"),
    (lambda: permute(hwc, (0, 1, 1)), ValueError,
     "permute: dims (0, 1, 1) repeat a dimension; they must order 0..2"),
    (lambda: grid_sample(row, [[[0, 0]]]), ShapeError,
     "grid_sample: grid must have shape (N, H_out, W_out, 2), got (1, 1, 2)"),
    (lambda: grid_sample(row, [[[[1e308, 0]]]]), ValueError,
     "grid_sample: the grid point 1e+308 lies too far out: its pixel position overflows a float"),
    (lambda: solve([[2, 1], [1, 3]], [1, 2, 3]), ShapeError,
     "solve: B of shape (3,) does not fit A of shape (2, 2): it needs 2 rows"),
]


@pytest.mark.parametrize("call, error, message", MOVED,
                         ids=[f"{m[2].split(':')[0]}-{i}" for i, m in enumerate(MOVED)])
def test_a_moved_example_raises_its_message(call, error, message):
    """Each call raises the error its docstring once showed, with the whole message."""
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()
