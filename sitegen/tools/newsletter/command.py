"""`build.py import-newsletter FILE.html [--date 2025-06-16]`: the arguments, the Dutch messages, the exit code.

The path written goes to stdout (alone, so a script can use it); the report of what was removed and what
could not be kept goes to stderr, like every other message for the person at the keyboard.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .archive import NewsletterImportError, import_newsletter
from .report import report


def main(site_root: Path, arguments: list[str], date_text: str | None) -> int:
    """`build.py import-newsletter FILE.html [--date 2025-06-16]`: prints the path written and what was removed;
    never asks anything."""
    if len(arguments) != 1:
        print("Geef precies een bestand: python build.py import-newsletter nieuwsbrief.html "
              "[--date 2025-06-16]", file=sys.stderr)
        return 1
    date = None
    if date_text:
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            print(f"--date '{date_text}' is geen geldige datum. Schrijf hem als 2025-06-16.", file=sys.stderr)
            return 1
    try:
        target, imported = import_newsletter(Path(arguments[0]), site_root, date)
    except NewsletterImportError as exc:
        print(f"Niet geïmporteerd: {exc}", file=sys.stderr)
        return 1
    try:
        shown = target.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = target
    print(shown)
    print("\n".join(report(imported.removed, imported.warnings, str(shown))), file=sys.stderr)
    return 0
