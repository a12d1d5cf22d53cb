import struct
import zlib

import pytest

from sitegen.source.images import image_size


def png(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def test_reads_png_and_gif_sizes():
    assert image_size(png(640, 480)) == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 12, 34) + b"\x00" * 10) == (12, 34)


def test_reads_jpeg_size_after_other_segments():
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 300, 400) + b"\x03" + b"\x00" * 9
    assert image_size(b"\xff\xd8" + app0 + sof) == (400, 300)


def test_unknown_format_gives_none():
    assert image_size(b"not an image") is None


@pytest.mark.slow
def test_images_in_pages_get_width_and_height(make_site):
    from conftest import NOW, run_build
    site = make_site({"content/over.md": "---\ntitle: Over\nimage: foto.png\nimage_alt: Een foto\n---\n\n![Een foto](foto.png)\n",
                      "content/foto.png": png(800, 600)})
    assert run_build("--site", str(site), "--now", NOW).returncode == 0
    html = (site / "output" / "over" / "index.html").read_text()
    assert html.count('width="800" height="600"') == 1 and 'height="600"' in html and html.count('width="800"') == 2
