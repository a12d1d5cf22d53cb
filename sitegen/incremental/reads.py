"""What a render step read of the site, recorded while it runs: the step's cache key (Salsa's way).

A render step (a page, the listings, the agenda, the feeds ...) gets the site as a `SiteView`: it reads
like the `Site` it wraps and returns the same values, and it notes each read as a path:

    ("site", "menu")            a field of the site (base_url, now, menu, events, feeds, static_urls ...)
    ("config", "title")         a setting of site.yaml
    ("pages",)                  which pages there are, in order (iterating site.pages)
    ("page", url, "title")      one field of one page (pages come as `PageView`s that record each field)
    ("url", url)                whether the site has a page at url (site.page_by_url)
    ("section", name)           which pages a section lists, in order (site.section_pages)
    ("derived", "module:name")  a value worked out from the whole site (site.derive(function))
    ("templates",)              the templates (one digest for all of them)

So a page that never reads `now` does not depend on the date, and a template that looks up the
/volgen/ page depends on that page's title and URL without any key naming it. `Fingerprints` gives
each path's current fingerprint on a site (the value itself for a short text or number, else a hash),
worked out once a build however many steps read it; a step is reused when every path it read still has
the fingerprint it had (memo.Steps).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import fields
from itertools import compress
from operator import is_not

from ..core.hashing import digest
from ..core.model import Page, Site
from .agenda import encoded
from .store import Blob, text_key

SHORT = 80  # texts up to this length are their own fingerprint
MISSING = "!"  # the fingerprint of what is not there (a page that went)
PAGE_FIELDS = frozenset(f.name for f in fields(Page))
SEPARATOR = "\t"  # between the parts of a path kept in the cache (URLs and names hold no tab)
# The functions a step may ask for with site.derive(): the next build calls them again by these names, so
# only these (a name read from the cache is input from a stranger, never a reason to call just anything).
DERIVED = ("sitegen.render.help:help_url",)


def fingerprint(value) -> str:
    """A short text that changes when the value does: the text itself when short, else a hash."""
    kind = type(value)
    if kind is str:
        return "=" + value if len(value) <= SHORT else "#" + text_key(value)
    if kind is Blob:  # a stored text: the same fingerprint as the text it holds, without reading a long one
        return "=" + str(value) if value.size <= SHORT else "#" + value.key
    if value is None:
        return "-"
    if kind is bool:
        return "b1" if value else "b0"
    if kind is dt.date:
        return "d" + value.isoformat()
    if kind is int:
        return "i" + str(value)
    if kind is tuple and all(type(item) is str for item in value):  # tags, aliases: no pickling
        joined = "\x1f".join(value)
        if len(joined) <= SHORT:
            return f"({len(value)}" + joined
    return "#" + digest(value)


def occurrences_fingerprint(site: Site, events: str) -> str:
    """The dates of the activities: the activities' fingerprint (events), then the dates as the cache keeps
    them (incremental/agenda.encoded: per date its activity's place in site.events, and its start and end
    when they are not the activity's own, to the second with their fold; a third of the time of pickling
    every date), else (id, start, end) per date, not every activity pickled again with each of its dates."""
    if site.occurrences is None:
        return MISSING
    text = encoded(site.occurrences, site.events)
    if text is not None:
        return fingerprint(("dates", events, text))
    return fingerprint((events, tuple((o.event.id, o.start, o.end) for o in site.occurrences)))


class PageView(Page):
    """A page that notes each field read of it in its step's reads (a Page: replace() and == work)."""

    _reads = None  # a copy made by dataclasses.replace() records nothing: what it was made of was read

    def __getattribute__(self, name: str):
        if name in PAGE_FIELDS:
            reads = object.__getattribute__(self, "_reads")
            if reads is not None:
                reads.add(("page", object.__getattribute__(self, "url"), name))
        return object.__getattribute__(self, name)


def page_view(page: Page, reads: set) -> PageView:
    view = object.__new__(PageView)
    view.__dict__.update(page.__dict__)
    object.__setattr__(view, "_reads", reads)
    return view


class ConfigView:
    """site.yaml's settings, each read noted as ("config", name)."""

    __slots__ = ("_config", "_reads")

    def __init__(self, config, reads: set) -> None:
        self._config, self._reads = config, reads

    def __getattr__(self, name: str):
        value = getattr(self._config, name)
        self._reads.add(("config", name))
        return value


class SiteView:
    """The site as one render step sees it: the same values, every read noted in `reads`.

    derived: the values of site.derive(function) this build, shared by the steps (worked out once)."""

    __slots__ = ("_site", "_reads", "_pages", "_derived", "config")

    def __init__(self, site: Site, reads: set, derived: dict | None = None) -> None:
        self._site, self._reads, self._derived = site, reads, {} if derived is None else derived
        self._pages: dict[str, PageView] = {}
        self.config = ConfigView(site.config, reads)

    def __getattr__(self, name: str):
        value = getattr(self._site, name)
        self._reads.add(("site", name))
        return value

    @property
    def reads(self) -> set:
        return self._reads

    @property
    def pages(self) -> tuple[PageView, ...]:
        self._reads.add(("pages",))
        return tuple(self._view(page) for page in self._site.pages)

    def page_by_url(self, url: str) -> PageView | None:
        self._reads.add(("url", url))
        page = self._site.page_by_url(url)
        return None if page is None else self._view(page)

    def section_pages(self, section: str) -> list[PageView]:
        self._reads.add(("section", section))
        return [self._view(page) for page in self._site.section_pages(section)]

    def derive(self, function):
        name = f"{function.__module__}:{function.__qualname__}"
        if name not in DERIVED:
            raise ValueError(f"{name}: add it to reads.DERIVED to derive it from the site")
        self._reads.add(("derived", name))
        if name not in self._derived:
            self._derived[name] = function(self._site)
        return self._derived[name]

    def _view(self, page: Page) -> PageView:
        view = self._pages.get(page.url)
        if view is None:
            view = self._pages[page.url] = page_view(page, self._reads)
        return view


_OF_A_PAGE = ("page", "url")  # the kinds of path that follow from one page alone (by its URL, parts[1])


def _site_value(path: str, site: Site):
    kind, _, name = path.partition(SEPARATOR)
    return getattr(site, name, None) if kind == "site" else None


def _same_value(path: str, old: Site, new: Site) -> bool:
    """Whether a path of the site's own values ("site", name) has the very value it had (then its fingerprint
    too: the site's values are immutable); the activities' dates also need the same activities (their
    fingerprint is part of theirs). The dev server's rebuild after a page edit keeps them (incremental/agenda.py)."""
    value = _site_value(path, old)
    if value is None or value is not _site_value(path, new):
        return False
    return not path.endswith(SEPARATOR + "occurrences") or old.events is new.events


_SECTION = "section" + SEPARATOR
PLACES_COMPARED = 64  # more pages differ in place: a page came or went before them, found by identity instead


def _changed_pages(old: tuple[Page, ...], new: tuple[Page, ...]) -> list[Page]:
    """The pages that are in one of the two but not as the very same object in the other (an equal page
    counts: _take_over compares those). Any other page has the URL and the value it had; and a section none
    of these is in lists the same pages in the same order (site.section_pages: the unchanged pages keep
    their order and sort keys). Compared by identity, in C as far as it goes: at 10,000 pages a save took
    0.6 ms here, where comparing the page at every URL took 3 ms, and grouping and sorting every page into
    its section again 15 ms (one section: 1.5 ms)."""
    if len(old) == len(new):  # a save that added or removed no page: compared place by place (0.3 ms)
        places = list(compress(range(len(old)), map(is_not, old, new)))
        if len(places) <= PLACES_COMPARED:
            return [old[place] for place in places] + [new[place] for place in places]
    old_ids, new_ids = set(map(id, old)), set(map(id, new))
    gone, came = old_ids - new_ids, new_ids - old_ids
    return [*compress(old, map(gone.__contains__, map(id, old))), *compress(new, map(came.__contains__, map(id, new)))]


def _same(old: Page | None, new: Page | None) -> bool:
    return old is new or (old is not None and new is not None and old == new)


class Fingerprints:
    """The current fingerprint of each path on one site, each worked out once (paths as kept: text).

    previous: the Fingerprints of the build before in this process (the dev server keeps its cache in
    memory): the fingerprints of the fields of each page that is equal to the one it had then, and of
    whether there is a page at its URL, are taken over, not worked out again; so a rebuild after one
    page's edit fingerprints that page's fields, not every field of every page. A page's fields are its
    whole value (dataclass equality; their types are fixed by the front matter's schema), so an equal page
    has equal fingerprints. Everything else (the settings, the site's other fields, sections, derived
    values) is few paths, worked out again each build. previous is used up: its memory becomes this one's."""

    def __init__(self, site: Site, templates: str = "", derived: dict | None = None,
                 previous: "Fingerprints | None" = None) -> None:
        self.site, self.templates = site, templates
        self.derived = {} if derived is None else derived
        self._known: dict[str, str] = {}
        self._by_page: dict[str, list[str]] = {}  # url -> the paths of that page in _known (fields, "url")
        self._other: list[str] = []  # the other paths in _known
        self._before: dict[str, str] = {}  # the paths dropped from previous, with their fingerprint then
        # The steps found unchanged or made in the build before: name -> (their reads, where the paths start)
        self._vouched: dict[str, tuple[list, int]] = {}
        self._noted: dict[str, tuple[list, int]] = {}  # the same, this build
        self._readers: dict[str, set] = {}  # path -> the steps (in _indexed) that read it
        self._indexed: dict[str, list] = {}  # the steps in _readers, with the reads they were indexed by
        self._suspects: set | None = None  # the vouched steps that read a path whose fingerprint changed
        if previous is not None:
            self._take_over(previous)

    def _take_over(self, previous: "Fingerprints") -> None:
        """previous's fingerprints, less those of the pages that are not what they were and the rest."""
        known, by_page = self._known, self._by_page = previous._known, previous._by_page
        before, old_site, site = self._before, previous.site, self.site
        changed = _changed_pages(old_site.pages, site.pages)
        touched = {page.section for page in changed}
        for path in previous._other:
            if _same_value(path, old_site, site) or (path.startswith(_SECTION) and path[len(_SECTION):] not in touched):
                self._other.append(path)
            else:
                before[path] = known.pop(path)
        previous._known, previous._by_page, previous._other = {}, {}, []
        gone = [url for url in {page.url for page in changed}
                if url in by_page and not _same(old_site.page_by_url(url), site.page_by_url(url))]
        for url in gone:
            for path in by_page.pop(url):
                before[path] = known.pop(path)
        self._vouched, self._readers, self._indexed = previous._noted, previous._readers, previous._indexed
        previous._noted, previous._readers, previous._indexed = {}, {}, {}

    def __call__(self, path: str) -> str:
        found = self._known.get(path)
        if found is None:
            parts = path.split(SEPARATOR)
            found = self._known[path] = self._resolve(parts)
            if parts[0] in _OF_A_PAGE and len(parts) > 1:
                self._by_page.setdefault(parts[1], []).append(path)
            else:
                self._other.append(path)
        return found

    def _resolve(self, parts: list[str]) -> str:
        kind, site = parts[0], self.site
        if kind == "page":
            page = site.page_by_url(parts[1])
            return MISSING if page is None or parts[2] not in PAGE_FIELDS else fingerprint(getattr(page, parts[2]))
        if kind == "config":
            return fingerprint(getattr(site.config, parts[1], MISSING))
        if kind == "site":
            if parts[1] == "occurrences":
                return occurrences_fingerprint(site, self("site" + SEPARATOR + "events"))
            return fingerprint(getattr(site, parts[1], MISSING))
        if kind == "pages":
            return fingerprint(tuple(page.url for page in site.pages))
        if kind == "url":
            return fingerprint(site.page_by_url(parts[1]) is not None)
        if kind == "section":
            return fingerprint(tuple(page.url for page in site.section_pages(parts[1])))
        if kind == "templates":
            return fingerprint(self.templates)
        if kind == "derived":
            return self._derived(parts[1])
        return MISSING

    def _derived(self, name: str) -> str:
        if name not in self.derived:
            if name not in DERIVED:
                return MISSING
            module, _, function = name.partition(":")
            self.derived[name] = getattr(importlib.import_module(module), function)(self.site)
        return fingerprint(self.derived[name])

    def record(self, reads: set) -> list[str]:
        """The reads of a step as the cache keeps them: path, fingerprint, path, fingerprint ..."""
        kept = []
        for path in sorted(reads):
            text = SEPARATOR.join(path)
            kept += (text, self(text))
        return kept

    def unchanged(self, name: str, kept: list, start: int = 0) -> bool:
        """still(kept, start) for the step called name, without looking at its reads when the build before
        found it unchanged (or made it) with these same reads (the same list) and none of the paths it
        read has another fingerprint now: a rebuild after one page's edit checks the steps that read that
        page, not every step (the dev server; a step the build before did not check is checked whole)."""
        vouched = self._vouched.get(name)
        if vouched is not None and vouched[0] is kept and name not in self._suspected():
            self._noted[name] = vouched
            return True
        if self.still(kept, start):
            self.note(name, kept, start)
            return True
        return False

    def note(self, name: str, kept: list, start: int = 0) -> None:
        """The step called name read kept[start:] (path, fingerprint, ...) and is up to date in this build.
        Only noted: the index of its reads by path is made by the next build in this process, if there is
        one (_index), so a one-off build (build.py) never makes it."""
        self._noted[name] = (kept, start)

    def _index(self) -> None:
        """Index by path the reads of the steps the build before noted and the index lacks (or has with
        other reads): a rebuild after one edit indexes the few steps that build made again."""
        readers, indexed = self._readers, self._indexed
        for name, (kept, start) in self._vouched.items():
            if indexed.get(name) is not kept:
                indexed[name] = kept
                for path in kept[start::2]:
                    found = readers.get(path)
                    if found is None:
                        readers[path] = {name}
                    else:
                        found.add(name)

    def _suspected(self) -> set:
        """The steps vouched for that read a path whose fingerprint changed since the build before."""
        if self._suspects is None:
            self._index()
            readers, none = self._readers, frozenset()
            self._suspects = set().union(*(readers.get(path, none) for path, was in self._before.items()
                                           if self(path) != was))
            self._before = {}
        return self._suspects

    def still(self, kept: list[str], start: int = 0) -> bool:
        """Whether every path read (kept[start:]: path, fingerprint, ...) still has the fingerprint it had."""
        known = self._known
        found = list(map(known.get, kept[start::2]))  # in C: most steps' paths are all known already
        if found == kept[start + 1::2]:
            return True
        if None not in found:
            return False
        for index in range(start, len(kept), 2):
            found = known.get(kept[index])
            if found is None:
                found = self(kept[index])
            if found != kept[index + 1]:
                return False
        return True
