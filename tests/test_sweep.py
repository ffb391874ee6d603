"""The bad-input sweep: every public callable of refnn, called with generated bad arguments.

The public surface is found, not listed: every name in the ``__all__`` of
every module named in ``refnn.__all__`` (the ``nn`` and ``datasets``
packages bring the ``__all__`` of their modules, which they must
re-export), and for a class its constructor and its public methods (and
``__call__``, ``__getitem__`` and property setters), each swept on the
class that defines it.  ``examples()`` holds one valid call per callable,
one line each where it fits; a test fails when a public callable has
none, so a new function cannot escape the sweep.

From each valid call the sweep derives bad ones, one argument at a time
(defaults included), by the kind of the valid value (``bad_values``): a
matrix becomes ragged, empty, a vector, one row or column too many, NaN,
±inf, ±1e308, a string, None, 10 000 lists deep; a size becomes 0, -1,
10**12, 10**400, 2.5, True; a name "" or an unknown one; a mapping loses or
gains a key; labels move to another set.  ``EXTRA`` adds the bad calls one
substitution cannot make (two sizes huge together, a NaN gradient).  Each
bad call must

* raise ``ShapeError``, ``ValueError`` or ``TypeError`` whose message names
  the operation (the function, the class, the method or a layer's repr),
  ``IndexError`` only for an index or dim out of range in PyTorch's words,
  ``OSError`` only for a file path; an error raised inside a function the
  caller passed in (an ``f``, a ``predict``) is the caller's own; or
* succeed correctly, judged by what was changed: a bool where a number was
  must give what the int gives (True for 1), 1.0 what 1 gives, a tuple what
  the list gives, a name in capitals what the name gives; NaN and ±inf may
  come out only where they went in, and learning (``LEARNING``) refuses them;
  a finite input gives finite numbers except in the IEEE arithmetic of
  ``PURE`` (there, too, an int beyond the float range follows Python's own
  arithmetic and is not tried); every other bad value (None, a string, a
  ragged list, a wrong shape, an empty list, 0, -1, 10**12 ...) must be
  refused unless ``ACCEPTS`` says why it is valid there, and every entry of
  ``ACCEPTS`` must be needed;
* answer within ``TIMEOUT`` seconds, under an address-space limit (so that a
  huge size that is not refused fails fast as ``MemoryError`` instead of
  swapping the machine);
* leave its arguments unchanged (compared token by token, NaN-aware; a
  function whose name ends in ``_`` may change them when it succeeds, a
  ``random.Random`` passed in is there to be drawn from), and, when it
  fails, the instance it was called on and the default generator of
  ``refnn.init``.

Run with ``pytest -s`` to see the number of calls.
"""
import contextlib
import copy
import importlib
import inspect
import io
import os
import pkgutil
import random
import reprlib
import signal
import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from fractions import Fraction


import refnn
from refnn.autograd import AccumulateGrad, Function, FunctionCtx
from refnn import (
    activations, autograd, datasets, functions, gradcheck, init, matrix, mlp, neuron, nn, optim, perceptron,
    plot, shapes, tensors,
)
from refnn.tensors import Tensor as _tensor_class, tensor as _tensor     # the Tensor nn takes and gives
from refnn.utils import data as utils_data

TIMEOUT = 5.0               # seconds per call; a sympy check takes ~0.1 s, a refused call microseconds
DEPTH = 10_000              # lists nested this deep: far beyond Python's recursion limit
HEADROOM = 2 << 30          # bytes of address space a call may add before MemoryError
NAN, INF = float("nan"), float("inf")
HUGE = 10 ** 12             # a size no list of Python objects can have


# --- the public surface ----------------------------------------------------------


DUNDERS = ("__call__", "__getitem__")


def _is_record(cls):
    """NamedTuples, dataclasses and exceptions hold what they are given: their constructors are not swept."""
    return issubclass(cls, (tuple, BaseException)) or hasattr(cls, "__dataclass_fields__")


# Public modules of a package that are namespaces of their own, as in PyTorch (torch.nn does not
# re-export torch.nn.functional).
NAMESPACES = ("refnn.nn.functional", "refnn.nn.init")
# Public modules of a package of namespaces (refnn.utils, as torch.utils: it holds modules, not callables),
# swept by their own names.
OUTSIDE = ("refnn.utils.data",)
PACKAGES = tuple({full.rsplit(".", 1)[0].removeprefix("refnn.") for full in OUTSIDE})


def public_modules():
    """Every module of the public surface: refnn's floors and the public modules of its packages."""
    found = []
    for name in (n for n in refnn.__all__ if n not in PACKAGES):
        module = importlib.import_module(f"refnn.{name}")
        found.append(module)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            if not info.name.startswith("_"):
                found.append(importlib.import_module(f"{module.__name__}.{info.name}"))
    return found + [importlib.import_module(full) for full in OUTSIDE]


def public_surface():
    """{key: (kind, object, method name)} for every public callable, keyed like ``"nn.Linear.forward"``."""
    names = {}
    for name in (n for n in refnn.__all__ if n not in PACKAGES):
        module = getattr(refnn, name)
        names.update({f"{name}.{n}": getattr(module, n) for n in module.__all__})
    for full in NAMESPACES[:1] + OUTSIDE:   # nn.init's functions are init's, swept there
        module, key = importlib.import_module(full), full.removeprefix("refnn.")
        names.update({f"{key}.{n}": getattr(module, n) for n in module.__all__})
    public_classes = {obj for obj in names.values() if isinstance(obj, type)}
    public_classes.add(_tensor_class)       # Parameter's Tensor methods are the tensor floor's to sweep
    surface = {}
    for key, obj in names.items():
        if isinstance(obj, type) and issubclass(obj, (Function, FunctionCtx, AccumulateGrad)):
            continue            # autograd's steps take checked values from apply: swept through their callers
        if isinstance(obj, type):
            surface[key] = ("record" if _is_record(obj) else "class", obj, None)
            if not _is_record(obj):
                for method, kind in _methods(obj, public_classes):
                    surface[f"{key}.{method}"] = (kind, obj, method)
        elif callable(obj):
            surface[key] = ("callable", obj, None)
    return surface


def _methods(cls, public_classes):
    """(name, kind) of the public methods cls defines itself or takes from a private base class."""
    seen = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("refnn") or (klass is not cls and klass in public_classes):
            break                           # a public base is swept on its own; builtins are not refnn's
        for name, attr in vars(klass).items():
            if name in seen or (name.startswith("_") and name not in DUNDERS):
                continue
            seen.add(name)
            if isinstance(attr, staticmethod):
                yield name, "static"
            elif inspect.isfunction(attr):
                yield name, "method"
            elif isinstance(attr, property) and attr.fset is not None:
                yield name, "setter"


def signature(kind, obj, method):
    """The parameters a caller gives (self excluded)."""
    if kind == "setter":
        return inspect.signature(getattr(obj, method).fset).replace(
            parameters=list(inspect.signature(getattr(obj, method).fset).parameters.values())[1:])
    if kind in ("method", "static"):
        target = getattr(obj, method)
        sig = inspect.signature(target)
        return sig.replace(parameters=list(sig.parameters.values())[1:]) if kind == "method" else sig
    return inspect.signature(obj)


# --- markers: what a valid value stands for, when its type alone does not say -------

class Marker:
    def __init__(self, value):
        self.value = value


class Real(Marker):
    """A real number given as an int (lr=1): floats are valid there too."""


class Seed(Marker):
    """A seed: any int is valid, 0, -1 and 10**400 included."""


class Count(Marker):
    """A count of iterations (epochs): 10**12 is valid, merely long, so it is not tried."""


class Dim(Marker):
    """A dimension: negative ones count from the end, PyTorch's IndexError beyond."""


class Sizes(Marker):
    """A list of sizes (layer widths, a shape): each must be a positive int of reasonable size."""


class Path(Marker):
    """A file path: OSError is the answer of the file system, and a valid one."""


class Deep:
    """Lists nested DEPTH deep, built afresh for every call (copy.deepcopy cannot copy it)."""

    def build(self):
        x = [1.0]
        for _ in range(DEPTH):
            x = [x]
        return x


def _deep_intact(x):
    for _ in range(DEPTH):
        if type(x) is not list or len(x) != 1:
            return False
        x = x[0]
    return x == [1.0]


# --- the valid calls ---------------------------------------------------------------

class Call:
    """A valid call: its arguments, the instance it is made on (``on``, a factory), what it raises."""

    def __init__(self, *args, on=None, raises=None, **kwargs):
        self.args, self.kwargs, self.on, self.raises = args, kwargs, on, raises


def _quadratic(p):
    return p[0] ** 2 + 3 * p[1]


def _times(a, b):
    return a * b


def _float_tensor():
    return tensors.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def _leaf():
    return tensors.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)


def _loss():
    return (_leaf() * 2).sum()


def _and_line(points):
    return [1 if a + b > 1.5 else -1 for a, b in points]


def _noop(module):
    return None


def _seeded(make):
    """A factory that builds with refnn.init's default generator at a fixed state."""
    def factory():
        init.manual_seed(0)
        return make()
    return factory


def _after(make, *inputs):
    """A factory for a module whose forward has run: its backward can be swept."""
    def factory():
        module = _seeded(make)()
        module(*inputs)
        return module
    return factory


def _sgd():
    w, b = nn.Parameter([[1.0, -2.0]]), nn.Parameter([0.5])
    w.grad, b.grad = _tensor([[0.5, -1.0]]), _tensor([0.25])
    return optim.SGD([w, b], lr=0.1, momentum=0.9)


def _pairs():
    return utils_data.TensorDataset(_tensor([[1.0, 2.0], [3.0, 4.0]]), _tensor([0, 1]))


def _subset():
    return utils_data.Subset(_pairs(), [1, 0])


def _adam():
    w = refnn.tensors.tensor([[1.0, -2.0]], requires_grad=True)
    w.grad = refnn.tensors.tensor([[0.5, -1.0]])
    optimizer = optim.Adam([w], lr=0.1)
    optimizer.step()
    return optimizer


def _fitted():
    return perceptron.Perceptron().fit(AND_X, AND_PM)


def _net():
    return nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))


AND_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND_PM = [-1, -1, -1, 1]
M = [[1, 2], [3, 4]]
M2 = [[5, 6], [7, 8]]
M23 = [[1, 2, 3], [4, 5, 6]]
T3 = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
W = [[[0.5, -0.5], [0.25, 1.0]], [[1.0], [-1.0]]]           # a 2-2-1 network in refnn.mlp's layout
B = [[0.1, -0.2], [0.3]]
X3 = [[0, 1], [1, 0], [1, 1]]
Y3 = [[1], [1], [0]]
IMAGE = [[[[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 0.5]]]]      # (1, 1, 3, 3)
FLOATS = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


TINY = {"figsize": (1.0, 1.0), "dpi": 10}


def examples(folder):
    """One valid call per public callable with parameters: ``key: Call(args..., on=instance factory)``."""
    model_file = os.path.join(folder, "model.json")
    nn.save({"0.weight": [[0.5, -0.5]], "0.bias": [0.1]}, model_file)
    return {
        # matrix
        "matrix.shape": Call(M), "matrix.zeros": Call(2, 3), "matrix.identity": Call(2),
        "matrix.transpose": Call(M23), "matrix.dot": Call([1, 2], [3, 4]),
        "matrix.matmul": Call([[1, 2], [3, 4], [5, 6]], M23), "matrix.add": Call(M, M2),
        "matrix.sub": Call(M, M2), "matrix.hadamard": Call(M, M2), "matrix.scale": Call(M, 0.5),
        "matrix.apply": Call(abs, [[-1, 2], [3, -4]]), "matrix.outer": Call([1, 2], [3, 4, 5]),
        "matrix.ShapeError": Call("add: (2,) and (3,) differ"),
        # activations
        **{f"activations.{name}": Call(0.5) for name in activations.__all__},
        # neuron
        "neuron.MPNeuron": Call([1, 1], Real(2), name="AND"),
        "neuron.MPNeuron.__call__": Call(1, 0, on=lambda: neuron.MPNeuron([1, 1], 2)),
        "neuron.AND": Call(1, 1), "neuron.OR": Call(0, 1), "neuron.NAND": Call(1, 0), "neuron.NOT": Call(1),
        "neuron.XOR": Call(1, 0), "neuron.truth_table": Call(neuron.XOR, 2),
        "neuron.print_truth_table": Call(neuron.XOR, 2),
        # perceptron
        "perceptron.Perceptron": Call(lr=Real(1), max_epochs=Count(1000)),
        "perceptron.Perceptron.fit": Call(AND_X, AND_PM, on=perceptron.Perceptron),
        "perceptron.Perceptron.predict": Call([[0, 1], [1, 1]], on=_fitted),
        "perceptron.linearly_separable": Call(AND_X, AND_PM),
        "perceptron.ConvergenceWarning": Call("not converged"),
        "perceptron.Separability": Call(True, [1], 0),
        # mlp
        "mlp.init_weights": Call(Sizes([2, 3, 1]), seed=Seed(0)),
        "mlp.init_biases": Call(Sizes([2, 3, 1]), generator=random.Random(0)),
        "mlp.forward": Call(W, X3, biases=B),
        "mlp.backward": Call(W, mlp.forward(W, X3), Y3, loss="squared_error"),
        "mlp.train": Call(X3, Y3, W, epochs=Count(3), lr=Real(1), biases=B, loss="binary_cross_entropy"),
        "mlp.Gradients": Call([[[0.5]]], [[0.25]]), "mlp.Training": Call([[[1.0]]], None, [0.5]),
        "mlp.sigmoid_prime_from_output": Call(0.25),
        "mlp.squared_error": Call([[0.0], [1.0]], [[0.5], [0.25]]),
        "mlp.binary_cross_entropy": Call([[0.0], [1.0]], [[0.5], [0.25]]),
        # gradcheck
        "gradcheck.numeric_gradient": Call(_quadratic, [1.0, 2.0], eps=1e-6),
        "gradcheck.symbolic_gradient": Call(_quadratic, [1, 2]),
        "gradcheck.max_relative_error": Call([1.0, 2.0], [1.0, 2.5], floor=1.0),
        "gradcheck.check": Call(_quadratic, [1.0, 2.0], [2.0, 3.0], eps=1e-6, floor=1.0),
        "gradcheck.Gaps": Call(0.0, 1e-10),
        "gradcheck.symbolic_mlp_gradient": Call([[[0.5], [-0.5]]], [[1.0, 2.0]], [[1.0]], biases=[[0.1]]),
        "gradcheck.numeric_mlp_gradient": Call([[[0.5], [-0.5]]], [[1.0, 2.0]], [[1.0]], biases=[[0.1]],
                                               loss="binary_cross_entropy", eps=1e-6),
        "gradcheck.check_mlp": Call(Sizes((1, 1)), seed=Seed(0), loss="squared_error", bias=True, samples=1,
                                    floor=1e-3),
        "gradcheck.MLPCheck": Call((1, 1), "squared_error", False, 1, 0.0, 0.0),
        "gradcheck.check_function": Call(_times, [1.0, 2.0], [3.0, 4.0], eps=1e-6, floor=1.0, seed=Seed(0)),
        # the tensor floor: functions (Tensors or nested lists in, the same kind out)
        "functions.add": Call(M, M2, alpha=1), "functions.sub": Call(M, M2, alpha=1),
        "functions.mul": Call(M, M2),
        "functions.div": Call(M, M2), "functions.pow": Call(M, 2), "functions.neg": Call(M),
        "functions.exp": Call(M), "functions.log": Call(M2), "functions.sqrt": Call(M2),
        "functions.abs": Call(M),
        "functions.sigmoid": Call(M), "functions.tanh": Call(M), "functions.relu": Call(M),
        "functions.clamp": Call(M, 1, 3), "functions.sum": Call(T3, Dim(1), keepdim=False),
        "functions.mean": Call(T3, Dim(1), keepdim=False), "functions.max": Call(T3, Dim(1), keepdim=False),
        "functions.argmax": Call(T3, Dim(1), keepdim=False), "functions.matmul": Call(M, M2),
        "functions.mm": Call(M, M2), "functions.where": Call([[True, False], [False, True]], M, M2),
        "functions.equal": Call(M, M2), "functions.allclose": Call(M, M2, rtol=1e-05, atol=1e-08,
                                                                   equal_nan=False),
        "shapes.shape": Call(T3), "shapes.size": Call(M23, Dim(1)),
        "shapes.view": Call(M23, Sizes((3, 2))), "shapes.reshape": Call(M23, Sizes((3, 2))),
        "shapes.flatten": Call(T3, Dim(1), Dim(2)), "shapes.permute": Call(T3, Sizes((2, 0, 1))),
        "shapes.transpose": Call(T3, Dim(0), Dim(2)), "shapes.t": Call(M23),
        "shapes.narrow": Call([[1, 2, 3], [4, 5, 6], [7, 8, 9]], Dim(0), 1, 2),
        "shapes.cat": Call([M, M2], Dim(0)), "shapes.stack": Call([M, M2], Dim(0)),
        "shapes.unsqueeze": Call([1, 2, 3], Dim(0)), "shapes.squeeze": Call([[[1], [2]]], Dim(0)),
        "shapes.expand": Call([[1], [2]], Sizes((2, 3))), "shapes.clone": Call(M), "shapes.detach": Call(M),
        "shapes.index": Call(M23, (1, 2)),
        "linalg.solve": Call([[2, 1], [1, 3]], [3, 5]), "linalg.gesv": Call([3, 5], [[2, 1], [1, 3]]),
        "sampling.grid_sample": Call([[[[10, 20], [30, 40]]]], [[[[-0.5, 0.5], [0.25, 0.0]]]],
                                     mode="bilinear", padding_mode="zeros", align_corners=False),
        # the tensor floor: making tensors
        "tensors.Tensor": Call(M, requires_grad=False), "tensors.tensor": Call(M, requires_grad=False),
        "tensors.dtype": Call("float64", float, True),
"tensors.set_default_dtype": Call(tensors.float64),
        "tensors.zeros": Call(Dim(2), Dim(3)), "tensors.ones": Call(Dim(2), Dim(3)),
        "tensors.full": Call(Sizes((2, 3)), 7), "tensors.zeros_like": Call(_float_tensor()),
        "tensors.ones_like": Call(_float_tensor()), "tensors.full_like": Call(_float_tensor(), 7),
        "tensors.arange": Call(1, 7, 2), "tensors.linspace": Call(0, 1, 5), "tensors.eye": Call(2, 3),
        "tensors.rand": Call(Dim(2), Dim(3)), "tensors.randn": Call(Dim(2), Dim(3)),
        # the tensor floor: a Tensor's methods (on the int tensor M23 unless said)
        "tensors.Tensor.size": Call(Dim(1)), "tensors.Tensor.add": Call(M23, alpha=1),
        "tensors.Tensor.sub": Call(M23, alpha=1), "tensors.Tensor.mul": Call(M23),
        "tensors.Tensor.div": Call(M23), "tensors.Tensor.pow": Call(2),
        "tensors.Tensor.matmul": Call([[1], [2], [3]]), "tensors.Tensor.mm": Call([[1], [2], [3]]),
        "tensors.Tensor.clamp": Call(1, 3), "tensors.Tensor.sum": Call(Dim(1), keepdim=False),
        "tensors.Tensor.mean": Call(Dim(1), keepdim=False), "tensors.Tensor.max": Call(Dim(1), keepdim=False),
        "tensors.Tensor.argmax": Call(Dim(1), keepdim=False), "tensors.Tensor.view": Call(3, 2),
        "tensors.Tensor.view_as": Call(tensors.tensor([[1, 2], [3, 4], [5, 6]])),
        "tensors.Tensor.reshape": Call(Sizes((3, 2))), "tensors.Tensor.flatten": Call(Dim(0), Dim(1)),
        "tensors.Tensor.permute": Call(Dim(1), Dim(0)), "tensors.Tensor.transpose": Call(Dim(0), Dim(1)),
        "tensors.Tensor.unsqueeze": Call(Dim(0)), "tensors.Tensor.squeeze": Call(Dim(0)),
        "tensors.Tensor.narrow": Call(Dim(1), 0, 2), "tensors.Tensor.expand": Call(Sizes((2, 2, 3))),
        "tensors.Tensor.expand_as": Call(tensors.tensor([[[1, 2, 3], [4, 5, 6]]] * 2)),
        "tensors.Tensor.__getitem__": Call(1), "tensors.Tensor.to": Call(tensors.float64),
        "tensors.Tensor.type_as": Call(_float_tensor()),
        "tensors.Tensor.add_": Call(M23, alpha=1), "tensors.Tensor.sub_": Call(M23, alpha=1),
        "tensors.Tensor.mul_": Call(M23), "tensors.Tensor.div_": Call([1.0, 2.0, 4.0], on=_float_tensor),
        "tensors.Tensor.clamp_": Call(1, 3), "tensors.Tensor.copy_": Call(M23),
        "tensors.Tensor.fill_": Call(7),
        "tensors.Tensor.normal_": Call(0.0, 1.0, generator=random.Random(0), on=_float_tensor),
        "tensors.Tensor.uniform_": Call(-1.0, 1.0, generator=random.Random(0), on=_float_tensor),
        "tensors.Tensor.backward": Call(None, retain_graph=False, on=_loss),
        "tensors.Tensor.requires_grad_": Call(True, on=_float_tensor),
        "tensors.Tensor.data": Call(_float_tensor(), on=_leaf),
        "tensors.Tensor.item": Call(on=lambda: tensors.tensor([[7]])),
        # autograd
        "autograd.backward": Call(_loss(), None, retain_graph=False),
        "autograd.gradients": Call(_loss(), None),
        "autograd.set_grad_enabled": Call(False),
        "autograd.set_grad_enabled.__call__": Call(_noop, on=autograd.no_grad),
        # init
        "init.manual_seed": Call(Seed(0)), "init.calculate_gain": Call("leaky_relu", 0.2),
        "init.uniform_": Call(FLOATS, -1.0, 1.0, generator=random.Random(0)),
        "init.normal_": Call(FLOATS, 0.0, 1.0, generator=random.Random(0)),
        "init.constant_": Call(FLOATS, 0.5), "init.zeros_": Call(FLOATS), "init.ones_": Call(FLOATS),
        "init.xavier_uniform_": Call(FLOATS, gain=1.0, generator=random.Random(0)),
        "init.xavier_normal_": Call(FLOATS, gain=1.0, generator=random.Random(0)),
        "init.kaiming_uniform_": Call(FLOATS, a=Real(0), mode="fan_in", nonlinearity="leaky_relu",
                                      generator=random.Random(0)),
        "init.kaiming_normal_": Call(FLOATS, a=Real(0), mode="fan_out", nonlinearity="relu",
                                     generator=random.Random(0)),
        "init.trunc_normal_": Call(FLOATS, Real(0), Real(1), Real(-2), Real(2), generator=random.Random(0)),
        "init.orthogonal_": Call(FLOATS, gain=Real(1), generator=random.Random(0)),
        "init.eye_": Call(FLOATS),
        "init.dirac_": Call([[[0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]]], groups=1),
        # nn: parameters
        "nn.Parameter": Call([[1.0, 2.0]], requires_grad=True), "nn.Parameter.data": Call([[3.0, 4.0]]),
        # nn: Module's own methods, on a small network (forward is abstract)
        "nn.Module.forward": Call([1.0], on=nn.Module, raises=NotImplementedError),
        "nn.Module.__call__": Call([1.0], on=nn.Module, raises=NotImplementedError),
        "nn.Module.add_module": Call("extra", nn.Tanh()),
        "nn.Module.register_parameter": Call("extra", nn.Parameter([1.0])),
        "nn.Module.register_buffer": Call("extra", _tensor([0.0, 1.0]), persistent=True),
        "nn.Module.named_modules": Call(prefix="net"),
        "nn.Module.named_parameters": Call(prefix="net", recurse=True),
        "nn.Module.named_buffers": Call(prefix="net", recurse=True), "nn.Module.buffers": Call(recurse=True),
        "nn.Module.parameters": Call(recurse=True), "nn.Module.apply": Call(_noop),
        "nn.Module.train": Call(True), "nn.Module.zero_grad": Call(set_to_none=False),
        "nn.Module.requires_grad_": Call(requires_grad=True),
        "nn.Module.load_state_dict": Call({k: v.tolist() for k, v in _seeded(_net)().state_dict().items()},
                                          strict=True),
        # nn: layers
        "nn.Sequential": Call(nn.Linear(2, 2), nn.Tanh()),
        "nn.Sequential.forward": Call([[1.0, 2.0], [0.0, 1.0]]),
        "nn.Sequential.__getitem__": Call(1), "nn.Sequential.append": Call(nn.ReLU()),
        "nn.Linear": Call(2, 3, bias=True), "nn.Linear.forward": Call([[1.0, 2.0]]),
        **{f"nn.{name}.forward": Call([[0.5, -1.0]]) for name in ("Sigmoid", "Tanh", "ReLU")},
        "nn.ReLU": Call(inplace=False),
        "nn.Conv2d": Call(1, 2, 2, stride=1, padding=0, bias=True), "nn.Conv2d.forward": Call(IMAGE),
        **{f"nn.{name}{method}": call for name in ("MaxPool2d", "AvgPool2d") for method, call in (
            ("", Call(2, stride=None)), (".forward", Call(IMAGE)))},
        "nn.Flatten": Call(Dim(1), Dim(-1)), "nn.Flatten.forward": Call(T3),
        "nn.BatchNorm1d": Call(2, eps=1e-5, momentum=0.1),
        "nn.BatchNorm1d.forward": Call([[1.0, 2.0], [3.0, 5.0]]),
        "nn.MSELoss": Call(size_average=None, reduce=None, reduction="mean"),
        "nn.BCELoss": Call(weight=None, size_average=None, reduce=None, reduction="mean"),
        **{f"nn.{name}": Call(weight=None, size_average=None, ignore_index=-100, reduce=None,
                              reduction="mean") for name in ("CrossEntropyLoss", "NLLLoss")},
        "nn.MSELoss.forward": Call([[0.5], [1.0]], [[0.0], [1.0]]),
        "nn.BCELoss.forward": Call([[0.5], [0.25]], [[1.0], [0.0]]),
        "nn.CrossEntropyLoss.forward": Call([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [0, 1]),
        "nn.NLLLoss.forward": Call([[-0.5, -1.0], [-2.0, -0.1]], [0, 1]),
        # nn: the parts of #12
        "nn.Dropout": Call(0.5, inplace=False), "nn.Dropout.forward": Call([[0.5, -1.0]]),
        **{f"nn.{name}": Call(Dim(1)) for name in ("Softmax", "LogSoftmax")},
        **{f"nn.{name}.forward": Call([[0.5, -1.0]]) for name in ("Softmax", "LogSoftmax", "LeakyReLU")},
        "nn.LeakyReLU": Call(0.01, inplace=False),
        "nn.Identity": Call(), "nn.Identity.forward": Call([[0.5, -1.0]]),
        "nn.BatchNorm2d": Call(1, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True),
        "nn.BatchNorm2d.forward": Call(IMAGE * 2),
        "nn.BCEWithLogitsLoss": Call(weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None),
        "nn.BCEWithLogitsLoss.forward": Call([[0.5], [-1.0]], [[1.0], [0.0]]),
        "nn.save": Call({"0.weight": [[0.5, -0.5]], "0.bias": [0.1]}, Path(os.path.join(folder, "s.json"))),
        "nn.load": Call(Path(model_file)),
        # nn.functional
        "nn.functional.linear": Call([[1.0, 2.0]], [[0.5, -0.5], [1.0, 0.0]], [0.1, 0.2]),
        "nn.functional.conv2d": Call(IMAGE, [[[[1.0, 0.0], [0.0, -1.0]]]], [0.5], stride=1, padding=0,
                                     dilation=1, groups=1),
        "nn.functional.max_pool2d": Call(IMAGE, 2, stride=1, padding=0, dilation=1, ceil_mode=False,
                                         return_indices=False),
        "nn.functional.avg_pool2d": Call(IMAGE, 2, stride=1, padding=0, ceil_mode=False,
                                         count_include_pad=True, divisor_override=None),
        "nn.functional.batch_norm": Call([[1.0, 2.0], [3.0, 5.0]], [0.0, 0.0], [1.0, 1.0], weight=[1.0, 1.0],
                                         bias=[0.0, 0.0], training=False, momentum=0.1, eps=1e-5),
        "nn.functional.relu": Call([[-1.0, 2.0]], inplace=False),
        "nn.functional.sigmoid": Call([[-1.0, 2.0]]),
        "nn.functional.tanh": Call([[-1.0, 2.0]]),
        "nn.functional.softmax": Call([[1.0, 2.0]], dim=Dim(1), dtype=None),
        "nn.functional.log_softmax": Call([[1.0, 2.0]], dim=Dim(1), dtype=None),
        "nn.functional.mse_loss": Call([[0.5], [1.0]], [[0.0], [1.0]], size_average=None, reduce=None,
                                       reduction="mean"),
        "nn.functional.binary_cross_entropy": Call([[0.5], [0.25]], [[1.0], [0.0]], weight=None,
                                                   size_average=None, reduce=None, reduction="mean"),
        "nn.functional.cross_entropy": Call([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [0, 1], weight=None,
                                            size_average=None, ignore_index=-100, reduce=None,
                                            reduction="mean", label_smoothing=0.0),
        "nn.functional.nll_loss": Call([[-0.5, -1.0], [-2.0, -0.1]], [0, 1], weight=None, size_average=None,
                                       ignore_index=-100, reduce=None, reduction="mean"),
        "nn.functional.grid_sample": Call([[[[10.0, 20.0], [30.0, 40.0]]]], [[[[-0.5, 0.5], [0.25, 0.0]]]],
                                          mode="bilinear", padding_mode="zeros", align_corners=False),
        "nn.functional.binary_cross_entropy_with_logits": Call([[0.5], [-1.0]], [[1.0], [0.0]], weight=None,
                                                               size_average=None, reduce=None,
                                                               reduction="mean", pos_weight=None),
        "nn.functional.dropout": Call([[0.5, -1.0]], p=0.5, training=True, inplace=False),
        "nn.functional.leaky_relu": Call([[0.5, -1.0]], negative_slope=0.01, inplace=False),
        "nn.functional.pad": Call(IMAGE, (1, 2, 0, 1), mode="reflect", value=None),
        # optim
        "optim.SGD": Call([nn.Parameter([1.0, 2.0])], lr=0.1, momentum=0.9, dampening=Real(0),
                          weight_decay=Real(0), nesterov=False, maximize=False),
        "optim.SGD.zero_grad": Call(set_to_none=False),
        "optim.SGD.load_state_dict": Call(_sgd().state_dict()),
        "optim.Adam": Call([refnn.tensors.tensor([1.0, 2.0], requires_grad=True)], lr=Real(0.001),
                           betas=(0.9, 0.999), eps=Real(1e-8), weight_decay=Real(0), amsgrad=False,
                           maximize=False),
        "optim.Adam.zero_grad": Call(set_to_none=True),
        "optim.Adam.load_state_dict": Call(_adam().state_dict()),
        # utils.data
        "utils.data.TensorDataset": Call(_tensor([[1.0, 2.0], [3.0, 4.0]]), _tensor([0, 1])),
        "utils.data.TensorDataset.__getitem__": Call(1, on=_pairs),
        "utils.data.Dataset.__getitem__": Call(0, on=utils_data.Dataset, raises=NotImplementedError),
        "utils.data.Subset": Call(_pairs(), [1, 0]), "utils.data.Subset.__getitem__": Call(0, on=_subset),
        "utils.data.random_split": Call(_pairs(), [1, 1], generator=random.Random(0)),
        "utils.data.SequentialSampler": Call(_pairs()),
        "utils.data.RandomSampler": Call(_pairs(), generator=random.Random(0)),
        "utils.data.default_collate": Call([(_tensor([1.0]), 0), (_tensor([2.0]), 1)]),
        "utils.data.DataLoader": Call(_pairs(), batch_size=2, shuffle=False, sampler=None, drop_last=False,
                                      collate_fn=None, generator=random.Random(0)),
        # datasets
        "datasets.logic_gate": Call("and", labels="pm1"), "datasets.load_iris": Call(return_X_y=True),
        "datasets.load_digits": Call(n_class=2, return_X_y=True),
        "datasets.make_moons": Call(n_samples=20, noise=0.1, seed=Seed(0), shuffle=True),
        "datasets.make_circles": Call(n_samples=20, noise=0.1, factor=0.5, seed=Seed(0), shuffle=True),
        "datasets.make_blobs": Call(n_samples=20, centers=3, cluster_std=1.0, center_box=(-10.0, 10.0),
                                    seed=Seed(0), shuffle=True),
        "datasets.make_spiral": Call(n_samples=20, n_classes=2, noise=0.1, turns=1.0, seed=Seed(0),
                                     shuffle=True),
        "datasets.train_test_split": Call([[0], [1], [2], [3], [4], [5]], [0, 0, 0, 1, 1, 1],
                                          test_size=0.5, seed=Seed(0), stratify=True),
        "datasets.one_hot": Call([0, 2, 1], num_classes=3),
        "datasets.standardize": Call([[0.0, 10.0], [4.0, 30.0]], [2.0, 20.0], [2.0, 10.0]),
        "datasets.Dataset": Call([[1.0]], [0], ["x"], ["a"]),
        # plot
        "plot.regions": Call(_and_line, AND_X, AND_PM, width=9, height=5, xlim=(-0.5, 1.5), ylim=None),
        "plot.loss_curve": Call([1.0, 0.5, 0.25], width=10, height=4),
        "plot.digit": Call([[0, 8], [16, 4]], vmax=Real(16)),
        "plot.MatplotlibMissingError": Call("save_network"),
        "plot.save_regions": Call(Path(os.path.join(folder, "r.png")), _and_line, AND_X, AND_PM,
                                  resolution=5, xlim=None, ylim=None, figsize=(1.0, 1.0), dpi=20),
        "plot.save_loss_curve": Call(Path(os.path.join(folder, "l.png")), [1.0, 0.5], yscale="linear",
                                     figsize=(1.0, 1.0), dpi=20),
        "plot.save_network": Call(Path(os.path.join(folder, "n.png")), [[[1.0, -1.0]], [[0.5], [2.0]]],
                                  figsize=(1.0, 1.0), dpi=20),
        # (a figure of 10 x 10 pixels: the sweep judges the checks, not the drawing)
        "plot.regions_figure": Call(_and_line, AND_X, AND_PM, resolution=5, class_names=["no", "yes"],
                                    axis_names=["a", "b"],
                                    title="t", **TINY),
        "plot.loss_figure": Call([1.0, 0.5], yscale="linear", labels=["E"], title="t", **TINY),
        "plot.network_figure": Call([[[1.0, -1.0]]], x=[2.0], max_neurons=4, title="t", **TINY),
        "plot.neuron_figure": Call([1.0, 1.0], theta=Real(2.0), x=[1.0, 0.0], title="t", **TINY),
        "plot.activations_figure": Call((-5.0, 5.0), title="t", **TINY),
        "plot.error_surface_figure": Call([[1.0, 0.0], [0.0, 1.0]], [[0.8], [0.2]], start=(-3.0, 3.0),
                                          lr=Real(2.0), epochs=2, wlim=(-6.0, 6.0), resolution=3, title="t",
                                          **TINY),
        "plot.perceptron_figure": Call(AND_X, AND_PM, lr=Real(1.0), max_epochs=3, steps="epoch", title="t",
                                       **TINY),
        "plot.perceptron_animation": Call(AND_X, AND_PM, lr=Real(1.0), max_epochs=1, fps=Real(2.0),
                                          **TINY),
        "plot.hidden_layer_figure": Call([[[6.0, -6.0], [-6.0, 6.0]], [[8.0], [8.0]]], [[-3.0, -3.0], [-4.0]],
                                         AND_X, [0, 1, 1, 0], title="t", **TINY),
        "plot.grid_sample_figure": Call([[0.0, 1.0], [2.0, 3.0]], [[[-0.5, 0.0], [0.5, 0.0]]],
                                        mode="bilinear", align_corners=False, title="t", **TINY),
        "plot.png": Call(plot.loss_figure, [1.0, 0.5], **TINY),
        "plot.graph_figure": Call(_loss(), names=None, digits=4, title="t", **TINY),
        # explain
        "explain.matmul": Call([[1, 1, -1], [4, 0, 2]], [[2, -1], [3, -2], [0, 1]], digits=6, rows_shown=1),
        "explain.neuron": Call(neuron.AND, [1, 1], digits=6),
        "explain.perceptron": Call(AND_X, AND_PM, lr=Real(1), max_epochs=Count(1000), epochs_shown=1,
                                   digits=6),
        "explain.backprop": Call(X3, Y3, W, lr=Real(1), samples_shown=1, digits=6),
        "explain.graph": Call(_loss(), names={"w": _leaf()}, digits=6),
        "explain.Graph": Call("[1] leaf: value 1.0, .grad None", ()),
    }


# The instance each method is called on, when its Call gives none.
INSTANCES = {
    "tensors.Tensor": lambda: tensors.tensor(M23),
    "neuron.MPNeuron": lambda: neuron.MPNeuron([1, 1], 2),
    "perceptron.Perceptron": perceptron.Perceptron,
    "nn.Parameter": lambda: nn.Parameter([[1.0, 2.0]]),
    "nn.Module": _seeded(_net),
    "nn.Sequential": _seeded(_net),
    "nn.Linear": _seeded(lambda: nn.Linear(2, 3)),
    "nn.Conv2d": _seeded(lambda: nn.Conv2d(1, 2, 2)),
    "nn.MaxPool2d": lambda: nn.MaxPool2d(2), "nn.AvgPool2d": lambda: nn.AvgPool2d(2),
    "nn.Flatten": nn.Flatten, "nn.BatchNorm1d": lambda: nn.BatchNorm1d(2),
    "nn.Sigmoid": nn.Sigmoid, "nn.Tanh": nn.Tanh, "nn.ReLU": nn.ReLU,
    "nn.MSELoss": nn.MSELoss, "nn.BCELoss": nn.BCELoss, "nn.CrossEntropyLoss": nn.CrossEntropyLoss,
    "nn.NLLLoss": nn.NLLLoss, "optim.SGD": _sgd,
    "optim.Adam": _adam,
    "nn.Dropout": nn.Dropout, "nn.Softmax": lambda: nn.Softmax(1), "nn.LogSoftmax": lambda: nn.LogSoftmax(1),
    "nn.LeakyReLU": nn.LeakyReLU, "nn.Identity": nn.Identity, "nn.BatchNorm2d": lambda: nn.BatchNorm2d(1),
    "nn.BCEWithLogitsLoss": nn.BCEWithLogitsLoss,
}


# --- how the results are judged -------------------------------------------------------

# IEEE arithmetic: NaN, ±inf and overflow may come out of these, as out of + and *;
# an int beyond the float range follows Python's own arithmetic in them (it is not tried).
PURE = {
    *(f"matrix.{n}" for n in matrix.__all__), *(f"functions.{n}" for n in functions.__all__),
    *(f"shapes.{n}" for n in shapes.__all__), "linalg.solve", "linalg.gesv", "sampling.grid_sample",
    "mlp.forward", "mlp.backward", "mlp.sigmoid_prime_from_output", "gradcheck.numeric_gradient",
    "gradcheck.symbolic_gradient", "gradcheck.max_relative_error", "gradcheck.check",
    "gradcheck.check_function", "gradcheck.numeric_mlp_gradient", "gradcheck.symbolic_mlp_gradient",
    "init.constant_", "nn.Parameter", "nn.Module.register_buffer", "nn.Module.load_state_dict",
    *(f"nn.functional.{n}" for n in ("linear", "conv2d", "max_pool2d", "avg_pool2d", "batch_norm", "relu",
                                     "sigmoid", "tanh", "softmax", "log_softmax", "grid_sample", "dropout",
                                     "leaky_relu", "pad")),
}
PURE_PREFIXES = ("tensors.Tensor.", "nn.Sequential.", "nn.Linear.", "nn.Sigmoid.", "nn.Tanh.", "nn.ReLU.",
                 "nn.Conv2d.", "nn.MaxPool2d.", "nn.AvgPool2d.", "nn.Flatten.", "nn.BatchNorm1d.",
                 "nn.BatchNorm2d.", "nn.Dropout.", "nn.Softmax.", "nn.LogSoftmax.", "nn.LeakyReLU.",
                 "nn.Identity.",
                 "nn.Parameter.", "nn.Module.__call__")

# Learning: NaN and ±inf are refused before the first step, and no step overflows.
LEARNING = {
    "perceptron.Perceptron.fit", "perceptron.linearly_separable", "mlp.train", "mlp.squared_error",
    "mlp.binary_cross_entropy", "nn.MSELoss.forward", "nn.BCELoss.forward", "nn.CrossEntropyLoss.forward",
    "nn.NLLLoss.forward", "nn.functional.mse_loss", "nn.functional.binary_cross_entropy",
    "nn.functional.cross_entropy", "nn.functional.nll_loss", "nn.BCEWithLogitsLoss.forward",
    "nn.functional.binary_cross_entropy_with_logits",
    "datasets.standardize", "gradcheck.check_mlp", "explain.perceptron", "explain.backprop",
}

# Methods that hand their arguments to a function of another name, as their docstrings say.
ALIASES = {# a layer's forward is a function of nn.functional, whose name its errors give (as PyTorch's)
           "nn.MaxPool2d.forward": "max_pool2d", "nn.AvgPool2d.forward": "avg_pool2d",
           "nn.BatchNorm1d.forward": "batch_norm", "nn.MSELoss.forward": "mse_loss",
           "nn.BCELoss.forward": "binary_cross_entropy", "nn.CrossEntropyLoss.forward": "cross_entropy",
           "nn.NLLLoss.forward": "nll_loss", "nn.BatchNorm2d.forward": "batch_norm",
           "nn.BCEWithLogitsLoss.forward": "binary_cross_entropy_with_logits",
           "nn.Dropout.forward": "dropout", "nn.Softmax.forward": "softmax",
           "nn.LogSoftmax.forward": "log_softmax", "nn.LeakyReLU.forward": "leaky_relu",
           "nn.MSELoss": "mse_loss", "nn.CrossEntropyLoss": "cross_entropy",
           "nn.Sequential.forward": ("linear", "batch_norm"),
           "nn.Module.load_state_dict": ("linear", "batch_norm"),
           "plot.grid_sample_figure": "grid_sample"}

# Bad values that are valid where listed: "callable": "param tag tag; param tag", each line with its
# reason.  A tag "shape" covers shape:rows+ (one more row, or entry), shape:rows-, shape:cols+, shape:T
# (transposed), shape:flat (one dimension fewer) and shape:nest (one more).
_ANY = "shape empty number-for-list"                    # a function of a tensor of any shape, a number too
ACCEPTS = {
    # matrix: any nested list has a shape; any vector or matrix can be transposed, scaled, mapped
    "matrix.shape": "x empty number-for-list shape", "matrix.transpose": "A shape", "matrix.scale": "A shape",
    "matrix.apply": "A shape", "matrix.outer": "u shape; v shape",
    "matrix.add": "B shape:flat", "matrix.sub": "B shape:flat", "matrix.hadamard": "B shape:flat",  # a row
    "matrix.matmul": "A complex shape; B complex shape:cols+",   # lengths checked, numbers by arithmetic
    # the tensor floor: any shape, a number as a 0-d tensor, broadcast as PyTorch broadcasts, -1 from the end
    **{f"shapes.{n}": f"input {_ANY}" for n in ("shape", "detach", "squeeze", "unsqueeze", "clone")},
    **{f"functions.{n}": "input number-for-list shape; other number-for-list shape" for n in ("mul", "div")},
    "functions.matmul": "input shape; other shape",
    "linalg.solve": "A shape:nest",         # [A] is a batch of one system, as in torch.linalg.solve
    **{f"functions.{n}": f"input {_ANY}" for n in ("neg", "exp", "log", "sqrt", "abs", "sigmoid", "tanh",
                                                  "relu")},
    "functions.where": "condition number-for-list shape; input number-for-list shape; "
                       "other number-for-list shape",
    "functions.equal": f"input {_ANY}; other {_ANY}", "shapes.size": "input shape empty",
    "functions.sum": "input shape empty", "shapes.permute": "input shape", "shapes.reshape": "input shape",
    "shapes.view": "input shape", "shapes.cat": "tensors shape empty ragged",    # [] joins anything
    "shapes.narrow": "input shape; start zero; length zero",
    **{f"functions.{n}": "input number-for-list shape; other number-for-list shape; "
                         "alpha float zero negative huge" for n in ("add", "sub")},
    "functions.clamp": f"input {_ANY}; min float zero negative huge; max float zero negative huge",
    "functions.allclose": "input number-for-list shape; other number-for-list shape",
    "functions.argmax": "input shape", "functions.max": "input shape", "functions.mean": "input shape empty",
    "functions.pow": f"input {_ANY}; exponent float zero negative type huge",
    "functions.mm": "input shape; mat2 shape",
    **{f"shapes.{n}": "input shape" for n in ("flatten", "transpose", "index")},
    "shapes.t": f"input {_ANY}", "shapes.stack": "tensors shape empty",
    "shapes.expand": "input number-for-list shape", "shapes.index": "input shape; key number-for-list tuple",
    # the tensor floor: a Tensor of any shape; operands broadcast; any number fills or steps
    **{f"tensors.{n}": f"data {_ANY}" for n in ("Tensor", "tensor")},
    "tensors.full": "size number-for-list empty zero shape; fill_value float zero negative huge",
    "tensors.full_like": "fill_value float zero negative huge",
    "tensors.arange": "start float zero negative huge; end float zero negative; step float negative huge",
    "tensors.linspace": "start float zero negative huge; end float zero negative huge; steps zero",
    "tensors.eye": "n zero; m zero",
    **{f"tensors.Tensor.{n}": "other number-for-list shape; alpha float zero negative huge"
       for n in ("add", "sub", "add_", "sub_")},
    **{f"tensors.Tensor.{n}": "other number-for-list shape" for n in ("mul", "div", "mul_", "div_")},
    "tensors.Tensor.copy_": "src number-for-list shape",
    "tensors.Tensor.fill_": "value float zero negative huge",
    "tensors.Tensor.matmul": "other shape", "tensors.Tensor.mm": "other shape",
    "tensors.Tensor.pow": "exponent float zero negative huge type",
    **{f"tensors.Tensor.{n}": "min float zero negative huge; max float zero negative huge"
       for n in ("clamp", "clamp_")},
    "tensors.Tensor.narrow": "start zero; length zero", "tensors.Tensor.__getitem__": "key zero negative",
    "tensors.Tensor.view": "shape[0] negative; shape[1] negative",
    # neuron: 0 is an input as good as 1, a gate takes its inputs as one list too; any weights, any name
    **{f"neuron.{n}": "* zero" for n in ("AND", "OR", "NAND", "XOR", "MPNeuron.__call__")},
    "neuron.NOT": "inputs[0] zero type", "neuron.MPNeuron": "weights shape; name choice",
    # perceptron, mlp, gradcheck: other data, other sizes, any structure
    "perceptron.Perceptron.fit": "X shape:cols+", "perceptron.linearly_separable": "X shape:cols+",
    "perceptron.Perceptron.predict": "X shape", "mlp.forward": "x shape:rows+ shape:rows-",
    "mlp.train": "epochs zero", "mlp.init_weights": "sizes shape",
    "mlp.init_biases": "sizes shape huge",                      # 2·10**5 biases fit; 10**10 weights do not
    "gradcheck.numeric_gradient": "x shape empty", "gradcheck.symbolic_gradient": "x shape",
    "gradcheck.check_mlp": "sizes shape",
    "gradcheck.check_function": "inputs[0] number-for-list shape; inputs[1] number-for-list shape",
    # init: a filler fills whatever it is given; relu ignores a and leaky_relu's a=None is 0.01, as in PyTorch
    **{f"init.{n}": "tensor shape empty" for n in ("uniform_", "normal_", "constant_", "zeros_", "ones_")},
    **{f"init.{n}": "tensor shape" for n in ("xavier_uniform_", "xavier_normal_")},
    "init.kaiming_uniform_": "tensor shape; a none", "init.kaiming_normal_": "tensor shape; a none type",
    **{f"init.{n}": "tensor shape empty" for n in ("trunc_normal_", "orthogonal_", "eye_")},   # any matrix
    "init.dirac_": "tensor shape",                                      # any 3-d to 5-d weight
    # nn: any shape for a Parameter or an activation, any batch size, one sample, more classes
    "nn.Parameter": "data shape empty number-for-list",             # a tensor of any shape, as in PyTorch
    "nn.Parameter.data": "values shape empty number-for-list",      # PyTorch's .data = takes any shape
    **{f"nn.{n}.forward": f"input {_ANY}" for n in ("Sigmoid", "Tanh", "ReLU")},
    "nn.Flatten.forward": "input shape empty number-for-list",     # a number flattens to one, as in PyTorch
    "nn.Flatten": "start_dim range; end_dim range",                # forward checks
    "nn.Linear.forward": "input shape:flat shape:rows+ shape:nest complex",   # (*, in): lengths checked
    "nn.Conv2d.forward": "input shape:flat shape:rows+ complex",
    **{f"nn.{n}.forward": "input shape:flat shape:rows+" for n in ("MaxPool2d", "AvgPool2d")},
    "nn.BatchNorm1d.forward": "input shape:rows+ shape:nest",                 # (N, C) or (N, C, L)
    "nn.Sequential.forward": "x shape:rows+ shape:nest",
    "nn.BatchNorm2d.forward": "input shape:rows+ shape:rows-",         # any batch size, any image size
    **{f"nn.BatchNorm{d}d": "momentum none" for d in (1, 2)},           # None: the cumulative average
    "nn.AvgPool2d": "kernel_size huge; padding zero huge",                   # forward checks the image
    "nn.MaxPool2d": "kernel_size huge; padding zero huge; dilation huge",
    "nn.Conv2d": "stride huge; padding zero huge; dilation huge",   # as PyTorch; forward counts the image
    **{f"nn.{n}": "ignore_index zero negative huge" for n in ("CrossEntropyLoss", "NLLLoss")},   # any int
    **{f"nn.{n}.forward": f"input {_ANY}" for n in ("Dropout", "LeakyReLU")},
    **{f"nn.{n}.forward": "input shape" for n in ("Softmax", "LogSoftmax")},  # at least the dim=1 given
    **{f"nn.{n}": "dim range" for n in ("Softmax", "LogSoftmax")},           # forward checks the dim
    "nn.Identity.forward": "input none type deep empty number-for-list complex shape ragged",   # the input
    "nn.CrossEntropyLoss.forward": "input shape:cols+; target labels",
    "nn.NLLLoss.forward": "input shape:cols+",
    # nn.functional: as the layers; an int option at its default (padding 0) or one window (stride 10**12)
    "nn.functional.linear": "input shape:flat shape:rows+ shape:nest complex; weight complex; bias complex",
    "nn.functional.conv2d": "input shape:flat shape:rows+ complex; weight complex; bias complex; "
                            "stride huge; padding zero",
    **{f"nn.functional.{n}": "input shape:flat shape:rows+; stride huge; padding zero"
       for n in ("max_pool2d", "avg_pool2d")},
    "nn.functional.batch_norm": "input shape:rows+ shape:rows- shape:nest complex; running_mean complex; "
                                "weight complex; bias complex",
    **{f"nn.functional.{n}": f"input {_ANY}" for n in ("relu", "sigmoid", "tanh")},
    **{f"nn.functional.{n}": "input shape:rows+ shape:cols+ shape:T shape:nest"
       for n in ("softmax", "log_softmax")},
    "nn.functional.cross_entropy": "input shape:cols+; target labels; ignore_index zero negative huge",
    "nn.functional.nll_loss": "input shape:cols+; ignore_index zero negative huge",     # any int, as PyTorch
    **{f"nn.functional.{n}": f"input {_ANY}" for n in ("dropout", "leaky_relu")},
    "nn.functional.pad": "input shape:rows+ shape:flat",               # any images, (C, H, W) too
    "nn.Sequential.__getitem__": "index zero negative",
    # utils.data: any samples, any order, batches of any number of samples; batch_size=None is PyTorch's
    "utils.data.TensorDataset.__getitem__": "index zero negative",
    "utils.data.Subset.__getitem__": "index zero negative", "utils.data.Subset": "indices empty shape",
    "utils.data.DataLoader": "batch_size none; sampler type empty ragged",
    "utils.data.default_collate": "batch type shape",
    # nn: None empties a slot, and names are free (any str without a dot)
    "nn.Module.add_module": "name choice case; module none",
    "nn.Module.register_parameter": "name choice case; param none",
    "nn.Module.register_buffer": "name choice case; tensor none",
    "nn.Module.named_modules": "prefix choice case", "nn.Module.named_parameters": "prefix choice case",
    "nn.Module.named_buffers": "prefix choice case",
    "nn.save": "obj empty keys shape",           # save keeps any state_dict; load_state_dict judges it
    # optim, datasets, plot: more parameters, other data, other labels
    "optim.SGD": "params shape:rows+",
    "optim.Adam": "params shape:rows+",
    "datasets.one_hot": "labels shape", "datasets.standardize": "X shape:rows+ shape:rows-",
    "datasets.train_test_split": "X shape:cols+; y labels",
    "plot.regions": "y labels ragged", "plot.save_regions": "y labels ragged",   # [[1], ...]: the seed's y
    "plot.loss_curve": "history shape", "plot.save_loss_curve": "history shape",
    "plot.digit": "image shape", "plot.save_network": "weights shape:rows-",
    # plot's figures: any title (None: none), any names, any image and grid shape, a list of histories
    **{f"plot.{n}": "title none choice" for n in ("neuron_figure", "activations_figure",
                                                   "error_surface_figure")},
    "plot.network_figure": "title choice", "plot.perceptron_figure": "title choice",
    "plot.regions_figure": "title none choice; y ragged; class_names type; axis_names type",
    "plot.loss_figure": "title none choice; history shape:nest shape:rows+ shape:rows-; labels type",
    "plot.png": "args[0] shape:nest shape:rows+ shape:rows-",
    "plot.hidden_layer_figure": "title none choice; biases none; y labels ragged",
    "plot.grid_sample_figure": "title none choice; image shape:rows+ shape:rows- shape:cols+; "
                               "grid shape:rows+",
    # explain: writes out what the library computes (matmul's shapes and complex numbers, more features),
    # and rounding to 0 places is rounding to whole numbers
    "explain.matmul": "A complex shape; B complex shape:cols+; digits zero",
    "explain.perceptron": "X shape:cols+; digits zero",
    **{f"explain.{n}": "digits zero" for n in ("neuron", "backprop")},
    "explain.graph": "names empty keys; digits zero",
    "plot.graph_figure": "title none choice",       # names: any str labels any tensor, or none
}


def _accepted_by(key, param, tag):
    """The (key, param, tag) entry of ACCEPTS that makes this bad value valid, or None."""
    for clause in ACCEPTS.get(key, "").split(";"):
        name, *tags = clause.split() or [""]
        for word in tags:
            if name in (param, "*") and word in (tag, tag.split(":")[0]):
                return key, name, word
    return None


def _accepts_entries():
    return {(key, clause.split()[0], word) for key, text in ACCEPTS.items() for clause in text.split(";")
            for word in clause.split()[1:]}


def _is_pure(key):
    return key in PURE or key.startswith(PURE_PREFIXES)


# --- bad values -----------------------------------------------------------------------

def _leaf_path(x):
    """The index path to the first number of a nested list (None if it holds none)."""
    path = []
    while isinstance(x, (list, tuple)):
        if not x:
            return None
        path.append(0)
        x = x[0]
    return path


def _with_leaf(x, value):
    """A copy of x with its first number replaced by value."""
    path = _leaf_path(x)
    if not path:
        return value
    y = copy.deepcopy(x)
    y = _listify_path(y, path)
    target = y
    for i in path[:-1]:
        target = target[i]
    target[path[-1]] = value
    return y


def _listify_path(y, path):
    """y with the tuples along path turned into lists, so that the leaf can be replaced."""
    y = list(y)
    node = y
    for i in path[:-1]:
        node[i] = list(node[i])
        node = node[i]
    return y


def _numbers_shape(x):
    try:
        return matrix.shape(x)
    except (TypeError, ValueError):
        return None


LABEL_NAMES = ("y", "labels", "target")       # parameters whose ints are class labels


def bad_values(value, param="", learning=False):
    """(tag, bad value, reference or None) for one valid value, by its kind.

    A reference is the value the bad one must behave like when it is
    accepted (True like 1, 1.0 like 1, a tuple like the list, "MEAN" like
    "mean").  ``learning``: the callable learns from data, so an int too
    large for a float is tried inside its lists too.
    """
    if isinstance(value, Marker):
        return _marked_values(value)
    if value is None:
        return [("type", "x", None), ("type", 1.5, None), ("empty", [], None),
                ("ragged", [[1], [1, 2]], None)]
    if isinstance(value, bool):
        return [("none", None, None), ("type", "True", None), ("flag", 1, None), ("flag", 0, None),
                ("type", [value], None)]
    if isinstance(value, int):
        return [*_int_values(value), ("huge", HUGE, None), ("bigint", 10 ** 400, None)]
    if isinstance(value, (float, Fraction)):
        return _real_values(value)
    if isinstance(value, str):
        out = [("none", None, None), ("type", 1, None), ("type", [value], None), ("choice", "", None),
               ("choice", "no such thing", None)]
        if value.upper() != value:
            out.append(("case", value.upper(), value))
        return out
    if isinstance(value, random.Random):
        return [("type", 1.5, None), ("type", "random", None), ("type", object(), None)]
    if isinstance(value, tensors.Tensor):
        return [("none", None, None), ("type", "tensor", None), ("type", object(), None)]
    if isinstance(value, tensors.dtype):
        return [("none", None, None), ("type", "float64", None), ("type", float, None)]
    if isinstance(value, Mapping):
        return _mapping_values(value)
    if isinstance(value, (nn.Module, nn.Parameter)):
        return [("none", None, None), ("type", "module", None), ("type", [value], None)]
    if isinstance(value, utils_data.Dataset):
        return [("none", None, None), ("type", 42, None), ("type", object(), None)]
    if isinstance(value, _tensor_class):
        return [("none", None, None), ("type", "tensor", None), ("type", value.tolist(), None)]
    if callable(value):
        return [("none", None, None), ("type", 42, None), ("type", "f", None)]
    if isinstance(value, (list, tuple)):
        return _list_values(value, _numbers_shape(value), param in LABEL_NAMES, learning)
    raise AssertionError(f"no bad values for {value!r}")


def _int_values(v):
    return [("none", None, None), ("type", str(v), None), ("type", [v], None), ("float", v + 0.5, None),
            ("integral", float(v), v), ("nan", NAN, None), ("inf", INF, None), ("bool", True, 1),
            ("zero", 0, None), ("negative", -1, None), ("type", 1j, None)]


def _marked_values(marker):
    v = marker.value
    if isinstance(marker, Real):
        return _real_values(v)
    if isinstance(marker, Seed):
        return [("none", None, None), ("type", str(v), None), ("float", v + 0.5, None), ("nan", NAN, None),
                ("bool", True, 1), ("seed", -1, None), ("seed", 10 ** 400, None)]
    if isinstance(marker, Count):
        return [*_int_values(v), ("inf", -INF, None)]
    if isinstance(marker, Dim):
        return [("none", None, None), ("type", str(v), None), ("float", v + 0.5, None), ("nan", NAN, None),
                ("bool", True, 1), ("integral", float(v), v), ("range", HUGE, None),
                ("range", -HUGE, None), ("range", 10 ** 400, None)]
    if isinstance(marker, Sizes):
        v = list(v)
        return [*_list_values(v, _numbers_shape(v), False, False), ("huge", [HUGE] * len(v), None),
                ("huge", [10 ** 5] * len(v), None), ("zero", [0] * len(v), None),
                ("negative", [-2] * len(v), None), ("float", [n + 0.5 for n in v], None),
                ("bigint", [10 ** 400] * len(v), None)]
    if isinstance(marker, Path):
        return [("none", None, None), ("type", 12345, None), ("type", 0, None), ("type", 1.5, None),
                ("path", "", None), ("path", os.path.dirname(v), None),
                ("path", os.path.join(v, "missing", "m.json"), None)]
    raise AssertionError(marker)


def _real_values(v):
    return [("none", None, None), ("type", str(v), None), ("type", [v], None), ("nan", NAN, None),
            ("inf", INF, None), ("inf", -INF, None), ("big", 1e308, None), ("big", -1e308, None),
            ("bigint", 10 ** 400, None), ("real", 0, None), ("real", -abs(v) - 1, None), ("bool", True, 1),
            ("type", 1j, None)]


def _mapping_values(value):
    first = next(iter(value))

    def changed(key, new):
        d = OrderedDict((k, copy.deepcopy(v)) for k, v in value.items())
        d[key] = new
        return d

    without = OrderedDict((k, copy.deepcopy(v)) for k, v in value.items() if k != first)
    non_str = OrderedDict((1 if k == first else k, copy.deepcopy(v)) for k, v in value.items())
    out = [("none", None, None), ("type", [], None), ("type", "abc", None), ("empty", {}, None),
           ("keys", changed("extra", [1.0]), None), ("keys", without, None), ("keys", non_str, None),
           ("type", changed(first, "x"), None), ("type", changed(first, None), None),
           ("deep", changed(first, Deep()), None)]
    v = value[first]
    for tag, bad, ref in _list_values(v, _numbers_shape(v), False, True) if isinstance(v, list) else ():
        if tag in ("nan", "inf", "big", "bigint", "bool", "ragged", "empty", "complex", "shape:nest"):
            out.append((tag, changed(first, bad), None if ref is None else changed(first, ref)))
    return out


def _list_values(x, dims, labels, learning):
    """Bad versions of a list: wrong types, ragged, empty, wrong shapes, NaN, ±inf, ±1e308, bools, deep."""
    x = list(x)
    out = [("none", None, None), ("type", "abc", None), ("deep", Deep(), None), ("empty", [], None)]
    leaves = [(tag, bad, ref) for tag, bad, ref in _leaf_values(learning) if not
              (tag == "bool" and isinstance(_first_number(x), bool))]
    if dims is None:                                    # a list of objects or of matrices of different shapes
        out += [("type", [None], None), ("type", x + [None], None), ("type", [42] * len(x), None),
                ("shape:rows+", x + [copy.deepcopy(x[-1])], None)]
        if len(x) > 1:
            out.append(("shape:rows-", x[:-1], None))
        if _leaf_path(x):
            out += [(tag, _with_leaf(x, bad), ref if ref is None else _with_leaf(x, ref))
                    for tag, bad, ref in leaves]
        return out
    out += [("number-for-list", _first_number(x), None), ("tuple", tuple(x), x)]
    out += [(tag, _with_leaf(x, bad), ref if ref is None else _with_leaf(x, ref)) for tag, bad, ref in leaves]
    if not isinstance(_first_number(x), bool):
        out += [("big", _all_numbers(x, 1e308), None), ("big", _all_numbers(x, -1e308), None)]
    out += [("shape:nest", [x], None), ("shape:rows+", x + [copy.deepcopy(x[-1])], None)]
    if len(x) > 1:
        out.append(("shape:rows-", x[:-1], None))
    if len(dims) == 1:
        out.append(("ragged", [[x[0]]] + x[1:] if len(x) > 1 else [[x[0]], x[0]], None))
        if labels and all(isinstance(v, int) and not isinstance(v, bool) for v in x):
            out += [("labels", [v + 1 for v in x], None), ("labels", [0.5] + x[1:], None),
                    ("labels", [-v - 1 for v in x], None)]
    else:
        short = [list(x[0]), list(x[0])[:-1] or list(x[0]) * 2]
        out += [("ragged", x[:-1] + [short[1]] if len(x) > 1 else short, None),
                ("ragged", [_first_number(x)] + x[1:] if len(x) > 1 else [_first_number(x), x[0]], None),
                ("empty", [[]], None), ("shape:flat", x[0], None)]
        if len(dims) == 2:
            out.append(("shape:cols+", [list(row) + [row[-1]] for row in x], None))
            if dims[0] != dims[1]:
                out.append(("shape:T", [list(col) for col in zip(*x)], None))
    return out


def _first_number(x):
    while isinstance(x, (list, tuple)):
        x = x[0]
    return x


def _all_numbers(x, value):
    return [_all_numbers(v, value) for v in x] if isinstance(x, (list, tuple)) else value


def _leaf_values(learning):
    out = [("type", "a", None), ("type", None, None), ("nan", NAN, None), ("inf", INF, None),
           ("inf", -INF, None), ("big", 1e308, None), ("bool", True, 1), ("complex", 1j, None)]
    return out + [("bigint", 10 ** 400, None)] if learning else out



# --- canonical forms: compare without ==, NaN-aware, at any depth ------------------------

_END = object()


def canon(root, deep=()):
    """A flat list of tokens describing root and everything it holds (iterative: any depth)."""
    tokens, stack, seen = [], [root], {}
    keep = []                                         # keep every object alive: ids stay unique
    while stack:
        x = stack.pop()
        if x is _END:
            tokens.append(")")
        elif any(x is d for d in deep):
            tokens.append(("deep", _deep_intact(x)))
        elif isinstance(x, random.Random):
            tokens.append(("Random", repr(x.getstate())))
        elif isinstance(x, float):
            tokens.append(("float", repr(x)))
        elif x is None or isinstance(x, (bool, int, str, bytes, complex, Fraction)):
            tokens.append((type(x).__name__, repr(x)))
        elif id(x) in seen:
            tokens.append(("ref", seen[id(x)]))
        else:
            seen[id(x)] = len(seen)
            keep.append(x)
            children = _children(x)
            if children is None:
                tokens.append((type(x).__qualname__, _leaf_repr(x)))
            else:
                tokens.append(("(", type(x).__qualname__))
                stack.append(_END)
                stack.extend(reversed(children))
    return tokens


def _children(x):
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, dict):
        return [v for item in x.items() for v in item]
    if isinstance(x, (set, frozenset)):
        return sorted(x, key=repr)
    if isinstance(x, random.Random):
        return None
    if inspect.isroutine(x) or isinstance(x, type) or inspect.ismodule(x) or hasattr(x, "free_symbols"):
        return None
    if type(x).__module__.startswith("matplotlib."):
        return None                 # a Figure (an animation) is judged by its type, not by its drawing
    state = {k: v for k, v in getattr(x, "__dict__", {}).items() if k != "_cache"}
    for klass in type(x).__mro__:
        for slot in getattr(klass, "__slots__", ()):
            if hasattr(x, slot):
                state[slot] = getattr(x, slot)
    return [v for item in sorted(state.items()) for v in item] if state or hasattr(x, "__dict__") else None


def _leaf_repr(x):
    if isinstance(x, random.Random):
        return repr(x.getstate())
    if inspect.isroutine(x) or isinstance(x, type):
        return getattr(x, "__qualname__", repr(x))
    return repr(x) if hasattr(x, "free_symbols") else type(x).__qualname__


def _non_finite(tokens):
    return any(t[0] == "float" and t[1] in ("nan", "inf", "-inf") for t in tokens if isinstance(t, tuple))


# --- running one call ------------------------------------------------------------------

class Hang(BaseException):
    """Raised by the alarm when a call outlives TIMEOUT."""


def _alarm(signum, frame):
    raise Hang()


@contextlib.contextmanager
def guarded():
    """A time limit per call (POSIX alarm) and an address-space limit (Linux), both undone afterwards.

    Where there is no alarm (Windows, a thread other than the main one) the
    calls run without a time limit; where there is no rlimit, without a memory one.
    """
    global _ALARM
    _ALARM = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    old_handler = signal.signal(signal.SIGALRM, _alarm) if _ALARM else None
    limits = None
    try:
        import resource
        with open("/proc/self/statm") as f:
            in_use = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limits = resource.getrlimit(resource.RLIMIT_AS)
        cap = in_use + HEADROOM
        if limits[1] == resource.RLIM_INFINITY or cap < limits[1]:
            resource.setrlimit(resource.RLIMIT_AS, (cap, limits[1]))
        else:
            limits = None
    except (ImportError, OSError, ValueError):
        limits = None
    try:
        yield
    finally:
        if limits is not None:
            resource.setrlimit(resource.RLIMIT_AS, limits)
        if old_handler is not None:
            signal.signal(signal.SIGALRM, old_handler)
        _ALARM = False


_ALARM = False


def _arm(seconds):
    if _ALARM:
        signal.setitimer(signal.ITIMER_REAL, seconds)


def run(fn, args, kwargs):
    """('ok', result), ('raised', exception) or ('hang', None) within TIMEOUT; iterators are drained.

    The alarm is armed and disarmed inside the redirection of stdout, so that
    it can never fire while the redirection is being undone.
    """
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            try:
                _arm(TIMEOUT)
                result = fn(*args, **kwargs)
                if isinstance(result, Iterator):
                    result = list(result)
            finally:
                _arm(0)
        except Hang:
            return "hang", None
        except Exception as err:                   # noqa: BLE001 - judged by the caller
            return "raised", err
    return "ok", result


def _raised_in_caller_code(err, args, kwargs):
    """True when the error came from a function the caller passed in (an f, a predict): its own failure."""
    codes = {value.__code__ for value in (*args, *kwargs.values()) if hasattr(value, "__code__")}
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code in codes


_PYTORCH_INDEX_WORDS = ("Dimension out of range", "out of bounds", "too many indices", "is out of range",
                        "Dimension specified as")


class Sweep:
    """Runs the bad calls of every callable and collects what went wrong."""

    def __init__(self, folder):
        self.table = examples(folder)
        self.surface = public_surface()
        self.calls = 0
        self.failures = []
        self.accepted = set()           # the entries of ACCEPTS that some bad value needed
        self.skipped = []               # callables of an optional extra that is not installed

    # -- what to call, on what, and what its messages may call it
    def target(self, key, instance):
        kind, obj, method = self.surface[key]
        if kind == "setter":
            return lambda value: setattr(instance, method, value)
        if kind == "method":
            return getattr(instance, method)
        if kind == "static":
            return getattr(obj, method)
        return obj

    def factory(self, key, call):
        if self.surface[key][0] not in ("method", "setter"):
            return None
        return call.on or INSTANCES[key.rsplit(".", 1)[0]]

    def names(self, key, instance):
        """The words an error message may use to name the operation (compared in lower case)."""
        kind, obj, method = self.surface[key]
        words = {key.split(".")[-1], getattr(obj, "__name__", ""), getattr(obj, "name", None) or "",
                 type(obj).__name__ if kind == "callable" and not inspect.isroutine(obj) else ""}
        if method:
            words |= {method, f"{obj.__name__}.{method}"}
        alias = ALIASES.get(key, "")
        words |= set(alias) if isinstance(alias, tuple) else {alias}
        if instance is not None:
            words.add(repr(instance))
        if isinstance(instance, nn.Module):               # a network's error may come from one of its layers
            words |= {repr(m) for m in instance.modules()}
        return {w.lower() for w in words if w}

    # -- the sweep of one callable
    def sweep(self, key):
        call = self.table.get(key) or Call()
        kind, obj, method = self.surface[key]
        if kind == "record":                # a record holds what it is given: made once, not swept
            obj(*call.args, **call.kwargs)
            return
        sig = signature(kind, obj, method)
        bound = sig.bind(*call.args, **call.kwargs)
        bound.apply_defaults()
        factory = self.factory(key, call)
        state = init._default_generator.getstate()
        args, kwargs = _unwrap(bound, sig)
        outcome, value = run(self.target(key, factory() if factory else None), args, kwargs)
        init._default_generator.setstate(state)
        if outcome == "raised" and isinstance(value, plot.MatplotlibMissingError):
            self.skipped.append(key)        # refnn[plot] is not installed: nothing of it to sweep
            return
        if call.raises is not None:         # an abstract method: its valid call raises, nothing to sweep
            assert outcome == "raised" and isinstance(value, call.raises), f"{key}: {outcome} {value!r}"
            return
        assert outcome == "ok", f"{key}: the valid call failed: {value!r}"
        for param, value, default in _slots(bound, sig):
            for tag, bad, ref in bad_values(value, param, key in LEARNING):
                if (bad is None and default is None) or (tag == "bigint" and _is_pure(key)):
                    continue                # None is the documented default; see PURE for big ints
                args, kwargs = _unwrap(bound, sig, {param: bad})
                reference = None if ref is None else _unwrap(bound, sig, {param: ref})
                self.check(key, param, tag, args, kwargs, reference, factory, value)

    def check(self, key, param, tag, args, kwargs, reference, factory, valid):
        instance = factory() if factory else None
        deep = [v for v in (*args, *kwargs.values(), *_mapping_values_of(args, kwargs)) if _deep_chain(v)]
        before = canon((args, kwargs), deep)
        before_self = canon(instance)
        state = init._default_generator.getstate()
        self.calls += 1
        outcome, value = run(self.target(key, instance), args, kwargs)
        where = f"{key}({param}={tag})"
        if outcome == "hang":
            self.fail(where, f"no answer within {TIMEOUT} s")
        elif outcome == "raised":
            self.judge_error(key, tag, value, instance, where, valid, (args, kwargs))
            if canon(instance) != before_self:
                self.fail(where, f"the failed call changed the instance ({type(value).__name__}: {value})")
            if init._default_generator.getstate() != state:
                self.fail(where, "the failed call drew from refnn.init's default generator")
            if canon((args, kwargs), deep) != before:
                self.fail(where, "the failed call changed its arguments")
        else:
            after = canon((value, instance))
            init._default_generator.setstate(state)
            self.judge_success(key, param, tag, after, value, reference, factory, where)
            in_place = key.endswith("_")                 # PyTorch's sign for "changes its argument"
            after_args = _without_generators(canon((args, kwargs), deep))
            if not in_place and after_args != _without_generators(before):
                self.fail(where, "the call changed its arguments")
        init._default_generator.setstate(state)

    def judge_error(self, key, tag, err, instance, where, valid, arguments=((), {})):
        message = str(err)
        if _raised_in_caller_code(err, *arguments):
            return                                      # the caller's own function failed
        if isinstance(err, OSError) and isinstance(valid, Path) and tag in ("path", "type"):
            return                                      # the file system's answer about a path
        if isinstance(err, IndexError) and any(words in message for words in _PYTORCH_INDEX_WORDS):
            return
        if not isinstance(err, (TypeError, ValueError)):
            return self.fail(where, f"raised {type(err).__name__}: {message[:300]}")
        if not any(name in message.lower() for name in self.names(key, instance)):
            return self.fail(where, f"{type(err).__name__} without the operation's name: {message[:300]}")
        if len(message) > 1000:
            self.fail(where, f"{type(err).__name__} with a message of {len(message)} characters")

    def judge_success(self, key, param, tag, tokens, result, reference, factory, where):
        entry = _accepted_by(key, param, tag)
        if entry:                                       # valid here: another value, not a stand-in
            self.accepted.add(entry)
            if _non_finite(tokens) and not _is_pure(key):
                self.fail(where, f"accepted, and gave a non-finite number: {_short(result)}")
            return
        if reference is not None:                        # True for 1, 1.0 for 1, a tuple for the list, ...
            ref_instance = factory() if factory else None
            outcome, expected = run(self.target(key, ref_instance), *reference)
            if outcome != "ok":
                return self.fail(where, f"accepted, though what it stands for is refused: {expected!r:.200}")
            if _numeric(canon((expected, ref_instance))) != _numeric(tokens):
                self.fail(where, "accepted, but gives another answer than the value it stands for")
            return
        non_finite = _non_finite(tokens) and not _is_pure(key)
        if tag in ("nan", "inf"):
            if key in LEARNING:
                self.fail(where, "learned from a non-finite number instead of refusing it")
        elif tag in ("big", "bigint", "real"):
            if non_finite:
                self.fail(where, f"a finite input gave a non-finite number: {_short(result)}")
        elif tag != "seed":                             # any int seeds a random.Random
            self.fail(where, f"accepted: {_short(result)}")

    def extra(self, key, make):
        """A hand-made bad call: it must be refused, quickly, with the operation named."""
        fn, args, kwargs = make()
        self.calls += 1
        outcome, value = run(fn, args, kwargs)
        where = f"{key}{_short(args)}"
        if outcome == "hang":
            return self.fail(where, f"no answer within {TIMEOUT} s")
        if outcome == "ok":
            return self.fail(where, f"accepted: {_short(value)}")
        self.judge_error(key, "extra", value, None, where, None, (args, kwargs))

    def fail(self, where, what):
        self.failures.append(f"{where}: {what}")


def _mapping_values_of(args, kwargs):
    return [v for a in (*args, *kwargs.values()) if isinstance(a, Mapping) for v in a.values()]


def _without_generators(tokens):
    """A generator passed in is there to be drawn from: its state may change when the call succeeds."""
    return [("Random", "") if isinstance(t, tuple) and t[0] == "Random" else t for t in tokens]


def _numeric(tokens):
    """Tokens with bools as ints and ints as floats: True stands for 1, 1.0 for 1, a tuple for a list."""
    out = []
    for t in tokens:
        if isinstance(t, tuple) and t[0] in ("bool", "int"):
            t = ("float", repr(float(int(t[1] == "True") if t[0] == "bool" else int(t[1]))))
        elif isinstance(t, tuple) and t[0] == "(" and t[1] == "tuple":
            t = ("(", "list")
        out.append(t)
    return out


def _slots(bound, sig):
    """(name, valid value, default) for every argument of the bound call; each position of *args is one."""
    for name, p in sig.parameters.items():
        if p.kind == p.VAR_KEYWORD:
            continue
        value = bound.arguments.get(name)
        if p.kind == p.VAR_POSITIONAL:
            for i, item in enumerate(value or ()):
                yield f"{name}[{i}]", item, p.empty
        else:
            yield name, value, p.default



def _unwrap(bound, sig, replace=None):
    """The positional and keyword arguments of the bound call, markers unwrapped, one value replaced."""
    replace = replace or {}
    arguments = OrderedDict()
    for name, p in sig.parameters.items():
        if name not in bound.arguments:
            continue
        value = bound.arguments[name]
        if p.kind == p.VAR_POSITIONAL:
            value = tuple(replace.get(f"{name}[{i}]", item) for i, item in enumerate(value))
            value = tuple(_fresh(v) for v in value)
        else:
            value = _fresh(replace.get(name, value))
        arguments[name] = value
    fresh = inspect.BoundArguments(sig, arguments)
    return fresh.args, fresh.kwargs


def _fresh(value):
    """A new copy of a value for one call: markers unwrapped, Deep built, everything else deep-copied."""
    if isinstance(value, Marker):
        value = value.value
    if isinstance(value, Deep):
        return value.build()
    if isinstance(value, Mapping):
        return type(value)((k, _fresh(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)) and any(isinstance(v, Deep) for v in value):
        return type(value)(_fresh(v) for v in value)
    if callable(value) and not isinstance(value, (nn.Module, type)) or isinstance(value, type):
        return value
    return copy.deepcopy(value)


def _deep_chain(v):
    """True for a list nested DEPTH deep (a Deep value once built)."""
    for _ in range(20):
        if type(v) is not list or len(v) != 1:
            return False
        v = v[0]
    return True


def _short(value):
    return reprlib.repr(value)          # bounded in length and depth, whatever the value


# --- the tests -------------------------------------------------------------------------------

def test_every_module_has_all_and_every_public_name_is_in_it():
    """A module without __all__, or a public function or class missing from it, would escape the sweep."""
    problems = []
    for module in public_modules():
        if not hasattr(module, "__all__"):
            problems.append(f"{module.__name__} has no __all__")
            continue
        for name, obj in vars(module).items():
            defined_here = getattr(obj, "__module__", None) == module.__name__
            public = not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
            if public and defined_here and name not in module.__all__:
                problems.append(f"{module.__name__}.{name} is public but not in __all__")
        for name in module.__all__:
            if not hasattr(module, name):
                problems.append(f"{module.__name__}.__all__ names {name}, which does not exist")
    for package in (nn, datasets):
        for module in public_modules():
            if module.__name__.startswith(package.__name__ + ".") and module.__name__ not in NAMESPACES:
                missing = set(module.__all__) - set(package.__all__)
                if missing:
                    problems.append(f"{package.__name__} does not re-export {sorted(missing)} "
                                    f"of {module.__name__}")
    assert not problems, "\n".join(problems)


def test_every_public_callable_has_a_valid_example(tmp_path):
    """The table covers the surface exactly: no callable with parameters without an example, no stale one."""
    surface, table = public_surface(), examples(str(tmp_path))
    missing = [key for key, (kind, obj, method) in surface.items()
               if key not in table and (kind == "record" or signature(kind, obj, method).parameters)]
    stale = [key for key in table if key not in surface]
    no_instance = [key for key, (kind, _, _) in surface.items() if kind in ("method", "setter")
                   and (key not in table or table[key].on is None) and key.rsplit(".", 1)[0] not in INSTANCES]
    assert not missing and not stale and not no_instance, (missing, stale, no_instance)


def test_the_sweep_finds_the_surface():
    """The enumeration: functions, constructors, methods of private bases, setters, callable objects."""
    surface = public_surface()
    assert surface["matrix.matmul"][0] == "callable" and surface["nn.Linear"][0] == "class"
    assert surface["nn.Parameter.data"][0] == "setter"
    assert surface["neuron.AND"][0] == "callable"                   # an MPNeuron object
    assert surface["mlp.Gradients"][0] == "record" and surface["matrix.ShapeError"][0] == "record"
    assert "nn.Linear.state_dict" not in surface and "nn.Module.state_dict" in surface
    assert "nn.Parameter.tolist" not in surface                     # Tensor's own methods are the Tensor's
    assert len(surface) > 200


def test_the_sweep_catches_a_sloppy_function(tmp_path, monkeypatch):
    """The sweep can fail: a transpose that takes None, raises KeyError, changes its argument and hangs."""
    real = matrix.transpose

    def transpose(A):
        if A is None:
            return []                                   # accepted without a word
        if isinstance(A, str):
            raise KeyError(A)                           # a bare KeyError from inside
        if isinstance(A, list) and len(A) == 3:
            A.pop()                                     # changes its argument
        if A == [[]]:
            while True:                                 # never answers
                pass
        return real(A)

    monkeypatch.setattr(matrix, "transpose", transpose)
    monkeypatch.setattr(sys.modules[__name__], "TIMEOUT", 0.2)
    sweep = Sweep(str(tmp_path))
    with guarded():
        sweep.sweep("matrix.transpose")
    found = "\n".join(sweep.failures)
    assert "matrix.transpose(A=none): accepted: []" in found
    assert "matrix.transpose(A=type): raised KeyError" in found
    assert "matrix.transpose(A=shape:rows+): the call changed its arguments" in found
    assert "matrix.transpose(A=empty): no answer within 0.2 s" in found


def test_bad_input_sweep(tmp_path):
    """Every public callable, every argument, every bad value: a clear error or a correct answer."""
    sweep = Sweep(str(tmp_path))
    state = init._default_generator.getstate()
    try:
        with guarded():
            for key in sorted(sweep.surface):
                sweep.sweep(key)
            for key, make in EXTRA:
                sweep.extra(key, make)
    finally:
        init._default_generator.setstate(state)
    print(f"\nbad-input sweep: {sweep.calls} bad calls over {len(sweep.surface)} public callables"
          + (f", {len(sweep.skipped)} skipped (matplotlib is not installed)" if sweep.skipped else ""))
    shown = sweep.failures[:int(os.environ.get("SWEEP_SHOW", 80))]       # SWEEP_SHOW=1000 shows them all
    assert not sweep.failures, f"{len(sweep.failures)} problems:\n" + "\n".join(shown)
    unused = sorted(entry for entry in _accepts_entries() - sweep.accepted if entry[0] not in sweep.skipped)
    assert not unused, f"entries of ACCEPTS no bad value needs any more (delete them): {unused}"


def _nan_grad_sgd():
    w = nn.Parameter([[1.0, 2.0]])
    w.grad = _tensor([[NAN, 0.5]])
    return optim.SGD([w], lr=0.1).step, (), {}


def _conv_padding():
    return nn.Conv2d(1, 1, 2, padding=10 ** 6), (IMAGE,), {}


# Bad calls one substitution cannot make: two arguments bad together, or state that makes them bad.
# Each must be refused, quickly, with the operation named: key, then a maker of (function, args, kwargs).
EXTRA = [
    ("matrix.zeros", lambda: (matrix.zeros, (10 ** 6, 10 ** 6), {})),
    ("matrix.identity", lambda: (matrix.identity, (10 ** 6,), {})),
    ("mlp.init_weights", lambda: (mlp.init_weights, ([10 ** 6, 10 ** 6],), {"seed": 0})),
    ("nn.Linear", lambda: (nn.Linear, (10 ** 6, 10 ** 6), {})),
    ("nn.Conv2d", lambda: (nn.Conv2d, (1000, 1000, 1000), {})),
    ("nn.Conv2d", _conv_padding),
    ("neuron.truth_table", lambda: (neuron.truth_table, (lambda *x: 0, 40), {})),
    ("datasets.one_hot", lambda: (datasets.one_hot, ([0, 1] * 1000, 10 ** 6), {})),
    ("plot.regions", lambda: (plot.regions, (_and_line, AND_X, AND_PM), {"width": 10 ** 5,
                                                                           "height": 10 ** 5})),
    ("gradcheck.check_mlp", lambda: (gradcheck.check_mlp, ((1, 1),), {"samples": 10 ** 6})),
    # numbers that overflow: the losses and the fillers say so instead of returning inf
    ("nn.MSELoss", lambda: (nn.MSELoss(), ([1e308, -1e308], [-1e308, 1e308]), {})),
    ("nn.CrossEntropyLoss", lambda: (nn.CrossEntropyLoss(), ([[1e308, -1e308]], [1]), {})),
    ("mlp.squared_error", lambda: (mlp.squared_error, ([1e308], [-1e308]), {})),
    ("init.normal_", lambda: (init.normal_, ([0.0] * 100, 0.0, 1e308), {"generator": random.Random(0)})),
    ("init.uniform_", lambda: (init.uniform_, ([0.0] * 100, -1e308, 1e308), {"generator": random.Random(0)})),
    ("mlp.train", lambda: (mlp.train, (X3, [[1e200], [1], [0]], W), {"epochs": 5})),
    ("perceptron.Perceptron.fit", lambda: (perceptron.Perceptron(lr=1e308).fit,
                                           ([[1e308, -1e308], [-1e308, 1e308]], [1, -1]), {})),
    ("datasets.standardize", lambda: (datasets.standardize, ([[1e308], [-1e308]],), {})),
    # NaN in a gradient: a step would fill the weights with NaN
    ("optim.SGD.step", _nan_grad_sgd),
]
