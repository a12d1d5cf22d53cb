"""A page's markdown body as the editor hints read it: the lines outside code, the headings, and the
paragraphs and list items with their markers stripped, each piece with its line and column in the file.
Shared by the checks in lint.py and plain_language.py, with the one way they word a warning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..core.errors import WARNING, Location, Problem
from ..core.model import SourcePage

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_RE = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)")
_QUOTE_RE = re.compile(r"^(\s*(?:>[ \t]?)+)")
REFDEF_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)")
_ABBR_DEF_RE = re.compile(r"^\*\[[^\]]+\]:")
_DEFLIST_RE = re.compile(r"^(:[ \t]+)")


@dataclass(frozen=True)
class Segment:
    """A run of prose on one source line: the text and where its first character is (1-based)."""

    line: int
    column: int
    text: str


@dataclass(frozen=True)
class HeadingLine:
    level: int
    text: str
    line: int
    column: int


class MarkdownSource:
    """The body split into what the checks need: prose lines (outside code), headings and blocks."""

    def __init__(self, source: SourcePage):
        self.headings: list[HeadingLine] = []
        self.lines: list[Segment] = []  # every line outside code blocks, as written
        self.blocks: list[list[Segment]] = []  # paragraphs and list items, markers stripped
        self._read(str(source.body).split("\n"), source.body_line)

    def _read(self, lines: list[str], first: int) -> None:
        block: list[Segment] = []

        def end_block() -> None:
            if block:
                self.blocks.append(list(block))
                block.clear()

        for index, number, raw in _outside_code(lines, first):
            if raw is None:
                end_block()  # code, or an HTML comment: not prose, and not on the site as written
                continue
            self.lines.append(Segment(number, 1, raw))
            quote = _QUOTE_RE.match(raw)
            offset = len(quote.group(1)) if quote else 0
            line = raw[offset:]
            if not line.strip():
                end_block()
                continue
            setext = _SETEXT_RE.match(line)
            if setext and len(block) == 1 and not LIST_RE.match(lines[index - 1][offset:]):
                previous = block.pop()
                self.headings.append(HeadingLine(1 if setext.group(1)[0] == "=" else 2,
                                                 previous.text.strip(), previous.line, previous.column))
                continue
            if _HR_RE.match(line):
                end_block()
                continue
            atx = _ATX_RE.match(line)
            if atx:
                end_block()
                text = re.sub(r"\s*\{[^}]*\}\s*$", "", atx.group(2) or "")
                self.headings.append(HeadingLine(len(atx.group(1)), text, number,
                                                 offset + line.index("#") + 1))
                continue
            stripped = line.lstrip()
            if (stripped.startswith(("|", "<", "{:")) or REFDEF_RE.match(line) or _ABBR_DEF_RE.match(line)
                    or (line.startswith(("    ", "\t")) and not block)):
                end_block()  # tables, raw HTML, attribute lists, definitions, indented code
                continue
            marker = LIST_RE.match(line) or _DEFLIST_RE.match(line)
            if marker:
                end_block()
                offset += len(marker.group(1))
                line = line[len(marker.group(1)):]
            lead = len(line) - len(line.lstrip())
            block.append(Segment(number, offset + lead + 1, line.strip()))
        end_block()


def _outside_code(lines: list[str], first: int) -> Iterator[tuple[int, int, str | None]]:
    """(index, line number, text) of every line; text None for a line of fenced code or of an HTML comment."""
    fence: str | None = None
    in_comment = False
    for index, raw in enumerate(lines):
        number = first + index
        fenced = FENCE_RE.match(raw)
        if fence is not None:
            if fenced and fenced.group(1)[0] == fence[0] and len(fenced.group(1)) >= len(fence):
                fence = None
            yield index, number, None
        elif fenced:
            fence = fenced.group(1)
            yield index, number, None
        elif in_comment or raw.lstrip().startswith("<!--"):
            in_comment = "-->" not in (raw if in_comment else raw.split("<!--", 1)[1])
            yield index, number, None
        else:
            yield index, number, raw


def warning(path: str, line: int, column: int, message: str) -> Problem:
    """An editor hint at a place in the markdown source: never stops a build."""
    return Problem(Location(path, line, column), message, WARNING)
