"""save and load: a state_dict or a tensor to a JSON file and back, exactly, with nothing ever executed.

PyTorch saves with ``torch.save(model.state_dict(), path)`` and loads with
``model.load_state_dict(torch.load(path))``; refnn spells it the same
(``refnn.save`` and ``refnn.load`` are these two):

>>> import os, tempfile
>>> from refnn import nn, init
>>> _ = init.manual_seed(0)
>>> model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> nn.save(model.state_dict(), path)
>>> twin = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
>>> twin.load_state_dict(nn.load(path))
<All keys matched successfully>
>>> twin([0.5, -1.0]).tolist() == model([0.5, -1.0]).tolist()
True

The file is JSON, which a person can read and no loader can be tricked
into running (``torch.load`` unpickles, which can run code; refnn only
parses numbers).  Python writes every float by its shortest repr, which
reads back as the very same float, so the round trip is exact, and ints
stay ints.  ``load`` refuses anything but such a file: text that is not
JSON or not UTF-8, other keys, a key twice, NaN or Infinity, strings, bools
or null where numbers belong, lists nested deeper than 64, files over 1 GiB.
A file whose keys or shapes do not fit the model is refused by
``load_state_dict``, which changes nothing then.
"""
import json
import os
import tempfile
from collections import OrderedDict
from collections.abc import Mapping

from refnn._checks import _DEEPEST, _is_sequence, _isfinite, _shape
from refnn.nn.module import Module
from refnn.tensors import Tensor

__all__ = ["save", "load"]

_FORMAT = "refnn.state_dict"
_TENSOR_FORMAT = "refnn.tensor"         # one tensor: {"format": "refnn.tensor", "version": 1, "tensor": ...}
_VERSION = 1
_MAX_BYTES = 1 << 30        # 1 GiB: some 40 million numbers, far beyond a model refnn can train


def _path(op, path):
    """A file path: a str, bytes or os.PathLike (an int would be read as an open file descriptor)."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"{op}: path must be a str or a path, got {type(path).__name__}")


def _no_constant(name):
    raise ValueError(f"it holds {name}; a model file keeps finite numbers only")


def _unique(pairs):
    """A JSON object's pairs as an OrderedDict, unless a key appears twice (which would hide one value)."""
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r:.40} appears twice")
        seen.add(key)
    return OrderedDict(pairs)


def _check_values(op, state_dict):
    """Every key a str, every value an int, a float or a nested list of them (or a Tensor of them)."""
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"{op}: keys must be str, got {type(key).__name__} {key!r:.40}")
        value = value.tolist() if isinstance(value, Tensor) else value
        _shape(f"{op}: {key}", value)
        level = [value]
        while level and _is_sequence(level[0]):
            level = [v for item in level for v in item]
        for v in level:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"{op}: {key} holds a {type(v).__name__}; JSON keeps only ints and floats")
            if not _isfinite(v):
                raise ValueError(f"{op}: {key} holds {v!r:.40}; a model file keeps finite numbers only "
                                 f"(JSON has no NaN or Infinity)")


def save(obj, f):
    """Write a state_dict (names → tensors or numbers) or one tensor to the JSON file at path ``f``.

    The file is written beside the target under a temporary name and then
    renamed over it, so a failed save leaves an older file intact.  One
    line per key keeps the file readable:

    >>> import os, tempfile
    >>> from refnn.tensors import tensor
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny.json")
    >>> save({"weight": tensor([[0.1, -2.5]]), "steps": 3}, path)
    >>> with open(path) as f:
    ...     print(f.read(), end="")
    {"format": "refnn.state_dict", "version": 1, "state_dict": {
     "weight": [[0.1, -2.5]],
     "steps": 3
    }}

    A model is not a state_dict: refnn saves numbers, not code.

    >>> from refnn import nn
    >>> save(nn.Linear(2, 1), path)
    Traceback (most recent call last):
        ...
    TypeError: save: expected a state_dict (model.state_dict()), got a Linear; refnn saves numbers, not models
    >>> save({"w": [1, "2"]}, path)
    Traceback (most recent call last):
        ...
    TypeError: save: w: expected numbers, got str '2'
    >>> save({"w": [float("nan")]}, path)
    Traceback (most recent call last):
        ...
    ValueError: save: w holds nan; a model file keeps finite numbers only (JSON has no NaN or Infinity)
    """
    if isinstance(obj, Module):
        raise TypeError(f"save: expected a state_dict (model.state_dict()), "
                        f"got a {type(obj).__name__}; refnn saves numbers, not models")
    if isinstance(obj, Tensor):
        _check_values("save", {"tensor": obj})
        _path("save", f)
        _write(f, f'{{"format": "{_TENSOR_FORMAT}", "version": {_VERSION}, "tensor": '
                  f'{json.dumps(obj.tolist())}}}\n')
        return
    if not isinstance(obj, Mapping):
        raise TypeError(f"save: expected a state_dict, a mapping of names to values, or a tensor, "
                        f"got {type(obj).__name__}")
    _check_values("save", obj)
    _path("save", f)
    lines = ",\n".join(f" {json.dumps(key)}: {json.dumps(_plain(value))}" for key, value in obj.items())
    _write(f, f'{{"format": "{_FORMAT}", "version": {_VERSION}, "state_dict": {{\n{lines}\n}}}}\n')


def _plain(value):
    return value.tolist() if isinstance(value, Tensor) else value


def _write(path, text):
    """text into the file at path, through a temporary file renamed over it once it is on disk."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".refnn-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())              # on disk before it takes the old file's place
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(f):
    """Read what :func:`save` wrote: an OrderedDict of names to tensors, or one tensor.

    Pass a state_dict to ``model.load_state_dict``, which checks it against
    the model.

    >>> import os, tempfile
    >>> from refnn.tensors import tensor
    >>> path = os.path.join(tempfile.mkdtemp(), "w.json")
    >>> save({"0.weight": [[0.1, 1 / 3]]}, path)
    >>> sd = load(path)
    >>> type(sd).__name__, dict(sd)
    ('OrderedDict', {'0.weight': tensor([[0.1, 0.3333333333333333]])})
    >>> sd["0.weight"].tolist()[0][1] == 1 / 3
    True
    >>> save(tensor([1, 2]), path)
    >>> load(path)
    tensor([1, 2])

    Anything else is refused with the reason:

    >>> with open(path, "w") as f:
    ...     _ = f.write('{"weight": [1, 2]}')
    >>> try:
    ...     load(path)
    ... except ValueError as err:
    ...     print(str(err).replace(path, "w.json"))
    load: w.json is not a refnn state_dict file (no "format": "refnn.state_dict")

    Only numbers are read, never anything that would run: NaN, a key given
    twice, a string where a number belongs are refused as well.

    >>> with open(path, "w") as f:
    ...     _ = f.write('{"format": "refnn.state_dict", "version": 1, "state_dict": {"w": [NaN]}}')
    >>> try:
    ...     load(path)
    ... except ValueError as err:
    ...     print(str(err).replace(path, "w.json"))
    load: w.json: it holds NaN; a model file keeps finite numbers only
    """
    path = f
    _path("load", path)
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size > _MAX_BYTES:
            raise ValueError(f"load: {path} is larger than {_MAX_BYTES} bytes: no model file is so large")
        data = file.read()
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_unique, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"load: {path} is not JSON: {err}") from None
    except RecursionError:
        raise ValueError(f"load: {path} nests lists deeper than Python can read (a state_dict nests at most "
                         f"{_DEEPEST})") from None
    except ValueError as err:           # NaN or Infinity, a key twice, an int of more than 4300 digits
        raise ValueError(f"load: {path}: {err}") from None
    kind = document.get("format") if isinstance(document, Mapping) else None
    if kind not in (_FORMAT, _TENSOR_FORMAT):
        raise ValueError(f'load: {path} is not a refnn state_dict file (no "format": "{_FORMAT}")')
    body = "state_dict" if kind == _FORMAT else "tensor"
    version = document.get("version")
    if type(version) is not int or version != _VERSION or \
            (body == "state_dict" and not isinstance(document.get(body), Mapping)):
        raise ValueError(f"load: {path} is a refnn {body} file of version {version!r:.40}, "
                         f"which this refnn cannot read")
    extra = [key for key in document if key not in ("format", "version", body)]
    if extra:
        raise ValueError(f"load: {path} holds keys a refnn {body} file has not: "
                         f"{', '.join(map(repr, extra))}")
    if body == "tensor":
        _check_values("load", {"tensor": document.get("tensor")})
        return Tensor(document["tensor"])
    state_dict = document["state_dict"]
    _check_values("load", state_dict)
    return OrderedDict((key, Tensor(value)) for key, value in state_dict.items())
