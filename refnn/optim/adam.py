"""Adam: every weight's step is its gradients' running mean over their running root mean square.

SGD's step is the gradient times ``lr``: large where the loss is steep, tiny
where it is flat, whatever the scale of each weight.  Adam (Kingma and Ba,
2015) divides each weight's averaged gradient by the root of its averaged
square, so every weight moves about ``lr`` per step at first, steep or flat:

>>> from refnn.tensors import tensor
>>> steep, flat = tensor([1.0], requires_grad=True), tensor([1.0], requires_grad=True)
>>> optimizer = Adam([steep, flat], lr=0.1)
>>> steep.grad, flat.grad = tensor([1000.0]), tensor([0.001])
>>> optimizer.step()
>>> round(steep.item(), 6), round(flat.item(), 6)          # both moved by lr = 0.1
(0.9, 0.900001)

(the flat one by a hair less: ``eps`` = 1e-8 beside √v̂ = 0.001).
"""
import math
from collections.abc import Mapping

from refnn._checks import _bool, _brief, _check_finite, _rows, ShapeError
from refnn.autograd import no_grad
from refnn.nn._nested import _zero_grad
from refnn.optim._params import _params
from refnn.tensors import Tensor, tensor, zeros

__all__ = ["Adam"]

_MOMENTS = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")


def _setting(op, name, value, high=math.inf):
    """A real number in [0, high), PyTorch's range for a learning rate, an eps, a beta, a decay."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < high:
        raise ValueError(f"{op}: Invalid {name}: {_brief(value)}")
    return value


class Adam:
    """Adam with PyTorch's defaults and update (``torch.optim.Adam``, its single-tensor form).

    For every parameter p with gradient g, at its t-th step:

    1. ``g ← −g`` if maximize; ``g ← g + weight_decay·p`` (an L2 penalty);
    2. ``m ← β1·m + (1 − β1)·g``: the running mean of g (``exp_avg``);
    3. ``v ← β2·v + (1 − β2)·g²``: the running mean of g² (``exp_avg_sq``);
    4. bias correction, for m and v start at 0 and are too small at first:
       ``m̂ = m/(1 − β1ᵗ)``, ``v̂ = v/(1 − β2ᵗ)`` (with ``amsgrad``, the
       largest v so far stands for v);
    5. the step: ``p ← p − lr·m̂/(√v̂ + eps)``.

    With one gradient g ≠ 0, step 1 gives m̂ = g and v̂ = g², so p moves by
    lr·g/|g|, lr against the sign of g:

    >>> w = tensor([2.0, -3.0], requires_grad=True)
    >>> optimizer = Adam([w], lr=0.5)
    >>> (w * w).sum().backward()                   # g = 2w = [4, −6]
    >>> optimizer.step()
    >>> [round(v, 6) for v in w.tolist()]
    [1.5, -2.5]
    >>> [round(v, 6) for v in optimizer.state[w]["exp_avg"].tolist()]    # (1 − 0.9)·g
    [0.4, -0.6]

    The moments live in ``optimizer.state[p]`` (``step``, ``exp_avg``,
    ``exp_avg_sq``, and ``max_exp_avg_sq`` with amsgrad), the settings in
    ``param_groups[0]``.  Numbers are Python's floats (doubles).

    >>> Adam([w], betas=(0.9, 1.0))
    Traceback (most recent call last):
        ...
    ValueError: Adam: Invalid beta parameter at index 1: 1.0
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
                 maximize=False):
        op = "Adam"
        params = _params(op, params)
        _setting(op, "learning rate", lr)
        _setting(op, "epsilon value", eps)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{op}: betas must be a pair (beta1, beta2), got {_brief(betas)}")
        for k, beta in enumerate(betas):
            _setting(op, f"beta parameter at index {k}", beta, high=1)
        _setting(op, "weight_decay value", weight_decay)
        _bool(op, "amsgrad", amsgrad)
        _bool(op, "maximize", maximize)
        self.param_groups = [dict(params=params, lr=lr, betas=tuple(betas), eps=eps,
                                  weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize)]
        self.state = {}

    def step(self):
        """Move every parameter that has a gradient: ``p ← p − lr·m̂/(√v̂ + eps)``, in place.

        The gradient of each step enters the moments, which remember the
        earlier ones: the same gradient three times, and the steps stay lr:

        >>> w = tensor([0.0], requires_grad=True)
        >>> optimizer = Adam([w], lr=0.1)
        >>> for _ in range(3):
        ...     w.grad = tensor([2.0])
        ...     optimizer.step()
        >>> round(w.item(), 6), optimizer.state[w]["step"]
        (-0.3, tensor(3.0))

        Every gradient is checked before any parameter moves:

        >>> w.grad = tensor([float("inf")])
        >>> optimizer.step()
        Traceback (most recent call last):
            ...
        ValueError: Adam.step: params[0].grad holds inf; learning needs finite numbers
        """
        for group in self.param_groups:
            for k, p in enumerate(group["params"]):
                if p.grad is not None:
                    _check_grad("Adam.step", f"params[{k}].grad", p)
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self._update(p, group)

    def _update(self, p, group):
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        state = self.state.get(p) or self._new_state(p, group["amsgrad"])
        t = state["step"].item() + 1.0
        state["step"] = tensor(t)
        bias_correction1, bias_correction2 = 1 - beta1 ** t, 1 - beta2 ** t
        step_size, bias_correction2_sqrt = lr / bias_correction1, bias_correction2 ** 0.5
        kept = [p] + [state[name] for name in _MOMENTS if name in state]
        ws, ms, vs, *most = rows = [_rows_of(x) for x in kept]
        gs, highest = _rows_of(p.grad), most[0] if most else vs
        for w, g, m, v, high in zip(ws, gs, ms, vs, highest):
            if group["maximize"]:
                g = [-gv for gv in g]
            if group["weight_decay"] != 0:
                g = [gv + group["weight_decay"] * wv for gv, wv in zip(g, w)]
            m[:] = [mv + (1 - beta1) * (gv - mv) for mv, gv in zip(m, g)]            # m moves (1 − β1) to g
            v[:] = [vv * beta2 + (1 - beta2) * gv * gv for vv, gv in zip(v, g)]
            if high is not v:
                high[:] = [max(hv, vv) for hv, vv in zip(high, v)]                 # amsgrad: the largest v
            w[:] = [wv - step_size * (mv / (math.sqrt(hv) / bias_correction2_sqrt + eps))
                    for wv, mv, hv in zip(w, m, high)]
        if not p.shape:                 # a 0-d tensor's number was a row of one: written back
            for x, x_rows in zip(kept, rows):
                x._value = x_rows[0][0]

    def _new_state(self, p, amsgrad):
        state = {"step": tensor(0.0)}
        for name in _MOMENTS[:3 if amsgrad else 2]:
            state[name] = zeros(*p.shape)
        self.state[p] = state
        return state

    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient: None (PyTorch ≥ 2.0's default), or zeros with set_to_none=False.

        >>> w = tensor([1.0], requires_grad=True)
        >>> w.grad = tensor([0.5])
        >>> Adam([w]).zero_grad(); w.grad is None
        True
        """
        _bool("Adam.zero_grad", "set_to_none", set_to_none)
        _zero_grad((p for group in self.param_groups for p in group["params"]), set_to_none)

    def state_dict(self):
        """PyTorch's layout: ``{"state": {index: {"step", "exp_avg", "exp_avg_sq"}}, "param_groups": [...]}``.

        Parameters are named by their place in the list, so the state fits a
        fresh optimizer over the same model (copies, not shared):

        >>> w = tensor([1.0], requires_grad=True)
        >>> optimizer = Adam([w], lr=0.1)
        >>> w.grad = tensor([2.0]); optimizer.step()
        >>> twin = Adam([tensor([1.0], requires_grad=True)], lr=0.5)
        >>> twin.load_state_dict(optimizer.state_dict())
        >>> twin.param_groups[0]["lr"], twin.state_dict()["state"][0]["step"]
        (0.1, tensor(1.0))
        """
        params = self.param_groups[0]["params"]
        state = {k: {name: value.clone() for name, value in self.state[p].items()}
                 for k, p in enumerate(params) if p in self.state}
        settings = {name: value for name, value in self.param_groups[0].items() if name != "params"}
        return {"state": state, "param_groups": [{**settings, "params": list(range(len(params)))}]}

    def load_state_dict(self, state_dict):
        """Take the settings and the moments of :meth:`state_dict` (copied, not shared)."""
        op = "Adam.load_state_dict"
        if not isinstance(state_dict, Mapping) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{op}: expected a mapping with the keys 'state' and 'param_groups' "
                             f"(optimizer.state_dict())")
        state, groups = state_dict["state"], state_dict["param_groups"]
        params = self.param_groups[0]["params"]
        if not isinstance(state, Mapping):
            raise TypeError(f"{op}: 'state' must be a mapping of parameter index to state, "
                            f"got {type(state).__name__}")
        if not isinstance(groups, list) or len(groups) != 1 or not isinstance(groups[0], Mapping) \
                or len(groups[0].get("params", ())) != len(params):
            raise ValueError(f"{op}: loaded state dict contains a parameter group that doesn't match the "
                             f"size of optimizer's group")
        settings = {name: value for name, value in groups[0].items() if name != "params"}
        checked = Adam(params, **settings).param_groups[0]          # checked as the constructor checks
        if any(k not in range(len(params)) for k in state):
            raise ValueError(f"{op}: 'state' names parameters {sorted(map(repr, state))} of {len(params)}")
        state = {p: _state_of(op, k, state[k], p) for k, p in enumerate(params) if k in state}
        self.param_groups[0].update(checked)
        self.state = state

    def __repr__(self):
        group = self.param_groups[0]
        settings = "".join(f"    {k}: {group[k]}\n" for k in sorted(group) if k != "params")
        return f"Adam (\nParameter Group 0\n{settings})"


def _state_of(op, k, entry, p):
    """The state of parameter k, checked against p's shape, as copies."""
    if not isinstance(entry, Mapping) or "step" not in entry or \
            not all(isinstance(v, Tensor) for v in entry.values()) or \
            any(entry[name].shape != p.shape for name in _MOMENTS if name in entry):
        raise ValueError(f"{op}: state[{k}] is not the Adam state of a parameter of shape {p.shape}")
    return {name: value.clone() for name, value in entry.items()}


def _rows_of(t):
    """The innermost lists of a tensor's numbers (a 0-d tensor's number as a row of one)."""
    return list(_rows(t._value)) if t.shape else [[t._value]]


def _check_grad(op, name, p):
    """A gradient of its parameter's shape holding finite numbers: a step on anything else corrupts p."""
    if not isinstance(p.grad, Tensor):
        raise TypeError(f"{op}: {name} is a {type(p.grad).__name__}, not a Tensor")
    if p.grad.shape != p.shape:
        raise ShapeError(f"{op}: {name} has shape {p.grad.shape}, its parameter {p.shape}")
    rows = _rows_of(p.grad)
    try:
        finite = all(all(map(math.isfinite, row)) for row in rows)        # in C, row by row
    except (TypeError, OverflowError):
        finite = False                  # a symbol, or an int beyond a float: the full check says which
    if not finite:
        _check_finite(op, name, rows)
