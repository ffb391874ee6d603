"""refnn.nn.init: :mod:`refnn.init` under the name PyTorch gives it, ``torch.nn.init``.

>>> from refnn import nn
>>> nn.init.xavier_uniform_ is __import__("refnn").init.xavier_uniform_
True
"""
from refnn.init import (calculate_gain, constant_, kaiming_normal_, kaiming_uniform_, manual_seed, normal_,
                        ones_, uniform_, xavier_normal_, xavier_uniform_, zeros_)
from refnn.init import dirac_, eye_, orthogonal_, trunc_normal_

__all__ = [
    "manual_seed", "calculate_gain", "uniform_", "normal_", "constant_", "zeros_", "ones_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "trunc_normal_", "orthogonal_", "eye_", "dirac_",
]
