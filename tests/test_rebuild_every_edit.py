"""Rebuild equals clean, every kind of edit twice in one sequence (issue 25, item 4).

The edits, the site and the comparison are test_rebuild_equals_clean.py's; this test is a file of its own
so that pytest -n 2 --dist loadfile runs it beside that file's random sequences, not after them."""

from __future__ import annotations

import pytest

from test_rebuild_equals_clean import EDITS, check_sequence

pytestmark = pytest.mark.slow


def test_every_kind_of_edit_in_one_sequence(ram_path):
    """Each edit twice (the random sequences cannot promise that), on one site in a row; and every
    edit changes what a clean build makes (or breaks it) the first time: none of them is silently a no-op.
    (The second time some undo the first, or meet a site where they change nothing: a slug kept the address.)"""
    unchanged = check_sequence(ram_path, [(edit.name, n) for n in (0, 1) for edit in EDITS], with_server=False)
    first = [step for step in unchanged if step.endswith("(0)")]
    assert first == [], f"these edits changed nothing: {first}"
