"""refnn.init's structured fillers by their defining properties: trunc_normal_, orthogonal_, eye_, dirac_."""
import math
import random
import statistics

import pytest
from hypothesis import given, strategies as st

import refnn.nn.functional as F
from refnn import init
from refnn.tensors import tensor


def blank(*dims):
    if not dims:
        return 0.0
    return [blank(*dims[1:]) for _ in range(dims[0])]


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


# --- trunc_normal_ --------------------------------------------------------------------------

@given(st.floats(-5, 5), st.floats(0.01, 3), st.floats(-4, 4), st.floats(0.01, 4), st.integers(0, 10 ** 6))
def test_trunc_normal_stays_within_its_bounds(mean, std, a, width, seed):
    b = a + width
    w = init.trunc_normal_(blank(50), mean, std, a, b, generator=random.Random(seed))
    assert all(a <= v <= b for v in w)


def test_trunc_normal_has_the_truncated_bells_mean_and_spread():
    """Cut to [−1, 2], N(0, 1) has mean (φ(−1) − φ(2))/Z and variance 1 + (−φ(−1) − 2φ(2))/Z − mean²."""
    w = init.trunc_normal_(blank(40_000), 0.0, 1.0, -1.0, 2.0, generator=random.Random(0))
    n = statistics.NormalDist()
    z = n.cdf(2) - n.cdf(-1)
    mean = (n.pdf(-1) - n.pdf(2)) / z
    var = 1 + (-1 * n.pdf(-1) - 2 * n.pdf(2)) / z - mean ** 2
    assert abs(statistics.fmean(w) - mean) < 4 * math.sqrt(var / len(w))
    assert abs(statistics.pvariance(w) - var) < 0.02


def test_trunc_normal_is_seeded_and_works_on_tensors():
    a = init.trunc_normal_(blank(3, 4), std=0.02, generator=random.Random(5))
    b = init.trunc_normal_(blank(3, 4), std=0.02, generator=random.Random(5))
    assert a == b and len(set(flat(a))) == 12
    init.manual_seed(3)
    first = init.trunc_normal_(blank(6))
    init.manual_seed(3)
    assert init.trunc_normal_(blank(6)) == first


def test_trunc_normal_far_from_the_mean_gives_the_bounds():
    """[a, b] 40 std away: the CDF is 1.0 at both ends, so the numbers are b (PyTorch clamps likewise)."""
    w = init.trunc_normal_(blank(5), 0.0, 1.0, 40.0, 41.0, generator=random.Random(0))
    assert all(40.0 <= v <= 41.0 for v in w)


def test_trunc_normal_refuses():
    for kwargs, error, text in [(dict(std=0), ValueError, "std must be positive"),
                                (dict(a=2, b=2), ValueError, "a = 2 must be less than b = 2"),
                                (dict(mean="0"), TypeError, "mean must be a real number"),
                                (dict(b=float("inf")), ValueError, "b must be finite"),
                                (dict(generator=1), TypeError, "generator must be a random.Random")]:
        with pytest.raises(error, match=f"trunc_normal_: {text}"):
            init.trunc_normal_(blank(2), **kwargs)


# --- orthogonal_ ---------------------------------------------------------------------------

def gram(m):
    """m·mᵀ."""
    return [[sum(x * y for x, y in zip(r, s)) for s in m] for r in m]


def is_identity(m, tol=1e-12):
    return all(abs(v - (i == j)) <= tol for i, row in enumerate(m) for j, v in enumerate(row))


@pytest.mark.parametrize("dims", [(1, 1), (3, 3), (2, 5), (5, 2), (16, 16), (10, 40), (40, 10), (4, 2, 3, 3),
                                  (8, 1, 2, 2)])
def test_orthogonal_rows_or_columns_are_orthonormal(dims):
    """WᵀW = I (tall) or WWᵀ = I (wide) to 1e-12, for the weight flattened to rows × the rest."""
    for seed in range(5):
        w = init.orthogonal_(blank(*dims), generator=random.Random(seed))
        rows = dims[0]
        m = [flat(x) for x in w]
        if rows > len(m[0]):
            m = [list(c) for c in zip(*m)]
        assert is_identity(gram(m))


def test_orthogonal_gain_scales_and_the_draw_is_seeded():
    w = init.orthogonal_(blank(4, 4), gain=2.5, generator=random.Random(1))
    g = gram(w)
    assert is_identity([[v / 6.25 for v in row] for row in g])
    assert init.orthogonal_(blank(4, 4), gain=2.5, generator=random.Random(1)) == w


def test_orthogonal_keeps_lengths():
    """An orthogonal square W maps every x to a vector of the same length."""
    w = init.orthogonal_(blank(6, 6), generator=random.Random(2))
    rng = random.Random(3)
    for _ in range(10):
        x = [rng.uniform(-3, 3) for _ in range(6)]
        wx = [sum(a * b for a, b in zip(row, x)) for row in w]
        assert math.hypot(*wx) == pytest.approx(math.hypot(*x), rel=1e-12)


def test_orthogonal_of_nothing_and_refusals():
    assert init.orthogonal_(blank(2, 0)) == [[], []]
    with pytest.raises(ValueError, match="orthogonal_: Only tensors with 2 or more dimensions"):
        init.orthogonal_(blank(3))
    with pytest.raises(TypeError, match="orthogonal_: gain must be a real number"):
        init.orthogonal_(blank(2, 2), gain=None)


# --- eye_ and dirac_ ------------------------------------------------------------------------

@pytest.mark.parametrize("dims", [(1, 1), (3, 3), (2, 4), (4, 2)])
def test_eye_makes_a_linear_layer_that_copies(dims):
    w = tensor(init.eye_(blank(*dims)))
    x = tensor([[1.5, -2.0, 3.0, 0.5][:dims[1]]])
    y = F.linear(x, w)
    k = min(dims)
    assert y.tolist()[0][:k] == x.tolist()[0][:k] and y.tolist()[0][k:] == [0.0] * (dims[0] - k)


@pytest.mark.parametrize("out_ch, in_ch, k", [(1, 1, 3), (3, 3, 3), (4, 2, 3), (2, 4, 5), (3, 3, 1),
                                              (3, 3, 2)])
def test_dirac_makes_a_convolution_that_copies(out_ch, in_ch, k):
    """conv2d with a Dirac weight (padding k//2) gives output channel d = input channel d (0 beyond)."""
    w = tensor(init.dirac_(blank(out_ch, in_ch, k, k)))
    rng = random.Random(out_ch * 10 + in_ch)
    x = tensor([[[[rng.uniform(-1, 1) for _ in range(4)] for _ in range(4)] for _ in range(in_ch)]])
    y = F.conv2d(x, w, padding=k // 2).tolist()[0]
    for d in range(out_ch):
        expected = x.tolist()[0][d] if d < in_ch else [[0.0] * 4 for _ in range(4)]
        assert [row[:4] for row in y[d][:4]] == expected


@pytest.mark.parametrize("out_ch, in_ch, k, groups", [(4, 2, 3, 2), (6, 2, 1, 3), (6, 1, 3, 2), (2, 3, 3, 2)])
def test_dirac_with_groups_repeats_the_pattern_for_each_group(out_ch, in_ch, k, groups):
    """Output o = g·(out/groups) + d has its 1 at input channel d (if d < in), at the kernel's centre."""
    w = init.dirac_(blank(out_ch, in_ch, k, k), groups=groups)
    per_group = out_ch // groups
    for o in range(out_ch):
        d = o % per_group
        for c in range(in_ch):
            ones = [(i, j) for i in range(k) for j in range(k) if w[o][c][i][j] == 1.0]
            assert ones == ([(k // 2, k // 2)] if c == d else [])
            assert sum(flat(w[o][c])) == len(ones)


def test_dirac_in_1d_and_3d():
    one, nil = [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]
    assert init.dirac_(blank(2, 2, 3)) == [[one, nil], [nil, one]]
    w = init.dirac_(blank(1, 1, 3, 3, 3))
    assert w[0][0][1][1][1] == 1.0 and sum(flat(w)) == 1.0


def test_eye_and_dirac_refuse():
    with pytest.raises(ValueError, match="eye_: Only tensors with 2 dimensions"):
        init.eye_(blank(2))
    with pytest.raises(ValueError, match="dirac_: Only tensors with 3, 4, or 5 dimensions"):
        init.dirac_(blank(2, 2))
    with pytest.raises(ValueError, match="dirac_: dim 0 must be divisible by groups"):
        init.dirac_(blank(3, 1, 3), groups=2)
    with pytest.raises(ValueError, match="dirac_: groups must be a positive int"):
        init.dirac_(blank(2, 1, 3), groups=0)
