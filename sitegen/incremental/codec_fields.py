"""The fields of the classes the build cache holds, typed from their annotations, written without tags.

A field's type (from the model's own annotations, typing.get_type_hints) says what its JSON must be, so a
value there needs no tag: a Location is ["content/x.md", 3, 1], a stored text [key, size] (a str is a
str), a date "2026-11-23" and a date-time [local time, zone, fold], a tuple of headings an array of
arrays, a dict of str keys [key, value, key, value, ...]. json's C parser makes the arrays, and the
Python that checks and constructs them runs once per field, not once per JSON object (the object_hook
of codec.py sees only the rare tagged values). Each decoder checks the exact type of what it is given
and raises CacheDamaged otherwise; a field typed as any value (front matter) is written tagged
(codec.Codec.plain) and checked there.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import fields
from operator import attrgetter

from .store import Blob, CacheDamaged

ANY = "any"  # a value of any type the codec knows: tagged (codec.Codec.plain)
TEXT = "text"  # a str or a stored text (model.Text)
SCALARS = (str, int, float, bool, type(None))
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")
_OFFSET = re.compile(r"[+-]\d\d:\d\d")


def field_types(cls: type) -> dict[str, object]:
    """Each field of a dataclass with the codec's type for it, from the class's annotations: a scalar
    type, a class, TEXT, ANY, ("opt", t), ("moment",) for a date or date-time, ("union", types) for
    scalars, ("tuple" | "list" | "dict", t) for a collection of t (a dict's keys are str)."""
    hints = typing.get_type_hints(cls)
    return {f.name: _kind(hints[f.name]) for f in fields(cls)}


def _kind(hint):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in (typing.Any, object):
        return ANY
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        kind = _union(options)
        return ("opt", kind) if len(options) < len(args) else kind
    if hint in (tuple, list, dict):
        return (hint.__name__, ANY)
    if origin in (tuple, list):
        items = {a for a in args if a is not Ellipsis}
        if len(items) != 1:
            raise TypeError(f"codec: a {hint} holds more than one type")
        return (origin.__name__, _kind(items.pop()))
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"codec: a {hint} has keys that are not str")
        return ("dict", _kind(args[1]))
    if isinstance(hint, type):
        return hint
    raise TypeError(f"codec: no type for {hint}")


def _union(options: list):
    if len(options) == 1:
        return _kind(options[0])
    if set(options) == {dt.date, dt.datetime}:
        return ("moment",)
    if str in options and any(getattr(o, "_is_protocol", False) for o in options):
        return TEXT  # model.Text: a str or a StoredText
    if all(o in SCALARS for o in options):
        return ("union", tuple(options))
    raise TypeError(f"codec: no type for a union of {options}")


class FieldCodecs:
    """encoder(kind) and decoder(kind) for the kinds field_types() gives. plain: how a value of ANY is
    written; store: where the stored texts it makes read from; classes: cls -> its field types."""

    def __init__(self, plain, store, classes: dict[type, dict]) -> None:
        self._plain, self._store, self._classes = plain, store, classes
        self._payload_encoders: dict[type, object] = {}
        self._payload_decoders: dict[type, object] = {}

    # --- encoding: None means "the value as it is" ---------------------------------------------------

    def encoder(self, kind):
        self._known(kind)
        if kind is ANY or kind == ("dict", ANY):  # a dict of any values (front matter): tagged, any keys
            return self._plain
        if kind in SCALARS or isinstance(kind, tuple) and kind[0] == "union":
            return None
        if kind is TEXT:
            return _text
        if kind in self._classes:
            return self.payload_encoder(kind)
        if kind in (dt.date, dt.datetime) or kind == ("moment",):
            return _moment
        if kind[0] == "opt":
            inner = self.encoder(kind[1])
            return None if inner is None else (lambda value: None if value is None else inner(value))
        item = self.encoder(kind[1])
        if kind[0] == "dict":
            if item is None:
                return lambda value: [x for pair in value.items() for x in pair]
            return lambda value: [x for k, v in value.items() for x in (k, item(v))]
        if item is None:
            return list
        return lambda value: [item(v) for v in value]

    def payload_encoder(self, cls: type):
        """value -> the array of its fields, each as its type writes it."""
        found = self._payload_encoders.get(cls)
        if found is None:
            names = tuple(self._classes[cls])
            encoders = tuple(self.encoder(self._classes[cls][name]) for name in names)
            getter = attrgetter(*names) if len(names) > 1 else (lambda value, name=names[0]: (getattr(value, name),))
            if all(e is None for e in encoders):
                def found(value):
                    return list(getter(value))
            else:
                def found(value):
                    return [v if e is None else e(v) for e, v in zip(encoders, getter(value))]
            self._payload_encoders[cls] = found
        return found

    # --- decoding -------------------------------------------------------------------------------------

    def decoder(self, kind):
        self._known(kind)
        if kind is ANY:
            return _same
        if kind == ("dict", ANY):
            return _checked(lambda value: type(value) is dict, "dict")
        if kind in SCALARS:
            return _exact(kind)
        if kind is TEXT:
            return self._text
        if kind in self._classes:
            return self.payload_decoder(kind)
        if kind is dt.date:
            return decode_date
        if kind is dt.datetime:
            return decode_datetime
        if kind[0] == "union":
            allowed = frozenset(kind[1])
            return _checked(lambda value: type(value) in allowed, kind)
        if kind[0] == "moment":
            return _date_or_datetime
        if kind[0] == "opt" and kind[1] in SCALARS:
            allowed = frozenset((kind[1], type(None)))
            return _checked(lambda value: type(value) in allowed, kind)
        if kind[0] == "opt":
            inner = self.decoder(kind[1])
            return lambda value: None if value is None else inner(value)
        return self._collection(kind[0], kind[1])

    def _known(self, kind) -> None:
        if isinstance(kind, type) and not (kind in SCALARS or kind in self._classes or kind in (dt.date, dt.datetime)):
            raise TypeError(f"the build cache cannot hold a {kind.__name__} (add it to codec._model_classes)")

    def _collection(self, form: str, kind):
        item = self.decoder(kind)
        exact = kind if kind in SCALARS else None
        if form == "dict":
            def decode(value):
                if type(value) is not list or len(value) % 2 or not set(map(type, value[::2])) <= {str}:
                    raise CacheDamaged("not a dict")
                values = value[1::2]
                if exact is None:
                    values = map(item, values)
                elif not set(map(type, values)) <= {exact}:
                    raise CacheDamaged("a dict of the wrong type")
                return dict(zip(value[::2], values))
            return decode
        make = tuple if form == "tuple" else list

        def decode(value):
            if type(value) is not list:
                raise CacheDamaged(f"not a {form}")
            if exact is None:
                return make(map(item, value))
            if not set(map(type, value)) <= {exact}:
                raise CacheDamaged(f"a {form} of the wrong type")
            return make(value) if make is tuple else value
        return decode

    def payload_decoder(self, cls: type):
        """The array of a value's fields -> the value, made by its class's own constructor after every
        field was checked. Fields of one exact scalar type (most: a Location is three) are checked all
        at once, in C."""
        found = self._payload_decoders.get(cls)
        if found is None:
            kinds = tuple(self._classes[cls].values())
            count = len(kinds)
            if all(k in SCALARS for k in kinds):
                def found(payload):
                    if type(payload) is not list or tuple(map(type, payload)) != kinds:
                        raise CacheDamaged(cls.__name__)
                    return cls(*payload)
            else:
                decoders = tuple(self.decoder(k) for k in kinds)

                def found(payload):
                    if type(payload) is not list or len(payload) != count:
                        raise CacheDamaged(cls.__name__)
                    return cls(*[d(v) for d, v in zip(decoders, payload)])
            self._payload_decoders[cls] = found
        return found

    def _text(self, value):
        if type(value) is str:
            return value
        if type(value) is list and len(value) == 2:
            return self.blob(value)
        raise CacheDamaged("not a text")

    def blob(self, payload) -> Blob:
        if not (type(payload) is list and len(payload) == 2 and type(payload[0]) is str
                and type(payload[1]) is int and payload[1] >= 0):
            raise CacheDamaged("blob")
        return Blob(payload[0], payload[1], self._store)


def _same(value):
    return value


def _exact(kind: type):
    def decode(value):
        if type(value) is not kind:
            raise CacheDamaged(f"not a {kind.__name__}: {type(value).__name__}")
        return value
    return decode


def _checked(test, kind):
    def decode(value):
        if not test(value):
            raise CacheDamaged(f"not a {kind}: {type(value).__name__}")
        return value
    return decode


def _text(value):
    if type(value) is str:
        return value
    if type(value) is Blob:
        return [value.key, value.size]
    raise TypeError(f"the build cache cannot hold a {type(value).__name__} as text")


def _moment(value):
    if type(value) is dt.date:
        return value.isoformat()
    if type(value) is dt.datetime:
        return plain_datetime(value)
    raise TypeError(f"the build cache cannot hold a {type(value).__name__} as a date")


def _date_or_datetime(value):
    return decode_date(value) if type(value) is str else decode_datetime(value)


def plain_datetime(value: dt.datetime) -> list:
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


def decode_date(payload) -> dt.date:
    if type(payload) is not str or len(payload) != 10:
        raise CacheDamaged("date")
    try:
        return dt.date.fromisoformat(payload)
    except ValueError as exc:
        raise CacheDamaged("date") from exc


def decode_datetime(payload) -> dt.datetime:
    if not (type(payload) is list and len(payload) == 3 and type(payload[0]) is str
            and (payload[1] is None or type(payload[1]) is str) and payload[2] in (0, 1)
            and type(payload[2]) is int):
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

