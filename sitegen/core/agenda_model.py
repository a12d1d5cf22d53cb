"""The agenda as data: activities as checked from their YAML, and their dates (issue 3). Frozen
dataclasses only; `core.model` imports them too, so either name works."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import Location
from .model import Text


@dataclass(frozen=True)
class Venue:
    """Where an activity takes place: a building or spot, and its address."""

    name: str
    street: str | None = None
    postcode: str | None = None
    place: str | None = None  # the village or town, e.g. Beilen

    @property
    def address(self) -> str:
        """'Brink 1, 9411 AA Beilen' (whatever parts are known)."""
        town = " ".join(p for p in (self.postcode, self.place) if p)
        return ", ".join(p for p in (self.street, town) if p)

    @property
    def address_after_name(self) -> str:
        """The address to show after the name: '' when the name already is the address (a venue given
        only by its place or its address, which the loader names by that address)."""
        return "" if self.name == self.address else self.address

    @property
    def one_line(self) -> str:
        return ", ".join(p for p in (self.name, self.address_after_name) if p)


@dataclass(frozen=True)
class Organiser:
    name: str
    phone: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Registration:
    """Whether and how to sign up; deadline is a date or an aware date-time."""

    needed: bool
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    deadline: dt.date | dt.datetime | None = None
    note: str | None = None


@dataclass(frozen=True)
class Recurrence:
    """A repeating activity: an RFC 5545 RRULE (months left out as BYMONTH), its Dutch wording, the single
    dates named in 'except' (shown as "Niet op: ...") and every date it skips (the calendar's EXDATEs: those
    and the rule's dates in the periods named in 'except')."""

    rule: str  # e.g. FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2,3,4,5,6,9,10,11,12;UNTIL=20260630T215959Z
    text: str  # e.g. 'elke week op dinsdag, behalve in juli en augustus, tot en met 30 juni 2026'
    exceptions: tuple[dt.date, ...] = ()
    skipped: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Event:
    """One activity from the agenda YAML, checked. Times are aware (Europe/Amsterdam).

    An all-day activity has dates for start and end (end is the last day, inclusive); a timed one has
    date-times (end may be None when the editor gave neither end nor duration)."""

    id: str
    title: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    all_day: bool
    source: str  # the YAML file, relative to the site root
    location: Location
    venue: Venue | None = None
    online: str | None = None
    organiser: Organiser | None = None
    cost: str | None = None
    registration: Registration | None = None
    audience: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    transport: str | None = None
    description: str = ""  # markdown as written
    description_html: Text = ""  # converted and sanitised (set when the site is modelled)
    image: str | None = None  # path under content/ until modelled, then the site URL
    image_alt: str | None = None
    status: str = "gepland"  # gepland, afgelast, verplaatst
    status_note: str | None = None
    recurrence: Recurrence | None = None
    example: bool = False  # an example for editors to replace; the site says so
    where: dict[str, Location] = field(default_factory=dict)  # YAML key -> Location

    @property
    def cancelled(self) -> bool:
        return self.status == "afgelast"

    def at(self, key: str) -> Location:
        return self.where.get(key, self.location)


@dataclass(frozen=True)
class Occurrence:
    """One date of an activity (a one-off activity has exactly one)."""

    event: Event
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    @property
    def day(self) -> dt.date:
        return self.start if self.all_day else self.start.date()

    @property
    def last_day(self) -> dt.date:
        if self.end is None:
            return self.day
        return self.end if self.all_day else self.end.date()
