"""Turn a newsletter exported as HTML from a mailing tool into an archive entry (markdown with front matter).

`convert()` is pure: HTML text in, an `Imported` (front matter values, markdown, images to copy) out.
`import_newsletter()` is the small wrapper that reads the export, copies the images beside it and writes
content/nieuwsbrieven/<date>-<slug>.md, or <date>-<slug>/index.md when files come along.

What is kept: text, headings, lists, links, bold and italic, images, real data tables. What goes: scripts,
styles, hidden preheaders, tracking pixels, layout tables, utm_* and other tracking parameters, and the
"view in browser" / unsubscribe boilerplate. Links through a click-tracking redirect are unwrapped when the
real address is in them. A remote image becomes a plain link: the site's pages load nothing from other hosts.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import lxml.html
import yaml
from lxml import etree

from ..core.dates import MONTHS, WEEKDAYS
from ..source.schemas import NEWSLETTER_SECTION
from ..source.trackers import TRACKER_LINK
from ..core.urls import slugify

SUMMARY_LENGTH = 200
SMALL_BLOCK = 240  # boilerplate is removed with its enclosing block only when that block is this short

DROP_TAGS = {"script", "style", "head", "title", "meta", "link", "noscript", "iframe", "object", "embed",
             "form", "input", "button", "select", "textarea", "svg", "map", "area", "base", "audio", "video",
             "canvas", "template"}
BLOCK_TAGS = {"p", "div", "td", "th", "tr", "table", "tbody", "thead", "tfoot", "center", "section",
              "article", "header", "footer", "main", "body", "html", "blockquote", "ul", "ol", "li", "h1",
              "h2", "h3", "h4", "h5", "h6", "hr", "pre", "figure", "figcaption", "dl", "dt", "dd", "address",
              "aside", "nav", "caption"}
TRACKING_PARAMS = {"mc_cid", "mc_eid", "fbclid", "gclid", "dclid", "msclkid", "_hsenc", "_hsmi", "mkt_tok",
                   "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id", "wt_mc", "yclid", "igshid", "_ga"}
REDIRECT_PARAMS = {"url", "u", "redirect", "redirect_url", "redirect_uri", "redir", "target", "dest",
                   "destination", "link", "r", "to", "goto", "out", "next", "continue", "href", "l"}
BOILERPLATE = re.compile(
    r"bekijk (deze|de) (e-?mail|nieuwsbrief) (online|in (je|uw) browser)|bekijk online|online bekijken"
    r"|webversie|niet goed (te )?(zien|leesbaar)|wordt (deze|de) (e-?mail|nieuwsbrief) niet goed weergegeven"
    r"|view (this )?(e-?mail )?in (your )?browser|view online|view as (a )?web ?page"
    r"|uitschrijven|afmelden|schrijf (je|u) uit|meld (je|u) (hier )?af|unsubscribe|opt[- ]out"
    r"|voorkeuren (wijzigen|aanpassen|beheren)|(wijzig|beheer) (je|uw) (voorkeuren|gegevens|inschrijving)"
    r"|update (your )?(preferences|profile)|manage (your )?(preferences|subscription)"
    r"|(je|u) ontvangt (deze|dit) (e-?mail|bericht|nieuwsbrief) omdat|deze e-?mail is verzonden aan"
    r"|you are receiving this|you received this|this email was sent to"
    r"|stuur (deze|door) (e-?mail |nieuwsbrief )?(door )?naar een (vriend|bekende)|forward to a friend"
    r"|voeg ons toe aan (je|uw) adresboek|add us to your address book"
    r"|(wilt|wil) (u|je) (deze|onze) (e-?mails?|nieuwsbrief|berichten) niet meer ontvangen"
    r"|copyright ©|© ?\d{4}",
    re.I)
MERGE_TAG = re.compile(r"\*\|[A-Z_:]+\|\*|\{\{\s*[\w.]+\s*\}\}|%%[\w_]+%%|\[[A-Z_]+\]|\$\{[\w.]+\}")
BOILERPLATE_HREF = re.compile(r"unsubscribe|afmelden|uitschrijven|optout|opt-out|/profile|/preferences|"
                              r"/webversion|/view-in-browser|/show\?|\*\|(UNSUB|ARCHIVE|UPDATE_PROFILE|FORWARD)\|\*",
                              re.I)
PIXEL_SRC = re.compile(r"/track/open|/open\.(gif|php|aspx?)|/o\.gif|[/._-](pixel|beacon|spacer)[/._-]|/e/o/|"
                       r"[?&](open|track)=", re.I)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0|mso-hide\s*:\s*all", re.I)
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad"), None)
EDITION = re.compile(r"\b(?:nieuwsbrief|editie|uitgave|nummer|nr\.?|no\.?|#)\s*(?:nr\.?|nummer)?\s*#?\s*(\d{1,3})(?![\d.,:/-])",
                     re.I)
DUTCH_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
ISO_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


class NewsletterImportError(Exception):
    """The export cannot be imported; the message (Dutch) says why and what to do."""


@dataclass(frozen=True)
class ImportedImage:
    source: str  # the src as written in the export, relative to the export's folder
    name: str  # the file name in the archive entry's folder


@dataclass(frozen=True)
class Imported:
    """What a newsletter export converts to."""

    title: str
    date: dt.date | None
    edition: int | None
    summary: str
    markdown: str  # the body, headings from ##
    images: tuple[ImportedImage, ...] = ()
    warnings: tuple[str, ...] = ()

    def document(self, date: dt.date, pdf: str | None = None) -> str:
        """The whole markdown file: front matter, then the body."""
        meta: dict = {"title": self.title, "date": date}
        if self.edition is not None:
            meta["edition"] = self.edition
        if self.summary:
            meta["summary"] = self.summary
        if pdf:
            meta["pdf"] = pdf
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
        return f"---\n{head}---\n\n{self.markdown}"


# -- the pure conversion ---------------------------------------------------------------------------

def convert(html: str, local_images: frozenset[str] | set[str] = frozenset()) -> Imported:
    """Convert an e-mail's HTML. local_images: the relative paths (as in src) of images found beside it."""
    root = lxml.html.document_fromstring(html or "<html></html>")
    page_title = _text(root.find(".//title")) if root.find(".//title") is not None else ""
    meta_date = _meta_date(root)
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(element)
    _drop_unwanted(root)
    preheader = _take_preheader(root)
    _drop_hidden(root)
    _drop_pixels(root)
    _drop_boilerplate(root)
    _drop_social_links(root)

    body = root.find("body") if root.find("body") is not None else root
    headline = body.find(".//h1")
    _drop_masthead_logos(body, headline)
    title = _clean_space(_text(headline)) if headline is not None else ""
    if headline is not None:
        _remove(headline)
    title = title or _clean_space(page_title) or "Nieuwsbrief"

    state = _State(local_images=set(local_images))
    blocks = _shift_headings(_blocks(body, state))
    body_text = " ".join(_plain(b) for b in blocks)
    blocks = _drop_dateline(blocks)
    if blocks and headline is None and _plain(blocks[0]).rstrip(".:") == title:
        blocks = blocks[1:]  # the title as a big bold first line
    markdown = "\n\n".join(blocks).strip() + "\n"
    summary = _summary(preheader, blocks)
    edition = _edition(title) or _edition(page_title) or _edition(preheader) or _edition(body_text[:300])
    date = meta_date or _date_in(title) or _date_in(preheader) or _date_in(body_text[:400])
    return Imported(title=title, date=date, edition=edition, summary=summary, markdown=markdown,
                    images=tuple(state.images), warnings=tuple(state.warnings))


@dataclass
class _State:
    local_images: set[str]
    images: list[ImportedImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # source -> name


def _text(element) -> str:
    return element.text_content() if element is not None else ""


def _clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(INVISIBLE).replace("\xa0", " ")).strip()


def _remove(element) -> None:
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
            _remove(element)
        elif ":" in tag:  # Office markup such as <o:p>: keep what is inside
            element.drop_tag()


def _is_hidden(element) -> bool:
    style = element.get("style") or ""
    return bool(HIDDEN_STYLE.search(style)) or element.get("hidden") is not None or \
        "preheader" in (element.get("class") or "").lower() or "previewtext" in (element.get("class") or "").lower()


def _take_preheader(root) -> str:
    """The hidden preview line many mailing tools put first: a natural summary."""
    for element in root.iter():
        if isinstance(element.tag, str) and _is_hidden(element):
            text = _clean_space(_text(element))
            if len(text) >= 20 and not BOILERPLATE.search(text) and not MERGE_TAG.search(text):
                return text
    return ""


def _drop_hidden(root) -> None:
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element is not root and _is_hidden(element) \
                and element.getparent() is not None:
            _remove(element)


def _size(element, name: str) -> int | None:
    value = element.get(name) or ""
    match = re.search(rf"(?:^|;)\s*{name}\s*:\s*(\d+)px", element.get("style") or "", re.I)
    raw = value if value.strip().isdigit() else (match.group(1) if match else "")
    return int(raw) if raw else None


def _drop_pixels(root) -> None:
    for img in list(root.iter("img")):
        width, height = _size(img, "width"), _size(img, "height")
        tiny = (width is not None and width <= 2) or (height is not None and height <= 2)
        if tiny or PIXEL_SRC.search(img.get("src") or ""):
            _remove(img)


def _drop_masthead_logos(body, headline) -> None:
    """The sender's logo above the title is letterhead, not content."""
    for element in list(body.iter()):
        if element is headline:
            break
        if element.tag == "img" and re.search(r"logo", (element.get("alt") or "") + (element.get("src") or ""), re.I):
            _remove(element)


def _drop_dateline(blocks: list[str]) -> list[str]:
    """A line near the top that only repeats the edition and date (they go into the front matter)."""
    kept = []
    for index, block in enumerate(blocks):
        rest = EDITION.sub("", DUTCH_DATE.sub("", _plain(block)))
        rest = re.sub(r"(?i)\b(" + "|".join(WEEKDAYS) + r"|nieuwsbrief)\b|[\s·|,.:–-]", "", rest)
        if index < 3 and len(block) < 80 and not rest \
                and (EDITION.search(_plain(block)) or DUTCH_DATE.search(_plain(block))):
            continue
        kept.append(block)
    return kept


def _drop_boilerplate(root) -> None:
    """'View in browser', unsubscribe, preferences, 'you receive this because', copyright lines."""
    for element in list(root.iter("a")):
        if element.getparent() is None:
            continue
        href = element.get("href") or ""
        if BOILERPLATE.search(_text(element)) or BOILERPLATE_HREF.search(href):
            _remove_block_of(element)
    for element in list(root.iter("p", "td", "div", "span", "li")):
        if element.getparent() is None or element.find(".//table") is not None:
            continue
        text = _clean_space(_text(element))
        if text and len(text) <= SMALL_BLOCK and (BOILERPLATE.search(text) or MERGE_TAG.fullmatch(text)):
            _remove(element)


SOCIAL_HOSTS = re.compile(r"^https?://(?:www\.|m\.)?(?:facebook|fb|instagram|twitter|x|linkedin|youtube|youtu|"
                          r"tiktok|pinterest|threads)\.(?:com|be|net)/", re.I)
SOCIAL_WORDS = re.compile(r"^(?:[\s|·•/,-]|facebook|instagram|twitter|x|linkedin|youtube|tiktok|pinterest|threads"
                          r"|volg (?:ons|de coalitie) op|volg ons)*$", re.I)


def _drop_social_links(root) -> None:
    """The row of 'Facebook | Instagram' buttons in a mail's footer: links to the networks and nothing else."""
    for element in list(root.iter("p", "td", "div", "li")):
        if element.getparent() is None or element.find(".//table") is not None:
            continue
        links = list(element.iter("a"))
        if links and all(SOCIAL_HOSTS.match(a.get("href") or "") for a in links) \
                and SOCIAL_WORDS.match(_clean_space(_text(element))):
            _remove(element)


def _remove_block_of(element) -> None:
    """Remove the smallest enclosing block that is only boilerplate; else just the element."""
    current = element
    while current.getparent() is not None:
        parent = current.getparent()
        if parent.tag in ("p", "li", "td", "div", "center", "span") \
                and len(_clean_space(_text(parent))) <= SMALL_BLOCK and parent.find(".//table") is None \
                and parent.find(".//img") is None:
            current = parent
            if parent.tag in ("p", "li"):
                break
            continue
        break
    _remove(current)


# -- links and images ------------------------------------------------------------------------------

def clean_url(url: str) -> str:
    """Unwrap click-tracking redirects (when the real address is in them) and drop tracking parameters."""
    url = url.strip()
    for _ in range(4):  # a redirect may wrap another one
        inner = _redirect_target(url)
        if inner is None or inner == url:
            break
        url = inner
    return _strip_tracking(url)


def _redirect_target(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in REDIRECT_PARAMS:
            for candidate in (value, unquote(value)):
                if re.match(r"https?://[^/\s]+", candidate):
                    return candidate
    # The address inside the path: https://click.example/l/abc123/https%3A%2F%2Fwww.example.nl%2F
    match = re.search(r"/(https?(?::|%3A)(?://|%2F%2F).+)$", parts.path + (("?" + parts.query) if parts.query else ""),
                      re.I)
    if match:
        inner = match.group(1)
        return unquote(inner) if "%3A" in inner[:8].upper() else inner
    return None


def _strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept, safe=":/@!$'()*+,;"), parts.fragment))


def _image(img, state: _State, in_link: bool) -> str:
    """An image as markdown: a local one copied into the entry, a remote one as a plain link."""
    src = (img.get("src") or "").strip()
    alt_attr = img.get("alt")
    alt = _clean_space(alt_attr or "")
    width, height = _size(img, "width"), _size(img, "height")
    small = (width is not None and width <= 100) or (height is not None and height <= 100)
    if not src or (alt_attr is not None and not alt and small):
        return ""  # alt="" on an icon or divider: decoration
    if src.startswith(("cid:", "data:")):
        state.warnings.append(f"de afbeelding '{alt or src[:40]}' zat in de e-mail zelf en is weggelaten; "
                              "zet het bestand naast de nieuwsbrief en voeg het toe als ![beschrijving](naam.jpg).")
        return ""
    if re.match(r"^(https?:)?//", src):
        url = clean_url(src if not src.startswith("//") else "https:" + src)
        if in_link:
            return _escape(alt)
        return f"[Afbeelding: {_escape(alt)}]({_link_target(url)})" if alt else f"[Afbeelding]({_link_target(url)})"
    path = PurePosixPath(unquote(src.split("?")[0].split("#")[0]))
    key = str(path)
    if key not in state.local_images:
        state.warnings.append(f"de afbeelding '{src}' staat niet naast de export en is weggelaten. Zet het "
                              "bestand naast de nieuwsbrief en voeg het toe als ![beschrijving](naam.jpg).")
        return ""
    if key not in state.names:
        name = slugify(path.stem) + path.suffix.lower()
        taken = set(state.names.values())
        stem, number = name, 2
        while name in taken:
            name = f"{PurePosixPath(stem).stem}-{number}{path.suffix.lower()}"
            number += 1
        state.names[key] = name
        state.images.append(ImportedImage(key, name))
    if not alt:
        state.warnings.append(f"de afbeelding {state.names[key]} heeft geen beschrijving. Schrijf tussen de "
                              "vierkante haken wat erop staat, anders bouwt de site niet.")
    return f"![{_escape(alt)}]({state.names[key]})"


def _link_target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


# -- HTML -> markdown --------------------------------------------------------------------------------

BR = "\x00"


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text).replace("<", "&lt;")


def _style_wraps(element) -> tuple[str, str]:
    tag = element.tag
    style = (element.get("style") or "").lower().replace(" ", "")
    if tag in ("strong", "b") or re.search(r"font-weight:(bold|[6-9]00)", style):
        return "**", "**"
    if tag in ("em", "i") or "font-style:italic" in style:
        return "*", "*"
    return "", ""


def _inline(element, state: _State, in_link: bool = False) -> str:
    """The inline markdown of an element's content (its own text and children, not its tail)."""
    parts = [_escape(_flat(element.text))] if element.text else []
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_inline_element(child, state, in_link))
        if child.tail:
            parts.append(_escape(_flat(child.tail)))
    return "".join(parts)


def _flat(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text.translate(INVISIBLE).replace("\xa0", " "))


def _inline_element(element, state: _State, in_link: bool) -> str:
    tag = element.tag
    if tag == "br":
        return BR
    if tag == "img":
        return _image(element, state, in_link)
    if tag == "a":
        return _anchor(element, state, in_link)
    if tag in BLOCK_TAGS:  # a block inside inline content (broken HTML): keep it apart
        return BR + BR + BR.join(_blocks(element, state)) + BR + BR
    inner = _inline(element, state, in_link)
    if tag == "code":
        return f"`{inner}`" if inner.strip() else inner
    before, after = _style_wraps(element)
    if before and inner.strip() and not inner.strip().startswith(before[0]):
        lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", inner, re.S).groups()
        return f"{lead}{before}{core}{after}{trail}"
    return inner


def _anchor(element, state: _State, in_link: bool) -> str:
    href = (element.get("href") or "").strip()
    text = _inline(element, state, in_link=True)
    if in_link or not href or href.startswith(("#", "javascript:")) or MERGE_TAG.search(href):
        return text
    url = href if href.startswith(("mailto:", "tel:")) else clean_url(href)
    if TRACKER_LINK.match(url):
        # A click counter without the real address in it: refused, so no reader is followed; the words stay.
        state.warnings.append(f"de link '{_plain(text)}' ging via een klikteller zonder het echte adres erin "
                              f"({url[:60]}...) en is weggelaten; de tekst staat er nog. Zoek het echte adres op "
                              "en maak de link opnieuw.")
        return text
    if not text.strip():
        return ""
    lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S).groups()
    if core.replace("\\", "") == url:
        return f"{lead}<{url}>{trail}"
    return f"{lead}[{core}]({_link_target(url)}){trail}"


def _paragraphs(inline: str) -> list[str]:
    """Inline markdown cut into paragraphs at double line breaks; single breaks become hard breaks."""
    result = []
    for chunk in re.split(rf"(?:\s*{BR}\s*){{2,}}", inline):
        lines = [re.sub(r" {2,}", " ", line).strip() for line in chunk.split(BR)]
        lines = [line for line in lines if line]
        if lines:
            result.append(_guard_start("  \n".join(lines)))
    return result


def _guard_start(text: str) -> str:
    """Escape what markdown would read as a heading, quote or list at the start of a paragraph."""
    text = re.sub(r"^(\d+)\. ", r"\1\\. ", text)
    return re.sub(r"^([#>+-])", r"\\\1", text)


def _blocks(element, state: _State) -> list[str]:
    """The markdown blocks of a block-level element's content."""
    tag = element.tag
    if re.fullmatch(r"h[1-6]", tag):
        text = " ".join(_paragraphs(_inline(element, state))).replace("  \n", " ")
        text = re.sub(r"^\*\*(.*)\*\*$", r"\1", text)  # a heading is bold already
        return [f"{'#' * int(tag[1])} {text}"] if text else []
    if tag in ("ul", "ol"):
        return _list(element, state)
    if tag == "blockquote":
        inner = _container(element, state)
        return ["\n".join("> " + line if line else ">" for line in "\n\n".join(inner).split("\n"))] if inner else []
    if tag == "hr":
        return []
    if tag == "pre":
        return ["```\n" + element.text_content().strip("\n") + "\n```"]
    if tag == "table" and _is_data_table(element):
        return [_table(element, state)]
    return _container(element, state)


def _container(element, state: _State) -> list[str]:
    blocks: list[str] = []
    buffer: list[str] = [_escape(_flat(element.text))] if element.text else []

    def flush() -> None:
        blocks.extend(_paragraphs("".join(buffer)))
        buffer.clear()

    for child in element:
        if isinstance(child.tag, str):
            if child.tag in BLOCK_TAGS:
                flush()
                blocks.extend(_blocks(child, state))
            else:
                buffer.append(_inline_element(child, state, in_link=False))
        if child.tail:
            buffer.append(_escape(_flat(child.tail)))
    flush()
    return blocks


def _list(element, state: _State) -> list[str]:
    items = []
    number = int(element.get("start") or 1) if (element.get("start") or "1").isdigit() else 1
    for li in element.iterfind("li"):
        marker = f"{number}." if element.tag == "ol" else "-"
        number += 1
        inner = _container(li, state)
        if not inner:
            continue
        pad = " " * 4
        first, *rest = "\n\n".join(inner).split("\n")
        lines = [f"{marker} {first}"]
        lines += [(pad + line) if line else "" for line in rest]
        items.append("\n".join(lines))
    if not items:
        return []
    loose = any("\n\n" in item for item in items)
    return [("\n\n" if loose else "\n").join(items)]


def _is_data_table(table) -> bool:
    return (table.get("role") or "").lower() != "presentation" and table.find(".//th") is not None \
        and table.find(".//table") is None


def _table(table, state: _State) -> str:
    rows = []
    for tr in table.iter("tr"):
        cells = [" ".join(_paragraphs(_inline(cell, state))).replace("  \n", " ").replace("|", "\\|")
                 for cell in tr if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
        if cells:
            rows.append(cells)
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _shift_headings(blocks: list[str]) -> list[str]:
    """Body headings start at ## (the title is the page's h1)."""
    levels = [len(m.group(1)) for b in blocks if (m := re.match(r"^(#{1,6}) ", b))]
    if not levels:
        return blocks
    shift = 2 - min(levels)
    return [re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", b)
            if re.match(r"^#{1,6} ", b) else b for b in blocks]


def _plain(block: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", block)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+|mailto:[^>]+)>", r"\1", text)
    text = re.sub(r"^(#+|>|-|\d+\.)\s+", "", text, flags=re.M)
    text = text.replace("**", "").replace("&lt;", "<")
    text = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _summary(preheader: str, blocks: list[str]) -> str:
    text = preheader
    if not text:
        for block in blocks:
            if not block.startswith(("#", "!", "|", "-", ">", "[Afbeelding")) and not re.match(r"\d+\. ", block):
                text = _plain(block)
                if len(text) >= 20 and not (len(text) < 40 and text.endswith(",")):  # not 'Beste lezer,'
                    break
                text = ""
    if len(text) > SUMMARY_LENGTH:
        text = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _edition(text: str) -> int | None:
    match = EDITION.search(text or "")
    return int(match.group(1)) if match else None


def _date_in(text: str) -> dt.date | None:
    for match in DUTCH_DATE.finditer(text or ""):
        try:
            return dt.date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
        except ValueError:
            continue
    for match in ISO_DATE.finditer(text or ""):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def _meta_date(root) -> dt.date | None:
    candidates = [m.get("content") or "" for m in root.iter("meta")
                  if (m.get("name") or m.get("property") or "").lower() in ("date", "article:published_time",
                                                                              "dcterms.date", "dc.date")]
    candidates += [t.get("datetime") or "" for t in root.iter("time")]
    for value in candidates:
        found = _date_in(value[:10])
        if found:
            return found
    return None


# -- the wrapper that reads and writes -----------------------------------------------------------------

def local_images_beside(export: Path, html: str) -> set[str]:
    """The image sources in the export that are files beside it (inside its folder)."""
    folder = export.parent.resolve()
    found = set()
    for src in re.findall(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", html, re.I):
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", src, re.I):
            continue
        rel = str(PurePosixPath(unquote(src.split("?")[0].split("#")[0])))
        path = (folder / rel).resolve()
        if path.is_file() and path.is_relative_to(folder):
            found.add(rel)
    return found


def import_newsletter(export: Path, site_root: Path, date: dt.date | None = None) -> tuple[Path, Imported]:
    """Write the archive entry for an export; returns the path written. Raises NewsletterImportError (Dutch)."""
    if not export.is_file():
        raise NewsletterImportError(f"het bestand {export} bestaat niet. Geef het pad van de HTML-export van de nieuwsbrief.")
    try:
        html = export.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        html = export.read_bytes().decode("cp1252", errors="replace")
    content = site_root / "content"
    if not content.is_dir():
        raise NewsletterImportError(f"in {site_root} staat geen map content/. Geef met --site de map van de site.")
    imported = convert(html, frozenset(local_images_beside(export, html)))
    date = date or imported.date or _date_in(export.stem)
    if date is None:
        raise NewsletterImportError("in de nieuwsbrief staat geen datum die ik kan lezen. Geef de datum van verzenden "
                           "op met --date, zoals --date 2025-06-16.")
    pdf = export.with_suffix(".pdf")
    stem = f"{date.isoformat()}-{slugify(imported.title)}"
    folder = content / NEWSLETTER_SECTION
    as_file, as_folder = folder / f"{stem}.md", folder / stem
    for existing in (as_file, as_folder):
        if existing.exists():
            raise NewsletterImportError(f"er staat al een nieuwsbrief op {existing.relative_to(site_root)}. Er is niets "
                               "overschreven. Haal die eerst weg, of geef een andere datum met --date.")
    with_files = bool(imported.images) or pdf.is_file()
    target = as_folder / "index.md" if with_files else as_file
    target.parent.mkdir(parents=True, exist_ok=True)
    for image in imported.images:
        shutil.copyfile(export.parent / image.source, target.parent / image.name)
    pdf_name = None
    if pdf.is_file():
        pdf_name = slugify(pdf.stem) + ".pdf"
        shutil.copyfile(pdf, target.parent / pdf_name)
    target.write_text(imported.document(date, pdf_name), encoding="utf-8")
    return target, imported


def main(site_root: Path, arguments: list[str], date_text: str | None) -> int:
    """`build.py import-newsletter FILE.html [--date 2025-06-16]`: prints the path written; never asks anything."""
    import sys

    if len(arguments) != 1:
        print("Geef precies een bestand: python build.py import-newsletter nieuwsbrief.html "
              "[--date 2025-06-16]", file=sys.stderr)
        return 1
    date = None
    if date_text:
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            print(f"--date '{date_text}' is geen geldige datum. Schrijf hem als 2025-06-16.", file=sys.stderr)
            return 1
    try:
        target, imported = import_newsletter(Path(arguments[0]), site_root, date)
    except NewsletterImportError as exc:
        print(f"Niet geïmporteerd: {exc}", file=sys.stderr)
        return 1
    for warning in imported.warnings:
        print(f"Let op: {warning}", file=sys.stderr)
    try:
        shown = target.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = target
    print(shown)
    return 0
