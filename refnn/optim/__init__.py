"""Optimizers: turn the gradients in ``.grad`` into a step of every parameter.

Gradient descent moves every weight a little against its gradient,
``w ← w − lr·∂loss/∂w``: downhill on the loss.  The seed's "梯度下降".

>>> from refnn import nn, optim
>>> w = nn.Parameter([1.0, -2.0])
>>> (w * w).sum().backward()                # ∂(w0² + w1²)/∂w = 2w = [2, −4]
>>> optimizer = optim.SGD([w], lr=0.1)
>>> optimizer.step()
>>> w                                       # 1 − 0.1·2, −2 − 0.1·(−4)
Parameter containing:
tensor([0.8, -1.6], requires_grad=True)
"""
import math
from collections.abc import Mapping

from refnn._checks import _check_finite, _rows, ShapeError
from refnn._nested import _clone
from refnn.autograd import no_grad
from refnn._checks import _bool
from refnn.nn._nested import _on_rows, _zero_grad
from refnn.optim._params import _params
from refnn.tensors import Tensor

__all__ = ["SGD"]


def _check_grad(name, p):
    """A gradient of its parameter's shape holding finite numbers: a step on anything else corrupts p."""
    op = "SGD.step"
    if not isinstance(p.grad, Tensor):
        raise TypeError(f"{op}: {name} is a {type(p.grad).__name__}, not a Tensor")
    if p.grad.shape != p.shape:
        raise ShapeError(f"{op}: {name} has shape {p.grad.shape}, its parameter {p.shape}")
    grad = p.grad._value
    try:
        finite = all(all(map(math.isfinite, row)) for row in _rows(grad))      # in C, row by row
    except TypeError:
        finite = False                  # a symbol or a Fraction: the full check below lets it pass
    if not finite:
        _check_finite(op, name, grad)


class SGD:
    """Stochastic gradient descent, with PyTorch's momentum, dampening, Nesterov and weight decay.

    For every parameter p with gradient g, in PyTorch's order:

    0. ``g ← −g`` with ``maximize=True``: gradient ascent, uphill;
    1. weight decay: ``g ← g + weight_decay·p`` (the gradient of an L2 penalty);
    2. momentum: ``buf ← momentum·buf + (1 − dampening)·g``, the first
       step ``buf ← g``; then ``g ← buf``, or ``g ← g + momentum·buf``
       with ``nesterov=True``;
    3. the step: ``p ← p − lr·g``.

    A parameter whose ``.grad`` is None is skipped.  The parameters are
    changed in place (under ``no_grad``: an update is no part of the
    graph), so the model sees the new values.

    >>> from refnn import nn, optim
    >>> from refnn.tensors import tensor
    >>> w = nn.Parameter([1.0])
    >>> optimizer = optim.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(3):
    ...     w.grad = tensor([1.0])            # the same gradient three times
    ...     optimizer.step()
    >>> round(w.item(), 6)                    # steps of 0.1, 0.19, 0.271
    0.439

    ``maximize=True`` climbs instead: the same gradient moves w up.

    >>> w = nn.Parameter([1.0]); w.grad = tensor([2.0])
    >>> optim.SGD([w], lr=0.1, maximize=True).step(); w.tolist()
    [1.2]

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

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False):
        params = _params("SGD", params)
        for name, value in (("learning rate", lr), ("momentum value", momentum),
                            ("dampening value", dampening), ("weight_decay value", weight_decay)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"SGD: invalid {name}: {value!r}")
        _bool("SGD", "nesterov", nesterov)
        _bool("SGD", "maximize", maximize)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum and zero dampening")
        self.param_groups = [dict(params=params, lr=lr, momentum=momentum, dampening=dampening,
                                  weight_decay=weight_decay, nesterov=nesterov, maximize=maximize)]
        self.state = {}

    def step(self):
        """Move every parameter that has a gradient one step: ``p ← p − lr·g`` (after decay and momentum).

        >>> from refnn import nn, optim
        >>> from refnn.tensors import tensor
        >>> w = nn.Parameter([[2.0, 4.0]])
        >>> w.grad = tensor([[0.0, 0.0]])
        >>> optimizer = optim.SGD([w], lr=0.5, weight_decay=0.1)
        >>> optimizer.step()                   # g = 0 + 0.1·w: the weights shrink
        >>> w.tolist()
        [[1.9, 3.8]]

        Every gradient is checked before any parameter moves: one of another
        shape, or holding NaN or ±inf, would corrupt the weights for good.

        >>> w.grad = tensor([[float("nan"), 0.0]])
        >>> optimizer.step()
        Traceback (most recent call last):
            ...
        ValueError: SGD.step: params[0].grad holds nan; learning needs finite numbers
        >>> w.tolist()
        [[1.9, 3.8]]
        """
        for group in self.param_groups:
            for k, p in enumerate(group["params"]):
                if p.grad is not None:
                    _check_grad(f"params[{k}].grad", p)
        with no_grad():
            for group in self.param_groups:
                settings = {name: value for name, value in group.items() if name != "params"}
                for p in group["params"]:
                    if p.grad is not None:
                        self._step(p, **settings)

    def _step(self, p, lr, momentum, dampening, weight_decay, nesterov, maximize):
        # p ← p − lr·g, row by row, each row's numbers in a comprehension: one call per row, not per number
        g, w = p.grad._value, p._value
        if not isinstance(w, list):                 # a 0-d parameter: a row of one
            g, w = [g], [w]
        if maximize:                                # uphill: the step follows +g
            g = _on_rows(lambda gs: [-gv for gv in gs], len(p.shape) or 1, g)
        if weight_decay != 0:                       # ∂/∂w of weight_decay·w²/2, added to a new list
            decay = lambda gs, ws: [gv + weight_decay * wv for gv, wv in zip(gs, ws)]
            g = _on_rows(decay, len(p.shape) or 1, g, w)
        if momentum != 0:
            g = self._momentum(p, g, momentum, dampening, nesterov)
        for ws, gs in zip(_rows(w), _rows(g)):
            ws[:] = [wv - lr * gv for wv, gv in zip(ws, gs)]
        if not p.shape:
            p._value = w[0]

    def _momentum(self, p, g, momentum, dampening, nesterov):
        """The momentum buffer of p after this step's gradient g; what the step then follows."""
        state = self.state.setdefault(id(p), {})       # by identity, as PyTorch's tensors hash
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = _clone(g)              # the first step: buf = g
        else:
            for bs, gs in zip(_rows(buf), _rows(g)):
                bs[:] = [momentum * b + (1 - dampening) * gv for b, gv in zip(bs, gs)]
        if not nesterov:
            return buf
        ahead = lambda gs, bs: [gv + momentum * b for gv, b in zip(gs, bs)]      # one momentum step ahead
        return _on_rows(ahead, len(p.shape) or 1, g, buf)

    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient: None (PyTorch ≥ 2.0's default), or 0.0 with set_to_none=False.

        >>> from refnn import nn, optim
        >>> from refnn.tensors import tensor
        >>> w = nn.Parameter([1.0, 2.0])
        >>> w.grad = tensor([0.5, 0.5])
        >>> optimizer = optim.SGD([w], lr=0.1)
        >>> optimizer.zero_grad(set_to_none=False); w.grad
        tensor([0.0, 0.0])
        >>> optimizer.zero_grad(); w.grad is None
        True
        """
        _bool("SGD.zero_grad", "set_to_none", set_to_none)
        _zero_grad((p for group in self.param_groups for p in group["params"]), set_to_none)

    def state_dict(self):
        """PyTorch's layout: ``{"state": {index: {"momentum_buffer": tensor}}, "param_groups": [...]}``.

        The parameters are named by their place in the list, so the state
        fits a fresh optimizer over the same model.

        >>> from refnn import nn, optim
        >>> from refnn.tensors import tensor
        >>> w = nn.Parameter([1.0])
        >>> optimizer = optim.SGD([w], lr=0.1, momentum=0.9)
        >>> w.grad = tensor([2.0])
        >>> optimizer.step()
        >>> sd = optimizer.state_dict()
        >>> sd["state"], sd["param_groups"][0]["params"]
        ({0: {'momentum_buffer': tensor([2.0])}}, [0])
        >>> twin = optim.SGD([nn.Parameter([1.0])], lr=0.5, momentum=0.9)
        >>> twin.load_state_dict(sd)
        >>> twin.param_groups[0]["lr"], twin.state_dict()["state"]
        (0.1, {0: {'momentum_buffer': tensor([2.0])}})
        """
        params = [p for group in self.param_groups for p in group["params"]]
        state = {k: {name: Tensor(v if p.shape else v[0]) for name, v in self.state[id(p)].items()}
                 for k, p in enumerate(params) if id(p) in self.state}
        groups, start = [], 0
        for group in self.param_groups:
            settings = {name: value for name, value in group.items() if name != "params"}
            groups.append({**settings, "params": list(range(start, start + len(group["params"])))})
            start += len(group["params"])
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Take the settings and the momentum buffers of :meth:`state_dict` (copied, not shared)."""
        op = "SGD.load_state_dict"
        if not isinstance(state_dict, Mapping) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{op}: expected a mapping with the keys 'state' and 'param_groups' "
                             f"(optimizer.state_dict()), got {type(state_dict).__name__}")
        groups, state = state_dict["param_groups"], state_dict["state"]
        if not isinstance(groups, list) or not isinstance(state, Mapping) or \
                not all(isinstance(g, Mapping) and isinstance(g.get("params"), list) for g in groups):
            raise TypeError(f"{op}: 'state' must be a mapping and 'param_groups' a list of mappings with "
                            f"'params'")
        if len(groups) != len(self.param_groups) or \
                any(len(g["params"]) != len(mine["params"]) for g, mine in zip(groups, self.param_groups)):
            raise ValueError(f"{op}: loaded state dict contains a parameter group that doesn't match the "
                             f"size of optimizer's group")
        params = [p for group in self.param_groups for p in group["params"]]
        buffers = {}
        for k, entry in state.items():
            buffer = entry.get("momentum_buffer") if isinstance(entry, Mapping) else None
            if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < len(params) or \
                    not isinstance(buffer, Tensor) or buffer.shape != params[k].shape:
                raise ValueError(f"{op}: state[{k!r:.20}] is not a momentum buffer of parameter {k!r:.20}")
            buffers[k] = buffer
        settings = [SGD([p], **{name: value for name, value in g.items() if name != "params"}).param_groups[0]
                    for g, p in zip(groups, params)]            # checked as the constructor checks them
        for mine, checked in zip(self.param_groups, settings):
            mine.update({name: value for name, value in checked.items() if name != "params"})
        self.state = {id(params[k]): {"momentum_buffer": _clone(b.tolist() if b.shape else [b.item()])}
                      for k, b in buffers.items()}

    def __repr__(self):
        group = self.param_groups[0]
        settings = "".join(f"    {k}: {v}\n" for k, v in group.items() if k != "params")
        return f"SGD (\nParameter Group 0\n{settings})"


# --- beside SGD: Adam (refnn.optim.adam) and the learning-rate schedules (refnn.optim.lr_scheduler) ---

from refnn.optim import lr_scheduler  # noqa: E402  (SGD first: the modules below are its neighbours)
from refnn.optim.adam import Adam  # noqa: E402

__all__ += ["Adam", "lr_scheduler"]
