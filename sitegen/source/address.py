"""One form of address on every page: the site speaks to a reader as "u" or as "je" (site.yaml: address_form).

A page that says "u" in one sentence and "je" in the next reads as careless, and older readers may feel
talked down to. `check` and the build warn (never fail) where a page uses the other form, with the line.
"""

from __future__ import annotations

import re

from ..core.errors import Location, Problem, WARNING, check_now
from ..core.model import SourcePage

FORMS = {
    "je": re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE),
    "u": re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE),
}
# Where a word of each form can begin: its first letter (in either case: no other character matches it,
# tests/test_address.py tries every one) at the start of a word. Searching these first lets the regex engine
# jump from letter to letter; FORMS is then tried at each such place alone (search() would try everywhere).
STARTS = {
    "je": re.compile(r"[jJ](?<!\w[jJ])"),
    "u": re.compile(r"[uU](?<!\w[uU])"),
}
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|`[^`\n]*`|\[[^\]\n]*\]\([^)\n]*\)")  # titles and names may keep their form


def address_hints(sources: list[SourcePage], form: str, check=check_now) -> list[Problem]:
    """A warning for the first line of each page that uses the form the site does not use.

    check(name, source, compute) runs page_hint on one page (the build's keeps each page's result)."""
    found = []
    for source in sources:
        found += check("address:" + form, source, lambda page: page_hint(page, form))
    return found


def page_hint(source: SourcePage, form: str) -> list[Problem]:
    """The warning for one page (none, or one: the editor fixes the whole page at once)."""
    other = "je" if form == "u" else "u"
    # Comments never reach the site (a new page's instructions to the editor are one); blanked, lines kept.
    body = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), str(source.body))
    lines = body.splitlines()
    for number, line in enumerate(lines):
        if STARTS[other].search(line) is None:
            continue  # none in the line as written, so none once quotes are taken out (see first_use)
        text = QUOTED.sub("", line)
        match = first_use(other, text)
        if match is None:
            continue
        word = match.group(0)
        uses_both = any(first_use(form, QUOTED.sub("", l)) for l in lines)
        mixed = f" en ook '{form}'" if uses_both else ""
        return [Problem(
            Location(source.source, source.body_line + number, match.start() + 1),
            f"deze pagina spreekt de lezer aan met '{word}'{mixed}, maar de site gebruikt '{form}' "
            f"(address_form in site.yaml). Schrijf overal '{form}', bijvoorbeeld "
            + ("'u kunt' in plaats van 'je kunt' en 'uw' in plaats van 'jouw'." if form == "u"
               else "'je kunt' in plaats van 'u kunt' en 'jouw' in plaats van 'uw'."),
            WARNING)]
    return []


def first_use(form: str, text: str) -> re.Match | None:
    """The first word of a form in a text: FORMS[form].search(text), tried only where such a word can begin.

    Taking the QUOTED parts out of a line never makes a new place where a word begins: the letter after a
    part taken out follows its last character (" ” ` or ), never part of a word) in the line as written.
    So a line without such a place as written needs no QUOTED.sub at all."""
    pattern = FORMS[form]
    for start in STARTS[form].finditer(text):
        match = pattern.match(text, start.start())
        if match is not None:
            return match
    return None
