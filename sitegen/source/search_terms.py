"""content/zoekwoorden.yaml: the words residents type and what search should find for them, kept by editors.

    related:                      # each line: words that should find each other's pages
      - [rouw, verdriet, verlies, overleden, weduwe, weduwnaar]
      - [mantelzorger, mantelzorg, zorgen voor]      <- one word per place: 'zorgen voor' is refused
    popular: [hulp.md, /agenda/, zelf-doen/index.md]  # shown when a search finds nothing (at most 3)

The file is optional. Words are checked here (one word each, two or more on a line, no line twice); whether a
popular page exists is checked once the pages are known (render/search.py check_search_terms).
"""

from __future__ import annotations

import re

import yaml

from ..core.errors import Problems, relative_name
from ..core.model import SearchTerms
from .load import SitePaths, read_text
from .yamlschema import INVALID, Context, Field, Schema, compose, list_of, text

FILE = "zoekwoorden.yaml"
MAX_POPULAR = 3
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # letters and digits, a hyphen inside allowed (e-mail)

SCHEMA = Schema("zoekwoorden.yaml", (
    Field("related", list_of(list_of(text)), doc="regels met woorden die elkaars pagina's vinden"),
    Field("popular", list_of(text, allow_single=True),
          doc="de pagina's die zoeken laat zien als het niets vindt (hoogstens 3), zoals hulp.md of /agenda/"),
))


def load_search_terms(paths: SitePaths, problems: Problems) -> SearchTerms:
    """The related words and popular pages of content/zoekwoorden.yaml; empty when the file is not there."""
    path = paths.content / FILE
    if not path.is_file():
        return SearchTerms()
    name = relative_name(path, paths.root)
    source = read_text(path, name, problems)
    if source is None:
        return SearchTerms(source=name)
    ctx = Context(name, problems)
    node = compose(source, ctx)
    if node is None or node is INVALID:
        return SearchTerms(source=name)
    record = SCHEMA.check(node, ctx)
    if record is INVALID:
        return SearchTerms(source=name)
    related = _related(record.get("related", ()), _lines(node, "related"), ctx)
    popular = tuple(record.get("popular", ()))
    if len(popular) > MAX_POPULAR:
        problems.error(record.at("popular"), f"bij popular staan {len(popular)} pagina's. Kies er hoogstens "
                       f"{MAX_POPULAR}: de pagina's die inwoners het meest zoeken.")
    return SearchTerms(related=related, popular=popular[:MAX_POPULAR], source=name,
                       popular_at=record.at("popular"))


def _lines(node: yaml.Node, key: str) -> list[yaml.Node]:
    """The nodes of the lines under key, for the place of a mistake in one of them."""
    for key_node, value in node.value:
        if key_node.value == key and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _related(rows: tuple, nodes: list[yaml.Node], ctx: Context) -> tuple[tuple[str, ...], ...]:
    """Each line's words in lower case; a mistake (two words in one place, a line of one word, a line
    twice) is reported at its line and the line left out."""
    found: list[tuple[str, ...]] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, (row, node) in enumerate(zip(rows, nodes)):
        words = tuple(dict.fromkeys(word.strip().lower() for word in row))
        wrong = [word for word in words if not WORD.fullmatch(word)]
        if wrong:
            place = next((child for child in getattr(node, "value", ()) if isinstance(child, yaml.ScalarNode)
                          and child.value.strip().lower() == wrong[0]), node)
            ctx.error(place, f"'{wrong[0]}' is geen los woord. Zet op elke plek één woord, zoals [rouw, verdriet]; "
                      "zoeken vindt woorden ook los van elkaar.")
            continue
        if len(words) < 2:
            ctx.error(node, "op deze regel staat maar één woord. Zet er de woorden bij die dezelfde pagina's "
                      "moeten vinden, zoals [geheugen, vergeetachtig, dementie].")
            continue
        key = tuple(sorted(words))
        if key in seen:
            ctx.error(node, f"deze regel staat er al (regel {seen[key]}). Haal er een weg.")
            continue
        seen[key] = ctx.loc(node).line
        found.append(words)
    return tuple(found)
