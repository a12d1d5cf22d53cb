"""The coalition site generator: load -> validate -> model -> render -> write."""

__version__ = "0.1.0"
