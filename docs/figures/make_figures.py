"""Draw every figure of the book with refnn.plot, the same bytes on every run.

    python docs/figures/make_figures.py            # write the figures into docs/figures/
    python docs/figures/make_figures.py --check    # redraw into a temporary folder and compare

Every number comes from refnn with a fixed seed, and the files carry no date
or version stamp, so a second run writes the same pictures.  ``--check``
compares the pixels, within a small tolerance (another freetype or Agg may
shift an edge by a shade), and exits 1 naming the figures that are missing
or out of date: tests/test_figures.py runs it.
"""
import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))        # this checkout's refnn

from refnn import plot  # noqa: E402
from refnn.datasets import load_iris, logic_gate, make_moons, one_hot, standardize  # noqa: E402
from refnn.mlp import forward, init_biases, init_weights, train  # noqa: E402

SEED_X = [[1, 1, -1], [4, 0, 2], [1, 0, 0]]          # the seed's x and weight (chapter 1)
SEED_WEIGHT = [[2, -1], [3, -2], [0, 1]]
CLASSIC_X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]      # the classic 11-line program's XOR
CLASSIC_Y = [[0], [1], [1], [0]]
XOR_PM_X = [[-1, -1], [-1, 1], [1, -1], [1, 1]]      # XOR's inputs as ±1: every line it tries stays in view


def _mlp_classifier(X, labels, sizes, epochs, lr, seed):
    """A sigmoid network of refnn.mlp trained on one-hot targets; returns (predict, training)."""
    Z, (mean, std) = standardize(X)
    trained = train(Z, one_hot(labels), init_weights(sizes, seed=seed), epochs=epochs, lr=lr,
                    biases=init_biases(sizes, seed=seed + 1), loss="binary_cross_entropy")

    def predict(points):
        outputs = forward(trained.weights, standardize(points, mean, std)[0], trained.biases)[-1]
        return [max(range(len(row)), key=row.__getitem__) for row in outputs]
    return predict, trained


def figures():
    """{file name: a function that writes it to a path}, in the order of the chapters."""
    and_x, and_y = logic_gate("and", labels="pm1")
    _, xor_y = logic_gate("xor", labels="pm1")

    def iris(path):
        data = load_iris()
        X = [row[2:] for row in data.data]                     # petal length and width
        predict, trained = _mlp_classifier(X, data.target, [2, 8, 3], epochs=150, lr=0.03, seed=0)
        plot.regions_figure(predict, X, data.target, resolution=80, class_names=list(data.target_names),
                            axis_names=[data.feature_names[2], data.feature_names[3]],
                            title="iris: petal length and width, a 2-8-3 network's regions", path=path)

    def moons(path):
        X, y = make_moons(n_samples=200, noise=0.2, seed=0)
        predict, _ = _mlp_classifier(X, y, [2, 16, 2], epochs=150, lr=0.03, seed=0)
        plot.regions_figure(predict, X, y, resolution=80, class_names=["moon 0", "moon 1"],
                            title="two moons: a 2-16-2 network's regions", path=path)

    def hidden(path):
        X, y = logic_gate("xor")
        trained = train(X, [[t] for t in y], init_weights([2, 2, 1], seed=7), epochs=300, lr=1,
                        biases=init_biases([2, 2, 1], seed=8), loss="binary_cross_entropy")
        plot.hidden_layer_figure(trained.weights, trained.biases, X, y, path=path)

    def losses(path):
        start = init_weights([3, 4, 1], seed=1)
        curves = [train(CLASSIC_X, CLASSIC_Y, start, epochs=1000, loss=loss).history
                  for loss in ("squared_error", "binary_cross_entropy")]
        plot.loss_figure(curves, yscale="log", labels=["squared error E = ½Σ(y − ŷ)²", "cross-entropy"],
                         title="the classic 3-4-1 net on XOR, from the same start", path=path)

    def grid_sample(path):
        image = [[1 if (r in (1, 2) or c in (1, 2)) and r < 7 and 0 < c < 6 and (r < 3 or c < 3) else 0
                  for c in range(8)] for r in range(8)]        # an F, 8 × 8
        cos, sin = 0.866, 0.5                                   # turned by 30°, shrunk to 3/4
        points = [-1 + (2 * k + 1) / 12 for k in range(12)]
        grid = [[[0.75 * (cos * x - sin * y), 0.75 * (sin * x + cos * y)] for x in points] for y in points]
        plot.grid_sample_figure(image, grid, title="grid_sample: where each output pixel reads the input",
                                path=path)

    def autograd_graph(path):
        from refnn import tensor
        x = tensor([[1.0, 1.0, -1.0]])                           # the seed's first sample
        w = tensor([[2.0], [3.0], [0.0]], requires_grad=True)    # the first column of its weight
        y = (x @ w).sigmoid()
        loss = ((1 - y) ** 2).sum()
        loss.backward(retain_graph=True)
        plot.graph_figure(loss, names={"loss": loss, "y": y, "w": w},
                          title="the seed's first neuron: loss = (1 − σ(x @ w))², after backward", path=path)

    return {
        "network.png": lambda path: plot.network_figure([SEED_WEIGHT], x=SEED_X[0],
                                                        title="the seed's network: x · weight", path=path),
        "neuron.png": lambda path: plot.neuron_figure(x=[1, 1], title="the M-P neuron computing AND",
                                                      path=path),
        "perceptron-and.png": lambda path: plot.perceptron_figure(and_x, and_y, max_epochs=20, path=path),
        "perceptron-xor.png": lambda path: plot.perceptron_figure(XOR_PM_X, xor_y, max_epochs=3,
                                                                  steps="update", path=path),
        "perceptron-and.gif": lambda path: plot.perceptron_animation(and_x, and_y, max_epochs=20, dpi=50,
                                                                     path=path),
        "activations.png": lambda path: plot.activations_figure(path=path),
        "error-surface.png": lambda path: plot.error_surface_figure([[1, 0], [0, 1], [1, 1]],
                                                                    [[0.8], [0.2], [0.5]], path=path),
        "loss.png": losses,
        "hidden-layer.png": hidden,
        "grid-sample.png": grid_sample,
        "autograd-graph.png": autograd_graph,
        "regions-iris.png": iris,
        "regions-moons.png": moons,
        "network-64.png": lambda path: plot.network_figure(init_weights([4, 64, 3], seed=0),
                                                           title="a 4-64-3 network: 64 neurons drawn as 8",
                                                           path=path),
    }


def write(folder, names=None):
    """Write the figures (all, or those named) into folder; returns {name: seconds}."""
    import matplotlib
    matplotlib.rcParams["svg.hashsalt"] = "refnn"            # SVG ids the same on every run
    times = {}
    for name, draw in figures().items():
        if names is None or name in names:
            start = time.perf_counter()
            draw(os.path.join(folder, name))
            times[name] = time.perf_counter() - start
    return times


def _pixels(path):
    """The frames of an image as arrays of floats in [0, 1] (one frame for a PNG)."""
    import numpy
    from PIL import Image, ImageSequence
    with Image.open(path) as image:
        frames = ImageSequence.Iterator(image)
        return [numpy.asarray(frame.convert("RGBA"), dtype=float) / 255 for frame in frames]


def differences(folder, reference=HERE, tolerance=0.002):
    """The figures of folder that reference lacks or that differ from it, each with what is wrong.

    Two images agree when they have the same size and frames, and at most a
    ``tolerance`` fraction of their pixels differ by more than a quarter of
    the scale in some channel: another freetype or Agg may shade the edges
    of letters a little differently, but a moved line or a new word changes
    thousands of pixels.
    """
    wrong = []
    for name in sorted(os.listdir(folder)):
        mine, theirs = os.path.join(reference, name), os.path.join(folder, name)
        if not os.path.exists(mine):
            wrong.append(f"{name}: missing")
            continue
        a, b = _pixels(mine), _pixels(theirs)
        if len(a) != len(b) or any(x.shape != y.shape for x, y in zip(a, b)):
            wrong.append(f"{name}: another size or number of frames")
            continue
        off = max(float((abs(x - y).max(axis=2) > 0.25).mean()) for x, y in zip(a, b))
        if off > tolerance:
            wrong.append(f"{name}: {off:.2%} of the pixels differ")
    return wrong


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="redraw into a temporary folder and compare")
    parser.add_argument("names", nargs="*", help="only these figures (file names)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.check:
        with tempfile.TemporaryDirectory() as folder:
            write(folder, args.names or None)
            wrong = differences(folder)
        for line in wrong:
            print(line)
        print(f"{'out of date' if wrong else 'up to date'} ({time.perf_counter() - start:.1f} s); "
              f"redraw with: python docs/figures/make_figures.py")
        return 1 if wrong else 0
    for name, seconds in write(HERE, args.names or None).items():
        print(f"{name:22} {os.path.getsize(os.path.join(HERE, name)) / 1000:6.1f} kB {seconds:5.2f} s")
    print(f"all in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
