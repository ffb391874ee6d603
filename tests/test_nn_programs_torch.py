"""Small PyTorch programs run twice, as ``import torch`` and as ``import refnn as torch``: the same prints.

The program texts are in tests/programs.py; only their import lines differ
(``import refnn as torch``, ``import refnn.nn as nn``,
``import refnn.nn.functional as F``, ``import refnn.optim as optim``), and
the refnn run's starting weights are handed to the torch run.  Every
number printed must agree within 1e-6 (relative above 1), and the text
around the numbers must be the same, except for the shape's name
(``torch.Size([48, 10])`` against ``(48, 10)``).  What had to change in the
programs to run on refnn: nothing but the imports.
"""
import pytest

import programs


@pytest.mark.parametrize("name", sorted(programs.PROGRAMS))
def test_the_program_prints_the_same_under_refnn_and_torch(torch, name):
    starts = []
    ours = programs.run("refnn", name, starts)
    theirs = programs.run("torch", name, starts)
    a, b = programs.numbers(ours), programs.numbers(theirs)
    assert len(a) == len(b) > 0, (ours, theirs)
    assert max(abs(x - y) / max(1.0, abs(y)) for x, y in zip(a, b)) < 1e-6, (ours, theirs)
    assert programs.words(ours) == programs.words(theirs), (ours, theirs)
