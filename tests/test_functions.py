"""Every Function's hand-written backward against sympy and against central differences.

Each case runs autograd's backward on float tensors (the loss is the
output weighted by fixed random numbers, so every output counts) and holds
the gradients of all inputs against ``gradcheck.check_function``'s two
oracles: sympy, which runs the same forward on tensors of symbols and
differentiates the formula, and central differences.  Shapes include
broadcasting (a row against a matrix, a number against a matrix, a column
against a row).  Functions that branch on their numbers (clamp, max, abs,
relu at a kink) cannot run on bare symbols; they are checked by central
differences away from their kinks, plus sympy where the branch is fixed
beforehand (MaxDim with its indices given).  Every Function of the tensor
floor must appear in a table: ``test_every_function_is_checked``.
"""
import math
import random
from collections import Counter

import pytest

from refnn import functions, linalg, sampling, shapes
from refnn.autograd import Function
from refnn.functions import MaxDim, where
from refnn.gradcheck import check_function, max_relative_error, numeric_gradient
from refnn.linalg import solve
from refnn.sampling import grid_sample
from refnn.shapes import cat, stack
from refnn.tensors import Tensor, tensor

rng = random.Random(7)


def rand(*dims, low=-2.0, high=2.0, away=0.0):
    """A nested list of random floats of shape dims, at least `away` from 0 in size."""
    if not dims:
        while True:
            v = rng.uniform(low, high)
            if abs(v) >= away:
                return v
    return [rand(*dims[1:], low=low, high=high, away=away) for _ in range(dims[0])]


def pos(*dims):
    return rand(*dims, low=0.5, high=3.0)


C = [[True, False, True], [False, True, True]]


def put(a, v, key):
    """a copy of a with y[key] = v: what IndexPut does for x[key] = v."""
    y = a * 1
    y[key] = v
    return y

# (the Function checked, f of tensors, inputs): sympy and central differences
BOTH = [
    ("Add", lambda a, b: a + b, (rand(2, 3), rand(2, 3))),
    ("Add", lambda a, b: a + b, (rand(2, 3), rand(3))),                     # a row on every row
    ("Add", lambda a, b: a + b, (rand(2, 1), rand(3))),                     # column + row: a table
    ("Add", lambda a, b: a + b, (rand(), rand(2, 2, 2))),
    ("Sub", lambda a, b: a - b, (rand(2, 3), rand(2, 3))),
    ("Sub", lambda a, b: a - b, (rand(3), rand(4, 1))),
    ("Mul", lambda a, b: a * b, (rand(2, 3), rand(2, 3))),
    ("Mul", lambda a, b: a * b, (rand(2, 3), rand(1, 3))),
    ("Mul", lambda a, b: a * b, (rand(2, 1, 3), rand(4, 1))),
    ("Div", lambda a, b: a / b, (rand(2, 3), rand(2, 3, away=0.5))),
    ("Div", lambda a, b: a / b, (rand(3), rand(2, 1, away=0.5))),
    ("Neg", lambda a: -a, (rand(2, 3),)),
    ("Neg", lambda a: -a, (rand(),)),
    ("Pow", lambda a: a ** 3, (rand(2, 3),)),
    ("Pow", lambda a, b: a ** b, (pos(2, 3), rand(3))),
    ("Pow", lambda b: 2.5 ** b, (rand(4),)),
    ("Exp", lambda a: a.exp(), (rand(2, 3),)),
    ("Exp", lambda a: a.exp(), (rand(2, 2, 2),)),
    ("Log", lambda a: a.log(), (pos(2, 3),)),
    ("Sqrt", lambda a: a.sqrt(), (pos(2, 3),)),
    ("Sigmoid", lambda a: a.sigmoid(), (rand(2, 3),)),
    ("Sigmoid", lambda a: a.sigmoid(), (rand(),)),
    ("Tanh", lambda a: a.tanh(), (rand(2, 3),)),
    ("Sum", lambda a: a.sum(), (rand(2, 3),)),
    ("Sum", lambda a: a.sum(0), (rand(2, 3),)),
    ("Sum", lambda a: a.sum(1, keepdim=True), (rand(2, 3),)),
    ("Sum", lambda a: a.sum((0, 2)), (rand(2, 3, 2),)),
    ("Mean", lambda a: a.mean(), (rand(2, 3),)),
    ("Mean", lambda a: a.mean(-1), (rand(2, 3, 2),)),
    ("Mean", lambda a: a.mean(0, keepdim=True), (rand(3, 2),)),
    ("MatMul", lambda a, b: a @ b, (rand(2, 3), rand(3, 4))),
    ("MatMul", lambda a, b: a @ b, (rand(3), rand(3))),
    ("MatMul", lambda a, b: a @ b, (rand(3), rand(3, 2))),
    ("MatMul", lambda a, b: a @ b, (rand(2, 3), rand(3))),
    ("MatMul", lambda a, b: a @ b, (rand(2, 2, 3), rand(3, 2))),
    ("MatMul", lambda a, b: a @ b, (rand(2, 1, 2, 3), rand(3, 3, 2))),
    ("MatMul", lambda a, b: a @ b, (rand(3), rand(2, 3, 2))),
    ("Where", lambda a, b: where(tensor(C), a, b), (rand(2, 3), rand(2, 3))),
    ("Where", lambda a, b: where(tensor(C), a, b), (rand(3), rand(2, 1))),
    ("MaxDim", lambda a: MaxDim.apply(a, 1, False, [2, 0]), (rand(2, 3),)),
    ("MaxDim", lambda a: MaxDim.apply(a, 0, True, [[1, 0, 1]]), (rand(2, 3),)),
    ("View", lambda a: a.view(3, 2), (rand(2, 3),)),
    ("View", lambda a: a.reshape(-1), (rand(2, 2, 2),)),
    ("View", lambda a: a.flatten(1), (rand(2, 2, 2),)),
    ("Squeeze", lambda a: a.squeeze(), (rand(1, 3, 1),)),
    ("Unsqueeze", lambda a: a.unsqueeze(1), (rand(2, 3),)),
    ("Permute", lambda a: a.permute(2, 0, 1), (rand(2, 3, 2),)),
    ("Permute", lambda a: a.t(), (rand(2, 3),)),
    ("Permute", lambda a: a.transpose(0, 2), (rand(2, 1, 3),)),
    ("Narrow", lambda a: a.narrow(1, 1, 2), (rand(2, 3),)),
    ("Narrow", lambda a: a.narrow(0, 0, 1), (rand(3, 2, 2),)),
    ("Cat", lambda a, b: cat([a, b]), (rand(2, 3), rand(1, 3))),
    ("Cat", lambda a, b: cat([a, b, a], 1), (rand(2, 1), rand(2, 2))),
    ("Stack", lambda a, b: stack([a, b]), (rand(2, 3), rand(2, 3))),
    ("Stack", lambda a, b: stack([a, b], -1), (rand(3), rand(3))),
    ("Expand", lambda a: a.expand(2, 3), (rand(2, 1),)),
    ("Expand", lambda a: a.expand(2, -1, 3), (rand(3, 1),)),
    ("Index", lambda a: a[1], (rand(3, 2),)),
    ("Index", lambda a: a[:, 1:], (rand(2, 3),)),
    ("Index", lambda a: a[::-1, 0], (rand(3, 2),)),
    ("Clone", lambda a: a.clone(), (rand(2, 3),)),
    ("IndexPut", lambda a, v: put(a, v, 1), (rand(2, 3), rand(3))),
    ("IndexPut", lambda a, v: put(a, v, (slice(None), 0)), (rand(3, 2), rand())),
    ("IndexPut", lambda a, v: put(a, v, slice(1, None)), (rand(3, 2, 2), rand(1, 2))),
    ("ReLU", lambda a: a.relu(), (rand(2, 3, away=0.1),)),
]

# central differences only: the forward branches on its numbers (or needs floats), kinks avoided
NUMERIC = [
    ("Abs", lambda a: a.abs(), (rand(2, 3, away=0.1),)),
    ("Clamp", lambda a: a.clamp(-0.5, 0.5), ([[-1.0, -0.2, 0.3], [0.7, 0.1, -0.9]],)),
    ("Clamp", lambda a: a.clamp(min=0.0), ([[-1.0, 0.2], [0.7, -0.1]],)),
    ("Max", lambda a: a.max(), (rand(2, 3),)),
    ("MaxDim", lambda a: a.max(1).values, (rand(3, 4),)),
    ("Cast", lambda a: a.double(), (rand(2, 3),)),
    ("Solve", lambda a, b: solve(a, b), ([[3.0, 1.0], [1.0, 2.0]], rand(2))),
    ("Solve", lambda a, b: solve(a, b), ([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.3, 0.1, 2.0]], rand(3, 2))),
    ("GridSample", lambda x, g: grid_sample(x, g, align_corners=True),
     (rand(1, 2, 3, 4), [[[[-0.37, 0.21], [0.52, -0.83]], [[0.11, 0.67], [-0.71, -0.14]]]])),
    ("GridSample", lambda x, g: grid_sample(x, g),
     (rand(2, 1, 3, 3), [[[[-0.37, 0.21], [0.93, -1.1]]], [[[0.11, 0.67], [-1.3, 0.05]]]])),
    ("GridSample", lambda x, g: grid_sample(x, g, padding_mode="border"),
     (rand(1, 1, 3, 3), [[[[-0.37, 0.21], [1.3, -0.6], [0.4, 0.55]]]])),
    ("GridSample", lambda x, g: grid_sample(x, g, padding_mode="reflection", align_corners=True),
     (rand(1, 1, 3, 4), [[[[-1.37, 0.21], [1.3, -0.6], [2.4, 0.55]]]])),
    ("GridSample", lambda x, g: grid_sample(x, g, mode="nearest"),
     (rand(1, 1, 3, 3), [[[[-0.37, 0.21], [0.3, -0.6]]]])),
]

CHECKS = Counter()                     # (Function, oracle) -> number of checks passed


@pytest.mark.parametrize("name, f, inputs", BOTH, ids=[c[0] for c in BOTH])
def test_against_sympy_and_central_differences(name, f, inputs):
    gaps = check_function(f, *inputs)
    assert gaps.symbolic < 1e-12, gaps
    assert gaps.numeric < 1e-7, gaps
    CHECKS[name, "sympy"] += 1
    CHECKS[name, "central differences"] += 1


def _autograd_gradients(f, inputs, weights):
    leaves = [Tensor(x, requires_grad=True) for x in inputs]
    out = f(*leaves)
    out.backward(tensor(weights).reshape(out.shape))
    return [t.grad.tolist() for t in leaves]


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


@pytest.mark.parametrize("name, f, inputs", NUMERIC, ids=[c[0] for c in NUMERIC])
def test_against_central_differences(name, f, inputs):
    out = f(*(Tensor(x) for x in inputs))
    weights = [rng.uniform(0.5, 1.5) for _ in range(out.numel())]

    def loss(params):
        values = _flat(f(*(Tensor(p) for p in params)).tolist())
        return sum(w * v for w, v in zip(weights, values))
    ours = _autograd_gradients(f, inputs, weights)
    assert max_relative_error(numeric_gradient(loss, list(inputs)), ours) < 1e-7
    CHECKS[name, "central differences"] += 1


def test_the_gradient_at_the_kinks_is_pytorchs():
    """Where central differences cannot speak: PyTorch's choices, by hand."""
    x = tensor([0.0, -0.0, 2.0], requires_grad=True)
    x.abs().sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]                     # sign(0) = 0
    x = tensor([0.0, math.nan, -1.0], requires_grad=True)
    x.relu().sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]                     # zeroed only where x <= 0
    x = tensor([-1.0, 1.0, 2.0], requires_grad=True)
    x.clamp(-1, 1).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0]                     # the bounds are inside
    x = tensor([3.0, 1.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.5, 0.0, 0.5]                     # ties share evenly


def test_every_function_is_checked():
    checked = {name for name, _, _ in BOTH + NUMERIC}
    floor = {name for module in (functions, shapes, linalg, sampling) for name in module.__all__
             if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), Function)}
    assert floor <= checked, floor - checked


def test_report_the_counts(request):
    """The number of checks per Function and oracle (run last in this module)."""
    names = sorted({n for n, _ in CHECKS})
    cd = "central differences"
    lines = [f"{name}: sympy {CHECKS[name, 'sympy']}, {cd} {CHECKS[name, cd]}" for name in names]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\nFunctions checked:", len(lines), "\n" + "\n".join(lines))
