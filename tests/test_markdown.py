"""The converter: writer-friendly extensions, links to .md files rewritten, HTML sanitised."""

from sitegen.source.markdown import MarkdownConverter, first_paragraph, sanitise


def convert(text, links=None):
    links = links or {}
    return MarkdownConverter().convert(text, lambda target: links.get(target.partition("#")[0]))


def test_relative_md_links_become_site_urls_and_keep_fragments():
    result = convert("[oorzaken](../over/oorzaken.md#sociaal)", {"../over/oorzaken.md": "/over/oorzaken/"})
    assert '<a href="/over/oorzaken/">oorzaken</a>' in result.html or 'href="/over/oorzaken/"' in result.html
    assert result.broken_links == []


def test_unknown_link_target_is_reported():
    assert convert("[weg](bestaat-niet.md)").broken_links == ["bestaat-niet.md"]


def test_external_links_get_noopener():
    assert 'rel="noopener"' in convert("[site](https://www.deluisterlijn.nl)").html


def test_headings_get_ascii_anchors_and_are_listed():
    result = convert("## Eén kop\n\n### Daaronder\n")
    assert 'id="een-kop"' in result.html
    assert [(h.level, h.anchor) for h in result.headings] == [(2, "een-kop"), (3, "daaronder")]


def test_tables_and_attr_lists_work_without_inline_styles():
    html = convert("| a | b |\n|:--|--:|\n| 1 | 2 |\n\nTekst\n{: .intro }\n").html
    assert "<table>" in html and 'class="align-right"' in html and "style=" not in html
    assert 'class="intro"' in html


def test_images_without_alt_are_reported_and_images_load_lazily():
    result = convert("![](foto.jpg)", {"foto.jpg": "/foto.jpg"})
    assert result.images_without_alt == ["foto.jpg"]
    assert 'loading="lazy"' in result.html


def test_sanitiser_removes_scripts_handlers_and_dangerous_urls():
    dirty = ('<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a>'
             '<iframe src="https://evil"></iframe><form action="x"><input></form><style>p{}</style>'
             '<base href="https://evil/"><a href="data:text/html,hi">d</a><svg onload=alert(1)></svg>')
    clean = sanitise(dirty)
    for bad in ("script", "onerror", "javascript:", "iframe", "form", "style", "base", "data:", "svg", "onload"):
        assert bad not in clean.lower()


def test_raw_html_in_markdown_is_sanitised():
    html = convert('Hallo <span onclick="alert(1)">daar</span>\n\n<div><script>alert(1)</script></div>').html
    assert "onclick" not in html and "<script" not in html and "daar" in html


def test_first_paragraph_is_the_fallback_description():
    assert first_paragraph("<h2>Kop</h2><p>Eerste <em>zin</em>.</p><p>Tweede.</p>") == "Eerste zin."
