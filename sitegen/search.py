"""Search: the /zoeken/ page with its A-to-Z list of pages, and the search index under zoekindex/.

The index is ordinary build output, made here in Python (no external tool): every page, activity and
listing page becomes a SearchDocument and then an entry of the few strings the files need from it (pure,
so the build memoises the entry per document across builds); the entries are inverted into small JSON
files that static/js/search.js fetches only as needed:

    zoekindex/index.json       {"docs": L, "language": "nl", "terms": [bucket, ...], "version": hash}
    zoekindex/w/<bucket>.json  {stem: [[doc_id, weight], ...]} for the stems that start with the bucket's
                               two letters (a query stem finds every index stem it is a prefix of)
    zoekindex/d/<prefix>.json  {doc_id: [url, title, kind, text]} for the documents whose id starts with
                               the L characters of prefix; L grows with the site: about one a file
    zoekindex/orde.json        [doc_id, ...] in A-to-Z order of title: only fetched to break a tie in
                               score at the 20th result

Ids come from the URL, so adding a page changes no other document's id. Every file is JSON with sorted
keys and no whitespace: the same site gives the same bytes. The stemmer below has a twin in
static/js/search-stem.js with exactly the same rules (tests/test_search.py runs both).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import jinja2

from .markdown import plain_text
from .memo import Memo
from .model import Link, Output, Site
from .urls import absolute, event_url, output_path

SEARCH_URL = "/zoeken/"
INDEX_FOLDER = "zoekindex"  # inside output/; search.js fetches its files from here
TEXT_LIMIT = 3000  # characters of plain text kept per document, for the excerpt under a result
TITLE_WEIGHT = 10  # a word in the title counts as much as ten in the text
BODY_CAP = 5  # a word that appears more often in the text counts as five
MIN_KEEP = 3  # a suffix is only stripped when at least this many letters remain
# Words too common to find anything; the same list is in static/js/search-stem.js.
STOP_WORDS = frozenset("""aan als bij dan dat de die dit door een en er het in is je maar met naar
of om ook op te tot uit van voor was we ze zijn""".split())


def sort_key(title: str) -> tuple[str, str]:
    """Alphabetical as a Dutch reader expects: 'Eén' with the E's, case and accents ignored."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return plain.casefold().lstrip("'\"‘“¿¡ "), title


def initial(title: str) -> str:
    """The letter a title is listed under; '#' for titles that start with a digit or sign."""
    letter = sort_key(title)[0][:1].upper()
    return letter if letter.isalpha() else "#"


@dataclass(frozen=True)
class Entry:
    """One line of the A-to-Z list: a title, its site URL, and what kind of page it is ('' for plain pages)."""

    title: str
    url: str
    kind: str = ""


KIND_LABELS = {"news": "nieuws", "newsletter": "nieuwsbrief"}


def all_pages(site: Site) -> list[Entry]:
    """Every content page and activity, plus listing pages from the menu and footer (agenda, news)."""
    entries = {page.url: Entry(page.title, page.url, KIND_LABELS.get(page.kind, "")) for page in site.pages}
    for event in site.events:
        entries.setdefault(event_url(event.id), Entry(event.title, event_url(event.id), "activiteit"))
    for item in (*site.menu, *site.footer_links):
        if not item.external and item.url not in entries and item.url != SEARCH_URL:
            entries[item.url] = Entry(item.title, item.url)
    return sorted(entries.values(), key=lambda entry: (*sort_key(entry.title), entry.url))


def render_search(env: jinja2.Environment, site: Site) -> Output:
    """The search page: a form that needs JavaScript, and below it every page from A to Z, which does not."""
    groups: dict[str, list[Entry]] = {}
    for entry in all_pages(site):
        groups.setdefault(initial(entry.title), []).append(entry)
    html = env.get_template("search.html").render(
        page=None,
        groups=groups,
        index_url=INDEX_FOLDER,
        breadcrumbs=[Link("Home", "/"), Link("Zoeken", SEARCH_URL)],
        canonical=absolute(site.base_url, SEARCH_URL),
        search_page=True,
    )
    return Output(output_path(SEARCH_URL), html.encode("utf-8"), "templates/search.html")


# --- words ------------------------------------------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W_]+")  # letters and digits (after fold() there are no combining marks left)
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")
_VOWELS = frozenset("aeiou")


def _drop_mark(match: re.Match) -> str:
    return "" if unicodedata.category(match.group())[0] == "M" else match.group()


def fold(text: str) -> str:
    """Case and accents away: 'Één' -> 'een', 'ideeën' -> 'ideeen' (casefold, NFKD, no combining marks)."""
    text = text.casefold()
    if text.isascii():
        return text
    return _NON_ASCII.sub(_drop_mark, unicodedata.normalize("NFKD", text))


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light Dutch stem, the same in search-stem.js: plural and singular meet, or one is a prefix.

    After fold(), in this order, each step at most once; 1 to 3 only when at least three letters remain:
    1. drop "'s" (oma's); or drop "en" (wandelingen), then undouble a final consonant (gesprekken ->
       gesprek) or turn a final v into f and z into s (brieven -> brief, huizen -> huis); or drop "s"
       (vrijwilligers);
    2. drop a final "e" (oudere, koffie);
    3. drop a final "s" (mensen -> mens -> men, like mens -> men);
    4. write a double aa, ee, oo, uu single (straat and straten -> strat, week and weken -> wek)."""
    w = fold(word)
    if w[-2:] in ("'s", "\u2019s") and len(w) - 2 >= MIN_KEEP:
        w = w[:-2]
    elif w.endswith("en") and len(w) - 2 >= MIN_KEEP:
        w = w[:-2]
        if len(w) > MIN_KEEP and w[-1] == w[-2] and w[-1] not in _VOWELS:
            w = w[:-1]
        elif w[-1] == "v":
            w = w[:-1] + "f"
        elif w[-1] == "z":
            w = w[:-1] + "s"
    elif w.endswith("s") and len(w) - 1 >= MIN_KEEP:
        w = w[:-1]
    if w.endswith("e") and len(w) - 1 >= MIN_KEEP:
        w = w[:-1]
    if w.endswith("s") and len(w) - 1 >= MIN_KEEP:
        w = w[:-1]
    return _DOUBLE_VOWEL.sub(r"\1", w)


def tokens(text: str) -> list[str]:
    """The folded words of a text worth searching for: no one-letter words, no stop words."""
    return [word for word in _WORD.findall(fold(text)) if len(word) > 1 and word not in STOP_WORDS]


def bucket(term: str) -> str:
    """The term file of a stem: its first two characters, a non-[a-z0-9] one written as _<hex code>."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in term[:2])


# --- documents --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchDocument:
    """One findable page: its stable id, what a result shows, and its stems with their weights."""

    id: str  # 10 hex characters of the SHA-1 of the URL
    url: str  # site path, starting with "/"
    title: str
    kind: str  # "", "nieuws", "nieuwsbrief" or "activiteit"
    text: str  # plain text, at most TEXT_LIMIT characters, for the excerpt
    weights: tuple[tuple[str, int], ...]  # (stem, weight), sorted by stem


def document_id(url: str, attempt: int = 0) -> str:
    """The id of a URL; attempt > 0 gives the next candidate when two URLs share an id."""
    key = url if attempt == 0 else f"{url}#{attempt}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def search_document(url: str, title: str, kind: str, text: str) -> SearchDocument:
    """A page as the index sees it. Pure: the same arguments give an equal document."""
    in_title = {stem(word) for word in tokens(title)}
    in_text: Counter[str] = Counter()
    for word, count in Counter(tokens(text)).items():
        in_text[stem(word)] += count
    weights = tuple(sorted(
        (term, TITLE_WEIGHT * (term in in_title) + min(in_text[term], BODY_CAP))
        for term in in_title | in_text.keys() if len(term) > 1))
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT].rsplit(" ", 1)[0] + " …"
    return SearchDocument(document_id(url), url, title, kind, text, weights)


def _join(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _sources(site: Site) -> list[tuple[str, str, str, tuple]]:
    """(url, title, kind, what its text is made of) of everything the A-to-Z list shows, sorted by URL.

    What the text is made of: (a description, an HTML body, the body as plain text, more plain text),
    any of them "". A page's text is a stored reference (store.Blob) that pickles as its content hash:
    then the memo key of a document is cheap, and only a document that changed is read."""
    sources: dict[str, tuple[str, str, str, tuple]] = {}
    for page in site.pages:
        sources[page.url] = (page.url, page.title, KIND_LABELS.get(page.kind, ""),
                             (page.description, "", page.text, ""))
    for event in site.events:
        url = event_url(event.id)
        if url in sources:
            continue
        venue = event.venue
        more = _join(event.recurrence.text if event.recurrence else None,
                     venue.name if venue else None, venue.address if venue else None,
                     "online" if event.online else None,
                     event.organiser.name if event.organiser else None, " ".join(event.audience))
        sources[url] = (url, event.title, "activiteit",
                        ("" if event.description_html else event.description, event.description_html, "", more))
    for item in (*site.menu, *site.footer_links):
        if not item.external and item.url not in sources and item.url != SEARCH_URL:
            sources[item.url] = (item.url, item.title, "", ("", "", "", ""))
    return [sources[url] for url in sorted(sources)]


def _text(parts: tuple) -> str:
    """The plain text of a document: its description (unless the body has it already), body and the rest."""
    description, html, text, more = parts
    body = str(text) if text else plain_text(str(html)) if html else ""
    if description and description in body:  # often the first paragraph: the description's fallback
        description = ""
    return _join(description, body, more)


def search_sources(site: Site) -> list[tuple[str, str, str, str]]:
    """(url, title, kind, plain text) of every page, activity and menu or footer listing page, by URL."""
    return [(url, title, kind, _text(parts)) for url, title, kind, parts in _sources(site)]


@dataclass(frozen=True)
class _Entry:
    """What the index files need from one document, made once and memoised in the build cache.

    Only a few strings, not a SearchDocument with a tuple per stem: thousands of them are pickled with
    the cache on every build, and the cost of that grows with the number of objects."""

    id: str
    order: tuple[str, str, str]  # its place in the A-to-Z order: sort_key(title), url
    record: bytes  # the document as a member of its JSON file: "id":[url,title,kind,text]
    terms: str  # its stems, separated by spaces (a stem is letters and digits only)
    weights: str  # their weights, a hex digit each


assert TITLE_WEIGHT + BODY_CAP < 16  # a weight is one hex digit in _Entry


def _entry(doc: SearchDocument) -> _Entry:
    record = json.dumps([doc.url, doc.title, doc.kind, doc.text], ensure_ascii=False, separators=(",", ":"))
    return _Entry(doc.id, (*sort_key(doc.title), doc.url), f'"{doc.id}":{record}'.encode("utf-8"),
                  " ".join(term for term, _ in doc.weights), "".join(f"{weight:x}" for _, weight in doc.weights))


def _unique_ids(entries: list[_Entry]) -> list[_Entry]:
    """Give a document whose id another one (earlier by URL) already has the next free id of its URL."""
    taken: set[str] = set()
    unique = []
    for entry in sorted(entries, key=lambda e: e.order[2]):
        if entry.id in taken:
            url, attempt = entry.order[2], 1
            while document_id(url, attempt) in taken:
                attempt += 1
            new = document_id(url, attempt)
            entry = replace(entry, id=new, record=f'"{new}"'.encode() + entry.record[len(entry.id) + 2:])
        taken.add(entry.id)
        unique.append(entry)
    return unique


def prefix_length(count: int) -> int:
    """How many characters of the id name a document file: about one document a file, at least 1."""
    length = 1
    while 16 ** length < count:
        length += 1
    return length


def _json(data) -> bytes:
    """The one JSON form of the index: sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _key(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render_search_index(site: Site, cached: Memo | None = None) -> list[Output]:
    """The files of zoekindex/ (see the top of this module).

    cached may return a value computed before for equal inputs: one per document, so an unchanged page
    costs a lookup (and the others are made across all cores). The files are joined from the documents'
    JSON pieces, which gives the same bytes as _json() of the whole (tests/test_search.py checks), only faster."""
    cached = cached or Memo()
    entries = _unique_ids(cached.many([
        (("search-doc", url, title, kind, parts),
         lambda url=url, title=title, kind=kind, parts=parts: _entry(search_document(url, title, kind, _text(parts))))
        for url, title, kind, parts in _sources(site)]))
    entries.sort(key=lambda entry: entry.id)  # so every list of postings is sorted by id
    postings: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        posting = {digit: f'["{entry.id}",{int(digit, 16)}]' for digit in set(entry.weights)}
        for term, digit in zip(entry.terms.split(" "), entry.weights):
            postings[term].append(posting[digit])
    terms: dict[str, list[str]] = defaultdict(list)
    for term in sorted(postings):
        terms[bucket(term)].append(term)
    length = prefix_length(len(entries))
    files: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        files[entry.id[:length]].append(entry)
    order = sorted(entries, key=lambda entry: entry.order)

    source = "sitegen/search.py"
    outputs = [Output(f"{INDEX_FOLDER}/w/{name}.json", (
        "{" + ",".join(f"{_key(term)}:[{','.join(postings[term])}]" for term in terms[name]) + "}"
    ).encode("utf-8"), source) for name in sorted(terms)]
    outputs += [Output(f"{INDEX_FOLDER}/d/{name}.json",
                       b"{" + b",".join(entry.record for entry in files[name]) + b"}", source)
                for name in sorted(files)]
    outputs.append(Output(f"{INDEX_FOLDER}/orde.json",
                          ("[" + ",".join(f'"{entry.id}"' for entry in order) + "]").encode("utf-8"), source))
    version = hashlib.sha1()
    for output in outputs:
        version.update(f"{output.path}\0{len(output.data)}\0".encode())
        version.update(output.data)
    index = {"docs": length, "language": site.config.language, "terms": sorted(terms),
             "version": version.hexdigest()[:12]}
    outputs.append(Output(f"{INDEX_FOLDER}/index.json", _json(index), source))
    return outputs
