"""The Functions that branch on their numbers, against sympy's own piecewise formulas.

abs, relu, clamp, max and solve cannot run their forward on bare sympy
symbols (a comparison of symbols has no answer), so gradcheck's sympy
oracle passes them by.  Here sympy states each one in its own words (Abs,
Max, Min of real symbols; LUsolve for a linear system), differentiates that
formula exactly, and evaluates the derivative at the point: the result must
equal autograd's hand-written backward there.  Away from the kinks every
branch is fixed, so the two describe one function.  (grid_sample's bilinear
weights depend on where the floor of a pixel position falls: it is checked
by central differences in test_functions.py and against torch.)
"""
import random

import pytest

sympy = pytest.importorskip("sympy")

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

