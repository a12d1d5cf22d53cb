"""The build cache's one on-disk format: JSON, and only the value types listed here.

A `.cache/` restored from a CI artifact or copied from another machine is input from a stranger. pickle
(and marshal) would let such a file construct any object and so run any code at the next build; this
codec constructs only what the cache really holds, each by its own constructor, after checking the type
of every field. Anything else in a cache file is store.CacheDamaged: the build drops the cache, says so
in one line and builds without it (cache.py).

The encoding, as flat as JSON allows (json's C parser does the walking; Python sees only the tags):
- str, int, float, bool and None are themselves; a list is a JSON array;
- every other value is an object with one key, its tag, and a payload (so that every JSON object in a
  file is a tag, and json's own parser can hand each to one function, inside out):
  {"t": [...]} a tuple, {"T": [[...], ...]} a tuple of tuples, {"m": [key, value, ...]} a dict with
  str keys, {"d": [key, value, ...]} any other dict (a key written as an array is a tuple),
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
from operator import attrgetter

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
MOMENT = (dt.date, dt.datetime)  # a date or a date-time
OPT_MOMENT = (dt.date, dt.datetime, type(None))


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
            (Recurrence, {"rule": str, "text": str, "exceptions": _tuple_of(dt.date),
                          "skipped": _tuple_of(dt.date)}),
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
        self._encoders: dict[type, tuple] = {}
        self._json = json.JSONDecoder(object_hook=self._tagged)
        # One encoder for every value: json.dumps with options makes a new one per call (thousands a build).
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
        self._decoders = {"t": _tuple, "T": _tuples, "m": _mapping, "d": _pairs, "date": _date, "datetime": _datetime,
                          "blob": self._blob, "stored": self._stored}
        for cls, types in classes:
            names = tuple(f.name for f in fields(cls))
            if set(names) != set(types):  # a field added to the model must be added here too
                raise TypeError(f"codec: the fields of {cls.__name__} are {names}, not {tuple(types)}")
            getter = attrgetter(*names)  # all fields in one C call (a tuple when there are two or more)
            encoders = tuple(self._field_encoder(types[name]) for name in names)
            self._encoders[cls] = (cls.__name__, getter if len(names) > 1 else lambda v, g=getter: (g(v),),
                                   encoders)
            self._decoders[cls.__name__] = _constructor(cls, tuple(types[name] for name in names))

    def _field_encoder(self, expected):
        """How a field is written: a field typed as a tuple as a plain JSON array (its type says it is a
        tuple: no tag needed, and the parser makes the list in C); any other field as any value."""
        if isinstance(expected, tuple) and expected and expected[0] == "tuple":
            plain = self.plain
            return lambda value: [v if type(v) in _SCALARS else plain(v) for v in value]
        return self.plain

    # --- encoding ------------------------------------------------------------------------------

    def encode(self, value) -> bytes:
        return self._dumps(self.plain(value)).encode("utf-8")

    def plain(self, value):
        """value as JSON values (see the module's docstring); TypeError for a type not listed."""
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is list:
            return [v if type(v) in _SCALARS else self.plain(v) for v in value]
        if kind is tuple:
            if value and set(map(type, value)) == {tuple}:  # a page's links: hundreds of small tuples
                return {"T": [[v if type(v) in _SCALARS else self.plain(v) for v in t] for t in value]}
            return {"t": [v if type(v) in _SCALARS else self.plain(v) for v in value]}
        found = self._encoders.get(kind)
        if found is not None:
            tag, getter, encoders = found
            return {tag: [v if type(v) in _SCALARS else encode(v) for encode, v in zip(encoders, getter(value))]}
        if kind is dict:
            if all(type(k) is str for k in value):
                return {"m": [x for k, v in value.items()
                              for x in (k, v if type(v) in _SCALARS else self.plain(v))]}
            return {"d": [x for k, v in value.items() for x in (_plain_key(k, self.plain), self.plain(v))]}
        if kind is dt.date:
            return {"date": value.isoformat()}
        if kind is dt.datetime:
            return {"datetime": _plain_datetime(value)}
        if kind is Blob:
            return {"blob": [value.key, value.size]}
        if kind is StoredOutput:
            return {"stored": [value.path, value.source, value.digest]}
        raise TypeError(f"the build cache cannot hold a {kind.__name__} (incremental/codec.py)")

    # --- decoding ------------------------------------------------------------------------------

    def decode(self, data: bytes | str):
        """The value encode() wrote. json's C parser walks the text; every JSON object in it must be a
        tag with its payload (already decoded, inside out), which _tagged turns into its value. One
        decoder for every value (json.loads would make a new one for each, which costs more than most
        values take to parse)."""
        try:
            return self._json.decode(data if type(data) is str else data.decode("utf-8"))
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, a number too long, too deep
            raise CacheDamaged("not the cache's JSON") from exc

    def _tagged(self, raw: dict):
        try:
            (tag, payload), = raw.items()
            decoder = self._decoders[tag]
        except (ValueError, KeyError):  # not one key, or not a tag
            raise CacheDamaged(f"a value the cache does not hold: {str(raw)[:60]}") from None
        return decoder(payload)

    def _blob(self, payload) -> Blob:
        if not (type(payload) is list and len(payload) == 2 and type(payload[0]) is str
                and type(payload[1]) is int and payload[1] >= 0):
            raise CacheDamaged("blob")
        return Blob(payload[0], payload[1], self._store)

    def _stored(self, payload) -> StoredOutput:
        if not (type(payload) is list and len(payload) == 3 and all(type(p) is str for p in payload)):
            raise CacheDamaged("stored output")
        return StoredOutput(*payload, store=self._store)


def _tuple(payload) -> tuple:
    if type(payload) is not list:
        raise CacheDamaged("tuple")
    return tuple(payload)


def _tuples(payload) -> tuple:
    """{"T": [[...], [...]]}: a tuple of tuples."""
    if type(payload) is not list or not set(map(type, payload)) <= {list}:
        raise CacheDamaged("tuples")
    return tuple(map(tuple, payload))


def _plain_key(key, plain):
    """A dict's key that is a tuple as a plain array (no key is a list, so an array means a tuple)."""
    if type(key) is tuple:
        return [v if type(v) in _SCALARS else plain(v) for v in key]
    return plain(key)


def _mapping(payload) -> dict:
    """{"m": [key, value, key, value, ...]}: a dict with str keys."""
    if type(payload) is not list or len(payload) % 2 or not set(map(type, payload[::2])) <= {str}:
        raise CacheDamaged("mapping")
    return dict(zip(payload[::2], payload[1::2]))


def _pairs(payload) -> dict:
    """{"d": [key, value, ...]}: a dict with other keys; a key written as an array is a tuple."""
    if type(payload) is not list or len(payload) % 2:
        raise CacheDamaged("pairs")
    try:
        return {tuple(k) if type(k) is list else k: v for k, v in zip(payload[::2], payload[1::2])}
    except TypeError as exc:  # a key that cannot be one (a list)
        raise CacheDamaged("pairs") from exc


def _constructor(cls: type, types: tuple):
    """The decoder of one class: its fields (decoded already), each checked against its type, then given
    to the class's own constructor. Fields of one exact type (str, int, bool, a class) are checked all at
    once, in C: most values are such (a Location is three)."""
    count = len(types)
    exact = tuple(t for t in types if isinstance(t, type))
    if len(exact) == count:
        def decode(payload):
            if type(payload) is not list or tuple(map(type, payload)) != exact:
                raise CacheDamaged(cls.__name__)
            return cls(*payload)

        return decode
    fields_ = tuple(_field(t) for t in types)

    def decode(payload):
        if type(payload) is not list or len(payload) != count:
            raise CacheDamaged(cls.__name__)
        return cls(*[field(item) for field, item in zip(fields_, payload)])

    return decode


def _field(expected):
    """The decoder of one field: the value checked against the field's type (see _model_classes), a
    tuple made from its array; CacheDamaged when it is not of that type."""
    if expected == ANY:
        return lambda value: value
    if isinstance(expected, tuple) and expected and expected[0] in ("tuple", "list", "dict"):
        items = _all(expected[1][0] if len(expected[1]) == 1 else expected[1])
        if expected[0] == "dict":
            return _checked(lambda value: type(value) is dict and items(value.values()))
        if expected[0] == "list":
            return _checked(lambda value: type(value) is list and items(value))

        def as_tuple(value):  # written as an array (Codec._field_encoder)
            if type(value) is not list or not items(value):
                raise CacheDamaged(f"not a tuple of {expected[1]}")
            return tuple(value)

        return as_tuple
    return _checked(_test(expected))


def _test(expected):
    """Whether a value is of one of the expected types (a bool is no int here)."""
    if expected == ANY:
        return lambda value: True
    if expected == TEXT:
        return lambda value: type(value) is str or type(value) is Blob
    types = expected if isinstance(expected, tuple) else (expected,)
    if len(types) == 1:
        only = types[0]
        return lambda value: type(value) is only
    if bool not in types and int in types:
        return lambda value: isinstance(value, types) and type(value) is not bool
    return lambda value: isinstance(value, types)


def _all(expected):
    """Whether every value of a collection is of the expected type: for one exact type in C (the set of
    their types), since a search entry's tuples alone hold a hundred values."""
    if isinstance(expected, type) and expected is not dt.date:
        allowed = {expected}
        return lambda values: set(map(type, values)) <= allowed
    test = _test(expected)
    return lambda values: all(map(test, values))


def _checked(test):
    def field(value):
        if not test(value):
            raise CacheDamaged(f"a field of the wrong type: {type(value).__name__}")
        return value

    return field


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
