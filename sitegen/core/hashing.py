"""The one way the generator names things by their content: cache keys, manifest entries, the spare's
record and hashed file names all come from here, so that two places never hash one thing two ways.

Standard library only: the no-change check (incremental/fastpath.py) reaches it through write/spare.py.
"""

from __future__ import annotations

import hashlib
import io
import pickle


def digest(*values) -> str:
    """A hash of any picklable values: equal inputs give equal digests within one code version.

    For keys kept in .cache/ only: pickle's bytes may change with Python, and the cache version
    (incremental/version.py) changes with it, so such keys never outlive their Python. Only written,
    never read back (the cache itself is JSON, incremental/codec.py). In pickle's fast mode, without
    its memo: the bytes then follow the values alone, not which of them happen to be one object (a page
    read from its file shares one path string between its locations, the same page read back from the
    cache does not, and both must give one key)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(values)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def bytes_digest(data: bytes) -> str:
    """SHA-256 of bytes, in hex: the same on every machine and Python, so it may name what outlives a build
    (css/site.<hash>.css, a generated file's manifest entry, the work folder of an output folder)."""
    return hashlib.sha256(data).hexdigest()
