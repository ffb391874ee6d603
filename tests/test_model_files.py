"""Model files that cannot hurt: nothing in them runs, anything malformed is refused, a save is all or none.

``nn.load`` reads a JSON file written by ``nn.save`` and refuses everything
else with a ValueError or TypeError naming ``load``: text that is not JSON
or not UTF-8, a truncated file, other top-level keys, a key twice, NaN and
Infinity (refused, not read: Python's json module would accept them),
numbers too large for a float, strings, bools or null where numbers belong,
lists nested too deep (100 000 levels: Python's own json raises
RecursionError there), files over 1 GiB.  ``load_state_dict`` then holds
the file against the model (keys, shapes) and changes nothing when it
refuses.  ``save`` writes a temporary file beside the target and renames
it, so an interrupted save leaves the old file whole and no temporary.

tests/test_nn_serialization.py covers the exact round trip, a failed
``os.replace`` and the format mark; this module covers the rest.
"""
import ast
import json
import os
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import refnn
from refnn import init, nn
from refnn.matrix import ShapeError
from refnn.nn import serialization

HEAD = '{"format": "refnn.state_dict", "version": 1, "state_dict": '


def model():
    init.manual_seed(4)
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Tanh(), nn.Linear(3, 1))


@pytest.fixture
def saved(tmp_path):
    """A model and the path of its saved state_dict."""
    m = model()
    path = tmp_path / "model.json"
    nn.save(m.state_dict(), path)
    return m, path


def refused(path, error, message):
    with pytest.raises(error, match=message):
        nn.load(path)


# --- nothing runs ------------------------------------------------------------------------------

def test_no_module_of_refnn_unpickles_evaluates_or_executes():
    """No import of pickle, marshal, shelve or dill, no call of eval, exec or compile, anywhere in refnn."""
    root = pathlib.Path(refnn.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                found += [f"{path.name}: import {n}" for n in names
                          if n.split(".")[0] in ("pickle", "marshal", "shelve", "dill", "cloudpickle")]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("eval", "exec", "compile", "__import__"):
                found.append(f"{path.name}: {node.func.id}()")
    assert found == []
    assert "json.loads(" in pathlib.Path(serialization.__file__).read_text(encoding="utf-8")


def test_a_file_that_asks_to_run_code_is_just_refused(tmp_path, capfd):
    """A pickle-style __reduce__ or a Python expression where numbers belong is data to refuse, not to run."""
    path = tmp_path / "evil.json"
    for payload in ('{"w": {"__reduce__": ["os.system", ["echo PWNED"]]}}',
                    '{"w": "__import__(\'os\').system(\'echo PWNED\')"}',
                    '{"w": [["os.system", "echo PWNED"]]}'):
        path.write_text(HEAD + payload + "}")
        with pytest.raises(TypeError, match="load: w"):
            nn.load(path)
    assert "PWNED" not in capfd.readouterr().out
    path.write_bytes(b"\x80\x04\x95\x15\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x94.")
    refused(path, ValueError, "is not JSON")                         # a pickle is not even UTF-8


# --- malformed files -------------------------------------------------------------------------------

def test_every_truncation_of_a_file_is_refused(saved):
    """Cut anywhere before the closing brace, a model file is not JSON any more, and load says so."""
    m, path = saved
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}}\n")
    for cut in range(len(text) - 2):
        path.write_text(text[:cut], encoding="utf-8")
        with pytest.raises(ValueError, match="load: .* is not"):
            nn.load(path)


@pytest.mark.parametrize("document, error, message", [
    (HEAD + '{"w": [1.0]}, "code": "x"}', ValueError, "holds keys a refnn state_dict file has not: 'code'"),
    ('{"format": "refnn.state_dict", "state_dict": {}}', ValueError, "of version None"),
    ('{"format": "refnn.state_dict", "version": 1}', ValueError, "of version 1, which this refnn cannot"),
    ('{"format": "refnn.state_dict", "version": true, "state_dict": {}}', ValueError, "of version True"),
    ('{"format": "refnn.state_dict", "version": 1.0, "state_dict": {}}', ValueError, "of version 1.0"),
    ('{"format": "refnn.state_dict", "version": "1", "state_dict": {}}', ValueError, "of version '1'"),
    ('{"format": "refnn.state_dict", "version": 1, "state_dict": []}', ValueError, "cannot read"),
    ('{"format": "refnn.other", "version": 1, "state_dict": {}}', ValueError, "not a refnn state_dict file"),
    (HEAD + '{"w": [1.0], "w": [2.0]}}', ValueError, "the key 'w' appears twice"),
    (HEAD + '{"w": [1.0]}, "version": 1}', ValueError, "the key 'version' appears twice"),
    (HEAD + '{"w": [1.0, "2.0"]}}', TypeError, "load: w: expected numbers, got str '2.0'"),
    (HEAD + '{"w": [[1.0], [true]]}}', TypeError, "load: w holds a bool"),
    (HEAD + '{"w": [1.0, null]}}', TypeError, "load: w: expected numbers, got NoneType"),
    (HEAD + '{"w": [1.0, {}]}}', TypeError, "load: w: expected numbers, got OrderedDict"),
    (HEAD + '{"w": [[1.0, 2.0], [3.0]]}}', ShapeError, "load: w: ragged list"),
    (HEAD + '{"w": [NaN]}}', ValueError, "it holds NaN; a model file keeps finite numbers only"),
    (HEAD + '{"w": [Infinity]}}', ValueError, "it holds Infinity"),
    (HEAD + '{"w": [-Infinity]}}', ValueError, "it holds -Infinity"),
    (HEAD + '{"w": [1e999]}}', ValueError, "load: w holds inf; a model file keeps finite numbers only"),
    (HEAD + '{"w": [' + "9" * 400 + ']}}', ValueError, "load: w holds 9999.*a model file keeps finite"),
    (HEAD + '{"w": [' + "9" * 5000 + ']}}', ValueError, "load: .*: Exceeds the limit"),
    ('', ValueError, "is not JSON"),
    ('not json at all', ValueError, "is not JSON"),
    ('{"format": "refnn.state_dict"', ValueError, "is not JSON"),
    ('[1, 2, 3]', ValueError, "not a refnn state_dict file"),
    ('"refnn.state_dict"', ValueError, "not a refnn state_dict file"),
])
def test_malformed_files_are_refused_by_load(tmp_path, document, error, message):
    path = tmp_path / "bad.json"
    path.write_text(document, encoding="utf-8")
    refused(path, error, message)


def test_python_json_would_have_read_nan_and_infinity(tmp_path):
    """The decision is explicit: json accepts NaN and Infinity by default, refnn's load refuses them."""
    assert json.loads("[NaN, Infinity]")[1] == float("inf")
    path = tmp_path / "nan.json"
    path.write_text(HEAD + '{"0.weight": [[NaN, 1.0, 2.0]]}}')
    refused(path, ValueError, "NaN")
    with pytest.raises(ValueError, match="save: w holds nan; a model file keeps finite numbers only"):
        nn.save({"w": [float("nan")]}, tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(tmp_path, depth):
    """Lists or objects nested 100 000 deep: Python's json raises RecursionError; load raises ValueError."""
    path = tmp_path / "deep.json"
    for opening, closing in (("[", "]"), ('{"a": ', "}")):
        path.write_text(HEAD + '{"w": ' + opening * depth + "1.0" + closing * depth + "}}")
        with pytest.raises((ValueError, TypeError), match="load: "):
            nn.load(path)
    with pytest.raises(RecursionError):                       # what refnn protects its callers from
        json.loads("[" * 100_000 + "]" * 100_000)


def test_nesting_deeper_than_a_tensor_may_have_is_refused_even_when_json_reads_it(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(HEAD + '{"w": ' + "[" * 65 + "1.0" + "]" * 65 + "}}")
    refused(path, ShapeError, "load: w: a list nested more than 64 deep")


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is not JSON: 'utf-8' codec can't decode"),
    ('{"w": "caf\u00e9"}'.encode("latin-1"), "is not JSON: 'utf-8' codec can't decode"),
    (b"\xff\xfe" + HEAD.encode("utf-16-le"), "is not JSON"),
    (b"\xef\xbb\xbf" + (HEAD + "{}}").encode(), "is not JSON: Unexpected UTF-8 BOM"),
    (b"\x00" * 16, "is not JSON"),
])
def test_files_that_are_not_utf8_json_are_refused(tmp_path, data, message):
    path = tmp_path / "binary.json"
    path.write_bytes(data)
    refused(path, ValueError, message)


class Unread:
    """A file that may be opened and measured, not read."""

    def __init__(self, real):
        self.real = real

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def fileno(self):
        return self.real.fileno()

    def read(self, *args):
        raise AssertionError("the file was read")


def test_a_file_over_one_gibibyte_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:                              # sparse: no disk space is taken
        f.truncate(serialization._MAX_BYTES + 1)
    real_open = open
    monkeypatch.setattr(serialization, "open", lambda *a, **k: Unread(real_open(*a, **k)), raising=False)
    refused(path, ValueError, f"is larger than {serialization._MAX_BYTES} bytes")
    monkeypatch.undo()
    monkeypatch.setattr(serialization, "_MAX_BYTES", 100)   # and the limit is what load checks
    small = tmp_path / "small.json"
    nn.save({"w": [0.5] * 20}, small)
    refused(small, ValueError, "is larger than 100 bytes")


@pytest.mark.parametrize("path", [None, 0, 3.5, []])
def test_a_path_must_be_a_path(path):
    """load(0) would read standard input (an int is a file descriptor to open()): refused."""
    with pytest.raises(TypeError, match="load: path must be a str or a path"):
        nn.load(path)
    with pytest.raises(TypeError, match="save: path must be a str or a path"):
        nn.save({"w": [1.0]}, path)


def test_missing_files_and_folders_are_the_file_systems_answer(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.json")
    with pytest.raises(IsADirectoryError):
        nn.load(tmp_path)


# --- files that do not fit the model ----------------------------------------------------------------

def _edited(path, change):
    document = json.loads(path.read_text())
    change(document["state_dict"])
    path.write_text(json.dumps(document))


@pytest.mark.parametrize("change, error, message", [
    (lambda sd: sd.pop("1.running_var"), ValueError, "missing keys: '1.running_var'"),
    (lambda sd: sd.update({"1.scale": [1.0, 1.0, 1.0]}), ValueError, "unexpected keys: '1.scale'"),
    (lambda sd: sd.update({"0.weight": [[1.0, 2.0, 3.0]] * 3}), ShapeError,
     r"0.weight has shape \(3, 3\) in the state_dict, \(3, 2\) in the model"),
    (lambda sd: sd.update({"3.bias": 0.5}), ShapeError, r"3.bias has shape \(\) in the state_dict, \(1,\)"),
    (lambda sd: sd.update({"1.num_batches_tracked": [0]}), ShapeError, "1.num_batches_tracked has shape"),
])
def test_a_file_for_another_model_is_refused_and_changes_nothing(saved, change, error, message):
    m, path = saved
    _edited(path, change)
    twin = model()
    for p in twin.parameters():
        init.constant_(p, 0.25)
    before = repr(twin.state_dict())
    with pytest.raises(error, match=message):
        twin.load_state_dict(nn.load(path))
    assert repr(twin.state_dict()) == before


def test_a_file_of_another_architecture_is_refused(tmp_path):
    path = tmp_path / "cnn.json"
    init.manual_seed(0)
    nn.save(nn.Sequential(nn.Conv2d(1, 2, 2), nn.Flatten(), nn.Linear(8, 1)).state_dict(), path)
    twin = model()
    before = repr(twin.state_dict())
    with pytest.raises(ValueError, match="missing keys: '1.weight', '1.bias', '1.running_mean'.*; "
                                         "unexpected keys: '2.weight', '2.bias'"):
        twin.load_state_dict(nn.load(path))
    assert repr(twin.state_dict()) == before


# --- an interrupted save leaves the old file -----------------------------------------------------------

class Broken:
    """A file object that writes half of what it is given and then fails, as a full disk or Ctrl-C would."""

    def __init__(self, real, error):
        self.real, self.error = real, error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def write(self, text):
        self.real.write(text[:len(text) // 2])
        self.real.flush()
        raise self.error

    def fileno(self):
        return self.real.fileno()


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "Ctrl-C"])
def test_a_write_that_fails_halfway_leaves_the_old_file_whole(saved, monkeypatch, error):
    m, path = saved
    before = path.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Broken(real_fdopen(fd, *a, **k), error))
    init.manual_seed(9)
    with pytest.raises(type(error)):
        nn.save(model().state_dict() | {"extra": [1.0] * 1000}, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == ["model.json"]           # no temporary left behind
    monkeypatch.undo()
    twin = model()
    twin.load_state_dict(nn.load(path))
    assert repr(twin.state_dict()) == repr(m.state_dict())


def test_a_failed_fsync_leaves_the_old_file_whole(saved, monkeypatch):
    m, path = saved
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        nn.save({"w": [2.0]}, path)
    assert path.read_bytes() == before and sorted(os.listdir(path.parent)) == ["model.json"]


def test_the_new_file_is_on_disk_before_it_replaces_the_old(saved, monkeypatch):
    """save calls fsync on the temporary file, then os.replace, in that order."""
    m, path = saved
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    nn.save({"w": [3.0]}, path)
    assert calls == ["fsync", "replace"] and nn.load(path)["w"].tolist() == [3.0]


# --- the round trip, for any numbers ---------------------------------------------------------------

@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_a_saved_model_loads_back_into_its_twin_exactly(tmp_path_factory, values):
    """Any finite floats written into a model come back bit for bit through save and load."""
    m = nn.Sequential(nn.Linear(len(values), 1, bias=False))
    m[0].weight.data = [values]
    path = tmp_path_factory.mktemp("rt") / "m.json"
    nn.save(m.state_dict(), path)
    twin = nn.Sequential(nn.Linear(len(values), 1, bias=False))
    twin.load_state_dict(nn.load(path))
    assert [v.hex() for v in twin[0].weight.tolist()[0]] == [v.hex() for v in values]
