"""The book's figures are up to date: docs/figures/make_figures.py --check redraws them and compares pixels.

Drawing all 13 takes about 10 s of CPU (30 s on a busy machine), so the
check runs where ``REFNN_CHECK_FIGURES=1`` (tox's py311 environment sets it)
and is skipped elsewhere.  The comparison itself is tested on every run, on
one small figure: a changed figure must be caught.
"""
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("numpy")
pytest.importorskip("PIL")

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "figures" / "make_figures.py"


def load():
    spec = importlib.util.spec_from_file_location("make_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_figure_of_the_script_is_committed_and_embedded():
    make = load()
    names = set(make.figures())
    committed = {p.name for p in SCRIPT.parent.iterdir() if p.suffix in (".png", ".gif")}
    assert names == committed
    chapters = "".join(p.read_text(encoding="utf-8") for p in SCRIPT.parent.parent.glob("0*.md"))
    assert {name for name in names if f"](figures/{name})" in chapters} == names
    for name in names:
        assert (SCRIPT.parent / name).stat().st_size <= 160_000, name


def test_a_changed_figure_is_caught(tmp_path):
    """Two drawings of one figure agree; another picture in its place, or one with no reference, does not.

    Both drawings are made here, by this machine's matplotlib: the committed
    files, drawn by another version perhaps (Python 3.10 gets an older
    matplotlib), are compared in the up-to-date check below, in one env.
    """
    make = load()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    make.write(str(first), ["neuron.png"]), make.write(str(second), ["neuron.png"])
    assert make.differences(str(second), reference=str(first)) == []
    shutil.copy(SCRIPT.parent / "network.png", second / "neuron.png")
    [wrong] = make.differences(str(second), reference=str(first))
    assert wrong.startswith("neuron.png: ")
    (second / "new.png").write_bytes((first / "neuron.png").read_bytes())
    assert "new.png: missing" in make.differences(str(second), reference=str(first))


@pytest.mark.skipif(os.environ.get("REFNN_CHECK_FIGURES") != "1",
                    reason="slow (13 figures): set REFNN_CHECK_FIGURES=1, as tox's py311 environment does")
def test_the_committed_figures_are_up_to_date(capsys):
    assert load().main(["--check"]) == 0, capsys.readouterr().out
