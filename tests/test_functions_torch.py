"""Every Function's forward and backward against PyTorch (float64), on random shapes with broadcasting.

Each case is one line of code written once for both libraries: it takes
the library (``refnn`` or ``torch``) and the input tensors, as a program
written for PyTorch would run on ``import refnn as torch``.  For random
shapes (sizes 1 to 3, up to 4-D, broadcast pairs), the outputs must agree
to 1e-12 (relative) and so must the gradients of every input after
``backward`` with the same random output gradient.  Skips cleanly without
torch (the torch tox environment requires it).
"""
import math
import random
from collections import Counter

import pytest

import refnn
from refnn import functions, linalg, sampling, shapes
from refnn.autograd import Function

TRIALS = 25
COUNTS = Counter()


def shape(rng, low=0, high=3):
    return tuple(rng.randint(1, 3) for _ in range(rng.randint(low, high)))


def broadcastable(rng, target):
    """A shape that broadcasts to target: leading dims dropped, some sizes set to 1."""
    k = rng.randint(0, len(target))
    return tuple(1 if rng.random() < 0.3 else n for n in target[k:])


def values(rng, dims, low=-2.0, high=2.0, away=0.0):
    n = math.prod(dims)
    out = []
    while len(out) < n:
        v = rng.uniform(low, high)
        if abs(v) >= away:
            out.append(v)
    return out, dims


def anything(rng):
    return [values(rng, shape(rng))]


def positive(rng):
    return [values(rng, shape(rng), 0.3, 3.0)]


def off_zero(rng):
    return [values(rng, shape(rng), away=0.1)]


def pair(rng, low=-2.0, high=2.0, away=0.0):
    target = shape(rng, 0, 4)
    return [values(rng, broadcastable(rng, target)), values(rng, broadcastable(rng, target), low, high, away)]


def matmul_pair(rng):
    n, k, m = (rng.randint(1, 3) for _ in range(3))
    kind = rng.choice(["mm", "vv", "vm", "mv", "batch", "batch-v", "v-batch"])
    batch = shape(rng, 1, 2)
    left, right = {"mm": ((n, k), (k, m)), "vv": ((k,), (k,)), "vm": ((k,), (k, m)), "mv": ((n, k), (k,)),
                   "batch": (batch + (n, k), broadcastable(rng, batch) + (k, m)),
                   "batch-v": (batch + (n, k), (k,)), "v-batch": ((k,), batch + (k, m))}[kind]
    return [values(rng, left), values(rng, right)]


def square_system(rng):
    n = rng.randint(1, 4)
    a, _ = values(rng, (n, n))
    a = [v + (3.0 * n if i % (n + 1) == 0 else 0.0) for i, v in enumerate(a)]       # well conditioned
    return [(a, (n, n)), values(rng, (n,) if rng.random() < 0.5 else (n, rng.randint(1, 3)))]


def images(rng):
    n, c, h, w = rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 4), rng.randint(1, 4)
    ho, wo = rng.randint(1, 3), rng.randint(1, 3)
    return [values(rng, (n, c, h, w)), values(rng, (n, ho, wo, 2), -1.3, 1.3)]


def several(rng, count=3, dim=None):
    dims = shape(rng, 1, 3)
    out = []
    for _ in range(count):
        d = list(dims)
        if dim is not None:
            d[dim % len(d)] = rng.randint(1, 3)
        out.append(values(rng, tuple(d)))
    return out


def _dim(rng, x):
    return rng.randrange(max(x.dim(), 1)) - (max(x.dim(), 1) if rng.random() < 0.5 else 0)


def _put(a, b):
    y = a * 1
    y[0] = b
    return y


def row_and_matrix(rng):
    n, m = rng.randint(1, 3), rng.randint(1, 3)
    return [values(rng, (n, m)), values(rng, (m,) if rng.random() < 0.5 else ())]


# (the Function, the line run on both libraries: f(library, rng, *tensors), inputs(rng))
CASES = [
    ("Add", lambda M, r, a, b: a + b, pair),
    ("Add", lambda M, r, a, b: M.add(a, b, alpha=0.5), pair),
    ("Sub", lambda M, r, a, b: a - b, pair),
    ("Sub", lambda M, r, a, b: 1.5 - b, pair),
    ("Mul", lambda M, r, a, b: a * b, pair),
    ("Div", lambda M, r, a, b: a / b, lambda rng: pair(rng, away=0.3)),
    ("Div", lambda M, r, a, b: 2.0 / b, lambda rng: pair(rng, away=0.3)),
    ("Neg", lambda M, r, a: -a, anything),
    ("Pow", lambda M, r, a: a ** 2, anything),
    ("Pow", lambda M, r, a, b: b ** a, lambda rng: pair(rng, 0.3, 3.0)),
    ("Pow", lambda M, r, a: M.pow(a, 0.5), positive),
    ("Exp", lambda M, r, a: M.exp(a), anything),
    ("Log", lambda M, r, a: M.log(a), positive),
    ("Sqrt", lambda M, r, a: M.sqrt(a), positive),
    ("Abs", lambda M, r, a: M.abs(a), off_zero),
    ("Sigmoid", lambda M, r, a: M.sigmoid(a), anything),
    ("Tanh", lambda M, r, a: M.tanh(a), anything),
    ("ReLU", lambda M, r, a: M.relu(a), off_zero),
    ("Clamp", lambda M, r, a: M.clamp(a, -0.5, 0.7), anything),
    ("Clamp", lambda M, r, a: a.clamp(min=0.2), anything),
    ("Sum", lambda M, r, a: a.sum(), anything),
    ("Sum", lambda M, r, a: M.sum(a, _dim(r, a), keepdim=r.random() < 0.5), anything),
    ("Mean", lambda M, r, a: a.mean(), anything),
    ("Mean", lambda M, r, a: M.mean(a, _dim(r, a), keepdim=r.random() < 0.5), anything),
    ("Max", lambda M, r, a: a.max(), anything),
    ("MaxDim", lambda M, r, a: M.max(a, _dim(r, a), keepdim=r.random() < 0.5)[0], anything),
    ("MatMul", lambda M, r, a, b: a @ b, matmul_pair),
    ("MatMul", lambda M, r, a, b: M.matmul(a, b), matmul_pair),
    ("Where", lambda M, r, a, b: M.where(a > b, a, b), pair),
    ("Where", lambda M, r, a, b: M.where(a > 0, a * 2, b), pair),
    ("Cast", lambda M, r, a: a.double() * a, anything),    # float() is float32 in torch, a double here
    ("View", lambda M, r, a: a.reshape(-1), anything),
    ("View", lambda M, r, a: a.view(tuple(reversed(a.shape))), anything),
    ("View", lambda M, r, a: M.flatten(a, 0, -1), anything),
    ("Squeeze", lambda M, r, a: a.unsqueeze(0).squeeze(0), anything),
    ("Squeeze", lambda M, r, a: M.squeeze(a), anything),
    ("Unsqueeze", lambda M, r, a: M.unsqueeze(a, r.randint(-a.dim() - 1, a.dim())), anything),
    ("Permute", lambda M, r, a: a.permute(tuple(r.sample(range(a.dim()), a.dim()))), anything),
    ("Permute", lambda M, r, a: a.transpose(0, -1) if a.dim() else a * 1, anything),
    ("Permute", lambda M, r, a: a.T if a.dim() == 2 else a.t() if a.dim() < 2 else a * 1, anything),
    ("Narrow", lambda M, r, a: M.narrow(a, 0, 1, a.shape[0] - 1) if a.dim() else a * 1, anything),
    ("Narrow", lambda M, r, a: a.narrow(-1, 0, 1) if a.dim() else a * 1, anything),
    ("Cat", lambda M, r, a, b, c: M.cat([a, b, c], 0), lambda rng: several(rng, 3, 0)),
    ("Cat", lambda M, r, a, b: M.cat([a, b], -1), lambda rng: several(rng, 2, -1)),
    ("Stack", lambda M, r, a, b, c: M.stack([a, b, c], r.randint(0, a.dim())), lambda rng: several(rng, 3)),
    ("Expand", lambda M, r, a: a.unsqueeze(0).expand(3, *a.shape), anything),
    ("Expand", lambda M, r, a, b: a.expand_as(a + b), pair),
    ("Index", lambda M, r, a: a[r.randrange(a.shape[0])] if a.dim() else a * 1, anything),
    ("Index", lambda M, r, a: a[1:] if a.dim() else a * 1, anything),
    ("Index", lambda M, r, a: a[:, -1] if a.dim() > 1 else a * 1, anything),
    ("Index", lambda M, r, a: a[-1, :1] if a.dim() > 1 else a * 1, anything),
    ("Clone", lambda M, r, a: a.clone(), anything),
    ("IndexPut", lambda M, r, a, b: _put(a, b), row_and_matrix),
    ("Solve", lambda M, r, a, b: M.linalg.solve(a, b), square_system),
    ("GridSample", lambda M, r, x, g: _grid_sample(M, x, g, "bilinear", "zeros", False), images),
    ("GridSample", lambda M, r, x, g: _grid_sample(M, x, g, "bilinear", "border", True), images),
    ("GridSample", lambda M, r, x, g: _grid_sample(M, x, g, "bilinear", "reflection", False), images),
    ("GridSample", lambda M, r, x, g: _grid_sample(M, x, g, "nearest", "zeros", False), images),
]


def _grid_sample(M, x, g, mode, padding_mode, align_corners):
    if M is refnn:
        return sampling.grid_sample(x, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    return M.nn.functional.grid_sample(x, g, mode=mode, padding_mode=padding_mode,
                                       align_corners=align_corners)


def close(ours, theirs, tol=1e-12):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert abs(a - b) <= tol * max(1.0, abs(a), abs(b)), (a, b)


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_forward_and_backward_agree_with_torch(torch, index):
    name, line, make = CASES[index]
    rng = random.Random(index)
    for _ in range(TRIALS):
        inputs = make(rng)
        seed = rng.random()
        leaves = [refnn.tensor(v).reshape(d).requires_grad_() for v, d in inputs]
        theirs = [torch.tensor(v, dtype=torch.float64).reshape(d).requires_grad_() for v, d in inputs]
        out = line(refnn, random.Random(seed), *leaves)
        ref = line(torch, random.Random(seed), *theirs)
        assert out.shape == tuple(ref.shape), (name, out.shape, tuple(ref.shape))
        close(flat(out.tolist()), flat(ref.tolist()))
        weights = [rng.uniform(-1.5, 1.5) for _ in range(out.numel())]
        out.backward(refnn.tensor(weights).reshape(out.shape))
        ref.backward(torch.tensor(weights, dtype=torch.float64).reshape(ref.shape))
        for ours_leaf, their_leaf in zip(leaves, theirs):
            mine = ours_leaf.grad.tolist() if ours_leaf.grad is not None else None
            if their_leaf.grad is None:
                assert mine is None or all(v == 0 for v in flat(mine))
                continue
            if mine is None:
                mine = [0.0] * their_leaf.numel()
            close(flat(mine), flat(their_leaf.grad.tolist()))
        COUNTS[name] += 1


def test_every_function_is_compared():
    compared = {name for name, _, _ in CASES}
    floor = {name for module in (functions, shapes, linalg, sampling) for name in module.__all__
             if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), Function)}
    assert floor <= compared, floor - compared


def test_report_the_counts(torch, request):
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\ntorch comparisons (forward and backward) per Function: {dict(sorted(COUNTS.items()))}")
