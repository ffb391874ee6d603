"""refnn.nn and refnn.optim held against PyTorch itself, in float64: same weights, same numbers.

Each test builds a refnn model, copies its state_dict into the equivalent
torch.nn model with torch's own ``load_state_dict`` (so the key names must
be PyTorch's too), runs both on the same input, and compares outputs,
losses, the gradient of the input and of every parameter, and the buffers.
``close`` is max_relative_error: relative for numbers above 1, absolute
below, and every comparison must be within 1e-10.
"""
import random

import pytest

from refnn import init, nn, optim
from refnn.gradcheck import max_relative_error
from refnn.tensors import tensor

from helpers import Net

TOL = 1e-10
LARGEST = {}        # name → largest difference seen, for the closing note of the issue


def rand(shape, rng, low=-1.0, high=1.0):
    if not shape:
        return rng.uniform(low, high)
    return [rand(shape[1:], rng, low, high) for _ in range(shape[0])]


def close(name, ours, theirs):
    """Assert ours (nested lists or a number) equals theirs (a tensor) within TOL; remember the gap."""
    ours = ours.tolist() if hasattr(ours, "tolist") else ours
    gap = max_relative_error(ours, theirs.tolist())
    LARGEST[name] = max(gap, LARGEST.get(name, 0.0))
    assert gap < TOL, (name, gap)


def torch_twin(torch, model, build):
    """The torch model ``build()``, holding the refnn model's state_dict."""
    twin = build()
    twin.load_state_dict({k: torch.tensor(v.tolist()) for k, v in model.state_dict().items()})
    return twin


def compare_step(torch, name, model, twin, x, criterion, torch_criterion, target, torch_target=None):
    """One forward, loss and backward in both worlds; compare everything that came out."""
    xr, xt = tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, out_t = model(xr), twin(xt)
    close(f"{name}: output", out, out_t)
    loss = criterion(out, target)
    loss_t = torch_criterion(out_t, torch.tensor(target) if torch_target is None else torch_target)
    close(f"{name}: loss", loss, loss_t)
    loss.backward()
    loss_t.backward()
    close(f"{name}: grad of the input", xr.grad, xt.grad)
    theirs = dict(twin.named_parameters())
    for key, p in model.named_parameters():
        close(f"{name}: grad of {key}", p.grad, theirs[key].grad)


# --- Linear and the activations --------------------------------------------

def test_linear_sigmoid_tanh_relu_stack(torch):
    init.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 4), nn.Tanh(),
                          nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2, bias=False))
    tn = torch.nn
    twin = torch_twin(torch, model, lambda: tn.Sequential(
        tn.Linear(3, 5), tn.Sigmoid(), tn.Linear(5, 4), tn.Tanh(), tn.Linear(4, 3), tn.ReLU(),
        tn.Linear(3, 2, bias=False)))
    rng = random.Random(2)
    compare_step(torch, "MLP", model, twin, rand((6, 3), rng, -3, 3), nn.MSELoss(), tn.MSELoss(),
                 rand((6, 2), rng))


def test_linear_on_one_sample(torch):
    init.manual_seed(3)
    model = nn.Linear(4, 3)
    twin = torch_twin(torch, model, lambda: torch.nn.Linear(4, 3))
    rng = random.Random(4)
    compare_step(torch, "Linear one sample", model, twin, rand((4,), rng), nn.MSELoss(reduction="sum"),
                 torch.nn.MSELoss(reduction="sum"), rand((3,), rng))


# --- convolution, pooling, flatten ------------------------------------------

CONVS = [  # in, out, kernel, stride, padding, bias, input shape
    (1, 2, 3, 1, 0, True, (2, 1, 5, 5)),
    (2, 3, 3, 2, 1, True, (2, 2, 6, 7)),
    (3, 2, (2, 3), (2, 1), (0, 2), False, (1, 3, 5, 4)),
    (2, 2, 1, 3, 2, True, (1, 2, 4, 4)),
    (1, 1, 4, 1, 0, True, (1, 1, 4, 4)),      # the kernel covers the whole image
]


@pytest.mark.parametrize("config", CONVS, ids=str)
def test_conv2d(torch, config):
    cin, cout, k, s, p, bias, shape = config
    init.manual_seed(5)
    model = nn.Conv2d(cin, cout, k, stride=s, padding=p, bias=bias)
    twin = torch_twin(torch, model, lambda: torch.nn.Conv2d(cin, cout, k, stride=s, padding=p, bias=bias))
    rng = random.Random(6)
    x = rand(shape, rng)
    out_shape = tuple(twin(torch.tensor(x)).shape)
    compare_step(torch, f"Conv2d{config}", model, twin, x, nn.MSELoss(), torch.nn.MSELoss(),
                 rand(out_shape, rng))


def test_conv2d_on_one_image(torch):
    init.manual_seed(7)
    model = nn.Conv2d(2, 3, 2, padding=1)
    twin = torch_twin(torch, model, lambda: torch.nn.Conv2d(2, 3, 2, padding=1))
    rng = random.Random(8)
    compare_step(torch, "Conv2d one image", model, twin, rand((2, 3, 3), rng), nn.MSELoss(),
                 torch.nn.MSELoss(), rand((3, 4, 4), rng))


POOLS = [  # class name, kernel, stride, input shape
    ("MaxPool2d", 2, None, (2, 2, 4, 4)),
    ("MaxPool2d", 3, 1, (1, 2, 5, 4)),          # overlapping windows
    ("MaxPool2d", (2, 1), (1, 2), (1, 1, 3, 5)),
    ("AvgPool2d", 2, None, (2, 2, 4, 5)),       # the last column is left out, as in torch
    ("AvgPool2d", (3, 2), 1, (1, 2, 4, 4)),
]


@pytest.mark.parametrize("config", POOLS, ids=str)
def test_pools(torch, config):
    name, k, s, shape = config
    model = getattr(nn, name)(k, stride=s)
    twin = getattr(torch.nn, name)(k, stride=s)
    rng = random.Random(9)
    x = rand(shape, rng)
    out_shape = tuple(twin(torch.tensor(x)).shape)
    compare_step(torch, f"{name}{config[1:]}", model, twin, x, nn.MSELoss(), torch.nn.MSELoss(),
                 rand(out_shape, rng))


def test_maxpool_gives_a_tie_to_the_first_maximum_as_torch(torch):
    x = [[[[1.0, 1.0, 0.0], [1.0, 1.0, 2.0], [2.0, 0.0, 2.0]]]]
    model, twin = nn.MaxPool2d(2, stride=1), torch.nn.MaxPool2d(2, stride=1)
    target = [[[[0.0, 0.0], [0.0, 0.0]]]]
    compare_step(torch, "MaxPool2d ties", model, twin, x, nn.MSELoss(), torch.nn.MSELoss(), target)


def test_flatten(torch):
    rng = random.Random(10)
    for start, end in ((1, -1), (0, 1), (2, 3), (-3, -2)):
        compare_step(torch, f"Flatten({start}, {end})", nn.Flatten(start, end), torch.nn.Flatten(start, end),
                     rand((2, 3, 2, 2), rng), nn.MSELoss(), torch.nn.MSELoss(),
                     rand(tuple(torch.zeros(2, 3, 2, 2).flatten(start, end).shape), rng))


# --- BatchNorm1d ----------------------------------------------------------------

def test_batchnorm1d_train_then_eval_with_running_statistics(torch):
    init.manual_seed(11)
    model = nn.BatchNorm1d(3, eps=1e-3, momentum=0.2)
    rng = random.Random(12)
    model.weight.data, model.bias.data = rand((3,), rng), rand((3,), rng)            # as PyTorch: in place
    twin = torch_twin(torch, model, lambda: torch.nn.BatchNorm1d(3, eps=1e-3, momentum=0.2))
    for _ in range(3):                          # the running statistics move three times
        compare_step(torch, "BatchNorm1d train", model, twin, rand((5, 3), rng, -2, 4), nn.MSELoss(),
                     torch.nn.MSELoss(), rand((5, 3), rng))
        model.zero_grad(), twin.zero_grad()
    theirs = twin.state_dict()
    for key, value in model.state_dict().items():
        close(f"BatchNorm1d: {key}", value, theirs[key])
    model.eval(), twin.eval()
    compare_step(torch, "BatchNorm1d eval", model, twin, rand((4, 3), rng, -2, 4), nn.MSELoss(),
                 torch.nn.MSELoss(), rand((4, 3), rng))


# --- losses ---------------------------------------------------------------------

@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_bce_cross_entropy(torch, reduction):
    rng = random.Random(13)
    out = rand((4, 3), rng, 0.01, 0.99)
    cases = [
        ("MSELoss", out, rand((4, 3), rng)),
        ("BCELoss", out, [[float(rng.random() < 0.5) for _ in range(3)] for _ in range(4)]),
        ("BCELoss soft", out, rand((4, 3), rng, 0, 1)),
        ("BCELoss saturated", [[0.0, 1.0, 1.0, 0.0, 1e-50]], [[1.0, 0.0, 1.0, 0.0, 1.0]]),
        ("CrossEntropyLoss", rand((4, 3), rng, -5, 5), [2, 0, 1, 1]),
        ("CrossEntropyLoss large", [[1000.0, -1000.0, 999.0], [-800.0, -801.0, -799.5]], [0, 1]),
    ]
    for name, x, target in cases:
        cls = name.split()[0]
        criterion, theirs = getattr(nn, cls)(reduction=reduction), getattr(torch.nn, cls)(reduction=reduction)
        xr, xt = tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        tt = torch.tensor(target) if cls != "CrossEntropyLoss" else torch.tensor(target, dtype=torch.long)
        loss, loss_t = criterion(xr, target), theirs(xt, tt)
        close(f"{name} {reduction}: loss", loss, loss_t)
        loss.backward()
        loss_t.backward()
        close(f"{name} {reduction}: gradient", xr.grad, xt.grad)


# --- SGD ------------------------------------------------------------------------

SGDS = [dict(lr=0.1), dict(lr=0.05, momentum=0.9), dict(lr=0.1, momentum=0.5, weight_decay=0.01),
        dict(lr=0.02, momentum=0.9, dampening=0.3, weight_decay=0.1),
        dict(lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.001)]


@pytest.mark.parametrize("settings", SGDS, ids=str)
def test_sgd_steps(torch, settings):
    init.manual_seed(14)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid())
    twin = torch_twin(torch, model, lambda: torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1), torch.nn.Sigmoid()))
    ours, theirs = optim.SGD(model.parameters(), **settings), torch.optim.SGD(twin.parameters(), **settings)
    x, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    criterion, torch_criterion = nn.BCELoss(), torch.nn.BCELoss()
    for _ in range(5):
        ours.zero_grad(), theirs.zero_grad()
        loss = criterion(model(x), [[float(v) for v in row] for row in y])
        loss.backward()
        ours.step()
        loss_t = torch_criterion(twin(torch.tensor(x, dtype=torch.float64)),
                                 torch.tensor(y, dtype=torch.float64))
        loss_t.backward()
        theirs.step()
        close(f"SGD{settings}: loss", loss, loss_t)
    for key, value in model.state_dict().items():
        close(f"SGD{settings}: {key} after 5 steps", value, twin.state_dict()[key])


# --- a whole network's state_dict ---------------------------------------------------

def test_state_dict_of_a_cnn_loads_into_torch_and_gives_the_same_outputs(torch):
    init.manual_seed(15)
    tn = torch.nn

    def build(m):
        return m.Sequential(m.Conv2d(1, 2, 3, padding=1), m.ReLU(), m.MaxPool2d(2), m.Flatten(),
                            m.Linear(8, 4), m.BatchNorm1d(4), m.Tanh(), m.Linear(4, 3))
    model = build(nn)
    rng = random.Random(16)
    model(rand((5, 1, 4, 4), rng))              # a training batch moves BatchNorm's running statistics
    twin = build(tn)
    twin.load_state_dict({k: torch.tensor(v.tolist()) for k, v in model.state_dict().items()})   # strict
    assert list(model.state_dict()) == list(twin.state_dict())
    model.eval(), twin.eval()
    x = rand((3, 1, 4, 4), rng)
    close("CNN state_dict in torch: output", model(x), twin(torch.tensor(x)))
    model.train(), twin.train()
    compare_step(torch, "CNN train step", model, twin, x, nn.CrossEntropyLoss(), tn.CrossEntropyLoss(),
                 [0, 2, 1], torch.tensor([0, 2, 1]))


def test_seed_style_net_subclass_matches_its_torch_twin(torch):
    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = torch.nn.Linear(3, 4), torch.nn.Linear(4, 1)

        def forward(self, x):
            return torch.sigmoid(self.fc2(torch.sigmoid(self.fc1(x))))

    init.manual_seed(17)
    model = Net()
    twin = torch_twin(torch, model, TorchNet)
    x, y = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]]
    compare_step(torch, "Net subclass", model, twin, [[float(v) for v in r] for r in x], nn.MSELoss(),
                 torch.nn.MSELoss(), [[float(v) for v in r] for r in y])


# --- init ------------------------------------------------------------------------

def test_gains_and_fans_are_torchs(torch):
    for name, param in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                        ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None)]:
        assert init.calculate_gain(name, param) == torch.nn.init.calculate_gain(name, param)
    for shape in [(3, 2), (4, 3, 5), (16, 3, 5, 5), (2, 6, 1, 3, 2)]:
        tensor = torch.zeros(shape)
        assert init._calculate_fan_in_and_fan_out(tensor.tolist()) == \
            torch.nn.init._calculate_fan_in_and_fan_out(tensor)
