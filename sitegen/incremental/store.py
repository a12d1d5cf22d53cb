"""Large cached values (markdown sources, converted HTML, page text, rendered files) kept by key, read
only when needed.

The build cache (cache.py) holds what every build looks at; the bulky strings behind it live here, in
one SQLite file, so that a rebuild after one edit reads and writes only what that edit touched.
A value is addressed by a key that names its content (a hash), so a key never points at stale bytes.
A `Blob` is a reference that reads its value on first use; in the cache (codec.py) it is only its key
and size, and so it is when pickled to hash a page for the render cache (core/hashing.py) or sent back
from a worker: its key is what a page's identity should depend on. Nothing read from disk is unpickled.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import weakref
import zlib
from pathlib import Path

from ..core.hashing import bytes_digest


class CacheDamaged(Exception):
    """A cache file holds bytes its build did not write (a flipped bit, a truncated or garbled file): the
    whole cache is dropped and the build starts again without it (pipeline.build). Not a KeyError, so
    that nothing which looks things up (a template's `x[y]`) can mistake it for a missing key."""


class StoreMissing(CacheDamaged):
    """A value the cache refers to is not in the store (the file was damaged or edited by hand)."""


# Every value in a cache file carries a checksum of its bytes and of the name it is stored under, checked
# when it is read: a damaged file then fails loudly instead of giving another page's text or a flipped
# letter. CRC-32: the damage to catch is accidental (a bad disk, a cut-off copy), CRC-32 finds every burst
# of up to 32 flipped bits, and zlib's is the fastest check in the standard library (bench/run.py).
CHECK_BYTES = 4


def seal(label: bytes, value: bytes) -> bytes:
    """value with its checksum in front; label (the name it is stored under) is checked with it."""
    return zlib.crc32(value, zlib.crc32(label)).to_bytes(CHECK_BYTES, "big") + value


def unseal(label: bytes, sealed, before: int = 0) -> bytes:
    """The value that seal() stored, or CacheDamaged when its bytes or its label are not what was written.
    before: the checksum of the label's start when label is only its rest (many labels share a start)."""
    if not isinstance(sealed, bytes) or len(sealed) < CHECK_BYTES:
        raise CacheDamaged(label)
    value = sealed[CHECK_BYTES:]
    if zlib.crc32(value, zlib.crc32(label, before)) != int.from_bytes(sealed[:CHECK_BYTES], "big"):
        raise CacheDamaged(label)
    return value


class MemoryStore:
    """The store of a build without a cache on disk (and of the dev server): a dict."""

    def __init__(self) -> None:
        self._values: dict[str, bytes] = {}

    def get(self, key: str) -> bytes:
        return self._values[key]

    def put(self, key: str, value: bytes) -> None:
        self._values[key] = value

    def save(self, keep: set[str]) -> None:
        self._values = {k: v for k, v in self._values.items() if k in keep}


# Stores open in this process, and connections inherited from the parent in a forked worker. SQLite
# connections must not be used across fork(), nor closed in the child (closing could roll back the parent's
# open transaction): a worker keeps them untouched and opens its own to read.
_open_stores: "weakref.WeakSet[DiskStore]" = weakref.WeakSet()
_inherited: list = []


def _after_fork_in_child() -> None:
    for store in list(_open_stores):
        if store._db is not None:
            _inherited.append(store._db)
            store._db = None
        store._offline = True  # a worker only reads; what it makes goes back to the build


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class DiskStore(MemoryStore):
    """Values (and the cache's entries) in <site>/.cache/blobs.sqlite. New values are written in one
    transaction that save_entries() commits, dropping the unused ones: a failed build leaves it as it was."""

    FLUSH_BYTES = 32 * 2**20  # hand new values to SQLite in batches, so a cold build does not hold them twice
    LOCK_SECONDS = 2  # how long to wait for another build that is writing the same cache

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self._added: set[str] = set()  # keys put by this build
        self._offline = False  # another build holds the cache: this one keeps its values in memory only
        _open_stores.add(self)

    def put(self, key: str, value: bytes) -> None:
        self._values[key] = value
        self._added.add(key)
        self._pending += len(value)
        if self._pending > self.FLUSH_BYTES and not self._offline:
            self._flush()

    def _flush(self) -> None:
        if self._offline:
            return
        db = self._connection()
        try:
            if not db.in_transaction:
                db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO blobs (key, value) VALUES (?, ?)",
                           ((key, seal(key.encode(), value)) for key, value in self._values.items()))
        except sqlite3.OperationalError as exc:  # locked by another process: build on without saving the cache
            self._go_offline()
            _offline_or_raise(exc, self._path)
            return
        except sqlite3.DatabaseError as exc:
            self._go_offline()
            raise CacheDamaged(str(self._path)) from exc
        self._values = {}
        self._pending = 0

    def _go_offline(self) -> None:
        if self._db is not None and self._db.in_transaction:
            self._db.rollback()
        self._offline = True

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            _own_files(self._path)
            # isolation_level=None: transactions are begun by _flush and ended by save, not implicitly.
            self._db = sqlite3.connect(self._path, isolation_level=None, timeout=self.LOCK_SECONDS)
            self._db.execute("CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            # An entry's key is the codec's JSON text of it, its value the codec's JSON bytes (sealed).
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, "
                             "value BLOB NOT NULL, PRIMARY KEY (kind, key))")
        return self._db

    def get(self, key: str) -> bytes:
        if key in self._values:
            return self._values[key]
        try:
            row = self._connection().execute("SELECT value FROM blobs WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:  # "database disk image is malformed", and the like
            raise CacheDamaged(key) from exc
        if row is None:
            raise StoreMissing(key)
        return unseal(key.encode(), row[0])

    def save_entries(self, upserts: list[tuple], deletes: list[tuple], keep: set[str], version: str,
                     released: set[str] | None = None) -> None:
        """One transaction: the new values, the cache's changed entries (kind, key, value) and removed ones
        (kind, key), the values no entry refers to any more dropped, and the cache version.

        keep: every value the entries refer to. released: the values that removed entries referred to;
        with it only those (and new values nobody refers to) are looked at, not every key in the store."""
        self._flush()
        if self._offline:
            return  # the other build's cache stays as it is; this build's work is simply not kept
        db = self._connection()
        upserts = [(kind, key, seal(_entry_label(kind, key), value)) for kind, key, value in upserts]
        try:
            self._write_entries(db, upserts, deletes, keep, version, released)
        except sqlite3.OperationalError as exc:
            self._go_offline()
            _offline_or_raise(exc, self._path)
        except sqlite3.DatabaseError as exc:
            self._go_offline()
            raise CacheDamaged(str(self._path)) from exc

    def _write_entries(self, db: sqlite3.Connection, upserts: list[tuple], deletes: list[tuple], keep: set[str],
                       version: str, released: set[str] | None) -> None:
        with db:
            db.executemany("INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)", upserts)
            db.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", deletes)
            if released is not None:
                db.executemany("DELETE FROM blobs WHERE key = ?", ((k,) for k in (released | self._added) - keep))
            # More values than references means some were left behind (say by a build stopped half-way
            # through an older version of this): then look at every key once.
            if released is None or db.execute("SELECT count(*) FROM blobs").fetchone()[0] > len(keep):
                db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM keep")
                db.executemany("INSERT OR IGNORE INTO keep (key) VALUES (?)", ((k,) for k in keep))
                db.execute("DELETE FROM blobs WHERE key NOT IN (SELECT key FROM keep)")
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('version', ?)", (version,))
        self._added = set()

    def entries(self) -> list[tuple[str, str, bytes]]:
        """Every cache entry as (kind, key, value), the key and value as the codec wrote them (JSON, not
        yet decoded); CacheDamaged when one is not as written."""
        rows = self._connection().execute("SELECT kind, key, value FROM entries").fetchall()
        # Every build checks every entry, thousands of them: the kind's part of the label is summed once,
        # and unseal() is written out here (a call and its checks per entry cost more than the checksum).
        kinds: dict[str, int] = {}  # kind -> the checksum of its part of the label
        found = []
        append, crc32, from_bytes = found.append, zlib.crc32, int.from_bytes
        for kind, key, sealed in rows:
            if type(kind) is not str or type(key) is not str or type(sealed) is not bytes or len(sealed) < CHECK_BYTES:
                raise CacheDamaged(repr(kind) if type(kind) is not str or type(key) is not str
                                   else _entry_label(kind, key))
            start = kinds.get(kind)
            if start is None:
                start = kinds[kind] = crc32(_entry_label(kind, ""))
            value = sealed[CHECK_BYTES:]
            if crc32(value, crc32(key.encode("utf-8", "surrogateescape"), start)) != from_bytes(sealed[:CHECK_BYTES]):
                raise CacheDamaged(_entry_label(kind, key))
            append((kind, key, value))
        return found

    def meta(self, name: str) -> str | None:
        row = self._connection().execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _own_files(path: Path) -> None:
    """CacheDamaged when the store, or its journal, is anything but a file of its own (or not there yet):
    SQLite follows a link, and would write its tables into whatever database, or an empty or new file,
    it points to, out of the site."""
    for name in (path.name, path.name + "-journal"):
        try:
            info = os.lstat(path.with_name(name))
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode):
            raise CacheDamaged(str(path.with_name(name)))


def _entry_label(kind: str, key: str) -> bytes:
    """What an entry's checksum covers besides its value: its kind and key."""
    return kind.encode("utf-8", "surrogateescape") + b"\0" + key.encode("utf-8", "surrogateescape")


def _offline_or_raise(exc: sqlite3.OperationalError, path: Path) -> None:
    """Return when another process holds the database (the build goes on without saving its cache);
    raise the error as an OSError with the file's name for anything else (a full disk, a read-only
    folder), which the command line reports as such."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return
    if name.startswith("SQLITE_FULL"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from exc
    if name.startswith("SQLITE_READONLY"):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path)) from exc
    raise OSError(errno.EIO, f"{os.strerror(errno.EIO)} ({exc})", str(path)) from exc


class Blob:
    """A stored text, read on first use: the model's StoredText (core/model.py). Templates print it
    (`| safe` uses __html__), code calls str()."""

    __slots__ = ("key", "size", "_store", "_value")

    def __init__(self, key: str, size: int, store: MemoryStore | None = None, value: str | None = None) -> None:
        self.key = key
        self.size = size  # length of the text: tells an empty text without reading it
        self._store = store
        self._value = value

    def __str__(self) -> str:
        if self._value is None:
            if self._store is None:
                raise RuntimeError(f"blob {self.key} has no store to read from")
            self._value = self._store.get(self.key).decode("utf-8")
        return self._value

    def __html__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return self.size > 0

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Blob) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Blob({self.key[:12]}…, {self.size})"

    def __getstate__(self):
        return (self.key, self.size)

    def __setstate__(self, state) -> None:
        self.key, self.size = state
        self._store = None
        self._value = None



def text_key(text: "str | Blob") -> str:
    """The key a text has (or would have) in the store: a hash of its bytes. Reads nothing for a Blob."""
    if isinstance(text, Blob):
        return text.key
    return "t:" + bytes_digest(text.encode("utf-8"))


def text_blob(store: MemoryStore, text: str) -> Blob:
    """Put a text in the store under the hash of its bytes and return a reference that already holds it."""
    data = text.encode("utf-8")
    key = "t:" + bytes_digest(data)
    store.put(key, data)
    return Blob(key, len(text), store, text)


class StoredOutput:
    """A rendered file kept from an earlier build: what write and the link check need, the bytes on demand.

    It stands in for model.Output (same path, source, data and digest)."""

    __slots__ = ("path", "source", "digest", "_store")

    def __init__(self, path: str, source: str, digest: str, store: MemoryStore | None = None) -> None:
        self.path = path
        self.source = source
        self.digest = digest
        self._store = store

    @property
    def data(self) -> bytes:
        if self._store is None:
            raise RuntimeError(f"{self.path} has no store to read from")
        return self._store.get(output_key(self.digest))

    def __getstate__(self):
        return (self.path, self.source, self.digest)

    def __setstate__(self, state) -> None:
        self.path, self.source, self.digest = state
        self._store = None


def output_key(digest: str) -> str:
    return "o:" + digest


def stored(output, store: MemoryStore) -> StoredOutput:
    """A rendered output as a StoredOutput, its bytes put in the store when they are new."""
    if isinstance(output, StoredOutput):
        return output
    store.put(output_key(output.digest), output.data)
    return StoredOutput(output.path, output.source, output.digest, store)
