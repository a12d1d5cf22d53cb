"""The files of zoekindex/ kept between builds: made whole once, then made again only where documents changed.

SearchIndex(entries, language, related) makes every file (sitegen/render/search_index.py describes them);
SearchIndex.renew(previous, ...) gives the same files from the index of the last build, when the
documents are the same ones in the same order (an edit of a page's text, not of its title): it brings
the postings of the changed documents' groups up to date, and writes again only the shards with one of
those groups (or whose words changed) and the record files of the changed documents. Anything else (a
document added, removed or renumbered, other related words) makes the index whole again. Either way the
bytes are those of a whole build: tests/test_search_state.py compares them.
"""

from __future__ import annotations

import copy
import hashlib
from bisect import insort
from collections import defaultdict
from itertools import compress
from operator import attrgetter, is_not

from ..core.model import Output
from .search_index import (BLOCK, FOLDER, SOURCE, Entry, _json, _lowered, _merge, _Places, related_groups,
                           shard_data, shard_name, top)
from .search_words import STOP_WORDS, compound_parts, stem

ORDER = attrgetter("order")  # an entry's place in the index (its sort key)


def index_files(entries: list[Entry], language: str, related: tuple[tuple[str, ...], ...] = ()) -> list[Output]:
    """The files of zoekindex/ from every document's entry (see search_index.py); related: lines of words
    that find each other's pages (content/zoekwoorden.yaml), at a quarter of their weight."""
    return SearchIndex(entries, language, related).outputs()


WORD_SEARCHES = 32  # words gone from the edited documents looked for as text; more are counted


def _shard_path(name: str) -> str:
    return f"{FOLDER}/w/{name}.json"


def _block_path(block: int) -> str:
    return f"{FOLDER}/r/{block}.json"


def _split(text: str) -> list[str]:
    return text.split(" ") if text else []


class SearchIndex:
    """Every file of zoekindex/, with what they are made of, to be brought up to date by renew().

    Made whole: one append per group of a document, the postings of a group kept by weight (a document's
    place in it is looked up only for the few best); the rest runs in C (joins, sorts, the JSON encoder)."""

    def __init__(self, entries: list[Entry], language: str, related: tuple[tuple[str, ...], ...] = (),
                 files: dict[str, Output] | None = None) -> None:
        """files: the shards and record files a build made of these same entries before, by path (kept
        in the build cache); used only when they are exactly the files the entries make, else made."""
        self.entries = sorted(entries, key=ORDER)
        self.language, self.related = language, related
        self.orders = list(map(ORDER, self.entries))
        self.remade = (0, 0)  # shards and record files the last renew() or __init__ wrote
        # The orders of the entries renew() was given, in its order, and which of them came first, second ...
        self.given: list[tuple] = []
        self.permutation: list[int] = []
        self.vocabulary: set[str] = set()  # every folded word of the documents
        vocabulary = self.vocabulary
        by_weight: dict[str, list[int]] = defaultdict(list)  # group + weight digit -> document numbers
        self.groups_of: list[list[str]] = []
        for number, entry in enumerate(self.entries):
            groups = _split(entry.groups)
            self.groups_of.append(groups)
            vocabulary.update(_split(entry.words))
            for key in map(str.__add__, groups, entry.weights):
                by_weight[key].append(number)
        self.raw: dict[str, dict[str, list[int]]] = defaultdict(dict)  # group -> weight digit -> documents
        for key, numbers in by_weight.items():
            self.raw[key[:-1]][key[-1]] = numbers
        self.raw = dict(self.raw)
        self.added, self.alike = related_groups(related)
        self._compounds(vocabulary)
        # joined: a compound's parts find what the compound finds ("koffie" the pages with "koffieochtend");
        # alike: a related word's pages, at a quarter of their weight.
        self.joins = dict(self.raw)  # the postings with those of the compounds
        self.joins.update({group: self._joined(group) for group in self.joined})
        self.postings = dict(self.joins)  # and with those of the related words
        self.postings.update({group: self._alike(group) for group in self.alike})
        self._word_lists(vocabulary)
        self.places = _Places(self.entries, self.groups_of, self.joined, self.alike)
        self.tops: dict[str, list[int]] = {}  # per group its top documents (made when first needed)
        paths = {_shard_path(name): name for name in self.words}
        blocks = {_block_path(block): block for block in range(-(-len(self.entries) // BLOCK))}
        if files is not None and files.keys() == paths.keys() | blocks.keys():
            self.shards = {name: files[path] for path, name in sorted(paths.items(), key=lambda item: item[1])}
            self.blocks = {block: files[path] for path, block in sorted(blocks.items(), key=lambda item: item[1])}
            return
        self.shards = {name: self._shard(name) for name in sorted(self.words)}
        self.blocks = {block: self._block(block) for block in sorted(blocks.values())}
        self.remade = (len(self.shards), len(self.blocks))

    def _compounds(self, vocabulary: set[str]) -> None:
        known = frozenset(vocabulary) | {stem(word) for word in vocabulary}
        self.tails: set[str] = set()  # a compound's last part that is no word of the site on its own ("cafe")
        joined: dict[str, set[str]] = defaultdict(set)  # a part's group -> the groups of compounds it is in
        for word in vocabulary:
            split = compound_parts(word, known)
            for part in split:
                if stem(part) != stem(word):
                    joined[stem(part)].add(stem(word))
            if split and split[1] not in vocabulary:
                self.tails.add(split[1])
        self.joined = dict(joined)

    def _joined(self, group: str) -> dict[str, list[int]]:
        return _merge([self.raw.get(group, {})] + [self.raw.get(c, {}) for c in sorted(self.joined[group])])

    def _alike(self, group: str) -> dict[str, list[int]]:
        return _merge([self.joins.get(group, {})] + [_lowered(self.joins.get(other, {}))
                                                     for other in sorted(self.alike[group])])

    def _word_lists(self, vocabulary: set[str]) -> None:
        """self.words: per shard name its words; self.shards_of: per group the shards with a word of it."""
        self.words: dict[str, list[str]] = defaultdict(list)
        for word in sorted(vocabulary | self.tails | self.added):
            self.words[shard_name(word)].append(word)
        self.words = dict(self.words)
        self._shards_of: dict[str, set[str]] | None = None

    def shards_of(self, group: str) -> set[str]:
        """The shards with a word of group (worked out on the first renew)."""
        if self._shards_of is None:
            self._shards_of = defaultdict(set)
            for name, in_shard in self.words.items():
                for word in in_shard:
                    self._shards_of[stem(word)].add(name)
        return self._shards_of.get(group, set())

    def _shard(self, name: str) -> Output:
        data = shard_data(self.words[name], self.postings, self._top, self.entries, self.places)
        return Output(_shard_path(name), _json(data), SOURCE)

    def _top(self, group: str) -> list[int]:
        found = self.tops.get(group)
        if found is None:
            found = self.tops[group] = top(self.postings.get(group, {}))
        return found

    def _block(self, block: int) -> Output:
        found = {str(number): [entry.record, entry.sentences[0] if entry.sentences else ""]
                 for number, entry in enumerate(self.entries[block * BLOCK:block * BLOCK + BLOCK], block * BLOCK)}
        return Output(_block_path(block), _json(found), SOURCE)

    def files(self) -> list[Output]:
        """The shards by name and the record files by number (what SearchIndex(..., files=) takes again)."""
        shards = [self.shards[name] for name in sorted(self.shards)]
        return shards + [self.blocks[block] for block in sorted(self.blocks)]

    def outputs(self) -> list[Output]:
        """Every file: the shards by name, the record files by number, and index.json."""
        outputs = self.files()
        # Of each file's path and digest (the hash of its bytes), not its bytes: a kept file's digest is
        # kept with it, so a dev-server save no longer reads and hashes every shard (0.011 s at 10,000 pages).
        version = hashlib.sha1("".join(f"{output.path}\0{output.digest}\0" for output in outputs).encode())
        meta = {"block": BLOCK, "blocks": sorted(self.blocks), "language": self.language,
                "shards": sorted(self.shards), "stop": sorted(STOP_WORDS), "version": version.hexdigest()[:12]}
        outputs.append(Output(f"{FOLDER}/index.json", _json(meta), SOURCE))
        return outputs

    @classmethod
    def renew(cls, previous: SearchIndex | None, entries: list[Entry], language: str,
              related: tuple[tuple[str, ...], ...] = ()) -> SearchIndex:
        """The index of entries, made from previous (the last build's, which it changes) where it can.

        Sorted as previous was when the entries come in with the same orders (the same documents: a save
        of a page's text): sorting 16,000 entries by their orders took 0.01 s of a save at 10,000 pages."""
        given = list(map(ORDER, entries))
        if previous is not None and previous.given == given:
            permutation = previous.permutation
        else:
            permutation = sorted(range(len(given)), key=given.__getitem__)
        entries = list(map(entries.__getitem__, permutation))
        if previous is None or previous.language != language or previous.related != related \
                or previous.orders != list(map(ORDER, entries)):
            index = cls(entries, language, related)
        else:
            previous._renew(entries)
            index = previous
        index.given, index.permutation = given, permutation
        return index

    def _renew(self, entries: list[Entry]) -> None:
        """Bring the index up to date with entries, of the same documents in the same order."""
        old, self.entries = self.entries, entries
        changed = [number for number in compress(range(len(entries)), map(is_not, old, entries))
                   if old[number] != entries[number]]  # the others are the very same entry: in C
        self.places.entries = entries
        self.remade = (0, 0)
        if not changed:
            return
        weighed: set[str] = set()  # the groups a document came in or went out of, or changed weight in
        mentioned: set[str] = set()  # every group of the changed documents, before and after
        before = {number: self.groups_of[number] for number in changed}
        for number in changed:
            groups = self.groups_of[number] = _split(entries[number].groups)
            was, now = set(zip(before[number], old[number].weights)), set(zip(groups, entries[number].weights))
            self._repost_document(number, was - now, now - was)
            weighed.update(group for group, _ in was ^ now)
            mentioned.update(before[number], groups)
        dirty: set[str] = set()
        if self._count_words(old, changed):
            weighed |= self._new_vocabulary(dirty)
        reposted = self._repost(weighed)
        # A changed document among a group's top ones, with another sentence for it or another record.
        was = copy.copy(self.places)
        was.entries, was.groups_of = old, before
        for group in self._takers(mentioned) - reposted:
            if any(old[number].record != entries[number].record or self.places.sentence(number, group)
                   != was.sentence(number, group)
                   for number in before.keys() & set(self._top(group))):
                dirty |= self.shards_of(group)
        for group in reposted:
            self.tops.pop(group, None)
            dirty |= self.shards_of(group)
        for name in dirty:
            self.shards[name] = self._shard(name)
        blocks = {number // BLOCK for number in changed}
        for block in blocks:
            self.blocks[block] = self._block(block)
        self.remade = (len(dirty), len(blocks))

    def _count_words(self, old: list[Entry], changed: list[int]) -> bool:
        """Bring the vocabulary up to date; True when words came or went."""
        came = set().union(*(_split(self.entries[number].words) for number in changed))
        left = set().union(*(_split(old[number].words) for number in changed)) - came
        grew = not came <= self.vocabulary
        self.vocabulary |= came
        gone = self._unused(left) if left else set()
        self.vocabulary -= gone
        return grew or bool(gone)

    def _unused(self, words: set[str]) -> set[str]:
        """Those of words that no document has any more: a few looked for in every document's words at
        once (a build in a new process has no count of documents per word), many counted."""
        if len(words) > WORD_SEARCHES:
            found: set[str] = set()
            for entry in self.entries:
                found.update(words.intersection(_split(entry.words)))
            return words - found
        everything = " " + " ".join([entry.words for entry in self.entries]) + " "
        return {word for word in words if f" {word} " not in everything}

    def _repost_document(self, number: int, gone: set[tuple[str, str]], came: set[tuple[str, str]]) -> None:
        """A document out of the (group, weight digit) postings it left, into those it came in."""
        for group, digit in gone:
            row = self.raw[group]
            row[digit].remove(number)
            if not row[digit]:
                del row[digit]
                if not row:
                    del self.raw[group]
        for group, digit in came:
            insort(self.raw.setdefault(group, {}).setdefault(digit, []), number)

    def _new_vocabulary(self, dirty: set[str]) -> set[str]:
        """After words came or went: the compounds, tails and word lists again. Adds to dirty the shards
        whose words changed; gives the groups whose compounds changed."""
        joined, words = self.joined, self.words
        self._compounds(self.vocabulary)
        self._word_lists(self.vocabulary)
        for name in words.keys() - self.words.keys():
            del self.shards[name]
        dirty.update(name for name, in_shard in self.words.items() if words.get(name) != in_shard)
        self.places = _Places(self.entries, self.groups_of, self.joined, self.alike)
        return {group for group in joined.keys() | self.joined.keys() if joined.get(group) != self.joined.get(group)}

    def _takers(self, groups: set[str]) -> set[str]:
        """The groups whose postings take in those of groups: themselves, the parts of their compounds,
        and the groups related to any of those."""
        joins = groups | {group for group, compounds in self.joined.items() if not compounds.isdisjoint(groups)}
        return joins | {group for group, others in self.alike.items() if not others.isdisjoint(joins)}

    def _repost(self, weighed: set[str]) -> set[str]:
        """The postings of the weighed groups again, and of the groups that take theirs in (compounds,
        related words): gives all of those groups."""
        joins = weighed | {group for group, compounds in self.joined.items() if not compounds.isdisjoint(weighed)}
        for group in joins:
            if group in self.joined:
                self.joins[group] = self._joined(group)
            elif group in self.raw:
                self.joins[group] = self.raw[group]
            else:
                self.joins.pop(group, None)
        reposted = joins | {group for group, others in self.alike.items() if not others.isdisjoint(joins)}
        for group in reposted:
            if group in self.alike:
                self.postings[group] = self._alike(group)
            elif group in self.joins:
                self.postings[group] = self.joins[group]
            else:
                self.postings.pop(group, None)
        return reposted
