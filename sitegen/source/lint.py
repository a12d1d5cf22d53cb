"""Hints for editors: warnings about titles, headings, link texts, http links, code made by indentation,
and plain language (B1, in plain_language.py); lint_page() gathers them for one page.

Pure functions over loaded pages; they return Problems with severity WARNING, placed at the line and
column in the markdown source. Warnings never stop a build: the reading-level formulas are rough guides.
"""

from __future__ import annotations

import re

from ..core.errors import Problem
from ..core.model import SourcePage
from .lint_reader import FENCE_RE, LIST_RE, REFDEF_RE, MarkdownSource, warning
from .plain_language import check_plain_language

MAX_TITLE = 70

# Link texts that say nothing out of context (screen-reader users often list links on their own).
VAGUE_LINK_TEXTS = {
    "klik hier", "hier klikken", "hier", "klik", "lees meer", "lees verder", "verder lezen", "meer",
    "meer info", "meer informatie", "link", "deze link", "deze pagina", "zie hier", "ga verder",
    "click here", "here", "read more", "more",
}


def lint_pages(sources: list[SourcePage], drafts: bool = False) -> list[Problem]:
    """Warnings for every page that will be published (drafts too when they are built)."""
    problems: list[Problem] = []
    for source in sources:
        if drafts or not source.meta.get("draft", False):
            problems.extend(lint_page(source))
    return problems


def lint_page(source: SourcePage) -> list[Problem]:
    """Every warning for one page."""
    body = MarkdownSource(source)
    return (check_title(source) + check_headings(source, body) + check_links(source, body)
            + check_plain_language(source, body) + check_indented_code(source))


# --- title and headings ------------------------------------------------------------------------

def check_title(source: SourcePage) -> list[Problem]:
    title = source.meta.get("title", "")
    if len(title) <= MAX_TITLE:
        return []
    where = source.at("title")
    return [warning(where.path, where.line, where.column,
                    f"de titel is lang ({len(title)} tekens). Zoekmachines tonen ongeveer {MAX_TITLE} tekens; "
                    "maak hem korter en zet de rest in 'description'.")]


def check_headings(source: SourcePage, body: MarkdownSource) -> list[Problem]:
    """The title is the page's only level-1 heading; below it, levels go down one step at a time."""
    problems = []
    previous = 1
    for heading in body.headings:
        if heading.level == 1:
            problems.append(warning(source.source, heading.line, heading.column,
                                    f"de kop '{heading.text}' heeft één #. De titel van de pagina is al de "
                                    "hoofdkop; begin koppen in de tekst met ## (en daaronder ###)."))
        elif heading.level > previous + 1:
            problems.append(warning(source.source, heading.line, heading.column,
                                    f"de kop '{heading.text}' slaat een niveau over (van {'#' * previous} naar "
                                    f"{'#' * heading.level}). Gebruik {'#' * (previous + 1)}, zodat wie een "
                                    "schermlezer gebruikt de opbouw van de pagina kan volgen."))
        previous = max(heading.level, 1)
    return problems


# --- links ---------------------------------------------------------------------------------

_INLINE_LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])+)\]\[[^\]]*\]")
_AUTOLINK_RE = re.compile(r"<(http://[^>\s]+)>")


def check_links(source: SourcePage, body: MarkdownSource) -> list[Problem]:
    """Link texts that make sense on their own, and https for links to other sites."""
    problems = []
    for segment in body.lines:
        line = _blank_code_spans(segment.text)
        for match in _INLINE_LINK_RE.finditer(line):
            if not match.group(1):
                problems += _check_link_text(source, segment.line, match.start() + 1, match.group(2))
            url = match.group(3)
            if url.lower().startswith("http://"):
                problems.append(_http_warning(source, segment.line, match.start(3) + 1, url))
        for match in _REF_LINK_RE.finditer(line):
            problems += _check_link_text(source, segment.line, match.start() + 1, match.group(1))
        for match in _AUTOLINK_RE.finditer(line):
            problems.append(_http_warning(source, segment.line, match.start(1) + 1, match.group(1)))
        definition = REFDEF_RE.match(line)
        if definition and definition.group(2).lower().startswith("http://"):
            problems.append(_http_warning(source, segment.line, definition.start(2) + 1, definition.group(2)))
    return problems


def _check_link_text(source: SourcePage, line: int, column: int, text: str) -> list[Problem]:
    words = re.sub(r"[^\w\s]", "", re.sub(r"[*_`]", "", text)).lower().split()
    if " ".join(words) not in VAGUE_LINK_TEXTS:
        return []
    return [warning(source.source, line, column,
                    f"de linktekst '{text.strip()}' zegt niet waar de link heen gaat. Schrijf waar de lezer "
                    "terechtkomt, zoals [bekijk de agenda](/agenda/) in plaats van [klik hier](/agenda/).")]


def _http_warning(source: SourcePage, line: int, column: int, url: str) -> Problem:
    return warning(source.source, line, column,
                   f"de link '{url}' begint met http://. Gebruik https:// als die website dat heeft "
                   "(bijna altijd); dan is de verbinding beveiligd.")


_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")


def _blank_code_spans(line: str) -> str:
    """The line with `code` replaced by spaces, so columns stay right and code is not checked."""
    if "`" not in line:
        return line
    return _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)


# --- a paragraph that markdown shows as code only because of its indentation ------------------

_INDENTED_RE = re.compile(r"^(?:\t| {4})")


def check_indented_code(source: SourcePage) -> list[Problem]:
    """A paragraph that begins with a tab or four spaces becomes a code block: shown letter for letter, with
    its markdown (links too) left as it is. Editors do that by accident; a real code block is fenced."""
    problems: list[Problem] = []
    fence: str | None = None
    in_comment = in_code = False
    previous_blank, context_line = True, ""  # context_line: the last non-blank line outside code
    for index, raw in enumerate(str(source.body).split("\n")):
        number = source.body_line + index
        fenced = FENCE_RE.match(raw)
        if fence is not None:
            if fenced and fenced.group(1)[0] == fence[0] and len(fenced.group(1)) >= len(fence):
                fence = None
            continue
        if fenced:
            fence, context_line, in_code = fenced.group(1), raw, False
            continue
        if in_comment or raw.lstrip().startswith("<!--"):
            in_comment = "-->" not in (raw if in_comment else raw.split("<!--", 1)[1])
            continue
        if not raw.strip():
            previous_blank = True
            continue
        indented = bool(_INDENTED_RE.match(raw))
        in_list = bool(LIST_RE.match(context_line) or _INDENTED_RE.match(context_line))
        if indented and (in_code or (previous_blank and not in_list)):
            if not in_code:
                what = "een tab" if raw.startswith("\t") else "vier spaties (of meer)"
                problems.append(warning(source.source, number, 1, f"deze alinea begint met {what} en wordt daardoor "
                                        "als computercode getoond, met de tekens zoals ze er staan (een link werkt "
                                        "dan niet). Haal de ruimte aan het begin van de regel weg. Is het echt "
                                        "code? Zet er dan een regel ``` boven en onder."))
            in_code = True
        else:
            in_code = False
            context_line = raw
        previous_blank = False
    return problems
