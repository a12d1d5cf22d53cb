"""The agenda: activities loaded and checked, repeated into dates, grouped, rendered, as calendars."""
