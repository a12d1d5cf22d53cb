"""The web editor's own script (/admin/preview.js): the site's stylesheet in the preview pane, a Dutch date
field, and one phrase of Decap's Dutch that was untrue.

Decap 3's datetime widget is the browser's own date field, which shows a date as the browser's language
writes it: mm/dd/yyyy in an English browser, whatever the site or Decap's `date_format` say. The `date`
widget is a text field that shows and takes the date as the Dutch write it (16-12-2026, 16-12-2026 14:00)
and gives Decap the date as the file has it (2026-12-16, 2026-12-16 14:00); what it cannot read it passes on
as typed, so the field's pattern refuses it with a Dutch sentence before anything is saved.
Written for the browser as it is (no build step): ES5, Decap's own `createClass` and `h`.
"""

from __future__ import annotations

import json

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

# Decap says "Wijzigingen opgeslagen" whenever nothing is unsaved, also on a new form nothing was saved from:
# that line is left empty (after a save, Decap's own notice says it was published).
PHRASES = ("var nl = CMS.getLocale('nl');\n"
           "if (nl && nl.editor && nl.editor.editorToolbar) { nl.editor.editorToolbar.changesSaved = ''; }\n")


def preview_script(stylesheet: str | None) -> bytes:
    """/admin/preview.js: runs once, after decap-cms.js; no editor text is run as script."""
    line = f"CMS.registerPreviewStyle({json.dumps(stylesheet)});\n" if stylesheet else ""
    widget = DATE_WIDGET.replace("WIDGET", json.dumps(WIDGET)).lstrip("\n")
    return ("// Made by the build (sitegen/render/cms_script.py): a Dutch date field, and the preview pane in the "
            "site's own stylesheet.\n" + widget + PHRASES + line).encode("utf-8")
