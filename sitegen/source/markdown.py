"""The one configured Markdown converter: links rewritten to site URLs, HTML sanitised."""

from __future__ import annotations

import re
import sys
from html import unescape as html_unescape
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.util import AMP_SUBSTITUTE
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from ..core.model import Heading, Text
from .phones import link_phones_html
from ..core.urls import is_external



def _extensions(state: dict) -> list[Extension]:
    """Extension instances, not names: a name makes Python-Markdown scan every installed package's
    entry points (importlib.metadata), which costs more than a whole one-page rebuild should."""
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension

    return [TableExtension(), AttrListExtension(), DefListExtension(), _fenced_code()(), FootnoteExtension(),
            SaneListExtension(), TocExtension(slugify=slugify, toc_depth="2-4"), AbbrExtension(),
            _RewriteExtension(state)]


def _fenced_code():
    """FencedCodeExtension, imported without pygments: fenced_code imports codehilite, which imports pygments
    when it can (some 10 ms of every build that converts a page) for a highlighting that fenced_code does
    only when codehilite is registered too, which it never is here. While fenced_code is imported pygments
    counts as missing, a case codehilite provides for (its `pygments = False`)."""
    blocked = "pygments" not in sys.modules and "markdown.extensions.codehilite" not in sys.modules
    if blocked:
        sys.modules["pygments"] = None  # an `import pygments` now raises ImportError
    try:
        from markdown.extensions.fenced_code import FencedCodeExtension
    finally:
        if blocked:
            del sys.modules["pygments"]
    return FencedCodeExtension

# What content may contain once converted. Everything else is removed, including any
# script, style, iframe, object, embed, form, base and every on* attribute.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel", "webcal"}  # webcal: subscribe to a calendar


def sanitise(html: str) -> str:
    """Allowlist-clean a fragment of HTML that came from content."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


@dataclass
class Conversion:
    """What converting one body gave: sanitised HTML, its headings, and what went wrong."""

    html: Text  # a StoredText once the conversion went through the cache
    headings: tuple[Heading, ...]
    broken_links: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    text: Text = ""  # the visible text of html, for descriptions, search and reading-level checks
    lead: str = ""  # the text of the first paragraph, the natural fallback for a description
    blank: bool = True  # no HTML at all (only white space)


# resolve(target) -> the URL to write, or None when the target does not exist
Resolver = Callable[[str], "str | None"]
# size(target) -> (width, height) of a local image, or None when unknown
Sizer = Callable[[str], "tuple[int, int] | None"]


class _LinkRewriter(Treeprocessor):
    """Rewrites relative links and image sources through the resolver; marks external links."""

    def __init__(self, md, state: dict):
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        resolve: Resolver = self.state["resolve"]
        result: Conversion = self.state["result"]
        for element in root.iter():
            if element.tag in ("td", "th") and element.get("style"):
                # Our Content-Security-Policy forbids inline styles, so alignment becomes a class.
                align = element.attrib.pop("style").split(":")[-1].strip(" ;")
                element.set("class", f"align-{align}")
            if element.tag == "a" and element.get("href") is not None:
                href = element.get("href")
                if AMP_SUBSTITUTE in href:  # <naam@voorbeeld.nl>: Python-Markdown hides it in entities
                    href = html_unescape(href.replace(AMP_SUBSTITUTE, "&"))
                result.links.append(href)
                if is_external(href):
                    if href.lower().startswith(("http:", "https:")):
                        element.set("rel", "noopener")
                    continue
                new = resolve(href)
                if new is None:
                    result.broken_links.append(href)
                else:
                    element.set("href", new)
            elif element.tag == "img":
                src = element.get("src") or ""
                if not (element.get("alt") or "").strip():
                    result.images_without_alt.append(src)
                if src and not is_external(src):
                    new = resolve(src)
                    if new is None:
                        result.broken_links.append(src)
                    else:
                        element.set("src", new)
                        size = self.state["size"](src)
                        if size and not element.get("width"):
                            element.set("width", str(size[0]))
                            element.set("height", str(size[1]))
                element.set("loading", "lazy")
                element.set("decoding", "async")


class _RewriteExtension(Extension):
    def __init__(self, state: dict):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        # After inline processing (priority 20) so links exist, before prettify.
        md.treeprocessors.register(_LinkRewriter(md, self.state), "site_links", 5)


class MarkdownConverter:
    """One Python-Markdown instance, reset between documents (building it costs more than converting)."""

    def __init__(self) -> None:
        self._state: dict = {}
        self._md = markdown.Markdown(
            extensions=_extensions(self._state),
            output_format="html",
        )

    def convert(self, text: str, resolve: Resolver, size: Sizer = lambda target: None) -> Conversion:
        result = Conversion(html="", headings=())
        self._state["resolve"] = resolve
        self._state["size"] = size
        self._state["result"] = result
        self._md.reset()
        raw = self._md.convert(text)
        result.headings = tuple(_flatten(self._md.toc_tokens))
        result.html = link_phones_html(sanitise(raw))  # every number in a text can be tapped
        result.text = plain_text(result.html)
        result.lead = first_paragraph(result.html)
        result.blank = not result.html.strip()
        return result


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield Heading(level=token["level"], text=token["name"], anchor=token["id"])
        yield from _flatten(token.get("children", []))


_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)


def locate(body: str, target: str, first_line: int) -> tuple[int, int]:
    """Line and column of a link target in the body, for error messages (best effort)."""
    for number, line in enumerate(body.split("\n")):
        column = line.find(target)
        if column >= 0:
            return first_line + number, column + 1
    return first_line, 1


def plain_text(html: str) -> str:
    """The visible text of a fragment, for descriptions and reading-level checks."""
    text = re.sub(r"</?(p|h[1-6]|li|ul|ol|div|br|tr|td|th|table|blockquote|dd|dt|figure|figcaption)\b[^>]*>", " ", html)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", text).strip()


def first_paragraph(html: str) -> str:
    """The text of the first paragraph, the natural fallback for a page's description."""
    match = re.search(r"<p\b[^>]*>(.*?)</p>", html, re.S)
    return plain_text(match.group(1)) if match else ""
