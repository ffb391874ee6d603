"""What the benchmark's tasks share: timing one run, flattening weights, comparing them, the peers.

Every task module defines ``IMPLEMENTATIONS`` (name → the module it needs,
None for pure Python), ``run(impl, quick, steps)`` (one timed run in this
process: a dict of measures in seconds and an outcome to compare) and
``compare(outcomes)`` (the agreement checks).  ``run.py`` calls ``run`` in a
fresh interpreter for every implementation and round.
"""
import gc
import importlib.util
import math
import time


def installed(module):
    """True if ``module`` can be imported here (None, pure Python, always can)."""
    return module is None or importlib.util.find_spec(module) is not None


def torch_float64():
    """PyTorch as the comparisons use it: float64 by default, one thread."""
    import torch
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    return torch


def timed(fn, *args):
    """(seconds, result) of one call, after a full garbage collection so that none is inherited."""
    gc.collect()
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def per_call(fn, args, budget, repeat=7):
    """Seconds per call of fn(*args), and one result.

    The calls are timed in ``repeat`` batches, each of as many calls as fill
    about ``budget / repeat`` seconds; the fastest batch counts, as in
    ``timeit``: the others were slowed by something else on the machine.
    """
    first, result = timed(fn, *args)
    reps = max(1, round(budget / repeat / first))
    batches = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(reps):
            fn(*args)
        batches.append((time.perf_counter() - start) / reps)
    return min(batches), result


def flat(x):
    """The numbers of a nested list (or of anything with ``tolist()``), in reading order, as floats."""
    if hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in flat(item)]
    return [float(x)]


def max_difference(a, b):
    """The largest |a_i − b_i| over two flat lists of one length (inf if the lengths differ)."""
    if len(a) != len(b):
        return math.inf
    return max((abs(u - v) for u, v in zip(a, b)), default=0.0)


def agreement(outcomes, reference, key, tolerance, what):
    """Checks that every outcome's flat list ``key`` lies within ``tolerance`` of the reference's.

    Returns (ok, message) pairs, one per implementation other than the reference.
    """
    checks = []
    ref = outcomes[reference][key]
    for impl, outcome in outcomes.items():
        if impl != reference:
            diff = max_difference(outcome[key], ref)
            checks.append((diff <= tolerance, f"{what}: {impl} vs {reference}: max |difference| {diff:.1e} "
                                              f"(tolerance {tolerance:.0e})"))
    return checks


def same(outcomes, reference, key, what):
    """Checks that every outcome's ``key`` equals the reference's exactly (accuracy, predictions)."""
    ref = outcomes[reference][key]
    return [(outcome[key] == ref, f"{what}: {impl} {outcome[key]!r:.60} vs {reference} {ref!r:.60}")
            for impl, outcome in outcomes.items() if impl != reference]
