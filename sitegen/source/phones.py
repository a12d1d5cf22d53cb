"""Dutch phone numbers in any text become tap-to-call links: the one place that knows what a number looks like.

A resident on a phone should be able to tap every number the site shows, also one an editor typed in a
sentence ("Bel uiterlijk maandag naar 088-1651200"). Markdown bodies pass through `link_phones_html` when
they are converted; plain fields (a transport note, a sign-up note) through the `phones` template filter.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

# 0 or +31, then digits in groups split by single spaces or dashes: 088-1651200, 088 0767 000, 0800-0113,
# (0593) 123456 is left alone on purpose (rare, and the parentheses make the match ambiguous).
NUMBER = re.compile(r"(?<![\w+/.,:-])(?:\+31[ -]?|0)\d{1,4}(?:[ -]?\d{2,4}){1,3}(?![\w-]|[.,]\d)")
SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")  # free and paid service numbers may be 8 digits
TAG = re.compile(r"(<[^>]*>)")


def tel_uri(number: str) -> str | None:
    """'088-1651200' -> 'tel:0881651200'; None when it is not a whole Dutch phone number."""
    digits = "".join(c for c in number if c.isdigit())
    if number.startswith("+31"):
        national = "0" + digits[2:]
    else:
        national = digits
    if len(national) == 10 or (national.startswith(SERVICE_PREFIXES) and len(national) in (8, 11)):
        return "tel:" + ("+" + digits if number.startswith("+") else digits)
    return None


def _link(match: re.Match) -> str:
    number = match.group(0)
    uri = tel_uri(number)
    if uri is None:
        return number
    return f'<a class="phone" href="{uri}">{number}</a>'


def link_phones(text: str) -> Markup:
    """Plain text, escaped, with every phone number as a tel: link (for template fields)."""
    return Markup(NUMBER.sub(_link, escape(str(text), quote=False)))


def link_phones_html(html: str) -> str:
    """Sanitised HTML with the numbers in its text (not inside a link, tag or code) as tel: links."""
    if not NUMBER.search(html):
        return html
    parts = TAG.split(html)
    inside = 0  # depth of <a>, <code> and <pre>, where a number stays as it is
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in ("a", "code", "pre"):
                inside += -1 if part.startswith("</") else (0 if part.endswith("/>") else 1)
        elif not inside and part:
            parts[i] = NUMBER.sub(_link, part)
    return "".join(parts)


def phone_numbers(text: str) -> list[str]:
    """The whole Dutch phone numbers in a field, as typed: '0592-123456 of 06-12345678' -> both numbers."""
    return [match.group(0) for match in NUMBER.finditer(text) if tel_uri(match.group(0))]


def phone_link(number: str) -> Markup:
    """A field that holds just a number (a helpline, a contact): always a tel: link, also for '113'.
    Two numbers typed in one field ('0592-123456 of 06-12345678') become two links, with the words between."""
    if len(phone_numbers(number)) > 1:
        return link_phones(number)
    uri = tel_uri(number) or "tel:" + "".join(c for c in number if c.isdigit() or c == "+")
    return Markup(f'<a class="phone" href="{escape(uri)}">{escape(number, quote=False)}</a>')
