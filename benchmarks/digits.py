"""Task 4: the classroom's digits MLP, 64-32-10 with ReLU, to at least 95 % test accuracy.

The data: ``refnn.datasets.load_digits`` (1797 images of 8 × 8 pixels),
split 80/20 by ``train_test_split(..., test_size=0.2, seed=0)`` and
standardised with the training part's mean and deviation.  The network:
Linear(64, 32), ReLU, Linear(32, 10), cross-entropy, SGD with lr 0.05 and
momentum 0.9, mini-batches of 32 in an order drawn from ``random.Random(0)``
anew each epoch, 10 epochs.  Every implementation starts from the same
weights (PyTorch's default init as refnn draws it, ``init.manual_seed(0)``)
and takes the same batches.  The time covers training and the evaluation
on the test part; loading, splitting and standardising the data (with
refnn.datasets, once for all) is timed as a measure of its own.

The command line's demo, ``python -m refnn mlp --data digits``, trains a
model of its own with its own settings; it is timed as a whole command
(interpreter, imports, data and all), and its accuracy is read from its
output, but not compared.
"""
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from common import agreement, flat, same, timed

IMPLEMENTATIONS = {"refnn": None, "numpy": "numpy", "torch": "torch", "refnn CLI": None}
CLI = ["-m", "refnn", "mlp", "--data", "digits"]
SIZES = [64, 32, 10]
EPOCHS = 10
BATCH = 32
LR, MOMENTUM = 0.05, 0.9
WEIGHT_TOLERANCE = 1e-9
TARGET_ACCURACY = 0.95


def data():
    """(Z_train, y_train, Z_test, y_test): the seeded split, standardised with the training statistics."""
    from refnn.datasets import load_digits, standardize, train_test_split
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    Z_train, (mean, std) = standardize(X_train)
    Z_test, _ = standardize(X_test, mean, std)
    return Z_train, y_train, Z_test, y_test


def start():
    """Starting weights and biases of both layers, (out, in), as refnn's Linear draws them."""
    from refnn import init, nn
    init.manual_seed(0)
    layers = [nn.Linear(n_in, n_out) for n_in, n_out in zip(SIZES, SIZES[1:])]
    return [values for layer in layers for values in (layer.weight.tolist(), layer.bias.tolist())]


def batches(n):
    """The mini-batches of every epoch: lists of sample indices, in a seeded random order."""
    g = random.Random(0)
    order = list(range(n))
    epochs = []
    for _ in range(EPOCHS):
        g.shuffle(order)
        epochs.append([order[i:i + BATCH] for i in range(0, n, BATCH)])
    return epochs


def _outcome(params, predictions, y_test):
    accuracy = sum(p == t for p, t in zip(predictions, y_test)) / len(y_test)
    return {"weights": flat(params), "accuracy": accuracy}


def refnn_run(Z, y, Z_test, y_test, params, epochs):
    from refnn import nn, optim
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    for p, values in zip(model.parameters(), params):
        p.data = values
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    for epoch in epochs:
        for batch in epoch:
            optimizer.zero_grad()
            loss = criterion(model([Z[i] for i in batch]), [y[i] for i in batch])
            loss.backward()
            optimizer.step()
    scores = model(Z_test).tolist()
    predictions = [row.index(max(row)) for row in scores]
    return _outcome([p.tolist() for p in model.parameters()], predictions, y_test)


def numpy_run(Z, y, Z_test, y_test, params, epochs):
    import numpy as np
    Z, y, Z_test = np.array(Z), np.array(y), np.array(Z_test)
    params = [np.array(p) for p in params]
    buffers = [np.zeros_like(p) for p in params]
    for epoch in epochs:
        for batch in epoch:
            W1, b1, W2, b2 = params
            x, t = Z[batch], y[batch]
            h = np.maximum(x @ W1.T + b1, 0)
            s = h @ W2.T + b2
            p = np.exp(s - s.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(t)), t] -= 1                     # softmax − onehot
            ds = p / len(t)
            dh = (ds @ W2) * (h > 0)
            grads = [dh.T @ x, dh.sum(0), ds.T @ h, ds.sum(0)]
            for param, buf, g in zip(params, buffers, grads):
                buf *= MOMENTUM                              # PyTorch's first step is buf = g: buf is 0
                buf += g
                param -= LR * buf
    W1, b1, W2, b2 = params
    scores = np.maximum(Z_test @ W1.T + b1, 0) @ W2.T + b2
    return _outcome(params, scores.argmax(axis=1).tolist(), y_test)


def torch_run(Z, y, Z_test, y_test, params, epochs):
    from common import torch_float64
    torch = torch_float64()
    Z, y, Z_test = torch.tensor(Z), torch.tensor(y), torch.tensor(Z_test)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    with torch.no_grad():
        for p, values in zip(model.parameters(), params):
            p.copy_(torch.tensor(values))
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    for epoch in epochs:
        for batch in epoch:
            batch = torch.tensor(batch)
            optimizer.zero_grad()
            criterion(model(Z[batch]), y[batch]).backward()
            optimizer.step()
    with torch.no_grad():
        predictions = model(Z_test).argmax(dim=1).tolist()
    return _outcome([p.detach() for p in model.parameters()], predictions, y_test)


RUNS = {"refnn": refnn_run, "numpy": numpy_run, "torch": torch_run}


def cli_run():
    """``python -m refnn mlp --data digits``, the command line's own demo (its model, its settings)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "refnn" / "__main__.py").exists():
        return {"measures": {}, "outcome": {}, "note": "refnn has no __main__.py yet"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *CLI], cwd=root, capture_output=True, text=True)   # no polling
    seconds = time.perf_counter() - start
    found = re.search(r"test accuracy: (\d+)/(\d+)", done.stdout)
    if done.returncode != 0 or not found:
        return {"measures": {}, "outcome": {}, "note": f"python {' '.join(CLI)} failed: {done.stderr[-200:]}"}
    accuracy = int(found[1]) / int(found[2])
    return {"measures": {"whole command": seconds}, "outcome": {"accuracy": accuracy},
            "note": f"python {' '.join(CLI)}: its own model and settings; test accuracy {accuracy:.4f}"}


def run(impl, quick):
    if impl == "refnn CLI":
        return cli_run()
    start_data = time.perf_counter()
    Z, y, Z_test, y_test = data()
    data_seconds = time.perf_counter() - start_data
    params, epochs = start(), batches(len(Z))
    RUNS[impl](Z, y, Z_test, y_test, params, [epochs[0][:2]])     # warm-up: imports, first calls
    seconds, outcome = timed(RUNS[impl], Z, y, Z_test, y_test, params, epochs)
    measures = {f"{EPOCHS} epochs + test": seconds}
    if impl == "refnn":
        measures["data: load, split, standardise"] = data_seconds
    return {"measures": measures, "outcome": outcome, "note": ""}


def compare(outcomes):
    """Every implementation at ≥ 95 % test accuracy, the same accuracy and weights as refnn.

    The command line trains a model of its own, so only the time is compared.
    """
    outcomes = {impl: o for impl, o in outcomes.items() if impl != "refnn CLI"}
    return ([(o["accuracy"] >= TARGET_ACCURACY, f"digits test accuracy {impl}: {o['accuracy']:.4f} "
              f"(at least {TARGET_ACCURACY})") for impl, o in outcomes.items()]
            + same(outcomes, "refnn", "accuracy", "digits accuracy")
            + agreement(outcomes, "refnn", "weights", WEIGHT_TOLERANCE, "digits weights"))
