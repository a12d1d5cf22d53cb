"""What the import took out of a newsletter, told in plain Dutch, so that an editor can check it.

`Removals` is filled while one export is converted (tidy, footer, links, merge tags); `removed_items` turns
it into the short phrases of the report's first line, and `report` into the lines the command prints:
what was removed and why, then what could not be kept and what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FOOTER_ORDER = ("afmeldlink", "voorkeuren", "waarom je deze mail krijgt", "copyright", "postadres", "adresboek",
                "doorsturen", "'verzonden met …'")
SHOWN_TAGS = 4


@dataclass
class Removals:
    """What one conversion removed (filled while converting; local to that conversion)."""

    merge_tags: list[str] = field(default_factory=list)
    footer: set[str] = field(default_factory=set)  # kinds of footer line (footer.KINDS labels)
    social: int = 0
    pixels: int = 0
    unwrapped: int = 0  # links through a counter, put back to the real address
    tracking: int = 0  # links that lost utm_* or a reader's id
    email_links: int = 0  # links that carried an e-mail address (taken out, or the link dropped)
    emails: set[str] = field(default_factory=set)  # the readers' addresses found in links


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def removed_items(removals: Removals) -> tuple[str, ...]:
    """The report's phrases, most personal first: "3 persoonlijke velden (*|FNAME|*)", "de afmeldvoettekst"."""
    items = []
    if removals.merge_tags:
        shown = list(dict.fromkeys(removals.merge_tags))
        names = ", ".join(shown[:SHOWN_TAGS]) + (", …" if len(shown) > SHOWN_TAGS else "")
        items.append(_count(len(removals.merge_tags), "persoonlijk veld", "persoonlijke velden") + f" ({names})")
    if "'bekijk in je browser'" in removals.footer:
        items.append("de regel 'bekijk in je browser'")
    footer = [kind for kind in FOOTER_ORDER if kind in removals.footer]
    if footer:
        items.append(f"de voettekst van het mailprogramma ({', '.join(footer)})")
    if removals.social:
        items.append(_count(removals.social, "knop", "knoppen") + " naar sociale media")
    if removals.pixels:
        items.append(_count(removals.pixels, "telpixel", "telpixels") + " (een onzichtbaar plaatje dat telt wie de "
                     "mail opent)")
    if removals.unwrapped:
        items.append(_count(removals.unwrapped, "volglink", "volglinks") + " (teruggezet naar het echte adres)")
    if removals.tracking:
        items.append("volgcodes (zoals utm_source) uit " + _count(removals.tracking, "link", "links"))
    if removals.email_links:
        items.append(_count(removals.email_links, "link die een e-mailadres bevatte",
                            "links die een e-mailadres bevatten"))
    return tuple(items)


def report(removed: tuple[str, ...], not_kept: tuple[str, ...], target: str) -> list[str]:
    """The lines the command prints after writing an entry."""
    lines = [f"Weggehaald: {', '.join(removed)}." if removed else "Weggehaald: niets van het mailprogramma."]
    if not_kept:
        lines.append("Niet meegenomen (zet het zelf terug als het nodig is):")
        lines += [f"- {item[0].upper()}{item[1:]}" for item in not_kept]
    lines.append(f"Lees {target} na voordat je het voorstelt: staat alles erin, en werken de links?")
    return lines
