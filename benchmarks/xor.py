"""Task 2: the classic program's 3-4-1 sigmoids (Trask, 2015) learning XOR in 60000 full-batch iterations.

Every implementation starts from ``refnn.mlp.init_weights([3, 4, 1],
seed=1)`` and runs the classic program's loop, lr = 1, no biases:

* refnn: ``refnn.mlp.train(x, y, weights)`` (which also records the loss of
  every epoch, as the classic program does not);
* NumPy: the classic eleven lines, ``l1 = 1/(1+np.exp(-np.dot(X, syn0)))``
  and so on;
* PyTorch: the same lines with float64 tensors on one thread (no autograd,
  as the classic program has none).
"""
from common import agreement, flat, same, timed

IMPLEMENTATIONS = {"refnn": None, "numpy": "numpy", "torch": "torch"}
EPOCHS = 60000
WEIGHT_TOLERANCE = 1e-9


def start():
    from refnn.datasets import classic_xor
    from refnn.mlp import init_weights
    x, y = classic_xor()
    return x, y, init_weights([3, 4, 1], seed=1)


def _outcome(weights, outputs, epochs):
    outputs = flat(outputs)
    return {"weights": flat(weights), "outputs": outputs, "predictions": [round(o) for o in outputs],
            "epochs": epochs}


def refnn_run(x, y, weights, epochs):
    from refnn.mlp import forward, train
    trained = train(x, y, weights, epochs=epochs)
    return _outcome(trained.weights, forward(trained.weights, x)[-1], epochs)


def numpy_run(x, y, weights, epochs):
    import numpy as np
    X, y = np.array(x, dtype=float), np.array(y, dtype=float)
    syn0, syn1 = (np.array(w) for w in weights)
    for _ in range(epochs):
        l1 = 1 / (1 + np.exp(-(np.dot(X, syn0))))
        l2 = 1 / (1 + np.exp(-(np.dot(l1, syn1))))
        l2_delta = (y - l2) * (l2 * (1 - l2))
        l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    l2 = 1 / (1 + np.exp(-(np.dot(1 / (1 + np.exp(-(np.dot(X, syn0)))), syn1))))
    return _outcome([syn0, syn1], l2, epochs)


def torch_run(x, y, weights, epochs):
    from common import torch_float64
    torch = torch_float64()
    X, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    syn0, syn1 = (torch.tensor(w) for w in weights)
    for _ in range(epochs):
        l1 = torch.sigmoid(X @ syn0)
        l2 = torch.sigmoid(l1 @ syn1)
        l2_delta = (y - l2) * (l2 * (1 - l2))
        l1_delta = (l2_delta @ syn1.T) * (l1 * (1 - l1))
        syn1 += l1.T @ l2_delta
        syn0 += X.T @ l1_delta
    return _outcome([syn0, syn1], torch.sigmoid(torch.sigmoid(X @ syn0) @ syn1), epochs)


RUNS = {"refnn": refnn_run, "numpy": numpy_run, "torch": torch_run}


def run(impl, quick, epochs=EPOCHS):
    """One timed run of ``epochs`` iterations (quick mode runs all 60000 too: they take seconds)."""
    x, y, weights = start()
    RUNS[impl](x, y, weights, 100)                # warm-up: imports, first calls
    seconds, outcome = timed(RUNS[impl], x, y, weights, epochs)
    return {"measures": {f"{epochs} iterations": seconds}, "outcome": outcome, "note": ""}


def compare(outcomes):
    """The same predictions (XOR learned) and the same weights, within the tolerance, as refnn."""
    return (same(outcomes, "refnn", "predictions", "xor predictions")
            + agreement(outcomes, "refnn", "weights", WEIGHT_TOLERANCE, "xor weights"))
