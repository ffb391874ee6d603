"""The autograd engine: accumulation, retain_graph, its errors, no_grad, deep graphs, DAGs, in-place rules.

And the chain rule done by the graph equals the chain rule done by hand:
autograd on the classic 3-4-1 network (Andrew Trask's 11-line NumPy
program, 2015: its XOR data and ``2*random-1`` start) gives the gradients of
``refnn.mlp.backward`` to 1e-12.
"""
import random

import pytest

import refnn
from refnn import mlp
from refnn.matrix import ShapeError
from refnn.autograd import Function, backward, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from refnn.tensors import tensor, zeros


def test_gradients_accumulate_until_zeroed():
    w = tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    (w * w).sum().backward()
    assert w.grad.tolist() == [3.0 + 2.0, 3.0 + 4.0]
    w.grad.zero_()
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


def test_a_second_backward_needs_retain_graph():
    w = tensor(2.0, requires_grad=True)
    y = w * w * w
    y.backward(retain_graph=True)
    y.backward()
    assert w.grad.item() == 2 * 12.0
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_the_engine_s_errors_are_pytorchs():
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (tensor([1.0, 2.0], requires_grad=True) * 2).backward()
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        tensor([1.0]).sum().backward()
    with pytest.raises(ShapeError, match="Mismatch in shape"):       # RuntimeError in PyTorch
        (tensor([1.0, 2.0], requires_grad=True) * 2).backward(tensor([1.0]))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        tensor([1.0], requires_grad=True).mul_(2)
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        (tensor([1.0], requires_grad=True) * 2).requires_grad_(False)


def test_no_grad_records_nothing_and_nests():
    w = tensor([1.0], requires_grad=True)
    with no_grad():
        y = w * 2 + 1
        assert not is_grad_enabled()
        with enable_grad():
            z = w * 2
        w.add_(1)                                   # an optimizer's step: allowed here
    assert (y.requires_grad, y.grad_fn, z.requires_grad) == (False, None, True)
    assert w.tolist() == [2.0] and is_grad_enabled()
    with set_grad_enabled(False):
        assert not (w * w).requires_grad


def test_a_deep_graph_of_10000_steps_needs_no_recursion():
    w = tensor(1.0, requires_grad=True)
    y = w
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert abs(w.grad.item() - 1.0001 ** 10_000) < 1e-9 * 1.0001 ** 10_000


def test_a_tensor_feeding_two_paths_gets_both_gradients():
    x = tensor([1.0, 2.0], requires_grad=True)
    h = x * x                                   # h feeds two paths, which meet again
    a, b = h * 3, h.exp()
    (a + b).sum().backward()
    expected = [2 * v * (3 + __import__("math").exp(v * v)) for v in (1.0, 2.0)]
    assert max(abs(g - e) for g, e in zip(x.grad.tolist(), expected)) < 1e-12


def test_the_same_step_is_visited_once_in_a_diamond_chain():
    calls = []

    class Count(Function):
        @staticmethod
        def forward(ctx, x):
            return [v * 1 for v in x]

        @staticmethod
        def backward(ctx, grad):
            calls.append(1)
            return grad
    x = tensor([1.0], requires_grad=True)
    y = Count.apply(x)
    for _ in range(30):                         # 2**30 paths: walked as a graph, not as paths
        y = y + y
    y.sum().backward()
    assert len(calls) == 1 and x.grad.item() == 2.0 ** 30


def test_detach_cuts_the_graph_and_shares_the_numbers():
    w = tensor([1.0, 2.0], requires_grad=True)
    d = (w * 2).detach()
    loss = (w * d).sum()
    loss.backward()
    assert w.grad.tolist() == [2.0, 4.0]        # d counted as a constant
    v = w.detach()
    with no_grad():
        v.mul_(10)
    assert w.tolist() == [10.0, 20.0]           # the same numbers, as PyTorch's detach


def test_data_is_the_numbers_an_optimizer_changes_in_place():
    p = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    row = p.data.tolist()
    p.data.add_(tensor([[1.0, 1.0], [1.0, 1.0]]), alpha=-0.5)
    assert p.tolist() == [[0.5, 1.5], [2.5, 3.5]] and row == [[1.0, 2.0], [3.0, 4.0]]
    p.data = tensor([[0.0, 0.0], [0.0, 0.0]])
    assert p.tolist() == [[0.0, 0.0], [0.0, 0.0]] and p.requires_grad


def test_in_place_ops_change_the_lists_themselves():
    t = zeros(2, 3)
    first_row = t._value[0]
    t.fill_(2).mul_(3).sub_(1).div_(5).clamp_(0, 0.9)
    assert first_row == [0.9, 0.9, 0.9]
    t.copy_(tensor([1, 2, 3]))
    assert t.tolist() == [[1.0, 2.0, 3.0]] * 2
    with pytest.raises(ShapeError, match="doesn't match the broadcast shape"):     # RuntimeError in PyTorch
        zeros(3).add_(zeros(2, 3))


def test_an_in_place_op_on_a_step_of_the_graph_is_recorded():
    w = tensor([1.0, 2.0], requires_grad=True)
    y = w * 2
    y.mul_(w)                                   # y = 2w·w
    y.sum().backward()
    assert w.grad.tolist() == [4.0, 8.0]


def test_random_fillers_draw_from_refnn_init_s_seeded_generator():
    refnn.manual_seed(3)
    a = refnn.randn(2, 3).tolist() + refnn.rand(4).tolist()
    refnn.manual_seed(3)
    assert refnn.randn(2, 3).tolist() + refnn.rand(4).tolist() == a


def test_autograd_on_the_classic_3_4_1_network_is_mlp_backward():
    rng = random.Random(1)
    X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    y = [[0], [1], [1], [0]]
    weights = [[[2 * rng.random() - 1 for _ in range(4)] for _ in range(3)],
               [[2 * rng.random() - 1] for _ in range(4)]]
    hand = mlp.backward(weights, mlp.forward(weights, X), y, "squared_error").weights
    w0, w1 = (tensor(w, requires_grad=True) for w in weights)
    layer1 = (tensor(X) @ w0).sigmoid()
    layer2 = (layer1 @ w1).sigmoid()
    error = tensor(y) - layer2
    (0.5 * (error * error).sum()).backward()
    for ours, theirs in zip((w0.grad.tolist(), w1.grad.tolist()), hand):
        for row, hand_row in zip(ours, theirs):
            assert max(abs(a - b) for a, b in zip(row, hand_row)) < 1e-12


def test_backward_function_and_method_agree_on_a_leaf():
    w = tensor([1.0, 2.0], requires_grad=True)
    backward(w, tensor([3.0, 4.0]))
    assert w.grad.tolist() == [3.0, 4.0]


def test_exact_numbers_give_exact_gradients():
    from fractions import Fraction
    w = tensor([Fraction(1, 3), Fraction(2)], requires_grad=True)
    ((w * w) / 3).sum().backward()
    assert w.grad.tolist() == [Fraction(2, 9), Fraction(4, 3)]


def test_a_number_s_data_is_changed_in_place_too():
    p = tensor(2.0, requires_grad=True)
    p.data.fill_(3)
    p.data.data.mul_(2)                         # a view of a view writes through to p
    p.detach().add_(1)
    assert p.item() == 7.0 and p.requires_grad
    m = tensor([[1.0]], requires_grad=True)
    m.data.data.zero_()
    assert m.tolist() == [[0.0]]


def test_setitem_writes_in_place_and_is_recorded():
    x = zeros(2, 3)
    row = x._value[1]
    x[1] = tensor([1.0, 2.0, 3.0])
    x[0, 1:] = 5
    assert x.tolist() == [[0.0, 5.0, 5.0], [1.0, 2.0, 3.0]] and row == [1.0, 2.0, 3.0]
    w = tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = zeros(2, 3)
    y[0] = w * 2                                 # y joins the graph, as with PyTorch's CopySlices
    (y * y).sum().backward()
    assert w.grad.tolist() == [8.0, 16.0, 24.0] and not y.is_leaf
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w[0] = 1.0
    with pytest.raises(ShapeError, match="__setitem__: shapes .3,., .2,. do not broadcast"):
        x[0] = [1.0, 2.0]
    with pytest.raises(ShapeError, match="cannot be broadcast to indexing result of shape .3,."):
        x[0] = [[1.0], [2.0]]


def test_gradients_reach_every_step_and_leave_grad_alone():
    """gradients(): the grad at every step's output and each leaf's total, the same as backward gives."""
    from refnn.autograd import gradients
    from refnn.tensors import tensor
    w = tensor([2.0, -1.0], requires_grad=True)
    loss = (w * w).sum() + w.sum()                      # two paths to w: 2w + 1
    found = gradients(loss)
    assert [type(n).__name__ for n, _ in found] == ["FunctionCtx"] * 4 + ["Tensor"]
    assert found[-1][0] is w and found[-1][1].tolist() == [5.0, -1.0] and w.grad is None
    loss.backward()
    assert w.grad.tolist() == found[-1][1].tolist()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        gradients(loss)
    with pytest.raises(TypeError, match="gradients: tensor must be a Tensor made by a recorded step"):
        gradients(w)


def test_backward_of_a_one_element_tensor_of_any_shape():
    """PyTorch's backward takes any tensor of one number: shape (1,) and (1, 1) as well as ()."""
    from refnn.tensors import tensor
    for value in ([2.0], [[2.0]]):
        w = tensor(value, requires_grad=True)
        (w * w).backward()
        assert w.grad.tolist() == [4.0] if value == [2.0] else w.grad.tolist() == [[4.0]]
