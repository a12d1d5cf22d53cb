"""A rebuild in a fresh build.py process (issue 25, item 6) does not make what only a next build in the
same process (the dev server's) could use, and still gives what a clean build gives."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from conftest import NOW, tree_bytes

from sitegen.core import dates
from sitegen.incremental import reads
from sitegen.incremental.cache import BuildCache
from sitegen.pipeline import BuildOptions, build, generate

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"
OLD = 1_600_000_000  # old enough for the cache to trust a file's size and times (load.RACY_SECONDS)


def _site(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    for folder, folders, names in os.walk(root, topdown=False):
        for name in names + folders:
            os.utime(os.path.join(folder, name), (OLD, OLD))
    return root


def _options(root: Path, output: Path, use_cache: bool = True) -> BuildOptions:
    return BuildOptions(root=root, output=output, now=dates.parse_now(NOW), use_cache=use_cache, search=False,
                        workers=1)


def _edit(root: Path) -> None:
    page = root / "content" / "over" / "oorzaken.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen zin erbij.\n", encoding="utf-8")
    os.utime(page, (OLD + 60, OLD + 60))


def test_a_build_leaves_the_index_of_its_steps_reads_to_a_next_build_in_its_process(tmp_path, monkeypatch):
    indexed = []
    real = reads.Fingerprints._index
    monkeypatch.setattr(reads.Fingerprints, "_index", lambda self: indexed.append(len(self._vouched)) or real(self))
    root = _site(tmp_path / "site")
    build(_options(root, tmp_path / "out"))
    _edit(root)
    build(_options(root, tmp_path / "out"))  # a fresh cache from disk, as build.py's
    assert indexed == [], "a one-off build indexed its steps' reads by path"
    build(_options(root, tmp_path / "clean", use_cache=False))
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "clean")

    cache = BuildCache()  # the dev server's: the next build in the process indexes what the one before noted
    generate(_options(root, tmp_path / "unused"), cache=cache)
    assert indexed == []
    generate(_options(root, tmp_path / "unused"), cache=cache)
    assert len(indexed) == 1 and indexed[0] > 0


def test_the_dates_fingerprint_follows_every_date_without_pickling_each(tmp_path, monkeypatch):
    from test_edit_speed import _agenda_site

    root = _agenda_site(tmp_path / "site")
    site = generate(_options(root, tmp_path / "unused"), cache=BuildCache()).site
    hashed = []
    real = reads.digest
    monkeypatch.setattr(reads, "digest", lambda *values: hashed.append(values) or real(*values))
    events = reads.fingerprint(site.events)
    hashed.clear()
    found = reads.occurrences_fingerprint(site, events)
    assert len(hashed) == 1 and all(type(v) is str for v in hashed[0][0]), "the dates were pickled one by one"
    moved = [o for o in site.occurrences if o.start is not o.event.start and hasattr(o.start, "fold")]
    assert moved, "the fixture has repeated dates"
    for change in (lambda o: replace(o, start=o.start + timedelta(hours=1)), lambda o: replace(o, end=None),
                   lambda o: replace(o, start=o.start.replace(fold=1 - o.start.fold)),
                   lambda o: replace(o, event=site.events[0] if o.event is not site.events[0] else site.events[1])):
        first = moved[0]
        other = replace(site, occurrences=tuple(change(o) if o is first else o for o in site.occurrences))
        assert reads.occurrences_fingerprint(other, events) != found
    assert reads.occurrences_fingerprint(site, "other activities") != found
