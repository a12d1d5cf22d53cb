"""The only module that reads the site's sources: site.yaml, content/, and the files beside them."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from ..core.paths import SitePaths
from ..core.errors import ContentError, Location, Problem, Problems, relative_name
from ..core.hashing import bytes_digest, digest
from ..core.model import CmsSettings, Contact, FeedSettings, Helpline, Partner, SiteConfig, SourcePage, Theme
from . import placeholders
from .schemas import SITE, front_matter_schema
from .yamlschema import INVALID, Context, compose

MAX_FILE_BYTES = 2 * 1024 * 1024  # a page or list larger than this is a mistake, not content
CONTENT_SUFFIXES = {".md"}
DATA_SUFFIXES = {".yaml", ".yml"}
IGNORED_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep"}
SPECIAL_FILE = ("dit is geen gewoon bestand maar bijvoorbeeld een pipe of een apparaat; het wordt niet "
                "gelezen en overgeslagen. Haal het weg of zet er een gewoon bestand voor in de plaats.")
SYMLINK_LOOP = ("dit is een snelkoppeling (symlink) die in een kring naar zichzelf wijst. Haal de "
                "snelkoppeling weg, of laat hem naar een echt bestand wijzen.")
BAD_NAME = ("de naam van dit bestand of deze map is geen geldige tekst (geen UTF-8). Geef het een nieuwe "
            "naam met gewone letters en cijfers.")


def read_text(path: Path, name: str, problems: Problems) -> str | None:
    """UTF-8 text with any BOM dropped and line endings made \\n; None (and a problem) if unreadable."""
    try:
        # Without blocking, and only a regular file: a FIFO or device in its place would hang the build.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
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
        if exc.errno == errno.ELOOP:
            problems.error(Location(name), SYMLINK_LOOP)
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
    if not paths.config.is_file():
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
        theme=Theme(**theme.values, where=theme.where) if theme else None,
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


def load_page(path: Path, paths: SitePaths, problems: Problems) -> SourcePage | None:
    """Read one markdown file and check its front matter."""
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
    if node is None:
        problems.error(Location(name, 2, 1), "de kop is leeg. Zet er minstens 'title: Titel van de pagina' in.")
        return None
    record = front_matter_schema(rel).check(node, ctx)
    if record is INVALID:
        return None
    return SourcePage(source=name, rel=rel, meta=record.values, where=record.where, body=body,
                      body_line=body_line, location=Location(name, 1, 1),
                      digest=bytes_digest(f"{name}\0{text}".encode("utf-8", "surrogatepass")),
                      placeholders=placeholders.find(text))


def walk(directory: Path, odd: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Every file below a folder, sorted, skipping hidden files and folders (symlinked folders are not followed).

    Never lists what cannot be read as a file: a FIFO, socket or device, or a name that is not UTF-8;
    those go to odd (path, why) when it is given, so that the caller can say so."""
    found: list[Path] = []

    def visit(folder: str) -> None:
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            return  # a folder that cannot be listed is like os.walk's: left out
        folders = []  # as os.walk: a folder's files first, then its folders
        for entry in listed:
            name = entry.name
            if name.startswith(".") or name in IGNORED_NAMES:
                continue
            if not _valid_name(name):
                if odd is not None:
                    odd.append((Path(entry.path), BAD_NAME))
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_symlink():
                try:
                    mode = os.stat(entry.path).st_mode
                except OSError:
                    found.append(Path(entry.path))  # broken or a loop: reading it says which
                    continue
                if stat.S_ISREG(mode):
                    found.append(Path(entry.path))
                elif not stat.S_ISDIR(mode) and odd is not None:  # symlinked folders: not followed
                    odd.append((Path(entry.path), SPECIAL_FILE))
            elif entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
            elif odd is not None:
                odd.append((Path(entry.path), SPECIAL_FILE))
        for folder in folders:
            visit(folder)

    visit(str(directory))
    return found


def _valid_name(name: str) -> bool:
    """A name the file system gave as bytes that are not UTF-8 arrives with surrogates (PEP 383)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def shown_name(path: Path, root: Path) -> str:
    """relative_name, printable also for a name that is not UTF-8 (its bad bytes shown as �)."""
    return relative_name(path, root).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def inside(path: Path, root: Path) -> bool:
    """Whether a path, after following symlinks, stays within root."""
    if not path.is_symlink() and not any(parent.is_symlink() for parent in path.parents
                                         if len(parent.parts) > len(root.parts)):
        return True  # walk() does not follow symlinked folders, so only links can lead out
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (before Python 3.13)
        return False


def safe_files(directory: Path, paths: SitePaths, problems: Problems, allowed_root: Path | None = None) -> list[Path]:
    """The files of walk(), minus symlinks that lead out of the site (each reported as an error)."""
    root = allowed_root or paths.root
    # walk() does not enter symlinked folders, so below a folder that is not itself reached through a
    # symlink only a file that is a link can lead out: one lstat per file instead of one per parent.
    linked_folder = any(p.is_symlink() for p in (directory, *directory.parents) if len(p.parts) > len(root.parts))
    result = []
    odd: list[tuple[Path, str]] = []
    for path in walk(directory, odd):
        if (not linked_folder and not os.path.islink(path)) or inside(path, root):
            result.append(path)
        elif _loops(path):
            problems.error(Location(relative_name(path, paths.root)), SYMLINK_LOOP)
        else:
            problems.error(Location(relative_name(path, paths.root)),
                           "dit bestand is een snelkoppeling (symlink) naar een plek buiten de site. "
                           "Zet het echte bestand in de site, of haal de snelkoppeling weg.")
    for path, why in odd:
        if why == BAD_NAME:  # it cannot be named in a URL or a message: the editor must rename it
            problems.error(Location(shown_name(path, paths.root)), why)
        else:
            problems.warn(Location(relative_name(path, paths.root)), why)
    return result


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


# A file changed within this many seconds of being read may change again within the same clock tick,
# unseen by its size and times; such a file is read again next time instead of trusted (as git does).
RACY_SECONDS = 2


def stat_key(path: Path) -> tuple | None:
    """What tells an unchanged file apart (name, size, times, inode); None when it is too new to trust."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if stat.st_mtime_ns > time.time_ns() - RACY_SECONDS * 10**9:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def read_unless_unchanged(path: Path, read, problems: Problems, read_before: dict, used: set,
                          still_valid=lambda value: True):
    """What read() gave for this file earlier, when the file is unchanged (stat_key) and the value
    still_valid; else read() now, kept for next time when it reported no problem. The key goes in used."""
    key = stat_key(path)
    value = read_before.get(key) if key is not None else None
    if value is None or not still_valid(value):
        before = len(problems.items)
        value = read()
        if value is not None and key is not None and len(problems.items) == before:
            read_before[key] = value
    if key in read_before:
        used.add(key)
    return value


def load_pages(paths: SitePaths, problems: Problems, listing: list[Path], read_before: dict | None = None,
               used: set | None = None) -> tuple[list[SourcePage], set[str]]:
    """Every markdown file under content/ that could be read, and the names of those that could not.

    read_before maps a file's name, size, times and inode to the page read from it earlier: an unchanged file
    is not read and parsed again. Only pages read without any problem are kept there.
    listing: content_listing(), shared with content_files()."""
    if not paths.content.is_dir():
        problems.error(Location(relative_name(paths.content, paths.root)),
                       "de map content/ ontbreekt. Maak hem aan en zet er index.md in.")
        return [], set()
    read_before = {} if read_before is None else read_before
    used = set() if used is None else used
    pages, failed = [], set()
    for path in listing:
        if path.suffix.lower() in CONTENT_SUFFIXES:
            page = read_unless_unchanged(path, lambda: load_page(path, paths, problems), problems, read_before, used)
            if page is not None:
                pages.append(page)
            else:
                failed.add(path.relative_to(paths.content).as_posix())
    return pages, failed


def content_listing(paths: SitePaths, problems: Problems) -> list[Path]:
    """Every file under content/, once for load_pages() and content_files(); symlinks that lead out of
    the site are reported and left out. Empty without content/ (load_pages reports that)."""
    return safe_files(paths.content, paths, problems) if paths.content.is_dir() else []


def template_digest(paths: SitePaths) -> str:
    """A hash of every template the site can use, so rendered pages are reused only with the same templates."""
    templates = []
    for folder in paths.templates:
        odd: list[tuple[Path, str]] = []
        files = walk(folder, odd)
        if odd:  # jinja2 would open such a template and wait for ever
            raise ContentError([Problem(Location(shown_name(path, paths.root)), why) for path, why in odd])
        templates += [(path.relative_to(folder).as_posix(), path.read_bytes()) for path in files]
    return digest(*templates)



