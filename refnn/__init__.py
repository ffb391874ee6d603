"""refnn: neural-network basics in pure Python, to read, to run and to teach.

The package is a house of floors; each imports only from the floors below.

====  =======================  ============================================
floor  module                   what it teaches
====  =======================  ============================================
1     ``refnn.matrix``         vectors as lists, matrices as lists of rows
1     ``refnn.activations``    sigmoid, tanh, relu, sign, step + derivatives
2     ``refnn.neuron``         the McCulloch–Pitts neuron and logic gates
2     ``refnn.perceptron``     the sign perceptron and linear separability
2     ``refnn.mlp``            the back-propagation multi-layer perceptron
3     ``refnn.gradcheck``      gradients by sympy and by central differences
3     ``refnn.tensors``        the Tensor, which remembers how it was made
3     ``refnn.autograd``       Function, the graph, ``backward()``
3     ``refnn.functions``      arithmetic, sums, products: Functions
3     ``refnn.shapes``         view, permute, narrow, cat, indexing
3     ``refnn.linalg``         solve (and the seed's gesv)
3     ``refnn.sampling``       grid_sample
3     ``refnn.init``           weight initialisation (Xavier, MSRA, ...)
4     ``refnn.nn``             Module, Sequential, layers, losses
4     ``refnn.optim``          SGD with momentum, Adam, StepLR
4     ``refnn.utils.data``     Dataset, TensorDataset, DataLoader
5     ``refnn.datasets``       truth tables, iris, digits, moons, spirals
5     ``refnn.plot``           pictures in text, and with matplotlib
5     ``refnn.explain``        a step of arithmetic that prints itself
====  =======================  ============================================

Submodules load on first use, so ``import refnn`` stays quick:

>>> import refnn
>>> refnn.matrix.matmul([[1, 1, -1]], [[2], [3], [0]])
[[5]]

The top level answers to PyTorch's names, so ``import refnn as torch``
runs a small tensor program unchanged:

>>> import refnn as torch
>>> x = torch.tensor([[1.0, 1.0, -1.0]])
>>> w = torch.tensor([[2.0], [3.0], [0.0]], requires_grad=True)
>>> y = torch.sigmoid(torch.matmul(x, w)).sum()
>>> y.backward()
>>> [round(v, 6) for v in w.grad.view(-1).tolist()]
[0.006648, 0.006648, -0.006648]
>>> refnn.no_such_name
Traceback (most recent call last):
    ...
AttributeError: module 'refnn' has no attribute 'no_such_name'
"""
import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "matrix", "activations", "neuron", "perceptron", "mlp", "gradcheck",
    "tensors", "autograd", "functions", "shapes", "linalg", "sampling",
    "init", "nn", "optim", "utils", "datasets", "plot", "explain",
)
__all__ = list(_SUBMODULES)

# PyTorch's top-level names, each found in the module that defines it on first use
_NAMES = {
    "tensors": ("Tensor", "tensor", "zeros", "ones", "full", "zeros_like", "ones_like", "full_like",
                "arange", "linspace", "eye", "rand", "randn", "set_default_dtype", "get_default_dtype",
                "dtype", "float64", "float32", "int64", "long"),
    "autograd": ("no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"),
    "functions": ("add", "sub", "mul", "div", "pow", "neg", "sum", "mean", "exp", "log", "sigmoid", "tanh",
                  "relu", "abs", "sqrt", "clamp", "matmul", "mm", "where", "argmax", "max", "allclose",
                  "equal"),
    "shapes": ("narrow", "cat", "stack", "unsqueeze", "squeeze", "permute", "reshape", "view", "flatten",
               "transpose", "t", "clone", "detach"),
    "init": ("manual_seed",),
}
_ALIASES = {"bool": ("tensors", "bool_"), "double": ("tensors", "float64"), "float": ("tensors", "float32"),
            "save": ("nn.serialization", "save"), "load": ("nn.serialization", "load")}
_WHERE = {name: (module, name) for module, names in _NAMES.items() for name in names} | _ALIASES


def __getattr__(name):
    # PEP 562: import a floor, or the module of a top-level name, the first time it is asked for
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _WHERE:
        module, attribute = _WHERE[name]
        value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        globals()[name] = value             # found once; later lookups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES) + list(_WHERE))
