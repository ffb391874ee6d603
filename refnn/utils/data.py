"""Feeding the data: a Dataset says where each sample is, a DataLoader hands it to the network in batches.

The seed names three steps of PyTorch work: "1.写好网络,2.编写数据的标签和路径
索引,3.把数据送到网络" (1. build the network; 2. give the data its labels and
an index of where each sample is; 3. feed the data to the network).  Step 1
is :mod:`refnn.nn`; steps 2 and 3 live here, with PyTorch's names
(``torch.utils.data``):

* a :class:`Dataset` answers ``dataset[i]`` with sample i and its label, and
  ``len(dataset)`` with the number of samples: the index;
* a :class:`DataLoader` walks the index in batches (shuffled each epoch if
  asked) and stacks each batch's samples into one tensor: the feeding.

Fisher's iris as a PyTorch program sees it, two batches of its 150 flowers:

>>> from refnn.datasets import load_iris
>>> from refnn.tensors import tensor
>>> X, y = load_iris(return_X_y=True)
>>> dataset = TensorDataset(tensor(X), tensor(y))          # step 2: samples and labels, by index
>>> len(dataset), dataset[0]
(150, (tensor([5.1, 3.5, 1.4, 0.2]), tensor(0)))
>>> loader = DataLoader(dataset, batch_size=64, shuffle=True, generator=random.Random(0))
>>> for inputs, labels in loader:                           # step 3: one epoch, batch by batch
...     print(inputs.shape, labels.shape)
(64, 4) (64,)
(64, 4) (64,)
(22, 4) (22,)

The shuffled order draws from refnn's seeded generator (the one
``refnn.manual_seed`` reseeds, or the ``generator`` given), so the same seed
gives the same batches on every machine, but not PyTorch's batches: the two
generators differ.  A seeded split into training and test sets is
:func:`random_split`.
"""
import math
import random
from collections.abc import Mapping, Sequence

from refnn import init, shapes
from refnn._checks import _DEEPEST, _bool, _brief, _is_number, _is_sequence, _size, ShapeError
from refnn._random import _permutation
from refnn.tensors import Tensor, tensor

__all__ = ["Dataset", "TensorDataset", "Subset", "random_split", "SequentialSampler", "RandomSampler",
           "default_collate", "DataLoader"]


class Dataset:
    """What a data set answers: ``dataset[i]``, the i-th sample (with its label); and its ``len``.

    Subclass it and write ``__getitem__`` and ``__len__``: the samples may
    be computed, read from files, or held in lists.  The seed's XOR table,
    one (input, target) pair per index:

    >>> class XOR(Dataset):
    ...     def __init__(self):
    ...         self.rows = [([0, 0], 0), ([0, 1], 1), ([1, 0], 1), ([1, 1], 0)]
    ...     def __getitem__(self, index):
    ...         return self.rows[index]
    ...     def __len__(self):
    ...         return len(self.rows)
    >>> xor = XOR()
    >>> len(xor), xor[3]
    (4, ([1, 1], 0))
    >>> Dataset()[0]
    Traceback (most recent call last):
        ...
    NotImplementedError: Subclasses of Dataset should implement __getitem__.
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    """Sample i is ``(t[i] for t in tensors)``: data and labels held in tensors of one first size.

    >>> data = TensorDataset(tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), tensor([0, 1, 1, 0]))
    >>> len(data), data[1]
    (4, (tensor([0, 1]), tensor(1)))
    >>> TensorDataset(tensor([[0, 0], [0, 1]]), tensor([0, 1, 1]))
    Traceback (most recent call last):
        ...
    ValueError: TensorDataset: Size mismatch between tensors: first sizes [2, 3]
    """

    def __init__(self, *tensors):
        for k, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset: tensors[{k}] is a {type(t).__name__}, not a Tensor "
                                f"(make one with refnn.tensor)")
            if not t.shape:
                raise ValueError(f"TensorDataset: tensors[{k}] is 0-d: it has no samples to index")
        if len({t.shape[0] for t in tensors}) > 1:
            raise ValueError(f"TensorDataset: Size mismatch between tensors: first sizes "
                             f"{[t.shape[0] for t in tensors]}")
        self.tensors = tensors

    def __getitem__(self, index):
        if not isinstance(index, slice):
            _index("TensorDataset", index, len(self))
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0] if self.tensors else 0


class Subset(Dataset):
    """The samples of dataset at the given indices, in their order: ``subset[k] = dataset[indices[k]]``.

    >>> odd = Subset(TensorDataset(tensor([10, 11, 12, 13])), [1, 3])
    >>> len(odd), odd[1]
    (2, (tensor(13),))
    """

    def __init__(self, dataset, indices):
        if not _is_sequence(indices) or not all(type(i) is int for i in indices):      # bools are no index
            raise TypeError(f"Subset: indices must be a list of ints, got {type(indices).__name__}")
        _dataset("Subset", dataset)
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, index):
        return self.dataset[self.indices[_index("Subset", index, len(self))]]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=None):
    """The samples shuffled, then cut into parts of the given lengths: a seeded train/test split.

    ``lengths`` are counts that add up to ``len(dataset)``, or fractions that
    add up to 1 (each part gets ⌊n·fraction⌋, and what is left goes one by
    one to the parts in turn, as in PyTorch).

    >>> numbers = TensorDataset(tensor(list(range(10))))
    >>> train, test = random_split(numbers, [0.8, 0.2], generator=random.Random(0))
    >>> len(train), len(test)
    (8, 2)
    >>> sorted(train.indices + test.indices) == list(range(10))   # every sample in one part
    True
    >>> random_split(numbers, [5, 4])
    Traceback (most recent call last):
        ...
    ValueError: random_split: Sum of input lengths does not equal the length of the input dataset!
    """
    n, g = len(_dataset("random_split", dataset)), _generator("random_split", generator)
    lengths = _lengths(list(lengths), n) if _is_sequence(lengths) else lengths
    if not _is_sequence(lengths) or not all(isinstance(k, int) and k >= 0 for k in lengths):
        raise TypeError("random_split: lengths must be a list of counts or of fractions summing to 1")
    if sum(lengths) != n:
        raise ValueError("random_split: Sum of input lengths does not equal the length of the input dataset!")
    order = _permutation(g, n)
    ends = [sum(lengths[:k + 1]) for k in range(len(lengths))]
    return [Subset(dataset, order[end - k:end]) for k, end in zip(lengths, ends)]


def _lengths(fractions, n):
    """PyTorch's counts for fractions of n: ⌊n·f⌋ each, the remainder one by one from the first part."""
    if not fractions or not all(isinstance(f, float) and 0 <= f <= 1 for f in fractions) \
            or not math.isclose(sum(fractions), 1):
        return fractions                    # counts (or nonsense, refused by the caller)
    counts = [math.floor(n * f) for f in fractions]
    for k in range(n - sum(counts)):
        counts[k % len(counts)] += 1
    return counts


# --- samplers: the order in which the index is walked ----------------------------------

class SequentialSampler:
    """The indices 0, 1, …, len − 1 in order: an unshuffled DataLoader's order.

    >>> list(SequentialSampler([7, 8, 9]))
    [0, 1, 2]
    """

    def __init__(self, data_source):
        self.data_source = _dataset("SequentialSampler", data_source)

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler:
    """The indices in a new random order each time it is walked (each epoch), drawn from generator.

    >>> sampler = RandomSampler(range(5), generator=random.Random(1))
    >>> first, second = list(sampler), list(sampler)
    >>> sorted(first), first != second
    ([0, 1, 2, 3, 4], True)
    """

    def __init__(self, data_source, generator=None):
        self.data_source = _dataset("RandomSampler", data_source)
        self.generator = _generator("RandomSampler", generator)

    def __iter__(self):
        return iter(_permutation(self.generator, len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


def _dataset(op, dataset):
    """A data set: anything with a length and samples by index (a Dataset, a list, a range)."""
    if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
        raise TypeError(f"{op}: dataset must have __len__ and __getitem__ (a Dataset, a list), "
                        f"got {type(dataset).__name__}")
    return dataset


def _index(op, index, n):
    """An int index of one of n samples (negative ones count from the end), PyTorch's words beyond."""
    if type(index) is not int:                      # a bool or a float is no index
        raise TypeError(f"{op}: index must be an int, got {type(index).__name__}")
    if not -n <= index < n:
        raise IndexError(f"{op}: index {index} is out of range for {n} samples")
    return index


def _generator(op, generator):
    """The generator given (a random.Random), or refnn's default one, which manual_seed reseeds."""
    if generator is None:
        return init.default_generator
    if not isinstance(generator, random.Random):
        raise TypeError(f"{op}: generator must be a random.Random (refnn.manual_seed returns one), "
                        f"got {type(generator).__name__}")
    return generator


# --- collating: a list of samples becomes one batch -----------------------------------

def default_collate(batch):
    """A list of samples made one batch: tensors and numbers stacked, tuples and dicts field by field.

    PyTorch's rule: tensors of one shape become one tensor with a new first
    dimension (``stack``); numbers become a tensor; a sample that is a
    tuple (input, label) gives a list [inputs, labels], each collated; a
    dict gives a dict.

    >>> default_collate([(tensor([1.0, 2.0]), 0), (tensor([3.0, 4.0]), 1)])
    [tensor([[1.0, 2.0], [3.0, 4.0]]), tensor([0, 1])]
    >>> default_collate([{"x": 0.5}, {"x": 1.5}])
    {'x': tensor([0.5, 1.5])}
    >>> default_collate([(1, 2), (3,)])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: default_collate: each element in list of batch should be of equal size
    """
    if not isinstance(batch, (list, tuple)) or not batch:
        raise TypeError(f"default_collate: batch must be a non-empty list of samples, got {_brief(batch)}")
    return _collate(batch, 0)


def _collate(batch, depth):
    """default_collate's rule, depth levels into the samples' fields."""
    op = "default_collate"
    if depth > _DEEPEST:
        raise ValueError(f"{op}: samples nested more than {_DEEPEST} deep")
    elem = batch[0]
    if isinstance(elem, Tensor):
        for i, t in enumerate(batch):
            if not isinstance(t, Tensor) or t.shape != elem.shape:
                found = list(t.shape) if isinstance(t, Tensor) else type(t).__name__
                raise ShapeError(f"{op}: stack expects each tensor to be equal size, but got "
                                 f"{list(elem.shape)} at entry 0 and {found} at entry {i}")
        return shapes.stack(list(batch))
    if _is_number(elem) and not _is_sequence(elem):
        if not all(_is_number(v) and not _is_sequence(v) for v in batch):
            raise TypeError(f"{op}: a field holds a number in one sample and something else in another")
        return tensor(list(batch))
    if isinstance(elem, str):
        return batch                                    # strings pass as they came
    if isinstance(elem, Mapping):
        if not all(isinstance(sample, Mapping) and sample.keys() == elem.keys() for sample in batch):
            raise TypeError(f"{op}: the samples' dicts must have the same keys")
        return {key: _collate([sample[key] for sample in batch], depth + 1) for key in elem}
    if isinstance(elem, Sequence):
        if not all(isinstance(sample, Sequence) for sample in batch) or len(set(map(len, batch))) > 1:
            raise ShapeError(f"{op}: each element in list of batch should be of equal size")
        fields = [_collate(field, depth + 1) for field in zip(*batch)]
        return type(elem)(*fields) if hasattr(elem, "_fields") else fields     # a namedtuple stays one
    raise TypeError(f"{op}: batch must contain tensors, numbers, dicts or lists; "
                    f"found {type(elem).__name__}")


# --- the loader -------------------------------------------------------------------------

class DataLoader:
    """Batches of a Dataset, one epoch per ``for`` loop: ``for inputs, labels in loader``.

    Each epoch walks the indices (in order, or shuffled anew with
    ``shuffle=True``, or in the order of a ``sampler``), cuts them into
    batches of ``batch_size`` (the last one shorter unless ``drop_last``),
    and makes each batch one value with ``collate_fn`` (:func:`default_collate`).

    >>> data = TensorDataset(tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), tensor([0, 1, 1, 0]))
    >>> for x, y in DataLoader(data, batch_size=3):
    ...     print(x.tolist(), y.tolist())
    [[0, 0], [0, 1], [1, 0]] [0, 1, 1]
    [[1, 1]] [0]
    >>> len(DataLoader(data, batch_size=3)), len(DataLoader(data, batch_size=3, drop_last=True))
    (2, 1)

    ``batch_size=None`` hands out the samples one by one, unbatched.  A
    sampler decides the order itself, so it cannot be combined with shuffle:

    >>> DataLoader(data, shuffle=True, sampler=SequentialSampler(data))
    Traceback (most recent call last):
        ...
    ValueError: DataLoader: sampler option is mutually exclusive with shuffle
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, drop_last=False, collate_fn=None,
                 generator=None):
        op = "DataLoader"
        _dataset(op, dataset)
        if batch_size is not None:
            _size(op, "batch_size", batch_size)
        elif drop_last:
            raise ValueError(f"{op}: batch_size=None option disables auto-batching and is mutually "
                             f"exclusive with drop_last")
        _bool(op, "shuffle", shuffle)
        _bool(op, "drop_last", drop_last)
        if sampler is not None and not (hasattr(sampler, "__iter__") and hasattr(sampler, "__len__")):
            raise TypeError(f"{op}: sampler must be an iterable of indices with a len, "
                            f"got {type(sampler).__name__}")
        if sampler is not None and shuffle:
            raise ValueError(f"{op}: sampler option is mutually exclusive with shuffle")
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"{op}: collate_fn must be callable, got {type(collate_fn).__name__}")
        if generator is not None:
            _generator(op, generator)
        if sampler is None:
            sampler = RandomSampler(dataset, generator) if shuffle else SequentialSampler(dataset)
        self.dataset, self.batch_size, self.drop_last, self.sampler = dataset, batch_size, drop_last, sampler
        self.generator = generator
        self.collate_fn = collate_fn or (default_collate if batch_size is not None else _unbatched)

    def __iter__(self):
        if self.batch_size is None:
            return (self.collate_fn(self.dataset[i]) for i in self.sampler)
        return (self.collate_fn([self.dataset[i] for i in batch]) for batch in self._batches())

    def _batches(self):
        """The sampler's indices in lists of batch_size (the last one shorter, or dropped)."""
        batch = []
        for i in self.sampler:
            batch.append(i)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


def _unbatched(sample):
    return sample
