"""Private helper of Linear and Conv2d: a weight and a bias, with PyTorch's starting values."""
import math

from refnn import init
from refnn._checks import _bool
from refnn.nn.parameter import Parameter


def _weight_and_bias(layer, op, weight, bias):
    """Give a Linear or Conv2d its weight (one entry per output) and bias, then PyTorch's starting values."""
    _bool(op, "bias", bias)
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
        fan_in = math.prod(weight.shape[1:])
        bound = 1 / math.sqrt(fan_in)
        init.uniform_(bias, -bound, bound)
