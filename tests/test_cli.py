"""Tests of the command line, ``python -m refnn``: each command's printed facts, exit codes and errors.

Commands run in-process through ``main([...])`` with pytest's capsys (so
stdout and stderr are no terminal, as when piped); a few run as real
subprocesses.  The printed facts are held against independent reasons:
Python's own logic for the gates, the numbers the issues state (AND's
``w = [3, 2], b = -4``, XOR's witness ``(1/2, 1/2)``), certificates checked
on the data with exact fractions, sums that a confusion table must have.
"""
import os
import re
import struct
import subprocess
import sys
import time
import warnings
from fractions import Fraction
from pathlib import Path

import pytest

from refnn import mlp, plot
from refnn._cli import main
from refnn.datasets import classic_xor, load_iris, logic_gate
from refnn.perceptron import Perceptron

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["gates", "perceptron", "separable", "mlp", "gradcheck", "explain"]
STEPS = ["matmul", "neuron", "perceptron", "backprop", "graph"]


def run(capsys, *argv):
    """main(argv) -> (exit code, stdout, stderr); argv is left as it was."""
    args = list(argv)
    code = main(args)
    assert args == list(argv)
    out, err = capsys.readouterr()
    return code, out, err


def python(*args, timeout=120):
    """``python -m refnn ARGS`` in a subprocess with pipes (no terminal), from the repository."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "refnn", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


def one_error_line(code, out, err):
    """Exit code 2, nothing on stdout, one line on stderr in argparse's form, no traceback."""
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("python -m refnn: error: ")
    assert "Traceback" not in err
    return err


# --- help ----------------------------------------------------------------

@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_level(capsys, command, flag):
    code, out, err = run(capsys, *command, flag)
    assert code == 0 and err == ""
    assert out.startswith(" ".join(["usage: python -m refnn"] + command))


def test_help_lists_every_command_and_the_mlp_defaults(capsys):
    out = run(capsys, "--help")[1]
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", out, re.MULTILINE), command
    out = run(capsys, "mlp", "--help")[1]
    for data in ["xor", "moons", "circles", "spiral", "iris", "digits"]:
        assert re.search(rf"^\s+{data}\s.*--epochs \d+ --lr", out, re.MULTILINE), data


def test_help_and_a_bad_option_in_a_subprocess():
    done = python("--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: python -m refnn")
    done = python("mlp", "--epochs", "-1")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "python -m refnn: error: mlp: argument --epochs: must be at least 1, got -1\n"


def test_the_console_script_entry_point_is_main():
    import refnn.__main__
    assert refnn.__main__.main is main


def test_importing_the_command_line_pulls_in_no_third_party_module():
    code = ("import sys, refnn._cli; "
            "print(sorted(m for m in ('numpy', 'matplotlib', 'sympy', 'torch') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.stdout.strip() == "[]"


# --- the tour --------------------------------------------------------------

def test_the_tour_in_a_subprocess():
    done = python()
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert done.stderr == "" and "\r" not in out
    headings = re.findall(r"^(\d)\. .*\n-+$", out, re.MULTILINE)
    assert headings == ["1", "2", "3", "4", "5", "6"]
    assert "1*2 + 1*3 + (-1)*0 = 5" in out
    assert "matmul(x, weight) = [[5, -4], [8, -2], [2, -1]]" in out        # the seed's product
    assert "w = [3, 2], b = -4" in out                                      # AND, as issue 2 states
    assert "Did NOT converge" in out and "(1/2, 1/2)" in out               # XOR and its witness
    outputs = [float(v) for v in re.findall(r"^ [01]  [01] \|  [01]  \| (\S+)$", out, re.MULTILINE)]
    assert len(outputs) == 4
    assert all(abs(o - t) < 0.1 for o, t in zip(outputs, [0, 1, 1, 0]))    # the MLP learned XOR
    iterations = int(re.search(r"(\d+) iterations \(the seed runs 60000\)", out).group(1))
    assert 0 < iterations <= 60000
    gap = re.search(r"gap to sympy (\S+), to central differences (\S+)$", out, re.MULTILINE)
    assert gap is not None or "install sympy: pip install refnn[symbolic]" in out
    if gap:
        assert float(gap.group(1)) < 1e-12 and float(gap.group(2)) < 1e-6


def test_the_tour_without_sympy_skips_the_check(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "sympy", None)            # import sympy now fails
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    assert "skipped: sympy is not installed (install sympy: pip install refnn[symbolic])" in out
    assert out.index("6. The gradients") < out.index("skipped")


# --- gates -----------------------------------------------------------------

def test_gates_against_python_logic(capsys):
    code, out, err = run(capsys, "gates")
    assert code == 0 and err == ""
    rows = re.findall(r"^ ([01])  ([01]) \|   ([01])  ([01])    ([01]) \|   ([01])$", out, re.MULTILINE)
    table = [tuple(map(int, row)) for row in rows]
    assert table == [(a, b, a & b, a | b, 1 - (a & b), a ^ b) for a in (0, 1) for b in (0, 1)]
    assert "NOT 0 = 1, NOT 1 = 0" in out


# --- perceptron ------------------------------------------------------------

def test_perceptron_learns_and_as_the_library_does(capsys):
    X, y = logic_gate("and", labels="pm1")
    p = Perceptron().fit(X, y)
    assert (p.weights, p.bias) == ([3, 2], -4)                  # issue 2's numbers
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, out, err = run(capsys, "perceptron", "--data", "and")
    assert code == 0 and err == ""
    assert "mistakes per epoch: 2 3 3 2 2 3 2 1 0\n" in out
    assert "Converged after 9 epochs: w = [3, 2], b = -4, the line 3*x1 + 2*x2 - 4 = 0." in out
    assert plot.regions(p.predict, X, y, width=33, height=9) in out    # the fitted perceptron's regions


@pytest.mark.parametrize("gate, table", [("or", [-1, 1, 1, 1]), ("nand", [1, 1, 1, -1])])
def test_perceptron_learns_or_and_nand(capsys, gate, table):
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    p = Perceptron().fit(X, table)
    out = run(capsys, "perceptron", "--data", gate)[1]
    assert f"Converged after {len(p.mistakes)} epochs: w = {p.weights}, b = {p.bias}," in out


def test_perceptron_says_plainly_it_fails_on_xor(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")                           # said in words, not warned
        code, out, err = run(capsys, "perceptron", "--data", "xor", "--max-epochs", "50")
    assert code == 0 and err == ""
    assert "mistakes per epoch: 4 (x50)\n" in out
    assert "Did NOT converge in 50 epochs (4 mistakes in the last);\nit ended at w = [0, 0], b = 0." in out
    assert "XOR is not linearly separable.\nThe point (1/2, 1/2) lies in" in out
    assert "'python -m refnn separable --data xor' shows why" in out


def iris_petals(first, second):
    """Petal length and width (exact decimals) of two species, labelled -1 and +1."""
    iris = load_iris()
    names = iris.target_names
    rows = [(r, t) for r, t in zip(iris.data, iris.target) if names[t] in (first, second)]
    return ([[Fraction(str(r[2])), Fraction(str(r[3]))] for r, _ in rows],
            [1 if names[t] == second else -1 for _, t in rows])


def test_perceptron_on_iris_setosa_versicolor(capsys):
    X, y = iris_petals("setosa", "versicolor")
    p = Perceptron().fit(X, y)                                   # in exact fractions
    out = run(capsys, "perceptron", "--data", "iris")[1]
    weights = ", ".join(str(float(w)) for w in p.weights)
    assert f"Converged after {len(p.mistakes)} epochs: w = [{weights}], b = {p.bias}," in out


def test_perceptron_on_iris_versicolor_virginica_fails(capsys):
    code, out, err = run(capsys, "perceptron", "--data", "iris", "--classes", "versicolor", "virginica",
                         "--max-epochs", "30")
    assert code == 0
    assert "Did NOT converge" in out and "is not linearly separable.\nThe point (4.8, 1.8) lies" in out
    assert "virginica (+1)" in out


# --- separable -------------------------------------------------------------

def linear_form(text):
    """'2*x1 + 2*x2 - 3' -> ([2, 2], -3), as exact fractions."""
    terms = re.findall(r"([+-]?)\s*([\d./]+)(\*x\d)?", text)
    weights = [Fraction(sign + v) for sign, v, x in terms if x]
    bias = [Fraction(sign + v) for sign, v, x in terms if not x]
    return weights, bias[0]


@pytest.mark.parametrize("data, classes", [("and", None), ("or", None), ("nand", None), ("iris", None)])
def test_separable_prints_a_line_that_separates(capsys, data, classes):
    code, out, err = run(capsys, "separable", "--data", data)
    assert code == 0 and err == ""
    line = re.search(r"is linearly separable:\n(.*) is > 0 on every \+1 point", out).group(1)
    w, b = linear_form(line)
    if data == "iris":
        X, y = iris_petals("setosa", "versicolor")
    else:
        X, y = logic_gate(data, labels="pm1")
    assert all(t * (sum(wi * xi for wi, xi in zip(w, x)) + b) > 0 for x, t in zip(X, y))


def test_separable_and_shows_the_issue_line_and_every_value(capsys):
    out = run(capsys, "separable", "--data", "and")[1]
    assert "AND is linearly separable:\n2*x1 + 2*x2 - 3 is > 0" in out
    values = re.findall(r"^  \((\d), (\d)\)\s+([+-]1)\s+(-?\d+)$", out, re.MULTILINE)
    assert [(int(a), int(b), int(t), int(v)) for a, b, t, v in values] == \
        [(0, 0, -1, -3), (0, 1, -1, -1), (1, 0, -1, -1), (1, 1, 1, 1)]      # 2*a + 2*b - 3 by hand


def test_separable_iris_states_the_range_on_each_class(capsys):
    out = run(capsys, "separable", "--data", "iris")[1]
    ranges = re.findall(r"on the 50 points of class ([+-]1): from (\S+) to (\S+)$", out, re.MULTILINE)
    assert [sign for sign, _, _ in ranges] == ["+1", "-1"]
    (_, low, _), (_, _, high) = ranges
    assert Fraction(low) > 0 > Fraction(high)


def mixes(out):
    """The witness lines: [(witness, [(coefficient, point), ...], class)]."""
    found = []
    for witness, mix, label in re.findall(r"^  (\(.*?\)) = (.*)   \(class ([+-]1)\)$", out, re.MULTILINE):
        terms = re.findall(r"([\d/]+)\*\(([^)]*)\)", mix)
        found.append((witness, [(Fraction(c), [Fraction(v) for v in p.split(", ")]) for c, p in terms],
                      int(label)))
    return found


@pytest.mark.parametrize("argv, data", [
    (["--data", "xor"], lambda: logic_gate("xor", labels="pm1")),
    (["--data", "iris", "--classes", "versicolor", "virginica"],
     lambda: iris_petals("versicolor", "virginica")),
])
def test_separable_witness_is_a_mix_of_each_class(capsys, argv, data):
    code, out, err = run(capsys, "separable", *argv)
    assert code == 0 and "is NOT linearly separable" in out
    X, y = data()
    points = {(tuple(Fraction(v) for v in x), t) for x, t in zip(X, y)}
    found = mixes(out)
    assert [label for _, _, label in found] == [1, -1]
    witness = {w for w, _, _ in found}
    assert len(witness) == 1
    target = [Fraction(v) for v in witness.pop().strip("()").split(", ")]
    for _, terms, label in found:
        assert sum(c for c, _ in terms) == 1
        assert all((tuple(p), label) in points for _, p in terms)           # real points of that class
        assert [sum(c * p[k] for c, p in terms) for k in range(2)] == target


def test_xor_witness_is_one_half_one_half(capsys):
    out = run(capsys, "separable", "--data", "xor")[1]
    assert "The witness (1/2, 1/2) lies in the convex hulls of both classes" in out


@pytest.mark.parametrize("argv, message", [
    (["perceptron", "--data", "iris", "--classes", "setosa", "setosa"],
     "perceptron: --classes needs two different species, got setosa twice"),
    (["separable", "--data", "and", "--classes", "setosa", "versicolor"],
     "separable: --classes goes with --data iris, not --data and"),
])
def test_classes_errors(capsys, argv, message):
    err = one_error_line(*run(capsys, *argv))
    assert err == f"python -m refnn: error: {message}\n"


# --- mlp -------------------------------------------------------------------

def accuracies(out):
    """{'train': (right, total), 'test': (right, total)} from the printed lines."""
    found = re.findall(r"^(train|test) accuracy: (\d+)/(\d+) = ", out, re.MULTILINE)
    return {part: (int(right), int(total)) for part, right, total in found}


def test_mlp_learns_xor(capsys):
    code, out, err = run(capsys, "mlp", "--data", "xor")
    assert code == 0 and err == ""
    assert accuracies(out) == {"train": (4, 4), "test": (4, 4)}
    assert "class 0: o (region .)   class 1: x (region :)" in out


def test_mlp_on_moons_splits_80_20_and_learns(capsys):
    code, out, err = run(capsys, "mlp", "--data", "moons", "--epochs", "40")
    assert code == 0 and err == ""
    assert "160 samples to train, 40 to test" in out                   # 80/20 of 200
    acc = accuracies(out)
    assert acc["train"][1] == 160 and acc["test"][1] == 40
    assert acc["test"][0] >= 32                                         # 80 %: the moons are learnable
    assert "model: Linear(2, 16) -> ReLU -> Linear(16, 2)" in out


def test_mlp_is_repeatable_and_the_seed_matters(capsys):
    def without_timing(out):
        return re.sub(r"trained in \S+ s", "", out)
    first = without_timing(run(capsys, "mlp", "--data", "circles", "--epochs", "5")[1])
    again = without_timing(run(capsys, "mlp", "--data", "circles", "--epochs", "5")[1])
    other = without_timing(run(capsys, "mlp", "--data", "circles", "--epochs", "5", "--seed", "1")[1])
    assert first == again
    assert first != other


def test_mlp_hidden_layers_and_batch_size(capsys):
    out = run(capsys, "mlp", "--data", "spiral", "--hidden", "8", "4", "--epochs", "2",
              "--batch-size", "300")[1]
    assert "model: Linear(2, 8) -> ReLU -> Linear(8, 4) -> ReLU -> Linear(4, 3), CrossEntropyLoss" in out
    assert "2 epochs in mini-batches of 300\n" in out
    assert "class 2: + (region ~)" in out                               # three arms, three classes


def confusion(out, classes):
    rows = re.findall(r"^  +(\d+): " + r"\s+(\d+)" * classes, out, re.MULTILINE)
    return [[int(v) for v in row[1:]] for row in rows]


def test_mlp_iris_confusion_table_adds_up(capsys):
    out = run(capsys, "mlp", "--data", "iris", "--epochs", "20")[1]
    acc = accuracies(out)
    assert acc["test"][1] == 30                                          # 20 % of 150
    table = confusion(out, 3)
    assert len(table) == 3
    assert sum(map(sum, table)) == 30
    assert sum(table[k][k] for k in range(3)) == acc["test"][0]         # the diagonal is what was right
    assert "setosa" in out and "virginica" in out


def test_mlp_digits_one_epoch(capsys):
    code, out, err = run(capsys, "mlp", "--data", "digits", "--epochs", "1")
    assert code == 0 and err == ""
    acc = accuracies(out)
    assert acc["test"][1] == 360 and acc["train"][1] == 1437           # ceil(0.2 * 1797) to test
    assert acc["test"][0] >= 0.85 * 360
    table = confusion(out, 10)
    assert len(table) == 10 and sum(map(sum, table)) == 360
    assert sum(table[k][k] for k in range(10)) == acc["test"][0]
    captions = re.findall(r"is (\d), said (\d)", out)
    assert len(captions) == 4
    assert out.count("+----------------+") == 8                         # four digits, framed


# --- progress --------------------------------------------------------------

class Terminal:
    """A stream that says it is a terminal, and keeps what is written to it."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return True


def test_no_progress_line_when_not_a_terminal(capsys):
    code, out, err = run(capsys, "mlp", "--data", "xor", "--epochs", "20")
    assert "\r" not in out and "\r" not in err and "epoch 20/20" not in out + err


def test_progress_line_on_a_terminal(capsys, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["mlp", "--data", "xor", "--epochs", "20"]) == 0
    shown = terminal.text.split("\r")
    assert shown[1].startswith("epoch 1/20  loss ")
    assert re.fullmatch(r"epoch 20/20  loss \d\.\d{4}  accuracy \d+\.\d%\s*", shown[-3])
    assert shown[-2].strip() == "" and shown[-1] == ""                # wiped at the end
    assert "\r" not in capsys.readouterr().out


def test_no_progress_line_when_piped():
    done = python("mlp", "--data", "xor", "--epochs", "20")
    assert done.returncode == 0
    assert "\r" not in done.stdout and done.stderr == ""


# --- pictures to files -----------------------------------------------------

def png_size(path):
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("data", ["xor", "iris"])
def test_plot_writes_a_png(capsys, tmp_path, data):
    pytest.importorskip("matplotlib")
    path = tmp_path / f"{data}.png"
    code, out, err = run(capsys, "mlp", "--data", data, "--epochs", "3", "--plot", str(path))
    assert code == 0 and err == ""
    assert out.endswith(f"wrote {path}\n")
    assert png_size(path) == (400, 300)                                 # plot's default 4 x 3 in at 100 dpi


def test_plot_without_matplotlib_fails_before_training(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    err = one_error_line(*run(capsys, "mlp", "--data", "xor", "--plot", str(tmp_path / "x.png")))
    assert 'mlp: --plot: needs matplotlib' in err and 'pip install "refnn[plot]"' in err
    assert not (tmp_path / "x.png").exists()


def test_plot_path_that_cannot_be_written(capsys, tmp_path):
    for path, reason in [(tmp_path / "no" / "such.png", "there is no folder"),
                         (tmp_path, "must end in .png, .svg or .pdf"),
                         (tmp_path / "x.jpg", "must end in .png, .svg or .pdf")]:
        err = one_error_line(*run(capsys, "mlp", "--data", "xor", "--plot", str(path)))
        assert err.startswith("python -m refnn: error: mlp: argument --plot: ") and reason in err
    folder = tmp_path / "folder.png"
    folder.mkdir()
    err = one_error_line(*run(capsys, "mlp", "--data", "xor", "--plot", str(folder)))
    assert "it is a folder, or not writable" in err


def test_a_write_that_fails_late_is_one_line(capsys, monkeypatch, tmp_path):
    pytest.importorskip("matplotlib")                                  # --plot asks for it before training
    def refuse(path, *args, **kwargs):
        raise OSError(f"save_regions: cannot write {str(path)!r}: No space left on device")
    monkeypatch.setattr(plot, "save_regions", refuse)
    code, out, err = run(capsys, "mlp", "--data", "xor", "--epochs", "2", "--plot", str(tmp_path / "x.png"))
    assert code == 2 and "train accuracy" in out                       # the results came first
    assert err.count("\n") == 1 and "mlp: save_regions: cannot write" in err and "No space left" in err


# --- gradcheck -------------------------------------------------------------

def test_gradcheck_within_the_issue_tolerances(capsys):
    pytest.importorskip("sympy")
    code, out, err = run(capsys, "gradcheck", "--sizes", "2", "3", "1", "--bias",
                         "--loss", "binary_cross_entropy")
    assert code == 0 and err == ""
    # 2*3 + 3*1 weights and 3 + 1 biases
    assert "2-3-1 net, binary_cross_entropy, with biases, 13 parameters" in out
    gaps = re.search(r"gap to sympy (\S+), to central differences (\S+)$", out, re.MULTILINE).groups()
    symbolic, numeric = map(float, gaps)
    assert symbolic < 1e-12 and numeric < 1e-6


def test_gradcheck_without_sympy(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "sympy", None)
    err = one_error_line(*run(capsys, "gradcheck"))
    assert err == ("python -m refnn: error: gradcheck: the gradient check needs sympy: "
                   "install sympy: pip install refnn[symbolic]\n")


# --- bad input -------------------------------------------------------------

@pytest.mark.parametrize("argv, says", [
    (["mlp", "--data", "mnist"], "argument --data: invalid choice: 'mnist'"),
    (["perceptron", "--data", "nor"], "argument --data: invalid choice: 'nor'"),
    (["separable", "--data", "moons"], "argument --data: invalid choice: 'moons'"),
    (["mlp", "--epochs", "-3"], "argument --epochs: must be at least 1, got -3"),
    (["mlp", "--epochs", "0"], "argument --epochs: must be at least 1, got 0"),
    (["mlp", "--epochs", "ten"], "argument --epochs: expected a whole number, got 'ten'"),
    (["mlp", "--epochs", "2.5"], "argument --epochs: expected a whole number, got '2.5'"),
    (["mlp", "--lr", "0"], "argument --lr: must be a number above 0, got '0'"),
    (["mlp", "--lr", "-0.1"], "argument --lr: must be a number above 0, got '-0.1'"),
    (["mlp", "--lr", "nan"], "argument --lr: must be a number above 0, got 'nan'"),
    (["mlp", "--lr", "inf"], "argument --lr: must be a number above 0, got 'inf'"),
    (["mlp", "--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
    (["mlp", "--hidden", "0"], "argument --hidden: must be at least 1, got 0"),
    (["mlp", "--hidden", "16", "x"], "argument --hidden: expected a whole number, got 'x'"),
    (["mlp", "--batch-size", "0"], "argument --batch-size: must be at least 1, got 0"),
    (["mlp", "--seed", "-1"], "argument --seed: must be at least 0, got -1"),
    (["perceptron", "--max-epochs", "0"], "argument --max-epochs: must be at least 1, got 0"),
    (["gradcheck", "--sizes", "3"], "--sizes needs at least 2 layers (input and output), got 1"),
    (["gradcheck", "--sizes", "3", "0", "1"], "argument --sizes: must be at least 1, got 0"),
    (["gradcheck", "--loss", "mse"], "argument --loss: invalid choice: 'mse'"),
    (["mlp", "--hidden"], "argument --hidden: expected at least one argument"),
    (["mlp", "--bogus"], "unrecognized arguments: --bogus"),
    (["teach"], "invalid choice: 'teach'"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, says):
    err = one_error_line(*run(capsys, *argv))
    assert says in err


def test_main_wants_a_list_of_strings():
    with pytest.raises(TypeError, match="main: argv must be a list of strings, got str 'gates'"):
        main("gates")
    with pytest.raises(TypeError, match=r"main: argv must be a list of strings, got list \['mlp', 3\]"):
        main(["mlp", 3])


def test_ctrl_c_is_one_line_and_exit_130(capsys, monkeypatch):
    import refnn._cli as cli

    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "_fit", interrupted)
    code, out, err = run(capsys, "mlp", "--data", "xor")
    assert code == 130 and err == "\npython -m refnn: interrupted\n"


def test_an_unexpected_error_is_one_line_too(capsys, monkeypatch):
    import refnn._cli as cli

    def broken(*args):
        raise RuntimeError("something inside\nwent wrong")
    monkeypatch.setattr(cli, "_fit", broken)
    code, out, err = run(capsys, "mlp", "--data", "xor")
    assert code == 2 and out.startswith("xor: ")                        # what came before stays
    assert err == "python -m refnn: error: mlp: RuntimeError: something inside went wrong\n"


def test_gradcheck_too_large_for_sympy_is_one_line(capsys):
    err = one_error_line(*run(capsys, "gradcheck", "--sizes", "50", "50", "1"))
    assert "gradcheck: --sizes 50 50 1 gives 2550 parameters; sympy checks at most 500" in err
    assert "Traceback" not in err


# --- explain ----------------------------------------------------------------

@pytest.mark.parametrize("step", STEPS)
def test_explain_help_of_every_step(capsys, step):
    code, out, err = run(capsys, "explain", step, "--help")
    assert code == 0 and out.startswith(f"usage: python -m refnn explain {step} [-h]") and "--digits" in out


def test_explain_graph_of_the_seed_neuron(capsys):
    """The graph's gradient at w is the gradient backward left in w.grad: x^T times d loss/dz."""
    code, out, err = run(capsys, "explain", "graph")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[1].startswith("loss = [1] SumBackward: value 4.5e-05, grad 1.0; from [2]")
    assert lines[5] == "[5] MatMulBackward: value [[5.0]], grad [[-8.9e-05]]; from w"
    assert lines[6] == "w = [6] leaf: value [[2.0], [3.0], [0.0]], .grad [[-8.9e-05], [-8.9e-05], [8.9e-05]]"
    out = run(capsys, "explain", "graph", "--target", "0", "--digits", "3")[1]
    assert "y = [4] SigmoidBackward: value [[0.993]], grad [[1.987]]; from [5]" in out


def test_explain_matmul_the_seed(capsys):
    code, out, err = run(capsys, "explain", "matmul")
    assert code == 0 and err == ""
    assert "[0][0] = 1*2 + 1*3 + (-1)*0 = 5\n" in out
    assert len(re.findall(r"^\[\d\]\[\d\] = ", out, re.MULTILINE)) == 6
    out = run(capsys, "explain", "matmul", "--x", "[[0.5, 2]]", "--weight", "[[2], [-1]]")[1]
    assert out == "entry [i][j] = row i of A times column j of B:\n[0][0] = 0.5*2 + 2*(-1) = -1.0\n"


def test_explain_neuron_against_the_gates(capsys):
    from refnn.neuron import NAND
    out = run(capsys, "explain", "neuron", "--gate", "nand")[1]
    fired = [int(v) for v in re.findall(r", (?:fires|stays) ([01])$", out, re.MULTILINE)]
    assert fired == [NAND(a, b) for a in (0, 1) for b in (0, 1)]
    out = run(capsys, "explain", "neuron", "--gate", "and", "--inputs", "1", "1")[1]
    assert out.splitlines()[-1] == "x = [1, 1]: 1*1 + 1*1 - 2 = 0 >= 0, fires 1"


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_explain_perceptron_ends_where_fit_ends(capsys, gate):
    X, y = logic_gate(gate, labels="pm1")
    p = Perceptron().fit(X, y)
    out = run(capsys, "explain", "perceptron", "--data", gate, "--all")[1]
    last = re.findall(r"after epoch (\d+): (\d+) mistakes, w = \[(.*)\], b = (\S+)$", out, re.MULTILINE)
    assert len(last) == len(p.history)
    assert last[-1] == (str(len(p.history)), "0", ", ".join(map(str, p.weights)), str(p.bias))
    assert out.count("a mistake:") == sum(p.mistakes)
    short = run(capsys, "explain", "perceptron", "--data", gate)[1]     # two epochs written out by default
    assert len(re.findall(r"^epoch \d+:$", short, re.MULTILINE)) == min(2, len(p.history))


def test_explain_backprop_two_samples_by_default_all_with_all(capsys):
    x, y = classic_xor()
    layers = mlp.forward(mlp.init_weights([3, 4, 1], seed=1), x)
    out = run(capsys, "explain", "backprop")[1]
    assert "... (2 more samples not shown)" in out
    everything = run(capsys, "explain", "backprop", "--all")[1]
    outputs = re.findall(r"^  layer2\[(\d)\]\[0\] = .* = (\S+)$", everything, re.MULTILINE)
    assert [(int(s), float(v)) for s, v in outputs] == [(s, round(layers[2][s][0], 6)) for s in range(4)]
    assert "lr = 1)" in everything                                      # the classic's lr, not 1.0


@pytest.mark.parametrize("argv, says", [
    (["explain"], "explain: which step? one of matmul, neuron, perceptron, backprop"),
    (["explain", "matmul", "--x", "[[1, 2]]"], "explain matmul: matmul: (1, 2) @ (3, 2): inner sizes"),
    (["explain", "matmul", "--x", "[[1, 2"], "explain matmul: argument --x: expected a matrix in JSON"),
    (["explain", "neuron", "--inputs", "2"], "argument --inputs: invalid choice: 2"),
    (["explain", "neuron", "--inputs", "1"], "explain neuron: neuron: AND: expected 2 inputs"),
    (["explain", "backprop", "--samples", "0"], "argument --samples: must be at least 1, got 0"),
    (["explain", "perceptron", "--digits", "-1"], "argument --digits: must be at least 0, got -1"),
    (["explain", "graph", "--target", "x"], "argument --target: invalid float value: 'x'"),
])
def test_explain_errors_are_one_line(capsys, argv, says):
    assert says in one_error_line(*run(capsys, *argv))


# --- how the program is named, a closed pipe, progress on a terminal ---------------

def test_usage_names_the_console_script(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [os.path.join("venv", "bin", "refnn")])
    code, out, _ = run(capsys, "explain", "--help")
    assert code == 0 and out.startswith("usage: refnn explain [-h]")
    code, out, err = run(capsys, "mlp", "--epochs", "0")
    assert code == 2 and err == "refnn: error: mlp: argument --epochs: must be at least 1, got 0\n"
    monkeypatch.setattr(sys, "argv", [os.path.join("refnn", "__main__.py")])          # python -m refnn
    assert run(capsys, "--help")[1].startswith("usage: python -m refnn [-h]")


def test_usage_names_the_console_script_in_a_subprocess():
    code = ("import sys; sys.argv[0] = '/usr/local/bin/refnn'; "
            "from refnn.__main__ import main; sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", code, "gates", "--bogus"], capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert done.returncode == 2 and done.stderr == "refnn: error: unrecognized arguments: --bogus\n"


def test_a_closed_pipe_ends_quietly():
    """The reader takes one line and goes (| head -1); the writer, with ~1 MB left to write, stops quietly."""
    argv = [sys.executable, "-m", "refnn", "explain", "perceptron", "--data", "xor", "--all"]
    writer = subprocess.Popen(argv,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    first = writer.stdout.readline()
    writer.stdout.close()
    code = writer.wait(timeout=60)
    err = writer.stderr.read().decode()
    writer.stderr.close()
    assert first.startswith(b"XOR's truth table")
    assert code == 141 and err == ""                                  # no BrokenPipeError, no traceback


def read_all(fd):
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:                                               # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal as on Linux")
def test_gradcheck_shows_progress_on_a_terminal():
    pytest.importorskip("sympy")
    import pty
    master, slave = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "refnn", "gradcheck"],          # 3-4-1: seconds of sympy
                          stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    os.close(slave)
    terminal = read_all(master)
    os.close(master)
    assert done.returncode == 0 and b"\r" not in done.stdout              # the results: plain, on stdout
    shown = [part.strip() for part in terminal.split("\r") if part.strip()]
    assert shown and all(re.fullmatch(r"gradcheck 3-4-1: sympy, then central differences \.\.\. \d+ s", p)
                         for p in shown)
    assert terminal.endswith("\r")                                     # wiped at the end


def test_the_ticker_shows_the_time_and_wipes_itself(monkeypatch):
    import refnn._cli as cli
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._ticking("training"):
        time.sleep(2.3)
    parts = terminal.text.split("\r")
    shown = [p.strip() for p in parts[1:-2]]
    assert parts[0] == "" and 1 <= len(shown) <= 3 and shown[0] in ("training ... 1 s", "training ... 2 s")
    assert all(re.fullmatch(r"training \.\.\. [123] s", p) for p in shown)     # one line a second
    assert parts[-2].strip() == "" and parts[-1] == ""                  # wiped
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._ticking("quick"):
        pass
    assert terminal.text == ""                                          # under a second: not a word


# --- picture size ---------------------------------------------------------------

def test_size_in_pixels(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "big.png"
    code, out, err = run(capsys, "mlp", "--data", "xor", "--epochs", "2", "--plot", str(path),
                         "--size", "800x600")
    assert code == 0 and err == ""
    assert png_size(path) == (800, 600)


@pytest.mark.parametrize("argv, says", [
    (["mlp", "--size", "800"], "argument --size: expected WIDTHxHEIGHT in pixels, e.g. 800x600, got '800'"),
    (["mlp", "--size", "8x6"], "argument --size: width and height must be from 16 to 10000 pixels"),
    (["mlp", "--data", "xor", "--size", "800x600"], "mlp: --size goes with --plot"),
])
def test_size_errors(capsys, argv, says):
    assert says in one_error_line(*run(capsys, *argv))
