"""core/atomic.py: writing a file whole, reading only a regular file, and making a folder of the build's own,
where a restored .cache/ may hold links and FIFOs in place of anything."""

from __future__ import annotations

import os

import pytest

from sitegen.core.atomic import read_regular, real_folder, write_atomic


def test_write_atomic_replaces_a_fifo_and_a_link_never_writing_through_them(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious\n")
    fifo, link = tmp_path / "fifo", tmp_path / "link"
    os.mkfifo(fifo)
    link.symlink_to(outside)
    for path in (fifo, link):
        write_atomic(path, b"new\n")
        assert path.read_bytes() == b"new\n" and not path.is_symlink()
    assert outside.read_bytes() == b"precious\n"


def test_write_atomic_never_opens_a_link_left_at_its_temporary_name(tmp_path):
    """The temporary file's name is predictable (the process id): a link planted there would have the
    write truncate the file it points to."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious\n")
    path = tmp_path / ".gitignore"
    path.with_name(f"{path.name}.{os.getpid()}.tmp").symlink_to(outside)
    write_atomic(path, b"*\n")
    assert path.read_bytes() == b"*\n"
    assert outside.read_bytes() == b"precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, outside.name])


def test_read_regular_refuses_a_link_and_a_fifo(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"secret\n")
    (tmp_path / "link").symlink_to(outside)
    os.mkfifo(tmp_path / "fifo")
    assert read_regular(outside) == b"secret\n"
    for name in ("link", "fifo"):
        with pytest.raises(OSError):
            read_regular(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing")


def test_real_folder_removes_a_link_at_every_level_below_the_base(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside"
    (outside / "trees").mkdir(parents=True)
    site.mkdir()
    (site / ".cache").symlink_to(outside, target_is_directory=True)
    made = real_folder(site / ".cache" / "trees" / "output-1", base=site)
    assert made.is_dir() and not (site / ".cache").is_symlink()
    assert [p.relative_to(outside).as_posix() for p in outside.rglob("*")] == ["trees"]
    (site / ".cache" / "trees" / "output-1").rmdir()
    (site / ".cache" / "trees" / "output-1").symlink_to(outside, target_is_directory=True)
    real_folder(site / ".cache" / "trees" / "output-1", base=site)
    assert not (site / ".cache" / "trees" / "output-1").is_symlink()
    assert real_folder(site / "new" / "deep") == site / "new" / "deep" and (site / "new" / "deep").is_dir()
