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

With matplotlib installed (``pip install "refnn[plot]"``), the ``*_figure``
functions return a matplotlib Figure (800 × 600 pixels by default; ``figsize``,
``dpi`` and ``title`` are arguments) and write it only when given a ``path``:
:func:`regions_figure`, :func:`loss_figure`, :func:`network_figure` (the
seed's diagram, a wide layer as a few neurons and an ellipsis),
:func:`neuron_figure` (the M-P neuron), :func:`activations_figure` (σ, tanh,
ReLU and their slopes), :func:`error_surface_figure` (gradient descent on
E(w₁, w₂)), :func:`perceptron_figure` and :func:`perceptron_animation` (its
line, epoch by epoch or update by update; a GIF), :func:`hidden_layer_figure`
and :func:`grid_sample_figure`; :func:`png` gives a figure's PNG bytes, what
a notebook shows.  ``docs/figures/make_figures.py`` draws the book's figures
with them.  (The autograd graph's figure is to come with
refnn.autograd.)  :func:`save_regions`, :func:`save_loss_curve` and
:func:`save_network` write the smaller pictures of before (400 × 300) to a
file and return its path.  Their examples run where matplotlib is installed
and are skipped elsewhere.  They import matplotlib when called, never when this module is
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
    "regions_figure", "loss_figure", "network_figure", "neuron_figure", "activations_figure",
    "error_surface_figure", "perceptron_figure", "perceptron_animation", "hidden_layer_figure",
    "grid_sample_figure", "graph_figure", "png",
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
        v = v[0]                                       # a one-column matrix, like the classic program's y
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
_BIG = (8, 6)               # inches: 800 × 600 pixels at 100 dpi, big enough to project
_NO_STAMP = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def _suffixes(formats):
    return formats[0] if len(formats) == 1 else ", ".join(formats[:-1]) + " or " + formats[-1]


def _output(op, path, figsize, dpi, formats=_FORMATS):
    """Check the path (None: no file; else its suffix names the format) and the size, before drawing."""
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"{op}: path must be a str or a path, got {type(path).__name__}")
        if os.path.splitext(os.fspath(path))[1].lower() not in formats:
            raise ValueError(f"{op}: path must end in {_suffixes(formats)}, got {os.fspath(path)!r}")
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


def _file(op, path):
    """A save_* function's path: one must be given."""
    if path is None:
        raise TypeError(f"{op}: path must be a str or a path, got NoneType")


def _text(op, name, value):
    """A title or a name: a str, or None for none."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{op}: {name} must be a str or None, got {type(value).__name__}")
    return value


def _names(op, name, names, n):
    """None, or one name (a str) for each of n things: a legend's words."""
    if names is None:
        return None
    if not _is_sequence(names) or len(names) != n or not all(isinstance(s, str) for s in names):
        raise ValueError(f"{op}: {name} must be a list of {n} str, one for each, "
                         f"got {reprlib.repr(names):.60}")
    return list(names)


def _real(op, name, value, positive=False):
    """A real number of at most 1e150 (positive if asked): larger ones would overflow an axis or a step."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__}")
    if not abs(value) <= 1e150 or (positive and value <= 0):                # NaN fails the first test
        raise ValueError(f"{op}: {name} must be a finite{' positive' if positive else ''} number "
                         f"of at most 1e150, got {value!r:.20}")
    return value


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


def _write(op, path, data):
    try:
        with open(path, "wb") as file:
            file.write(data)
    except OSError as err:
        raise OSError(f"{op}: cannot write {path!r}: {err.strerror or err}") from err
    return path


def _image_bytes(figure, fmt):
    """The figure rendered in a format, without the date and version stamps that would change its bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata=_NO_STAMP[fmt])
    return buffer.getvalue()


def _save(op, figure, path):
    """Render the figure in the format of the path's suffix, then write it; an OSError names the path."""
    path = os.fspath(path)
    return _write(op, path, _image_bytes(figure, os.path.splitext(path)[1][1:].lower()))


def _finish(op, figure, path, title):
    """Title the figure, write it when given a path, and return it."""
    if title:
        figure.suptitle(title)
    if path is not None:
        _save(op, figure, path)
    return figure


def _class_colours(k):
    """Colours of k classes from matplotlib's tab10 palette."""
    from matplotlib import colormaps
    return [colormaps["tab10"](i) for i in range(k)]


def png(draw, *args, **kwargs):
    """The PNG bytes of the figure ``draw(*args, **kwargs)`` returns; None when matplotlib is missing.

    What a notebook asks an object for (``_repr_png_``): a
    :class:`refnn.perceptron.Perceptron` and a :class:`refnn.mlp.Training`
    answer with it, and without matplotlib they answer None, so that the
    notebook prints their repr instead.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> data = png(loss_figure, [1.0, 0.5, 0.25], figsize=(4, 3))
    >>> data[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> png("loss_figure")
    Traceback (most recent call last):
        ...
    TypeError: png: draw must be a function that returns a figure, got str
    """
    if not callable(draw):
        raise TypeError(f"png: draw must be a function that returns a figure, got {type(draw).__name__}")
    try:
        figure = draw(*args, **kwargs)
    except MatplotlibMissingError:
        return None
    except (TypeError, ValueError) as err:              # named by png too, the function the caller called
        raise type(err)(f"png: {err}") from None
    if not hasattr(figure, "savefig"):
        raise TypeError(f"png: draw must return a figure, got {type(figure).__name__}")
    return _image_bytes(figure, "png")


# --- decision regions, with matplotlib -------------------------------------

def _regions(op, predict, X, y, resolution, xlim, ylim, class_names, title, figsize, dpi, path,
             axis_names=None):
    _output(op, path, figsize, dpi)
    _grid_size(op, resolution=resolution)
    _text(op, "title", title)
    (x0, x1, y0, y1), grid, labels, classes = _grid_labels(op, predict, X, y, resolution, resolution,
                                                           xlim, ylim)
    names = _names(op, "class_names", class_names, len(classes)) or [f"class {c}" for c in classes]
    x_name, y_name = _names(op, "axis_names", axis_names, 2) or ["$x_1$", "$x_2$"]
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
                       marker="o^sDvP*Xhp"[k], edgecolors="black", linewidths=0.5, label=names[k])
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=x_name, ylabel=y_name)
    ax.legend(loc="best", fontsize="small")
    return _finish(op, figure, path, title)


def regions_figure(predict, X, y, resolution=100, xlim=None, ylim=None, class_names=None, axis_names=None,
                   title="decision regions", figsize=_BIG, dpi=100, path=None):
    """The decision regions of a 2-D classifier, with the labelled points on top, as a matplotlib Figure.

    The picture of :func:`regions`, finer: ``predict`` is asked once for a
    ``resolution`` × ``resolution`` grid.  ``class_names`` names the classes
    in the legend, in the order of their sorted labels (``"setosa"``, not
    ``"class 0"``), and ``axis_names`` the two axes (x₁ and x₂ by default);
    the figure is ``figsize`` inches at ``dpi`` dots per inch (800 × 600
    pixels by default), and is written to ``path`` (PNG,
    SVG or PDF, by its suffix) when one is given.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> from refnn.datasets import logic_gate
    >>> X, y = logic_gate("and")
    >>> line = lambda points: [1 if a + b > 1.5 else 0 for a, b in points]
    >>> fig = regions_figure(line, X, y, resolution=20, class_names=["false", "true"], title="AND")
    >>> fig.get_suptitle(), [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ('AND', ['false', 'true'])
    >>> regions_figure(line, X, y, class_names=["setosa"])
    Traceback (most recent call last):
        ...
    ValueError: regions_figure: class_names must be a list of 2 str, one for each, got ['setosa']
    """
    return _regions("regions_figure", predict, X, y, resolution, xlim, ylim, class_names, title,
                    figsize, dpi, path, axis_names)


def save_regions(path, predict, X, y, resolution=100, xlim=None, ylim=None, figsize=(4, 3), dpi=100):
    """Draw the decision regions of a 2-D classifier, with the labelled points, into a PNG (SVG, PDF) file.

    :func:`regions_figure` written to ``path``, 400 × 300 pixels by default
    (``figsize`` inches at ``dpi`` dots per inch).  Returns the path.

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
    _file(op, path)
    _output(op, path, figsize, dpi)
    _regions(op, predict, X, y, resolution, xlim, ylim, None, "decision regions", figsize, dpi, path)
    return os.fspath(path)


# --- loss curves -----------------------------------------------------------

def _loss(op, curves, yscale, labels, title, figsize, dpi, path):
    if yscale not in ("linear", "log"):
        raise ValueError(f"{op}: yscale must be 'linear' or 'log', got {yscale!r:.20}")
    if yscale == "log" and min(min(c) for c in curves) <= 0:
        raise ValueError(f"{op}: a log axis needs losses above 0, got {min(min(c) for c in curves)!r}")
    labels = _names(op, "labels", labels, len(curves))
    _text(op, "title", title)
    _output(op, path, figsize, dpi)
    figure = _figure(op, figsize, dpi)
    ax = figure.add_subplot()
    for k, curve in enumerate(curves):
        ax.plot(range(len(curve)), curve, linewidth=1.5, label=labels[k] if labels else None)
    ax.set(yscale=yscale, xlabel="epoch", ylabel="loss")
    ax.grid(alpha=0.3)
    if labels:
        ax.legend()
    return _finish(op, figure, path, title)


def loss_figure(history, yscale="linear", labels=None, title="loss", figsize=_BIG, dpi=100, path=None):
    """A training's loss, epoch by epoch, as a matplotlib Figure; several trainings' losses side by side.

    ``history[i]`` is the loss of epoch i (what ``refnn.mlp.train`` returns
    as ``history``); a list of histories of the same length draws one line
    each, named by ``labels``.  ``yscale="log"`` shows the late epochs'
    small losses.  Written to ``path`` when one is given.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> fig = loss_figure([[0.5, 0.3, 0.2], [0.5, 0.1, 0.01]], labels=["E", "cross-entropy"], yscale="log")
    >>> len(fig.axes[0].get_lines()), fig.axes[0].get_yscale()
    (2, 'log')
    >>> loss_figure([1.0, 0.0], yscale="log")
    Traceback (most recent call last):
        ...
    ValueError: loss_figure: a log axis needs losses above 0, got 0.0
    """
    op = "loss_figure"
    dims = _vector_or_matrix(op, history)
    _check_finite(op, "history", history)
    _drawable(op, "history", [v for c in ([history] if len(dims) == 1 else history) for v in c])
    curves = [history] if len(dims) == 1 else history
    return _loss(op, curves, yscale, labels, title, figsize, dpi, path)


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
    _file(op, path)
    _history(op, history)
    _loss(op, [history], yscale, None, "loss", figsize, dpi, path)
    return os.fspath(path)


# --- a network, the M-P neuron -----------------------------------------------

def _weight_matrices(op, weights):
    """A network's weights as matrices (n_in, n_out) that chain: refnn.mlp's list, or a model's layers.

    A model is a Module (its ``modules()``, in the order they were
    registered) or anything that iterates over its layers (an
    ``nn.Sequential``); every layer with a ``weight`` counts, its weight
    being (out, in) as in PyTorch's ``Linear``, so it is transposed.
    """
    if _is_sequence(weights):
        matrices = list(weights)
    else:
        try:
            layers = weights.modules() if callable(getattr(weights, "modules", None)) else weights
            layers = [layer for layer in layers if hasattr(layer, "weight")]
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


def _shown(n, most):
    """The neurons drawn of a layer of n: all of them, or the first and last few around an ellipsis (None)."""
    if n <= most:
        return list(range(n))
    head = (most - 1) // 2
    return list(range(head)) + [None] + list(range(n - (most - 1 - head), n))


def _node_values(op, x, matrices, sizes):
    """The sample x and its weighted sums x · weight (no activation), as the seed's layer0."""
    if len(matrices) != 1:
        raise ValueError(f"{op}: x is drawn for a network of one weight matrix, got {len(matrices)}")
    if _vector(f"{op}: x", x) != (sizes[0],):
        raise ValueError(f"{op}: x must hold one number per input ({sizes[0]}), got shape {(len(x),)}")
    _check_finite(op, "x", x)
    _drawable(op, "x", x)
    sums = [sum(xi * row[j] for xi, row in zip(x, matrices[0])) for j in range(sizes[1])]
    return [list(x), sums]


def _network(op, weights, x, max_neurons, title, figsize, dpi, path):
    _output(op, path, figsize, dpi)
    _text(op, "title", title)
    if _size(op, "max_neurons", max_neurons) < 3:
        raise ValueError(f"{op}: max_neurons must be at least 3 (two neurons and the ellipsis), "
                         f"got {max_neurons}")
    matrices, sizes = _weight_matrices(op, weights)
    values = None if x is None else _node_values(op, x, matrices, sizes)
    figure = _figure(op, figsize, dpi)
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    drawn = [_shown(n, max_neurons) for n in sizes]
    tallest = max(len(d) for d in drawn)
    place = [{i: (k, ((len(d) - 1) / 2 - s) / max(tallest - 1, 1)) for s, i in enumerate(d)}
             for k, d in enumerate(drawn)]
    largest = max(abs(w) for m in matrices for row in m for w in row) or 1
    edges = [(k, i, j) for k, m in enumerate(matrices) for i in drawn[k] if i is not None
             for j in drawn[k + 1] if j is not None]
    thin = min(1.0, 8 / tallest)                                  # many nodes, finer lines
    lines, colours, widths = [], [], []
    for k, i, j in edges:
        strength = abs(matrices[k][i][j]) / largest
        lines.append([place[k][i], place[k + 1][j]])
        colours.append(("tab:blue" if matrices[k][i][j] >= 0 else "tab:red", 0.25 + 0.75 * strength))
        widths.append((0.5 + 3.5 * strength) * thin)
    ax = figure.add_subplot()
    ax.add_collection(LineCollection(lines, colors=colours, linewidths=widths, zorder=1))
    if len(edges) <= 30:                                          # few enough to read: each weight written on
        for k, i, j in edges:
            (xa, ya), (xb, yb) = place[k][i], place[k + 1][j]
            ax.text(xa + 0.3 * (xb - xa), ya + 0.3 * (yb - ya), format(matrices[k][i][j], ".3g"),
                    ha="center", va="center", fontsize="medium", zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    size = min(1600, 6000 / tallest) if values else min(600, 3000 / tallest)
    for k, d in enumerate(drawn):
        shown = [i for i in d if i is not None]
        ax.scatter([place[k][i][0] for i in shown], [place[k][i][1] for i in shown], s=size,
                   color="white", edgecolors="black", linewidths=1, zorder=2)
        if None in d:
            ax.text(*place[k][None], "⋮", ha="center", va="center", fontsize="xx-large", zorder=2)
        for i in shown if values else ():
            ax.text(*place[k][i], format(values[k][i], ".4g"), ha="center", va="center", zorder=4)
        name = "input" if k == 0 else "output" if k == len(sizes) - 1 else "hidden"
        if len(sizes) > 3 and 0 < k < len(sizes) - 1:
            name += f" {k}"
        ax.text(k, -0.68, f"{name}\n({sizes[k]})", ha="center", va="top", fontsize="medium")
    signs = [Line2D([], [], color="tab:blue", label="w ≥ 0"), Line2D([], [], color="tab:red", label="w < 0")]
    ax.legend(handles=signs, loc="upper right", fontsize="small", frameon=False)
    ax.set(xlim=(-0.4, len(sizes) - 0.6), ylim=(-0.9, 0.65))
    ax.axis("off")
    return _finish(op, figure, path, title if title is not None else "network " + "-".join(map(str, sizes)))


def network_figure(weights, x=None, max_neurons=9, title=None, figsize=_BIG, dpi=100, path=None):
    """A network's layers, input to output, with a line for every weight, as a matplotlib Figure.

    The picture the seed opens with: a column of nodes per layer, and from
    each node of one layer a line to each node of the next, blue for a
    positive weight and red for a negative one, the thicker the larger.
    When there are at most 30 lines, each carries its weight.  A layer of
    more than ``max_neurons`` neurons is drawn as its first and last few
    around an ellipsis.  ``weights`` is a list of matrices ``(n_in, n_out)``
    as ``refnn.mlp`` keeps them, or a model that iterates over its layers
    (an ``nn.Sequential``, whose weights are ``(out, in)``).  ``x``, one
    sample, is written into the input nodes, and its weighted sums
    ``x · weight`` into the next layer's (for one weight matrix).  A Module
    whose layers are not a chain of (out, in) weights (a Conv2d's, a
    BatchNorm1d's) is refused with a ValueError.

    The seed's first sample and weights, ``1*2 + 1*3 + (-1)*0 = 5``:

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> weight = [[2, -1], [3, -2], [0, 1]]
    >>> fig = network_figure([weight], x=[1, 1, -1])
    >>> fig.get_suptitle()
    'network 3-2'
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_text().lstrip("-").isdigit())
    ['-1', '-1', '-2', '-4', '0', '1', '1', '1', '2', '3', '5']

    A layer of 64 neurons shows 4, an ellipsis, and 4:

    >>> from refnn.mlp import init_weights
    >>> fig = network_figure(init_weights([2, 64, 1], seed=0))
    >>> [t.get_text() for t in fig.axes[0].texts].count("⋮")
    1
    >>> network_figure([[[1, 2]], [[1, 2]]])
    Traceback (most recent call last):
        ...
    ValueError: network_figure: weights[0] (1, 2) gives 2 outputs but weights[1] (1, 2) takes 1 inputs
    """
    return _network("network_figure", weights, x, max_neurons, title, figsize, dpi, path)


def save_network(path, weights, figsize=(4, 3), dpi=100):
    """Draw a network's layers, input to output, with a line for every weight, into a PNG (SVG, PDF) file.

    :func:`network_figure` written to ``path``, 400 × 300 pixels by default.
    ``weights`` is a list of matrices ``(n_in, n_out)`` as ``refnn.mlp``
    keeps them (row i holds the weights out of input i), or a model that
    iterates over its layers, whose ``weight`` matrices are ``(out, in)`` as
    in PyTorch's ``nn.Linear`` (a PyTorch ``nn.Sequential`` works too).
    Returns the path.

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
    _file(op, path)
    _output(op, path, figsize, dpi)
    _network(op, weights, None, 9, None, figsize, dpi, path)
    return os.fspath(path)


def neuron_figure(weights=(1, 1), theta=2, x=None, title="the M-P neuron", figsize=_BIG, dpi=100, path=None):
    """The McCulloch–Pitts neuron y = f(Σ wᵢxᵢ − θ) as a diagram: inputs, weights, Σ, θ and f.

    The seed's picture: inputs ``x_i`` on the left, each line carrying its
    weight ``w_i`` into the big circle that adds them up (Σ) and subtracts
    the threshold θ, then the threshold function f (the step) and the
    output y.  With ``x`` the numbers are written in: the sum, and y.  The
    default is AND: weights 1, 1 and θ = 2.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> fig = neuron_figure(x=[1, 1])
    >>> texts = [t.get_text() for t in fig.axes[0].texts]
    >>> "Σ" in texts, "θ = 2" in texts, "y = f(2 − 2) = 1" in texts
    (True, True, True)
    >>> neuron_figure(weights=[1, 1], x=[1])
    Traceback (most recent call last):
        ...
    ValueError: neuron_figure: x must hold one number per weight (2), got shape (1,)
    """
    op = "neuron_figure"
    _output(op, path, figsize, dpi)
    _text(op, "title", title)
    n = _vector(op, weights)[0]
    _check_finite(op, "weights", weights)
    _drawable(op, "weights", weights)
    _real(op, "theta", theta)
    if n > 8:
        raise ValueError(f"{op}: at most 8 inputs can be drawn, got {n}")
    if x is not None:
        if _vector(f"{op}: x", x) != (n,):
            raise ValueError(f"{op}: x must hold one number per weight ({n}), got shape {(len(x),)}")
        _check_finite(op, "x", x)
        _drawable(op, "x", x)
    figure = _figure(op, figsize, dpi)
    from matplotlib.patches import Circle, FancyArrowPatch, Rectangle
    from refnn.activations import step
    ax = figure.add_subplot()
    ys = [(n - 1) / 2 - i for i in range(n)]
    arrow = {"arrowstyle": "-|>", "mutation_scale": 18, "color": "black", "linewidth": 1.3}
    for i, yi in enumerate(ys):
        ax.add_patch(Circle((0, yi), 0.3, facecolor="white", edgecolor="black"))
        name = f"$x_{{{i + 1}}}$" if x is None else f"$x_{{{i + 1}}}$={format(x[i], '.3g')}"
        ax.text(-0.45, yi, name, ha="right", va="center", fontsize="large")
        reach = 0.9 / math.hypot(3, yi)                     # the arrow ends on the big circle's rim
        ax.add_patch(FancyArrowPatch((0.3, yi), (3 - 3 * reach, yi - yi * reach), **arrow))
        ax.text(1.2, yi * (1 - 1.2 / 3) + 0.18, f"$w_{{{i + 1}}}$ = {format(weights[i], '.3g')}",
                ha="center", va="bottom", fontsize="large", color="tab:blue")
    ax.add_patch(Circle((3, 0), 0.9, facecolor="#eef3fb", edgecolor="black", linewidth=1.5))
    ax.text(3, 0.1, "Σ", ha="center", va="center", fontsize=30)
    ax.text(3, -1.25, f"θ = {format(theta, '.3g')}", ha="center", va="center", fontsize="large",
            color="tab:red")
    ax.add_patch(FancyArrowPatch((3, -1.05), (3, -0.9), **arrow))
    ax.add_patch(FancyArrowPatch((3.9, 0), (4.8, 0), **arrow))
    ax.add_patch(Rectangle((4.8, -0.45), 0.9, 0.9, facecolor="white", edgecolor="black", linewidth=1.3))
    ax.text(5.25, 0, "f", ha="center", va="center", fontsize=22, style="italic")
    ax.add_patch(FancyArrowPatch((5.7, 0), (6.6, 0), **arrow))
    if x is None:
        ax.text(6.7, 0, "y", ha="left", va="center", fontsize="x-large")
        ax.text(3.3, -2.1, r"$y = f\,(\sum_i w_i x_i - \theta)$", ha="center", fontsize="x-large")
    else:
        total = sum(w * v for w, v in zip(weights, x))
        ax.text(6.7, 0, f"y = {step(total - theta)}", ha="left", va="center", fontsize="x-large")
        ax.text(3.3, -2.1, f"y = f({format(total, '.4g')} − {format(theta, '.4g')}) = {step(total - theta)}",
                ha="center", fontsize="x-large")
    top = max(ys[0], 1.2)
    ax.set(xlim=(-1.8, 8), ylim=(-2.5, top + 0.6), aspect="equal")
    ax.axis("off")
    return _finish(op, figure, path, title)


# --- activations, the error surface -------------------------------------------

def activations_figure(xlim=(-5, 5), title="σ, tanh and ReLU, with their slopes", figsize=(12, 4), dpi=100,
                       path=None):
    """σ, tanh and ReLU (solid) and their derivatives (dashed), side by side, from refnn.activations.

    Where a curve is flat its slope is near 0, and a gradient that passes
    through it fades: σ′ is at most 0.25 (at 0), tanh′ at most 1, and ReLU′
    is 1 for every positive input and 0 for every negative one.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> fig = activations_figure()
    >>> [ax.get_title() for ax in fig.axes]
    ['σ(z) = 1 / (1 + e^−z)', 'tanh(z)', 'ReLU(z) = max(0, z)']
    >>> [[line.get_label() for line in ax.get_lines()[:2]] for ax in fig.axes][0]
    ['σ(z)', 'σ′(z) = σ(z)(1 − σ(z))']
    >>> float(max(fig.axes[0].get_lines()[1].get_ydata()))       # σ′(0) = σ(0)·(1 − σ(0))
    0.25
    """
    op = "activations_figure"
    z0, z1 = _limits(op, "xlim", _pair(op, "xlim", xlim), None)
    _text(op, "title", title)
    _output(op, path, figsize, dpi)
    figure = _figure(op, figsize, dpi)
    from refnn.activations import relu, relu_prime, sigmoid, sigmoid_prime, tanh, tanh_prime
    zs = [z0 + (z1 - z0) * i / 400 for i in range(401)]
    panels = [("σ(z) = 1 / (1 + e^−z)", sigmoid, sigmoid_prime, "σ′(z) = σ(z)(1 − σ(z))"),
              ("tanh(z)", tanh, tanh_prime, "tanh′(z) = 1 − tanh²(z)"),
              ("ReLU(z) = max(0, z)", relu, relu_prime, "ReLU′(z) = 1 if z > 0 else 0")]
    for k, (name, f, slope, slope_name) in enumerate(panels):
        ax = figure.add_subplot(1, 3, k + 1)
        ax.plot(zs, [f(z) for z in zs], color="tab:blue", linewidth=2, label=name.split(" =")[0])
        ax.plot(zs, [slope(z) for z in zs], color="tab:orange", linewidth=2, linestyle="--", label=slope_name)
        ax.axhline(0, color="grey", linewidth=0.6)
        ax.axvline(0, color="grey", linewidth=0.6)
        ax.set(title=name, xlabel="z", xlim=(z0, z1))
        ax.legend(loc="upper left", fontsize="small")
        ax.grid(alpha=0.3)
    return _finish(op, figure, path, title)


def _pair(op, name, value):
    if not _is_sequence(value) or len(value) != 2:
        raise TypeError(f"{op}: {name} must be a pair of numbers, got {reprlib.repr(value):.40}")
    return [_real(op, name, v) for v in value]


def _train_step(op, X, y, weights, lr, biases=None):
    """One epoch of refnn.mlp.train; its refusal (an overflow) is named by the figure that asked."""
    from refnn.mlp import train
    try:
        return train(X, y, weights, epochs=1, lr=lr, biases=biases)
    except ValueError as err:
        raise ValueError(f"{op}: {err}") from None


def error_surface_figure(X, y, start=(-3, 3), lr=2, epochs=60, wlim=(-6, 6), resolution=60,
                         title="the error surface E(w₁, w₂) and gradient descent on it",
                         figsize=_BIG, dpi=100, path=None):
    """E(w₁, w₂) = ½ Σ (y − σ(x₁w₁ + x₂w₂))² as contours, and the path of gradient descent from ``start``.

    A network of two weights (two inputs, one sigmoid neuron, no bias) has
    an error for every pair of weights: a surface over the plane, drawn as
    contour lines.  Gradient descent (``refnn.mlp.train``, one epoch at a
    time, ``lr`` its step) walks downhill across them, at right angles to
    the contours, in big steps where the surface is steep and small ones
    where it is flat.  ``X`` holds 2-D samples, ``y`` their targets (one
    column, in [0, 1]).

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> X, y = [[1, 0], [0, 1], [1, 1]], [[0.8], [0.2], [0.5]]
    >>> fig = error_surface_figure(X, y, epochs=20, resolution=30)
    >>> path = fig.axes[0].get_lines()[0]
    >>> len(path.get_xdata())                      # the start and 20 steps
    21
    >>> [float(v) for v in (path.get_xdata()[0], path.get_ydata()[0])]
    [-3.0, 3.0]
    >>> error_surface_figure(X, [[0.8], [0.2]])
    Traceback (most recent call last):
        ...
    ValueError: error_surface_figure: y must hold one target per sample (3 × 1), got (2, 1)
    """
    op = "error_surface_figure"
    n, d = _matrix(op, X)
    if d != 2:
        raise ValueError(f"{op}: X must hold samples of two inputs (n × 2), got {(n, d)}")
    if _matrix(op, y) != (n, 1):
        raise ValueError(f"{op}: y must hold one target per sample ({n} × 1), got {(len(y), len(y[0]))}")
    _check_finite(op, "X", X), _check_finite(op, "y", y)
    _drawable(op, "X", [v for row in X for v in row])
    if not all(0 <= t <= 1 for (t,) in y):
        raise ValueError(f"{op}: y must hold targets in [0, 1], the sigmoid's range")
    w = _pair(op, "start", start)
    _real(op, "lr", lr, positive=True)
    _size(op, "epochs", epochs)
    w0, w1 = _limits(op, "wlim", _pair(op, "wlim", wlim), None)
    _grid_size(op, resolution=resolution)
    _count(op, f"a grid of {resolution} x {resolution} weights", resolution * resolution * max(n, epochs))
    _text(op, "title", title)
    _output(op, path, figsize, dpi)
    from refnn.mlp import forward, squared_error
    ws = [w0 + (w1 - w0) * i / (resolution - 1) for i in range(resolution)]
    surface = [[squared_error(y, forward([[[a], [b]]], X)[-1]) for a in ws] for b in ws]
    steps = [list(w)]
    for _ in range(epochs):
        trained = _train_step(op, X, y, [[[steps[-1][0]], [steps[-1][1]]]], lr).weights[0]
        steps.append([trained[0][0], trained[1][0]])
    figure = _figure(op, figsize, dpi)
    ax = figure.add_subplot()
    filled = ax.contourf(ws, ws, surface, levels=20, cmap="viridis")
    ax.contour(ws, ws, surface, levels=20, colors="white", linewidths=0.4, alpha=0.6)
    figure.colorbar(filled, ax=ax, label="E")
    ax.plot([s[0] for s in steps], [s[1] for s in steps], "o-", color="tab:red", markersize=3,
            linewidth=1.3, label=f"gradient descent, lr = {lr}, {epochs} steps")
    ax.annotate("start", steps[0], textcoords="offset points", xytext=(6, 6), color="white")
    ax.annotate(f"after {epochs}", steps[-1], textcoords="offset points", xytext=(6, -12), color="white")
    ax.set(xlabel="$w_1$", ylabel="$w_2$", xlim=(w0, w1), ylim=(w0, w1))
    ax.legend(loc="upper right", fontsize="small")
    return _finish(op, figure, path, title)


# --- the perceptron's line -----------------------------------------------------

def _fitted(op, X, y, lr, max_epochs):
    """A Perceptron fitted to X, y, its warning of no convergence kept quiet (the picture shows it)."""
    import warnings
    from refnn.perceptron import Perceptron
    n, d = _matrix(op, X)
    if d != 2:
        raise ValueError(f"{op}: X must hold 2-D points (n × 2), got shape {(n, d)}")
    _drawable(op, "X", [v for p in X for v in p]) if all(_is_sequence(p) for p in X) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Perceptron(lr=lr, max_epochs=max_epochs).fit(X, y)
        except (TypeError, ValueError) as err:
            raise type(err)(f"{op}: {err}") from None


def _updates(X, y, lr, epochs):
    """(epoch, weights, bias) before the first update and after each one.

    Perceptron.fit's rule (``w += lr·y·x``, ``b += lr·y`` on a point on the
    wrong side or on the line), replayed to show the line between the ends
    of the epochs that ``Perceptron.history`` holds; tests/test_plot.py
    checks that the two agree at every epoch's end.
    """
    w, b, states = [0, 0], 0, [(0, [0, 0], 0)]
    for epoch in range(1, epochs + 1):
        for x, t in zip(X, y):
            if t * (w[0] * x[0] + w[1] * x[1] + b) <= 0:
                w, b = [w[0] + lr * t * x[0], w[1] + lr * t * x[1]], b + lr * t
                states.append((epoch, w, b))
    return states


def _line(ax, w, b, box, **style):
    """Draw w₁x₁ + w₂x₂ + b = 0 across the box (x0, x1, y0, y1); nothing when w = 0 (no line)."""
    x0, x1, y0, y1 = box
    if w[0] == 0 and w[1] == 0:
        return None
    if abs(w[1]) >= abs(w[0]):
        points = [(x, -(w[0] * x + b) / w[1]) for x in (x0, x1)]
    else:
        points = [(-(w[1] * v + b) / w[0], v) for v in (y0, y1)]
    return ax.plot([p[0] for p in points], [p[1] for p in points], **style)[0]


def _perceptron_axes(ax, X, y, box):
    for label, colour, marker in ((-1, "tab:red", "o"), (1, "tab:blue", "s")):
        points = [p for p, t in zip(X, y) if t == label]
        ax.scatter([p[0] for p in points], [p[1] for p in points], s=120, color=colour, marker=marker,
                   edgecolors="black", zorder=3, label=f"y = {label:+d}")
    ax.set(xlim=box[:2], ylim=box[2:], xlabel="$x_1$", ylabel="$x_2$", aspect="equal")


def perceptron_figure(X, y, lr=1, max_epochs=10, steps="epoch", title=None, figsize=_BIG, dpi=100, path=None):
    """The perceptron's line w₁x₁ + w₂x₂ + b = 0 after every epoch (or every update), over the 2-D data.

    A :class:`refnn.perceptron.Perceptron` learns from ``X`` and its ±1
    labels ``y``; its ``history`` gives the line after each epoch, drawn
    from light (early) to dark (late), the last one in black.  On AND the
    lines settle on one that separates the classes.  On XOR each epoch ends
    where it began (``w = 0``, no line at all), so ``steps="update"`` draws
    the line after every single update instead: it swings to and fro and
    never settles.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> fig = perceptron_figure(X, [-1, -1, -1, 1], max_epochs=20)
    >>> fig.get_suptitle()
    'the perceptron on 4 points: converged after 9 epochs'
    >>> len(fig.axes[0].get_lines())               # 9 epochs, each with a line
    9
    >>> fig = perceptron_figure(X, [-1, 1, 1, -1], max_epochs=3, steps="update")
    >>> fig.get_suptitle(), len(fig.axes[0].get_lines())      # 12 updates, half of them back to w = 0
    ('the perceptron on 4 points: not converged in 3 epochs', 6)
    >>> perceptron_figure(X, [-1, 1, 1, -1], steps="sample")
    Traceback (most recent call last):
        ...
    ValueError: perceptron_figure: steps must be 'epoch' or 'update', got 'sample'
    """
    op = "perceptron_figure"
    if steps not in ("epoch", "update"):
        raise ValueError(f"{op}: steps must be 'epoch' or 'update', got {steps!r:.20}")
    _text(op, "title", title)
    _output(op, path, figsize, dpi)
    p = _fitted(op, X, y, lr, max_epochs)
    if steps == "epoch":
        states = [(e + 1, w, b) for e, (w, b) in enumerate(p.history)]
    else:
        states = _updates(X, y, p.lr, len(p.history))[1:]
    box = (*_limits(op, "X", None, [q[0] for q in X]), *_limits(op, "X", None, [q[1] for q in X]))
    figure = _figure(op, figsize, dpi)
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    ax = figure.add_subplot()
    epochs = len(p.history)
    colours = ScalarMappable(Normalize(1 - 0.4 * epochs, epochs), colormaps["Greys"])   # epoch 1 light grey
    for k, (epoch, w, b) in enumerate(states):
        last = k == len(states) - 1
        _line(ax, w, b, box, color="black" if last else colours.to_rgba(epoch),
              linewidth=2.5 if last else 1.2)
    _perceptron_axes(ax, X, y, box)
    figure.colorbar(colours, ax=ax, label="epoch", shrink=0.8)
    ax.legend(loc="upper left", fontsize="small")
    state = f"converged after {epochs} epochs" if p.converged else f"not converged in {epochs} epochs"
    title = title if title is not None else f"the perceptron on {len(X)} points: {state}"
    return _finish(op, figure, path, title)


def perceptron_animation(X, y, lr=1, max_epochs=10, fps=2, figsize=(6, 4.5), dpi=80, path=None):
    """The perceptron learning, one frame per update: a matplotlib animation, and a GIF when given a path.

    Each frame shows the data and the line after one more update of the
    rule ``w += lr·y·x``, ``b += lr·y``, with the epoch, the point that was
    wrong, w and b in its title; ``fps`` frames a second.  In a notebook,
    ``perceptron_animation(X, y).to_jshtml()`` plays it.

    >>> import os, pytest, tempfile
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> path = os.path.join(tempfile.mkdtemp(), "and.gif")
    >>> animation = perceptron_animation(X, [-1, 1, 1, -1], max_epochs=1, dpi=40, path=path)
    >>> animation._save_count, os.path.getsize(path) > 0        # XOR: the start and 4 updates
    (5, True)
    >>> perceptron_animation(X, [-1, -1, -1, 1], path="and.png")
    Traceback (most recent call last):
        ...
    ValueError: perceptron_animation: path must end in .gif, got 'and.png'
    """
    op = "perceptron_animation"
    _output(op, path, figsize, dpi, formats=(".gif",))
    if _real(op, "fps", fps, positive=True) > 100:
        raise ValueError(f"{op}: fps must be at most 100, got {fps!r}")
    p = _fitted(op, X, y, lr, max_epochs)
    states = _updates(X, y, p.lr, len(p.history))
    box = (*_limits(op, "X", None, [q[0] for q in X]), *_limits(op, "X", None, [q[1] for q in X]))
    figure = _figure(op, figsize, dpi)
    from matplotlib.animation import FuncAnimation, PillowWriter
    ax = figure.add_subplot()
    _perceptron_axes(ax, X, y, box)
    ax.legend(loc="upper left", fontsize="small")
    drawn = []

    def frame(k):
        for line in drawn:
            line.remove()
        drawn.clear()
        epoch, w, b = states[k]
        line = _line(ax, w, b, box, color="black", linewidth=2.5)
        drawn.extend([line] if line else [])
        ax.set_title(f"epoch {epoch}, update {k}: w = [{w[0]:.3g}, {w[1]:.3g}], b = {b:.3g}")
        return drawn

    frame(len(states) - 1)
    figure.canvas.draw()                       # lay the figure out once, for the longest title,
    figure.set_layout_engine("none")           # and keep that layout: every frame is drawn faster
    if path is not None:                       # each frame drawn once (animation.save would draw it thrice)
        writer = PillowWriter(fps=fps)
        try:
            with writer.saving(figure, os.fspath(path), dpi):
                for k in range(len(states)):
                    frame(k)
                    writer.grab_frame()
        except OSError as err:
            raise OSError(f"{op}: cannot write {os.fspath(path)!r}: {err.strerror or err}") from err
    animation = FuncAnimation(figure, frame, frames=len(states), interval=1000 / fps, cache_frame_data=False)
    animation._draw_was_started = True      # drawn already (above): no warning if it is never played
    return animation


# --- the hidden layer, grid_sample ---------------------------------------------

def hidden_layer_figure(weights, biases, X, y, title="the hidden layer bends the plane", figsize=(12, 5.5),
                        dpi=100, path=None):
    """A 2-2-1 sigmoid network's inputs in the plane (left) and their images in its hidden layer (right).

    ``weights`` and ``biases`` are a trained 2-2-1 network's, as
    ``refnn.mlp.train`` returns them.  The hidden layer maps each point x
    of the plane to h = σ(x · W₁ + b₁), a point of the unit square; the
    grid lines drawn over the data's range come out bent.  On the right the output
    neuron's boundary σ(h · W₂ + b₂) = ½ is the straight line
    h · W₂ + b₂ = 0; on the left, the same boundary, pulled back through
    the bend, is a curve.  So XOR, which no line separates in the plane,
    is separated by a line in the hidden layer.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> weights = [[[6, -6], [-6, 6]], [[8], [8]]]           # h₁ ≈ x₁ and not x₂, h₂ ≈ x₂ and not x₁
    >>> biases = [[-3, -3], [-4]]
    >>> X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
    >>> fig = hidden_layer_figure(weights, biases, X, y)
    >>> [ax.get_title() for ax in fig.axes]
    ['inputs x in the plane', 'their images h = σ(x · W₁ + b₁)']
    >>> hidden_layer_figure([[[1, 2, 3], [4, 5, 6]], [[1], [2], [3]]], None, X, y)
    Traceback (most recent call last):
        ...
    ValueError: hidden_layer_figure: the network must be 2-2-1, got 2-3-1
    """
    op = "hidden_layer_figure"
    _text(op, "title", title)
    _output(op, path, figsize, dpi)
    matrices, sizes = _weight_matrices(op, weights)
    if sizes != [2, 2, 1]:
        raise ValueError(f"{op}: the network must be 2-2-1, got {'-'.join(map(str, sizes))}")
    if biases is not None:
        if not _is_sequence(biases) or len(biases) != 2 or [_vector(op, b)[0] for b in biases] != [2, 1]:
            raise ValueError(f"{op}: biases must be two vectors, of 2 and 1 numbers (or None)")
        _check_finite(op, "biases", biases)
        _drawable(op, "biases", [v for b in biases for v in b])
    _drawable(op, "weights", [v for m in matrices for row in m for v in row])
    labels = _points(op, X, y)
    from refnn.mlp import forward
    box = (*_limits(op, "X", None, [p[0] for p in X]), *_limits(op, "X", None, [p[1] for p in X]))
    figure = _figure(op, figsize, dpi)
    left, right = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    ts = [i / 40 for i in range(41)]
    (a0, a1), (b0, b1) = [(min(p[i] for p in X), max(p[i] for p in X)) for i in (0, 1)]
    for k in range(11):                      # grid lines x₁ = c and x₂ = c over the data, and their images
        c = k / 10
        for line in ([[a0 + (a1 - a0) * c, b0 + (b1 - b0) * t] for t in ts],
                     [[a0 + (a1 - a0) * t, b0 + (b1 - b0) * c] for t in ts]):
            hidden = forward(matrices, line, biases)[1]
            left.plot([p[0] for p in line], [p[1] for p in line], color="grey", linewidth=0.6)
            right.plot([h[0] for h in hidden], [h[1] for h in hidden], color="grey", linewidth=0.6)
    n = 40
    xs = [box[0] + (box[1] - box[0]) * i / (n - 1) for i in range(n)]
    ys = [box[2] + (box[3] - box[2]) * i / (n - 1) for i in range(n)]
    out = forward(matrices, [[a, b] for b in ys for a in xs], biases)[-1]
    left.contour(xs, ys, [[out[r * n + c][0] for c in range(n)] for r in range(n)], levels=[0.5],
                 colors="black", linewidths=2)
    (v1,), (v2,) = matrices[1]
    c0 = biases[1][0] if biases else 0
    _line(right, [v1, v2], c0, (0, 1, 0, 1), color="black", linewidth=2)
    images = forward(matrices, X, biases)[1]
    colours = _class_colours(len(set(labels)))
    for k, label in enumerate(sorted(set(labels))):
        for ax, points in ((left, X), (right, images)):
            chosen = [q for q, t in zip(points, labels) if t == label]
            ax.scatter([q[0] for q in chosen], [q[1] for q in chosen], s=120, color=colours[k], zorder=3,
                       edgecolors="black", marker="o^sD"[k % 4], label=f"class {label}")
    left.set(title="inputs x in the plane", xlabel="$x_1$", ylabel="$x_2$", xlim=box[:2], ylim=box[2:],
             aspect="equal")
    right.set(title="their images h = σ(x · W₁ + b₁)", xlabel="$h_1$", ylabel="$h_2$", xlim=(-0.05, 1.05),
              ylim=(-0.05, 1.05), aspect="equal")
    left.legend(loc="upper left", fontsize="small")
    return _finish(op, figure, path, title)


def grid_sample_figure(image, grid, mode="bilinear", align_corners=False, title="grid_sample",
                       figsize=(10, 5), dpi=100, path=None):
    """``refnn.sampling.grid_sample`` as a picture: the image with the grid's points, and what they read.

    Left: the input image (one channel, H × W) in the normalised square
    [−1, 1] × [−1, 1], x to the right and y down, with the sampling grid
    (H_out × W_out points (x, y)) drawn over it.  Right: the output, whose
    pixel (h, w) is the input read at grid point (h, w).

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> image = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    >>> mirror = [[[-x, y] for x in (-2/3, 0, 2/3)] for y in (-2/3, 0, 2/3)]     # x ↦ −x: left and right swap
    >>> fig = grid_sample_figure(image, mirror)
    >>> fig.axes[1].images[0].get_array().tolist()
    [[2.0, 1.0, 0.0], [5.0, 4.0, 3.0], [8.0, 7.0, 6.0]]
    >>> grid_sample_figure(image, [[0, 0]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: grid_sample: grid must have shape (N, H_out, W_out, 2), got (1, 1, 2)
    """
    op = "grid_sample_figure"
    _text(op, "title", title)
    _output(op, path, figsize, dpi)
    if not isinstance(align_corners, bool):
        raise TypeError(f"{op}: align_corners must be a bool, got {type(align_corners).__name__}")
    h, w = _matrix(op, image)
    _check_finite(op, "image", image)
    _drawable(op, "image", [v for row in image for v in row])
    from refnn.sampling import grid_sample
    out = grid_sample([[image]], [grid], mode=mode, align_corners=align_corners)
    out = (out.tolist() if hasattr(out, "tolist") else out)[0][0]
    figure = _figure(op, figsize, dpi)
    left, right = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    low, high = min(min(r) for r in image), max(max(r) for r in image)
    dx, dy = (1 / (w - 1) if w > 1 else 1, 1 / (h - 1) if h > 1 else 1) if align_corners else (0, 0)
    left.imshow(image, cmap="gray", vmin=low, vmax=high, extent=(-1 - dx, 1 + dx, 1 + dy, -1 - dy),
                interpolation="nearest")
    for row in grid:
        left.plot([q[0] for q in row], [q[1] for q in row], color="tab:red", linewidth=0.8)
    for column in zip(*grid):
        left.plot([q[0] for q in column], [q[1] for q in column], color="tab:red", linewidth=0.8)
    left.plot([q[0] for row in grid for q in row], [q[1] for row in grid for q in row], "o", color="tab:red",
              markersize=3)
    left.set(title=f"input {h}×{w} in [−1, 1]², and the grid", xlabel="x", ylabel="y")
    right.imshow(out, cmap="gray", vmin=low, vmax=high, interpolation="nearest")
    right.set(title=f"output {len(out)}×{len(out[0])}: the input read at each grid point",
              xlabel="w", ylabel="h")
    return _finish(op, figure, path, title)


# --- the autograd graph -------------------------------------------------------------

def _brief_number(v, digits):
    return format(v, f".{digits}g") if isinstance(v, numbers.Real) and not isinstance(v, bool) else str(v)


def _brief_value(value, digits):
    """A value in a box: a number, a small nested list, or a large one's shape and first numbers."""
    if not _is_sequence(value):
        return _brief_number(value, digits)
    flat, shape, level = [], [], [value]
    while level and _is_sequence(level[0]):
        shape.append(len(level[0]))
        level = [v for item in level for v in item]
    flat = level
    if len(flat) <= 4:
        return _brief_nested(value, digits)
    return f"{tuple(shape)}: " + ", ".join(_brief_number(v, digits) for v in flat[:3]) + ", …"


def _brief_nested(value, digits):
    if _is_sequence(value):
        return "[" + ", ".join(_brief_nested(v, digits) for v in value) + "]"
    return _brief_number(value, digits)


def _graph_columns(nodes):
    """Each node's column: leaves in column 0, a step two columns right of its rightmost input."""
    column = [0] * len(nodes)
    for i in range(len(nodes) - 1, -1, -1):         # nodes run from the output back: inputs come later
        inputs = nodes[i].inputs
        column[i] = 2 + max((column[j] for j in inputs), default=-2) if nodes[i].kind == "step" else 0
    return column


def graph_figure(graph, names=None, digits=4, title="the autograd graph", figsize=None, dpi=100, path=None):
    """The autograd graph behind a tensor as a picture: a box per value (data, grad), an oval per step.

    As micrograd's notebook draws its graph: the leaves on the left, the
    output on the right; each step (``MulBackward``, …) an oval between the
    boxes of its inputs and the box of the value it made; each box holds the
    value (``data``) and the gradient of the output with respect to it
    (``grad``; a leaf's ``.grad``).  A large value shows its shape and its
    first numbers.  ``graph`` is a Tensor (drawn through
    :func:`refnn.explain.graph`, with ``names``) or what that function
    returned; ``figsize`` None fits the graph.

    >>> import pytest
    >>> matplotlib = pytest.importorskip("matplotlib")     # where it is missing, pytest skips the example
    >>> from refnn.tensors import tensor
    >>> w = tensor(3.0, requires_grad=True)
    >>> y = w * w
    >>> y.backward(retain_graph=True)
    >>> fig = graph_figure(y, names={"w": w, "y": y})
    >>> sorted(t.get_text() for t in fig.axes[0].texts if "\\n" in t.get_text())
    ['w\\ndata 3\\ngrad 6', 'y\\ndata 9\\ngrad 1']
    >>> graph_figure(w.tolist())
    Traceback (most recent call last):
        ...
    TypeError: graph_figure: graph must be a Tensor or what refnn.explain.graph returns, got float
    """
    op = "graph_figure"
    _text(op, "title", title)
    _size(op, "digits", digits)
    from refnn import explain, tensors
    if isinstance(graph, tensors.Tensor):
        try:
            graph = explain.graph(graph, names=names)
        except (TypeError, ValueError) as err:
            raise type(err)(f"{op}: {err}") from None
    elif not isinstance(graph, explain.Graph):
        raise TypeError(f"{op}: graph must be a Tensor or what refnn.explain.graph returns, "
                        f"got {type(graph).__name__}")
    nodes = graph.nodes
    column = _graph_columns(nodes)
    members = {}
    for i in range(len(nodes)):
        members.setdefault(column[i], []).append(i)
    if figsize is not None:
        _output(op, path, figsize, dpi)
    figure = _figure(op, figsize or (8, 4), dpi)
    figure.set_layout_engine("none")
    ax = figure.add_axes((0, 0, 1, 1))
    box = {"boxstyle": "round,pad=0.4", "facecolor": "#eef3fb", "edgecolor": "black"}
    oval = {"boxstyle": "ellipse,pad=0.3", "facecolor": "#fff3d6", "edgecolor": "tab:orange"}
    texts = {}                                      # (column, node) -> its box or oval, placed below
    for i, node in enumerate(nodes):
        name = node.name or (node.label.split()[0] if node.kind == "step" else node.label)
        data = "freed" if node.value is None else _brief_value(node.value, digits)
        grad = "?" if node.grad is None else _brief_value(node.grad, digits)
        texts[column[i], i] = ax.text(0, 0, f"{name}\ndata {data}\ngrad {grad}", ha="center", va="center",
                                      fontsize="small", bbox=box, family="monospace")
        if node.kind == "step":
            texts[column[i] - 1, i] = ax.text(0, 0, node.label.split()[1].removesuffix("Backward"),
                                              ha="center", va="center", fontsize="small", bbox=oval)
    # Lay out in inches: each column as wide as its widest box, 0.4 inch between columns, 1.1 per row.
    renderer = figure.canvas.get_renderer()
    widths = {}
    for (c, _), t in texts.items():
        widths[c] = max(widths.get(c, 0), t.get_window_extent(renderer).width / dpi + 0.25)
    left, x = {}, 0.3
    for c in sorted(widths):
        left[c], x = x + widths[c] / 2, x + widths[c] + 0.4
    rows = max(len(m) for m in members.values())
    for (c, i), t in texts.items():
        k = members[column[i]].index(i)
        t.set_position((left[c], 1.1 * ((len(members[column[i]]) - 1) / 2 - k)))
    band = 0.5 if title else 0                      # room for the title above the graph
    size = (x, 1.1 * rows + 0.5 + band)
    if figsize is None:
        _output(op, path, size, dpi)
        figure.set_size_inches(size)
    ax.set(xlim=(0, size[0]), ylim=(-0.55 * rows - 0.25, 0.55 * rows + 0.25 + band))
    arrow = {"arrowstyle": "-|>", "color": "0.3", "shrinkA": 2, "shrinkB": 2}
    for i, node in enumerate(nodes):
        if node.kind == "step":
            oval_i, box_i = texts[column[i] - 1, i], texts[column[i], i]
            ax.annotate("", xy=(0, 0.5), xycoords=box_i, xytext=(1, 0.5), textcoords=oval_i, arrowprops=arrow)
            for j in set(node.inputs):
                ax.annotate("", xy=(0, 0.5), xycoords=oval_i, xytext=(1, 0.5), textcoords=texts[column[j], j],
                            arrowprops=arrow)
    ax.axis("off")
    return _finish(op, figure, path, title)
