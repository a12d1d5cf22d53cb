"""One newsletter export converted, in memory: title, date, edition and summary found, the body as markdown.

Pure: HTML text in, an `Imported` out; reading the export and writing the entry is archive.py's job.
The title is the mail's first h1 (or its <title>); the date and edition are looked for in the meta tags,
the title, the preheader and the first lines, in that order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.html
import yaml
from lxml import etree

from ...core.dates import MONTHS, WEEKDAYS
from . import mergetags
from .footer import WEAK, drop_footer, drop_social_links, kinds_of
from .links import reader_ids
from .markdown import Collected, ImportedImage, markdown_blocks, plain_text, shift_headings
from .report import Removals, removed_items
from .tidy import clean_space, drop_masthead_logos, remove_keeping_tail, strip, text_of

SUMMARY_LENGTH = 200
EDITION = re.compile(r"\b(?:nieuwsbrief|editie|uitgave|nummer|nr\.?|no\.?|#)\s*(?:nr\.?|nummer)?\s*#?\s*(\d{1,3})"
                     r"(?![\d.:/-]|,\d)", re.I)
DUTCH_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
LINK_ALONE = re.compile(r"^\*\*(\[[^\]]+\]\([^)\s]+\))\*\*$")  # a bold link alone: a button, a plain link
ISO_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


@dataclass(frozen=True)
class Imported:
    """What a newsletter export converts to."""

    title: str
    date: dt.date | None
    edition: int | None
    summary: str
    markdown: str  # the body, headings from ##
    images: tuple[ImportedImage, ...] = ()
    warnings: tuple[str, ...] = ()  # what could not be kept, and what to do (Dutch)
    removed: tuple[str, ...] = ()  # what of the mail service was taken out (Dutch phrases, report.py)

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


def convert(html: str, local_images: frozenset[str] | set[str] = frozenset()) -> Imported:
    """Convert an e-mail's HTML. local_images: the relative paths (as in src) of images found beside it."""
    try:
        root = lxml.html.document_fromstring(html if (html or "").strip() else "<html></html>")
    except etree.ParserError:  # nothing lxml can read as a document: an empty newsletter, said so by the title
        root = lxml.html.document_fromstring("<html></html>")
    removals = Removals()
    mergetags.scrub_tree(root, removals.merge_tags)
    page_title = text_of(root.find(".//title")) if root.find(".//title") is not None else ""
    meta_date = _meta_date(root)
    ids = reader_ids([element.get("href") or element.get("src") or "" for element in root.iter("a", "img")])
    preheader, removals.pixels = strip(root, lambda text: kinds_of(text) - WEAK)

    body = root.find("body") if root.find("body") is not None else root
    drop_footer(body, removals.footer, removals.emails)
    removals.social = drop_social_links(body)
    headline = body.find(".//h1")
    logos = drop_masthead_logos(body, headline)
    title = clean_space(text_of(headline)) if headline is not None else ""
    if headline is not None:
        remove_keeping_tail(headline)
    title = title or clean_space(page_title) or "Nieuwsbrief"

    state = Collected(local_images=set(local_images), removed=removals, reader_ids=ids)
    state.warnings += [f"het logo '{logo}' bovenaan de mail is weggelaten: de site zet zijn eigen logo boven "
                       "elke pagina." for logo in logos]
    blocks = _without_reader(shift_headings(markdown_blocks(body, state)), removals)
    blocks = [LINK_ALONE.sub(r"\1", b) for b in blocks]
    body_text = " ".join(plain_text(b) for b in blocks)
    blocks = _drop_dateline(blocks)
    if blocks and headline is None and plain_text(blocks[0]).rstrip(".:") == title:
        blocks = blocks[1:]  # the title as a big bold first line
    markdown = "\n\n".join(blocks).strip() + "\n"
    summary = _without_addresses(_summary(preheader, blocks), removals.emails)
    edition = _edition(title) or _edition(page_title) or _edition(preheader) or _edition(body_text[:300])
    date = meta_date or date_in(title) or date_in(preheader) or date_in(body_text[:400])
    return Imported(title=_without_addresses(title, removals.emails), date=date, edition=edition, summary=summary,
                    markdown=markdown, images=tuple(state.images), warnings=tuple(state.warnings),
                    removed=removed_items(removals))


def _without_reader(blocks: list[str], removals: Removals) -> list[str]:
    """No trace of the reader the mail went to: a greeting left without its merge tag gets "lezer", and so
    does one with the reader's name; the reader's address (found in the links) goes wherever it is."""
    if removals.merge_tags:
        blocks = [mergetags.fix_greeting(b) for b in blocks]
    for index, block in enumerate(blocks[:3]):
        blocks[index], name = mergetags.filled_in_name(block, removals.emails)
        removals.merge_tags += [name] if name else []
    blocks = [_without_addresses(b, removals.emails) for b in blocks]
    return [b for b in blocks if b.strip()]


def _without_addresses(text: str, addresses: set[str]) -> str:
    """A reader's e-mail address (found in the links) taken out of the text, with a link to it."""
    for address in addresses:
        if address in text.lower():
            pattern = re.escape(address)
            text = re.sub(rf"\[[^\]]*{pattern}[^\]]*\]\([^)]*\)|<mailto:{pattern}>|(mailto:)?{pattern}", "", text,
                          flags=re.I)
            text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return text


def _drop_dateline(blocks: list[str]) -> list[str]:
    """A line near the top that only repeats the edition and date (they go into the front matter)."""
    kept = []
    for index, block in enumerate(blocks):
        rest = EDITION.sub("", DUTCH_DATE.sub("", plain_text(block)))
        rest = re.sub(r"(?i)\b(" + "|".join(WEEKDAYS) + r"|nieuwsbrief)\b|[\s·|,.:–-]", "", rest)
        if index < 3 and len(block) < 80 and not rest \
                and (EDITION.search(plain_text(block)) or DUTCH_DATE.search(plain_text(block))):
            continue
        kept.append(block)
    return kept


def _summary(preheader: str, blocks: list[str]) -> str:
    text = preheader
    if not text:
        for block in blocks:
            if not block.startswith(("#", "!", "|", "-", ">", "[Afbeelding")) and not re.match(r"\d+\. ", block):
                text = plain_text(block)
                if len(text) >= 20 and not (len(text) < 40 and text.endswith(",")):  # not 'Beste lezer,'
                    break
                text = ""
    if len(text) > SUMMARY_LENGTH:
        text = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _edition(text: str) -> int | None:
    match = EDITION.search(text or "")
    return int(match.group(1)) if match else None


def date_in(text: str) -> dt.date | None:
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
        found = date_in(value[:10])
        if found:
            return found
    return None
