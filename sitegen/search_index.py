"""The files of zoekindex/: documents made into entries (pure, memoised), entries joined into shards.

    zoekindex/index.json      {"block": B, "blocks": [n, ...], "language": "nl", "shards": [name, ...],
                               "stop": [stop word, ...], "version": hash}
    zoekindex/w/<name>.json   one shard: every folded word of the site that starts with the two characters
                              of its name, and all a query for those words needs:
                                "w": {word: group}        the word and the group it finds (its stem, and
                                                          the compounds it is a part of)
                                "g": [[gap, weight, ...]] per group, the documents that have it: the gap
                                                          from the previous document number, and a weight
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

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from .model import Output
from .search_words import STOP_WORDS, compound_parts, separable_verbs, sentences, stem, words

TITLE_WEIGHT = 10  # a word in the title counts as much as ten in the text
BODY_CAP = 5  # a word that appears more often in the text counts as five
TOP = 10  # documents per group that come with their record and sentence (search.js shows 10 results)
BLOCK = 64  # documents per record file
FOLDER = "zoekindex"
SOURCE = "sitegen/search.py"
assert TITLE_WEIGHT + BODY_CAP < 16  # a weight is one hex digit in Entry


@dataclass(frozen=True)
class Entry:
    """What the index needs from one document, made once and memoised in the build cache.

    Strings rather than a tuple per word: thousands of entries are pickled with the cache on every build,
    and the cost of that grows with the number of objects."""

    order: tuple[str, str, str]  # its place in the A-to-Z order: sort_key(title), url
    record: str  # [url, title, kind(, when, village, status)] as JSON
    terms: str  # its folded words, separated by spaces
    weights: str  # their weights, a hex digit each
    places: tuple[int, ...]  # per word, the number of the first sentence that has it (0 if none)
    sentences: tuple[str, ...]


def make_entry(order: tuple[str, str, str], record: list[str], title: str, text: str) -> Entry:
    """A document as the index sees it. Pure: the same arguments give an equal entry.

    A word's weight: TITLE_WEIGHT if it is in the title, plus how often it is in the text (at most
    BODY_CAP). Stop words count only in the title."""
    while record and not record[-1]:
        record = record[:-1]
    said = sentences(text)
    weights: dict[str, int] = {}
    places: dict[str, int] = {}
    for number, sentence in enumerate(said):
        found = words(sentence)
        for word in found + separable_verbs(found):
            if word not in STOP_WORDS:
                weights[word] = min(weights.get(word, 0) + 1, BODY_CAP)
                places.setdefault(word, number)
    for word in set(words(title)):
        weights[word] = weights.get(word, 0) + TITLE_WEIGHT
    terms = sorted(weights)
    return Entry(order, json.dumps(record, ensure_ascii=False, separators=(",", ":")), " ".join(terms),
                 "".join(f"{weights[t]:x}" for t in terms), tuple(places.get(t, 0) for t in terms), tuple(said))


def shard_name(word: str) -> str:
    """The shard of a word: its first two characters, one that is not [a-z0-9] written as _<hex code>."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in word[:2])


def _json(data) -> bytes:
    """The one JSON form of the index: sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def index_files(entries: list[Entry], language: str) -> list[Output]:
    """The files of zoekindex/ from every document's entry (see the top of this module)."""
    entries = sorted(entries, key=lambda entry: entry.order)
    vocabulary = frozenset(word for entry in entries for word in entry.terms.split(" ") if word)
    known = vocabulary | {stem(word) for word in vocabulary}
    finds: dict[str, tuple[str, ...]] = {}  # word -> the groups a document with that word is found by
    parts: dict[str, str] = {}  # a compound's tail that is no word of its own -> the compound it is from
    for word in vocabulary:
        split = compound_parts(word, known)
        finds[word] = (stem(word),) + tuple(stem(part) for part in split)
        if split and split[1] not in vocabulary:
            parts.setdefault(split[1], word)
    postings: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)  # group -> doc -> (weight, place)
    for number, entry in enumerate(entries):
        if not entry.terms:
            continue
        for word, digit, place in zip(entry.terms.split(" "), entry.weights, entry.places):
            weight = int(digit, 16)
            for group in finds[word]:
                have = postings[group].get(number)
                if have is None or weight > have[0]:
                    postings[group][number] = (weight, place)
    shards: dict[str, list[str]] = defaultdict(list)
    for word in sorted(vocabulary | parts.keys()):
        shards[shard_name(word)].append(word)
    records = [json.loads(entry.record) for entry in entries]
    outputs = [Output(f"{FOLDER}/w/{name}.json", _json(_shard(in_shard, postings, entries, records)), SOURCE)
               for name, in_shard in sorted(shards.items())]
    blocks: dict[int, dict] = defaultdict(dict)
    for number, entry in enumerate(entries):
        blocks[number // BLOCK][str(number)] = [records[number], entry.sentences[0] if entry.sentences else ""]
    outputs += [Output(f"{FOLDER}/r/{block}.json", _json(found), SOURCE) for block, found in sorted(blocks.items())]
    version = hashlib.sha1()
    for output in outputs:
        version.update(f"{output.path}\0{len(output.data)}\0".encode())
        version.update(output.data)
    meta = {"block": BLOCK, "blocks": sorted(blocks), "language": language, "shards": sorted(shards),
            "stop": sorted(STOP_WORDS), "version": version.hexdigest()[:12]}
    outputs.append(Output(f"{FOLDER}/index.json", _json(meta), SOURCE))
    return outputs


def _shard(in_shard: list[str], postings: dict, entries: list[Entry], records: list) -> dict:
    """One shard: its words, the groups they find with their documents, and the top documents' sentences."""
    local: dict[str, int] = {}
    for word in in_shard:
        local.setdefault(stem(word), len(local))
    flat, said, shown = [], [], {}
    for group in local:
        docs = postings.get(group, {})
        row, previous = [], 0
        for number in sorted(docs):
            row += [number - previous, docs[number][0]]
            previous = number
        flat.append(row)
        top = sorted(docs, key=lambda n: (-docs[n][0], n))[:TOP]
        said.append({str(n): entries[n].sentences[docs[n][1]] if entries[n].sentences else "" for n in top})
        shown.update((str(n), records[n]) for n in top)
    return {"d": shown, "g": flat, "s": said, "w": {word: local[stem(word)] for word in in_shard}}
