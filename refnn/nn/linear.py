"""Linear: the fully connected layer, y = x·Wᵀ + b.

Every output neuron is a weighted sum of all inputs plus a bias: the seed's
``layer_j = Σ_i w_ij · x_i``.  As in PyTorch, the weight is stored
``(out_features, in_features)``, one row per output neuron, so row j holds
the weights into neuron j (the seed's ``weight`` is its transpose).

>>> from refnn import nn
>>> layer = nn.Linear(3, 2)
>>> layer.weight.data = [[2, 3, 0], [-1, -2, 1]]          # the seed's weight, transposed
>>> layer.bias.data = [0, 0]
>>> layer([[1, 1, -1], [4, 0, 2], [1, 0, 0]])            # the seed's layer0 = 1*2 + 1*3 + (-1)*0 = 5
[[5, -4], [8, -2], [2, -1]]
"""
import math

from refnn import init
from refnn._checks import _count, _rows_shape, ShapeError, _size, _vector_or_matrix
from refnn._kernels import _linear, _matmul
from refnn.nn._nested import _accumulate
from refnn.nn.module import Module
from refnn.nn.parameter import Parameter

__all__ = ["Linear"]


def _weight_and_bias(layer, op, weight, bias):
    """Give a Linear or Conv2d its weight (one entry per output) and bias, with PyTorch's starting values."""
    if not isinstance(bias, bool):
        raise TypeError(f"{op}: bias must be True or False, got {type(bias).__name__}")
    layer.weight = Parameter(weight)
    if bias:
        layer.bias = Parameter([0.0] * len(weight))
    else:
        layer.register_parameter("bias", None)
    layer.reset_parameters()


def _default_init(weight, bias):
    """PyTorch's starting values for Linear and Conv2d: weight and bias from U(±1/√fan_in)."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))         # gain √(1/3), bound gain·√(3/fan_in)
    if bias is not None:
        fan_in, _ = init._calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in)
        init.uniform_(bias, -bound, bound)


class Linear(Module):
    """y = x·Wᵀ + b, for a batch x of shape (N, in_features) or one sample of shape (in_features,).

    The starting weights and biases are PyTorch's: uniform in
    (−1/√in_features, 1/√in_features), drawn from refnn.init's default
    generator (seed it with ``init.manual_seed``).

    >>> from refnn import nn, init
    >>> _ = init.manual_seed(0)
    >>> layer = nn.Linear(2, 3)
    >>> layer
    Linear(in_features=2, out_features=3, bias=True)
    >>> layer.weight.shape, layer.bias.shape
    ((3, 2), (3,))
    >>> bound = 1 / 2 ** 0.5
    >>> all(-bound <= w < bound for row in layer.weight.data for w in row)
    True

    Backward, for ∂loss/∂y = g: ∂loss/∂x = g·W, ∂loss/∂W = gᵀ·x and
    ∂loss/∂b = g summed over the batch; the last two are added to
    ``.grad``:

    >>> layer.weight.data = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> layer.bias.data = [0.0, 0.0, 0.0]
    >>> layer([[1.0, 2.0]])
    [[1.0, 2.0, 3.0]]
    >>> layer.backward([[1.0, 0.0, 1.0]])
    [[2.0, 1.0]]
    >>> layer.weight.grad, layer.bias.grad
    ([[1.0, 2.0], [0.0, 0.0], [1.0, 2.0]], [1.0, 0.0, 1.0])

    The input's last size must be ``in_features``:

    >>> layer([[1.0, 2.0, 3.0]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: Linear(in_features=2, out_features=3, bias=True): input of shape (1, 3): \
expected last size 2

    The weight is counted before it is built, so a slip of the finger does
    not fill the memory:

    >>> nn.Linear(10**6, 10**6)
    Traceback (most recent call last):
        ...
    ValueError: Linear: a 1000000 x 1000000 weight would hold 1e+12 numbers; refnn's lists hold at most \
100000000
    """

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features = _size("Linear", "in_features", in_features)
        self.out_features = _size("Linear", "out_features", out_features)
        _count("Linear", f"a {out_features} x {in_features} weight", in_features * out_features)
        _weight_and_bias(self, "Linear", [[0.0] * in_features for _ in range(out_features)], bias)

    def reset_parameters(self):
        """Draw new starting values: PyTorch's ``kaiming_uniform_(a=√5)``, that is U(±1/√in_features).

        With a = √5 the gain is √(2/(1 + 5)) and the bound gain·√(3/fan_in)
        = 1/√fan_in (up to rounding); the bias takes the bound 1/√fan_in.
        Four inputs give 1/√4 = 0.5:

        >>> import random
        >>> from refnn import nn, init
        >>> layer = nn.Linear(4, 1)
        >>> _ = init.manual_seed(7)
        >>> layer.reset_parameters()
        >>> g = random.Random(7)
        >>> max(abs(w - g.uniform(-0.5, 0.5)) for w in layer.weight.data[0]) < 1e-15
        True
        >>> layer.bias.data == [g.uniform(-0.5, 0.5)]
        True
        """
        _default_init(self.weight, self.bias)

    def forward(self, x):
        """y = x·Wᵀ + b: row i of y is sample i's outputs, ``y[i][j] = Σ_k x[i][k]·W[j][k] + b[j]``.

        >>> from refnn import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer.weight.data, layer.bias.data = [[0.5, -1.0]], [0.25]
        >>> layer([2.0, 1.0]), layer([[2.0, 1.0], [0.0, 0.0]])       # one sample; a batch
        ([0.25], [[0.25], [0.25]])
        >>> layer([[1.0, "a"]])
        Traceback (most recent call last):
            ...
        TypeError: Linear(in_features=2, out_features=1, bias=True): expected numbers, got str 'a'
        """
        op = repr(self)
        dims = _rows_shape(op, x)
        if dims[-1] != self.in_features:
            dims = _vector_or_matrix(op, x)         # the full check: a 3-d list, say, is no matrix
            raise ShapeError(f"{op}: input of shape {dims}: expected last size {self.in_features}")
        rows = x if len(dims) == 2 else [x]
        bias = self.bias
        try:
            out = _linear(rows, self.weight.data, None if bias is None else bias.data)     # x·Wᵀ + b
        except TypeError:
            _vector_or_matrix(op, x)        # say what is wrong with x, if it is x
            raise
        batched = len(dims) == 2
        self._save((len(rows), self.out_features) if batched else (self.out_features,), rows, batched)
        return out if batched else out[0]

    def backward(self, grad):
        """∂loss/∂x = g·W; adds gᵀ·x to ``weight.grad`` and Σ_batch g to ``bias.grad``.

        >>> from refnn import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer.weight.data = [[3.0, -1.0]]
        >>> _ = layer([[1.0, 2.0], [0.5, 0.0]])
        >>> layer.backward([[1.0], [2.0]])
        [[3.0, -1.0], [6.0, -2.0]]
        >>> layer.weight.grad, layer.bias.grad                 # 1·[1, 2] + 2·[0.5, 0]; 1 + 2
        ([[2.0, 2.0]], [3.0])
        >>> layer.backward([[1.0], [2.0]])
        Traceback (most recent call last):
            ...
        RuntimeError: Linear(in_features=2, out_features=1, bias=True): backward called before forward \
(each forward allows one backward)
        """
        rows, batched = self._saved(grad)
        g = grad if batched else [grad]
        g_columns = list(zip(*g))
        _accumulate(self.weight, _linear(g_columns, list(zip(*rows))))     # ∂L/∂W = gᵀ·x
        if self.bias is not None:
            _accumulate(self.bias, list(map(sum, g_columns)))               # ∂L/∂b = Σ over the batch
        grad_x = _matmul(g, self.weight.data)                                # ∂L/∂x = g·W
        return grad_x if batched else grad_x[0]

    def extra_repr(self):
        """``in_features=…, out_features=…, bias=…``, as PyTorch prints a Linear.

        >>> from refnn import nn
        >>> nn.Linear(4, 2, bias=False).extra_repr()
        'in_features=4, out_features=2, bias=False'
        """
        has_bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={has_bias}"
