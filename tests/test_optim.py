"""SGD's update by PyTorch's formulas, worked by hand; its settings and its errors."""
import pytest

from refnn import init, nn, optim
from refnn.tensors import tensor


def param(values, grad):
    p = nn.Parameter(values)
    p.grad = tensor(grad)
    return p


def test_plain_step_is_w_minus_lr_g():
    p = param([[1.0, 2.0], [3.0, 4.0]], [[0.5, -0.5], [1.0, 0.0]])
    data = p.data
    optim.SGD([p], lr=0.1).step()
    assert p.tolist() == [[0.95, 2.05], [2.9, 4.0]] and data.tolist() == p.tolist()    # in place
    assert p.grad.tolist() == [[0.5, -0.5], [1.0, 0.0]]                                # the gradient stays
    assert p.requires_grad and p.grad_fn is None                                       # no part of any graph


def test_momentum_by_hand():
    # g = 1, 2, 3: buf = 1; 0.5·1 + 2 = 2.5; 0.5·2.5 + 3 = 4.25; w = 10 − 0.1·(1 + 2.5 + 4.25)
    p = nn.Parameter([10.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.5)
    for g in (1.0, 2.0, 3.0):
        p.grad = tensor([g])
        opt.step()
    assert abs(p.item() - (10 - 0.1 * 7.75)) < 1e-15
    assert opt.state_dict()["state"][0]["momentum_buffer"].tolist() == [4.25]


def test_dampening_scales_the_new_gradient_after_the_first_step():
    # buf = 2 (first step: the gradient itself); then 0.9·2 + (1 − 0.5)·2 = 2.8
    p = nn.Parameter([0.0])
    opt = optim.SGD([p], lr=1.0, momentum=0.9, dampening=0.5)
    p.grad = tensor([2.0])
    opt.step()
    opt.step()
    assert abs(p.item() - -(2.0 + 2.8)) < 1e-15


def test_nesterov_looks_ahead():
    # buf = g = 1 on the first step; the step follows g + momentum·buf = 1.9
    p = param([0.0], [1.0])
    optim.SGD([p], lr=1.0, momentum=0.9, nesterov=True).step()
    assert p.tolist() == [-1.9]


def test_weight_decay_is_added_to_the_gradient_first():
    # g' = g + wd·w = 1 + 0.5·4 = 3; w = 4 − 0.1·3
    p = param([4.0], [1.0])
    optim.SGD([p], lr=0.1, weight_decay=0.5).step()
    assert abs(p.item() - 3.7) < 1e-15 and p.grad.tolist() == [1.0]


def test_parameters_without_gradient_are_skipped_and_zero_grad_forgets():
    a, b = param([1.0], [1.0]), nn.Parameter([5.0])
    opt = optim.SGD([a, b], lr=0.5)
    opt.step()
    assert a.tolist() == [0.5] and b.tolist() == [5.0]
    opt.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0] and b.grad is None
    opt.zero_grad()
    assert a.grad is None


def test_the_learning_rate_can_be_changed_in_param_groups():
    p = nn.Parameter([1.0])
    opt = optim.SGD([p], lr=1.0)
    opt.param_groups[0]["lr"] = 0.25
    p.grad = tensor([2.0])
    opt.step()
    assert p.tolist() == [0.5]


def test_sgd_trains_the_seeds_xor_network():
    init.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Sigmoid())
    x, y = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]]
    criterion, opt = nn.MSELoss(), optim.SGD(model.parameters(), lr=2.0, momentum=0.9)
    losses = []
    for _ in range(500):
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.01 < losses[0]
    assert [round(row[0]) for row in model(x).tolist()] == [0, 1, 1, 0]


def test_sgd_state_dict_carries_the_momentum_into_a_fresh_optimizer():
    a, b = nn.Parameter([1.0, 2.0]), nn.Parameter([1.0, 2.0])
    first, twin = optim.SGD([a], lr=0.1, momentum=0.9), optim.SGD([b], lr=0.1, momentum=0.9)
    for g in ([1.0, -1.0], [0.5, 0.5]):
        a.grad = tensor(g)
        first.step()
        b.grad = tensor(g)
        twin.step()
    fresh = optim.SGD([b], lr=0.5, momentum=0.9)
    fresh.load_state_dict(first.state_dict())
    a.grad, b.grad = tensor([0.25, 0.25]), tensor([0.25, 0.25])
    first.step()
    fresh.step()
    assert a.tolist() == b.tolist() and fresh.param_groups[0]["lr"] == 0.1


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(lr=-0.1), ValueError, "SGD: invalid learning rate: -0.1"),
    (dict(lr=0.1, momentum=-1), ValueError, "SGD: invalid momentum value: -1"),
    (dict(lr=0.1, weight_decay=float("nan")), ValueError, "SGD: invalid weight_decay value: nan"),
    (dict(lr="0.1"), ValueError, "SGD: invalid learning rate: '0.1'"),
    (dict(lr=0.1, nesterov=True), ValueError, "Nesterov momentum requires a momentum and zero dampening"),
    (dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError, "Nesterov momentum requires"),
])
def test_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        optim.SGD([nn.Parameter([1.0])], **kwargs)


def test_bad_params():
    with pytest.raises(ValueError, match="SGD: optimizer got an empty parameter list"):
        optim.SGD(iter([]), lr=0.1)
    with pytest.raises(TypeError, match=r"SGD: params\[1\] is a list, not a Tensor"):
        optim.SGD([nn.Parameter([1.0]), [1.0]], lr=0.1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts, but got a Parameter"):
        optim.SGD(nn.Parameter([1.0]), lr=0.1)
    with pytest.raises(ValueError, match=r"params\[0\]: can't optimize a non-leaf Tensor"):
        optim.SGD([nn.Parameter([1.0]) * 2], lr=0.1)


def test_repr_lists_the_settings():
    text = repr(optim.SGD([nn.Parameter([1.0])], lr=0.1, momentum=0.9))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    momentum: 0.9\n" in text
