"""YAML syntax mistakes are reported in Dutch at the line to fix, quoting that line; never PyYAML's English."""

import pytest

from sitegen.core.errors import Problems
from sitegen.source.yamlschema import Context, compose


def messages(text: str, offset: int = 0) -> list[str]:
    problems = Problems()
    compose(text, Context("f.yaml", problems, line_offset=offset))
    return [p.format() for p in problems.items]


@pytest.mark.parametrize("text, expected_start, quoted", [
    ('title: "Open\ndescription: x\nplace: "B"\n', "f.yaml:1:8: het aanhalingsteken (\")", "'title: \"Open'"),
    ("title:Samen wandelen\ndescription: x\n", "f.yaml:1:7: na de dubbele punt van 'title' mist een spatie",
     "Schrijf 'title: Samen wandelen'"),
    ("title:\u00a0Samen\ndescription: x\n", "f.yaml:1:7: na de dubbele punt van 'title' staat een vaste spatie", ""),
    ("location:\n  name: A\n   street: B\n", "f.yaml:3:4: 'street' staat niet recht onder",
     "maar 'name' op regel 2 begint op kolom 3"),
    ("- title: A\n  start: x\nlocation: y\n", "f.yaml:3:1: 'location' staat niet recht onder", "(zet er 2 spaties voor)"),
    ("title: \u201cOpen: dag\u201d\n", "f.yaml:1:8: deze tekst staat tussen gekrulde aanhalingstekens",
     "'title: \"Open: dag\"'"),
    ("location:\n\tname: A\n", "f.yaml:2:1: deze regel springt in met een tab", ""),
    ("tags: [a, b\ndescription: x\n", "f.yaml:1:7: de haak [ die hier begint", "'tags: [a, b]'"),
    ("title: Oorzaken: waarom\n", "f.yaml:1:16: in deze tekst staat een dubbele punt", "'title: \"Oorzaken: waarom\"'"),
])
def test_syntax_mistake_is_reported_where_to_fix_it_in_dutch(text, expected_start, quoted):
    found = messages(text)
    assert len(found) == 1, found
    assert found[0].startswith(expected_start)
    assert quoted in found[0]
    for english in ("expected", "found", "mapping", "scalar", "token", "while"):
        assert english not in found[0]


def test_front_matter_lines_count_from_the_file_not_the_yaml():
    assert messages('title: "Open\nx: y\n', offset=1)[0].startswith("f.yaml:2:8:")


def test_every_mistake_in_one_file_gets_its_own_line():
    found = messages('title:Samen\ndescription:\u00a0x\norder: "3\n')
    assert [m.split(": ", 1)[0] for m in found] == ["f.yaml:1:7", "f.yaml:2:13", "f.yaml:3:8"]


def test_a_quoted_text_over_several_lines_is_not_called_unclosed():
    found = messages('description: "Een lange\n  tekst"\ntitle: a: b\n')
    assert len(found) == 1 and found[0].startswith("f.yaml:3:9: in deze tekst staat een dubbele punt")


def test_valid_yaml_with_colons_in_values_and_urls_is_left_alone():
    assert messages("url: https://x.nl/a\ntime: 10:00\nitems:\n  - https://y.nl\n") == []
