"""The losses by hand, their stability at the edges, and their errors."""
import copy
import math

import pytest

from refnn import nn
from refnn.matrix import ShapeError
from refnn.tensors import tensor


def run(criterion, out, target, gradient=None):
    """The loss as a number and ∂loss/∂out as nested lists, by loss.backward()."""
    x = tensor(out, requires_grad=True)
    loss = criterion(x, target)
    loss.backward(None if gradient is None else tensor(gradient))
    return loss.item(), x.grad.tolist()


def test_mse_by_hand_with_both_reductions():
    out, target = [[1.0, 2.0], [3.0, 5.0]], [[1.0, 0.0], [4.0, 5.0]]
    assert run(nn.MSELoss(), out, target) == (5 / 4, [[0.0, 1.0], [-0.5, 0.0]])            # 2(x − t)/4
    assert run(nn.MSELoss(reduction="sum"), out, target) == (5.0, [[0.0, 4.0], [-2.0, 0.0]])  # 0 + 4 + 1 + 0


def test_mse_without_reduction_keeps_each_square():
    x = tensor([1.0, 3.0], requires_grad=True)
    loss = nn.MSELoss(reduction="none")(x, [0.0, 1.0])
    assert loss.tolist() == [1.0, 4.0]
    loss.backward(tensor([1.0, 0.5]))
    assert x.grad.tolist() == [2.0, 2.0]                                             # 2(x − t)·g


def test_backward_scales_by_the_gradient_of_the_loss():
    assert run(nn.MSELoss(), [2.0], [0.0], 0.5)[1] == [2.0]        # ½ · 2(2 − 0)


def test_bce_by_hand():
    p, t = [[0.8], [0.25]], [[1], [0]]
    loss, grad = run(nn.BCELoss(), p, t)            # grad: (p − t)/(p(1 − p))/2
    assert abs(loss - -(math.log(0.8) + math.log(0.75)) / 2) < 1e-15
    assert abs(grad[0][0] - (0.8 - 1) / (0.8 * 0.2) / 2) < 1e-15
    assert abs(grad[1][0] - 0.25 / (0.25 * 0.75) / 2) < 1e-15


def test_bce_of_saturated_outputs_is_finite_as_pytorchs_clamp():
    criterion = nn.BCELoss(reduction="sum")
    loss, grad = run(criterion, [1.0, 0.0, 1.0, 0.0], [0, 1, 1, 0])
    assert loss == 200.0 and all(math.isfinite(g) for g in grad)     # two logs of 0 clamped at −100
    assert criterion([1e-300], [1]).item() == 100.0                   # log 1e-300 ≈ −690.8 is clamped too


def test_cross_entropy_by_hand():
    criterion = nn.CrossEntropyLoss()
    x = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
    z = math.exp(1) + math.exp(2) + math.exp(3)
    expected = ((math.log(z) - 1.0) + (math.log(3) - 0.0)) / 2
    loss, grad = run(criterion, x, [0, 2])
    assert abs(loss - expected) < 1e-15
    assert abs(grad[0][0] - (math.exp(1) / z - 1) / 2) < 1e-15 and abs(grad[1][2] - (1 / 3 - 1) / 2) < 1e-15
    assert all(abs(sum(row)) < 1e-15 for row in grad)                 # softmax sums to 1, the one-hot too


def test_cross_entropy_is_stable_for_huge_logits():
    loss, grad = run(nn.CrossEntropyLoss(reduction="sum"), [[1000.0, 1000.0], [-1000.0, -1000.0]], [0, 1])
    assert abs(loss - 2 * math.log(2)) < 1e-12          # 1000 + log 2 − 1000 keeps 13 digits of log 2
    assert grad == [[-0.5, 0.5], [0.5, -0.5]]


def test_nll_after_log_softmax_is_the_cross_entropy():
    x = [[1.0, 2.0, 3.0], [0.5, 0.0, -1.0]]
    a = tensor(x, requires_grad=True)
    b = tensor(x, requires_grad=True)
    ce = nn.CrossEntropyLoss()(a, [2, 0])
    nll = nn.NLLLoss()(nn.functional.log_softmax(b, dim=1), [2, 0])
    ce.backward()
    nll.backward()
    assert abs(ce.item() - nll.item()) < 1e-15
    assert max(abs(u - v) for r, q in zip(a.grad.tolist(), b.grad.tolist()) for u, v in zip(r, q)) < 1e-15


def test_losses_do_not_change_their_arguments():
    out, target = [[0.5, 0.25]], [[1.0, 0.0]]
    saved = copy.deepcopy((out, target))
    for criterion in (nn.MSELoss(), nn.BCELoss()):
        run(criterion, out, target)
    labels = [1]
    nn.CrossEntropyLoss()(out, labels)
    assert (out, target) == saved and labels == [1]


BAD = [
    (nn.MSELoss(), [1.0, 2.0], [1.0], ShapeError,
     r"mse_loss: input of shape \(2,\) and target of shape \(1,\) differ"),
    (nn.MSELoss(), [], [], ShapeError, "is empty"),
    (nn.MSELoss(), [1.0, "2"], [1.0, 2.0], TypeError, "expected numbers, got str"),
    (nn.MSELoss(), [1.0], [math.inf], ValueError, "target holds inf"),
    (nn.BCELoss(), [-0.5], [1.0], ValueError, r"binary_cross_entropy: input\[0\] = -0.5 is not a"),
    (nn.BCELoss(), [0.5, 0.5], [1.0, 2.0], ValueError, r"target\[1\] = 2.0 is not a probability"),
    (nn.BCELoss(), [math.nan], [1.0], ValueError, "input holds nan"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [2], ValueError,
     r"cross_entropy: target\[0\] = 2 is not a class index of 2 classes \(0 to 1\)"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [-1], ValueError, "not a class index"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [True], TypeError, r"target\[0\] = True is a bool"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [0.0], TypeError, r"target\[0\] = 0.0 is a float; a class"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], 0, TypeError, "target must be a list of class indices, got int"),
    (nn.CrossEntropyLoss(), [[0.0, 1.0]], [0, 1], ShapeError, r"input of shape \(1, 2\) and 2 targets"),
    (nn.CrossEntropyLoss(), [0.0, 1.0], [1], ShapeError, r"input of shape \(2,\): expected \(N, C\)"),
    (nn.CrossEntropyLoss(), [[0.0, math.nan]], [1], ValueError, "input holds nan"),
]


@pytest.mark.parametrize("criterion, out, target, error, message", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_a_clear_error(criterion, out, target, error, message):
    with pytest.raises(error, match=message):
        criterion(out, target)


def test_reduction_must_be_none_mean_or_sum():
    for cls in (nn.MSELoss, nn.BCELoss, nn.CrossEntropyLoss, nn.NLLLoss):
        with pytest.raises(ValueError, match=f"{cls.__name__}: reduction must be 'none', 'mean' or 'sum', "
                                             f"got 'average'"):
            cls(reduction="average")


def test_the_loss_modules_hand_their_options_to_the_functions():
    from refnn.nn import functional as F
    x, t, w = [[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], [2, 0], [1.0, 2.0, 0.5]
    assert nn.CrossEntropyLoss(w, ignore_index=0, label_smoothing=0.1)(x, t).item() == \
        F.cross_entropy(x, t, w, ignore_index=0, label_smoothing=0.1).item() != F.cross_entropy(x, t).item()
    assert nn.NLLLoss(w, ignore_index=2)(x, t).item() == F.nll_loss(x, t, w, ignore_index=2).item() == 0.0
    p, y = [[0.2, 0.9]], [[0.0, 1.0]]
    assert nn.BCELoss([2.0, 0.5])(p, y).item() == F.binary_cross_entropy(p, y, [2.0, 0.5]).item()
    scores = [[1.0, -2.0]]
    assert nn.BCEWithLogitsLoss([2.0, 0.5], pos_weight=[3.0, 1.0])(scores, y).item() == \
        F.binary_cross_entropy_with_logits(scores, y, [2.0, 0.5], pos_weight=[3.0, 1.0]).item()
    with pytest.raises(ValueError, match=r"label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match="BCELoss: weight of shape"):
        nn.BCELoss(weight=[])
