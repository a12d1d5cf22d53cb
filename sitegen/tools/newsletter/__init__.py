"""Turn a newsletter exported as HTML from a mailing tool into an archive entry (markdown with front matter).

The work is split by job: mergetags.py takes out the fields filled in per reader, tidy.py strips the mail
of what is not content (scripts, hidden text, pixels; Word's typed bullets become lists), footer.py the
mail service's footer and "view in browser" line, links.py unwraps tracked links and drops what identifies
a reader, markdown.py turns what is left into markdown, convert.py puts those together into an `Imported`
(pure: HTML text in, front matter values, markdown, images to copy, and what was removed or not kept out),
report.py says that in Dutch, archive.py writes the entry (content/nieuwsbrieven/<date>-<slug>.md, or
<date>-<slug>/index.md when files come along) and command.py is `build.py import-newsletter`.

What is kept: text, headings, lists, links (a button too), bold and italic, images, real data tables. What
goes: merge tags, scripts, styles, hidden preheaders, tracking pixels, layout tables, the footer
(unsubscribe, preferences, copyright, postal address, "Powered by …"), "view in browser", social buttons,
the logo above the title, utm_* parameters and every parameter that carries a reader's id or e-mail address.
Links through a click-tracking redirect are unwrapped when the real address is in them; otherwise only
their words stay, and the report says so. A remote image becomes a plain link: the site's pages load
nothing from other hosts.
"""
