"""Losses: one number that says how far a network's output is from the target.

A loss is a module too: ``loss = criterion(output, target)`` is a 0-d
tensor that remembers how it was made, and ``loss.backward()`` sends
∂loss/∂output back through the network.  ``reduction="mean"`` (the
default) divides the sum of the per-entry losses by their count, ``"sum"``
does not, ``"none"`` keeps each.

>>> from refnn import nn
>>> from refnn.tensors import tensor
>>> output = tensor([[0.5], [1.0]], requires_grad=True)
>>> loss = nn.MSELoss()(output, [[0.0], [1.0]])      # ((0.5 − 0)² + 0²) / 2
>>> loss
tensor(0.125, grad_fn=<MseLossBackward>)
>>> loss.backward()
>>> output.grad                                       # 2·(output − target) / 2
tensor([[0.5], [0.0]])

Chapter 4's error E = ½·Σ(y − output)² is another scale of the same
squares: MSELoss takes their mean, so for n entries
``MSELoss = 2·E / n`` (the seed's four samples: E = 0.504 is a MSELoss of
0.252), and the gradients differ by the same factor.
"""
from refnn._checks import _check_finite, _is_sequence, _shape
from refnn.nn import functional as F
from refnn.nn.module import Module
from refnn.tensors import Tensor

__all__ = ["MSELoss", "BCELoss", "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss"]


class _Loss(Module):
    """A criterion with PyTorch's ``reduction``: each per-entry loss, their mean or their sum."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        name = type(self).__name__
        for option, value in (("size_average", size_average), ("reduce", reduce)):
            if value is not None:
                raise ValueError(f"{name}: {option} is deprecated in PyTorch and not offered; use reduction")
        if reduction not in ("none", "mean", "sum"):
            raise ValueError(f"{name}: reduction must be 'none', 'mean' or 'sum', got {reduction!r:.40}")
        self.reduction = reduction


class MSELoss(_Loss):
    """Mean squared error: Σ (output − target)² / n over all n entries (or the sum, or each).

    ∂loss/∂output = 2·(output − target) / n (without the /n for "sum").

    >>> from refnn import nn
    >>> nn.MSELoss(reduction="sum")([1.0, 2.0, 4.0], [1.0, 0.0, 1.0])       # 0 + 4 + 9
    tensor(13.0)

    The shapes must agree (PyTorch would broadcast, with a warning):

    >>> nn.MSELoss()([[1.0], [2.0]], [1.0, 2.0])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: mse_loss: input of shape (2, 1) and target of shape (2,) differ
    """

    def forward(self, input, target):
        """The loss, a 0-d tensor (one per entry with ``reduction="none"``).

        >>> from refnn import nn
        >>> nn.MSELoss()([[0.0, 1.0]], [[1.0, 1.0]])
        tensor(0.5)
        >>> nn.MSELoss()([float("nan")], [1.0])
        Traceback (most recent call last):
            ...
        ValueError: mse_loss: input holds nan; learning needs finite numbers
        >>> nn.MSELoss()([1e200], [-1e200])
        Traceback (most recent call last):
            ...
        ValueError: mse_loss: the loss overflows a float (inf); scale the input and target down
        """
        return F.mse_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy: −Σ [t·log p + (1 − t)·log(1 − p)] / n, for probabilities p.

    The output p must lie in [0, 1] (after a Sigmoid), the target t too
    (usually 0 or 1).  As in PyTorch, each log is clamped at −100, so a
    saturated output gives a finite loss, and the gradient is
    (p − t) / max(p(1 − p), ε) / n with ε = 10⁻¹² (as a 32-bit float):

    >>> from refnn import nn
    >>> from refnn.tensors import tensor
    >>> criterion = nn.BCELoss()
    >>> round(criterion([0.9, 0.2], [1.0, 0.0]).item(), 6)          # −(log 0.9 + log 0.8) / 2
    0.164252
    >>> p = tensor([1.0, 0.0], requires_grad=True)
    >>> loss = criterion(p, [0.0, 1.0])                              # both logs clamped at −100
    >>> loss
    tensor(100.0, grad_fn=<BinaryCrossEntropyBackward>)
    >>> loss.backward()
    >>> [f"{g:.6e}" for g in p.grad.tolist()]                        # ±1/ε/2
    ['5.000000e+11', '-5.000000e+11']
    >>> criterion([1.5], [1.0])
    Traceback (most recent call last):
        ...
    ValueError: binary_cross_entropy: input[0] = 1.5 is not a probability in [0, 1]

    PyTorch checks only the input; refnn refuses a target outside [0, 1]
    as well.  ``weight`` (broadcast over the input) multiplies each entry's loss.
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _weight_tensor("BCELoss", weight))      # a buffer, as in PyTorch

    def forward(self, input, target):
        """The loss, a 0-d tensor.

        >>> from refnn import nn
        >>> round(nn.BCELoss(reduction="sum")([[0.5], [0.5]], [[1.0], [0.0]]).item(), 6)     # 2·log 2
        1.386294
        """
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class _ClassLoss(_Loss):
    """A loss of class indices, with PyTorch's ``weight`` (one per class, a buffer) and ``ignore_index``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        name = type(self).__name__
        if isinstance(ignore_index, bool) or not isinstance(ignore_index, int):
            raise TypeError(f"{name}: ignore_index must be an int, got {type(ignore_index).__name__}")
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _weight_tensor(name, weight))
        self.ignore_index = ignore_index


class CrossEntropyLoss(_ClassLoss):
    """Cross-entropy of logits and class indices: mean over samples of log Σ_c e^(x_c) − x_target.

    ``input`` holds one row of C scores (logits, any real numbers) per
    sample, ``target`` one class index per sample (an int from 0 to C − 1).
    It is softmax followed by the negative log of the target's
    probability, −log(e^(x_t) / Σ_c e^(x_c)), computed stably (log-sum-exp
    shifted by the largest logit).  ∂loss/∂x = (softmax(x) − onehot(target)) / N.

    >>> from refnn import nn
    >>> from refnn.tensors import tensor
    >>> criterion = nn.CrossEntropyLoss()
    >>> x = tensor([[2.0, 0.0, 0.0]], requires_grad=True)
    >>> loss = criterion(x, [0])
    >>> round(loss.item(), 6)                               # log(e² + 2) − 2
    0.239545
    >>> loss.backward()
    >>> [round(g, 6) for g in x.grad.tolist()[0]]          # softmax − [1, 0, 0]
    [-0.213014, 0.106507, 0.106507]

    Huge logits do not overflow:

    >>> criterion([[1000.0, 0.0]], [1])
    tensor(1000.0)

    ``label_smoothing`` ε softens the target: class t becomes the
    probabilities (1 − ε)·onehot(t) + ε/C, so a confident right answer still
    costs a little and the logits are not pushed ever further apart.  With
    ε = 0.2 and 2 classes, class 0 is the target [0.9, 0.1], and a logit
    gap of log 9 (probability 0.9) is then the best, where the hard target
    always wants a larger one:

    >>> import math
    >>> smooth = nn.CrossEntropyLoss(label_smoothing=0.2)
    >>> [round(smooth([[g, 0.0]], [0]).item(), 6) for g in (math.log(9) - 1, math.log(9), math.log(9) + 1)]
    [0.383648, 0.325083, 0.359785]

    The target may also be class probabilities (one row per sample);
    ``weight`` (one per class) and ``ignore_index`` work as in NLLLoss.
    A label must name a class:

    >>> criterion([[1.0, 2.0]], [2])
    Traceback (most recent call last):
        ...
    ValueError: cross_entropy: target[0] = 2 is not a class index of 2 classes (0 to 1)
    >>> criterion([[1.0, 2.0]], [1.0])
    Traceback (most recent call last):
        ...
    TypeError: cross_entropy: target[0] = 1.0 is a float; a class index is an int
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, size_average, ignore_index, reduce, reduction)
        F.cross_entropy([[0.0]], [0], label_smoothing=label_smoothing)      # checked now, not at a first call
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        """The loss, a 0-d tensor, for logits (N, C) and N class indices.

        >>> from refnn import nn
        >>> round(nn.CrossEntropyLoss(reduction="sum")([[0.0, 0.0], [0.0, 0.0]], [0, 1]).item(), 6)  # 2·log 2
        1.386294
        >>> nn.CrossEntropyLoss()([[0.0, 0.0]], [0, 1])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: cross_entropy: input of shape (1, 2) and 2 targets: expected one class \
index per row
        """
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_ClassLoss):
    """Negative log-likelihood: mean over samples of −input[n][target[n]], for log-probabilities.

    After a ``log_softmax`` it is the cross-entropy:

    >>> from refnn import nn
    >>> from refnn.nn import functional as F
    >>> x = [[2.0, 0.0, 0.0]]
    >>> nn.NLLLoss()(F.log_softmax(x, dim=1), [0]).item() == nn.CrossEntropyLoss()(x, [0]).item()
    True
    """

    def forward(self, input, target):
        """The loss, a 0-d tensor, for log-probabilities (N, C) and N class indices.

        >>> from refnn import nn
        >>> nn.NLLLoss()([[-0.5, -1.0], [-2.0, -0.1]], [0, 1])       # (0.5 + 0.1) / 2
        tensor(0.3)
        """
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


def _weight_tensor(name, weight):
    """None, or the weight as a Tensor of finite numbers (PyTorch keeps it as a buffer)."""
    if weight is None:
        return None
    values = weight.tolist() if isinstance(weight, Tensor) else weight
    if not _is_sequence(values):
        raise TypeError(f"{name}: weight must be a Tensor or a list of numbers, got {type(weight).__name__}")
    dims = _shape(name, values)
    if 0 in dims:
        raise ValueError(f"{name}: weight of shape {dims} is empty")
    _check_finite(name, "weight", values)
    return weight if isinstance(weight, Tensor) else Tensor(values)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy in one stable step, for raw scores (logits) x and targets t.

    ``(1 − t)·x − log σ(x)`` per entry, with log σ(x) = min(x, 0) − log(1 + e^(−|x|)):
    no σ(x) that rounds to 0 or 1, so no log clamped at −100 as in
    ``BCELoss(Sigmoid(x))``.  ``pos_weight`` (one per class) multiplies the
    loss of the positive targets, to balance a rare class:

    >>> from refnn import nn
    >>> loss = nn.BCEWithLogitsLoss()
    >>> round(loss([0.0, 0.0], [1.0, 0.0]).item(), 6)              # σ(0) = ½ for both: log 2
    0.693147
    >>> [round(v, 6) for v in nn.BCEWithLogitsLoss(reduction="none")([-200.0, 200.0], [1.0, 1.0]).tolist()]
    [200.0, 0.0]
    >>> round(nn.BCEWithLogitsLoss(pos_weight=[3.0])([[0.0]], [[1.0]]).item(), 6)      # 3·log 2
    2.079442
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _weight_tensor("BCEWithLogitsLoss", weight))
        self.register_buffer("pos_weight", _weight_tensor("BCEWithLogitsLoss", pos_weight))

    def forward(self, input, target):
        """The loss, a 0-d tensor (one per entry with ``reduction="none"``).

        >>> from refnn import nn
        >>> round(nn.BCEWithLogitsLoss(reduction="sum")([[0.0], [0.0]], [[1.0], [0.0]]).item(), 6)   # 2·log 2
        1.386294
        """
        return F.binary_cross_entropy_with_logits(input, target, self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)
