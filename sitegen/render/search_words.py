"""The words of the search index: folding, Dutch stems, compound parts and sentences, at build time only.

The browser never stems: the index ships every folded surface form of the site ("wandelingen") mapped to
what it finds, so search.js only folds what a resident types (case and accents away, as fold() does here)
and looks the words up. Stems come from the Snowball Dutch stemmer (the snowballstemmer package, pinned
in requirements.txt); its classic "dutch_porter" variant keeps eenzaam, eenzame and eenzaamheid together,
which the newer "dutch" one does not.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import sys
import unicodedata

# Words too common to find anything in a text. A title's stop words are still indexed, so that a query
# of stop words only ("één", the coalition's own name) finds the pages that have them in the title.
STOP_WORDS = frozenset("""aan als bij dan dat de die dit door een en er het in is je maar met naar
of om ook op te tot uit van voor was we ze zijn""".split()
                       # what residents type around what they look for: "ik ben zo alleen", "mijn man"
                       + "ik me mij mijn ben zo erg heel mee".split())
MIN_PART = 4  # the shortest compound part: "zorg", "thee", not "op"
LINKS = ("s", "e", "en")  # Dutch linking letters between compound parts: vrijwilliger-s-werk
SENTENCE_LIMIT = 220  # characters of a sentence kept for an excerpt

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W_]+")  # letters and digits (after fold() there are no combining marks left)
_UNVOICED = {"v": "f", "z": "s"}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def _drop_mark(match: re.Match) -> str:
    return "" if unicodedata.category(match.group())[0] == "M" else match.group()


def fold(text: str) -> str:
    """Case and accents away: 'Één' -> 'een', 'ideeën' -> 'ideeen', 'café' -> 'cafe'."""
    text = text.casefold()
    if text.isascii():
        return text
    return _NON_ASCII.sub(_drop_mark, unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """Every folded word of a text, stop words included, one-letter words not."""
    return [word for word in _WORD.findall(fold(text)) if len(word) > 1]


STEMMER_MODULE = "snowballstemmer.dutch_porter_stemmer"


@functools.lru_cache(maxsize=1)
def _stemmer():
    """snowballstemmer's Dutch Porter stemmer (what snowballstemmer.stemmer("dutch_porter") gives), its
    module imported without the package's __init__, which imports all its 30-odd languages to offer
    stemmer(name): some 25 ms of every build that makes the search index, a one-page edit's too."""
    if STEMMER_MODULE not in sys.modules and "snowballstemmer" not in sys.modules:
        spec = importlib.util.find_spec("snowballstemmer")
        if spec is not None and spec.submodule_search_locations is not None:
            sys.modules["snowballstemmer"] = importlib.util.module_from_spec(spec)  # the package, not run
            try:
                importlib.import_module(STEMMER_MODULE)  # and its two helpers (basestemmer, among)
            finally:
                del sys.modules["snowballstemmer"]  # a later `import snowballstemmer` runs the real one
    module = sys.modules.get(STEMMER_MODULE)
    if module is not None:
        return module.DutchPorterStemmer()
    import snowballstemmer

    return snowballstemmer.stemmer("dutch_porter")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball Dutch stem of a folded word: 'wandelingen' and 'wandeling' -> 'wandel'."""
    if not word.isalpha():
        return word
    found = _stemmer().stemWord(word)
    # Dutch spelling writes the end of a stem as f and s, its plural as v and z (brief, brieven; huis,
    # huizen): Porter's Snowball stemmer keeps them apart, residents do not.
    return found[:-1] + _UNVOICED[found[-1]] if found[-1:] in _UNVOICED else found


def compound_parts(word: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """The two parts of a compound, of which at least the first is a word (or stem) of the site.

    'koffieochtend' -> ('koffie', 'ochtend'); 'wandelgroep' -> ('wandel', 'groep') by the stem of
    'wandelen'; 'vrijwilligerswerk' -> ('vrijwilliger', 'werk') across the linking s. A split whose two parts
    are both known wins; otherwise a known head leaves a tail of at least MIN_PART letters ('mantelzorgcafe'
    -> ('mantelzorg', 'cafe'), though 'cafe' alone is not on the site). One split, no more: that is what
    residents search by. () for a word that is no compound of known words."""
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    fallback: tuple[str, ...] = ()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):  # the longest head first
        head, tail = word[:cut], word[cut:]
        heads = [head] + [head[:-len(link)] for link in LINKS
                          if head.endswith(link) and len(head) - len(link) >= MIN_PART]
        for candidate in heads:
            if candidate in vocabulary:
                if tail in vocabulary:
                    return (candidate, tail)
                fallback = fallback or (candidate, tail)
    return fallback


# Particles of Dutch separable verbs: "we halen u op" is what "ophalen" asks for.
PARTICLES = frozenset("op af mee aan uit terug langs weg".split())


def separable_verbs(sentence_words: list[str]) -> list[str]:
    """'ophalen' from the words of 'Dan halen we u gratis op': a sentence that ends with a particle
    joins it to each word of the sentence that can be a verb form (ends in -en, or -t)."""
    if len(sentence_words) < 3 or sentence_words[-1] not in PARTICLES:
        return []
    particle = sentence_words[-1]
    return [particle + word for word in sentence_words[:-1]
            if len(word) >= 4 and word.isalpha() and word.endswith(("en", "t")) and word not in STOP_WORDS]


def sentences(text: str) -> list[str]:
    """The sentences of a plain text."""
    return [sentence for sentence in (part.strip() for part in _SENTENCE_END.split(text.strip())) if sentence]


def cut(sentence: str) -> str:
    """A sentence for an excerpt: at most SENTENCE_LIMIT characters, cut at a word."""
    if len(sentence) <= SENTENCE_LIMIT:
        return sentence
    return sentence[:SENTENCE_LIMIT].rsplit(" ", 1)[0] + " …"
