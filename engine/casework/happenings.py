"""What a step records: a timeline entry wanted by the service that ran it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Happening:
    """A timeline entry a service wants recorded with the step."""

    kind: str
    actor: str | None
    note: str = ""
    activity: str | None = None
    activity_name: str | None = None
