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
tensor([[5, -4], [8, -2], [2, -1]], grad_fn=<LinearBackward>)
"""
from refnn._checks import _count, _size
from refnn.nn import functional as F
from refnn.nn._init import _default_init, _weight_and_bias
from refnn.nn.module import Module

__all__ = ["Linear", "Identity"]


class Linear(Module):
    """y = x·Wᵀ + b, for x of shape (*, in_features): a batch (N, in_features), one sample, or more dims.

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
    >>> all(-bound <= w < bound for row in layer.weight.tolist() for w in row)
    True

    Backward (the Function ``LinearBackward``, for ∂loss/∂y = g):
    ∂loss/∂x = g·W, ∂loss/∂W = gᵀ·x and ∂loss/∂b = g summed over the
    batch; ``loss.backward()`` adds the last two to ``.grad``:

    >>> from refnn.tensors import tensor
    >>> layer.weight.data = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> layer.bias.data = [0.0, 0.0, 0.0]
    >>> y = layer([[1.0, 2.0]])
    >>> y
    tensor([[1.0, 2.0, 3.0]], grad_fn=<LinearBackward>)
    >>> y.backward(tensor([[1.0, 0.0, 1.0]]))
    >>> layer.weight.grad, layer.bias.grad
    (tensor([[1.0, 2.0], [0.0, 0.0], [1.0, 2.0]]), tensor([1.0, 0.0, 1.0]))

    The input's last size must be ``in_features``:

    >>> layer([[1.0, 2.0, 3.0]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: linear: input of shape (1, 3) and weight of shape (3, 2): expected the input's \
last size 2

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
        >>> max(abs(w - g.uniform(-0.5, 0.5)) for w in layer.weight.tolist()[0]) < 1e-15
        True
        >>> layer.bias.tolist() == [g.uniform(-0.5, 0.5)]
        True
        """
        _default_init(self.weight, self.bias)

    def forward(self, input):
        """y = x·Wᵀ + b: row i of y is sample i's outputs, ``y[i][j] = Σ_k x[i][k]·W[j][k] + b[j]``.

        >>> from refnn import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer.weight.data, layer.bias.data = [[0.5, -1.0]], [0.25]
        >>> layer([2.0, 1.0]).tolist(), layer([[2.0, 1.0], [0.0, 0.0]]).tolist()       # one sample; a batch
        ([0.25], [[0.25], [0.25]])
        >>> layer([[1.0, "a"]])
        Traceback (most recent call last):
            ...
        TypeError: linear: expected numbers, got str 'a'
        """
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        """``in_features=…, out_features=…, bias=…``, as PyTorch prints a Linear.

        >>> from refnn import nn
        >>> nn.Linear(4, 2, bias=False).extra_repr()
        'in_features=4, out_features=2, bias=False'
        """
        has_bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={has_bias}"


class Identity(Module):
    """The input itself: a placeholder where a network has a slot for a layer (any arguments are ignored).

    >>> from refnn import nn
    >>> net = nn.Sequential(nn.Linear(2, 2), nn.Identity())     # e.g. a classifier head taken off
    >>> net[1]
    Identity()
    >>> x = [[1.0, 2.0]]
    >>> net[1](x) is x
    True
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        """input, unchanged (the same object, as in PyTorch).

        >>> Identity(54, unused="argument")(3.0)
        3.0
        """
        return input
