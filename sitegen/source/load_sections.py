"""site.yaml's `sections:`: a site's own dated sections (core/sections.py), checked where they are written.

The schema (schemas.SECTION) checks each key; here the checks across keys and entries: a folder named
twice, a number out of range. Every problem names its line in site.yaml, in Dutch."""

from __future__ import annotations

from ..core.errors import Problems
from ..core.sections import SECTIONS, DatedSection, section_of
from ..core.urls import SLUG_RE

TAKEN_KINDS = ("pagina", "activiteit") + tuple(s.new_kind for s in SECTIONS)  # `build.py new` kinds
MAX_HOME = 20  # the home page shows at most this many posts of one section
MAX_PER_PAGE = 100


def sections_from(records: tuple, problems: Problems) -> tuple[DatedSection, ...]:
    """The checked `sections:` entries as DatedSections (an entry with a problem is reported and left out)."""
    found: list[DatedSection] = []
    for record in records:
        section = _section(record, problems)
        if section is None:
            continue
        if section_of(tuple(found), section.folder) is not None:
            problems.error(record.at("folder"), f"de rubriek '{section.folder}' staat twee keer onder sections. "
                           "Haal er een weg, of geef hem een andere map.")
            continue
        found.append(section)
    return tuple(found)


def _section(record, problems: Problems) -> DatedSection | None:
    v = record.values
    home, per_page = v.get("home", 0), v.get("per_page", 10)
    if not 0 <= home <= MAX_HOME:
        problems.error(record.at("home"), f"home is het aantal stukken op de beginpagina: een getal van 0 tot "
                       f"en met {MAX_HOME}, zoals home: 3. Er staat {home}.")
        return None
    if not 1 <= per_page <= MAX_PER_PAGE:
        problems.error(record.at("per_page"), f"per_page is het aantal stukken op één pagina van het overzicht: "
                       f"een getal van 1 tot en met {MAX_PER_PAGE}, zoals per_page: 10. Er staat {per_page}.")
        return None
    folder, title, singular = v["folder"], v["title"], v["singular"]
    plural = v.get("plural", title.lower())
    fields = tuple(dict.fromkeys(v.get("fields", ("summary",))))
    return DatedSection(
        folder=folder, kind="dated", title=title, singular=singular, plural=plural, post=singular,
        front_matter=f"de kop van een {singular}", all_label=f"Alle {plural}",
        empty=f"Er zijn nog geen {plural}. Kijk later nog eens.", search_label=singular,
        feed=folder, feed_title=plural, feed_subtitle=f"{title} van {{site}}",
        new_kind=singular if SLUG_RE.fullmatch(singular) and singular not in TAKEN_KINDS else folder,
        by_year=v.get("by_year", False), per_page=per_page, home=home, fields=fields,
        article=v.get("article", "de"))
