"""Shared test set-up: the hypothesis profiles, the PyTorch oracle and the mark of what needs it."""
import os
from fnmatch import fnmatch

import pytest
from hypothesis import HealthCheck, settings

# One profile for every machine: enough examples to find a counter-example,
# few enough that the whole suite runs in minutes on two cores.  Locally each
# run draws new examples (the search goes on); in CI (the runner sets CI=true,
# tox passes it on) the "ci" profile derandomizes: the examples follow from each
# test's code, so a CI run fails or passes the same way every time, and a
# failure prints the blob that @reproduce_failure replays.
settings.register_profile(
    "refnn", max_examples=int(os.environ.get("REFNN_EXAMPLES", "60")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("refnn"), derandomize=True, database=None,
                          print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false", "no") else "refnn")


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


def pytest_collection_modifyitems(config, items):
    """Mark ``torch`` every test that needs PyTorch: those of tests/test_*torch*.py, those taking the fixture.

    The ``torch`` tox environment runs ``pytest -m torch``, only these; every
    other environment runs them too, and they skip there where torch is absent.
    """
    for item in items:
        if fnmatch(item.path.name, "test_*torch*.py") or "torch" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.torch)
