"""BatchNorm1d: every feature normalised to mean 0 and variance 1 over the batch, then scaled and shifted.

For a batch x of shape (N, C), feature c is normalised with the mean and
variance of its N values, ``x̂ = (x − mean) / √(var + eps)``, and then
``y = weight·x̂ + bias`` with a learned weight (γ, starting at 1) and bias
(β, starting at 0).  While training it also keeps running averages of the
means and variances, which evaluation uses in place of a batch's:

>>> from refnn import nn
>>> bn = nn.BatchNorm1d(1)
>>> [round(row[0], 6) for row in bn([[1.0], [3.0]]).tolist()]     # mean 2, variance 1
[-0.999995, 0.999995]
>>> bn.running_mean, bn.running_var                               # 0.9·0 + 0.1·2; 0.9·1 + 0.1·2
(tensor([0.2]), tensor([1.1]))
"""
import math

from refnn._checks import ShapeError, _size
from refnn.nn import functional as F
from refnn.nn._nested import _dims_of
from refnn.nn.module import Module
from refnn.nn.parameter import Parameter
from refnn.tensors import Tensor

__all__ = ["BatchNorm1d"]


class BatchNorm1d(Module):
    """Batch normalisation of (N, num_features) inputs, with PyTorch's eps, momentum and buffers.

    In training mode the batch's mean and biased variance (÷N) normalise;
    the running statistics then move by ``momentum``:
    ``running = (1 − momentum)·running + momentum·batch``, with the
    unbiased variance (÷(N − 1)) for ``running_var``, and
    ``num_batches_tracked`` counts the batches.  In eval mode
    (``model.eval()``) the running statistics normalise and nothing moves.

    >>> from refnn import nn
    >>> bn = nn.BatchNorm1d(2)
    >>> bn
    BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    >>> out = bn([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    >>> [[round(v, 4) for v in row] for row in out.tolist()]
    [[-1.2247, -1.2247], [0.0, 0.0], [1.2247, 1.2247]]
    >>> bn.running_mean, [round(v, 6) for v in bn.running_var.tolist()], bn.num_batches_tracked
    (tensor([0.2, 2.0]), [1.0, 10.9], tensor(1))
    >>> bn.eval()([[0.2, 2.0]])                    # the running mean itself normalises to 0
    tensor([[0.0, 0.0]], grad_fn=<BatchNormBackward>)

    Backward (the Function ``BatchNormBackward``) in training mode goes through the batch statistics too
    (every sample's output depends on every sample of its column):
    ``∂L/∂x = γ/(N·√(var + eps)) · (N·g − Σg − x̂·Σ(g·x̂))``; in eval mode
    it is ``g·γ/√(running_var + eps)``.  ``∂L/∂γ = Σ g·x̂``, ``∂L/∂β = Σ g``.

    PyTorch's ``affine=False``, ``track_running_stats=False``,
    ``momentum=None`` and inputs of shape (N, C, L) are not offered.  One
    sample has no variance to train with:

    >>> nn.BatchNorm1d(2).train()([[1.0, 2.0]])
    Traceback (most recent call last):
        ...
    ValueError: batch_norm: expected more than 1 value per channel when training, got input of shape (1, 2)
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features = _size("BatchNorm1d", "num_features", num_features)
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < math.inf:
            raise ValueError(f"BatchNorm1d: eps must be a positive number (it keeps 1/√(var + eps) finite), "
                             f"got {eps!r}")
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"BatchNorm1d: momentum must be a number in [0, 1], got {momentum!r}")
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter([1.0] * num_features)
        self.bias = Parameter([0.0] * num_features)
        self.register_buffer("running_mean", Tensor([0.0] * num_features))
        self.register_buffer("running_var", Tensor([1.0] * num_features))
        self.register_buffer("num_batches_tracked", Tensor(0))

    def forward(self, input):
        """Normalise every column of input (N, num_features), then scale by ``weight`` and shift by ``bias``.

        >>> from refnn import nn
        >>> bn = nn.BatchNorm1d(1)
        >>> bn.weight.data, bn.bias.data = [2.0], [1.0]
        >>> [round(row[0], 4) for row in bn([[0.0], [4.0]]).tolist()]     # x̂ = ∓1 (nearly: eps), then 2·x̂ + 1
        [-1.0, 3.0]
        >>> bn([[0.0, 4.0]])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: BatchNorm1d(1, eps=1e-05, momentum=0.1, affine=True, bias=True, \
track_running_stats=True): input of shape (1, 2): expected (N, 1)
        >>> nn.BatchNorm1d(1, eps=0)
        Traceback (most recent call last):
            ...
        ValueError: BatchNorm1d: eps must be a positive number (it keeps 1/√(var + eps) finite), got 0

        A batch holding NaN or ±inf is refused while training, before it
        reaches the running statistics:

        >>> bn([[float("nan")], [1.0]])
        Traceback (most recent call last):
            ...
        ValueError: batch_norm: input holds nan; learning needs finite numbers
        """
        dims = _dims_of(repr(self), input)
        if len(dims) != 2 or dims[1] != self.num_features:
            raise ShapeError(f"{self!r}: input of shape {dims}: expected (N, {self.num_features})")
        out = F.batch_norm(input, self.running_mean, self.running_var, self.weight, self.bias, self.training,
                           self.momentum, self.eps)
        if self.training:
            self.num_batches_tracked = Tensor(self.num_batches_tracked.item() + 1)
        return out

    def extra_repr(self):
        """PyTorch's (2.13): the size, eps, momentum, then affine, bias and track_running_stats.

        >>> BatchNorm1d(4, momentum=0.5).extra_repr()
        '4, eps=1e-05, momentum=0.5, affine=True, bias=True, track_running_stats=True'
        """
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine=True, bias=True, " \
               f"track_running_stats=True"
