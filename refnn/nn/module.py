"""Module: the base class of every layer and every network, as PyTorch's ``nn.Module``.

The seed's recipe for a network in PyTorch has three steps: inherit
``nn.Module``; prepare the parts ("零件": Linear, conv, pooling, BatchNorm)
in ``__init__``; assemble them in ``forward``.  "And with that, the model is
done": the output is a tensor that remembers how it was made, so
``loss.backward()`` runs the chain rule back through every part
(:mod:`refnn.autograd`), with no backward to write.

>>> from refnn import nn, init
>>> class Net(nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.fc1 = nn.Linear(3, 4)
...         self.act1 = nn.Sigmoid()
...         self.fc2 = nn.Linear(4, 1)
...         self.act2 = nn.Sigmoid()
...
...     def forward(self, x):
...         return self.act2(self.fc2(self.act1(self.fc1(x))))
>>> _ = init.manual_seed(0)
>>> net = Net()
>>> net
Net(
  (fc1): Linear(in_features=3, out_features=4, bias=True)
  (act1): Sigmoid()
  (fc2): Linear(in_features=4, out_features=1, bias=True)
  (act2): Sigmoid()
)

Assigning a part registers it, so the network knows its parameters by the
names PyTorch gives them:

>>> [name for name, _ in net.named_parameters()]
['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']

One training step: forward, the loss, ``backward()`` (which fills every
``.grad``), and then an optimizer's step:

>>> x = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
>>> y = [[0], [1], [1], [0]]
>>> loss = nn.MSELoss()(net(x), y)
>>> loss.backward()
>>> [p.grad.shape for p in net.parameters()]
[(4, 3), (4,), (1, 4), (1,)]
"""
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from refnn._checks import _bool, _rows, _shape, ShapeError
from refnn.autograd import no_grad
from refnn.nn._nested import _zero_grad
from refnn.nn.parameter import Parameter
from refnn.tensors import Tensor

__all__ = ["Module"]


class _IncompatibleKeys(namedtuple("_IncompatibleKeys", "missing_keys unexpected_keys")):
    """What ``load_state_dict(strict=False)`` left out: keys the module has and the file lacks, and back."""

    __slots__ = ()

    def __repr__(self):
        if not (self.missing_keys or self.unexpected_keys):
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys!r}, "
                f"unexpected_keys={self.unexpected_keys!r})")


def _prefix(op, prefix):
    if not isinstance(prefix, str):
        raise TypeError(f"{op}: prefix must be a str, got {type(prefix).__name__}")


class Module:
    """Base class of layers and networks: parts registered by assignment, and forward.

    A subclass calls ``super().__init__()`` first, then assigns its parts;
    a :class:`~refnn.nn.Parameter` or a Module assigned as an attribute is
    registered (PyTorch's ``__setattr__``), anything else is a plain
    attribute.  Calling the module calls ``forward``.

    >>> from refnn import nn
    >>> class Affine(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = nn.Parameter([2.0])
    ...         self.note = "y = 2x"
    ...
    ...     def forward(self, x):
    ...         return self.scale * x
    >>> from refnn.tensors import tensor
    >>> m = Affine()
    >>> y = m(tensor([1.0]))
    >>> y
    tensor([2.0], grad_fn=<MulBackward>)
    >>> y.sum().backward()
    >>> m.scale.grad, list(m.state_dict())
    (tensor([1.0]), ['scale'])

    A part may be used twice in one forward (its parameters then get the
    gradients of both uses, added), and the output of one part may be
    added to the input of another (a residual ``x + f(x)``): autograd
    follows every path.
    """

    def __init__(self):
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_modules"] = {}

    # --- forward -------------------------------------------------------------

    def forward(self, *inputs):
        """The computation of the module, from input to output; every subclass defines it.

        >>> Module()([1.0])
        Traceback (most recent call last):
            ...
        NotImplementedError: Module [Module] is missing the required "forward" function
        """
        name = type(self).__name__
        raise NotImplementedError(f'Module [{name}] is missing the required "forward" function')

    def __call__(self, *inputs):
        return self.forward(*inputs)

    # --- registering parts -------------------------------------------------

    def __setattr__(self, name, value):
        d = self.__dict__
        if isinstance(value, (Parameter, Module)):
            if "_parameters" not in d:
                raise AttributeError(f"cannot assign {type(value).__name__} '{name}' before "
                                     f"Module.__init__() call")
            self._forget(name)
            store = d["_parameters"] if isinstance(value, Parameter) else d["_modules"]
            store[name] = value
        elif name in d.get("_parameters", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                f"(refnn.nn.Parameter or None expected)")
            d["_parameters"][name] = None
        elif name in d.get("_modules", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' "
                                f"(refnn.nn.Module or None expected)")
            d["_modules"][name] = None
        elif name in d.get("_buffers", ()):
            d["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # called only when normal lookup fails: the registered parts live in three dicts
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if name in d.get(store, ()):
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        if not self._forget(name):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _forget(self, name):
        """Remove name from the registers and the plain attributes; True if it was anywhere."""
        d = self.__dict__
        stores = [d] + [d[s] for s in ("_parameters", "_buffers", "_modules") if s in d]
        found = [store for store in stores if name in store]
        for store in found:
            del store[name]
        return bool(found)

    def _check_name(self, op, name):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{op}: cannot register '{name}' before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{op}: name must be a str, got {type(name).__name__}")
        if not name or "." in name:
            raise ValueError(f"{op}: name must be non-empty and contain no '.', got {name!r}")

    def _register(self, op, register, name, value, kind):
        """Put value (a ``kind`` or None) under name in one register, and nowhere else."""
        self._check_name(op, name)
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"{op}: {name!r} must be a refnn.nn.{kind.__name__} or None, "
                            f"got {type(value).__name__}")
        self._forget(name)
        self.__dict__[register][name] = value

    def add_module(self, name, module):
        """Register a child module under ``name`` (what ``self.name = module`` does).

        Useful when the name is made at run time; Sequential names its parts
        "0", "1", ... this way.

        >>> from refnn import nn
        >>> net = nn.Module()
        >>> for k in range(2):
        ...     net.add_module(f"layer{k}", nn.Tanh())
        >>> [name for name, _ in net.named_children()]
        ['layer0', 'layer1']
        >>> net.add_module("a.b", nn.Tanh())
        Traceback (most recent call last):
            ...
        ValueError: add_module: name must be non-empty and contain no '.', got 'a.b'
        >>> net.add_module("c", "tanh")
        Traceback (most recent call last):
            ...
        TypeError: add_module: 'c' must be a refnn.nn.Module or None, got str
        """
        self._register("add_module", "_modules", name, module, Module)

    def register_parameter(self, name, param):
        """Register a Parameter (or None, a slot left empty, as a Linear without bias does).

        >>> from refnn import nn
        >>> m = nn.Module()
        >>> m.register_parameter("bias", None)
        >>> m.register_parameter("weight", nn.Parameter([[1.0]]))
        >>> m.bias, list(m.state_dict())
        (None, ['weight'])
        >>> m.register_parameter("w", [[1.0]])
        Traceback (most recent call last):
            ...
        TypeError: register_parameter: 'w' must be a refnn.nn.Parameter or None, got list
        """
        self._register("register_parameter", "_parameters", name, param, Parameter)

    def register_buffer(self, name, tensor, persistent=True):
        """Register a buffer: a tensor saved in ``state_dict`` that is not learned (running statistics).

        Backward leaves it alone, and the optimizer never sees it.
        ``persistent=False`` keeps it out of the state_dict.

        >>> from refnn import nn
        >>> from refnn.tensors import tensor
        >>> m = nn.Module()
        >>> m.register_buffer("running_mean", tensor([0.0, 0.0]))
        >>> m.register_buffer("steps", tensor(0))
        >>> dict(m.state_dict())
        {'running_mean': tensor([0.0, 0.0]), 'steps': tensor(0)}
        >>> m.register_buffer("s", [0.0])
        Traceback (most recent call last):
            ...
        TypeError: register_buffer: cannot assign 'list' object to buffer 's' (Tensor or None required)
        """
        self._check_name("register_buffer", name)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: cannot assign '{type(tensor).__name__}' object to buffer "
                            f"'{name}' (Tensor or None required)")
        _bool("register_buffer", "persistent", persistent)
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self.__dict__.setdefault("_non_persistent", set()).add(name)

    # --- walking the tree --------------------------------------------------

    def named_modules(self, prefix=""):
        """(name, module) for this module and every module inside it, parents first, each once.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Tanh()))
        >>> [(name, type(m).__name__) for name, m in net.named_modules()]
        [('', 'Sequential'), ('0', 'Linear'), ('1', 'Sequential'), ('1.0', 'Tanh')]
        """
        _prefix("named_modules", prefix)
        seen = set()

        def walk(module, prefix):
            if id(module) in seen:
                return
            seen.add(id(module))
            yield prefix, module
            for name, child in module._modules.items():
                if child is not None:
                    yield from walk(child, f"{prefix}.{name}" if prefix else name)
        return walk(self, prefix)

    def modules(self):
        """This module and every module inside it, parents first: what :meth:`apply` visits.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
        >>> [type(m).__name__ for m in net.modules()]
        ['Sequential', 'Linear', 'ReLU']
        """
        return (module for _, module in self.named_modules())

    def named_children(self):
        """(name, module) for the direct parts of this module, in the order they were assigned.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Tanh()))
        >>> [name for name, _ in net.named_children()]
        ['0', '1']
        """
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self):
        """The direct parts of this module (not their parts).

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Tanh()))
        >>> [type(m).__name__ for m in net.children()]
        ['Linear', 'Sequential']
        """
        return (child for _, child in self.named_children())

    def named_parameters(self, prefix="", recurse=True):
        """(name, Parameter) for every parameter, named by the path to it: "fc1.weight", "0.bias".

        A parameter shared by two parts is given once.  ``recurse=False``
        gives only this module's own.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid(), nn.Linear(2, 1, bias=False))
        >>> [(name, p.shape) for name, p in net.named_parameters()]
        [('0.weight', (2, 3)), ('0.bias', (2,)), ('2.weight', (1, 2))]
        >>> list(net.named_parameters(recurse=False))
        []
        """
        _prefix("named_parameters", prefix), _bool("named_parameters", "recurse", recurse)
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        seen = set()
        for path, module in modules:
            for name, param in module._parameters.items():
                if param is not None and id(param) not in seen:
                    seen.add(id(param))
                    yield (f"{path}.{name}" if path else name), param

    def parameters(self, recurse=True):
        """Every Parameter of the module and its parts: what an optimizer is given.

        >>> from refnn import nn, optim
        >>> net = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid(), nn.Linear(2, 1))
        >>> sum(p.numel() for p in net.parameters())          # 6 + 2 + 2 + 1
        11
        >>> optimizer = optim.SGD(net.parameters(), lr=0.1)
        """
        return (param for _, param in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix="", recurse=True):
        """(name, buffer) for every buffer, named by the path to it: "1.running_mean".

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        >>> [name for name, _ in net.named_buffers()]
        ['1.running_mean', '1.running_var', '1.num_batches_tracked']
        """
        _prefix("named_buffers", prefix), _bool("named_buffers", "recurse", recurse)
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for path, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{path}.{name}" if path else name), buffer

    def buffers(self, recurse=True):
        """Every buffer of the module and its parts.

        >>> from refnn import nn
        >>> [b.tolist() for b in nn.BatchNorm1d(2).buffers()]
        [[0.0, 0.0], [1.0, 1.0], 0]
        """
        return (buffer for _, buffer in self.named_buffers(recurse=recurse))

    # --- whole-tree operations ---------------------------------------------

    def apply(self, fn):
        """Call fn on every part (children first, then the module itself) and return the module.

        The seed initialises a network this way: ``net.apply(weights_init)``
        with a function that looks at the type of each module.

        >>> import math
        >>> from refnn import nn, init
        >>> def weights_init(m):
        ...     if isinstance(m, nn.Linear):
        ...         m.weight.data.fill_(0.5)
        ...         m.bias.data.zero_()
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)).apply(weights_init)
        >>> net[0].weight.tolist(), net[2].bias.tolist()
        ([[0.5, 0.5], [0.5, 0.5]], [0.0])
        >>> net.apply(None)
        Traceback (most recent call last):
            ...
        TypeError: apply: fn must be callable, got NoneType
        """
        if not callable(fn):
            raise TypeError(f"apply: fn must be callable, got {type(fn).__name__}")
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def train(self, mode=True):
        """Set training mode (True) or evaluation mode (False) here and in every part; return self.

        Only some layers behave differently: BatchNorm1d normalises with the
        batch's statistics while training and with its running ones in eval.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        >>> net.train().training, net[1].training
        (True, True)
        >>> net.train("no")
        Traceback (most recent call last):
            ...
        ValueError: train: training mode is expected to be a bool, got str
        """
        if not isinstance(mode, bool):
            raise ValueError(f"train: training mode is expected to be a bool, got {type(mode).__name__}")
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        """Evaluation mode, ``train(False)``: BatchNorm uses its running statistics.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)).eval()
        >>> net.training, net[1].training
        (False, False)
        """
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        """Forget the gradients before the next backward, which would otherwise add to them.

        As PyTorch ≥ 2.0, ``.grad`` becomes None (nothing to add to); with
        ``set_to_none=False`` every existing gradient is filled with 0.0.

        >>> from refnn import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer([1.0, 2.0]).sum().backward()
        >>> layer.weight.grad
        tensor([[1.0, 2.0]])
        >>> layer.zero_grad(set_to_none=False); layer.weight.grad
        tensor([[0.0, 0.0]])
        >>> layer.zero_grad(); layer.weight.grad is None
        True
        >>> layer.zero_grad(set_to_none="False")
        Traceback (most recent call last):
            ...
        TypeError: zero_grad: set_to_none must be True or False, got str
        """
        _bool("zero_grad", "set_to_none", set_to_none)
        _zero_grad(self.parameters(), set_to_none)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` of every parameter: False freezes them (backward leaves their grad alone).

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
        >>> _ = net[0].requires_grad_(False)
        >>> [p.requires_grad for p in net.parameters()]
        [False, False, True, True]
        """
        _bool("requires_grad_", "requires_grad", requires_grad)
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    # --- state_dict ---------------------------------------------------------

    def _entries(self, prefix=""):
        """(key, module, register, name) of every parameter and buffer, in state_dict order."""
        skip = self.__dict__.get("_non_persistent", ())
        for register in ("_parameters", "_buffers"):
            for name, value in self.__dict__[register].items():
                if value is not None and not (register == "_buffers" and name in skip):
                    yield prefix + name, self, register, name
        for name, child in self._modules.items():
            if child is not None:
                yield from child._entries(f"{prefix}{name}.")

    def state_dict(self):
        """An OrderedDict of every parameter and buffer, as tensors, under PyTorch's key names.

        The keys are the paths to the values ("0.weight", "fc1.bias",
        "1.running_mean"), and a torch model of the same structure accepts
        them (see ``docs/06-pytorch-way.md``).  As in PyTorch, the tensors
        are cut from the graph but share the numbers with the model: save
        them, or copy them (``.clone()``), before training on.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 1), nn.BatchNorm1d(1))
        >>> sd = net.state_dict()
        >>> list(sd)
        ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var',
         '1.num_batches_tracked']
        >>> sd["1.running_var"], sd["1.num_batches_tracked"]
        (tensor([1.0]), tensor(0))
        """
        return OrderedDict((key, module.__dict__[register][name].detach())
                           for key, module, register, name in self._entries())

    def load_state_dict(self, state_dict, strict=True):
        """Copy the values of a state_dict (tensors or nested lists) into the parameters and buffers.

        With ``strict=True`` every key must be there and no other; every
        value must have the shape the module has.  All of this is checked
        before anything is copied, so a failed load changes nothing.  The
        numbers are copied in place (as PyTorch's ``copy_``), not shared.

        >>> from refnn import nn
        >>> a, b = nn.Linear(2, 1), nn.Linear(2, 1)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
        >>> b.weight.tolist() == a.weight.tolist()
        True

        PyTorch raises RuntimeError for every problem; refnn raises
        ValueError (wrong keys), ShapeError (wrong shapes) or TypeError (not
        numbers), each naming the keys.

        >>> b.load_state_dict({"weight": [[1.0, 2.0]], "bias": [0.0], "scale": [1.0]})
        Traceback (most recent call last):
            ...
        ValueError: load_state_dict for Linear: unexpected keys: 'scale'
        >>> b.load_state_dict({"weight": [[1.0, 2.0, 3.0]], "bias": [0.0]})
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: load_state_dict for Linear: weight has shape (1, 3) in the state_dict, \
(1, 2) in the model
        >>> b.load_state_dict({"weight": [[1.0, 2.0]]}, strict=False)
        _IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])
        """
        op = f"load_state_dict for {type(self).__name__}"
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{op}: expected a mapping of names to values, got {type(state_dict).__name__}")
        _bool(op, "strict", strict)
        entries = {key: (module, register, name) for key, module, register, name in self._entries()}
        missing = [key for key in entries if key not in state_dict]
        unexpected = [key for key in state_dict if key not in entries]
        problems = [f"{what} keys: {', '.join(map(repr, keys))}"
                    for what, keys in (("missing", missing), ("unexpected", unexpected)) if keys]
        if problems and strict:
            raise ValueError(f"{op}: {'; '.join(problems)}")
        wrong, values = [], {}
        for key, (module, register, name) in entries.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            values[key] = value = value.tolist() if isinstance(value, Tensor) else value
            got, have = _shape(f"{op}: {key}", value), module.__dict__[register][name].shape
            if got != have:
                wrong.append(f"{key} has shape {got} in the state_dict, {have} in the model")
        if wrong:
            raise ShapeError(f"{op}: {'; '.join(wrong)}")
        with no_grad():
            for key, value in values.items():
                module, register, name = entries[key]
                target = module.__dict__[register][name]
                if target.dim() == 0:           # a number has no list to fill in place
                    module.__dict__[register][name] = type(target)(value, target.requires_grad)
                    continue
                for row, new in zip(_rows(target._value), _rows(value)):
                    row[:] = new
        return _IncompatibleKeys(missing, unexpected)

    # --- printing -------------------------------------------------------------

    def extra_repr(self):
        """The settings a layer shows inside its parentheses when printed; "" for a plain Module.

        >>> from refnn import nn
        >>> nn.Linear(3, 2).extra_repr()
        'in_features=3, out_features=2, bias=True'
        >>> nn.Module().extra_repr()
        ''
        """
        return ""

    def __repr__(self):
        lines = [f"({name}): {repr(child)}".replace("\n", "\n  ") for name, child in self._modules.items()]
        body = "\n  " + "\n  ".join(lines) + "\n" if lines else ""
        return f"{type(self).__name__}({self.extra_repr()}{body})"

    def _repr_png_(self):
        """A notebook's picture: its Linear layers as a network (refnn.plot.network_figure), above the repr.

        None where its layers do not chain as matrices (a Conv2d, a BatchNorm1d, no Linear at all) or
        matplotlib is missing: the notebook shows the repr alone.
        """
        from refnn import plot                      # floor 5, loaded only when a notebook asks for it
        try:
            return plot.png(plot.network_figure, self, figsize=(8, 6), dpi=70)
        except (TypeError, ValueError):             # not drawable as a network: the text says it all
            return None
