"""Numerics that never overflow: finite values and gradients for every finite input, NaN refused by learning.

tests/test_activations.py shows σ and tanh finite and in range for every
finite float; this module adds their slopes, the layers built on them, the
five losses (nn's MSELoss, BCELoss, CrossEntropyLoss, mlp's squared_error
and binary_cross_entropy) with their gradients, and softmax inside the
cross-entropy, over every finite float hypothesis draws plus the extremes
(±1e308, the largest float, the smallest subnormal, the edges of exp).
A loss whose true value lies beyond the float range cannot be finite: there
refnn raises a ValueError saying so, and the tests hold it to exactly
that, never an inf or a NaN handed back as a number.

Then the second half of the issue: training on data holding NaN (or ±inf)
raises before the first step and leaves every weight as it was, for
mlp.train, Perceptron.fit, a Sequential trained with SGD (the loss
refuses, BatchNorm's running statistics stay clean), SGD.step itself and
datasets.standardize.

Each hypothesis test counts its examples; ``pytest -s`` prints the total.
"""
import copy
import functools
import math
import random
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from refnn import init, nn, optim
from refnn.activations import sigmoid, sigmoid_prime, tanh_prime
from refnn.datasets import standardize
from refnn.mlp import (
    binary_cross_entropy, forward, init_weights, sigmoid_prime_from_output, squared_error, train,
)
from refnn.perceptron import Perceptron
from refnn.tensors import tensor

from helpers import ExampleCounter

counted = ExampleCounter()
NAN, INF = float("nan"), float("inf")
BIGGEST, TINIEST = sys.float_info.max, 5e-324
EXTREMES = [0.0, -0.0, TINIEST, -TINIEST, 1e-308, 1.0, 709.78, 710.0, 745.2, 1e308, BIGGEST,
            -709.78, -710.0, -745.2, -1e308, -BIGGEST]
finite = st.floats(allow_nan=False, allow_infinity=False)


@pytest.fixture(scope="module", autouse=True)
def report_examples():
    """Print how many examples hypothesis ran in this module (pytest -s shows it)."""
    yield
    print(counted.report(__name__))


def with_extremes(test):
    """Run the test on every extreme too, as hypothesis examples."""
    for value in EXTREMES:
        test = example(value)(test)
    return test


def all_finite(x):
    return all(map(all_finite, x)) if isinstance(x, list) else math.isfinite(x)


# --- the activations' slopes and the layers ----------------------------------------------

@given(finite)
@with_extremes
@counted
def test_slopes_are_finite_and_in_range(x):
    """σ'(x) ∈ [0, 1/4] and tanh'(x) ∈ [0, 1] for every finite x; σ' from σ's output agrees."""
    s = sigmoid_prime(x)
    assert math.isfinite(s) and 0 <= s <= 0.25
    t = tanh_prime(x)
    assert math.isfinite(t) and 0 <= t <= 1
    assert sigmoid_prime_from_output(sigmoid(x)) == s


@given(st.lists(finite, min_size=1, max_size=6), st.lists(finite, min_size=6, max_size=6))
@counted
def test_activation_layers_give_finite_outputs_and_gradients(xs, grads):
    """Sigmoid and Tanh layers: outputs in range and ∂loss/∂x finite for finite x and a gradient of ±1."""
    for layer in (nn.Sigmoid(), nn.Tanh()):
        x = tensor([xs], requires_grad=True)
        out = layer(x)
        low = 0 if isinstance(layer, nn.Sigmoid) else -1
        assert all(low <= v <= 1 for v in out.tolist()[0])
        out.backward(tensor([[1.0 if g >= 0 else -1.0 for g in grads[:len(xs)]]]))
        assert all_finite(x.grad.tolist())


# --- the losses -----------------------------------------------------------------------------------

def loss_and_grad(criterion, out, target):
    """criterion(out, target) as a number, and ∂loss/∂out by loss.backward()."""
    x = tensor(out, requires_grad=True)
    loss = criterion(x, target)
    loss.backward()
    return [loss.item(), x.grad.tolist()]


def finite_or_overflow(compute):
    """The value of compute(), which must be finite, or None when it refused with 'overflows a float'."""
    try:
        value = compute()
    except ValueError as err:
        assert "overflows a float" in str(err), err
        return None
    assert all_finite(value), value
    return value


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=5))
@example([(1e308, -1e308)])
@example([(BIGGEST, BIGGEST), (-BIGGEST, 0.0)])
@counted
def test_mse_is_finite_or_says_it_overflows(pairs):
    """MSELoss and squared_error: a finite loss with a finite gradient, or a ValueError, never inf or NaN."""
    out, target = [p for p, _ in pairs], [t for _, t in pairs]
    for criterion in (nn.MSELoss(reduction="mean"), nn.MSELoss(reduction="sum")):
        result = finite_or_overflow(functools.partial(loss_and_grad, criterion, out, target))
        if result is not None:
            assert all_finite(result[1])
    finite_or_overflow(lambda: squared_error(target, out))
    if all(abs(v) <= 1e150 for pair in pairs for v in pair):           # (1e150 + 1e150)² fits a float
        assert squared_error(target, out) >= 0 and nn.MSELoss()(out, target).item() >= 0


probabilities = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, TINIEST, 1 - 2 ** -53, 0.5]))


@given(st.lists(st.tuples(probabilities, probabilities), min_size=1, max_size=5))
@counted
def test_bce_is_finite_everywhere_in_the_unit_interval(pairs):
    """BCELoss and binary_cross_entropy: finite for every p, t in [0, 1], saturated p too (log clamped)."""
    p, t = [a for a, _ in pairs], [b for _, b in pairs]
    for reduction in ("mean", "sum"):
        loss, grad = loss_and_grad(nn.BCELoss(reduction=reduction), p, t)
        assert math.isfinite(loss) and 0 <= loss <= 100 * len(p)
        assert all_finite(grad)
    assert math.isfinite(binary_cross_entropy(t, p))


@given(st.lists(finite, min_size=2, max_size=5).flatmap(
    lambda row: st.tuples(st.just(row), st.integers(0, len(row) - 1))))
@example(([1e308, -1e308], 1))
@example(([BIGGEST, BIGGEST, -BIGGEST], 0))
@example(([1000.0, 0.0, -1000.0], 2))
@counted
def test_cross_entropy_is_finite_or_says_it_overflows(case):
    """CrossEntropyLoss: a finite log-softmax (exp never overflows), a gradient in [-1, 1] summing to 0."""
    logits, label = case
    result = finite_or_overflow(lambda: loss_and_grad(nn.CrossEntropyLoss(), [logits], [label]))
    if max(logits) - logits[label] <= 1e307:                      # the true loss fits a float
        assert result is not None and result[0] >= 0
    if result is not None:
        grad = result[1][0]
        assert all(-1 <= g <= 1 for g in grad)
        assert abs(math.fsum(grad)) <= 1e-12                       # softmax sums to 1, the one-hot too


# --- NaN in the data: refused before the first step, nothing changed --------------------------------

XOR_X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
XOR_Y = [[0], [1], [1], [0]]
POISONS = [NAN, INF, -INF]


def poisoned(matrix, value, where=(1, 0)):
    bad = copy.deepcopy(matrix)
    bad[where[0]][where[1]] = value
    return bad


@pytest.mark.parametrize("value", POISONS)
@pytest.mark.parametrize("which", ["x", "y", "weights"])
def test_mlp_train_refuses_nan_before_the_first_step(which, value):
    weights = init_weights([3, 4, 1], seed=1)
    before = copy.deepcopy(weights)
    x, y, w = XOR_X, XOR_Y, weights
    if which == "x":
        x = poisoned(XOR_X, value)
    elif which == "y":
        y = poisoned(XOR_Y, value, (2, 0))
    else:
        w = [poisoned(weights[0], value), weights[1]]
    with pytest.raises(ValueError, match=f"train: {which} holds {value!r}; learning needs finite numbers"):
        train(x, y, w, epochs=5)
    assert repr(weights) == repr(before)


@pytest.mark.parametrize("value", POISONS)
def test_perceptron_fit_refuses_nan_and_keeps_what_it_had_learned(value):
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, -1, -1, 1]
    p = Perceptron().fit(X, y)
    learned = repr(vars(p))
    with pytest.raises(ValueError, match=f"Perceptron.fit: X holds {value!r}; learning needs finite numbers"):
        p.fit(poisoned(X, value), y)
    assert repr(vars(p)) == learned


def _network():
    init.manual_seed(3)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())


@pytest.mark.parametrize("value", POISONS)
@pytest.mark.parametrize("criterion", [nn.MSELoss(), nn.BCELoss()], ids=["mse", "bce"])
def test_a_sequential_with_sgd_stops_before_the_step(criterion, value):
    """NaN in x stops at BatchNorm (training) or at the loss (eval); NaN in y at the loss: before any step."""
    model = _network()
    optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    before = repr(model.state_dict())
    with pytest.raises(ValueError, match="batch_norm: input holds .*; learning needs finite numbers"):
        criterion(model(poisoned(XOR_X, value)), XOR_Y)
    assert repr(model.state_dict()) == before        # the running statistics too
    model.eval()                                     # without BatchNorm's check, the loss refuses the output
    with pytest.raises(ValueError, match="input holds nan; learning needs finite numbers"):
        criterion(model(poisoned(XOR_X, NAN)), XOR_Y)
    assert repr(model.state_dict()) == before
    model.train()
    weights = repr(list(model.parameters()))
    with pytest.raises(ValueError, match=f"target holds {value!r}; learning needs finite numbers"):
        criterion(model(XOR_X), poisoned(XOR_Y, value, (2, 0)))     # a clean forward, then the loss refuses
    assert repr(list(model.parameters())) == weights and optimizer.state == {}


@pytest.mark.parametrize("value", POISONS)
def test_sgd_step_refuses_a_nan_gradient_and_moves_nothing(value):
    model = _network()
    optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    criterion = nn.MSELoss()
    criterion(model(XOR_X), XOR_Y).backward()
    optimizer.step()                                 # one good step: the momentum buffers exist
    optimizer.zero_grad()
    criterion(model(XOR_X), XOR_Y).backward()
    before = repr((model.state_dict(), optimizer.state))
    params = list(model.parameters())
    params[-1].grad = tensor([value])
    with pytest.raises(ValueError, match=f"SGD.step: params\\[{len(params) - 1}\\].grad holds {value!r}"):
        optimizer.step()
    assert repr((model.state_dict(), optimizer.state)) == before


@pytest.mark.parametrize("value", POISONS)
def test_standardize_refuses_nan(value):
    X = [[0.0, 10.0], [4.0, 30.0], [1.0, 20.0]]
    before = repr(X)
    with pytest.raises(ValueError, match=f"standardize: X holds {value!r}; learning needs finite numbers"):
        standardize(poisoned(X, value))
    with pytest.raises(ValueError, match=f"standardize: mean holds {value!r}"):
        standardize(X, [value, 0.0], [1.0, 1.0])
    assert repr(X) == before


# --- finite data that overflow in training --------------------------------------------------------

def test_mlp_train_stops_when_the_loss_overflows():
    weights = init_weights([3, 4, 1], seed=1)
    with pytest.raises(ValueError, match=r"train: the loss overflows a float \(inf\); lower lr, or scale x "
                                         r"and y \(epoch 0\)"):
        train(XOR_X, [[0], [1e200], [1], [0]], weights, epochs=3)


def test_perceptron_stops_when_its_weights_overflow():
    p = Perceptron(lr=1e308)
    with pytest.raises(ValueError, match="Perceptron.fit: the weights overflow a float in epoch 1"):
        p.fit([[1e308, -1e308], [-1e308, 1e308]], [1, -1])
    assert p.weights is None and p.mistakes == [] and p.history == []


def test_a_huge_but_finite_lr_saturates_the_sigmoid_and_stays_finite():
    """lr = 1e308 drives every output to 0 or 1, where σ' is 0: the weights stop, finite, the loss too."""
    trained = train(XOR_X, XOR_Y, init_weights([3, 4, 1], seed=1), epochs=10, lr=1e308)
    assert all_finite(trained.weights) and all(map(math.isfinite, trained.history))
    outputs = [row[0] for row in forward(trained.weights, XOR_X)[-1]]
    assert set(outputs) <= {0.0, 1.0}                              # saturated: each (t − o)² is 0 or 1,
    assert 2 * trained.history[-1] in (0, 1, 2, 3, 4)              # so the loss is half a count of misses


def test_init_never_fills_with_inf():
    for call, message in [
        (lambda: init.uniform_([0.0] * 4, -1e308, 1e308), "uniform_: the numbers would be drawn from"),
        (lambda: init.normal_([0.0] * 4, 0.0, 1e308), "normal_: the numbers would be drawn from"),
        (lambda: init.xavier_uniform_([[0.0] * 2 for _ in range(2)], gain=1e308), "xavier_uniform_:"),
    ]:
        with pytest.raises(ValueError, match=message):
            call()
    # the largest spreads that still fit: every number drawn is finite
    w = init.uniform_([0.0] * 1000, -8e307, 8e307, generator=random.Random(0))
    assert all_finite(w) and max(w) > 1e307
    w = init.normal_([0.0] * 1000, 0.0, 1e306, generator=random.Random(0))
    assert all_finite(w)
