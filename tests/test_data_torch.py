"""refnn.utils.data held against torch.utils.data: the same batches where no random draw is involved.

Shuffled orders differ by design (the generators differ); what must agree
is everything else: the batches of an unshuffled loader (with and without
drop_last, through a given sampler), ``len`` of a loader, what
``default_collate`` makes of each kind of sample, and the sizes of the
parts of ``random_split`` for fractions.  ``COMPARED`` counts the
comparisons for the closing note of the issue.
"""
import random

from refnn.tensors import tensor
from refnn.utils import data

COMPARED = []


def same(ours, theirs):
    """ours (refnn values, nested in lists/tuples/dicts) equal to theirs (torch values) exactly."""
    COMPARED.append(1)
    assert _plain(ours) == _plain(theirs)


def _plain(x):
    if hasattr(x, "tolist"):
        return ("tensor", x.tolist())
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [_plain(v) for v in x]
    return x


def test_unshuffled_batches_and_len(torch):
    from torch.utils import data as tdata
    rng = random.Random(0)
    for n in (1, 5, 12, 17):
        X = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(n)]
        y = [rng.randrange(4) for _ in range(n)]
        ours = data.TensorDataset(tensor(X), tensor(y))
        theirs = tdata.TensorDataset(torch.tensor(X), torch.tensor(y))
        for batch_size in (1, 4, 5, 32):
            for drop_last in (False, True):
                a = data.DataLoader(ours, batch_size=batch_size, drop_last=drop_last)
                b = tdata.DataLoader(theirs, batch_size=batch_size, drop_last=drop_last)
                same(len(a), len(b))
                same(list(a), list(b))
        order = list(range(n))[::-1]
        same(list(data.DataLoader(ours, batch_size=3, sampler=order)),
             list(tdata.DataLoader(theirs, batch_size=3, sampler=order)))


def test_default_collate_of_each_kind(torch):
    from torch.utils.data import default_collate
    cases = [
        lambda t: [t([1.0, 2.0]), t([3.0, 4.0])],
        lambda t: [(t([[1.0]]), 0), (t([[2.0]]), 1)],
        lambda t: [1.5, 2.5, -1.0],
        lambda t: [3, 4],
        lambda t: [True, False],
        lambda t: [[1, 2.5], [3, 4.5]],
        lambda t: [{"x": t([1]), "label": 2}, {"x": t([5]), "label": 7}],
        lambda t: [("a", 1), ("b", 2)],
        lambda t: [(t([1.0]), (0, 0.5)), (t([2.0]), (1, 1.5))],
    ]
    for case in cases:
        same(data.default_collate(case(tensor)), default_collate(case(torch.tensor)))


def test_random_split_sizes_for_fractions(torch):
    from torch.utils import data as tdata
    for n in (1, 7, 10, 11, 101):
        for fractions in ([0.8, 0.2], [0.5, 0.5], [0.3, 0.3, 0.4], [0.33, 0.33, 0.34], [1.0], [0.1] * 10):
            ours = data.random_split(data.TensorDataset(tensor(list(range(n)))), fractions)
            theirs = tdata.random_split(tdata.TensorDataset(torch.arange(n)), fractions)
            same([len(p) for p in ours], [len(p) for p in theirs])
