"""Every Function of refnn.nn checked three ways: sympy, central differences, and (in *torch* tests) PyTorch.

Each case runs one function of ``refnn.nn.functional`` and reduces its
output to a number, L = Σ out·R with fixed random weights R, so that every
output entry counts.  Then, for every input that takes a gradient:

* sympy: the same Function runs forward on tensors of symbols; the
  ``.grad`` autograd finds (the hand-written backwards, on expressions)
  must equal ``sympy.diff`` of the expression L (MaxPool2d and ReLU are
  skipped: a maximum of symbols has no order, and ReLU's backward asks
  ``x <= 0``);
* central differences: ``refnn.gradcheck.numeric_gradient`` of L against
  ``.grad`` on floats;
* PyTorch, float64: the output and every gradient of
  ``torch.nn.functional`` called with the same source text.

``COUNTS`` keeps the number of checks per Function for the closing note.
"""
import copy
import random
from collections import Counter

import pytest

from refnn import gradcheck
from refnn.nn import functional as F
from refnn.tensors import tensor

COUNTS = Counter()          # (Function, oracle) → number of checks passed


def rand(shape, rng, low=-1.0, high=1.0):
    if not shape:
        return rng.uniform(low, high)
    return [rand(shape[1:], rng, low, high) for _ in range(shape[0])]


def shape_of(x):
    dims = []
    while isinstance(x, list):
        dims.append(len(x))
        x = x[0]
    return tuple(dims)


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


R = random.Random(99)
LABELS = [0, 2, 1]


def case(name, function, run, args, wrt, sympy=True):
    return pytest.param(function, run, args, wrt, sympy, id=name)


CASES = [
    case("linear", "Linear", lambda F, x, w, b: F.linear(x, w, b),
         [rand((3, 4), R), rand((2, 4), R), rand((2,), R)], (0, 1, 2)),
    case("linear one sample, no bias", "Linear", lambda F, x, w: F.linear(x, w),
         [rand((4,), R), rand((3, 4), R)], (0, 1)),
    case("conv2d", "Conv2d", lambda F, x, w, b: F.conv2d(x, w, b),
         [rand((2, 1, 4, 4), R), rand((2, 1, 2, 2), R), rand((2,), R)], (0, 1, 2)),
    case("conv2d stride padding", "Conv2d",
         lambda F, x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 0)),
         [rand((1, 2, 4, 3), R), rand((2, 2, 3, 2), R), rand((2,), R)], (0, 1, 2)),
    case("conv2d one image", "Conv2d", lambda F, x, w: F.conv2d(x, w, padding=1),
         [rand((1, 3, 3), R), rand((1, 1, 2, 2), R)], (0, 1)),
    case("max_pool2d", "MaxPool2d", lambda F, x: F.max_pool2d(x, 2), [rand((1, 2, 4, 4), R)], (0,), False),
    case("max_pool2d overlapping", "MaxPool2d", lambda F, x: F.max_pool2d(x, 3, stride=1),
         [rand((1, 1, 5, 4), R)], (0,), False),
    case("avg_pool2d", "AvgPool2d", lambda F, x: F.avg_pool2d(x, 2), [rand((1, 2, 4, 5), R)], (0,)),
    case("avg_pool2d overlapping", "AvgPool2d", lambda F, x: F.avg_pool2d(x, (3, 2), stride=1),
         [rand((1, 1, 4, 4), R)], (0,)),
    case("batch_norm training", "BatchNorm",
         lambda F, x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=True, momentum=0.2, eps=1e-3),
         [rand((4, 3), R), rand((3,), R), rand((3,), R, 0.5, 2), rand((3,), R), rand((3,), R)], (0, 3, 4)),
    case("batch_norm eval", "BatchNorm",
         lambda F, x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=False),
         [rand((4, 3), R), rand((3,), R), rand((3,), R, 0.5, 2), rand((3,), R), rand((3,), R)], (0, 3, 4)),
    # relu is refnn.functions' ReLU, whose backward asks x <= 0, which sympy cannot answer for a symbol
    case("relu", "ReLU", lambda F, x: F.relu(x), [[[v if abs(v) > 0.05 else 0.5 for v in row]
                                                  for row in rand((3, 4), R)]], (0,), False),
    case("sigmoid", "Sigmoid", lambda F, x: F.sigmoid(x), [rand((3, 4), R, -3, 3)], (0,)),
    case("tanh", "Tanh", lambda F, x: F.tanh(x), [rand((2, 3, 2), R, -2, 2)], (0,)),
    case("softmax", "Softmax", lambda F, x: F.softmax(x, dim=1), [rand((3, 4), R, -2, 2)], (0,)),
    case("softmax 1-d", "Softmax", lambda F, x: F.softmax(x, dim=0), [rand((5,), R, -2, 2)], (0,)),
    case("log_softmax", "LogSoftmax", lambda F, x: F.log_softmax(x, dim=-1), [rand((3, 4), R, -2, 2)], (0,)),
    *(case(f"mse_loss {r}", "MseLoss", lambda F, x, t, r=r: F.mse_loss(x, t, reduction=r),
           [rand((3, 2), R), rand((3, 2), R)], (0, 1)) for r in ("mean", "sum", "none")),
    *(case(f"binary_cross_entropy {r}", "BinaryCrossEntropy",
           lambda F, p, t, r=r: F.binary_cross_entropy(p, t, reduction=r),
           [rand((2, 3), R, 0.05, 0.95), rand((2, 3), R, 0, 1)], (0,)) for r in ("mean", "sum", "none")),
    *(case(f"cross_entropy {r}", "CrossEntropy", lambda F, x, t, r=r: F.cross_entropy(x, t, reduction=r),
           [rand((3, 4), R, -2, 2), LABELS], (0,)) for r in ("mean", "sum", "none")),
    *(case(f"nll_loss {r}", "NllLoss", lambda F, x, t, r=r: F.nll_loss(x, t, reduction=r),
           [rand((3, 4), R, -2, 0), LABELS], (0,)) for r in ("mean", "sum", "none")),
]


def weights_for(out_shape):
    rng = random.Random(str(out_shape))
    return rand(out_shape, rng, -1, 1)


def reduce(out, weights):
    """L = Σ out·R: a number that every output entry changes."""
    return (out * tensor(weights)).sum()


def refnn_run(run, args, wrt, make=tensor):
    args = copy.deepcopy(args)
    inputs = [make(a, requires_grad=True) if i in wrt else a for i, a in enumerate(args)]
    out = run(F, *inputs)
    return out, [inputs[i] for i in wrt]


@pytest.mark.parametrize("function, run, args, wrt, use_sympy", CASES)
def test_central_differences(function, run, args, wrt, use_sympy):
    out, leaves = refnn_run(run, args, wrt)
    weights = weights_for(out.shape)
    reduce(out, weights).backward()
    for k, i in enumerate(wrt):
        def L(value, i=i):
            moved = copy.deepcopy(args)
            moved[i] = value
            return reduce(run(F, *moved), weights).item()
        numeric = gradcheck.numeric_gradient(L, args[i])
        assert gradcheck.max_relative_error(leaves[k].grad.tolist(), numeric) < 1e-6, (function, i)
        COUNTS[function, "central"] += 1


def symbols_like(x, prefix):
    import sympy
    counter = iter(range(10 ** 6))

    def build(v):
        if isinstance(v, list):
            return [build(item) for item in v]
        return sympy.Symbol(f"{prefix}{next(counter)}")
    return build(x)


def sympy_gaps(run, args, wrt):
    """For each input in wrt, the largest |autograd's gradient − sympy's exact derivative| at args.

    The same forward runs on tensors of sympy symbols; the loss is the
    output weighted by fixed numbers, and backward gives its formula's
    gradient, which sympy's diff of that formula must equal at the point.
    """
    sympy = pytest.importorskip("sympy")
    symbolic = copy.deepcopy(args)
    values = {}
    for i in wrt:
        symbolic[i] = symbols_like(args[i], f"a{i}_")
        values.update(zip(flat(symbolic[i]), flat(args[i])))
    out, leaves = refnn_run(run, symbolic, wrt)
    L = reduce(out, weights_for(out.shape))
    L.backward()
    expression = L.item()
    return [max(abs(float(sympy.N((sympy.diff(expression, symbol) - grad).subs(values))))
                for symbol, grad in zip(flat(symbolic[i]), flat(leaves[k].grad.tolist())))
            for k, i in enumerate(wrt)]


def torch_gaps(torch, run, args, wrt):
    """The relative gaps to torch.nn.functional: of the output, then of each input's gradient in wrt."""
    out, leaves = refnn_run(run, args, wrt)
    weights = weights_for(out.shape)
    reduce(out, weights).backward()
    theirs = [to_torch(torch, a) for a in copy.deepcopy(args)]
    for i in wrt:
        theirs[i].requires_grad_()
    out_t = run(torch.nn.functional, *theirs)
    assert out.shape == tuple(out_t.shape)
    (out_t * torch.tensor(weights)).sum().backward()
    grads = [gradcheck.max_relative_error(leaves[k].grad.tolist(), theirs[i].grad.tolist())
             for k, i in enumerate(wrt)]
    return [gradcheck.max_relative_error(out.tolist(), out_t.tolist())] + grads


@pytest.mark.parametrize("function, run, args, wrt, use_sympy", [c for c in CASES if c.values[4]])
def test_sympy(function, run, args, wrt, use_sympy):
    gaps = sympy_gaps(run, args, wrt)
    assert max(gaps) < 1e-9, (function, gaps)
    COUNTS[function, "sympy"] += len(wrt)


def to_torch(torch, value):
    if isinstance(value, list) and value and isinstance(flat(value)[0], int):
        return torch.tensor(value)
    return torch.tensor(value) if isinstance(value, list) else value


@pytest.mark.parametrize("function, run, args, wrt, use_sympy", CASES)
def test_torch_forward_and_backward(torch, function, run, args, wrt, use_sympy):
    gaps = torch_gaps(torch, run, args, wrt)
    assert max(gaps) < 1e-10, (function, gaps)
    COUNTS[function, "torch"] += len(gaps)


def test_batch_norm_moves_the_running_statistics_as_torch(torch):
    rng = random.Random(3)
    x, mean, var = rand((5, 2), rng), rand((2,), rng), rand((2,), rng, 0.5, 2)
    ours_m, ours_v = tensor(mean), tensor(var)
    theirs_m, theirs_v = torch.tensor(mean), torch.tensor(var)
    for _ in range(3):
        F.batch_norm(x, ours_m, ours_v, training=True, momentum=0.3)
        torch.nn.functional.batch_norm(torch.tensor(x), theirs_m, theirs_v, training=True, momentum=0.3)
    assert gradcheck.max_relative_error(ours_m.tolist(), theirs_m.tolist()) < 1e-12
    assert gradcheck.max_relative_error(ours_v.tolist(), theirs_v.tolist()) < 1e-12
    COUNTS["BatchNorm", "torch"] += 2


def test_first_layer_skips_the_gradient_of_its_input():
    """needs_input_grad: x given as a list needs no ∂L/∂x, and Linear's backward does not compute it."""
    w = tensor([[1.0, 2.0]], requires_grad=True)
    out = F.linear([[3.0, 4.0]], w)
    assert out.grad_fn.needs_input_grad == (False, True, False)
    out.sum().backward()
    assert w.grad.tolist() == [[3.0, 4.0]]


def test_relu_passes_the_gradient_at_nan_as_torch(torch):
    x = tensor([float("nan"), -1.0, 2.0], requires_grad=True)
    F.relu(x).sum().backward()
    xt = torch.tensor([float("nan"), -1.0, 2.0], requires_grad=True)
    torch.relu(xt).sum().backward()
    assert x.grad.tolist() == xt.grad.tolist() == [1.0, 0.0, 1.0]
