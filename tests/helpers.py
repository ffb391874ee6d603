"""What several test modules share: the seed's network as a Module subclass; a count of examples."""
import functools
from collections import Counter

from refnn import nn


class Net(nn.Module):
    """The seed's network as a subclass: parts in __init__ and forward; autograd does the backward."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act1 = nn.Sigmoid()
        self.fc2 = nn.Linear(4, 1)
        self.act2 = nn.Sigmoid()

    def forward(self, x):
        return self.act2(self.fc2(self.act1(self.fc1(x))))


class ExampleCounter:
    """Counts the examples @given tests run: apply it under @given, so that it wraps each example."""

    def __init__(self):
        self.counts = Counter()

    def __call__(self, test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            self.counts[test.__name__] += 1
            return test(*args, **kwargs)
        return run

    def report(self, module):
        return (f"\nhypothesis examples in {module}: {sum(self.counts.values())} "
                f"({', '.join(f'{name} {n}' for name, n in sorted(self.counts.items()))})")
