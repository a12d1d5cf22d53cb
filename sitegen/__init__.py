"""The coalition site generator: load -> validate -> model -> render -> write."""

__version__ = "2.2.4"  # the one place; CHANGELOG.md says what changed and names the commit of each version
