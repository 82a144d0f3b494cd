"""What a step records: a timeline entry wanted by the use case that ran it, before it is written."""

from __future__ import annotations

from dataclasses import dataclass

from engine.vocabulary import Decision, Outcome, TimelineKind


@dataclass(frozen=True)
class Happening:
    """A timeline entry a use case wants recorded with the step (engine.views.TimelineEntry
    says what each field means)."""

    kind: TimelineKind
    actor: str | None
    note: str = ""
    activity: str | None = None
    activity_name: str | None = None
    decision: Decision | None = None
    comment: str | None = None
    outcome: Outcome | None = None
    fields: tuple[str, ...] | None = None
