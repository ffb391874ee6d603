"""Utilities beside the network, under PyTorch's names: ``refnn.utils.data`` feeds it the data.

>>> from refnn.utils.data import DataLoader, TensorDataset
>>> from refnn.tensors import tensor
>>> loader = DataLoader(TensorDataset(tensor([[1.0], [2.0], [3.0]]), tensor([0, 1, 0])), batch_size=2)
>>> [len(x) for x, y in loader]
[2, 1]
"""
__all__ = ["data"]
