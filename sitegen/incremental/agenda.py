"""The agenda's dates kept between builds, so that a page edit does not expand every activity again.

agenda/occurrences.expand works out every date of every activity in the window (parsing each RRULE and
walking its dates): some 40 ms at 500 activities, and the same answer on every build in which no activity
and not the window's end changed. The cache keeps that answer under a key of exactly what expand reads:
the window's end and, per activity, its id, title, start, end, whether it lasts all day, and its rule with
the days it skips. The answer is kept as one text of numbers (parsed in a few ms; no date goes through the
codec): per date the activity's index, and its start and end when they are not the activity's own, as
seconds since 1970 in Amsterdam time or as a day number. A text is stored only when it gives back exactly
the dates it was made from (same times, zones and folds); one that does not parse is ignored, and the
dates are worked out anew. Nothing here can change a build's result, only how much work it redoes.
"""

from __future__ import annotations

import datetime as dt

from ..agenda.moments import ZONE
from ..agenda.occurrences import WINDOW_MONTHS, expand
from ..agenda.recurrence import window_end
from ..core.hashing import digest
from ..core.model import Event, Occurrence, Site
from .cache import BuildCache

KEY = "occurrences\t"
MEMORY = "agenda\t"  # cache.memory: the activities and their dates of the build before, in this process
_EPOCH = dt.datetime(1970, 1, 1)
_SECOND = dt.timedelta(seconds=1)


def same_events(memory: dict, events: tuple[Event, ...]) -> tuple[Event, ...]:
    """events, or the very tuple the build before in this process modelled when it is equal to it in every
    way a page could show: the dev server then takes the activities' dates and fingerprints over from that
    build (expanded(); reads.Fingerprints), where pickling 5,000 activities and their 50,000 dates again
    took a third of a rebuild after a page edit."""
    previous = memory.get(MEMORY + "events")
    if previous is not None and previous == events and _folds(previous) == _folds(events):
        return previous
    memory[MEMORY + "events"] = events
    return events


def _folds(events: tuple[Event, ...]) -> list:
    """The folds of the activities' date-times, which == passes over (02:30 twice, on the night the clocks
    go back: the editor writes +02:00 or +01:00)."""
    return [(getattr(e.start, "fold", 0), getattr(e.end, "fold", 0),
             getattr(e.registration and e.registration.deadline, "fold", 0)) for e in events]


def expanded(site: Site, cache: BuildCache | None) -> tuple[Occurrence, ...]:
    """expand(site), from the cache when it holds the answer for these activities and this window; the
    same tuple as the build before in this process (the dev server) for the same activities tuple."""
    if cache is None or not site.events:
        return expand(site)
    end = window_end(site.now, WINDOW_MONTHS)
    before = cache.memory.get(MEMORY + "occurrences")
    if before is not None and before[0] is site.events and before[1] == end:
        if before[2] in cache.renders:
            cache.used.add(before[2])
        return before[3]
    key = KEY + _key(site)
    found = _kept_or_expanded(site, cache, key)
    cache.memory[MEMORY + "occurrences"] = (site.events, end, key, found)
    return found


def _kept_or_expanded(site: Site, cache: BuildCache, key: str) -> tuple[Occurrence, ...]:
    kept = cache.renders.get(key)
    if type(kept) is list and len(kept) == 1 and type(kept[0]) is str:
        found = decoded(kept[0], site.events)
        if found is not None:
            cache.used.add(key)
            return found
    found = expand(site)
    text = encoded(found, site.events)
    if text is not None:
        again = decoded(text, site.events)
        if again is not None and len(again) == len(found) and all(map(_identical, again, found)):
            cache.renders[key] = [text]
            cache.used.add(key)
    return found


def _key(site: Site) -> str:
    """What expand reads of the site (agenda/occurrences.py: occurrences, _order)."""
    return digest(window_end(site.now, WINDOW_MONTHS),
                  [(e.id, e.title, e.start, e.end, e.all_day,
                    None if e.recurrence is None else (e.recurrence.rule, e.recurrence.skipped))
                   for e in site.events])


def encoded(found: tuple[Occurrence, ...], events: tuple[Event, ...]) -> str | None:
    """The dates as text (the module's docstring); None for a date it cannot write."""
    index = {id(event): number for number, event in enumerate(events)}
    parts = []
    for occurrence in found:
        number = index.get(id(occurrence.event))
        if number is None:
            return None
        event = occurrence.event
        if occurrence.start is event.start and occurrence.end is event.end:
            parts.append(str(number))
            continue
        moments = [_moment(occurrence.start), "-" if occurrence.end is None else _moment(occurrence.end)]
        if None in moments:
            return None
        parts.append(f"{number},{moments[0]},{moments[1]}")
    return " ".join(parts)


def _moment(value) -> str | None:
    if type(value) is dt.date:
        return f"d{value.toordinal()}"
    if type(value) is dt.datetime and value.tzinfo is ZONE and not value.microsecond:
        return f"{'f' if value.fold else 't'}{(value.replace(tzinfo=None) - _EPOCH) // _SECOND}"
    return None


def decoded(text: str, events: tuple[Event, ...]) -> tuple[Occurrence, ...] | None:
    """The dates a text of encoded() gives, for these activities; None when it is not such a text."""
    found = []
    count = len(events)
    try:
        for part in text.split(" ") if text else ():
            fields = part.split(",")
            number = int(fields[0])
            if not 0 <= number < count or len(fields) not in (1, 3):
                return None
            event = events[number]
            if len(fields) == 1:
                found.append(Occurrence(event, event.start, event.end))
            else:
                found.append(Occurrence(event, _parsed(fields[1]), None if fields[2] == "-" else _parsed(fields[2])))
    except (ValueError, OverflowError, OSError):
        return None
    return tuple(found)


def _parsed(field: str):
    if field[:1] == "d":
        return dt.date.fromordinal(int(field[1:]))
    if field[:1] in ("t", "f"):  # made by the constructor: ZONE's own conversions are Python (dateutil)
        return (_EPOCH + dt.timedelta(seconds=int(field[1:]))).replace(tzinfo=ZONE, fold=field[0] == "f")
    raise ValueError(field)


def _identical(a: Occurrence, b: Occurrence) -> bool:
    return a.event is b.event and _same(a.start, b.start) and _same(a.end, b.end)


def _same(a, b) -> bool:
    """Equal, and so in every way a page could show: of one type, zone and fold (== looks past the fold)."""
    return (type(a) is type(b) and a == b and getattr(a, "tzinfo", None) is getattr(b, "tzinfo", None)
            and getattr(a, "fold", 0) == getattr(b, "fold", 0))
