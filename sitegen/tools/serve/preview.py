"""What only the preview adds to the site: the live-reload script, the warnings panel and the error page.

None of it is ever in the built site. The pages' Content-Security-Policy allows scripts and styles from their
own host only, so the script and the panel's stylesheet are served as files of their own and linked.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ...core.errors import Problem

if TYPE_CHECKING:  # only for the annotation: the preview's pages do not need the build
    from .live import Snapshot

RELOAD_PATH = "/__livereload"
SCRIPT_PATH = "/__livereload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'
PANEL_STYLE_PATH = "/__waarschuwingen.css"
PANEL_STYLE_TAG = f'<link rel="stylesheet" href="{PANEL_STYLE_PATH}">'
PANEL_CLASS = "sitegen-waarschuwingen"

RELOAD_SCRIPT = f"""\
// Live reload while editing (only served by `build.py serve`, never in the built site).
(function () {{
  var source = new EventSource("{RELOAD_PATH}");
  source.addEventListener("reload", function () {{ window.location.reload(); }});
}})();
""".encode("utf-8")


# The warnings panel: a stylesheet from our own host, as the pages' Content-Security-Policy allows no
# inline styles. Served and linked only by `serve`; the built site never has it.
PANEL_STYLE = f"""\
.{PANEL_CLASS} {{ background: #fff8d6; color: #1a1a1a; border-bottom: 3px solid #8a6d00; padding: .75rem 1rem;
  font: 1rem/1.5 system-ui, sans-serif; }}
.{PANEL_CLASS} h2 {{ font-size: 1.1rem; margin: 0 0 .5rem; }}
.{PANEL_CLASS} ol {{ margin: 0; padding-left: 1.5rem; }}
.{PANEL_CLASS} li {{ margin-bottom: .5rem; overflow-wrap: anywhere; }}
.{PANEL_CLASS} p {{ margin: .5rem 0 0; }}
.{PANEL_CLASS} code {{ background: #fff; padding: 0 .25rem; }}
""".encode("utf-8")


def inject_script(page: bytes) -> bytes:
    """Add the live-reload script before </head> (or at the end when there is none)."""
    marker = b"</head>"
    tag = SCRIPT_TAG.encode()
    index = page.find(marker)
    return page[:index] + tag + b"\n" + page[index:] if index >= 0 else page + tag


PANEL_ROWS = 20  # the page's own warnings listed at most
PANEL_FEW = 5  # rows the panel fills with other pages' warnings; the rest are counted (the terminal lists all)


def warnings_panel(warnings: list[Problem], source: str | None = None) -> bytes:
    """The build's warnings as the panel at the top of a page (empty when there are none): those of the
    page's own file (source, e.g. content/over.md) first, at most PANEL_ROWS, then other pages' up to
    PANEL_FEW rows in all, and a count of the rest. At 10,000 pages a site can have 10,000 warnings: listed
    on every page, they made each page 2.5 MB, and on a phone the page itself began 3,000 px down."""
    if not warnings:
        return b""
    count = len(warnings)
    own = sorted(w for w in warnings if w.location.path == source)[:PANEL_ROWS]
    others = sorted(w for w in warnings if w.location.path != source)[:max(0, PANEL_FEW - len(own))]
    rows = "".join(f"<li><code>{html.escape(str(w.location))}</code> {html.escape(w.message)}</li>"
                   for w in own + others)
    rest = count - len(own) - len(others)
    more = (f"<p>En nog {rest} {'waarschuwing' if rest == 1 else 'waarschuwingen'}. Je ziet ze allemaal in het "
            "terminalvenster van build.py serve, of met: python build.py check</p>" if rest > 0 else "")
    return (f'<aside class="{PANEL_CLASS}" aria-labelledby="{PANEL_CLASS}-kop">'
            f'<h2 id="{PANEL_CLASS}-kop">{count} {"waarschuwing" if count == 1 else "waarschuwingen"} bij het '
            "bouwen (alleen te zien in deze voorbeeldweergave, niet op de echte site)</h2>"
            f"<ol>{rows}</ol>{more}</aside>\n").encode("utf-8")


def inject_panel(page: bytes, panel: bytes) -> bytes:
    """Put the warnings panel at the top of the page's body, with its stylesheet in the head."""
    if not panel:
        return page
    head = page.find(b"</head>")
    if head >= 0:
        page = page[:head] + PANEL_STYLE_TAG.encode() + b"\n" + page[head:]
    body = page.find(b"<body")
    start = page.find(b">", body) + 1 if body >= 0 else 0
    return page[:start] + b"\n" + panel + page[start:]


def error_page(snapshot: Snapshot) -> bytes:
    """A readable Dutch page with everything that is wrong, and the reload script."""
    if snapshot.bug:
        items = f"<pre>{html.escape(snapshot.bug)}</pre>"
        lead = ("Er ging iets mis in het programma of in een sjabloon (templates/). Dat is geen fout in je tekst. "
                "Herstel het sjabloon, of vraag een ontwikkelaar om hulp en stuur deze melding mee.")
    else:
        count = len(snapshot.problems)
        lead = (f"Er {'is 1 fout' if count == 1 else f'zijn {count} fouten'} gevonden. Herstel "
                f"{'hem' if count == 1 else 'ze'} en sla het bestand op: deze pagina ververst dan vanzelf.")
        rows = "".join(
            f"<li><code>{html.escape(str(p.location))}</code><br>{html.escape(p.message)}</li>"
            for p in snapshot.problems)
        items = f"<ol>{rows}</ol>"
    page = f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fout in de site</title>
<style>
body {{ font: 1.1rem/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ color: #a00000; }}
li {{ margin-bottom: 1rem; }}
code, pre {{ background: #f3f3f3; padding: .1rem .3rem; overflow-x: auto; }}
</style>
{SCRIPT_TAG}
</head>
<body>
<main>
<h1>De site kan niet gebouwd worden</h1>
<p>{lead}</p>
{items}
<p>Uitleg bij elke melding staat in <code>docs/redactie.md</code>.</p>
</main>
</body>
</html>
"""
    return page.encode("utf-8")
