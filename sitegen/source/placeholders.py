"""Text a generator command leaves for an editor to replace, in one place for the command that writes it and
the build that finds it.

Two kinds, with different weight:
- `build.py new` starts a body (or an activity's description) with a sentence from INTROS; the build refuses
  to publish a page that still holds one (an error), because such a page was clearly never finished.
- `build.py init` writes `[INVULLEN: wat hier hoort]` where a new coalition fills in its own facts; the site
  builds with them and `check` lists each as a warning with its line, so the coalition sees what is left.
The publish check (`check --publish`, sitegen/tools/publish.py) refuses both, and example activities, with
the messages below: what may be previewed may not go live.
Pure functions.
"""

from __future__ import annotations

import re

from ..core.errors import Location, Problem, Problems

# The start of the body of a new file, by the schema (Schema.what) of its front matter.
INTROS = {
    "de kop van de pagina": "Schrijf hier de tekst van de pagina.",
    "de kop van het nieuwsbericht": "Schrijf hier het nieuws. Begin met het belangrijkste.",
    "de kop van de nieuwsbrief": "Schrijf hier de nieuwsbrief. Begin met een korte inleiding.",
    "een activiteit": "Schrijf hier wat er te doen is en voor wie het is.",
}
NOT_LIVE = "Zo gaat de site niet online."

MARK = "INVULLEN"
PATTERN = re.compile(r"\[" + MARK + r":?\s*([^\]\n]*)\]")


def placeholders_in(body: str) -> list[tuple[int, int, str]]:
    """(0-based line, 1-based column, sentence) of every INTROS sentence left in a markdown body."""
    found: list[tuple[int, int, str]] = []
    if not any(sentence in body for sentence in INTROS.values()):
        return found  # the usual case, found with one test of the whole text per sentence
    for number, line in enumerate(body.split("\n")):
        for sentence in INTROS.values():
            column = line.find(sentence)
            if column >= 0:
                found.append((number, column + 1, sentence))
    return found


def placeholder(what: str) -> str:
    """The text init writes where an editor must still fill something in."""
    return f"[{MARK}: {what}]"


def find(text: str) -> tuple[tuple[int, int, str], ...]:
    """(line, column, what) of every [INVULLEN] mark in a file's text, both 1-based."""
    if MARK not in text:
        return ()
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in PATTERN.finditer(line):
            found.append((number, match.start() + 1, match.group(1).strip()))
    return tuple(found)


def report(name: str, found: tuple[tuple[int, int, str], ...], problems: Problems) -> None:
    for line, column, what in found:
        problems.warn(Location(name, line, column),
                      f"hier moet nog iets ingevuld worden: {what or 'de echte tekst'}. Vervang "
                      f"'[{MARK}: ...]' door de echte tekst.")


def unpublishable_marks(name: str, found: tuple[tuple[int, int, str], ...]) -> list[Problem]:
    """Each [INVULLEN] mark (find()) as an error of the publish check."""
    return [Problem(Location(name, line, column),
                    f"hier staat nog '[{MARK}: {what or '...'}]'. {NOT_LIVE} Vul op deze plaats de echte tekst in "
                    f"(zonder de haken en het woord {MARK}).")
            for line, column, what in found]


def unpublishable_sentence(location: Location, sentence: str, where: str) -> Problem:
    """A sentence from INTROS left in a page (where="page") or an activity's description, for the publish check."""
    fix = ("of zet 'draft: true' in de kop zolang de pagina niet af is" if where == "page" else
           "of haal de activiteit weg zolang hij niet af is")
    return Problem(location, f"hier staat nog de voorbeeldzin '{sentence}' die 'build.py new' neerzette. "
                             f"{NOT_LIVE} Vervang hem door je eigen tekst, {fix}.")


def unpublishable_example(location: Location, title: str) -> Problem:
    """An activity marked `example: true`, for the publish check."""
    return Problem(location, f"'{title}' is een voorbeeldactiviteit (example: true). {NOT_LIVE} Maak er een echte "
                             "activiteit van en haal de regel 'example: true' weg, of haal de activiteit weg.")
