"""The build cache's one on-disk format: JSON, and only the value types listed here.

A `.cache/` restored from a CI artifact or copied from another machine is input from a stranger. pickle
(and marshal) would let such a file construct any object and so run any code at the next build; this
codec constructs only what the cache really holds, each by its own constructor, after checking the type
of every field. Anything else in a cache file is store.CacheDamaged: the build drops the cache, says so
in one line and builds without it (cache.py).

The encoding, as flat as JSON allows (one C call to parse, one pass of Python over the result):
- str, int, float, bool and None are themselves; a list is a JSON array;
- every other value is an object with one key, its tag, and a payload:
  {"t": [...]} a tuple, {"m": {...}} a dict with str keys, {"d": [[key, value], ...]} any other dict,
  {"date": "2026-11-23"}, {"datetime": ["2026-10-25T02:30:00", zone, fold]} (zone: an IANA name, a fixed
  offset such as "+01:00", or null), and one tag per class below with its fields in order: {"Location":
  ["content/x.md", 3, 1]}. A stored text is {"blob": [key, size]}, a stored output {"stored": [path,
  source, digest]}: both are given the store they read from as they are made.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import fields

from .store import Blob, CacheDamaged, StoredOutput

_SCALARS = frozenset((str, int, float, bool, type(None)))
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")
_OFFSET = re.compile(r"[+-]\d\d:\d\d")


def _tuple_of(*types):
    return ("tuple", types)


def _list_of(*types):
    return ("list", types)


def _dict_of(*types):
    return ("dict", types)


ANY = "any"  # a value of any type this codec knows (front matter values, a link's recorded answer)
TEXT = "text"  # a str or a stored text (model.Text)
OPT_STR = (str, type(None))
MOMENT = (dt.date,)  # a date or a date-time (datetime is a date)
OPT_MOMENT = (dt.date, type(None))


def _model_classes() -> list[tuple[type, dict]]:
    """Every class the cache holds, with the type of each field. Imported here, not at the top: the
    no-change check reads the state file (warnings only) with the standard library alone."""
    from ..core.errors import Location
    from ..core.model import Event, Heading, Organiser, Recurrence, Registration, SourcePage, Venue
    from ..render.search_index import Entry
    from ..source.markdown import Conversion

    return [*_problem_classes(),
            (Heading, {"level": int, "text": str, "anchor": str}),
            (Conversion, {"html": TEXT, "headings": _tuple_of(Heading), "broken_links": _list_of(str),
                          "images_without_alt": _list_of(str), "links": _list_of(str), "text": TEXT,
                          "lead": str, "blank": bool}),
            (SourcePage, {"source": str, "rel": str, "meta": _dict_of(ANY), "where": _dict_of(Location),
                          "body": TEXT, "body_line": int, "location": Location, "digest": str,
                          "placeholders": _tuple_of(tuple)}),
            (Venue, {"name": str, "street": OPT_STR, "postcode": OPT_STR, "place": OPT_STR}),
            (Organiser, {"name": str, "phone": OPT_STR, "email": OPT_STR, "url": OPT_STR}),
            (Registration, {"needed": bool, "phone": OPT_STR, "email": OPT_STR, "url": OPT_STR,
                            "deadline": OPT_MOMENT, "note": OPT_STR}),
            (Recurrence, {"rule": str, "text": str, "exceptions": _tuple_of(dt.date)}),
            (Event, {"id": str, "title": str, "start": MOMENT, "end": OPT_MOMENT, "all_day": bool,
                     "source": str, "location": Location, "venue": (Venue, type(None)), "online": OPT_STR,
                     "organiser": (Organiser, type(None)), "cost": OPT_STR,
                     "registration": (Registration, type(None)), "audience": _tuple_of(str),
                     "accessibility": _tuple_of(str), "transport": OPT_STR, "description": str,
                     "description_html": TEXT, "image": OPT_STR, "image_alt": OPT_STR, "status": str,
                     "status_note": OPT_STR, "recurrence": (Recurrence, type(None)), "example": bool,
                     "where": _dict_of(Location)}),
            (Entry, {"order": _tuple_of(str), "record": _tuple_of(str), "words": str, "groups": str,
                     "weights": str, "places": _tuple_of(int), "sentences": _tuple_of(str)})]


def _problem_classes() -> list[tuple[type, dict]]:
    from ..core.errors import Location, Problem

    return [(Location, {"path": str, "line": int, "column": int}),
            (Problem, {"location": Location, "message": str, "severity": str})]


class Codec:
    """encode(value) -> bytes and decode(bytes) -> value for the whitelisted types; decode raises
    CacheDamaged for anything else. store: where the stored texts and outputs it makes read from."""

    def __init__(self, classes: list[tuple[type, dict]], store=None) -> None:
        self._store = store
        self._encoders: dict[type, tuple[str, tuple[str, ...]]] = {}
        self._decoders = {"t": self._tuple, "m": self._mapping, "d": self._pairs, "date": _date,
                          "datetime": _datetime, "blob": self._blob, "stored": self._stored}
        for cls, types in classes:
            names = tuple(f.name for f in fields(cls))
            if set(names) != set(types):  # a field added to the model must be added here too
                raise TypeError(f"codec: the fields of {cls.__name__} are {names}, not {tuple(types)}")
            self._encoders[cls] = (cls.__name__, names)
            self._decoders[cls.__name__] = self._constructor(cls, tuple(types[name] for name in names))

    # --- encoding ------------------------------------------------------------------------------

    def encode(self, value) -> bytes:
        return json.dumps(self.plain(value), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")

    def plain(self, value):
        """value as JSON values (see the module's docstring); TypeError for a type not listed."""
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is list:
            return [v if type(v) in _SCALARS else self.plain(v) for v in value]
        if kind is tuple:
            return {"t": [v if type(v) in _SCALARS else self.plain(v) for v in value]}
        if kind is dict:
            if all(type(k) is str for k in value):
                return {"m": {k: v if type(v) in _SCALARS else self.plain(v) for k, v in value.items()}}
            return {"d": [[self.plain(k), self.plain(v)] for k, v in value.items()]}
        if kind is dt.date:
            return {"date": value.isoformat()}
        if kind is dt.datetime:
            return {"datetime": _plain_datetime(value)}
        if kind is Blob:
            return {"blob": [value.key, value.size]}
        if kind is StoredOutput:
            return {"stored": [value.path, value.source, value.digest]}
        found = self._encoders.get(kind)
        if found is None:
            raise TypeError(f"the build cache cannot hold a {kind.__name__} (incremental/codec.py)")
        tag, names = found
        return {tag: [self.plain(getattr(value, name)) for name in names]}

    # --- decoding ------------------------------------------------------------------------------

    def decode(self, data: bytes):
        try:
            raw = json.loads(data)
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, a number too long, too deep
            raise CacheDamaged("not the cache's JSON") from exc
        try:
            return self.value(raw)
        except RecursionError as exc:
            raise CacheDamaged("nested too deep") from exc

    def value(self, raw):
        kind = type(raw)
        if kind in _SCALARS:
            return raw
        if kind is list:
            return [v if type(v) in _SCALARS else self.value(v) for v in raw]
        if kind is dict and len(raw) == 1:
            for tag, payload in raw.items():
                decoder = self._decoders.get(tag)
                if decoder is not None:
                    return decoder(payload)
        raise CacheDamaged(f"a value the cache does not hold: {str(raw)[:60]}")

    def _tuple(self, payload) -> tuple:
        if type(payload) is not list:
            raise CacheDamaged("tuple")
        return tuple(v if type(v) in _SCALARS else self.value(v) for v in payload)

    def _mapping(self, payload) -> dict:
        if type(payload) is not dict:
            raise CacheDamaged("mapping")
        return {k: v if type(v) in _SCALARS else self.value(v) for k, v in payload.items()}

    def _pairs(self, payload) -> dict:
        if type(payload) is not list or not all(type(p) is list and len(p) == 2 for p in payload):
            raise CacheDamaged("pairs")
        try:
            return {self.value(k): self.value(v) for k, v in payload}
        except TypeError as exc:  # a key that cannot be one (a list)
            raise CacheDamaged("pairs") from exc

    def _blob(self, payload) -> Blob:
        if not (type(payload) is list and len(payload) == 2 and type(payload[0]) is str
                and type(payload[1]) is int and payload[1] >= 0):
            raise CacheDamaged("blob")
        return Blob(payload[0], payload[1], self._store)

    def _stored(self, payload) -> StoredOutput:
        if not (type(payload) is list and len(payload) == 3 and all(type(p) is str for p in payload)):
            raise CacheDamaged("stored output")
        return StoredOutput(*payload, store=self._store)

    def _constructor(self, cls: type, types: tuple):
        """The decoder of one class: its fields decoded, each checked against its type, then cls(*fields)."""
        count = len(types)
        checks = tuple(_check(t) for t in types)
        value = self.value

        def decode(payload):
            if type(payload) is not list or len(payload) != count:
                raise CacheDamaged(cls.__name__)
            values = [v if type(v) in _SCALARS else value(v) for v in payload]
            for check, item in zip(checks, values):
                if not check(item):
                    raise CacheDamaged(f"{cls.__name__}: {type(item).__name__}")
            return cls(*values)

        return decode


def _check(expected):
    """A test that a decoded value is of the expected field type (see _model_classes)."""
    if expected == ANY:
        return lambda value: True
    if expected == TEXT:
        return lambda value: type(value) is str or type(value) is Blob
    if isinstance(expected, tuple) and expected and expected[0] in ("tuple", "list", "dict"):
        container = {"tuple": tuple, "list": list, "dict": dict}[expected[0]]
        item = _check(expected[1][0] if len(expected[1]) == 1 else expected[1])
        if container is dict:
            return lambda value: (type(value) is dict and all(type(k) is str for k in value)
                                  and all(item(v) for v in value.values()))
        return lambda value: type(value) is container and all(item(v) for v in value)
    types = expected if isinstance(expected, tuple) else (expected,)
    if bool not in types and int in types:  # True is an int to isinstance, not to a field typed int
        return lambda value: isinstance(value, types) and type(value) is not bool
    return lambda value: isinstance(value, types)


def _plain_datetime(value: dt.datetime) -> list:
    zone = value.tzinfo
    if zone is None:
        name = None
    elif getattr(zone, "key", None):  # a zoneinfo.ZoneInfo: kept by name, so that it still knows DST
        name = zone.key
    elif isinstance(zone, dt.timezone) and value.utcoffset() % dt.timedelta(minutes=1) == dt.timedelta(0):
        minutes = int(value.utcoffset().total_seconds()) // 60
        name = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    else:
        raise TypeError(f"the build cache cannot hold a time zone {type(zone).__name__}")
    return [value.replace(tzinfo=None).isoformat(), name, value.fold]


def _date(payload) -> dt.date:
    if type(payload) is not str or len(payload) != 10:
        raise CacheDamaged("date")
    try:
        return dt.date.fromisoformat(payload)
    except ValueError as exc:
        raise CacheDamaged("date") from exc


def _datetime(payload) -> dt.datetime:
    if not (type(payload) is list and len(payload) == 3 and type(payload[0]) is str
            and (payload[1] is None or type(payload[1]) is str) and payload[2] in (0, 1)):
        raise CacheDamaged("datetime")
    text, zone, fold = payload
    try:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            raise ValueError("an offset in the local time")
        if zone is None:
            return moment.replace(fold=fold)
        if _OFFSET.fullmatch(zone):
            return dt.datetime.fromisoformat(text + zone).replace(fold=fold)
        if not _ZONE.fullmatch(zone):
            raise ValueError("not a zone name")
        from zoneinfo import ZoneInfo

        return moment.replace(tzinfo=ZoneInfo(zone), fold=fold)
    except (ValueError, KeyError, OSError) as exc:  # zoneinfo: an unknown zone is a KeyError
        raise CacheDamaged("datetime") from exc


def entry_codec(store) -> Codec:
    """The codec of blobs.sqlite's entries (conversions, hints, renders, sources)."""
    return Codec(_model_classes(), store)


def state_codec() -> Codec:
    """The codec of the state file (fingerprint, manifest, summary, warnings): standard library only."""
    return Codec(_problem_classes())
