"""The search index kept in the build cache (sitegen/incremental/search_keep.py): a build in a new process
after a text edit renews the last build's index instead of making every file again, and the files of
zoekindex/ are byte for byte those of a clean build; a kept state that does not fit is not used."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW
from sitegen.core import dates
from sitegen.incremental import search_keep
from sitegen.incremental.cache import BuildCache
from sitegen.pipeline import BuildOptions, build, generate
from sitegen.render import search

from test_search_state import SITE


def options(root: Path, **changes) -> BuildOptions:
    return BuildOptions(root=root, output=root / "output", now=dates.parse_now(NOW), **changes)


def index_files(outputs) -> dict[str, bytes]:
    prefix = search.INDEX_FOLDER + "/"
    return {o.path: o.data for o in outputs if o.path.startswith(prefix)}


def clean_index(root: Path) -> dict[str, bytes]:
    return index_files(generate(options(root, use_cache=False)).outputs)


def built(root: Path):
    """A build as build.py runs it: the cache loaded from disk (nothing in memory), saved after."""
    result = build(options(root))
    return result, result.cache.memory["search index"]


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_new_process_renews_the_kept_index_after_a_body_edit(make_site):
    root = make_site(SITE)
    content = root / "content"
    _, index = built(root)
    shards = len(index.shards)
    assert index.remade == (shards, 1)  # the first build makes it whole
    edit(content / "bus.md", "---\ntitle: De buurtbus\n---\n\nDe bus rijdt op dinsdag en woensdag. Zebrapad.\n")
    result, index = built(root)
    assert 1 <= index.remade[0] < shards and index.remade[1] == 1, index.remade
    assert index_files(result.outputs) == clean_index(root)
    edit(content / "rouw.md", "---\ntitle: Rouw\n---\n\nPraten helpt.\n")  # words go
    result, index = built(root)
    assert 1 <= index.remade[0] < len(index.shards), index.remade
    assert index_files(result.outputs) == clean_index(root)


def test_other_documents_make_the_index_whole_and_still_a_clean_builds(make_site):
    root = make_site(SITE)
    content = root / "content"
    built(root)
    edits = [
        lambda: edit(content / "bus.md", "---\ntitle: Aanrijden met de bus\n---\n\nDe bus rijdt op dinsdag.\n"),
        lambda: edit(content / "nieuw.md", "---\ntitle: Nieuw\n---\n\nWeduwe en koffie.\n"),
        lambda: (content / "extra3.md").unlink(),
        lambda: edit(content / "zoekwoorden.yaml", "related:\n  - [rouw, weduwe]\n  - [bus, vervoer]\n"),
        lambda: edit(content / "koffie.md", "---\ntitle: Koffieochtend in Beilen\n---\n\nThee ook.\n"),
    ]
    for number, change in enumerate(edits):
        change()
        result, _ = built(root)
        assert index_files(result.outputs) == clean_index(root), number


def test_a_state_that_does_not_fit_is_not_used(make_site):
    root = make_site(SITE)
    built(root)
    cache = BuildCache.load(root)
    state, files = cache.renders[search_keep.STATE], cache.renders[search_keep.FILES]
    site = generate(options(root, use_cache=False)).site
    entries = [cache.renders[key] for key in state[3:]]
    related = site.search_terms.related
    assert search_keep.revived(cache, entries, "nl", related) is not None
    cache.renders[search_keep.STATE] = state[:3] + ["no such entry"] + state[4:]
    assert search_keep.revived(cache, entries, "nl", related) is None
    cache.renders[search_keep.STATE] = state
    assert search_keep.revived(cache, entries, "en", related) is None  # another language
    assert search_keep.revived(cache, entries[1:], "nl", related) is None  # other documents
    cache.renders[search_keep.FILES] = files[1:]  # a shard missing: the files are made again
    index = search_keep.revived(cache, entries, "nl", related)
    assert index.remade == (len(index.shards), 1)
    cache.renders[search_keep.FILES] = ["zoekindex/w/ko.json"]
    assert search_keep.revived(cache, entries, "nl", related) is None


def test_a_build_without_a_cache_keeps_nothing(make_site):
    root = make_site(SITE)
    result = build(options(root, use_cache=False))
    assert search_keep.STATE not in result.cache.renders
