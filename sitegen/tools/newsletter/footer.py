"""The mail service's part of a newsletter: the footer, the "view in browser" line and the social buttons.

A mailing tool adds the same lines to every mail: unsubscribe and preferences links, why the reader gets the
mail, copyright, the postal address, "Powered by …", "view in browser", "add us to your address book", a row
of social buttons. None of that belongs in the archive. A line that says one of those things takes its block
with it, and the block grows to the largest one around it that holds only such lines (a name, a phone
number or an address beside them included), so the whole footer goes in one piece while the newsletter's
own text, headings and photos stay. What went is recorded by kind, for the report.
"""

from __future__ import annotations

import re

from .links import emails_in
from .tidy import clean_space, remove_keeping_tail

SMALL_BLOCK = 240  # a block with a footer line is removed whole when its text is this short
FOOTER_BLOCK = 700  # a block made only of footer lines may be this long
BRANDS = r"mailchimp|mailerlite|brevo|sendinblue|laposta|activecampaign|mailjet|mailblue|campaign monitor|klaviyo"
KINDS = (  # (label in the report, what such a line says); "postadres" alone never removes anything
    ("'bekijk in je browser'",
     r"bekijk (deze |de )?(e-?mail |nieuwsbrief )?(online|in (je|uw|de) browser)|online bekijken|web ?versie"
     r"|(e-?mail|nieuwsbrief|bericht) (\w+ ){0,3}niet (goed )?(te )?(zien|lezen|leesbaar)|niet goed weergegeven"
     r"|view (this )?(e-?mail )?(in (your )?browser|online)|view as (a )?web ?page"),
    ("afmeldlink", r"uitschrijven|afmelden|schrijf (je|u) uit|meld (je|u) (hier )?af|unsubscribe|opt[- ]out"
                   r"|niet meer ontvangen"),
    ("voorkeuren", r"voorkeuren|gegevens (wijzigen|aanpassen|bijwerken|beheren)|(wijzig|beheer) (je|uw) (gegevens"
                   r"|inschrijving|profiel)|anders ontvangen|update (your )?(preferences|profile)|manage (your )?"
                   r"(preferences|subscription)"),
    ("waarom je deze mail krijgt",
     r"(je|u) (ontvangt|krijgt) (deze|dit) (e-?mail|bericht|nieuwsbrief)|(je|u) hebt deze (e-?mail|nieuwsbrief) "
     r"ontvangen|(deze|dit) (e-?mail|bericht|nieuwsbrief) (is |werd )?(verzonden|verstuurd|gestuurd) (aan|naar)"
     r"|you are receiving|you received this|this e-?mail was sent"),
    ("copyright", r"copyright|©|alle rechten voorbehouden|all rights reserved"),
    ("'verzonden met …'", rf"powered by|(verzonden|verstuurd|gemaakt|sent|made) (met|via|with)\s+({BRANDS})"
                          rf"|\b({BRANDS})\b"),
    ("adresboek", r"adresboek|address book"),
    ("doorsturen", r"stuur (deze |dit )?(e-?mail |bericht |nieuwsbrief )?door|forward to a friend"),
    ("postadres", r"(?i:ons (post)?adres is|our mailing address|postbus \d+)|\b[1-9]\d{3} ?[A-Z]{2}\b"),
)
PATTERNS = tuple((label, re.compile(pattern, re.I if label != "postadres" else 0)) for label, pattern in KINDS)
WEAK = {"postadres"}
FOOTER_HREF = (
    ("afmeldlink", re.compile(r"unsub|afmeld|uitschrijv|opt-?out|/u/", re.I)),
    ("voorkeuren", re.compile(r"profile|preferences|update|voorkeur|/m/", re.I)),
    ("'bekijk in je browser'", re.compile(r"archive|mirror|webversion|webcopy|view-in-browser|\{\$url\}|/w/", re.I)),
    ("adresboek", re.compile(r"vcard", re.I)),
    ("doorsturen", re.compile(r"forward", re.I)),
)
MERGE_TAG_HREF = re.compile(r"^\s*(\*\|.*\|\*|\{\{.*\}\}|\{\$.*\}|%[A-Z_-]+%|\[[A-Z_]+\])\s*$")
LINE_BLOCKS = {"p", "div", "td", "th", "tr", "table", "tbody", "li", "ul", "ol", "center", "h1", "h2", "h3", "h4",
               "h5", "h6", "blockquote", "section", "header", "footer", "address"}
CLIMB = {"p", "li", "td", "tr", "tbody", "table", "div", "center", "span", "footer", "address", "section", "font",
         "strong", "b", "em", "i", "small"}
SOCIAL_HOSTS = re.compile(r"^https?://(?:www\.|m\.)?(?:facebook|fb|instagram|twitter|x|linkedin|youtube|youtu|"
                          r"tiktok|pinterest|threads)\.(?:com|be|net)/", re.I)
SOCIAL_WORDS = re.compile(r"^(?:[\s|·•/,-]|facebook|instagram|twitter|x|linkedin|youtube|tiktok|pinterest|threads"
                          r"|volg (?:ons|de coalitie) op|volg ons)*$", re.I)


def kinds_of(text: str) -> set[str]:
    """The kinds of footer line a text holds."""
    return {label for label, pattern in PATTERNS if pattern.search(text or "")}


def drop_footer(root, kinds: set[str], emails: set[str]) -> None:
    """Remove the footer lines and their blocks; kinds gets what went, emails the addresses their links held."""
    for anchor in list(root.iter("a")):
        if not _attached(anchor, root):
            continue
        href = anchor.get("href") or ""
        found = kinds_of(" ".join(_lines(anchor))) | _href_kinds(href)
        if found - WEAK:
            _remove_block_of(anchor, kinds, emails)
    for element in list(root.iter("p", "td", "div", "span", "li", "center", "font")):
        if not _attached(element, root) or element.find(".//table") is not None:
            continue
        text = clean_space(" ".join(_lines(element)))
        if text and len(text) <= SMALL_BLOCK and kinds_of(text) - WEAK:
            _remove_block_of(element, kinds, emails)


def drop_social_links(root) -> int:
    """The row of 'Facebook | Instagram' buttons in a mail's footer: links to the networks and nothing else."""
    count = 0
    for element in list(root.iter("p", "td", "div", "li")):
        if element.getparent() is None or element.find(".//table") is not None:
            continue
        links = list(element.iter("a"))
        if links and all(SOCIAL_HOSTS.match(a.get("href") or "") for a in links) \
                and SOCIAL_WORDS.match(clean_space(element.text_content())):
            count += len(links)
            remove_keeping_tail(element)
    return count


def _attached(element, root) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors()) or element is root


def _href_kinds(href: str) -> set[str]:
    if not MERGE_TAG_HREF.match(href) and not re.search(r"unsub|afmeld|uitschrijv|opt-?out|vcard"
                                                         r"|laposta\.nl/[umw]/", href, re.I):
        return set()
    return {label for label, pattern in FOOTER_HREF if pattern.search(href)} or {"afmeldlink"}


def _lines(element) -> list[str]:
    """The element's text as lines: a new line at every <br> and block; an image counts by its alt text."""
    lines: list[str] = [""]

    def walk(node) -> None:
        if not isinstance(node.tag, str):
            return
        breaks = node.tag == "br" or node.tag in LINE_BLOCKS
        if breaks:
            lines.append("")
        if node.tag == "img":
            lines[-1] += " " + (node.get("alt") or "")
        lines[-1] += node.text or ""
        for child in node:
            walk(child)
            lines[-1] += child.tail or ""
        if breaks:
            lines.append("")

    walk(element)
    return [line for line in (clean_space(line) for line in lines) if line]


def _only_footer(element) -> bool:
    """Whether a block holds only footer lines: no heading, no photo, every line short or a footer line."""
    if element.find(".//h1") is not None or element.find(".//h2") is not None or element.find(".//h3") is not None:
        return False
    for img in element.iter("img"):
        width = re.match(r"\d+", img.get("width") or "")
        if width is None or int(width.group()) > 200:
            return False
    lines = _lines(element)
    if sum(len(line) for line in lines) > FOOTER_BLOCK:
        return False
    return all(kinds_of(line) or len(line) <= 60 and not re.search(r"[.!?]$", line) or SOCIAL_WORDS.match(line)
               for line in lines)


def _remove_block_of(element, kinds: set[str], emails: set[str]) -> None:
    """Remove the largest enclosing block that holds only footer lines; at least the element itself."""
    current = element
    while current.getparent() is not None and current.getparent().tag in CLIMB and _only_footer(current.getparent()):
        current = current.getparent()
    for line in _lines(current):
        kinds |= kinds_of(line)
        if re.search(r"(verzonden|verstuurd|gestuurd|sent) (aan|naar|to)\b", line, re.I):  # the reader's address
            emails |= {address.lower() for address in emails_in(line)}
    for anchor in current.iter("a"):
        kinds |= _href_kinds(anchor.get("href") or "")
        emails |= {address.lower() for address in emails_in(anchor.get("href") or "")}
    remove_keeping_tail(current)
