"""The seed's tensor notebook against PyTorch (float64): every operation on random shapes up to 4-D.

Random shapes include size-1 and size-0 dimensions, so empty results are
compared too; dims are drawn negative as often as not.  Operations that only
move numbers (narrow, permute, view, cat, squeeze, where, ...) must agree
exactly; sums, solutions and interpolations within a float64 tolerance.  The
oracle counts every comparison and keeps the largest difference; both are
printed at the end of the module (``-s`` not needed).
"""
import itertools
import math
import random

import pytest

from types import SimpleNamespace

from refnn import functions, linalg, sampling, shapes, tensors
from refnn.matrix import ShapeError

# the old module refnn.tensor, now refnn.tensors, functions, shapes, linalg and sampling, under one name
MODULES = (tensors, functions, shapes, linalg, sampling)
T = SimpleNamespace(**{name: getattr(module, name) for module in MODULES
                       for name in module.__all__})

MODES = ("bilinear", "nearest")
PADDINGS = ("zeros", "border", "reflection")


class Oracle:
    """Compares refnn's results with torch's and keeps the score."""

    def __init__(self, torch):
        self.torch = torch
        self.count = 0
        self.largest = {}                       # the largest difference, by operation

    def exact(self, ours, theirs):
        """Same shape, same numbers, to the last bit; the plain-list form is torch's tolist()."""
        assert ours.shape == tuple(theirs.shape)
        assert ours.tolist() == theirs.tolist()
        self.count += 1

    def close(self, what, ours, theirs, tol):
        """Same shape, every number within tol; what names the operation in the report."""
        assert ours.shape == tuple(theirs.shape)
        a = T.reshape(ours, (-1,)).tolist()
        b = theirs.reshape(-1).tolist()
        diff = max((abs(x - y) for x, y in zip(a, b)), default=0.0)
        assert diff <= tol, (diff, tol)
        self.largest[what] = max(self.largest.get(what, 0.0), diff)
        self.count += 1

    def same_error(self, ours, theirs):
        """refnn's message is torch's, after the name of the operation."""
        assert str(ours).split(": ", 1)[1] == str(theirs)
        self.count += 1


@pytest.fixture(scope="module")
def oracle(torch, request):
    o = Oracle(torch)
    yield o
    by_op = ", ".join(f"{what} {diff:.3g}" for what, diff in sorted(o.largest.items()))
    line = (f"refnn tensor notebook vs torch: {o.count} comparisons, "
            f"largest difference {max(o.largest.values(), default=0):.3g} ({by_op}; the rest exact)")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():          # past pytest's capture, onto the terminal
        print("\n" + line)


def random_shape(rng, rank=None, empty=0.1):
    rank = rng.randint(0, 4) if rank is None else rank
    return tuple(0 if rng.random() < empty else rng.randint(1, 4) for _ in range(rank))


def pair(torch, rng, dims, ints=False):
    """The same random numbers as a refnn Tensor and a torch tensor of shape dims."""
    n = math.prod(dims)
    flat = [rng.randint(-9, 9) if ints else rng.uniform(-5, 5) for _ in range(n)]
    ours = T.tensor(flat).reshape(dims)
    theirs = torch.tensor(flat, dtype=torch.int64 if ints else torch.float64).reshape(dims)
    return ours, theirs


def faithful(dims):
    """True when a plain nested list shows the shape: no 0 before the last dimension."""
    return 0 not in dims[:-1]


def some_dim(rng, ndim):
    """A dim in range, drawn negative half of the time (a number has dims 0 and -1)."""
    d = rng.randrange(max(ndim, 1))
    return d - max(ndim, 1) if rng.random() < 0.5 else d


def broadcastable(rng, target):
    """A shape that broadcasts to target: leading dims dropped, some sizes set to 1."""
    k = rng.randint(0, len(target))
    return tuple(1 if rng.random() < 0.3 else n for n in target[k:])


# --- reductions --------------------------------------------------------------------

def test_sum(oracle):
    torch, rng = oracle.torch, random.Random(1)
    for _ in range(300):
        dims = random_shape(rng)
        x, t = pair(torch, rng, dims)
        keepdim = rng.random() < 0.5
        choice = rng.random()
        if choice < 0.25:
            dim = None
        elif choice < 0.6 or not dims:
            dim = some_dim(rng, len(dims))
        else:
            picked = rng.sample(range(len(dims)), rng.randint(1, len(dims)))
            dim = tuple(d - len(dims) if rng.random() < 0.5 else d for d in picked)
        ours = x.sum(dim, keepdim)
        theirs = t.sum() if dim is None and not keepdim else t.sum(dim=dim, keepdim=keepdim)
        # each output is a sum of at most 4**4 terms of size <= 5
        oracle.close("sum", ours, theirs, tol=1e-12)
        if faithful(dims):
            assert T.sum(x.tolist(), dim, keepdim) == ours.tolist()


def test_sum_of_ints_and_bools_is_exact(oracle):
    torch, rng = oracle.torch, random.Random(2)
    for _ in range(100):
        dims = random_shape(rng, empty=0.05)
        x, t = pair(torch, rng, dims, ints=True)
        dim = some_dim(rng, len(dims))
        oracle.exact(x.sum(dim), t.sum(dim))
        oracle.exact(x > 0, t > 0)
        oracle.exact((x > 0).sum(dim), (t > 0).sum(dim))


# --- moving numbers: exact -----------------------------------------------------------

def test_where_broadcasts_as_torch(oracle):
    torch, rng = oracle.torch, random.Random(3)
    for _ in range(300):
        target = random_shape(rng)
        c_dims, x_dims, y_dims = (broadcastable(rng, target) for _ in range(3))
        flags = [rng.random() < 0.5 for _ in range(math.prod(c_dims))]
        cond = T.tensor(flags).reshape(c_dims)
        tcond = torch.tensor(flags, dtype=torch.bool).reshape(c_dims)
        x, tx = pair(torch, rng, x_dims)
        if rng.random() < 0.3:                      # a plain number for y
            y = ty = rng.uniform(-5, 5)
        else:
            y, ty = pair(torch, rng, y_dims)
        oracle.exact(T.where(cond, x, y), torch.where(tcond, tx, ty))


def test_narrow(oracle):
    torch, rng = oracle.torch, random.Random(4)
    for _ in range(300):
        dims = random_shape(rng, rank=rng.randint(1, 4), empty=0.05)
        x, t = pair(torch, rng, dims)
        dim = some_dim(rng, len(dims))
        n = dims[dim]
        start = rng.randint(-n, n)
        length = rng.randint(0, n - (start + n if start < 0 else start))
        theirs = t.narrow(dim, start, length)
        oracle.exact(x.narrow(dim, start, length), theirs)
        if faithful(dims):                            # and on plain lists, torch's tolist()
            assert T.narrow(x.tolist(), dim, start, length) == theirs.tolist()


def test_permute(oracle):
    torch, rng = oracle.torch, random.Random(5)
    for _ in range(300):
        dims = random_shape(rng)
        x, t = pair(torch, rng, dims)
        order = list(range(len(dims)))
        rng.shuffle(order)
        order = [d - len(dims) if rng.random() < 0.5 else d for d in order]
        oracle.exact(x.permute(*order) if order else x.permute(()), torch.permute(t, tuple(order)))
        if faithful(dims):
            assert T.permute(x.tolist(), order) == torch.permute(t, tuple(order)).tolist()


def factorise(rng, n, rank):
    """A random shape with rank sizes whose product is n (n > 0)."""
    sizes = []
    for _ in range(rank - 1):
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        sizes.append(rng.choice(divisors))
        n //= sizes[-1]
    return sizes + [n] if rank else []


def test_view_and_reshape(oracle):
    torch, rng = oracle.torch, random.Random(6)
    for _ in range(300):
        dims = random_shape(rng)
        x, t = pair(torch, rng, dims)
        n = math.prod(dims)
        if n:
            new = factorise(rng, n, rng.randint(0 if n == 1 else 1, 4))
        else:
            new = [rng.randint(0, 3) for _ in range(rng.randint(1, 4))]
            new[rng.randrange(len(new))] = 0
        if n and new and rng.random() < 0.5:
            new[rng.randrange(len(new))] = -1         # one size inferred
        oracle.exact(x.view(*new) if new else x.view(new), t.view(new))
        oracle.exact(x.reshape(new), t.reshape(new))


def test_cat(oracle):
    torch, rng = oracle.torch, random.Random(7)
    for _ in range(300):
        base = random_shape(rng, rank=rng.randint(1, 4), empty=0.05)
        dim = some_dim(rng, len(base))
        ours, theirs = [], []
        for _ in range(rng.randint(1, 4)):
            dims = list(base)
            dims[dim] = rng.randint(0, 3)
            x, t = pair(torch, rng, tuple(dims))
            ours.append(x)
            theirs.append(t)
        if rng.random() < 0.2:                        # PyTorch skips an empty vector
            x, t = pair(torch, rng, (0,))
            i = rng.randint(0, len(ours))
            ours.insert(i, x)
            theirs.insert(i, t)
        oracle.exact(T.cat(ours, dim), torch.cat(theirs, dim))


def test_unsqueeze_and_squeeze(oracle):
    torch, rng = oracle.torch, random.Random(8)
    for _ in range(300):
        dims = random_shape(rng, empty=0.05)
        if dims and rng.random() < 0.5:               # plenty of size-1 dims to squeeze
            dims = tuple(1 if rng.random() < 0.5 else n for n in dims)
        x, t = pair(torch, rng, dims)
        d = some_dim(rng, len(dims) + 1)
        oracle.exact(x.unsqueeze(d), t.unsqueeze(d))
        oracle.exact(x.squeeze(), t.squeeze())
        d = some_dim(rng, len(dims))
        oracle.exact(x.squeeze(d), t.squeeze(d))
        several = tuple(rng.sample(range(len(dims)), rng.randint(0, len(dims))))
        oracle.exact(x.squeeze(several), t.squeeze(several))


def test_detach_copies(oracle):
    torch, rng = oracle.torch, random.Random(9)
    for _ in range(50):
        x, t = pair(torch, rng, random_shape(rng))
        copy = T.detach(x)
        oracle.exact(copy, t.detach())
        assert copy is not x


def test_indexing(oracle):
    torch, rng = oracle.torch, random.Random(10)
    for _ in range(300):
        dims = random_shape(rng, rank=rng.randint(1, 4), empty=0.05)
        x, t = pair(torch, rng, dims)
        key = []
        for n in dims[:rng.randint(1, len(dims))]:
            if n and rng.random() < 0.5:
                key.append(rng.randint(-n, n - 1))
            else:                                     # torch slices take positive steps only
                key.append(slice(rng.randint(-4, 4), rng.choice([None, rng.randint(-4, 4)]),
                                 rng.choice([None, 1, 2])))
        key = tuple(key)
        oracle.exact(x[key], t[key])


def test_arithmetic_broadcasts_as_torch(oracle):
    torch, rng = oracle.torch, random.Random(11)
    for _ in range(150):
        target = random_shape(rng)
        x, tx = pair(torch, rng, broadcastable(rng, target))
        y, ty = pair(torch, rng, broadcastable(rng, target))
        # one IEEE operation per entry: correctly rounded on both sides, so exact
        oracle.exact(x + y, tx + ty)
        oracle.exact(x - y, tx - ty)
        oracle.exact(x * y, tx * ty)
        oracle.exact(x / 2.5, tx / 2.5)
        oracle.exact(2 - x, 2 - tx)
        oracle.exact(x < y, tx < ty)
        oracle.exact(x == x, tx == tx)


def test_broadcast_errors_agree(oracle):
    torch, rng = oracle.torch, random.Random(12)
    for _ in range(50):
        a = random_shape(rng, rank=rng.randint(1, 3), empty=0)
        i = rng.randrange(len(a))
        a = a[:i] + (max(a[i], 2),) + a[i + 1:]
        b = a[:i] + (a[i] + rng.randint(1, 3),) + a[i + 1:]     # sizes neither 1 nor equal
        x, tx = pair(torch, rng, a)
        y, ty = pair(torch, rng, b)
        with pytest.raises(RuntimeError):
            tx + ty
        with pytest.raises(ShapeError, match="do not broadcast"):
            x + y
        oracle.count += 1


def test_dimension_errors_read_as_torch(oracle):
    torch, rng = oracle.torch, random.Random(13)
    for _ in range(50):
        dims = random_shape(rng, rank=rng.randint(0, 4), empty=0)
        x, t = pair(torch, rng, dims)
        k = max(len(dims), 1)
        bad = rng.choice([k, k + rng.randint(1, 3), -k - rng.randint(1, 3)])
        beyond = bad + (1 if bad > 0 else -1)         # unsqueeze has one place more
        calls = [lambda a, d=bad: a.sum(d), lambda a, d=beyond: a.unsqueeze(d)]
        if dims:
            calls += [lambda a, d=bad: a.narrow(d, 0, 0), lambda a, d=bad: a.squeeze(d),
                      lambda a, d=bad: (T if isinstance(a, T.Tensor) else torch).cat([a, a], d)]
        for call in calls:
            with pytest.raises(IndexError) as theirs:
                call(t)
            with pytest.raises(IndexError) as ours:
                call(x)
            oracle.same_error(ours.value, theirs.value)


# --- solve and gesv ------------------------------------------------------------------------

def test_solve_and_gesv(oracle):
    torch, rng = oracle.torch, random.Random(14)
    for _ in range(200):
        n = rng.randint(1, 5)
        A = [[rng.uniform(-5, 5) for _ in range(n)] for _ in range(n)]
        if rng.random() < 0.5:
            B = [rng.uniform(-5, 5) for _ in range(n)]
        else:
            k = rng.randint(0, 3)
            B = [[rng.uniform(-5, 5) for _ in range(k)] for _ in range(n)]
        tA, tB = torch.tensor(A), torch.tensor(B)
        # backward error is a few eps; the forward error grows with the condition number of A
        cond = torch.linalg.cond(tA).item()
        theirs = torch.linalg.solve(tA, tB)
        scale = 1 + theirs.abs().max().item() if theirs.numel() else 1
        tol = 1e-14 * n * cond * scale
        X, LU = T.gesv(T.tensor(B), T.tensor(A))
        oracle.close("gesv", X, theirs, tol)
        oracle.close("solve", T.tensor(T.solve(A, B)), theirs, tol)
        # the same pivots as LAPACK's getrf, so the same packed factors
        oracle.close("LU", LU, torch.linalg.lu_factor(tA).LU, 1e-13 * n * cond)


def test_solve_exact_agrees_with_torch_floats(oracle):
    torch, rng = oracle.torch, random.Random(15)
    compared = 0
    while compared < 100:
        n = rng.randint(1, 4)
        A = [[rng.randint(-5, 5) for _ in range(n)] for _ in range(n)]
        B = [rng.randint(-5, 5) for _ in range(n)]
        tA = torch.tensor(A, dtype=torch.float64)
        if torch.linalg.matrix_rank(tA).item() < n:
            with pytest.raises(ValueError, match="singular"):
                T.solve(A, B)
            continue
        X = T.solve(A, B)                             # Fractions
        theirs = torch.linalg.solve(tA, torch.tensor(B, dtype=torch.float64))
        cond = torch.linalg.cond(tA).item()
        oracle.close("solve exact", T.tensor([float(v) for v in X]), theirs,
                     1e-14 * n * cond * (1 + theirs.abs().max().item()))
        compared += 1


def test_singular_matrices_are_refused_by_both(oracle):
    torch = oracle.torch
    for A in ([[1.0, 2.0], [2.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]], [[0.0]],
              [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 5.0]]):
        B = [1.0] * len(A)
        with pytest.raises(torch.linalg.LinAlgError):
            torch.linalg.solve(torch.tensor(A), torch.tensor(B))
        with pytest.raises(ValueError, match="singular"):
            T.solve(A, B)
        oracle.count += 1


def test_singular_up_to_rounding_is_refused_where_torch_answers(oracle):
    """Singular in exact arithmetic; in floats a pivot of ~1e-16 is left and torch answers anyway.

    For the first matrix A·x = 1 has infinitely many solutions (torch picks
    one); for the second none, and torch's answer is of size ~1e15.
    """
    torch = oracle.torch
    for A, largest in (([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], 1e3),
                       ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [5.0, 7.0, 9.0]], 1e16)):
        with pytest.raises(ValueError, match="A is singular: column 2"):
            T.solve([[int(v) for v in row] for row in A], [1, 1, 1])      # exactly
        with pytest.raises(ValueError, match="singular to working precision"):
            T.solve(A, [1.0, 1.0, 1.0])
        theirs = torch.linalg.solve(torch.tensor(A), torch.ones(3))      # no error
        assert 0 < theirs.abs().max().item() < largest
        oracle.count += 1


# --- grid_sample ------------------------------------------------------------------------------

def half_way_points(size, align_corners):
    """Coordinates that land exactly between two pixels (k + 0.5), where nearest must round to even."""
    if align_corners:
        return [(2 * (k + 0.5)) / (size - 1) - 1 for k in range(-1, size)] if size > 1 else []
    return [(2 * (k + 0.5) + 1) / size - 1 for k in range(-1, size)]


def sample_points(rng, h, w, align_corners, count):
    """count (x, y) points, flat: random ones in [-2.5, 2.5], corners, far ones, half-way ones."""
    xs = [-1.0, 1.0, 0.0, -3.5, 3.25, 7.3, -9.9] + half_way_points(w, align_corners)
    ys = [-1.0, 1.0, 0.0, -2.75, 5.5] + half_way_points(h, align_corners)
    kinds = [lambda: [rng.uniform(-2.5, 2.5), rng.uniform(-2.5, 2.5)],
             lambda: [rng.choice(xs), rng.uniform(-1, 1)],
             lambda: [rng.uniform(-1, 1), rng.choice(ys)],
             lambda: [rng.choice(xs), rng.choice(ys)]]
    return [coordinate for _ in range(count) for coordinate in rng.choice(kinds)()]


@pytest.mark.parametrize("mode, padding_mode, align_corners",
                         list(itertools.product(MODES, PADDINGS, (False, True))))
def test_grid_sample(oracle, mode, padding_mode, align_corners):
    torch = oracle.torch
    F = torch.nn.functional
    rng = random.Random(f"{mode} {padding_mode} {align_corners}")
    for _ in range(25):
        n, c, h, w = rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 5), rng.randint(1, 5)
        ho, wo = rng.randint(1, 4), rng.randint(1, 4)
        image, timage = pair(torch, rng, (n, c, h, w))
        flat = sample_points(rng, h, w, align_corners, n * ho * wo)
        grid = T.tensor(flat).reshape(n, ho, wo, 2)
        tgrid = torch.tensor(flat).reshape(n, ho, wo, 2)
        ours = T.grid_sample(image, grid, mode, padding_mode, align_corners)
        theirs = F.grid_sample(timage, tgrid, mode, padding_mode, align_corners)
        if mode == "nearest":
            oracle.exact(ours, theirs)
        else:                                       # the same formula in the same order
            oracle.close("grid_sample", ours, theirs, 1e-12)


@pytest.mark.parametrize("padding_mode, align_corners", list(itertools.product(PADDINGS, (False, True))))
def test_grid_sample_half_way_rounds_to_even(oracle, padding_mode, align_corners):
    """On a 2×4 image every half-way point is exact in binary: nearest must pick the even pixel."""
    torch = oracle.torch
    image = [[[[10.0, 20.0, 30.0, 40.0], [50.0, 60.0, 70.0, 80.0]]]]
    xs = half_way_points(4, align_corners)
    ys = half_way_points(2, align_corners)
    points = [[[x, y] for x in xs] for y in ys]
    ours = T.grid_sample(T.tensor(image), T.tensor([points]), "nearest", padding_mode, align_corners)
    theirs = torch.nn.functional.grid_sample(torch.tensor(image), torch.tensor([points]), "nearest",
                                             padding_mode, align_corners)
    oracle.exact(ours, theirs)


def test_grid_sample_empty_batches(oracle):
    torch = oracle.torch
    F = torch.nn.functional
    for n, c, ho, wo in [(0, 1, 2, 2), (1, 0, 2, 2), (1, 1, 0, 3), (2, 1, 3, 0)]:
        image = torch.zeros(n, c, 2, 3) + 1.5
        grid = torch.zeros(n, ho, wo, 2) + 0.25
        ours = T.grid_sample(T.tensor(image.reshape(-1).tolist()).reshape(n, c, 2, 3),
                             T.tensor(grid.reshape(-1).tolist()).reshape(n, ho, wo, 2))
        oracle.exact(ours, F.grid_sample(image, grid, align_corners=False))


def test_the_count_is_reported(oracle):
    """Runs last in this module: the comparisons above did happen."""
    assert oracle.count > 3000        # run alone (-k), this test has nothing to count


def test_solve_a_batch_broadcasts_as_torch(oracle):
    """A of shape (*, n, n), B a batch of vectors or matrices or one for all: PyTorch's rule, to 1e-10,
    and the gradients of A and B from backward equal torch's."""
    torch, rng = oracle.torch, random.Random(16)
    for a_batch, b_shape in [((3,), (3, 2)), ((3,), (2,)), ((2, 3), (3, 2, 4)), ((3,), (2, 1)),
                             ((1, 2), (4, 1, 2, 2)), ((2,), (2, 2, 3))]:
        A = [[[rng.uniform(-2, 2) + 4 * (i == j) for j in range(2)] for i in range(2)]
             for _ in range(math.prod(a_batch))]
        A = T.reshape(T.tensor(A), (*a_batch, 2, 2)).tolist()
        B = T.reshape(T.tensor([rng.uniform(-2, 2) for _ in range(math.prod(b_shape))]), b_shape).tolist()
        a, b = T.tensor(A, requires_grad=True), T.tensor(B, requires_grad=True)
        ta = torch.tensor(A, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(B, dtype=torch.float64, requires_grad=True)
        X, tX = T.solve(a, b), torch.linalg.solve(ta, tb)
        oracle.close("solve batch", X, tX, 1e-10)
        weights = [rng.uniform(0.5, 1.5) for _ in range(X.numel())]
        (X * T.reshape(T.tensor(weights), X.shape)).sum().backward()
        (tX * torch.tensor(weights, dtype=torch.float64).reshape(tX.shape)).sum().backward()
        oracle.close("solve batch grad A", a.grad, ta.grad, 1e-10)
        oracle.close("solve batch grad B", b.grad, tb.grad, 1e-10)
