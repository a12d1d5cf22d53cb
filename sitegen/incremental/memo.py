"""Render steps reused while what they read is unchanged; the ones to make, made across all cores.
(The compiled templates kept between builds: bytecode.py.)"""

from __future__ import annotations

from operator import attrgetter
from typing import Callable

from ..core.hashing import digest
from .cache import BuildCache
from ..render.sitemap import listed_urls
from ..render.validate import missing_targets, site_links
from .parallel import RENDER_MINIMUM, fork_map
from .reads import Fingerprints, SiteView


class Steps:
    """Render steps reused while what they read is unchanged (reads.py): no step names its inputs.

    run(name, render) for one step, many(jobs) for many, the missing ones made across the workers.
    render(site, map_fn) gets the site as a SiteView that records its reads, and map_fn(function,
    items): [function(item) ...] across the workers, with what they read recorded too. A templated step
    also reads the templates, and prepare(site) is called first (it gives the templates their globals).
    The cache keeps, per step name, the paths read with their fingerprints, and the outputs.
    Without a cache (a build with --no-cache: nothing it makes is kept) nothing is recorded: every step
    gets the site itself, which gives the same values without noting each read."""

    def __init__(self, cache: BuildCache | None, site, templates: str = "", workers: int = 1,
                 prepare: Callable | None = None) -> None:
        self.cache, self.site, self.workers, self.prepare = cache, site, workers, prepare
        self.derived: dict = {}  # site.derive() values of this build, shared by every step and check
        memory = cache.memory if cache is not None else {}
        self.fingerprints = memory["fingerprints"] = Fingerprints(site, templates, self.derived,
                                                                  memory.get("fingerprints"))
        self._prepared: Callable | None = None  # the prepare() already called on the site (no cache)

    def run(self, name: str, render: Callable, templated: bool = False, arguments: tuple = ()) -> list:
        return self.many([(name, render)], templated, arguments)[0]

    def many(self, jobs: list[tuple[str, Callable]], templated: bool = False, arguments: tuple = ()) -> list:
        """render's outputs of every (name, render) job, or what it gave before when nothing it read
        changed. arguments: values a step is given besides the site (they count as read)."""
        if self.cache is None:
            return fork_map(lambda job: self._plain(job[1], templated), list(jobs), self.workers)
        extra = digest(arguments) if arguments else ""
        renders = self.cache.renders
        results: list = [None] * len(jobs)
        missing = []
        for index, (name, _) in enumerate(jobs):
            kept = renders.get(_READS + name)
            if kept is not None and kept[0] == extra and self.fingerprints.unchanged(name, kept, 1) \
                    and _STEP + name in renders:
                results[index] = renders[_STEP + name]
            else:
                missing.append(index)
        made = fork_map(lambda index: self._record(jobs[index][1], templated), missing, self.workers)
        for index, (outputs, reads) in zip(missing, made):
            name = jobs[index][0]
            renders[_READS + name] = kept = [extra, *self.fingerprints.record(reads)]
            self.fingerprints.note(name, kept, 1)
            renders[_STEP + name] = results[index] = outputs
            # replaced under its old name: saved again
            self.cache.changed.update({("renders", _READS + name), ("renders", _STEP + name)})
        self.cache.used.update(key for name, _ in jobs for key in (_READS + name, _STEP + name))
        return results

    def _plain(self, render: Callable, templated: bool) -> list:
        """render's outputs from the site itself (no view, no reads: nothing is kept to check them against)."""
        if templated and self.prepare is not None and self._prepared is not self.prepare:
            self.prepare(self.site)  # the same site for every step: its globals once
            self._prepared = self.prepare
        return render(self.site, self._map_fn(None))

    def _record(self, render: Callable, templated: bool) -> tuple[list, set]:
        reads: set = {("templates",)} if templated else set()
        view = SiteView(self.site, reads, self.derived)
        if templated and self.prepare is not None:
            self.prepare(view)
        return render(view, self._map_fn(view)), reads

    def _map_fn(self, view: SiteView | None) -> Callable:
        """map_fn for a step: its function run across the workers, their reads added to the step's."""
        def map_fn(function: Callable, items: list) -> list:
            if self.workers <= 1 or len(items) < RENDER_MINIMUM:
                return [function(item) for item in items]
            if view is None:  # nothing recorded
                return fork_map(function, items, self.workers)
            done = fork_map(lambda item: (function(item), view.reads), items, self.workers)
            for _, reads in done:
                view.reads.update(reads)
            return [result for result, _ in done]
        return map_fn

    def pure_map(self, function: Callable, arguments: list[tuple]) -> list:
        """[function(*args) for args in arguments] for a pure function: a result is kept by its function's
        name and arguments and reused for equal ones; the missing ones are made across the workers.
        The keys of the build before in this process are kept for the very same argument tuples (the dev
        server's: an unchanged page's arguments, the same tuple again, are not pickled and hashed again);
        a key is the digest of the pickled arguments, so arguments equal by == must pickle alike (texts,
        stored texts, tuples of them: not 1 beside 1.0 or True)."""
        renders = self.cache.renders if self.cache is not None else {}
        name = f"{function.__module__}.{function.__qualname__}"
        known = self.carry("keys\t" + name, _keys, name, arguments)
        keys = [known[id(args)][1] for args in arguments]
        missing = {key: args for key, args in zip(keys, arguments) if key not in renders}
        renders.update(zip(missing, fork_map(lambda args: function(*args), list(missing.values()), self.workers)))
        if self.cache is not None:
            self.cache.used.update(keys)
        return [renders[key] for key in keys]

    def carry(self, name: str, function: Callable, *arguments):
        """function(previous, *arguments), previous being what it gave under name in this process's build
        before (the dev server's; None at first, and always without a cache). For a function that brings
        its last value up to date and gives what function(None, *arguments) would: kept in memory only."""
        return carry(self.cache.memory if self.cache is not None else {}, name, function, *arguments)

    def links_of(self, pages: list, prefix: str) -> list:
        """site_links of each HTML output, kept by the output's bytes (render/validate.py)."""
        renders = self.cache.renders if self.cache is not None else {}
        keys = [("links", prefix, page.digest) for page in pages]
        missing = {key: page for key, page in zip(keys, pages) if key not in renders}
        renders.update(zip(missing, fork_map(lambda page: site_links(page.data, prefix), list(missing.values()),
                                             self.workers)))
        if self.cache is not None:
            self.cache.used.update(keys)
        return [renders[key] for key in keys]

    def listed_urls(self, site, outputs: list) -> tuple[str, ...]:
        """render/sitemap.listed_urls, or what the dev server's build before found while the files made
        (by path) and every page's aliases are the same: looking at 16,000 paths took 0.012 s a save."""
        return self.carry("listed urls", _listed, site, outputs)[2]

    def missing_links(self, pages: list, prefix: str, written: set[str]) -> list:
        """missing_targets of each HTML output's site_links (render/validate.py): what the dev server's
        build before found for the very same output while the files written are the same, links_of for
        the others. At 10,000 pages looking up every page's links by its digest and comparing them with the
        written files took 0.05-0.07 s of each rebuild after a save that changed a handful of pages."""
        found = self.carry("links\tmissing", _missing, self.links_of, pages, prefix, written)[1]
        return [found[id(page)][1] for page in pages]


def _listed(previous: tuple | None, site, outputs: list) -> tuple:
    """(the outputs' paths, the pages' aliases, listed_urls): the build before's when both are equal."""
    paths, aliases = list(map(_PATH, outputs)), list(map(_ALIASES, site.pages))
    if previous is not None and previous[0] == paths and previous[1] == aliases:
        return previous
    return paths, aliases, tuple(listed_urls(site, outputs))


_PATH, _ALIASES = attrgetter("path"), attrgetter("aliases")


def _missing(previous: tuple | None, links_of: Callable, pages: list, prefix: str, written: set[str]) -> tuple:
    """(written, {id(output): (output, its missing targets)}); the entry holds the output, so its id stays its
    own (see Steps.missing_links)."""
    kept_written, kept = previous or (None, {})
    if kept_written != written:
        kept = {}
    found, new = {}, []
    for page in pages:
        entry = kept.get(id(page))
        if entry is not None and entry[0] is page:
            found[id(page)] = entry
        else:
            new.append(page)
    for page, links in zip(new, links_of(new, prefix)):
        found[id(page)] = (page, missing_targets(links, written))
    return written, found


def carry(memory: dict, name: str, function: Callable, *arguments):
    """function(memory[name] or None, *arguments), kept as memory[name] (Steps.carry)."""
    value = function(memory.pop(name, None), *arguments)  # gone if it fails half-way
    memory[name] = value
    return value


def _keys(previous: dict | None, name: str, arguments: list[tuple]) -> dict:
    """{id(args): (args, its key for pure_map)}: digest(name, args), or the key the build before found for
    the very same tuple (a tuple's hash is not kept: looking up 16,000 search documents by their arguments
    hashed every one again). The entry holds the tuple, so its id stays its own."""
    previous = previous or {}
    found = {}
    for args in arguments:
        entry = previous.get(id(args))
        if entry is None or entry[0] is not args:
            entry = (args, digest(name, args))
        found[id(args)] = entry
    return found


_READS = "reads\t"  # a step's reads in the cache: [digest of its arguments, path, fingerprint, ...]
_STEP = "step\t"  # a step's outputs
