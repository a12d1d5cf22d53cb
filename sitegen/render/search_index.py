"""The files of zoekindex/: documents made into entries (pure, memoised), entries joined into shards.

    zoekindex/index.json      {"block": B, "blocks": [n, ...], "language": "nl", "shards": [name, ...],
                               "stop": [stop word, ...], "version": hash}
    zoekindex/w/<name>.json   one shard: every folded word of the site that starts with the two characters
                              of its name, and all a query for those words needs:
                                "w": {word: group}        the word and the group it finds (its stem, and
                                                          the compounds it is a part of)
                                "g": [{weight: [doc, ...]}] per group, the documents that have it, by
                                                          their weight (a hex digit)
                                "s": [{doc: sentence}]    per group, for its TOP best documents, the first
                                                          sentence with the word: the excerpt
                                "d": {doc: record}        the record of each of those documents
    zoekindex/r/<n>.json      {doc: [record, first sentence]} for documents n*B to n*B+B-1, fetched only for a
                              result outside every top list (a query of several words)

A record is [url, title, kind] and for an activity also [when, village, status]. Documents are numbered
in A-to-Z order of title, so equal scores keep that order without a file of their own. A cold query thus
fetches index.json and one shard per word, and rarely a record file: a few requests whatever the size of
the site, and a shard holds no text but the sentences of its top documents.
"""

from __future__ import annotations

import functools
import json
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from .search_words import STOP_WORDS, compound_parts, cut, separable_verbs, sentences, stem, words

TITLE_WEIGHT = 10  # a word in the title counts as much as ten in the text
BODY_CAP = 5  # a word that appears more often in the text counts as five
TOP = 10  # documents per group that come with their record and sentence (search.js shows 10 results)
RELATED_SHARE = 4  # a related word (content/zoekwoorden.yaml) weighs a quarter of the word itself
BLOCK = 64  # documents per record file
FOLDER = "zoekindex"
SOURCE = "sitegen/render/search.py"
assert TITLE_WEIGHT + BODY_CAP < 16  # a weight is one hex digit in Entry


@dataclass(frozen=True)
class Entry:
    """What the index needs from one document, made once and memoised in the build cache.

    Strings rather than a tuple per word: thousands of entries are pickled with the cache on every build,
    and the cost of that grows with the number of objects. Words are grouped by stem here already, so
    that what every build does again (index_files) is one short loop per group of a document."""

    order: tuple[str, str, str]  # its place in the A-to-Z order: sort_key(title), url
    record: tuple[str, ...]  # url, title, kind(, when, village, status): what a result shows
    words: str  # its folded words, separated by spaces
    groups: str  # their stems, separated by spaces
    weights: str  # the weight of each group, a hex digit each
    places: tuple[int, ...]  # per group, the index in sentences of the first sentence that has it (0 if none)
    sentences: tuple[str, ...]  # the text's first sentence and each group's first, in text order, each cut
    # to SENTENCE_LIMIT characters: the only ones an excerpt can show


def make_entry(order: tuple[str, str, str], record: tuple[str, ...], title: str, text: str) -> Entry:
    """A document as the index sees it. Pure: the same arguments give an equal entry.

    A group's weight: TITLE_WEIGHT if one of its words is in the title, plus how often its words are in
    the text (at most BODY_CAP). Stop words count only in the title."""
    while record and not record[-1]:
        record = record[:-1]
    said = sentences(text)
    counts: dict[str, int] = {}
    places: dict[str, int] = {}
    found_words: set[str] = set()
    for number, sentence in enumerate(said):
        found = words(sentence)
        for word in found + separable_verbs(found):
            if word not in STOP_WORDS:
                found_words.add(word)
                group = stem(word)
                counts[group] = counts.get(group, 0) + 1
                places.setdefault(group, number)
    in_title = set(words(title))
    found_words |= in_title
    titled = {stem(word) for word in in_title}
    groups = sorted(counts.keys() | titled)
    weights = "".join(f"{TITLE_WEIGHT * (g in titled) + min(counts.get(g, 0), BODY_CAP):x}" for g in groups)
    # Only the sentences the index can show: the first (a record's excerpt) and each group's first. The
    # others would only be kept in the build cache and read again by every build.
    firsts = [places.get(g, 0) for g in groups]
    shown = sorted({0, *firsts}) if said else []
    renumber = {number: index for index, number in enumerate(shown)}
    return Entry(order, tuple(record), " ".join(sorted(found_words)), " ".join(groups), weights,
                 tuple(renumber.get(number, 0) for number in firsts), tuple(cut(said[n]) for n in shown))


def shard_name(word: str) -> str:
    """The shard of a word: its first two characters, one that is not [a-z0-9] written as _<hex code>."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in word[:2])


def _json(data) -> bytes:
    """The one JSON form of the index: sorted keys, no whitespace, UTF-8."""
    return _encoder()(data).encode("utf-8")


@functools.cache
def _encoder():
    """One encoder for every file and row (json.dumps with options makes a new one per call)."""
    return json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def related_groups(related: tuple[tuple[str, ...], ...]) -> tuple[set[str], dict[str, set[str]]]:
    """The folded words of the related lines (shipped even when no page has them: 'weduwe'), and per stem
    the stems of the other words on its lines. A word of several words' lines finds them all."""
    added: set[str] = set()
    alike: dict[str, set[str]] = defaultdict(set)
    for line in related:
        folded = [word for raw in line for word in words(raw)]
        added.update(folded)
        groups = {stem(word) for word in folded}
        for group in groups:
            alike[group] |= groups - {group}
    return added, {group: others for group, others in alike.items() if others}


def _lowered(row: dict[str, list[int]]) -> dict[str, list[int]]:
    """Postings at a quarter of their weight (at least 1): a page found through a related word comes after
    the pages that have the word itself, even when the related word is in its title."""
    halved: dict[str, list[int]] = defaultdict(list)
    for digit, numbers in row.items():
        halved[f"{max(1, int(digit, 16) // RELATED_SHARE):x}"] += numbers
    return {digit: sorted(numbers) for digit, numbers in halved.items()}


def _merge(rows: list[dict[str, list[int]]]) -> dict[str, list[int]]:
    """Postings of several groups as one; a document in more than one keeps its highest weight."""
    best: dict[int, str] = {}
    for row in rows:
        for digit, numbers in row.items():
            for number in numbers:
                if digit > best.get(number, ""):
                    best[number] = digit
    merged: dict[str, list[int]] = defaultdict(list)
    for number in sorted(best):
        merged[best[number]].append(number)
    return dict(merged)


class _Places:
    """The sentence of a document where a group first occurs (or, for a compound part, the compound)."""

    def __init__(self, entries: list[Entry], groups_of: list[list[str]], joined: dict[str, set[str]],
                 alike: dict[str, set[str]]) -> None:
        self.entries, self.groups_of = entries, groups_of
        self.candidates = {group: (group, *sorted(joined.get(group, ())), *sorted(alike.get(group, ())))
                           for group in joined.keys() | alike.keys()}

    def sentence(self, number: int, group: str) -> str:
        entry, groups = self.entries[number], self.groups_of[number]
        if not entry.sentences:
            return ""
        for candidate in self.candidates.get(group, (group,)):
            place = bisect_left(groups, candidate)  # a document's groups are sorted (make_entry)
            if place < len(groups) and groups[place] == candidate:
                return entry.sentences[entry.places[place]]
        return entry.sentences[0]


def top(row: dict[str, list[int]]) -> list[int]:
    """A group's TOP best documents: highest weight, then A to Z."""
    found: list[int] = []
    for digit in sorted(row, reverse=True):
        found += row[digit][:TOP - len(found)]
        if len(found) == TOP:
            break
    return found


def shard_data(in_shard: list[str], postings: dict[str, dict[str, list[int]]], top_of, entries: list[Entry],
               places: _Places) -> dict:
    """One shard: its words, the groups they find with their documents by weight, and the sentences and
    records of each group's TOP best documents (top_of(group): those, as top() gives them)."""
    local: dict[str, int] = {}
    for word in in_shard:
        local.setdefault(stem(word), len(local))
    rows, said, shown = [], [], {}
    for group in local:
        rows.append(postings.get(group, {}))
        found = top_of(group)
        said.append({str(number): places.sentence(number, group) for number in found})
        shown.update((str(number), entries[number].record) for number in found)
    return {"d": shown, "g": rows, "s": said, "w": {word: local[stem(word)] for word in in_shard}}
