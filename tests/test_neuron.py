"""Tests of the McCulloch–Pitts neuron: gates against Python's own logic, XOR, bad input."""
import copy
import itertools
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from refnn.matrix import ShapeError
from refnn.neuron import AND, NAND, NOT, OR, XOR, MPNeuron, print_truth_table, truth_table

BITS = (0, 1)


def python_table(fn, n):
    """The truth table of fn written out with nested loops, independently of truth_table."""
    if n == 1:
        return [(a, fn(a)) for a in BITS]
    if n == 2:
        return [(a, b, fn(a, b)) for a in BITS for b in BITS]
    return [(a, b, c, fn(a, b, c)) for a in BITS for b in BITS for c in BITS]


# --- the gates against Python's and / or / not ------------------------------

@pytest.mark.parametrize("gate, n, logic", [
    (AND, 2, lambda a, b: int(bool(a and b))),
    (OR, 2, lambda a, b: int(bool(a or b))),
    (NAND, 2, lambda a, b: int(not (a and b))),
    (NOT, 1, lambda a: int(not a)),
    (XOR, 2, lambda a, b: int(bool((a or b) and not (a and b)))),
])
def test_gate_tables_match_python_logic(gate, n, logic):
    assert truth_table(gate, n) == python_table(logic, n)


def test_gates_are_single_neurons_with_the_textbook_thresholds():
    # θ counts the active inputs a gate needs: AND both, OR one
    assert (AND.weights, AND.theta) == ([1, 1], 2)
    assert (OR.weights, OR.theta) == ([1, 1], 1)
    assert isinstance(NOT, MPNeuron) and isinstance(NAND, MPNeuron)


def test_outputs_are_ints_for_every_accepted_form_of_0_and_1():
    for args in [(True, 1), (1.0, Fraction(1)), ([1, True],), ((1, 1),)]:
        out = AND(*args)
        assert out == 1 and type(out) is int


def test_list_and_separate_arguments_agree():
    for x in itertools.product(BITS, repeat=2):
        assert NAND(list(x)) == NAND(*x) == NAND(tuple(x))


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=4), st.integers(-10, 10), st.data())
def test_neuron_fires_exactly_when_the_sum_reaches_theta(weights, theta, data):
    """Property: y = 1 if and only if Σ w_i x_i ≥ θ, for every binary input."""
    x = data.draw(st.lists(st.sampled_from(BITS), min_size=len(weights), max_size=len(weights)))
    total = 0
    for w, xi in zip(weights, x):
        total += w * xi
    assert MPNeuron(weights, theta)(x) == (1 if total >= theta else 0)


def test_truth_table_of_three_inputs_counts_in_binary():
    majority = MPNeuron([1, 1, 1], theta=2)
    assert truth_table(majority) == python_table(lambda a, b, c: int(a + b + c >= 2), 3)


# --- XOR: two layers, never one ------------------------------------------------

def test_xor_hidden_layer_maps_corners_to_a_separable_picture():
    hidden = {x: (OR(x), NAND(x)) for x in itertools.product(BITS, repeat=2)}
    assert hidden == {(0, 0): (0, 1), (0, 1): (1, 1), (1, 0): (1, 1), (1, 1): (1, 0)}
    assert [XOR(*x) for x in hidden] == [AND(h) for h in hidden.values()]


@given(st.lists(st.fractions(min_value=-20, max_value=20, max_denominator=50), min_size=3, max_size=3))
def test_no_single_neuron_computes_xor(params):
    """Property: whatever weights and θ, one M-P neuron's table differs from XOR's."""
    w1, w2, theta = params
    xor = [(a, b, a ^ b) for a in BITS for b in BITS]
    assert truth_table(MPNeuron([w1, w2], theta)) != xor


def test_xnor_from_two_layers_built_like_xor():
    nor = MPNeuron([-1, -1], theta=0, name="NOR")
    xnor = lambda a, b: OR(AND(a, b), nor(a, b))      # noqa: E731
    assert truth_table(xnor, 2) == python_table(lambda a, b: int(a == b), 2)


# --- printing -------------------------------------------------------------------

def test_print_truth_table_layout(capsys):
    print_truth_table(MPNeuron([1, 1, 1], theta=3, name="AND3"))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "x1 x2 x3 | AND3"
    assert lines[1] == " 0  0  0 |    0"
    assert lines[-1] == " 1  1  1 |    1"
    assert len(lines) == 1 + 8


def test_print_truth_table_names_a_function_by_its_name(capsys):
    print_truth_table(XOR, 2)
    assert capsys.readouterr().out.splitlines()[0] == "x1 x2 | XOR"


# --- bad input ------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: AND(1, 1, 0), ShapeError, r"AND: expected 2 inputs \(one per weight\), got 3"),
    (lambda: NOT(1, 0), ShapeError, r"NOT: expected 1 input \(one per weight\), got 2"),
    (lambda: AND([1]), ShapeError, "AND: expected 2 inputs"),
    (lambda: AND(1, 2), ValueError, "AND: inputs must be 0 or 1, got 2 at position 1"),
    (lambda: AND(float("nan"), 1), ValueError, "AND: inputs must be 0 or 1, got nan at position 0"),
    (lambda: OR("1", 0), TypeError, "OR: inputs must be 0 or 1, got str '1' at position 0"),
    (lambda: OR(None, 0), TypeError, "OR: inputs must be 0 or 1, got NoneType"),
    (lambda: OR(1j, 0), TypeError, "OR: inputs must be 0 or 1, got complex"),
    (lambda: MPNeuron([1], 0)(2), ValueError, "MPNeuron: inputs must be 0 or 1, got 2"),
    (lambda: XOR(1, -1), ValueError, "XOR: inputs must be 0 or 1, got -1 at position 1"),
    (lambda: MPNeuron([], 1), ShapeError, "MPNeuron: weights: empty vector"),
    (lambda: MPNeuron([[1, 1]], 1), ShapeError, "MPNeuron: weights: expected a vector"),
    (lambda: MPNeuron([1, "a"], 1), TypeError, "MPNeuron: weights: expected numbers, got str 'a'"),
    (lambda: MPNeuron([1, True], 1), TypeError, "MPNeuron: weights.1. must be a real number, got bool"),
    (lambda: MPNeuron([1, float("inf")], 1), ValueError, r"MPNeuron: weights\[1\] is inf"),
    (lambda: MPNeuron([1], None), TypeError, "MPNeuron: theta must be a real number, got NoneType"),
    (lambda: MPNeuron([1], float("nan")), ValueError, "MPNeuron: theta is nan"),
    (lambda: MPNeuron([1], 1, name=1), TypeError, "MPNeuron: name must be a str, got int"),
    (lambda: truth_table(42), TypeError, "truth_table: gate must be callable"),
    (lambda: truth_table(XOR), TypeError, "truth_table: give n_inputs for XOR"),
    (lambda: truth_table(AND, 0), ValueError, "truth_table: n_inputs must be at least 1, got 0"),
    (lambda: truth_table(AND, 2.0), TypeError, "truth_table: n_inputs must be an int, got float"),
    (lambda: print_truth_table(lambda a: a), TypeError, "print_truth_table: give n_inputs for <lambda>"),
    # moved here from the docstrings (issue #10), each message as it was shown there
    (lambda: AND("1", 0), TypeError, r"^AND: inputs must be 0 or 1, got str '1' at position 0$"),
    (lambda: MPNeuron([1, 1], theta=float("nan")), ValueError,
     r"^MPNeuron: theta is nan; it must be a finite number$"),
    (lambda: NOT(), ShapeError, r"^NOT: expected 1 input \(one per weight\), got 0$"),
    (lambda: XOR(1, 0.5), ValueError, r"^XOR: inputs must be 0 or 1, got 0.5 at position 1$"),
    (lambda: truth_table(XOR), TypeError,
     r"^truth_table: give n_inputs for XOR; only an MPNeuron knows its number of inputs$"),
    (lambda: print_truth_table(print, 0), ValueError,
     r"^print_truth_table: n_inputs must be at least 1, got 0$"),
    (lambda: truth_table(lambda *x: 0, 40), ValueError,          # a limit: 2**40 rows are refused at once
     r"^truth_table: a truth table of 40 inputs would hold 4.51e\+13 numbers; "
     r"refnn's lists hold at most 100000000$"),
])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_symbolic_weights_are_refused():
    sympy = pytest.importorskip("sympy")
    with pytest.raises(TypeError, match="MPNeuron: weights.0. must be a real number, got Symbol"):
        MPNeuron([sympy.Symbol("w"), 1], 1)


def test_arguments_are_not_changed_and_later_changes_do_not_reach_the_neuron():
    weights, x = [1, 1], [1, 0]
    kept = copy.deepcopy((weights, x))
    neuron = MPNeuron(weights, theta=1)
    neuron(x)
    assert (weights, x) == kept
    weights[0] = -5
    assert neuron(1, 0) == 1 and neuron.weights == [1, 1]
