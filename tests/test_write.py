"""The writer: the new tree replaces output/ in one step, and it refuses folders that are not ours."""

import os
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.model import Asset, Output
from sitegen.write import MARKER, check_output_dir, clean, write_site


def test_writes_files_and_marks_the_folder_as_ours(tmp_path):
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"hoi", "x"), Output("a/b.txt", b"b", "y")], [])
    assert (out / "index.html").read_bytes() == b"hoi"
    assert (out / "a" / "b.txt").read_bytes() == b"b"
    assert (out / MARKER).is_file()


def test_replaces_the_old_tree_without_leftovers(tmp_path):
    out = tmp_path / "output"
    write_site(out, [Output("oud.html", b"oud", "x")], [])
    write_site(out, [Output("nieuw.html", b"nieuw", "x")], [])
    assert not (out / "oud.html").exists()
    assert (out / "nieuw.html").read_bytes() == b"nieuw"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_refuses_two_outputs_for_one_path_and_keeps_old_tree(tmp_path):
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"oud", "x")], [])
    with pytest.raises(ContentError) as info:
        write_site(out, [Output("p.html", b"1", "content/a.md"), Output("p.html", b"2", "content/b.md")], [])
    assert "content/a.md" in str(info.value)
    assert (out / "index.html").read_bytes() == b"oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_refuses_paths_that_leave_the_output_folder(tmp_path):
    with pytest.raises(ContentError):
        write_site(tmp_path / "output", [Output("../buiten.html", b"x", "x")], [])
    assert not (tmp_path / "buiten.html").exists()


def test_copies_assets(tmp_path):
    source = tmp_path / "foto.jpg"
    source.write_bytes(b"jpg")
    out = tmp_path / "output"
    write_site(out, [], [Asset(str(source), "/over/foto.jpg")])
    assert (out / "over" / "foto.jpg").read_bytes() == b"jpg"


@pytest.mark.parametrize("relative", ["", "content", "templates", ".."])
def test_refuses_dangerous_output_folders(tmp_path, relative):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "templates").mkdir()
    assert check_output_dir(site / relative if relative else site, site) is not None


def test_refuses_home_and_root(tmp_path):
    assert check_output_dir(Path.home(), tmp_path) is not None
    assert check_output_dir(Path("/"), tmp_path) is not None


def test_refuses_a_full_folder_we_did_not_make(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "belangrijk.txt").write_text("niet weggooien")
    assert "niet door build.py gemaakt" in check_output_dir(out, tmp_path / "site")
    (out / "belangrijk.txt").unlink()
    assert check_output_dir(out, tmp_path / "site") is None


def test_clean_removes_only_our_folder(tmp_path):
    mine = tmp_path / "output"
    write_site(mine, [Output("a.html", b"a", "x")], [])
    other = tmp_path / "other"
    other.mkdir()
    (other / "x").write_text("x")
    assert clean(mine) and not mine.exists()
    assert not clean(other) and (other / "x").exists()


def test_unchanged_files_are_not_rewritten_and_no_change_touches_nothing(tmp_path):
    out = tmp_path / "output"
    files = [Output("a.html", b"a", "x"), Output("b.html", b"b", "y")]
    manifest = write_site(out, files, [])
    inode_a = (out / "a.html").stat().st_ino
    marker_inode = (out / MARKER).stat().st_ino
    # Nothing changed: output/ is left exactly as it is.
    assert write_site(out, files, [], previous=manifest) == manifest
    assert (out / MARKER).stat().st_ino == marker_inode
    # One file changed: the other is the same file on disk (hard-linked), not written again.
    manifest = write_site(out, [Output("a.html", b"a", "x"), Output("b.html", b"B", "y")], [], previous=manifest)
    assert (out / "a.html").stat().st_ino == inode_a
    assert (out / "b.html").read_bytes() == b"B"


def test_a_stale_manifest_cannot_keep_wrong_bytes(tmp_path):
    out = tmp_path / "output"
    manifest = write_site(out, [Output("a.html", b"a", "x")], [])
    (out / "a.html").unlink()  # someone removed a file by hand
    write_site(out, [Output("a.html", b"a", "x")], [], previous=manifest)
    assert (out / "a.html").read_bytes() == b"a"
