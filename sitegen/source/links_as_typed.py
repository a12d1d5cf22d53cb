"""Links, e-mail addresses and file names as people copy them from a mail, a browser or Windows Explorer.

An editor pastes `www.gemeente.nl` without https://, `<https://...>` with the brackets of a mail, an address
with the full stop of its sentence, `mailto:` twice or not at all, `https//` or `http:/`, curly quotes from
Word, a path on their own computer (`C:\\Users\\...\\foto.jpg`), or a file name as Windows shows it
(`Foto 1.JPG` for the `foto-1.jpg` beside the page). Each is found here with the exact thing to write
instead, so every check (markdown links, images, web addresses and e-mail fields in YAML) says the same.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from ..core.suggest import closest
from ..core.urls import is_external
from .trackers import TRACKER_LINK

QUOTES = "\"'“”„‟‘’‚‛«»‹›`"
EMAIL = re.compile(r"^[^@\s/:<>]+@[^@\s/:<>]+\.[a-z]{2,}$", re.I)
_NAMED_ADDRESS = re.compile(r"^[^<>]*<([^<>]+)>$")  # Anna de Vries <anna@voorbeeld.nl>
_SCHEME_SLIP = re.compile(r"^(https?)(?::?/{1,2}|:/{3,}|;//|//:)(?=[^/])", re.I)
_TRAILING = ".,;:!?"


def _unwrapped(address: str) -> tuple[str, str | None]:
    """The address without the quotes, brackets or name a mail or Word put around it."""
    named = _NAMED_ADDRESS.match(address)
    if named and not address.startswith("<"):
        return named.group(1).strip(), "er staat een naam voor het adres"
    inner = address.strip(QUOTES + "<>")
    if inner != address:
        return inner, "er staan aanhalingstekens of punthaken omheen"
    return address, None


def _scheme_fixed(address: str, kind: str) -> tuple[str, str | None]:
    """https// -> https://, http:/x -> http://x, www.x -> https://www.x, a bare e-mail -> mailto: (a link)."""
    slip = _SCHEME_SLIP.match(address)
    if slip and address[len(slip.group(1)):slip.end()] != "://":
        scheme = slip.group(1).lower()
        return scheme + "://" + address[slip.end():], f"na {scheme} hoort een dubbele punt en twee schuine strepen (://)"
    if address.lower().startswith("www."):
        return "https://" + address, "https:// ontbreekt aan het begin"
    if kind == "link" and EMAIL.match(address):
        return "mailto:" + address, "voor een e-mailadres hoort mailto:"
    return address, None


def _mailto_fixed(address: str, kind: str) -> tuple[str, str | None]:
    """mailto: twice (or, in an e-mail field, at all)."""
    bare = re.sub(r"^(?:mailto:\s*)+", "", address, flags=re.I)
    if bare == address:
        return address, None
    if kind == "email":
        return bare, "mailto: hoort er niet voor"
    if address.lower().count("mailto:") > 1:
        return "mailto:" + bare, "mailto: staat er twee keer"
    return "mailto:" + bare, ("er staat een spatie in" if bare != address[7:] else None)


def _end_fixed(address: str) -> tuple[str, str | None]:
    """The full stop, comma or closing bracket of the sentence the address was copied from."""
    end = address.rstrip(_TRAILING)
    while end.endswith(")") and end.count("(") < end.count(")"):
        end = end[:-1].rstrip(_TRAILING)
    return end, ("er staat een leesteken of haakje aan het eind" if end != address else None)


def as_meant(address: str, kind: str = "link") -> tuple[str, str] | None:
    """(the address meant, what was wrong, in Dutch) for an address as people copy it; None when there is
    nothing to mend. kind: 'link' (markdown), 'web' (a web address field) or 'email' (an e-mail field)."""
    reasons = []
    value = address.strip()
    for step in (_unwrapped, lambda v: _mailto_fixed(v, kind), lambda v: _scheme_fixed(v, kind), _end_fixed):
        value, why = step(value)
        if why:
            reasons.append(why)
    if re.search(r"\s", value):
        value = re.sub(r"\s+", "", value)
        reasons.append("er staat een spatie in")
    if value == address or not reasons:
        return None
    return value, " en ".join(dict.fromkeys(reasons))


def local_path_name(target: str) -> str | None:
    """The file name in a path on the editor's own computer (C:\\Users\\...\\foto.jpg, file:///...)."""
    if re.match(r"^(?:[a-z]:[\\/]|file:|\\\\)", target, re.I):
        return re.split(r"[\\/]", unquote(target))[-1] or None
    return None


def _plain(name: str) -> str:
    """A file name as it would be compared: 'Foto%201.JPEG' and 'foto-1.jpg' are alike."""
    stem, dot, suffix = unquote(name).lower().rpartition(".")
    suffix = {"jpeg": "jpg", "tiff": "tif"}.get(suffix, suffix)
    return re.sub(r"[\s_-]+", "-", stem if dot else suffix) + (("." + suffix) if dot else "")


def file_meant(written: str, names: list[str]) -> str | None:
    """The file beside the page an editor meant by a name that is not there (Windows' capitals, spaces,
    %20, .jpeg for .jpg, a small typo), or None."""
    name = local_path_name(written) or written
    if name in names:
        return name
    alike = [n for n in names if _plain(n) == _plain(name)]
    if alike:
        return alike[0]
    by_plain = {_plain(n): n for n in names}
    near = closest(_plain(name), by_plain)
    return by_plain[near] if near else None


def markdown_problems(body: str) -> list[tuple[int, int, str]]:
    """(0-based line, 1-based column, message) of every link in a markdown text that does not work as
    typed although it looks like one: a space between ] and (, an address that leaves the site with a
    slip in it, <www...>, a path on the editor's own computer. Links to the site itself are checked when
    they are resolved (see missing_target)."""
    found: list[tuple[int, int, str]] = []
    if "<" not in body and ("]" not in body or "(" not in body):
        return found  # every pattern below needs a < or a ] and a ( (blanking code only removes them)
    fenced = False
    for number, line in enumerate(body.split("\n")):
        if ("```" in line or "~~~" in line) and _FENCE.match(line):
            fenced = not fenced
        if fenced or line.startswith(("    ", "\t")) or ("<" not in line and ("]" not in line or "(" not in line)):
            continue
        if "`" in line:
            line = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
        found += [(number, column, message) for column, message in _line_problems(line)]
    return found


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"`[^`]*`")


# Each starts at its [ (a literal first character lets the regex engine jump from [ to [ instead of trying
# every position, as a leading (!?) made it); a ! just before the [ makes it an image.
_SPACED_LINK = re.compile(r"\[([^\]\n]+)\][ \t]+\(((?:https?:|mailto:|www\.)[^()\s]*)\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
_ANGLED = re.compile(r"<((?:www\.|https?:|mailto:)[^<>\n]*)>")


def _line_problems(line: str) -> list[tuple[int, str]]:
    found = []
    for match in _SPACED_LINK.finditer(line):
        bang = "!" if line[match.start() - 1:match.start()] == "!" else ""
        found.append((match.start() + 1 - len(bang), f"tussen ] en ( staat een spatie, daardoor wordt dit geen "
                      f"link. Schrijf {bang}[{match.group(1)}]({match.group(2)}), zonder spatie."))
    for match in _LINK.finditer(line):
        target = re.sub(r"""\s+(?:"[^"]*"|'[^']*')$""", "", match.group(2).strip())  # a link's title
        message = _target_problem(target, line[match.start() - 1:match.start()] == "!")
        if message:
            found.append((match.start(2) + 1, message))
    for match in _ANGLED.finditer(line):
        meant = as_meant(match.group(1))
        if meant:
            found.append((match.start() + 1, f"het adres '<{match.group(1)}>' werkt niet: {meant[1]}. "
                          f"Schrijf <{meant[0]}>."))
    return found


def _target_problem(target: str, image: bool) -> str | None:
    """What is wrong with a link or image target that leaves the site (has a scheme), or None."""
    name = local_path_name(target)
    if name:
        what = "de afbeelding" if image else "de link"
        return (f"{what} '{target}' wijst naar een map op je eigen computer; die kan niemand anders openen. "
                f"Zet het bestand naast de pagina en schrijf alleen de naam: {name}.")
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]  # <https://...> is how markdown writes an address with spaces or brackets
    if not is_external(target):
        return None
    meant = as_meant(target)
    if meant is None:
        return None
    return f"de link '{target}' werkt niet: {meant[1]}. Zet tussen de haakjes: {meant[0]}"


def missing_target(target: str, names_beside: list[str]) -> str | None:
    """The message for a link or image to a file of the site that is not there, when it was typed as
    people copy it: a web or e-mail address without its beginning, or a file name as Windows writes it."""
    meant = as_meant(target)
    if meant and (is_external(meant[0]) or meant[0].startswith("mailto:")):
        return f"de link '{target}' werkt niet: {meant[1]}. Zet tussen de haakjes: {meant[0]}"
    name = file_meant(target, names_beside)
    if name and name != target:
        return (f"het bestand '{target}' is niet gevonden. Naast de pagina staat wel '{name}': schrijf de naam "
                f"precies zo, met dezelfde hoofdletters, streepjes en extensie: {name}.")
    return None


WEB_ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def web_address_problem(value: str) -> str | None:
    """Why a web address field does not hold a working address, with what to write instead."""
    meant = as_meant(value, "web")
    if meant and WEB_ADDRESS.match(meant[0]):
        return f"'{value}' is geen werkend webadres: {meant[1]}. Schrijf {meant[0]}"
    if not WEB_ADDRESS.match(value):
        return f"'{value}' is geen webadres. Begin met https://, zoals https://www.voorbeeld.nl/."
    if TRACKER_LINK.match(value):
        return (f"dit adres gaat via een klikteller van een mailprogramma ({value.split('/')[2]}): wie erop "
                "klikt, wordt gevolgd, en zo'n link werkt vaak na een tijd niet meer. Vervang het door het echte "
                "adres (open de link en kopieer het adres waar je uitkomt).")
    return None


def email_problem(value: str) -> str | None:
    """Why an e-mail field does not hold one working address, with what to write instead."""
    meant = as_meant(value, "email")
    if meant and EMAIL.match(meant[0]):
        return f"'{value}' is geen werkend e-mailadres: {meant[1]}. Schrijf alleen het adres: {meant[0]}"
    if not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", value, re.I):
        return f"'{value}' is geen e-mailadres. Schrijf het als naam@voorbeeld.nl."
    return None
