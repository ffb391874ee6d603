"""Seeded orders shared by the floors that shuffle (refnn.utils.data, refnn.datasets)."""


def _permutation(rng, n):
    """The indices 0..n-1 in a random order drawn from rng (a random.Random).

    Sorting by ``random()`` keys rather than ``rng.shuffle``: ``random()`` is
    the one draw whose sequence CPython promises to keep across versions.
    """
    keys = [rng.random() for _ in range(n)]
    return sorted(range(n), key=keys.__getitem__)
