"""Files below a folder, read and written without ever following a symbolic link (issue 24).

A path is walked one name at a time from the open folder (openat with O_NOFOLLOW), so a link anywhere below
the folder is refused, also one swapped in between a check and a use: there is no separate check. Only
regular files are read (never a FIFO, a device or a socket). A write goes to a temporary dot-file beside the
target and is renamed over it (os.replace), so a reader sees the old file or the new one, never half of one.

The folder itself is the caller's (the site's content/, the generator's static/): it may be reached through a
link that whoever set up the machine made, such as a shared node_modules/.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class Refused(Exception):
    """A path that is not a plain name below the folder, passes a link, or is not a regular file."""


class TooLarge(Exception):
    """A file larger than the caller allows."""


def parts_of(rel: str) -> tuple[str, ...]:
    """'a/b.md' -> ('a', 'b.md'); Refused for an absolute path, '..', '.', an empty name, a backslash or NUL."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise Refused(rel)
    parts = tuple(rel.split("/"))
    if any(part in ("", ".", "..") for part in parts):
        raise Refused(rel)
    return parts


def _open_below(parent: int, name: str, create: bool) -> int:
    """The folder name in parent, opened without following a link (made first when create and missing)."""
    try:
        return os.open(name, DIR_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ELOOP):  # a file, or a symbolic link, where a folder should be
            raise Refused(name) from exc
        raise
    try:
        os.mkdir(name, 0o755, dir_fd=parent)
    except FileExistsError:
        pass  # made by another request in between: still opened below without following a link
    return os.open(name, DIR_FLAGS, dir_fd=parent)


@contextmanager
def folder(root: Path, parts: tuple[str, ...], create: bool = False):
    """An open descriptor of root/parts..., each name opened below the one before it without following links."""
    current = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for name in parts:
            below = _open_below(current, name, create)
            os.close(current)
            current = below
        yield current
    finally:
        os.close(current)


def _kind(parent: int, name: str) -> int | None:
    """The file type bits of name in parent (not following a link), or None when there is nothing."""
    try:
        return stat.S_IFMT(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return None


def read(root: Path, rel: str, limit: int) -> bytes:
    """The bytes of the regular file root/rel; Refused for a link or another kind of file, TooLarge past limit."""
    parts = parts_of(rel)
    with folder(root, parts[:-1]) as parent:
        try:
            fd = os.open(parts[-1], FILE_FLAGS, dir_fd=parent)
        except OSError as exc:
            if exc.errno in (errno.ENOTDIR, errno.ELOOP, errno.ENXIO):  # a link, a socket
                raise Refused(rel) from exc
            raise
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused(rel)
        if info.st_size > limit:
            raise TooLarge(rel)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(rel)
    return data


def write(root: Path, rel: str, data: bytes) -> None:
    """Put data in root/rel atomically (temporary file, then os.replace); folders are made as needed.

    Refused when rel is a link or anything but a regular file."""
    parts = parts_of(rel)
    with folder(root, parts[:-1], create=True) as parent:
        name = parts[-1]
        if _kind(parent, name) not in (None, stat.S_IFREG):
            raise Refused(rel)
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                     dir_fd=parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, name, src_dir_fd=parent, dst_dir_fd=parent)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=parent)
            except FileNotFoundError:
                pass
            raise


def remove(root: Path, rel: str) -> bool:
    """Delete the regular file root/rel; False when there is none, Refused for a link or another kind."""
    parts = parts_of(rel)
    try:
        with folder(root, parts[:-1]) as parent:
            kind = _kind(parent, parts[-1])
            if kind is None:
                return False
            if kind != stat.S_IFREG:
                raise Refused(rel)
            os.unlink(parts[-1], dir_fd=parent)
            return True
    except FileNotFoundError:
        return False


def move(root: Path, source: str, target: str) -> None:
    """Rename the regular file root/source to root/target (replacing a regular file there)."""
    source_parts, target_parts = parts_of(source), parts_of(target)
    with folder(root, source_parts[:-1]) as old, folder(root, target_parts[:-1], create=True) as new:
        if _kind(old, source_parts[-1]) != stat.S_IFREG or _kind(new, target_parts[-1]) not in (None, stat.S_IFREG):
            raise Refused(source)
        os.rename(source_parts[-1], target_parts[-1], src_dir_fd=old, dst_dir_fd=new)


def listing(root: Path, rel: str, depth: int) -> list[str]:
    """The regular files below root/rel down to depth folders (1: only rel's own), as paths like rel/x.md.

    Links and other kinds of file are left out; a folder that is missing gives an empty list."""
    found: list[str] = []
    try:
        with folder(root, parts_of(rel)) as start:
            _walk(start, rel, depth, found)
    except FileNotFoundError:
        return []
    return sorted(found)


def _walk(fd: int, prefix: str, depth: int, found: list[str]) -> None:
    if depth <= 0:
        return
    with os.scandir(fd) as entries:
        names = [(e.name, e.is_dir(follow_symlinks=False), e.is_file(follow_symlinks=False)) for e in entries]
    for name, is_dir, is_file in names:
        if is_file:
            found.append(f"{prefix}/{name}")
        elif is_dir and depth > 1:
            try:
                below = os.open(name, DIR_FLAGS, dir_fd=fd)
            except OSError:
                continue  # gone, or swapped for a link in between
            try:
                _walk(below, f"{prefix}/{name}", depth - 1, found)
            finally:
                os.close(below)
