"""Task 3: square matrix products C = A·B, n = 32, 64 and 128, of floats uniform in [−1, 1).

* refnn: ``refnn.matrix.matmul(A, B)``, the public, checked function;
* zip + sum(map(mul)): the fastest plain-Python form,
  ``cols = list(zip(*B)); [[sum(map(mul, row, col)) for col in cols] for row in A]``;
* index loops: three nested ``for`` loops over indices, as a textbook writes them;
* NumPy and PyTorch (float64, one thread): ``A @ B`` on arrays made beforehand.

Each measure is the time of one product: the fastest of seven batches of
products, all seven together filling about 0.6 s (0.15 s with ``--quick``).  Every result is held against the
exact product (each entry a correctly rounded ``math.fsum``).
"""
import math
import random
from operator import mul

from common import flat, per_call

IMPLEMENTATIONS = {"refnn": None, "zip + sum(map(mul))": None, "index loops": None, "numpy": "numpy",
                   "torch": "torch"}
SIZES = (32, 64, 128)
RELATIVE_TOLERANCE = 1e-13      # of the largest |entry|, for sums of n ≤ 128 products of numbers ≤ 1


def matrices(n):
    g = random.Random(n)
    return [[[g.uniform(-1, 1) for _ in range(n)] for _ in range(n)] for _ in range(2)]


def zip_sum_map(A, B):
    cols = list(zip(*B))
    return [[sum(map(mul, row, col)) for col in cols] for row in A]


def index_loops(A, B):
    n, m, p = len(A), len(B), len(B[0])
    C = [[0.0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(m):
                s += A[i][k] * B[k][j]
            C[i][j] = s
    return C


def _product(impl):
    """The product function of ``impl`` and the conversion of its inputs (outside the timing)."""
    if impl == "refnn":
        from refnn.matrix import matmul
        return matmul, lambda M: M
    if impl == "numpy":
        import numpy as np
        return np.matmul, np.array
    if impl == "torch":
        from common import torch_float64
        torch = torch_float64()
        return torch.matmul, torch.tensor
    return {"zip + sum(map(mul))": zip_sum_map, "index loops": index_loops}[impl], lambda M: M


def run(impl, quick):
    product, convert = _product(impl)
    measures, results = {}, {}
    for n in SIZES:
        A, B = (convert(M) for M in matrices(n))
        seconds, C = per_call(product, (A, B), 0.15 if quick else 0.6)
        measures[f"n = {n}"] = seconds
        results[n] = flat(C)
    return {"measures": measures, "outcome": results, "note": ""}


def exact(n):
    """A·B with every entry the correctly rounded sum of its products."""
    A, B = matrices(n)
    return [math.fsum(map(mul, row, col)) for row in A for col in zip(*B)]


def compare(outcomes):
    """Every implementation's product within 1e-13 of the largest entry of the exact one."""
    checks = []
    for n in SIZES:
        ref = exact(n)
        scale = max(map(abs, ref))
        for impl, outcome in outcomes.items():
            C = outcome[str(n)] if str(n) in outcome else outcome[n]
            diff = max(abs(c - r) for c, r in zip(C, ref)) if len(C) == len(ref) else math.inf
            checks.append((diff <= RELATIVE_TOLERANCE * scale,
                           f"matmul n = {n}: {impl} vs the exact product: max |difference| {diff:.1e} "
                           f"(tolerance {RELATIVE_TOLERANCE * scale:.0e})"))
    return checks
