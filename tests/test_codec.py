"""The cache's codec (incremental/codec.py, codec_fields.py): every type it holds comes back equal and of
its type, its fields written untagged as their annotations say; anything else in a cache is refused as
damage (CacheDamaged), never constructed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

import pytest

from sitegen.core.errors import Location, Problem
from sitegen.core.model import Event, Heading, Organiser, Recurrence, Registration, SourcePage, Venue
from sitegen.incremental.codec import Codec, _model_classes, entry_codec
from sitegen.incremental.codec_fields import field_types
from sitegen.incremental.store import Blob, CacheDamaged, MemoryStore, StoredOutput, text_blob
from sitegen.render.search_index import Entry
from sitegen.source.markdown import Conversion

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def samples(store: MemoryStore) -> list:
    """One value of every class the cache holds, with every optional field filled (and one without)."""
    where = Location("content/agenda/koffie.yaml", 2, 3)
    body = text_blob(store, "## Koffie\n\nWelkom.")
    event = Event(
        id="koffie", title="Koffie", start=dt.datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=1),
        end=dt.datetime(2026, 10, 25, 4, 0, tzinfo=AMSTERDAM), all_day=False, source="content/agenda/koffie.yaml",
        location=where, venue=Venue("Dorpshuis", "Brink 1", "9411 AA", "Beilen"), online="https://x.nl/",
        organiser=Organiser("Stichting", "0592-123456", "info@x.nl", "https://x.nl/"), cost="gratis",
        registration=Registration(True, "0592", "a@x.nl", "https://x.nl/in", dt.date(2026, 10, 20), "vol = vol"),
        audience=("ouderen", "mantelzorgers"), accessibility=("rolstoel",), transport="bus 22",
        description="Koffie *drinken*", description_html=text_blob(store, "<p>Koffie</p>"), image="/img/k.jpg",
        image_alt="Koffie", status="verplaatst", status_note="naar dinsdag",
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=TU", "elke dinsdag", (dt.date(2026, 12, 29),)), example=True,
        where={"title": where, "start": Location("content/agenda/koffie.yaml", 3, 8)})
    return [
        Location("content/x.md", 3, 1),
        Problem(Location("content/x.md", 0, 0), "Zo niet.", "waarschuwing"),
        Heading(2, "Samen", "samen"),
        Conversion(body, (Heading(2, "A", "a"), Heading(3, "B", "b")), ["x.md"], ["y.jpg"], ["z.md"], "tekst",
                   "Eerste alinea.", False),
        Conversion("<p>los</p>", (), [], [], [], "", "", True),
        SourcePage("content/x.md", "x.md", {"title": "X", "date": dt.date(2026, 1, 2), "tags": ["a", "b"], 3: None},
                   {"title": Location("content/x.md", 2, 1)}, body, 5, Location("content/x.md", 1, 1), "abc",
                   ((7, 3, "[INVULLEN: naam]"),)),
        Venue("Buiten"), Organiser("Iemand"), Registration(False), Recurrence("FREQ=DAILY", "elke dag"),
        event,
        Event(id="markt", title="Markt", start=dt.date(2026, 5, 1), end=None, all_day=True,
              source="content/agenda.yaml", location=where),
        Entry(("markt", "/markt/", ""), ("/markt/", "Markt", "activiteit"), "markt koffie", "mark koff", "a3",
              (1, 0), ("Markt op het plein.",)),
        [StoredOutput("index.html", "content/index.md", "d1", store), StoredOutput("a.html", "b", "d2", store)],
        (dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.timezone.utc), dt.datetime(2026, 1, 1, 12, 0)),
        {("resolve", "x.md"): "/x/", "plain": [1, 2.5, True, None]},
    ]


def shape(value):
    """The value as nested plain data, with the type of everything in it (a tuple stays a tuple)."""
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(shape(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((shape(k), shape(v)) for k, v in value.items()))
    if hasattr(value, "__dataclass_fields__"):
        return (type(value), tuple(shape(getattr(value, f.name)) for f in fields(value)))
    if isinstance(value, Blob):
        return (Blob, value.key, value.size, str(value))
    if isinstance(value, StoredOutput):
        return (StoredOutput, value.path, value.source, value.digest)
    return (type(value), getattr(value, "tzinfo", None), getattr(value, "fold", None), value)


def test_every_type_the_cache_holds_comes_back_equal_and_of_its_type():
    store = MemoryStore()
    codec = entry_codec(store)
    values = samples(store)
    assert {type(v) for v in values} >= set(_model_classes())
    for value in values:
        again = codec.decode(codec.encode(value))
        assert shape(again) == shape(value), value
    assert shape(codec.decode(codec.encode(values))) == shape(values)  # and all of them in one array


def test_fields_are_written_as_their_types_say_without_tags():
    store = MemoryStore()
    codec = entry_codec(store)
    page = samples(store)[5]
    (tag, payload), = json.loads(codec.encode(page)).items()
    assert tag == "SourcePage"
    assert payload[3] == ["title", ["content/x.md", 2, 1]]  # where: a dict of str keys, a Location an array
    assert payload[4] == [page.body.key, page.body.size]  # body: a stored text
    assert payload[6] == ["content/x.md", 1, 1]
    outputs = json.loads(codec.encode(samples(store)[13]))
    assert outputs == {"S": ["index.html", "content/index.md", "d1", "a.html", "b", "d2"]}


@dataclass(frozen=True)
class Unknown:
    when: dt.timedelta


@dataclass(frozen=True)
class Holder:
    inner: Unknown


def test_field_types_come_from_the_models_annotations():
    assert field_types(Location) == {"path": str, "line": int, "column": int}
    kinds = field_types(Event)
    assert kinds["where"] == ("dict", Location) and kinds["venue"] == ("opt", Venue)
    assert kinds["start"] == ("moment",) and kinds["end"] == ("opt", ("moment",))
    assert field_types(Conversion)["headings"] == ("tuple", Heading)
    with pytest.raises(TypeError):
        Codec([Holder])  # a field of a type the codec does not know is found when the codec is made


CRAFTED = [
    b'{"SourcePage":["content/x.md","x.md",{"m":[]},[],"body",5,["content/x.md","1",1],"",[]]}',  # a str line
    b'{"SourcePage":["content/x.md","x.md",{"m":[]},[],["t:k",-1],5,["content/x.md",1,1],"",[]]}',  # size < 0
    b'{"SourcePage":["content/x.md","x.md",{"m":[]},[1,["a",1,1]],"b",5,["content/x.md",1,1],"",[]]}',  # key 1
    b'{"SourcePage":["content/x.md","x.md",[],[],"b",5,["content/x.md",1,1],"",[]]}',  # meta not a dict
    b'{"SourcePage":["content/x.md","x.md",{"m":[]},[],"b",5,{"Location":["c",1,1]},"",[]]}',  # one field short
    b'{"Heading":[2,"A"]}',
    b'{"Heading":[true,"A","a"]}',  # a bool is no int
    b'{"Conversion":["<p>",[[2,"A","a"]],[],[],[1],"","",false]}',  # a link that is not a str
    b'{"Conversion":["<p>",[{"Location":["a",1,1]}],[],[],[],"","",false]}',  # a Location for a heading
    b'{"Entry":[["a","b","c"],["u"],"w","g","1",[1.5],["s"]]}',  # a float place
    b'{"Recurrence":["FREQ=DAILY","elke dag",["2026-13-01"]]}',
    b'{"Registration":[false,null,null,null,["2026-01-01T10:00:00","../../etc/passwd",0],null]}',
    b'{"Registration":[false,null,null,null,["2026-01-01T10:00:00",null,2],null]}',
    b'{"S":["index.html","content/index.md"]}',
    b'{"S":[]}',
    b'{"Location":["a",1,1],"Heading":[1,"a","a"]}',  # two tags in one object
    b'{"os.system":["touch x"]}',
    b'{"Event":[]}',
]


@pytest.mark.parametrize("data", CRAFTED, ids=range(len(CRAFTED)))
def test_a_crafted_value_is_refused_as_damage(data):
    with pytest.raises(CacheDamaged):
        entry_codec(MemoryStore()).decode(data)
