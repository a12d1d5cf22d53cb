"""Compiled templates kept between builds, signed with a key outside every site (TemplateBytecodeCache).

jinja2 compiles each template to Python code: about 8 ms a template, 0.2 s for the generator's 26, a
fifth of a new site's first build (and, in the test suite, 29 of the 100 CPU seconds of make test-fast).
Two folders keep them, every file signed with this user's key:
- the site's .cache/jinja/ (cache.BYTECODE_DIR): what a cached build of the site loads first;
- this user's shared folder, key_folder()/templates/<version>/: every build of every site of this user
  loads from it what its own cache lacks, also a build without a cache (--no-cache, a new site, a fresh
  checkout). So the generator's templates are compiled once per version of the generator, as Python keeps
  the compiled code of its modules in __pycache__/. <version> is cache_version(): what a template
  compiles to depends on the environment's options, which are our code; the last KEPT_VERSIONS folders
  stay. A file of either folder names the template by its path (jinja2's bucket key) and holds the hash of
  its source, so another site's template of the same name, or an edited one, is never taken for it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import shutil
import stat
from pathlib import Path

import jinja2
import jinja2.bccache

from ..core.atomic import read_regular, write_atomic
from .store import CacheDamaged
from .version import cache_version

SHARED_DIR = "templates"  # in key_folder(): one folder per version of the generator
KEPT_VERSIONS = 3  # shared folders kept besides the current one (a checkout of an older commit, a test's)


class TemplateBytecodeCache(jinja2.BytecodeCache):
    """jinja2's compiled templates in the site's .cache/jinja/ (site_folder; None for a build without a
    cache) and in this user's shared folder, each file signed with a key that is not in .cache/.

    A compiled template is code (marshal): loading a crafted one runs it. So each file carries an HMAC
    of its bytes (and of the name it is stored under) made with this user's key (template_key(), in
    ~/.cache/sitegen/, never in the site or its cache): a cache restored from elsewhere cannot forge one.
    In the site's folder, a file signed with another key (another machine's, or a CI runner's before this
    one) is a miss: the template is compiled again and the file replaced; a file with this key's id whose
    signature or shape is wrong raises store.CacheDamaged (the build then drops the cache and starts
    again). In the shared folder, which is not the site's, anything wrong is a miss and is replaced.
    Without a key (a home folder that cannot be written) nothing is kept: templates are compiled on every
    build."""

    def __init__(self, site_folder: str | os.PathLike | None) -> None:
        self._key = template_key()
        self._site = Path(site_folder) if site_folder is not None else None
        self._shared = shared_folder() if self._key is not None else None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self._key is None:
            return
        name = _file_name(bucket)
        if self._site is not None:
            data = _read(self._site / name)
            body = None if data is None else self._body(data, bucket.key, strict=str(self._site / name))
            if body is not None:
                bucket.load_bytecode(io.BytesIO(body))
                if bucket.code is not None:
                    return
        if self._shared is None:
            return
        try:
            data = _read(self._shared / name)
        except CacheDamaged:
            return
        body = None if data is None else self._body(data, bucket.key, strict=None)
        if body is not None:
            bucket.load_bytecode(io.BytesIO(body))
            if bucket.code is not None and self._site is not None:
                _write(self._site / name, data)  # the site's cache holds what its builds use, as if compiled

    def _body(self, data: bytes, bucket_key: str, strict: str | None) -> bytes | None:
        """The compiled template of a file, if this key signed it. A file that is not of our format or
        claims this key without its signature: CacheDamaged naming the file strict, else (None) a miss."""
        key_id, signature = data[len(_MAGIC):_HEADER - _MAC_BYTES], data[_HEADER - _MAC_BYTES:_HEADER]
        if data[:len(_MAGIC)] != _MAGIC:
            damaged = True  # not our format (an older version's is gone with its cache version)
        elif key_id != _key_id(self._key):
            return None  # another key's: compiled again, and replaced
        else:
            body = data[_HEADER:]
            damaged = not hmac.compare_digest(signature, _sign(self._key, bucket_key, body))
        if damaged:
            if strict is not None:
                raise CacheDamaged(strict)
            return None
        return body

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Whole or not at all; a failure (a full disk) only costs the next build a compilation."""
        if self._key is None:
            return
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        body = buffer.getvalue()
        data = _MAGIC + _key_id(self._key) + _sign(self._key, bucket.key, body) + body
        for folder in (self._site, self._shared):
            if folder is not None:
                _write(folder / _file_name(bucket), data)


def _file_name(bucket: jinja2.bccache.Bucket) -> str:
    return f"__jinja2_{bucket.key}.cache"  # as jinja2.FileSystemBytecodeCache names it


def _read(path: Path) -> bytes | None:
    """The bytes of a compiled template's file, None when there is none. Anything but a regular file in its
    place (a folder, a FIFO whose read would wait for ever, a link to /dev/zero) is CacheDamaged: never
    followed, waited on or read."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheDamaged(str(path)) from exc


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError:
        pass


def shared_folder() -> Path | None:
    """This user's folder of compiled templates for this version of the generator (made on first use, the
    oldest other versions' removed); None when it cannot be made."""
    folders = key_folder() / SHARED_DIR
    folder = folders / cache_version()[:16]
    if folder.is_dir():
        return folder
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        return folder  # another build made it at the same moment
    except OSError:
        return None
    others = sorted((p for p in folders.iterdir() if p != folder), key=_age)
    for old in others[:max(0, len(others) - KEPT_VERSIONS)]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def _age(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


_MAGIC = b"sitegen-template-1\n"
_KEY_ID_BYTES = 8
_MAC_BYTES = 32
_HEADER = len(_MAGIC) + _KEY_ID_BYTES + _MAC_BYTES
KEY_FILE = "template-key"


def _sign(key: bytes, name: str, body: bytes) -> bytes:
    return hmac.new(key, name.encode("utf-8") + b"\0" + body, hashlib.sha256).digest()


def _key_id(key: bytes) -> bytes:
    """Which key signed a file (a hash of it, which tells nothing about the key itself)."""
    return hashlib.sha256(b"sitegen template key id\0" + key).digest()[:_KEY_ID_BYTES]


def key_folder() -> Path:
    """$XDG_CACHE_HOME/sitegen, else ~/.cache/sitegen: this user's, outside every site and its .cache/."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitegen"


def template_key() -> bytes | None:
    """This user's key for signing compiled templates: 32 random bytes in key_folder()/template-key,
    made on first use (mode 0600). None when it cannot be read or made, or when the file is not a
    regular file of this user that no one else may write (then nothing is kept)."""
    path = key_folder() / KEY_FILE
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            _make_key(path)
            continue
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
                return None
            key = os.read(fd, 64)
        finally:
            os.close(fd)
        return key if len(key) == 32 else None
    return None


def _make_key(path: Path) -> None:
    """Write a new key whole (another build may be making one at the same moment: the first one stays)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(32))
        finally:
            os.close(fd)
        os.link(temporary, path)  # fails when another build made one first: theirs stays
    except OSError:
        pass
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
