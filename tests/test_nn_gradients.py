"""Every layer and loss, through autograd, held against sympy and central differences.

For a layer, the scalar checked is E = Σ out ⊙ R for a fixed random R of
the output's shape, so ∂E/∂out = R: ``out.backward(R)`` must give ∂E/∂x in
the input's ``.grad`` and ∂E/∂p in the parameters'.  The oracles of
``refnn.gradcheck`` rebuild the layer from the values they are handed
(sympy symbols or nudged floats), run its forward, and differentiate E
themselves; they never call backward.  A loss is checked as
E = loss(out, target).  (tests/test_nn_functional.py checks each Function
of refnn.nn.functional alone; here the modules and their compositions.)
"""
import copy
import random

import pytest

from refnn import nn
from refnn.gradcheck import check, max_relative_error, numeric_gradient
from refnn.tensors import tensor

SYMBOLIC_TOL = 1e-12       # the same formula evaluated twice: rounding only
NUMERIC_TOL = 1e-6         # central differences with eps = 1e-6 are good to about 1e-9


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


def rand(shape, rng, low=-1.0, high=1.0):
    if not shape:
        return rng.uniform(low, high)
    return [rand(shape[1:], rng, low, high) for _ in range(shape[0])]


def layer_gradients(make, x, seed=0):
    """Backward's answer for E = Σ layer(x) ⊙ R, the point it holds for, and E as a function of that point."""
    rng = random.Random(seed)
    layer = make()
    for p in layer.parameters():            # move off the defaults (BatchNorm's γ = 1, β = 0)
        p.data = rand(p.shape, rng)
    xt = tensor(x, requires_grad=True)
    out = layer(xt)
    R = rand(out.shape, rng)
    out.backward(tensor(R))
    grads = [xt.grad.tolist()] + [p.grad.tolist() for p in layer.parameters()]
    point = [x] + [p.tolist() for p in layer.parameters()]

    def E(values):
        fresh = make()
        for p, v in zip(fresh.parameters(), values[1:]):
            p.data = v
        return sum(a * b for a, b in zip(flat(fresh(values[0]).tolist()), flat(R)))
    return grads, point, E


def batchnorm_eval():
    bn = nn.BatchNorm1d(3, eps=0.01)
    bn.running_mean, bn.running_var = tensor([0.5, -1.0, 0.0]), tensor([2.0, 0.25, 1.0])
    return bn.eval()


R0 = random.Random(42)
LAYERS = {
    "Linear batched": (lambda: nn.Linear(3, 2), rand((4, 3), R0)),
    "Linear one sample": (lambda: nn.Linear(3, 2), rand((3,), R0)),
    "Linear without bias": (lambda: nn.Linear(2, 3, bias=False), rand((2, 2), R0)),
    "Sigmoid": (nn.Sigmoid, rand((2, 3), R0, -3, 3)),
    "Tanh": (nn.Tanh, rand((2, 3), R0, -2, 2)),
    "Tanh 4-d": (nn.Tanh, rand((1, 2, 2, 2), R0)),
    "ReLU": (nn.ReLU, [[-1.5, 0.25, 2.0], [0.5, -0.75, 1.0]]),     # no input near the kink at 0
    "Flatten": (nn.Flatten, rand((2, 2, 2, 2), R0)),
    "Conv2d": (lambda: nn.Conv2d(2, 3, 2), rand((2, 2, 3, 3), R0)),
    "Conv2d stride padding": (lambda: nn.Conv2d(1, 2, 3, stride=2, padding=1), rand((1, 1, 4, 5), R0)),
    "Conv2d pairs, one image": (lambda: nn.Conv2d(2, 1, (2, 3), stride=(1, 2), padding=(1, 0), bias=False),
                                rand((2, 3, 5), R0)),
    "AvgPool2d": (lambda: nn.AvgPool2d(2), rand((2, 2, 4, 4), R0)),
    "AvgPool2d overlapping": (lambda: nn.AvgPool2d((2, 3), stride=1), rand((1, 1, 3, 4), R0)),
    "BatchNorm1d train": (lambda: nn.BatchNorm1d(3), rand((4, 3), R0)),
    "BatchNorm1d eval": (batchnorm_eval, rand((4, 3), R0)),
    "Sequential MLP": (lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2), nn.Sigmoid()),
                       rand((2, 3), R0)),
    "Sequential CNN": (lambda: nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                                             nn.Linear(2, 1)),
                       rand((2, 1, 3, 3), R0, 0.1, 1.0)),
}


@pytest.mark.parametrize("name", LAYERS)
def test_backward_matches_sympy_and_central_differences(name):
    make, x = LAYERS[name]
    grads, point, E = layer_gradients(make, x)
    gaps = check(E, point, grads)
    assert gaps.symbolic < SYMBOLIC_TOL, gaps
    assert gaps.numeric < NUMERIC_TOL, gaps


# MaxPool2d compares numbers to find each maximum, and sympy symbols have no
# order, so sympy cannot build its formula; central differences (the inputs
# distinct, so no tie sits within eps) and PyTorch (tests/test_nn_torch.py) check it.
MAXPOOLS = {
    "MaxPool2d": (lambda: nn.MaxPool2d(2), rand((2, 2, 4, 4), R0)),
    "MaxPool2d overlapping": (lambda: nn.MaxPool2d(2, stride=1), rand((1, 2, 3, 3), R0)),
    "MaxPool2d one image, pairs": (lambda: nn.MaxPool2d((1, 3), stride=(2, 1)), rand((1, 3, 5), R0)),
}


@pytest.mark.parametrize("name", MAXPOOLS)
def test_maxpool_backward_matches_central_differences(name):
    make, x = MAXPOOLS[name]
    grads, point, E = layer_gradients(make, x)
    assert max_relative_error(numeric_gradient(E, point), grads) < NUMERIC_TOL


def test_maxpool_cannot_run_on_symbols_and_says_so_by_a_type_error():
    import sympy
    a, b = sympy.symbols("a b")
    with pytest.raises(TypeError):
        nn.MaxPool2d((1, 2))([[[a, b]]])


LOSSES = {
    "MSELoss mean": (nn.MSELoss(), rand((3, 2), R0), rand((3, 2), R0)),
    "MSELoss sum": (nn.MSELoss(reduction="sum"), rand((4,), R0), rand((4,), R0)),
    "BCELoss mean": (nn.BCELoss(), rand((3, 1), R0, 0.05, 0.95), [[0], [1], [1]]),
    "BCELoss sum, soft targets": (nn.BCELoss(reduction="sum"), rand((2, 2), R0, 0.05, 0.95),
                                  rand((2, 2), R0, 0.0, 1.0)),
    "CrossEntropyLoss mean": (nn.CrossEntropyLoss(), rand((4, 3), R0, -3, 3), [0, 2, 1, 2]),
    "CrossEntropyLoss sum": (nn.CrossEntropyLoss(reduction="sum"), rand((2, 5), R0, -3, 3), [4, 0]),
}


@pytest.mark.parametrize("name", LOSSES)
def test_loss_backward_matches_sympy_and_central_differences(name):
    criterion, out, target = LOSSES[name]
    ot = tensor(out, requires_grad=True)
    criterion(ot, target).backward()
    gaps = check(lambda o: criterion(o, target).item(), out, ot.grad.tolist())
    assert gaps.symbolic < SYMBOLIC_TOL, gaps
    assert gaps.numeric < NUMERIC_TOL, gaps


@pytest.mark.parametrize("name", ["Linear batched", "Conv2d", "BatchNorm1d train", "Sequential MLP"])
def test_backward_adds_to_the_gradients_already_there(name):
    make, x = LAYERS[name]
    layer = make()
    out = layer(x)
    R = rand(out.shape, random.Random(1))
    out.backward(tensor(R))
    once = copy.deepcopy([p.grad.tolist() for p in layer.parameters()])
    layer(x).backward(tensor(R))
    for p, g in zip(layer.parameters(), once):
        assert max_relative_error(p.grad.tolist(), _twice(g)) < 1e-15


def _twice(x):
    return [_twice(v) for v in x] if isinstance(x, list) else 2 * x


def the_classic_network(weights):
    """The classic 3-4-1 sigmoid network (Andrew Trask, 2015) as nn modules, holding refnn.mlp's weights."""
    fc1, fc2 = nn.Linear(3, 4, bias=False), nn.Linear(4, 1, bias=False)
    fc1.weight.data = [list(col) for col in zip(*weights[0])]       # mlp keeps (n_in, n_out), nn (out, in)
    fc2.weight.data = [list(col) for col in zip(*weights[1])]
    return nn.Sequential(fc1, nn.Sigmoid(), fc2, nn.Sigmoid())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_autograd_on_the_classic_network_gives_the_hand_written_back_propagation(seed):
    """loss.backward() through the graph equals refnn.mlp.backward, chapter 4's deltas by hand, to 1e-12."""
    from refnn import mlp
    x, y = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]]
    weights = mlp.init_weights([3, 4, 1], seed=seed)
    by_hand = mlp.backward(weights, mlp.forward(weights, x), y).weights
    net = the_classic_network(weights)
    E = nn.MSELoss(reduction="sum")(net(x), y) * 0.5                    # E = ½·Σ (y − output)²
    E.backward()
    assert abs(E.item() - mlp.squared_error(y, mlp.forward(weights, x)[-1])) < 1e-12
    by_graph = [[list(col) for col in zip(*layer.weight.grad.tolist())] for layer in (net[0], net[2])]
    assert max_relative_error(by_graph, by_hand, floor=1e-6) < 1e-12
