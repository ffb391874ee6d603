"""Small PyTorch programs of the seed's kind, as source text, and a runner for refnn or for torch.

Each program is written for PyTorch and has no import lines: ``run`` puts
the imports in front, either refnn's (``import refnn as torch``,
``import refnn.nn as nn``, ...) or torch's, executes the same text and
returns what it printed.  Nothing else differs.  Weights drawn at random
differ between the two libraries, so a program that builds a model hands
it to ``start(model)``, a function the runner gives it, and loads what it
returns: the refnn run records its model's starting state_dict there, and
the torch run receives that state_dict, so both train from the same numbers.
The data come from ``refnn.datasets`` as plain lists (``images``, ``labels``).
"""
import contextlib
import io
import re

IMPORTS = {
    "refnn": "import math\nimport refnn as torch\nimport refnn.nn as nn\nimport refnn.nn.functional as F\n"
             "import refnn.optim as optim\n",
    "torch": "import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
             "import torch.optim as optim\n",
}

AUTOGRAD = """
torch.set_default_dtype(torch.float64)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
w = torch.tensor([0.5, -1.0], requires_grad=True)
y = (x * w).sum(dim=1)
z = torch.sigmoid(y).mean() + (w ** 2).sum() / 4
z.backward()
print(z.item())
print(x.grad.tolist())
print(w.grad.tolist())
with torch.no_grad():
    v = x * 2
print(v.requires_grad, y.requires_grad, x.is_leaf)
d = y.detach()
print(d.requires_grad, d.tolist())
"""

XOR = """
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
model.load_state_dict(start(model))
X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
criterion = nn.BCELoss()
optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
for epoch in range(200):
    optimizer.zero_grad()
    loss = criterion(model(X), Y)
    loss.backward()
    optimizer.step()
    if epoch % 50 == 0:
        print(epoch, loss.item())
print(loss.item())
print(model(X).tolist())
print([round(p) for p in model(X).view(-1).tolist()])
"""

DIGITS_NET = """
torch.set_default_dtype(torch.float64)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(4 * 4 * 4, 16)
        self.bn1 = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 10)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                m.weight.data.normal_(0, math.sqrt(2. / n))
            elif isinstance(m, nn.BatchNorm1d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                m.bias.data.zero_()

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = x.view(-1, 4 * 4 * 4)
        x = F.relu(self.bn1(self.fc1(x)))
        return self.fc2(x)


torch.manual_seed(0)
net = Net()
print(net)
print(net.bn1.weight.tolist() == [1.0] * 16, net.fc1.bias.tolist() == [0.0] * 16)
net.load_state_dict(start(net))
x = torch.tensor(images).view(-1, 1, 8, 8) / 16
y = torch.tensor(labels)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
for epoch in range(3):
    for i in range(0, 48, 16):
        optimizer.zero_grad()
        output = net(x[i:i + 16])
        loss = criterion(output, y[i:i + 16])
        loss.backward()
        optimizer.step()
        print(epoch, i, loss.item())
net.eval()
with torch.no_grad():
    scores = net(x)
print(scores.size(), (scores.argmax(dim=1) == y).sum().item())
print(net.bn1.running_mean.tolist()[:4], net.bn1.num_batches_tracked.item())
print(sorted(net.state_dict().keys()))
"""

PROGRAMS = {"autograd": AUTOGRAD, "xor": XOR, "digits_net": DIGITS_NET}


def data():
    """48 of the 8 × 8 digits (six of each of the classes 0 to 7), as plain lists."""
    from refnn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    picked = [k for k in range(len(y)) if y[k] < 8][:48]
    return [X[k] for k in picked], [y[k] for k in picked]


def run(library, name, starts):
    """Run program ``name`` with ``library``'s imports; return what it printed.

    ``starts`` carries the starting state_dicts from the refnn run to the
    torch run (as nested lists), one per call of ``start``.
    """
    images, labels = data()
    given = iter(list(starts))

    def start(model):
        if library == "refnn":
            state = {key: value.tolist() for key, value in model.state_dict().items()}
            starts.append(state)
            return model.state_dict()
        import torch
        return {key: torch.tensor(value) for key, value in next(given).items()}

    namespace = {"start": start, "images": images, "labels": labels, "__name__": f"program_{name}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(IMPORTS[library] + PROGRAMS[name], f"<{name} on {library}>", "exec"), namespace)
    return out.getvalue()


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(text):
    """Every number printed, in order."""
    return [float(m) for m in NUMBER.findall(text)]


def words(text):
    """What was printed with the numbers taken out, and PyTorch's printing conventions smoothed."""
    text = re.sub(r"torch\.Size\(\[([^\]]*)\]\)", r"(\1)", text)        # torch.Size([48, 10]) → (48, 10)
    return NUMBER.sub("#", text)
