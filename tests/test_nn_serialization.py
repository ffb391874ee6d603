"""save and load: exact round trips through JSON, atomic writes, and files that do not fit."""
import json
import os
import random
from collections import OrderedDict
from fractions import Fraction

import pytest

from refnn import init, nn
from refnn.matrix import ShapeError
from refnn.tensors import Tensor, tensor


def values(state_dict):
    return {key: value.tolist() for key, value in state_dict.items()}


def cnn():
    return nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3), nn.BatchNorm1d(3))


def test_a_model_round_trips_exactly(tmp_path):
    init.manual_seed(0)
    model = cnn()
    images = init.uniform_([[[[0.0] * 3 for _ in range(3)]] for _ in range(4)], -1, 1)
    model(images)                               # a training batch moves the running statistics
    path = tmp_path / "cnn.json"
    nn.save(model.state_dict(), path)
    loaded = nn.load(path)
    assert values(loaded) == values(model.state_dict()) and list(loaded) == list(model.state_dict())
    assert all(isinstance(v, Tensor) for v in loaded.values())
    twin = cnn()
    twin.load_state_dict(loaded)
    x = [[[[0.5, -1.0, 2.0], [0.0, 1.0, 1.5], [-0.5, 0.25, 3.0]]]]
    assert twin.eval()(x).tolist() == model.eval()(x).tolist()


def test_a_tensor_round_trips_exactly(tmp_path):
    path = tmp_path / "t.json"
    nn.save(tensor([[0.1, 1 / 3], [-2.5, 7.0]]), path)
    assert json.loads(path.read_text()) == {"format": "refnn.tensor", "version": 1,
                                            "tensor": [[0.1, 1 / 3], [-2.5, 7.0]]}
    loaded = nn.load(path)
    assert isinstance(loaded, Tensor) and loaded.tolist() == [[0.1, 1 / 3], [-2.5, 7.0]]
    nn.save(tensor(3), path)
    assert nn.load(path).item() == 3


def test_every_float_survives_bit_for_bit(tmp_path):
    rng = random.Random(1)
    values = [rng.uniform(-1, 1) * 10 ** rng.randint(-300, 300) for _ in range(200)]
    values += [0.1, 1 / 3, 5e-324, 1.7976931348623157e308, -0.0, 2 ** 53 + 1.0]
    path = tmp_path / "floats.json"
    nn.save({"w": values, "n": 12345678901234567890}, path)
    loaded = nn.load(path)
    assert [v.hex() for v in loaded["w"].tolist()] == [v.hex() for v in values]
    assert loaded["n"].item() == 12345678901234567890 and type(loaded["n"].item()) is int


def test_the_file_is_plain_json_with_a_format_mark(tmp_path):
    path = tmp_path / "m.json"
    nn.save({"0.bias": [0.5]}, path)
    document = json.loads(path.read_text())
    assert document == {"format": "refnn.state_dict", "version": 1, "state_dict": {"0.bias": [0.5]}}


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "m.json"
    nn.save({"w": [1.0]}, path)
    before = path.read_bytes()
    with pytest.raises(TypeError, match="save: w holds a Fraction; JSON keeps only ints and floats"):
        nn.save({"w": [1.0, Fraction(1, 3)]}, path)
    with pytest.raises(TypeError, match="save: w: expected numbers, got complex"):
        nn.save({"w": [1.0, 2j]}, path)
    with pytest.raises(TypeError, match="save: expected a state_dict"):
        nn.save(cnn(), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.json"]


def test_a_write_that_fails_midway_removes_its_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    nn.save({"w": [1.0]}, path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"w": [2.0]}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.json"]


HEAD = '{"format": "refnn.state_dict", "version": '


@pytest.mark.parametrize("text, message", [
    ("not json", "is not JSON"),
    ('{"weight": [1]}', 'is not a refnn state_dict file'),
    ('[1, 2]', 'is not a refnn state_dict file'),
    (HEAD + '2, "state_dict": {}}', "of version 2, which this refnn cannot read"),
    (HEAD + '1, "state_dict": {"w": [1, "x"]}}', "load: w: expected numbers"),
    (HEAD + '1, "state_dict": {"w": [[1], [1, 2]]}}', "load: w: ragged list"),
    (HEAD + '1, "state_dict": {"w": [true]}}', "load: w holds a bool"),
])
def test_load_refuses_what_is_not_a_state_dict_file(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises((ValueError, TypeError), match=message):
        nn.load(path)


def test_a_file_for_another_model_is_refused_and_changes_nothing(tmp_path):
    init.manual_seed(2)
    path = tmp_path / "small.json"
    nn.save(nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).state_dict(), path)
    wider = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    before = values(wider.state_dict())
    with pytest.raises(ShapeError, match=r"0.weight has shape \(3, 2\) in the state_dict, \(4, 2\) in the "):
        wider.load_state_dict(nn.load(path))
    assert values(wider.state_dict()) == before
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3))]))
    with pytest.raises(ValueError, match="missing keys: 'fc.weight', 'fc.bias'; unexpected keys: '0.weight', "
                                         "'0.bias', '2.weight', '2.bias'"):
        named.load_state_dict(nn.load(path))
