"""The options of #12 on refnn.nn.functional, checked by sympy and central differences (PyTorch: *_torch.py).

Conv2d's ``dilation``, ``groups`` and ``padding="same"/"valid"``; the
pools' ``padding``, ``dilation``, ``ceil_mode``, ``count_include_pad`` and
``divisor_override``; the losses' ``reduction``, ``weight``,
``ignore_index``, ``label_smoothing``, class-probability targets and
``pos_weight`` (``binary_cross_entropy_with_logits``); ``dropout`` (its mask
drawn after a fixed seed, so every call of the oracles sees the same one);
``leaky_relu``; softmax and log_softmax along any dim.  Each case is
reduced to L = Σ out·R as in tests/test_nn_functional.py, whose oracles
these tests reuse; ``OPTIONS`` counts the checks per option.
"""
import copy
import itertools
import random
from collections import Counter

import pytest

from refnn import gradcheck, init
from refnn.nn import functional as F

from test_nn_functional import rand, reduce, refnn_run, sympy_gaps, weights_for

OPTIONS = Counter()         # (option, oracle) → checks passed

R = random.Random(1212)


NUMBERS = itertools.count()


def case(option, run, args, wrt, sympy=True, torch=True):
    return pytest.param(option, run, args, wrt, sympy, torch, id=f"{option} #{next(NUMBERS)}")


def seeded_dropout(F, x, p):
    """refnn's dropout after a fixed seed: the same mask on every call (the oracles call it many times)."""
    init.manual_seed(12)
    return F.dropout(x, p)


CASES = []
CASES += [
    case("conv2d dilation", lambda F, x, w, b: F.conv2d(x, w, b, dilation=(2, 1)),
         [rand((1, 2, 5, 5), R), rand((3, 2, 2, 2), R), rand((3,), R)], (0, 1, 2)),
    case("conv2d groups", lambda F, x, w, b: F.conv2d(x, w, b, groups=2),
         [rand((1, 4, 3, 3), R), rand((4, 2, 2, 2), R), rand((4,), R)], (0, 1, 2)),
    case("conv2d groups", lambda F, x, w, b: F.conv2d(x, w, b, groups=2),
         [rand((2, 4, 4, 4), R), rand((4, 2, 2, 2), R), rand((4,), R)], (0, 1, 2), False),
    case("conv2d groups", lambda F, x, w: F.conv2d(x, w, groups=3),                 # depthwise
         [rand((1, 3, 4, 4), R), rand((3, 1, 2, 2), R)], (0, 1)),
    case("conv2d padding='same'", lambda F, x, w, b: F.conv2d(x, w, b, padding="same"),
         [rand((1, 1, 4, 4), R), rand((2, 1, 3, 3), R), rand((2,), R)], (0, 1, 2)),
    case("conv2d padding='same'", lambda F, x, w: F.conv2d(x, w, padding="same"),   # even kernel: uneven
         [rand((1, 2, 4, 5), R), rand((1, 2, 2, 3), R)], (0, 1)),
    case("conv2d padding='same'", lambda F, x, w: F.conv2d(x, w, padding="same", dilation=(1, 2)),
         [rand((2, 4, 4), R), rand((2, 2, 2, 2), R)], (0, 1)),
    case("conv2d padding='valid'", lambda F, x, w: F.conv2d(x, w, padding="valid"),
         [rand((1, 1, 3, 4), R), rand((1, 1, 2, 2), R)], (0, 1)),
    case("conv2d all options", lambda F, x, w, b: F.conv2d(x, w, b, stride=2, padding=(1, 2), dilation=(2, 1),
                                                           groups=2),
         [rand((2, 4, 7, 6), R), rand((2, 2, 3, 2), R), rand((2,), R)], (0, 1, 2)),
]
CASES += [
    case("max_pool2d padding", lambda F, x: F.max_pool2d(x, 3, stride=2, padding=1), [rand((1, 2, 5, 5), R)],
         (0,), False),
    case("max_pool2d dilation", lambda F, x: F.max_pool2d(x, 2, stride=1, dilation=2),
         [rand((1, 1, 5, 5), R)], (0,), False),
    case("max_pool2d ceil_mode", lambda F, x: F.max_pool2d(x, 2, ceil_mode=True), [rand((1, 1, 5, 5), R)],
         (0,), False),
    case("max_pool2d ceil_mode", lambda F, x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True),
         [rand((2, 6, 6), R)], (0,), False),
    case("max_pool2d return_indices",
         lambda F, x: F.max_pool2d(x, (2, 3), stride=(1, 2), return_indices=True)[0],
         [rand((1, 2, 4, 5), R)], (0,), False),
    case("avg_pool2d padding", lambda F, x: F.avg_pool2d(x, 3, stride=2, padding=1), [rand((1, 2, 5, 5), R)],
         (0,)),
    case("avg_pool2d count_include_pad", lambda F, x: F.avg_pool2d(x, 3, stride=2, padding=1,
                                                                   count_include_pad=False),
         [rand((1, 2, 5, 5), R)], (0,)),
    case("avg_pool2d ceil_mode", lambda F, x: F.avg_pool2d(x, 2, ceil_mode=True), [rand((1, 1, 5, 5), R)],
         (0,)),
    case("avg_pool2d ceil_mode", lambda F, x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True),
         [rand((1, 6, 6), R)], (0,)),
    case("avg_pool2d ceil_mode", lambda F, x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True,
                                                           count_include_pad=False),
         [rand((1, 1, 6, 6), R)], (0,)),
    case("avg_pool2d divisor_override", lambda F, x: F.avg_pool2d(x, 2, divisor_override=3),
         [rand((1, 2, 4, 4), R)], (0,)),
]
LABELS, IGNORED = [0, 3, 1, 2], [0, -100, 3, 1]
CASES += [
    *(case(f"mse_loss reduction={r!r}", lambda F, x, t, r=r: F.mse_loss(x, t, reduction=r),
           [rand((2, 1, 3), R), rand((2, 1, 3), R)], (0, 1)) for r in ("none", "mean", "sum")),
    *(case(f"binary_cross_entropy reduction={r!r}",
           lambda F, p, t, r=r: F.binary_cross_entropy(p, t, reduction=r),
           [rand((2, 3), R, 0.05, 0.95), rand((2, 3), R, 0, 1)], (0,)) for r in ("none", "mean", "sum")),
    *(case("binary_cross_entropy weight",
           lambda F, p, t, w, r=r: F.binary_cross_entropy(p, t, w, reduction=r),
           [rand((2, 3), R, 0.05, 0.95), rand((2, 3), R, 0, 1), rand((3,), R, 0, 2)], (0,))
      for r in ("none", "mean", "sum")),
    *(case(f"nll_loss reduction={r!r}", lambda F, x, t, r=r: F.nll_loss(x, t, reduction=r),
           [rand((4, 5), R, -3, 0), LABELS], (0,)) for r in ("none", "mean", "sum")),
    *(case("nll_loss weight", lambda F, x, t, w, r=r: F.nll_loss(x, t, w, reduction=r),
           [rand((4, 5), R, -3, 0), LABELS, rand((5,), R, 0.1, 2)], (0,)) for r in ("none", "mean", "sum")),
    *(case("nll_loss ignore_index",
           lambda F, x, t, w, r=r: F.nll_loss(x, t, w, ignore_index=-100, reduction=r),
           [rand((4, 5), R, -3, 0), IGNORED, rand((5,), R, 0.1, 2)], (0,)) for r in ("none", "mean", "sum")),
    case("nll_loss ignore_index", lambda F, x, t: F.nll_loss(x, t, ignore_index=3),
         [rand((4, 5), R, -3, 0), LABELS], (0,)),
    *(case(f"cross_entropy reduction={r!r}", lambda F, x, t, r=r: F.cross_entropy(x, t, reduction=r),
           [rand((4, 5), R, -2, 2), LABELS], (0,)) for r in ("none", "mean", "sum")),
    *(case("cross_entropy weight", lambda F, x, t, w, r=r: F.cross_entropy(x, t, w, reduction=r),
           [rand((4, 5), R, -2, 2), LABELS, rand((5,), R, 0.1, 2)], (0,)) for r in ("none", "mean", "sum")),
    *(case("cross_entropy ignore_index",
           lambda F, x, t, r=r: F.cross_entropy(x, t, ignore_index=-100, reduction=r),
           [rand((4, 5), R, -2, 2), IGNORED], (0,)) for r in ("none", "mean", "sum")),
    *(case("cross_entropy label_smoothing", lambda F, x, t, r=r: F.cross_entropy(x, t, reduction=r,
                                                                                 label_smoothing=0.2),
           [rand((4, 5), R, -2, 2), LABELS], (0,)) for r in ("none", "mean", "sum")),
    *(case("cross_entropy label_smoothing", lambda F, x, t, w, r=r: F.cross_entropy(
        x, t, w, ignore_index=1, reduction=r, label_smoothing=0.3),
        [rand((4, 5), R, -2, 2), LABELS, rand((5,), R, 0.1, 2)], (0,)) for r in ("none", "mean", "sum")),
    *(case("cross_entropy probabilities", lambda F, x, q, r=r: F.cross_entropy(x, q, reduction=r),
           [rand((3, 4), R, -2, 2), rand((3, 4), R, 0, 1)], (0, 1)) for r in ("none", "mean", "sum")),
    *(case("cross_entropy probabilities", lambda F, x, q, w, r=r: F.cross_entropy(x, q, w, reduction=r,
                                                                                  label_smoothing=0.1),
           [rand((3, 4), R, -2, 2), rand((3, 4), R, 0, 1), rand((4,), R, 0.1, 2)], (0, 1))
      for r in ("none", "mean", "sum")),
    *(case(f"binary_cross_entropy_with_logits reduction={r!r}",
           lambda F, x, t, r=r: F.binary_cross_entropy_with_logits(x, t, reduction=r),
           [rand((3, 2), R, -4, 4), rand((3, 2), R, 0, 1)], (0, 1)) for r in ("none", "mean", "sum")),
    *(case("binary_cross_entropy_with_logits pos_weight",
           lambda F, x, t, pw, r=r: F.binary_cross_entropy_with_logits(x, t, reduction=r, pos_weight=pw),
           [rand((3, 2), R, -4, 4), rand((3, 2), R, 0, 1), rand((2,), R, 0.5, 3)], (0, 1))
      for r in ("none", "mean", "sum")),
    case("binary_cross_entropy_with_logits weight",
         lambda F, x, t, w, pw: F.binary_cross_entropy_with_logits(x, t, w, pos_weight=pw),
         [rand((2, 2, 3), R, -30, 30), rand((2, 2, 3), R, 0, 1), rand((2, 1), R, 0, 2),
          rand((3,), R, 0.5, 3)], (0, 1)),
]
CASES += [
    *(case(f"pad mode={m!r}", lambda F, x, m=m: F.pad(x, (2, 1, 1, 2), mode=m), [rand((2, 2, 3, 4), R)], (0,))
      for m in ("constant", "reflect", "replicate", "circular")),
    case("pad mode='constant'", lambda F, x: F.pad(x, (0, 2), value=1.5), [rand((2, 3, 2), R)], (0,)),
    case("pad mode='circular'", lambda F, x: F.pad(x, (3, 0, 0, 2), mode="circular"), [rand((1, 2, 3), R)],
         (0,)),
    case("batch_norm (N, C, L)", lambda F, x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=True),
         [rand((2, 2, 2), R), rand((2,), R), rand((2,), R, 0.5, 2), rand((2,), R), rand((2,), R)], (0, 3, 4)),
    case("batch_norm (N, C, L)", lambda F, x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=True),   # big
         [rand((3, 2, 4), R), rand((2,), R), rand((2,), R, 0.5, 2), rand((2,), R), rand((2,), R)], (0, 3, 4),
         False),
    case("batch_norm (N, C, L)", lambda F, x, m, v, w, b: F.batch_norm(x, m, v, w, b),
         [rand((3, 2, 4), R), rand((2,), R), rand((2,), R, 0.5, 2), rand((2,), R), rand((2,), R)], (0, 3, 4)),
    case("batch_norm (N, C, H, W)", lambda F, x, w, b: F.batch_norm(x, None, None, w, b, training=True),
         [rand((2, 2, 1, 2), R), rand((2,), R), rand((2,), R)], (0, 1, 2)),
    case("batch_norm (N, C, H, W)", lambda F, x, w, b: F.batch_norm(x, None, None, w, b, training=True),
         [rand((2, 3, 2, 3), R), rand((3,), R), rand((3,), R)], (0, 1, 2), False),          # sympy: minutes
    case("batch_norm (N, C, H, W)", lambda F, x, m, v: F.batch_norm(x, m, v, training=False, eps=0.1),
         [rand((2, 2, 3, 3), R), rand((2,), R), rand((2,), R, 0.5, 2)], (0,)),
    case("dropout p", lambda F, x: seeded_dropout(F, x, 0.3), [rand((3, 4), R)], (0,), torch=False),
    case("dropout p", lambda F, x: seeded_dropout(F, x, 0.8), [rand((2, 1, 2, 3), R)], (0,), torch=False),
    case("leaky_relu negative_slope", lambda F, x: F.leaky_relu(x), [rand((3, 4), R)], (0,)),
    case("leaky_relu negative_slope", lambda F, x: F.leaky_relu(x, 0.2), [rand((2, 3, 2), R)], (0,)),
    case("leaky_relu negative_slope", lambda F, x: F.leaky_relu(x, -1.5), [rand((5,), R)], (0,)),
    case("softmax dim", lambda F, x: F.softmax(x, dim=0), [rand((3, 4), R, -2, 2)], (0,)),
    case("softmax dim", lambda F, x: F.softmax(x, dim=1), [rand((2, 3, 4), R, -2, 2)], (0,)),
    case("softmax dim", lambda F, x: F.softmax(x, dim=-3), [rand((2, 3, 2, 2), R, -2, 2)], (0,)),
    case("log_softmax dim", lambda F, x: F.log_softmax(x, dim=0), [rand((3, 4), R, -2, 2)], (0,)),
    case("log_softmax dim", lambda F, x: F.log_softmax(x, dim=2), [rand((2, 2, 3, 2), R, -2, 2)], (0,)),
]


@pytest.mark.parametrize("option, run, args, wrt, use_sympy, use_torch", CASES)
def test_central_differences(option, run, args, wrt, use_sympy, use_torch):
    out, leaves = refnn_run(run, args, wrt)
    weights = weights_for(out.shape)
    reduce(out, weights).backward()
    for k, i in enumerate(wrt):
        def L(value, i=i):
            moved = copy.deepcopy(args)
            moved[i] = value
            return reduce(run(F, *moved), weights).item()
        numeric = gradcheck.numeric_gradient(L, args[i])
        assert gradcheck.max_relative_error(leaves[k].grad.tolist(), numeric) < 1e-6, (option, i)
        OPTIONS[option, "central"] += 1


@pytest.mark.parametrize("option, run, args, wrt, use_sympy, use_torch", [c for c in CASES if c.values[4]])
def test_sympy(option, run, args, wrt, use_sympy, use_torch):
    gaps = sympy_gaps(run, args, wrt)
    assert max(gaps) < 1e-9, (option, gaps)
    OPTIONS[option, "sympy"] += len(wrt)
