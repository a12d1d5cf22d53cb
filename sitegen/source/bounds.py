"""Limits that keep the work of a build bounded for any input (issue 24), checked before a text reaches
PyYAML or Python-Markdown.

Both are written for honest text: PyYAML's composer recurses once per level of nesting (50,000 nested `[`
crash the interpreter), Python-Markdown's block parser recurses per level of a nested list or quote (250
levels overflow the stack), and its inline patterns scan from every `[`, `(` or `<` that has no partner to
the end of the paragraph, so a line of 20,000 `[` takes minutes. Each limit here is far beyond what an editor
writes (measured on the real site: the deepest YAML is 4 levels, the deepest list 3, the costliest page
well under 1% of the budget) and makes the time of a conversion bounded by construction, with no clock
involved: the same input is refused on every machine, and nothing needs a timer inside forked workers.
Each function returns findings (line, column, Dutch message); the caller places them in its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE = 10_000  # characters on one line, in YAML and in markdown
MAX_YAML_DEPTH = 30  # lists and mappings within each other
MAX_BODY = 100_000  # characters of markdown in one page or description (about 15,000 words)
MAX_BLOCK_LINES = 1_000  # lines without a blank line between them (a definition list is quadratic in them)
MAX_MARKDOWN_DEPTH = 20  # lists and quotes within each other
MAX_FENCES = 200  # ``` and ~~~ lines: the fenced-code step searches the whole text once per block
MAX_ABBREVIATIONS = 20  # *[ABC]: ... lines: each one is another pass over the whole text
MAX_SCAN = 1_000_000  # characters the link and HTML patterns may scan in a page (about 1 s; real pages: < 600)
YEARS = (1900, 2200)  # the dates a site can hold, first and last year
MAX_INTEGER = 1_000_000  # a number an editor writes (an order, an edition, how often something repeats)
MAX_DURATION_DAYS = 366  # how long one activity lasts


@dataclass(frozen=True)
class Finding:
    """Something over a limit: 1-based line and column within the text checked, and the Dutch message."""

    line: int
    column: int
    message: str


def year_problem(year: int) -> str | None:
    """Why a year cannot be on the site (None when it can): far dates are typing mistakes, and the
    calendar code of Python stops at 9999."""
    if YEARS[0] <= year <= YEARS[1]:
        return None
    return (f"het jaar {year} ligt buiten wat de website aankan ({YEARS[0]} tot en met {YEARS[1]}). "
            "Controleer het jaartal.")


def _number(value: int) -> str:
    """12.345, as Dutch writes it."""
    return f"{value:,}".replace(",", ".")


def _long_line(lines: list[str]) -> Finding | None:
    if max(map(len, lines), default=0) <= MAX_LINE:
        return None
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            return Finding(number, MAX_LINE + 1, f"deze regel is te lang ({_number(len(line))} tekens; de grens "
                           f"is {_number(MAX_LINE)}). Zet de tekst op meer regels, met een witregel tussen de "
                           "alinea's.")
    return None


# --- YAML -------------------------------------------------------------------------------------------------

_YAML_MARKERS = re.compile(r"(?:[-?](?:[ \t]+|$))*")
_YAML_COLON = re.compile(r":(?:[ \t]|$)")  # no nested repetition: linear on any line


def _after_key(value: str) -> tuple[str, bool]:
    """The value after a `key: ` at the start of value, and whether there was one."""
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        rest = value[end + 1:].lstrip(" \t") if end > 0 else ""
        colon = _YAML_COLON.match(rest)
        return (rest[colon.end():].lstrip(" \t"), True) if colon else (value, False)
    colon = _YAML_COLON.search(value)
    if colon is None or value[:1] in "#[]{}" or "#" in value[:colon.start()]:
        return value, False
    return value[colon.end():].lstrip(" \t"), True


def yaml_problem(text: str) -> Finding | None:
    """A line that is too long, or nesting deeper than MAX_YAML_DEPTH, found in one pass over the text.

    The depth counted is an upper bound of what PyYAML would build: the indentation levels still open, plus
    the `- ` markers that start a line (`- - x` nests on one line), plus the brackets of a flow collection
    (`[a, [b]]`) not yet closed. Brackets in quoted text, in block text (`|`) and inside a plain text (a
    title with a [ in it) do not count."""
    lines = text.split("\n")
    long = _long_line(lines)
    if long is not None or len(lines) + sum(map(text.count, "-?[{")) <= MAX_YAML_DEPTH:
        return long  # each level needs a line, a marker or a bracket: too few of them to go deep
    flow, literal_below = 0, None
    indents: list[int] = []
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if flow == 0:
            if not stripped or stripped.startswith("#") or (literal_below is not None and indent > literal_below):
                continue
            literal_below = None
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            markers = _YAML_MARKERS.match(stripped).group()
            value = stripped[len(markers):]
            value, _ = _after_key(value)
            block = len(indents) + markers.count("-") + markers.count("?")
            if block > MAX_YAML_DEPTH:
                return _too_deep_yaml(number, indent + 1)
            if value[:1] in ("|", ">"):
                literal_below = indent
            if value[:1] not in ("[", "{"):
                continue
            column = len(line) - len(value)
        else:
            column = 0
        flow, deepest = _flow(line, column, flow, MAX_YAML_DEPTH - block)
        if deepest is not None:
            return _too_deep_yaml(number, deepest + 1)
    return None


def _flow(line: str, column: int, depth: int, limit: int) -> tuple[int, int | None]:
    """The depth of open flow brackets after this line (scanned from column), and the column where it went
    over limit (None when it did not). Quoted text is skipped; a comment ends the line."""
    quote = None
    for at in range(column, len(line)):
        char = line[at]
        if quote is not None:
            if char == quote and not (quote == '"' and line[at - 1] == "\\"):
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > limit:
                return depth, at
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                return 0, None  # the collection is closed: the rest of the line is no flow
        elif char == "#" and at and line[at - 1] in " \t":
            break
    return depth, None


def _too_deep_yaml(line: int, column: int) -> Finding:
    return Finding(line, column, f"hier zitten te veel lijsten in elkaar (meer dan {MAX_YAML_DEPTH} lagen "
                   "diep). Zo diep is een kop of instelling nooit: kijk of er haakjes [ of { te veel staan of "
                   "regels te ver inspringen, en schrijf het eenvoudiger.")


# --- markdown ---------------------------------------------------------------------------------------------

_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d{1,9}[.)]\s|>|#|\|)")
_NESTING = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)]|>)[ \t]*)*")
_NESTING_CANDIDATE = re.compile(r"(?:[ \t]{4,}|[ \t]*(?:(?:[-*+>]|\d{1,9}[.)])[ \t]*){2,})")  # at a line's start
_NESTING_START = frozenset(" \t-*+>0123456789")
_NESTING_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)
_ABBREVIATION = re.compile(r"^[ \t]*\*\[", re.M)
_PAIRS = {"]": "[", ")": "("}


def markdown_problems(body: str) -> list[Finding]:
    """Every limit a markdown text goes over (at most one finding of each kind), before it is converted."""
    if len(body) > MAX_BODY:
        return [Finding(1, 1, f"deze tekst is te lang ({_number(len(body))} tekens; de grens is "
                        f"{_number(MAX_BODY)}). Verdeel hem over twee of meer pagina's.")]
    lines = body.split("\n")
    found = [_long_line(lines), _deep_nesting(lines), _long_block(lines),
             _many(body, _FENCE, MAX_FENCES, "codeblokken (regels met ``` of ~~~)")
             if "```" in body or "~~~" in body else None,  # one cheap test of the whole text first
             _many(body, _ABBREVIATION, MAX_ABBREVIATIONS, "afkortingen (regels met *[...]:)")
             if "*[" in body else None,
             _costly_brackets(body, lines)]
    return [finding for finding in found if finding is not None]


def _deep_nesting(lines: list[str]) -> Finding | None:
    """Lists and quotes nest by four columns of indentation, or by markers at a line's start (`> > - x`).
    Only lines indented by four characters or more, or with two markers or more, can be deep (and only a
    line that starts with a space, a tab or a marker can be either)."""
    for number, line in enumerate(lines, 1):
        if not line or line[0] not in _NESTING_START or not _NESTING_CANDIDATE.match(line):
            continue
        expanded = line.expandtabs(4)
        stripped = expanded.lstrip(" ")
        indent = len(expanded) - len(stripped)
        depth = indent // 4 + len(_NESTING_MARKER.findall(_NESTING.match(stripped).group()))
        if depth > MAX_MARKDOWN_DEPTH:
            return Finding(number, 1, f"hier zitten te veel lijsten of citaten in elkaar (meer dan "
                           f"{MAX_MARKDOWN_DEPTH} lagen diep). Laat de regel minder ver inspringen en gebruik "
                           "minder tekens > of - aan het begin.")
    return None



def _long_block(lines: list[str]) -> Finding | None:
    if len(lines) <= MAX_BLOCK_LINES:
        return None
    start, count = 0, 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            count = 0
            continue
        if count == 0:
            start = number
        count += 1
        if count > MAX_BLOCK_LINES:
            return Finding(start, 1, f"hier staan meer dan {_number(MAX_BLOCK_LINES)} regels achter elkaar "
                           "zonder witregel. Zet witregels tussen de alinea's, lijsten en tabellen, of verdeel de "
                           "tekst over meer pagina's.")
    return None


def _many(body: str, pattern: re.Pattern, limit: int, what: str) -> Finding | None:
    for count, match in enumerate(pattern.finditer(body), 1):
        if count > limit:
            return Finding(body.count("\n", 0, match.start()) + 1, 1, f"deze tekst heeft meer dan {limit} "
                           f"{what}. Verdeel hem over meer pagina's.")
    return None


def _units(lines: list[str]):
    """(first line, text) of each stretch that Python-Markdown's inline patterns see as one text: split at
    blank lines and where a list item, quote, heading or table row starts."""
    start, current = 1, []
    for number, line in enumerate(lines, 1):
        if not line.strip() or _BLOCK_START.match(line):
            if current:
                yield start, "\n".join(current)
            start, current = number, ([] if not line.strip() else [line])
        else:
            if not current:
                start = number
            current.append(line)
    if current:
        yield start, "\n".join(current)


def _scan_cost(text: str) -> int:
    """How many characters the link and HTML patterns scan in one text: from each `[` or `(` to its partner
    (to the end when it has none), and from each `<` to the end (an upper bound)."""
    cost = 0
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    for match in re.finditer(r"[\[\]()<]", text):
        char, at = match.group(), match.start()
        if char in open_at:
            open_at[char].append(at)
        elif char == "<":
            cost += len(text) - at
        elif open_at[_PAIRS[char]]:
            cost += at - open_at[_PAIRS[char]].pop()
    return cost + sum(len(text) - at for stack in open_at.values() for at in stack)


def _costly_brackets(body: str, lines: list[str]) -> Finding | None:
    if (body.count("[") + body.count("(") + body.count("<")) * len(body) <= MAX_SCAN:
        return None  # each of them scans at most the whole text: nothing to add up
    total = 0
    worst: tuple[int, int] = (0, 1)
    for start, text in _units(lines):
        cost = _scan_cost(text)
        total += cost
        worst = max(worst, (cost, start))
        if total > MAX_SCAN:
            return Finding(worst[1], 1, "deze tekst heeft te veel haken [ ( of < zonder partner: het omzetten "
                           "naar een webpagina zou te lang duren. Sluit elke [ met ] en elke ( met ), en haal "
                           "haken en tekens < weg die niet bij een link horen (vooral in lange alinea's).")
    return None
