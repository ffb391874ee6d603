"""The book's formulas as MathML, written when the book is built.

pymdownx.arithmatex (generic mode) marks `$...$` and `$$...$$` in a chapter
and leaves the TeX in `<span class="arithmatex">\\(...\\)</span>` (inline) or
`<div class="arithmatex">\\[...\\]</div>` (display). This mkdocs hook turns
each into MathML with latex2mathml, so that the browser draws the formula
itself: no MathJax, no KaTeX, nothing fetched when a page is read.
"""

import html
import re

from latex2mathml.converter import convert

INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
# latex2mathml writes σ' as σ with a superscript ′, which most fonts draw as a
# speck; the prime character is raised already, so it follows σ on the line.
PRIME = re.compile(r"<msup>(<mi>[^<]*</mi>)<mi>&#x02032;</mi></msup>")


def mathml(tex, display):
    """The MathML of one formula; arithmatex has escaped <, > and & in it."""
    math = convert(html.unescape(tex).strip(), display="block" if display else "inline")
    return PRIME.sub(r'\1<mo lspace="0" rspace="0">&#x02032;</mo>', math)


def on_page_content(content, **kwargs):
    """Every formula of a page, rendered; a TeX left on the page fails the build."""
    content = DISPLAY.sub(lambda m: f'<div class="arithmatex">{mathml(m.group(1), True)}</div>', content)
    content = INLINE.sub(lambda m: f'<span class="arithmatex">{mathml(m.group(1), False)}</span>', content)
    if 'class="arithmatex">\\' in content:
        raise ValueError(f"{kwargs['page'].file.src_path}: a formula was left as TeX")
    return content
