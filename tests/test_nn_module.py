"""Module, Parameter and Sequential: registration, the tree, modes, state_dict, autograd through them."""
import copy
import math
from collections import OrderedDict

import pytest

from refnn import init, nn, optim
from refnn.matrix import ShapeError
from refnn.tensors import Tensor, tensor

from helpers import Net


# --- Parameter ---------------------------------------------------------------------

def test_parameter_is_a_tensor_that_copies_its_values_in_and_starts_without_a_gradient():
    values = [[1.0, 2.0], [3.0, 4.0]]
    p = nn.Parameter(values)
    values[0][0] = 99.0
    assert p.tolist() == [[1.0, 2.0], [3.0, 4.0]] and p.grad is None and p.shape == (2, 2)
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf and p.size() == (2, 2) and p.numel() == 4
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad


def test_parameter_prints_as_pytorch():
    assert repr(nn.Parameter([0.5, -1.0])) == "Parameter containing:\ntensor([0.5, -1.0], requires_grad=True)"


def test_data_shares_the_numbers_and_records_nothing():
    p = nn.Parameter([[1.0, 2.0]])
    d = p.data
    assert not d.requires_grad and d.grad_fn is None
    d.fill_(3.0)
    assert p.tolist() == [[3.0, 3.0]]
    p.data = tensor([[5.0, 6.0]])
    assert p.tolist() == [[5.0, 6.0]] and p.requires_grad


@pytest.mark.parametrize("bad, error, message", [
    ([[1.0], [2.0, 3.0]], ShapeError, "ragged list"),
    ([1.0, "x"], TypeError, "expected numbers, got str"),
])
def test_parameter_refuses_what_is_not_a_nested_list_of_numbers(bad, error, message):
    with pytest.raises(error, match=message):
        nn.Parameter(bad)


def test_detach_cuts_the_graph():
    p = nn.Parameter([[1.0, 2.0]])
    values = p.detach()
    assert values.tolist() == [[1.0, 2.0]] and not values.requires_grad


def test_the_fillers_of_data_work_in_place():
    p = nn.Parameter([[0.0, 0.0], [0.0, 0.0]])
    d = p.data
    assert d.fill_(2.5) is d and p.tolist() == [[2.5, 2.5], [2.5, 2.5]]
    assert d.zero_().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    init.manual_seed(3)
    d.uniform_(-0.5, 0.5)
    values = _flat(p.tolist())
    assert all(-0.5 <= v <= 0.5 for v in values) and len(set(values)) == 4


def test_the_seeds_weights_init_runs_as_written():
    def weights_init(m):
        if isinstance(m, nn.Conv2d):
            n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
            m.weight.data.normal_(0, math.sqrt(2. / n))
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3))
    before = _values(model.state_dict())
    init.manual_seed(0)
    model.apply(weights_init)
    after = _values(model.state_dict())
    assert after["0.bias"] == before["0.bias"] and after["0.weight"] != before["0.weight"]
    # the same draws as init.normal_ with std √(2/(3·3·8)) = 1/6, in the same order
    init.manual_seed(0)
    for key in ("0.weight", "2.weight"):
        expected = init.normal_(copy.deepcopy(before[key]), 0, 1 / 6)
        assert max(abs(a - b) for a, b in zip(_flat(after[key]), _flat(expected))) < 1e-15


def _values(state_dict):
    return {key: value.tolist() for key, value in state_dict.items()}


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


# --- registration ------------------------------------------------------------------

def test_assignment_registers_parameters_and_modules_in_order():
    net = Net()
    assert [name for name, _ in net.named_children()] == ["fc1", "act1", "fc2", "act2"]
    assert [name for name, _ in net.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight",
                                                            "fc2.bias"]
    assert [type(m).__name__ for m in net.modules()] == ["Net", "Linear", "Sigmoid", "Linear", "Sigmoid"]
    assert "fc1" not in net.__dict__           # registered, not a plain attribute (PyTorch's layout)


def test_reassigning_a_name_moves_it_between_registers_and_none_empties_a_slot():
    net = Net()
    net.fc2 = nn.Parameter([1.0])
    assert "fc2" not in dict(net.named_children()) and "fc2" in dict(net.named_parameters())
    net.fc2 = None
    assert net.fc2 is None and "fc2" not in dict(net.named_parameters())
    del net.act1
    assert not hasattr(net, "act1")


def test_a_registered_parameter_cannot_become_something_else():
    layer = nn.Linear(2, 1)
    with pytest.raises(TypeError, match=r"cannot assign 'list' as parameter 'weight' \(refnn.nn.Parameter or "
                                        r"None expected\)"):
        layer.weight = [[1.0, 2.0]]
    assert isinstance(layer.weight, nn.Parameter)
    with pytest.raises(TypeError, match="cannot assign 'str' as child module"):
        Net().fc1 = "linear"


def test_parts_cannot_be_assigned_before_init():
    class Forgetful(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 1)
    with pytest.raises(AttributeError, match=r"cannot assign Linear 'fc' before Module.__init__\(\) call"):
        Forgetful()


def test_shared_parameters_are_given_once():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.Tanh(), layer)
    assert len(list(model.parameters())) == 2
    assert [name for name, _ in model.named_modules()] == ["", "0", "1"]
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]     # as torch's


def test_unknown_attributes_raise_attribute_error():
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'fc3'"):
        _ = Net().fc3
    with pytest.raises(AttributeError):
        del Net().fc3


def test_forward_must_be_written_and_backward_need_not():
    class Double(nn.Module):
        def forward(self, x):
            return x * 2
    x = tensor([1.0], requires_grad=True)
    Double()(x).sum().backward()
    assert x.grad.tolist() == [2.0] and not hasattr(nn.Module, "backward")
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward"'):
        nn.Module()(1.0)


# --- walking and modes -----------------------------------------------------------------

def test_apply_visits_children_before_parents_and_returns_the_module():
    seen = []
    net = Net()
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "Sigmoid", "Linear", "Sigmoid", "Net"]


def test_train_and_eval_reach_every_part():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.BatchNorm1d(2)))
    assert model.eval() is model
    assert [m.training for m in model.modules()] == [False] * 4
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="train: training mode is expected to be a bool, got int"):
        model.train(0)
    assert all(m.training for m in model.modules())


def test_zero_grad_sets_none_or_zeros():
    net = Net()
    net([[1.0, 2.0, 3.0]]).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(v == 0.0 for p in net.parameters() for v in _flat(p.grad.tolist()))
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_gradients_add_up_until_zero_grad():
    layer = nn.Linear(2, 1)
    for _ in range(2):
        layer([[1.0, 2.0]]).sum().backward()
    assert layer.weight.grad.tolist() == [[2.0, 4.0]] and layer.bias.grad.tolist() == [2.0]


def test_a_part_used_twice_in_one_forward_gets_both_gradients():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(1, 1, bias=False)

        def forward(self, x):
            return self.fc(self.fc(x))                  # y = w·(w·x): dy/dw = 2wx
    net = Twice()
    net.fc.weight.data = [[3.0]]
    net([[2.0]]).sum().backward()
    assert net.fc.weight.grad.tolist() == [[12.0]]


def test_a_residual_connection_adds_the_two_paths():
    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2, bias=False)

        def forward(self, x):
            return x + self.fc(x)                       # dy/dx = I + W
    net = Residual()
    net.fc.weight.data = [[1.0, 2.0], [3.0, 4.0]]
    x = tensor([[1.0, 1.0]], requires_grad=True)
    net(x).sum().backward()
    assert x.grad.tolist() == [[1.0 + 1.0 + 3.0, 1.0 + 2.0 + 4.0]]


def test_a_frozen_layer_keeps_its_weights_and_passes_the_gradient_on():
    init.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    model[0].requires_grad_(False)
    frozen = model[0].weight.tolist()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    x = tensor([[1.0, -1.0]], requires_grad=True)
    optimizer.zero_grad()
    nn.MSELoss()(model(x), [[1.0]]).backward()
    optimizer.step()
    assert model[0].weight.grad is None and model[2].weight.grad is not None and x.grad is not None
    assert model[0].weight.tolist() == frozen


def test_a_conv_net_with_a_flatten_between_conv_and_linear_trains():
    init.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2, 2))
    x = [[[[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]], [[[1.0, 0.0, 1.0], [0.0, 1.0, 0.0],
                                                                  [1.0, 0.0, 1.0]]]]
    optimizer, criterion = optim.SGD(model.parameters(), lr=0.5, momentum=0.9), nn.CrossEntropyLoss()
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        loss = criterion(model(x), [0, 1])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]


# --- Sequential ---------------------------------------------------------------------------

def test_sequential_from_modules_and_from_an_ordered_dict():
    a = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    b = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("relu", nn.ReLU())]))
    assert list(a.state_dict()) == ["0.weight", "0.bias"] and list(b.state_dict()) == ["fc.weight", "fc.bias"]
    assert len(a) == 2 and [type(m).__name__ for m in a] == ["Linear", "ReLU"]
    assert a[-1] is a[1] and isinstance(b[:1], nn.Sequential) and list(b[:1].state_dict()) == ["fc.weight",
                                                                                                "fc.bias"]


def test_sequential_and_a_subclass_give_the_same_graph_and_gradients():
    init.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Sigmoid())
    net = Net()
    net.load_state_dict(OrderedDict(zip(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
                                        model.state_dict().values())))
    x = [[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    a, b = model(x), net(x)
    assert a.tolist() == b.tolist() and a.grad_fn.name() == b.grad_fn.name() == "SigmoidBackward"
    a.backward(tensor([[1.0], [-1.0]]))
    b.backward(tensor([[1.0], [-1.0]]))
    assert [p.grad.tolist() for p in model.parameters()] == [p.grad.tolist() for p in net.parameters()]


@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.Sequential(nn.Linear(2, 1), "relu"), TypeError, "Sequential: part '1' is a str, not a "
                                                                "refnn.nn.Module"),
    (lambda: nn.Sequential(nn.Linear(2, 1))[1], IndexError, "Sequential: index 1 is out of range for 1"),
    (lambda: nn.Sequential(nn.Linear(2, 1))["0"], TypeError, "index must be an int or a slice, got str"),
    (lambda: nn.Sequential(OrderedDict([("a.b", nn.Tanh())])), ValueError, "contain no '.'"),
])
def test_sequential_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_repr_is_pytorchs_layout():
    model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.MaxPool2d(2), nn.Flatten(), nn.Sequential(nn.Linear(2, 1)))
    assert repr(model) == ("Sequential(\n"
                           "  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n"
                           "  (1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, "
                           "ceil_mode=False)\n"
                           "  (2): Flatten(start_dim=1, end_dim=-1)\n"
                           "  (3): Sequential(\n"
                           "    (0): Linear(in_features=2, out_features=1, bias=True)\n"
                           "  )\n"
                           ")")


# --- state_dict ----------------------------------------------------------------------------

def test_state_dict_holds_detached_tensors_under_pytorchs_keys():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    sd = model.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                        "1.num_batches_tracked"]
    assert all(isinstance(v, Tensor) and not v.requires_grad for v in sd.values())
    assert sd["1.num_batches_tracked"].item() == 0 and list(dict(model.named_buffers())) == [
        "1.running_mean", "1.running_var", "1.num_batches_tracked"]


def test_load_state_dict_copies_in_place_and_round_trips():
    a, b = Net(), Net()
    weight = b.fc1.weight
    assert repr(b.load_state_dict(a.state_dict())) == "<All keys matched successfully>"
    assert _values(b.state_dict()) == _values(a.state_dict()) and b.fc1.weight is weight   # in place
    sd = a.state_dict()
    sd["fc1.weight"] = sd["fc1.weight"].tolist()                # nested lists are taken too
    b.load_state_dict(sd)


def test_load_state_dict_not_strict_says_what_it_left_out():
    a = nn.Linear(2, 1)
    result = a.load_state_dict({"weight": [[1.0, 2.0]], "scale": [1.0]}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["scale"]
    assert a.weight.tolist() == [[1.0, 2.0]]


def _snapshot(model):
    return repr(model.state_dict())


@pytest.mark.parametrize("change, error, message", [
    (lambda sd: sd.pop("1.running_var"), ValueError, "load_state_dict for Sequential: missing keys: "
                                                     "'1.running_var'"),
    (lambda sd: sd.update(extra=[1.0]), ValueError, "unexpected keys: 'extra'"),
    (lambda sd: sd.update({"0.weight": [[1.0, 2.0]]}), ShapeError, r"0.weight has shape \(1, 2\) in the "
                                                                   r"state_dict, \(2, 2\) in the model"),
    (lambda sd: sd.update({"1.num_batches_tracked": [3]}), ShapeError, "1.num_batches_tracked has shape"),
    (lambda sd: sd.update({"0.bias": [1.0, "2"]}), TypeError, "0.bias: expected numbers, got str"),
])
def test_a_bad_state_dict_changes_nothing(change, error, message):
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    before = _snapshot(model)
    sd = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)).state_dict()
    sd["0.bias"] = [7.0, 7.0]          # a valid change that must not be applied when another key is bad
    change(sd)
    with pytest.raises(error, match=message):
        model.load_state_dict(sd)
    assert repr(model.state_dict()) == before


def test_load_state_dict_wants_a_mapping():
    with pytest.raises(TypeError, match="load_state_dict for Linear: expected a mapping"):
        nn.Linear(2, 1).load_state_dict([("weight", [[1.0, 2.0]])])


def test_registration_errors():
    m = nn.Module()
    with pytest.raises(TypeError, match="register_parameter: 'w' must be a refnn.nn.Parameter or None, got"):
        m.register_parameter("w", [1.0])
    with pytest.raises(TypeError, match="add_module: name must be a str, got int"):
        m.add_module(1, nn.Tanh())
    with pytest.raises(ValueError, match="register_buffer: name must be non-empty"):
        m.register_buffer("", tensor([1.0]))
    with pytest.raises(TypeError, match="register_buffer: cannot assign 'list' object to buffer 'b'"):
        m.register_buffer("b", [1.0])
    with pytest.raises(TypeError, match="apply: fn must be callable"):
        m.apply("fn")
    assert list(m.state_dict()) == [] and list(m.children()) == []
