"""The persistent cache never changes the result: any sequence of cached builds equals a clean build."""

import os
import sqlite3
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import (NOW, REPO, CompiledTemplates, reference_builds_share_compiled_templates, run_build, tree_bytes,
                      write_tree)
from sitegen.core import dates
from sitegen.source import load
from sitegen.incremental.cache import CACHE_DIR, STATE_FILE, STORE_FILE, BuildCache
from sitegen.core.errors import ContentError
from sitegen.pipeline import BuildOptions, build
from sitegen.write.spare import spare_path, work_dir
from sitegen.incremental.store import CacheDamaged, StoredOutput

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"


def make_site(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    write_tree(root, {
        "content/over/samen.md": "---\ntitle: Samen\ndate: 2025-05-01\n---\n\n## Samen\n\nZie [oorzaken](oorzaken.md).\n",
        "content/agenda.yaml": "- id: koffie\n  title: Koffie\n  start: 2026-12-01 10:00\n  end: 11:00\n"
                               "  location:\n    name: Dorpshuis\n    place: Beilen\n",
        "templates/page.html": (REPO / "templates" / "page.html").read_text(encoding="utf-8"),
    })
    return root


def run(root: Path, output: Path, use_cache: bool):
    options = BuildOptions(root=root, output=output, now=dates.parse_now(NOW), use_cache=use_cache,
                           search=False, workers=1)
    try:
        build(options)
        return tree_bytes(output)
    except ContentError as exc:
        return sorted(p.format() for p in exc.problems)


EDITS = st.sampled_from(["body", "title", "date", "delete", "add", "template", "event", "slug", "link"])
# Damage to a cache file between builds (issue 19): which file, where (a fraction of its length), how many
# bits, and whether output/ and its spare are gone too (as in CI, which restores only .cache/).
FLIPS = st.tuples(st.just("flip"), st.sampled_from([STORE_FILE, STATE_FILE, "jinja"]), st.floats(0, 1),
                  st.integers(1, 16), st.booleans())


def flip_bits(root: Path, output: Path, damage: tuple) -> None:
    _, name, where, bits, drop_output = damage
    folder = root / CACHE_DIR
    # A build that stopped on a content error may have left a file out: damage only what is there.
    files = sorted((folder / "jinja").iterdir()) if name == "jinja" and (folder / "jinja").is_dir() else [folder / name]
    for path in [path for path in files if path.is_file()][:1]:
        data = bytearray(path.read_bytes())
        if data:
            start = min(int(where * len(data)), len(data) - 1)
            for n in range(bits):
                data[(start + 5 * n) % len(data)] ^= 1 << (n % 8)
            path.write_bytes(bytes(data))
    if drop_output:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(spare_path(output, work_dir(output, root)), ignore_errors=True)


def apply(root: Path, edit: str, n: int) -> None:
    page = root / "content" / "over" / "samen.md"
    if edit == "delete":
        if page.exists():
            page.unlink()
        return
    if not page.exists() or edit == "add":
        page.write_text(f"---\ntitle: Samen {n}\n---\n\nNieuw {n}.\n", encoding="utf-8")
        return
    text = page.read_text(encoding="utf-8")
    if edit == "body":
        text += f"\nExtra zin {n}.\n"
    elif edit == "title":
        text = text.replace("title: ", f"title: {n} ", 1)
    elif edit == "date":
        text = text.replace("---\n\n", f"updated: 2025-06-{1 + n % 28:02d}\n---\n\n", 1) if "updated" not in text else text
    elif edit == "slug":
        text = text.replace("---\n\n", f"slug: samen-{n}\n---\n\n", 1) if "slug" not in text else text
    elif edit == "link":
        text += f"\n[Wat helpt](wat-helpt.md) en [weg](weg-{n}.md).\n" if n % 2 else "\n[Home](../index.md)\n"
    elif edit == "template":
        template = root / "templates" / "page.html"
        # Inside the last block: a child template's text after its blocks is never rendered, and an edit
        # that changes no page would not show that a template change reaches the pages.
        head, _, tail = template.read_text(encoding="utf-8").rpartition("{% endblock %}")
        template.write_text(f"{head}<!-- wijziging {n} -->\n{{% endblock %}}{tail}", encoding="utf-8")
    elif edit == "event":
        agenda = root / "content" / "agenda.yaml"
        agenda.write_text(agenda.read_text(encoding="utf-8").replace("title: Koffie", f"title: Koffie {n}"),
                          encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    # Also move a linked target's title, which other pages show in listings and breadcrumbs.
    target = root / "content" / "over" / "oorzaken.md"
    if edit == "title":
        target.write_text(target.read_text(encoding="utf-8").replace("title: Oorzaken", f"title: Oorzaken {n}"),
                          encoding="utf-8")


# The clean builds' compiled templates, kept from one to the next (conftest: checked against the template text;
# the bits flipped below are in the cached build's own .cache/jinja, never in these).
REFERENCE_TEMPLATES = CompiledTemplates()


@pytest.mark.slow
@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.one_of(EDITS, FLIPS), min_size=1, max_size=5))
def test_any_sequence_of_cached_builds_equals_a_clean_build(ram_folders, edits):
    work = ram_folders("cache")  # in memory when the machine allows: what the builds make is checked, not the disk
    root = make_site(work / "site")
    cached_out, clean_out = work / "cached", work / "clean"
    run(root, cached_out, use_cache=True)
    for n, edit in enumerate(edits):
        if isinstance(edit, tuple):
            flip_bits(root, cached_out, edit)
        else:
            apply(root, edit, n)
        cached = run(root, cached_out, use_cache=True)
        with reference_builds_share_compiled_templates(REFERENCE_TEMPLATES):
            clean = run(root, clean_out, use_cache=False)
        assert cached == clean, f"after edits {edits[:n + 1]}"


def test_second_build_converts_nothing_and_rewrites_nothing(tmp_path):
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    run(root, out, use_cache=True)
    inodes = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    cache = BuildCache.load(root)
    assert cache.conversions  # the conversions were kept
    run(root, out, use_cache=True)
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == inodes


@pytest.mark.slow
def test_corrupt_or_stale_cache_is_ignored(tmp_path):
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    expected = run(root, out, use_cache=True)
    cache_file = root / CACHE_DIR / STORE_FILE
    cache_file.write_bytes(cache_file.read_bytes()[:5000])  # truncated
    assert run(root, tmp_path / "out2", use_cache=True) == expected
    with sqlite3.connect(cache_file) as db:
        db.execute("UPDATE meta SET value = 'an older generator' WHERE name = 'version'")
    assert run(root, tmp_path / "out3", use_cache=True) == expected
    cache_file.write_bytes(b"not a database at all")
    assert run(root, tmp_path / "out4", use_cache=True) == expected
    # Entries that refer to stored values which are gone (deleted by hand): rebuilt, not a crash.
    assert run(root, tmp_path / "out5", use_cache=True) == expected
    with sqlite3.connect(cache_file) as db:
        assert db.execute("DELETE FROM blobs").rowcount > 0
    (root / "content" / "over" / "samen.md").touch()  # past the no-change shortcut
    assert run(root, tmp_path / "out5", use_cache=True) == expected
    with sqlite3.connect(cache_file) as db:
        db.execute("DELETE FROM blobs")  # none left when that build read no stored value
    for folder in (tmp_path / "out5", spare_path(tmp_path / "out5", work_dir(tmp_path / "out5", root))):
        shutil.rmtree(folder)  # now every file must be written from the (damaged) cache
    assert run(root, tmp_path / "out5", use_cache=True) == expected


@pytest.mark.slow
def test_no_cache_and_clean_from_the_command_line(tmp_path):
    root = make_site(tmp_path / "site")
    assert run_build("--site", str(root), "--now", NOW, "--no-cache", "--no-search").returncode == 0
    # Only the previous output tree (the spare) is kept in .cache/, no build cache.
    assert [p.name for p in (root / CACHE_DIR).iterdir()] == ["output-trees"]
    assert run_build("--site", str(root), "--now", NOW, "--no-search").returncode == 0
    assert (root / CACHE_DIR / STORE_FILE).is_file()
    assert run_build("clean", "--site", str(root)).returncode == 0
    assert not (root / CACHE_DIR).exists() and not (root / "output").exists()


def test_an_edit_that_keeps_size_and_time_is_still_seen(tmp_path):
    """Page sources are reused by name, size, times and inode: a same-size edit with the old time put back
    (as some tools do) still changes the change time, so the page is read again."""
    root = make_site(tmp_path / "site")
    page = root / "content" / "over" / "samen.md"
    page.write_text("---\ntitle: Samen\n---\n\nWoord-AAAA.\n", encoding="utf-8")
    old = page.stat()
    os.utime(page, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))  # not racy: trusted next time
    assert "Woord-AAAA" in run(root, tmp_path / "out", use_cache=True)["over/samen/index.html"].decode()
    before = page.stat()
    page.write_text("---\ntitle: Samen\n---\n\nWoord-BBBB.\n", encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_size == before.st_size and page.stat().st_mtime_ns == before.st_mtime_ns
    html = run(root, tmp_path / "out", use_cache=True)["over/samen/index.html"].decode()
    assert "Woord-BBBB" in html and "Woord-AAAA" not in html


def test_unchanged_sources_are_not_read_again(tmp_path, monkeypatch):
    root = make_site(tmp_path / "site")
    moment = time.time() - 3600
    for path in (root / "content").rglob("*"):
        os.utime(path, (moment, moment))
    run(root, tmp_path / "out", use_cache=True)
    (root / "content" / "over" / "samen.md").write_text("---\ntitle: Samen\n---\n\nAnders.\n", encoding="utf-8")
    read = []
    original = load.read_text
    monkeypatch.setattr(load, "read_text", lambda path, *a: read.append(path.name) or original(path, *a))
    run(root, tmp_path / "out", use_cache=True)
    assert "samen.md" in read and "oorzaken.md" not in read


@pytest.mark.slow
def test_a_cache_locked_by_another_build_is_left_alone_and_the_build_still_succeeds(tmp_path):
    root = make_site(tmp_path / "site")
    run(root, tmp_path / "out", use_cache=True)
    (root / "content" / "over" / "samen.md").write_text("---\ntitle: Samen\n---\n\nAnders.\n", encoding="utf-8")
    expected = run(root, tmp_path / "clean", use_cache=False)
    other = sqlite3.connect(root / CACHE_DIR / STORE_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another build is writing the cache right now
    try:
        assert run(root, tmp_path / "out", use_cache=True) == expected
    finally:
        other.rollback()
        other.close()
    assert run(root, tmp_path / "out", use_cache=True) == expected  # and the cache still works afterwards


@pytest.mark.slow
def test_a_cache_restored_into_a_fresh_checkout_is_used(tmp_path, monkeypatch):
    """CI keeps .cache/ between runs (actions/cache): every file of the new checkout has new times and
    inodes, and the generator's own files too, yet the conversions are reused and the result is the same."""
    from sitegen.incremental import engine

    root = make_site(tmp_path / "site")
    run(root, tmp_path / "out", use_cache=True)
    checkout = tmp_path / "checkout"
    shutil.copytree(root, checkout, ignore=shutil.ignore_patterns(CACHE_DIR))
    shutil.copytree(root / CACHE_DIR, checkout / CACHE_DIR)
    converted = []
    original = engine.MarkdownConverter.convert
    monkeypatch.setattr(engine.MarkdownConverter, "convert",
                        lambda self, text, *rest: converted.append(text) or original(self, text, *rest))
    restored = run(checkout, tmp_path / "out-restored", use_cache=True)
    assert converted == []
    assert restored == run(checkout, tmp_path / "out-clean", use_cache=False)


def test_the_cache_version_follows_the_code_not_file_times(tmp_path, monkeypatch):
    from sitegen.incremental import version as version_module

    copy = tmp_path / "sitegen"
    shutil.copytree(version_module.GENERATOR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    versions = []
    for change in ("", "touch", "edit"):
        if change == "touch":
            os.utime(copy / "source" / "markdown.py", (1, 1))
        elif change == "edit":
            with (copy / "source" / "markdown.py").open("a", encoding="utf-8") as handle:
                handle.write("\n# changed\n")
        monkeypatch.setattr(version_module, "GENERATOR", copy)
        version_module.cache_version.cache_clear()
        versions.append(version_module.cache_version())
    version_module.cache_version.cache_clear()
    assert versions[0] == versions[1] != versions[2]


def test_the_cache_version_follows_the_installed_versions_not_the_folder_they_are_in(tmp_path, monkeypatch):
    """A cache restored into another checkout, or read through a linked .venv, is still good: the same
    package versions in another folder give the same version; another package version gives another."""
    import importlib.machinery
    from sitegen.incremental import version as version_module

    def install(folder: Path, markdown_version: str) -> Path:
        packages = folder / "site-packages"
        for name in ("markdown", "nh3", "jinja2", "icalendar", "feedgen", "yaml", "lxml", "dateutil", "tzdata"):
            (packages / name).mkdir(parents=True)
            (packages / name / "__init__.py").write_text("", encoding="utf-8")
        (packages / f"Markdown-{markdown_version}.dist-info").mkdir()
        (packages / "Jinja2-3.1.4.dist-info").mkdir()
        return packages

    def version_in(packages: Path) -> str:
        def find_spec(name):
            spec = importlib.machinery.ModuleSpec(name, None, origin=str(packages / name / "__init__.py"))
            spec.submodule_search_locations = [str(packages / name)]
            return spec
        monkeypatch.setattr(version_module.importlib.util, "find_spec", find_spec)
        version_module.cache_version.cache_clear()
        try:
            return version_module.cache_version()
        finally:
            version_module.cache_version.cache_clear()

    first = version_in(install(tmp_path / "checkout-a" / ".venv", "3.7"))
    moved = version_in(install(tmp_path / "elsewhere" / "venv", "3.7"))
    upgraded = version_in(install(tmp_path / "checkout-b" / ".venv", "3.8"))
    assert first == moved != upgraded


def test_every_value_the_cache_holds_comes_back_equal_and_of_its_type(tmp_path):
    """The codec (incremental/codec.py) writes what a real build keeps and reads back equal values of
    the same types: tuples stay tuples, aware date-times keep their zone and fold, stored texts and
    outputs read through the store."""
    from sitegen.incremental.codec import entry_codec

    root = make_site(tmp_path / "site")
    build(BuildOptions(root=root, output=tmp_path / "out", now=dates.parse_now(NOW), workers=1))  # with search
    cache = BuildCache.load(root)
    codec = entry_codec(cache.store)
    seen = set()

    def shape(value):
        seen.add(type(value).__name__)
        if isinstance(value, (list, tuple)):
            return (type(value), tuple(shape(v) for v in value))
        if isinstance(value, dict):
            return (dict, tuple((shape(k), shape(v)) for k, v in value.items()))
        if hasattr(value, "__dataclass_fields__"):
            return (type(value), tuple(shape(getattr(value, f)) for f in value.__dataclass_fields__))
        if hasattr(value, "__slots__"):  # store.Blob, store.StoredOutput: their reference, and their value
            data = value.data if hasattr(value, "data") else str(value)
            return (type(value), tuple(getattr(value, n) for n in value.__slots__ if not n.startswith("_")), data)
        return (type(value), getattr(value, "tzinfo", None), getattr(value, "fold", None), str(value))

    for kind in ("conversions", "hints", "renders", "sources"):
        entries = getattr(cache, kind)
        assert entries, kind
        for key, value in entries.items():
            again = codec.decode(codec.encode(value))
            assert shape(again) == shape(value), (kind, key)
            assert codec.decode(codec.encode(key)) == key
    assert {"SourcePage", "Conversion", "Heading", "Location", "Blob", "StoredOutput", "Entry", "tuple"} <= seen, seen


def test_an_equal_link_context_of_an_earlier_build_in_the_process_is_not_hashed_again(monkeypatch):
    """The dev server: whether every link still leads where it did is a comparison of the maps, not a
    sort and hash of 10,000 URLs on each rebuild (twice: the pages and the activities)."""
    from sitegen.incremental.engine import convert_bodies
    from sitegen.source import links as links_module
    from sitegen.source.links import LinkContext

    hashed = []
    real = links_module.digest
    monkeypatch.setattr(links_module, "digest", lambda *values: hashed.append(values) or real(*values))
    cache = BuildCache()
    items = [("a.md", "Zie [b](b.md).")]
    first = convert_bodies(items, LinkContext({"a.md": "/a/", "b.md": "/b/"}, {}, {}, "/"), cache, 1)
    again = convert_bodies(items, LinkContext({"a.md": "/a/", "b.md": "/b/"}, {}, {}, "/"), cache, 1)
    assert len(hashed) == 1 and str(again[0].html) == str(first[0].html)
    moved = convert_bodies(items, LinkContext({"a.md": "/a/", "b.md": "/elders/"}, {}, {}, "/"), cache, 1)
    assert len(hashed) == 2 and 'href="/elders/"' in str(moved[0].html)


def test_pruning_again_touches_only_what_the_last_build_added(monkeypatch):
    """prune() after each dev-server rebuild: the rendered files already in the store are not looked at
    one by one again (at 10,000 pages that was a tenth of a rebuild)."""
    from sitegen.core.model import Output
    from sitegen.incremental import cache as cache_module

    moved = []
    real = cache_module.stored
    monkeypatch.setattr(cache_module, "stored", lambda output, store: moved.append(output.path) or real(output, store))
    cache = BuildCache()
    cache.renders.update({"step\ta": [Output("a.html", b"a", "a.md")], "step\tb": [Output("b.html", b"b", "b.md")],
                          "reads\ta": ["", "page\t/a/\ttitle", "=A"]})
    cache.used.update(cache.renders)
    cache.prune()
    assert sorted(moved) == ["a.html", "b.html"]
    moved.clear()
    cache.renders["step\tc"] = [Output("c.html", b"c", "c.md")]
    cache.used = {"step\ta", "step\tc", "reads\ta"}
    cache.prune()
    assert moved == ["c.html"] and set(cache.renders) == {"step\ta", "step\tc", "reads\ta"}
    assert [bytes(o.data) for o in cache.renders["step\tc"]] == [b"c"]


def test_a_prune_without_sweep_keeps_the_stored_values_until_the_sweep(monkeypatch):
    """The dev server prunes after each rebuild and sweeps the store (a look at every entry) only when
    no one waits: a value no entry refers to stays until then, and goes then."""
    from sitegen.core.model import Output

    cache = BuildCache()
    cache.renders["step\ta"] = [Output("a.html", b"oud", "a.md")]
    cache.used = {"step\ta"}
    cache.prune()
    key = next(iter(cache.store._values))
    cache.renders["step\ta"] = [Output("a.html", b"nieuw", "a.md")]
    cache.prune(sweep=False)
    assert key in cache.store._values and len(cache.store._values) == 2
    cache.sweep()
    assert key not in cache.store._values and [bytes(o.data) for o in cache.renders["step\ta"]] == [b"nieuw"]


def _entries_cache(root: Path, entries: list[tuple]) -> None:
    """A cache on disk holding exactly these (kind, key, value) entries, written as a build writes them."""
    from sitegen.incremental.codec import entry_codec
    from sitegen.incremental.store import DiskStore
    from sitegen.incremental.version import cache_version

    store = DiskStore(root / CACHE_DIR / STORE_FILE)
    codec = entry_codec(store)
    store.save_entries([(kind, codec.encode(key).decode("utf-8"), codec.encode(value)) for kind, key, value in entries],
                       [], set(), cache_version())
    store.close()


def _good_entries() -> list[tuple]:
    from sitegen.core.errors import Location, Problem

    return [("hints", "h", [Problem(Location("content/a.md", 1, 1), "x")]), ("hints", "e", []),
            ("renders", "reads\tx", ["", "a", "b"]), ("renders", "step\tx", [StoredOutput("a.html", "a", "d")]),
            ("renders", ("links", "/", "d"), (("/", "index.html"), ("/a/", "a/index.html"))),
            ("renders", "none", []), ("sources", ("content/a.md", 1, 2, 3, 4), [])]


@pytest.mark.parametrize("bad", [
    ("conversions", "k", ({}, "no conversion", "")),
    ("conversions", ("k",), ({}, "no conversion", "")),
    ("hints", "h", [None]),
    ("hints", "h", "text"),
    ("sources", ("content/a.md", 1, 2, 3), []),
    ("sources", ("content/a.md", 1, 2, 3, "4"), []),
    ("sources", ("content/a.md", 1, 2, 3, 4), ["text"]),
    ("renders", "step\tx", ["a", 1]),
    ("renders", "step\tx", [StoredOutput("a.html", "a", "d"), "a"]),
    ("renders", ("links", 1), []),
    ("renders", "links", (("/", "index.html", "extra"),)),
    ("renders", "links", (("/", 1),)),
    ("renders", "links", ("/",)),
    ("renders", "k", {"a": "b"}),
])
def test_an_entry_of_the_wrong_shape_among_good_ones_damages_the_cache(tmp_path, bad):
    """Every entry is checked for the shape its kind has, also when all others of its kind are good."""
    _entries_cache(tmp_path, _good_entries())
    cache = BuildCache.load(tmp_path)
    assert cache.hints["e"] == [] and type(cache.renders["step\tx"][0]) is StoredOutput
    assert cache.renders[("links", "/", "d")][1] == ("/a/", "a/index.html")
    cache.store.close()
    _entries_cache(tmp_path, [bad])
    with pytest.raises(CacheDamaged):
        BuildCache.load(tmp_path)


def test_an_edit_releases_what_its_replaced_entries_referred_to(tmp_path, monkeypatch):
    """A page edited keeps its cache entries' names with new values (its rendered files): the values the
    old ones referred to are released by name, so saving never has to compare every key in the store
    with every reference (thousands of rows in a temporary table, on each one-page edit)."""
    from sitegen.incremental.store import DiskStore

    root, output = make_site(tmp_path / "site"), tmp_path / "out"
    run(root, output, use_cache=True)
    page = root / "content" / "over" / "samen.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    left = []
    write_entries = DiskStore._write_entries

    def spy(self, db, upserts, deletes, keep, version, released):
        stored = {key for key, in db.execute("SELECT key FROM blobs")}
        left.append(stored - keep - (released or set()) - self._added)
        return write_entries(self, db, upserts, deletes, keep, version, released)

    monkeypatch.setattr(DiskStore, "_write_entries", spy)
    assert isinstance(run(root, output, use_cache=True), dict)
    assert left == [set()]


def test_a_cached_rebuild_names_its_pages_hints_and_conversions_without_hashing(tmp_path, monkeypatch):
    """Three hint entries and a conversion per page are looked up on every build: their keys are made
    from the page's digest and names, not hashed again (digest() costs ~5 µs, 4,000 times at 1,000 pages)."""
    from sitegen.incremental import engine

    root, output = make_site(tmp_path / "site"), tmp_path / "out"
    run(root, output, use_cache=True)
    page = root / "content" / "over" / "samen.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    calls = []
    monkeypatch.setattr(engine, "digest", lambda *values: calls.append(values) or "x")
    assert isinstance(run(root, output, use_cache=True), dict)
    assert calls == []
