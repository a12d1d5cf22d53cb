"""One way to write a file whole or not at all (Lektor's "transaction safe" write): the bytes go to a
temporary file beside it, which os.replace then puts in its place in one step. A reader sees the old file or
the new one, never half of one; a failure (a full disk, a killed build) leaves the old file and no temporary
one. Writing so also replaces whatever else stood there (a FIFO, which a plain open() for writing would
wait on for ever). And, for what a stranger may have replaced (a restored .cache/), one way to read a file
of the build's own (read_regular) and one way to make a folder it writes into (real_folder). Standard
library only: the no-change check and write/ use it."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write data to path whole or not at all; OSError when it could not (the old file, if any, stays).

    The temporary file's name carries the process id: two builds writing the same file at once never
    write into one temporary file (one left behind by a killed process of the same id is overwritten)."""
    path = Path(path)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        # Made anew ("x": never opened through a link a restored .cache/ put under that name, which would
        # truncate the file it points to, out of the site).
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def regular_opener(path, flags: int) -> int:
    """An opener for open(): without blocking, and only a regular file (OSError for anything else: a FIFO
    in its place would hang a plain open)."""
    fd = os.open(path, flags | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return fd


def read_regular(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file; OSError (FileNotFoundError when there is nothing) for anything else in
    its place, never followed, waited on or read: a link (to /dev/zero, or out of the site), a FIFO (whose
    open or read would wait for ever), a folder or a device."""
    with open(path, "rb", opener=lambda name, flags: regular_opener(name, flags | os.O_NOFOLLOW)) as handle:
        return handle.read()


def real_folder(path: str | os.PathLike, base: str | os.PathLike | None = None) -> Path:
    """path as a folder of the build's own, made when missing. A link in its place is removed, never
    followed: the build would write where it points (compiled templates, or the previous output/ with a
    page taken down for privacy reasons, into a folder a web server publishes). base: a folder path lies
    in (the site's): every folder between them is made real so too (.cache/ itself may be the link)."""
    path = Path(path)
    parts = path.relative_to(base).parts if base is not None else ()
    for folder in [Path(base).joinpath(*parts[:end]) for end in range(1, len(parts))] + [path]:
        if folder.is_symlink():
            folder.unlink()
        folder.mkdir(parents=base is None, exist_ok=True)
    return path
