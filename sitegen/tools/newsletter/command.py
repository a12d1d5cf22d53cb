"""`build.py import-newsletter FILE.html [--date 2025-06-16]`: the arguments, the Dutch messages, the exit code."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .archive import NewsletterImportError, import_newsletter


def main(site_root: Path, arguments: list[str], date_text: str | None) -> int:
    """`build.py import-newsletter FILE.html [--date 2025-06-16]`: prints the path written; never asks anything."""
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
    for warning in imported.warnings:
        print(f"Let op: {warning}", file=sys.stderr)
    try:
        shown = target.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = target
    print(shown)
    return 0
