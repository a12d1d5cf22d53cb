"""The store of bulky cached values: references that read on first use, one SQLite transaction per build."""

from __future__ import annotations

import pickle
import sqlite3

import pytest

from sitegen.core.model import Output, StoredText
from sitegen.incremental.codec import entry_codec
from sitegen.incremental.store import Blob, DiskStore, MemoryStore, StoreMissing, output_key, stored, text_blob


def test_a_blob_is_kept_and_hashed_as_its_key_and_reads_its_text_only_when_used(tmp_path):
    store = DiskStore(tmp_path / "blobs.sqlite")
    blob = text_blob(store, "<p>Koffie</p>")
    store.save_entries([], [], {blob.key}, "v1")
    assert b"Koffie" not in pickle.dumps(blob)  # what core/hashing.digest hashes: the key, not the text
    written = entry_codec(store).encode(blob)
    assert b"Koffie" not in written
    copy = entry_codec(None).decode(written)
    assert copy == blob
    with pytest.raises(RuntimeError):
        str(copy)  # no store: a cached reference cannot read by accident
    copy = entry_codec(DiskStore(tmp_path / "blobs.sqlite")).decode(written)
    assert str(copy) == "<p>Koffie</p>"
    assert bool(copy) and not Blob("t:empty", 0)


def test_values_not_kept_are_dropped_and_a_missing_one_says_so(tmp_path):
    store = DiskStore(tmp_path / "blobs.sqlite")
    keep, drop = text_blob(store, "blijft"), text_blob(store, "weg")
    store.save_entries([("renders", '"k"', b"v")], [], {keep.key}, "v1")
    reopened = DiskStore(tmp_path / "blobs.sqlite")
    assert reopened.get(keep.key) == b"blijft"
    with pytest.raises(StoreMissing):
        reopened.get(drop.key)
    assert reopened.entries() == [("renders", '"k"', b"v")] and reopened.meta("version") == "v1"


def test_nothing_is_committed_by_a_build_that_does_not_save(tmp_path):
    store = DiskStore(tmp_path / "blobs.sqlite")
    store.FLUSH_BYTES = 1  # flush at once, inside the open transaction
    blob = text_blob(store, "half werk")
    store.close()  # the build stopped before save_entries
    with pytest.raises(StoreMissing):
        DiskStore(tmp_path / "blobs.sqlite").get(blob.key)


def test_a_store_locked_by_another_build_keeps_values_in_memory_and_saves_nothing(tmp_path):
    path = tmp_path / "blobs.sqlite"
    DiskStore(path).save_entries([], [], set(), "v1")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        store = DiskStore(path)
        store.LOCK_SECONDS = 0.1
        store.FLUSH_BYTES = 1
        blob = text_blob(store, "in het geheugen")
        assert store.get(blob.key) == "in het geheugen".encode()
        store.save_entries([("hints", '"k"', b"v")], [], {blob.key}, "v2")
    finally:
        other.rollback()
        other.close()
    assert DiskStore(path).meta("version") == "v1" and DiskStore(path).entries() == []


def test_a_rendered_file_is_stored_once_and_read_back_by_digest():
    store = MemoryStore()
    output = Output("over/index.html", b"<h1>Over ons</h1>", "content/over.md")
    kept = stored(output, store)
    assert kept.digest == output.digest and kept.data == output.data
    assert store.get(output_key(output.digest)) == output.data
    written = entry_codec(store).encode([kept])
    with pytest.raises(RuntimeError):
        entry_codec(None).decode(written)[0].data
    (copy,) = entry_codec(store).decode(written)
    assert (copy.path, copy.source, copy.data) == (output.path, output.source, output.data)


def test_a_rebuild_drops_only_the_values_it_released_and_finds_leftovers_by_count(tmp_path):
    path = tmp_path / "blobs.sqlite"
    store = DiskStore(path)
    old, kept = text_blob(store, "oude versie"), text_blob(store, "blijft")
    store.save_entries([], [], {old.key, kept.key}, "v1", released=set())
    store = DiskStore(path)
    new = text_blob(store, "nieuwe versie")
    unused = text_blob(store, "gemaakt maar niet gebruikt")
    store.save_entries([], [], {kept.key, new.key}, "v1", released={old.key})
    store = DiskStore(path)
    assert store.get(kept.key) == b"blijft" and store.get(new.key) == b"nieuwe versie"
    for gone in (old, unused):
        with pytest.raises(StoreMissing):
            store.get(gone.key)
    with sqlite3.connect(path) as db:  # a value nobody refers to, left behind somehow
        db.execute("INSERT INTO blobs (key, value) VALUES ('t:leftover', x'00')")
    store.save_entries([], [], {kept.key, new.key}, "v1", released=set())
    with pytest.raises(StoreMissing):
        DiskStore(path).get("t:leftover")


def test_a_blob_is_the_models_stored_text(tmp_path):
    """The model types the fields a Blob can fill as Text (str | StoredText): a Blob must be one."""
    store = DiskStore(tmp_path / "blobs.sqlite")
    blob = text_blob(store, "<p>Soep</p>")
    assert isinstance(blob, StoredText) and not isinstance(object(), StoredText)
    assert (str(blob), blob.__html__(), len(blob), bool(text_blob(store, ""))) == ("<p>Soep</p>", "<p>Soep</p>", 11, False)
