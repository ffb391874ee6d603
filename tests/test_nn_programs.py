"""The PyTorch programs of tests/programs.py run on refnn, with refnn's imports in front (no torch needed).

tests/test_nn_programs_torch.py runs the same text on PyTorch too and compares every printed number.
"""
import pytest

import programs


def test_autograd_on_a_few_tensors_gives_the_derivatives_by_hand():
    printed = programs.run("refnn", "autograd", [])
    z, *rest = programs.numbers(printed)
    # y_i = x_i·w, z = mean σ(y) + Σ w²/4;
    # ∂z/∂x_ij = σ'(y_i)·w_j / 2, ∂z/∂w_j = Σ_i σ'(y_i)·x_ij / 2 + w_j / 2
    import math
    x, w = [[1.0, 2.0], [3.0, 4.0]], [0.5, -1.0]
    ys = [sum(a * b for a, b in zip(row, w)) for row in x]
    s = [1 / (1 + math.exp(-v)) for v in ys]
    slope = [v * (1 - v) for v in s]
    assert abs(z - (sum(s) / 2 + 1.25 / 4)) < 1e-15
    grad_x = [slope[i] * w[j] / 2 for i in range(2) for j in range(2)]
    grad_w = [sum(slope[i] * x[i][j] for i in range(2)) / 2 + w[j] / 2 for j in range(2)]
    assert max(abs(a - b) for a, b in zip(rest[:6], grad_x + grad_w)) < 1e-15
    assert "False True True\nFalse [-1.5, -2.5]" in printed


def test_xor_with_bce_learns():
    printed = programs.run("refnn", "xor", [])
    assert printed.rstrip().endswith("[0, 1, 1, 0]")
    losses = [float(line.split()[1]) for line in printed.splitlines()[:4]]
    assert losses == sorted(losses, reverse=True) and losses[-1] < 0.01


@pytest.mark.parametrize("name", ["digits_net"])
def test_the_seeds_net_with_its_init_loop_trains_on_digits(name):
    starts = []
    printed = programs.run("refnn", name, starts)
    lines = printed.splitlines()
    assert lines[0] == "Net(" and "True True" in lines                  # the init loop: BN weight 1, biases 0
    losses = [float(line.split()[2]) for line in lines if len(line.split()) == 3 and line[0].isdigit()]
    assert len(losses) == 9 and losses[-1] < losses[0] / 2
    assert len(starts) == 1 and "bn1.num_batches_tracked" in starts[0]
