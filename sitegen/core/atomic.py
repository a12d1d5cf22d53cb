"""One way to write a file whole or not at all (Lektor's "transaction safe" write): the bytes go to a
temporary file beside it, which os.replace then puts in its place in one step. A reader sees the old file or
the new one, never half of one; a failure (a full disk, a killed build) leaves the old file and no temporary
one. Standard library only: the no-change check and write/ use it."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write data to path whole or not at all; OSError when it could not (the old file, if any, stays).

    The temporary file's name carries the process id: two builds writing the same file at once never
    write into one temporary file (one left behind by a killed process of the same id is overwritten)."""
    path = Path(path)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
