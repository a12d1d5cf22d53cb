"""Rendered outputs reused while their inputs are unchanged; the ones to make, made across all cores."""

from __future__ import annotations

import hashlib
import pickle
from typing import Callable

from .cache import BuildCache
from .parallel import fork_map


class Memo:
    """Reuse rendered outputs whose inputs (and templates) are unchanged; the key is a hash of the inputs.

    memo(inputs, render) for one thing; memo.many(jobs) for many, the missing ones rendered in parallel."""

    def __init__(self, cache: BuildCache | None = None, templates: str = "", workers: int = 1) -> None:
        self.cache, self.templates, self.workers = cache, templates.encode(), workers

    def key(self, inputs: tuple) -> str:
        return hashlib.sha256(self.templates + pickle.dumps(inputs, protocol=5)).hexdigest()

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
