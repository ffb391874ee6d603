"""Learning-rate schedules: big steps while far from the minimum, smaller ones once near it.

A schedule changes ``optimizer.param_groups[0]["lr"]`` once per epoch; call
its ``step()`` after the epoch's ``optimizer.step()`` calls, as in PyTorch
(``torch.optim.lr_scheduler``):

>>> from refnn import optim
>>> from refnn.tensors import tensor
>>> optimizer = optim.Adam([tensor([1.0], requires_grad=True)], lr=0.1)
>>> scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
>>> for epoch in range(6):
...     print(epoch, scheduler.get_last_lr())      # train one epoch here with this lr
...     scheduler.step()
0 [0.1]
1 [0.1]
2 [0.05]
3 [0.05]
4 [0.025]
5 [0.025]
"""
from collections.abc import Mapping

from refnn._checks import _size

__all__ = ["StepLR"]


class StepLR:
    """``lr = initial_lr · gamma^(epoch // step_size)``: the learning rate times gamma every step_size epochs.

    Each ``step()`` counts an epoch (``last_epoch``); at every multiple of
    ``step_size`` the rate of each parameter group is multiplied by
    ``gamma`` in place, PyTorch's chained form (the rate a program set by
    hand in between is kept and decayed).

    >>> from refnn import optim
    >>> from refnn.tensors import tensor
    >>> optimizer = optim.Adam([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> scheduler = StepLR(optimizer, step_size=3)          # gamma = 0.1
    >>> for _ in range(7):
    ...     scheduler.step()
    >>> scheduler.last_epoch, [round(lr, 6) for lr in scheduler.get_last_lr()]
    (7, [0.01])
    >>> StepLR(optimizer, step_size=0)
    Traceback (most recent call last):
        ...
    ValueError: StepLR: step_size must be at least 1, got 0
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        if not isinstance(getattr(optimizer, "param_groups", None), list):
            raise TypeError(f"StepLR: {type(optimizer).__name__} is not an Optimizer")
        _size("StepLR", "step_size", step_size)
        if isinstance(gamma, bool) or not isinstance(gamma, (int, float)) or not 0 <= gamma < float("inf"):
            raise ValueError(f"StepLR: gamma must be a finite number at least 0, got {gamma!r:.40}")
        self.optimizer, self.step_size, self.gamma = optimizer, step_size, gamma
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._last_lr = list(self.base_lrs)

    def step(self):
        """Count one epoch; at a multiple of step_size, ``lr ← gamma·lr`` in every group.

        >>> from refnn import optim
        >>> from refnn.tensors import tensor
        >>> optimizer = optim.Adam([tensor([1.0], requires_grad=True)], lr=0.5)
        >>> scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
        >>> scheduler.step(); optimizer.param_groups[0]["lr"]
        0.25
        """
        self.last_epoch += 1
        if self.last_epoch % self.step_size == 0:
            for group in self.optimizer.param_groups:
                group["lr"] = group["lr"] * self.gamma
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The learning rate of each group, as the last ``step()`` (or the start) set it.

        >>> from refnn import optim
        >>> from refnn.tensors import tensor
        >>> StepLR(optim.Adam([tensor([1.0], requires_grad=True)], lr=0.5), step_size=2).get_last_lr()
        [0.5]
        """
        return list(self._last_lr)

    def state_dict(self):
        """What the schedule has counted and its settings (the optimizer excluded), as in PyTorch.

        >>> from refnn import optim
        >>> from refnn.tensors import tensor
        >>> optimizer = optim.Adam([tensor([1.0], requires_grad=True)], lr=0.5)
        >>> s = StepLR(optimizer, step_size=2); s.step()
        >>> s.state_dict()
        {'step_size': 2, 'gamma': 0.1, 'base_lrs': [0.5], 'last_epoch': 1, '_last_lr': [0.5]}
        >>> fresh = StepLR(optimizer, step_size=5); fresh.load_state_dict(s.state_dict()); fresh.step_size
        2
        """
        return {key: value for key, value in vars(self).items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        """Take the count and settings of :meth:`state_dict`."""
        if not isinstance(state_dict, Mapping) or set(state_dict) != set(self.state_dict()):
            raise ValueError(f"StepLR.load_state_dict: expected the keys {sorted(self.state_dict())}")
        checked = StepLR(self.optimizer, state_dict["step_size"], state_dict["gamma"])
        self.step_size, self.gamma = checked.step_size, checked.gamma
        self.base_lrs, self._last_lr = list(state_dict["base_lrs"]), list(state_dict["_last_lr"])
        self.last_epoch = state_dict["last_epoch"]
