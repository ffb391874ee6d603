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

The operations themselves are :class:`~refnn.autograd.Function` objects in
:mod:`refnn.functions` (arithmetic, reductions, products),
:mod:`refnn.shapes` (views, joins, indexing), :mod:`refnn.linalg` and
:mod:`refnn.sampling`; a Tensor's methods call them.  This module makes
tensors: :func:`tensor`, :func:`zeros`, :func:`ones`, :func:`full`,
:func:`arange`, :func:`linspace`, :func:`eye`, :func:`rand`, :func:`randn`.

Departures from PyTorch: the numbers are Python's (a float is a double,
ints stay ints, no device; ``float32`` is accepted and computes in
doubles), a tensor's ``dtype`` is read from its numbers, and a tensor prints
its numbers as Python writes them (``tensor([0.5, 1.0])`` where PyTorch
writes ``tensor([0.5000, 1.0000])``).
"""
import math
import operator
import random
from collections import namedtuple

from refnn import autograd
from refnn._checks import (
    _bool, _dim, _int, _is_number, _is_sequence, _isfinite, _lists, _picks, _shape, _varargs, ShapeError,
)
from refnn._nested import (
    _broadcast, _broadcast_shape, _clone, _each, _first, _flatten, _map, _nest, _shape_of,
)

__all__ = [
    "Tensor", "tensor", "dtype", "float64", "float32", "int64", "long", "bool_",
    "set_default_dtype", "get_default_dtype",
    "zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "arange", "linspace", "eye",
    "rand", "randn",
]


# --- dtypes: names for Python's kinds of number ------------------------------------

class dtype(namedtuple("dtype", ["name", "convert", "is_floating_point"])):
    """A kind of number, by PyTorch's name: ``float64``, ``float32``, ``int64`` (``long``), ``bool``.

    refnn's numbers are Python's, so a dtype only says how to convert a
    number (``float``, ``int``, ``bool``); ``float32`` computes in doubles,
    as ``float64`` does.

    >>> tensor([1, 2], dtype=float64)
    tensor([1.0, 2.0])
    >>> tensor([0.5, 2.0]).dtype, tensor([1, 2]).dtype, tensor([True]).dtype
    (refnn.float64, refnn.int64, refnn.bool)
    """

    __slots__ = ()

    def __repr__(self):
        return f"refnn.{self.name}"


float64 = dtype("float64", float, True)
float32 = dtype("float32", float, True)     # computed in doubles: Python has no single precision
int64 = long = dtype("int64", int, False)
bool_ = dtype("bool", bool, False)
_default_dtype = [float64]


def set_default_dtype(d):
    """The dtype of floats made from ints by a factory (``zeros``, ``arange(0.0, …)``): float64 or float32.

    Both compute in Python's doubles; the choice is kept for programs that set it.

    >>> set_default_dtype(float32); get_default_dtype()
    refnn.float32
    >>> set_default_dtype(float64)
    >>> set_default_dtype(int64)
    Traceback (most recent call last):
        ...
    TypeError: set_default_dtype: only floating-point types are supported as the default type
    """
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("set_default_dtype: only floating-point types are supported as the default type")
    _default_dtype[0] = d


def get_default_dtype():
    """The default floating dtype (float64 unless :func:`set_default_dtype` chose float32).

    >>> get_default_dtype()
    refnn.float64
    """
    return _default_dtype[0]


def _dtype_of(value):
    """The dtype a value's numbers have: bool, int64, or (floats, Fractions, symbols) float64."""
    first = _first(value)
    if isinstance(first, bool):
        return bool_
    if isinstance(first, int):
        return int64
    return float64


def _check_dtype(op, d):
    if d is not None and not isinstance(d, dtype):
        raise TypeError(f"{op}: dtype must be a refnn dtype such as refnn.float64, got {type(d).__name__}")
    return d


def _unbool(v):
    return int(v) if isinstance(v, bool) else v


# --- the Tensor -----------------------------------------------------------------

class Tensor:
    """An n-d array of numbers with a shape, a ``requires_grad`` flag, a ``.grad`` and a ``.grad_fn``.

    Make one with :func:`tensor`.  ``grad_fn`` is the step that made it (None
    for a tensor you made yourself: a leaf); ``grad`` is None until
    ``backward()`` reaches it.  Arithmetic (``+ - * / ** @``) broadcasts as
    PyTorch does and is recorded; comparisons give tensors of bools.

    >>> x = tensor([[1, 2], [3, 4]])
    >>> x.shape, x.dim(), x.numel(), x.requires_grad, x.grad_fn
    ((2, 2), 2, 4, False, None)
    >>> x.sum(0), x.sum(1), x.sum()
    (tensor([4, 6]), tensor([3, 7]), tensor(10))
    >>> x.permute(1, 0), x.view(-1)
    (tensor([[1, 3], [2, 4]]), tensor([1, 2, 3, 4]))
    >>> x * 10 + 1, 1 - x, x / 2
    (tensor([[11, 21], [31, 41]]), tensor([[0, -1], [-2, -3]]), tensor([[0.5, 1.0], [1.5, 2.0]]))
    >>> x > 2
    tensor([[False, False], [True, True]])

    Indexing takes ints and slices, one per leading dimension:

    >>> x[0], x[1, 0], x[:, 1], x[-1].tolist()
    (tensor([1, 2]), tensor(3), tensor([2, 4]), [3, 4])
    >>> x[2]
    Traceback (most recent call last):
        ...
    IndexError: index 2 is out of bounds for dimension 0 with size 2
    """

    # _base: the tensor whose numbers a .data or detach() view shares (a 0-d number cannot be shared)
    __slots__ = ("_value", "_shape", "requires_grad", "grad", "grad_fn", "_base", "__weakref__")

    def __init__(self, data, requires_grad=False):
        if isinstance(data, Tensor):
            data = data._value
        self._shape = _shape("tensor", data)
        value = _clone(data)
        if self._shape and value and bool in set(map(type, _flatten(value, self._shape))):
            if not all(type(v) is bool for v in _flatten(value, self._shape)):
                value = _each(_unbool, value, len(self._shape))     # True + 1 is 2: bools among ints count 1
        self._value = value
        self.requires_grad = _bool("tensor", "requires_grad", requires_grad)
        self.grad, self.grad_fn, self._base = None, None, None

    @classmethod
    def _result(cls, value, grad_fn, dims=None):
        """A tensor around a value a Function computed (no copy, no check); it requires grad if recorded.

        Its shape is read from the value, or given as dims where the value cannot show it ([] of (0, 3)).
        """
        t = cls.__new__(cls)
        t._value, t._shape = value, _shape_of(value) if dims is None else dims
        t.requires_grad, t.grad, t.grad_fn, t._base = grad_fn is not None, None, grad_fn, None
        return t

    @staticmethod
    def _value_of(op, x, dims):
        """The value of x (a Tensor, a nested list or a number), checked to have the shape dims."""
        value = x._value if isinstance(x, Tensor) else x
        found = x._shape if isinstance(x, Tensor) else _shape(op, x)
        if found != dims:
            raise ShapeError(f"{op}: Mismatch in shape: grad_output[0] has a shape of {found} and "
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
        if dim is None:
            return self._shape
        if not self._shape:
            _int("size", "dim", dim)
            raise IndexError(f"size: Dimension specified as {dim} but tensor has no dimensions")
        return self._shape[_dim("size", dim, self.dim())]

    def dim(self):
        """The number of dimensions (0 for a number).

        >>> tensor([[1, 2]]).dim(), tensor(5).dim()
        (2, 0)
        """
        return len(self._shape)

    ndim = property(dim, doc="The number of dimensions, as a property (``x.ndim``).")

    def numel(self):
        """The number of numbers it holds: the product of its sizes.

        >>> tensor([[1, 2, 3], [4, 5, 6]]).numel(), tensor(5).numel()
        (6, 1)
        """
        return math.prod(self._shape)

    @property
    def dtype(self):
        """The kind of its numbers (see :class:`dtype`), read from them."""
        return _dtype_of(self._value)

    @property
    def device(self):
        """Always ``"cpu"``: refnn computes in Python."""
        return "cpu"

    def is_floating_point(self):
        """True unless the tensor holds ints or bools.

        >>> tensor([1.0]).is_floating_point(), tensor([1]).is_floating_point()
        (True, False)
        """
        return self.dtype.is_floating_point

    def tolist(self):
        """The numbers as a new nested list (a number for a 0-d tensor).

        >>> tensor([[1, 2], [3, 4]]).tolist(), tensor(5).tolist()
        ([[1, 2], [3, 4]], 5)
        """
        return _clone(self._value)

    def item(self):
        """The one number of a tensor that holds exactly one.

        >>> tensor([[1, 2], [3, 4]]).sum().item(), tensor([[7]]).item()
        (10, 7)
        >>> tensor([1, 2]).item()
        Traceback (most recent call last):
            ...
        RuntimeError: a Tensor with 2 elements cannot be converted to Scalar
        """
        values = _flatten(self._value, self._shape)
        if len(values) != 1:
            raise RuntimeError(f"a Tensor with {len(values)} elements cannot be converted to Scalar")
        return values[0]

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.dtype is float64:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    __hash__ = object.__hash__          # a tensor is an object (PyTorch's tensors hash by identity)

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

        The seed: a detached tensor no longer takes part in gradient descent
        (不会再参与梯度下降).  As in PyTorch it shares the numbers: an in-place
        change of one shows in the other.

        >>> w = tensor([1.0, 2.0], requires_grad=True)
        >>> d = (w * 2).detach()
        >>> d, d.requires_grad, d.grad_fn
        (tensor([2.0, 4.0]), False, None)
        >>> x = tensor([1, 2])
        >>> x.detach(), x.detach() is x
        (tensor([1, 2]), False)
        """
        return self._view()

    @property
    def data(self):
        """The numbers without the graph: a tensor sharing them that does not require grad.

        An optimizer changes ``p.data`` in place; ``p.data = t`` gives p the numbers of t.

        >>> p = tensor([1.0, 2.0], requires_grad=True)
        >>> p.data.mul_(10)
        tensor([10.0, 20.0])
        >>> p
        tensor([10.0, 20.0], requires_grad=True)
        """
        return self._view()

    def _view(self):
        """A tensor sharing self's numbers, outside the graph."""
        view = Tensor._result(self._value, None, self._shape)
        view._base = self if self._base is None else self._base
        return view

    @data.setter
    def data(self, new):
        if not isinstance(new, Tensor):
            raise TypeError(f"data: expected a Tensor, got {type(new).__name__}")
        self._value, self._shape = new._value, new._shape

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place (only on a leaf) and return the tensor.

        >>> tensor([1.0]).requires_grad_()
        tensor([1.0], requires_grad=True)
        """
        _bool("requires_grad_", "requires_grad", requires_grad)
        if not requires_grad and not self.is_leaf:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to "
                               "use a computed variable in a subgraph that doesn't require differentiation "
                               "use var_no_grad = var.detach().")
        self.requires_grad = requires_grad
        return self

    # --- arithmetic and comparisons (refnn.functions) -------------------------

    def __add__(self, other):
        return _functions().add(self, other)

    def __radd__(self, other):
        return _functions().add(other, self)

    def __sub__(self, other):
        return _functions().sub(self, other)

    def __rsub__(self, other):
        return _functions().sub(other, self)

    def __mul__(self, other):
        return _functions().mul(self, other)

    def __rmul__(self, other):
        return _functions().mul(other, self)

    def __truediv__(self, other):
        return _functions().div(self, other)

    def __rtruediv__(self, other):
        return _functions().div(other, self)

    def __pow__(self, other):
        return _functions().pow(self, other)

    def __rpow__(self, other):
        return _functions().pow(other, self)

    def __matmul__(self, other):
        return _functions().matmul(self, other)

    def __rmatmul__(self, other):
        return _functions().matmul(other, self)

    def __neg__(self):
        return _functions().neg(self)

    # w -= lr * w.grad changes w in place, as in PyTorch (so a leaf stays a leaf)
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __pos__(self):
        return self

    def __abs__(self):
        return _functions().abs(self)

    def __eq__(self, other):
        return self._compare("eq", other)

    def __ne__(self, other):
        return self._compare("ne", other)

    def __lt__(self, other):
        return self._compare("lt", other)

    def __le__(self, other):
        return self._compare("le", other)

    def __gt__(self, other):
        return self._compare("gt", other)

    def __ge__(self, other):
        return self._compare("ge", other)

    def add(self, other, alpha=1):
        """self + alpha·other, broadcast (``torch.add``)."""
        return _functions().add(self, other, alpha=alpha)

    def sub(self, other, alpha=1):
        """self − alpha·other, broadcast (``torch.sub``)."""
        return _functions().sub(self, other, alpha=alpha)

    def mul(self, other):
        """self · other place by place, broadcast."""
        return _functions().mul(self, other)

    def div(self, other):
        """self / other place by place, broadcast."""
        return _functions().div(self, other)

    def pow(self, exponent):
        """self ** exponent place by place, broadcast."""
        return _functions().pow(self, exponent)

    def matmul(self, other):
        """The matrix product, as ``torch.matmul`` (vectors, matrices, batches)."""
        return _functions().matmul(self, other)

    def mm(self, other):
        """The product of two matrices (``torch.mm``)."""
        return _functions().mm(self, other)

    def exp(self):
        """e^x place by place."""
        return _functions().exp(self)

    def log(self):
        """The natural logarithm place by place."""
        return _functions().log(self)

    def sigmoid(self):
        """σ(x) = 1/(1 + e^(−x)) place by place."""
        return _functions().sigmoid(self)

    def tanh(self):
        """tanh(x) place by place."""
        return _functions().tanh(self)

    def relu(self):
        """max(0, x) place by place."""
        return _functions().relu(self)

    def abs(self):
        """|x| place by place."""
        return _functions().abs(self)

    def sqrt(self):
        """√x place by place."""
        return _functions().sqrt(self)

    def clamp(self, min=None, max=None):
        """x cut to [min, max] place by place."""
        return _functions().clamp(self, min, max)

    def sum(self, dim=None, keepdim=False):
        """The sum of all numbers, or over dim (that dimension vanishes unless keepdim).

        >>> tensor([[1, 2], [3, 4]]).sum(1, keepdim=True)
        tensor([[3], [7]])
        """
        return _functions().sum(self, dim, keepdim)

    def mean(self, dim=None, keepdim=False):
        """The mean of all numbers, or over dim."""
        return _functions().mean(self, dim, keepdim)

    def max(self, dim=None, keepdim=False):
        """The largest number, or (values, indices) along dim."""
        return _functions().max(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        """The index of the largest number (of the flattened tensor when dim is None)."""
        return _functions().argmax(self, dim, keepdim)

    # --- shapes (refnn.shapes) ------------------------------------------------

    def view(self, *shape):
        """The numbers in a new shape, read row by row (one size may be -1).

        >>> tensor([1, 2, 3, 4, 5, 6]).view(2, 3)
        tensor([[1, 2, 3], [4, 5, 6]])
        """
        return _shapes().view(self, _varargs(shape))

    def view_as(self, other):
        """The numbers in the shape of other."""
        return _shapes().view(self, _other("view_as", other).shape)

    def reshape(self, *shape):
        """The numbers in a new shape, read row by row (one size may be -1).

        >>> tensor([[1, 2], [3, 4]]).reshape((4, 1)).shape
        (4, 1)
        """
        return _shapes().reshape(self, _varargs(shape))

    def flatten(self, start_dim=0, end_dim=-1):
        """Dimensions start_dim..end_dim merged into one."""
        return _shapes().flatten(self, start_dim, end_dim)

    def permute(self, *dims):
        """The dimensions reordered: result dimension k is dimension dims[k].

        >>> tensor([[1, 2, 3]]).permute(1, 0)
        tensor([[1], [2], [3]])
        """
        return _shapes().permute(self, _varargs(dims))

    def transpose(self, dim0, dim1):
        """Dimensions dim0 and dim1 swapped."""
        return _shapes().transpose(self, dim0, dim1)

    def t(self):
        """The transpose of a matrix (a vector stays as it is)."""
        return _shapes().t(self)

    @property
    def T(self):
        """The dimensions in reverse order: a matrix's transpose."""
        return _shapes().permute(self, tuple(range(self.dim() - 1, -1, -1)))

    def unsqueeze(self, dim):
        """A new dimension of size 1 at dim.

        >>> tensor([1, 2]).unsqueeze(0).shape
        (1, 2)
        """
        return _shapes().unsqueeze(self, dim)

    def squeeze(self, dim=None):
        """The dimensions of size 1 removed (all, or those named by dim).

        >>> tensor([[[1], [2]]]).squeeze()
        tensor([1, 2])
        """
        return _shapes().squeeze(self, dim)

    def narrow(self, dim, start, length):
        """length slices from start along dim.

        >>> tensor([[1, 2, 3], [4, 5, 6]]).narrow(1, 1, 2)
        tensor([[2, 3], [5, 6]])
        """
        return _shapes().narrow(self, dim, start, length)

    def expand(self, *sizes):
        """The size-1 dimensions repeated to sizes (-1 keeps a size)."""
        return _shapes().expand(self, _varargs(sizes))

    def expand_as(self, other):
        """Expanded to the shape of other."""
        return _shapes().expand(self, _other("expand_as", other).shape)

    def clone(self):
        """A copy that stays in the graph (the gradient passes through unchanged)."""
        return _shapes().clone(self)

    def contiguous(self):
        """The tensor itself: nested lists are always read row by row."""
        return self

    def __getitem__(self, key):
        return _shapes().index(self, key)

    def __setitem__(self, key, value):
        """x[key] = value, in place (value broadcast to the part it replaces); recorded in the graph."""
        picks = _picks(self._shape, key if isinstance(key, tuple) else (key,))
        if not isinstance(value, Tensor):
            _shape("__setitem__", value)
            value = Tensor(value)
        region = tuple(len(p) for p in picks if isinstance(p, range)) + self._shape[len(picks):]
        if _broadcast_shape("__setitem__", region, value._shape) != region:
            raise ShapeError(f"__setitem__: shape mismatch: value tensor of shape {value._shape} cannot be "
                             f"broadcast to indexing result of shape {region}")
        self._inplace("__setitem__", lambda t: _shapes().IndexPut.apply(t, value, picks), value.requires_grad)

    # --- conversions ------------------------------------------------------------

    def to(self, *args, **kwargs):
        """Itself on ``"cpu"``; converted for a dtype (``x.to(refnn.float64)``)."""
        for a in args + tuple(kwargs.values()):
            if isinstance(a, dtype):
                return self._as(a)
            if isinstance(a, Tensor):
                return self._as(a.dtype)
            if a != "cpu":
                raise TypeError(f"to: expected a dtype, a Tensor or 'cpu', got {type(a).__name__} {a!r:.20}")
        return self

    def cpu(self):
        """The tensor itself: refnn computes on the CPU."""
        return self

    def float(self):
        """The numbers as floats (recorded: the gradient passes through)."""
        return self._as(float32)

    def double(self):
        """The numbers as floats (Python's floats are doubles)."""
        return self._as(float64)

    def long(self):
        """The numbers as ints, truncated towards 0 (not recorded: ints have no gradient)."""
        return self._as(int64)

    def int(self):
        """The numbers as ints, truncated towards 0."""
        return self._as(int64)

    def bool(self):
        """The numbers as bools: True where not 0."""
        return self._as(bool_)

    def type_as(self, other):
        """The numbers converted to the dtype of other."""
        return self._as(_other("type_as", other).dtype)

    def _as(self, d):
        if d.is_floating_point:
            return _functions().Cast.apply(self, d)
        try:
            return Tensor._result(_each(d.convert, self._value, self.dim()), None, self._shape)
        except (ValueError, OverflowError) as e:      # int(nan), int(inf)
            raise ValueError(f"{d.name}: cannot convert: {e}") from None

    def _compare(self, op, other):
        """self op other place by place, broadcast: a tensor of bools, not recorded (``x > 0``)."""
        if isinstance(other, Tensor):
            dims = other._shape
        elif _is_number(other) or _is_sequence(other):
            dims = _shape(op, other)
            other = _clone(other)
        else:
            return NotImplemented               # x == "a" is False, as for any two unlike objects
        f = _COMPARE[op]
        out, _, _, shape = _broadcast(op, lambda x, y: bool(f(x, y)), self._value,
                                      other._value if isinstance(other, Tensor) else other,
                                      shapes=(self._shape, dims))
        return Tensor._result(out, None, shape)

    # --- in place (the name ends in _) --------------------------------------------

    def add_(self, other, alpha=1):
        """self += alpha·other, in place (an optimizer's step: ``p.data.add_(p.grad, alpha=-lr)``).

        >>> w = tensor([1.0, 2.0])
        >>> w.add_(tensor([10.0, 10.0]), alpha=-0.5)
        tensor([-4.0, -3.0])
        >>> tensor([1.0], requires_grad=True).add_(1)
        Traceback (most recent call last):
            ...
        RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.
        """
        return self._inplace("add_", lambda t: _functions().add(t, other, alpha=alpha))

    def sub_(self, other, alpha=1):
        """self −= alpha·other, in place."""
        return self._inplace("sub_", lambda t: _functions().sub(t, other, alpha=alpha))

    def mul_(self, other):
        """self *= other, in place."""
        return self._inplace("mul_", lambda t: _functions().mul(t, other))

    def div_(self, other):
        """self /= other, in place."""
        return self._inplace("div_", lambda t: _functions().div(t, other))

    def clamp_(self, min=None, max=None):
        """self cut to [min, max], in place."""
        return self._inplace("clamp_", lambda t: _functions().clamp(t, min, max))

    def copy_(self, src):
        """The numbers of src (broadcast to self's shape) written into self.

        >>> w = tensor([[0.0, 0.0], [0.0, 0.0]])
        >>> w.copy_(tensor([1, 2]))
        tensor([[1.0, 2.0], [1.0, 2.0]])
        """
        return self._inplace("copy_", lambda t: _functions().add(t * 0, src))

    def fill_(self, value):
        """Every number set to value, in place.

        >>> tensor([[1.5, 2.5]]).fill_(3)
        tensor([[3.0, 3.0]])
        """
        if not _is_number(value) or _is_sequence(value):
            raise TypeError(f"fill_: value must be a number, got {type(value).__name__}")
        return self._write("fill_", _each(lambda _: value, self._value, self.dim()))

    def zero_(self):
        """Every number set to 0, in place (an optimizer's ``zero_grad``).

        >>> tensor([1.5, -2.0]).zero_()
        tensor([0.0, 0.0])
        """
        return self.fill_(0)

    def normal_(self, mean=0.0, std=1.0, generator=None):
        """Numbers drawn from N(mean, std²), in place, from refnn.init's seeded generator.

        The seed's ``m.weight.data.normal_(0, math.sqrt(2. / n))``.

        >>> import refnn.init
        >>> _ = refnn.init.manual_seed(0)
        >>> [round(v, 6) for v in zeros(3).normal_(0, 0.1).tolist()]
        [0.094172, -0.139658, -0.067971]
        """
        return self._draw("normal_", lambda values: _init().normal_(values, mean, std, generator))

    def uniform_(self, a=0.0, b=1.0, generator=None):
        """Numbers drawn from U(a, b), in place, from refnn.init's seeded generator.

        >>> w = zeros(3).uniform_(-1, 1)
        >>> all(-1 <= v <= 1 for v in w.tolist())
        True
        """
        return self._draw("uniform_", lambda values: _init().uniform_(values, a, b, generator))

    def _check_inplace(self, op):
        if self.requires_grad and self.grad_fn is None and autograd.is_grad_enabled():
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")

    def _inplace(self, op, compute, joins=False):
        """self becomes compute(self): recorded when in the graph (or joining it), else written in place."""
        self._check_inplace(op)
        recorded = (self.requires_grad or joins) and autograd.is_grad_enabled()     # a step: rebind
        try:
            with autograd.set_grad_enabled(recorded):
                out = compute(self if recorded else Tensor._result(self._value, None, self._shape))
        except (TypeError, ValueError) as e:                      # ShapeError too: name the in-place op
            raise type(e)(f"{op}: {e}") from None
        self._check_shape(op, out)
        if recorded:
            self._value, self.grad_fn, self.requires_grad = out._value, out.grad_fn, True
            return self
        return self._write(op, out._value)

    def _check_shape(self, op, out):
        if out._shape != self._shape:
            raise ShapeError(f"{op}: output with shape {list(self._shape)} doesn't match the broadcast "
                             f"shape {list(out._shape)}")

    def _write(self, op, value):
        """Write value (of self's shape) into self's own lists, so every view of them sees it."""
        self._check_inplace(op)
        if isinstance(_first(self._value), float) and not isinstance(_first(value), float):
            value = _each(_to_float, value, self.dim())     # a float tensor stays float (fill_(3) gives 3.0)
        if not self._shape:
            self._share(value)
        else:
            _overwrite(self._value, value, self.dim())
        return self

    def _share(self, number):
        """A 0-d tensor's new number, given to the tensor it is a view of too (p.data.fill_(3) changes p)."""
        self._value = number
        if self._base is not None:
            self._base._value = number

    def _draw(self, op, fill):
        self._check_inplace(op)
        if not self._shape:
            self._share(fill([0.0])[0])
        else:
            fill(self._value)
        return self

    def __repr__(self):
        extra = ""
        if self.grad_fn is not None:
            extra = f", grad_fn={self.grad_fn!r}"
        elif self.requires_grad:
            extra = ", requires_grad=True"
        if 0 in self._shape[:-1]:               # [] cannot show the shape (0, 3)
            extra = f", size={self._shape}{extra}"
        if self.numel() > 1000:                  # PyTorch's threshold: the first and last 3 per dimension
            return f"tensor({_summary(self._value, self.dim())}{extra})"
        return f"tensor({self._value!r}{extra})"


_COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
            "gt": operator.gt, "ge": operator.ge}


def _other(op, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: other must be a Tensor, got {type(x).__name__}")
    return x


def _summary(x, depth):
    if depth == 0:
        return repr(x)
    if len(x) > 6:
        parts = [_summary(v, depth - 1) for v in x[:3]] + ["..."] + [_summary(v, depth - 1) for v in x[-3:]]
    else:
        parts = [_summary(v, depth - 1) for v in x]
    return f"[{', '.join(parts)}]"


def _overwrite(dst, src, depth):
    if depth == 1:
        dst[:] = src
        return
    for d, s in zip(dst, src):
        _overwrite(d, s, depth - 1)


def _to_float(v):
    return float(v) if isinstance(v, int) else v


def _functions():
    from refnn import functions     # the Functions import this module: bound at first use
    return functions


def _shapes():
    from refnn import shapes
    return shapes


def _init():
    from refnn import init
    return init


def _plus(a, b):
    return a + b


# --- making tensors ----------------------------------------------------------------

def tensor(data, requires_grad=False, *, dtype=None, device=None):
    """A new tensor holding a copy of data: a number or a nested list of numbers (``torch.tensor``).

    >>> x = tensor([[1, 1, -1], [4, 0, 2], [1, 0, 0]])
    >>> x.shape
    (3, 3)
    >>> tensor(3.5, requires_grad=True), tensor([1, 2], dtype=float32)
    (tensor(3.5, requires_grad=True), tensor([1.0, 2.0]))
    >>> tensor(3.5), tensor([])
    (tensor(3.5), tensor([]))
    >>> tensor("abc")
    Traceback (most recent call last):
        ...
    TypeError: tensor: expected numbers, got str 'abc'
    >>> tensor([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: tensor: ragged list: at depth 1, item 1 has 1 entries where item 0 has 2 entries
    """
    _check_device("tensor", device)
    t = Tensor(data, requires_grad)
    if _check_dtype("tensor", dtype) is not None:
        t._value = _each(dtype.convert, t._value, t.dim())
    return t


def _check_device(op, device):
    if device not in (None, "cpu"):
        raise ValueError(f"{op}: refnn computes on the CPU only, got device {device!r}")


def _made(op, dims, number, requires_grad, d):
    """A new leaf of shape dims (checked) filled by number(), converted to dtype d."""
    dims = _sizes(op, dims)
    _bool(op, "requires_grad", requires_grad)
    d = _check_dtype(op, d) or (int64 if isinstance(number(), int) else get_default_dtype())
    try:
        values = [d.convert(number()) for _ in range(math.prod(dims))]
    except (OverflowError, ValueError) as e:       # float(10**400), int(nan)
        raise ValueError(f"{op}: cannot make {d.name} numbers of {number()!r:.40}: {e}") from None
    value = _nest(values, dims) if dims else values[0]
    return Tensor._result(value, None, dims).requires_grad_(requires_grad)


def _sizes(op, dims):
    dims = _varargs(dims)
    for n in dims:
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"{op}: sizes must be ints, got {type(n).__name__}")
        if n < 0:
            raise ValueError(f"{op}: Trying to create tensor with negative dimension {n}: {list(dims)}")
    _lists(op, tuple(dims))
    return tuple(dims)


def zeros(*size, dtype=None, requires_grad=False):
    """A tensor of zeros of the given size (floats unless dtype says otherwise).

    >>> zeros(2, 3)
    tensor([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> zeros((2,), dtype=int64)
    tensor([0, 0])
    """
    return _made("zeros", size, lambda: 0.0, requires_grad, dtype)


def ones(*size, dtype=None, requires_grad=False):
    """A tensor of ones of the given size.

    >>> ones(2), ones(1, 2, dtype=bool_)
    (tensor([1.0, 1.0]), tensor([[True, True]]))
    """
    return _made("ones", size, lambda: 1.0, requires_grad, dtype)


def full(size, fill_value, *, dtype=None, requires_grad=False):
    """A tensor of the given size holding fill_value everywhere (its dtype is the number's).

    >>> full((2, 2), 7)
    tensor([[7, 7], [7, 7]])
    """
    if not _is_number(fill_value) or _is_sequence(fill_value):
        raise TypeError(f"full: fill_value must be a number, got {type(fill_value).__name__}")
    if isinstance(size, int) and not isinstance(size, bool):
        size = (size,)
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full: size must be a tuple of ints, got {type(size).__name__}")
    d = _check_dtype("full", dtype) or (bool_ if isinstance(fill_value, bool) else None)
    return _made("full", tuple(size), lambda: fill_value, requires_grad, d)


def _like(op, input, number, dtype, requires_grad):
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: input must be a Tensor, got {type(input).__name__}")
    return _made(op, input.shape, number, requires_grad, _check_dtype(op, dtype) or input.dtype)


def zeros_like(input, *, dtype=None, requires_grad=False):
    """Zeros of the shape (and dtype) of input.

    >>> zeros_like(tensor([[1.5, 2.5]])), zeros_like(tensor([1, 2]))
    (tensor([[0.0, 0.0]]), tensor([0, 0]))
    """
    return _like("zeros_like", input, lambda: 0, dtype, requires_grad)


def ones_like(input, *, dtype=None, requires_grad=False):
    """Ones of the shape (and dtype) of input.

    >>> ones_like(tensor([[1.5, 2.5]]))
    tensor([[1.0, 1.0]])
    """
    return _like("ones_like", input, lambda: 1, dtype, requires_grad)


def full_like(input, fill_value, *, dtype=None, requires_grad=False):
    """fill_value everywhere, in the shape (and dtype) of input.

    >>> full_like(tensor([1.0, 2.0]), 5)
    tensor([5.0, 5.0])
    """
    if not _is_number(fill_value) or _is_sequence(fill_value):
        raise TypeError(f"full_like: fill_value must be a number, got {type(fill_value).__name__}")
    return _like("full_like", input, lambda: fill_value, dtype, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, requires_grad=False):
    """start, start + step, … up to end (excluded); ints when all three are ints (``torch.arange``).

    >>> arange(5), arange(1, 2, 0.25)
    (tensor([0, 1, 2, 3, 4]), tensor([1.0, 1.25, 1.5, 1.75]))
    >>> arange(0, 1, 0)
    Traceback (most recent call last):
        ...
    ValueError: arange: step must be nonzero
    """
    if end is None:
        start, end = 0, start
    for name, v in (("start", start), ("end", end), ("step", step)):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"arange: {name} must be an int or a float, got {v!r:.40}")
        if not _isfinite(v):
            raise ValueError(f"arange: {name} must be finite (and within a float's range), got {v!r:.40}")
    _bool("arange", "requires_grad", requires_grad)
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    try:
        n = max(0, math.ceil((end - start) / step))
    except OverflowError:
        raise ValueError(f"arange: the range from {start:.3g} to {end:.3g} is too large") from None
    _lists("arange", (n,))
    values = [start + i * step for i in range(n)]
    d = _check_dtype("arange", dtype) or (int64 if all(isinstance(v, int) for v in (start, end, step))
                                          else get_default_dtype())
    return Tensor._result(list(map(d.convert, values)), None).requires_grad_(requires_grad)


def linspace(start, end, steps, *, dtype=None, requires_grad=False):
    """steps numbers evenly spaced from start to end, both included (``torch.linspace``).

    >>> linspace(0, 1, 5)
    tensor([0.0, 0.25, 0.5, 0.75, 1.0])
    """
    _int("linspace", "steps", steps)
    _bool("linspace", "requires_grad", requires_grad)
    if steps < 0:
        raise ValueError("linspace: number of steps must be non-negative")
    _lists("linspace", (steps,))
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not _isfinite(v):
            raise TypeError(f"linspace: {name} must be a finite int or float, got {v!r:.40}")
    start, end = float(start), float(end)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    # PyTorch's kernel: the first half from start, the second half from end, so both ends are exact
    values = [start + step * i if i < steps // 2 else end - step * (steps - 1 - i) for i in range(steps)]
    d = _check_dtype("linspace", dtype) or get_default_dtype()
    return Tensor._result(list(map(d.convert, values)), None).requires_grad_(requires_grad)


def eye(n, m=None, *, dtype=None, requires_grad=False):
    """The n×m identity matrix: ones on the diagonal (``torch.eye``).

    >>> eye(2)
    tensor([[1.0, 0.0], [0.0, 1.0]])
    """
    m = n if m is None else m
    n, m = _sizes("eye", (n, m))
    _bool("eye", "requires_grad", requires_grad)
    d = _check_dtype("eye", dtype) or get_default_dtype()
    value = [[d.convert(1 if i == j else 0) for j in range(m)] for i in range(n)]
    return Tensor._result(value, None).requires_grad_(requires_grad)


def rand(*size, generator=None, dtype=None, requires_grad=False):
    """Numbers drawn from U(0, 1), from refnn.init's seeded generator (``manual_seed`` resets it).

    >>> import refnn.init
    >>> _ = refnn.init.manual_seed(0)
    >>> a = rand(2, 2)
    >>> _ = refnn.init.manual_seed(0)
    >>> rand(2, 2).tolist() == a.tolist(), a.shape
    (True, (2, 2))
    """
    return _drawn("rand", size, generator, dtype, requires_grad).uniform_(0.0, 1.0, generator) \
        .requires_grad_(requires_grad)


def randn(*size, generator=None, dtype=None, requires_grad=False):
    """Numbers drawn from N(0, 1), from refnn.init's seeded generator.

    >>> randn(3).shape
    (3,)
    """
    return _drawn("randn", size, generator, dtype, requires_grad).normal_(0.0, 1.0, generator) \
        .requires_grad_(requires_grad)


def _drawn(op, size, generator, d, requires_grad):
    """Zeros to draw into, every argument checked first (a failed call draws nothing)."""
    if generator is not None and not isinstance(generator, random.Random):
        raise TypeError(f"{op}: generator must be a random.Random, got {type(generator).__name__}")
    if d is not None and not (isinstance(d, dtype) and d.is_floating_point):
        raise TypeError(f"{op}: dtype must be a floating dtype, got {d!r:.40}")
    return _made(op, size, lambda: 0.0, requires_grad, d)
