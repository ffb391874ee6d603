"""The Functions that branch on their numbers, against sympy's own piecewise formulas.

abs, relu, clamp, max, max-pooling and solve cannot run their forward on bare sympy
symbols (a comparison of symbols has no answer), so gradcheck's sympy
oracle passes them by.  Here sympy states each one in its own words (Abs,
Max, Min of real symbols; LUsolve for a linear system), differentiates that
formula exactly, and evaluates the derivative at the point: the result must
equal autograd's hand-written backward there.  Away from the kinks every
branch is fixed, so the two describe one function.  (For grid_sample, the bilinear
weights depend on where the floor of a pixel position falls: the formula
below takes the floors at the point, where they are constant.)
"""
import random

import pytest

sympy = pytest.importorskip("sympy")

import refnn.nn.functional as F  # noqa: E402
from refnn.gradcheck import max_relative_error  # noqa: E402
from refnn.linalg import solve  # noqa: E402
from refnn.tensors import tensor  # noqa: E402

rng = random.Random(11)


def values(n, away=0.1):
    out = []
    while len(out) < n:
        v = rng.uniform(-2, 2)
        if abs(v) >= away:
            out.append(v)
    return out


def rows(values, width):
    return [values[i:i + width] for i in range(0, len(values), width)]


# (name, refnn's forward on tensors, sympy's formula on lists of symbols, the inputs as flat lists and shapes)
CASES = [
    ("Abs", lambda a: a.abs(), lambda a: [sympy.Abs(v) for v in a], [(values(6), (2, 3))]),
    ("ReLU", lambda a: a.relu(), lambda a: [sympy.Max(0, v) for v in a], [(values(6), (2, 3))]),
    ("Clamp", lambda a: a.clamp(-0.5, 0.5), lambda a: [sympy.Min(sympy.Max(v, -0.5), 0.5) for v in a],
     [([-1.0, -0.2, 0.3, 0.7, 0.1, -0.9], (2, 3))]),
    ("Clamp", lambda a: a.clamp(min=0.0), lambda a: [sympy.Max(v, 0) for v in a],
     [([-1.0, 0.2, 0.7, -0.1], (2, 2))]),
    ("Max", lambda a: a.max(), lambda a: [sympy.Max(*a)], [(values(6), (2, 3))]),
    ("MaxDim", lambda a: a.max(1).values, lambda a: [sympy.Max(*row) for row in rows(a, 4)],
     [(values(12), (3, 4))]),
    ("Cast", lambda a: a.double(), lambda a: list(a), [(values(4), (2, 2))]),
    ("MaxPool2d", lambda a: F.max_pool2d(a, 2),
     lambda a: [sympy.Max(*(a[(2 * i + di) * 4 + 2 * j + dj] for di in (0, 1) for dj in (0, 1)))
                for i in range(2) for j in range(2)], [(values(16), (1, 1, 4, 4))]),
    ("MaxPool2d", lambda a: F.max_pool2d(a, 2, stride=1),
     lambda a: [sympy.Max(*(a[(i + di) * 3 + j + dj] for di in (0, 1) for dj in (0, 1)))
                for i in range(2) for j in range(2)], [(values(9), (1, 1, 3, 3))]),
    ("Solve", lambda a, b: solve(a, b),
     lambda a, b: list(sympy.Matrix(rows(a, 2)).LUsolve(sympy.Matrix(b))),
     [([3.0, 1.0, 1.0, 2.0], (2, 2)), (values(2), (2,))]),
    ("Solve", lambda a, b: solve(a, b),
     lambda a, b: list(sympy.Matrix(rows(a, 3)).LUsolve(sympy.Matrix(rows(b, 2)))),
     [([4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.3, 0.1, 2.0], (3, 3)), (values(6), (3, 2))]),
]


@pytest.mark.parametrize("name, ours, theirs, inputs", CASES, ids=[c[0] for c in CASES])
def test_a_branching_function_is_sympys_piecewise_derivative(name, ours, theirs, inputs):
    """d(Σ r_k·out_k)/d(input) by autograd equals sympy's exact derivative of sympy's own formula."""
    leaves = [tensor(flat).reshape(shape).requires_grad_() for flat, shape in inputs]
    out = ours(*leaves)
    weights = [rng.uniform(0.5, 1.5) for _ in range(out.numel())]
    out.backward(tensor(weights).reshape(out.shape))
    hand = [v for t in leaves for v in t.grad.reshape(-1).tolist()]
    symbols = [[sympy.Symbol(f"x{i}_{j}", real=True) for j in range(len(flat))]
               for i, (flat, _) in enumerate(inputs)]
    loss = sum(w * o for w, o in zip(weights, theirs(*symbols)))
    point = {s: v for group, (flat, _) in zip(symbols, inputs) for s, v in zip(group, flat)}
    exact = [float(sympy.diff(loss, s).subs(point)) for group in symbols for s in group]
    assert max_relative_error(hand, exact) < 1e-12, (hand, exact)



def _bilinear(image, points, h, w, point_values):
    """grid_sample's bilinear formula (zeros padding, align_corners=False) in sympy, pixel by pixel.

    A pixel position ix = ((x + 1)·W − 1)/2 lies between columns ⌊ix⌋ and
    ⌊ix⌋ + 1, whose weights are 1 − (ix − ⌊ix⌋) and ix − ⌊ix⌋; the floors are
    taken at the point (they are constant around it), the rest is a formula.
    """
    import math
    out = []
    for (gx, gy), (px, py) in zip(points, point_values):
        ix, iy = ((gx + 1) * w - 1) / 2, ((gy + 1) * h - 1) / 2
        x0, y0 = math.floor(((px + 1) * w - 1) / 2), math.floor(((py + 1) * h - 1) / 2)
        total = 0
        for yy, wy in ((y0, 1 - (iy - y0)), (y0 + 1, iy - y0)):
            for xx, wx in ((x0, 1 - (ix - x0)), (x0 + 1, ix - x0)):
                if 0 <= yy < h and 0 <= xx < w:             # outside the image: zeros
                    total += wy * wx * image[yy * w + xx]
        out.append(total)
    return out


def test_grid_sample_is_sympys_bilinear_derivative():
    """grid_sample's gradients to the image and the grid: sympy's derivative of the bilinear formula."""
    h, w = 3, 4
    image = values(h * w)
    grid = [-0.37, 0.21, 0.52, -0.83, 0.11, 0.67, -0.95, -0.14, 0.9, 0.95]     # 5 points, two near edges
    x = tensor(image).reshape(1, 1, h, w).requires_grad_()
    g = tensor(grid).reshape(1, 1, 5, 2).requires_grad_()
    from refnn.sampling import grid_sample
    out = grid_sample(x, g)
    weights = [rng.uniform(0.5, 1.5) for _ in range(out.numel())]
    out.backward(tensor(weights).reshape(out.shape))
    hand = x.grad.reshape(-1).tolist() + g.grad.reshape(-1).tolist()
    pixels = sympy.symbols(f"p0:{h * w}", real=True)
    coords = sympy.symbols("g0:10", real=True)
    pairs = list(zip(coords[0::2], coords[1::2]))
    formula = _bilinear(pixels, pairs, h, w, list(zip(grid[0::2], grid[1::2])))
    loss = sum(r * o for r, o in zip(weights, formula))
    point = dict(zip(pixels, image)) | dict(zip(coords, grid))
    exact = [float(sympy.diff(loss, s).subs(point)) for s in (*pixels, *coords)]
    assert max_relative_error(hand, exact) < 1e-12, (hand, exact)
