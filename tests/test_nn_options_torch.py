"""The options of #12 held against PyTorch in float64: every case of tests/test_nn_options.py, and more.

Each case runs the same source text on ``refnn.nn.functional`` and on
``torch.nn.functional``: the output and the gradient of every input that
takes one must agree within 1e-10 (max_relative_error).  max_pool2d's
``return_indices`` is compared index for index; dropout, whose masks come
from two different generators, by the mask (torch's mask handed to refnn's
Dropout Function: the same numbers and gradients) and by its statistics
(the share dropped, the scale of the rest).  ``OPTIONS_TORCH`` counts the
comparisons per option.
"""
import math
import random
from collections import Counter

import pytest

from refnn import gradcheck, init
from refnn.nn import _functions, functional as F
from refnn.tensors import tensor

from test_nn_functional import rand, reduce, torch_gaps, weights_for
from test_nn_options import CASES

OPTIONS_TORCH = Counter()
TOL = 1e-10


@pytest.mark.parametrize("option, run, args, wrt, use_sympy, use_torch", [c for c in CASES if c.values[5]])
def test_forward_and_backward_as_torch(torch, option, run, args, wrt, use_sympy, use_torch):
    gaps = torch_gaps(torch, run, args, wrt)
    assert max(gaps) < TOL, (option, gaps)
    OPTIONS_TORCH[option] += len(gaps)


R = random.Random(4)
INDEX_CASES = [  # kernel, stride, padding, dilation, ceil_mode, input shape
    (2, None, 0, 1, False, (1, 2, 4, 4)),
    (3, 2, 1, 1, False, (2, 1, 5, 6)),
    (2, 1, 0, 2, False, (1, 1, 5, 5)),
    (3, 2, 1, 1, True, (1, 2, 6, 6)),
    ((2, 3), (1, 2), (1, 1), (2, 1), True, (3, 5, 7)),
]


@pytest.mark.parametrize("config", INDEX_CASES, ids=str)
def test_max_pool2d_return_indices_as_torch(torch, config):
    k, s, p, d, ceil, shape = config
    x = rand(shape, R)
    out, indices = F.max_pool2d(x, k, s, p, d, ceil, return_indices=True)
    out_t, indices_t = torch.nn.functional.max_pool2d(torch.tensor(x), k, s, p, d, ceil, return_indices=True)
    assert gradcheck.max_relative_error(out.tolist(), out_t.tolist()) < TOL
    assert indices.tolist() == indices_t.tolist()
    OPTIONS_TORCH["max_pool2d return_indices"] += 2


def test_max_pool2d_ties_with_padding_and_dilation_as_torch(torch):
    x = [[[[1.0, 1.0, 0.0, 1.0], [1.0, 1.0, 2.0, 2.0], [2.0, 0.0, 2.0, 2.0]]]]
    out, indices = F.max_pool2d(x, 3, stride=1, padding=1, dilation=1, return_indices=True)
    out_t, indices_t = torch.nn.functional.max_pool2d(torch.tensor(x), 3, stride=1, padding=1,
                                                      return_indices=True)
    assert out.tolist() == out_t.tolist() and indices.tolist() == indices_t.tolist()
    OPTIONS_TORCH["max_pool2d padding"] += 2


# --- dropout -------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_function_on_torchs_mask(torch, p):
    """torch draws a mask; refnn's Dropout Function given that mask gives torch's output and gradient."""
    x = rand((6, 7), R)
    torch.manual_seed(int(p * 10))
    xt = torch.tensor(x, requires_grad=True)
    out_t = torch.nn.functional.dropout(xt, p)
    mask = [[(1 / (1 - p)) if o != 0 else 0.0 for o in row] for row in out_t.tolist()]
    ours = tensor(x, requires_grad=True)
    out = _functions.Dropout.apply(ours, mask)
    weights = weights_for((6, 7))
    reduce(out, weights).backward()
    (out_t * torch.tensor(weights)).sum().backward()
    assert out.tolist() == out_t.tolist()
    assert ours.grad.tolist() == xt.grad.tolist()
    OPTIONS_TORCH["dropout p"] += 2


def dropped_share_is_plausible(values, p):
    """The share of zeros is within 5 standard deviations of p (binomial): a wrong p fails, chance won't."""
    n = len(values)
    share = sum(v == 0 for v in values) / n
    return abs(share - p) <= 5 * math.sqrt(p * (1 - p) / n) + 1e-12


@pytest.mark.parametrize("p", [0.1, 0.5, 0.75])
def test_dropout_statistics_as_torch(torch, p):
    """Both drop about p of 4000 ones and scale every other one to exactly 1/(1 − p)."""
    ones = [1.0] * 4000
    init.manual_seed(7)
    torch.manual_seed(7)
    ours, theirs = F.dropout(ones, p).tolist(), torch.nn.functional.dropout(torch.tensor(ones), p).tolist()
    assert dropped_share_is_plausible(ours, p) and dropped_share_is_plausible(theirs, p)
    assert {v for v in ours if v} == {v for v in theirs if v} == {1 / (1 - p)}
    OPTIONS_TORCH["dropout p"] += 2


@pytest.mark.parametrize("p, training", [(0.0, True), (1.0, True), (0.5, False), (1.0, False)])
def test_dropout_edges_as_torch(torch, p, training):
    x = rand((3, 4), R)
    ours = tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    out, out_t = F.dropout(ours, p, training), torch.nn.functional.dropout(xt, p, training)
    assert out.tolist() == out_t.tolist()
    reduce(out, weights_for((3, 4))).backward()
    (out_t * torch.tensor(weights_for((3, 4)))).sum().backward()
    assert ours.grad.tolist() == xt.grad.tolist()
    OPTIONS_TORCH["dropout training"] += 2


def test_dropout_refuses_p_outside_the_unit_interval_as_torch(torch):
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError) as ours:
            F.dropout([1.0], p)
        with pytest.raises(ValueError) as theirs:
            torch.nn.functional.dropout(torch.tensor([1.0]), p)
        assert str(ours.value) == str(theirs.value)
    OPTIONS_TORCH["dropout p"] += 2


def test_loss_with_every_target_ignored_is_nan_as_torch(torch):
    x = rand((2, 3), R)
    for labels, weight in (([-100, -100], None), ([1, 1], [1.0, 0.0, 1.0])):
        ours = F.cross_entropy(x, labels, weight).item()
        weight_t = None if weight is None else torch.tensor(weight)
        theirs = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(labels), weight_t).item()
        assert math.isnan(ours) and math.isnan(theirs)
        OPTIONS_TORCH["cross_entropy ignore_index"] += 1
