"""Parameter: a weight a network learns, with its values (``.data``) and its gradient (``.grad``).

In PyTorch a parameter is a tensor; in refnn it is a small object holding a
nested list.  ``.data`` is that list, ``.grad`` is None until the first
``backward`` and then a nested list of the same shape, ∂loss/∂data:

>>> w = Parameter([[2.0, -1.0], [3.0, -2.0]])
>>> w.data, w.grad, w.shape
([[2.0, -1.0], [3.0, -2.0]], None, (2, 2))

``.data`` is a :class:`Data`, a list with PyTorch's in-place fillers, so the
seed's initialisation line runs as written:

>>> import math
>>> from refnn import init
>>> _ = init.manual_seed(0)
>>> _ = w.data.normal_(0, math.sqrt(2. / 8))
>>> [[round(v, 6) for v in row] for row in w.data]
[[0.470858, -0.698289], [-0.339857, 0.185252]]
"""
from refnn import init
from refnn._checks import _is_sequence, _shape, ShapeError
from refnn._nested import _clone

__all__ = ["Data", "Parameter"]


class Data(list):
    """The values of a Parameter: a nested list that also has PyTorch's in-place fillers.

    It is a ``list`` in every other way: it compares equal to a plain list,
    prints like one and is written to JSON as one.  Only the outer list is
    a Data; its rows are plain lists.  The fillers call :mod:`refnn.init`
    and return the Data itself, as PyTorch's ``Tensor.normal_`` returns the
    tensor.

    >>> d = Data([[0.0, 0.0], [0.0, 0.0]])
    >>> d.fill_(0.5)
    [[0.5, 0.5], [0.5, 0.5]]
    >>> d == [[0.5, 0.5], [0.5, 0.5]], isinstance(d, list)
    (True, True)
    >>> import json
    >>> json.dumps(d.zero_())
    '[[0.0, 0.0], [0.0, 0.0]]'

    PyTorch's tensors have many more methods; refnn's data has these four
    and list's own (``d.append`` changes the list, not a tensor's shape, so
    leave it alone).  Its values are checked as a Parameter's are (``list``
    itself would take any iterable):

    >>> Data("abc")
    Traceback (most recent call last):
        ...
    TypeError: Data: values must be a nested list of numbers, got str
    """

    __slots__ = ()

    def __init__(self, values=()):
        if not _is_sequence(values):
            raise TypeError(f"Data: values must be a nested list of numbers, got {type(values).__name__}")
        _shape("Data", values)
        super().__init__(values)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with N(mean, std²) in place: :func:`refnn.init.normal_`.

        >>> import random
        >>> d = Data([0.0, 0.0]).normal_(0, 1, generator=random.Random(0))
        >>> [round(v, 6) for v in d]
        [0.941715, -1.396578]
        """
        return init.normal_(self, mean, std, generator)

    def uniform_(self, from_=0.0, to=1.0, *, generator=None):
        """Fill with U(from_, to) in place: :func:`refnn.init.uniform_`.

        PyTorch calls the first argument ``from``, a keyword of Python.

        >>> import random
        >>> d = Data([0.0, 0.0]).uniform_(-1, 1, generator=random.Random(0))
        >>> [round(v, 6) for v in d]
        [0.688844, 0.515909]
        """
        return init.uniform_(self, from_, to, generator)

    def fill_(self, value):
        """Set every number to ``value`` in place: :func:`refnn.init.constant_`.

        >>> Data([[1, 2], [3, 4]]).fill_(7)
        [[7, 7], [7, 7]]
        >>> Data([1.0]).fill_("x")
        Traceback (most recent call last):
            ...
        TypeError: constant_: val must be a number, got str
        """
        return init.constant_(self, value)

    def zero_(self):
        """Set every number to 0.0 in place: :func:`refnn.init.zeros_`; biases often start so.

        >>> Data([0.5, -0.25]).zero_()
        [0.0, 0.0]
        """
        return init.zeros_(self)


class Parameter:
    """A learnable nested list of numbers: ``.data`` its values, ``.grad`` ∂loss/∂data or None.

    A Module that is given a Parameter as an attribute registers it, so
    ``parameters()`` finds it and an optimizer updates it.  The values are
    copied in, so changing the list you passed changes nothing here:

    >>> values = [[0.5, -0.5]]
    >>> p = Parameter(values)
    >>> values[0][0] = 9.0
    >>> p
    Parameter([[0.5, -0.5]])

    ``.grad`` starts as None, as in PyTorch: each ``backward`` adds to it
    and ``zero_grad`` sets it back to None.  Assigning ``.data`` checks
    the shape, which is fixed once made (a layer relies on it):

    >>> p.data = [[1.0, 2.0]]
    >>> p.data
    [[1.0, 2.0]]
    >>> p.data = [[1.0, 2.0, 3.0]]
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: Parameter.data: new values of shape (1, 3), the parameter has shape (1, 2)

    Where refnn differs from PyTorch: there is no autograd, so no
    ``requires_grad``; the layers write ``.grad`` in their ``backward``.
    """

    __slots__ = ("_data", "grad")

    def __init__(self, data):
        self._data = None
        self.grad = None
        self.data = data

    @property
    def data(self):
        """The values, a :class:`Data` (a nested list); assigning copies them in and keeps the shape.

        >>> Parameter([1, 2]).data
        [1, 2]
        >>> Parameter(3.0)
        Traceback (most recent call last):
            ...
        TypeError: Parameter: data must be a nested list of numbers, got float
        """
        return self._data

    @data.setter
    def data(self, values):
        op = "Parameter" if self._data is None else "Parameter.data"
        if not _is_sequence(values):
            raise TypeError(f"{op}: data must be a nested list of numbers, got {type(values).__name__}")
        dims = _shape(op, values)
        if self._data is not None and dims != self.shape:
            raise ShapeError(f"{op}: new values of shape {dims}, the parameter has shape {self.shape}")
        self._data = Data(_clone(values))

    @property
    def shape(self):
        """The shape of the values, as ``Tensor.shape`` (a tuple here).

        >>> Parameter([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).shape
        (2, 3)
        """
        return _shape("Parameter.shape", self._data)

    def detach(self):
        """A copy of the values as plain nested lists.

        In PyTorch, ``detach()`` gives a tensor cut from the autograd graph
        that shares the storage.  refnn has no graph, so it gives a copy:
        changing it changes nothing in the parameter.

        >>> p = Parameter([1.0, 2.0])
        >>> v = p.detach()
        >>> v[0] = 5.0
        >>> p.data, type(v).__name__
        ([1.0, 2.0], 'list')
        """
        return _clone(self._data)

    def __repr__(self):
        return f"Parameter({list.__repr__(self._data)})"
