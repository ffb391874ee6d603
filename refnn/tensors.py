"""The Tensor: numbers in nested lists that know their shape, and remember how they were made.

A tensor is PyTorch's n-dimensional array.  refnn's holds its numbers in
nested lists of Python numbers (a number for a 0-d tensor), so a reader can
print it and see every value, and floats, ints, Fractions and sympy
expressions all work.  A tensor made with ``requires_grad=True`` is a
*leaf* whose gradient is wanted; every operation on it records its step
(:mod:`refnn.autograd`), and ``backward()`` fills the leaf's ``.grad``:

>>> w = tensor([2.0, 3.0], requires_grad=True)
>>> loss = (w * w).sum()                 # loss = w0² + w1²
>>> loss
tensor(13.0, grad_fn=<SumBackward>)
>>> loss.backward()
>>> w.grad                               # ∂loss/∂w = 2w
tensor([4.0, 6.0])

Departures from PyTorch: the numbers are Python's (a float is a double,
ints stay ints, no device), and a tensor prints its numbers as Python
writes them (``tensor([0.5, 1.0])`` where PyTorch writes
``tensor([0.5000, 1.0000])``).
"""
import math

from refnn import autograd
from refnn._checks import _shape
from refnn._nested import _clone, _flatten, _map, _shape_of

__all__ = ["Tensor", "tensor", "ones_like"]


class Tensor:
    """An n-d array of numbers with a shape, a ``requires_grad`` flag, a ``.grad`` and a ``.grad_fn``.

    Make one with :func:`tensor`.  ``grad_fn`` is the step that made it (None
    for a tensor you made yourself: a leaf); ``grad`` is None until
    ``backward()`` reaches it.

    >>> x = tensor([[1, 2], [3, 4]])
    >>> x.shape, x.dim(), x.numel(), x.requires_grad, x.grad_fn
    ((2, 2), 2, 4, False, None)
    """

    __slots__ = ("_value", "_shape", "requires_grad", "grad", "grad_fn", "__weakref__")

    def __init__(self, data, requires_grad=False):
        if isinstance(data, Tensor):
            data = data._value
        self._shape = _shape("tensor", data)
        self._value = _clone(data)
        self.requires_grad, self.grad, self.grad_fn = bool(requires_grad), None, None

    @classmethod
    def _result(cls, value, grad_fn):
        """A tensor around a value a Function computed (no copy, no check); it requires grad if recorded."""
        t = cls.__new__(cls)
        t._value, t._shape = value, _shape_of(value)
        t.requires_grad, t.grad, t.grad_fn = grad_fn is not None, None, grad_fn
        return t

    @staticmethod
    def _value_of(op, x, dims):
        """The value of x (a Tensor, a nested list or a number), checked to have the shape dims."""
        value = x._value if isinstance(x, Tensor) else x
        found = x._shape if isinstance(x, Tensor) else _shape(op, x)
        if found != dims:
            raise RuntimeError(f"{op}: Mismatch in shape: grad_output[0] has a shape of {found} and "
                               f"output[0] has a shape of {dims}.")
        return value

    @staticmethod
    def _add_values(a, b):
        """a + b place by place, for two values of one shape: how gradients from two paths meet."""
        return _map(_plus, len(_shape_of(a)), a, b)

    # --- what a tensor is ---------------------------------------------------

    @property
    def shape(self):
        """The size along each dimension, as a tuple (PyTorch's ``x.shape``).

        >>> tensor([[1, 2, 3], [4, 5, 6]]).shape
        (2, 3)
        """
        return self._shape

    def size(self, dim=None):
        """The shape, or the size along one dimension.

        >>> x = tensor([[1, 2, 3], [4, 5, 6]])
        >>> x.size(), x.size(-1)
        ((2, 3), 3)
        """
        return self._shape if dim is None else self._shape[dim]

    def dim(self):
        """The number of dimensions (0 for a number).

        >>> tensor([[1, 2]]).dim(), tensor(5).dim()
        (2, 0)
        """
        return len(self._shape)

    def numel(self):
        """The number of numbers it holds: the product of its sizes.

        >>> tensor([[1, 2, 3], [4, 5, 6]]).numel(), tensor(5).numel()
        (6, 1)
        """
        return math.prod(self._shape)

    def tolist(self):
        """The numbers as a new nested list (a number for a 0-d tensor).

        >>> tensor([[1, 2], [3, 4]]).tolist(), tensor(5).tolist()
        ([[1, 2], [3, 4]], 5)
        """
        return _clone(self._value)

    def item(self):
        """The one number of a tensor that holds exactly one.

        >>> tensor([[7]]).item()
        7
        >>> tensor([1, 2]).item()
        Traceback (most recent call last):
            ...
        RuntimeError: a Tensor with 2 elements cannot be converted to Scalar
        """
        values = _flatten(self._value, self._shape)
        if len(values) != 1:
            raise RuntimeError(f"a Tensor with {len(values)} elements cannot be converted to Scalar")
        return values[0]

    # --- autograd -------------------------------------------------------------

    @property
    def is_leaf(self):
        """True for a tensor not made by a recorded step: the ones whose ``.grad`` backward fills.

        >>> w = tensor([1.0], requires_grad=True)
        >>> w.is_leaf, (w * 2).is_leaf
        (True, False)
        """
        return self.grad_fn is None

    def backward(self, gradient=None, retain_graph=False):
        """Fill the ``.grad`` of every leaf this tensor was made from with ∂self/∂leaf (the chain rule).

        >>> w = tensor([1.0, 2.0], requires_grad=True)
        >>> (w * 3).sum().backward()
        >>> w.grad
        tensor([3.0, 3.0])
        """
        autograd.backward(self, gradient, retain_graph)

    def detach(self):
        """The same numbers, cut from the graph: a new leaf that does not require grad.

        >>> w = tensor([1.0, 2.0], requires_grad=True)
        >>> d = (w * 2).detach()
        >>> d, d.requires_grad, d.grad_fn
        (tensor([2.0, 4.0]), False, None)
        """
        return Tensor._result(self._value, None)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place (only on a leaf) and return the tensor.

        >>> tensor([1.0]).requires_grad_()
        tensor([1.0], requires_grad=True)
        """
        if not requires_grad and not self.is_leaf:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to "
                               "use a computed variable in a subgraph that doesn't require differentiation "
                               "use var_no_grad = var.detach().")
        self.requires_grad = bool(requires_grad)
        return self

    # --- operations (each a Function of refnn.functions) ---------------------

    def __add__(self, other):
        return _functions().Add.apply(self, _operand(other))

    def __radd__(self, other):
        return _functions().Add.apply(_operand(other), self)

    def __mul__(self, other):
        return _functions().Mul.apply(self, _operand(other))

    def __rmul__(self, other):
        return _functions().Mul.apply(_operand(other), self)

    def sum(self, dim=None, keepdim=False):
        """The sum of all numbers, or over dim.

        >>> tensor([[1, 2], [3, 4]]).sum()
        tensor(10)
        """
        return _functions().Sum.apply(self, dim, keepdim)

    def __repr__(self):
        extra = ""
        if self.grad_fn is not None:
            extra = f", grad_fn={self.grad_fn!r}"
        elif self.requires_grad:
            extra = ", requires_grad=True"
        return f"tensor({self._value!r}{extra})"


def _functions():
    from refnn import functions     # the Functions import this module: bound at first use
    return functions


def _operand(x):
    """A number or nested list on the other side of an operator, as a tensor (no grad)."""
    return x if isinstance(x, Tensor) else Tensor(x)


def _plus(a, b):
    return a + b


def tensor(data, requires_grad=False):
    """A new tensor holding a copy of data: a number or a nested list of numbers (``torch.tensor``).

    >>> x = tensor([[1, 1, -1], [4, 0, 2], [1, 0, 0]])
    >>> x.shape
    (3, 3)
    >>> tensor(3.5, requires_grad=True)
    tensor(3.5, requires_grad=True)
    >>> tensor([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: tensor: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    return Tensor(data, requires_grad)


def ones_like(input):
    """A tensor of ones with the shape of input (ints: they take on the type of what they meet).

    >>> ones_like(tensor([[1.5, 2.5]]))
    tensor([[1, 1]])
    """
    return Tensor._result(_map(lambda _: 1, input.dim(), input._value), None)
