"""A QR code as inline SVG, for paper: the printed agenda leads a phone's camera to the agenda online.

Drawn by segno (pure Python, no image files, no requests): the same address gives the same bytes."""

from __future__ import annotations

from markupsafe import Markup, escape


def qr_svg(address: str, label: str) -> Markup:
    """An <svg> of the QR code for address, named for a screen reader by label."""
    import segno  # here, not at the top: only a build that renders the print pages pays its import

    # One fixed mask (any mask is valid and every reader decodes it): choosing the best of eight is 5x slower.
    code = segno.make(address, error="m", micro=False, mask=0, boost_error=False)
    svg = code.svg_inline(scale=4, border=2, svgclass="qr", lineclass=None, omitsize=False)
    # segno writes '<svg width=".." height=".." class="qr">': add the role and the accessible name
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
