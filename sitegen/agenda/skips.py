"""What the items of 'except' (skipwords.py) do to a repeating activity's rule.

Months left out go into the RRULE (BYMONTH of the months that remain), so a calendar app shows the rule
itself right; the rule's dates within periods become EXDATEs beside the single dates. A period without a
year repeats every year, so its dates are counted over the checked window (MAX_CHECKED dates of the rule).
Every mistake is reported at its item: a month or period in which the rule has no date, a start in a month
left out, and an 'except' that leaves nothing.
"""

from __future__ import annotations

import datetime as dt

from ..core import dates
from ..core.errors import Location, Problems
from ..core.model import Recurrence
from .moments import day_of
from .recurrence import MAX_CHECKED, check_recurrence, describe, rule_set
from .skipwords import Skip


def apply_skips(rule: str, start, skips: tuple[Skip, ...], rule_loc: Location, except_loc: Location,
                problems: Problems) -> Recurrence | None:
    """The Recurrence of a rule with its 'except' items, or None after reporting why it cannot be."""
    months = {s.month: s for s in skips if s.kind == "month"}
    if months:
        rule = _without_months(rule, start, months, except_loc, problems)
        if rule is None:
            return None
    first_day = day_of(start)
    if first_day.month in months:
        month = dates.MONTHS[first_day.month - 1]
        after = _dates(rule, start, None, 1)
        later = f" Zet 'start' op {after[0].isoformat()}, de eerste keer daarna," if after else ""
        problems.error(rule_loc, f"de activiteit begint op {dates.day_heading(first_day, True)}, maar {month} staat "
                       f"in 'except'.{later} of haal {month} uit 'except'.")
        return None
    if not check_recurrence(rule, start, (), rule_loc, except_loc, problems):
        return None
    singles = [s for s in skips if s.kind == "date"]
    periods = [s for s in skips if s.kind == "period"]
    whole = _finite(rule) or any(s.yearly for s in periods)  # look at every date (up to MAX_CHECKED)
    last = None if whole else max([s.last for s in singles + periods] or [first_day])
    checked = _dates(rule, start, last, MAX_CHECKED)
    ok = _singles_fit(singles, set(checked), months, problems)
    in_periods = sorted({day for day in checked for period in periods if period.covers(day)})
    for period in periods:
        if any(period.covers(day) for day in checked):
            continue
        ok = False
        inside = _months_in(period)
        if inside <= set(months):
            names = " en ".join(dates.MONTHS[m - 1] for m in sorted(inside))
            verb = "staan" if len(inside) > 1 else "staat"
            problems.error(period.where, f"{period.words} is er geen activiteit: {names} {verb} al in 'except'. "
                           "Haal de periode weg.")
        else:
            problems.error(period.where, f"{period.words} is er volgens de herhaling geen activiteit, dus dat "
                           f"hoort niet in 'except'.{_around(rule, start, period)} Controleer de data.")
    if ok and whole and set(checked) <= {s.first for s in singles} | set(in_periods):
        problems.error(except_loc, "door 'except' gaat de activiteit nooit door: elke datum van de herhaling "
                       "valt weg. Haal er iets uit 'except'.")
        ok = False
    if not ok:
        return None
    text = describe(rule, start, skips=tuple(p.words for p in periods))
    exceptions = {s.first for s in singles}
    return Recurrence(rule=rule, text=text, exceptions=tuple(sorted(exceptions)),
                      skipped=tuple(sorted(exceptions | set(in_periods))))


def _months_in(period: Skip) -> set[int]:
    """The months a period touches (a yearly one across New Year into the next)."""
    first, last = period.first.year * 12 + period.first.month - 1, period.last.year * 12 + period.last.month - 1
    if last < first:  # yearly, across New Year
        last += 12
    return {month % 12 + 1 for month in range(first, min(last, first + 11) + 1)}


def _around(rule: str, start, period: Skip) -> str:
    """' De keren ervoor en erna: dinsdag 3 november en dinsdag 1 december 2026.' for a dated period."""
    if period.yearly:
        return ""
    found = _dates(rule, start, period.last + dt.timedelta(days=400), MAX_CHECKED)
    before = [day for day in found if day < period.first][-1:]
    after = [day for day in found if day > period.last][:1]
    near = [dates.day_heading(day, True) for day in before + after]
    return f" De activiteit is op {' en op '.join(near)}." if near else ""


def _singles_fit(singles: list[Skip], days: set, months: dict, problems: Problems) -> bool:
    ok = True
    for single in singles:
        if single.first in days:
            continue
        month = single.first.month
        why = (f"is er geen activiteit: {dates.MONTHS[month - 1]} staat al in 'except'. Haal de datum weg"
               if month in months else "is er volgens de herhaling geen activiteit, dus die datum hoort niet in "
               "'except'. Controleer de datum")
        problems.error(single.where, f"op {dates.day_heading(single.first, True)} {why}.")
        ok = False
    return ok


def _without_months(rule: str, start, months: dict, except_loc: Location, problems: Problems) -> str | None:
    """The rule with BYMONTH of the months that remain, or None: a month in which the rule has no date,
    or no month left."""
    seen = {day.month for day in _dates(rule, start, None, MAX_CHECKED)}
    ok = True
    for month, skip in months.items():
        if month not in seen:
            problems.error(skip.where, f"in {dates.MONTHS[month - 1]} is er volgens de herhaling geen activiteit, "
                           f"dus {dates.MONTHS[month - 1]} hoort niet in 'except'. Haal het weg.")
            ok = False
    if ok and seen <= set(months):
        problems.error(except_loc, "alle maanden waarin de activiteit is, staan in 'except': dan gaat ze nooit "
                       "door. Haal er maanden uit 'except'.")
        ok = False
    if not ok:
        return None
    parts = rule.split(";")
    kept = [m for m in range(1, 13) if m not in months and m in _months_of(parts)]
    ends = [p for p in parts if p.startswith(("UNTIL=", "COUNT="))]
    middle = [p for p in parts if not p.startswith(("UNTIL=", "COUNT=", "BYMONTH="))]
    return ";".join(middle + ["BYMONTH=" + ",".join(str(m) for m in kept)] + ends)


def _months_of(parts: list[str]) -> set[int]:
    for part in parts:
        if part.startswith("BYMONTH="):
            return {int(m) for m in part[len("BYMONTH="):].split(",")}
    return set(range(1, 13))


def _dates(rule: str, start, last: dt.date | None, limit: int) -> list[dt.date]:
    """The rule's dates from its start, up to last (None: no limit) and at most limit of them."""
    found = []
    for index, moment in enumerate(rule_set(rule, start)):
        if index >= limit or (last is not None and moment.date() > last):
            break
        found.append(moment.date())
    return found


def _finite(rule: str) -> bool:
    return "UNTIL=" in rule or "COUNT=" in rule
