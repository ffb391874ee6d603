"""Module, Parameter, Data and Sequential: registration, walking the tree, modes, state_dict, errors."""
import copy
import json
import math
from collections import OrderedDict

import pytest

from refnn import init, nn
from refnn.matrix import ShapeError

from helpers import Net


# --- Parameter and Data ------------------------------------------------------------

def test_parameter_copies_its_values_in_and_starts_without_a_gradient():
    values = [[1.0, 2.0], [3.0, 4.0]]
    p = nn.Parameter(values)
    values[0][0] = 99.0
    assert p.data == [[1.0, 2.0], [3.0, 4.0]] and p.grad is None and p.shape == (2, 2)
    assert isinstance(p.data, nn.Data) and isinstance(p.data, list)


def test_parameter_data_keeps_its_shape_and_a_failed_assignment_changes_nothing():
    p = nn.Parameter([1.0, 2.0])
    with pytest.raises(ShapeError, match=r"Parameter.data: new values of shape \(3,\), the parameter has "
                                         r"shape \(2,\)"):
        p.data = [1.0, 2.0, 3.0]
    with pytest.raises(TypeError, match="Parameter.data: expected numbers, got str"):
        p.data = [1.0, "x"]
    assert p.data == [1.0, 2.0]


@pytest.mark.parametrize("bad, error, message", [
    (3.0, TypeError, "Parameter: data must be a nested list of numbers, got float"),
    ([[1.0], [2.0, 3.0]], ShapeError, "Parameter: ragged list"),
    (None, TypeError, "got NoneType"),
])
def test_parameter_refuses_what_is_not_a_nested_list_of_numbers(bad, error, message):
    with pytest.raises(error, match=message):
        nn.Parameter(bad)


def test_detach_is_a_copy_of_plain_lists():
    p = nn.Parameter([[1.0, 2.0]])
    values = p.detach()
    values[0][0] = 5.0
    assert p.data == [[1.0, 2.0]] and type(values) is list and type(values[0]) is list


def test_data_is_json_and_compares_as_a_list_and_its_fillers_work_in_place():
    d = nn.Parameter([[0.0, 0.0], [0.0, 0.0]]).data
    assert d.fill_(2.5) is d and d == [[2.5, 2.5], [2.5, 2.5]]
    assert json.loads(json.dumps(d)) == [[2.5, 2.5], [2.5, 2.5]]
    assert d.zero_() == [[0.0, 0.0], [0.0, 0.0]]
    init.manual_seed(3)
    d.uniform_(-0.5, 0.5)
    assert all(-0.5 <= v <= 0.5 for row in d for v in row) and len(set(v for row in d for v in row)) == 4


def test_the_seeds_weights_init_runs_as_written():
    def weights_init(m):
        if isinstance(m, nn.Conv2d):
            n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
            m.weight.data.normal_(0, math.sqrt(2. / n))
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3))
    before = model.state_dict()
    init.manual_seed(0)
    model.apply(weights_init)
    after = model.state_dict()
    assert after["0.bias"] == before["0.bias"] and after["0.weight"] != before["0.weight"]
    # the same draws as init.normal_ with std √(2/(3·3·8)) = 1/6, in the same order
    init.manual_seed(0)
    for key in ("0.weight", "2.weight"):
        expected = init.normal_(copy.deepcopy(before[key]), 0, 1 / 6)
        assert max(abs(a - b) for a, b in zip(_flat(after[key]), _flat(expected))) < 1e-15


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


def test_forward_and_backward_must_be_written():
    class NoBackward(nn.Module):
        def forward(self, x):
            return x
    with pytest.raises(NotImplementedError, match="NoBackward has no backward: refnn has no autograd"):
        NoBackward().backward([1.0])
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
    net.backward(net([[1.0, 2.0, 3.0]]))            # any gradient of the right shape
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(v == 0.0 for p in net.parameters() for v in _flat(p.grad))
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_backward_before_forward_and_twice_after_one_forward_is_an_error():
    layer = nn.Tanh()
    with pytest.raises(RuntimeError, match=r"Tanh\(\): backward called before forward"):
        layer.backward([1.0])
    layer([0.0])
    layer.backward([1.0])
    with pytest.raises(RuntimeError, match="each forward allows one backward"):
        layer.backward([1.0])


def test_a_gradient_of_the_wrong_shape_is_refused_and_the_forward_is_kept():
    layer = nn.Linear(2, 3)
    layer([[1.0, 2.0]])
    with pytest.raises(ShapeError, match=r"Linear\(in_features=2, out_features=3, bias=True\).backward: "
                                         r"grad of shape \(1, 2\), but the output had shape \(1, 3\)"):
        layer.backward([[1.0, 2.0]])
    assert layer.weight.grad is None
    layer.backward([[1.0, 2.0, 3.0]])               # the forward is still there
    assert layer.weight.grad == [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]


# --- Sequential ---------------------------------------------------------------------------

def test_sequential_from_modules_and_from_an_ordered_dict():
    a = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    b = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("relu", nn.ReLU())]))
    assert list(a.state_dict()) == ["0.weight", "0.bias"] and list(b.state_dict()) == ["fc.weight", "fc.bias"]
    assert len(a) == 2 and [type(m).__name__ for m in a] == ["Linear", "ReLU"]
    assert a[-1] is a[1] and isinstance(b[:1], nn.Sequential) and list(b[:1].state_dict()) == ["fc.weight",
                                                                                                "fc.bias"]


def test_sequential_backward_is_the_parts_backward_in_reverse():
    init.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Sigmoid())
    net = Net()
    net.load_state_dict(OrderedDict(zip(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
                                        model.state_dict().values())))
    x = [[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    assert model(x) == net(x)
    assert model.backward([[1.0], [-1.0]]) == net.backward([[1.0], [-1.0]])
    assert [p.grad for p in model.parameters()] == [p.grad for p in net.parameters()]


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
                           "  (1): MaxPool2d(kernel_size=2, stride=2)\n"
                           "  (2): Flatten(start_dim=1, end_dim=-1)\n"
                           "  (3): Sequential(\n"
                           "    (0): Linear(in_features=2, out_features=1, bias=True)\n"
                           "  )\n"
                           ")")


# --- state_dict ----------------------------------------------------------------------------

def test_state_dict_is_a_copy_with_pytorchs_keys():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    sd = model.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                        "1.num_batches_tracked"]
    sd["0.weight"][0][0] = 123.0
    assert model[0].weight.data[0][0] != 123.0


def test_load_state_dict_copies_in_place_and_round_trips():
    a, b = Net(), Net()
    weight = b.fc1.weight.data
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict() and b.fc1.weight.data is weight   # overwritten in place


def _snapshot(model):
    return copy.deepcopy(model.state_dict())


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
    assert model.state_dict() == before


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
        m.register_buffer("", [1.0])
    with pytest.raises(TypeError, match="apply: fn must be callable"):
        m.apply("fn")
    assert list(m.state_dict()) == [] and list(m.children()) == []
