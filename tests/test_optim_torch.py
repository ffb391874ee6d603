"""refnn.optim held against torch.optim in float64: the same parameters and moments after many steps.

Both frameworks start from the same numbers, compute the gradient of the
same loss with their own autograd, and step with their own optimizer; after
every step the parameters and the optimizer's state (Adam's ``step``,
``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``; the learning rate of a
schedule) must agree to 1e-12.  ``COMPARED`` counts the comparisons.
"""
import math
import random

import pytest

from refnn import nn, optim
from refnn.optim.lr_scheduler import StepLR
from refnn.tensors import tensor

TOL = 1e-12
COMPARED = []


def close(ours, theirs):
    """ours (a refnn tensor) within TOL of theirs (a torch tensor): relative above 1, absolute below."""
    a, b = ours.view(-1).tolist() if ours.shape else [ours.item()], theirs.reshape(-1).tolist()
    COMPARED.append(len(a))
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert abs(x - y) <= TOL * max(1.0, abs(y)), (x, y)


def problem(rng):
    """A small least-squares problem with a tanh: X (6×3), Y (6×2), W (3×2), b (2,) from rng."""
    rows = lambda n, m: [[rng.uniform(-2, 2) for _ in range(m)] for _ in range(n)]
    return rows(6, 3), rows(6, 2), rows(3, 2), [rng.uniform(-1, 1) for _ in range(2)]


def loss_of(X, Y, W, b):
    return ((X @ W + b).tanh() - Y).pow(2).mean() + (W * W).sum() * 0.01


SETTINGS = [
    {}, dict(lr=0.05), dict(lr=0.1, betas=(0.8, 0.99)), dict(lr=0.05, weight_decay=0.1),
    dict(lr=0.05, amsgrad=True), dict(lr=0.01, maximize=True), dict(lr=0.2, eps=1e-3),
    dict(lr=0.05, betas=(0.0, 0.5), amsgrad=True, weight_decay=0.01, maximize=True),
]


@pytest.mark.parametrize("settings", SETTINGS)
def test_adam_matches_torch_step_by_step(torch, settings):
    X, Y, W, b = problem(random.Random(len(str(settings))))
    ours = [tensor(W, requires_grad=True), tensor(b, requires_grad=True)]
    theirs = [torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)]
    opt_ours = optim.Adam(ours, **settings)
    opt_theirs = torch.optim.Adam(theirs, **settings)
    for _ in range(25):
        for opt, params, x, y in ((opt_ours, ours, tensor(X), tensor(Y)),
                                  (opt_theirs, theirs, torch.tensor(X), torch.tensor(Y))):
            opt.zero_grad()
            loss_of(x, y, *params).backward()
            opt.step()
        for p, q in zip(ours, theirs):
            close(p, q)
            mine, torchs = opt_ours.state[p], opt_theirs.state[q]
            assert set(mine) == set(torchs)
            for name in mine:
                close(mine[name], torchs[name])


def test_adam_state_dict_has_torchs_keys(torch):
    w = tensor([1.0, 2.0], requires_grad=True)
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    ours, theirs = optim.Adam([w], amsgrad=True), torch.optim.Adam([v], amsgrad=True)
    w.grad, v.grad = tensor([0.5, -0.5]), torch.tensor([0.5, -0.5])
    ours.step(), theirs.step()
    a, b = ours.state_dict(), theirs.state_dict()
    assert set(a["state"][0]) == set(b["state"][0])
    assert set(a["param_groups"][0]) <= set(b["param_groups"][0])
    for name, value in a["param_groups"][0].items():
        COMPARED.append(1)
        assert value == b["param_groups"][0][name], name


@pytest.mark.parametrize("settings", [
    dict(lr=0.1, maximize=True), dict(lr=0.05, momentum=0.9, maximize=True),
    dict(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.1, maximize=True),
    dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)])
def test_sgd_matches_torch_step_by_step(torch, settings):
    X, Y, W, b = problem(random.Random(len(str(settings))))
    ours = [nn.Parameter(W), nn.Parameter(b)]
    theirs = [torch.nn.Parameter(torch.tensor(W)), torch.nn.Parameter(torch.tensor(b))]
    opt_ours, opt_theirs = optim.SGD(ours, **settings), torch.optim.SGD(theirs, **settings)
    for _ in range(25):
        for opt, params, x, y in ((opt_ours, ours, tensor(X), tensor(Y)),
                                  (opt_theirs, theirs, torch.tensor(X), torch.tensor(Y))):
            opt.zero_grad()
            loss_of(x, y, *params).backward()
            opt.step()
        for p, q in zip(ours, theirs):
            close(p, q)


@pytest.mark.parametrize("step_size, gamma", [(1, 0.1), (3, 0.5), (7, 0.9), (2, 1.0)])
def test_step_lr_matches_torch(torch, step_size, gamma):
    ours = optim.Adam([tensor([1.0], requires_grad=True)], lr=0.3)
    theirs = torch.optim.Adam([torch.tensor([1.0], requires_grad=True)], lr=0.3)
    a, b = StepLR(ours, step_size, gamma), torch.optim.lr_scheduler.StepLR(theirs, step_size, gamma)
    for _ in range(30):
        COMPARED.append(1)
        assert a.get_last_lr() == b.get_last_lr()          # exactly: the same products in the same order
        theirs.step()
        a.step(), b.step()
        assert ours.param_groups[0]["lr"] == theirs.param_groups[0]["lr"]


def test_adam_on_a_0d_parameter_matches_torch(torch):
    s, t = tensor(0.5, requires_grad=True), torch.tensor(0.5, requires_grad=True)
    ours, theirs = optim.Adam([s], lr=0.1), torch.optim.Adam([t], lr=0.1)
    for _ in range(10):
        for opt, p in ((ours, s), (theirs, t)):
            opt.zero_grad()
            (p * p * p - p).backward()
            opt.step()
        close(s, t)
        close(ours.state[s]["exp_avg_sq"], theirs.state[t]["exp_avg_sq"])
    assert math.isfinite(s.item())
