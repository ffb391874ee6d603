"""refnn.activations: values, derivatives held against sympy and central differences, no overflow."""
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refnn import activations as act

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-30, 30)

PAIRS = [
    (act.sigmoid, act.sigmoid_prime),
    (act.tanh, act.tanh_prime),
    (act.relu, act.relu_prime),
]


@given(finite)
def test_sigmoid_is_finite_and_in_unit_interval(x):
    s = act.sigmoid(x)
    assert 0 <= s <= 1 and math.isfinite(act.sigmoid_prime(x))


@pytest.mark.parametrize("x", [1e308, -1e308, 710.0, -710.0, 709.0, -709.0, 5e-324])
def test_sigmoid_extremes(x):
    s = act.sigmoid(x)
    assert math.isfinite(s)
    # σ(x) + σ(−x) = 1 holds wherever both are representable
    assert s + act.sigmoid(-x) == pytest.approx(1.0)


@given(st.floats(-700, 700))
def test_sigmoid_is_the_formula(x):
    assert act.sigmoid(x) == 1 / (1 + math.exp(-x))


@given(st.floats(-745, -700))
def test_sigmoid_far_left_matches_the_exact_value(x):
    # exact σ(x) = e^x / (1 + e^x); the 1 + e^x is 1.0 to double precision here
    assert act.sigmoid(x) == pytest.approx(math.exp(x) / (1 + math.exp(x)), rel=1e-15)


@given(finite)
def test_tanh_is_finite(x):
    assert -1 <= act.tanh(x) <= 1 and math.isfinite(act.tanh_prime(x))


@pytest.mark.parametrize("f, f_prime", PAIRS)
@given(x=moderate.filter(lambda v: abs(v) > 1e-3))
def test_derivative_by_central_differences(f, f_prime, x):
    h = 1e-6
    slope = (f(x + h) - f(x - h)) / (2 * h)
    assert f_prime(x) == pytest.approx(slope, rel=1e-5, abs=1e-8)


@pytest.mark.parametrize("f, f_prime", PAIRS)
def test_derivative_by_sympy(f, f_prime):
    sympy = pytest.importorskip("sympy")
    z = sympy.Symbol("z", real=True)
    derivative = sympy.diff(f(z), z)
    for x in (-2.5, -0.3, 0.7, 3.0):
        expected = float(derivative.subs(z, x).evalf(30).rewrite(sympy.Piecewise)) \
            if f is act.relu else float(derivative.subs(z, x).evalf(30))
        assert f_prime(x) == pytest.approx(expected, rel=1e-14, abs=1e-15)


def test_sympy_arguments_give_the_formulas():
    sympy = pytest.importorskip("sympy")
    z = sympy.Symbol("z")
    assert act.sigmoid(z) == 1 / (1 + sympy.exp(-z))
    assert act.tanh(z) == sympy.tanh(z)
    assert sympy.simplify(act.sigmoid_prime(z) - sympy.diff(act.sigmoid(z), z)) == 0


def test_sign_and_step_at_and_around_zero():
    assert [act.sign(v) for v in (-2, -0.0, 0, 0.0, 3)] == [-1, 0, 0, 0, 1]
    assert [act.step(v) for v in (-2, 0, 3)] == [0, 1, 1]
    assert act.sign(Fraction(-1, 3)) == -1


def test_relu_keeps_nan_and_ints():
    assert math.isnan(act.relu(float("nan")))
    assert act.relu(7) == 7 and type(act.relu(-7)) is int


@pytest.mark.parametrize("fn", [act.sigmoid, act.sigmoid_prime, act.tanh, act.tanh_prime, act.relu,
                                act.relu_prime, act.sign, act.sign_prime, act.step, act.step_prime])
@pytest.mark.parametrize("bad", ["1", None, [1], {}])
def test_non_numbers_raise_type_error_naming_the_function(fn, bad):
    with pytest.raises(TypeError, match=rf"^{fn.__name__}: expected a number, got"):
        fn(bad)


@pytest.mark.parametrize("fn", [act.sign, act.step, act.sign_prime, act.step_prime])
def test_nan_has_no_side(fn):
    with pytest.raises(ValueError, match="is NaN"):
        fn(float("nan"))


def test_thresholds_take_sympy_numbers_but_not_symbols():
    sympy = pytest.importorskip("sympy")
    assert [act.step(sympy.Integer(v)) for v in (-1, 0, 1)] == [0, 1, 1]
    assert [act.sign(sympy.Rational(v, 3)) for v in (-1, 0, 1)] == [-1, 0, 1]
    with pytest.raises(TypeError, match="^sign: expected a number, got Symbol"):
        act.sign(sympy.Symbol("z"))


# --- examples moved out of the docstrings (issue #10): the errors, their messages pinned ---------

@pytest.mark.parametrize("call, error, message", [
    (lambda: act.tanh("1"), TypeError, "tanh: expected a number, got str '1'"),
    (lambda: act.sigmoid(None), TypeError, "sigmoid: expected a number, got NoneType None"),
    (lambda: act.sigmoid_prime([1]), TypeError, "sigmoid_prime: expected a number, got list [1]"),
    (lambda: act.step(float("nan")), ValueError, "step: x is NaN, which lies on neither side of 0"),
    (lambda: act.sigmoid_prime_from_output(2), ValueError,
     "sigmoid_prime_from_output: s = 2 is no sigmoid output (those lie in [0, 1]); "
     "for the slope at a sum z use sigmoid_prime(z)"),
    (lambda: act.sigmoid_prime_from_output([0.5]), TypeError,
     "sigmoid_prime_from_output: expected a number, got list [0.5]"),
    (lambda: act.clamped_log(-0.5), ValueError, "clamped_log: ln needs p ≥ 0, got -0.5"),
    (lambda: act.clamped_log("1"), TypeError, "clamped_log: expected a number, got str '1'"),
])
def test_the_errors_once_shown_in_the_docstrings(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message


# --- σ' from the output, and the clamped log ---------------------------------------------------

@given(finite)
def test_sigmoid_prime_is_sigmoid_prime_from_output_of_sigmoid(x):
    s = act.sigmoid(x)
    assert act.sigmoid_prime(x) == act.sigmoid_prime_from_output(s) == s * (1 - s)


def test_sigmoid_prime_from_output_lets_nan_through_and_keeps_fractions():
    assert math.isnan(act.sigmoid_prime_from_output(float("nan")))
    assert act.sigmoid_prime_from_output(Fraction(1, 3)) == Fraction(2, 9)


@given(st.floats(0, 1))
def test_clamped_log_is_ln_clamped_at_minus_100(p):
    # PyTorch's BCELoss: "clamps its log function outputs to be greater than or equal to -100"
    expected = max(math.log(p), -100.0) if p > 0 else -100.0
    assert act.clamped_log(p) == expected
    assert act.clamped_log(p) >= -100.0


def test_clamped_log_of_a_symbol_is_sympys_log():
    sympy = pytest.importorskip("sympy")
    p = sympy.Symbol("p")
    assert act.clamped_log(p) == sympy.log(p)
