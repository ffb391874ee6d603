"""refnn.init: gains and fans by PyTorch's formulas, the drawn weights' statistics, seeding, errors.

The statistical tests draw many weights with a fixed seed and hold their
mean and variance against the formula, with a tolerance of 5 standard
errors computed from the sample size: SE(mean) = σ/√n and
SE(variance) = √((μ₄ − σ⁴)/n), where μ₄ = 3σ⁴ for a normal distribution
and 9σ⁴/5 for a uniform one.
"""
import copy
import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refnn import init, nn
from refnn.matrix import ShapeError

N_OUT, N_IN = 100, 200          # 20 000 draws per test


def zeros(*shape):
    if len(shape) == 1:
        return [0.0] * shape[0]
    return [zeros(*shape[1:]) for _ in range(shape[0])]


def flat(x):
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


def assert_moments(values, mean, var, kurtosis):
    """Sample mean and variance within 5 standard errors of the formula's (kurtosis = μ₄/σ⁴)."""
    n = len(values)
    m = sum(values) / n
    v = sum((x - m) ** 2 for x in values) / (n - 1)
    assert abs(m - mean) < 5 * math.sqrt(var / n), (m, mean)
    assert abs(v - var) < 5 * math.sqrt((kurtosis - 1) * var ** 2 / n), (v, var)


NORMAL, UNIFORM = 3.0, 9 / 5


# --- gains and fans ---------------------------------------------------------------

@pytest.mark.parametrize("nonlinearity, param, gain", [
    ("linear", None, 1), ("conv2d", None, 1), ("conv_transpose3d", None, 1), ("sigmoid", None, 1),
    ("tanh", None, 5 / 3), ("relu", None, math.sqrt(2)), ("selu", None, 0.75),
    ("leaky_relu", None, math.sqrt(2 / (1 + 0.01 ** 2))), ("leaky_relu", 0, math.sqrt(2)),
    ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)),
])
def test_gains_are_pytorchs_table(nonlinearity, param, gain):
    assert abs(init.calculate_gain(nonlinearity, param) - gain) < 1e-15


@pytest.mark.parametrize("args, error, message", [
    (("softplus",), ValueError, "calculate_gain: unsupported nonlinearity 'softplus'"),
    (("leaky_relu", "0.1"), ValueError, "calculate_gain: negative_slope '0.1' is not a valid number"),
    (("leaky_relu", True), ValueError, "negative_slope True is not a valid number"),
    (("leaky_relu", math.nan), ValueError, "negative_slope nan is not a valid number"),
])
def test_gain_errors(args, error, message):
    with pytest.raises(error, match=message):
        init.calculate_gain(*args)


@pytest.mark.parametrize("shape, fans", [
    ((3, 2), (2, 3)), ((16, 3, 5, 5), (75, 400)), ((4, 6, 2), (12, 8)), ((2, 3, 1, 2, 2), (12, 8)),
])
def test_fans_count_the_receptive_field(shape, fans):
    assert init._calculate_fan_in_and_fan_out(zeros(*shape)) == fans


@given(st.lists(st.integers(1, 4), min_size=2, max_size=4))
def test_fans_are_the_other_dimension_times_the_receptive_field(shape):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(zeros(*shape))
    receptive = math.prod(shape[2:])
    assert fan_in == shape[1] * receptive and fan_out == shape[0] * receptive


def test_fans_need_two_dimensions():
    with pytest.raises(ShapeError, match=r"fan in and fan out can not be computed for a tensor of shape "
                                         r"\(3,\)"):
        init.xavier_normal_(zeros(3))
    with pytest.raises(ShapeError, match=r"a tensor of shape \(2, 0\) has no entries to initialise"):
        init.kaiming_uniform_([[], []])


# --- the drawn weights' statistics -------------------------------------------------------

def test_uniform_and_normal_moments():
    init.manual_seed(0)
    assert_moments(flat(init.uniform_(zeros(N_OUT, N_IN), -2.0, 4.0)), 1.0, 36 / 12, UNIFORM)
    assert_moments(flat(init.normal_(zeros(N_OUT, N_IN), 0.5, 3.0)), 0.5, 9.0, NORMAL)


def test_xavier_moments():
    init.manual_seed(1)
    var = 2 / (N_IN + N_OUT)
    assert_moments(flat(init.xavier_uniform_(zeros(N_OUT, N_IN))), 0.0, var, UNIFORM)
    assert_moments(flat(init.xavier_normal_(zeros(N_OUT, N_IN), gain=2.0)), 0.0, 4 * var, NORMAL)
    w = init.xavier_uniform_(zeros(N_OUT, N_IN), gain=0.5)
    bound = 0.5 * math.sqrt(6 / (N_IN + N_OUT))
    assert max(map(abs, flat(w))) <= bound and max(map(abs, flat(w))) > 0.999 * bound


@pytest.mark.parametrize("shape", [(N_OUT, N_IN), (20, 25, 8, 5)], ids=["Linear", "Conv2d"])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("nonlinearity, a, gain_squared", [
    ("relu", 0, 2.0), ("leaky_relu", 0, 2.0), ("leaky_relu", math.sqrt(5), 1 / 3), ("tanh", 0, 25 / 9)])
def test_kaiming_moments(shape, mode, nonlinearity, a, gain_squared):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(zeros(*shape))
    var = gain_squared / (fan_in if mode == "fan_in" else fan_out)
    g = random.Random(2)
    w = flat(init.kaiming_normal_(zeros(*shape), a, mode, nonlinearity, generator=g))
    assert_moments(w, 0.0, var, NORMAL)
    w = flat(init.kaiming_uniform_(zeros(*shape), a, mode, nonlinearity, generator=g))
    assert_moments(w, 0.0, var, UNIFORM)
    assert max(map(abs, w)) <= math.sqrt(3 * var) * (1 + 1e-12)


def test_the_seeds_rule_is_kaiming_normal_fan_out_relu():
    conv = nn.Conv2d(16, 32, 3)
    n = conv.kernel_size[0] * conv.kernel_size[1] * conv.out_channels
    init.manual_seed(3)
    conv.weight.data.normal_(0, math.sqrt(2. / n))
    assert_moments(flat(conv.weight.tolist()), 0.0, 2 / (3 * 3 * 32), NORMAL)
    seeds_rule = conv.weight.tolist()
    init.manual_seed(3)
    init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
    assert max(abs(a - b) for a, b in zip(flat(conv.weight.tolist()), flat(seeds_rule))) < 1e-15


# --- seeding, generators, Parameters ----------------------------------------------------

def test_manual_seed_makes_draws_repeat_and_generators_are_separate():
    init.manual_seed(7)
    a = init.normal_(zeros(3, 3))
    g = random.Random(99)
    mine = init.uniform_(zeros(4), generator=g)
    b = init.normal_(zeros(3, 3))
    init.manual_seed(7)
    assert init.normal_(zeros(3, 3)) == a and init.normal_(zeros(3, 3)) == b    # g did not touch the default
    same = random.Random(99)
    assert mine == [same.uniform(0, 1) for _ in range(4)]


def test_fillers_fill_a_parameter_and_its_data_and_return_them():
    p = nn.Parameter(zeros(2, 3))
    assert init.ones_(p) is p and p.tolist() == [[1.0] * 3] * 2
    data = p.data
    assert init.zeros_(data) is data and p.tolist() == [[0.0] * 3] * 2          # .data shares the numbers
    assert init.constant_(p, -2) is p and p.tolist() == [[-2] * 3] * 2
    assert p.requires_grad and p.grad_fn is None


def test_nn_init_is_refnn_init_under_torchs_name():
    assert all(getattr(nn.init, name) is getattr(init, name) for name in init.__all__)


# --- errors change nothing -------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda w: init.uniform_(w, 1, 0), ValueError, "uniform_: a = 1 must not exceed b = 0"),
    (lambda w: init.uniform_(w, 0, math.inf), ValueError, "uniform_: b must be finite, got inf"),
    (lambda w: init.normal_(w, 0, -1), ValueError, "normal_: std must be at least 0, got -1"),
    (lambda w: init.normal_(w, "0"), TypeError, "normal_: mean must be a real number, got str"),
    (lambda w: init.normal_(w, generator=42), TypeError, "generator must be a random.Random, got int"),
    (lambda w: init.constant_(w, None), TypeError, "constant_: val must be a number, got NoneType"),
    (lambda w: init.kaiming_uniform_(w, mode="in"), ValueError, "must be 'fan_in' or 'fan_out', got 'in'"),
    (lambda w: init.kaiming_normal_(w, nonlinearity="gelu"), ValueError,
     "kaiming_normal_: unsupported nonlinearity 'gelu'"),
    (lambda w: init.kaiming_normal_(w, a="x"), ValueError, "kaiming_normal_: negative_slope 'x' is not"),
    (lambda w: init.xavier_uniform_(w, gain=math.nan), ValueError, "xavier_uniform_: gain must be finite"),
])
def test_bad_arguments_raise_before_anything_is_drawn(call, error, message):
    w = [[0.5, 0.25], [1.0, 2.0]]
    state = init.manual_seed(11).getstate()
    with pytest.raises(error, match=message):
        call(w)
    assert w == [[0.5, 0.25], [1.0, 2.0]] and init._default_generator.getstate() == state


@pytest.mark.parametrize("tensor, error, message", [
    ([[0.0] * 3] * 2, ValueError, "some rows are one and the same list"),
    ([(0.0, 0.0)], TypeError, "cannot fill a tuple in place"),
    ((0.0, 0.0), TypeError, "expected a nested list or a Tensor of at least one dimension, got tuple"),
    ([[0.0], [0.0, 0.0]], ShapeError, "ragged list"),
    ([0.0, "1"], TypeError, "expected numbers, got str"),
    (0.5, TypeError, "expected a nested list or a Tensor of at least one dimension, got float"),
])
def test_what_cannot_be_filled_is_refused(tensor, error, message):
    before = copy.deepcopy(tensor)
    with pytest.raises(error, match=message):
        init.normal_(tensor)
    assert tensor == before


def test_manual_seed_wants_an_int():
    with pytest.raises(TypeError, match="manual_seed: seed must be an int, got str"):
        init.manual_seed("1")
