"""Warnings for editors: each check finds its problem at the exact place, and leaves good text alone."""

import pytest

from sitegen.core.errors import WARNING, Location
from sitegen.source.lint import lint_page, lint_pages
from sitegen.source.lint_reader import MarkdownSource
from sitegen.source.plain_language import flesch_douma, sentences_of, syllables
from sitegen.core.model import SourcePage


def page(body: str, title: str = "Titel", **meta) -> SourcePage:
    """A page as the loader gives it: front matter on lines 1-3, the body from line 4."""
    return SourcePage(source="content/p.md", rel="p.md", meta={"title": title, **meta},
                      where={"title": Location("content/p.md", 2, 1)}, body=body, body_line=4,
                      location=Location("content/p.md", 1, 1))


def places(body: str, **kw) -> list[tuple[int, int, str]]:
    return [(p.location.line, p.location.column, p.message.split(" ")[1]) for p in lint_page(page(body, **kw))]


def test_good_plain_text_gives_no_warnings():
    body = ("\n## Samen koffie drinken\n\nElke dinsdag is er koffie in het dorpshuis. Iedereen is welkom.\n"
            "Kijk in [de agenda](/agenda/) voor de tijden.\n\n### Hoe kom ik er?\n\n- Met de bus.\n- Met de fiets.\n")
    assert lint_page(page(body)) == []


@pytest.mark.parametrize("word, count", [
    ("eenzaamheid", 3), ("één", 1), ("ideeën", 3), ("geïnteresseerd", 5), ("vrijwilligers", 4),
    ("koffie", 2), ("huis", 1), ("nieuw", 1), ("mooi", 1), ("theater", 3), ("moeilijk", 2), ("auto", 2),
])
def test_dutch_syllables_count_vowel_groups(word, count):
    assert syllables(word) == count


def test_flesch_douma_is_the_dutch_formula():
    assert flesch_douma(100, 10, 150) == pytest.approx(206.835 - 0.93 * 10 - 77 * 1.5)


def test_every_warning_is_a_warning():
    problems = lint_page(page("\n#### Kop\n\n[klik hier](http://example.nl/)\n", title="x" * 71))
    assert problems and all(p.severity == WARNING for p in problems)


def test_long_title_is_placed_at_the_title_key():
    assert places("\nTekst.\n", title="a" * 71) == [(2, 1, "titel")]
    assert places("\nTekst.\n", title="a" * 70) == []


def test_headings_that_skip_a_level_and_a_second_h1():
    body = "\n# Hoofdkop\n\n## Goed\n\n#### Te diep\n\nTekst\n=====\n"
    assert places(body) == [(5, 1, "kop"), (9, 1, "kop"), (11, 1, "kop")]
    assert "slaat een niveau over (van ## naar ####)" in lint_page(page(body))[1].message


def test_starting_with_h3_skips_h2():
    assert places("\n### Begin\n") == [(5, 1, "kop")]


def test_vague_link_texts_are_found_with_their_column():
    body = "\nMeer weten? [Klik hier](a.md), of [**lees meer**](b.md). [De agenda](c.md) is goed.\n"
    assert places(body) == [(5, 13, "linktekst"), (5, 35, "linktekst")]


def test_http_links_warn_and_https_links_do_not():
    body = "\nZie [de gemeente](http://gemeente.nl/) of <http://oud.nl/>.\n\n[ref]: http://ref.nl/\n[b]: https://b.nl/\n"
    assert places(body) == [(5, 19, "link"), (5, 44, "link"), (7, 8, "link")]


def test_code_is_not_checked():
    body = "\n```\n# geen kop\n[klik hier](http://x.nl/)\n```\n\nZet `[hier](http://x.nl)` in je tekst.\n"
    assert lint_page(page(body)) == []


def test_a_long_sentence_is_placed_where_it_starts():
    long_sentence = " ".join(["woord"] * 26) + "."
    body = f"\nKort. {long_sentence}\n"
    assert places(body) == [(5, 7, "zin")]
    assert places(f"\nKort. {' '.join(['woord'] * 25)}.\n") == []


def test_sentences_span_lines_and_know_abbreviations():
    body = page("\nDit is bijv. een zin met o.a.\nkoffie. Op 3 mei komt J. Jansen!\n\n- Een punt\n")
    sentences = [s for block in MarkdownSource(body).blocks for s in sentences_of(block)]
    assert [(s.line, s.column, len(s.words)) for s in sentences] == [(5, 1, 8), (6, 9, 5), (8, 3, 2)]  # numbers are not words


def test_link_targets_and_images_are_not_words():
    body = page("\nLees [de folder](https://example.nl/een/heel/lang/adres/met/veel/woorden) ![Foto](f.jpg) nu.\n")
    (sentence,) = [s for block in MarkdownSource(body).blocks for s in sentences_of(block)]
    assert sentence.words == ("Lees", "de", "folder", "nu")


def test_hard_text_gets_a_reading_ease_warning_and_easy_text_does_not():
    hard = ("Gemeentelijke beleidsmedewerkers constateren regelmatig eenzaamheidsproblematiek. " * 10)
    easy = "Wij drinken koffie. Kom ook. Het is gezellig. " * 10
    assert any("Flesch-Douma" in p.message for p in lint_page(page("\n" + hard)))
    assert not any("Flesch-Douma" in p.message for p in lint_page(page("\n" + easy)))


def test_short_pages_get_no_reading_ease_score():
    assert lint_page(page("\nGemeentelijke beleidsmedewerkers constateren eenzaamheidsproblematiek.\n")) == []


def test_drafts_are_only_checked_when_they_are_built():
    draft = page("\n#### Kop\n", draft=True)
    assert lint_pages([draft]) == []
    assert len(lint_pages([draft], drafts=True)) == 1


def test_html_comments_are_not_checked():
    body = "\n<!--\nTip: [klik hier](http://x.nl/)\n#### geen kop\n-->\n\nGewone tekst.\n"
    assert lint_page(page(body)) == []
