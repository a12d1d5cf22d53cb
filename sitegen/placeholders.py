"""The sentences `build.py new` writes for an editor to replace: one list, read by the scaffold that writes
them and by the build that refuses to publish a page still holding one."""

from __future__ import annotations

# The start of the body of a new file, by the schema (Schema.what) of its front matter.
INTROS = {
    "de kop van de pagina": "Schrijf hier de tekst van de pagina.",
    "de kop van het nieuwsbericht": "Schrijf hier het nieuws. Begin met het belangrijkste.",
    "de kop van de nieuwsbrief": "Schrijf hier de nieuwsbrief. Begin met een korte inleiding.",
}


def placeholders_in(body: str) -> list[tuple[int, int, str]]:
    """(0-based line, 1-based column, sentence) of every placeholder sentence left in a markdown body."""
    found = []
    for number, line in enumerate(body.split("\n")):
        for sentence in INTROS.values():
            column = line.find(sentence)
            if column >= 0:
                found.append((number, column + 1, sentence))
    return found
