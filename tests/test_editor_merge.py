"""A web editor's save keeps the file: unchanged values keep their lines, comments and the editor's order.

Decap sends the whole entry serialised anew (its own quoting and order, no comments); the backend merges it
into the file on disk (sitegen/tools/editor_backend_merge.py). The browser test (test_redactie.py) proves it
end to end; these pin the rules.
"""

from sitegen.tools.editor_backend_merge import merge_page, merge_yaml, merged

ACTIVITY = """\
# Elke week koffie in Beilen; vraag Janny bij vragen.
title: Koffieochtend   # zoals op de poster
start: 2026-12-01 10:00
audience: [ouderen, mantelzorgers]

# De plek
location:
  name: Dorpshuis  # de grote zaal
  place: Beilen
cost: gratis
"""
# As Decap writes the same entry: the form's order, its own quoting, no comments.
AS_SENT = """\
title: Koffieochtend
start: '2026-12-01 10:00'
location:
  name: Dorpshuis
  place: Beilen
cost: gratis
audience:
  - ouderen
  - mantelzorgers
"""


def test_an_unchanged_form_is_saved_as_the_same_bytes():
    assert merge_yaml(ACTIVITY, AS_SENT) == ACTIVITY


def test_a_changed_value_changes_only_its_own_line():
    saved = merge_yaml(ACTIVITY, AS_SENT.replace("cost: gratis", "cost: € 2,00"))
    assert saved == ACTIVITY.replace("cost: gratis", "cost: € 2,00")


def test_a_new_value_goes_after_the_one_before_it_in_the_form_and_a_cleared_one_goes():
    sent = AS_SENT.replace("cost: gratis\n", "cost: gratis\nstatus: afgelast\n").replace(
        "location:\n  name: Dorpshuis\n  place: Beilen\n", "")
    saved = merge_yaml(ACTIVITY, sent)
    assert "location" not in saved and "de grote zaal" not in saved
    assert saved.endswith("cost: gratis\nstatus: afgelast\n")
    assert saved.startswith("# Elke week koffie in Beilen")


def test_a_nested_change_rewrites_that_group_and_keeps_the_comments_around_it():
    saved = merge_yaml(ACTIVITY, AS_SENT.replace("place: Beilen", "place: Hijken"))
    assert "# De plek\nlocation:\n  name: Dorpshuis\n  place: Hijken\ncost: gratis\n" in saved
    assert "audience: [ouderen, mantelzorgers]" in saved


def test_a_page_keeps_its_front_matter_comments_and_its_body_when_unchanged():
    old = "---\ntitle: Nieuws  # kort\ndate: 2025-03-10\n---\n\nTekst met *nadruk*.\n"
    assert merge_page(old, "---\ntitle: Nieuws\ndate: '2025-03-10'\n---\nTekst met *nadruk*.") == old
    changed = merge_page(old, "---\ntitle: Ander nieuws\ndate: '2025-03-10'\n---\nTekst met *nadruk*.")
    assert changed == old.replace("Nieuws  # kort", "Ander nieuws")


def test_a_guarded_file_changes_only_the_forms_keys():
    old = "title: Site\n# contact\ncontact:\n  phone: '1'\ncms:\n  repo: a/b\n"
    sent = "title: Kwaad\ncontact:\n  phone: '2'\ncms:\n  repo: kwaad/x\n"
    assert merged("site.yaml", old, sent, frozenset({"contact"})) == old.replace("'1'", "'2'")
    assert merged("site.yaml", old, "title: Kwaad\n", frozenset({"contact"})) == old  # left out: kept
    assert merged("site.yaml", old, "[", frozenset({"contact"})) == old  # unreadable: nothing changes


def test_a_new_file_is_written_as_sent():
    assert merged("content/agenda/x.yaml", None, AS_SENT) == AS_SENT


def test_a_changed_body_keeps_the_blank_line_below_the_front_matter():
    old = "---\ntitle: Nieuws\n---\n\nTekst.\n"
    assert merge_page(old, "---\ntitle: Nieuws\n---\nAndere tekst.\n") == "---\ntitle: Nieuws\n---\n\nAndere tekst.\n"
