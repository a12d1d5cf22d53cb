"""Rendered outputs reused while their inputs are unchanged; the ones to make, made across all cores.
Also the compiled templates kept between builds (TemplateBytecodeCache)."""

from __future__ import annotations

import io
import os
from typing import Callable

import jinja2

from ..core.hashing import digest
from .cache import BuildCache
from .parallel import fork_map
from .store import seal, unseal


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
    """jinja2's cache of compiled templates in .cache/jinja/, each file sealed with a checksum (store.seal):
    a cut-off or garbled file raises store.CacheDamaged (the build then drops the cache and starts again)
    instead of an UnpicklingError, or worse, a damaged compiled template that runs."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._get_cache_filename(bucket)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return
        bucket.load_bytecode(io.BytesIO(unseal(bucket.key.encode(), data)))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Whole or not at all; a failure (a full disk) only costs the next build a compilation."""
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        path = self._get_cache_filename(bucket)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "xb") as handle:
                handle.write(seal(bucket.key.encode(), buffer.getvalue()))
            os.replace(temporary, path)
        except OSError:
            pass
        finally:
            try:
                os.unlink(temporary)
            except OSError:
                pass
