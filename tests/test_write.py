"""The writer: the new tree replaces output/ in one step, and it refuses folders that are not ours."""

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import tree_bytes
from sitegen.write import writer as write
from sitegen.core.errors import ContentError
from sitegen.core.model import Asset, Output
from sitegen.write.guard import MARKER, check_output_dir
from sitegen.write.spare import (KEPT_TREES, SPARE_RECORD, clean, output_intact, prune_work_folders, spare_path,
                                 work_dir)
from sitegen.write.writer import write_site


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
    # Beside output/ only the spare: the old tree, kept for the next build.
    assert sorted(p.name for p in tmp_path.iterdir()) == [spare_path(out).name, "output"]
    assert (spare_path(out) / SPARE_RECORD).is_file()


def test_refuses_two_outputs_for_one_path_and_keeps_old_tree(tmp_path):
    out = tmp_path / "output"
    write_site(out, [Output("index.html", b"oud", "x")], [])
    with pytest.raises(ContentError) as info:
        write_site(out, [Output("p.html", b"1", "content/a.md"), Output("p.html", b"2", "content/b.md")], [])
    assert "content/a.md" in str(info.value)
    assert (out / "index.html").read_bytes() == b"oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == [spare_path(out).name, "output"]


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
    assert write_site(out, files, []) == manifest
    assert (out / MARKER).stat().st_ino == marker_inode
    # One file changed: the other is copied from output/ (the first build left an empty spare), never
    # shared with it: the tree that is served and the one written have no file in common.
    manifest = write_site(out, [Output("a.html", b"a", "x"), Output("b.html", b"B", "y")], [])
    assert (out / "a.html").read_bytes() == b"a" and (out / "b.html").read_bytes() == b"B"
    assert (spare_path(out) / "a.html").stat().st_ino == inode_a
    assert all(p.stat().st_nlink == 1 for tree in (out, spare_path(out)) for p in tree.rglob("*") if p.is_file())


def test_a_stale_manifest_cannot_keep_wrong_bytes(tmp_path):
    out = tmp_path / "output"
    manifest = write_site(out, [Output("a.html", b"a", "x")], [])
    (out / "a.html").unlink()  # someone removed a file by hand
    write_site(out, [Output("a.html", b"a", "x")], [])
    assert (out / "a.html").read_bytes() == b"a"


# Double buffering: the tree output/ had one build ago is kept beside it (the spare) and brought up to date.

def pages(count: int, changed: dict[int, bytes] | None = None) -> list[Output]:
    """A site of `count` pages in ten sections, with the bytes of some pages replaced."""
    changed = changed or {}
    return [Output(f"s{n % 10}/p{n}/index.html", changed.get(n, f"pagina {n}".encode()), f"content/p{n}.md")
            for n in range(count)] + [Output("index.html", b"home", "content/index.md")]


def inodes(root: Path) -> dict[str, int | tuple[int, int]]:
    """Inode of every folder below root (and of root itself, as ""), inode and change time of every file:
    a file written anew may get the inode number of one just deleted, never its ctime as well."""
    found = {p.relative_to(root).as_posix(): p.stat().st_ino if p.is_dir() else (p.stat().st_ino, p.stat().st_ctime_ns)
             for p in root.rglob("*")}
    found[""] = root.stat().st_ino
    return found


def expected(outputs: list[Output]) -> dict[str, bytes]:
    return {**{o.path: o.data for o in outputs}, MARKER: write.MARKER_TEXT.encode()}


def two_builds(out: Path, count: int = 40) -> dict[str, str]:
    """Two writes, so that output/ is the second tree and the spare the first; returns the manifest."""
    manifest = write_site(out, pages(count), [])
    return write_site(out, pages(count, {1: b"een"}), [])


def test_a_one_page_change_writes_one_file_into_the_spare(tmp_path, monkeypatch):
    out = tmp_path / "output"
    manifest = two_builds(out)
    spare = spare_path(out)
    before = inodes(spare)
    live = inodes(out)
    links = []
    real_copy = shutil.copyfile
    monkeypatch.setattr(shutil, "copyfile", lambda a, b, **kw: links.append(str(b)) or real_copy(a, b, **kw))
    files = pages(40, {1: b"een", 7: b"zeven"})
    write_site(out, files, [])
    after = inodes(out)
    assert tree_bytes(out) == expected(files)
    # The spare became output/: the same folders, not new ones.
    assert all(after[path] == before[path] for path in ["", "s0", "s1", "s9", "s9/p9"])
    # Only the changed page is a new file; page 1 (changed one build ago, so old in the spare) is
    # copied from the last output/; every other file stayed where it was.
    files_after = {path: ino for path, ino in after.items() if (out / path).is_file() and path != MARKER}
    assert {path for path, ino in files_after.items() if ino != before.get(path)} == {
        "s1/p1/index.html", "s7/p7/index.html"}
    assert [Path(link).relative_to(spare.parent).parts[1:] for link in links] == [("s1", "p1", "index.html")]
    assert {path for path, ino in files_after.items() if ino != before.get(path)} == {
        "s1/p1/index.html", "s7/p7/index.html"}


def test_removed_outputs_go_new_ones_come_and_empty_folders_vanish(tmp_path):
    out = tmp_path / "output"
    manifest = two_builds(out, count=40)
    folders_before = inodes(spare_path(out))
    files = [o for o in pages(40, {1: b"een"}) if not o.path.startswith("s3/")]
    files.append(Output("nieuw/deel/index.html", b"nieuw", "content/nieuw.md"))
    source = tmp_path / "foto.jpg"
    source.write_bytes(b"jpg")
    write_site(out, files, [Asset(str(source), "/s4/foto.jpg")])
    assert tree_bytes(out) == {**expected(files), "s4/foto.jpg": b"jpg"}
    assert not (out / "s3").exists()
    assert [p for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())] == []
    assert inodes(out)[""] == folders_before[""]  # it was the spare that was brought up to date


def hand_edit_same_size(spare: Path) -> None:
    page = spare / "s5" / "p5" / "index.html"
    data = page.read_bytes()
    page.unlink()  # a new file: the one in output/ is the same file and must stay as it is
    page.write_bytes(b"X" * len(data))
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))


def hand_edit_in_place(spare: Path) -> None:
    page = spare / "s5" / "p5" / "index.html"
    with page.open("r+b") as handle:  # the same file as in output/: both change
        handle.write(b"PAGINA")
    # File times move in steps of a few milliseconds: a later edit gets a later time.
    later = page.stat().st_mtime_ns + 10_000_000
    os.utime(page, ns=(later, later))


def hand_edit_longer(spare: Path) -> None:
    page = spare / "s5" / "p5" / "index.html"
    page.unlink()
    page.write_bytes(b"een andere, langere tekst")


def add_a_file(spare: Path) -> None:
    (spare / "s5" / "extra.html").write_bytes(b"niet van ons")


def plant_a_symlink(spare: Path) -> None:
    page = spare / "s5" / "p5" / "index.html"
    page.unlink()
    page.symlink_to(spare.parent / "buiten.txt")


def remove_the_record(spare: Path) -> None:
    (spare / SPARE_RECORD).unlink()
    hand_edit_same_size(spare)


def garble_the_record(spare: Path) -> None:
    (spare / SPARE_RECORD).write_text('{"manifest": "x", "spare": {"s5/p5/index.html": [1, 2]', encoding="utf-8")
    hand_edit_same_size(spare)


def remove_a_file(spare: Path) -> None:
    (spare / "s5" / "p5" / "index.html").unlink()  # the record still lists it


@pytest.mark.parametrize("edit", [hand_edit_same_size, hand_edit_in_place, hand_edit_longer, add_a_file,
                                  plant_a_symlink, remove_a_file, remove_the_record, garble_the_record])
def test_a_spare_changed_by_hand_is_not_trusted(tmp_path, edit):
    out = tmp_path / "output"
    (tmp_path / "buiten.txt").write_bytes(b"buiten")
    manifest = two_builds(out)
    edit(spare_path(out))
    files = pages(40, {1: b"een", 7: b"zeven"})
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)
    assert (tmp_path / "buiten.txt").read_bytes() == b"buiten"
    # And the build after that is right as well (the spare is now the tree made before).
    files = pages(40, {2: b"twee"})
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)


def test_a_file_put_into_output_by_hand_does_not_come_back(tmp_path):
    """output/ becomes the spare of the build after next: the folder's new time gives the file away."""
    out = tmp_path / "output"
    manifest = two_builds(out)
    (out / "s5" / "extra.html").write_bytes(b"niet van ons")
    for changed in ({1: b"een", 7: b"zeven"}, {2: b"twee"}, {3: b"drie"}):
        files = pages(40, changed)
        manifest = write_site(out, files, [])
        assert tree_bytes(out) == expected(files)


def test_a_file_of_output_edited_by_hand_is_not_reused(tmp_path):
    """Page 1 changed in the last build, so output/ has it as a file of its own (not in the spare)."""
    out = tmp_path / "output"
    manifest = two_builds(out)
    page = out / "s1" / "p1" / "index.html"
    with page.open("r+b") as handle:
        handle.write(b"EEN")
    later = page.stat().st_mtime_ns + 10_000_000
    os.utime(page, ns=(later, later))
    files = pages(40, {1: b"een", 7: b"zeven"})
    manifest = write_site(out, files, [])
    assert tree_bytes(out) == expected(files)
    # The edited file is in the spare now; the record's sizes and times still catch it.
    files = pages(40, {1: b"een"})
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)


def test_a_spare_that_is_a_symlink_is_not_followed(tmp_path):
    out = tmp_path / "output"
    manifest = two_builds(out)
    elsewhere = tmp_path / "elders"
    spare_path(out).rename(elsewhere)
    spare_path(out).symlink_to(elsewhere)
    before = tree_bytes(elsewhere)
    files = pages(40, {7: b"zeven"})
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)
    assert tree_bytes(elsewhere) == before


def test_a_build_that_fails_while_updating_the_spare_changes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "output"
    manifest = two_builds(out)
    before = tree_bytes(out)
    calls = []
    real_unlink = os.unlink

    def failing_unlink(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("afgebroken")
        return real_unlink(path, *args, **kwargs)

    # Halfway through deleting the spare's changed files; and, as a kill would, no clean-up afterwards.
    monkeypatch.setattr(os, "unlink", failing_unlink)
    monkeypatch.setattr(write.shutil, "rmtree", lambda *args, **kwargs: None)
    files = pages(40, {1: b"een", 7: b"zeven", 8: b"acht"})
    with pytest.raises(RuntimeError):
        write_site(out, files, [])
    monkeypatch.undo()
    assert tree_bytes(out) == before
    assert not spare_path(out).exists()  # it was taken: half-updated, it carries the staging name
    assert (tmp_path / f".output.new-{os.getpid()}").is_dir()
    assert not (tmp_path / f".output.new-{os.getpid()}" / SPARE_RECORD).exists()
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == [spare_path(out).name, "output"]


def test_a_link_at_this_builds_staging_name_is_removed_and_what_it_points_to_kept(tmp_path):
    """A restored .cache/ may hold links under the names of a killed build's trees: with this process's
    id (or a live one) the build failed to make its staging folder; where they point stays untouched."""
    out = tmp_path / "output"
    two_builds(out)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"precious\n")
    for name in (f".output.new-{os.getpid()}", ".output.old-1"):
        (tmp_path / name).symlink_to(outside, target_is_directory=True)
    files = pages(40, {3: b"drie"})
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)
    assert tree_bytes(outside) == {"keep.txt": b"precious\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["outside", "output", spare_path(out).name])


def in_two_workers(function, items):
    """What the build passes as map_fn: the files written by two forked processes (parallel.fork_map)."""
    from sitegen.incremental.parallel import fork_map

    return fork_map(function, items, 2, minimum=1)


def test_files_written_by_two_workers_make_the_tree_and_record_one_process_makes(tmp_path):
    """Each file written in one of two processes: the same bytes, and a record whose size, times and inode
    of every file are those on disk (else the next build would trust a file it should not, or none)."""
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(b"jpeg")
    assets = [Asset(str(photo), "/s1/foto.jpg")]
    trees = {}
    for name, map_fn in (("alone", None), ("workers", in_two_workers)):
        out = tmp_path / name / "output"
        for changed in ({}, {3: b"drie"}, {3: b"drie", 7: b"zeven"}):  # cold, first edit (copies), an edit
            files = pages(300, changed)
            manifest = write_site(out, files, assets, map_fn=map_fn)
            assert output_intact(out, manifest), (name, changed)
        trees[name] = tree_bytes(out)
    assert trees["workers"] == trees["alone"] == {**expected(files), "s1/foto.jpg": b"jpeg"}
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    with pytest.raises(ContentError) as refused:  # failed in a worker, done again here: the same message
        write_site(tmp_path / "workers" / "output", files, [Asset(str(fifo), "/s2/pipe.jpg")], map_fn=in_two_workers)
    assert "geen gewoon bestand" in refused.value.problems[0].message
    assert tree_bytes(tmp_path / "workers" / "output") == trees["alone"]


def test_a_failing_before_swap_keeps_output_and_the_next_build_is_right(tmp_path):
    out = tmp_path / "output"
    manifest = two_builds(out)
    before = tree_bytes(out)

    def fail(staging):
        raise ContentError([])

    with pytest.raises(ContentError):
        write_site(out, pages(40, {7: b"zeven"}), [], before_swap=fail)
    assert tree_bytes(out) == before
    files = pages(40, {7: b"zeven"})
    write_site(out, files, [], before_swap=lambda staging: (staging / "extra.txt").write_bytes(b"x"))
    assert tree_bytes(out) == {**expected(files), "extra.txt": b"x"}


def test_going_back_to_an_earlier_state_writes_it_again(tmp_path):
    """What output/ holds is known from the spare's record, not from what a caller remembers (a --no-cache
    build saves no manifest): back to the first state after a change, the changed file is written again."""
    out = tmp_path / "output"
    write_site(out, pages(20), [])
    write_site(out, pages(20, {3: b"drie"}), [])
    write_site(out, pages(20), [])
    assert tree_bytes(out) == expected(pages(20))


def test_without_renameat2_the_spare_works_too(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "output"
    manifest = two_builds(out)
    folder = inodes(spare_path(out))[""]
    files = pages(40, {7: b"zeven"})
    write_site(out, files, [])
    assert tree_bytes(out) == expected(files)
    assert inodes(out)[""] == folder
    assert sorted(p.name for p in tmp_path.iterdir()) == [spare_path(out).name, "output"]


def test_a_sequence_of_writes_always_gives_exactly_the_new_tree(tmp_path):
    out = tmp_path / "output"
    source = tmp_path / "foto.jpg"
    manifest = None
    for round, (count, changed) in enumerate([(30, {}), (30, {1: b"a"}), (25, {1: b"a", 2: b"b"}), (35, {}),
                                              (35, {}), (10, {9: b"c"}), (40, {1: b"a"}), (40, {1: b"a"})]):
        source.write_bytes(b"jpg" * round)
        os.utime(source, ns=(round, round))
        files = pages(count, changed)
        manifest = write_site(out, files, [Asset(str(source), "/s1/foto.jpg")])
        assert tree_bytes(out) == {**expected(files), "s1/foto.jpg": b"jpg" * round}, round


def test_clean_removes_the_spare_too(tmp_path):
    out = tmp_path / "output"
    two_builds(out)
    assert spare_path(out).is_dir()
    assert clean(out)
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_build_leaves_nothing_beside_the_output_but_the_output(tmp_path):
    """A web server that serves output/'s parent must not find the previous build (or a half-written one)
    there: the spare and staging trees live in the site's .cache/, and an old spare beside it is removed."""
    from conftest import NOW, run_build, write_tree

    root = write_tree(tmp_path / "site", {
        "site.yaml": "title: T\ntagline: t\nbase_url: https://example.org/\nmunicipality: M\n"
                     "contact: {organisation: O}\nmenu: [{title: Home, page: index.md}]\n",
        "content/index.md": "---\ntitle: Home\n---\nHallo.\n",
        "content/weg.md": "---\ntitle: Weg\n---\nPrivacy.\n",
    })
    www = tmp_path / "www"
    www.mkdir()
    legacy = www / ".sitegen-spare-site"  # what earlier versions kept beside the output
    legacy.mkdir()
    (legacy / SPARE_RECORD).write_text("{}", encoding="utf-8")
    (legacy / "weg").mkdir()
    for step in range(3):
        if step == 2:
            (root / "content" / "weg.md").unlink()
        result = run_build("--site", str(root), "--output", str(www / "site"), "--now", NOW, "--no-search")
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in www.iterdir()) == ["site"]
    assert not (www / "site" / "weg").exists()
    spare = spare_path((www / "site").resolve(), work_dir(www / "site", root))
    assert spare.is_relative_to(root.resolve() / ".cache") and (spare / SPARE_RECORD).is_file()
    assert run_build("--site", str(root), "--output", str(www / "site"), "clean").returncode == 0
    assert not spare.exists() and not any(www.iterdir())


def test_only_the_work_folders_used_last_are_kept_and_none_in_use(tmp_path):
    """Every --output path gets a work folder in .cache/output-trees/ (its spare: a whole copy of that
    output), and nothing else removes one once that output is gone: this repository's had 206."""
    trees, now = tmp_path / "output-trees", 1_800_000_000.0
    ages = {f"old{n}": 7200 + 60 * n for n in range(12)} | {"busy": 60, "mine": 30 * 86400}
    for name, age in ages.items():
        (trees / name / ".sitegen-spare-output").mkdir(parents=True)
        os.utime(trees / name, (now - age, now - age))
    outside = tmp_path / "outside"
    outside.mkdir()
    (trees / "link").symlink_to(outside, target_is_directory=True)
    prune_work_folders(trees, trees / "mine", now)
    kept = sorted(p.name for p in trees.iterdir())
    assert kept == sorted(["mine", "busy", "link"] + [f"old{n}" for n in range(KEPT_TREES - 1)])
    assert outside.is_dir()


def test_a_build_removes_work_folders_of_outputs_long_gone(build_main, tmp_path):
    from conftest import MINIMAL_SITE_YAML, write_tree

    site = tmp_path / "site"
    write_tree(site, {"site.yaml": MINIMAL_SITE_YAML, "content/index.md": "---\ntitle: Welkom\n---\n\nWelkom.\n"})
    for n in range(KEPT_TREES + 3):
        assert build_main("--site", str(site), "--output", str(tmp_path / f"preview{n}"), "-q")[0] == 0
    trees = site / ".cache" / "output-trees"
    assert len(list(trees.iterdir())) == KEPT_TREES + 3  # all used in the last hour: any may be in use
    for folder in trees.iterdir():  # as if built long ago, preview0 first
        used = 1000 * int(folder.name.rsplit("-", 1)[0].removeprefix("preview"))
        os.utime(folder, (used, used))
    assert build_main("--site", str(site), "-q")[0] == 0
    assert sorted(p.name.rsplit("-", 1)[0] for p in trees.iterdir()) == sorted(
        ["output"] + [f"preview{n}" for n in range(3, KEPT_TREES + 3)])
