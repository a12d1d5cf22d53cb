"""Strip an e-mail's HTML of everything that is not the newsletter itself, before it becomes markdown.

Mailing tools wrap the text in scripts, styles, hidden preheaders and tracking pixels, and Word writes its
lists as paragraphs with typed bullets; each has its own remover here (the mail service's footer is
footer.py's job, its merge tags mergetags.py's), so that the converter only sees content. Elements are
removed with their tail text kept, as that text belongs to the parent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

DROP_TAGS = {"script", "style", "head", "title", "meta", "link", "noscript", "iframe", "object", "embed",
             "form", "input", "button", "select", "textarea", "svg", "map", "area", "base", "audio", "video",
             "canvas", "template"}
PIXEL_SRC = re.compile(r"/track/open|/open\.(gif|php|aspx?)|/o\.gif|[/._-](pixel|beacon|spacer)[/._-]|/e/o/|"
                       r"[?&](open|track)=", re.I)
# Hidden from every reader. Not mso-hide:all: that hides from Outlook alone, and a button's link carries it.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0(?![.\d]*[1-9])", re.I)
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad"), None)


def strip(root, boilerplate: Callable[[str], object]) -> tuple[str, int]:
    """Remove what is not content from the document, in place: Word's list markers, comments, scripts and
    styles, hidden text, tracking pixels. Returns the hidden preheader (or "") and the number of pixels."""
    word_lists(root)
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        remove_keeping_tail(element)
    _drop_unwanted(root)
    preheader = _take_preheader(root, boilerplate)
    _drop_hidden(root)
    return preheader, _drop_pixels(root)


def text_of(element) -> str:
    return element.text_content() if element is not None else ""


def clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(INVISIBLE).replace("\xa0", " ")).strip()


def remove_keeping_tail(element) -> None:
    """Remove an element but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _drop_unwanted(root) -> None:
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in DROP_TAGS and element.getparent() is not None and element is not root:
            remove_keeping_tail(element)
        elif ":" in tag:  # Office markup such as <o:p>: keep what is inside
            element.drop_tag()


def word_lists(root) -> None:
    """Word writes a list as paragraphs with `mso-list` and a typed bullet between `[if !supportLists]`
    comments: the bullets go, and each run of such paragraphs becomes a <ul> or <ol>."""
    for comment in list(root.iter(etree.Comment)):
        if "if !supportlists" not in (comment.text or "").lower() or comment.getparent() is None:
            continue
        inside = []
        for sibling in comment.itersiblings():
            if not isinstance(sibling.tag, str) and "endif" in (sibling.text or "").lower():
                break
            inside.append(sibling)
        else:
            continue  # no [endif]: not Word's list marker
        marker, comment.tail = comment.tail or "", None
        for sibling in inside:
            marker += (sibling.text_content() if isinstance(sibling.tag, str) else "") + (sibling.tail or "")
            sibling.tail = None
            comment.getparent().remove(sibling)
        comment.getparent().set("data-word-list", "ol" if re.search(r"\w[.)]", marker) else "ul")
    for paragraph in list(root.iter("p")):
        kind = paragraph.get("data-word-list")
        if kind is None or paragraph.getparent() is None:
            continue
        previous = paragraph.getprevious()
        if previous is not None and previous.tag == kind and previous.get("data-word-list") == "list":
            listing = previous
        else:
            listing = etree.Element(kind, {"data-word-list": "list"})
            paragraph.addprevious(listing)
        tail, paragraph.tail = paragraph.tail, None
        paragraph.tag = "li"
        listing.append(paragraph)
        listing.tail = tail


def _is_hidden(element) -> bool:
    style = element.get("style") or ""
    return bool(HIDDEN_STYLE.search(style)) or element.get("hidden") is not None or \
        "preheader" in (element.get("class") or "").lower() or "previewtext" in (element.get("class") or "").lower()


def _take_preheader(root, boilerplate: Callable[[str], object]) -> str:
    """The hidden preview line many mailing tools put first: a natural summary."""
    for element in root.iter():
        if isinstance(element.tag, str) and _is_hidden(element):
            text = clean_space(text_of(element))
            if len(text) >= 20 and not boilerplate(text):
                return text
    return ""


def _drop_hidden(root) -> None:
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element is not root and _is_hidden(element) \
                and element.getparent() is not None:
            remove_keeping_tail(element)


def pixel_size(element, name: str) -> int | None:
    value = element.get(name) or ""
    match = re.search(rf"(?:^|;)\s*{name}\s*:\s*(\d+)px", element.get("style") or "", re.I)
    raw = value if value.strip().isdigit() else (match.group(1) if match else "")
    return int(raw) if raw else None


def _drop_pixels(root) -> int:
    """Tracking pixels (and spacers): images of a pixel or two, or with a counter's address. Returns how many
    counted opens (a spacer beside the export counts nothing)."""
    counted = 0
    for img in list(root.iter("img")):
        width, height = pixel_size(img, "width"), pixel_size(img, "height")
        tiny = (width is not None and width <= 2) or (height is not None and height <= 2)
        src = img.get("src") or ""
        if tiny or PIXEL_SRC.search(src):
            counted += bool(re.match(r"^(https?:)?//", src))
            remove_keeping_tail(img)
    return counted


def drop_masthead_logos(body, headline) -> list[str]:
    """The sender's logo above the title is letterhead, not content: the site shows its own. Returns their alt
    texts (or file names), for the report."""
    dropped = []
    for element in list(body.iter()):
        if element is headline:
            break
        if element.tag == "img" and re.search(r"logo", (element.get("alt") or "") + (element.get("src") or ""), re.I):
            dropped.append(clean_space(element.get("alt") or "") or (element.get("src") or "").rsplit("/", 1)[-1])
            remove_keeping_tail(element)
    return dropped
