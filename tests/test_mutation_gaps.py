"""Tests for the mutants that got through (issue 10, item 10): each pins a number or a behaviour by hand.

Mutation testing of the suite (60 random small changes to refnn's computing
lines) left these alive: a limit that no test reached from both sides, a
default that no test compared, a colour no test looked at, the classroom
demos' settings.  Every test here was run against its mutant (the change
named in its docstring) and failed there.  The numbers are written out, not
read from the constant under test, so that a changed constant is a failure.
"""
import contextlib
import io
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from refnn import _cli, init, nn, optim
from refnn.datasets import (
    load_digits, load_iris, logic_gate, make_blobs, make_circles, make_moons, make_spiral,
)
from refnn.matrix import identity
from refnn.nn import serialization

ROOT = Path(__file__).resolve().parent.parent
GIB = 1024 ** 3                 # load's limit, 1073741824 bytes
LARGEST = 10 ** 8               # refnn's lists hold at most this many numbers


# --- matrix.identity: n² against the limit --------------------------------------------------

def test_identity_refuses_n_squared_just_above_the_limit():
    """identity(10001) would hold 10001² = 100020001 > 10**8 numbers (mutants: n for n*n, a 10**9 limit)."""
    with pytest.raises(ValueError, match=r"identity: a 10001 x 10001 matrix would hold 1e\+08 numbers; "
                                         r"refnn's lists hold at most 100000000$"):
        identity(10001)


def test_identity_at_the_limit_is_built():
    """identity(10000) holds exactly 10**8 numbers, which is allowed (mutant: >= for > in the check).

    Building 10**8 entries takes 800 MB, so it runs in a child process whose
    address space is capped 16 MB above what it uses: past the check, the
    build runs out of memory (MemoryError), where a refusal is a ValueError.
    """
    resource = pytest.importorskip("resource")
    code = (
        "import resource, sys\n"
        "from refnn.matrix import identity\n"
        "used = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "hard = resource.getrlimit(resource.RLIMIT_AS)[1]\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used + 16 * 2 ** 20, hard))\n"
        "try:\n"
        "    identity(10000)\n"
        "except MemoryError:\n"
        "    print('built until memory ran out')\n"
        "except ValueError as err:\n"
        "    print('refused:', err)\n"
    )
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs Linux's /proc to cap the child's memory")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, cwd=ROOT)
    assert done.stdout.strip() == "built until memory ran out", (done.stdout, done.stderr, resource)


# --- init.xavier_normal_: ±9σ must be a float ----------------------------------------------

FLOAT_MAX = 1.7976931348623157e308


def test_xavier_normal_refuses_a_std_whose_nine_sigmas_overflow():
    """A Linear(1, 1) weight has std = gain; [−9σ, 9σ] is 18σ wide: a float up to gain = FLOAT_MAX/18.

    Mutants: 8 or 10 for 9, the check removed.  Just below the edge is
    drawn, just above is refused, so both the 9 and the check are pinned.
    """
    edge = FLOAT_MAX / 18                                  # 9.99e306
    w = nn.Linear(1, 1).weight
    init.xavier_normal_(w, gain=0.99 * edge)               # 20σ would overflow here: 10 for 9 is caught
    assert math.isfinite(w.detach()[0][0])
    with pytest.raises(ValueError, match=r"xavier_normal_: the numbers would be drawn from \[-9\.08e\+307, "
                                         r"9\.08e\+307\], too wide for a float"):
        init.xavier_normal_(nn.Linear(1, 1).weight, gain=1.01 * edge)   # 16σ would fit: 8 for 9 is caught


def test_xavier_normal_std_is_gain_over_the_mean_fan():
    """std = gain·√(2/(fan_in + fan_out)): the refused range of a Linear(3, 5) weight names 9·std."""
    gain = 1e308 / 9 / math.sqrt(2 / 8) * 1.001            # 9σ just above 1e308; the range 2e308 overflows
    with pytest.raises(ValueError, match=r"\[-1e\+308, 1e\+308\]"):
        init.xavier_normal_(nn.Linear(3, 5).weight, gain=gain)


# --- nn.load: 1 GiB ------------------------------------------------------------------------

class Unread:
    """A file that may be asked its size but not read: load must refuse it, or get as far as reading."""

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


def sparse_file(path, size):
    with open(path, "wb") as f:                            # sparse: no disk space is taken
        f.truncate(size)
    return path


@pytest.fixture
def unread_open(monkeypatch):
    """load's files opened as Unread; fails at once if load does not open them with open()."""
    real_open = open
    opened = []

    def fake(*args, **kwargs):
        opened.append(args[0])
        return Unread(real_open(*args, **kwargs))
    monkeypatch.setattr(serialization, "open", fake, raising=False)
    return opened


def test_load_refuses_one_byte_over_one_gibibyte(tmp_path, unread_open):
    """1 GiB + 1 byte is refused before it is read, with the number 1073741824 (mutant: 1 << 31)."""
    path = sparse_file(tmp_path / "huge.json", GIB + 1)
    with pytest.raises(ValueError, match=r"is larger than 1073741824 bytes"):
        nn.load(path)
    assert unread_open, "load no longer opens its file with open(); this test must learn how it does"


def test_load_reads_a_file_of_exactly_one_gibibyte(tmp_path, unread_open):
    """Exactly 1 GiB is not refused for its size: load goes on to read it (mutants: >= for >, 1 << 29)."""
    with pytest.raises(AssertionError, match="the file was read"):
        nn.load(sparse_file(tmp_path / "small.json", 10))
    assert unread_open, "load no longer opens its file with open(); reading 1 GiB here would be slow"
    with pytest.raises(AssertionError, match="the file was read"):
        nn.load(sparse_file(tmp_path / "edge.json", GIB))


# --- datasets: the default seed is 0 --------------------------------------------------------

@pytest.mark.parametrize("make", [make_moons, make_circles, make_blobs, make_spiral])
def test_the_default_seed_is_zero(make):
    """make() == make(seed=0), noisy or not (mutant: seed=1 or None as the default)."""
    assert make() == make(seed=0)
    noisy = {"cluster_std": 2.0} if make is make_blobs else {"noise": 0.1}
    assert make(**noisy) == make(**noisy, seed=0)
    assert make() != make(seed=1)                          # and the seed is felt, even without noise


# --- plot.save_regions: a colour per class --------------------------------------------------

def thirds(points):
    """Class 0 left of x = 0.2, class 1 up to x = 0.5, class 2 right of it: 20, 30 and 50 % of [0, 1]²."""
    return [0 if a < 0.2 else 1 if a < 0.5 else 2 for a, _ in points]


def test_save_regions_gives_each_class_its_own_colour(tmp_path):
    """The PNG's pixels: three region colours in the shares of the classes' areas, each its points' colour.

    Mutants: one colour for every class (colours[0]), the regions all drawn
    as class 0 (index 0), the classes' colours rotated between the regions.
    The regions are painted with alpha 0.3 over white, so the region of a
    class whose points are drawn in the full colour C is 0.7 + 0.3·C: the
    points of each class must lie in the band of their own colour.
    """
    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    from refnn.plot import save_regions
    X = [[x, y] for x in (0.1, 0.35, 0.75) for y in (0.2, 0.4, 0.6, 0.8)]
    path = tmp_path / "thirds.png"
    save_regions(path, thirds, X, thirds(X), resolution=41, xlim=(0, 1), ylim=(0, 1))
    columns = {}                                           # colour -> the columns of its pixels
    for row in imread(path):
        for j, (r, g, b, *_) in enumerate(row):
            key = (round(float(r) * 255), round(float(g) * 255), round(float(b) * 255))
            if len(set(key)) > 1:                          # white, black and greys are the frame and text
                columns.setdefault(key, []).append(j)
    regions = sorted(columns, key=lambda c: len(columns[c]), reverse=True)[:3]
    area = sum(len(columns[c]) for c in regions)
    shares = sorted(len(columns[c]) / area for c in regions)
    assert shares == pytest.approx([0.2, 0.3, 0.5], abs=0.04), shares
    for region in regions:                                 # the points of its full colour lie in its band
        full = [(v - 0.7 * 255) / 0.3 for v in region]
        near = [c for c in columns if max(abs(u - v) for u, v in zip(c, full)) < 8]
        points = sorted(j for c in near for j in columns[c])
        assert points, region
        assert min(columns[region]) < points[len(points) // 2] < max(columns[region]), region


# --- the classroom demos: python -m refnn mlp --data ... ------------------------------------

# What docs/08-real-data.md and `python -m refnn mlp --help` say of each data set, written out:
# the data it trains on (for the seed given), the hidden layers, epochs, learning rate, batch size,
# and the 80/20 split's sizes.
DEMOS = {
    "xor": (lambda seed: logic_gate("xor"), "16", 100, "0.1", 4, 4, 4),
    "moons": (lambda seed: make_moons(200, noise=0.2, seed=seed), "16", 100, "0.1", 32, 160, 40),
    "circles": (lambda seed: make_circles(200, noise=0.1, factor=0.5, seed=seed),
                "16", 50, "0.1", 32, 160, 40),
    "spiral": (lambda seed: make_spiral(300, n_classes=3, noise=0.05, seed=seed),
               "64", 150, "0.1", 32, 240, 60),
    "iris": (lambda seed: load_iris(return_X_y=True), "16", 50, "0.05", 16, 120, 30),
    "digits": (lambda seed: load_digits(return_X_y=True), "32", 5, "0.1", 32, 1437, 360),
}


def test_the_help_states_every_demos_defaults():
    """``mlp --help`` lists each data set's hidden layers, epochs, lr and batch size as pinned above."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert _cli.main(["mlp", "--help"]) == 0
    for data, (_, hidden, epochs, lr, batch, _, _) in DEMOS.items():
        line = rf"^\s+{data}\s.*; --hidden {hidden} --epochs {epochs} --lr {lr} --batch-size {batch}$"
        assert re.search(line, out.getvalue(), re.MULTILINE), data


@pytest.mark.parametrize("data", list(DEMOS))
def test_each_demo_trains_on_its_data_in_its_batches(data, capsys, monkeypatch):
    """One epoch of each demo: the data it splits, the split's sizes, the steps of the batches.

    Mutants: a data set's size, noise, factor or seed changed; a batch size
    changed (then the printed size and the number of SGD steps, ⌈train/batch⌉,
    are off).
    """
    load, hidden, _, lr, batch, n_train, n_test = DEMOS[data]
    split, steps = [], []
    real_split, real_step = _cli.train_test_split, optim.SGD.step
    monkeypatch.setattr(_cli, "train_test_split",
                        lambda X, y, **kw: split.append((X, y)) or real_split(X, y, **kw))
    monkeypatch.setattr(optim.SGD, "step", lambda self, *a: steps.append(1) or real_step(self, *a))
    code = _cli.main(["mlp", "--data", data, "--epochs", "1", "--seed", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"SGD(lr={lr}, momentum=0.9), 1 epochs in mini-batches of {batch}\n" in out
    assert re.search(rf"^model: Linear\(\d+, {hidden}\) -> ReLU -> Linear\({hidden}, \d+\)", out, re.M)
    assert len(steps) == math.ceil(n_train / batch)
    assert re.search(rf"^train accuracy: \d+/{n_train} ", out, re.MULTILINE)
    assert re.search(rf"^test accuracy: \d+/{n_test} ", out, re.MULTILINE)
    if data == "xor":
        assert split == []                                  # trained and tested on all four points
    else:
        assert split == [load(1)]
