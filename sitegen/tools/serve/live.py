"""The served state of `build.py serve`: the last good build in memory, the latest problems, and a version
that rises with each rebuild so that open tabs know when to reload.

A failed rebuild keeps the last good files, so the rest of the site goes on serving while an editor fixes
the mistake. The build cache lives here, in memory, between rebuilds.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import threading
import time
import traceback
from dataclasses import dataclass, field

from ...core.errors import ContentError, Problem
from ...core.options import BuildOptions
from ...core.paths import site_paths
from ...core.urls import output_path
from ...incremental.cache import BuildCache
from ...pipeline import STAT_KEYS, STAT_UNSURE, generate
from ...source.files import cms_dist
from ...source.unchanged import changed_since
from .preview import warnings_panel

SETTLE_SECONDS = 0.3  # a rebuild that fails is tried once more after this pause (a file saved in two steps)
FULL_COLLECTION_NEVER = 1 << 30  # a rebuild's own collections: the young objects only (see LiveSite.tidy)
TIDY_EVERY = 8  # rebuilds without a quiet moment (a program that saves every second) before tidying anyway
# A request made during a rebuild waits this long for it, then gets the last build: a template change at
# 10,000 pages takes longer, and a browser (or a client with a timeout of its own) should not hang on it;
# the page's reload script brings the new build once it is there.
REBUILD_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class Snapshot:
    """One build as served: files by output path, and the problems of the latest attempt (if it failed)."""

    files: dict[str, bytes] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)  # output path -> file on disk
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    bug: str | None = None
    folders: tuple[str, ...] = ()  # the folders those files were found in; served only from inside them
    pages: tuple = ()  # the site's pages: which file each page was made from (its warnings come first)
    # source file -> its panel, made when asked; not an argument, so dataclasses.replace() (a failed
    # rebuild's snapshot, with other warnings) starts with none instead of sharing the last build's
    panels: dict[str | None, bytes] = field(default_factory=dict, init=False, repr=False, compare=False)

    @functools.cached_property
    def sources(self) -> dict[str, str]:
        """Output path -> the file under content/ that page was made from: worked out at the first request."""
        return {output_path(page.url): page.source for page in self.pages}

    def panel(self, path: str) -> bytes:
        """The warnings panel the page at this output path is served with: made once per file a build."""
        source = self.sources.get(path)
        if source not in self.panels:
            self.panels[source] = warnings_panel(self.warnings, source)
        return self.panels[source]

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.bug is not None


class LiveSite:
    """The served state: the last good build, the latest problems, and a version that rises on each rebuild."""

    def __init__(self, options: BuildOptions, log=print):
        self.options = options
        self.log = log
        self.snapshot = Snapshot()
        self.cache = BuildCache()  # the incremental engine's memory, kept between rebuilds
        self.version = 0
        self.untidy = 0  # rebuilds since the last tidy()
        self.uncollected = 0  # rebuilds since the last full collection (tidy with collect)
        self.prunable = False  # the last build succeeded: the entries it did not use can go (see tidy)
        # The warnings of the last good build (listed in the terminal) by identity: at 10,000 pages most are
        # the very objects again (the hints kept), and hashing 10,000 warnings on every save took 0.01 s.
        self.told: dict[int, Problem] = {}
        self.closing = False
        self.building = False  # a rebuild runs: requests wait for it (see settled)
        self.changed = threading.Condition()

    def rebuild(self, saved: frozenset[str] | None = None) -> Snapshot:
        """Generate the site; keep the last good files when the content has errors. saved: the files the
        watcher saw change since the last rebuild (the others are taken as they were, see missed()); None:
        any file may have changed."""
        with self.changed:
            self.building = True
        try:
            snapshot = self._rebuild(saved)
        finally:
            with self.changed:
                self.building = False
                self.changed.notify_all()
        gc.freeze()  # see tidy()
        self.untidy += 1
        if self.untidy >= TIDY_EVERY:  # never a pause to tidy in: memory would only grow
            self.tidy()
        return snapshot

    def settled(self) -> Snapshot:
        """The build to answer a request with: during a rebuild the one it makes (the page an editor just
        saved, not the one before), waited for up to REBUILD_WAIT_SECONDS. A waiting request does no work,
        so a browser asking again and again does not slow the rebuild down (at 10,000 pages, a page asked
        for every 10 ms made a rebuild a third slower: the handler threads took turns with it)."""
        with self.changed:
            self.changed.wait_for(lambda: not self.building or self.closing, REBUILD_WAIT_SECONDS)
            return self.snapshot

    def missed(self) -> bool:
        """Whether a page file changed that the last rebuild took as it was: a change the watcher did not
        report (an event lost, a file system that sends none). The watcher asks once the files are quiet,
        and then rebuilds with every file looked at (0.05 s at 10,000 pages, while no one waits)."""
        return bool(changed_since(self.cache.memory.get(STAT_KEYS, {}), self.cache.memory.get(STAT_UNSURE, {})))

    def _rebuild(self, saved: frozenset[str] | None = None) -> Snapshot:
        started = time.perf_counter()
        try:
            result = self._generate_settled(dataclasses.replace(self.options, changed=saved))
        except ContentError as exc:
            snapshot = dataclasses.replace(self.snapshot, problems=exc.problems, warnings=exc.warnings, bug=None)
            self.log(f"{len(exc.problems)} {'fout' if len(exc.problems) == 1 else 'fouten'}: de browser toont ze. "
                     "De vorige versie van de site blijft bewaard.")
            for problem in exc.problems:
                self.log("  " + problem.format())
        except Exception as exc:  # a bug in the generator or a template: show it, keep serving
            detail = traceback.format_exc()
            snapshot = dataclasses.replace(self.snapshot, problems=[], warnings=[],
                                           bug=f"{type(exc).__name__}: {exc}\n\n{detail}")
            self.log(f"Programmafout: {type(exc).__name__}: {exc}")
        else:
            files = {o.path: o.data for o in result.outputs}
            assets = {output_path(a.url): a.source_path for a in result.site.assets}
            snapshot = Snapshot(files, assets, [], result.warnings, folders=self._asset_folders(),
                                pages=result.site.pages)
            count = len(result.warnings)
            self.log(f"Gebouwd in {time.perf_counter() - started:.2f} s: {len(result.site.pages)} pagina's"
                     + (f", {count} {'waarschuwing' if count == 1 else 'waarschuwingen'} (ook bovenaan elke "
                        "pagina in de browser)" if count else "") + ".")
            self._tell(result.warnings)
        with self.changed:
            self.snapshot = snapshot
            self.version += 1
            self.building = False
            self.changed.notify_all()
        return snapshot

    def _tell(self, warnings: list[Problem]) -> None:
        """List the warnings that were not there at the last good build, and count the others: at 10,000
        pages thousands of warnings listed again on every save hid the one the editor just caused."""
        told = self.told
        new = _not_told(warnings, told)
        for warning in new:
            self.log("  " + warning.format())
        known = len(warnings) - len(new)
        if known == 1:
            self.log("  En 1 waarschuwing die hier al eerder stond.")
        elif known:
            self.log(f"  En {known} waarschuwingen die hier al eerder stonden.")
        self.told = {id(warning): warning for warning in warnings}  # holds them: their ids stay theirs

    def tidy(self, waiting=lambda: False, collect: bool = True) -> None:
        """Forget the cache entries the last build did not use (when it succeeded: a failed one did not get
        to all it needs), drop the stored texts and files no cache entry refers to any more, and collect the
        garbage in cycles the rebuilds since the last collection left; the server calls it when no one waits
        (watch.Rebuilder, once the files have been quiet for a while). Pruning looks at every entry (0.13 s
        of a rebuild at 10,000 pages): until it runs, the entries of the few rebuilds since stay, which
        gives the same pages (an entry is found by the digest of its inputs).

        A rebuild makes no full collection (each went over the whole cache and site: at 10,000 pages
        that took a quarter of a rebuild), only the young objects' ones; and after it everything then alive
        is frozen (gc.freeze), so the collector no longer looks at it. What became garbage in a cycle since
        is only found by the full collection here: thawed, collected, frozen again.

        collect: also make that full collection (0.7 s at 10,000 pages, and a save cannot stop it half-way).
        The watcher asks for it only after a longer quiet (watch.COLLECT_SECONDS): collecting 2 s after each
        save made a save 2-3 s after the last one wait for it (0.25 s more on average at 10,000 pages). After
        TIDY_EVERY rebuilds without one it is made all the same (an editor who never pauses that long).

        waiting(): whether a file was saved since (a rebuild waits): then tidy stops before its next step,
        and goes on at the next quiet moment (a save that came during a tidy of 10,000 pages started
        0.15-0.5 s late)."""
        if self.untidy:
            if self.prunable:
                if waiting():
                    return
                self.cache.prune(sweep=False)
                self.prunable = False
            if waiting():
                return
            self.cache.sweep()
            self.uncollected += self.untidy
            self.untidy = 0
        if self.uncollected and (collect or self.uncollected >= TIDY_EVERY) and not waiting():
            _collect_all()
            self.uncollected = 0

    def _asset_folders(self) -> tuple[str, ...]:
        """Where the build finds the files it copies: content/, the static/ folders, the web editor's program."""
        paths = site_paths(self.options.root)
        dist = cms_dist(paths)
        return tuple(str(f) for f in (paths.content, *paths.static, *([dist] if dist else [])))

    def _generate_settled(self, options: BuildOptions):
        """generate(), read again after a short pause when it fails: an editor's program may save a file
        in two steps (empty it, then write it), and a rebuild that read it in between should not show an
        error page for a file that is fine a moment later. Without full garbage collections (see tidy)."""
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], FULL_COLLECTION_NEVER)
        self.prunable = False
        try:
            try:
                result = generate(options, cache=self.cache)
            except ContentError:
                time.sleep(SETTLE_SECONDS)
                result = generate(options, cache=self.cache)
            self.prunable = True  # pruned in tidy()
            self.cache.changed.clear()  # what save() would write again: this cache is never saved
        finally:
            gc.set_threshold(*thresholds)
        return result

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version passes `seen`, the server closes, or the timeout ends; the version then."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > seen or self.closing, timeout)
            return self.version

    def close(self) -> None:
        gc.unfreeze()
        self.untidy = self.uncollected = 0
        with self.changed:
            self.closing = True
            self.changed.notify_all()


def _collect_all() -> None:
    """A full collection, of the objects frozen since the last one too (see LiveSite.tidy)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _not_told(warnings: list[Problem], told: dict[int, Problem]) -> list[Problem]:
    """The warnings not among told (id -> warning of the build before), sorted. Most are the very objects
    again (the hints kept): found by identity. A new object is looked for among the told ones that did not
    come back as themselves (the saved page's warnings, made again), and only when not there among all."""
    fresh = [warning for warning in warnings if id(warning) not in told]
    if not fresh:
        return []
    back = {id(warning) for warning in warnings}
    gone = frozenset(warning for key, warning in told.items() if key not in back)
    everything = None
    new = []
    for warning in fresh:
        if warning in gone:
            continue
        everything = frozenset(told.values()) if everything is None else everything
        if warning not in everything:
            new.append(warning)
    return sorted(new)
