"""Merge tags: the fields a mailing tool fills in per reader ("Beste *|FNAME|*,"), taken out of an export.

Every tool writes them its own way: Mailchimp `*|FNAME|*` (and `*|IF:...|*` blocks), Brevo and Liquid
`{{ contact.FIRSTNAME | default: "lezer" }}` and `{% if %}`, MailerLite `{$name}`, ActiveCampaign
`%FIRSTNAME%`, others `%%firstname%%`, `[voornaam]`, `[[firstname]]`, `{Voornaam}`, and Word's mail merge
`«Voornaam»`. In an archive on a public site none of them means anything, so each is removed: a conditional
keeps the text for a reader without the field (its else branch), a tag with a default becomes the default,
and a greeting left without its name ("Beste ,") gets "lezer". The tags found are returned for the report.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

FIELD_NAMES = (r"voornaam|achternaam|tussenvoegsel|naam|volledige[ _]naam|aanhef|e-?mail(?:adres)?|bedrijf|organisatie"
               r"|woonplaats|plaats|firstname|first[ _]name|lastname|last[ _]name|name|fullname|full[ _]name|fname"
               r"|lname|company|city|unsubscribe|afmelden|uitschrijven")
MERGE_TAG = re.compile(
    r"\*\|[^|*\s][^|]{0,80}?\|\*"  # Mailchimp
    r"|\{\{[^{}\n]{1,100}\}\}|\{%[^{}\n]{1,100}%\}"  # Brevo, Liquid, Handlebars, Laposta
    r"|\{\$[\w.]+(?:\|[^{}\n]{0,60})?\}"  # MailerLite
    r"|\{\|[\w.]+\|\}|\{contactfield=[^{}\n]{1,60}\}"
    r"|%%\s*\w[\w .:=-]{0,59}%%"
    r"|%[A-Z][A-Z0-9_-]{2,40}%"  # ActiveCampaign
    r"|\[\[[^\[\]\n]{1,60}\]\]"
    rf"|\[(?:{FIELD_NAMES})\]|\[[A-Z][A-Z0-9]*_[A-Z0-9_]+\]"
    rf"|\{{(?:{FIELD_NAMES})(?:\s*[,|][^{{}}\n]{{0,60}})?\}}"
    r"|«[A-Za-z_][\w-]{0,39}»",
    re.I)
DEFAULT = re.compile(r"""(?:default\s*:?\s*\(?|fallback\s*:\s*)\s*["']([^"']*)["']""", re.I)
CONDITIONAL = re.compile(
    r"\*\|IF:[^|]*\|\*(?P<a>.*?)(?:\*\|ELSE:\|\*(?P<b>.*?))?\*\|END:IF\|\*"
    r"|\{%-?\s*if\b[^%]*%\}(?P<c>.*?)(?:\{%-?\s*else\s*-?%\}(?P<d>.*?))?\{%-?\s*endif\s*-?%\}",
    re.I | re.S)
GREETING = re.compile(r"\b(beste|hallo|hoi|dag|lieve|geachte|hi|hey|dear)((?:\s*\x01)+)\s*(?=[,!:]|$)", re.I)
MARK = "\x01"


def find(text: str) -> list[str]:
    """The merge tags in a text, also when URL-encoded (as in a link)."""
    text = text or ""
    found = MERGE_TAG.findall(text)
    decoded = unquote(unquote(text))
    return found + [tag for tag in MERGE_TAG.findall(decoded) if tag not in found and tag not in text]


def scrub(text: str, found: list[str]) -> str:
    """The text without merge tags; the tags removed are added to found."""
    if not text or not (MERGE_TAG.search(text) or CONDITIONAL.search(text)):
        return text

    def branch(match: re.Match) -> str:
        found.append(match.group(0).split("|*")[0] + "|*" if match.group(0).startswith("*|")
                     else match.group(0).split("%}")[0] + "%}")
        other = match.group("b") if match.group("a") is not None else match.group("d")
        return MARK + (other or "")

    text = CONDITIONAL.sub(branch, text)

    def replace(match: re.Match) -> str:
        tag = match.group(0)
        found.append(tag)
        default = DEFAULT.search(tag)
        return default.group(1) if default else MARK

    text = MERGE_TAG.sub(replace, text)
    text = GREETING.sub(lambda m: f"{m.group(1)} lezer", text)
    return _tidy_marks(text)


def _tidy_marks(text: str) -> str:
    """Close the gaps the removed tags left: no space before a comma, no ', ,' and no opening comma."""
    if MARK not in text:
        return text
    starts = text.lstrip().startswith(MARK)
    text = re.sub(r"[ \t]*\x01(?:[ \t]*\x01)*[ \t]*(?=[,.!?;:])", "", text)  # "Dank je, *|FNAME|*, ..."
    text = re.sub(r",(\s*),", r",\1", text)
    text = re.sub(r",\s*([.!?])", r"\1", text)
    text = re.sub(r"\x01(?:[ \t]*\x01)*", "", text)
    if starts:  # "*|FNAME|*, kerst ..." -> "Kerst ..."
        text = re.sub(r"^(\s*)[,;:]?\s*(\w)", lambda m: m.group(1) + m.group(2).upper(), text, count=1)
    return re.sub(r"(\S)[ \t]{2,}(?=\S)", r"\1 ", text)


def fix_greeting(line: str) -> str:
    """A greeting whose name was a merge tag in another element: "Beste ," -> "Beste lezer,"."""
    return re.sub(r"^(beste|hallo|hoi|dag|lieve|geachte)\s*(?=,)", lambda m: m.group(1) + " lezer", line,
                  flags=re.I)


def filled_in_name(line: str, addresses: set[str]) -> tuple[str, str]:
    """A greeting with the name of the reader it was sent to, in a mail saved from someone's inbox ("Beste
    Jan," in a mail to jan@example.nl): the name becomes "lezer". Returns the line and the name taken out."""
    match = re.match(r"^(beste|hallo|hoi|dag|lieve|geachte)\s+([A-Z][\w-]+(?: [A-Z][\w-]+)?)(?=\s*[,!])", line,
                     re.I)
    if not match:
        return line, ""
    names = {part for address in addresses for part in re.split(r"[._+-]", address.split("@")[0]) if len(part) > 1}
    if not any(word.lower() in names for word in match.group(2).split()):
        return line, ""
    return f"{match.group(1)} lezer{line[match.end():]}", match.group(2)


def scrub_tree(root, found: list[str]) -> None:
    """Remove merge tags from every text, tail and attribute except links (links.py reads those)."""
    for element in root.iter():
        if element.tail:
            element.tail = scrub(element.tail, found)
        if not isinstance(element.tag, str):  # a comment: a conditional for Outlook, not text
            continue
        if element.text:
            element.text = scrub(element.text, found if element.tag not in ("style", "script") else [])
        for name, value in element.attrib.items():
            if name != "href" and MERGE_TAG.search(value):
                element.set(name, scrub(value, []))
