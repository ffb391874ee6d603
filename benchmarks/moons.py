"""Task 1: micrograd's demo, an MLP 2-16-16-1 learning two moons with a max-margin loss.

The demo (micrograd's ``demo.ipynb``): 100 points of two moons (noise 0.1),
labels ±1, an MLP 2-16-16-1 with ReLU, the loss
``mean(max(0, 1 − y·score)) + 1e-4·Σ p²``, and 100 full-batch steps of
gradient descent with ``lr = 1 − 0.9·k/100``.  Every implementation starts
from the same weights, micrograd's own init (``uniform(-1, 1)`` weights,
zero biases) drawn from ``random.Random(1337)``, and sees the same points
(``refnn.datasets.make_moons``, seed 1337).

* refnn: ``nn.Sequential`` of ``nn.Linear``/``nn.ReLU`` and ``optim.SGD``;
  the L2 term is SGD's ``weight_decay = 2e-4`` (∂(1e-4·p²)/∂p = 2e-4·p).
  refnn has no max-margin loss (PyTorch has none that takes one score per
  sample), so the loss and its gradient are written here, by hand.
* plain lists: the same computation written out on lists, the floor of
  pure Python, to show what refnn's modules cost on top.
* micrograd: the demo itself, ``Value`` by ``Value``, with the default
  garbage collection.
* NumPy: the same network with hand-written back-propagation.
* PyTorch: float64, one thread, autograd, ``torch.optim.SGD``.
"""
import random
from operator import mul

from common import agreement, flat, same, timed

IMPLEMENTATIONS = {"refnn": None, "plain lists": None, "micrograd": "micrograd", "numpy": "numpy",
                   "torch": "torch"}
SIZES = [2, 16, 16, 1]
STEPS = 100
QUICK_STEPS = {"micrograd": 3}   # micrograd takes minutes for 100 steps: --quick runs 3 and scales
ALPHA = 1e-4                     # the L2 penalty α·Σ p²
WEIGHT_TOLERANCE = 1e-9
LOSS_TOLERANCE = 1e-12


def data():
    """The demo's 100 points and their labels ±1."""
    from refnn.datasets import make_moons
    X, labels = make_moons(n_samples=100, noise=0.1, seed=1337)
    return X, [2 * label - 1 for label in labels]


def start():
    """micrograd's starting weights, (out, in) per layer, and zero biases, from random.Random(1337)."""
    g = random.Random(1337)
    weights = [[[g.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_out)]
               for n_in, n_out in zip(SIZES, SIZES[1:])]
    return weights, [[0.0] * n_out for n_out in SIZES[1:]]


def lr(k):
    """The demo's learning rate at step k, falling from 1 to 0.1."""
    return 1.0 - 0.9 * k / STEPS


def hinge(scores, y):
    """mean(max(0, 1 − y·s)), the accuracy, and ∂loss/∂s = −y/N where the margin is violated, else 0."""
    n = len(y)
    margins = [1 - t * s[0] for s, t in zip(scores, y)]
    loss = sum(m for m in margins if m > 0) / n
    accuracy = sum((s[0] > 0) == (t > 0) for s, t in zip(scores, y)) / n
    return loss, accuracy, [[-t / n if m > 0 else 0.0] for m, t in zip(margins, y)]


def squares(params):
    """Σ p² over every number of a list of vectors and matrices: the L2 penalty's sum."""
    return sum(v * v for p in params for row in (p if isinstance(p[0], list) else [p]) for v in row)


def _outcome(loss, accuracy, params, steps):
    return {"loss": loss, "accuracy": accuracy, "weights": flat(params), "steps": steps}


# --- the implementations ---------------------------------------------------

def refnn_run(X, y, weights, biases, steps):
    from refnn import nn, optim
    from refnn.nn import functional as F
    from refnn.tensors import tensor
    linears = [nn.Linear(n_in, n_out) for n_in, n_out in zip(SIZES, SIZES[1:])]
    for layer, w, b in zip(linears, weights, biases):
        layer.weight.data, layer.bias.data = w, b
    model = nn.Sequential(linears[0], nn.ReLU(), linears[1], nn.ReLU(), linears[2])
    optimizer = optim.SGD(model.parameters(), lr=lr(0), weight_decay=2 * ALPHA)
    minus_y, n, flatten = tensor([-t for t in y]), len(y), nn.Flatten(0)
    for k in range(steps):
        optimizer.zero_grad()
        scores = flatten(model(X))                                   # (N, 1) → (N,)
        loss = F.relu(scores * minus_y + 1).sum() * (1 / n)         # mean(max(0, 1 − y·s)), by autograd
        loss.backward()
        accuracy = sum((s > 0) == (t > 0) for s, t in zip(scores.tolist(), y)) / n
        penalty = ALPHA * squares([p.tolist() for p in model.parameters()])
        optimizer.param_groups[0]["lr"] = lr(k)
        optimizer.step()
    return _outcome(loss.item() + penalty, accuracy, [p.tolist() for p in model.parameters()], steps)


def plain_run(X, y, weights, biases, steps):
    W = [[list(row) for row in w] for w in weights]
    B = [list(b) for b in biases]
    last = len(W) - 1
    for k in range(steps):
        layers = [X]                          # forward: z = a·Wᵀ + b, ReLU but on the last
        for i, (w, b) in enumerate(zip(W, B)):
            z = [[sum(map(mul, row, w_j)) + b_j for w_j, b_j in zip(w, b)] for row in layers[-1]]
            layers.append(z if i == last else [[v if v > 0 else 0.0 for v in r] for r in z])
        loss, accuracy, g = hinge(layers[-1], y)
        loss += ALPHA * squares(W + B)
        step = lr(k)
        for i in range(last, -1, -1):         # backward, then the step: p ← p − lr·(g + 2α·p)
            a, w = layers[i], W[i]
            grad_w = [[sum(map(mul, g_col, a_col)) for a_col in zip(*a)] for g_col in zip(*g)]
            grad_b = [sum(g_col) for g_col in zip(*g)]
            if i:
                g = [[sum(map(mul, g_row, w_col)) if h > 0 else 0.0 for w_col, h in zip(zip(*w), a_row)]
                     for g_row, a_row in zip(g, a)]
            W[i] = [[p - step * (d + 2 * ALPHA * p) for p, d in zip(w_row, d_row)]
                    for w_row, d_row in zip(w, grad_w)]
            B[i] = [p - step * (d + 2 * ALPHA * p) for p, d in zip(B[i], grad_b)]
    return _outcome(loss, accuracy, [x for pair in zip(W, B) for x in pair], steps)


def micrograd_run(X, y, weights, biases, steps):
    from micrograd.engine import Value
    from micrograd.nn import MLP
    model = MLP(SIZES[0], SIZES[1:])
    for layer, w, b in zip(model.layers, weights, biases):
        for neuron, w_j, b_j in zip(layer.neurons, w, b):
            for value, v in zip(neuron.w, w_j):
                value.data = v
            neuron.b.data = b_j
    for k in range(steps):                    # the demo's loop, as written there
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = sum((yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)) / len(y)
        model.zero_grad()
        total_loss.backward()
        for p in model.parameters():
            p.data -= lr(k) * p.grad
    params = []
    for layer in model.layers:
        params += [[[v.data for v in n.w] for n in layer.neurons], [n.b.data for n in layer.neurons]]
    return _outcome(total_loss.data, accuracy, params, steps)


def numpy_run(X, y, weights, biases, steps):
    import numpy as np
    X, y = np.array(X), np.array(y, dtype=float)
    params = [np.array(p, dtype=float) for pair in zip(weights, biases) for p in pair]
    n = len(y)
    for k in range(steps):
        W0, b0, W1, b1, W2, b2 = params
        h1 = np.maximum(X @ W0.T + b0, 0)
        h2 = np.maximum(h1 @ W1.T + b1, 0)
        s = (h2 @ W2.T + b2)[:, 0]
        margins = 1 - y * s
        loss = np.maximum(margins, 0).sum() / n + ALPHA * sum((p * p).sum() for p in params)
        accuracy = ((s > 0) == (y > 0)).sum() / n
        ds = np.where(margins > 0, -y / n, 0.0)[:, None]
        dh2 = (ds @ W2) * (h2 > 0)
        dh1 = (dh2 @ W1) * (h1 > 0)
        grads = [dh1.T @ X, dh1.sum(0), dh2.T @ h1, dh2.sum(0), ds.T @ h2, ds.sum(0)]
        step = lr(k)
        for p, g in zip(params, grads):
            p -= step * (g + 2 * ALPHA * p)
    return _outcome(float(loss), float(accuracy), params, steps)


def torch_run(X, y, weights, biases, steps):
    from common import torch_float64
    torch = torch_float64()
    X, y = torch.tensor(X), torch.tensor(y, dtype=torch.float64)
    layers = [torch.nn.Linear(n_in, n_out) for n_in, n_out in zip(SIZES, SIZES[1:])]
    with torch.no_grad():
        for layer, w, b in zip(layers, weights, biases):
            layer.weight.copy_(torch.tensor(w))
            layer.bias.copy_(torch.tensor(b))
    model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
    optimizer = torch.optim.SGD(model.parameters(), lr=lr(0))
    for k in range(steps):
        s = model(X)[:, 0]
        loss = torch.relu(1 - y * s).mean() + ALPHA * sum((p * p).sum() for p in model.parameters())
        accuracy = ((s > 0) == (y > 0)).sum().item() / len(y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.param_groups[0]["lr"] = lr(k)
        optimizer.step()
    return _outcome(loss.item(), accuracy, [p.detach() for p in model.parameters()], steps)


RUNS = {"refnn": refnn_run, "plain lists": plain_run, "micrograd": micrograd_run, "numpy": numpy_run,
        "torch": torch_run}


def steps(impl, quick):
    """How many steps ``impl`` runs: 100, or fewer for micrograd in quick mode."""
    return QUICK_STEPS.get(impl, STEPS) if quick else STEPS


def run(impl, quick, n_steps=None):
    """One timed run: {"measures": {label: seconds}, "outcome": ..., "note": ...}."""
    n_steps = steps(impl, quick) if n_steps is None else n_steps
    X, y = data()
    weights, biases = start()
    RUNS[impl](X, y, weights, biases, 1)          # warm-up: imports, first calls
    seconds, outcome = timed(RUNS[impl], X, y, weights, biases, n_steps)
    note = ""
    if n_steps != STEPS:
        note = f"{n_steps} steps timed, scaled ×{STEPS / n_steps:g}"
        seconds *= STEPS / n_steps
    return {"measures": {f"{STEPS} steps": seconds}, "outcome": outcome, "note": note}


def compare(outcomes):
    """Same accuracy, loss and weights (within tolerances) as refnn's run of the same number of steps.

    micrograd's short run of ``--quick`` is held against a run of refnn of as many steps, made here.
    """
    checks = []
    for n_steps in sorted({o["steps"] for o in outcomes.values()}):
        group = {impl: o for impl, o in outcomes.items() if o["steps"] == n_steps}
        if "refnn" not in group:
            X, y = data()
            group["refnn"] = refnn_run(X, y, *start(), n_steps)
        ref, after = group["refnn"], f"after {n_steps} steps"
        checks += (same(group, "refnn", "accuracy", f"moons accuracy {after}")
                   + agreement(group, "refnn", "weights", WEIGHT_TOLERANCE, f"moons weights {after}")
                   + [(abs(o["loss"] - ref["loss"]) <= LOSS_TOLERANCE,
                       f"moons loss {after}: {impl} {o['loss']:.12f} vs refnn {ref['loss']:.12f}")
                      for impl, o in group.items() if impl != "refnn"])
    return checks
