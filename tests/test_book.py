"""The built book: read from disk, it loads nothing from a network, shows no raw TeX,
switches language on every page, and its search index splits Chinese words.

`tox -e docs` builds the book and points REFNN_BOOK_SITE at it; elsewhere the book is
built here when mkdocs-material is installed (the `docs` extra), and skipped when not.
"""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the <link rel=...> kinds that make a browser fetch their href
FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect",
                 "dns-prefetch", "manifest", "apple-touch-icon"}
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built book's folder: REFNN_BOOK_SITE, or a fresh `mkdocs build --strict`."""
    given = os.environ.get("REFNN_BOOK_SITE")
    if given:
        assert (Path(given) / "index.html").is_file(), f"REFNN_BOOK_SITE={given} holds no built book"
        return Path(given)
    for module in ("material", "mkdocs_static_i18n", "latex2mathml", "jieba"):
        pytest.importorskip(module, reason="the book needs the docs extra: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return out


def pages(site):
    return sorted(site.rglob("*.html"))


class Loads(HTMLParser):
    """Every URL a page makes the browser fetch: src and data of any tag, the href of a fetching link."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.links = []           # (hreflang, href) of the language switcher

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "data", "poster"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if attrs.get("srcset"):
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
        rels = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and rels & FETCHING_RELS and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "a" and attrs.get("hreflang"):
            self.links.append((attrs["hreflang"], attrs["href"]))


def parse(text):
    parser = Loads()
    parser.feed(text)
    return parser


def remote_loads(html_text):
    """The URLs of a page that would be fetched from a network."""
    return [url for url in parse(html_text).urls if REMOTE.match(url)]


def remote_css(css_text):
    """The url(...) and @import of a stylesheet that point to a network."""
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", css_text)
    found += re.findall(r"@import\s+['\"]([^'\"]+)", css_text)
    return [url for url in found if REMOTE.match(url)]


def test_the_check_finds_a_remote_script_font_and_stylesheet():
    page = ('<script src="https://unpkg.com/iframe-worker/shim"></script>'
            '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">'
            '<link rel="canonical" href="https://example.org/"><a href="https://example.org/">a link</a>'
            '<script src="assets/bundle.js"></script>')
    assert remote_loads(page) == ["https://unpkg.com/iframe-worker/shim",
                                  "//fonts.googleapis.com/css?family=Roboto"]
    assert remote_css("@font-face{src:url(https://fonts.gstatic.com/x.woff2)} a{background:url(i.png)}") == [
        "https://fonts.gstatic.com/x.woff2"]


def test_nothing_is_loaded_from_a_network(site):
    found = {str(p.relative_to(site)): remote_loads(p.read_text(encoding="utf-8")) for p in pages(site)}
    css = site.rglob("*.css")
    found.update({str(p.relative_to(site)): remote_css(p.read_text(encoding="utf-8")) for p in css})
    assert {page: urls for page, urls in found.items() if urls} == {}
    assert len(found) > 20


def test_every_local_resource_exists(site):
    missing = []
    for page in pages(site):
        if page.name == "404.html":          # for a web server: its links start at the site's root
            continue
        for url in parse(page.read_text(encoding="utf-8")).urls:
            path = url.split("?")[0].split("#")[0]
            if not url.startswith(("data:", "#")) and not (page.parent / path).exists():
                missing.append((str(page.relative_to(site)), url))
    for sheet in site.rglob("*.css"):      # the math font, among others
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8")):
            path = url.split("?")[0].split("#")[0]
            if not url.startswith(("data:", "#")) and not (sheet.parent / path).exists():
                missing.append((str(sheet.relative_to(site)), url))
    assert missing == []
    assert (site / "fonts" / "latinmodern-math.otf").stat().st_size > 100_000


def visible_text(html_text):
    """A page's text outside code, scripts and formulas (MathML)."""
    for tag in ("script", "style", "pre", "code", "math"):
        html_text = re.sub(rf"<{tag}\b.*?</{tag}>", " ", html_text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html_text)


def test_every_formula_is_rendered_and_no_tex_is_left(site):
    chapters = [p for p in site.glob("*.html") if p.name != "404.html"]
    leftovers = {}
    for page in chapters:
        text = visible_text(page.read_text(encoding="utf-8"))
        tex = re.findall(r"\\[a-zA-Z]+|[_^]\{|\$[^$\s]", text)
        if tex:
            leftovers[page.name] = tex
    assert leftovers == {}
    formulas = {p.name: p.read_text(encoding="utf-8").count("<math ") for p in chapters}
    for chapter in ("01-network.html", "02-neuron.html", "03-perceptron.html", "04-backprop.html",
                    "05-gradients.html"):
        assert formulas[chapter] > 0, chapter


def test_code_is_highlighted_by_pygments(site):
    page = (site / "01-network.html").read_text(encoding="utf-8")
    assert 'class="highlight"' in page and '<span class="kn">from</span>' in page


def test_search_runs_from_disk(site):
    # a browser refuses a Web Worker on a file:// page: the shim runs search in an iframe,
    # and the offline plugin inlines the index into a script the iframe can load
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    for page in pages(site):
        scripts = parse(page.read_text(encoding="utf-8")).urls
        assert any(url.endswith("javascripts/iframe-worker-shim.js") for url in scripts), page


def test_every_page_switches_language(site):
    for page in pages(site):
        if page.name == "404.html":
            continue
        links = dict(parse(page.read_text(encoding="utf-8")).links)
        assert set(links) == {"en", "zh"}, page
        for href in links.values():
            assert (page.parent / href).is_file(), (page, href)


def test_search_splits_chinese_words(site):
    import json
    text = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    index = json.loads(text)
    assert "\\u200b" in index["config"]["separator"]
    zh = [doc for doc in index["docs"] if doc["location"].startswith("zh/index.html")]
    assert zh, "the Chinese edition's home page is not in the index"
    words = set(re.split(index["config"]["separator"], " ".join(doc["text"] for doc in zh)))
    assert {"感知机", "反向传播", "梯度下降"} <= words


# where a reader of the Chinese edition must find a term: the chapter that explains it
ZH_TERMS = {"感知机": ["03-perceptron", "02-neuron"], "反向传播": ["04-backprop", "01-network"],
            "梯度下降": ["01-network", "04-backprop"], "误差": ["01-network", "04-backprop"],
            "链式法则": ["04-backprop"], "凸包": ["03-perceptron"], "线性可分": ["03-perceptron"],
            "真值表": ["02-neuron"], "中心差分": ["05-gradients"], "见证点": ["03-perceptron"],
            "学习率": ["04-backprop"], "小批量": ["08-real-data"], "术语表": ["index"],
            "张量": ["07-tensors"], "广播": ["07-tensors"], "衔接": ["07-tensors"], "计算图": ["07-tensors"],
            "自动求导": ["06-pytorch-way"], "零件": ["06-pytorch-way"], "优化器": ["06-pytorch-way"],
            "动量": ["06-pytorch-way", "08-real-data"], "池化": ["06-pytorch-way"]}


def test_search_finds_the_terms_in_the_translated_chapters(site):
    import json
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {}                      # word -> the Chinese pages whose index entries hold it whole
    for doc in index["docs"]:
        page, _, _ = doc["location"].partition("#")
        if page.startswith("zh/"):
            for word in re.split(index["config"]["separator"], doc["title"] + " " + doc["text"]):
                found.setdefault(word, set()).add(page[len("zh/"):-len(".html")])
    missing = {term: sorted(set(chapters) - found.get(term, set())) for term, chapters in ZH_TERMS.items()}
    assert {term: pages for term, pages in missing.items() if pages} == {}
    translated = {p.name[:-len(".zh.md")] for p in (ROOT / "docs").glob("*.zh.md")}
    assert translated <= set().union(*found.values()), "a translated chapter is missing from the index"


def search_from_disk(page, query):
    """The titles of the results when `page` of the built book is opened from disk with
    ?q=query, as headless Chromium shows them (the query goes through the search worker)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium to open the book in")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--virtual-time-budget=10000", "--dump-dom", f"{page.as_uri()}?q={query}"]
    for _ in range(3):                   # a busy machine may not have the index ready in time
        dom = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
        articles = re.findall(r'<article class="md-search-result__article[^>]*>(.*?)</article>', dom, re.S)
        titles = [re.sub(r"<[^>]+>|\u200b", "", m.group(1)) for a in articles
                  if (m := re.search(r"<h1>(.*?)</h1>", a, re.S))]
        if titles:
            return titles
    return []


def test_search_from_disk_finds_english_and_chinese_words(site):
    assert "The perceptron and linear separability" in search_from_disk(site / "index.html", "perceptron")
    found = search_from_disk(site / "zh" / "index.html", "感知机")
    assert "refnn：从矩阵开始学神经网络" in found and "Glossary" in found
