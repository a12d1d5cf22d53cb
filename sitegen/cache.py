"""The persistent build cache in <site>/.cache/: stdlib only, so a no-change build can stop early.

Two files: state.pickle (small: the fingerprint of every input, the output manifest and the summary
of the last build) and blobs.sqlite (conversions, hints, rendered pages and page sources by content
hash, one row each, and the bulky values they refer to; store.py).
A missing, truncated or foreign file is ignored and rebuilt; nothing in it can change the result,
only how much work a build redoes (tests/test_cache.py).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sqlite3
import sys
from dataclasses import dataclass, field, replace
import importlib.util
from pathlib import Path

from .store import Blob, DiskStore, MemoryStore, StoredOutput, output_key, stored, text_blob

CACHE_DIR = ".cache"
STORE_FILE = "blobs.sqlite"
STATE_FILE = "state.pickle"
GENERATOR = Path(__file__).resolve().parent


@functools.cache  # one process runs one version of the code
def _version() -> str:
    """Anything that changes what a cached entry means: our code and the converters' code.

    By content and installed versions, not file times, so that a cache restored into a fresh checkout
    (a CI job that keeps .cache/ between runs) still counts. Packages are found without importing them
    (importlib.metadata alone costs more than a whole no-change build should): the names of the
    *.dist-info folders beside them carry their versions."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(GENERATOR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    folders = set()
    for package in ("markdown", "nh3", "jinja2", "icalendar", "feedgen", "yaml", "lxml", "dateutil"):
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        digest.update(f"{package}={origin};".encode())
        if origin:
            folders.add(Path(origin).parent.parent if spec.submodule_search_locations else Path(origin).parent)
    for folder in sorted(folders):
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            names = []
        digest.update(f"{folder}:{','.join(names)};".encode())
    return digest.hexdigest()


KINDS = ("conversions", "hints", "renders", "outputs", "sources")


@dataclass
class BuildCache:
    """What earlier builds computed, by content hash. Entries a build did not use are dropped.

    On disk every entry is a row in .cache/blobs.sqlite, and the bulky values (markdown sources, converted
    HTML, page text, rendered files) are separate rows the entries refer to by key (store.Blob, store.StoredOutput): a
    build reads what it uses and writes only what it changed, in one transaction."""

    conversions: dict = field(default_factory=dict)  # key -> (lookups, Conversion, link context fingerprint)
    hints: dict = field(default_factory=dict)  # key -> list[Problem]
    renders: dict = field(default_factory=dict)  # key -> list[Output | StoredOutput], or other small values
    outputs: dict = field(default_factory=dict)  # output folder -> manifest (path -> digest)
    sources: dict = field(default_factory=dict)  # (file, size, mtime, ctime, inode) -> SourcePage
    used: set = field(default_factory=set)
    store: MemoryStore = field(default_factory=MemoryStore)
    changed: set = field(default_factory=set)  # (kind, key) of entries replaced under an existing key
    stored: dict = field(default_factory=dict)  # kind -> keys the disk holds now
    released: set = field(default_factory=set)  # stored values that entries dropped by prune() referred to

    @classmethod
    def load(cls, root: Path) -> "BuildCache":
        """The cache of a site; an empty one when it is missing, corrupt or from another version."""
        from .model import SourcePage  # here: the no-change check imports this module, not the model

        path = root / CACHE_DIR / STORE_FILE
        try:
            store = DiskStore(path)
            if store.meta("version") != _version():
                # Another version's cache is worth nothing: a new file, not a DELETE of every row (which
                # takes longer than a cold build at 10,000 pages, and leaves the disk busy for the write).
                store.close()
                _remove_store(path)
                store = DiskStore(path)
            cache = cls(store=store)
            for kind, key, value in store.entries():
                value = pickle.loads(value)
                # References to stored values come back from pickle without a store: give them this one.
                if kind == "renders" and isinstance(value, list):
                    for item in value:
                        if isinstance(item, StoredOutput):
                            item.attach(store)
                elif kind == "conversions":
                    for blob in (value[1].html, value[1].text):
                        if isinstance(blob, Blob):
                            blob.attach(store)
                elif kind == "sources" and isinstance(value, SourcePage) and isinstance(value.body, Blob):
                    value.body.attach(store)
                getattr(cache, kind)[pickle.loads(key)] = value
            cache.stored = {kind: set(getattr(cache, kind)) for kind in KINDS}
            return cache
        except sqlite3.OperationalError:  # locked by another build: work without it, leave it alone
            return cls()
        except Exception:  # not a database, truncated, or unreadable: start again
            try:
                store.close()
            except Exception:
                pass
            _remove_store(path)
            return cls(store=DiskStore(path))

    def prune(self) -> None:
        """Forget entries the last build did not use (an in-memory cache would otherwise only grow),
        and move new rendered files into the store."""
        self.released = _blob_keys({k: v for k, v in self.conversions.items() if k not in self.used},
                                   {k: v for k, v in self.renders.items() if k not in self.used},
                                   {k: v for k, v in self.sources.items() if k not in self.used})
        self.conversions = {k: v for k, v in self.conversions.items() if k in self.used}
        self.hints = {k: v for k, v in self.hints.items() if k in self.used}
        self.renders = {k: [stored(o, self.store) for o in v] if _is_outputs(v) else v
                        for k, v in self.renders.items() if k in self.used}
        # A page's text goes to the store too: a rebuild reads only the texts of pages it converts again.
        self.sources = {k: _body_stored(v, self.store) for k, v in self.sources.items() if k in self.used}
        if isinstance(self.store, DiskStore):
            return  # save() commits the store together with the entries
        self.store.save(_blob_keys(self.conversions, self.renders, self.sources))

    def save(self, root: Path, outputs: dict[str, dict], state: dict) -> None:
        """Write the entries this build added or changed, drop those it did not use, and the build's state."""
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        self.outputs = outputs
        self.prune()
        version = _version()
        upserts, deletes = [], []
        for kind in KINDS:
            entries, before = getattr(self, kind), self.stored.get(kind, set())
            for key, value in entries.items():
                if key not in before or (kind, key) in self.changed or kind == "outputs":
                    upserts.append((kind, pickle.dumps(key, 5), pickle.dumps(value, 5)))
            deletes += [(kind, pickle.dumps(key, 5)) for key in before if key not in entries]
        if isinstance(self.store, DiskStore):  # else the disk cache was locked when this build began
            self.store.save_entries(upserts, deletes, _blob_keys(self.conversions, self.renders, self.sources),
                                    version, self.released)
        self.stored = {kind: set(getattr(self, kind)) for kind in KINDS}
        self.changed.clear()
        _dump(folder / STATE_FILE, {"version": version, **state})


def _remove_store(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        leftover.unlink(missing_ok=True)


def _body_stored(value, store: MemoryStore):
    from .model import SourcePage

    if isinstance(value, SourcePage) and isinstance(value.body, str):
        return replace(value, body=text_blob(store, value.body))
    return value


def _blob_keys(conversions: dict, renders: dict, sources: dict) -> set[str]:
    """The stored values these entries refer to."""
    keys = {value.body.key for value in sources.values() if isinstance(getattr(value, "body", None), Blob)}
    for _, conversion, _ in conversions.values():
        keys.update(blob.key for blob in (conversion.html, conversion.text) if isinstance(blob, Blob))
    for entry in renders.values():
        if _is_outputs(entry):
            keys.update(output_key(item.digest) for item in entry)
    return keys


def _is_outputs(entry) -> bool:
    return isinstance(entry, list) and all(hasattr(item, "digest") and hasattr(item, "path") for item in entry)


def _dump(path: Path, data: dict) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def load_state(root: Path) -> dict | None:
    try:
        with (root / CACHE_DIR / STATE_FILE).open("rb") as handle:
            state = pickle.load(handle)
        return state if isinstance(state, dict) and state.get("version") == _version() else None
    except Exception:
        return None


def fingerprint(root: Path, folders: tuple[Path, ...], settings: str) -> str:
    """Name, size, times and inode of every input file, with the build's settings: equal means no change.

    The inode change time (ctime) cannot be set back by tools that restore a file's modification time."""
    digest = hashlib.sha256(settings.encode("utf-8"))
    for folder in folders:
        for base, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(base, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}\n"
                              .encode("utf-8", "surrogateescape"))
    config = root / "site.yaml"
    if config.exists():
        stat = config.stat()
        digest.update(f"site.yaml\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}".encode())
    return digest.hexdigest()


def clean_cache(root: Path) -> bool:
    """Remove a site's cache folder; False when there was none."""
    folder = root / CACHE_DIR
    if (folder / ".gitignore").is_file() or (folder / STORE_FILE).is_file():
        shutil.rmtree(folder)
        return True
    return False
