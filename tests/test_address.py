"""The one form of address (address.py): its search for the other form's words jumps from a word's first
letter to the next, and must find exactly what a plain search of the whole line finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.source.address import FORMS, STARTS, first_use

WORDS = {"je": ("je", "jij", "jou", "jouw", "jezelf", "jullie"), "u": ("u", "uw", "uzelf")}


def test_no_other_character_begins_a_word_of_either_form():
    # re.IGNORECASE knows more than upper and lower case (the Kelvin sign is a k): only j, J, u and U here.
    for form, words in WORDS.items():
        firsts = {chr(c) for c in range(0x110000) for word in words if FORMS[form].match(chr(c) + word[1:])}
        assert firsts == set(STARTS[form].pattern[1:3])


PIECES = ["je", "Je", "JIJ", "jou", "jouw", "jezelf", "Jullie", "u", "U", "uw", "UW", "uzelf", "uur", "jaar",
          "bij", "mij", "nu", "huis", " ", "  ", ".", ",", "-", "_", "'", "é", "1", "\t", "x", "ju", "uj"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from(["je", "u"]))
def test_the_jumping_search_finds_what_a_plain_search_finds(text, form):
    fast, plain = first_use(form, text), FORMS[form].search(text)
    assert (fast and (fast.span(), fast.group(0))) == (plain and (plain.span(), plain.group(0)))
