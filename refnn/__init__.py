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
3     ``refnn.tensor``         PyTorch's tensor operations on nested lists
3     ``refnn.init``           weight initialisation (Xavier, MSRA, ...)
4     ``refnn.nn``             Module, Sequential, layers, losses
4     ``refnn.optim``          SGD with momentum
5     ``refnn.datasets``       truth tables, iris, digits, moons, spirals
5     ``refnn.plot``           pictures in text, and with matplotlib
5     ``refnn.explain``        a step of arithmetic that prints itself
====  =======================  ============================================

Submodules load on first use, so ``import refnn`` stays quick:

>>> import refnn
>>> refnn.matrix.matmul([[1, 1, -1]], [[2], [3], [0]])
[[5]]
>>> refnn.no_such_module
Traceback (most recent call last):
    ...
AttributeError: module 'refnn' has no attribute 'no_such_module'
"""
import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "matrix", "activations", "neuron", "perceptron", "mlp", "gradcheck",
    "tensor", "init", "nn", "optim", "datasets", "plot", "explain",
)
__all__ = list(_SUBMODULES)


def __getattr__(name):
    # PEP 562: import a floor the first time it is asked for
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
