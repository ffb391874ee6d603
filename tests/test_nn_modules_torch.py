"""The modules of #12 against PyTorch's own, float64: the same source text builds both, with refnn's state.

Each case builds a module from ``refnn.nn`` and from ``torch.nn`` with the
same arguments, copies refnn's state_dict into torch's (so the keys must
be PyTorch's), and compares the repr, the state_dict's keys, the output,
the gradient of the input and of every parameter (L = Σ out·R), and, for
the stateful BatchNorm, the running statistics and ``num_batches_tracked``
after every one of several training steps, then the output in eval mode.
Dropout's masks come from different generators, so its training output is
compared by statistics; its eval output, and p = 0, exactly.
``MODULES_TORCH`` counts the comparisons per part and option.
"""
import random
from collections import Counter

import pytest

from refnn import init, nn
from refnn.gradcheck import max_relative_error
from refnn.tensors import tensor

from test_nn_functional import weights_for
from test_nn_options_torch import dropped_share_is_plausible
from test_nn_torch import rand

MODULES_TORCH = Counter()
TOL = 1e-10
R = random.Random(1212)


def twins(torch, build):
    """build(refnn.nn) and build(torch.nn), torch's holding refnn's state_dict; their reprs and keys agree."""
    init.manual_seed(12)
    ours, theirs = build(nn), build(torch.nn)
    state = ours.state_dict()
    assert list(state) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.tensor(v.tolist()) for k, v in state.items()})
    assert repr(ours) == repr(theirs)
    MODULES_TORCH["repr and state_dict keys"] += 2
    return ours, theirs


def step(torch, part, ours, theirs, x, *extra):
    """One forward and backward of both on x (and extra arguments: a target); compare all that came out."""
    xs, xt = tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    extra_t = [torch.tensor(e) for e in extra]
    out, out_t = ours(xs, *extra), theirs(xt, *extra_t)
    assert max_relative_error(out.tolist(), out_t.tolist()) < TOL, part
    weights = weights_for(out.shape)
    (out * tensor(weights)).sum().backward()
    (out_t * torch.tensor(weights)).sum().backward()
    assert max_relative_error(xs.grad.tolist(), xt.grad.tolist()) < TOL, part
    grads = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        assert max_relative_error(p.grad.tolist(), grads[name].grad.tolist()) < TOL, (part, name)
    MODULES_TORCH[part] += 2 + len(grads)        # output, input's gradient, each parameter's


# --- BatchNorm: several steps of training, then eval -------------------------------

BATCHNORMS = [  # part, build, input shape
    ("BatchNorm2d", lambda nn: nn.BatchNorm2d(3), (4, 3, 2, 3)),
    ("BatchNorm2d momentum=None", lambda nn: nn.BatchNorm2d(2, momentum=None), (3, 2, 2, 2)),
    ("BatchNorm2d affine=False", lambda nn: nn.BatchNorm2d(2, eps=1e-3, momentum=0.3, affine=False),
     (2, 2, 3, 2)),
    ("BatchNorm2d track_running_stats=False", lambda nn: nn.BatchNorm2d(2, track_running_stats=False),
     (3, 2, 2, 2)),
    ("BatchNorm2d bias=False", lambda nn: nn.BatchNorm2d(2, bias=False), (2, 2, 2, 3)),
    ("BatchNorm1d (N, C, L)", lambda nn: nn.BatchNorm1d(3, momentum=0.2), (4, 3, 5)),
    ("BatchNorm1d momentum=None", lambda nn: nn.BatchNorm1d(3, momentum=None), (5, 3)),
    ("BatchNorm1d (N, C, L) momentum=None", lambda nn: nn.BatchNorm1d(2, momentum=None), (2, 2, 3)),
    ("BatchNorm1d affine=False", lambda nn: nn.BatchNorm1d(3, affine=False), (4, 3)),
    ("BatchNorm1d track_running_stats=False", lambda nn: nn.BatchNorm1d(3, track_running_stats=False),
     (4, 3, 2)),
]


@pytest.mark.parametrize("part, build, shape", BATCHNORMS, ids=[b[0] for b in BATCHNORMS])
def test_batchnorm_over_several_steps_then_eval_as_torch(torch, part, build, shape):
    ours, theirs = twins(torch, build)
    for k in range(4):
        step(torch, part, ours, theirs, rand(shape, R, -2 + k, 3 + 2 * k))      # batches of moving statistics
        for name, buffer in theirs.named_buffers():
            assert max_relative_error(getattr(ours, name).tolist(), buffer.tolist()) < 1e-12, (part, name, k)
            MODULES_TORCH[part] += 1
    ours.eval(), theirs.eval()
    step(torch, f"{part} eval", ours, theirs, rand(shape, R))


# --- Dropout ----------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.0, 0.25, 0.5, 0.9])
def test_dropout_module_as_torch(torch, p):
    ours, theirs = twins(torch, lambda nn: nn.Dropout(p))
    step(torch, "Dropout eval", ours.eval(), theirs.eval(), rand((3, 4), R))
    ours.train(), theirs.train()
    ones = [[1.0] * 50 for _ in range(40)]
    out, out_t = ours(ones).tolist(), theirs(torch.tensor(ones)).tolist()
    flat, flat_t = [v for row in out for v in row], [v for row in out_t for v in row]
    assert dropped_share_is_plausible(flat, p) and dropped_share_is_plausible(flat_t, p)
    assert {v for v in flat if v} == {v for v in flat_t if v} == {1 / (1 - p)}
    MODULES_TORCH["Dropout training"] += 2


def test_dropout_refuses_p_as_torch(torch):
    for p in (-0.5, 2):
        with pytest.raises(ValueError) as ours:
            nn.Dropout(p)
        with pytest.raises(ValueError) as theirs:
            torch.nn.Dropout(p)
        assert str(ours.value) == str(theirs.value)
        MODULES_TORCH["Dropout p"] += 1


# --- the stateless parts ----------------------------------------------------------

STATELESS = [  # part, build, input shape
    ("Softmax", lambda nn: nn.Softmax(dim=1), (3, 4)),
    ("Softmax", lambda nn: nn.Softmax(dim=0), (3, 2, 2)),
    ("Softmax", lambda nn: nn.Softmax(dim=-1), (2, 2, 3)),
    ("LogSoftmax", lambda nn: nn.LogSoftmax(dim=1), (2, 5)),
    ("LogSoftmax", lambda nn: nn.LogSoftmax(dim=1), (2, 3, 2, 2)),
    ("LeakyReLU", lambda nn: nn.LeakyReLU(), (3, 4)),
    ("LeakyReLU", lambda nn: nn.LeakyReLU(0.3), (2, 2, 3)),
    ("Identity", lambda nn: nn.Sequential(nn.Identity(), nn.Tanh()), (2, 3)),
    ("Linear (*, in_features)", lambda nn: nn.Linear(3, 2), (2, 4, 3)),
    ("Linear (*, in_features)", lambda nn: nn.Linear(2, 3, bias=False), (2, 1, 3, 2)),
    ("Conv2d dilation", lambda nn: nn.Conv2d(2, 3, 2, dilation=(2, 1)), (2, 2, 5, 4)),
    ("Conv2d groups", lambda nn: nn.Conv2d(4, 6, 3, groups=2, padding=1), (2, 4, 4, 3)),
    ("Conv2d groups", lambda nn: nn.Conv2d(3, 3, 2, groups=3, bias=False), (1, 3, 3, 3)),
    ("Conv2d padding='same'", lambda nn: nn.Conv2d(2, 2, (2, 3), padding="same"), (2, 2, 4, 4)),
    ("Conv2d padding='valid'", lambda nn: nn.Conv2d(1, 2, 3, padding="valid"), (1, 1, 4, 5)),
    *((f"Conv2d padding_mode={m!r}", lambda nn, m=m: nn.Conv2d(2, 2, 3, padding=(1, 2), padding_mode=m),
       (2, 2, 4, 5)) for m in ("reflect", "replicate", "circular")),
    *((f"Conv2d padding_mode={m!r}", lambda nn, m=m: nn.Conv2d(1, 2, (2, 3), padding="same", dilation=2,
                                                                  padding_mode=m), (1, 1, 5, 5))
      for m in ("zeros", "reflect", "replicate", "circular")),
    ("Conv2d all options", lambda nn: nn.Conv2d(4, 2, 3, stride=2, padding=2, dilation=2, groups=2,
                                                padding_mode="circular"), (2, 4, 6, 5)),
    ("MaxPool2d padding", lambda nn: nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 5, 5)),
    ("MaxPool2d dilation", lambda nn: nn.MaxPool2d(2, stride=1, dilation=(2, 1)), (1, 2, 5, 4)),
    ("MaxPool2d ceil_mode", lambda nn: nn.MaxPool2d(2, ceil_mode=True), (1, 2, 5, 3)),
    ("AvgPool2d padding", lambda nn: nn.AvgPool2d(3, stride=2, padding=1), (2, 2, 5, 5)),
    ("AvgPool2d count_include_pad", lambda nn: nn.AvgPool2d(3, 2, 1, count_include_pad=False), (1, 2, 5, 6)),
    ("AvgPool2d ceil_mode", lambda nn: nn.AvgPool2d(2, ceil_mode=True, padding=1), (1, 1, 5, 4)),
    ("AvgPool2d divisor_override", lambda nn: nn.AvgPool2d((2, 1), divisor_override=5), (1, 2, 4, 3)),
]


def numbered(cases):
    return [f"{c[0]} {k}" for k, c in enumerate(cases)]


@pytest.mark.parametrize("part, build, shape", STATELESS, ids=numbered(STATELESS))
def test_module_as_torch(torch, part, build, shape):
    ours, theirs = twins(torch, build)
    step(torch, part, ours, theirs, rand(shape, R))


def test_maxpool2d_return_indices_module_as_torch(torch):
    ours, theirs = twins(torch, lambda nn: nn.MaxPool2d(3, stride=2, padding=1, return_indices=True))
    x = rand((2, 2, 5, 6), R)
    (out, where), (out_t, where_t) = ours(x), theirs(torch.tensor(x))
    assert out.tolist() == out_t.tolist() and where.tolist() == where_t.tolist()
    MODULES_TORCH["MaxPool2d return_indices"] += 3


# --- losses --------------------------------------------------------------------------

LABELS = [1, 0, 3, 3]
LOSSES = [  # part, build, input shape, target
    ("NLLLoss weight", lambda nn: nn.NLLLoss(weight=TENSOR(nn, [0.5, 2.0, 1.0, 3.0])), (4, 4), LABELS),
    ("NLLLoss ignore_index", lambda nn: nn.NLLLoss(ignore_index=3, reduction="sum"), (4, 4), LABELS),
    ("CrossEntropyLoss weight", lambda nn: nn.CrossEntropyLoss(TENSOR(nn, [0.5, 2.0, 1.0, 3.0]),
                                                               reduction="none"), (4, 4), LABELS),
    ("CrossEntropyLoss ignore_index", lambda nn: nn.CrossEntropyLoss(ignore_index=0), (4, 4), LABELS),
    ("CrossEntropyLoss label_smoothing", lambda nn: nn.CrossEntropyLoss(label_smoothing=0.15), (4, 4),
     LABELS),
    ("CrossEntropyLoss label_smoothing", lambda nn: nn.CrossEntropyLoss(TENSOR(nn, [1.0, 0.5, 2.0, 1.5]),
                                                                        ignore_index=1, label_smoothing=0.4),
     (4, 4), LABELS),
    ("CrossEntropyLoss probabilities", lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1), (2, 3),
     [[0.2, 0.5, 0.3], [1.0, 0.0, 0.0]]),
    ("BCELoss weight", lambda nn: nn.BCELoss(TENSOR(nn, [[0.5], [2.0]])), "p(2, 3)", [[0.0, 1.0, 1.0]] * 2),
    ("BCEWithLogitsLoss", lambda nn: nn.BCEWithLogitsLoss(reduction="sum"), (3, 2), [[1.0, 0.0]] * 3),
    ("BCEWithLogitsLoss pos_weight", lambda nn: nn.BCEWithLogitsLoss(TENSOR(nn, [2.0, 0.5]),
                                                                     pos_weight=TENSOR(nn, [3.0, 0.25])),
     (3, 2), [[1.0, 0.0], [0.3, 0.7], [0.0, 1.0]]),
]


def TENSOR(namespace, values):
    """A tensor of the namespace's own kind: torch's for torch.nn, refnn's for refnn.nn."""
    return tensor(values) if namespace is nn else pytest.importorskip("torch").tensor(values)


@pytest.mark.parametrize("part, build, shape, target", LOSSES, ids=numbered(LOSSES))
def test_loss_module_as_torch(torch, part, build, shape, target):
    ours, theirs = twins(torch, build)
    x = rand((2, 3), R, 0.05, 0.95) if shape == "p(2, 3)" else rand(shape, R, -2, 2)
    step(torch, part, ours, theirs, x, target)
