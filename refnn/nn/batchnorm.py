"""BatchNorm1d: every feature normalised to mean 0 and variance 1 over the batch, then scaled and shifted.

For a batch x of shape (N, C), feature c is normalised with the mean and
variance of its N values, ``x̂ = (x − mean) / √(var + eps)``, and then
``y = weight·x̂ + bias`` with a learned weight (γ, starting at 1) and bias
(β, starting at 0).  While training it also keeps running averages of the
means and variances, which evaluation uses in place of a batch's.
BatchNorm2d does the same for images (N, C, H, W), per channel (see there):

>>> from refnn import nn
>>> bn = nn.BatchNorm1d(1)
>>> [round(row[0], 6) for row in bn([[1.0], [3.0]]).tolist()]     # mean 2, variance 1
[-0.999995, 0.999995]
>>> bn.running_mean, bn.running_var                               # 0.9·0 + 0.1·2; 0.9·1 + 0.1·2
(tensor([0.2]), tensor([1.1]))
"""
import math

from refnn._checks import ShapeError, _bool, _size
from refnn.nn import functional as F
from refnn.nn._nested import _dims_of
from refnn.nn.module import Module
from refnn.nn.parameter import Parameter
from refnn.tensors import Tensor

__all__ = ["BatchNorm1d", "BatchNorm2d"]


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share: PyTorch's options, buffers and forward (not the shape)."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, *,
                 bias=True):
        super().__init__()
        name = type(self).__name__
        self.num_features = _size(name, "num_features", num_features)
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < math.inf:
            raise ValueError(f"{name}: eps must be a positive number (it keeps 1/√(var + eps) finite), "
                             f"got {eps!r}")
        if momentum is not None and (isinstance(momentum, bool) or not isinstance(momentum, (int, float))
                                     or not 0 <= momentum <= 1):
            raise ValueError(f"{name}: momentum must be a number in [0, 1] or None, got {momentum!r}")
        for option, value in (("affine", affine), ("bias", bias),
                              ("track_running_stats", track_running_stats)):
            _bool(name, option, value)
        self.eps, self.momentum, self.affine, self.track_running_stats = eps, momentum, affine, \
            track_running_stats
        self.register_parameter("weight", Parameter([1.0] * num_features) if affine else None)
        self.register_parameter("bias", Parameter([0.0] * num_features) if affine and bias else None)
        tracked = track_running_stats
        self.register_buffer("running_mean", Tensor([0.0] * num_features) if tracked else None)
        self.register_buffer("running_var", Tensor([1.0] * num_features) if tracked else None)
        self.register_buffer("num_batches_tracked", Tensor(0) if tracked else None)

    def forward(self, input):
        """Normalise every channel of input, then scale by ``weight`` and shift by ``bias`` (when affine).

        >>> from refnn import nn
        >>> bn = nn.BatchNorm1d(1)
        >>> bn.weight.data, bn.bias.data = [2.0], [1.0]
        >>> [round(row[0], 4) for row in bn([[0.0], [4.0]]).tolist()]     # x̂ = ∓1 (nearly: eps), then 2·x̂ + 1
        [-1.0, 3.0]
        >>> bn([[0.0, 4.0]])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: BatchNorm1d(1, eps=1e-05, momentum=0.1, affine=True, bias=True, \
track_running_stats=True): input of shape (1, 2): expected (N, 1) or (N, 1, L)
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
        if len(dims) not in self._dims or dims[1] != self.num_features:
            raise ShapeError(f"{self!r}: input of shape {dims}: expected {self._expected}")
        tracking = self.training and self.track_running_stats
        momentum = self.momentum
        if tracking and momentum is None:       # the cumulative average: batch k counts 1/k
            momentum = 1.0 / (self.num_batches_tracked.item() + 1)
        use_batch = self.training or self.running_mean is None        # no running statistics: the batch's
        keep = not self.training or tracking                        # the running statistics used or moved
        out = F.batch_norm(input, self.running_mean if keep else None, self.running_var if keep else None,
                           self.weight, self.bias, use_batch, 0.0 if momentum is None else momentum, self.eps)
        if tracking:                            # counted after the forward: a failed one changes nothing
            self.num_batches_tracked = Tensor(self.num_batches_tracked.item() + 1)
        return out

    def extra_repr(self):
        """PyTorch's (2.13): the size, eps, momentum, then affine, bias and track_running_stats.

        >>> BatchNorm1d(4, momentum=None, affine=False).extra_repr()
        '4, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=True'
        """
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, with PyTorch's options and buffers.

    In training mode the batch's mean and biased variance (÷N) normalise
    each channel (over N, and over L too for (N, C, L));
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

    ``momentum=None`` makes the running statistics the plain average of
    every batch so far; ``affine=False`` leaves out γ and β;
    ``track_running_stats=False`` keeps no running statistics and
    normalises by the batch's own even in eval mode (``bias=False``, new in
    PyTorch 2.13, keeps γ and leaves out β):

    >>> avg = nn.BatchNorm1d(1, momentum=None)
    >>> _ = avg([[0.0], [2.0]]), avg([[4.0], [6.0]])
    >>> avg.running_mean, avg.num_batches_tracked         # (1 + 5) / 2
    (tensor([3.0]), tensor(2))
    >>> list(dict(nn.BatchNorm1d(3, affine=False, track_running_stats=False).state_dict()))
    []

    One sample has no variance to train with:

    >>> nn.BatchNorm1d(2).train()([[1.0, 2.0]])
    Traceback (most recent call last):
        ...
    ValueError: batch_norm: expected more than 1 value per channel when training, got input of shape (1, 2)
    """

    _dims = (2, 3)

    @property
    def _expected(self):
        return f"(N, {self.num_features}) or (N, {self.num_features}, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images (N, C, H, W): each channel over all its N·H·W numbers.

    A convolution's channel holds one feature (an edge, a blob) at every
    place of the image, so the place is like another sample: BatchNorm2d
    normalises each channel with the mean and variance of its numbers over
    the batch and every pixel, and learns one γ and one β per channel (not
    per pixel).  Here channel 0 holds 0, 2 and 4, 6 (mean 3), channel 1 is
    ten times bigger, and both come out the same:

    >>> from refnn import nn
    >>> bn = nn.BatchNorm2d(2)
    >>> x = [[[[0.0, 2.0]], [[0.0, 20.0]]], [[[4.0, 6.0]], [[40.0, 60.0]]]]      # (2, 2, 1, 2)
    >>> [[[round(v, 3) for v in row] for plane in image for row in plane] for image in bn(x).tolist()]
    [[[-1.342, -0.447], [-1.342, -0.447]], [[0.447, 1.342], [0.447, 1.342]]]
    >>> [[round(v, 6) for v in t.tolist()] for t in (bn.running_mean, bn.running_var)]   # var ÷(4 − 1)
    [[0.3, 3.0], [1.566667, 67.566667]]
    >>> bn.weight.shape
    (2,)
    >>> bn([[[1.0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, \
track_running_stats=True): input of shape (1, 1, 1): expected (N, 2, H, W)
    """

    _dims = (4,)

    @property
    def _expected(self):
        return f"(N, {self.num_features}, H, W)"
