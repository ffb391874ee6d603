"""The command line, ``python -m refnn``: a guided tour of the seed, and one command per classroom demo.

Without a command, refnn walks through the seed's ideas and prints each
step.  Each command is a demo that runs in seconds, with nothing to
download (``python -m refnn COMMAND --help`` tells its options):

=========================================  ===================================================
command                                    what it shows
=========================================  ===================================================
``python -m refnn``                        the tour: the worked example, the gates, the
                                           perceptron on AND and XOR, an MLP learning XOR,
                                           the gradient check
``python -m refnn gates``                  logic gates as McCulloch-Pitts neurons
``python -m refnn perceptron --data xor``  the perceptron learning (AND, OR, NAND, two iris
                                           species) or failing (XOR), with its regions
``python -m refnn separable --data xor``   the separating line, or the witness that none exists
``python -m refnn mlp --data moons``       a network of refnn.nn modules: accuracy, a picture
``python -m refnn gradcheck``              backward against sympy and central differences
``python -m refnn explain backprop``       a step of arithmetic written out with its numbers:
                                           ``matmul``, ``neuron``, ``perceptron``, ``backprop``,
                                           ``graph``
=========================================  ===================================================

:func:`main` runs a command line given as a list, prints what the command
prints and returns the exit code:

>>> main(["separable", "--data", "xor"])
XOR's truth table, with labels -1 (false) and +1 (true).
XOR is NOT linearly separable: no line w.x + b = 0 parts its two classes.
The witness (1/2, 1/2) lies in the convex hulls of both classes:
  (1/2, 1/2) = 1/2*(0, 1) + 1/2*(1, 0)   (class +1)
  (1/2, 1/2) = 1/2*(0, 0) + 1/2*(1, 1)   (class -1)
At the witness, w.x + b is the same mix of its values at the points of either class:
if it were > 0 on every +1 point and < 0 on every -1 point, it would be both there.
0

Bad input gets one line on stderr and exit code 2, never a traceback:

>>> import contextlib, sys
>>> with contextlib.redirect_stderr(sys.stdout):
...     main(["mlp", "--data", "moons", "--lr", "0"])
python -m refnn: error: mlp: argument --lr: must be a number above 0, got '0'
2

A demo that runs more than a second shows a progress line on a terminal
(on stderr, rewritten in place, wiped when done); piped, it prints only its
results, and a reader that stops early (``python -m refnn mlp | head -3``)
ends it quietly.  Usage and errors name the program as it was run:
``refnn`` as the console script, ``python -m refnn`` as a module.  The
output is plain ASCII, so that it prints on any terminal.
"""
import argparse
import contextlib
import importlib.util
import inspect
import itertools
import json
import math
import os
import shutil
import sys
import threading
import time
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from refnn import explain, init, mlp, nn, optim, plot
from refnn.gradcheck import check_mlp
from refnn.datasets import (
    classic_xor, load_digits, load_iris, logic_gate, make_circles, make_moons, make_spiral, standardize,
    train_test_split, worked_example,
)
from refnn.matrix import matmul
from refnn.neuron import AND, NAND, NOT, OR, XOR, truth_table
from refnn.perceptron import ConvergenceWarning, Perceptron, linearly_separable
from refnn.tensors import float64, tensor

__all__ = ["main"]

_MODULE = "python -m refnn"
_GATES = ("and", "or", "nand", "xor")
_SPECIES = ("setosa", "versicolor", "virginica")


class _Failure(Exception):
    """A mistake the user can fix (a missing library, a file that cannot be written): one line, exit 2."""


def _prog():
    """The program's name as it was run: ``refnn`` as the console script, else ``python -m refnn``."""
    name = os.path.splitext(os.path.basename(sys.argv[0] if sys.argv else ""))[0]
    return "refnn" if name in ("refnn", "refnn-script") else _MODULE       # refnn-script.py on Windows


def main(argv=None):
    """Run ``python -m refnn`` with the arguments ``argv`` (default: the command line); return the exit code.

    0 when the command ran, 2 for bad input or any other error (one line
    on stderr, no traceback), 130 when interrupted (Ctrl-C), 141 when the
    reader of the output went away (a closed pipe, as a shell reports it).
    The gates, as McCulloch-Pitts neurons:

    >>> main(["gates"])
    Each gate is one McCulloch-Pitts neuron, y = step(w.x - theta): it fires (1)
    when the weighted sum of its inputs reaches the threshold theta.
      AND   w = [1, 1]    theta = 2
      OR    w = [1, 1]    theta = 1
      NAND  w = [-1, -1]  theta = -1
      NOT   w = [-1]      theta = 0   (NOT 0 = 1, NOT 1 = 0)
    x1 x2 | AND OR NAND | XOR
     0  0 |   0  0    1 |   0
     0  1 |   0  1    1 |   1
     1  0 |   0  1    1 |   1
     1  1 |   1  1    0 |   0
    XOR = AND(OR(x1, x2), NAND(x1, x2)): two layers of neurons. One is not enough:
    to fire on (0, 1) and (1, 0) but not on (0, 0), w1 >= theta, w2 >= theta and
    theta > 0, so w1 + w2 >= 2*theta > theta and it fires on (1, 1) too.
    0

    ``--help`` prints the usage and returns 0, on every level; argparse's
    own errors and refnn's return 2 after one line on stderr:

    >>> import io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = main(["perceptron", "--help"])
    >>> code, out.getvalue().startswith("usage: python -m refnn perceptron [-h] [--data")
    (0, True)
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     main(["perceptron", "--max-epochs", "-5"])
    python -m refnn: error: perceptron: argument --max-epochs: must be at least 1, got -5
    2
    >>> main("gates")
    Traceback (most recent call last):
        ...
    TypeError: main: argv must be a list of strings, got str 'gates'
    """
    if argv is not None and not (isinstance(argv, (list, tuple)) and all(isinstance(a, str) for a in argv)):
        raise TypeError(f"main: argv must be a list of strings, got {type(argv).__name__} {argv!r:.40}")
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:                   # --help, or an error argparse has printed already
        try:
            sys.stdout.flush()                  # the help, read by '| head -1'
        except BrokenPipeError:
            return _reader_gone()
        return done.code if isinstance(done.code, int) else 0
    try:
        args.run(args)
        sys.stdout.flush()                      # a closed pipe shows here at the latest
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        print(f"\n{_prog()}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:                     # noqa: BLE001 - every error is one line, never a traceback
        said = str(err) if isinstance(err, _Failure) else f"{type(err).__name__}: {err}"
        print(f"{_prog()}: error: {args.command}: {' '.join(said.split())}", file=sys.stderr)
        return 2
    return 0


def _reader_gone():
    """The reader closed the pipe (``| head``): point stdout at devnull so that Python's last flush
    finds nothing to complain about (as Python's documentation of SIGPIPE advises), and exit 141."""
    with contextlib.suppress(AttributeError, OSError, ValueError):     # stdout may be no real file
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141


# --- the parser ------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse's parser with every error on one line, ``python -m refnn: error: COMMAND: message``."""

    def error(self, message):
        command = self.prog[len(_prog()):].strip()
        self.exit(2, f"{_prog()}: error: {command + ': ' if command else ''}{' '.join(message.split())}\n")


def _int_at_least(least):
    """An argparse type: a whole number of at least ``least``."""
    def whole_number(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, got {value}")
        return value
    return whole_number


def _rate(text):
    """An argparse type: a learning rate, a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text!r}")
    return value


def _image_path(text):
    """An argparse type: a .png, .svg or .pdf file that can be written (checked before any training)."""
    folder = os.path.dirname(os.path.abspath(text))
    if os.path.splitext(text)[1].lower() not in (".png", ".svg", ".pdf"):
        raise argparse.ArgumentTypeError(f"must end in .png, .svg or .pdf, got {text!r}")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: there is no folder {folder!r}")
    if os.path.isdir(text) or not os.access(text if os.path.exists(text) else folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: it is a folder, or not writable")
    return text


def _parser():
    """The parser of the whole command line: the tour by default, a subparser per command."""
    parser = _Parser(prog=_prog(), description="refnn, neural-network basics in pure Python. Without a "
                     "command: a guided tour of the seed's ideas, each step printed.",
                     epilog=f"'{_prog()} COMMAND --help' tells the options of a command.")
    parser.set_defaults(run=_tour, command="tour")
    commands = parser.add_subparsers(title="commands (classroom demos)", metavar="COMMAND")
    _gates_parser(commands)
    _perceptron_parser(commands)
    _separable_parser(commands)
    _mlp_parser(commands)
    _gradcheck_parser(commands)
    _explain_parser(commands)
    return parser


def _command(commands, name, run, summary, description):
    """Add the subparser of one command, which runs ``run(args)``."""
    parser = commands.add_parser(name, help=summary, description=description)
    parser.set_defaults(run=run, command=name)
    return parser


def _gates_parser(commands):
    _command(commands, "gates", _gates, "logic gates as McCulloch-Pitts neurons",
             "AND, OR, NAND and NOT as single McCulloch-Pitts neurons, XOR from two layers of them, "
             "with their truth tables.")


def _two_class_options(parser):
    """--data and --classes, shared by the perceptron and separable commands."""
    parser.add_argument("--data", choices=_GATES + ("iris",), default="and",
                        help="a gate's truth table, or two iris species on petal length and width "
                             "(default: and)")
    parser.add_argument("--classes", nargs=2, choices=_SPECIES, metavar="SPECIES",
                        help=f"with --data iris: the species labelled -1 and +1, two of "
                             f"{', '.join(_SPECIES)} (default: setosa versicolor, which a line separates; "
                             "versicolor virginica it does not)")


def _perceptron_parser(commands):
    parser = _command(commands, "perceptron", _perceptron, "the sign perceptron learning, or failing",
                      "The perceptron f(x) = sign(w.x + b) learns by its rule from w = 0, b = 0: the "
                      "mistakes of every epoch, the weights, and the regions it learned. It converges on "
                      "AND, OR, NAND and setosa vs versicolor; on XOR it cannot, and says so.")
    _two_class_options(parser)
    parser.add_argument("--max-epochs", type=_int_at_least(1), default=1000,
                        help="stop after this many epochs (default: 1000)")


def _separable_parser(commands):
    parser = _command(commands, "separable", _separable, "a separating line, or the witness that none exists",
                      "Decide exactly whether a line parts the two classes: print the line, or a point in "
                      "the convex hulls of both classes (the witness that no line does).")
    _two_class_options(parser)


def _mlp_parser(commands):
    defaults = "\n".join(f"  {name:8} {demo.about}; --hidden {' '.join(map(str, demo.hidden))} --epochs "
                         f"{demo.epochs} --lr {demo.lr} --batch-size {demo.batch_size}"
                         for name, demo in _DEMOS.items())
    parser = _command(commands, "mlp", _mlp, "a network of refnn.nn modules learning a data set",
                      "Train Sequential(Linear, ReLU, ..., Linear) with CrossEntropyLoss and SGD (momentum "
                      "0.9) on a seeded 80/20 split of standardised data; print the train and test "
                      "accuracy and a picture of what it learned.")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "data sets and their defaults:\n" + defaults
    parser.add_argument("--data", choices=list(_DEMOS), default="moons", help="the data set (default: moons)")
    parser.add_argument("--hidden", nargs="+", type=_int_at_least(1), metavar="N",
                        help="neurons of each hidden layer, e.g. --hidden 16 or --hidden 32 16")
    parser.add_argument("--epochs", type=_int_at_least(1), help="passes over the training data")
    parser.add_argument("--lr", type=_rate, help="learning rate of SGD")
    parser.add_argument("--batch-size", type=_int_at_least(1), help="samples per step (mini-batch)")
    parser.add_argument("--seed", type=_int_at_least(0), default=0,
                        help="seed of the data, the split and the starting weights (default: 0)")
    parser.add_argument("--plot", type=_image_path, metavar="FILE.png",
                        help="also draw the regions (2-D data) or the loss curve into this file "
                             "(needs matplotlib: pip install refnn[plot])")
    _size_option(parser)


def _size_option(parser):
    """--size WxH, for every command that writes a picture."""
    parser.add_argument("--size", type=_pixels, metavar="WxH",
                        help=f"with --plot: the picture's width and height in pixels, e.g. 1200x900 to "
                             f"project (default 400x300; drawn at {_DPI} dots per inch, so 1200x900 is "
                             "12 x 9 inches)")


_DPI = 100          # pixels per inch of the pictures: --size 1200x900 is figsize (12, 9)


def _pixels(text):
    """An argparse type: WxH, a picture's width and height in pixels (16 to 10000 each)."""
    try:
        width, height = map(int, text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, e.g. 800x600, got {text!r}") \
            from None
    if not (16 <= width <= 10000 and 16 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"width and height must be from 16 to 10000 pixels, got {text!r}")
    return width, height


def _gradcheck_parser(commands):
    parser = _command(commands, "gradcheck", _gradcheck,
                      "backward checked against sympy and central differences",
                      "Draw a small sigmoid network, derive every dE/dw with sympy from refnn.mlp.forward "
                      "and by central differences, and print the largest gaps to the hand-written "
                      "backward (needs sympy: pip install refnn[symbolic]).")
    parser.add_argument("--sizes", nargs="+", type=_int_at_least(1), default=[3, 4, 1], metavar="N",
                        help="neurons per layer, input first (default: 3 4 1)")
    parser.add_argument("--loss", choices=("squared_error", "binary_cross_entropy"), default="squared_error",
                        help="the error E (default: squared_error)")
    parser.add_argument("--bias", action="store_true", help="give every layer biases")
    parser.add_argument("--seed", type=_int_at_least(0), default=0, help="seed of the network (default: 0)")


def _explain_parser(commands):
    parser = _command(commands, "explain", _no_step, "a step of arithmetic written out with its numbers",
                      "Write out one step of the classic floors with its real numbers, as the seed writes "
                      "1*2 + 1*3 + (-1)*0 = 5 by hand (refnn.explain).")
    steps = parser.add_subparsers(title="steps", metavar="STEP")
    matmul = _step(steps, "matmul", _explain_matmul, "every entry of x @ weight, a row times a column",
                   "Every entry of a matrix product written out; by default the seed's worked example "
                   "x @ weight, whose first entry is 1*2 + 1*3 + (-1)*0 = 5.")
    matmul.add_argument("--x", type=_matrix_text, metavar="JSON", help="the left matrix, e.g. '[[1, 1, -1]]' "
                        "(default: the seed's x)")
    matmul.add_argument("--weight", type=_matrix_text, metavar="JSON",
                        help="the right matrix (default: the seed's weight)")
    neuron = _step(steps, "neuron", _explain_neuron, "a McCulloch-Pitts neuron's sum against theta",
                   "A logic gate as one McCulloch-Pitts neuron: the weighted sum of its inputs minus theta, "
                   "and whether it fires, for the inputs given or for every input.")
    neuron.add_argument("--gate", choices=("and", "or", "nand", "not"), default="and",
                        help="the gate (default: and)")
    neuron.add_argument("--inputs", nargs="+", type=int, choices=(0, 1), metavar="0|1",
                        help="its inputs, e.g. --inputs 1 0 (default: every input in turn)")
    perceptron = _step(steps, "perceptron", _explain_perceptron, "each update of the perceptron rule",
                       "The perceptron learning a gate's truth table (labels -1 and +1) from w = 0, b = 0: "
                       "every sample, and on every mistake w = w + lr*y*x and b = b + lr*y.")
    perceptron.add_argument("--data", choices=_GATES, default="and", help="the gate (default: and)")
    perceptron.add_argument("--max-epochs", type=_int_at_least(1), default=1000,
                            help="stop after this many epochs (default: 1000)")
    perceptron.add_argument("--epochs", type=_int_at_least(1), default=2,
                            help="epochs written out sample by sample (default: 2; --all for every one)")
    backprop = _step(steps, "backprop", _explain_backprop, "one step of back-propagation, number by number",
                     "One training step of the classic 3-4-1 sigmoid network on XOR (refnn.mlp): "
                     "forward, error = y - layer2, sigma', delta, each layer's error and delta, and every "
                     "weight's change.")
    backprop.add_argument("--seed", type=_int_at_least(0), default=1,
                          help="seed of the starting weights, init_weights([3, 4, 1], seed) (default: 1)")
    backprop.add_argument("--lr", type=_rate, default=1.0, help="learning rate (default: 1)")
    backprop.add_argument("--samples", type=_int_at_least(1), default=2,
                          help="samples written out (default: 2 of 4; --all for every one)")
    graph = _step(steps, "graph", _explain_graph, "the autograd graph of the seed's first neuron",
                  "The autograd graph of the seed's first neuron, y = sigmoid(x @ w) with x = [1, 1, -1] and "
                  "w = [2, 3, 0], and its loss (t - y)^2, after backward: every step with its value and "
                  "gradient, back to the weights.")
    graph.add_argument("--target", type=float, default=1.0, help="the target t (default: 1)")


def _step(steps, name, run, summary, description):
    """A step of explain, with the options every step shares."""
    parser = steps.add_parser(name, help=summary, description=description)
    parser.set_defaults(run=run, command=f"explain {name}")
    parser.add_argument("--digits", type=_int_at_least(0), default=6,
                        help="places a float is rounded to (default: 6)")
    if name in ("perceptron", "backprop"):
        parser.add_argument("--all", action="store_true", help="write out everything, nothing left out")
    return parser


def _matrix_text(text):
    """An argparse type: a matrix (or vector) in JSON, [[1, 1, -1], [4, 0, 2]]."""
    try:
        return json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a matrix in JSON such as [[1, 2], [3, 4]], "
                                         f"got {text!r:.40}") from None


# --- the tour ----------------------------------------------------------------

_TOUR_ITERATIONS = 10000        # of the seed's 60000: the outputs are within 0.011 of XOR by then


def _tour(args):
    """The guided tour: each of the seed's ideas in turn, under a heading."""
    steps = [
        ("1. Forward propagation: every entry is a row of x times a column of weight", _worked_example),
        ("2. Logic gates as McCulloch-Pitts neurons", lambda: _gates(args)),
        ("3. The perceptron learns AND", lambda: _learn("AND", *logic_gate("and", labels="pm1"), 1000)),
        ("4. ... and fails on XOR", lambda: _learn("XOR", *logic_gate("xor", labels="pm1"), 100)),
        ("5. A multi-layer perceptron learns XOR by back-propagation", _classic_xor),
        ("6. The gradients of back-propagation, checked by sympy", _tour_gradcheck),
    ]
    for k, (title, step) in enumerate(steps):
        print(("\n" if k else "") + title + "\n" + "-" * len(title))
        step()
    print(f"\nNext: '{_prog()} --help' lists the classroom demos, and docs/index.md the book.")


def _tour_gradcheck():
    try:
        _gradcheck_report((3, 4, 1), "squared_error", False, 0)
    except _Failure:
        print("skipped: sympy is not installed (install sympy: pip install refnn[symbolic])")


def _worked_example():
    """The seed's worked example: one entry of x @ weight by hand, then the whole product."""
    x, weight = worked_example()
    terms = " + ".join(f"{a if a >= 0 else f'({a})'}*{b}" for a, b in zip(x[0], (row[0] for row in weight)))
    product = matmul(x, weight)
    print(f"x = {x}   (3 samples, 3 inputs)")
    print(f"weight = {weight}   (3 inputs, 2 neurons)")
    print(f"(x @ weight)[0][0] = row 0 of x times column 0 of weight = {terms} = {product[0][0]}")
    print("    the seed calls this sum layer0; refnn calls the input layer0 = x and the weights\n"
          "    weight0 = weight, so the sum is layer1[0][0] before the sigmoid")
    print(f"matmul(x, weight) = {product}")


def _classic_xor(iterations=_TOUR_ITERATIONS):
    """The classic program's 3-4-1 sigmoid network (Trask, 2015) trained on XOR by refnn.mlp, timed."""
    x, y = classic_xor()
    began = time.perf_counter()
    with _ticking(f"training the 3-4-1 net, {iterations} iterations"):
        trained = mlp.train(x, y, mlp.init_weights([3, 4, 1], seed=1), epochs=iterations)
    seconds = time.perf_counter() - began
    outputs = [row[0] for row in mlp.forward(trained.weights, x)[-1]]
    print("The classic 11-line program's network (Andrew Trask, 2015): inputs x1, x2 and a\n"
          "constant 1, four sigmoid neurons, one output, starting from init_weights([3, 4, 1],\n"
          "seed=1). Each iteration: layer1 = sigmoid(layer0 @ weight0), layer2 = sigmoid(layer1\n"
          "@ weight1), error = y - layer2, delta = error * sigmoid', weight += layer.T @ delta.\n"
          f"{iterations} iterations (the seed runs 60000) took {seconds:.2f} s:")
    print("x1 x2 | XOR | output")
    for (x1, x2, _), (target,), out in zip(x, y, outputs):
        print(f" {x1}  {x2} |  {target}  | {out:.3f}")
    gap = max(abs(out - t[0]) for out, t in zip(outputs, y))
    gap = math.ceil(gap * 1000) / 1000
    print(f"Every output is within {gap} of its target: the network has learned XOR.")


# --- gates -------------------------------------------------------------------

def _gates(args):
    """The gates as neurons (weights, theta), their truth tables side by side, and XOR from two layers."""
    print("Each gate is one McCulloch-Pitts neuron, y = step(w.x - theta): it fires (1)\n"
          "when the weighted sum of its inputs reaches the threshold theta.")
    for gate in (AND, OR, NAND, NOT):
        print(f"  {gate.name:5} {'w = ' + str(gate.weights):12} theta = {gate.theta}", end="")
        print(f"   (NOT 0 = {NOT(0)}, NOT 1 = {NOT(1)})" if gate is NOT else "")
    print("x1 x2 | AND OR NAND | XOR")
    columns = [truth_table(AND), truth_table(OR), truth_table(NAND), truth_table(XOR, 2)]
    for (x1, x2, a), (*_, o), (*_, n), (*_, x) in zip(*columns):
        print(f" {x1}  {x2} |   {a}  {o}    {n} |   {x}")
    print("XOR = AND(OR(x1, x2), NAND(x1, x2)): two layers of neurons. One is not enough:\n"
          "to fire on (0, 1) and (1, 0) but not on (0, 0), w1 >= theta, w2 >= theta and\n"
          "theta > 0, so w1 + w2 >= 2*theta > theta and it fires on (1, 1) too.")


# --- the perceptron and separability -----------------------------------------

def _two_classes(args):
    """(name, X, y) of a two-class demo: a gate's truth table, or two iris species by their petals (cm)."""
    if args.data in _GATES:
        if args.classes:
            raise _Failure(f"--classes goes with --data iris, not --data {args.data}")
        return (args.data.upper(), *logic_gate(args.data, labels="pm1"))
    negative, positive = args.classes or ("setosa", "versicolor")
    if negative == positive:
        raise _Failure(f"--classes needs two different species, got {negative} twice")
    iris = load_iris()
    label = {_SPECIES.index(negative): -1, _SPECIES.index(positive): 1}
    rows = [(row, label[t]) for row, t in zip(iris.data, iris.target) if t in label]
    return (f"iris {negative} (-1) vs {positive} (+1)", [[row[2], row[3]] for row, _ in rows],
            [t for _, t in rows])


def _describe(args, X):
    if args.data == "iris":
        print(f"{len(X)} flowers: x1 = petal length, x2 = petal width, in cm.")
    else:
        print(f"{args.data.upper()}'s truth table, with labels -1 (false) and +1 (true).")


def _perceptron(args):
    name, X, y = _two_classes(args)
    _describe(args, X)
    if not _learn(name, X, y, args.max_epochs):
        print(f"('{_prog()} separable --data {args.data}' shows why.)")


def _learn(name, X, y, max_epochs):
    """Fit a Perceptron; print its mistakes per epoch, its line or its failure, and its regions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)     # said plainly below instead
        p = Perceptron(max_epochs=max_epochs).fit(X, y)
    w, b = [_text(v) for v in p.weights], _text(p.bias)
    print("The perceptron sign(w.x + b) learns from w = 0, b = 0, updating on each mistake.")
    print(f"mistakes per epoch: {_runs(p.mistakes)}")
    if p.converged:
        print(f"Converged after {len(p.mistakes)} epochs: w = [{', '.join(w)}], b = {b}, "
              f"the line {_linear_text(p.weights, p.bias)} = 0.")
    else:
        print(f"Did NOT converge in {max_epochs} epochs ({p.mistakes[-1]} mistakes in the last);\n"
              f"it ended at w = [{', '.join(w)}], b = {b}.")
        _why_not(name, X, y)
    small = len(X) <= 16
    print("Its regions (a mark on the other class's region is a mistake):")
    print(plot.regions(p.predict, X, y, width=33 if small else 60, height=9 if small else 16))
    return p.converged


def _why_not(name, X, y):
    """After a failure: is it the data (no line exists: the witness) or too few epochs?"""
    exact, decimals = _exact(X)
    answer = linearly_separable(exact, y)
    if answer.separable:
        print(f"{name} is linearly separable, by {_linear_text(answer.weights, answer.bias)} = 0:\n"
              "more epochs will do (--max-epochs).")
    else:
        print(f"No line can do it: {name} is not linearly separable.\n"
              f"The point {_point(answer.witness, decimals)} lies in the convex hulls of both classes.")


def _runs(counts):
    """The counts, a run of three or more equal ones written once with its length (4 4 4 4 is 4 (x4));
    a long list keeps its first 12 and last 6 words."""
    runs = [(count, len(list(run))) for count, run in itertools.groupby(counts)]
    words = [f"{count} (x{n})" if n >= 3 else " ".join([str(count)] * n) for count, n in runs]
    return " ".join(words if len(words) <= 20 else words[:12] + ["..."] + words[-6:])


def _exact(X):
    """The data as exact numbers, a float as the decimal it prints as (1.4 is 7/5, not its binary value);
    and whether there were floats, to print the numbers as decimals again."""
    decimals = any(isinstance(v, float) for row in X for v in row)
    return [[Fraction(repr(v)) if isinstance(v, float) else v for v in row] for row in X], decimals


def _text(v, decimals=False):
    """A number as a reader writes it: 3; 1/2; a float to 6 places; with ``decimals``, 4.5 for 9/2."""
    if isinstance(v, float):
        return format(round(v, 6), "g")
    v = Fraction(v)
    if v.denominator == 1:
        return str(v.numerator)
    if decimals and 10 ** 6 % v.denominator == 0:       # its decimals end
        return str(Decimal(v.numerator) / Decimal(v.denominator))
    return str(v)


def _linear_text(weights, bias):
    """w.x + b written out: [2, 2], -3 is '2*x1 + 2*x2 - 3'."""
    terms = [f"{_text(w)}*x{i}" for i, w in enumerate(weights, start=1)] + [_text(bias)]
    return " + ".join(terms).replace("+ -", "- ")


def _point(p, decimals=False):
    return "(" + ", ".join(_text(v, decimals) for v in p) + ")"


def _separable(args):
    name, X, y = _two_classes(args)
    _describe(args, X)
    exact, decimals = _exact(X)
    answer = linearly_separable(exact, y)
    if answer.separable:
        _separating_line(name, exact, y, answer, decimals)
    else:
        _witness(name, exact, y, answer, decimals)


def _separating_line(name, X, y, answer, decimals):
    """The line, and its value on the points of each class (all of them for a small set, else the range)."""
    line = _linear_text(answer.weights, answer.bias)
    print(f"{name} is linearly separable:\n{line} is > 0 on every +1 point and < 0 on every -1 point.")
    values = [sum(w * v for w, v in zip(answer.weights, x)) + answer.bias for x in X]
    if len(X) <= 16:
        print(f"  x       label   {line}")
        for x, label, value in zip(X, y, values):
            print(f"  {_point(x, decimals):8}{label:+d}      {_text(value, decimals)}")
        return
    for label in (1, -1):
        mine = [v for v, t in zip(values, y) if t == label]
        low, high = _text(min(mine), decimals), _text(max(mine), decimals)
        print(f"  on the {len(mine)} points of class {label:+d}: from {low} to {high}")


def _witness(name, X, y, answer, decimals):
    """The witness as a mix of the points of each class, and why that rules out every line."""
    witness = _point(answer.witness, decimals)
    print(f"{name} is NOT linearly separable:\nno line w.x + b = 0 parts its two classes.")
    print(f"The witness {witness} lies in the convex hulls of both classes:")
    for label in (1, -1):
        mix = [f"{_text(c)}*{_point(x, decimals)}"
               for c, x, t in zip(answer.coefficients, X, y) if t == label and c]
        print(f"  {witness} = {' + '.join(mix)}   (class {label:+d})")
    print("At the witness, w.x + b is the same mix of its values at the points of either class:\n"
          "if it were > 0 on every +1 point and < 0 on every -1 point, it would be both there.")


# --- the multi-layer network ---------------------------------------------------

class _Demo(NamedTuple):
    """A data set of the mlp command, ``load(seed) -> (X, y)``, with the settings that learn it in seconds."""
    about: str
    load: object
    hidden: list
    epochs: int
    lr: float
    batch_size: int


_DEMOS = {
    "xor": _Demo("XOR's 4 points, trained and tested on all 4", lambda seed: logic_gate("xor"),
                 [16], 100, 0.1, 4),
    "moons": _Demo("200 points, two moons, noise 0.2", lambda seed: make_moons(200, noise=0.2, seed=seed),
                   [16], 100, 0.1, 32),
    "circles": _Demo("200 points, two circles, noise 0.1",
                     lambda seed: make_circles(200, noise=0.1, factor=0.5, seed=seed), [16], 50, 0.1, 32),
    "spiral": _Demo("300 points, three spiral arms, noise 0.05",
                    lambda seed: make_spiral(300, n_classes=3, noise=0.05, seed=seed), [64], 150, 0.1, 32),
    "iris": _Demo("Fisher's 150 flowers, 4 measurements, 3 species",
                  lambda seed: load_iris(return_X_y=True), [16], 50, 0.05, 16),
    "digits": _Demo("1797 handwritten digits, 8x8 pixels", lambda seed: load_digits(return_X_y=True),
                    [32], 5, 0.1, 32),
}


def _mlp(args):
    demo = _DEMOS[args.data]
    hidden, epochs = args.hidden or demo.hidden, args.epochs or demo.epochs
    lr, batch_size = args.lr or demo.lr, args.batch_size or demo.batch_size
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        raise _Failure(plot.MatplotlibMissingError("--plot"))     # before the training, not after
    if args.size and not args.plot:
        raise _Failure("--size goes with --plot (the picture's size)")
    X, y = demo.load(args.seed)
    X_train, X_test, y_train, y_test = _split(args.data, X, y, args.seed)
    model = _model([len(X[0])] + hidden + [max(y) + 1], args.seed)
    print(f"model: {_layers(model)}, CrossEntropyLoss")
    print(f"training: SGD(lr={lr}, momentum=0.9), {epochs} epochs in mini-batches of {batch_size}")
    predict, history = _train(model, X_train, y_train, epochs, lr, batch_size)
    _accuracies(predict, X_train, y_train, X_test, y_test)
    _picture(args.data, predict, X, y, X_test, y_test, max(y) + 1)
    if args.plot:
        _save(args.plot, predict, X, y, history, args.size)


def _split(data, X, y, seed):
    """The seeded 80/20 split (XOR, four points, is trained and tested on all four), described."""
    print(f"{data}: {_DEMOS[data].about}.")
    if data == "xor":
        return X, X, y, y
    split = train_test_split(X, y, test_size=0.2, seed=seed)
    print(f"{len(split[0])} samples to train, {len(split[1])} to test (seed {seed}); features standardised.")
    return split


def _train(model, X, y, epochs, lr, batch_size):
    """Standardise, train with a progress line, report the loss; return predict (of raw points), history."""
    Z, (mean, std) = standardize(X)
    began = time.perf_counter()
    with _progress(epochs) as show:
        history = _fit(model, Z, y, epochs, lr, batch_size, show)
    print(f"trained in {time.perf_counter() - began:.2f} s; mean loss {history[0]:.4f} in the first "
          f"epoch, {history[-1]:.4f} in the last")

    def predict(points):                      # the class of raw points, standardised as the training data
        return _classes(model(standardize(points, mean, std)[0]).tolist())
    return predict, history


def _model(sizes, seed):
    """Sequential(Linear, ReLU, ..., Linear) through the layer sizes, its weights drawn from the seed."""
    init.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])          # no ReLU on the scores (logits)


def _layers(model):
    """A model in one line: Linear(2, 16) -> ReLU -> Linear(16, 2)."""
    return " -> ".join(f"Linear({m.in_features}, {m.out_features})" if isinstance(m, nn.Linear)
                       else type(m).__name__ for m in model)


def _classes(scores):
    """The class of each row of scores: the index of its largest entry."""
    return [max(range(len(row)), key=row.__getitem__) for row in scores]


def _fit(model, X, y, epochs, lr, batch_size, show):
    """Cross-entropy and SGD with momentum, in mini-batches, show(epoch, loss, accuracy); the epochs' loss."""
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    history = []
    for epoch in range(1, epochs + 1):
        total, correct = 0.0, 0
        for start in range(0, len(X), batch_size):
            batch, labels = X[start:start + batch_size], y[start:start + batch_size]
            optimizer.zero_grad()
            scores = model(batch)
            loss = criterion(scores, labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            correct += sum(c == t for c, t in zip(_classes(scores.tolist()), labels))
        history.append(total / len(X))
        show(epoch, history[-1], correct / len(X))
    return history


@contextlib.contextmanager
def _progress(epochs):
    """A function show(epoch, loss, accuracy) that rewrites one line (\\r) on a terminal, else does nothing.

    The line goes to stderr if it is a terminal, else to stdout if that is;
    piped or captured (a test, a doctest), nothing is shown.  It is drawn at
    most ten times a second, and wiped when the training ends.
    """
    stream = _terminal()
    state = {"shown": -math.inf, "width": 0}

    def show(epoch, loss, accuracy):
        now = time.perf_counter()
        if stream is None or (now - state["shown"] < 0.1 and epoch < epochs):
            return
        line = f"epoch {epoch}/{epochs}  loss {loss:.4f}  accuracy {accuracy:.1%}"
        stream.write("\r" + line.ljust(state["width"]))
        stream.flush()
        state.update(shown=now, width=len(line))
    try:
        yield show
    finally:
        if stream is not None and state["width"]:
            stream.write("\r" + " " * state["width"] + "\r")
            stream.flush()


def _terminal():
    """Where a progress line goes: stderr if it is a terminal, else stdout if that is, else nowhere (None)."""
    return next((s for s in (sys.stderr, sys.stdout) if getattr(s, "isatty", lambda: False)()), None)


@contextlib.contextmanager
def _ticking(what):
    """While the block runs: on a terminal, after a second, the line 'what ... 3 s', rewritten every second.

    For the demos that compute at length without steps to count (sympy at
    work, the tour's training): the time so far says that work goes on.  A
    thread writes the line; it is wiped before the block's results print.
    """
    stream, done, began, width = _terminal(), threading.Event(), time.perf_counter(), [0]

    def tick():
        while not done.wait(1.0):
            line = f"{what} ... {int(time.perf_counter() - began)} s"       # whole seconds, as a clock
            line = line[-(shutil.get_terminal_size().columns - 1):]       # one row: \r goes back only one
            stream.write("\r" + line.ljust(width[0]))
            stream.flush()
            width[0] = len(line)
    thread = threading.Thread(target=tick, daemon=True) if stream is not None else None
    if thread is not None:
        thread.start()
    try:
        yield
    finally:
        done.set()
        if thread is not None:
            thread.join()
            if width[0]:
                stream.write("\r" + " " * width[0] + "\r")
                stream.flush()


def _accuracies(predict, X_train, y_train, X_test, y_test):
    for part, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        right = sum(c == t for c, t in zip(predict(X), y))
        print(f"{part} accuracy: {right}/{len(y)} = {100 * right / len(y):.1f} %")


def _picture(data, predict, X, y, X_test, y_test, classes):
    """What the network learned: its regions over 2-D data, else test digits and a confusion table."""
    if len(X[0]) == 2:
        print(f"Its regions, all {len(X)} points on top (a mark on another class's region is a mistake):")
        print(plot.regions(predict, X, y, width=60, height=20))
        return
    said = predict(X_test)
    if data == "digits":
        _digits(X_test, y_test, said)
    print("test samples by true class (rows) and the network's answer (columns):")
    print("      " + "".join(f"{k:4}" for k in range(classes)))
    for k in range(classes):
        counts = [sum(1 for t, s in zip(y_test, said) if t == k and s == j) for j in range(classes)]
        name = f" {_SPECIES[k]}" if data == "iris" else ""
        print(f"  {k:2}: " + "".join(f"{c:4}" for c in counts) + name)


def _digits(X_test, y_test, said):
    """The first test digits side by side with the network's answers; the first mistake among them if any."""
    shown = list(range(4))
    wrong = next((i for i, (t, s) in enumerate(zip(y_test, said)) if t != s), None)
    if wrong is not None and wrong not in shown:
        shown[-1] = wrong
    pictures = [plot.digit(X_test[i]).splitlines() for i in shown]
    for lines in zip(*pictures):
        print("  ".join(lines))
    print("  ".join(f"{f'is {y_test[i]}, said {said[i]}':18}" for i in shown).rstrip())


def _save(path, predict, X, y, history, size=None):
    """Write the regions (2-D data) or the loss curve to the file; an unwritable file is a _Failure."""
    try:
        if len(X[0]) == 2:
            plot.save_regions(path, predict, X, y, **_sized(plot.save_regions, size))
        else:
            plot.save_loss_curve(path, history, **_sized(plot.save_loss_curve, size))
    except (plot.MatplotlibMissingError, OSError) as err:
        raise _Failure(err) from err
    print(f"wrote {path}")


def _sized(picture, size):
    """The arguments that make ``picture`` (a refnn.plot function) ``size`` = (width, height) pixels."""
    if size is None:
        return {}
    accepts = inspect.signature(picture).parameters
    if "figsize" not in accepts:
        raise _Failure(f"--size: {picture.__name__} takes no figsize in this refnn.plot")
    return {"figsize": (size[0] / _DPI, size[1] / _DPI), **({"dpi": _DPI} if "dpi" in accepts else {})}


# --- explain: arithmetic that prints itself ---------------------------------------

def _no_step(args):
    raise _Failure(f"which step? one of matmul, neuron, perceptron, backprop, graph "
                   f"('{_prog()} explain --help')")


def _explain_matmul(args):
    x, weight = worked_example()
    A = x if args.x is None else args.x
    B = weight if args.weight is None else args.weight
    if args.x is None and args.weight is None:
        print("The seed's worked example, x @ weight: x holds 3 samples of 3 inputs, weight 2 neurons.")
    _print_explained(explain.matmul, A, B, digits=args.digits)


def _explain_neuron(args):
    gate = {"and": AND, "or": OR, "nand": NAND, "not": NOT}[args.gate]
    _print_explained(explain.neuron, gate, args.inputs, digits=args.digits)


def _explain_perceptron(args):
    X, y = logic_gate(args.data, labels="pm1")
    print(f"{args.data.upper()}'s truth table, with labels -1 (false) and +1 (true).")
    _print_explained(explain.perceptron, X, y, max_epochs=args.max_epochs,
                     epochs_shown=None if args.all else args.epochs, digits=args.digits)


def _explain_backprop(args):
    x, y = classic_xor()
    weights = mlp.init_weights([3, 4, 1], seed=args.seed)
    print(f"XOR of x1 and x2 (the third input is always 1), the 3-4-1 net from init_weights([3, 4, 1], "
          f"seed={args.seed}).")
    lr = int(args.lr) if args.lr.is_integer() else args.lr           # the classic's lr = 1, not 1.0
    _print_explained(explain.backprop, x, y, weights, lr=lr,
                     samples_shown=None if args.all else args.samples, digits=args.digits)


def _explain_graph(args):
    x, weight = worked_example()
    x = tensor([x[0]], dtype=float64)                                  # the seed's first sample, [1, 1, -1]
    w = tensor([[row[0]] for row in weight], dtype=float64, requires_grad=True)   # its first column, 2 3 0
    y = (x @ w).sigmoid()
    loss = ((args.target - y) ** 2).sum()
    loss.backward(retain_graph=True)                                   # retain_graph: the values stay
    print(f"The seed's first neuron y = sigmoid(x @ w), x = {x.tolist()[0]}, w = {w.view(-1).tolist()}, "
          f"loss = ({args.target} - y)^2, after loss.backward(retain_graph=True):")
    _print_explained(explain.graph, loss, names={"loss": loss, "y": y, "w": w}, digits=args.digits)


def _print_explained(function, *args, **kwargs):
    """Print what an explain function writes; the errors of what it was given are one line (exit 2)."""
    try:
        text = function(*args, **kwargs)
    except (TypeError, ValueError) as err:
        raise _Failure(err) from err
    print(text)


# --- the gradient check --------------------------------------------------------

_GRADCHECK_SAMPLES = 4          # check_mlp's default
_SYMPY_TERMS = 2000             # check_mlp's limit of samples x parameters: about a minute of sympy


def _gradcheck(args):
    sizes = args.sizes
    if len(sizes) < 2:
        raise _Failure(f"--sizes needs at least 2 layers (input and output), got {len(sizes)}")
    parameters = sum(a * b for a, b in zip(sizes, sizes[1:])) + args.bias * sum(sizes[1:])
    if parameters * _GRADCHECK_SAMPLES > _SYMPY_TERMS:
        raise _Failure(f"--sizes {' '.join(map(str, sizes))} gives {parameters} parameters; sympy checks at "
                       f"most {_SYMPY_TERMS // _GRADCHECK_SAMPLES} (with {_GRADCHECK_SAMPLES} samples, "
                       "about a minute), e.g. --sizes 20 20 1")
    _gradcheck_report(tuple(sizes), args.loss, args.bias, args.seed)


def _gradcheck_report(sizes, loss, bias, seed):
    """refnn.gradcheck.check_mlp on a drawn network, in one line, timed; a _Failure without sympy."""
    began = time.perf_counter()
    net = "-".join(map(str, sizes))
    try:
        with _ticking(f"gradcheck {net}: sympy, then central differences"):
            report = check_mlp(sizes, seed=seed, loss=loss, bias=bias)
    except ImportError as err:
        if (err.name or "").split(".")[0] != "sympy":
            raise
        raise _Failure("the gradient check needs sympy: install sympy: pip install refnn[symbolic]") from err
    except ValueError as err:                   # a net too large for sympy, in check_mlp's words
        raise _Failure(err) from err
    seconds = time.perf_counter() - began
    print(f"backward's gradient against sympy's exact one and central differences ({seconds:.1f} s):")
    print(report)
