"""Shared test set-up: the hypothesis profile and the PyTorch oracle."""
import os

import pytest
from hypothesis import HealthCheck, settings

# One profile for every machine: enough examples to find a counter-example,
# few enough that the whole suite runs in minutes on two cores.
settings.register_profile(
    "refnn", max_examples=int(os.environ.get("REFNN_EXAMPLES", "60")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("refnn")


@pytest.fixture(scope="session")
def torch():
    """PyTorch in float64 on one thread, or a clean skip where it is not installed.

    The ``torch`` tox environment sets REFNN_REQUIRE_TORCH, so there a missing
    torch is a failure, not a silent skip.
    """
    if os.environ.get("REFNN_REQUIRE_TORCH"):
        import torch as module
    else:
        module = pytest.importorskip("torch")
    module.set_default_dtype(module.float64)
    module.set_num_threads(1)
    return module
