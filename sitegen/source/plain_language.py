"""The plain-language hints (taalniveau B1): sentences that are too long, and a Flesch-Douma reading ease
for the page as a whole, with the Dutch sentence and syllable rules they rest on. Rough guides, so they
only warn."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ..core.errors import Problem
from ..core.model import SourcePage
from .lint_reader import MarkdownSource, Segment, warning

MAX_SENTENCE_WORDS = 25
MIN_READING_EASE = 60
MIN_WORDS_FOR_SCORE = 50  # below this a reading-ease score says nothing

# Abbreviations whose full stop does not end a sentence (lower case, without the final stop).
ABBREVIATIONS = {
    "bijv", "bv", "o.a", "d.w.z", "enz", "etc", "nr", "ca", "mr", "mevr", "dhr", "drs", "dr", "ir",
    "ing", "prof", "i.p.v", "m.b.v", "t.o.v", "a.u.b", "n.a.v", "vs", "jl", "e.d", "e.a", "incl",
    "excl", "tel", "max", "min", "resp", "blz", "m.a.w", "z.s.m", "evt", "i.s.m", "o.b.v", "v.a",
    "t/m", "st", "mw", "ds", "vgl",
}


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    line: int
    column: int


def check_plain_language(source: SourcePage, body: MarkdownSource) -> list[Problem]:
    """Long sentences, and a Flesch-Douma reading ease below 60 for the page as a whole."""
    problems = []
    sentences = [s for block in body.blocks for s in sentences_of(block)]
    for sentence in sentences:
        if len(sentence.words) > MAX_SENTENCE_WORDS:
            problems.append(warning(source.source, sentence.line, sentence.column,
                                    f"deze zin is lang ({len(sentence.words)} woorden). Zinnen van hoogstens "
                                    f"{MAX_SENTENCE_WORDS} woorden zijn makkelijker te lezen (taalniveau B1); "
                                    "maak er twee of meer zinnen van."))
    words = [w for s in sentences for w in s.words]
    if len(words) >= MIN_WORDS_FOR_SCORE:
        score = flesch_douma(len(words), len(sentences), sum(syllables(w) for w in words))
        if score < MIN_READING_EASE:
            first = sentences[0]
            problems.append(warning(source.source, first.line, first.column,
                                    f"de tekst van deze pagina is moeilijk te lezen: het leesgemak is "
                                    f"{score:.0f} (Flesch-Douma; streef naar {MIN_READING_EASE} of meer). "
                                    "Gebruik kortere zinnen en kortere, gewone woorden. Dit is een grove "
                                    "schatting, geen eis."))
    return problems


def flesch_douma(words: int, sentences: int, syllable_count: int) -> float:
    """The Dutch reading-ease formula: higher is easier; 60-70 is plain language (B1)."""
    return 206.835 - 0.93 * (words / max(sentences, 1)) - 77 * (syllable_count / max(words, 1))


_MARKUP_RES = (
    re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)"),  # an image: its alt text is not prose
    re.compile(r"\]\([^)]*\)"),  # the target of a link (its text stays)
    re.compile(r"\]\[[^\]]*\]"),  # the reference of a link
    re.compile(r"\{:?[^}]*\}"),  # attribute lists
    re.compile(r"<[^>]*>"),  # HTML tags and autolinks
)
_WORD_RE = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?")
_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


_LETTER_RE = re.compile(r"[^\W\d_]")
_NUMBER_RE = re.compile(r"\d+")
_UNSPOKEN_RE = re.compile(r"[\[\]*`]")
_KEPT_RE = re.compile(rb"\x01+")


class Places:
    """The (line, column) in the source of every character of a block's prose, stored as runs."""

    def __init__(self, runs: list[tuple[int, int, int]]) -> None:
        self._runs = runs  # (offset in the prose, line, column) where a run of kept characters starts
        self._starts = [run[0] for run in runs]

    def __getitem__(self, offset: int) -> tuple[int, int]:
        start, line, column = self._runs[bisect.bisect_right(self._starts, offset) - 1]
        return line, column + offset - start


def prose(block: list[Segment]) -> tuple[str, Places]:
    """A block's text without markup, and for every character its (line, column) in the source."""
    parts: list[str] = []
    runs: list[tuple[int, int, int]] = []
    length = 0
    for segment in block:
        text = segment.text
        keep = bytearray(b"\x01" * len(text))
        for pattern in _MARKUP_RES:
            for match in pattern.finditer(text):
                start, end = match.span()
                if 0 not in keep[start:end]:
                    keep[start:end] = bytes(end - start)
        for match in _UNSPOKEN_RE.finditer(text):
            keep[match.start()] = 0
        for match in _KEPT_RE.finditer(keep):
            start, end = match.span()
            parts.append(text[start:end])
            runs.append((length, segment.line, segment.column + start))
            length += end - start
        parts.append(" ")
        runs.append((length, segment.line, segment.column + len(text)))
        length += 1
    return "".join(parts), Places(runs)


def sentences_of(block: list[Segment]) -> list[Sentence]:
    """The sentences of a paragraph or list item, each with where it starts."""
    text, places = prose(block)
    result = []
    start = 0
    for match in _END_RE.finditer(text):
        before = text[start:match.start()].rsplit(None, 1)
        last = before[-1].lower() if before else ""
        if match.group(0).startswith(".") and len(match.group(0)) == 1 and (
                last in ABBREVIATIONS or _LETTER_RE.fullmatch(last) or _NUMBER_RE.fullmatch(last)
                and _next_is_lower(text, match.end())):
            continue  # bijv. / J. Jansen / 3. mei
        result += _sentence(text, places, start, match.end())
        start = match.end()
    result += _sentence(text, places, start, len(text))
    return result


def _next_is_lower(text: str, position: int) -> bool:
    rest = text[position:].lstrip()
    return bool(rest) and rest[0].islower()


def _sentence(text: str, places: Places, start: int, end: int) -> list[Sentence]:
    words = tuple(_WORD_RE.findall(text[start:end]))
    if not words:
        return []
    first = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    line, column = places[first]
    return [Sentence(words, line, column)]


# Letter groups that Dutch speaks as one vowel sound, longest first; 'ij' is folded to 'ÿ' first.
_VOWEL_UNITS = ("aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "ou", "au", "eu",
                "ui", "ei", "ÿ")
_VOWEL_GROUP_RE = re.compile("|".join(_VOWEL_UNITS) + "|[aeiouy]")
# A diaeresis starts a new syllable (ideeën, geïnteresseerd): '|' keeps it apart from the vowel before it.
_FOLD = str.maketrans({"ë": "|e", "ï": "|i", "ö": "|o", "ü": "|u", "ä": "|a", "é": "e", "è": "e", "ê": "e",
                       "á": "a", "à": "a", "â": "a", "ó": "o", "ò": "o", "ô": "o", "í": "i", "ì": "i",
                       "î": "i", "ú": "u", "ù": "u", "û": "u"})


@functools.lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """A rough count of Dutch syllables: vowel groups, where aa, ee, ie, oe, ou, ij, ui and friends are one.

    A diaeresis starts a new syllable (ideeën, geïnteresseerd); other accents are dropped (één)."""
    folded = word.lower().replace("ij", "ÿ").translate(_FOLD)
    return max(len(_VOWEL_GROUP_RE.findall(folded)), 1)
