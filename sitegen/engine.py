"""The incremental engine: per-page work (Markdown conversion, editor hints) cached and run in parallel.

Converting Markdown is most of a cold build, so a page's conversion is kept in a persistent cache
(.cache/ in the site) under a hash of its source. A conversion also depends on where its links lead;
the engine records every link and image lookup the page made and reuses the cached result only when
each lookup still gives the same answer now. That makes the cache exact: a cached build gives the
same bytes as a clean one (tests/test_cache.py proves it on random edit sequences).
Cache misses are converted across all cores when there are enough of them to pay for the processes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .cache import BuildCache
from .lint import lint_page
from .markdown import Conversion, MarkdownConverter
from .model import SourcePage
from .urls import href, resolve_relative

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

    def resolve(self, rel: str, target: str) -> str | None:
        url = self.site_url(rel, target)
        return None if url is None else href(self.base, url)

    def size(self, rel: str, target: str) -> tuple[int, int] | None:
        return self.image_sizes.get(resolve_relative(rel, target.partition("#")[0]))


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _conversion_key(source: SourcePage, base: str) -> str:
    return _key("convert", source.rel, base, source.body)


def _hint_key(source: SourcePage) -> str:
    return _key("hints", source.source, repr(sorted(source.meta.items())), repr(sorted(source.where.items())),
                str(source.body_line), source.body)


def _convert_one(converter: MarkdownConverter, source: SourcePage, links: LinkContext):
    """Convert one body, recording every lookup it made."""
    lookups: dict[tuple[str, str], object] = {}

    def resolve(target: str):
        lookups[("resolve", target)] = answer = links.resolve(source.rel, target)
        return answer

    def size(target: str):
        lookups[("size", target)] = answer = links.size(source.rel, target)
        return answer

    return lookups, converter.convert(source.body, resolve, size)


def _still_valid(lookups: dict, source: SourcePage, links: LinkContext) -> bool:
    for (kind, target), answer in lookups.items():
        now = links.resolve(source.rel, target) if kind == "resolve" else links.size(source.rel, target)
        if now != answer:
            return False
    return True


# Worker processes get the link context once, through the pool initializer, not with every page.
_worker: dict = {}


def _init_worker(links: LinkContext) -> None:
    _worker["links"] = links
    _worker["converter"] = MarkdownConverter()


def _convert_chunk(sources: list[SourcePage]):
    return [_convert_one(_worker["converter"], s, _worker["links"]) for s in sources]


def _hint_chunk(sources: list[SourcePage]):
    return [lint_page(s) for s in sources]


def _chunks(items: list, count: int) -> list[list]:
    size = max(1, -(-len(items) // count))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _pool(links: LinkContext | None, workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(links,))


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def convert_pages(sources: list[SourcePage], links: LinkContext, cache: BuildCache,
                  workers: int) -> dict[str, Conversion]:
    """Every page's conversion, from the cache where still valid, else computed (in parallel if it pays)."""
    results: dict[str, Conversion] = {}
    misses: list[tuple[str, SourcePage]] = []
    for source in sources:
        key = _conversion_key(source, links.base)
        entry = cache.conversions.get(key)
        if entry is not None and _still_valid(entry[0], source, links):
            results[source.rel] = entry[1]
            cache.used.add(key)
        else:
            misses.append((key, source))
    if workers > 1 and len(misses) >= PARALLEL_THRESHOLD:
        with _pool(links, workers) as pool:
            chunks = _chunks([s for _, s in misses], workers * 4)
            computed = [item for chunk in pool.map(_convert_chunk, chunks) for item in chunk]
    else:
        converter = MarkdownConverter()
        computed = [_convert_one(converter, s, links) for _, s in misses]
    for (key, source), (lookups, conversion) in zip(misses, computed):
        cache.conversions[key] = (lookups, conversion)
        cache.used.add(key)
        results[source.rel] = conversion
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
        with _pool(None, workers) as pool:
            computed = [item for chunk in pool.map(_hint_chunk, _chunks([s for _, s in misses], workers * 4))
                        for item in chunk]
    else:
        computed = [lint_page(s) for _, s in misses]
    for (key, _), found in zip(misses, computed):
        cache.hints[key] = found
        cache.used.add(key)
        problems.extend(found)
    return problems
