"""The QR code on the printed agenda: the same address gives the same bytes, named for a screen reader, no
markup from the label."""

import random
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

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


def segno_svg(address: str) -> str:
    code = segno.make(address, error="m", micro=False, mask=0, boost_error=False)
    return code.svg_inline(scale=4, border=2, svgclass="qr", lineclass=None, omitsize=False)


def test_an_address_is_drawn_as_segno_draws_it_at_every_size():
    """Our own encoder gives segno's bytes: from version 1 to 40, with and without version information."""
    random.seed(24)
    alphabet = string.ascii_lowercase + string.digits + "/-._~?=&ABC"
    versions = set()
    for length in [*range(0, 120, 3), 150, 230, 300, 420, 600, 900, 1300, 1800, 2300]:
        address = "https://" + "".join(random.choice(alphabet) for _ in range(length))
        ours = str(qr_svg(address, "x")).replace('<svg role="img" aria-label="x" ', "<svg ", 1)
        assert ours == segno_svg(address), address
        versions.add(segno.make(address, error="m", micro=False, mask=0).version)
    assert min(versions) == 1 and max(versions) == 40


def test_text_in_another_mode_is_left_to_segno():
    """Digits or capitals alone and other characters than ASCII: segno picks another mode or encoding."""
    for text in ["HTTPS://EXAMPLE.ORG/AGENDA/", "0612345678", "https://example.org/café/"]:
        ours = str(qr_svg(text, "x")).replace('<svg role="img" aria-label="x" ', "<svg ", 1)
        assert ours == segno_svg(text)


def test_drawing_the_code_of_an_address_does_not_import_segno():
    """Importing segno (its SVG writer pulls in urllib, http, email and ssl) costs a cold build more than
    drawing its codes."""
    script = ("import sys; from sitegen.render.qr import qr_svg; qr_svg('https://example.org/agenda/', 'x'); "
              "print('segno' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "False"
