"""A one-page edit in a fresh build.py process does only what the edit asks (issue 25 item 6): it loads no
code it does not use, and it does not work out again what the cache already holds."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from sitegen.render import search_words


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
