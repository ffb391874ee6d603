"""The parameters an optimizer steps, checked as PyTorch checks them: one rule for SGD and Adam."""
from refnn.tensors import Tensor


def _params(op, params):
    """The list of parameters an optimizer steps: leaf tensors, at least one (PyTorch's rules)."""
    if isinstance(params, Tensor):
        raise TypeError(f"{op}: params argument given to the optimizer should be an iterable of Tensors "
                        f"or dicts, but got a {type(params).__name__}")
    try:
        params = list(params)
    except TypeError:
        raise TypeError(f"{op}: params must be an iterable of Parameters (model.parameters()), "
                        f"got {type(params).__name__}") from None
    if not params:
        raise ValueError(f"{op}: optimizer got an empty parameter list")
    for k, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{op}: params[{k}] is a {type(p).__name__}, not a Tensor")
        if not p.is_leaf:
            raise ValueError(f"{op}: params[{k}]: can't optimize a non-leaf Tensor")
    return params
