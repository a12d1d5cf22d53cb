"""A one-page edit in a fresh build.py process does only what the edit asks (issue 25 item 6): it loads no
code it does not use, and it does not work out again what the cache already holds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import NOW, REPO, tree_bytes, write_tree

from sitegen.agenda import occurrences as occurrences_module
from sitegen.agenda.occurrences import occurrences
from sitegen.core import dates
from sitegen.incremental import agenda
from sitegen.pipeline import BuildOptions, build
from sitegen.render import search_words

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"


def test_the_search_words_load_only_the_dutch_stemmer():
    code = ("import sys; from sitegen.render.search_words import stem; print(stem('wandelingen')); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('snowballstemmer'))))")
    lines = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert lines[0] == "wandel"
    assert lines[1].split() == ["snowballstemmer.among", "snowballstemmer.basestemmer",
                                "snowballstemmer.dutch_porter_stemmer"]


def test_the_dutch_stemmer_stems_as_the_package_does():
    import snowballstemmer  # the whole package, as before

    words = ["wandelingen", "eenzaamheid", "eenzame", "brieven", "huizen", "koffieochtend", "vrijwilligers"]
    package = snowballstemmer.stemmer("dutch_porter")
    assert [search_words._stemmer().stemWord(w) for w in words] == [package.stemWord(w) for w in words]


def _agenda_site(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    write_tree(root, {"content/agenda.yaml": AGENDA})
    return root


# A weekly activity that crosses both changes of summer time, one at night that falls in the hour the clocks
# skip, an all-day one that repeats, and a one-off.
AGENDA = """\
- id: nacht
  title: Nachtwandeling
  start: 2026-03-22 02:30
  end: 03:30
  repeat:
    every: week
  location:
    name: Heide
    place: Beilen
- id: koffie
  title: Koffie
  start: 2026-01-06 10:00
  end: 11:30
  repeat:
    every: week
  location:
    name: Dorpshuis
    place: Beilen
- id: markt
  title: Markt
  start: 2026-03-02
  repeat:
    every: month
  location:
    name: Plein
    place: Beilen
- id: lezing
  title: Lezing
  start: 2026-12-01 19:30
  end: 21:00
  location:
    name: Bibliotheek
    place: Beilen
"""


def _build(root: Path, output: Path, use_cache: bool = True) -> dict:
    build(BuildOptions(root=root, output=output, now=dates.parse_now(NOW), use_cache=use_cache, search=False,
                       workers=1))
    return tree_bytes(output)


def test_a_page_edit_does_not_expand_the_agenda_again(tmp_path, monkeypatch):
    root = _agenda_site(tmp_path / "site")
    calls = []  # the activities whose dates expand() worked out (it asks occurrences() for each)
    monkeypatch.setattr(occurrences_module, "occurrences",
                        lambda event, until: calls.append(event.id) or occurrences(event, until))
    _build(root, tmp_path / "out")
    assert len(calls) == 4
    page = root / "content" / "over" / "oorzaken.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen zin erbij.\n", encoding="utf-8")
    cached = _build(root, tmp_path / "out")
    assert len(calls) == 4, "a page edit expanded every activity's dates again"
    assert cached == _build(root, tmp_path / "clean", use_cache=False)
    events = root / "content" / "agenda.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("every: month", "every: week"), encoding="utf-8")
    cached = _build(root, tmp_path / "out")
    assert len(calls) == 4 + 4 + 4  # the clean build after the page edit, and this one
    assert cached == _build(root, tmp_path / "clean", use_cache=False)


def test_the_kept_dates_are_numbers_and_a_text_that_is_not_such_is_refused(tmp_path):
    from sitegen.incremental.cache import BuildCache

    root = _agenda_site(tmp_path / "site")
    _build(root, tmp_path / "out")
    cache = BuildCache.load(root)
    try:
        (key, kept), = [(k, v) for k, v in cache.renders.items() if type(k) is str and k.startswith(agenda.KEY)]
    finally:
        cache.store.close()
    dates_ = kept[0].split(" ")
    assert "3" in dates_ and not [d for d in dates_ if d.startswith("3,")]  # the one-off: its own start and end
    assert [d for d in dates_ if d.startswith("0,t")] and [d for d in dates_ if d.startswith("2,d")]
    assert agenda.decoded("0,x1,-", ()) is None and agenda.decoded("5", ()) is None
    assert agenda.decoded("-1", (object(),)) is None  # never an index from the end


def test_converting_a_page_does_not_load_pygments():
    code = ("import sys; from sitegen.source.markdown import MarkdownConverter; "
            "c = MarkdownConverter().convert('```python\\nx = 1 < 2\\n```\\n', lambda target: None); "
            "print(repr(str(c.html))); print(any(m.split('.')[0] == 'pygments' for m in sys.modules))")
    lines = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert lines == ["'<pre><code class=\"language-python\">x = 1 &lt; 2\\n</code></pre>'", "False"]
