"""Turn a newsletter exported as HTML from a mailing tool into an archive entry (markdown with front matter).

The work is split by job: tidy.py strips the mail of what is not content, links.py unwraps tracked links,
markdown.py turns what is left into markdown, convert.py puts those together into an `Imported` (pure:
HTML text in, front matter values, markdown and images to copy out), archive.py writes the entry
(content/nieuwsbrieven/<date>-<slug>.md, or <date>-<slug>/index.md when files come along) and command.py
is `build.py import-newsletter`.

What is kept: text, headings, lists, links, bold and italic, images, real data tables. What goes: scripts,
styles, hidden preheaders, tracking pixels, layout tables, utm_* and other tracking parameters, and the
"view in browser" / unsubscribe boilerplate. Links through a click-tracking redirect are unwrapped when the
real address is in them. A remote image becomes a plain link: the site's pages load nothing from other hosts.
"""
