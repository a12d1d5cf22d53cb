"""The incremental engine: per-page work (Markdown conversion, editor hints) cached and run in parallel.

Converting Markdown is most of a cold build, so a page's conversion is kept in a persistent cache
(.cache/ in the site) under a hash of its source. A conversion also depends on where its links lead;
the engine records every link and image lookup the page made and reuses the cached result only when
each lookup still gives the same answer now. That makes the cache exact: a cached build gives the
same bytes as a clean one (tests/test_cache.py proves it on random edit sequences).
Cache misses are converted across all cores when there are enough of them to pay for the processes.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.hashing import digest
from .cache import BuildCache
from ..source.lint import lint_page
from ..source.markdown import Conversion, MarkdownConverter
from ..core.model import SourcePage
from .parallel import fork_map
from .store import text_blob, text_key
from ..source.links import LinkContext

PARALLEL_THRESHOLD = 48  # below this many misses a process pool costs more than it saves


def _conversion_key(rel: str, body_key: str, base: str) -> str:
    """Asked for every page, every build: joined, not hashed. No file name holds a NUL, nor does a text's
    key (the last part, store.text_key), so the parts can be told apart whatever the base holds."""
    return f"convert\0{rel}\0{base}\0{body_key}"


TEXT_KEYS = "text keys"  # cache.memory: {first file: {id(text): (text, its key)}} of the lists last converted
TEXT_LISTS_KEPT = 2  # a build converts two lists (the pages', the activities'): a list renamed is not kept for ever


def _known_key(text, before: dict, known: dict) -> str:
    """text_key(text); for a plain text the key the build before in this process found for the very same
    object (the dev server keeps the pages it read: hashing 11,000 texts again took 0.06 s a rebuild).
    The entry holds the text, so its id stays its own; known gets what this build asked (nothing more)."""
    if not isinstance(text, str):
        return text_key(text)
    entry = before.get(id(text))
    if entry is None or entry[0] is not text:
        entry = (text, text_key(text))
    known[id(text)] = entry
    return entry[1]


def _hint_key(source: SourcePage) -> str:
    if source.digest:  # the page follows from its file's name and text: no need to hash it again
        return "hints\t" + source.digest  # (asked three times a page, every build: no digest())
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
    if not items:
        return []
    answers = answers_digest(links, cache)
    lists = cache.memory.setdefault(TEXT_KEYS, {})  # one per list converted, named by its first file
    before, known = lists.pop(items[0][0], {}), {}
    for item in items:
        key = _conversion_key(item[0], _known_key(item[1], before, known), links.base)
        entry = cache.conversions.get(key)
        if entry is not None and (entry[2] == answers or _still_valid(entry[0], item[0], links)):
            results.append(entry[1])  # its stored texts read through the cache's store (BuildCache.load)
            if entry[2] != answers:
                cache.conversions[key] = (entry[0], entry[1], answers)
                cache.changed.add(("conversions", key))
            cache.used.add(key)
        else:
            misses.append((len(results), key, (item[0], str(item[1]))))  # the text itself, for a worker
            results.append(None)
    lists[items[0][0]] = known  # now the newest
    while len(lists) > TEXT_LISTS_KEPT:
        del lists[next(iter(lists))]
    converter = MarkdownConverter() if misses else None  # made once, inherited by the workers
    computed = fork_map(lambda item: _convert_one(converter, item, links), [item for _, _, item in misses],
                        workers, PARALLEL_THRESHOLD)
    for (index, key, _), (lookups, conversion) in zip(misses, computed):
        # The bulky strings go to the store; the cache keeps references (see store.py).
        conversion = replace(conversion, html=text_blob(cache.store, conversion.html),
                             text=text_blob(cache.store, conversion.text))
        cache.conversions[key] = (lookups, conversion, answers)
        cache.used.add(key)
        results[index] = conversion
    return results


ANSWERS_KEPT = 4  # the link contexts of the last builds whose digest is kept (a build makes two)


def answers_digest(links: LinkContext, cache: BuildCache) -> str:
    """links.answers_digest, or the one of an equal link context of an earlier build in this process (the dev
    server keeps its cache in memory): comparing the maps costs much less than sorting and hashing them."""
    what = (links.base, links.urls_by_rel, links.asset_urls, links.image_sizes)
    kept = cache.memory.setdefault("answers", [])
    for before, found in kept:
        if before == what:
            return found
    found = links.answers_digest
    kept.insert(0, ((links.base, dict(links.urls_by_rel), dict(links.asset_urls), dict(links.image_sizes)), found))
    del kept[ANSWERS_KEPT:]
    return found


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
    computed = fork_map(lint_page, [source for _, source in misses], workers, PARALLEL_THRESHOLD)
    for (key, _), found in zip(misses, computed):
        cache.hints[key] = found
        cache.used.add(key)
        problems.extend(found)
    return problems


def page_check(cache: BuildCache):
    """check(name, source, compute): compute(source), the problems one check finds in one page's text,
    kept in the cache under the page's source and the check's name (which names any setting the check
    reads: "address:u"), so a rebuild checks again only the pages whose text changed (core.errors.check_now)."""
    def check(name: str, source: SourcePage, compute) -> list:
        key = "check\t" + name + "\t" + _hint_key(source)  # a check's name holds no tab
        found = cache.hints.get(key)
        if found is None:
            found = cache.hints[key] = compute(source)
        cache.used.add(key)
        return found

    return check
