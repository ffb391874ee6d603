"""Pictures of what a network learned: in text for any terminal, and as image files with matplotlib.

The text pictures are strings, so they print in a doctest, a terminal and a
notebook alike.  The decision regions of a classifier of 2-D points show
where it answers what, with the data on top.  A hand-made classifier that
answers +1 above the line ``x1 + x2 = 1.5`` learns AND:

>>> from refnn.datasets import logic_gate
>>> X, y = logic_gate("and", labels="pm1")
>>> above = lambda points: [1 if a + b > 1.5 else -1 for a, b in points]
>>> print(regions(above, X, y, width=9, height=5))
 1.5 |...::::::
     |..o..:x::
     |.......::
     |..o...o..
-0.5 |.........
     +---------
     -0.5   1.5
class -1: o (region .)   class 1: x (region :)

:func:`loss_curve` draws a training's loss, epoch by epoch, and
:func:`digit` an 8 × 8 image in shades of grey.

With matplotlib installed (``pip install "refnn[plot]"``),
:func:`save_regions`, :func:`save_loss_curve` and :func:`save_network` write
the same pictures, and a diagram of a network's weights, as PNG (or SVG or
PDF) files; their examples run where matplotlib is installed and are
skipped elsewhere.  They import matplotlib when called, never when this module is
imported, and draw on a figure of their own with the Agg renderer, so they
change no global state of matplotlib (its backend, its current figure).
Without matplotlib they raise :class:`MatplotlibMissingError`, which says
how to install it.
"""
import io
import math
import numbers
import os
import reprlib

from refnn._checks import _check_finite, _count, _is_sequence, _matrix, _size, _vector, _vector_or_matrix

__all__ = [
    "regions", "loss_curve", "digit",
    "MatplotlibMissingError", "save_regions", "save_loss_curve", "save_network",
]

_REGIONS = ".:~=',;^`-"        # the background of class k's region
_MARKS = "ox+*#@%&$?"          # the mark of a point of class k
_SHADES = " .:-=+*#%@"         # a pixel from 0 (blank) to the brightest


def _number_text(v):
    """A number for an axis, in at most four significant digits: 0.5042, 1.5, 1e+04."""
    return format(v, ".4g")


# --- decision regions ----------------------------------------------------

def _drawable(op, name, values):
    """Refuse numbers so large that an axis through them (its range, its margins) would overflow a float."""
    largest = max(values, key=abs)
    if not math.isfinite(16 * largest):
        raise ValueError(f"{op}: {name} holds {largest!r}, too large to draw: an axis would overflow a float")


def _limits(op, name, given, values):
    """(low, high) of an axis: the given pair, or the data's range widened by a margin."""
    if given is None:
        _drawable(op, "X", values)
        low, high = min(values), max(values)
        margin = max(0.1 * (high - low), 0.5)
        return low - margin, high + margin
    if not _is_sequence(given) or len(given) != 2:
        raise TypeError(f"{op}: {name} must be a pair (low, high), got {reprlib.repr(given):.40}")
    _vector(op, given)
    _check_finite(op, name, given)
    _drawable(op, name, given)
    if not given[0] < given[1]:
        raise ValueError(f"{op}: {name} must have low < high, got {tuple(given)}")
    return tuple(given)


def _label(op, what, i, v):
    """A class label as an int: an int, or a float such as 1.0 that equals one."""
    if _is_sequence(v) and len(v) == 1:
        v = v[0]                                       # a one-column matrix, like the seed's y
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{op}: {what} {i} is {type(v).__name__} {v!r:.20}, not a class label (an int)")
    if not math.isfinite(v) or v != int(v):
        raise ValueError(f"{op}: {what} {i} is {v!r}, not a class label (an int)")
    return int(v)


def _points(op, X, y):
    """Check 2-D points X (n × 2, finite) and their labels y; return the labels as ints."""
    n, d = _matrix(op, X)
    if d != 2:
        raise ValueError(f"{op}: X must hold 2-D points (n × 2), got shape {(n, d)}")
    _check_finite(op, "X", X)
    if not _is_sequence(y) or len(y) != n:
        got = f"{len(y)} labels" if _is_sequence(y) else type(y).__name__
        raise ValueError(f"{op}: y must hold one label per point of X ({n}), got {got}")
    return [_label(op, "label", i, v) for i, v in enumerate(y)]


def _grid_labels(op, predict, X, y, cols, rows, xlim, ylim):
    """Ask ``predict`` for the class of every node of a cols × rows grid over the plane.

    Returns the limits, the grid's labels row by row from the top, the
    data's labels, and the sorted classes seen in either.
    """
    if not callable(predict):
        raise TypeError(f"{op}: predict must be callable, got {type(predict).__name__}")
    _count(op, f"a grid of {cols} x {rows} points", cols * rows)
    labels = _points(op, X, y)
    (x0, x1) = _limits(op, "xlim", xlim, [p[0] for p in X])
    (y0, y1) = _limits(op, "ylim", ylim, [p[1] for p in X])
    xs = [x0 + (x1 - x0) * c / (cols - 1) for c in range(cols)]
    ys = [y1 - (y1 - y0) * r / (rows - 1) for r in range(rows)]
    answers = predict([[a, b] for b in ys for a in xs])
    if hasattr(answers, "tolist"):
        answers = answers.tolist()                     # a NumPy array or a tensor of labels
    if not _is_sequence(answers) or len(answers) != cols * rows:
        got = f"{len(answers)} labels" if _is_sequence(answers) else type(answers).__name__
        raise ValueError(f"{op}: predict must return one label per point: asked for {cols * rows}, got {got}")
    answers = [_label(op, "predict's answer", i, v) for i, v in enumerate(answers)]
    classes = sorted(set(labels) | set(answers))
    if len(classes) > len(_MARKS):
        raise ValueError(f"{op}: at most {len(_MARKS)} classes can be drawn, got {len(classes)}")
    grid = [answers[r * cols:(r + 1) * cols] for r in range(rows)]
    return (x0, x1, y0, y1), grid, labels, classes


def _grid_size(op, **sizes):
    """Check the number of grid nodes along each axis: an int, at least 2 (the two ends)."""
    for name, value in sizes.items():
        if _size(op, name, value) < 2:
            raise ValueError(f"{op}: {name} must be at least 2, got {value}")


def regions(predict, X, y, width=40, height=16, xlim=None, ylim=None):
    """The decision regions of a 2-D classifier as text, with the labelled points on top.

    ``predict`` takes a list of points ``[[x1, x2], ...]`` and returns one
    class label (an int) per point, as a fitted
    ``refnn.perceptron.Perceptron().predict`` does (and a scikit-learn
    classifier's, whose NumPy array is taken too); wrap a function of one
    point ``f`` as ``lambda points: [f(p) for p in points]``.  It is asked once, for every
    node of a ``width`` × ``height`` grid over ``xlim`` × ``ylim`` (by
    default the data's range with a margin of a tenth of it, at least 0.5).
    Each node shows its class's region character, and each point of ``X``
    the mark of its label ``y`` at its nearest node, so a mark on another
    class's region is a point the classifier gets wrong.

    AND's points and the regions of a line that separates them (label −1
    below ``x1 + x2 = 1.5``, +1 above):

    >>> from refnn.datasets import logic_gate
    >>> X, y = logic_gate("and", labels="pm1")
    >>> line = lambda points: [1 if a + b > 1.5 else -1 for a, b in points]
    >>> print(regions(line, X, y, width=17, height=7))
     1.5 |.....::::::::::::
         |.......::::::::::
         |....o.....::x::::
         |.............::::
         |....o.......o..::
         |.................
    -0.5 |.................
         +-----------------
         -0.5           1.5
    class -1: o (region .)   class 1: x (region :)

    XOR's points under OR's line ``x1 + x2 = 0.5``: three are right, and
    the ``o`` at (1, 1) lies in the region of the ``x``; no line gets all
    four right.

    >>> X, y = logic_gate("xor", labels="pm1")
    >>> or_line = lambda points: [1 if a + b > 0.5 else -1 for a, b in points]
    >>> print(regions(or_line, X, y, width=9, height=5, xlim=(0, 1), ylim=(0, 1)))
    1 |x:::::::o
      |:::::::::
      |.::::::::
      |...::::::
    0 |o....:::x
      +---------
      0        1
    class -1: o (region .)   class 1: x (region :)

    Labels may be any ints (class indices 0, 1, 2, ... or ±1), also as
    floats that equal ints; up to 10 classes.

    >>> print(regions(line, X, [0.5, 1, 1, 0], width=9, height=5))
    Traceback (most recent call last):
        ...
    ValueError: regions: label 0 is 0.5, not a class label (an int)
    >>> print(regions(line, [[0, 0], [1e308, 1]], [1, -1]))
    Traceback (most recent call last):
        ...
    ValueError: regions: X holds 1e+308, too large to draw: an axis would overflow a float
    """
    op = "regions"
    _grid_size(op, width=width, height=height)
    (x0, x1, y0, y1), grid, labels, classes = _grid_labels(op, predict, X, y, width, height, xlim, ylim)
    index = {label: k for k, label in enumerate(classes)}
    canvas = [[_REGIONS[index[label]] for label in row] for row in grid]
    for (a, b), label in zip(X, labels):
        if x0 <= a <= x1 and y0 <= b <= y1:          # points outside xlim/ylim are not drawn
            c = round((a - x0) / (x1 - x0) * (width - 1))
            r = round((y1 - b) / (y1 - y0) * (height - 1))
            canvas[r][c] = _MARKS[index[label]]
    legend = "   ".join(f"class {label}: {_MARKS[k]} (region {_REGIONS[k]})"
                         for k, label in enumerate(classes))
    return _framed(canvas, _number_text(y1), _number_text(y0), _number_text(x0), _number_text(x1), legend)


def _framed(canvas, top, bottom, left, right, caption, x_name=""):
    """Rows of characters with a y axis (top, bottom values) and an x axis (left, right values) below."""
    pad = max(len(top), len(bottom))
    width = len(canvas[0])
    lines = [f"{top if r == 0 else bottom if r == len(canvas) - 1 else '':>{pad}} |{''.join(row)}".rstrip()
             for r, row in enumerate(canvas)]
    lines.append(" " * pad + " +" + "-" * width)
    lines.append(" " * pad + " " + left + right.rjust(max(width + 1 - len(left), len(right) + 1)) + x_name)
    lines.append(caption)
    return "\n".join(lines)


# --- loss curve ----------------------------------------------------------

def _history(op, history):
    _vector(op, history)
    _check_finite(op, "history", history)
    _drawable(op, "history", history)


def loss_curve(history, width=60, height=10):
    """A loss curve as text: one ``*`` per column at the loss of its epoch, the y axis from min to max.

    ``history[i]`` is the loss of epoch i (what ``refnn.mlp.train`` returns
    as ``history``).  A history longer than ``width`` is sampled at evenly
    spaced epochs, the first and the last included; the axes give the
    smallest and largest loss and the first and last epoch.

    >>> print(loss_curve([1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125], height=5))
          1 |*
            |
            | *
            |  *
    0.03125 |   ***
            +------
            0     5 epoch
    loss from 1 to 0.03125

    A long history shows its shape in few columns (here 100 epochs in 20):

    >>> curve = [0.9 ** epoch for epoch in range(100)]
    >>> print(loss_curve(curve, width=20, height=5))
            1 |*
              |
              | *
              |  **
    2.951e-05 |    ****************
              +--------------------
              0                  99 epoch
    loss from 1 to 2.951e-05

    >>> loss_curve([])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: loss_curve: empty vector of shape (0,)
    """
    op = "loss_curve"
    _history(op, history)
    _size(op, "width", width), _size(op, "height", height)
    n = len(history)
    cols = min(width, n)
    _count(op, "the picture", cols * height)
    epochs = [round(c * (n - 1) / (cols - 1)) if cols > 1 else 0 for c in range(cols)]
    lo, hi = min(history), max(history)
    canvas = [[" "] * cols for _ in range(height)]
    for c, epoch in enumerate(epochs):
        r = round((hi - history[epoch]) / (hi - lo) * (height - 1)) if hi > lo else height - 1
        canvas[r][c] = "*"
    top, bottom = _number_text(hi), _number_text(lo)
    return _framed(canvas, top, bottom, "0", str(n - 1), f"loss from {top} to {bottom}", x_name=" epoch")


# --- a digit -------------------------------------------------------------

def _image(op, image):
    """An image as a matrix: a matrix as it is, a vector of a square length (64) as its square (8 × 8)."""
    dims = _vector_or_matrix(op, image)
    if len(dims) == 2:
        return image
    side = math.isqrt(dims[0])
    if side * side != dims[0]:
        raise ValueError(f"{op}: a flat image needs a square number of pixels (64 for 8 × 8), got {dims[0]}")
    return [image[r:r + side] for r in range(0, dims[0], side)]


def digit(image, vmax=16):
    """An image in shades of grey, from ``" "`` (0) through ``" .:-=+*#%@"`` to ``"@"`` (``vmax``).

    A pixel of value v takes shade ⌊9·v/vmax + ½⌋, printed twice so that the
    picture keeps its proportions in a terminal.  The image is a matrix, or
    a flat row of a square number of pixels, as the digits of
    :func:`refnn.datasets.load_digits` are (64 values, 0..16):

    >>> from refnn.datasets import load_digits
    >>> X, y = load_digits(return_X_y=True)
    >>> y[0]
    0
    >>> print(digit(X[0]))
    +----------------+
    |    --##++..    |
    |    ##%%**%%--  |
    |  ::%%..  **++  |
    |  ::##    ++++  |
    |  --++    ++++  |
    |  ::**  ..##==  |
    |  ..%%--**##    |
    |    --##**      |
    +----------------+

    Any range of values works with its ``vmax``:

    >>> print(digit([[0, 1], [1, 0.5]], vmax=1))
    +----+
    |  @@|
    |@@++|
    +----+
    >>> digit([[0, 17]])
    Traceback (most recent call last):
        ...
    ValueError: digit: pixel (0, 1) is 17, outside 0..16 (vmax=16)
    """
    op = "digit"
    rows = _image(op, image)
    _check_finite(op, "image", rows)
    if isinstance(vmax, bool) or not isinstance(vmax, numbers.Real) or not 0 < vmax < math.inf:
        raise ValueError(f"{op}: vmax must be a positive finite number, got {vmax!r:.20}")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if not 0 <= v <= vmax:
                raise ValueError(f"{op}: pixel ({r}, {c}) is {v!r}, outside 0..{vmax} (vmax={vmax})")
    shades = [[_SHADES[int(9 * v / vmax + 0.5)] * 2 for v in row] for row in rows]
    border = "+" + "-" * (2 * len(rows[0])) + "+"
    return "\n".join([border] + ["|" + "".join(row) + "|" for row in shades] + [border])


# --- with matplotlib -----------------------------------------------------

class MatplotlibMissingError(ModuleNotFoundError):
    """Raised by the ``save_*`` functions when matplotlib cannot be imported; says how to install it.

    A ``ModuleNotFoundError`` (an ``ImportError``), built from the name of
    the function that needed matplotlib:

    >>> err = MatplotlibMissingError("save_network")
    >>> print(err)
    save_network: needs matplotlib, which could not be imported; install it with: pip install "refnn[plot]"
    >>> isinstance(err, ImportError), err.name
    (True, 'matplotlib')
    """

    def __init__(self, op):
        super().__init__(f'{op}: needs matplotlib, which could not be imported; '
                         f'install it with: pip install "refnn[plot]"', name="matplotlib")


_FORMATS = (".png", ".svg", ".pdf")


def _output(op, path, figsize, dpi):
    """Check the file's path (its suffix names the format) and the image's size, before any drawing."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{op}: path must be a str or a path, got {type(path).__name__}")
    if os.path.splitext(os.fspath(path))[1].lower() not in _FORMATS:
        raise ValueError(f"{op}: path must end in .png, .svg or .pdf, got {os.fspath(path)!r}")
    if not _is_sequence(figsize) or len(figsize) != 2:
        raise TypeError(f"{op}: figsize must be a pair (width, height) in inches, "
                        f"got {reprlib.repr(figsize):.40}")
    _vector(op, figsize)
    _check_finite(op, "figsize", figsize)
    if min(figsize) <= 0:
        raise ValueError(f"{op}: figsize must be positive, got {tuple(figsize)}")
    _size(op, "dpi", dpi)
    if max(figsize) * dpi > 2 ** 16:           # matplotlib's own limit, which would fail far into the drawing
        raise ValueError(f"{op}: a figure of {tuple(figsize)} inches at {dpi} dpi is more than 65536 pixels "
                         f"wide; lower figsize or dpi")


def _figure(op, figsize, dpi):
    """Import matplotlib and return a new figure drawn by Agg, or say how to install matplotlib."""
    try:
        import matplotlib                                      # noqa: F401  (first: a stub in sys.modules stops here)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:
        raise MatplotlibMissingError(op) from err
    figure = Figure(figsize=tuple(figsize), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)                                    # a canvas of its own: pyplot is never touched
    return figure


def _save(op, figure, path):
    """Render the figure in the format of the path's suffix, then write it; an OSError names the path."""
    path = os.fspath(path)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=os.path.splitext(path)[1][1:].lower())
    try:
        with open(path, "wb") as file:
            file.write(buffer.getvalue())
    except OSError as err:
        raise OSError(f"{op}: cannot write {path!r}: {err.strerror or err}") from err
    return path


def _class_colours(k):
    """Colours of k classes from matplotlib's tab10 palette."""
    from matplotlib import colormaps
    return [colormaps["tab10"](i) for i in range(k)]


def save_regions(path, predict, X, y, resolution=100, xlim=None, ylim=None, figsize=(4, 3), dpi=100):
    """Draw the decision regions of a 2-D classifier, with the labelled points, into a PNG (SVG, PDF) file.

    The picture of :func:`regions`, finer: ``predict`` is asked once for a
    ``resolution`` × ``resolution`` grid.  The image is ``figsize`` inches
    at ``dpi`` dots per inch (400 × 300 pixels by default); the format
    follows the file's suffix.  Returns the path.

    >>> import os, pytest, tempfile
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> from refnn.datasets import logic_gate
    >>> X, y = logic_gate("and", labels="pm1")
    >>> line = lambda points: [1 if a + b > 1.5 else -1 for a, b in points]
    >>> path = os.path.join(tempfile.mkdtemp(), "and.png")
    >>> save_regions(path, line, X, y, resolution=50) == path
    True
    >>> with open(path, "rb") as f:
    ...     f.read(8) == b"\\x89PNG\\r\\n\\x1a\\n"
    True

    A path that cannot be written is an ``OSError`` naming it; a wrong
    suffix is refused before anything is drawn:

    >>> save_regions("regions.jpg", line, X, y)
    Traceback (most recent call last):
        ...
    ValueError: save_regions: path must end in .png, .svg or .pdf, got 'regions.jpg'
    """
    op = "save_regions"
    _output(op, path, figsize, dpi)
    _grid_size(op, resolution=resolution)
    (x0, x1, y0, y1), grid, labels, classes = _grid_labels(op, predict, X, y, resolution, resolution,
                                                           xlim, ylim)
    figure = _figure(op, figsize, dpi)
    from matplotlib.colors import ListedColormap
    colours = _class_colours(len(classes))
    index = {label: k for k, label in enumerate(classes)}
    ax = figure.add_subplot()
    dx, dy = (x1 - x0) / (resolution - 1) / 2, (y1 - y0) / (resolution - 1) / 2   # a node is a cell's centre
    ax.imshow([[index[label] for label in row] for row in grid], cmap=ListedColormap(colours),
              vmin=-0.5, vmax=len(classes) - 0.5, alpha=0.3, interpolation="nearest", aspect="auto",
              extent=(x0 - dx, x1 + dx, y0 - dy, y1 + dy))
    for k, label in enumerate(classes):
        points = [p for p, lab in zip(X, labels) if lab == label]
        if points:
            ax.scatter([p[0] for p in points], [p[1] for p in points], color=colours[k], s=30,
                       marker="o^sDvP*Xhp"[k], edgecolors="black", linewidths=0.5, label=f"class {label}")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x_1$", ylabel="$x_2$", title="decision regions")
    ax.legend(loc="best", fontsize="small")
    return _save(op, figure, path)


def save_loss_curve(path, history, yscale="linear", figsize=(4, 3), dpi=100):
    """Draw a training's loss, epoch by epoch, into a PNG (SVG, PDF) file; ``yscale="log"`` for a log axis.

    ``history[i]`` is the loss of epoch i.  Returns the path.

    >>> import os, pytest, tempfile
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> path = os.path.join(tempfile.mkdtemp(), "loss.png")
    >>> save_loss_curve(path, [1 / (1 + epoch) for epoch in range(100)], yscale="log") == path
    True
    >>> save_loss_curve(path, [1.0, float("nan")])
    Traceback (most recent call last):
        ...
    ValueError: save_loss_curve: history holds nan; learning needs finite numbers
    >>> save_loss_curve(path, [1.0, 0.5], dpi=100000)
    Traceback (most recent call last):
        ...
    ValueError: save_loss_curve: a figure of (4, 3) inches at 100000 dpi is more than 65536 pixels wide;
    lower figsize or dpi
    """
    op = "save_loss_curve"
    _history(op, history)
    if yscale not in ("linear", "log"):
        raise ValueError(f"{op}: yscale must be 'linear' or 'log', got {yscale!r:.20}")
    if yscale == "log" and min(history) <= 0:
        raise ValueError(f"{op}: a log axis needs losses above 0, got {min(history)!r}")
    _output(op, path, figsize, dpi)
    figure = _figure(op, figsize, dpi)
    ax = figure.add_subplot()
    ax.plot(range(len(history)), history, color="tab:blue", linewidth=1.2)
    ax.set(yscale=yscale, xlabel="epoch", ylabel="loss", title="loss")
    ax.grid(alpha=0.3)
    return _save(op, figure, path)


def _weight_matrices(op, weights):
    """A network's weights as matrices (n_in, n_out) that chain: refnn.mlp's list, or a model's layers.

    A model is anything that iterates over its layers (an ``nn.Sequential``);
    every layer with a ``weight`` counts, its weight being (out, in) as in
    PyTorch's ``Linear``, so it is transposed.
    """
    if _is_sequence(weights):
        matrices = list(weights)
    else:
        try:
            layers = [layer for layer in weights if hasattr(layer, "weight")]
        except TypeError:
            raise TypeError(f"{op}: weights must be a list of matrices (n_in, n_out) or a model that "
                            f"iterates over its layers, got {type(weights).__name__}") from None
        matrices = [_plain(layer.weight) for layer in layers]
        matrices = [[list(col) for col in zip(*w)] if _is_sequence(w) else w for w in matrices]
    if not matrices:
        raise ValueError(f"{op}: no weights to draw")
    shapes = [_matrix(f"{op}: weights[{k}]", w) for k, w in enumerate(matrices)]
    _check_finite(op, "weights", matrices)
    for k in range(1, len(shapes)):
        if shapes[k - 1][1] != shapes[k][0]:
            raise ValueError(f"{op}: weights[{k - 1}] {shapes[k - 1]} gives {shapes[k - 1][1]} outputs but "
                             f"weights[{k}] {shapes[k]} takes {shapes[k][0]} inputs")
    return matrices, [shapes[0][0]] + [shape[1] for shape in shapes]


def _plain(weight):
    """A weight as nested lists: a tensor's ``tolist()``, a parameter's ``data``, or the lists themselves."""
    if hasattr(weight, "tolist"):
        return weight.tolist()
    return getattr(weight, "data", weight)


def save_network(path, weights, figsize=(4, 3), dpi=100):
    """Draw a network's layers, input to output, with a line for every weight, into a PNG (SVG, PDF) file.

    The picture the seed opens with: a column of nodes per layer, and from
    each node of one layer a line to each node of the next.  A line is blue
    for a positive weight and red for a negative one, and the larger the
    weight the thicker and darker its line.  ``weights`` is a list of
    matrices ``(n_in, n_out)`` as ``refnn.mlp`` keeps them (row i holds the
    weights out of input i), or a model that iterates over its layers, whose
    ``weight`` matrices are ``(out, in)`` as in PyTorch's ``nn.Linear`` (a
    PyTorch ``nn.Sequential`` works too).  Returns the path.

    >>> import os, pytest, tempfile
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> from refnn.mlp import init_weights
    >>> path = os.path.join(tempfile.mkdtemp(), "net.png")
    >>> save_network(path, init_weights([3, 4, 1], seed=1)) == path
    True
    >>> save_network(path, [[[1, 2]], [[1, 2]]])
    Traceback (most recent call last):
        ...
    ValueError: save_network: weights[0] (1, 2) gives 2 outputs but weights[1] (1, 2) takes 1 inputs
    """
    op = "save_network"
    _output(op, path, figsize, dpi)
    matrices, sizes = _weight_matrices(op, weights)
    figure = _figure(op, figsize, dpi)
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    widest = max(sizes)
    place = [[(k, ((n - 1) / 2 - i) / max(widest - 1, 1)) for i in range(n)] for k, n in enumerate(sizes)]
    largest = max(abs(w) for m in matrices for row in m for w in row) or 1
    thin = min(1.0, 8 / widest)                                  # many nodes, finer lines
    lines, colours, widths = [], [], []
    for k, m in enumerate(matrices):
        for i, row in enumerate(m):
            for j, w in enumerate(row):
                strength = abs(w) / largest
                lines.append([place[k][i], place[k + 1][j]])
                colours.append(("tab:blue" if w > 0 else "tab:red", 0.25 + 0.75 * strength))
                widths.append((0.3 + 2.7 * strength) * thin)
    ax = figure.add_subplot()
    ax.add_collection(LineCollection(lines, colors=colours, linewidths=widths, zorder=1))
    for k, column in enumerate(place):
        ax.scatter([p[0] for p in column], [p[1] for p in column], s=min(200, 2000 / widest),
                   color="white", edgecolors="black", linewidths=0.8, zorder=2)
        name = "input" if k == 0 else "output" if k == len(sizes) - 1 else "hidden"
        if len(sizes) > 3 and 0 < k < len(sizes) - 1:
            name += f" {k}"
        ax.text(k, -0.62, f"{name}\n({sizes[k]})", ha="center", va="top", fontsize="small")
    signs = [Line2D([], [], color="tab:blue", label="w > 0"), Line2D([], [], color="tab:red", label="w < 0")]
    ax.legend(handles=signs, loc="upper right", fontsize="x-small", frameon=False)
    ax.set(xlim=(-0.4, len(sizes) - 0.6), ylim=(-0.85, 0.6), title="network " + "-".join(map(str, sizes)))
    ax.axis("off")
    return _save(op, figure, path)
