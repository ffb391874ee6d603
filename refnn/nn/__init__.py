"""refnn.nn: networks the PyTorch way, as modules with a forward and a hand-written backward.

The parts have PyTorch's names and arguments, so a student who moves on to
PyTorch finds the same words doing the same things:

================  =============================================================
module            what lives there
================  =============================================================
``parameter``     :class:`Parameter` (``.data``, ``.grad``) and :class:`Data`
``module``        :class:`Module`: parts, ``parameters()``, ``apply``, ``state_dict``
``container``     :class:`Sequential`
``linear``        :class:`Linear`
``activation``    :class:`Sigmoid`, :class:`Tanh`, :class:`ReLU`
``conv``          :class:`Conv2d`
``pooling``       :class:`MaxPool2d`, :class:`AvgPool2d`
``flatten``       :class:`Flatten`
``batchnorm``     :class:`BatchNorm1d`
``loss``          :class:`MSELoss`, :class:`BCELoss`, :class:`CrossEntropyLoss`
``serialization`` :func:`save`, :func:`load` (JSON files)
================  =============================================================

There is no autograd.  The protocol: ``out = model(x)``;
``loss = criterion(out, target)`` is a number; ``grad = criterion.backward()``
is ∂loss/∂out; ``model.backward(grad)`` adds ∂loss/∂p to every parameter's
``.grad`` and returns ∂loss/∂x; an optimizer's ``step()`` uses the grads.
The seed's XOR, learned the PyTorch way:

>>> from refnn import nn, init, optim
>>> _ = init.manual_seed(1)
>>> model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
>>> criterion = nn.BCELoss()
>>> optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
>>> x, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
>>> for epoch in range(300):
...     optimizer.zero_grad()
...     loss = criterion(model(x), y)
...     _ = model.backward(criterion.backward())
...     optimizer.step()
>>> [round(row[0]) for row in model(x)]
[0, 1, 1, 0]
>>> loss < 0.05
True

Layers take a batch (N, features) or, where PyTorch does, one sample; the
input's shape is checked, and a wrong one names the layer and the shapes:

>>> model([[0, 0, 1]])
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: Linear(in_features=2, out_features=4, bias=True): input of shape (1, 3): \
expected last size 2
"""
from refnn.nn.activation import ReLU, Sigmoid, Tanh
from refnn.nn.batchnorm import BatchNorm1d
from refnn.nn.container import Sequential
from refnn.nn.conv import Conv2d
from refnn.nn.flatten import Flatten
from refnn.nn.linear import Linear
from refnn.nn.loss import BCELoss, CrossEntropyLoss, MSELoss
from refnn.nn.module import Module
from refnn.nn.parameter import Data, Parameter
from refnn.nn.pooling import AvgPool2d, MaxPool2d
from refnn.nn.serialization import load, save

__all__ = [
    "Parameter", "Data", "Module", "Sequential", "Linear", "Sigmoid", "Tanh", "ReLU",
    "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "BatchNorm1d",
    "MSELoss", "BCELoss", "CrossEntropyLoss", "save", "load",
]
