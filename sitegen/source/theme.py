"""A site's theme from site.yaml: accent colours checked against WCAG AA, a logo, and the favicon.

The stylesheet's own colours stay in static/css/site.css; the theme only overrides --accent and
--accent-dark. Every pair of text and background colour the stylesheet makes from them is computed here
(links on the page, the header, white cards; white text on buttons and the current menu item), so a colour
that an elderly reader could not read is refused at build time, with its line in site.yaml and the nearest
colour that does pass, instead of being found later by an accessibility test.
Pure functions: the loader hands in the stylesheet's bytes and the logo's first bytes.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

from ..core.errors import Location, Problems
from ..core.model import Output, Theme
from .images import image_size, svg_size

AA_TEXT = 4.5  # WCAG 2.1 AA, normal text
WHITE = "#ffffff"
THEMED = (("accent", "--accent"), ("accent_dark", "--accent-dark"))
FAVICON = "favicon.svg"
_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def normal_hex(value: str) -> str | None:
    """'#ABC' -> '#aabbcc'; None when value is not a hex colour."""
    match = _HEX.match(value.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2.1 defines it."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_colours(css: str) -> dict[str, str]:
    """The custom properties of the stylesheet's first :root block, as hex colours."""
    block = re.search(r":root\s*\{([^}]*)\}", css)
    found = {}
    for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block.group(1) if block else ""):
        colour = normal_hex(value.split("/*")[0])
        if colour:
            found[name] = colour
    return found


def pairs(role: str, colour: str, base: dict[str, str]) -> list[tuple[str, str, str]]:
    """(what, text colour, background colour) for every place site.css shows this accent colour."""
    backgrounds = [("de achtergrond van de pagina", base.get("--bg", WHITE)),
                   ("de kop en voet van de pagina", base.get("--soft", WHITE)),
                   ("witte vakken", WHITE)]
    if role == "accent":  # links in the help block
        backgrounds.append(("het blok 'Hulp nodig?'", base.get("--help-bg", WHITE)))
    found = [(f"tekst in deze kleur op {what}", colour, bg) for what, bg in backgrounds]
    found.append(("witte tekst op een knop in deze kleur" if role == "accent_dark"
                  else "witte tekst op een gekozen filter in deze kleur", WHITE, colour))
    return found


def failing(role: str, colour: str, base: dict[str, str]) -> list[tuple[str, float]]:
    """The pairs below AA, with their contrast ratio."""
    return [(what, contrast(text, bg)) for what, text, bg in pairs(role, colour, base)
            if contrast(text, bg) < AA_TEXT]


def nearest_passing(role: str, colour: str, base: dict[str, str]) -> str:
    """The colour of the same hue and saturation, with the least change in lightness, that passes all pairs."""
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    for step in range(1, 201):
        for candidate_light in (light - step / 200, light + step / 200):
            if 0 <= candidate_light <= 1:
                rgb = colorsys.hls_to_rgb(hue, candidate_light, saturation)
                candidate = "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
                if not failing(role, candidate, base):
                    return candidate
    return "#000000"


def darker(colour: str, factor: float = 0.7) -> str:
    """The same hue, darker: the default --accent-dark for an --accent given alone."""
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    rgb = colorsys.hls_to_rgb(hue, light * factor, saturation)
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def checked_colours(theme: Theme, css: str, problems: Problems) -> dict[str, str]:
    """The custom properties the theme sets (name -> colour); an error with a suggestion for each failing one."""
    base = css_colours(css)
    chosen: dict[str, str] = {}
    for role, prop in THEMED:
        value = getattr(theme, role)
        if value is None:
            continue
        where = theme.where.get(role, Location("site.yaml"))
        colour = normal_hex(value)
        if colour is None:
            problems.error(where, f"'{value}' is geen kleur. Schrijf een kleur als # met zes tekens, zoals "
                           "\"#1a5e8a\", tussen aanhalingstekens.")
            continue
        bad = failing(role, colour, base)
        if bad:
            worst, ratio = min(bad, key=lambda item: item[1])
            suggestion = nearest_passing(role, colour, base)
            problems.error(where, f"de kleur {value} is slecht te lezen: {worst} heeft een contrast van "
                           f"{ratio:.1f}:1, en er is minstens {AA_TEXT}:1 nodig (WCAG AA). De dichtstbijzijnde "
                           f"kleur die wel goed genoeg is: \"{suggestion}\".")
            continue
        chosen[prop] = colour
    if "--accent" in chosen and theme.accent_dark is None:
        dark = darker(chosen["--accent"])
        chosen["--accent-dark"] = dark if not failing("accent_dark", dark, base) else \
            nearest_passing("accent_dark", dark, base)
    return chosen


def stylesheet_addition(colours: dict[str, str]) -> bytes:
    """The lines appended to site.css so the theme's colours win over the defaults."""
    if not colours:
        return b""
    body = " ".join(f"{name}: {value};" for name, value in sorted(colours.items()))
    return f"\n/* Kleuren uit site.yaml (theme) */\n:root {{ {body} }}\n".encode("utf-8")


def favicon(colours: dict[str, str], css: str) -> Output:
    """A small SVG icon in the site's dark accent colour: browsers ask for an icon on every first visit."""
    fill = colours.get("--accent-dark") or css_colours(css).get("--accent-dark", "#333333")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
           f'<rect width="32" height="32" rx="7" fill="{fill}"/>'
           '<path d="M16 26 6.5 16.6a5.6 5.6 0 0 1 8-8L16 10l1.5-1.4a5.6 5.6 0 0 1 8 8Z" fill="#fff"/>'
           '</svg>\n')
    return Output(FAVICON, svg.encode("utf-8"), "theme")


@dataclass(frozen=True)
class LogoCheck:
    """What the loader found at the logo's path: its first bytes, or None when there is no such file."""

    head: bytes | None

    @property
    def size(self) -> tuple[int, int] | None:
        """The logo's width and height (from a PNG's header or an SVG's root), so its space is kept."""
        if self.head is None:
            return None
        return image_size(self.head) or svg_size(self.head)


def check_logo(theme: Theme, logo: LogoCheck, problems: Problems) -> None:
    """A logo must exist in static/, be an SVG or PNG, and come with alt text."""
    if theme.logo is None:
        return
    where = theme.where.get("logo", Location("site.yaml"))
    if logo.head is None:
        problems.error(where, f"het logo '{theme.logo}' bestaat niet. Zet het bestand in de map static/ van de "
                       "site en schrijf hier het pad vanaf static/, zoals img/logo.svg.")
    elif not (logo.head.startswith(b"\x89PNG\r\n\x1a\n") or _looks_like_svg(logo.head)):
        problems.error(where, f"het logo '{theme.logo}' is geen SVG- of PNG-afbeelding. Gebruik een .svg- of "
                       ".png-bestand.")
    if not theme.logo_alt:
        problems.error(where, "bij het logo hoort een beschrijving voor wie het niet kan zien: zet eronder "
                       "logo_alt: \"Logo van ...\".")


def _looks_like_svg(head: bytes) -> bool:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text.startswith("<svg") or (text.startswith(("<?xml", "<!--", "<!DOCTYPE svg")) and "<svg" in text)
