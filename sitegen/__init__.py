"""The coalition site generator: load -> validate -> model -> render -> write."""

__version__ = "1.0.0"  # the one place; CHANGELOG.md says what changed, git tags are v<version>
