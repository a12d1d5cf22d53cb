"""Rebuild equals clean, for every kind of input (issue 25, item 4).

A small but complete site (a trimmed copy of this repository's own content: news, newsletters with a PDF,
pages, activities with repeat, rrule, status and an online one, an image, the site's own templates, CSS and
JavaScript) is edited by random sequences of edits, each changing one kind of input in a valid way, some
breaking the site and repairing it again. After every edit the cached build (the cache and output/ kept
from the build before) must equal a --no-cache build into a fresh folder byte for byte, with the same
problems and warnings; the dev server's in-memory cache (generate() with one BuildCache kept, as serve does)
must give the same files too. `--now` moving on with no file change is one of the edits.

And a build right after a cold one (or after --no-cache) with no change renders nothing again.

The cache keys are what this checks, however they are made (hand-written lists today, recorded reads
later): an input a key forgets shows up here as a stale file, named with the edits that led to it.

Every edit twice in one sequence is in test_rebuild_every_edit.py: a file of its own, so that pytest -n 2
runs it beside the random sequences here. The sites are built in memory when the machine allows
(conftest.ram_folders): what the builds make, not the disk, is what is checked.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import shutil
import struct
import sys
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import (NOW, REPO, CompiledTemplates, reference_builds_share_compiled_templates,
                      tree_bytes)
from sitegen.core import dates
from sitegen.core.errors import ContentError
from sitegen.incremental.cache import CACHE_DIR, STATE_FILE, BuildCache
from sitegen.pipeline import BuildOptions, build, generate
from sitegen.write.guard import MARKER
from sitegen.write.spare import spare_path, work_dir

pytestmark = pytest.mark.slow

START = dates.parse_now(NOW)
OLD = 1_600_000_000  # the time every untouched source seems to have: old enough for the cache to trust it

# -- the site ----------------------------------------------------------------------------------------

# Left out of the copy of content/ to keep each build short; links to them become plain text.
DROPPED = ("coalitie/hoe-het-begon.md", "coalitie/plannen.md", "coalitie/maand-van-de-ontmoeting.md",
           "over-eenzaamheid/soorten.md", "zelf-doen/zorgen-om-iemand.md", "nieuws/2024-01-15-plannen-voor-2024.md",
           "nieuws/2025-11-03-workshops-op-aanvraag.md", "nieuwsbrieven/2025-10-06-nieuwsbrief-oktober.md",
           "agenda/picknick-beilen-2026.yaml", "agenda/duofiets-westerbork-2026.yaml",
           "agenda/week-tegen-eenzaamheid.yaml", "agenda/workshop-eenzaamheid-herkennen.yaml",
           "agenda/maand-van-de-ontmoeting-2026.yaml")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")


def png(width: int, height: int, shade: int = 0) -> bytes:
    """A valid grey PNG of this size (image sizes end up in the pages' width and height)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes([shade % 256]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf(text: str) -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\ntrailer << /Root 1 0 R >>\n"
            b"%%EOF\n")


def make_site(root: Path) -> Path:
    """A trimmed copy of this repository's site, its activities no examples, with an image and its own
    templates, CSS and JavaScript; every file dated long ago (so unchanged ones come from the cache)."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    dropped_names = {Path(rel).name for rel in DROPPED}
    for rel in DROPPED:
        (root / "content" / rel).unlink()
    for path in (root / "content").rglob("*.md"):
        text = LINK.sub(lambda m: m.group(1) if Path(m.group(2).partition("#")[0]).name in dropped_names
                        else m.group(0), path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    for path in (root / "content" / "agenda").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    (root / "content" / "over-eenzaamheid" / "bankje.png").write_bytes(png(4, 3))
    page = root / "content" / "over-eenzaamheid" / "wat-helpt.md"
    text = page.read_text(encoding="utf-8").replace(
        "\n---\n", "\nimage: bankje.png\nimage_alt: Een leeg bankje in het park\n---\n", 1)
    page.write_text(text + "\n![Een leeg bankje in het park](bankje.png)\n", encoding="utf-8")
    for name in ("base.html", "page.html", "news_list.html"):
        (root / "templates").mkdir(exist_ok=True)
        shutil.copy(REPO / "templates" / name, root / "templates" / name)
    for rel in ("css/site.css", "js/search.js"):
        (root / "static" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "static" / rel, root / "static" / rel)
    # The help page is reached through the header's "Hulp nodig?" link, not the menu (edit_menu puts it back).
    config = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(config.replace("  - title: Hulp\n    page: hulp.md\n", ""), encoding="utf-8")
    for path in root.rglob("*"):
        os.utime(path, (OLD, OLD))
    return root


# -- editing -----------------------------------------------------------------------------------------

@dataclass
class Edit:
    """One change to one kind of input. apply(site, n) changes the files (n varies the values) and may
    return a repair: then the site is broken, and the repair is applied as the next step."""

    name: str
    apply: Callable[[Path, int], Callable[[Path], None] | None]
    moves_now: dt.timedelta | None = None


def write(path: Path, text: str | bytes) -> None:
    """Write a source as an editor's program does, its time set back to the past (so that the next
    build trusts the cached copy of it from then on: an old time with a new change time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    stamp = OLD + 1000 + int.from_bytes(os.urandom(2), "big")  # old, but not the same as before
    os.utime(path, (stamp, stamp))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def set_line(text: str, key: str, value: str | None, indent: str = "") -> str:
    """The line `key: value` at this indent replaced (or added at the end; removed when value is None)."""
    pattern = re.compile(rf"^{indent}{re.escape(key)}:.*\n", re.M)
    line = "" if value is None else f"{indent}{key}: {value}\n"
    if pattern.search(text):
        return pattern.sub(line.replace("\\", "\\\\"), text, count=1)
    return text + line


def set_block(text: str, key: str, block: str | None) -> str:
    """A top-level key with its indented lines replaced by block (a whole `key:...` text), or removed."""
    pattern = re.compile(rf"^{re.escape(key)}:.*\n(?:(?:[ #].*|-.*|)\n)*?(?=^\S|\Z)", re.M)
    new = "" if block is None else block.rstrip("\n") + "\n"
    if pattern.search(text):
        return pattern.sub(new.replace("\\", "\\\\"), text, count=1)
    return text + new


def front_matter(path: Path, key: str, value: str | None) -> None:
    """Set (or remove) one front matter key of a content page."""
    text = read(path)
    head, _, body = text[4:].partition("\n---\n")
    write(path, "---\n" + set_line(head + "\n", key, value).rstrip("\n") + "\n---\n" + body)


def content(site: Path, rel: str) -> Path:
    return site / "content" / rel


def config(site: Path, change: Callable[[str], str]) -> None:
    write(site / "site.yaml", change(read(site / "site.yaml")))


def activity(site: Path, name: str, change: Callable[[str], str]) -> None:
    path = content(site, f"agenda/{name}.yaml")
    if path.exists():
        write(path, change(read(path)))


def pick(n: int, *options):
    return options[n % len(options)]


PAGES = ("volgen.md", "hulp.md", "contact.md", "over-eenzaamheid/oorzaken.md", "over-eenzaamheid/index.md",
         "coalitie/partners.md", "zelf-doen/meedoen.md", "index.md")
NEWS = ("nieuws/2025-03-10-nieuwe-partners.md", "nieuws/2025-09-15-maand-van-de-ontmoeting.md",
        "nieuws/2025-06-30-aan-wie-denk-jij-deze-zomer.md")
LETTERS = ("nieuwsbrieven/2025-02-03-nieuwsbrief-februari.md", "nieuwsbrieven/2025-06-16-nieuwsbrief-juni/index.md")
ACTIVITIES = ("koffieochtend-beilen", "wandelgroep-westerbork", "bingo-wijster-december",
              "mantelzorgcafe-smilde-november", "online-praatgroep-jongeren", "soep-en-praatje-smilde",
              "kerstavond-bovensmilde")
COLOURS = ("#1a5e8a", "#8a3b12", "#2f5d1e", "#6b2c6b")


def existing(site: Path, rels, n: int) -> Path | None:
    found = [content(site, rel) for rel in rels if content(site, rel).exists()]
    return found[n % len(found)] if found else None


# site.yaml

def edit_title(site, n):
    config(site, lambda t: set_line(set_line(t, "title", f"Samen tegen eenzaamheid {n}"),
                                    "tagline", pick(n, "Niemand alleen.", "Samen zorgen we voor elkaar.")))


def edit_contact(site, n):
    config(site, lambda t: set_line(t, "phone", pick(n, "0593-123456", "06-12345678", "088-1651200"), "  "))


HELPLINE = """  - name: Sensoor {n}
    phone: 0900-0767
    hours: {hours}
    description: Voor een anoniem gesprek.
    checked: {checked}
"""


def edit_helplines(site, n):
    def change(text):
        variant = n % 5
        if variant == 0:  # the first number changes
            return text.replace("phone: 088 0767 000", "phone: 088 0767 001", 1)
        if variant == 1:  # another line on the home page
            return re.sub(r"(  - name: Nationaal Ouderenfonds \(Zilverlijn\)\n)", r"\1    home: true\n", text, count=1)
        if variant == 2:  # checked long ago: a warning
            return text.replace("checked: 2026-11-02", "checked: 2024-01-02", 1)
        if variant == 3:  # one more
            return text.replace("feeds:\n", HELPLINE.format(n=n, hours="elke dag", checked="2026-10-01") + "feeds:\n", 1)
        return re.sub(r"  - name: Alles Oké\? Supportlijn\n(?:    .*\n)*", "", text, count=1)  # one less
    config(site, change)


def edit_theme(site, n):
    block = None if n % 4 == 3 else f"theme:\n  accent: \"{pick(n, *COLOURS)}\"\n"
    config(site, lambda t: set_block(t, "theme", block))


def edit_menu(site, n):
    def change(text):
        variant = n % 4
        if variant == 0:
            return text.replace("  - title: Zelf doen\n", f"  - title: Zelf doen {n}\n", 1)
        if variant == 1:  # the help page joins the menu, or leaves it
            if "page: hulp.md\n" in text:
                return text.replace("  - title: Hulp\n    page: hulp.md\n", "", 1)
            return text.replace("footer_links:\n", "  - title: Hulp\n    page: hulp.md\nfooter_links:\n", 1)
        if variant == 2:  # the follow page joins it
            return text.replace("footer_links:\n", "  - title: Volgen\n    page: volgen.md\nfooter_links:\n", 1) \
                if content(site, "volgen.md").exists() and "page: volgen.md" not in text else text
        return text.replace("  - title: Agenda\n    url: /agenda/\n", "", 1)  # and back: edit_menu(n=?) reorders
    config(site, change)


def edit_footer(site, n):
    def change(text):
        if n % 2:
            return text.replace("  - title: Privacy\n    page: privacy.md\n", "", 1)
        return text.replace("  - title: Contact\n", f"  - title: Contact en adres {n}\n", 1)
    config(site, change)


def edit_feeds(site, n):
    config(site, lambda t: set_block(t, "feeds", f"feeds:\n  entries: {pick(n, 2, 5, 1)}\n"))


def edit_partners(site, n):
    config(site, lambda t: t.replace("  - name: Jumbo\n", f"  - name: Jumbo {n}\n    url: https://www.jumbo.com\n", 1)
           if n % 2 else t.replace("  - name: RegioBank\n", "", 1))


def edit_sections(site, n):
    """A site's own dated section (site.yaml's sections:) switched on, changed and off; its posts stay, so a
    page kept in the cache as a plain page must be read again as a post (and back)."""
    for day in (1, 2):
        path = content(site, f"verhalen/2025-05-0{day}-verhaal-{day}.md")
        if not path.exists():
            write(path, f"---\ntitle: Verhaal {day}\ndate: 2025-05-0{day}\n---\nWat een inwoner vertelt over dag {day}.\n")
    block = None if n % 3 == 0 else ("sections:\n  - folder: verhalen\n    title: Verhalen\n    singular: verhaal\n"
                                     f"    by_year: {pick(n, 'true', 'false')}\n    home: {n % 3}\n")
    config(site, lambda t: set_block(t, "sections", block))


def edit_address_form(site, n):
    config(site, lambda t: set_line(t, "address_form", pick(n, "je", "u")))


def edit_help_page(site, n):
    target = pick(n, "contact.md", "hulp.md")
    config(site, lambda t: set_line(t, "help_page", target) if content(site, target).exists() else t)


# pages

def edit_page_title(site, n):
    path = existing(site, PAGES, n)
    if path:
        front_matter(path, "title", f"Een nieuwe titel {n}")


def edit_page_body(site, n):
    path = existing(site, PAGES, n)
    if path:
        write(path, read(path) + f"\nNog een zin over samen zijn, nummer {n}.\n")


def edit_page_description(site, n):
    path = existing(site, PAGES, n)
    if path:
        front_matter(path, "description", pick(n, f"Een andere korte zin {n}.", None))


def edit_page_slug(site, n):
    path = existing(site, ("volgen.md", "hulp.md", "over-eenzaamheid/oorzaken.md", "coalitie/partners.md"), n)
    if path:
        front_matter(path, "slug", pick(n // 4, f"nieuw-adres-{n}", None))


def edit_page_rename(site, n):
    """The file moves: its address changes (the follow page's too, which listings and the agenda link to)."""
    path = existing(site, ("volgen.md", "coalitie/partners.md", "op-de-hoogte.md"), n)
    if path is None:
        return
    new = path.with_name("op-de-hoogte.md" if path.name == "volgen.md" else
                         "volgen.md" if path.name == "op-de-hoogte.md" else f"partners-{n}.md")
    if not new.exists():
        path.rename(new)
        write(new, read(new))


def edit_page_order(site, n):
    path = existing(site, ("coalitie/partners.md", "coalitie/wat-wij-doen.md", "over-eenzaamheid/oorzaken.md"), n)
    if path:
        front_matter(path, "order", pick(n, "9", "0"))  # last, or first


def edit_page_tags(site, n):
    path = existing(site, PAGES, n)
    if path:
        front_matter(path, "tags", pick(n, "[ouderen, zomer]", "mantelzorg", None))


def edit_page_dates(site, n):
    path = existing(site, PAGES, n)
    if path:
        front_matter(path, pick(n, "date", "updated"), f"2025-0{1 + n % 9}-1{n % 10}")


def edit_page_aliases(site, n):
    path = existing(site, PAGES[2:], n)
    if path:
        front_matter(path, "aliases", pick(n, f"[/oud-adres-{n}/]", None))


def edit_page_draft(site, n):
    path = content(site, "toegankelijkheid.md")
    if path.exists():  # in the footer: a draft is an error (a link to nowhere), repaired next
        front_matter(path, "draft", pick(n, "true", None))
    return lambda site: front_matter(path, "draft", None)


def edit_page_image(site, n):
    path = existing(site, ("over-eenzaamheid/wat-helpt.md", "over-eenzaamheid/oorzaken.md"), n)
    if path:
        for key, value in (("image", pick(n, "bankje.png", None)), ("image_alt", pick(n, "Een bankje", None))):
            front_matter(path, key, value)


def edit_page_add(site, n):
    write(content(site, f"zelf-doen/idee-{n}.md"),
          f"---\ntitle: Een idee {n}\ndescription: Wat u zelf kunt doen.\norder: {n}\n---\n\nBel eens iemand op.\n")


def edit_page_delete(site, n):
    added = sorted((site / "content" / "zelf-doen").glob("idee-*.md"))
    (added[n % len(added)] if added else content(site, "zelf-doen/meedoen.md")).unlink(missing_ok=True)
    if not added:  # meedoen.md was linked from elsewhere: those links break; put it back next
        return lambda site: write(content(site, "zelf-doen/meedoen.md"),
                                  "---\ntitle: Meedoen\n---\n\nDoe mee.\n")
    return None


def edit_page_template(site, n):
    path = existing(site, ("contact.md", "privacy.md"), n)
    if path:
        front_matter(path, "template", pick(n, "help_page.html", "page.html", None))


# news and newsletters

def edit_news(site, n):
    path = existing(site, NEWS, n)
    if path is None:
        return
    variant = n % 6
    if variant == 0:
        front_matter(path, "title", f"Nieuws {n}")
    elif variant == 1:
        write(path, read(path) + f"\nEen nieuwe alinea {n}.\n")
    elif variant == 2:
        front_matter(path, "date", f"2025-0{1 + n % 9}-2{n % 8}")
    elif variant == 3:
        front_matter(path, "summary", f"Kort gezegd: {n}.")
    elif variant == 4:
        front_matter(path, "tags", pick(n, "[coalitie, nieuw]", "zomer"))
    else:
        front_matter(path, "date", "2026-11-25 09:00")  # scheduled: online when --now passes it


def edit_news_add(site, n):
    write(content(site, f"nieuws/2025-1{n % 3}-0{1 + n % 9}-bericht-{n}.md"),
          f"---\ntitle: Bericht {n}\ndate: 2025-1{n % 3}-0{1 + n % 9}\ntags: [nieuw]\n---\n\nEr is nieuws {n}.\n")


def edit_news_delete(site, n):
    added = sorted((site / "content" / "nieuws").glob("*-bericht-*.md"))
    if added:
        added[n % len(added)].unlink()


def edit_newsletter(site, n):
    path = existing(site, LETTERS, n)
    if path is None:
        return
    variant = n % 4
    if variant == 0:
        front_matter(path, "title", f"Nieuwsbrief {n}")
    elif variant == 1:
        front_matter(path, "edition", str(n + 3))
    elif variant == 2:
        front_matter(path, "summary", f"Over dit en dat {n}.")
    else:
        write(path, read(path) + f"\nTot de volgende keer {n}.\n")


def edit_newsletter_add(site, n):
    folder = content(site, f"nieuwsbrieven/2026-0{1 + n % 9}-01-nieuwsbrief-{n}")
    write(folder / "brief.pdf", pdf(f"brief {n}"))
    write(folder / "index.md", f"---\ntitle: Nieuwsbrief {n}\ndate: 2026-0{1 + n % 9}-01\nedition: {10 + n}\n"
                               f"pdf: brief.pdf\n---\n\nDe nieuwsbrief van deze maand.\n")


def edit_pdf(site, n):
    write(content(site, "nieuwsbrieven/2025-06-16-nieuwsbrief-juni/nieuwsbrief-juni-2025.pdf"), pdf(f"versie {n}" * (1 + n % 3)))


def edit_image(site, n):
    write(content(site, "over-eenzaamheid/bankje.png"), png(5 + n % 5, 3 + n % 2, n))  # never its first size


def edit_search_terms(site, n):
    path = content(site, "zoekwoorden.yaml")
    write(path, read(path).replace("[praten, praatje,", f"[praten, babbel{n}, praatje,", 1)
          if n % 2 else re.sub(r"^popular: .*$", "popular: [/agenda/, hulp.md]", read(path), flags=re.M))


# activities

def start_day(text: str) -> str:
    """The RRULE day code of an activity's start, so that a weekly rule begins on its start (else an error)."""
    day = dt.date.fromisoformat(re.search(r"^start: (\d{4}-\d\d-\d\d)", text, re.M).group(1))
    return ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]


def activity_field(field_name: str, change) -> Edit:
    """One field of one activity (n picks the activity and the value)."""
    return Edit(f"activity_{field_name}", lambda site, n: activity(site, pick(n, *ACTIVITIES), change(n)))


ACTIVITY_FIELDS = [
    activity_field("title", lambda n: lambda t: set_line(t, "title", f"Samen koffie {n}")),
    activity_field("start", lambda n: lambda t: re.sub(r"^start: (\d{4}-\d\d-\d\d) (\d\d):",  # an hour earlier
                                                       lambda m: f"start: {m.group(1)} {int(m.group(2)) - 1:02d}:",
                                                       t, count=1, flags=re.M)),
    activity_field("end", lambda n: lambda t: set_line(t, "end", "22:00") if "duration:" not in t else set_line(t, "duration", "2 uur")),
    activity_field("location", lambda n: lambda t: set_block(t, "location", f"location:\n  name: Het dorpshuis {n}\n  place: {pick(n, 'Beilen', 'Smilde', 'Hooghalen')}\n")),
    activity_field("organiser", lambda n: lambda t: set_block(t, "organiser", f"organiser:\n  name: Vrijwilligers {n}\n  email: info{n}@voorbeeld.nl\n")),
    activity_field("cost", lambda n: lambda t: set_line(t, "cost", pick(n, "€ 1,00", "gratis"))),
    activity_field("registration", lambda n: lambda t: set_block(t, "registration", pick(n, "registration:\n  needed: true\n  phone: 088-1651200\n  deadline: 2026-11-30\n", None))),
    activity_field("audience", lambda n: lambda t: set_line(t, "audience", pick(n, "[jongeren]", "[ouderen, mantelzorgers]"))),
    activity_field("accessibility", lambda n: lambda t: set_line(t, "accessibility", pick(n, "[ringleiding]", "[rolstoeltoegankelijk, invalidentoilet]"))),
    activity_field("transport", lambda n: lambda t: set_line(t, "transport", f"Bel voor vervoer {n}.")),
    activity_field("description", lambda n: lambda t: set_block(t, "description", "description: " + pick(
        n, f"Gezellig samen zijn, keer {n}.", "Kom ook. Zie [de hulp](../hulp.md).") + "\n")),
    activity_field("status", lambda n: lambda t: set_line(set_line(t, "status", pick(n, "afgelast", "verplaatst", "gepland")),
                       "status_note", pick(n, f"Gaat niet door {n}.", f"Een week later {n}.", None))),
    activity_field("repeat", lambda n: lambda t: set_block(set_line(t, "rrule", None), "repeat",
                        pick(n, "repeat:\n  every: week\n  on: woensdag\n  until: 2027-03-31\n",
                             "repeat:\n  every: maand\n  on: tweede dinsdag\n  count: 4\n",
                             "repeat:\n  every: week\n  interval: 2\n  on: [maandag, donderdag]\n  except: [2026-12-24]\n",
                             None))),
    activity_field("rrule", lambda n: lambda t: set_line(set_block(t, "repeat", None), "rrule",
                                                         pick(n, f"FREQ=WEEKLY;BYDAY={start_day(t)}", None))),
    activity_field("online", lambda n: lambda t: set_line(t, "online", pick(n, "https://www.voorbeeld.nl/mee", None))),
    activity_field("example", lambda n: lambda t: set_line(t, "example", pick(n, "true", None))),
]


def edit_activity_add(site, n):
    write(content(site, f"agenda/nieuw-{n}.yaml"),
          f"id: nieuw-{n}\ntitle: Nieuwe activiteit {n}\nstart: 2026-1{n % 3}-{10 + n % 15} 10:00\nend: 11:00\n"
          f"location:\n  name: Buurthuis\n  place: Beilen\ndescription: Iets nieuws.\n")


def edit_activity_delete(site, n):
    added = sorted((site / "content" / "agenda").glob("nieuw-*.yaml"))
    name = added[n % len(added)] if added else content(site, f"agenda/{pick(n, *ACTIVITIES[:3])}.yaml")
    name.unlink(missing_ok=True)


def edit_activity_image(site, n):
    write(content(site, "agenda/koffie.png"), png(6 + n % 3, 4))
    activity(site, "koffieochtend-beilen", lambda t: set_line(set_line(t, "image", pick(n, "koffie.png", None)),
                                                          "image_alt", pick(n, "Een kop koffie", None)))


# templates, CSS, JavaScript

def edit_template(site, n):
    variant = n % 4
    if variant == 0:
        path = site / "templates" / "page.html"
        write(path, read(path).replace("<article>", f"<article data-versie=\"{n}\">", 1))
    elif variant == 1:
        path = site / "templates" / "base.html"
        write(path, read(path).replace("<main ", f"<!-- versie {n} -->\n<main ", 1))
    elif variant == 2:  # the site's own version of a template the generator has
        text = (REPO / "templates" / "event.html").read_text(encoding="utf-8")
        write(site / "templates" / "event.html", text.replace("<article", f"<article data-eigen=\"{n}\"", 1))
    else:  # and gone again: the generator's version
        (site / "templates" / pick(n // 4, "event.html", "news_list.html")).unlink(missing_ok=True)


def edit_css(site, n):
    path = site / "static" / "css" / "site.css"
    write(path, read(path) + f"\n.versie-{n} {{ color: #222; }}\n")


def edit_js(site, n):
    path = site / "static" / "js" / "search.js"
    write(path, read(path) + f"\n// versie {n}\n")


def edit_static_add(site, n):
    write(site / "static" / "img" / f"extra-{n % 2}.png", png(2, 2 + n % 3))


# broken, then repaired

def break_page_yaml(site, n):
    path = content(site, "contact.md")
    before = read(path)
    write(path, before.replace("---\n", "---\ntitle: [niet af\n", 1))
    return lambda site: write(path, before if n % 2 else before + f"\nHersteld {n}.\n")


def break_activity(site, n):
    path = content(site, "agenda/kerstavond-bovensmilde.yaml")
    if not path.exists():
        return None
    before = read(path)
    write(path, set_line(before, "end", "2026-12-20 10:00"))  # ends before it starts
    return lambda site: write(path, before if n % 2 else set_line(before, "cost", f"€ {n},00"))


def break_config(site, n):
    path = site / "site.yaml"
    before = read(path)
    write(path, before.replace("municipality:", "municipalty:", 1))
    return lambda site: write(path, before if n % 2 else set_line(before, "tagline", f"Hersteld {n}."))


def break_template(site, n):
    path = site / "templates" / "page.html"
    before = read(path)
    write(path, before.replace("{% endblock %}", "{% endblok %}", 1))
    return lambda site: write(path, before if n % 2 else before.replace("<h1>", f"<h1 data-hersteld=\"{n}\">", 1))


def break_link(site, n):
    path = content(site, "privacy.md")
    before = read(path)
    write(path, before + "\nZie [de oude pagina](bestaat-niet.md).\n")
    return lambda site: write(path, before if n % 2 else before + "\nZie [contact](contact.md).\n")


def now_moves(days: int) -> Edit:
    return Edit(f"now+{days}d", lambda site, n: None, moves_now=dt.timedelta(days=days))


EDITS = [Edit(f.__name__.removeprefix("edit_"), f) for f in (
    edit_title, edit_contact, edit_helplines, edit_theme, edit_menu, edit_footer, edit_feeds, edit_partners,
    edit_address_form, edit_help_page, edit_sections,
    edit_page_title, edit_page_body, edit_page_description, edit_page_slug, edit_page_rename, edit_page_order,
    edit_page_tags, edit_page_dates, edit_page_aliases, edit_page_draft, edit_page_image, edit_page_add,
    edit_page_delete, edit_page_template,
    edit_news, edit_news_add, edit_news_delete, edit_newsletter, edit_newsletter_add, edit_pdf, edit_image,
    edit_search_terms,
    edit_activity_add, edit_activity_delete, edit_activity_image,
    edit_template, edit_css, edit_js, edit_static_add,
    break_page_yaml, break_activity, break_config, break_template, break_link)] + ACTIVITY_FIELDS + [
    now_moves(1), now_moves(7), now_moves(40)]
BY_NAME = {edit.name: edit for edit in EDITS}


# -- building and comparing --------------------------------------------------------------------------

@dataclass
class Outcome:
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def options(site: Path, output: Path, now: dt.datetime, use_cache: bool) -> BuildOptions:
    return BuildOptions(root=site, output=output, now=now, use_cache=use_cache, workers=1)


def run(site: Path, output: Path, now: dt.datetime, use_cache: bool) -> Outcome:
    """build.py's build, in this process: the files of output/, or the problems of a failed build."""
    try:
        result = build(options(site, output, now, use_cache))
    except ContentError as exc:
        return Outcome(problems=sorted(p.format() for p in exc.problems),
                       warnings=sorted(p.format() for p in exc.warnings))
    return Outcome(tree_bytes(output), warnings=sorted(p.format() for p in result.warnings))


# The clean builds' compiled templates, kept from one to the next (conftest: checked against the template text).
REFERENCE_TEMPLATES = CompiledTemplates()


def clean_run(site: Path, work: Path, now: dt.datetime) -> Outcome:
    """A --no-cache build into a folder of its own, gone again afterwards (with its spare tree)."""
    output = work / "clean"
    try:
        with reference_builds_share_compiled_templates(REFERENCE_TEMPLATES):
            return run(site, output, now, use_cache=False)
    finally:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(spare_path(output, work_dir(output, site)), ignore_errors=True)


def inputs_digest(site: Path, now: dt.datetime) -> str:
    """What a clean build of site reads: now, and every file and folder of the site by name and bytes (its
    .cache/ aside, which a --no-cache build does not read; the generator's own templates do not change
    within a test)."""
    digest = hashlib.sha256(now.isoformat().encode())
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/")[0] == CACHE_DIR:
            continue
        digest.update(b"\0" + rel.encode() + (b"/" if path.is_dir() else b"\0" + path.read_bytes()))
    return digest.hexdigest()


# A sequence's clean builds kept by inputs_digest: a repair that puts a file back, or an edit that finds
# nothing to change, brings back inputs built a step or two before (a sixth of the every-edit sequence's
# clean builds). The cached build is still made and compared after every step.
KEPT_CLEAN_BUILDS = 4


def clean_run_once(site: Path, work: Path, now: dt.datetime, made: dict[str, Outcome]) -> Outcome:
    """clean_run, or what it gave for the same inputs among the last KEPT_CLEAN_BUILDS of made."""
    key = inputs_digest(site, now)
    outcome = made.pop(key, None) or clean_run(site, work, now)
    made[key] = outcome  # now the newest
    while len(made) > KEPT_CLEAN_BUILDS:
        del made[next(iter(made))]
    return outcome


def watched(site: Path) -> dict[str, tuple]:
    """Every file and folder of the site by its absolute path, with what a change alters (size, times, inode)."""
    found = {}
    for path in site.resolve().rglob("*"):  # as the build names them (site_paths resolves the site's folder)
        info = path.lstat()
        found[str(path)] = (path.is_dir(), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return found


def saved_files(before: dict[str, tuple], after: dict[str, tuple]) -> frozenset[str] | None:
    """What the dev server's file watcher reports of an edit: the files it changed, made or removed; None when
    a folder was made or removed (the watcher then has the next rebuild look at every file)."""
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    folders = {path for path in before.keys() ^ after.keys() if (before.get(path) or after.get(path))[0]}
    return None if folders else frozenset(changed)


def served(site: Path, cache: BuildCache, now: dt.datetime, tidy: bool = True,
           saved: frozenset[str] | None = None) -> Outcome:
    """What the dev server shows: generate() with its in-memory cache kept between builds. tidy: forget the
    entries a good build did not use after it (the server does when the files are quiet: LiveSite.tidy);
    else they stay for the next build, as when saves follow each other. saved: the files its watcher saw
    change since the build before (None: any)."""
    try:
        result = generate(replace(options(site, site / "unused", now, use_cache=True), changed=saved), cache=cache)
    except ContentError as exc:
        return Outcome(problems=sorted(p.format() for p in exc.problems),
                       warnings=sorted(p.format() for p in exc.warnings))
    if tidy:
        cache.prune()
    files = {o.path: o.data for o in result.outputs}
    for asset in result.site.assets:
        files[asset.url.lstrip("/")] = Path(asset.source_path).read_bytes()
    return Outcome(files, warnings=sorted(p.format() for p in result.warnings))


def difference(what: str, got: Outcome, expected: Outcome, steps: list[str]) -> str | None:
    """None when equal; else which file (or problem) differs first, with an excerpt of the difference."""
    head = f"{what} differs from a clean build after the edits {steps}:\n"
    if got.problems != expected.problems:
        return head + "problems:\n" + "\n".join(difflib.unified_diff(expected.problems, got.problems, "clean", what,
                                                                     lineterm="", n=1))[:3000]
    if got.warnings != expected.warnings:
        return head + "warnings:\n" + "\n".join(difflib.unified_diff(expected.warnings, got.warnings, "clean", what,
                                                                     lineterm="", n=1))[:3000]
    missing, extra = sorted(set(expected.files) - set(got.files)), sorted(set(got.files) - set(expected.files))
    if missing or extra:
        return head + f"files only in the clean build: {missing[:10]}; only in {what}: {extra[:10]}"
    for path in sorted(expected.files):
        if got.files[path] != expected.files[path]:
            old = expected.files[path].decode("utf-8", "replace").splitlines()
            new = got.files[path].decode("utf-8", "replace").splitlines()
            diff = "\n".join(list(difflib.unified_diff(old, new, f"clean/{path}", f"{what}/{path}",
                                                       lineterm="", n=1))[:40])
            stale = [p for p in sorted(expected.files) if got.files[p] != expected.files[p]]
            return head + f"{len(stale)} file(s) differ, first {path} (all: {stale[:12]}):\n{diff}"
    return None


def check_sequence(work: Path, sequence: list[tuple[str, int]], with_server: bool = True) -> list[str]:
    """Apply the edits one by one; after each, the cached build (and the dev server's) equals a clean one.
    Returns the edits after which the clean build came out as before (an edit that changed nothing)."""
    site = make_site(work / "site")
    output = work / "output"
    now = START
    cache = BuildCache()
    run(site, output, now, use_cache=True)
    if with_server:
        served(site, cache, now)
    steps: list[str] = []
    unchanged: list[str] = []
    previous = None
    made: dict[str, Outcome] = {}
    pending = [(BY_NAME[name], n) for name, n in sequence]
    while pending:
        edit, n = pending.pop(0)
        before = watched(site)
        repair = edit.apply(site, n) if isinstance(edit, Edit) else edit(site)
        saved = saved_files(before, watched(site))
        steps.append(f"{edit.name}({n})" if isinstance(edit, Edit) else "repair")
        if isinstance(edit, Edit) and edit.moves_now:
            now += edit.moves_now
        expected = clean_run_once(site, work, now, made)
        problem = difference("the cached build", run(site, output, now, use_cache=True), expected, steps)
        assert problem is None, problem
        if with_server:  # the server writes no output folder, so no marker of one
            written = replace(expected, files={p: d for p, d in expected.files.items() if p != MARKER})
            problem = difference("the dev server", served(site, cache, now, tidy=len(steps) % 2 == 0, saved=saved),
                                 written, steps)
            assert problem is None, problem
        if previous is not None and expected == previous and not (isinstance(edit, Edit) and edit.moves_now):
            unchanged.append(steps[-1])
        previous = expected
        if repair is not None:
            pending.insert(0, (repair, n))
    return unchanged


SEQUENCES = st.lists(st.tuples(st.sampled_from(sorted(BY_NAME)), st.integers(0, 99)), min_size=1, max_size=4)


# No shrinking: a sequence has at most 4 edits, and each step names the first file that differs.
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=SEQUENCES)
def test_any_sequence_of_edits_builds_what_a_clean_build_makes(ram_folders, sequence):
    work = ram_folders("rebuild")
    try:
        check_sequence(work, sequence)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- nothing again -----------------------------------------------------------------------------------

def made_anew(site: Path, output: Path, now: dt.datetime = START) -> dict[str, list]:
    """What a cached build made that the cache did not hold: rendered files, conversions, hints by key."""
    before = BuildCache.load(site)
    known = {kind: set(getattr(before, kind)) for kind in ("renders", "conversions", "hints")}
    before.store.close()
    (site / CACHE_DIR / STATE_FILE).unlink(missing_ok=True)  # past the no-change check: a full build
    result = build(options(site, output, now, use_cache=True))
    return {kind: sorted(str(k)[:80] for k in set(getattr(result.cache, kind)) - known[kind])
            for kind in known if set(getattr(result.cache, kind)) - known[kind]}


def test_a_build_right_after_a_cold_one_renders_nothing_again(ram_path):
    site = make_site(ram_path / "site")
    run(site, ram_path / "output", START, use_cache=True)
    assert made_anew(site, ram_path / "output") == {}


def test_sources_read_anew_or_taken_from_the_cache_give_the_same_keys(ram_path):
    """Files too new to trust (load.RACY_SECONDS) are read anew by the first two builds and taken from the
    cache by the third: pages and activities read either way must give equal keys, so nothing is made again."""
    from sitegen.source.load import RACY_SECONDS

    site = make_site(ram_path / "site")
    for path in site.rglob("*"):
        os.utime(path)  # just written
    run(site, ram_path / "output", START, use_cache=True)
    time.sleep(RACY_SECONDS + 0.2)
    assert made_anew(site, ram_path / "output") == {}  # read anew, now kept
    assert made_anew(site, ram_path / "output") == {}  # taken from the cache


def test_a_cached_build_right_after_a_no_cache_build_renders_nothing_again(ram_path):
    site = make_site(ram_path / "site")
    run(site, ram_path / "output", START, use_cache=True)
    run(site, ram_path / "output", START, use_cache=False)
    assert made_anew(site, ram_path / "output") == {}


# -- stale cases found, each kept as a sequence of its own (issue 25) -----------------------------------

def test_moving_the_follow_page_updates_the_listings_and_the_agenda(ram_path):
    """Listings, posts and agenda.html link to /volgen/ when the site has it (listings.follow()): moving
    that page away (a new file name, a slug) and back must reach them, or a cached build reports false
    broken links (or keeps a link to nowhere, or leaves it out)."""
    check_sequence(ram_path, [("page_rename", 0), ("page_rename", 1), ("page_slug", 0), ("page_slug", 4)])


def test_a_slug_for_the_help_page_outside_the_menu_updates_every_header(ram_path):
    """The header's "Hulp nodig?" link on every page goes to the help page (help.help_url): a slug for it
    (no menu item whose change would carry it) and taking the slug away again must reach every page."""
    check_sequence(ram_path, [("page_slug", 1), ("page_slug", 5)])


# -- the clean builds a sequence keeps -------------------------------------------------------------------

def test_every_input_of_a_clean_build_changes_its_digest_and_the_cache_does_not(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "index.md").write_text("a")
    digests = [inputs_digest(site, START)]
    (site / CACHE_DIR).mkdir()
    (site / CACHE_DIR / "state.json").write_text("{}")
    assert inputs_digest(site, START) == digests[0]  # a --no-cache build does not read it
    digests.append(inputs_digest(site, START + dt.timedelta(minutes=1)))
    (site / "content" / "index.md").write_text("b")
    digests.append(inputs_digest(site, START))
    (site / "content" / "index.md").rename(site / "content" / "over.md")
    digests.append(inputs_digest(site, START))
    (site / "content" / "leeg").mkdir()
    digests.append(inputs_digest(site, START))
    assert len(set(digests)) == len(digests)


def test_a_sequence_builds_clean_once_for_inputs_it_saw_a_few_steps_before(tmp_path, monkeypatch):
    built = []
    monkeypatch.setattr(sys.modules[__name__], "clean_run", lambda site, work, now: built.append(now) or Outcome())
    (tmp_path / "index.md").write_text("a")
    made: dict[str, Outcome] = {}
    nows = [START + dt.timedelta(days=n) for n in range(KEPT_CLEAN_BUILDS + 1)]
    first = clean_run_once(tmp_path, tmp_path, nows[0], made)
    assert clean_run_once(tmp_path, tmp_path, nows[0], made) is first and built == nows[:1]
    for now in nows[1:]:
        clean_run_once(tmp_path, tmp_path, now, made)
    assert built == nows
    clean_run_once(tmp_path, tmp_path, nows[0], made)  # KEPT_CLEAN_BUILDS later: built again
    assert built == nows + nows[:1]
