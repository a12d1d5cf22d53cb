"""The only module that reads the site's sources: site.yaml, content/, and the files beside them."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from ..core.paths import SitePaths
from ..core.errors import ContentError, Location, Problems, relative_name
from ..core.hashing import bytes_digest, digest
from ..core.model import CmsSettings, Contact, FeedSettings, Helpline, Partner, SiteConfig, SourcePage, Theme
from . import placeholders
from .bounds import markdown_problems
from ..core.sections import SECTIONS, DatedSection
from .load_sections import sections_from
from .schemas import SITE, folder_section, front_matter_schema
from .unchanged import RACY_SECONDS, read_unless_unchanged, stat_key  # noqa: F401 (agenda/load.py, tests)
from .yamlschema import INVALID, Context, compose

MAX_FILE_BYTES = 2 * 1024 * 1024  # a page or list larger than this is a mistake, not content
CONTENT_SUFFIXES = {".md"}
DATA_SUFFIXES = {".yaml", ".yml"}
IGNORED_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}
SPECIAL_FILE = ("dit is geen gewoon bestand maar bijvoorbeeld een pipe of een apparaat; dat neemt de website "
                "niet over. Haal het weg of zet er een gewoon bestand voor in de plaats.")
# The site's sources never follow a link: a link in a pull request could publish .git/config, the build
# cache or a file of the machine that builds (docs/security.md). One rule for every folder and file.
SYMLINK = ("dit bestand is een snelkoppeling (symlink); die neemt de website niet over. Zet het bestand zelf "
           "hier neer.")
SYMLINK_FOLDER = ("deze map is een snelkoppeling (symlink); die neemt de website niet over. Zet de map zelf "
                  "met haar bestanden hier neer.")
SYMLINK_LOOP = ("dit is een snelkoppeling (symlink) die in een kring naar zichzelf wijst; die neemt de website "
                "niet over. Haal de snelkoppeling weg en zet het bestand zelf hier neer.")
BAD_NAME = ("de naam van dit bestand of deze map is geen geldige tekst (geen UTF-8). Geef het een nieuwe "
            "naam met gewone letters en cijfers.")


def read_text(path: Path, name: str, problems: Problems) -> str | None:
    """UTF-8 text with any BOM dropped and line endings made \\n; None (and a problem) if unreadable."""
    if os.path.islink(path):  # site.yaml, say: the listing refuses links everywhere else
        problems.error(Location(name), link_problem(path))
        return None
    try:
        # Without blocking, never through a link, and only a regular file: a FIFO or device in its place
        # would hang the build.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                problems.error(Location(name), SPECIAL_FILE)
                return None
            size = info.st_size
            if size > MAX_FILE_BYTES:
                problems.error(Location(name), f"dit bestand is te groot ({size // 1024} kB; de grens is "
                               f"{MAX_FILE_BYTES // 1024} kB). Splits het op in kleinere bestanden.")
                return None
            data = handle.read()
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW: it became a link after the check above
            problems.error(Location(name), link_problem(path))
        else:
            problems.error(Location(name), f"dit bestand kan niet gelezen worden ({exc.strerror}).")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(Location(name, line), "dit bestand is geen UTF-8-tekst. Sla het op als UTF-8 "
                       "(in je editor: 'Opslaan als' en kies codering UTF-8).")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_config(paths: SitePaths, problems: Problems) -> SiteConfig | None:
    """Read and check site.yaml."""
    name = relative_name(paths.config, paths.root)
    if not paths.config.is_file() and not paths.config.is_symlink():
        problems.error(Location(name), "site.yaml ontbreekt. Maak het bestand aan in de map van de site.")
        return None
    text = read_text(paths.config, name, problems)
    if text is None:
        return None
    ctx = Context(name, problems)
    node = compose(text, ctx)
    if node is INVALID:
        return None
    if node is None:
        problems.error(Location(name), "site.yaml is leeg. Zet er minstens title, tagline, base_url, "
                       "municipality, contact en menu in.")
        return None
    record = SITE.check(node, ctx)
    if record is INVALID:
        return None
    placeholders.report(name, placeholders.find(text), problems)
    from .files import logo_head  # files.py builds on this module: imported here, not at the top

    v = record.values
    contact = v["contact"].values
    feeds = v.get("feeds")
    theme = v.get("theme")
    return SiteConfig(
        title=v["title"],
        tagline=v["tagline"],
        base_url=v["base_url"],
        language=v.get("language", "nl"),
        timezone=v.get("timezone", "Europe/Amsterdam"),
        municipality=v["municipality"],
        contact=Contact(**contact),
        menu=tuple(_link_spec(item, problems) for item in v["menu"]),
        footer_links=tuple(_link_spec(item, problems) for item in v.get("footer_links", ())),
        partners=tuple(Partner(**p.values) for p in v.get("partners", ())),
        helplines=tuple(Helpline(**h.values, location=h.at("checked")) for h in v.get("helplines", ())),
        feeds=FeedSettings(**feeds.values) if feeds else FeedSettings(),
        source=name,
        cms=CmsSettings(**v["cms"].values) if "cms" in v else None,
        help_page=(v["help_page"], record.at("help_page")) if v.get("help_page") else None,
        address_form=v.get("address_form", "u"),
        villages=tuple(v.get("villages", ())),
        theme=Theme(**theme.values, where=theme.where,
                    logo_size=logo_head(paths, theme.values.get("logo")).size) if theme else None,
        sections=sections_from(v.get("sections", ()), problems),
    )


def _link_spec(record, problems: Problems) -> tuple[str, str, Location]:
    """A menu entry as (title, target, where): the target is 'page:<file>' or a URL."""
    page, url = record.get("page"), record.get("url")
    if bool(page) == bool(url):
        problems.error(record.location, "een menu-item heeft 'page' (een bestand in content/) of 'url' "
                       "(een adres), precies een van de twee.")
        return (record.get("title"), "", record.location)
    if page:
        return (record.get("title"), "page:" + page, record.at("page"))
    return (record.get("title"), url, record.at("url"))


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line number) or None when the file has no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def load_page(path: Path, paths: SitePaths, problems: Problems,
              sections: tuple[DatedSection, ...] = SECTIONS) -> SourcePage | None:
    """Read one markdown file and check its front matter (a dated section's by `sections`)."""
    name = relative_name(path, paths.root)
    rel = path.relative_to(paths.content).as_posix()
    text = read_text(path, name, problems)
    if text is None:
        return None
    if not text.strip():
        problems.error(Location(name, 1), "dit bestand is leeg. Zet er een kop met '---', 'title: ...' "
                       "en '---' in en daaronder de tekst, of haal het bestand weg.")
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.error(Location(name, 1, 1), "de kop ontbreekt. Begin het bestand met een regel '---', "
                       "dan 'title: Titel van de pagina', dan weer een regel '---'.")
        return None
    front, body, body_line = parts
    ctx = Context(name, problems, line_offset=1)
    node = compose(front, ctx)
    if node is INVALID:
        return None
    over_limits = markdown_problems(body)  # text that would take the converter too long: never converted
    for finding in over_limits:
        problems.error(Location(name, body_line + finding.line - 1, finding.column), finding.message)
    if over_limits:
        return None
    if node is None:
        problems.error(Location(name, 2, 1), "de kop is leeg. Zet er minstens 'title: Titel van de pagina' in.")
        return None
    record = front_matter_schema(rel, sections).check(node, ctx)
    if record is INVALID:
        return None
    return SourcePage(source=name, rel=rel, meta=record.values, where=record.where, body=body,
                      body_line=body_line, location=Location(name, 1, 1),
                      digest=bytes_digest(f"{name}\0{text}".encode("utf-8", "surrogatepass")),
                      placeholders=placeholders.find(text), dated=dated_key(rel, sections))


def dated_key(rel: str, sections: tuple[DatedSection, ...]) -> str:
    """The schema_key of the dated section whose folder holds content/<rel>, "" for none."""
    section = folder_section(rel, sections)
    return section.schema_key if section is not None else ""


def walk(directory: Path, odd: list[tuple[Path, str]] | None = None, listed_before: dict | None = None) -> list[Path]:
    """Every regular file below a folder, sorted, skipping hidden files and folders; never follows a link.

    What is not a regular file or a folder goes to odd (path, why) when it is given, so that the caller can
    refuse it: a symlink (to a file, a folder or nowhere), a FIFO, socket or device, a name that is not UTF-8.
    listed_before: each folder's listing of an earlier walk by its name, kept there by the folder's times
    and inode (the dev server's): a folder whose entries did not change (adding, removing, renaming or
    replacing one changes the folder's times) is not listed again (10,000 files: 0.25 s)."""
    found: list[Path] = []

    def visit(folder: str) -> None:
        files, odd_here, folders = _listed(folder, listed_before)
        found.extend(files)
        if odd is not None:
            odd.extend(odd_here)
        for below in folders:
            visit(below)

    visit(str(directory))
    return found


def _listed(folder: str, listed_before: dict | None) -> tuple[list[Path], list[tuple[Path, str]], list[str]]:
    """One folder's regular files, odd entries and folders (walk), from listed_before when unchanged."""
    key = None
    if listed_before is not None:
        try:
            info = os.stat(folder)
        except OSError:
            info = None
        if info is not None and info.st_mtime_ns <= time.time_ns() - RACY_SECONDS * 10**9:
            key = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
            before = listed_before.get(folder)
            if before is not None and before[0] == key:
                return before[1]
    listing = _list_folder(folder)
    if key is not None:
        listed_before[folder] = (key, listing)
    return listing


def _list_folder(folder: str) -> tuple[list[Path], list[tuple[Path, str]], list[str]]:
    files: list[Path] = []
    odd: list[tuple[Path, str]] = []
    folders: list[str] = []  # as os.walk: a folder's files first, then its folders
    try:
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda e: e.name)
    except OSError:
        return files, odd, folders  # a folder that cannot be listed is like os.walk's: left out
    for entry in listed:
        name = entry.name
        if name.startswith(".") or name in IGNORED_NAMES:
            continue
        why = None
        if not _valid_name(name):
            why = BAD_NAME
        elif entry.is_symlink():
            why = link_problem(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            folders.append(entry.path)
        elif entry.is_file(follow_symlinks=False):
            files.append(Path(entry.path))
        else:
            why = SPECIAL_FILE
        if why is not None:
            odd.append((Path(entry.path), why))
    return files, odd, folders


def link_problem(path: Path) -> str:
    """Why a symlink is refused, in the words that fit what it points to."""
    try:
        return SYMLINK_FOLDER if stat.S_ISDIR(os.stat(path).st_mode) else SYMLINK
    except OSError as exc:
        return SYMLINK_LOOP if exc.errno == errno.ELOOP else SYMLINK


def _valid_name(name: str) -> bool:
    """A name the file system gave as bytes that are not UTF-8 arrives with surrogates (PEP 383)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def shown_name(path: Path, root: Path) -> str:
    """relative_name, printable also for a name that is not UTF-8 (its bad bytes shown as \ufffd)."""
    return relative_name(path, root).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def linked_folder(directory: Path, root: Path) -> Path | None:
    """The folder itself, or a folder between it and the site's root, when it is a symlink; else None."""
    for folder in (directory, *directory.parents):
        if folder == root or (folder != directory and not folder.is_relative_to(root)):
            break
        if folder.is_symlink():
            return folder
    return None


def safe_files(directory: Path, paths: SitePaths, problems: Problems, listed_before: dict | None = None) -> list[Path]:
    """The regular files below a folder of the site's sources. A symlink anywhere (the folder itself
    included), a FIFO, socket or device, or a name that is not UTF-8 is an error naming it, and left out."""
    linked = linked_folder(directory, paths.root)
    if linked is not None:
        problems.error(Location(relative_name(linked, paths.root)), SYMLINK_FOLDER)
        return []
    odd: list[tuple[Path, str]] = []
    result = walk(directory, odd, listed_before)
    for path, why in odd:
        problems.error(Location(shown_name(path, paths.root)), why)
    return result


def load_pages(paths: SitePaths, problems: Problems, listing: list[Path], read_before: dict | None = None,
               used: set | None = None, sections: tuple[DatedSection, ...] = SECTIONS,
               stat=stat_key) -> tuple[list[SourcePage], set[str]]:
    """Every markdown file under content/ that could be read, and the names of those that could not.

    read_before maps a file's name, size, times and inode to the page read from it earlier: an unchanged file
    is not read and parsed again. Only pages read without any problem are kept there.
    listing: content_listing(), shared with content_files(). sections: the dated sections (site.yaml's
    too); a page read earlier under another section's schema is read again. stat: see
    read_unless_unchanged."""
    if not paths.content.is_dir():
        problems.error(Location(relative_name(paths.content, paths.root)),
                       "de map content/ ontbreekt. Maak hem aan en zet er index.md in.")
        return [], set()
    read_before = {} if read_before is None else read_before
    used = set() if used is None else used
    pages, failed = [], set()
    prefix = os.path.join(str(paths.content), "")  # the listing's paths begin with it (walk)
    for path in listing:
        name = str(path)
        if os.path.splitext(name)[1].lower() in CONTENT_SUFFIXES:
            rel = (name[len(prefix):].replace(os.sep, "/") if name.startswith(prefix)
                   else path.relative_to(paths.content).as_posix())  # (plain text: 10,000 Paths parsed cost 0.2 s)
            page = read_unless_unchanged(path, lambda: load_page(path, paths, problems, sections), problems,
                                         read_before, used,
                                         lambda before: before.dated == dated_key(rel, sections), stat)
            if page is not None:
                pages.append(page)
            else:
                failed.add(rel)
    return pages, failed


def content_listing(paths: SitePaths, problems: Problems, listed_before: dict | None = None) -> list[Path]:
    """Every file under content/, once for load_pages() and content_files(); symlinks and special files
    are reported and left out. Empty without content/ (load_pages reports that). listed_before: see walk."""
    return safe_files(paths.content, paths, problems, listed_before) if paths.content.is_dir() or paths.content.is_symlink() else []


def template_digest(paths: SitePaths) -> str:
    """A hash of every template the site can use, so rendered pages are reused only with the same templates.

    A symlink or special file among them is refused (jinja2 would follow the one and wait for ever on the other)."""
    templates = []
    for folder in paths.templates:
        problems = Problems()
        files = safe_files(folder, paths, problems)
        if problems.errors:
            raise ContentError(problems.errors)
        templates += [(path.relative_to(folder).as_posix(), path.read_bytes()) for path in files]
    return digest(*templates)



