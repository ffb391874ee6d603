"""The seed's tensor notebook without torch: exact properties, hand-worked examples, errors, no mutation.

(Once the module refnn.tensor; its operations now live in refnn.tensors, refnn.functions, refnn.shapes,
refnn.linalg and refnn.sampling, gathered here under one name, T.)"""
import copy
import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from types import SimpleNamespace

from refnn import functions, linalg, sampling, shapes, tensors
from refnn.matrix import ShapeError, matmul

MODULES = (tensors, functions, shapes, linalg, sampling)
T = SimpleNamespace(**{name: getattr(module, name) for module in MODULES
                       for name in module.__all__})
Tensor, cat, detach, div, equal, gesv, grid_sample = T.Tensor, T.cat, T.detach, T.div, T.equal, T.gesv, \
    T.grid_sample
narrow, permute, reshape, shape, size, solve = T.narrow, T.permute, T.reshape, T.shape, T.size, T.solve
squeeze, unsqueeze, view, where = T.squeeze, T.unsqueeze, T.view, T.where

# --- independent definitions ----------------------------------------------------------

def build(flat, dims):
    """The nested list of shape dims holding flat in reading order, built by index."""
    if not dims:
        return flat[0]
    step = math.prod(dims[1:])
    return [build(flat[k * step:(k + 1) * step], dims[1:]) for k in range(dims[0])]


def entry(x, index):
    for i in index:
        x = x[i]
    return x


def indices(dims):
    return itertools.product(*map(range, dims))


def flatten(x, dims):
    return [entry(x, i) for i in indices(dims)]


def det(A):
    """Leibniz's formula: Σ over permutations of sign · Π A[i][p(i)], exact on Fractions."""
    n, total = len(A), 0
    for p in itertools.permutations(range(n)):
        inversions = sum(p[i] > p[j] for i in range(n) for j in range(i + 1, n))
        total += (-1) ** inversions * math.prod(A[i][p[i]] for i in range(n))
    return total


# --- strategies ----------------------------------------------------------------------

ints = st.integers(-9, 9)
shapes = st.lists(st.integers(1, 3), min_size=0, max_size=4).map(tuple)


@st.composite
def arrays(draw, dims=shapes, elements=ints):
    """(x, dims): a nested list of a random shape up to 4-D (sizes >= 1, so the list shows its shape)."""
    dims = draw(dims)
    return build(draw(st.lists(elements, min_size=math.prod(dims), max_size=math.prod(dims))), dims), dims


def permutations_of(n):
    return st.permutations(list(range(n)))


# --- properties (the list, and the definitions) --------------------------------

@given(arrays(), st.data())
def test_permute_then_its_inverse_is_the_identity(xd, data):
    x, dims = xd
    order = data.draw(permutations_of(len(dims)))
    inverse = [order.index(d) for d in range(len(dims))]
    assert permute(permute(x, order), inverse) == x


@given(arrays(), st.data())
def test_permute_is_the_definition(xd, data):
    """out[i_0, ..., i_n] = x[j] with j[order[k]] = i_k."""
    x, dims = xd
    order = data.draw(permutations_of(len(dims)))
    out = permute(x, order)
    assert shape(out) == tuple(dims[d] for d in order)
    for i in indices(shape(out)):
        j = [0] * len(dims)
        for k, d in enumerate(order):
            j[d] = i[k]
        assert entry(out, i) == entry(x, j)


@given(arrays(), st.data())
def test_reshape_there_and_back(xd, data):
    x, dims = xd
    n = math.prod(dims)
    new, rest = [], n
    for _ in range(data.draw(st.integers(0, 3))):
        new.append(data.draw(st.sampled_from([d for d in range(1, rest + 1) if rest % d == 0])))
        rest //= new[-1]
    new.append(rest)
    y = reshape(x, new)
    assert flatten(y, tuple(new)) == flatten(x, dims)          # row by row, as the seed says
    assert reshape(y, dims) == x
    assert view(x, (-1,)) == flatten(x, dims)


@given(st.data())
def test_cat_then_narrow_gives_the_parts_back(data):
    dims = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    dim = data.draw(st.integers(-len(dims), len(dims) - 1))
    parts = []
    for _ in range(data.draw(st.integers(1, 4))):
        sizes = list(dims)
        sizes[dim] = data.draw(st.integers(1, 3))
        parts.append(data.draw(arrays(st.just(tuple(sizes))))[0])
    joined = cat(parts, dim)
    start = 0
    for part in parts:
        length = shape(part)[dim]
        assert narrow(joined, dim, start, length) == part
        start += length
    assert shape(joined)[dim] == start


@given(arrays())
def test_sum_over_every_dim_is_the_sum_of_the_flat_list(xd):
    x, dims = xd
    total = sum(flatten(x, dims))
    assert T.sum(x) == total
    assert T.sum(x, tuple(range(len(dims)))) == total
    assert T.sum(x, tuple(range(len(dims))), keepdim=True) == build([total], (1,) * len(dims))


@given(arrays(), st.data())
def test_sum_over_one_dim_is_the_definition(xd, data):
    """out[i without d] = Σ_k x[i with k at d]: the seed's reduced dimension vanishes."""
    x, dims = xd
    assume(dims)
    d = data.draw(st.integers(0, len(dims) - 1))
    out = T.sum(x, d - len(dims) if data.draw(st.booleans()) else d)
    rest = dims[:d] + dims[d + 1:]
    assert shape(out) == rest
    for i in indices(rest):
        assert entry(out, i) == sum(entry(x, i[:d] + (k,) + i[d:]) for k in range(dims[d]))


@given(arrays(), st.data())
def test_unsqueeze_then_squeeze_is_the_identity(xd, data):
    x, dims = xd
    d = data.draw(st.integers(-len(dims) - 1, len(dims)))
    y = unsqueeze(x, d)
    assert shape(y) == dims[:d % (len(dims) + 1)] + (1,) + dims[d % (len(dims) + 1):]
    assert squeeze(y, d) == x


@given(arrays(st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple)), st.data())
def test_where_is_the_definition(xd, data):
    x, dims = xd
    y = data.draw(arrays(st.just(dims)))[0]
    c = data.draw(arrays(st.just(dims), st.booleans()))[0]
    out = where(c, x, y)
    for i in indices(dims):
        assert entry(out, i) == (entry(x, i) if entry(c, i) else entry(y, i))


fractions = st.fractions(min_value=-5, max_value=5, max_denominator=5)


@given(st.integers(1, 4), st.data())
def test_solve_satisfies_the_equations_exactly(n, data):
    A = [data.draw(st.lists(fractions, min_size=n, max_size=n)) for _ in range(n)]
    k = data.draw(st.integers(0, 3))
    B = [data.draw(st.lists(fractions, min_size=k, max_size=k)) for _ in range(n)]
    if det(A) == 0:
        with pytest.raises(ValueError, match="singular"):
            solve(A, B)
        return
    X = solve(A, B)
    assert all(isinstance(v, Fraction) for row in X for v in row)
    if k:
        assert matmul(A, X) == B
    b = [row[0] for row in B] if k else [Fraction(1)] * n
    assert matmul(A, solve(A, b)) == b


@given(st.integers(1, 4), st.data())
def test_gesv_lu_is_a_factorisation_of_a_with_rows_swapped(n, data):
    A = [data.draw(st.lists(ints, min_size=n, max_size=n)) for _ in range(n)]
    assume(det(A) != 0)
    _, LU = gesv([1] * n, A)
    L = [[LU[i][j] if j < i else int(i == j) for j in range(n)] for i in range(n)]
    U = [[LU[i][j] if j >= i else 0 for j in range(n)] for i in range(n)]
    assert sorted(matmul(L, U)) == sorted(A)                     # P·A = L·U
    assert all(abs(LU[i][j]) <= 1 for i in range(n) for j in range(i))   # partial pivoting


@given(arrays())
def test_tensor_arithmetic_undoes_itself(xd):
    a = T.tensor(xd[0])
    assert equal(a + 3 - 3, a)
    assert equal(a * 2 / 2, a)
    negated = -a
    assert equal(-negated, a) and equal(negated + a, T.mul(a, 0))


# --- the seed's examples, worked by hand ----------------------------------------------------

def test_the_seed_reduced_dimension():
    """Summing a Q×W×E×R array over dim=1 leaves Q×E×R (the seed's explanation of dim)."""
    x = T.tensor(build(list(range(2 * 3 * 4 * 5)), (2, 3, 4, 5)))
    assert x.sum(1).size() == (2, 4, 5)
    assert x.sum(1, keepdim=True).size() == (2, 1, 4, 5)
    # entry (q, e, r) adds x[q][w][e][r] for w = 0, 1, 2: 60q + 5e + r + (0 + 20 + 40)
    assert x.sum(1)[1, 2, 3].item() == 3 * (60 + 10 + 3) + 60


def test_the_seed_sums_of_a_3d_x():
    x = T.tensor([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])
    assert x.sum(0).tolist() == [[1 + 7, 2 + 8, 3 + 9], [4 + 10, 5 + 11, 6 + 12]]
    assert x.sum(1).tolist() == [[1 + 4, 2 + 5, 3 + 6], [7 + 10, 8 + 11, 9 + 12]]
    assert x.sum(2).tolist() == [[1 + 2 + 3, 4 + 5 + 6], [7 + 8 + 9, 10 + 11 + 12]]
    assert str(x.sum(0)) == "tensor([[8, 10, 12], [14, 16, 18]])"


def test_the_seed_lines_run_on_a_tensor():
    x = T.tensor(build(list(range(24)), (2, 3, 4)))
    assert x.permute(2, 0, 1).shape == (4, 2, 3)
    assert x.view(6, 4)[5].tolist() == [20, 21, 22, 23]
    assert x.view(-1, 12).shape == (2, 12)
    assert x.narrow(2, 1, 2)[0, 0].tolist() == [1, 2]
    assert x.unsqueeze(1).shape == (2, 1, 3, 4)
    assert x.unsqueeze(0).squeeze().shape == (2, 3, 4)
    assert T.cat([x, x], 2).shape == (2, 3, 8)


# --- empty results ----------------------------------------------------------------------------

def test_empty_results_keep_their_shape_in_a_tensor():
    x = T.tensor([[1, 2, 3], [4, 5, 6]])
    empty = x.narrow(0, 2, 0)
    assert empty.shape == (0, 3) and empty.tolist() == []
    assert repr(empty) == "tensor([], size=(0, 3))"
    assert empty.sum(0).tolist() == [0, 0, 0]                   # an empty sum is 0
    assert empty.sum(1).shape == (0,)
    assert empty.permute(1, 0).tolist() == [[], [], []]
    assert empty.unsqueeze(0).shape == (1, 0, 3)
    assert T.cat([empty, x]).tolist() == x.tolist()
    assert x.narrow(1, 0, 0).tolist() == [[], []]
    assert repr(x.narrow(1, 0, 0)) == "tensor([[], []])"
    assert T.tensor([]).reshape(0, 3).shape == (0, 3)


def test_empty_plain_lists_read_as_torch_tolist():
    m = [[1, 2, 3], [4, 5, 6]]
    assert narrow(m, 0, 1, 0) == []                             # torch.zeros(0, 3).tolist() == []
    assert narrow(m, 1, 3, 0) == [[], []]
    assert T.sum([]) == 0
    assert cat([[], m]) == m                                    # PyTorch skips an empty vector
    assert cat([[], []]) == []


# --- grid_sample, worked by hand ---------------------------------------------------------------

ROW = [[[[10, 20, 30, 40]]]]                                    # N = C = H = 1, W = 4


def at(xs, **options):
    """The row read at the x coordinates xs (y = 0)."""
    return grid_sample(ROW, [[[[x, 0] for x in xs]]], **options)[0][0][0]


def test_where_minus_one_and_one_land():
    # align_corners=True: x = -1 + 2p/3 for pixel p; False: x = (2p + 1)/4 - 1
    assert at([-1, 1], align_corners=True) == [10, 40]
    assert at([-0.75, -0.25, 0.25, 0.75]) == [10, 20, 30, 40]
    assert at([-1, 1]) == [10 / 2, 40 / 2]                      # half a pixel of zeros outside
    assert at([0.5], align_corners=True) == [30 * 0.75 + 40 * 0.25]   # pixel 2.25


def test_padding_modes_far_outside():
    # x = 1.5 is pixel 4.5 (align_corners=False): border reads pixel 3; reflection folds 4.5 at
    # the edge 3.5 back to 2.5, halfway between 30 and 40
    assert at([1.5], padding_mode="zeros") == [0]
    assert at([1.5], padding_mode="border") == [40]
    assert at([1.5], padding_mode="reflection") == [35]
    # x = -2 is pixel -2.5: mirrored at -0.5 to 1.5
    assert at([-2], padding_mode="reflection") == [25]
    # align_corners=True mirrors at the pixel centres 0 and 3: x = 2 is pixel 4.5, mirrored to 1.5
    assert at([2], padding_mode="reflection", align_corners=True) == [25]
    # x = -7 is pixel -9: mirrored at 0 to 9, at 3 to -3, at 0 to 3
    assert at([-7], padding_mode="reflection", align_corners=True) == [40]
    # x = 4 is pixel 7.5: mirrored at 3 to -1.5, at 0 to 1.5, which nearest rounds to 2
    assert at([4], padding_mode="reflection", align_corners=True, mode="nearest") == [30]


def test_nearest_rounds_half_to_even():
    # align_corners=False: x = (2p + 1)/4 - 1 at pixel p; p = 0.5, 1.5, 2.5 are half-way
    assert at([-0.5, 0, 0.5], mode="nearest") == [10, 30, 30]   # pixels 0, 2, 2
    assert at([-0.5, 0, 0.5], mode="nearest", align_corners=True) == [20, 30, 30]   # 0.75, 1.5, 2.25


def test_grid_x_is_width_and_y_is_height():
    image = [[[[1, 2], [3, 4]]]]                                 # 2×2, H first
    corners = [[[[-1, -1], [1, -1]], [[-1, 1], [1, 1]]]]
    assert grid_sample(image, corners, align_corners=True) == [[[[1, 2], [3, 4]]]]
    assert grid_sample(image, [[[[0, 0]]]])[0][0][0][0] == (1 + 2 + 3 + 4) / 4
    assert grid_sample(image, [[[[1, -1]]]], mode="nearest", align_corners=True) == [[[[2]]]]


def test_grid_sample_keeps_batches_and_channels_apart():
    images = [[[[1, 2]], [[10, 20]]], [[[100, 200]], [[1000, 2000]]]]     # N = 2, C = 2, 1×2
    grid = [[[[-1, 0]]], [[[1, 0]]]]
    assert grid_sample(images, grid, align_corners=True) == [[[[1]], [[10]]], [[[200]], [[2000]]]]


# --- solve, worked by hand ------------------------------------------------------------------------

def test_solve_by_hand():
    # 2x + y = 3, x + 3y = 5: y = (10 - 3)/5 = 7/5, x = (3 - 7/5)/2 = 4/5
    assert solve([[2, 1], [1, 3]], [3, 5]) == [Fraction(4, 5), Fraction(7, 5)]
    X = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0])
    assert all(isinstance(v, float) for v in X)
    assert [round(v, 12) for v in X] == [0.8, 1.4]
    # a zero on the diagonal needs a row swap
    assert solve([[0, 1], [1, 0]], [[2, 3], [4, 5]]) == [[4, 5], [2, 3]]


def test_gesv_is_solve_with_arguments_swapped_and_lu():
    A, B = [[1, 2], [3, 4]], [[5], [6]]
    X, LU = gesv(B, A)
    assert X == solve(A, B)
    # pivot row [3, 4]; multiplier 1/3; U22 = 2 - 4/3 = 2/3 (torch.linalg.lu_factor gives the same)
    assert LU == [[3, 4], [Fraction(1, 3), Fraction(2, 3)]]
    x, lu = gesv(T.tensor(B), T.tensor(A))
    assert isinstance(x, Tensor) and x.tolist() == X and lu.tolist() == LU


# --- errors ------------------------------------------------------------------------------------------

X3 = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]


@pytest.mark.parametrize("call, message", [
    (lambda: T.sum(X3, 3),
     r"sum: Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)"),
    (lambda: T.sum(X3, -4), r"\[-3, 2\], but got -4"),
    (lambda: T.sum(5, 1), r"sum: Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"),
    (lambda: narrow(X3, 3, 0, 1), r"narrow: Dimension out of range"),
    (lambda: unsqueeze(X3, 4), r"unsqueeze: .*\[-4, 3\], but got 4"),
    (lambda: squeeze(X3, -4), r"squeeze: .*\[-3, 2\], but got -4"),
    (lambda: permute(X3, (0, 1, 3)), r"permute: .*\[-3, 2\], but got 3"),
    (lambda: cat([X3, X3], 3), r"cat: .*\[-3, 2\], but got 3"),
    (lambda: size(X3, 3), r"size: .*\[-3, 2\], but got 3"),
    (lambda: size(5, 0), r"size: Dimension specified as 0 but tensor has no dimensions"),
    (lambda: T.tensor(X3)[2], r"index 2 is out of bounds for dimension 0 with size 2"),
    (lambda: T.tensor(X3)[0, 0, 0, 0], r"too many indices for tensor of dimension 3"),
    (lambda: T.tensor(5)[0], r"too many indices for tensor of dimension 0"),
])
def test_dimension_and_index_errors(call, message):
    with pytest.raises(IndexError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: narrow(X3, 0, 1, 2),
     r"narrow: start 1 \+ length 2 exceeds size 2 of dimension 0 in shape \(2, 2, 2\)"),
    (lambda: narrow(X3, 0, -3, 1), r"narrow: start -3 out of range \[-2, 2\] for dimension 0"),
    (lambda: narrow(5, 0, 0, 1), r"narrow: cannot narrow a number"),
    (lambda: permute(X3, (0, 1)),
     r"permute: dims \(0, 1\) name 2 dimensions, but the input has shape \(2, 2, 2\)"),
    (lambda: reshape(X3, (3, -1)), r"reshape: cannot lay out shape \(2, 2, 2\) \(8 numbers\) as \(3, -1\)"),
    (lambda: view(X3, (3, 3)), r"view: cannot lay out shape \(2, 2, 2\) \(8 numbers\) as \(3, 3\)"),
    (lambda: reshape(T.tensor([]), (-1, 0)), r"reshape: cannot infer -1 in \(-1, 0\) for shape \(0,\)"),
    (lambda: cat([X3, [[1, 2]]]), r"cat: shapes \(2, 2, 2\) and \(1, 2\) differ outside dimension 0"),
    (lambda: cat([[1, 2], 3]), r"cat: a number \(a 0-d tensor, at position 1\) cannot be concatenated"),
    (lambda: where([True, False], [1, 2, 3], 0), r"where: shapes \(2,\), \(3,\), \(\) do not broadcast"),
    (lambda: T.add(X3, [1, 2, 3]),
     r"add: shapes \(2, 2, 2\), \(3,\) do not broadcast: sizes 2 and 3 meet in dimension 2"),
    (lambda: solve([[1, 2, 3]], [1]),
     r"solve: A must be a square matrix \(or a batch of them\), got shape \(1, 3\)"),
    (lambda: solve([[1, 2], [3, 4]], [[1, 2]]),
     r"solve: B of shape \(1, 2\) does not fit A of shape \(2, 2\)"),
    (lambda: solve([[1, 2], [3, 4]], 1), r"solve: B of shape \(\) does not fit"),
    (lambda: grid_sample(X3, [[[[0, 0]]]]),
     r"grid_sample: input must have shape \(N, C, H, W\), got \(2, 2, 2\)"),
    (lambda: grid_sample([[[[1]]]], [[[[0, 0, 0]]]]),
     r"grid_sample: grid must have shape \(N, H_out, W_out, 2\)"),
    (lambda: grid_sample([[[[1]]]], [[[[0, 0]]], [[[0, 0]]]]),
     r"grid_sample: grid of shape \(2, 1, 1, 2\) and input with N = 1 differ in N"),
    (lambda: grid_sample(T.tensor([[[[1]]]]).narrow(3, 0, 0), [[[[0, 0]]]]),
     r"grid_sample: input of shape \(1, 1, 1, 0\) has no pixels"),
    (lambda: T.sum([[1, 2], [3]]), r"sum: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2"),
    (lambda: permute([[1], 2], (0, 1)), r"permute: ragged list"),
    (lambda: T.tensor([[1, 2], [3]]), r"tensor: ragged list"),
])
def test_shape_errors(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: T.sum(X3, (0, -3)), r"sum: dim 0 appears multiple times in the list of dims \(0, -3\)"),
    (lambda: permute(X3, (0, 1, -2)), r"permute: dims \(0, 1, -2\) repeat a dimension; they must order 0..2"),
    (lambda: narrow(X3, 0, 0, -1), r"narrow: length must be non-negative, got -1"),
    (lambda: reshape(X3, (-1, -1, 2)), r"reshape: only one size can be inferred \(-1\), got \(-1, -1, 2\)"),
    (lambda: reshape(X3, (-2, -4)), r"reshape: sizes must be at least 0"),
    (lambda: cat([]), r"cat: expected a non-empty list of tensors"),
    (lambda: solve([[1, 2], [2, 4]], [1, 2]), r"solve: A is singular: column 1 has no nonzero pivot"),
    (lambda: gesv([1, 2], [[0, 0], [0, 0]]), r"gesv: A is singular: column 0"),
    (lambda: solve([[1.0, float("nan")], [0.0, 1.0]], [1.0, 1.0]), r"solve: the system holds nan"),
    (lambda: solve([[1.0, 0.0], [0.0, 1.0]], [float("inf"), 1.0]), r"solve: the system holds inf"),
    (lambda: grid_sample([[[[1]]]], [[[[0, 0]]]], mode="bicubic"),
     r"grid_sample: mode must be 'bilinear' or 'nearest', got 'bicubic'"),
    (lambda: grid_sample([[[[1]]]], [[[[0, 0]]]], padding_mode="wrap"),
     r"grid_sample: padding_mode must be 'zeros', 'border' or 'reflection', got 'wrap'"),
    (lambda: grid_sample([[[[1]]]], [[[[float("nan"), 0]]]]),
     r"grid_sample: grid holds nan; sample points must be finite"),
    (lambda: div([Fraction(1), 2], 0), r"div: division by zero \(a Fraction has no infinity\)"),
])
def test_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: T.sum(X3, 1.0), r"sum: dim must be an int or a tuple of ints, got float"),
    (lambda: T.sum(X3, True), r"sum: dim must be an int or a tuple of ints, got bool"),
    (lambda: T.sum(X3, (0, 1.5)), r"sum: dim must be an int, got float"),
    (lambda: unsqueeze(X3, None), r"unsqueeze: dim must be an int, got NoneType"),
    (lambda: T.sum(X3, 0, keepdim=1), r"sum: keepdim must be True or False, got int"),
    (lambda: narrow(X3, 0, 0.5, 1), r"narrow: start must be an int, got float"),
    (lambda: permute(X3, 0), r"permute: dims must be a tuple of ints, got int"),
    (lambda: reshape(X3, 8.0), r"reshape: shape must be a tuple of ints, got float"),
    (lambda: cat(T.tensor(X3)), r"cat: tensors must be a list or tuple of tensors, got Tensor"),
    (lambda: where([1, 0], 5, 6), r"where: the condition must hold True or False, got int 1"),
    (lambda: T.sum([1, "2"]), r"sum: expected numbers, got str '2'"),
    (lambda: solve([[1, 2], [3, 4]], ["a", "b"]), r"solve: expected numbers, got str 'a'"),
    (lambda: grid_sample([[[[1]]]], [[[[0, 0]]]], align_corners=None),
     r"grid_sample: align_corners must be True or False"),
    (lambda: T.tensor(X3)[0.5], r"tensor indices must be ints or slices, got float"),
    (lambda: T.tensor(X3) + "a", r"add: expected a Tensor, a number or a nested list, got str"),
    (lambda: len(T.tensor(5)), r"len\(\) of a 0-d tensor"),
])
def test_type_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    # PyTorch's errors, where the old module raised ValueError with its own words
    (lambda: T.tensor([1, 2]).item(), r"a Tensor with 2 elements cannot be converted to Scalar"),
    (lambda: bool(T.tensor([1, 2]) == T.tensor([1, 2])),
     r"Boolean value of Tensor with more than one value is ambiguous"),
])
def test_runtime_errors_are_pytorchs(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_division_by_zero_is_pytorchs_inf_and_nan():
    # the old module raised ValueError here; PyTorch gives ±inf and nan
    assert div([1, -2.0], 0) == [math.inf, -math.inf]
    assert math.isnan(div([0], 0)[0])


def test_a_tensor_hashes_by_identity_as_pytorchs():
    a, b = T.tensor(5), T.tensor(5)
    assert len({a, b, a}) == 2


def test_float_singularity_is_relative_to_the_largest_entry():
    # tiny entries are fine while the pivots stay above n·ε·max|A|
    assert solve([[1.0, 1e-20], [1.0, 1.0]], [1.0, 1.0]) == [1.0, 0.0]
    assert solve([[1e-20, 0.0], [0.0, 1e-20]], [1e-20, 2e-20]) == [1.0, 2.0]
    # a badly scaled matrix trips the test (the documented departure): rescale its rows
    with pytest.raises(ValueError, match=r"singular to working precision: column 1 .* = 4.4e-16"):
        solve([[1.0, 0.0], [0.0, 1e-20]], [1.0, 1e-20])
    assert solve([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0]) == [1.0, 1.0]


def test_sympy_entries_are_refused_by_solve():
    sympy = pytest.importorskip("sympy")
    with pytest.raises(TypeError, match="solve: expected ints, Fractions or floats, got Symbol"):
        solve([[sympy.Symbol("a")]], [1])


# --- nothing changes its arguments, and no result shares a list with them -------------------------------

CALLS = [
    lambda x: T.sum(x, 1), lambda x: T.sum(x, 0, keepdim=True), lambda x: narrow(x, 0, 0, 2),
    lambda x: narrow(x, 2, 1, 1), lambda x: permute(x, (0, 1, 2)), lambda x: permute(x, (2, 0, 1)),
    lambda x: reshape(x, (2, 2, 2)), lambda x: view(x, (4, 2)), lambda x: cat([x, x]),
    lambda x: cat([x], 1), lambda x: unsqueeze(x, 0), lambda x: squeeze(x), lambda x: squeeze(x, 0),
    lambda x: detach(x), lambda x: where(True, x, 0), lambda x: where([[[True, False]]], x, x),
    lambda x: T.add(x, 0), lambda x: T.mul(x, [[[1, 1]]]), lambda x: T.tensor(x).tolist(),
    lambda x: T.tensor(x)[0].tolist(), lambda x: T.tensor(x)[:, 1].tolist(),
    lambda x: grid_sample([x], [[[[0, 0]]]]), lambda x: solve(x[0], x[1]), lambda x: gesv(x[1], x[0])[1],
]


@pytest.mark.parametrize("call", CALLS)
def test_arguments_are_left_alone_and_results_are_new(call):
    x = [[[1, 2], [3, 4]], [[5, 6], [7, 9]]]
    before = copy.deepcopy(x)
    out = call(x)
    assert x == before
    lists = [out]
    while lists:                                  # scribble on every list of the result
        item = lists.pop()
        if isinstance(item, list) and item:
            lists.extend(item)
            item[0] = "scribble"
    assert x == before


def test_a_tensor_is_a_copy_of_its_list():
    x = [[1, 2], [3, 4]]
    t = T.tensor(x)
    x[0][0] = 100
    assert t.tolist() == [[1, 2], [3, 4]]
    t.tolist()[0][0] = 100
    assert t.tolist() == [[1, 2], [3, 4]]


# --- the Tensor ------------------------------------------------------------------------------------------

def test_tensor_behaves_as_a_reader_expects():
    x = T.tensor([[1, 2], [3, 4]])
    assert repr(x) == str(x) == "tensor([[1, 2], [3, 4]])"
    assert (x.dim(), len(x), x.size(), x.size(0), x.shape) == (2, 2, (2, 2), 2, (2, 2))
    assert [row.tolist() for row in x] == [[1, 2], [3, 4]]
    assert (x == [[1, 0], [3, 0]]).tolist() == [[True, False], [True, False]]
    assert (x != 2).tolist() == [[True, False], [True, True]]
    assert (x <= 2).tolist() == [[True, True], [False, False]]
    assert (x >= 3).tolist() == (x > 2).tolist() == [[False, False], [True, True]]
    assert (x < 2).sum().item() == 1
    assert ([[10], [20]] + x).tolist() == [[11, 12], [23, 24]]       # a column broadcast
    assert (2 / T.tensor([4, 8])).tolist() == [0.5, 0.25]
    assert (x * x).tolist() == [[1, 4], [9, 16]]                      # place by place, not matmul
    assert x[0, 1].item() == 2 and bool(x[0, 1] == 2)
    assert x[::-1].tolist() == [[3, 4], [1, 2]]
    assert x[1:, :1].tolist() == [[3]]
    assert x[5:].shape == (0, 2)
    assert (x == "a") is False                                        # not comparable: not equal
    assert T.tensor(x).tolist() == x.tolist() and T.tensor(x) is not x
    assert T.tensor(2.5).tolist() == 2.5 and repr(T.tensor(True)) == "tensor(True)"


def test_methods_are_the_functions():
    x = T.tensor(build(list(range(12)), (2, 3, 2)))
    plain = x.tolist()
    assert x.sum(-1).tolist() == T.sum(plain, -1)
    assert x.permute((2, 1, 0)).tolist() == x.permute(2, 1, 0).tolist() == permute(plain, (2, 1, 0))
    assert x.view(3, 4).tolist() == x.view((3, 4)).tolist() == view(plain, (3, 4))
    assert x.reshape(-1).tolist() == reshape(plain, (-1,))
    assert x.narrow(1, 1, 2).tolist() == narrow(plain, 1, 1, 2)
    assert x.unsqueeze(-1).tolist() == unsqueeze(plain, -1)
    assert x.squeeze(0).tolist() == squeeze(plain, 0)
    assert x.detach().tolist() == detach(plain)


def test_exact_numbers_stay_exact():
    half = Fraction(1, 2)
    x = T.tensor([[half, 1], [2, half]])
    assert x.sum(0).tolist() == [Fraction(5, 2), Fraction(3, 2)]
    assert (x / Fraction(3)).tolist() == [[Fraction(1, 6), Fraction(1, 3)], [Fraction(2, 3), Fraction(1, 6)]]
    assert (x / 3)[0, 1].item() == 1 / 3                    # int / int is a float, as in PyTorch
    assert T.sum([True, True, False]) == 2


# --- PyTorch's answers where the old module differed (issue 11, item 7) --------------------

def test_bools_add_as_logical_or_and_refuse_subtraction():
    assert (T.tensor([True, False]) + T.tensor([True, True])).tolist() == [True, True]
    assert (T.tensor([True, False]) * T.tensor([True, True])).tolist() == [True, False]
    assert (T.tensor([True, False]) + 1).tolist() == [2, 1]
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        T.tensor([True]) - T.tensor([True])


def test_equal_sees_nan_unequal_even_as_one_object():
    nan = float("nan")
    assert not equal(T.tensor([nan]), T.tensor([nan])) and not equal([nan], [nan])


def test_a_long_tensor_prints_summarised_as_pytorch():
    assert repr(T.arange(2000)) == "tensor([0, 1, 2, ..., 1997, 1998, 1999])"
    assert repr(T.ones(1000)).count("...") == 0                         # 1000 numbers: all shown
    big = repr(T.zeros(40, 40, dtype=T.int64))                         # 7 cuts: 1 outer, 6 rows shown
    assert big.startswith("tensor([[0, 0, 0, ..., 0, 0, 0], [0, 0, 0, ..., 0, 0, 0],")
    assert big.count("...") == 7


def test_in_place_operators_keep_a_leaf():
    w = T.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w -= w.grad
    from refnn.autograd import no_grad
    with no_grad():
        w -= 0.5 * w.grad
    assert w.tolist() == [0.0, 0.0] and w.requires_grad and w.is_leaf


def test_solve_a_batch_is_each_system_solved():
    """A batch of systems gives, system by system, what solve gives each one; one B serves every A."""
    A = [[[2, 1], [1, 3]], [[1, 0], [0, 2]], [[4, 1], [2, 1]]]
    B = [[3, 5], [1, 1], [0, 2]]
    assert solve(A, B) == [solve(a, b) for a, b in zip(A, B)]
    assert solve(A, [3, 5]) == [solve(a, [3, 5]) for a in A]
    matrices = [[[1, 2], [3, 4]], [[0, 1], [1, 0]], [[2, 2], [1, 1]]]     # B (3, 2, 2): matrices
    assert solve(A, matrices) == [solve(a, m) for a, m in zip(A, matrices)]


def test_solve_a_batch_sends_gradients_to_every_system():
    """The batch's gradients are those of each system solved alone."""
    A = [[[2.0, 1.0], [1.0, 3.0]], [[1.0, 0.5], [0.0, 2.0]]]
    B = [[3.0, 5.0], [1.0, 1.0]]
    a, b = T.tensor(A, requires_grad=True), T.tensor(B, requires_grad=True)
    solve(a, b).sum().backward()
    for i in range(2):
        ai, bi = T.tensor(A[i], requires_grad=True), T.tensor(B[i], requires_grad=True)
        solve(ai, bi).sum().backward()
        assert a.grad.tolist()[i] == ai.grad.tolist() and b.grad.tolist()[i] == bi.grad.tolist()
