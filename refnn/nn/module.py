"""Module: the base class of every layer and every network, as PyTorch's ``nn.Module``.

The seed's recipe for a network in PyTorch has three steps: inherit
``nn.Module``; prepare the parts ("零件": Linear, conv, pooling, BatchNorm)
in ``__init__``; assemble them in ``forward``.  refnn adds a fourth, because
it has no autograd to run the network backwards: ``backward`` calls the
parts' ``backward`` in the reverse order of ``forward``.

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
...
...     def backward(self, grad):           # forward read from right to left
...         return self.fc1.backward(self.act1.backward(self.fc2.backward(self.act2.backward(grad))))
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

One training step: forward, the loss, its gradient, backward (which fills
every ``.grad``), and a step of gradient descent:

>>> x = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
>>> y = [[0], [1], [1], [0]]
>>> criterion = nn.MSELoss()
>>> loss = criterion(net(x), y)
>>> _ = net.backward(criterion.backward())
>>> [len(p.grad) for p in net.parameters()]
[4, 4, 1, 1]
"""
from collections import OrderedDict
from collections.abc import Mapping

from refnn._checks import _rows, _shape, ShapeError
from refnn.nn._nested import _dims, _zero_grad
from refnn.nn.parameter import Parameter
from refnn._checks import _bool
from refnn._nested import _clone

__all__ = ["Module"]

# The types of number a gradient usually holds: a batch of them is checked in C, anything else one by one.
_PLAIN_NUMBERS = frozenset((float, int))


def _prefix(op, prefix):
    if not isinstance(prefix, str):
        raise TypeError(f"{op}: prefix must be a str, got {type(prefix).__name__}")


class Module:
    """Base class of layers and networks: parts registered by assignment, forward, backward.

    A subclass calls ``super().__init__()`` first, then assigns its parts;
    a :class:`~refnn.nn.Parameter` or a Module assigned as an attribute is
    registered (PyTorch's ``__setattr__``), anything else is a plain
    attribute.  Calling the module calls ``forward``.

    >>> from refnn import nn, init
    >>> class Affine(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = nn.Parameter([2.0])
    ...         self.note = "y = 2x"
    ...
    ...     def forward(self, x):
    ...         self._save((len(x),), x)          # the output's shape, and what backward needs
    ...         return [self.scale.data[0] * v for v in x]
    ...
    ...     def backward(self, grad):
    ...         x, = self._saved(grad)            # checks grad's shape, then hands x over once
    ...         g = sum(gi * xi for gi, xi in zip(grad, x))        # ∂loss/∂scale
    ...         self.scale.grad = [g] if self.scale.grad is None else [self.scale.grad[0] + g]
    ...         return [self.scale.data[0] * gi for gi in grad]     # ∂loss/∂x
    >>> m = Affine()
    >>> m([1.0, 3.0])
    [2.0, 6.0]
    >>> m.backward([1.0, 1.0]), m.scale.grad
    ([2.0, 2.0], [4.0])
    >>> list(m.state_dict())
    ['scale']

    refnn's own layers follow this convention: forward keeps what backward
    needs with ``self._save(output_shape, ...)``, and backward takes it
    with ``self._saved(grad)``.
    Each forward allows one backward, as PyTorch frees its graph after
    ``backward``; a module object keeps only its last forward, so a part
    used twice in one forward must be two objects.

    >>> m.backward([1.0, 1.0])
    Traceback (most recent call last):
        ...
    RuntimeError: Affine(): backward called before forward (each forward allows one backward)
    """

    def __init__(self):
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_modules"] = {}

    # --- forward and backward ---------------------------------------------

    def forward(self, *inputs):
        """The computation of the module, from input to output; every subclass defines it.

        >>> Module()([1.0])
        Traceback (most recent call last):
            ...
        NotImplementedError: Module [Module] is missing the required "forward" function
        """
        name = type(self).__name__
        raise NotImplementedError(f'Module [{name}] is missing the required "forward" function')

    def backward(self, grad):
        """∂loss/∂input from ∂loss/∂output, adding ∂loss/∂p to every parameter's ``.grad`` on the way.

        PyTorch derives this from ``forward`` by autograd; refnn has none, so
        every layer writes its own, and a network written as a subclass
        calls its parts' ``backward`` in the reverse order of ``forward``
        (:class:`~refnn.nn.Sequential` does that by itself).

        >>> Module().backward([1.0])
        Traceback (most recent call last):
            ...
        NotImplementedError: Module has no backward: refnn has no autograd, so a Module subclass writes \
backward by hand, calling its parts' backward in the reverse order of forward (see docs/06-pytorch-way.md)
        """
        raise NotImplementedError(
            f"{type(self).__name__} has no backward: refnn has no autograd, so a Module subclass writes "
            f"backward by hand, calling its parts' backward in the reverse order of forward "
            f"(see docs/06-pytorch-way.md)")

    def __call__(self, *inputs):
        return self.forward(*inputs)

    def _save(self, output_shape, *values):
        """Keep what backward needs, and the shape of the output whose gradient backward takes."""
        self._cache = output_shape, values

    def _saved(self, grad):
        """What forward kept for backward, handed over once, after grad's shape and numbers are checked.

        A grad that fails here leaves the forward's values in place, so a
        corrected backward can follow.
        """
        cache = self.__dict__.get("_cache")
        if cache is None:
            raise RuntimeError(f"{self!r}: backward called before forward (each forward allows one backward)")
        op = f"{self!r}.backward"
        dims = _dims(op, grad)
        if dims != cache[0]:
            raise ShapeError(f"{op}: grad of shape {dims}, but the output had shape {cache[0]}")
        if not dims or not all(_PLAIN_NUMBERS.issuperset(map(type, row)) for row in _rows(grad)):
            _shape(op, grad)        # a bool, a Fraction, a symbol passes; a str, None or complex does not
        self._cache = None
        return cache[1]

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

    def register_buffer(self, name, tensor):
        """Register a buffer: state saved in ``state_dict`` that is not learned (running statistics).

        A buffer is a number or a nested list of numbers; backward leaves it
        alone, and the optimizer never sees it.

        >>> from refnn import nn
        >>> m = nn.Module()
        >>> m.register_buffer("running_mean", [0.0, 0.0])
        >>> m.register_buffer("steps", 0)
        >>> dict(m.state_dict())
        {'running_mean': [0.0, 0.0], 'steps': 0}
        >>> m.register_buffer("s", "0")
        Traceback (most recent call last):
            ...
        TypeError: register_buffer: expected numbers, got str '0'
        """
        self._check_name("register_buffer", name)
        if tensor is not None:
            _shape("register_buffer", tensor)
        self._forget(name)
        self._buffers[name] = tensor

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
        >>> sum(len(p.detach()) for p in net.parameters())          # rows of W1, b1, W2, b2
        6
        >>> optimizer = optim.SGD(net.parameters(), lr=0.1)
        """
        return (param for _, param in self.named_parameters(recurse=recurse))

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
        >>> net[0].weight.data, net[2].bias.data
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
        >>> _ = layer([1.0, 2.0])
        >>> _ = layer.backward([1.0])
        >>> layer.weight.grad
        [[1.0, 2.0]]
        >>> layer.zero_grad(set_to_none=False); layer.weight.grad
        [[0.0, 0.0]]
        >>> layer.zero_grad(); layer.weight.grad is None
        True
        >>> layer.zero_grad(set_to_none="False")
        Traceback (most recent call last):
            ...
        TypeError: zero_grad: set_to_none must be True or False, got str
        """
        _bool("zero_grad", "set_to_none", set_to_none)
        _zero_grad(self.parameters(), set_to_none)

    # --- state_dict ---------------------------------------------------------

    def _entries(self, prefix=""):
        """(key, module, register, name) of every parameter and buffer, in state_dict order."""
        for register in ("_parameters", "_buffers"):
            for name, value in self.__dict__[register].items():
                if value is not None:
                    yield prefix + name, self, register, name
        for name, child in self._modules.items():
            if child is not None:
                yield from child._entries(f"{prefix}{name}.")

    def state_dict(self):
        """An OrderedDict of every parameter's and buffer's values, under PyTorch's key names.

        The keys are the paths to the values ("0.weight", "fc1.bias",
        "1.running_mean"), and a torch model of the same structure accepts
        them (see ``docs/06-pytorch-way.md``).  Unlike PyTorch's, whose
        tensors share memory with the model, the values are copies: plain
        nested lists that training does not change.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 1), nn.BatchNorm1d(1))
        >>> sd = net.state_dict()
        >>> list(sd)
        ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var',
         '1.num_batches_tracked']
        >>> sd["1.running_var"], sd["1.num_batches_tracked"]
        ([1.0], 0)
        """
        return OrderedDict(
            (key, _clone(module.__dict__[register][name].data if register == "_parameters"
                         else module.__dict__[register][name]))
            for key, module, register, name in self._entries())

    def load_state_dict(self, state_dict):
        """Copy the values of a state_dict into the module's parameters and buffers.

        Every key must be there and no other, each with the shape the
        module has; all of this is checked before anything is copied, so a
        failed load changes nothing.  The parameters are overwritten in
        place (as PyTorch's ``copy_``); the values are copied, not shared.

        >>> from refnn import nn
        >>> a, b = nn.Linear(2, 1), nn.Linear(2, 1)
        >>> b.load_state_dict(a.state_dict())
        >>> b.weight.data == a.weight.data
        True

        PyTorch raises RuntimeError and returns the keys it matched; refnn
        raises ValueError (wrong keys), ShapeError (wrong shapes) or
        TypeError (not numbers) and returns None.  Loading only some keys
        (PyTorch's ``strict=False``) is not offered.

        >>> b.load_state_dict({"weight": [[1.0, 2.0]], "bias": [0.0], "scale": [1.0]})
        Traceback (most recent call last):
            ...
        ValueError: load_state_dict for Linear: unexpected keys: 'scale'
        >>> b.load_state_dict({"weight": [[1.0, 2.0, 3.0]], "bias": [0.0]})
        Traceback (most recent call last):
            ...
        refnn.matrix.ShapeError: load_state_dict for Linear: weight has shape (1, 3) in the state_dict, \
(1, 2) in the model
        """
        op = f"load_state_dict for {type(self).__name__}"
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{op}: expected a mapping of names to values, got {type(state_dict).__name__}")
        entries = {key: (module, register, name) for key, module, register, name in self._entries()}
        missing = [key for key in entries if key not in state_dict]
        unexpected = [key for key in state_dict if key not in entries]
        problems = [f"{what} keys: {', '.join(map(repr, keys))}"
                    for what, keys in (("missing", missing), ("unexpected", unexpected)) if keys]
        if problems:
            raise ValueError(f"{op}: {'; '.join(problems)}")
        wrong = []
        for key, (module, register, name) in entries.items():
            current = module.__dict__[register][name]
            have = current.shape if register == "_parameters" else _shape(op, current)
            got = _shape(f"{op}: {key}", state_dict[key])
            if got != have:
                wrong.append(f"{key} has shape {got} in the state_dict, {have} in the model")
        if wrong:
            raise ShapeError(f"{op}: {'; '.join(wrong)}")
        for key, (module, register, name) in entries.items():
            value = state_dict[key]
            if register == "_parameters":
                for row, new in zip(_rows(module.__dict__[register][name].data), _rows(value)):
                    row[:] = new
            else:
                module.__dict__[register][name] = _clone(value)

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
