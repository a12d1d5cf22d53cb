"""The incremental engine: per-page work (Markdown conversion, editor hints) cached and run in parallel.

Converting Markdown is most of a cold build, so a page's conversion is kept in a persistent cache
(.cache/ in the site) under a hash of its source. A conversion also depends on where its links lead;
the engine records every link and image lookup the page made and reuses the cached result only when
each lookup still gives the same answer now. That makes the cache exact: a cached build gives the
same bytes as a clean one (tests/test_cache.py proves it on random edit sequences).
Cache misses are converted across all cores when there are enough of them to pay for the processes.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace

from ..core.hashing import digest
from .cache import BuildCache
from ..source.lint import lint_page
from ..source.markdown import Conversion, MarkdownConverter
from ..core.model import SourcePage
from .parallel import chunks, die_with_parent, pool
from .store import text_blob, text_key
from ..core.urls import href, resolve_relative

PARALLEL_THRESHOLD = 48  # below this many misses a process pool costs more than it saves


@dataclass(frozen=True)
class LinkContext:
    """Everything a page's links can lead to: the one place that turns a link target into a URL."""

    urls_by_rel: dict[str, str]
    asset_urls: dict[str, str]
    image_sizes: dict[str, tuple[int, int]]
    base: str

    def site_url(self, rel: str, target: str) -> str | None:
        """The site URL of a link written in content/<rel>, or None when it leads nowhere."""
        path, _, fragment = target.partition("#")
        if not path:
            return target
        if path.startswith("/"):
            return target  # a site path such as /agenda/: checked against the written output
        found_rel = resolve_relative(rel, path)
        if found_rel.startswith("../") or found_rel == "..":
            return None
        if found_rel.endswith("/"):
            found_rel = found_rel.rstrip("/") + "/index.md"
        found = self.urls_by_rel.get(found_rel) or self.asset_urls.get(found_rel)
        if found is None and found_rel + "/index.md" in self.urls_by_rel:
            found = self.urls_by_rel[found_rel + "/index.md"]
        if found is None:
            return None
        return found + ("#" + fragment if fragment else "")

    @functools.cached_property
    def answers_digest(self) -> str:
        """Equal digests mean every lookup gives the same answer (so no need to ask them again)."""
        return digest(self.base, repr(sorted(self.urls_by_rel.items())), repr(sorted(self.asset_urls.items())),
                      repr(sorted(self.image_sizes.items())))

    def resolve(self, rel: str, target: str) -> str | None:
        url = self.site_url(rel, target)
        return None if url is None else href(self.base, url)

    def size(self, rel: str, target: str) -> tuple[int, int] | None:
        return self.image_sizes.get(resolve_relative(rel, target.partition("#")[0]))


def _conversion_key(rel: str, body, base: str) -> str:
    return digest("convert", rel, base, text_key(body))  # a stored body is not read for its key


def _hint_key(source: SourcePage) -> str:
    if source.digest:  # the page follows from its file's name and text: no need to hash it again
        return digest("hints", source.digest)
    return digest("hints", source.source, repr(sorted(source.meta.items())), repr(sorted(source.where.items())),
                  str(source.body_line), str(source.body))


def _convert_one(converter: MarkdownConverter, item: tuple[str, str], links: LinkContext):
    """Convert one (rel, body), recording every lookup it made."""
    rel, body = item[0], str(item[1])
    lookups: dict[tuple[str, str], object] = {}

    def resolve(target: str):
        lookups[("resolve", target)] = answer = links.resolve(rel, target)
        return answer

    def size(target: str):
        lookups[("size", target)] = answer = links.size(rel, target)
        return answer

    return lookups, converter.convert(body, resolve, size)


def _still_valid(lookups: dict, rel: str, links: LinkContext) -> bool:
    for (kind, target), answer in lookups.items():
        now = links.resolve(rel, target) if kind == "resolve" else links.size(rel, target)
        if now != answer:
            return False
    return True


# Worker processes get the link context once, through the pool initializer, not with every page.
_worker: dict = {}


def _init_worker(parent: int, links: LinkContext) -> None:
    die_with_parent(parent)
    _worker["links"] = links
    _worker["converter"] = MarkdownConverter()


def _convert_chunk(items: list[tuple[str, str]]):
    return [_convert_one(_worker["converter"], item, _worker["links"]) for item in items]


def _hint_chunk(sources: list[SourcePage]):
    return [lint_page(s) for s in sources]


def _pool(links: LinkContext | None, workers: int):
    return pool(workers, initializer=_init_worker, initargs=(os.getpid(), links))


def convert_pages(sources: list[SourcePage], links: LinkContext, cache: BuildCache,
                  workers: int) -> dict[str, Conversion]:
    """Every page's conversion by its path under content/."""
    conversions = convert_bodies([(s.rel, s.body) for s in sources], links, cache, workers)
    return {s.rel: conversion for s, conversion in zip(sources, conversions)}


def convert_bodies(items: list[tuple[str, str]], links: LinkContext, cache: BuildCache,
                   workers: int) -> list[Conversion]:
    """The conversion of each (rel, markdown) pair, from the cache where still valid, else computed
    (in parallel if it pays). rel is the file the text is in, which relative links start from."""
    results: list[Conversion | None] = []
    misses: list[tuple[int, str, tuple[str, str]]] = []
    for item in items:
        key = _conversion_key(item[0], item[1], links.base)
        entry = cache.conversions.get(key)
        if entry is not None and (entry[2] == links.answers_digest or _still_valid(entry[0], item[0], links)):
            results.append(entry[1])  # its stored texts read through the cache's store (BuildCache.load)
            if entry[2] != links.answers_digest:
                cache.conversions[key] = (entry[0], entry[1], links.answers_digest)
                cache.changed.add(("conversions", key))
            cache.used.add(key)
        else:
            misses.append((len(results), key, (item[0], str(item[1]))))  # the text itself, for a worker
            results.append(None)
    if workers > 1 and len(misses) >= PARALLEL_THRESHOLD:
        with _pool(links, workers) as executor:
            parts = chunks([item for _, _, item in misses], workers * 4)
            computed = [done for part in executor.map(_convert_chunk, parts) for done in part]
    elif misses:
        converter = MarkdownConverter()
        computed = [_convert_one(converter, item, links) for _, _, item in misses]
    else:
        computed = []
    for (index, key, _), (lookups, conversion) in zip(misses, computed):
        # The bulky strings go to the store; the cache keeps references (see store.py).
        conversion = replace(conversion, html=text_blob(cache.store, conversion.html),
                             text=text_blob(cache.store, conversion.text))
        cache.conversions[key] = (lookups, conversion, links.answers_digest)
        cache.used.add(key)
        results[index] = conversion
    return results


def hint_pages(sources: list[SourcePage], cache: BuildCache, workers: int) -> list:
    """Editor hints (warnings) for every page, cached by the page's source."""
    problems = []
    misses = []
    for source in sources:
        key = _hint_key(source)
        if key in cache.hints:
            problems.extend(cache.hints[key])
            cache.used.add(key)
        else:
            misses.append((key, source))
    if workers > 1 and len(misses) >= PARALLEL_THRESHOLD:
        with _pool(None, workers) as executor:
            computed = [item for part in executor.map(_hint_chunk, chunks([s for _, s in misses], workers * 4))
                        for item in part]
    else:
        computed = [lint_page(s) for _, s in misses]
    for (key, _), found in zip(misses, computed):
        cache.hints[key] = found
        cache.used.add(key)
        problems.extend(found)
    return problems
