"""The operations on tensors, each a Function with its derivative beside it.

Every operation here is a :class:`refnn.autograd.Function`: ``forward``
computes the value, ``backward`` the gradient of each input from the
gradient of the output.  Where PyTorch broadcasts (a row added to every row
of a batch), ``backward`` adds the gradient back up to the input's shape.

>>> from refnn.tensors import tensor
>>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> b = tensor([10.0, 20.0], requires_grad=True)
>>> (x * b).sum().backward()
>>> x.grad, b.grad
(tensor([[10.0, 20.0], [10.0, 20.0]]), tensor([4.0, 6.0]))
"""
from operator import add, mul

from refnn._nested import _add_all, _broadcast_shape, _expand, _flatten, _map, _shape_of, _sum_to
from refnn.autograd import Function

__all__ = ["Add", "Mul", "Sum"]


def _broadcast(op, f, a, b):
    """f(a, b) place by place, the two values broadcast to one shape (PyTorch's rule)."""
    sa, sb = _shape_of(a), _shape_of(b)
    dims = _broadcast_shape(op, sa, sb)
    return _map(f, len(dims), _expand(a, sa, dims), _expand(b, sb, dims)), sa, sb, dims


class Add(Function):
    """a + b, broadcast; ∂/∂a = ∂/∂b = 1, so each input gets the gradient, summed back to its shape.

    >>> from refnn.tensors import tensor
    >>> a = tensor([[1.0, 2.0]], requires_grad=True)
    >>> (a + 1).sum().backward()
    >>> a.grad
    tensor([[1.0, 1.0]])
    """

    @staticmethod
    def forward(ctx, a, b):
        out, ctx.sa, ctx.sb, ctx.dims = _broadcast("add", add, a, b)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _sum_to(grad, ctx.dims, ctx.sa), _sum_to(grad, ctx.dims, ctx.sb)


class Mul(Function):
    """a · b place by place, broadcast; ∂/∂a = b and ∂/∂b = a.

    >>> from refnn.tensors import tensor
    >>> a = tensor([1.0, 2.0], requires_grad=True)
    >>> (a * a).sum().backward()            # d(a²)/da = 2a, from both factors
    >>> a.grad
    tensor([2.0, 4.0])
    """

    @staticmethod
    def forward(ctx, a, b):
        out, ctx.sa, ctx.sb, ctx.dims = _broadcast("mul", mul, a, b)
        ctx.save_for_backward(a, b)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        dims = ctx.dims
        grad_a = _sum_to(_map(mul, len(dims), grad, _expand(b, ctx.sb, dims)), dims, ctx.sa)
        grad_b = _sum_to(_map(mul, len(dims), grad, _expand(a, ctx.sa, dims)), dims, ctx.sb)
        return grad_a, grad_b


class Sum(Function):
    """Σ of every number (dim None), or over one dim; ∂/∂x = 1 for every number that was added.

    >>> from refnn.tensors import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x.sum().backward()
    >>> x.grad
    tensor([[1.0, 1.0], [1.0, 1.0]])
    """

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        if dim is not None:
            raise NotImplementedError("Sum over a dim: see refnn.functions (being built)")
        ctx.dims = _shape_of(x)
        return sum(_flatten(x, ctx.dims))

    @staticmethod
    def backward(ctx, grad):
        return _expand(grad, (), ctx.dims), None, None


_ = _add_all   # used by the Functions to come
