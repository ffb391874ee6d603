"""refnn.optim.Adam and optim.lr_scheduler.StepLR: the update as the paper writes it, and its properties."""
import math
import random

import pytest
from hypothesis import given, strategies as st

from refnn import optim
from refnn.optim.lr_scheduler import StepLR
from refnn.tensors import tensor

finite = st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3)


def leaf(values):
    return tensor(values, requires_grad=True)


def run_paper(grad_of, p0, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
              maximize=False):
    b1, b2 = betas
    p, m, v, vmax = p0, 0.0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = grad_of(p)
        g = -g if maximize else g
        g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = max(vmax, v)
        m_hat, v_hat = m / (1 - b1 ** t), (vmax if amsgrad else v) / (1 - b2 ** t)
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)            # eps beside √v̂, as in the paper
    return p, m, v, vmax


def run_refnn(grad_of, p0, steps, **settings):
    w = leaf([p0])
    optimizer = optim.Adam([w], **settings)
    for _ in range(steps):
        w.grad = tensor([grad_of(w.tolist()[0])])
        optimizer.step()
    state = optimizer.state[w]
    vmax = state["max_exp_avg_sq"].tolist()[0] if "max_exp_avg_sq" in state else None
    return w.tolist()[0], state["exp_avg"].tolist()[0], state["exp_avg_sq"].tolist()[0], vmax, state


@pytest.mark.parametrize("settings", [
    {}, dict(lr=0.1), dict(lr=0.05, betas=(0.5, 0.9)), dict(lr=0.1, weight_decay=0.3),
    dict(lr=0.1, amsgrad=True),
    dict(lr=0.1, maximize=True), dict(lr=0.2, eps=0.5, amsgrad=True, weight_decay=0.01, betas=(0.0, 0.0)),
])
def test_adam_is_the_papers_algorithm(settings):
    """On f(p) = (p − 3)² + sin(5p), 40 steps from p = 0: p, m, v (and max v) as in the paper, to 1e-12."""
    grad_of = lambda p: 2 * (p - 3) + 5 * math.cos(5 * p)
    ours = run_refnn(grad_of, 0.0, 40, **settings)
    theirs = run_paper(grad_of, 0.0, 40, **settings)
    for a, b in zip(ours[:3], theirs[:3]):
        assert abs(a - b) <= 1e-12 * max(1, abs(b))
    if settings.get("amsgrad"):
        assert abs(ours[3] - theirs[3]) <= 1e-12 * max(1, theirs[3])
    assert ours[4]["step"].item() == 40.0


@given(st.lists(finite, min_size=1, max_size=5), st.floats(1e-3, 1.0))
def test_the_first_step_is_lr_against_the_sign_of_the_gradient(g, lr):
    """m̂ = g and v̂ = g² after one step, so each number moves by lr·g/(|g| + eps), ≈ lr."""
    w = leaf([0.0] * len(g))
    w.grad = tensor(g)
    optim.Adam([w], lr=lr).step()
    for wv, gv in zip(w.tolist(), g):
        assert wv == pytest.approx(-lr * gv / (abs(gv) + 1e-8), rel=1e-12, abs=1e-15)


def test_maximize_climbs_what_minimize_descends():
    """maximize on f is minimize on −f: the same path."""
    up, down = leaf([0.5, -1.0]), leaf([0.5, -1.0])
    climb, descend = optim.Adam([up], lr=0.1, maximize=True), optim.Adam([down], lr=0.1)
    for _ in range(20):
        for w, opt, sign in ((up, climb, 1), (down, descend, -1)):
            opt.zero_grad()
            (sign * -(w * w).sum()).backward()            # f = −|w|², maximised at 0
            opt.step()
    assert up.tolist() == down.tolist()
    assert all(abs(v) < 0.5 for v in up.tolist())


def test_weight_decay_is_the_gradient_of_an_l2_penalty():
    """Adam(weight_decay=λ) on f steps as Adam on f + λ/2·|w|² (the decay enters the gradient)."""
    a, b = leaf([1.0, -2.0, 0.5]), leaf([1.0, -2.0, 0.5])
    oa, ob = optim.Adam([a], lr=0.05, weight_decay=0.2), optim.Adam([b], lr=0.05)
    for _ in range(15):
        oa.zero_grad(), ob.zero_grad()
        ((a - 1) * (a - 1)).sum().backward()
        (((b - 1) * (b - 1)).sum() + 0.1 * (b * b).sum()).backward()
        oa.step(), ob.step()
    for x, y in zip(a.tolist(), b.tolist()):
        assert abs(x - y) < 1e-12


def test_amsgrad_keeps_the_largest_second_moment():
    w = leaf([0.0])
    optimizer = optim.Adam([w], lr=0.1, amsgrad=True, betas=(0.9, 0.5))
    seen = []
    for g in [5.0, 0.1, 0.1, 3.0, 0.0, 0.0]:
        w.grad = tensor([g])
        optimizer.step()
        seen.append(optimizer.state[w]["exp_avg_sq"].item())
        assert optimizer.state[w]["max_exp_avg_sq"].item() == max(seen)


def test_zero_d_and_matrix_parameters_and_a_missing_grad():
    s, m, idle = leaf(2.0), leaf([[1.0, 2.0], [3.0, 4.0]]), leaf([7.0])
    optimizer = optim.Adam([s, m, idle], lr=0.5)
    s.grad, m.grad = tensor(1.0), tensor([[1.0, -1.0], [0.0, 2.0]])
    optimizer.step()
    assert s.item() == pytest.approx(1.5, abs=1e-7) and s.shape == ()
    assert optimizer.state[s]["exp_avg"].shape == ()
    assert m.tolist()[1][0] == 3.0            # a zero gradient does not move it
    assert idle.tolist() == [7.0] and idle not in optimizer.state


def test_state_dict_continues_the_run():
    def trained(steps, resume_at=None):
        w = leaf([1.0, -1.0])
        optimizer = optim.Adam([w], lr=0.1, amsgrad=True)
        for k in range(steps):
            if k == resume_at:
                w2 = leaf(w.tolist())
                fresh = optim.Adam([w2], lr=0.9)
                fresh.load_state_dict(optimizer.state_dict())
                w, optimizer = w2, fresh
            w.grad = tensor([math.sin(k + v) for v in w.tolist()])
            optimizer.step()
        return w.tolist()
    assert trained(10) == trained(10, resume_at=4)


def test_adam_learns_a_line():
    """y = 2x − 1 from 20 points, by the PyTorch loop."""
    rng = random.Random(0)
    xs = [rng.uniform(-1, 1) for _ in range(20)]
    x, y = tensor([[v] for v in xs]), tensor([[2 * v - 1] for v in xs])
    w, b = leaf([[0.0]]), leaf([0.0])
    optimizer = optim.Adam([w, b], lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    assert abs(w.item() - 2) < 1e-3 and abs(b.item() + 1) < 1e-3


def test_adam_refuses():
    w = leaf([1.0])
    for kwargs, text in [(dict(lr=-1), "Invalid learning rate: -1"),
                         (dict(eps=-1e-8), "Invalid epsilon value"),
                         (dict(betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
                         (dict(weight_decay=-0.1), "Invalid weight_decay value")]:
        with pytest.raises(ValueError, match=f"Adam: {text}"):
            optim.Adam([w], **kwargs)
    with pytest.raises(TypeError, match="Adam: betas must be a pair"):
        optim.Adam([w], betas=0.9)
    with pytest.raises(TypeError, match="Adam: amsgrad must be True or False"):
        optim.Adam([w], amsgrad=1)
    with pytest.raises(ValueError, match="Adam: optimizer got an empty parameter list"):
        optim.Adam([])
    with pytest.raises(TypeError, match="should be an iterable of Tensors"):
        optim.Adam(w)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.Adam([w * 2])
    optimizer = optim.Adam([w])
    w.grad = tensor([1.0, 2.0])
    with pytest.raises(ValueError, match=r"Adam.step: params\[0\].grad has shape \(2,\), its parameter"):
        optimizer.step()
    assert w.tolist() == [1.0] and not optimizer.state
    with pytest.raises(ValueError, match="Adam.load_state_dict"):
        optimizer.load_state_dict({"state": {}, "param_groups": []})


def test_adam_repr_lists_the_settings_as_pytorch_does():
    text = repr(optim.Adam([leaf([1.0])]))
    assert text.splitlines()[:3] == ["Adam (", "Parameter Group 0", "    amsgrad: False"]
    assert "    betas: (0.9, 0.999)" in text and text.endswith(")")


def test_step_lr_is_the_closed_form():
    optimizer = optim.Adam([leaf([1.0])], lr=0.8)
    scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
    for epoch in range(1, 20):
        scheduler.step()
        assert scheduler.get_last_lr() == [optimizer.param_groups[0]["lr"]]
        assert scheduler.get_last_lr()[0] == pytest.approx(0.8 * 0.5 ** (epoch // 3), rel=1e-15)


def test_step_lr_refuses():
    optimizer = optim.Adam([leaf([1.0])])
    with pytest.raises(TypeError, match="StepLR: list is not an Optimizer"):
        StepLR([], step_size=1)
    with pytest.raises(TypeError, match="StepLR: step_size must be an int"):
        StepLR(optimizer, step_size=1.5)
    with pytest.raises(ValueError, match="StepLR: gamma"):
        StepLR(optimizer, step_size=1, gamma=float("nan"))
    with pytest.raises(ValueError, match="StepLR.load_state_dict"):
        StepLR(optimizer, step_size=1).load_state_dict({})
