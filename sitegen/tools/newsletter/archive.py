"""Write one archive entry from an export: read the HTML, convert it, copy its images and PDF beside it.

The entry is content/nieuwsbrieven/<date>-<slug>.md, or <date>-<slug>/index.md when files come along. An
existing entry is never overwritten: the person importing gets a Dutch message and decides.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ...core.urls import slugify
from ...core.sections import NEWSLETTERS
from .convert import Imported, convert, date_in


class NewsletterImportError(Exception):
    """The export cannot be imported; the message (Dutch) says why and what to do."""


def local_images_beside(export: Path, html: str) -> set[str]:
    """The image sources in the export that are files beside it (inside its folder)."""
    folder = export.parent.resolve()
    found = set()
    for src in re.findall(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", html, re.I):
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", src, re.I):
            continue
        rel = str(PurePosixPath(unquote(src.split("?")[0].split("#")[0])))
        path = (folder / rel).resolve()
        if path.is_file() and path.is_relative_to(folder):
            found.add(rel)
    return found


def read_export(export: Path) -> str:
    """The export's text: UTF-8, or the charset it declares (Word writes windows-1252), else windows-1252."""
    data = export.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", data[:4096], re.I)
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["cp1252"]:
        try:
            return data.decode(encoding, errors="replace")
        except LookupError:
            continue
    return data.decode("cp1252", errors="replace")


def import_newsletter(export: Path, site_root: Path, date: dt.date | None = None) -> tuple[Path, Imported]:
    """Write the archive entry for an export; returns the path written. Raises NewsletterImportError (Dutch)."""
    if not export.is_file():
        raise NewsletterImportError(f"het bestand {export} bestaat niet. Geef het pad van de HTML-export van de nieuwsbrief.")
    html = read_export(export)
    content = site_root / "content"
    if not content.is_dir():
        raise NewsletterImportError(f"in {site_root} staat geen map content/. Geef met --site de map van de site.")
    imported = convert(html, frozenset(local_images_beside(export, html)))
    date = date or imported.date or date_in(export.stem)
    if date is None:
        raise NewsletterImportError("in de nieuwsbrief staat geen datum die ik kan lezen. Geef de datum van verzenden "
                           "op met --date, zoals --date 2025-06-16.")
    pdf = export.with_suffix(".pdf")
    stem = f"{date.isoformat()}-{slugify(imported.title)}"
    folder = content / NEWSLETTERS.folder
    as_file, as_folder = folder / f"{stem}.md", folder / stem
    for existing in (as_file, as_folder):
        if existing.exists():
            raise NewsletterImportError(f"er staat al een nieuwsbrief op {existing.relative_to(site_root)}. Er is niets "
                               "overschreven. Haal die eerst weg, of geef een andere datum met --date.")
    with_files = bool(imported.images) or pdf.is_file()
    target = as_folder / "index.md" if with_files else as_file
    target.parent.mkdir(parents=True, exist_ok=True)
    for image in imported.images:
        shutil.copyfile(export.parent / image.source, target.parent / image.name)
    pdf_name = None
    if pdf.is_file():
        pdf_name = slugify(pdf.stem) + ".pdf"
        shutil.copyfile(pdf, target.parent / pdf_name)
    target.write_text(imported.document(date, pdf_name), encoding="utf-8")
    return target, imported
