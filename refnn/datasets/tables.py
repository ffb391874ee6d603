"""The smallest data sets: the logic gates' truth tables and the seed's own arrays.

A truth table lists every input of a gate with its output.  Four rows are
enough to teach a neuron, to show a perceptron learn AND, and to show it
fail on XOR:

>>> X, y = logic_gate("xor")
>>> for point, label in zip(X, y):
...     print(point, label)
[0, 0] 0
[0, 1] 1
[1, 0] 1
[1, 1] 0

The seed's worked example of forward propagation and the data of the classic
11-line program whose 60000-iteration loop the seed quotes (Andrew Trask,
2015: the seed gives neither its x nor its y) are here too, as fresh lists on every call, so a
lesson that changes them changes nothing for the next one.

>>> x, weight = worked_example()
>>> x[0], [row[0] for row in weight]      # 1*2 + 1*3 + (-1)*0 = 5
([1, 1, -1], [2, 3, 0])
"""

__all__ = ["logic_gate", "worked_example", "classic_xor"]

# the output of each gate for the inputs (0, 0), (0, 1), (1, 0), (1, 1)
_GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "xor": (0, 1, 1, 0),
}
_LABELS = {"01": (0, 1), "pm1": (-1, 1)}


def logic_gate(gate, labels="01"):
    """The truth table of a two-input gate as a data set: inputs ``X`` (4 × 2) and outputs ``y`` (4 labels).

    ``gate`` is ``"and"``, ``"or"``, ``"nand"`` or ``"xor"`` (any case).
    The inputs are always 0 and 1; the outputs are 0 and 1 by default.
    (:func:`refnn.neuron.truth_table` tabulates a gate *function*, an M-P
    neuron say; this is the data a neuron or a perceptron learns from.)

    >>> logic_gate("and")
    ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])
    >>> logic_gate("NAND")[1]
    [1, 1, 1, 0]

    The sign perceptron wants the labels −1 and +1 (false is −1):

    >>> logic_gate("and", labels="pm1")[1]
    [-1, -1, -1, 1]
    >>> logic_gate("xor", labels="pm1")[1]
    [-1, 1, 1, -1]

    >>> logic_gate("nor")
    Traceback (most recent call last):
        ...
    ValueError: logic_gate: unknown gate 'nor'; choose from 'and', 'or', 'nand', 'xor'
    >>> logic_gate("and", labels="+-")
    Traceback (most recent call last):
        ...
    ValueError: logic_gate: labels must be '01' or 'pm1', got '+-'
    """
    key = gate.lower() if isinstance(gate, str) else None
    if key not in _GATES:
        names = ", ".join(map(repr, _GATES))
        raise ValueError(f"logic_gate: unknown gate {gate!r}; choose from {names}")
    if not isinstance(labels, str) or labels not in _LABELS:
        raise ValueError(f"logic_gate: labels must be '01' or 'pm1', got {labels!r}")
    false, true = _LABELS[labels]
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    return X, [true if out else false for out in _GATES[key]]


def worked_example():
    """The seed's worked example of forward propagation: the inputs ``x`` (3 × 3) and ``weight`` (3 × 2).

    Each entry of the next layer is one row of ``x`` times one column of
    ``weight``; the first, which the seed writes ``layer0 = 1*2 + 1*3 + (-1)*0``, is 5.

    >>> from refnn.matrix import matmul
    >>> x, weight = worked_example()
    >>> x
    [[1, 1, -1], [4, 0, 2], [1, 0, 0]]
    >>> weight
    [[2, -1], [3, -2], [0, 1]]
    >>> matmul(x, weight)
    [[5, -4], [8, -2], [2, -1]]

    Every call returns new lists, so changing one copy leaves the next intact:

    >>> x[0][0] = 99
    >>> worked_example()[0][0]
    [1, 1, -1]
    """
    return [[1, 1, -1], [4, 0, 2], [1, 0, 0]], [[2, -1], [3, -2], [0, 1]]


def classic_xor():
    """The classic program's XOR data (Trask, 2015): ``X`` (4 × 3) and the column ``y`` (4 × 1).

    The first two columns of ``X`` are the inputs of XOR and ``y`` is their
    exclusive or; the third column is always 1, an input that lets the
    first layer learn a bias as an ordinary weight (the classic program has
    no separate bias).  ``y`` is a column, one row per sample, because the
    network's output ``layer2`` is one.

    >>> X, y = classic_xor()
    >>> X
    [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    >>> y
    [[0], [1], [1], [0]]
    >>> [row[0] for row in y] == logic_gate("xor")[1]
    True
    """
    return [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [[0], [1], [1], [0]]
