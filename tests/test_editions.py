"""The English and the Chinese edition stay in step: every chapter docs/X.md has its
translation docs/X.zh.md and back, and the two run the same examples, in the same order,
with the same expected output (only the prose between them is translated); so do
README.md and README.zh-CN.md.

The chapters not translated yet are listed in EXPECTED_MISSING; the list may only
shrink, and the test fails when it is stale (a chapter on it has been translated), so
that it always says what is left.
"""

import doctest
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# the English chapters whose Chinese translation is still to be written
EXPECTED_MISSING = set()


def english():
    return sorted(p.name for p in DOCS.glob("*.md") if not p.name.endswith(".zh.md"))


def chinese():
    return sorted(p.name for p in DOCS.glob("*.zh.md"))


def partner(name):
    """docs/X.md's translation is docs/X.zh.md."""
    return name[:-len(".md")] + ".zh.md"


def examples(path):
    """The (source, expected output) of every `>>>` example of a page, in order."""
    parsed = doctest.DocTestParser().get_examples(path.read_text(encoding="utf-8"), str(path))
    return [(example.source, example.want) for example in parsed]


def test_every_chinese_chapter_translates_an_english_one():
    orphans = [name for name in chinese() if name[:-len(".zh.md")] + ".md" not in english()]
    assert orphans == [], f"Chinese chapters without an English original: {orphans}"


def test_every_english_chapter_is_translated_but_the_listed_ones():
    missing = {name for name in english() if not (DOCS / partner(name)).exists()}
    untranslated = sorted(missing - EXPECTED_MISSING)
    assert untranslated == [], f"English chapters without a Chinese translation: {untranslated}"
    stale = sorted(EXPECTED_MISSING - missing)
    assert stale == [], f"translated (or gone) now, take them off EXPECTED_MISSING: {stale}"


PAIRS = [(DOCS / name, DOCS / partner(name)) for name in english() if name not in EXPECTED_MISSING]
PAIRS.append((ROOT / "README.md", ROOT / "README.zh-CN.md"))


@pytest.mark.parametrize("original, translation", PAIRS, ids=[p[1].name for p in PAIRS])
def test_both_editions_run_the_same_examples(original, translation):
    ours, theirs = examples(original), examples(translation)
    for number, (a, b) in enumerate(zip(ours, theirs), 1):
        assert a == b, f"example {number} of {translation.name} differs from {original.name}"
    assert len(ours) == len(theirs), (f"{original.name}: {len(ours)} examples, "
                                      f"{translation.name}: {len(theirs)}")


def slug(heading):
    """The anchor Python-Markdown's toc gives an English heading (its default slugify)."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def headings(path):
    """The (level, text) of every ## and ### heading of a page, outside code blocks."""
    found, in_code = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        in_code ^= line.startswith("```")
        match = None if in_code else re.match(r"(#{2,3}) (.*)", line)
        if match:
            found.append((len(match[1]), match[2].strip()))
    return found


CHAPTERS = [pair for pair in PAIRS if pair[0].parent == DOCS]


@pytest.mark.parametrize("original, translation", CHAPTERS, ids=[p[1].name for p in CHAPTERS])
def test_a_translated_heading_keeps_the_english_anchor(original, translation):
    # so that a link to chapter#section, and the language switch, land on the same section
    english_anchors = [(level, slug(text)) for level, text in headings(original)]
    chinese_anchors = [(level, (re.search(r"\{#([\w-]+)\}$", text) or [None, text])[1])
                       for level, text in headings(translation)]
    assert chinese_anchors == english_anchors


def test_the_comparison_sees_a_changed_output(tmp_path):
    page = "Text.\n\n```python\n>>> 1 + 1\n2\n>>> print('a',\n...       'b')\na b\n\n```\n"
    (tmp_path / "a.md").write_text(page, encoding="utf-8")
    (tmp_path / "b.md").write_text(page.replace("Text.", "文字。"), encoding="utf-8")
    (tmp_path / "c.md").write_text(page.replace("\n2\n", "\n3\n"), encoding="utf-8")
    assert examples(tmp_path / "a.md") == examples(tmp_path / "b.md")
    assert examples(tmp_path / "a.md") == [("1 + 1\n", "2\n"), ("print('a',\n      'b')\n", "a b\n")]
    assert examples(tmp_path / "a.md") != examples(tmp_path / "c.md")
    assert slug("`sum`: the reduced dimension") == "sum-the-reduced-dimension"
    assert slug("Fisher's iris") == "fishers-iris"
