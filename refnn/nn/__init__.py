"""refnn.nn: networks the PyTorch way, as modules with a forward; autograd does the backward.

The parts have PyTorch's names and arguments, so a student who moves on to
PyTorch finds the same words doing the same things:

==================  =============================================================
module              what lives there
==================  =============================================================
``parameter``       :class:`Parameter`, a Tensor that requires grad
``module``          :class:`Module`: parts, ``parameters()``, ``apply``, ``state_dict``
``container``       :class:`Sequential`
``linear``          :class:`Linear`
``activation``      :class:`Sigmoid`, :class:`Tanh`, :class:`ReLU`
``conv``            :class:`Conv2d`
``pooling``         :class:`MaxPool2d`, :class:`AvgPool2d`
``flatten``         :class:`Flatten`
``batchnorm``       :class:`BatchNorm1d`
``loss``            :class:`MSELoss`, :class:`BCELoss`, :class:`CrossEntropyLoss`, :class:`NLLLoss`
``functional``      the same as functions (``import refnn.nn.functional as F``)
``init``            :mod:`refnn.init` under PyTorch's name ``torch.nn.init``
``serialization``   :func:`save`, :func:`load` (JSON files)
==================  =============================================================

The training loop is PyTorch's: the output of a model is a tensor that
remembers how it was made; ``loss.backward()`` fills every parameter's
``.grad``; an optimizer's ``step()`` uses them.  The seed's XOR:

>>> from refnn import nn, init, optim
>>> _ = init.manual_seed(1)
>>> model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
>>> criterion = nn.BCELoss()
>>> optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
>>> x, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0.0], [1.0], [1.0], [0.0]]
>>> for epoch in range(300):
...     optimizer.zero_grad()
...     loss = criterion(model(x), y)
...     loss.backward()
...     optimizer.step()
>>> [round(row[0]) for row in model(x).tolist()]
[0, 1, 1, 0]
>>> loss.item() < 0.05
True

Layers take a batch (N, features) or, where PyTorch does, one sample, as a
tensor or a nested list; the input's shape is checked, and a wrong one
names the operation and the shapes:

>>> model([[0, 0, 1]])
Traceback (most recent call last):
    ...
refnn.matrix.ShapeError: linear: input of shape (1, 3) and weight of shape (4, 2): expected the input's last \
size 2
"""
from refnn.nn.activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from refnn.nn.batchnorm import BatchNorm1d, BatchNorm2d
from refnn.nn.container import Sequential
from refnn.nn.dropout import Dropout
from refnn.nn.conv import Conv2d
from refnn.nn.flatten import Flatten
from refnn.nn.linear import Identity, Linear
from refnn.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from refnn.nn.module import Module
from refnn.nn.parameter import Parameter
from refnn.nn.pooling import AvgPool2d, MaxPool2d
from refnn.nn.serialization import load, save
from refnn.nn import functional, init  # noqa: F401  (submodules, as torch.nn.functional and torch.nn.init)

__all__ = [
    "Parameter", "Module", "Sequential", "Linear", "Sigmoid", "Tanh", "ReLU",
    "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "BatchNorm1d",
    "MSELoss", "BCELoss", "CrossEntropyLoss", "NLLLoss", "save", "load",
    "Dropout", "Softmax", "LogSoftmax", "LeakyReLU", "Identity", "BCEWithLogitsLoss", "BatchNorm2d",
]
