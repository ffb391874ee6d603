"""Parameter: a tensor a network learns, PyTorch's ``nn.Parameter``.

A Parameter is a :class:`~refnn.tensors.Tensor` that requires grad, so
``loss.backward()`` fills its ``.grad``; a Module that is given one as an
attribute registers it, so ``parameters()`` finds it and an optimizer
updates it:

>>> w = Parameter([[2.0, -1.0], [3.0, -2.0]])
>>> w
Parameter containing:
tensor([[2.0, -1.0], [3.0, -2.0]], requires_grad=True)
>>> w.grad, w.shape, w.size(), w.numel()
(None, (2, 2), (2, 2), 4)

``.data`` is the same numbers as a tensor that does not record, so the
seed's initialisation line runs as written and changes the parameter:

>>> import math
>>> from refnn import init
>>> _ = init.manual_seed(0)
>>> _ = w.data.normal_(0, math.sqrt(2. / 8))
>>> [[round(v, 6) for v in row] for row in w.tolist()]
[[0.470858, -0.698289], [-0.339857, 0.185252]]
"""
from refnn import init
from refnn._checks import _shape
from refnn.nn._nested import _bool
from refnn.tensors import Tensor

__all__ = ["Parameter"]


class _Filled(Tensor):
    """Tensor's in-place fillers, written on :mod:`refnn.init`: each changes the numbers and returns self."""

    __slots__ = ()

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with N(mean, std²) in place: :func:`refnn.init.normal_`.

        >>> import random
        >>> p = Parameter([0.0, 0.0]).data.normal_(0, 1, generator=random.Random(0))
        >>> [round(v, 6) for v in p.tolist()]
        [0.941715, -1.396578]
        """
        init.normal_(self, mean, std, generator)
        return self

    def uniform_(self, from_=0.0, to=1.0, *, generator=None):
        """Fill with U(from_, to) in place: :func:`refnn.init.uniform_` (PyTorch's ``from``: a keyword here).

        >>> import random
        >>> p = Parameter([0.0, 0.0]).data.uniform_(-1, 1, generator=random.Random(0))
        >>> [round(v, 6) for v in p.tolist()]
        [0.688844, 0.515909]
        """
        init.uniform_(self, from_, to, generator)
        return self

    def fill_(self, value):
        """Set every number to ``value`` in place: :func:`refnn.init.constant_`.

        >>> Parameter([[1.0, 2.0], [3.0, 4.0]]).data.fill_(7)
        tensor([[7, 7], [7, 7]])
        """
        init.constant_(self, value)
        return self

    def zero_(self):
        """Set every number to 0.0 in place: :func:`refnn.init.zeros_`; biases often start so.

        >>> Parameter([0.5, -0.25]).data.zero_()
        tensor([0.0, 0.0])
        """
        init.zeros_(self)
        return self


class Parameter(_Filled):
    """A tensor that requires grad and that a Module registers: ``Parameter(data, requires_grad=True)``.

    The numbers are copied in, so changing the list you passed changes
    nothing here.  ``.grad`` starts as None, as in PyTorch: each
    ``backward`` adds to it and ``zero_grad`` sets it back to None.

    >>> values = [[0.5, -0.5]]
    >>> p = Parameter(values)
    >>> values[0][0] = 9.0
    >>> p.tolist(), p.requires_grad, p.is_leaf
    ([[0.5, -0.5]], True, True)

    Assigning ``.data`` puts new numbers in (a tensor or a nested list):

    >>> p.data = [[1.0, 2.0]]
    >>> p.data
    tensor([[1.0, 2.0]])
    """

    def __init__(self, data=None, requires_grad=True):
        _bool("Parameter", "requires_grad", requires_grad)
        data = [] if data is None else data
        if not isinstance(data, Tensor):
            _shape("Parameter", data)               # the error names the Parameter, not the tensor inside
        super().__init__(data, requires_grad)

    @property
    def data(self):
        """The numbers as a tensor cut from the graph that shares them: filling it fills the parameter.

        >>> p = Parameter([1.0, 2.0])
        >>> p.data.fill_(0.5)
        tensor([0.5, 0.5])
        >>> p
        Parameter containing:
        tensor([0.5, 0.5], requires_grad=True)
        """
        return _Filled._result(self._value, None)

    @data.setter
    def data(self, values):
        if not isinstance(values, Tensor):
            _shape("Parameter.data", values)        # the error names the parameter's data
        new = Tensor(values)
        self._value, self._shape = new._value, new.shape

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        copy = Parameter(self, self.requires_grad)
        memo[id(self)] = copy
        return copy
