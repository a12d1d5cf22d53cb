"""`build.py new SOORT "Titel" [map] [--date 2026-12-20]`: the arguments, the Dutch messages, the exit code
(the entry itself is made by scaffold.py)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..core.dates import long_date
from ..core.paths import GENERATOR_ROOT
from ..source.dutchdates import replacement
from .scaffold import ScaffoldError, kinds, new_entry, site_facts


def main(root: Path, arguments: list[str], today: dt.date, out=sys.stdout, err=sys.stderr,
         date_text: str | None = None) -> int:
    """The `new` command: check the arguments, create the entry, say where it went.

    date_text (--date): the day the entry is about, for the file's name and its date; a news item or
    newsletter dated later goes online on that day."""
    if len(arguments) < 2 or arguments[0] not in kinds(root):
        print("Gebruik: python build.py new SOORT \"Titel\" [map]\n"
              f"SOORT is een van: {', '.join(kinds(root))}. Bijvoorbeeld:\n"
              "  python build.py new pagina \"Wat kun je zelf doen?\" zelf-doen\n"
              f"  python build.py new activiteit \"Koffieochtend in {site_facts(root)['village']}\"", file=err)
        return 1
    kind, title, *rest = arguments
    try:
        day = entry_date(date_text) if date_text else today
        created = new_entry(root, kind, title, day, folder=rest[0] if rest else None)
    except ScaffoldError as exc:
        print(str(exc), file=err)
        return 1
    shown = created.path.relative_to(root).as_posix() if created.path.is_relative_to(root) else created.path
    site = "" if root.resolve() == GENERATOR_ROOT else f" --site {root}"
    print(f"Gemaakt: {created.what} in {shown}\n"
          f"Open het bestand, vul het aan en bekijk het resultaat met: python build.py serve{site}", file=out)
    if kind in kinds(root)[2:] and day > today:  # a post of a dated section waits for its day
        print(f"Het komt pas online op {long_date(day)}: de dagelijkse bouw zet het dan op de site. Tot dan "
              "zie je het alleen in de voorbeeldweergave (serve).", file=out)
    return 0


def entry_date(text: str) -> dt.date:
    """--date as the editor wrote it: 2026-12-20, else a ScaffoldError with the exact date to write."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    hint = replacement(text, with_time=False)
    raise ScaffoldError(f"--date '{text}' is geen datum die ik begrijp: "
                        + (hint if hint else "schrijf jaar-maand-dag, zoals 2026-12-20.")
                        + ("" if not hint or hint.endswith(".") else "."))
