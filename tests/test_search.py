"""Search without a browser: the A-to-Z list, the Dutch stemmer (and its JavaScript twin), and the index.

The index is looked up here the way static/js/search.js does it: query words ANDed, a query stem finds
every index stem it starts, the summed weights rank, equal scores in A-to-Z order of title."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, REPO, run_build, tree_bytes
from sitegen import dates, search
from sitegen.cache import BuildCache
from sitegen.pipeline import BuildOptions, generate

PAGES = {
    "content/over.md": "---\ntitle: Over ons\n---\n\nWie we zijn.\n",
    "content/eten.md": "---\ntitle: Eén keer per week samen eten\n---\n\nSamen eten.\n",
    "content/activiteiten.md": "---\ntitle: activiteiten\n---\n\nWat er te doen is.\n",
}

FINDABLE = {
    "content/wandelen.md": "---\ntitle: Samen wandelen\ndescription: Elke week een rondje.\n---\n\n"
                           "Onze vrijwilligers lopen met ouderen door het dorp. Daarna drinken we koffie.\n",
    "content/koffie.md": "---\ntitle: Koffieochtend in Beilen\n---\n\nIedereen is welkom voor een praatje.\n",
    "content/bus.md": "---\ntitle: De buurtbus\n---\n\nDe bus rijdt op dinsdag. Koffie is er niet.\n",
    "content/gevaar.md": "---\ntitle: Over veilig typen\n---\n\nSchrijf nooit `<script>alert(1)</script>` "
                         "in een <b>formulier</b>, zegt de wijkagent.\n",
}


# --------------------------------------------------------------------------- the A-to-Z list

def test_the_search_page_lists_every_page_from_a_to_z_with_accents_and_case_ignored(make_site, tmp_path):
    site = make_site(PAGES)
    out = tmp_path / "out"
    assert run_build("--site", str(site), "--output", str(out), "--now", NOW).returncode == 0
    html = (out / "zoeken" / "index.html").read_text(encoding="utf-8")
    order = [html.index(f">{title}</a>") for title in ("activiteiten", "Eén keer per week samen eten",
                                                        "Over ons", "Welkom")]
    assert order == sorted(order)
    assert "zoeken werkt alleen als JavaScript aan staat" in html
    assert 'data-index="/zoekindex/"' in html
    assert (out / "zoekindex" / "index.json").is_file()
    assert not (out / "pagefind").exists()
    assert "wasm-unsafe-eval" not in html and "data-pagefind" not in html


def test_without_search_no_index_is_made(make_site, tmp_path):
    site = make_site(PAGES)
    out = tmp_path / "out"
    assert run_build("--site", str(site), "--output", str(out), "--now", NOW, "--no-search").returncode == 0
    assert (out / "zoeken" / "index.html").is_file()
    assert not (out / "zoekindex").exists()


# --------------------------------------------------------------------------- the stemmer

# Plural (or inflected) form, singular form: their stems are equal, or the singular's stem is the
# start of the plural's, so searching for the singular finds both.
PAIRS = [
    ("wandelingen", "wandeling"), ("vrijwilligers", "vrijwilliger"), ("activiteiten", "activiteit"),
    ("ouderen", "ouder"), ("oudere", "ouder"), ("mantelzorgers", "mantelzorger"), ("bewoners", "bewoner"),
    ("gesprekken", "gesprek"), ("bussen", "bus"), ("cursussen", "cursus"), ("mensen", "mens"),
    ("huizen", "huis"), ("brieven", "brief"), ("nieuwsbrieven", "nieuwsbrief"), ("straten", "straat"),
    ("weken", "week"), ("jaren", "jaar"), ("maaltijden", "maaltijd"), ("bijeenkomsten", "bijeenkomst"),
    ("gemeenten", "gemeente"), ("gemeentes", "gemeente"), ("ideeën", "idee"), ("cafés", "café"),
    ("oma's", "oma"), ("foto’s", "foto"), ("dagen", "dag"), ("ochtenden", "ochtend"),
    ("vriendinnen", "vriendin"), ("buurten", "buurt"), ("kinderen", "kind"), ("eenzame", "eenzaamheid"),
    ("koffie", "koffieochtend"), ("Wandelen", "wandeling"),
]


@pytest.mark.parametrize("inflected, base", PAIRS)
def test_dutch_plurals_and_singulars_meet(inflected, base):
    plural, singular = search.stem(inflected), search.stem(base)
    assert singular.startswith(plural) or plural.startswith(singular), (plural, singular)


def test_the_stemmer_folds_case_and_accents_and_keeps_short_words_whole():
    assert search.stem("ÉÉN") == search.stem("een")
    assert search.stem("Café") == search.stem("cafe")
    assert search.stem("wandelingen") == "wandeling"
    assert search.stem("vrijwilligers") == "vrijwilliger"
    assert search.stem("activiteiten") == "activiteit"
    assert search.stem("ouderen") == "ouder"
    # at least three letters stay: these are not stripped
    assert search.stem("bus") == "bus"
    assert search.stem("ogen") == "ogen"
    assert search.stem("les") == "les"


def test_tokens_split_on_anything_but_letters_and_digits_and_skip_stop_words():
    assert search.tokens("Eén keer per week: de koffie-ochtend in Beilen, om 10:00 uur! a_b x") == [
        "keer", "per", "week", "koffie", "ochtend", "beilen", "10", "00", "uur"]


# A word list for the JavaScript twin: Dutch words, inflections, accents, and odd characters.
PARITY_WORDS = sorted({word for pair in PAIRS for word in pair} | {
    "Eén", "ÉÉN", "tegen", "eenzaamheid", "Beilen", "Westerbork", "Drenthe", "hulp", "helpen", "zorgen",
    "ogen", "les", "lezen", "reizen", "schrijven", "vrijwilligerswerk", "samen", "eten", "alleen", "zee",
    "zeeën", "naïef", "coördinator", "Straße", "ΣΟΦΙΑΣ", "ĳs", "ﬁets", "½", "2026", "10e", "x", "", "AAA",
    "kussens", "ss", "ees", "essen", "vvven", "øresund", "İstanbul", "𝒶𝒶𝓃", "日本語",
})
PARITY_TEXT = ("Eén tegen eenzaamheid: de Koffieochtend (in ’t dorpshuis) op dinsdag 3-9, 10:00–12:00 uur. "
               "Oma's & opa’s zijn welkom; naïeve vragen ook! Straße ΣΟΦΙΑΣ ĳs ﬁets ½ 𝒶𝒶𝓃 日本語 a_b")


def test_the_javascript_stemmer_gives_the_same_stems_and_tokens_as_python(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    module = tmp_path / "search-stem.mjs"
    shutil.copyfile(REPO / "static" / "js" / "search-stem.js", module)
    script = (f"import {{ STOP_WORDS, stem, tokens, bucket }} from {json.dumps(module.as_uri())};\n"
              "const input = JSON.parse(process.argv[1]);\n"
              "console.log(JSON.stringify({stems: input.words.map(stem), tokens: tokens(input.text),\n"
              "  buckets: input.words.map(stem).map(bucket), stop: [...STOP_WORDS].sort()}));\n")
    given = json.dumps({"words": PARITY_WORDS, "text": PARITY_TEXT})
    result = subprocess.run([node, "--input-type=module", "-e", script, given],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert len(PARITY_WORDS) >= 40
    assert dict(zip(PARITY_WORDS, got["stems"])) == {word: search.stem(word) for word in PARITY_WORDS}
    assert got["tokens"] == search.tokens(PARITY_TEXT)
    assert got["buckets"] == [search.bucket(search.stem(word)) for word in PARITY_WORDS]
    assert got["stop"] == sorted(search.STOP_WORDS)


def test_search_js_never_reads_text_as_html():
    source = (REPO / "static" / "js" / "search.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in source


# --------------------------------------------------------------------------- the index

def index_of(root: Path, cache: BuildCache | None = None) -> dict[str, bytes]:
    """The zoekindex/ files of a site, by path below zoekindex/."""
    options = BuildOptions(root=root, output=root / "output", now=dates.parse_now(NOW), use_cache=False)
    result = generate(options, cache or BuildCache())
    prefix = search.INDEX_FOLDER + "/"
    return {o.path.removeprefix(prefix): o.data for o in result.outputs if o.path.startswith(prefix)}


def lookup(files: dict[str, bytes], query: str) -> list[tuple[str, str, int]]:
    """(url, title, score) of what search.js would show for query, best first."""
    meta = json.loads(files["index.json"])
    found = None
    for query_stem in dict.fromkeys(search.stem(word) for word in search.tokens(query)):
        name = search.bucket(query_stem)
        terms = json.loads(files[f"w/{name}.json"]) if name in meta["terms"] else {}
        best: dict[str, int] = {}
        for term, postings in terms.items():
            if term.startswith(query_stem):
                for doc_id, weight in postings:
                    best[doc_id] = max(best.get(doc_id, 0), weight)
        found = best if found is None else {d: s + best[d] for d, s in found.items() if d in best}
    place = {doc_id: n for n, doc_id in enumerate(json.loads(files["orde.json"]))}
    ranked = sorted((found or {}).items(), key=lambda item: (-item[1], place[item[0]]))[:20]
    results = []
    for doc_id, score in ranked:
        url, title, _kind, _text = json.loads(files[f"d/{doc_id[:meta['docs']]}.json"])[doc_id]
        results.append((url, title, score))
    return results


def document(files: dict[str, bytes], url: str) -> tuple[str, list]:
    for name, data in files.items():
        if name.startswith("d/"):
            for doc_id, record in json.loads(data).items():
                if record[0] == url:
                    return doc_id, record
    raise KeyError(url)


def test_the_index_finds_a_page_by_a_word_of_its_text_or_title_in_any_form(make_site):
    files = index_of(make_site(FINDABLE))
    assert [url for url, _, _ in lookup(files, "vrijwilliger")] == ["/wandelen/"]  # text: vrijwilligers
    assert [url for url, _, _ in lookup(files, "WANDELEN")] == ["/wandelen/"]  # title: wandelen
    assert [url for url, _, _ in lookup(files, "wandel")] == ["/wandelen/"]  # the start of a word
    assert [url for url, _, _ in lookup(files, "rondje")] == ["/wandelen/"]  # the description
    assert [url for url, _, _ in lookup(files, "beilen")] == ["/koffie/"]
    assert [url for url, _, _ in lookup(files, "de ouder")] == ["/wandelen/"]  # a stop word asks nothing
    assert [url for url, _, _ in lookup(files, "ouderen dorp")] == ["/wandelen/"]  # every word must be there
    assert lookup(files, "ouderen bus") == []
    assert lookup(files, "xyzzyqwert") == []


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(make_site):
    files = index_of(make_site(FINDABLE))
    found = lookup(files, "koffie")
    assert [url for url, _, _ in found][0] == "/koffie/"
    assert {url for url, _, _ in found} == {"/koffie/", "/wandelen/", "/bus/"}
    # equal scores: A to Z by title (De buurtbus before Samen wandelen)
    assert [url for url, _, _ in found][1:] == ["/bus/", "/wandelen/"]


def test_a_page_with_html_or_script_in_its_text_is_stored_as_plain_text(make_site):
    files = index_of(make_site(FINDABLE))
    _, (url, title, kind, text) = document(files, "/gevaar/")
    assert (url, title, kind) == ("/gevaar/", "Over veilig typen", "")
    assert "<script>alert(1)</script>" in text  # the code sample, as text, for textContent
    assert "<code>" not in text and "<p>" not in text and "<b>" not in text and "&lt;" not in text
    assert "formulier" in text


def test_document_ids_come_from_the_url_and_stay_when_a_page_is_added(make_site):
    root = make_site(FINDABLE)
    before = {url: document(index_of(root), url)[0] for url in ("/wandelen/", "/koffie/", "/bus/")}
    (root / "content" / "nieuw.md").write_text("---\ntitle: Nieuw\n---\n\nKoffie en wandelen.\n", encoding="utf-8")
    files = index_of(root)
    assert {url: document(files, url)[0] for url in before} == before
    assert before["/koffie/"] == search.document_id("/koffie/")
    assert "/nieuw/" in [url for url, _, _ in lookup(files, "wandelen")]


def test_two_documents_with_one_id_get_distinct_ids_the_same_way_every_time(make_site, monkeypatch):
    root = make_site(FINDABLE)
    real = search.document_id
    monkeypatch.setattr(search, "document_id", lambda url, attempt=0: "0000000000" if attempt == 0
                        else real(url, attempt))
    first, second = index_of(root), index_of(root)
    assert first == second
    ids = [doc_id for name, data in first.items() if name.startswith("d/") for doc_id in json.loads(data)]
    assert len(ids) == len(set(ids)) == 5  # four pages and the home page
    assert document(first, "/")[0] == "0000000000"  # the first URL keeps it
    assert [url for url, _, _ in lookup(first, "vrijwilligers")] == ["/wandelen/"]


def test_the_index_is_byte_identical_across_builds_and_with_memoised_documents(make_site):
    root = make_site(FINDABLE)
    cache = BuildCache()
    first = index_of(root, cache)
    assert index_of(root) == first
    assert len(cache.renders) > 0
    assert index_of(root, cache) == first  # every document memoised now
    # a changed page is seen through the memo, like in a build from scratch
    (root / "content" / "bus.md").write_text("---\ntitle: De buurtbus\n---\n\nNu ook op woensdag.\n",
                                             encoding="utf-8")
    changed = index_of(root, cache)
    assert changed == index_of(root)
    assert changed != first
    assert [url for url, _, _ in lookup(changed, "woensdag")] == ["/bus/"]


def test_every_index_file_is_canonical_json_and_small(make_site):
    files = index_of(make_site(FINDABLE))
    for name, data in files.items():
        parsed = json.loads(data)
        assert data == json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    meta = json.loads(files["index.json"])
    assert meta["language"] == "nl"
    assert sorted(name[2:-5] for name in files if name.startswith("w/")) == meta["terms"]
    # documents of 10 hex characters, in files named by the first characters of their ids
    for name, data in files.items():
        if name.startswith("d/"):
            assert all(len(doc_id) == 10 and doc_id.startswith(name[2:-5]) for doc_id in json.loads(data))


def test_long_texts_are_cut_for_the_excerpt_but_every_word_is_found():
    text = " ".join(["koffie"] * 1000 + ["slotwoord"])
    doc = search.search_document("/lang/", "Lang", "", text)
    assert len(doc.text) <= search.TEXT_LIMIT + 2 and doc.text.endswith("…")
    assert dict(doc.weights) == {"koffi": search.BODY_CAP, "lang": search.TITLE_WEIGHT, "slotword": 1}
    assert search.search_document("/lang/", "Lang", "", text) == doc  # pure


def test_activities_and_listing_pages_are_in_the_index_with_their_kind(make_site):
    root = make_site({
        "site.yaml": MINIMAL_SITE_YAML.replace("menu:\n", "menu:\n  - title: Agenda\n    url: /agenda/\n"),
        "content/agenda.yaml": (
            "- id: breiclub-smilde\n  title: Breiclub\n  start: 2026-12-01 14:00\n  duration: 2 uur\n"
            "  description: Samen breien en kletsen.\n"
            "  location:\n    name: Dorpshuis De Kaap\n    place: Smilde\n"),
    })
    files = index_of(root)
    assert [url for url, _, _ in lookup(files, "breien smilde")] == ["/agenda/breiclub-smilde/"]
    assert document(files, "/agenda/breiclub-smilde/")[1][2] == "activiteit"
    assert [url for url, _, _ in lookup(files, "agenda")][0] == "/agenda/"


def test_the_search_index_of_a_real_site_build_is_dutch_and_identical_twice(tmp_path):
    trees = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert run_build("--site", str(REPO / "examples" / "medemblik"), "--output", str(out), "--now", NOW,
                         "--no-cache", "-q").returncode == 0
        trees.append({k: v for k, v in tree_bytes(out).items() if k.startswith("zoekindex/")})
    assert trees[0] == trees[1]
    assert json.loads(trees[0]["zoekindex/index.json"])["language"] == "nl"
