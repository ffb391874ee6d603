"""``python -m refnn``: the guided tour of the seed's ideas, and the classroom demos.

The command line lives in :mod:`refnn._cli` (pytest runs the examples of
its docstrings; it never reads a ``__main__.py``); ``main`` is here so that
``python -m refnn`` and the ``refnn`` console script run it.
"""
import sys

from refnn._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
