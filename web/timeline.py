"""A case's timeline as people read it: each kind of entry in words, and its note in the page's
language where the engine wrote codes (a decision, an outcome, the fields supplied).

The engine keeps each entry in its own terms (API.md: `kind` and `note`), which the API returns
as they are; only the pages put them into words. Notes meant for staff tools rather than people
(a message's name, a connector's error, the posts a task waits for) are left out.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from engine.forms import input_components, localise_form
from engine.services.tasks import DECISIONS
from engine.views import TimelineEntry
from web.i18n import current_language
from web.labels import Versioned, decision_name, outcome_name, process_texts

CORRECTED = "corrected: "  # how cases.retry_case begins its note on corrected fields


def entry_title(kind: str) -> str:
    """What happened, in words; a kind this site does not know is shown as the engine names it."""
    titles: dict[str, str] = {
        "started": gettext("Application received"),
        "automatic": gettext("Checked automatically"),
        "task_opened": gettext("Waiting at"),
        "task_completed": gettext("Decided at"),
        "returned": gettext("Returned for supplement at"),
        "supplemented": gettext("Supplemented by the applicant"),
        "material_added": gettext("Material added"),
        "message": gettext("Message received at"),
        "timer": gettext("Time limit reached at"),
        "call_answered": gettext("Answered by another system at"),
        "call_failed": gettext("Another system did not answer at"),
        "incident": gettext("Held up by a technical problem; staff have been told"),
        "retried": gettext("Retried by staff"),
        "reassigned": gettext("Handed to another reviewer at"),
        "completed": gettext("Case closed"),
        "withdrawn": gettext("Withdrawn by the applicant"),
    }
    return titles.get(kind, kind)


def entry_note(case: Versioned, entry: TimelineEntry) -> str:
    """The entry's note for people, in the page's language; empty where there is none for them."""
    if entry.kind == "task_completed":
        return _decision(entry.note)
    if entry.kind == "completed":
        return outcome_name(entry.note) if entry.note else ""
    if entry.kind == "supplemented":
        return _field_labels(case, entry.note)
    if entry.kind == "retried" and entry.note.startswith(CORRECTED):
        return str(gettext("Corrected: %(fields)s", fields=_field_labels(case, entry.note[len(CORRECTED) :])))
    if entry.kind in ("returned", "material_added", "reassigned"):
        return entry.note
    return ""


def _decision(note: str) -> str:
    """A decision's note, "<decision>: <comment>" (tasks._decision_note), as the decision in
    words and the comment; a note without a known decision is all comment."""
    decision, _, comment = note.partition(": ")
    if decision not in DECISIONS:
        return note
    if not comment:
        return decision_name(decision)
    return str(gettext("%(decision)s: %(comment)s", decision=decision_name(decision), comment=comment))


def _field_labels(case: Versioned, keys: str) -> str:
    """Fields of the case data ("monthly_base, reason") by their start form labels; a field the
    form does not have keeps its key."""
    form = localise_form(process_texts(case).start_form, current_language())
    labels = {str(c["key"]): str(c.get("label") or c["key"]) for c in input_components(form) if "key" in c}
    return str(gettext(", ")).join(labels.get(key, key) for key in keys.split(", ") if key)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(entry_title=entry_title, entry_note=entry_note)
