"""Task 5: how long a fresh interpreter takes to import refnn, and to run ``python -m refnn``.

Each measure is the wall time of a new ``python`` process, the fastest of
7 runs (3 for the tour; 3 and 1 with ``--quick``): on a shared machine the
slower runs waited for a core, and a process start is short enough to be
held up whole.  It includes the interpreter's own start, shown on its own
as ``python -c pass``.  refnn
is measured from a copy of the package in a temporary folder, twice:

* warm cache: the bytecode (``__pycache__``) written by a first run, the
  user's normal case after the first import;
* no cache: ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__``, so every
  module of refnn is compiled from source on every run (the standard
  library keeps its own compiled files in both cases).

The peers' imports are measured with the bytecode their installers wrote.
The run also checks that importing refnn and every one of its modules
imports none of sympy, matplotlib, numpy or torch.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMPLEMENTATIONS = {"refnn": None, "python alone": None, "micrograd": "micrograd", "numpy": "numpy",
                   "torch": "torch"}
HEAVY = ("sympy", "matplotlib", "numpy", "torch")
PEER_IMPORTS = {"python alone": "pass", "micrograd": "import micrograd.nn", "numpy": "import numpy",
                "torch": "import torch"}
REFNN_COMMANDS = {            # label: arguments of python
    "import refnn": ["-c", "import refnn"],
    "import refnn.nn, refnn.optim": ["-c", "import refnn.nn, refnn.optim"],
    "python -m refnn (the tour)": ["-m", "refnn"],
}
_CHECK = """
import importlib, json, sys
import refnn
for name in refnn.__all__:
    importlib.import_module("refnn." + name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(%r))))
""" % (HEAVY,)


def _environment(cache):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _wall(args, cwd, env):
    """Seconds of one ``python *args`` run in cwd; None if it failed."""
    # no timeout: with one, subprocess polls with growing sleeps, and the times snap to 32, 64 ms...
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds if done.returncode == 0 else None


def _fastest_wall(args, cwd, env, times):
    walls = [_wall(args, cwd, env) for _ in range(times)]
    return None if None in walls else min(walls)


def _copy_of_refnn(folder):
    """refnn copied into folder without compiled files: the copy that ``-c`` and ``-m`` find first there."""
    source = Path(__import__("refnn").__file__).parent
    shutil.copytree(source, Path(folder, "refnn"), ignore=shutil.ignore_patterns("__pycache__"))


def _has_cli(folder, args):
    return args[0] == "-c" or Path(folder, "refnn", "__main__.py").exists()


def run(impl, quick):
    times = 3 if quick else 7
    measures, outcome, notes = {}, {}, []
    with tempfile.TemporaryDirectory() as folder:
        if impl != "refnn":
            args = ["-c", PEER_IMPORTS[impl]]
            _wall(args, folder, _environment(cache=True))               # warm up the file cache
            measures["import (warm cache)"] = _fastest_wall(args, folder, _environment(cache=True), times)
            return {"measures": measures, "outcome": outcome, "note": ""}
        _copy_of_refnn(folder)
        for cache in (False, True):
            env = _environment(cache)
            for label, args in REFNN_COMMANDS.items():
                if not _has_cli(folder, args):
                    notes.append(f"{label}: refnn has no __main__.py yet")
                    continue
                _wall(args, folder, env)                                  # writes the cache, if any
                seconds = _fastest_wall(args, folder, env, times if args[0] == "-c" else (times + 1) // 3)
                if seconds is None:
                    notes.append(f"{label}: failed")
                    continue
                key = "import" if label == "import refnn" else label
                measures[f"{key} ({'warm cache' if cache else 'no cache'})"] = seconds
        done = subprocess.run([sys.executable, "-c", _CHECK], cwd=folder, env=_environment(False),
                              capture_output=True, text=True)
        outcome["heavy imports"] = json.loads(done.stdout) if done.returncode == 0 else [done.stderr[-300:]]
    return {"measures": measures, "outcome": outcome, "note": "; ".join(notes)}


def compare(outcomes):
    """import refnn, and every module of it, imports none of sympy, matplotlib, numpy, torch."""
    heavy = outcomes["refnn"]["heavy imports"]
    return [(heavy == [], f"importing refnn and all its modules imports {', '.join(heavy) or 'none'} "
                          f"of {', '.join(HEAVY)}")]
