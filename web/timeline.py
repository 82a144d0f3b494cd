"""A case's timeline as people read it: each kind of entry in words, and what it carries (a
decision, an outcome, the fields supplied or corrected) in the page's language.

The engine keeps each entry in its own terms (engine.views.TimelineEntry), which the API returns
as they are; only the pages put them into words. Notes meant for staff tools rather than people
(a message's name, a connector's error, the posts a task waits for) are left out.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from engine.forms import input_components, localise_form
from engine.views import TimelineEntry
from engine.vocabulary import TimelineKind
from web.i18n import current_language
from web.labels import Versioned, decision_name, outcome_name, process_texts


def entry_title(kind: str) -> str:
    """What happened, in words; a kind this site does not know is shown as the engine names it."""
    titles: dict[str, str] = {
        TimelineKind.STARTED: gettext("Application received"),
        TimelineKind.AUTOMATIC: gettext("Checked automatically"),
        TimelineKind.TASK_OPENED: gettext("Waiting at"),
        TimelineKind.DECIDED: gettext("Decided at"),
        TimelineKind.RETURNED: gettext("Returned for supplement at"),
        TimelineKind.SUPPLEMENTED: gettext("Supplemented by the applicant"),
        TimelineKind.MATERIAL_ADDED: gettext("Material added"),
        TimelineKind.MESSAGE: gettext("Message received at"),
        TimelineKind.TIMER: gettext("Time limit reached at"),
        TimelineKind.CALL_ANSWERED: gettext("Answered by another system at"),
        TimelineKind.CALL_FAILED: gettext("Another system did not answer at"),
        TimelineKind.INCIDENT: gettext("Held up by a technical problem; staff have been told"),
        TimelineKind.RETRIED: gettext("Retried by staff"),
        TimelineKind.REASSIGNED: gettext("Handed to another reviewer at"),
        TimelineKind.COMPLETED: gettext("Case closed"),
        TimelineKind.WITHDRAWN: gettext("Withdrawn by the applicant"),
    }
    return titles.get(kind, kind)


def entry_note(case: Versioned, entry: TimelineEntry) -> str:
    """The entry's note for people, in the page's language; empty where there is none for them."""
    if entry.kind == TimelineKind.DECIDED:
        return _decision(entry)
    if entry.kind in (TimelineKind.SUPPLEMENTED, TimelineKind.RETRIED) and entry.fields:
        labels = _field_labels(case, entry.fields)
        return (
            labels
            if entry.kind == TimelineKind.SUPPLEMENTED
            else gettext("Corrected: %(fields)s", fields=labels)
        )
    if entry.kind == TimelineKind.COMPLETED and entry.outcome:
        return outcome_name(entry.outcome)
    for_people = {
        TimelineKind.RETURNED: entry.comment,
        TimelineKind.MATERIAL_ADDED: entry.note,
        TimelineKind.REASSIGNED: entry.note,
    }
    return for_people.get(entry.kind, "")


def _decision(entry: TimelineEntry) -> str:
    """A decision in words with the reviewer's comment; a form without a decision, the comment."""
    if entry.decision is None:
        return entry.comment
    decided = decision_name(entry.decision)
    return (
        gettext("%(decision)s: %(comment)s", decision=decided, comment=entry.comment)
        if entry.comment
        else decided
    )


def _field_labels(case: Versioned, keys: tuple[str, ...]) -> str:
    """Fields of the case data by their start form labels; a field the form does not have keeps
    its key."""
    form = localise_form(process_texts(case).start_form, current_language())
    labels = {str(c["key"]): str(c.get("label") or c["key"]) for c in input_components(form) if "key" in c}
    return str(gettext(", ")).join(labels.get(key, key) for key in keys)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(entry_title=entry_title, entry_note=entry_note)
