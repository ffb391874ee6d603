"""Small PyTorch programs run twice: under ``import torch`` and under ``import refnn as torch``.

Each program is PyTorch code of the seed's kind, written once; it prints
numbers, rounded to 6 places, through ``show``.  Run on refnn the lines
must be the same as on PyTorch (float64).  Nothing but the import changes.
The programs without torch still run on refnn, so the refnn side is
exercised everywhere; the comparison needs torch.
"""
import pytest

import refnn

NOTEBOOK = '''
x = torch.tensor([[[1., 2., 3.], [4., 5., 6.]], [[7., 8., 9.], [10., 11., 12.]]])
show(x.sum(0)); show(x.sum(1)); show(x.sum(2)); show(x.sum(-1, keepdim=True))
show(torch.where(x > 5, x, torch.zeros_like(x)))
show(torch.narrow(x, 2, 1, 2)); show(x.narrow(0, 1, 1))
show(x.permute(2, 0, 1)); show(x.view(3, -1)); show(x.reshape(-1))
show(torch.cat([x, x], 1)); show(torch.stack([x[0], x[1]], 2))
A = torch.tensor([[2., 1.], [1., 3.]]); b = torch.tensor([3., 5.])
show(torch.linalg.solve(A, b))
show(x.unsqueeze(1).shape); show(x[:1].squeeze().shape); show(x.detach())
show(torch.matmul(x, x.transpose(1, 2))); show(x.mean(1)); show(x.max(2)[0]); show(x.argmax(2))
'''

AUTOGRAD = '''
w = torch.tensor([[2.], [3.], [0.]], requires_grad=True)
x = torch.tensor([[1., 1., -1.], [0.5, -2., 1.]])
y = torch.sigmoid(x @ w)
loss = ((y - torch.tensor([[1.], [0.]])) ** 2).mean()
loss.backward()
show(loss.item()); show(w.grad)
with torch.no_grad():
    w -= 0.5 * w.grad
show(w); show(w.requires_grad)
w.grad.zero_()
z = (x @ w).tanh()
(z.detach() * z).sum().backward()
show(w.grad)
a = torch.tensor([1., -2., 3.], requires_grad=True)
(a.relu() * a.abs() + a.exp().log() / 2).sum().backward()
show(a.grad)
b = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
c = b.t() @ b
c.sum().backward(retain_graph=True)
c.sum().backward()
show(b.grad)
'''


def _rounded(value):
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return round(value, 6) if isinstance(value, float) else value


def run(program, library):
    lines = []
    namespace = {"torch": library, "show": lambda v: lines.append(_rounded(v))}
    exec(program, namespace)
    return lines


@pytest.mark.parametrize("program", [NOTEBOOK, AUTOGRAD], ids=["the seed's notebook", "autograd"])
def test_the_program_runs_on_refnn(program):
    assert run(program, refnn)


@pytest.mark.parametrize("program", [NOTEBOOK, AUTOGRAD], ids=["the seed's notebook", "autograd"])
def test_the_program_prints_what_pytorch_prints(torch, program):
    ours, theirs = run(program, refnn), run(program, torch)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == b or (isinstance(b, (list, tuple)) and list(a) == list(b)), (a, b)
