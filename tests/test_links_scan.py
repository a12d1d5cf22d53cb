"""The link-slip scan (links_as_typed.markdown_problems) skips lines that cannot hold a link cheaply; it
must find exactly what the plain line-by-line scan it replaced found, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.source import links_as_typed
from sitegen.source.links_as_typed import markdown_problems


def reference_problems(body: str) -> list[tuple[int, int, str]]:
    """The scan as it was (commit aa5f537): every line, every pattern, each pattern tried at every position."""
    found = []
    fenced = False
    for number, line in enumerate(body.split("\n")):
        if re.match(r"^ {0,3}(`{3,}|~{3,})", line):
            fenced = not fenced
        if fenced or line.startswith(("    ", "\t")):
            continue
        line = re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)
        found += [(number, column, message) for column, message in _reference_line(line)]
    return found


_SPACED_LINK = re.compile(r"(!?)\[([^\]\n]+)\][ \t]+\(((?:https?:|mailto:|www\.)[^()\s]*)\)")
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
_ANGLED = re.compile(r"<((?:www\.|https?:|mailto:)[^<>\n]*)>")


def _reference_line(line: str) -> list[tuple[int, str]]:
    found = []
    for match in _SPACED_LINK.finditer(line):
        found.append((match.start() + 1, f"tussen ] en ( staat een spatie, daardoor wordt dit geen link. "
                      f"Schrijf {match.group(1)}[{match.group(2)}]({match.group(3)}), zonder spatie."))
    for match in _LINK.finditer(line):
        target = re.sub(r"""\s+(?:"[^"]*"|'[^']*')$""", "", match.group(3).strip())  # a link's title
        message = links_as_typed._target_problem(target, match.group(1) == "!")
        if message:
            found.append((match.start(3) + 1, message))
    for match in _ANGLED.finditer(line):
        meant = links_as_typed.as_meant(match.group(1))
        if meant:
            found.append((match.start() + 1, f"het adres '<{match.group(1)}>' werkt niet: {meant[1]}. "
                          f"Schrijf <{meant[0]}>."))
    return found


PIECES = ["[", "]", "(", ")", "<", ">", "`", "```", "~~~", " ", "  ", "    ", "\t", "\n", "!", "!!", "![", "x", "tekst",
          "https:", "http:/", "https//", "www.", "mailto:", "mailto:mailto:", "info@gemeente.nl", "C:\\foto.jpg",
          "file:", ".", ",", '"', "'", "gemeente.nl", "/hulp"]
TARGETS = ["https://a.nl", "http:/a.nl", "https//a.nl", "www.a.nl", "mailto:a@b.nl", "mailto:mailto:a@b.nl",
           "a@b.nl", "C:\\foto.jpg", "file:///x.jpg", "https://a.nl/x).", "<https://a.nl>", "/hulp", ""]
# a link as typed, with what may come between ] and ( (nothing, spaces, a tab, code, a backtick)
LINKS = st.tuples(st.sampled_from(["", "!", "!!", "[", "!["]), st.sampled_from(["[tekst]", "[]", "[`x`]"]),
                  st.sampled_from(["", " ", "\t", "  ", " `x` ", "`", "``"]), st.sampled_from(["(", "<"]),
                  st.sampled_from(TARGETS), st.sampled_from([")", ">", ")`", ""])).map("".join)
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), LINKS), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_the_fast_scan_finds_what_the_line_by_line_scan_found(body):
    assert markdown_problems(body) == reference_problems(body)


def test_the_fast_scan_still_finds_slips_after_and_between_fences():
    body = ("Zie [de gemeente](http:/www.gemeente.nl).\n```\n[in code](http:/www.x.nl)\n```\n"
            "Een `code` en [b] `x` (https://b.nl)\nen <www.c.nl>\n    [ingesprongen](http:/www.d.nl)\n")
    found = markdown_problems(body)
    assert [(line, column) for line, column, _ in found] == [(0, 19), (4, 15), (5, 4)]
    assert found == reference_problems(body)
