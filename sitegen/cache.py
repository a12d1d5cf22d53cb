"""The persistent build cache in <site>/.cache/: stdlib only, so a no-change build can stop early.

Three files: state.pickle (small: the fingerprint of every input, the output manifest and the summary
of the last build), sitegen.pickle (conversions, hints, rendered pages and page sources by content
hash) and blobs.sqlite (the bulky values those entries refer to, read only when needed; store.py).
A missing, truncated or foreign file is ignored and rebuilt; nothing in it can change the result,
only how much work a build redoes (tests/test_cache.py).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .store import Blob, DiskStore, MemoryStore, StoredOutput, output_key, stored

CACHE_DIR = ".cache"
CACHE_FILE = "sitegen.pickle"
STORE_FILE = "blobs.sqlite"
STATE_FILE = "state.pickle"
GENERATOR = Path(__file__).resolve().parent


def _version() -> str:
    """Anything that changes what a cached entry means: our code and the converters' versions."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR.glob("*.py")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for package in ("markdown", "nh3", "jinja2", "icalendar", "feedgen"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


@dataclass
class BuildCache:
    """What earlier builds computed, by content hash. Entries a build did not use are dropped.

    Bulky values (converted HTML, page text, rendered files) are in `store`; the entries here refer to
    them by key (store.Blob, store.StoredOutput), so loading and saving this part stays small."""

    conversions: dict = field(default_factory=dict)  # key -> (lookups, Conversion, link context fingerprint)
    hints: dict = field(default_factory=dict)  # key -> list[Problem]
    renders: dict = field(default_factory=dict)  # key -> list[Output | StoredOutput], or other small values
    outputs: dict = field(default_factory=dict)  # output folder -> manifest (path -> digest)
    sources: dict = field(default_factory=dict)  # (file, size, mtime, ctime, inode) -> SourcePage
    used: set = field(default_factory=set)
    store: MemoryStore = field(default_factory=MemoryStore)

    @classmethod
    def load(cls, root: Path) -> "BuildCache":
        """The cache of a site; an empty one when it is missing, corrupt or from another version."""
        folder = root / CACHE_DIR
        try:
            store = DiskStore(folder / STORE_FILE)
            generation = store.generation()
        except Exception:  # not a database: start a new one
            (folder / STORE_FILE).unlink(missing_ok=True)
            store = DiskStore(folder / STORE_FILE)
            generation = None
        try:
            with (folder / CACHE_FILE).open("rb") as handle:
                data = pickle.load(handle)
            if not isinstance(data, dict) or data.get("version") != _version() or \
                    data.get("generation") != generation or generation is None:
                return cls(store=store)
            renders = dict(data["renders"])
            for entry in renders.values():
                for item in entry if isinstance(entry, list) else ():
                    if isinstance(item, StoredOutput):
                        item.attach(store)
            return cls(conversions=dict(data["conversions"]), hints=dict(data["hints"]), renders=renders,
                       outputs=dict(data["outputs"]), sources=dict(data["sources"]), store=store)
        except Exception:  # truncated, corrupt or unreadable: rebuild it
            return cls(store=store)

    def prune(self, generation: str = "") -> None:
        """Forget entries the last build did not use (an in-memory cache would otherwise only grow),
        and move new rendered files into the store."""
        self.conversions = {k: v for k, v in self.conversions.items() if k in self.used}
        self.hints = {k: v for k, v in self.hints.items() if k in self.used}
        self.renders = {k: v for k, v in self.renders.items() if k in self.used}
        self.sources = {k: v for k, v in self.sources.items() if k in self.used}
        self.renders = {k: [stored(o, self.store) for o in v] if _is_outputs(v) else v
                        for k, v in self.renders.items()}
        self.store.save(self._blob_keys(), generation)

    def _blob_keys(self) -> set[str]:
        keys = set()
        for _, conversion, _ in self.conversions.values():
            keys.update(blob.key for blob in (conversion.html, conversion.text) if isinstance(blob, Blob))
        for entry in self.renders.values():
            if _is_outputs(entry):
                keys.update(output_key(item.digest) for item in entry)
        return keys

    def save(self, root: Path, outputs: dict[str, dict], state: dict) -> None:
        """Write the entries this build used and the build's state.

        The store is committed first with a new generation, then the cache file naming it replaces
        the old one: a build stopped in between leaves a pair that does not match, which load ignores."""
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        generation = os.urandom(8).hex()
        self.prune(generation)
        version = _version()
        _dump(folder / CACHE_FILE, {"version": version, "generation": generation,
                                    "conversions": self.conversions, "hints": self.hints,
                                    "renders": self.renders, "outputs": outputs, "sources": self.sources})
        _dump(folder / STATE_FILE, {"version": version, **state})


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
    """Name, size and change time of every input file, with the build's settings: equal means no change."""
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
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    config = root / "site.yaml"
    if config.exists():
        stat = config.stat()
        digest.update(f"site.yaml\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def clean_cache(root: Path) -> bool:
    """Remove a site's cache folder; False when there was none."""
    folder = root / CACHE_DIR
    if (folder / ".gitignore").is_file() or (folder / CACHE_FILE).is_file():
        shutil.rmtree(folder)
        return True
    return False
