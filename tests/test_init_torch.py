"""refnn.init's fillers held against torch.nn.init in float64.

The deterministic fillers (eye_, dirac_, zeros_, ones_, constant_) must give
torch's numbers exactly.  The random ones draw from another generator, so
they are compared on the same draw: ``orthogonal_`` against torch's recipe
(QR of the same normal matrix by ``torch.linalg.qr``, R's diagonal made
positive), ``trunc_normal_`` against torch's inverse-CDF step (``erfinv``
of the same uniform numbers), to 1e-12.  ``COMPARED`` counts the numbers.
"""
import math
import random
import statistics

import pytest

from refnn import init

COMPARED = []


def blank(*dims):
    return [blank(*dims[1:]) for _ in range(dims[0])] if dims else 0.0


def same(ours, theirs, tol=0.0):
    a, b = _flat(ours), theirs.reshape(-1).tolist()
    COMPARED.append(len(a))
    assert len(a) == len(b)
    assert all(abs(x - y) <= tol for x, y in zip(a, b)), max(abs(x - y) for x, y in zip(a, b))


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


@pytest.mark.parametrize("dims", [(1, 1), (3, 3), (2, 5), (5, 2), (7, 4)])
def test_eye_matches_torch(torch, dims):
    same(init.eye_(blank(*dims)), torch.nn.init.eye_(torch.empty(*dims)))


@pytest.mark.parametrize("dims, groups", [((2, 2, 3), 1), ((4, 2, 3, 3), 1), ((2, 4, 5, 5), 1),
                                          ((4, 2, 3, 3), 2), ((6, 1, 2, 4), 3), ((3, 3, 2, 2, 3), 1),
                                          ((4, 3, 3, 3, 3), 2), ((6, 2, 1, 1), 2)])
def test_dirac_matches_torch(torch, dims, groups):
    ours = init.dirac_(blank(*dims), groups=groups)
    same(ours, torch.nn.init.dirac_(torch.full(dims, 0.5), groups=groups))


@pytest.mark.parametrize("dims", [(3,), (2, 3), (2, 3, 4)])
def test_zeros_ones_constant_match_torch(torch, dims):
    same(init.zeros_(blank(*dims)), torch.nn.init.zeros_(torch.full(dims, 3.0)))
    same(init.ones_(blank(*dims)), torch.nn.init.ones_(torch.empty(dims)))
    same(init.constant_(blank(*dims), -0.25), torch.nn.init.constant_(torch.empty(dims), -0.25))


@pytest.mark.parametrize("dims", [(1, 1), (3, 3), (2, 5), (5, 2), (16, 16), (10, 40), (40, 10), (4, 2, 3, 3)])
def test_orthogonal_is_torchs_q_of_the_same_draw(torch, dims):
    for seed in range(3):
        ours = init.orthogonal_(blank(*dims), gain=1.5, generator=random.Random(seed))
        g, rows, cols = random.Random(seed), dims[0], math.prod(dims[1:])
        drawn = torch.tensor([[g.gauss(0.0, 1.0) for _ in range(cols)] for _ in range(rows)])
        if rows < cols:
            drawn = drawn.t()
        q, r = torch.linalg.qr(drawn)                    # torch.nn.init.orthogonal_'s own steps
        q = q * torch.diag(r, 0).sign()
        if rows < cols:
            q = q.t()
        same(ours, 1.5 * q, tol=1e-12)


@pytest.mark.parametrize("mean, std, a, b", [(0.0, 1.0, -2.0, 2.0), (0.5, 0.02, 0.46, 0.54),
                                             (0.0, 1.0, -1.0, 0.5), (1.0, 2.0, -3.0, 4.0)])
def test_trunc_normal_is_torchs_inverse_cdf_of_the_same_uniforms(torch, mean, std, a, b):
    ours = init.trunc_normal_(blank(200), mean, std, a, b, generator=random.Random(7))
    n = statistics.NormalDist(mean, std)
    g = random.Random(7)
    p = torch.tensor([g.uniform(n.cdf(a), n.cdf(b)) for _ in range(200)])
    theirs = (torch.erfinv(2 * p - 1) * std * math.sqrt(2.0) + mean).clamp(a, b)   # torch's own steps
    same(ours, theirs, tol=1e-12 * max(1.0, abs(mean) + 4 * std))
    # and torch's own bounds of the uniform, (1 + erf(x/√2))/2 at the standardised a and b, are ours
    for x in (a, b):
        COMPARED.append(1)
        assert abs(n.cdf(x) - (1.0 + math.erf((x - mean) / std / math.sqrt(2.0))) / 2.0) < 1e-15
