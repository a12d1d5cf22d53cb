"""The web editor's own script (/admin/preview.js): the site's stylesheet in the preview pane, a Dutch date
field, a notice in the preview of a news item or newsletter that is not public yet, and one phrase of Decap's
Dutch that was untrue.

Decap 3's datetime widget is the browser's own date field, which shows a date as the browser's language
writes it: mm/dd/yyyy in an English browser, whatever the site or Decap's `date_format` say. The `date`
widget is a text field that shows and takes the date as the Dutch write it (16-12-2026, 16-12-2026 14:00)
and gives Decap the date as the file has it (2026-12-16, 2026-12-16 14:00); what it cannot read it passes on
as typed, so the field's pattern refuses it with a Dutch sentence before anything is saved.
Written for the browser as it is (no build step): ES5, Decap's own `createClass` and `h`.
"""

from __future__ import annotations

import json
import re

from ..core.dates import MONTHS

WIDGET = "date"  # the name Decap looks for when it makes a news item's file name from its date

DATE_WIDGET = r"""
(function () {
  var ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/;
  var DUTCH = /^\s*(\d{1,2})\s*[-\/. ]\s*(\d{1,2})\s*[-\/. ]\s*(\d{4})(?:\s+(?:om\s+)?(\d{1,2})[:.](\d{2})(?:\s*uur)?)?\s*$/;
  function pad(n) { return (n.length < 2 ? "0" : "") + n; }
  function shown(value) {
    var m = ISO.exec(value == null ? "" : String(value));
    if (!m) { return value == null ? "" : String(value); }
    return m[3] + "-" + m[2] + "-" + m[1] + (m[4] ? " " + m[4] + ":" + m[5] : "");
  }
  function written(text, withTime) {
    var m = DUTCH.exec(text);
    if (!m || (!withTime && m[4])) { return ISO.test(text.trim()) ? text.trim() : null; }
    return m[3] + "-" + pad(m[2]) + "-" + pad(m[1]) + (m[4] ? " " + pad(m[4]) + ":" + m[5] : "");
  }
  var Control = createClass({
    getInitialState: function () { return { text: shown(this.props.value) }; },
    componentDidUpdate: function (before) {
      var value = this.props.value == null ? "" : String(this.props.value);
      if (value !== (before.value == null ? "" : String(before.value)) &&
          value !== written(this.state.text, this.withTime()) && value !== this.state.text) {
        this.setState({ text: shown(value) });
      }
    },
    withTime: function () { return this.props.field.get("time") === true; },
    change: function (event) {
      var text = event.target.value;
      this.setState({ text: text });
      var value = text.trim() === "" ? "" : written(text, this.withTime());
      this.props.onChange(value === null ? text : value);
    },
    render: function () {
      return h("input", {
        type: "text", id: this.props.forID, className: this.props.classNameWrapper, value: this.state.text,
        onChange: this.change, onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
        placeholder: this.withTime() ? "dd-mm-jjjj uu:mm" : "dd-mm-jjjj", autoComplete: "off"
      });
    }
  });
  var Preview = createClass({ render: function () { return h("p", {}, shown(this.props.value)); } });
  CMS.registerWidget(WIDGET, Control, Preview);
})();
"""

# The preview of a news item or newsletter dated after now, or a draft, says so in the yellow notice that
# `serve` shows on such a page (templates/base.html), with the moment it goes live: the same rule as the build's
# (source/assemble.py, withheld_pages): a draft waits, a dated item goes live at its date (and time) in the
# site's time zone. "Now" is the editor's clock, not the build's: /admin/ may have been built days ago.
SCHEDULED = "Tot dan staat het niet op de site. Op die dag komt het vanzelf online."
DRAFT = "Dit is een concept: het staat niet op de site. Zet 'Concept' uit als het af is."
NOTICE_PREVIEW = r"""
(function () {
  var ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/;
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function now() {  // 'yyyy-mm-dd hh:mm' in the site's time zone
    var d = new Date(), parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d)
        .forEach(function (p) { parts[p.type] = p.value; });
      return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
    } catch (e) {  // a browser without time zones: its own clock
      return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) +
        ":" + two(d.getMinutes());
    }
  }
  function notice(entry) {  // [heading, sentence], or null when the item is public
    if (entry.getIn(["data", "draft"]) === true) { return ["Nog niet openbaar.", DRAFT]; }
    var value = entry.getIn(["data", "date"]);
    var m = ISO.exec(value instanceof Date ? value.toISOString() : String(value == null ? "" : value));
    if (!m) { return null; }
    var moment = m[1] + "-" + m[2] + "-" + m[3] + " " + (m[4] ? m[4] + ":" + m[5] : "00:00");
    if (moment <= now()) { return null; }
    var day = Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1];
    return ["Nog niet openbaar tot " + day + (m[4] && m[4] + m[5] !== "0000" ? " om " + m[4] + ":" + m[5] : "") +
            ".", SCHEDULED];
  }
  var Page = createClass({
    render: function () {
      var widgetFor = this.props.widgetFor, said = notice(this.props.entry);
      var fields = this.props.fields.filter(function (f) { return f.get("widget") !== "hidden"; });
      var shown = fields.map(function (f) { return h("div", { key: f.get("name") }, widgetFor(f.get("name"))); });
      // Room on the right for Decap's own buttons over the pane (hide the preview, scroll along).
      return h("div", { style: { padding: "0.5rem 4rem 1rem 1rem" } }, said && h("p", { className: "preview-notice", role: "status" },
                                    h("strong", {}, said[0]), " " + said[1]), shown.toArray());
    }
  });
  COLLECTIONS.forEach(function (name) { CMS.registerPreviewTemplate(name, Page); });
})();
"""

# Decap says "Wijzigingen opgeslagen" whenever nothing is unsaved, also on a new form nothing was saved from:
# that line is left empty (after a save, Decap's own notice says it was published).
PHRASES = ("var nl = CMS.getLocale('nl');\n"
           "if (nl && nl.editor && nl.editor.editorToolbar) { nl.editor.editorToolbar.changesSaved = ''; }\n")


def preview_script(stylesheet: str | None, zone: str, dated: tuple[str, ...]) -> bytes:
    """/admin/preview.js: runs once, after decap-cms.js; no editor text is run as script. dated: the
    collections whose preview says when an item goes live."""
    line = f"CMS.registerPreviewStyle({json.dumps(stylesheet)});\n" if stylesheet else ""
    widget = DATE_WIDGET.replace("WIDGET", json.dumps(WIDGET)).lstrip("\n")
    words = {"ZONE": zone, "MONTHS": list(MONTHS), "SCHEDULED": SCHEDULED, "DRAFT": DRAFT, "COLLECTIONS": list(dated)}
    notice = re.sub(r"\b(" + "|".join(words) + r")\b", lambda m: json.dumps(words[m[1]], ensure_ascii=False),
                    NOTICE_PREVIEW.lstrip("\n"))
    return ("// Made by the build (sitegen/render/cms_script.py): a Dutch date field, a notice on what is not "
            "public yet, and the preview pane in the site's own stylesheet.\n" + widget + notice + PHRASES +
            line).encode("utf-8")
