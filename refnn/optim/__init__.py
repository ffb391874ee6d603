"""Optimizers: turn the gradients in ``.grad`` into a step of every parameter.

Gradient descent moves every weight a little against its gradient,
``w ← w − lr·∂loss/∂w``: downhill on the loss.  The seed's "梯度下降".

>>> from refnn import nn, optim
>>> w = nn.Parameter([1.0, -2.0])
>>> w.grad = [0.5, -1.0]
>>> optimizer = optim.SGD([w], lr=0.1)
>>> optimizer.step()
>>> w.data                                  # 1 − 0.1·0.5, −2 − 0.1·(−1)
[0.95, -1.9]
"""
import math

from refnn._checks import _check_finite, _rows, _shape, ShapeError
from refnn.nn._nested import _dims, _on_rows, _zero_grad
from refnn.nn.parameter import Parameter
from refnn._checks import _bool
from refnn._nested import _clone

__all__ = ["SGD"]


def _check_grad(name, p):
    """A gradient of its parameter's shape holding finite numbers: a step on anything else corrupts p."""
    op = "SGD.step"
    dims, shape = _dims(op, p.grad), _dims(op, p.data)
    if dims != shape:
        raise ShapeError(f"{op}: {name} has shape {dims}, its parameter {shape}")
    try:
        finite = all(all(map(math.isfinite, row)) for row in _rows(p.grad))      # in C, row by row
    except TypeError:
        _shape(f"{op}: {name}", p.grad)         # a str or None is a TypeError; a symbol or a Fraction passes
        finite = False
    if not finite:
        _check_finite(op, name, p.grad)


class SGD:
    """Stochastic gradient descent, with PyTorch's momentum, dampening, Nesterov and weight decay.

    For every parameter p with gradient g, in PyTorch's order:

    1. weight decay: ``g ← g + weight_decay·p`` (the gradient of an L2 penalty);
    2. momentum: ``buf ← momentum·buf + (1 − dampening)·g``, the first
       step ``buf ← g``; then ``g ← buf``, or ``g ← g + momentum·buf``
       with ``nesterov=True``;
    3. the step: ``p ← p − lr·g``.

    A parameter whose ``.grad`` is None is skipped.  The parameters are
    changed in place, so the model sees the new values.

    >>> from refnn import nn, optim
    >>> w = nn.Parameter([1.0])
    >>> optimizer = optim.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(3):
    ...     w.grad = [1.0]                    # the same gradient three times
    ...     optimizer.step()
    >>> round(w.data[0], 6)                   # steps of 0.1, 0.19, 0.271
    0.439

    The settings live in ``param_groups[0]``, as in PyTorch, where a
    schedule changes them: ``optimizer.param_groups[0]["lr"] = 0.01``.
    Several groups with their own settings are not offered.

    >>> optim.SGD([], lr=0.1)
    Traceback (most recent call last):
        ...
    ValueError: SGD: optimizer got an empty parameter list
    >>> optim.SGD([w], lr=-1)
    Traceback (most recent call last):
        ...
    ValueError: SGD: invalid learning rate: -1
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        if isinstance(params, Parameter):
            raise TypeError("SGD: params must be an iterable of Parameters (model.parameters()), "
                            "got a Parameter")
        try:
            params = list(params)
        except TypeError:
            raise TypeError(f"SGD: params must be an iterable of Parameters (model.parameters()), "
                            f"got {type(params).__name__}") from None
        if not params:
            raise ValueError("SGD: optimizer got an empty parameter list")
        for k, p in enumerate(params):
            if not isinstance(p, Parameter):
                raise TypeError(f"SGD: params[{k}] is a {type(p).__name__}, not a refnn.nn.Parameter")
        for name, value in (("learning rate", lr), ("momentum value", momentum),
                            ("dampening value", dampening), ("weight_decay value", weight_decay)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"SGD: invalid {name}: {value!r}")
        _bool("SGD", "nesterov", nesterov)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum and zero dampening")
        self.param_groups = [dict(params=params, lr=lr, momentum=momentum, dampening=dampening,
                                  weight_decay=weight_decay, nesterov=nesterov)]
        self.state = {}

    def step(self):
        """Move every parameter that has a gradient one step: ``p ← p − lr·g`` (after decay and momentum).

        >>> from refnn import nn, optim
        >>> w = nn.Parameter([[2.0, 4.0]])
        >>> w.grad = [[0.0, 0.0]]
        >>> optimizer = optim.SGD([w], lr=0.5, weight_decay=0.1)
        >>> optimizer.step()                   # g = 0 + 0.1·w: the weights shrink
        >>> w.data
        [[1.9, 3.8]]

        Every gradient is checked before any parameter moves: one of another
        shape, or holding NaN or ±inf, would corrupt the weights for good.

        >>> w.grad = [[float("nan"), 0.0]]
        >>> optimizer.step()
        Traceback (most recent call last):
            ...
        ValueError: SGD.step: params[0].grad holds nan; learning needs finite numbers
        >>> w.data
        [[1.9, 3.8]]
        """
        for group in self.param_groups:
            for k, p in enumerate(group["params"]):
                if p.grad is not None:
                    _check_grad(f"params[{k}].grad", p)
        for group in self.param_groups:
            settings = {name: value for name, value in group.items() if name != "params"}
            for p in group["params"]:
                if p.grad is not None:
                    self._step(p, **settings)

    def _step(self, p, lr, momentum, dampening, weight_decay, nesterov):
        # row by row, each row's numbers in a comprehension: one call per row, not per number
        g = p.grad
        if weight_decay != 0:                       # ∂/∂w of weight_decay·w²/2, added to a new list
            decay = lambda gs, ws: [gv + weight_decay * w for gv, w in zip(gs, ws)]
            g = _on_rows(decay, len(_dims("SGD", g)), g, p.data)
        if momentum != 0:
            g = self._momentum(p, g, momentum, dampening, nesterov)
        for ws, gs in zip(_rows(p.data), _rows(g)):
            ws[:] = [w - lr * gv for w, gv in zip(ws, gs)]

    def _momentum(self, p, g, momentum, dampening, nesterov):
        """The momentum buffer of p after this step's gradient g; what the step then follows."""
        state = self.state.setdefault(p, {})
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = _clone(g)              # the first step: buf = g
        else:
            for bs, gs in zip(_rows(buf), _rows(g)):
                bs[:] = [momentum * b + (1 - dampening) * gv for b, gv in zip(bs, gs)]
        if not nesterov:
            return buf
        ahead = lambda gs, bs: [gv + momentum * b for gv, b in zip(gs, bs)]      # one momentum step ahead
        return _on_rows(ahead, len(_dims("SGD", g)), g, buf)

    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient: None (PyTorch ≥ 2.0's default), or 0.0 with set_to_none=False.

        >>> from refnn import nn, optim
        >>> w = nn.Parameter([1.0, 2.0])
        >>> w.grad = [0.5, 0.5]
        >>> optimizer = optim.SGD([w], lr=0.1)
        >>> optimizer.zero_grad(set_to_none=False); w.grad
        [0.0, 0.0]
        >>> optimizer.zero_grad(); w.grad is None
        True
        """
        _bool("SGD.zero_grad", "set_to_none", set_to_none)
        _zero_grad((p for group in self.param_groups for p in group["params"]), set_to_none)

    def __repr__(self):
        group = self.param_groups[0]
        settings = "".join(f"    {k}: {v}\n" for k, v in group.items() if k != "params")
        return f"SGD (\nParameter Group 0\n{settings})"


# --- beside SGD: Adam (refnn.optim.adam) and the learning-rate schedules (refnn.optim.lr_scheduler) ---

from refnn.optim import lr_scheduler  # noqa: E402  (SGD first: the modules below are its neighbours)
from refnn.optim.adam import Adam  # noqa: E402

__all__ += ["Adam", "lr_scheduler"]
