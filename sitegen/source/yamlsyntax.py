"""Why a YAML text does not parse, said in Dutch at the place an editor has to fix it.

PyYAML reports where its parser gave up, which is often lines after the mistake (an unclosed quote is
reported at the end of the file, a missing space after a colon on the next line) and always in English.
Here we look at the lines themselves for the mistakes editors make (a tab, a non-breaking space, curly
quotes, a missing space, an unclosed quote or bracket, a field out of line), and only fall back to where
PyYAML stopped when none is found. Every finding quotes the line as it stands in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

NBSP = "\u00a0"
ODD_SPACES = {"\u00a0": "vaste spatie", "\u2007": "vaste spatie", "\u202f": "smalle vaste spatie",
              "\u2009": "smalle spatie", "\u200b": "onzichtbare spatie", "\ufeff": "onzichtbaar teken"}
CURLY_QUOTES = "\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb"
# "key:" at the start of a line (after an optional list dash): the key and the column after the colon.
KEY_RE = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<dash>-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")
BLOCK_SCALAR_RE = re.compile(r":[ \t]+[|>][-+0-9]*[ \t]*(#.*)?$")


@dataclass(frozen=True)
class Finding:
    """One syntax mistake: 0-based line and column within the YAML text, and the Dutch sentence."""

    line: int
    column: int
    message: str


def shown(line: str) -> str:
    """The line as an editor sees it in an editor: tabs and odd spaces look like spaces."""
    for odd in ODD_SPACES:
        line = line.replace(odd, " ")
    return "'" + line.expandtabs(4).rstrip() + "'"


def _value_start(line: str) -> int | None:
    """Index where the value after 'key: ' begins, or None when the line is not 'key: value'."""
    match = KEY_RE.match(line)
    if not match:
        return None
    rest = line[match.end():]
    stripped = rest.lstrip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    return match.end() + len(rest) - len(stripped)


def _content_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that hold YAML structure: not blank, not comments, not inside a | or > block."""
    result, block_indent = [], None
    for index, line in enumerate(lines):
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if block_indent is not None:
            if not body.strip() or indent > block_indent:
                continue
            block_indent = None
        if not body.strip() or body.startswith("#") or line.strip() in ("---", "..."):
            continue
        result.append(index)
        if BLOCK_SCALAR_RE.search(line):
            match = KEY_RE.match(line)
            block_indent = len(match.group("indent")) + len(match.group("dash") or "") if match else indent
    return result


def _quote_closes(value: str) -> bool:
    """Whether a value that opens with a straight quote closes it on the same line."""
    quote, rest = value[0], value[1:]
    if quote == '"':
        return re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
    return "'" in rest.replace("''", "")


def _line_findings(lines: list[str], index: int, error_line: int) -> list[Finding]:
    """The mistakes an editor makes that can be seen on one line."""
    line = lines[index]
    found = []
    indent = re.match(r"[ \t\u00a0\u2007\u202f\u2009\u200b\ufeff]*", line).group()
    if "\t" in indent:
        found.append(Finding(index, indent.index("\t"), f"deze regel springt in met een tab: {shown(line)}. "
                             "YAML wil spaties: vervang de tab door spaties, zodat de regel recht onder de "
                             "andere regels van hetzelfde blok begint."))
    odd = next((c for c in indent if c in ODD_SPACES), None)
    if odd:
        found.append(Finding(index, indent.index(odd), f"deze regel springt in met een {ODD_SPACES[odd]} "
                             f"(geen gewone spatie): {shown(line)}. Haal de ruimte voor het woord weg en typ "
                             f"gewone spaties{_sibling_hint(lines, index)}."))
    match = KEY_RE.match(line)
    if match and not (found and "\t" in indent):
        after = match.end()
        key = match.group("key")
        next_char = line[after:after + 1]
        if next_char in ODD_SPACES:
            found.append(Finding(index, after, f"na de dubbele punt van '{key}' staat een {ODD_SPACES[next_char]} "
                                 f"in plaats van een gewone spatie: {shown(line)}. Haal de ruimte na '{key}:' weg "
                                 "en typ een gewone spatie."))
        elif next_char and next_char not in " \t#" and not line[after:].startswith("//"):
            fixed = line[:after] + " " + line[after:]
            found.append(Finding(index, after, f"na de dubbele punt van '{key}' mist een spatie: {shown(line)}. "
                                 f"Schrijf {shown(fixed)}."))
    start = _value_start(line)
    if start is None:
        dash = re.match(r"^[ \t]*-[ \t]+(?=\S)", line)
        start = dash.end() if dash else None
    if start is not None and not any(f.column < (start or 0) for f in found):
        value = line[start:].rstrip()
        first = value[:1]
        if first in CURLY_QUOTES and (": " in value or " #" in value or index == error_line):
            inner = value.strip(CURLY_QUOTES + " ")
            quote = "'" if '"' in inner else '"'
            fixed = line[:start] + quote + inner + quote
            found.append(Finding(index, start, f"deze tekst staat tussen gekrulde aanhalingstekens "
                                 f"({value[0]} {value[-1]}), die YAML niet als aanhalingstekens ziet: {shown(line)}. "
                                 f"Typ rechte aanhalingstekens: {shown(fixed)}."))
        elif first in "\"'" and not _quote_closes(_continued(lines, index, value)):
            found.append(Finding(index, start, f"het aanhalingsteken ({first}) dat hier begint, wordt op deze "
                                 f"regel niet gesloten: {shown(line)}. Zet aan het eind van de tekst ook een "
                                 f"{first}: {shown(line.rstrip() + first)}."))
        elif first in "[{" and _unclosed_flow(value):
            close = "]" if first == "[" else "}"
            found.append(Finding(index, start, f"de haak {first} die hier begint, wordt op deze regel niet "
                                 f"gesloten: {shown(line)}. Zet aan het eind een {close}: "
                                 f"{shown(line.rstrip() + close)}."))
    return found


def _sibling_hint(lines: list[str], index: int) -> str:
    """', zodat het recht onder 'name' (kolom 5) begint': where the line above that is a key starts."""
    for line in reversed(lines[:index]):
        match = KEY_RE.match(line)
        if match and not any(c in ODD_SPACES or c == "\t" for c in match.group("indent")):
            return f", zodat de regel recht onder '{match.group('key')}' (kolom {_key_column(line) + 1}) begint"
    return ""


def _continued(lines: list[str], index: int, value: str) -> str:
    """A value with the lines that continue it (indented further than its key): a quoted text may run on."""
    column = _key_column(lines[index]) or 0
    parts = [value]
    for line in lines[index + 1:]:
        body = line.lstrip(" ")
        if body and len(line) - len(body) <= column:
            break
        parts.append(body)
    return " ".join(parts)


def _unclosed_flow(value: str) -> bool:
    depth, quote = 0, None
    for char in value:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth > 0


def _key_column(line: str) -> int | None:
    match = KEY_RE.match(line)
    if not match:
        return None
    return len(match.group("indent")) + len(match.group("dash") or "")


def _out_of_line(lines: list[str], content: list[int], error_line: int, first_line: int) -> Finding | None:
    """A field that starts in another column than the fields of its block: which one, and where they start."""
    if error_line not in content:
        return None
    line = lines[error_line]
    column = _key_column(line)
    if column is None:
        return None
    key = KEY_RE.match(line).group("key")
    earlier = [i for i in content if i < error_line and _key_column(lines[i]) is not None]
    if not earlier:
        return None
    previous = earlier[-1]
    prev_line = lines[previous]
    prev_column = _key_column(prev_line)
    prev_key = KEY_RE.match(prev_line).group("key")
    if _value_start(prev_line) is None and column > prev_column:
        return None  # the line below an empty 'key:' may sit further in: that is a child, not a mistake
    if column == prev_column:
        return None
    dashed = _list_item_without_dash(lines, earlier, line, column)
    if dashed is not None:
        return Finding(error_line, column, f"hier begint een nieuw item van de lijst (zoals op regel "
                       f"{dashed + first_line}), maar het streepje ontbreekt. Schrijf "
                       f"'{line[:column]}- {line[column:].rstrip()}', en zet de regels eronder recht onder "
                       f"'{key}' (op kolom {column + 3}).")
    spaces = prev_column - column
    how = (f"zet er {spaces} {'spatie' if spaces == 1 else 'spaties'} voor" if spaces > 0 else
           f"haal er {-spaces} {'spatie' if spaces == -1 else 'spaties'} weg")
    return Finding(error_line, column, f"'{key}' staat niet recht onder de andere velden van dit blok: "
                   f"{shown(line)} begint op kolom {column + 1}, maar '{prev_key}' op regel {previous + first_line} "
                   f"begint op kolom {prev_column + 1}. Laat '{key}' ook op kolom {prev_column + 1} beginnen "
                   f"({how}).")


def _list_item_without_dash(lines: list[str], earlier: list[int], line: str, column: int) -> int | None:
    """The earlier '- key:' this field lines up with, as a list item without its '- ' (a helpline added
    by copying the lines of the one above but not its dash: it starts with the same key), or None."""
    key = KEY_RE.match(line)
    if key.group("dash"):
        return None
    for i in reversed(earlier):
        match = KEY_RE.match(lines[i])
        indent = len(match.group("indent"))
        if indent == column and match.group("dash"):
            return i if match.group("key") == key.group("key") else None
        if indent <= column and not match.group("dash"):
            return None
    return None


def _colon_in_text(lines: list[str], problem: yaml.Mark) -> Finding | None:
    """'title: Oorzaken: waarom': a second ': ' in a value makes YAML look for a new key."""
    line = lines[problem.line] if problem.line < len(lines) else ""
    start = _value_start(line)
    if start is None or problem.column <= start or line[start:start + 1] in "\"'[{":
        return None
    value = line[start:].rstrip()
    quote = "'" if '"' in value else '"'
    value = value.replace("'", "''") if quote == "'" else value
    fixed = line[:start] + quote + value + quote
    return Finding(problem.line, problem.column, f"in deze tekst staat een dubbele punt met een spatie erna, "
                   f"en dan denkt YAML dat er een nieuwe sleutel begint: {shown(line)}. Zet de tekst tussen "
                   f"rechte aanhalingstekens: {shown(fixed)}.")


def _char_at(lines: list[str], mark) -> str:
    """The character at a mark, or '' when the mark is past the text."""
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def diagnose(text: str, error: yaml.YAMLError, first_line: int = 1) -> list[Finding]:
    """Every syntax mistake found in text, which PyYAML refused with error; at least one finding.

    first_line: the number of the text's first line in its file (front matter starts on line 2)."""
    lines = text.split("\n")
    problem = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    error_line = problem.line if problem else len(lines)
    content = _content_lines(lines)
    found = [f for index in content for f in _line_findings(lines, index, error_line)]
    if found:
        return _unique(found)
    what = getattr(error, "context", None) or ""
    opening = _char_at(lines, context)
    if context and what.startswith("while scanning a quoted scalar") and opening in "\"'" and opening:
        line, quote = lines[context.line], opening
        return [Finding(context.line, context.column, f"het aanhalingsteken ({quote}) dat hier begint, wordt "
                        f"nergens gesloten: {shown(line)}. Zet aan het eind van de tekst ook een {quote}.")]
    if context and what.startswith(("while parsing a flow", "while scanning a flow")) and opening in "[{" and opening:
        line, bracket = lines[context.line], opening
        close = {"[": "]", "{": "}"}.get(bracket, "]")
        return [Finding(context.line, context.column, f"de haak {bracket} die hier begint, wordt niet goed "
                        f"gesloten: {shown(line)}. Zet aan het eind een {close} en zet tussen de haken alleen "
                        "waarden met komma's ertussen.")]
    if problem:
        finding = _out_of_line(lines, content, problem.line, first_line)
        if finding is None and (getattr(error, "problem", "") or "").startswith("mapping values are not allowed"):
            finding = _colon_in_text(lines, problem)
        if finding:
            return [finding]
        line = lines[problem.line] if problem.line < len(lines) else ""
        if problem.line >= len(lines) or not line.strip():
            return [Finding(problem.line, problem.column, "het bestand houdt hier op terwijl de YAML nog niet af "
                            "is. Controleer of elk aanhalingsteken en elke haak ook gesloten wordt.")]
        return [Finding(problem.line, problem.column, f"de YAML klopt op deze regel niet: {shown(line)}. "
                        "Controleer of de regel begint als 'sleutel: waarde', recht onder de regels van "
                        "hetzelfde blok, en zet tekst met een dubbele punt of # erin tussen rechte "
                        "aanhalingstekens.")]
    return [Finding(0, 0, "de YAML is onleesbaar. Controleer inspringing, dubbele punten en aanhalingstekens.")]


def _unique(found: list[Finding]) -> list[Finding]:
    """One finding per line, the first on it."""
    seen: set[int] = set()
    result = []
    for finding in sorted(found, key=lambda f: (f.line, f.column)):
        if finding.line not in seen:
            seen.add(finding.line)
            result.append(finding)
    return result
