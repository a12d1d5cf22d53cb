"""Places a starting site (`build.py init`) leaves for its editors to fill in: `[INVULLEN: wat hier hoort]`.

The site builds with them (they show on the page as they are), and `check` lists each as a warning with
its line, so a coalition sees what is still to be done before it publishes. Pure functions.
"""

from __future__ import annotations

import re

from .errors import Location, Problems

MARK = "INVULLEN"
PATTERN = re.compile(r"\[" + MARK + r":?\s*([^\]\n]*)\]")


def placeholder(what: str) -> str:
    """The text init writes where an editor must still fill something in."""
    return f"[{MARK}: {what}]"


def find(text: str) -> tuple[tuple[int, int, str], ...]:
    """(line, column, what) of every placeholder in a file's text, both 1-based."""
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
