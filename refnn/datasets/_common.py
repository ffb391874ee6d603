"""Checks and seeded randomness shared by the generators and the helpers of refnn.datasets."""
import numbers
import random

from refnn._checks import _isfinite, _size
from refnn._random import _permutation  # noqa: F401  (re-used by generators, preprocessing)


def _rng(op, seed):
    """A random.Random: ``seed`` itself if it is one (it is advanced), else a new one seeded with the int."""
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{op}: seed must be an int or a random.Random, got {type(seed).__name__}")
    return random.Random(seed)


def _real(op, name, value):
    """A finite real number, or TypeError / ValueError naming ``op`` and ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__}")
    if not _isfinite(value):
        raise ValueError(f"{op}: {name} must be finite, got {value!r:.40}")
    return value


def _at_least(op, name, value, least):
    """An int ``value >= least`` (``n_samples`` at least one per class, say)."""
    _size(op, name, value)
    if value < least:
        raise ValueError(f"{op}: {name} must be at least {least}, got {value}")
    return value


def _flag(op, name, value):
    if not isinstance(value, bool):
        raise TypeError(f"{op}: {name} must be True or False, got {type(value).__name__}")
