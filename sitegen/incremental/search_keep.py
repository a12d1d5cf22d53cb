"""The search index kept in the build cache, so that the next build in a new process renews it too.

The dev server keeps the last build's index in memory (render/search_state.py, Steps.carry). A build in a
new process (`build.py` after an edit) had to make it whole again: every shard, about a tenth of a second
at 1,000 pages. So a build with a cache on disk also keeps, among the cache's entries:

    STATE  [FORMAT, language, digest of the related words, the key of each document's entry, ...]
    FILES  the shards and record files it wrote (stored outputs: their bytes in the store)

and the next build, when its documents are the same ones in the same order (their entries may differ:
an edit of a page's text), makes the index of the last build's entries without making its files again
(it takes FILES), then renews it with this build's entries as the dev server does: only the shards and
record files the edit changed are made. The bytes are those of a whole build (tests/test_search_keep.py,
tests/test_rebuild_equals_clean.py).

Nothing here runs anything from the cache: the entries and files are the codec's (incremental/codec.py),
sealed like every entry, and a state that does not fit exactly (an entry missing or of another type, a
file list that is not the one the entries make) is not used: the index is then made whole."""

from __future__ import annotations

from typing import Callable

from ..core.hashing import digest
from ..render.search import INDEX_CARRY
from ..render.search_index import Entry
from ..render.search_state import SearchIndex
from .cache import BuildCache
from .store import DiskStore, StoredOutput

FORMAT = "search-keep-1"
STATE = "search\tstate"
FILES = "search\tfiles"


def kept_carry(cache: BuildCache | None, carry: Callable) -> Callable:
    """carry for render_search_index: carry itself, and for a build whose cache is saved to disk the
    last saved build's index taken from the cache when this process has none, and this build's kept."""
    if cache is None or not isinstance(cache.store, DiskStore):
        return carry

    def carry_kept(name: str, function: Callable, *arguments):
        if name != INDEX_CARRY:
            return carry(name, function, *arguments)
        entries, language, related = arguments
        if name not in cache.memory:
            cache.memory[name] = revived(cache, entries, language, related)
        index = carry(name, function, entries, language, related)
        keep(cache, index, entries, language, related)
        return index
    return carry_kept


def revived(cache: BuildCache, entries: list, language: str, related: tuple) -> SearchIndex | None:
    """The last saved build's index, its files taken from the cache; None when there is none that
    renew() could bring up to date with entries (other documents, or another order)."""
    state, files = cache.renders.get(STATE), cache.renders.get(FILES)
    if type(state) is not list or state[:3] != [FORMAT, language, digest(related)] or type(files) is not list:
        return None
    old = [cache.renders.get(key) for key in state[3:]]
    if not all(type(entry) is Entry for entry in old) or len(old) != len(entries) \
            or sorted(entry.order for entry in old) != sorted(entry.order for entry in entries):
        return None
    if not all(type(output) is StoredOutput for output in files):
        return None
    by_path = {output.path: output for output in files}
    if len(by_path) != len(files):
        return None
    return SearchIndex(old, language, related, files=by_path)


def keep(cache: BuildCache, index: SearchIndex, entries: list, language: str, related: tuple) -> None:
    """Keep index's state and files among the cache's entries (saved with the cache)."""
    keys = {id(value): key for key, value in cache.renders.items() if type(value) is Entry}
    try:
        state = [FORMAT, language, digest(related), *(keys[id(entry)] for entry in entries)]
    except KeyError:  # an entry that is not in the cache: nothing is kept (STATE and FILES go unused)
        return
    files = index.files()
    if cache.renders.get(STATE) != state:
        cache.renders[STATE] = state
        cache.changed.add(("renders", STATE))
    kept = cache.renders.get(FILES)
    if type(kept) is not list or [(o.path, o.digest) for o in kept] != [(o.path, o.digest) for o in files]:
        cache.renders[FILES] = files
        cache.changed.add(("renders", FILES))
    cache.used.update((STATE, FILES))
