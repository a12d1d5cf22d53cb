"""The one form of address (address.py): its search for the other form's words jumps from a word's first
letter to the next, and must find exactly what a plain search of the whole line finds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.source.address import FORMS, STARTS, first_use

WORDS = {"je": ("je", "jij", "jou", "jouw", "jezelf", "jullie"), "u": ("u", "uw", "uzelf")}


def test_no_other_character_begins_a_word_of_either_form():
    # re.IGNORECASE knows more than upper and lower case (the Kelvin sign is a k): only j, J, u and U here.
    # Every character that can begin a word (FORMS begin with \b: a \w character follows it at the start of
    # a text), found in one pass over all of Unicode: trying each of the 1.1 million took 4 to 5 seconds.
    letters = re.findall(r"\w", "".join(map(chr, range(0x110000))))
    assert len(letters) > 100_000
    for form, words in WORDS.items():
        firsts = {letter for letter in letters for word in words if FORMS[form].match(letter + word[1:])}
        assert firsts == set(STARTS[form].pattern[1:3])


PIECES = ["je", "Je", "JIJ", "jou", "jouw", "jezelf", "Jullie", "u", "U", "uw", "UW", "uzelf", "uur", "jaar",
          "bij", "mij", "nu", "huis", " ", "  ", ".", ",", "-", "_", "'", "é", "1", "\t", "x", "ju", "uj"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from(["je", "u"]))
def test_the_jumping_search_finds_what_a_plain_search_finds(text, form):
    fast, plain = first_use(form, text), FORMS[form].search(text)
    assert (fast and (fast.span(), fast.group(0))) == (plain and (plain.span(), plain.group(0)))


def reference_hints(bodies: list[str], form: str) -> list[tuple[int, int, str]]:
    """address_hints as it was (commit aa5f537), for the places and messages it gives."""
    import re

    from sitegen.source.address import COMMENT, QUOTED

    other = "je" if form == "u" else "u"
    found = []
    for body in bodies:
        lines = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body).splitlines()
        for number, line in enumerate(lines):
            match = FORMS[other].search(QUOTED.sub("", line))
            if match is None:
                continue
            both = any(FORMS[form].search(QUOTED.sub("", l)) for l in lines)
            found.append((number, match.start() + 1, match.group(0), both))
            break
    return found


QUOTING = ['"', "“", "”", "`", "[", "]", "(", ")", "[tekst](x)", '"u"', "`je`", "“uw”", "\n", "<!--", "-->",
           "\u2028", "\r", "j", "e", "w", "o", "\"x\"", "`x`", "[x](y)"]


@settings(max_examples=500, deadline=None)
@example(['Kijk j"x"e eens', "`a` [b](c)u"], "u")  # a quote taken out joins letters into a word
@example(["U kunt ook [hier](x)jullie"], "u")
@given(st.lists(st.lists(st.sampled_from(PIECES + QUOTING), max_size=30).map("".join), max_size=3),
       st.sampled_from(["je", "u"]))
def test_the_hints_are_those_of_a_plain_search_of_every_line(bodies, form):
    from types import SimpleNamespace

    from sitegen.source.address import address_hints

    sources = [SimpleNamespace(body=body, source="content/x.md", body_line=1) for body in bodies]
    hints = address_hints(sources, form)
    expected = reference_hints(bodies, form)
    assert [(h.location.line - 1, h.location.column) for h in hints] == [(n, c) for n, c, _, _ in expected]
    for hint, (_, _, word, both) in zip(hints, expected):
        assert f"'{word}'" in hint.message and (f" en ook '{form}'" in hint.message) == both
