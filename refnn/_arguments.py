"""The arguments of the tensor operations: a Tensor, a number or a nested list; and what they return.

The seed's notebook works on plain nested lists, PyTorch's programs on
tensors: every operation of :mod:`refnn.functions` and :mod:`refnn.shapes`
takes either, and gives back a Tensor when it was given one.
"""
from refnn import tensors
from refnn._checks import _is_number, _is_sequence, _shape


def _tensor(op, x):
    """x as a Tensor: itself, or a checked new one from a number or nested list."""
    if isinstance(x, tensors.Tensor):
        return x
    if type(x) is float or type(x) is int:         # a number beside a tensor (x * 2): nothing to check
        return tensors.Tensor._result(x, None)
    if not (_is_number(x) or _is_sequence(x)):
        raise TypeError(f"{op}: expected a Tensor, a number or a nested list, got {type(x).__name__}")
    _shape(op, x)
    return tensors.Tensor(x)


def _out(result, *inputs):
    """A Tensor when an input was one; else the plain value (the seed's notebook worked on lists)."""
    if any(isinstance(x, tensors.Tensor) for x in inputs):
        return result
    return result._value
