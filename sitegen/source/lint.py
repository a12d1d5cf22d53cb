"""Hints for editors: warnings about titles, headings, link texts, http links and plain language (B1).

Pure functions over loaded pages; they return Problems with severity WARNING, placed at the line and
column in the markdown source. Warnings never stop a build: the reading-level formulas are rough guides.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ..core.errors import WARNING, Location, Problem
from ..core.model import SourcePage

MAX_TITLE = 70
MAX_SENTENCE_WORDS = 25
MIN_READING_EASE = 60
MIN_WORDS_FOR_SCORE = 50  # below this a reading-ease score says nothing

# Link texts that say nothing out of context (screen-reader users often list links on their own).
VAGUE_LINK_TEXTS = {
    "klik hier", "hier klikken", "hier", "klik", "lees meer", "lees verder", "verder lezen", "meer",
    "meer info", "meer informatie", "link", "deze link", "deze pagina", "zie hier", "ga verder",
    "click here", "here", "read more", "more",
}

# Abbreviations whose full stop does not end a sentence (lower case, without the final stop).
ABBREVIATIONS = {
    "bijv", "bv", "o.a", "d.w.z", "enz", "etc", "nr", "ca", "mr", "mevr", "dhr", "drs", "dr", "ir",
    "ing", "prof", "i.p.v", "m.b.v", "t.o.v", "a.u.b", "n.a.v", "vs", "jl", "e.d", "e.a", "incl",
    "excl", "tel", "max", "min", "resp", "blz", "m.a.w", "z.s.m", "evt", "i.s.m", "o.b.v", "v.a",
    "t/m", "st", "mw", "ds", "vgl",
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


def _warn(path: str, line: int, column: int, message: str) -> Problem:
    return Problem(Location(path, line, column), message, WARNING)


# --- the markdown source, line by line ------------------------------------------------------

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_RE = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)")
_QUOTE_RE = re.compile(r"^(\s*(?:>[ \t]?)+)")
_REFDEF_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)")
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
        fence: str | None = None
        in_comment = False
        block: list[Segment] = []

        def end_block() -> None:
            if block:
                self.blocks.append(list(block))
                block.clear()

        for index, raw in enumerate(lines):
            number = first + index
            fenced = _FENCE_RE.match(raw)
            if fence is not None:
                if fenced and fenced.group(1)[0] == fence[0] and len(fenced.group(1)) >= len(fence):
                    fence = None
                continue
            if fenced:
                end_block()
                fence = fenced.group(1)
                continue
            if in_comment or raw.lstrip().startswith("<!--"):
                end_block()  # an HTML comment: not on the site, so not checked
                in_comment = "-->" not in (raw if in_comment else raw.split("<!--", 1)[1])
                continue
            self.lines.append(Segment(number, 1, raw))
            quote = _QUOTE_RE.match(raw)
            offset = len(quote.group(1)) if quote else 0
            line = raw[offset:]
            if not line.strip():
                end_block()
                continue
            setext = _SETEXT_RE.match(line)
            if setext and len(block) == 1 and not _LIST_RE.match(lines[index - 1][offset:]):
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
            if (stripped.startswith(("|", "<", "{:")) or _REFDEF_RE.match(line) or _ABBR_DEF_RE.match(line)
                    or (line.startswith(("    ", "\t")) and not block)):
                end_block()  # tables, raw HTML, attribute lists, definitions, indented code
                continue
            marker = _LIST_RE.match(line) or _DEFLIST_RE.match(line)
            if marker:
                end_block()
                offset += len(marker.group(1))
                line = line[len(marker.group(1)):]
            lead = len(line) - len(line.lstrip())
            block.append(Segment(number, offset + lead + 1, line.strip()))
        end_block()


# --- title and headings ------------------------------------------------------------------------

def check_title(source: SourcePage) -> list[Problem]:
    title = source.meta.get("title", "")
    if len(title) <= MAX_TITLE:
        return []
    where = source.at("title")
    return [_warn(where.path, where.line, where.column,
                  f"de titel is lang ({len(title)} tekens). Zoekmachines tonen ongeveer {MAX_TITLE} tekens; "
                  "maak hem korter en zet de rest in 'description'.")]


def check_headings(source: SourcePage, body: MarkdownSource) -> list[Problem]:
    """The title is the page's only level-1 heading; below it, levels go down one step at a time."""
    problems = []
    previous = 1
    for heading in body.headings:
        if heading.level == 1:
            problems.append(_warn(source.source, heading.line, heading.column,
                                  f"de kop '{heading.text}' heeft één #. De titel van de pagina is al de "
                                  "hoofdkop; begin koppen in de tekst met ## (en daaronder ###)."))
        elif heading.level > previous + 1:
            problems.append(_warn(source.source, heading.line, heading.column,
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
        definition = _REFDEF_RE.match(line)
        if definition and definition.group(2).lower().startswith("http://"):
            problems.append(_http_warning(source, segment.line, definition.start(2) + 1, definition.group(2)))
    return problems


def _check_link_text(source: SourcePage, line: int, column: int, text: str) -> list[Problem]:
    words = re.sub(r"[^\w\s]", "", re.sub(r"[*_`]", "", text)).lower().split()
    if " ".join(words) not in VAGUE_LINK_TEXTS:
        return []
    return [_warn(source.source, line, column,
                  f"de linktekst '{text.strip()}' zegt niet waar de link heen gaat. Schrijf waar de lezer "
                  "terechtkomt, zoals [bekijk de agenda](/agenda/) in plaats van [klik hier](/agenda/).")]


def _http_warning(source: SourcePage, line: int, column: int, url: str) -> Problem:
    return _warn(source.source, line, column,
                 f"de link '{url}' begint met http://. Gebruik https:// als die website dat heeft "
                 "(bijna altijd); dan is de verbinding beveiligd.")


_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")


def _blank_code_spans(line: str) -> str:
    """The line with `code` replaced by spaces, so columns stay right and code is not checked."""
    if "`" not in line:
        return line
    return _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)


# --- plain language (B1) -----------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    line: int
    column: int


def check_plain_language(source: SourcePage, body: MarkdownSource) -> list[Problem]:
    """Long sentences, and a Flesch-Douma reading ease below 60 for the page as a whole."""
    problems = []
    sentences = [s for block in body.blocks for s in sentences_of(block)]
    for sentence in sentences:
        if len(sentence.words) > MAX_SENTENCE_WORDS:
            problems.append(_warn(source.source, sentence.line, sentence.column,
                                  f"deze zin is lang ({len(sentence.words)} woorden). Zinnen van hoogstens "
                                  f"{MAX_SENTENCE_WORDS} woorden zijn makkelijker te lezen (taalniveau B1); "
                                  "maak er twee of meer zinnen van."))
    words = [w for s in sentences for w in s.words]
    if len(words) >= MIN_WORDS_FOR_SCORE:
        score = flesch_douma(len(words), len(sentences), sum(syllables(w) for w in words))
        if score < MIN_READING_EASE:
            first = sentences[0]
            problems.append(_warn(source.source, first.line, first.column,
                                  f"de tekst van deze pagina is moeilijk te lezen: het leesgemak is "
                                  f"{score:.0f} (Flesch-Douma; streef naar {MIN_READING_EASE} of meer). "
                                  "Gebruik kortere zinnen en kortere, gewone woorden. Dit is een grove "
                                  "schatting, geen eis."))
    return problems


def flesch_douma(words: int, sentences: int, syllable_count: int) -> float:
    """The Dutch reading-ease formula: higher is easier; 60-70 is plain language (B1)."""
    return 206.835 - 0.93 * (words / max(sentences, 1)) - 77 * (syllable_count / max(words, 1))


_MARKUP_RES = (
    re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)"),  # an image: its alt text is not prose
    re.compile(r"\]\([^)]*\)"),  # the target of a link (its text stays)
    re.compile(r"\]\[[^\]]*\]"),  # the reference of a link
    re.compile(r"\{:?[^}]*\}"),  # attribute lists
    re.compile(r"<[^>]*>"),  # HTML tags and autolinks
)
_WORD_RE = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?")
_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


_LETTER_RE = re.compile(r"[^\W\d_]")
_NUMBER_RE = re.compile(r"\d+")
_UNSPOKEN_RE = re.compile(r"[\[\]*`]")
_KEPT_RE = re.compile(rb"\x01+")


class Places:
    """The (line, column) in the source of every character of a block's prose, stored as runs."""

    def __init__(self, runs: list[tuple[int, int, int]]) -> None:
        self._runs = runs  # (offset in the prose, line, column) where a run of kept characters starts
        self._starts = [run[0] for run in runs]

    def __getitem__(self, offset: int) -> tuple[int, int]:
        start, line, column = self._runs[bisect.bisect_right(self._starts, offset) - 1]
        return line, column + offset - start


def prose(block: list[Segment]) -> tuple[str, Places]:
    """A block's text without markup, and for every character its (line, column) in the source."""
    parts: list[str] = []
    runs: list[tuple[int, int, int]] = []
    length = 0
    for segment in block:
        text = segment.text
        keep = bytearray(b"\x01" * len(text))
        for pattern in _MARKUP_RES:
            for match in pattern.finditer(text):
                start, end = match.span()
                if 0 not in keep[start:end]:
                    keep[start:end] = bytes(end - start)
        for match in _UNSPOKEN_RE.finditer(text):
            keep[match.start()] = 0
        for match in _KEPT_RE.finditer(keep):
            start, end = match.span()
            parts.append(text[start:end])
            runs.append((length, segment.line, segment.column + start))
            length += end - start
        parts.append(" ")
        runs.append((length, segment.line, segment.column + len(text)))
        length += 1
    return "".join(parts), Places(runs)


def sentences_of(block: list[Segment]) -> list[Sentence]:
    """The sentences of a paragraph or list item, each with where it starts."""
    text, places = prose(block)
    result = []
    start = 0
    for match in _END_RE.finditer(text):
        before = text[start:match.start()].rsplit(None, 1)
        last = before[-1].lower() if before else ""
        if match.group(0).startswith(".") and len(match.group(0)) == 1 and (
                last in ABBREVIATIONS or _LETTER_RE.fullmatch(last) or _NUMBER_RE.fullmatch(last)
                and _next_is_lower(text, match.end())):
            continue  # bijv. / J. Jansen / 3. mei
        result += _sentence(text, places, start, match.end())
        start = match.end()
    result += _sentence(text, places, start, len(text))
    return result


def _next_is_lower(text: str, position: int) -> bool:
    rest = text[position:].lstrip()
    return bool(rest) and rest[0].islower()


def _sentence(text: str, places: Places, start: int, end: int) -> list[Sentence]:
    words = tuple(_WORD_RE.findall(text[start:end]))
    if not words:
        return []
    first = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    line, column = places[first]
    return [Sentence(words, line, column)]


# Letter groups that Dutch speaks as one vowel sound, longest first; 'ij' is folded to 'ÿ' first.
_VOWEL_UNITS = ("aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "ou", "au", "eu",
                "ui", "ei", "ÿ")
_VOWEL_GROUP_RE = re.compile("|".join(_VOWEL_UNITS) + "|[aeiouy]")
# A diaeresis starts a new syllable (ideeën, geïnteresseerd): '|' keeps it apart from the vowel before it.
_FOLD = str.maketrans({"ë": "|e", "ï": "|i", "ö": "|o", "ü": "|u", "ä": "|a", "é": "e", "è": "e", "ê": "e",
                       "á": "a", "à": "a", "â": "a", "ó": "o", "ò": "o", "ô": "o", "í": "i", "ì": "i",
                       "î": "i", "ú": "u", "ù": "u", "û": "u"})


@functools.lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """A rough count of Dutch syllables: vowel groups, where aa, ee, ie, oe, ou, ij, ui and friends are one.

    A diaeresis starts a new syllable (ideeën, geïnteresseerd); other accents are dropped (één)."""
    folded = word.lower().replace("ij", "ÿ").translate(_FOLD)
    return max(len(_VOWEL_GROUP_RE.findall(folded)), 1)


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
        fenced = _FENCE_RE.match(raw)
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
        in_list = bool(_LIST_RE.match(context_line) or _INDENTED_RE.match(context_line))
        if indented and (in_code or (previous_blank and not in_list)):
            if not in_code:
                what = "een tab" if raw.startswith("\t") else "vier spaties (of meer)"
                problems.append(_warn(source.source, number, 1, f"deze alinea begint met {what} en wordt daardoor "
                                      "als computercode getoond, met de tekens zoals ze er staan (een link werkt "
                                      "dan niet). Haal de ruimte aan het begin van de regel weg. Is het echt "
                                      "code? Zet er dan een regel ``` boven en onder."))
            in_code = True
        else:
            in_code = False
            context_line = raw
        previous_blank = False
    return problems
