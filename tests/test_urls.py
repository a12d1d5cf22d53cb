from sitegen.core import urls


def test_folder_structure_gives_clean_urls():
    assert urls.page_url("index.md") == "/"
    assert urls.page_url("over/index.md") == "/over/"
    assert urls.page_url("over/oorzaken.md") == "/over/oorzaken/"


def test_slug_replaces_the_last_part():
    assert urls.page_url("over/oorzaken.md", "waarom") == "/over/waarom/"
    assert urls.page_url("over/index.md", "achtergrond") == "/achtergrond/"


def test_output_paths():
    assert urls.output_path("/") == "index.html"
    assert urls.output_path("/over/") == "over/index.html"
    assert urls.output_path("/sitemap.xml") == "sitemap.xml"


def test_base_path_prefixes_internal_links_only():
    base = "https://x.github.io/coalitie/"
    assert urls.href(base, "/over/") == "/coalitie/over/"
    assert urls.href(base, "https://a.nl/") == "https://a.nl/"
    assert urls.absolute(base, "/over/") == "https://x.github.io/coalitie/over/"


def test_slugify_handles_dutch_accents():
    assert urls.slugify("Eén tegen eenzaamheid!") == "een-tegen-eenzaamheid"
    assert urls.slugify("???") == "pagina"
