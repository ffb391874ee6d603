"""BatchNorm1d: every feature normalised to mean 0 and variance 1 over the batch, then scaled and shifted.

For a batch x of shape (N, C), feature c is normalised with the mean and
variance of its N values, ``x̂ = (x − mean) / √(var + eps)``, and then
``y = weight·x̂ + bias`` with a learned weight (γ, starting at 1) and bias
(β, starting at 0).  While training it also keeps running averages of the
means and variances, which evaluation uses in place of a batch's:

>>> from refnn import nn
>>> bn = nn.BatchNorm1d(1)
>>> [round(row[0], 6) for row in bn([[1.0], [3.0]])]       # mean 2, variance 1
[-0.999995, 0.999995]
>>> bn.running_mean, [round(v, 6) for v in bn.running_var]   # 0.9·0 + 0.1·2; 0.9·1 + 0.1·2
([0.2], [1.1])
"""
import math
from operator import mul

from refnn._checks import _isfinite, _rows_shape, ShapeError, _size, _vector_or_matrix
from refnn.nn._nested import _accumulate, _sqrt
from refnn.nn.module import Module
from refnn.nn.parameter import Parameter

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
    BatchNorm1d(2, eps=1e-05, momentum=0.1)
    >>> out = bn([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    >>> [[round(v, 4) for v in row] for row in out]
    [[-1.2247, -1.2247], [0.0, 0.0], [1.2247, 1.2247]]
    >>> bn.running_mean, [round(v, 6) for v in bn.running_var], bn.num_batches_tracked
    ([0.2, 2.0], [1.0, 10.9], 1)
    >>> bn.eval()([[0.2, 2.0]])                    # the running mean itself normalises to 0
    [[0.0, 0.0]]

    Backward in training mode goes through the batch statistics too
    (every sample's output depends on every sample of its column):
    ``∂L/∂x = γ/(N·√(var + eps)) · (N·g − Σg − x̂·Σ(g·x̂))``; in eval mode
    it is ``g·γ/√(running_var + eps)``.  ``∂L/∂γ = Σ g·x̂``, ``∂L/∂β = Σ g``.

    PyTorch's ``affine=False``, ``track_running_stats=False``,
    ``momentum=None`` and inputs of shape (N, C, L) are not offered.  One
    sample has no variance to train with:

    >>> nn.BatchNorm1d(2).train()([[1.0, 2.0]])
    Traceback (most recent call last):
        ...
    ValueError: BatchNorm1d(2, eps=1e-05, momentum=0.1): expected more than 1 value per channel when \
training, got input of shape (1, 2)
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
        self.register_buffer("running_mean", [0.0] * num_features)
        self.register_buffer("running_var", [1.0] * num_features)
        self.register_buffer("num_batches_tracked", 0)

    def forward(self, x):
        """Normalise every column of x (N, num_features), then scale by ``weight`` and shift by ``bias``.

        >>> from refnn import nn
        >>> bn = nn.BatchNorm1d(1)
        >>> bn.weight.data, bn.bias.data = [2.0], [1.0]
        >>> [round(row[0], 4) for row in bn([[0.0], [4.0]])]     # x̂ = ∓1 (nearly: eps), then 2·x̂ + 1
        [-1.0, 3.0]
        >>> bn([[0.0, 4.0]])
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: BatchNorm1d(1, eps=1e-05, momentum=0.1): input of shape (1, 2): expected \
(N, 1)
        >>> nn.BatchNorm1d(1, eps=0)
        Traceback (most recent call last):
            ...
        ValueError: BatchNorm1d: eps must be a positive number (it keeps 1/√(var + eps) finite), got 0

        A batch holding NaN or ±inf is refused while training, before it
        reaches the running statistics:

        >>> bn([[float("nan")], [1.0]])
        Traceback (most recent call last):
            ...
        ValueError: BatchNorm1d(1, eps=1e-05, momentum=0.1): the batch's mean or variance is nan;
        its running statistics would turn nan too
        """
        op = repr(self)
        dims = _rows_shape(op, x)
        if len(dims) != 2 or dims[1] != self.num_features:
            dims = _vector_or_matrix(op, x)         # the full check: a 3-d list, say, is no matrix
            raise ShapeError(f"{op}: input of shape {dims}: expected (N, {self.num_features})")
        n = dims[0]
        if self.training and n < 2:
            raise ValueError(f"{op}: expected more than 1 value per channel when training, "
                             f"got input of shape {dims}")
        try:
            if self.training:
                columns = list(zip(*x))
                mean = [sum(col) / n for col in columns]
                var = [sum((v - m) * (v - m) for v in col) / n for col, m in zip(columns, mean)]   # biased
            else:
                mean, var = self.running_mean, self.running_var
            inv_std = [1 / _sqrt(v + self.eps) for v in var]
            x_hat = [[(v - m) * s for v, m, s in zip(row, mean, inv_std)] for row in x]
        except TypeError:
            _vector_or_matrix(op, x)
            raise
        out = [[h * w + b for h, w, b in zip(row, self.weight.data, self.bias.data)] for row in x_hat]
        if self.training:
            stats = [v for v in mean + var if not _isfinite(v)]
            if stats:       # NaN or ±inf in the batch: the running statistics would never recover
                raise ValueError(f"{op}: the batch's mean or variance is {stats[0]!r}; its running "
                                 f"statistics would turn {stats[0]!r} too")
            self._track(mean, var, n)
        self._save(dims, x_hat, inv_std, self.training)
        return out

    def _track(self, mean, var, n):
        """Move the running statistics towards the batch's by ``momentum``."""
        m = self.momentum
        self.running_mean = [(1 - m) * r + m * v for r, v in zip(self.running_mean, mean)]
        self.running_var = [(1 - m) * r + m * v * n / (n - 1)                      # unbiased
                            for r, v in zip(self.running_var, var)]
        self.num_batches_tracked += 1

    def backward(self, grad):
        """∂loss/∂x from ∂loss/∂out (N, num_features); adds Σ g·x̂ to ``weight.grad``, Σ g to ``bias.grad``.

        >>> from refnn import nn
        >>> bn = nn.BatchNorm1d(1)
        >>> _ = bn([[0.0], [4.0]])
        >>> bn.backward([[1.0], [1.0]])           # a shift of every sample is normalised away
        [[0.0], [0.0]]
        >>> bn.weight.grad, bn.bias.grad          # Σ g·x̂ = x̂₁ + x̂₂ = 0; Σ g = 2
        ([0.0], [2.0])
        """
        x_hat, inv_std, training = self._saved(grad)
        gamma = self.weight.data
        g_columns, h_columns = list(zip(*grad)), list(zip(*x_hat))
        d_gamma = [sum(map(mul, g, h)) for g, h in zip(g_columns, h_columns)]      # Σ g·x̂
        d_beta = [sum(g) for g in g_columns]                                        # Σ g
        if training:
            n = len(grad)
            scale = [w * s / n for w, s in zip(gamma, inv_std)]
            grad_x = [[c * (n * gv - sb - h * sg)
                       for gv, h, c, sb, sg in zip(g_row, h_row, scale, d_beta, d_gamma)]
                      for g_row, h_row in zip(grad, x_hat)]
        else:
            grad_x = [[gv * w * s for gv, w, s in zip(g_row, gamma, inv_std)] for g_row in grad]
        _accumulate(self.weight, d_gamma)
        _accumulate(self.bias, d_beta)
        return grad_x

    def extra_repr(self):
        """``num_features, eps=…, momentum=…`` (PyTorch also prints affine and track_running_stats).

        >>> BatchNorm1d(4, momentum=0.5).extra_repr()
        '4, eps=1e-05, momentum=0.5'
        """
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"
