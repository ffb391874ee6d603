"""Sequential: parts chained in order, the output of each the input of the next.

The seed: "nn.Sequential is an ordered container; the modules run in the
order they were passed to the constructor, and an ordered dict of named
modules may be passed instead."

>>> from collections import OrderedDict
>>> from refnn import nn
>>> net = nn.Sequential(OrderedDict([("fc1", nn.Linear(3, 4)), ("act", nn.Sigmoid()),
...                                  ("fc2", nn.Linear(4, 1))]))
>>> net
Sequential(
  (fc1): Linear(in_features=3, out_features=4, bias=True)
  (act): Sigmoid()
  (fc2): Linear(in_features=4, out_features=1, bias=True)
)
>>> list(net.state_dict())
['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
"""
from collections import OrderedDict

from refnn.nn.module import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """Modules run one after another: ``Sequential(*modules)`` or ``Sequential(OrderedDict(...))``.

    Passed one by one, the parts are named "0", "1", ...; indexing, ``len``
    and iteration work as on a list, and a slice is a Sequential of its own.

    >>> from refnn import nn, init
    >>> _ = init.manual_seed(0)
    >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> len(net), net[0], net[-1].out_features
    (3, Linear(in_features=2, out_features=3, bias=True), 1)
    >>> [type(m).__name__ for m in net[:2]]
    ['Linear', 'ReLU']
    >>> out = net([[1.0, 2.0], [0.5, -1.0]])
    >>> [round(v, 6) for row in out.tolist() for v in row]
    [-0.096125, -0.221233]

    Only an OrderedDict gives names, as in PyTorch; a plain dict is refused:

    >>> nn.Sequential({"fc": nn.Linear(2, 1)})
    Traceback (most recent call last):
        ...
    TypeError: Sequential: part '0' is a dict, not a refnn.nn.Module (named parts come in an OrderedDict)
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            parts = args[0].items()
        else:
            parts = ((str(k), module) for k, module in enumerate(args))
        for name, module in parts:
            self._add("Sequential", name, module)

    def _add(self, op, name, module):
        if not isinstance(module, Module):
            hint = " (named parts come in an OrderedDict)" if isinstance(module, dict) else ""
            raise TypeError(f"{op}: part {name!r} is a {type(module).__name__}, not a refnn.nn.Module{hint}")
        self.add_module(name, module)

    def forward(self, x):
        """Each part's forward in order: x → part 0 → part 1 → ... → output.

        >>> from refnn import nn
        >>> nn.Sequential(nn.ReLU(), nn.Tanh())([-1.0, 0.0])
        tensor([0.0, 0.0])
        """
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, index):
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(items[index]))
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"Sequential: index must be an int or a slice, got {type(index).__name__}")
        if not -len(items) <= index < len(items):
            raise IndexError(f"Sequential: index {index} is out of range for {len(items)} parts")
        return items[index][1]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        """Add a part at the end, named by its position; returns the Sequential.

        >>> from refnn import nn
        >>> net = nn.Sequential(nn.Linear(2, 2)).append(nn.Tanh())
        >>> [name for name, _ in net.named_children()]
        ['0', '1']
        >>> net.append(nn.Tanh)
        Traceback (most recent call last):
            ...
        TypeError: Sequential.append: part '2' is a type, not a refnn.nn.Module
        """
        self._add("Sequential.append", str(len(self)), module)
        return self
