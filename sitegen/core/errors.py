"""Places in source files, content problems, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "fout"
WARNING = "waarschuwing"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the content, with where it is and how to fix it (in Dutch)."""

    location: Location
    message: str
    severity: str = ERROR

    def format(self) -> str:
        prefix = "waarschuwing: " if self.severity == WARNING else ""
        return f"{self.location}: {prefix}{self.message}"

    def format_github(self) -> str:
        """A GitHub workflow command that puts the message on its line in the pull request's diff."""
        kind = "warning" if self.severity == WARNING else "error"
        loc = self.location
        parts = [f"file={escape_property(loc.path)}"]
        if loc.line:
            parts.append(f"line={loc.line}")
        if loc.column:
            parts.append(f"col={loc.column}")
        return f"::{kind} {','.join(parts)}::{escape_data(self.message)}"


def escape_data(text: str) -> str:
    """A workflow command's message, as GitHub's runner unescapes it (% first, then line breaks)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (a file name): also ':' and ',', which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class ContentError(Exception):
    """Raised when the content has errors; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] = ()):
        self.problems = sorted(set(problems))
        self.warnings = sorted(set(warnings))  # found on the way; reported beside the errors
        super().__init__("\n".join(p.format() for p in self.problems))


@dataclass
class Problems:
    """Collects problems during a phase so they can be reported all at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message, ERROR))

    def warn(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message, WARNING))

    def extend(self, other: "Problems | list[Problem]") -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors, self.warnings)


def check_now(name: str, source, compute) -> list[Problem]:
    """compute(source): the problems one check finds in one page, found anew. The build passes a check
    of the same signature that keeps each page's result (incremental/engine.page_check), so an edit checks
    only the pages whose text changed; name says which check, and any setting it reads ("address:u")."""
    return compute(source)


def relative_name(path: Path, root: Path) -> str:
    """The path as an editor sees it in the repository: relative to the site root, with slashes."""
    try:
        return path.relative_to(root).as_posix()  # the common case: a path found by walking the root
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
