"""The search index kept between builds (sitegen/render/search_state.py): after any edit, the files of
zoekindex/ are byte for byte those of a whole build, and a body edit writes again only a few of them."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import NOW
from sitegen.core import dates
from sitegen.incremental.cache import BuildCache
from sitegen.pipeline import BuildOptions, generate
from sitegen.render import search
from sitegen.render.search_index import make_entry
from sitegen.render.search_state import SearchIndex, index_files

WORDS = ("koffie ochtend koffieochtend wandelen wandelgroep bus buurtbus dinsdag woensdag vrijwilliger "
         "vrijwilligerswerk mantelzorg mantelzorgcafe rouw verdriet weduwe eten samen dorp ouderen halen "
         "praatje welkom huis huizen brief brieven zorg thee").split()
RELATED = (("rouw", "verdriet", "weduwe"), ("bus", "vervoer"))


def text(rng: random.Random, sentences: int) -> str:
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9))).capitalize() + "."
                    for _ in range(sentences))


def entries_of(documents: dict[str, tuple[str, str]]) -> list:
    return [make_entry((*search.sort_key(title), url), (url, title, ""), title, body)
            for url, (title, body) in documents.items()]


def files(outputs) -> list[tuple[str, bytes]]:
    return [(output.path, output.data) for output in outputs]


def test_a_renewed_index_is_a_whole_one_after_any_edit():
    rng = random.Random(7)
    documents = {f"/p{n}/": (f"Pagina {rng.choice(WORDS)} {n}", text(rng, rng.randint(0, 6))) for n in range(150)}
    index = None
    for round_ in range(60):
        url = rng.choice(sorted(documents))
        title, body = documents[url]
        kind = rng.choice(["body", "body", "body", "title", "new", "delete", "empty"])
        if kind == "body":
            documents[url] = (title, text(rng, rng.randint(1, 6)) + (f" nieuwwoord{round_}." if round_ % 3 else ""))
        elif kind == "empty":
            documents[url] = (title, "")
        elif kind == "title":
            documents[url] = (f"{rng.choice(WORDS).capitalize()} {round_}", body)
        elif kind == "new":
            documents[f"/nieuw{round_}/"] = (f"Nieuw {rng.choice(WORDS)}", text(rng, 3))
        elif len(documents) > 1:
            del documents[url]
        related = RELATED if round_ < 40 else RELATED[:1]
        index = SearchIndex.renew(index, entries_of(documents), "nl", related)
        assert files(index.outputs()) == files(index_files(entries_of(documents), "nl", related)), (round_, kind)


def test_a_body_edit_writes_again_only_the_shards_and_record_file_it_changes():
    rng = random.Random(3)
    documents = {f"/p{n}/": (f"Pagina {n}", text(rng, 5)) for n in range(200)}
    index = SearchIndex.renew(None, entries_of(documents), "nl", RELATED)
    shards = len(index.shards)
    assert index.remade == (shards, 4)  # made whole: 200 documents in record files of 64
    index = SearchIndex.renew(index, entries_of(documents), "nl", RELATED)
    assert index.remade == (0, 0)
    title, body = documents["/p150/"]
    documents["/p150/"] = (title, body + " Zebrapad.")  # a new word: its shard, and the document's record file
    index = SearchIndex.renew(index, entries_of(documents), "nl", RELATED)
    assert index.remade[1] == 1 and 1 <= index.remade[0] <= 3 < shards
    assert files(index.outputs()) == files(index_files(entries_of(documents), "nl", RELATED))


def test_a_body_edit_sorts_no_entry_again_and_a_title_edit_does():
    """The entries come in by URL and the index orders them by title: with the same orders in the same
    places (a body edit) the order of the index before is taken as it is; a new title sorts them again."""
    rng = random.Random(5)
    documents = {f"/p{n:03d}/": (f"{rng.choice(WORDS).capitalize()} {n}", text(rng, 3)) for n in range(120)}
    index = SearchIndex.renew(None, entries_of(documents), "nl", RELATED)
    permutation = index.permutation
    assert permutation != sorted(permutation)  # not in the order they came in
    documents["/p007/"] = (documents["/p007/"][0], "Een nieuwe tekst over de buurtbus.")
    index = SearchIndex.renew(index, entries_of(documents), "nl", RELATED)
    assert index.permutation is permutation
    assert files(index.outputs()) == files(index_files(entries_of(documents), "nl", RELATED))
    documents["/p007/"] = ("Aaaa eerst", "Een nieuwe tekst over de buurtbus.")
    index = SearchIndex.renew(index, entries_of(documents), "nl", RELATED)
    assert index.permutation is not permutation and index.entries[0].record[0] == "/p007/"
    assert files(index.outputs()) == files(index_files(entries_of(documents), "nl", RELATED))


# --------------------------------------------------------------------------- through the build

SITE = {
    "content/wandelen.md": "---\ntitle: Samen wandelen\ndescription: Elke week een rondje.\n---\n\n"
                           "Onze vrijwilligers lopen met ouderen door het dorp. Daarna drinken we koffie.\n",
    "content/koffie.md": "---\ntitle: Koffieochtend in Beilen\n---\n\nIedereen is welkom voor een praatje.\n",
    "content/bus.md": "---\ntitle: De buurtbus\n---\n\nDe bus rijdt op dinsdag. Koffie is er niet.\n",
    "content/rouw.md": "---\ntitle: Rouw\n---\n\nPraten over verdriet helpt.\n",
    "content/zoekwoorden.yaml": "related:\n  - [rouw, verdriet, weduwe]\n",
    **{f"content/extra{n}.md": f"---\ntitle: Extra {n}\n---\n\nPagina {n} over de zorg in het dorp.\n"
       for n in range(12)},
}


def index_of(root: Path, cache: BuildCache | None) -> dict[str, bytes]:
    options = BuildOptions(root=root, output=root / "output", now=dates.parse_now(NOW))
    result = generate(options, cache)
    prefix = search.INDEX_FOLDER + "/"
    return {o.path: o.data for o in result.outputs if o.path.startswith(prefix)}


def test_the_dev_servers_index_after_each_edit_is_a_clean_builds(make_site):
    root = make_site(SITE)
    cache = BuildCache()  # kept between rebuilds, as the dev server keeps it
    index_of(root, cache)
    content = root / "content"
    edits = [
        ("body", lambda: (content / "bus.md").write_text(
            "---\ntitle: De buurtbus\n---\n\nDe bus rijdt op dinsdag en woensdag. Zebrapad.\n", encoding="utf-8")),
        ("title", lambda: (content / "bus.md").write_text(
            "---\ntitle: Aanrijden met de bus\n---\n\nDe bus rijdt op dinsdag.\n", encoding="utf-8")),
        ("new", lambda: (content / "nieuw.md").write_text("---\ntitle: Nieuw\n---\n\nWeduwe en koffie.\n",
                                                          encoding="utf-8")),
        ("deleted", lambda: (content / "extra3.md").unlink()),
        ("related", lambda: (content / "zoekwoorden.yaml").write_text("related:\n  - [rouw, weduwe]\n  - [bus, vervoer]\n",
                                                                      encoding="utf-8")),
        ("body again", lambda: (content / "rouw.md").write_text("---\ntitle: Rouw\n---\n\nPraten helpt.\n",
                                                                encoding="utf-8")),
    ]
    for name, edit in edits:
        edit()
        served = index_of(root, cache)
        assert served == index_of(root, None), name
        if name.startswith("body"):
            index = cache.memory["search index"]
            assert 1 <= index.remade[0] < len(index.shards) and index.remade[1] == 1, (name, index.remade)


def test_words_that_leave_the_site_leave_the_index_however_many_there_are():
    rng = random.Random(5)
    documents = {f"/p{n}/": (f"Pagina {n}", text(rng, 4)) for n in range(80)}
    documents["/p7/"] = ("Pagina 7", " ".join(f"Eigenwoord{n} staat hier." for n in range(3)))
    many = " ".join(f"Zeldzaam{n}woord." for n in range(50))  # more than search_state.WORD_SEARCHES
    for body in (many, "Koffie.", " ".join(f"Eigenwoord{n}." for n in range(2)), "Thee."):
        index = SearchIndex.renew(None, entries_of(documents), "nl", RELATED)
        documents["/p7/"] = ("Pagina 7", body)
        index = SearchIndex.renew(index, entries_of(documents), "nl", RELATED)
        assert files(index.outputs()) == files(index_files(entries_of(documents), "nl", RELATED)), body[:20]
