"""The layers' forward by hand, their shapes and settings, and their errors (failed calls change nothing)."""
import copy
import math

import pytest

from refnn import init, nn
from refnn.matrix import ShapeError
from refnn.tensors import tensor


def test_linear_is_the_seeds_row_times_column():
    layer = nn.Linear(3, 2)
    layer.weight.data = [[2, 3, 0], [-1, -2, 1]]       # the seed's weight (3, 2), stored (out, in)
    layer.bias.data = [0, 0]
    assert layer([[1, 1, -1], [4, 0, 2], [1, 0, 0]]).tolist() == [[5, -4], [8, -2], [2, -1]]
    assert layer([1, 1, -1]).tolist() == [5, -4]        # one sample: 1*2 + 1*3 + (-1)*0 = 5
    layer.bias.data = [1, -1]
    assert layer(tensor([1, 1, -1])).tolist() == [6, -5]


def test_one_sample_is_the_batch_of_one():
    init.manual_seed(0)
    for layer, x in [(nn.Linear(3, 2), [0.5, -1.0, 2.0]),
                     (nn.Conv2d(2, 1, 2, padding=1), [[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]]),
                     (nn.MaxPool2d(2), [[[1.0, 5.0], [3.0, 4.0]]]),
                     (nn.AvgPool2d(2), [[[1.0, 5.0], [3.0, 4.0]]])]:
        xt, xb = tensor(x, requires_grad=True), tensor([x], requires_grad=True)
        one, batch = layer(xt), layer(xb)
        assert batch.tolist() == [one.tolist()]
        one.backward(tensor(one.tolist()))
        batch.backward(tensor(batch.tolist()))
        assert xb.grad.tolist() == [xt.grad.tolist()]


def test_default_initialisation_is_pytorchs_bound():
    init.manual_seed(0)
    for layer, fan_in in [(nn.Linear(16, 8), 16), (nn.Conv2d(3, 4, (2, 5)), 3 * 2 * 5)]:
        bound = 1 / math.sqrt(fan_in)
        weights = _flat(layer.weight.tolist())
        assert max(map(abs, weights)) <= bound * (1 + 1e-12)
        assert max(map(abs, weights)) > 0.8 * bound          # spread over the whole interval
        assert all(abs(b) <= bound for b in layer.bias.tolist())


def test_layers_draw_from_the_seeded_default_generator():
    init.manual_seed(5)
    a = _values(nn.Sequential(nn.Linear(2, 3), nn.Conv2d(1, 1, 2)).state_dict())
    init.manual_seed(5)
    b = _values(nn.Sequential(nn.Linear(2, 3), nn.Conv2d(1, 1, 2)).state_dict())
    c = _values(nn.Sequential(nn.Linear(2, 3), nn.Conv2d(1, 1, 2)).state_dict())
    assert a == b and a != c


def _values(state_dict):
    return {key: value.tolist() for key, value in state_dict.items()}


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


def test_conv2d_by_hand_with_stride_and_padding():
    conv = nn.Conv2d(1, 1, 3, stride=2, padding=1, bias=False)
    conv.weight.data = [[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]         # a 3 x 3 box sum
    image = [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]
    # padded with zeros, windows centred on (0, 0), (0, 2), (2, 0), (2, 2)
    assert conv([image]).tolist() == [[[[1 + 2 + 4 + 5, 2 + 3 + 5 + 6], [4 + 5 + 7 + 8, 5 + 6 + 8 + 9]]]]


def test_conv2d_sums_over_input_channels_and_adds_the_bias():
    conv = nn.Conv2d(2, 2, 1)
    conv.weight.data = [[[[1]], [[10]]], [[[0]], [[-1]]]]
    conv.bias.data = [0.5, 0]
    x = [[[[1, 2]], [[3, 4]]]]                                      # (1, 2, 1, 2)
    assert conv(x).tolist() == [[[[31.5, 42.5]], [[-3, -4]]]]


def test_pools_by_hand():
    image = [[[1, 3, 2, 0], [4, 2, 8, 6], [0, 0, 1, 1], [5, 0, 1, 1]]]
    assert nn.MaxPool2d(2)(image).tolist() == [[[4, 8], [5, 1]]]
    assert nn.AvgPool2d(2)(image).tolist() == [[[2.5, 4.0], [1.25, 1.0]]]
    assert nn.MaxPool2d(3, stride=1)(image).tolist() == [[[8, 8], [8, 8]]]
    assert nn.MaxPool2d((1, 4))(image).tolist() == [[[3], [8], [1], [5]]]


def test_flatten_keeps_reading_order_and_backward_undoes_it():
    x = tensor([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]], requires_grad=True)
    flat = nn.Flatten()
    out = flat(x)
    assert out.tolist() == [[1, 2, 3, 4, 5, 6, 7, 8]]
    out.backward(tensor([[10, 20, 30, 40, 50, 60, 70, 80]]))
    assert x.grad.tolist() == [[[[10, 20], [30, 40]], [[50, 60], [70, 80]]]]
    assert nn.Flatten(0)(x).tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert nn.Flatten(2, 3)(x).tolist() == [[[1, 2, 3, 4], [5, 6, 7, 8]]]


def test_flatten_of_a_number_gives_one_element_as_torch():
    for flat in (nn.Flatten(), nn.Flatten(0), nn.Flatten(3, 7)):          # torch ignores the dims for 0-d
        assert flat(tensor(5.0)).tolist() == [5.0]


def test_activations_keep_any_shape():
    x = [[[[0.0, 1.0]], [[-1.0, 2.0]]]]
    assert nn.Sigmoid()(x).tolist()[0][0][0][0] == 0.5
    assert nn.Tanh()(x).tolist()[0][1][0][0] == math.tanh(-1.0)
    assert nn.ReLU()(x).tolist() == [[[[0, 1.0]], [[0, 2.0]]]]


def test_batchnorm_by_hand():
    bn = nn.BatchNorm1d(2, eps=1e-5, momentum=0.5)
    x = [[1.0, 0.0], [3.0, 0.0], [5.0, 6.0]]
    out = bn(x).tolist()
    # column 0: mean 3, biased variance 8/3; column 1: mean 2, variance 8
    for row, v in zip(out, x):
        assert abs(row[0] - (v[0] - 3) / math.sqrt(8 / 3 + 1e-5)) < 1e-15
        assert abs(row[1] - (v[1] - 2) / math.sqrt(8 + 1e-5)) < 1e-15
    # running: 0.5·0 + 0.5·mean, and 0.5·1 + 0.5·unbiased variance (÷ 2 instead of ÷ 3)
    assert bn.running_mean.tolist() == [1.5, 1.0]
    assert bn.running_var.tolist() == [0.5 + 0.5 * 4.0, 0.5 + 0.5 * 12.0]
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    assert bn([[1.5, 1.0]]).tolist() == [[0.0, 0.0]] and bn.num_batches_tracked.item() == 1


def test_eval_mode_batchnorm_takes_one_sample():
    bn = nn.BatchNorm1d(1).eval()
    assert bn([[0.0]]).tolist() == [[0.0]]


# --- bad input: a clear error, and nothing changed ---------------------------------------

BAD_INPUTS = [
    (lambda: nn.Linear(3, 2), [[1.0, 2.0, 3.0, 4.0, 5.0]] * 4, ShapeError,
     r"linear: input of shape \(4, 5\) and weight of shape \(2, 3\): expected the input's last size 3"),
    (lambda: nn.Linear(3, 2), [[1.0, 2.0, 3.0], [1.0, 2.0]], ShapeError, "ragged list"),
    (lambda: nn.Linear(3, 2), [[[1.0, 2.0]]], ShapeError, r"linear: input of shape \(1, 1, 2\)"),
    (lambda: nn.Linear(1, 1), [["1"]], TypeError, r"linear: expected numbers, got str '1'"),
    (lambda: nn.Linear(1, 1), [], ShapeError, r"linear: input of shape \(0,\)"),
    (nn.Tanh, [[1.0], [2.0, 3.0]], ShapeError, r"tanh: ragged list"),
    (nn.ReLU, [[1.0, None]], TypeError, r"relu: expected numbers, got NoneType"),
    (nn.Sigmoid, "0.5", TypeError, r"sigmoid: expected numbers, got str"),
    (lambda: nn.Conv2d(2, 1, 2), [[[[1.0, 2.0], [3.0, 4.0]]]], ShapeError,
     r"input of shape \(1, 1, 2, 2\): expected 2 channels, got 1"),
    (lambda: nn.Conv2d(1, 1, 2), [[1.0, 2.0], [3.0, 4.0]], ShapeError,
     r"expected \(N, C, H, W\) or \(C, H, W\)"),
    (lambda: nn.Conv2d(1, 1, 3, padding=(1, 0)), [[[1.0, 2.0], [3.0, 4.0]]], ShapeError,
     r"an image of size \(4, 2\) is smaller than the kernel \(3, 3\)"),
    (lambda: nn.Conv2d(1, 1, 1), [[[[1.0, "2"]]]], TypeError, r"conv2d: expected numbers, got str"),
    (lambda: nn.MaxPool2d(2), [[[1.0, 2.0]]], ShapeError, "smaller than the kernel"),
    (lambda: nn.AvgPool2d(1), [[[[1.0, [2.0]]]]], ShapeError, "ragged list"),
    (lambda: nn.MaxPool2d(1), [[[[1.0, "a"]]]], TypeError, r"max_pool2d: expected numbers"),
    (nn.Flatten, [1.0, 2.0], ShapeError, r"input of shape \(2,\) has no dimension 1"),
    (lambda: nn.Flatten(2, 1), [[[1.0]]], ValueError, "start_dim comes after end_dim"),
    (lambda: nn.BatchNorm1d(3), [[1.0, 2.0], [3.0, 4.0]], ShapeError,
     r"BatchNorm1d\(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True\): input "
     r"of shape \(2, 2\): expected \(N, 3\) or \(N, 3, L\)"),
    (lambda: nn.BatchNorm1d(2), [[1.0, 2.0]], ValueError, "expected more than 1 value per channel when"),
    (lambda: nn.BatchNorm1d(1), [[1.0], ["x"]], TypeError, "expected numbers, got str"),
    (lambda: nn.BatchNorm1d(3), [[[[1.0]], [[2.0]], [[3.0]]]] * 2, ShapeError,
     r"input of shape \(2, 3, 1, 1\)"),
    (lambda: nn.BatchNorm1d(2), [[[1.0], [2.0], [3.0]]] * 2, ShapeError, r"input of shape \(2, 3, 1\)"),
]


@pytest.mark.parametrize("make, x, error, message", BAD_INPUTS, ids=lambda v: getattr(v, "__name__", None))
def test_bad_input_is_a_clear_error_and_changes_nothing(make, x, error, message):
    layer = make()
    before, x_before = repr(layer.state_dict()), copy.deepcopy(x)
    with pytest.raises(error, match=message):
        layer(x)
    assert repr(layer.state_dict()) == before and x == x_before


@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.Linear(0, 1), ValueError, "Linear: in_features must be at least 1, got 0"),
    (lambda: nn.Linear(2.0, 1), TypeError, "Linear: in_features must be an int, got float"),
    (lambda: nn.Linear(2, 1, bias=1), TypeError, "Linear: bias must be True or False, got int"),
    (lambda: nn.Conv2d(1, 1, (2, 2, 2)), TypeError, "Conv2d: kernel_size must be an int or a pair of ints"),
    (lambda: nn.Conv2d(1, 1, 2, stride=0), ValueError, "Conv2d: stride must be at least 1, got 0"),
    (lambda: nn.Conv2d(1, 1, 2, padding=-1), ValueError, "Conv2d: padding must be at least 0, got -1"),
    (lambda: nn.MaxPool2d(2, stride=(1, True)), TypeError, "MaxPool2d: stride must be an int or a pair"),
    (lambda: nn.Flatten(1.0), TypeError, "Flatten: start_dim must be an int, got float"),
    (lambda: nn.BatchNorm1d(2, momentum=1.5), ValueError, r"momentum must be a number in \[0, 1\]"),
    (lambda: nn.BatchNorm1d(2, eps=-1e-5), ValueError, "BatchNorm1d: eps must be a positive number"),
])
def test_bad_settings_are_refused_when_the_layer_is_made(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_bad_gradient_shapes_are_refused_for_every_layer():
    init.manual_seed(0)
    cases = [(nn.Linear(2, 2), [[1.0, 2.0]]), (nn.Sigmoid(), [[1.0, 2.0]]), (nn.Flatten(), [[[1.0, 2.0]]]),
             (nn.Conv2d(1, 1, 1), [[[[1.0]]]]), (nn.MaxPool2d(1), [[[[1.0]]]]),
             (nn.AvgPool2d(1), [[[[1.0]]]]), (nn.BatchNorm1d(1), [[1.0], [2.0]])]
    for layer, x in cases:
        out = layer(tensor(x, requires_grad=True))
        with pytest.raises(ShapeError, match="Mismatch in shape"):
            out.backward(tensor([[[[[1.0]]]]]))
