"""Strip an e-mail's HTML of everything that is not the newsletter itself, before it becomes markdown.

Mailing tools wrap the text in scripts, hidden preheaders, tracking pixels, "view in browser" and unsubscribe
lines and rows of social buttons; each has its own pattern and remover here, so that the converter only
sees content. Elements are removed with their tail text kept, as that text belongs to the parent.
"""

from __future__ import annotations

import re

from lxml import etree

SMALL_BLOCK = 240  # boilerplate is removed with its enclosing block only when that block is this short

DROP_TAGS = {"script", "style", "head", "title", "meta", "link", "noscript", "iframe", "object", "embed",
             "form", "input", "button", "select", "textarea", "svg", "map", "area", "base", "audio", "video",
             "canvas", "template"}
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
SOCIAL_HOSTS = re.compile(r"^https?://(?:www\.|m\.)?(?:facebook|fb|instagram|twitter|x|linkedin|youtube|youtu|"
                          r"tiktok|pinterest|threads)\.(?:com|be|net)/", re.I)
SOCIAL_WORDS = re.compile(r"^(?:[\s|·•/,-]|facebook|instagram|twitter|x|linkedin|youtube|tiktok|pinterest|threads"
                          r"|volg (?:ons|de coalitie) op|volg ons)*$", re.I)


def strip(root) -> str:
    """Remove what is not content from the document, in place; returns the hidden preheader (or "")."""
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        remove_keeping_tail(element)
    _drop_unwanted(root)
    preheader = _take_preheader(root)
    _drop_hidden(root)
    _drop_pixels(root)
    _drop_boilerplate(root)
    _drop_social_links(root)
    return preheader


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


def _is_hidden(element) -> bool:
    style = element.get("style") or ""
    return bool(HIDDEN_STYLE.search(style)) or element.get("hidden") is not None or \
        "preheader" in (element.get("class") or "").lower() or "previewtext" in (element.get("class") or "").lower()


def _take_preheader(root) -> str:
    """The hidden preview line many mailing tools put first: a natural summary."""
    for element in root.iter():
        if isinstance(element.tag, str) and _is_hidden(element):
            text = clean_space(text_of(element))
            if len(text) >= 20 and not BOILERPLATE.search(text) and not MERGE_TAG.search(text):
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


def _drop_pixels(root) -> None:
    for img in list(root.iter("img")):
        width, height = pixel_size(img, "width"), pixel_size(img, "height")
        tiny = (width is not None and width <= 2) or (height is not None and height <= 2)
        if tiny or PIXEL_SRC.search(img.get("src") or ""):
            remove_keeping_tail(img)


def drop_masthead_logos(body, headline) -> None:
    """The sender's logo above the title is letterhead, not content."""
    for element in list(body.iter()):
        if element is headline:
            break
        if element.tag == "img" and re.search(r"logo", (element.get("alt") or "") + (element.get("src") or ""), re.I):
            remove_keeping_tail(element)


def _drop_boilerplate(root) -> None:
    """'View in browser', unsubscribe, preferences, 'you receive this because', copyright lines."""
    for element in list(root.iter("a")):
        if element.getparent() is None:
            continue
        href = element.get("href") or ""
        if BOILERPLATE.search(text_of(element)) or BOILERPLATE_HREF.search(href):
            _remove_block_of(element)
    for element in list(root.iter("p", "td", "div", "span", "li")):
        if element.getparent() is None or element.find(".//table") is not None:
            continue
        text = clean_space(text_of(element))
        if text and len(text) <= SMALL_BLOCK and (BOILERPLATE.search(text) or MERGE_TAG.fullmatch(text)):
            remove_keeping_tail(element)


def _drop_social_links(root) -> None:
    """The row of 'Facebook | Instagram' buttons in a mail's footer: links to the networks and nothing else."""
    for element in list(root.iter("p", "td", "div", "li")):
        if element.getparent() is None or element.find(".//table") is not None:
            continue
        links = list(element.iter("a"))
        if links and all(SOCIAL_HOSTS.match(a.get("href") or "") for a in links) \
                and SOCIAL_WORDS.match(clean_space(text_of(element))):
            remove_keeping_tail(element)


def _remove_block_of(element) -> None:
    """Remove the smallest enclosing block that is only boilerplate; else just the element."""
    current = element
    while current.getparent() is not None:
        parent = current.getparent()
        if parent.tag in ("p", "li", "td", "div", "center", "span") \
                and len(clean_space(text_of(parent))) <= SMALL_BLOCK and parent.find(".//table") is None \
                and parent.find(".//img") is None:
            current = parent
            if parent.tag in ("p", "li"):
                break
            continue
        break
    remove_keeping_tail(current)
