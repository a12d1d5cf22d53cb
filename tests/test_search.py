"""Search without a browser: the A-to-Z list, folding, stems and compounds, typo distance, and the index.

The index is looked up with the browser's own code (static/js/search-core.js) under Node, on the files a
build wrote: tests/search/run_queries.mjs loads them from disk instead of over HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, REPO, run_build, tree_bytes
from sitegen.core import dates
from sitegen.render import search
from sitegen.render import search_index
from sitegen.render import search_words
from sitegen.incremental.cache import BuildCache
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

@pytest.mark.slow
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


# --------------------------------------------------------------------------- words

NODE = shutil.which("node")
CORE = REPO / "static" / "js" / "search-core.js"
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def node_eval(tmp_path, expression_script: str, given) -> object:
    """Run a script that imports search-core.js as `core` and prints JSON of `result(input)`."""
    module = tmp_path / "search-core.mjs"
    shutil.copyfile(CORE, module)
    script = (f"import * as core from {json.dumps(module.as_uri())};\n{expression_script}\n"
              "console.log(JSON.stringify(result(JSON.parse(process.argv[1]))));\n")
    done = subprocess.run([NODE, "--input-type=module", "-e", script, json.dumps(given)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_folding_takes_case_and_accents_away_both_ways():
    assert search_words.fold("Één") == search_words.fold("eén") == search_words.fold("EEN") == "een"
    assert search_words.fold("Café") == "cafe"
    assert search_words.fold("ideeën") == "ideeen"
    assert search_words.fold("naïef coördinator") == "naief coordinator"
    assert search_words.words("Eén keer per week: de koffie-ochtend, om 10:00 uur! a_b x") == [
        "een", "keer", "per", "week", "de", "koffie", "ochtend", "om", "10", "00", "uur"]


# Plural (or inflected) form, base form: the Snowball stems are equal, or (short words the stemmer leaves
# alone: bus, bussen) the base is the start of the plural, which a query finds as a prefix.
PAIRS = [
    ("wandelingen", "wandeling"), ("vrijwilligers", "vrijwilliger"), ("activiteiten", "activiteit"),
    ("ouderen", "ouder"), ("oudere", "ouder"), ("mantelzorgers", "mantelzorger"), ("bewoners", "bewoner"),
    ("gesprekken", "gesprek"), ("bussen", "bus"), ("mensen", "mens"), ("huizen", "huis"),
    ("brieven", "brief"), ("nieuwsbrieven", "nieuwsbrief"), ("straten", "straat"), ("weken", "week"),
    ("jaren", "jaar"), ("maaltijden", "maaltijd"), ("bijeenkomsten", "bijeenkomst"), ("gemeenten", "gemeente"),
    ("ideeën", "idee"), ("cafés", "café"), ("dagen", "dag"), ("ochtenden", "ochtend"), ("buurten", "buurt"),
    ("eenzame", "eenzaamheid"), ("eenzaam", "eenzaamheid"), ("Wandelen", "wandeling"),
]


@pytest.mark.parametrize("inflected, base", PAIRS)
def test_dutch_forms_meet_in_one_snowball_stem_or_by_prefix(inflected, base):
    stem = lambda word: search_words.stem(search_words.fold(word))  # noqa: E731
    folded = search_words.fold(base)
    assert stem(inflected) == stem(base) or (
        search_words.fold(inflected).startswith(folded) and len(folded) >= 3), (stem(inflected), stem(base))


def test_compounds_split_into_words_residents_search_for():
    known = frozenset({"koffie", "ochtend", "mantelzorg", "vrijwilliger", "werk", "wandel", "groep", "rolstoel"})
    assert search_words.compound_parts("koffieochtend", known) == ("koffie", "ochtend")
    assert search_words.compound_parts("mantelzorgcafe", known) == ("mantelzorg", "cafe")  # tail unknown
    assert search_words.compound_parts("vrijwilligerswerk", known) == ("vrijwilliger", "werk")  # linking s
    assert search_words.compound_parts("wandelgroep", known) == ("wandel", "groep")
    assert search_words.compound_parts("rolstoeltoegankelijk", known) == ("rolstoel", "toegankelijk")
    assert search_words.compound_parts("koffie", known) == ()  # too short to be two parts
    assert search_words.compound_parts("zonnebloem", known) == ()  # no known part
    assert search_words.separable_verbs(["dan", "halen", "we", "gratis", "op"]) == ["ophalen"]
    assert search_words.separable_verbs(["we", "halen", "koffie"]) == []


@needs_node
def test_typo_distance_counts_a_swap_as_one_mistake_and_allows_more_for_longer_words(tmp_path):
    got = node_eval(tmp_path, "const result = (pairs) => pairs.map(([a, b, l]) => core.distance(a, b, l))"
                    " .concat(['bus', 'koffie', 'eenzaamheid', 'wandelen'].map(core.allowedMistakes));",
                    [["eenzaamhied", "eenzaamheid", 2], ["eenzaamheit", "eenzaamheid", 2], ["beilen", "bejlen", 1],
                     ["koffie", "koffie", 1], ["koffie", "kofie", 1], ["wandelen", "wandelden", 2],
                     ["bus", "kerstavond", 2], ["abcdefgh", "hgfedcba", 2], ["wijster", "wjister", 1]])
    assert got == [1, 1, 1, 0, 1, 1, 3, 3, 1, 0, 1, 2, 2]


# Words for the JavaScript folding: Dutch words, accents and odd characters.
PARITY_TEXT = ("Eén tegen eenzaamheid: de Koffieochtend (in ’t dorpshuis) op dinsdag 3-9, 10:00–12:00 uur. "
               "Oma's & opa’s zijn welkom; naïeve ideeën ook! Straße ΣΟΦΙΑΣ ĳs ﬁets ½ 𝒶𝒶𝓃 日本語 a_b İstanbul øre")


@needs_node
def test_the_browser_folds_and_splits_words_exactly_as_the_build_does(tmp_path):
    got = node_eval(tmp_path, "const result = (text) => { const w = core.words(text);"
                    " return {words: w, shards: w.map(core.shardName)}; };", PARITY_TEXT)
    assert got["words"] == search_words.words(PARITY_TEXT)
    assert got["shards"] == [search_index.shard_name(word) for word in got["words"]]


def test_the_browser_has_no_stemmer_and_never_reads_text_as_html():
    assert not (REPO / "static" / "js" / "search-stem.js").exists()
    for name in ("search.js", "search-core.js"):
        source = (REPO / "static" / "js" / name).read_text(encoding="utf-8")
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "stem("):
            assert risky not in source, (name, risky)


# --------------------------------------------------------------------------- the index

def index_of(root: Path, cache: BuildCache | None = None) -> dict[str, bytes]:
    """The zoekindex/ files of a site, by path below zoekindex/."""
    options = BuildOptions(root=root, output=root / "output", now=dates.parse_now(NOW), use_cache=False)
    result = generate(options, cache or BuildCache())
    prefix = search.INDEX_FOLDER + "/"
    return {o.path.removeprefix(prefix): o.data for o in result.outputs if o.path.startswith(prefix)}


def run_queries(folder: Path, queries: list[str]) -> list[dict]:
    """What search-core.js finds for each query in a zoekindex/ folder (tests/search/run_queries.mjs)."""
    if NODE is None:
        pytest.skip("node is not installed")
    done = subprocess.run([NODE, str(REPO / "tests" / "search" / "run_queries.mjs"), str(CORE), str(folder)],
                          input=json.dumps(queries), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def lookup_all(tmp_path: Path, files: dict[str, bytes], queries: list[str]) -> list[dict]:
    folder = tmp_path / "zoekindex"
    shutil.rmtree(folder, ignore_errors=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return run_queries(folder, queries)


def urls(found: dict) -> list[str]:
    return [result["url"] for result in found["results"]]


def test_the_index_finds_a_page_by_any_form_of_a_word_of_its_text_or_title(make_site, tmp_path):
    files = index_of(make_site(FINDABLE))
    found = lookup_all(tmp_path, files, ["vrijwilliger", "WANDELEN", "wandel", "rondje", "beilen", "de ouder",
                                         "ouderen dorp", "xyzzyqwert", "vrijwiliger", "koffieochtend"])
    assert urls(found[0]) == ["/wandelen/"]  # text: vrijwilligers
    assert urls(found[1]) == ["/wandelen/"]  # title: wandelen
    assert urls(found[2]) == ["/wandelen/"]  # the start of a word
    assert urls(found[3]) == ["/wandelen/"]  # the description
    assert urls(found[4]) == ["/koffie/"]
    assert urls(found[5]) == ["/wandelen/"]  # a stop word asks nothing when there is more
    assert urls(found[6]) == ["/wandelen/"] and found[6]["all"]  # every word is there
    assert found[7]["total"] == 0
    assert urls(found[8]) == ["/wandelen/"]  # one typing mistake
    assert urls(found[9])[0] == "/koffie/"


def test_a_word_in_the_title_ranks_first_and_an_exact_word_above_a_mistyped_one(make_site, tmp_path):
    files = index_of(make_site(FINDABLE | {
        "content/kofie.md": "---\ntitle: Kofie\n---\n\nEen merk.\n"}))
    found, = lookup_all(tmp_path, files, ["koffie"])
    assert urls(found)[0] == "/koffie/"
    assert set(urls(found)) == {"/koffie/", "/wandelen/", "/bus/"}  # "kofie" is a word of its own: exact wins
    mistyped, = lookup_all(tmp_path, files, ["koffje"])
    assert "/koffie/" in urls(mistyped)[:2]


def test_a_page_with_html_or_script_in_its_text_is_stored_as_plain_text(make_site, tmp_path):
    files = index_of(make_site(FINDABLE))
    found, = lookup_all(tmp_path, files, ["formulier"])
    result = found["results"][0]
    assert result["record"] == ["/gevaar/", "Over veilig typen"]
    sentence = result["sentences"][0]
    assert "<script>alert(1)</script>" in sentence and "formulier" in sentence
    assert "<code>" not in sentence and "<b>" not in sentence and "&lt;" not in sentence


def test_the_index_is_byte_identical_across_builds_and_with_memoised_documents(make_site, tmp_path):
    root = make_site(FINDABLE)
    cache = BuildCache()
    first = index_of(root, cache)
    assert index_of(root) == first
    assert len(cache.renders) > 0
    assert index_of(root, cache) == first  # every document memoised now
    (root / "content" / "bus.md").write_text("---\ntitle: De buurtbus\n---\n\nNu ook op woensdag.\n",
                                             encoding="utf-8")
    changed = index_of(root, cache)
    assert changed == index_of(root)
    assert changed != first
    found, = lookup_all(tmp_path, changed, ["woensdag"])
    assert urls(found) == ["/bus/"]


def test_every_index_file_is_canonical_json_and_a_query_needs_few_files(make_site, tmp_path):
    files = index_of(make_site(FINDABLE))
    for name, data in files.items():
        parsed = json.loads(data)
        assert data == json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    meta = json.loads(files["index.json"])
    assert meta["language"] == "nl"
    assert sorted(name[2:-5] for name in files if name.startswith("w/")) == meta["shards"]
    found = lookup_all(tmp_path, files, ["koffie", "ouderen dorp"])
    assert found[0]["files"] == ["index.json", "w/ko.json"]
    assert found[1]["files"] == ["index.json", "w/ou.json", "w/do.json"]


def test_activities_are_found_by_place_access_transport_and_audience_and_say_when_and_if(make_site, tmp_path):
    root = make_site({
        "site.yaml": MINIMAL_SITE_YAML.replace("menu:\n", "menu:\n  - title: Agenda\n    url: /agenda/\n"),
        "content/agenda.yaml": (
            "- id: breiclub-smilde\n  title: Breiclub\n  start: 2026-12-01 14:00\n  duration: 2 uur\n"
            "  description: Samen breien en kletsen. Neem je eigen wol mee.\n"
            "  location:\n    name: Dorpshuis De Kaap\n    place: Smilde\n"
            "  accessibility: [rolstoeltoegankelijk]\n  audience: [ouderen]\n"
            "  transport: Wij halen u op met de buurtbus.\n"
            "- id: bingo\n  title: Bingo\n  start: 2026-12-02 14:00\n  end: 16:00\n  status: afgelast\n"
            "  status_note: Door ziekte.\n  location:\n    name: Dorpshuis\n    place: Wijster\n"),
    })
    files = index_of(root)
    found = lookup_all(tmp_path, files, ["breien smilde", "rolstoel", "buurtbus", "ouderen", "kaap", "wol",
                                         "bingo", "agenda"])
    for one in found[:6]:
        assert urls(one) == ["/agenda/breiclub-smilde/"], one["query"]
    assert found[0]["results"][0]["record"] == [
        "/agenda/breiclub-smilde/", "Breiclub", "activiteit", "dinsdag 1 december 2026, 14:00 tot 16:00 uur",
        "Smilde"]
    assert found[2]["results"][0]["sentences"] == ["Vervoer: Wij halen u op met de buurtbus."]
    assert found[5]["results"][0]["sentences"] == ["Neem je eigen wol mee."]
    assert found[6]["results"][0]["record"][3:] == ["woensdag 2 december 2026, 14:00 tot 16:00 uur", "Wijster",
                                                    "Afgelast"]
    assert urls(found[7])[0] == "/agenda/"


@pytest.mark.slow
def test_the_search_index_of_a_real_site_build_is_dutch_and_identical_twice(tmp_path):
    trees = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert run_build("--site", str(REPO / "examples" / "medemblik"), "--output", str(out), "--now", NOW,
                         "--no-cache", "-q").returncode == 0
        trees.append({k: v for k, v in tree_bytes(out).items() if k.startswith("zoekindex/")})
    assert trees[0] == trees[1]
    assert json.loads(trees[0]["zoekindex/index.json"])["language"] == "nl"


# --------------------------------------------------------------------------- what residents type

QUERIES = json.loads((REPO / "tests" / "search" / "queries.json").read_text(encoding="utf-8"))
SEARCH_NOW = "2026-11-30T12:00"


def score_queries(found: list[dict]) -> tuple[int, int, list[str]]:
    """(expected page in the top 3, expected page first, the queries that missed the top 3)."""
    top3 = first = 0
    missed = []
    for query, one in zip(QUERIES, found):
        got = urls(one)
        top3 += any(url in query["expect"] for url in got[:3])
        first += bool(got) and got[0] in query["expect"]
        if not any(url in query["expect"] for url in got[:3]):
            missed.append(f"{query['q']}: {got[:3]}")
    return top3, first, missed


@pytest.mark.slow
def test_the_real_site_finds_what_residents_type(tmp_path):
    out = tmp_path / "out"
    # --demo: some of these queries are about the example activities (koffieochtend, wandelgroep)
    assert run_build("--output", str(out), "--now", SEARCH_NOW, "--no-cache", "--demo", "-q").returncode == 0
    assert len(QUERIES) >= 30
    found = run_queries(out / "zoekindex", [query["q"] for query in QUERIES])
    top3, first, missed = score_queries(found)
    assert top3 >= len(QUERIES) - 1, missed
    assert first >= len(QUERIES) - 4


# --------------------------------------------------------------------------- residents' needs (issue 28)

NEEDS = json.loads((REPO / "tests" / "search" / "needs.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_public_site_finds_help_for_grief_carers_memory_money_and_mood_in_residents_words(tmp_path):
    out = tmp_path / "out"
    assert run_build("--output", str(out), "--now", SEARCH_NOW, "--no-cache", "-q").returncode == 0
    assert len(NEEDS) >= 40
    found = run_queries(out / "zoekindex", [query["q"] for query in NEEDS])
    missed = [f"{q['q']}: {urls(one)[:3]}" for q, one in zip(NEEDS, found)
              if not any(url in q["expect"] for url in urls(one)[:3])]
    first = sum(bool(urls(one)) and urls(one)[0] in q["expect"] for q, one in zip(NEEDS, found))
    assert missed == []
    assert first >= len(NEEDS) - 3


RELATED = {
    "content/zoekwoorden.yaml": "related:\n  - [rouw, verdriet, weduwe]\npopular: [rouw.md, koffie.md]\n",
    "content/rouw.md": "---\ntitle: Rouw\n---\n\nAls iemand overlijdt, duurt rouw lang. Praat erover.\n",
    "content/verdriet.md": "---\ntitle: Verdriet\n---\n\nVerdriet hoort bij het leven.\n",
    "content/koffie.md": "---\ntitle: Koffie\n---\n\nSamen koffie drinken.\n",
}


def test_a_related_word_finds_the_pages_of_the_others_on_its_line_after_the_word_itself(make_site, tmp_path):
    root = make_site(RELATED)
    found = lookup_all(tmp_path, index_of(root), ["verdriet", "weduwe", "rouw", "weduwee", "koffie"])
    assert urls(found[0]) == ["/verdriet/", "/rouw/"]  # the word itself first, the related page after
    assert set(urls(found[1])) == {"/rouw/", "/verdriet/"}  # a word no page has, found through its line
    assert urls(found[2]) == ["/rouw/", "/verdriet/"]
    assert set(urls(found[3])) == {"/rouw/", "/verdriet/"}  # with a typing mistake too
    assert urls(found[4]) == ["/koffie/"]  # a word on no line finds only itself


@pytest.mark.slow
def test_a_search_that_finds_nothing_shows_the_chosen_pages_and_the_helplines(make_site, tmp_path):
    root = make_site(RELATED)
    out = tmp_path / "out"
    assert run_build("--site", str(root), "--output", str(out), "--now", NOW).returncode == 0
    html = (out / "zoeken" / "index.html").read_text(encoding="utf-8")
    tips = html[html.index('id="zoek-tips"'):html.index('id="zoekresultaten"')]
    assert tips.index('href="/rouw/">Rouw</a>') < tips.index("alle pagina's van A tot Z")
    assert 'class="help-top"' in tips and 'href="tel:' in tips


@pytest.mark.parametrize("text, message", [
    ("related:\n  - [rouw, verlies van een partner]\n", "2:12: 'verlies van een partner' is geen los woord"),
    ("related:\n  - [rouw]\n", "2:5: op deze regel staat maar één woord"),
    ("related:\n  - [rouw, verdriet]\n  - [verdriet, rouw]\n", "3:5: deze regel staat er al (regel 2)"),
    ("popular: [hulp.md, bestaatniet.md]\n", "1:1: bij popular staat 'bestaatniet.md', maar die pagina is er niet"),
    ("popular: [a.md, b.md, c.md, d.md]\n", "bij popular staan 4 pagina's. Kies er hoogstens 3"),
    ("woorden:\n  - [rouw, verdriet]\n", "onbekende sleutel 'woorden'"),
])
def test_a_mistake_in_the_search_words_is_named_with_its_place_in_dutch(make_site, build_main, text, message):
    root = make_site({"content/zoekwoorden.yaml": text, "content/hulp.md": "---\ntitle: Hulp\n---\n\nHulp.\n"})
    code, stderr = build_main("check", "--site", str(root), "--now", NOW)  # build.py check, in this process
    assert code == 1, stderr
    assert "content/zoekwoorden.yaml:" in stderr and message in stderr, stderr


def test_an_activity_that_is_over_comes_after_one_still_to_come(make_site, tmp_path):
    root = make_site({
        "site.yaml": MINIMAL_SITE_YAML.replace("menu:\n", "menu:\n  - title: Agenda\n    url: /agenda/\n"),
        "content/agenda.yaml": (
            "- id: breien-geweest\n  title: Breien breien breien\n  start: 2026-11-02 14:00\n"
            "  description: Breien, breien en nog eens breien.\n"
            "- id: breien-straks\n  title: Handwerken\n  start: 2026-12-10 14:00\n  description: Samen breien.\n"),
    })
    (found,) = lookup_all(tmp_path, index_of(root), ["breien"])
    assert urls(found) == ["/agenda/breien-straks/", "/agenda/breien-geweest/"]
    assert found["results"][1]["record"][3].startswith("was op ")


def test_a_document_keeps_only_the_sentences_an_excerpt_can_show():
    """The build cache holds every document's entry and every build reads them all: an entry keeps its
    first sentence and each word's first, not the sentences that repeat words found before."""
    text = "Koffie in de bibliotheek. In de bibliotheek koffie. Een wandeling door het dorp."
    entry = search_index.make_entry(("x", "x", "/x/"), ("/x/", "X", ""), "X", text)
    assert entry.sentences == ("Koffie in de bibliotheek.", "Een wandeling door het dorp.")
    groups = entry.groups.split(" ")
    said = {group: entry.sentences[place] for group, place in zip(groups, entry.places)}
    assert said[search_words.stem("wandeling")] == "Een wandeling door het dorp."
    assert said[search_words.stem("koffie")] == "Koffie in de bibliotheek."
