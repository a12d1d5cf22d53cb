"""Typed YAML checking: values keep their place, mistakes get Dutch messages with line and column."""

import datetime as dt

from sitegen.core.errors import Problems
from sitegen.source.schemas import FRONT_MATTER, SITE
from sitegen.source.yamlschema import INVALID, Context, compose


def check(schema, text, offset=0):
    problems = Problems()
    ctx = Context("f.yaml", problems, line_offset=offset)
    node = compose(text, ctx)
    result = INVALID if node is INVALID else schema.check(node, ctx)
    return result, [p.format() for p in problems.items]


def test_converts_known_keys_with_their_positions():
    record, problems = check(FRONT_MATTER, "title: Hallo\ndate: 2025-03-14\ntags: [a, b]\n", offset=1)
    assert problems == []
    assert record.values == {"title": "Hallo", "date": dt.date(2025, 3, 14), "tags": ("a", "b")}
    assert str(record.at("date")) == "f.yaml:3:1"


def test_errors_on_unknown_key_with_did_you_mean():
    _, problems = check(FRONT_MATTER, "titel: Hallo\n")
    assert problems[0].startswith("f.yaml:1:1: onbekende sleutel 'titel' - bedoel je 'title'?")


def test_dutch_key_names_point_to_the_english_ones():
    _, problems = check(FRONT_MATTER, "title: x\nafbeelding: a.jpg\n")
    assert "bedoel je 'image'?" in problems[0]


def test_errors_on_date_that_does_not_exist():
    _, problems = check(FRONT_MATTER, "title: x\ndate: 2025-02-31\n")
    assert problems == ["f.yaml:2:7: de datum '2025-02-31' bestaat niet: februari 2025 heeft 28 dagen. Controleer dag en maand."]


def test_errors_on_list_where_text_belongs():
    _, problems = check(FRONT_MATTER, "title:\n  - a\n  - b\n")
    assert problems == ["f.yaml:2:3: hier hoort tekst, maar er staat een lijst."]


def test_errors_on_missing_required_key():
    _, problems = check(FRONT_MATTER, "description: x\n")
    assert "mist de verplichte sleutel 'title'" in problems[0]


def test_errors_on_duplicate_key():
    _, problems = check(FRONT_MATTER, "title: a\ntitle: b\n")
    assert problems == ["f.yaml:2:1: de sleutel 'title' staat hier twee keer. Haal er een weg."]


def test_bool_hint_for_dutch_words():
    _, problems = check(FRONT_MATTER, "title: a\ndraft: ja\n")
    assert "Schrijf true (ja) of false (nee)." in problems[0]


def test_refuses_aliases_so_alias_bombs_cannot_expand():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    _, problems = check(FRONT_MATTER, bomb)
    assert any("ankers (&) en verwijzingen (*)" in p for p in problems)


def test_refuses_custom_tags():
    _, problems = check(FRONT_MATTER, "title: !!python/object:os.system x\n")
    assert any("onbekend YAML-label" in p for p in problems)


def test_reports_syntax_error_with_line():
    _, problems = check(FRONT_MATTER, "title: a\n  bad: : indent\n", offset=1)
    assert problems[0].startswith("f.yaml:3:")
    assert "'bad' staat niet recht onder de andere velden van dit blok" in problems[0]


def test_collects_every_problem_at_once():
    _, problems = check(FRONT_MATTER, "titel: a\ndate: nope\norder: veel\n")
    assert len(problems) == 3  # unknown key (title suggested, so no separate "missing title"), bad date, bad int


def test_site_schema_nested_errors_have_positions():
    text = "title: T\ntagline: t\nbase_url: https://a.nl/\nmunicipality: M\ncontact:\n  organisatie: X\nmenu: []\n"
    _, problems = check(SITE, text)
    assert "f.yaml:6:3: onbekende sleutel 'organisatie' - bedoel je 'organisation'?" in problems[0]
