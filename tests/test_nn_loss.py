"""The losses by hand, their stability at the edges, and their errors."""
import copy
import math

import pytest

from refnn import nn
from refnn.matrix import ShapeError


def test_mse_by_hand_with_both_reductions():
    out, target = [[1.0, 2.0], [3.0, 5.0]], [[1.0, 0.0], [4.0, 5.0]]
    mean, total = nn.MSELoss(), nn.MSELoss(reduction="sum")
    assert mean(out, target) == 5 / 4 and total(out, target) == 5.0           # 0 + 4 + 1 + 0
    assert mean.backward() == [[0.0, 1.0], [-0.5, 0.0]]                          # 2(x − t)/4
    assert total.backward() == [[0.0, 4.0], [-2.0, 0.0]]


def test_backward_scales_by_the_gradient_of_the_loss():
    criterion = nn.MSELoss()
    criterion([2.0], [0.0])
    assert criterion.backward(0.5) == [2.0]        # ½ · 2(2 − 0)


def test_bce_by_hand():
    criterion = nn.BCELoss()
    p, t = [[0.8], [0.25]], [[1], [0]]
    assert abs(criterion(p, t) - -(math.log(0.8) + math.log(0.75)) / 2) < 1e-15
    grad = criterion.backward()                     # (p − t)/(p(1 − p))/2
    assert abs(grad[0][0] - (0.8 - 1) / (0.8 * 0.2) / 2) < 1e-15
    assert abs(grad[1][0] - 0.25 / (0.25 * 0.75) / 2) < 1e-15


def test_bce_of_saturated_outputs_is_finite_as_pytorchs_clamp():
    criterion = nn.BCELoss(reduction="sum")
    assert criterion([1.0, 0.0, 1.0, 0.0], [0, 1, 1, 0]) == 200.0     # two logs of 0 clamped at −100
    assert all(math.isfinite(g) for g in criterion.backward())
    assert criterion([1e-300], [1]) == 100.0                          # log 1e-300 ≈ −690.8 is clamped too


def test_cross_entropy_by_hand():
    criterion = nn.CrossEntropyLoss()
    x = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
    z = math.exp(1) + math.exp(2) + math.exp(3)
    expected = ((math.log(z) - 1.0) + (math.log(3) - 0.0)) / 2
    assert abs(criterion(x, [0, 2]) - expected) < 1e-15
    grad = criterion.backward()
    assert abs(grad[0][0] - (math.exp(1) / z - 1) / 2) < 1e-15 and abs(grad[1][2] - (1 / 3 - 1) / 2) < 1e-15
    assert all(abs(sum(row)) < 1e-15 for row in grad)                 # softmax sums to 1, the one-hot too


def test_cross_entropy_is_stable_for_huge_logits():
    criterion = nn.CrossEntropyLoss(reduction="sum")
    loss = criterion([[1000.0, 1000.0], [-1000.0, -1000.0]], [0, 1])
    assert abs(loss - 2 * math.log(2)) < 1e-12          # 1000 + log 2 − 1000 keeps 13 digits of log 2
    assert criterion.backward() == [[-0.5, 0.5], [0.5, -0.5]]


def test_losses_do_not_change_their_arguments():
    out, target = [[0.5, 0.25]], [[1.0, 0.0]]
    saved = copy.deepcopy((out, target))
    for criterion in (nn.MSELoss(), nn.BCELoss()):
        criterion(out, target)
        criterion.backward()
    labels = [1]
    nn.CrossEntropyLoss()(out, labels)
    assert (out, target) == saved and labels == [1]


BAD = [
    (nn.MSELoss(), [1.0, 2.0], [1.0], ShapeError,
     r"MSELoss\(\): input of shape \(2,\) and target of shape \(1,\) differ"),
    (nn.MSELoss(), [], [], ShapeError, "is empty"),
    (nn.MSELoss(), [1.0, "2"], [1.0, 2.0], TypeError, "expected numbers, got str"),
    (nn.MSELoss(), [1.0], [math.inf], ValueError, "target holds inf"),
    (nn.BCELoss(), [-0.5], [1.0], ValueError, r"BCELoss\(\): input\[0\] = -0.5 is not a probability"),
    (nn.BCELoss(), [0.5, 0.5], [1.0, 2.0], ValueError, r"target\[1\] = 2.0 is not a probability"),
    (nn.BCELoss(), [math.nan], [1.0], ValueError, "input holds nan"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [2], ValueError,
     r"CrossEntropyLoss\(\): target\[0\] = 2 is not a class index of 2 classes \(0 to 1\)"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [-1], ValueError, "not a class index"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [True], TypeError, r"target\[0\] = True is a bool"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [0.0], TypeError, r"target\[0\] = 0.0 is a float; a class"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], 0, TypeError, "target must be a list of class indices, got int"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [0, 1], ShapeError, r"input of shape \(1, 2\) and 2 targets"),
    (nn.CrossEntropyLoss(), [0.0, 1.0], [1], ShapeError, r"input of shape \(2,\): expected logits of shape"),
    (nn.CrossEntropyLoss(), [[0.0, math.nan]], [1], ValueError, "input holds nan"),
]


@pytest.mark.parametrize("criterion, out, target, error, message", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_a_clear_error(criterion, out, target, error, message):
    with pytest.raises(error, match=message):
        criterion(out, target)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        criterion.backward()


def test_reduction_must_be_mean_or_sum():
    for cls in (nn.MSELoss, nn.BCELoss, nn.CrossEntropyLoss):
        with pytest.raises(ValueError, match=f"{cls.__name__}: reduction must be 'mean' or 'sum', got 'no"):
            cls(reduction="none")
