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
from refnn._checks import _bool, _shape
from refnn.tensors import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
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

        Assigning takes a tensor, as in PyTorch, or (refnn's convenience) a
        nested list of numbers:

        >>> p = Parameter([1.0, 2.0])
        >>> p.data.fill_(0.5)
        tensor([0.5, 0.5])
        >>> p.data = [3.0, 4.0]
        >>> p
        Parameter containing:
        tensor([3.0, 4.0], requires_grad=True)
        """
        return Tensor.data.fget(self)

    @data.setter
    def data(self, values):
        if not isinstance(values, Tensor):
            _shape("Parameter.data", values)        # the error names the parameter's data
            values = Tensor(values)
        Tensor.data.fset(self, values)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        copy = Parameter(self, self.requires_grad)
        memo[id(self)] = copy
        return copy
