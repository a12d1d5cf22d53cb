"""Tidied e-mail HTML to markdown: blocks (headings, lists, quotes, data tables) and inline text.

Only what the site's markdown can show is kept; images are collected on the way, as files to copy into the
archive entry or as plain links (the site's pages load nothing from other hosts), with a Dutch warning for
each one that cannot come along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote

from ...core.urls import slugify
from .links import clean_url, inspect, link_target
from .report import Removals
from .tidy import INVISIBLE, clean_space, pixel_size

BLOCK_TAGS = {"p", "div", "td", "th", "tr", "table", "tbody", "thead", "tfoot", "center", "section",
              "article", "header", "footer", "main", "body", "html", "blockquote", "ul", "ol", "li", "h1",
              "h2", "h3", "h4", "h5", "h6", "hr", "pre", "figure", "figcaption", "dl", "dt", "dd", "address",
              "aside", "nav", "caption"}
BR = "\x00"


@dataclass(frozen=True)
class ImportedImage:
    source: str  # the src as written in the export, relative to the export's folder
    name: str  # the file name in the archive entry's folder


@dataclass
class Collected:
    local_images: set[str]
    images: list[ImportedImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # source -> name
    removed: Removals = field(default_factory=Removals)
    reader_ids: frozenset[str] = frozenset()  # the readers' ids the links carry (links.reader_ids)


def _image(img, state: Collected, in_link: bool) -> str:
    """An image as markdown: a local one copied into the entry, a remote one as a plain link."""
    src = (img.get("src") or "").strip()
    alt_attr = img.get("alt")
    alt = clean_space(alt_attr or "")
    width, height = pixel_size(img, "width"), pixel_size(img, "height")
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
            if alt:
                state.warnings.append(f"de afbeelding '{alt}' stond in een link; alleen de link met de tekst "
                                      f"'{alt}' is gebleven.")
            return _escape(alt)
        return f"[Afbeelding: {_escape(alt)}]({link_target(url)})" if alt else f"[Afbeelding]({link_target(url)})"
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


def _inline(element, state: Collected, in_link: bool = False) -> str:
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


def _inline_element(element, state: Collected, in_link: bool) -> str:
    tag = element.tag
    if tag == "br":
        return BR
    if tag == "img":
        return _image(element, state, in_link)
    if tag == "a":
        return _anchor(element, state, in_link)
    if tag in BLOCK_TAGS:  # a block inside inline content (broken HTML): keep it apart
        return BR + BR + BR.join(markdown_blocks(element, state)) + BR + BR
    inner = _inline(element, state, in_link)
    if tag == "code":
        return f"`{inner}`" if inner.strip() else inner
    before, after = _style_wraps(element)
    if before and inner.strip() and not inner.strip().startswith(before[0]):
        lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", inner, re.S).groups()
        return f"{lead}{before}{core}{after}{trail}"
    return inner


def _anchor(element, state: Collected, in_link: bool) -> str:
    href = (element.get("href") or "").strip()
    text = _inline(element, state, in_link=True)
    if in_link or not href or href.startswith(("#", "javascript:")):
        return text
    if href.lower().startswith(("mailto:", "tel:")):
        return _as_link(text, href)
    link = inspect(href, state.reader_ids)
    removed = state.removed
    removed.unwrapped += link.unwrapped and link.url is not None
    removed.tracking += link.tracking and not link.emails and not link.merge_tags
    removed.email_links += bool(link.emails)
    removed.emails |= link.emails
    removed.merge_tags += link.merge_tags
    words = plain_text(text)
    if link.url is None and not words:
        return text  # a link around nothing left (a logo taken out): nothing for the reader to miss
    if link.url is None and link.reason == "veld":
        state.warnings.append(f"de link '{words}' ging naar een persoonlijk veld van het mailprogramma "
                              f"({', '.join(link.merge_tags)}) en is weggelaten; de tekst staat er nog.")
        return text
    if link.url is None and link.reason == "kapot":
        state.warnings.append(f"de link '{words}' had een adres dat niet klopt ({href[:60]}) en is weggelaten; de "
                              "tekst staat er nog.")
        return text
    if link.url is None and link.reason == "e-mail":
        state.warnings.append(f"de link achter '{words}' bevatte het e-mailadres van een lezer en is weggehaald; de "
                              "tekst staat er nog. Zet er zo nodig de link zonder e-mailadres achter.")
        return text
    if link.url is None:
        # A click counter without the real address in it: refused, so no reader is followed; the words stay.
        state.warnings.append(f"de link '{words}' ging via een klikteller zonder het echte adres erin "
                              f"({clean_url(href)[:60]}...) en is weggelaten; de tekst staat er nog. Zoek het echte "
                              "adres op en maak de link opnieuw.")
        return text
    return _as_link(text, link.url)


def _as_link(text: str, url: str) -> str:
    if not text.strip():
        return ""
    lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S).groups()
    if core.replace("\\", "") == url:
        return f"{lead}<{url}>{trail}"
    return f"{lead}[{core}]({link_target(url)}){trail}"


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


def markdown_blocks(element, state: Collected) -> list[str]:
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


def _container(element, state: Collected) -> list[str]:
    blocks: list[str] = []
    buffer: list[str] = [_escape(_flat(element.text))] if element.text else []

    def flush() -> None:
        blocks.extend(_paragraphs("".join(buffer)))
        buffer.clear()

    for child in element:
        if isinstance(child.tag, str):
            if child.tag in BLOCK_TAGS:
                flush()
                blocks.extend(markdown_blocks(child, state))
            else:
                buffer.append(_inline_element(child, state, in_link=False))
        if child.tail:
            buffer.append(_escape(_flat(child.tail)))
    flush()
    return blocks


def _list(element, state: Collected) -> list[str]:
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


def _table(table, state: Collected) -> str:
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


def shift_headings(blocks: list[str]) -> list[str]:
    """Body headings start at ## (the title is the page's h1)."""
    levels = [len(m.group(1)) for b in blocks if (m := re.match(r"^(#{1,6}) ", b))]
    if not levels:
        return blocks
    shift = 2 - min(levels)
    return [re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", b)
            if re.match(r"^#{1,6} ", b) else b for b in blocks]


def plain_text(block: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", block)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+|mailto:[^>]+)>", r"\1", text)
    text = re.sub(r"^(#+|>|-|\d+\.)\s+", "", text, flags=re.M)
    text = text.replace("**", "").replace("&lt;", "<")
    text = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()
