"""The persistent build cache in <site>/.cache/: stdlib only, so a no-change build can stop early.

Two files: state.json (small: the fingerprint of every input, the output manifest and the summary
of the last build) and blobs.sqlite (conversions, hints, rendered pages and page sources by content
hash, one row each, and the bulky values they refer to; store.py).
Both hold data, never code: JSON in the one format of codec.py, which constructs only the few types the
cache holds (no pickle: a cache restored from a CI artifact is input from a stranger). Every value in both
carries a checksum of its bytes (store.seal), checked when it is read: it finds accidental damage, not
an attacker (who can compute it), and is no defence; the codec is. A missing
file or another version's is ignored and rebuilt quietly; a damaged one (a flipped bit, a cut-off file,
a value of a type the codec does not know) raises CacheDamaged, upon which the build drops the whole cache, says so in
one line (DAMAGED_NOTICE) and starts again without it. Nothing in the cache can change the result, only
how much work a build redoes (tests/test_cache.py, tests/test_faults.py).
One build at a time uses a site's cache (lock.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import zlib
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from ..core.atomic import regular_opener, write_atomic
from .codec import Codec, entry_codec, state_codec
from .lock import CACHE_DIR, LOCK_FILE
from .version import cache_version
from .store import Blob, CacheDamaged, DiskStore, MemoryStore, StoredOutput, output_key, stored, text_blob

STORE_FILE = "blobs.sqlite"
STATE_FILE = "state.json"
LEGACY_FILES = ("state.pickle",)  # an older version's state: never read, removed when the cache is saved
BYTECODE_DIR = "jinja"  # compiled templates, signed with a key kept outside .cache/ (memo.TemplateBytecodeCache)
DAMAGED_NOTICE = "de bouwcache was beschadigd en is opnieuw gemaakt"


KINDS = ("conversions", "hints", "renders", "sources")


@dataclass
class BuildCache:
    """What earlier builds computed, by content hash. Entries a build did not use are dropped.

    On disk every entry is a row in .cache/blobs.sqlite, and the bulky values (markdown sources, converted
    HTML, page text, rendered files) are separate rows the entries refer to by key (store.Blob, store.StoredOutput): a
    build reads what it uses and writes only what it changed, in one transaction."""

    conversions: dict = field(default_factory=dict)  # key -> (lookups, Conversion, LinkContext.answers_digest)
    hints: dict = field(default_factory=dict)  # key -> list[Problem]
    renders: dict = field(default_factory=dict)  # key -> list[Output | StoredOutput], or other small values
    sources: dict = field(default_factory=dict)  # (file, size, mtime, ctime, inode) -> SourcePage
    used: set = field(default_factory=set)
    store: MemoryStore = field(default_factory=MemoryStore)
    changed: set = field(default_factory=set)  # (kind, key) of entries replaced under an existing key
    stored: dict = field(default_factory=dict)  # kind -> keys the disk holds now
    released: set = field(default_factory=set)  # stored values that entries dropped by prune() referred to
    loaded: dict = field(default_factory=dict, repr=False)  # kind -> {key: value} as on disk (see replaced())
    codec: Codec | None = field(default=None, repr=False, compare=False)  # of store, made once: see entry_codec
    # What this process keeps between its builds besides the entries, never saved (the dev server's cache
    # lives in memory): memo.Steps keeps the last build's fingerprints and link digests here, Steps.carry
    # the values it carries (the search index), each under its own name.
    memory: dict = field(default_factory=dict, repr=False, compare=False)

    def entry_codec(self) -> Codec:
        """The codec of the entries, for this cache's store; made once, as load() and save() both need it
        (typing the model's classes from their annotations costs more than encoding a rebuild's entries)."""
        if self.codec is None or self.codec.store is not self.store:
            self.codec = entry_codec(self.store)
        return self.codec

    @classmethod
    def load(cls, root: Path) -> "BuildCache":
        """The cache of a site; an empty one when it is missing, corrupt or from another version."""
        path = root / CACHE_DIR / STORE_FILE
        store = None
        try:
            store = DiskStore(path)
            if store.meta("version") != cache_version():
                # Another version's cache is worth nothing: a new file, not a DELETE of every row (which
                # takes longer than a cold build at 10,000 pages, and leaves the disk busy for the write).
                store.close()
                _remove_store(path)
                shutil.rmtree(root / CACHE_DIR / BYTECODE_DIR, ignore_errors=True)
                store = DiskStore(path)
            cache = cls(store=store)
            codec = cache.entry_codec()  # its stored texts and outputs read from this store
            rows = store.entries()
            # All keys in one JSON array and all values in another: two parser calls, not two per entry.
            keys = codec.decode("[" + ",".join([key for _, key, _ in rows]) + "]")
            values = codec.decode(b"[" + b",".join([value for _, _, value in rows]) + b"]")
            if len(keys) != len(rows) or len(values) != len(rows):
                raise CacheDamaged("entries that are not one value each")
            found: dict[str, tuple[list, list]] = {kind: ([], []) for kind in KINDS}
            for (kind, _, _), key, value in zip(rows, keys, values):
                group = found.get(kind)
                if group is None:
                    raise CacheDamaged("an entry of an unknown kind")
                group[0].append(key)
                group[1].append(value)
            check = _entry_check()
            entries = {kind: getattr(cache, kind) for kind in KINDS}
            for kind, (keys, values) in found.items():
                check(kind, keys, values)
                entries[kind].update(zip(keys, values))
            cache.stored = {kind: set(entries[kind]) for kind in KINDS}
            cache.loaded = {kind: dict(entries[kind]) for kind in KINDS}
            return cache
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                return cls()  # held by another process: work without it, leave it alone
            if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY")):
                return cls()  # cannot be opened (a read-only folder): saving will say why
            raise CacheDamaged(str(path)) from exc
        except CacheDamaged:
            raise
        except Exception as exc:  # not a database, truncated, a value that does not decode: start again
            raise CacheDamaged(str(path)) from exc
        finally:
            if store is not None and sys.exc_info()[0] is not None:
                store.close()

    def prune(self, sweep: bool = True) -> None:
        """Forget entries the last build did not use (an in-memory cache would otherwise only grow),
        and move new rendered files into the store. sweep: also drop the values in a memory store that no
        entry refers to any more (the dev server does that when no one waits: sweep())."""
        replaced = self.replaced()
        # The unused keys by a set difference (in C): a rebuild after one edit leaves only a few.
        unused = {kind: getattr(self, kind).keys() - self.used for kind in KINDS}
        self.released = _blob_keys(*({key: getattr(self, kind)[key] for key in unused[kind]}
                                     for kind in ("conversions", "renders", "sources")))
        self.released |= _blob_keys(*(replaced[kind] for kind in ("conversions", "renders", "sources")))
        for kind in KINDS:
            entries = getattr(self, kind)
            for key in unused[kind]:
                del entries[key]
        for key, value in self.renders.items():
            if _unstored(value):
                self.renders[key] = [stored(o, self.store) for o in value]
        # A page's text goes to the store on disk too: a rebuild reads only the texts of pages it converts
        # again. An entry as it was loaded is as it is stored already (the codec makes Blobs). In memory (the
        # dev server) a page stays the very object it was read as: the next build takes over the pages it
        # modelled from the same objects (assemble.model_pages), where a page given a stored text after the
        # first tidy made the editor's first save at 10,000 pages model every page again (1.1 s more).
        kept = self.loaded.get("sources", {})
        for key, value in self.sources.items() if isinstance(self.store, DiskStore) else ():
            if value is not kept.get(key):
                value_stored = _body_stored(value, self.store)
                if value_stored is not value:
                    self.sources[key] = value_stored
        if sweep:
            self.sweep()

    def sweep(self) -> None:
        """Drop the values in a memory store that no entry refers to (a look at every entry)."""
        if isinstance(self.store, DiskStore):
            return  # save() commits the store together with the entries
        self.store.save(_blob_keys(self.conversions, self.renders, self.sources))

    def replaced(self) -> dict[str, dict]:
        """kind -> {key: value on disk} of the entries this build gave another value under the same key (a
        page's rendered files after an edit): the stored values the old ones referred to are released too,
        so that saving need not look at every key in the store to find them."""
        found = {}
        for kind in KINDS:
            now = getattr(self, kind)
            found[kind] = {key: value for key, value in self.loaded.get(kind, {}).items()
                           if now.get(key, value) is not value}
        return found

    def save(self, root: Path, state: dict) -> None:
        """Write the entries this build added or changed, drop those it did not use, and the build's state."""
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        write_atomic(folder / ".gitignore", b"*\n")  # whole, in place of whatever stood there (a FIFO)
        self.prune()
        version = cache_version()
        codec = self.entry_codec()
        upserts, deletes = [], []
        for kind in KINDS:
            entries, before = getattr(self, kind), self.stored.get(kind, set())
            for key, value in entries.items():
                if key not in before or (kind, key) in self.changed:
                    upserts.append((kind, codec.encode(key).decode("utf-8"), codec.encode(value)))
            deletes += [(kind, codec.encode(key).decode("utf-8")) for key in before if key not in entries]
        if isinstance(self.store, DiskStore):  # else the disk cache was locked when this build began
            self.store.save_entries(upserts, deletes, _blob_keys(self.conversions, self.renders, self.sources),
                                    version, self.released)
        self.stored = {kind: set(getattr(self, kind)) for kind in KINDS}
        self.loaded = {kind: dict(getattr(self, kind)) for kind in KINDS}
        self.changed.clear()
        # A temporary state file is one of a build killed while writing it: this build holds the cache's
        # lock, so no other is writing one now.
        for stale in folder.glob(STATE_FILE + ".*.tmp"):
            stale.unlink(missing_ok=True)
        _dump(folder / STATE_FILE, state_codec().encode({"version": version, **state}))
        for name in LEGACY_FILES:
            (folder / name).unlink(missing_ok=True)


def _remove_store(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        leftover.unlink(missing_ok=True)


def _body_stored(value, store: MemoryStore):
    from ..core.model import SourcePage

    if isinstance(value, SourcePage) and isinstance(value.body, str):
        return replace(value, body=text_blob(store, value.body))
    return value


def _blob_keys(conversions: dict, renders: dict, sources: dict) -> set[str]:
    """The stored values these entries refer to."""
    keys = {value.body.key for value in sources.values() if isinstance(getattr(value, "body", None), Blob)}
    for _, conversion, _ in conversions.values():
        keys.update(blob.key for blob in (conversion.html, conversion.text) if isinstance(blob, Blob))
    for entry in renders.values():
        if type(entry) is list and entry and type(entry[0]) is not str and _is_outputs(entry):  # not reads
            keys.update(output_key(item.digest) for item in entry)
    return keys


def _is_outputs(entry) -> bool:
    """Whether an entry is a step's rendered files. Asked of every entry twice a save: a step's reads (a
    list of texts, as many as there are steps) are told by their first item alone."""
    if type(entry) is not list or entry and type(entry[0]) is str:
        return False
    return all(hasattr(item, "digest") and hasattr(item, "path") for item in entry)


def _unstored(entry) -> bool:
    """Whether an entry is rendered outputs not all in the store yet (those that are: a quick look first)."""
    if type(entry) is not list or not entry or type(entry[0]) is str:  # a step's reads: texts
        return False
    return not all(type(item) is StoredOutput for item in entry) and _is_outputs(entry)


def _entry_check():
    """check(kind, keys, values): CacheDamaged unless every entry of a kind has the shape that kind always
    has (see BuildCache's fields): the codec made only known types, this checks they sit where the build
    looks for them. All entries of a kind at once, each test a pass in C over a column of them (every
    entry is checked on every build)."""
    from ..core.errors import Problem
    from ..core.model import Event, SourcePage
    from ..render.search_index import Entry
    from ..source.markdown import Conversion

    def types(values) -> set:
        return set(map(type, values))

    def conversions(keys: list, values: list) -> bool:
        if not (types(keys) <= {str} and types(values) <= {tuple} and set(map(len, values)) <= {3}):
            return False
        lookups, made, answers = zip(*values) if values else ((), (), ())
        return types(lookups) <= {dict} and types(made) <= {Conversion} and types(answers) <= {str}

    def hints(keys: list, values: list) -> bool:
        return types(keys) <= {str} and types(values) <= {list} and types(chain.from_iterable(values)) <= {Problem}

    def sources(keys: list, values: list) -> bool:
        if not (types(keys) <= {tuple} and set(map(len, keys)) <= {5}
                and types(values) <= {SourcePage, list}):
            return False
        path, *numbers = zip(*keys) if keys else ((),)
        return (types(path) <= {str} and types(chain.from_iterable(numbers)) <= {int}
                and types(chain.from_iterable(v for v in values if type(v) is list)) <= {Event})

    def renders(keys: list, values: list) -> bool:
        """Rendered files, a step's reads (texts), a search entry, or a page's links."""
        if not (types(keys) <= {str, tuple} and types(chain.from_iterable(k for k in keys if type(k) is tuple)) <= {str}
                and types(values) <= {Entry, list, tuple}):
            return False
        lists = {frozenset(map(type, v)) for v in values if type(v) is list}
        if not lists <= {frozenset(), frozenset((StoredOutput,)), frozenset((str,))}:
            return False
        pairs = list(chain.from_iterable(v for v in values if type(v) is tuple))
        return types(pairs) <= {tuple} and set(map(len, pairs)) <= {2} and types(chain.from_iterable(pairs)) <= {str}

    shapes = {"conversions": conversions, "hints": hints, "sources": sources, "renders": renders}

    def check(kind: str, keys: list, values: list) -> None:
        if not shapes[kind](keys, values):
            raise CacheDamaged(f"{kind} entry of the wrong shape")

    return check


def _dump(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a full disk leaves the old file and no temporary one.
    The first line is a checksum of the rest (as store.seal, for a flipped bit or a cut-off file)."""
    write_atomic(path, b"%08x\n" % zlib.crc32(data, zlib.crc32(path.name.encode())) + data)


def load_state(root: Path) -> dict | None:
    """The last build's state; None when there is none (or another version's); CacheDamaged when the file
    is there but not as it was written."""
    from ..core.errors import Problem  # standard library only, like this module

    path = root / CACHE_DIR / STATE_FILE
    try:
        with open(path, "rb", opener=regular_opener) as handle:
            data = handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None  # no cache, or .cache is not a folder (the build's lock reports that)
    except OSError as exc:
        raise CacheDamaged(str(path)) from exc
    check, _, data = data.partition(b"\n")
    if check != b"%08x" % zlib.crc32(data, zlib.crc32(path.name.encode())):
        raise CacheDamaged(str(path))
    state = state_codec().decode(data)
    if not isinstance(state, dict):
        raise CacheDamaged(str(path))
    if state.get("version") != cache_version():
        return None
    if not (isinstance(state.get("fingerprint"), str) and isinstance(state.get("manifest"), dict)
            and all(type(k) is str and type(v) is str for k, v in state["manifest"].items())
            and isinstance(state.get("summary"), dict) and isinstance(state.get("warnings"), list)
            and all(type(p) is Problem for p in state["warnings"])):
        raise CacheDamaged(str(path))
    return state


def drop_cache(root: Path) -> None:
    """Remove every file of the cache but the lock (which the build removing it holds)."""
    folder = root / CACHE_DIR
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if name == LOCK_FILE:
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def clean_cache(root: Path) -> bool:
    """Remove a site's cache folder; False when there was none."""
    folder = root / CACHE_DIR
    if folder.is_symlink():  # only the link goes, never what it points to
        folder.unlink()
        return True
    if (folder / ".gitignore").is_file() or (folder / STORE_FILE).is_file():
        shutil.rmtree(folder)
        return True
    return False
