"""When a repeating activity does not take place: the items of 'except' as editors write them (what
they do to the rule: skips.py).

An item is a date (2026-12-29, 29 december 2026), a month (juli: every year), a month of one year
(juli 2026), a period in words (13 juli tot en met 21 augustus, with or without a year: without one it is
every year) or as a mapping ({from: 2026-07-13, until: 2026-08-21}). Several in one line are split at
commas and 'en' (juli en augustus).

Every mistake is reported at the item, in Dutch: a month spelt wrong (with the month meant), a day that
does not exist, a period that ends before it begins (with the period turned round).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from ..core import dates
from ..core.errors import Location
from ..core.suggest import did_you_mean
from ..source.bounds import year_problem
from ..source.dutchdates import MONTH_NAMES, why_not
from ..source.yamlschema import INVALID, NULL_TAG, Context, Field, Schema, date, describe as node_kind, text

PERIOD = Schema("een periode in 'except'", (
    Field("from", date, required=True, doc="de eerste dag waarop het niet doorgaat, zoals 2026-07-13"),
    Field("until", date, required=True, doc="de laatste dag waarop het niet doorgaat, zoals 2026-08-21"),
))
SEPARATOR = re.compile(r"\s+(?:tot\s+en\s+met|t/m|tm|tot)\s+|\s+[-\u2013\u2014]\s+|\s*[\u2013\u2014]\s*")
SPLIT = re.compile(r"\s*[,;]\s*|(?<!\btot)\s+en\s+(?!met\b)")
DAY_WORDS = re.compile(r"(\d{1,2})(?:e|ste|de)?\s+([a-z]+)\.?(?:\s+(\d{4}))?")
MONTH_YEAR = re.compile(r"([a-z]+)\.?(?:\s+(\d{4}))?")
DUTCH_NUMERIC = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
HOW = ("Schrijf een datum (2026-12-29), een maand (juli) of een periode (13 juli tot en met 21 augustus; "
       "zonder jaartal is dat elk jaar).")


@dataclass(frozen=True)
class Skip:
    """One item of 'except': kind is date, month or period. A day or period written without a year is
    yearly: it comes back every year, and first and last hold its month and day (in leap year 2000)."""

    kind: str
    where: Location
    words: str  # as the activity page says it: 'van 13 juli tot en met 21 augustus'
    first: dt.date | None = None
    last: dt.date | None = None
    month: int | None = None
    yearly: bool = False

    def covers(self, day: dt.date) -> bool:
        """Whether this date or period holds day (a month: that month of any year)."""
        if self.kind == "month":
            return day.month == self.month
        if not self.yearly:
            return self.first <= day <= self.last
        key, first, last = (day.month, day.day), (self.first.month, self.first.day), (self.last.month, self.last.day)
        return first <= key <= last if first <= last else key >= first or key <= last


def skip_items(node: yaml.Node, ctx: Context):
    """'except': one item or a list of them (each as text or a {from, until} mapping) -> Skips."""
    if isinstance(node, (yaml.ScalarNode, yaml.MappingNode)) and node.tag != NULL_TAG:
        children = [node]  # one item without the list around it
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        return ctx.error(node, f"hier hoort een lijst van data, maanden of periodes, maar er staat "
                         f"{node_kind(node)}. {HOW}")
    found = []
    for child in children:
        found += _item(child, ctx)
    return INVALID if any(s is INVALID for s in found) else tuple(found)


skip_items.item = text  # the web editor's form: a list of words, split at the commas (render/cms.py)


def _item(node: yaml.Node, ctx: Context) -> list:
    if isinstance(node, yaml.MappingNode):
        record = PERIOD.check(node, ctx)
        if record is INVALID:
            return [INVALID]
        return [_period(ctx, node, record.get("from"), record.get("until"), False)]
    value = text(node, ctx)
    if value is INVALID:
        return [INVALID]
    return [_words(piece, node, ctx) for piece in SPLIT.split(value.lower().strip().rstrip(".")) if piece]


def _words(piece: str, node: yaml.Node, ctx: Context):
    """One item in words: a date, a month (of a year), or a period."""
    parts = SEPARATOR.split(piece.removeprefix("van ").strip(), maxsplit=1)
    if len(parts) == 2:
        first, last = (_day(p, piece, node, ctx) for p in parts)
        if INVALID in (first, last):
            return INVALID
        return _period_in_words(piece, first, last, node, ctx)
    match = MONTH_YEAR.fullmatch(piece)
    if match and not re.fullmatch(r"\d.*", piece):
        month = _month(match[1], node, ctx)
        if month is INVALID:
            return INVALID
        if match[2] is None:
            return Skip("month", ctx.loc(node), f"in {dates.MONTHS[month - 1]}", month=month)
        year = int(match[2])
        if year_problem(year):
            return ctx.error(node, year_problem(year))
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return Skip("period", ctx.loc(node), f"in {dates.MONTHS[month - 1]} {year}", dt.date(year, month, 1), last)
    day = _day(piece, piece, node, ctx)
    if day is INVALID:
        return INVALID
    when, yearly = day
    if yearly:
        words = f"op {when.day} {dates.MONTHS[when.month - 1]}"
        return Skip("period", ctx.loc(node), words, when, when, yearly=True)
    return Skip("date", ctx.loc(node), dates.long_date(when), when, when)


def _month(word: str, node: yaml.Node, ctx: Context):
    month = MONTH_NAMES.get(word)
    if month is None:
        hint = did_you_mean(word, dates.MONTHS)
        return ctx.error(node, f"'{word}' is geen maand.{hint}" if hint else f"'{word}' begrijpt de agenda niet. {HOW}")
    return month


def _day(part: str, piece: str, node: yaml.Node, ctx: Context):
    """A day as (date, yearly): 2026-07-13, 13-07-2026, 13 juli 2026, or 13 juli (yearly: in leap year 2000,
    so that 29 februari can be)."""
    part = part.strip()
    numeric, words = DUTCH_NUMERIC.fullmatch(part), DAY_WORDS.fullmatch(part)
    if numeric:
        year, month, day, yearly = int(numeric[3]), int(numeric[2]), int(numeric[1]), False
    elif words:
        month = _month(words[2], node, ctx)
        if month is INVALID:
            return INVALID
        yearly = words[3] is None
        year, day = 2000 if yearly else int(words[3]), int(words[1])
    elif re.fullmatch(r"[\d\s./-]+", part):  # the date converter's own message: what to write instead
        value = date(yaml.ScalarNode("tag:yaml.org,2002:str", part, node.start_mark, node.end_mark), ctx)
        return INVALID if value is INVALID else (value, False)
    elif part in MONTH_NAMES:
        return ctx.error(node, f"'{piece}' begrijpt de agenda niet: een periode gaat van een dag tot een dag. "
                         "Hele maanden schrijf je los, zoals juli, augustus; of met dagen: 1 juli tot en met "
                         "31 augustus.")
    else:
        return ctx.error(node, f"'{piece}' begrijpt de agenda niet. {HOW}")
    why = year_problem(year) or why_not(year, month, day)
    if why:
        why = why.replace(" 2000", "") if yearly else why
        return ctx.error(node, why if why.endswith(".") else f"'{part}' bestaat niet: {why}. Controleer dag en maand.")
    return dt.date(year, month, day), yearly


def _period_in_words(piece: str, first, last, node: yaml.Node, ctx: Context):
    """A period: each end with or without a year. One year given counts for both (the start a year earlier
    when it is later in the year: 21 december tot 3 januari 2027); none: every year."""
    (start, start_yearly), (end, end_yearly) = first, last
    if start_yearly and end_yearly:
        if (end.month, end.day) < (start.month, start.day):
            length = (dt.date(2001, 1, 1) - start).days + (end - dt.date(2000, 1, 1)).days
            if length > 183:
                return ctx.error(node, f"de periode '{piece}' loopt dan van {_md(start)} tot en met {_md(end)} "
                                 f"het jaar erna: bijna een heel jaar. Bedoel je {_md(end)} tot en met "
                                 f"{_md(start)}? Zet de eerste dag vooraan.")
        return Skip("period", ctx.loc(node), f"van {_md(start)} tot en met {_md(end)}", start, end, yearly=True)
    if start_yearly:
        start = _in_year(start, end.year if (start.month, start.day) <= (end.month, end.day) else end.year - 1)
    if end_yearly:
        end = _in_year(end, start.year if (end.month, end.day) >= (start.month, start.day) else start.year + 1)
    if start is INVALID or end is INVALID:
        return ctx.error(node, f"'{piece}': 29 februari bestaat in dat jaar niet. Controleer de datum.")
    return _period(ctx, node, start, end, True)


def _in_year(day: dt.date, year: int):
    try:
        return day.replace(year=year)
    except ValueError:
        return INVALID


def _md(day: dt.date) -> str:
    return f"{day.day} {dates.MONTHS[day.month - 1]}"


def _period(ctx: Context, node: yaml.Node, start: dt.date, end: dt.date, in_words: bool):
    if end < start:
        swapped = (f"{_md(end)} {end.year} tot en met {_md(start)} {start.year}" if in_words
                   else f"from: {end.isoformat()}, until: {start.isoformat()}")
        return ctx.error(node, f"de periode eindigt ({dates.long_date(end)}) voor ze begint "
                         f"({dates.long_date(start)}). Draai ze om: {swapped}.")
    words = f"van {dates.day_range(start, end)}" if start != end else f"op {dates.long_date(start)}"
    return Skip("period", ctx.loc(node), words, start, end)
