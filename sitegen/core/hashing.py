"""The one way the generator names things by their content: cache keys, manifest entries, the spare's
record and hashed file names all come from here, so that two places never hash one thing two ways.

Standard library only: the no-change check (incremental/fastpath.py) reaches it through write/spare.py.
"""

from __future__ import annotations

import hashlib
import pickle


def digest(*values) -> str:
    """A hash of any picklable values: equal inputs give equal digests within one code version.

    For keys kept in .cache/ only: pickle's bytes may change with Python, and the cache version
    (incremental/cache.py) changes with it, so such keys never outlive their Python."""
    return hashlib.sha256(pickle.dumps(values, protocol=5)).hexdigest()


def bytes_digest(data: bytes) -> str:
    """SHA-256 of bytes, in hex: the same on every machine and Python, so it may name what outlives a build
    (css/site.<hash>.css, a generated file's manifest entry, the work folder of an output folder)."""
    return hashlib.sha256(data).hexdigest()
