"""Rendered outputs reused while their inputs are unchanged; the ones to make, made across all cores.
Also the compiled templates kept between builds, signed with a key outside the site (TemplateBytecodeCache)."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import stat
from pathlib import Path
from typing import Callable

import jinja2

from ..core.atomic import write_atomic
from ..core.hashing import digest
from .cache import BuildCache
from .parallel import fork_map
from .store import CacheDamaged


class Memo:
    """Reuse rendered outputs whose inputs (and templates) are unchanged; the key is a hash of the inputs.

    memo(inputs, render) for one thing; memo.many(jobs) for many, the missing ones rendered in parallel."""

    def __init__(self, cache: BuildCache | None = None, templates: str = "", workers: int = 1) -> None:
        self.cache, self.templates, self.workers = cache, templates, workers

    def key(self, inputs: tuple) -> str:
        return digest(self.templates, inputs)

    def __call__(self, inputs: tuple, render: Callable):
        return self.many([(inputs, render)])[0]

    def many(self, jobs: list[tuple[tuple, Callable]]) -> list:
        """render() of every (inputs, render) job, or what it gave before for equal inputs."""
        if self.cache is None:
            return fork_map(_call, [render for _, render in jobs], self.workers)
        keys = [self.key(inputs) for inputs, _ in jobs]
        renders = self.cache.renders
        self.cache.used.update(keys)
        missing = {key: render for key, (_, render) in zip(keys, jobs) if key not in renders}
        for key, value in zip(missing, fork_map(_call, list(missing.values()), self.workers)):
            renders[key] = value
        return [renders[key] for key in keys]


def _call(render: Callable):
    return render()


class TemplateBytecodeCache(jinja2.FileSystemBytecodeCache):
    """jinja2's compiled templates in .cache/jinja/, each file signed with a key that is not in .cache/.

    A compiled template is code (marshal): loading a crafted one runs it. So each file carries an HMAC
    of its bytes (and of the name it is stored under) made with this user's key (template_key(), in
    ~/.cache/sitegen/, never in the site or its cache): a cache restored from elsewhere cannot forge one.
    A file signed with another key (another machine's, or a CI runner's before this one) is a miss: the
    template is compiled again and the file replaced. A file with this key's id whose signature or shape
    is wrong raises store.CacheDamaged (the build then drops the cache and starts again). Without a key
    (a home folder that cannot be written) nothing is kept: templates are compiled on every build."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self._key = template_key()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self._key is None:
            return
        path = self._get_cache_filename(bucket)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return
        except OSError as exc:  # a folder or a FIFO in its place
            raise CacheDamaged(path) from exc
        if data[:len(_MAGIC)] != _MAGIC:
            raise CacheDamaged(path)  # not our format (an older version's is gone with its cache version)
        key_id, signature = data[len(_MAGIC):_HEADER - _MAC_BYTES], data[_HEADER - _MAC_BYTES:_HEADER]
        if key_id != _key_id(self._key):
            return  # another key's: compiled again, and replaced
        body = data[_HEADER:]
        if not hmac.compare_digest(signature, _sign(self._key, bucket.key, body)):
            raise CacheDamaged(path)
        bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Whole or not at all; a failure (a full disk) only costs the next build a compilation."""
        if self._key is None:
            return
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        body = buffer.getvalue()
        path = self._get_cache_filename(bucket)
        try:
            write_atomic(path, _MAGIC + _key_id(self._key) + _sign(self._key, bucket.key, body) + body)
        except OSError:
            pass


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
