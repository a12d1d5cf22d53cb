"""The QR code on the printed agenda: the same address gives the same bytes, named for a screen reader, no
markup from the label."""

import xml.etree.ElementTree as ET

import segno

from sitegen.render.qr import qr_svg


def test_the_code_holds_the_address_and_is_the_same_every_build():
    svg = qr_svg("https://example.org/agenda/in/beilen/", "QR-code naar de agenda")
    assert svg == qr_svg("https://example.org/agenda/in/beilen/", "QR-code naar de agenda")
    other = qr_svg("https://example.org/agenda/in/smilde/", "QR-code naar de agenda")
    assert svg != other
    element = ET.fromstring(str(svg))
    assert element.get("role") == "img" and element.get("aria-label") == "QR-code naar de agenda"
    # The modules drawn are the code of that address (version and size as segno makes it, error level M).
    code = segno.make("https://example.org/agenda/in/beilen/", error="m", micro=False)
    assert int(element.get("width")) == (code.symbol_size(scale=4, border=2)[0])


def test_a_label_cannot_add_markup():
    svg = str(qr_svg("https://example.org/", '"><script>alert(1)</script>'))
    assert "<script>" not in svg and ET.fromstring(svg).get("aria-label") == '"><script>alert(1)</script>'
