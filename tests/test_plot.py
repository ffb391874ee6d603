"""Tests of refnn.plot: the text pictures against hand-drawn ones, the files against the PNG format.

The text pictures are compared with pictures drawn by hand from the rules in
the docstrings (which node shows what); the image files are parsed with
``struct`` (the PNG signature and the IHDR chunk's width and height), so no
image library judges them.  The matplotlib tests skip where matplotlib is
not installed; its absence is simulated to test the error that says how to
install it.
"""
import copy
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from refnn.datasets import make_spiral, logic_gate
from refnn.matrix import ShapeError
from refnn.plot import (
    MatplotlibMissingError, digit, loss_curve, regions, save_loss_curve, save_network, save_regions,
)

# --- regions -------------------------------------------------------------


def below_diagonal(points):
    return [1 if a > b else 0 for a, b in points]


def test_regions_by_hand():
    # nodes x in {0, 1, 2} (left to right) and y in {2, 1, 0} (top to bottom); class 1 where x > y
    X, y = [[2, 0], [0, 2]], [1, 0]
    expected = "\n".join([
        "2 |o..",
        "  |..:",
        "0 |.:x",
        "  +---",
        "  0  2",
        "class 0: o (region .)   class 1: x (region :)",
    ])
    assert regions(below_diagonal, X, y, width=3, height=3, xlim=(0, 2), ylim=(0, 2)) == expected


def test_regions_default_limits_widen_the_data_range():
    # AND's points span 0..1: the margin is max(0.1 * 1, 0.5) = 0.5 on each side
    X, y = logic_gate("and")
    lines = regions(below_diagonal, X, y, width=5, height=5).split("\n")
    assert lines[0].startswith(" 1.5 |") and lines[4].startswith("-0.5 |")
    assert lines[6] == "     -0.5 1.5"
    # a span of 20 gives a margin of 2
    lines = regions(below_diagonal, [[0, 0], [20, 20]], [0, 0], width=5, height=5).split("\n")
    assert lines[0].startswith("22 |") and lines[4].startswith("-2 |") and lines[6] == "   -2  22"


class LinePerceptron:
    """A stand-in for a fitted refnn.perceptron.Perceptron: predict takes a matrix, returns ±1 labels."""

    def __init__(self, weights, bias):
        self.weights, self.bias = weights, bias

    def predict(self, X):
        return [1 if self.weights[0] * a + self.weights[1] * b + self.bias > 0 else -1 for a, b in X]


def _marks_on_wrong_regions(picture):
    """How many marks have a neighbour (left or right) in the region of another class."""
    legend = re.findall(r"class (\S+): (\S) \(region (\S)\)", picture.split("\n")[-1])
    mark_class = {mark: label for label, mark, _ in legend}
    region_class = {region: label for label, _, region in legend}
    wrong = 0
    for line in picture.split("\n")[:-3]:
        row = line.split("|", 1)[1]
        for i, ch in enumerate(row):
            if ch in mark_class:
                neighbours = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row) and row[j] in region_class]
                wrong += any(region_class[n] != mark_class[ch] for n in neighbours)
    return wrong


def test_regions_of_a_perceptron_on_and_and_xor():
    # the weights the textbook perceptron learns on AND (w = [3, 2], b = -4) separate it
    model = LinePerceptron([3, 2], -4)
    X, y = logic_gate("and", labels="pm1")
    picture = regions(model.predict, X, y, width=21, height=11)
    canvas = "".join(line.split("|", 1)[1] for line in picture.split("\n")[:-3])
    assert canvas.count("o") == 3 and canvas.count("x") == 1
    assert _marks_on_wrong_regions(picture) == 0
    X, y = logic_gate("xor", labels="pm1")
    picture = regions(model.predict, X, y, width=21, height=11)
    assert _marks_on_wrong_regions(picture) >= 1


def test_regions_of_refnns_perceptron():
    perceptron = pytest.importorskip("refnn.perceptron")
    X, y = logic_gate("and", labels="pm1")
    model = perceptron.Perceptron().fit(X, y)
    assert _marks_on_wrong_regions(regions(model.predict, X, y, width=21, height=11)) == 0
    X, y = logic_gate("xor", labels="pm1")
    with pytest.warns(Warning):                       # it does not converge on XOR, and says so
        model = perceptron.Perceptron(max_epochs=20).fit(X, y)
    assert _marks_on_wrong_regions(regions(model.predict, X, y, width=21, height=11)) >= 1


def test_regions_asks_predict_once_for_the_grid_in_rows_from_the_top():
    calls = []

    def predict(points):
        calls.append(copy.deepcopy(points))
        return [0] * len(points)

    regions(predict, [[0, 0]], [0], width=3, height=2, xlim=(0, 1), ylim=(10, 20))
    assert calls == [[[0, 20], [0.5, 20], [1, 20], [0, 10], [0.5, 10], [1, 10]]]


def test_regions_takes_class_indices_floats_columns_and_arrays():
    X, y = make_spiral(n_samples=30, n_classes=3, seed=1)

    def sector(points):                       # three classes by the sign of x and y
        return [0 if a < 0 else 1 if b < 0 else 2 for a, b in points]

    picture = regions(sector, X, y, width=12, height=6)
    assert picture.split("\n")[-1] == "class 0: o (region .)   class 1: x (region :)   class 2: + (region ~)"
    as_floats = regions(lambda P: [float(v) for v in sector(P)], X, [float(v) for v in y], width=12, height=6)
    as_column = regions(lambda P: [[v] for v in sector(P)], X, [[v] for v in y], width=12, height=6)
    assert as_floats == as_column == picture
    numpy = pytest.importorskip("numpy")
    assert regions(lambda P: numpy.array(sector(P)), X, y, width=12, height=6) == picture


def test_regions_changes_nothing():
    X, y = logic_gate("and", labels="pm1")
    before = copy.deepcopy((X, y))
    regions(LinePerceptron([3, 2], -4).predict, X, y, width=6, height=4, xlim=[0, 1], ylim=[0, 1])
    assert (X, y) == before


def test_regions_errors():
    X, y = logic_gate("and")
    with pytest.raises(TypeError, match="regions: predict must be callable, got list"):
        regions([0, 0, 0, 1], X, y)
    one_each = "regions: predict must return one label per point: asked for 12, got"
    with pytest.raises(ValueError, match=f"{one_each} 4 labels"):
        regions(lambda P: [0, 0, 0, 1], X, y, width=4, height=3)
    with pytest.raises(ValueError, match=f"{one_each} int"):
        regions(lambda P: 0, X, y, width=4, height=3)
    with pytest.raises(TypeError, match="regions: predict's answer 0 is str 'a', not a class label"):
        regions(lambda P: ["a"] * len(P), X, y, width=4, height=3)
    with pytest.raises(ValueError, match=r"regions: predict's answer 0 is 0.7, not a class label \(an int\)"):
        regions(lambda P: [0.7] * len(P), X, y, width=4, height=3)
    with pytest.raises(ValueError, match=r"regions: X must hold 2-D points \(n × 2\), got shape \(4, 3\)"):
        regions(below_diagonal, [p + [1] for p in X], y)
    per_point = r"regions: y must hold one label per point of X \(4\), got"
    with pytest.raises(ValueError, match=f"{per_point} 3 labels"):
        regions(below_diagonal, X, y[:3])
    with pytest.raises(ValueError, match=f"{per_point} int"):
        regions(below_diagonal, X, 1)
    with pytest.raises(TypeError, match="regions: label 1 is NoneType None, not a class label"):
        regions(below_diagonal, X, [0, None, 0, 1])
    with pytest.raises(ValueError, match="regions: label 0 is nan, not a class label"):
        regions(below_diagonal, X, [float("nan"), 0, 0, 1])
    with pytest.raises(ValueError, match="regions: X holds inf"):
        regions(below_diagonal, [[0, float("inf")]], [0])
    with pytest.raises(ShapeError, match="regions: ragged list"):
        regions(below_diagonal, [[0, 0], [1]], [0, 1])
    with pytest.raises(ValueError, match="regions: at most 10 classes can be drawn, got 11"):
        regions(lambda P: [0] * len(P), [[i, i] for i in range(11)], list(range(11)))
    with pytest.raises(ValueError, match="regions: width must be at least 2, got 1"):
        regions(below_diagonal, X, y, width=1)
    with pytest.raises(TypeError, match="regions: height must be an int, got float"):
        regions(below_diagonal, X, y, height=5.0)
    with pytest.raises(ValueError, match=r"regions: xlim must have low < high, got \(1, 0\)"):
        regions(below_diagonal, X, y, xlim=(1, 0))
    with pytest.raises(TypeError, match=r"regions: ylim must be a pair \(low, high\), got 3"):
        regions(below_diagonal, X, y, ylim=3)


# --- loss curve ----------------------------------------------------------

def test_loss_curve_by_hand():
    expected = "\n".join([
        "4 |*",
        "  | *",
        "  |  *",
        "  |   *",
        "0 |    *",
        "  +-----",
        "  0    4 epoch",
        "loss from 4 to 0",
    ])
    assert loss_curve([4, 3, 2, 1, 0], height=5) == expected


def test_loss_curve_samples_a_long_history_at_even_epochs():
    # 1000 epochs in 10 columns: epochs 0, 111, ..., 999, whose losses 999 - e fall one row per column
    picture = loss_curve([999 - e for e in range(1000)], width=10, height=10).split("\n")
    assert [row.split("|")[1] for row in picture[:10]] == [" " * c + "*" for c in range(10)]
    assert picture[11] == "    0       999 epoch"


def test_loss_curve_of_a_flat_history_lies_on_the_floor():
    picture = loss_curve([0.25, 0.25, 0.25], height=3)
    assert picture.split("\n") == ["0.25 |", "     |", "0.25 |***", "     +---", "     0  2 epoch",
                                   "loss from 0.25 to 0.25"]
    assert loss_curve([7], height=2).split("\n")[:3] == ["7 |", "7 |*", "  +-"]


def test_loss_curve_errors():
    with pytest.raises(ShapeError, match=r"loss_curve: empty vector of shape \(0,\)"):
        loss_curve([])
    with pytest.raises(ValueError, match="loss_curve: history holds nan; learning needs finite numbers"):
        loss_curve([1, float("nan")])
    with pytest.raises(TypeError, match="loss_curve: expected numbers, got str '1'"):
        loss_curve(["1"])
    with pytest.raises(ShapeError, match="loss_curve: expected a vector"):
        loss_curve([[1], [2]])
    with pytest.raises(ValueError, match="loss_curve: height must be at least 1, got 0"):
        loss_curve([1], height=0)


# --- digit ---------------------------------------------------------------

def test_digit_shades_by_hand():
    # shade ⌊9v/16 + ½⌋ of " .:-=+*#%@" for v = 0..16, each pixel printed twice
    shades = [" ", ".", ".", ":", ":", "-", "-", "=", "+", "+", "*", "*", "#", "#", "%", "%", "@"]
    assert digit([list(range(17))]).split("\n")[1] == "|" + "".join(s * 2 for s in shades) + "|"
    assert digit([[0, 0.5, 1]], vmax=1) == "+------+\n|  ++@@|\n+------+"


def test_digit_takes_a_flat_row_or_a_matrix():
    flat = list(range(16))
    square = [flat[0:4], flat[4:8], flat[8:12], flat[12:16]]
    assert digit(flat) == digit(square)
    assert digit(flat).split("\n") [0] == "+--------+"
    assert len(digit([0] * 64).split("\n")) == 10


def test_digit_errors():
    with pytest.raises(ValueError, match=r"digit: a flat image needs a square number of pixels .*, got 63"):
        digit([0] * 63)
    with pytest.raises(ValueError, match=r"digit: pixel \(1, 0\) is -1, outside 0..16 \(vmax=16\)"):
        digit([[0, 0], [-1, 0]])
    with pytest.raises(ValueError, match="digit: image holds nan"):
        digit([[0, float("nan")]])
    with pytest.raises(ValueError, match="digit: vmax must be a positive finite number, got 0"):
        digit([[0]], vmax=0)
    with pytest.raises(ShapeError, match="digit: ragged list"):
        digit([[0, 1], [0]])


# --- without matplotlib --------------------------------------------------

SAVERS = {
    "save_regions": lambda path: save_regions(path, below_diagonal, [[0, 0], [1, 1]], [0, 1], resolution=10),
    "save_loss_curve": lambda path: save_loss_curve(path, [1.0, 0.5, 0.25]),
    "save_network": lambda path: save_network(path, [[[1, -2]], [[0.5], [-0.5]]]),
}


@pytest.mark.parametrize("name", sorted(SAVERS))
def test_without_matplotlib_the_error_says_how_to_install_it(name, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)         # as if it were not installed
    path = tmp_path / "picture.png"
    message = rf'^{name}: needs matplotlib, .*pip install "refnn\[plot\]"$'
    with pytest.raises(MatplotlibMissingError, match=message):
        SAVERS[name](path)
    with pytest.raises(ModuleNotFoundError):
        SAVERS[name](path)
    assert not path.exists()


def test_importing_refnn_plot_imports_no_matplotlib():
    code = ("import sys, refnn.plot as p; print(p.digit([[16]])); "
            "print([m for m in ('matplotlib', 'numpy') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[-2] == "[]"


# --- with matplotlib -----------------------------------------------------

@pytest.fixture()
def matplotlib():
    return pytest.importorskip("matplotlib")


def png_size(data):
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    assert (length, kind) == (13, b"IHDR")
    return width, height


@pytest.mark.parametrize("name", sorted(SAVERS))
def test_each_picture_is_a_png_of_the_asked_size(name, tmp_path, matplotlib):
    path = tmp_path / f"{name}.png"
    assert SAVERS[name](path) == str(path)
    assert png_size(path.read_bytes()) == (400, 300)                  # 4 × 3 inches at 100 dpi


def test_size_and_format_follow_the_arguments(tmp_path, matplotlib):
    X, y = logic_gate("xor")
    path = save_regions(tmp_path / "small.png", below_diagonal, X, y, resolution=20, figsize=(2, 1.5), dpi=50)
    assert png_size(Path(path).read_bytes()) == (100, 75)
    path = save_loss_curve(str(tmp_path / "loss.SVG"), [3, 2, 1], yscale="log")
    assert b"<svg" in Path(path).read_bytes()[:400]
    assert Path(save_network(tmp_path / "net.pdf", [[[1.0]]])).read_bytes()[:5] == b"%PDF-"


def test_a_torch_model_draws_as_its_weight_lists(tmp_path, matplotlib, torch):
    first, second = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], [[-2.0, 1.0]]       # (out, in) as in nn.Linear
    model = torch.nn.Sequential(torch.nn.Linear(3, 2, bias=False), torch.nn.Sigmoid(),
                                torch.nn.Linear(2, 1, bias=False))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(first))
        model[2].weight.copy_(torch.tensor(second))
    as_lists = [[list(col) for col in zip(*first)], [list(col) for col in zip(*second)]]   # (in, out)
    a = save_network(tmp_path / "model.png", model)
    b = save_network(tmp_path / "lists.png", as_lists)
    assert Path(a).read_bytes() == Path(b).read_bytes()


def test_a_refnn_model_draws_as_its_weight_lists(tmp_path, matplotlib):
    nn = pytest.importorskip("refnn.nn")
    if not hasattr(nn, "Sequential"):
        pytest.skip("refnn.nn has no Sequential yet")
    model = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    as_lists = [[list(col) for col in zip(*layer.weight.tolist())] for layer in model] # (out, in) → (in, out)
    a = save_network(tmp_path / "model.png", model)
    b = save_network(tmp_path / "lists.png", as_lists)
    assert Path(a).read_bytes() == Path(b).read_bytes()


def test_the_pictures_leave_matplotlib_as_they_found_it(tmp_path, matplotlib):
    # the backend as set, read without resolving it (get_backend() would import pyplot itself)
    code = ("import sys, matplotlib; backend = dict.__getitem__(matplotlib.rcParams, 'backend')\n"
            "from refnn.plot import save_loss_curve\n"
            f"save_loss_curve({str(tmp_path / 'x.png')!r}, [1, 0])\n"
            "print(dict.__getitem__(matplotlib.rcParams, 'backend') == backend,\n"
            "      'matplotlib.pyplot' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_a_path_that_cannot_be_written(tmp_path, matplotlib):
    missing = tmp_path / "no" / "such" / "folder.png"
    with pytest.raises(OSError, match=r"save_loss_curve: cannot write '.*folder.png': No such file"):
        save_loss_curve(missing, [1, 0])
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(OSError, match=r"save_network: cannot write '.*folder.png': Is a directory"):
        save_network(folder, [[[1.0]]])


def test_save_errors_come_before_any_drawing(tmp_path):
    # checked without matplotlib: these hold whether or not it is installed
    with pytest.raises(ValueError, match="save_regions: path must end in .png, .svg or .pdf, got 'x.gif'"):
        save_regions("x.gif", below_diagonal, [[0, 0]], [0])
    with pytest.raises(TypeError, match="save_loss_curve: path must be a str or a path, got int"):
        save_loss_curve(3, [1])
    with pytest.raises(ValueError, match=r"save_network: figsize must be positive, got \(0, 3\)"):
        save_network(tmp_path / "n.png", [[[1]]], figsize=(0, 3))
    with pytest.raises(TypeError, match="save_network: dpi must be an int, got float"):
        save_network(tmp_path / "n.png", [[[1]]], dpi=72.5)
    chain = r"save_network: weights\[0\] \(1, 2\) gives 2 outputs but weights\[1\] \(3, 1\) takes 3 inputs"
    with pytest.raises(ValueError, match=chain):
        save_network(tmp_path / "n.png", [[[1, 2]], [[1], [2], [3]]])
    with pytest.raises(ValueError, match="save_network: no weights to draw"):
        save_network(tmp_path / "n.png", [])
    with pytest.raises(TypeError, match="save_network: weights must be a list of matrices"):
        save_network(tmp_path / "n.png", 5)
    with pytest.raises(ValueError, match="save_network: weights holds nan"):
        save_network(tmp_path / "n.png", [[[float("nan")]]])
    with pytest.raises(ValueError, match="save_loss_curve: yscale must be 'linear' or 'log', got 'symlog'"):
        save_loss_curve(tmp_path / "l.png", [1, 0], yscale="symlog")
    with pytest.raises(ValueError, match="save_loss_curve: a log axis needs losses above 0, got 0"):
        save_loss_curve(tmp_path / "l.png", [1, 0], yscale="log")
    with pytest.raises(ValueError, match="save_regions: resolution must be at least 2, got 1"):
        save_regions(tmp_path / "r.png", below_diagonal, [[0, 0]], [0], resolution=1)
    assert list(tmp_path.iterdir()) == []


# --- figures -------------------------------------------------------------

def test_the_replayed_updates_end_each_epoch_where_the_perceptron_does():
    from refnn.perceptron import Perceptron
    from refnn.plot import _updates
    import warnings
    for y in ([-1, -1, -1, 1], [-1, 1, 1, -1], [-1, 1, 1, 1]):
        X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = Perceptron(max_epochs=12).fit(X, y)
        states = _updates(X, y, 1, len(p.history))
        ends = [next((w, b) for e, w, b in reversed(states) if e <= epoch)
                for epoch in range(1, len(p.history) + 1)]
        assert ends == p.history


def test_a_figure_is_written_only_when_given_a_path(tmp_path, matplotlib, monkeypatch):
    from refnn.plot import loss_figure, network_figure
    monkeypatch.chdir(tmp_path)
    fig = loss_figure([1.0, 0.5], title="my title", figsize=(3, 2), dpi=50)
    assert fig.get_suptitle() == "my title" and list(tmp_path.iterdir()) == []
    assert tuple(fig.get_size_inches()) == (3, 2)
    network_figure([[[1.0, 2.0]]], path=tmp_path / "n.png")
    assert png_size((tmp_path / "n.png").read_bytes()) == (800, 600)            # 8 × 6 inches at 100 dpi


def test_a_wide_layer_is_drawn_as_a_few_neurons_and_an_ellipsis(matplotlib):
    from refnn.mlp import init_weights
    from refnn.plot import network_figure
    fig = network_figure(init_weights([3, 64, 2], seed=0), max_neurons=5)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts].count("⋮") == 1
    assert len(ax.collections[0].get_paths()) == 3 * 4 + 4 * 2                 # lines to 2 + 2 drawn neurons


def test_notebook_pictures_and_their_absence(monkeypatch, matplotlib):
    from refnn.mlp import Training
    from refnn.perceptron import Perceptron
    p = Perceptron().fit([[0, 0], [0, 1], [1, 0], [1, 1]], [-1, -1, -1, 1])
    t = Training(weights=[[[1.0]]], biases=None, history=[0.5, 0.25])
    assert p._repr_png_()[:4] == b"\x89PNG" and t._repr_png_()[:4] == b"\x89PNG"
    assert Perceptron()._repr_png_() is None
    monkeypatch.setitem(sys.modules, "matplotlib", None)         # as if it were not installed
    assert p._repr_png_() is None and t._repr_png_() is None


def test_a_long_training_prints_a_summary():
    from refnn.mlp import init_weights, train
    x, y = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]]
    trained = train(x, y, init_weights([3, 4, 1], seed=1), epochs=1000)
    assert repr(trained) == ("Training(weights=[(3, 4), (4, 1)], biases=None, epochs=1000, "
                             "loss 0.504273 -> 0.00415373)")


def test_graph_figure_draws_every_node_of_explain_graph():
    """One box per node with its data and grad, one oval per step, leaves left of the output."""
    pytest.importorskip("matplotlib")
    from refnn import explain
    from refnn.plot import graph_figure
    from refnn.tensors import tensor
    a, b = tensor(2.0, requires_grad=True), tensor(-3.0, requires_grad=True)
    c = (a * b).sigmoid()
    c.backward(retain_graph=True)
    g = explain.graph(c, names={"a": a, "b": b})
    fig = graph_figure(g)
    texts = {t.get_text(): t.get_position() for t in fig.axes[0].texts}
    slope = c.item() * (1 - c.item())                      # sigma' = s(1 - s), by hand
    box_a = f"a\ndata 2\ngrad {format(-3 * slope, '.4g')}"
    box_b = f"b\ndata -3\ngrad {format(2 * slope, '.4g')}"
    assert set(texts) >= {"Mul", "Sigmoid", box_a, box_b}
    assert texts[box_a][0] < texts["Mul"][0] < texts["Sigmoid"][0]
    assert sum("\n" in text for text in texts) == len(g.nodes) == 4
    with pytest.raises(TypeError, match="graph_figure: graph must be a Tensor or what refnn.explain.graph"):
        graph_figure("c")


def test_network_figure_of_a_module_with_named_layers():
    """A Module, not a Sequential, is drawn from its modules(): Linear 3-4 then 4-1 is 'network 3-4-1'."""
    pytest.importorskip("matplotlib")
    from refnn import nn
    from refnn.plot import network_figure

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.act, self.fc2 = nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1)

        def forward(self, x):
            return self.fc2(self.act(self.fc1(x)))

    assert network_figure(Net()).get_suptitle() == "network 3-4-1"
    with pytest.raises(ValueError, match="network_figure: weights\\[0\\]: expected a vector or a matrix"):
        network_figure(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 2)))


def test_a_module_in_a_notebook():
    """A stack of Linear layers shows its network as a PNG; a Conv2d or a ReLU alone shows its repr only."""
    pytest.importorskip("matplotlib")
    from refnn import nn
    data = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))._repr_png_()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (560, 420)
    assert nn.Conv2d(1, 2, 3)._repr_png_() is None and nn.ReLU()._repr_png_() is None
