"""The one family of errors the engine raises; web/errors.py maps it to HTTP in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class EngineError(Exception):
    """Base of every error a caller of the engine is expected to handle."""

    code = "engine_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(EngineError):
    """The thing does not exist, or the actor may not know that it exists."""

    code = "not_found"


class Unauthenticated(EngineError):
    """No valid credentials: a wrong password, an expired or revoked token."""

    code = "unauthenticated"


class Throttled(EngineError):
    """Too many failed sign-ins from this address or for this account; try again later."""

    code = "throttled"


class Forbidden(EngineError):
    """The actor is known and may see the thing, but may not do this to it."""

    code = "forbidden"


class Conflict(EngineError):
    """Someone else changed the thing first (a concurrent writer, a claimed task)."""

    code = "conflict"


class InputInvalid(EngineError):
    """Input failed validation; `fields` maps a field name to its messages."""

    code = "invalid"

    def __init__(self, message: str, fields: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message)
        self.fields = {name: list(msgs) for name, msgs in (fields or {}).items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a diagram, a decision table or a form, located by file and element."""

    file: str
    element: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        element = f" [{self.element}]" if self.element else ""
        return f"{where}{element}: {self.message}"


class ProcessInvalid(EngineError):
    """A matter bundle (BPMN, DMN, forms, matter.yaml) does not validate."""

    code = "process_invalid"

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems) or "invalid process")
        self.problems = tuple(problems)


class ProcessFault(EngineError):
    """A step failed while running a case: a script error, a decision with no matching rule."""

    code = "process_fault"

    def __init__(self, message: str, *, element: str, file: str = "") -> None:
        super().__init__(message)
        self.element = element
        self.file = file
