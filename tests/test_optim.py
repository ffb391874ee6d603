"""SGD's update by PyTorch's formulas, worked by hand; its settings and its errors."""
import pytest

from refnn import init, nn, optim


def param(values, grad):
    p = nn.Parameter(values)
    p.grad = grad
    return p


def test_plain_step_is_w_minus_lr_g():
    p = param([[1.0, 2.0], [3.0, 4.0]], [[0.5, -0.5], [1.0, 0.0]])
    data = p.data
    optim.SGD([p], lr=0.1).step()
    assert p.data == [[0.95, 2.05], [2.9, 4.0]] and p.data is data          # in place
    assert p.grad == [[0.5, -0.5], [1.0, 0.0]]                               # the gradient is left alone


def test_momentum_by_hand():
    # g = 1, 2, 3: buf = 1; 0.5·1 + 2 = 2.5; 0.5·2.5 + 3 = 4.25; w = 10 − 0.1·(1 + 2.5 + 4.25)
    p = nn.Parameter([10.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.5)
    for g in (1.0, 2.0, 3.0):
        p.grad = [g]
        opt.step()
    assert abs(p.data[0] - (10 - 0.1 * 7.75)) < 1e-15
    assert opt.state[p]["momentum_buffer"] == [4.25]


def test_dampening_scales_the_new_gradient_after_the_first_step():
    # buf = 2 (first step: the gradient itself); then 0.9·2 + (1 − 0.5)·2 = 2.8
    p = nn.Parameter([0.0])
    opt = optim.SGD([p], lr=1.0, momentum=0.9, dampening=0.5)
    p.grad = [2.0]
    opt.step()
    opt.step()
    assert abs(p.data[0] - -(2.0 + 2.8)) < 1e-15


def test_nesterov_looks_ahead():
    # buf = g = 1 on the first step; the step follows g + momentum·buf = 1.9
    p = param([0.0], [1.0])
    optim.SGD([p], lr=1.0, momentum=0.9, nesterov=True).step()
    assert p.data == [-1.9]


def test_weight_decay_is_added_to_the_gradient_first():
    # g' = g + wd·w = 1 + 0.5·4 = 3; w = 4 − 0.1·3
    p = param([4.0], [1.0])
    optim.SGD([p], lr=0.1, weight_decay=0.5).step()
    assert abs(p.data[0] - 3.7) < 1e-15 and p.grad == [1.0]


def test_parameters_without_gradient_are_skipped_and_zero_grad_forgets():
    a, b = param([1.0], [1.0]), nn.Parameter([5.0])
    opt = optim.SGD([a, b], lr=0.5)
    opt.step()
    assert a.data == [0.5] and b.data == [5.0]
    opt.zero_grad(set_to_none=False)
    assert a.grad == [0.0] and b.grad is None
    opt.zero_grad()
    assert a.grad is None


def test_the_learning_rate_can_be_changed_in_param_groups():
    p = nn.Parameter([1.0])
    opt = optim.SGD([p], lr=1.0)
    opt.param_groups[0]["lr"] = 0.25
    p.grad = [2.0]
    opt.step()
    assert p.data == [0.5]


def test_sgd_trains_the_seeds_xor_network():
    init.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Sigmoid())
    x, y = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]]
    criterion, opt = nn.MSELoss(), optim.SGD(model.parameters(), lr=2.0, momentum=0.9)
    losses = []
    for _ in range(500):
        opt.zero_grad()
        losses.append(criterion(model(x), y))
        model.backward(criterion.backward())
        opt.step()
    assert losses[-1] < 0.01 < losses[0]
    assert [round(row[0]) for row in model(x)] == [0, 1, 1, 0]


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
    with pytest.raises(TypeError, match=r"SGD: params\[1\] is a list, not a refnn.nn.Parameter"):
        optim.SGD([nn.Parameter([1.0]), [1.0]], lr=0.1)
    with pytest.raises(TypeError, match="params must be an iterable of Parameters"):
        optim.SGD(nn.Parameter([1.0]), lr=0.1)


def test_repr_lists_the_settings():
    text = repr(optim.SGD([nn.Parameter([1.0])], lr=0.1, momentum=0.9))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    momentum: 0.9\n" in text
